// SPDX-License-Identifier: GPL-2.0
/*
 * Open /dev/uprobectl with fewer privileges and print the errno name.
 * Usage: open_as nobody   (uid and gid 65534)
 *        open_as nocap    (uid 0 without CAP_SYS_ADMIN)
 *        open_as exec-nobody CMD ARGS  (run CMD as uid and gid 65534)
 *        open_as addnocap PATH OFFSET  (open as root, then add without
 *                         CAP_SYS_ADMIN: prints the errno name of the add)
 *        open_as callsnocap  (open and subscribe as root, then call every
 *                         other command and read without CAP_SYS_ADMIN, as
 *                         a process an fd was passed to: "NAME ERRNO" each)
 */
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/uprobectl.h>

static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	d[CAP_SYS_ADMIN / 32].permitted &= ~(1u << (CAP_SYS_ADMIN % 32));
	return syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 4 && !strcmp(argv[1], "addnocap")) {
		struct uprobectl_add req = { .size = sizeof(req) };

		fd = open(UPROBECTL_DEVICE, O_RDWR);
		if (fd < 0 || drop_sys_admin())
			return 2;
		req.path = (unsigned long)argv[2];
		req.offset = strtoull(argv[3], NULL, 0);
		if (!ioctl(fd, UPROBECTL_IOC_ADD, &req)) {
			printf("added\n");
			return 0;
		}
		printf("%s %s\n", errno == EPERM ? "EPERM" : strerror(errno), req.error);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "callsnocap")) {
		struct uprobectl_subscribe sub = { .size = sizeof(sub) };
		struct uprobectl_list list = { .size = sizeof(list) };
		struct uprobectl_stats st = { .size = sizeof(st) };
		struct uprobectl_event_stats es = { .size = sizeof(es) };
		struct uprobectl_del del = { .size = sizeof(del), .flags = UPROBECTL_DEL_ALL };
		struct uprobectl_version v = { .size = sizeof(v) };
		char buf[4096];
		int fd2;

		fd = open(UPROBECTL_DEVICE, O_RDWR | O_NONBLOCK);
		fd2 = open(UPROBECTL_DEVICE, O_RDWR);
		if (fd < 0 || fd2 < 0 || ioctl(fd, UPROBECTL_IOC_SUBSCRIBE, &sub) ||
		    drop_sys_admin())
			return 2;
#define TRY(name, call) printf("%s %s\n", name, (call) >= 0 ? "ok" : \
			       errno == EPERM ? "EPERM" : strerror(errno))
		TRY("version", ioctl(fd, UPROBECTL_IOC_VERSION, &v));
		TRY("list", ioctl(fd, UPROBECTL_IOC_LIST, &list));
		TRY("stats", ioctl(fd, UPROBECTL_IOC_STATS, &st));
		TRY("event_stats", ioctl(fd, UPROBECTL_IOC_EVENT_STATS, &es));
		TRY("subscribe", ioctl(fd2, UPROBECTL_IOC_SUBSCRIBE, &sub));
		TRY("del", ioctl(fd, UPROBECTL_IOC_DEL, &del));
		TRY("read", read(fd, buf, sizeof(buf)));
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "exec-nobody")) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
			perror("setuid");
			return 2;
		}
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "nobody")) {
		if (setgid(65534) || setuid(65534)) {
			perror("setuid");
			return 2;
		}
	} else if (!strcmp(argv[1], "nocap")) {
		if (drop_sys_admin()) {
			perror("capset");
			return 2;
		}
	} else {
		return 2;
	}
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd >= 0) {
		printf("opened\n");
		return 0;
	}
	printf("%s\n", errno == EACCES ? "EACCES" : errno == EPERM ? "EPERM" : strerror(errno));
	return 0;
}
