# SPDX-License-Identifier: GPL-2.0
# A probe on every instruction of 26 exported functions of a real library
# (zlib, through a private copy only the workload maps: about 2000
# probes), compared with the built-in uprobes (see sweep-lib.sh).
. "$SUITE/lib.sh"
. "$SUITE/sweep-lib.sh"
load
echo "$SUITE/bin/libz.so.1 $SUITE/bin/zlib.insns" > /tmp/targets
sweep /tmp/targets "zwork compress" "zwork stream" "zwork checksum"
unload
