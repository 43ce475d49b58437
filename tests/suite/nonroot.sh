# SPDX-License-Identifier: GPL-2.0
# Only root with CAP_SYS_ADMIN may open /dev/uprobectl, and every call but
# VERSION needs it of its caller: an fd passed on gives nothing.
. "$SUITE/lib.sh"
load
assert_eq "$(open_as nobody)" EACCES "uid 65534 is refused by the node's mode"
assert_eq "$(open_as nocap)" EPERM "root without CAP_SYS_ADMIN is refused at open"
assert_eq "$(open_as callsnocap | tr '\n' ' ')" \
	"version ok list EPERM stats EPERM event_stats EPERM subscribe EPERM del EPERM read EPERM " \
	"an opened fd without CAP_SYS_ADMIN"
unload
