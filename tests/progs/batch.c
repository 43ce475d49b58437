// SPDX-License-Identifier: GPL-2.0
/*
 * batch PATH LIST COUNT [COMMAND [ARGS...]]
 *
 * Add persistent probes at the first COUNT "0xOFFSET NAME" lines of LIST
 * in PATH with one ADD_BATCH call, run COMMAND (if given) and wait for it,
 * then delete them all with one DEL call. Prints
 *   "added A add_us T1"
 *   "hit H of A"            (with COMMAND: probes with at least one hit)
 *   "deleted D del_us T2"
 * and exits 1 if anything failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/uprobectl.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	struct uprobectl_add_batch b = { .size = sizeof(b) };
	struct uprobectl_del del = { .size = sizeof(del) };
	struct uprobectl_add *adds;
	unsigned long long off, *ids;
	struct uprobectl_list list = { .size = sizeof(list) };
	struct uprobectl_probe_info *info;
	int fd, n = 0, count, i, ret = 0;
	int32_t *results;
	long long t0;
	char name[256];
	FILE *in;

	if (argc < 4)
		return 2;
	count = atoi(argv[3]);
	adds = calloc(count, sizeof(*adds));
	ids = calloc(count, sizeof(*ids));
	results = calloc(count, sizeof(*results));
	in = fopen(argv[2], "r");
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (!adds || !ids || !results || !in || fd < 0) {
		perror("batch");
		return 1;
	}
	while (n < count && fscanf(in, "%llx %255s", &off, name) == 2) {
		adds[n].flags = UPROBECTL_ADD_PERSISTENT;
		adds[n].path = (uintptr_t)argv[1];
		adds[n].offset = off;
		adds[n].cookie = n;
		snprintf(adds[n].name, sizeof(adds[n].name), "%.63s", name);
		n++;
	}
	b.entry_size = sizeof(*adds);
	b.entries = (uintptr_t)adds;
	b.results = (uintptr_t)results;
	b.count = n;
	t0 = now_us();
	if (ioctl(fd, UPROBECTL_IOC_ADD_BATCH, &b)) {
		fprintf(stderr, "batch: ADD_BATCH: %s\n", strerror(errno));
		ret = 1;
	}
	printf("added %u add_us %lld\n", b.added, now_us() - t0);
	for (i = 0; i < n; i++) {
		ids[i] = adds[i].id;
		if (results[i] || !adds[i].id) {
			fprintf(stderr, "batch: entry %d (0x%llx): %s (%s)\n", i,
				(unsigned long long)adds[i].offset, strerror(-results[i]),
				adds[i].error);
			ret = 1;
		}
	}
	if (argc > 4) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || status) {
			fprintf(stderr, "batch: %s: status 0x%x\n", argv[4], status);
			ret = 1;
		}
		info = calloc(n + 16, sizeof(*info));
		list.entry_size = sizeof(*info);
		list.entries = (uintptr_t)info;
		list.count = n + 16;
		if (!info || ioctl(fd, UPROBECTL_IOC_LIST, &list)) {
			perror("batch: LIST");
			return 1;
		}
		count = 0;
		for (i = 0; i < (int)list.filled; i++)
			count += info[i].hits > 0;
		printf("hit %d of %u\n", count, list.filled);
	}
	del.ids = (uintptr_t)ids;
	del.count = n;
	t0 = now_us();
	if (ioctl(fd, UPROBECTL_IOC_DEL, &del)) {
		fprintf(stderr, "batch: DEL: %s\n", strerror(errno));
		ret = 1;
	}
	printf("deleted %u del_us %lld\n", del.deleted, now_us() - t0);
	return ret;
}
