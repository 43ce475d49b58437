# SPDX-License-Identifier: GPL-2.0
# Probes added and deleted in a tight loop (thousands of ioctls) while 4
# threads hit them: a probe kept throughout counts exactly, the program's
# output is unchanged, no thread gets SIGTRAP or SIGSEGV. The program runs
# again and again until the churn is done (however fast either side goes
# under TCG), each run checked.
. "$SUITE/lib.sh"
load
n=200000
ref=$(target loop $n 4)
set -- $(target offset target_func)
base=$(($2))
keep=$(uprobectl add "$1:$2") || fail "add"
rm -f /tmp/churn.done /tmp/churn.runs
(
	runs=0
	while [ ! -e /tmp/churn.done ]; do
		out=$(target loop $n 4) || { echo "target exited $? in run $((runs + 1))"; exit 1; }
		[ "$out" = "$ref" ] || { echo "run $((runs + 1)): output '$out', expected '$ref'"; exit 1; }
		runs=$((runs + 1))
	done
	echo $runs > /tmp/churn.runs
) &
loop=$!
start=$(date +%s)
out=$(churn "$1" 1000 $(printf '0x%x ' $((base + 3)) $((base + 7)) $((base + 14)))) ||
	fail "churn: $out"
echo "$out: 3000 adds and 3000 deletes in $(($(date +%s) - start)) s"
touch /tmp/churn.done
wait $loop || fail "the program's runs during the churn"
runs=$(cat /tmp/churn.runs)
echo "$runs runs of the program during the churn"
assert_eq "$(hits "$keep")" $((runs * 4 * n)) "the kept probe"
uprobectl del --all
unload
