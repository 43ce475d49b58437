// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/*
 * Probe targets. The file part is found like the dynamic loader and the
 * shell would find it; the symbol part through elfsym.c; a symbol offset
 * must fall inside the symbol and on an instruction boundary, which the
 * project's own decoder checks by decoding the function from its start.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsym.h"
#include "insn.h"
#include "target.h"

int target_parse(const char *arg, struct target_spec *spec, char *err, size_t errlen)
{
	const char *colon = strrchr(arg, ':');
	const char *sym, *plus;
	char *end;

	memset(spec, 0, sizeof(*spec));
	if (!colon || colon == arg || !colon[1]) {
		snprintf(err, errlen,
			 "target '%s' is not PATH:SYMBOL, PATH:SYMBOL+OFFSET or PATH:0xFILEOFFSET",
			 arg);
		return -1;
	}
	sym = colon + 1;
	spec->file = strndup(arg, colon - arg);
	if (isdigit((unsigned char)sym[0])) {
		errno = 0;
		spec->value = strtoull(sym, &end, 0);
		if (errno || *end) {
			snprintf(err, errlen, "'%s' in target '%s' is not a file offset (use a number like 0x1139)",
				 sym, arg);
			goto bad;
		}
		return 0;
	}
	plus = strchr(sym, '+');
	if (plus) {
		errno = 0;
		spec->value = strtoull(plus + 1, &end, 0);
		if (errno || *end || plus[1] == '-' || !plus[1]) {
			snprintf(err, errlen, "'%s' in target '%s' is not an offset (use SYMBOL+0x10 or SYMBOL+16)",
				 plus + 1, arg);
			goto bad;
		}
		spec->has_offset = 1;
	}
	spec->symbol = strndup(sym, plus ? (size_t)(plus - sym) : strlen(sym));
	if (!spec->symbol[0] || strpbrk(spec->symbol, " \t/")) {
		snprintf(err, errlen, "'%s' in target '%s' is not a symbol name", spec->symbol, arg);
		goto bad;
	}
	return 0;
bad:
	target_spec_free(spec);
	return -1;
}

void target_spec_free(struct target_spec *spec)
{
	free(spec->file);
	free(spec->symbol);
	memset(spec, 0, sizeof(*spec));
}

static int is_file(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
	"/usr/local/lib", "/lib", "/usr/lib",
};

/* Does the cache key @key name library @want ("libc", "libc.so.6")? */
static int lib_matches(const char *key, const char *want)
{
	size_t n = strlen(want);

	if (!strcmp(key, want))
		return 1;
	if (strstr(want, ".so"))
		return 0;
	return !strncmp(key, want, n) && !strncmp(key + n, ".so", 3);
}

/*
 * ld.so.cache (the "glibc-ld.so.cache1.1" format, alone or after the old
 * one): the first x86-64 entry for @want.
 */
static int from_ld_cache(const char *root, const char *want, char *out, size_t outlen)
{
	static const char magic[] = "glibc-ld.so.cache1.1";
	char path[4200];
	unsigned char *buf = NULL;
	size_t len = 0, base = 0, i;
	uint32_t nlibs;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/etc/ld.so.cache", root);
	f = fopen(path, "re");
	if (!f)
		return 0;
	buf = malloc(1 << 22);
	if (buf)
		len = fread(buf, 1, 1 << 22, f);
	fclose(f);
	if (!buf || len < 48)
		goto out;
	if (!memcmp(buf, "ld.so-1.7.0", 11)) {
		memcpy(&nlibs, buf + 12, 4);
		base = (16 + (size_t)nlibs * 12 + 7) & ~(size_t)7;
	}
	if (base + 48 > len || memcmp(buf + base, magic, sizeof(magic) - 1))
		goto out;
	memcpy(&nlibs, buf + base + 20, 4);
	for (i = 0; i < nlibs; i++) {
		size_t e = base + 48 + i * 24;
		uint32_t key, value;
		int32_t flags;

		if (e + 24 > len)
			break;
		memcpy(&flags, buf + e, 4);
		memcpy(&key, buf + e + 4, 4);
		memcpy(&value, buf + e + 8, 4);
		/* Offsets count from the new header (from the file's start in 1.1). */
		if (key >= len || value >= len || (flags & 0xff00) != 0x0300)
			continue;
		if (!memchr(buf + key, 0, len - key) || !memchr(buf + value, 0, len - value))
			continue;
		if (lib_matches((char *)buf + key, want)) {
			snprintf(out, outlen, "%s%s", root, (char *)buf + value);
			found = is_file(out);
			if (found)
				break;
		}
	}
out:
	free(buf);
	return found;
}

