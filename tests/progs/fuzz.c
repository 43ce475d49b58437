// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a seeded fuzzer of the control plane of /dev/uprobectl.
 *
 * fuzz [--seed N] [--seconds S] [--calls N] [--threads T] [--no-procs]
 *      [--no-reload] [--dir DIR] [--victim PID]... [--hold] [-v]
 *
 * Worker threads make random but plausible calls on a few shared files of
 * the device: every ioctl and unknown command numbers, with struct sizes,
 * pointers, ids, flags and counts at and past their limits; read() and
 * poll(); open, close (also while another thread is in a call on the same
 * file: the close happens when that call returns), dup, fd passing over a
 * unix socket, fork (the child fuzzes on briefly, then _exit) and rmmod
 * attempts. Each call's errno is checked against what
 * include/uapi/linux/uprobectl.h allows for that input, and its output
 * against the ABI rules; a failure names the seed, thread and call number.
 *
 * Probes go on instruction boundaries (the Makefile's .insns files;
 * function probes on function entries, exit probes on rets and jumps) of
 * the target program and the test library and its copies (a file, a
 * memfd), which the process thread maps, unmaps, mprotects and mremaps,
 * runs (checking every result) and runs in children that exit or exec the
 * target program (its output checked); random offsets go only into a copy
 * that nothing runs. Now and then the main thread stops everything, closes
 * every file, unloads the module and loads it again (not with --no-reload;
 * the rmmod attempts with files open, which must fail, are still made).
 *
 * Each thread draws from its own generator seeded from (seed, thread): the
 * seed fixes what each thread generates, not how threads interleave. With
 * --threads 1 --no-procs a seed gives the same calls in the same order up
 * to the first whose outcome depends on timing (a blocking read, a reload,
 * a child). -v prints every call. --hold: at the end print "fuzz: holding" and wait for
 * SIGUSR1 (so that our own mappings can be checked from outside).
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <linux/uprobectl.h>

extern char **environ;

#define PG	4096UL
typedef unsigned __int128 eset;		/* bit 0: success, bit e: errno e */
#define S(e)	((eset)1 << (e))
#define OK	S(0)
#define HAS(ST, m, us) (offsetof(ST, m) + sizeof(((ST *)0)->m) <= (us))
#define PICK(type, ...) ((type[]){ __VA_ARGS__ }[below(c, sizeof((type[]){ __VA_ARGS__ }) / sizeof(type))])

/* What every process of the run shares (forked children count too). */
enum { O_VERSION, O_ADD, O_DEL, O_LIST, O_STATS, O_BATCH, O_SUB, O_ESTATS, O_UNKNOWN,
       O_READ, O_POLL, O_RMMOD, NOPS };
static const char *const opname[NOPS] = { "VERSION", "ADD", "DEL", "LIST", "STATS", "ADD_BATCH",
	"SUBSCRIBE", "EVENT_STATS", "unknown", "read", "poll", "rmmod" };
static struct shared { atomic_ulong calls; atomic_int fails; atomic_uint hist[NOPS][128]; } *sh;

static uint64_t seed;
static unsigned long max_calls = ULONG_MAX;
static int verbose, nworkers = 3, procs = 1, reloads = 1, nvictims, sock[2], guard[8];
static atomic_int pausing, stopping;
static dev_t dev_rdev;
static char progdir[256], workdir[256];
static pid_t victims[8];

struct ctx {
	uint64_t r;		/* xorshift64* state */
	int tid, child, fails;	/* thread; in a forked child its number; failures seen */
	unsigned long n;	/* this thread's call number */
	unsigned char *a;	/* arena: A (48 pages) hole B (32) hole NONE RO C (2) hole */
	size_t bump;		/* scratch in B for this call */
	bool batch;		/* generating batch entries */
	timer_t timer;		/* interrupts blocking reads */
	char d[640];		/* the current call, described */
	size_t dl;
};
#define A_END(c)	((c)->a + 48 * PG)
#define B_(c)		((c)->a + 49 * PG)
#define B_END(c)	((c)->a + 81 * PG)
#define NONE_(c)	((c)->a + 82 * PG)
#define RO_(c)		((c)->a + 83 * PG)
#define C_END(c)	((c)->a + 86 * PG)
#define ARENA(t)	((unsigned char *)0x100000000000UL + (t) * 0x1000000UL)

static uint64_t rnd(struct ctx *c)
{
	c->r ^= c->r >> 12, c->r ^= c->r << 25, c->r ^= c->r >> 27;
	return c->r * 0x2545F4914F6CDD1DULL;
}
static uint64_t mix(uint64_t x)		/* splitmix64: a generator's seed */
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return (x ^ (x >> 31)) | 1;
}
static uint64_t below(struct ctx *c, uint64_t n) { return n ? rnd(c) % n : 0; }
static bool pct(struct ctx *c, int p) { return below(c, 100) < (uint64_t)p; }

static void say(const char *fmt, ...)	/* no stdio: children of threads use it too */
{
	char b[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (write(1, b, n < (int)sizeof(b) ? n : (int)sizeof(b) - 1) < 0)
		_exit(3);
}

static void D(struct ctx *c, const char *fmt, ...)	/* describe the call */
{
	va_list ap;

	if (c->dl >= sizeof(c->d) - 1)
		return;
	va_start(ap, fmt);
	c->dl += vsnprintf(c->d + c->dl, sizeof(c->d) - c->dl, fmt, ap);
	va_end(ap);
	if (c->dl >= sizeof(c->d))
		c->dl = sizeof(c->d) - 1;
}

static const char *ename(int e, char *b)
{
	static const char *const n[128] = { [0] = "ok", [EPERM] = "EPERM", [ENOENT] = "ENOENT",
		[ESRCH] = "ESRCH", [EINTR] = "EINTR", [EIO] = "EIO", [E2BIG] = "E2BIG", [EBADF] = "EBADF",
		[EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EFAULT] = "EFAULT",
		[EBUSY] = "EBUSY", [ENOTDIR] = "ENOTDIR", [EINVAL] = "EINVAL", [ENOTTY] = "ENOTTY",
		[ENOSPC] = "ENOSPC", [ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
		[ELOOP] = "ELOOP", [EILSEQ] = "EILSEQ", [EOPNOTSUPP] = "EOPNOTSUPP" };

	if (e >= 0 && e < 128 && n[e])
		return n[e];
	sprintf(b, "E%d", e);
	return b;
}

static void bad(struct ctx *c, const char *fmt, ...)
{
	char m[1024], cn[32] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	if (c->child)
		snprintf(cn, sizeof(cn), " (child %d)", c->child);
	say("fuzz: FAIL seed %" PRIu64 " thread %d%s call %lu: %s; in: %s\n", seed, c->tid, cn, c->n, m, c->d);
	atomic_fetch_add(&sh->fails, 1);
	c->fails++;
}

/* Count one call's outcome; it must be one of @want (false if not). */
static bool expect(struct ctx *c, int op, int err, eset want)
{
	char b[16], l[512] = "";

	atomic_fetch_add(&sh->hist[op][err > 0 && err < 128 ? err : err ? 127 : 0], 1);
	if (verbose)
		say("fuzz: thread %d%s call %lu: %s -> %s\n", c->tid, c->child ? " child" : "", c->n, c->d,
		    ename(err, b));
	if (err >= 0 && err < 128 && (want & S(err)))
		return true;
	for (int e = 0; e < 128; e++)
		if (want & S(e))
			snprintf(l + strlen(l), sizeof(l) - strlen(l), " %s", ename(e, b));
	bad(c, "got %s, expected one of%s", ename(err, b), l);
	return false;
}

/* ---- the files probes go on ---- */
enum { R_EXEC, R_JUNK, R_BAD };		/* run: boundaries only; never run; refused */
static struct tfile {
	char path[320];
	int fd, role;			/* fd -1: none, -2: the device's own */
	eset bad;			/* R_BAD: what any ADD on it gives */
	uint64_t xs[4], xe[4], ws, we;	/* executable segments; the writable one */
	int nx, nins;
	uint64_t *ins;			/* instruction boundaries (file offsets) */
	unsigned char *kind, *memo;	/* per boundary: 1 function entry, 2 ret/jump; 1 taken, 2 refused */
	uint64_t ud2, inval, libfunc;	/* symbols */
	unsigned char *data;		/* the bytes at the start */
	size_t size;
} T[40];
enum { F_TARGET, F_LIB, F_COPY, F_MEMFD, F_JUNK, F_ALIAS, NGOOD };
static int nT;

static unsigned char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	unsigned char *b = NULL;

	if (fd < 0 || fstat(fd, &st) || !(b = malloc(st.st_size + 1)) || read(fd, b, st.st_size) != st.st_size) {
		say("fuzz: cannot read %s: %s\n", path, strerror(errno));
		exit(2);
	}
	close(fd);
	*len = st.st_size;
	return b;
}

static char *wpath(const char *name)	/* in the work directory (static buffers, 8 in turn) */
{
	static char b[8][320];
	static int i;

	snprintf(b[i & 7], 320, "%s/%s", workdir, name);
	return b[i++ & 7];
}

static void spit(const char *name, const void *b, size_t len)
{
	int fd = open(wpath(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, b, len) != (ssize_t)len)
		exit(2);
	close(fd);
}

/* Segments and symbols (offsets equal addresses in these files). */
static void elf_parse(struct tfile *t)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)t->data;
	Elf64_Phdr *ph = (Elf64_Phdr *)(t->data + eh->e_phoff);
	Elf64_Shdr *sc = (Elf64_Shdr *)(t->data + eh->e_shoff);

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && t->nx < 4)
			t->xs[t->nx] = ph[i].p_offset, t->xe[t->nx++] = ph[i].p_offset + ph[i].p_filesz;
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W))
			t->ws = ph[i].p_offset, t->we = ph[i].p_offset + ph[i].p_filesz;
	}
	for (int i = 0; i < eh->e_shnum; i++) {
		Elf64_Sym *sym = (Elf64_Sym *)(t->data + sc[i].sh_offset);
		const char *str = (const char *)t->data + sc[sc[i].sh_link].sh_offset;

		for (size_t k = 0; (sc[i].sh_type == SHT_SYMTAB || sc[i].sh_type == SHT_DYNSYM) &&
				   k < sc[i].sh_size / sizeof(*sym); k++) {
			const char *nm = str + sym[k].st_name;

			if (!strcmp(nm, "lib_func"))
				t->libfunc = sym[k].st_value;
			if (!strcmp(nm, "bad_ud2"))
				t->ud2 = sym[k].st_value;
			if (!strcmp(nm, "bad_invalid"))
				t->inval = sym[k].st_value;
		}
	}
}

/* Boundaries from an .insns file; function entries, rets and jumps marked. */
static void insns_load(struct tfile *t, const char *name)
{
	char p[320], fn[256], prev[256] = "";
	unsigned long long off;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", progdir, name);
	if (!(f = fopen(p, "r")))
		exit(2);
	t->ins = malloc(65536 * 8), t->kind = calloc(65536, 1), t->memo = calloc(65536, 1);
	while (t->nins < 65536 && fscanf(f, "%llx %255s", &off, fn) == 2) {
		const unsigned char *b = t->data + off;
		int i = t->nins;

		if (off + 2 >= t->size)
			continue;
		t->ins[t->nins++] = off;
		t->kind[i] = strcmp(fn, prev) && fn[0] != '.';
		strcpy(prev, fn);
		while (*b == 0xf3 || *b == 0xf2 || *b == 0x3e || *b == 0x2e)
			b++;
		if (*b == 0xc3 || *b == 0xc2 || *b == 0xe9 || *b == 0xeb || (*b >= 0x70 && *b <= 0x7f) ||
		    (*b == 0x0f && (b[1] & 0xf0) == 0x80))
			t->kind[i] |= 2;
	}
	fclose(f);
}

