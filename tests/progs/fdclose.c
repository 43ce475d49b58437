// SPDX-License-Identifier: GPL-2.0
/*
 * fdclose PATH OFFSET COMMAND: probes belong to the fd that made them.
 * Adds a probe (by path) and a persistent one (by fd) on one fd, runs
 * COMMAND (which must call the probed code 100 times), checks both counts,
 * closes the fd, and checks that only the persistent probe is left.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/uprobectl.h>

static uint64_t add(int fd, const char *path, uint64_t off, int persistent)
{
	struct uprobectl_add req = { .size = sizeof(req) };
	int file = -1;

	req.offset = off;
	if (persistent) {
		file = open(path, O_RDONLY);
		req.flags = UPROBECTL_ADD_PERSISTENT | UPROBECTL_ADD_FD;
		req.fd = file;
	} else {
		req.path = (uintptr_t)path;
	}
	if (ioctl(fd, UPROBECTL_IOC_ADD, &req)) {
		printf("FAIL: add: %s: %s\n", strerror(errno), req.error);
		exit(1);
	}
	if (file >= 0)
		close(file);
	return req.id;
}

/* hits of @id, or -1 if there is no such probe */
static int64_t hits(int fd, uint64_t id)
{
	struct uprobectl_probe_info v[64];
	struct uprobectl_list req = { .size = sizeof(req) };
	uint32_t i;

	req.entry_size = sizeof(v[0]);
	req.entries = (uintptr_t)v;
	req.count = 64;
	if (ioctl(fd, UPROBECTL_IOC_LIST, &req)) {
		printf("FAIL: list: %s\n", strerror(errno));
		exit(1);
	}
	for (i = 0; i < req.filled; i++)
		if (v[i].id == id)
			return (int64_t)v[i].hits;
	return -1;
}

int main(int argc, char **argv)
{
	uint64_t off, a, b;
	int fd, fails = 0;
	int64_t h;

	if (argc != 4)
		return 2;
	off = strtoull(argv[2], NULL, 0);
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	a = add(fd, argv[1], off, 0);
	b = add(fd, argv[1], off, 1);
	if (system(argv[3]) != 0) {
		printf("FAIL: %s\n", argv[3]);
		return 1;
	}
	if ((h = hits(fd, a)) != 100) {
		printf("FAIL: probe %" PRIu64 " has %" PRId64 " hits, expected 100\n", a, h);
		fails++;
	}
	if ((h = hits(fd, b)) != 100) {
		printf("FAIL: persistent probe %" PRIu64 " has %" PRId64 " hits, expected 100\n", b, h);
		fails++;
	}
	close(fd);
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (hits(fd, a) != -1) {
		printf("FAIL: probe %" PRIu64 " survived its fd\n", a);
		fails++;
	}
	if (hits(fd, b) != 100) {
		printf("FAIL: persistent probe %" PRIu64 " did not survive the fd\n", b);
		fails++;
	}
	if (system(argv[3]) != 0 || hits(fd, b) != 200) {
		printf("FAIL: persistent probe does not count after the fd closed\n");
		fails++;
	}
	{
		struct uprobectl_del d = { .size = sizeof(d) };

		d.ids = (uintptr_t)&b;
		d.count = 1;
		if (ioctl(fd, UPROBECTL_IOC_DEL, &d) || d.deleted != 1) {
			printf("FAIL: del\n");
			fails++;
		}
		if (!ioctl(fd, UPROBECTL_IOC_DEL, &d) || errno != ENOENT) {
			printf("FAIL: deleting a deleted probe is not ENOENT\n");
			fails++;
		}
	}
	close(fd);
	printf("%s\n", fails ? "fdclose: FAILED" : "fdclose: ok");
	return fails ? 1 : 0;
}
