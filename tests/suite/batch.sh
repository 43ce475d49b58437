# SPDX-License-Identifier: GPL-2.0
# 1,000 probes added in one call and deleted in one call: every one is
# hit, the program's output is unchanged, and afterwards no breakpoint is
# left in memory and the module holds nothing.
. "$SUITE/lib.sh"
load
bin=$SUITE/bin
ref=$(manyfn 3)
out=$(batch "$bin/manyfn" "$bin/manyfn.entries" 1000 sh -c "manyfn 3 > /tmp/mf.out") ||
	fail "batch: $out"
echo "$out"
assert_eq "$(echo "$out" | sed -n 's/^added \([0-9]*\) .*/\1/p')" 1000 "added in one call"
assert_eq "$(echo "$out" | grep '^hit ')" "hit 1000 of 1000" "every probe hit"
assert_eq "$(echo "$out" | sed -n 's/^deleted \([0-9]*\) .*/\1/p')" 1000 "deleted in one call"
assert_eq "$(cat /tmp/mf.out)" "$ref" "output"
assert_eq "$(uprobectl list --json)" "[]" "no probe left"
# Into a running process, and out of it again.
manyfn 2000000000 > /dev/null &
pid=$!
out=$(batch "$bin/manyfn" "$bin/manyfn.entries" 1000) || fail "batch: $out"
textcheck $pid "$bin/manyfn" || fail "bytes not restored in the running process"
kill $pid
wait $pid
# Batches of 1,000 in and out while a probed process forks child after
# child: no child gets SIGTRAP from a breakpoint removed between the copy
# of its parent's memory and its first instruction.
manyfn 1 600 > /tmp/mff.out &
pid=$!
k=0
while kill -0 $pid 2>/dev/null; do
	out=$(batch "$bin/manyfn" "$bin/manyfn.entries" 1000) || fail "batch: $out"
	k=$((k + 1))
done
wait $pid || fail "manyfn exited $?"
echo "$k batches during the forks; $(dmesg | grep -c 'checking its text') children checked in full"
assert_eq "$(head -n1 /tmp/mff.out)" "children ok 600 of 600" "every child"
# A batch with bad entries: the good ones are added, each bad one says why.
printf '0x1 bad\n' > /tmp/bad.entries
head -n 3 "$bin/manyfn.entries" >> /tmp/bad.entries
out=$(batch "$bin/manyfn" /tmp/bad.entries 4 2>&1) && fail "a bad entry went unnoticed"
echo "$out"
echo "$out" | grep -q '^added 3 ' || fail "the good entries of a partly bad batch"
echo "$out" | grep -q 'entry 0 (0x1): ' || fail "the bad entry's reason"
unload
