// SPDX-License-Identifier: GPL-2.0
/*
 * mapchurn FILE N OFF: map FILE's text (private, executable) and unmap
 * it, N times, each time at a new address; then say "done" and how many
 * of the mappings had an int3 at file offset OFF, and wait for SIGUSR1. What a module keeps for this process afterwards must not grow
 * with N.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

int main(int argc, char **argv)
{
	uintptr_t hint = (uintptr_t)1 << 44;
	long i, n, off, int3s = 0;
	struct stat st;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: mapchurn FILE N OFF\n");
		return 2;
	}
	n = atol(argv[2]);
	off = strtol(argv[3], NULL, 0);
	signal(SIGUSR1, on_usr1);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		void *a = mmap((void *)(hint + (uintptr_t)i * (16 << 20)), st.st_size,
			       PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);

		if (a == MAP_FAILED) {
			perror("mapchurn: mmap");
			return 1;
		}
		int3s += ((unsigned char *)a)[off] == 0xcc;
		munmap(a, st.st_size);
	}
	printf("done %ld\n", int3s);
	fflush(stdout);
	while (!got)
		pause();
	return 0;
}
