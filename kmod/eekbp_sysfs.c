// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/eekbp: one value per file. A write is parsed and validated
 * completely before anything changes; bad input returns -EINVAL. Every
 * store publishes under eekbp_cfg_lock, then wakes the threads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "eekbp_config.h"
#include "eekbp_freq.h"
#include "eekbp_stats.h"
#include "eekbp_sysfs.h"
#include "eekbp_thread.h"

static struct kobject *eekbp_kobj;

#define EEKBP_SHOW(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}

EEKBP_SHOW(abi_version, "%d", EEKBP_ABI_VERSION)
EEKBP_SHOW(mode, "%s", eekbp_mode_name(READ_ONCE(eekbp_cfg.mode)))
EEKBP_SHOW(quota, "%u", READ_ONCE(eekbp_cfg.quota))
EEKBP_SHOW(freq_ctl, "%d", READ_ONCE(eekbp_cfg.freq_ctl))
EEKBP_SHOW(freq_min_khz, "%u", READ_ONCE(eekbp_cfg.freq_min_khz))
EEKBP_SHOW(freq_max_khz, "%u", READ_ONCE(eekbp_cfg.freq_max_khz))
EEKBP_SHOW(enabled, "%d", READ_ONCE(eekbp_cfg.enabled))

/*
 * Publish a change: the frequency monitor follows, threads re-read it.
 * Takes the hotplug lock: callers hold eekbp_cfg_lock, never the reverse.
 */
static void eekbp_cfg_changed(bool freq)
{
	lockdep_assert_held(&eekbp_cfg_lock);
	if (freq)
		eekbp_threads_recheck_freq();
	eekbp_freq_monitor_sync();
	eekbp_threads_kick();
}

static ssize_t mode_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int mode;

	if (eekbp_parse_mode(buf, &mode))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	WRITE_ONCE(eekbp_cfg.mode, mode);
	eekbp_cfg_changed(true);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	ssize_t len;

	mutex_lock(&eekbp_cfg_lock);
	len = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&eekbp_cfg.cpus));
	mutex_unlock(&eekbp_cfg_lock);
	return len;
}

static ssize_t cpus_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	cpumask_var_t mask;
	int ret = -EINVAL;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	/* lock order: eekbp_cfg_lock, then the hotplug lock */
	mutex_lock(&eekbp_cfg_lock);
	cpus_read_lock();
	if (!eekbp_parse_cpus(buf, mask)) {
		cpumask_copy(&eekbp_cfg.cpus, mask);
		eekbp_set_served(mask);
		ret = count;
	}
	cpus_read_unlock();
	if (ret > 0)
		eekbp_cfg_changed(true);
	mutex_unlock(&eekbp_cfg_lock);
	free_cpumask_var(mask);
	return ret;
}

static ssize_t devices_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct eekbp_devices *devs;
	int i, len = 0;

	mutex_lock(&eekbp_cfg_lock);
	devs = rcu_dereference_protected(eekbp_cfg.devices,
					 lockdep_is_held(&eekbp_cfg_lock));
	for (i = 0; devs && i < devs->nr; i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? "," : "",
				     devs->names[i]);
	len += sysfs_emit_at(buf, len, "\n");
	mutex_unlock(&eekbp_cfg_lock);
	return len;
}

static ssize_t devices_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct eekbp_devices *devs;

	devs = eekbp_parse_devices(buf);
	if (IS_ERR(devs))
		return PTR_ERR(devs);
	mutex_lock(&eekbp_cfg_lock);
	eekbp_cfg_set_devices(devs);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

static ssize_t quota_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	unsigned int quota;

	if (eekbp_parse_quota(buf, &quota))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	WRITE_ONCE(eekbp_cfg.quota, quota);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

static ssize_t freq_ctl_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	bool on;

	if (eekbp_parse_bool01(buf, &on))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	WRITE_ONCE(eekbp_cfg.freq_ctl, on);
	eekbp_cfg_changed(true);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

/* min and max are checked against each other when both are set. */
static ssize_t freq_khz_store(const char *buf, size_t count, bool is_max)
{
	unsigned int khz, min, max;
	ssize_t ret = count;

	if (eekbp_parse_khz(buf, &khz))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	min = is_max ? eekbp_cfg.freq_min_khz : khz;
	max = is_max ? khz : eekbp_cfg.freq_max_khz;
	if (min && max && min > max)
		ret = -EINVAL;
	else if (is_max)
		WRITE_ONCE(eekbp_cfg.freq_max_khz, khz);
	else
		WRITE_ONCE(eekbp_cfg.freq_min_khz, khz);
	if (ret > 0)
		eekbp_cfg_changed(true);
	mutex_unlock(&eekbp_cfg_lock);
	return ret;
}

