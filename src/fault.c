// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The fault-injection points of fault.h: one function per site, each
 * returning 0 unless fail_function overrides it.
 */

#include <linux/compiler.h>
#include <linux/error-injection.h>

#include "fault.h"

#ifdef CONFIG_FUNCTION_ERROR_INJECTION
/*
 * noinline keeps the function for the kprobe; the empty asm keeps the
 * compiler from seeing that it returns 0 and dropping the callers' checks.
 */
#define UPC_FAULT_DEFINE(site)					\
	noinline int upc_fault_##site(void)			\
	{							\
		int ret = 0;					\
								\
		asm volatile("" : "+r" (ret));			\
		return ret;					\
	}							\
	ALLOW_ERROR_INJECTION(upc_fault_##site, ERRNO)

UPC_FAULT_DEFINE(struct_in);
UPC_FAULT_DEFINE(struct_out);
UPC_FAULT_DEFINE(client);
UPC_FAULT_DEFINE(event_rec);
UPC_FAULT_DEFINE(sub);
UPC_FAULT_DEFINE(sub_ids);
UPC_FAULT_DEFINE(ring);
UPC_FAULT_DEFINE(read_bounce);
UPC_FAULT_DEFINE(read_copy);
UPC_FAULT_DEFINE(fetch_spec);
UPC_FAULT_DEFINE(fetch_read);
UPC_FAULT_DEFINE(bp);
UPC_FAULT_DEFINE(mm_state);
UPC_FAULT_DEFINE(mm_places);
UPC_FAULT_DEFINE(mm_sites);
UPC_FAULT_DEFINE(mm_targets);
UPC_FAULT_DEFINE(gup);
UPC_FAULT_DEFINE(pool_refill);
UPC_FAULT_DEFINE(insn_read);
UPC_FAULT_DEFINE(site);
UPC_FAULT_DEFINE(probe);
UPC_FAULT_DEFINE(probe_hits);
UPC_FAULT_DEFINE(probe_id);
UPC_FAULT_DEFINE(batch_alloc);
UPC_FAULT_DEFINE(batch_in);
UPC_FAULT_DEFINE(batch_out);
UPC_FAULT_DEFINE(batch_result);
UPC_FAULT_DEFINE(removal);
UPC_FAULT_DEFINE(del_copy);
UPC_FAULT_DEFINE(del_id);
UPC_FAULT_DEFINE(list_info);
UPC_FAULT_DEFINE(list_out);
UPC_FAULT_DEFINE(rtask);
UPC_FAULT_DEFINE(scope);
UPC_FAULT_DEFINE(scope_ids);
UPC_FAULT_DEFINE(sem);
UPC_FAULT_DEFINE(elf_read);
UPC_FAULT_DEFINE(elf_phdrs);
UPC_FAULT_DEFINE(path_buf);
UPC_FAULT_DEFINE(xol_area);
UPC_FAULT_DEFINE(xol_chunk);
UPC_FAULT_DEFINE(xol_node);
#endif
