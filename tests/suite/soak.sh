# SPDX-License-Identifier: GPL-2.0
# Soak: for SOAK_SECONDS, probes on libc (an entry probe, one with fetched
# arguments, --ret and --exit probes), SDT probes and three event readers
# stay in place while a storm of forks, vforks, execs, threads and
# mappings of libc runs and other probes are added and deleted in a loop
# (by the CLI, by a program's own fd, by 'run', a thousand at once by
# ADD_BATCH). Held throughout: the exact counts of the probes only the
# workload's programs hit (each run of 'soak work' makes a known number of
# calls, each run of sdtprog a known number of SDT hits: the expectation is
# runs completed times calls per run, whatever the host's speed), every
# event of them delivered or counted as lost, the programs' output
# unchanged, no child of the storm failing; then the accounting back to
# zero and the module unloading.
#
# It runs when SOAK_SECONDS is set (0 turns it off), and on the debug
# kernels (600 s by default there); elsewhere it is skipped.
. "$SUITE/lib.sh"

knob_seconds SOAK_SECONDS 600
# Room for setting up and taking down under a slow emulator.
[ $((secs + 300)) -le "${TEST_TIMEOUT:-1800}" ] ||
	fail "SOAK_SECONDS=$secs does not fit in TEST_TIMEOUT=${TEST_TIMEOUT:-1800}: raise TEST_TIMEOUT"

load
d=$(mktemp -d)
# On a failure, nothing of ours left running (their files hold the module).
bg=
trap 'for p in $bg; do kill -KILL $p 2>/dev/null; done' EXIT
prog=$SUITE/bin/sdtprog lib=$SUITE/bin/libsdt.so
n=1000 t=3 k=100 # calls per lane and threads of 'soak work'; SDT loop of sdtprog
lanes=$((t + 1))

# What the programs print without probes.
ref_work=$(soak work $n $t) || fail "soak work without probes: $ref_work"
set -- $ref_work
lensum=$7 a64lsum=$9
ref_sdt=$(sdtprog loop $k) || fail "sdtprog without probes"
# With both SDT probes in place both semaphores are raised at every call.
want_sdt="$(echo "$ref_sdt" | cut -d' ' -f1-2) enabled $k $k"
echo "per run: $ref_work; $want_sdt"

# The system's libc, copied: every program this test starts runs with the
# copy (LD_LIBRARY_PATH), the runner and this shell do not. A process
# keeps the module's state for it until it exits (stats count it), so
# probes on the libc they map would hold the accounting up.
set -- $(uprobectl add --dry-run libc:memfrob) || fail "memfrob: no such function in libc"
mkdir "$d/lib"
cp "$1" "$d/lib/libc.so.6" || fail "cp $1"
libc=$d/lib/libc.so.6
export LD_LIBRARY_PATH=$d/lib
# A probe's file offset and instruction boundaries inside memfrob, for the
# probes added and deleted meanwhile (found by the CLI: any glibc).
frob=$2
inner=
i=1
while [ $i -lt 32 ]; do
	o=$(uprobectl add --dry-run "$libc:memfrob+$i" 2>/dev/null | cut -d' ' -f2) && inner="$inner $o"
	i=$((i + 1))
done
[ -n "$inner" ] || fail "no instruction found inside memfrob"
inner=$(echo $inner | cut -d' ' -f1-12)
a64l=$(uprobectl add --dry-run "$libc:a64l" | cut -d' ' -f2)
swab_exit=$(uprobectl add --exit --dry-run "$libc:swab" | awk '$NF == "exit" { print $2; exit }')
[ -n "$swab_exit" ] || fail "no exit found in swab"
hot=
for f in malloc free calloc realloc getenv; do
	hot="$hot $(uprobectl add --dry-run "$libc:$f" | cut -d' ' -f2)" || fail "no $f in libc"
done
echo "libc $libc: memfrob $frob, inside it: $inner; a64l $a64l; swab's exit $swab_exit; hot:$hot"

# The probes kept throughout. Only 'soak work' calls memfrob, a64l and
# swab; only sdtprog fires its SDT points.
add1() { # ARGS...: add a probe, print its id (an exit group's: its entry's)
	local id
	# Run in $(...): a failure must reach the test's output, not the id.
	id=$(uprobectl add "$@") || { echo "FAIL: add $*: $id" >&2; exit 1; }
	echo "$id" | head -1
}
E=$(add1 "$libc:memfrob" 'len=%si:u64' 's=+0(%di):string') || exit 1
R=$(add1 --ret "$libc:a64l" 'v=$retval:s64') || exit 1
ids=$(uprobectl add --exit "$libc:swab") || fail "add --exit swab: $ids"
[ "$(echo "$ids" | wc -l)" = 2 ] || fail "swab: not one entry and one exit probe: $ids"
Xe=$(echo "$ids" | head -1)
Xx=$(echo "$ids" | sed -n 2p)
S=$(add1 "usdt:$prog:sdtprog:tick") || exit 1
H=$(add1 "usdt:$lib:sdtlib:hit") || exit 1
# Hit by everything that runs.
M=$(add1 "$libc:malloc") || exit 1
F=$(add1 --ret "$libc:fork" 'pid=$retval:s32') || exit 1
G=$(add1 --exit "$libc:getenv") || exit 1
P=$(add1 --ret "$libc:pthread_create" 'r=$retval:s32') || exit 1
O=$(add1 "$libc:open64" 'path=+0(%di):string' 'flags=%si:x32') || exit 1
MM=$(add1 "$libc:mmap64" 'len=%si:u64' 'prot=%dx:x32') || exit 1
uprobectl list

