/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_SPIN_H
#define EEKBP_SPIN_H

#include "eekbp_pcpu.h"

bool eekbp_spin_round(struct eekbp_pcpu *pc, u64 wake_ts);
u64 eekbp_spin_window(const struct eekbp_pcpu *pc);
void eekbp_spin_rx(struct eekbp_pcpu *pc, u64 wake_ts, int work);
void eekbp_spin_prepare(struct napi_struct *n, bool spin);
void eekbp_spin_keep(struct eekbp_pcpu *pc, struct napi_struct *n,
		     bool spin);
void eekbp_spin_idle(struct eekbp_pcpu *pc);
void eekbp_spin(struct eekbp_pcpu *pc);
u64 eekbp_spin_nap_until(struct eekbp_pcpu *pc);
void eekbp_spin_nap_end(struct eekbp_pcpu *pc, bool timer);
void eekbp_spin_release(struct eekbp_pcpu *pc);
bool eekbp_spin_freq_hold(const struct eekbp_pcpu *pc);
void eekbp_spin_freq_changed(struct eekbp_pcpu *pc);
bool eekbp_spin_hold_expired(const struct eekbp_pcpu *pc);

#endif /* EEKBP_SPIN_H */
