// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
#include <ctype.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfsym.h"
#include "sdt.h"

#define NT_STAPSDT 3

static int push(struct sdt_note **v, size_t *n, size_t *cap, const struct sdt_note *x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		struct sdt_note *nv = realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = *x;
	return 0;
}

/* One note's description: pc, base, semaphore, then three strings. */
static int parse_desc(const char *d, size_t len, uint64_t base_addr, int have_base,
		      struct sdt_note *out)
{
	uint64_t pc, base, sem;
	const char *s = d + 24, *end = d + len, *p, *n, *a;

	if (len < 27)
		return -1;
	memcpy(&pc, d, 8);
	memcpy(&base, d + 8, 8);
	memcpy(&sem, d + 16, 8);
	p = s;
	n = memchr(p, 0, end - p);
	if (!n)
		return -1;
	n++;
	a = memchr(n, 0, end - n);
	if (!a)
		return -1;
	a++;
	if (!memchr(a, 0, end - a))
		return -1;
	/* Where the file was linked to vs. where the note says: prelink. */
	if (have_base) {
		pc += base_addr - base;
		if (sem)
			sem += base_addr - base;
	}
	memset(out, 0, sizeof(*out));
	out->provider = strdup(p);
	out->name = strdup(n);
	out->args = strdup(a);
	out->rargs = NULL;
	out->pc = pc;
	out->sem = sem;
	return out->provider && out->name && out->args ? 0 : -1;
}

/* The address of symbol @name (any defined one) in .symtab or .dynsym. */
static int find_sym(Elf *elf, const char *name, size_t len, uint64_t *addr)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		n = d ? sh.sh_size / sh.sh_entsize : 0;
		for (i = 0; i < n; i++) {
			GElf_Sym s;
			const char *nm;

			if (!gelf_getsym(d, i, &s) || s.st_shndx == SHN_UNDEF)
				continue;
			nm = elf_strptr(elf, sh.sh_link, s.st_name);
			if (nm && strlen(nm) == len && !strncmp(nm, name, len)) {
				*addr = s.st_value;
				return 0;
			}
		}
	}
	return -1;
}

/*
 * A note's spec with "SYM[+-N](%rip)" operands (a global variable, as gcc
 * writes it) turned into "=0xADDR(%rip)", SYM's address plus N. An unknown
 * symbol is left as written (sdt_args() refuses it with its name).
 */
static char *resolve_rip(Elf *elf, const char *args)
{
	size_t len = strlen(args), cap = len * 4 + 64, o = 0;	/* each operand grows by 18 at most */
	const char *p = args;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	while (*p) {
		const char *at = strchr(p, '@'), *end, *paren, *op;
		size_t symlen;
		uint64_t addr;
		long long disp = 0;
		char *dend;

		end = p + strcspn(p, " ");
		paren = at && at < end ? strstr(at, "(%rip)") : NULL;
		op = at ? at + 1 : NULL;
		if (!paren || paren >= end || !(isalpha((unsigned char)*op) || *op == '_' || *op == '.')) {
			memcpy(out + o, p, end - p);
			o += end - p;
		} else {
			symlen = strcspn(op, "+-(");
			if (op[symlen] == '+' || op[symlen] == '-') {
				disp = strtoll(op + symlen, &dend, 0);
				if (dend != paren)
					disp = 0, symlen = 0;
			}
			if (symlen && op + symlen <= paren && !find_sym(elf, op, symlen, &addr) &&
			    o + 64 + (op - p) < cap) {
				memcpy(out + o, p, op - p);
				o += op - p;
				o += snprintf(out + o, cap - o, "=0x%llx(%%rip)",
					      (unsigned long long)(addr + disp));
			} else {
				memcpy(out + o, p, end - p);
				o += end - p;
			}
		}
		p = end;
		while (*p == ' ' && o + 1 < cap)
			out[o++] = *p++;
	}
	out[o] = 0;
	return out;
}