static ssize_t freq_min_khz_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return freq_khz_store(buf, count, false);
}

static ssize_t freq_max_khz_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return freq_khz_store(buf, count, true);
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	bool on;

	if (eekbp_parse_bool01(buf, &on))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	WRITE_ONCE(eekbp_cfg.enabled, on);
	eekbp_cfg_changed(true);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

/* A 0..@max knob that only the adaptive threads read. */
static ssize_t eekbp_uint_store(const char *buf, size_t count,
				unsigned int max, unsigned int *field)
{
	unsigned int v;

	if (eekbp_parse_uint_max(buf, max, &v))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	WRITE_ONCE(*field, v);
	eekbp_cfg_changed(false);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

EEKBP_SHOW(spin_max_us, "%u", READ_ONCE(eekbp_cfg.spin_max_us))
EEKBP_SHOW(freq_max_rate, "%u", READ_ONCE(eekbp_cfg.freq_max_rate))

static ssize_t spin_max_us_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	return eekbp_uint_store(buf, count, EEKBP_SPIN_MAX_US_MAX,
				&eekbp_cfg.spin_max_us);
}

static ssize_t freq_max_rate_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	return eekbp_uint_store(buf, count, EEKBP_FREQ_MAX_RATE_MAX,
				&eekbp_cfg.freq_max_rate);
}

static ssize_t sched_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	int prio = READ_ONCE(eekbp_cfg.sched);

	if (!prio)
		return sysfs_emit(buf, "%s\n", EEKBP_SCHED_OTHER);
	return sysfs_emit(buf, "%s%d\n", EEKBP_SCHED_FIFO_PREFIX, prio);
}

static ssize_t sched_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int prio;

	if (eekbp_parse_sched(buf, &prio))
		return -EINVAL;
	mutex_lock(&eekbp_cfg_lock);
	WRITE_ONCE(eekbp_cfg.sched, prio);
	eekbp_cfg_changed(false);
	mutex_unlock(&eekbp_cfg_lock);
	return count;
}

static struct kobj_attribute abi_version_attr = __ATTR_RO(abi_version);
static struct kobj_attribute mode_attr = __ATTR_RW(mode);
static struct kobj_attribute cpus_attr = __ATTR_RW(cpus);
static struct kobj_attribute devices_attr = __ATTR_RW(devices);
static struct kobj_attribute quota_attr = __ATTR_RW(quota);
static struct kobj_attribute freq_ctl_attr = __ATTR_RW(freq_ctl);
static struct kobj_attribute freq_min_khz_attr = __ATTR_RW(freq_min_khz);
static struct kobj_attribute freq_max_khz_attr = __ATTR_RW(freq_max_khz);
static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);
static struct kobj_attribute sched_attr = __ATTR_RW(sched);
static struct kobj_attribute spin_max_us_attr = __ATTR_RW(spin_max_us);
static struct kobj_attribute freq_max_rate_attr = __ATTR_RW(freq_max_rate);

static struct attribute *eekbp_attrs[] = {
	&abi_version_attr.attr,
	&mode_attr.attr,
	&cpus_attr.attr,
	&devices_attr.attr,
	&quota_attr.attr,
	&freq_ctl_attr.attr,
	&freq_min_khz_attr.attr,
	&freq_max_khz_attr.attr,
	&enabled_attr.attr,
	&sched_attr.attr,
	&spin_max_us_attr.attr,
	&freq_max_rate_attr.attr,
	NULL,
};

/* stats is text of any length (one line per served CPU): not one page */
static struct bin_attribute stats_attr = {
	.attr = { .name = EEKBP_ATTR_STATS, .mode = 0444 },
	.read = eekbp_stats_text_read,
};

static struct bin_attribute stats_bin_attr = {
	.attr = { .name = EEKBP_ATTR_STATS_BIN, .mode = 0444 },
	.read = eekbp_stats_bin_read,
};

static struct bin_attribute *eekbp_bin_attrs[] = {
	&stats_attr,
	&stats_bin_attr,
	NULL,
};

static const struct attribute_group eekbp_group = {
	.attrs = eekbp_attrs,
	.bin_attrs = eekbp_bin_attrs,
};

int eekbp_sysfs_init(void)
{
	int ret;

	eekbp_kobj = kobject_create_and_add(EEKBP_MODULE_NAME, kernel_kobj);
	if (!eekbp_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(eekbp_kobj, &eekbp_group);
	if (ret)
		kobject_put(eekbp_kobj);
	return ret;
}

void eekbp_sysfs_exit(void)
{
	sysfs_remove_group(eekbp_kobj, &eekbp_group);
	kobject_put(eekbp_kobj);
}
