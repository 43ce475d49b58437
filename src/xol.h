/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Out-of-line slots: a displaced instruction is executed from a copy in an
 * anonymous executable mapping of the process, followed by a jump back to
 * the instruction after it, so most hits cost one trap. Slots sit within
 * reach of rel32 of the text they serve (rip-relative operands are
 * re-based), are made in the process's own context, and live as long as
 * the address space: a thread may be inside one at any time.
 */
#ifndef _UPC_XOL_H
#define _UPC_XOL_H

#include <linux/list.h>
#include <linux/types.h>

#include "insn.h"

struct upc_mm;
struct upc_site;
struct pt_regs;

#define UPC_SLOT_SIZE		32
#define UPC_CHUNK_PAGES		4
#define UPC_CHUNK_SIZE		(UPC_CHUNK_PAGES * PAGE_SIZE)
#define UPC_CHUNK_SLOTS		(UPC_CHUNK_SIZE / UPC_SLOT_SIZE)

struct upc_slot_meta {
	unsigned long vaddr;		/* the probed address it serves */
	u8 len;				/* its instruction's length */
	u8 insn[UPC_INSN_MAX];
};

struct upc_xol_chunk {
	struct list_head node;		/* upc_mm.chunks */
	unsigned long start;		/* user address */
	unsigned int used;		/* slots handed out; upc_mm.lock */
	struct rcu_head rcu;
	struct upc_slot_meta meta[UPC_CHUNK_SLOTS];
};

/*
 * The slot for @site's instruction at @vaddr, made if needed. Runs in a
 * thread of the address space (current->mm == um->mm), um->lock held.
 * Returns the slot's user address or a negative errno.
 */
long upc_xol_slot(struct upc_mm *um, unsigned long vaddr, const struct upc_site *site);

/*
 * The trampoline of return probes (an int3 in a slot of its own, made near
 * @near): same context and lock as upc_xol_slot(). Its address, or a
 * negative errno.
 */
long upc_xol_tramp(struct upc_mm *um, unsigned long near);
/* The trampoline among @um's slots (fork: the child's copy), or 0. */
unsigned long upc_xol_tramp_find(struct upc_mm *um);

/*
 * A thread about to take a signal with its rip in a slot: move rip to where
 * it is in the original code. Returns true if rip was at the start of the
 * slot (the instruction has not run: rip is now the probed address).
 */
bool upc_xol_fix_ip(struct upc_mm *um, struct pt_regs *regs);

/*
 * Copy @from's chunk list into @to (fork: the mappings were copied), minus
 * the slots whose code the child's memory does not hold. Runs in the child.
 */
int upc_xol_copy(struct upc_mm *to, struct upc_mm *from);
void upc_xol_free(struct upc_mm *um);
/* Is @slot a slot of @um made for @vaddr? (um->lock) */
bool upc_xol_slot_valid(struct upc_mm *um, unsigned long slot, unsigned long vaddr);
int upc_xol_count(void);

#endif /* _UPC_XOL_H */
