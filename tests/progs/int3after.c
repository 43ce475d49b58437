// SPDX-License-Identifier: GPL-2.0
/*
 * int3after LIB OFF: map LIB's text privately, say "ready PID" and wait for
 * SIGUSR1 (a probe at OFF is added and deleted meanwhile); then map
 * anonymous code of its own over it whose byte at OFF is an int3 (then a
 * ret), and run it with a SIGTRAP handler: "sigtrap N" says how many
 * times the handler ran (1, as without any probe ever there).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t got, traps;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

static void on_trap(int sig)
{
	(void)sig;
	traps++;
}

int main(int argc, char **argv)
{
	unsigned char *a, *c;
	struct stat st;
	long off;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: int3after LIB OFF\n");
		return 2;
	}
	off = strtol(argv[2], NULL, 0);
	signal(SIGUSR1, on_usr1);
	signal(SIGTRAP, on_trap);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return 1;
	a = mmap(NULL, st.st_size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (a == MAP_FAILED)
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (!got)
		pause();
	c = mmap(a, st.st_size, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (c != a)
		return 1;
	c[off] = 0xcc;		/* int3 */
	c[off + 1] = 0xc3;	/* ret */
	((void (*)(void))(c + off))();
	printf("sigtrap %d\n", (int)traps);
	return 0;
}
