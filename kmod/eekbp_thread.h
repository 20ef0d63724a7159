/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_THREAD_H
#define EEKBP_THREAD_H

#include <linux/cpumask.h>

#include "eekbp_pcpu.h"

int eekbp_threads_start(void);
void eekbp_threads_stop(void);
void eekbp_threads_kick(void);
void eekbp_threads_recheck_freq(void);
void eekbp_set_served(const struct cpumask *mask);

#endif /* EEKBP_THREAD_H */
