// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The probe registry: validation of new probes (file, ELF segment,
 * instruction), sites shared by probes on one instruction, ownership by
 * clients, and counting hits.
 */

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "event.h"
#include "fault.h"
#include "fetch.h"
#include "mm.h"
#include "probe.h"
#include "scope.h"
#include "sem.h"
#include "target.h"

#define UPC_MAX_PROBES	65536
#define UPC_BATCH_MAX	65536
/* Sites taken out of processes in one pass. */
#define UPC_REMOVAL_MAX	4096

/*
 * The registry lock: the probes, the sites table's writers, scopes and
 * semaphore lists, and installation into or removal from processes (which
 * takes each process's um->lock and mmap_lock inside it). Process context
 * only. No copy from or to a caller's buffer and no read of a probed
 * file is made under it: one that faults slowly (userfaultfd, FUSE) would
 * stall every probed process's mmap and fork work, which take it too.
 * (Installation and removal still wait for each process's mmap_lock
 * under it.)
 */
DEFINE_MUTEX(upc_registry_lock);

/* Sites by inode; upc_registry_lock for writers, RCU for the mmap hook. */
static DEFINE_HASHTABLE(upc_sites, 10);
/* Probes by id, and in order; upc_registry_lock. */
static DEFINE_XARRAY(upc_probes);
static LIST_HEAD(upc_probes_all);
static u64 upc_next_id = 1;
static int upc_nprobes;
static atomic_t upc_nsites = ATOMIC_INIT(0);

static void upc_site_free_fn(struct work_struct *work)
{
	struct upc_site *site = container_of(to_rcu_work(work), struct upc_site, free_work);

	iput(site->inode);
	path_put(&site->path);
	kfree(site);
	atomic_dec(&upc_nsites);
}

void upc_site_get(struct upc_site *site)
{
	refcount_inc(&site->ref);
}

bool upc_site_tryget(struct upc_site *site)
{
	return refcount_inc_not_zero(&site->ref);
}

/* The last reference: unhashed already; freed after a grace period. */
void upc_site_put(struct upc_site *site)
{
	if (refcount_dec_and_test(&site->ref))
		queue_rcu_work(upc_wq, &site->free_work);
}

bool upc_inode_probed(const struct inode *inode)
{
	struct upc_site *s;

	hash_for_each_possible_rcu(upc_sites, s, hnode, (unsigned long)inode)
		if (s->inode == inode)
			return true;
	return false;
}

struct upc_site *upc_site_lookup(const struct inode *inode, u64 offset)
{
	struct upc_site *s;

	hash_for_each_possible_rcu(upc_sites, s, hnode, (unsigned long)inode)
		if (s->inode == inode && s->offset == offset)
			return s;
	return NULL;
}

int upc_sites_in_range(const struct inode *inode, u64 start, u64 end,
		       struct upc_site **out, int max)
{
	struct upc_site *s;
	int n = 0;

	hash_for_each_possible(upc_sites, s, hnode, (unsigned long)inode) {
		if (s->inode != inode || s->offset < start || s->offset >= end ||
		    list_empty(&s->probes))
			continue;
		if (n == max)
			break;
		upc_site_get(s);
		out[n++] = s;
	}
	return n;
}

bool upc_site_wanted(const struct upc_site *site, struct pid *owner)
{
	struct upc_probe *p;

	list_for_each_entry(p, &site->probes, site_node)
		if (!p->scope || upc_scope_has(owner, p->id))
			return true;
	return false;
}

long upc_fail(struct uprobectl_add *req, long err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->error, sizeof(req->error), fmt, ap);
	va_end(ap);
	return err;
}

/* Refusals of the engine on top of the classification table. */
static const char *upc_engine_refuses(const struct upc_insn *in,
				      const struct upc_insn_class_info *cls)
{
	if (!in->mode64)
		return "32-bit code is not supported";
	if (cls->op == UPC_OP_SYSCALL)
		return "syscall: stepping it out of line is not supported yet";
	if ((cls->op == UPC_OP_CALL_IND || cls->op == UPC_OP_JMP_IND) &&
	    (in->prefixes & (UPC_PFX_FS | UPC_PFX_GS)))
		return "indirect call or jmp through %fs/%gs: not supported";
	if (cls->op == UPC_OP_LOOP && in->adsize == 4 && in->opcode != 0xe3)
		return "loop with a 32-bit counter: not supported";
	return NULL;
}

