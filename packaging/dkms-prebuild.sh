#!/bin/bash
# Build the modules of an eekbp-dkms package for one kernel with DKMS
# itself, on this machine, without touching its DKMS state: private source
# and DKMS trees, the kernel's headers from <kdir>. Result: a DKMS
# binaries-only tarball that `dkms ldtarball` + `dkms install` load on a
# machine of that kernel with no compiler or headers (the test guests,
# where a build under TCG would take minutes).
#
# usage: packaging/dkms-prebuild.sh <eekbp-dkms.deb> <kver> <kdir> <out.tar.gz>
set -euo pipefail
deb=${1:?usage: dkms-prebuild.sh <eekbp-dkms.deb> <kver> <kdir> <out.tar.gz>}
kver=${2:?}
kdir=${3:?}
out=${4:?}
command -v dkms >/dev/null || { echo "eekbp: dkms missing: make deps" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/eekbp-dkms.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/pkg"
src=$(echo "$work"/pkg/usr/src/eekbp-*)
ver=${src##*/eekbp-}
mkdir -p "$work/tree" "$work/install"
trees=(--sourcetree "$work/pkg/usr/src" --dkmstree "$work/tree" --installtree "$work/install")
# sign_file unset to a missing tool: no MOK key is made or used here.
export sign_file=/nonexistent
dkms add -m eekbp -v "$ver" "${trees[@]}" >"$work/log" 2>&1 &&
	dkms build -m eekbp -v "$ver" -k "$kver" --kernelsourcedir "$kdir" "${trees[@]}" >>"$work/log" 2>&1 &&
	dkms mktarball -m eekbp -v "$ver" -k "$kver" --binaries-only --archive "$(basename "$out")" \
		"${trees[@]}" >>"$work/log" 2>&1 || {
	cat "$work/log" "$work"/tree/eekbp/"$ver"/build/make.log >&2 2>/dev/null
	echo "eekbp: DKMS build of eekbp $ver for $kver failed (log above)" >&2
	exit 1
}
mkdir -p "$(dirname "$out")"
mv "$work/tree/eekbp/$ver/tarball/$(basename "$out")" "$out"
echo "eekbp: DKMS modules of eekbp $ver for $kver: $out"
