// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Emulation of displaced instructions: the ones that cannot run from a
 * slot (relative branches and calls, loop, indirect calls) and cheap ones
 * that need no slot at all. On the trap path user memory is touched
 * without faulting; the caller finishes in task context when that fails.
 */

#include <linux/bitops.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>

#include "emulate.h"
#include "probe.h"

/* pt_regs offsets of the general registers, by their encoding number. */
static const unsigned short upc_reg_off[16] = {
	offsetof(struct pt_regs, ax), offsetof(struct pt_regs, cx),
	offsetof(struct pt_regs, dx), offsetof(struct pt_regs, bx),
	offsetof(struct pt_regs, sp), offsetof(struct pt_regs, bp),
	offsetof(struct pt_regs, si), offsetof(struct pt_regs, di),
	offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
	offsetof(struct pt_regs, r10), offsetof(struct pt_regs, r11),
	offsetof(struct pt_regs, r12), offsetof(struct pt_regs, r13),
	offsetof(struct pt_regs, r14), offsetof(struct pt_regs, r15),
};

static unsigned long *upc_reg(struct pt_regs *regs, unsigned int n)
{
	return (unsigned long *)((char *)regs + upc_reg_off[n & 15]);
}

/*
 * User memory: without faulting if @f is NULL (the trap path: -EAGAIN),
 * else faulting, with the address that failed in @f (-EFAULT).
 */
static int upc_get(unsigned long addr, unsigned long *val, struct upc_emu_fault *f)
{
	void __user *p = (void __user *)addr;

	if (!f)
		return copy_from_user_nofault(val, p, sizeof(*val)) ? -EAGAIN : 0;
	if (!copy_from_user(val, p, sizeof(*val)))
		return 0;
	f->addr = addr;
	f->write = false;
	return -EFAULT;
}

static int upc_put(unsigned long addr, unsigned long val, struct upc_emu_fault *f)
{
	void __user *p = (void __user *)addr;

	if (!f)
		return copy_to_user_nofault(p, &val, sizeof(val)) ? -EAGAIN : 0;
	if (!copy_to_user(p, &val, sizeof(val)))
		return 0;
	f->addr = addr;
	f->write = true;
	return -EFAULT;
}

static int upc_push(struct pt_regs *regs, unsigned long val, struct upc_emu_fault *f)
{
	int ret = upc_put(regs->sp - 8, val, f);

	if (!ret)
		regs->sp -= 8;
	return ret;
}

/* Is condition @cc (the low nibble of a jcc opcode) true in @flags? */
static bool upc_cond(unsigned int cc, unsigned long flags)
{
	bool cf = flags & X86_EFLAGS_CF, zf = flags & X86_EFLAGS_ZF;
	bool sf = flags & X86_EFLAGS_SF, of = flags & X86_EFLAGS_OF;
	bool pf = flags & X86_EFLAGS_PF;
	bool r;

	switch (cc >> 1) {
	case 0:
		r = of;
		break;
	case 1:
		r = cf;
		break;
	case 2:
		r = zf;
		break;
	case 3:
		r = cf || zf;
		break;
	case 4:
		r = sf;
		break;
	case 5:
		r = pf;
		break;
	case 6:
		r = sf != of;
		break;
	default:
		r = zf || sf != of;
		break;
	}
	return (cc & 1) ? !r : r;
}

/* The effective address of a memory operand at @vaddr. */
static unsigned long upc_ea(const struct upc_insn *in, struct pt_regs *regs,
			    unsigned long vaddr)
{
	unsigned int mod = UPC_MODRM_MOD(in->modrm), rm = UPC_MODRM_RM(in->modrm);
	unsigned long ea = (long)in->disp;

	if (in->rip_rel) {
		ea += vaddr + in->len;
	} else if (in->has_sib) {
		unsigned int base = in->sib & 7, index = (in->sib >> 3) & 7;

		index |= (in->rex & 2) << 2;
		if (index != 4)
			ea += *upc_reg(regs, index) << (in->sib >> 6);
		if (!(mod == 0 && base == 5))
			ea += *upc_reg(regs, base | (in->rex & 1) << 3);
	} else {
		ea += *upc_reg(regs, rm | (in->rex & 1) << 3);
	}
	if (in->adsize == 4)
		ea = (u32)ea;
	return ea;
}

