#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a debug kernel for the test bed from Debian's own sources
# (linux-source-6.1 or linux-source-6.12) and Debian's own configuration,
# trimmed to what the VM needs (no modules, no drivers for hardware the VM
# does not have, no debug info) and with the kernel's bug detectors on:
# lockdep, KASAN, UBSAN (bounds, shift), KFENCE, debug objects, list and
# atomic-sleep checks, fault injection.
#
# The result lands in the same cache and the same layout as the stock
# kernels of fetch-kernels.sh, so the test bed boots it the same way:
#   DIR/vmlinuz    the bzImage (link into root/boot)
#   DIR/headers    the built source tree: make -C DIR/headers M=... modules
#   DIR/version    the linux-source package version, "(debug build)"
#   DIR/root/lib/modules/REL/modules.{builtin,builtin.modinfo,order}
#   DIR/.complete  written last
# DIR is $cache/kernels/debug-LINE-KEY, KEY a hash of the source package's
# version, Debian's configuration, the configuration fragment below and this
# script: a change to any of them builds a new kernel, and a finished build
# is reused. An interrupted build is resumed (make is incremental).
#
# Usage: build-debug-kernel.sh 6.1|6.12
# Prints one line "NAME RELEASE DIR" on stdout (NAME: 6.1-debug or
# 6.12-debug), progress and the build's output on stderr.
# Environment: UPROBECTL_CACHE (as fetch-kernels.sh), JOBS (make -j,
# default: the number of CPUs), CONFIG_ONLY=1 (stop after the
# configuration is made and verified).
set -Eeuo pipefail

line=${1:-}
case $line in
6.1 | 6.12) ;;
*)
	echo "usage: build-debug-kernel.sh 6.1|6.12" >&2
	exit 2
	;;
esac
name=$line-debug
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
cache=${UPROBECTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uprobectl}
jobs=${JOBS:-$(nproc)}
srcpkg=linux-source-$line
tarball=/usr/src/$srcpkg.tar.xz
# The environment must not change what is built.
unset LOCALVERSION KBUILD_OUTPUT O ARCH CROSS_COMPILE CC LLVM KCFLAGS KCPPFLAGS

