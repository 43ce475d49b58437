// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl stats: what the module holds right now (its accounting). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uprobectl.h"

static const struct field {
	const char *name;
	size_t off;
	const char *what;
} fields[] = {
#define F(m, w) { #m, offsetof(struct uprobectl_stats, m), w }
	F(probes, "probes"),
	F(sites, "probed instructions"),
	F(processes, "per-process states"),
	F(breakpoints, "breakpoints in processes"),
	F(xol_areas, "out-of-line slot areas"),
	F(deferred, "deferred works pending"),
	F(scopes, "processes with pid-scoped probes"),
	F(forks, "forks not yet followed"),
	F(frames, "function calls followed (exit, return probes)"),
	F(thread_states, "threads with calls followed"),
#undef F
};

int cmd_stats(int argc, char **argv)
{
	struct uprobectl_stats st = { .size = sizeof(st) };
	int json = 0, fd;
	size_t i;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: uprobectl stats [--json]\n\n"
		       "Print what the module holds right now: probes, probed processes,\n"
		       "breakpoints, slot areas, pending deferred work. With no probe and\n"
		       "no probed process left, every count but 'clients' is 0.\n");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--json")) {
		json = 1;
	} else if (argc > 1) {
		err_msg("stats takes only --json; see 'uprobectl stats --help'");
		return EXIT_USAGE;
	}
	fd = dev_open(0);
	if (fd < 0)
		return EXIT_ERR;
	if (ioctl(fd, UPROBECTL_IOC_STATS, &st)) {
		err_msg("the module does not answer the stats call (%s): it is older than this CLI; install the matching module",
			strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	close(fd);
	/* This command's own open file is not counted. */
	st.clients--;
	if (json) {
		printf("{\"clients\":%u", st.clients);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			printf(",\"%s\":%llu", fields[i].name,
			       *(unsigned long long *)((char *)&st + fields[i].off));
		printf("}\n");
		return 0;
	}
	printf("%-12s %8u  %s\n", "clients", st.clients, "other open /dev/uprobectl files");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		printf("%-12s %8llu  %s\n", fields[i].name,
		       *(unsigned long long *)((char *)&st + fields[i].off), fields[i].what);
	return 0;
}
