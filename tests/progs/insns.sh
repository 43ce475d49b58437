#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# insns.sh ELF: "0xFILEOFFSET FUNCTION" for every instruction objdump lists
# in ELF's executable sections, except the deliberately bad ones. Fails if
# an executable segment's file offset differs from its address.
set -e
readelf -lW "$1" | awk '$1 == "LOAD" && $7 ~ /E/ && $2 != $3 { bad = 1 } END { exit bad }' || {
	echo "insns.sh: $1: executable segment offset != address" >&2
	exit 1
}
objdump -d --no-show-raw-insn "$1" |
	awk '/^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn) }
	     /^ +[0-9a-f]+:\t/ && fn !~ /^bad_/ { a = $1; sub(":", "", a); print "0x" a, fn }'
