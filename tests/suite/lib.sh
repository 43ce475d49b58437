# SPDX-License-Identifier: GPL-2.0
# Helpers for the in-VM suite; each test sources this and exits non-zero
# (through fail) at the first assertion that does not hold.

fail() {
	echo "FAIL: $*"
	exit 1
}

# The test does not apply here: say why and pass (the runner reports it as
# skipped).
skip() {
	echo "SKIP: $*"
	exit 0
}

# A long test's run time from its knob NAME (seconds, in the environment)
# into $secs: DEBUG-DEFAULT on the debug kernels when it is unset; skipped
# when it is unset elsewhere, or 0.
knob_seconds() { # NAME DEBUG-DEFAULT
	eval "secs=\${$1:-}"
	case $(uname -r) in
	*-upcdebug) secs=${secs:-$2} ;;
	esac
	[ -n "$secs" ] || skip "$1 is not set (and $(uname -r) is no debug kernel)"
	case $secs in
	*[!0-9]*) fail "$1='$secs' is not a number of seconds" ;;
	esac
	[ "$secs" -gt 0 ] || skip "$1=0"
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

# The module's accounting (uprobectl stats --json) as "name value" lines.
stats() {
	uprobectl stats --json | tr -d '{}"' | tr ',' '\n' | tr ':' ' '
}

# With no probe and no probed process left, everything the module counts
# drops to zero (frees wait for RCU grace periods: allow a moment), and so
# do the objects in its own slab caches.
assert_idle() {
	local tries=0 busy
	while :; do
		busy=$(stats | grep -v '^clients ' | grep -v ' 0$')
		[ -n "$busy" ] || break
		tries=$((tries + 1))
		[ $tries -lt 150 ] || fail "accounting not back to zero: $(echo $busy)"
		sleep 0.02
	done
	# slub_debug (on in the test VMs) keeps slabinfo's counts exact, once
	# KASAN's quarantine (the debug kernels) let go of the freed objects:
	# shrinking a cache empties the quarantine of its objects.
	if grep -q slub_debug /proc/cmdline; then
		for f in /sys/kernel/slab/upc_*/shrink; do
			[ ! -e "$f" ] || echo 1 >"$f" 2>/dev/null || true
		done
		busy=$(awk '/^upc_/ && $2 != 0 { print $1 "=" $2 }' /proc/slabinfo)
		[ -z "$busy" ] || fail "objects left in the module's slab caches: $busy"
	fi
	echo "ok: accounting back to zero"
}

# Unload after a test: every count must be back to zero first.
unload() {
	assert_idle
	unload_now
}

unload_now() {
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

# A private copy of the test library as DIR/lib.so (no other process maps
# it: what a test does to it shows alone); sets OFF to lib_func's offset.
private_lib() { # DIR
	local dir=$1
	set -- $(target offset lib_func)
	OFF=$(($2))
	cp "$1" "$dir/lib.so" || fail "cp $1 $dir/lib.so"
}

# PATH:0xOFFSET of a function of the lifetime program.
lwhere() {
	lifetime offset "$1" | tr ' ' ':'
}

# Wait until FILE has N (default 1) lines matching PATTERN.
wait_lines() { # FILE PATTERN [N]
	local tries=0 n
	while n=$(grep -c -- "$2" "$1" 2>/dev/null); [ "${n:-0}" -lt "${3:-1}" ]; do
		tries=$((tries + 1))
		[ $tries -lt 500 ] || fail "$1: no ${3:-1} lines '$2': $(cat "$1" 2>/dev/null)"
		sleep 0.02
	done
}

# Wait until FILE has a line "ready" (a 'target wait' in the background).
wait_ready() {
	wait_lines "$1" ready
}
