# SPDX-License-Identifier: GPL-2.0
# uprobectl run: probes only COMMAND and its children, for as long as it
# runs; prints the hits; exits with COMMAND's status; leaves nothing.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
ref=$(target fork 100)
# Another process running the same code is not counted.
target wait 50 > "$d/w" &
w=$!
wait_ready "$d/w"
out=$(uprobectl run target:target_func 'x=%di:u32' target:target_func2 -- target fork 100 2> "$d/err") ||
	fail "run exited $?"
kill -USR1 $w
wait $w
cat "$d/err"
assert_eq "$out" "$ref" "output of the command"
assert_eq "$(awk '$2 == "target_func" { print $1 }' "$d/err")" 200 "parent and child: 200 hits"
assert_eq "$(awk '$2 == "target_func2" { print $1 }' "$d/err")" 0 "target_func2: 0 hits"
assert_eq "$(uprobectl list --json)" "[]" "probes gone after run"
# Exit status, JSON table, and --trace of a forking command.
uprobectl run target:target_func -- sh -c 'target loop 3 > /dev/null; exit 7'
assert_eq $? 7 "COMMAND's exit status"
uprobectl run --json --trace target:target_func -- target fork 2 > "$d/js" 2> "$d/js.err" ||
	fail "run --json exited $?"
cat "$d/js"
assert_eq "$(grep -c '"name":"target_func","ip"' "$d/js")" 4 "--trace: 4 events (2 + 2 forked)"
assert_eq "$(grep -c '"comm":"target"' "$d/js")" 4 "--trace: comm"
assert_eq "$(grep -o '"pid":[0-9]*' "$d/js" | sort -u | wc -l)" 2 "--trace: two processes"
tail -1 "$d/js" | grep -Eq '^\{"status":0,"probes":\[\{"id":[0-9]+,"name":"target_func","path":"[^"]*/target","offset":[0-9]+,"hits":4\}\]\}$' ||
	fail "run --json table: $(tail -1 "$d/js")"
# A command that cannot run.
uprobectl run target:target_func -- /nonexistent/cmd > "$d/nx" 2>&1
assert_eq $? 127 "missing command: 127"
grep -q "cannot run '/nonexistent/cmd'" "$d/nx" || fail "missing command message: $(cat "$d/nx")"
assert_eq "$(uprobectl list --json)" "[]" "nothing left"
unload
