#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host unit tests: the CLI's parsers and symbol resolution (cli.sh), the
# x86 decoder's hand-written cases and classification
# table (insn_test), and its instruction lengths against objdump's on real
# binaries, on test objects full of VEX/EVEX and odd encodings, and on
# pseudo-random bytes in 64-bit and 32-bit mode (insn_objdump).
# Appends "PASS name"/"FAIL name" lines to $RESULTS when set.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
out=$BUILD/unit
mkdir -p "$out"
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I$top/src"
failed=0

record() {
	printf '%s %s\n' "$1" "$2"
	[ -z "${RESULTS:-}" ] || printf '%s %s\n' "$1" "$2" >> "$RESULTS"
	[ "$1" = PASS ] || failed=1
}

build() {
	cc $CFLAGS -o "$out/insn_test" "$top/tests/unit/insn_test.c" "$top/src/insn.c" &&
	cc $CFLAGS -o "$out/insn_objdump" "$top/tests/unit/insn_objdump.c" "$top/src/insn.c" &&
	cc -c -O3 -mavx2 -mfma -o "$out/vec_avx2.o" "$top/tests/unit/corpus/vec.c" &&
	cc -c -O3 -mavx512f -mavx512bw -mavx512vl -mavx512dq -o "$out/vec_avx512.o" \
		"$top/tests/unit/corpus/vec.c" &&
	cc -c -o "$out/edge.o" "$top/tests/unit/corpus/edge.S"
}
if ! build; then
	record FAIL unit/build
	exit 1
fi

if "$out/insn_test"; then record PASS unit/insn-cases; else record FAIL unit/insn-cases; fi

# objdump's listing, one instruction a line, zero blocks included.
dis() { objdump -d -z -w --insn-width=16 "$@"; }
check_file() { # NAME FILE
	if [ ! -e "$2" ]; then
		echo "unit: $2 missing"
		record FAIL "unit/insn-objdump-$1"
		return
	fi
	if dis "$2" | "$out/insn_objdump" "$1"; then
		record PASS "unit/insn-objdump-$1"
	else
		record FAIL "unit/insn-objdump-$1"
	fi
}
libdir=/lib/x86_64-linux-gnu
check_file libc "$libdir/libc.so.6"
check_file libm "$libdir/libm.so.6"
check_file cli "$BUILD/host/uprobectl"
check_file avx2 "$out/vec_avx2.o"
check_file avx512 "$out/vec_avx512.o"
check_file edge "$out/edge.o"

# The CLI's parsers and symbol resolution.
. "$top/tests/unit/cli.sh"

# Pseudo-random bytes: every corner objdump knows, in both modes.
for seed in 1 2 3; do
	"$out/insn_objdump" --random 200000 "$seed" > "$out/random.bin"
	for m in 64 32; do
		arch=i386:x86-64 flag=
		[ $m = 32 ] && arch=i386 flag=--32
		if objdump -D -b binary -m "$arch" -z -w --insn-width=16 "$out/random.bin" |
			"$out/insn_objdump" $flag "random$m-$seed"; then
			record PASS "unit/insn-objdump-random$m-$seed"
		else
			record FAIL "unit/insn-objdump-random$m-$seed"
		fi
	done
done
exit $failed
