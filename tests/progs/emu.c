// SPDX-License-Identifier: GPL-2.0
/*
 * The emulation test's program. Each case is one instruction in two
 * copies of the same snippet: emu_NAME_p (whose instruction, at the
 * symbol emu_NAME_i, the test probes) and emu_NAME_r (never probed). The
 * snippet sets the flags from its inputs, runs the instruction, and
 * stores rax, r8, r9, rsp's change and the flags; the program runs both
 * copies on many inputs and counts the differences.
 *
 *   emu offsets         print "PATH 0xOFFSET NAME" for each probed instruction
 *   emu run ROUNDS [hold]
 *                       run every case ROUNDS times on every input; print
 *                       "cases C calls N mismatches M" (and each mismatch);
 *                       with hold, then wait to be killed
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offset.h"

/* Snippet: rdi = a, rdx = b, rsi = out[5]. */
__asm__(
	".macro SNIP name, sfx, lbl, insn:vararg\n"
	".globl emu_\\name\\()_\\sfx\n"
	".type emu_\\name\\()_\\sfx,@function\n"
	"emu_\\name\\()_\\sfx:\n"
	"	push %rbx\n"
	"	mov %rsp,%rbx\n"
	"	mov %rdi,%rax\n"
	"	mov %rdi,%r8\n"
	"	mov %rdx,%r9\n"
	"	cmp %rdx,%rdi\n"
	"\\lbl:\n"
	"	\\insn\n"
	"	pushfq\n"
	"	pop %rcx\n"
	"	mov %rax,(%rsi)\n"
	"	mov %r8,8(%rsi)\n"
	"	mov %r9,16(%rsi)\n"
	"	mov %rcx,24(%rsi)\n"
	"	mov %rbx,%rcx\n"
	"	sub %rsp,%rcx\n"
	"	mov %rcx,32(%rsi)\n"
	"	mov %rbx,%rsp\n"
	"	pop %rbx\n"
	"	ret\n"
	".endm\n"
	".macro CASE name, insn:vararg\n"
	"SNIP \\name, p, emu_\\name\\()_i, \\insn\n"
	".globl emu_\\name\\()_i\n"
	"SNIP \\name, r, 1, \\insn\n"
	".endm\n"
	".text\n"
	"CASE add8, add $0x7f,%rax\n"
	"CASE add8n, add $-0x80,%rax\n"
	"CASE add32, add $0x12345678,%rax\n"
	"CASE add32e, add $0x7fffffff,%eax\n"
	"CASE add8e, add $1,%eax\n"
	"CASE addr8, add $0x10,%r8\n"
	"CASE sub8, sub $0x28,%rax\n"
	"CASE sub32, sub $0x1000,%rax\n"
	"CASE sub8e, sub $1,%eax\n"
	"CASE subr9, sub $0x7f,%r9d\n"
	"CASE subrsp, sub $0x38,%rsp\n"
	"CASE addrsp, add $-0x18,%rsp\n"
	"CASE subrsp32, sub $0x1008,%rsp\n"
	"CASE xor32, xor %eax,%eax\n"
	"CASE xor64, xor %rax,%rax\n"
	"CASE xorr8, xor %r8d,%r8d\n"
	"CASE xor33, .byte 0x33,0xc0\n"
	"CASE xorr9q, xor %r9,%r9\n"
	"CASE movi32, mov $0x87654321,%eax\n"
	"CASE movi64, movabs $0x123456789abcdef0,%rax\n"
	"CASE movr8d, mov $0x11223344,%r8d\n"
	"CASE movc7, mov $-5,%rax\n"
	"CASE movc7e, .byte 0x41,0xc7,0xc1,0,0,0,0x80\n"
	"CASE movrr, mov %rdx,%rax\n"
	"CASE movrre, mov %r9d,%eax\n"
	"CASE movrbp, mov %rsp,%rax\n"
	"CASE lea1, lea 0x10(%rdi,%rdx,4),%rax\n"
	"CASE lea2, lea -8(%rdi),%eax\n"
	"CASE lea3, lea (%r8,%r9),%r8\n"
	"CASE lea4, lea 0x12345678(,%rdx,8),%rax\n"
	"CASE lea5, lea emu_data(%rip),%rax\n"
	"CASE lea6, lea 0x7fffffff(%r9),%r9d\n"
	"CASE nop, nop\n"
	"CASE nopl, nopl 0x0(%rax,%rax,1)\n"
	"CASE nopw, .byte 0x66,0x2e,0x0f,0x1f,0x84,0,0,0,0,0\n"
	"CASE endbr, endbr64\n"
	".data\n"
	"emu_data: .quad 0\n"
	".text\n");

#define CASES(X) X(add8) X(add8n) X(add32) X(add32e) X(add8e) X(addr8) X(sub8) \
	X(sub32) X(sub8e) X(subr9) X(subrsp) X(addrsp) X(subrsp32) X(xor32) X(xor64) \
	X(xorr8) X(xor33) X(xorr9q) X(movi32) X(movi64) X(movr8d) X(movc7) X(movc7e) \
	X(movrr) X(movrre) X(movrbp) X(lea1) X(lea2) X(lea3) X(lea4) X(lea5) X(lea6) \
	X(nop) X(nopl) X(nopw) X(endbr)

typedef void snip_fn(uint64_t a, uint64_t *out, uint64_t b);

#define DECL(n) snip_fn emu_##n##_p, emu_##n##_r;
CASES(DECL)

static const struct emu_case {
	const char *name;
	snip_fn *p, *r;
} cases[] = {
#define ENTRY(n) { #n, emu_##n##_p, emu_##n##_r },
	CASES(ENTRY)
};

static const uint64_t inputs[] = {
	0, 1, 2, 0xf, 0x10, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
	0xffffffffffffffff, 0xfffffffffffffff0, 0x123456789abcdef0, 0x28, 0x27, 0x29,
};

#define NIN (sizeof(inputs) / sizeof(inputs[0]))

int main(int argc, char **argv)
{
	long rounds, r, calls = 0, bad = 0;
	size_t c, i, j;

	if (argc == 2 && !strcmp(argv[1], "offsets")) {
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			char sym[64];

			snprintf(sym, sizeof(sym), "emu_%s_i", cases[c].name);
			if (print_offset("emu", sym))
				return 1;
		}
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "run"))
		return 2;
	rounds = atol(argv[2]);
	for (r = 0; r < rounds; r++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			for (i = 0; i < NIN; i++)
				for (j = 0; j < NIN; j += 3) {
					uint64_t p[5], q[5];

					cases[c].p(inputs[i], p, inputs[j]);
					cases[c].r(inputs[i], q, inputs[j]);
					calls++;
					if (!memcmp(p, q, sizeof(p)))
						continue;
					if (bad++ < 20)
						printf("mismatch %s(%#" PRIx64 ", %#" PRIx64 "): rax %#" PRIx64
						       "/%#" PRIx64 " r8 %#" PRIx64 "/%#" PRIx64
						       " r9 %#" PRIx64 "/%#" PRIx64 " flags %#" PRIx64
						       "/%#" PRIx64 " rsp %#" PRIx64 "/%#" PRIx64 "\n",
						       cases[c].name, inputs[i], inputs[j], p[0], q[0],
						       p[1], q[1], p[2], q[2], p[3], q[3], p[4], q[4]);
				}
	printf("cases %zu calls %ld mismatches %ld\n", sizeof(cases) / sizeof(cases[0]),
	       calls, bad);
	fflush(stdout);
	while (argc > 3 && !strcmp(argv[3], "hold"))
		pause();
	return bad != 0;
}
