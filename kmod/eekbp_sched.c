// SPDX-License-Identifier: GPL-2.0
/*
 * The receive-scheduling hook called by eekbp_livepatch: a napi scheduled
 * on a served CPU goes to that CPU's polling thread, anything else takes a
 * copy of the stock path of the running kernel version. Every copy names
 * its upstream origin; scripts/check-upstream.sh compares them with the
 * sources of every supported kernel (kmod/upstream-copies.txt).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/skbuff.h>
#include "eekbp_compat.h"
#include <net/dropreason.h>
#if EEKBP_NAPI_612
#include <net/hotdata.h>
#include <net/rps.h>
#endif

#include "eekbp.h"
#include "eekbp_config.h"
#include "eekbp_pcpu.h"
#include "eekbp_sched.h"

static void eekbp_kick_fn(struct tasklet_struct *t)
{
}

/*
 * raise_softirq_irqoff(NET_RX_SOFTIRQ) without the unexported function. In
 * interrupt or BH-disabled context the pending bit is enough: irq_exit() or
 * local_bh_enable() runs it. Elsewhere the stock function wakes ksoftirqd,
 * which only scheduling a tasklet can do from a module: the one difference
 * left (a TASKLET softirq, counted as stock_kicks). The softirq_raise
 * tracepoint is not exported and does not fire here.
 */
static void eekbp_raise_net_rx(void)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	or_softirq_pending(1UL << NET_RX_SOFTIRQ);
	if (!in_interrupt()) {
		WRITE_ONCE(pc->stats.stock_kicks, pc->stats.stock_kicks + 1);
		tasklet_schedule(&pc->kick);
	}
}

/*
 * Copy of ____napi_schedule(), net/core/dev.c (v6.1.170-v6.1.192,
 * v6.12.117); IRQs are off.
 */
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
		if (wake_up_process(pc->task))
			WRITE_ONCE(pc->stats.irq_wakes,
				   pc->stats.irq_wakes + 1);
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

/*
 * Copy of napi_schedule_rps(), net/core/dev.c (v6.1.170-v6.1.192,
 * v6.12.117), routing the local backlog through the hook.
 */
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
		/* a poll round of this CPU's thread sends them when it ends */
		if (this_cpu_ptr(&eekbp_pcpu)->in_poll)
			return;
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

/*
 * Copy of struct sd_flow_limit, net/core/dev.h (v6.1.170-v6.1.192,
 * v6.12.117): private to net/core, allocated there by the
 * flow_limit_cpu_bitmap sysctl.
 */
#define EEKBP_FLOW_LIMIT_HISTORY	(1 << 7)
struct eekbp_sd_flow_limit {
	u64 count;
	unsigned int num_buckets;
	unsigned int history_head;
	u16 history[EEKBP_FLOW_LIMIT_HISTORY];
	u8 buckets[];
};

/*
 * Copy of skb_flow_limit(), net/core/dev.c (v6.1.170-v6.1.192, v6.12.117):
 * true when the packet's flow has more than half of this CPU's recent
 * backlog and the backlog is at least half full.
 */
static bool eekbp_skb_flow_limit(struct sk_buff *skb, unsigned int qlen,
				 unsigned int max_backlog)
{
#ifdef CONFIG_NET_FLOW_LIMIT
	struct eekbp_sd_flow_limit *fl;
	struct softnet_data *sd;
	unsigned int old_flow, new_flow;

	if (qlen < (max_backlog >> 1))
		return false;

	sd = this_cpu_ptr(&softnet_data);
	rcu_read_lock();
	fl = (struct eekbp_sd_flow_limit *)rcu_dereference(sd->flow_limit);
	if (fl) {
		new_flow = skb_get_hash(skb) & (fl->num_buckets - 1);
		old_flow = fl->history[fl->history_head];
		fl->history[fl->history_head] = new_flow;
		fl->history_head++;
		fl->history_head &= EEKBP_FLOW_LIMIT_HISTORY - 1;
		if (likely(fl->buckets[old_flow]))
			fl->buckets[old_flow]--;
		if (++fl->buckets[new_flow] > (EEKBP_FLOW_LIMIT_HISTORY >> 1)) {
			fl->count++;
			rcu_read_unlock();
			return true;
		}
	}
	rcu_read_unlock();
#endif
	return false;
}

