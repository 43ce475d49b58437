// SPDX-License-Identifier: GPL-2.0
/*
 * adderr PATH OFFSET [PID [SEMAPHORE [KIND [GROUP [retval]]]]]: try
 * UPROBECTL_IOC_ADD and print the errno's name and the module's reason
 * ("OK id" on success). "retval" adds a $retval fetch argument. With
 * ADDERR_PERSISTENT=1 in the environment the probe outlives the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/uprobectl.h>

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ERANGE: return "ERANGE";
	case EILSEQ: return "EILSEQ";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ESRCH: return "ESRCH";
	case EPERM: return "EPERM";
	case EBADF: return "EBADF";
	case EFAULT: return "EFAULT";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	struct uprobectl_add req = { .size = sizeof(req) };
	struct uprobectl_fetch rv = { .base = UPROBECTL_FETCH_RETVAL,
				      .type = UPROBECTL_TYPE_S(8) };
	int fd;

	if (argc < 3)
		return 2;
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd < 0)
		return 2;
	req.path = (unsigned long)argv[1];
	req.offset = strtoull(argv[2], NULL, 0);
	req.pid = argc > 3 ? atoi(argv[3]) : 0;
	if (getenv("ADDERR_PERSISTENT"))
		req.flags |= UPROBECTL_ADD_PERSISTENT;
	req.semaphore = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
	req.kind = argc > 5 ? (unsigned int)strtoul(argv[5], NULL, 0) : 0;
	req.group = argc > 6 ? strtoull(argv[6], NULL, 0) : 0;
	if (argc > 7 && !strcmp(argv[7], "retval")) {
		req.args = (unsigned long)&rv;
		req.nargs = 1;
		req.arg_size = sizeof(rv);
	}
	if (!ioctl(fd, UPROBECTL_IOC_ADD, &req)) {
		printf("OK %llu\n", (unsigned long long)req.id);
		return 0;
	}
	printf("%s: %s\n", errname(errno), req.error);
	return 0;
}