static struct tfile *tf(const char *path, int fd, int role, eset bad)
{
	struct tfile *t = &T[nT++];

	snprintf(t->path, sizeof(t->path), "%s", path);
	t->fd = fd, t->role = role, t->bad = bad;
	return t;
}

/* ---- device files: slots the threads share, and what we know of each file ---- */
#define NSLOT 12
#define NFO 64
static struct fobj {
	int refs;
	atomic_int sub, pend;		/* subscribed; SUBSCRIBE calls in flight */
	atomic_uint seq;		/* SUBSCRIBE calls started */
	int sflags, spid, nids;		/* its filter (nids -1: ids unknown) */
	uint64_t ids[32];
} fobjs[NFO];
static struct slot { int fd, fo, users, closing; } slots[NSLOT];
static pthread_mutex_t slot_mx = PTHREAD_MUTEX_INITIALIZER;

static int fobj_new(void)	/* slot_mx held */
{
	for (int i = 0; i < NFO; i++)
		if (!fobjs[i].refs) {
			memset(&fobjs[i], 0, sizeof(fobjs[i]));
			fobjs[i].refs = 1;
			return i;
		}
	return -1;
}

static void slot_close(int i)		/* slot_mx held */
{
	close(slots[i].fd);
	fobjs[slots[i].fo].refs--;
	slots[i].fd = -1;
}

static void slot_set(int fd, int fo)	/* slot_mx held: into a free slot, else closed */
{
	for (int i = 0; i < NSLOT; i++)
		if (slots[i].fd < 0) {
			slots[i] = (struct slot){ fd, fo, 0, 0 };
			return;
		}
	close(fd);
	fobjs[fo].refs--;
}

/* A slot for this call: its fd stays open until slot_put (in a child: our copy). */
static int slot_get(struct ctx *c, int *fd, int *fo)
{
	int i = below(c, NSLOT), k;
	struct stat st;

	if (c->child) {
		*fd = slots[i].fd, *fo = -1;
		return *fd >= 0 && !fstat(*fd, &st) && S_ISCHR(st.st_mode) && st.st_rdev == dev_rdev ? i : -1;
	}
	pthread_mutex_lock(&slot_mx);
	for (k = 0; k < NSLOT && (slots[i].fd < 0 || slots[i].closing); k++)
		i = (i + 1) % NSLOT;
	if (k < NSLOT)
		slots[i].users++, *fd = slots[i].fd, *fo = slots[i].fo;
	pthread_mutex_unlock(&slot_mx);
	return k < NSLOT ? i : -1;
}

static void slot_put(struct ctx *c, int i)
{
	if (c->child)
		return;
	pthread_mutex_lock(&slot_mx);
	if (!--slots[i].users && slots[i].closing)
		slot_close(i);
	pthread_mutex_unlock(&slot_mx);
}

/* Was the file subscribed during the call? 1, 0, or -1 (a SUBSCRIBE raced). */
struct snap { int sub, pend; unsigned seq; };
static struct snap snap(int fo)
{
	return fo < 0 ? (struct snap){ 0, 1, 0 } : (struct snap){ atomic_load(&fobjs[fo].sub),
		atomic_load(&fobjs[fo].pend), atomic_load(&fobjs[fo].seq) };
}
static int subscribed(int fo, struct snap s0, unsigned mine)
{
	if (fo < 0)
		return -1;
	return s0.sub ? 1 : !s0.pend && atomic_load(&fobjs[fo].seq) == s0.seq + mine ? 0 : -1;
}

/* ---- probes we made, to pick ids from (loose: other threads race) ---- */
#define NID 2048
static struct pinfo { uint64_t id, off, cookie; signed char f, kind, pers, alive; } ptab[NID];
static int pnext, nalive;
static uint64_t maxid;
static pthread_mutex_t ptab_mx = PTHREAD_MUTEX_INITIALIZER;

static void ptab_add(struct ctx *c, const struct uprobectl_add *q, int f)
{
	if (c->child)
		return;
	pthread_mutex_lock(&ptab_mx);
	nalive += !ptab[pnext % NID].alive;
	ptab[pnext++ % NID] = (struct pinfo){ q->id, q->offset, q->cookie, f, q->kind,
					      !!(q->flags & UPROBECTL_ADD_PERSISTENT), 1 };
	maxid = q->id > maxid ? q->id : maxid;
	pthread_mutex_unlock(&ptab_mx);
}

static void ptab_dead(struct ctx *c, const uint64_t *ids, uint32_t n)	/* ids NULL: all */
{
	if (c->child)
		return;
	pthread_mutex_lock(&ptab_mx);
	for (int i = 0; i < NID; i++)
		for (uint32_t k = 0; ptab[i].alive && k < (ids ? n : 1); k++)
			if (!ids || ptab[i].id == ids[k])
				ptab[i].alive = 0, nalive--;
	pthread_mutex_unlock(&ptab_mx);
}

/* An id: one we made (*maybe: it may still exist; @kind >= 0: an entry probe of file @f), or one never issued. */
static uint64_t pick_id(struct ctx *c, int kind, int f, bool *maybe)
{
	int i = below(c, NID), made = pct(c, 85);
	uint64_t never = PICK(uint64_t, ~0ULL, 1ULL << 62, maxid + 1000000000ULL);

	*maybe = false;
	for (int k = 0; made && k < NID; k++, i = (i + 1) % NID)
		if (ptab[i].id && (kind < 0 || (ptab[i].kind == kind && ptab[i].f == f && ptab[i].alive))) {
			*maybe = true;
			return ptab[i].id;
		}
	return never;
}

/* ---- children, and the table the reaper checks their ends against ---- */
enum { K_FUZZ, K_RUN, K_EXEC, K_MODPROBE };
#define NKID 24
static struct kid { pid_t pid; int kind, tid; unsigned long n; char want[96], out[320]; } kids[NKID];
static int nkids;
static pthread_mutex_t kid_mx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kid_cv = PTHREAD_COND_INITIALIZER;

static pid_t kid_pid(struct ctx *c)	/* one of our children (it may be gone by now), or ourselves */
{
	pid_t p = kids[below(c, NKID)].pid;

	return p > 0 ? p : getpid();
}

/* ---- pointers and placements ---- */
static uint64_t badptr(struct ctx *c)	/* NULL, kernel, non-canonical, unmapped, PROT_NONE */
{
	switch (below(c, 3)) {
	case 0: return PICK(uint64_t, 0, 1, 0xffff888000000000ULL, 0xffffffff81000000ULL,
			    0x8000000000000000ULL, ~0ULL - 7, 0x0000800000000000ULL);
	case 1: return (uintptr_t)(pct(c, 50) ? A_END(c) : B_END(c)) + below(c, PG);
	default: return (uintptr_t)NONE_(c) + (below(c, PG) & ~7UL);
	}
}

static void *bump(struct ctx *c, size_t len)	/* scratch in B, after the struct's page */
{
	void *p;

	if (c->bump + len > 24 * PG)
		c->bump = PG;
	p = B_(c) + c->bump;
	c->bump = (c->bump + len + 7) & ~7UL;
	return p;
}

/*
 * The struct of a call: the size it claims and where it lies. From the
 * first published size to this header's: an older caller (accepted);
 * larger: a zero tail (accepted) or not (E2BIG, the known size written
 * back); below VER0: EINVAL; over a page: E2BIG. It lies in the middle of
 * a page, ends where unmapped memory begins, is read-only (the answer
 * cannot be written: EFAULT), runs into unmapped memory, or is not user
 * memory at all.
 */
enum { PL_MID, PL_END, PL_RO, PL_CROSS, PL_BAD };
struct call { unsigned char *p; uint32_t usize, ksize; size_t len; int pl, err; eset pset; };

static uint32_t pick_size(struct ctx *c, uint32_t ksize, uint32_t v0, int *tail)
{
	int k = below(c, 100);

	*tail = k >= 80 && k < 87 ? 1 : k >= 87 && k < 94 ? 2 : k >= 97;
	if (k < 70)
		return ksize;
	if (k < 80)
		return v0 + below(c, ksize - v0 + 1);
	if (k < 94)
		return ksize + (pct(c, 80) ? 8 * (1 + below(c, 4)) : 1 + below(c, 64));
	if (k < 97)
		return PICK(uint32_t, 0, 4, v0 - 1, v0 - 8, 1);
	return PICK(uint32_t, PG, PG + 1, 2 * PG, 0xffffffffu, 1u << 31);
}

static void put_struct(struct ctx *c, int fd, unsigned long cmd, const void *tmpl, uint32_t ksize,
		       uint32_t v0, uint32_t usize, int tail, bool can_end, struct call *k)
{
	unsigned char tmp[PG];
	size_t len = usize > ksize ? (usize <= PG ? usize : ksize) : usize < 4 ? 4 : usize;
	int r = below(c, 100);

	memset(tmp, 0, len);
	memcpy(tmp, tmpl, len < ksize ? len : ksize);
	memcpy(tmp, &usize, 4);
	if (tail == 2 && len > ksize)
		tmp[ksize + below(c, len - ksize)] = 1 + below(c, 255);
	*k = (struct call){ .usize = usize, .ksize = ksize, .len = len };
	memset(B_(c), 0xa5, PG);
	if (r < 60 || (!can_end && r < 80)) {
		k->pl = PL_MID, k->p = B_(c) + 8 * below(c, (PG - len) / 8 + 1);
	} else if (r < 80) {
		k->pl = PL_END, k->p = B_END(c) - len;
	} else if (r < 88) {
		k->pl = PL_RO, k->p = RO_(c) + 8 * below(c, (PG - len) / 8 + 1);
		mprotect(RO_(c), PG, PROT_READ | PROT_WRITE);
	} else if (r < 94 && usize >= v0 && usize <= PG && tail != 2 && len > 8) {
		k->pl = PL_CROSS, k->len = 4 + 4 * below(c, (len - 4) / 4);
		k->p = B_END(c) - k->len;
	} else {
		k->pl = PL_BAD, k->p = (unsigned char *)(uintptr_t)badptr(c);
	}
	if (k->pl != PL_BAD)
		memcpy(k->p, tmp, k->len);
	if (k->pl == PL_RO)
		mprotect(RO_(c), PG, PROT_READ);
	D(c, " size=%u%s at=%s", usize, tail == 2 ? "+junk" : "",
	  (const char *[]){ "mid", "end", "ro", "cross", "bad" }[k->pl]);
	if (k->pl == PL_BAD)
		k->pset = S(EFAULT);
	else if (usize < v0)
		k->pset = S(EINVAL);
	else if (usize > PG || tail == 2)
		k->pset = k->pl == PL_RO ? S(EFAULT) : S(E2BIG);
	else if (k->pl == PL_CROSS)
		k->pset = S(EFAULT);
	k->err = ioctl(fd, cmd, k->p) < 0 ? errno : 0;
	atomic_fetch_add(&sh->calls, 1);
}

