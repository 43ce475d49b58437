/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Emulation of displaced instructions (see emulate.c).
 */
#ifndef _UPC_EMULATE_H
#define _UPC_EMULATE_H

#include <linux/types.h>

struct pt_regs;
struct upc_site;

/*
 * Execute @site's instruction, at @vaddr, on @regs. Returns 0 (regs->ip
 * is the next instruction), -EOPNOTSUPP if this instruction is not emulated
 * (run it from a slot), -EAGAIN if user memory could not be touched without
 * faulting (!@may_fault; regs unchanged), or -EFAULT if it cannot be at all.
 */
int upc_emulate(const struct upc_site *site, struct pt_regs *regs,
		unsigned long vaddr, bool may_fault);

/* Will @site's instruction branch, with @regs? (true if it is no jcc or loop) */
bool upc_branch_taken(const struct upc_site *site, const struct pt_regs *regs);

/* Must this instruction be emulated (it cannot run from a slot)? */
bool upc_emulate_branch(const struct upc_site *site);

#endif /* _UPC_EMULATE_H */
