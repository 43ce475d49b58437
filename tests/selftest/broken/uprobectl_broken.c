// SPDX-License-Identifier: GPL-2.0
/*
 * The test bed's self-test: this module WARNs when loaded. A run that loads
 * it must be reported as failed (see tests/check.sh).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init broken_init(void)
{
	WARN(1, "uprobectl_broken: deliberate warning for the test bed's self-test\n");
	return 0;
}

static void __exit broken_exit(void)
{
}

module_init(broken_init);
module_exit(broken_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Self-test of the uprobectl test bed: WARNs at load");
