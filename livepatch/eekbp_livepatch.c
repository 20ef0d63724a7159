// SPDX-License-Identifier: GPL-2.0
/*
 * eekbp_livepatch: routes receive scheduling to the eekbp polling threads.
 *
 * Replaces the kernel functions that schedule a napi or raise NET_RX for
 * one: the exported __napi_schedule and __napi_schedule_irqoff,
 * napi_watchdog (which inlines its own copy), enqueue_to_backlog (the
 * netif_rx backlog), rps_trigger_softirq (the RPS IPI) and
 * trigger_rx_softirq (the skb defer-list IPI). Each replacement only
 * delegates to eekbp, which decides per CPU between its thread and a copy
 * of the stock path. Load after eekbp, unload before it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/netdevice.h>

#include "../kmod/eekbp.h"

static void eekbp_lp_napi_schedule(struct napi_struct *n)
{
	unsigned long flags;

	local_irq_save(flags);
	eekbp_napi_schedule(n);
	local_irq_restore(flags);
}

static void eekbp_lp_napi_schedule_irqoff(struct napi_struct *n)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		eekbp_lp_napi_schedule(n);
	else
		eekbp_napi_schedule(n);
}

/* hrtimer of napi_defer_hard_irqs/gro_flush_timeout; hardIRQ context */
static enum hrtimer_restart eekbp_lp_napi_watchdog(struct hrtimer *timer)
{
	struct napi_struct *napi = container_of(timer, struct napi_struct,
						timer);

	/* like napi_schedule_prep() but without setting MISSED */
	if (!napi_disable_pending(napi) &&
	    !test_and_set_bit(NAPI_STATE_SCHED, &napi->state)) {
		clear_bit(NAPI_STATE_PREFER_BUSY_POLL, &napi->state);
		eekbp_lp_napi_schedule_irqoff(napi);
	}
	return HRTIMER_NORESTART;
}

static int eekbp_lp_enqueue_to_backlog(struct sk_buff *skb, int cpu,
				       unsigned int *qtail)
{
	return eekbp_enqueue_to_backlog(skb, cpu, qtail);
}

/* csd callbacks: hardIRQ context on the target CPU */
static void eekbp_lp_rps_trigger_softirq(void *data)
{
	eekbp_rps_trigger(data);
}

static void eekbp_lp_trigger_rx_softirq(void *data)
{
	eekbp_defer_trigger(data);
}

static struct klp_func eekbp_lp_funcs[] = {
	{
		.old_name = "__napi_schedule",
		.new_func = eekbp_lp_napi_schedule,
	}, {
		.old_name = "__napi_schedule_irqoff",
		.new_func = eekbp_lp_napi_schedule_irqoff,
	}, {
		.old_name = "napi_watchdog",
		.new_func = eekbp_lp_napi_watchdog,
	}, {
		.old_name = "enqueue_to_backlog",
		.new_func = eekbp_lp_enqueue_to_backlog,
	}, {
		.old_name = "rps_trigger_softirq",
		.new_func = eekbp_lp_rps_trigger_softirq,
	}, {
		.old_name = "trigger_rx_softirq",
		.new_func = eekbp_lp_trigger_rx_softirq,
	}, { }
};

static struct klp_object eekbp_lp_objs[] = {
	{
		/* name NULL: vmlinux */
		.funcs = eekbp_lp_funcs,
	}, { }
};

static struct klp_patch eekbp_lp_patch = {
	.mod = THIS_MODULE,
	.objs = eekbp_lp_objs,
};

static int __init eekbp_lp_init(void)
{
	return klp_enable_patch(&eekbp_lp_patch);
}

static void __exit eekbp_lp_exit(void)
{
}

module_init(eekbp_lp_init);
module_exit(eekbp_lp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("EE-KBP: route napi scheduling to the eekbp threads");
MODULE_AUTHOR("eekbp project");
MODULE_INFO(livepatch, "Y");
