// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* Talking to /dev/uprobectl: opening it with clear errors, and the ioctls. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uprobectl.h"

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("uprobectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int dev_open(int quiet)
{
	int fd = open(UPROBECTL_DEVICE, O_RDWR | O_CLOEXEC);
	int e = errno;

	if (fd >= 0 || quiet)
		return fd;
	switch (e) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		err_msg("%s missing: the module is not loaded: run 'modprobe uprobectl'",
			UPROBECTL_DEVICE);
		break;
	case EACCES:
	case EPERM:
		err_msg("%s: permission denied: run as root (CAP_SYS_ADMIN is needed)",
			UPROBECTL_DEVICE);
		break;
	default:
		err_msg("cannot open %s: %s", UPROBECTL_DEVICE, strerror(e));
	}
	errno = e;
	return -1;
}

int dev_version(int fd, struct uprobectl_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return ioctl(fd, UPROBECTL_IOC_VERSION, v);
}
