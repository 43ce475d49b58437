// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Calls followed per thread (see ret.h). Each thread that enters a function
 * with an entry or return probe gets a frame stack, found by its task in a
 * hash table. Frames are matched by the stack pointer at entry, which is
 * the return address's slot: a ret (or a jump out of the function) runs
 * with the stack pointer back there, and the trampoline is reached with it
 * just above. Frames below the stack pointer belong to calls that never
 * returned (longjmp, an exception, a thread's stack switched): they are
 * dropped when seen, so they never pile up.
 *
 * Ownership: a thread's frames are read and changed only by the thread
 * itself (its traps, its task works, its exit), by the parent at fork
 * before the child runs, and at unload after every thread has run its
 * restore (or has exited). So frames take no lock.
 */

#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/ptrace.h>

#include "compat/compat.h"
#include "fault.h"
#include "event.h"
#include "mm.h"
#include "pool.h"
#include "probe.h"
#include "ret.h"
#include "work.h"
#include "xol.h"

struct upc_frame {
	unsigned long sp;	/* at entry: where the return address is */
	unsigned long orig;	/* the return address replaced, or 0 */
	unsigned long vaddr;	/* the function's entry */
	u64 time;		/* of the entry, ktime_get_ns() */
	struct upc_site *site;	/* held */
};

/* Who frees an rtask whose restore work (unload) may be queued. */
enum {
	UPC_RESTORE_IDLE,	/* no work queued: the thread's exit frees it */
	UPC_RESTORE_QUEUED,	/* queued: the work frees it */
	UPC_RESTORE_ORPHAN,	/* queued, and the thread exited: the work frees it */
	UPC_RESTORE_DEAD,	/* being freed */
};

struct upc_rtask {
	struct hlist_node hnode;	/* upc_rtasks; upc_rtasks_lock, RCU readers */
	struct task_struct *task;	/* not held: gone from the table at exit */
	unsigned int n;			/* frames in use, f[n - 1] the newest */
	bool pooled;			/* from upc_pool_fork_large (a child's) */
	bool handled;			/* seen by the unload's walk (its only user) */
	atomic_t restore;		/* UPC_RESTORE_* */
	unsigned long tramp;		/* a child's: its parent's trampoline, for the restore */
	struct callback_head restore_work;	/* unload: in the thread */
	struct rcu_head rcu;
	struct upc_frame f[UPROBECTL_RET_DEPTH];
};
static_assert(sizeof(struct upc_rtask) <= UPC_POOL_LARGE_SIZE);

#define UPC_RTASK_BITS 10

/*
 * Protects changes to upc_rtasks (not the frames: see above). Taken in
 * task context and by the fork and task-exit hooks (preemption off): a
 * raw lock.
 */
static DEFINE_RAW_SPINLOCK(upc_rtasks_lock);
static DEFINE_HASHTABLE(upc_rtasks, UPC_RTASK_BITS);

static atomic64_t upc_frames = ATOMIC64_INIT(0);
static atomic64_t upc_frames_missed = ATOMIC64_INIT(0);
static atomic_t upc_nrtasks = ATOMIC_INIT(0);

/* Set at unload: no frame is made any more. */
static bool upc_ret_closing;

static atomic_t upc_restoring = ATOMIC_INIT(0);
static void upc_restore_fn(struct callback_head *cb);

static struct upc_rtask *upc_rtask_find(struct task_struct *t)
{
	struct upc_rtask *rt;

	hash_for_each_possible_rcu(upc_rtasks, rt, hnode, (unsigned long)t)
		if (rt->task == t)
			return rt;
	return NULL;
}

static void upc_rtask_init(struct upc_rtask *rt, struct task_struct *t, bool pooled)
{
	rt->task = t;
	rt->n = 0;
	rt->pooled = pooled;
	rt->handled = false;
	rt->tramp = 0;
	atomic_set(&rt->restore, UPC_RESTORE_IDLE);
}

/* Into the table, where others see it: filled in first. */
static void upc_rtask_publish(struct upc_rtask *rt)
{
	raw_spin_lock(&upc_rtasks_lock);
	hash_add_rcu(upc_rtasks, &rt->hnode, (unsigned long)rt->task);
	raw_spin_unlock(&upc_rtasks_lock);
	atomic_inc(&upc_nrtasks);
}

/* The frames of @t, in @rt (@pooled: a fork pool's object), or NULL. */
static struct upc_rtask *upc_rtask_add(struct task_struct *t, struct upc_rtask *rt,
				       bool pooled)
{
	if (!rt)
		return NULL;
	upc_rtask_init(rt, t, pooled);
	upc_rtask_publish(rt);
	return rt;
}

/* Forget the newest frame. */
static struct upc_frame upc_frame_pop(struct upc_rtask *rt)
{
	struct upc_frame f = rt->f[--rt->n];

	upc_site_put(f.site);
	atomic64_dec(&upc_frames);
	return f;
}

/*
 * Is the call of @f over, seen from the stack pointer @sp of its thread?
 * Below @sp on the same stack, it never returned. A signal handler on the
 * alternate stack (sigaltstack) runs wherever that stack is: the frames of
 * the code it interrupted, on the other stack, are alive meanwhile, and
 * frames left on the alternate stack are over once the thread is off it.
 */
static bool upc_frame_over(const struct upc_frame *f, unsigned long sp)
{
	bool f_alt = __on_sig_stack(f->sp), alt = __on_sig_stack(sp);

	if (f_alt != alt)
		return f_alt;
	return f->sp < sp;
}

/*
 * Is the call of @f gone? Over (above), and for a frame whose return
 * address was replaced, with the trampoline no longer in its slot: a slot
 * that still holds it (or cannot be read now) is a call whose stack the
 * thread left for another one (a coroutine, swapcontext) and may come
 * back to.
 */
static bool upc_frame_dead(const struct upc_frame *f, unsigned long sp, unsigned long tramp)
{
	unsigned long v;

	if (!upc_frame_over(f, sp))
		return false;
	return !f->orig || (!copy_from_user_nofault(&v, (void __user *)f->sp, sizeof(v)) &&
			    v != tramp);
}

/* Calls that are gone, seen from @sp, from the newest: forget them. */
static void upc_frames_drop_below(struct upc_rtask *rt, unsigned long sp, unsigned long tramp)
{
	while (rt->n && upc_frame_dead(&rt->f[rt->n - 1], sp, tramp))
		upc_frame_pop(rt);
}

/* Forget the frames at @sp (only those without a replaced address if !@all). */
static void upc_frames_remove_at(struct upc_rtask *rt, unsigned long sp, bool all)
{
	unsigned int i, keep;

	for (i = keep = 0; i < rt->n; i++) {
		if (rt->f[i].sp == sp && (all || !rt->f[i].orig)) {
			upc_site_put(rt->f[i].site);
			atomic64_dec(&upc_frames);
			continue;
		}
		rt->f[keep++] = rt->f[i];
	}
	rt->n = keep;
}

/* The newest frame at @sp with a replaced return address, or NULL. */
static struct upc_frame *upc_frame_hijacked_at(struct upc_rtask *rt, unsigned long sp)
{
	unsigned int i;

	for (i = rt->n; i-- > 0;)
		if (rt->f[i].sp == sp && rt->f[i].orig)
			return &rt->f[i];
	return NULL;
}

/*
 * Does @ret follow a call instruction, as a return address does? A direct
 * call (e8 rel32) ends there, or an indirect one (ff /2, with its ModRM,
 * SIB and displacement, 2 to 7 bytes, maybe after a REX prefix). A return
 * probe put on an instruction that is not a function's entry (by a raw
 * ioctl) then leaves the stack alone instead of overwriting data.
 */
static bool upc_after_call(unsigned long ret)
{
	static const u8 dlen[3] = { 0, 1, 4 };	/* displacement by mod */
	u8 b[8];
	int k;

	if (ret < sizeof(b) || copy_from_user_nofault(b, (void __user *)(ret - sizeof(b)),
						      sizeof(b)))
		return false;
	if (b[3] == 0xe8)
		return true;
	/* ff /2 of length k ends at ret: opcode at b[8 - k]. */
	for (k = 2; k <= 7; k++) {
		u8 modrm = b[8 - k + 1], mod = modrm >> 6, len = 2;

		if (b[8 - k] != 0xff || ((modrm >> 3) & 7) != 2)
			continue;
		if (mod != 3) {
			if ((modrm & 7) == 4) {
				if (k < 3)
					continue;	/* no room for its SIB */
				len++;
				if (mod == 0 && (b[8 - k + 2] & 7) == 5)
					len += 4;
			}
			if (mod == 0 && (modrm & 7) == 5)
				len += 4;
			else if (mod != 0)
				len += dlen[mod];
		}
		if (len == k)
			return true;
	}
	return false;
}

int upc_ret_entry(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		  struct pt_regs *regs, bool hijack, bool defer)
{
	unsigned long tramp = READ_ONCE(um->tramp), sp = regs->sp, ret = 0;
	struct upc_frame *f, *prev;
	struct upc_rtask *rt;
	bool chained = false;

	if (READ_ONCE(upc_ret_closing))
		return 0;
	/* A user shadow stack would not agree with the replaced address. */
	if (hijack && upc_user_shstk(current)) {
		atomic64_inc(&upc_frames_missed);
		hijack = false;
	}
	if (hijack && !tramp)
		return -EAGAIN;
	rt = upc_rtask_find(current);
	/* The thread's first: its frames are made in task context. */
	if (!rt)
		return -EAGAIN;
	if (tramp && !copy_from_user_nofault(&ret, (void __user *)sp, sizeof(ret)))
		chained = ret == tramp;
	else if (hijack)
		goto missed;
	upc_frames_drop_below(rt, sp, tramp);
	/*
	 * Frames at this very slot are calls that left it without our
	 * seeing it, unless the return address there is still our
	 * trampoline: then this function was entered by a jump from such a
	 * call (a tail call, which returns through it too) or from itself
	 * (a jump back to its own entry: the same call, nothing new).
	 */
	prev = chained ? upc_frame_hijacked_at(rt, sp) : NULL;
	if (prev && prev->site == site)
		return 0;
	if (!chained)
		upc_frames_remove_at(rt, sp, true);
	if (rt->n == UPROBECTL_RET_DEPTH || !upc_site_tryget(site))
		goto missed;
	f = &rt->f[rt->n];
	f->sp = sp;
	f->vaddr = vaddr;
	f->site = site;
	f->orig = 0;
	if (hijack && prev) {
		f->orig = prev->orig;
	} else if (hijack && !chained && upc_after_call(ret)) {
		bool written = !copy_to_user_nofault((void __user *)sp, &tramp, sizeof(tramp));

		/* Write-protected (fork): in task context, where it can fault. */
		if (!written && defer) {
			upc_site_put(site);
			return -EAGAIN;
		}
		if (written)
			f->orig = ret;
		else
			atomic64_inc(&upc_frames_missed);
	} else if (hijack) {
		atomic64_inc(&upc_frames_missed);
	}
	f->time = ktime_get_ns();
	rt->n++;
	atomic64_inc(&upc_frames);
	return 0;
missed:
	atomic64_inc(&upc_frames_missed);
	return 0;
}

int upc_ret_prepare(void)
{
	struct upc_rtask *rt;

	rcu_read_lock();
	rt = upc_rtask_find(current);
	rcu_read_unlock();
	if (rt || READ_ONCE(upc_ret_closing))
		return 0;
	/* Charged to the thread's memory cgroup: it lives as long as the thread. */
	rt = UPC_FAULT(rtask) ? NULL : kmalloc(sizeof(*rt), GFP_KERNEL_ACCOUNT);
	if (!rt) {
		atomic64_inc(&upc_frames_missed);
		return -ENOMEM;
	}
	/*
	 * Added in the same RCU section as closing is read: unload sets it,
	 * then waits for a grace period before it counts the table.
	 */
	rcu_read_lock();
	if (READ_ONCE(upc_ret_closing))
		kfree(rt);
	else
		upc_rtask_add(current, rt, false);
	rcu_read_unlock();
	return 0;
}

int upc_ret_make_tramp(struct upc_mm *um, unsigned long near)
{
	long addr;

	mutex_lock(&um->lock);
	addr = um->tramp ? um->tramp : upc_xol_tramp(um, near);
	if (addr > 0)
		WRITE_ONCE(um->tramp, addr);
	mutex_unlock(&um->lock);
	return addr > 0 ? 0 : (int)addr;
}

bool upc_ret_latency(const struct upc_site *head, const struct pt_regs *regs,
		     u64 now, u64 *lat)
{
	struct upc_rtask *rt = upc_rtask_find(current);
	unsigned int i;

	if (!rt)
		return false;
	for (i = rt->n; i-- > 0;) {
		if (rt->f[i].sp == regs->sp && rt->f[i].site == head) {
			*lat = now - rt->f[i].time;
			return true;
		}
	}
	return false;
}

void upc_ret_exit_done(struct upc_mm *um, const struct pt_regs *regs)
{
	struct upc_rtask *rt = upc_rtask_find(current);

	if (!rt)
		return;
	upc_frames_drop_below(rt, regs->sp, READ_ONCE(um->tramp));
	/*
	 * The calls at this slot end here, but for those whose return
	 * address is the trampoline: the ret ahead goes there.
	 */
	upc_frames_remove_at(rt, regs->sp, false);
}

/*
 * The calls returning now through @slot: report those whose return
 * address was replaced (the newest first: a tail call's callee returned
 * before its caller) and forget them all. Their return address, or 0.
 */
static unsigned long upc_frames_return(struct upc_rtask *rt, unsigned long slot,
				       struct pt_regs *regs)
{
	unsigned long orig = 0;
	u64 now = ktime_get_ns();
	unsigned int i;

	for (i = rt->n; i-- > 0;) {
		struct upc_frame *f = &rt->f[i];
		struct upc_retinfo ri;

		if (f->sp != slot || !f->orig)
			continue;
		ri = (struct upc_retinfo) {
			.ip = f->vaddr,
			.retval = regs->ax,
			.latency = now - f->time,
			.ret_ip = f->orig,
			.flags = UPROBECTL_RET_RETVAL | UPROBECTL_RET_LATENCY,
		};
		orig = f->orig;
		regs->ip = orig;
		upc_site_ret_hit(f->site, regs, &ri);
	}
	upc_frames_remove_at(rt, slot, true);
	return orig;
}

int upc_ret_trampoline(struct upc_mm *um, struct pt_regs *regs)
{
	unsigned long slot = regs->sp - sizeof(long), orig = 0;
	struct upc_rtask *rt = upc_rtask_find(current);

	if (rt) {
		upc_frames_drop_below(rt, slot, READ_ONCE(um->tramp));
		orig = upc_frames_return(rt, slot, regs);
	}
	/*
	 * No record while the module is going: a return from a signal
	 * handler to where the thread was interrupted, at the trampoline;
	 * unload put the return address back in its slot, which a ret leaves
	 * as it was. (Otherwise, as with the kernel's uretprobes, there is
	 * nowhere to go: a ret $imm16, or a stack copied elsewhere.)
	 */
	if (!orig && READ_ONCE(upc_ret_closing)) {
		unsigned long v;

		/* (A failed read may have filled part of @v.) */
		if (!copy_from_user_nofault(&v, (void __user *)slot, sizeof(v)) &&
		    v != um->tramp)
			orig = v;
	}
	if (!orig) {
		pr_warn_ratelimited("pid %d: a return to the trampoline with no record of its call\n",
				    task_tgid_nr(current));
		return NOTIFY_DONE;
	}
	regs->ip = orig;
	return NOTIFY_STOP;
}

void upc_ret_fork(struct task_struct *child, unsigned long clone_flags)
{
	struct upc_rtask *rt, *crt;
	struct upc_mm *um;
	unsigned int i;
	bool closing;

	/* A thread, or a clone on a stack of its own: no frame of ours. */
	if ((clone_flags & CLONE_VM) && !(clone_flags & CLONE_VFORK))
		return;
	rcu_read_lock();
	rt = upc_rtask_find(current);
	if (!rt || !rt->n)
		goto out;
	/* The child's stack is a copy of ours: so are its calls. */
	crt = upc_pool_get(&upc_pool_fork_large);
	if (!crt) {
		pr_warn_ratelimited("pid %d: out of memory at fork: %u calls of the child not followed (it may get SIGTRAP at their return)\n",
				    task_tgid_nr(current), rt->n);
		atomic64_add(rt->n, &upc_frames_missed);
		goto out;
	}
	upc_rtask_init(crt, child, true);
	for (i = 0; i < rt->n; i++) {
		crt->f[i] = rt->f[i];
		upc_site_get(rt->f[i].site);
	}
	crt->n = rt->n;
	atomic64_add(rt->n, &upc_frames);
	/*
	 * The trampoline its stack holds is the parent's: an unload's restore
	 * may run before the child's fork follow-up made its state.
	 */
	um = upc_mm_lookup(current->mm);
	crt->tramp = um ? READ_ONCE(um->tramp) : 0;
	/*
	 * Unloading, past the walk that finds every thread's frames: the
	 * child puts its return addresses back before its first
	 * instruction. Decided before the child is in the table, so the
	 * walk cannot queue the same work too.
	 */
	closing = READ_ONCE(upc_ret_closing);
	if (closing) {
		crt->handled = true;
		atomic_set(&crt->restore, UPC_RESTORE_QUEUED);
	}
	upc_rtask_publish(crt);
	if (closing) {
		atomic_inc(&upc_restoring);
		if (upc_twork_add(child, &crt->restore_work, upc_restore_fn)) {
			atomic_dec(&upc_restoring);
			atomic_set(&crt->restore, UPC_RESTORE_IDLE);
		}
	}
out:
	rcu_read_unlock();
}

static void upc_rtask_free_rcu(struct rcu_head *rcu)
{
	struct upc_rtask *rt = container_of(rcu, struct upc_rtask, rcu);

	/* RCU callbacks run where freeing is allowed, on RT too. */
	if (rt->pooled)
		upc_pool_put(&upc_pool_fork_large, rt);
	else
		kfree(rt);
}

/* Unhash and free @rt and its frames; the caller owns it. */
static void upc_rtask_free(struct upc_rtask *rt)
{
	while (rt->n)
		upc_frame_pop(rt);
	raw_spin_lock(&upc_rtasks_lock);
	hash_del_rcu(&rt->hnode);
	raw_spin_unlock(&upc_rtasks_lock);
	atomic_dec(&upc_nrtasks);
	call_rcu(&rt->rcu, upc_rtask_free_rcu);
}

void upc_ret_task_exit(struct task_struct *t)
{
	struct upc_rtask *rt;

	rcu_read_lock();
	rt = upc_rtask_find(t);
	/* With the unload's work queued, that work frees it (it runs at exit). */
	while (rt) {
		int old = atomic_read(&rt->restore);

		if (old == UPC_RESTORE_IDLE) {
			if (atomic_cmpxchg(&rt->restore, old, UPC_RESTORE_DEAD) != old)
				continue;
			upc_rtask_free(rt);
		} else if (old == UPC_RESTORE_QUEUED) {
			if (atomic_cmpxchg(&rt->restore, old, UPC_RESTORE_ORPHAN) != old)
				continue;
		}
		break;
	}
	rcu_read_unlock();
}

void upc_ret_stats(struct upc_ret_stats *st)
{
	st->frames = atomic64_read(&upc_frames);
	st->missed = atomic64_read(&upc_frames_missed);
	st->tasks = atomic_read(&upc_nrtasks);
}

/*
 * Unload: each thread with replaced return addresses puts them back in a
 * task work (the rtask's own: the unload allocates nothing, and cannot
 * fail for want of memory), and moves off the trampoline if it stopped
 * there. A thread stopped by a signal or a debugger would not run it until
 * continued: its stack is mended from here instead, one thread at a time.
 */
static DECLARE_WAIT_QUEUE_HEAD(upc_restore_wait);

/* Put current's replaced return addresses back; off the trampoline too. */
static void upc_frames_put_back(struct upc_rtask *rt, unsigned long tramp)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long v;
	unsigned int i;

	for (i = 0; tramp && i < rt->n; i++) {
		struct upc_frame *f = &rt->f[i];

		if (!f->orig || get_user(v, (unsigned long __user *)f->sp) || v != tramp)
			continue;
		if (put_user(f->orig, (unsigned long __user *)f->sp))
			pr_warn("pid %d: cannot put a return address back at 0x%lx\n",
				task_tgid_nr(current), f->sp);
	}
	/* Returned to the trampoline, and stopped before its int3. */
	if (tramp && user_mode(regs) && regs->ip == tramp) {
		for (i = rt->n; i-- > 0;) {
			if (rt->f[i].orig && rt->f[i].sp == regs->sp - sizeof(long)) {
				regs->ip = rt->f[i].orig;
				break;
			}
		}
	}
}