/* Judge a struct call whose content allows @sem; true if it went in and out normally. */
static bool judge(struct ctx *c, int op, struct call *k, eset sem, bool has_out)
{
	eset want = k->pset ? k->pset : k->pl == PL_RO && has_out ? (sem & ~OK) | S(EFAULT) : sem;
	uint32_t sz;

	if (!expect(c, op, k->err, want | S(ENOMEM)) || k->pl == PL_BAD || k->pl == PL_RO)
		return false;
	memcpy(&sz, k->p, 4);
	if (k->err == E2BIG && k->pset == S(E2BIG) && sz != k->ksize)
		bad(c, "E2BIG wrote back size %u, not %u", sz, k->ksize);
	if (k->pset)
		return false;
	if (!k->err && sz != k->usize)
		bad(c, "size member changed to %u", sz);
	for (size_t i = k->ksize; i < k->len; i++)
		if (k->p[i]) {
			bad(c, "byte %zu of the zero tail written", i);
			break;
		}
	for (size_t i = k->len; k->pl == PL_MID && i < k->len + 64 && k->p + i < B_(c) + PG; i++)
		if (k->p[i] != 0xa5) {
			bad(c, "byte %zu past the struct written", i);
			break;
		}
	return true;
}

/* ---- ADD: a probe's request, and what it allows ---- */
struct addx { int f, ins; bool clean; eset want; };

static uint64_t gen_path(struct ctx *c, struct tfile *t, eset *def)
{
	size_t l = strlen(t->path);
	int r = below(c, 100);

	if (r < 88 || (c->batch && r < 95))
		return (uintptr_t)t->path;
	if (r < 95) {		/* the NUL the last byte before unmapped memory, or no NUL */
		memcpy(C_END(c) - l - (r < 92), t->path, l + (r < 92));
		*def |= r < 92 ? 0 : S(EFAULT);
		return (uintptr_t)(C_END(c) - l - (r < 92));
	}
	if (r < 97) {		/* longer than PATH_MAX */
		memset(c->a, 'a', 4200), c->a[4200] = 0;
		*def |= S(ENAMETOOLONG);
		return (uintptr_t)c->a;
	}
	*def |= S(EFAULT);
	return badptr(c);
}

static eset gen_args(struct ctx *c, struct uprobectl_add *q)
{
	static const unsigned char types[] = { 0x11, 0x12, 0x14, 0x18, 0x21, 0x22, 0x24, 0x28,
					       0x31, 0x32, 0x34, 0x38, UPROBECTL_TYPE_STRING };
	bool ret = q->kind == UPROBECTL_KIND_EXIT || q->kind == UPROBECTL_KIND_RETURN;
	int n = 1 + below(c, c->batch ? 4 : 16), defect = pct(c, 30) ? 1 + below(c, c->batch ? 7 : 8) : 0;
	uint32_t asz = defect == 1 ? below(c, 80) : defect == 2 ? PG + 1 + below(c, 1 << 20) :
		       defect == 3 || defect == 4 ? 88 : 80;
	unsigned char *a = bump(c, n * (asz <= 88 ? 88 : 0) + 80);

	memset(a, 0, n * (asz <= 88 ? 88 : 0) + 80);
	for (int i = 0; i < n && asz <= 88; i++) {
		struct uprobectl_fetch *f = (void *)(a + i * asz);

		f->base = 1 + below(c, ret ? 3 : 2);
		f->reg = below(c, UPROBECTL_NR_REGS);
		f->type = types[below(c, sizeof(types))];
		f->depth = f->type == UPROBECTL_TYPE_STRING ? 1 + below(c, 4) : below(c, 5);
		f->imm = rnd(c);
		for (int k = 0; k < 4; k++)
			f->off[k] = (int64_t)below(c, 64) - 32;
		snprintf(f->name, sizeof(f->name), "a%d", i);
	}
	if (defect == 4)	/* an unknown member set */
		a[below(c, n) * asz + 80 + below(c, 8)] = 1;
	if (defect == 5) {	/* a field no version knows */
		struct uprobectl_fetch *f = (void *)(a + below(c, n) * asz);

		switch (below(c, 6)) {
		case 0: f->base = pct(c, 50) ? 0 : 4 + below(c, 252); break;
		case 1: f->base = UPROBECTL_FETCH_REG, f->reg = UPROBECTL_NR_REGS + below(c, 200); break;
		case 2: f->type = PICK(uint8_t, 0, 0x13, 0x10, 0x41, 0x48, 0x19, 0xff); break;
		case 3: f->depth = 5 + below(c, 250); break;
		case 4: f->pad = 1 + below(c, 1000); break;
		default: if (ret) f->type = UPROBECTL_TYPE_STRING, f->depth = 0;
			 else f->base = UPROBECTL_FETCH_RETVAL;
		}
	}
	if (defect == 8)	/* the last one runs into unmapped memory */
		a = memcpy(A_END(c) - n * asz + 8, a, n * asz - 8);
	q->args = defect == 7 ? badptr(c) : (uintptr_t)a;
	q->nargs = defect == 6 ? PICK(uint32_t, 17, 1000, 0xffffffffu) : (uint32_t)n;
	q->arg_size = asz;
	D(c, " nargs=%u arg_size=%u defect=%d", q->nargs, asz, defect);
	return (eset[]){ 0, S(EINVAL), S(EINVAL), 0, S(E2BIG), S(EINVAL), S(EINVAL), S(EFAULT), S(EFAULT) }[defect];
}

/*
 * An ADD request. The errnos of its defects (each the spec's for that
 * defect); with none, what the file and offset give: for an instruction
 * boundary of a file that runs, success or EOPNOTSUPP, the same each time.
 */
static void gen_add(struct ctx *c, struct uprobectl_add *q, uint32_t us, int devfd, struct addx *x)
{
	eset def = 0, base = OK;
	struct tfile *t;
	int f = 0, r;
	bool maybe, v3 = HAS(struct uprobectl_add, group, us);

	memset(q, 0, sizeof(*q));
	static const int w[NGOOD] = { 20, 20, 20, 10, 15, 3 };	/* target, lib, copy, memfd, junk, alias */

	if (pct(c, 85))
		for (r = below(c, 88); r >= w[f]; f++)
			r -= w[f];
	else
		f = NGOOD + below(c, nT - NGOOD);
	t = &T[f];
	*x = (struct addx){ f, -1, false, 0 };
	D(c, " file=%d", f);
	q->flags = pct(c, 30) ? UPROBECTL_ADD_PERSISTENT : 0;
	if (t->fd != -1 && (!t->path[0] || pct(c, 30))) {
		q->flags |= UPROBECTL_ADD_FD;
		q->fd = t->fd == -2 ? devfd : t->fd;
		q->path = rnd(c);	/* unused */
	} else {
		q->path = gen_path(c, t, &def);
	}
	if (t->role == R_EXEC) {	/* function probes on entries, exit probes on rets and jumps */
		int kind = !v3 ? 0 : (r = below(c, 100)) < 55 ? 0 : r < 70 ? UPROBECTL_KIND_ENTRY :
			   r < 85 ? UPROBECTL_KIND_RETURN : UPROBECTL_KIND_EXIT;
		int need = kind == UPROBECTL_KIND_EXIT ? 2 : kind ? 1 : 0, i = below(c, t->nins);

		for (int k = 0; need && k < t->nins && !(t->kind[i] & need); k++)
			i = (i + 1) % t->nins;
		q->kind = kind, q->offset = t->ins[i], x->ins = i;
		base = t->memo[i] == 1 ? OK : t->memo[i] == 2 ? S(EOPNOTSUPP) : OK | S(EOPNOTSUPP);
		if ((r = below(c, 100)) < 10) {	/* outside the text */
			q->offset = r < 4 ? below(c, t->xs[0]) : r < 8 ? t->xe[t->nx - 1] + below(c, 1 << 20) :
				    PICK(uint64_t, ~0ULL, 1ULL << 63, 1ULL << 32);
			def |= S(ERANGE), x->ins = -1;
		} else if (r < 14 && t->ud2) {	/* ud2; a byte that is no instruction */
			q->offset = r < 12 ? t->ud2 : t->inval, x->ins = -1;
			base = r < 12 ? S(EOPNOTSUPP) : S(EILSEQ);
		}
	} else if (t->role == R_JUNK) {	/* never run: anything anywhere */
		q->kind = v3 ? below(c, 4) : 0;
		if ((r = below(c, 100)) < 60) {
			q->offset = t->xs[0] + below(c, t->xe[0] - t->xs[0]);
			base = OK | S(EILSEQ) | S(EOPNOTSUPP);
		} else if (r < 85) {
			q->offset = t->ins[below(c, t->nins)], base = OK | S(EOPNOTSUPP);
		} else {
			q->offset = t->xe[t->nx - 1] + below(c, 1 << 16), def |= S(ERANGE);
		}
	} else {
		base = t->bad, q->offset = below(c, 1 << 16);
	}
	if (v3 && q->kind == UPROBECTL_KIND_EXIT && (r = below(c, 100)) >= 40) {
		if (r < 75) {		/* an entry probe of this file */
			q->group = pick_id(c, UPROBECTL_KIND_ENTRY, f == F_ALIAS ? F_COPY : f, &maybe);
			base |= maybe ? S(ENOENT) : 0, def |= maybe ? 0 : S(ENOENT);
		} else if (r < 85) {
			q->group = ~0ULL, def |= S(ENOENT);
		} else {		/* of another file */
			q->group = pick_id(c, UPROBECTL_KIND_ENTRY, f == F_LIB ? F_TARGET : F_LIB, &maybe);
			def |= S(EINVAL) | S(ENOENT);
		}
	} else if (v3 && pct(c, 3)) {
		q->kind = q->kind == UPROBECTL_KIND_EXIT ? 0 : q->kind;
		q->group = 1 + below(c, 1000), def |= S(EINVAL);
	}
	if (v3 && pct(c, 3))
		q->kind = pct(c, 50) ? 4 + below(c, 100) : ~0u, def |= S(EINVAL);
	if (v3 && pct(c, 2))
		q->pad = 1 + below(c, 100), def |= S(EINVAL);
	if (HAS(struct uprobectl_add, arg_size, us) && pct(c, 25))
		def |= gen_args(c, q);
	if (HAS(struct uprobectl_add, semaphore, us) && pct(c, 8)) {	/* odd; not writable; valid (junk) */
		r = below(c, 3);
		q->semaphore = r == 0 ? (t->ws | 1) + 2 * below(c, 8) : 2;
		if (r == 2 && t->role == R_JUNK)
			q->semaphore = (t->ws + below(c, t->we - t->ws - 2)) & ~1ULL;
		def |= r == 0 ? S(EINVAL) : r == 1 || t->role != R_JUNK ? S(ERANGE) : 0;
	}
	if (pct(c, 4))
		q->flags |= 1u << (2 + below(c, 30)), def |= S(EINVAL);
	if ((r = below(c, 100)) >= 75) {	/* scoped to: us, a victim, our thread; none */
		q->pid = r < 80 ? getpid() : r < 85 && nvictims ? victims[below(c, nvictims)] :
			 r < 87 ? (pid_t)syscall(SYS_gettid) : r < 90 ? kid_pid(c) : r < 95 ? -1 - (pid_t)below(c, 1000) :
			 0x3ffffff0 + (pid_t)below(c, 15);
		def |= q->pid < 0 ? S(EINVAL) : q->pid >= 0x3ffffff0 ? S(ESRCH) : 0;
		base |= (r >= 80 && r < 85) || (r >= 87 && r < 90) ? S(ESRCH) : 0;
	}
	q->cookie = rnd(c);
	if (pct(c, 20))
		memset(q->name, 'n', sizeof(q->name));
	else
		snprintf(q->name, sizeof(q->name), "fz%u", (unsigned)below(c, 1000));
	D(c, " off=0x%llx kind=%u flags=0x%x fd=%d pid=%d group=%llu sem=0x%llx", (unsigned long long)q->offset,
	  q->kind, q->flags, q->fd, q->pid, (unsigned long long)q->group, (unsigned long long)q->semaphore);
	x->clean = !def;
	x->want = (def ? def | (base & ~OK) : base) | S(ENOMEM);
}

