#!/bin/bash
# Fetch one Debian kernel of the test matrix into a cache folder, without
# installing it to /boot: image, modules and build headers, extracted.
#
# usage: scripts/fetch-kernel.sh <kver> <cache-dir>
#   <kver> e.g. 6.1.0-47-amd64 or 6.12.117+deb12-amd64
# result: <cache-dir>/<kver>/{vmlinuz,root/,build/} and a .done stamp
set -euo pipefail

kver=${1:?usage: fetch-kernel.sh <kver> <cache-dir>}
cache=${2:?usage: fetch-kernel.sh <kver> <cache-dir>}
mkdir -p "$cache"
dest=$(cd "$cache" && pwd)/$kver
[ -e "$dest/.done" ] && exit 0

common=${kver%-amd64}-common
case $kver in
6.1.*) kbuild=linux-kbuild-6.1 ;;
*) kbuild=linux-kbuild-${kver%-amd64} ;;
esac

rm -rf "$dest"
mkdir -p "$dest/debs" "$dest/root"
echo "eekbp: fetching kernel $kver (image, headers) into $dest"
download() {
	(cd "$dest/debs" && apt-get download -q "linux-image-$kver" \
		"linux-headers-$kver" "linux-headers-$common" >/dev/null 2>&1)
}
# A fresh machine may have stale package lists: update once and retry.
download || { apt-get update -q >/dev/null && download; } || {
	echo "eekbp: cannot download linux-image-$kver from apt;" \
		"run 'apt-get update' or pick a kernel apt-cache lists" >&2
	exit 1
}
# kbuild (fixdep, modpost, ...) is a plain package without triggers.
if ! dpkg -s "$kbuild" >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$kbuild" >/dev/null
fi
for deb in "$dest"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dest/root"
done
rm -rf "$dest/debs"

# Headers: the -amd64 tree refers to the -common tree by absolute path.
hdr=$dest/root/usr/src/linux-headers-$kver
sed -i "s#/usr/src/linux-headers-$common#$dest/root/usr/src/linux-headers-$common#g" \
	"$hdr/Makefile"
ln -sfn "$hdr" "$dest/build"
# scripts/ and tools/ link relatively into the installed kbuild package.
mkdir -p "$dest/root/usr/lib"
ln -sfn "/usr/lib/$kbuild" "$dest/root/usr/lib/$kbuild"
# 6.1 scripts/ links into the installed kbuild; keep that absolute link.
ln -sfn "$dest/root/boot/vmlinuz-$kver" "$dest/vmlinuz"

# 6.12 ships no modules.dep in the package.
depmod -b "$dest/root" "$kver"
touch "$dest/.done"
echo "eekbp: kernel $kver ready"
