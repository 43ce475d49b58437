// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* Probes as the commands see them: parsing, adding, listing, events. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fetcharg.h"
#include "funcexit.h"
#include "probes.h"
#include "sdt.h"

/* The fetch arguments written after a target (up to the next target or "--"). */
static int parse_fetchargs(char **argv, int argc, int *i, struct probe_req *r)
{
	char err[2048];

	while (*i < argc && strcmp(argv[*i], "--") && fetcharg_like(argv[*i])) {
		if (r->nargs == UPROBECTL_FETCH_MAX) {
			err_msg("more than %d fetch arguments for %s", UPROBECTL_FETCH_MAX, r->text);
			return EXIT_USAGE;
		}
		if (fetcharg_parse(argv[*i], r->nargs, &r->args[r->nargs], err, sizeof(err))) {
			err_msg("%s", err);
			return EXIT_USAGE;
		}
		r->nargs++;
		(*i)++;
	}
	return 0;
}

/* One SDT probe point's offset, semaphore and arguments (unless given). */
static int usdt_place(const struct probe_req *r, const struct sdt_note *x, uint64_t *sem,
		      struct uprobectl_fetch *args, int *nargs)
{
	char err[1024];

	*sem = x->sem ? x->sem_off : 0;
	if (r->nargs) {
		memcpy(args, r->args, sizeof(r->args[0]) * r->nargs);
		*nargs = r->nargs;
		return 0;
	}
	if (sdt_args(x->rargs, x->pc, args, UPROBECTL_FETCH_MAX, nargs, err, sizeof(err))) {
		err_msg("%s (SDT probe %s:%s, arguments '%s'): %s; write the fetch arguments after the target instead",
			r->text, x->provider, x->name, x->args, err);
		return EXIT_ERR;
	}
	return 0;
}

/*
 * usdt:PATH:PROVIDER:NAME or usdt:PATH:NAME: every place of that SDT
 * probe point in the file (inlined code can have several), each with its
 * own arguments and semaphore.
 */
static int usdt_parse(char **argv, int argc, int *i, pid_t pid, struct probe_req *r)
{
	char *copy, *name, *prov = NULL, *sep, err[2048];
	struct sdt_note *notes = NULL;
	size_t n = 0, k, nmatch = 0;
	const char *other = NULL;
	int ret = EXIT_USAGE;

	copy = strdup(argv[*i] + 5);
	if (!copy)
		return EXIT_ERR;
	(*i)++;
	name = strrchr(copy, ':');
	if (!name || !name[1] || name == copy) {
		err_msg("'%s': write usdt:PATH:PROVIDER:NAME or usdt:PATH:NAME", r->text);
		goto out;
	}
	*name++ = 0;
	sep = strrchr(copy, ':');
	if (sep && sep != copy) {
		*sep = 0;
		prov = sep + 1;
	}
	ret = parse_fetchargs(argv, argc, i, r);
	if (ret)
		goto out;
	ret = EXIT_ERR;
	if (target_find_file(copy, pid, r->t.path, sizeof(r->t.path), err, sizeof(err)) ||
	    sdt_load(r->t.path, &notes, &n, err, sizeof(err))) {
		err_msg("%s", err);
		goto out;
	}
	for (k = 0; k < n; k++) {
		if (strcmp(notes[k].name, name) || (prov && strcmp(notes[k].provider, prov)))
			continue;
		if (!prov && nmatch && strcmp(notes[k].provider, notes[0].provider) &&
		    !other)
			other = notes[k].provider;
		/* Matches first in the array, in file order. */
		if (k != nmatch) {
			struct sdt_note t = notes[nmatch];

			notes[nmatch] = notes[k];
			notes[k] = t;
		}
		nmatch++;
	}
	if (!nmatch) {
		err_msg("%s has no SDT probe %s%s%s: 'uprobectl sdt %s' lists them", r->t.path,
			prov ? prov : "", prov ? ":" : "", name, r->t.path);
		goto out;
	}
	if (other) {
		err_msg("SDT probe %s is in providers %s and %s of %s: write usdt:PATH:PROVIDER:%s",
			name, notes[0].provider, other, r->t.path, name);
		goto out;
	}
	r->locs = calloc(nmatch, sizeof(*r->locs));
	if (!r->locs)
		goto out;
	r->t.offset = notes[0].off;
	if (usdt_place(r, &notes[0], &r->sem, r->args, &r->nargs))
		goto out;
	for (k = 1; k < nmatch; k++) {
		struct probe_loc *l = &r->locs[r->nlocs++];

		l->offset = notes[k].off;
		if (usdt_place(r, &notes[k], &l->sem, l->args, &l->nargs))
			goto out;
	}
	snprintf(r->t.name, sizeof(r->t.name), "%.31s:%.31s", notes[0].provider, notes[0].name);
	snprintf(r->t.desc, sizeof(r->t.desc), "usdt:%s:%s:%s", r->t.path, notes[0].provider,
		 notes[0].name);
	snprintf(r->name, sizeof(r->name), "%s", r->t.name);
	ret = 0;
out:
	if (ret)
		probe_req_free(r);
	sdt_free(notes, n);
	free(copy);
	return ret;
}

