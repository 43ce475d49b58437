#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI on the host (no module needed): its parsers (cli_test), its
# symbol listing against readelf's, and its target resolution (add
# --dry-run) against readelf and objdump, on real binaries: PIE and
# non-PIE executables, shared libraries, versioned names.
# Usage: cli.sh RECORD-FUNCTION-FILE  (sourced by run.sh)
cli=$BUILD/host/uprobectl
progs=$BUILD/host/progs
cflags="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I$top/tools/uprobectl -I$top/src -I$top/include/uapi"

if cc $cflags -o "$out/cli_test" "$top/tests/unit/cli_test.c" "$top/tools/uprobectl/target.c" \
	"$top/tools/uprobectl/fetcharg.c" "$top/tools/uprobectl/elfsym.c" "$top/tools/uprobectl/sdt.c" \
	"$top/src/insn.c" -lelf && "$out/cli_test" "$progs/libsdt.so"; then
	record PASS unit/cli-parse
else
	record FAIL unit/cli-parse
fi

# awk (mawk on Debian) has no strtonum: hex to a number, printed in decimal.
HEX='function hex(s,  i, v) { s = tolower(s); sub(/^0x/, "", s); v = 0
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v }'

# "FILEOFFSET NAME" (decimal) of every defined function in executable
# segments, by readelf: the address through the PT_LOAD that holds it.
readelf_funcs() { # FILE
	{
		readelf -lW "$1" | awk "$HEX"'$1 == "LOAD" && $0 ~ / E +0x[0-9a-f]+$/ {
			printf "SEG %.0f %.0f %.0f\n", hex($3), hex($2), hex($5) }'
		readelf -sW "$1" | awk "$HEX"'($4 == "FUNC" || $4 == "IFUNC") && $7 != "UND" && $8 != "" {
			printf "SYM %.0f %s\n", hex($2), $8 }'
	} | awk 'BEGIN { n = 0 }
		$1 == "SEG" { va[n] = $2; off[n] = $3; sz[n] = $4; n++; next }
		$1 == "SYM" && $2 != 0 {
			name = $3; sub(/@.*/, "", name)
			for (i = 0; i < n; i++)
				if ($2 + 0 >= va[i] + 0 && $2 + 0 < va[i] + sz[i]) {
					printf "%.0f %s\n", $2 - va[i] + off[i], name
					break
				}
		}' | sort -u
}

cli_funcs() { # FILE
	"$cli" symbols "$1" | awk "$HEX"'NR > 1 { name = $3; sub(/@.*/, "", name);
		printf "%.0f %s\n", hex($1), name }' | sort -u
}

# SDT notes: "PROVIDER NAME FILEOFFSET SEMOFFSET ARGS" (decimal, 0 for no
# semaphore) by readelf -n and the PT_LOAD segments, against 'uprobectl sdt'.
readelf_sdt() { # FILE
	{
		readelf -lW "$1" | awk "$HEX"'$1 == "LOAD" {
			printf "SEG %.0f %.0f %.0f\n", hex($3), hex($2), hex($5) }'
		readelf -SW "$1" | awk "$HEX"'/\.stapsdt\.base/ {
			for (i = 1; i <= NF; i++) if ($i == ".stapsdt.base") printf "BASE %.0f\n", hex($(i + 2)) }'
		readelf -n "$1" | awk "$HEX"'
			/Provider:/ { p = $NF } /Name:/ { n = $2 }
			/Location:/ { gsub(",", ""); printf "NOTE %s %s %.0f %.0f %.0f", p, n, hex($2), hex($4), hex($6) }
			/Arguments:/ { sub(/.*Arguments: */, ""); printf " %s\n", $0 }'
	} | awk 'function off(a,  i) { if (a == 0) return 0
			for (i = 0; i < ns; i++) if (a >= va[i] && a < va[i] + sz[i]) return a - va[i] + fo[i]
			return -1 }
		$1 == "SEG" { va[ns] = $2; fo[ns] = $3; sz[ns] = $4; ns++; next }
		$1 == "BASE" { base = $2; hasbase = 1; next }
		$1 == "NOTE" { d = hasbase ? base - $5 : 0; s = $6 ? $6 + d : 0
			args = ""; for (i = 7; i <= NF; i++) args = args " " $i
			printf "%s %s %.0f %.0f%s\n", $2, $3, off($4 + d), off(s), args }' | sort
}

