// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl add, del, list: persistent probes by file offset. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uprobectl.h"

/* Parse "PATH:0xOFFSET" (or decimal); the last colon separates. */
static int parse_target(const char *arg, char **path, uint64_t *offset)
{
	const char *colon = strrchr(arg, ':');
	char *end;

	if (!colon || colon == arg || !colon[1]) {
		err_msg("target '%s' is not PATH:0xFILEOFFSET", arg);
		return -1;
	}
	errno = 0;
	*offset = strtoull(colon + 1, &end, 0);
	if (errno || *end) {
		err_msg("'%s' in target '%s' is not a file offset (use a number like 0x1139)",
			colon + 1, arg);
		return -1;
	}
	*path = strndup(arg, colon - arg);
	return *path ? 0 : -1;
}

static void add_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl add [--name NAME] [--pid PID] PATH:0xFILEOFFSET\n\n"
		   "Add a persistent probe on the instruction at that offset of the file;\n"
		   "print its id. With --pid, only that process (across exec) and the\n"
		   "children it forks afterwards are probed.\n");
}

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct uprobectl_add req;
	const char *name = "";
	char *path, *end;
	long pid = 0;
	uint64_t offset;
	int c, fd, ret;

	while ((c = getopt_long(argc, argv, "n:p:h", opts, NULL)) != -1) {
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
		case 'h':
			add_usage(stdout);
			return 0;
		default:
			add_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		add_usage(stderr);
		return EXIT_USAGE;
	}
	if (strlen(name) >= UPROBECTL_NAME_LEN) {
		err_msg("--name is longer than %d characters", UPROBECTL_NAME_LEN - 1);
		return EXIT_USAGE;
	}
	if (parse_target(argv[optind], &path, &offset))
		return EXIT_USAGE;
	fd = dev_open(0);
	if (fd < 0) {
		free(path);
		return EXIT_ERR;
	}
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = UPROBECTL_ADD_PERSISTENT;
	req.path = (uintptr_t)path;
	req.offset = offset;
	req.pid = (int32_t)pid;
	snprintf(req.name, sizeof(req.name), "%s", name);
	ret = ioctl(fd, UPROBECTL_IOC_ADD, &req);
	if (ret) {
		int e = errno;

		err_msg("cannot add a probe at %s: %s", argv[optind],
			req.error[0] ? req.error : strerror(e));
		close(fd);
		free(path);
		return EXIT_ERR;
	}
	printf("%" PRIu64 "\n", (uint64_t)req.id);
	close(fd);
	free(path);
	return 0;
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

/* Every probe, or NULL with errno set; *count is set. */
static struct uprobectl_probe_info *list_probes(int fd, uint32_t *count)
{
	struct uprobectl_probe_info *v = NULL;
	struct uprobectl_list req;
	uint32_t room = 64;

	for (;;) {
		free(v);
		v = calloc(room, sizeof(*v));
		if (!v)
			return NULL;
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.entry_size = sizeof(*v);
		req.entries = (uintptr_t)v;
		req.count = room;
		if (ioctl(fd, UPROBECTL_IOC_LIST, &req)) {
			free(v);
			return NULL;
		}
		if (req.count <= room) {
			*count = req.filled;
			return v;
		}
		room = req.count + 16;
	}
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
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
	v = list_probes(fd, &n);
	if (!v) {
		err_msg("cannot list probes: %s", strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s{\"id\":%" PRIu64 ",\"name\":", i ? "," : "", (uint64_t)v[i].id);
			json_string(v[i].name);
			printf(",\"path\":");
			json_string(v[i].path);
			printf(",\"offset\":%" PRIu64 ",\"pid\":%d,\"hits\":%" PRIu64
			       ",\"cookie\":%" PRIu64 ",\"persistent\":%s}",
			       (uint64_t)v[i].offset, v[i].pid, (uint64_t)v[i].hits,
			       (uint64_t)v[i].cookie,
			       v[i].flags & UPROBECTL_PROBE_PERSISTENT ? "true" : "false");
		}
		printf("]\n");
	} else {
		printf("%-6s %-16s %-10s %7s %12s  %s\n", "ID", "NAME", "OFFSET", "PID", "HITS", "PATH");
		for (i = 0; i < n; i++)
			printf("%-6" PRIu64 " %-16s 0x%-8" PRIx64 " %7d %12" PRIu64 "  %s\n",
			       (uint64_t)v[i].id, v[i].name[0] ? v[i].name : "-",
			       (uint64_t)v[i].offset, v[i].pid, (uint64_t)v[i].hits, v[i].path);
	}
	free(v);
	close(fd);
	return 0;
}
