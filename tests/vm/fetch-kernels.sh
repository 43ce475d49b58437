#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch and unpack the stock Debian kernels the test bed boots, without
# touching the system: images and headers are downloaded with
# 'apt-get download' from the archive this machine is configured with and
# unpacked into a cache outside the repository, reused across runs.
#
# Versions are resolved through the meta packages at fetch time (the archive
# replaces ABIs with security updates), so a run always uses the current
# build of each line.
#
# Usage: fetch-kernels.sh NAME...   (NAME: 6.1, 6.12, 6.1-rt, 6.12-rt,
# 6.1-cloud or 6.12-cloud)
# Prints, per kernel, one line "NAME RELEASE DIR" on stdout.
set -euo pipefail

cache=${UPROBECTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uprobectl}
mkdir -p "$cache/kernels"

# The stock kernels by name: the line, then an optional flavour.
STOCK_KERNELS="6.1 6.12 6.1-rt 6.12-rt 6.1-cloud 6.12-cloud"

meta_suffix() { # NAME -> the part of the meta packages' names after linux-image-
	case $1 in
	6.1) echo amd64 ;;
	6.12) echo 6.12-amd64 ;;
	6.1-rt | 6.1-cloud) echo "${1#6.1-}-amd64" ;;
	6.12-rt | 6.12-cloud) echo "6.12-${1#6.12-}-amd64" ;;
	*)
		echo "fetch-kernels: unknown stock kernel '$1': use one of $STOCK_KERNELS" >&2
		exit 2
		;;
	esac
}

meta_image() { echo "linux-image-$(meta_suffix "$1")"; }
meta_headers() { echo "linux-headers-$(meta_suffix "$1")"; }

# The single package a meta package depends on whose name starts with PREFIX.
dep_of() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^ *|\{0,1\}Depends: \(.*\)$/\1/p' | grep -m1 "^$2" || true
}

fetch_one() {
	local name=$1 img hdr rel dir pkgs p common kbuild
	img=$(dep_of "$(meta_image "$name")" linux-image-)
	hdr=$(dep_of "$(meta_headers "$name")" linux-headers-)
	if [ -z "$img" ] || [ -z "$hdr" ]; then
		echo "fetch-kernels: cannot resolve the $name kernel packages: run 'apt-get update' first" >&2
		exit 1
	fi
	rel=${img#linux-image-}
	dir=$cache/kernels/$rel
	if [ ! -e "$dir/.complete" ]; then
		common=$(dep_of "$hdr" linux-headers-.*-common)
		kbuild=$(dep_of "$hdr" linux-kbuild-)
		pkgs="$img $hdr $common $kbuild"
		echo "fetch-kernels: fetching $pkgs" >&2
		rm -rf "$dir"
		mkdir -p "$dir/debs" "$dir/root"
		(cd "$dir/debs" && apt-get download $pkgs >&2)
		for p in "$dir"/debs/*.deb; do
			dpkg-deb -x "$p" "$dir/root"
		done
		# The arch headers' Makefile includes the -common tree by absolute
		# path; point it at the unpacked copy.
		sed -i "s|/usr/src/|$dir/root/usr/src/|g" \
			"$dir/root/usr/src/linux-headers-$rel/Makefile"
		dpkg-deb -f "$dir/debs/${img}_"*.deb Version > "$dir/version"
		ln -sfn "root/boot/vmlinuz-$rel" "$dir/vmlinuz"
		ln -sfn "root/usr/src/linux-headers-$rel" "$dir/headers"
		rm -rf "$dir/debs"
		touch "$dir/.complete"
	fi
	echo "$name $rel $dir"
}

for k in "$@"; do
	fetch_one "$k"
done
