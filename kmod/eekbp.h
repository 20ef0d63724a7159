/* SPDX-License-Identifier: GPL-2.0 */
/* Symbols eekbp exports to eekbp_livepatch. */
#ifndef EEKBP_H
#define EEKBP_H

struct napi_struct;
struct sk_buff;
struct softnet_data;

void eekbp_napi_schedule(struct napi_struct *n);
int eekbp_enqueue_to_backlog(struct sk_buff *skb, int cpu,
			     unsigned int *qtail);
void eekbp_rps_trigger(struct softnet_data *sd);
void eekbp_defer_trigger(struct softnet_data *sd);

#endif /* EEKBP_H */
