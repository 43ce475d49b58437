// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Copying size-versioned structs across the ioctl boundary. Each struct
 * starts with a __u32 size that the caller sets; see the uapi header for
 * the rules these two helpers implement.
 */

#include <linux/uaccess.h>

#include "abi.h"
#include "fault.h"

/* Larger structs than this are refused before anything is scanned. */
#define UPC_STRUCT_MAX PAGE_SIZE

/**
 * upc_struct_in - read a size-versioned struct from user space
 * @dst: kernel copy, @ksize bytes; its size member is set to the caller's
 * @ksize: the size this module knows
 * @minsize: the struct's first published size
 * @src: the caller's struct
 *
 * Return: 0, -EFAULT, -EINVAL (shorter than @minsize), or -E2BIG (non-zero
 * bytes past @ksize; @ksize is then written into the caller's size member).
 */
int upc_struct_in(void *dst, size_t ksize, size_t minsize,
		  const void __user *src)
{
	u32 usize;
	int ret;

	if (UPC_FAULT(struct_in) || get_user(usize, (const u32 __user *)src))
		return -EFAULT;
	if (usize < minsize)
		return -EINVAL;
	if (usize > UPC_STRUCT_MAX)
		ret = -E2BIG;
	else
		ret = copy_struct_from_user(dst, ksize, src, usize);
	if (ret == -E2BIG && put_user((u32)ksize, (u32 __user *)src))
		return -EFAULT;
	if (!ret)
		*(u32 *)dst = usize;
	return ret;
}

/**
 * upc_struct_out - write a struct read by upc_struct_in() back to user space
 * @dst: the caller's struct
 * @src: kernel copy whose size member still holds the caller's size
 * @ksize: the size this module knows
 *
 * Only the bytes both sides know are written; the caller's tail stays zero.
 */
int upc_struct_out(void __user *dst, const void *src, size_t ksize)
{
	size_t n = min_t(size_t, *(const u32 *)src, ksize);

	if (UPC_FAULT(struct_out))
		return -EFAULT;
	return copy_to_user(dst, src, n) ? -EFAULT : 0;
}
