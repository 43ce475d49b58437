// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The uprobectl authors. */
/* uprobectl: command dispatch. */
#include <stdio.h>
#include <string.h>

#include "uprobectl.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "add", cmd_add, "add a persistent probe: PATH:SYMBOL[+OFF] or usdt:PATH:PROVIDER:NAME [FETCHARG...]" },
	{ "del", cmd_del, "delete probes by id, or --all" },
	{ "list", cmd_list, "list probes and their hits (--json)" },
	{ "trace", cmd_trace, "print hits of persistent probes as they happen" },
	{ "run", cmd_run, "run a command with probes in it, then print the hits" },
	{ "symbols", cmd_symbols, "list the functions of a file that can be probed" },
	{ "sdt", cmd_sdt, "list the SDT (USDT) probe points of a file" },
	{ "stats", cmd_stats, "what the module holds right now (--json)" },
	{ "version", cmd_version, "print the CLI's and the loaded module's versions" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: uprobectl COMMAND [ARGS]\n\n"
		   "User-space probes through the uprobectl kernel module.\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'uprobectl COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	err_msg("unknown command '%s'; 'uprobectl --help' lists the commands", argv[1]);
	return EXIT_USAGE;
}
