#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# zinsns.sh LIBZ: "0xFILEOFFSET FUNCTION" for every instruction of the
# exported zlib functions the sweep probes (from the dynamic symbol table:
# the library is stripped). Its text is mapped at file offset == address.
set -e
fns="compress compress2 compressBound uncompress uncompress2 deflateInit_
deflateInit2_ deflateReset deflateResetKeep deflateEnd deflateBound deflateParams
deflateSetDictionary inflateInit_ inflateInit2_ inflateReset inflateReset2
inflateResetKeep inflateEnd inflateSetDictionary adler32 adler32_z adler32_combine
crc32 crc32_combine zlibVersion"
LIBZ=$1
objdump -T "$LIBZ" | awk '$4 == ".text" { print $1, $5, $7 }' > "${TMPDIR:-/tmp}/zsyms.$$"
for fn in $fns; do
	set -- $(awk -v f="$fn" '$3 == f { print $1, $2 }' "${TMPDIR:-/tmp}/zsyms.$$")
	[ $# -eq 2 ] || { echo "zinsns.sh: no $fn in $1" >&2; exit 1; }
	start=$((0x$1)) end=$((0x$1 + 0x$2))
	objdump -d --no-show-raw-insn --start-address=$start --stop-address=$end "$LIBZ" |
		awk -v fn="$fn" '/^ +[0-9a-f]+:\t/ { a = $1; sub(":", "", a); print "0x" a, fn }'
done
rm -f "${TMPDIR:-/tmp}/zsyms.$$"
