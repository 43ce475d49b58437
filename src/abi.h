/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Size-versioned ioctl arguments (the rules are in the uapi header).
 */
#ifndef _UPC_ABI_H
#define _UPC_ABI_H

#include <linux/types.h>

int upc_struct_in(void *dst, size_t ksize, size_t minsize,
		  const void __user *src);
int upc_struct_out(void __user *dst, const void *src, size_t ksize);

#endif /* _UPC_ABI_H */
