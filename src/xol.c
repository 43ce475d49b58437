// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * Out-of-line slots (see xol.h). A slot holds the displaced instruction,
 * its rip-relative displacement re-based to the slot, then
 * "jmp *0(%rip); .quad vaddr + len". Chunks of slots are anonymous
 * PROT_READ|PROT_EXEC mappings made with vm_mmap() from a thread of the
 * process, within rel32 reach of the text they serve. A slot is never
 * reused for another instruction while the address space lives.
 */

#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <asm/ptrace.h>

#include "mm.h"
#include "fault.h"
#include "patch.h"
#include "probe.h"
#include "xol.h"

/* How far a chunk may be from the text it serves (rel32 with margin). */
#define UPC_REACH	(1UL << 30)
/* Nothing goes below this, whatever mmap_min_addr says. */
#define UPC_LOW		0x100000UL

static atomic_t upc_xol_chunks = ATOMIC_INIT(0);

static bool upc_near(unsigned long a, unsigned long b)
{
	return (a > b ? a - b : b - a) < UPC_REACH;
}

static unsigned long upc_try_map(unsigned long addr)
{
	return vm_mmap(NULL, addr, UPC_CHUNK_SIZE, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);
}

/*
 * Is [@start, @start + @len) still in a chunk as we made it (anonymous,
 * private, r-x, one mapping)? The process may have unmapped it and mapped
 * something else there, shared memory included: nothing of ours is
 * written there then. Its kind only, not that it is ours: a process that
 * maps anonymous r-x memory of its own there has its memory written.
 * mmap_lock held.
 */
static bool upc_chunk_mapped(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma = vma_lookup(mm, start);

	return vma && vma->vm_end - start >= len && vma_is_anonymous(vma) &&
	       !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_WRITE)) &&
	       (vma->vm_flags & VM_EXEC);
}

/* The next address to try after @addr was taken: past what is in the way. */
static unsigned long upc_next_try(struct mm_struct *mm, unsigned long addr, bool down)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (down)
		addr = vma ? vma->vm_start - UPC_CHUNK_SIZE : addr - UPC_CHUNK_SIZE;
	else
		addr = vma ? vma->vm_end : addr + UPC_CHUNK_SIZE;
	mmap_read_unlock(mm);
	return addr;
}

/* Map a chunk near @vaddr: first below the text's mapping, then above it. */
static unsigned long upc_chunk_map(struct mm_struct *mm, unsigned long vaddr)
{
	struct vm_area_struct *vma;
	unsigned long lo, hi, addr, ret;
	int pass, tries;

	mmap_read_lock(mm);
	vma = find_vma(mm, vaddr);
	lo = vma ? vma->vm_start : vaddr;
	hi = vma ? vma->vm_end : vaddr;
	mmap_read_unlock(mm);

	for (pass = 0; pass < 2; pass++) {
		bool down = pass == 0;

		/* Going down past 0 wraps around, out of reach: the loop ends. */
		addr = down ? lo - UPC_CHUNK_SIZE : PAGE_ALIGN(hi);
		for (tries = 0; tries < 32; tries++) {
			if (addr <= UPC_LOW || !upc_near(addr, vaddr))
				break;
			/* Leave the heap room to grow. */
			if (!down && addr >= mm->start_brk && addr < mm->brk + UPC_REACH / 2)
				addr = PAGE_ALIGN(mm->brk + UPC_REACH / 2);
			ret = upc_try_map(addr);
			if (!IS_ERR_VALUE(ret) || ret != -EEXIST)
				return ret;
			addr = upc_next_try(mm, addr, down);
		}
	}
	return -ENOSPC;
}

