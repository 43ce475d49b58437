// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The misc device /dev/uprobectl and its ioctl dispatch. This layer stays
 * thin: it checks who may call, copies arguments in and out through abi.c
 * and hands them to the subsystem that owns the command.
 */

#include <linux/capability.h>
#include <linux/user_namespace.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/uprobectl.h>

#include "abi.h"
#include "fault.h"
#include "event.h"
#include "mm.h"
#include "probe.h"
#include "ret.h"
#include "scope.h"
#include "upc.h"
#include "work.h"
#include "xol.h"

/* Ids one DEL call takes (the registry lock is held throughout). */
#define UPC_DEL_MAX	65536

/* Open files of the device, for the accounting. */
static atomic_t upc_clients = ATOMIC_INIT(0);

/*
 * Every call but VERSION needs CAP_SYS_ADMIN of its caller, not only of
 * the opener: an fd passed over a socket (SCM_RIGHTS) or inherited across
 * a drop of privileges gives nothing.
 */
static bool upc_caller_may(void)
{
	return capable(CAP_SYS_ADMIN);
}

/* The same for read() and poll(), which a reader calls all the time: no audit record each. */
static bool upc_reader_may(void)
{
	return ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

static int upc_open(struct inode *inode, struct file *file)
{
	struct upc_client *client;

	/* The node is 0600 root; a root without CAP_SYS_ADMIN is refused too. */
	if (!upc_caller_may())
		return -EPERM;
	client = UPC_FAULT(client) ? NULL : kzalloc(sizeof(*client), GFP_KERNEL);
	if (!client)
		return -ENOMEM;
	INIT_LIST_HEAD(&client->probes);
	file->private_data = client;
	atomic_inc(&upc_clients);
	return nonseekable_open(inode, file);
}

/* The fd's probes go with it, unless they were added as persistent. */
static int upc_release(struct inode *inode, struct file *file)
{
	struct upc_client *client = file->private_data;

	upc_event_release(client->sub);
	upc_client_release(client);
	kfree(client);
	atomic_dec(&upc_clients);
	return 0;
}

static long upc_ioctl_add(struct upc_client *client, void __user *arg)
{
	struct uprobectl_add req;
	long ret, ret2;

	ret = upc_struct_in(&req, sizeof(req), UPROBECTL_ADD_SIZE_VER0, arg);
	if (ret)
		return ret;
	req.name[sizeof(req.name) - 1] = 0;
	ret = upc_probe_add(client, &req);
	/* The reason goes back on failure too. */
	ret2 = upc_struct_out(arg, &req, sizeof(req));
	/* A probe whose id cannot be told would stay, out of reach. */
	if (!ret && ret2)
		upc_probe_forget(req.id);
	return ret ?: ret2;
}

static long upc_ioctl_add_batch(struct upc_client *client, void __user *arg)
{
	struct uprobectl_add_batch b;
	long ret, ret2;

	/* Once, not for each of up to 65536 entries. */
	if (!upc_caller_may())
		return -EPERM;
	ret = upc_struct_in(&b, sizeof(b), UPROBECTL_ADD_BATCH_SIZE_VER0, arg);
	if (ret)
		return ret;
	ret = upc_probe_add_batch(client, &b);
	/* @added goes back whatever happened. */
	ret2 = upc_struct_out(arg, &b, sizeof(b));
	return ret ?: ret2;
}

static long upc_ioctl_del(void __user *arg)
{
	struct uprobectl_del req;
	u64 __user *ids;
	long ret;

	ret = upc_struct_in(&req, sizeof(req), UPROBECTL_DEL_SIZE_VER0, arg);
	if (ret)
		return ret;
	if ((req.flags & ~UPROBECTL_DEL_ALL) || req.count > UPC_DEL_MAX)
		return -EINVAL;
	ids = u64_to_user_ptr(req.ids);
	req.deleted = 0;
	if (req.flags & UPROBECTL_DEL_ALL) {
		mutex_lock(&upc_registry_lock);
		req.deleted = upc_probe_del_all();
		mutex_unlock(&upc_registry_lock);
	} else {
		ret = upc_probe_del_ids(ids, req.count, &req.deleted);
	}
	if (!ret && !req.deleted && !(req.flags & UPROBECTL_DEL_ALL) && req.count)
		ret = -ENOENT;
	return upc_struct_out(arg, &req, sizeof(req)) ?: ret;
}

static long upc_ioctl_list(struct upc_client *client, void __user *arg)
{
	struct uprobectl_list req;
	long ret;

	ret = upc_struct_in(&req, sizeof(req), UPROBECTL_LIST_SIZE_VER0, arg);
	if (ret)
		return ret;
	ret = upc_probe_list(client, &req);
	if (ret)
		return ret;
	return upc_struct_out(arg, &req, sizeof(req));
}

static long upc_ioctl_stats(void __user *arg)
{
	struct uprobectl_stats st = { 0 };
	struct upc_ret_stats rst;
	struct upc_mm_stats mst;
	long ret;

	ret = upc_struct_in(&st, sizeof(st), UPROBECTL_STATS_SIZE_VER0, arg);
	if (ret)
		return ret;
	upc_mm_stats(&mst);
	st.clients = atomic_read(&upc_clients);
	mutex_lock(&upc_registry_lock);
	st.probes = upc_probe_count();
	st.scopes = upc_scope_count();
	mutex_unlock(&upc_registry_lock);
	st.sites = upc_site_count();
	st.processes = mst.mms;
	st.breakpoints = mst.bps;
	st.forks = mst.forks;
	st.subscribers = upc_event_count();
	st.xol_areas = upc_xol_count();
	st.deferred = max(upc_twork_pending(), 0);
	upc_ret_stats(&rst);
	st.frames = rst.frames;
	st.thread_states = rst.tasks;
	return upc_struct_out(arg, &st, sizeof(st));
}

static long upc_ioctl_subscribe(struct upc_client *client, void __user *arg)
{
	struct uprobectl_subscribe req;
	long ret;

	ret = upc_struct_in(&req, sizeof(req), UPROBECTL_SUBSCRIBE_SIZE_VER0, arg);
	if (ret)
		return ret;
	return upc_event_subscribe(&client->sub, &req);
}

static long upc_ioctl_event_stats(struct upc_client *client, void __user *arg)
{
	struct uprobectl_event_stats st = { 0 };
	/* Pairs with the release in upc_event_subscribe(). */
	struct upc_sub *sub = smp_load_acquire(&client->sub);
	long ret;

	ret = upc_struct_in(&st, sizeof(st), UPROBECTL_EVENT_STATS_SIZE_VER0, arg);
	if (ret)
		return ret;
	if (!sub)
		return -ENOENT;
	upc_event_stats(sub, &st);
	return upc_struct_out(arg, &st, sizeof(st));
}

static ssize_t upc_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	struct upc_client *client = file->private_data;
	/* Pairs with the release in upc_event_subscribe(). */
	struct upc_sub *sub = smp_load_acquire(&client->sub);

	if (!upc_reader_may())
		return -EPERM;
	/* Not subscribed: nothing to read, ever. */
	if (!sub)
		return -EINVAL;
	return upc_event_read(sub, buf, len, file->f_flags & O_NONBLOCK);
}

