/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_POLL_H
#define EEKBP_POLL_H

#include "eekbp_pcpu.h"

void eekbp_poll(struct eekbp_pcpu *pc);

#endif /* EEKBP_POLL_H */
