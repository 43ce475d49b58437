# SPDX-License-Identifier: GPL-2.0
# A probe in a library run from a memfd (tmpfs: its file system has no
# read_folio) whose pages then leave the page cache (a hole punched over
# the file, as swapping out would): deleting the probe compares our copy
# of the text with the file's page only if the page cache holds it; it
# must never ask the page cache to read one in (tmpfs cannot: that was a
# NULL call, an oops), and it keeps our copy otherwise.
. "$SUITE/lib.sh"
load
d=$(mktemp -d)
set -- $(target offset lib_func)
off=$2
memfdhole "$SUITE/bin/libtarget.so" 100 > "$d/out" 2>&1 &
h=$!
wait_lines "$d/out" '^ready '
path=$(sed -n 's/^ready //p' "$d/out")
id=$(uprobectl add "$path:$off") || fail "add on $path"
kill -USR1 $h
wait_lines "$d/out" '^punched$'
assert_eq "$(hits "$id")" 100 "hits in the memfd library"
uprobectl del "$id" || fail "del"
kill -USR1 $h
wait $h || fail "memfdhole exited $?: $(cat "$d/out")"
assert_eq "$(grep -c '^sum ' "$d/out")" 1 "the library ran"
rm -rf "$d"
unload
