// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* Where a function is left: its rets and its jumps out, found by decoding it. */
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfsym.h"
#include "funcexit.h"
#include "insn.h"

struct range {
	uint64_t start, end;	/* file offsets */
};

static int in_ranges(const struct range *r, int nr, uint64_t off)
{
	int i;

	for (i = 0; i < nr; i++)
		if (off >= r[i].start && off < r[i].end)
			return 1;
	return 0;
}

static int add_exit(struct func_exits *fx, uint64_t off)
{
	uint64_t *v = realloc(fx->off, (fx->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	fx->off = v;
	fx->off[fx->n++] = off;
	return 0;
}

/* Decode @r (one part of the function) and collect its exits. */
static int scan(const struct elfinfo *ei, const char *name, const struct range *parts,
		int nparts, const struct range *r, struct func_exits *fx, char *err,
		size_t errlen)
{
	uint64_t pos = r->start;

	while (pos < r->end) {
		uint8_t buf[UPC_INSN_MAX];
		struct upc_insn in;
		long n = elf_read(ei, pos, buf, sizeof(buf));
		int one = 0, exit = 0;

		if (n > 0 && (uint64_t)n > r->end - pos)
			n = (long)(r->end - pos);
		if (n <= 0 || upc_insn_decode(&in, buf, (size_t)n, true)) {
			snprintf(err, errlen, "cannot decode %s at file offset 0x%" PRIx64
				 " (data in its code?): its exits cannot be found; use --ret, or probe the ret instructions by offset",
				 name, pos);
			return -1;
		}
		one = in.map == UPC_MAP_1BYTE;
		if (one && (in.opcode == 0xc3 || in.opcode == 0xc2 ||
			    in.opcode == 0xcb || in.opcode == 0xca)) {
			exit = 1;
			fx->nret++;
		} else if (in.rel_branch && !(one && in.opcode == 0xe8)) {
			/* jmp, jcc, loop: out of the function is a tail call. */
			uint64_t target = pos + in.len + (uint64_t)in.imm;

			exit = !in_ranges(parts, nparts, target);
		} else if (one && in.opcode == 0xff && in.has_modrm &&
			   (UPC_MODRM_REG(in.modrm) == 4 || UPC_MODRM_REG(in.modrm) == 5)) {
			fx->nindirect++;
		}
		if (exit && add_exit(fx, pos)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		pos += in.len;
	}
	return 0;
}

int func_exits_find(const char *path, const char *name, uint64_t off, uint64_t size,
		    struct func_exits *fx, char *err, size_t errlen)
{
	struct range parts[2];
	struct elfinfo ei;
	char cold[300];
	size_t i;
	int np = 1, ret = -1;

	memset(fx, 0, sizeof(*fx));
	if (!size) {
		snprintf(err, errlen, "%s has no size in the symbol table, so its exits cannot be found: use --ret, or probe its ret instructions by offset",
			 name);
		return -1;
	}
	if (elf_load(&ei, path, err, errlen))
		return -1;
	parts[0].start = off;
	parts[0].end = off + size;
	/*
	 * gcc moves a function's unlikely code to NAME.cold, reached by
	 * jumps; NAME may be any of the names at the function's address.
	 */
	for (i = 0; i < ei.nsyms && np == 1; i++) {
		const struct esym *a = &ei.syms[i], *s;
		size_t k;

		if (!a->in_text || a->off != off)
			continue;
		snprintf(cold, sizeof(cold), "%s.cold", a->name);
		for (k = 0; k < ei.nsyms; k++) {
			s = &ei.syms[k];
			if (s->in_text && s->size && !strcmp(s->name, cold)) {
				parts[1].start = s->off;
				parts[1].end = s->off + s->size;
				np = 2;
				fx->cold = 1;
				break;
			}
		}
	}
	for (i = 0; i < (size_t)np; i++)
		if (scan(&ei, name, parts, np, &parts[i], fx, err, errlen))
			goto out;
	ret = 0;
out:
	if (ret)
		func_exits_free(fx);
	elf_unload(&ei);
	return ret;
}

void func_exits_free(struct func_exits *fx)
{
	free(fx->off);
	fx->off = NULL;
	fx->n = 0;
}

int elf_uses_cxx_eh(const char *path)
{
	Elf_Scn *scn = NULL;
	int fd, found = 0;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e) {
		close(fd);
		return -1;
	}
	/* C++ code with exceptions refers to (or defines) the personality routine. */
	while (!found && (scn = elf_nextscn(e, scn))) {
		Elf_Data *d = NULL;
		GElf_Shdr sh;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB) ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n && !found; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(d, (int)i, &sym))
				continue;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			found = name && !strcmp(name, "__gxx_personality_v0");
		}
	}
	elf_end(e);
	close(fd);
	return found;
}
