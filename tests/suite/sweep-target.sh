# SPDX-License-Identifier: GPL-2.0
# A probe on every instruction of the test program and its library (about
# 600, from objdump at build time), compared with the built-in uprobes
# (see sweep-lib.sh). ('target offset' is left out: it reads
# /proc/self/maps, where our slot mappings show, so its loop runs a
# different number of times by design.)
. "$SUITE/lib.sh"
. "$SUITE/sweep-lib.sh"
load
printf '%s\n' "$SUITE/bin/target $SUITE/bin/target.insns" \
	"$SUITE/bin/libtarget.so $SUITE/bin/libtarget.insns" > /tmp/targets
sweep /tmp/targets "target both 200" "target loop 100 3" "target fork 20" "target lib 50"
unload
