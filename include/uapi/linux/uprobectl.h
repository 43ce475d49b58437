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

/* Feature bits, reported by UPROBECTL_IOC_VERSION. */
#define UPROBECTL_FEAT_PROBES	(1ULL << 0)	/* ADD, DEL, LIST */
#define UPROBECTL_FEAT_STATS	(1ULL << 1)	/* STATS */
#define UPROBECTL_FEAT_EVENTS	(1ULL << 2)	/* SUBSCRIBE, read(), poll() */
#define UPROBECTL_FEAT_BATCH	(1ULL << 3)	/* ADD_BATCH */
#define UPROBECTL_FEAT_FETCH	(1ULL << 4)	/* fetch arguments (ADD args) */
#define UPROBECTL_FEAT_SEMAPHORE (1ULL << 5)	/* SDT semaphores (ADD semaphore) */
#define UPROBECTL_FEAT_RETURN	(1ULL << 6)	/* ADD kind: entry, exit, return probes */

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

/*
 * UPROBECTL_IOC_ADD: a probe on the instruction at file offset @offset of
 * the file named by @path (a user pointer to a NUL-terminated path) or, with
 * UPROBECTL_ADD_FD, by the open file descriptor @fd. The breakpoint goes into
 * every process that maps that file executable, now or later, unless @pid
 * is set: then only into that process (across exec) and the children it
 * forks afterwards. The probe belongs to the file descriptor the call was
 * made on and goes when that is closed, unless UPROBECTL_ADD_PERSISTENT is
 * set: then it stays until deleted or the module is unloaded.
 *
 * Errors, each with a sentence in @error: EINVAL (bad flags, not a regular
 * file, not a 64-bit x86 ELF), ENOENT (no such path), EBADF (@fd not open,
 * or not open for reading), EIO (the file cannot be read), ERANGE (offset
 * outside an executable segment), EILSEQ (the bytes there are no valid
 * instruction), EOPNOTSUPP (an instruction that cannot be probed, and why),
 * ESRCH (no such process), EPERM (caller without CAP_SYS_ADMIN), ENOSPC (too
 * many probes), ENOMEM.
 *
 * Fetch arguments (VER1): @args points to @nargs (at most
 * UPROBECTL_FETCH_MAX) struct uprobectl_fetch of @arg_size bytes each (the
 * caller's sizeof(struct uprobectl_fetch)). Each hit event of the probe
 * then carries their values, read at the hit without sleeping (see
 * struct uprobectl_event_args). EINVAL for a malformed argument.
 */
#define UPROBECTL_ADD_PERSISTENT	(1U << 0)
#define UPROBECTL_ADD_FD		(1U << 1)

#define UPROBECTL_NAME_LEN	64
#define UPROBECTL_ERROR_LEN	128

struct uprobectl_add {
	__u32 size;		/* in: sizeof(struct uprobectl_add) */
	__u32 flags;		/* in: UPROBECTL_ADD_* */
	__u64 path;		/* in: user pointer to the path */
	__u64 offset;		/* in: file offset of the instruction */
	__u64 cookie;		/* in: any value, reported back with the probe */
	__s32 fd;		/* in: with UPROBECTL_ADD_FD */
	__s32 pid;		/* in: 0 for every process */
	char name[UPROBECTL_NAME_LEN];	/* in: optional, NUL-terminated */
	__u64 id;		/* out: the probe's id (never 0) */
	char error[UPROBECTL_ERROR_LEN]; /* out: why the call failed */
	/* end of VER0 */
	__u64 args;		/* in: user pointer to struct uprobectl_fetch[nargs] */
	__u32 nargs;		/* in: 0 for none */
	__u32 arg_size;		/* in: sizeof(struct uprobectl_fetch) */
	/* end of VER1 */
	/*
	 * in: file offset of the probe's SDT semaphore (a 2-byte counter in
	 * a writable segment of the same file), 0 for none. While the probe
	 * exists, the counter is raised by one in every process it applies
	 * to that maps the file, and lowered again when it goes.
	 */
	__u64 semaphore;
	/* end of VER2 */
	__u32 kind;		/* in: UPROBECTL_KIND_*, 0 for an instruction probe */
	__u32 pad;		/* in: zero */
	__u64 group;		/* in: UPROBECTL_KIND_EXIT: its KIND_ENTRY probe's id, or 0 */
	/* end of VER3 */
};

