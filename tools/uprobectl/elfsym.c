// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/*
 * Function symbols of an ELF file: .symtab and .dynsym (with symbol
 * versions from .gnu.version and .gnu.version_d), duplicates between the
 * two merged, and the PT_LOAD segments to turn addresses into file offsets.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfsym.h"

static int push_sym(struct elfinfo *ei, size_t *cap, const struct esym *s)
{
	if (ei->nsyms == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct esym *v = realloc(ei->syms, ncap * sizeof(*v));

		if (!v)
			return -1;
		ei->syms = v;
		*cap = ncap;
	}
	ei->syms[ei->nsyms++] = *s;
	return 0;
}

/* Version names by index, from SHT_GNU_verdef (defined versions only). */
static char **read_verdefs(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, size_t *n)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	char **names = NULL;
	size_t off = 0, max = 0, i;

	*n = 0;
	if (!d)
		return NULL;
	for (i = 0; i < sh->sh_info; i++) {
		GElf_Verdef vd;
		GElf_Verdaux va;

		if (!gelf_getverdef(d, off, &vd))
			break;
		if (vd.vd_ndx >= max) {
			size_t nmax = vd.vd_ndx + 16;
			char **v = realloc(names, nmax * sizeof(*v));

			if (!v)
				break;
			memset(v + max, 0, (nmax - max) * sizeof(*v));
			names = v;
			max = nmax;
		}
		if (gelf_getverdaux(d, off + vd.vd_aux, &va)) {
			const char *s = elf_strptr(elf, sh->sh_link, va.vda_name);

			if (s && !(vd.vd_flags & VER_FLG_BASE))
				names[vd.vd_ndx] = strdup(s);
		}
		if (!vd.vd_next)
			break;
		off += vd.vd_next;
	}
	*n = max;
	return names;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Same name and address from .symtab and .dynsym: keep one. */
static void dedup(struct elfinfo *ei)
{
	size_t i, j = 0;

	for (i = 0; i < ei->nsyms; i++) {
		struct esym *s = &ei->syms[i];

		if (j && ei->syms[j - 1].addr == s->addr &&
		    !strcmp(ei->syms[j - 1].name, s->name)) {
			struct esym *k = &ei->syms[j - 1];

			if (!k->vername && s->vername) {
				k->vername = s->vername;
				k->default_ver = s->default_ver;
				s->vername = NULL;
			}
			if (!k->size)
				k->size = s->size;
			k->local &= s->local;
			free(s->name);
			free(s->vername);
			continue;
		}
		ei->syms[j++] = *s;
	}
	ei->nsyms = j;
}

static int read_symbols(struct elfinfo *ei, Elf *elf)
{
	Elf_Scn *scn = NULL, *versym = NULL, *dynsym = NULL;
	char **vers = NULL;
	size_t nvers = 0, cap = 0, i;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_GNU_versym)
			versym = scn;
		else if (sh.sh_type == SHT_GNU_verdef)
			vers = read_verdefs(elf, scn, &sh, &nvers);
		else if (sh.sh_type == SHT_DYNSYM)
			dynsym = scn;
	}
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d, *vd = NULL;
		size_t n;
		int dyn;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || !sh.sh_entsize)
			continue;
		dyn = sh.sh_type == SHT_DYNSYM;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		if (dyn && scn == dynsym && versym)
			vd = elf_getdata(versym, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			struct esym s = { 0 };
			const char *name;
			GElf_Sym sym;
			int type;

			if (!gelf_getsym(d, i, &sym))
				continue;
			type = GELF_ST_TYPE(sym.st_info);
			if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
			    sym.st_shndx == SHN_UNDEF || !sym.st_value)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			s.name = strdup(name);
			s.addr = sym.st_value;
			s.size = sym.st_size;
			s.local = GELF_ST_BIND(sym.st_info) == STB_LOCAL;
			s.ifunc = type == STT_GNU_IFUNC;
			s.default_ver = 1;
			if (vd) {
				GElf_Versym v;

				if (gelf_getversym(vd, i, &v) && (v & 0x7fff) < nvers &&
				    vers[v & 0x7fff]) {
					const char *vn = vers[v & 0x7fff];
					size_t len = strlen(name) + strlen(vn) + 3;

					s.vername = malloc(len);
					s.default_ver = !(v & 0x8000);
					if (s.vername)
						snprintf(s.vername, len, "%s%s%s", name,
							 s.default_ver ? "@@" : "@", vn);
				}
			}
			s.in_text = !elf_va_to_off(ei, s.addr, &s.off, &type) && type;
			if (!s.name || push_sym(ei, &cap, &s)) {
				free(s.name);
				free(s.vername);
				break;
			}
		}
	}
	for (i = 0; i < nvers; i++)
		free(vers[i]);
	free(vers);
	qsort(ei->syms, ei->nsyms, sizeof(*ei->syms), cmp_sym);
	dedup(ei);
	return 0;
}

