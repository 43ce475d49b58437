// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl trace (live events of persistent probes) and run (probe a command). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#include "probes.h"
#include "target.h"

#define DEFAULT_BUFFER	(32ULL << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int subscribe(int fd, uint32_t flags, uint64_t *ids, uint32_t n, pid_t pid,
		     uint64_t bytes)
{
	struct uprobectl_subscribe sub;

	memset(&sub, 0, sizeof(sub));
	sub.size = sizeof(sub);
	sub.flags = flags;
	sub.ids = (uintptr_t)ids;
	sub.count = n;
	sub.pid = (int32_t)pid;
	sub.ring_size = bytes;
	if (!ioctl(fd, UPROBECTL_IOC_SUBSCRIBE, &sub))
		return 0;
	if (errno == ESRCH)
		err_msg("no process with pid %d", (int)pid);
	else if (errno == EINVAL && bytes)
		err_msg("cannot subscribe to events: --buffer-size must be at most 256M");
	else
		err_msg("cannot subscribe to events: %s", strerror(errno));
	return -1;
}

/* Read what is queued now (not what comes in meanwhile, beyond a bound). */
static void drain(struct evloop *ev)
{
	struct uprobectl_event_stats st = { .size = sizeof(st) };
	uint64_t left;

	if (ioctl(ev->fd, UPROBECTL_IOC_EVENT_STATS, &st))
		return;
	left = st.queued;
	while (left && evloop_run(ev, 0) == 0) {
		uint64_t before = st.queued;

		if (ioctl(ev->fd, UPROBECTL_IOC_EVENT_STATS, &st) || st.queued >= before)
			break;
		left -= before - st.queued < left ? before - st.queued : left;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void trace_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl trace [--json] [--pid PID] [--count N] [--duration SECONDS]\n"
		   "                       [--buffer-size BYTES] [ID...]\n\n"
		   "Print the hits of the persistent probes (or of the probes ID...) as they\n"
		   "happen, one line each: TIMESTAMP [CPU] COMM PID/TID NAME: ARGS. With --pid,\n"
		   "only that process's hits. Stops after N hits (lost ones count), after\n"
		   "SECONDS, or on ^C; then says how many events were lost, if any. --json:\n"
		   "one object a line.\n");
}

