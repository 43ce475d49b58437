#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make check': the host unit tests, checkpatch, the test bed's self-test
# and the VM suite on each kernel; then one closing line "N passed, N failed".
# ONLY=unit runs the host part alone.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
mkdir -p "$BUILD"
export RESULTS=$BUILD/results.txt
: > "$RESULTS"
start=$(date +%s)

record() { printf '%s %s\n' "$1" "$2" | tee -a "$RESULTS"; }
stage() { # NAME CMD...: one result line for a whole command
	local name=$1
	shift
	echo "### $name"
	if "$@"; then record PASS "$name"; else record FAIL "$name"; fi
}

cd "$top"
stage host-build make -s BUILD="$BUILD" host-build
if [ -x tests/unit/run.sh ]; then
	tests/unit/run.sh || true
fi
stage checkpatch tests/checkpatch.sh

if [ "${ONLY:-}" != unit ]; then
	# The test bed's self-test: the broken module's run must fail, and be
	# reported for the kernel WARNING it caused.
	echo "### testbed-selftest (a run that must fail)"
	out=$(RESULTS= KERNELS=6.1 tests/vm/testbed.sh selftest 2>&1)
	rc=$?
	echo "$out" | grep -E '^(PASS|FAIL|###)' | sed 's/^/    /'
	if [ $rc -ne 0 ] && echo "$out" | grep -q '^FAIL 6.1/kernel-log$'; then
		record PASS testbed-selftest
	else
		record FAIL testbed-selftest
	fi
	tests/vm/testbed.sh suite || true
fi

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
echo
echo "### failures:"
grep '^FAIL ' "$RESULTS" || echo "none"
echo "### took $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
