/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Fetch arguments: checked when a probe is added, evaluated on the trap
 * path (interrupts off: user memory is read without faulting pages in).
 */
#ifndef _UPC_FETCH_H
#define _UPC_FETCH_H

#include <linux/overflow.h>
#include <linux/types.h>
#include <uapi/linux/uprobectl.h>

struct pt_regs;

/* A probe's arguments, as the caller gave them (names included). */
struct upc_fetch {
	u32 nargs;
	struct uprobectl_fetch args[];
};

/*
 * Copy in and check the arguments of @req; *@out is NULL when there are
 * none. On failure, @req->error says why.
 */
long upc_fetch_in(struct uprobectl_add *req, struct upc_fetch **out);
void upc_fetch_free(struct upc_fetch *f);

/*
 * Evaluate @f for the current task at @regs into @rec, which holds
 * UPROBECTL_EVENT_MAX bytes, @used of them taken; return the bytes used
 * now (8-byte aligned). User memory is read without faulting pages in
 * unless @may_fault (a sleepable context); *@faulted is set if a read
 * failed. $retval is rax when @has_retval, else it faults.
 */
size_t upc_fetch_record(const struct upc_fetch *f, const struct pt_regs *regs,
			bool has_retval, u8 *rec, size_t used, bool may_fault,
			bool *faulted);
/* Bytes of @f with its arguments. */
static inline size_t upc_fetch_size(const struct upc_fetch *f)
{
	return struct_size(f, args, f->nargs);
}

#endif /* _UPC_FETCH_H */
