# SPDX-License-Identifier: GPL-2.0
# Probes added and deleted in a tight loop (thousands of ioctls) while 4
# threads hit them: a probe kept throughout counts exactly, the program's
# output is unchanged, no thread gets SIGTRAP or SIGSEGV.
. "$SUITE/lib.sh"
load
n=1500000
ref=$(target loop $n 4)
set -- $(target offset target_func)
base=$(($2))
keep=$(uprobectl add "$1:$2") || fail "add"
target loop $n 4 > /tmp/churn.out &
pid=$!
start=$(date +%s)
out=$(churn "$1" 1000 $(printf '0x%x ' $((base + 3)) $((base + 7)) $((base + 14)))) ||
	fail "churn: $out"
echo "$out: 3000 adds and 3000 deletes in $(($(date +%s) - start)) s"
kill -0 $pid 2>/dev/null || fail "the program ended before the churn did: make it run longer"
wait $pid || fail "target exited $?"
assert_eq "$(cat /tmp/churn.out)" "$ref" "output"
assert_eq "$(hits "$keep")" $((4 * n)) "the kept probe"
uprobectl del --all
unload
