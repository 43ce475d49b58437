// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* Fetch arguments: parsing, printing back, and printing fetched values. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetcharg.h"

static const struct {
	const char *name;
	int reg;
	int type;		/* default type for the 32-bit names */
} regs[] = {
	{ "ax", UPROBECTL_REG_AX, 0 }, { "bx", UPROBECTL_REG_BX, 0 },
	{ "cx", UPROBECTL_REG_CX, 0 }, { "dx", UPROBECTL_REG_DX, 0 },
	{ "si", UPROBECTL_REG_SI, 0 }, { "di", UPROBECTL_REG_DI, 0 },
	{ "bp", UPROBECTL_REG_BP, 0 }, { "sp", UPROBECTL_REG_SP, 0 },
	{ "ip", UPROBECTL_REG_IP, 0 }, { "flags", UPROBECTL_REG_FLAGS, 0 },
	{ "rax", UPROBECTL_REG_AX, 0 }, { "rbx", UPROBECTL_REG_BX, 0 },
	{ "rcx", UPROBECTL_REG_CX, 0 }, { "rdx", UPROBECTL_REG_DX, 0 },
	{ "rsi", UPROBECTL_REG_SI, 0 }, { "rdi", UPROBECTL_REG_DI, 0 },
	{ "rbp", UPROBECTL_REG_BP, 0 }, { "rsp", UPROBECTL_REG_SP, 0 },
	{ "rip", UPROBECTL_REG_IP, 0 },
	{ "eax", UPROBECTL_REG_AX, 4 }, { "ebx", UPROBECTL_REG_BX, 4 },
	{ "ecx", UPROBECTL_REG_CX, 4 }, { "edx", UPROBECTL_REG_DX, 4 },
	{ "esi", UPROBECTL_REG_SI, 4 }, { "edi", UPROBECTL_REG_DI, 4 },
	{ "ebp", UPROBECTL_REG_BP, 4 }, { "esp", UPROBECTL_REG_SP, 4 },
	{ "r8", UPROBECTL_REG_R8, 0 }, { "r9", UPROBECTL_REG_R9, 0 },
	{ "r10", UPROBECTL_REG_R10, 0 }, { "r11", UPROBECTL_REG_R11, 0 },
	{ "r12", UPROBECTL_REG_R12, 0 }, { "r13", UPROBECTL_REG_R13, 0 },
	{ "r14", UPROBECTL_REG_R14, 0 }, { "r15", UPROBECTL_REG_R15, 0 },
};

/* Canonical names, by UPROBECTL_REG_*. */
static const char *const reg_names[UPROBECTL_NR_REGS] = {
	"ax", "bx", "cx", "dx", "si", "di", "bp", "sp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ip", "flags",
};

static const int arg_regs[6] = {
	UPROBECTL_REG_DI, UPROBECTL_REG_SI, UPROBECTL_REG_DX,
	UPROBECTL_REG_CX, UPROBECTL_REG_R8, UPROBECTL_REG_R9,
};

struct parser {
	const char *s;
	char *err;
	size_t errlen;
	int dflt_size;		/* 4 for %eXX */
};

static int fail(struct parser *p, const char *what)
{
	snprintf(p->err, p->errlen, "%s", what);
	return -1;
}

