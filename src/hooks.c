// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The module's attachment points in the kernel, all in one place. The
 * kernel calls its uprobes hooks at exactly the moments we need, whether
 * or not built-in uprobes are in use; they are not exported, so we attach
 * to their entry by name through ftrace, each with an ftrace_ops of its
 * own. Not kprobes: root can disarm every kprobe at once
 * (/sys/kernel/debug/kprobes/enabled), and a hook that stops silently
 * leaves state that points at freed tasks and address spaces. Our ops are
 * permanent (FTRACE_OPS_FL_PERMANENT): the one switch that stops ftrace
 * callbacks, sysctl kernel.ftrace_enabled, is refused while we are loaded.
 * A missing function fails module load with its name.
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

#include <linux/ftrace.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/trace_recursion.h>

#include "hooks.h"
#include "mm.h"
#include "ret.h"
#include "trap.h"

static void upc_hook_mmap(struct pt_regs *regs)
{
	upc_mm_mmap_hook((struct vm_area_struct *)regs_get_kernel_argument(regs, 0));
}

static void upc_hook_munmap(struct pt_regs *regs)
{
	upc_mm_munmap_hook((struct vm_area_struct *)regs_get_kernel_argument(regs, 0),
			   regs_get_kernel_argument(regs, 1),
			   regs_get_kernel_argument(regs, 2));
}

static void upc_hook_fork(struct pt_regs *regs)
{
	upc_mm_fork_hook((struct task_struct *)regs_get_kernel_argument(regs, 0),
			 regs_get_kernel_argument(regs, 1));
}

static void upc_hook_dup(struct pt_regs *regs)
{
	upc_mm_dup_hook((struct mm_struct *)regs_get_kernel_argument(regs, 0),
			(struct mm_struct *)regs_get_kernel_argument(regs, 1));
}

static void upc_hook_teardown(struct pt_regs *regs)
{
	upc_mm_teardown_hook((struct mm_struct *)regs_get_kernel_argument(regs, 0));
}

static void upc_hook_task_exit(struct pt_regs *regs)
{
	struct task_struct *t = (struct task_struct *)regs_get_kernel_argument(regs, 0);

	upc_ret_task_exit(t);
	upc_guards_drop(t);
}

static void upc_hook_signal(struct pt_regs *regs)
{
	upc_trap_signal_hook();
}

struct upc_hook {
	const char *name;
	void (*fn)(struct pt_regs *regs);
	struct ftrace_ops ops;
	bool registered;
};

/*
 * Every hook's entry: with the arguments' registers saved, preemption off
 * (as the hooks expect: they run where the hooked function was called,
 * some with spinlocks held, and take only raw locks and pools).
 */
static void notrace upc_hook_entry(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct upc_hook *h = container_of(op, struct upc_hook, ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);
	int bit;

	if (WARN_ON_ONCE(!regs))
		return;
	/*
	 * Fails only inside another ftrace callback of this context (one
	 * tracing our own code): nothing to do there but say so.
	 */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0) {
		pr_warn_ratelimited("hook %s skipped: called from within an ftrace callback\n",
				    h->name);
		return;
	}
	preempt_disable_notrace();
	h->fn(regs);
	preempt_enable_notrace();
	ftrace_test_recursion_unlock(bit);
}

#define UPC_HOOK(sym, handler) {					\
	.name = sym,							\
	.fn = handler,							\
	.ops = {							\
		.func = upc_hook_entry,					\
		.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_PERMANENT, \
	},								\
}

/* Unloaded first (see upc_hooks_exit()). */
#define UPC_HOOK_DUP 1

/*
 * Taken off in reverse order: the exit hook last, so no thread exits
 * unseen while the fork hook still copies its frames.
 */
static struct upc_hook upc_hooks[] = {
	UPC_HOOK("uprobe_free_utask", upc_hook_task_exit),
	[UPC_HOOK_DUP] = UPC_HOOK("uprobe_dup_mmap", upc_hook_dup),
	UPC_HOOK("uprobe_clear_state", upc_hook_teardown),
	UPC_HOOK("uprobe_copy_process", upc_hook_fork),
	UPC_HOOK("uprobe_mmap", upc_hook_mmap),
	UPC_HOOK("uprobe_munmap", upc_hook_munmap),
	UPC_HOOK("uprobe_deny_signal", upc_hook_signal),
};

static void upc_hook_off(struct upc_hook *h)
{
	if (!h->registered)
		return;
	/* Returns once no CPU can be in upc_hook_entry() for it. */
	if (unregister_ftrace_function(&h->ops))
		pr_crit("cannot detach from %s (ftrace is broken?): the kernel may call into freed module text\n",
			h->name);
	ftrace_free_filter(&h->ops);
	h->registered = false;
}

static int upc_hook_on(struct upc_hook *h)
{
	char name[KSYM_NAME_LEN];
	int ret;

	strscpy(name, h->name, sizeof(name));
	ret = ftrace_set_filter(&h->ops, name, strlen(name), 1);
	if (!ret)
		ret = register_ftrace_function(&h->ops);
	if (ret) {
		ftrace_free_filter(&h->ops);
		if (ret == -EBUSY)
			pr_err("cannot attach to the kernel function %s (error %d): ftrace is off: run 'sysctl kernel.ftrace_enabled=1'\n",
			       h->name, ret);
		else if (ret == -ENODEV)
			pr_err("cannot attach to the kernel function %s (error %d): ftrace was disabled after an error of its own (see the kernel log): reboot\n",
			       h->name, ret);
		else
			pr_err("cannot attach to the kernel function %s (error %d): this kernel lacks CONFIG_UPROBES or CONFIG_DYNAMIC_FTRACE_WITH_REGS\n",
			       h->name, ret);
		return ret;
	}
	h->registered = true;
	return 0;
}

int upc_hooks_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(upc_hooks); i++) {
		ret = upc_hook_on(&upc_hooks[i]);
		if (ret) {
			while (i-- > 0)
				upc_hook_off(&upc_hooks[i]);
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
	upc_hook_off(&upc_hooks[UPC_HOOK_DUP]);
	upc_fork_wait();
	for (i = ARRAY_SIZE(upc_hooks); i-- > 0;)
		upc_hook_off(&upc_hooks[i]);
}
