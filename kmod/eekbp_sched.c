// SPDX-License-Identifier: GPL-2.0
/*
 * The receive-scheduling hook called by eekbp_livepatch: a napi scheduled
 * on a served CPU goes to that CPU's polling thread, anything else takes a
 * copy of the stock path (____napi_schedule, napi_schedule_rps,
 * enqueue_to_backlog of the running kernel version).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include "eekbp_compat.h"
#include <net/dropreason.h>
#if EEKBP_NAPI_612
#include <net/hotdata.h>
#include <net/rps.h>
#endif

#include "eekbp.h"
#include "eekbp_config.h"
#include "eekbp_thread.h"

static void eekbp_kick_fn(struct tasklet_struct *t)
{
}

/*
 * Raise NET_RX_SOFTIRQ without the unexported raise_softirq_irqoff(). In
 * interrupt or BH-disabled context the pending bit is enough: irq_exit() or
 * local_bh_enable() runs it. Elsewhere ksoftirqd must be woken, which
 * scheduling a tasklet does.
 */
static void eekbp_raise_net_rx(void)
{
	or_softirq_pending(1UL << NET_RX_SOFTIRQ);
	if (!in_interrupt())
		tasklet_schedule(&this_cpu_ptr(&eekbp_pcpu)->kick);
}

/* Copy of ____napi_schedule(); IRQs are off. */
void eekbp_stock_schedule(struct softnet_data *sd, struct napi_struct *n)
{
	struct task_struct *thread;

	if (test_bit(NAPI_STATE_THREADED, &n->state)) {
		thread = READ_ONCE(n->thread);
		if (thread) {
#if EEKBP_NAPI_612
			/* this CPU's backlog thread polls its own list */
			if (thread == READ_ONCE(sd->backlog.thread))
				goto local;
			set_bit(NAPI_STATE_SCHED_THREADED, &n->state);
#else
			if (READ_ONCE(thread->__state) != TASK_INTERRUPTIBLE)
				set_bit(NAPI_STATE_SCHED_THREADED, &n->state);
#endif
			wake_up_process(thread);
			return;
		}
	}
#if EEKBP_NAPI_612
local:
	list_add_tail(&n->poll_list, &sd->poll_list);
	WRITE_ONCE(n->list_owner, smp_processor_id());
	if (sd->in_net_rx_action)
		return;
#else
	list_add_tail(&n->poll_list, &sd->poll_list);
#endif
	eekbp_raise_net_rx();
}

/* Hand @n to this CPU's thread if it serves it; IRQs are off. */
bool eekbp_hook_take(struct eekbp_pcpu *pc, struct napi_struct *n)
{
	if (!READ_ONCE(pc->accepting))
		return false;
	/* threaded napis keep their own kthread */
	if (test_bit(NAPI_STATE_THREADED, &n->state) && READ_ONCE(n->thread))
		return false;
	if (n->dev && !eekbp_dev_served(n->dev))
		return false;

	list_add_tail(&n->poll_list, &pc->poll_list);
#if EEKBP_NAPI_612
	WRITE_ONCE(n->list_owner, smp_processor_id());
#endif
	if (READ_ONCE(pc->sleeping)) {
		WRITE_ONCE(pc->sleeping, false);
		if (!pc->wake_ts)
			pc->wake_ts = ktime_get_ns();
		WRITE_ONCE(pc->stats.irq_wakes, pc->stats.irq_wakes + 1);
		wake_up_process(pc->task);
	}
	return true;
}

/**
 * eekbp_napi_schedule - replacement body of ____napi_schedule()
 * @n: napi whose SCHED bit the caller owns
 *
 * Called by the livepatched __napi_schedule(), __napi_schedule_irqoff() and
 * napi_watchdog() with IRQs off.
 */
void eekbp_napi_schedule(struct napi_struct *n)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	if (!eekbp_hook_take(pc, n))
		eekbp_stock_schedule(this_cpu_ptr(&softnet_data), n);
}
EXPORT_SYMBOL_GPL(eekbp_napi_schedule);

/* Copy of napi_schedule_rps() routing the local backlog through the hook. */
static void eekbp_schedule_rps(struct softnet_data *sd)
{
	struct softnet_data *mysd = this_cpu_ptr(&softnet_data);

#ifdef CONFIG_RPS
	if (sd != mysd) {
#if EEKBP_NAPI_612
		if (test_bit(NAPI_STATE_THREADED, &sd->backlog.state) &&
		    READ_ONCE(sd->backlog.thread)) {
			eekbp_napi_schedule(&sd->backlog);
			return;
		}
#endif
		sd->rps_ipi_next = mysd->rps_ipi_list;
		mysd->rps_ipi_list = sd;
#if EEKBP_NAPI_612
		if (mysd->in_net_rx_action || mysd->in_napi_threaded_poll)
			return;
#endif
		or_softirq_pending(1UL << NET_RX_SOFTIRQ);
		return;
	}
#endif
	eekbp_napi_schedule(&mysd->backlog);
}

/**
 * eekbp_enqueue_to_backlog - replacement of enqueue_to_backlog()
 * @skb: packet from netif_rx() or RPS
 * @cpu: CPU whose backlog queues it
 * @qtail: where to store the queue tail (RPS flow tracking)
 *
 * Same queueing and drop rules as the stock function; only scheduling the
 * backlog napi goes through eekbp_napi_schedule().
 */
int eekbp_enqueue_to_backlog(struct sk_buff *skb, int cpu,
			     unsigned int *qtail)
{
	struct softnet_data *sd = &per_cpu(softnet_data, cpu);
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	unsigned long flags;
	unsigned int qlen;
#if EEKBP_NAPI_612
	unsigned int max_backlog = READ_ONCE(net_hotdata.max_backlog);
	u32 tail;
#else
	unsigned int max_backlog = READ_ONCE(netdev_max_backlog);
#endif

	spin_lock_irqsave(&sd->input_pkt_queue.lock, flags);
	if (!netif_running(skb->dev)) {
#if EEKBP_NAPI_612
		reason = SKB_DROP_REASON_DEV_READY;
#else
		sd->dropped++;	/* 6.1 counts it as a backlog drop */
#endif
		spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
		goto dev_drop;
	}
	qlen = skb_queue_len(&sd->input_pkt_queue);
	/*
	 * The per-flow limit (net.core.flow_limit_cpu_bitmap) uses a struct
	 * private to net/core and is not applied here.
	 */
	if (qlen <= max_backlog) {
		/* we own the queue lock: non-atomic test is fine */
		if (!qlen && !__test_and_set_bit(NAPI_STATE_SCHED,
						 &sd->backlog.state))
			eekbp_schedule_rps(sd);
		__skb_queue_tail(&sd->input_pkt_queue, skb);
#if EEKBP_NAPI_612
		tail = rps_input_queue_tail_incr(sd);
		spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
		rps_input_queue_tail_save(qtail, tail);
#else
		input_queue_tail_incr_save(sd, qtail);
		spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
#endif
		return NET_RX_SUCCESS;
	}
	reason = SKB_DROP_REASON_CPU_BACKLOG;
#if EEKBP_NAPI_612
	atomic_inc(&sd->dropped);
#else
	sd->dropped++;
#endif
	spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
dev_drop:
	dev_core_stats_rx_dropped_inc(skb->dev);
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}
EXPORT_SYMBOL_GPL(eekbp_enqueue_to_backlog);

void eekbp_sched_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		tasklet_setup(&per_cpu(eekbp_pcpu, cpu).kick, eekbp_kick_fn);
}

void eekbp_sched_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		tasklet_kill(&per_cpu(eekbp_pcpu, cpu).kick);
}
