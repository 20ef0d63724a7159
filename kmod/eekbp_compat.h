/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version switches. Kbuild passes EEKBP_KV = VERSION * 1000 +
 * PATCHLEVEL of the kernel being built for.
 */
#ifndef EEKBP_COMPAT_H
#define EEKBP_COMPAT_H

/*
 * 6.12 napi internals: list_owner, in_net_rx_action, backlog threads,
 * bpf_net_ctx, atomic sd->dropped, net_hotdata and net/rps.h.
 */
#define EEKBP_NAPI_612	(EEKBP_KV >= 6012)

#endif /* EEKBP_COMPAT_H */