#define UPROBECTL_ADD_SIZE_VER0		240
#define UPROBECTL_ADD_SIZE_VER1		256
#define UPROBECTL_ADD_SIZE_VER2		264
#define UPROBECTL_ADD_SIZE_VER3		280

/*
 * Kinds of probe (VER3). Function probes go on a function's first
 * instruction (KIND_ENTRY, KIND_RETURN) or on an instruction that leaves
 * it (KIND_EXIT); the module cannot check that, the caller must.
 *
 *  - KIND_INSN: a hit when the instruction is about to run.
 *  - KIND_ENTRY: the same, and the thread's entry time is kept (per thread,
 *    by stack pointer, so nesting and recursion pair up) for the exit
 *    probes of its group.
 *  - KIND_EXIT: on a ret or a jump out of a function, with @group the id of
 *    the function's KIND_ENTRY probe (a conditional jump hits only when it
 *    is taken). Its hits are UPROBECTL_EVENT_RETURN events with the time
 *    since the matching entry, and the return value at a ret (a jump out
 *    has none yet: UPROBECTL_RET_TAIL). Nothing is changed in the process
 *    beyond the int3s. Deleting the entry probe deletes the group's exit
 *    probes.
 *  - KIND_RETURN: at the function's entry the return address on the stack
 *    (a value that follows a call instruction; anything else is left
 *    alone) is replaced with a trampoline in the process's slot area; the
 *    probe hits when the function returns there (UPROBECTL_EVENT_RETURN,
 *    with the return value and the time since the entry), and the thread
 *    goes on at the real return address. At most UPROBECTL_RET_DEPTH calls
 *    per thread are followed at once: the returns of deeper ones (and of
 *    calls made while memory was short) are not reported. Code that reads
 *    its own return addresses sees the trampoline: C++ exceptions thrown
 *    through such a function end the program, as with the kernel's
 *    uretprobes; use KIND_EXIT there.
 *
 * UPROBECTL_FETCH_RETVAL arguments need KIND_EXIT or KIND_RETURN.
 */
enum {
	UPROBECTL_KIND_INSN = 0,
	UPROBECTL_KIND_ENTRY = 1,
	UPROBECTL_KIND_EXIT = 2,
	UPROBECTL_KIND_RETURN = 3,
};

#define UPROBECTL_RET_DEPTH	64

/*
 * A fetch argument, in the spirit of the kernel's uprobe_events: start
 * from a base value (a register, or a constant address), then dereference
 * @depth times: value = *(value + off[i]) for i = 0 .. depth-1, where the
 * inner loads read 8 bytes and the last one reads the type's size (or, for
 * UPROBECTL_TYPE_STRING, a NUL-terminated string of at most
 * UPROBECTL_FETCH_STRLEN - 1 bytes). So "%di" is REG(DI) depth 0,
 * "+8(%di)" is REG(DI) depth 1 off {8}, "@0x601040" is IMM depth 1 off {0},
 * "+0(+16(%si)):string" is REG(SI) depth 2 off {16, 0}. Strings need
 * depth >= 1. Without dereferences the register's value is truncated to the
 * type's size (and sign-extended for the s types).
 */
#define UPROBECTL_FETCH_MAX	16	/* arguments per probe */
#define UPROBECTL_FETCH_DEPTH	4	/* dereferences per argument */
#define UPROBECTL_FETCH_STRLEN	256	/* bytes of a string, with its NUL */
#define UPROBECTL_ARGNAME_LEN	32

enum {
	UPROBECTL_FETCH_REG = 1,	/* register @reg */
	UPROBECTL_FETCH_IMM = 2,	/* the constant @imm */
	UPROBECTL_FETCH_RETVAL = 3,	/* the return value (return probes) */
};

/* Registers, as struct pt_regs of x86-64 names them. */
enum {
	UPROBECTL_REG_AX, UPROBECTL_REG_BX, UPROBECTL_REG_CX, UPROBECTL_REG_DX,
	UPROBECTL_REG_SI, UPROBECTL_REG_DI, UPROBECTL_REG_BP, UPROBECTL_REG_SP,
	UPROBECTL_REG_R8, UPROBECTL_REG_R9, UPROBECTL_REG_R10, UPROBECTL_REG_R11,
	UPROBECTL_REG_R12, UPROBECTL_REG_R13, UPROBECTL_REG_R14, UPROBECTL_REG_R15,
	UPROBECTL_REG_IP, UPROBECTL_REG_FLAGS,
	UPROBECTL_NR_REGS
};