cli_sdt() { # FILE
	"$cli" sdt "$1" | awk "$HEX"'NR > 1 { s = $4 == "-" ? 0 : hex($4)
		args = ""; for (i = 5; i <= NF; i++) args = args " " $i
		printf "%s %s %.0f %.0f%s\n", $1, $2, hex($3), s, args }' | sort
}

ok=1
for f in "$progs/sdtprog" "$progs/libsdt.so" /usr/lib/x86_64-linux-gnu/libstdc++.so.6; do
	[ -e "$f" ] || { echo "cli-sdt: $f missing"; ok=0; continue; }
	readelf_sdt "$f" > "$out/sdtref"
	cli_sdt "$f" > "$out/sdtcli"
	if [ ! -s "$out/sdtref" ] || ! cmp -s "$out/sdtref" "$out/sdtcli"; then
		echo "cli-sdt: $f differs from readelf:"
		diff "$out/sdtref" "$out/sdtcli" | head -10
		ok=0
	fi
done
# usdt targets: every place of a probe point, the arguments from its spec.
readelf_sdt "$progs/libsdt.so" > "$out/sdtref"
want="$progs/libsdt.so 0x$(printf %x "$(awk '$1 == "sdtlib" { print $3 }' "$out/sdtref")") sdtlib:hit"
got=$("$cli" add --dry-run "usdt:$progs/libsdt.so:sdtlib:hit" 2>&1)
[ "$got" = "$want" ] || { echo "cli-sdt: add --dry-run gave '$got', want '$want'"; ok=0; }
for bad in "usdt:$progs/libsdt.so" "usdt:$progs/libsdt.so:nosuch" "usdt:$progs/target:x:y"; do
	if "$cli" add --dry-run "$bad" > "$out/sdterr" 2>&1 || ! grep -q 'uprobectl: ' "$out/sdterr"; then
		echo "cli-sdt: '$bad' accepted or unexplained: $(cat "$out/sdterr")"
		ok=0
	fi
done
if [ $ok = 1 ]; then record PASS unit/cli-sdt; else record FAIL unit/cli-sdt; fi

# --exit: the exits the CLI finds in a function (every ret, every direct
# jump out of it and its NAME.cold part) against objdump's disassembly, on
# every 5th function of real libraries and all of a program with a .cold
# part. Functions neither finds an exit in agree too.
# Reference exits of every Nth function of FILE, by readelf and objdump:
# "FUNCOFFSET EXIT..." (hex file offsets); "FUNCOFFSET" alone if none.
exits_ref() { # FILE N
	{
		readelf -lW "$1" | awk "$HEX"'$1 == "LOAD" && $0 ~ / E +0x[0-9a-f]+$/ {
			printf "SEG %.0f %.0f %.0f\n", hex($3), hex($2), hex($5) }'
		readelf -sW "$1" | awk "$HEX"'$4 == "FUNC" && $7 != "UND" && $3 != "0" {
			n = $8; sub(/@.*/, "", n); sz = $3 ~ /^0x/ ? hex($3) : $3
			printf "SYM %.0f %.0f %s\n", hex($2), sz, n }'
		objdump -d -w --no-show-raw-insn "$1" | awk "$HEX"'/^ *[0-9a-f]+:\t/ {
			a = $1; sub(/:$/, "", a)
			for (i = 2; i <= NF && $i ~ /^(repz|repnz|rep|bnd|notrack|data16|addr32|cs|ds|es|ss|fs|gs|lock|rex|rex\.[A-Z]*)$/; i++) ;
			m = $i
			if (m ~ /^l?ret[qlw]?$/) printf "I %.0f R\n", hex(a)
			else if ((m ~ /^j/ || m ~ /^loop/) && $(i + 1) !~ /^\*/) printf "I %.0f J %.0f\n", hex(a), hex($(i + 1))
			else printf "I %.0f -\n", hex(a) }'
	} | awk -v every="$2" 'BEGIN { ns = nf = ni = 0 }
		$1 == "SEG" { sva[ns] = $2; sfo[ns] = $3; ssz[ns] = $4; ns++; next }
		$1 == "SYM" { if (!($2 in size)) { size[$2] = $3; starts[nf++] = $2 }
			names[$2] = names[$2] " " $4; byname[$4] = $2; next }
		$1 == "I" { ia[ni] = $2; it[ni] = $3; ij[ni] = $4; ni++ }
		function foff(a,  i) { for (i = 0; i < ns; i++) if (a >= sva[i] && a < sva[i] + ssz[i]) return a - sva[i] + sfo[i]; return -1 }
		function first(s,  lo, hi, mid) { lo = 0; hi = ni
			while (lo < hi) { mid = int((lo + hi) / 2); if (ia[mid] < s) lo = mid + 1; else hi = mid }
			return lo }
		function scan(s, e,  i, out) { out = ""
			for (i = first(s); i < ni && ia[i] < e; i++)
				if (it[i] == "R" || (it[i] == "J" && !((ij[i] >= ms && ij[i] < me) || (ij[i] >= cs && ij[i] < ce))))
					out = out sprintf(" 0x%x", foff(ia[i]))
			return out }
		END {
			for (k = 0; k < nf; k += every) {
				s = starts[k]; if (foff(s) < 0) continue
				split(names[s], nm, " "); cold = 0
				skip = 0
				for (j in nm) if (nm[j] ~ /\.cold$/) skip = 1
				if (skip) continue
				for (j in nm) if ((nm[j] ".cold") in byname) { c = byname[nm[j] ".cold"]; cold = 1 }
				ms = s; me = s + size[s]; cs = cold ? c : 0; ce = cold ? c + size[c] : 0
				out = scan(ms, me); if (cold) out = out scan(cs, ce)
				printf "0x%x%s\n", foff(s), out
			}
		}'
}

