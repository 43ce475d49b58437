#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-VM runner. Reports to the host on the second serial port (/dev/ttyS1),
# one record a line, each starting with "@@NONCE " so nothing else can be
# taken for one:
#   RESULT PASS|FAIL NAME      a test's outcome
#   SKIP NAME REASON           a passed test said it does not apply here
#                              (a line "SKIP: REASON", lib.sh's skip)
#   KLOG NAME LINE             a kernel log line read after test NAME
#   BEGIN NAME / END NAME      raw lines between them: output of NAME
#   TAINT VALUE                /proc/sys/kernel/tainted at the end
#   DONE                       the run finished
# Test output also goes to the console (ttyS0), with the kernel's messages.
# Configuration comes from /etc/testbed.conf: MODE, NONCE, TESTS, MODULE,
# SKIP_TESTS (a regular expression of tests not to run, optional); the
# tests see it in their environment (TEST_TIMEOUT, SOAK_SECONDS...).

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
rec() { echo "@@$NONCE $*" >&3; }

klog() { # NAME: forward and clear what the kernel logged since last time
	dmesg -c 2>/dev/null | while IFS= read -r l; do rec "KLOG $1 $l"; done
}

frame() { # NAME FILE: send FILE's lines unchanged
	rec "BEGIN $1"
	cat "$2" >&3
	# A last line without newline must not swallow the END marker.
	[ -s "$2" ] && [ "$(tail -c1 "$2" | od -An -c | tr -d ' ')" != '\n' ] && echo >&3
	rec "END $1"
}

klog boot
export MODULE NONCE
export SUITE=/suite PATH=/suite/bin:$PATH

pids() { ls /proc 2>/dev/null | grep '^[0-9][0-9]*$'; }

# Kill what a test left running (a failed test's background programs), so
# the next test starts from a quiet system. Kernel threads have no cmdline
# (an empty one: /proc's files all have size 0, so test -s cannot tell).
reap_leftovers() { # PIDS-BEFORE
	local cmd tries=0
	for p in $(pids); do
		echo "$1" | grep -qx "$p" && continue
		[ "$p" = $$ ] && continue
		cmd=$({ tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null)
		# (busybox timeout's watcher goes within a second by itself)
		case $cmd in "" | "timeout "*) continue ;; esac
		echo "left running by the test, killed: $p $cmd"
		kill -KILL "$p" 2>/dev/null
	done
	sleep 0.2
	# Their files of the device close as they exit.
	while [ "$(cat "/sys/module/$MODULE/refcnt" 2>/dev/null || echo 0)" != 0 ] && [ $tries -lt 100 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	# And its probes: the next test loads the module afresh.
	if grep -q "^$MODULE " /proc/modules; then
		echo "module left loaded by the test: unloading it"
		rmmod "$MODULE" || echo "rmmod $MODULE failed"
	fi
}

run_suite() {
	for t in /suite/*.sh; do
		name=${t##*/}
		name=${name%.sh}
		case $name in lib|sweep-lib|runner|demo) continue ;; esac
		echo "$name" | grep -Eq -- "$TESTS" || continue
		[ -z "${SKIP_TESTS:-}" ] || ! echo "$name" | grep -Eq -- "$SKIP_TESTS" || continue
		echo "=== RUN $name"
		cd /tmp || exit 1
		before=$(pids)
		timeout "${TEST_TIMEOUT:-1800}" /bin/sh "$t" >"/tmp/out.$name" 2>&1
		rc=$?
		reap_leftovers "$before" >>"/tmp/out.$name"
		cat "/tmp/out.$name"
		klog "$name"
		if [ $rc -eq 0 ]; then
			skipped=$(grep '^SKIP: ' "/tmp/out.$name" | head -n 1)
			if [ -n "$skipped" ]; then
				echo "=== PASS $name (skipped: ${skipped#SKIP: })"
				rec "SKIP $name ${skipped#SKIP: }"
			else
				echo "=== PASS $name"
			fi
			rec "RESULT PASS $name"
		else
			echo "=== FAIL $name (exit $rc)"
			frame "$name" "/tmp/out.$name"
			rec "RESULT FAIL $name"
		fi
	done
}

run_extra() {
	for t in /extra/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=extra:${t##*/}
		echo "=== RUN $name"
		(cd /extra && timeout "${TEST_TIMEOUT:-1800}" "$t" >"/tmp/extra.out") 2>&1
		rc=$?
		klog "$name"
		frame "$name" /tmp/extra.out
		if [ $rc -eq 0 ]; then
			rec "RESULT PASS $name"
		else
			rec "RESULT FAIL $name"
		fi
		# A scenario may leave the module unloaded: put it back.
		grep -q "^$MODULE " /proc/modules || modprobe "$MODULE"
	done
}

case $MODE in
suite)
	run_suite
	if [ -n "$(ls /extra)" ]; then
		modprobe "$MODULE" && run_extra
	fi
	;;
bench)
	for t in /suite/bench/*.sh; do
		name=${t##*/}
		name=bench:${name%.sh}
		echo "$name" | grep -Eq -- "$TESTS" || continue
		echo "=== RUN $name"
		(cd /tmp && timeout "${TEST_TIMEOUT:-1800}" /bin/sh "$t" >"/tmp/bench.out" 2>&1)
		rc=$?
		klog "$name"
		frame "$name" /tmp/bench.out
		[ $rc -eq 0 ] && rec "RESULT PASS $name" || rec "RESULT FAIL $name"
		grep -q "^$MODULE " /proc/modules && rmmod "$MODULE"
	done
	;;
demo)
	sh /suite/demo.sh
	rc=$?
	klog demo
	[ $rc -eq 0 ] && rec "RESULT PASS demo" || rec "RESULT FAIL demo"
	;;
esac
# Unload at the end so an unload bug shows up in the run too.
if grep -q "^$MODULE " /proc/modules; then
	rmmod "$MODULE" || rec "RESULT FAIL final-rmmod"
fi
klog end
rec "TAINT $(cat /proc/sys/kernel/tainted)"
rec DONE
