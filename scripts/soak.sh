#!/bin/bash
# Soak eekbp in QEMU guests: per kernel, load/unload cycles and runtime
# mode/frequency toggles under traffic (integration-tests SoakMain, guest
# script guest/kernel/soak.sh). Not part of `make test`.
#
# usage: scripts/soak.sh <cycles> <toggles> <kernel...>
set -euo pipefail
cycles=${1:?usage: soak.sh <cycles> <toggles> <kernel...>}
toggles=${2:?usage: soak.sh <cycles> <toggles> <kernel...>}
shift 2
"$(dirname "$0")/it-main.sh" dev.eekbp.it.kernel.SoakMain "$cycles $toggles $*"
