# SPDX-License-Identifier: GPL-2.0
# 'uprobectl version' with the module loaded and without it.
. "$SUITE/lib.sh"
load
out=$(uprobectl version) || fail "uprobectl version exited $?"
echo "$out"
ver=$(cat /sys/module/$MODULE/version)
echo "$out" | grep -qx "uprobectl CLI $ver (ABI 1)" || fail "CLI line"
echo "$out" | grep -qx "uprobectl module $ver (ABI 1, features 0x[0-9a-f]*)" || fail "module line"
unload
out=$(uprobectl version 2>&1)
rc=$?
echo "$out"
assert_eq "$rc" 1 "exit status without the module"
echo "$out" | grep -qF "uprobectl: /dev/uprobectl missing: the module is not loaded: run 'modprobe uprobectl'" ||
	fail "the message says how to load the module"
uprobectl bogus >/dev/null 2>&1
assert_eq "$?" 2 "exit status of an unknown command"
