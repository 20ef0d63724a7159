/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_FREQ_H
#define EEKBP_FREQ_H

#include "eekbp_thread.h"

void eekbp_freq_set(unsigned int cpu, struct eekbp_pcpu *pc, int level);

#endif /* EEKBP_FREQ_H */
