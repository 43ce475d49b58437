# SPDX-License-Identifier: GPL-2.0
# Every lock the trap path shares, contended at once: 4 threads on 2 CPUs
# hit probes whose events go to three readers (the rings' locks), return
# probes make and drop per-thread frames and events at every return, and a
# process forks and maps the probed file meanwhile (the hooks' tables). On
# PREEMPT_RT a sleeping lock or an allocation anywhere in that path ends
# in "scheduling while atomic"; everywhere the counts are exact and no
# event is lost (the rings hold the whole run, whatever the host's speed).
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
n=50000
ring=$((32 << 20))
# target_func's hits: 4 threads x n, then 100 in the forking parent and
# 100 in each of its 200 children.
total=$((4 * n + 100 + 200 * 100))
ref=$(target loop $n 4)
id=$(uprobectl add "$(where target_func)") || fail "add"
evread -r $ring -i "$id" -n $total -o /dev/null > "$d/ev1" 2> "$d/r1" &
r1=$!
evread -r $ring -i "$id" -n $total -o /dev/null > "$d/ev2" 2> "$d/r2" &
r2=$!
evread -r $ring -i "$id" -n $total -o /dev/null > "$d/ev3" 2> "$d/r3" &
r3=$!
wait_ready "$d/r1"
wait_ready "$d/r2"
wait_ready "$d/r3"
(target forks 200 > "$d/forks") &
f=$!
out=$(target loop $n 4) || fail "target exited $?"
assert_eq "$out" "$ref" "output unchanged"
wait $f || fail "target forks exited $?"
wait $r1 || fail "evread 1 exited $?"
wait $r2 || fail "evread 2 exited $?"
wait $r3 || fail "evread 3 exited $?"
for e in ev1 ev2 ev3; do
	assert_eq "$(cat "$d/$e")" "events $total lost 0 gaps 0 bad 0" "$e: every event"
done
assert_eq "$(cat "$d/forks")" "children ok 200 of 200" "forks: every child right"
assert_eq "$(hits "$id")" $total "hits"
uprobectl del --all

# Return probes with events, 4 threads, twice at once.
ref=$(retprog threads 4 3000)
OUT=$(uprobectl run --trace --ret retprog:work 'r=$retval:s64' -- \
	sh -c 'retprog threads 4 3000 > /tmp/c1.out & retprog threads 4 3000 > /tmp/c2.out; wait') ||
	fail "run --ret threads"
assert_eq "$(cat /tmp/c1.out)" "$ref" "--ret threads (1): output unchanged"
assert_eq "$(cat /tmp/c2.out)" "$ref" "--ret threads (2): output unchanged"
assert_eq "$(echo "$OUT" | grep -c " work%return:")" 24000 "--ret threads: 24000 returns"
assert_idle
