# SPDX-License-Identifier: GPL-2.0
# Probes added and deleted in a tight loop (thousands of ioctls) while 4
# threads hit them: a probe kept throughout counts exactly, every thread's
# checksum is right, no thread gets SIGTRAP or SIGSEGV. The threads run
# until the churn is done, however long it takes.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
set -- $(target offset target_func)
base=$(($2))
keep=$(uprobectl add "$1:$2") || fail "add"
target spin 4 > "$d/out" &
pid=$!
wait_ready "$d/out"
start=$(date +%s)
out=$(churn "$1" 1000 $(printf '0x%x ' $((base + 3)) $((base + 7)) $((base + 14)))) ||
	fail "churn: $out"
echo "$out: 3000 adds and 3000 deletes in $(($(date +%s) - start)) s"
kill -USR1 $pid
wait $pid || fail "target exited $?"
set -- $(tail -n 1 "$d/out")
[ "$1" = calls ] && [ "$2" -gt 0 ] 2>/dev/null || fail "target printed: $(cat "$d/out")"
assert_eq "$4" 0 "threads with a wrong checksum"
assert_eq "$(hits "$keep")" "$2" "the kept probe"
uprobectl del --all
rm -rf "$d"
unload
