# SPDX-License-Identifier: GPL-2.0
# The ioctl ABI rules from C (tests/progs/abi_test.c).
. "$SUITE/lib.sh"
load
abi_test "$(cat /sys/module/$MODULE/version)" || fail "abi_test"
unload
