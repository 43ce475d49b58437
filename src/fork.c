// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Following fork: a child starts with its parent's breakpoints, slots and
 * scopes, and without the breakpoints its parent lost after the copy.
 */

#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "mm.h"
#include "patch.h"
#include "pool.h"
#include "probe.h"
#include "ret.h"
#include "scope.h"
#include "sem.h"
#include "work.h"
#include "xol.h"

static atomic_t upc_forks_live = ATOMIC_INIT(0);

/*
 * Fork. The child's memory is copied with the parent's int3s under the
 * parent's mmap_lock (dup_mmap); its state is made later, in its own
 * context, from the parent's state. Breakpoints removed from the parent in
 * between are still in the child's memory: the dup hook notes the
 * parent's removal count under that same lock, and the child replays the
 * removals numbered after it.
 */
struct upc_fork_pending {
	struct hlist_node hnode;	/* upc_forks */
	struct mm_struct *mm;		/* the child's */
	struct upc_mm *parent;		/* held */
	u64 rm_seq;			/* the parent's, at the copy */
	struct upc_sem_copy *sems;	/* the parent's counts, at the copy */
};
static_assert(sizeof(struct upc_fork_pending) <= UPC_POOL_SMALL_SIZE);

/*
 * Forks between dup_mmap and the child's task creation. upc_forks_lock
 * protects the table; taken by the dup, fork and teardown hooks
 * (preemption off): a raw lock.
 */
static DEFINE_RAW_SPINLOCK(upc_forks_lock);
static DEFINE_HASHTABLE(upc_forks, 6);

static struct upc_fork_pending *upc_fork_take(struct mm_struct *mm)
{
	struct upc_fork_pending *p;

	raw_spin_lock(&upc_forks_lock);
	hash_for_each_possible(upc_forks, p, hnode, (unsigned long)mm) {
		if (p->mm == mm) {
			hash_del(&p->hnode);
			raw_spin_unlock(&upc_forks_lock);
			return p;
		}
	}
	raw_spin_unlock(&upc_forks_lock);
	return NULL;
}

static void upc_fork_pending_free(struct upc_fork_pending *p)
{
	if (p) {
		upc_sem_copy_free(p->sems);
		atomic_dec(&p->parent->forks);
		upc_mm_put(p->parent);
		upc_pool_put(&upc_pool_fork_small, p);
		atomic_dec(&upc_forks_live);
	}
}

void upc_mm_dup_hook(struct mm_struct *oldmm, struct mm_struct *newmm)
{
	struct upc_fork_pending *p;
	struct upc_mm *parent;

	parent = upc_mm_find(oldmm);
	if (!parent)
		return;
	p = upc_pool_get(&upc_pool_fork_small);
	if (!p) {
		pr_warn_ratelimited("pid %d: out of memory at fork: its child may get SIGTRAP\n",
				    task_tgid_nr(current));
		upc_mm_put(parent);
		return;
	}
	atomic_inc(&upc_forks_live);
	p->mm = newmm;
	p->parent = parent;
	/* Before the count is read: see upc_mm_remove_moved(). */
	atomic_inc(&parent->forks);
	p->rm_seq = READ_ONCE(parent->rm_seq);
	/* Stable: changed only under the mmap_lock that dup_mmap holds. */
	p->sems = upc_sem_copy_parent(parent);
	raw_spin_lock(&upc_forks_lock);
	hash_add(upc_forks, &p->hnode, (unsigned long)newmm);
	raw_spin_unlock(&upc_forks_lock);
}

/* Deferred work of the fork hook: runs first thing in the child. */
struct upc_fork_work {
	struct callback_head cb;
	struct upc_fork_pending *fork;	/* or NULL: scopes only */
	struct pid *parent_tgid;	/* held */
};
static_assert(sizeof(struct upc_fork_work) <= UPC_POOL_SMALL_SIZE);

/* Put back the bytes of breakpoints the parent lost after the copy. */
static bool upc_mm_no_bp(unsigned long addr, void *arg)
{
	return !upc_bp_lookup(arg, addr);
}

/*
 * More removals than the log holds: put back every int3 in the child's
 * probed text where it has no breakpoint. mmap_write_lock held.
 */
static void upc_mm_scrub(struct upc_mm *um)
{
	VMA_ITERATOR(vmi, um->mm, 0);
	struct vm_area_struct *vma;
	unsigned long addr;

	for_each_vma(vmi, vma) {
		if (!upc_vma_probeable(vma))
			continue;
		for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE)
			upc_scrub_page(um->mm, vma, addr, upc_mm_no_bp, um);
	}
}

