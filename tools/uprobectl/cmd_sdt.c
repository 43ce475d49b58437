// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl sdt: the SDT (USDT) probe points of a file. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "probes.h"
#include "sdt.h"
#include "target.h"

static void sdt_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl sdt [--json] PATH\n\n"
		   "List the SDT (USDT) probe points of PATH (a path, program or library name):\n"
		   "provider, name, file offset, the file offset of its semaphore (- for none)\n"
		   "and its argument spec. Probe one with 'uprobectl add usdt:PATH:PROVIDER:NAME';\n"
		   "its arguments come as arg0, arg1, ... and its semaphore is raised while the\n"
		   "probe exists.\n");
}

int cmd_sdt(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[4096], err[1024];
	struct sdt_note *notes;
	size_t n, i;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			sdt_usage(stdout);
			return 0;
		default:
			sdt_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		sdt_usage(stderr);
		return EXIT_USAGE;
	}
	if (target_find_file(argv[optind], 0, path, sizeof(path), err, sizeof(err)) ||
	    sdt_load(path, &notes, &n, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_ERR;
	}
	if (json)
		printf("[");
	else if (n)
		printf("%-16s %-24s %-18s %-18s %s\n", "PROVIDER", "NAME", "FILEOFFSET",
		       "SEMAPHORE", "ARGUMENTS");
	for (i = 0; i < n; i++) {
		const struct sdt_note *x = &notes[i];

		if (json) {
			printf("%s{\"provider\":", i ? "," : "");
			json_string(stdout, x->provider);
			printf(",\"name\":");
			json_string(stdout, x->name);
			printf(",\"offset\":%" PRIu64 ",\"address\":%" PRIu64 ",\"semaphore\":%" PRIu64
			       ",\"arguments\":", x->off, x->pc, x->sem ? x->sem_off : 0);
			json_string(stdout, x->args);
			printf("}");
		} else {
			char sem[24] = "-";

			if (x->sem)
				snprintf(sem, sizeof(sem), "0x%016" PRIx64, x->sem_off);
			printf("%-16s %-24s 0x%016" PRIx64 " %-18s %s\n", x->provider, x->name,
			       x->off, sem, x->args);
		}
	}
	if (json)
		printf("]\n");
	else if (!n)
		err_msg("%s has no SDT probes (no .note.stapsdt section)", path);
	sdt_free(notes, n);
	return n || json ? 0 : EXIT_ERR;
}
