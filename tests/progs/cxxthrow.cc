// SPDX-License-Identifier: GPL-2.0
/*
 * A C++ program that throws and catches, for libstdc++'s own SDT probes
 * (libstdcxx:throw and libstdcxx:catch): "cxxthrow N" throws N
 * std::runtime_error, catches each, and prints "caught N typeinfo ADDR"
 * with the address of std::runtime_error's type_info (the probes' second
 * argument). The exceptions pass through cxx_middle(), which a test
 * probes with --exit: the catch must be reached as without probes.
 */
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <typeinfo>

__attribute__((noinline)) static void thrower(long i)
{
	throw std::runtime_error(i % 2 ? "odd" : "even");
}

/* Returns normally for negative @i only: the others throw through it. */
extern "C" __attribute__((noipa)) long cxx_middle(long i)
{
	long r = i * 2;

	if (i >= 0)
		thrower(i);
	return r;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1, caught = 0;

	for (long i = 0; i < n; i++) {
		try {
			cxx_middle(i);
		} catch (const std::runtime_error &e) {
			caught++;
		}
	}
	for (long i = 1; i <= n; i++)
		caught += cxx_middle(-i) < 0;
	caught -= n;
	std::printf("caught %ld typeinfo %lu\n", caught,
		    (unsigned long)(const void *)&typeid(std::runtime_error));
	return caught == n ? 0 : 1;
}
