# SPDX-License-Identifier: GPL-2.0
# A process in another mount namespace: with --pid, its files are found
# through /proc/PID/root, where our own namespace has nothing.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
mkdir -p /nsmnt
unshare -m sh -c "mount -t tmpfs none /nsmnt && cp $SUITE/bin/target $SUITE/bin/libtarget.so /nsmnt/ &&
	exec /nsmnt/target wait 100" > "$d/out" &
pid=$!
wait_ready "$d/out"
[ -e /nsmnt/target ] && fail "/nsmnt/target is visible outside the namespace"
out=$(uprobectl add /nsmnt/target:target_func 2>&1) && fail "added without --pid: $out"
echo "$out" | grep -q "cannot open /nsmnt/target" || fail "without --pid: $out"
id=$(uprobectl add --pid $pid /nsmnt/target:target_func) || fail "add --pid"
uprobectl list
kill -USR1 $pid
wait $pid || fail "target exited $?"
assert_eq "$(hits "$id")" 100 "hits inside the namespace"
uprobectl del --all
unload
