// SPDX-License-Identifier: GPL-2.0
/*
 * The per-hit benchmark's program: one small function per instruction
 * class, its probed instruction at the symbol hb_CLASS_i.
 *
 *   hitbench offsets        "PATH 0xOFFSET CLASS" for every class
 *   hitbench run CLASS N    call hb_CLASS N times; print the ns per call
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "offset.h"

__asm__(
	".macro FN name\n"
	".globl hb_\\name\n"
	".type hb_\\name,@function\n"
	"hb_\\name:\n"
	".endm\n"
	".macro AT name\n"
	".globl hb_\\name\\()_i\n"
	"hb_\\name\\()_i:\n"
	".endm\n"
	".text\n"
	".macro END name\n"
	".size hb_\\name, . - hb_\\name\n"
	".endm\n"
	"FN nop\n AT nop\n nop\n ret\n END nop\n"
	"FN push\n AT push\n push %rbp\n pop %rbp\n ret\n END push\n"
	"FN endbr\n AT endbr\n endbr64\n ret\n END endbr\n"
	"FN nopl\n AT nopl\n nopl 0x0(%rax,%rax,1)\n ret\n END nopl\n"
	"FN movrbp\n push %rbp\n AT movrbp\n mov %rsp,%rbp\n pop %rbp\n ret\n END movrbp\n"
	"FN subrsp\n AT subrsp\n sub $0x18,%rsp\n add $0x18,%rsp\n ret\n END subrsp\n"
	"FN riprel\n AT riprel\n mov hb_var(%rip),%rax\n ret\n END riprel\n"
	"FN ret\n AT ret\n ret\n END ret\n"
	"FN call\n AT call\n call hb_leaf\n ret\n END call\n"
	"hb_leaf:\n ret\n"
	".data\n"
	"hb_var: .quad 42\n"
	".text\n");

#define CLASSES(X) X(nop) X(push) X(endbr) X(nopl) X(movrbp) X(subrsp) X(riprel) X(ret) X(call)

#define DECL(n) void hb_##n(void);
CLASSES(DECL)

static const struct hb_class {
	const char *name;
	void (*fn)(void);
} classes[] = {
#define ENTRY(n) { #n, hb_##n },
	CLASSES(ENTRY)
};

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	size_t c;
	long n, i;

	if (argc == 2 && !strcmp(argv[1], "offsets")) {
		for (c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
			char sym[64];

			snprintf(sym, sizeof(sym), "hb_%s_i", classes[c].name);
			fflush(stdout);
			if (print_offset("hitbench", sym))
				return 1;
		}
		return 0;
	}
	if (argc != 4 || strcmp(argv[1], "run"))
		return 2;
	n = atol(argv[3]);
	for (c = 0; c < sizeof(classes) / sizeof(classes[0]); c++)
		if (!strcmp(classes[c].name, argv[2]))
			break;
	if (c == sizeof(classes) / sizeof(classes[0]) || n <= 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		classes[c].fn();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.0f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n);
	return 0;
}
