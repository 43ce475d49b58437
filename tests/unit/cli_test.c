// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's parsers: targets and fetch arguments, valid and invalid forms,
 * fetch arguments printed back the way they were meant, SDT argument specs,
 * and SDT notes of a file "prelinked" (its notes rewritten for another link
 * address, with .stapsdt.base where the file really is).
 * Usage: cli_test [LIBSDT.so]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetcharg.h"
#include "sdt.h"
#include "target.h"

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
		failed = 1;						\
	}								\
} while (0)

static void target_ok(const char *arg, const char *file, const char *sym, unsigned long long v)
{
	struct target_spec s;
	char err[512];

	if (target_parse(arg, &s, err, sizeof(err))) {
		CHECK(0, "target '%s' refused: %s", arg, err);
		return;
	}
	CHECK(!strcmp(s.file, file), "'%s': file '%s'", arg, s.file);
	CHECK(sym ? s.symbol && !strcmp(s.symbol, sym) : !s.symbol, "'%s': symbol '%s'", arg,
	      s.symbol ? s.symbol : "(none)");
	CHECK(s.value == v, "'%s': value %llu", arg, (unsigned long long)s.value);
	target_spec_free(&s);
}

static void target_bad(const char *arg, const char *want)
{
	struct target_spec s;
	char err[512] = "";

	CHECK(target_parse(arg, &s, err, sizeof(err)), "target '%s' accepted", arg);
	CHECK(strstr(err, want), "target '%s': message '%s' lacks '%s'", arg, err, want);
}

/* Parse @arg and print it back; compare with @back. */
static void fetch_ok(const char *arg, const char *back)
{
	struct uprobectl_fetch f;
	char err[512], out[512];

	if (fetcharg_parse(arg, 0, &f, err, sizeof(err))) {
		CHECK(0, "fetch arg '%s' refused: %s", arg, err);
		return;
	}
	fetcharg_format(&f, out, sizeof(out));
	CHECK(!strcmp(out, back), "fetch arg '%s' reads back as '%s', not '%s'", arg, out, back);
}

static void fetch_bad(const char *arg, const char *want)
{
	struct uprobectl_fetch f;
	char err[512] = "";

	CHECK(fetcharg_parse(arg, 0, &f, err, sizeof(err)), "fetch arg '%s' accepted", arg);
	CHECK(strstr(err, want), "fetch arg '%s': message '%s' lacks '%s'", arg, err, want);
}

/* An SDT spec: each argument printed back as a fetch argument, space-separated. */
static void sdt_ok(const char *spec, const char *back)
{
	struct uprobectl_fetch f[UPROBECTL_FETCH_MAX];
	char err[512], out[1024] = "", one[256];
	int n, i;

	if (sdt_args(spec, 0x1000, f, UPROBECTL_FETCH_MAX, &n, err, sizeof(err))) {
		CHECK(0, "SDT spec '%s' refused: %s", spec, err);
		return;
	}
	for (i = 0; i < n; i++) {
		fetcharg_format(&f[i], one, sizeof(one));
		strcat(out, i ? " " : "");
		strcat(out, one);
	}
	CHECK(!strcmp(out, back), "SDT spec '%s' reads as '%s', not '%s'", spec, out, back);
}

static void sdt_bad(const char *spec, const char *want)
{
	struct uprobectl_fetch f[UPROBECTL_FETCH_MAX];
	char err[512];
	int n;

	CHECK(sdt_args(spec, 0x1000, f, UPROBECTL_FETCH_MAX, &n, err, sizeof(err)), "SDT spec '%s' accepted",
	      spec);
	CHECK(strstr(err, want), "SDT spec '%s': message '%s' lacks '%s'", spec, err, want);
}

/*
 * Rewrite @path's notes as if linked 0x10000 lower (pc, base and semaphore
 * all moved) and check that the file offsets come out the same.
 */