#if EEKBP_NAPI_612
/**
 * eekbp_enqueue_to_backlog - replacement of enqueue_to_backlog()
 * @skb: packet from netif_rx() or RPS
 * @cpu: CPU whose backlog queues it
 * @qtail: where to store the queue tail (RPS flow tracking)
 *
 * Copy of enqueue_to_backlog(), net/core/dev.c (v6.12.117): the same
 * lockless pre-check, flow limit, queueing and drop rules; only scheduling
 * the backlog napi goes through eekbp_napi_schedule().
 */
int eekbp_enqueue_to_backlog(struct sk_buff *skb, int cpu,
			     unsigned int *qtail)
{
	enum skb_drop_reason reason = SKB_DROP_REASON_CPU_BACKLOG;
	struct softnet_data *sd = &per_cpu(softnet_data, cpu);
	unsigned long flags;
	unsigned int qlen;
	int max_backlog;
	u32 tail;

	qlen = skb_queue_len_lockless(&sd->input_pkt_queue);
	max_backlog = READ_ONCE(net_hotdata.max_backlog);
	if (unlikely(qlen > max_backlog))
		goto cpu_backlog_drop;
	spin_lock_irqsave(&sd->input_pkt_queue.lock, flags);
	qlen = skb_queue_len(&sd->input_pkt_queue);
	if (qlen <= max_backlog && !eekbp_skb_flow_limit(skb, qlen,
							 max_backlog)) {
		if (unlikely(!netif_running(skb->dev))) {
			spin_unlock_irqrestore(&sd->input_pkt_queue.lock,
					       flags);
			reason = SKB_DROP_REASON_DEV_READY;
			goto bad_dev;
		}
		/* we own the queue lock: non-atomic test is fine */
		if (!qlen && !__test_and_set_bit(NAPI_STATE_SCHED,
						 &sd->backlog.state))
			eekbp_schedule_rps(sd);
		__skb_queue_tail(&sd->input_pkt_queue, skb);
		tail = rps_input_queue_tail_incr(sd);
		spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
		rps_input_queue_tail_save(qtail, tail);
		return NET_RX_SUCCESS;
	}
	spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
cpu_backlog_drop:
	atomic_inc(&sd->dropped);
bad_dev:
	dev_core_stats_rx_dropped_inc(skb->dev);
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}
#else
/**
 * eekbp_enqueue_to_backlog - replacement of enqueue_to_backlog()
 * @skb: packet from netif_rx() or RPS
 * @cpu: CPU whose backlog queues it
 * @qtail: where to store the queue tail (RPS flow tracking)
 *
 * Copy of enqueue_to_backlog(), net/core/dev.c (v6.1.170-v6.1.192): the
 * same flow limit, queueing and drop rules; only scheduling the backlog
 * napi goes through eekbp_napi_schedule().
 */
int eekbp_enqueue_to_backlog(struct sk_buff *skb, int cpu,
			     unsigned int *qtail)
{
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct softnet_data *sd = &per_cpu(softnet_data, cpu);
	unsigned int max_backlog = READ_ONCE(netdev_max_backlog);
	unsigned long flags;
	unsigned int qlen;

	spin_lock_irqsave(&sd->input_pkt_queue.lock, flags);
	if (!netif_running(skb->dev))
		goto drop;
	qlen = skb_queue_len(&sd->input_pkt_queue);
	if (qlen <= max_backlog && !eekbp_skb_flow_limit(skb, qlen,
							 max_backlog)) {
		/* we own the queue lock: non-atomic test is fine */
		if (!qlen && !__test_and_set_bit(NAPI_STATE_SCHED,
						 &sd->backlog.state))
			eekbp_schedule_rps(sd);
		__skb_queue_tail(&sd->input_pkt_queue, skb);
		input_queue_tail_incr_save(sd, qtail);
		spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
		return NET_RX_SUCCESS;
	}
	reason = SKB_DROP_REASON_CPU_BACKLOG;
drop:
	sd->dropped++;
	spin_unlock_irqrestore(&sd->input_pkt_queue.lock, flags);
	dev_core_stats_rx_dropped_inc(skb->dev);
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}
#endif
EXPORT_SYMBOL_GPL(eekbp_enqueue_to_backlog);

