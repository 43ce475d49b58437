# SPDX-License-Identifier: GPL-2.0
# Processes die while 4 threads hit an out-of-line probe (exit_group from
# one thread, SIGKILL from outside), and while a probe is being deleted:
# no warning, no leak, the accounting drops back to zero.
. "$SUITE/lib.sh"
load
id=$(uprobectl add "$(lwhere life_step)") || fail "add"
for ms in 50 200 400; do
	lifetime storm $ms || fail "storm $ms ms exited $?"
done
[ "$(hits "$id")" -gt 0 ] || fail "no hit during the storms"
for i in 1 2 3; do
	lifetime storm 100000 &
	pid=$!
	sleep 0.$((i * 2))
	kill -KILL $pid
	wait $pid
	assert_eq $? 137 "storm killed by SIGKILL"
done
# Deleted while the storm goes on, then the process exits.
lifetime storm 1500 &
pid=$!
sleep 0.5
uprobectl del "$id" || fail "del"
wait $pid || fail "storm exited $? after the delete"
assert_idle
# A thread forks while a sibling is in the middle of a step.
id=$(uprobectl add "$(lwhere life_step)") || fail "add"
out=$(lifetime forkstep 60) || fail "forkstep exited $?"
assert_eq "$(echo "$out" | head -n1)" "children ok 60 of 60" "every child"
assert_eq "$(hits "$id")" "$(echo "$out" | tail -n1 | cut -d' ' -f2)" "calls in every process"
uprobectl del --all
unload
