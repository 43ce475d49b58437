# SPDX-License-Identifier: GPL-2.0
# A pid-scoped probe counts that process and the children it forks
# afterwards; a neighbour running the same binary stays byte-identical to
# the file and uncounted.
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
target wait 400 fork > /tmp/a.out &
a=$!
target wait 400 fork > /tmp/b.out &
b=$!
wait_ready /tmp/a.out
wait_ready /tmp/b.out
id=$(uprobectl add --pid $a "$(where target_func)") || fail "add"
textcheck $b $t || fail "the neighbour was touched"
textcheck $a $t && fail "the int3 is not in the scoped process"
kill -USR1 $b
wait $b || fail "neighbour exited $?"
assert_eq "$(hits "$id")" 0 "neighbour not counted"
kill -USR1 $a
wait $a || fail "scoped process exited $?"
cat /tmp/a.out
assert_eq "$(hits "$id")" 800 "the process and its child, 400 each"
grep -q "child exit 0" /tmp/a.out || fail "child failed"

# Two probes on one address, one global: both count; delete one, the
# other goes on.
id2=$(uprobectl add "$(where target_func)") || fail "add global"
target loop 100 > /dev/null
assert_eq "$(hits "$id2")" 100 "global probe on the shared address"
assert_eq "$(hits "$id")" 800 "scoped probe does not count another process"
uprobectl del "$id"
target loop 100 > /dev/null
assert_eq "$(hits "$id2")" 200 "the other probe goes on after a delete"
id3=$(uprobectl add "$(where target_func)") || fail "add a second global"
target loop 50 > /dev/null
assert_eq "$(hits "$id2")" 250 "first of two probes at one address"
assert_eq "$(hits "$id3")" 50 "second of two probes at one address"
uprobectl del --all
unload
