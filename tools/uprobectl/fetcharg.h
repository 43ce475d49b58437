/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
/*
 * Fetch arguments in the syntax of the kernel's uprobe_events:
 * [NAME=]FETCHARG[:TYPE], FETCHARG one of %REG, @ADDR, +|-OFF(FETCHARG),
 * $argN (N = 1..6, the SysV calling convention), $stack, $stackN, $retval.
 */
#ifndef UPROBECTL_FETCHARG_H
#define UPROBECTL_FETCHARG_H

#include <stddef.h>
#include <stdio.h>
#include <linux/uprobectl.h>

/* Parse @arg (the @index-th, from 0, for its default name "argN+1"). */
int fetcharg_parse(const char *arg, int index, struct uprobectl_fetch *f,
		   char *err, size_t errlen);
/* Does @word look like a fetch argument rather than a target? */
int fetcharg_like(const char *word);
/* Back to text: "name=+8(%di):u32". */
void fetcharg_format(const struct uprobectl_fetch *f, char *out, size_t outlen);
/* Print argument @i of an event record's values (text or JSON). */
void fetcharg_print_value(FILE *out, const struct uprobectl_fetch *f,
			  const struct uprobectl_event_args *ea, const void *rec,
			  size_t recsize, unsigned int i, int json);

#endif
