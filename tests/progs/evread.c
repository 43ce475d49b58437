// SPDX-License-Identifier: GPL-2.0
/*
 * evread [-i ID]... [-p PID] [-r RINGBYTES] [-n COUNT] [-o FILE] [-t FILE] [-s]
 *
 * Subscribe to hit events (of probes ID..., of process PID), print
 * "ready" on stderr, then read them, writing what read() returned to FILE
 * (-o) and one text line per event to FILE (-t). Stops once COUNT events were seen, delivered or
 * lost (default: at SIGTERM/SIGINT). Then prints
 *   "events N lost L gaps G bad B"
 * where gaps counts, with -s, events whose first argument is not one more
 * than the previous one's of the same thread (the target's loop passes
 * 0, 1, 2, ...), and bad counts records that make no sense. The module's
 * own totals must agree: exit 1 if they do not.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/uprobectl.h>

#include "evstats.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

#define MAX_TIDS 64

int main(int argc, char **argv)
{
	struct uprobectl_subscribe sub = { .size = sizeof(sub) };
	unsigned long long ids[64], events = 0, lost = 0, gaps = 0, bad = 0, want = 0;
	struct { uint32_t tid; uint64_t last; } seq[MAX_TIDS];
	int nseq = 0, check_seq = 0, fd, opt, nids = 0;
	static char buf[1 << 16];
	FILE *out = NULL, *raw = NULL;
	struct sigaction sa;

	while ((opt = getopt(argc, argv, "i:p:r:n:o:t:s")) != -1) {
		switch (opt) {
		case 'i':
			if (nids < 64)
				ids[nids++] = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			sub.flags |= UPROBECTL_SUB_PID;
			sub.pid = atoi(optarg);
			break;
		case 'r':
			sub.ring_size = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			want = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			raw = fopen(optarg, "w");
			if (!raw) {
				perror(optarg);
				return 2;
			}
			break;
		case 't':
			out = fopen(optarg, "w");
			if (!out) {
				perror(optarg);
				return 2;
			}
			break;
		case 's':
			check_seq = 1;
			break;
		default:
			return 2;
		}
	}
	if (nids) {
		sub.flags |= UPROBECTL_SUB_IDS;
		sub.ids = (uintptr_t)ids;
		sub.count = nids;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = open(UPROBECTL_DEVICE, O_RDWR);
	if (fd < 0 || ioctl(fd, UPROBECTL_IOC_SUBSCRIBE, &sub)) {
		perror("evread: subscribe");
		return 1;
	}
	fprintf(stderr, "ready\n");
	while (!stop && (!want || events + lost < want)) {
		ssize_t n = read(fd, buf, sizeof(buf)), off = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("evread: read");
			return 1;
		}
		if (raw && fwrite(buf, 1, n, raw) != (size_t)n) {
			perror("evread: write");
			return 1;
		}
		while (off < n) {
			const struct uprobectl_event_header *h = (const void *)(buf + off);

			if (h->size < sizeof(*h) || off + h->size > n) {
				bad++;
				break;
			}
			if (h->type == UPROBECTL_EVENT_LOST) {
				const struct uprobectl_event_lost *l = (const void *)h;

				lost += l->lost;
				if (out)
					fprintf(out, "LOST %llu\n", (unsigned long long)l->lost);
			} else if (h->type == UPROBECTL_EVENT_HIT && h->size == sizeof(struct uprobectl_event)) {
				const struct uprobectl_event *e = (const void *)h;
				int i;

				events++;
				if (!e->pid || !e->tid || !e->id || !e->ip || !e->comm[0])
					bad++;
				if (out)
					fprintf(out, "%llu %u %s %u/%u %llu 0x%llx %llu %llu\n",
						(unsigned long long)e->hdr.time_ns, e->hdr.cpu, e->comm,
						e->pid, e->tid, (unsigned long long)e->id,
						(unsigned long long)e->ip,
						(unsigned long long)e->args[0],
						(unsigned long long)e->cookie);
				if (check_seq) {
					for (i = 0; i < nseq && seq[i].tid != e->tid; i++)
						;
					if (i == nseq && nseq < MAX_TIDS) {
						seq[nseq].tid = e->tid;
						seq[nseq].last = e->args[0] - 1;
						if (e->args[0] != 0)
							gaps++;
						nseq++;
					}
					if (i < nseq) {
						if (e->args[0] != seq[i].last + 1 && e->args[0] != 0)
							gaps++;
						seq[i].last = e->args[0];
					}
				}
			} else {
				bad++;
			}
			off += h->size;
		}
	}
	if (out)
		fclose(out);
	if (raw)
		fclose(raw);
	printf("events %llu lost %llu gaps %llu bad %llu\n", events, lost, gaps, bad);
	return evstats_check(fd, "evread", events, lost);
}
