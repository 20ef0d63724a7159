/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_SCHED_H
#define EEKBP_SCHED_H

#include "eekbp_pcpu.h"

/* Scheduling hook and the copies of the stock path (eekbp_sched.c). */
bool eekbp_hook_take(struct eekbp_pcpu *pc, struct napi_struct *n);
void eekbp_stock_schedule(struct softnet_data *sd, struct napi_struct *n);
void eekbp_defer_flush(struct softnet_data *sd);
void eekbp_rps_send_ipis(void);
void eekbp_sched_init(void);
void eekbp_sched_exit(void);

#endif /* EEKBP_SCHED_H */
