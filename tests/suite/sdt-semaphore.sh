# SPDX-License-Identifier: GPL-2.0
# SDT semaphores, read from /proc/PID/mem at every step: each equals the
# number of probes attached to its probe point in that process: probes
# added before the process starts (one semaphore in the program, one in a
# library whose mapping the loader splits with MAP_FIXED and mprotect),
# added while it runs, in a child forked later, a pid-scoped probe,
# deletes, a process started and ended meanwhile, a library dlopen'ed,
# dlclose'd and dlopen'ed again, a 'run' whose probes go with its file, and
# rmmod: 0 at the end.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
prog=$SUITE/bin/sdtprog lib=$SUITE/bin/libsdt.so
sems() { # PID: "TICK HIT"
	echo "$(sdtprog peek "$1" "$ta") $(sdtprog peek "$1" "$ha")"
}
# The ioctl refuses a semaphore that is not 2 bytes of writable data.
set -- $(uprobectl sdt "$prog" | grep '^sdtprog *tick')
assert_eq "$(adderr "$prog" $3 0 $(($4 + 1)) | cut -d: -f1)" EINVAL "an odd semaphore offset"
assert_eq "$(adderr "$prog" $3 0 $(($3 & ~1)) | cut -d: -f1)" ERANGE "a semaphore in the text"
assert_eq "$(adderr "$prog" $3 0 0xfffffffffffffffe | cut -d: -f1)" ERANGE "a semaphore offset that wraps"
assert_eq "$(uprobectl list --json)" "[]" "no probe left by the refusals"
t1=$(uprobectl add "usdt:$prog:sdtprog:tick") || fail "add tick"
h1=$(uprobectl add "usdt:$lib:sdtlib:hit") || fail "add hit"
uprobectl list
sdtprog hold > "$d/out" &
pid=$!
wait_ready "$d/out"
set -- $(grep '^sems' "$d/out")
ta=$2 ha=$3
grep libsdt /proc/$pid/maps
assert_eq "$(sems $pid)" "1 1" "probes added before the start"

t2=$(uprobectl add "usdt:$prog:tick") || fail "add tick again"
h2=$(uprobectl add "usdt:libsdt.so:hit" 2>&1) &&
	fail "a library name outside the library path was accepted: $h2"
h2=$(uprobectl add "usdt:$lib:hit") || fail "add hit again"
assert_eq "$(sems $pid)" "2 2" "probes added while it runs"

kill -USR1 $pid
wait_lines "$d/out" '^child'
cpid=$(grep '^child' "$d/out" | cut -d' ' -f2)
assert_eq "$(sems $cpid)" "2 2" "the child forked with them"

uprobectl del "$t1" "$h1" > /dev/null || fail "del"
assert_eq "$(sems $pid) $(sems $cpid)" "1 1 1 1" "one of each deleted"

t3=$(uprobectl add --pid $pid "usdt:$prog:tick") || fail "add --pid"
assert_eq "$(sems $pid) $(sems $cpid)" "2 1 1 1" "a probe for the parent alone"

# A process started and ended meanwhile sees them raised at every call,
# and changes nothing for the others.
assert_eq "$(sdtprog loop 20)" "sum 190 enabled 20 20" "a process started now"
assert_eq "$(sems $pid) $(sems $cpid)" "2 1 1 1" "after another process came and went"

uprobectl del "$t3" > /dev/null || fail "del the pid-scoped one"
assert_eq "$(sems $pid) $(sems $cpid)" "1 1 1 1" "the pid-scoped one deleted"

# A library mapped late (dlopen), unmapped (dlclose) and mapped again: a
# count for each mapping, none left over from the first.
l2=$(uprobectl add "usdt:$SUITE/bin/libsdt2.so:hit") || fail "add on libsdt2.so"
sdtprog late > "$d/late" &
lpid=$!
wait_ready "$d/late"
kill -USR1 $lpid
wait_lines "$d/late" '^late' 1
assert_eq "$(sdtprog peek $lpid "$(grep '^late' "$d/late" | cut -d' ' -f2)")" 1 "dlopen after the probe"
kill -USR1 $lpid
wait_lines "$d/late" '^closed' 1
kill -USR1 $lpid
wait_lines "$d/late" '^late' 2
assert_eq "$(sdtprog peek $lpid "$(grep '^late' "$d/late" | tail -n1 | cut -d' ' -f2)")" 1 \
	"dlclose, then dlopen again"
uprobectl del "$l2" > /dev/null || fail "del libsdt2's probe"
assert_eq "$(sdtprog peek $lpid "$(grep '^late' "$d/late" | tail -n1 | cut -d' ' -f2)")" 0 \
	"its probe deleted"
kill -TERM $lpid
wait $lpid || fail "sdtprog late exited $?"

# A probe that goes with its file ('run' closes it when COMMAND ends): the
# process COMMAND left running gets its counts back.
mkfifo "$d/fifo"
uprobectl run "usdt:$prog:tick" "usdt:$lib:hit" -- \
	sh -c "sdtprog hold > $d/out2 & read -r _ < $d/fifo" > /dev/null 2>&1 &
run=$!
wait_ready "$d/out2"
set -- $(grep '^sems' "$d/out2")
rpid=$4
assert_eq "$(sdtprog peek $rpid $2) $(sdtprog peek $rpid $3)" "2 2" "under run, with the persistent ones"
assert_eq "$(sems $pid) $(sems $cpid)" "1 1 1 1" "run's probes are for its command alone"
echo go > "$d/fifo"
wait $run || fail "run exited $?"
assert_eq "$(sdtprog peek $rpid $2) $(sdtprog peek $rpid $3)" "1 1" "run's probes closed"
kill -TERM $rpid

# rmmod with probes left: every semaphore goes back to 0, both processes live.
unload_now
assert_eq "$(sems $pid) $(sems $cpid)" "0 0 0 0" "after rmmod"
kill -0 $pid && kill -0 $cpid || fail "a process died"
kill -TERM $cpid $pid
wait $pid || fail "sdtprog exited $?"
rm -rf "$d"
