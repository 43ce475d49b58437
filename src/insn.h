/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * x86 instruction decoder and classifier for user-mode code (64-bit, and
 * 32-bit for compat tasks). One source for the module and for user space:
 * the CLI uses it for instruction boundaries, tests/unit checks it against
 * objdump. It reads only the bytes it is given and never allocates.
 */
#ifndef _UPC_INSN_H
#define _UPC_INSN_H

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* The longest instruction the CPU accepts. */
#define UPC_INSN_MAX 15

/* Legacy prefixes seen, as bits of upc_insn.prefixes. */
#define UPC_PFX_LOCK	0x0001	/* f0 */
#define UPC_PFX_REPNE	0x0002	/* f2 */
#define UPC_PFX_REP	0x0004	/* f3 */
#define UPC_PFX_OPSIZE	0x0008	/* 66 */
#define UPC_PFX_ADSIZE	0x0010	/* 67 */
#define UPC_PFX_SEG	0x0020	/* any of 26 2e 36 3e 64 65 */
#define UPC_PFX_FS	0x0040	/* 64 */
#define UPC_PFX_GS	0x0080	/* 65 */

/* Opcode maps. VEX, EVEX and XOP name theirs in the prefix. */
enum upc_insn_map {
	UPC_MAP_1BYTE,
	UPC_MAP_0F,
	UPC_MAP_0F38,
	UPC_MAP_0F3A,
	UPC_MAP_3DNOW,		/* 0f 0f modrm ... suffix-opcode */
	UPC_MAP_EVEX5,		/* AVX512-FP16 maps 5 and 6 */
	UPC_MAP_EVEX6,
	UPC_MAP_XOP8,
	UPC_MAP_XOP9,
	UPC_MAP_XOPA,
};

enum upc_insn_vex {
	UPC_VEX_NONE,
	UPC_VEX_VEX2,		/* c5 */
	UPC_VEX_VEX3,		/* c4 */
	UPC_VEX_EVEX,		/* 62 */
	UPC_VEX_XOP,		/* 8f */
};

struct upc_insn {
	u8 len;			/* total length in bytes */
	u8 mode64;		/* decoded as 64-bit code */
	u16 prefixes;		/* UPC_PFX_* */
	u8 rex;			/* the effective REX byte, or 0 */
	u8 vex;			/* enum upc_insn_vex */
	u8 vex_w;		/* VEX/EVEX/XOP .W */
	u8 map;			/* enum upc_insn_map */
	u8 opcode;		/* the opcode byte in its map */
	u8 opcode_off;		/* its offset */
	u8 has_modrm;
	u8 modrm;
	u8 modrm_off;
	u8 has_sib;
	u8 sib;
	u8 disp_len;		/* 0, 1, 2 or 4 */
	u8 disp_off;
	s32 disp;
	u8 imm_len;		/* total immediate bytes (enter, extrq: two) */
	u8 imm_off;
	s64 imm;		/* the first immediate, sign-extended */
	u8 opsize;		/* operand size in bytes: 2, 4 or 8 */
	u8 adsize;		/* address size in bytes: 2, 4 or 8 */
	u8 rip_rel;		/* memory operand is rip-relative */
	u8 rel_branch;		/* the immediate is a relative branch offset */
};

/* ModRM fields. */
#define UPC_MODRM_MOD(m)	((m) >> 6)
#define UPC_MODRM_REG(m)	(((m) >> 3) & 7)
#define UPC_MODRM_RM(m)		((m) & 7)

/*
 * Decode one instruction from @buf (@avail readable bytes). Returns 0, or
 * -1 if the bytes are not a valid instruction (or need more than @avail).
 */
int upc_insn_decode(struct upc_insn *insn, const u8 *buf, size_t avail,
		    bool mode64);

/* How the engine executes an instruction that a probe displaced. */
enum upc_insn_class {
	UPC_CLASS_REFUSED,	/* cannot be probed; see reason */
	UPC_CLASS_EMULATE,	/* executed by the kernel, no second trap */
	UPC_CLASS_XOL,		/* single-stepped out of line, with a fix-up */
};

/* What emulation does, or which fix-up an out-of-line step needs. */
enum upc_insn_op {
	UPC_OP_NONE,		/* XOL: plain step, rip fixed by length */
	UPC_OP_RIP_REL,		/* XOL: rip-relative operand re-based */
	UPC_OP_CALL_IND,	/* XOL: indirect call; fix the pushed address */
	UPC_OP_JMP_IND,		/* XOL: indirect jmp; rip is the target */
	UPC_OP_PUSHF,		/* XOL: hide the step's TF in the pushed flags */
	UPC_OP_SYSCALL,		/* XOL: syscall; rip and rcx set for restart */
	UPC_OP_NOP,		/* emulate: nop, nopl, endbr, hint nops */
	UPC_OP_PUSH_REG,
	UPC_OP_POP_REG,
	UPC_OP_MOV_RR,		/* mov reg,reg (32/64-bit) */
	UPC_OP_MOV_IMM,		/* mov $imm,reg */
	UPC_OP_LEA,		/* lea without a memory access */
	UPC_OP_ADD_SUB_IMM,	/* add/sub $imm,reg (flags computed) */
	UPC_OP_XOR_RR,		/* xor reg,reg */
	UPC_OP_RET,		/* ret and ret $imm16 */
	UPC_OP_JMP_REL,
	UPC_OP_CALL_REL,
	UPC_OP_JCC_REL,
	UPC_OP_LOOP,		/* loop, loope, loopne, jrcxz */
};

struct upc_insn_class_info {
	enum upc_insn_class cls;
	enum upc_insn_op op;
	const char *reason;	/* why refused, or what is done */
};

/*
 * Classify a decoded instruction (one table: see insn_class.c). For XOL,
 * insn->rip_rel asks for the operand re-basing in addition to @op.
 */
void upc_insn_classify(const struct upc_insn *insn,
		       struct upc_insn_class_info *info);

#endif /* _UPC_INSN_H */
