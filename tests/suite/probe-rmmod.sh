# SPDX-License-Identifier: GPL-2.0
# rmmod while threads of several processes hit probes: it succeeds, every
# byte comes back, every process finishes with the right output; a reload
# shows no probe left.
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
ref=$(target loop 200000 4)
refl=$(target lib 200000)
uprobectl add "$(where target_func)" > /dev/null || fail "add"
uprobectl add "$(where lib_func)" > /dev/null || fail "add lib"
target loop 200000 4 > /tmp/r1.out &
p1=$!
target lib 200000 > /tmp/r2.out &
p2=$!
target loop 200000 4 > /tmp/r3.out &
p3=$!
sleep 1
unload
wait $p1 || fail "p1 exited $?"
wait $p2 || fail "p2 exited $?"
wait $p3 || fail "p3 exited $?"
assert_eq "$(cat /tmp/r1.out)" "$ref" "p1 output"
assert_eq "$(cat /tmp/r2.out)" "$refl" "p2 output"
assert_eq "$(cat /tmp/r3.out)" "$ref" "p3 output"
load
assert_eq "$(uprobectl list --json)" "[]" "no probes after reload"
unload