exits_cmp() { # FILE EVERY
	local off want got n=0 bad=0
	while read -r off want; do
		got=$("$cli" add --exit --dry-run "$1:$off" 2>/dev/null |
			awk '$NF == "exit" { printf "%s%s", sep, $2; sep = " " }')
		n=$((n + 1))
		if [ "$got" != "$want" ]; then
			bad=$((bad + 1))
			[ $bad -gt 5 ] || echo "cli-exits: $1:$off: got '$got', objdump says '$want'"
		fi
	done < <(exits_ref "$1" "$2")
	echo "cli-exits: $1: $n functions, $bad differ"
	[ $n -gt 0 ] && [ $bad = 0 ]
}
cat > "$out/cold.c" <<'COLD'
#include <stdio.h>
#include <stdlib.h>
__attribute__((cold, noinline)) void report(int x) { fprintf(stderr, "bad %d\n", x); }
__attribute__((noinline)) int checked(int x)
{
	if (__builtin_expect(x < 0, 0)) {
		report(x);
		if (x < -100)
			abort();
		return -1;
	}
	return x * 2;
}
int main(int argc, char **argv) { (void)argv; return checked(argc - 5) + checked(argc); }
COLD
ok=1
if cc -O2 -g -o "$out/cold" "$out/cold.c" && nm "$out/cold" | grep -q ' checked.cold$'; then
	exits_cmp "$out/cold" 1 || ok=0
else
	echo "cli-exits: no .cold part made"
	ok=0
fi
for f in "$progs/retprog" "$progs/target" /lib/x86_64-linux-gnu/libc.so.6 \
	/usr/lib/x86_64-linux-gnu/libstdc++.so.6 "$progs/libz.so.1"; do
	exits_cmp "$f" 5 || ok=0
done
# Function probes need a function; $retval needs a function probe.
for bad in "--ret libc:malloc+0x4" "--exit libc:malloc+0x4" "--ret --exit libc:malloc" \
	"--exit usdt:$progs/libsdt.so:sdtlib:hit" "libc:malloc \$retval"; do
	# shellcheck disable=SC2086
	if "$cli" add --dry-run $bad > "$out/fnerr" 2>&1 || [ $? != 2 ] || ! grep -q 'uprobectl: ' "$out/fnerr"; then
		echo "cli-exits: 'add $bad' accepted or unexplained: $(cat "$out/fnerr")"
		ok=0
	fi
