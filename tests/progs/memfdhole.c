// SPDX-License-Identifier: GPL-2.0
/*
 * memfdhole LIB N: run a library from a memfd (tmpfs: no read_folio), and
 * take its pages out of the page cache while a probe's private copy of the
 * text stays mapped. Copies LIB into a memfd, dlopens it, prints
 * "ready /proc/PID/fd/FD" and waits for SIGUSR1 (a probe goes on lib_func
 * of that path meanwhile); calls lib_func N times and prints the sum,
 * punches a hole over the whole memfd (its pages leave the page cache;
 * ours, copied on write, stay), prints "punched" and waits for SIGUSR1
 * again (the probe is deleted meanwhile: the module must not read the
 * file's page through a page cache it cannot fill), then exits 0 without
 * running the library again.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void wait_usr1(const sigset_t *set)
{
	int sig;

	sigwait(set, &sig);
}

int main(int argc, char **argv)
{
	uint64_t (*fn)(uint64_t), sum = 0;
	char path[64], buf[65536];
	sigset_t set;
	struct stat st;
	ssize_t n;
	void *h;
	long i, calls;
	int in, fd;

	if (argc != 3) {
		fprintf(stderr, "usage: memfdhole LIB N\n");
		return 2;
	}
	calls = atol(argv[2]);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	in = open(argv[1], O_RDONLY);
	fd = memfd_create("memfdhole", MFD_CLOEXEC);
	if (in < 0 || fd < 0 || fstat(in, &st)) {
		perror("memfdhole");
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n) {
			perror("memfdhole: write");
			return 1;
		}
	close(in);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), fd);
	h = dlopen(path, RTLD_NOW);
	fn = h ? (uint64_t (*)(uint64_t))dlsym(h, "lib_func") : NULL;
	if (!fn) {
		fprintf(stderr, "memfdhole: %s\n", dlerror());
		return 1;
	}
	printf("ready %s\n", path);
	fflush(stdout);
	wait_usr1(&set);
	for (i = 0; i < calls; i++)
		sum += fn((uint64_t)i);
	printf("sum %" PRIu64 "\n", sum);
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, st.st_size)) {
		perror("memfdhole: fallocate");
		return 1;
	}
	printf("punched\n");
	fflush(stdout);
	wait_usr1(&set);
	/* Not through exit(): the library's destructors are zeros now. */
	_exit(0);
}
