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
	fprintf(f, "usage: uprobectl run [--json] [--trace] [--buffer-size BYTES]\n"
		   "                     TARGET [FETCHARG...] [TARGET [FETCHARG...]]... -- COMMAND [ARGS]\n\n"
		   "Run COMMAND with the probes in it and the children it forks, only for as\n"
		   "long as it runs; then print the hits of each probe and exit with COMMAND's\n"
		   "status. --trace prints each hit as it happens, as 'trace' does.\n");
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

static void print_table(int fd, struct probe_req *r, int nr, int json, int status)
{
	struct uprobectl_probe_info *v;
	uint32_t n = 0, k;
	int i;

	v = probe_list(fd, &n);
	if (json)
		printf("{\"status\":%d,\"probes\":[", status);
	else
		fprintf(stderr, "%12s  %-24s %s\n", "HITS", "NAME", "TARGET");
	for (i = 0; i < nr; i++) {
		uint64_t hits = 0;
		int j;

		/* Summed over the places of the target (an SDT probe can have several). */
		for (k = 0; v && k < n; k++) {
			if (v[k].id == r[i].id)
				hits += v[k].hits;
			for (j = 0; j < r[i].nlocs; j++)
				if (v[k].id == r[i].locs[j].id)
					hits += v[k].hits;
		}
		if (json) {
			printf("%s{\"id\":%" PRIu64 ",\"name\":", i ? "," : "", r[i].id);
			json_string(stdout, r[i].name);
			printf(",\"path\":");
			json_string(stdout, r[i].t.path);
			printf(",\"offset\":%" PRIu64 ",\"hits\":%" PRIu64 "}", r[i].t.offset, hits);
		} else {
			fprintf(stderr, "%12" PRIu64 "  %-24s %s\n", hits, r[i].name, r[i].t.desc);
		}
	}
	if (json)
		printf("]}\n");
	free(v);
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "trace", no_argument, NULL, 't' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct evloop ev = { .out = stdout };
	uint64_t bytes = DEFAULT_BUFFER, *ids = NULL;
	int c, i, sep, nr = 0, nids = 0, trace = 0, ret = 0, status = 0, gopipe[2];
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
	for (i = optind; i < sep;) {
		ret = probe_parse(argv, sep, &i, 0, &r[nr]);
		if (ret)
			goto out_free;
		nids += 1 + r[nr].nlocs;
		nr++;
	}
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
		nids += probe_ids(&r[i], ids + nids);
	}
	if (!ret && trace &&
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
	if (trace && !isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (write(gopipe[1], &go, 1) != 1) {
		err_msg("cannot start '%s': %s", argv[sep + 1], strerror(errno));
		ret = EXIT_ERR;
	}
	close(gopipe[1]);
	for (;;) {
		pid_t w = waitpid(child, &status, trace ? WNOHANG : 0);

		if (w == child)
			break;
		if (w < 0 && errno != EINTR) {
			err_msg("waiting for '%s': %s", argv[sep + 1], strerror(errno));
			ret = EXIT_ERR;
			break;
		}
		if (trace && evloop_run(&ev, 100) < 0)
			trace = 0;
	}
	if (trace) {
		drain(&ev);
		evloop_finish(&ev);
	}
	fflush(stdout);
	if (!ret) {
		ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		print_table(ev.fd, r, nr, ev.json, ret);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
out_close:
	free(ev.probes);
	close(ev.fd);	/* the probes go with it */
out_free:
	free(ids);
	for (i = 0; i < nr; i++)
		probe_req_free(&r[i]);
	free(r);
	return ret;
}
