#!/bin/bash
# Compare the kernel code eekbp copies or replaces with the same code in the
# Debian source of every kernel of the matrix. kmod/upstream-copies.txt
# records, per kernel series, the sha256 of each upstream function or struct
# as it was when the copy was written; a kernel whose source differs fails
# with the new upstream text, so the copy is reviewed before it ships.
#
# usage: scripts/check-upstream.sh <cache-dir> <kver>...
#        scripts/check-upstream.sh --print <cache-dir> <kver>
#   --print writes the records for that kernel (to review and commit after
#   the copies were brought up to date).
# Downloads linux-source-<series> of the exact Debian version each kernel
# image was built from (Built-Using), once, into <cache-dir>/upstream.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
records=$top/kmod/upstream-copies.txt
print=0
if [ "${1:-}" = --print ]; then
	print=1
	shift
fi
cache=${1:?usage: check-upstream.sh [--print] <cache-dir> <kver>...}
shift
[ $# -gt 0 ] || { echo "usage: check-upstream.sh [--print] <cache-dir> <kver>..." >&2; exit 2; }
mkdir -p "$cache/upstream"
cache=$(cd "$cache/upstream" && pwd)

# <file> <kind> <name>: the text of a top-level function or struct.
extract() {
	case $2 in
	function)
		awk -v n="$3" '
			!on && $0 ~ "^[a-z].*[ *]" n "\\(" && $0 !~ ";$" { on = 1 }
			on { print }
			on && /^}/ { exit }' "$1" ;;
	struct)
		awk -v n="$3" '
			!on && $0 == "struct " n " {" { on = 1 }
			on { print }
			on && /^};/ { exit }' "$1" ;;
	esac
}

# <kver>: "<series> <dir>" with the kernel's Debian source extracted there.
source_of() {
	local kver=$1 using pkg ver series dir deb
	using=$(apt-cache show "linux-image-$kver" 2>/dev/null |
		sed -n 's/^Built-Using: \(linux[-0-9.]*\) (= \(.*\))$/\1 \2/p' | head -1)
	[ -n "$using" ] || {
		echo "check-upstream: apt knows no linux-image-$kver (run apt-get update)" >&2
		return 1
	}
	pkg=${using% *}
	ver=${using#* }
	series=$(echo "$ver" | cut -d. -f1-2)
	dir=$cache/$ver
	if [ ! -e "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		echo "check-upstream: fetching linux-source-$series=$ver ($pkg) for $kver" >&2
		(cd "$dir" && apt-get download -q "linux-source-$series=$ver" \
			>/dev/null 2>&1) || {
			echo "check-upstream: cannot download linux-source-$series=$ver;" \
				"the copies of $kver cannot be checked" >&2
			return 1
		}
		deb=$(ls "$dir"/linux-source-*.deb)
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards \
			'./usr/src/linux-source-*.tar.xz'
		tar -xf "$dir"/usr/src/linux-source-*.tar.xz -C "$dir" \
			--strip-components=1 --wildcards '*/net/core/dev.c' \
			'*/net/core/dev.h'
		rm -rf "$dir/usr" "$deb"
		touch "$dir/.done"
	fi
	echo "$series $dir"
}

if [ $print = 1 ]; then
	read -r series dir < <(source_of "$1")
	awk '!/^#/ && NF == 5 { print $2, $3, $4 }' "$records" | sort -u |
		while read -r file kind name; do
			sum=$(extract "$dir/$file" "$kind" "$name" | sha256sum | cut -c1-64)
			echo "$series $file $kind $name $sum"
		done
	exit 0
fi

fails=0
checked=0
for kver in "$@"; do
	read -r series dir < <(source_of "$kver") || { fails=$((fails + 1)); continue; }
	lines=$(awk -v s="$series" '!/^#/ && $1 == s' "$records")
	if [ -z "$lines" ]; then
		echo "check-upstream: $kver: series $series has no records; eekbp supports" \
			"$(awk '!/^#/ { print $1 }' "$records" | sort -u | tr '\n' ' ')" >&2
		fails=$((fails + 1))
		continue
	fi
	while read -r _ file kind name want; do
		text=$(extract "$dir/$file" "$kind" "$name")
		got=$(printf '%s\n' "$text" | sha256sum | cut -c1-64)
		checked=$((checked + 1))
		if [ -z "$text" ]; then
			echo "check-upstream: $kver: $kind $name not found in $file [FAIL]"
			fails=$((fails + 1))
		elif [ "$got" != "$want" ]; then
			echo "check-upstream: $kver: $file $name changed upstream [FAIL]"
			echo "---- $name in $kver's source; review eekbp's copy, then update kmod/upstream-copies.txt"
			printf '%s\n' "$text"
			echo "----"
			fails=$((fails + 1))
		else
			echo "check-upstream: $kver: $file $name unchanged [ OK ]"
		fi
	done <<<"$lines"
done
echo "check-upstream: $checked checked, $fails failed"
[ $fails -eq 0 ]
