# SPDX-License-Identifier: GPL-2.0
# Signals arriving while threads execute probed instructions (emulated or
# from a slot): every instruction of target_func counts exactly one hit
# per call, and the output is unchanged.
. "$SUITE/lib.sh"
load
ref=$(target signals 10000 2>/dev/null)
set -- $(target offset target_func)
base=$(($2))
ids=
for d in 0 3 7 10 14; do
	ids="$ids $(uprobectl add "$1:$(printf 0x%x $((base + d)))")" || fail "add +$d"
done
out=$(target signals 10000)
assert_eq "$out" "$ref" "output under a signal storm"
for id in $ids; do
	assert_eq "$(hits "$id")" 10000 "hits of probe $id under a signal storm"
done
uprobectl del --all
unload
