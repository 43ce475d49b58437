# SPDX-License-Identifier: GPL-2.0
# Fault injection (the debug kernels: CONFIG_FAIL_FUNCTION): every fault
# point of the module (src/fault.h: its allocations, its copies from and
# to user memory, its reads of probed files, its page lookups) is made to
# fail alone, first on every call and then on every call but the first,
# while probes are added (entry, fetch arguments, return, exit, SDT,
# library, several at once), hit, forked, listed, traced, deleted and the
# module unloaded. Every time: no kernel report (the runner checks), each
# failed command says why in a "uprobectl: " line, the probed programs
# print what they print unprobed, the text is the file's again after the
# deletion, the accounting is back to zero and the module unloads. Each
# point must be reached by the workload at least once.
. "$SUITE/lib.sh"

FF=/sys/kernel/debug/fail_function
[ -d /sys/kernel/debug/tracing ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -d "$FF" ] || skip "no fail_function here (CONFIG_FAIL_FUNCTION): the debug kernels have it"

prog=$SUITE/bin/sdtprog
ref_loop=$(target loop 300) || fail "target loop"
ref_lib=$(target lib 300) || fail "target lib"
ref_fork=$(target fork 100) || fail "target fork"
ref_fib=$(retprog fib 12) || fail "retprog fib"
ref_sdt=$(sdtprog loop 50 | cut -d' ' -f1-2) || fail "sdtprog loop"

tmp=/tmp/fault-inject
mkdir -p "$tmp"

# Run a CLI command that may fail: a failure must say why.
try() { # WHAT CMD...
	local what=$1 rc
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		grep -q '^uprobectl: ..*' "$tmp/err" ||
			fail "$site/$mode: $what failed (status $rc) without a reason: $(cat "$tmp/err")"
		grep -qi 'unknown error' "$tmp/err" &&
			fail "$site/$mode: $what: no errno name: $(cat "$tmp/err")"
	fi
	return $rc
}

# A probed program must print what it prints unprobed, whatever failed.
same() { # WHAT EXPECTED CMD...
	local what=$1 want=$2 got
	shift 2
	got=$("$@") || fail "$site/$mode: $what exited with status $?"
	[ "$got" = "$want" ] || fail "$site/$mode: $what printed '$got', unprobed '$want'"
}

workload() {
	local ids="" id
	try "add entry" uprobectl add --name tf "$(where target_func)" && ids="$ids $(cat "$tmp/out")"
	try "add fetch" uprobectl add --name tf2 "$(where target_func)" 'a=$arg1:u64' 'sp=%sp' &&
		ids="$ids $(cat "$tmp/out")"
	try "add lib" uprobectl add "$(where lib_func)" && ids="$ids $(cat "$tmp/out")"
	try "add ret" uprobectl add --ret retprog:fib && ids="$ids $(cat "$tmp/out")"
	# An exit probe's ids: its entry's first (deleting it deletes them all).
	try "add exit" uprobectl add --exit retprog:fib && ids="$ids $(head -n 1 "$tmp/out")"
	try "add sdt" uprobectl add "usdt:$prog:sdtprog:tick" && ids="$ids $(cat "$tmp/out")"
	same "target loop" "$ref_loop" target loop 300
	same "target lib" "$ref_lib" target lib 300
	same "target fork" "$ref_fork" target fork 100
	same "retprog fib" "$ref_fib" retprog fib 12
	same "sdtprog loop" "$ref_sdt" sh -c "sdtprog loop 50 | cut -d' ' -f1-2"
	try "list" uprobectl list --json
	try "stats" uprobectl stats --json
	# A subscriber while the probes are hit (the events it reads are not
	# checked: a failed read loses them).
	try "run --trace" uprobectl run --trace --ret "$(where target_func)" 'a=$arg1' -- target loop 50
	try "run several" uprobectl run "$(where target_func)" "$(where lib_func)" retprog:fib -- \
		retprog fib 8
	# Deleting is never refused for want of memory (only when the call
	# itself cannot be made or answered).
	for id in $ids; do
		try "del $id" uprobectl del "$id" && continue
		case ${site#upc_fault_} in
		client | struct_in | struct_out | del_id) ;;
		*) fail "$site/$mode: del $id failed: $(cat "$tmp/err")" ;;
		esac
	done
	same "target loop after del" "$ref_loop" target loop 300
	same "retprog fib after del" "$ref_fib" retprog fib 12
}

load
sites=$(grep -o '^upc_fault_[a-z_]*' "$FF/injectable")
n=$(echo "$sites" | grep -c .)
[ "$n" -ge 40 ] || fail "only $n fault points injectable: $(echo $sites)"
echo "ok: $n fault points"
echo 0 >"$FF/verbose"
echo N >"$FF/task-filter"
echo 100 >"$FF/probability"
echo 1 >"$FF/interval"

unreached=""
for site in $sites; do
	for mode in always second; do
		loaded || load
		echo "$site" >"$FF/inject" || fail "inject $site"
		if [ $mode = always ]; then
			echo 0 >"$FF/space"
		else
			echo 2 >"$FF/space"
		fi
		echo 1000000 >"$FF/times"
		workload
		left=$(cat "$FF/times")
		[ $mode = second ] || [ "$left" != 1000000 ] || unreached="$unreached ${site#upc_fault_}"
		# Unloading with the point still failing (and probes left if
		# the deletions could not be asked for) restores every process.
		unload_now
		same "target loop after rmmod" "$ref_loop" target loop 300
		echo "!$site" >"$FF/inject" || fail "clear $site"
		# And a fresh load starts from nothing.
		load
		assert_idle
		echo "ok: $site/$mode ($((1000000 - left)) failed calls)"
	done
done
[ -z "$unreached" ] || fail "fault points the workload never reached:$unreached"
unload
echo "ok: every fault point reached and survived"