/* An ADD (or a batch entry) went through: learn and check. */
static void add_done(struct ctx *c, struct uprobectl_add *q, struct addx *x, int err)
{
	struct tfile *t = &T[x->f == F_ALIAS ? F_COPY : x->f];

	if (!err && !q->id)
		bad(c, "a probe added with id 0");
	if (!err)
		ptab_add(c, q, x->f == F_ALIAS ? F_COPY : x->f);
	else if (err != ENOMEM && err != EFAULT && !q->error[0])
		bad(c, "%s without a reason in error", ename(err, (char[16]){ 0 }));
	if (x->ins >= 0 && x->clean && (err == 0 || err == EOPNOTSUPP)) {
		if (t->memo[x->ins] && t->memo[x->ins] != (err ? 2 : 1))
			bad(c, "offset 0x%llx was %s before", (unsigned long long)q->offset, err ? "taken" : "refused");
		t->memo[x->ins] = err ? 2 : 1;
	}
}

static void op_add(struct ctx *c, int fd)
{
	struct uprobectl_add q;
	struct addx x;
	struct call k;
	int tail;
	uint32_t us = pick_size(c, sizeof(q), UPROBECTL_ADD_SIZE_VER0, &tail);

	D(c, "ADD");
	gen_add(c, &q, us, fd, &x);
	put_struct(c, fd, UPROBECTL_IOC_ADD, &q, sizeof(q), UPROBECTL_ADD_SIZE_VER0, us, tail, true, &k);
	if (judge(c, O_ADD, &k, x.want, true)) {
		memcpy(&q, k.p, k.len < sizeof(q) ? k.len : sizeof(q));
		add_done(c, &q, &x, k.err);
	}
}

/* ADD_BATCH: every entry tried; results, ids and the first failure checked. */
static void op_batch(struct ctx *c, int fd)
{
	struct uprobectl_add_batch b = { 0 };
	struct uprobectl_add q;
	struct addx x[64];
	struct call k;
	eset want = OK, all = 0;
	int tail, r = below(c, 100), junk = -1, first = 0, added = 0;
	uint32_t us = pick_size(c, sizeof(b), UPROBECTL_ADD_BATCH_SIZE_VER0, &tail), n = 0, cap;
	unsigned char *e;
	int32_t *res = NULL;

	b.entry_size = r < 25 ? UPROBECTL_ADD_SIZE_VER0 + below(c, 41) : r < 35 ? sizeof(q) + 8 * (1 + below(c, 4)) :
		       r < 39 ? (pct(c, 50) ? below(c, UPROBECTL_ADD_SIZE_VER0) : PG + 1 + below(c, 99999)) : sizeof(q);
	cap = b.entry_size ? 48 * PG / b.entry_size : 0;
	r = below(c, 100);
	b.count = r < 8 ? 0 : r < 85 ? 1 + below(c, 8) : r < 93 ? 9 + below(c, 56) :
		  PICK(uint32_t, 65536, 65537, 0xffffffffu, cap + 1);
	D(c, "ADD_BATCH count=%u entry_size=%u", b.count, b.entry_size);
	e = A_END(c) - (size_t)(b.count < cap ? b.count : cap) * b.entry_size;
	if (b.entry_size < UPROBECTL_ADD_SIZE_VER0 || b.entry_size > PG || b.count > 65536) {
		want = S(EINVAL);
	} else if (b.count > 64) {	/* refused entries until unmapped memory */
		memset(e, 0, (size_t)cap * b.entry_size);
		for (uint32_t i = 0; i < cap; i++)
			((struct uprobectl_add *)(e + (size_t)i * b.entry_size))->flags = 0x80;
		want = S(EFAULT);
	} else if (b.count) {
		c->batch = true;
		for (n = 0; n < b.count; n++) {
			gen_add(c, &q, b.entry_size < sizeof(q) ? b.entry_size : sizeof(q), fd, &x[n]);
			memset(e + n * b.entry_size, 0, b.entry_size);
			memcpy(e + n * b.entry_size, &q, b.entry_size < sizeof(q) ? b.entry_size : sizeof(q));
			all |= x[n].want & ~OK;
			want &= x[n].want | ~OK;
		}
		c->batch = false;
		want |= all;
		if (b.entry_size > sizeof(q) && pct(c, 40)) {	/* unknown members set in one entry */
			junk = below(c, b.count);
			e[junk * b.entry_size + sizeof(q) + below(c, b.entry_size - sizeof(q))] = 1;
			want = S(E2BIG);
		}
		r = below(c, 100);
		res = r < 30 ? NULL : r < 93 ? (int32_t *)(B_END(c) - 4 * b.count) : (int32_t *)(uintptr_t)(badptr(c) | 1);
		if (r >= 93)
			want = S(EFAULT) | (junk == 0 ? S(E2BIG) : 0);
		else if (res)
			memset(res, 0x55, 4 * b.count);
		if (pct(c, 3))
			e = (unsigned char *)(uintptr_t)badptr(c), want = S(EFAULT), n = 0;
	}
	b.entries = (uintptr_t)e, b.results = (uintptr_t)res;
	put_struct(c, fd, UPROBECTL_IOC_ADD_BATCH, &b, sizeof(b), UPROBECTL_ADD_BATCH_SIZE_VER0, us, tail, false, &k);
	if (!judge(c, O_BATCH, &k, want, true) || !n || junk >= 0 || !res || want == S(EFAULT) || k.err == ENOMEM ||
	    k.err == EFAULT)
		return;
	memcpy(&b, k.p, sizeof(b));
	for (uint32_t i = 0; i < n; i++) {	/* results are -errno */
		memcpy(&q, e + i * b.entry_size, b.entry_size < sizeof(q) ? b.entry_size : sizeof(q));
		if (res[i] > 0 || res[i] <= -128 || !(x[i].want & S(-res[i])) || !res[i] != !!q.id)
			bad(c, "entry %u: result %d, id %llu", i, res[i], (unsigned long long)q.id);
		added += !res[i];
		first = first ? first : -res[i];
		add_done(c, &q, &x[i], -res[i]);
	}
	if (added != (int)b.added || k.err != first)
		bad(c, "added %u (results say %d), returned %d, first failure %d", b.added, added, k.err, first);
}

/* ---- DEL, LIST, VERSION, STATS, SUBSCRIBE, EVENT_STATS, unknown commands ---- */
static void op_del(struct ctx *c, int fd)
{
	struct uprobectl_del d = { 0 };
	struct call k;
	int tail, r = below(c, 100);
	bool any = false, maybe;
	uint32_t us = pick_size(c, sizeof(d), UPROBECTL_DEL_SIZE_VER0, &tail), cap = 48 * PG / 8;
	uint64_t *ids;
	eset want;

	d.flags = r < 4 ? UPROBECTL_DEL_ALL : r < 8 ? 1u << (1 + below(c, 31)) : 0;
	r = below(c, 100);
	d.count = r < 8 ? 0 : r < 85 ? 1 + below(c, 8) : r < 92 ? 9 + below(c, 200) :
		  PICK(uint32_t, 65536, 65537, 0xffffffffu, cap + 1);
	ids = (uint64_t *)A_END(c) - (d.count < cap ? d.count : cap);
	for (uint32_t i = 0; i < d.count && i < cap; i++) {
		ids[i] = i < 256 ? pick_id(c, -1, 0, &maybe) : ~0ULL;
		any |= i < 256 && maybe;
	}
	d.ids = pct(c, 5) ? badptr(c) : (uintptr_t)ids;
	D(c, "DEL flags=0x%x count=%u ids[0]=%llu", d.flags, d.count,
	  d.count && d.ids == (uintptr_t)ids ? (unsigned long long)ids[0] : 0ULL);
	want = (d.flags & ~UPROBECTL_DEL_ALL) || d.count > 65536 ? S(EINVAL) :
	       (d.flags & UPROBECTL_DEL_ALL) || !d.count ? OK : d.ids != (uintptr_t)ids || d.count > cap ? S(EFAULT) :
	       any ? OK | S(ENOENT) : S(ENOENT);
	put_struct(c, fd, UPROBECTL_IOC_DEL, &d, sizeof(d), UPROBECTL_DEL_SIZE_VER0, us, tail, true, &k);
	if (!judge(c, O_DEL, &k, want, true))
		return;
	memcpy(&d, k.p, sizeof(d));
	if ((k.err == ENOENT && d.deleted) || (!k.err && !d.flags && d.count && !d.deleted))
		bad(c, "returned %d with deleted %u", k.err, d.deleted);
	if (!k.err || k.err == ENOENT)
		ptab_dead(c, d.flags ? NULL : ids, d.count < 256 ? d.count : 256);
}

static void op_list(struct ctx *c, int fd)
{
	struct uprobectl_list l = { 0 };
	struct call k;
	int tail;
	uint32_t us = pick_size(c, sizeof(l), UPROBECTL_LIST_SIZE_VER0, &tail), cap, room, es;
	unsigned char *e;

	l.entry_size = es = PICK(uint32_t, sizeof(struct uprobectl_probe_info), 1920, 1920, 1904, 1912, 616, 40,
				 2048, PG, 0, 39, PG + 1, 1 << 20, 0xffffffffu);
	cap = es && es <= PG ? 48 * PG / es : 0;
	l.count = room = pct(c, 10) ? 0 : pct(c, 80) ? 1 + below(c, 32) : pct(c, 50) ? 0xffffffffu : cap + 1;
	e = A_END(c) - (size_t)(room < cap ? room : cap) * es;
	memset(e, 0xa5, A_END(c) - e);
	l.entries = pct(c, 5) ? badptr(c) : (uintptr_t)e;
	D(c, "LIST entry_size=%u count=%u", es, room);
	put_struct(c, fd, UPROBECTL_IOC_LIST, &l, sizeof(l), UPROBECTL_LIST_SIZE_VER0, us, tail, true, &k);
	if (!judge(c, O_LIST, &k, es < 40 || es > PG ? S(EINVAL) :
		   room > cap || l.entries != (uintptr_t)e ? OK | S(EFAULT) : OK, true) || k.err ||
	    l.entries != (uintptr_t)e)
		return;
	memcpy(&l, k.p, sizeof(l));
	if (l.filled > l.count || l.filled > (room < cap ? room : cap))
		bad(c, "filled %u of %u, %u probes", l.filled, room, l.count);
	for (uint32_t i = 0; i < l.filled && i < cap; i++) {	/* sane, and as we made it */
		struct uprobectl_probe_info v = { 0 };
		unsigned char *p = e + (size_t)i * es;

		memcpy(&v, p, es < sizeof(v) ? es : sizeof(v));
		if (!v.id || (v.flags & ~3u) || (es >= 616 && (!memchr(v.path, 0, sizeof(v.path)) ||
		    (strncmp(v.path, workdir, strlen(workdir)) && strncmp(v.path, progdir, strlen(progdir)) &&
		     strncmp(v.path, "/memfd:", 7)))) || (es >= 1904 && (v.kind > 3 || v.nargs > 16)))
			bad(c, "entry %u: id %llu flags 0x%x kind %u nargs %u path '%.64s'", i,
			    (unsigned long long)v.id, v.flags, v.kind, v.nargs, es >= 616 ? v.path : "");
		for (size_t j = sizeof(v); j < es; j++)
			if (p[j]) {
				bad(c, "entry %u: byte %zu past the struct not cleared", i, j);
				break;
			}
		if (!c->child)
			pthread_mutex_lock(&ptab_mx);
		for (int j = 0; es >= 1920 && j < NID; j++)
			if (ptab[j].id == v.id && ptab[j].alive && (ptab[j].off != v.offset ||
			    ptab[j].cookie != v.cookie || ptab[j].kind != (int)v.kind || ptab[j].pers != (int)(v.flags & 1)))
				bad(c, "entry %u: probe %llu listed as offset 0x%llx kind %u flags %u", i,
				    (unsigned long long)v.id, (unsigned long long)v.offset, v.kind, v.flags);
		if (!c->child)
			pthread_mutex_unlock(&ptab_mx);
	}
	for (size_t j = (size_t)l.filled * es; j < (size_t)(room < cap ? room : cap) * es; j++)
		if (e[j] != 0xa5) {
			bad(c, "byte %zu past the %u entries filled written", j, l.filled);
			break;
		}
}