static int from_lib_dirs(const char *root, const char *want, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++) {
		char pat[4200];
		glob_t g;

		snprintf(out, outlen, "%s%s/%s", root, lib_dirs[i], want);
		if (is_file(out))
			return 1;
		if (strstr(want, ".so"))
			continue;
		snprintf(pat, sizeof(pat), "%s%s/%s.so*", root, lib_dirs[i], want);
		if (!glob(pat, 0, NULL, &g)) {
			size_t k;

			for (k = 0; k < g.gl_pathc; k++) {
				if (is_file(g.gl_pathv[k])) {
					snprintf(out, outlen, "%s", g.gl_pathv[k]);
					globfree(&g);
					return 1;
				}
			}
			globfree(&g);
		}
	}
	return 0;
}

int target_which(const char *root, const char *name, char *out, size_t outlen)
{
	const char *p = getenv("PATH");
	char *copy, *dir, *save = NULL;
	int found = 0;

	if (!p || !*p)
		p = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	copy = strdup(p);
	for (dir = strtok_r(copy, ":", &save); copy && dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, outlen, "%s%s/%s", root, dir, name);
		found = is_file(out) && !access(out, X_OK);
	}
	free(copy);
	return found;
}

int target_find_file(const char *file, pid_t pid, char *out, size_t outlen,
		     char *err, size_t errlen)
{
	char root[64] = "";
	int lib;

	if (pid) {
		snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
		if (access(root, F_OK)) {
			if (errno == ENOENT)
				snprintf(err, errlen, "no process with pid %d", (int)pid);
			else
				snprintf(err, errlen, "cannot see the files of process %d (%s): run as root",
					 (int)pid, strerror(errno));
			return -1;
		}
	}
	if (strchr(file, '/')) {
		if (file[0] == '/')
			snprintf(out, outlen, "%s%s", root, file);
		else if (pid)
			snprintf(out, outlen, "/proc/%d/cwd/%s", (int)pid, file);
		else if (!realpath(file, out))
			snprintf(out, outlen, "%s", file);
		if (is_file(out))
			return 0;
		if (access(out, F_OK))
			snprintf(err, errlen, "cannot open %s: %s", out, strerror(errno));
		else
			snprintf(err, errlen, "%s is not a regular file", out);
		return -1;
	}
	lib = !strncmp(file, "lib", 3) || strstr(file, ".so");
	if (lib && (from_ld_cache(root, file, out, outlen) ||
		    from_lib_dirs(root, file, out, outlen)))
		return 0;
	if (!lib && target_which(root, file, out, outlen))
		return 0;
	if (lib)
		snprintf(err, errlen, "library '%s' not found in %s/etc/ld.so.cache or the library directories: give its path",
			 file, root);
	else
		snprintf(err, errlen, "program '%s' not found in $PATH%s: give its path", file,
			 pid ? " (inside the process's root)" : "");
	return -1;
}

