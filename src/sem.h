/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * SDT semaphores: the 2-byte counters a program reads to know whether a
 * tracer is attached to a static probe point. Each probe with a semaphore
 * raises it by one in every process it applies to, once, and lowers it
 * once when it goes.
 */
#ifndef _UPC_SEM_H
#define _UPC_SEM_H

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/pid.h>

struct upc_mm;
struct upc_probe;
struct upc_site;

/*
 * One probe's count in one process: the probe raised the semaphore at
 * @vaddr. On upc_mm.sems; changed only with um->lock and the mm's
 * mmap_lock (read) held, so that fork's copy (under the parent's
 * mmap_lock, written) sees a list that matches the memory it copies.
 */
struct upc_sem {
	struct list_head node;
	u64 probe_id;
	struct upc_site *site;		/* held: the file */
	u64 offset;			/* file offset of the semaphore */
	unsigned long vaddr;
	bool seen;			/* upc_sem_sync()'s mark */
};

/* A parent's counts, copied at fork (atomic context). */
struct upc_sem_copy {
	int n;
	struct upc_sem_rec {
		u64 probe_id;
		struct upc_site *site;	/* held */
		u64 offset;
		unsigned long vaddr;
	} recs[];
};

/* A mapping a semaphore can live in: a private, writable file mapping. */
static inline bool upc_vma_sem(const struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
}

/* Registry lock held: a probe with a semaphore came or goes. */
void upc_sem_probe_added(struct upc_probe *p);
void upc_sem_probe_removed(struct upc_probe *p);
/* Are there probes with semaphores? (any context; for the hooks) */
bool upc_sem_any(void);

/*
 * Make @mm's counts match the probes with semaphores that apply to the
 * process @owner: raise what is missing (a new probe, a new mapping of
 * the file, a count lost with its page), lower what no probe wants.
 * Registry lock held; um->lock and mmap_lock not held.
 */
void upc_sem_sync(struct mm_struct *mm, struct pid *owner);
/* The same for a state that has counts (a removal's walk). */
void upc_sem_sync_state(struct upc_mm *um);

/* Fork: the parent's counts (its mmap_lock written), then the child's. */
struct upc_sem_copy *upc_sem_copy_parent(struct upc_mm *parent);
void upc_sem_copy_child(struct upc_mm *um, const struct upc_sem_copy *c);
void upc_sem_copy_free(struct upc_sem_copy *c);

/* The state is going: drop its records (nothing is written). */
void upc_sem_free_all(struct upc_mm *um);

#endif /* _UPC_SEM_H */
