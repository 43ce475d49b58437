// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl symbols: the functions of a file that can be probed. */
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "elfsym.h"
#include "probes.h"
#include "target.h"

static void symbols_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl symbols [--json] PATH [PATTERN]\n\n"
		   "List the functions of PATH (a path, program or library name) with their\n"
		   "file offsets and sizes; PATTERN is a shell glob on the name, like 'str*'.\n"
		   "Probe one with 'uprobectl add PATH:NAME' or PATH:0xOFFSET.\n");
}

int cmd_symbols(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pattern = NULL;
	char path[4096], err[1024];
	struct elfinfo ei;
	int c, json = 0, first = 1;
	size_t i, shown = 0;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			symbols_usage(stdout);
			return 0;
		default:
			symbols_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc || argc - optind > 2) {
		symbols_usage(stderr);
		return EXIT_USAGE;
	}
	if (argc - optind == 2)
		pattern = argv[optind + 1];
	if (target_find_file(argv[optind], 0, path, sizeof(path), err, sizeof(err)) ||
	    elf_load(&ei, path, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_ERR;
	}
	if (json)
		printf("[");
	else
		printf("%-18s %8s  %s\n", "FILEOFFSET", "SIZE", "NAME");
	for (i = 0; i < ei.nsyms; i++) {
		const struct esym *s = &ei.syms[i];
		const char *shown_name = s->vername ? s->vername : s->name;

		if (!s->in_text)
			continue;
		if (pattern && fnmatch(pattern, s->name, 0) &&
		    (!s->vername || fnmatch(pattern, s->vername, 0)))
			continue;
		shown++;
		if (json) {
			printf("%s{\"name\":", first ? "" : ",");
			json_string(stdout, s->name);
			if (s->vername) {
				printf(",\"versioned\":");
				json_string(stdout, s->vername);
			}
			printf(",\"offset\":%" PRIu64 ",\"address\":%" PRIu64 ",\"size\":%" PRIu64
			       ",\"local\":%s}", s->off, s->addr, s->size, s->local ? "true" : "false");
			first = 0;
		} else {
			printf("0x%016" PRIx64 " %8" PRIu64 "  %s%s\n", s->off, s->size, shown_name,
			       s->ifunc ? " (ifunc resolver)" : "");
		}
	}
	if (json)
		printf("]\n");
	if (!shown && !json)
		err_msg("no function%s%s in %s", pattern ? " matches " : "", pattern ? pattern : "",
			path);
	elf_unload(&ei);
	return shown || json ? 0 : EXIT_ERR;
}
