#!/bin/bash
# Runs a main class of the integration-tests module on its test class path,
# from the repository root (make demo, bench, bench-compete, soak).
# usage: scripts/it-main.sh <main-class> <args> [-Dname=value ...]
set -euo pipefail
class=${1:?usage: it-main.sh <main-class> <args> [-Dname=value ...]}
args=${2-}
shift $(($# < 2 ? $# : 2))
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
exec mvn -B -q -Dstyle.color=never -pl integration-tests test-compile exec:java \
	-Deekbp.root="$top" \
	-Dexec.mainClass="$class" \
	-Dexec.classpathScope=test \
	-Dexec.cleanupDaemonThreads=false \
	"$@" -Dexec.args="$args"