static void sdt_prelinked(const char *path)
{
	struct sdt_note *a, *b;
	size_t na, nb, len, i, k = 0;
	char err[512], tmp[] = "/tmp/cli_test_sdtXXXXXX";
	unsigned char *buf;
	FILE *f = fopen(path, "rb");
	int fd;

	if (!f) {
		CHECK(0, "cannot open %s", path);
		return;
	}
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(len);
	if (!buf || fread(buf, 1, len, f) != len) {
		CHECK(0, "cannot read %s", path);
		fclose(f);
		free(buf);
		return;
	}
	fclose(f);
	/* n_namesz 8, n_descsz, n_type 3, "stapsdt\0", then pc, base, sem */
	for (i = 0; i + 48 <= len; i++) {
		uint32_t hdr[3];
		uint64_t v[3];
		int j;

		memcpy(hdr, buf + i, 12);
		if (hdr[0] != 8 || hdr[2] != 3 || memcmp(buf + i + 12, "stapsdt", 8))
			continue;
		memcpy(v, buf + i + 20, 24);
		for (j = 0; j < 3; j++)
			if (v[j])
				v[j] -= 0x10000;
		memcpy(buf + i + 20, v, 24);
		k++;
	}
	CHECK(k > 0, "no SDT note found in %s", path);
	fd = mkstemp(tmp);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		CHECK(0, "cannot write %s", tmp);
		free(buf);
		return;
	}
	close(fd);
	free(buf);
	if (sdt_load(path, &a, &na, err, sizeof(err)) || sdt_load(tmp, &b, &nb, err, sizeof(err))) {
		CHECK(0, "sdt_load: %s", err);
		unlink(tmp);
		return;
	}
	CHECK(na == nb && na == k, "%zu notes, %zu after the rewrite, %zu rewritten", na, nb, k);
	for (i = 0; i < na && i < nb; i++) {
		CHECK(a[i].off == b[i].off && a[i].sem_off == b[i].sem_off,
		      "%s:%s: offsets 0x%llx/0x%llx, prelinked 0x%llx/0x%llx", a[i].provider,
		      a[i].name, (unsigned long long)a[i].off, (unsigned long long)a[i].sem_off,
		      (unsigned long long)b[i].off, (unsigned long long)b[i].sem_off);
	}
	sdt_free(a, na);
	sdt_free(b, nb);
	unlink(tmp);
}

