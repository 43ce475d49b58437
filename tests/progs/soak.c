// SPDX-License-Identifier: GPL-2.0
/*
 * The soak test's programs (tests/suite/soak.sh).
 *
 *   soak work N T      the exactly counted workload: T threads and a child
 *                      forked while they run each make N calls of each of
 *                      libc's memfrob, a64l and swab (functions nothing
 *                      else in the test VM calls), each result checked;
 *                      prints "work lanes L calls C lensum S a64lsum A
 *                      bad B" (L = T + 1 lanes of C = N calls; S: the sum
 *                      of the lengths given to memfrob, A: of a64l's
 *                      return values) and exits 1 if anything was wrong
 *   soak forks N T [F] T threads make N calls of a64l each (checked) while
 *                      the main thread forks children (that exit at once)
 *                      until they are done (at most F forks; F = 0: none);
 *                      prints "forks F calls C bad B"; with SOAK_DONTFORK
 *                      set, the threads' stacks are MADV_DONTFORK (fork
 *                      does not write-protect them). A return probe's
 *                      count against fork's write-protection of the
 *                      stacks of threads entering the function.
 *   soak storm         until SIGTERM, round after round: threads that
 *                      allocate and exit, fork (from the main thread and
 *                      from a thread), vfork and exec, exec from a
 *                      process whose other threads are busy, and libc's
 *                      file mapped executable, moved, dropped and unmapped;
 *                      never calls the work's functions. Prints "storm
 *                      libc PATH" (the libc it maps), then at the end
 *                      "storm rounds R children C bad B" (B: children
 *                      that did not exit 0, failed calls) and exits 1 if
 *                      B is not 0
 *   soak child plain N | execthr
 *                      what the storm's children exec: N checked
 *                      allocations; or threads allocating while the main
 *                      thread execs "child plain"
 *   soak read [-r BYTES] [-i ID]... [-m ID]
 *                      subscribe to hit events (of the probes ID..., or
 *                      all), print "ready" on stderr, read until SIGTERM,
 *                      then drain what is queued and print
 *                        "events E lost L bad B gaps G"
 *                        "id ID n N sum S"         for each ID given
 *                      (S: the sum of return values for return events,
 *                      of the first fetch argument for hits with
 *                      arguments). -m ID: that probe's events carry
 *                      memfrob's (len, string) arguments: the string must
 *                      be "wT.I" of that length, and I must follow on
 *                      from the same thread's previous I (gaps, counted
 *                      when no event was lost). Exits 1 if the module's
 *                      totals for the file disagree.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/uprobectl.h>

#include "evstats.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* ---- work ---------------------------------------------------------- */

struct lane {
	int t;
	long n;
	uint64_t lensum, a64lsum, bad;
};

/* l64a's encoding (which is not thread-safe), done here. */
static void enc64(uint32_t v, char *s)
{
	static const char digits[] =
		"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	int k = 0;

	while (v) {
		s[k++] = digits[v & 63];
		v >>= 6;
	}
	s[k] = 0;
}

static void run_lane(struct lane *l)
{
	char buf[64], orig[64], s[8];
	unsigned char from[8], to[8];
	long i;
	int len, k;

	for (i = 0; i < l->n; i++) {
		uint32_t v = (uint32_t)((uint64_t)i * 2654435761u + (uint64_t)l->t * 40503u) | 1;
		long r;

		len = snprintf(buf, sizeof(buf), "w%d.%ld", l->t, i);
		memcpy(orig, buf, (size_t)len + 1);
		if (memfrob(buf, (size_t)len) != buf)
			l->bad++;
		for (k = 0; k < len; k++)
			if (buf[k] != (orig[k] ^ 42))
				l->bad++;
		l->lensum += (uint64_t)len;

		enc64(v, s);
		r = a64l(s);
		if (r != (long)v)
			l->bad++;
		l->a64lsum += (uint64_t)r;

		for (k = 0; k < 8; k++)
			from[k] = (unsigned char)(i >> (k * 4)) + (unsigned char)k;
		swab(from, to, 8);
		for (k = 0; k < 8; k++)
			if (to[k] != from[k ^ 1])
				l->bad++;
	}
}

