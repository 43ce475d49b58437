// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The trap path. A die notifier at the highest priority sees every user
 * int3 first (before the kernel's own uprobes). Processes without our
 * state cost one hash lookup. For a hit: count it, then execute the
 * displaced instruction by emulation or from its slot; all lookups are
 * RCU, no lock is taken. What cannot be finished here (a slot not made
 * yet, user memory not present) is finished in the thread's own context
 * before it returns to user mode (task_work), never by sleeping here.
 */

#include <linux/kdebug.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "emulate.h"
#include "mm.h"
#include "patch.h"
#include "pool.h"
#include "probe.h"
#include "ret.h"
#include "trap.h"
#include "work.h"
#include "xol.h"

/*
 * Left in thread.trap_nr when a thread goes to a slot: any fault in the
 * slot's instruction overwrites it, which tells the signal hook a fault
 * from an asynchronous signal (the kernel's uprobes use the same field).
 */
#define UPC_TRAP_NR 0x55504300u

/* Calls, which a user shadow stack also records: neither emulated nor run from a slot. */
static bool upc_shstk_unsafe(const struct upc_site *site)
{
	return site->cls.op == UPC_OP_CALL_REL || site->cls.op == UPC_OP_CALL_IND;
}

/* Emulate @site's instruction, or run it from its slot? */
static bool upc_emulating(const struct upc_site *site, const struct pt_regs *regs)
{
	if (upc_emulate_branch(site))
		return true;
	/*
	 * Under a single-stepping debugger (TF) the slot runs the instruction
	 * and the step trap lands after it, where the signal hook moves rip
	 * back to the original code: one step, as without the probe.
	 */
	if (regs->flags & X86_EFLAGS_TF)
		return false;
	/* A ret run from a slot keeps a user shadow stack in step. */
	return !(site->cls.op == UPC_OP_RET && upc_user_shstk(current));
}

/*
 * A signal as the CPU's exceptions send it (force_sig_fault(), which is not
 * exported): blocked or ignored, it is unblocked and its action reset to
 * the default first, so a program that blocks it dies of it instead of
 * running the same instruction again forever. Task context, current.
 */
static void upc_force_sig(int sig, int code, unsigned long addr)
{
	struct k_sigaction *ka = &current->sighand->action[sig - 1];
	struct kernel_siginfo info;

	spin_lock_irq(&current->sighand->siglock);
	if (ka->sa.sa_handler == SIG_IGN || sigismember(&current->blocked, sig)) {
		ka->sa.sa_handler = SIG_DFL;
		sigdelset(&current->blocked, sig);
		recalc_sigpending();
	}
	/* A container's init dies of it too, unless a debugger sees it first. */
	if (ka->sa.sa_handler == SIG_DFL && !current->ptrace)
		current->signal->flags &= ~SIGNAL_UNKILLABLE;
	spin_unlock_irq(&current->sighand->siglock);
	clear_siginfo(&info);
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = (void __user *)addr;
	send_sig_info(sig, &info, current);
}

/*
 * An instruction emulated under TF (a debugger single-stepping, or the
 * program tracing itself) reports its step as the CPU would have: a
 * SIGTRAP with rip after the instruction, before the next one runs.
 */
static void upc_emulated_step(struct pt_regs *regs)
{
	if (!(regs->flags & X86_EFLAGS_TF))
		return;
	current->thread.trap_nr = X86_TRAP_DB;
	current->thread.error_code = 0;
	upc_force_sig(SIGTRAP, TRAP_TRACE, regs->ip);
}

/*
 * An emulated access that faults, reported as the CPU reports its page
 * fault or general protection fault (a non-canonical address): the
 * instruction is not executed, rip stays at it, and the signal tells the
 * address, whether it was mapped, and (in the signal frame) the error code.
 */
static void upc_emulated_fault(const struct upc_emu_fault *f)
{
	struct vm_area_struct *vma;
	int code = SEGV_MAPERR;

	if (!__is_canonical_address(f->addr, boot_cpu_data.x86_virt_bits)) {
		current->thread.trap_nr = X86_TRAP_GP;
		current->thread.error_code = 0;
		force_sig(SIGSEGV);
		return;
	}
	current->thread.error_code = X86_PF_USER | (f->write ? X86_PF_WRITE : 0);
	if (f->addr < TASK_SIZE_MAX) {
		mmap_read_lock(current->mm);
		vma = vma_lookup(current->mm, f->addr);
		if (vma) {
			code = SEGV_ACCERR;
			current->thread.error_code |= X86_PF_PROT;
		}
		mmap_read_unlock(current->mm);
	}
	current->thread.trap_nr = X86_TRAP_PF;
	current->thread.cr2 = f->addr;
	upc_force_sig(SIGSEGV, code, f->addr);
}

/* Run @site's instruction at @vaddr for @regs without sleeping. */
static int upc_execute(const struct upc_site *site, unsigned long vaddr,
		       unsigned long slot, struct pt_regs *regs)
{
	int ret;

	if (upc_user_shstk(current) && upc_shstk_unsafe(site))
		return -EAGAIN;
	if (upc_emulating(site, regs)) {
		/* Its step's SIGTRAP is sent from task context. */
		if (regs->flags & X86_EFLAGS_TF)
			return -EAGAIN;
		ret = upc_emulate(site, regs, vaddr, NULL);
		if (ret != -EOPNOTSUPP)
			return ret;
	}
	if (!slot)
		return -EAGAIN;
	current->thread.trap_nr = UPC_TRAP_NR;
	regs->ip = slot;
	return 0;
}

/* Finishing a hit in task context. */
struct upc_slow {
	struct callback_head cb;
	struct upc_mm *um;		/* held */
	struct upc_site *site;		/* held */
	unsigned long vaddr;
	bool frame;			/* the hit's call is not followed yet */
};
static_assert(sizeof(struct upc_slow) <= UPC_POOL_SMALL_SIZE);

/* No slot can be made here: take this breakpoint out of this process. */
static void upc_slow_give_up(struct upc_mm *um, struct upc_slow *w, long err)
{
	pr_warn_ratelimited("pid %d: cannot run the instruction at 0x%lx out of line (error %ld): probe removed from this process\n",
			    task_tgid_nr(current), w->vaddr, err);
	upc_bp_refuse(um, w->vaddr, w->site);
}

/* Is the current task still where @w's hit left it? */
static bool upc_slow_current(const struct upc_slow *w, const struct pt_regs *regs)
{
	return current->mm == w->um->mm && regs->ip == w->vaddr &&
	       !(current->flags & PF_EXITING);
}

/* Finish a counted hit in task context: its frame, then the instruction. */
static void upc_slow_run(struct upc_slow *w, struct pt_regs *regs)
{
	struct upc_mm *um = w->um;
	struct upc_bp *bp;
	long slot;
	int ret;

	upc_guard_take(um, w->vaddr, regs->sp);
	/* Before the instruction runs: the stack is as at the entry. */
	if (w->frame)
		upc_site_frame(um, w->site, w->vaddr, regs);
	if (upc_user_shstk(current) && upc_shstk_unsafe(w->site)) {
		/* Not emulated, and no slot can call or return for it. */
		upc_slow_give_up(um, w, -EOPNOTSUPP);
		return;
	}
	if (upc_emulating(w->site, regs)) {
		struct upc_emu_fault f;

		ret = upc_emulate(w->site, regs, w->vaddr, &f);
		/* A call cannot run from a slot: its fault is ours to report. */
		if (ret == -EFAULT && upc_emulate_branch(w->site)) {
			upc_emulated_fault(&f);
			return;
		}
		if (!ret)
			upc_emulated_step(regs);
		/*
		 * Others fault from the slot, where the CPU reports it exactly
		 * (SIGBUS, protection keys, userfaultfd) and the signal hook
		 * moves rip back to the instruction.
		 */
		if (ret != -EOPNOTSUPP && ret != -EFAULT)
			return;
	}
	mutex_lock(&um->lock);
	slot = upc_xol_slot(um, w->vaddr, w->site);
	rcu_read_lock();
	bp = upc_bp_lookup(um, w->vaddr);
	if (bp && bp->site == w->site && slot > 0)
		WRITE_ONCE(bp->slot, slot);
	rcu_read_unlock();
	if (!bp && slot > 0)
		upc_bp_adopt(um, w->vaddr, w->site, slot);
	mutex_unlock(&um->lock);
	if (slot > 0) {
		current->thread.trap_nr = UPC_TRAP_NR;
		regs->ip = slot;
	} else {
		upc_slow_give_up(um, w, slot);
	}
}

static void upc_slow_fn(struct callback_head *cb)
{
	struct upc_slow *w = container_of(cb, struct upc_slow, cb);
	struct pt_regs *regs = task_pt_regs(current);

	if (upc_slow_current(w, regs))
		upc_slow_run(w, regs);
	upc_site_put(w->site);
	upc_mm_put(w->um);
	upc_pool_put(&upc_pool_small, w);
	upc_twork_done();
}

/* A work of @fn for the current task, holding @um and @site (may be NULL). */
static struct upc_slow *upc_slow_queue(struct upc_mm *um, struct upc_site *site,
				       unsigned long vaddr, bool frame,
				       task_work_func_t fn)
{
	struct upc_slow *w = upc_pool_get(&upc_pool_small);

	if (!w)
		return NULL;
	if (!upc_mm_get(um))
		goto err;
	/* A site whose last breakpoint just went: the retry finds the byte back. */
	if (site && !upc_site_tryget(site)) {
		upc_mm_put(um);
		goto err;
	}
	w->um = um;
	w->site = site;
	w->vaddr = vaddr;
	w->frame = frame;
	if (!upc_twork_add(current, &w->cb, fn))
		return w;
	if (site)
		upc_site_put(site);
	upc_mm_put(um);
err:
	upc_pool_put(&upc_pool_small, w);
	return NULL;
}

/* The hit is counted; finish it on the way out to user mode. */
static void upc_slow(struct upc_mm *um, struct upc_site *site, unsigned long vaddr,
		     struct pt_regs *regs, bool frame)
{
	/* If this does not work out, the retried hit is not counted again. */
	upc_guard_set(um, vaddr, regs->sp);
	upc_slow_queue(um, site, vaddr, frame, upc_slow_fn);
}

/* A hit on @site at @addr: count it, then run the instruction. */
static void upc_hit(struct upc_mm *um, struct upc_site *site, unsigned long addr,
		    unsigned long slot, struct pt_regs *regs)
{
	bool frame = false;

	/* Consumers see the registers as before the instruction. */
	regs->ip = addr;
	if (!upc_guard_take(um, addr, regs->sp))
		frame = upc_site_hit(um, site, addr, regs) == -EAGAIN;
	/* A call to follow with a trampoline not made yet: all in task context. */
	if (frame || upc_execute(site, addr, slot, regs))
		upc_slow(um, site, addr, regs, frame);
}

/*
 * Text moved by mremap (no hook runs) still holds our int3: find its site
 * through the mapping (mmap_lock: task context only). A held site, or
 * NULL if the int3 is not ours.
 */
static struct upc_site *upc_moved_site(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct upc_site *site = NULL;
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	rcu_read_lock();
	if (vma && vma->vm_start <= addr && vma->vm_file)
		site = upc_site_lookup(file_inode(vma->vm_file),
				       addr - vma->vm_start + ((u64)vma->vm_pgoff << PAGE_SHIFT));
	if (site && (site->insn[0] == UPC_INT3 || !upc_site_tryget(site)))
		site = NULL;
	rcu_read_unlock();
	mmap_read_unlock(mm);
	return site;
}

/*
 * Task context: the int3 at @vaddr, where this thread trapped, is no
 * site's. A byte of ours that a debugger's copy left there goes back (the
 * instruction then runs); with the kernel's uprobes in the process, the
 * int3 goes to them on its next trap; else what the kernel does with an
 * int3 nobody claims: SIGTRAP, rip after it. Never a retry that could
 * find the same answer forever.
 */
static void upc_unclaimed(struct upc_mm *um, unsigned long vaddr, struct pt_regs *regs)
{
	bool uprobes = test_bit(MMF_HAS_UPROBES, &um->mm->flags);
	struct upc_removed rm;
	bool bp = false;
	int ret = -ENOENT;

	if (!current->ptrace && !uprobes) {
		mutex_lock(&um->lock);
		mmap_write_lock(um->mm);
		rcu_read_lock();
		bp = upc_bp_lookup(um, vaddr);
		rcu_read_unlock();
		/* The log read where it does not change. */
		if (!bp && upc_rm_logged(um, vaddr, &rm))
			ret = upc_unpatch(um->mm, vaddr, rm.orig, rm.inode, rm.offset);
		mmap_write_unlock(um->mm);
		mutex_unlock(&um->lock);
	}
	/*
	 * Put back meanwhile by a removal not logged by address (text mremap
	 * moved, a refused breakpoint): no int3 there to answer for.
	 */
	if (!bp && ret) {
		u8 b;

		mmap_read_lock(um->mm);
		if (!upc_peek(um->mm, vaddr, &b, 1) && b != UPC_INT3)
			ret = 0;
		mmap_read_unlock(um->mm);
	}
	/* Restored, or a probe is there again: run it again. */
	if (bp || !ret)
		return;
	/* Without room to say so, it is tried again. */
	if (uprobes) {
		upc_pass_set(um, vaddr, regs->sp);
		return;
	}
	regs->ip = vaddr + 1;
	force_sig(SIGTRAP);
}

/*
 * An int3 with no breakpoint of ours in a process whose probed text has
 * moved: ours if its mapping says so. Decided in task context before the
 * thread returns to user mode; a hit is counted and run from here, else
 * the int3 runs again and goes to whoever else handles it.
 */
static void upc_moved_fn(struct callback_head *cb)
{
	struct upc_slow *w = container_of(cb, struct upc_slow, cb);
	struct pt_regs *regs = task_pt_regs(current);

	if (!upc_slow_current(w, regs))
		goto out;
	w->site = upc_moved_site(w->vaddr);
	if (w->site) {
		rcu_read_lock();
		w->frame = upc_site_hit(w->um, w->site, w->vaddr, regs) == -EAGAIN;
		rcu_read_unlock();
		upc_slow_run(w, regs);
		upc_site_put(w->site);
	} else {
		upc_unclaimed(w->um, w->vaddr, regs);
	}
out:
	upc_mm_put(w->um);
	upc_pool_put(&upc_pool_small, w);
	upc_twork_done();
}

/* Putting back the byte of a breakpoint we removed, in task context. */
struct upc_restore {
	struct callback_head cb;
	struct upc_mm *um;		/* held */
	struct upc_removed rm;		/* what to put back where */
	bool rewrite;			/* only write the byte there again */
};
static_assert(sizeof(struct upc_restore) <= UPC_POOL_SMALL_SIZE);

static void upc_restore_fn(struct callback_head *cb)
{
	struct upc_restore *w = container_of(cb, struct upc_restore, cb);
	struct pt_regs *regs = task_pt_regs(current);
	struct upc_mm *um = w->um;
	bool bp;

	if (current->mm == um->mm && !w->rewrite && regs->ip == w->rm.vaddr) {
		upc_unclaimed(um, w->rm.vaddr, regs);
	} else if (current->mm == um->mm && w->rewrite) {
		mutex_lock(&um->lock);
		mmap_write_lock(um->mm);
		/* Unless a probe has put a breakpoint there again since. */
		rcu_read_lock();
		bp = upc_bp_lookup(um, w->rm.vaddr);
		rcu_read_unlock();
		if (!bp)
			upc_rewrite_byte(um->mm, w->rm.vaddr);
		mmap_write_unlock(um->mm);
		mutex_unlock(&um->lock);
	}
	upc_mm_put(um);
	upc_pool_put(&upc_pool_small, w);
	upc_twork_done();
}

/*
 * An int3 at an address where this process had a breakpoint of ours that
 * is gone: a debugger that read our int3 with PTRACE_PEEKTEXT as the
 * original byte wrote it back when it took its own breakpoint out. With
 * no debugger attached and no kernel uprobe in the process, nobody will
 * handle it: put the instruction's byte back and run it, rather than let
 * SIGTRAP kill the process.
 */
/* Queue a upc_restore for the current task; 0 or an errno. */
static int upc_restore_later(struct upc_mm *um, const struct upc_removed *rm, bool rewrite)
{
	struct upc_restore *w;

	w = upc_pool_get(&upc_pool_small);
	if (!w)
		return -ENOMEM;
	if (!upc_mm_get(um)) {
		upc_pool_put(&upc_pool_small, w);
		return -ESRCH;
	}
	w->um = um;
	w->rm = *rm;
	w->rewrite = rewrite;
	if (upc_twork_add(current, &w->cb, upc_restore_fn)) {
		upc_mm_put(um);
		upc_pool_put(&upc_pool_small, w);
		return -ESRCH;
	}
	return 0;
}

static int upc_leftover(struct upc_mm *um, struct pt_regs *regs, unsigned long addr)
{
	struct upc_removed rm;

	if (current->ptrace || test_bit(MMF_HAS_UPROBES, &current->mm->flags) ||
	    !upc_rm_logged(um, addr, &rm))
		return NOTIFY_DONE;
	if (upc_restore_later(um, &rm, false))
		return NOTIFY_DONE;
	pr_info_ratelimited("pid %d: an int3 left at 0x%lx where a probe was (a debugger's copy of it?): instruction restored\n",
			    task_tgid_nr(current), addr);
	regs->ip = addr;
	return NOTIFY_STOP;
}

/*
 * The same int3 found gone, over and over, on this CPU: a CPU re-fetches
 * the instruction after the trap, so this only happens under an emulator
 * that keeps running its translation of the old text (see
 * upc_rewrite_byte()). A heuristic: races only delay it.
 */
struct upc_stray_seen {
	unsigned long addr;
	unsigned int count;
};

static DEFINE_PER_CPU(struct upc_stray_seen, upc_stray_seen);

static bool upc_stray_again(unsigned long addr)
{
	struct upc_stray_seen *s = raw_cpu_ptr(&upc_stray_seen);

	if (s->addr != addr) {
		s->addr = addr;
		s->count = 0;
	}
	if (++s->count < 3)
		return false;
	s->count = 0;
	return true;
}

/*
 * "int $3" in its two-byte form (cd 03) traps as int3 does, rip after it:
 * the byte before rip is 03, not an int3 of ours put back, unless a
 * removal of ours there is on record.
 */
static bool upc_int_imm3(struct upc_mm *um, unsigned long addr, u8 b)
{
	struct upc_removed rm;
	u8 op;

	return b == 0x03 && !copy_from_user_nofault(&op, (void __user *)(addr - 1), 1) &&
	       op == 0xcd && !upc_rm_logged(um, addr, &rm);
}

/*
 * An int3 where we have no breakpoint (or a refused one), decided from one
 * read of the byte (@err: the read failed): re-run the instruction if the
 * byte is back (ours, removed while this thread trapped), else it is
 * someone else's. @moved: no breakpoint at all, in a process whose probed
 * text has moved. Never a second look: a probe added there meanwhile
 * makes the byte an int3 again, which the re-run hits and counts.
 */
static int upc_not_ours(struct upc_mm *um, struct pt_regs *regs, unsigned long addr,
			int err, u8 b, bool moved)
{
	struct upc_removed rm = { .vaddr = addr, .orig = b };

	if (err) {
		/*
		 * The page is not in memory: a removal of ours released it
		 * (it equalled the file's) after this thread's int3. Run the
		 * instruction again from the file's page. Moved text (whose
		 * removals are logged by file offset, or whose page went to
		 * swap) is looked at in task context.
		 */
		if (moved)
			upc_slow_queue(um, NULL, addr, false, upc_moved_fn);
		else if (!upc_rm_logged(um, addr, &rm))
			return NOTIFY_DONE;
	} else if (b == UPC_INT3 || upc_int_imm3(um, addr, b)) {
		return NOTIFY_DONE;
	} else if (upc_stray_again(addr)) {
		upc_restore_later(um, &rm, true);
	}
	regs->ip = addr;
	return NOTIFY_STOP;
}

/*
 * An int3 in a process of ours at an address with no breakpoint: ours,
 * removed while this thread was trapping (the byte is back), ours in text
 * that mremap moved, or someone else's (the program's own, a debugger's,
 * the kernel's uprobes).
 */
static int upc_stray(struct upc_mm *um, struct pt_regs *regs, unsigned long addr)
{
	int err;
	u8 b;

	/*
	 * Found not ours in task context: the kernel's uprobes' (see
	 * upc_unclaimed()). Before the read, which may fail every time
	 * (execute-only text).
	 */
	if (upc_pass_take(um, addr, regs->sp))
		return NOTIFY_DONE;
	err = copy_from_user_nofault(&b, (void __user *)addr, 1);
	if (err || b != UPC_INT3)
		return upc_not_ours(um, regs, addr, err, b, READ_ONCE(um->text_moved));
	/* Moved text of ours? Looked up in task context (or tried again). */
	if (READ_ONCE(um->text_moved)) {
		upc_slow_queue(um, NULL, addr, false, upc_moved_fn);
		regs->ip = addr;
		return NOTIFY_STOP;
	}
	return upc_leftover(um, regs, addr);
}

static int upc_int3(struct pt_regs *regs)
{
	unsigned long addr = regs->ip - 1;
	struct upc_mm *um;
	struct upc_bp *bp;
	int ret = NOTIFY_STOP;

	if (!current->mm || !user_64bit_mode(regs))
		return NOTIFY_DONE;
	rcu_read_lock();
	um = upc_mm_lookup(current->mm);
	if (!um) {
		ret = NOTIFY_DONE;
		goto out;
	}
	if (addr == READ_ONCE(um->tramp)) {
		ret = upc_ret_trampoline(um, regs);
		goto out;
	}
	bp = upc_bp_lookup(um, addr);
	if (bp && READ_ONCE(bp->refused)) {
		u8 b;
		int err = copy_from_user_nofault(&b, (void __user *)addr, 1);

		ret = upc_not_ours(um, regs, addr, err, b, false);
	} else if (bp && !READ_ONCE(bp->unmapped)) {
		upc_hit(um, bp->site, addr, READ_ONCE(bp->slot), regs);
	} else {
		ret = upc_stray(um, regs, addr);
	}
out:
	rcu_read_unlock();
	return ret;
}

static int upc_die(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;

	if (val != DIE_INT3 || !user_mode(args->regs))
		return NOTIFY_DONE;
	return upc_int3(args->regs);
}

static struct notifier_block upc_die_nb = {
	.notifier_call = upc_die,
	/* Ahead of the kernel's uprobes (INT_MAX - 1). */
	.priority = INT_MAX,
};

void upc_trap_signal_hook(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct upc_mm *um;

	if (!current->mm || !user_mode(regs))
		return;
	rcu_read_lock();
	um = upc_mm_lookup(current->mm);
	/*
	 * Rewound to the probed instruction before it ran. For an
	 * asynchronous signal the handler returns there and the hit must not
	 * count twice. A fault's handler that returns re-executes the
	 * instruction, a new hit, as with the kernel's uprobes.
	 */
	if (um && upc_xol_fix_ip(um, regs) &&
	    current->thread.trap_nr == UPC_TRAP_NR)
		upc_guard_set(um, regs->ip, regs->sp);
	rcu_read_unlock();
}

int upc_trap_init(void)
{
	return register_die_notifier(&upc_die_nb);
}

void upc_trap_exit(void)
{
	unregister_die_notifier(&upc_die_nb);
}
