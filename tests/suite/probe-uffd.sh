# SPDX-License-Identifier: GPL-2.0
# No global lock is held across a user copy or a file read: while a LIST
# or a DEL is stuck copying to or from a userfaultfd page that nobody
# fills, other processes add, list and delete probes and run probed
# programs (they waited for it: the registry lock was held across the
# copy). Then the page is filled and the stuck call completes.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
ref=$(target loop 100)
id=$(uprobectl add "$(where target_func)") || fail "add"
want=0
for m in list del; do
	uffdhold $m > "$d/$m.out" 2>&1 &
	h=$!
	# (The limits only end a deadlock: a pass does not come near them.)
	n=0
	until grep -q '^blocked$' "$d/$m.out"; do
		kill -0 $h 2>/dev/null || fail "uffdhold $m: $(cat "$d/$m.out")"
		n=$((n + 1))
		[ $n -lt 6000 ] || fail "uffdhold $m never blocked"
		sleep 0.1
	done
	id2=$(timeout 300 uprobectl add "$(where target_func2)") ||
		fail "$m stuck in a user copy: add stalled or failed"
	assert_eq "$(timeout 300 target loop 100)" "$ref" "$m stuck: a probed program runs"
	want=$((want + 100))
	assert_eq "$(hits "$id")" $want "$m stuck: it counts"
	timeout 300 uprobectl list > /dev/null || fail "$m stuck: list stalled or failed"
	timeout 300 uprobectl del "$id2" || fail "$m stuck: del stalled or failed"
	kill -USR1 $h
	wait $h || fail "uffdhold $m exited $?: $(cat "$d/$m.out")"
	case $m in
	list) assert_eq "$(tail -n 1 "$d/$m.out")" "list 0 filled 1" "the stuck LIST, completed" ;;
	del) assert_eq "$(tail -n 1 "$d/$m.out")" "del -2" "the stuck DEL of id 0, completed (ENOENT)" ;;
	esac
done
uprobectl del --all
rm -rf "$d"
unload
