// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Hit events. Each subscribed file has a ring of fixed-size records. The
 * trap path walks the subscriptions under RCU, and for each that wants
 * the hit takes that ring's spinlock just long enough to copy one record
 * in; a full ring counts the hit as lost instead of waiting. read()
 * copies records out in chunks and reports losses in the stream, at the
 * point where the first of them happened.
 */

#include <linux/mutex.h>
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
#include "probe.h"
#include "scope.h"

#define UPC_RING_DEFAULT	(4UL << 20)
#define UPC_RING_MAX		(256UL << 20)
#define UPC_RING_MIN_RECS	64
/* Records copied out per lock hold in read(). */
#define UPC_READ_BATCH		32

DEFINE_STATIC_KEY_FALSE(upc_events_on);

struct upc_sub {
	struct list_head node;		/* upc_subs; upc_subs_mutex, RCU readers */
	/*
	 * Protects the ring, head, tail and the counters below. Taken by the
	 * trap path (process context, user int3) and read(); never from
	 * interrupts.
	 */
	spinlock_t lock;
	wait_queue_head_t wait;
	struct uprobectl_event *ring;	/* mask + 1 records */
	u64 mask;
	u64 head, tail;			/* records written and read, free-running */
	u64 lost_pending;		/* lost and not yet reported */
	u64 lost_at;			/* head when the first of them was lost */
	u64 delivered, lost;		/* totals */
	u32 flags;			/* UPROBECTL_SUB_* */
	struct pid *tgid;		/* with UPROBECTL_SUB_PID, held */
	u32 nids;
	u64 ids[];			/* with UPROBECTL_SUB_IDS, sorted */
};

/* Membership of upc_subs; the trap path reads the list under RCU. */
static DEFINE_MUTEX(upc_subs_mutex);
static LIST_HEAD(upc_subs);
static int upc_nsubs;

static bool upc_sub_wants(const struct upc_sub *sub, const struct upc_probe *p)
{
	if ((sub->flags & UPROBECTL_SUB_PID) && task_tgid(current) != sub->tgid)
		return false;
	if (sub->flags & UPROBECTL_SUB_IDS) {
		u32 lo = 0, hi = sub->nids;

		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			if (sub->ids[mid] == p->id)
				return true;
			if (sub->ids[mid] < p->id)
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
	ev->hdr.size = sizeof(*ev);
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

void upc_event_emit(const struct upc_probe *p, struct pt_regs *regs)
{
	struct uprobectl_event ev;
	struct upc_sub *sub;
	bool filled = false;

	list_for_each_entry_rcu(sub, &upc_subs, node) {
		if (!upc_sub_wants(sub, p))
			continue;
		if (!filled) {
			upc_event_fill(&ev, p, regs);
			filled = true;
		}
		spin_lock(&sub->lock);
		if (sub->head - sub->tail > sub->mask) {
			if (!sub->lost_pending)
				sub->lost_at = sub->head;
			sub->lost_pending++;
			sub->lost++;
		} else {
			sub->ring[sub->head & sub->mask] = ev;
			sub->head++;
			sub->delivered++;
		}
		spin_unlock(&sub->lock);
		if (wq_has_sleeper(&sub->wait))
			wake_up_interruptible(&sub->wait);
	}
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
	u64 nrec;
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
	nrec = max_t(u64, bytes / sizeof(struct uprobectl_event), UPC_RING_MIN_RECS);
	nrec = rounddown_pow_of_two(nrec);

	sub = kvzalloc(struct_size(sub, ids, nids), GFP_KERNEL);
	if (!sub)
		return -ENOMEM;
	spin_lock_init(&sub->lock);
	init_waitqueue_head(&sub->wait);
	sub->flags = req->flags;
	sub->mask = nrec - 1;
	sub->nids = nids;
	ret = -EFAULT;
	if (nids && copy_from_user(sub->ids, u64_to_user_ptr(req->ids),
				   nids * sizeof(u64)))
		goto err;
	sort(sub->ids, nids, sizeof(u64), upc_cmp_u64, NULL);
	if (req->flags & UPROBECTL_SUB_PID) {
		sub->tgid = req->pid > 0 ? upc_find_tgid(req->pid) : NULL;
		ret = -ESRCH;
		if (!sub->tgid)
			goto err;
	}
	ret = -ENOMEM;
	sub->ring = vzalloc(nrec * sizeof(struct uprobectl_event));
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

/* Up to UPC_READ_BATCH records into @buf (@room bytes); returns bytes. */
static size_t upc_sub_take(struct upc_sub *sub, u8 *buf, size_t room)
{
	size_t n = 0;
	int recs = 0;

	spin_lock(&sub->lock);
	while (recs < UPC_READ_BATCH && n + sizeof(struct uprobectl_event) <= room) {
		if (sub->lost_pending && sub->tail == sub->lost_at) {
			struct uprobectl_event_lost lost = {
				.hdr.size = sizeof(lost),
				.hdr.type = UPROBECTL_EVENT_LOST,
				.hdr.cpu = raw_smp_processor_id(),
				.hdr.time_ns = ktime_get_ns(),
				.lost = sub->lost_pending,
			};

			memcpy(buf + n, &lost, sizeof(lost));
			n += sizeof(lost);
			sub->lost_pending = 0;
		} else if (sub->tail != sub->head) {
			memcpy(buf + n, &sub->ring[sub->tail & sub->mask],
			       sizeof(struct uprobectl_event));
			n += sizeof(struct uprobectl_event);
			sub->tail++;
		} else {
			break;
		}
		recs++;
	}
	spin_unlock(&sub->lock);
	return n;
}

ssize_t upc_event_read(struct upc_sub *sub, char __user *buf, size_t len,
		       bool nonblock)
{
	const size_t chunk = UPC_READ_BATCH * sizeof(struct uprobectl_event);
	size_t done = 0, n;
	u8 *bounce;
	int ret;

	if (len < sizeof(struct uprobectl_event))
		return -EINVAL;
	bounce = kmalloc(chunk, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	for (;;) {
		n = upc_sub_take(sub, bounce, min(chunk, len - done));
		if (n) {
			/* Taken from the ring already: a bad buffer loses them. */
			if (copy_to_user(buf + done, bounce, n)) {
				ret = -EFAULT;
				break;
			}
			done += n;
			cond_resched();
			continue;
		}
		if (done)
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
	spin_lock(&sub->lock);
	st->delivered = sub->delivered;
	st->lost = sub->lost;
	st->queued = sub->head - sub->tail;
	spin_unlock(&sub->lock);
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
	/* The trap path may be writing into it. */
	synchronize_rcu();
	vfree(sub->ring);
	put_pid(sub->tgid);
	kvfree(sub);
}

int upc_event_count(void)
{
	return READ_ONCE(upc_nsubs);
}
