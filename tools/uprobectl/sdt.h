/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
/*
 * SDT (USDT) probe points of an ELF file: the NT_STAPSDT notes of
 * .note.stapsdt that <sys/sdt.h> emits, with addresses adjusted by
 * .stapsdt.base (prelinked or otherwise moved files) and turned into file
 * offsets, and their argument specs ("-4@%edi 8@-16(%rbp)") turned into
 * fetch arguments.
 */
#ifndef UPROBECTL_SDT_H
#define UPROBECTL_SDT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/uprobectl.h>

struct sdt_note {
	char *provider, *name, *args;	/* args: the spec as written */
	char *rargs;			/* with symbols resolved: "8@=0xADDR(%rip)" */
	uint64_t pc, sem;		/* adjusted addresses (sem 0: none) */
	uint64_t off, sem_off;		/* their file offsets */
};

/* The notes of @path; -1 with @err filled if it cannot be read. */
int sdt_load(const char *path, struct sdt_note **notes, size_t *n, char *err, size_t errlen);
void sdt_free(struct sdt_note *notes, size_t n);

/*
 * The fetch arguments of an argument spec (a note's rargs), named arg0,
 * arg1, ...; @pc is the probe's address, for rip-relative operands. -1
 * with @err filled for a spec this version cannot fetch.
 */
int sdt_args(const char *spec, uint64_t pc, struct uprobectl_fetch *out, int max, int *n,
	     char *err, size_t errlen);

#endif
