# SPDX-License-Identifier: GPL-2.0
# Containers: a program run from an overlayfs (every Docker/Podman root)
# maps its real file, lower or (once copied up) upper; a probe added
# through the overlay path counts its hits exactly, as does one added
# through the lower path or a bind mount of it, and a process in another
# mount namespace is probed too. Nothing left behind.
. "$SUITE/lib.sh"
load
modprobe overlay || fail "modprobe overlay"
set -- $(target offset target_func)
bin=$1
off=$2
o=$(mktemp -d)
mkdir -p "$o/lower" "$o/upper" "$o/work" "$o/merged" "$o/bind"
cp "$bin" "$o/lower/target"
cp "$bin" "$o/lower/target2"
cp "$(dirname "$bin")/libtarget.so" "$o/lower/"
mount -t overlay overlay -o "lowerdir=$o/lower,upperdir=$o/upper,workdir=$o/work" "$o/merged" ||
	fail "mount overlay"
ref=$(target loop 1000)

# A deleted probe's site pins its file's mount until it is freed, after
# an RCU grace period (as the kernel's uprobes make umount EBUSY): allow it.
umount_soon() { # DIR
	local tries=0
	until umount "$1" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 200 ] || fail "umount $1: busy"
		sleep 0.05
	done
}

# PATH NAME: a probe through PATH, the program run from the overlay.
check() {
	local id out
	id=$(uprobectl add "$1:$off") || fail "add $1"
	out=$("$o/merged/$(basename "$1")" loop 1000) || fail "$2: exited $?"
	assert_eq "$out" "$ref" "$2: output unchanged"
	assert_eq "$(hits "$id")" 1000 "$2: hits"
	uprobectl del "$id" || fail "del"
}
check "$o/merged/target" "overlay path, lower-only file"
check "$o/lower/target" "lower path"
mount --bind "$o/lower" "$o/bind" || fail "mount --bind"
check "$o/bind/target" "bind mount of the lower directory"
# A copy-up: the upper file is a new file the process maps.
chmod 700 "$o/merged/target2"
[ -e "$o/upper/target2" ] || fail "no copy-up"
check "$o/merged/target2" "overlay path, copied-up file"
check "$o/upper/target2" "upper path"

# A process in a mount namespace of its own, its own (read-only) overlay
# of the same lower directory mounted there only.
umount_soon "$o/bind"
mkdir -p "$o/empty" "$o/ns"
id=$(uprobectl add "$o/merged/target:$off") || fail "add"
out=$(unshare -m sh -c "mount -t overlay overlay -o 'lowerdir=$o/empty:$o/lower' '$o/ns' &&
	'$o/ns/target' loop 1000" 2>&1) || fail "in another mount namespace: $out"
[ -z "$(ls "$o/ns")" ] || fail "the namespace's overlay is visible outside it"
assert_eq "$out" "$ref" "another mount namespace: output unchanged"
assert_eq "$(hits "$id")" 1000 "another mount namespace: hits"
uprobectl del "$id"
umount_soon "$o/merged"
assert_idle
