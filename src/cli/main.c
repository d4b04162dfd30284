/* main.c: entry point of the `eic` command-line tool: the command table, global options
 * before the command, dispatch, and the final check that stdout was written. */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* The command table: {name, function, flags, summary, synopsis, options, min/max args}. */
const cli_command cli_commands[] = {
    {"init", cli_cmd_init, CLI_CMD_DB | CLI_CMD_JSON, "create or migrate the database", "",
     cli_init_options, 0, 0},
    {"import", cli_cmd_import, CLI_CMD_DB | CLI_CMD_JSON,
     "validate packages and store them in the database", "[--replace] [--strict] PKG...",
     cli_import_options, 1, -1},
    {"export", cli_cmd_export, CLI_CMD_DB, "write a stored cluster as a package",
     "CLUSTER (--out DIR | --json FILE|-)", cli_export_options, 1, 1},
    {"validate", cli_cmd_validate, CLI_CMD_JSON, "check packages and print every problem found",
     "[--strict] PKG...", cli_validate_options, 1, -1},
    {"list", cli_cmd_list, CLI_CMD_DB | CLI_CMD_JSON, "list the clusters in the database", "",
     cli_list_options, 0, 0},
    {"show", cli_cmd_show, CLI_CMD_DB | CLI_CMD_JSON,
     "summarise a cluster: metadata, periods, counts, actors", "[--all] (CLUSTER | PKG)",
     cli_show_options, 1, 1},
    {"balance", cli_cmd_balance, CLI_CMD_DB | CLI_CMD_JSON,
     "mass and energy balances per process, actor and cluster",
     "(CLUSTER | PKG | --package PKG) [--period P]", cli_balance_options, 0, 1},
    {"reconcile", cli_cmd_reconcile, CLI_CMD_DB | CLI_CMD_JSON,
     "data reconciliation: measured flows adjusted to the balances, with a chi-square test",
     "(CLUSTER | PKG | --problem FILE) [--period P] [--layer L]", cli_reconcile_options, 0, 1},
    {"sankey", cli_cmd_sankey, CLI_CMD_DB | CLI_CMD_JSON,
     "draw the Sankey diagram of a cluster's flows",
     "(CLUSTER | PKG) [--period P] [--energy] [--out FILE.svg|.png|.pdf]", cli_sankey_options, 1,
     1},
    {"network", cli_cmd_network, CLI_CMD_DB | CLI_CMD_JSON,
     "ecological network analysis (enaR's indices) of a cluster or a SCOR file",
     "(CLUSTER | PKG | --scor FILE) [--period P]", cli_network_options, 0, 1},
    {"finance", cli_cmd_finance, CLI_CMD_DB | CLI_CMD_JSON,
     "appraise a project or a shared facility and compare ways to finance it",
     "(--project FILE.json | (CLUSTER | PKG) --facility ID [--level L]) [--option SPEC]...",
     cli_finance_options, 0, 1},
    {"impact", cli_cmd_impact, CLI_CMD_DB | CLI_CMD_JSON,
     "impacts of a scenario against business as usual, with intervals",
     "(CLUSTER | PKG) [--scenario FILE] [--draws N] [--seed S] [--gwp SET] [--horizon Y]",
     cli_impact_options, 1, 1},
    {"match", cli_cmd_match, CLI_CMD_DB | CLI_CMD_JSON,
     "rank exchange candidates between the offers (haves and wants) of a cluster",
     "(CLUSTER | PKG) [--viewer ACTOR] [--format text|csv|json|geojson]", cli_match_options, 1, 1},
    {"optimize", cli_cmd_optimize, CLI_CMD_DB | CLI_CMD_JSON,
     "choose exchanges and shared facilities together (MILP, CBC), or the benefit-GHG frontier",
     "(CLUSTER | PKG) [--objective economic|ghg|weighted] [--weight W] [--pareto N] [--time-limit "
     "S] [--gap G] [--max-distance KM]",
     cli_optimize_options, 1, 1},
    {"synergy", cli_cmd_synergy, CLI_CMD_DB | CLI_CMD_JSON,
     "track synergies: save a candidate, follow its status and realised quantities",
     "(add|status|record|list|show|delete) CLUSTER ...", cli_synergy_options, 1, -1},
    {"measure", cli_cmd_measure, CLI_CMD_DB | CLI_CMD_JSON,
     "import, list and correct measurement records", "(import|list|correct) CLUSTER ...",
     cli_measure_options, 1, -1},
    {"report", cli_cmd_report, CLI_CMD_DB, "write the HTML report of a cluster",
     "(CLUSTER | PKG) [--out FILE]", cli_report_options, 1, 1},
    {"demo", cli_cmd_demo, CLI_CMD_DB,
     "import the example clusters into a fresh database and write their reports",
     "[--out DIR] [--db PATH]", cli_demo_options, 0, 0},
    {"factors", cli_cmd_factors, CLI_CMD_JSON,
     "list the impact factors with their sources and check status",
     "[--parameter TEXT] [--key TEXT] [--unchecked] [--package PKG]", cli_factors_options, 0, 0},
    {"indicators", cli_cmd_indicators, CLI_CMD_DB | CLI_CMD_JSON,
     "performance indicators per actor and period, with trends",
     "(CLUSTER | PKG) [--actor A] [--period P]", cli_indicators_options, 1, 1},
    {"benchmark", cli_cmd_benchmark, CLI_CMD_DB | CLI_CMD_JSON,
     "rank actors (or clusters) on an indicator; anonymised view with --as",
     "CLUSTER... --indicator X [--peer sector|size] [--as ACTOR]", cli_benchmark_options, 1, -1},
    {"rate", cli_cmd_rate, CLI_CMD_DB | CLI_CMD_JSON,
     "rate every actor with a rating scheme; credit terms with --credit-rules",
     "(CLUSTER | PKG) --scheme proper|cepi|eip|FILE [--period P] [--inputs FILE] [--credit-rules "
     "FILE]",
     cli_rate_options, 1, 1},
    {"help", cli_cmd_help, 0, "list the commands, or print the reference page of one", "[COMMAND]",
     cli_help_options, 0, 1},
    {"version", cli_cmd_version, CLI_CMD_JSON, "print the version of eic", "", cli_version_options,
     0, 0},
    {NULL, NULL, 0, NULL, NULL, NULL, 0, 0},
};

