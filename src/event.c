// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Hit events. Each subscribed file has a byte ring of records, each
 * 8-byte aligned in size (a hit without fetch arguments is 112 bytes, one
 * with them carries their values and strings). The trap path fills the
 * record once, then walks the subscriptions under RCU, and for each that
 * wants the hit takes that ring's spinlock just long enough to copy the
 * record in; a full ring counts the hit as lost instead of waiting.
 * read() copies records out in chunks and reports losses in the stream,
 * at the point where the first of them happened.
 */

#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "event.h"
#include "fault.h"
#include "fetch.h"
#include "pool.h"
#include "probe.h"
#include "scope.h"
#include "work.h"

#define UPC_RING_DEFAULT	(4UL << 20)
#define UPC_RING_MAX		(256UL << 20)
#define UPC_RING_MIN		(8UL << 10)
/* Bytes copied out per lock hold in read(). */
#define UPC_READ_CHUNK		(16UL << 10)

/* Where a hit with fetch arguments is assembled (preemption off). */
struct upc_evbuf {
	u8 rec[UPROBECTL_EVENT_MAX] __aligned(8);
};
static DEFINE_PER_CPU(struct upc_evbuf, upc_evbufs);

DEFINE_STATIC_KEY_FALSE(upc_events_on);

struct upc_sub {
	struct list_head node;		/* upc_subs; upc_subs_mutex, RCU readers */
	/*
	 * Protects the ring, head, tail and the counters below. Taken by the
	 * trap path (the die notifier: interrupts off), by deferred events
	 * (task context) and by read() and stats (process context); held for
	 * one record's copy, or one chunk of read(), never around a user copy.
	 * A raw lock: it spins on PREEMPT_RT too.
	 */
	raw_spinlock_t lock;
	wait_queue_head_t wait;
	/* Wakes readers from outside the trap path (wake_up() may sleep on RT). */
	struct irq_work wake;
	u8 *ring;			/* mask + 1 bytes */
	u64 mask;
	u64 head, tail;			/* bytes written and read, free-running */
	u64 lost_pending;		/* lost and not yet reported */
	u64 lost_at;			/* head when the first of them was lost */
	u64 delivered, lost;		/* totals */
	u64 queued;			/* records in the ring */
	u32 flags;			/* UPROBECTL_SUB_* */
	struct pid *tgid;		/* with UPROBECTL_SUB_PID, held */
	u32 nids;
	u64 ids[];			/* with UPROBECTL_SUB_IDS, sorted */
};

/* Membership of upc_subs; the trap path reads the list under RCU. */
static DEFINE_MUTEX(upc_subs_mutex);
static LIST_HEAD(upc_subs);
static int upc_nsubs;

