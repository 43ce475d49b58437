# SPDX-License-Identifier: GPL-2.0
# A process started before the probe is probed; after removal its text is
# byte-identical to the file and no anonymous page is left in it. rmmod
# with a live probe restores too.
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
ref=$(target loop 500)
target wait 500 > /tmp/early.out &
pid=$!
wait_ready /tmp/early.out
id=$(uprobectl add "$(where target_func)") || fail "add"
textcheck $pid $t && fail "the int3 is not in the running process"
kill -USR1 $pid
wait $pid || fail "target exited $?"
assert_eq "$(tail -n1 /tmp/early.out)" "$ref" "output of the process started before the probe"
assert_eq "$(hits "$id")" 500 "hits in the process started before the probe"

target wait 100 > /tmp/w2.out &
pid=$!
wait_ready /tmp/w2.out
textcheck $pid $t && fail "the int3 is not in the second process"
uprobectl del "$id"
textcheck $pid $t || fail "text not restored after del"
id=$(uprobectl add "$(where target_func)") || fail "add again"
textcheck $pid $t && fail "the int3 is not back"
unload_now
textcheck $pid $t || fail "text not restored by rmmod"
kill -USR1 $pid
wait $pid || fail "target exited $?"
assert_eq "$(tail -n1 /tmp/w2.out)" "$(target loop 100)" "output after rmmod"
