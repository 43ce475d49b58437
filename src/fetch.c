// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Fetch arguments. The trap path runs with interrupts off, so user memory
 * is first read with page faults disabled. If that fails (a bad address,
 * or a page not in memory right now: common just after fork or exec), the
 * event is finished in the task's own context on its way back to user
 * mode (event.c), where the read may fault the page in; an address that
 * is still bad then gives a marked value (a bit in the event's fault
 * mask), never a crash.
 */

#include <linux/kernel.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fetch.h"
#include "fault.h"
#include "probe.h"

/* struct pt_regs members in the order of UPROBECTL_REG_*. */
static const u16 upc_reg_offs[UPROBECTL_NR_REGS] = {
	offsetof(struct pt_regs, ax), offsetof(struct pt_regs, bx),
	offsetof(struct pt_regs, cx), offsetof(struct pt_regs, dx),
	offsetof(struct pt_regs, si), offsetof(struct pt_regs, di),
	offsetof(struct pt_regs, bp), offsetof(struct pt_regs, sp),
	offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
	offsetof(struct pt_regs, r10), offsetof(struct pt_regs, r11),
	offsetof(struct pt_regs, r12), offsetof(struct pt_regs, r13),
	offsetof(struct pt_regs, r14), offsetof(struct pt_regs, r15),
	offsetof(struct pt_regs, ip), offsetof(struct pt_regs, flags),
};

