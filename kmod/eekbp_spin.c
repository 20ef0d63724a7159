// SPDX-License-Identifier: GPL-2.0
/*
 * Adaptive mode: when a napi runs dry, keep it for a short spin with its
 * interrupt still masked instead of completing it, so a train of packets
 * costs one hardIRQ and one wake. Ownership works as in napi_busy_loop():
 * NAPI_STATE_IN_BUSY_POLL makes napi_complete_done() return false, so the
 * driver leaves its IRQ off and the napi stays scheduled; ending the spin
 * clears the bit and polls once more, as busy_poll_stop() does, which lets
 * the driver complete and re-arm. The spin polls paced, not back to back.
 *
 * The spin is worth it only when the next packet is likely to come within
 * spin_max_us: each thread keeps the share of recent gaps (list empty to
 * the next received packet) within that limit and their mean, spins only
 * while most gaps are short, for about twice their mean. A round that
 * brings no packet (a TX completion) neither ends a gap nor starts one: an
 * echo's reply would otherwise look like a short gap before every long
 * one, or cut the gap it falls in short. The same signal holds the
 * frequency at max across short sleeps, and freq_max_rate caps changes.
 *
 * Spinning is paid from a budget that refills at 1/4 of the time: a short
 * train is caught by spinning, sustained dense traffic would spin most of
 * a core. Out of budget, the thread naps on a timer instead, IRQs still
 * masked, until just before the packet that makes the wait at least half
 * of spin_max_us (one timer wake per one or more packets), then spins
 * briefly for it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <trace/events/napi.h>
#include "eekbp_compat.h"
#if EEKBP_NAPI_612
#include <linux/filter.h>
#endif

#include "eekbp_config.h"
#include "eekbp_napi.h"
#include "eekbp_sched.h"
#include "eekbp_spin.h"

/* Share of short gaps (of 1024) above which the thread spins. */
#define EEKBP_HIT_SPIN		512
/*
 * The spin polls its napis once per 1/16 of its window, 1-20 us apart,
 * with cpu_relax() in between: polling back to back without it (about a
 * million empty polls a second), a guest under single-threaded QEMU lost
 * a quarter of a dense request/response flow's replies.
 */
#define EEKBP_SPIN_PACE_SHIFT	4
#define EEKBP_SPIN_PACE_MIN_NS	(1 * NSEC_PER_USEC)
#define EEKBP_SPIN_PACE_MAX_NS	(20 * NSEC_PER_USEC)
/* An idle CPU held at max is lowered after this long asleep. */
#define EEKBP_HOLD_MAX_NS	(100 * NSEC_PER_MSEC)
/* Spin budget: refills at 1/EEKBP_SPIN_SHARE of the time, holds 16 ms. */
#define EEKBP_SPIN_SHARE	4
#define EEKBP_SPIN_BURST_NS	(16 * NSEC_PER_MSEC)
/* A nap shorter than this is not worth a timer wake: spin instead. */
#define EEKBP_NAP_MIN_NS	(20 * NSEC_PER_USEC)
/* A gap this many times spin_max_us means traffic stopped, not a gap. */
#define EEKBP_IDLE_GAPS		128

static u64 eekbp_spin_max_ns(void)
{
	if (READ_ONCE(eekbp_cfg.mode) != EEKBP_ADAPTIVE)
		return 0;
	return (u64)READ_ONCE(eekbp_cfg.spin_max_us) * NSEC_PER_USEC;
}

/* The spin a window would last now: twice the mean short gap, capped. */
static u64 eekbp_window_len(const struct eekbp_pcpu *pc, u64 max)
{
	return min(max, 2 * pc->hit_gap_ns + 2 * NSEC_PER_USEC);
}

/*
 * Learn from one gap between running dry and the next packet. A hit is a
 * gap the window would have caught: counting every gap within spin_max_us
 * made the thread spin for gaps its shorter window then missed.
 */
static void eekbp_hit_sample(struct eekbp_pcpu *pc, bool hit)
{
	pc->hit_ewma = pc->hit_ewma - pc->hit_ewma / 8 + (hit ? 128 : 0);
}

/*
 * After idleness the past gaps predict nothing: sleep at once until one
 * short gap is seen again (the share a dense burst left behind would
 * otherwise open windows for the next few sparse packets).
 */
static void eekbp_forget(struct eekbp_pcpu *pc)
{
	pc->hit_ewma = min(pc->hit_ewma, EEKBP_HIT_SPIN - 1);
}

/* @gap (ns) is idleness, not a gap to spin through, for limit @max */
static bool eekbp_idle_gap(u64 gap, u64 max)
{
	return gap > EEKBP_IDLE_GAPS * max;
}