done
# The exits of retprog's tail_a: its jump to tail_b (a tail call) only.
got=$("$cli" add --exit --dry-run "$progs/retprog:tail_a" | awk '$NF == "exit"' | wc -l)
[ "$got" = 1 ] || { echo "cli-exits: tail_a: $got exits"; ok=0; }
if [ $ok = 1 ]; then record PASS unit/cli-exits; else record FAIL unit/cli-exits; fi

# A non-PIE program: its text's file offsets are not its addresses.
nopie=$progs/fetchprog
libc=/lib/x86_64-linux-gnu/libc.so.6
for f in "$progs/target" "$progs/libtarget.so" "$nopie" "$progs/libz.so.1" "$libc" /usr/bin/ls; do
	name=$(basename "$f")
	if [ ! -e "$f" ]; then
		record FAIL "unit/cli-symbols-$name"
		continue
	fi
	cli_funcs "$f" > "$out/symcli"
	if readelf_funcs "$f" | diff - "$out/symcli" > "$out/symdiff" && [ -s "$out/symcli" ]; then
		record PASS "unit/cli-symbols-$name"
	else
		head -20 "$out/symdiff"
		record FAIL "unit/cli-symbols-$name"
	fi
done

# Targets to file offsets, each checked against readelf/objdump.
res() { "$cli" add --dry-run "$@" 2>&1; }
expect() { # WHAT WANT GOT
	if [ "$2" = "$3" ]; then return 0; fi
	echo "cli: $1: got '$3', expected '$2'"
	return 1
}
off_of() { printf '0x%x' "$(readelf_funcs "$1" | awk -v s="$2" '$2 == s { print $1; exit }')"; }
ok=1
expect "non-PIE symbol" "$nopie $(off_of "$nopie" fa_func) fa_func" "$(res "$nopie:fa_func")" || ok=0
expect "PIE symbol" "$progs/target $(off_of "$progs/target" target_func) target_func" \
	"$(res "$progs/target:target_func")" || ok=0
# SYMBOL+OFFSET on each of the first instructions of a function, by objdump;
# one byte further is refused as inside an instruction.
first=$(off_of "$nopie" fa_func)
# (run.sh sets pipefail: no pipeline here may end early on SIGPIPE.)
insns=$(objdump -d "$nopie" | awk '/<fa_func>:/ { on = 1; next } on && /^$/ { exit } on && n++ >= 1 && n <= 6 { print }')
while read -r addr _; do
	addr=0x${addr%:}
	rel=$((addr - 0x$(nm "$nopie" | awk '$3 == "fa_func" { print $1 }')))
	want=$(printf '0x%x' $((first + rel)))
	got=$(res "$nopie:fa_func+$rel" | cut -d' ' -f2)
	[ "$got" = "$want" ] || { echo "cli: fa_func+$rel gave '$got', expected $want"; ok=0; }
	# (run.sh sets pipefail: capture, then match)
	msg=$(res "$nopie:fa_func+$((rel + 1))")
	if echo "$msg" | grep "inside the" > /dev/null; then :; else
		# +rel+1 may be the next instruction when this one is one byte long.
		dis=$(objdump -d "$nopie")
		echo "$dis" | grep "^ *$(printf '%x' $((addr + 1))):" > /dev/null ||
			{ echo "cli: fa_func+$((rel + 1)) not refused"; ok=0; }
	fi
