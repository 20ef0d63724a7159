#!/bin/bash
# A copy of a kernel's module tree with only the modules a packaging guest
# loads (and what they depend on), indexed by depmod, for DebInstallTest's
# systemd guest. DKMS runs `depmod -a` on every install and remove; on the
# full tree that reads 100-400 MB over 9p and takes minutes under TCG.
#
# usage: trim-modules.sh <modules dir of <kver>> <kver> <out root> <module>...
# result: <out root>/lib/modules/<kver>/
set -euo pipefail
src=${1:?usage: trim-modules.sh <modules dir> <kver> <out root> <module>...}
kver=${2:?}
out=${3:?}
shift 3
dst=$out/lib/modules/$kver
rm -rf "$out"
mkdir -p "$dst"
cp "$src"/modules.order "$src"/modules.builtin "$src"/modules.builtin.modinfo "$dst/"
declare -A want=()
for m in "$@"; do
	# modules.dep: "kernel/x/y.ko[.xz]: dep1 dep2", names with - or _
	line=$(grep -E "(^|/)${m//[-_]/[-_]}\.ko(\.[a-z]+)?:" "$src/modules.dep") ||
		{ echo "trim-modules: no module $m in $src" >&2; exit 1; }
	for f in ${line/:/}; do want[$f]=1; done
done
for f in "${!want[@]}"; do
	mkdir -p "$dst/$(dirname "$f")"
	cp "$src/$f" "$dst/$f"
done
depmod -b "$out" "$kver"
echo "trim-modules: ${#want[@]} modules of $kver in $dst"
