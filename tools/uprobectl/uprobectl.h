/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The uprobectl authors. */
#ifndef UPROBECTL_CLI_H
#define UPROBECTL_CLI_H

#include <linux/uprobectl.h>

#ifndef UPROBECTL_VERSION
#define UPROBECTL_VERSION "unknown"
#endif

/* Exit statuses: 0 success, 1 an error, 2 a usage error. */
enum { EXIT_ERR = 1, EXIT_USAGE = 2 };

/* Print "uprobectl: MESSAGE" to stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Open /dev/uprobectl. On failure, print what is wrong and how to fix it
 * and return -1 (quiet: return -1 with errno set, print nothing).
 */
int dev_open(int quiet);

/* UPROBECTL_IOC_VERSION on an open device; -1 with errno set on failure. */
int dev_version(int fd, struct uprobectl_version *v);

int cmd_version(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_del(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_symbols(int argc, char **argv);
int cmd_sdt(int argc, char **argv);

#endif
