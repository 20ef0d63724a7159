// SPDX-License-Identifier: GPL-2.0
/*
 * eekbp: energy-efficient kernel busy polling (EE-KBP).
 *
 * Packet receive on served CPUs leaves NET_RX_SOFTIRQ for per-CPU polling
 * threads that busy-poll while packets arrive and sleep (at min frequency)
 * when idle. The eekbp_livepatch module routes napi scheduling here.
 *
 * Unload: echo 0 > enabled, disable and remove eekbp_livepatch, rmmod.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "eekbp_compat.h"
#include "eekbp_config.h"
#include "eekbp_freq.h"
#include "eekbp_sched.h"
#include "eekbp_sysfs.h"
#include "eekbp_thread.h"

static char *mode = EEKBP_MODE_EEKBP;
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "napi | kbp | eekbp | adaptive (default eekbp)");

static char *cpus = "0";
module_param(cpus, charp, 0444);
MODULE_PARM_DESC(cpus, "served CPUs as a cpu list (default 0)");

static unsigned int quota = EEKBP_QUOTA_DEFAULT;
module_param(quota, uint, 0444);
MODULE_PARM_DESC(quota, "packets per poll, 1..1024 (default 64)");

static bool freq_ctl;
module_param(freq_ctl, bool, 0444);
MODULE_PARM_DESC(freq_ctl, "min frequency while asleep, max on wake (default 0)");

static int __init eekbp_apply_params(void)
{
	int ret;

	if (eekbp_parse_mode(mode, &eekbp_cfg.mode)) {
		pr_err("mode=%s: expected napi, kbp, eekbp or adaptive\n", mode);
		return -EINVAL;
	}
	cpus_read_lock();
	ret = eekbp_parse_cpus(cpus, &eekbp_cfg.cpus);
	cpus_read_unlock();
	if (ret) {
		pr_err("cpus=%s: expected a list of online CPUs\n", cpus);
		return -EINVAL;
	}
	if (quota < EEKBP_QUOTA_MIN || quota > EEKBP_QUOTA_MAX) {
		pr_err("quota=%u: expected %d..%d\n", quota, EEKBP_QUOTA_MIN,
		       EEKBP_QUOTA_MAX);
		return -EINVAL;
	}
	eekbp_cfg.quota = quota;
	eekbp_cfg.freq_ctl = freq_ctl;
	return 0;
}

/* Frequency control and served CPUs as the parameters set them. */
static void eekbp_start_cfg(void)
{
	mutex_lock(&eekbp_cfg_lock);
	eekbp_set_served(&eekbp_cfg.cpus);
	eekbp_freq_monitor_sync();
	mutex_unlock(&eekbp_cfg_lock);
}

static int __init eekbp_init(void)
{
	int ret;

	ret = eekbp_apply_params();
	if (ret)
		return ret;
	if (!EEKBP_CHECKED)
		pr_notice("built for a kernel release whose stock code eekbp has not compared with its copies; run scripts/check-upstream.sh\n");
	eekbp_sched_init();
	eekbp_start_cfg();
	ret = eekbp_threads_start();
	if (ret)
		goto err_sched;
	ret = eekbp_sysfs_init();
	if (ret)
		goto err_threads;
	pr_info("loaded: mode=%s cpus=%*pbl quota=%u freq_ctl=%d\n",
		eekbp_mode_name(eekbp_cfg.mode),
		cpumask_pr_args(&eekbp_cfg.cpus), eekbp_cfg.quota,
		eekbp_cfg.freq_ctl);
	return 0;

err_threads:
	eekbp_threads_stop();
err_sched:
	eekbp_freq_monitor_stop();
	eekbp_sched_exit();
	return ret;
}

static void __exit eekbp_exit(void)
{
	eekbp_sysfs_exit();
	WRITE_ONCE(eekbp_cfg.enabled, false);
	eekbp_freq_monitor_stop();
	/* each thread hands its napis back to the stock path as it stops */
	eekbp_threads_stop();
	eekbp_sched_exit();
	eekbp_cfg_free();
	pr_info("unloaded\n");
}

module_init(eekbp_init);
module_exit(eekbp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Energy-efficient kernel busy polling (EE-KBP) threads");
MODULE_AUTHOR("eekbp project");
