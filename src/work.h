/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Deferred work that runs in a task's own context on its way back to user
 * mode (task_work). Queued callbacks run module code, and task_work_cancel
 * is not exported, so module exit waits for every queued callback to run:
 * each is counted when queued and signals its end with upc_twork_done() as
 * its very last call. Module text may still run after it (the callback's
 * epilogue): module exit waits for an RCU Tasks grace period after the
 * drain, which ends only once every such task has left that code.
 */
#ifndef _UPC_WORK_H
#define _UPC_WORK_H

#include <linux/semaphore.h>
#include <linux/task_work.h>

extern struct semaphore upc_twork_sem;

int upc_twork_add(struct task_struct *task, struct callback_head *cb,
		  task_work_func_t fn);
/* Wait until every queued callback has run (module exit). */
/*
 * The same, run soon even if @task is asleep in a system call: the call is
 * interrupted and restarted, as for a signal without a handler.
 */
int upc_twork_add_signal(struct task_struct *task, struct callback_head *cb,
			 task_work_func_t fn);
void upc_twork_drain(void);
/* Queued callbacks not yet run, for the accounting file. */
int upc_twork_pending(void);

static inline void upc_twork_done(void)
{
	up(&upc_twork_sem);
}

#endif /* _UPC_WORK_H */