int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct evloop ev = { .out = stdout };
	uint64_t bytes = DEFAULT_BUFFER, *ids = NULL;
	double duration = 0, end = 0;
	uint32_t flags = 0, n = 0;
	struct sigaction sa;
	long pid = 0;
	char *e;
	int c, i, ret = 0;

	while ((c = getopt_long(argc, argv, "jp:c:d:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ev.json = 1;
			break;
		case 'p':
			pid = strtol(optarg, &e, 10);
			if (*e || pid <= 0) {
				err_msg("--pid takes a process id, not '%s'", optarg);
				return EXIT_USAGE;
			}
			flags |= UPROBECTL_SUB_PID;
			break;
		case 'c':
			ev.max = strtoull(optarg, &e, 10);
			if (*e || !ev.max) {
				err_msg("--count takes a positive number, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'd':
			duration = strtod(optarg, &e);
			if (*e || duration <= 0) {
				err_msg("--duration takes seconds, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b':
			bytes = parse_size(optarg);
			if (!bytes) {
				err_msg("--buffer-size takes bytes (like 64M), not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			trace_usage(stdout);
			return 0;
		default:
			trace_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		n = argc - optind;
		if (n > UPROBECTL_SUB_MAX_IDS) {
			err_msg("at most %d probe ids", UPROBECTL_SUB_MAX_IDS);
			return EXIT_USAGE;
		}
		ids = calloc(n, sizeof(*ids));
		for (i = 0; ids && i < (int)n; i++) {
			ids[i] = strtoull(argv[optind + i], &e, 10);
			if (*e || !ids[i]) {
				err_msg("'%s' is not a probe id; 'uprobectl list' shows them",
					argv[optind + i]);
				free(ids);
				return EXIT_USAGE;
			}
		}
		flags |= UPROBECTL_SUB_IDS;
	}
	ev.fd = dev_open(0);
	if (ev.fd < 0) {
		free(ids);
		return EXIT_ERR;
	}
	ev.probes = probe_list(ev.fd, &ev.nprobes);
	for (i = 0; i < (int)n; i++) {
		uint32_t k;

		for (k = 0; ev.probes && k < ev.nprobes && ev.probes[k].id != ids[i]; k++)
			;
		if (!ev.probes || k == ev.nprobes) {
			err_msg("no probe with id %" PRIu64 "; 'uprobectl list' shows them", ids[i]);
			ret = EXIT_ERR;
			goto out;
		}
	}
	if (subscribe(ev.fd, flags, ids, n, (pid_t)pid, bytes)) {
		ret = EXIT_ERR;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (n)
		fprintf(stderr, "uprobectl: tracing %u probe%s; ^C to stop\n", n, n > 1 ? "s" : "");
	else
		fprintf(stderr, "uprobectl: tracing every probe; ^C to stop\n");
	if (duration)
		end = now() + duration;
	while (!stop) {
		int wait = 500, r;

		if (duration) {
			double left = end - now();

			if (left <= 0)
				break;
			if (left * 1000 < wait)
				wait = (int)(left * 1000) + 1;
		}
		r = evloop_run(&ev, wait);
		if (r > 0)
			break;
		if (r < 0) {
			err_msg("reading events: %s", strerror(errno));
			ret = EXIT_ERR;
			break;
		}
		if (ferror(stdout)) {
			ret = EXIT_ERR;
			break;
		}
	}
	/* Stopped by ^C or the clock: print what was queued by then. */
	if (!ret && (!ev.max || ev.seen + ev.lost < ev.max))
		drain(&ev);
	evloop_finish(&ev);
out:
	free(ev.probes);
	free(ids);
	close(ev.fd);
	return ret;
}

static void run_usage(FILE *f)
{
	fprintf(f, "usage: uprobectl run [--json] [--trace] [--buffer-size BYTES] [--ret | --exit]\n"
		   "                     [--latency] TARGET [FETCHARG...] [TARGET [FETCHARG...]]...\n"
		   "                     -- COMMAND [ARGS]\n\n"
		   "Run COMMAND with the probes in it and the children it forks, only for as\n"
		   "long as it runs; then print the hits of each probe and exit with COMMAND's\n"
		   "status. --trace prints each hit as it happens, as 'trace' does.\n"
		   "--ret, --exit: the TARGETs are functions, probed where they return (see\n"
		   "'uprobectl add --help'). --latency: a log2 histogram of each function's\n"
		   "call times (with --exit unless --ret is given).\n");
}

/* Call times of one function, in log2 buckets of nanoseconds. */
struct lat_hist {
	uint64_t id;		/* its exit probes' group, or its return probe */
	uint64_t count, sum;
	uint64_t bucket[64];
};

struct lat_ctx {
	struct probe_req *r;
	int nr;
	struct lat_hist *h;	/* one per r */
};

static void lat_add(void *ctx, const struct uprobectl_event *e,
		    const struct uprobectl_event_ret *rt)
{
	struct lat_ctx *lc = ctx;
	uint64_t ns = rt->latency_ns;
	int i, j, b = 0;

	if (!(rt->flags & UPROBECTL_RET_LATENCY))
		return;
	for (i = 0; i < lc->nr; i++) {
		int mine = lc->r[i].id == e->id;

		for (j = 0; !mine && j < lc->r[i].nlocs; j++)
			mine = lc->r[i].locs[j].id == e->id;
		if (!mine)
			continue;
		/* Bucket 0 holds 0; bucket b holds [2^(b-1), 2^b). */
		while (b < 62 && (ns >> b))
			b++;
		lc->h[i].bucket[b]++;
		lc->h[i].count++;
		lc->h[i].sum += ns;
		return;
	}
}

/* As funclatency prints them: the range of each bucket, its count, a bar. */
static void lat_print(const struct lat_ctx *lc, FILE *out)
{
	int i, b, lo, hi;

	for (i = 0; i < lc->nr; i++) {
		const struct lat_hist *h = &lc->h[i];
		uint64_t max = 0;

		if (!lc->r[i].kind)
			continue;
		fprintf(out, "\n%s: %" PRIu64 " calls timed", lc->r[i].name, h->count);
		if (h->count)
			fprintf(out, ", average %" PRIu64 " ns", h->sum / h->count);
		fprintf(out, "\n");
		if (!h->count)
			continue;
		for (lo = 0; !h->bucket[lo]; lo++)
			;
		for (hi = 63; !h->bucket[hi]; hi--)
			;
		for (b = lo; b <= hi; b++)
			if (h->bucket[b] > max)
				max = h->bucket[b];
		fprintf(out, "%24s : %-10s distribution\n", "nsecs", "count");
		for (b = lo; b <= hi; b++) {
			uint64_t from = b ? 1ULL << (b - 1) : 0, to = b ? (1ULL << b) - 1 : 0;
			int bar = (int)(h->bucket[b] * 40 / max), k;

			fprintf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-10" PRIu64 " |", from, to,
				h->bucket[b]);
			for (k = 0; k < 40; k++)
				fputc(k < bar ? '*' : ' ', out);
			fputs("|\n", out);
		}
	}
}

static void lat_json(const struct lat_hist *h)
{
	int b, first = 1;

	printf(",\"latency\":{\"count\":%" PRIu64 ",\"sum_ns\":%" PRIu64 ",\"log2_buckets\":{",
	       h->count, h->sum);
	for (b = 0; b < 64; b++) {
		if (!h->bucket[b])
			continue;
		printf("%s\"%" PRIu64 "\":%" PRIu64, first ? "" : ",",
		       b ? (uint64_t)1 << (b - 1) : 0, h->bucket[b]);
		first = 0;
	}
	printf("}}");
}

/* COMMAND as execvp would find it, looked up before the fork; 0 if found. */
static int find_command(const char *cmd, char *out, size_t len)
{
	if (strchr(cmd, '/')) {
		snprintf(out, len, "%s", cmd);
		return access(out, F_OK);
	}
	return !target_which("", cmd, out, len);
}

static void print_table(int fd, struct probe_req *r, int nr, int json, int status,
			const struct lat_ctx *lc)
{
	struct uprobectl_probe_info *v;
	uint32_t n = 0;
	int i;

	v = probe_list(fd, &n);
	if (json)
		printf("{\"status\":%d,\"probes\":[", status);
	else
		fprintf(stderr, "%12s  %-24s %s\n", "HITS", "NAME", "TARGET");
	for (i = 0; i < nr; i++) {
		uint64_t calls, hits;

		/*
		 * Summed over the places of the target (an SDT probe, or the
		 * exits of a function, can be several).
		 */
		hits = probe_req_hits(&r[i], v, n, &calls);
		if (json) {
			printf("%s{\"id\":%" PRIu64 ",\"name\":", i ? "," : "", r[i].id);
			json_string(stdout, r[i].name);
			printf(",\"path\":");
			json_string(stdout, r[i].t.path);
			printf(",\"offset\":%" PRIu64, r[i].t.offset);
			/* (Instruction probes as before: no kind.) */
			if (r[i].kind)
				printf(",\"kind\":\"%s\"", probe_kind_name(r[i].kind));
			printf(",\"hits\":%" PRIu64, hits);
			if (r[i].kind == UPROBECTL_KIND_EXIT)
				printf(",\"calls\":%" PRIu64 ",\"exits\":%d", calls, r[i].nlocs);
			if (lc && r[i].kind)
				lat_json(&lc->h[i]);
			printf("}");
		} else {
			fprintf(stderr, "%12" PRIu64 "  %-24s %s\n", hits, r[i].name, r[i].t.desc);
		}
	}
	if (json)
		printf("]}\n");
	else if (lc)
		lat_print(lc, stderr);
	free(v);
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "trace", no_argument, NULL, 't' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "ret", no_argument, NULL, 'r' },
		{ "exit", no_argument, NULL, 'x' },
		{ "latency", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct evloop ev = { .out = stdout };
	uint64_t bytes = DEFAULT_BUFFER, *ids = NULL;
	int c, i, sep, nr = 0, nids = 0, trace = 0, ret = 0, status = 0, gopipe[2];
	int latency = 0, listen;
	uint32_t kind = UPROBECTL_KIND_INSN;
	struct lat_ctx lc = { 0 };
	struct probe_req *r = NULL;
	struct sigaction sa, old_int, old_quit;
	char go = 'g', cmdpath[4096];
	pid_t child;

	while ((c = getopt_long(argc, argv, "+jtb:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ev.json = 1;
			break;
		case 't':
			trace = 1;
			break;
		case 'r':
		case 'x':
			if (probe_kind_opt(c == 'r' ? UPROBECTL_KIND_RETURN : UPROBECTL_KIND_EXIT,
					   &kind))
				return EXIT_USAGE;
			break;
		case 'l':
			latency = 1;
			break;
		case 'b':
			bytes = parse_size(optarg);
			if (!bytes) {
				err_msg("--buffer-size takes bytes (like 64M), not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return EXIT_USAGE;
		}
	}
	for (sep = optind; sep < argc && strcmp(argv[sep], "--"); sep++)
		;
	if (sep == optind || sep >= argc - 1) {
		err_msg(sep == optind ? "run needs at least one TARGET before '--'"
				      : "run needs a COMMAND after '--'");
		run_usage(stderr);
		return EXIT_USAGE;
	}
	if (find_command(argv[sep + 1], cmdpath, sizeof(cmdpath))) {
		err_msg("cannot run '%s': not found%s", argv[sep + 1],
			strchr(argv[sep + 1], '/') ? "" : " in $PATH");
		return 127;
	}
	r = calloc(sep - optind, sizeof(*r));
	if (!r)
		return EXIT_ERR;
	/* Call times are those of functions: by their exits unless told. */
	if (latency && !kind)
		kind = UPROBECTL_KIND_EXIT;
	for (i = optind; i < sep;) {
		ret = probe_parse(argv, sep, &i, 0, &r[nr]);
		if (!ret) {
			nr++;
			ret = probe_set_kind(&r[nr - 1], kind);
		}
		if (ret)
			goto out_free;
		nids += 1 + r[nr - 1].nlocs;
	}
	if (latency) {
		lc.r = r;
		lc.nr = nr;
		lc.h = calloc(nr, sizeof(*lc.h));
		if (!lc.h) {
			ret = EXIT_ERR;
			goto out_free;
		}
		ev.on_ret = lat_add;
		ev.ctx = &lc;
		ev.quiet = !trace;
	}
	listen = trace || latency;
	ids = calloc(nids, sizeof(*ids));
	if (!ids) {
		ret = EXIT_ERR;
		goto out_free;
	}
	nids = 0;
	ev.fd = dev_open(0);
	if (ev.fd < 0) {
		ret = EXIT_ERR;
		goto out_free;
	}
	if (pipe2(gopipe, O_CLOEXEC)) {
		ret = EXIT_ERR;
		goto out_close;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		err_msg("cannot fork: %s", strerror(errno));
		ret = EXIT_ERR;
		goto out_close;
	}
	if (!child) {
		/*
		 * Between the go and the exec, no library call but execve
		 * itself: the probes are in already and would see ours.
		 */
		close(gopipe[1]);
		close(ev.fd);
		if (read(gopipe[0], &go, 1) != 1)
			_exit(127);
		execve(cmdpath, argv + sep + 1, environ);
		err_msg("cannot run '%s': %s", argv[sep + 1], strerror(errno));
		_exit(127);
	}
	close(gopipe[0]);
	for (i = 0; i < nr; i++) {
		ret = probe_add(ev.fd, &r[i], 0, child);
		if (ret)
			break;
		nids += probe_event_ids(&r[i], ids + nids);
	}
	if (!ret && listen &&
	    subscribe(ev.fd, UPROBECTL_SUB_IDS, ids, nids, 0, bytes))
		ret = EXIT_ERR;
	if (ret) {
		close(gopipe[1]);	/* the child exits without running COMMAND */
		waitpid(child, NULL, 0);
		goto out_close;
	}
	ev.probes = probe_list(ev.fd, &ev.nprobes);
	/* Like system(): ^C goes to COMMAND; we report when it is done. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGQUIT, &sa, &old_quit);
	signal(SIGPIPE, SIG_IGN);
	if (listen && !isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (write(gopipe[1], &go, 1) != 1) {
		err_msg("cannot start '%s': %s", argv[sep + 1], strerror(errno));
		ret = EXIT_ERR;
	}
	close(gopipe[1]);
	for (;;) {
		pid_t w = waitpid(child, &status, listen ? WNOHANG : 0);

		if (w == child)
			break;
		if (w < 0 && errno != EINTR) {
			err_msg("waiting for '%s': %s", argv[sep + 1], strerror(errno));
			ret = EXIT_ERR;
			break;
		}
		if (listen && evloop_run(&ev, 100) < 0)
			listen = 0;
	}
	if (listen) {
		drain(&ev);
		evloop_finish(&ev);
	}
	fflush(stdout);
	if (!ret) {
		ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		print_table(ev.fd, r, nr, ev.json, ret, latency ? &lc : NULL);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
out_close:
	free(ev.probes);
	close(ev.fd);	/* the probes go with it */
out_free:
	free(lc.h);
	free(ids);
	for (i = 0; i < nr; i++)
		probe_req_free(&r[i]);
	free(r);
	return ret;
}
