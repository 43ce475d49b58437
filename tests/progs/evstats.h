/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's event accounting against a reader's own count: every event
 * made was delivered to it (read), is still queued, or was lost as it
 * counted. 0, or 1 with a message on standard error naming @who.
 */
#ifndef EVSTATS_H
#define EVSTATS_H

#include <stdio.h>
#include <sys/ioctl.h>

#include <linux/uprobectl.h>

static inline int evstats_check(int fd, const char *who, unsigned long long events,
				unsigned long long lost)
{
	struct uprobectl_event_stats st = { .size = sizeof(st) };

	if (ioctl(fd, UPROBECTL_IOC_EVENT_STATS, &st)) {
		fprintf(stderr, "%s: event stats: %m\n", who);
		return 1;
	}
	if (st.lost != lost || st.delivered != events + st.queued) {
		fprintf(stderr, "%s: the module says delivered %llu lost %llu queued %llu\n", who,
			(unsigned long long)st.delivered, (unsigned long long)st.lost,
			(unsigned long long)st.queued);
		return 1;
	}
	return 0;
}

#endif
