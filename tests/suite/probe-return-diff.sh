# SPDX-License-Identifier: GPL-2.0
# Return probes against the kernel's built-in uretprobes, on the same boot:
# the same workload (recursion, nesting, tail calls, a conditional tail
# call, longjmp, signals, fork, threads) run once under built-in "r:"
# events on every function and once under ours (--ret, then --exit); the
# returns counted per function must agree, and so must the sum of the
# return values the built-in reports and ours.
. "$SUITE/lib.sh"
load
tr=/sys/kernel/tracing
grep -q tracefs /proc/mounts || mount -t tracefs nodev $tr
echo 0 > $tr/options/record-cmd
echo 8192 > $tr/buffer_size_kb
fns="fib outer mid inner work tail_a tail_b condtail jumper sigfn forker"
W='retprog fib 12 && retprog nested 50 && retprog tail 40 && retprog condtail 60 &&
	retprog longjmp 30 30 && retprog signal 20 && retprog fork 5 && retprog threads 3 40'
workload() { sh -c "$W"; }
ref=$(workload) || fail "workload alone"

# The built-in: one "r:" event per function, its return value fetched.
: > $tr/trace
for f in $fns; do
	set -- $(uprobectl add --dry-run retprog:$f)
	echo "r:upcdiff/$f $1:$2 rv=\$retval:s64" >> $tr/uprobe_events || fail "uretprobe $f"
done
echo 1 > $tr/events/upcdiff/enable
out=$(workload) || fail "workload under the built-in"
echo 0 > $tr/events/upcdiff/enable
assert_eq "$out" "$ref" "output under the built-in"
grep -q "LOST" $tr/trace && fail "the built-in's trace buffer overflowed"
for f in $fns; do
	grep " $f: (" $tr/trace | sed 's/.*rv=//' |
		awk -v f=$f '{ n++; s += $1 } END { print f, n + 0, s + 0 }'
done > /tmp/diff.builtin
echo > $tr/uprobe_events
cat /tmp/diff.builtin
[ "$(awk '{ s += $2 } END { print s }' /tmp/diff.builtin)" -gt 500 ] || fail "few returns seen by the built-in"

for kind in --ret --exit; do
	k=${kind#--}
	[ "$k" = ret ] && k=return
	targets=
	for f in $fns; do
		targets="$targets retprog:$f rv=\$retval:s64"
	done
	# (The workload's own output goes to a file: trace lines come on stdout.)
	# shellcheck disable=SC2086
	uprobectl run --trace $kind $targets -- sh -c "{ $W; } > /tmp/diff.out" \
		> /tmp/diff.trace || fail "workload under $kind"
	assert_eq "$(cat /tmp/diff.out)" "$ref" "output under $kind"
	for f in $fns; do
		grep " $f%$k:" /tmp/diff.trace | grep -v 'tail call' | sed 's/.*rv=//' |
			awk -v f=$f '{ n++; s += $1 } END { print f, n + 0, s + 0 }'
	done > /tmp/diff.ours
	if [ "$kind" = --ret ]; then
		# Same returns, same values.
		if ! cmp -s /tmp/diff.builtin /tmp/diff.ours; then
			diff /tmp/diff.builtin /tmp/diff.ours
			fail "$kind and the built-in disagree"
		fi
	else
		# Exits by a ret agree; tail calls leave by jumps, with no value yet.
		grep -v "^tail_a \|^condtail " /tmp/diff.builtin > /tmp/diff.b2
		grep -v "^tail_a \|^condtail " /tmp/diff.ours > /tmp/diff.o2
		if ! cmp -s /tmp/diff.b2 /tmp/diff.o2; then
			diff /tmp/diff.b2 /tmp/diff.o2
			fail "$kind and the built-in disagree"
		fi
		for f in tail_a condtail; do
			n=$(grep -c " $f%exit:" /tmp/diff.trace)
			assert_eq "$n" "$(awk -v f=$f '$1 == f { print $2 }' /tmp/diff.builtin)" "$kind $f: exits, tail calls included"
		done
	fi
	echo "ok: $kind agrees with the built-in on every function"
done
unload
