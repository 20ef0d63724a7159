#!/bin/bash
# Print one closing line for every JUnit report of the Maven modules:
# "make test: N passed, N failed, N skipped".
# usage: scripts/test-summary.sh <report-dir>...
set -uo pipefail
tests=0 failed=0 skipped=0
for d in "$@"; do
	for f in "$d"/TEST-*.xml; do
		[ -e "$f" ] || continue
		read -r t e fl s < <(sed -n 's/.*<testsuite[^>]* tests="\([0-9]*\)"[^>]* errors="\([0-9]*\)"[^>]* skipped="\([0-9]*\)"[^>]* failures="\([0-9]*\)".*/\1 \2 \4 \3/p;/<testsuite /q' "$f" | head -1)
		[ -n "${t:-}" ] || continue
		tests=$((tests + t))
		failed=$((failed + e + fl))
		skipped=$((skipped + s))
	done
done
echo "make test: $((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
