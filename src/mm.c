// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Per-mm state and breakpoint installation: into every process that maps
 * a probed file when a probe is added, into new mappings (mmap hook), into
 * children (fork hook), and out again on removal. An address space's state
 * dies with it (teardown hook).
 */

#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "mm.h"
#include "fault.h"
#include "patch.h"
#include "pool.h"
#include "probe.h"
#include "scope.h"
#include "sem.h"
#include "work.h"
#include "xol.h"

struct workqueue_struct *upc_wq;

/*
 * Membership of upc_mm_table and upc_mm_list, and upc_mm.dead. Taken in
 * process context and by the teardown hook (preemption off): a raw lock.
 */
static DEFINE_RAW_SPINLOCK(upc_mms_lock);
static DEFINE_HASHTABLE(upc_mm_table, 8);
static LIST_HEAD(upc_mm_list);

/* The module's own caches, and what is allocated from them (accounting). */
static struct kmem_cache *upc_mm_cache;
static struct kmem_cache *upc_bp_cache;
static atomic_t upc_mm_live = ATOMIC_INIT(0);
static atomic_t upc_bp_live = ATOMIC_INIT(0);

struct upc_bp *upc_bp_alloc(unsigned long vaddr, struct upc_site *site)
{
	struct upc_bp *bp;

	bp = UPC_FAULT(bp) ? NULL : kmem_cache_zalloc(upc_bp_cache, GFP_KERNEL);

	if (!bp)
		return NULL;
	bp->vaddr = vaddr;
	bp->site = site;
	upc_site_get(site);
	atomic_inc(&upc_bp_live);
	return bp;
}

static void upc_bp_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(upc_bp_cache, container_of(rcu, struct upc_bp, rcu));
	atomic_dec(&upc_bp_live);
}

/* Unhashed already: drop its site, free it after readers are done. */
static void upc_bp_free(struct upc_bp *bp)
{
	upc_site_put(bp->site);
	call_rcu(&bp->rcu, upc_bp_free_rcu);
}

struct upc_mm *upc_mm_lookup(struct mm_struct *mm)
{
	struct upc_mm *um;

	hash_for_each_possible_rcu(upc_mm_table, um, hnode, (unsigned long)mm)
		if (um->mm == mm)
			return um;
	return NULL;
}

struct upc_bp *upc_bp_lookup(struct upc_mm *um, unsigned long vaddr)
{
	struct upc_bp *bp;

	/* RCU readers (the trap path), or the writers' lock. */
	hash_for_each_possible_rcu(um->bps, bp, hnode, vaddr, lockdep_is_held(&um->lock))
		if (bp->vaddr == vaddr)
			return bp;
	return NULL;
}

bool upc_mm_get(struct upc_mm *um)
{
	return refcount_inc_not_zero(&um->ref);
}

struct upc_mm *upc_mm_find(struct mm_struct *mm)
{
	struct upc_mm *um;

	rcu_read_lock();
	um = upc_mm_lookup(mm);
	if (um && !upc_mm_get(um))
		um = NULL;
	rcu_read_unlock();
	return um;
}

static void upc_mm_free(struct work_struct *work)
{
	struct upc_mm *um = container_of(to_rcu_work(work), struct upc_mm, free_work);
	struct upc_bp *bp, *tmp;

	/* A grace period has passed since the state was unhashed. */
	list_for_each_entry_safe(bp, tmp, &um->bp_list, node) {
		upc_site_put(bp->site);
		kmem_cache_free(upc_bp_cache, bp);
		atomic_dec(&upc_bp_live);
	}
	upc_xol_free(um);
	upc_sem_free_all(um);
	mmdrop(um->mm);
	put_pid(um->owner);
	kmem_cache_free(upc_mm_cache, um);
	atomic_dec(&upc_mm_live);
}

void upc_mm_put(struct upc_mm *um)
{
	if (refcount_dec_and_test(&um->ref))
		queue_rcu_work(upc_wq, &um->free_work);
}

/* Find or make the state of @mm; registry lock held. Returns a reference. */
struct upc_mm *upc_mm_get_or_create(struct mm_struct *mm, struct pid *owner)
{
	struct upc_mm *um;

	um = upc_mm_find(mm);
	if (um)
		return um;

