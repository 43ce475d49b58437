/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * The one place where kernel-version differences live. This header is
 * force-included into every object of the module (see Kbuild), so the rest
 * of the code reads as if written for a single kernel. Supported: 6.1 and
 * 6.12 (Debian 12's two kernel lines).
 */
#ifndef _UPC_COMPAT_H
#define _UPC_COMPAT_H

/*
 * UPC_KVER is major * 256 + minor of the kernel being built against, set by
 * Kbuild from the kernel's own make variables (so sublevels of 256 and more,
 * which saturate LINUX_VERSION_CODE, cannot confuse it).
 */
#define UPC_KV(maj, min) ((maj) * 256 + (min))
#define UPC_KERNEL_AT_LEAST(maj, min) (UPC_KV(maj, min) <= UPC_KVER)

#if !UPC_KERNEL_AT_LEAST(6, 1)
#error "uprobectl supports Linux 6.1 and later"
#endif

#endif /* _UPC_COMPAT_H */