/* Types: the low 4 bits are the size in bytes (1, 2, 4, 8). */
#define UPROBECTL_TYPE_U(bytes)	(0x10 | (bytes))	/* unsigned decimal */
#define UPROBECTL_TYPE_S(bytes)	(0x20 | (bytes))	/* signed decimal */
#define UPROBECTL_TYPE_X(bytes)	(0x30 | (bytes))	/* hexadecimal */
#define UPROBECTL_TYPE_STRING	0x40

struct uprobectl_fetch {
	__u8 base;		/* UPROBECTL_FETCH_* */
	__u8 reg;		/* UPROBECTL_REG_*, with UPROBECTL_FETCH_REG */
	__u8 type;		/* UPROBECTL_TYPE_* */
	__u8 depth;		/* dereferences, 0..UPROBECTL_FETCH_DEPTH */
	__u32 pad;		/* zero */
	__u64 imm;		/* with UPROBECTL_FETCH_IMM */
	__s64 off[UPROBECTL_FETCH_DEPTH];	/* offset of each dereference */
	char name[UPROBECTL_ARGNAME_LEN];	/* NUL-terminated; may be empty */
};

#define UPROBECTL_FETCH_SIZE_VER0	80

/*
 * UPROBECTL_IOC_DEL: delete the @count probes whose ids are in the __u64
 * array at @ids, or with UPROBECTL_DEL_ALL every probe (@ids unused). Ids
 * that do not exist are skipped; @deleted says how many went. ENOENT if
 * none of the ids existed; EINVAL for more than 65536 ids in one call.
 */
#define UPROBECTL_DEL_ALL	(1U << 0)

struct uprobectl_del {
	__u32 size;		/* in: sizeof(struct uprobectl_del) */
	__u32 flags;		/* in: UPROBECTL_DEL_* */
	__u64 ids;		/* in: user pointer to __u64 ids[count] */
	__u32 count;		/* in */
	__u32 deleted;		/* out */
	/* end of VER0 */
};

#define UPROBECTL_DEL_SIZE_VER0		24

/*
 * UPROBECTL_IOC_LIST: describe the probes. @entries points to room for
 * @count entries of @entry_size bytes each (the caller's
 * sizeof(struct uprobectl_probe_info)); each entry is filled up to the
 * smaller of the two sizes. On return @count is the number of probes that
 * exist (which may exceed the room given: call again with more).
 */
#define UPROBECTL_PROBE_PERSISTENT	(1U << 0)	/* survives its fd */
#define UPROBECTL_PROBE_MINE		(1U << 1)	/* made on this fd */

#define UPROBECTL_PATH_LEN	512

struct uprobectl_probe_info {
	__u64 id;
	__u64 cookie;
	__u64 offset;		/* file offset */
	__u64 hits;
	__s32 pid;		/* 0: every process */
	__u32 flags;		/* UPROBECTL_PROBE_* */
	char name[UPROBECTL_NAME_LEN];
	char path[UPROBECTL_PATH_LEN];	/* truncated if longer */
	/* end of VER0 */
	__u32 nargs;		/* fetch arguments */
	__u32 kind;		/* UPROBECTL_KIND_* */
	struct uprobectl_fetch args[UPROBECTL_FETCH_MAX];
	/* end of VER1 */
	__u64 semaphore;	/* file offset of its SDT semaphore, or 0 */
	/* end of VER2 */
	__u64 group;		/* KIND_EXIT: the id of its entry probe, or 0 */
	/* end of VER3 */
};

#define UPROBECTL_PROBE_INFO_SIZE_VER0	616
#define UPROBECTL_PROBE_INFO_SIZE_VER1	1904
#define UPROBECTL_PROBE_INFO_SIZE_VER2	1912
#define UPROBECTL_PROBE_INFO_SIZE_VER3	1920

struct uprobectl_list {
	__u32 size;		/* in: sizeof(struct uprobectl_list) */
	__u32 entry_size;	/* in: sizeof(struct uprobectl_probe_info) */
	__u64 entries;		/* in: user pointer */
	__u32 count;		/* in: room; out: probes that exist */
	__u32 filled;		/* out: entries written */
	/* end of VER0 */
};

#define UPROBECTL_LIST_SIZE_VER0	24

/*
 * UPROBECTL_IOC_STATS: what the module holds right now, each counted where
 * it is allocated and freed. With no probes and no probed process left,
 * everything but @clients drops to zero (frees wait for an RCU grace
 * period, so allow a moment).
 */
