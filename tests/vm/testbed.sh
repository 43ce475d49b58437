#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM test bed: for each kernel, build the module against its headers,
# build an initramfs, boot it under QEMU (TCG) with the kernel's debug
# options on, run the in-VM suite and judge the run.
#
# Usage: testbed.sh suite|demo|bench|selftest
# Environment (see README): KERNELS (names from ALL_KERNELS below, or
# "all"; default "6.1 6.12 6.12-rt", "6.1 6.12" for bench), TESTS (regex of
# the suite's test names), EXTRA_TESTS (a directory of scenarios),
# VM_TIMEOUT (seconds per boot), TEST_TIMEOUT (seconds per test or
# scenario), FUZZ_SECONDS, FUZZ_SEED and FUZZ_RELOAD (the fuzz test's run
# time, seed, and whether it reloads the module), BUILD (build directory),
# MODULE_KO (boot this prebuilt module instead of building one: a path in
# which {rel} stands for the kernel's
# release, e.g. /lib/modules/{rel}/updates/dkms/uprobectl.ko),
# SOAK_SECONDS (how long the soak test runs: it runs only when this is set,
# or on the debug kernels, 600 s there; 0 turns it off),
# LANES (kernels run at once: 2 with 2 cores or more, 1 for bench and demo),
# RESULTS (file to append "PASS name"/"FAIL name" lines to).
#
# A kernel's run fails on a failed test, any kernel WARNING, BUG, Oops,
# lockup, KFENCE, slab or UBSAN report, a taint other than O and E, and a VM
# that does not finish in time.
set -euo pipefail

mode=${1:-suite}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$top/build}
# Debian's stock kernels (fetch-kernels.sh) and debug builds of Debian's
# own sources (build-debug-kernel.sh).
ALL_KERNELS="6.1 6.12 6.1-rt 6.12-rt 6.1-cloud 6.12-cloud 6.1-debug 6.12-debug"
# Lanes that skip the sweeps and the differential return test (instruction
# coverage against the built-in uprobes, the same on every flavour) and the
# CLI's own tests: the RT lane of the default run, so that 'make check'
# stays within 30 minutes. Kernels named in KERNELS run everything.
SWEEPLESS=
if [ "$mode" = bench ]; then
	KERNELS=${KERNELS:-6.1 6.12}
elif [ -z "${KERNELS:-}" ]; then
	KERNELS="6.1 6.12 6.12-rt"
	SWEEPLESS="6.12-rt"
fi
[ "$KERNELS" != all ] || KERNELS=$ALL_KERNELS
for k in $KERNELS; do
	case " $ALL_KERNELS " in
	*" $k "*) ;;
	*)
		echo "testbed: unknown kernel '$k' in KERNELS: use some of $ALL_KERNELS, or all" >&2
		exit 2
		;;
	esac
done
TESTS=${TESTS:-.}
VM_TIMEOUT=${VM_TIMEOUT:-}
SOAK_SECONDS=${SOAK_SECONDS:-}
case $SOAK_SECONDS in
*[!0-9]*)
	echo "testbed: SOAK_SECONDS='$SOAK_SECONDS' is not a number of seconds" >&2
	exit 2
	;;
esac
RESULTS=${RESULTS:-}
EXTRA_TESTS=${EXTRA_TESTS:-}
MODULE=uprobectl
MODULE_SRC=$top
vm_mode=$mode

case $mode in
suite | demo | bench) ;;
selftest)
	vm_mode=suite
	# The test bed's own test: a module that WARNs at load, booted the
	# same way; this run must be judged failed.
	MODULE=uprobectl_broken
	MODULE_SRC=$top/tests/selftest/broken
	TESTS='^load-unload$'
	EXTRA_TESTS=
	;;
*) echo "usage: testbed.sh suite|demo|bench|selftest" >&2; exit 2 ;;
esac

# Only the kernel messages that mean something went wrong; matched on the
# kernel log the VM forwards and on the console (for panics).
bad_klog='WARNING:|BUG:|BUG |Oops|general protection fault.*\[#|Kernel panic|soft lockup|hard LOCKUP|rcu: INFO|detected stall|KFENCE:|UBSAN:|kernel BUG|list_(add|del) corruption|Call Trace:|blocked for more than|INFO: task|slab error|Poison overwritten|Redzone|Object padding|Freepointer|uprobectl: leak'
# Allowed taint: O (out-of-tree module, bit 12) and E (unsigned, bit 13).
allowed_taint=$(((1 << 12) | (1 << 13)))

