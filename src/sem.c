// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * SDT semaphores. A count is kept per (probe, process), with the address
 * it was written at, and the process's memory is the rest of the truth:
 * our write made the counter's page an anonymous (private) copy, so if the
 * page there is no longer anonymous, the mapping was replaced or dropped
 * and the count went with it. That makes every event one question, asked
 * by upc_sem_sync() before the process returns to user mode: a mapping
 * split by mprotect or the loader's MAP_FIXED keeps its page and is not
 * counted twice; a file mapped again (dlopen after dlclose) gets a new
 * count; a child starts with its parent's counts (its pages are copies)
 * and loses those of probes that do not apply to it.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "mm.h"
#include "fault.h"
#include "patch.h"
#include "pool.h"
#include "probe.h"
#include "scope.h"
#include "sem.h"

/* Probes with a semaphore (upc_probe.sem_node); upc_registry_lock. */
static LIST_HEAD(upc_sem_probes);
static atomic_t upc_nsem = ATOMIC_INIT(0);

void upc_sem_probe_added(struct upc_probe *p)
{
	list_add_tail(&p->sem_node, &upc_sem_probes);
	atomic_inc(&upc_nsem);
}

void upc_sem_probe_removed(struct upc_probe *p)
{
	list_del(&p->sem_node);
	atomic_dec(&upc_nsem);
}

bool upc_sem_any(void)
{
	return atomic_read(&upc_nsem) > 0;
}

static bool upc_sem_applies(const struct upc_probe *p, struct pid *owner)
{
	return !p->scope || upc_scope_has(owner, p->id);
}

/*
 * Where @mm maps the semaphore at file offset @off of @inode in a private,
 * writable mapping; @prefer if it still does. 0 if nowhere. mmap_lock.
 */
static unsigned long upc_sem_locate(struct mm_struct *mm, const struct inode *inode,
				    u64 off, unsigned long prefer)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	unsigned long found = 0;

	for_each_vma(vmi, vma) {
		u64 start = (u64)vma->vm_pgoff << PAGE_SHIFT;
		u64 end = start + (vma->vm_end - vma->vm_start);
		unsigned long addr;

		if (!upc_vma_sem(vma) || file_inode(vma->vm_file) != inode ||
		    off < start || off >= end || end - off < sizeof(u16))
			continue;
		addr = vma->vm_start + (off - start);
		if (addr == prefer)
			return addr;
		if (!found)
			found = addr;
	}
	return found;
}

/* Is the page at @addr still the private copy our write made? mmap_lock. */
static bool upc_sem_counted(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;
	bool anon;

	if (upc_gup_remote_page(mm, addr, 0, &page) != 1)
		return false;
	anon = PageAnon(page);
	put_page(page);
	return anon;
}

/* Add @delta to the counter at @addr (never below 0). mmap_lock. */
static int upc_sem_add(struct mm_struct *mm, unsigned long addr, int delta)
{
	struct page *page;
	u16 *ctr;
	void *kaddr;

	if (upc_gup_remote_page(mm, addr, FOLL_WRITE | FOLL_FORCE, &page) != 1)
		return -EFAULT;
	kaddr = kmap_local_page(page);
	ctr = kaddr + offset_in_page(addr);
	if (delta > 0 || *ctr > 0)
		*ctr += delta;
	else
		pr_info_ratelimited("an SDT semaphore at 0x%lx was 0 already: left at 0\n",
				    addr);
	kunmap_local(kaddr);
	put_page(page);
	return 0;
}

static struct upc_sem *upc_sem_find(struct upc_mm *um, u64 id)
{
	struct upc_sem *s;

	list_for_each_entry(s, &um->sems, node)
		if (s->probe_id == id)
			return s;
	return NULL;
}

static void upc_sem_free(struct upc_sem *s)
{
	list_del(&s->node);
	upc_site_put(s->site);
	kfree(s);
}

static struct upc_sem *upc_sem_new(struct upc_mm *um, u64 id, struct upc_site *site,
				   u64 offset, unsigned long vaddr)
{
	struct upc_sem *s = UPC_FAULT(sem) ? NULL : kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	s->probe_id = id;
	s->site = site;
	upc_site_get(site);
	s->offset = offset;
	s->vaddr = vaddr;
	list_add_tail(&s->node, &um->sems);
	return s;
}

