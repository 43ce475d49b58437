# SPDX-License-Identifier: GPL-2.0
# Probes added and deleted in a tight loop (thousands of ioctls) while 4
# threads hit them: a probe kept throughout counts exactly, every thread's
# checksum is right, no thread gets SIGTRAP or SIGSEGV. The threads run
# until the churn is done, however long it takes; then the same with the
# program exec'd again and again during the churn.
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

# Again with the program started over and over (exec, new address spaces,
# breakpoints installed by the mmap hook while the churn goes on), each run
# checked, until the churn is done.
n=200000
ref=$(target loop $n 4)
before=$(hits "$keep")
(
	runs=0
	while [ ! -e "$d/done" ]; do
		out=$(target loop $n 4) || { echo "target exited $? in run $((runs + 1))"; exit 1; }
		[ "$out" = "$ref" ] || { echo "run $((runs + 1)): '$out', expected '$ref'"; exit 1; }
		runs=$((runs + 1))
	done
	echo $runs > "$d/runs"
) &
loop=$!
set -- $(target offset target_func)
out=$(churn "$1" 1000 $(printf '0x%x ' $((base + 3)) $((base + 7)) $((base + 14)))) ||
	fail "churn: $out"
touch "$d/done"
wait $loop || fail "the program's runs during the churn"
echo "$(cat "$d/runs") runs of the program during the churn"
assert_eq "$(($(hits "$keep") - before))" $(($(cat "$d/runs") * 4 * n)) "the kept probe, over the runs"
uprobectl del --all
rm -rf "$d"
unload