static void upc_mm_replay_removals(struct upc_mm *um, struct upc_mm *parent, u64 seq)
{
	mmap_write_lock(um->mm);
	if (parent->rm_seq - seq > UPC_RM_LOG) {
		pr_info_ratelimited("pid %d: %llu probes removed while it was forked: checking its text\n",
				    pid_nr(um->owner), parent->rm_seq - seq);
		upc_mm_scrub(um);
		mmap_write_unlock(um->mm);
		return;
	}
	while (seq++ < parent->rm_seq) {
		struct upc_removed *r = &parent->rm_log[seq % UPC_RM_LOG];

		if (r->anywhere)
			upc_mm_unpatch_file(um, r);
		else if (!upc_bp_lookup(um, r->vaddr))
			upc_unpatch(um->mm, r->vaddr, r->orig, r->inode, r->offset);
	}
	mmap_write_unlock(um->mm);
}

/*
 * Is @vaddr in a mapping of @site's file in @mm? A child lacks the
 * parent's VM_DONTCOPY (MADV_DONTFORK) mappings. mmap_lock held.
 */
static bool upc_mapped_here(struct mm_struct *mm, unsigned long vaddr,
			    const struct upc_site *site)
{
	struct vm_area_struct *vma = find_vma(mm, vaddr);

	return vma && vma->vm_start <= vaddr && upc_vma_probeable(vma) &&
	       file_inode(vma->vm_file) == site->inode;
}

/*
 * No memory for some of the child's breakpoints: the int3s it copied of
 * the parent's from @pbp on go, rather than leave it to die of SIGTRAP.
 * parent->lock held.
 */
static void upc_mm_copy_failed(struct upc_mm *parent, struct mm_struct *mm,
			       struct upc_bp *pbp)
{
	pr_warn_ratelimited("out of memory following pid %d into a fork child: probes left out of it\n",
			    pid_nr(parent->owner));
	mmap_write_lock(mm);
	list_for_each_entry_from(pbp, &parent->bp_list, node)
		if (upc_mapped_here(mm, pbp->vaddr, pbp->site))
			upc_unpatch(mm, pbp->vaddr, pbp->site->insn[0], pbp->site->inode,
				    pbp->site->offset);
	mmap_write_unlock(mm);
}

/*
 * A record of the parent's the child does not take: no probe wants it in
 * the child (the parent's state was torn down before a removal reached
 * it, or a pid scope leaves the child out), or the parent refused it (its
 * byte put back there after the child's pages were copied). Registry lock
 * held: no removal is under way.
 */
static bool upc_copy_unwanted(struct upc_bp *pbp, struct pid *owner)
{
	return pbp->refused || !upc_site_wanted(pbp->site, owner);
}

/* Their int3s, copied with the child's pages, go. parent->lock held. */
static void upc_mm_copy_unwanted(struct upc_mm *parent, struct mm_struct *mm,
				 struct pid *owner)
{
	struct upc_bp *pbp;

	mmap_write_lock(mm);
	list_for_each_entry(pbp, &parent->bp_list, node)
		if (upc_copy_unwanted(pbp, owner) && upc_mapped_here(mm, pbp->vaddr, pbp->site))
			upc_unpatch(mm, pbp->vaddr, pbp->site->insn[0], pbp->site->inode,
				    pbp->site->offset);
	mmap_write_unlock(mm);
}

/* The child starts with the parent's breakpoints (its pages were copied). */
static void upc_mm_copy(struct upc_fork_pending *fork, struct mm_struct *mm,
			struct pid *owner)
{
	struct upc_mm *parent = fork->parent;
	struct upc_mm *um = upc_mm_get_or_create(mm, owner);
	struct upc_bp *pbp, *failed = NULL;
	bool stale = false;

