# SPDX-License-Identifier: GPL-2.0
# Helpers for the in-VM suite; each test sources this and exits non-zero
# (through fail) at the first assertion that does not hold.

fail() {
	echo "FAIL: $*"
	exit 1
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
	echo "ok: $3"
}

load() {
	modprobe "$MODULE" || fail "modprobe $MODULE"
	[ -c /dev/uprobectl ] || fail "/dev/uprobectl missing after modprobe"
}

unload() {
	rmmod "$MODULE" || fail "rmmod $MODULE"
	[ ! -e /dev/uprobectl ] || fail "/dev/uprobectl still there after rmmod"
}

loaded() { grep -q "^$MODULE " /proc/modules; }
