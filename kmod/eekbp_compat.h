/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version switches. Kbuild passes EEKBP_KV = VERSION * 1000 +
 * PATCHLEVEL and EEKBP_SUBLEVEL of the kernel being built for.
 */
#ifndef EEKBP_COMPAT_H
#define EEKBP_COMPAT_H

/*
 * The kernel series whose stock receive-scheduling code eekbp copies
 * (kmod/upstream-copies.txt). Another series may differ in ways no copy
 * knows about: refuse to build rather than guess.
 */
#if EEKBP_KV != 6001 && EEKBP_KV != 6012
#error "eekbp supports the 6.1 and 6.12 kernel series only (checked: 6.1.170-6.1.192, 6.12.117)"
#endif

/* Built for a release whose sources the copies were checked against. */
#if EEKBP_KV == 6012
#define EEKBP_CHECKED	(EEKBP_SUBLEVEL == 117)
#else
#define EEKBP_CHECKED	(EEKBP_SUBLEVEL >= 170 && EEKBP_SUBLEVEL <= 192)
#endif

/*
 * 6.12 napi internals: list_owner, in_net_rx_action, backlog threads,
 * bpf_net_ctx, atomic sd->dropped, net_hotdata and net/rps.h.
 */
#define EEKBP_NAPI_612	(EEKBP_KV >= 6012)

#endif /* EEKBP_COMPAT_H */