const cli_command *cli_find_command(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Flush stdout and report a failed write: the status becomes 3 when output was lost. */
static int finish(const cli_ctx *ctx, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int saved = errno;
		fprintf(stderr, "eic%s%s: error: cannot write to standard output: %s\n",
		        ctx->cmd ? " " : "", ctx->cmd ? ctx->cmd->name : "",
		        saved ? strerror(saved) : "write error");
		return CLI_EXIT_INTERNAL;
	}
	return status;
}

int main(int argc, char **argv)
{
	cli_ctx ctx;
	int i = 1;
	int status;

	memset(&ctx, 0, sizeof(ctx));
	ctx.db = CLI_DEFAULT_DB;
	ctx.progress = isatty(STDERR_FILENO);

	/* Global options before the command name. */
	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		int rc;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			const char *help_argv[] = {"help", NULL};
			ctx.cmd = cli_find_command("help");
			return finish(&ctx, cli_cmd_help(&ctx, 1, (char **)help_argv));
		}
		if (!strcmp(argv[i], "--version")) {
			const char *version_argv[] = {"version", NULL};
			ctx.cmd = cli_find_command("version");
			return finish(&ctx, cli_cmd_version(&ctx, 1, (char **)version_argv));
		}
		rc = cli_parse_global(&ctx, argc, argv, &i);
		if (rc < 0)
			return CLI_EXIT_USAGE;
		if (rc == 0)
			return cli_usage_error(&ctx, "unknown option '%s'", argv[i]);
		i++;
	}
	if (i >= argc)
		return cli_usage_error(&ctx, "no command given");
	ctx.cmd = cli_find_command(argv[i]);
	if (!ctx.cmd)
		return cli_usage_error(&ctx, "'%s' is not an eic command (see 'eic help')",
		                       argv[i]);
	status = ctx.cmd->run(&ctx, argc - i, argv + i);
	return finish(&ctx, status);
}
