# SPDX-License-Identifier: GPL-2.0
# The kernel's built-in uprobes on one function and ours on another in the
# same process both count exactly.
. "$SUITE/lib.sh"
load
tr=/sys/kernel/tracing
set -- $(target offset target_func2)
echo "p:upctest/tf2 $1:$2" > $tr/uprobe_events || fail "tracefs uprobe"
echo 1 > $tr/events/upctest/tf2/enable
id=$(uprobectl add "$(where target_func)") || fail "add"
ref=$(target both 300)
assert_eq "$(hits "$id")" 300 "ours beside the built-in"
builtin=$(grep tf2 $tr/uprobe_profile | awk '{print $NF}')
assert_eq "$builtin" 300 "the built-in beside ours"
echo 0 > $tr/events/upctest/tf2/enable
echo "-:upctest/tf2" >> $tr/uprobe_events
uprobectl del "$id"
assert_eq "$(target both 300)" "$ref" "output"
unload