/* The target of an indirect call or jmp (ff /2, ff /4). */
static int upc_ind_target(const struct upc_insn *in, struct pt_regs *regs,
			  unsigned long vaddr, unsigned long *target,
			  struct upc_emu_fault *f)
{
	if (UPC_MODRM_MOD(in->modrm) == 3) {
		*target = *upc_reg(regs, UPC_MODRM_RM(in->modrm) | (in->rex & 1) << 3);
		return 0;
	}
	return upc_get(upc_ea(in, regs, vaddr), target, f);
}

#define UPC_ARITH_FLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/*
 * add or sub of @b to @a at operand size @size (4 or 8): the result,
 * zero-extended as the CPU writes a 32-bit register, and the six
 * arithmetic flags in @flags exactly as the CPU sets them.
 */
static unsigned long upc_add_sub(unsigned long a, unsigned long b, bool sub,
				 unsigned int size, unsigned long *flags)
{
	unsigned long mask = size == 8 ? ~0UL : 0xffffffffUL;
	unsigned long sign = size == 8 ? 1UL << 63 : 1UL << 31;
	unsigned long res, f = 0;

	a &= mask;
	b &= mask;
	res = (sub ? a - b : a + b) & mask;
	if (sub ? a < b : res < a)
		f |= X86_EFLAGS_CF;
	if (sub ? (a ^ b) & (a ^ res) & sign : ~(a ^ b) & (a ^ res) & sign)
		f |= X86_EFLAGS_OF;
	if ((a ^ b ^ res) & 0x10)
		f |= X86_EFLAGS_AF;
	if (!res)
		f |= X86_EFLAGS_ZF;
	if (res & sign)
		f |= X86_EFLAGS_SF;
	if (!(hweight8(res & 0xff) & 1))
		f |= X86_EFLAGS_PF;
	*flags = (*flags & ~UPC_ARITH_FLAGS) | f;
	return res;
}

/* Register operand numbers: ModRM.reg with REX.R, ModRM.rm with REX.B. */
static unsigned int upc_modrm_reg(const struct upc_insn *in)
{
	return UPC_MODRM_REG(in->modrm) | (in->rex & 4) << 1;
}

static unsigned int upc_modrm_rm(const struct upc_insn *in)
{
	return UPC_MODRM_RM(in->modrm) | (in->rex & 1) << 3;
}

/* Write @val to register @n at operand size @size (4: zero-extended). */
static void upc_set_reg(struct pt_regs *regs, unsigned int n, unsigned long val,
			unsigned int size)
{
	*upc_reg(regs, n) = size == 8 ? val : (u32)val;
}

bool upc_branch_taken(const struct upc_site *site, const struct pt_regs *regs)
{
	const struct upc_insn *in = &site->dec;
	unsigned long cx;

	switch (site->cls.op) {
	case UPC_OP_JCC_REL:
		return upc_cond(in->opcode & 0xf, regs->flags);
	case UPC_OP_LOOP:
		cx = in->adsize == 4 ? (u32)regs->cx : regs->cx;
		if (in->opcode == 0xe3)
			return !cx;
		return cx != 1 && (in->opcode == 0xe2 ||
				   !!(regs->flags & X86_EFLAGS_ZF) == (in->opcode == 0xe1));
	default:
		return true;
	}
}

bool upc_emulate_branch(const struct upc_site *site)
{
	switch (site->cls.op) {
	case UPC_OP_JMP_REL:
	case UPC_OP_CALL_REL:
	case UPC_OP_JCC_REL:
	case UPC_OP_LOOP:
	case UPC_OP_CALL_IND:
		return true;
	default:
		return false;
	}
}

