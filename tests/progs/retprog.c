// SPDX-License-Identifier: GPL-2.0
/*
 * Functions for exit and return probes. Each mode prints what it computed
 * and how many calls it made, so a test can hold the probes' counts and
 * return values against it:
 *
 *   retprog fib N          recursive fib(N): "fib N = F calls C"
 *   retprog nested N       outer -> mid -> inner, N times: "nested sum S"
 *   retprog threads T N    T threads, N calls of work() each: "threads sum S"
 *   retprog tail N         tail_a() ends in a jump to tail_b(): "tail sum S"
 *   retprog condtail N     condtail() leaves by a conditional jump to
 *                          tail_b() for odd i: "condtail sum S"
 *   retprog longjmp N M    jumper() -> deep() longjmps out, N times; then M
 *                          calls of work(): "longjmp N sum S"
 *   retprog signal N       sigfn() raises SIGUSR1, whose handler calls
 *                          work(): "signal sum S"
 *   retprog fork N         forker() forks; both return: "fork sum S"
 *   retprog exit           exiter() calls exit(3) from inside
 *   retprog hold T N       T threads, N calls each of holder(), which sleeps
 *                          1 ms inside; "ready" first: "hold sum S"
 *   retprog hold T         the same until SIGUSR1; then "hold ok" if every
 *                          thread's sum is right
 *   retprog altstack N     in a thread, N calls of sigfn2(), which raises
 *                          SIGUSR2, handled on an alternate stack above
 *                          the thread's own stack and calling work():
 *                          "altstack sum S handler H"
 *   retprog coro N         a coroutine (ucontext, on a heap stack) whose
 *                          co_fn() yields to main, which calls work(),
 *                          then returns: "coro sum S"
 *   retprog mid N          N calls of midfn(), whose second instruction
 *                          has a zero on top of the stack: "mid sum S"
 *   retprog wait           "ready", then wait for a line on stdin
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define NOIPA __attribute__((noipa))

/*
 * midfn(i) = i + 1, with a zero on top of the stack at midfn+2 that it
 * adds in: a return probe that took it for a return address shows.
 */
__asm__(".text\n"
	".globl midfn\n"
	".type midfn, @function\n"
	"midfn:\n"
	"	push $0\n"
	"	nop\n"
	"	pop %rax\n"
	"	lea 1(%rdi,%rax), %rax\n"
	"	ret\n"
	".size midfn, . - midfn\n");
long midfn(long i);

static long ncalls;
static jmp_buf jb;

NOIPA long fib(long n)
{
	ncalls++;
	if (n < 3)
		return 1;
	return fib(n - 1) + fib(n - 2);
}

NOIPA long inner(long i)
{
	return i + 1;
}

NOIPA long mid(long i)
{
	return inner(i) * 2;
}

NOIPA long outer(long i)
{
	return mid(i) + 3;
}

NOIPA long work(long i)
{
	return i * 3 + 1;
}

NOIPA long tail_b(long i)
{
	return i * 5 + 2;
}

/* Ends in "jmp tail_b" at -O2: a tail call. */
NOIPA long tail_a(long i)
{
	return tail_b(i + 1);
}

/* condtail(i): odd i leaves by "jne tail_b", a conditional tail call. */
__asm__(".text\n"
	".globl condtail\n"
	".type condtail, @function\n"
	"condtail:\n"
	"	test $1, %dil\n"
	"	jne tail_b\n"
	"	mov %rdi, %rax\n"
	"	ret\n"
	".size condtail, . - condtail\n");
long condtail(long i);

NOIPA void deep(long i)
{
	longjmp(jb, (int)(i % 7) + 1);
}

NOIPA long jumper(long i)
{
	deep(i);
	return -1;
}

/* @a times into jumper(), out by longjmp; how many came back that way. */
static long jump_out(long a)
{
	volatile long n = 0, i;

	for (i = 0; i < a; i++) {
		if (!setjmp(jb))
			jumper(i);
		else
			n++;
	}
	return n;
}

static volatile long sigsum;

static void on_usr1(int sig)
{
	(void)sig;
	sigsum += work(sigsum % 100);
}

NOIPA long sigfn(long i)
{
	raise(SIGUSR1);
	return i + 7;
}

static volatile long altsum;

static void on_usr2(int sig)
{
	(void)sig;
	altsum += work(altsum % 100);
}

NOIPA long sigfn2(long i)
{
	raise(SIGUSR2);
	return i + 9;
}

struct alt_arg {
	char *stack;
	size_t size;
	long n, sum;
};

static void *alt_main(void *p)
{
	struct alt_arg *a = p;
	stack_t ss = { .ss_sp = a->stack, .ss_size = a->size };
	long i;

	if (sigaltstack(&ss, NULL)) {
		perror("sigaltstack");
		exit(2);
	}
	for (i = 0; i < a->n; i++)
		a->sum += sigfn2(i);
	return NULL;
}

/* The alternate stack is in main's frame: above the thread's stack. */
static long run_altstack(long n)
{
	char stack[128 * 1024];
	struct alt_arg a = { stack, sizeof(stack), n, 0 };
	struct sigaction sa;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	if (pthread_create(&t, NULL, alt_main, &a)) {
		perror("pthread_create");
		exit(2);
	}
	pthread_join(t, NULL);
	return a.sum;
}

static ucontext_t main_ctx, co_ctx;
static long co_arg, co_result;

NOIPA long co_fn(long i)
{
	swapcontext(&co_ctx, &main_ctx);
	return i * 7;
}

