// SPDX-License-Identifier: GPL-2.0
/*
 * A shared library with a semaphore-guarded SDT probe, sdtlib:hit: the
 * loader maps it with mmap and MAP_FIXED and splits it with mprotect,
 * the case where counting a semaphore once per process is hard.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <stdint.h>
#include <sys/sdt.h>

/* Hidden: a second copy of the library (libsdt2.so) must use its own. */
__extension__ unsigned short sdtlib_hit_semaphore
	__attribute__((unused)) __attribute__((section(".probes"))) __attribute__((visibility("hidden")));

/* Fire sdtlib:hit(i, i * 3); returns whether a tracer was attached. */
int sdt_lib_fire(int64_t i)
{
	int64_t t = i * 3;

	DTRACE_PROBE2(sdtlib, hit, i, t);
	return sdtlib_hit_semaphore != 0;
}

const volatile unsigned short *sdt_lib_sem(void)
{
	return &sdtlib_hit_semaphore;
}