/* Raise what is missing; um->lock and mmap_lock held. */
static void upc_sem_raise(struct upc_mm *um, struct mm_struct *mm, struct upc_probe *p)
{
	struct upc_sem *s = upc_sem_find(um, p->id);
	unsigned long addr;

	addr = upc_sem_locate(mm, p->site->inode, p->sem, s ? s->vaddr : 0);
	if (!addr)
		return;		/* not mapped (any more): dropped below */
	if (s) {
		s->seen = true;
		if (upc_sem_counted(mm, addr)) {
			s->vaddr = addr;	/* moved by mremap, perhaps */
			return;
		}
	} else {
		s = upc_sem_new(um, p->id, p->site, p->sem, addr);
		if (!s)
			return;
		s->seen = true;
	}
	if (upc_sem_add(mm, addr, 1))
		upc_sem_free(s);
	else
		s->vaddr = addr;
}

static void upc_sem_sync_um(struct upc_mm *um)
{
	struct mm_struct *mm = um->mm;
	struct upc_sem *s, *tmp;
	struct upc_probe *p;

	if (!mmget_not_zero(mm))
		return;
	mutex_lock(&um->lock);
	mmap_read_lock(mm);
	list_for_each_entry(s, &um->sems, node)
		s->seen = false;
	list_for_each_entry(p, &upc_sem_probes, sem_node)
		if (upc_sem_applies(p, um->owner))
			upc_sem_raise(um, mm, p);
	/* Lower what no probe wants here any more. */
	list_for_each_entry_safe(s, tmp, &um->sems, node) {
		unsigned long addr;

		if (s->seen)
			continue;
		addr = upc_sem_locate(mm, s->site->inode, s->offset, s->vaddr);
		if (addr && upc_sem_counted(mm, addr))
			upc_sem_add(mm, addr, -1);
		upc_sem_free(s);
	}
	mmap_read_unlock(mm);
	mutex_unlock(&um->lock);
	mmput(mm);
}

/* Is a semaphore of a probe for @owner mapped in @mm? */
static bool upc_sem_needed(struct mm_struct *mm, struct pid *owner)
{
	struct upc_probe *p;
	bool need = false;

	if (!mmget_not_zero(mm))
		return false;
	mmap_read_lock(mm);
	list_for_each_entry(p, &upc_sem_probes, sem_node) {
		if (upc_sem_applies(p, owner) &&
		    upc_sem_locate(mm, p->site->inode, p->sem, 0)) {
			need = true;
			break;
		}
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return need;
}

void upc_sem_sync(struct mm_struct *mm, struct pid *owner)
{
	struct upc_mm *um;

	lockdep_assert_held(&upc_registry_lock);
	um = upc_mm_find(mm);
	if (!um) {
		if (list_empty(&upc_sem_probes) || !upc_sem_needed(mm, owner))
			return;
		um = upc_mm_get_or_create(mm, owner);
		if (!um)
			return;
	}
	/* Both lists change only under the registry lock. */
	if (!list_empty(&upc_sem_probes) || !list_empty(&um->sems))
		upc_sem_sync_um(um);
	upc_mm_put(um);
}

void upc_sem_sync_state(struct upc_mm *um)
{
	lockdep_assert_held(&upc_registry_lock);
	if (!list_empty(&um->sems))
		upc_sem_sync_um(um);
}

struct upc_sem_copy *upc_sem_copy_parent(struct upc_mm *parent)
{
	struct upc_sem_copy *c;
	struct upc_sem *s;
	int n = 0;

	list_for_each_entry(s, &parent->sems, node)
		n++;
	if (!n)
		return NULL;
	c = struct_size(c, recs, n) <= UPC_POOL_LARGE_SIZE ? upc_pool_get(&upc_pool_fork_large) : NULL;
	if (!c) {
		pr_warn_ratelimited("out of memory at fork of pid %d: its child's SDT semaphores may be counted twice\n",
				    task_tgid_nr(current));
		return NULL;
	}
	c->n = 0;
	list_for_each_entry(s, &parent->sems, node) {
		struct upc_sem_rec *r = &c->recs[c->n++];

		r->probe_id = s->probe_id;
		r->site = s->site;
		upc_site_get(s->site);
		r->offset = s->offset;
		r->vaddr = s->vaddr;
	}
	return c;
}

void upc_sem_copy_child(struct upc_mm *um, const struct upc_sem_copy *c)
{
	int i;

	for (i = 0; c && i < c->n; i++) {
		const struct upc_sem_rec *r = &c->recs[i];

		if (!upc_sem_find(um, r->probe_id))
			upc_sem_new(um, r->probe_id, r->site, r->offset, r->vaddr);
	}
}

void upc_sem_copy_free(struct upc_sem_copy *c)
{
	int i;

	for (i = 0; c && i < c->n; i++)
		upc_site_put(c->recs[i].site);
	upc_pool_put(&upc_pool_fork_large, c);
}

void upc_sem_free_all(struct upc_mm *um)
{
	struct upc_sem *s, *tmp;

	list_for_each_entry_safe(s, tmp, &um->sems, node)
		upc_sem_free(s);
}
