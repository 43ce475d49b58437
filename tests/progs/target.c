// SPDX-License-Identifier: GPL-2.0
/*
 * The probe tests' target program. Its output is a checksum that depends
 * on every call, so a corrupted run shows.
 *
 *   target offset SYMBOL          print "PATH 0xOFFSET" of SYMBOL's code
 *   target loop N [THREADS]       call target_func N times in each thread
 *   target both N                 call target_func and target_func2 N times
 *   target lib N                  call lib_func (libtarget.so) N times
 *   target dlopen N               wait for SIGUSR1, dlopen libtarget.so, call N times
 *   target wait N [MODE]          print "ready", wait for SIGUSR1, then run MODE
 *                                 (loop, lib or fork) with N
 *   target fork N                 call N times, fork a child that calls N times
 *   target signals N              call N times while another thread sends
 *                                 SIGUSR2 to the caller as fast as it can
 *   target mremap N               print "ready", wait for SIGUSR1, move its own
 *                                 text with mremap, call target_func there N
 *                                 times, print "sum", wait for SIGUSR1, call N
 *                                 more times, print "sum2"
 *   target mremapprot N           as mremap, but the moved text is made writable
 *                                 after "sum" (print "writable"), made r-x again
 *                                 after the second SIGUSR1, then "sum2"; waits for
 *                                 a third SIGUSR1
 *   target mremapfork N           print "ready", wait for SIGUSR1, move its text
 *                                 as mremap does and print "moved"; then fork
 *                                 children one after the other, each calling
 *                                 target_func there N times (the parent never
 *                                 does), until SIGUSR1; print "forks 1 killed K
 *                                 bad B": K children killed by a signal, B with
 *                                 a wrong sum
 *   target maps N                 map the page of target_func N more times,
 *                                 print "ready", wait for SIGUSR1
 *   target xolswap N              print "ready", wait for SIGUSR1, call
 *                                 target_func once (a probe there makes a slot
 *                                 chunk), map shared memory where the chunk is,
 *                                 print "swapped" and "ready", wait for SIGUSR1,
 *                                 call target_func2 N times, print "sum2 ok|bad
 *                                 shared intact|written"
 *   target reuse N                map the page of target_func a second time,
 *                                 call it there N times, unmap it, map an
 *                                 anonymous page of int3s at the same address
 *                                 and run one: the program's own SIGTRAP
 *                                 handler must get it
 *   target forks N                fork N children one after the other, each
 *                                 calling target_func 100 times; print how
 *                                 many exited normally with the right sum
 *   target spin THREADS           print "ready", call target_func in each thread
 *                                 until SIGUSR1, then print "calls C bad B":
 *                                 C calls in all, B threads whose checksum was
 *                                 wrong
 *   target fault N                call fault_load(NULL) N times: each faults;
 *                                 the SIGSEGV handler checks si_addr and that
 *                                 the saved rip is fault_load, then jumps back
 *   target emufault N             N faults of instructions the module emulates,
 *                                 in turn: call *(%rdi) through an unmapped
 *                                 pointer, push onto a read-only stack, call
 *                                 through a non-canonical pointer; the handler
 *                                 checks rip, si_code, si_addr and the frame's
 *                                 trap number, error code and cr2 as the CPU
 *                                 sets them
 *   target emufault-blocked 1     the same call with SIGSEGV blocked, and
 *   target emufault-ignored 1     with SIGSEGV ignored: the process dies of it
 *   target int3imm N              run "int $3" in its two-byte form (cd 03) N
 *                                 times; a SIGTRAP handler counts them and
 *                                 checks the saved rip is right after it
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <ucontext.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offset.h"

uint64_t lib_func(uint64_t x);

__attribute__((noinline)) uint64_t target_func(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 31 + 7;
}

__attribute__((noinline)) uint64_t target_func2(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x ^ 0x5555;
}

/* A load that faults when given a bad pointer. */
__asm__(".text\n.globl fault_load\n.type fault_load,@function\nfault_load:\n"
	" mov (%rdi),%rax\n ret\n");
uint64_t fault_load(const uint64_t *p);

/* int $3, two bytes: it traps as int3 does, rip after it (see "int3imm"). */
__asm__(".text\n.globl int3imm\n.type int3imm,@function\nint3imm:\n"
	" .byte 0xcd, 0x03\n.globl int3imm_after\nint3imm_after:\n ret\n");
