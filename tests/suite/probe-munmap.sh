# SPDX-License-Identifier: GPL-2.0
# A probed mapping goes away and something else is mapped at its address:
# an int3 the program put there itself is the program's (its SIGTRAP
# handler runs), not taken for the old probe.
. "$SUITE/lib.sh"
load
ref=$(target loop 400)
id=$(uprobectl add "$(where target_func)") || fail "add"
out=$(target reuse 400)
echo "$out"
assert_eq "$(echo "$out" | head -n1)" "$ref" "calls through the second mapping"
assert_eq "$(echo "$out" | tail -n1)" "own int3 ok" "the program's own int3 at the old address"
assert_eq "$(hits "$id")" 400 "hits"
uprobectl del --all
unload