# The readers: the exactly counted probes' events (a ring that holds
# seconds of them), everything (a small ring: losses are expected), and
# the SDT probes' through the CLI.
soak read -r $((64 << 20)) -i "$E" -i "$R" -i "$Xe" -i "$Xx" -m "$E" > "$d/rx" 2> "$d/rx.err" &
rx=$!
bg="$bg $rx"
soak read -r $((1 << 20)) > "$d/rall" 2> "$d/rall.err" &
rall=$!
bg="$bg $rall"
uprobectl trace "$S" "$H" > "$d/ticks" 2> "$d/ticks.err" &
tr=$!
bg="$bg $tr"
wait_ready "$d/rx.err"
wait_ready "$d/rall.err"
wait_lines "$d/ticks.err" tracing

soak storm > "$d/storm" 2>&1 &
storm=$!
bg="$bg $storm"

# The exactly counted workload, run after run until the time is up (at
# least once, however slow the host): its output is checked every time.
(
	runs=0
	end=$(($(date +%s) + secs))
	while :; do
		out=$(soak work $n $t 2>&1) || { echo "FAIL: soak work exited $? after $runs runs: $out"; break; }
		[ "$out" = "$ref_work" ] || { echo "FAIL: soak work printed '$out' after $runs runs"; break; }
		out=$(sdtprog loop $k 2>&1) || { echo "FAIL: sdtprog exited $? after $runs runs: $out"; break; }
		[ "$out" = "$want_sdt" ] || { echo "FAIL: sdtprog printed '$out' after $runs runs"; break; }
		runs=$((runs + 1))
		[ "$(date +%s)" -lt $end ] || break
	done
	echo "runs $runs"
	touch "$d/done"
) > "$d/driver" 2>&1 &
driver=$!
bg="$bg $driver"

# Meanwhile, probes added and deleted one ioctl each by a program, as fast
# as it can: on hot functions and on the kept probes' instructions.
(
	n=0
	while [ ! -e "$d/done" ]; do
		churn "$libc" 5 $hot $frob $a64l $swab_exit > /dev/null || { echo "FAIL: churn after $n calls"; break; }
		n=$((n + 1))
	done
	echo "churn calls $n"
) > "$d/churner" 2>&1 &
churner=$!
bg="$bg $churner"

# And round after round: on the kept probes' own instructions and
# functions (shared sites, a second return probe, a second exit group, a
# second probe on the SDT point and its semaphore), on hot functions (in
# every process, and in the storm and its children only), from the CLI,
# from a program's own fd, for one command by 'run', a thousand at once.
rounds=0
: > "$d/stats"
while [ ! -e "$d/done" ]; do
	: > "$d/ids"
	for a in "$libc:memfrob" "$libc:memfrob s=+0(%di):string" "--ret $libc:a64l" "--exit $libc:swab" \
		"usdt:$prog:sdtprog:tick" "--exit $libc:malloc" "--pid $storm --ret $libc:malloc" \
		"--pid $storm $libc:calloc" "$libc:free p=%di:x64" "$libc:$(echo $inner | cut -d' ' -f$((rounds % $(echo $inner | wc -w) + 1)))"; do
		out=$(uprobectl add $a) || fail "round $rounds: add $a: $out"
		echo "$out" | head -1 >> "$d/ids"
	done
	uprobectl del $(cat "$d/ids") > /dev/null || fail "round $rounds: del $(cat "$d/ids")"
	churn "$libc" 10 $frob $a64l $swab_exit $inner > "$d/churn" 2>&1 ||
		fail "round $rounds: churn: $(cat "$d/churn")"
	case $((rounds % 3)) in
	0) set -- "$libc:malloc" "$libc:open64" 'path=+0(%di):string' ;;
	1) set -- --ret "$libc:malloc" "$libc:getenv" ;;
	2) set -- --exit "$libc:malloc" "$libc:getenv" ;;
	esac
	uprobectl run "$@" -- soak child plain 20 > "$d/run" 2>&1 ||
		fail "round $rounds: run $*: $(cat "$d/run")"
	if [ $((rounds % 5)) = 0 ]; then
		batch "$SUITE/bin/manyfn" "$SUITE/bin/manyfn.entries" 1000 sh -c 'manyfn 1 > /dev/null' > "$d/batch" 2>&1 ||
			fail "round $rounds: batch: $(cat "$d/batch")"
		grep -q '^added 1000 ' "$d/batch" && grep -q '^deleted 1000 ' "$d/batch" ||
			fail "round $rounds: batch: $(cat "$d/batch")"
	fi
	uprobectl list --json > /dev/null || fail "round $rounds: list"
	stats | tr '\n' ' ' >> "$d/stats"
	echo >> "$d/stats"
	rounds=$((rounds + 1))
