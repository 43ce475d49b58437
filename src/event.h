/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Hit events: open files of /dev/uprobectl subscribe; each hit of a
 * matching probe is written into each such file's ring from the trap path
 * without sleeping, and read() drains it.
 */
#ifndef _UPC_EVENT_H
#define _UPC_EVENT_H

#include <linux/jump_label.h>
#include <linux/poll.h>
#include <uapi/linux/uprobectl.h>

struct upc_probe;
struct upc_sub;
struct pt_regs;

/* On while at least one file is subscribed: the trap path's only test. */
DECLARE_STATIC_KEY_FALSE(upc_events_on);

/* Trap path, RCU read side held: record a hit of @p. */
void upc_event_emit(const struct upc_probe *p, struct pt_regs *regs);

static inline void upc_event_hit(const struct upc_probe *p, struct pt_regs *regs)
{
	if (static_branch_unlikely(&upc_events_on))
		upc_event_emit(p, regs);
}

/* What an exit or return event says beyond a hit. */
struct upc_retinfo {
	u64 ip;			/* the event's ip */
	u64 retval;
	u64 latency;
	u64 ret_ip;
	u32 flags;		/* UPROBECTL_RET_* */
};

void upc_event_emit_ret(const struct upc_probe *p, struct pt_regs *regs,
			const struct upc_retinfo *ri);

static inline void upc_event_hit_ret(const struct upc_probe *p, struct pt_regs *regs,
				     const struct upc_retinfo *ri)
{
	if (static_branch_unlikely(&upc_events_on))
		upc_event_emit_ret(p, regs, ri);
}

/* The file's subscription; *@sub is set once (caller serialises). */
long upc_event_subscribe(struct upc_sub **sub, struct uprobectl_subscribe *req);
ssize_t upc_event_read(struct upc_sub *sub, char __user *buf, size_t len,
		       bool nonblock);
__poll_t upc_event_poll(struct upc_sub *sub, struct file *file, poll_table *pt);
void upc_event_stats(struct upc_sub *sub, struct uprobectl_event_stats *st);
void upc_event_release(struct upc_sub *sub);
int upc_event_count(void);

#endif /* _UPC_EVENT_H */
