// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Module entry and exit: a linear chain of subsystem initialisations,
 * unwound in reverse on failure and at unload.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "upc.h"

static int __init upc_init(void)
{
	int ret;

	ret = upc_device_init();
	if (ret)
		return ret;

	pr_info("version %s loaded\n", UPROBECTL_VERSION);
	return 0;
}

static void __exit upc_exit(void)
{
	upc_device_exit();
	pr_info("version %s unloaded\n", UPROBECTL_VERSION);
}

module_init(upc_init);
module_exit(upc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("User-space probes (uprobes) controlled through /dev/uprobectl");
MODULE_AUTHOR("The uprobectl authors");
MODULE_VERSION(UPROBECTL_VERSION);
