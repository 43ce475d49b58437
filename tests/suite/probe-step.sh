# SPDX-License-Identifier: GPL-2.0
# A debugger single-stepping (PTRACE_SINGLESTEP) through probed code sees
# exactly the steps and registers it sees without the probes: one step
# per original instruction, rip never in a slot, whether the instruction
# is emulated (branches, calls, push, lea, ...) or run out of line
# (imul, rip-relative load and store, pushf, indirect call).
. "$SUITE/lib.sh"
load
ref=$(stepper trace 6) || fail "stepper without probes"
echo "$ref" | tail -n1
ids=""
for w in $(stepper offsets | tr ' ' ':'); do
	id=$(uprobectl add "$w") || fail "add $w"
	ids="$ids $id"
done
out=$(stepper trace 6) || fail "stepper with probes"
if [ "$out" != "$ref" ]; then
	echo "$ref" > /tmp/step.ref
	echo "$out" > /tmp/step.out
	diff /tmp/step.ref /tmp/step.out | head -n 20
	fail "the debugger saw other steps or registers with the probes"
fi
echo "ok: same $(echo "$out" | wc -l) lines with a probe on each of the 25 instructions"
total=0
for id in $ids; do
	total=$((total + $(hits "$id")))
done
echo "ok: $total hits"
[ $total -gt 100 ] || fail "too few hits: $total"
uprobectl del --all
unload
