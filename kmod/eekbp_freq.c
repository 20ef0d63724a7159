// SPDX-License-Identifier: GPL-2.0
/*
 * Frequency control of served CPUs: max while polling, min while asleep.
 * Thread context only: cpufreq_driver_target() takes the policy rwsem.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "eekbp_config.h"
#include "eekbp_freq.h"
#include "eekbp_stats.h"

/* Set @cpu to its min (@level 0) or max (1) frequency if it changes. */
void eekbp_freq_set(unsigned int cpu, struct eekbp_pcpu *pc, int level)
{
	struct cpufreq_policy *policy;
	unsigned int khz, relation;
	u64 t0;
	int ret;

	if (pc->freq_level == level)
		return;
	policy = cpufreq_cpu_get(cpu);
	if (!policy)
		return;
	/* only the userspace governor leaves the frequency to us */
	if (!policy->governor || strcmp(policy->governor->name, "userspace")) {
		cpufreq_cpu_put(policy);
		return;
	}
	if (level) {
		khz = READ_ONCE(eekbp_cfg.freq_max_khz) ?: policy->cpuinfo.max_freq;
		relation = CPUFREQ_RELATION_H;
	} else {
		khz = READ_ONCE(eekbp_cfg.freq_min_khz) ?: policy->cpuinfo.min_freq;
		relation = CPUFREQ_RELATION_L;
	}
	t0 = ktime_get_ns();
	ret = cpufreq_driver_target(policy, khz, relation);
	cpufreq_cpu_put(policy);
	if (ret)
		return;
	eekbp_hist_add(pc->stats.freq_lat_hist, ktime_get_ns() - t0);
	if (level)
		WRITE_ONCE(pc->stats.freq_up, pc->stats.freq_up + 1);
	else
		WRITE_ONCE(pc->stats.freq_down, pc->stats.freq_down + 1);
	pc->freq_level = level;
}
