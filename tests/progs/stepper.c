// SPDX-License-Identifier: GPL-2.0
/*
 * The single-stepping test's program: a debugger of its own child.
 *
 *   stepper offsets     "PATH 0xOFFSET" of every instruction of step_target
 *                       and step_leaf (from the list built in below)
 *   stepper trace N     fork a child that stops itself, then calls
 *                       step_target(i) for i < N; single-step it with
 *                       ptrace and print, for every stop inside those two
 *                       functions, the offset from step_target and the
 *                       registers; then how many steps in all and the
 *                       child's exit status
 *
 *   stepper poke N [ID] as a debugger would: a breakpoint (PTRACE_POKETEXT of
 *                       an int3 over the word read with PEEKTEXT) at st5 and
 *                       one at sl0 (the same page); count the stops at each,
 *                       stepping over them; with ID, delete probe ID
 *                       (ioctl) at the first stop; after 3 stops at sl0
 *                       write the saved words back and detach; print
 *                       "a A b B peek-b XX exit status S"
 *
 * Run once without probes and once with a probe on every instruction: a
 * debugger must see the same steps and registers.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/uprobectl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offset.h"

/* Every class of handling: emulated, emulated branches, slot, rip-relative. */
__asm__(".text\n"
	".globl step_target\n.type step_target,@function\n"
	"step_target:\n"
	"st0: endbr64\n"
	"st1: push %rbp\n"
	"st2: mov %rsp,%rbp\n"
	"st3: sub $0x20,%rsp\n"
	"st4: nopl 0x0(%rax,%rax,1)\n"
	"st5: mov %rdi,%rax\n"
	"st6: lea 0x3(%rdi,%rdi,2),%rcx\n"
	"st7: imul $7,%rcx,%rcx\n"
	"st8: xor %edx,%edx\n"
	"st9: mov step_var(%rip),%rdx\n"
	"st10: add $0x11,%rdx\n"
	"st11: mov %rdx,step_var(%rip)\n"
	"st12: test $1,%dil\n"
	"st13: jne 1f\n"
	"st14: call step_leaf\n"
	"1:\n"
	"st15: mov $0x1234,%esi\n"
	"st16: add %rsi,%rax\n"
	"st17: pushfq\n"
	"st18: pop %r8\n"
	"st19: lea step_leaf(%rip),%r9\n"
	"st20: call *%r9\n"
	"st21: leave\n"
	"st22: ret\n"
	".globl step_leaf\n.type step_leaf,@function\n"
	"step_leaf:\n"
	"sl0: add $1,%rax\n"
	"sl1: ret\n"
	".data\nstep_var: .quad 5\n.text\n"
	/* Scratch registers cleared: what the caller left there varies (pids). */
	".globl step_entry\n.type step_entry,@function\n"
	"step_entry:\n"
	" xor %eax,%eax\n xor %ecx,%ecx\n xor %edx,%edx\n xor %esi,%esi\n"
	" xor %r8d,%r8d\n xor %r9d,%r9d\n xor %r10d,%r10d\n xor %r11d,%r11d\n"
	" jmp step_target\n");

uint64_t step_target(uint64_t x);
uint64_t step_entry(uint64_t x);
void step_leaf(void);

static const char *const labels[] = {
	"st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7", "st8", "st9", "st10",
	"st11", "st12", "st13", "st14", "st15", "st16", "st17", "st18", "st19", "st20",
	"st21", "st22", "sl0", "sl1",
};

extern char st0[], st5[], sl0[], sl1[];
__asm__(".globl st0, st1, st2, st3, st4, st5, st6, st7, st8, st9, st10, st11\n"
	".globl st12, st13, st14, st15, st16, st17, st18, st19, st20, st21, st22, sl0, sl1\n");

/*
 * A child to debug, stopped before its first call: it calls step_entry(i)
 * for i < @n, then exits 0. Its pid, or -1.
 */
static pid_t spawn(long n)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		uint64_t sum = 0;
		long i;

		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (i = 0; i < n; i++)
			sum += step_entry(i);
		_exit(sum == 0 ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	return pid;
}

