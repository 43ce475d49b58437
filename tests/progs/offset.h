/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the test programs: print "PATH 0xOFFSET", where the code of one of
 * the program's own (exported, -rdynamic) symbols is in its file.
 */
#ifndef TESTS_PROGS_OFFSET_H
#define TESTS_PROGS_OFFSET_H

#include <dlfcn.h>
#include <stdio.h>

static inline int print_offset(const char *prog, const char *sym)
{
	void *addr = dlsym(RTLD_DEFAULT, sym);
	char line[512], path[400];
	unsigned long start, end, off;
	FILE *f;

	if (!addr) {
		fprintf(stderr, "%s: no symbol %s\n", prog, sym);
		return 1;
	}
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		path[0] = 0;
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %399s", &start, &end, &off, path) < 3)
			continue;
		if ((unsigned long)addr >= start && (unsigned long)addr < end) {
			printf("%s 0x%lx\n", path, (unsigned long)addr - start + off);
			fclose(f);
			return 0;
		}
	}
	if (f)
		fclose(f);
	return 1;
}

#endif
