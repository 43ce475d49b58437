// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Accounting of queued task_work callbacks (see work.h). The number still
 * to run is upc_twork_queued minus the count of upc_twork_sem; queuing
 * reclaims finished ones so the semaphore's count stays small.
 */

#include <linux/atomic.h>
#include <linux/sched.h>

#include "work.h"

struct semaphore upc_twork_sem = __SEMAPHORE_INITIALIZER(upc_twork_sem, 0);
static atomic_t upc_twork_queued = ATOMIC_INIT(0);

static int upc_twork_queue(struct task_struct *task, struct callback_head *cb,
			   task_work_func_t fn, enum task_work_notify_mode notify)
{
	if (!down_trylock(&upc_twork_sem))
		atomic_dec(&upc_twork_queued);
	atomic_inc(&upc_twork_queued);
	init_task_work(cb, fn);
	if (task_work_add(task, cb, notify)) {
		atomic_dec(&upc_twork_queued);
		return -ESRCH;
	}
	return 0;
}

int upc_twork_add(struct task_struct *task, struct callback_head *cb,
		  task_work_func_t fn)
{
	return upc_twork_queue(task, cb, fn, TWA_RESUME);
}

int upc_twork_add_signal(struct task_struct *task, struct callback_head *cb,
			 task_work_func_t fn)
{
	return upc_twork_queue(task, cb, fn, TWA_SIGNAL);
}

int upc_twork_pending(void)
{
	return atomic_read(&upc_twork_queued) - (int)READ_ONCE(upc_twork_sem.count);
}

void upc_twork_drain(void)
{
	int n = atomic_read(&upc_twork_queued);

	while (n-- > 0)
		down(&upc_twork_sem);
	atomic_set(&upc_twork_queued, 0);
}