static void op_info(struct ctx *c, int fd, int fo, int op)	/* VERSION, STATS, EVENT_STATS */
{
	union { struct uprobectl_version v; struct uprobectl_stats s; struct uprobectl_event_stats e; } u = { 0 };
	uint32_t ks = op == O_VERSION ? sizeof(u.v) : op == O_STATS ? sizeof(u.s) : sizeof(u.e);
	uint32_t v0 = op == O_VERSION ? UPROBECTL_VERSION_SIZE_VER0 : op == O_STATS ? UPROBECTL_STATS_SIZE_VER0 :
		      UPROBECTL_EVENT_STATS_SIZE_VER0;
	int tail, sub;
	uint32_t us = pick_size(c, ks, v0, &tail);
	struct snap s0 = snap(fo);
	struct call k;

	D(c, "%s", opname[op]);
	put_struct(c, fd, op == O_VERSION ? UPROBECTL_IOC_VERSION : op == O_STATS ? UPROBECTL_IOC_STATS :
		   UPROBECTL_IOC_EVENT_STATS, &u, ks, v0, us, tail, true, &k);
	sub = op == O_ESTATS ? subscribed(fo, s0, 0) : 1;
	if (!judge(c, op, &k, sub == 1 ? OK : sub == 0 ? S(ENOENT) : OK | S(ENOENT), true) || k.err)
		return;
	memcpy(&u, k.p, k.len < ks ? k.len : ks);
	if (op == O_VERSION && (u.v.abi_version != UPROBECTL_ABI_VERSION || (u.v.features & 0x7f) != 0x7f ||
				(us >= sizeof(u.v) && !memchr(u.v.module_version, 0, UPROBECTL_MODVERSION_LEN))))
		bad(c, "version: abi %u features 0x%llx", u.v.abi_version, (unsigned long long)u.v.features);
	if (op == O_STATS && !u.s.clients)
		bad(c, "stats: no file counted");
	if (op == O_ESTATS && u.e.queued > u.e.delivered)
		bad(c, "queued %llu > delivered %llu", (unsigned long long)u.e.queued,
		    (unsigned long long)u.e.delivered);
}

static void op_sub(struct ctx *c, int fd, int fo)
{
	struct uprobectl_subscribe s = { 0 };
	struct call k;
	struct snap s0 = snap(fo);
	eset def = 0, race = 0;
	int tail, r = below(c, 100), sub;
	uint32_t us = pick_size(c, sizeof(s), UPROBECTL_SUBSCRIBE_SIZE_VER0, &tail);
	uint64_t *ids = (uint64_t *)A_END(c);
	bool maybe;

	s.flags = r < 40 ? 0 : r < 65 ? UPROBECTL_SUB_IDS : r < 85 ? UPROBECTL_SUB_PID : r < 92 ? 3 :
		  1u << (2 + below(c, 30));
	def |= s.flags > 3 ? S(EINVAL) : 0;
	if (s.flags & UPROBECTL_SUB_IDS) {
		r = below(c, 100);
		s.count = r < 85 ? 1 + below(c, 16) : r < 90 ? UPROBECTL_SUB_MAX_IDS : PICK(uint32_t, 0, 4097, ~0u);
		def |= !s.count || s.count > 4096 ? S(EINVAL) : 0;
		for (uint32_t i = 0; s.count <= 4096 && i < s.count; i++)
			*--ids = pick_id(c, -1, 0, &maybe);
		s.ids = pct(c, 5) ? badptr(c) : (uintptr_t)ids;
		def |= s.ids != (uintptr_t)ids && !def ? S(EFAULT) : 0;
	}
	if (s.flags & UPROBECTL_SUB_PID) {
		r = below(c, 100);
		s.pid = r < 40 ? getpid() : r < 60 && nvictims ? victims[below(c, nvictims)] : r < 70 ? kid_pid(c) :
			r < 80 ? -(int)below(c, 3) : 0x3ffffff0;
		def |= s.pid <= 0 || s.pid == 0x3ffffff0 ? S(ESRCH) : 0;
		race |= s.pid != getpid() ? S(ESRCH) : 0;
	}
	r = below(c, 1000);
	s.ring_size = r < 500 ? 0 : r < 700 ? below(c, 16384) : r < 996 ? below(c, 1 << 20) : r < 997 ? 256 << 20 :
		      PICK(uint64_t, (256 << 20) + 1, 1ULL << 40, ~0ULL);
	def |= s.ring_size > (256 << 20) ? S(EINVAL) : 0;
	D(c, "SUBSCRIBE flags=0x%x count=%u pid=%d ring=%llu", s.flags, s.count, s.pid,
	  (unsigned long long)s.ring_size);
	if (fo >= 0)
		atomic_fetch_add(&fobjs[fo].seq, 1), atomic_fetch_add(&fobjs[fo].pend, 1);
	put_struct(c, fd, UPROBECTL_IOC_SUBSCRIBE, &s, sizeof(s), UPROBECTL_SUBSCRIBE_SIZE_VER0, us, tail, true, &k);
	if (fo >= 0 && !k.err) {	/* its filter, then the flag */
		struct fobj *f = &fobjs[fo];

		f->sflags = s.flags, f->spid = s.pid;
		f->nids = s.flags & 1 && s.count <= 32 && s.ids == (uintptr_t)ids ? (int)s.count : -1;
		if (f->nids > 0)
			memcpy(f->ids, ids, 8 * s.count);
		atomic_store(&f->sub, 1);
	}
	sub = subscribed(fo, s0, 1);
	if (fo >= 0)
		atomic_fetch_sub(&fobjs[fo].pend, 1);
	judge(c, O_SUB, &k, def ? def : (sub == 1 ? S(EBUSY) : sub == 0 ? OK : OK | S(EBUSY)) | race, false);
}

static void op_unknown(struct ctx *c, int fd)
{
	int r = below(c, 100), err;
	unsigned long cmd = r < 55 ? _IOC(below(c, 4), UPROBECTL_IOC_MAGIC, 8 + below(c, 248), below(c, 1 << 14)) :
			    r < 75 ? _IOC(below(c, 4), 'x', below(c, 256), below(c, 1 << 14)) : r < 85 ? 0 :
			    _IOC(below(c, 4), pct(c, 50) ? 0xb6 : 0xb8, below(c, 8), below(c, 512));
	void *arg = pct(c, 50) ? (void *)(uintptr_t)badptr(c) : memset(B_(c), 0, PG);

	D(c, "ioctl cmd=0x%lx", cmd);
	err = ioctl(fd, cmd, arg) < 0 ? errno : 0;
	atomic_fetch_add(&sh->calls, 1);
	expect(c, O_UNKNOWN, err, S(ENOTTY));
}

/* ---- read() and poll() ---- */
static void op_read(struct ctx *c, int fd, int fo)
{
	size_t len = pct(c, 70) ? PICK(size_t, 0, 1, 23, 24, 111, 112, 113, 4351, 4352, 65536, 1 << 20) :
		     below(c, 70000);
	size_t cap = 48 * PG, room = len < cap ? len : cap;
	struct snap s0 = snap(fo);
	int fl = fcntl(fd, F_GETFL);
	bool badbuf = pct(c, 10), nb = fl & O_NONBLOCK;
	unsigned char *buf = badbuf ? (unsigned char *)(uintptr_t)badptr(c) : A_END(c) - room;
	/*
	 * A blocking read ends with EINTR: a signal every 20 ms until it
	 * returns. One alone was delivered before read() was entered when
	 * the thread was preempted for 20 ms after arming it, and the read
	 * then slept for good (the hang met on 6.1).
	 */
	struct itimerspec it = { .it_value.tv_nsec = 20000000, .it_interval.tv_nsec = 20000000 },
			  off = { 0 };
	struct fobj *f;
	ssize_t n;
	int sub;

	if (c->child && !nb)
		return;
	D(c, "read len=%zu%s%s", len, badbuf ? " badbuf" : "", nb ? "" : " blocking");
	if (!nb)
		timer_settime(c->timer, 0, &it, NULL);
	n = read(fd, buf, len);
	if (!nb)
		timer_settime(c->timer, 0, &off, NULL);
	atomic_fetch_add(&sh->calls, 1);
	sub = subscribed(fo, s0, 0);
	if (!n)
		bad(c, "read returned 0");
	/* (the VFS checks the buffer before the module sees the call) */
	if (!expect(c, O_READ, n < 0 ? errno : 0, (fl & O_ACCMODE) == O_WRONLY ? S(EBADF) : S(ENOMEM) |
		    (badbuf ? S(EFAULT) : 0) | (sub == 1 && len >= UPROBECTL_EVENT_MAX ? 0 : S(EINVAL)) |
	       (sub == 0 || len < 24 ? 0 :
	       (nb ? S(EAGAIN) : S(EINTR)) | (badbuf || len > cap ? S(EFAULT) : 0) | OK)) || n <= 0 ||
	    badbuf || (size_t)n > room)
		return;
	f = fo >= 0 && atomic_load(&fobjs[fo].sub) ? &fobjs[fo] : NULL;
	for (ssize_t p = 0; p < n;) {	/* whole records, sane, and what the filter lets through */
		struct uprobectl_event ev;
		bool in = !f || f->nids <= 0;

		memcpy(&ev.hdr, buf + p, sizeof(ev.hdr));
		if (ev.hdr.size < 24 || ev.hdr.size % 8 || ev.hdr.size > UPROBECTL_EVENT_MAX || p + ev.hdr.size > n ||
		    (ev.hdr.type != UPROBECTL_EVENT_LOST && ev.hdr.size < sizeof(ev))) {
			bad(c, "record at %zd: size %u type %u (read %zd)", p, ev.hdr.size, ev.hdr.type, n);
			return;
		}
		if (ev.hdr.type != UPROBECTL_EVENT_LOST) {
			memcpy(&ev, buf + p, sizeof(ev));
			for (int i = 0; f && i < f->nids; i++)
				in |= f->ids[i] == ev.id;
			if (!ev.id || !ev.pid || !in || (f && (f->sflags & 2) && (int)ev.pid != f->spid))
				bad(c, "event of probe %llu pid %u through filter 0x%x", (unsigned long long)ev.id, ev.pid,
				    f ? f->sflags : -1);
		}
		p += ev.hdr.size;
	}
}

static void op_poll(struct ctx *c, int fd, int fo)
{
	struct pollfd p = { fd, POLLIN, 0 };
	struct snap s0 = snap(fo);
	int n, sub;

	D(c, "poll");
	n = poll(&p, 1, pct(c, 70) ? 0 : 5);
	atomic_fetch_add(&sh->calls, 1);
	sub = subscribed(fo, s0, 0);
	expect(c, O_POLL, n < 0 ? errno : 0, OK | S(EINTR));
	if (n >= 0 && ((sub == 0 && p.revents != POLLERR) || (sub == 1 && p.revents & ~(POLLIN | POLLRDNORM)) ||
		       p.revents & ~(POLLIN | POLLRDNORM | POLLERR)))
		bad(c, "poll revents 0x%x (subscribed: %d)", p.revents, sub);
}

