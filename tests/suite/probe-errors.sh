# SPDX-License-Identifier: GPL-2.0
# Each validation failure has its own message (and errno, from C).
. "$SUITE/lib.sh"
load
expect_err() { # WHAT EXPECTED-SUBSTRING ARGS...
	what=$1 want=$2
	shift 2
	out=$(uprobectl add "$@" 2>&1) && fail "$what: add succeeded: $out"
	echo "$out"
	echo "$out" | grep -qF -- "$want" || fail "$what: message lacks '$want'"
	echo "ok: $what"
}
set -- $(target offset bad_ud2)
ud2=$2
set -- $(target offset bad_invalid)
inv=$2
set -- $(target offset bad_jmpfs)
jmpfs=$2
t=$SUITE/bin/target
expect_err "not a regular file" "not a regular file" /dev/null:0x0
expect_err "no such file" "cannot open /nonexistent" /nonexistent:0x10
expect_err "not ELF" "not an ELF file" /suite/lib.sh:0x0
expect_err "not executable" "is not in an executable segment" "$t:0x0"
expect_err "refused instruction" "ud2: raises #UD by design" "$t:$ud2"
expect_err "invalid instruction" "not a valid instruction" "$t:$inv"
# (It was emulated without the segment base: a jump to the wrong place.)
expect_err "jmp through %fs" "indirect call or jmp through %fs/%gs: not supported" "$t:$jmpfs"
expect_err "no such pid" "no process with pid 99999" --pid 99999 "$(where target_func)"
expect_err "bad target" "is not PATH:SYMBOL, PATH:SYMBOL+OFFSET or PATH:0xFILEOFFSET" nocolon
# The errno of each, from C.
errno_of() { adderr "$@" | cut -d: -f1; }
assert_eq "$(errno_of /dev/null 0)" EINVAL "errno: not a regular file"
assert_eq "$(errno_of /nonexistent 0x10)" ENOENT "errno: no such file"
assert_eq "$(errno_of /suite/lib.sh 0)" EINVAL "errno: not ELF"
assert_eq "$(errno_of $t 0)" ERANGE "errno: not in an executable segment"
assert_eq "$(errno_of $t $ud2)" EOPNOTSUPP "errno: refused instruction"
assert_eq "$(errno_of $t $inv)" EILSEQ "errno: invalid instruction"
assert_eq "$(errno_of $t $jmpfs)" EOPNOTSUPP "errno: jmp through %fs"
set -- $(target offset target_func)
assert_eq "$(errno_of "$1" "$2" 99999)" ESRCH "errno: no such process"
assert_eq "$(open_as addnocap "$1" "$2" | cut -d' ' -f1)" EPERM "errno: no CAP_SYS_ADMIN"
assert_eq "$(uprobectl list --json)" "[]" "nothing was added"
uprobectl del 12345 2>&1 | grep -q "no probe with id 12345" || fail "del of a missing id"
unload