	if (!um) {
		mutex_lock(&parent->lock);
		upc_mm_copy_failed(parent, mm, list_first_entry(&parent->bp_list,
								struct upc_bp, node));
		/* No state, no trampoline: its calls are not followed either. */
		upc_ret_child_abandon(READ_ONCE(parent->tramp));
		mutex_unlock(&parent->lock);
		return;
	}
	mutex_lock(&parent->lock);
	mutex_lock_nested(&um->lock, SINGLE_DEPTH_NESTING);
	um->text_moved = READ_ONCE(parent->text_moved);
	if (upc_xol_copy(um, parent))
		pr_warn_ratelimited("out of memory copying slots to pid %d\n",
				    pid_nr(owner));
	WRITE_ONCE(um->tramp, upc_xol_tramp_find(um));
	mmap_read_lock(mm);
	list_for_each_entry(pbp, &parent->bp_list, node) {
		struct upc_bp *bp;

		if (!upc_mapped_here(mm, pbp->vaddr, pbp->site))
			continue;
		if (upc_copy_unwanted(pbp, owner)) {
			stale = true;
			continue;
		}
		bp = upc_bp_alloc(pbp->vaddr, pbp->site);
		if (!bp) {
			failed = pbp;
			break;
		}
		bp->unmapped = READ_ONCE(pbp->unmapped);
		bp->refused = pbp->refused;
		if (pbp->slot && upc_xol_slot_valid(um, pbp->slot, pbp->vaddr))
			bp->slot = pbp->slot;
		hash_add_rcu(um->bps, &bp->hnode, bp->vaddr);
		list_add_tail(&bp->node, &um->bp_list);
	}
	upc_sem_copy_child(um, fork->sems);
	mmap_read_unlock(mm);
	if (failed)
		upc_mm_copy_failed(parent, mm, failed);
	if (stale)
		upc_mm_copy_unwanted(parent, mm, owner);
	upc_mm_replay_removals(um, parent, fork->rm_seq);
	mutex_unlock(&um->lock);
	mutex_unlock(&parent->lock);
	upc_mm_put(um);
}

static void upc_fork_work_fn(struct callback_head *cb)
{
	struct upc_fork_work *w = container_of(cb, struct upc_fork_work, cb);

	if (current->mm && !(current->flags & PF_EXITING)) {
		mutex_lock(&upc_registry_lock);
		upc_scope_inherit(w->parent_tgid, task_tgid(current));
		if (w->fork) {
			upc_mm_copy(w->fork, current->mm, task_tgid(current));
			/* Counts copied from the parent that do not apply here go. */
			upc_sem_sync(current->mm, task_tgid(current));
		}
		mutex_unlock(&upc_registry_lock);
	}
	upc_fork_pending_free(w->fork);
	put_pid(w->parent_tgid);
	upc_pool_put(&upc_pool_fork_small, w);
	upc_twork_done();
}

void upc_mm_fork_hook(struct task_struct *child, unsigned long clone_flags)
{
	struct upc_fork_pending *fork;
	struct upc_fork_work *w;

	upc_ret_fork(child, clone_flags);
	if ((clone_flags & CLONE_THREAD) || !child->mm)
		return;
	/*
	 * vfork and posix_spawn (CLONE_VM without CLONE_THREAD) make a new
	 * process on the parent's address space: nothing to copy, but it
	 * inherits the scopes before it execs.
	 */
	fork = (clone_flags & CLONE_VM) ? NULL : upc_fork_take(child->mm);
	if (!fork && !upc_scope_any(task_tgid(current)))
		return;
	w = upc_pool_get(&upc_pool_fork_small);
	if (!w)
		goto fail;
	w->fork = fork;
	w->parent_tgid = get_pid(task_tgid(current));
	if (!upc_twork_add(child, &w->cb, upc_fork_work_fn))
		return;
	put_pid(w->parent_tgid);
	upc_pool_put(&upc_pool_fork_small, w);
fail:
	upc_fork_pending_free(fork);
	pr_warn_ratelimited("cannot follow fork of pid %d: its child may get SIGTRAP\n",
			    task_tgid_nr(current));
}

void upc_fork_teardown(struct mm_struct *mm)
{
	upc_fork_pending_free(upc_fork_take(mm));
}

static bool upc_forks_empty(void)
{
	bool empty;

	raw_spin_lock(&upc_forks_lock);
	empty = hash_empty(upc_forks);
	raw_spin_unlock(&upc_forks_lock);
	return empty;
}

void upc_fork_wait(void)
{
	int waits = 0;

	/* Between dup_mmap and copy_process's end: no user space in between. */
	while (!upc_forks_empty()) {
		if (++waits == 500) {
			pr_warn("forks copied 10 s ago have not made their child yet: not waiting for them\n");
			return;
		}
		msleep(20);
	}
}

void upc_fork_exit(void)
{
	struct upc_fork_pending *p;
	struct hlist_node *tmp;
	int bkt, n = 0;

	/* No hook is left to take them: every child that will run has. */
	hash_for_each_safe(upc_forks, bkt, tmp, p, hnode) {
		hash_del(&p->hnode);
		upc_fork_pending_free(p);
		n++;
	}
	if (n)
		pr_warn("%d forks were copied but never made a child\n", n);
}

int upc_fork_count(void)
{
	return atomic_read(&upc_forks_live);
}
