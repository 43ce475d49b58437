# SPDX-License-Identifier: GPL-2.0
# Return probes (--ret: the return address replaced) and exit probes
# (--exit: every ret and jump out, the stack untouched), each held against
# what the program itself computed: exact counts and return values for
# recursive, nested and threaded functions, tail calls, longjmp out of a
# probed call, signals taken inside one, fork and exit inside one; the
# program's output unchanged; the latency histograms of 'run --latency'.
. "$SUITE/lib.sh"
load

# FIELD of probe NAME in the JSON summary of 'run --json' (in $OUT).
pj() { # NAME FIELD
	echo "$OUT" | tr '{' '\n' | grep "\"name\":\"$1\"" |
		tr ',' '\n' | sed -n "s/^\"$2\":\"*\([^\"}]*\).*/\1/p" | head -1
}
# FIELD of the latency object following probe NAME.
lat() { # NAME FIELD
	echo "$OUT" | tr '{' '\n' | grep -A1 "\"name\":\"$1\"" | tail -1 |
		tr ',' '\n' | sed -n "s/^\"$2\":\([0-9]*\).*/\1/p" | head -1
}
# Sum of the r= values in the trace lines of probe NAME (in $OUT).
rsum() { # NAME
	echo "$OUT" | grep " $1:" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^r=/) s += substr($i, 3) } END { print s + 0 }'
}
runj() { # KIND TARGETS... -- COMMAND
	local k=$1
	shift
	OUT=$(uprobectl run --json "$k" "$@") || fail "run $k $*: status $?: $OUT"
}

