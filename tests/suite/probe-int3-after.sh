# SPDX-License-Identifier: GPL-2.0
# An int3 of the program's own at an address where a deleted probe was,
# in other memory mapped there since: it is the program's, never taken for
# ours (nothing written into its code, no endless re-run): its SIGTRAP
# handler runs once, as without the module.
# The program's own "int $3" in its two-byte form (cd 03), in a process
# with probes of ours: its SIGTRAP, rip after it (it was resumed at the
# 03 byte, in the middle of the instruction).
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
private_lib "$d"
off=$OFF
# Bounded: a module that re-ran the int3 forever would hang it.
timeout 120 int3after "$d/lib.so" $off > "$d/out" &
t=$!
wait_ready "$d/out"
pid=$(sed -n 's/^ready //p' "$d/out")
id=$(uprobectl add "$d/lib.so:$off") || fail "add"
uprobectl del "$id" || fail "del"
kill -USR1 $pid
wait $t || fail "int3after exited $? (124: it hung)"
assert_eq "$(tail -n 1 "$d/out")" "sigtrap 1" "the program's own int3"
ref=$(target int3imm 10)
assert_eq "$ref" "traps 10 rip-ok 10" "unprobed int \$3"
id=$(uprobectl add "$(where target_func)") || fail "add"
assert_eq "$(timeout 120 target int3imm 10)" "$ref" "int \$3 in a probed process"
uprobectl del "$id" || fail "del"
assert_idle
