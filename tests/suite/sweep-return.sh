# SPDX-License-Identifier: GPL-2.0
# Exit and return probes on every exported function of a real library
# (zlib, the private copy only zwork maps), under a deterministic workload:
# with --exit, every function's calls (its entry probe) equal its exits
# (zlib neither throws nor longjmps); with --ret, its returns equal those
# same calls; the workload's output is unchanged either way.
. "$SUITE/lib.sh"
load
lib=$SUITE/bin/libz.so.1
work() { zwork compress && zwork stream && zwork checksum; }
ref=$(work) || fail "workload alone"
uprobectl symbols "$lib" | awk 'NR > 1 { print $1 }' | sort -u > /tmp/zfns
[ "$(wc -l < /tmp/zfns)" -gt 50 ] || fail "few functions in $lib"

# "ID HITS" of every probe.
hits_all() {
	uprobectl list --json | tr '{' '\n' |
		sed -n 's/^"id":\([0-9]*\),.*"hits":\([0-9]*\),.*/\1 \2/p' > "$1"
}

# --exit: one group per function, "ENTRYID EXITID..." a line.
: > /tmp/zgroups
for off in $(cat /tmp/zfns); do
	ids=$(uprobectl add --exit "$lib:$off" 2> /tmp/zerr) || fail "add --exit $off: $(cat /tmp/zerr)"
	echo $ids >> /tmp/zgroups
done
assert_eq "$(work)" "$ref" "--exit on every function: output unchanged"
hits_all /tmp/zhits
# Per function: "OFFSET CALLS EXITS".
awk 'FILENAME == ARGV[1] { h[$1] = $2; next }
	FILENAME == ARGV[2] { off[FNR] = $1; next }
	{ e = 0; for (i = 2; i <= NF; i++) e += h[$i]; print off[FNR], h[$1] + 0, e }' \
	/tmp/zhits /tmp/zfns /tmp/zgroups > /tmp/zcalls
called=$(awk '$2 > 0' /tmp/zcalls | wc -l)
[ "$called" -gt 25 ] || fail "only $called functions called"
bad=$(awk '$2 != $3' /tmp/zcalls)
[ -z "$bad" ] || fail "calls and exits differ (offset calls exits): $bad"
echo "ok: --exit: $called functions called, each as many exits as calls"
uprobectl del --all

# --ret: returns as many as the calls seen above.
: > /tmp/zret
for off in $(cat /tmp/zfns); do
	uprobectl add --ret "$lib:$off" >> /tmp/zret 2> /tmp/zerr || fail "add --ret $off: $(cat /tmp/zerr)"
done
assert_eq "$(work)" "$ref" "--ret on every function: output unchanged"
hits_all /tmp/zhits
awk 'FILENAME == ARGV[1] { h[$1] = $2; next }
	FILENAME == ARGV[2] { r[FNR] = h[$1] + 0; next }
	{ print $0, r[FNR] }' /tmp/zhits /tmp/zret /tmp/zcalls > /tmp/zcmp
bad=$(awk '$2 != $4' /tmp/zcmp)
[ -z "$bad" ] || fail "returns differ from calls (offset calls exits returns): $bad"
echo "ok: --ret: every function returned as often as it was called"
uprobectl del --all
unload