int probe_event_ids(const struct probe_req *r, uint64_t *ids)
{
	int k, n = 0;

	if (r->kind != UPROBECTL_KIND_EXIT)
		ids[n++] = r->id;
	for (k = 0; k < r->nlocs; k++)
		ids[n++] = r->locs[k].id;
	return n;
}

int probe_ids(const struct probe_req *r, uint64_t *ids)
{
	int k;

	ids[0] = r->id;
	for (k = 0; k < r->nlocs; k++)
		ids[k + 1] = r->locs[k].id;
	return r->nlocs + 1;
}

void probe_req_free(struct probe_req *r)
{
	free(r->locs);
	r->locs = NULL;
	r->nlocs = 0;
}

int probe_parse(char **argv, int argc, int *i, pid_t pid, struct probe_req *r)
{
	struct target_spec spec;
	char err[2048];

	memset(r, 0, sizeof(*r));
	r->text = argv[*i];
	if (!strncmp(argv[*i], "usdt:", 5))
		return usdt_parse(argv, argc, i, pid, r);
	if (target_parse(argv[*i], &spec, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_USAGE;
	}
	(*i)++;
	if (parse_fetchargs(argv, argc, i, r)) {
		target_spec_free(&spec);
		return EXIT_USAGE;
	}
	if (target_resolve(&spec, pid, &r->t, err, sizeof(err))) {
		err_msg("%s", err);
		target_spec_free(&spec);
		return EXIT_ERR;
	}
	target_spec_free(&spec);
	snprintf(r->name, sizeof(r->name), "%s", r->t.name);
	return 0;
}

int probe_kind_opt(uint32_t want, uint32_t *kind)
{
	if (*kind && *kind != want) {
		err_msg("--ret and --exit: one or the other");
		return EXIT_USAGE;
	}
	*kind = want;
	return 0;
}

const char *probe_kind_name(uint32_t kind)
{
	switch (kind) {
	case UPROBECTL_KIND_EXIT:
		return "exit";
	case UPROBECTL_KIND_RETURN:
		return "return";
	default:
		return "entry";
	}
}

int probe_set_kind(struct probe_req *r, uint32_t kind)
{
	const char *how = kind == UPROBECTL_KIND_RETURN ? "--ret" : "--exit";
	struct func_exits fx;
	char err[2048];
	size_t k;

	r->kind = kind;
	if (kind == UPROBECTL_KIND_INSN) {
		for (k = 0; k < (size_t)r->nargs; k++) {
			if (r->args[k].base == UPROBECTL_FETCH_RETVAL) {
				err_msg("%s: $retval needs a return probe: add --ret or --exit",
					r->text);
				return EXIT_USAGE;
			}
		}
		return 0;
	}
	if (r->nlocs || r->sem) {
		err_msg("%s: %s probes a function, not an SDT probe point", r->text, how);
		return EXIT_USAGE;
	}
	if (!r->t.at_entry) {
		err_msg("%s: %s probes a function: give PATH:FUNCTION, not an offset inside one",
			r->text, how);
		return EXIT_USAGE;
	}
	snprintf(r->name, sizeof(r->name), "%.50s%%%s", r->t.fn_name,
		 kind == UPROBECTL_KIND_RETURN ? "return" : "exit");
	if (kind == UPROBECTL_KIND_RETURN) {
		if (elf_uses_cxx_eh(r->t.path) == 1)
			fprintf(stderr, "uprobectl: note: %s is C++ code with exceptions: an exception thrown through %s while it runs ends the program (its return address is replaced, as with every uretprobe); --exit does not touch the stack\n",
				r->t.path, r->t.fn_name);
		return 0;
	}
	if (func_exits_find(r->t.path, r->t.fn_name, r->t.offset, r->t.fn_size, &fx, err,
			    sizeof(err))) {
		err_msg("%s: %s", r->text, err);
		return EXIT_ERR;
	}
	if (!fx.n) {
		err_msg("%s: %s has no ret and no jump out of it (it never returns?): nothing to probe with --exit",
			r->text, r->t.fn_name);
		func_exits_free(&fx);
		return EXIT_ERR;
	}
	if (fx.nindirect)
		fprintf(stderr, "uprobectl: note: %s has %d indirect jump%s, not taken for exits (jump tables); a tail call through a pointer would be missed\n",
			r->t.fn_name, fx.nindirect, fx.nindirect > 1 ? "s" : "");
	r->locs = calloc(fx.n, sizeof(*r->locs));
	if (!r->locs) {
		func_exits_free(&fx);
		return EXIT_ERR;
	}
	for (k = 0; k < fx.n; k++) {
		struct probe_loc *l = &r->locs[r->nlocs++];

		l->offset = fx.off[k];
		memcpy(l->args, r->args, sizeof(r->args[0]) * r->nargs);
		l->nargs = r->nargs;
	}
	func_exits_free(&fx);
	return 0;
}

uint64_t probe_req_hits(const struct probe_req *r, const struct uprobectl_probe_info *v,
			uint32_t n, uint64_t *calls)
{
	uint64_t hits = 0;
	uint32_t k;
	int j;

	*calls = 0;
	for (k = 0; v && k < n; k++) {
		if (v[k].id == r->id) {
			if (r->kind == UPROBECTL_KIND_EXIT)
				*calls += v[k].hits;
			else
				hits += v[k].hits;
		}
		for (j = 0; j < r->nlocs; j++)
			if (v[k].id == r->locs[j].id)
				hits += v[k].hits;
	}
	return hits;
}

/* One place of @r: at @offset, with @sem and @args. */
static int add_one(int fd, int file, struct probe_req *r, uint64_t offset, uint64_t sem,
		   const struct uprobectl_fetch *args, int nargs, uint32_t flags, pid_t pid,
		   uint32_t kind, uint64_t group, uint64_t *id)
{
	struct uprobectl_add req;
	int e;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = flags | UPROBECTL_ADD_FD;
	req.fd = file;
	req.offset = offset;
	req.pid = (int32_t)pid;
	snprintf(req.name, sizeof(req.name), "%s", r->name);
	req.args = (uintptr_t)args;
	req.nargs = nargs;
	req.arg_size = sizeof(args[0]);
	req.semaphore = sem;
	req.kind = kind;
	req.group = group;
	if (!ioctl(fd, UPROBECTL_IOC_ADD, &req)) {
		*id = req.id;
		return 0;
	}
	e = errno;
	switch (e) {
	case EOPNOTSUPP:
		err_msg("cannot probe %s (file offset 0x%" PRIx64 "): %s; probe another instruction (SYMBOL+OFFSET)",
			r->t.desc, r->t.offset, req.error);
		break;
	case EPERM:
	case EACCES:
		err_msg("cannot probe %s: permission denied: run as root", r->t.desc);
		break;
	case ENOSPC:
		err_msg("cannot probe %s: %s", r->t.desc,
			req.error[0] ? req.error : "too many probes: delete some with 'uprobectl del'");
		break;
	default:
		err_msg("cannot probe %s (file offset 0x%" PRIx64 "): %s", r->t.desc, offset,
			req.error[0] ? req.error : strerror(e));
	}
	return EXIT_ERR;
}

/* Delete what was added of @r before a later place failed. */
static void del_ids(int fd, const uint64_t *ids, int n)
{
	struct uprobectl_del d;

	if (n <= 0)
		return;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.ids = (uintptr_t)ids;
	d.count = (uint32_t)n;
	ioctl(fd, UPROBECTL_IOC_DEL, &d);
}

int probe_add(int fd, struct probe_req *r, uint32_t flags, pid_t pid)
{
	struct uprobectl_version v;
	uint64_t *ids;
	int i, k, file, ret, sem = r->sem != 0;
	uint32_t kind = r->kind, lkind = UPROBECTL_KIND_INSN;

	memset(&v, 0, sizeof(v));
	for (i = 0; i < r->nargs; i++) {
		if (r->args[i].base == UPROBECTL_FETCH_RETVAL && kind == UPROBECTL_KIND_INSN) {
			err_msg("%s: $retval needs a return probe: add --ret or --exit", r->text);
			return EXIT_USAGE;
		}
	}
	for (k = 0; k < r->nlocs; k++)
		sem |= r->locs[k].sem != 0;
	if ((r->nargs || sem || kind) && dev_version(fd, &v))
		return EXIT_ERR;
	if (kind && !(v.features & UPROBECTL_FEAT_RETURN)) {
		err_msg("the loaded module has no exit or return probes: load this version's module ('rmmod uprobectl; modprobe uprobectl')");
		return EXIT_ERR;
	}
	if (r->nargs && !(v.features & UPROBECTL_FEAT_FETCH)) {
		err_msg("the loaded module cannot fetch arguments: load this version's module ('rmmod uprobectl; modprobe uprobectl')");
		return EXIT_ERR;
	}
	if (sem && !(v.features & UPROBECTL_FEAT_SEMAPHORE)) {
		err_msg("%s has an SDT semaphore, which the loaded module cannot raise: load this version's module ('rmmod uprobectl; modprobe uprobectl')",
			r->text);
		return EXIT_ERR;
	}
	file = open(r->t.path, O_RDONLY | O_CLOEXEC);
	if (file < 0) {
		err_msg("cannot open %s: %s", r->t.path, strerror(errno));
		return EXIT_ERR;
	}
	/* --exit: the entry probe times the calls; the exits are its group. */
	if (kind == UPROBECTL_KIND_EXIT) {
		char name[UPROBECTL_NAME_LEN], *pct = strrchr(r->name, '%');

		/* Named FUNCTION%entry beside its FUNCTION%exit probes. */
		memcpy(name, r->name, sizeof(name));
		if (pct && !strcmp(pct, "%exit"))
			snprintf(pct, sizeof(r->name) - (pct - r->name), "%%entry");
		ret = add_one(fd, file, r, r->t.offset, 0, NULL, 0, flags, pid,
			      UPROBECTL_KIND_ENTRY, 0, &r->id);
		memcpy(r->name, name, sizeof(name));
		lkind = UPROBECTL_KIND_EXIT;
	} else {
		ret = add_one(fd, file, r, r->t.offset, r->sem, r->args, r->nargs, flags, pid,
			      kind, 0, &r->id);
	}
	for (k = 0; !ret && k < r->nlocs; k++) {
		struct probe_loc *l = &r->locs[k];

		ret = add_one(fd, file, r, l->offset, l->sem, l->args, l->nargs, flags, pid,
			      lkind, lkind == UPROBECTL_KIND_EXIT ? r->id : 0, &l->id);
	}
	close(file);
	if (ret && k > 0) {
		/* All places or none. */
		ids = calloc(r->nlocs + 1, sizeof(*ids));
		if (ids) {
			probe_ids(r, ids);
			del_ids(fd, ids, k);
			free(ids);
		}
	}
	return ret;
}

struct uprobectl_probe_info *probe_list(int fd, uint32_t *count)
{
	struct uprobectl_probe_info *v = NULL;
	struct uprobectl_list req;
	uint32_t room = 64;

	for (;;) {
		free(v);
		v = calloc(room, sizeof(*v));
		if (!v)
			return NULL;
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.entry_size = sizeof(*v);
		req.entries = (uintptr_t)v;
		req.count = room;
		if (ioctl(fd, UPROBECTL_IOC_LIST, &req)) {
			free(v);
			return NULL;
		}
		if (req.count <= room) {
			*count = req.filled;
			return v;
		}
		room = req.count + 16;
	}
}

void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static const struct uprobectl_probe_info *find_probe(struct evloop *ev, uint64_t id)
{
	uint32_t i;
	int again;

	for (again = 0; again < 2; again++) {
		for (i = 0; i < ev->nprobes; i++)
			if (ev->probes[i].id == id)
				return &ev->probes[i];
		if (again)
			break;
		/* A probe added since: look again. */
		free(ev->probes);
		ev->probes = probe_list(ev->fd, &ev->nprobes);
		if (!ev->probes)
			ev->nprobes = 0;
	}
	return NULL;
}

static char *put_u64(char *q, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*q++ = tmp[--n];
	return q;
}

static char *put_padded(char *q, uint64_t v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		q[i] = '0' + v % 10;
		v /= 10;
	}
	return v ? put_u64(q, v) : q + width;	/* wider than width: plain */
}

