// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * How a displaced instruction is executed: emulated, stepped out of line
 * (with which fix-up), or refused, and why. The whole policy is the table
 * below; the first rule that matches decides. An instruction no rule names
 * is stepped out of line, with its rip-relative operand re-based if it has
 * one.
 */

#include "insn.h"

/* Rule conditions beyond map and opcode range. */
#define C_LEGACY	0x01	/* not VEX/EVEX/XOP-encoded */
#define C_MOD_REG	0x02	/* ModRM.mod == 3 */
#define C_MOD_MEM	0x04	/* ModRM.mod != 3 */
#define C_NO_66		0x08	/* no operand-size prefix */
#define C_NO_67		0x10	/* no address-size prefix */
#define C_SAME_REG	0x20	/* ModRM.reg and .rm name one register */
#define C_NO_REXB	0x40	/* REX.B clear (90 is xchg with it) */
#define C_REP		0x80	/* f3 present (endbr) */
#define C_64		0x100	/* 64-bit code only */

#define ANY_REG		-1

struct upc_class_rule {
	u8 map;
	u8 lo, hi;		/* opcode range */
	s8 reg;			/* ModRM.reg, or ANY_REG */
	s16 modrm;		/* the exact ModRM byte, or -1 */
	u16 cond;		/* C_* */
	u8 cls;			/* enum upc_insn_class */
	u8 op;			/* enum upc_insn_op */
	const char *reason;
};

