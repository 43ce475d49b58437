# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly 20 times in a row; the device node is
# root-only while it is loaded and gone after.
. "$SUITE/lib.sh"
i=0
while [ $i -lt 20 ]; do
	load
	mode=$(stat -c '%a %u %g' /dev/uprobectl)
	[ "$mode" = "600 0 0" ] || fail "round $i: /dev/uprobectl is '$mode', expected '600 0 0'"
	unload
	i=$((i + 1))
done
echo "ok: 20 load/unload rounds"