note() { printf '%s\n' "$*"; }
record() { # PASS|FAIL NAME
	printf '%s %s\n' "$1" "$2"
	[ -z "$RESULTS" ] || printf '%s %s\n' "$1" "$2" >> "$RESULTS"
}

mkdir -p "$BUILD"

# User-space parts, once for all kernels.
make -s -C "$top" BUILD="$BUILD" host-build >/dev/null

# Build a module against one kernel's headers, W=1, with no warning allowed.
build_module() { # SRC HEADERS OUTDIR
	local src=$1 hdr=$2 out=$3 log
	rm -rf "$out"
	mkdir -p "$out"
	if [ "$src" = "$top" ]; then
		cp -r "$top/Kbuild" "$top/VERSION" "$top/src" "$top/include" "$out/"
	else
		cp -r "$src/." "$out/"
	fi
	log=$out/build.log
	if ! make -C "$hdr" M="$out" W=1 modules >"$log" 2>&1; then
		cat "$log" >&2
		return 1
	fi
	if grep -E 'warning:|error:' "$log" >&2; then
		echo "testbed: the module build for $(basename "$hdr") has warnings" >&2
		return 1
	fi
}

common_initrd=$BUILD/vm/common.cpio.gz
mkdir -p "$BUILD/vm"
"$here/mkinitramfs.sh" "$common_initrd" "$BUILD/host" "$EXTRA_TESTS"

