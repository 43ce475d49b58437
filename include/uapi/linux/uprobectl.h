/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * uprobectl: user-space probes for x86-64 Linux, controlled through the misc
 * device /dev/uprobectl (root only: CAP_SYS_ADMIN is checked at open).
 *
 * The control plane is a set of ioctls on an open /dev/uprobectl. Its rules:
 *
 *  - Every argument is a struct whose first member is __u32 size, which the
 *    caller sets to sizeof() of the struct as its copy of this header
 *    declares it. Structs only grow, by new members at the end, 64-bit
 *    aligned; a member's meaning never changes.
 *  - An older caller's shorter struct is accepted: the missing tail reads as
 *    zero, which always means "the old behaviour". A size below the first
 *    published size of that struct (UPROBECTL_*_SIZE_VER0) is EINVAL.
 *  - A newer caller's longer struct is accepted if every byte beyond what
 *    the module knows is zero. If not, the call fails with E2BIG and the
 *    module writes the size it knows into the size member, so the caller can
 *    tell which features it may use.
 *  - Output members are written back only up to the smaller of the two
 *    sizes; the size member is left as the caller set it.
 *  - Pointers travel as __u64.
 *  - The size encoded in the ioctl command number is that of the struct's
 *    first version and is not used for anything: the size member rules.
 *    Unknown command numbers fail with ENOTTY, bad pointers with EFAULT.
 *
 * UPROBECTL_IOC_VERSION fills struct uprobectl_version: the ABI version (it
 * changes only if an incompatible change is ever made), the module's release
 * and UPROBECTL_FEAT_* bits naming what this module can do. Test feature bits,
 * not versions.
 */
#ifndef _UAPI_LINUX_UPROBECTL_H
#define _UAPI_LINUX_UPROBECTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UPROBECTL_DEVICE	"/dev/uprobectl"
#define UPROBECTL_ABI_VERSION	1

#define UPROBECTL_IOC_MAGIC	0xB7

/* Feature bits, reported by UPROBECTL_IOC_VERSION (none are defined yet). */

#define UPROBECTL_MODVERSION_LEN	32

struct uprobectl_version {
	__u32 size;		/* in: sizeof(struct uprobectl_version) */
	__u32 abi_version;	/* out: UPROBECTL_ABI_VERSION of the module */
	__u64 features;		/* out: UPROBECTL_FEAT_* */
	/* end of VER0 */
	char module_version[UPROBECTL_MODVERSION_LEN]; /* out: NUL-terminated */
	/* end of VER1 */
};

#define UPROBECTL_VERSION_SIZE_VER0	16
#define UPROBECTL_VERSION_SIZE_VER1	48

#define UPROBECTL_IOC_VERSION	_IOWR(UPROBECTL_IOC_MAGIC, 0x00, struct uprobectl_version)

#endif /* _UAPI_LINUX_UPROBECTL_H */
