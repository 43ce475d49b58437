// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * What a hit does, by the kinds of the probes on its site: count and
 * record instruction and entry probes; keep a frame of the call for entry
 * and return probes (ret.c); report exits with the time since their
 * entry. Trap path: RCU read side held, no lock.
 */

#include <linux/pagemap.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>

#include "emulate.h"
#include "event.h"
#include "mm.h"
#include "probe.h"
#include "ret.h"
#include "scope.h"

/* Does @p apply to the current process? (*@tgid: looked up once.) */
static bool upc_probe_applies(const struct upc_probe *p, struct pid **tgid)
{
	if (!p->scope)
		return true;
	if (!*tgid)
		*tgid = task_tgid(current);
	return upc_scope_has(*tgid, p->id);
}

/*
 * The exit probes of @site: its instruction is a ret or a jump out (a
 * conditional one leaves only when it is taken).
 */
static void upc_site_exits(struct upc_mm *um, struct upc_site *site, struct pt_regs *regs)
{
	struct upc_retinfo exit = { .ip = regs->ip, .flags = UPROBECTL_RET_TAIL };
	struct pid *tgid = NULL;
	u64 now = ktime_get_ns();
	struct upc_probe *p;

	if (!upc_branch_taken(site, regs))
		return;
	/* A ret: the return value is known, and where it goes. */
	if (site->cls.op == UPC_OP_RET) {
		exit.flags = UPROBECTL_RET_RETVAL;
		exit.retval = regs->ax;
		if (copy_from_user_nofault(&exit.ret_ip, (void __user *)regs->sp,
					   sizeof(exit.ret_ip)))
			exit.ret_ip = 0;
	}
	list_for_each_entry_rcu(p, &site->probes, site_node) {
		struct upc_retinfo ri = exit;

		if (p->kind != UPROBECTL_KIND_EXIT || !upc_probe_applies(p, &tgid))
			continue;
		if (p->head && upc_ret_latency(p->head, regs, now, &ri.latency))
			ri.flags |= UPROBECTL_RET_LATENCY;
		this_cpu_inc(*p->hits);
		upc_event_hit_ret(p, regs, &ri);
	}
	upc_ret_exit_done(um, regs);
}

/* Which frame a hit on @site wants: none, one, one with the trampoline. */
static void upc_site_wants(struct upc_site *site, bool *frame, bool *hijack)
{
	struct pid *tgid = NULL;
	struct upc_probe *p;

	*frame = *hijack = false;
	list_for_each_entry_rcu(p, &site->probes, site_node) {
		if ((p->kind == UPROBECTL_KIND_ENTRY || p->kind == UPROBECTL_KIND_RETURN) &&
		    upc_probe_applies(p, &tgid)) {
			*frame = true;
			*hijack |= p->kind == UPROBECTL_KIND_RETURN;
		}
	}
}

int upc_site_hit(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		 struct pt_regs *regs)
{
	bool frame = false, hijack = false, exits = false;
	struct pid *tgid = NULL;
	struct upc_probe *p;
	int ret = 0;

	list_for_each_entry_rcu(p, &site->probes, site_node) {
		if (!upc_probe_applies(p, &tgid))
			continue;
		switch (p->kind) {
		case UPROBECTL_KIND_RETURN:
			/* Counted when the function returns. */
			frame = hijack = true;
			continue;
		case UPROBECTL_KIND_EXIT:
			exits = true;
			continue;
		case UPROBECTL_KIND_ENTRY:
			frame = true;
			break;
		}
		this_cpu_inc(*p->hits);
		upc_event_hit(p, regs);
	}
	/* An entry first: a function whose first instruction leaves it. */
	if (frame)
		ret = upc_ret_entry(um, site, vaddr, regs, hijack, true);
	if (exits)
		upc_site_exits(um, site, regs);
	return ret;
}

void upc_site_frame(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		    struct pt_regs *regs)
{
	bool frame, hijack;

	rcu_read_lock();
	upc_site_wants(site, &frame, &hijack);
	rcu_read_unlock();
	if (hijack && upc_ret_make_tramp(um, vaddr)) {
		pr_warn_ratelimited("pid %d: no room for the return probes' trampoline: return of 0x%lx not followed\n",
				    task_tgid_nr(current), vaddr);
		hijack = false;
	}
	if (frame && upc_ret_prepare())
		return;
	/*
	 * The return address is written without faults (RCU held): a stack
	 * page a fork made copy-on-write gets its own copy first.
	 */
	if (hijack)
		fault_in_safe_writeable((const char __user *)regs->sp, sizeof(long));
	rcu_read_lock();
	if (frame)
		upc_ret_entry(um, site, vaddr, regs, hijack, false);
	rcu_read_unlock();
}

void upc_site_ret_hit(struct upc_site *site, struct pt_regs *regs,
		      const struct upc_retinfo *ri)
{
	struct pid *tgid = NULL;
	struct upc_probe *p;

	list_for_each_entry_rcu(p, &site->probes, site_node) {
		if (p->kind != UPROBECTL_KIND_RETURN || !upc_probe_applies(p, &tgid))
			continue;
		this_cpu_inc(*p->hits);
		upc_event_hit_ret(p, regs, ri);
	}
}