int elf_load(struct elfinfo *ei, const char *path, char *err, size_t errlen)
{
	GElf_Ehdr eh;
	size_t i, nph;
	Elf *elf;

	memset(ei, 0, sizeof(*ei));
	snprintf(ei->path, sizeof(ei->path), "%s", path);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf is unusable: %s", elf_errmsg(-1));
		return -1;
	}
	ei->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ei->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	elf = elf_begin(ei->fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(err, errlen, "%s is not an ELF file", path);
		goto fail;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "%s is not a 64-bit x86 ELF file", path);
		goto fail;
	}
	ei->type = eh.e_type;
	if (elf_getphdrnum(elf, &nph))
		nph = 0;
	ei->segs = calloc(nph + 1, sizeof(*ei->segs));
	for (i = 0; ei->segs && i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		ei->segs[ei->nsegs].vaddr = ph.p_vaddr;
		ei->segs[ei->nsegs].filesz = ph.p_filesz;
		ei->segs[ei->nsegs].offset = ph.p_offset;
		ei->segs[ei->nsegs].exec = !!(ph.p_flags & PF_X);
		ei->nsegs++;
	}
	read_symbols(ei, elf);
	elf_end(elf);
	return 0;
fail:
	if (elf)
		elf_end(elf);
	close(ei->fd);
	ei->fd = -1;
	return -1;
}

void elf_unload(struct elfinfo *ei)
{
	size_t i;

	for (i = 0; i < ei->nsyms; i++) {
		free(ei->syms[i].name);
		free(ei->syms[i].vername);
	}
	free(ei->syms);
	free(ei->segs);
	if (ei->fd >= 0)
		close(ei->fd);
	memset(ei, 0, sizeof(*ei));
	ei->fd = -1;
}

int elf_va_to_off(const struct elfinfo *ei, uint64_t va, uint64_t *off, int *exec)
{
	size_t i;

	for (i = 0; i < ei->nsegs; i++) {
		const struct eseg *s = &ei->segs[i];

		if (va >= s->vaddr && va - s->vaddr < s->filesz) {
			*off = va - s->vaddr + s->offset;
			*exec = s->exec;
			return 0;
		}
	}
	return -1;
}

int elf_off_to_va(const struct elfinfo *ei, uint64_t off, uint64_t *va)
{
	size_t i;

	for (i = 0; i < ei->nsegs; i++) {
		const struct eseg *s = &ei->segs[i];

		if (s->exec && off >= s->offset && off - s->offset < s->filesz) {
			*va = off - s->offset + s->vaddr;
			return 0;
		}
	}
	return -1;
}

const struct esym *elf_sym_at(const struct elfinfo *ei, uint64_t off)
{
	const struct esym *best = NULL;
	size_t i;

	for (i = 0; i < ei->nsyms; i++) {
		const struct esym *s = &ei->syms[i];

		if (!s->in_text || s->off > off)
			continue;
		if (off - s->off < (s->size ? s->size : 1) &&
		    (!best || s->off > best->off))
			best = s;
	}
	return best;
}

long elf_read(const struct elfinfo *ei, uint64_t off, void *buf, size_t len)
{
	return pread(ei->fd, buf, len, (off_t)off);
}