/* Edit distance, capped, for "did you mean". */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[65], prev, tmp;

	if (la > 64 || lb > 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int best = prev + (a[i - 1] != b[j - 1]);

			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static void __attribute__((format(printf, 3, 4)))
append(char *err, size_t errlen, const char *fmt, ...)
{
	size_t n = strlen(err);
	va_list ap;

	if (n + 1 >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
}

/* The symbol named @name; NULL with @err listing candidates. */
static const struct esym *find_symbol(const struct elfinfo *ei, const char *name,
				      char *err, size_t errlen)
{
	const struct esym *hit = NULL, *dflt = NULL;
	const char *at = strchr(name, '@');
	size_t i, nhit = 0, ndflt = 0, shown = 0;
	int ambiguous = 0;

	for (i = 0; i < ei->nsyms; i++) {
		const struct esym *s = &ei->syms[i];
		int match;

		if (!s->in_text)
			continue;
		if (at) {
			/* name@VER matches name@VER and name@@VER; name@@VER only that. */
			match = s->vername && (!strcmp(s->vername, name) ||
					      (at[1] != '@' && s->default_ver &&
					       !strncmp(s->vername, name, at - name) &&
					       !strcmp(s->vername + (at - name) + 1, at)));
		} else {
			match = !strcmp(s->name, name);
		}
		if (!match)
			continue;
		if (hit && hit->off != s->off)
			ambiguous = 1;
		if (!hit || hit->off != s->off)
			nhit++;
		hit = s;
		if (s->default_ver) {
			if (!dflt || dflt->off != s->off)
				ndflt++;
			dflt = s;
		}
	}
	if (hit && !ambiguous)
		return hit;
	if (ambiguous && ndflt == 1 && !at)
		return dflt;	/* malloc: the default version, as the linker would */
	if (ambiguous) {
		snprintf(err, errlen, "%zu functions are named '%s'; pick one by version or file offset:",
			 nhit, name);
		for (i = 0; i < ei->nsyms && shown < 12; i++) {
			const struct esym *s = &ei->syms[i];

			if (!s->in_text || (strcmp(s->name, name) &&
					    (!s->vername || strcmp(s->vername, name))))
				continue;
			append(err, errlen, "\n  %s  (file offset 0x%" PRIx64 ")",
			       s->vername ? s->vername : s->name, s->off);
			shown++;
		}
		return NULL;
	}
	snprintf(err, errlen, "no function '%s' in %s", name, ei->path);
	for (i = 0; i < ei->nsyms && shown < 8; i++) {
		const struct esym *s = &ei->syms[i];
		size_t k;
		int dup = 0;

		if (!s->in_text)
			continue;
		if (!strstr(s->name, name) && distance(s->name, name) > 2)
			continue;
		for (k = 0; k < i && !dup; k++)
			dup = ei->syms[k].in_text && !strcmp(ei->syms[k].name, s->name);
		if (dup)
			continue;
		append(err, errlen, "%s%s", shown ? ", " : "; close matches: ", s->name);
		shown++;
	}
	if (!shown)
		append(err, errlen, "; 'uprobectl symbols FILE' lists what can be probed");
	return NULL;
}

/* Is @off (from the symbol's start) an instruction boundary? */
static int check_boundary(const struct elfinfo *ei, const struct esym *s, uint64_t off,
			  char *err, size_t errlen)
{
	uint64_t pos = 0;

	while (pos < off) {
		struct upc_insn insn;
		uint8_t buf[UPC_INSN_MAX];
		long n = elf_read(ei, s->off + pos, buf, sizeof(buf));

		if (n <= 0 || upc_insn_decode(&insn, buf, (size_t)n, true)) {
			snprintf(err, errlen, "cannot decode %s at +0x%" PRIx64
				 " (data in the code?): give a file offset you know is an instruction",
				 s->name, pos);
			return -1;
		}
		if (pos + insn.len > off) {
			snprintf(err, errlen, "%s+0x%" PRIx64 " is inside the %u-byte instruction at %s+0x%"
				 PRIx64 ": use %s+0x%" PRIx64 " or %s+0x%" PRIx64,
				 s->name, off, insn.len, s->name, pos, s->name, pos, s->name,
				 pos + insn.len);
			return -1;
		}
		pos += insn.len;
	}
	return 0;
}

static void target_set_fn(struct target *t, const struct esym *s)
{
	t->at_entry = 1;
	t->fn_size = s->size;
	snprintf(t->fn_name, sizeof(t->fn_name), "%s", s->name);
}

int target_resolve(const struct target_spec *spec, pid_t pid, struct target *t,
		   char *err, size_t errlen)
{
	struct elfinfo ei;
	const struct esym *s;
	const char *base;
	uint64_t va;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	if (target_find_file(spec->file, pid, t->path, sizeof(t->path), err, errlen))
		return -1;
	if (elf_load(&ei, t->path, err, errlen))
		return -1;
	base = strrchr(t->path, '/');
	base = base ? base + 1 : t->path;
	if (!spec->symbol) {
		t->offset = spec->value;
		if (elf_off_to_va(&ei, t->offset, &va)) {
			snprintf(err, errlen, "file offset 0x%" PRIx64 " is not in an executable segment of %s ('uprobectl symbols %s' lists functions)",
				 t->offset, t->path, spec->file);
			goto out;
		}
		s = elf_sym_at(&ei, t->offset);
		if (s && t->offset != s->off)
			snprintf(t->desc, sizeof(t->desc), "%s:%s+0x%" PRIx64, t->path, s->name,
				 t->offset - s->off);
		else if (s)
			snprintf(t->desc, sizeof(t->desc), "%s:%s", t->path, s->name);
		else
			snprintf(t->desc, sizeof(t->desc), "%s:0x%" PRIx64, t->path, t->offset);
		if (s && t->offset == s->off) {
			snprintf(t->name, sizeof(t->name), "%.63s", s->name);
			target_set_fn(t, s);
		}
		else
			snprintf(t->name, sizeof(t->name), "%.40s:0x%" PRIx64, base,
				 (uint64_t)(t->offset & 0xffffffffffULL));
		ret = 0;
		goto out;
	}
	s = find_symbol(&ei, spec->symbol, err, errlen);
	if (!s)
		goto out;
	if (spec->value) {
		if (!s->size) {
			snprintf(err, errlen, "%s has no size in the symbol table, so +0x%" PRIx64
				 " cannot be checked: give a file offset (it starts at 0x%" PRIx64 ")",
				 s->name, spec->value, s->off);
			goto out;
		}
		if (spec->value >= s->size) {
			snprintf(err, errlen, "%s+0x%" PRIx64 " is past the end of %s (%" PRIu64 " bytes)",
				 s->name, spec->value, s->name, s->size);
			goto out;
		}
		if (check_boundary(&ei, s, spec->value, err, errlen))
			goto out;
	}
	t->offset = s->off + spec->value;
	if (spec->value) {
		snprintf(t->name, sizeof(t->name), "%.40s+0x%" PRIx64, s->name, spec->value);
		snprintf(t->desc, sizeof(t->desc), "%s:%s+0x%" PRIx64, t->path, s->name, spec->value);
	} else {
		snprintf(t->name, sizeof(t->name), "%.63s", s->name);
		snprintf(t->desc, sizeof(t->desc), "%s:%s", t->path, s->name);
		target_set_fn(t, s);
	}
	ret = 0;
out:
	elf_unload(&ei);
	return ret;
}