static struct kid *kid_add(struct ctx *c, pid_t pid, int kind)	/* kid_mx held */
{
	for (int i = 0; pid > 0 && i < NKID; i++)
		if (!kids[i].pid) {
			kids[i] = (struct kid){ .pid = pid, .kind = kind, .tid = c->tid, .n = c->n };
			nkids++;
			return &kids[i];
		}
	return NULL;
}

static void op_dispatch(struct ctx *c);

static void op_fork(struct ctx *c)	/* a child fuzzes on with its copies of the files */
{
	uint64_t s = rnd(c);
	pid_t pid = -1;

	pthread_mutex_lock(&kid_mx);
	if (nkids < 8 && !(pid = fork())) {
		c->child = c->n % 10000 + 1, c->r = mix(s), c->fails = 0;
		for (c->n = 1; c->n <= 10 + s % 40; c->n++)
			op_dispatch(c);
		_exit(!!c->fails);
	}
	if (nkids < 8)
		kid_add(c, pid, K_FUZZ);
	pthread_mutex_unlock(&kid_mx);
}

/* Open, close, dup, pass over the socket (to ourselves), receive. */
static void op_files(struct ctx *c, int what)
{
	int i = below(c, NSLOT), fd, fo, nb = pct(c, 50) ? O_NONBLOCK : 0;
	int fl = PICK(int, O_RDWR, O_RDONLY, O_WRONLY) | nb | (pct(c, 50) ? O_CLOEXEC : 0), dupfl = pct(c, 50);
	char cm[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec io = { &fo, sizeof(int) };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cm, .msg_controllen = sizeof(cm) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	pthread_mutex_lock(&slot_mx);
	if (what == 0 && slots[i].fd < 0) {
		fd = open(UPROBECTL_DEVICE, fl);
		snprintf(c->d, sizeof(c->d), "open");
		if (fd < 0)
			bad(c, "%s", strerror(errno));
		else if ((fo = fobj_new()) >= 0)
			slots[i] = (struct slot){ fd, fo, 0, 0 };
		else
			close(fd);
	} else if (what == 1 && slots[i].fd >= 0 && !slots[i].closing) {	/* after the calls in flight */
		slots[i].closing = 1;
		if (!slots[i].users)
			slot_close(i);
	} else if (what == 2 && slots[i].fd >= 0 && !slots[i].closing) {
		fd = dupfl ? dup(slots[i].fd) : fcntl(slots[i].fd, F_DUPFD_CLOEXEC, 100);
		if (fd >= 0)
			fobjs[slots[i].fo].refs++, slot_set(fd, slots[i].fo);
	} else if (what == 3 && slots[i].fd >= 0 && !slots[i].closing) {
		fo = slots[i].fo;
		h->cmsg_level = SOL_SOCKET, h->cmsg_type = SCM_RIGHTS, h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &slots[i].fd, sizeof(int));
		if (sendmsg(sock[0], &m, MSG_DONTWAIT) == sizeof(int))
			fobjs[fo].refs++;
	} else if (what == 4 && recvmsg(sock[1], &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) == sizeof(int) &&
		   CMSG_FIRSTHDR(&m)) {
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
		slot_set(fd, fo);
	}
	pthread_mutex_unlock(&slot_mx);
}

/* Run lib_func in a mapping of the test library: every result checked. */
static bool lib_calls(struct ctx *c, const unsigned char *base, int n)
{
	uint64_t (*f)(uint64_t) = (uint64_t (*)(uint64_t))(uintptr_t)(base + T[F_LIB].libfunc);

	for (int i = 0; i < n; i++) {
		uint64_t x = rnd(c);

		if (f(x) != x * 2654435761u + 1) {
			bad(c, "lib_func(0x%llx) at %p: wrong result", (unsigned long long)x, (void *)f);
			return false;
		}
	}
	return true;
}
static unsigned char *pinned[NGOOD];	/* lib, copy, memfd: mapped once, never changed */

static bool wait_kids(struct ctx *c, int secs);
static void close_all(void), open_all(void), reload(struct ctx *c);

static void op_dispatch(struct ctx *c)
{
	int r = below(c, 1000), fd, fo, i;

	c->dl = 0, c->d[0] = 0, c->bump = PG;
	if (nworkers == 1 && !procs && !c->child && r == 999 && pct(c, 50) && reloads) {	/* replay mode: rmmod here */
		if (wait_kids(c, 120))
			close_all(), reload(c), open_all();
		return;
	}
	if (r >= 880 && !c->child) {
		if (r < 975)
			op_files(c, r < 920 ? 0 : r < 945 ? 1 : r < 955 ? 2 : r < 965 ? 3 : 4);
		else if (r < 982)
			op_fork(c);
		else if (r < 997)
			snprintf(c->d, sizeof(c->d), "lib_func"), lib_calls(c, pinned[F_LIB + below(c, 3)], 20 + below(c, 200));
		else if (pct(c, 30)) {	/* this thread's guard holds the device open */
			snprintf(c->d, sizeof(c->d), "delete_module with files open");
			expect(c, O_RMMOD, syscall(SYS_delete_module, "uprobectl", O_NONBLOCK) ? errno : 0,
			       S(EWOULDBLOCK) | S(EBUSY));
		}
		return;
	}
	r = r >= 880 ? (int)below(c, 880) : r;
	if ((i = slot_get(c, &fd, &fo)) < 0)
		return;
	if (nalive > 400 && r < 300)
		r = 300;	/* enough probes: delete some */
	if (r < 230)
		op_add(c, fd);
	else if (r < 300)
		op_batch(c, fd);
	else if (r < 400)
		op_del(c, fd);
	else if (r < 460)
		op_list(c, fd);
	else if (r < 640)
		op_info(c, fd, fo, r < 500 ? O_STATS : r < 530 ? O_VERSION : O_ESTATS);
	else if (r < 700 && !c->child)	/* (a child's would change our files behind our back) */
		op_sub(c, fd, fo);
	else if (r < 730 && r >= 700)
		op_unknown(c, fd);
	else if (r < 830)
		op_read(c, fd, fo);
	else
		op_poll(c, fd, fo);
	slot_put(c, i);
}

/* ---- pausing: the main thread stops everyone between calls ---- */
static pthread_mutex_t pz_mx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pz_cv = PTHREAD_COND_INITIALIZER;
static int parked;
static unsigned pz_gen;		/* pauses ended: a parked thread waits for the next */

static void checkpoint(void)
{
	if (!atomic_load(&pausing))
		return;
	pthread_mutex_lock(&pz_mx);
	if (atomic_load(&pausing)) {
		unsigned g = pz_gen;

		parked++;
		pthread_cond_broadcast(&pz_cv);
		while (pz_gen == g)
			pthread_cond_wait(&pz_cv, &pz_mx);
	}
	pthread_mutex_unlock(&pz_mx);
}

static void on_usr2(int sig) { (void)sig; }