static bool upc_type_ok(u8 type)
{
	u8 size = type & 0xf;

	if (type == UPROBECTL_TYPE_STRING)
		return true;
	if ((type >> 4) < 1 || (type >> 4) > 3)
		return false;
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static long upc_fetch_check(struct uprobectl_add *req, u32 i,
			    struct uprobectl_fetch *a)
{
	a->name[sizeof(a->name) - 1] = 0;
	if (a->pad)
		return upc_fail(req, -EINVAL, "argument %u: reserved bytes not zero", i + 1);
	switch (a->base) {
	case UPROBECTL_FETCH_REG:
		if (a->reg >= UPROBECTL_NR_REGS)
			return upc_fail(req, -EINVAL, "argument %u: no register %u",
					i + 1, a->reg);
		break;
	case UPROBECTL_FETCH_IMM:
		break;
	case UPROBECTL_FETCH_RETVAL:
		if (req->kind != UPROBECTL_KIND_EXIT && req->kind != UPROBECTL_KIND_RETURN)
			return upc_fail(req, -EINVAL,
					"argument %u: $retval is known at a function's exit: use an exit or return probe",
					i + 1);
		break;
	default:
		return upc_fail(req, -EINVAL, "argument %u: unknown base %u", i + 1, a->base);
	}
	if (!upc_type_ok(a->type))
		return upc_fail(req, -EINVAL, "argument %u: unknown type 0x%x", i + 1, a->type);
	if (a->depth > UPROBECTL_FETCH_DEPTH)
		return upc_fail(req, -EINVAL, "argument %u: more than %d dereferences",
				i + 1, UPROBECTL_FETCH_DEPTH);
	if (a->type == UPROBECTL_TYPE_STRING && !a->depth)
		return upc_fail(req, -EINVAL,
				"argument %u: a string is read from memory: use +0(%%reg):string",
				i + 1);
	return 0;
}

long upc_fetch_in(struct uprobectl_add *req, struct upc_fetch **out)
{
	const u8 __user *src = u64_to_user_ptr(req->args);
	struct upc_fetch *f;
	u32 i;
	long ret;

	*out = NULL;
	if (!req->nargs)
		return 0;
	if (req->nargs > UPROBECTL_FETCH_MAX)
		return upc_fail(req, -EINVAL, "%u fetch arguments: at most %d",
				req->nargs, UPROBECTL_FETCH_MAX);
	if (req->arg_size < UPROBECTL_FETCH_SIZE_VER0 || req->arg_size > PAGE_SIZE)
		return upc_fail(req, -EINVAL, "arg_size %u is not sizeof(struct uprobectl_fetch)",
				req->arg_size);
	f = UPC_FAULT(fetch_spec) ? NULL :
	    kzalloc(struct_size(f, args, req->nargs), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->nargs = req->nargs;
	for (i = 0; i < req->nargs; i++) {
		ret = copy_struct_from_user(&f->args[i], sizeof(f->args[i]),
					    src + (size_t)i * req->arg_size, req->arg_size);
		if (ret == -E2BIG)
			ret = upc_fail(req, -E2BIG, "argument %u: unknown members set", i + 1);
		if (!ret)
			ret = upc_fetch_check(req, i, &f->args[i]);
		if (ret) {
			kfree(f);
			return ret;
		}
	}
	*out = f;
	return 0;
}

void upc_fetch_free(struct upc_fetch *f)
{
	kfree(f);
}

/* Read @size bytes of user memory at @addr; 0 or -EFAULT. */
static int upc_peek_user(u64 addr, void *dst, size_t size, bool may_fault)
{
	const void __user *src = (const void __user *)(unsigned long)addr;

	if (may_fault)
		return UPC_FAULT(fetch_read) || copy_from_user(dst, src, size) ? -EFAULT : 0;
	return copy_from_user_nofault(dst, src, size) ? -EFAULT : 0;
}

static u64 upc_extend(u64 v, u8 type)
{
	unsigned int bits = (type & 0xf) * 8;

	if (bits == 64)
		return v;
	v &= (1ULL << bits) - 1;
	if ((type >> 4) == 2 && (v >> (bits - 1)))
		v |= ~0ULL << bits;
	return v;
}

/* A string at @addr into @dst (@room bytes, NUL included); its length. */
static long upc_peek_string(u64 addr, char *dst, size_t room, bool may_fault)
{
	long n;

	if (!room)
		return -ENOSPC;
	if (!access_ok((const void __user *)(unsigned long)addr, 1))
		return -EFAULT;
	if (!may_fault)
		pagefault_disable();
	n = strncpy_from_user(dst, (const char __user *)(unsigned long)addr, room);
	if (!may_fault)
		pagefault_enable();
	if (n < 0)
		return n;
	if (n == room)
		n--;		/* cut short */
	dst[n] = 0;
	return n;
}

size_t upc_fetch_record(const struct upc_fetch *f, const struct pt_regs *regs,
			bool has_retval, u8 *rec, size_t used, bool may_fault,
			bool *faulted)
{
	struct uprobectl_event_args *ea = (void *)(rec + used);
	size_t pos = used + struct_size(ea, value, f->nargs);
	u32 i, d;

	ea->nargs = f->nargs;
	ea->faults = 0;
	for (i = 0; i < f->nargs; i++) {
		const struct uprobectl_fetch *a = &f->args[i];
		u8 size = a->type == UPROBECTL_TYPE_STRING ? 8 : a->type & 0xf;
		u64 v = 0;
		int err = 0;

		/* At a jump out of a function there is no return value yet. */
		if (a->base == UPROBECTL_FETCH_RETVAL && !has_retval) {
			ea->faults |= 1U << i;
			ea->value[i] = 0;
			continue;
		}
		if (a->base == UPROBECTL_FETCH_REG)
			v = *(const unsigned long *)((const u8 *)regs + upc_reg_offs[a->reg]);
		else if (a->base == UPROBECTL_FETCH_RETVAL)
			v = regs->ax;
		else
			v = a->imm;
		/* The inner loads read pointers; the last one the value. */
		for (d = 0; d + 1 < a->depth && !err; d++)
			err = upc_peek_user(v + a->off[d], &v, sizeof(v), may_fault);
		if (!err && a->depth && a->type == UPROBECTL_TYPE_STRING) {
			long n = upc_peek_string(v + a->off[d], (char *)rec + pos,
						 min_t(size_t, UPROBECTL_FETCH_STRLEN,
						       UPROBECTL_EVENT_MAX - pos), may_fault);

			if (n >= 0) {
				v = (u64)pos | ((u64)n << 16);
				pos += n + 1;
			}
			err = n < 0;
		} else if (!err && a->depth) {
			u64 x = 0;

			err = upc_peek_user(v + a->off[d], &x, size, may_fault);
			v = x;
		}
		if (err) {
			ea->faults |= 1U << i;
			*faulted = true;
			v = 0;
		} else if (a->type != UPROBECTL_TYPE_STRING) {
			v = upc_extend(v, a->type);
		}
		ea->value[i] = v;
	}
	/* The record goes to readers whole: no stale bytes in its tail. */
	memset(rec + pos, 0, ALIGN(pos, 8) - pos);
	return ALIGN(pos, 8);
}
