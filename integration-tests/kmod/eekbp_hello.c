// SPDX-License-Identifier: GPL-2.0
/*
 * eekbp_hello: the smallest module the integration-test harness loads to
 * prove that a guest can load modules built by `make modules`.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>

static char *greeting = "hello";
module_param(greeting, charp, 0444);
MODULE_PARM_DESC(greeting, "word logged at load and unload");

static int __init eekbp_hello_init(void)
{
	pr_info("%s from the eekbp test module\n", greeting);
	return 0;
}

static void __exit eekbp_hello_exit(void)
{
	pr_info("goodbye (%s)\n", greeting);
}

module_init(eekbp_hello_init);
module_exit(eekbp_hello_exit);

MODULE_DESCRIPTION("eekbp integration-test module");
MODULE_LICENSE("GPL");