void int3imm(void);
void int3imm_after(void);
static volatile long int3imm_traps, int3imm_rip_ok;

static void on_int3imm(int sig, siginfo_t *si, void *uc_)
{
	greg_t *g = ((ucontext_t *)uc_)->uc_mcontext.gregs;

	(void)sig, (void)si;
	int3imm_traps++;
	int3imm_rip_ok += g[REG_RIP] == (greg_t)(uintptr_t)int3imm_after;
}

/* Emulated instructions that fault (see "emufault"). */
__asm__(".text\n.globl fault_call\n.type fault_call,@function\nfault_call:\n"
	" call *(%rdi)\n ret\n"
	".globl fault_push\n.type fault_push,@function\nfault_push:\n"
	" mov %rsp,%rax\n mov %rdi,%rsp\n"
	".globl fault_push_at\n.type fault_push_at,@function\nfault_push_at:\n"
	" push %rbx\n mov %rax,%rsp\n ret\n");
void fault_call(const void *p);
void fault_push(void *stack);
void fault_push_at(void);

/* Instructions the module must refuse, for the error tests. */
__asm__(".text\n.globl bad_ud2\n.type bad_ud2,@function\nbad_ud2:\n ud2\n ret\n"
	".globl bad_invalid\n.type bad_invalid,@function\nbad_invalid:\n .byte 0x06\n ret\n"
	".globl bad_jmpfs\n.type bad_jmpfs,@function\nbad_jmpfs:\n jmp *%fs:0x10\n");

static uint64_t run(uint64_t (*f)(uint64_t), long n)
{
	uint64_t sum = 0;
	long i;

	for (i = 0; i < n; i++)
		sum += f((uint64_t)i);
	return sum;
}

static long n_calls;
static sigjmp_buf trap_jmp;

static void on_trap(int sig)
{
	(void)sig;
	siglongjmp(trap_jmp, 1);
}
static sigjmp_buf fault_jmp;
static long rip_ok, addr_ok;

static void on_segv(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	(void)sig;
	if (uc->uc_mcontext.gregs[REG_RIP] == (greg_t)(uintptr_t)fault_load)
		rip_ok++;
	if (si->si_addr == (void *)8)
		addr_ok++;
	siglongjmp(fault_jmp, 1);
}
/* What the CPU reports for the fault "emufault" makes next. */
static struct {
	greg_t rip, trapno, err, cr2;
	void *addr;
	int code;
} emu_want;
static long emu_ok[4];

static void on_emufault(int sig, siginfo_t *si, void *uc_)
{
	greg_t *g = ((ucontext_t *)uc_)->uc_mcontext.gregs;

	(void)sig;
	emu_ok[0] += g[REG_RIP] == emu_want.rip;
	emu_ok[1] += si->si_addr == emu_want.addr;
	emu_ok[2] += si->si_code == emu_want.code;
	emu_ok[3] += g[REG_TRAPNO] == emu_want.trapno && g[REG_ERR] == emu_want.err &&
		     (emu_want.trapno != 14 || g[REG_CR2] == emu_want.cr2);
	siglongjmp(fault_jmp, 1);
}

static void emufault(long n)
{
	static char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	volatile long i, faults = 0;
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (ro == MAP_FAILED || sigaltstack(&ss, NULL)) {
		perror("emufault");
		exit(2);
	}
	/* Present (the error code's bit 0 tells a present page from none). */
	(void)*(volatile char *)ro;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_emufault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	for (i = 0; i < n; i++) {
		if (sigsetjmp(fault_jmp, 1)) {
			faults++;
			continue;
		}
		switch (i % 3) {
		case 0:	/* a read of an unmapped address */
			emu_want.rip = (greg_t)(uintptr_t)fault_call;
			emu_want.addr = (void *)8;
			emu_want.code = SEGV_MAPERR;
			emu_want.trapno = 14;
			emu_want.err = 4;		/* user */
			emu_want.cr2 = 8;
			fault_call((void *)8);
			break;
		case 1:	/* a write to a mapped page that is not writable */
			emu_want.rip = (greg_t)(uintptr_t)fault_push_at;
			emu_want.addr = ro + 56;
			emu_want.code = SEGV_ACCERR;
			emu_want.trapno = 14;
			emu_want.err = 7;		/* user, write, present */
			emu_want.cr2 = (greg_t)(uintptr_t)(ro + 56);
			fault_push(ro + 64);
			break;
		default: /* a non-canonical address: a general protection fault */
			emu_want.rip = (greg_t)(uintptr_t)fault_call;
			emu_want.addr = NULL;
			emu_want.code = SI_KERNEL;
			emu_want.trapno = 13;
			emu_want.err = 0;
			fault_call((void *)0x8000000000000000ul);
			break;
		}
	}
	printf("faults %ld rip-ok %ld addr-ok %ld code-ok %ld frame-ok %ld\n", (long)faults,
	       emu_ok[0], emu_ok[1], emu_ok[2], emu_ok[3]);
}

