# SPDX-License-Identifier: GPL-2.0
# What 'make demo' shows inside the VM.
set -e
show() { echo "# $*"; "$@"; }
echo
echo "=== uprobectl demo on Linux $(uname -r) ==="
show uprobectl version || true
show modprobe uprobectl
show ls -l /dev/uprobectl
show uprobectl version
show rmmod uprobectl
echo "=== demo done ==="