static void eekbp_gap_sample(struct eekbp_pcpu *pc, u64 gap)
{
	u64 max = eekbp_spin_max_ns();

	if (eekbp_idle_gap(gap, max)) {
		eekbp_forget(pc);
		return;
	}
	eekbp_hit_sample(pc, gap <= eekbp_window_len(pc, max));
	if (gap <= max)
		pc->hit_gap_ns = pc->hit_gap_ns ?
				 (3 * pc->hit_gap_ns + gap) / 4 : gap;
}

/* A nap's wait ended with packets: a hit, but not a gap the spin saw. */
static void eekbp_nap_hit(struct eekbp_pcpu *pc)
{
	eekbp_hit_sample(pc, true);
	pc->napped = false;
}

/* @work packets found at @t: learn the mean period between packets. */
static void eekbp_rx_seen(struct eekbp_pcpu *pc, u64 t, int work)
{
	u64 d = t - pc->last_rx;

	if (pc->last_rx && t > pc->last_rx && d <= eekbp_spin_max_ns()) {
		d /= work;
		pc->rx_period_ns = pc->rx_period_ns ?
				   (3 * pc->rx_period_ns + d) / 4 : d;
	}
	pc->last_rx = t;
}

/* Refill the spin budget for the time since the last call; spent if @spun. */
static void eekbp_spin_charge(struct eekbp_pcpu *pc, u64 now, bool spun)
{
	u64 d = pc->budget_ts && now > pc->budget_ts ? now - pc->budget_ts : 0;
	s64 t = pc->spin_tokens + (s64)(d / EEKBP_SPIN_SHARE);

	if (spun)
		t -= (s64)d;
	pc->spin_tokens = min_t(s64, t, EEKBP_SPIN_BURST_NS);
	pc->budget_ts = now;
}

/* How long to spin after running dry, 0 to complete and sleep at once. */
u64 eekbp_spin_window(const struct eekbp_pcpu *pc)
{
	u64 max = eekbp_spin_max_ns();

	if (!max || pc->hit_ewma < EEKBP_HIT_SPIN)
		return 0;
	return eekbp_window_len(pc, max);
}

/*
 * A poll round starts, woken by a hardIRQ at @wake_ts (0 if not): whether
 * napis that run dry in it are kept to spin on.
 */
bool eekbp_spin_round(struct eekbp_pcpu *pc, u64 wake_ts)
{
	u64 max = eekbp_spin_max_ns();

	if (!max)
		return false;
	if (wake_ts && pc->idle_since && wake_ts > pc->idle_since &&
	    eekbp_idle_gap(wake_ts - pc->idle_since, max))
		eekbp_forget(pc);
	return eekbp_spin_window(pc) > 0;
}

/*
 * A poll received @work packets: the first after the list emptied ends a
 * gap, at the hardIRQ wake-up @wake_ts of this round if any, else now.
 */
void eekbp_spin_rx(struct eekbp_pcpu *pc, u64 wake_ts, int work)
{
	u64 end;

	if (!eekbp_spin_max_ns())
		return;
	end = wake_ts ?: ktime_get_ns();
	eekbp_rx_seen(pc, end, work);
	if (!pc->gap_from)
		return;
	if (end > pc->gap_from)
		eekbp_gap_sample(pc, end - pc->gap_from);
	pc->gap_from = 0;
}

/* Before polling @n: keep it (IRQ masked) when it runs dry, or let go. */
void eekbp_spin_prepare(struct napi_struct *n, bool spin)
{
	if (spin && n->dev) {
		set_bit(NAPI_STATE_IN_BUSY_POLL, &n->state);
	} else if (test_bit(NAPI_STATE_IN_BUSY_POLL, &n->state)) {
		/* a spin of ours ends with this poll (busy_poll_stop) */
		clear_bit(NAPI_STATE_MISSED, &n->state);
		clear_bit(NAPI_STATE_IN_BUSY_POLL, &n->state);
	}
}

/*
 * After a poll that left @n dry: if this round set its busy-poll bit and
 * it is still scheduled, it is still ours; spin on it. Without @spin the
 * bits may belong to a socket busy poller that took @n after the driver
 * completed it: never touch it then.
 */
void eekbp_spin_keep(struct eekbp_pcpu *pc, struct napi_struct *n, bool spin)
{
	if (!spin || !n->dev ||
	    !test_bit(NAPI_STATE_IN_BUSY_POLL, &n->state) ||
	    !test_bit(NAPI_STATE_SCHED, &n->state) ||
	    !list_empty(&n->poll_list))
		return;
	if (list_empty(&pc->spin_list)) {
		u64 now = ktime_get_ns();

		WRITE_ONCE(pc->stats.spin_windows, pc->stats.spin_windows + 1);
		pc->spin_end = now + eekbp_spin_window(pc);
		pc->napped = false;
		eekbp_spin_charge(pc, now, false);
	}
	list_add_tail(&n->poll_list, &pc->spin_list);
}