	um = UPC_FAULT(mm_state) ? NULL : kmem_cache_zalloc(upc_mm_cache, GFP_KERNEL);
	if (!um)
		return NULL;
	mmgrab(mm);
	um->mm = mm;
	um->owner = get_pid(owner);
	refcount_set(&um->ref, 2);	/* the table's and the caller's */
	mutex_init(&um->lock);
	hash_init(um->bps);
	INIT_LIST_HEAD(&um->bp_list);
	INIT_LIST_HEAD(&um->chunks);
	INIT_LIST_HEAD(&um->sems);
	INIT_RCU_WORK(&um->free_work, upc_mm_free);
	atomic_inc(&upc_mm_live);
	raw_spin_lock(&upc_mms_lock);
	hash_add_rcu(upc_mm_table, &um->hnode, (unsigned long)mm);
	list_add_tail(&um->node, &upc_mm_list);
	raw_spin_unlock(&upc_mms_lock);
	return um;
}

/*
 * Take a reference on every live state and link it into @out through
 * um->walk, for a walk outside upc_mms_lock. No allocation: a removal
 * must reach every process, however short of memory the machine is.
 * Registry lock held (it serialises the users of um->walk).
 */
static void upc_mm_snapshot(struct list_head *out)
{
	struct upc_mm *um;

	lockdep_assert_held(&upc_registry_lock);
	raw_spin_lock(&upc_mms_lock);
	list_for_each_entry(um, &upc_mm_list, node)
		if (!um->dead && upc_mm_get(um))
			list_add_tail(&um->walk, out);
	raw_spin_unlock(&upc_mms_lock);
}

static void upc_mm_put_snapshot(struct list_head *list)
{
	struct upc_mm *um, *tmp;

	list_for_each_entry_safe(um, tmp, list, walk) {
		list_del(&um->walk);
		upc_mm_put(um);
	}
}

/* A mapping we put breakpoints into: private, executable file text. */
bool upc_vma_probeable(struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_EXEC) &&
	       !(vma->vm_flags & (VM_WRITE | VM_MAYSHARE | VM_HUGETLB));
}

/*
 * May @vma hold an int3 of ours? Probed text made writable or not
 * executable by mprotect since (VM_MAYEXEC: it may become executable
 * again) still does: removals by file offset restore it there, as the
 * kernel's uprobes do; a 0xcc the program itself wrote at exactly that
 * offset of a writable copy is taken for ours. Never a shared mapping.
 * Not for matching bytes by pattern (upc_mm_scrub()): data pages hold
 * 0xcc bytes of their own.
 */
bool upc_vma_may_hold(struct vm_area_struct *vma)
{
	return vma->vm_file &&
	       (vma->vm_flags & (VM_MAYEXEC | VM_MAYSHARE | VM_HUGETLB)) == VM_MAYEXEC;
}

/*
 * Install @site's breakpoint at @vaddr of um's mm; um->lock held. A
 * breakpoint whose mapping went (flagged by the munmap hook) is revived if
 * the same file is mapped there again: split or merged by mprotect/mmap,
 * our int3 is still there; after MADV_DONTNEED or a new mapping, the page
 * came back from the file and the int3 is written again.
 */
static int upc_bp_install(struct upc_mm *um, unsigned long vaddr,
			  struct upc_site *site)
{
	struct mm_struct *mm = um->mm;
	struct vm_area_struct *vma;
	struct upc_bp *bp, *old;
	u8 cur, int3 = UPC_INT3;
	int ret;

	old = upc_bp_lookup(um, vaddr);
	if (old && old->refused && old->site == site)
		return 0;
	if (old && !READ_ONCE(old->unmapped))
		return 0;
	if (old && old->site != site) {
		/* Another file mapped here since: forget the old one. */
		hash_del_rcu(&old->hnode);
		list_del(&old->node);
		upc_bp_free(old);
		old = NULL;
	}
	bp = old;
	if (!bp) {
		bp = upc_bp_alloc(vaddr, site);
		if (!bp)
			return -ENOMEM;
	}

