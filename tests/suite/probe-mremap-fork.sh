# SPDX-License-Identifier: GPL-2.0
# A probe deleted while a process whose probed text mremap moved is
# forking: each child, made from its parent's memory copied before the
# removal reached the parent, gets the moved text without the int3 and
# runs it (no SIGTRAP), though the parent never ran there, and so never
# had a breakpoint at that address for the removal to log.
# A second process maps the probed page many times and comes first in the
# removal's walk: forks of the first made while the removal is there all
# copy its int3s, and their children wait for the removal to end.
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
d=$(mktemp -d)
set -- $(target offset target_func)
id=$(uprobectl add "$1:$2") || fail "add"
target maps 2000 > "$d/maps.out" &
many=$!
tries=0
while ! grep -q ready "$d/maps.out"; do
	tries=$((tries + 1))
	[ $tries -lt 6000 ] || fail "target maps: not ready"
	kill -0 $many 2>/dev/null || fail "target maps exited"
	sleep 0.02
done
bps=$(stats | sed -n 's/^breakpoints //p')
[ "$bps" -ge 2001 ] || fail "only $bps breakpoints in the process that maps the page 2000 times"
target mremapfork 20 > "$d/fork.out" 2> "$d/fork.err" &
forker=$!
wait_ready "$d/fork.out"
kill -USR1 $forker
wait_lines "$d/fork.out" moved
uprobectl del "$id" || fail "del"
kill -USR1 $forker
wait $forker || fail "mremapfork exited $?: $(cat "$d/fork.err")"
assert_eq "$(grep '^forks ' "$d/fork.out")" "forks 1 killed 0 bad 0" \
	"children running moved text across the removal ($(sort "$d/fork.err" | uniq -c | tr '\n' ' '))"
textcheck $many $t || fail "text of the process that maps it 2000 times not restored"
kill -USR1 $many
wait $many || fail "target maps exited $?"
rm -rf "$d"
assert_idle
unload