#define RULE(map, lo, hi, reg, modrm, cond, cls, op, why) \
	{ UPC_MAP_##map, lo, hi, reg, modrm, cond, UPC_CLASS_##cls, UPC_OP_##op, why }

#define LG C_LEGACY

static const struct upc_class_rule upc_class_rules[] = {
	/* Near branches whose length depends on the vendor. */
	RULE(1BYTE, 0xe8, 0xe9, ANY_REG, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed near call/jmp: Intel ignores the prefix, AMD takes a 16-bit offset"),
	RULE(0F, 0x80, 0x8f, ANY_REG, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed jcc: Intel ignores the prefix, AMD takes a 16-bit offset"),
	RULE(1BYTE, 0xc2, 0xc3, ANY_REG, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed ret: pops a 16-bit return address"),
	RULE(1BYTE, 0xeb, 0xeb, ANY_REG, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed jmp: truncates rip to 16 bits on some CPUs"),
	RULE(1BYTE, 0x70, 0x7f, ANY_REG, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed jcc: truncates rip to 16 bits on some CPUs"),
	RULE(1BYTE, 0xff, 0xff, 2, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed indirect call: pushes a 16-bit return address"),
	RULE(1BYTE, 0xff, 0xff, 4, -1, LG | C_64, REFUSED, NONE,
	     "66-prefixed indirect jmp: truncates rip to 16 bits"),

	/* Refused: traps, privilege and mode changes, transactions. */
	RULE(1BYTE, 0xcc, 0xcc, ANY_REG, -1, LG, REFUSED, NONE,
	     "int3: already a breakpoint (the program's own or a debugger's)"),
	RULE(1BYTE, 0xcd, 0xcd, ANY_REG, -1, LG, REFUSED, NONE,
	     "int: software interrupts cannot be stepped out of line"),
	RULE(1BYTE, 0xce, 0xce, ANY_REG, -1, LG, REFUSED, NONE, "into: software interrupt"),
	RULE(1BYTE, 0xf1, 0xf1, ANY_REG, -1, LG, REFUSED, NONE, "int1: debug trap"),
	RULE(1BYTE, 0xcf, 0xcf, ANY_REG, -1, LG, REFUSED, NONE, "iret: reloads cs, rflags and the stack"),
	RULE(1BYTE, 0xca, 0xcb, ANY_REG, -1, LG, REFUSED, NONE, "far return: changes cs"),
	RULE(1BYTE, 0x9a, 0x9a, ANY_REG, -1, LG, REFUSED, NONE, "far call: changes cs"),
	RULE(1BYTE, 0xea, 0xea, ANY_REG, -1, LG, REFUSED, NONE, "far jmp: changes cs"),
	RULE(1BYTE, 0xff, 0xff, 3, -1, LG, REFUSED, NONE, "far indirect call: changes cs"),
	RULE(1BYTE, 0xff, 0xff, 5, -1, LG, REFUSED, NONE, "far indirect jmp: changes cs"),
	RULE(1BYTE, 0x8e, 0x8e, ANY_REG, -1, LG, REFUSED, NONE,
	     "mov to a segment register (mov ss delays the step trap)"),
	RULE(1BYTE, 0x07, 0x07, ANY_REG, -1, LG, REFUSED, NONE, "pop es: loads a segment register"),
	RULE(1BYTE, 0x17, 0x17, ANY_REG, -1, LG, REFUSED, NONE, "pop ss: delays the step trap"),
	RULE(1BYTE, 0x1f, 0x1f, ANY_REG, -1, LG, REFUSED, NONE, "pop ds: loads a segment register"),
	RULE(0F, 0xa1, 0xa1, ANY_REG, -1, LG, REFUSED, NONE, "pop fs: loads a segment register"),
	RULE(0F, 0xa9, 0xa9, ANY_REG, -1, LG, REFUSED, NONE, "pop gs: loads a segment register"),
	RULE(1BYTE, 0xfa, 0xfb, ANY_REG, -1, LG, REFUSED, NONE, "cli/sti: interrupt flag"),
	RULE(1BYTE, 0xc6, 0xc6, ANY_REG, 0xf8, LG, REFUSED, NONE,
	     "xabort: transactional memory (a trap inside a transaction aborts it)"),
	RULE(1BYTE, 0xc7, 0xc7, ANY_REG, 0xf8, LG, REFUSED, NONE,
	     "xbegin: transactional memory (the fallback address is rip-relative)"),
	RULE(0F, 0x01, 0x01, ANY_REG, 0xd5, LG, REFUSED, NONE, "xend: transactional memory"),
	RULE(0F, 0x34, 0x35, ANY_REG, -1, LG, REFUSED, NONE, "sysenter/sysexit: fast system call"),
	RULE(0F, 0x07, 0x07, ANY_REG, -1, LG, REFUSED, NONE, "sysret: privileged"),
	RULE(0F, 0x0b, 0x0b, ANY_REG, -1, LG, REFUSED, NONE, "ud2: raises #UD by design"),
	RULE(0F, 0xb9, 0xb9, ANY_REG, -1, LG, REFUSED, NONE, "ud1: raises #UD by design"),
	RULE(0F, 0xff, 0xff, ANY_REG, -1, LG, REFUSED, NONE, "ud0: raises #UD by design"),
	RULE(0F, 0xa6, 0xa7, ANY_REG, -1, LG, REFUSED, NONE, "VIA PadLock instruction"),

	/* Emulated: no second trap. */
	RULE(1BYTE, 0x90, 0x90, ANY_REG, -1, LG | C_NO_REXB, EMULATE, NOP, "nop"),
	RULE(0F, 0x1f, 0x1f, 0, -1, LG, EMULATE, NOP, "multi-byte nop"),
	RULE(0F, 0x1e, 0x1e, ANY_REG, 0xfa, LG | C_REP, EMULATE, NOP, "endbr64"),
	RULE(0F, 0x1e, 0x1e, ANY_REG, 0xfb, LG | C_REP, EMULATE, NOP, "endbr32"),
	RULE(1BYTE, 0x50, 0x57, ANY_REG, -1, LG | C_NO_66, EMULATE, PUSH_REG, "push register"),
	RULE(1BYTE, 0x58, 0x5f, ANY_REG, -1, LG | C_NO_66, EMULATE, POP_REG, "pop register"),
	RULE(1BYTE, 0x89, 0x89, ANY_REG, -1, LG | C_MOD_REG | C_NO_66, EMULATE, MOV_RR,
	     "mov register to register"),
	RULE(1BYTE, 0x8b, 0x8b, ANY_REG, -1, LG | C_MOD_REG | C_NO_66, EMULATE, MOV_RR,
	     "mov register to register"),
	RULE(1BYTE, 0xb8, 0xbf, ANY_REG, -1, LG | C_NO_66, EMULATE, MOV_IMM,
	     "mov immediate to register"),
	RULE(1BYTE, 0xc7, 0xc7, 0, -1, LG | C_MOD_REG | C_NO_66, EMULATE, MOV_IMM,
	     "mov immediate to register"),
	RULE(1BYTE, 0x8d, 0x8d, ANY_REG, -1, LG | C_MOD_MEM | C_NO_66 | C_NO_67, EMULATE, LEA,
	     "lea: address computation, no memory access"),
	RULE(1BYTE, 0x81, 0x81, 0, -1, LG | C_MOD_REG | C_NO_66, EMULATE, ADD_SUB_IMM,
	     "add immediate to register"),
	RULE(1BYTE, 0x83, 0x83, 0, -1, LG | C_MOD_REG | C_NO_66, EMULATE, ADD_SUB_IMM,
	     "add immediate to register"),
	RULE(1BYTE, 0x81, 0x81, 5, -1, LG | C_MOD_REG | C_NO_66, EMULATE, ADD_SUB_IMM,
	     "sub immediate from register"),
	RULE(1BYTE, 0x83, 0x83, 5, -1, LG | C_MOD_REG | C_NO_66, EMULATE, ADD_SUB_IMM,
	     "sub immediate from register"),
	RULE(1BYTE, 0x05, 0x05, ANY_REG, -1, LG | C_NO_66, EMULATE, ADD_SUB_IMM,
	     "add immediate to eax/rax"),
	RULE(1BYTE, 0x2d, 0x2d, ANY_REG, -1, LG | C_NO_66, EMULATE, ADD_SUB_IMM,
	     "sub immediate from eax/rax"),
	RULE(1BYTE, 0x31, 0x31, ANY_REG, -1, LG | C_MOD_REG | C_SAME_REG | C_NO_66, EMULATE,
	     XOR_RR, "xor a register with itself"),
	RULE(1BYTE, 0x33, 0x33, ANY_REG, -1, LG | C_MOD_REG | C_SAME_REG | C_NO_66, EMULATE,
	     XOR_RR, "xor a register with itself"),
	RULE(1BYTE, 0xc2, 0xc3, ANY_REG, -1, LG, EMULATE, RET, "ret"),
	RULE(1BYTE, 0xe9, 0xe9, ANY_REG, -1, LG, EMULATE, JMP_REL, "jmp rel32"),
	RULE(1BYTE, 0xeb, 0xeb, ANY_REG, -1, LG, EMULATE, JMP_REL, "jmp rel8"),
	RULE(1BYTE, 0xe8, 0xe8, ANY_REG, -1, LG, EMULATE, CALL_REL, "call rel32"),
	RULE(1BYTE, 0x70, 0x7f, ANY_REG, -1, LG, EMULATE, JCC_REL, "jcc rel8"),
	RULE(0F, 0x80, 0x8f, ANY_REG, -1, LG, EMULATE, JCC_REL, "jcc rel32"),
	RULE(1BYTE, 0xe0, 0xe3, ANY_REG, -1, LG, EMULATE, LOOP, "loop/jrcxz"),

	/* Stepped out of line with a fix-up. */
	RULE(1BYTE, 0xff, 0xff, 2, -1, LG, XOL, CALL_IND,
	     "indirect call: the pushed return address is fixed after the step"),
	RULE(1BYTE, 0xff, 0xff, 4, -1, LG, XOL, JMP_IND, "indirect jmp: rip is the target"),
	RULE(1BYTE, 0x9c, 0x9c, ANY_REG, -1, LG, XOL, PUSHF,
	     "pushf: the step's trap flag is hidden in the pushed flags"),
	RULE(0F, 0x05, 0x05, ANY_REG, -1, LG, XOL, SYSCALL,
	     "syscall: rcx and rip are fixed for the return and restarts"),
};

static bool upc_rule_matches(const struct upc_class_rule *r,
			     const struct upc_insn *insn)
{
	u8 mod = UPC_MODRM_MOD(insn->modrm);
	u16 c = r->cond;

	if (r->map != insn->map || insn->opcode < r->lo || insn->opcode > r->hi)
		return false;
	if ((c & C_LEGACY) && insn->vex)
		return false;
	if (r->reg != ANY_REG &&
	    (!insn->has_modrm || UPC_MODRM_REG(insn->modrm) != r->reg))
		return false;
	if (r->modrm >= 0 && (!insn->has_modrm || insn->modrm != r->modrm))
		return false;
	if ((c & C_MOD_REG) && mod != 3)
		return false;
	if ((c & C_MOD_MEM) && mod == 3)
		return false;
	if ((c & C_NO_66) && (insn->prefixes & UPC_PFX_OPSIZE))
		return false;
	if ((c & C_NO_67) && (insn->prefixes & UPC_PFX_ADSIZE))
		return false;
	if ((c & C_NO_REXB) && (insn->rex & 1))
		return false;
	if ((c & C_REP) && !(insn->prefixes & UPC_PFX_REP))
		return false;
	if ((c & C_SAME_REG) &&
	    (UPC_MODRM_REG(insn->modrm) | (insn->rex & 4) << 1) !=
	    (UPC_MODRM_RM(insn->modrm) | (insn->rex & 1) << 3))
		return false;
	/* The C_64 rules are the 66-prefixed branches. */
	if ((c & C_64) && (!insn->mode64 || !(insn->prefixes & UPC_PFX_OPSIZE)))
		return false;
	return true;
}

void upc_insn_classify(const struct upc_insn *insn,
		       struct upc_insn_class_info *info)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(upc_class_rules); i++) {
		const struct upc_class_rule *r = &upc_class_rules[i];

		if (upc_rule_matches(r, insn)) {
			info->cls = r->cls;
			info->op = r->op;
			info->reason = r->reason;
			return;
		}
	}
	info->cls = UPC_CLASS_XOL;
	info->op = insn->rip_rel ? UPC_OP_RIP_REL : UPC_OP_NONE;
	info->reason = insn->rip_rel ?
		"stepped out of line with its rip-relative operand re-based" :
		"stepped out of line";
}
