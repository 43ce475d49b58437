/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Module-wide declarations: the version string and the init/exit entry
 * points of each subsystem, called in order by main.c.
 */
#ifndef _UPC_H
#define _UPC_H

#ifndef UPROBECTL_VERSION
#define UPROBECTL_VERSION "unknown"
#endif

/* Feature bits this build of the module reports (UPROBECTL_FEAT_*). */
#define UPC_FEATURES (UPROBECTL_FEAT_PROBES | UPROBECTL_FEAT_STATS | \
		      UPROBECTL_FEAT_EVENTS | UPROBECTL_FEAT_BATCH | UPROBECTL_FEAT_FETCH | \
		      UPROBECTL_FEAT_SEMAPHORE | UPROBECTL_FEAT_RETURN)

int upc_device_init(void);
void upc_device_exit(void);

#endif /* _UPC_H */
