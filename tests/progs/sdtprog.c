// SPDX-License-Identifier: GPL-2.0
/*
 * SDT (USDT) probes for the tests, built with <sys/sdt.h>: sdtprog:tick in
 * the program and sdtlib:hit in libsdt.so, both with a semaphore.
 *
 *   sdtprog loop N     fire tick(i, -i), global(1001 + i) (its argument
 *                      a global variable, read rip-relative), twice(i) and,
 *                      for odd i, twice(-i) from a second place, and hit(i, 3i) for
 *                      i < N; print "sum S enabled T H": T and H are
 *                      how many times tick's and hit's semaphores were
 *                      seen raised
 *   sdtprog hold       print "sems TICKADDR HITADDR PID", then "ready"; on
 *                      SIGUSR1 fork a child that prints "child PID" and
 *                      waits too; exit on SIGTERM
 *   sdtprog late       print "ready"; then at each SIGUSR1, in turn: dlopen
 *                      libsdt2.so (beside the program) and print "late
 *                      SEMADDR", or dlclose it and print "closed"; exit on
 *                      SIGTERM
 *   sdtprog peek PID ADDR   print the 2-byte value at ADDR of process PID,
 *                      read from /proc/PID/mem
 */
#define _SDT_HAS_SEMAPHORES 1
/* Arguments in memory ("8@-24(%rbp)", "8@sdt_global_counter(%rip)"). */
#define STAP_SDT_ARG_CONSTRAINT m
#include <dlfcn.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>
#include <sys/wait.h>
#include <unistd.h>

__extension__ unsigned short sdtprog_tick_semaphore
	__attribute__((unused)) __attribute__((section(".probes")));
__extension__ unsigned short sdtprog_global_semaphore
	__attribute__((unused)) __attribute__((section(".probes")));
__extension__ unsigned short sdtprog_twice_semaphore
	__attribute__((unused)) __attribute__((section(".probes")));
/* Passed to sdtprog:global as itself: its spec reads it rip-relative. */
long sdt_global_counter = 1000;

/* Inlined at two call sites: sdtprog:twice is one point in two places. */
static inline __attribute__((always_inline)) void twice(long v)
{
	DTRACE_PROBE1(sdtprog, twice, v);
}

int sdt_lib_fire(int64_t i);
const volatile unsigned short *sdt_lib_sem(void);

static int hold(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("sems %p %p %d\nready\n", (void *)&sdtprog_tick_semaphore, (void *)sdt_lib_sem(),
	       (int)getpid());
	fflush(stdout);
	for (;;) {
		if (sigwait(&set, &sig))
			return 1;
		if (sig == SIGTERM)
			return 0;
		if (fork() == 0) {
			printf("child %d\n", (int)getpid());
			fflush(stdout);
		}
	}
}

/* A library mapped late, unmapped and mapped again: counted afresh each time. */
static int late(const char *self)
{
	const volatile unsigned short *(*sem)(void);
	char path[4096], *slash;
	void *h = NULL;
	sigset_t set;
	int sig;

	snprintf(path, sizeof(path), "%s", self);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (slash ? (size_t)(slash + 1 - path) : 0),
		 "libsdt2.so");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		if (sigwait(&set, &sig) || sig == SIGTERM)
			return 0;
		if (h) {
			dlclose(h);
			h = NULL;
			printf("closed\n");
		} else {
			h = dlopen(path, RTLD_NOW);
			sem = h ? (const volatile unsigned short *(*)(void))dlsym(h, "sdt_lib_sem") : NULL;
			if (!sem) {
				printf("dlopen %s: %s\n", path, dlerror());
				return 1;
			}
			printf("late %p\n", (void *)sem());
		}
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "loop")) {
		long n = atol(argv[2]), i, t = 0, h = 0;
		int64_t sum = 0;

		for (i = 0; i < n; i++) {
			int64_t neg = -(int64_t)i;

			DTRACE_PROBE2(sdtprog, tick, i, neg);
			sdt_global_counter++;
			DTRACE_PROBE1(sdtprog, global, sdt_global_counter);
			twice(i);
			if (i % 2)
				twice(-i);
			t += sdtprog_tick_semaphore != 0;
			h += sdt_lib_fire(i);
			sum += i;
		}
		printf("sum %" PRId64 " enabled %ld %ld\n", sum, t, h);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "hold"))
		return hold();
	if (argc == 2 && !strcmp(argv[1], "late"))
		return late(argv[0]);
	if (argc == 4 && !strcmp(argv[1], "peek")) {
		char path[64];
		unsigned short v;
		int fd;

		snprintf(path, sizeof(path), "/proc/%s/mem", argv[2]);
		fd = open(path, O_RDONLY);
		if (fd < 0 || pread(fd, &v, 2, (off_t)strtoull(argv[3], NULL, 0)) != 2) {
			perror(path);
			return 1;
		}
		printf("%u\n", v);
		return 0;
	}
	fprintf(stderr, "usage: sdtprog loop N | hold | late | peek PID ADDR\n");
	return 2;
}