static volatile long n_signals;
static volatile int worker_done;

static void on_usr2(int sig)
{
	(void)sig;
	n_signals++;
}

static void *signal_worker(void *arg)
{
	uint64_t *out = arg;

	*out = run(target_func, n_calls);
	worker_done = 1;
	return NULL;
}

static volatile int spin_stop;
struct spin {
	pthread_t t;
	uint64_t calls, sum;
};

static void *spin_fn(void *arg)
{
	struct spin *s = arg;
	uint64_t i, sum = 0;

	for (i = 0; !spin_stop; i++)
		sum += target_func(i);
	s->calls = i;
	s->sum = sum;
	return NULL;
}

/* sum of target_func(i) for i < n, modulo 2^64 */
static uint64_t spin_expect(uint64_t n)
{
	uint64_t a = n, b = n ? n - 1 : 0;

	if (a % 2 == 0)
		a /= 2;
	else
		b /= 2;
	return 31 * a * b + 7 * n;
}

static void wait_usr1(void);

static int spin(int threads)
{
	struct spin s[64];
	uint64_t calls = 0;
	sigset_t set;
	int i, bad = 0;

	if (threads < 1 || threads > 64)
		return 2;
	/* blocked before the threads start, so that they inherit it */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < threads; i++)
		pthread_create(&s[i].t, NULL, spin_fn, &s[i]);
	wait_usr1();
	spin_stop = 1;
	for (i = 0; i < threads; i++) {
		pthread_join(s[i].t, NULL);
		calls += s[i].calls;
		if (s[i].sum != spin_expect(s[i].calls))
			bad++;
	}
	printf("calls %" PRIu64 " bad %d\n", calls, bad);
	return 0;
}

static void *thread_fn(void *arg)
{
	uint64_t *out = arg;

	*out = run(target_func, n_calls);
	return NULL;
}

static void wait_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
}

/* The file offset of the page with target_func, or -1. */
static long text_page_offset(void)
{
	char line[512];
	unsigned long start = 0, a, b, off, foff = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %*s %lx", &a, &b, &off) == 3 &&
		    (uintptr_t)target_func >= a && (uintptr_t)target_func < b)
			start = a, foff = off;
	if (f)
		fclose(f);
	if (!start)
		return -1;
	return foff + (((uintptr_t)target_func - start) & ~4095UL);
}

/*
 * A second mapping of the page with target_func, moved by mremap:
 * target_func there, or NULL.
 */
static uint64_t (*move_text(void))(uint64_t)
{
	long pg = text_page_offset();
	int fd = open("/proc/self/exe", O_RDONLY);
	void *map, *to;

	if (pg < 0 || fd < 0)
		return NULL;
	map = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, pg);
	to = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	close(fd);
	if (map == MAP_FAILED || to == MAP_FAILED) {
		perror("mmap");
		return NULL;
	}
	to = mremap(map, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (to == MAP_FAILED) {
		perror("mremap");
		return NULL;
	}
	return (uint64_t (*)(uint64_t))((uintptr_t)to + ((uintptr_t)target_func & 4095));
}

