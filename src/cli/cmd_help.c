/* cmd_help.c: `eic help [CMD]` (the command list, or a reference page embedded at build time
 * from docs/cli/<cmd>.md) and `eic version`. */
#include "cli/cli.h"

#include <string.h>

const cli_option cli_help_options[] = {
    {NULL, 0, NULL, NULL},
};

const cli_option cli_version_options[] = {
    {NULL, 0, NULL, NULL},
};

const cli_doc *cli_find_doc(const char *name)
{
	for (const cli_doc *d = cli_docs; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

void cli_print_page(const cli_command *cmd)
{
	const cli_doc *doc = cli_find_doc(cmd->name);
	if (doc) {
		fwrite(doc->text, 1, doc->size, stdout);
		if (doc->size > 0 && doc->text[doc->size - 1] != '\n')
			fputc('\n', stdout);
		return;
	}
	/* No page embedded: fall back to what the option table says. */
	printf("# eic %s\n\n## NAME\n\neic %s - %s\n\n## SYNOPSIS\n\n", cmd->name, cmd->name,
	       cmd->summary);
	cli_print_usage(stdout, cmd);
}

/* Print the command list. */
static void print_commands(FILE *fp)
{
	fputs("usage: eic [--db PATH] [--json] [--quiet] COMMAND [ARGS]\n\ncommands:\n", fp);
	for (const cli_command *c = cli_commands; c->name; c++)
		fprintf(fp, "    %-10s %s\n", c->name, c->summary);
	fputs("\nglobal options (before or after the command):\n"
	      "    --db PATH  database file (default " CLI_DEFAULT_DB ")\n"
	      "    --json     machine-readable output on stdout\n"
	      "    --quiet    no progress or information on stderr\n"
	      "    --help     print the reference page of the command\n"
	      "\nexit status: 0 ok, 1 problems found (validate), 2 bad usage or input,\n"
	      "3 internal or system error.\n"
	      "See 'eic help COMMAND' for the reference page of a command.\n",
	      fp);
}

int cli_cmd_help(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	int status;
	const cli_command *cmd;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if (args.arg_count == 0) {
		print_commands(stdout);
		return CLI_EXIT_OK;
	}
	cmd = cli_find_command(args.args[0]);
	if (!cmd) {
		cli_error(ctx, "no command '%s'; the commands are:", args.args[0]);
		print_commands(stderr);
		return CLI_EXIT_USAGE;
	}
	cli_print_page(cmd);
	return CLI_EXIT_OK;
}

int cli_cmd_version(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	int status;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if (ctx->json) {
		json_t *root = json_object();
		int fail = 0;
		if (!root)
			return CLI_EXIT_INTERNAL;
		fail |= cli_jset(root, "version", json_string(EIC_VERSION_STRING));
		fail |= cli_jset(root, "format", json_integer(EIC_FORMAT_VERSION));
		fail |= cli_jset(root, "schema", json_integer(EIC_STORE_SCHEMA_VERSION));
		if (fail) {
			json_decref(root);
			return CLI_EXIT_INTERNAL;
		}
		return cli_print_json(root);
	}
	printf("eic %s (package format %d, database schema %d)\n", EIC_VERSION_STRING,
	       EIC_FORMAT_VERSION, EIC_STORE_SCHEMA_VERSION);
	return CLI_EXIT_OK;
}
