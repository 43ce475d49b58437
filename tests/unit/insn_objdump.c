// SPDX-License-Identifier: GPL-2.0
/*
 * Check the decoder's instruction lengths against objdump's.
 * Usage: objdump -d -z -w --insn-width=16 FILE | insn_objdump [--32] NAME
 *
 * Reads objdump's listing, rebuilds each section's bytes, decodes at every
 * address objdump starts an instruction and compares the lengths. Lines
 * objdump could not decode ("(bad)") are skipped. Prints the count and the
 * first mismatches with their bytes; exits 1 on any mismatch.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn.h"

struct ent {
	unsigned long addr;
	size_t off;	/* into bytes[] */
	unsigned char len;
	unsigned char bad;	/* objdump could not decode it */
	unsigned char lone;	/* objdump printed a prefix as an instruction */
};

/*
 * objdump prints a prefix the CPU ignores (a REX before another prefix, or
 * several REX) on a line of its own; the CPU counts it in the next
 * instruction. Such lines are skipped; the next line is checked as usual.
 */
static bool prefix_name(const char *word)
{
	static const char *const names[] = {
		"data16", "addr32", "lock", "repz", "repnz", "rep", "cs", "ds",
		"es", "ss", "fs", "gs", "bnd", "notrack", "xacquire", "xrelease",
	};
	size_t i;

	if (!strncmp(word, "rex", 3))
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(word, names[i]))
			return true;
	return false;
}

/* Every word of the mnemonic field is a prefix. */
static bool lone_prefix(const char *mn)
{
	char word[32];
	int n, words = 0;

	while (sscanf(mn, "%31s%n", word, &n) == 1) {
		if (!prefix_name(word))
			return false;
		words++;
		mn += n;
	}
	return words > 0;
}

/*
 * Encodings objdump decodes but the CPU raises #UD for, where our decoder
 * says invalid: a VEX, EVEX or XOP prefix after REX, 66, f2, f3 or f0; and
 * in 32-bit code the 386's test-register moves (0f 24, 0f 26).
 */
static size_t skip_prefixes(const unsigned char *b, size_t len, bool mode64,
			    bool *strong)
{
	size_t i;

	*strong = false;
	for (i = 0; i < len; i++) {
		unsigned char c = b[i];

		if (c == 0x66 || c == 0xf2 || c == 0xf3 || c == 0xf0 ||
		    (mode64 && (c & 0xf0) == 0x40))
			*strong = true;
		else if (!(c == 0x26 || c == 0x2e || c == 0x36 || c == 0x3e ||
			   c == 0x64 || c == 0x65 || c == 0x67))
			break;
	}
	return i;
}

static bool cpu_ud(const unsigned char *b, size_t len, bool mode64)
{
	bool strong;
	size_t i = skip_prefixes(b, len, mode64, &strong);

	if (i + 1 >= len)
		return false;
	if (!mode64 && b[i] == 0x0f && (b[i + 1] == 0x24 || b[i + 1] == 0x26))
		return true;
	return strong && (b[i] == 0xc4 || b[i] == 0xc5 || b[i] == 0x62 || b[i] == 0x8f);
}

/*
 * objdump shows fwait (9b, with any prefixes) and the x87 instruction after
 * it as one (fstsw = fwait; fnstsw): for the CPU they are two.
 */
static bool fwait_pair(const unsigned char *b, size_t len, size_t avail,
		       size_t ours, bool mode64)
{
	struct upc_insn insn;
	bool strong;
	size_t i = skip_prefixes(b, len, mode64, &strong);

	return i < len && b[i] == 0x9b && ours == i + 1 &&
	       !upc_insn_decode(&insn, b + ours, avail - ours, mode64) &&
	       insn.len == len - ours;
}

static unsigned char *bytes;
static size_t nbytes, capbytes;
static struct ent *ents;
static size_t nents, capents;

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	*cap = need * 2 + 1024;
	p = realloc(p, *cap * elem);
	if (!p) {
		perror("realloc");
		exit(2);
	}
	return p;
}

