# SPDX-License-Identifier: GPL-2.0
# The module's hooks into the kernel (mmap, munmap, fork, exec, exit) keep
# working when root disarms every kprobe (/sys/kernel/debug/kprobes/enabled):
# they are ftrace callbacks of their own. The one switch that stops those,
# sysctl kernel.ftrace_enabled, is refused while the module is loaded.
. "$SUITE/lib.sh"

[ -d /sys/kernel/debug/kprobes ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
KP=/sys/kernel/debug/kprobes/enabled
[ -e "$KP" ] || skip "no $KP here"

ref_lib=$(target lib 100) || fail "target lib"
ref_fork=$(target fork 100) || fail "target fork"
ref_fib=$(retprog fib 12) || fail "retprog fib"
load
echo 0 >"$KP" || fail "disarming kprobes"
trap 'echo 1 > "$KP"' EXIT

# A new process maps the library: the mmap hook puts the probe in.
id=$(uprobectl add "$(where lib_func)") || fail "add lib_func"
assert_eq "$(target lib 100)" "$ref_lib" "output of target lib"
assert_eq "$(hits "$id")" 100 "hits in a process started after the probe, kprobes off"
uprobectl del "$id" || fail "del"

# Fork: the child's calls are counted too (the fork hooks).
id=$(uprobectl add "$(where target_func)") || fail "add target_func"
assert_eq "$(target fork 100)" "$ref_fork" "output of target fork"
assert_eq "$(hits "$id")" 200 "parent's and child's calls, kprobes off"
uprobectl del "$id" || fail "del"

# Return probes: each thread's frames go with the thread (the exit hook).
out=$(uprobectl run --json --ret retprog:fib -- retprog fib 12) || fail "run --ret: $out"
echo "$out" | grep -q "$ref_fib" || fail "run --ret changed the output: $out"
assert_eq "$(stats | awk '$1 == "thread_states" { print $2 }')" 0 "no thread's frames left"

# ftrace cannot be switched off under the hooks.
if echo 0 2>/dev/null >/proc/sys/kernel/ftrace_enabled; then
	echo 1 >/proc/sys/kernel/ftrace_enabled
	fail "kernel.ftrace_enabled could be turned off with the module loaded"
fi
echo "ok: kernel.ftrace_enabled=0 refused while loaded"
echo 1 >"$KP"
trap - EXIT
unload
