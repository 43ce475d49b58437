// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl add, del, list: persistent probes. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetcharg.h"
#include "probes.h"
#include "uprobectl.h"

static void add_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl add [--pid PID] [--name NAME] [--ret | --exit] [--dry-run]\n"
		   "                     TARGET [FETCHARG...]\n\n"
		   "Add a persistent probe and print its id (--dry-run: print the file,\n"
		   "offset and name it resolves to, and add nothing). --ret: hit when the\n"
		   "function TARGET returns, by replacing its return address (as uretprobes\n"
		   "do); --exit: hit at each ret and jump out of it, found by decoding it,\n"
		   "leaving the stack alone (ids: the entry probe's, then one per exit).\n"
		   "Both report $retval and the time since the call. TARGET is PATH:SYMBOL,\n"
		   "PATH:SYMBOL+OFFSET or PATH:0xFILEOFFSET; PATH may be a program name\n"
		   "(looked up in $PATH) or a library name (libc, libz.so.1). With --pid,\n"
		   "only that process (across exec) and the children it forks afterwards\n"
		   "are probed, and PATH is looked up in its mount namespace.\n\n"
		   "FETCHARG: [NAME=]%%REG|@ADDR|+OFF(FETCHARG)|$argN|$stackN[:TYPE],\n"
		   "TYPE: u8..u64 s8..s64 x8..x64 string (default x64). At most %d.\n",
		UPROBECTL_FETCH_MAX);
}

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "ret", no_argument, NULL, 'r' },
		{ "exit", no_argument, NULL, 'x' },
		{ "dry-run", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct probe_req *r;
	const char *name = NULL;
	uint32_t kind = UPROBECTL_KIND_INSN;
	char *end;
	long pid = 0;
	int c, fd, ret, i, dry = 0;

	while ((c = getopt_long(argc, argv, "+n:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'p':
			pid = strtol(optarg, &end, 10);
			if (*end || pid <= 0) {
				err_msg("--pid takes a process id, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'N':
			dry = 1;
			break;
		case 'r':
		case 'x':
			if (probe_kind_opt(c == 'r' ? UPROBECTL_KIND_RETURN : UPROBECTL_KIND_EXIT,
					   &kind))
				return EXIT_USAGE;
			break;
		case 'h':
			add_usage(stdout);
			return 0;
		default:
			add_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		add_usage(stderr);
		return EXIT_USAGE;
	}
	if (name && strlen(name) >= UPROBECTL_NAME_LEN) {
		err_msg("--name is longer than %d characters", UPROBECTL_NAME_LEN - 1);
		return EXIT_USAGE;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return EXIT_ERR;
	i = optind;
	ret = probe_parse(argv, argc, &i, (pid_t)pid, r);
	if (!ret && i < argc) {
		err_msg("'%s' is not a fetch argument (one target per 'add')", argv[i]);
		ret = EXIT_USAGE;
	}
	if (!ret)
		ret = probe_set_kind(r, kind);
	if (ret) {
		free(r);
		return ret;
	}
	if (name)
		snprintf(r->name, sizeof(r->name), "%s", name);
	if (dry) {
		/* Function probes say which place is which. */
		printf("%s 0x%" PRIx64 " %s%s\n", r->t.path, r->t.offset, r->name,
		       r->kind == UPROBECTL_KIND_EXIT ? " entry" :
		       r->kind == UPROBECTL_KIND_RETURN ? " return" : "");
		for (i = 0; i < r->nlocs; i++)
			printf("%s 0x%" PRIx64 " %s%s\n", r->t.path, r->locs[i].offset, r->name,
			       r->kind == UPROBECTL_KIND_EXIT ? " exit" : "");
		probe_req_free(r);
		free(r);
		return 0;
	}
	fd = dev_open(0);
	if (fd < 0) {
		probe_req_free(r);
		free(r);
		return EXIT_ERR;
	}
	ret = probe_add(fd, r, UPROBECTL_ADD_PERSISTENT, (pid_t)pid);
	if (!ret) {
		/* One id per place: an SDT probe point can be in several. */
		printf("%" PRIu64 "\n", r->id);
		for (i = 0; i < r->nlocs; i++)
			printf("%" PRIu64 "\n", r->locs[i].id);
	}
	close(fd);
	probe_req_free(r);
	free(r);
	return ret;
}

static void del_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl del ID...\n       uprobectl del --all\n\n"
		   "Delete probes by id, or every probe.\n");
}

int cmd_del(int argc, char **argv)
{
	struct uprobectl_del req;
	uint64_t *ids;
	int i, n, fd, all = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		del_usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--all"))
		all = 1;
	if (argc < 2) {
		del_usage(stderr);
		return EXIT_USAGE;
	}
	n = all ? 0 : argc - 1;
	ids = calloc(n + 1, sizeof(*ids));
	if (!ids)
		return EXIT_ERR;
	for (i = 0; i < n; i++) {
		char *end;

		errno = 0;
		ids[i] = strtoull(argv[i + 1], &end, 10);
		if (errno || *end || !ids[i]) {
			err_msg("'%s' is not a probe id; 'uprobectl list' shows them", argv[i + 1]);
			free(ids);
			return EXIT_USAGE;
		}
	}
	fd = dev_open(0);
	if (fd < 0) {
		free(ids);
		return EXIT_ERR;
	}
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = all ? UPROBECTL_DEL_ALL : 0;
	req.ids = (uintptr_t)ids;
	req.count = n;
	if (ioctl(fd, UPROBECTL_IOC_DEL, &req)) {
		if (errno == ENOENT)
			err_msg("no probe with %s %s; 'uprobectl list' shows them",
				n > 1 ? "ids" : "id", n > 1 ? "like those" : argv[1]);
		else
			err_msg("cannot delete probes: %s", strerror(errno));
		close(fd);
		free(ids);
		return EXIT_ERR;
	}
	if (!all && (int)req.deleted < n)
		err_msg("%d of %d ids did not exist", n - (int)req.deleted, n);
	close(fd);
	free(ids);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	struct uprobectl_probe_info *v;
	uint32_t n, i;
	int json = 0, fd;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: uprobectl list [--json]\n\nList the probes with their hit counts.\n");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--json"))
		json = 1;
	else if (argc != 1) {
		err_msg("usage: uprobectl list [--json]");
		return EXIT_USAGE;
	}
	fd = dev_open(0);
	if (fd < 0)
		return EXIT_ERR;
	v = probe_list(fd, &n);
	if (!v) {
		err_msg("cannot list probes: %s", strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			uint32_t k;

			printf("%s{\"id\":%" PRIu64 ",\"name\":", i ? "," : "", (uint64_t)v[i].id);
			json_string(stdout, v[i].name);
			printf(",\"path\":");
			json_string(stdout, v[i].path);
			printf(",\"offset\":%" PRIu64 ",\"pid\":%d,\"hits\":%" PRIu64
			       ",\"cookie\":%" PRIu64 ",\"persistent\":%s,\"kind\":\"%s\"",
			       (uint64_t)v[i].offset, v[i].pid, (uint64_t)v[i].hits,
			       (uint64_t)v[i].cookie,
			       v[i].flags & UPROBECTL_PROBE_PERSISTENT ? "true" : "false",
			       probe_kind_name(v[i].kind));
			if (v[i].group)
				printf(",\"group\":%" PRIu64, (uint64_t)v[i].group);
			printf(",\"semaphore\":%" PRIu64 ",\"args\":[", (uint64_t)v[i].semaphore);
			for (k = 0; k < v[i].nargs && k < UPROBECTL_FETCH_MAX; k++) {
				char a[512];

				fetcharg_format(&v[i].args[k], a, sizeof(a));
				fputs(k ? "," : "", stdout);
				json_string(stdout, a);
			}
			printf("]}");
		}
		printf("]\n");
	} else {
		printf("%-6s %-20s %-10s %7s %6s %12s  %s\n", "ID", "NAME", "OFFSET", "PID", "KIND",
		       "HITS", "TARGET");
		for (i = 0; i < n; i++) {
			uint32_t k;

			printf("%-6" PRIu64 " %-20s 0x%-8" PRIx64 " %7d %6s %12" PRIu64 "  %s",
			       (uint64_t)v[i].id, v[i].name[0] ? v[i].name : "-",
			       (uint64_t)v[i].offset, v[i].pid, probe_kind_name(v[i].kind),
			       (uint64_t)v[i].hits, v[i].path);
			for (k = 0; k < v[i].nargs && k < UPROBECTL_FETCH_MAX; k++) {
				char a[512];

				fetcharg_format(&v[i].args[k], a, sizeof(a));
				printf(" %s", a);
			}
			putchar('\n');
		}
	}
	free(v);
	close(fd);
	return 0;
}