static void co_entry(void)
{
	for (;;) {
		co_result = co_fn(co_arg);
		swapcontext(&co_ctx, &main_ctx);
	}
}

static long run_coro(long n)
{
	size_t size = 256 * 1024;
	static long i, sum;	/* (not in registers across swapcontext) */

	getcontext(&co_ctx);
	co_ctx.uc_stack.ss_sp = malloc(size);
	co_ctx.uc_stack.ss_size = size;
	co_ctx.uc_link = NULL;
	makecontext(&co_ctx, co_entry, 0);
	for (i = 0; i < n; i++) {
		co_arg = i;
		swapcontext(&main_ctx, &co_ctx);	/* into co_fn, until it yields */
		sum += work(i);
		swapcontext(&main_ctx, &co_ctx);	/* co_fn returns */
		sum += co_result;
	}
	return sum;
}

NOIPA long forker(long i)
{
	pid_t p = fork();

	if (p < 0) {
		perror("fork");
		exit(2);
	}
	return p ? i : i + 1000;
}

NOIPA long exiter(long i)
{
	fflush(stdout);
	if (i > 0)
		exit((int)i);
	return i;
}

NOIPA long holder(long i)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
	return i * 2 + 1;
}

struct thr {
	pthread_t t;
	long n, sum;		/* n 0: until hold_stop, then the calls made */
	long (*fn)(long);
};

static volatile sig_atomic_t hold_stop;

static void on_hold_stop(int sig)
{
	(void)sig;
	hold_stop = 1;
}

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	long i;

	for (i = 0; t->n ? i < t->n : !hold_stop; i++)
		t->sum += t->fn(i);
	t->n = i;
	return NULL;
}

static long run_threads(int nt, long n, long (*fn)(long))
{
	struct thr *t = calloc(nt, sizeof(*t));
	long sum = 0;
	int k;

	for (k = 0; k < nt; k++) {
		t[k].n = n;
		t[k].fn = fn;
		if (pthread_create(&t[k].t, NULL, thr_main, &t[k])) {
			perror("pthread_create");
			exit(2);
		}
	}
	for (k = 0; k < nt; k++) {
		pthread_join(t[k].t, NULL);
		sum += t[k].sum;
	}
	free(t);
	return sum;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long a = argc > 2 ? atol(argv[2]) : 10, b = argc > 3 ? atol(argv[3]) : 100;
	long i, sum = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "fib")) {
		long f = fib(a);

		printf("fib %ld = %ld calls %ld\n", a, f, ncalls);
	} else if (!strcmp(mode, "nested")) {
		for (i = 0; i < a; i++)
			sum += outer(i);
		printf("nested sum %ld\n", sum);
	} else if (!strcmp(mode, "threads")) {
		printf("threads sum %ld\n", run_threads((int)a, b, work));
	} else if (!strcmp(mode, "tail")) {
		for (i = 0; i < a; i++)
			sum += tail_a(i);
		printf("tail sum %ld\n", sum);
	} else if (!strcmp(mode, "condtail")) {
		for (i = 0; i < a; i++)
			sum += condtail(i);
		printf("condtail sum %ld\n", sum);
	} else if (!strcmp(mode, "longjmp")) {
		long n = jump_out(a);

		for (i = 0; i < b; i++)
			sum += work(i);
		printf("longjmp %ld sum %ld\n", n, sum);
	} else if (!strcmp(mode, "signal")) {
		signal(SIGUSR1, on_usr1);
		for (i = 0; i < a; i++)
			sum += sigfn(i);
		printf("signal sum %ld handler %ld\n", sum, (long)sigsum);
	} else if (!strcmp(mode, "fork")) {
		for (i = 0; i < a; i++) {
			long r = forker(i);

			if (r >= 1000) {
				printf("child %ld\n", r - 1000);
				_exit(0);
			}
			wait(NULL);
			sum += r;
		}
		printf("fork sum %ld\n", sum);
	} else if (!strcmp(mode, "exit")) {
		exiter(3);
	} else if (!strcmp(mode, "hold") && argc > 3) {
		printf("ready\n");
		printf("hold sum %ld\n", run_threads((int)a, b, holder));
	} else if (!strcmp(mode, "hold")) {
		struct thr *t = calloc(a, sizeof(*t));
		int k, bad = 0;

		signal(SIGUSR1, on_hold_stop);
		printf("ready\n");
		for (k = 0; k < a; k++) {
			t[k].fn = holder;
			if (pthread_create(&t[k].t, NULL, thr_main, &t[k]))
				return 2;
		}
		/* holder(i) = 2i + 1: n calls sum to n * n. */
		for (k = 0; k < a; k++) {
			pthread_join(t[k].t, NULL);
			bad += t[k].sum != t[k].n * t[k].n || !t[k].n;
		}
		printf("hold %s\n", bad ? "bad" : "ok");
		free(t);
	} else if (!strcmp(mode, "altstack")) {
		sum = run_altstack(a);
		printf("altstack sum %ld handler %ld\n", sum, (long)altsum);
	} else if (!strcmp(mode, "coro")) {
		printf("coro sum %ld\n", run_coro(a));
	} else if (!strcmp(mode, "mid")) {
		for (i = 0; i < a; i++)
			sum += midfn(i);
		printf("mid sum %ld\n", sum);
	} else if (!strcmp(mode, "wait")) {
		char line[16];

		printf("ready\n");
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	} else {
		fprintf(stderr, "usage: retprog fib|nested|threads|tail|longjmp|signal|fork|exit|hold|wait ...\n");
		return 2;
	}
	return 0;
}
