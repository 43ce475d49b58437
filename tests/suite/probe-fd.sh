# SPDX-License-Identifier: GPL-2.0
# Closing the owning fd removes its probes; persistent ones survive.
. "$SUITE/lib.sh"
load
set -- $(target offset target_func)
fdclose "$1" "$2" "target loop 100 > /dev/null" || fail "fdclose"
assert_eq "$(uprobectl list --json)" "[]" "nothing left"
unload