/* At most 80 bytes of @s. */
static char *put_str(char *q, const char *s)
{
	size_t n = strnlen(s, 80);

	memcpy(q, s, n);
	return q + n;
}

/* " ret=0x2a latency=1234ns", or " ret=? (tail call) ...". */
static void print_ret(FILE *out, const struct uprobectl_event_ret *r, int json)
{
	if (json) {
		if (r->flags & UPROBECTL_RET_RETVAL)
			fprintf(out, ",\"retval\":\"0x%" PRIx64 "\"", (uint64_t)r->retval);
		if (r->flags & UPROBECTL_RET_LATENCY)
			fprintf(out, ",\"latency_ns\":%" PRIu64, (uint64_t)r->latency_ns);
		if (r->flags & UPROBECTL_RET_TAIL)
			fputs(",\"tail_call\":true", out);
		return;
	}
	if (r->flags & UPROBECTL_RET_RETVAL)
		fprintf(out, " ret=0x%" PRIx64, (uint64_t)r->retval);
	else if (r->flags & UPROBECTL_RET_TAIL)
		fputs(" ret=?(tail call)", out);
	if (r->flags & UPROBECTL_RET_LATENCY)
		fprintf(out, " latency=%" PRIu64 "ns", (uint64_t)r->latency_ns);
}