static void ctx_init(struct ctx *c, int tid)
{
	struct sigevent ev = { .sigev_signo = SIGUSR2, .sigev_notify = SIGEV_THREAD_ID };
	static const int layout[][3] = { { 0, 48, PROT_READ | PROT_WRITE }, { 49, 32, PROT_READ | PROT_WRITE },
		{ 82, 1, PROT_NONE }, { 83, 1, PROT_READ }, { 84, 2, PROT_READ | PROT_WRITE } };

	memset(c, 0, sizeof(*c));
	c->tid = tid, c->r = mix(seed * 1000003 + tid), c->a = ARENA(tid);
	ev._sigev_un._tid = syscall(SYS_gettid);
	for (int i = 0; i < 5; i++)
		if (mmap(c->a + layout[i][0] * PG, layout[i][1] * PG, layout[i][2],
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != c->a + layout[i][0] * PG)
			exit(2);
	if (timer_create(CLOCK_MONOTONIC, &ev, &c->timer))
		exit(2);
}

static bool limit(void) { return atomic_load(&sh->calls) >= max_calls; }

/* ---- the process thread: the library's mappings, and children that run it ---- */
#define NMAP 6
static struct map { unsigned char *p; size_t len, head; int f, prot, shared, nofork; char h[128]; } maps[NMAP];
static unsigned char *mapres;		/* map i lives in [mapres + i * 8 MiB, + 8 MiB), PROT_NONE around */

/* Running probed code went wrong (an int3 left behind?): say where, and in which of our mappings. */
static void on_fatal(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	unsigned char *ip = (unsigned char *)uc->uc_mcontext.gregs[REG_RIP] - (sig == SIGTRAP);
	const char *h = "none of ours";
	long off = -1;

	for (int i = 0; i < NMAP + 3; i++) {
		unsigned char *p = i < NMAP ? maps[i].p : pinned[i - NMAP + 1];
		size_t len = i < NMAP ? maps[i].len : T[F_LIB].size;

		if (p && ip >= p && ip < p + len)
			h = i < NMAP ? maps[i].h : "pinned", off = ip - p;
	}
	say("fuzz: FAIL seed %" PRIu64 ": pid %d thread %ld: signal %d (code %d, addr %p) at %p: file offset 0x%lx "
	    "of our mapping (history %s)\n", seed, getpid(), syscall(SYS_gettid), sig, si->si_code, si->si_addr,
	    (void *)ip, off, h);
	_exit(4);
}

static void note(struct map *m, char ev)	/* what happened to a mapping, for failures */
{
	size_t l = strlen(m->h);

	if (m->p && l < sizeof(m->h) - 2 && (!l || m->h[l - 1] != ev))
		m->h[l] = ev;
}

static bool callable(const struct map *m)
{
	return m->p && m->prot == (PROT_READ | PROT_EXEC) && m->f != F_JUNK;
}

static void reserve(void *p, size_t len)
{
	mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static uint64_t sum_lib(uint64_t n) { uint64_t s = 0; while (n--) s += n * 2654435761u + 1; return s; }
static uint64_t sum_t(uint64_t n) { return 31 * (n * (n - 1) / 2) + 7 * n; }

static void proc_op(struct ctx *c)
{
	int r = below(c, 100), i = below(c, NMAP), prot;
	struct map *m = &maps[i];
	unsigned char *area = mapres + i * (8UL << 20), *to;

	c->dl = 0, c->d[0] = 0;
	D(c, "map %d op %d", i, r);
	if (r < 15) {			/* map (or map over the old one) */
		int f = PICK(int, F_COPY, F_MEMFD, F_JUNK), shr = pct(c, 10);
		size_t len = (T[f].size + PG - 1) & ~(PG - 1);

		prot = PICK(int, PROT_READ | PROT_EXEC, PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE | PROT_EXEC);
		prot &= shr ? ~PROT_WRITE : ~0;
		to = m->p && pct(c, 50) ? m->p : area + below(c, 16) * (256 << 10);
		if (m->p && to != m->p)
			reserve(m->p, m->len);
		if (mmap(to, len, prot, (shr ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, T[f].fd, 0) == to)
			*m = (struct map){ to, len, 0, f, prot, shr, 0, { shr ? 'S' : 'M', '0' + prot } };
		else
			reserve(to, len), m->p = NULL;
	} else if (!m->p) {
	} else if (r < 25) {		/* unmap, all of it or its first page */
		if (m->head || pct(c, 70))
			reserve(m->p, m->len), m->p = NULL;
		else
			reserve(m->p, PG), m->head = PG;
	} else if (r < 37) {
		m->prot = PICK(int, PROT_READ | PROT_EXEC, PROT_READ | PROT_EXEC, PROT_READ, PROT_NONE,
			       m->shared ? PROT_READ : PROT_READ | PROT_WRITE | PROT_EXEC);
		mprotect(m->p + m->head, m->len - m->head, m->prot);
	} else if (r < 45) {		/* mremap elsewhere in its area */
		to = area + below(c, 16) * (256 << 10);
		if (to != m->p && mremap(m->p + m->head, m->len - m->head, m->len - m->head,
					 MREMAP_MAYMOVE | MREMAP_FIXED, to + m->head) == to + m->head)
			reserve(m->p, m->len), m->p = to;
	} else if (r < 50) {
		madvise(m->p + m->head, m->len - m->head, MADV_DONTNEED);
	} else if (r < 52) {
		m->nofork = !m->nofork;
		madvise(m->p + m->head, m->len - m->head, m->nofork ? MADV_DONTFORK : MADV_DOFORK);
	} else if (r < 80) {		/* run the probed code here */
		if (callable(m))
			note(m, 'c'), lib_calls(c, m->p, 50 + below(c, 400));
	}
	if (r >= 15 && r < 52)
		note(m, r < 25 ? 'U' : r < 37 ? 'P' : r < 45 ? 'R' : r < 50 ? 'D' : 'F'), note(m, '0' + m->prot);
	if (r >= 50 && r < 80)
		lib_calls(c, pinned[F_LIB + below(c, 3)], 50 + below(c, 200));
	if (r < 90)
		return;
	/* A child that runs it and exits, or runs it and execs the target program, or posix_spawn. */
	int how = below(c, 3), mode = below(c, 4), n = 200 + below(c, 2000), th = 1 + below(c, 3);
	char want[96], nb[16], tb[16], path[320], out[320];
	char *argv[] = { "target", (char *[]){ "lib", "loop", "fork", "forks" }[mode], nb, tb, NULL };
	posix_spawn_file_actions_t fa;
	struct kid *k;
	pid_t pid = -1;

	snprintf(nb, sizeof(nb), "%d", mode == 3 ? n % 4 + 2 : n);
	snprintf(tb, sizeof(tb), "%d", th);
	snprintf(path, sizeof(path), "%s/target", progdir);
	snprintf(out, sizeof(out), "%s/out.%lu", workdir, c->n);
	if (mode == 0)
		snprintf(want, sizeof(want), "sum %" PRIu64 "\n", sum_lib(n));
	else if (mode == 1)
		snprintf(want, sizeof(want), "sum %" PRIu64 "\n", th * sum_t(n));
	else if (mode == 2)
		snprintf(want, sizeof(want), "child sum %" PRIu64 "\nsum %" PRIu64 " child exit 0\n", sum_t(n), sum_t(n));
	else
		snprintf(want, sizeof(want), "children ok %d of %d\n", n % 4 + 2, n % 4 + 2);
	D(c, " child how %d: %s %s %s", how, argv[1], nb, tb);
	pthread_mutex_lock(&kid_mx);
	if (nkids < 4 && how == 2) {
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (posix_spawn(&pid, path, &fa, NULL, argv, environ))
			pid = -1;
		posix_spawn_file_actions_destroy(&fa);
	} else if (nkids < 4 && (pid = fork()) > 0) {
		for (int j = 0; j < NMAP; j++)
			note(&maps[j], 'k');
	} else if (nkids < 4 && !pid) {
		bool ok = true;

		c->child = 1;
		for (int j = 0; j < NMAP; j++)
			if (callable(&maps[j]) && !maps[j].nofork)
				ok &= lib_calls(c, maps[j].p, 100);
		for (int j = F_LIB; j <= F_MEMFD; j++)
			ok &= lib_calls(c, pinned[j], 100);
		if (how == 1 && ok && dup2(open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1) == 1)
			execve(path, argv, environ);
		_exit(!ok);
	}
	if ((k = kid_add(c, pid, how ? K_EXEC : K_RUN)))
		snprintf(k->want, sizeof(k->want), "%s", want), snprintf(k->out, sizeof(k->out), "%s", out);
	pthread_mutex_unlock(&kid_mx);
}

static void *thread_fn(void *arg)	/* workers (0..), the process thread (10) */
{
	struct ctx c;

	ctx_init(&c, (int)(intptr_t)arg);
	while (!atomic_load(&stopping)) {
		checkpoint();
		if (limit() || atomic_load(&stopping)) {
			usleep(1000);
			continue;
		}
		c.n++;
		if (c.tid < 10) {
			op_dispatch(&c);
		} else {
			proc_op(&c);
			atomic_fetch_add(&sh->calls, 1);
			usleep(1000 + below(&c, 4000));	/* leave the CPUs to the workers */
		}
	}
	return NULL;
}

static void *reaper(void *arg)	/* every child's end, checked */
{
	(void)arg;
	struct ctx c = { .tid = 11 };
	int st;
	pid_t pid;

	while (!atomic_load(&stopping) || nkids) {
		if ((pid = waitpid(-1, &st, WNOHANG)) <= 0) {
			usleep(2000);
			continue;
		}
		pthread_mutex_lock(&kid_mx);
		for (struct kid *k = kids; k < kids + NKID; k++) {
			char got[128] = "";
			int fd, n;

			if (k->pid != pid)
				continue;
			snprintf(c.d, sizeof(c.d), "child %d (%s) of thread %d call %lu", pid,
				 (const char *[]){ "fuzz", "run", "exec", "modprobe" }[k->kind], k->tid, k->n);
			if (WIFSIGNALED(st))
				bad(&c, "killed by signal %d", WTERMSIG(st));
			else if (WEXITSTATUS(st) && (k->kind != K_FUZZ || WEXITSTATUS(st) != 1))
				bad(&c, "exit status %d", WEXITSTATUS(st));
			if (k->kind == K_EXEC && WIFEXITED(st) && !WEXITSTATUS(st)) {
				fd = open(k->out, O_RDONLY);
				n = fd >= 0 ? read(fd, got, 127) : -1;
				got[n > 0 ? n : 0] = 0;
				if (strcmp(got, k->want))
					bad(&c, "output '%s', expected '%s'", got, k->want);
				close(fd);
			}
			if (k->kind == K_EXEC)
				unlink(k->out);
			k->pid = 0, nkids--;
			pthread_cond_broadcast(&kid_cv);
		}
		pthread_mutex_unlock(&kid_mx);
	}
	return NULL;
}

/* ---- stopping the world: every file closed; unload and load again ---- */
static void pause_all(int n)
{
	atomic_store(&pausing, 1);
	pthread_mutex_lock(&pz_mx);
	while (parked < n)
		pthread_cond_wait(&pz_cv, &pz_mx);
	pthread_mutex_unlock(&pz_mx);
}

static void resume_all(void)
{
	pthread_mutex_lock(&pz_mx);
	atomic_store(&pausing, 0), parked = 0, pz_gen++;
	pthread_cond_broadcast(&pz_cv);
	pthread_mutex_unlock(&pz_mx);
}

static bool wait_kids(struct ctx *c, int secs)
{
	struct timespec ts;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs;
	pthread_mutex_lock(&kid_mx);
	while (nkids && ok)
		ok = pthread_cond_timedwait(&kid_cv, &kid_mx, &ts) != ETIMEDOUT;
	pthread_mutex_unlock(&kid_mx);
	if (!ok)
		bad(c, "%d children still running after %d s", nkids, secs);
	return ok;
}

static void close_all(void)
{
	char cm[CMSG_SPACE(sizeof(int))];
	int fo, fd;
	struct iovec io = { &fo, sizeof(int) };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cm, .msg_controllen = sizeof(cm) };

	while (recvmsg(sock[1], &m, MSG_DONTWAIT) == sizeof(int)) {
		if (CMSG_FIRSTHDR(&m))
			memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int)), close(fd);
		m.msg_controllen = sizeof(cm);
	}
	for (int i = 0; i < NSLOT; i++) {
		if (slots[i].fd >= 0)
			close(slots[i].fd);
		slots[i] = (struct slot){ -1, 0, 0, 0 };
	}
	memset(fobjs, 0, sizeof(fobjs));
	for (int i = 0; i < 8; i++)
		if (guard[i] >= 0)
			close(guard[i]), guard[i] = -1;
}

static void open_all(void)
{
	struct stat st;

	if (stat(UPROBECTL_DEVICE, &st)) {
		say("fuzz: %s: %s\n", UPROBECTL_DEVICE, strerror(errno));
		exit(2);
	}
	dev_rdev = st.st_rdev;
	for (int i = 0; i < nworkers; i++)	/* each worker's: rmmod must find it busy */
		guard[i] = open(UPROBECTL_DEVICE, O_RDWR | O_CLOEXEC);
	for (int i = 0; i < NSLOT / 2; i++) {
		slots[i] = (struct slot){ open(UPROBECTL_DEVICE, O_RDWR | (i & 1 ? O_NONBLOCK : 0)), i, 0, 0 };
		fobjs[i].refs = 1;
	}
}

/* The unload, from a thread that (half the time) ran the probed code first, as any program might. */
static void *unloader(void *arg)
{
	struct ctx *c = arg;
	intptr_t err = EBUSY;

	if (pct(c, 50))
		lib_calls(c, pinned[F_LIB + below(c, 3)], 10);
	for (int tries = 0; tries < 100 && err; tries++)
		if ((err = syscall(SYS_delete_module, "uprobectl", O_NONBLOCK) ? errno : 0))
			usleep(50000);
	return (void *)err;
}

static void reload(struct ctx *c)	/* nothing of ours holds the module now */
{
	char *argv[] = { "modprobe", "uprobectl", NULL }, b[512];
	struct timespec ts;
	struct dirent *e;
	pthread_t t;
	void *res;
	int err;
	pid_t pid;
	DIR *dir;

	snprintf(c->d, sizeof(c->d), "delete_module with every file closed");
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 90;
	if (pthread_create(&t, NULL, unloader, c))
		return;
	if (pthread_timedjoin_np(t, &res, &ts)) {	/* hung in the kernel: say where, and give up */
		bad(c, "delete_module has not returned in 90 s");
		for (dir = opendir("/proc/self/task"); dir && (e = readdir(dir));) {
			int fd, n;

			snprintf(b, sizeof(b), "/proc/self/task/%s/stack", e->d_name);
			if (e->d_name[0] != '.' && (fd = open(b, O_RDONLY)) >= 0) {
				n = read(fd, b, sizeof(b) - 1);
				b[n > 0 ? n : 0] = 0;
				say("fuzz: thread %s in the kernel:\n%s", e->d_name, b);
				close(fd);
			}
		}
		say("fuzz: stuck\n");
		_exit(1);
	}
	err = (int)(intptr_t)res;
	expect(c, O_RMMOD, err, OK);
	if (err)
		return;
	pthread_mutex_lock(&kid_mx);
	if (!posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ))
		kid_add(c, pid, K_MODPROBE);
	pthread_mutex_unlock(&kid_mx);
	wait_kids(c, 60);
	pthread_mutex_lock(&ptab_mx);
	memset(ptab, 0, sizeof(ptab));
	maxid = 0, nalive = 0;
	pthread_mutex_unlock(&ptab_mx);
}