struct uprobectl_stats {
	__u32 size;		/* in: sizeof(struct uprobectl_stats) */
	__u32 clients;		/* open /dev/uprobectl files */
	__u64 probes;		/* probes */
	__u64 sites;		/* probed instructions (file, offset) */
	__u64 processes;	/* per-address-space states */
	__u64 breakpoints;	/* breakpoints in address spaces */
	__u64 xol_areas;	/* out-of-line slot areas (4 pages each) */
	__u64 deferred;		/* task works queued and not yet run */
	__u64 scopes;		/* processes with pid-scoped probes */
	__u64 forks;		/* forks copied whose child has not run yet */
	__u64 subscribers;	/* files subscribed to events */
	/* end of VER0 */
	__u64 frames;		/* calls followed now (entry, exit, return probes) */
	__u64 thread_states;	/* threads with calls followed */
	/* end of VER1 */
};

#define UPROBECTL_STATS_SIZE_VER0	80
#define UPROBECTL_STATS_SIZE_VER1	96

/*
 * UPROBECTL_IOC_ADD_BATCH: add @count probes described by the array of
 * struct uprobectl_add at @entries (each @entry_size bytes: the caller's
 * sizeof(struct uprobectl_add); the size member of each entry is ignored).
 * The probes go into running processes in one pass at the end, so a
 * thousand probes cost about what one does. Every entry is tried; each
 * gets its id (0 if it failed) and, if it failed, its reason in error and
 * its errno in results[i] when @results points to an array of __s32
 * (0 for success). @added counts the probes added. The call fails with
 * the errno of the first entry that failed, if any did; EINVAL for more
 * than 65536 entries.
 */
struct uprobectl_add_batch {
	__u32 size;		/* in: sizeof(struct uprobectl_add_batch) */
	__u32 entry_size;	/* in: sizeof(struct uprobectl_add) */
	__u64 entries;		/* in/out: user pointer to the entries */
	__u64 results;		/* in: user pointer to __s32[count], or 0 */
	__u32 count;		/* in */
	__u32 added;		/* out */
	/* end of VER0 */
};

#define UPROBECTL_ADD_BATCH_SIZE_VER0	32

/*
 * UPROBECTL_IOC_SUBSCRIBE: make this open file a reader of hit events:
 * every hit of a probe that matches (any probe, persistent ones included,
 * whoever added it) is recorded in the file's ring, which read() drains
 * and poll() watches. A hit never waits for a reader: when the ring is
 * full, events are counted as lost, and the reader gets a LOST record with
 * their number where they would have been. One subscription per file
 * (EBUSY for a second).
 *
 * Filters: UPROBECTL_SUB_IDS keeps the probes whose ids are in the __u64
 * array @ids (@count of them, at most 4096); UPROBECTL_SUB_PID keeps the
 * hits of process @pid (a pid in the caller's namespace). Without a
 * filter flag, every hit. @ring_size is the ring's size in bytes, rounded
 * down to a power of two records (0: 4 MiB; at most 256 MiB).
 *
 * read() returns whole records only, each 8-byte aligned in size (EINVAL
 * if @len cannot hold the next one: a buffer of UPROBECTL_EVENT_MAX bytes
 * holds any record); it blocks until there is one unless the file is
 * O_NONBLOCK (EAGAIN). Each record starts with struct
 * uprobectl_event_header; skip records of types you do not know, and
 * bytes at the end of records you know, by the header's size. pid and
 * tid are those of the initial pid namespace; time_ns is CLOCK_MONOTONIC.
 * @ring_size is rounded down to a power of two bytes (at least 8 KiB).
 */
#define UPROBECTL_SUB_IDS	(1U << 0)
#define UPROBECTL_SUB_PID	(1U << 1)

#define UPROBECTL_SUB_MAX_IDS	4096

struct uprobectl_subscribe {
	__u32 size;		/* in: sizeof(struct uprobectl_subscribe) */
	__u32 flags;		/* in: UPROBECTL_SUB_* */
	__u64 ids;		/* in: user pointer to __u64 ids[count] */
	__u32 count;		/* in */
	__s32 pid;		/* in: with UPROBECTL_SUB_PID */
	__u64 ring_size;	/* in: bytes, 0 for the default */
	/* end of VER0 */
};

#define UPROBECTL_SUBSCRIBE_SIZE_VER0	32

#define UPROBECTL_EVENT_HIT	1	/* struct uprobectl_event */
#define UPROBECTL_EVENT_LOST	2	/* struct uprobectl_event_lost */
#define UPROBECTL_EVENT_RETURN	3	/* struct uprobectl_event, then _event_ret */