/* One FETCHARG at p->s, into @f (depth counts what is inside). */
static int parse_expr(struct parser *p, struct uprobectl_fetch *f)
{
	const char *s = p->s;
	char *end;

	if (*s == '%') {
		size_t i, n = 0;

		s++;
		while (isalnum((unsigned char)s[n]))
			n++;
		for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
			if (strlen(regs[i].name) == n && !strncmp(regs[i].name, s, n)) {
				f->base = UPROBECTL_FETCH_REG;
				f->reg = regs[i].reg;
				p->dflt_size = regs[i].type;
				p->s = s + n;
				return 0;
			}
		}
		snprintf(p->err, p->errlen, "unknown register '%%%.*s' (x86-64 names: %%di, %%rdi, %%r8, %%sp, %%ip ...)",
			 (int)n, s);
		return -1;
	}
	if (*s == '@') {
		errno = 0;
		f->imm = strtoull(s + 1, &end, 0);
		if (errno || end == s + 1)
			return fail(p, "'@' takes an address, like @0x601040");
		f->base = UPROBECTL_FETCH_IMM;
		f->depth = 1;
		f->off[0] = 0;
		p->s = end;
		return 0;
	}
	if (*s == '$') {
		long n;

		if (!strncmp(s, "$retval", 7) && !isalnum((unsigned char)s[7])) {
			f->base = UPROBECTL_FETCH_RETVAL;
			p->s = s + 7;
			return 0;
		}
		if (!strncmp(s, "$arg", 4) && isdigit((unsigned char)s[4])) {
			n = strtol(s + 4, &end, 10);
			if (n < 1 || n > 6)
				return fail(p, "$argN: N is 1 to 6 (the arguments passed in registers)");
			f->base = UPROBECTL_FETCH_REG;
			f->reg = arg_regs[n - 1];
			p->s = end;
			return 0;
		}
		if (!strncmp(s, "$stack", 6)) {
			f->base = UPROBECTL_FETCH_REG;
			f->reg = UPROBECTL_REG_SP;
			if (isdigit((unsigned char)s[6])) {
				n = strtol(s + 6, &end, 10);
				if (n > 1024)
					return fail(p, "$stackN: N is at most 1024");
				f->depth = 1;
				f->off[0] = n * 8;
				p->s = end;
			} else {
				p->s = s + 6;
			}
			return 0;
		}
		return fail(p, "unknown variable (use $argN, $stack, $stackN or $retval)");
	}
	if (*s == '+' || *s == '-') {
		int64_t off;

		errno = 0;
		off = strtoll(s, &end, 0);
		if (errno || end == s + 1 || *end != '(')
			return fail(p, "a dereference is +OFFSET(FETCHARG), like +8(%di)");
		p->s = end + 1;
		if (parse_expr(p, f))
			return -1;
		if (*p->s != ')')
			return fail(p, "missing ')' in a dereference");
		p->s++;
		if (f->depth >= UPROBECTL_FETCH_DEPTH) {
			snprintf(p->err, p->errlen, "more than %d nested dereferences", UPROBECTL_FETCH_DEPTH);
			return -1;
		}
		f->off[f->depth++] = off;
		p->dflt_size = 0;
		return 0;
	}
	return fail(p, "a fetch argument is %REG, @ADDR, +OFF(FETCHARG), $argN, $stackN or $retval");
}

static int parse_type(const char *t, struct uprobectl_fetch *f)
{
	char *end;
	long bits;

	if (!strcmp(t, "string")) {
		f->type = UPROBECTL_TYPE_STRING;
		return 0;
	}
	if (t[0] != 'u' && t[0] != 's' && t[0] != 'x')
		return -1;
	bits = strtol(t + 1, &end, 10);
	if (*end || (bits != 8 && bits != 16 && bits != 32 && bits != 64))
		return -1;
	f->type = (t[0] == 'u' ? UPROBECTL_TYPE_U(bits / 8) :
		   t[0] == 's' ? UPROBECTL_TYPE_S(bits / 8) : UPROBECTL_TYPE_X(bits / 8));
	return 0;
}

int fetcharg_like(const char *w)
{
	const char *eq = strchr(w, '=');
	size_t i;

	if (strchr("%@+-$", w[0]))
		return 1;
	if (!eq || eq == w)
		return 0;
	for (i = 0; w + i < eq; i++)
		if (!isalnum((unsigned char)w[i]) && w[i] != '_')
			return 0;
	return 1;
}

