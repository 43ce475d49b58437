# SPDX-License-Identifier: GPL-2.0
# Probes added and deleted in a loop while 4 threads hit them: a probe
# kept throughout counts exactly, the program's output is unchanged, no
# thread gets SIGTRAP or SIGSEGV.
. "$SUITE/lib.sh"
load
ref=$(target loop 1000000 4)
set -- $(target offset target_func)
base=$(($2))
keep=$(uprobectl add "$1:$2") || fail "add"
target loop 1000000 4 > /tmp/churn.out &
pid=$!
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 400 ]; do
	for d in 3 7 14; do
		id=$(uprobectl add "$1:$(printf 0x%x $((base + d)))") || fail "add +$d"
		uprobectl del "$id" || fail "del $id"
	done
	n=$((n + 1))
done
echo "$n add/delete rounds while the program ran"
wait $pid || fail "target exited $?"
assert_eq "$(cat /tmp/churn.out)" "$ref" "output"
assert_eq "$(hits "$keep")" 4000000 "the kept probe"
[ $n -gt 5 ] || fail "the program ended before the churn got going"
uprobectl del --all
unload
