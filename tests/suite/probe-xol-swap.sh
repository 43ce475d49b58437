# SPDX-License-Identifier: GPL-2.0
# A process that maps shared memory over its slot chunk: nothing of ours is
# written into that memory. The next probed instruction that needs a slot
# there gets none: its first hit counts, then its breakpoint is taken out
# of that process for good (as any breakpoint whose slot cannot be made),
# and the program computes right.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
set -- $(target offset target_func)
f1="$1:$(printf 0x%x $(($2 + 3)))"
set -- $(target offset target_func2)
f2="$1:$(printf 0x%x $(($2 + 3)))"
target xolswap 50 > "$d/out" &
pid=$!
wait_ready "$d/out"
id1=$(uprobectl add "$f1") || fail "add $f1"
kill -USR1 $pid
wait_lines "$d/out" ready 2
grep -q swapped "$d/out" || fail "no chunk found to map over: $(cat "$d/out")"
assert_eq "$(hits "$id1")" 1 "hit that made the first chunk"
id2=$(uprobectl add "$f2") || fail "add $f2"
kill -USR1 $pid
wait $pid || fail "target xolswap exited $?"
assert_eq "$(grep '^sum2 ' "$d/out")" "sum2 ok shared intact" "output and the shared memory"
assert_eq "$(hits "$id2")" 1 "hits of the probe that could not have a slot"
uprobectl del "$id1" "$id2" || fail "del"
rm -rf "$d"
assert_idle
unload
