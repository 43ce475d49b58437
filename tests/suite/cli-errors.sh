# SPDX-License-Identifier: GPL-2.0
# Every CLI failure names the problem and the fix; exit status 1 for
# errors, 2 for usage; --help on every command.
. "$SUITE/lib.sh"
d=$(mktemp -d)
check() { # WHAT STATUS SUBSTRING CMD...
	what=$1 want=$2 text=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | head -5
	assert_eq $rc "$want" "$what: exit status"
	echo "$out" | grep -qF -- "$text" || fail "$what: message lacks '$text'"
}
check "module not loaded" 1 "run 'modprobe uprobectl'" uprobectl list
load
check "not root" 1 "run as root" open_as exec-nobody uprobectl list
check "no such symbol" 1 "no function 'target_fun' in" uprobectl add target:target_fun
check "close matches" 1 "close matches: target_func" uprobectl add target:target_fun
check "not on a boundary" 1 "is inside the" uprobectl add target:target_func+1
check "refused instruction" 1 "ud2: raises #UD by design" uprobectl add target:bad_ud2
check "no such program" 1 "not found in \$PATH" uprobectl add nosuchprog:main
check "no such library" 1 "not found" uprobectl add libnosuch:f
check "bad fetch argument" 2 "unknown register" uprobectl add target:target_func %foo
check "retval without --ret" 2 "needs a return probe" uprobectl add target:target_func '$retval'
check "no such pid" 1 "no process with pid 99999" uprobectl add --pid 99999 target:target_func
check "bad target" 2 "is not PATH:SYMBOL" uprobectl add target
check "missing id" 1 "no probe with id 4242" uprobectl del 4242
check "unknown command" 2 "unknown command" uprobectl frobnicate
check "add without target" 2 "usage: uprobectl add" uprobectl add
check "bad --count" 2 "--count takes a positive number" uprobectl trace --count x
check "run without --" 2 "needs a COMMAND" uprobectl run target:target_func --
check "symbols of a missing file" 1 "cannot open /nonexistent" uprobectl symbols /nonexistent
for c in add del list stats trace run symbols version; do
	uprobectl $c --help > "$d/h" 2>&1 || fail "$c --help exited $?"
	grep -q "^usage: uprobectl $c" "$d/h" || grep -q "^usage" "$d/h" || fail "$c --help: $(cat "$d/h")"
done
echo "ok: --help on every command"
uprobectl symbols target 'target_func*' > "$d/s" || fail "symbols"
cat "$d/s"
assert_eq "$(awk 'NR > 1 { print $3 }' "$d/s" | sort | tr '\n' ' ')" "target_func target_func2 " "symbols with a pattern"
set -- $(target offset target_func)
assert_eq "$(awk '$3 == "target_func" { print $1 }' "$d/s")" "$(printf '0x%016x' $2)" "symbols: file offset"
assert_eq "$(uprobectl add --dry-run target:target_func)" "$1 $2 target_func" "dry run resolves like the process's own map"
unload
