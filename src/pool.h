/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Memory for code that runs where the kernel may neither allocate nor
 * free: the die notifier (interrupts off) and the ftrace hooks (preemption
 * off). On PREEMPT_RT the slab allocator takes sleeping locks, so even
 * GFP_ATOMIC is not allowed there. A pool holds objects of one size made
 * ahead in process context; atomic code takes one, or finds none and
 * takes the failure path it has for a failed allocation, and gives
 * objects back (to the pool, never to the allocator). A work item tops
 * the pool up and trims it.
 */
#ifndef _UPC_POOL_H
#define _UPC_POOL_H

#include <linux/gfp.h>
#include <linux/types.h>

/* Deferred works (task_work callbacks) and other small records. */
#define UPC_POOL_SMALL_SIZE	128
/* A child's call frames, a deferred event's copy, a fork's semaphores. */
#define UPC_POOL_LARGE_SIZE	4096

/*
 * By purpose, so that no user can empty another's: the trap path and the
 * mmap hooks (small, large), and following fork (fork_small, fork_large),
 * which must not fail for want of what a busy trap path holds.
 */
struct upc_pool;
extern struct upc_pool upc_pool_small, upc_pool_large;
extern struct upc_pool upc_pool_fork_small, upc_pool_fork_large;

/* Any context: an object of the pool's size, or NULL. */
void *upc_pool_get(struct upc_pool *pool);
/* Process context: the pool's or a new one (@gfp), or NULL. */
void *upc_pool_alloc(struct upc_pool *pool, gfp_t gfp);
/* Any context: give back an object of @pool's (NULL is ignored). */
void upc_pool_put(struct upc_pool *pool, void *obj);

int upc_pool_init(void);
/* After every user is gone: frees the pools, reports objects not given back. */
void upc_pool_exit(void);

#endif /* _UPC_POOL_H */
