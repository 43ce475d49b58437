/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Reading and writing another process's text through its private copy of
 * the page (copy-on-write), never the page cache.
 */
#ifndef _UPC_PATCH_H
#define _UPC_PATCH_H

#include <linux/mm_types.h>

#define UPC_INT3 0xcc

/* Caller holds mmap_read_lock(mm) or the write lock. */
int upc_peek(struct mm_struct *mm, unsigned long addr, void *buf, size_t len);
int upc_poke(struct mm_struct *mm, unsigned long addr, const void *buf, size_t len);

/*
 * Is @addr of @mm the probed file's private text still: a private mapping
 * of @inode whose file offset at @addr is @offset? Nothing is written to
 * text otherwise (never a shared mapping, never another file mapped at an
 * old address since). mmap_lock held.
 */
bool upc_text_at(struct mm_struct *mm, unsigned long addr, const struct inode *inode,
		 u64 offset);

/*
 * Put @orig back at @addr if our int3 is there and @addr is still the
 * text of @inode at @offset (upc_text_at()); then, if the private page
 * equals the file's page, unmap it so the process maps the file's page
 * again. Caller holds mmap_write_lock(mm).
 */
int upc_unpatch(struct mm_struct *mm, unsigned long addr, u8 orig,
		const struct inode *inode, u64 offset);

/*
 * The two halves of upc_unpatch(), for many breakpoints at once: put the
 * bytes back, then release each page they were on. mmap_write_lock held.
 */
int upc_unpatch_byte(struct mm_struct *mm, unsigned long addr, u8 orig,
		     const struct inode *inode, u64 offset);
void upc_release_page(struct mm_struct *mm, unsigned long addr);

/*
 * Write the byte at @addr once more, unchanged, if it is not an int3 and
 * the page is the process's own copy. A CPU never needs this; an emulator
 * that translates code ahead (QEMU's TCG, with several vCPUs) can keep
 * running a translation made just before our int3 was taken out, and a
 * write to the page makes it translate again. mmap_write_lock held.
 */
int upc_rewrite_byte(struct mm_struct *mm, unsigned long addr);

/*
 * Put back the file's byte wherever the private page at @addr of @vma
 * holds an int3 the file does not and @ours says it is ours. Slow: for
 * when the record of what was removed is lost. mmap_write_lock held.
 */
int upc_scrub_page(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long addr, bool (*ours)(unsigned long addr, void *arg),
		   void *arg);

#endif /* _UPC_PATCH_H */
