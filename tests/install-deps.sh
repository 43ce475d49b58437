#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing uprobectl needs on Debian 12. The test
# kernels themselves are fetched by the test bed (tests/vm/fetch-kernels.sh)
# into a cache, without being installed.
set -euo pipefail
pkgs=(
	make gcc libc6-dev binutils   # CLI, test programs, objdump for the decoder test
	g++ systemtap-sdt-dev         # SDT test programs (<sys/sdt.h>, a C++ one for libstdc++'s probes)
	libelf-dev                    # the CLI's symbol resolution
	kmod dwarves                  # modprobe/depmod; pahole for 6.12's module BTF
	qemu-system-x86               # the VMs
	busybox-static cpio gzip      # the initramfs
	dash bash
	linux-source-6.1              # checkpatch.pl
)
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# The kernel packages are resolved through apt's index: keep it fresh.
$sudo apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
echo "install-deps: all present"
