#!/bin/bash
# Build the busybox initramfs the QEMU test guests boot: busybox-static, the
# modules that mount the host root over virtio 9p and overlayfs (systemd
# guests), in load order, and the
# guest init from integration-tests/guest/.
#
# usage: scripts/make-initramfs.sh <kver> <image-root> <out.cpio.gz>
#   image-root: the extracted linux-image package (holds lib/modules/<kver>)
set -euo pipefail
kver=${1:?usage: make-initramfs.sh <kver> <image-root> <out.cpio.gz>}
image=${2:?}
out=${3:?}
top=$(cd "$(dirname "$0")/.." && pwd)
busybox=/bin/busybox
if ! { ldd "$busybox" 2>&1 || true; } | grep -q 'not a dynamic'; then
	echo "eekbp: $busybox is not static; apt-get install busybox-static" >&2
	exit 1
fi
[ -d "$image/lib/modules/$kver" ] || {
	echo "eekbp: no modules at $image/lib/modules/$kver; run 'make deps'" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/eekbp-initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,modules}
cp "$busybox" "$work/bin/busybox"
install -m 0755 "$top/integration-tests/guest/init" "$work/init"
install -m 0755 "$top/integration-tests/guest/stage2.sh" "$work/stage2.sh"
install -m 0644 "$top/integration-tests/guest/systemd-root.sh" "$work/systemd-root.sh"

# Load order from modprobe; built-in modules (6.12: virtio_pci) drop out.
modprobe -d "$image" -S "$kver" --show-depends -a virtio_pci virtio_net \
	9pnet_virtio 9p overlay | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r ko; do
		name=$(basename "$ko")
		name=${name%.xz}
		name=${name%.zst}
		case "$ko" in
		*.xz) xz -dc "$ko" >"$work/modules/$name" ;;
		*.zst) zstd -qdc "$ko" >"$work/modules/$name" ;;
		*) cp "$ko" "$work/modules/$name" ;;
		esac
		echo "$name" >>"$work/modules/order"
	done
[ -s "$work/modules/order" ] || {
	echo "eekbp: modprobe found no 9p/virtio modules for $kver" >&2
	exit 1
}

mkdir -p "$(dirname "$out")"
(cd "$work" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -1 >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "eekbp: initramfs for $kver: $out ($(wc -l <"$work/modules/order") modules)"
