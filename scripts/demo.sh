#!/bin/bash
# make demo: one QEMU guest runs the agent from the default config, which
# loads EE-KBP; the host sends UDP round trips; the demo prints what it did.
# usage: scripts/demo.sh <build-dir> <kver>
set -euo pipefail
kver=${2:?usage: demo.sh <build-dir> <kver>}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mvn -B -q -Dstyle.color=never -pl integration-tests test-compile exec:java \
	-Dexec.mainClass=dev.eekbp.it.demo.DemoMain -Dexec.classpathScope=test \
	-Dexec.args="$kver" -Deekbp.root="$top" -Deekbp.kernels="$kver"