	mmap_read_lock(mm);
	vma = find_vma(mm, vaddr);
	ret = -ENOENT;
	if (!vma || vma->vm_start > vaddr || !upc_vma_probeable(vma) ||
	    !upc_text_at(mm, vaddr, site->inode, site->offset))
		goto out_unlock;
	ret = upc_peek(mm, vaddr, &cur, 1);
	if (ret)
		goto out_unlock;
	if (old && cur == UPC_INT3) {
		WRITE_ONCE(old->unmapped, false);
		mmap_read_unlock(mm);
		return 0;
	}
	/* Another breakpoint, or text the process changed: leave it. */
	ret = -EBUSY;
	if (cur != site->insn[0])
		goto out_unlock;
	/* Visible to the trap path before the int3 can be hit. */
	if (old)
		WRITE_ONCE(old->unmapped, false);
	else
		hash_add_rcu(um->bps, &bp->hnode, vaddr);
	ret = UPC_FAULT(gup) ? -ENOMEM : upc_poke(mm, vaddr, &int3, 1);
	if (ret) {
		if (old)
			WRITE_ONCE(old->unmapped, true);
		else
			hash_del_rcu(&bp->hnode);
		goto out_unlock;
	}
	if (!old)
		list_add_tail(&bp->node, &um->bp_list);
	mmap_read_unlock(mm);
	return 0;

out_unlock:
	mmap_read_unlock(mm);
	if (!old)
		upc_bp_free(bp);
	return ret;
}

void upc_bp_adopt(struct upc_mm *um, unsigned long vaddr, struct upc_site *site,
		  unsigned long slot)
{
	struct upc_bp *bp;
	bool ours;
	u8 cur;

	if (upc_bp_lookup(um, vaddr))
		return;
	/*
	 * Only a breakpoint still in the text: one whose probe was deleted
	 * meanwhile has its byte back (its removal ran under um->lock before
	 * us), and must not come back as a record without an int3.
	 */
	mmap_read_lock(um->mm);
	ours = upc_text_at(um->mm, vaddr, site->inode, site->offset) &&
	       !upc_peek(um->mm, vaddr, &cur, 1) && cur == UPC_INT3;
	mmap_read_unlock(um->mm);
	if (!ours)
		return;
	bp = upc_bp_alloc(vaddr, site);
	if (!bp)
		return;
	bp->slot = slot;
	hash_add_rcu(um->bps, &bp->hnode, vaddr);
	list_add_tail(&bp->node, &um->bp_list);
}

void upc_bp_refuse(struct upc_mm *um, unsigned long vaddr, struct upc_site *site)
{
	struct upc_bp *bp;

	mutex_lock(&um->lock);
	bp = upc_bp_lookup(um, vaddr);
	if (bp && bp->site != site) {
		mutex_unlock(&um->lock);
		return;
	}
	if (!bp) {
		bp = upc_bp_alloc(vaddr, site);
		if (bp) {
			hash_add_rcu(um->bps, &bp->hnode, vaddr);
			list_add_tail(&bp->node, &um->bp_list);
		}
	}
	/* Before the byte goes back: the sync that the zap triggers skips it. */
	if (bp)
		WRITE_ONCE(bp->refused, true);
	mmap_write_lock(um->mm);
	upc_unpatch(um->mm, vaddr, site->insn[0], site->inode, site->offset);
	mmap_write_unlock(um->mm);
	mutex_unlock(&um->lock);
}

/* Where a breakpoint for a site goes in one mm, found by a VMA walk. */
struct upc_place {
	unsigned long vaddr;
	struct upc_site *site;		/* held */
};

#define UPC_PLACES_MAX (1 << 18)

/*
 * The places of @only (or of every site) in @mm's probeable mappings.
 * Returns how many were stored in @out.
 */
static int upc_mm_places(struct mm_struct *mm, struct upc_site *only,
			 struct upc_place *out, int max)
{
	struct vm_area_struct *vma;
	struct upc_site *one, **sites = &one;
	int n = 0, i, k;

	/* One site needs no room: installing one site does not fail here. */
	if (!only) {
		sites = UPC_FAULT(mm_sites) ? NULL :
			kvmalloc_array(max, sizeof(*sites), GFP_KERNEL);
		if (!sites)
			return -ENOMEM;
	}

	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			u64 start = (u64)vma->vm_pgoff << PAGE_SHIFT;
			u64 end = start + (vma->vm_end - vma->vm_start);
			struct inode *inode;

