// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Module entry and exit: a linear chain of subsystem initialisations,
 * unwound in reverse on failure and at unload.
 */

#include <linux/module.h>

#include <linux/rcupdate.h>

#include "hooks.h"
#include "mm.h"
#include "pool.h"
#include "probe.h"
#include "ret.h"
#include "scope.h"
#include "trap.h"
#include "upc.h"
#include "work.h"
#include "xol.h"

static int __init upc_init(void)
{
	int ret;

	ret = upc_pool_init();
	if (ret)
		return ret;
	ret = upc_mm_init();
	if (ret)
		goto err_pool;
	ret = upc_probe_init();
	if (ret)
		goto err_mm;
	ret = upc_trap_init();
	if (ret)
		goto err_probe;
	ret = upc_hooks_init();
	if (ret)
		goto err_trap;
	ret = upc_device_init();
	if (ret)
		goto err_hooks;

	pr_info("version %s loaded\n", UPROBECTL_VERSION);
	return 0;

err_hooks:
	upc_hooks_exit();
err_trap:
	upc_trap_exit();
	upc_twork_drain();
	upc_fork_exit();
err_probe:
	upc_probe_exit();
err_mm:
	upc_mm_exit();
err_pool:
	upc_pool_exit();
	return ret;
}

/* Everything counted must be back to zero once the state is freed. */
static void upc_check_leaks(void)
{
	struct upc_ret_stats rst;
	struct upc_mm_stats st;

	upc_ret_stats(&rst);
	if (rst.missed)
		pr_info("%llu calls were not followed to their return (more than %d deep in a thread, no return address on the stack, or no memory)\n",
			rst.missed, UPROBECTL_RET_DEPTH);
	if (rst.frames || rst.tasks)
		pr_err("leak at unload: %llu call frames of %llu threads\n",
		       rst.frames, rst.tasks);
	upc_mm_stats(&st);
	if (st.mms || st.bps || st.forks || upc_site_count() || upc_xol_count())
		pr_err("leak at unload: %d mm states, %d breakpoints, %d forks, %d sites, %d slot areas\n",
		       st.mms, st.bps, st.forks, upc_site_count(), upc_xol_count());
}

/*
 * Every breakpoint comes out first, while the trap path still answers for
 * threads that hit one just before; then the hooks and the notifier go,
 * queued task works run out, and the state is freed.
 */
static void __exit upc_exit(void)
{
	int n;

	upc_device_exit();
	mutex_lock(&upc_registry_lock);
	n = upc_probe_del_all();
	upc_scope_exit();
	mutex_unlock(&upc_registry_lock);
	/*
	 * Every byte is back; a thread that executed one of our int3s just
	 * before may still be on its way to the notifier, and without it
	 * would die of SIGTRAP. Let such threads through first.
	 */
	upc_wait_tasks_quiescent();
	/* Return addresses replaced on stacks go back while traps are handled. */
	upc_ret_unload();
	upc_hooks_exit();
	synchronize_rcu();
	upc_trap_exit();
	upc_twork_drain();
	/*
	 * A callback that said it was done may still be running its last
	 * instructions (its epilogue, after up()): RCU Tasks waits until
	 * every task has switched voluntarily or been in user mode since.
	 */
	upc_wait_tasks_quiescent();
	upc_ret_exit();
	upc_fork_exit();
	upc_mm_exit();
	upc_probe_exit();
	upc_pool_exit();
	upc_check_leaks();
	pr_info("version %s unloaded (%d probes removed)\n", UPROBECTL_VERSION, n);
}

module_init(upc_init);
module_exit(upc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("User-space probes (uprobes) controlled through /dev/uprobectl");
MODULE_AUTHOR("The uprobectl authors");
MODULE_VERSION(UPROBECTL_VERSION);