/* Read the bytes of the instruction at @offset (no lock held: a slow file). */
static long upc_insn_read(struct file *file, u64 offset, u64 seg_end, u8 *buf,
			  struct uprobectl_add *req)
{
	size_t avail = min_t(u64, UPC_INSN_MAX, seg_end - offset);
	loff_t pos = offset;
	ssize_t n;

	n = UPC_FAULT(insn_read) ? -EIO : kernel_read(file, buf, avail, &pos);
	if (n <= 0)
		return upc_fail(req, -EIO, "cannot read the file at offset 0x%llx", offset);
	return n;
}

/* Decode and classify the @n bytes at @offset for @site. */
static long upc_site_decode(struct upc_site *site, const u8 *insn, size_t n, u64 offset,
			    struct uprobectl_add *req)
{
	const char *why;

	memcpy(site->insn, insn, n);
	if (upc_insn_decode(&site->dec, site->insn, n, true))
		return upc_fail(req, -EILSEQ,
				"the bytes at offset 0x%llx (%*ph) are not a valid instruction: is the offset on an instruction boundary?",
				offset, (int)min_t(size_t, n, 8), site->insn);
	upc_insn_classify(&site->dec, &site->cls);
	if (site->cls.cls == UPC_CLASS_REFUSED)
		return upc_fail(req, -EOPNOTSUPP, "cannot probe this instruction: %s",
				site->cls.reason);
	why = upc_engine_refuses(&site->dec, &site->cls);
	if (why)
		return upc_fail(req, -EOPNOTSUPP, "cannot probe this instruction: %s", why);
	return 0;
}

/* The site for (inode, offset), made if needed; registry lock held. */
static struct upc_site *upc_site_find_or_make(struct upc_tfile *t, u64 offset,
					      const u8 *insn, size_t ninsn,
					      struct uprobectl_add *req, long *err)
{
	struct inode *inode = upc_tfile_inode(t);
	struct file *file = t->file;
	struct upc_site *s;

	hash_for_each_possible(upc_sites, s, hnode, (unsigned long)inode) {
		if (s->inode == inode && s->offset == offset) {
			upc_site_get(s);
			return s;
		}
	}
	s = UPC_FAULT(site) ? NULL : kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = upc_site_decode(s, insn, ninsn, offset, req);
	if (*err) {
		kfree(s);
		return NULL;
	}
	s->inode = igrab(inode);
	s->path = file->f_path;
	path_get(&s->path);
	s->offset = offset;
	INIT_RCU_WORK(&s->free_work, upc_site_free_fn);
	INIT_LIST_HEAD(&s->probes);
	refcount_set(&s->ref, 2);	/* the table's and the caller's */
	hash_add_rcu(upc_sites, &s->hnode, (unsigned long)inode);
	atomic_inc(&upc_nsites);
	return s;
}

/* Drop the table's reference once no probe is left on the site. */
static void upc_site_unhash_if_unused(struct upc_site *site)
{
	if (!list_empty(&site->probes) || hlist_unhashed(&site->hnode))
		return;
	hash_del_rcu(&site->hnode);
	upc_site_put(site);
}

static void upc_probe_free(struct rcu_head *rcu)
{
	struct upc_probe *p = container_of(rcu, struct upc_probe, rcu);

	free_percpu(p->hits);
	put_pid(p->scope);
	upc_fetch_free(p->fetch);
	if (p->head)
		upc_site_put(p->head);
	kfree(p);
}

/* What is checked of a new probe before the registry lock is taken. */
struct upc_prep {
	struct upc_site *head;		/* KIND_EXIT: its entry's site, held */
	struct pid *scope;
	struct upc_fetch *fetch;
	u8 insn[UPC_INSN_MAX];		/* the bytes at the offset */
	size_t ninsn;
};

