/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Per-process (per mm) state: the breakpoints installed in an address
 * space, its out-of-line slots, and the guards that keep a rewound hit from
 * being counted twice.
 */
#ifndef _UPC_MM_H
#define _UPC_MM_H

#include <linux/hashtable.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>

struct upc_site;

/* One breakpoint in one address space. */
struct upc_bp {
	struct hlist_node hnode;	/* upc_mm.bps; um->lock, RCU readers */
	struct list_head node;		/* upc_mm.bp_list; um->lock */
	unsigned long vaddr;
	struct upc_site *site;		/* held */
	unsigned long slot;		/* out-of-line slot, or 0 until made */
	/*
	 * Its mapping went (munmap hook, atomic context): the trap path
	 * ignores it; the next install at vaddr revives or replaces it.
	 */
	bool unmapped;
	/*
	 * No slot could be made for it in this process: its byte is back and
	 * it stays out of this process (never installed again here).
	 */
	bool refused;
	struct rcu_head rcu;
};

/*
 * A thread whose next hit at (addr, sp) was already counted, or (@pass)
 * whose next int3 there was found not to be ours.
 */
struct upc_guard {
	struct task_struct *task;	/* claimed with cmpxchg */
	unsigned long addr, sp;
	bool pass;
};

#define UPC_BP_BITS	8
#define UPC_GUARDS	16
#define UPC_RM_LOG	256

/* A breakpoint taken out, for children forked just before (see mm.c). */
struct upc_removed {
	unsigned long vaddr;
	u8 orig;
	/*
	 * Taken out wherever the file maps @offset (text mremap moved, where
	 * a child's copy may hold it at an address its parent no longer
	 * has): @vaddr is unused, and lookups by address never match it.
	 */
	bool anywhere;
	/* Whose text it was (compared, never dereferenced). */
	const struct inode *inode;
	u64 offset;
};

struct upc_mm {
	struct hlist_node hnode;	/* upc_mm_table; upc_mms_lock, RCU readers */
	struct list_head node;		/* upc_mm_list; upc_mms_lock */
	struct list_head walk;		/* a removal's snapshot; registry lock */
	struct mm_struct *mm;		/* mmgrab()ed */
	struct pid *owner;		/* tgid of the process it was made for */
	refcount_t ref;			/* the table's, plus users' */
	bool dead;			/* mm torn down; upc_mms_lock */
	/*
	 * Probed text was unmapped, moved or split here once: removals also
	 * look for int3s that moved with their text (see upc_mm_remove_site).
	 */
	bool text_moved;
	/*
	 * Forks copied from this address space whose child has not taken
	 * its copy yet (see fork.c): only then are moved-text removals
	 * logged. Raised under the mmap_lock fork's copy holds for writing.
	 */
	atomic_t forks;
	/*
	 * The thread whose sync work (see upc_sync_later()) is queued and
	 * not started: one munmap or mmap calls the hooks once per mapping,
	 * and one work does for all. Not held, only compared, with its
	 * start time (a task_struct can be reused after the work ran).
	 */
	struct task_struct *sync_for;
	u64 sync_for_start;
	/*
	 * Protects bp_list, changes to bps and chunks, and slot creation.
	 * Nests inside upc_registry_lock, outside mmap_lock.
	 */
	struct mutex lock;
	DECLARE_HASHTABLE(bps, UPC_BP_BITS);
	struct list_head bp_list;
	struct list_head chunks;	/* upc_xol_chunk; lock, RCU readers */
	/* The return probes' trampoline (a slot), or 0; set once under lock. */
	unsigned long tramp;
	/* upc_sem: registry lock, lock and mmap_lock (read) to change */
	struct list_head sems;
	atomic_t nguards;
	struct upc_guard guards[UPC_GUARDS];
	/* Removals, numbered; written under lock and mmap_lock. */
	u64 rm_seq;
	struct upc_removed rm_log[UPC_RM_LOG];
	struct rcu_work free_work;
};

/* Trap path: RCU read side held by the caller. */
struct upc_mm *upc_mm_lookup(struct mm_struct *mm);
/* RCU read side or um->lock held. */
struct upc_bp *upc_bp_lookup(struct upc_mm *um, unsigned long vaddr);
bool upc_mm_get(struct upc_mm *um);
/* The state of @mm with a reference, or NULL; any context. */
struct upc_mm *upc_mm_find(struct mm_struct *mm);
void upc_mm_put(struct upc_mm *um);

