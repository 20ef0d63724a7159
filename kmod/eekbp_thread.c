// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU polling threads (Algorithm 1 of the EE-KBP paper). Each thread
 * polls the napis the hook put on its list with quota Q (at most the napi's
 * weight) under local_bh_disable(), a round bounded like net_rx_action's.
 * In eekbp mode it sleeps when the list is empty and is woken from the
 * hardIRQ path; in kbp mode it never sleeps but still yields voluntarily so
 * RCU-tasks and livepatch transitions make progress.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/cpu.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/livepatch.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/sched.h>
#include <linux/smpboot.h>
#include <linux/skbuff.h>
#include <trace/events/napi.h>
#include <uapi/linux/sched/types.h>
#include "eekbp_compat.h"
#if EEKBP_NAPI_612
#include <linux/filter.h>
#include <net/hotdata.h>
#endif

#include "eekbp_config.h"
#include "eekbp_freq.h"
#include "eekbp_stats.h"
#include "eekbp_thread.h"

DEFINE_PER_CPU(struct eekbp_pcpu, eekbp_pcpu);
static DEFINE_PER_CPU(struct task_struct *, eekbp_task);

static bool eekbp_cpu_wanted(unsigned int cpu)
{
	return READ_ONCE(eekbp_cfg.enabled) &&
	       READ_ONCE(eekbp_cfg.mode) != EEKBP_NAPI &&
	       READ_ONCE(per_cpu(eekbp_pcpu, cpu).served);
}

/* Publish the served CPUs; eekbp_cfg_lock held, CPU hotplug excluded. */
void eekbp_set_served(const struct cpumask *mask)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu(eekbp_pcpu, cpu).served,
			   cpumask_test_cpu(cpu, mask));
}

/* Add the time since the last state change to busy_ns or sleep_ns. */
static void eekbp_account(struct eekbp_pcpu *pc, u32 state)
{
	u64 now = ktime_get_ns();
	u64 delta = now - pc->state_ts;

	if (pc->stats.state == EEKBP_STATE_SLEEPING)
		WRITE_ONCE(pc->stats.sleep_ns, pc->stats.sleep_ns + delta);
	else
		WRITE_ONCE(pc->stats.busy_ns, pc->stats.busy_ns + delta);
	WRITE_ONCE(pc->state_ts, now);
	WRITE_ONCE(pc->stats.state, state);
}

/* Give every napi on our list back to the stock path; stop accepting. */
static void eekbp_handoff(struct eekbp_pcpu *pc)
{
	struct softnet_data *sd;
	struct napi_struct *n, *tmp;

	/* local_bh_enable() runs the NET_RX_SOFTIRQ raised below */
	local_bh_disable();
	local_irq_disable();
	WRITE_ONCE(pc->accepting, false);
	sd = this_cpu_ptr(&softnet_data);
	list_for_each_entry_safe(n, tmp, &pc->poll_list, poll_list) {
		list_del_init(&n->poll_list);
		eekbp_stock_schedule(sd, n);
	}
	pc->wake_ts = 0;
	local_irq_enable();
	local_bh_enable();
}

/* gro_normal_list() without the unexported netif_receive_skb_list_internal */
static void eekbp_gro_normal_list(struct napi_struct *n)
{
	if (!n->rx_count)
		return;
	netif_receive_skb_list(&n->rx_list);
	INIT_LIST_HEAD(&n->rx_list);
	n->rx_count = 0;
}

/* One ->poll call, the same ownership rules as __napi_poll(). */
static int eekbp_napi_poll(struct napi_struct *n, int budget, bool *again)
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
 * Poll the napis on the list once each, with quota Q capped at each napi's
 * weight (the drivers' budget contract), until the round budget or time
 * limit is spent; the rest stays on the list for the next round.
 */
static void eekbp_poll(struct eekbp_pcpu *pc)
{
	unsigned int quota = READ_ONCE(eekbp_cfg.quota);
	unsigned long time_limit = jiffies +
				   usecs_to_jiffies(EEKBP_ROUND_USECS);
	int budget = EEKBP_ROUND_BUDGET;
	struct eekbp_cpu_stats *st = &pc->stats;
	struct napi_struct *n;
	LIST_HEAD(list);
	LIST_HEAD(repoll);
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
		weight = n->weight > 0 ? min_t(int, n->weight, quota) : quota;
		have = netpoll_poll_lock(n);
		work = eekbp_napi_poll(n, weight, &again);
		netpoll_poll_unlock(have);
		if (again)
			list_add_tail(&n->poll_list, &repoll);
		budget -= work;

		WRITE_ONCE(st->polls, st->polls + 1);
		if (work > 0)
			WRITE_ONCE(st->packets, st->packets + work);
		else
			WRITE_ONCE(st->empty_polls, st->empty_polls + 1);
	}
	/* unpolled napis first, then the ones that want more */
	list_splice_tail_init(&repoll, &list);
	if (!list_empty(&list)) {
		local_irq_disable();
		list_splice(&list, &pc->poll_list);
		local_irq_enable();
	}
	eekbp_defer_flush(this_cpu_ptr(&softnet_data));
#if EEKBP_NAPI_612
	bpf_net_ctx_clear(bpf_net_ctx);
#endif
	local_bh_enable();
}

