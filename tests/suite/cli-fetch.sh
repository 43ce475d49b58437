# SPDX-License-Identifier: GPL-2.0
# Fetch arguments of every form give the values the program passed, read
# by the module at each hit; bad addresses give the marked value. Through
# 'run --trace', 'trace' (text and JSON), and the C API example.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
fp=$SUITE/bin/fetchprog
set -- $(fetchprog addrs)
g=$1 gs=$2
ref=$(fetchprog 3)
args="a=%di:s32 a1=\$arg1:s32 b=%si:u64 bx=%rsi:x64 s=+0(%dx):string i=+0(%cx):s32
	sh=+4(%cx):s16 c=+6(%cx):s8 cu=+6(%cx):u8 v=+0(+8(%cx)):s64
	name=+0(+8(+8(%cx))):string g=@$g:x64 gs=@$gs:string bad=+0(%r8):u64
	bads=+0(%r9):string"
want='a=-5 a1=-5 b=1234567890123 bx=0x11f71fb04cb s="hello world" i=42 sh=-7 c=-3 cu=253 v=-99 name="inner name" g=0x1122334455667788 gs="global string" bad=(fault) bads=(fault)'

# run --trace: one line per call, the program's output unchanged.
uprobectl run --trace "$fp:fa_func" $args -- fetchprog 3 > "$d/run" 2> "$d/run.err" ||
	fail "run exited $?: $(cat "$d/run.err")"
cat "$d/run" "$d/run.err"
assert_eq "$(grep -c ' fa_func: ' "$d/run")" 3 "three events"
assert_eq "$(grep ' fa_func: ' "$d/run" | sed 's/.* fa_func: //' | sort -u)" "$want" "every value"
assert_eq "$(grep '^sum' "$d/run")" "$ref" "program output"
grep -q '^ *3  fa_func ' "$d/run.err" || fail "hit table: $(cat "$d/run.err")"

# A persistent probe and 'trace': the same values, and in JSON.
id=$(uprobectl add "$fp:fa_func" $args) || fail "add"
uprobectl list
uprobectl list | grep -q 'name=+0(+8(+8(%cx))):string' || fail "list shows the arguments"
uprobectl trace --count 2 "$id" > "$d/tr" 2> "$d/tr.err" &
tr=$!
uprobectl trace --json --count 2 "$id" > "$d/js" 2> "$d/js.err" &
js=$!
while ! grep -q tracing "$d/tr.err" || ! grep -q tracing "$d/js.err"; do sleep 0.05; done
fetchprog 2 > /dev/null
wait $tr || fail "trace exited $?"
wait $js || fail "trace --json exited $?"
cat "$d/tr" "$d/js"
assert_eq "$(sed 's/.* fa_func: //' "$d/tr" | sort -u)" "$want" "trace: every value"
grep -Eq '^[0-9]+\.[0-9]{6} \[[0-9]{3}\] fetchprog [0-9]+/[0-9]+ fa_func: ' "$d/tr" ||
	fail "trace line format"
# JSON: numbers for u and s, strings for x and string, null for a fault.
wj='"args":{"a":-5,"a1":-5,"b":1234567890123,"bx":"0x11f71fb04cb","s":"hello world","i":42,"sh":-7,"c":-3,"cu":253,"v":-99,"name":"inner name","g":"0x1122334455667788","gs":"global string","bad":null,"bads":null}}'
assert_eq "$(grep -o '"args":.*' "$d/js" | sort -u)" "$wj" "trace --json: every value"
assert_eq "$(grep -c "^{\"time_ns\":[0-9]*,\"cpu\":[0-9]*,\"comm\":\"fetchprog\",\"pid\":[0-9]*,\"tid\":[0-9]*,\"id\":$id,\"name\":\"fa_func\",\"ip\":\"0x[0-9a-f]*\"," "$d/js")" 2 "trace --json: fields"
uprobectl del "$id"

# A string in a page not present at the hit (mapped from a file just
# before, untouched): read once the task may fault it in, not a fault.
uprobectl run --trace "$fp:fa_func" 's=+0(%dx):string' -- fetchprog fresh 3 > "$d/fr" 2> "$d/fr.err" ||
	fail "run exited $?: $(cat "$d/fr.err")"
cat "$d/fr"
assert_eq "$(grep ' fa_func: ' "$d/fr" | sed 's/.* fa_func: //' | sort | uniq -c | tr -s ' ')" \
	' 3 s="fresh page string"' "a page not present at the hit"

# Limits: 16 arguments at most, strings cut at 255 bytes.
many=
for i in $(seq 17); do many="$many x$i=%di"; done
out=$(uprobectl add "$fp:fa_func" $many 2>&1) && fail "17 arguments accepted"
echo "$out" | grep -q "more than 16 fetch arguments" || fail "17 arguments: $out"

# The C API example: add with two arguments, read events, remove.
set -- $(uprobectl add --dry-run "$fp:fa_func")
probe-events "$1" "$2" 3 > "$d/ex" &
ex=$!
while ! grep -q added "$d/ex"; do sleep 0.05; done
fetchprog 3 > /dev/null
wait $ex || fail "probe-events exited $?"
cat "$d/ex"
assert_eq "$(grep -c '^hit pid [0-9]* tid [0-9]* arg1 -5 arg2 1234567890123$' "$d/ex")" 3 "example: three hits"
grep -q "^probe [0-9]* removed" "$d/ex" || fail "example: removed"
assert_eq "$(uprobectl list --json)" "[]" "no probe left"
unload