			if (!upc_vma_probeable(vma))
				continue;
			inode = file_inode(vma->vm_file);
			if (only) {
				if (inode != only->inode || only->offset < start ||
				    only->offset >= end)
					continue;
				sites[0] = only;
				upc_site_get(only);
				k = 1;
			} else {
				k = upc_sites_in_range(inode, start, end, sites,
						       max - n);
			}
			for (i = 0; i < k; i++) {
				if (n == max) {
					upc_site_put(sites[i]);
					continue;
				}
				out[n].site = sites[i];
				out[n].vaddr = vma->vm_start + (sites[i]->offset - start);
				n++;
			}
		}
	}
	mmap_read_unlock(mm);
	if (!only)
		kvfree(sites);
	return n;
}

/*
 * Put into @mm every breakpoint of @only (or of every site) that a probe
 * wants in the process @owner. Registry lock held. Returns how many went
 * in, or -ENOMEM if some could not for want of memory.
 */
static int upc_mm_sync(struct mm_struct *mm, struct pid *owner,
		       struct upc_site *only)
{
	struct upc_place *places;
	struct upc_mm *um = NULL;
	int n, i, max, ret, err = 0, installed = 0;

	/* A site can be mapped more than once; this is room for plenty. */
	max = only ? 16 : min(2 * upc_site_count() + 16, UPC_PLACES_MAX);
	places = UPC_FAULT(mm_places) ? NULL : kvmalloc_array(max, sizeof(*places), GFP_KERNEL);
	if (!places)
		return -ENOMEM;
	n = upc_mm_places(mm, only, places, max);
	if (n < 0)
		err = n;
	for (i = 0; i < n; i++) {
		struct upc_site *site = places[i].site;

		if (!err && upc_site_wanted(site, owner)) {
			if (!um)
				um = upc_mm_get_or_create(mm, owner);
			if (um) {
				mutex_lock(&um->lock);
				ret = upc_bp_install(um, places[i].vaddr, site);
				mutex_unlock(&um->lock);
				if (!ret)
					installed++;
				else if (ret == -ENOMEM)
					err = ret;
			} else {
				err = -ENOMEM;
			}
		}
		upc_site_put(site);
	}
	if (um)
		upc_mm_put(um);
	kvfree(places);
	upc_sem_sync(mm, owner);
	return err ?: installed;
}

struct upc_target {
	struct mm_struct *mm;
	struct pid *tgid;
};

/* Every user address space, once, with the process that owns it. */
static struct upc_target *upc_collect_targets(int *count)
{
	struct upc_target *t;
	struct task_struct *p;
	int cap = 0, n = 0, i;

	rcu_read_lock();
	for_each_process(p)
		cap++;
	rcu_read_unlock();
	cap += 64;
	t = UPC_FAULT(mm_targets) ? NULL : kvmalloc_array(cap, sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm;

		if (n == cap)
			break;
		if (p->flags & PF_KTHREAD)
			continue;
		mm = get_task_mm(p);
		if (!mm)
			continue;
		for (i = 0; i < n && t[i].mm != mm; i++)
			;
		if (i < n) {
			mmput_async(mm);
			continue;
		}
		t[n].mm = mm;
		t[n].tgid = get_pid(task_tgid(p));
		n++;
	}
	rcu_read_unlock();
	*count = n;
	return t;
}

int upc_mm_install_all(void)
{
	return upc_mm_install_site(NULL);
}

/*
 * Into every process. Returns how many breakpoints went in, or -ENOMEM if
 * some process could not be given its own for want of memory (the others
 * were: the caller removes the probes to fail as a whole).
 */
int upc_mm_install_site(struct upc_site *site)
{
	struct upc_target *t;
	int n, i, err = 0, installed = 0;

	t = upc_collect_targets(&n);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		int ret = err ? 0 : upc_mm_sync(t[i].mm, t[i].tgid, site);

		if (ret > 0)
			installed += ret;
		else if (ret < 0)
			err = ret;
		mmput(t[i].mm);
		put_pid(t[i].tgid);
	}
	kvfree(t);
	return err ?: installed;
}

/*
 * Numbered under um->lock and, while the mm lives, its mmap_lock: fork's
 * copy holds it for writing (see upc_mm_dup_hook()).
 */
