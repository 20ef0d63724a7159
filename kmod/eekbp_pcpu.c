// SPDX-License-Identifier: GPL-2.0
/* The per-CPU state shared by the hook, the threads and their helpers. */
#include "eekbp_pcpu.h"

DEFINE_PER_CPU(struct eekbp_pcpu, eekbp_pcpu);
