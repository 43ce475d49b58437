# SPDX-License-Identifier: GPL-2.0
# rmmod while 4 threads of one process and 2 of another are inside
# functions whose return addresses are replaced (and a third has exit
# probes), and while a fourth process is stopped (SIGSTOP) with 2 threads
# inside them: it succeeds without waiting for the stopped one, every
# return address is put back, every process finishes (the stopped one
# once continued) with the right output and its text is the file's again.
. "$SUITE/lib.sh"
load
r=$SUITE/bin/retprog
retprog hold 4 > /tmp/h1.out &
p1=$!
retprog hold 2 > /tmp/h2.out &
p2=$!
retprog hold 1 > /tmp/h3.out &
p3=$!
retprog hold 2 > /tmp/h4.out &
p4=$!
wait_ready /tmp/h1.out
wait_ready /tmp/h2.out
wait_ready /tmp/h3.out
wait_ready /tmp/h4.out
ret=$(uprobectl add --ret retprog:holder) || fail "add --ret"
uprobectl add --exit retprog:holder > /dev/null || fail "add --exit"
uprobectl add --ret retprog:thr_main > /dev/null || fail "add --ret thr_main"
tries=0
while [ "$(hits "$ret")" -lt 100 ]; do
	tries=$((tries + 1))
	[ $tries -lt 1000 ] || fail "no returns seen"
	sleep 0.01
done
frames=$(stats | sed -n 's/^frames //p')
[ "$frames" -ge 4 ] || fail "only $frames calls followed while 7 threads sleep in them"
echo "ok: $frames calls followed at rmmod"
kill -STOP $p4
tries=0
while grep -q '^State:.*[RSD]' /proc/$p4/task/*/status 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 500 ] || fail "process $p4 does not stop"
	sleep 0.01
done
echo "ok: process $p4 stopped"
dmesg -c > /dev/null
rmmod "$MODULE" || fail "rmmod with return addresses replaced"
[ ! -e /dev/uprobectl ] || fail "/dev/uprobectl still there after rmmod"
dmesg | grep "putting back the return addresses" || fail "no return address put back"
dmesg | grep -q "putting back the return addresses of .* ([12] stopped)" ||
	fail "the stopped process's threads were not mended from rmmod"
kill -CONT $p4
# They run until told to stop: however slow the machine, the threads are
# still in their calls at rmmod.
kill -USR1 $p1 $p2 $p3 $p4
for p in $p1 $p2 $p3 $p4; do
	if ! textcheck $p $r > /tmp/tc.out 2>&1 && kill -0 $p 2>/dev/null; then
		cat /tmp/tc.out
		fail "process $p: text not restored"
	fi
done
wait $p1 || fail "p1 exited $?"
wait $p2 || fail "p2 exited $?"
wait $p3 || fail "p3 exited $?"
wait $p4 || fail "p4 (stopped at rmmod) exited $?"
# Each thread's sum checked against its own count of calls.
assert_eq "$(grep hold /tmp/h1.out)" "hold ok" "4 threads: output"
assert_eq "$(grep hold /tmp/h2.out)" "hold ok" "2 threads: output"
assert_eq "$(grep hold /tmp/h3.out)" "hold ok" "1 thread: output"
assert_eq "$(grep hold /tmp/h4.out)" "hold ok" "2 threads stopped at rmmod: output"
load
assert_eq "$(uprobectl list --json)" "[]" "no probes after reload"
unload
