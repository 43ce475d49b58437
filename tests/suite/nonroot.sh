# SPDX-License-Identifier: GPL-2.0
# Only root with CAP_SYS_ADMIN may open /dev/uprobectl.
. "$SUITE/lib.sh"
load
assert_eq "$(open_as nobody)" EACCES "uid 65534 is refused by the node's mode"
assert_eq "$(open_as nocap)" EPERM "root without CAP_SYS_ADMIN is refused at open"
unload
