// SPDX-License-Identifier: GPL-2.0
/*
 * Fetch-argument test program, built without PIE so that its globals sit
 * at fixed addresses (for @ADDR) and its text's file offsets differ from
 * its addresses (for the CLI's address to offset conversion).
 *
 *   fetchprog N        call fa_func N times with known arguments, print the sum
 *   fetchprog addrs    print the addresses of fa_global and fa_gstr
 *   fetchprog fresh N  call fa_func N times with s in a page mapped just
 *                      before from a file and not touched yet (not present
 *                      until the call reads it): "fresh page string"
 *
 * fa_func(a, b, s, t, bad, bad2) gets: a = -5, b = 1234567890123,
 * s = "hello world", t = &thing { i = 42, s = -7, c = -3, in = &inner
 * { v = -99, name = "inner name" } }, bad = (char *)16, bad2 = 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct inner {
	long v;
	const char *name;
};

struct thing {
	int i;
	short s;
	signed char c;
	struct inner *in;
};

long fa_global = 0x1122334455667788L;
char fa_gstr[] = "global string";

__attribute__((noinline)) long fa_func(int a, long b, const char *s, struct thing *t,
				       char *bad, char *bad2)
{
	__asm__ volatile("" ::: "memory");
	return a + b + (long)strlen(s) + t->i + (bad != bad2);
}

int main(int argc, char **argv)
{
	static struct inner in = { -99, "inner name" };
	static struct thing t = { 42, -7, -3, &in };
	long n, i, sum = 0;

	if (argc == 2 && !strcmp(argv[1], "addrs")) {
		printf("%p %p\n", (void *)&fa_global, (void *)fa_gstr);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "fresh")) {
		char tmpl[] = "/tmp/fetchprog.XXXXXX";
		static const char text[] = "fresh page string";
		int fd = mkstemp(tmpl);

		if (fd < 0 || write(fd, text, sizeof(text)) != sizeof(text))
			return 1;
		unlink(tmpl);
		n = atol(argv[2]);
		for (i = 0; i < n; i++) {
			char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);

			if (p == MAP_FAILED)
				return 1;
			sum += fa_func(-5, 1234567890123L, p, &t, (char *)16, NULL);
			munmap(p, 4096);
		}
		printf("sum %ld\n", sum);
		return 0;
	}
	n = argc > 1 ? atol(argv[1]) : 1;
	for (i = 0; i < n; i++)
		sum += fa_func(-5, 1234567890123L, "hello world", &t, (char *)16, NULL);
	printf("sum %ld\n", sum);
	return 0;
}
