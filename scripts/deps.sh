#!/bin/bash
# Install what the build and tests need, idempotently, and fetch the kernel
# test matrix into the cache. Safe to run again; does nothing when complete.
#
# usage: scripts/deps.sh <cache-dir> <kver>...
set -euo pipefail
cache=${1:?usage: deps.sh <cache-dir> <kver>...}
shift

pkgs=(qemu-system-x86 busybox-static kmod cpio xz-utils zstd iproute2
	gcc make bc flex bison libelf-dev pahole sockperf iperf3 netsniff-ng
	procps psmisc linux-source-6.1 ipmitool docker.io socat jq ethtool
	maven debhelper dh-dkms dkms lintian dpkg-dev fakeroot prometheus curl
	systemd systemd-sysv dbus)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "eekbp: missing packages: ${missing[*]}; run 'make deps' as root" >&2
		exit 1
	fi
	echo "eekbp: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# A debian checkpatch.pl for kernel style checks.
if [ ! -e "$cache/checkpatch/checkpatch.pl" ]; then
	src=$(ls /usr/src/linux-source-6.1.tar.* | head -1)
	mkdir -p "$cache/checkpatch"
	tar -xf "$src" -C "$cache/checkpatch" --strip-components=2 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
for k in "$@"; do
	"$(dirname "$0")/fetch-kernel.sh" "$k" "$cache/kernels"
done
