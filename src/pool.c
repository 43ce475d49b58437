// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Object pools for atomic contexts (see pool.h). Free objects sit on a
 * lock-free list: giving back is llist_add() from any context; taking is
 * llist_del_first(), which needs its takers serialised, by a raw spinlock
 * (it stays a spinning lock on PREEMPT_RT) held for that one step.
 */

#include <linux/atomic.h>
#include <linux/llist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "pool.h"
#include "fault.h"

struct upc_pool {
	const char *name;
	size_t size;
	int want;			/* objects kept ready */
	/*
	 * Serialises takers of @free (llist_del_first). Taken in any
	 * context, interrupts saved; held for one list step, nothing nests.
	 */
	raw_spinlock_t lock;
	struct llist_head free;
	atomic_t nfree;
	atomic_t total;			/* made by or given to the pool, not freed */
	atomic_t misses;		/* takes that found none */
	bool closing;
	struct work_struct work;	/* tops up and trims */
};

static void upc_pool_work(struct work_struct *work);

#define UPC_POOL(_name, _size, _want) {					\
	.name = #_name,							\
	.size = _size,							\
	.want = _want,							\
	.lock = __RAW_SPIN_LOCK_UNLOCKED(upc_pool_##_name.lock),	\
	.free = LLIST_HEAD_INIT(upc_pool_##_name.free),			\
	.work = __WORK_INITIALIZER(upc_pool_##_name.work, upc_pool_work), \
}

struct upc_pool upc_pool_small = UPC_POOL(small, UPC_POOL_SMALL_SIZE, 256);
struct upc_pool upc_pool_large = UPC_POOL(large, UPC_POOL_LARGE_SIZE, 32);
/* Two objects a fork in flight (its copy, its child's work): 512 forks ahead. */
struct upc_pool upc_pool_fork_small = UPC_POOL(fork_small, UPC_POOL_SMALL_SIZE, 1024);
struct upc_pool upc_pool_fork_large = UPC_POOL(fork_large, UPC_POOL_LARGE_SIZE, 64);

/*
 * Unbound and high priority: a refill runs on any CPU, not behind a
 * thread spinning on an empty pool on its own.
 */
static struct workqueue_struct *upc_pool_wq;

static void *upc_pool_take(struct upc_pool *pool)
{
	struct llist_node *n;
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	n = llist_del_first(&pool->free);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (n)
		atomic_dec(&pool->nfree);
	return n;
}

static void upc_pool_kick(struct upc_pool *pool)
{
	/* queue_work() takes only raw locks: fine with interrupts off, on RT too. */
	if (!READ_ONCE(pool->closing))
		queue_work(upc_pool_wq, &pool->work);
}

void *upc_pool_get(struct upc_pool *pool)
{
	void *obj = upc_pool_take(pool);

	if (!obj)
		atomic_inc(&pool->misses);
	/* Early: the refill must not lag a burst. */
	if (atomic_read(&pool->nfree) < pool->want - pool->want / 4)
		upc_pool_kick(pool);
	return obj;
}

void *upc_pool_alloc(struct upc_pool *pool, gfp_t gfp)
{
	void *obj = upc_pool_take(pool);

	if (obj)
		return obj;
	obj = kmalloc(pool->size, gfp);
	if (obj)
		atomic_inc(&pool->total);
	return obj;
}

void upc_pool_put(struct upc_pool *pool, void *obj)
{
	if (!obj)
		return;
	llist_add(obj, &pool->free);
	if (atomic_inc_return(&pool->nfree) > 2 * pool->want)
		upc_pool_kick(pool);
}

static void upc_pool_work(struct work_struct *work)
{
	struct upc_pool *pool = container_of(work, struct upc_pool, work);
	void *obj;

	while (atomic_read(&pool->nfree) < pool->want) {
		obj = UPC_FAULT(pool_refill) ? NULL : kmalloc(pool->size, GFP_KERNEL);
		if (!obj)
			break;
		atomic_inc(&pool->total);
		llist_add(obj, &pool->free);
		atomic_inc(&pool->nfree);
	}
	while (atomic_read(&pool->nfree) > pool->want) {
		obj = upc_pool_take(pool);
		if (!obj)
			break;
		kfree(obj);
		atomic_dec(&pool->total);
	}
}

static struct upc_pool *upc_pools[] = {
	&upc_pool_small, &upc_pool_large, &upc_pool_fork_small, &upc_pool_fork_large,
};

static void upc_pool_drain(struct upc_pool *pool)
{
	void *obj;
	int misses;

	WRITE_ONCE(pool->closing, true);
	cancel_work_sync(&pool->work);
	while ((obj = upc_pool_take(pool))) {
		kfree(obj);
		atomic_dec(&pool->total);
	}
	if (atomic_read(&pool->total))
		pr_err("leak at unload: %d objects of the %s pool not given back\n",
		       atomic_read(&pool->total), pool->name);
	misses = atomic_read(&pool->misses);
	if (misses)
		pr_info("the %s pool was found empty %d times (work deferred or dropped)\n",
			pool->name, misses);
}

int upc_pool_init(void)
{
	int i;

	upc_pool_wq = alloc_workqueue("uprobectl_pool", WQ_UNBOUND | WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!upc_pool_wq)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(upc_pools); i++) {
		upc_pool_work(&upc_pools[i]->work);
		if (atomic_read(&upc_pools[i]->nfree) < upc_pools[i]->want) {
			while (i >= 0)
				upc_pool_drain(upc_pools[i--]);
			destroy_workqueue(upc_pool_wq);
			return -ENOMEM;
		}
	}
	return 0;
}

void upc_pool_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(upc_pools); i++)
		upc_pool_drain(upc_pools[i]);
	destroy_workqueue(upc_pool_wq);
}
