// SPDX-License-Identifier: GPL-2.0
/* A shared library for the probe tests: lib_func is what gets probed. */
#include <stdint.h>

__attribute__((noinline)) uint64_t lib_func(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 2654435761u + 1;
}
