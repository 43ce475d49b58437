#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Copy the tree's tracked files (no build output) to DEST, for the package
# builds. Usage: copy-tree.sh DEST
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
if git -C "$top" rev-parse --git-dir > /dev/null 2>&1; then
	git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$1")
else
	(cd "$top" && tar --exclude=./build -cf - .) | tar -C "$1" -xf -
fi
