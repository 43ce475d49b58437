// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The uprobectl authors.
 *
 * x86 instruction decoder: lengths, prefixes, ModRM/SIB, displacement and
 * immediate of user-mode instructions, in 64-bit and 32-bit code. Opcode
 * properties are data: one grid per opcode map. Builds in the kernel and in
 * user space (tests/unit checks it against objdump on real binaries).
 */

#include "insn.h"

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

/*
 * An opcode's attributes. The low nibble says which immediate follows
 * (after any ModRM, SIB and displacement).
 */
#define IMM_NONE	0x0
#define IB		0x1	/* 1 byte */
#define IW		0x2	/* 2 bytes */
#define IZ		0x3	/* 2 with a 16-bit operand size, else 4 */
#define IV		0x4	/* operand size: 2, 4 or 8 (mov $imm64) */
#define AP		0x5	/* far pointer: offset and 2-byte selector */
#define OB		0x6	/* memory offset: address size */
#define IWB		0x7	/* enter: 2 bytes, then 1 */
#define JB		0x8	/* relative branch, 1 byte */
#define JZ		0x9	/* relative branch, 2 or 4 bytes */
#define G3		0xa	/* f6/f7: IB/IZ when ModRM.reg is 0 or 1 */
#define IMM_MASK	0xf
#define MR		0x10	/* a ModRM byte follows the opcode */
#define X64		0x20	/* invalid in 64-bit mode */
#define UD		0x40	/* invalid in every mode */

/*
 * The one-byte map. Prefixes (26 2e 36 3e 40-4f in 64-bit mode, 64-67,
 * f0 f2 f3) and the escapes (0f, and c4 c5 62 8f where they start VEX,
 * EVEX or XOP) are consumed before this table is read.
 */
static const u8 upc_map_1byte[256] = {
	/* 00 */ MR, MR, MR, MR, IB, IZ, X64, X64,
	/* 08 */ MR, MR, MR, MR, IB, IZ, X64, UD,
	/* 10 */ MR, MR, MR, MR, IB, IZ, X64, X64,
	/* 18 */ MR, MR, MR, MR, IB, IZ, X64, X64,
	/* 20 */ MR, MR, MR, MR, IB, IZ, UD, X64,
	/* 28 */ MR, MR, MR, MR, IB, IZ, UD, X64,
	/* 30 */ MR, MR, MR, MR, IB, IZ, UD, X64,
	/* 38 */ MR, MR, MR, MR, IB, IZ, UD, X64,
	/* 40 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 48 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 50 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 58 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 60 */ X64, X64, MR | X64, MR, UD, UD, UD, UD,
	/* 68 */ IZ, MR | IZ, IB, MR | IB, 0, 0, 0, 0,
	/* 70 */ JB, JB, JB, JB, JB, JB, JB, JB,
	/* 78 */ JB, JB, JB, JB, JB, JB, JB, JB,
	/* 80 */ MR | IB, MR | IZ, MR | IB | X64, MR | IB, MR, MR, MR, MR,
	/* 88 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 90 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 98 */ 0, 0, AP | X64, 0, 0, 0, 0, 0,
	/* a0 */ OB, OB, OB, OB, 0, 0, 0, 0,
	/* a8 */ IB, IZ, 0, 0, 0, 0, 0, 0,
	/* b0 */ IB, IB, IB, IB, IB, IB, IB, IB,
	/* b8 */ IV, IV, IV, IV, IV, IV, IV, IV,
	/* c0 */ MR | IB, MR | IB, IW, 0, MR | X64, MR | X64, MR | IB, MR | IZ,
	/* c8 */ IWB, 0, IW, 0, 0, IB, X64, 0,
	/* d0 */ MR, MR, MR, MR, IB | X64, IB | X64, X64, 0,
	/* d8 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* e0 */ JB, JB, JB, JB, IB, IB, IB, IB,
	/* e8 */ JZ, JZ, AP | X64, JB, 0, 0, 0, 0,
	/* f0 */ UD, 0, UD, UD, 0, 0, MR | G3, MR | G3,
	/* f8 */ 0, 0, 0, 0, 0, 0, MR, MR,
};

/*
 * The two-byte map (0f xx). 0f 38 and 0f 3a are the three-byte escapes:
 * every opcode there has a ModRM byte, and in 0f 3a an imm8. 0f a6 and
 * 0f a7 are VIA PadLock's (refused by the classifier, decoded like objdump).
 */
