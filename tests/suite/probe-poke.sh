# SPDX-License-Identifier: GPL-2.0
# A debugger's breakpoints (PTRACE_POKETEXT of an int3 over what
# PTRACE_PEEKTEXT read) next to and on probed instructions: one elsewhere
# in the same page stops the debugger as without probes; one on a probed
# instruction reads our int3 and does not stop (the hit is the probe's);
# and when the probe goes while the debugger's copy of our int3 is in, the
# int3 it writes back later does not kill the process once it is detached.
. "$SUITE/lib.sh"
load
set -- $(stepper offsets | sed -n 6p)	# st5, in the page of sl0
assert_eq "$(stepper poke 6)" "a 3 b 2 peek-b 48 exit status 0" "no probe: both breakpoints stop"
id=$(uprobectl add "$1:$2") || fail "add"
assert_eq "$(stepper poke 6)" "a 3 b 0 peek-b cc exit status 0" "a probe at one of them"
assert_eq "$(hits "$id")" 6 "the probe's hits"
assert_eq "$(stepper poke 6 "$id")" "a 3 b 0 peek-b cc exit status 0" "the probe deleted under the debugger"
dmesg | grep -q 'instruction restored' || fail "no int3 was left behind: the scenario did not happen"
uprobectl del --all 2>/dev/null
unload
