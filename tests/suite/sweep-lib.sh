# SPDX-License-Identifier: GPL-2.0
# The differential sweep shared by the sweep-* tests:
#   sweep TARGETS COMMAND...
# TARGETS is a file of "FILE INSNS" lines: a probe goes on every
# "0xOFFSET NAME" line of INSNS in FILE. Each COMMAND's output must be
# unchanged with our probes, and each probe must count, per command, what
# the kernel's built-in uprobe counts at that address, for the commands
# the built-in runs correctly twice with the same counts.

sweep() {
	local targets=$1 tr=/sys/kernel/tracing ncmd i k n c round bad compared
	shift
	ncmd=$#
	i=1
	for c in "$@"; do
		$c > /tmp/ref.$i || fail "'$c' fails without probes"
		i=$((i + 1))
	done

	# Ours: every instruction boundary.
	: > /tmp/ids
	while read -r file insns; do
		addmany "$file" "$insns" >> /tmp/ids || fail "addmany $file"
	done < "$targets"
	echo "$(wc -l < /tmp/ids) probes added"
	snap_ours /tmp/o.0
	i=1
	for c in "$@"; do
		$c > /tmp/out || fail "'$c' failed with our probes"
		cmp -s /tmp/ref.$i /tmp/out || fail "'$c': output differs with our probes"
		snap_ours /tmp/o.$i
		i=$((i + 1))
	done
	echo "ok: output of every command unchanged with our probes"
	uprobectl del --all

	# The built-in on the same addresses, twice.
	n=0
	: > /tmp/map
	while read -r where id; do
		n=$((n + 1))
		if echo "p:sweep/p$n $where" >> $tr/uprobe_events 2>/dev/null &&
		   echo 1 > $tr/events/sweep/p$n/enable 2>/dev/null; then
			echo "$where p$n $id" >> /tmp/map
		fi
	done < /tmp/ids
	echo "$(wc -l < /tmp/map) built-in probes enabled"
	snap_builtin /tmp/b.0
	k=0
	for round in 1 2; do
		i=1
		for c in "$@"; do
			k=$((k + 1))
			$c > /tmp/out.$round.$i 2>/dev/null
			snap_builtin /tmp/b.$k
			i=$((i + 1))
		done
	done
	echo 0 > $tr/events/sweep/enable
	echo > $tr/uprobe_events

	bad=0 compared=0
	i=1
	while [ $i -le $ncmd ]; do
		if ! cmp -s /tmp/ref.$i /tmp/out.1.$i || ! cmp -s /tmp/ref.$i /tmp/out.2.$i; then
			echo "note: the built-in breaks command $i: no reference for it"
			i=$((i + 1))
			continue
		fi
		# One pass: per probe, the built-in's two deltas and ours.
		awk -v cmd=$i '
			FNR == 1 { f++ }
			f == 1 { b1a[$1] = $2 } f == 2 { b1b[$1] = $2 }
			f == 3 { b2a[$1] = $2 } f == 4 { b2b[$1] = $2 }
			f == 5 { oa[$1] = $2 } f == 6 { ob[$1] = $2 }
			f == 7 { t0[$1] = $2 } f == 8 { t1[$1] = $2 }
			f == 9 {
				ev = $2; id = $3
				if (!(ev in b1b) || !(ev in b2b)) next
				# Never hit by the built-in in any run: it refused the
				# instruction without saying so (cs nopw, for one).
				if (t1[ev] == t0[ev]) next
				d1 = b1b[ev] - b1a[ev]; d2 = b2b[ev] - b2a[ev]
				if (d1 != d2) next
				n++
				o = ob[id] - oa[id]
				if (o != d1) { bad++; print "MISMATCH " $1 " in command " cmd ": ours " o ", built-in " d1 }
			}
			END { print "COUNTS " n + 0 " " bad + 0 }' \
			/tmp/b.$((i - 1)) /tmp/b.$i /tmp/b.$((ncmd + i - 1)) /tmp/b.$((ncmd + i)) \
			/tmp/o.$((i - 1)) /tmp/o.$i /tmp/b.0 /tmp/b.$((2 * ncmd)) /tmp/map > /tmp/cmp.$i
		grep -v '^COUNTS' /tmp/cmp.$i
		set -- $(sed -n 's/^COUNTS //p' /tmp/cmp.$i)
		compared=$((compared + $1))
		bad=$((bad + $2))
		i=$((i + 1))
	done
	echo "$compared (probe, command) counts compared"
	[ $compared -gt 0 ] || fail "nothing to compare"
	[ $bad -eq 0 ] || fail "$bad counts differ from the built-in"
	echo "ok: every probe counts what the built-in counts"
}

snap_ours() {
	uprobectl list --json | tr '{' '\n' |
		sed -n 's/.*"id":\([0-9]*\),.*"hits":\([0-9]*\).*/\1 \2/p' > "$1"
}

snap_builtin() {
	awk '{print $(NF-1), $NF}' /sys/kernel/tracing/uprobe_profile > "$1"
}
