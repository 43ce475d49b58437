# SPDX-License-Identifier: GPL-2.0
# A fork tree three levels deep (7 processes) inherits the breakpoints of a
# probe added before the first fork; per-process probes added after the
# forks count exactly that process's calls; exec of a probed binary.
. "$SUITE/lib.sh"
load
n=300
all=$(uprobectl add "$(lwhere life_func)") || fail "add"
d=$(mktemp -d)
lifetime tree $n "$d" > "$d/out" &
root=$!
tries=0
while [ "$(cat "$d/pids" 2>/dev/null | wc -l)" -lt 7 ]; do
	tries=$((tries + 1))
	[ $tries -lt 500 ] || fail "the tree never got its 7 processes"
	sleep 0.02
done
ids=""
while read -r idx pid; do
	id=$(uprobectl add --pid "$pid" "$(lwhere life_func)") || fail "add --pid $pid"
	ids="$ids $idx:$id"
done < "$d/pids"
assert_eq "$(stats | grep '^processes ')" "processes 7" "one state per process of the tree"
touch "$d/go"
wait $root || fail "the tree exited $?"
assert_eq "$(cat "$d/out")" "tree ok 7" "every process's sum"
for p in $ids; do
	idx=${p%%:*}
	assert_eq "$(hits "${p#*:}")" $(((idx + 1) * n)) "process $idx of the tree"
done
assert_eq "$(hits "$all")" $((28 * n)) "the probe of every process"
uprobectl del --all
assert_idle

# exec: the old image's state goes, the new one is probed from the start.
ref=$(lifetime run 500 | cut -d' ' -f2)
all=$(uprobectl add "$(lwhere life_func)") || fail "add"
out=$(lifetime exec 500) || fail "exec mode exited $?"
assert_eq "$out" "exec sum $((2 * ref))" "output across exec"
assert_eq "$(hits "$all")" 1000 "calls before and after exec"
uprobectl del --all
unload
