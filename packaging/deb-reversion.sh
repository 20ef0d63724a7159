#!/bin/bash
# Repack the eekbp and eekbp-dkms packages of `make deb` as a higher
# version, for upgrade tests: the same files and maintainer scripts with
# every place the version is recorded changed (control, the dependency of
# eekbp on eekbp-dkms, the DKMS source folder, dkms.conf and the DKMS
# version in the maintainer scripts, the version the agent jar reports),
# without a second dpkg-buildpackage run (minutes on a loaded 2-core host).
#
# usage: packaging/deb-reversion.sh <deb-dir> <version> <out-dir> <new version>
# env: JAVA_HOME (its jar tool rewrites the agent's version.properties)
# result: <out-dir>/eekbp_<new>_amd64.deb, eekbp-dkms_<new>_all.deb
set -euo pipefail
in=${1:?usage: deb-reversion.sh <deb-dir> <version> <out-dir> <new version>}
v=${2:?}
out=${3:?}
up=${4:?}
top=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAVA_HOME:-$("$top/scripts/find-jdk.sh")}/bin/jar
[ -x "$jar" ] || { echo "eekbp: no jar tool (set JAVA_HOME to a JDK)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/eekbp-reversion.XXXXXX")
trap 'rm -rf "$work"' EXIT
ve=${v//./\\.}

md5s() {
	(cd "$1" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) \
		>"$1/DEBIAN/md5sums"
}
pack() {
	dpkg-deb --root-owner-group -Zgzip -z1 -b "$1" "$2" >/dev/null
}

d=$work/dkms
dpkg-deb -R "$in/eekbp-dkms_${v}_all.deb" "$d"
mv "$d/usr/src/eekbp-$v" "$d/usr/src/eekbp-$up"
sed -i "s/^PACKAGE_VERSION=\"$ve\"$/PACKAGE_VERSION=\"$up\"/" "$d/usr/src/eekbp-$up/dkms.conf"
sed -i "s/^DKMS_VERSION=$ve$/DKMS_VERSION=$up/" "$d/DEBIAN/postinst" "$d/DEBIAN/prerm"
sed -i "s/^Version: $ve$/Version: $up/" "$d/DEBIAN/control"
grep -q "^PACKAGE_VERSION=\"$up\"" "$d/usr/src/eekbp-$up/dkms.conf" &&
	grep -q "^DKMS_VERSION=$up$" "$d/DEBIAN/postinst" ||
	{ echo "eekbp: eekbp-dkms $v does not record its version where expected" >&2; exit 1; }
md5s "$d"
pack "$d" "$out/eekbp-dkms_${up}_all.deb"

a=$work/agent
dpkg-deb -R "$in/eekbp_${v}_amd64.deb" "$a"
sed -i -e "s/^Version: $ve$/Version: $up/" -e "s/eekbp-dkms (= $ve)/eekbp-dkms (= $up)/" "$a/DEBIAN/control"
grep -q "eekbp-dkms (= $up)" "$a/DEBIAN/control" ||
	{ echo "eekbp: eekbp $v does not depend on eekbp-dkms (= $v)" >&2; exit 1; }
mkdir -p "$work/stamp/dev/eekbp/agent"
printf 'version=%s\n' "$up" >"$work/stamp/dev/eekbp/agent/version.properties"
"$jar" --update --file "$a/usr/lib/eekbp/eekbp-agent.jar" -C "$work/stamp" dev/eekbp/agent/version.properties
md5s "$a"
pack "$a" "$out/eekbp_${up}_amd64.deb"
ls -l "$out"/eekbp*_"$up"_*.deb