done
wait $driver
wait $churner
cat "$d/driver" "$d/churner"
grep -q '^FAIL' "$d/driver" && fail "the workload failed"
grep -q '^FAIL' "$d/churner" && fail "the churn failed"
runs=$(sed -n 's/^runs //p' "$d/driver")
[ -n "$runs" ] && [ "$runs" -gt 0 ] || fail "no run of the workload completed"
echo "$rounds rounds of adding and deleting probes during $runs runs"
# The largest counts the module held meanwhile.
awk '{ for (i = 1; i < NF; i += 2) if (!($i in m) || $(i + 1) + 0 > m[$i]) m[$i] = $(i + 1) + 0 }
	END { printf "held at most:"; for (k in m) printf " %s %s", k, m[k]; print "" }' "$d/stats"

kill -TERM $storm
wait $storm || fail "the storm exited $?: $(cat "$d/storm")"
cat "$d/storm"
assert_eq "$(head -1 "$d/storm")" "storm libc $libc" "the storm ran with the copy of libc"
kill -TERM $rx $rall
kill -INT $tr
wait $rx || fail "the exact reader exited $?: $(cat "$d/rx" "$d/rx.err")"
wait $rall || fail "the reader of everything exited $?: $(cat "$d/rall" "$d/rall.err")"
wait $tr || fail "trace exited $?: $(cat "$d/ticks.err")"
bg=
cat "$d/rx" "$d/rall" "$d/ticks.err"

# Exact counts: runs completed times calls per run. Every count is
# checked (and the module unloaded) before a wrong one fails the test.
wrong=0
check() { # ACTUAL EXPECTED WHAT
	if [ "$1" = "$2" ]; then
		echo "ok: $3"
	else
		echo "WRONG: $3: got '$1', expected '$2'"
		wrong=$((wrong + 1))
	fi
}
calls=$((runs * lanes * n))
check "$(hits "$E")" $calls "memfrob entry probe (fetched arguments): $runs runs x $lanes lanes x $n"
check "$(hits "$R")" $calls "a64l return probe"
check "$(hits "$Xe")" $calls "swab exit group: entries"
check "$(hits "$Xx")" $calls "swab exit group: exits"
check "$(hits "$S")" $((runs * k)) "SDT sdtprog:tick: $runs runs x $k"
check "$(hits "$H")" $((runs * k)) "SDT sdtlib:hit"
[ "$(hits "$M")" -gt 0 ] || fail "malloc never hit"
[ "$(hits "$F")" -gt 0 ] || fail "fork never returned"
echo "hits of the probes everything hits: malloc $(hits "$M") fork-returns $(hits "$F") getenv $(hits "$G") pthread_create-returns $(hits "$P") open64 $(hits "$O") mmap64 $(hits "$MM")"

# Every event of the exact probes delivered or counted as lost.
set -- $(head -1 "$d/rx")
ev=$2 lost=$4
check "$6" 0 "exact reader: bad records"
check $((ev + lost)) $((4 * calls)) "exact reader: events + lost"
if [ "$lost" = 0 ]; then
	check "$(grep "^id $E " "$d/rx")" "id $E n $calls sum $((runs * lensum))" "memfrob events: the lengths fetched"
	check "$(grep "^id $R " "$d/rx")" "id $R n $calls sum $((runs * a64lsum))" "a64l events: the values returned"
	check "$(grep "^id $Xe " "$d/rx" | cut -d' ' -f1-4)" "id $Xe n $calls" "swab entry events"
	check "$(grep "^id $Xx " "$d/rx" | cut -d' ' -f1-4)" "id $Xx n $calls" "swab exit events"
	check "$8" 0 "memfrob events: each thread's strings in sequence"
else
	echo "exact reader: $lost events lost (a slow reader): only the total is exact"
fi
set -- $(cat "$d/rall")
check "$6" 0 "reader of everything: bad records"
# The trace of the SDT points: every line right, printed + lost = hits.
lost=$(sed -n 's/^uprobectl: \([0-9]*\) events lost in all$/\1/p' "$d/ticks.err")
check $(($(wc -l < "$d/ticks") + ${lost:-0})) $((2 * runs * k)) "trace of the SDT points: printed + lost"
check "$(awk '/ sdtprog:tick: / { split($6, a, "="); split($7, b, "="); if (b[2] != -a[2]) bad++ }
	/ sdtlib:hit: / { split($6, a, "="); split($7, b, "="); if (b[2] != 3 * a[2]) bad++ }
	!/ sdtprog:tick: | sdtlib:hit: / { bad++ } END { print bad + 0 }' "$d/ticks")" 0 \
	"trace of the SDT points: arguments"

uprobectl del --all > /dev/null || fail "del --all"
rm -rf "$d"
unload
# What the module said about calls it did not follow (at unload).
dmesg | grep 'uprobectl: .*not followed' | tail -n 1
[ $wrong = 0 ] || fail "$wrong wrong (above)"