static void *lane_thread(void *arg)
{
	run_lane(arg);
	return NULL;
}

static int work(long n, int nt)
{
	struct lane lanes[65], child = { 0 };
	uint64_t lensum = 0, a64lsum = 0, bad = 0;
	pthread_t th[64];
	int p[2], st, i;
	pid_t pid;

	if (nt < 1 || nt > 64 || n < 1 || pipe(p))
		return 2;
	for (i = 0; i < nt; i++) {
		lanes[i] = (struct lane){ .t = i, .n = n };
		if (pthread_create(&th[i], NULL, lane_thread, &lanes[i])) {
			fprintf(stderr, "soak work: pthread_create failed\n");
			return 1;
		}
	}
	/* Forked while the threads are in their calls; it runs one lane. */
	pid = fork();
	if (pid < 0) {
		perror("soak work: fork");
		return 1;
	}
	if (pid == 0) {
		child = (struct lane){ .t = nt, .n = n };
		run_lane(&child);
		_exit(write(p[1], &child, sizeof(child)) == sizeof(child) ? 0 : 1);
	}
	close(p[1]);
	for (i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		lensum += lanes[i].lensum;
		a64lsum += lanes[i].a64lsum;
		bad += lanes[i].bad;
	}
	if (read(p[0], &child, sizeof(child)) != sizeof(child) || waitpid(pid, &st, 0) != pid ||
	    !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "soak work: the child failed\n");
		bad++;
	}
	lensum += child.lensum;
	a64lsum += child.a64lsum;
	bad += child.bad;
	printf("work lanes %d calls %ld lensum %" PRIu64 " a64lsum %" PRIu64 " bad %" PRIu64 "\n",
	       nt + 1, n, lensum, a64lsum, bad);
	return bad ? 1 : 0;
}

struct caller {
	long n, bad;
	volatile int done;
};

static void *a64l_thread(void *arg)
{
	struct caller *c = arg;
	char s[8];
	long i;

	for (i = 0; i < c->n; i++) {
		uint32_t v = (uint32_t)i | 1;

		enc64(v, s);
		c->bad += a64l(s) != (long)v;
	}
	c->done = 1;
	return NULL;
}

/* Calls in threads while their process forks: each fork write-protects their stacks. */
static int forks(long n, int nt, long max)
{
	struct caller c[64];
	pthread_t th[64];
	long nforks = 0, bad = 0;
	int i, left = nt, st;

	if (nt < 1 || nt > 64)
		return 2;
	for (i = 0; i < nt; i++) {
		pthread_attr_t attr;
		size_t sz = 1 << 20;
		void *stk;

		c[i] = (struct caller){ .n = n };
		pthread_attr_init(&attr);
		/* SOAK_DONTFORK: thread stacks that fork does not copy (nor write-protect). */
		if (getenv("SOAK_DONTFORK")) {
			stk = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
				   -1, 0);
			if (stk == MAP_FAILED || madvise(stk, sz, MADV_DONTFORK) ||
			    pthread_attr_setstack(&attr, stk, sz))
				return 1;
		}
		if (pthread_create(&th[i], &attr, a64l_thread, &c[i]))
			return 1;
		pthread_attr_destroy(&attr);
	}
	while (left && (max < 0 || nforks < max)) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			bad++;
		nforks++;
		for (i = left = 0; i < nt; i++)
			left += !c[i].done;
	}
	for (i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		bad += c[i].bad;
	}
	printf("forks %ld calls %ld bad %ld\n", nforks, n * nt, bad);
	return bad ? 1 : 0;
}

/* ---- storm --------------------------------------------------------- */

static char self[4096];