static const u8 upc_map_0f[256] = {
	/* 00 */ MR, MR, MR, MR, UD, 0, 0, 0,
	/* 08 */ 0, 0, UD, 0, UD, MR, 0, MR | IB,
	/* 10 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 18 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 20 */ MR, MR, MR, MR, UD, UD, UD, UD,
	/* 28 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 30 */ 0, 0, 0, 0, 0, 0, UD, 0,
	/* 38 */ UD, UD, UD, UD, UD, UD, UD, UD,
	/* 40 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 48 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 50 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 58 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 60 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 68 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 70 */ MR | IB, MR | IB, MR | IB, MR | IB, MR, MR, MR, 0,
	/* 78 */ MR, MR, UD, UD, MR, MR, MR, MR,
	/* 80 */ JZ, JZ, JZ, JZ, JZ, JZ, JZ, JZ,
	/* 88 */ JZ, JZ, JZ, JZ, JZ, JZ, JZ, JZ,
	/* 90 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 98 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* a0 */ 0, 0, 0, MR, MR | IB, MR, MR, MR,
	/* a8 */ 0, 0, 0, MR, MR | IB, MR, MR, MR,
	/* b0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* b8 */ MR, MR, MR | IB, MR, MR, MR, MR, MR,
	/* c0 */ MR, MR, MR | IB, MR, MR | IB, MR | IB, MR | IB, MR,
	/* c8 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* d0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* d8 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* e0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* e8 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* f0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* f8 */ MR, MR, MR, MR, MR, MR, MR, MR,
};

/* Bounds-checked reader: every access to the instruction goes through it. */
struct upc_rd {
	const u8 *buf;
	size_t n, max;
	bool bad;
};

static u8 rd_u8(struct upc_rd *r)
{
	if (r->n >= r->max) {
		r->bad = true;
		return 0;
	}
	return r->buf[r->n++];
}

static u8 rd_peek(struct upc_rd *r, size_t ahead)
{
	return r->n + ahead < r->max ? r->buf[r->n + ahead] : 0;
}

/* A little-endian, sign-extended value of @len bytes. */
static s64 rd_signed(struct upc_rd *r, unsigned int len)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (u64)rd_u8(r) << (8 * i);
	if (len && len < 8 && (v >> (8 * len - 1)) & 1)
		v |= ~0ULL << (8 * len);
	return (s64)v;
}

/* The UPC_PFX_* bits of a legacy prefix byte, or 0 if @b is none. */
static u16 prefix_bits(u8 b)
{
	switch (b) {
	case 0xf0:
		return UPC_PFX_LOCK;
	case 0xf2:
		return UPC_PFX_REPNE;
	case 0xf3:
		return UPC_PFX_REP;
	case 0x66:
		return UPC_PFX_OPSIZE;
	case 0x67:
		return UPC_PFX_ADSIZE;
	case 0x64:
		return UPC_PFX_SEG | UPC_PFX_FS;
	case 0x65:
		return UPC_PFX_SEG | UPC_PFX_GS;
	case 0x26:
	case 0x2e:
	case 0x36:
	case 0x3e:
		return UPC_PFX_SEG;
	default:
		return 0;
	}
}

/* Legacy prefixes and, in 64-bit mode, REX. Returns the last f2/f3 or 0. */
static u8 decode_prefixes(struct upc_insn *insn, struct upc_rd *r)
{
	u8 last_rep = 0;

	while (r->n < r->max) {
		u8 b = r->buf[r->n];
		u16 bits = prefix_bits(b);

		if (bits) {
			insn->prefixes |= bits;
			if (b == 0xf2 || b == 0xf3)
				last_rep = b;
			/* A REX followed by a legacy prefix is ignored. */
			insn->rex = 0;
		} else if (insn->mode64 && (b & 0xf0) == 0x40) {
			/* Only the last REX, right before the opcode, counts. */
			insn->rex = b;
		} else {
			break;
		}
		r->n++;
	}
	return last_rep;
}

/*
 * VEX (c4, c5), EVEX (62) and XOP (8f). In 32-bit code c4, c5 and 62 start
 * one only if the next byte would be a register-form ModRM (LES, LDS and
 * BOUND need a memory operand); 8f only if its map field is 8 or more
 * (POP Ev needs ModRM.reg 0). Returns the attributes of the opcode, or -1
 * if @b does not start such a prefix here.
 */
