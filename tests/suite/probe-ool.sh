# SPDX-License-Identifier: GPL-2.0
# Instructions run out of line from a slot (lock-prefixed, string ops with
# rep, rip-relative loads, stores and compares, VEX rip-relative and AVX2
# instructions writing ymm registers, %fs loads, pushf, ALU and bit ops)
# and the indirect, relative and ret-imm branches: each probed copy
# computes exactly what an unprobed copy does (registers, flags, rsp,
# ymm0, memory) on many inputs, and every hit is counted.
. "$SUITE/lib.sh"
load
ref=$(oolcheck run 1)
n=$(echo "$ref" | sed -n 's/^cases \([0-9]*\) .*/\1/p')
assert_eq "$ref" "cases $n calls $((n * 72)) mismatches 0" "the program's own check, unprobed"
ids=""
for w in $(oolcheck offsets | tr ' ' ':'); do
	id=$(uprobectl add "$w") || fail "add $w"
	ids="$ids $id"
done
out=$(oolcheck run 3)
echo "$out" | head -n 20
assert_eq "$(echo "$out" | tail -n1)" "cases $n calls $((n * 216)) mismatches 0" "probed copies agree with unprobed ones"
for id in $ids; do
	[ "$(hits "$id")" = 216 ] || fail "probe $id: $(hits "$id") hits, expected 216"
done
echo "ok: each of the $n probes hit 216 times"
uprobectl del --all
unload
