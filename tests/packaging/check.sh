#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make check-packages': DKMS and the packages, end to end. It installs
# packages and kernel headers, so it runs as root on a throwaway machine
# (CI does; .ci/run calls it):
#  - one version number in VERSION, dkms.conf, debian/changelog, the spec;
#  - the .debs build (dpkg-buildpackage) and lintian finds no error; the
#    RPMs build (rpmbuild -bb);
#  - with the 6.1 headers installed, dpkg -i builds and installs the module
#    through DKMS; installing the 6.12 headers then builds it for 6.12
#    through DKMS's kernel hooks, with no manual step;
#  - the .ko DKMS built for each kernel is the one the VM loads with
#    modprobe, and the core in-VM suite passes with it;
#  - dpkg -P leaves nothing behind (dkms status empty, files gone).
# One "PASS name"/"FAIL name" line per step (appended to $RESULTS if set).
# SKIP_VM=1 leaves out the VM part.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
out=$BUILD/packaging
rm -rf "$out"
mkdir -p "$out"
failed=0
record() {
	printf '%s %s\n' "$1" "$2"
	[ -z "${RESULTS:-}" ] || printf '%s %s\n' "$1" "$2" >> "$RESULTS"
	[ "$1" = PASS ] || failed=1
}
step() { # NAME CMD...: one result line, the command's output in the log
	local name=$1
	shift
	echo "### packaging/$name"
	if "$@" > "$out/$name.log" 2>&1; then
		record PASS "packaging/$name"
	else
		tail -30 "$out/$name.log"
		record FAIL "packaging/$name"
	fi
}
if [ "$(id -u)" != 0 ]; then
	echo "check-packages: run as root on a throwaway machine: it installs packages and kernel headers"
	exit 1
fi
cd "$top"
ver=$(cat VERSION)
export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -qq --no-install-recommends "$@"; }

step build-deps apt_install dkms dh-dkms debhelper lintian rpm fakeroot dpkg-dev libelf-dev gcc make

versions() {
	local d c s
	d=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	c=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
	s=$(sed -n 's/^Version: *//p' packaging/rpm/uprobectl.spec)
	echo "VERSION $ver, dkms.conf $d, debian/changelog $c, spec $s"
	[ "$d" = "$ver" ] && [ "$c" = "$ver" ] && [ "$s" = "$ver" ]
}
step one-version versions

# Nothing of ours installed before we start.
dpkg -P uprobectl uprobectl-dkms uprobectl-dev > /dev/null 2>&1
step deb-build env OUT="$out/deb" packaging/build-deb.sh
step lintian lintian --fail-on error "$out/deb/uprobectl_${ver}_amd64.changes"
step rpm-build env OUT="$out/rpm" packaging/build-rpm.sh

# The releases the test bed boots, resolved the same way.
read -r _ rel61 _ < <(tests/vm/fetch-kernels.sh 6.1)
read -r _ rel612 _ < <(tests/vm/fetch-kernels.sh 6.12)
installed_for() { # RELEASE: DKMS says installed, and the .ko is there
	local st path
	st=$(dkms status -m uprobectl -v "$ver" -k "$1")
	path=$(modinfo -k "$1" -n uprobectl 2>&1)
	echo "$1: $st; modinfo: $path"
	case $st in *": installed"*) ;; *) return 1 ;; esac
	case $path in "/lib/modules/$1/updates/dkms/uprobectl.ko"*) ;; *) return 1 ;; esac
}
# From the tree: make dkms-install, then dkms build and install for both
# kernels' headers; a kernel outside BUILD_EXCLUSIVE is refused at once.
from_tree() {
	local r
	apt_install "linux-headers-$rel61" "linux-headers-$rel612" &&
		make -s dkms-install || return 1
	for r in "$rel61" "$rel612"; do
		dkms build -m uprobectl -v "$ver" -k "$r" && dkms install -m uprobectl -v "$ver" -k "$r" &&
			installed_for "$r" || return 1
	done
	local msg k
	# An older line, and a line between the two.
	for k in 5.10.0-99-amd64 6.6.13+bpo-amd64; do
		msg=$(dkms build -m uprobectl -v "$ver" -k "$k" 2>&1)
		echo "$msg"
		echo "$msg" | grep "BUILD_EXCLUSIVE directive which does not match" > /dev/null || return 1
	done
	dkms remove -m uprobectl -v "$ver" --all && rm -rf "/usr/src/uprobectl-$ver" &&
		[ -z "$(dkms status -m uprobectl)" ]
}
step dkms-from-tree from_tree

