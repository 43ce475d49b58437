# SPDX-License-Identifier: GPL-2.0
# A removal never writes where the probed text is not any more: a process
# maps a library, a probe goes into it, the process maps a data file
# shared and writable over it (MAP_FIXED; the data's byte there an int3
# too) and is held at the exit of that mmap, before its deferred work can
# forget the breakpoint; then the probe is deleted: the data file is not
# written, in memory or on disk. (rmmod takes breakpoints out the same
# way, but would wait for the held process's deferred work.)
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
private_lib "$d"
off=$OFF
# The data file: zeros, with an int3 at the probed offset.
head -c "$(stat -c %s "$d/lib.so")" /dev/zero > "$d/data"
printf '\314' | dd of="$d/data" bs=1 seek=$off conv=notrunc 2>/dev/null
remapshared "$d/lib.so" $off "$d/data" > "$d/out" &
pid=$!
wait_ready "$d/out"
id=$(uprobectl add "$d/lib.so:$off") || fail "add"
kill -USR1 $pid
wait_lines "$d/out" stopped
assert_eq "$(grep mapped "$d/out")" "mapped cc" "the int3 was in the library's mapping"
uprobectl del "$id" || fail "del"
kill -USR1 $pid
wait $pid || fail "remapshared exited $?"
assert_eq "$(tail -n 2 "$d/out" | tr '\n' ' ')" "mapped byte cc file byte cc " \
	"the data file is not written"
assert_eq "$(od -An -tx1 -j $off -N1 "$d/data" | tr -d ' ')" cc "the file on disk"
assert_idle
