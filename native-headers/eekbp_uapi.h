/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * eekbp_uapi.h - user/kernel ABI of the eekbp module.
 *
 * Shared by the kernel module (kmod/), the livepatch and the Java agent,
 * whose unit test parses this file to prove its constants agree.
 * Everything is little endian with fixed sizes; bump EEKBP_ABI_VERSION on
 * any incompatible change.
 */
#ifndef EEKBP_UAPI_H
#define EEKBP_UAPI_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
#endif

#define EEKBP_ABI_VERSION	1

/* Module names and the livepatch's sysfs folder. */
#define EEKBP_MODULE_NAME	"eekbp"
#define EEKBP_LIVEPATCH_NAME	"eekbp_livepatch"
#define EEKBP_LIVEPATCH_DIR	"/sys/kernel/livepatch/eekbp_livepatch"

/* sysfs folder of the module and its attributes (one value per file). */
#define EEKBP_SYSFS_DIR		"/sys/kernel/eekbp"
#define EEKBP_ATTR_ABI_VERSION	"abi_version"
#define EEKBP_ATTR_MODE		"mode"
#define EEKBP_ATTR_CPUS		"cpus"
#define EEKBP_ATTR_DEVICES	"devices"
#define EEKBP_ATTR_QUOTA	"quota"
#define EEKBP_ATTR_FREQ_CTL	"freq_ctl"
#define EEKBP_ATTR_FREQ_MIN_KHZ	"freq_min_khz"
#define EEKBP_ATTR_FREQ_MAX_KHZ	"freq_max_khz"
#define EEKBP_ATTR_ENABLED	"enabled"
#define EEKBP_ATTR_SCHED	"sched"
#define EEKBP_ATTR_SPIN_MAX_US	"spin_max_us"
#define EEKBP_ATTR_FREQ_MAX_RATE	"freq_max_rate"
#define EEKBP_ATTR_STATS	"stats"
#define EEKBP_ATTR_STATS_BIN	"stats.bin"

/* Values of the mode attribute. */
#define EEKBP_MODE_NAPI		"napi"	/* stock softirq path */
#define EEKBP_MODE_KBP		"kbp"	/* busy poll, never sleep */
#define EEKBP_MODE_EEKBP	"eekbp"	/* poll while busy, sleep when idle */
#define EEKBP_MODE_ADAPTIVE	"adaptive"	/* eekbp + spin with IRQs masked */

/* adaptive: longest spin after the last packet, in us (0: eekbp) */
#define EEKBP_SPIN_MAX_US_MAX	1000
#define EEKBP_SPIN_MAX_US_DEFAULT	50
/* adaptive: frequency changes per second per CPU at most (0: no cap) */
#define EEKBP_FREQ_MAX_RATE_MAX	100000
#define EEKBP_FREQ_MAX_RATE_DEFAULT	100

/* Values of the sched attribute: "other" or "fifo:<prio>". */
#define EEKBP_SCHED_OTHER	"other"
#define EEKBP_SCHED_FIFO_PREFIX	"fifo:"
#define EEKBP_SCHED_PRIO_MIN	1
#define EEKBP_SCHED_PRIO_MAX	99

/* Per-poll packet budget of the polling threads (capped at a napi's weight). */
#define EEKBP_QUOTA_MIN		1
#define EEKBP_QUOTA_MAX		1024
#define EEKBP_QUOTA_DEFAULT	64

/* Thread states in struct eekbp_cpu_stats.state. */
#define EEKBP_STATE_SLEEPING	0
#define EEKBP_STATE_POLLING	1

/* stats.bin: one header, then nr_records records of record_size bytes. */
#define EEKBP_STATS_MAGIC	0x50424b45U	/* "EKBP" little endian */
#define EEKBP_HIST_BUCKETS	32	/* slot = floor(log2 ns) + 1, 0 = 0 ns */

struct eekbp_stats_header {
	__u32 magic;
	__u16 abi_version;
	__u16 nr_records;
	__u32 record_size;
	__u32 hist_buckets;
};

struct eekbp_cpu_stats {
	__u32 cpu;
	__u32 state;
	__u64 packets;		/* packets returned by ->poll */
	__u64 polls;		/* ->poll calls */
	__u64 empty_polls;	/* ->poll calls that returned 0 */
	__u64 sleeps;		/* times the thread blocked asleep */
	__u64 irq_wakes;	/* hardIRQ-path wake-ups of a sleeping thread */
	__u64 freq_up;		/* frequency raised to max */
	__u64 freq_down;	/* frequency lowered to min */
	__u64 busy_ns;		/* time awake */
	__u64 sleep_ns;		/* time asleep */
	__u64 wake_lat_hist[EEKBP_HIST_BUCKETS];	/* hardIRQ -> first poll */
	__u64 freq_lat_hist[EEKBP_HIST_BUCKETS];	/* frequency change */
	/* appended in ABI 1 (record_size tells readers what is there) */
	__u64 freq_fail;	/* frequency changes that failed: given up */
	__u64 freq_skipped;	/* lowering skipped: policy shared with a busy CPU */
	__u64 budget_breaks;	/* poll rounds cut by the budget or time limit */
	__u64 rps_ipis;		/* RPS IPIs whose backlog went to the thread */
	__u64 defer_flushes;	/* skb defer-list flushes done by the thread */
	__u64 stock_kicks;	/* ksoftirqd wake-ups made for the stock path */
	__u64 spin_windows;	/* adaptive: spins started with IRQs masked */
	__u64 spin_catches;	/* adaptive: polls that found packets while spinning */
	__u64 spin_expired;	/* adaptive: spins that ended without a packet */
	__u64 freq_held;	/* adaptive: sleeps kept at max (dense traffic, rate cap) */
	__u64 nap_wakes;	/* adaptive: timer wake-ups of naps with IRQs masked */
};

#define EEKBP_STATS_HEADER_SIZE	16
/* The first record_size bytes every reader of ABI 1 can rely on. */
#define EEKBP_CPU_STATS_SIZE	(8 + 9 * 8 + 2 * EEKBP_HIST_BUCKETS * 8)
#define EEKBP_CPU_STATS_EXT_COUNTERS	11

_Static_assert(sizeof(struct eekbp_stats_header) == EEKBP_STATS_HEADER_SIZE,
	       "eekbp_stats_header size");
_Static_assert(sizeof(struct eekbp_cpu_stats) ==
	       EEKBP_CPU_STATS_SIZE + 8 * EEKBP_CPU_STATS_EXT_COUNTERS,
	       "eekbp_cpu_stats size");

#endif /* EEKBP_UAPI_H */
