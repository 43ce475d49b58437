// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The misc device /dev/uprobectl and its ioctl dispatch. This layer stays
 * thin: it checks who may call, copies arguments in and out through abi.c
 * and hands them to the subsystem that owns the command.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <uapi/linux/uprobectl.h>

#include "abi.h"
#include "upc.h"

static int upc_open(struct inode *inode, struct file *file)
{
	/* The node is 0600 root; a root without CAP_SYS_ADMIN is refused too. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
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
	default:
		return -ENOTTY;
	}
}

static const struct file_operations upc_fops = {
	.owner = THIS_MODULE,
	.open = upc_open,
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
	int ret = misc_register(&upc_misc);

	if (ret)
		pr_err("cannot register /dev/uprobectl: %d\n", ret);
	return ret;
}

void upc_device_exit(void)
{
	misc_deregister(&upc_misc);
}
