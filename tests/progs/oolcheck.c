// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line test's program, built like emu.c: each case is one
 * instruction in a probed copy (ool_NAME_p, instruction at ool_NAME_i)
 * and an unprobed copy (ool_NAME_r) of the same snippet. Snippets get
 * a = rdi, b = rdx and a 128-byte scratch buffer (r10); they store rax,
 * r8, r9, the flags, rsp's change, rcx, rdi and rsi (relative to the
 * buffer), ymm0 (into the buffer) and a global the case may write. The
 * program compares both copies' outputs and buffers on many inputs.
 *
 *   oolcheck offsets      "PATH 0xOFFSET" of every probed instruction
 *   oolcheck run ROUNDS   "cases C calls N mismatches M"
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offset.h"

__asm__(
	".macro SNIP name, sfx, lbl, pre, insn:vararg\n"
	".globl ool_\\name\\()_\\sfx\n"
	".type ool_\\name\\()_\\sfx,@function\n"
	"ool_\\name\\()_\\sfx:\n"
	"	push %rbx\n"
	"	push %r12\n"
	"	mov %rsp,%rbx\n"
	"	mov %rsi,%r12\n"
	"	mov %rcx,%r10\n"
	"	mov %rdi,%rax\n"
	"	mov %rdi,%r8\n"
	"	mov %rdx,%r9\n"
	"	vmovdqu 64(%r10),%ymm0\n"
	"	vmovdqu 96(%r10),%ymm1\n"
	"	lea 32(%r10),%rdi\n"
	"	mov %r10,%rsi\n"
	"	mov $2,%ecx\n"
	"	\\pre\n"
	"	cmp %r9,%r8\n"
	"\\lbl:\n"
	"	\\insn\n"
	"1:\n"
	"	pushfq\n"
	"	pop %r11\n"
	"	mov %rax,(%r12)\n"
	"	mov %r8,8(%r12)\n"
	"	mov %r9,16(%r12)\n"
	"	mov %r11,24(%r12)\n"
	"	mov %rbx,%r11\n"
	"	sub %rsp,%r11\n"
	"	mov %r11,32(%r12)\n"
	"	mov %rcx,40(%r12)\n"
	"	sub %r10,%rdi\n"
	"	mov %rdi,48(%r12)\n"
	"	sub %r10,%rsi\n"
	"	mov %rsi,56(%r12)\n"
	"	mov ool_global(%rip),%r11\n"
	"	mov %r11,64(%r12)\n"
	"	vmovdqu %ymm0,64(%r10)\n"
	"	vzeroupper\n"
	"	mov %rbx,%rsp\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	ret\n"
	".endm\n"
	".macro CASE name, pre, insn:vararg\n"
	"SNIP \\name, p, ool_\\name\\()_i, \"\\pre\", \\insn\n"
	".globl ool_\\name\\()_i\n"
	"SNIP \\name, r, 2, \"\\pre\", \\insn\n"
	".endm\n"
	".text\n"
	"CASE lockadd, nop, lock add %r9,(%r10)\n"
	"CASE lockxadd, nop, lock xadd %rax,8(%r10)\n"
	"CASE cmpxchg, nop, lock cmpxchg %r9,16(%r10)\n"
	"CASE lockinc, nop, lock incl 4(%r10)\n"
	"CASE xchg, nop, xchg %rax,24(%r10)\n"
	"CASE stosb, nop, rep stosb\n"
	"CASE movsq, nop, rep movsq\n"
	"CASE movsb, nop, movsb\n"
	"CASE cmpsb, nop, repe cmpsb\n"
	"CASE ripload, nop, mov ool_data(%rip),%rax\n"
	"CASE ripstore, nop, mov %rax,ool_global(%rip)\n"
	"CASE ripadd, nop, add ool_data(%rip),%r9\n"
	"CASE ripcmp, nop, cmpq $0x10,ool_data(%rip)\n"
	"CASE vripload, nop, vmovdqu ool_vec(%rip),%ymm0\n"
	"CASE vripxor, nop, vpxor ool_vec(%rip),%ymm1,%ymm0\n"
	"CASE vpaddd, nop, vpaddd %ymm1,%ymm0,%ymm0\n"
	"CASE vbroad, nop, vpbroadcastq %xmm1,%ymm0\n"
	"CASE vmem, nop, vmovdqu (%r10),%ymm0\n"
	"CASE imul, nop, imul $7,%r9,%rax\n"
	"CASE adc, nop, adc $5,%rax\n"
	"CASE bt, nop, bt %r9,%rax\n"
	"CASE popcnt, nop, popcnt %r9,%rax\n"
	"CASE bswap, nop, bswap %rax\n"
	"CASE cmov, nop, cmovne %r9,%rax\n"
	"CASE setcc, nop, setb %al\n"
	"CASE shl, \"mov %r9d,%ecx\", shl %cl,%rax\n"
	"CASE cqo, nop, cqo\n"
	"CASE fsload, nop, mov %fs:0x28,%rax\n"
	"CASE pushf, nop, pushfq\n"
	"CASE callmem, \"lea ool_leaf(%rip),%r11; mov %r11,120(%r10)\", call *120(%r10)\n"
	"CASE callreg, \"lea ool_leaf(%rip),%r11\", call *%r11\n"
	"CASE jmpmem, \"lea 1f(%rip),%r11; push %r11\", jmp *(%rsp)\n"
	"CASE jmpreg, \"lea 1f(%rip),%r11\", jmp *%r11\n"
	"CASE retimm, \"sub $8,%rsp; lea 1f(%rip),%r11; push %r11\", ret $8\n"
	"CASE loop, \"mov $3,%ecx\", loop 1f\n"
	"CASE jrcxz, \"mov %r9,%rcx\", jrcxz 1f\n"
	"CASE ripcall, nop, call *ool_fnptr(%rip)\n"
	"ool_leaf:\n"
	"	add $1,%rax\n"
	"	ret\n"
	".data\n"
	".balign 32\n"
	"ool_vec: .quad 0x0102030405060708, 0x1112131415161718, 0x2122232425262728, 0x3132333435363738\n"
	"ool_data: .quad 0x10\n"
	"ool_global: .quad 0\n"
	"ool_fnptr: .quad ool_leaf\n"
	".text\n");