/*
 * The end of a poll round: an empty list starts an idle gap, unless one is
 * open already (a TX completion's round ends no gap and starts none).
 */
void eekbp_spin_idle(struct eekbp_pcpu *pc)
{
	if (eekbp_spin_max_ns() && list_empty(&pc->poll_list)) {
		pc->idle_since = ktime_get_ns();
		if (!pc->gap_from)
			pc->gap_from = pc->idle_since;
	}
}

/* End the spin on @n: re-arm its IRQ by one more poll; BH off. */
static void eekbp_spin_stop(struct eekbp_pcpu *pc, struct napi_struct *n,
			    int weight, struct list_head *more)
{
	bool again;
	void *have;
	int work;

	clear_bit(NAPI_STATE_MISSED, &n->state);
	clear_bit(NAPI_STATE_IN_BUSY_POLL, &n->state);
	have = netpoll_poll_lock(n);
	work = eekbp_napi_poll(n, weight, &again);
	netpoll_poll_unlock(have);
	WRITE_ONCE(pc->stats.polls, pc->stats.polls + 1);
	if (work > 0)
		WRITE_ONCE(pc->stats.packets, pc->stats.packets + work);
	if (again)
		list_add_tail(&n->poll_list, more);
}

/* Napis that still want polling go back to the thread's list. */
static void eekbp_spin_requeue(struct eekbp_pcpu *pc, struct list_head *more)
{
	if (list_empty(more))
		return;
	local_irq_disable();
	list_splice_tail(more, &pc->poll_list);
	local_irq_enable();
}

/*
 * One spin round, paced: poll every kept napi once; packets extend the
 * spin, and it ends at its deadline, or at once when the mode or limit
 * changed.
 */
void eekbp_spin(struct eekbp_pcpu *pc)
{
	unsigned int quota = READ_ONCE(eekbp_cfg.quota);
	struct eekbp_cpu_stats *st = &pc->stats;
	bool stop = !eekbp_spin_max_ns();
	struct napi_struct *n, *tmp;
	LIST_HEAD(more);
	u64 now = ktime_get_ns();
#if EEKBP_NAPI_612
	struct bpf_net_context bpf_ctx, *bpf_net_ctx;
#endif

	eekbp_spin_charge(pc, now, true);
	if (!stop && now < pc->spin_next && now < pc->spin_end)
		return;
	pc->spin_next = now + clamp_t(u64,
				      eekbp_spin_window(pc) >> EEKBP_SPIN_PACE_SHIFT,
				      EEKBP_SPIN_PACE_MIN_NS, EEKBP_SPIN_PACE_MAX_NS);
	local_bh_disable();
#if EEKBP_NAPI_612
	bpf_net_ctx = bpf_net_ctx_set(&bpf_ctx);
#endif
	pc->in_poll = true;
	list_for_each_entry_safe(n, tmp, &pc->spin_list, poll_list) {
		int weight = eekbp_weight(n, quota);
		void *have;
		int work;
		u64 t;

		if (stop || unlikely(napi_disable_pending(n)))
			continue;
		t = ktime_get_ns();
		have = netpoll_poll_lock(n);
		work = n->poll(n, weight);
		trace_napi_poll(n, work, weight);
		netpoll_poll_unlock(have);
		WRITE_ONCE(st->polls, st->polls + 1);
		if (!work) {
			WRITE_ONCE(st->empty_polls, st->empty_polls + 1);
			continue;
		}
		WRITE_ONCE(st->packets, st->packets + work);
		WRITE_ONCE(st->spin_catches, st->spin_catches + 1);
		if (n->gro_bitmask)
			napi_gro_flush(n, false);
		eekbp_gro_normal_list(n);
		now = ktime_get_ns();
		eekbp_rx_seen(pc, t, work);
		if (pc->napped)
			eekbp_nap_hit(pc);
		else
			eekbp_gap_sample(pc, t - (pc->gap_from ?: pc->idle_since));
		pc->idle_since = now;
		/* dry again: the next gap starts now */
		pc->gap_from = now;
		pc->spin_end = now + eekbp_spin_window(pc);
		/* a full budget: back to the poll list, still ours */
		if (work >= weight) {
			pc->gap_from = 0;
			list_move_tail(&n->poll_list, &more);
		}
	}
	now = ktime_get_ns();
	list_for_each_entry_safe(n, tmp, &pc->spin_list, poll_list) {
		if (!stop && !napi_disable_pending(n) && now < pc->spin_end)
			continue;
		if (!stop && now >= pc->spin_end)
			WRITE_ONCE(st->spin_expired, st->spin_expired + 1);
		list_del_init(&n->poll_list);
		eekbp_spin_stop(pc, n, eekbp_weight(n, quota), &more);
	}
	eekbp_spin_requeue(pc, &more);
	pc->in_poll = false;
	eekbp_rps_send_ipis();
	eekbp_defer_flush(this_cpu_ptr(&softnet_data));
#if EEKBP_NAPI_612
	bpf_net_ctx_clear(bpf_net_ctx);
#endif
	local_bh_enable();
}

