# SPDX-License-Identifier: GPL-2.0
# A probed instruction that faults (run from a slot) delivers SIGSEGV with
# si_addr and the saved rip at the original instruction; the handler
# recovers (siglongjmp) every time, and every call counts once.
# Instructions the module emulates fault as the CPU faults: an indirect
# call through an unmapped or a non-canonical pointer (the module reports
# it), a push onto a read-only stack (run from a slot then: the CPU does)
# give the handler the same rip, si_code, si_addr, trap number, error code
# and cr2; with SIGSEGV blocked or ignored the process dies of it, as
# without the probe (it was re-trapping forever).
. "$SUITE/lib.sh"
load
ref=$(target fault 300)
assert_eq "$ref" "faults 300 rip-ok 300 addr-ok 300" "unprobed run"
id=$(uprobectl add "$(where fault_load)") || fail "add"
assert_eq "$(target fault 300)" "$ref" "probed run: rip and si_addr as without the probe"
assert_eq "$(hits "$id")" 300 "one hit per call"
uprobectl del --all

ref=$(target emufault 300)
assert_eq "$ref" "faults 300 rip-ok 300 addr-ok 300 code-ok 300 frame-ok 300" "unprobed emulated faults"
for m in blocked ignored; do
	target emufault-$m 1 > /dev/null 2>&1
	assert_eq $? 139 "unprobed, SIGSEGV $m: killed by it"
done
call=$(uprobectl add "$(where fault_call)") || fail "add fault_call"
push=$(uprobectl add "$(where fault_push_at)") || fail "add fault_push_at"
assert_eq "$(target emufault 300)" "$ref" "probed emulated faults: as the CPU reports them"
assert_eq "$(hits "$call")" 200 "call *(%rdi): one hit per call"
assert_eq "$(hits "$push")" 100 "push: one hit per call"
for m in blocked ignored; do
	# (The time limit only ends the old endless loop: a pass is at once.)
	timeout 300 target emufault-$m 1 > /dev/null 2>&1
	assert_eq $? 139 "probed, SIGSEGV $m: killed by it"
done
assert_eq "$(hits "$call")" 202 "one hit each"
uprobectl del --all
unload