for kind in --ret --exit; do
	k=${kind#--}
	[ "$k" = ret ] && k=return

	# Recursion: every call counted once, at its own return, as many as
	# an instruction probe on the entry counts (gcc turned half of fib's
	# recursion into a loop: the program's own count is higher).
	ref=$(retprog fib 18)
	entry=$(uprobectl add retprog:fib) || fail "add fib"
	runj $kind retprog:fib -- retprog fib 18
	calls=$(hits "$entry")
	uprobectl del "$entry"
	[ "$calls" -gt 1000 ] || fail "fib: only $calls calls"
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind fib: output unchanged"
	assert_eq "$(pj "fib%$k" hits)" "$calls" "$kind fib: $calls returns"
	if [ "$kind" = --exit ]; then
		assert_eq "$(pj "fib%$k" calls)" "$calls" "$kind fib: $calls entries"
	fi

	# Nested: three functions inside one another, return values exact.
	ref=$(retprog nested 300)
	OUT=$(uprobectl run --trace $kind retprog:outer 'r=$retval:s64' retprog:mid 'r=$retval:s64' \
		retprog:inner 'r=$retval:s64' -- sh -c 'retprog nested 300 > /tmp/r.out') ||
		fail "run nested"
	assert_eq "$(cat /tmp/r.out)" "$ref" "$kind nested: output unchanged"
	assert_eq "$(echo "$OUT" | grep -c " outer%$k:")" 300 "$kind nested: 300 outer returns"
	assert_eq "$(echo "$OUT" | grep -c " mid%$k:")" 300 "$kind nested: 300 mid returns"
	assert_eq "$(echo "$OUT" | grep -c " inner%$k:")" 300 "$kind nested: 300 inner returns"
	# sum of inner(i) = i + 1 for i < 300; outer's is the program's sum.
	assert_eq "$(rsum "inner%$k")" 45150 "$kind nested: inner's return values"
	assert_eq "nested sum $(rsum "outer%$k")" "$ref" "$kind nested: outer's return values"

	# Threads: 4 x 2000 calls, each return value reported.
	ref=$(retprog threads 4 2000)
	OUT=$(uprobectl run --trace $kind retprog:work 'r=$retval:s64' -- \
		sh -c 'retprog threads 4 2000 > /tmp/r.out') || fail "run threads"
	assert_eq "$(cat /tmp/r.out)" "$ref" "$kind threads: output unchanged"
	assert_eq "$(echo "$OUT" | grep -c " work%$k:")" 8000 "$kind threads: 8000 returns"
	assert_eq "threads sum $(rsum "work%$k")" "$ref" "$kind threads: return values"

	# A tail call: tail_a ends by jumping to tail_b.
	ref=$(retprog tail 500)
	runj $kind retprog:tail_a retprog:tail_b -- retprog tail 500
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind tail: output unchanged"
	assert_eq "$(pj "tail_a%$k" hits)" 500 "$kind tail: 500 tail_a exits"
	assert_eq "$(pj "tail_b%$k" hits)" 500 "$kind tail: 500 tail_b returns"

	# A conditional tail call: an exit only when its jump is taken.
	ref=$(retprog condtail 400)
	runj $kind retprog:condtail retprog:tail_b -- retprog condtail 400
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind condtail: output unchanged"
	assert_eq "$(pj "condtail%$k" hits)" 400 "$kind condtail: 400 exits (200 by the jump)"
	assert_eq "$(pj "tail_b%$k" hits)" 200 "$kind condtail: 200 tail_b returns"
	if [ "$kind" = --exit ]; then
		assert_eq "$(pj "condtail%$k" calls)" 400 "$kind condtail: 400 entries"
	fi

	# longjmp out of a probed call, 2000 times: none returns, and the
	# stale frames go (were they kept, the depth limit would lose work's).
	ref=$(retprog longjmp 2000 3000)
	runj $kind retprog:jumper retprog:work -- retprog longjmp 2000 3000
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind longjmp: output unchanged"
	assert_eq "$(pj "jumper%$k" hits)" 0 "$kind longjmp: jumper never returns"
	assert_eq "$(pj "work%$k" hits)" 3000 "$kind longjmp: then 3000 exact returns"

	# A signal handler (calling a probed function) runs inside one.
	ref=$(retprog signal 200)
	runj $kind retprog:sigfn retprog:work -- retprog signal 200
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind signal: output unchanged"
	assert_eq "$(pj "sigfn%$k" hits)" 200 "$kind signal: 200 sigfn returns"
	assert_eq "$(pj "work%$k" hits)" 200 "$kind signal: 200 returns in the handler"

	# The same on an alternate signal stack above the thread's own stack.
	ref=$(retprog altstack 200)
	runj $kind retprog:sigfn2 retprog:work -- retprog altstack 200
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind altstack: output unchanged"
	assert_eq "$(pj "sigfn2%$k" hits)" 200 "$kind altstack: 200 sigfn2 returns"
	assert_eq "$(pj "work%$k" hits)" 200 "$kind altstack: 200 returns on the alternate stack"

	# A coroutine: co_fn's stack is left for main's and come back to.
	ref=$(retprog coro 300)
	runj $kind retprog:co_fn retprog:work -- retprog coro 300
	assert_eq "$(echo "$OUT" | head -1)" "$ref" "$kind coroutine: output unchanged"
	assert_eq "$(pj "co_fn%$k" hits)" 300 "$kind coroutine: 300 co_fn returns"
	assert_eq "$(pj "work%$k" hits)" 300 "$kind coroutine: 300 work returns meanwhile"

	# fork inside: parent and child both return from it.
	runj $kind retprog:forker -- retprog fork 20
	assert_eq "$(echo "$OUT" | grep "^fork sum")" "fork sum 190" "$kind fork: parent's output"
	assert_eq "$(echo "$OUT" | grep -c "^child")" 20 "$kind fork: 20 children"
	assert_eq "$(pj "forker%$k" hits)" 40 "$kind fork: 40 returns"

	# exit inside: the pending call goes with the process.
	OUT=$(uprobectl run --json $kind retprog:exiter -- retprog exit)
	assert_eq "$?" 3 "$kind exit: the program's status"
	assert_eq "$(pj "exiter%$k" hits)" 0 "$kind exit: no return"

	# Latency: holder sleeps 1 ms inside; 40 calls timed, none below it.
	runj $kind --latency retprog:holder -- retprog hold 1 40
	assert_eq "$(lat "holder%$k" count)" 40 "$kind latency: 40 calls timed"
	avg=$(( $(lat "holder%$k" sum_ns) / 40 ))
	[ "$avg" -ge 1000000 ] || fail "$kind latency: average $avg ns, below the 1 ms slept"
	echo "ok: $kind latency: average $avg ns"
	uprobectl run --latency $kind retprog:holder -- retprog hold 1 10 2>&1 | grep -q "nsecs" ||
		fail "$kind latency: no histogram printed"
done

# C++ exceptions thrown through a function with exit probes: every catch
# reached; the 50 throws through it are calls without an exit.
ref=$(cxxthrow 50 | cut -d' ' -f1-2)
runj --exit cxxthrow:cxx_middle -- cxxthrow 50
assert_eq "$(echo "$OUT" | head -1 | cut -d' ' -f1-2)" "$ref" "C++ throw through --exit: catches reached"
assert_eq "$(pj "cxx_middle%exit" calls)" 100 "C++: 100 calls"
assert_eq "$(pj "cxx_middle%exit" hits)" 50 "C++: 50 returns, 50 throws"
# --ret would put the trampoline in the unwinder's way: the CLI says so.
uprobectl add --ret --dry-run cxxthrow:cxx_middle 2>&1 | grep -q "exception thrown through" ||
	fail "no word about exceptions for --ret on C++ code"
echo "ok: --ret on C++ code comes with a note"

# The ioctl's checks of the new fields.
set -- $(uprobectl add --dry-run retprog:work)
errno_of() { adderr "$@" | cut -d: -f1; }
assert_eq "$(errno_of $1 $2 0 0 4)" EINVAL "kind 4"
assert_eq "$(errno_of $1 $2 0 0 0 1)" EINVAL "a group for an instruction probe"
assert_eq "$(errno_of $1 $2 0 0 2 999999)" ENOENT "an exit probe's group that does not exist"
plain=$(ADDERR_PERSISTENT=1 adderr $1 $2 | sed -n 's/^OK //p')
assert_eq "$(errno_of $1 $2 0 0 2 "$plain")" ENOENT "a group that is no entry probe"
assert_eq "$(errno_of $1 $2 0 0 0 0 retval)" EINVAL "\$retval on an instruction probe"
assert_eq "$(adderr $1 $2 0 0 3 0 retval | cut -d' ' -f1)" OK "\$retval on a return probe"
uprobectl del --all

# A return probe (by raw ioctl) on an instruction where the top of the
# stack is no return address: the stack is left alone, nothing reported.
ref=$(retprog mid 500)
set -- $(uprobectl add --dry-run retprog:midfn+2)
id=$(ADDERR_PERSISTENT=1 adderr $1 $2 0 0 3 | sed -n 's/^OK //p')
[ -n "$id" ] || fail "return probe at midfn+2"
assert_eq "$(retprog mid 500)" "$ref" "a return probe off a function's entry: output unchanged"
assert_eq "$(hits "$id")" 0 "... and nothing reported"
uprobectl del "$id"

# A thread's start routine, called through a pointer (ff /2): followed.
runj --ret retprog:thr_main -- retprog threads 3 10
assert_eq "$(pj "thr_main%return" hits)" 3 "3 threads' start routines returned"

# A persistent return probe on a running program, deleted while calls are
# pending: the program goes on with its return addresses intact.
# The program runs until told to stop, however slow the host.
retprog hold 2 > /tmp/hold.out &
pid=$!
wait_ready /tmp/hold.out
id=$(uprobectl add --ret retprog:holder) || fail "add --ret"
tries=0
while [ "$(hits "$id")" -lt 20 ]; do
	tries=$((tries + 1))
	[ $tries -lt 1000 ] || fail "no returns seen"
	sleep 0.01
done
uprobectl del "$id" || fail "del"
kill -USR1 $pid
wait $pid || fail "the program failed after del"
assert_eq "$(tail -n 1 /tmp/hold.out)" "hold ok" "output after del with calls pending"

# The exit probes of a group go with their entry probe.
places=$(uprobectl add --exit --dry-run retprog:fib | wc -l)
ids=$(uprobectl add --exit retprog:fib) || fail "add --exit"
assert_eq "$(echo "$ids" | wc -l)" "$places" "fib: an entry probe and its exits"
uprobectl del "$(echo "$ids" | head -1)" || fail "del entry"
assert_eq "$(uprobectl list --json)" "[]" "the group went with its entry"
unload
