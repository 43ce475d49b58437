// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's parsers: targets and fetch arguments, valid and invalid forms,
 * and fetch arguments printed back the way they were meant.
 */
#include <stdio.h>
#include <string.h>

#include "fetcharg.h"
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

int main(void)
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
	return failed;
}
