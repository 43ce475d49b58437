// SPDX-License-Identifier: GPL-2.0
/*
 * Hand-written decoder and classifier cases: every prefix and its
 * combinations, REX, VEX/EVEX/XOP, operand and address sizes, immediates,
 * rip-relative operands, invalid and truncated encodings, 32-bit code, and
 * one case per rule of the classification table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn.h"
/* The table itself, so that the test can tell which rule each case hits. */
#include "insn_class.c"

#define R UPC_CLASS_REFUSED
#define E UPC_CLASS_EMULATE
#define X UPC_CLASS_XOL
#define ANY -1

struct tcase {
	const char *hex;
	int mode64;
	int len;	/* -1: invalid */
	int cls;	/* ANY: not checked */
	int op;		/* ANY: not checked */
	const char *what;
};

static const struct tcase cases[] = {
	/* Plain one-byte forms. */
	{ "90", 1, 1, E, UPC_OP_NOP, "nop" },
	{ "41 90", 1, 2, X, UPC_OP_NONE, "xchg %r8,%rax is not a nop" },
	{ "f3 90", 1, 2, E, UPC_OP_NOP, "pause" },
	{ "55", 1, 1, E, UPC_OP_PUSH_REG, "push %rbp" },
	{ "41 54", 1, 2, E, UPC_OP_PUSH_REG, "push %r12" },
	{ "66 55", 1, 2, X, UPC_OP_NONE, "push %bp is stepped" },
	{ "5d", 1, 1, E, UPC_OP_POP_REG, "pop %rbp" },
	{ "41 5f", 1, 2, E, UPC_OP_POP_REG, "pop %r15" },
	{ "48 89 e5", 1, 3, E, UPC_OP_MOV_RR, "mov %rsp,%rbp" },
	{ "89 e5", 1, 2, E, UPC_OP_MOV_RR, "mov %esp,%ebp" },
	{ "48 8b ec", 1, 3, E, UPC_OP_MOV_RR, "mov %rsp,%rbp (8b form)" },
	{ "48 89 07", 1, 3, X, UPC_OP_NONE, "mov %rax,(%rdi) is stepped" },
	{ "48 83 ec 18", 1, 4, E, UPC_OP_ADD_SUB_IMM, "sub $0x18,%rsp" },
	{ "48 81 ec 00 10 00 00", 1, 7, E, UPC_OP_ADD_SUB_IMM, "sub $0x1000,%rsp" },
	{ "48 83 c4 08", 1, 4, E, UPC_OP_ADD_SUB_IMM, "add $8,%rsp" },
	{ "48 05 78 56 34 12", 1, 6, E, UPC_OP_ADD_SUB_IMM, "add $0x12345678,%rax" },
	{ "2d 00 10 00 00", 1, 5, E, UPC_OP_ADD_SUB_IMM, "sub $0x1000,%eax" },
	{ "66 05 01 00", 1, 4, X, UPC_OP_NONE, "add $1,%ax: 16-bit, stepped" },
	{ "48 83 e4 f0", 1, 4, X, UPC_OP_NONE, "and $-16,%rsp is stepped" },
	{ "48 8d 6c 24 08", 1, 5, E, UPC_OP_LEA, "lea 8(%rsp),%rbp" },
	{ "48 8d 05 10 00 00 00", 1, 7, E, UPC_OP_LEA, "lea 0x10(%rip),%rax" },
	{ "67 48 8d 05 00 00 00 00", 1, 8, X, UPC_OP_RIP_REL, "addr32 lea (eip-relative) is stepped" },
	{ "31 c0", 1, 2, E, UPC_OP_XOR_RR, "xor %eax,%eax" },
	{ "45 31 d2", 1, 3, E, UPC_OP_XOR_RR, "xor %r10d,%r10d" },
	{ "44 31 d0", 1, 3, X, UPC_OP_NONE, "xor %r10d,%eax is stepped" },
	{ "31 d8", 1, 2, X, UPC_OP_NONE, "xor %ebx,%eax is stepped" },
	{ "b8 78 56 34 12", 1, 5, E, UPC_OP_MOV_IMM, "mov $imm32,%eax" },
	{ "48 b8 f0 de bc 9a 78 56 34 12", 1, 10, E, UPC_OP_MOV_IMM, "movabs $imm64,%rax" },
	{ "66 b8 34 12", 1, 4, X, UPC_OP_NONE, "mov $imm16,%ax" },
	{ "66 48 b8 01 02 03 04 05 06 07 08", 1, 11, X, UPC_OP_NONE, "REX.W wins over 66 (imm64)" },
	{ "48 c7 c0 ff ff ff ff", 1, 7, E, UPC_OP_MOV_IMM, "mov $-1,%rax" },
	{ "c3", 1, 1, E, UPC_OP_RET, "ret" },
	{ "c2 08 00", 1, 3, E, UPC_OP_RET, "ret $8" },
	{ "f2 c3", 1, 2, E, UPC_OP_RET, "bnd ret" },
	{ "f3 c3", 1, 2, E, UPC_OP_RET, "rep ret" },
	{ "66 c3", 1, 2, R, ANY, "retw" },
	{ "e8 00 00 00 00", 1, 5, E, UPC_OP_CALL_REL, "call rel32" },
	{ "e9 00 00 00 00", 1, 5, E, UPC_OP_JMP_REL, "jmp rel32" },
	{ "eb fe", 1, 2, E, UPC_OP_JMP_REL, "jmp rel8" },
	{ "74 00", 1, 2, E, UPC_OP_JCC_REL, "je rel8" },
	{ "2e 74 00", 1, 3, E, UPC_OP_JCC_REL, "je with a branch hint" },
	{ "0f 84 00 00 00 00", 1, 6, E, UPC_OP_JCC_REL, "je rel32" },
	{ "f2 e8 00 00 00 00", 1, 6, E, UPC_OP_CALL_REL, "bnd call" },
	{ "66 e8 00 00", 1, 4, R, ANY, "callw: vendor-dependent length" },
	{ "66 e9 00 00", 1, 4, R, ANY, "jmpw" },
	{ "66 0f 84 00 00", 1, 5, R, ANY, "66 jcc rel" },
	{ "66 eb 00", 1, 3, R, ANY, "66 jmp rel8" },
	{ "e3 fe", 1, 2, E, UPC_OP_LOOP, "jrcxz" },
	{ "67 e3 fe", 1, 3, E, UPC_OP_LOOP, "jecxz" },
	{ "e2 fe", 1, 2, E, UPC_OP_LOOP, "loop" },
	{ "ff d0", 1, 2, X, UPC_OP_CALL_IND, "call *%rax" },
	{ "ff 15 10 00 00 00", 1, 6, X, UPC_OP_CALL_IND, "call *0x10(%rip)" },
	{ "41 ff e3", 1, 3, X, UPC_OP_JMP_IND, "jmp *%r11" },
	{ "3e ff e0", 1, 3, X, UPC_OP_JMP_IND, "notrack jmp *%rax" },
	{ "ff 24 c5 00 00 00 00", 1, 7, X, UPC_OP_JMP_IND, "jmp *table(,%rax,8)" },
	{ "66 ff d0", 1, 3, R, ANY, "callw *%ax" },
	{ "ff 1d 00 00 00 00", 1, 6, R, ANY, "lcall *" },
	{ "ff 2d 00 00 00 00", 1, 6, R, ANY, "ljmp *" },
	{ "9c", 1, 1, X, UPC_OP_PUSHF, "pushf" },
	{ "0f 05", 1, 2, X, UPC_OP_SYSCALL, "syscall" },
	/* Multi-byte nops, endbr. */
	{ "0f 1f 00", 1, 3, E, UPC_OP_NOP, "nopl (%rax)" },
	{ "0f 1f 40 00", 1, 4, E, UPC_OP_NOP, "nopl 0(%rax)" },
	{ "0f 1f 44 00 00", 1, 5, E, UPC_OP_NOP, "nopl 0(%rax,%rax,1)" },
	{ "66 0f 1f 44 00 00", 1, 6, E, UPC_OP_NOP, "nopw 0(%rax,%rax,1)" },
	{ "0f 1f 80 00 00 00 00", 1, 7, E, UPC_OP_NOP, "nopl 0L(%rax)" },
	{ "0f 1f 84 00 00 00 00 00", 1, 8, E, UPC_OP_NOP, "nopl 0L(%rax,%rax,1)" },
	{ "66 2e 0f 1f 84 00 00 00 00 00", 1, 10, E, UPC_OP_NOP, "cs nopw" },
	{ "66 66 2e 0f 1f 84 00 00 00 00 00", 1, 11, E, UPC_OP_NOP, "data16 cs nopw" },
	{ "66 66 66 66 66 66 2e 0f 1f 84 00 00 00 00 00", 1, 15, E, UPC_OP_NOP, "15-byte nop" },
	{ "66 66 66 66 66 66 66 2e 0f 1f 84 00 00 00 00 00", 1, -1, ANY, ANY, "16 bytes: too long" },
	{ "0f 1f c0", 1, 3, E, UPC_OP_NOP, "nop %eax" },
	{ "0f 1f 05 00 00 00 00", 1, 7, E, UPC_OP_NOP, "nopl rip-relative" },
	{ "f3 0f 1e fa", 1, 4, E, UPC_OP_NOP, "endbr64" },
	{ "f3 0f 1e fb", 1, 4, E, UPC_OP_NOP, "endbr32" },
	{ "f3 48 0f 1e c8", 1, 5, X, UPC_OP_NONE, "rdsspq is not a nop" },
	{ "0f 1e fa", 1, 3, X, UPC_OP_NONE, "0f 1e fa without f3 is a hint nop, stepped" },
	/* Prefixes and their combinations. */
	{ "f0 ff 07", 1, 3, X, UPC_OP_NONE, "lock incl (%rdi)" },
	{ "f0 48 0f b1 0f", 1, 5, X, UPC_OP_NONE, "lock cmpxchg" },
	{ "f0 0f c1 05 10 00 00 00", 1, 8, X, UPC_OP_RIP_REL, "lock xadd rip-relative" },
	{ "f2 f0 83 07 01", 1, 5, X, UPC_OP_NONE, "xacquire lock add" },
	{ "f3 a4", 1, 2, X, UPC_OP_NONE, "rep movsb" },
	{ "f3 48 a5", 1, 3, X, UPC_OP_NONE, "rep movsq" },
	{ "f2 ae", 1, 2, X, UPC_OP_NONE, "repne scasb" },
	{ "64 48 8b 04 25 28 00 00 00", 1, 9, X, UPC_OP_NONE, "mov %fs:0x28,%rax" },
	{ "65 8b 00", 1, 3, X, UPC_OP_NONE, "mov %gs:(%rax),%eax" },
	{ "26 2e 36 3e 64 65 90", 1, 7, ANY, ANY, "every segment prefix" },
	{ "66 67 f2 f3 2e 90", 1, 6, ANY, ANY, "66 67 f2 f3 cs nop" },
	{ "48 48 90", 1, 3, ANY, ANY, "two REX: the last counts" },
	{ "48 66 90", 1, 3, E, UPC_OP_NOP, "REX before 66 is ignored" },
	{ "66 48 90", 1, 3, E, UPC_OP_NOP, "66 REX.W nop" },
	{ "41 66 90", 1, 3, E, UPC_OP_NOP, "REX.B before 66 is ignored: nop" },
	{ "67 8b 04 24", 1, 4, X, UPC_OP_NONE, "addr32 mov (%esp)" },
	{ "67 a1 01 02 03 04", 1, 6, X, UPC_OP_NONE, "addr32 moffs: 4 bytes" },
	{ "a0 01 02 03 04 05 06 07 08", 1, 9, X, UPC_OP_NONE, "moffs: 8 bytes" },
	{ "48 a3 01 02 03 04 05 06 07 08", 1, 10, X, UPC_OP_NONE, "movabs %rax,moffs" },
	{ "66 67 a1 01 02 03 04", 1, 7, X, UPC_OP_NONE, "66 67 moffs" },
	/* ModRM, SIB, displacement. */
	{ "8b 04 24", 1, 3, ANY, ANY, "SIB, no disp" },
	{ "8b 44 24 08", 1, 4, ANY, ANY, "SIB, disp8" },
	{ "8b 84 24 00 01 00 00", 1, 7, ANY, ANY, "SIB, disp32" },
	{ "8b 04 25 00 00 00 00", 1, 7, ANY, ANY, "SIB base 5, mod 0: disp32, absolute" },
	{ "8b 45 00", 1, 3, ANY, ANY, "(%rbp): disp8" },
	{ "41 8b 45 00", 1, 4, ANY, ANY, "(%r13): disp8" },
	{ "8b 05 00 00 00 00", 1, 6, X, UPC_OP_RIP_REL, "rip-relative load" },
	{ "89 05 00 00 00 00", 1, 6, X, UPC_OP_RIP_REL, "rip-relative store" },
	{ "48 c7 05 10 00 00 00 05 00 00 00", 1, 11, X, UPC_OP_RIP_REL, "movq $5, rip-relative" },
	{ "66 c7 05 10 00 00 00 05 00", 1, 9, X, UPC_OP_RIP_REL, "movw $5, rip-relative" },
	{ "80 3d 10 00 00 00 05", 1, 7, X, UPC_OP_RIP_REL, "cmpb $5, rip-relative" },
	/* Immediates by opcode. */
	{ "f6 c0 01", 1, 3, ANY, ANY, "test $1,%al (f6 /0)" },
	{ "f6 d0", 1, 2, ANY, ANY, "not %al (f6 /2): no imm" },
	{ "f7 05 00 00 00 00 01 00 00 00", 1, 10, X, UPC_OP_RIP_REL, "testl rip-relative" },
	{ "66 f7 05 00 00 00 00 01 00", 1, 9, ANY, ANY, "testw: imm16" },
	{ "f7 15 00 00 00 00", 1, 6, ANY, ANY, "notl rip-relative: no imm" },
	{ "69 c8 34 12 00 00", 1, 6, ANY, ANY, "imul $imm32" },
	{ "6b c8 0c", 1, 3, ANY, ANY, "imul $imm8" },
	{ "68 78 56 34 12", 1, 5, ANY, ANY, "push $imm32" },
	{ "66 68 34 12", 1, 4, ANY, ANY, "pushw $imm16" },
	{ "6a ff", 1, 2, ANY, ANY, "push $imm8" },
	{ "c8 10 00 01", 1, 4, ANY, ANY, "enter $0x10,$1" },
	{ "c0 e0 03", 1, 3, ANY, ANY, "shl $3,%al" },
	{ "0f a4 c3 04", 1, 4, ANY, ANY, "shld $4" },
	{ "0f ba e0 03", 1, 4, ANY, ANY, "bt $3,%eax" },
	{ "0f 70 c1 1b", 1, 4, ANY, ANY, "pshufw-like 0f 70 ib" },
	{ "66 0f 3a 0f c1 04", 1, 6, ANY, ANY, "palignr (0f 3a: imm8)" },
	{ "66 0f 38 00 05 00 00 00 00", 1, 9, X, UPC_OP_RIP_REL, "pshufb rip-relative (0f 38)" },
	{ "66 0f 78 c1 04 08", 1, 6, ANY, ANY, "extrq $4,$8 (two imm8)" },
	{ "f2 0f 78 c1 04 08", 1, 6, ANY, ANY, "insertq $4,$8" },
	{ "66 0f 79 ca", 1, 4, ANY, ANY, "extrq %xmm2,%xmm1 (no imm)" },
	{ "0f 78 c1", 1, 3, ANY, ANY, "vmread (no imm)" },
	{ "0f 0f c1 9e", 1, 4, ANY, ANY, "3DNow! pfadd" },
	{ "0f 0f 05 00 00 00 00 b4", 1, 8, X, UPC_OP_RIP_REL, "3DNow! rip-relative" },
	{ "c7 f8 00 00 00 00", 1, 6, R, ANY, "xbegin" },
	{ "66 c7 f8 00 00", 1, 5, R, ANY, "xbegin rel16" },
	{ "c6 f8 03", 1, 3, R, ANY, "xabort" },
	{ "0f 01 d5", 1, 3, R, ANY, "xend" },
	{ "0f 01 d6", 1, 3, X, UPC_OP_NONE, "xtest" },
	{ "0f 20 00", 1, 3, ANY, ANY, "mov %cr0: mod ignored" },
	/* x87. */
	{ "d9 e8", 1, 2, ANY, ANY, "fld1" },
	{ "dd 05 00 00 00 00", 1, 6, X, UPC_OP_RIP_REL, "fldl rip-relative" },
	{ "9b", 1, 1, ANY, ANY, "fwait alone" },
	{ "9b df e0", 1, 1, ANY, ANY, "fwait, then fnstsw: two instructions" },
	/* VEX, EVEX, XOP. */
	{ "c5 f8 77", 1, 3, X, UPC_OP_NONE, "vzeroupper: no ModRM" },
	{ "c4 e1 7c 77", 1, 4, ANY, ANY, "vzeroall, VEX3" },
	{ "c5 fe 6f 07", 1, 4, X, UPC_OP_NONE, "vmovdqu (%rdi),%ymm0" },
	{ "c5 fe 6f 0d 10 00 00 00", 1, 8, X, UPC_OP_RIP_REL, "vmovdqu rip-relative" },
	{ "c5 fd 74 0f", 1, 4, X, UPC_OP_NONE, "vpcmpeqb (%rdi),%ymm0,%ymm1" },
	{ "c4 e2 7d 78 ff", 1, 5, X, UPC_OP_NONE, "vpbroadcastb %xmm7,%ymm7" },
	{ "c5 fd 70 c1 1b", 1, 5, ANY, ANY, "vpshufd: imm8 in map 1" },
	{ "c4 e3 7d 39 c1 01", 1, 6, ANY, ANY, "vextracti128: map 3, imm8" },
	{ "c4 e3 79 20 05 00 00 00 00 01", 1, 10, X, UPC_OP_RIP_REL, "vpinsrb rip-relative + imm8" },
	{ "c4 62 7d 18 05 00 00 00 00", 1, 9, X, UPC_OP_RIP_REL, "vbroadcastss rip-relative" },
	{ "c4 e1 f9 7e c0", 1, 5, ANY, ANY, "vmovq %xmm0,%rax (VEX.W)" },
	{ "c4 e4 79 00 c0", 1, -1, ANY, ANY, "VEX map 4: invalid" },
	{ "66 c5 f8 77", 1, -1, ANY, ANY, "66 before VEX: #UD" },
	{ "48 c5 f8 77", 1, -1, ANY, ANY, "REX before VEX: #UD" },
	{ "62 f1 7c 48 10 05 00 00 00 00", 1, 10, X, UPC_OP_RIP_REL, "vmovups rip-relative (EVEX)" },
	{ "62 f1 7c 48 10 44 24 01", 1, 8, ANY, ANY, "EVEX disp8*N" },
	{ "62 f3 7d 48 1b 05 00 00 00 00 01", 1, 11, ANY, ANY, "EVEX map 3: imm8" },
	{ "62 f1 7d 48 72 05 00 00 00 00 03", 1, 11, ANY, ANY, "EVEX map 1 0x72: imm8" },
	{ "62 f5 6c 48 58 c1", 1, 6, ANY, ANY, "vaddph (EVEX map 5)" },
	{ "62 f1 7c 48 10", 1, -1, ANY, ANY, "EVEX truncated" },
	{ "62 f1 78 48 10 c1", 1, -1, ANY, ANY, "EVEX with P1 bit 2 clear" },
	{ "8f e8 78 c0 c1 03", 1, 6, ANY, ANY, "XOP map 8: imm8" },
	{ "8f e9 78 80 c1", 1, 5, ANY, ANY, "XOP map 9" },
	{ "8f ea 78 10 c0 34 12 00 00", 1, 9, ANY, ANY, "XOP map a: imm32" },
	{ "8f c0", 1, 2, ANY, ANY, "pop %rax (8f /0)" },
	{ "41 8f 00", 1, 3, ANY, ANY, "pop (%r8)" },
	/* Refused ones. */
	{ "cc", 1, 1, R, ANY, "int3" },
	{ "cd 80", 1, 2, R, ANY, "int $0x80" },
	{ "f1", 1, 1, R, ANY, "int1" },
	{ "48 cf", 1, 2, R, ANY, "iretq" },
	{ "cb", 1, 1, R, ANY, "lret" },
	{ "ca 10 00", 1, 3, R, ANY, "lret $16" },
	{ "8e d8", 1, 2, R, ANY, "mov %eax,%ds" },
	{ "0f a1", 1, 2, R, ANY, "pop %fs" },
	{ "0f a9", 1, 2, R, ANY, "pop %gs" },
	{ "fa", 1, 1, R, ANY, "cli" },
	{ "0f 34", 1, 2, R, ANY, "sysenter" },
	{ "48 0f 07", 1, 3, R, ANY, "sysretq" },
	{ "0f 0b", 1, 2, R, ANY, "ud2" },
	{ "0f b9 05 00 00 00 00", 1, 7, R, ANY, "ud1" },
	{ "0f ff 05 00 00 00 00", 1, 7, R, ANY, "ud0" },
	{ "f3 0f a7 c8", 1, 4, R, ANY, "xcryptecb" },
	/* Invalid and truncated. */
	{ "06", 1, -1, ANY, ANY, "push %es: invalid in 64-bit" },
	{ "27", 1, -1, ANY, ANY, "daa: invalid in 64-bit" },
	{ "d4 0a", 1, -1, ANY, ANY, "aam: invalid in 64-bit" },
	{ "82 c0 01", 1, -1, ANY, ANY, "82: invalid in 64-bit" },
	{ "9a 00 00 00 00 00 00", 1, -1, ANY, ANY, "far call ptr: invalid in 64-bit" },
	{ "0f 04", 1, -1, ANY, ANY, "0f 04: undefined" },
	{ "0f 24 00", 1, -1, ANY, ANY, "0f 24: undefined" },
	{ "0f 3b", 1, -1, ANY, ANY, "0f 3b: undefined" },
	{ "", 1, -1, ANY, ANY, "no bytes" },
	{ "48", 1, -1, ANY, ANY, "REX alone" },
	{ "66", 1, -1, ANY, ANY, "prefix alone" },
	{ "0f", 1, -1, ANY, ANY, "escape alone" },
	{ "0f 38", 1, -1, ANY, ANY, "three-byte escape alone" },
	{ "e8 00 00 00", 1, -1, ANY, ANY, "call rel32, one byte short" },
	{ "48 b8 01 02 03 04 05 06 07", 1, -1, ANY, ANY, "movabs, one byte short" },
	{ "8b 04", 1, -1, ANY, ANY, "SIB missing" },
	{ "c5", 1, -1, ANY, ANY, "VEX2 alone" },
	{ "c4 e1", 1, -1, ANY, ANY, "VEX3 cut" },
	/* 32-bit code. */
	{ "40", 0, 1, ANY, ANY, "inc %eax (REX range in 32-bit)" },
	{ "48 90", 0, 1, ANY, ANY, "dec %eax, then nop" },
	{ "06", 0, 1, ANY, ANY, "push %es" },
	{ "27", 0, 1, ANY, ANY, "daa" },
	{ "d4 0a", 0, 2, ANY, ANY, "aam" },
	{ "9a 00 00 00 00 00 00", 0, 7, R, ANY, "lcall ptr16:32" },
	{ "66 9a 00 00 00 00", 0, 6, R, ANY, "lcall ptr16:16" },
	{ "ea 00 00 00 00 00 00", 0, 7, R, ANY, "ljmp ptr16:32" },
	{ "b8 78 56 34 12", 0, 5, E, UPC_OP_MOV_IMM, "mov $imm32,%eax" },
	{ "66 e8 00 00", 0, 4, E, UPC_OP_CALL_REL, "callw in 32-bit code is well defined" },
	{ "a1 01 02 03 04", 0, 5, ANY, ANY, "moffs: 4 bytes" },
	{ "67 a1 01 02", 0, 4, ANY, ANY, "addr16 moffs: 2 bytes" },
	{ "8b 05 00 00 00 00", 0, 6, X, UPC_OP_NONE, "absolute, not rip-relative" },
	{ "67 8b 46 00", 0, 4, ANY, ANY, "16-bit addressing: (%bp)+disp8" },
	{ "67 8b 06 00 10", 0, 5, ANY, ANY, "16-bit addressing: disp16" },
	{ "67 8b 87 00 10", 0, 5, ANY, ANY, "16-bit addressing: (%bx)+disp16" },
	{ "67 8b 04", 0, 3, ANY, ANY, "16-bit addressing: no SIB" },
	{ "c4 00", 0, 2, ANY, ANY, "les (%eax),%eax: not VEX in 32-bit" },
	{ "c5 f8 77", 0, 3, ANY, ANY, "vzeroupper in 32-bit" },
	{ "62 00", 0, 2, ANY, ANY, "bound: not EVEX in 32-bit" },
	{ "62 f1 7c 48 10 c1", 0, 6, ANY, ANY, "EVEX in 32-bit" },
	{ "8f 00", 0, 2, ANY, ANY, "pop (%eax)" },
	{ "cd 80", 0, 2, R, ANY, "int $0x80" },
	{ "ce", 0, 1, R, ANY, "into" },
	{ "07", 0, 1, R, ANY, "pop %es" },
	{ "17", 0, 1, R, ANY, "pop %ss" },
	{ "1f", 0, 1, R, ANY, "pop %ds" },
	/* More rule coverage. */
	{ "66 70 00", 1, 3, R, ANY, "66 jo rel8" },
	{ "66 ff e0", 1, 3, R, ANY, "jmpw *%ax" },
	{ "48 81 c4 45 23 01 00", 1, 7, E, UPC_OP_ADD_SUB_IMM, "add $0x12345,%rsp" },
	{ "33 c0", 1, 2, E, UPC_OP_XOR_RR, "xor %eax,%eax (33 form)" },
	{ "4d 33 c0", 1, 3, E, UPC_OP_XOR_RR, "xor %r8,%r8 (33 form)" },
};

