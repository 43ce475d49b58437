// SPDX-License-Identifier: GPL-2.0
/*
 * zwork MODE: a zlib workload whose output is a checksum of every result.
 *   zwork compress   compress2/uncompress at every level, compress/bound
 *   zwork stream     deflate/inflate streams with dictionaries, params, resets
 *   zwork checksum   crc32, adler32 and their combines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned char src[65536], buf[80000], out[65536];

static void fill(void)
{
	unsigned int x = 12345, i;

	for (i = 0; i < sizeof(src); i++) {
		x = x * 1103515245 + 12345;
		/* Compressible: words from a small alphabet, with runs. */
		src[i] = (x >> 16) % 7 ? "abcdefgh"[(x >> 20) & 7] : (unsigned char)(x >> 24);
	}
}

static unsigned long sum(unsigned long s, const unsigned char *p, size_t n)
{
	return adler32(s, p, n) * 31 + n;
}

int main(int argc, char **argv)
{
	unsigned long s = 1;
	int lvl, i;

	if (argc != 2)
		return 2;
	fill();
	if (!strcmp(argv[1], "compress")) {
		for (lvl = 0; lvl <= 9; lvl++) {
			uLongf bl = compressBound(sizeof(src)), ol = sizeof(out);

			if (compress2(buf, &bl, src, sizeof(src) - lvl * 1000, lvl) != Z_OK ||
			    uncompress(out, &ol, buf, bl) != Z_OK ||
			    memcmp(out, src, ol))
				return 1;
			s = sum(s, buf, bl);
		}
		{
			uLongf bl = sizeof(buf), ol = sizeof(out);
			uLong sl = 0;

			compress(buf, &bl, src, 4000);
			sl = bl;
			if (uncompress2(out, &ol, buf, &sl) != Z_OK)
				return 1;
			s = s * 7 + ol + sl;
		}
	} else if (!strcmp(argv[1], "stream")) {
		static const unsigned char dict[] = "abcdefghabcdefgh";
		z_stream d, f;

		memset(&d, 0, sizeof(d));
		memset(&f, 0, sizeof(f));
		if (deflateInit2(&d, 6, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
		    inflateInit2(&f, 15) != Z_OK)
			return 1;
		for (i = 0; i < 6; i++) {
			size_t n = 5000 + i * 7000;

			if (i == 2)
				deflateParams(&d, 1, Z_FILTERED);
			if (i == 4)
				deflateParams(&d, 9, Z_HUFFMAN_ONLY);
			if (i == 3) {
				deflateReset(&d);
				deflateSetDictionary(&d, dict, sizeof(dict) - 1);
			}
			d.next_in = src + i * 1000;
			d.avail_in = n;
			d.next_out = buf;
			d.avail_out = deflateBound(&d, n);
			if (deflate(&d, Z_FINISH) != Z_STREAM_END)
				return 1;
			s = sum(s, buf, d.total_out);
			inflateReset(&f);
			f.next_in = buf;
			f.avail_in = d.total_out;
			f.next_out = out;
			f.avail_out = sizeof(out);
			if (inflate(&f, Z_FINISH) == Z_NEED_DICT)
				inflateSetDictionary(&f, dict, sizeof(dict) - 1), inflate(&f, Z_FINISH);
			if (f.total_out != n || memcmp(out, src + i * 1000, n))
				return 1;
			deflateReset(&d);
		}
		deflateEnd(&d);
		inflateEnd(&f);
	} else if (!strcmp(argv[1], "checksum")) {
		unsigned long c1 = crc32(0, src, 30000), c2 = crc32(0, src + 30000, 20000);
		unsigned long a1 = adler32(1, src, 30000), a2 = adler32(1, src + 30000, 20000);

		s = crc32_combine(c1, c2, 20000) ^ adler32_combine(a1, a2, 20000);
		s ^= crc32(crc32(0L, Z_NULL, 0), src, sizeof(src)) << 1;
		s += strlen(zlibVersion());
	} else {
		return 2;
	}
	printf("%s %lx\n", argv[1], s);
	return 0;
}