log() { printf 'build-debug-kernel: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

t0=$(date +%s)
tp=$t0
phase=start
declare -a timings=()
phase_begin() {
	phase=$1
	log "== $phase"
}
phase_end() {
	local now
	now=$(date +%s)
	timings+=("$(printf '%-22s %6d s' "$phase" $((now - tp)))")
	log "== $phase: $((now - tp)) s"
	tp=$now
}
report_timings() {
	local t
	for t in "${timings[@]}"; do
		log "   $t"
	done
	log "   $(printf '%-22s %6d s' total $(($(date +%s) - t0)))"
}
trap 'log "FAILED in phase \"$phase\" after $(($(date +%s) - t0)) s"' ERR

# The configuration fragment applied over Debian's configuration (after
# every =m was turned off). Options absent from one of the two lines are
# ignored by kconfig.
FRAGMENT=$(
	cat <<'EOF'
# --- identity, signing, packaging
CONFIG_LOCALVERSION="-upcdebug"
# CONFIG_LOCALVERSION_AUTO is not set
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
# Debian's configuration names certificates that are not in the source
# tarball. Module signatures stay as on the stock kernels (the lockdown LSM
# selects MODULE_SIG): checked, not forced, so the test bed's unsigned
# module loads (taint E); the build generates its own signing key.
# CONFIG_MODULE_SIG_FORCE is not set
# CONFIG_MODULE_SIG_ALL is not set
CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"
CONFIG_SYSTEM_TRUSTED_KEYS=""
CONFIG_SYSTEM_REVOCATION_KEYS=""
# CONFIG_IMA_APPRAISE_REQUIRE_MODULE_SIGS is not set
CONFIG_LOCK_DOWN_KERNEL_FORCE_NONE=y
# CONFIG_MODULE_COMPRESS is not set
CONFIG_MODULE_COMPRESS_NONE=y
# CONFIG_IKHEADERS is not set
# CONFIG_WERROR is not set
# CONFIG_OBJTOOL_WERROR is not set
# --- no debug info, hence no BTF: build time and size
CONFIG_DEBUG_INFO_NONE=y
# CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT is not set
# CONFIG_DEBUG_INFO_DWARF4 is not set
# CONFIG_DEBUG_INFO_DWARF5 is not set
# CONFIG_DEBUG_INFO_BTF is not set
# CONFIG_DEBUG_INFO_BTF_MODULES is not set
# CONFIG_GDB_SCRIPTS is not set
# --- what the VM does not have (most of it was modules already)
# CONFIG_DRM is not set
# CONFIG_FB is not set
# CONFIG_SOUND is not set
# CONFIG_MEDIA_SUPPORT is not set
# CONFIG_NETDEVICES is not set
# CONFIG_WIRELESS is not set
# CONFIG_WLAN is not set
# CONFIG_BT is not set
# CONFIG_NFC is not set
# CONFIG_CAN is not set
# CONFIG_ATM is not set
# CONFIG_INFINIBAND is not set
# CONFIG_STAGING is not set
# CONFIG_USB_SUPPORT is not set
# CONFIG_VIRTUALIZATION is not set
# CONFIG_KVM is not set
# CONFIG_XEN is not set
# CONFIG_HYPERV is not set
# CONFIG_KUNIT is not set
# CONFIG_X86_PLATFORM_DEVICES is not set
# CONFIG_CHROME_PLATFORMS is not set
# CONFIG_SURFACE_PLATFORMS is not set
# --- what the test bed uses
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_PROC_FS=y
CONFIG_SYSFS=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_OVERLAY_FS=y
CONFIG_UNIX98_PTYS=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_NAMESPACES=y
CONFIG_UTS_NS=y
CONFIG_IPC_NS=y
CONFIG_USER_NS=y
CONFIG_PID_NS=y
CONFIG_NET_NS=y
CONFIG_CGROUPS=y
CONFIG_MEMCG=y
CONFIG_USERFAULTFD=y
CONFIG_BPF_SYSCALL=y
CONFIG_DEBUG_FS=y
CONFIG_FTRACE=y
CONFIG_FUNCTION_TRACER=y
CONFIG_DYNAMIC_FTRACE=y
CONFIG_KPROBES=y
CONFIG_KPROBE_EVENTS=y
CONFIG_UPROBE_EVENTS=y
# --- bug detectors
CONFIG_DEBUG_KERNEL=y
CONFIG_PROVE_LOCKING=y
CONFIG_PROVE_RAW_LOCK_NESTING=y
# Room for a big kernel's lock graph: running out is reported as a BUG.
CONFIG_LOCKDEP_BITS=16
CONFIG_LOCKDEP_CHAINS_BITS=17
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_OUTLINE=y
# CONFIG_KASAN_INLINE is not set
# CONFIG_KASAN_KUNIT_TEST is not set
# CONFIG_KASAN_MODULE_TEST is not set
CONFIG_UBSAN=y
CONFIG_UBSAN_SANITIZE_ALL=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
# CONFIG_UBSAN_TRAP is not set
# CONFIG_UBSAN_DIV_ZERO is not set
# CONFIG_UBSAN_UNREACHABLE is not set
# CONFIG_UBSAN_BOOL is not set
# CONFIG_UBSAN_ENUM is not set
# CONFIG_UBSAN_ALIGNMENT is not set
# CONFIG_UBSAN_SIGNED_WRAP is not set
# CONFIG_UBSAN_INTEGER_WRAP is not set
# CONFIG_TEST_UBSAN is not set
CONFIG_KFENCE=y
CONFIG_KFENCE_SAMPLE_INTERVAL=100
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_OBJECTS=y
# CONFIG_DEBUG_OBJECTS_SELFTEST is not set
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
CONFIG_DEBUG_OBJECTS_WORK=y
CONFIG_DEBUG_OBJECTS_TIMERS=y
CONFIG_DEBUG_OBJECTS_ENABLE_DEFAULT=1
CONFIG_SLUB_DEBUG=y
CONFIG_FAULT_INJECTION=y
CONFIG_FAILSLAB=y
CONFIG_FAIL_PAGE_ALLOC=y
CONFIG_FUNCTION_ERROR_INJECTION=y
CONFIG_FAIL_FUNCTION=y
CONFIG_FAULT_INJECTION_DEBUG_FS=y
EOF
)

# Must come out =y (including what the options above select).
REQUIRED_Y="MODULES MODULE_UNLOAD BLK_DEV_INITRD RD_GZIP BINFMT_ELF
BINFMT_SCRIPT PROC_FS SYSFS DEVTMPFS TMPFS OVERLAY_FS UNIX98_PTYS SERIAL_8250
SERIAL_8250_CONSOLE NAMESPACES UTS_NS IPC_NS USER_NS PID_NS NET_NS CGROUPS
MEMCG USERFAULTFD BPF_SYSCALL DEBUG_FS TRACING FTRACE FUNCTION_TRACER
DYNAMIC_FTRACE KPROBES KPROBES_ON_FTRACE KPROBE_EVENTS UPROBES UPROBE_EVENTS
DEBUG_KERNEL PROVE_LOCKING PROVE_RCU PROVE_RAW_LOCK_NESTING DEBUG_ATOMIC_SLEEP
KASAN KASAN_GENERIC KASAN_OUTLINE UBSAN UBSAN_BOUNDS UBSAN_SHIFT KFENCE
DEBUG_LIST DEBUG_OBJECTS DEBUG_OBJECTS_RCU_HEAD DEBUG_OBJECTS_WORK
DEBUG_OBJECTS_TIMERS SLUB_DEBUG FAULT_INJECTION FAILSLAB FAIL_PAGE_ALLOC
FUNCTION_ERROR_INJECTION FAIL_FUNCTION FAULT_INJECTION_DEBUG_FS"
# Must not come out =y or =m.
REQUIRED_N="MODULE_SIG_FORCE IMA_APPRAISE_REQUIRE_MODULE_SIGS
LOCK_DOWN_KERNEL_FORCE_INTEGRITY LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY DEBUG_INFO DEBUG_INFO_BTF
DEBUG_INFO_BTF_MODULES UBSAN_TRAP UBSAN_DIV_ZERO UBSAN_UNREACHABLE UBSAN_BOOL
UBSAN_ENUM UBSAN_ALIGNMENT UBSAN_SIGNED_WRAP UBSAN_INTEGER_WRAP WERROR KUNIT"
# Exact values.
REQUIRED_VAL='CONFIG_LOCALVERSION="-upcdebug"
CONFIG_KFENCE_SAMPLE_INTERVAL=100'

# ---------------------------------------------------------------------------
phase_begin packages
pkgs=("$srcpkg" make gcc libc6-dev bc bison flex libssl-dev libelf-dev
	xz-utils perl kmod openssl)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	log "installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2; then
		die "cannot install ${missing[*]} (run 'apt-get update' first?)"
	fi
fi
[ -f "$tarball" ] || die "$tarball missing (is $srcpkg installed?)"
srcver=$(dpkg-query -W -f='${Version}' "$srcpkg")
phase_end

# ---------------------------------------------------------------------------
phase_begin stock-config
stock=$("$here/fetch-kernels.sh" "$line")
read -r _ stock_rel stock_dir <<<"$stock"
[ -n "${stock_dir:-}" ] || die "fetch-kernels.sh $line gave no kernel"
base_config=$stock_dir/root/boot/config-$stock_rel
[ -f "$base_config" ] || die "no $base_config"
stock_ver=$(cat "$stock_dir/version")
log "source: $srcpkg $srcver; configuration: $stock_rel ($stock_ver)"
[ "$stock_ver" = "$srcver" ] ||
	log "note: the source ($srcver) and the stock kernel ($stock_ver) differ; olddefconfig fills the gap"
key=$({
	echo "$srcver"
	sha256sum <"$base_config"
	printf '%s\n' "$FRAGMENT"
	cat "$self"
} | sha256sum | cut -c1-12)
dir=$cache/kernels/debug-$line-$key
tree=$dir/src
phase_end

finish() { # print the result line
	echo "$name $(cat "$dir/release") $dir"
}
if [ -e "$dir/.complete" ]; then
	log "reusing $dir"
	finish
	exit 0
fi

# One build per line at a time; a second caller waits for the first.
mkdir -p "$cache/kernels"
exec 9>"$cache/kernels/.debug-$line.lock"
if ! flock -n 9; then
	log "another build of the $line debug kernel is running: waiting"
	flock 9
fi
if [ -e "$dir/.complete" ]; then
	log "reusing $dir (built meanwhile)"
	finish
	exit 0
fi
# Unfinished builds for an older key are of no use any more.
for d in "$cache/kernels/debug-$line-"*; do
	if [ ! -d "$d" ] || [ "$d" = "$dir" ] || [ -e "$d/.complete" ]; then
		continue
	fi
	log "removing the unfinished $d"
	rm -rf "$d"
done
avail=$(df -Pk "$cache/kernels" | awk 'NR == 2 { print int($4 / 1048576) }')
[ "$avail" -ge 8 ] || log "warning: only ${avail} GiB free under $cache; the build needs about 5"
log "building in $dir"

# ---------------------------------------------------------------------------
phase_begin extract
if [ -e "$tree/.extracted" ]; then
	log "source already extracted (resuming)"
else
	rm -rf "$tree"
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1
	touch "$tree/.extracted"
fi
phase_end

# ---------------------------------------------------------------------------
phase_begin config
kmake() { nice -n 19 make -C "$tree" "$@"; }
# Turn every =m into "not set": the VM loads no module but ours.
no_modules() { sed -i 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' "$1"; }
# Replace the fragment's symbols in CONFIG by the fragment's lines.
merge_fragment() { # CONFIG
	printf '%s\n' "$FRAGMENT" >"$1.fragment"
	awk '
		function sym(l) { sub(/^# /, "", l); sub(/[= ].*/, "", l); return l }
		NR == FNR { if ($0 ~ /^(# )?CONFIG_[A-Za-z0-9_]+[= ]/) f[sym($0)] = 1; frag[++n] = $0; next }
		$0 ~ /^(# )?CONFIG_[A-Za-z0-9_]+[= ]/ && (sym($0) in f) { next }
		{ print }
		END { print "# --- build-debug-kernel.sh"; for (i = 1; i <= n; i++) print frag[i] }
	' "$1.fragment" "$1" >"$1.new"
	mv "$1.new" "$1"
	rm -f "$1.fragment"
}
cfg=$tree/.config
new=$tree/.config.debug
cp "$base_config" "$new"
no_modules "$new"
merge_fragment "$new"
# Write .config only when it changes: a resumed build keeps its objects.
if ! cmp -s "$new" "$tree/.config.debug.last"; then
	cp "$new" "$cfg"
	cp "$new" "$tree/.config.debug.last"
fi
rm -f "$new"
kmake -s olddefconfig >&2
# olddefconfig may bring modules back (new defaults): turn them off again.
for _ in 1 2 3; do
	grep -q '=m$' "$cfg" || break
	no_modules "$cfg"
	kmake -s olddefconfig >&2
done

# Verify.
bad=()
for s in $REQUIRED_Y; do
	grep -qx "CONFIG_$s=y" "$cfg" || bad+=("CONFIG_$s=y (got: $(grep -E "^(# )?CONFIG_${s}[= ]" "$cfg" || echo absent))")
done
for s in $REQUIRED_N; do
	! grep -qE "^CONFIG_$s=[ym]$" "$cfg" || bad+=("CONFIG_$s off (got: $(grep "^CONFIG_$s=" "$cfg"))")
done
while read -r v; do
	grep -qxF "$v" "$cfg" || bad+=("$v (got: $(grep "^${v%%=*}=" "$cfg" || echo absent))")
done <<<"$REQUIRED_VAL"
for s in SYSTEM_TRUSTED_KEYS SYSTEM_REVOCATION_KEYS; do
	! grep -q "^CONFIG_$s=\"..*\"" "$cfg" || bad+=("CONFIG_$s=\"\" (got: $(grep "^CONFIG_$s=" "$cfg"))")
done
nmod=$(grep -c '=m$' "$cfg" || true)
[ "$nmod" -eq 0 ] || bad+=("no =m option (got $nmod: $(grep '=m$' "$cfg" | head -5 | tr '\n' ' '))")
if [ ${#bad[@]} -gt 0 ]; then
	log "the configuration is not as required:"
	printf '  %s\n' "${bad[@]}" >&2
	die "configuration check failed (${#bad[@]} problems), see $cfg"
fi
log "configuration verified: $(wc -w <<<"$REQUIRED_Y") options =y, $(wc -w <<<"$REQUIRED_N") off, no =m;" \
	"$(grep -c '=y$' "$cfg") options =y in all (Debian: $(grep -c '=y$' "$base_config") =y, $(grep -c '=m$' "$base_config") =m)"
rel=$(kmake -s kernelrelease)
log "release: $rel"
phase_end
if [ "${CONFIG_ONLY:-}" = 1 ]; then
	report_timings
	exit 0
fi

# ---------------------------------------------------------------------------
# "modules" with no module still runs modpost, which writes Module.symvers
# (vmlinux's exports and CRCs) that out-of-tree module builds need.
phase_begin build
kmake -j"$jobs" bzImage modules >&2
for f in arch/x86/boot/bzImage Module.symvers; do
	[ -s "$tree/$f" ] || die "the build made no $f"
done
phase_end

# ---------------------------------------------------------------------------
phase_begin layout
mods=$dir/root/lib/modules/$rel
mkdir -p "$dir/root/boot" "$mods"
cp "$tree/arch/x86/boot/bzImage" "$dir/root/boot/vmlinuz-$rel"
cp "$tree/.config" "$dir/root/boot/config-$rel"
cp "$tree/System.map" "$dir/root/boot/System.map-$rel"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	if [ -f "$tree/$f" ]; then
		cp "$tree/$f" "$mods/$f"
	else
		: >"$mods/$f"
	fi
done
ln -sfn "root/boot/vmlinuz-$rel" "$dir/vmlinuz"
ln -sfn src "$dir/headers"
echo "$srcver (debug build)" >"$dir/version"
echo "$rel" >"$dir/release"
phase_end

# ---------------------------------------------------------------------------
# An out-of-tree module builds against the tree the way the test bed builds
# ours (W=1, no warning allowed) and gets this release's vermagic.
phase_begin module-test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/hello.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_init(void)
{
	pr_info("hello\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("bye\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("build-debug-kernel.sh's test module");
EOF
echo 'obj-m := hello.o' >"$tmp/Kbuild"
if ! make -C "$dir/headers" M="$tmp" W=1 modules >"$tmp/build.log" 2>&1; then
	cat "$tmp/build.log" >&2
	die "a test module does not build against $dir/headers"
fi
if grep -E 'warning:|error:' "$tmp/build.log" >&2; then
	die "a test module builds with warnings against $dir/headers"
fi
vermagic=$(modinfo -F vermagic "$tmp/hello.ko")
case $vermagic in
"$rel "*) ;;
*) die "the test module's vermagic '$vermagic' is not for $rel" ;;
esac
log "test module built: vermagic $vermagic"
phase_end

touch "$dir/.complete"
log "done: $dir (source tree kept as headers: $(du -sh "$tree" | cut -f1))"
report_timings
finish
