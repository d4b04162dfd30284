/* cli.h: shared declarations of the `eic` command-line tool: the command table, option
 * parsing, messages, exit statuses and output helpers. The CLI is a thin client of eic/eic.h. */
#ifndef EIC_CLI_H
#define EIC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "eic/eic.h"

/* Exit statuses (house style): 0 ok, 1 the command found a problem the user asked about,
 * 2 bad usage or bad input, 3 internal or system error. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FOUND = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_INTERNAL = 3 };

#define CLI_DEFAULT_DB "./eic.db"
#define CLI_MAX_OPTIONS 24

/* One option of a command. A flag has arg == NULL; an option with an argument names it
 * ("DIR"). The same table drives parsing and the short usage printed on errors and -h. */
typedef struct {
	const char *name; /* long name without the dashes; NULL ends a table */
	char short_name;  /* single-letter form, 0 for none */
	const char *arg;  /* placeholder of the argument, NULL for a flag */
	const char *help; /* one line */
} cli_option;

/* Command flags. */
enum {
	CLI_CMD_DB = 1u << 0,   /* uses the database (--db) */
	CLI_CMD_JSON = 1u << 1, /* has machine output (--json) */
};

struct cli_ctx;

/* A subcommand: {name, function, flags, one-line summary} plus its option table. */
typedef struct cli_command {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	unsigned flags;
	const char *summary;
	const char *synopsis;      /* arguments after the name, e.g. "PKG... [--replace]" */
	const cli_option *options; /* NULL-terminated table, or NULL */
	int min_args, max_args;    /* positional arguments; max -1 for no limit */
} cli_command;

/* Global state of one run: the global options and the command being run. */
typedef struct cli_ctx {
	const char *db; /* database path (--db), CLI_DEFAULT_DB if not given */
	int db_given;   /* --db was given */
	int json;       /* --json */
	int quiet;      /* --quiet */
	int progress;   /* progress messages wanted: stderr is a terminal and not --quiet */
	const cli_command *cmd;
} cli_ctx;

/* Result of parsing a command line against a command's option table. value[i] belongs to
 * options[i]: the argument, "1" for a flag that was given, NULL when absent. */
typedef struct {
	const char *value[CLI_MAX_OPTIONS];
	char **args; /* positional arguments, pointers into argv */
	int arg_count;
} cli_args;

/* ---- command table (main.c) */
extern const cli_command cli_commands[];
const cli_command *cli_find_command(const char *name);

