# SPDX-License-Identifier: GPL-2.0
# Hit events: 1,000,000 hits with a reader writing every event to
# /dev/null (as read), its ring large enough for all, lose nothing and every event is there (per-thread argument
# sequences have no gap); filters by probe id and by pid; a reader
# stopped with SIGSTOP never holds up the probed program, and what it
# gets plus what it is told it lost equals the hits.
. "$SUITE/lib.sh"
load
n=1000000
id=$(uprobectl add "$(where target_func)") || fail "add"
d=$(mktemp -d)
# A ring that holds the whole burst (112 bytes an event): nothing depends
# on the reader keeping up with the program, whatever the host's speed.
evread -i "$id" -r $((128 << 20)) -n $n -s -o /dev/null > "$d/ev" 2> "$d/ready" &
rd=$!
wait_ready "$d/ready"
ref=$(target loop $n)
wait $rd || fail "evread exited $?"
assert_eq "$(cat "$d/ev")" "events $n lost 0 gaps 0 bad 0" "1,000,000 events, none lost"
assert_eq "$(hits "$id")" $n "hits"
uprobectl del --all

# Filters: by probe id, by pid; persistent probes reach any subscriber.
a=$(uprobectl add "$(where target_func)") || fail "add a"
b=$(uprobectl add "$(where target_func2)") || fail "add b"
evread -i "$b" -t "$d/b.txt" > "$d/evb" 2> "$d/rb" &
rb=$!
evread > "$d/evall" 2> "$d/rall" &
rall=$!
target wait 300 > "$d/t1" &
t1=$!
wait_ready "$d/t1"
evread -p $t1 -t "$d/p.txt" > "$d/evp" 2> "$d/rp" &
rp=$!
wait_ready "$d/rb"
wait_ready "$d/rall"
wait_ready "$d/rp"
target both 200 > /dev/null
kill -USR1 $t1
wait $t1 || fail "target wait exited $?"
sleep 0.5
kill -TERM $rb $rall $rp
wait $rb || fail "evread -i exited $?"
wait $rall || fail "evread exited $?"
wait $rp || fail "evread -p exited $?"
assert_eq "$(cat "$d/evb")" "events 200 lost 0 gaps 0 bad 0" "probe filter: target_func2's hits only"
assert_eq "$(cat "$d/evall")" "events 700 lost 0 gaps 0 bad 0" "no filter: every hit"
assert_eq "$(cat "$d/evp")" "events 300 lost 0 gaps 0 bad 0" "pid filter: that process's hits only"
assert_eq "$(awk '{ print $5 }' "$d/b.txt" | sort -u)" "$b" "probe id in the events"
assert_eq "$(awk '{ print $4 }' "$d/p.txt" | cut -d/ -f1 | sort -u)" "$t1" "pid in the events"
assert_eq "$(awk '{ print $3 }' "$d/p.txt" | sort -u)" "target" "comm in the events"
uprobectl del --all

# A stopped reader with a small ring: the program runs to completion.
id=$(uprobectl add "$(where target_func)") || fail "add"
evread -i "$id" -r 8192 -n 20000 -s > "$d/evs" 2> "$d/rs" &
rs=$!
wait_ready "$d/rs"
kill -STOP $rs
target loop 20000 > /dev/null || fail "target exited $? while the reader was stopped"
kill -CONT $rs
wait $rs || fail "evread exited $?"
set -- $(cat "$d/evs")
echo "stopped reader: $*"
assert_eq $(($2 + $4)) 20000 "delivered + lost"
[ "$4" -gt 0 ] || fail "a 64-event ring lost nothing"
assert_eq "$8" 0 "bad records"
assert_eq "$(hits "$id")" 20000 "hits"
uprobectl del --all
unload
