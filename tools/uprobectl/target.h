/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
/* Probe targets: PATH:SYMBOL, PATH:SYMBOL+OFFSET, PATH:0xFILEOFFSET. */
#ifndef UPROBECTL_TARGET_H
#define UPROBECTL_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct target_spec {
	char *file;		/* as written: a path, a program or library name */
	char *symbol;		/* NULL for a file offset */
	uint64_t value;		/* offset into the symbol, or the file offset */
	int has_offset;		/* SYMBOL+OFFSET written */
};

struct target {
	char path[4096];	/* resolved (under /proc/PID/root with a pid) */
	uint64_t offset;	/* file offset of the instruction */
	char name[64];		/* a default probe name: symbol[+off] or file:0xoff */
	char desc[4200];	/* PATH:SYMBOL+OFF (file offset), for messages */
	/* The function the target starts, if it is a function's first byte. */
	int at_entry;
	uint64_t fn_size;	/* its size from the symbol table, 0 if unknown */
	char fn_name[256];
};

/* Split @arg; on failure fill @err and return -1 (a usage error). */
int target_parse(const char *arg, struct target_spec *spec, char *err, size_t errlen);
void target_spec_free(struct target_spec *spec);

/*
 * Find the file: a path as given, a program name through $PATH, a library
 * name ("libc", "libz.so.1") through ld.so.cache and the usual directories;
 * all inside /proc/PID/root when @pid is not 0. -1 with @err filled.
 */
int target_find_file(const char *file, pid_t pid, char *out, size_t outlen,
		     char *err, size_t errlen);

/*
 * An executable regular file @name in one of $PATH's directories, under
 * @root ("" or /proc/PID/root), into @out; 1 if found.
 */
int target_which(const char *root, const char *name, char *out, size_t outlen);

/* Resolve @spec to a file offset on an instruction boundary. */
int target_resolve(const struct target_spec *spec, pid_t pid, struct target *t,
		   char *err, size_t errlen);

#endif
