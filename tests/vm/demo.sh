# SPDX-License-Identifier: GPL-2.0
# What 'make demo' shows inside the VM: load the module, probe a function
# of a running program and of a shared library, watch the counts, remove.
set -e
show() { echo "# $*"; "$@"; }
echo
echo "=== uprobectl demo on Linux $(uname -r) ==="
show uprobectl version || true
show modprobe uprobectl
show uprobectl version
echo
echo "# where is target_func in /suite/bin/target? (the CLI resolves symbols later)"
fn=$(target offset target_func | tr ' ' ':')
lib=$(target offset lib_func | tr ' ' ':')
echo "$fn, $lib"
show uprobectl add --name target_func "$fn"
show uprobectl add --name lib_func "$lib"
show target loop 1000 4
show target lib 2500
show uprobectl list
show uprobectl list --json
show uprobectl del --all
show uprobectl list
show rmmod uprobectl
echo "=== demo done ==="
