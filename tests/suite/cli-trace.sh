# SPDX-License-Identifier: GPL-2.0
# uprobectl trace: 1,000,000 hits into /dev/null lose nothing; a stopped
# trace never holds up the program, and reports the loss when it goes on;
# --pid and id filters, --count, --duration, the line format.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
started() { while ! grep -q tracing "$1"; do sleep 0.05; done; }
# Wait for trace PID to end by itself for up to SECONDS, then ^C it.
finish() { # PID SECONDS
	local i=0
	while kill -0 $1 2>/dev/null && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	kill -INT $1 2>/dev/null
	wait $1
}
id=$(uprobectl add target:target_func) || fail "add by symbol"
n=1000000
# A buffer that holds the whole burst: under TCG the program can run
# twice as fast as the reader formats lines.
uprobectl trace --buffer-size 128M --count $n "$id" > /dev/null 2> "$d/big.err" &
tr=$!
started "$d/big.err"
start=$(date +%s)
target loop $n > /dev/null
echo "target: $(($(date +%s) - start)) s"
finish $tr 300 || fail "trace exited $?"
echo "trace: $(($(date +%s) - start)) s"
cat "$d/big.err"
grep -q lost "$d/big.err" && fail "1,000,000 hits: events lost"
echo "ok: 1,000,000 hits traced, none lost"

# Stopped with SIGSTOP: the program completes; the loss is reported.
uprobectl trace --buffer-size 8K "$id" > "$d/st" 2> "$d/st.err" &
tr=$!
started "$d/st.err"
kill -STOP $tr
ref=$(target loop 1000)
target loop 20000 > /dev/null || fail "target exited $? while trace was stopped"
kill -CONT $tr
prev=-1
while [ "$(wc -l < "$d/st")" != "$prev" ]; do prev=$(wc -l < "$d/st"); sleep 1; done
kill -INT $tr
wait $tr || fail "trace exited $?"
cat "$d/st.err"
grep -q "events lost here" "$d/st.err" || fail "no loss reported in the stream"
lost=$(sed -n 's/^uprobectl: \([0-9]*\) events lost in all$/\1/p' "$d/st.err")
[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no total loss reported"
assert_eq $(($(wc -l < "$d/st") + lost)) 21000 "printed + lost = hits"

# Line format, --count, the pid filter.
target wait 5 > "$d/w" &
w=$!
wait_ready "$d/w"
uprobectl trace --pid $w --count 5 > "$d/p" 2> "$d/p.err" &
tr=$!
started "$d/p.err"
target loop 7 > /dev/null
kill -USR1 $w
wait $w
wait $tr || fail "trace --pid exited $?"
cat "$d/p"
assert_eq "$(wc -l < "$d/p")" 5 "--count 5"
assert_eq "$(grep -Ec "^[0-9]+\.[0-9]{6} \[[0-9]{3}\] target $w/[0-9]+ target_func:\$" "$d/p")" 5 "--pid: that process only, line format"
# --duration ends a quiet trace; an unknown id is an error.
start=$(date +%s)
uprobectl trace --duration 1 "$id" > "$d/q" 2>&1 || fail "trace --duration exited $?"
[ $(($(date +%s) - start)) -lt 10 ] || fail "--duration 1 took too long"
uprobectl trace 99999 > "$d/bad" 2>&1 && fail "trace of a missing id succeeded"
grep -q "no probe with id 99999" "$d/bad" || fail "missing id: $(cat "$d/bad")"
uprobectl del --all
unload
