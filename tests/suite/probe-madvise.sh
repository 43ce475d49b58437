# SPDX-License-Identifier: GPL-2.0
# Probed text under MADV_DONTNEED (the int3 page drops back to the file's),
# mprotect splits and merges, and MADV_DONTFORK: every call counts once,
# output unchanged, and the breakpoints come out with the probe.
. "$SUITE/lib.sh"
load
ref=$(lifetime dontneed 400)
ref1=$(lifetime run 400)
id=$(uprobectl add "$(lwhere life_func)") || fail "add"
assert_eq "$(lifetime dontneed 400)" "$ref" "output across MADV_DONTNEED"
assert_eq "$(hits "$id")" 800 "calls before and after MADV_DONTNEED"
assert_eq "$(lifetime mprotect 400)" "$ref" "output across mprotect split and merge"
assert_eq "$(hits "$id")" 1600 "calls in the split and the merged mapping"
d=$(mktemp -d)
lifetime dontfork 400 "$d" > "$d/out" &
pid=$!
wait_ready "$d/state"
textcheck $pid "$SUITE/bin/lifetime" > /dev/null && fail "no breakpoint in the process" || true
touch "$d/go"
wait $pid || fail "dontfork mode exited $?"
assert_eq "$(cat "$d/out")" "$ref1" "output through the MADV_DONTFORK mapping"
assert_eq "$(hits "$id")" 2400 "parent's calls, and the child's in its own new mapping"
uprobectl del --all
unload