static size_t parse_hex(const char *s, u8 *out)
{
	size_t n = 0;
	unsigned int v;
	int k;

	while (sscanf(s, "%2x%n", &v, &k) == 1) {
		out[n++] = (u8)v;
		s += k;
	}
	return n;
}

/* The index of the first rule that matches, or -1 (the default). */
static int rule_index(const struct upc_insn *insn)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(upc_class_rules); i++)
		if (upc_rule_matches(&upc_class_rules[i], insn))
			return (int)i;
	return -1;
}

int main(void)
{
	size_t i, failures = 0, n = sizeof(cases) / sizeof(cases[0]);
	unsigned char hit[ARRAY_SIZE(upc_class_rules)] = { 0 };

	for (i = 0; i < n; i++) {
		const struct tcase *t = &cases[i];
		struct upc_insn insn;
		struct upc_insn_class_info info;
		u8 buf[32];
		size_t len = parse_hex(t->hex, buf);
		int ret = upc_insn_decode(&insn, buf, len, t->mode64);
		int got = ret ? -1 : insn.len;
		const char *bad = NULL;

		if (!ret && rule_index(&insn) >= 0)
			hit[rule_index(&insn)] = 1;
		if (got != t->len) {
			bad = "length";
		} else if (!ret && (t->cls != ANY || t->op != ANY)) {
			upc_insn_classify(&insn, &info);
			if (t->cls != ANY && (int)info.cls != t->cls)
				bad = "class";
			else if (t->op != ANY && (int)info.op != t->op)
				bad = "op";
		}
		if (bad) {
			failures++;
			printf("FAIL: %s (%s bits) [%s]: %s: length %d (expected %d)",
			       t->what, t->mode64 ? "64" : "32", t->hex, bad, got, t->len);
			if (!ret) {
				upc_insn_classify(&insn, &info);
				printf(", class %d op %d: %s", info.cls, info.op, info.reason);
			}
			printf("\n");
		}
	}
	for (i = 0; i < ARRAY_SIZE(upc_class_rules); i++) {
		if (hit[i])
			continue;
		failures++;
		printf("FAIL: no case covers classification rule %zu (%s)\n", i,
		       upc_class_rules[i].reason);
	}
	printf("insn_test: %zu cases, %zu failed\n", n, failures);
	return failures ? 1 : 0;
}
