/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EEKBP_SYSFS_H
#define EEKBP_SYSFS_H

int eekbp_sysfs_init(void);
void eekbp_sysfs_exit(void);

#endif /* EEKBP_SYSFS_H */
