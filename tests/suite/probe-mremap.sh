# SPDX-License-Identifier: GPL-2.0
# Probed text moved by mremap (no kernel hook sees that move) still counts
# exactly, with no signal; deleting the probes restores the moved text.
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
ref=$(target loop 700)
set -- $(target offset target_func)
target mremap 700 > /tmp/mr.out &
pid=$!
wait_ready /tmp/mr.out
id1=$(uprobectl add "$1:$2") || fail "add"
id2=$(uprobectl add "$1:$(printf 0x%x $(($2 + 3)))") || fail "add +3"
: > /tmp/mr.ready
kill -USR1 $pid
tries=0
while ! grep -q '^sum ' /tmp/mr.out; do
	tries=$((tries + 1))
	[ $tries -lt 500 ] || fail "no sum from the moved text"
	sleep 0.02
done
assert_eq "$(grep '^sum ' /tmp/mr.out)" "$ref" "output through the moved text"
assert_eq "$(hits "$id1")" 700 "emulated instruction in moved text"
assert_eq "$(hits "$id2")" 700 "out-of-line instruction in moved text"
grep -q ' r-xp .*target$' /proc/$pid/maps || fail "no text mapping"
uprobectl del "$id1" "$id2"
textcheck $pid $t || fail "moved text not restored"
kill -USR1 $pid
wait $pid || fail "target exited $? after the probes went"
assert_eq "$(grep '^sum2 ' /tmp/mr.out | cut -d' ' -f2)" "$(echo "$ref" | cut -d' ' -f2)" "output after removal"
unload
