# SPDX-License-Identifier: GPL-2.0
# vfork: a child sharing the parent's memory hits the parent's breakpoints
# (counted once each), a vfork child that execs the program is probed in
# its new image, and the parent goes on; a pid-scoped probe follows the
# process across exec and into its vfork children.
. "$SUITE/lib.sh"
load
ref=$(lifetime vfork 400 | tail -n1)
ref1=$(lifetime run 400)
all=$(uprobectl add "$(lwhere life_func)") || fail "add"
out=$(lifetime vfork 400) || fail "vfork mode exited $?"
assert_eq "$(echo "$out" | tail -n1)" "$ref" "the parent's output"
assert_eq "$(echo "$out" | head -n1)" "$ref1" "the exec'd child's output"
assert_eq "$(hits "$all")" 1200 "parent, vfork child, exec'd vfork child"
uprobectl del --all

# A pid-scoped probe: the process and what it execs, nothing else.
d=$(mktemp -d)
mkfifo "$d/fifo"
sh -c 'read -r _ < "$1"; exec lifetime exec 300' sh "$d/fifo" > "$d/out" &
pid=$!
id=$(uprobectl add --pid $pid "$(lwhere life_func)") || fail "add --pid"
lifetime run 50 > /dev/null
echo go > "$d/fifo"
wait $pid || fail "exec mode exited $?"
assert_eq "$(hits "$id")" 600 "pid scope across two execs"
assert_eq "$(cat "$d/out")" "exec sum $((2 * $(lifetime run 300 | cut -d' ' -f2)))" "its output"
uprobectl del --all

# ... and its vfork children (shells and posix_spawn use vfork), the one
# that runs in the parent's memory and the one that execs.
sh -c 'read -r _ < "$1"; exec lifetime vfork 400' sh "$d/fifo" > "$d/out" &
pid=$!
id=$(uprobectl add --pid $pid "$(lwhere life_func)") || fail "add --pid"
echo go > "$d/fifo"
wait $pid || fail "vfork mode exited $?"
assert_eq "$(hits "$id")" 1200 "pid scope through vfork children"
assert_eq "$(tail -n1 "$d/out")" "$ref" "its output"
uprobectl del --all
unload