int upc_emulate(const struct upc_site *site, struct pt_regs *regs,
		unsigned long vaddr, struct upc_emu_fault *f)
{
	const struct upc_insn *in = &site->dec;
	unsigned long next = vaddr + in->len, val, *r;
	unsigned int n;
	int ret = 0;

	switch (site->cls.op) {
	case UPC_OP_NOP:
		break;
	case UPC_OP_JMP_REL:
		next += in->imm;
		break;
	case UPC_OP_JCC_REL:
		if (upc_cond(in->opcode & 0xf, regs->flags))
			next += in->imm;
		break;
	case UPC_OP_CALL_REL:
		ret = upc_push(regs, next, f);
		next += in->imm;
		break;
	case UPC_OP_LOOP:
		if (in->opcode == 0xe3) {
			val = in->adsize == 4 ? (u32)regs->cx : regs->cx;
			if (!val)
				next += in->imm;
			break;
		}
		regs->cx--;
		if (regs->cx && (in->opcode == 0xe2 ||
				 !!(regs->flags & X86_EFLAGS_ZF) == (in->opcode == 0xe1)))
			next += in->imm;
		break;
	case UPC_OP_RET:
		ret = upc_get(regs->sp, &val, f);
		if (!ret) {
			regs->sp += 8 + (in->opcode == 0xc2 ? (u16)in->imm : 0);
			next = val;
		}
		break;
	case UPC_OP_CALL_IND:
	case UPC_OP_JMP_IND:
		ret = upc_ind_target(in, regs, vaddr, &val, f);
		if (!ret && site->cls.op == UPC_OP_CALL_IND)
			ret = upc_push(regs, next, f);
		if (!ret)
			next = val;
		break;
	case UPC_OP_PUSH_REG:
		n = (in->opcode & 7) | (in->rex & 1) << 3;
		ret = upc_push(regs, *upc_reg(regs, n), f);
		break;
	case UPC_OP_POP_REG:
		ret = upc_get(regs->sp, &val, f);
		if (!ret) {
			regs->sp += 8;
			*upc_reg(regs, (in->opcode & 7) | (in->rex & 1) << 3) = val;
		}
		break;
	case UPC_OP_MOV_RR: {
		unsigned int reg = upc_modrm_reg(in), rm = upc_modrm_rm(in);

		if (in->opcode == 0x8b)
			swap(reg, rm);
		/* Now rm is the destination. */
		upc_set_reg(regs, rm, *upc_reg(regs, reg), in->opsize);
		break;
	}
	case UPC_OP_MOV_IMM:
		/* b8+r (imm32, or imm64 with REX.W); c7 /0 (imm32 sign-extended). */
		n = in->opcode == 0xc7 ? upc_modrm_rm(in) : (in->opcode & 7) | (in->rex & 1) << 3;
		upc_set_reg(regs, n, in->imm, in->opsize);
		break;
	case UPC_OP_LEA:
		upc_set_reg(regs, upc_modrm_reg(in), upc_ea(in, regs, vaddr), in->opsize);
		break;
	case UPC_OP_ADD_SUB_IMM: {
		/* 81/83 /0 and /5 name a register; 05 and 2d work on rax. */
		bool sub = in->opcode == 0x2d ||
			   ((in->opcode & 0xfc) == 0x80 && UPC_MODRM_REG(in->modrm) == 5);

		n = (in->opcode & 0xfc) == 0x80 ? upc_modrm_rm(in) : 0;
		r = upc_reg(regs, n);
		val = upc_add_sub(*r, in->imm, sub, in->opsize, &regs->flags);
		upc_set_reg(regs, n, val, in->opsize);
		break;
	}
	case UPC_OP_XOR_RR:
		/* Same register both sides: zero, and flags as the CPU leaves them. */
		upc_set_reg(regs, upc_modrm_rm(in), 0, in->opsize);
		regs->flags = (regs->flags & ~UPC_ARITH_FLAGS) | X86_EFLAGS_ZF | X86_EFLAGS_PF;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (!ret)
		regs->ip = next;
	return ret;
}
