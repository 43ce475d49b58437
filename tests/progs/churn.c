// SPDX-License-Identifier: GPL-2.0
/*
 * churn PATH ROUNDS OFFSET...: ROUNDS times, add a probe at each OFFSET of
 * PATH (owned by this process's fd), then delete them one ioctl each.
 * Prints "rounds N" with the rounds done; stops early, with the reason on
 * stderr and status 1, at the first failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/uprobectl.h>

int main(int argc, char **argv)
{
	unsigned long long ids[16];
	long rounds, r;
	int fd, i, n = argc - 3;

	if (argc < 4 || n > 16)
		return 2;
	rounds = atol(argv[2]);
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd < 0) {
		perror("churn: " UPROBECTL_DEVICE);
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			struct uprobectl_add add = { .size = sizeof(add) };

			add.path = (unsigned long)argv[1];
			add.offset = strtoull(argv[3 + i], NULL, 0);
			if (ioctl(fd, UPROBECTL_IOC_ADD, &add)) {
				fprintf(stderr, "churn: add %s: %s (%s)\n", argv[3 + i],
					strerror(errno), add.error);
				goto out;
			}
			ids[i] = add.id;
		}
		for (i = 0; i < n; i++) {
			struct uprobectl_del del = { .size = sizeof(del) };

			del.ids = (unsigned long)&ids[i];
			del.count = 1;
			if (ioctl(fd, UPROBECTL_IOC_DEL, &del) || del.deleted != 1) {
				fprintf(stderr, "churn: del %llu: %s\n", ids[i], strerror(errno));
				goto out;
			}
		}
	}
out:
	printf("rounds %ld\n", r);
	return r == rounds ? 0 : 1;
}
