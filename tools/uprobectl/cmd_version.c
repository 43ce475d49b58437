// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl version: the CLI's and the loaded module's versions. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "uprobectl.h"

int cmd_version(int argc, char **argv)
{
	struct uprobectl_version v;
	int fd;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: uprobectl version\n\n"
		       "Print the versions of the CLI and of the loaded module.\n");
		return 0;
	}
	if (argc > 1) {
		err_msg("version takes no arguments; see 'uprobectl version --help'");
		return EXIT_USAGE;
	}
	printf("uprobectl CLI %s (ABI %d)\n", UPROBECTL_VERSION, UPROBECTL_ABI_VERSION);
	fflush(stdout);
	fd = dev_open(0);
	if (fd < 0)
		return EXIT_ERR;
	if (dev_version(fd, &v)) {
		err_msg("%s does not answer the version call (%s): is another module using that name? run 'rmmod uprobectl; modprobe uprobectl'",
			UPROBECTL_DEVICE, strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	close(fd);
	printf("uprobectl module %.*s (ABI %u, features 0x%llx)\n",
	       (int)sizeof(v.module_version), v.module_version, v.abi_version,
	       (unsigned long long)v.features);
	return 0;
}
