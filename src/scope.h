/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Process scopes of pid-scoped probes: which processes (by tgid struct pid,
 * so a reused pid number never matches) a probe covers. A probe added with
 * a pid covers that process, across exec, and the processes it forks
 * afterwards, which inherit its scopes at fork.
 */
#ifndef _UPC_SCOPE_H
#define _UPC_SCOPE_H

#include <linux/pid.h>
#include <linux/types.h>

/*
 * The process (thread group) of the task numbered @nr in the caller's pid
 * namespace, referenced; NULL if there is none.
 */
struct pid *upc_find_tgid(pid_t nr);

/* Trap path (RCU): does probe @id cover process @tgid? */
bool upc_scope_has(struct pid *tgid, u64 id);
/* Does any probe cover @tgid? (RCU) */
bool upc_scope_any(struct pid *tgid);
/* Registry lock held. */
int upc_scope_add(struct pid *tgid, u64 id);
void upc_scope_remove_probe(u64 id);
/* Give @child every scope of @parent (child's first run, registry lock). */
int upc_scope_inherit(struct pid *parent, struct pid *child);
void upc_scope_exit(void);
int upc_scope_count(void);

#endif /* _UPC_SCOPE_H */
