#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.1) over src/.
# The script and its data files are extracted once into the cache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${UPROBECTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uprobectl}/checkpatch
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n1 || true)
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	if [ -z "$tarball" ]; then
		echo "checkpatch: /usr/src/linux-source-6.1.tar.* missing: run 'apt-get install linux-source-6.1'" >&2
		exit 1
	fi
	mkdir -p "$cache"
	tar -xf "$tarball" -C "$cache" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
cd "$top"
files=$(find src -name '*.[ch]' | sort)
# shellcheck disable=SC2086
"$cache/scripts/checkpatch.pl" --no-tree --quiet --terse --show-types -f $files