/*
 * A fork child whose state could not be made (no memory): its calls are
 * not followed, so their return addresses go back now. In the child.
 */
void upc_ret_child_abandon(unsigned long tramp)
{
	struct upc_rtask *rt;

	rcu_read_lock();
	rt = upc_rtask_find(current);
	rcu_read_unlock();
	if (!rt || atomic_cmpxchg(&rt->restore, UPC_RESTORE_IDLE,
				  UPC_RESTORE_DEAD) != UPC_RESTORE_IDLE)
		return;
	upc_frames_put_back(rt, tramp);
	rcu_read_lock();
	upc_rtask_free(rt);
	rcu_read_unlock();
}

static void upc_restore_fn(struct callback_head *cb)
{
	struct upc_rtask *rt = container_of(cb, struct upc_rtask, restore_work);
	unsigned long tramp = 0;
	struct upc_mm *um;

	/* Orphaned: the thread is exiting, its stack is no more. */
	if (atomic_xchg(&rt->restore, UPC_RESTORE_DEAD) == UPC_RESTORE_QUEUED) {
		rcu_read_lock();
		um = current->mm ? upc_mm_lookup(current->mm) : NULL;
		tramp = um ? READ_ONCE(um->tramp) : 0;
		rcu_read_unlock();
		if (!tramp)
			tramp = rt->tramp;
	}
	upc_frames_put_back(rt, tramp);
	rcu_read_lock();
	upc_rtask_free(rt);
	rcu_read_unlock();
	if (atomic_dec_and_test(&upc_restoring))
		wake_up(&upc_restore_wait);
	upc_twork_done();
}

