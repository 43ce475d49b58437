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

# The probe's hit count, from 'uprobectl list --json' (empty if no probe).
hits() {
	uprobectl list --json | tr '{' '\n' | grep "\"id\":$1," |
		sed 's/.*"hits":\([0-9]*\).*/\1/'
}

# PATH:0xOFFSET of a function of the target program or its library.
where() {
	target offset "$1" | tr ' ' ':'
}

# Wait until FILE has a line "ready" (a 'target wait' in the background).
wait_ready() {
	local tries=0
	while ! grep -q ready "$1" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 500 ] || fail "$1 never got ready"
		sleep 0.02
	done
}
