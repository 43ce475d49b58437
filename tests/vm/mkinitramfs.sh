#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the common part of the test initramfs: busybox, kmod's module tools,
# the CLI, the in-VM suite and its programs, and the shared libraries they
# need. The per-kernel part (the module) and the run's configuration are
# appended as separate cpio archives by testbed.sh; the kernel unpacks
# concatenated archives in order.
#
# Usage: mkinitramfs.sh OUT.cpio.gz HOSTBUILD [EXTRA_TESTS_DIR]
set -euo pipefail

out=$1 hostbuild=$2 extra=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,root,suite,extra}
cp /bin/busybox "$root/bin/busybox"

# Copy a dynamically linked program and every library it needs, keeping
# the library paths the loader expects.
copy_libs() {
	local f lib
	for f in "$@"; do
		ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done || true
	done
}

install_bin() { # SRC DEST
	mkdir -p "$root$(dirname "$2")"
	cp -L "$1" "$root$2"
	copy_libs "$1"
}

# A real /bin/sh and bash, so that scripts find programs through PATH as on
# a normal system (busybox's own shell prefers its applets).
install_bin /usr/bin/dash /bin/sh
install_bin /bin/bash /bin/bash
install_bin /usr/bin/kmod /usr/bin/kmod
for t in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf /usr/bin/kmod "$root/sbin/$t"
done

install_bin "$hostbuild/uprobectl" /usr/bin/uprobectl
for p in "$hostbuild"/progs/*; do
	if [ -x "$p" ]; then
		install_bin "$p" "/suite/bin/$(basename "$p")"
	else
		cp "$p" "$root/suite/bin/"
	fi
done
cp "$top"/tests/suite/*.sh "$root/suite/"
mkdir -p "$root/suite/bench"
cp "$top"/tests/bench/*.sh "$root/suite/bench/"
cp "$here/init" "$root/init"
cp "$here/runner.sh" "$here/demo.sh" "$root/suite/"
chmod +x "$root/init" "$root"/suite/*.sh

if [ -n "$extra" ]; then
	cp -a "$extra/." "$root/extra/"
	# Scenarios may be dynamically linked programs: bring their libraries.
	find "$root/extra" -type f -perm -u+x | while read -r f; do
		copy_libs "$f"
	done
fi

echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