#define CASES(X) X(lockadd) X(lockxadd) X(cmpxchg) X(lockinc) X(xchg) X(stosb) X(movsq) \
	X(movsb) X(cmpsb) X(ripload) X(ripstore) X(ripadd) X(ripcmp) X(vripload) X(vripxor) \
	X(vpaddd) X(vbroad) X(vmem) X(imul) X(adc) X(bt) X(popcnt) X(bswap) X(cmov) \
	X(setcc) X(shl) X(cqo) X(fsload) X(pushf) X(callmem) X(callreg) X(jmpmem) X(jmpreg) \
	X(retimm) X(loop) X(jrcxz) X(ripcall)

typedef void snip_fn(uint64_t a, uint64_t *out, uint64_t b, uint8_t *scratch);

#define DECL(n) snip_fn ool_##n##_p, ool_##n##_r;
CASES(DECL)

static const struct ool_case {
	const char *name;
	snip_fn *p, *r;
} cases[] = {
#define ENTRY(n) { #n, ool_##n##_p, ool_##n##_r },
	CASES(ENTRY)
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const uint64_t inputs[] = {
	0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0x123456789abcdef0,
};

#define NIN (sizeof(inputs) / sizeof(inputs[0]))

#define CF 0x1
#define PF 0x4
#define ZF 0x40
#define SF 0x80
#define OF 0x800

/*
 * The flags an instruction leaves undefined differ between runs (TCG
 * computes them lazily from whatever ran before): compare the rest.
 */
static uint64_t defined_flags(const char *name)
{
	if (!strcmp(name, "bt"))
		return ~(uint64_t)(OF | SF | 0x10 | PF);
	if (!strcmp(name, "imul"))
		return ~(uint64_t)(SF | ZF | 0x10 | PF);
	if (!strcmp(name, "shl"))
		return ~(uint64_t)(OF | 0x10);
	return ~(uint64_t)0;
}

int main(int argc, char **argv)
{
	long rounds, r, calls = 0, bad = 0;
	size_t c, i, j, k;

	if (argc == 2 && !strcmp(argv[1], "offsets")) {
		for (c = 0; c < NCASES; c++) {
			char sym[64];

			snprintf(sym, sizeof(sym), "ool_%s_i", cases[c].name);
			fflush(stdout);
			if (print_offset("oolcheck", sym))
				return 1;
		}
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "run"))
		return 2;
	rounds = atol(argv[2]);
	for (r = 0; r < rounds; r++)
		for (c = 0; c < NCASES; c++)
			for (i = 0; i < NIN; i++)
				for (j = 0; j < NIN; j += 2) {
					uint8_t sp[128] __attribute__((aligned(32)));
					uint8_t sq[128] __attribute__((aligned(32)));
					uint64_t p[9], q[9];

					for (k = 0; k < sizeof(sp); k++)
						sp[k] = sq[k] = (uint8_t)(k * 37 + i * 11 + j);
					memset(p, 0, sizeof(p));
					memset(q, 0, sizeof(q));
					cases[c].p(inputs[i], p, inputs[j], sp);
					cases[c].r(inputs[i], q, inputs[j], sq);
					p[3] &= defined_flags(cases[c].name);
					q[3] &= defined_flags(cases[c].name);
					calls++;
					if (!memcmp(p, q, sizeof(p)) && !memcmp(sp, sq, sizeof(sp)))
						continue;
					if (bad++ < 20)
						printf("mismatch %s(%#" PRIx64 ", %#" PRIx64 "): rax %#" PRIx64
						       "/%#" PRIx64 " flags %#" PRIx64 "/%#" PRIx64
						       " rsp %#" PRIx64 "/%#" PRIx64 " rcx %#" PRIx64
						       "/%#" PRIx64 " memory %s\n",
						       cases[c].name, inputs[i], inputs[j], p[0], q[0],
						       p[3], q[3], p[4], q[4], p[5], q[5],
						       memcmp(sp, sq, sizeof(sp)) ? "differs" : "same");
				}
	printf("cases %zu calls %ld mismatches %ld\n", NCASES, calls, bad);
	return bad != 0;
}