static void upc_rm_log(struct upc_mm *um, const struct upc_removed *r)
{
	um->rm_log[(um->rm_seq + 1) % UPC_RM_LOG] = *r;
	/* The entry first: lock-free readers go by rm_seq. */
	smp_store_release(&um->rm_seq, um->rm_seq + 1);
}

/* Does @vma map @inode at @offset (text that may hold our int3)? */
static bool upc_vma_maps(struct vm_area_struct *vma, const struct inode *inode, u64 offset)
{
	u64 start = (u64)vma->vm_pgoff << PAGE_SHIFT;

	return upc_vma_may_hold(vma) && file_inode(vma->vm_file) == inode &&
	       offset >= start && offset - start < vma->vm_end - vma->vm_start;
}

/* Does @mm map @inode at @offset anywhere? mmap_lock held. */
static bool upc_mm_maps(struct mm_struct *mm, const struct inode *inode, u64 offset)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	for_each_vma(vmi, vma)
		if (upc_vma_maps(vma, inode, offset))
			return true;
	return false;
}

void upc_mm_unpatch_file(struct upc_mm *um, const struct upc_removed *r)
{
	VMA_ITERATOR(vmi, um->mm, 0);
	struct vm_area_struct *vma;

	lockdep_assert_held(&um->lock);
	mmap_assert_write_locked(um->mm);
	for_each_vma(vmi, vma) {
		unsigned long vaddr;
		struct upc_bp *bp;
		bool keep;

		if (!upc_vma_maps(vma, r->inode, r->offset))
			continue;
		vaddr = vma->vm_start + (unsigned long)(r->offset - ((u64)vma->vm_pgoff << PAGE_SHIFT));
		/* A probe added since on the same instruction keeps its int3. */
		rcu_read_lock();
		bp = upc_bp_lookup(um, vaddr);
		keep = bp && bp->site->inode == r->inode && bp->site->offset == r->offset;
		rcu_read_unlock();
		if (!keep)
			upc_unpatch(um->mm, vaddr, r->orig, r->inode, r->offset);
	}
}

/*
 * Text moved by mremap keeps its int3 at an address we may never have
 * seen: restore the site's byte wherever the file maps it now. Logged by
 * file offset, not address: a child forked before this holds the text
 * where its parent had it then, which may not be where it is now.
 * um->lock held.
 */
static void upc_mm_remove_moved(struct upc_mm *um, struct upc_site *site)
{
	const struct upc_removed r = {
		.orig = site->insn[0],
		.anywhere = true,
		.inode = site->inode,
		.offset = site->offset,
	};
	bool mapped;

	/*
	 * Logged only for forks whose child has no copy yet (their count is
	 * raised under the write lock that excludes these sections), even
	 * when the process is gone, as in upc_mm_remove_marked().
	 */
	if (!mmget_not_zero(um->mm)) {
		if (atomic_read(&um->forks))
			upc_rm_log(um, &r);
		return;
	}
	/*
	 * Logged where no fork's copy (under the write lock) comes between
	 * the entry and the bytes it stands for: a copy made before both
	 * replays it, a copy made after has the bytes back.
	 */
	mmap_read_lock(um->mm);
	mapped = upc_mm_maps(um->mm, r.inode, r.offset);
	if (!mapped && atomic_read(&um->forks))
		upc_rm_log(um, &r);
	mmap_read_unlock(um->mm);
	if (mapped) {
		mmap_write_lock(um->mm);
		if (atomic_read(&um->forks))
			upc_rm_log(um, &r);
		upc_mm_unpatch_file(um, &r);
		mmap_write_unlock(um->mm);
	}
	mmput(um->mm);
}

/* Is a breakpoint of @um's to be removed (see upc_mm_remove_sites())? */
static bool upc_bp_going(struct upc_mm *um, struct upc_bp *bp)
{
	switch (bp->site->removing) {
	case UPC_SITE_GOING:
		return true;
	case UPC_SITE_NARROWING:
		return !upc_site_wanted(bp->site, um->owner);
	default:
		return false;
	}
}

#define UPC_RM_PAGES	64

/*
 * Take @um's breakpoints of the marked sites out, under one lock of the
 * address space: bytes first, then each page they were on is released
 * once. um->lock held.
 */