static void print_hit(struct evloop *ev, const struct uprobectl_event *e)
{
	const struct uprobectl_probe_info *p = find_probe(ev, e->id);
	const struct uprobectl_event_args *ea = NULL;
	const struct uprobectl_event_ret *rt = NULL;
	char name[UPROBECTL_NAME_LEN + 24], comm[UPROBECTL_COMM_LEN + 1];
	size_t head = sizeof(*e);
	FILE *out = ev->out;
	uint32_t i, n = 0;

	if (e->hdr.type == UPROBECTL_EVENT_RETURN) {
		rt = (const void *)(e + 1);
		head += sizeof(*rt);
	}

	if (p && p->name[0])
		snprintf(name, sizeof(name), "%s", p->name);
	else
		snprintf(name, sizeof(name), "probe%" PRIu64, (uint64_t)e->id);
	memcpy(comm, e->comm, UPROBECTL_COMM_LEN);
	comm[UPROBECTL_COMM_LEN] = 0;
	if (e->hdr.size >= head + sizeof(*ea)) {
		ea = (const void *)((const char *)e + head);
		n = ea->nargs;
		if (head + sizeof(*ea) + n * 8 > e->hdr.size)
			n = 0;
		if (!p || n > p->nargs)
			n = p ? p->nargs : 0;
	}
	if (ev->json) {
		fprintf(out, "{\"time_ns\":%" PRIu64 ",\"cpu\":%u,\"comm\":",
			(uint64_t)e->hdr.time_ns, e->hdr.cpu);
		json_string(out, comm);
		fprintf(out, ",\"pid\":%u,\"tid\":%u,\"id\":%" PRIu64 ",\"name\":", e->pid, e->tid,
			(uint64_t)e->id);
		json_string(out, name);
		fprintf(out, ",\"ip\":\"0x%" PRIx64 "\"", (uint64_t)e->ip);
		if (rt)
			print_ret(out, rt, 1);
		fputs(",\"args\":{", out);
		for (i = 0; i < n; i++) {
			fputs(i ? "," : "", out);
			json_string(out, p->args[i].name);
			fputc(':', out);
			fetcharg_print_value(out, &p->args[i], ea, e, e->hdr.size, i, 1);
		}
		fputs("}}\n", out);
		return;
	}
	/* The common case built by hand: a million lines must keep up. */
	{
		char line[256], *q = line;
		uint64_t t = e->hdr.time_ns;

		q = put_u64(q, t / 1000000000);
		*q++ = '.';
		q = put_padded(q, (t / 1000) % 1000000, 6);
		*q++ = ' ';
		*q++ = '[';
		q = put_padded(q, e->hdr.cpu, 3);
		*q++ = ']';
		*q++ = ' ';
		q = put_str(q, comm);
		*q++ = ' ';
		q = put_u64(q, e->pid);
		*q++ = '/';
		q = put_u64(q, e->tid);
		*q++ = ' ';
		q = put_str(q, name);
		*q++ = ':';
		fwrite(line, 1, q - line, out);
	}
	if (rt)
		print_ret(out, rt, 0);
	for (i = 0; i < n; i++) {
		fprintf(out, " %s=", p->args[i].name);
		fetcharg_print_value(out, &p->args[i], ea, e, e->hdr.size, i, 0);
	}
	fputc('\n', out);
}

