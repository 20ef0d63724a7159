// SPDX-License-Identifier: GPL-2.0
/* Per-thread statistics as text (stats) and binary (stats.bin). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "eekbp_config.h"
#include "eekbp_pcpu.h"
#include "eekbp_stats.h"

/*
 * A snapshot of one CPU's counters; readers race with the thread. The time
 * since the thread's last state change is added, so a kbp thread that never
 * sleeps still shows its busy time.
 */
static void eekbp_stats_copy(struct eekbp_cpu_stats *dst, unsigned int cpu)
{
	const struct eekbp_pcpu *pc = per_cpu_ptr(&eekbp_pcpu, cpu);
	u64 since = READ_ONCE(pc->state_ts);
	u64 now = ktime_get_ns();

	memcpy(dst, &pc->stats, sizeof(*dst));
	dst->cpu = cpu;
	if (since && now > since) {
		if (dst->state == EEKBP_STATE_SLEEPING)
			dst->sleep_ns += now - since;
		else
			dst->busy_ns += now - since;
	}
}

#define EEKBP_STATS_LINE_MAX	768

/* One text line per served CPU, read with offsets like a regular file. */
ssize_t eekbp_stats_text_read(struct file *file, struct kobject *kobj,
			      struct bin_attribute *attr, char *buf,
			      loff_t off, size_t count)
{
	struct eekbp_cpu_stats *st;
	size_t size, len = 0;
	unsigned int cpu;
	char *text;
	ssize_t ret;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&eekbp_cfg_lock);
	size = (size_t)cpumask_weight(&eekbp_cfg.cpus) * EEKBP_STATS_LINE_MAX;
	text = kvmalloc(size ?: 1, GFP_KERNEL);
	if (!text) {
		mutex_unlock(&eekbp_cfg_lock);
		kfree(st);
		return -ENOMEM;
	}
	for_each_cpu(cpu, &eekbp_cfg.cpus) {
		eekbp_stats_copy(st, cpu);
		len += scnprintf(text + len, size - len,
				 "cpu=%u state=%s packets=%llu polls=%llu empty_polls=%llu sleeps=%llu irq_wakes=%llu freq_up=%llu freq_down=%llu busy_ns=%llu sleep_ns=%llu freq_fail=%llu freq_skipped=%llu budget_breaks=%llu rps_ipis=%llu defer_flushes=%llu stock_kicks=%llu spin_windows=%llu spin_catches=%llu spin_expired=%llu freq_held=%llu nap_wakes=%llu\n",
				 cpu, st->state ? "polling" : "sleeping",
				 st->packets, st->polls, st->empty_polls,
				 st->sleeps, st->irq_wakes, st->freq_up,
				 st->freq_down, st->busy_ns, st->sleep_ns,
				 st->freq_fail, st->freq_skipped,
				 st->budget_breaks, st->rps_ipis,
				 st->defer_flushes, st->stock_kicks,
				 st->spin_windows, st->spin_catches,
				 st->spin_expired, st->freq_held,
				 st->nap_wakes);
	}
	mutex_unlock(&eekbp_cfg_lock);
	ret = memory_read_from_buffer(buf, count, &off, text, len);
	kvfree(text);
	kfree(st);
	return ret;
}

ssize_t eekbp_stats_bin_read(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf,
			     loff_t off, size_t count)
{
	struct eekbp_stats_header *hdr;
	struct eekbp_cpu_stats *rec;
	unsigned int cpu, nr;
	size_t size;
	ssize_t ret;

	mutex_lock(&eekbp_cfg_lock);
	nr = cpumask_weight(&eekbp_cfg.cpus);
	size = sizeof(*hdr) + nr * sizeof(*rec);
	hdr = kzalloc(size, GFP_KERNEL);
	if (!hdr) {
		mutex_unlock(&eekbp_cfg_lock);
		return -ENOMEM;
	}
	hdr->magic = cpu_to_le32(EEKBP_STATS_MAGIC);
	hdr->abi_version = cpu_to_le16(EEKBP_ABI_VERSION);
	hdr->nr_records = cpu_to_le16(nr);
	hdr->record_size = cpu_to_le32(sizeof(*rec));
	hdr->hist_buckets = cpu_to_le32(EEKBP_HIST_BUCKETS);
	rec = (struct eekbp_cpu_stats *)(hdr + 1);
	for_each_cpu(cpu, &eekbp_cfg.cpus)
		eekbp_stats_copy(rec++, cpu);
	mutex_unlock(&eekbp_cfg_lock);

	ret = memory_read_from_buffer(buf, count, &off, hdr, size);
	kfree(hdr);
	return ret;
}
