#!/bin/bash
# Build the eekbp and eekbp-dkms packages with dpkg-buildpackage from a
# staged copy of this tree (dpkg-buildpackage writes next to its source
# folder, so the staging keeps the checkout clean), then check them with
# lintian: any error fails the build.
#
# usage: packaging/build-deb.sh <agent jar> <out-dir> [version]
#   version: build as this (higher) version, e.g. for upgrade tests; it is
#            added as a debian/changelog entry of the staged copy only.
# env: EEKBP_LINTIAN=0 skips lintian.
# result: <out-dir>/eekbp_<v>_amd64.deb, eekbp-dkms_<v>_all.deb, lintian.txt
set -euo pipefail
jar=${1:?usage: build-deb.sh <agent jar> <out-dir> [version]}
out=${2:?usage: build-deb.sh <agent jar> <out-dir> [version]}
version=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$jar" ] || { echo "eekbp: agent jar $jar not found: run 'make agent'" >&2; exit 1; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$t" >/dev/null || {
		echo "eekbp: $t missing: run 'make deps' (debhelper, dh-dkms, lintian)" >&2
		exit 1
	}
done

# One version: debian/changelog. The poms carry <its upstream part>-SNAPSHOT.
upstream=$(dpkg-parsechangelog -l "$top/debian/changelog" -SVersion)
upstream=${upstream%-*}
pomv=$(sed -n '/<artifactId>eekbp-parent</,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$top/pom.xml" | head -1)
[ "$pomv" = "$upstream-SNAPSHOT" ] || {
	echo "eekbp: pom.xml version $pomv does not follow debian/changelog ($upstream):" \
		"set it to $upstream-SNAPSHOT (mvn versions:set -DnewVersion=$upstream-SNAPSHOT)" >&2
	exit 1
}

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage/eekbp"
src=$stage/eekbp
# The files the packages are built from (tracked or new, not ignored).
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -co --exclude-standard -- debian packaging kmod livepatch \
		native-headers docs monitoring scripts/find-jdk.sh |
		while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done |
		cpio -0 -pdm --quiet "$src")
else
	cp -a "$top"/{debian,packaging,kmod,livepatch,native-headers,docs,monitoring} "$src/"
	mkdir -p "$src/scripts" && cp "$top/scripts/find-jdk.sh" "$src/scripts/"
fi
if [ -n "$version" ]; then
	{
		echo "eekbp ($version) unstable; urgency=medium"
		echo
		echo "  * Rebuild as $version."
		echo
		echo " -- eekbp developers <maintainers@eekbp.dev>  $(date -R)"
		echo
		cat "$src/debian/changelog"
	} >"$src/debian/changelog.new"
	mv "$src/debian/changelog.new" "$src/debian/changelog"
fi
v=$(dpkg-parsechangelog -l "$src/debian/changelog" -SVersion)
rm -f "$out"/eekbp_"$v"_* "$out"/eekbp-dkms_"$v"_*
echo "eekbp: building packages $v in $out"
(cd "$src" && EEKBP_AGENT_JAR=$jar dpkg-buildpackage -b -us -uc >"$stage/build.log" 2>&1) || {
	tail -40 "$stage/build.log" >&2
	echo "eekbp: dpkg-buildpackage failed; full log: $stage/build.log" >&2
	exit 1
}
mv "$stage"/eekbp_"$v"_amd64.deb "$stage"/eekbp-dkms_"$v"_all.deb \
	"$stage"/eekbp_"$v"_amd64.changes "$stage"/eekbp_"$v"_amd64.buildinfo "$out/"
rm -rf "$src"
if [ "${EEKBP_LINTIAN:-1}" != 0 ]; then
	# --fail-on error; kept warnings are overridden in debian/*.lintian-overrides
	# with their reason (listed in docs/packaging.md).
	if ! lintian --fail-on error --info \
		"$out/eekbp_${v}_amd64.changes" >"$out/lintian.txt" 2>&1; then
		cat "$out/lintian.txt" >&2
		echo "eekbp: lintian found errors (above)" >&2
		exit 1
	fi
	echo "eekbp: lintian: $(grep -c '^E:' "$out/lintian.txt" || true) errors," \
		"$(grep -c '^W:' "$out/lintian.txt" || true) warnings (not overridden)"
fi
ls -l "$out"/eekbp*_"$v"_*.deb
