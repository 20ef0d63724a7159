// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU polling threads (Algorithm 1 of the EE-KBP paper). Each thread
 * polls the napis the hook put on its list with quota Q under
 * local_bh_disable(). In eekbp mode it sleeps when the list is empty and is
 * woken from the hardIRQ path; in kbp mode it never sleeps but still yields
 * voluntarily so RCU-tasks and livepatch transitions make progress.
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
#include "eekbp_compat.h"
#if EEKBP_NAPI_612
#include <linux/filter.h>
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
	       cpumask_test_cpu(cpu, &eekbp_cfg.cpus);
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
	if (test_bit(NAPI_STATE_SCHED, &n->state))
		work = n->poll(n, budget);
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

/* Poll every napi on the list once. */
static void eekbp_poll(struct eekbp_pcpu *pc)
{
	unsigned int quota = READ_ONCE(eekbp_cfg.quota);
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
		int work;

		n = list_first_entry(&list, struct napi_struct, poll_list);
		list_del_init(&n->poll_list);
		have = netpoll_poll_lock(n);
		work = eekbp_napi_poll(n, quota, &again);
		netpoll_poll_unlock(have);
		if (again)
			list_add_tail(&n->poll_list, &repoll);

		WRITE_ONCE(st->polls, st->polls + 1);
		if (work > 0)
			WRITE_ONCE(st->packets, st->packets + work);
		else
			WRITE_ONCE(st->empty_polls, st->empty_polls + 1);
	}
	if (!list_empty(&repoll)) {
		local_irq_disable();
		list_splice_tail(&repoll, &pc->poll_list);
		local_irq_enable();
	}
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

static void eekbp_go_sleep(struct eekbp_pcpu *pc)
{
	WRITE_ONCE(pc->stats.sleeps, pc->stats.sleeps + 1);
	eekbp_account(pc, EEKBP_STATE_SLEEPING);
	WRITE_ONCE(pc->sleeping, true);
}

static int eekbp_thread_should_run(unsigned int cpu)
{
	struct eekbp_pcpu *pc = per_cpu_ptr(&eekbp_pcpu, cpu);
	bool want = eekbp_cpu_wanted(cpu);

	if (pc->accepting != want || !list_empty(&pc->poll_list))
		return 1;
	/* left at min frequency although nothing asks for it any more */
	if (pc->freq_level == 0 && !(want && READ_ONCE(eekbp_cfg.freq_ctl)))
		return 1;
	return want && READ_ONCE(eekbp_cfg.mode) == EEKBP_KBP;
}

static void eekbp_thread_fn(unsigned int cpu)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);
	unsigned long next_yield = jiffies + 1;

	WRITE_ONCE(pc->sleeping, false);
	eekbp_account(pc, EEKBP_STATE_POLLING);

	if (!eekbp_cpu_wanted(cpu)) {
		if (pc->accepting)
			eekbp_handoff(pc);
		if (pc->freq_level == 0)
			eekbp_freq_set(cpu, pc, 1);
		eekbp_go_sleep(pc);
		return;
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
		if (READ_ONCE(eekbp_cfg.freq_ctl))
			eekbp_freq_set(cpu, pc, 1);
		if (work)
			eekbp_poll(pc);
		else
			cpu_relax();
		if (time_after_eq(jiffies, next_yield)) {
			eekbp_yield();
			next_yield = jiffies + 1;
		} else {
			cond_resched();
		}
	}

	/* eekbp mode, nothing to poll: min frequency, then sleep */
	if (READ_ONCE(eekbp_cfg.freq_ctl))
		eekbp_freq_set(cpu, pc, 0);
	else if (pc->freq_level == 0)
		eekbp_freq_set(cpu, pc, 1);
	eekbp_go_sleep(pc);
}

static void eekbp_thread_setup(unsigned int cpu)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	pc->task = current;
	pc->state_ts = ktime_get_ns();
}

/* CPU going offline: nothing may stay on this list. */
static void eekbp_thread_park(unsigned int cpu)
{
	eekbp_handoff(this_cpu_ptr(&eekbp_pcpu));
}

static void eekbp_thread_cleanup(unsigned int cpu, bool online)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);

	if (!online)
		return;
	eekbp_handoff(pc);
	if (pc->freq_level == 0)
		eekbp_freq_set(cpu, pc, 1);
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
		pc->stats.cpu = cpu;
		pc->stats.state = EEKBP_STATE_POLLING;
	}
	return smpboot_register_percpu_thread(&eekbp_threads);
}

void eekbp_threads_stop(void)
{
	smpboot_unregister_percpu_thread(&eekbp_threads);
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
