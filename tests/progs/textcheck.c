// SPDX-License-Identifier: GPL-2.0
/*
 * textcheck [-b] PID PATH: every executable mapping of PATH in process PID
 * holds exactly the file's bytes (read through /proc/PID/mem), and smaps
 * shows no anonymous memory in them (-b: the bytes only; a page that was
 * writable when its probe went keeps a private copy of the file's bytes).
 * Prints what differs; exit 1 if any.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char name[64], line[1024], path[512];
	unsigned long start, end, off;
	char perms[8];
	int mem, file, bad = 0, maps = 0, in_map = 0, bytes_only = 0;
	FILE *f;

	if (argc == 4 && !strcmp(argv[1], "-b"))
		bytes_only = 1, argv++, argc--;
	if (argc != 3)
		return 2;
	snprintf(name, sizeof(name), "/proc/%s/mem", argv[1]);
	mem = open(name, O_RDONLY);
	file = open(argv[2], O_RDONLY);
	snprintf(name, sizeof(name), "/proc/%s/smaps", argv[1]);
	f = fopen(name, "r");
	if (mem < 0 || file < 0 || !f) {
		perror("textcheck");
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long kb;

		path[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %511s", &start, &end, perms, &off, path) >= 4 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in_map = !strcmp(path, argv[2]) && perms[2] == 'x';
			if (!in_map)
				continue;
			maps++;
			for (unsigned long a = start; a < end; a += 4096) {
				unsigned char m[4096], d[4096];
				ssize_t k = pread(file, d, sizeof(d), off + (a - start));

				if (k <= 0)
					break;
				if (pread(mem, m, k, a) != k) {
					printf("cannot read %lx\n", a);
					bad = 1;
					continue;
				}
				for (ssize_t i = 0; i < k; i++) {
					if (m[i] != d[i]) {
						printf("differs at 0x%lx (file offset 0x%lx): %02x, file %02x\n",
						       a + i, off + (a - start) + i, m[i], d[i]);
						bad = 1;
						break;
					}
				}
			}
		} else if (in_map && !bytes_only && sscanf(line, "Anonymous: %lu kB", &kb) == 1 && kb) {
			printf("mapping at %lx has %lu kB anonymous\n", start, kb);
			bad = 1;
		}
	}
	if (!maps) {
		printf("no executable mapping of %s in %s\n", argv[2], argv[1]);
		return 1;
	}
	printf("%s in %s: %d executable mapping(s) %s\n", argv[2], argv[1], maps,
	       bad ? "DIFFER" : "identical to the file");
	return bad;
}