static void upc_prep_release(struct upc_prep *pr)
{
	if (pr->head)
		upc_site_put(pr->head);
	put_pid(pr->scope);
	upc_fetch_free(pr->fetch);
}

static long upc_probe_make(struct upc_client *client, struct uprobectl_add *req,
			   const char *path, struct upc_site *site, struct upc_prep *pr)
{
	struct upc_probe *p;
	long ret;

	/* One allocation with its path. */
	p = UPC_FAULT(probe) ? NULL :
	    kzalloc(struct_size(p, path, strlen(path) + 1), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	strcpy(p->path, path);
	if (!UPC_FAULT(probe_hits))
		p->hits = alloc_percpu(u64);
	if (!p->hits) {
		kfree(p);
		return -ENOMEM;
	}
	p->id = upc_next_id;
	/* A pid-scoped probe counts only in its process and its children. */
	if (pr->scope) {
		ret = upc_scope_add(pr->scope, p->id);
		if (ret) {
			free_percpu(p->hits);
			kfree(p);
			return ret;
		}
	}
	ret = UPC_FAULT(probe_id) ? -ENOMEM :
	      xa_err(xa_store(&upc_probes, p->id, p, GFP_KERNEL));
	if (ret) {
		if (pr->scope)
			upc_scope_remove_probe(p->id);
		free_percpu(p->hits);
		kfree(p);
		return ret;
	}
	upc_next_id++;
	p->cookie = req->cookie;
	p->pid = req->pid;
	p->scope = pr->scope;
	p->fetch = pr->fetch;
	p->site = site;
	p->sem = req->semaphore;
	p->kind = req->kind;
	p->group = req->group;
	p->head = pr->head;
	pr->head = NULL;
	if (p->sem)
		upc_sem_probe_added(p);
	strscpy(p->name, req->name, sizeof(p->name));
	if (req->flags & UPROBECTL_ADD_PERSISTENT) {
		p->flags |= UPROBECTL_PROBE_PERSISTENT;
	} else {
		p->owner = client;
		list_add_tail(&p->owner_node, &client->probes);
	}
	list_add_tail(&p->node, &upc_probes_all);
	upc_nprobes++;
	/* The probe holds them now. */
	pr->scope = NULL;
	pr->fetch = NULL;
	/* Counted from here on. */
	list_add_tail_rcu(&p->site_node, &site->probes);
	req->id = p->id;
	return 0;
}

static long upc_probe_prepare(struct uprobectl_add *req, struct upc_tfile *t,
			      struct upc_prep *pr)
{
	u64 seg_end;
	long ret;

	memset(pr, 0, sizeof(*pr));
	req->error[0] = 0;
	req->id = 0;
	if (!capable(CAP_SYS_ADMIN))
		return upc_fail(req, -EPERM, "adding probes needs CAP_SYS_ADMIN: run as root");
	if (req->flags & ~(UPROBECTL_ADD_PERSISTENT | UPROBECTL_ADD_FD))
		return upc_fail(req, -EINVAL, "unknown flags 0x%x", req->flags);
	if (req->pid < 0)
		return upc_fail(req, -EINVAL, "pid %d is negative", req->pid);
	if (req->kind > UPROBECTL_KIND_RETURN || req->pad)
		return upc_fail(req, -EINVAL, "unknown kind of probe %u", req->kind);
	if (req->group && req->kind != UPROBECTL_KIND_EXIT)
		return upc_fail(req, -EINVAL, "only an exit probe has a group");
	if (req->pid) {
		pr->scope = upc_find_tgid(req->pid);
		if (!pr->scope)
			return upc_fail(req, -ESRCH, "no process with pid %d", req->pid);
	}
	ret = upc_fetch_in(req, &pr->fetch);
	if (ret)
		return ret;
	ret = upc_tfile_resolve(t, req);
	if (ret)
		return ret;
	if (req->semaphore) {
		ret = upc_tfile_sem(t, req->semaphore, req);
		if (ret)
			return ret;
	}
	ret = upc_tfile_segment(t, req->offset, &seg_end, req);
	if (ret)
		return ret;
	ret = upc_insn_read(t->file, req->offset, seg_end, pr->insn, req);
	if (ret < 0)
		return ret;
	pr->ninsn = ret;
	return 0;
}

/*
 * Make the probe; registry lock held. Returns its site, referenced, for
 * the caller to install and then put (upc_probe_done()).
 */
static struct upc_site *upc_probe_commit(struct upc_client *client,
					 struct uprobectl_add *req, struct upc_tfile *t,
					 struct upc_prep *pr, long *err)
{
	struct upc_site *site;

	if (upc_nprobes >= UPC_MAX_PROBES) {
		*err = upc_fail(req, -ENOSPC, "too many probes (%d): delete some first",
				UPC_MAX_PROBES);
		return NULL;
	}
	if (req->group) {
		struct upc_probe *entry = xa_load(&upc_probes, req->group);

		if (!entry || entry->kind != UPROBECTL_KIND_ENTRY) {
			*err = upc_fail(req, -ENOENT, "no entry probe with id %llu for this exit probe",
					req->group);
			return NULL;
		}
		if (entry->site->inode != upc_tfile_inode(t)) {
			*err = upc_fail(req, -EINVAL, "exit probe and its entry probe %llu are in different files",
					req->group);
			return NULL;
		}
		upc_site_get(entry->site);
		pr->head = entry->site;
	}
	site = upc_site_find_or_make(t, req->offset, pr->insn, pr->ninsn, req, err);
	if (!site)
		return NULL;
	*err = upc_probe_make(client, req, t->dpath, site, pr);
	return site;
}

/* Installed (or failed): drop the site if no probe came of it. */
static void upc_probe_done(struct upc_site *site)
{
	upc_site_unhash_if_unused(site);
	upc_site_put(site);
}

/*
 * Probes are removed in batches: each is unlinked at once (no more hits
 * counted), its site is marked, and the breakpoints of every marked site
 * come out of each process in one pass at the end.
 */
struct upc_removal {
	struct upc_site **sites;	/* marked, held */
	int n, max;
	/* Room enough without memory: a removal never fails for want of it. */
	struct upc_site *few[8];
};

static void upc_removal_init(struct upc_removal *r, int max)
{
	r->n = 0;
	r->max = max ?: 1;
	r->sites = UPC_FAULT(removal) ? NULL :
		   kvmalloc_array(r->max, sizeof(*r->sites), GFP_KERNEL | __GFP_NOWARN);
	if (!r->sites) {
		r->sites = r->few;
		r->max = ARRAY_SIZE(r->few);
	}
}

static void upc_removal_finish(struct upc_removal *r)
{
	int i;

	if (r->n)
		upc_mm_remove_sites(r->sites, r->n);
	for (i = 0; i < r->n; i++) {
		r->sites[i]->removing = UPC_SITE_KEPT;
		upc_probe_done(r->sites[i]);
	}
	r->n = 0;
}

static void upc_removal_free(struct upc_removal *r)
{
	upc_removal_finish(r);
	if (r->sites != r->few)
		kvfree(r->sites);
}

/* Registry lock held. */
static void upc_probe_remove(struct upc_removal *r, struct upc_probe *p)
{
	struct upc_site *site = p->site;

	xa_erase(&upc_probes, p->id);
	list_del(&p->node);
	if (p->owner)
		list_del(&p->owner_node);
	list_del_rcu(&p->site_node);
	upc_nprobes--;
	if (p->scope)
		upc_scope_remove_probe(p->id);
	if (p->sem)
		upc_sem_probe_removed(p);
	if (site->removing == UPC_SITE_KEPT) {
		if (r->n == r->max)
			upc_removal_finish(r);
		upc_site_get(site);
		r->sites[r->n++] = site;
	}
	site->removing = list_empty(&site->probes) ? UPC_SITE_GOING : UPC_SITE_NARROWING;
	call_rcu(&p->rcu, upc_probe_free);
}

static void upc_probe_remove_one(struct upc_probe *p)
{
	struct upc_removal r;

	upc_removal_init(&r, 1);
	upc_probe_remove(&r, p);
	upc_removal_free(&r);
}

/* The exit probes of the entry probe @id go with it; registry lock. */
static u32 upc_probe_remove_group(struct upc_removal *r, u64 id)
{
	struct upc_probe *p, *tmp;
	u32 n = 0;

	list_for_each_entry_safe(p, tmp, &upc_probes_all, node) {
		if (p->group == id) {
			upc_probe_remove(r, p);
			n++;
		}
	}
	return n;
}

/* Remove the probe @id and its exit probes, if still there. */
void upc_probe_forget(u64 id)
{
	struct upc_removal r;
	struct upc_probe *p;

	mutex_lock(&upc_registry_lock);
	p = xa_load(&upc_probes, id);
	if (p) {
		upc_removal_init(&r, 1);
		upc_probe_remove(&r, p);
		upc_probe_remove_group(&r, id);
		upc_removal_free(&r);
	}
	mutex_unlock(&upc_registry_lock);
}

long upc_probe_add(struct upc_client *client, struct uprobectl_add *req)
{
	struct upc_tfile t = { 0 };
	struct upc_site *site;
	struct upc_prep pr;
	long ret;

	ret = upc_probe_prepare(req, &t, &pr);
	if (ret)
		goto out;
	mutex_lock(&upc_registry_lock);
	site = upc_probe_commit(client, req, &t, &pr, &ret);
	if (site) {
		if (!ret && upc_mm_install_site(site) < 0) {
			/* Not in every process it should be: not at all. */
			upc_probe_remove_one(xa_load(&upc_probes, req->id));
			req->id = 0;
			ret = upc_fail(req, -ENOMEM,
				       "out of memory putting the probe into running processes");
		}
		upc_probe_done(site);
	}
	mutex_unlock(&upc_registry_lock);
out:
	upc_prep_release(&pr);
	upc_tfile_release(&t);
	return ret;
}

/* One entry of a batch in, at @uentry; 0, or an errno for the whole call. */
static long upc_batch_entry_in(struct uprobectl_add *req, const void __user *uentry,
			       u32 entry_size)
{
	size_t n = min_t(size_t, entry_size, sizeof(*req));

	memset(req, 0, sizeof(*req));
	if (UPC_FAULT(batch_in) || copy_from_user(req, uentry, n))
		return -EFAULT;
	if (entry_size > sizeof(*req)) {
		int zero = check_zeroed_user(uentry + sizeof(*req),
					     entry_size - sizeof(*req));

		if (zero <= 0)
			return zero ?: -E2BIG;
	}
	req->name[sizeof(req->name) - 1] = 0;
	return 0;
}

/* The outputs of one entry: id and error (the rest is the caller's). */
static long upc_batch_entry_out(void __user *uentry, const struct uprobectl_add *req)
{
	if (UPC_FAULT(batch_out) ||
	    copy_to_user(uentry + offsetof(struct uprobectl_add, id), &req->id,
			 sizeof(req->id)) ||
	    copy_to_user(uentry + offsetof(struct uprobectl_add, error), req->error,
			 sizeof(req->error)))
		return -EFAULT;
	return 0;
}

long upc_probe_add_batch(struct upc_client *client, struct uprobectl_add_batch *b)
{
	void __user *entries = u64_to_user_ptr(b->entries);
	s32 __user *results = u64_to_user_ptr(b->results);
	struct upc_tfile t = { 0 };
	struct upc_site **sites;
	struct uprobectl_add *req;
	long ret = 0, first = 0;
	u32 i, nsites = 0;
	u64 *ids;

	b->added = 0;
	if (b->entry_size < UPROBECTL_ADD_SIZE_VER0 || b->entry_size > PAGE_SIZE ||
	    b->count > UPC_BATCH_MAX)
		return -EINVAL;
	if (!b->count)
		return 0;
	req = kmalloc(sizeof(*req), GFP_KERNEL);
	sites = kvmalloc_array(b->count, sizeof(*sites), GFP_KERNEL);
	ids = kvmalloc_array(b->count, sizeof(*ids), GFP_KERNEL);
	if (!req || !sites || !ids || UPC_FAULT(batch_alloc)) {
		kfree(req);
		kvfree(sites);
		kvfree(ids);
		return -ENOMEM;
	}
	for (i = 0; i < b->count; i++) {
		void __user *uentry = entries + (size_t)i * b->entry_size;
		struct upc_site *site = NULL;
		struct upc_prep pr;
		long err;

		ret = upc_batch_entry_in(req, uentry, b->entry_size);
		if (ret)
			break;
		err = upc_probe_prepare(req, &t, &pr);
		if (!err) {
			mutex_lock(&upc_registry_lock);
			site = upc_probe_commit(client, req, &t, &pr, &err);
			mutex_unlock(&upc_registry_lock);
		}
		upc_prep_release(&pr);
		if (site)
			sites[nsites++] = site;
		if (!err)
			ids[b->added++] = req->id;
		else if (!first)
			first = err;
		ret = upc_batch_entry_out(uentry, req);
		if (!ret && results && (UPC_FAULT(batch_result) || put_user((s32)err, results + i)))
			ret = -EFAULT;
		if (ret)
			break;
		cond_resched();
	}
	/* Into every running process at once: one walk for the batch. */
	mutex_lock(&upc_registry_lock);
	if (b->added && upc_mm_install_all() < 0) {
		/* Not in every process they should be: none is kept. */
		struct upc_removal r;

		upc_removal_init(&r, min_t(u32, b->added, UPC_REMOVAL_MAX));
		for (i = 0; i < b->added; i++) {
			struct upc_probe *p = xa_load(&upc_probes, ids[i]);

			if (!p)
				continue;
			upc_probe_remove(&r, p);
			upc_probe_remove_group(&r, ids[i]);
		}
		upc_removal_free(&r);
		b->added = 0;
		ret = -ENOMEM;
	}
	for (i = 0; i < nsites; i++)
		upc_probe_done(sites[i]);
	mutex_unlock(&upc_registry_lock);
	upc_tfile_release(&t);
	kvfree(ids);
	kvfree(sites);
	kfree(req);
	return ret ?: first;
}


/* Delete the probes of @n ids at @ids (a kernel copy); registry lock. */
static void upc_probe_del_copied(const u64 *ids, u32 n, u32 *deleted)
{
	struct upc_removal r;
	struct upc_probe *p;
	u32 i, kind;

	lockdep_assert_held(&upc_registry_lock);
	upc_removal_init(&r, min_t(u32, n, UPC_REMOVAL_MAX));
	for (i = 0; i < n; i++) {
		p = xa_load(&upc_probes, ids[i]);
		if (!p)
			continue;
		/* Read before it goes: the removal frees it after a grace period. */
		kind = p->kind;
		upc_probe_remove(&r, p);
		(*deleted)++;
		if (kind == UPROBECTL_KIND_ENTRY)
			*deleted += upc_probe_remove_group(&r, ids[i]);
	}
	upc_removal_free(&r);
}

/* Without memory for a copy of every id, this many at a time. */
#define UPC_DEL_CHUNK 16

/*
 * The ids are read before the registry lock is taken: a user buffer that
 * faults slowly (userfaultfd, FUSE) stalls only this caller.
 */
int upc_probe_del_ids(const u64 __user *ids, u32 count, u32 *deleted)
{
	u64 few[UPC_DEL_CHUNK], *buf;
	u32 i, n, room;

	*deleted = 0;
	buf = UPC_FAULT(del_copy) ? NULL :
	      kvmalloc_array(count, sizeof(*buf), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	room = count;
	if (!buf) {
		buf = few;
		room = UPC_DEL_CHUNK;
	}
	for (i = 0; i < count; i += n) {
		n = min(count - i, room);
		if (UPC_FAULT(del_id) || copy_from_user(buf, ids + i, n * sizeof(*ids))) {
			if (buf != few)
				kvfree(buf);
			return -EFAULT;
		}
		mutex_lock(&upc_registry_lock);
		upc_probe_del_copied(buf, n, deleted);
		mutex_unlock(&upc_registry_lock);
	}
	if (buf != few)
		kvfree(buf);
	return 0;
}

/* Remove every probe of @list (linked through @member); registry lock. */
#define upc_probe_remove_list(r, list, member, n)			\
	do {								\
		struct upc_probe *p_, *tmp_;				\
									\
		list_for_each_entry_safe(p_, tmp_, list, member) {	\
			upc_probe_remove(r, p_);			\
			(n)++;						\
		}							\
	} while (0)

int upc_probe_del_all(void)
{
	struct upc_removal r;
	int n = 0;

	lockdep_assert_held(&upc_registry_lock);
	upc_removal_init(&r, min(upc_nprobes, UPC_REMOVAL_MAX));
	upc_probe_remove_list(&r, &upc_probes_all, node, n);
	upc_removal_free(&r);
	return n;
}

void upc_client_release(struct upc_client *client)
{
	struct upc_removal r;
	int n = 0;

	mutex_lock(&upc_registry_lock);
	upc_removal_init(&r, min(upc_nprobes, UPC_REMOVAL_MAX));
	upc_probe_remove_list(&r, &client->probes, owner_node, n);
	upc_removal_free(&r);
	mutex_unlock(&upc_registry_lock);
}

static u64 upc_probe_hits(struct upc_probe *p)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(p->hits, cpu);
	return sum;
}

/*
 * One entry at a time, by id: each is filled under the registry lock and
 * copied out without it (a faulting buffer stalls only this caller).
 */
long upc_probe_list(struct upc_client *client, struct uprobectl_list *req)
{
	struct uprobectl_probe_info *info;
	size_t esize = req->entry_size;
	unsigned long next = 0;
	struct upc_probe *p;
	u32 room = req->count, n, filled = 0;
	long ret = 0;

	if (esize < offsetofend(struct uprobectl_probe_info, flags) || esize > PAGE_SIZE)
		return -EINVAL;
	info = UPC_FAULT(list_info) ? NULL : kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (;;) {
		void __user *dst;

		mutex_lock(&upc_registry_lock);
		p = filled < room ? xa_find(&upc_probes, &next, ULONG_MAX, XA_PRESENT) : NULL;
		if (!p) {
			n = upc_nprobes;
			mutex_unlock(&upc_registry_lock);
			break;
		}
		next = p->id + 1;
		memset(info, 0, sizeof(*info));
		info->id = p->id;
		info->cookie = p->cookie;
		info->offset = p->site->offset;
		info->hits = upc_probe_hits(p);
		info->pid = p->pid;
		info->flags = p->flags | (p->owner == client ? UPROBECTL_PROBE_MINE : 0);
		strscpy(info->name, p->name, sizeof(info->name));
		strscpy(info->path, p->path, sizeof(info->path));
		if (p->fetch) {
			info->nargs = p->fetch->nargs;
			memcpy(info->args, p->fetch->args,
			       p->fetch->nargs * sizeof(info->args[0]));
		}
		info->semaphore = p->sem;
		info->kind = p->kind;
		info->group = p->group;
		mutex_unlock(&upc_registry_lock);
		dst = u64_to_user_ptr(req->entries + (u64)filled * esize);
		if (UPC_FAULT(list_out) ||
		    copy_to_user(dst, info, min(esize, sizeof(*info))) ||
		    (esize > sizeof(*info) &&
		     clear_user(dst + sizeof(*info), esize - sizeof(*info)))) {
			ret = -EFAULT;
			break;
		}
		filled++;
	}
	kfree(info);
	if (ret)
		return ret;
	/* Probes added or deleted meanwhile: @count is the number at the end. */
	req->count = max(n, filled);
	req->filled = filled;
	return 0;
}

int upc_probe_count(void)
{
	return upc_nprobes;
}

int upc_site_count(void)
{
	return atomic_read(&upc_nsites);
}

int upc_probe_init(void)
{
	return 0;
}

void upc_probe_exit(void)
{
	rcu_barrier();
	xa_destroy(&upc_probes);
}