/* A stopped thread's replaced return addresses, copied to be mended. */
struct upc_restore_stopped {
	struct task_struct *task;	/* held */
	unsigned long tramp;
	unsigned int n;
	unsigned long sp[UPROBECTL_RET_DEPTH], orig[UPROBECTL_RET_DEPTH];
};

/* The unload's only: module exit runs once. */
static struct upc_restore_stopped upc_stopped;

/* A stopped thread's stack, mended from here. */
static void upc_restore_stopped(struct upc_restore_stopped *w)
{
	struct task_struct *t = w->task;
	struct pt_regs *regs = task_pt_regs(t);
	unsigned long v;
	unsigned int i;

	struct sighand_struct *sighand;
	unsigned long flags;

	for (i = 0; i < w->n; i++) {
		if (access_process_vm(t, w->sp[i], &v, sizeof(v), FOLL_FORCE) != sizeof(v) ||
		    v != w->tramp)
			continue;
		if (access_process_vm(t, w->sp[i], &w->orig[i], sizeof(v),
				      FOLL_FORCE | FOLL_WRITE) != sizeof(v))
			pr_warn("pid %d: cannot put a return address back at 0x%lx\n",
				task_tgid_nr(t), w->sp[i]);
	}
	/*
	 * Its registers, only while it is still stopped: killed meanwhile,
	 * its stack may be gone. A stop ends only under siglock, which keeps
	 * it stopped (and its stack there) while held. The sighand is freed
	 * by RCU only (as lock_task_sighand(), not exported, relies on).
	 */
	rcu_read_lock();
	sighand = rcu_dereference(t->sighand);
	if (sighand) {
		spin_lock_irqsave(&sighand->siglock, flags);
		if (sighand == rcu_access_pointer(t->sighand) && task_is_stopped_or_traced(t) &&
		    user_mode(regs) && regs->ip == w->tramp) {
			for (i = w->n; i-- > 0;) {
				if (w->sp[i] == regs->sp - sizeof(long)) {
					regs->ip = w->orig[i];
					break;
				}
			}
		}
		spin_unlock_irqrestore(&sighand->siglock, flags);
	}
	rcu_read_unlock();
}

