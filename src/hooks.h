/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Where the module attaches to the kernel (see hooks.c).
 */
#ifndef _UPC_HOOKS_H
#define _UPC_HOOKS_H

int upc_hooks_init(void);
void upc_hooks_exit(void);

#endif /* _UPC_HOOKS_H */
