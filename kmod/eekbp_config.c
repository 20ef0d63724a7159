// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration state of eekbp and the parsers shared by module parameters
 * and sysfs. A parser either accepts the whole value or returns -EINVAL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>

#include "eekbp_config.h"

DEFINE_MUTEX(eekbp_cfg_lock);

struct eekbp_cfg eekbp_cfg = {
	.mode = EEKBP_EEKBP,
	.quota = EEKBP_QUOTA_DEFAULT,
	.enabled = true,
	.spin_max_us = EEKBP_SPIN_MAX_US_DEFAULT,
	.freq_max_rate = EEKBP_FREQ_MAX_RATE_DEFAULT,
};

static const char * const eekbp_mode_names[] = {
	[EEKBP_NAPI] = EEKBP_MODE_NAPI,
	[EEKBP_KBP] = EEKBP_MODE_KBP,
	[EEKBP_EEKBP] = EEKBP_MODE_EEKBP,
	[EEKBP_ADAPTIVE] = EEKBP_MODE_ADAPTIVE,
};

int eekbp_parse_mode(const char *buf, int *mode)
{
	int i = sysfs_match_string(eekbp_mode_names, buf);

	if (i < 0)
		return -EINVAL;
	*mode = i;
	return 0;
}

const char *eekbp_mode_name(int mode)
{
	return eekbp_mode_names[mode];
}

/* A non-empty cpu list whose CPUs are all online. */
int eekbp_parse_cpus(const char *buf, struct cpumask *mask)
{
	if (cpulist_parse(buf, mask))
		return -EINVAL;
	if (cpumask_empty(mask) || !cpumask_subset(mask, cpu_online_mask))
		return -EINVAL;
	return 0;
}

/* Comma-separated names of existing netdevs; "" means all devices. */
struct eekbp_devices *eekbp_parse_devices(const char *buf)
{
	struct eekbp_devices *devs;
	char *copy, *cur, *tok;
	int ret = -EINVAL;

	devs = kzalloc(sizeof(*devs), GFP_KERNEL);
	copy = kstrdup(buf, GFP_KERNEL);
	if (!devs || !copy) {
		ret = -ENOMEM;
		goto err;
	}
	cur = strim(copy);
	while (*cur) {
		struct net_device *dev;

		tok = strsep(&cur, ",");
		tok = strim(tok);
		if (!*tok || strlen(tok) >= IFNAMSIZ ||
		    devs->nr == EEKBP_MAX_DEVICES)
			goto err;
		dev = dev_get_by_name(&init_net, tok);
		if (!dev)
			goto err;
		dev_put(dev);
		strscpy(devs->names[devs->nr++], tok, IFNAMSIZ);
		if (!cur)
			break;
		if (!*cur)	/* trailing comma */
			goto err;
	}
	kfree(copy);
	return devs;
err:
	kfree(copy);
	kfree(devs);
	return ERR_PTR(ret);
}

int eekbp_parse_quota(const char *buf, unsigned int *quota)
{
	unsigned int v;

	if (kstrtouint(buf, 10, &v) || v < EEKBP_QUOTA_MIN ||
	    v > EEKBP_QUOTA_MAX)
		return -EINVAL;
	*quota = v;
	return 0;
}

/* A decimal 0..@max. */
int eekbp_parse_uint_max(const char *buf, unsigned int max, unsigned int *v)
{
	unsigned int x;

	if (kstrtouint(buf, 10, &x) || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

int eekbp_parse_bool01(const char *buf, bool *val)
{
	unsigned int v;

	if (kstrtouint(buf, 10, &v) || v > 1)
		return -EINVAL;
	*val = v;
	return 0;
}

int eekbp_parse_khz(const char *buf, unsigned int *khz)
{
	unsigned int v;

	if (kstrtouint(buf, 10, &v) || v > EEKBP_FREQ_KHZ_MAX)
		return -EINVAL;
	*khz = v;
	return 0;
}

/* "other" or "fifo:<1..99>", one trailing newline allowed. */
int eekbp_parse_sched(const char *buf, int *prio)
{
	size_t len = strlen(EEKBP_SCHED_FIFO_PREFIX);
	unsigned int v;

	if (sysfs_streq(buf, EEKBP_SCHED_OTHER)) {
		*prio = 0;
		return 0;
	}
	if (strncmp(buf, EEKBP_SCHED_FIFO_PREFIX, len) ||
	    kstrtouint(buf + len, 10, &v) || v < EEKBP_SCHED_PRIO_MIN ||
	    v > EEKBP_SCHED_PRIO_MAX)
		return -EINVAL;
	*prio = v;
	return 0;
}

/* Caller holds eekbp_cfg_lock. */
void eekbp_cfg_set_devices(struct eekbp_devices *devs)
{
	struct eekbp_devices *old;

	old = rcu_replace_pointer(eekbp_cfg.devices, devs,
				  lockdep_is_held(&eekbp_cfg_lock));
	if (old)
		kfree_rcu(old, rcu);
}

/* Called with IRQs off from the scheduling hook. */
bool eekbp_dev_served(const struct net_device *dev)
{
	struct eekbp_devices *devs;
	bool served = true;
	int i;

	rcu_read_lock();
	devs = rcu_dereference(eekbp_cfg.devices);
	if (devs && devs->nr) {
		/* the names were resolved in the initial namespace */
		served = false;
		if (!net_eq(dev_net(dev), &init_net))
			goto out;
		for (i = 0; i < devs->nr; i++) {
			if (!strncmp(devs->names[i], dev->name, IFNAMSIZ)) {
				served = true;
				break;
			}
		}
	}
out:
	rcu_read_unlock();
	return served;
}

void eekbp_cfg_free(void)
{
	struct eekbp_devices *old;

	old = rcu_replace_pointer(eekbp_cfg.devices, NULL, true);
	synchronize_rcu();
	kfree(old);
}