int sdt_load(const char *path, struct sdt_note **notes, size_t *n, char *err, size_t errlen)
{
	struct elfinfo ei;
	Elf_Scn *scn = NULL;
	uint64_t base_addr = 0;
	int have_base = 0, exec;
	size_t shstrndx, cap = 0, i;
	Elf *elf;

	*notes = NULL;
	*n = 0;
	if (elf_load(&ei, path, err, errlen))
		return -1;
	elf = elf_begin(ei.fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		snprintf(err, errlen, "cannot read the sections of %s: %s", path, elf_errmsg(-1));
		goto fail;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *nm;

		if (!gelf_getshdr(scn, &sh))
			continue;
		nm = elf_strptr(elf, shstrndx, sh.sh_name);
		if (nm && !strcmp(nm, ".stapsdt.base")) {
			base_addr = sh.sh_addr;
			have_base = 1;
		}
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *d;
		size_t off = 0, noff, doff;
		const char *nm;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		nm = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!nm || strcmp(nm, ".note.stapsdt"))
			continue;
		d = elf_getdata(scn, NULL);
		while (d && (off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			struct sdt_note x;

			if (nh.n_type != NT_STAPSDT || nh.n_namesz != 8 ||
			    memcmp((char *)d->d_buf + noff, "stapsdt", 8))
				continue;
			if (parse_desc((char *)d->d_buf + doff, nh.n_descsz, base_addr,
				       have_base, &x) || push(notes, n, &cap, &x)) {
				snprintf(err, errlen, "%s: a malformed SDT note, or out of memory", path);
				goto fail;
			}
		}
	}
	for (i = 0; i < *n; i++) {
		struct sdt_note *x = &(*notes)[i];

		if (elf_va_to_off(&ei, x->pc, &x->off, &exec) || !exec) {
			snprintf(err, errlen, "%s: SDT probe %s:%s at 0x%llx is not in the file's code",
				 path, x->provider, x->name, (unsigned long long)x->pc);
			goto fail;
		}
		x->rargs = resolve_rip(elf, x->args);
		if (!x->rargs) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (x->sem && elf_va_to_off(&ei, x->sem, &x->sem_off, &exec)) {
			snprintf(err, errlen, "%s: the semaphore of SDT probe %s:%s (0x%llx) is not in the file",
				 path, x->provider, x->name, (unsigned long long)x->sem);
			goto fail;
		}
	}
	elf_end(elf);
	elf_unload(&ei);
	return 0;
fail:
	if (elf)
		elf_end(elf);
	elf_unload(&ei);
	sdt_free(*notes, *n);
	*notes = NULL;
	*n = 0;
	return -1;
}

void sdt_free(struct sdt_note *notes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(notes[i].provider);
		free(notes[i].name);
		free(notes[i].args);
		free(notes[i].rargs);
	}
	free(notes);
}

/* x86-64 register names of every width, as gas writes them. */
static const struct {
	const char *name;
	int reg;
} sdt_regs[] = {
	{ "rax", UPROBECTL_REG_AX }, { "eax", UPROBECTL_REG_AX }, { "ax", UPROBECTL_REG_AX },
	{ "al", UPROBECTL_REG_AX }, { "rbx", UPROBECTL_REG_BX }, { "ebx", UPROBECTL_REG_BX },
	{ "bx", UPROBECTL_REG_BX }, { "bl", UPROBECTL_REG_BX }, { "rcx", UPROBECTL_REG_CX },
	{ "ecx", UPROBECTL_REG_CX }, { "cx", UPROBECTL_REG_CX }, { "cl", UPROBECTL_REG_CX },
	{ "rdx", UPROBECTL_REG_DX }, { "edx", UPROBECTL_REG_DX }, { "dx", UPROBECTL_REG_DX },
	{ "dl", UPROBECTL_REG_DX }, { "rsi", UPROBECTL_REG_SI }, { "esi", UPROBECTL_REG_SI },
	{ "si", UPROBECTL_REG_SI }, { "sil", UPROBECTL_REG_SI }, { "rdi", UPROBECTL_REG_DI },
	{ "edi", UPROBECTL_REG_DI }, { "di", UPROBECTL_REG_DI }, { "dil", UPROBECTL_REG_DI },
	{ "rbp", UPROBECTL_REG_BP }, { "ebp", UPROBECTL_REG_BP }, { "bp", UPROBECTL_REG_BP },
	{ "bpl", UPROBECTL_REG_BP }, { "rsp", UPROBECTL_REG_SP }, { "esp", UPROBECTL_REG_SP },
	{ "sp", UPROBECTL_REG_SP }, { "spl", UPROBECTL_REG_SP }, { "rip", UPROBECTL_REG_IP },
};

