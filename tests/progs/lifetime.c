// SPDX-License-Identifier: GPL-2.0
/*
 * The lifetime tests' program: probed code across fork, exec, vfork,
 * exit, madvise and mprotect. Every mode prints what it computed, so a
 * corrupted run shows; the tests compare hit counts with the calls made.
 *
 *   lifetime offset SYMBOL     print "PATH 0xOFFSET" of SYMBOL's code
 *   lifetime tree N DIR        a fork tree three levels deep (7 processes);
 *                              after the forks each appends "INDEX PID" to
 *                              DIR/pids, waits for DIR/go, then calls
 *                              life_func (INDEX+1)*N times; prints "tree ok
 *                              7" when every process exited right
 *   lifetime exec N            call life_func N times, then exec itself to
 *                              call it N more times ("exec sum S")
 *   lifetime run N             call life_func N times ("sum S")
 *   lifetime vfork N           a vfork child calls life_func N times and
 *                              exits; a second vfork child execs the
 *                              program to call it N times; then the parent
 *                              calls it N times
 *   lifetime storm MS          4 threads call life_step without end; the
 *                              process exits after MS milliseconds
 *   lifetime forkstep N        one thread calls life_step in a loop while
 *                              another forks N children that call it 100
 *                              times each; prints "calls TOTAL"
 *   lifetime dontneed N        call life_func N times, MADV_DONTNEED its
 *                              page, call N more times
 *   lifetime mprotect N        make life_func's page execute-only (a
 *                              mapping of its own), call N times, make it
 *                              r-x again (merged back), call N more times
 *   lifetime dontfork N DIR    map life_func's page again, MADV_DONTFORK it,
 *                              print "ready" to DIR/state, wait for DIR/go,
 *                              call there N times, fork: the child maps the
 *                              page at the same address and calls N times
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "offset.h"

__attribute__((noinline)) uint64_t life_func(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 31 + 7;
}

/* Its first instruction is not emulated: every hit runs from a slot. */
__asm__(".text\n.globl life_step\n.type life_step,@function\nlife_step:\n"
	" imul $31,%rdi,%rax\n add $7,%rax\n ret\n"
	".size life_step,.-life_step\n");
uint64_t life_step(uint64_t x);

static uint64_t run(uint64_t (*f)(uint64_t), long n)
{
	uint64_t sum = 0;
	long i;

	for (i = 0; i < n; i++)
		sum += f((uint64_t)i);
	return sum;
}

/* What run(life_func or life_step, m) returns. */
static uint64_t expect(uint64_t m)
{
	return m ? 31 * m * (m - 1) / 2 + 7 * m : 0;
}

static void wait_file(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	while (stat(path, &st))
		usleep(5000);
}

static void append(const char *dir, const char *name, const char *line)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		exit(3);
	close(fd);
}

/* Wait for every child; 0 if each exited with status 0. */
static int reap(int n)
{
	int status, bad = 0;

	while (n-- > 0) {
		if (wait(&status) < 0)
			return -1;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "lifetime: a child ended with status 0x%x\n", status);
			bad = 1;
		}
	}
	return bad;
}

/* Node @idx of the tree: children 2*idx+1 and 2*idx+2, three levels. */
static int tree_node(int idx, long n, const char *dir)
{
	int kids = 0, c;
	char line[64];

	for (c = 2 * idx + 1; c <= 2 * idx + 2 && c < 7; c++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(tree_node(c, n, dir));
		kids++;
	}
	snprintf(line, sizeof(line), "%d %d\n", idx, (int)getpid());
	append(dir, "pids", line);
	wait_file(dir, "go");
	if (run(life_func, (idx + 1) * n) != expect((idx + 1) * n))
		return 1;
	return reap(kids) ? 1 : 0;
}

static volatile int stop;

static void *step_loop(void *arg)
{
	long *calls = arg;

	while (!stop) {
		life_step(*calls);
		(*calls)++;
	}
	return NULL;
}

/* The page of life_func: its file offset and its address. */
static int func_page(unsigned long *foff, uintptr_t *page)
{
	char line[512];
	unsigned long a, b, off;
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %*s %lx", &a, &b, &off) == 3 &&
		    (uintptr_t)life_func >= a && (uintptr_t)life_func < b) {
			*page = (uintptr_t)life_func & ~4095UL;
			*foff = off + (*page - a);
			found = 1;
		}
	if (f)
		fclose(f);
	return found ? 0 : -1;
}