/* Copy the replaced addresses of @rt, a stopped thread's, into @w. */
static bool upc_restore_copy(struct upc_restore_stopped *w, struct upc_rtask *rt)
{
	struct mm_struct *mm = READ_ONCE(rt->task->mm);
	struct upc_mm *um = mm ? upc_mm_lookup(mm) : NULL;
	unsigned int i;

	w->tramp = um ? READ_ONCE(um->tramp) : 0;
	w->n = 0;
	for (i = 0; i < rt->n && i < UPROBECTL_RET_DEPTH; i++) {
		if (!rt->f[i].orig)
			continue;
		w->sp[w->n] = rt->f[i].sp;
		w->orig[w->n++] = rt->f[i].orig;
	}
	if (!w->tramp || !w->n)
		return false;
	get_task_struct(rt->task);
	w->task = rt->task;
	return true;
}

/*
 * One walk of the threads with frames (any: a thread removing a frame
 * moves the others, so "has a replaced address" cannot be read safely
 * from here; the restore checks each): each running one is queued its
 * restore, and the first stopped one found is copied into upc_stopped to
 * be mended by the caller, which then walks again. Every thread is
 * decided once (handled), stopped or not at that moment. Returns true if
 * one was copied; counts the works queued in @queued.
 */
static bool upc_restore_walk(int *queued)
{
	struct upc_rtask *rt;
	bool copied = false;
	int bkt;

	rcu_read_lock();
	hash_for_each_rcu(upc_rtasks, bkt, rt, hnode) {
		if (rt->handled || !READ_ONCE(rt->n))
			continue;
		rt->handled = true;
		if (task_is_stopped_or_traced(rt->task)) {
			if (atomic_read(&rt->restore) == UPC_RESTORE_IDLE &&
			    upc_restore_copy(&upc_stopped, rt)) {
				copied = true;
				break;
			}
			continue;
		}
		/* Exiting (its exit frees it), or queued already. */
		if (atomic_cmpxchg(&rt->restore, UPC_RESTORE_IDLE,
				   UPC_RESTORE_QUEUED) != UPC_RESTORE_IDLE)
			continue;
		atomic_inc(&upc_restoring);
		if (!upc_twork_add_signal(rt->task, &rt->restore_work, upc_restore_fn)) {
			(*queued)++;
			continue;
		}
		/* Exiting: its exit frees it, or left it to us. */
		atomic_dec(&upc_restoring);
		if (atomic_cmpxchg(&rt->restore, UPC_RESTORE_QUEUED,
				   UPC_RESTORE_IDLE) == UPC_RESTORE_ORPHAN) {
			atomic_set(&rt->restore, UPC_RESTORE_DEAD);
			upc_rtask_free(rt);
		}
	}
	rcu_read_unlock();
	return copied;
}

void upc_ret_unload(void)
{
	int n, nstopped = 0;

	WRITE_ONCE(upc_ret_closing, true);
	/* Entries that did not see it are done after this. */
	synchronize_rcu();
	if (!atomic_read(&upc_nrtasks))
		return;
	n = 0;
	while (upc_restore_walk(&n)) {
		upc_restore_stopped(&upc_stopped);
		put_task_struct(upc_stopped.task);
		nstopped++;
		cond_resched();
	}
	if (n || nstopped)
		pr_info("putting back the return addresses of %d threads (%d stopped)\n",
			n + nstopped, nstopped);
	/* One that stopped just after the walk does it when continued. */
	while (!wait_event_timeout(upc_restore_wait, !atomic_read(&upc_restoring), 10 * HZ))
		pr_warn("unload waits for %d threads to put back return addresses (stopped? continue them)\n",
			atomic_read(&upc_restoring));
}

void upc_ret_exit(void)
{
	struct upc_rtask *rt;
	struct hlist_node *tmp;
	int bkt;

	rcu_read_lock();
	hash_for_each_safe(upc_rtasks, bkt, tmp, rt, hnode)
		upc_rtask_free(rt);
	rcu_read_unlock();
	rcu_barrier();
}