done <<< "$insns"
[ "$(echo "$insns" | wc -l)" = 5 ] || { echo "cli: fa_func: no instructions from objdump"; ok=0; }
g() { # PATTERN TARGET: the part of the resolution's message matching PATTERN
	local m
	m=$(res "$2")
	echo "$m" | grep -o "$1"
}
expect "past the end" "past the end" "$(g 'past the end' "$nopie:fa_func+100000")" || ok=0
# Library by name through ld.so.cache, versioned names, default version.
malloc=$(off_of $libc malloc)
expect "libc by name" "$libc $malloc malloc" "$(res libc:malloc)" || ok=0
expect "libc.so.6 by name" "$libc $malloc malloc" "$(res libc.so.6:malloc)" || ok=0
expect "malloc@@GLIBC_2.2.5" "$libc $malloc malloc" "$(res 'libc:malloc@@GLIBC_2.2.5')" || ok=0
expect "malloc@GLIBC_2.2.5" "$libc $malloc malloc" "$(res 'libc:malloc@GLIBC_2.2.5')" || ok=0
# memcpy has two versions: the default one is taken, the other by name.
mdef=$(readelf -sW $libc | awk '$8 == "memcpy@@GLIBC_2.14" { print $2; exit }')
mold=$(readelf -sW $libc | awk '$8 == "memcpy@GLIBC_2.2.5" { print $2; exit }')
expect "memcpy: default version" "$(printf 0x%x $((0x$mdef)))" "$(res libc:memcpy | cut -d' ' -f2)" || ok=0
expect "memcpy@GLIBC_2.2.5" "$(printf 0x%x $((0x$mold)))" \
	"$(res 'libc:memcpy@GLIBC_2.2.5' | cut -d' ' -f2)" || ok=0
# A program through $PATH.
expect "program in \$PATH" "no function 'no_such_fn' in $(readlink -f "$(command -v ls)")" \
	"$(g "no function 'no_such_fn' in [^;]*" ls:no_such_fn)" || ok=0
# Missing symbols list close matches.
expect "close matches" "close matches: malloc" "$(g 'close matches: malloc' libc:mallocc)" || ok=0
expect "no such library" "not found" "$(g 'not found' libnosuchlib:f)" || ok=0
expect "file offset outside text" "is not in an executable segment" \
	"$(g 'is not in an executable segment' "$nopie:0x0")" || ok=0
# Two static functions of one name: refused, with both candidates.
printf 'static int dup_fn(int x) { return x + 1; }\nint use_a(int x) { return dup_fn(x); }\n' > "$out/dup_a.c"
printf 'static int dup_fn(int x) { return x * 3; }\nint use_b(int x) { return dup_fn(x); }\nint use_a(int);\nint main(int c, char **v) { (void)v; return use_a(c) + use_b(c); }\n' > "$out/dup_b.c"
if cc -O0 -o "$out/dup" "$out/dup_a.c" "$out/dup_b.c"; then
	m=$(res "$out/dup:dup_fn")
	echo "$m"
	expect "ambiguous name" "2 functions are named 'dup_fn'" "$(echo "$m" | grep -o "2 functions are named 'dup_fn'")" || ok=0
	expect "ambiguous: candidates" 2 "$(echo "$m" | grep -c '^  dup_fn  (file offset 0x[0-9a-f]*)$')" || ok=0
else
	ok=0
fi
if [ $ok = 1 ]; then record PASS unit/cli-resolve; else record FAIL unit/cli-resolve; fi

# make install-tools: the CLI, its man page and bash completion, the
# header and the C example land where they should; the completion works.
inst=$out/inst
rm -rf "$inst"
ok=1
make -s -C "$top" BUILD="$BUILD" DESTDIR="$inst" PREFIX=/usr install-tools > "$out/inst.log" 2>&1 || ok=0
for f in usr/bin/uprobectl usr/share/man/man8/uprobectl.8 \
	usr/share/bash-completion/completions/uprobectl usr/include/linux/uprobectl.h \
	usr/share/doc/uprobectl/examples/probe-events.c; do
	[ -s "$inst/$f" ] || { echo "cli: make install-tools: $f missing"; ok=0; }
done
got=$(bash -c ". '$inst/usr/share/bash-completion/completions/uprobectl'
	COMP_WORDS=(uprobectl tr); COMP_CWORD=1; _uprobectl; echo \${COMPREPLY[*]}
	COMP_WORDS=(uprobectl trace --c); COMP_CWORD=2; _uprobectl; echo \${COMPREPLY[*]}" 2>&1)
expect "bash completion" "trace
--count" "$got" || ok=0
# The man page names every command.
for c in add del list trace run symbols sdt stats version; do
	grep -q "^\.B uprobectl $c" "$inst/usr/share/man/man8/uprobectl.8" ||
		{ echo "cli: man page lacks $c"; ok=0; }
done
if [ $ok = 1 ]; then record PASS unit/cli-install; else record FAIL unit/cli-install; fi
