#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the RPMs (uprobectl, uprobectl-dkms, uprobectl-devel) with
# rpmbuild -bb from a source tarball of the tracked files. On a Debian host
# (package rpm) build dependencies cannot be checked by rpm: --nodeps.
# Output: OUT (default build/pkg).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$top/build/pkg}
ver=$(cat "$top/VERSION")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work"/{SOURCES,SPECS,BUILD,RPMS,SRPMS}
"$top/packaging/copy-tree.sh" "$work/src/uprobectl-$ver"
tar -C "$work/src" -czf "$work/SOURCES/uprobectl-$ver.tar.gz" "uprobectl-$ver"
nodeps=
[ -e /etc/debian_version ] && nodeps=--nodeps
rpmbuild -bb $nodeps --define "_topdir $work" "$top/packaging/rpm/uprobectl.spec"
find "$work/RPMS" -name '*.rpm' -exec cp -t "$out" {} +
ls "$out"/*.rpm
