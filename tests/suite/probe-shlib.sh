# SPDX-License-Identifier: GPL-2.0
# A shared-library function probed while 10 processes run it: every call
# of every process counted; a library dlopened after the probe is probed.
. "$SUITE/lib.sh"
load
ref=$(target lib 2000)
ref300=$(target lib 300)
i=0
while [ $i -lt 10 ]; do
	target wait 2000 lib > /tmp/lib.$i &
	eval pid$i=$!
	i=$((i + 1))
done
i=0
while [ $i -lt 10 ]; do wait_ready /tmp/lib.$i; i=$((i + 1)); done
id=$(uprobectl add "$(where lib_func)") || fail "add"
i=0
while [ $i -lt 10 ]; do eval kill -USR1 \$pid$i; i=$((i + 1)); done
i=0
while [ $i -lt 10 ]; do
	eval wait \$pid$i || fail "process $i exited $?"
	assert_eq "$(tail -n1 /tmp/lib.$i)" "$ref" "output of process $i"
	i=$((i + 1))
done
assert_eq "$(hits "$id")" 20000 "10 processes x 2000 calls"

# dlopen after the probe was added.
target dlopen 300 > /tmp/dl.out &
pid=$!
wait_ready /tmp/dl.out
kill -USR1 $pid
wait $pid || fail "dlopen target exited $?"
assert_eq "$(tail -n1 /tmp/dl.out)" "$ref300" "output of the dlopen process"
assert_eq "$(hits "$id")" 20300 "hits through dlopen"
uprobectl del --all
unload