/*
 * Was a breakpoint of ours at @vaddr taken out of @um lately? Fills @out
 * from the log. Lock-free (trap path): a stale or torn answer only decides
 * whether to look again in task context, where um->lock and mmap_lock
 * (the writer's) make it exact before anything is written.
 */
bool upc_rm_logged(struct upc_mm *um, unsigned long vaddr, struct upc_removed *out);

/*
 * Put @r's byte back wherever its file offset is mapped in @um's address
 * space and @um has no breakpoint. um->lock and mmap_write_lock held.
 */
void upc_mm_unpatch_file(struct upc_mm *um, const struct upc_removed *r);

void upc_guard_set(struct upc_mm *um, unsigned long addr, unsigned long sp);
bool upc_guard_take(struct upc_mm *um, unsigned long addr, unsigned long sp);
/*
 * Hook of a thread's exit or exec (@t->mm still set): its guards go, so
 * that they neither fill the slots nor match a thread made later.
 */
void upc_guards_drop(struct task_struct *t);
/* The current thread's next int3 at (@addr, @sp) is someone else's. */
bool upc_pass_set(struct upc_mm *um, unsigned long addr, unsigned long sp);
bool upc_pass_take(struct upc_mm *um, unsigned long addr, unsigned long sp);

/*
 * Record a breakpoint found at @vaddr (text moved by mremap) with its
 * @slot; um->lock held, task context.
 */
void upc_bp_adopt(struct upc_mm *um, unsigned long vaddr, struct upc_site *site,
		  unsigned long slot);

/*
 * Keep @site's breakpoint at @vaddr out of this process for good, and put
 * the instruction's byte back. Task context of the mm, no locks held.
 */
void upc_bp_refuse(struct upc_mm *um, unsigned long vaddr, struct upc_site *site);

/* Registry lock held. */
int upc_mm_install_site(struct upc_site *site);
/* Every wanted breakpoint of every site into every process. */
int upc_mm_install_all(void);
/*
 * Take out of every process the breakpoints of @sites, each marked with
 * upc_site.removing: UPC_SITE_GOING (no probe left) or UPC_SITE_NARROWING
 * (only where no probe wants it any more). Registry lock held.
 */
void upc_mm_remove_sites(struct upc_site **sites, int nsites);

/* For fork.c: um->lock held, task context. */
struct upc_bp *upc_bp_alloc(unsigned long vaddr, struct upc_site *site);
/* Registry lock held; returns a reference. */
struct upc_mm *upc_mm_get_or_create(struct mm_struct *mm, struct pid *owner);
bool upc_vma_probeable(struct vm_area_struct *vma);
bool upc_vma_may_hold(struct vm_area_struct *vma);

/* fork.c: a fork copied but never run; forks in flight (accounting). */
void upc_fork_teardown(struct mm_struct *mm);
/*
 * Unload, after the dup hook is gone: wait (bounded) until every fork
 * copied under it has reached its child's creation or failed.
 */
void upc_fork_wait(void);
/* Unload, after every hook is gone: drop what no fork took. */
void upc_fork_exit(void);
int upc_fork_count(void);

/* Hooks (atomic context). */
void upc_mm_mmap_hook(struct vm_area_struct *vma);
void upc_mm_munmap_hook(struct vm_area_struct *vma, unsigned long start,
			unsigned long end);
void upc_mm_dup_hook(struct mm_struct *oldmm, struct mm_struct *newmm);
void upc_mm_fork_hook(struct task_struct *child, unsigned long clone_flags);
void upc_mm_teardown_hook(struct mm_struct *mm);

/* Accounting: objects allocated and not yet freed. */
struct upc_mm_stats {
	int mms;	/* per-mm states */
	int bps;	/* breakpoints */
	int forks;	/* forks copied, child not yet run */
};

void upc_mm_stats(struct upc_mm_stats *st);
int upc_mm_init(void);
void upc_mm_exit(void);

extern struct workqueue_struct *upc_wq;

#endif /* _UPC_MM_H */
