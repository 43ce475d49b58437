# SPDX-License-Identifier: GPL-2.0
# Attach benchmark (issue 6): add then delete 1,000 probes, ours in one
# call each (ADD_BATCH, DEL) against the built-in uprobes through tracefs
# (create + enable, disable + remove), alternated, on the same boot.
# Prints each round and the medians. Not a pass/fail test.
. "$SUITE/lib.sh"
load
bin=$SUITE/bin
rounds=${BENCH_ROUNDS:-5}
grep -q tracefs /proc/mounts || mount -t tracefs nodev /sys/kernel/tracing
# Enabling an event would otherwise switch the sched tracepoints for comm
# recording each time: live patching of kernel text under TCG that oopsed
# (int3 in ttwu_do_activate) once on 6.12, with no uprobe of ours around.
echo 0 > /sys/kernel/tracing/options/record-cmd
# A process that maps the file, so both install into a live process too.
manyfn 2000000000 > /dev/null &
victim=$!
: > /tmp/ours
: > /tmp/theirs
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	o=$(batch "$bin/manyfn" "$bin/manyfn.entries" 1000) || fail "batch: $o"
	t=$(tfbench "$bin/manyfn" "$bin/manyfn.entries" 1000) || fail "tfbench: $t"
	set -- $o
	add=$4 del=$(echo "$o" | sed -n 's/.*del_us \([0-9]*\).*/\1/p')
	set -- $t
	tadd=$(($2 + $4)) tdel=$(($6 + $8))
	echo "round $r: ours add ${add} us del ${del} us; tracefs create+enable ${tadd} us disable+remove ${tdel} us"
	echo "$add $del" >> /tmp/ours
	echo "$tadd $tdel" >> /tmp/theirs
done
kill $victim
wait $victim
med() { # FILE COLUMN
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
oa=$(med /tmp/ours 1) od=$(med /tmp/ours 2) ta=$(med /tmp/theirs 1) td=$(med /tmp/theirs 2)
echo "kernel $(uname -r): 1000 probes, medians of $rounds alternated rounds"
echo "  add:    ours $((oa / 1000)) ms, tracefs $((ta / 1000)) ms, ratio $(awk -v a=$oa -v b=$ta 'BEGIN { printf "%.3f", a / b }')"
echo "  delete: ours $((od / 1000)) ms, tracefs $((td / 1000)) ms, ratio $(awk -v a=$od -v b=$td 'BEGIN { printf "%.3f", a / b }')"
echo "  total:  ratio $(awk -v a=$((oa + od)) -v b=$((ta + td)) 'BEGIN { printf "%.3f", a / b }')"
unload