/* ---- commands (cmd_*.c) */
int cli_cmd_init(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_import(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_export(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_validate(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_show(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_balance(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_reconcile(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sankey(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_network(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_finance(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_impact(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_match(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_optimize(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_synergy(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_measure(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_report(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_demo(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_indicators(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_benchmark(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_rate(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_factors(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_help(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_version(cli_ctx *ctx, int argc, char **argv);

extern const cli_option cli_init_options[];
extern const cli_option cli_import_options[];
extern const cli_option cli_export_options[];
extern const cli_option cli_validate_options[];
extern const cli_option cli_list_options[];
extern const cli_option cli_show_options[];
extern const cli_option cli_balance_options[];
extern const cli_option cli_reconcile_options[];
extern const cli_option cli_sankey_options[];
extern const cli_option cli_network_options[];
extern const cli_option cli_finance_options[];
extern const cli_option cli_impact_options[];
extern const cli_option cli_match_options[];
extern const cli_option cli_optimize_options[];
extern const cli_option cli_synergy_options[];
extern const cli_option cli_measure_options[];
extern const cli_option cli_report_options[];
extern const cli_option cli_demo_options[];
extern const cli_option cli_indicators_options[];
extern const cli_option cli_benchmark_options[];
extern const cli_option cli_rate_options[];
extern const cli_option cli_factors_options[];
extern const cli_option cli_help_options[];
extern const cli_option cli_version_options[];

/* ---- parsing and messages (args.c) */

/* Parse argv (argv[0] is the command name) against ctx->cmd's option table and the global
 * options (--db, --json, --quiet, --help, -h), which may appear anywhere. A command option
 * with the same name as a global one wins. Returns 0 to go on, or 1 when the run is over
 * (help printed, or a usage error reported) with the exit status in *out_status. */
int cli_parse(cli_args *out, int *out_status, cli_ctx *ctx, int argc, char **argv);

/* Parse one global option at argv[*i] (used before the command name). Returns 1 if it was
 * one (and advances *i past its argument), 0 if not, -1 on a usage error (reported). */
int cli_parse_global(cli_ctx *ctx, int argc, char **argv, int *i);

/* Print "eic CMD: MESSAGE", the command's short usage, and return CLI_EXIT_USAGE. */
int cli_usage_error(const cli_ctx *ctx, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Parse a command with subcommands ("eic measure import ..."): argv[1] names one of the `n`
 * subcommands (`names[i]` is parsed with the table `subs[i]`, whose argument count includes
 * the subcommand itself); `--help` prints the command's page. On return ctx->cmd is the
 * subcommand's table: the caller sets it back to `*parent`. Returns 1 when the caller should
 * return *out_status at once (help, unknown subcommand, usage error), else 0 with *out_sub and
 * *out filled. */
int cli_parse_subcommand(cli_args *out, int *out_sub, int *out_status, const cli_command **parent,
                         cli_ctx *ctx, int argc, char **argv, const cli_command *subs,
                         const char *const *names, int n);

/* Parse option `name`'s text as a finite number into *out; otherwise report "--NAME expects a
 * number (found 'TEXT')" as a usage error and return -1. */
int cli_parse_number(double *out, const cli_ctx *ctx, const char *name, const char *text);
/* Print the short usage of a command (synopsis and options from its table). */
void cli_print_usage(FILE *fp, const cli_command *cmd);
/* Print "eic CMD: error: MESSAGE" on stderr (always, even with --quiet). */
void cli_error(const cli_ctx *ctx, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Print "eic CMD: warning: MESSAGE" on stderr (always). */
void cli_warn(const cli_ctx *ctx, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Informational line on stderr, silenced by --quiet. */
void cli_info(const cli_ctx *ctx, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Progress line on stderr, only when stderr is a terminal and not --quiet. */
void cli_progress(const cli_ctx *ctx, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Exit status for a library error code: bad input -> 2, system/internal -> 3. */
int cli_status_of(int error);
/* The more severe of two exit statuses (3 > 2 > 1 > 0). */
int cli_worse(int a, int b);

/* ---- reference pages (help.c and the generated cli_docs.c) */
typedef struct {
	const char *name; /* command name (file name of docs/cli/<name>.md) */
	const char *text; /* the page, NUL-terminated */
	size_t size;
} cli_doc;
/* Pages embedded at build time from docs/cli/CMD.md, terminated by a NULL name. */
extern const cli_doc cli_docs[];
/* The embedded page of a command, or NULL. */
const cli_doc *cli_find_doc(const char *name);
/* Print the reference page of a command to stdout (generated from the table if no page). */
void cli_print_page(const cli_command *cmd);

/* ---- store and cluster loading (cluster.c) */

/* Open the database at ctx->db. `create` creates/migrates it; otherwise a missing file is a
 * usage error. Reports problems itself. Returns an exit status (0 ok). */
int cli_open_store(eic_store **out, const cli_ctx *ctx, int create);
/* True when `arg` names a package (an existing directory, or a name ending in .json). */
int cli_is_package_path(const char *arg);
/* Read and validate a package, printing every diagnostic on stderr. `strict` makes warnings
 * block too. Counts are added to *errors and *warnings when not NULL. Returns an exit status:
 * 0 valid, 2 invalid or unreadable input, 3 internal error. out may be NULL. */
int cli_read_package(eic_cluster **out, const cli_ctx *ctx, const char *path, int strict,
                     size_t *errors, size_t *warnings);
/* Load a cluster named on the command line: a package path (see cli_is_package_path) is read
 * directly; anything else is a cluster id looked up in the database. Returns an exit status. */
int cli_load_cluster(eic_cluster **out, const cli_ctx *ctx, const char *arg);
/* Create a directory and its parents (like mkdir -p). 0 or -1 with errno set. */
int cli_mkdirs(const char *path);
/* Create the parent directories of a file path. 0 or -1 with errno set. */
int cli_mkdirs_for_file(const char *path);

/* ---- output (output.c) */

/* Print diagnostics `file:line:column: severity: message` to fp, in the order produced. */
void cli_print_diags(FILE *fp, const eic_diags *diags);
/* Append diagnostics to a JSON array. 0 or -1 on ENOMEM. */
int cli_diags_to_json(json_t *array, const eic_diags *diags);
/* Name of a severity: "error", "warning", "note". */
const char *cli_severity_name(eic_severity sev);
/* Set obj[key] = value, taking the reference. Returns -1 if value is NULL or on ENOMEM. */
int cli_jset(json_t *obj, const char *key, json_t *value);
/* A JSON string, or null for a NULL string. */
json_t *cli_jstr(const char *s);
/* A JSON number, or null for NaN or infinity. */
json_t *cli_jnum(double v);
/* Print a JSON document on stdout with a final newline; frees it. Returns an exit status. */
int cli_print_json(json_t *root);
/* Format a quantity for a table: a few significant digits, "-" for NaN. */
void cli_fmt_num(char *buf, size_t size, double v);
/* Format a relative value as a percentage with sign ("+3.2%"), "-" for NaN. */
void cli_fmt_pct(char *buf, size_t size, double rel);
/* "1 error" / "2 errors". Returns buf. */
const char *cli_plural(char *buf, size_t size, size_t n, const char *word);

/* A text table printed with aligned columns. Cells are copied. */
typedef struct {
	size_t col_count;
	const char **headers;
	const int *right; /* per column: 1 right-aligned (numbers), 0 left */
	size_t max_width; /* cells wider than this are cut with "..." (0: no limit) */
	char **cells;     /* row-major, col_count per row */
	size_t row_count, row_cap;
	int failed; /* ENOMEM seen */
} cli_table;

void cli_table_init(cli_table *t, size_t col_count, const char **headers, const int *right);
/* Add a row of col_count strings (NULL prints as ""). 0 or -1 on ENOMEM. */
int cli_table_add(cli_table *t, const char **row);
/* Print with a header row, columns separated by two spaces; `indent` spaces before each line. */
void cli_table_print(FILE *fp, const cli_table *t, int indent);
void cli_table_free(cli_table *t);

#endif
