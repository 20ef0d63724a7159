/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_PCPU_H
#define EEKBP_PCPU_H

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>

#include "eekbp_uapi.h"

/* Per-CPU state of one polling thread. */
struct eekbp_pcpu {
	/* napis handed to this thread; touched on this CPU with IRQs off */
	struct list_head poll_list;
	/* adaptive: napis still owned with IRQs masked; thread only */
	struct list_head spin_list;
	struct task_struct *task;
	/* this CPU is in eekbp_cfg.cpus; written under eekbp_cfg_lock */
	bool served;
	/* the hook takes napis only while set; changed with IRQs off */
	bool accepting;
	/* the thread is asleep or about to sleep: the hook must wake it */
	bool sleeping;
	/* the skb defer list of this CPU wants a flush (defer IPI) */
	bool defer_kick;
	/* the thread is in a poll round: it sends queued RPS IPIs itself */
	bool in_poll;
	/* ns timestamp of the hardIRQ wake-up, 0 when none pending */
	u64 wake_ts;
	/* ns timestamp of the last busy/sleep state change */
	u64 state_ts;
	/* adaptive: when the poll list last emptied, and the spin's end */
	u64 idle_since;
	u64 spin_end;
	/* adaptive: the spin's next poll of its napis */
	u64 spin_next;
	/* adaptive: last time packets were found, mean period between them */
	u64 last_rx;
	u64 rx_period_ns;
	/* adaptive: spin budget in ns (refills at a share of the time) */
	s64 spin_tokens;
	u64 budget_ts;
	/* adaptive: this wait already napped once */
	bool napped;
	/* adaptive: start of the gap the next received packet ends, 0 none */
	u64 gap_from;
	/* adaptive: share of gaps within spin_max_us (0..1024), their mean */
	unsigned int hit_ewma;
	u64 hit_gap_ns;
	/* adaptive: frequency changes in the current second */
	unsigned long rate_start;
	unsigned int rate_changes;
	/* frequency level this thread last applied: -1 none, 0 min, 1 max */
	int freq_level;
	/* level this thread asks for; read by CPUs of the same policy */
	int freq_want;
	/* policy->cur right after the last change this thread made */
	unsigned int freq_khz;
	/* the last change failed: not retried until freq_recheck */
	bool freq_blocked;
	/* re-apply the frequency: settings, hotplug or policy changed */
	bool freq_recheck;
	/* voluntary switches of the thread when it last went to sleep */
	unsigned long sleep_nvcsw;
	/* scheduling policy last applied (eekbp_cfg.sched encoding) */
	int sched_applied;
	struct eekbp_cpu_stats stats;
	/* no-op tasklet whose scheduling wakes ksoftirqd (stock fallback) */
	struct tasklet_struct kick;
};

DECLARE_PER_CPU(struct eekbp_pcpu, eekbp_pcpu);

#endif /* EEKBP_PCPU_H */
