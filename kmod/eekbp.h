/* SPDX-License-Identifier: GPL-2.0 */
/* Symbols eekbp exports to eekbp_livepatch. */
#ifndef EEKBP_H
#define EEKBP_H

struct napi_struct;
struct sk_buff;

void eekbp_napi_schedule(struct napi_struct *n);
int eekbp_enqueue_to_backlog(struct sk_buff *skb, int cpu,
			     unsigned int *qtail);

#endif /* EEKBP_H */