static void upc_mm_remove_marked(struct upc_mm *um)
{
	unsigned long pages[UPC_RM_PAGES];
	struct mm_struct *mm = um->mm;
	struct upc_bp *bp, *tmp;
	int npages = 0, i;
	bool live;

	live = mmget_not_zero(mm);
	if (live)
		mmap_write_lock(mm);
	list_for_each_entry_safe(bp, tmp, &um->bp_list, node) {
		unsigned long page = bp->vaddr & PAGE_MASK;

		if (!upc_bp_going(um, bp))
			continue;
		/*
		 * Logged even when the process is gone: a child it forked
		 * just before may not have its copy yet, and holds this int3.
		 */
		upc_rm_log(um, &(struct upc_removed) {
			.vaddr = bp->vaddr,
			.orig = bp->site->insn[0],
			.inode = bp->site->inode,
			.offset = bp->site->offset,
		});
		if (live) {
			if (!upc_unpatch_byte(mm, bp->vaddr, bp->site->insn[0],
					      bp->site->inode, bp->site->offset)) {
				for (i = 0; i < npages && pages[i] != page; i++)
					;
				if (i == npages && npages == UPC_RM_PAGES)
					upc_release_page(mm, page);
				else if (i == npages)
					pages[npages++] = page;
			}
		}
		hash_del_rcu(&bp->hnode);
		list_del(&bp->node);
		upc_bp_free(bp);
	}
	if (live) {
		for (i = 0; i < npages; i++)
			upc_release_page(mm, pages[i]);
		mmap_write_unlock(mm);
		mmput(mm);
	}
}

void upc_mm_remove_sites(struct upc_site **sites, int nsites)
{
	LIST_HEAD(walk);
	struct upc_mm *um;
	int k;

	upc_mm_snapshot(&walk);
	list_for_each_entry(um, &walk, walk) {
		mutex_lock(&um->lock);
		upc_mm_remove_marked(um);
		if (READ_ONCE(um->text_moved))
			for (k = 0; k < nsites; k++)
				if (sites[k]->removing == UPC_SITE_GOING ||
				    !upc_site_wanted(sites[k], um->owner))
					upc_mm_remove_moved(um, sites[k]);
		mutex_unlock(&um->lock);
		upc_sem_sync_state(um);
	}
	upc_mm_put_snapshot(&walk);
}

bool upc_rm_logged(struct upc_mm *um, unsigned long vaddr, struct upc_removed *out)
{
	/* Pairs with the release in upc_mm_remove_marked(): entries first. */
	u64 seq = smp_load_acquire(&um->rm_seq), i;

	for (i = 0; i < UPC_RM_LOG && i < seq; i++) {
		const struct upc_removed *r = &um->rm_log[(seq - i) % UPC_RM_LOG];

		if (READ_ONCE(r->vaddr) == vaddr && !READ_ONCE(r->anywhere)) {
			out->vaddr = vaddr;
			out->orig = READ_ONCE(r->orig);
			out->inode = READ_ONCE(r->inode);
			out->offset = READ_ONCE(r->offset);
			return out->orig != UPC_INT3;
		}
	}
	return false;
}

static bool upc_guard_put(struct upc_mm *um, unsigned long addr, unsigned long sp,
			  bool pass)
{
	int i;

	for (i = 0; i < UPC_GUARDS; i++) {
		struct upc_guard *g = &um->guards[i];

		if (cmpxchg(&g->task, NULL, current) == NULL) {
			g->addr = addr;
			g->pass = pass;
			WRITE_ONCE(g->sp, sp);
			atomic_inc(&um->nguards);
			return true;
		}
	}
	return false;
}

static bool upc_guard_get(struct upc_mm *um, unsigned long addr, unsigned long sp,
			  bool pass)
{
	int i;

	if (!atomic_read(&um->nguards))
		return false;
	for (i = 0; i < UPC_GUARDS; i++) {
		struct upc_guard *g = &um->guards[i];

		if (READ_ONCE(g->task) == current && g->addr == addr &&
		    READ_ONCE(g->sp) == sp && g->pass == pass) {
			WRITE_ONCE(g->task, NULL);
			atomic_dec(&um->nguards);
			return true;
		}
	}
	return false;
}

