#!/bin/bash
# make demo: one QEMU guest runs the agent from the default config, which
# loads EE-KBP; the host sends UDP round trips; the demo prints what it did.
# usage: scripts/demo.sh <build-dir> <kver>
set -euo pipefail
kver=${2:?usage: demo.sh <build-dir> <kver>}
"$(dirname "$0")/it-main.sh" dev.eekbp.it.demo.DemoMain "$kver" -Deekbp.kernels="$kver"