# The upgrade must be real: no 6.12 headers before our packages go in.
apt-get purge -y -qq "linux-headers-$rel612" > /dev/null 2>&1
cli_version_ok() {
	local v
	v=$(uprobectl version 2>&1)	# exits 1: the module is not loaded here
	echo "$v"
	echo "$v" | grep "uprobectl CLI $ver " > /dev/null
}
first_kernel() {
	apt_install "linux-headers-$rel61" &&
		dpkg -i "$out/deb/uprobectl-dkms_${ver}_all.deb" "$out/deb/uprobectl_${ver}_amd64.deb" \
			"$out/deb/uprobectl-dev_${ver}_all.deb" &&
		installed_for "$rel61" && cli_version_ok &&
		[ -e /usr/share/man/man8/uprobectl.8.gz ] &&
		[ -e /usr/share/bash-completion/completions/uprobectl ] &&
		[ -e /usr/include/linux/uprobectl.h ]
}
step install-6.1 first_kernel
# A kernel upgrade: only the new headers are installed; DKMS's hook builds.
upgrade() {
	apt_install "linux-headers-$rel612" && installed_for "$rel612"
}
step upgrade-6.12 upgrade

if [ "${SKIP_VM:-}" != 1 ]; then
	# In the VM: the very file DKMS built, loaded by modprobe.
	# (DKMS compresses the module where the kernel's config does: 6.12.)
	mkdir -p "$out/extra"
	for r in "$rel61" "$rel612"; do
		mkdir -p "$out/ko/$r"
		ko=$(ls /lib/modules/$r/updates/dkms/uprobectl.ko*)
		case $ko in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -dc "$ko" ;;
		*) cat "$ko" ;;
		esac > "$out/ko/$r/uprobectl.ko"
		echo "$r $(sha256sum < "$out/ko/$r/uprobectl.ko" | cut -d' ' -f1)"
	done > "$out/extra/dkms-sums"
	cat > "$out/extra/dkms-module" <<'EOS'
#!/bin/sh
# The module modprobe loads is the one DKMS built for this kernel.
want=$(awk -v r="$(uname -r)" '$1 == r { print $2 }' dkms-sums)
path=$(modinfo -n uprobectl)
got=$(sha256sum < "$path" | cut -d' ' -f1)
echo "modprobe's module: $path $got; DKMS built: $want"
[ -n "$want" ] && [ "$got" = "$want" ] && grep -q '^uprobectl ' /proc/modules
EOS
	chmod +x "$out/extra/dkms-module"
	step vm env MODULE_KO="$out/ko/{rel}/uprobectl.ko" KERNELS="6.1 6.12" \
		TESTS='^(load-unload|version|probe-count|probe-restore|probe-shlib|probe-scope|events|cli-run|cli-fetch)$' \
		EXTRA_TESTS="$out/extra" RESULTS= BUILD="$BUILD" tests/vm/testbed.sh suite
fi

purge() {
	dpkg -P uprobectl uprobectl-dkms uprobectl-dev || return 1
	local left
	left=$(dkms status -m uprobectl)
	[ -z "$left" ] || { echo "dkms status: $left"; return 1; }
	left=$(ls -d /usr/src/uprobectl-* /var/lib/dkms/uprobectl /usr/bin/uprobectl \
		/usr/share/man/man8/uprobectl.8.gz /usr/share/bash-completion/completions/uprobectl \
		/usr/include/linux/uprobectl.h /usr/share/doc/uprobectl* \
		/lib/modules/*/updates/dkms/uprobectl.ko* 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
step purge purge
echo "check-packages: $([ $failed = 0 ] && echo passed || echo FAILED)"
exit $failed