static int sdt_reg(const char *s, size_t len)
{
	char buf[8];
	size_t i;
	int r;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	for (i = 0; i < sizeof(sdt_regs) / sizeof(sdt_regs[0]); i++)
		if (!strcmp(buf, sdt_regs[i].name))
			return sdt_regs[i].reg;
	/* r8 .. r15, with d/w/b suffixes */
	if (buf[0] == 'r' && isdigit((unsigned char)buf[1])) {
		char *end;

		r = (int)strtol(buf + 1, &end, 10);
		if (r >= 8 && r <= 15 && (!*end || (!end[1] && strchr("dwb", *end))))
			return UPROBECTL_REG_R8 + (r - 8);
	}
	return -1;
}

/* One "SIZE@LOCATION" into @f. */
static int sdt_arg(const char *a, size_t len, uint64_t pc, struct uprobectl_fetch *f, char *err,
		   size_t errlen)
{
	char buf[128], *loc, *end, *paren;
	long size = 8;
	int sign = 0, reg;

	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "argument '%.*s' is too long", (int)len, a);
		return -1;
	}
	memcpy(buf, a, len);
	buf[len] = 0;
	loc = strchr(buf, '@');
	if (loc) {
		*loc++ = 0;
		size = strtol(buf, &end, 10);
		if (*end || !size) {
			snprintf(err, errlen, "argument '%s': bad size", a);
			return -1;
		}
	} else {
		loc = buf;
	}
	if (size < 0) {
		sign = 1;
		size = -size;
	}
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		snprintf(err, errlen, "argument '%.*s': size %ld is not 1, 2, 4 or 8", (int)len, a, size);
		return -1;
	}
	memset(f, 0, sizeof(*f));
	f->type = sign ? UPROBECTL_TYPE_S(size) : UPROBECTL_TYPE_U(size);
	if (loc[0] == '$') {		/* a constant */
		f->base = UPROBECTL_FETCH_IMM;
		f->imm = (uint64_t)strtoll(loc + 1, &end, 0);
		if (*end)
			goto bad;
		return 0;
	}
	if (loc[0] == '%') {		/* a register */
		reg = sdt_reg(loc + 1, strlen(loc + 1));
		if (reg < 0 || reg == UPROBECTL_REG_IP)
			goto bad;
		f->base = UPROBECTL_FETCH_REG;
		f->reg = (uint8_t)reg;
		return 0;
	}
	/* [OFFSET](%reg): memory at a register plus a constant */
	paren = strchr(loc, '(');
	if (!paren || loc[strlen(loc) - 1] != ')' || paren[1] != '%')
		goto bad;
	f->off[0] = 0;
	if (loc[0] == '=' && !strcmp(paren, "(%rip)")) {
		/* A resolved symbol: at the hit, rip is the probe's address. */
		uint64_t addr;

		*paren = 0;
		addr = strtoull(loc + 1, &end, 0);
		if (*end)
			goto bad;
		f->base = UPROBECTL_FETCH_REG;
		f->reg = UPROBECTL_REG_IP;
		f->depth = 1;
		f->off[0] = (int64_t)(addr - pc);
		return 0;
	}
	if (paren != loc) {
		*paren = 0;
		f->off[0] = strtoll(loc, &end, 0);
		if (*end)
			goto bad_sym;
	}
	reg = sdt_reg(paren + 2, strlen(paren + 2) - 1);
	if (reg < 0)
		goto bad;
	if (reg == UPROBECTL_REG_IP)
		goto bad_sym;
	f->base = UPROBECTL_FETCH_REG;
	f->reg = (uint8_t)reg;
	f->depth = 1;
	return 0;
bad_sym:
	snprintf(err, errlen, "argument '%.*s': a symbol not in the file's symbol tables, or a rip-relative form this version cannot read",
		 (int)len, a);
	return -1;
bad:
	snprintf(err, errlen, "argument '%.*s': cannot read this location (register, N(%%reg) or $constant expected)",
		 (int)len, a);
	return -1;
}

int sdt_args(const char *spec, uint64_t pc, struct uprobectl_fetch *out, int max, int *n,
	     char *err, size_t errlen)
{
	const char *p = spec;

	*n = 0;
	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		if (*n == max) {
			snprintf(err, errlen, "more than %d arguments", max);
			return -1;
		}
		if (sdt_arg(p, len, pc, &out[*n], err, errlen))
			return -1;
		snprintf(out[*n].name, sizeof(out[*n].name), "arg%d", *n);
		(*n)++;
		p += len;
	}
	return 0;
}
