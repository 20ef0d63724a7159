// SPDX-License-Identifier: GPL-2.0
/*
 * Frequency control of served CPUs: max while polling, min while asleep.
 *
 * The level goes through the userspace governor's own setspeed (as a write
 * to scaling_setspeed does), so a limits change re-applies eekbp's choice
 * instead of an older one. A policy shared by several CPUs is lowered only
 * when every CPU in it is served and its thread asleep. A change that fails
 * is given up and counted; eekbp_freq_recheck() and the 1 s monitor below
 * allow a new try once settings, governor or policy change.
 *
 * Thread context only: the policy rwsem may sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpufreq.h>
#include <linux/ktime.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "eekbp_config.h"
#include "eekbp_freq.h"
#include "eekbp_spin.h"
#include "eekbp_stats.h"

#define EEKBP_FREQ_MONITOR_MS	1000

/* The userspace governor runs @policy: eekbp may set its speed. */
static bool eekbp_policy_usable(struct cpufreq_policy *policy)
{
	return !policy_is_inactive(policy) && policy->governor &&
	       policy->governor->store_setspeed &&
	       !strcmp(policy->governor->name, "userspace");
}

/* Another CPU of the policy keeps it up: unserved, or its thread awake. */
static bool eekbp_policy_keeps_up(struct cpufreq_policy *policy,
				  unsigned int cpu)
{
	unsigned int other;

	for_each_cpu(other, policy->cpus) {
		const struct eekbp_pcpu *o = per_cpu_ptr(&eekbp_pcpu, other);

		if (other == cpu)
			continue;
		if (!READ_ONCE(o->served) || READ_ONCE(o->freq_want) != 0)
			return true;
	}
	return false;
}

/* Set @cpu's policy for @level (0 min, 1 max); 0 or -errno. */
static int eekbp_freq_apply(unsigned int cpu, struct eekbp_pcpu *pc, int level)
{
	struct cpufreq_policy *policy;
	unsigned int khz;
	int ret = 0;
	u64 t0;

	policy = cpufreq_cpu_get(cpu);
	if (!policy)
		return -ENODEV;
	down_write(&policy->rwsem);
	if (!eekbp_policy_usable(policy)) {
		ret = -EPERM;
		goto out;
	}
	if (level == 0 && eekbp_policy_keeps_up(policy, cpu)) {
		WRITE_ONCE(pc->stats.freq_skipped, pc->stats.freq_skipped + 1);
		goto out;
	}
	if (level)
		khz = READ_ONCE(eekbp_cfg.freq_max_khz) ?: policy->cpuinfo.max_freq;
	else
		khz = READ_ONCE(eekbp_cfg.freq_min_khz) ?: policy->cpuinfo.min_freq;
	t0 = ktime_get_ns();
	ret = policy->governor->store_setspeed(policy, khz);
	if (ret)
		goto out;
	eekbp_hist_add(pc->stats.freq_lat_hist, ktime_get_ns() - t0);
	if (level)
		WRITE_ONCE(pc->stats.freq_up, pc->stats.freq_up + 1);
	else
		WRITE_ONCE(pc->stats.freq_down, pc->stats.freq_down + 1);
	WRITE_ONCE(pc->freq_khz, policy->cur);
out:
	up_write(&policy->rwsem);
	cpufreq_cpu_put(policy);
	return ret;
}

/**
 * eekbp_freq_update - bring @cpu to frequency @level
 * @cpu: the calling thread's CPU
 * @pc: its per-CPU state
 * @level: 0 min, 1 max, -1 leave the frequency alone
 * @force: apply even if this thread already applied @level
 *
 * Cheap when nothing changes: no cpufreq call while the level is current
 * or the last attempt failed.
 */
void eekbp_freq_update(unsigned int cpu, struct eekbp_pcpu *pc, int level,
		       bool force)
{
	if (level < 0 || pc->freq_blocked)
		return;
	if (!force && pc->freq_level == level)
		return;
	WRITE_ONCE(pc->freq_want, level);
	if (eekbp_freq_apply(cpu, pc, level)) {
		pc->freq_blocked = true;
		WRITE_ONCE(pc->stats.freq_fail, pc->stats.freq_fail + 1);
		return;
	}
	pc->freq_level = level;
	eekbp_spin_freq_changed(pc);
}

/*
 * 1 s monitor while frequency control is on: a sleeping CPU whose policy
 * changed under it (governor switched back to userspace, policy
 * re-initialised after hotplug) gets its thread woken to apply the level
 * again. Bounded: at most one re-apply per CPU per period.
 */
static void eekbp_freq_monitor_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(eekbp_freq_monitor, eekbp_freq_monitor_fn);
static bool eekbp_freq_monitor_on;

static bool eekbp_freq_stale(unsigned int cpu, const struct eekbp_pcpu *pc)
{
	struct cpufreq_policy *policy;
	bool stale;

	policy = cpufreq_cpu_get(cpu);
	if (!policy)
		return false;
	down_read(&policy->rwsem);
	stale = eekbp_policy_usable(policy) &&
		(pc->freq_blocked || policy->cur != READ_ONCE(pc->freq_khz));
	up_read(&policy->rwsem);
	cpufreq_cpu_put(policy);
	return stale;
}

static void eekbp_freq_monitor_fn(struct work_struct *work)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct eekbp_pcpu *pc = per_cpu_ptr(&eekbp_pcpu, cpu);

		if (!READ_ONCE(pc->served) || !READ_ONCE(pc->sleeping) ||
		    READ_ONCE(pc->freq_level) < 0)
			continue;
		if (eekbp_freq_stale(cpu, pc) || eekbp_spin_hold_expired(pc)) {
			WRITE_ONCE(pc->freq_recheck, true);
			if (pc->task)
				wake_up_process(pc->task);
		}
	}
	cpus_read_unlock();
	schedule_delayed_work(&eekbp_freq_monitor,
			      msecs_to_jiffies(EEKBP_FREQ_MONITOR_MS));
}

/* Start or stop the monitor after a settings change; eekbp_cfg_lock held. */
void eekbp_freq_monitor_sync(void)
{
	bool on = READ_ONCE(eekbp_cfg.freq_ctl) && READ_ONCE(eekbp_cfg.enabled);

	if (on && !eekbp_freq_monitor_on)
		schedule_delayed_work(&eekbp_freq_monitor,
				      msecs_to_jiffies(EEKBP_FREQ_MONITOR_MS));
	else if (!on && eekbp_freq_monitor_on)
		cancel_delayed_work_sync(&eekbp_freq_monitor);
	eekbp_freq_monitor_on = on;
}

void eekbp_freq_monitor_stop(void)
{
	cancel_delayed_work_sync(&eekbp_freq_monitor);
	eekbp_freq_monitor_on = false;
}
