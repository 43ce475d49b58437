// SPDX-License-Identifier: GPL-2.0
/*
 * Using uprobectl from C with nothing but its uapi header: add a probe on
 * a file offset with two fetch arguments, read N hit events, and remove the
 * probe (closing the descriptor would remove it too).
 *
 *   cc -I/usr/local/include -o probe-events probe-events.c
 *   probe-events FILE 0xOFFSET N
 *
 * FILE:0xOFFSET is what 'uprobectl add --dry-run FILE:SYMBOL' prints.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/uprobectl.h>

int main(int argc, char **argv)
{
	static uint8_t buf[64 * UPROBECTL_EVENT_MAX] __attribute__((aligned(8)));
	struct uprobectl_fetch args[2];
	struct uprobectl_subscribe sub;
	struct uprobectl_add add;
	struct uprobectl_del del;
	long want, seen = 0;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE 0xOFFSET N\n", argv[0]);
		return 2;
	}
	want = atol(argv[3]);
	fd = open(UPROBECTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("probe-events: " UPROBECTL_DEVICE " (run 'modprobe uprobectl' as root)");
		return 1;
	}

	/* arg1 = %di as a signed 32-bit number, arg2 = the u64 at %si. */
	memset(args, 0, sizeof(args));
	args[0].base = UPROBECTL_FETCH_REG;
	args[0].reg = UPROBECTL_REG_DI;
	args[0].type = UPROBECTL_TYPE_S(4);
	strcpy(args[0].name, "arg1");
	args[1].base = UPROBECTL_FETCH_REG;
	args[1].reg = UPROBECTL_REG_SI;
	args[1].type = UPROBECTL_TYPE_U(8);
	strcpy(args[1].name, "arg2");

	memset(&add, 0, sizeof(add));
	add.size = sizeof(add);
	add.path = (uintptr_t)argv[1];
	add.offset = strtoull(argv[2], NULL, 0);
	add.args = (uintptr_t)args;
	add.nargs = 2;
	add.arg_size = sizeof(args[0]);
	if (ioctl(fd, UPROBECTL_IOC_ADD, &add)) {
		fprintf(stderr, "probe-events: add: %s\n", add.error);
		return 1;
	}

	/* Only this probe's hits. */
	memset(&sub, 0, sizeof(sub));
	sub.size = sizeof(sub);
	sub.flags = UPROBECTL_SUB_IDS;
	sub.ids = (uintptr_t)&add.id;
	sub.count = 1;
	if (ioctl(fd, UPROBECTL_IOC_SUBSCRIBE, &sub)) {
		perror("probe-events: subscribe");
		return 1;
	}
	printf("probe %" PRIu64 " added; waiting for %ld hits\n", (uint64_t)add.id, want);
	fflush(stdout);

	while (seen < want) {
		ssize_t n = read(fd, buf, sizeof(buf)), off = 0;

		if (n < 0) {
			perror("probe-events: read");
			return 1;
		}
		while (off < n) {
			const struct uprobectl_event_header *h = (const void *)(buf + off);
			const struct uprobectl_event *e = (const void *)h;
			const struct uprobectl_event_args *a = (const void *)(e + 1);

			if (h->type == UPROBECTL_EVENT_HIT && seen < want &&
			    h->size >= sizeof(*e) + sizeof(*a) + 2 * sizeof(a->value[0])) {
				printf("hit pid %u tid %u arg1 %d arg2 %" PRIu64 "%s\n", e->pid, e->tid,
				       (int)a->value[0], (uint64_t)a->value[1],
				       a->faults ? " (fault)" : "");
				seen++;
			} else if (h->type == UPROBECTL_EVENT_LOST) {
				printf("lost %" PRIu64 "\n",
				       (uint64_t)((const struct uprobectl_event_lost *)h)->lost);
			}
			off += h->size;
		}
	}

	memset(&del, 0, sizeof(del));
	del.size = sizeof(del);
	del.ids = (uintptr_t)&add.id;
	del.count = 1;
	if (ioctl(fd, UPROBECTL_IOC_DEL, &del)) {
		perror("probe-events: del");
		return 1;
	}
	printf("probe %" PRIu64 " removed\n", (uint64_t)add.id);
	close(fd);
	return 0;
}
