# SPDX-License-Identifier: GPL-2.0
# An unprivileged process cannot grow what the module holds beyond what it
# has mapped now: with 4 probes on a library, uid 65534 maps and unmaps it
# 1,000 times at 1,000 addresses, each mapping getting its int3s;
# afterwards the module holds no breakpoint for it (it held 4 per address
# before).
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
private_lib "$d"
chmod 755 "$d" && chmod 644 "$d/lib.so"
# Its first 4 instructions (from objdump at build time).
for o in $(awk '$2 == "lib_func" { print $1 }' "$SUITE/bin/libtarget.insns" | head -n 4); do
	uprobectl add "$d/lib.so:$o" > /dev/null || fail "add $o"
done
open_as exec-nobody mapchurn "$d/lib.so" 1000 $OFF > "$d/out" &
pid=$!
wait_lines "$d/out" done
assert_eq "$(cat "$d/out")" "done 1000" "every mapping had its int3"
# None is left (frees wait for an RCU grace period: allow a moment).
tries=0
while bps=$(stats | sed -n 's/^breakpoints //p'); [ "$bps" != 0 ] && [ $tries -lt 100 ]; do
	tries=$((tries + 1))
	sleep 0.1
done
assert_eq "$bps" 0 "breakpoints left after 1,000 maps and unmaps"
assert_eq "$(stats | sed -n 's/^processes //p')" 1 "the process's state"
kill -USR1 $pid
wait $pid || fail "mapchurn exited $?"
uprobectl del --all
assert_idle
