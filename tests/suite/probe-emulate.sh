# SPDX-License-Identifier: GPL-2.0
# Instructions emulated without a second trap (add/sub imm to a register,
# %rsp included, xor reg,reg, mov imm, mov reg,reg, lea, nops, endbr64):
# each probed copy computes exactly what an unprobed copy does, registers
# and flags, on inputs at every carry, overflow and sign edge; every hit
# counted; and none needed an out-of-line slot.
. "$SUITE/lib.sh"
load
assert_eq "$(emu run 1)" "cases 36 calls 6336 mismatches 0" "the program's own check, unprobed"
ids=""
for w in $(emu offsets | tr ' ' ':'); do
	id=$(uprobectl add "$w") || fail "add $w"
	ids="$ids $id"
done
d=$(mktemp -d)
emu run 3 hold > "$d/out" &
pid=$!
tries=0
while ! grep -q '^cases ' "$d/out"; do
	tries=$((tries + 1))
	[ $tries -lt 1500 ] || fail "emu never finished"
	sleep 0.02
done
cat "$d/out"
assert_eq "$(stats | grep '^xol_areas ')" "xol_areas 0" "no slot needed"
kill $pid
wait $pid
assert_eq "$(tail -n1 "$d/out")" "cases 36 calls 19008 mismatches 0" "probed copies agree with unprobed ones"
for id in $ids; do
	[ "$(hits "$id")" = 528 ] || fail "probe $id: $(hits "$id") hits, expected 528"
done
echo "ok: every probe hit 528 times"
uprobectl del --all
unload