#define UPROBECTL_COMM_LEN	16
#define UPROBECTL_EVENT_ARGS	6

struct uprobectl_event_header {
	__u16 size;		/* of the whole record */
	__u16 type;		/* UPROBECTL_EVENT_* */
	__u32 cpu;
	__u64 time_ns;
};

struct uprobectl_event {
	struct uprobectl_event_header hdr;
	__u32 pid;		/* process */
	__u32 tid;		/* thread */
	__u64 id;		/* probe */
	__u64 cookie;		/* the probe's */
	__u64 ip;		/* probed address in the process */
	__u64 args[UPROBECTL_EVENT_ARGS];	/* rdi rsi rdx rcx r8 r9 */
	char comm[UPROBECTL_COMM_LEN];
	/* end of VER0; with fetch arguments, struct uprobectl_event_args */
};

/*
 * After struct uprobectl_event when the probe has fetch arguments (the
 * header's size says whether there is room for it): one value per
 * argument, in the order they were given. Bit i of @faults is set when
 * argument i could not be read (a bad address): its value is then 0.
 * (Memory is read at the hit without faulting; when a page is not in
 * memory, the event is finished before the thread returns to user mode,
 * where the page can be faulted in: such an event may come after events
 * of other threads that happened later.) For UPROBECTL_TYPE_STRING the value
 * locates the string in the record: bits 0-15 its offset from the start of
 * the record, bits 16-31 its length (a NUL follows it).
 */
struct uprobectl_event_args {
	__u32 nargs;
	__u32 faults;
	__u64 value[];
};

/*
 * A hit of a KIND_EXIT or KIND_RETURN probe: struct uprobectl_event (its
 * ip is the exit instruction's address, or for KIND_RETURN the function's
 * entry), then this, then struct uprobectl_event_args if the probe has
 * fetch arguments. The latency pairs the exit with the entry of the same
 * thread at the same stack pointer.
 */
#define UPROBECTL_RET_RETVAL	(1U << 0)	/* @retval holds rax at the return */
#define UPROBECTL_RET_LATENCY	(1U << 1)	/* the entry was seen: @latency_ns */
#define UPROBECTL_RET_TAIL	(1U << 2)	/* left by a jump: no return value yet */

struct uprobectl_event_ret {
	__u64 retval;
	__u64 latency_ns;	/* since the matching entry */
	__u64 ret_ip;		/* where the function returns to, if known */
	__u32 flags;		/* UPROBECTL_RET_* */
	__u32 pad;
};

/* No record is longer. */
#define UPROBECTL_EVENT_MAX	4352

/* @lost events did not fit in the ring, here in the stream. */
struct uprobectl_event_lost {
	struct uprobectl_event_header hdr;
	__u64 lost;
};

/*
 * UPROBECTL_IOC_EVENT_STATS: a subscribed file's totals: events it was
 * given (read or still queued), events lost, and queued now. ENOENT if
 * the file is not subscribed.
 */
struct uprobectl_event_stats {
	__u32 size;		/* in: sizeof(struct uprobectl_event_stats) */
	__u32 pad;
	__u64 delivered;
	__u64 lost;
	__u64 queued;
	/* end of VER0 */
};

#define UPROBECTL_EVENT_STATS_SIZE_VER0	32

#define UPROBECTL_IOC_ADD	_IOWR(UPROBECTL_IOC_MAGIC, 0x01, struct uprobectl_add)
#define UPROBECTL_IOC_DEL	_IOWR(UPROBECTL_IOC_MAGIC, 0x02, struct uprobectl_del)
#define UPROBECTL_IOC_LIST	_IOWR(UPROBECTL_IOC_MAGIC, 0x03, struct uprobectl_list)
#define UPROBECTL_IOC_STATS	_IOWR(UPROBECTL_IOC_MAGIC, 0x04, struct uprobectl_stats)
#define UPROBECTL_IOC_ADD_BATCH	_IOWR(UPROBECTL_IOC_MAGIC, 0x05, struct uprobectl_add_batch)
#define UPROBECTL_IOC_SUBSCRIBE	_IOWR(UPROBECTL_IOC_MAGIC, 0x06, struct uprobectl_subscribe)
#define UPROBECTL_IOC_EVENT_STATS _IOWR(UPROBECTL_IOC_MAGIC, 0x07, struct uprobectl_event_stats)

#endif /* _UAPI_LINUX_UPROBECTL_H */
