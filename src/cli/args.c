/* args.c: option parsing from the commands' option tables, the short usage they produce,
 * messages on stderr and the mapping of library errors to exit statuses. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const cli_option global_options[] = {
    {"db", 0, "PATH", "database file (default " CLI_DEFAULT_DB ")"},
    {"json", 0, NULL, "machine-readable output on stdout"},
    {"quiet", 'q', NULL, "no progress or information on stderr"},
    {"help", 0, NULL, "print the reference page of the command"},
    {NULL, 0, NULL, NULL},
};

static const char *cmd_name(const cli_ctx *ctx)
{
	return ctx && ctx->cmd ? ctx->cmd->name : NULL;
}

static void vmessage(const cli_ctx *ctx, const char *kind, const char *fmt, va_list ap)
{
	const char *name = cmd_name(ctx);
	fflush(stdout);
	if (name)
		fprintf(stderr, "eic %s: ", name);
	else
		fputs("eic: ", stderr);
	if (kind)
		fprintf(stderr, "%s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(ctx, "error", fmt, ap);
	va_end(ap);
}

void cli_warn(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(ctx, "warning", fmt, ap);
	va_end(ap);
}

void cli_info(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	if (ctx && ctx->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_progress(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	if (!ctx || !ctx->progress)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_status_of(int error)
{
	switch (error) {
	case EIC_OK:
		return CLI_EXIT_OK;
	case EIC_EINVAL:
	case EIC_EPARSE:
	case EIC_EUNIT:
	case EIC_ENOTFOUND:
	case EIC_EEXISTS:
	case EIC_EINVALID:
		return CLI_EXIT_USAGE;
	default:
		return CLI_EXIT_INTERNAL;
	}
}

int cli_worse(int a, int b)
{
	return a > b ? a : b;
}

static void print_option_lines(FILE *fp, const cli_option *opts)
{
	for (size_t i = 0; opts && opts[i].name; i++) {
		char left[64];
		const cli_option *o = &opts[i];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		fprintf(fp, "    %-24s %s\n", left, o->help);
	}
}

void cli_print_usage(FILE *fp, const cli_command *cmd)
{
	fprintf(fp, "usage: eic %s%s%s\n", cmd->name, cmd->synopsis && *cmd->synopsis ? " " : "",
	        cmd->synopsis ? cmd->synopsis : "");
	if (cmd->options && cmd->options[0].name) {
		fputs("\noptions:\n", fp);
		print_option_lines(fp, cmd->options);
	}
	fputs("\nglobal options:\n", fp);
	for (size_t i = 0; global_options[i].name; i++) {
		const cli_option *g = &global_options[i];
		if (!strcmp(g->name, "db") && !(cmd->flags & CLI_CMD_DB))
			continue;
		if (!strcmp(g->name, "json") && !(cmd->flags & CLI_CMD_JSON))
			continue;
		print_option_lines(fp, (const cli_option[]){*g, {NULL, 0, NULL, NULL}});
	}
	fprintf(fp, "\nSee 'eic help %s' for the reference page.\n", cmd->name);
}

int cli_usage_error(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(ctx, NULL, fmt, ap);
	va_end(ap);
	if (ctx && ctx->cmd)
		cli_print_usage(stderr, ctx->cmd);
	else
		fputs("usage: eic [--db PATH] [--json] [--quiet] COMMAND [ARGS]\n"
		      "See 'eic help' for the list of commands.\n",
		      stderr);
	return CLI_EXIT_USAGE;
}

/* Match argv[*i] against one option table. `arg` is the text after the dashes; for a long
 * option it may carry "=value". Returns the index, -1 when not in the table, -2 on a usage
 * error (already reported). The value is stored in *out_value and *i is advanced past a
 * separate argument. */
static int match_option(const char **out_value, const cli_ctx *ctx, const cli_option *opts,
                        int argc, char **argv, int *i)
{
	const char *text = argv[*i];
	const char *eq = NULL;
	size_t name_len;
	int is_long = text[1] == '-';
	const char *name = text + (is_long ? 2 : 1);

	if (!opts)
		return -1;
	if (is_long) {
		eq = strchr(name, '=');
		name_len = eq ? (size_t)(eq - name) : strlen(name);
	} else {
		name_len = strlen(name);
		if (name_len != 1)
			return -1;
	}
	for (int k = 0; opts[k].name; k++) {
		const cli_option *o = &opts[k];
		if (is_long ? (strlen(o->name) != name_len || strncmp(o->name, name, name_len))
		            : (!o->short_name || o->short_name != name[0]))
			continue;
		if (!o->arg) {
			if (eq) {
				cli_usage_error(ctx, "option '--%s' takes no argument", o->name);
				return -2;
			}
			*out_value = "1";
		} else if (eq) {
			*out_value = eq + 1;
		} else if (*i + 1 < argc) {
			*out_value = argv[++*i];
		} else {
			cli_usage_error(ctx, "option '%s' needs an argument (%s)", text, o->arg);
			return -2;
		}
		return k;
	}
	return -1;
}

