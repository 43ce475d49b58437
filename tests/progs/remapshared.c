// SPDX-License-Identifier: GPL-2.0
/*
 * remapshared LIB OFF DATA: a child maps LIB's text privately and says
 * "ready"; on a first SIGUSR1 to this program it says "mapped" with its
 * byte at OFF, then maps DATA shared and writable over it (MAP_FIXED, no
 * munmap of its own). This program traces the child and holds it at the
 * exit of that mmap, before anything runs on its way back to user mode
 * (a module's deferred work included), says "stopped" and waits for a
 * second SIGUSR1; then it lets the child go, which says DATA's byte at
 * OFF as mapped and as read from the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

static void wait_usr1(const sigset_t *unblocked)
{
	while (!got)
		sigsuspend(unblocked);
	got = 0;
}

static int child(const char *lib, long off, const char *data, int go)
{
	unsigned char b, *a, *d;
	struct stat st;
	int fd, dfd;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) || raise(SIGSTOP))
		return 3;
	fd = open(lib, O_RDONLY);
	dfd = open(data, O_RDWR);
	if (fd < 0 || dfd < 0 || fstat(fd, &st))
		return 4;
	a = mmap(NULL, st.st_size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (a == MAP_FAILED)
		return 5;
	printf("ready\n");
	fflush(stdout);
	if (read(go, &b, 1) != 1)
		return 6;
	printf("mapped %02x\n", a[off]);
	fflush(stdout);
	d = mmap(a, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, dfd, 0);
	if (d != a)
		return 7;
	printf("mapped byte %02x\n", d[off]);
	if (pread(dfd, &b, 1, off) != 1)
		return 8;
	printf("file byte %02x\n", b);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct user_regs_struct regs;
	sigset_t usr1, unblocked;
	int pipefd[2], status;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: remapshared LIB OFF DATA\n");
		return 2;
	}
	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &unblocked);
	if (pipe(pipefd))
		return 2;
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &unblocked, NULL);
		_exit(child(argv[1], strtol(argv[2], NULL, 0), argv[3], pipefd[0]));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
	    ptrace(PTRACE_SETOPTIONS, pid, NULL, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL))
		return 2;
	for (;;) {
		int sig = 0;

		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) || waitpid(pid, &status, 0) != pid)
			return 2;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			fprintf(stderr, "remapshared: the child ended before its mmap\n");
			return 1;
		}
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			/* A signal for the child: pass it on. */
			sig = WSTOPSIG(status);
			if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig))
				return 2;
			continue;
		}
		if (ptrace(PTRACE_GETREGS, pid, NULL, &regs))
			return 2;
		/* At the entry of the child's read of the pipe: wait to say go. */
		if ((long)regs.rax == -ENOSYS && regs.orig_rax == SYS_read &&
		    (int)regs.rdi == pipefd[0]) {
			wait_usr1(&unblocked);
			if (write(pipefd[1], "g", 1) != 1)
				return 2;
		}
		/* At the exit of the MAP_FIXED mmap: hold the child there. */
		if ((long)regs.rax != -ENOSYS && regs.orig_rax == SYS_mmap &&
		    (regs.r10 & MAP_FIXED)) {
			printf("stopped\n");
			fflush(stdout);
			wait_usr1(&unblocked);
			break;
		}
	}
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL) || waitpid(pid, &status, 0) != pid)
		return 2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
