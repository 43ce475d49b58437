/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encodings compilers rarely emit, for the decoder test: prefixes and their
 * combinations, REX forms, moffs, far forms, x87, 3DNow!, SSE4a, XOP, VEX
 * and EVEX corners, rip-relative operands. Assembled by gas and compared
 * with objdump's listing.
 */
	.text
	.globl edge64
edge64:
	nop
	xchg %r8, %rax
	pause
	nopw 0x0(%rax,%rax,1)
	.byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0
	.byte 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0
	nopl (%rax)
	nopl 0(%rax)
	nopl 0(%rax,%rax,1)
	endbr64
	endbr32
	push %rbp
	push %r12
	pushq $0x12345678
	pushq $-1
	pushw $0x1234
	pushfq
	popfq
	pop %r15
	mov %rsp, %rbp
	mov %esp, %ebp
	movabs $0x123456789abcdef0, %rax
	movabs $0x123456789abcdef0, %r11
	mov $0x12345678, %eax
	mov $0x1234, %ax
	movb $1, %al
	movabs 0x1122334455667788, %al
	movabs 0x1122334455667788, %eax
	movabs %rax, 0x1122334455667788
	addr32 mov 0x11223344, %eax
	sub $0x18, %rsp
	sub $0x1000, %rsp
	add $8, %rsp
	add $0x12345, %rsp
	lea 8(%rsp), %rbp
	lea (%rax,%rbx,4), %rcx
	lea 0x1234(,%rbx,8), %rcx
	lea 0x10(%rip), %rax
	mov 0x10(%rip), %rax
	mov %eax, 0x10(%rip)
	movq $5, 0x10(%rip)
	movw $5, 0x10(%rip)
	cmpb $5, 0x10(%rip)
	addl $0x12345, 0x10(%rip)
	xor %eax, %eax
	xor %r10d, %r10d
	xor %rax, %rax
	test $0x12, %al
	test $0x1234, %ax
	test $0x12345678, %eax
	testb $1, (%rdi)
	testw $1, (%rdi)
	testl $1, (%rdi)
	testq $1, 0x10(%rip)
	notl (%rdi)
	negq %rax
	mull %ecx
	idivq 8(%rsp)
	imul $0x1234, %eax, %ecx
	imul $12, %eax, %ecx
	imul $0x1234, %ax, %cx
	shl $3, %rax
	shl %rax
	shl %cl, %rax
	rol $1, %eax
	ret
	ret $8
	retw
	lretq
	lretq $16
	bnd ret
	bnd jmp *%rax
	notrack jmp *%rax
	notrack call *(%rax)
	call *%rax
	call *(%rax)
	call *0x10(%rip)
	jmp *0x10(%rip)
	jmp *%r11
	ljmp *(%rax)
	lcall *(%rax)
1:	jmp 1b
	jmp 2f
	.skip 200, 0x90
2:	je 1b
	jne 2b
	js 3f
	.skip 200, 0x90
3:	jrcxz 3b
	jecxz 3b
	loop 3b
	loope 3b
	loopne 3b
	call 1b
	.byte 0x2e, 0x74, 0x00
	.byte 0x3e, 0x0f, 0x84, 0, 0, 0, 0
	lock incl (%rdi)
	lock cmpxchg %rcx, (%rdi)
	lock xadd %eax, 0x10(%rip)
	xacquire lock addl $1, (%rdi)
	xrelease movl $0, (%rdi)
	rep movsb
	rep movsq
	rep stosq
	repne scasb
	repe cmpsb
	rep lodsb
	fs movq (0), %rax
	mov %fs:0x28, %rax
	mov %gs:(%rax), %eax
	mov %ds:(%rax), %eax
	mov %es:(%rax), %eax
	mov %ss:(%rax), %eax
	syscall
	sysenter
	int3
	int $0x80
	int1
	ud2
	ud1 (%rax), %eax
	ud0 (%rax), %eax
	hlt
	cpuid
	rdtsc
	rdtscp
	rdpid %rax
	rdrand %eax
	rdseed %rax
	xgetbv
	lfence
	mfence
	sfence
	clflush (%rdi)
	clflushopt (%rdi)
	clwb (%rdi)
	prefetcht0 (%rdi)
	prefetchw (%rdi)
	prefetchnta 0x10(%rip)
	xsave (%rdi)
	xrstor64 (%rdi)
	fxsave64 (%rdi)
	enter $0x10, $0
	enter $0x1234, $3
	leave
	leaveq
	cmc
	clc
	stc
	cld
	std
	pushf
	popf
	sahf
	lahf
	cbw
	cwde
	cdqe
	cwd
	cdq
	cqo
	xlat
	in $0x60, %al
	in %dx, %eax
	out %al, $0x80
	insb
	outsl
	bswap %eax
	bswap %r9
	cmovne %rax, %rbx
	sete %al
	setne (%rdi)
	bt $3, %eax
	bts %eax, (%rdi)
	shld $4, %eax, %ebx
	shrd %cl, %eax, %ebx
	popcnt %rax, %rbx
	lzcnt %eax, %ebx
	tzcnt %rax, %rbx
	movbe (%rdi), %eax
	crc32b %al, %eax
	crc32q %rax, %rax
	movsxd %eax, %rax
	movslq (%rdi), %rax
	movzbl (%rdi), %eax
	movsbw %al, %ax
	xbegin 4f