# One kernel's lane: its module, its initramfs, its VM, the judgement.
# Returns non-zero if anything failed.
lane() { # NAME RELEASE KDIR
	local k=$1 rel=$2 kdir=$3
	local vmdir kmod ko kroot nonce cmdline console console_note mem boot start
	local qrc res kfail taint soak test_timeout vm_timeout m f
	note "### kernel $k: $rel (Debian $(cat "$kdir/version"))"
	vmdir=$BUILD/vm/$mode-$rel
	mkdir -p "$vmdir"
	kmod=$BUILD/kmod/$MODULE-$rel
	if [ -n "${MODULE_KO:-}" ]; then
		# A module built elsewhere (DKMS, for the packaging test).
		ko=${MODULE_KO//\{rel\}/$rel}
		rm -rf "$kmod"
		mkdir -p "$kmod"
		if ! cp "$ko" "$kmod/$MODULE.ko"; then
			echo "testbed: MODULE_KO: no module at $ko" >&2
			record FAIL "$k/module-build"
			return 1
		fi
		note "### kernel $k: module $ko"
	elif ! build_module "$MODULE_SRC" "$kdir/headers" "$kmod"; then
		record FAIL "$k/module-build"
		return 1
	fi

	# Per-kernel part: the module where modprobe finds it, and the run's
	# configuration.
	kroot=$vmdir/root
	rm -rf "$kroot"
	mkdir -p "$kroot/lib/modules/$rel/extra" "$kroot/etc"
	cp "$kmod/$MODULE.ko" "$kroot/lib/modules/$rel/extra/"
	cp "$kdir/root/lib/modules/$rel"/modules.{builtin,builtin.modinfo,order} \
		"$kroot/lib/modules/$rel/"
	# The kernel's own modules the suite uses (overlayfs: containers).
	for m in kernel/fs/overlayfs/overlay.ko; do
		for f in "$kdir/root/lib/modules/$rel/$m"*; do
			[ -e "$f" ] || continue
			mkdir -p "$kroot/lib/modules/$rel/$(dirname "$m")"
			cp "$f" "$kroot/lib/modules/$rel/$(dirname "$m")/"
		done
	done
	depmod -b "$kroot" "$rel"
	# The soak test's time (tests/suite/soak.sh decides the same way) on
	# top of the default timeouts.
	soak=${SOAK_SECONDS:-0}
	case $k in *-debug) soak=${SOAK_SECONDS:-600} ;; esac
	test_timeout=${TEST_TIMEOUT:-$((soak + 600 > 1800 ? soak + 600 : 1800))}
	vm_timeout=${VM_TIMEOUT:-$((3000 + soak))}
	nonce=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	{
		echo "MODE=$vm_mode"
		echo "NONCE=$nonce"
		printf 'TESTS=%q\n' "$TESTS"
		case " $SWEEPLESS " in
		*" $k "*) echo "SKIP_TESTS='^(sweep-|probe-return-diff\$|cli-|abi\$|version\$)'" ;;
		esac
		echo "MODULE=$MODULE"
		echo "TEST_TIMEOUT=$test_timeout"
		[ -z "$SOAK_SECONDS" ] || echo "SOAK_SECONDS=$SOAK_SECONDS"
		echo "BENCH_ROUNDS=${BENCH_ROUNDS:-5}"
		# The fuzz test's knobs, only when set (the test has its defaults).
		[ -z "${FUZZ_SECONDS:-}" ] || printf 'FUZZ_SECONDS=%q\n' "$FUZZ_SECONDS"
		[ -z "${FUZZ_SEED:-}" ] || printf 'FUZZ_SEED=%q\n' "$FUZZ_SEED"
		[ -z "${FUZZ_RELOAD:-}" ] || printf 'FUZZ_RELOAD=%q\n' "$FUZZ_RELOAD"
	} > "$kroot/etc/testbed.conf"
	(cd "$kroot" && find . | cpio -o -H newc --quiet | gzip -1) > "$vmdir/kernel.cpio.gz"
	cat "$common_initrd" "$vmdir/kernel.cpio.gz" > "$vmdir/initrd.cpio.gz"

	cmdline="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1"
	cmdline+=" watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300 hung_task_timeout_secs=600"
	cmdline+=" slub_debug=FZPU kfence.sample_interval=100 log_buf_len=8M"
	# The debug kernels' lockdep (PROVE_RAW_LOCK_NESTING) reports the 8250
	# console's port lock taken for a message printed from a hard
	# interrupt (QEMU's slow timer interrupts print one), and then checks
	# nothing more: warnings go to the kernel log only, which the runner
	# forwards after each test; errors and panics still reach the console.
	case $k in *-debug) cmdline+=" loglevel=4" ;; esac
	if [ "$mode" = demo ]; then
		cmdline+=" quiet loglevel=3"
		console=(-serial stdio)
		console_note=
	else
		console=(-serial "file:$vmdir/console.log")
		console_note="; console log: $vmdir/console.log"
	fi
	# KASAN's shadow and the debug objects need room.
	mem=1024
	case $k in *-debug) mem=2048 ;; esac
	for boot in 1 2; do
		rm -f "$vmdir/console.log" "$vmdir/results.log"
		start=$(date +%s)
		set +e
		timeout "$vm_timeout" qemu-system-x86_64 -accel tcg -cpu max -m $mem -smp 2 \
			-kernel "$kdir/vmlinuz" -initrd "$vmdir/initrd.cpio.gz" \
			-append "$cmdline" -display none -no-reboot -monitor none \
			"${console[@]}" -serial "file:$vmdir/results.log" </dev/null
		qrc=$?
		set -e
		note "### kernel $k: VM ran $(($(date +%s) - start)) s"
		# A kernel that died before our init said a word (QEMU TCG
		# has been seen to break the kernel's own text patching at
		# boot): the emulator's flake, not a result. Once more.
		if [ "$boot" = 1 ] && ! grep -aq "^@@$nonce " "$vmdir/results.log"; then
			note "### kernel $k: the VM died before the test runner started (emulator flake?): booting it again"
			[ "$mode" = demo ] || tail -n 30 "$vmdir/console.log" || true
			continue
		fi
		break
	done

	# Judge the run from the records of this boot only.
	res=$vmdir/results.txt
	grep -a "^@@$nonce " "$vmdir/results.log" | cut -d' ' -f2- > "$res" || true
	kfail=0
	while read -r _ st name; do
		[ -n "$name" ] || continue
		record "$st" "$k/$name"
		[ "$st" = PASS ] || kfail=1
	done < <(grep '^RESULT ' "$res" || true)
	while read -r _ name why; do
		note "### kernel $k: $name skipped: $why"
	done < <(grep '^SKIP ' "$res" || true)
	# Output of failed tests and of extra scenarios, verbatim.
	awk -v n="@@$nonce" '
		$1 == n && $2 == "BEGIN" { name = $3; on = 1; if (name !~ /^(extra|bench):/) print "--- output of " name; next }
		$1 == n && $2 == "END" { on = 0; next }
		on { print }' "$vmdir/results.log"
	# The kernel log forwarded after each test; after a crash, the console.
	grep -E "^KLOG .*($bad_klog)" "$res" >"$vmdir/klog-bad.txt" || true
	if ! grep -q '^DONE$' "$res" && [ -f "$vmdir/console.log" ]; then
		grep -aE "$bad_klog" "$vmdir/console.log" >>"$vmdir/klog-bad.txt" || true
	fi
	if [ -s "$vmdir/klog-bad.txt" ]; then
		note "### kernel $k: the kernel reported a problem:"
		head -n 40 "$vmdir/klog-bad.txt"
		record FAIL "$k/kernel-log"
		kfail=1
	fi
	if ! grep -q '^DONE$' "$res"; then
		if [ $qrc -eq 124 ]; then
			note "### kernel $k: the VM did not finish in $vm_timeout s (raise VM_TIMEOUT)"
		else
			note "### kernel $k: the VM stopped before the run finished (qemu exit $qrc)"
		fi
		[ "$mode" = demo ] || tail -n 60 "$vmdir/console.log" || true
		record FAIL "$k/vm-finished"
		kfail=1
	fi
	if grep -q '^DONE$' "$res" && ! grep -q '^RESULT ' "$res"; then
		note "### kernel $k: no test ran (TESTS='$TESTS' matched none?)"
		record FAIL "$k/no-test-ran"
		kfail=1
	fi
	taint=$(sed -n 's/^TAINT //p' "$res")
	if [ -n "$taint" ] && [ $((taint & ~allowed_taint)) -ne 0 ]; then
		note "### kernel $k: unexpected taint $taint (only O and E are allowed)"
		record FAIL "$k/taint"
		kfail=1
	fi
	note "### kernel $k: $([ $kfail -eq 0 ] && echo passed || echo FAILED)${console_note:-}"
	return $kfail
}