/* The slot's code for instruction @insn (decoded: @in) at @vaddr, put at @slot. */
static int upc_slot_code(u8 *code, const u8 *insn, const struct upc_insn *in,
			 unsigned long vaddr, unsigned long slot)
{
	unsigned long back = vaddr + in->len;
	static const u8 jmp_abs[6] = { 0xff, 0x25, 0, 0, 0, 0 };

	memcpy(code, insn, in->len);
	if (in->rip_rel) {
		s64 target = (s64)(vaddr + in->len) + in->disp;
		s64 disp = target - (s64)(slot + in->len);
		s32 d32 = (s32)disp;

		if (disp != d32)
			return -ERANGE;
		memcpy(code + in->disp_off, &d32, sizeof(d32));
	}
	memcpy(code + in->len, jmp_abs, sizeof(jmp_abs));
	memcpy(code + in->len + sizeof(jmp_abs), &back, sizeof(back));
	return in->len + sizeof(jmp_abs) + sizeof(back);
}

static struct upc_xol_chunk *upc_chunk_new(struct upc_mm *um, unsigned long vaddr)
{
	struct upc_xol_chunk *c;
	unsigned long start = upc_chunk_map(um->mm, vaddr);

	if (IS_ERR_VALUE(start))
		return ERR_PTR((long)start);
	c = UPC_FAULT(xol_area) ? NULL : kvzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c) {
		vm_munmap(start, UPC_CHUNK_SIZE);
		return ERR_PTR(-ENOMEM);
	}
	c->start = start;
	list_add_tail_rcu(&c->node, &um->chunks);
	atomic_inc(&upc_xol_chunks);
	return c;
}

/*
 * The slot of the instruction @insn (decoded: @dec) of @vaddr, in a chunk
 * near @near, made if needed.
 */
static long upc_xol_make(struct upc_mm *um, unsigned long near, unsigned long vaddr,
			 const u8 *insn, const struct upc_insn *dec)
{
	u8 len = dec->len;
	struct upc_xol_chunk *c, *room = NULL;
	u8 code[UPC_SLOT_SIZE];
	unsigned long slot;
	unsigned int i;
	int n, ret = -ENOMEM;

	if (current->mm != um->mm)
		return -EINVAL;
	list_for_each_entry(c, &um->chunks, node) {
		if (!upc_near(c->start, near))
			continue;
		for (i = 0; i < c->used; i++)
			if (c->meta[i].vaddr == vaddr && c->meta[i].len == len &&
			    !memcmp(c->meta[i].insn, insn, len))
				return c->start + i * UPC_SLOT_SIZE;
		if (!room && c->used < UPC_CHUNK_SLOTS)
			room = c;
	}
	if (!room) {
		room = upc_chunk_new(um, near);
		if (IS_ERR(room))
			return PTR_ERR(room);
	}
	i = room->used;
	slot = room->start + i * UPC_SLOT_SIZE;
	n = upc_slot_code(code, insn, dec, vaddr, slot);
	if (n < 0)
		return n;
	mmap_read_lock(um->mm);
	ret = upc_chunk_mapped(um->mm, slot, n) ? upc_poke(um->mm, slot, code, n) : -EFAULT;
	mmap_read_unlock(um->mm);
	if (ret)
		return ret;
	room->meta[i].vaddr = vaddr;
	room->meta[i].len = len;
	memcpy(room->meta[i].insn, insn, len);
	/* Metadata first: the signal hook reads it by rip. */
	smp_store_release(&room->used, i + 1);
	return slot;
}

long upc_xol_slot(struct upc_mm *um, unsigned long vaddr, const struct upc_site *site)
{
	return upc_xol_make(um, vaddr, vaddr, site->insn, &site->dec);
}

/*
 * The trampoline's slot is that of an int3 at this address, which no
 * text has: the slot's code is an int3 (then a jump there, never taken).
 */
#define UPC_TRAMP_VADDR	1UL

long upc_xol_tramp(struct upc_mm *um, unsigned long near)
{
	static const u8 int3 = UPC_INT3;
	struct upc_insn dec;

	if (upc_insn_decode(&dec, &int3, 1, true))
		return -EINVAL;
	return upc_xol_make(um, near, UPC_TRAMP_VADDR, &int3, &dec);
}

unsigned long upc_xol_tramp_find(struct upc_mm *um)
{
	struct upc_xol_chunk *c;
	unsigned int i;

	list_for_each_entry(c, &um->chunks, node)
		for (i = 0; i < c->used; i++)
			if (c->meta[i].vaddr == UPC_TRAMP_VADDR)
				return c->start + i * UPC_SLOT_SIZE;
	return 0;
}