/* Apply a matched global option to the context. */
static void apply_global(cli_ctx *ctx, const char *name, const char *value)
{
	if (!strcmp(name, "db")) {
		ctx->db = value;
		ctx->db_given = 1;
	} else if (!strcmp(name, "json")) {
		ctx->json = 1;
	} else if (!strcmp(name, "quiet")) {
		ctx->quiet = 1;
		ctx->progress = 0;
	}
}

/* "a, b or c" (last = " or ") or "a, b, c" (last = ", ") into buf. */
static void join_names(char *buf, size_t size, const char *const *names, int n, const char *last)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s",
		                      i == 0 ? "" : (i == n - 1 ? last : ", "), names[i]);
}

int cli_parse_subcommand(cli_args *out, int *out_sub, int *out_status, const cli_command **parent,
                         cli_ctx *ctx, int argc, char **argv, const cli_command *subs,
                         const char *const *names, int n)
{
	char list[256];
	int sub;
	*parent = ctx->cmd;
	if (argc < 2) {
		join_names(list, sizeof(list), names, n, " or ");
		*out_status = cli_usage_error(ctx, "give a subcommand: %s", list);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_print_page(ctx->cmd);
		*out_status = CLI_EXIT_OK;
		return 1;
	}
	for (sub = 0; sub < n; sub++)
		if (!strcmp(argv[1], names[sub]))
			break;
	if (sub == n) {
		join_names(list, sizeof(list), names, n, ", ");
		*out_status = cli_usage_error(ctx, "'%s' is not a subcommand (%s)", argv[1], list);
		return 1;
	}
	ctx->cmd = &subs[sub];
	*out_sub = sub;
	/* argv[1] (the subcommand) plays the command name; it is also out->args[0] */
	if (cli_parse(out, out_status, ctx, argc, argv)) {
		ctx->cmd = *parent;
		return 1;
	}
	return 0;
}

int cli_parse_number(double *out, const cli_ctx *ctx, const char *name, const char *text)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v)) {
		cli_usage_error(ctx, "--%s expects a number (found '%s')", name, text);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_global(cli_ctx *ctx, int argc, char **argv, int *i)
{
	const char *value = NULL;
	int k = match_option(&value, ctx, global_options, argc, argv, i);
	if (k == -2)
		return -1;
	if (k < 0)
		return 0;
	if (!strcmp(global_options[k].name, "help"))
		return 0; /* handled by the caller */
	apply_global(ctx, global_options[k].name, value);
	return 1;
}

int cli_parse(cli_args *out, int *out_status, cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = ctx->cmd;
	int only_args = 0;
	size_t opt_count = 0;

	memset(out, 0, sizeof(*out));
	*out_status = CLI_EXIT_OK;
	while (cmd->options && cmd->options[opt_count].name)
		opt_count++;
	if (opt_count > CLI_MAX_OPTIONS) {
		cli_error(ctx, "too many options in the table of '%s'", cmd->name);
		*out_status = CLI_EXIT_INTERNAL;
		return 1;
	}
	/* Positional arguments are collected in place at the front of argv[1..]. */
	out->args = argv + 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *value = NULL;
		int k;

		if (only_args || a[0] != '-' || a[1] == '\0') {
			out->args[out->arg_count++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-h")) {
			cli_print_usage(stdout, cmd);
			return 1;
		}
		k = match_option(&value, ctx, cmd->options, argc, argv, &i);
		if (k == -2) {
			*out_status = CLI_EXIT_USAGE;
			return 1;
		}
		if (k >= 0) {
			out->value[k] = value;
			continue;
		}
		k = match_option(&value, ctx, global_options, argc, argv, &i);
		if (k == -2) {
			*out_status = CLI_EXIT_USAGE;
			return 1;
		}
		if (k < 0) {
			*out_status = cli_usage_error(ctx, "unknown option '%s'", a);
			return 1;
		}
		if (!strcmp(global_options[k].name, "help")) {
			cli_print_page(cmd);
			return 1;
		}
		apply_global(ctx, global_options[k].name, value);
	}
	if (ctx->json && !(cmd->flags & CLI_CMD_JSON)) {
		*out_status = cli_usage_error(ctx, "this command has no --json output");
		return 1;
	}
	if (ctx->db_given && !(cmd->flags & CLI_CMD_DB)) {
		*out_status = cli_usage_error(ctx, "this command does not use a database (--db)");
		return 1;
	}
	if (out->arg_count < cmd->min_args) {
		*out_status = cli_usage_error(ctx, "missing argument");
		return 1;
	}
	if (cmd->max_args >= 0 && out->arg_count > cmd->max_args) {
		*out_status =
		    cli_usage_error(ctx, "unexpected argument '%s'", out->args[cmd->max_args]);
		return 1;
	}
	return 0;
}
