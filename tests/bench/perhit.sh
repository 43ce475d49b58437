# SPDX-License-Identifier: GPL-2.0
# Per-hit benchmark (issue 7): for each instruction class, ns per call of a
# small function with no probe, with the built-in uprobe on its probed
# instruction (tracefs, one event enabled) and with ours; the three runs
# of a round alternate, rounds repeat BENCH_ROUNDS times, medians printed
# with ours/built-in (per call, and per hit: the time a probe adds).
. "$SUITE/lib.sh"
load
rounds=${BENCH_ROUNDS:-5}
n=${PERHIT_CALLS:-20000}
tr=/sys/kernel/tracing
grep -q tracefs /proc/mounts || mount -t tracefs nodev $tr
# Enabling an event would otherwise switch the sched tracepoints for comm
# recording each time: live patching of kernel text under TCG that oopsed
# (int3 in ttwu_do_activate) once on 6.12, with no uprobe of ours around.
echo 0 > $tr/options/record-cmd
classes="nop push endbr nopl movrbp subrsp riprel ret call"
hitbench offsets > /tmp/hb.offs || fail "hitbench offsets"
off() { # CLASS
	local i=0 c
	for c in $classes; do
		i=$((i + 1))
		[ "$c" = "$1" ] && sed -n "${i}p" /tmp/hb.offs | tr ' ' ':' && return
	done
}
: > /tmp/hb.res
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	for c in $classes; do
		w=$(off $c)
		none=$(hitbench run $c $n)
		echo "p:hb/$c $w" > $tr/uprobe_events || fail "tracefs uprobe $c"
		echo 1 > $tr/events/hb/$c/enable
		theirs=$(hitbench run $c $n)
		echo 0 > $tr/events/hb/$c/enable
		echo > $tr/uprobe_events
		id=$(uprobectl add "$w") || fail "add $c"
		ours=$(hitbench run $c $n)
		[ "$(hits "$id")" = "$n" ] || fail "$c: $(hits "$id") hits, expected $n"
		uprobectl del "$id"
		echo "$c $none $theirs $ours" >> /tmp/hb.res
	done
done
med() { # CLASS COLUMN
	awk -v c="$1" -v k="$2" '$1 == c { print $k }' /tmp/hb.res | sort -n |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo "kernel $(uname -r): ns per call, medians of $rounds alternated rounds of $n calls"
printf '%-8s %9s %9s %9s %13s %13s\n' class none built-in ours ours/built-in "per hit"
for c in $classes; do
	a=$(med $c 2) b=$(med $c 3) o=$(med $c 4)
	printf '%-8s %9d %9d %9d %13s %13s\n' $c $a $b $o \
		"$(awk -v o=$o -v b=$b 'BEGIN { printf "%.3f", o / b }')" \
		"$(awk -v o=$o -v b=$b -v a=$a 'BEGIN { printf "%.3f", (o - a) / (b - a) }')"
done
unload