static int trace(long n)
{
	unsigned long lo = (unsigned long)st0, hi = (unsigned long)sl1 + 1;
	long inside = 0;
	int status;
	pid_t pid = spawn(n);

	if (pid < 0)
		return 1;
	for (;;) {
		struct user_regs_struct r;

		if (ptrace(PTRACE_SINGLESTEP, pid, 0, 0)) {
			perror("PTRACE_SINGLESTEP");
			return 1;
		}
		if (waitpid(pid, &status, 0) != pid)
			return 1;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (WSTOPSIG(status) != SIGTRAP) {
			printf("stop with signal %d\n", WSTOPSIG(status));
			return 1;
		}
		if (ptrace(PTRACE_GETREGS, pid, 0, &r))
			return 1;
		if (r.rip < lo || r.rip >= hi)
			continue;
		inside++;
		/* No address randomisation: every register compares as it is. */
		printf("+%#llx ax %llx bx %llx cx %llx dx %llx si %llx di %llx r8 %llx "
		       "r9 %llx r10 %llx r11 %llx flags %llx sp %llx bp %llx\n",
		       r.rip - lo, r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.r8 & ~0x10000ULL,
		       r.r9, r.r10, r.r11, r.eflags & ~0x10000ULL, r.rsp, r.rbp);
	}
	printf("steps inside %ld, exit %s %d\n", inside,
	       WIFEXITED(status) ? "status" : "signal",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

/* Let the tracee run to its next stop; its status, or -1. */
static int resume(pid_t pid, int req)
{
	int status;

	if (ptrace(req, pid, 0, 0) || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void del_probe(unsigned long long id)
{
	struct uprobectl_del del = { .size = sizeof(del), .ids = (uintptr_t)&id, .count = 1 };
	int fd = open(UPROBECTL_DEVICE, O_RDWR);

	if (fd < 0 || ioctl(fd, UPROBECTL_IOC_DEL, &del))
		perror("stepper: delete");
	if (fd >= 0)
		close(fd);
}

static int poke(long n, unsigned long long id)
{
	unsigned long addr[2] = { (unsigned long)sl0, (unsigned long)st5 };
	long word[2], stops[2] = { 0, 0 };
	int status, k;
	pid_t pid = spawn(n);

	if (pid < 0)
		return 1;
	for (k = 0; k < 2; k++) {
		errno = 0;
		word[k] = ptrace(PTRACE_PEEKTEXT, pid, addr[k], 0);
		if (errno || ptrace(PTRACE_POKETEXT, pid, addr[k], (word[k] & ~0xffL) | 0xcc))
			return 1;
	}
	for (;;) {
		struct user_regs_struct r;

		status = resume(pid, PTRACE_CONT);
		if (status < 0 || WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (WSTOPSIG(status) != SIGTRAP || ptrace(PTRACE_GETREGS, pid, 0, &r)) {
			printf("stop with signal %d\n", WSTOPSIG(status));
			kill(pid, SIGKILL);
			return 1;
		}
		for (k = 0; k < 2 && r.rip - 1 != addr[k]; k++)
			;
		if (k == 2) {
			printf("SIGTRAP at +%#llx, no breakpoint of the debugger there\n",
			       r.rip - (unsigned long)st0);
			kill(pid, SIGKILL);
			return 1;
		}
		stops[k]++;
		if (id && stops[0] + stops[1] == 1)
			del_probe(id);
		/* Step over: the saved word back, one step, the int3 again. */
		r.rip = addr[k];
		ptrace(PTRACE_POKETEXT, pid, addr[k], word[k]);
		ptrace(PTRACE_SETREGS, pid, 0, &r);
		status = resume(pid, PTRACE_SINGLESTEP);
		if (status < 0 || !WIFSTOPPED(status))
			break;
		if (stops[0] == 3) {
			/* Done debugging: breakpoints out, let it run on its own. */
			ptrace(PTRACE_POKETEXT, pid, addr[1], word[1]);
			ptrace(PTRACE_DETACH, pid, 0, 0);
			if (waitpid(pid, &status, 0) != pid)
				return 1;
			break;
		}
		ptrace(PTRACE_POKETEXT, pid, addr[k], (word[k] & ~0xffL) | 0xcc);
	}
	printf("a %ld b %ld peek-b %02lx exit %s %d\n", stops[0], stops[1], word[1] & 0xff,
	       WIFEXITED(status) ? "status" : "signal",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "offsets")) {
		for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
			fflush(stdout);
			if (print_offset("stepper", labels[i]))
				return 1;
		}
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "poke"))
		return poke(atol(argv[2]), argc > 3 ? strtoull(argv[3], NULL, 0) : 0);
	if (argc == 3 && !strcmp(argv[1], "trace")) {
		/* Same addresses in every run, so registers compare as they are. */
		if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
			personality(ADDR_NO_RANDOMIZE);
			execv("/proc/self/exe", argv);
		}
		return trace(atol(argv[2]));
	}
	return 2;
}
