/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The probe registry: probes, the sites they share (one per probed file
 * offset), and the clients (open /dev/uprobectl files) that own them.
 */
#ifndef _UPC_PROBE_H
#define _UPC_PROBE_H

#include <linux/list.h>
#include <linux/path.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <uapi/linux/uprobectl.h>

#include "insn.h"

struct upc_fetch;
struct upc_mm;
struct upc_retinfo;

/*
 * Serialises every change to probes, sites, per-mm breakpoints and scopes:
 * the control plane (ioctls, fd release, module exit) and the deferred work
 * of the mmap and fork hooks. Never taken on the trap path. Nests outside
 * upc_mm.lock and mmap_lock.
 */
extern struct mutex upc_registry_lock;

/* One probed instruction of one file; shared by all probes on it. */
struct upc_site {
	struct hlist_node hnode;	/* upc_sites; registry lock, RCU readers */
	struct inode *inode;		/* held */
	/*
	 * The file's path, held: it pins the mount, so that a filesystem
	 * (a container's tmpfs, say) is not shut down under our inode
	 * reference when its last other user goes. As with the kernel's
	 * uprobes, umount of it is EBUSY while a probe is on it.
	 */
	struct path path;
	u64 offset;			/* file offset of the instruction */
	u8 insn[UPC_INSN_MAX];		/* its bytes, from the file */
	struct upc_insn dec;
	struct upc_insn_class_info cls;
	struct list_head probes;	/* upc_probe.site_node; registry lock, RCU readers */
	refcount_t ref;			/* table, probes, breakpoints, walks */
	u8 removing;			/* UPC_SITE_*, during a removal; registry lock */
	struct rcu_work free_work;
};

/* upc_site.removing: what a removal in progress does to its breakpoints. */
enum {
	UPC_SITE_KEPT,		/* nothing */
	UPC_SITE_NARROWING,	/* out of processes no probe wants it in */
	UPC_SITE_GOING,		/* out of every process: no probe left */
};

/* The owner of non-persistent probes: one open /dev/uprobectl. */
struct upc_client {
	struct list_head probes;	/* upc_probe.owner_node; registry lock */
	struct upc_sub *sub;		/* events subscription, set once */
};

struct upc_probe {
	u64 id;
	u64 cookie;
	u32 flags;			/* UPROBECTL_PROBE_PERSISTENT */
	pid_t pid;			/* as asked; 0 for every process */
	struct pid *scope;		/* that process's tgid, held; NULL: every process */
	struct upc_site *site;
	struct upc_client *owner;	/* NULL once persistent or orphaned */
	u64 __percpu *hits;
	struct upc_fetch *fetch;	/* arguments of its events, or NULL */
	u64 sem;			/* file offset of its SDT semaphore, or 0 */
	u32 kind;			/* UPROBECTL_KIND_* */
	u64 group;			/* KIND_EXIT: its entry probe's id, or 0 */
	struct upc_site *head;		/* KIND_EXIT: that probe's site, held */
	struct list_head sem_node;	/* sem.c's list, if sem; registry lock */
	struct list_head site_node;	/* upc_site.probes */
	struct list_head owner_node;	/* upc_client.probes */
	struct list_head node;		/* upc_probe_list */
	char name[UPROBECTL_NAME_LEN];
	struct rcu_head rcu;
	char path[];			/* of the file, as listed */
};

/* Fill @req->error with the reason and return @err. */
__printf(3, 4) long upc_fail(struct uprobectl_add *req, long err, const char *fmt, ...);

long upc_probe_add(struct upc_client *client, struct uprobectl_add *req);
long upc_probe_add_batch(struct upc_client *client, struct uprobectl_add_batch *b);
/*
 * Delete the probes of @count ids at @ids (missing ones skipped). Takes the
 * registry lock itself, after the ids are read.
 */
int upc_probe_del_ids(const u64 __user *ids, u32 count, u32 *deleted);
void upc_probe_forget(u64 id);
int upc_probe_del_all(void);
void upc_client_release(struct upc_client *client);
long upc_probe_list(struct upc_client *client, struct uprobectl_list *req);

void upc_site_get(struct upc_site *site);
/* For RCU readers (the trap path): false if the site is on its way out. */
bool upc_site_tryget(struct upc_site *site);
void upc_site_put(struct upc_site *site);
/* Is some site on this inode? (RCU, for the mmap hook's quick filter.) */
bool upc_inode_probed(const struct inode *inode);
/* The site at (@inode, @offset), or NULL (RCU, no reference taken). */
struct upc_site *upc_site_lookup(const struct inode *inode, u64 offset);
/* The sites on @inode whose offsets fall in [start, end); registry lock. */
int upc_sites_in_range(const struct inode *inode, u64 start, u64 end,
		       struct upc_site **out, int max);
/* Does a probe of @site apply to the process @owner (registry lock)? */
bool upc_site_wanted(const struct upc_site *site, struct pid *owner);
/*
 * A hit on @site at @vaddr for the current task (trap path, RCU): count
 * it, record it, and follow the call for entry and return probes. Returns
 * -EAGAIN if a return probe needs the trampoline, which only the thread's
 * own task context can make: then finish with upc_site_frame() there.
 */
int upc_site_hit(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		 struct pt_regs *regs);
void upc_site_frame(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		    struct pt_regs *regs);
/* The function entered at @site returned (trap path, RCU). */
void upc_site_ret_hit(struct upc_site *site, struct pt_regs *regs,
		      const struct upc_retinfo *ri);

int upc_probe_count(void);
int upc_site_count(void);
int upc_probe_init(void);
void upc_probe_exit(void);

#endif /* _UPC_PROBE_H */
