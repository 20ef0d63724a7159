#!/bin/bash
# Kernel coding style for every C source and header the project ships.
# usage: scripts/checkpatch.sh <path to checkpatch.pl>
set -uo pipefail
cp=${1:?usage: checkpatch.sh <checkpatch.pl>}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null ||
	find kmod livepatch native-headers integration-tests/kmod -name '*.[ch]')
fail=0 n=0
for f in $files; do
	n=$((n + 1))
	if out=$("$cp" --no-tree --quiet --show-types \
		--ignore SPDX_LICENSE_TAG -f "$f" 2>&1) && [ -z "$out" ]; then
		echo "checkpatch: $f [ OK ]"
	else
		echo "$out"
		echo "checkpatch: $f [FAIL]"
		fail=$((fail + 1))
	fi
done
echo "checkpatch: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
