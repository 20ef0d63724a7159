#!/bin/bash
# Build the modules of an eekbp-dkms package for one kernel with DKMS
# itself, on this machine, without touching its DKMS state: private source
# and DKMS trees, the kernel's headers from <kdir>. Result: a DKMS
# binaries-only tarball that `dkms ldtarball` + `dkms install` load on a
# machine of that kernel with no compiler or headers (the test guests,
# where a build under TCG would take minutes).
#
# usage: packaging/dkms-prebuild.sh <eekbp-dkms.deb> <kver> <kdir> <out.tar.gz>
#        packaging/dkms-prebuild.sh --as-version <ver> <in.tar.gz> <out.tar.gz>
# The second form relabels the modules of a tarball as version <ver>, for
# packages repacked from the same sources (packaging/deb-reversion.sh).
set -euo pipefail
if [ "${1:-}" = --as-version ]; then
	ver=${2:?}
	in=${3:?}
	out=${4:?}
	work=$(mktemp -d "${TMPDIR:-/tmp}/eekbp-dkms.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	tar -xzf "$in" -C "$work"
	b=$work/dkms_binaries_only
	old=$(cat "$b/PACKAGE_VERSION")
	echo "$ver" >"$b/PACKAGE_VERSION"
	sed -i "s/^PACKAGE_VERSION=\"${old//./\\.}\"$/PACKAGE_VERSION=\"$ver\"/" "$b/dkms.conf"
	grep -q "^PACKAGE_VERSION=\"$ver\"$" "$b/dkms.conf" || { echo "eekbp: no PACKAGE_VERSION in $in" >&2; exit 1; }
	mkdir -p "$(dirname "$out")"
	tar -czf "$out.tmp" -C "$work" . && mv "$out.tmp" "$out"
	echo "eekbp: DKMS modules of $in as version $ver: $out"
	exit 0
fi
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