/* ---- setup: the files, copies of the library, and files that must be refused ---- */
static void setup_files(void)
{
	unsigned char e[PG] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)e;
	Elf64_Phdr *ph = (Elf64_Phdr *)(e + 64);
	int pfd[2], sfd[2];
	char p[320];
	struct tfile *t;

	for (int i = 0; i < 2; i++) {	/* the target program and the test library */
		snprintf(p, sizeof(p), "%s/%s", progdir, i ? "libtarget.so" : "target");
		t = tf(p, open(p, O_RDONLY), R_EXEC, 0);
		t->data = slurp(p, &t->size);
		elf_parse(t);
		insns_load(t, i ? "libtarget.insns" : "target.insns");
	}
	spit("libcopy.so", t->data, t->size);
	spit("junk.so", t->data, t->size);
	if (symlink("libcopy.so", wpath("link")) || symlink("loop", wpath("loop")))
		exit(2);
	for (int i = 0; i < 4; i++) {	/* copy, memfd, junk (never run), a symlink to the copy */
		struct tfile *u = &T[nT++];

		*u = *t;
		u->memo = calloc(65536, 1), u->role = i == 2 ? R_JUNK : R_EXEC;
		snprintf(u->path, sizeof(u->path), "%s", wpath((const char *[]){ "libcopy.so", "", "junk.so", "link" }[i]));
		u->fd = i == 3 ? -1 : i == 1 ? memfd_create("fuzz", 0) : open(u->path, O_RDONLY);
		if (i == 1) {
			if (write(u->fd, t->data, t->size) != (ssize_t)t->size)
				exit(2);
			snprintf(u->path, sizeof(u->path), "/proc/self/fd/%d", u->fd);
		}
	}
	/* Refused: not ELF, empty, 32-bit, arm64, bad phentsize, truncated headers, no text. */
	spit("notelf", "hello\n", 6);
	spit("empty", "", 0);
	e[4] = 1, spit("elf32", e, 64), e[4] = 2;
	eh->e_machine = EM_AARCH64, spit("arm64", e, 64), eh->e_machine = EM_X86_64;
	eh->e_phentsize = 32, eh->e_phnum = 1, spit("badph", e, 64);
	eh->e_phentsize = sizeof(*ph), eh->e_phnum = 4, eh->e_phoff = 0x10000, spit("trunc", e, 64);
	eh->e_phnum = 1, eh->e_phoff = 64, ph->p_type = PT_LOAD, ph->p_flags = PF_R, ph->p_filesz = PG;
	spit("noexec", e, PG);
	static const struct { const char *n; int e; } bf[] = { { "notelf", EINVAL }, { "empty", EINVAL },
		{ "elf32", EINVAL }, { "arm64", EINVAL }, { "badph", EINVAL }, { "trunc", EINVAL },
		{ "noexec", ERANGE }, { "", EINVAL }, { "missing", ENOENT }, { "notelf/x", ENOTDIR },
		{ "loop", ELOOP } };
	for (size_t i = 0; i < sizeof(bf) / sizeof(bf[0]); i++)
		tf(wpath(bf[i].n), i < 8 ? open(wpath(bf[i].n), O_RDONLY) : -1, R_BAD, S(bf[i].e));
	memset(p, 'a', 300), p[300] = 0;
	tf(p, -1, R_BAD, S(ENAMETOOLONG));
	tf("", -1, R_BAD, S(ENOENT) | S(EINVAL));	/* filp_open("") opens the cwd */
	tf("/dev/null", open("/dev/null", O_RDONLY), R_BAD, S(EINVAL));
	tf(UPROBECTL_DEVICE, -2, R_BAD, S(EINVAL));
	tf("/proc/self/maps", -1, R_BAD, S(EINVAL) | S(EIO));	/* kernel_read cannot read it */
	if (pipe(pfd) || socketpair(AF_UNIX, SOCK_STREAM, 0, sfd))
		exit(2);
	tf("", pfd[0], R_BAD, S(EINVAL));
	tf("", sfd[0], R_BAD, S(EINVAL));
	tf("", 999, R_BAD, S(EBADF));
	tf("", INT_MAX, R_BAD, S(EBADF));
	tf("", -5, R_BAD, S(EBADF));
	tf("", open(T[F_COPY].path, O_PATH), R_BAD, S(EBADF));
	tf("", open(T[F_JUNK].path, O_WRONLY), R_BAD, S(EBADF));
}

int main(int argc, char **argv)
{
	double secs = getenv("FUZZ_SECONDS") ? atof(getenv("FUZZ_SECONDS")) : 20, el;
	struct ctx c;
	struct timespec t0, t1;
	pthread_t th[12];
	int nth = 0, hold = 0, sig;
	double next_reload;
	sigset_t ss;
	char line[8192], b[16];
	ssize_t k;

	seed = ((uint64_t)time(NULL) * 1000003) ^ getpid();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";

		if (!strcmp(a, "--seed"))
			seed = strtoull(v, NULL, 0), i++;
		else if (!strcmp(a, "--seconds"))
			secs = atof(v), i++;
		else if (!strcmp(a, "--calls"))
			max_calls = strtoul(v, NULL, 0), i++;
		else if (!strcmp(a, "--threads"))
			nworkers = atoi(v), i++;
		else if (!strcmp(a, "--dir"))
			snprintf(workdir, sizeof(workdir), "%s", v), i++;
		else if (!strcmp(a, "--victim") && nvictims < 8)
			victims[nvictims++] = atoi(v), i++;
		else if (!strcmp(a, "--no-reload"))
			reloads = 0;
		else if (!strcmp(a, "--no-procs") || !strcmp(a, "--hold") || !strcmp(a, "-v"))
			procs &= a[2] != 'n', hold |= a[2] == 'h', verbose |= a[1] == 'v';
		else
			return say("usage: fuzz [--seed N] [--seconds S] [--calls N] [--threads T] [--no-procs] "
				   "[--no-reload] [--dir DIR] [--victim PID]... [--hold] [-v]\n"), 2;
	}
	nworkers = nworkers < 1 || nworkers > 8 ? 3 : nworkers;
	say("fuzz: seed %" PRIu64 "\n", seed);
	if ((k = open("/dev/kmsg", O_WRONLY)) >= 0) {	/* in the console log too, should the kernel die */
		int n = snprintf(line, sizeof(line), "fuzz: seed %" PRIu64 "\n", seed);

		if (write(k, line, n) != n)
			say("fuzz: /dev/kmsg: %s\n", strerror(errno));
		close(k);
	}
	if ((!workdir[0] && !mkdtemp(strcpy(workdir, "/tmp/fuzz.XXXXXX"))) ||
	    (k = readlink("/proc/self/exe", progdir, sizeof(progdir) - 1)) <= 0)
		return 2;
	progdir[k] = 0, *strrchr(progdir, '/') = 0;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mapres = mmap((void *)0x110000000000UL, NMAP * (8UL << 20), PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (sh == MAP_FAILED || mapres == MAP_FAILED || socketpair(AF_UNIX, SOCK_DGRAM, 0, sock))
		return 2;
	setup_files();
	for (int f = F_LIB; f <= F_MEMFD; f++)
		if ((pinned[f] = mmap(NULL, T[f].size, PROT_READ | PROT_EXEC, MAP_PRIVATE, T[f].fd, 0)) == MAP_FAILED)
			return 2;
	signal(SIGPIPE, SIG_IGN);
	for (int sg = 0; sg < 4; sg++)
		sigaction((int[]){ SIGTRAP, SIGSEGV, SIGILL, SIGBUS }[sg],
			  &(struct sigaction){ .sa_sigaction = on_fatal, .sa_flags = SA_SIGINFO }, NULL);
	sigaction(SIGUSR2, &(struct sigaction){ .sa_handler = on_usr2 }, NULL);	/* no SA_RESTART: EINTR */
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	memset(guard, -1, sizeof(guard));
	for (int i = 0; i < NSLOT; i++)
		slots[i].fd = -1;
	open_all();
	ctx_init(&c, 15);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	next_reload = 2 + below(&c, 6);
	for (int i = 0; i < nworkers + procs; i++)
		pthread_create(&th[nth++], NULL, thread_fn, (void *)(intptr_t)(i < nworkers ? i : 10));
	pthread_create(&th[nth], NULL, reaper, NULL);
	do {
		usleep(1000);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		el = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (reloads && el >= next_reload && el < secs && !limit() && (nworkers > 1 || procs)) {	/* all closed: rmmod */
			c.n++;
			pause_all(nth);
			for (int j = 0; j < NMAP; j++)
				note(&maps[j], 'L');
			if (wait_kids(&c, 120))
				close_all(), reload(&c), open_all();
			resume_all();
			clock_gettime(CLOCK_MONOTONIC, &t1);
			next_reload = t1.tv_sec - t0.tv_sec + 3 + below(&c, 6);
		}
	} while (el < secs && !limit() && atomic_load(&sh->fails) < 20);
	/* The end: everything stopped, closed and reaped; no probe left; our text as in the files. */
	pause_all(nth);
	wait_kids(&c, 120);
	close_all();
	atomic_store(&stopping, 1);
	resume_all();
	for (int i = 0; i <= nth; i++)
		pthread_join(th[i], NULL);
	{
		int fd = open(UPROBECTL_DEVICE, O_RDWR);
		struct uprobectl_del d = { .size = sizeof(d), .flags = UPROBECTL_DEL_ALL };

		snprintf(c.d, sizeof(c.d), "DEL_ALL at the end");
		if (fd < 0 || ioctl(fd, UPROBECTL_IOC_DEL, &d))
			bad(&c, "%s", strerror(errno));
		close(fd);
	}
	for (int f = F_TARGET; f <= F_JUNK; f++) {
		unsigned char *now = malloc(T[f].size);

		snprintf(c.d, sizeof(c.d), "file %.300s", T[f].path);
		if (pread(T[f].fd, now, T[f].size, 0) != (ssize_t)T[f].size || memcmp(now, T[f].data, T[f].size))
			bad(&c, "changed on disk");
		free(now);
	}
	for (int i = 0; i < NMAP + 3; i++) {
		struct map *m = i < NMAP ? &maps[i] : &(struct map){ pinned[i - NMAP + 1], 0, 0, i - NMAP + 1,
								      PROT_READ | PROT_EXEC, 0, 0, "pinned" };
		struct tfile *t = &T[m->f];

		snprintf(c.d, sizeof(c.d), "our mapping %d of file %d at %p (%s)", i, m->f, (void *)m->p, m->h);
		for (uint64_t o = t->xs[0]; m->p && (m->prot & PROT_READ) && m->f != F_JUNK && t->xs[0] >= m->head &&
					     o < t->xe[0]; o++)
			if (m->p[o] != t->data[o]) {
				bad(&c, "text differs from the file at offset 0x%llx: %02x, file %02x",
				    (unsigned long long)o, m->p[o], t->data[o]);
				break;
			}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	el = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	k = snprintf(line, sizeof(line), "fuzz: seed %" PRIu64 ": %lu calls in %.1f s (%.0f/s), %d failures;", seed,
		     atomic_load(&sh->calls), el, atomic_load(&sh->calls) / el, atomic_load(&sh->fails));
	for (int op = 0; op < NOPS; op++)	/* per call, its errno histogram */
		for (int e = 0, any = 0; e < 128; e++) {
			if (!atomic_load(&sh->hist[op][e]) || k > (ssize_t)sizeof(line) - 64)
				continue;
			if (!any++)
				k += snprintf(line + k, sizeof(line) - k, " %s:", opname[op]);
			k += snprintf(line + k, sizeof(line) - k, " %s=%u", ename(e, b), atomic_load(&sh->hist[op][e]));
		}
	say("%s\n", line);
	if (hold) {
		say("fuzz: holding\n");
		sigwait(&ss, &sig);
	}
	return atomic_load(&sh->fails) ? 1 : 0;
}