static int do_mode(int argc, char **argv)
{
	const char *mode = argv[1];
	long n = atol(argv[2]);

	if (!strcmp(mode, "tree") && argc == 4) {
		if (tree_node(0, n, argv[3]))
			return 1;
		printf("tree ok 7\n");
	} else if (!strcmp(mode, "exec")) {
		uint64_t s = run(life_func, n);
		char arg[64];

		snprintf(arg, sizeof(arg), "%" PRIu64, s);
		execl("/proc/self/exe", "lifetime", "exec2", argv[2], arg, (char *)NULL);
		perror("exec");
		return 1;
	} else if (!strcmp(mode, "exec2") && argc == 4) {
		printf("exec sum %" PRIu64 "\n", (uint64_t)strtoull(argv[3], NULL, 10) + run(life_func, n));
	} else if (!strcmp(mode, "run")) {
		printf("sum %" PRIu64 "\n", run(life_func, n));
	} else if (!strcmp(mode, "vfork")) {
		uint64_t s;
		int status;
		pid_t pid;

		pid = vfork();
		if (pid == 0) {
			run(life_func, n);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
			return 1;
		pid = vfork();
		if (pid == 0) {
			execl("/proc/self/exe", "lifetime", "run", argv[2], (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
			return 1;
		s = run(life_func, n);
		printf("vfork sum %" PRIu64 "\n", s);
	} else if (!strcmp(mode, "storm")) {
		pthread_t t[4];
		long calls[4] = { 0 };
		int i;

		for (i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, step_loop, &calls[i]);
		usleep(n * 1000);
		_exit(0);
	} else if (!strcmp(mode, "forkstep")) {
		uint64_t want = expect(100);
		long calls = 0, i, kids_ok = 0;
		pthread_t t;

		pthread_create(&t, NULL, step_loop, &calls);
		for (i = 0; i < n; i++) {
			int status;
			pid_t pid = fork();

			if (pid == 0)
				_exit(run(life_step, 100) == want ? 0 : 1);
			if (pid > 0 && waitpid(pid, &status, 0) == pid &&
			    WIFEXITED(status) && !WEXITSTATUS(status))
				kids_ok++;
		}
		stop = 1;
		pthread_join(t, NULL);
		printf("children ok %ld of %ld\n", kids_ok, n);
		printf("calls %ld\n", calls + 100 * n);
	} else if (!strcmp(mode, "dontneed")) {
		unsigned long foff;
		uintptr_t page;
		uint64_t s;

		if (func_page(&foff, &page))
			return 1;
		s = run(life_func, n);
		if (madvise((void *)page, 4096, MADV_DONTNEED)) {
			perror("madvise");
			return 1;
		}
		printf("sum %" PRIu64 "\n", s + run(life_func, n));
	} else if (!strcmp(mode, "mprotect")) {
		unsigned long foff;
		uintptr_t page;
		uint64_t s;

		if (func_page(&foff, &page))
			return 1;
		/* Execute-only: a mapping of its own (split), still runnable. */
		if (mprotect((void *)page, 4096, PROT_EXEC)) {
			perror("mprotect");
			return 1;
		}
		s = run(life_func, n);
		if (mprotect((void *)page, 4096, PROT_READ | PROT_EXEC)) {
			perror("mprotect");
			return 1;
		}
		printf("sum %" PRIu64 "\n", s + run(life_func, n));
	} else if (!strcmp(mode, "dontfork") && argc == 4) {
		uint64_t (*alias)(uint64_t);
		unsigned long foff;
		uintptr_t page;
		int fd = open("/proc/self/exe", O_RDONLY), status;
		void *map;
		pid_t pid;
		uint64_t s;

		if (fd < 0 || func_page(&foff, &page))
			return 1;
		map = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, foff);
		if (map == MAP_FAILED || madvise(map, 4096, MADV_DONTFORK))
			return 1;
		alias = (uint64_t (*)(uint64_t))((uintptr_t)map + ((uintptr_t)life_func & 4095));
		append(argv[3], "state", "ready\n");
		wait_file(argv[3], "go");
		s = run(alias, n);
		pid = fork();
		if (pid == 0) {
			if (mmap(map, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
				 fd, foff) != map)
				_exit(1);
			_exit(run(alias, n) == s ? 0 : 2);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
			return 1;
		printf("sum %" PRIu64 "\n", s);
	} else {
		fprintf(stderr, "lifetime: unknown mode or arguments: %s\n", mode);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "offset"))
		return print_offset("lifetime", argv[2]);
	return do_mode(argc, argv);
}