void upc_guards_drop(struct task_struct *t)
{
	struct upc_mm *um;
	int i;

	if (!t->mm)
		return;
	rcu_read_lock();
	um = upc_mm_lookup(t->mm);
	for (i = 0; um && atomic_read(&um->nguards) && i < UPC_GUARDS; i++) {
		if (cmpxchg(&um->guards[i].task, t, NULL) == t)
			atomic_dec(&um->nguards);
	}
	rcu_read_unlock();
}

void upc_guard_set(struct upc_mm *um, unsigned long addr, unsigned long sp)
{
	upc_guard_put(um, addr, sp, false);
}

bool upc_guard_take(struct upc_mm *um, unsigned long addr, unsigned long sp)
{
	return upc_guard_get(um, addr, sp, false);
}

bool upc_pass_set(struct upc_mm *um, unsigned long addr, unsigned long sp)
{
	return upc_guard_put(um, addr, sp, true);
}

bool upc_pass_take(struct upc_mm *um, unsigned long addr, unsigned long sp)
{
	return upc_guard_get(um, addr, sp, true);
}

/* Deferred work of the mmap and munmap hooks: bring the mm up to date. */
struct upc_sync_work {
	struct callback_head cb;
};
static_assert(sizeof(struct upc_sync_work) <= UPC_POOL_SMALL_SIZE);

/*
 * Forget the breakpoints whose text is not mapped where they were any
 * more: a process that maps and unmaps a probed file over and over keeps
 * only those of what it maps now. Text split or merged in place (mprotect)
 * is still the site's and stays, for the sync to revive. um->lock taken.
 */
static void upc_mm_reap_unmapped(struct mm_struct *mm)
{
	struct upc_bp *bp, *tmp;
	struct upc_mm *um;

	um = upc_mm_find(mm);
	if (!um)
		return;
	mutex_lock(&um->lock);
	mmap_read_lock(mm);
	list_for_each_entry_safe(bp, tmp, &um->bp_list, node) {
		if (!READ_ONCE(bp->unmapped) ||
		    upc_text_at(mm, bp->vaddr, bp->site->inode, bp->site->offset))
			continue;
		hash_del_rcu(&bp->hnode);
		list_del(&bp->node);
		upc_bp_free(bp);
	}
	mmap_read_unlock(mm);
	mutex_unlock(&um->lock);
	upc_mm_put(um);
}

static void upc_sync_work_fn(struct callback_head *cb)
{
	struct upc_sync_work *w = container_of(cb, struct upc_sync_work, cb);

	upc_pool_put(&upc_pool_small, w);
	if (current->mm) {
		struct upc_mm *um;

		/* From here on, a hook's new work is needed again. */
		rcu_read_lock();
		um = upc_mm_lookup(current->mm);
		if (um)
			cmpxchg(&um->sync_for, current, NULL);
		rcu_read_unlock();
	}
	if (current->mm && !(current->flags & PF_EXITING)) {
		upc_mm_reap_unmapped(current->mm);
		mutex_lock(&upc_registry_lock);
		upc_mm_sync(current->mm, task_tgid(current), NULL);
		mutex_unlock(&upc_registry_lock);
	}
	upc_twork_done();
}

/*
 * Before this thread returns to user mode, so before the code runs; once
 * for all the mappings of one call into the kernel (@um, if the process
 * has a state yet).
 */
static void upc_sync_later(struct upc_mm *um)
{
	struct upc_sync_work *w;

	if (um && READ_ONCE(um->sync_for) == current &&
	    READ_ONCE(um->sync_for_start) == current->start_time)
		return;
	w = upc_pool_get(&upc_pool_small);
	if (!w) {
		pr_warn_ratelimited("pid %d: out of memory: a new mapping of a probed file goes unprobed\n",
				    task_tgid_nr(current));
		return;
	}
	if (upc_twork_add(current, &w->cb, upc_sync_work_fn)) {
		upc_pool_put(&upc_pool_small, w);
		return;
	}
	if (um) {
		WRITE_ONCE(um->sync_for_start, current->start_time);
		WRITE_ONCE(um->sync_for, current);
	}
}

static bool upc_hook_in_own_mm(struct vm_area_struct *vma)
{
	return vma->vm_mm == current->mm &&
	       !(current->flags & (PF_KTHREAD | PF_EXITING));
}

