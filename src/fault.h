/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Fault-injection points. Each allocation the module makes in process
 * context, and each access to user memory or to a probed file there, is
 * preceded by UPC_FAULT(site): false, unless the kernel has
 * CONFIG_FUNCTION_ERROR_INJECTION and a test told fail_function to make
 * upc_fault_<site>() return an error:
 *
 *   echo upc_fault_ring > /sys/kernel/debug/fail_function/inject
 *
 * One function per site, so that each site can be made to fail alone
 * (tests/suite/fault-inject.sh walks them all). Where the kernel has no
 * error injection (Debian's stock builds) UPC_FAULT() is a constant false
 * and costs nothing. Sites that run with interrupts or preemption off (the
 * trap path, the hooks) have none: fail_function's kprobe has no business
 * there, and they do not allocate.
 */
#ifndef _UPC_FAULT_H
#define _UPC_FAULT_H

#ifdef CONFIG_FUNCTION_ERROR_INJECTION
/* Defined in fault.c, in the same order. */
int upc_fault_struct_in(void);
int upc_fault_struct_out(void);
int upc_fault_client(void);
int upc_fault_event_rec(void);
int upc_fault_sub(void);
int upc_fault_sub_ids(void);
int upc_fault_ring(void);
int upc_fault_read_bounce(void);
int upc_fault_read_copy(void);
int upc_fault_fetch_spec(void);
int upc_fault_fetch_read(void);
int upc_fault_bp(void);
int upc_fault_mm_state(void);
int upc_fault_mm_places(void);
int upc_fault_mm_sites(void);
int upc_fault_mm_targets(void);
int upc_fault_gup(void);
int upc_fault_pool_refill(void);
int upc_fault_insn_read(void);
int upc_fault_site(void);
int upc_fault_probe(void);
int upc_fault_probe_hits(void);
int upc_fault_probe_id(void);
int upc_fault_batch_alloc(void);
int upc_fault_batch_in(void);
int upc_fault_batch_out(void);
int upc_fault_batch_result(void);
int upc_fault_removal(void);
int upc_fault_del_copy(void);
int upc_fault_del_id(void);
int upc_fault_list_info(void);
int upc_fault_list_out(void);
int upc_fault_rtask(void);
int upc_fault_scope(void);
int upc_fault_scope_ids(void);
int upc_fault_sem(void);
int upc_fault_elf_read(void);
int upc_fault_elf_phdrs(void);
int upc_fault_path_buf(void);
int upc_fault_xol_area(void);
int upc_fault_xol_chunk(void);
int upc_fault_xol_node(void);
#define UPC_FAULT(site) unlikely(upc_fault_##site())
#else
#define UPC_FAULT(site) false
#endif

#endif /* _UPC_FAULT_H */