/* 1 if child PID (WHAT) exited 0; else say how it ended. */
static int waitok(pid_t pid, const char *what)
{
	pid_t r;
	int st;

	if (pid < 0) {
		fprintf(stderr, "soak storm: %s: %s\n", what, strerror(errno));
		return 0;
	}
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r != pid) {
		fprintf(stderr, "soak storm: %s: waitpid: %s\n", what, strerror(errno));
		return 0;
	}
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		return 1;
	if (WIFSIGNALED(st))
		fprintf(stderr, "soak storm: %s: killed by signal %d\n", what, WTERMSIG(st));
	else
		fprintf(stderr, "soak storm: %s: exit status %d\n", what, WEXITSTATUS(st));
	return 0;
}

static long failed(const char *what)
{
	fprintf(stderr, "soak storm: %s failed\n", what);
	return 1;
}

/* N checked allocations (malloc, calloc, realloc, free); 0 if all right. */
static int allocs(long n)
{
	long i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		size_t sz = 16 + (size_t)(i % 7) * 40;
		unsigned char *a = malloc(sz), *b = calloc(1, sz);
		size_t k;

		if (!a || !b)
			return 1;
		memset(a, (int)(i & 0xff), sz);
		a = realloc(a, sz * 2);
		if (!a)
			return 1;
		for (k = 0; k < sz; k++)
			bad |= a[k] != (unsigned char)(i & 0xff) || b[k];
		free(a);
		free(b);
	}
	return bad;
}

static void *alloc_thread(void *arg)
{
	long bad = allocs(20);
	int fd;

	(void)arg;
	bad |= getenv("PATH") == NULL;
	/* open64 (a probe with a string argument), from a thread. */
	fd = open("/proc/self/stat", O_RDONLY);
	if (fd < 0)
		bad = 1;
	else
		close(fd);
	return (void *)bad;
}

static void *busy_thread(void *arg)
{
	(void)arg;
	for (;;)
		allocs(10);
	return NULL;
}

static void *fork_thread(void *arg)
{
	pid_t pid = fork();

	(void)arg;
	if (pid == 0)
		_exit(allocs(5));
	return waitok(pid, "fork from a thread") ? NULL : (void *)1;
}

static int child_main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[2], "plain"))
		return allocs(atol(argv[3])) || getenv("PATH") == NULL;
	if (argc == 3 && !strcmp(argv[2], "execthr")) {
		pthread_t t;
		int i;

		for (i = 0; i < 2; i++)
			if (pthread_create(&t, NULL, busy_thread, NULL))
				return 1;
		allocs(20);
		execl("/proc/self/exe", "soak", "child", "plain", "10", (char *)NULL);
		return 1;
	}
	fprintf(stderr, "usage: soak child plain N | execthr\n");
	return 2;
}

