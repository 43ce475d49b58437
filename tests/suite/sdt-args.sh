# SPDX-License-Identifier: GPL-2.0
# SDT probes through 'run': arguments come from each note's spec (arg0,
# arg1, with size and sign; registers, stack memory, a global variable
# rip-relative), hits are exact over three processes at once,
# the program sees its semaphores raised at every call, and libstdc++'s own
# probes (libstdcxx:throw, libstdcxx:catch) fire with the exception's type
# in a C++ program that throws and catches.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
prog=$SUITE/bin/sdtprog lib=$SUITE/bin/libsdt.so
uprobectl sdt "$prog" | tee "$d/sdt"
grep -Eq '^sdtprog +tick +0x[0-9a-f]+ +0x[0-9a-f]+ +-8@' "$d/sdt" || fail "sdt listing"

n=40
uprobectl run --trace "usdt:$prog:sdtprog:tick" "usdt:$lib:sdtlib:hit" "usdt:$prog:global" \
	"usdt:$prog:twice" -- \
	sh -c "sdtprog loop $n > $d/p1 & sdtprog loop $n > $d/p2 & sdtprog loop $n > $d/p3; wait" \
	> "$d/run" 2> "$d/table" || fail "run exited $?: $(cat "$d/table")"
cat "$d/table"
assert_eq "$(cat "$d/p1" "$d/p2" "$d/p3")" "$(for i in 1 2 3; do echo "sum $((n * (n - 1) / 2)) enabled $n $n"; done)" \
	"each process saw both semaphores raised at every call"
assert_eq "$(grep -c ' sdtprog:tick: ' "$d/run")" $((3 * n)) "tick events"
assert_eq "$(grep -c ' sdtlib:hit: ' "$d/run")" $((3 * n)) "hit events"
assert_eq "$(grep ' sdtprog:tick: ' "$d/run" | awk '{ print $4 }' | sort -u | wc -l)" 3 \
	"events from three processes"
# Every i from 0 to n-1, three times, with its pair: tick(i, -i), hit(i, 3i).
want=$(i=0; while [ $i -lt $n ]; do echo "arg0=$i arg1=-$i"; i=$((i + 1)); done | sed 's/=-0$/=0/' | sort)
assert_eq "$(grep ' sdtprog:tick: ' "$d/run" | sed 's/.* sdtprog:tick: //' | sort | uniq -c | awk '$1 == 3 { $1 = ""; print substr($0, 2) }' | sort)" \
	"$want" "tick's arguments"
want=$(i=0; while [ $i -lt $n ]; do echo "arg0=$i arg1=$((3 * i))"; i=$((i + 1)); done | sort)
assert_eq "$(grep ' sdtlib:hit: ' "$d/run" | sed 's/.* sdtlib:hit: //' | sort | uniq -c | awk '$1 == 3 { $1 = ""; print substr($0, 2) }' | sort)" \
	"$want" "hit's arguments"
# A global variable, read rip-relative from the probe's address.
want=$(i=1; while [ $i -le $n ]; do echo "arg0=$((1000 + i))"; i=$((i + 1)); done | sort)
assert_eq "$(grep ' sdtprog:global: ' "$d/run" | sed 's/.* sdtprog:global: //' | sort | uniq -c | awk '$1 == 3 { $1 = ""; print substr($0, 2) }' | sort)" \
	"$want" "global's argument (8@sdt_global_counter(%rip))"
# One point in two places (an inlined function): both probed, one name.
assert_eq "$(grep -c ' sdtprog:twice: ' "$d/run")" $((3 * (n + n / 2))) "twice events"
want=$(i=0; while [ $i -lt $n ]; do echo "arg0=$i"; [ $((i % 2)) = 1 ] && echo "arg0=-$i"; i=$((i + 1)); done | sort)
assert_eq "$(grep ' sdtprog:twice: ' "$d/run" | sed 's/.* sdtprog:twice: //' | sort | uniq -c | awk '$1 == 3 { $1 = ""; print substr($0, 2) }' | sort)" \
	"$want" "twice's arguments, from both places"
grep -Eq "^ +$((3 * (n + n / 2)))  sdtprog:twice " "$d/table" || fail "hit table: twice's places summed"
grep -Eq "^ +$((3 * n))  sdtprog:tick " "$d/table" || fail "hit table"
ids=$(uprobectl add "usdt:$prog:twice") || fail "add twice"
assert_eq "$(echo "$ids" | wc -l)" 2 "one id per place"
assert_eq "$(uprobectl list | grep -c ' sdtprog:twice ')" 2 "two probes listed"
uprobectl del $ids > /dev/null || fail "del twice"

# libstdc++'s probes: throw(object, typeinfo) and catch(object, typeinfo).
ref=$(cxxthrow 5)
uprobectl run --trace usdt:libstdc++.so.6:libstdcxx:throw usdt:libstdc++.so.6:libstdcxx:catch \
	-- cxxthrow 5 > "$d/cxx" 2> "$d/cxx.err" || fail "run cxxthrow exited $?: $(cat "$d/cxx.err")"
cat "$d/cxx" "$d/cxx.err"
ti=$(grep '^caught' "$d/cxx" | cut -d' ' -f4)
assert_eq "$(grep '^caught' "$d/cxx" | cut -d' ' -f1-2)" "caught 5" "the program caught every throw"
[ "$(echo "$ref" | cut -d' ' -f1-2)" = "caught 5" ] || fail "cxxthrow alone: $ref"
assert_eq "$(grep -c ' libstdcxx:throw: ' "$d/cxx")" 5 "throw events"
assert_eq "$(grep -c ' libstdcxx:catch: ' "$d/cxx")" 5 "catch events"
assert_eq "$(grep ' libstdcxx:throw: ' "$d/cxx" | sed 's/.* arg1=//' | sort -u)" "$ti" \
	"throw's type_info is std::runtime_error's"
assert_eq "$(grep ' libstdcxx:catch: ' "$d/cxx" | sed 's/.* arg1=//' | sort -u)" "$ti" \
	"catch's type_info is std::runtime_error's"
# The object thrown is the one caught.
assert_eq "$(grep ' libstdcxx:throw: ' "$d/cxx" | sed 's/.* arg0=\([0-9-]*\).*/\1/')" \
	"$(grep ' libstdcxx:catch: ' "$d/cxx" | sed 's/.* arg0=\([0-9-]*\).*/\1/')" \
	"the same objects thrown and caught"
rm -rf "$d"
unload
