// SPDX-License-Identifier: GPL-2.0
/*
 * One poll round of a thread: every napi on its list once, with quota Q
 * capped at the napi's weight, until net_rx_action's budget or time limit.
 * Softirqs are off for the round, as in net_rx_action and threaded NAPI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include "eekbp_compat.h"
#if EEKBP_NAPI_612
#include <linux/filter.h>
#include <net/hotdata.h>
#endif

#include "eekbp_config.h"
#include "eekbp_napi.h"
#include "eekbp_poll.h"
#include "eekbp_sched.h"
#include "eekbp_spin.h"
#include "eekbp_stats.h"

/* Packets and time one round may take with softirqs off (net_rx_action's). */
#if EEKBP_NAPI_612
#define EEKBP_ROUND_BUDGET	READ_ONCE(net_hotdata.netdev_budget)
#define EEKBP_ROUND_USECS	READ_ONCE(net_hotdata.netdev_budget_usecs)
#else
/* not exported by 6.1: its defaults */
#define EEKBP_ROUND_BUDGET	300
#define EEKBP_ROUND_USECS	(2 * USEC_PER_SEC / HZ)
#endif

/*
 * Poll the napis on the list once each until the round budget or time
 * limit is spent; the rest stays on the list for the next round. In
 * adaptive mode a napi that ran dry may stay owned (eekbp_spin.c).
 */
void eekbp_poll(struct eekbp_pcpu *pc)
{
	unsigned int quota = READ_ONCE(eekbp_cfg.quota);
	unsigned long time_limit = jiffies +
				   usecs_to_jiffies(EEKBP_ROUND_USECS);
	int budget = EEKBP_ROUND_BUDGET;
	struct eekbp_cpu_stats *st = &pc->stats;
	struct napi_struct *n;
	LIST_HEAD(list);
	LIST_HEAD(repoll);
	bool spin;
	u64 wake_ts;
#if EEKBP_NAPI_612
	struct bpf_net_context bpf_ctx, *bpf_net_ctx;
#endif

	local_bh_disable();
#if EEKBP_NAPI_612
	bpf_net_ctx = bpf_net_ctx_set(&bpf_ctx);
#endif
	local_irq_disable();
	list_splice_init(&pc->poll_list, &list);
	wake_ts = pc->wake_ts;
	pc->wake_ts = 0;
	local_irq_enable();
	if (wake_ts)
		eekbp_hist_add(st->wake_lat_hist, ktime_get_ns() - wake_ts);
	spin = eekbp_spin_round(pc, wake_ts);
	pc->in_poll = true;

	while (!list_empty(&list)) {
		bool again;
		void *have;
		int work, weight;

		if (budget <= 0 || time_after_eq(jiffies, time_limit)) {
			WRITE_ONCE(st->budget_breaks, st->budget_breaks + 1);
			break;
		}
		n = list_first_entry(&list, struct napi_struct, poll_list);
		list_del_init(&n->poll_list);
		weight = eekbp_weight(n, quota);
		eekbp_spin_prepare(n, spin);
		have = netpoll_poll_lock(n);
		work = eekbp_napi_poll(n, weight, &again);
		netpoll_poll_unlock(have);
		if (again)
			list_add_tail(&n->poll_list, &repoll);
		else
			eekbp_spin_keep(pc, n, spin);
		budget -= work;

		WRITE_ONCE(st->polls, st->polls + 1);
		if (work > 0) {
			WRITE_ONCE(st->packets, st->packets + work);
			eekbp_spin_rx(pc, wake_ts, work);
		} else {
			WRITE_ONCE(st->empty_polls, st->empty_polls + 1);
		}
	}
	/* unpolled napis first, then the ones that want more */
	list_splice_tail_init(&repoll, &list);
	if (!list_empty(&list)) {
		local_irq_disable();
		list_splice(&list, &pc->poll_list);
		local_irq_enable();
	}
	eekbp_spin_idle(pc);
	pc->in_poll = false;
	eekbp_rps_send_ipis();
	eekbp_defer_flush(this_cpu_ptr(&softnet_data));
#if EEKBP_NAPI_612
	bpf_net_ctx_clear(bpf_net_ctx);
#endif
	local_bh_enable();
}