static __poll_t upc_poll(struct file *file, poll_table *pt)
{
	struct upc_client *client = file->private_data;
	/* Pairs with the release in upc_event_subscribe(). */
	struct upc_sub *sub = smp_load_acquire(&client->sub);

	if (!sub || !upc_reader_may())
		return EPOLLERR;
	return upc_event_poll(sub, file, pt);
}

static long upc_ioctl_version(void __user *arg)
{
	struct uprobectl_version v = { 0 };
	int ret;

	ret = upc_struct_in(&v, sizeof(v), UPROBECTL_VERSION_SIZE_VER0, arg);
	if (ret)
		return ret;
	v.abi_version = UPROBECTL_ABI_VERSION;
	v.features = UPC_FEATURES;
	strscpy(v.module_version, UPROBECTL_VERSION, sizeof(v.module_version));
	return upc_struct_out(arg, &v, sizeof(v));
}

static long upc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/*
	 * Dispatch on type and number only: the size bits of the command are
	 * those of a struct's first version, and the struct's own size member
	 * is what tells its length.
	 */
	if (_IOC_TYPE(cmd) != UPROBECTL_IOC_MAGIC)
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(UPROBECTL_IOC_VERSION):
		return upc_ioctl_version(uarg);
	/* These two check it themselves: ADD says why in the request. */
	case _IOC_NR(UPROBECTL_IOC_ADD):
		return upc_ioctl_add(file->private_data, uarg);
	case _IOC_NR(UPROBECTL_IOC_ADD_BATCH):
		return upc_ioctl_add_batch(file->private_data, uarg);
	}
	if (!upc_caller_may())
		return -EPERM;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(UPROBECTL_IOC_DEL):
		return upc_ioctl_del(uarg);
	case _IOC_NR(UPROBECTL_IOC_LIST):
		return upc_ioctl_list(file->private_data, uarg);
	case _IOC_NR(UPROBECTL_IOC_STATS):
		return upc_ioctl_stats(uarg);
	case _IOC_NR(UPROBECTL_IOC_SUBSCRIBE):
		return upc_ioctl_subscribe(file->private_data, uarg);
	case _IOC_NR(UPROBECTL_IOC_EVENT_STATS):
		return upc_ioctl_event_stats(file->private_data, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations upc_fops = {
	.owner = THIS_MODULE,
	.open = upc_open,
	.release = upc_release,
	.read = upc_read,
	.poll = upc_poll,
	.unlocked_ioctl = upc_ioctl,
};

static struct miscdevice upc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "uprobectl",
	.fops = &upc_fops,
	.mode = 0600,
};

int upc_device_init(void)
{
	int ret;

	/* The published first sizes are ABI: they never change. */
	BUILD_BUG_ON(sizeof(struct uprobectl_version) != UPROBECTL_VERSION_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct uprobectl_add) != UPROBECTL_ADD_SIZE_VER3);
	BUILD_BUG_ON(sizeof(struct uprobectl_fetch) != UPROBECTL_FETCH_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct uprobectl_probe_info) != UPROBECTL_PROBE_INFO_SIZE_VER3);
	BUILD_BUG_ON(sizeof(struct uprobectl_event_ret) != 32);
	BUILD_BUG_ON(sizeof(struct uprobectl_event) + sizeof(struct uprobectl_event_args) +
		     UPROBECTL_FETCH_MAX * (8 + UPROBECTL_FETCH_STRLEN) > UPROBECTL_EVENT_MAX);
	BUILD_BUG_ON(sizeof(struct uprobectl_del) != UPROBECTL_DEL_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct uprobectl_list) != UPROBECTL_LIST_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct uprobectl_stats) != UPROBECTL_STATS_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct uprobectl_add_batch) != UPROBECTL_ADD_BATCH_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct uprobectl_subscribe) != UPROBECTL_SUBSCRIBE_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct uprobectl_event_stats) != UPROBECTL_EVENT_STATS_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct uprobectl_event) != 112);
	BUILD_BUG_ON(sizeof(struct uprobectl_event_lost) != 24);

	ret = misc_register(&upc_misc);
	if (ret)
		pr_err("cannot register /dev/uprobectl: %d\n", ret);
	return ret;
}

void upc_device_exit(void)
{
	misc_deregister(&upc_misc);
}
