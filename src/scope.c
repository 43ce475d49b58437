// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The scope table: tgid struct pid -> ids of the pid-scoped probes covering
 * that process. Entries are replaced whole (copy, then publish), so the
 * trap path reads them under RCU without a lock.
 */

#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "probe.h"
#include "fault.h"
#include "scope.h"

struct upc_scope {
	struct hlist_node hnode;	/* upc_scopes */
	struct pid *tgid;		/* held */
	unsigned int n;
	struct rcu_head rcu;
	u64 ids[];
};

/* Writers hold upc_registry_lock; readers use RCU. */
static DEFINE_HASHTABLE(upc_scopes, 8);
static int upc_scope_entries;		/* registry lock */
static int upc_scope_prune_at = 64;	/* registry lock */

static struct upc_scope *upc_scope_find(struct pid *tgid)
{
	struct upc_scope *s;

	hash_for_each_possible_rcu(upc_scopes, s, hnode, (unsigned long)tgid)
		if (s->tgid == tgid)
			return s;
	return NULL;
}

bool upc_scope_has(struct pid *tgid, u64 id)
{
	struct upc_scope *s = upc_scope_find(tgid);
	unsigned int i;

	if (!s)
		return false;
	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return true;
	return false;
}

bool upc_scope_any(struct pid *tgid)
{
	bool any;

	rcu_read_lock();
	any = upc_scope_find(tgid);
	rcu_read_unlock();
	return any;
}

static void upc_scope_free_rcu(struct rcu_head *rcu)
{
	struct upc_scope *s = container_of(rcu, struct upc_scope, rcu);

	put_pid(s->tgid);
	kfree(s);
}

/* Replace @old (may be NULL) by a copy with @n ids, or remove it if @n is 0. */
static int upc_scope_replace(struct pid *tgid, struct upc_scope *old,
			     const u64 *ids, unsigned int n)
{
	struct upc_scope *s = NULL;

	if (n) {
		s = UPC_FAULT(scope) ? NULL : kmalloc(struct_size(s, ids, n), GFP_KERNEL);
		if (!s)
			return -ENOMEM;
		s->tgid = get_pid(tgid);
		s->n = n;
		memcpy(s->ids, ids, n * sizeof(*ids));
		hash_add_rcu(upc_scopes, &s->hnode, (unsigned long)tgid);
		upc_scope_entries++;
	}
	if (old) {
		hash_del_rcu(&old->hnode);
		upc_scope_entries--;
		call_rcu(&old->rcu, upc_scope_free_rcu);
	}
	return 0;
}

int upc_scope_add(struct pid *tgid, u64 id)
{
	struct upc_scope *old = upc_scope_find(tgid);
	unsigned int n = old ? old->n : 0;
	u64 *ids;
	int ret;

	if (old && upc_scope_has(tgid, id))
		return 0;
	ids = UPC_FAULT(scope_ids) ? NULL : kmalloc_array(n + 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	if (n)
		memcpy(ids, old->ids, n * sizeof(*ids));
	ids[n] = id;
	ret = upc_scope_replace(tgid, old, ids, n + 1);
	kfree(ids);
	return ret;
}

void upc_scope_remove_probe(u64 id)
{
	struct upc_scope *s;
	struct hlist_node *tmp;
	unsigned int bkt, i, j;
	int ret;

	hash_for_each_safe(upc_scopes, bkt, tmp, s, hnode) {
		u64 *ids;

		if (!upc_scope_has(s->tgid, id))
			continue;
		ids = UPC_FAULT(scope_ids) ? NULL : kmalloc_array(s->n, sizeof(*ids), GFP_KERNEL);
		if (ids) {
			for (i = 0, j = 0; i < s->n; i++)
				if (s->ids[i] != id)
					ids[j++] = s->ids[i];
			ret = upc_scope_replace(s->tgid, s, ids, j);
			kfree(ids);
			if (!ret)
				continue;
		}
		/*
		 * No memory for a copy: shrink in place, which a removal must
		 * be able to do. A reader may miss another id once.
		 */
		for (i = 0, j = 0; i < s->n; i++)
			if (s->ids[i] != id)
				WRITE_ONCE(s->ids[j++], s->ids[i]);
		WRITE_ONCE(s->n, j);
	}
}

/* Drop the entries of processes that have exited. */
static void upc_scope_prune(void)
{
	struct upc_scope *s;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(upc_scopes, bkt, tmp, s, hnode)
		if (!pid_has_task(s->tgid, PIDTYPE_TGID))
			upc_scope_replace(s->tgid, s, NULL, 0);
	upc_scope_prune_at = max(64, 2 * upc_scope_entries);
}

int upc_scope_inherit(struct pid *parent, struct pid *child)
{
	struct upc_scope *p = upc_scope_find(parent);

	if (!p || upc_scope_find(child))
		return 0;
	if (upc_scope_entries >= upc_scope_prune_at)
		upc_scope_prune();
	return upc_scope_replace(child, NULL, p->ids, p->n);
}

struct pid *upc_find_tgid(pid_t nr)
{
	struct pid *pid = find_get_pid(nr), *tgid = NULL;
	struct task_struct *t;

	rcu_read_lock();
	t = pid ? pid_task(pid, PIDTYPE_PID) : NULL;
	if (t)
		tgid = get_pid(task_tgid(t));
	rcu_read_unlock();
	put_pid(pid);
	return tgid;
}

int upc_scope_count(void)
{
	return upc_scope_entries;
}

void upc_scope_exit(void)
{
	struct upc_scope *s;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(upc_scopes, bkt, tmp, s, hnode)
		upc_scope_replace(s->tgid, s, NULL, 0);
}