static int decode_vex(struct upc_insn *insn, struct upc_rd *r, u8 b)
{
	u8 p0 = rd_peek(r, 1), p1, p2, mm;

	if (b == 0x8f) {
		if ((p0 & 0x1f) < 8)
			return -1;
	} else if (!insn->mode64 && (p0 & 0xc0) != 0xc0) {
		return -1;
	}
	/* A VEX-like prefix after 66, f2, f3, f0 or REX is #UD. */
	if (insn->rex || (insn->prefixes &
			  (UPC_PFX_OPSIZE | UPC_PFX_REP | UPC_PFX_REPNE | UPC_PFX_LOCK)))
		return UD;
	rd_u8(r);
	p0 = rd_u8(r);
	switch (b) {
	case 0xc5:
		insn->vex = UPC_VEX_VEX2;
		insn->map = UPC_MAP_0F;
		break;
	case 0xc4:
		insn->vex = UPC_VEX_VEX3;
		p1 = rd_u8(r);
		insn->vex_w = p1 >> 7;
		mm = p0 & 0x1f;
		if (mm < 1 || mm > 3)
			return UD;
		insn->map = UPC_MAP_0F + mm - 1;
		break;
	case 0x62:
		insn->vex = UPC_VEX_EVEX;
		p1 = rd_u8(r);
		p2 = rd_u8(r);
		(void)p2;
		insn->vex_w = p1 >> 7;
		mm = p0 & 0x7;
		if (!(p1 & 0x04) || (p0 & 0x08))
			return UD;
		if (mm >= 1 && mm <= 3)
			insn->map = UPC_MAP_0F + mm - 1;
		else if (mm == 5 || mm == 6)
			insn->map = UPC_MAP_EVEX5 + mm - 5;
		else
			return UD;
		break;
	default: /* 0x8f */
		insn->vex = UPC_VEX_XOP;
		p1 = rd_u8(r);
		insn->vex_w = p1 >> 7;
		mm = p0 & 0x1f;
		if (mm > 10)
			return UD;
		insn->map = UPC_MAP_XOP8 + mm - 8;
		break;
	}
	insn->opcode_off = r->n;
	insn->opcode = rd_u8(r);

	switch (insn->map) {
	case UPC_MAP_0F:
		/* vzeroupper and vzeroall are the only ones without ModRM. */
		if (insn->opcode == 0x77 && insn->vex != UPC_VEX_EVEX)
			return 0;
		if ((insn->opcode >= 0x70 && insn->opcode <= 0x73) ||
		    (insn->opcode >= 0xc4 && insn->opcode <= 0xc6) ||
		    insn->opcode == 0xc2)
			return MR | IB;
		return MR;
	case UPC_MAP_0F3A:
	case UPC_MAP_XOP8:
		return MR | IB;
	case UPC_MAP_XOPA:
		return MR | IZ;
	default:
		return MR;
	}
}

/* The opcode, through the escapes; returns its attributes. */
static int decode_opcode(struct upc_insn *insn, struct upc_rd *r, u8 last_rep)
{
	u8 b = rd_peek(r, 0);
	int attr;

	if (b == 0xc4 || b == 0xc5 || b == 0x62 || b == 0x8f) {
		attr = decode_vex(insn, r, b);
		if (attr >= 0)
			return attr;
	}
	rd_u8(r);
	if (b != 0x0f) {
		insn->map = UPC_MAP_1BYTE;
		insn->opcode_off = r->n - 1;
		insn->opcode = b;
		return upc_map_1byte[b];
	}
	b = rd_u8(r);
	if (b == 0x38 || b == 0x3a) {
		insn->map = b == 0x38 ? UPC_MAP_0F38 : UPC_MAP_0F3A;
		insn->opcode_off = r->n;
		insn->opcode = rd_u8(r);
		return b == 0x38 ? MR : MR | IB;
	}
	insn->opcode_off = r->n - 1;
	insn->opcode = b;
	if (b == 0x0f) {
		/* 3DNow!: the real opcode is the byte after the operands. */
		insn->map = UPC_MAP_3DNOW;
		return MR | IB;
	}
	insn->map = UPC_MAP_0F;
	attr = upc_map_0f[b];
	/* SSE4a extrq/insertq with immediates: 66 0f 78 /0, f2 0f 78. */
	if (b == 0x78 && (last_rep == 0xf2 ||
			  (!last_rep && (insn->prefixes & UPC_PFX_OPSIZE))))
		attr = MR | IW;
	return attr;
}

