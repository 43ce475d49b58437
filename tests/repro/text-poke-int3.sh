#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A kernel issue, not ours (README, "Known kernel issues"): under QEMU (TCG)
# the kernel's own text patching dies now and then of "Oops: int3" (an int3
# of its own that poke_int3_handler() does not claim), or of a return to
# address 0 in a function being switched between ftrace trampolines. This
# needs no module: a kprobe event and the function tracer turned on and
# off on uprobe_free_utask while two shells exec /bin/true. Seen on
# Debian's 6.1 and 6.12 (generic and RT) within seconds to a minute.
# Run it as an extra scenario (it unloads our module first):
#   make check KERNELS=6.12 TESTS='^$' EXTRA_TESTS=$PWD/tests/repro
# It passes if the kernel survives ROUNDS (default 400) rounds.
rmmod uprobectl 2>/dev/null
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
(while :; do /bin/true; done) &
a=$!
(while :; do /bin/true; done) &
b=$!
i=0
while [ $i -lt "${ROUNDS:-400}" ]; do
	echo 'p:upcrepro uprobe_free_utask' > $T/kprobe_events || exit 1
	echo 1 > $T/events/kprobes/upcrepro/enable || exit 1
	echo 0 > $T/events/kprobes/upcrepro/enable
	echo '-:upcrepro' >> $T/kprobe_events
	echo uprobe_free_utask > $T/set_ftrace_filter
	echo function > $T/current_tracer
	echo nop > $T/current_tracer
	echo > $T/set_ftrace_filter
	i=$((i + 1))
done
kill $a $b
wait
echo "rounds $i: the kernel survived"
