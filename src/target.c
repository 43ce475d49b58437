// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Resolving the file of a new probe: path or fd, regular file, 64-bit x86
 * ELF, executable segments (read in one go), and the path to show.
 */

#include <linux/elf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fault.h"
#include "probe.h"
#include "target.h"

/* Forget the file (the path buffer stays for the next entry). */
static void upc_tfile_clear(struct upc_tfile *t)
{
	char *ubuf = t->ubuf;

	if (t->file)
		fput(t->file);
	kfree(t->upath);
	kfree(t->dpath);
	memset(t, 0, sizeof(*t));
	t->ubuf = ubuf;
}

void upc_tfile_release(struct upc_tfile *t)
{
	upc_tfile_clear(t);
	kfree(t->ubuf);
	t->ubuf = NULL;
}

/* Check the ELF header and keep the executable segments. */
static long upc_tfile_read_elf(struct upc_tfile *t, struct uprobectl_add *req)
{
	struct elf64_phdr *ph;
	struct elf64_hdr eh;
	loff_t pos = 0;
	ssize_t n;
	size_t size;
	int i;

	n = UPC_FAULT(elf_read) ? -EIO : kernel_read(t->file, &eh, sizeof(eh), &pos);
	if (n < 0)
		return upc_fail(req, -EIO, "cannot read the file's ELF header (error %zd)", n);
	if (n != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return upc_fail(req, -EINVAL, "not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64)
		return upc_fail(req, -EINVAL,
				"not a 64-bit x86-64 ELF file (32-bit and other machines are not supported)");
	if (eh.e_phentsize != sizeof(*ph) || eh.e_phnum > 256)
		return upc_fail(req, -EINVAL, "ELF program headers are malformed");
	size = eh.e_phnum * sizeof(*ph);
	ph = UPC_FAULT(elf_phdrs) ? NULL : kmalloc(size ?: 1, GFP_KERNEL);
	if (!ph)
		return -ENOMEM;
	pos = eh.e_phoff;
	n = UPC_FAULT(elf_read) ? -EIO : kernel_read(t->file, ph, size, &pos);
	if (n != (ssize_t)size) {
		kfree(ph);
		if (n < 0)
			return upc_fail(req, -EIO, "cannot read the ELF program headers (error %zd)",
					n);
		return upc_fail(req, -EINVAL, "ELF program headers are truncated");
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((ph[i].p_flags & PF_X) && t->nsegs < UPC_EXEC_SEGS) {
			t->segs[t->nsegs].start = ph[i].p_offset;
			t->segs[t->nsegs].end = ph[i].p_offset + ph[i].p_filesz;
			t->nsegs++;
		}
		if ((ph[i].p_flags & PF_W) && t->nwsegs < UPC_EXEC_SEGS) {
			t->wsegs[t->nwsegs].start = ph[i].p_offset;
			t->wsegs[t->nwsegs].end = ph[i].p_offset + ph[i].p_filesz;
			t->nwsegs++;
		}
	}
	kfree(ph);
	return 0;
}

static long upc_tfile_open(struct upc_tfile *t, struct uprobectl_add *req)
{
	char *buf, *path;

	if (req->flags & UPROBECTL_ADD_FD) {
		t->fd = req->fd;
		t->file = fget(req->fd);
		if (!t->file)
			return upc_fail(req, -EBADF, "fd %d is not open", req->fd);
	} else {
		t->file = filp_open(t->upath, O_RDONLY | O_LARGEFILE, 0);
		if (IS_ERR(t->file)) {
			long err = PTR_ERR(t->file);

			t->file = NULL;
			return upc_fail(req, err, "cannot open %s (error %ld)", t->upath, err);
		}
	}
	if (!S_ISREG(file_inode(t->file)->i_mode))
		return upc_fail(req, -EINVAL, "not a regular file");
	/* Read below: a file opened for writing only cannot be. */
	if (!(t->file->f_mode & FMODE_READ))
		return upc_fail(req, -EBADF, "fd %d is not open for reading", req->fd);
	buf = UPC_FAULT(path_buf) ? NULL : kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	path = d_path(&t->file->f_path, buf, PATH_MAX);
	t->dpath = kstrdup(IS_ERR(path) ? "?" : path, GFP_KERNEL);
	kfree(buf);
	if (!t->dpath)
		return -ENOMEM;
	return upc_tfile_read_elf(t, req);
}

long upc_tfile_resolve(struct upc_tfile *t, struct uprobectl_add *req)
{
	char *upath = NULL;
	long ret;

	if (!(req->flags & UPROBECTL_ADD_FD)) {
		long len;

		if (!t->ubuf) {
			t->ubuf = UPC_FAULT(path_buf) ? NULL : kmalloc(PATH_MAX, GFP_KERNEL);
			if (!t->ubuf)
				return -ENOMEM;
		}
		len = strncpy_from_user(t->ubuf, u64_to_user_ptr(req->path), PATH_MAX);
		if (len < 0)
			return upc_fail(req, len, "cannot read the path argument");
		if (len == PATH_MAX)
			return upc_fail(req, -ENAMETOOLONG, "the path is longer than PATH_MAX");
		if (t->file && t->upath && !strcmp(t->upath, t->ubuf))
			return 0;
		upath = kstrdup(t->ubuf, GFP_KERNEL);
		if (!upath)
			return -ENOMEM;
	} else if (t->file && !t->upath && t->fd == req->fd) {
		return 0;
	}
	upc_tfile_clear(t);
	t->upath = upath;
	ret = upc_tfile_open(t, req);
	/* A failed file is not kept: the next entry tries again. */
	if (ret)
		upc_tfile_clear(t);
	return ret;
}

long upc_tfile_sem(const struct upc_tfile *t, u64 offset, struct uprobectl_add *req)
{
	int i;

	if (offset & 1)
		return upc_fail(req, -EINVAL,
				"semaphore offset 0x%llx is odd: an SDT semaphore is a 2-byte counter",
				offset);
	for (i = 0; i < t->nwsegs; i++)
		if (offset >= t->wsegs[i].start && offset < t->wsegs[i].end &&
		    t->wsegs[i].end - offset >= 2)
			return 0;
	return upc_fail(req, -ERANGE,
			"semaphore offset 0x%llx is not in a writable segment of the file (give the file offset, not the address)",
			offset);
}

long upc_tfile_segment(const struct upc_tfile *t, u64 offset, u64 *seg_end,
		       struct uprobectl_add *req)
{
	int i;

	for (i = 0; i < t->nsegs; i++) {
		if (offset >= t->segs[i].start && offset < t->segs[i].end) {
			*seg_end = t->segs[i].end;
			return 0;
		}
	}
	return upc_fail(req, -ERANGE,
			"offset 0x%llx is not in an executable segment of the file", offset);
}