int fetcharg_parse(const char *arg, int index, struct uprobectl_fetch *f,
		   char *err, size_t errlen)
{
	struct parser p = { .err = err, .errlen = errlen };
	const char *eq = strchr(arg, '=');
	char tmp[256];
	size_t i;

	memset(f, 0, sizeof(*f));
	if (eq && eq > arg && !strchr("%@+-$", arg[0])) {
		size_t n = eq - arg;

		for (i = 0; i < n; i++)
			if (!(isalnum((unsigned char)arg[i]) || arg[i] == '_') ||
			    (!i && isdigit((unsigned char)arg[i])))
				break;
		if (i < n || n >= sizeof(f->name)) {
			snprintf(err, errlen, "'%.*s' is not an argument name (letters, digits, _; at most %zu)",
				 (int)n, arg, sizeof(f->name) - 1);
			return -1;
		}
		memcpy(f->name, arg, n);
		arg = eq + 1;
	} else {
		snprintf(f->name, sizeof(f->name), "arg%d", index + 1);
	}
	p.s = arg;
	if (parse_expr(&p, f))
		goto bad;
	if (*p.s == ':') {
		if (parse_type(p.s + 1, f)) {
			snprintf(err, errlen, "unknown type '%s' (u8..u64, s8..s64, x8..x64, string)",
				 p.s + 1);
			goto bad;
		}
	} else if (*p.s) {
		snprintf(err, errlen, "unexpected '%s'", p.s);
		goto bad;
	} else {
		f->type = UPROBECTL_TYPE_X(p.dflt_size ? p.dflt_size : 8);
	}
	if (f->type == UPROBECTL_TYPE_STRING && !f->depth) {
		snprintf(err, errlen, "a string is read from memory: write +0(%.*s):string",
			 (int)strcspn(arg, ":"), arg);
		goto bad;
	}
	return 0;
bad:
	snprintf(tmp, sizeof(tmp), "%s", err);
	snprintf(err, errlen, "fetch argument '%s': %s", arg, tmp);
	return -1;
}

static int format_expr(const struct uprobectl_fetch *f, int depth, char *out, size_t len)
{
	if (depth == 0) {
		if (f->base == UPROBECTL_FETCH_REG)
			return snprintf(out, len, "%%%s",
					f->reg < UPROBECTL_NR_REGS ? reg_names[f->reg] : "?");
		if (f->base == UPROBECTL_FETCH_RETVAL)
			return snprintf(out, len, "$retval");
		return snprintf(out, len, "0x%" PRIx64, (uint64_t)f->imm);
	}
	if (depth == 1 && f->base == UPROBECTL_FETCH_IMM && !f->off[0])
		return snprintf(out, len, "@0x%" PRIx64, (uint64_t)f->imm);
	{
		char inner[200];
		int64_t o = f->off[depth - 1];

		format_expr(f, depth - 1, inner, sizeof(inner));
		return snprintf(out, len, "%s%" PRIu64 "(%s)", o < 0 ? "-" : "+",
				o < 0 ? (uint64_t)-o : (uint64_t)o, inner);
	}
}

static const char *type_name(uint8_t type, char *buf)
{
	if (type == UPROBECTL_TYPE_STRING)
		return "string";
	sprintf(buf, "%c%d", "?usx"[(type >> 4) & 3], (type & 0xf) * 8);
	return buf;
}

void fetcharg_format(const struct uprobectl_fetch *f, char *out, size_t outlen)
{
	char expr[256], tb[8];

	format_expr(f, f->depth, expr, sizeof(expr));
	snprintf(out, outlen, "%s=%s:%s", f->name, expr, type_name(f->type, tb));
}

static void print_string(FILE *out, const char *s, size_t n, int json)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, json ? "\\u%04x" : "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void fetcharg_print_value(FILE *out, const struct uprobectl_fetch *f,
			  const struct uprobectl_event_args *ea, const void *rec,
			  size_t recsize, unsigned int i, int json)
{
	uint64_t v = ea->value[i];

	if (ea->faults & (1U << i)) {
		fputs(json ? "null" : "(fault)", out);
		return;
	}
	switch (f->type >> 4) {
	case 1:
		fprintf(out, "%" PRIu64, v);
		break;
	case 2:
		fprintf(out, "%" PRId64, (int64_t)v);
		break;
	case 3:
		fprintf(out, json ? "\"0x%" PRIx64 "\"" : "0x%" PRIx64, v);
		break;
	default: {
		size_t off = v & 0xffff, n = (v >> 16) & 0xffff;

		if (off + n > recsize) {
			fputs(json ? "null" : "(bad)", out);
			break;
		}
		print_string(out, (const char *)rec + off, n, json);
	}
	}
}
