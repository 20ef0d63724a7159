#!/bin/bash
# The softIRQ competition scenario (integration-tests CompetitionBench,
# guest script guest/bench/compete.sh) in one QEMU guest; writes
# <out-dir>/README.md. Run on purpose, not part of `make test`.
#
# usage: scripts/bench-compete.sh <out-dir> [kernel]
#   env COMPETE_PPS (4000), COMPETE_SECONDS (6), COMPETE_REPS (3), COMPETE_MODES
set -euo pipefail
out=${1:?usage: bench-compete.sh <out-dir> [kernel]}
"$(dirname "$0")/it-main.sh" dev.eekbp.it.bench.CompetitionBench "$out ${2:-}" \
	-Dcompete.pps="${COMPETE_PPS:-4000}" \
	-Dcompete.seconds="${COMPETE_SECONDS:-6}" \
	-Dcompete.reps="${COMPETE_REPS:-3}" \
	${COMPETE_MODES:+"-Dcompete.modes=$COMPETE_MODES"}
