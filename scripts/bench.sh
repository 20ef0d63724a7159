#!/bin/bash
# Run the evaluation matrix in QEMU guests and write results.json, CSVs,
# report.md (with issue 11's verdict) and PNG charts.
#
# usage: scripts/bench.sh <build-dir> <kver> [smoke|quick|paper|full|trains|rfc|forward-smoke|overload] [out-dir]
#   full:  every mode (napi, threaded, threaded-defer, busy-read, kbp, eekbp,
#          eekbp-freq, adaptive, adaptive-freq) x idle, the paper's 80 Mbps
#          rows, a 6-rate sweep up to the guest's zero-loss limit and a train
#          condition; 3 interleaved repetitions in one boot (about 60 min here)
#   paper: the paper's five modes and Table 2 conditions alone, with the
#          softIRQ-competition cell and RFC 2544 on 3 frame sizes (29.5 min)
#   quick: the paper's matrix, one boot, 3 interleaved repetitions (8.5 min)
#   smoke: plumbing check of the full matrix, numbers meaningless
#   trains: investigation only, the train conditions alone (NAPI, threaded
#          NAPI+defer, EE-KBP, adaptive; a few minutes)
#   rfc:   investigation only, one RFC 2544 search per mode and repetition
#          (NAPI, KBP, EE-KBP, adaptive; a few minutes)
#   overload: investigation only, thirty RFC 2544 searches per mode in one boot
# BENCH_MODES=eekbp-freq,kbp runs only those modes, in that order;
# BENCH_ECHO_RCVBUF=<bytes> sets the guest echo's socket buffer (0: default)
set -euo pipefail
build=${1:?usage: bench.sh <build-dir> <kver> [smoke|quick|paper|full|trains|rfc|forward-smoke|overload] [out-dir]}
kver=${2:?usage: bench.sh <build-dir> <kver> [smoke|quick|paper|full|trains|rfc|forward-smoke|overload] [out-dir]}
profile=${3:-full}
top=$(cd "$(dirname "$0")/.." && pwd)
out=${4:-$build/bench/$profile-$(date -u +%Y%m%d-%H%M%S)}
case $profile in
smoke|quick|paper|full|trains|rfc|forward-smoke|overload) ;;
*) echo "eekbp bench: profile must be smoke, quick, paper, full, trains, rfc, forward-smoke or overload, got '$profile'" >&2; exit 2 ;;
esac
for ko in eekbp.ko eekbp_livepatch.ko; do
	[ -e "$build/modules/$kver/$ko" ] ||
		echo "eekbp bench: $build/modules/$kver/$ko missing; modes using it are skipped" >&2
done
cd "$top"
"$top/scripts/it-main.sh" dev.eekbp.it.bench.BenchMain \
	"--profile $profile --kernel $kver --out $out${BENCH_MODES:+ --modes $BENCH_MODES}"
ln -sfn "$out" "$build/bench/latest"
echo "eekbp bench: results in $out (also $build/bench/latest)"