/*
 * Pages of a mapping go (munmap, mremap away, a split's old range,
 * MADV_DONTNEED): its breakpoints must not match whatever is mapped there
 * next. Flag them; lookups are RCU, so no lock is needed. If the process
 * did this to itself, its mm is synced before it returns to user mode:
 * after MADV_DONTNEED the same text is still mapped, without the int3s.
 */
void upc_mm_munmap_hook(struct vm_area_struct *vma, unsigned long start,
			unsigned long end)
{
	struct upc_mm *um;
	struct upc_bp *bp;
	unsigned int bkt;
	bool flagged = false;

	if (!upc_vma_probeable(vma))
		return;
	rcu_read_lock();
	um = upc_mm_lookup(vma->vm_mm);
	if (um)
		hash_for_each_rcu(um->bps, bkt, bp, hnode)
			if (bp->vaddr >= start && bp->vaddr < end) {
				WRITE_ONCE(bp->unmapped, true);
				flagged = true;
			}
	if (flagged) {
		WRITE_ONCE(um->text_moved, true);
		if (upc_hook_in_own_mm(vma))
			upc_sync_later(um);
	}
	rcu_read_unlock();
}

/*
 * A mapping came, or was split or merged: probed text gets its
 * breakpoints, and a probed file's writable data its semaphore counts,
 * before the process runs on.
 */
void upc_mm_mmap_hook(struct vm_area_struct *vma)
{
	if (!upc_hook_in_own_mm(vma))
		return;
	if (!upc_vma_probeable(vma) && !(upc_vma_sem(vma) && upc_sem_any()))
		return;
	rcu_read_lock();
	if (upc_inode_probed(file_inode(vma->vm_file)))
		upc_sync_later(upc_mm_lookup(vma->vm_mm));
	rcu_read_unlock();
}

void upc_mm_teardown_hook(struct mm_struct *mm)
{
	struct upc_mm *um;
	bool drop = false;

	/* A fork that failed after copying the address space. */
	upc_fork_teardown(mm);

	rcu_read_lock();
	um = upc_mm_lookup(mm);
	if (um) {
		raw_spin_lock(&upc_mms_lock);
		if (!um->dead) {
			um->dead = true;
			hash_del_rcu(&um->hnode);
			list_del(&um->node);
			drop = true;
		}
		raw_spin_unlock(&upc_mms_lock);
	}
	rcu_read_unlock();
	if (drop)
		upc_mm_put(um);
}

void upc_mm_stats(struct upc_mm_stats *st)
{
	st->mms = atomic_read(&upc_mm_live);
	st->bps = atomic_read(&upc_bp_live);
	st->forks = upc_fork_count();
}

int upc_mm_init(void)
{
	/* Charged to the memory cgroup of the process they are made for. */
	upc_mm_cache = KMEM_CACHE(upc_mm, SLAB_ACCOUNT);
	upc_bp_cache = KMEM_CACHE(upc_bp, SLAB_ACCOUNT);
	upc_wq = alloc_workqueue("uprobectl", WQ_UNBOUND, 0);
	if (upc_mm_cache && upc_bp_cache && upc_wq)
		return 0;
	if (upc_wq)
		destroy_workqueue(upc_wq);
	kmem_cache_destroy(upc_bp_cache);
	kmem_cache_destroy(upc_mm_cache);
	return -ENOMEM;
}

/* After the hooks are gone: drop what is left, then wait for the frees. */
void upc_mm_exit(void)
{
	struct upc_mm *um, *tmp;
	LIST_HEAD(dead);

	raw_spin_lock(&upc_mms_lock);
	list_for_each_entry_safe(um, tmp, &upc_mm_list, node) {
		um->dead = true;
		hash_del_rcu(&um->hnode);
		list_move(&um->node, &dead);
	}
	raw_spin_unlock(&upc_mms_lock);
	list_for_each_entry_safe(um, tmp, &dead, node)
		upc_mm_put(um);
	rcu_barrier();
	flush_workqueue(upc_wq);
	rcu_barrier();
	flush_workqueue(upc_wq);
	destroy_workqueue(upc_wq);
	rcu_barrier();
	kmem_cache_destroy(upc_bp_cache);
	kmem_cache_destroy(upc_mm_cache);
}
