// SPDX-License-Identifier: GPL-2.0
/*
 * Vectorizable code for the decoder test: built with -mavx2 and with
 * -mavx512f (and friends) so the listing is full of VEX and EVEX forms.
 */
#include <stddef.h>
#include <stdint.h>

void saxpy(float *restrict y, const float *restrict x, float a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		y[i] = a * x[i] + y[i];
}

void dadd(double *restrict y, const double *restrict x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		y[i] = y[i] * 0.5 + x[i] / 3.0;
}

int64_t isum(const int32_t *x, size_t n)
{
	int64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i] > 0 ? x[i] : -x[i];
	return s;
}

void bytemax(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = a[i] > b[i] ? a[i] : b[i];
}

void gather(float *restrict d, const float *restrict s, const int *restrict idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = s[idx[i]];
}

void shifts(uint64_t *restrict d, const uint64_t *restrict s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = (s[i] << 7) ^ (s[i] >> 3) ^ (s[i] * 0x9e3779b97f4a7c15ull);
}

void convert(int32_t *restrict d, const double *restrict s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = (int32_t)s[i];
}

void masked(float *restrict d, const float *restrict s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] > 1.0f)
			d[i] = s[i] * s[i];
}

static float table[256];

float lookup(unsigned int i)
{
	return table[i & 255] * 2.0f;
}
