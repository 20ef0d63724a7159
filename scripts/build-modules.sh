#!/bin/bash
# Build every kernel module of the project for one kernel, out of tree, in a
# private object folder, and fail on any compiler or modpost warning.
#
# usage: scripts/build-modules.sh <kver> <kdir> <out-dir>
# result: <out-dir>/*.ko (eekbp.ko, eekbp_livepatch.ko and the test modules)
set -euo pipefail
kver=${1:?usage: build-modules.sh <kver> <kdir> <out-dir>}
kdir=${2:?}
out=${3:?}
top=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -e "$kdir/Makefile" ]; then
	echo "eekbp: no kernel build tree at $kdir;" \
		"install linux-headers-$kver or run 'make deps'" >&2
	exit 1
fi
obj=$top/build/obj/$kver
rm -rf "$obj"
mkdir -p "$obj" "$out"
# The dirs that hold modules, in dependency order (livepatch needs kmod's
# Module.symvers). Test-only modules live under integration-tests/kmod.
dirs=()
for d in kmod livepatch integration-tests/kmod; do
	[ -e "$top/$d/Kbuild" ] && dirs+=("$d")
done
cp -r "$top/native-headers" "$obj/native-headers"
log=$obj/build.log
: >"$log"
symvers=()
for d in "${dirs[@]}"; do
	mkdir -p "$obj/$d"
	cp -r "$top/$d/." "$obj/$d/"
	extra=""
	[ ${#symvers[@]} -gt 0 ] && extra="KBUILD_EXTRA_SYMBOLS=${symvers[*]}"
	# BTF for out-of-tree modules needs the vmlinux that 6.1 headers lack.
	if ! make -C "$kdir" M="$obj/$d" EEKBP_UAPI="$obj/native-headers" \
		CONFIG_DEBUG_INFO_BTF_MODULES= $extra modules >>"$log" 2>&1; then
		cat "$log" >&2
		echo "eekbp: module build failed for $kver in $d" >&2
		exit 1
	fi
	[ -e "$obj/$d/Module.symvers" ] && symvers+=("$obj/$d/Module.symvers")
	cp "$obj/$d"/*.ko "$out/"
done
if grep -E -i 'warning:|error:' "$log" >&2; then
	echo "eekbp: build for $kver has warnings (see above); zero are allowed" >&2
	exit 1
fi
echo "eekbp: built $(cd "$out" && ls *.ko | tr '\n' ' ')for $kver"