/*
 * Voluntary context switch: a quiescent state for RCU-tasks. While a
 * livepatch transition waits for this task, sleep a tick so its stack can
 * be checked (6.1 does not switch tasks in cond_resched()).
 */
static void eekbp_yield(void)
{
#ifdef CONFIG_LIVEPATCH
	if (klp_patch_pending(current)) {
		schedule_timeout_interruptible(1);
		return;
	}
#endif
	schedule();
}

/*
 * The frequency level this CPU should have: polling max, asleep min while
 * frequency control is on; back to max once if eekbp lowered it and no
 * longer controls it; -1 to leave it alone.
 */
static int eekbp_freq_goal(const struct eekbp_pcpu *pc, bool want,
			   bool polling)
{
	if (want && READ_ONCE(eekbp_cfg.freq_ctl))
		return polling ? 1 : 0;
	return pc->freq_level == 0 ? 1 : -1;
}

/* Apply the configured scheduling policy to the calling thread. */
static void eekbp_sched_apply(struct eekbp_pcpu *pc)
{
	int prio = READ_ONCE(eekbp_cfg.sched);
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = prio ? SCHED_FIFO : SCHED_NORMAL,
		.sched_priority = prio,
	};

	if (pc->sched_applied == prio)
		return;
	if (sched_setattr_nocheck(current, &attr))
		pr_warn_once("cpu %u: cannot set scheduling policy\n",
			     smp_processor_id());
	pc->sched_applied = prio;
}

/*
 * A sleep counts once the thread really blocked: smpboot may find work
 * between thread_should_run() and schedule(), and then it never slept.
 */
static void eekbp_note_sleep_end(struct eekbp_pcpu *pc)
{
	if (pc->stats.state == EEKBP_STATE_SLEEPING &&
	    current->nvcsw != pc->sleep_nvcsw) {
		WRITE_ONCE(pc->stats.sleeps, pc->stats.sleeps + 1);
		pc->sleep_nvcsw = current->nvcsw;
	}
}

/* Called by smpboot on the thread's CPU before it sleeps: 0 lets it sleep. */
static int eekbp_thread_should_run(unsigned int cpu)
{
	struct eekbp_pcpu *pc = per_cpu_ptr(&eekbp_pcpu, cpu);
	bool want = eekbp_cpu_wanted(cpu);
	int goal;

	eekbp_note_sleep_end(pc);
	if (pc->accepting != want || !list_empty(&pc->poll_list))
		return 1;
	if (READ_ONCE(pc->freq_recheck) || READ_ONCE(pc->defer_kick) ||
	    pc->sched_applied != READ_ONCE(eekbp_cfg.sched))
		return 1;
	if (want && READ_ONCE(eekbp_cfg.mode) == EEKBP_KBP)
		return 1;
	goal = eekbp_freq_goal(pc, want, false);
	if (goal >= 0 && goal != pc->freq_level && !pc->freq_blocked)
		return 1;
	if (pc->stats.state != EEKBP_STATE_SLEEPING) {
		eekbp_account(pc, EEKBP_STATE_SLEEPING);
		pc->sleep_nvcsw = current->nvcsw;
	}
	return 0;
}

/* The skb defer list of this CPU, flushed once under BH-disable. */
static void eekbp_defer_kick_handle(struct eekbp_pcpu *pc)
{
	if (!READ_ONCE(pc->defer_kick))
		return;
	WRITE_ONCE(pc->defer_kick, false);
	local_bh_disable();
	eekbp_defer_flush(this_cpu_ptr(&softnet_data));
	local_bh_enable();
}