static bool upc_sub_wants(const struct upc_sub *sub, u64 id)
{
	if ((sub->flags & UPROBECTL_SUB_PID) && task_tgid(current) != sub->tgid)
		return false;
	if (sub->flags & UPROBECTL_SUB_IDS) {
		u32 lo = 0, hi = sub->nids;

		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			if (sub->ids[mid] == id)
				return true;
			if (sub->ids[mid] < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		return false;
	}
	return true;
}

static void upc_event_fill(struct uprobectl_event *ev, const struct upc_probe *p,
			   struct pt_regs *regs)
{
	ev->hdr.type = UPROBECTL_EVENT_HIT;
	ev->hdr.cpu = raw_smp_processor_id();
	ev->hdr.time_ns = ktime_get_ns();
	ev->pid = task_tgid_nr(current);
	ev->tid = task_pid_nr(current);
	ev->id = p->id;
	ev->cookie = p->cookie;
	ev->ip = regs->ip;
	ev->args[0] = regs->di;
	ev->args[1] = regs->si;
	ev->args[2] = regs->dx;
	ev->args[3] = regs->cx;
	ev->args[4] = regs->r8;
	ev->args[5] = regs->r9;
	/* Our own thread's name: no lock needed to read it. */
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = 0;
}

/* Copy @size bytes between the ring at byte @pos and @buf, wrapping. */
static void upc_ring_put(struct upc_sub *sub, u64 pos, const void *buf, size_t size)
{
	size_t off = pos & sub->mask, first = min_t(size_t, size, sub->mask + 1 - off);

	memcpy(sub->ring + off, buf, first);
	memcpy(sub->ring, buf + first, size - first);
}

static void upc_ring_get(struct upc_sub *sub, u64 pos, void *buf, size_t size)
{
	size_t off = pos & sub->mask, first = min_t(size_t, size, sub->mask + 1 - off);

	memcpy(buf, sub->ring + off, first);
	memcpy(buf + first, sub->ring, size - first);
}

static void upc_event_push(struct upc_sub *sub, const void *rec, size_t size)
{
	raw_spin_lock(&sub->lock);
	if (sub->head - sub->tail + size > sub->mask + 1) {
		if (!sub->lost_pending)
			sub->lost_at = sub->head;
		sub->lost_pending++;
		sub->lost++;
	} else {
		upc_ring_put(sub, sub->head, rec, size);
		sub->head += size;
		sub->delivered++;
		sub->queued++;
	}
	raw_spin_unlock(&sub->lock);
	if (wq_has_sleeper(&sub->wait))
		irq_work_queue(&sub->wake);
}

static void upc_sub_wake(struct irq_work *work)
{
	struct upc_sub *sub = container_of(work, struct upc_sub, wake);

	wake_up_interruptible(&sub->wait);
}

/* Into every subscription that wants it (RCU read side held). */
static void upc_event_push_all(const struct uprobectl_event *ev)
{
	struct upc_sub *sub;

	list_for_each_entry_rcu(sub, &upc_subs, node)
		if (upc_sub_wants(sub, ev->id))
			upc_event_push(sub, ev, ev->hdr.size);
}

/* The fixed part of a record: the hit, and for an exit or return its ret part. */
struct upc_evhead {
	struct uprobectl_event ev;
	struct uprobectl_event_ret ret;
};

/*
 * A hit whose arguments could not all be read with page faults disabled:
 * read them again in the task's own context, before it returns to user
 * mode (the instruction has not run yet, unless emulated: an emulated
 * instruction only writes registers, kept here as they were, or the
 * stack below the stack pointer).
 */
struct upc_evdefer {
	struct callback_head cb;
	struct pt_regs regs;
	struct upc_evhead head;		/* header and identity, as at the hit */
	u32 head_len;
	bool has_retval;
	u8 fetch[] __aligned(8);	/* a struct upc_fetch copied: the probe may go */
};
static_assert(sizeof(struct upc_evdefer) + sizeof(struct upc_fetch) +
	      UPROBECTL_FETCH_MAX * sizeof(struct uprobectl_fetch) <= UPC_POOL_LARGE_SIZE);

static void upc_evdefer_fn(struct callback_head *cb)
{
	struct upc_evdefer *d = container_of(cb, struct upc_evdefer, cb);
	bool faulted = false;
	u8 *rec;

	rec = UPC_FAULT(event_rec) ? NULL : kmalloc(UPROBECTL_EVENT_MAX, GFP_KERNEL);
	if (rec) {
		struct uprobectl_event *ev = (void *)rec;

		memcpy(rec, &d->head, d->head_len);
		ev->hdr.size = upc_fetch_record((struct upc_fetch *)d->fetch, &d->regs,
						d->has_retval, rec, d->head_len, true,
						&faulted);
		rcu_read_lock();
		upc_event_push_all(ev);
		rcu_read_unlock();
		kfree(rec);
	}
	upc_pool_put(&upc_pool_large, d);
	upc_twork_done();
}

static bool upc_event_defer(const struct upc_probe *p, const struct pt_regs *regs,
			    const void *head, u32 head_len, bool has_retval)
{
	size_t fsize = upc_fetch_size(p->fetch);
	struct upc_evdefer *d;

	d = upc_pool_get(&upc_pool_large);
	if (!d)
		return false;
	d->regs = *regs;
	memcpy(&d->head, head, head_len);
	d->head_len = head_len;
	d->has_retval = has_retval;
	memcpy(d->fetch, p->fetch, fsize);
	if (upc_twork_add(current, &d->cb, upc_evdefer_fn)) {
		upc_pool_put(&upc_pool_large, d);
		return false;
	}
	return true;
}

/* Record a hit of @p; @ri for an exit or a return, else NULL. */
static void upc_event_make(const struct upc_probe *p, struct pt_regs *regs,
			   const struct upc_retinfo *ri)
{
	bool has_retval = ri && (ri->flags & UPROBECTL_RET_RETVAL);
	struct upc_evhead stack_head;
	struct uprobectl_event *ev;
	struct upc_evbuf *buf = NULL;
	struct upc_sub *sub;
	bool faulted = false;
	u32 len = sizeof(*ev);

	/* Only if someone wants it: then the record is made once. */
	list_for_each_entry_rcu(sub, &upc_subs, node)
		if (upc_sub_wants(sub, p->id))
			break;
	if (list_entry_is_head(sub, &upc_subs, node))
		return;
	if (p->fetch) {
		buf = get_cpu_ptr(&upc_evbufs);
		ev = (void *)buf->rec;
	} else {
		ev = &stack_head.ev;
	}
	/* Readers get every byte of it: none left from an earlier record. */
	memset(ev, 0, sizeof(struct upc_evhead));
	upc_event_fill(ev, p, regs);
	if (ri) {
		struct uprobectl_event_ret *r = (void *)(ev + 1);

		ev->hdr.type = UPROBECTL_EVENT_RETURN;
		ev->ip = ri->ip;
		r->retval = ri->retval;
		r->latency_ns = ri->latency;
		r->ret_ip = ri->ret_ip;
		r->flags = ri->flags;
		r->pad = 0;
		len += sizeof(*r);
	}
	ev->hdr.size = len;
	if (p->fetch) {
		ev->hdr.size = upc_fetch_record(p->fetch, regs, has_retval, (u8 *)ev, len,
						false, &faulted);
		if (faulted && upc_event_defer(p, regs, ev, len, has_retval))
			goto out;
	}
	upc_event_push_all(ev);
out:
	if (buf)
		put_cpu_ptr(&upc_evbufs);
}

void upc_event_emit(const struct upc_probe *p, struct pt_regs *regs)
{
	upc_event_make(p, regs, NULL);
}

void upc_event_emit_ret(const struct upc_probe *p, struct pt_regs *regs,
			const struct upc_retinfo *ri)
{
	upc_event_make(p, regs, ri);
}

static int upc_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

long upc_event_subscribe(struct upc_sub **slot, struct uprobectl_subscribe *req)
{
	u64 bytes = req->ring_size ?: UPC_RING_DEFAULT;
	u32 nids = 0;
	struct upc_sub *sub;
	long ret;

	if (req->flags & ~(UPROBECTL_SUB_IDS | UPROBECTL_SUB_PID))
		return -EINVAL;
	if (req->flags & UPROBECTL_SUB_IDS) {
		if (!req->count || req->count > UPROBECTL_SUB_MAX_IDS)
			return -EINVAL;
		nids = req->count;
	}
	if (bytes > UPC_RING_MAX)
		return -EINVAL;
	bytes = rounddown_pow_of_two(max_t(u64, bytes, UPC_RING_MIN));

	sub = UPC_FAULT(sub) ? NULL : kvzalloc(struct_size(sub, ids, nids), GFP_KERNEL);
	if (!sub)
		return -ENOMEM;
	raw_spin_lock_init(&sub->lock);
	init_waitqueue_head(&sub->wait);
	init_irq_work(&sub->wake, upc_sub_wake);
	sub->flags = req->flags;
	sub->mask = bytes - 1;
	sub->nids = nids;
	ret = -EFAULT;
	if (nids && (UPC_FAULT(sub_ids) || copy_from_user(sub->ids, u64_to_user_ptr(req->ids),
				   nids * sizeof(u64))))
		goto err;
	sort(sub->ids, nids, sizeof(u64), upc_cmp_u64, NULL);
	if (req->flags & UPROBECTL_SUB_PID) {
		sub->tgid = req->pid > 0 ? upc_find_tgid(req->pid) : NULL;
		ret = -ESRCH;
		if (!sub->tgid)
			goto err;
	}
	ret = -ENOMEM;
	if (!UPC_FAULT(ring))
		sub->ring = __vmalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!sub->ring)
		goto err;

	mutex_lock(&upc_subs_mutex);
	if (*slot) {
		mutex_unlock(&upc_subs_mutex);
		ret = -EBUSY;
		goto err;
	}
	list_add_tail_rcu(&sub->node, &upc_subs);
	upc_nsubs++;
	/* Fully made before read() and poll() can see it. */
	smp_store_release(slot, sub);
	static_branch_inc(&upc_events_on);
	mutex_unlock(&upc_subs_mutex);
	return 0;

err:
	vfree(sub->ring);
	put_pid(sub->tgid);
	kvfree(sub);
	return ret;
}

