/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Function calls followed per thread, for exit and return probes: a frame
 * per call entered (its stack pointer at entry, its entry time and, for
 * return probes, the return address that the trampoline replaced).
 */
#ifndef _UPC_RET_H
#define _UPC_RET_H

#include <linux/types.h>

struct upc_mm;
struct upc_site;
struct pt_regs;
struct task_struct;

/*
 * Trap path (or the thread's own task context), RCU read side held: a hit
 * on @site, a function's entry at @vaddr. Keep a frame for this call, and
 * with @hijack put the trampoline in place of the return address. Returns
 * -EAGAIN if @hijack needs the trampoline made first (upc_ret_make_tramp())
 * or the thread has no frame stack yet (upc_ret_prepare()), or, with
 * @defer, if the return address could not be written without a fault (a
 * fork made the stack copy-on-write): then call again from task context,
 * without @defer; else 0.
 */
int upc_ret_entry(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		  struct pt_regs *regs, bool hijack, bool defer);

/* Task context, a thread of @um: make its trampoline. 0 or an errno. */
int upc_ret_make_tramp(struct upc_mm *um, unsigned long near);
/*
 * Task context: make the current thread's frame stack, which
 * upc_ret_entry() does not make (-EAGAIN until then).
 */
int upc_ret_prepare(void);

/*
 * Trap path, at an exit probe: the time since the entry at @head of the
 * call that leaves now (same thread, same stack pointer), if one was seen.
 */
bool upc_ret_latency(const struct upc_site *head, const struct pt_regs *regs,
		     u64 now, u64 *lat);
/* Trap path, after the exit probes of a hit: forget the calls that left. */
void upc_ret_exit_done(struct upc_mm *um, const struct pt_regs *regs);

/* Trap path: an int3 at @um's trampoline. A notifier verdict. */
int upc_ret_trampoline(struct upc_mm *um, struct pt_regs *regs);

/* A fork child without state (task context, in the child). */
void upc_ret_child_abandon(unsigned long tramp);
/* Hooks: a task made by fork (atomic), a task exiting or exec'ing. */
void upc_ret_fork(struct task_struct *child, unsigned long clone_flags);
void upc_ret_task_exit(struct task_struct *t);

struct upc_ret_stats {
	u64 frames;		/* calls followed now */
	u64 missed;		/* calls not followed since load (logged at unload) */
	u64 tasks;		/* threads with a frame stack */
};

void upc_ret_stats(struct upc_ret_stats *st);

/*
 * Module exit, once no breakpoint is left: every return address replaced
 * and still on a stack is put back, by each thread itself (a task work
 * that interrupts what it is doing and restarts it), before the trap
 * handler goes.
 */
void upc_ret_unload(void);
/* After the trap handler and the hooks are gone: free what is left. */
void upc_ret_exit(void);

#endif /* _UPC_RET_H */
