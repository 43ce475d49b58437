/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
/* Where a function is left: its rets and its jumps out, found by decoding it. */
#ifndef UPROBECTL_FUNCEXIT_H
#define UPROBECTL_FUNCEXIT_H

#include <stddef.h>
#include <stdint.h>

struct func_exits {
	uint64_t *off;		/* file offsets of the exits, in file order */
	size_t n;
	int nret;		/* of them rets; the rest are jumps out (tail calls) */
	int nindirect;		/* indirect jumps, not taken for exits */
	int cold;		/* the function's .cold part was decoded too */
};

/*
 * The exits of the function @name at file offset @off, @size bytes (from
 * the symbol table), in @path: every ret, and every jump whose target is
 * outside the function (and outside its NAME.cold part, decoded with it).
 * A jump back into the function, to its entry included, is not an exit.
 * Indirect jumps are not exits (they are mostly jump tables): counted in
 * nindirect. 0, or -1 with @err filled.
 */
int func_exits_find(const char *path, const char *name, uint64_t off, uint64_t size,
		    struct func_exits *fx, char *err, size_t errlen);
void func_exits_free(struct func_exits *fx);

/*
 * Is @path C++ code with exceptions (it refers to or defines the C++
 * personality routine)? 1, 0, or -1 if unreadable.
 */
int elf_uses_cxx_eh(const char *path);

#endif