static void eekbp_thread_fn(unsigned int cpu)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);
	unsigned long next_yield = jiffies + 1;
	bool force = false;

	WRITE_ONCE(pc->sleeping, false);
	eekbp_note_sleep_end(pc);
	if (pc->stats.state != EEKBP_STATE_POLLING)
		eekbp_account(pc, EEKBP_STATE_POLLING);
	if (READ_ONCE(pc->freq_recheck)) {
		WRITE_ONCE(pc->freq_recheck, false);
		pc->freq_blocked = false;
		force = true;
	}
	eekbp_sched_apply(pc);
	eekbp_defer_kick_handle(pc);

	if (!eekbp_cpu_wanted(cpu)) {
		if (pc->accepting)
			eekbp_handoff(pc);
		eekbp_freq_update(cpu, pc, eekbp_freq_goal(pc, false, false),
				  force);
		goto sleep;
	}
	if (!pc->accepting) {
		local_irq_disable();
		WRITE_ONCE(pc->accepting, true);
		local_irq_enable();
	}

	for (;;) {
		bool kbp = READ_ONCE(eekbp_cfg.mode) == EEKBP_KBP;
		bool work = !list_empty(&pc->poll_list);

		if (kthread_should_stop() || kthread_should_park() ||
		    !eekbp_cpu_wanted(cpu))
			return;	/* the next call or park/cleanup hands off */
		if (!work && !kbp)
			break;
		/* polling (or about to): max frequency */
		eekbp_freq_update(cpu, pc, eekbp_freq_goal(pc, true, true),
				  force);
		force = false;
		if (work)
			eekbp_poll(pc);
		else
			cpu_relax();
		eekbp_defer_kick_handle(pc);
		if (time_after_eq(jiffies, next_yield)) {
			eekbp_yield();
			next_yield = jiffies + 1;
		} else {
			cond_resched();
		}
	}

	/* eekbp mode, nothing to poll: min frequency, then sleep */
	eekbp_freq_update(cpu, pc, eekbp_freq_goal(pc, true, false), force);
sleep:
	WRITE_ONCE(pc->sleeping, true);
}

static void eekbp_thread_setup(unsigned int cpu)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	pc->task = current;
	pc->state_ts = ktime_get_ns();
}

/*
 * CPU going offline: nothing may stay on this list. cpufreq re-initialises
 * the policy when the CPU comes back, so apply the level again then.
 */
static void eekbp_thread_park(unsigned int cpu)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	eekbp_handoff(pc);
	WRITE_ONCE(pc->freq_recheck, true);
}

static void eekbp_thread_cleanup(unsigned int cpu, bool online)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	if (!online)
		return;
	eekbp_handoff(pc);
	pc->freq_blocked = false;
	eekbp_freq_update(cpu, pc, pc->freq_level == 0 ? 1 : -1, false);
	if (pc->sched_applied)
		sched_set_normal(current, 0);
}

static struct smp_hotplug_thread eekbp_threads = {
	.store			= &eekbp_task,
	.thread_should_run	= eekbp_thread_should_run,
	.thread_fn		= eekbp_thread_fn,
	.setup			= eekbp_thread_setup,
	.park			= eekbp_thread_park,
	.cleanup		= eekbp_thread_cleanup,
	.thread_comm		= "eekbp/%u",
};

int eekbp_threads_start(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct eekbp_pcpu *pc = per_cpu_ptr(&eekbp_pcpu, cpu);

		INIT_LIST_HEAD(&pc->poll_list);
		pc->freq_level = -1;
		pc->freq_want = 1;
		pc->stats.cpu = cpu;
		pc->stats.state = EEKBP_STATE_POLLING;
	}
	return smpboot_register_percpu_thread(&eekbp_threads);
}

void eekbp_threads_stop(void)
{
	smpboot_unregister_percpu_thread(&eekbp_threads);
}

/* Make every sleeping CPU re-apply its frequency level (settings changed). */
void eekbp_threads_recheck_freq(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu(eekbp_pcpu, cpu).freq_recheck, true);
}

/* Make every thread re-read the configuration. */
void eekbp_threads_kick(void)
{
	int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct task_struct *t = per_cpu(eekbp_task, cpu);

		if (t)
			wake_up_process(t);
	}
	cpus_read_unlock();
}