/* libc's path, from our own mappings. */
static int find_libc(char *path, size_t size)
{
	char line[4096 + 256], p[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %*s %4095s", p) == 1 && strstr(p, "/libc.so")) {
			snprintf(path, size, "%s", p);
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found ? 0 : -1;
}

/* libc mapped executable (so its probes go in), moved, dropped, unmapped. */
static int map_round(int fd, size_t size, long round)
{
	void *hint = (void *)(((uintptr_t)1 << 44) + (uintptr_t)(round % 512) * (64 << 20));
	unsigned char *a, *b;
	volatile unsigned char c;
	size_t k;

	a = mmap(hint, size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (a == MAP_FAILED)
		return 1;
	for (k = 0; k < size; k += 64 << 10)
		c = a[k];
	b = mremap(a, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)hint + (32 << 20));
	if (b == MAP_FAILED) {
		munmap(a, size);
		return 1;
	}
	madvise(b, size / 2, MADV_DONTNEED);
	mprotect(b, size, PROT_READ);
	mprotect(b, size, PROT_READ | PROT_EXEC);
	c = b[size / 3];
	(void)c;
	return munmap(b, size) != 0;
}

/* The child execs or exits here: it never returns from this function. */
static __attribute__((noinline)) pid_t vfork_exec(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execl(self, "soak", "child", "plain", "5", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int storm(void)
{
	long rounds = 0, children = 0, bad = 0;
	char libc[4096];
	struct stat st;
	int fd;

	catch_stop();
	if (find_libc(libc, sizeof(libc)) || (fd = open(libc, O_RDONLY)) < 0 || fstat(fd, &st)) {
		fprintf(stderr, "soak storm: libc not found\n");
		return 1;
	}
	printf("storm libc %s\n", libc);
	while (!stop) {
		pthread_t th[3];
		void *r;
		pid_t pid;
		int i;

		/* Threads that allocate, open and exit. */
		for (i = 0; i < 3; i++)
			if (pthread_create(&th[i], NULL, alloc_thread, NULL))
				bad += failed("pthread_create"), th[i] = 0;
		for (i = 0; i < 3; i++)
			if (th[i] && (pthread_join(th[i], &r) || r))
				bad += failed("a thread's allocations");

		/* A fork whose child has threads, then execs or exits. */
		pid = fork();
		if (pid == 0) {
			pthread_t t;

			if (pthread_create(&t, NULL, alloc_thread, NULL) || pthread_join(t, &r) || r)
				_exit(1);
			if (rounds % 3 == 0)
				execl(self, "soak", "child", "plain", "20", (char *)NULL);
			else if (rounds % 3 == 1)
				execl(self, "soak", "child", "execthr", (char *)NULL);
			_exit(allocs(10));
		}
		children++;
		bad += !waitok(pid, rounds % 3 == 0 ? "fork, exec" :
				    rounds % 3 == 1 ? "fork, exec with threads" : "fork");

		/* vfork and exec. */
		children++;
		bad += !waitok(vfork_exec(), "vfork, exec");

		/* A fork from a thread. */
		if (pthread_create(&th[0], NULL, fork_thread, NULL) || pthread_join(th[0], &r) || r)
			bad++;
		children++;

		if (map_round(fd, (size_t)st.st_size, rounds))
			bad += failed("mapping libc");
		if (allocs(10))
			bad += failed("allocations");
		rounds++;
	}
	printf("storm rounds %ld children %ld bad %ld\n", rounds, children, bad);
	return bad ? 1 : 0;
}

/* ---- read ---------------------------------------------------------- */

#define MAX_IDS 64
#define MAX_TID (1 << 16)

static long long last_i[MAX_TID];

static int rd(int argc, char **argv)
{
	struct uprobectl_subscribe sub = { .size = sizeof(sub) };
	unsigned long long ids[MAX_IDS], n[MAX_IDS] = { 0 }, sum[MAX_IDS] = { 0 };
	unsigned long long events = 0, lost = 0, bad = 0, gaps = 0, mid = 0;
	static char buf[1 << 20] __attribute__((aligned(8)));
	int fd, opt, nids = 0, i, draining = 0;

	while ((opt = getopt(argc, argv, "r:i:m:")) != -1) {
		switch (opt) {
		case 'r':
			sub.ring_size = strtoull(optarg, NULL, 0);
			break;
		case 'i':
			if (nids < MAX_IDS)
				ids[nids++] = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			mid = strtoull(optarg, NULL, 0);
			break;
		default:
			return 2;
		}
	}
	if (nids) {
		sub.flags = UPROBECTL_SUB_IDS;
		sub.ids = (uintptr_t)ids;
		sub.count = (uint32_t)nids;
	}
	for (i = 0; i < MAX_TID; i++)
		last_i[i] = -1;
	catch_stop();
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd < 0 || ioctl(fd, UPROBECTL_IOC_SUBSCRIBE, &sub)) {
		perror("soak read: subscribe");
		return 1;
	}
	fprintf(stderr, "ready\n");
	for (;;) {
		ssize_t len, off = 0;

		if (stop && !draining) {
			/* Stopped: take what is queued, then no more. */
			draining = 1;
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		}
		if (!draining) {
			/* Not a blocking read: a SIGTERM just before it would be missed. */
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (poll(&pfd, 1, 200) <= 0)
				continue;
		}
		len = read(fd, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && draining)
				break;
			perror("soak read: read");
			return 1;
		}
		while (off < len) {
			const struct uprobectl_event_header *h = (const void *)(buf + off);
			const struct uprobectl_event *e = (const void *)h;
			const struct uprobectl_event_ret *rt = NULL;
			const struct uprobectl_event_args *ea = NULL;
			size_t fixed = sizeof(*e);

			if (h->size < sizeof(*h) || off + h->size > len || h->size % 8) {
				bad++;
				break;
			}
			off += h->size;
			if (h->type == UPROBECTL_EVENT_LOST) {
				lost += ((const struct uprobectl_event_lost *)h)->lost;
				continue;
			}
			if (h->type != UPROBECTL_EVENT_HIT && h->type != UPROBECTL_EVENT_RETURN) {
				bad++;
				continue;
			}
			if (h->type == UPROBECTL_EVENT_RETURN) {
				rt = (const void *)(e + 1);
				fixed += sizeof(*rt);
			}
			if (h->size < fixed) {
				bad++;
				continue;
			}
			events++;
			if (!e->pid || !e->tid || !e->id || !e->ip || !e->comm[0])
				bad++;
			if (h->size >= fixed + sizeof(*ea)) {
				ea = (const void *)((const char *)h + fixed);
				if (h->size < fixed + sizeof(*ea) + ea->nargs * 8ULL) {
					bad++;
					continue;
				}
			}
			for (i = 0; i < nids && ids[i] != e->id; i++)
				;
			if (i < nids) {
				n[i]++;
				if (rt && (rt->flags & UPROBECTL_RET_RETVAL))
					sum[i] += rt->retval;
				else if (!rt && ea && ea->nargs)
					sum[i] += ea->value[0];
			}
			if (mid && e->id == mid) {
				char *s, *dot, *end;
				unsigned int soff, slen;
				long long idx;

				if (!ea || ea->nargs != 2 || ea->faults) {
					bad++;
					continue;
				}
				soff = ea->value[1] & 0xffff;
				slen = (ea->value[1] >> 16) & 0xffff;
				if (soff + slen >= h->size || slen != ea->value[0]) {
					bad++;
					continue;
				}
				s = (char *)h + soff;
				if (s[0] != 'w' || s[slen] || !(dot = strchr(s, '.'))) {
					bad++;
					continue;
				}
				idx = strtoll(dot + 1, &end, 10);
				if (*end || end == dot + 1) {
					bad++;
					continue;
				}
				if (e->tid < MAX_TID) {
					if (idx != 0 && idx != last_i[e->tid] + 1)
						gaps++;
					last_i[e->tid] = idx;
				}
			}
		}
	}
	printf("events %llu lost %llu bad %llu gaps %llu\n", events, lost, bad, gaps);
	for (i = 0; i < nids; i++)
		printf("id %llu n %llu sum %llu\n", ids[i], n[i], sum[i]);
	return evstats_check(fd, "soak read", events, lost);
}

int main(int argc, char **argv)
{
	ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (k > 0)
		self[k] = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "work"))
		return work(atol(argv[2]), atoi(argv[3]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "forks"))
		return forks(atol(argv[2]), atoi(argv[3]), argc == 5 ? atol(argv[4]) : -1);
	if (argc == 2 && !strcmp(argv[1], "storm"))
		return storm();
	if (argc >= 3 && !strcmp(argv[1], "child"))
		return child_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "read"))
		return rd(argc - 1, argv + 1);
	fprintf(stderr, "usage: soak work N THREADS | forks N THREADS | storm | child ... | read [-r BYTES] [-i ID]... [-m ID]\n");
	return 2;
}
