/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
/* Function symbols and segments of an ELF file, through libelf. */
#ifndef UPROBECTL_ELFSYM_H
#define UPROBECTL_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

struct esym {
	char *name;		/* as in the string table */
	char *vername;		/* name@VERSION or name@@VERSION, or NULL */
	uint64_t addr;		/* st_value */
	uint64_t size;		/* st_size; 0 if unknown */
	uint64_t off;		/* file offset of addr; valid if in_text */
	int in_text;		/* in an executable PT_LOAD */
	int local;		/* STB_LOCAL */
	int ifunc;		/* STT_GNU_IFUNC: probes hit the resolver */
	int default_ver;	/* @@ (or no version) */
};

struct eseg {
	uint64_t vaddr, filesz, offset;
	int exec;
};

struct elfinfo {
	char path[4096];	/* as opened */
	int fd;
	int type;		/* ET_EXEC or ET_DYN */
	struct esym *syms;	/* sorted by address, then name */
	size_t nsyms;
	struct eseg *segs;
	size_t nsegs;
};

/* Open and read @path; on failure fill @err (a sentence) and return -1. */
int elf_load(struct elfinfo *ei, const char *path, char *err, size_t errlen);
void elf_unload(struct elfinfo *ei);
/* File offset of virtual address @va (0 ok, -1 outside the file's PT_LOADs). */
int elf_va_to_off(const struct elfinfo *ei, uint64_t va, uint64_t *off, int *exec);
/* Virtual address of file offset @off in an executable segment; -1 if none. */
int elf_off_to_va(const struct elfinfo *ei, uint64_t off, uint64_t *va);
/* The function containing file offset @off, or NULL. */
const struct esym *elf_sym_at(const struct elfinfo *ei, uint64_t off);
/* Read @len bytes at file offset @off; bytes read, or -1. */
long elf_read(const struct elfinfo *ei, uint64_t off, void *buf, size_t len);

#endif