/*
 * Out of spin budget with napis kept: the time to nap until (IRQs stay
 * masked), just before the k-th packet expected after the last one, k the
 * fewest that make the wait reach half of spin_max_us; 0 to spin instead.
 * At most one nap per wait; the spin after it lasts a quarter period.
 */
u64 eekbp_spin_nap_until(struct eekbp_pcpu *pc)
{
	u64 max = eekbp_spin_max_ns();
	u64 p = pc->rx_period_ns;
	u64 now = ktime_get_ns();
	u64 k, at, margin;

	if (!max || pc->napped || !p || p > max ||
	    list_empty(&pc->spin_list))
		return 0;
	eekbp_spin_charge(pc, now, true);
	if (pc->spin_tokens > 0)
		return 0;
	k = clamp_t(u64, DIV_ROUND_UP(max / 2, p), 1, max / p);
	margin = clamp_t(u64, p / 8, 5 * NSEC_PER_USEC, 50 * NSEC_PER_USEC);
	at = pc->last_rx + k * p - margin;
	if (at < now + EEKBP_NAP_MIN_NS)
		return 0;
	pc->napped = true;
	pc->spin_end = max(pc->spin_end, at + margin + p / 4);
	return at;
}

/* A nap ended (by its timer if @timer): its time refills the budget. */
void eekbp_spin_nap_end(struct eekbp_pcpu *pc, bool timer)
{
	eekbp_spin_charge(pc, ktime_get_ns(), false);
	pc->spin_next = 0;
	if (timer)
		WRITE_ONCE(pc->stats.nap_wakes, pc->stats.nap_wakes + 1);
}

/* Give every kept napi back, IRQs re-armed (disable, park, unload). */
void eekbp_spin_release(struct eekbp_pcpu *pc)
{
	unsigned int quota = READ_ONCE(eekbp_cfg.quota);
	struct napi_struct *n, *tmp;
	LIST_HEAD(more);

	if (list_empty(&pc->spin_list))
		return;
	local_bh_disable();
	list_for_each_entry_safe(n, tmp, &pc->spin_list, poll_list) {
		list_del_init(&n->poll_list);
		eekbp_spin_stop(pc, n, eekbp_weight(n, quota), &more);
	}
	eekbp_spin_requeue(pc, &more);
	local_bh_enable();
}

/*
 * Adaptive frequency hysteresis: stay at max across a sleep that is
 * likely short (most gaps within spin_max_us) or once freq_max_rate
 * changes happened this second; lowered anyway after 100 ms asleep.
 */
bool eekbp_spin_freq_hold(const struct eekbp_pcpu *pc)
{
	unsigned int rate = READ_ONCE(eekbp_cfg.freq_max_rate);

	if (!eekbp_spin_max_ns() || pc->freq_level != 1)
		return false;
	if (ktime_get_ns() - pc->idle_since >= EEKBP_HOLD_MAX_NS)
		return false;
	if (pc->hit_ewma >= EEKBP_HIT_SPIN)
		return true;
	return rate && time_before(jiffies, pc->rate_start + HZ) &&
	       pc->rate_changes >= rate;
}

/* A frequency change happened: count it against freq_max_rate. */
void eekbp_spin_freq_changed(struct eekbp_pcpu *pc)
{
	if (!time_before(jiffies, pc->rate_start + HZ)) {
		pc->rate_start = jiffies;
		pc->rate_changes = 0;
	}
	pc->rate_changes++;
}

/* A sleeping CPU held at max whose hold has run out (frequency monitor). */
bool eekbp_spin_hold_expired(const struct eekbp_pcpu *pc)
{
	return eekbp_spin_max_ns() && READ_ONCE(pc->freq_level) == 1 &&
	       ktime_get_ns() - READ_ONCE(pc->idle_since) >= EEKBP_HOLD_MAX_NS;
}