static void decode_modrm(struct upc_insn *insn, struct upc_rd *r)
{
	u8 mod, rm;

	insn->has_modrm = 1;
	insn->modrm_off = r->n;
	insn->modrm = rd_u8(r);
	mod = UPC_MODRM_MOD(insn->modrm);
	rm = UPC_MODRM_RM(insn->modrm);
	/* mov to/from control and debug registers ignore mod. */
	if (insn->map == UPC_MAP_0F && !insn->vex &&
	    insn->opcode >= 0x20 && insn->opcode <= 0x23)
		return;
	if (mod == 3)
		return;
	if (insn->adsize == 2) {
		if (mod == 1)
			insn->disp_len = 1;
		else if (mod == 2 || rm == 6)
			insn->disp_len = 2;
	} else {
		if (rm == 4) {
			insn->has_sib = 1;
			insn->sib = rd_u8(r);
			if (mod == 0 && (insn->sib & 7) == 5)
				insn->disp_len = 4;
		} else if (mod == 0 && rm == 5) {
			insn->disp_len = 4;
			insn->rip_rel = insn->mode64;
		}
		if (mod == 1)
			insn->disp_len = 1;
		else if (mod == 2)
			insn->disp_len = 4;
	}
	if (insn->disp_len) {
		insn->disp_off = r->n;
		insn->disp = (s32)rd_signed(r, insn->disp_len);
	}
}

/* Immediate bytes for @attr's kind: the first and, for two, the second. */
static void imm_lengths(const struct upc_insn *insn, int attr,
			unsigned int *first, unsigned int *second)
{
	unsigned int z = insn->opsize == 2 ? 2 : 4;

	*first = 0;
	*second = 0;
	switch (attr & IMM_MASK) {
	case IB:
	case JB:
		*first = 1;
		break;
	case IW:
		*first = 2;
		break;
	case IZ:
	case JZ:
		*first = z;
		break;
	case IV:
		*first = insn->opsize;
		break;
	case AP:
		*first = z;
		*second = 2;
		break;
	case OB:
		*first = insn->adsize;
		break;
	case IWB:
		*first = 2;
		*second = 1;
		break;
	case G3:
		if (UPC_MODRM_REG(insn->modrm) < 2)
			*first = insn->opcode == 0xf6 ? 1 : z;
		break;
	}
	/* The second byte of extrq/insertq's pair. */
	if ((attr & IMM_MASK) == IW && insn->map == UPC_MAP_0F) {
		*first = 1;
		*second = 1;
	}
}

int upc_insn_decode(struct upc_insn *insn, const u8 *buf, size_t avail,
		    bool mode64)
{
	struct upc_rd r = { .buf = buf, .max = avail };
	unsigned int first, second;
	u8 last_rep;
	int attr;

	memset(insn, 0, sizeof(*insn));
	if (r.max > UPC_INSN_MAX)
		r.max = UPC_INSN_MAX;
	insn->mode64 = mode64;

	last_rep = decode_prefixes(insn, &r);
	insn->opsize = 4;
	if (insn->prefixes & UPC_PFX_OPSIZE)
		insn->opsize = 2;
	if (insn->rex & 0x08)
		insn->opsize = 8;
	if (mode64)
		insn->adsize = insn->prefixes & UPC_PFX_ADSIZE ? 4 : 8;
	else
		insn->adsize = insn->prefixes & UPC_PFX_ADSIZE ? 2 : 4;

	attr = decode_opcode(insn, &r, last_rep);
	if ((attr & UD) || (mode64 && (attr & X64)))
		return -1;
	if (attr & MR)
		decode_modrm(insn, &r);

	imm_lengths(insn, attr, &first, &second);
	if (first) {
		insn->imm_off = r.n;
		insn->imm_len = first + second;
		insn->imm = rd_signed(&r, first);
		rd_signed(&r, second);
		insn->rel_branch = (attr & IMM_MASK) == JB || (attr & IMM_MASK) == JZ;
	}
	if (r.bad)
		return -1;
	insn->len = r.n;
	return 0;
}