int evloop_run(struct evloop *ev, int timeout_ms)
{
	static char buf[1 << 20] __attribute__((aligned(8)));
	struct pollfd pfd = { .fd = ev->fd, .events = POLLIN };
	ssize_t n, off;
	int r;

	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (!r)
		return 0;
	n = read(ev->fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	for (off = 0; off + (ssize_t)sizeof(struct uprobectl_event_header) <= n;) {
		const struct uprobectl_event_header *h = (const void *)(buf + off);

		if (h->size < sizeof(*h) || off + h->size > n)
			break;
		if ((h->type == UPROBECTL_EVENT_HIT && h->size >= sizeof(struct uprobectl_event)) ||
		    (h->type == UPROBECTL_EVENT_RETURN &&
		     h->size >= sizeof(struct uprobectl_event) + sizeof(struct uprobectl_event_ret))) {
			const struct uprobectl_event *e = (const void *)h;

			if (ev->max && ev->seen + ev->lost >= ev->max)
				return 1;
			if (h->type == UPROBECTL_EVENT_RETURN && ev->on_ret)
				ev->on_ret(ev->ctx, e, (const void *)(e + 1));
			if (!ev->quiet)
				print_hit(ev, e);
			ev->seen++;
		} else if (h->type == UPROBECTL_EVENT_LOST) {
			const struct uprobectl_event_lost *l = (const void *)h;

			ev->lost += l->lost;
			if (ev->json)
				fprintf(ev->out, "{\"lost\":%" PRIu64 "}\n", (uint64_t)l->lost);
			fflush(ev->out);
			err_msg("%" PRIu64 " events lost here: the reader fell behind (a bigger --buffer-size helps)",
				(uint64_t)l->lost);
		}
		off += h->size;
	}
	return ev->max && ev->seen + ev->lost >= ev->max;
}

void evloop_finish(struct evloop *ev)
{
	struct uprobectl_event_stats st = { .size = sizeof(st) };

	fflush(ev->out);
	if (!ioctl(ev->fd, UPROBECTL_IOC_EVENT_STATS, &st) && st.lost > ev->lost)
		ev->lost = st.lost;
	if (ev->lost)
		err_msg("%" PRIu64 " events lost in all", ev->lost);
}

uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return 0;
	switch (*end) {
	case 'k': case 'K':
		v <<= 10, end++;
		break;
	case 'm': case 'M':
		v <<= 20, end++;
		break;
	case 'g': case 'G':
		v <<= 30, end++;
		break;
	}
	return *end ? 0 : v;
}