4:	xend
	xabort $3
	xtest
	fld1
	fldz
	fldl 8(%rsp)
	fstpt (%rdi)
	fnstsw %ax
	fstsw %ax
	fwait
	fnstcw (%rdi)
	fstcw (%rdi)
	fninit
	faddp
	fucomip %st(1), %st
	fisttpll (%rdi)
	fxch %st(3)
	emms
	femms
	pfadd %mm1, %mm0
	pfmul (%rdi), %mm2
	pi2fd 0x10(%rip), %mm3
	extrq $4, $8, %xmm1
	insertq $4, $8, %xmm2, %xmm1
	extrq %xmm2, %xmm1
	insertq %xmm2, %xmm1
	movd %eax, %mm0
	movq %rax, %xmm0
	paddb %mm1, %mm0
	paddd %xmm1, %xmm0
	pshufd $0x1b, %xmm1, %xmm0
	psrlq $4, %xmm1
	pslldq $8, %xmm1
	pinsrw $3, %eax, %xmm0
	pextrw $3, %xmm0, %eax
	shufps $0x44, %xmm1, %xmm0
	cmpps $1, %xmm1, %xmm0
	cmpsd $2, 0x10(%rip), %xmm0
	pshufb %xmm1, %xmm0
	palignr $4, %xmm1, %xmm0
	pextrb $1, %xmm0, %eax
	pinsrq $1, %rax, %xmm0
	roundsd $4, %xmm1, %xmm0
	pclmulqdq $0x11, %xmm1, %xmm0
	aesenc %xmm1, %xmm0
	aeskeygenassist $1, %xmm1, %xmm0
	sha256rnds2 %xmm0, %xmm1, %xmm2
	sha1rnds4 $3, %xmm1, %xmm2
	movdqa 0x10(%rip), %xmm8
	movups (%rax,%rbx,8), %xmm15
	cvtsi2sdq %rax, %xmm0
	cvttsd2si %xmm0, %rax
	ldmxcsr (%rdi)
	vzeroupper
	vzeroall
	vmovdqu (%rdi), %ymm0
	vmovdqu 0x10(%rip), %ymm1
	vmovdqa %ymm1, (%rdi)
	vmovntdq %ymm1, (%rdi)
	vmovd %eax, %xmm0
	vmovq %xmm0, %rax
	vpxor %ymm0, %ymm1, %ymm2
	vpcmpeqb (%rdi), %ymm0, %ymm1
	vpbroadcastb %xmm7, %ymm7
	vpmovmskb %ymm1, %eax
	vpshufd $0x1b, %ymm1, %ymm0
	vpsrlq $4, %ymm1, %ymm2
	vpinsrw $3, %eax, %xmm0, %xmm1
	vpextrw $3, %xmm0, %eax
	vshufps $0x44, %ymm1, %ymm0, %ymm2
	vcmpps $1, %ymm1, %ymm0, %ymm2
	vpermq $0x4e, %ymm1, %ymm0
	vperm2i128 $0x21, %ymm1, %ymm0, %ymm2
	vinserti128 $1, %xmm1, %ymm0, %ymm2
	vpblendvb %ymm3, %ymm1, %ymm0, %ymm2
	vfmadd231ps %ymm1, %ymm0, %ymm2
	vfmadd213sd 0x10(%rip), %xmm0, %xmm2
	vgatherdps %ymm3, (%rax,%ymm1,4), %ymm2
	vpgatherqq %ymm3, 8(%rax,%ymm1,8), %ymm2
	vmovdqu64 %zmm1, (%rdi)
	vmovdqu8 0x40(%rip), %zmm2{%k1}{z}
	vpaddd %zmm1, %zmm2, %zmm3
	vpaddd 0x40(%rdi){1to16}, %zmm2, %zmm3
	vaddps {rn-sae}, %zmm1, %zmm2, %zmm3
	vpternlogd $0xff, %zmm1, %zmm2, %zmm3
	vpcmpd $1, %zmm1, %zmm2, %k1
	vpshufd $0x1b, %zmm1, %zmm0
	vpsrlq $4, %zmm1, %zmm2
	vextracti64x4 $1, %zmm1, %ymm2
	vpcompressd %zmm1, (%rdi){%k1}
	vpgatherdd 0x10(%rax,%zmm1,4), %zmm2{%k1}
	kmovw %k1, %eax
	kandw %k1, %k2, %k3
	kmovq %k1, %k2
	vaddph %zmm1, %zmm2, %zmm3
	vcvtph2psx %ymm1, %zmm2
	vfmaddsub231ph (%rdi), %zmm2, %zmm3
	vp4dpwssd (%rax), %zmm4, %zmm1
	vpdpbusd %zmm1, %zmm2, %zmm3
	vpermt2d %zmm1, %zmm2, %zmm3
	vpmaxsq %xmm1, %xmm2, %xmm3
	vpmadd52luq %ymm1, %ymm2, %ymm3
	andn %eax, %ebx, %ecx
	bextr %rax, (%rdi), %rcx
	blsi %eax, %ebx
	bzhi %eax, %ebx, %ecx
	pdep %rax, %rbx, %rcx
	rorx $3, %eax, %ebx
	sarx %eax, %ebx, %ecx
	mulx %rax, %rbx, %rcx
	vpcmov %xmm1, %xmm2, %xmm3, %xmm4
	vprotd $3, %xmm1, %xmm2
	vpcomb $2, %xmm1, %xmm2, %xmm3
	vfrczps %xmm1, %xmm2
	vphaddbd %xmm1, %xmm2
	bextr $0x1234, %eax, %ebx
	lwpins $0x12345678, %eax, %ebx
	blcfill %eax, %ebx
	vfmaddps %xmm1, %xmm2, %xmm3, %xmm4
	vpermil2ps $0, %xmm1, %xmm2, %xmm3, %xmm4
	ldtilecfg (%rax)
	tileloadd (%rax,%rbx,4), %tmm1
	tdpbssd %tmm1, %tmm2, %tmm3
	tilezero %tmm0
	ptwrite %eax
	serialize
	wbnoinvd
	movdiri %eax, (%rdi)
	movdir64b (%rax), %rbx
	enqcmd (%rax), %rbx
	umonitor %rax
	umwait %eax
	tpause %eax
	rdpkru
	wrpkru
	rdfsbase %rax
	wrgsbase %rbx
	incsspq %rax
	rdsspq %rax
	saveprevssp
	setssbsy
	clui
	stui
	senduipi %rax
	uiret
	testui
	hreset $1
	vmcall
	vmfunc
	monitor
	mwait
	clzero
	rdpru
	mcommit
	invlpga
	stgi
	swapgs
	sysretq
	iretq
	wrmsr
	rdmsr
	.byte 0x48, 0x48, 0x90
	.byte 0x66, 0x48, 0x90
	.byte 0x48, 0x66, 0x90
	.byte 0x66, 0x67, 0xf2, 0xf3, 0x2e, 0x90
	.byte 0xf3, 0xf2, 0x0f, 0x78, 0xc1, 0x04, 0x08
	.byte 0x66, 0xf2, 0x0f, 0x78, 0xc1, 0x04, 0x08
	.byte 0x67, 0xe3, 0x00
	.byte 0x67, 0x48, 0x8d, 0x05, 0, 0, 0, 0
	.byte 0x67, 0x8b, 0x04, 0x24
	.byte 0x65, 0x67, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0
	.byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00
	.byte 0x0f, 0x1f, 0xc0
	.byte 0x0f, 0x18, 0xc0
	.byte 0x0f, 0x19, 0x04, 0x24
	.byte 0x0f, 0x1e, 0x40, 0x10
	.byte 0x0f, 0x20, 0x00
	.byte 0x0f, 0x22, 0xd8
	.byte 0x0f, 0x01, 0xd0
	.byte 0x0f, 0x01, 0xf8
	.byte 0x0f, 0xae, 0xe8
	.byte 0x0f, 0xc7, 0x0f
	.byte 0x48, 0x0f, 0xc7, 0x0f
	.byte 0xc7, 0xf8, 0, 0, 0, 0
	.byte 0x66, 0xc7, 0xf8, 0, 0
	.byte 0xc6, 0xf8, 0x05
	.byte 0xf6, 0xc0, 0x01
	.byte 0xf6, 0xd0
	.byte 0xf7, 0x05, 0, 0, 0, 0, 1, 0, 0, 0
	.byte 0x66, 0xf7, 0x05, 0, 0, 0, 0, 1, 0
	.byte 0xf7, 0x15, 0, 0, 0, 0
	.byte 0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff
	.byte 0x66, 0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff
	.byte 0x48, 0x66, 0xc7, 0xc0, 0xff, 0xff
	.byte 0x66, 0xb8, 0x34, 0x12
	.byte 0x66, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8
	.byte 0x66, 0x68, 0x34, 0x12
	.byte 0x66, 0x6a, 0x01
	.byte 0x66, 0x05, 0x34, 0x12
	.byte 0x66, 0x81, 0xc0, 0x34, 0x12
	.byte 0x66, 0x83, 0xc0, 0x01
	.byte 0x66, 0xa9, 0x34, 0x12
	.byte 0x66, 0xc2, 0x08, 0x00
	.byte 0x66, 0xc3
	.byte 0xf3, 0xc3
	.byte 0xf2, 0xc3
	.byte 0xf2, 0xe8, 0, 0, 0, 0
	.byte 0xf2, 0xe9, 0, 0, 0, 0
	.byte 0xf2, 0x0f, 0x85, 0, 0, 0, 0
	.byte 0x3e, 0xff, 0xe0
	.byte 0x41, 0xff, 0xd3
	.byte 0x41, 0xff, 0x24, 0x24
	.byte 0xff, 0x24, 0xc5, 0, 0, 0, 0
	.byte 0xff, 0x14, 0x25, 0, 0, 0, 0
	.byte 0xff, 0x1d, 0, 0, 0, 0
	.byte 0xff, 0x2d, 0, 0, 0, 0
	.byte 0xfe, 0xc0
	.byte 0xfe, 0x05, 0, 0, 0, 0
	.byte 0x8f, 0xc0
	.byte 0x8f, 0x05, 0, 0, 0, 0
	.byte 0x41, 0x8f, 0x00
	.byte 0x40, 0x88, 0xc6
	.byte 0x44, 0x88, 0xc0
	.byte 0xd9, 0xe8
	.byte 0xdd, 0x05, 0, 0, 0, 0
	.byte 0xdf, 0xe0
	.byte 0x9b, 0xdf, 0xe0
	.byte 0xc5, 0xf8, 0x77
	.byte 0xc4, 0xe1, 0x7c, 0x77
	.byte 0xc4, 0xe1, 0xf9, 0x7e, 0xc0
	.byte 0xc4, 0x62, 0x7d, 0x18, 0x05, 0, 0, 0, 0
	.byte 0xc4, 0xe3, 0x7d, 0x39, 0xc1, 0x01
	.byte 0xc4, 0xe3, 0x79, 0x20, 0x05, 0, 0, 0, 0, 0x01
	.byte 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x05, 0, 0, 0, 0
	.byte 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x44, 0x24, 0x01
	.byte 0x62, 0xf3, 0x7d, 0x48, 0x1b, 0x05, 0, 0, 0, 0, 0x01
	.byte 0x62, 0xf1, 0x7d, 0x48, 0x72, 0x05, 0, 0, 0, 0, 0x03
	.byte 0x62, 0xf1, 0x7c, 0x48, 0xc2, 0xc1, 0x01
	.byte 0x8f, 0xe8, 0x78, 0xc0, 0xc1, 0x03
	.byte 0x8f, 0xe9, 0x78, 0x80, 0xc1
	.byte 0x8f, 0xea, 0x78, 0x10, 0xc0, 0x34, 0x12, 0, 0
	.byte 0x0f, 0x0f, 0xc1, 0x9e
	.byte 0x0f, 0x0f, 0x05, 0, 0, 0, 0, 0xb4
	.byte 0x0f, 0x0f, 0x44, 0x24, 0x08, 0xa6
	.byte 0xc8, 0x10, 0x00, 0x01
	.byte 0xa0, 1, 2, 3, 4, 5, 6, 7, 8
	.byte 0x67, 0xa1, 1, 2, 3, 4
	.byte 0x48, 0xa3, 1, 2, 3, 4, 5, 6, 7, 8
	.byte 0x66, 0x67, 0xa1, 1, 2, 3, 4
	.byte 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x04
	.byte 0x0f, 0x38, 0xf0, 0x07
	.byte 0xf2, 0x0f, 0x38, 0xf1, 0xc1
	.byte 0x66, 0x0f, 0x38, 0x00, 0x05, 0, 0, 0, 0
	.byte 0x0f, 0xb9, 0x05, 0, 0, 0, 0
	.byte 0x0f, 0xff, 0x05, 0, 0, 0, 0
	.byte 0x0f, 0x0d, 0x08
	.byte 0xf3, 0x0f, 0xb8, 0xc0
	.byte 0x0f, 0xa2
	.byte 0x0f, 0x05
	.byte 0x0f, 0x34
	.byte 0x0f, 0x0e
	.byte 0x90
