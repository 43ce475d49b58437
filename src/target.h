/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The file a new probe names (by path or fd): opened, checked to be a
 * 64-bit x86 ELF file, and its executable segments read once, so that a
 * batch of probes on one file resolves it once.
 */
#ifndef _UPC_TARGET_H
#define _UPC_TARGET_H

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/types.h>
#include <uapi/linux/uprobectl.h>

struct file;

#define UPC_EXEC_SEGS	16

struct upc_tfile {
	char *ubuf;		/* PATH_MAX bytes for reading the caller's paths */
	char *upath;		/* the caller's path string; NULL with an fd */
	int fd;			/* with UPROBECTL_ADD_FD */
	struct file *file;	/* held; NULL until resolved */
	char *dpath;		/* its path as the listing shows it */
	int nsegs;
	struct {
		u64 start, end;	/* file bytes of an executable PT_LOAD */
	} segs[UPC_EXEC_SEGS];
	int nwsegs;
	struct {
		u64 start, end;	/* file bytes of a writable PT_LOAD */
	} wsegs[UPC_EXEC_SEGS];
};

/*
 * Resolve @req's file into @t, or keep what @t holds if it names the same
 * path or fd as last time. 0, or an errno with the reason in @req->error.
 */
long upc_tfile_resolve(struct upc_tfile *t, struct uprobectl_add *req);
/* The end of the executable segment holding @offset, or -ERANGE. */
long upc_tfile_segment(const struct upc_tfile *t, u64 offset, u64 *seg_end,
		       struct uprobectl_add *req);
/* Is @offset a place for an SDT semaphore (2 bytes of writable data)? */
long upc_tfile_sem(const struct upc_tfile *t, u64 offset, struct uprobectl_add *req);
void upc_tfile_release(struct upc_tfile *t);

/*
 * The inode a probed file is known by: the one its mappings carry. A file
 * opened through overlayfs (a container's root) maps its real (upper or
 * lower) file, as the kernel's own uprobes know too.
 */
static inline struct inode *upc_tfile_inode(const struct upc_tfile *t)
{
	return d_real_inode(t->file->f_path.dentry);
}

#endif /* _UPC_TARGET_H */
