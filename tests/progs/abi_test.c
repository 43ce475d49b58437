// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI rules of include/uapi/linux/uprobectl.h, checked from C:
 * version call, shorter and longer structs, E2BIG with the size written
 * back, ENOTTY, EFAULT.
 * Usage: abi_test EXPECTED_MODULE_VERSION
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/uprobectl.h>

static int failures;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		printf("ok: ");						\
	} else {							\
		printf("FAIL: ");					\
		failures++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

/* ioctl returning 0 or -errno */
static int call(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

int main(int argc, char **argv)
{
	const char *want = argc > 1 ? argv[1] : NULL;
	struct uprobectl_version v;
	unsigned char buf[8192];
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *pages;
	int fd, ret;
	size_t i;

	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(UPROBECTL_DEVICE);
		return 1;
	}

	/* The current struct. */
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ret = call(fd, UPROBECTL_IOC_VERSION, &v);
	CHECK(ret == 0, "VERSION returns 0 (got %d)", ret);
	CHECK(v.abi_version == UPROBECTL_ABI_VERSION, "abi_version is %d (got %u)",
	      UPROBECTL_ABI_VERSION, v.abi_version);
	CHECK(v.size == sizeof(v), "size member left as set (%u)", v.size);
	CHECK(memchr(v.module_version, 0, sizeof(v.module_version)) != NULL,
	      "module_version is NUL-terminated");
	if (want)
		CHECK(!strcmp(v.module_version, want), "module_version is '%s' (got '%s')",
		      want, v.module_version);
	printf("module %s, ABI %u, features 0x%llx\n", v.module_version, v.abi_version,
	       (unsigned long long)v.features);

	/* An older caller's shorter struct: only what it knows is written. */
	memset(buf, 0xAA, sizeof(buf));
	memset(buf, 0, UPROBECTL_VERSION_SIZE_VER0);
	((struct uprobectl_version *)buf)->size = UPROBECTL_VERSION_SIZE_VER0;
	ret = call(fd, UPROBECTL_IOC_VERSION, buf);
	CHECK(ret == 0, "VER0-sized struct accepted (got %d)", ret);
	CHECK(((struct uprobectl_version *)buf)->abi_version == UPROBECTL_ABI_VERSION,
	      "VER0 caller gets abi_version");
	for (i = UPROBECTL_VERSION_SIZE_VER0; i < 64 && buf[i] == 0xAA; i++)
		;
	CHECK(i == 64, "nothing written past a VER0 caller's struct (first change at %zu)", i);

	/* Below the first published size. */
	memset(buf, 0, sizeof(buf));
	((struct uprobectl_version *)buf)->size = UPROBECTL_VERSION_SIZE_VER0 - 8;
	ret = call(fd, UPROBECTL_IOC_VERSION, buf);
	CHECK(ret == -EINVAL, "size below VER0 is EINVAL (got %d)", ret);

	/* A newer caller's longer struct with a zero tail. */
	memset(buf, 0, sizeof(buf));
	((struct uprobectl_version *)buf)->size = sizeof(v) + 64;
	ret = call(fd, UPROBECTL_IOC_VERSION, buf);
	CHECK(ret == 0, "longer struct with zero tail accepted (got %d)", ret);
	for (i = sizeof(v); i < sizeof(v) + 64 && !buf[i]; i++)
		;
	CHECK(i == sizeof(v) + 64, "zero tail stays zero");
	CHECK(!strcmp(((struct uprobectl_version *)buf)->module_version,
		      v.module_version), "longer struct gets module_version");

	/* ... with a non-zero tail: E2BIG and the known size written back. */
	memset(buf, 0, sizeof(buf));
	((struct uprobectl_version *)buf)->size = sizeof(v) + 64;
	buf[sizeof(v) + 60] = 1;
	ret = call(fd, UPROBECTL_IOC_VERSION, buf);
	CHECK(ret == -E2BIG, "non-zero unknown tail is E2BIG (got %d)", ret);
	CHECK(((struct uprobectl_version *)buf)->size == sizeof(v),
	      "E2BIG writes back the known size %zu (got %u)", sizeof(v),
	      ((struct uprobectl_version *)buf)->size);

	/* Absurdly large. */
	memset(buf, 0, sizeof(buf));
	((struct uprobectl_version *)buf)->size = sizeof(buf);
	ret = call(fd, UPROBECTL_IOC_VERSION, buf);
	CHECK(ret == -E2BIG, "a struct over a page is E2BIG (got %d)", ret);
	((struct uprobectl_version *)buf)->size = 0xffffffffu;
	ret = call(fd, UPROBECTL_IOC_VERSION, buf);
	CHECK(ret == -E2BIG, "size 0xffffffff is E2BIG (got %d)", ret);

	/* The size bits of the command number do not matter. */
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ret = call(fd, _IOWR(UPROBECTL_IOC_MAGIC, 0x00, char[200]), &v);
	CHECK(ret == 0 && v.abi_version == UPROBECTL_ABI_VERSION,
	      "VERSION with other size bits in the command works (got %d)", ret);

	/* Unknown commands. */
	ret = call(fd, _IOWR(UPROBECTL_IOC_MAGIC, 0x7f, struct uprobectl_version), &v);
	CHECK(ret == -ENOTTY, "unknown command number is ENOTTY (got %d)", ret);
	ret = call(fd, _IOWR('x', 0x00, struct uprobectl_version), &v);
	CHECK(ret == -ENOTTY, "another magic is ENOTTY (got %d)", ret);
	ret = call(fd, 0, &v);
	CHECK(ret == -ENOTTY, "command 0 is ENOTTY (got %d)", ret);

	/* Bad pointers. */
	ret = call(fd, UPROBECTL_IOC_VERSION, NULL);
	CHECK(ret == -EFAULT, "NULL is EFAULT (got %d)", ret);
	ret = call(fd, UPROBECTL_IOC_VERSION, (void *)1);
	CHECK(ret == -EFAULT, "address 1 is EFAULT (got %d)", ret);
	ret = call(fd, UPROBECTL_IOC_VERSION, (void *)0xffff800000000000ul);
	CHECK(ret == -EFAULT, "a kernel address is EFAULT (got %d)", ret);
	pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	mprotect(pages + page, page, PROT_NONE);
	/* The size member is readable, the rest of the struct is not. */
	((struct uprobectl_version *)(pages + page - 8))->size = sizeof(v);
	ret = call(fd, UPROBECTL_IOC_VERSION, pages + page - 8);
	CHECK(ret == -EFAULT, "a struct running into an unmapped page is EFAULT (got %d)", ret);
	/* Readable but not writable: the answer cannot be written. */
	memset(pages, 0, page);
	((struct uprobectl_version *)pages)->size = sizeof(v);
	mprotect(pages, page, PROT_READ);
	ret = call(fd, UPROBECTL_IOC_VERSION, pages);
	CHECK(ret == -EFAULT, "a read-only struct is EFAULT (got %d)", ret);

	/* Hostile arguments of the probe calls. */
	{
		struct uprobectl_add a;
		struct uprobectl_del d;
		struct uprobectl_list l;
		struct uprobectl_probe_info info;

		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.path = 1;
		ret = call(fd, UPROBECTL_IOC_ADD, &a);
		CHECK(ret == -EFAULT, "ADD with a bad path pointer is EFAULT (got %d)", ret);
		a.path = (unsigned long)"/proc/self/exe";
		a.flags = 0x80;
		ret = call(fd, UPROBECTL_IOC_ADD, &a);
		CHECK(ret == -EINVAL && a.error[0], "ADD with unknown flags is EINVAL with a reason (got %d: %s)",
		      ret, a.error);
		a.flags = 0;
		a.pid = -5;
		ret = call(fd, UPROBECTL_IOC_ADD, &a);
		CHECK(ret == -EINVAL, "ADD with a negative pid is EINVAL (got %d)", ret);
		a.pid = 0;
		a.flags = UPROBECTL_ADD_FD;
		a.fd = 12345;
		ret = call(fd, UPROBECTL_IOC_ADD, &a);
		CHECK(ret == -EBADF, "ADD with a closed fd is EBADF (got %d)", ret);
		a.fd = fd;
		ret = call(fd, UPROBECTL_IOC_ADD, &a);
		CHECK(ret == -EINVAL, "ADD on the device's own fd is EINVAL (got %d)", ret);
		{
			/* A regular file open for writing only cannot be read (found by fuzz). */
			char tmp[] = "/tmp/abi.XXXXXX";
			int w = mkstemp(tmp);

			if (w >= 0) {
				close(w);
				w = open(tmp, O_WRONLY);
			}
			CHECK(w >= 0, "a write-only temporary file (%s)", strerror(errno));
			a.fd = w;
			a.error[0] = 0;
			ret = call(fd, UPROBECTL_IOC_ADD, &a);
			CHECK(ret == -EBADF && a.error[0],
			      "ADD on a write-only fd is EBADF with a reason (got %d: %s)", ret, a.error);
			close(w);
			unlink(tmp);
		}
		a.size = 8;
		ret = call(fd, UPROBECTL_IOC_ADD, &a);
		CHECK(ret == -EINVAL, "ADD below VER0 is EINVAL (got %d)", ret);

		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.ids = 1;
		d.count = 3;
		ret = call(fd, UPROBECTL_IOC_DEL, &d);
		CHECK(ret == -EFAULT, "DEL with a bad ids pointer is EFAULT (got %d)", ret);
		d.count = 0xffffffffu;
		ret = call(fd, UPROBECTL_IOC_DEL, &d);
		CHECK(ret == -EINVAL, "DEL of 4G ids is EINVAL (got %d)", ret);
		d.count = 0;
		d.flags = 0x40;
		ret = call(fd, UPROBECTL_IOC_DEL, &d);
		CHECK(ret == -EINVAL, "DEL with unknown flags is EINVAL (got %d)", ret);

		memset(&l, 0, sizeof(l));
		l.size = sizeof(l);
		l.entry_size = 0;
		ret = call(fd, UPROBECTL_IOC_LIST, &l);
		CHECK(ret == -EINVAL, "LIST with entry_size 0 is EINVAL (got %d)", ret);
		l.entry_size = 1 << 20;
		ret = call(fd, UPROBECTL_IOC_LIST, &l);
		CHECK(ret == -EINVAL, "LIST with a huge entry_size is EINVAL (got %d)", ret);
		l.entry_size = sizeof(info);
		l.count = 0;
		ret = call(fd, UPROBECTL_IOC_LIST, &l);
		CHECK(ret == 0 && l.filled == 0, "LIST with no room is fine (got %d)", ret);
	}

	/* Hostile arguments of the batch, event and stats calls. */
	{
		struct uprobectl_add_batch b;
		struct uprobectl_subscribe sub;
		struct uprobectl_event_stats es;
		struct uprobectl_stats st;
		char small[16];
		int fd2;

		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.entry_size = 8;
		b.count = 1;
		ret = call(fd, UPROBECTL_IOC_ADD_BATCH, &b);
		CHECK(ret == -EINVAL, "ADD_BATCH with entries below VER0 is EINVAL (got %d)", ret);
		b.entry_size = sizeof(struct uprobectl_add);
		b.count = 0xffffffffu;
		ret = call(fd, UPROBECTL_IOC_ADD_BATCH, &b);
		CHECK(ret == -EINVAL, "ADD_BATCH of 4G entries is EINVAL (got %d)", ret);
		b.count = 2;
		b.entries = 1;
		ret = call(fd, UPROBECTL_IOC_ADD_BATCH, &b);
		CHECK(ret == -EFAULT && b.added == 0, "ADD_BATCH with a bad pointer is EFAULT (got %d)", ret);
		b.count = 0;
		ret = call(fd, UPROBECTL_IOC_ADD_BATCH, &b);
		CHECK(ret == 0 && b.added == 0, "ADD_BATCH of nothing is fine (got %d)", ret);

		memset(&es, 0, sizeof(es));
		es.size = sizeof(es);
		ret = call(fd, UPROBECTL_IOC_EVENT_STATS, &es);
		CHECK(ret == -ENOENT, "EVENT_STATS unsubscribed is ENOENT (got %d)", ret);
		ret = read(fd, small, sizeof(small)) < 0 ? -errno : 0;
		CHECK(ret == -EINVAL, "read() unsubscribed is EINVAL (got %d)", ret);

		memset(&sub, 0, sizeof(sub));
		sub.size = sizeof(sub);
		sub.flags = 0x80;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -EINVAL, "SUBSCRIBE with unknown flags is EINVAL (got %d)", ret);
		sub.flags = UPROBECTL_SUB_IDS;
		sub.count = 0;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -EINVAL, "SUBSCRIBE to no ids is EINVAL (got %d)", ret);
		sub.count = UPROBECTL_SUB_MAX_IDS + 1;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -EINVAL, "SUBSCRIBE to too many ids is EINVAL (got %d)", ret);
		sub.count = 4;
		sub.ids = 1;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -EFAULT, "SUBSCRIBE with a bad ids pointer is EFAULT (got %d)", ret);
		sub.flags = UPROBECTL_SUB_PID;
		sub.pid = -1;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -ESRCH, "SUBSCRIBE to pid -1 is ESRCH (got %d)", ret);
		sub.flags = 0;
		sub.ring_size = 1ULL << 40;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -EINVAL, "SUBSCRIBE with a 1 TiB ring is EINVAL (got %d)", ret);
		sub.ring_size = 1;
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == 0, "SUBSCRIBE with a tiny ring gets the smallest (got %d)", ret);
		ret = call(fd, UPROBECTL_IOC_SUBSCRIBE, &sub);
		CHECK(ret == -EBUSY, "a second SUBSCRIBE is EBUSY (got %d)", ret);
		ret = read(fd, small, sizeof(small)) < 0 ? -errno : 0;
		CHECK(ret == -EINVAL, "read() into less than a record is EINVAL (got %d)", ret);
		fd2 = open(UPROBECTL_DEVICE, O_RDWR | O_NONBLOCK);
		if (fd2 >= 0) {
			char big[4096];
			void *volatile bad = (void *)1;

			sub.ring_size = 0;
			ret = call(fd2, UPROBECTL_IOC_SUBSCRIBE, &sub);
			CHECK(ret == 0, "SUBSCRIBE on a second file (got %d)", ret);
			ret = read(fd2, big, sizeof(big)) < 0 ? -errno : 0;
			CHECK(ret == -EAGAIN, "an empty non-blocking read() is EAGAIN (got %d)", ret);
			ret = read(fd2, bad, sizeof(big)) < 0 ? -errno : 0;
			CHECK(ret == -EAGAIN, "an empty read() into a bad buffer is EAGAIN (got %d)", ret);
			memset(&st, 0, sizeof(st));
			st.size = sizeof(st);
			ret = call(fd, UPROBECTL_IOC_STATS, &st);
			CHECK(ret == 0 && st.subscribers == 2 && st.clients == 2,
			      "STATS counts 2 subscribers and 2 files (got %d: %llu, %u)", ret,
			      (unsigned long long)st.subscribers, st.clients);
			close(fd2);
		}
		es.size = sizeof(es);
		ret = call(fd, UPROBECTL_IOC_EVENT_STATS, &es);
		CHECK(ret == 0 && !es.delivered && !es.lost && !es.queued,
		      "EVENT_STATS of a quiet subscription (got %d)", ret);
	}

	close(fd);
	printf("%s: %d failure(s)\n", argv[0], failures);
	return failures ? 1 : 0;
}
