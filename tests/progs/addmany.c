// SPDX-License-Identifier: GPL-2.0
/*
 * addmany FILE INSNS: add a persistent probe at every "0xOFFSET NAME" line
 * of INSNS in FILE, one ioctl each; print "FILE:0xOFFSET ID" per probe
 * added, and the refusals on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/uprobectl.h>

int main(int argc, char **argv)
{
	unsigned long long off;
	char name[256];
	FILE *in;
	int fd;

	if (argc != 3)
		return 2;
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	in = fopen(argv[2], "r");
	if (fd < 0 || !in) {
		perror("addmany");
		return 1;
	}
	while (fscanf(in, "%llx %255s", &off, name) == 2) {
		struct uprobectl_add req = { .size = sizeof(req) };

		req.flags = UPROBECTL_ADD_PERSISTENT;
		req.path = (unsigned long)argv[1];
		req.offset = off;
		snprintf(req.name, sizeof(req.name), "%.63s", name);
		if (ioctl(fd, UPROBECTL_IOC_ADD, &req))
			fprintf(stderr, "refused %s:0x%llx (%s): %s\n", argv[1], off, name, req.error);
		else
			printf("%s:0x%llx %llu\n", argv[1], off, (unsigned long long)req.id);
	}
	return 0;
}