static bool upc_sub_ready(struct upc_sub *sub)
{
	return READ_ONCE(sub->head) != READ_ONCE(sub->tail) ||
	       READ_ONCE(sub->lost_pending);
}

/* Whole records into @buf (@room bytes); returns bytes, or -EINVAL. */
static long upc_sub_take(struct upc_sub *sub, u8 *buf, size_t room)
{
	long n = 0;
	u16 size;

	raw_spin_lock(&sub->lock);
	for (;;) {
		if (sub->lost_pending && sub->tail == sub->lost_at) {
			struct uprobectl_event_lost lost = {
				.hdr.size = sizeof(lost),
				.hdr.type = UPROBECTL_EVENT_LOST,
				.hdr.cpu = raw_smp_processor_id(),
				.hdr.time_ns = ktime_get_ns(),
				.lost = sub->lost_pending,
			};

			if (n + sizeof(lost) > room)
				break;
			memcpy(buf + n, &lost, sizeof(lost));
			n += sizeof(lost);
			sub->lost_pending = 0;
		} else if (sub->tail != sub->head) {
			/* Records are 8-aligned: the size never wraps. */
			size = *(u16 *)(sub->ring + (sub->tail & sub->mask));
			if (n + size > room) {
				if (!n)
					n = -EINVAL;
				break;
			}
			upc_ring_get(sub, sub->tail, buf + n, size);
			n += size;
			sub->tail += size;
			sub->queued--;
		} else {
			break;
		}
	}
	raw_spin_unlock(&sub->lock);
	return n;
}

