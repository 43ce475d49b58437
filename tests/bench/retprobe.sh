# SPDX-License-Identifier: GPL-2.0
# Return-probe benchmark (issue 9): ns per call of a small function with no
# probe, with the built-in uretprobe on it (tracefs "r:" event, enabled),
# with our return probe (--ret) and with our exit probes (--exit: an entry
# probe and one on its ret); alternated, BENCH_ROUNDS rounds, medians and
# ours/built-in printed. Functions by their first instruction: push %rbp,
# nop, endbr64. Not a pass/fail test (but the hit counts are checked).
. "$SUITE/lib.sh"
load
rounds=${BENCH_ROUNDS:-5}
n=${PERHIT_CALLS:-20000}
tr=/sys/kernel/tracing
hb=$SUITE/bin/hitbench
grep -q tracefs /proc/mounts || mount -t tracefs nodev $tr
# See perhit.sh: no sched tracepoint switching under TCG.
echo 0 > $tr/options/record-cmd
classes="push nop endbr"
hitbench offsets > /tmp/rb.offs || fail "hitbench offsets"
off() { # CLASS: its line in hitbench's order of classes
	local i=0 c
	for c in nop push endbr nopl movrbp subrsp riprel ret call; do
		i=$((i + 1))
		[ "$c" = "$1" ] && sed -n "${i}p" /tmp/rb.offs | tr ' ' ':' && return
	done
}
: > /tmp/rb.res
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	for c in $classes; do
		w=$(off $c)
		[ -n "$w" ] || fail "no offset for $c"
		none=$(hitbench run $c $n)
		echo "r:hb/r$c $w" > $tr/uprobe_events || fail "tracefs uretprobe $c"
		echo 1 > $tr/events/hb/r$c/enable
		theirs=$(hitbench run $c $n)
		echo 0 > $tr/events/hb/r$c/enable
		echo > $tr/uprobe_events
		id=$(uprobectl add --ret "$hb:hb_$c") || fail "add --ret $c"
		ours=$(hitbench run $c $n)
		[ "$(hits "$id")" = "$n" ] || fail "$c: $(hits "$id") returns, expected $n"
		uprobectl del "$id"
		ids=$(uprobectl add --exit "$hb:hb_$c") || fail "add --exit $c"
		exits=$(hitbench run $c $n)
		[ "$(hits "$(echo "$ids" | tail -1)")" = "$n" ] || fail "$c: exits not $n"
		uprobectl del $ids
		echo "$c $none $theirs $ours $exits" >> /tmp/rb.res
	done
done
med() { # CLASS COLUMN
	awk -v c="$1" -v k="$2" '$1 == c { print $k }' /tmp/rb.res | sort -n |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo "kernel $(uname -r): return probes, ns per call, medians of $rounds alternated rounds of $n calls"
printf '%-6s %7s %12s %9s %11s %10s %11s\n' first none "uretprobe" "ours --ret" "ret/uret" "ours --exit" "exit/uret"
for c in $classes; do
	a=$(med $c 2) b=$(med $c 3) o=$(med $c 4) x=$(med $c 5)
	printf '%-6s %7d %12d %9d %11s %10d %11s\n' $c $a $b $o \
		"$(awk -v o=$o -v b=$b 'BEGIN { printf "%.3f", o / b }')" $x \
		"$(awk -v o=$x -v b=$b 'BEGIN { printf "%.3f", o / b }')"
done
unload
