/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_NAPI_H
#define EEKBP_NAPI_H

#include <linux/minmax.h>
#include <linux/netdevice.h>

/* The poll budget of @n: quota Q, at most the napi's weight. */
static inline int eekbp_weight(const struct napi_struct *n,
			       unsigned int quota)
{
	return n->weight > 0 ? min_t(int, n->weight, quota) : quota;
}

void eekbp_gro_normal_list(struct napi_struct *n);
int eekbp_napi_poll(struct napi_struct *n, int budget, bool *again);

#endif /* EEKBP_NAPI_H */