/**
 * eekbp_rps_trigger - replacement body of rps_trigger_softirq()
 * @sd: this CPU's softnet_data, whose backlog another CPU filled
 *
 * The RPS IPI (hardIRQ). Copy of rps_trigger_softirq(), net/core/dev.c
 * (v6.1.170-v6.1.192, v6.12.117), scheduling through the hook.
 */
void eekbp_rps_trigger(struct softnet_data *sd)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	if (eekbp_hook_take(pc, &sd->backlog))
		WRITE_ONCE(pc->stats.rps_ipis, pc->stats.rps_ipis + 1);
	else
		eekbp_stock_schedule(sd, &sd->backlog);
	sd->received_rps++;
}
EXPORT_SYMBOL_GPL(eekbp_rps_trigger);

/**
 * eekbp_defer_trigger - replacement body of trigger_rx_softirq()
 * @sd: this CPU's softnet_data, whose skb defer list grew long
 *
 * The defer-list IPI (hardIRQ). A served CPU's thread flushes the list;
 * elsewhere NET_RX is raised as stock (its net_rx_action flushes it).
 */
void eekbp_defer_trigger(struct softnet_data *sd)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	if (READ_ONCE(pc->accepting)) {
		WRITE_ONCE(pc->defer_kick, true);
		wake_up_process(pc->task);
	} else {
		or_softirq_pending(1UL << NET_RX_SOFTIRQ);
	}
	/* pairs with cmpxchg() in skb_attempt_defer_free(): kick again */
	smp_store_release(&sd->defer_ipi_scheduled, 0);
}
EXPORT_SYMBOL_GPL(eekbp_defer_trigger);

/*
 * Copy of net_rps_action_and_irq_enable() and net_rps_send_ipi(),
 * net/core/dev.c (v6.1.170-v6.1.192, v6.12.117): send the RPS IPIs that
 * the thread's poll round queued on this CPU, as net_rx_action would.
 */
void eekbp_rps_send_ipis(void)
{
#ifdef CONFIG_RPS
	struct softnet_data *sd = this_cpu_ptr(&softnet_data), *remsd;

	local_irq_disable();
	remsd = sd->rps_ipi_list;
	sd->rps_ipi_list = NULL;
	local_irq_enable();
	while (remsd) {
		struct softnet_data *next = remsd->rps_ipi_next;

		if (cpu_online(remsd->cpu))
			smp_call_function_single_async(remsd->cpu, &remsd->csd);
		remsd = next;
	}
#endif
}

/*
 * Copy of skb_defer_free_flush(), net/core/dev.c (v6.1.170-v6.1.192,
 * v6.12.117): free the skbs other CPUs handed back to this one. BH off.
 */
void eekbp_defer_flush(struct softnet_data *sd)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);
	struct sk_buff *skb, *next;
	unsigned long flags;

	/* paired with WRITE_ONCE() in skb_attempt_defer_free() */
	if (!READ_ONCE(sd->defer_list))
		return;
	spin_lock_irqsave(&sd->defer_lock, flags);
	skb = sd->defer_list;
	sd->defer_list = NULL;
	sd->defer_count = 0;
	spin_unlock_irqrestore(&sd->defer_lock, flags);
	while (skb) {
		next = skb->next;
		napi_consume_skb(skb, 1);
		skb = next;
	}
	WRITE_ONCE(pc->stats.defer_flushes, pc->stats.defer_flushes + 1);
}

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
