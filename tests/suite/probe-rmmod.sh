# SPDX-License-Identifier: GPL-2.0
# rmmod while threads of several processes hit probes and probes are being
# added and deleted: it succeeds, every byte comes back, every process
# finishes with the right output; a reload shows no probe left.
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
ref=$(target loop 200000 4)
refl=$(target lib 200000)
set -- $(target offset target_func)
uprobectl add "$(where target_func)" > /dev/null || fail "add"
uprobectl add "$(where lib_func)" > /dev/null || fail "add lib"
target loop 200000 4 > /tmp/r1.out &
p1=$!
target lib 200000 > /tmp/r2.out &
p2=$!
target loop 200000 4 > /tmp/r3.out &
p3=$!
# Churn through the CLI: each command opens and closes the device, so
# rmmod finds moments when no file holds the module.
(while :; do
	id=$(uprobectl add "$1:$(printf 0x%x $(($2 + 3)))" 2>/dev/null) || break
	uprobectl del "$id" > /dev/null 2>&1 || break
done) &
churn=$!
sleep 1
tries=0
until rmmod "$MODULE" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 200 ] || fail "rmmod kept failing"
	sleep 0.01
done
echo "ok: rmmod after $tries busy tries"
wait $churn
[ ! -e /dev/uprobectl ] || fail "/dev/uprobectl still there after rmmod"
for p in $p1 $p3; do
	# (It may end while being read: only a live process's bytes count.)
	if ! textcheck $p $t > /tmp/tc.out 2>&1 && kill -0 $p 2>/dev/null; then
		cat /tmp/tc.out
		fail "process $p: text not restored"
	fi
done
wait $p1 || fail "p1 exited $?"
wait $p2 || fail "p2 exited $?"
wait $p3 || fail "p3 exited $?"
assert_eq "$(cat /tmp/r1.out)" "$ref" "p1 output"
assert_eq "$(cat /tmp/r2.out)" "$refl" "p2 output"
assert_eq "$(cat /tmp/r3.out)" "$ref" "p3 output"
load
assert_eq "$(uprobectl list --json)" "[]" "no probes after reload"
unload