static int do_mode(const char *mode, long n, int threads)
{
	if (!strcmp(mode, "loop")) {
		pthread_t t[64];
		uint64_t sums[64], total = 0;
		int i;

		if (threads < 1 || threads > 64)
			return 2;
		n_calls = n;
		for (i = 0; i < threads; i++)
			pthread_create(&t[i], NULL, thread_fn, &sums[i]);
		for (i = 0; i < threads; i++) {
			pthread_join(t[i], NULL);
			total += sums[i];
		}
		printf("sum %" PRIu64 "\n", total);
	} else if (!strcmp(mode, "signals")) {
		struct sigaction sa;
		pthread_t t;
		uint64_t sum = 0;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr2;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGUSR2, &sa, NULL);
		n_calls = n;
		pthread_create(&t, NULL, signal_worker, &sum);
		while (!worker_done)
			pthread_kill(t, SIGUSR2);
		pthread_join(t, NULL);
		fprintf(stderr, "%ld signals\n", n_signals);
		printf("sum %" PRIu64 "\n", sum);
	} else if (!strcmp(mode, "int3imm")) {
		struct sigaction sa;
		long i;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_int3imm;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGTRAP, &sa, NULL);
		for (i = 0; i < n; i++)
			int3imm();
		printf("traps %ld rip-ok %ld\n", (long)int3imm_traps, (long)int3imm_rip_ok);
	} else if (!strcmp(mode, "emufault")) {
		emufault(n);
	} else if (!strcmp(mode, "emufault-blocked") || !strcmp(mode, "emufault-ignored")) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGSEGV);
		if (mode[9] == 'b')
			sigprocmask(SIG_BLOCK, &set, NULL);
		else
			signal(SIGSEGV, SIG_IGN);
		fault_call((void *)8);
		printf("survived\n");
	} else if (!strcmp(mode, "fault")) {
		struct sigaction sa;
		volatile long i, faults = 0;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		for (i = 0; i < n; i++) {
			if (sigsetjmp(fault_jmp, 1)) {
				faults++;
				continue;
			}
			fault_load((const uint64_t *)8);
		}
		printf("faults %ld rip-ok %ld addr-ok %ld\n", (long)faults, rip_ok, addr_ok);
	} else if (!strcmp(mode, "mremap")) {
		uint64_t (*moved)(uint64_t);

		wait_usr1();
		moved = move_text();
		if (!moved)
			return 1;
		printf("sum %" PRIu64 "\n", run(moved, n));
		wait_usr1();
		printf("sum2 %" PRIu64 "\n", run(moved, n));
	} else if (!strcmp(mode, "mremapprot")) {
		uint64_t (*moved)(uint64_t);
		void *page;

		wait_usr1();
		moved = move_text();
		if (!moved)
			return 1;
		page = (void *)((uintptr_t)moved & ~4095UL);
		printf("sum %" PRIu64 "\n", run(moved, n));
		/* Writable while the probes go: still text of ours to restore. */
		if (mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC)) {
			perror("mprotect");
			return 1;
		}
		printf("writable\n");
		wait_usr1();
		if (mprotect(page, 4096, PROT_READ | PROT_EXEC)) {
			perror("mprotect");
			return 1;
		}
		printf("sum2 %" PRIu64 "\n", run(moved, n));
		wait_usr1();
	} else if (!strcmp(mode, "mremapfork")) {
		uint64_t (*moved)(uint64_t);
		long forks = 0, killed = 0, bad = 0;
		uint64_t expect;
		sigset_t set;
		int status;
		pid_t pid;

		wait_usr1();
		expect = run(target_func, n);
		moved = move_text();
		if (!moved)
			return 1;
		printf("moved\n");
		fflush(stdout);
		sigemptyset(&set);
		/* The parent never calls the moved text: only its children do. */
		do {
			pid = fork();
			if (pid == 0)
				_exit(run(moved, n) == expect ? 0 : 3);
			if (pid < 0 || waitpid(pid, &status, 0) != pid) {
				perror("fork/waitpid");
				return 1;
			}
			forks++;
			if (WIFSIGNALED(status)) {
				killed++;
				fprintf(stderr, "child killed by signal %d\n", WTERMSIG(status));
			} else if (WEXITSTATUS(status)) {
				bad++;
			}
			sigpending(&set);
		} while (!sigismember(&set, SIGUSR1));
		printf("forks %ld killed %ld bad %ld\n", forks > 0 ? 1L : 0L, killed, bad);
	} else if (!strcmp(mode, "xolswap")) {
		uint64_t expect = run(target_func2, n);
		unsigned long a, b, off, chunk = 0, len = 0, i;
		char line[512], perms[8], path[256];
		unsigned char *shared;
		int fd, intact = 1;
		FILE *f;

		wait_usr1();
		/* The slot of the probed instruction in target_func: a chunk. */
		target_func(1);
		f = fopen("/proc/self/maps", "r");
		while (f && fgets(line, sizeof(line), f)) {
			path[0] = 0;
			if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %255s", &a, &b, perms, &off, path) >= 4 &&
			    !strcmp(perms, "r-xp") && !path[0])
				chunk = a, len = b - a;
		}
		fd = memfd_create("xolswap", 0);
		if (!chunk || fd < 0 || ftruncate(fd, len))
			return 1;
		shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (shared == MAP_FAILED)
			return 1;
		memset(shared, 0xab, len);
		/* Shared memory where the chunk was. */
		if (mmap((void *)chunk, len, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, 0) ==
		    MAP_FAILED)
			return 1;
		printf("swapped\n");
		wait_usr1();
		/* A probe in target_func2 needs a slot now: never in the shared memory. */
		a = run(target_func2, n) == expect;
		for (i = 0; i < len; i++)
			if (shared[i] != 0xab)
				intact = 0;
		printf("sum2 %s shared %s\n", a ? "ok" : "bad", intact ? "intact" : "written");
	} else if (!strcmp(mode, "maps")) {
		long i, pg = text_page_offset();
		int fd = open("/proc/self/exe", O_RDONLY);

		for (i = 0; i < n; i++)
			if (pg < 0 || mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
					   pg) == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
		wait_usr1();
	} else if (!strcmp(mode, "reuse")) {
		long pg = text_page_offset();
		uint64_t (*again)(uint64_t);
		unsigned char *volatile map;
		int fd = open("/proc/self/exe", O_RDONLY);

		if (pg < 0)
			return 1;
		map = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, pg);
		if (map == MAP_FAILED)
			return 1;
		again = (uint64_t (*)(uint64_t))(map + ((uintptr_t)target_func & 4095));
		printf("sum %" PRIu64 "\n", run(again, n));
		munmap(map, 4096);
		map = mmap(map, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		memset(map, 0xcc, 4096);
		signal(SIGTRAP, on_trap);
		if (!sigsetjmp(trap_jmp, 1))
			((void (*)(void))(map + ((uintptr_t)target_func & 4095)))();
		else
			printf("own int3 ok\n");
	} else if (!strcmp(mode, "forks")) {
		uint64_t want = run(target_func, 100);
		long i, ok = 0;

		for (i = 0; i < n; i++) {
			int status;
			pid_t pid = fork();

			if (pid == 0)
				_exit(run(target_func, 100) == want ? 0 : 1);
			waitpid(pid, &status, 0);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				ok++;
			else if (WIFSIGNALED(status))
				fprintf(stderr, "child %ld: signal %d\n", i, WTERMSIG(status));
		}
		printf("children ok %ld of %ld\n", ok, n);
	} else if (!strcmp(mode, "both")) {
		printf("sum %" PRIu64 "\n", run(target_func, n) + run(target_func2, n));
	} else if (!strcmp(mode, "lib")) {
		printf("sum %" PRIu64 "\n", run(lib_func, n));
	} else if (!strcmp(mode, "fork")) {
		uint64_t s = run(target_func, n);
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			printf("child sum %" PRIu64 "\n", run(target_func, n));
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		printf("sum %" PRIu64 " child exit %d\n", s, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	} else if (!strcmp(mode, "dlopen")) {
		char path[512];
		ssize_t k = readlink("/proc/self/exe", path, sizeof(path) - 32);
		uint64_t (*f)(uint64_t);
		void *h;

		if (k <= 0)
			return 1;
		path[k] = 0;
		strcpy(strrchr(path, '/') + 1, "libtarget.so");
		wait_usr1();
		h = dlopen(path, RTLD_NOW);
		f = h ? (uint64_t (*)(uint64_t))dlsym(h, "lib_func") : NULL;
		if (!f) {
			fprintf(stderr, "target: %s\n", dlerror());
			return 1;
		}
		printf("sum %" PRIu64 "\n", run(f, n));
	} else {
		fprintf(stderr, "target: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n;

	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "offset"))
		return print_offset("target", argv[2]);
	n = atol(argv[2]);
	if (!strcmp(argv[1], "spin"))
		return spin((int)n);
	if (!strcmp(argv[1], "wait")) {
		wait_usr1();
		return do_mode(argc > 3 ? argv[3] : "loop", n, 1);
	}
	return do_mode(argv[1], n, argc > 3 ? atoi(argv[3]) : 1);
}
