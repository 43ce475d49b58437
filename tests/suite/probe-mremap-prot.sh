# SPDX-License-Identifier: GPL-2.0
# Probed text moved by mremap, then made writable (mprotect) while its
# probes are deleted: the deletion still restores it (it is a private copy
# of the file, ours to mend, as the kernel's uprobes see it), so once it is
# executable again it runs the file's instructions, not an int3 of a probe
# that is gone (SIGTRAP, as the fuzzer found).
. "$SUITE/lib.sh"
load
t=$SUITE/bin/target
ref=$(target loop 700)
set -- $(target offset target_func)
target mremapprot 700 > /tmp/mp.out &
pid=$!
wait_ready /tmp/mp.out
id1=$(uprobectl add "$1:$2") || fail "add"
id2=$(uprobectl add "$1:$(printf 0x%x $(($2 + 3)))") || fail "add +3"
kill -USR1 $pid
wait_lines /tmp/mp.out '^writable'
assert_eq "$(grep '^sum ' /tmp/mp.out)" "$ref" "output through the moved text"
assert_eq "$(hits "$id1")" 700 "emulated instruction in moved text"
assert_eq "$(hits "$id2")" 700 "out-of-line instruction in moved text"
grep -q ' rwxp .*target$' /proc/$pid/maps || fail "no writable text mapping"
uprobectl del "$id1" "$id2"
kill -USR1 $pid
# Before the fix the target died here of SIGTRAP, printing no sum2.
wait_lines /tmp/mp.out '^sum2 '
assert_eq "$(grep '^sum2 ' /tmp/mp.out | cut -d' ' -f2)" "$(echo "$ref" | cut -d' ' -f2)" "output after removal"
# The bytes only: the page was writable when the probes went, and is not
# released (another thread's store could be lost between compare and zap).
textcheck -b $pid $t || fail "moved text not restored"
kill -USR1 $pid
wait $pid || fail "target exited $?"
unload
