// SPDX-License-Identifier: GPL-2.0
/*
 * eekbp_testfreq: a cpufreq driver for QEMU guests, which have none. Each
 * CPU gets its own policy with a 5-step table (shared=1: one policy for all
 * CPUs, like SMT siblings or a shared ACPI domain); a "frequency change"
 * only records the new value, so tests can watch what eekbp asks for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>

static bool shared;
module_param(shared, bool, 0444);
MODULE_PARM_DESC(shared, "one policy for all CPUs (default 0)");

static struct cpufreq_frequency_table eekbp_testfreq_table[] = {
	{ .frequency = 800000 },
	{ .frequency = 1200000 },
	{ .frequency = 1600000 },
	{ .frequency = 2000000 },
	{ .frequency = 2400000 },
	{ .frequency = CPUFREQ_TABLE_END },
};

static DEFINE_PER_CPU(unsigned int, eekbp_testfreq_cur);

static int eekbp_testfreq_init(struct cpufreq_policy *policy)
{
	policy->freq_table = eekbp_testfreq_table;
	policy->cpuinfo.transition_latency = 10000;	/* ns */
	if (shared)
		cpumask_copy(policy->cpus, cpu_possible_mask);
	per_cpu(eekbp_testfreq_cur, policy->cpu) = 2400000;
	return 0;
}

static int eekbp_testfreq_target_index(struct cpufreq_policy *policy,
				       unsigned int index)
{
	per_cpu(eekbp_testfreq_cur, policy->cpu) =
		eekbp_testfreq_table[index].frequency;
	return 0;
}

static unsigned int eekbp_testfreq_get(unsigned int cpu)
{
	return per_cpu(eekbp_testfreq_cur, cpu);
}

static struct cpufreq_driver eekbp_testfreq_driver = {
	.name		= "eekbp_testfreq",
	.flags		= CPUFREQ_NEED_INITIAL_FREQ_CHECK,
	.init		= eekbp_testfreq_init,
	.verify		= cpufreq_generic_frequency_table_verify,
	.target_index	= eekbp_testfreq_target_index,
	.get		= eekbp_testfreq_get,
	.attr		= cpufreq_generic_attr,
};

static int __init eekbp_testfreq_mod_init(void)
{
	return cpufreq_register_driver(&eekbp_testfreq_driver);
}

static void __exit eekbp_testfreq_mod_exit(void)
{
	cpufreq_unregister_driver(&eekbp_testfreq_driver);
}

module_init(eekbp_testfreq_mod_init);
module_exit(eekbp_testfreq_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test cpufreq driver with a 5-step table for eekbp tests");