int main(int argc, char **argv)
{
	struct uprobectl_fetch f;
	char err[256];

	target_ok("/bin/ls:main", "/bin/ls", "main", 0);
	target_ok("ls:main+0x10", "ls", "main", 16);
	target_ok("ls:main+16", "ls", "main", 16);
	target_ok("/usr/lib/x.so:0x1139", "/usr/lib/x.so", NULL, 0x1139);
	target_ok("/usr/lib/x.so:4409", "/usr/lib/x.so", NULL, 4409);
	target_ok("libc:malloc@@GLIBC_2.2.5", "libc", "malloc@@GLIBC_2.2.5", 0);
	target_ok("libc:memcpy@GLIBC_2.2.5+4", "libc", "memcpy@GLIBC_2.2.5", 4);
	target_ok("/a:b/c:sym", "/a:b/c", "sym", 0);
	target_ok("prog:_ZN3foo3barEv", "prog", "_ZN3foo3barEv", 0);
	target_bad("nocolon", "is not PATH:SYMBOL");
	target_bad(":main", "is not PATH:SYMBOL");
	target_bad("/bin/ls:", "is not PATH:SYMBOL");
	target_bad("/bin/ls:0x12zz", "is not a file offset");
	target_bad("/bin/ls:main+", "is not an offset");
	target_bad("/bin/ls:main+x", "is not an offset");
	target_bad("/bin/ls:main+-4", "is not an offset");
	target_bad("/bin/ls:+4", "is not a symbol name");

	fetch_ok("%di", "arg1=%di:x64");
	fetch_ok("%rdi", "arg1=%di:x64");
	fetch_ok("%edi", "arg1=%di:x32");
	fetch_ok("x=%r15:u8", "x=%r15:u8");
	fetch_ok("n=%ax:s16", "n=%ax:s16");
	fetch_ok("%ip:x64", "arg1=%ip:x64");
	fetch_ok("+8(%di)", "arg1=+8(%di):x64");
	fetch_ok("-16(%bp):s32", "arg1=-16(%bp):s32");
	fetch_ok("s=+0(%si):string", "s=+0(%si):string");
	fetch_ok("s=+0(+16(%si)):string", "s=+0(+16(%si)):string");
	fetch_ok("v=+8(+0(+16(%si))):u64", "v=+8(+0(+16(%si))):u64");
	fetch_ok("@0x601040", "arg1=@0x601040:x64");
	fetch_ok("g=@0x601040:string", "g=@0x601040:string");
	fetch_ok("+8(@0x601040):u32", "arg1=+8(@0x601040):u32");
	fetch_ok("$arg1", "arg1=%di:x64");
	fetch_ok("$arg6:s64", "arg1=%r9:s64");
	fetch_ok("$stack", "arg1=%sp:x64");
	fetch_ok("$stack2", "arg1=+16(%sp):x64");
	fetch_ok("r=$retval:s32", "r=$retval:s32");
	fetch_ok("a_1=%cx:x8", "a_1=%cx:x8");
	fetch_bad("%zz", "unknown register");
	fetch_bad("%di:u7", "unknown type");
	fetch_bad("%di:str", "unknown type");
	fetch_bad("%di:string", "a string is read from memory");
	fetch_bad("+8(%di", "missing ')'");
	fetch_bad("+8%di", "a dereference is");
	fetch_bad("@", "takes an address");
	fetch_bad("$arg7", "N is 1 to 6");
	fetch_bad("$foo", "unknown variable");
	fetch_bad("1x=%di", "not an argument name");
	fetch_bad("a-b=%di", "not an argument name");
	fetch_bad("%di junk", "unexpected");
	fetch_bad("+0(+0(+0(+0(+0(%di))))):u8", "nested dereferences");
	fetch_bad("abcdefghijabcdefghijabcdefghijabc=%di", "not an argument name");
	/* Default names count from 1 by position. */
	CHECK(!fetcharg_parse("%si", 2, &f, err, sizeof(err)) && !strcmp(f.name, "arg3"),
	      "default name of the third argument: %s", f.name);
	/* What the module gets. */
	CHECK(!fetcharg_parse("+4(+16(%si)):s16", 0, &f, err, sizeof(err)) &&
	      f.base == UPROBECTL_FETCH_REG && f.reg == UPROBECTL_REG_SI && f.depth == 2 &&
	      f.off[0] == 16 && f.off[1] == 4 && f.type == UPROBECTL_TYPE_S(2),
	      "+4(+16(%%si)):s16 encoding");
	CHECK(!fetcharg_parse("@4096:u8", 0, &f, err, sizeof(err)) &&
	      f.base == UPROBECTL_FETCH_IMM && f.imm == 4096 && f.depth == 1 && !f.off[0] &&
	      f.type == UPROBECTL_TYPE_U(1), "@4096:u8 encoding");
	CHECK(fetcharg_like("%di") && fetcharg_like("x=%di") && fetcharg_like("+8(%di)") &&
	      fetcharg_like("$arg1") && !fetcharg_like("/bin/ls:main") &&
	      !fetcharg_like("ls:main") && !fetcharg_like("libc.so.6:malloc"),
	      "fetch arguments told from targets");

	/* SDT argument specs, as gas writes them. */
	sdt_ok("-4@%edi 8@%rsi", "arg0=%di:s32 arg1=%si:u64");
	sdt_ok("8@-16(%rbp) -2@(%rax) 1@%al", "arg0=-16(%bp):u64 arg1=+0(%ax):s16 arg2=%ax:u8");
	sdt_ok("4@$42 -8@$-1", "arg0=0x2a:u32 arg1=0xffffffffffffffff:s64");
	sdt_ok("%rax 8@%r12 -4@%r8d 2@%r15w 1@%r9b 8@8(%rsp)",
	       "arg0=%ax:u64 arg1=%r12:u64 arg2=%r8:s32 arg3=%r15:u16 arg4=%r9:u8 arg5=+8(%sp):u64");
	sdt_ok("", "");
	sdt_bad("8@foo(%rip)", "symbol not in the file");
	sdt_ok("-4@=0x1040(%rip) 8@=0xff0(%rip)", "arg0=+64(%ip):s32 arg1=-16(%ip):u64");
	sdt_bad("8@(%rax,%rbx,8)", "cannot read this location");
	sdt_bad("3@%rax", "size 3");
	sdt_bad("8@%xmm0", "cannot read this location");
	/* Garbage specs: refused or read, never a crash or an overrun. */
	{
		static const char abc[] = "@%()$-+,0123456789abcdeflrsipxw=_ ";
		struct uprobectl_fetch g[UPROBECTL_FETCH_MAX];
		char spec[48];
		unsigned int seed = 1;
		int k, j, n;

		for (k = 0; k < 20000; k++) {
			int len = (int)(rand_r(&seed) % (sizeof(spec) - 1));

			for (j = 0; j < len; j++)
				spec[j] = abc[rand_r(&seed) % (sizeof(abc) - 1)];
			spec[len] = 0;
			if (!sdt_args(spec, 0x1000, g, UPROBECTL_FETCH_MAX, &n, err, sizeof(err)))
				CHECK(n >= 0 && n <= UPROBECTL_FETCH_MAX, "'%s': %d arguments", spec, n);
		}
	}
	if (argc > 1)
		sdt_prelinked(argv[1]);
	return failed;
}
