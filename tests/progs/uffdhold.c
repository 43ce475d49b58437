// SPDX-License-Identifier: GPL-2.0
/*
 * uffdhold list|del: a control call whose user buffer is a userfaultfd
 * page nobody fills, so the call blocks in the kernel's user copy. Prints
 * "blocked" once the kernel is waiting on that page, then waits for
 * SIGUSR1 (or standard input closing), fills the page, and prints the
 * call's outcome: "list RET filled N" (RET 0 or -errno) or "del RET".
 * Meanwhile other processes must be able to use the module: no global
 * lock may be held across a user copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/userfaultfd.h>
#include <linux/uprobectl.h>

static int dev;
static char *region;
static long page;
static int del_mode;
static long result;
static struct uprobectl_list lreq;
static volatile int done;

static void *caller(void *arg)
{
	(void)arg;
	if (del_mode) {
		struct uprobectl_del d = { .size = sizeof(d) };

		d.ids = (uintptr_t)region;
		d.count = 4;
		result = ioctl(dev, UPROBECTL_IOC_DEL, &d) ? -errno : 0;
	} else {
		lreq.size = sizeof(lreq);
		lreq.entry_size = sizeof(struct uprobectl_probe_info);
		lreq.entries = (uintptr_t)region;
		lreq.count = 2;
		result = ioctl(dev, UPROBECTL_IOC_LIST, &lreq) ? -errno : 0;
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffdio_zeropage zp = { 0 };
	struct uffd_msg msg;
	struct pollfd pfd;
	size_t len;
	pthread_t t;
	sigset_t set;
	int uffd, sig;

	if (argc != 2 || (strcmp(argv[1], "list") && strcmp(argv[1], "del"))) {
		fprintf(stderr, "usage: uffdhold list|del\n");
		return 2;
	}
	del_mode = !strcmp(argv[1], "del");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	page = sysconf(_SC_PAGESIZE);
	dev = open("/dev/uprobectl", O_RDWR);
	if (dev < 0)
		die("open /dev/uprobectl");
	/* Two entries of LIST span more than one page: make room for both. */
	len = (2 * sizeof(struct uprobectl_probe_info) / page + 2) * page;
	region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		die("mmap");
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);	/* else poll says POLLERR */
	if (uffd < 0)
		die("userfaultfd");
	if (ioctl(uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	reg.range.start = (uintptr_t)region;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	if (pthread_create(&t, NULL, caller, NULL))
		die("pthread_create");
	/* The kernel waits on the page: the call is inside its user copy. */
	pfd.fd = uffd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, -1) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		die("waiting for the page fault");
	printf("blocked\n");
	fflush(stdout);
	sigwait(&set, &sig);
	/* Fill every page the call reaches, until it has returned. */
	for (;;) {
		zp.range.start = msg.arg.pagefault.address & ~(uint64_t)(page - 1);
		zp.range.len = page;
		if (ioctl(uffd, UFFDIO_ZEROPAGE, &zp) && errno != EEXIST)
			die("UFFDIO_ZEROPAGE");
		do {
			if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
				goto out;
		} while (poll(&pfd, 1, 100) != 1);
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			die("reading the next page fault");
	}
out:
	pthread_join(t, NULL);
	if (del_mode)
		printf("del %ld\n", result);
	else
		printf("list %ld filled %u\n", result, lreq.filled);
	return 0;
}
