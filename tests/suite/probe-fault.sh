# SPDX-License-Identifier: GPL-2.0
# A probed instruction that faults (run from a slot) delivers SIGSEGV with
# si_addr and the saved rip at the original instruction; the handler
# recovers (siglongjmp) every time, and every call counts once.
. "$SUITE/lib.sh"
load
ref=$(target fault 300)
assert_eq "$ref" "faults 300 rip-ok 300 addr-ok 300" "unprobed run"
id=$(uprobectl add "$(where fault_load)") || fail "add"
assert_eq "$(target fault 300)" "$ref" "probed run: rip and si_addr as without the probe"
assert_eq "$(hits "$id")" 300 "one hit per call"
uprobectl del --all
unload
