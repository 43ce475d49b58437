/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The trap path: int3 through the die notifier, and the fix-up of rip for
 * a thread that takes a signal inside a slot.
 */
#ifndef _UPC_TRAP_H
#define _UPC_TRAP_H

int upc_trap_init(void);
void upc_trap_exit(void);
/* Signal delivery hook (atomic context, current task). */
void upc_trap_signal_hook(void);

#endif /* _UPC_TRAP_H */
