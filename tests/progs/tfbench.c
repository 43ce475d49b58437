// SPDX-License-Identifier: GPL-2.0
/*
 * tfbench PATH LIST COUNT: the built-in uprobes' side of the attach
 * benchmark. Creates COUNT tracefs uprobe events "upcbench/pN" at the
 * first COUNT "0xOFFSET NAME" lines of LIST in PATH (one write each),
 * enables the group, disables it and removes every event (one truncating
 * open). Prints "create_us A enable_us B disable_us C remove_us D".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TR "/sys/kernel/tracing"

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int put(const char *file, const char *s, int flags)
{
	int fd = open(file, O_WRONLY | flags);
	ssize_t n = fd < 0 ? -1 : write(fd, s, strlen(s));

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)strlen(s)) {
		perror(file);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long long t0, create, enable, disable, remove;
	unsigned long long off;
	char name[256], line[600];
	int fd, n = 0, count;
	FILE *in;

	if (argc != 4)
		return 2;
	count = atoi(argv[3]);
	in = fopen(argv[2], "r");
	if (!in || put(TR "/uprobe_events", "", O_TRUNC))
		return 1;
	t0 = now_us();
	fd = open(TR "/uprobe_events", O_WRONLY | O_APPEND);
	while (fd >= 0 && n < count && fscanf(in, "%llx %255s", &off, name) == 2) {
		int k = snprintf(line, sizeof(line), "p:upcbench/p%d %s:0x%llx\n", n, argv[1], off);

		if (write(fd, line, k) != k) {
			perror("uprobe_events");
			return 1;
		}
		n++;
	}
	if (fd < 0)
		return 1;
	close(fd);
	create = now_us() - t0;
	t0 = now_us();
	if (put(TR "/events/upcbench/enable", "1", 0))
		return 1;
	enable = now_us() - t0;
	t0 = now_us();
	if (put(TR "/events/upcbench/enable", "0", 0))
		return 1;
	disable = now_us() - t0;
	t0 = now_us();
	if (put(TR "/uprobe_events", "", O_TRUNC))
		return 1;
	remove = now_us() - t0;
	printf("create_us %lld enable_us %lld disable_us %lld remove_us %lld probes %d\n",
	       create, enable, disable, remove, n);
	return 0;
}
