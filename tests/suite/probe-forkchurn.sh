# SPDX-License-Identifier: GPL-2.0
# Probes added and deleted while a process forks child after child: no
# child gets SIGTRAP (a breakpoint removed between the copy of the parent's
# memory and the child's first run is taken out of the child too).
. "$SUITE/lib.sh"
load
set -- $(target offset target_func)
base=$(($2))
keep=$(uprobectl add "$1:$(printf 0x%x $((base + 7)))") || fail "add"
target forks 300 > /tmp/forks.out &
pid=$!
n=0
while kill -0 $pid 2>/dev/null; do
	a=$(uprobectl add "$1:$2") || fail "add"
	b=$(uprobectl add "$1:$(printf 0x%x $((base + 3)))") || fail "add +3"
	uprobectl del "$a" "$b" || fail "del"
	n=$((n + 1))
done
wait $pid || fail "target exited $?"
echo "$n add/delete rounds during the forks"
assert_eq "$(cat /tmp/forks.out)" "children ok 300 of 300" "every child"
assert_eq "$(hits "$keep")" 30100 "the kept probe: 301 processes x 100 calls"
uprobectl del --all

# The same while processes exec a probed program again and again.
set -- $(lifetime offset life_func)
base=$(($2))
ref=$(lifetime run 200 | cut -d' ' -f2)
keep=$(uprobectl add "$1:$2") || fail "add"
(for i in $(seq 20); do lifetime exec 200 || echo "exec run $i failed"; done) > /tmp/execs.out &
pid=$!
n=0
while kill -0 $pid 2>/dev/null; do
	a=$(uprobectl add "$1:$(printf 0x%x $((base + 3)))") || fail "add +3"
	uprobectl del "$a" || fail "del"
	n=$((n + 1))
done
wait $pid
echo "$n add/delete rounds during the execs"
assert_eq "$(sort -u /tmp/execs.out)" "exec sum $((2 * ref))" "every exec'd run's output"
assert_eq "$(hits "$keep")" 8000 "the kept probe: 20 runs x 2 images x 200 calls"
uprobectl del --all
unload
