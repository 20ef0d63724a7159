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
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/livepatch.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/sched.h>
#include <linux/smpboot.h>
#include <uapi/linux/sched/types.h>

#include "eekbp_config.h"
#include "eekbp_freq.h"
#include "eekbp_poll.h"
#include "eekbp_sched.h"
#include "eekbp_spin.h"
#include "eekbp_stats.h"
#include "eekbp_thread.h"

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

	eekbp_spin_release(pc);
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
		return polling || eekbp_spin_freq_hold(pc) ? 1 : 0;
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
	if (pc->accepting != want || !list_empty(&pc->poll_list) ||
	    !list_empty(&pc->spin_list))
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

/*
 * Adaptive, out of spin budget: sleep with the napis still kept (IRQs
 * masked) until the next packet is due, or until the hook or a settings
 * change wakes the thread.
 */
static void eekbp_nap(struct eekbp_pcpu *pc)
{
	u64 until = eekbp_spin_nap_until(pc);
	ktime_t t;
	int ret = -EINTR;

	if (!until)
		return;
	t = ns_to_ktime(until);
	set_current_state(TASK_INTERRUPTIBLE);
	WRITE_ONCE(pc->sleeping, true);
	if (list_empty(&pc->poll_list) && !READ_ONCE(pc->defer_kick) &&
	    !kthread_should_stop() && !kthread_should_park()) {
		eekbp_account(pc, EEKBP_STATE_SLEEPING);
		ret = schedule_hrtimeout_range(&t, 0, HRTIMER_MODE_ABS);
		eekbp_account(pc, EEKBP_STATE_POLLING);
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(pc->sleeping, false);
	eekbp_spin_nap_end(pc, !ret);
}

static void eekbp_thread_fn(unsigned int cpu)
{
	struct eekbp_pcpu *pc = this_cpu_ptr(&eekbp_pcpu);
	unsigned long next_yield = jiffies + 1;
	bool force = false;
	int goal;

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
		bool spin = !list_empty(&pc->spin_list);

		if (kthread_should_stop() || kthread_should_park() ||
		    !eekbp_cpu_wanted(cpu))
			return;	/* the next call or park/cleanup hands off */
		if (!work && !kbp && !spin)
			break;
		/* polling (or about to): max frequency */
		eekbp_freq_update(cpu, pc, eekbp_freq_goal(pc, true, true),
				  force);
		force = false;
		if (work)
			eekbp_poll(pc);
		if (spin) {
			eekbp_spin(pc);
			if (!work)
				eekbp_nap(pc);
		}
		/* while spinning too, as napi_busy_loop() does */
		if (!work)
			cpu_relax();
		eekbp_defer_kick_handle(pc);
		if (time_after_eq(jiffies, next_yield)) {
			eekbp_yield();
			next_yield = jiffies + 1;
		} else {
			cond_resched();
		}
	}

	/* nothing to poll: min frequency (unless adaptive holds it), sleep */
	goal = eekbp_freq_goal(pc, true, false);
	if (goal == 1 && pc->freq_level == 1 && READ_ONCE(eekbp_cfg.freq_ctl))
		WRITE_ONCE(pc->stats.freq_held, pc->stats.freq_held + 1);
	eekbp_freq_update(cpu, pc, goal, force);
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
		INIT_LIST_HEAD(&pc->spin_list);
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
