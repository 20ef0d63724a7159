// SPDX-License-Identifier: GPL-2.0
/*
 * One ->poll call of a napi the thread owns, with the ownership rules of
 * the stock __napi_poll(), and the napi_poll tracepoint it emits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <trace/events/napi.h>

#include "eekbp_napi.h"

/* gro_normal_list() without the unexported netif_receive_skb_list_internal */
void eekbp_gro_normal_list(struct napi_struct *n)
{
	if (!n->rx_count)
		return;
	netif_receive_skb_list(&n->rx_list);
	INIT_LIST_HEAD(&n->rx_list);
	n->rx_count = 0;
}

/* One ->poll call, the same ownership rules as __napi_poll(). */
int eekbp_napi_poll(struct napi_struct *n, int budget, bool *again)
{
	int work = 0;

	*again = false;
	if (test_bit(NAPI_STATE_SCHED, &n->state)) {
		work = n->poll(n, budget);
		trace_napi_poll(n, work, budget);
	}
	if (likely(work < budget))
		return work;

	/* budget used up: the napi is still ours */
	if (unlikely(napi_disable_pending(n))) {
		napi_complete(n);
		return work;
	}
	if (napi_prefer_busy_poll(n)) {
		if (napi_complete_done(n, work))
			napi_schedule(n);
		return work;
	}
	if (n->gro_bitmask)
		napi_gro_flush(n, HZ >= 1000);
	eekbp_gro_normal_list(n);
	/* the driver re-scheduled it before using up the budget */
	if (unlikely(!list_empty(&n->poll_list)))
		return work;
	*again = true;
	return work;
}

