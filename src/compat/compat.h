/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The one place where kernel-version differences live. This header is
 * force-included into every object of the module (see Kbuild), so the rest
 * of the code reads as if written for a single kernel. Supported: 6.1 and
 * 6.12 (Debian 12's two kernel lines).
 */
#ifndef _UPC_COMPAT_H
#define _UPC_COMPAT_H

/* Every message of the module starts with its name. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * UPC_KVER is major * 256 + minor of the kernel being built against, set by
 * Kbuild from the kernel's own make variables (so sublevels of 256 and more,
 * which saturate LINUX_VERSION_CODE, cannot confuse it).
 */
#define UPC_KV(maj, min) ((maj) * 256 + (min))
#define UPC_KERNEL_AT_LEAST(maj, min) (UPC_KV(maj, min) <= UPC_KVER)

#if !UPC_KERNEL_AT_LEAST(6, 1)
#error "uprobectl supports Linux 6.1 and later"
#endif

#include <linux/mm.h>
#include <linux/sched.h>
#include <asm/prctl.h>

/* One page of another process, for reading or writing (FOLL_* flags). */
static inline long upc_gup_remote_page(struct mm_struct *mm, unsigned long addr,
				       unsigned int gup_flags, struct page **page)
{
#if UPC_KERNEL_AT_LEAST(6, 5)
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL);
#else
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL, NULL);
#endif
}

/* Unmap one page of a VMA, so that the next access faults it in again. */
static inline void upc_zap_page(struct vm_area_struct *vma, unsigned long addr)
{
#if UPC_KERNEL_AT_LEAST(6, 3)
	zap_page_range_single(vma, addr, PAGE_SIZE, NULL);
#else
	zap_page_range(vma, addr, PAGE_SIZE);
#endif
}

/*
 * Does @t run with a user shadow stack (6.6+)? Emulating call would leave
 * the shadow stack behind the real one.
 */
static inline bool upc_user_shstk(struct task_struct *t)
{
#if defined(CONFIG_X86_USER_SHADOW_STACK) && UPC_KERNEL_AT_LEAST(6, 6)
	return t->thread.features & ARCH_SHSTK_SHSTK;
#else
	return false;
#endif
}

/*
 * Wait until every task has switched voluntarily or run in user mode (an
 * RCU Tasks grace period): then none can still be between executing an
 * int3 and the die notifiers (preempted in the exception entry with
 * interrupts on), nor in the last instructions of a task work of ours.
 * Without RCU Tasks, a plain grace period is the best there is.
 */
static inline void upc_wait_tasks_quiescent(void)
{
#ifdef CONFIG_TASKS_RCU
	synchronize_rcu_tasks();
#else
	synchronize_rcu();
#endif
}

#endif /* _UPC_COMPAT_H */
