/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_CONFIG_H
#define EEKBP_CONFIG_H

#include <linux/cpumask.h>
#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>

#include "eekbp_uapi.h"

#define EEKBP_MAX_DEVICES	16
#define EEKBP_FREQ_KHZ_MAX	100000000U	/* 100 GHz: anything above is a typo */

enum eekbp_mode {
	EEKBP_NAPI,
	EEKBP_KBP,
	EEKBP_EEKBP,
	EEKBP_ADAPTIVE,
};

/* The served netdev names; RCU protected, replaced as a whole. */
struct eekbp_devices {
	struct rcu_head rcu;
	int nr;
	char names[EEKBP_MAX_DEVICES][IFNAMSIZ];
};

/*
 * Live configuration. Writers hold eekbp_cfg_lock and validate everything
 * before publishing; the hook and the threads read fields with READ_ONCE().
 */
struct eekbp_cfg {
	int mode;
	unsigned int quota;
	bool freq_ctl;
	unsigned int freq_min_khz;
	unsigned int freq_max_khz;
	bool enabled;
	/* 0: SCHED_OTHER, 1..99: SCHED_FIFO at that priority */
	int sched;
	/* adaptive mode: spin limit (us) and frequency changes per second */
	unsigned int spin_max_us;
	unsigned int freq_max_rate;
	/* for show and stats; the threads read eekbp_pcpu.served */
	struct cpumask cpus;
	struct eekbp_devices __rcu *devices;
};

extern struct eekbp_cfg eekbp_cfg;
extern struct mutex eekbp_cfg_lock;

int eekbp_parse_mode(const char *buf, int *mode);
const char *eekbp_mode_name(int mode);
int eekbp_parse_cpus(const char *buf, struct cpumask *mask);
struct eekbp_devices *eekbp_parse_devices(const char *buf);
int eekbp_parse_quota(const char *buf, unsigned int *quota);
int eekbp_parse_bool01(const char *buf, bool *val);
int eekbp_parse_khz(const char *buf, unsigned int *khz);
int eekbp_parse_sched(const char *buf, int *prio);
int eekbp_parse_uint_max(const char *buf, unsigned int max, unsigned int *v);

void eekbp_cfg_set_devices(struct eekbp_devices *devs);
bool eekbp_dev_served(const struct net_device *dev);
void eekbp_cfg_free(void);

#endif /* EEKBP_CONFIG_H */