ssize_t upc_event_read(struct upc_sub *sub, char __user *buf, size_t len,
		       bool nonblock)
{
	size_t done = 0;
	u8 *bounce;
	long n;
	int ret;

	if (len < sizeof(struct uprobectl_event_lost))
		return -EINVAL;
	bounce = UPC_FAULT(read_bounce) ? NULL : kmalloc(UPC_READ_CHUNK, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	for (;;) {
		n = upc_sub_take(sub, bounce, min(UPC_READ_CHUNK, len - done));
		if (n > 0) {
			/* Taken from the ring already: a bad buffer loses them. */
			if (UPC_FAULT(read_copy) || copy_to_user(buf + done, bounce, n)) {
				ret = -EFAULT;
				break;
			}
			done += n;
			cond_resched();
			continue;
		}
		ret = n;
		if (done || n < 0)
			break;
		ret = -EAGAIN;
		if (nonblock)
			break;
		ret = wait_event_interruptible(sub->wait, upc_sub_ready(sub));
		if (ret)
			break;
	}
	kfree(bounce);
	return done ?: ret;
}

__poll_t upc_event_poll(struct upc_sub *sub, struct file *file, poll_table *pt)
{
	poll_wait(file, &sub->wait, pt);
	return upc_sub_ready(sub) ? EPOLLIN | EPOLLRDNORM : 0;
}

void upc_event_stats(struct upc_sub *sub, struct uprobectl_event_stats *st)
{
	raw_spin_lock(&sub->lock);
	st->delivered = sub->delivered;
	st->lost = sub->lost;
	st->queued = sub->queued;
	raw_spin_unlock(&sub->lock);
}

void upc_event_release(struct upc_sub *sub)
{
	if (!sub)
		return;
	mutex_lock(&upc_subs_mutex);
	list_del_rcu(&sub->node);
	upc_nsubs--;
	static_branch_dec(&upc_events_on);
	mutex_unlock(&upc_subs_mutex);
	/* The trap path may be writing into it, and waking its readers. */
	synchronize_rcu();
	irq_work_sync(&sub->wake);
	vfree(sub->ring);
	put_pid(sub->tgid);
	kvfree(sub);
}

int upc_event_count(void)
{
	return READ_ONCE(upc_nsubs);
}