/* "  4011d6:\t48 89 e5             \tmov    %rsp,%rbp" */
static void parse_line(char *line)
{
	char *p = line, *end, *tab2;
	unsigned long addr;
	struct ent e = { 0 };

	while (*p == ' ')
		p++;
	addr = strtoul(p, &end, 16);
	if (end == p || end[0] != ':' || end[1] != '\t')
		return;
	p = end + 2;
	tab2 = strchr(p, '\t');
	e.addr = addr;
	e.off = nbytes;
	while (p && *p && p != tab2) {
		unsigned int v;
		int n;

		while (*p == ' ')
			p++;
		if (p == tab2 || !isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
			break;
		if (sscanf(p, "%2x%n", &v, &n) != 1)
			break;
		bytes = grow(bytes, &capbytes, nbytes + 1, 1);
		bytes[nbytes++] = (unsigned char)v;
		e.len++;
		p += n;
	}
	if (!e.len)
		return;
	/* "(bad)", or ".byte" where an instruction runs into the next symbol. */
	e.bad = tab2 && (strstr(tab2, "(bad)") || strstr(tab2, ".byte "));
	e.lone = tab2 && lone_prefix(tab2 + 1);
	ents = grow(ents, &capents, nents + 1, sizeof(*ents));
	ents[nents++] = e;
}

int main(int argc, char **argv)
{
	bool mode64 = true;
	const char *name = "stdin";
	size_t i, checked = 0, skipped = 0, lone = 0, mismatches = 0;
	size_t *run_end;
	char *line = NULL;
	size_t cap = 0;

	/* --random N SEED: N reproducible pseudo-random bytes on stdout. */
	if (argc == 4 && !strcmp(argv[1], "--random")) {
		unsigned long long x = strtoull(argv[3], NULL, 0) * 2 + 1;
		long n = atol(argv[2]);

		while (n-- > 0) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			putchar((int)(x >> 32));
		}
		return 0;
	}
	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--32"))
			mode64 = false;
		else
			name = argv[i];
	}
	while (getline(&line, &cap, stdin) > 0)
		parse_line(line);
	free(line);

	/* Decode within a run of contiguous instructions (one section). */
	run_end = calloc(nents + 1, sizeof(*run_end));
	for (i = nents; i-- > 0;) {
		const struct ent *e = &ents[i];

		if (i + 1 < nents && ents[i + 1].addr == e->addr + e->len)
			run_end[i] = run_end[i + 1];
		else
			run_end[i] = e->off + e->len;
	}

	for (i = 0; i < nents; i++) {
		struct upc_insn insn;
		const struct ent *e = &ents[i];
		const unsigned char *b = bytes + e->off;
		size_t avail = run_end[i] - e->off;
		int ret;

		if (e->bad) {
			skipped++;
			continue;
		}
		if (e->lone) {
			lone++;
			continue;
		}
		ret = upc_insn_decode(&insn, b, avail, mode64);
		checked++;
		if (!ret && insn.len == e->len)
			continue;
		/*
		 * objdump shows fwait (9b) and the x87 instruction after it as
		 * one (fstsw = fwait; fnstsw): for the CPU they are two.
		 */
		if (!ret && fwait_pair(b, e->len, avail, insn.len, mode64))
			continue;
		if (ret && cpu_ud(b, e->len, mode64))
			continue;
		if (mismatches++ < 20) {
			unsigned int j;

			printf("%s: MISMATCH at %#lx: objdump %u bytes, ours %d:",
			       name, e->addr, e->len, ret ? -1 : insn.len);
			for (j = 0; j < 16 && e->off + j < nbytes; j++)
				printf(" %02x", bytes[e->off + j]);
			printf("\n");
		}
	}
	printf("%s: %zu instructions checked, %zu mismatches; skipped: %zu (bad) and %zu lone prefixes in objdump's listing\n",
	       name, checked, mismatches, skipped, lone);
	return mismatches || !checked ? 1 : 0;
}
