// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Text patching by copy-on-write: a forced write through get_user_pages
 * gives the process its own anonymous copy of the page (as a debugger's
 * PTRACE_POKETEXT does); the file and its page cache are never written.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "patch.h"

/* Copy within one page; @write picks the direction. */
static int upc_access_page(struct mm_struct *mm, unsigned long addr, void *buf,
			   size_t len, bool write)
{
	unsigned int flags = FOLL_FORCE | (write ? FOLL_WRITE : 0);
	struct page *page;
	void *kaddr;
	long got;

	/* No memory for the copy of the page: said as such (ADD fails whole). */
	got = upc_gup_remote_page(mm, addr, flags, &page);
	if (got != 1)
		return got == -ENOMEM ? -ENOMEM : -EFAULT;
	kaddr = kmap_local_page(page);
	if (write) {
		memcpy(kaddr + offset_in_page(addr), buf, len);
		flush_dcache_page(page);
		set_page_dirty_lock(page);
	} else {
		memcpy(buf, kaddr + offset_in_page(addr), len);
	}
	kunmap_local(kaddr);
	put_page(page);
	return 0;
}

static int upc_access(struct mm_struct *mm, unsigned long addr, void *buf,
		      size_t len, bool write)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(addr));
		int ret = upc_access_page(mm, addr, buf, n, write);

		if (ret)
			return ret;
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int upc_peek(struct mm_struct *mm, unsigned long addr, void *buf, size_t len)
{
	return upc_access(mm, addr, buf, len, false);
}

int upc_poke(struct mm_struct *mm, unsigned long addr, const void *buf, size_t len)
{
	return upc_access(mm, addr, (void *)buf, len, true);
}

/*
 * The file's page at @index if the page cache holds it up to date, else
 * NULL: never read in (no I/O under the locks a removal holds, which a
 * slow or hostile file system would stall) and never made (a tmpfs hole
 * or swapped-out page, a DAX file: read_mapping_page() would put a page
 * there that nothing can fill). Without it, our private copy stays.
 */
static struct page *upc_file_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);

	if (page && !PageUptodate(page)) {
		put_page(page);
		page = NULL;
	}
	return page;
}

/* Does the private page at @addr equal the file's page it was copied from? */
static bool upc_page_matches_file(struct mm_struct *mm,
				  struct vm_area_struct *vma, unsigned long addr)
{
	struct page *mine, *file_page;
	pgoff_t index;
	void *a, *b;
	bool same;

	index = vma->vm_pgoff + ((addr & PAGE_MASK) - vma->vm_start) / PAGE_SIZE;
	if (upc_gup_remote_page(mm, addr, FOLL_FORCE, &mine) != 1)
		return false;
	if (!PageAnon(mine)) {
		put_page(mine);
		return false;
	}
	file_page = upc_file_page(vma->vm_file->f_mapping, index);
	if (!file_page) {
		put_page(mine);
		return false;
	}
	a = kmap_local_page(mine);
	b = kmap_local_page(file_page);
	same = !memcmp(a, b, PAGE_SIZE);
	kunmap_local(b);
	kunmap_local(a);
	put_page(file_page);
	put_page(mine);
	return same;
}

bool upc_text_at(struct mm_struct *mm, unsigned long addr, const struct inode *inode,
		 u64 offset)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr && vma->vm_file &&
	       !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) &&
	       file_inode(vma->vm_file) == inode &&
	       ((u64)vma->vm_pgoff << PAGE_SHIFT) + (addr - vma->vm_start) == offset;
}

int upc_unpatch_byte(struct mm_struct *mm, unsigned long addr, u8 orig,
		     const struct inode *inode, u64 offset)
{
	u8 cur;
	int ret;

	if (!upc_text_at(mm, addr, inode, offset))
		return -ENOENT;
	ret = upc_peek(mm, addr, &cur, 1);
	if (ret)
		return ret;
	/* Someone else changed the byte since: leave it to them. */
	if (cur != UPC_INT3)
		return 0;
	return upc_poke(mm, addr, &orig, 1);
}

void upc_release_page(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	/*
	 * Not in a writable mapping: a store of another thread (it needs no
	 * mmap_lock) between the compare and the zap would be lost.
	 */
	if (vma && vma->vm_start <= addr && vma->vm_file &&
	    !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_WRITE)) &&
	    upc_page_matches_file(mm, vma, addr))
		upc_zap_page(vma, addr & PAGE_MASK);
}

int upc_rewrite_byte(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct page *page;
	bool anon;
	u8 b;
	int ret;

	/* Only text we may have patched: never a shared or writable mapping. */
	if (!vma || vma->vm_start > addr || !vma->vm_file || !(vma->vm_flags & VM_EXEC) ||
	    (vma->vm_flags & (VM_WRITE | VM_SHARED | VM_MAYSHARE)))
		return -ENOENT;
	if (upc_gup_remote_page(mm, addr, FOLL_FORCE, &page) != 1)
		return -EFAULT;
	anon = PageAnon(page);
	put_page(page);
	if (!anon)
		return 0;	/* the file's page: never had our int3 */
	ret = upc_peek(mm, addr, &b, 1);
	if (ret || b == UPC_INT3)
		return ret;
	return upc_poke(mm, addr, &b, 1);
}

int upc_unpatch(struct mm_struct *mm, unsigned long addr, u8 orig,
		const struct inode *inode, u64 offset)
{
	int ret = upc_unpatch_byte(mm, addr, orig, inode, offset);

	if (!ret)
		upc_release_page(mm, addr);
	return ret;
}

int upc_scrub_page(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long addr, bool (*ours)(unsigned long addr, void *arg),
		   void *arg)
{
	struct page *mine, *file_page;
	pgoff_t index;
	unsigned int i;
	u8 *a, *b;
	int fixed = 0;

	addr &= PAGE_MASK;
	index = vma->vm_pgoff + (addr - vma->vm_start) / PAGE_SIZE;
	if (upc_gup_remote_page(mm, addr, FOLL_FORCE, &mine) != 1)
		return 0;
	if (!PageAnon(mine)) {
		put_page(mine);
		return 0;
	}
	file_page = upc_file_page(vma->vm_file->f_mapping, index);
	if (!file_page) {
		put_page(mine);
		return 0;
	}
	a = kmap_local_page(mine);
	b = kmap_local_page(file_page);
	for (i = 0; i < PAGE_SIZE; i++) {
		if (a[i] == b[i] || a[i] != UPC_INT3 || !ours(addr + i, arg))
			continue;
		/* Through a forced write: the page may be shared with a parent. */
		if (!upc_poke(mm, addr + i, &b[i], 1))
			fixed++;
	}
	kunmap_local(b);
	kunmap_local(a);
	put_page(file_page);
	put_page(mine);
	if (fixed)
		upc_release_page(mm, addr);
	return fixed;
}
