/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_FREQ_H
#define EEKBP_FREQ_H

#include "eekbp_pcpu.h"

void eekbp_freq_update(unsigned int cpu, struct eekbp_pcpu *pc, int level,
		       bool force);
void eekbp_freq_monitor_sync(void);
void eekbp_freq_monitor_stop(void);

#endif /* EEKBP_FREQ_H */
