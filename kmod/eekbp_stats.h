/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_STATS_H
#define EEKBP_STATS_H

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/sysfs.h>

#include "eekbp_uapi.h"

/* log2 histogram slot of a value in ns: floor(log2 v) + 1, 0 for 0. */
static inline void eekbp_hist_add(__u64 *hist, u64 ns)
{
	unsigned int slot = fls64(ns);

	if (slot >= EEKBP_HIST_BUCKETS)
		slot = EEKBP_HIST_BUCKETS - 1;
	WRITE_ONCE(hist[slot], hist[slot] + 1);
}

ssize_t eekbp_stats_text_read(struct file *file, struct kobject *kobj,
			      struct bin_attribute *attr, char *buf,
			      loff_t off, size_t count);
ssize_t eekbp_stats_bin_read(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf,
			     loff_t off, size_t count);

#endif /* EEKBP_STATS_H */