# The kernels first, one at a time (downloads, builds: shared caches).
failed=0
read -r -a klist <<<"$KERNELS"
lanes=()
for k in "${klist[@]}"; do
	case $k in
	*-debug) kline=$("$here/build-debug-kernel.sh" "${k%-debug}") ;;
	*) kline=$("$here/fetch-kernels.sh" "$k") ;;
	esac || { record FAIL "$k/kernel"; failed=1; continue; }
	lanes+=("$k $kline")
done

# Then the lanes, LANES of them at once (their VMs are independent, and a
# TCG guest keeps about one host core busy): each one's output is printed
# whole when it ends, in order. Timings (bench) and the demo's console
# need a lane alone.
if [ -z "${LANES:-}" ]; then
	LANES=1
	case $mode in suite | selftest) [ "$(nproc)" -lt 2 ] || LANES=2 ;; esac
fi
if [ "$LANES" -le 1 ] || [ ${#lanes[@]} -le 1 ]; then
	for l in "${lanes[@]}"; do
		read -r k _ rel kdir <<<"$l"
		set +e
		(set -e; lane "$k" "$rel" "$kdir")
		[ $? -eq 0 ] || failed=1
		set -e
	done
	exit $failed
fi
pids=()
logs=()
for i in "${!lanes[@]}"; do
	read -r k _ rel kdir <<<"${lanes[$i]}"
	# Room for one more: wait for the oldest still running.
	if [ "$i" -ge "$LANES" ]; then
		j=$((i - LANES))
		set +e
		wait "${pids[$j]}"
		[ $? -eq 0 ] || failed=1
		set -e
		cat "${logs[$j]}"
		pids[$j]=
	fi
	logs[$i]=$BUILD/vm/lane-$k.log
	(set -e; lane "$k" "$rel" "$kdir") >"${logs[$i]}" 2>&1 &
	pids[$i]=$!
done
for i in "${!lanes[@]}"; do
	[ -n "${pids[$i]}" ] || continue
	set +e
	wait "${pids[$i]}"
	[ $? -eq 0 ] || failed=1
	set -e
	cat "${logs[$i]}"
done
exit $failed
