#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the Debian packages (uprobectl-dkms, uprobectl, uprobectl-dev) from
# a clean copy of the tree with packaging/debian as ./debian. Needs
# debhelper, dh-dkms, libelf-dev, fakeroot. Output: OUT (default build/pkg).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$top/build/pkg}
ver=$(cat "$top/VERSION")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
"$top/packaging/copy-tree.sh" "$work/uprobectl-$ver"
cp -r "$top/packaging/debian" "$work/uprobectl-$ver/debian"
(cd "$work/uprobectl-$ver" && dpkg-buildpackage -us -uc -b)
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
ls "$out"/*.deb
