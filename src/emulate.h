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

/* Where user memory failed an emulated access. */
struct upc_emu_fault {
	unsigned long addr;
	bool write;
};

/*
 * Execute @site's instruction, at @vaddr, on @regs. Returns 0 (regs->ip
 * is the next instruction), -EOPNOTSUPP if this instruction is not emulated
 * (run it from a slot); with @fault NULL (the trap path: no page fault may
 * be taken) -EAGAIN if user memory could not be touched, else -EFAULT if it
 * cannot be at all, with the access that failed in @fault. On an error,
 * @regs are unchanged.
 */
int upc_emulate(const struct upc_site *site, struct pt_regs *regs,
		unsigned long vaddr, struct upc_emu_fault *fault);

/* Will @site's instruction branch, with @regs? (true if it is no jcc or loop) */
bool upc_branch_taken(const struct upc_site *site, const struct pt_regs *regs);

/* Must this instruction be emulated (it cannot run from a slot)? */
bool upc_emulate_branch(const struct upc_site *site);

#endif /* _UPC_EMULATE_H */
