// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The module's attachment points in the kernel, all in one place. The
 * kernel calls its uprobes hooks at exactly the moments we need, whether
 * or not built-in uprobes are in use; they are not exported, so we attach
 * kprobes (ftrace-based on function entry) to them by name. A missing one
 * fails module load with its name.
 *
 *   uprobe_mmap(vma)              a file mapping was created, split or merged
 *   uprobe_munmap(vma, start, end) pages of a file mapping are going
 *   uprobe_dup_mmap(old, new)     fork is copying an address space (old's
 *                                 mmap_lock held for writing)
 *   uprobe_copy_process(p, flags) a task was created (a process: new mm)
 *   uprobe_free_utask(task)       a task exits or execs (its stack goes)
 *   uprobe_clear_state(mm)        an address space is being torn down
 *   uprobe_deny_signal()          a signal is about to be delivered to current
 */

#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/sched.h>

#include "hooks.h"
#include "mm.h"
#include "ret.h"
#include "trap.h"

static int upc_hook_mmap(struct kprobe *kp, struct pt_regs *regs)
{
	upc_mm_mmap_hook((struct vm_area_struct *)regs_get_kernel_argument(regs, 0));
	return 0;
}

static int upc_hook_munmap(struct kprobe *kp, struct pt_regs *regs)
{
	upc_mm_munmap_hook((struct vm_area_struct *)regs_get_kernel_argument(regs, 0),
			   regs_get_kernel_argument(regs, 1),
			   regs_get_kernel_argument(regs, 2));
	return 0;
}

static int upc_hook_fork(struct kprobe *kp, struct pt_regs *regs)
{
	upc_mm_fork_hook((struct task_struct *)regs_get_kernel_argument(regs, 0),
			 regs_get_kernel_argument(regs, 1));
	return 0;
}

static int upc_hook_dup(struct kprobe *kp, struct pt_regs *regs)
{
	upc_mm_dup_hook((struct mm_struct *)regs_get_kernel_argument(regs, 0),
			(struct mm_struct *)regs_get_kernel_argument(regs, 1));
	return 0;
}

static int upc_hook_teardown(struct kprobe *kp, struct pt_regs *regs)
{
	upc_mm_teardown_hook((struct mm_struct *)regs_get_kernel_argument(regs, 0));
	return 0;
}

static int upc_hook_task_exit(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *t = (struct task_struct *)regs_get_kernel_argument(regs, 0);

	upc_ret_task_exit(t);
	upc_guards_drop(t);
	return 0;
}

static int upc_hook_signal(struct kprobe *kp, struct pt_regs *regs)
{
	upc_trap_signal_hook();
	return 0;
}

/* Unloaded first (see upc_hooks_exit()). */
#define UPC_HOOK_DUP 1

static struct kprobe upc_kprobes[] = {
	{ .symbol_name = "uprobe_clear_state", .pre_handler = upc_hook_teardown },
	[UPC_HOOK_DUP] = { .symbol_name = "uprobe_dup_mmap", .pre_handler = upc_hook_dup },
	{ .symbol_name = "uprobe_copy_process", .pre_handler = upc_hook_fork },
	{ .symbol_name = "uprobe_mmap", .pre_handler = upc_hook_mmap },
	{ .symbol_name = "uprobe_munmap", .pre_handler = upc_hook_munmap },
	{ .symbol_name = "uprobe_deny_signal", .pre_handler = upc_hook_signal },
	{ .symbol_name = "uprobe_free_utask", .pre_handler = upc_hook_task_exit },
};

static void upc_hooks_unregister(int n)
{
	while (n-- > 0)
		unregister_kprobe(&upc_kprobes[n]);
}

int upc_hooks_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(upc_kprobes); i++) {
		ret = register_kprobe(&upc_kprobes[i]);
		if (ret) {
			pr_err("cannot attach to the kernel function %s (error %d): this kernel lacks CONFIG_UPROBES or kprobes\n",
			       upc_kprobes[i].symbol_name, ret);
			upc_hooks_unregister(i);
			return ret;
		}
	}
	return 0;
}

void upc_hooks_exit(void)
{
	int i;

	/*
	 * No fork copies our state any more; those copied already make
	 * their child (the fork hook) or fail (the teardown hook) before
	 * those go.
	 */
	unregister_kprobe(&upc_kprobes[UPC_HOOK_DUP]);
	upc_fork_wait();
	for (i = ARRAY_SIZE(upc_kprobes); i-- > 0;)
		if (i != UPC_HOOK_DUP)
			unregister_kprobe(&upc_kprobes[i]);
}
