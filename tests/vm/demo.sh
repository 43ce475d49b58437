# SPDX-License-Identifier: GPL-2.0
# What 'make demo' shows inside the VM: load the module, find functions of
# the C library, trace calls with their arguments (strings included) in
# real programs (bash, kmod's lsmod), count hits of a command and its
# children with 'run', list and trace the SDT probes of libstdc++ in a C++
# program that throws, then remove everything.
set -e
show() { echo; echo "# $*"; "$@"; }
echo
echo "=== uprobectl demo on Linux $(uname -r) ==="
show uprobectl version || true
show modprobe uprobectl
show uprobectl version
show uprobectl symbols libc 'getenv*'
show uprobectl add --name open libc:open64 'path=+0(%di):string' 'flags=%si:x32'
echo
echo "# uprobectl trace --count 4 &   (then: lsmod)"
uprobectl trace --count 4 &
tr=$!
sleep 1
lsmod > /dev/null
wait $tr
show uprobectl list
show uprobectl run --trace libc:open64 'path=+0(%di):string' -- bash -c 'echo hello from bash; lsmod > /dev/null'
show uprobectl run libc:malloc libc:free libc:getenv -- bash -c 'echo a child: $(echo hi)'
show uprobectl run --trace --ret libc:getpid 'pid=$retval:u32' -- bash -c 'echo my pid is $$'
show uprobectl run --latency libc:malloc libc:free -- bash -c 'for i in 1 2 3; do echo $i; done > /dev/null'
show uprobectl sdt libstdc++.so.6
show uprobectl run --trace usdt:libstdc++.so.6:libstdcxx:throw usdt:libstdc++.so.6:libstdcxx:catch -- cxxthrow 2
show uprobectl del --all
show uprobectl list
show rmmod uprobectl
echo "=== demo done ==="
