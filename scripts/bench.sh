#!/bin/bash
# Run the evaluation matrix (NAPI, threaded NAPI, KBP, EE-KBP, EE-KBP with
# frequency control x the paper's traffic conditions) in QEMU guests and
# write results.json, CSVs, report.md and PNG charts.
#
# usage: scripts/bench.sh <build-dir> <kver> [quick|full] [out-dir]
#   quick: one boot, 3 interleaved repetitions, short cells (8.5 min here)
#   full:  one boot per repetition, 6 s cells, RFC 2544 on 3 frame sizes (29.5 min here)
#   smoke: plumbing check, numbers meaningless
#   overload: investigation only, thirty RFC 2544 searches per mode in one boot
# BENCH_MODES=eekbp-freq,kbp runs only those modes, in that order (investigation)
set -euo pipefail
build=${1:?usage: bench.sh <build-dir> <kver> [quick|full] [out-dir]}
kver=${2:?usage: bench.sh <build-dir> <kver> [quick|full] [out-dir]}
profile=${3:-full}
top=$(cd "$(dirname "$0")/.." && pwd)
out=${4:-$build/bench/$profile-$(date -u +%Y%m%d-%H%M%S)}
case $profile in
smoke|quick|full|overload) ;;
*) echo "eekbp bench: profile must be smoke, quick, full or overload, got '$profile'" >&2; exit 2 ;;
esac
for ko in eekbp.ko eekbp_livepatch.ko; do
	[ -e "$build/modules/$kver/$ko" ] ||
		echo "eekbp bench: $build/modules/$kver/$ko missing; modes using it are skipped" >&2
done
cd "$top"
mvn -B -q -Dstyle.color=never -pl integration-tests test-compile exec:java \
	-Deekbp.root="$top" \
	-Dexec.mainClass=dev.eekbp.it.bench.BenchMain \
	-Dexec.classpathScope=test \
	-Dexec.cleanupDaemonThreads=false \
	-Dexec.args="--profile $profile --kernel $kver --out $out${BENCH_MODES:+ --modes $BENCH_MODES}"
ln -sfn "$out" "$build/bench/latest"
echo "eekbp bench: results in $out (also $build/bench/latest)"
