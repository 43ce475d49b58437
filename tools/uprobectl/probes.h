/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
/* Probes as the commands see them: parsing, adding, listing, events. */
#ifndef UPROBECTL_PROBES_H
#define UPROBECTL_PROBES_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "target.h"
#include "uprobectl.h"

/* A further place of one target: an SDT probe point expanded more than once. */
struct probe_loc {
	uint64_t offset, sem;
	struct uprobectl_fetch args[UPROBECTL_FETCH_MAX];
	int nargs;
	uint64_t id;
};

struct probe_req {
	const char *text;	/* the target as written */
	/*
	 * UPROBECTL_KIND_INSN, _RETURN, or _EXIT: then the target is a
	 * KIND_ENTRY probe and the locs are its exits (probe_set_kind()).
	 */
	uint32_t kind;
	struct target t;
	struct uprobectl_fetch args[UPROBECTL_FETCH_MAX];
	int nargs;
	char name[UPROBECTL_NAME_LEN];
	uint64_t sem;		/* file offset of an SDT semaphore, or 0 */
	uint64_t id;
	struct probe_loc *locs;	/* more places (usdt targets), added with it */
	int nlocs;
};

/* Every probe id of @r (1 + nlocs of them), into @ids; returns how many. */
int probe_ids(const struct probe_req *r, uint64_t *ids);
/* The ids whose events tell @r's hits (not an exit group's entry probe). */
int probe_event_ids(const struct probe_req *r, uint64_t *ids);
void probe_req_free(struct probe_req *r);

/*
 * Parse the target at argv[*i] and the fetch arguments after it (up to the
 * next target or "--"), resolving the file in @pid's root if @pid is set.
 * Returns 0, EXIT_USAGE or EXIT_ERR (message printed).
 */
int probe_parse(char **argv, int argc, int *i, pid_t pid, struct probe_req *r);
/*
 * Make @r a function probe: UPROBECTL_KIND_RETURN (the return address) or
 * UPROBECTL_KIND_EXIT (its exits, found by decoding it). The target must
 * be a function's first instruction. 0, EXIT_USAGE or EXIT_ERR (printed).
 */
int probe_set_kind(struct probe_req *r, uint32_t kind);
/* --ret or --exit given (@want): into *@kind; EXIT_USAGE (said) for both. */
int probe_kind_opt(uint32_t want, uint32_t *kind);
/* "entry", "exit", "return": how a kind is shown. */
const char *probe_kind_name(uint32_t kind);
/* The hits of @r's function probe: returns, or exits (summed). */
uint64_t probe_req_hits(const struct probe_req *r, const struct uprobectl_probe_info *v,
			uint32_t n, uint64_t *calls);

/* UPROBECTL_IOC_ADD of @r; message printed on failure (EXIT_ERR). */
int probe_add(int fd, struct probe_req *r, uint32_t flags, pid_t pid);

/* Every probe (entries of the current size), or NULL with errno set. */
struct uprobectl_probe_info *probe_list(int fd, uint32_t *count);

void json_string(FILE *out, const char *s);

/* Reading hit events from a subscribed fd, printing one line each. */
struct evloop {
	int fd;
	int json;
	FILE *out;
	uint64_t max;		/* stop after this many hits, lost ones included */
	uint64_t seen, lost;
	struct uprobectl_probe_info *probes;
	uint32_t nprobes;
	int quiet;		/* count only, print nothing */
	/* Called for each exit or return event, if set. */
	void (*on_ret)(void *ctx, const struct uprobectl_event *e,
		       const struct uprobectl_event_ret *r);
	void *ctx;
};

/*
 * Read and print what is there, waiting up to @timeout_ms for the first
 * record (-1: forever). 1 when @max is reached, 0, -1 on error.
 */
int evloop_run(struct evloop *ev, int timeout_ms);
/* Report losses at the end (the module's total for this fd). */
void evloop_finish(struct evloop *ev);
/* Parse "64M" style sizes; 0 on error. */
uint64_t parse_size(const char *s);

#endif