bool upc_xol_fix_ip(struct upc_mm *um, struct pt_regs *regs)
{
	struct upc_xol_chunk *c;
	unsigned long ip = regs->ip;

	list_for_each_entry_rcu(c, &um->chunks, node) {
		unsigned long off, idx;
		const struct upc_slot_meta *m;

		if (ip < c->start || ip >= c->start + UPC_CHUNK_SIZE)
			continue;
		off = (ip - c->start) % UPC_SLOT_SIZE;
		idx = (ip - c->start) / UPC_SLOT_SIZE;
		/* Pairs with the release in upc_xol_slot(): meta is written. */
		if (idx >= smp_load_acquire(&c->used))
			return false;
		m = &c->meta[idx];
		if (!m->vaddr || m->vaddr == UPC_TRAMP_VADDR)
			return false;
		if (off == 0) {
			regs->ip = m->vaddr;
			return true;
		}
		if (off == m->len)
			regs->ip = m->vaddr + m->len;
		return false;
	}
	return false;
}

/*
 * Keep only the slots of @c whose code is in this process's memory: a
 * parent may have made slots, or the whole chunk, after the fork copied
 * its memory. Runs in the child. False if the chunk is not there at all.
 */
static bool upc_chunk_validate(struct mm_struct *mm, struct upc_xol_chunk *c)
{
	u8 *mem = UPC_FAULT(xol_chunk) ? NULL : kvmalloc(UPC_CHUNK_SIZE, GFP_KERNEL);
	u8 code[UPC_SLOT_SIZE];
	struct upc_insn in;
	unsigned int i;
	int n, ret = -ENOMEM;

	mmap_read_lock(mm);
	if (!upc_chunk_mapped(mm, c->start, UPC_CHUNK_SIZE)) {
		mmap_read_unlock(mm);
		kvfree(mem);
		return false;
	}
	if (mem)
		ret = upc_peek(mm, c->start, mem, UPC_CHUNK_SIZE);
	mmap_read_unlock(mm);
	for (i = 0; i < c->used; i++) {
		struct upc_slot_meta *m = &c->meta[i];
		unsigned long slot = c->start + i * UPC_SLOT_SIZE;

		n = -EINVAL;
		if (mem && !ret && !upc_insn_decode(&in, m->insn, m->len, true))
			n = upc_slot_code(code, m->insn, &in, m->vaddr, slot);
		if (n < 0 || memcmp(code, mem + i * UPC_SLOT_SIZE, n))
			m->vaddr = 0;
	}
	kvfree(mem);
	return true;
}

bool upc_xol_slot_valid(struct upc_mm *um, unsigned long slot, unsigned long vaddr)
{
	struct upc_xol_chunk *c;

	list_for_each_entry(c, &um->chunks, node)
		if (slot >= c->start && slot < c->start + UPC_CHUNK_SIZE)
			return c->meta[(slot - c->start) / UPC_SLOT_SIZE].vaddr == vaddr;
	return false;
}

int upc_xol_copy(struct upc_mm *to, struct upc_mm *from)
{
	struct upc_xol_chunk *c, *n;

	list_for_each_entry(c, &from->chunks, node) {
		n = UPC_FAULT(xol_node) ? NULL : kvmalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
		if (!n)
			return -ENOMEM;
		memcpy(n, c, sizeof(*n));
		if (!upc_chunk_validate(to->mm, n)) {
			kvfree(n);
			continue;
		}
		list_add_tail_rcu(&n->node, &to->chunks);
		atomic_inc(&upc_xol_chunks);
	}
	return 0;
}

/* The mm's state is being freed, after a grace period: no readers left. */
void upc_xol_free(struct upc_mm *um)
{
	struct upc_xol_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &um->chunks, node) {
		list_del(&c->node);
		kvfree(c);
		atomic_dec(&upc_xol_chunks);
	}
}

int upc_xol_count(void)
{
	return atomic_read(&upc_xol_chunks);
}
