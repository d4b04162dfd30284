/* match_options.h: the matcher options shared by `eic match` and `eic synergy add
 * --from-match` (defined in cmd_match.c), so a rank means the same in both commands. */
#ifndef EIC_CLI_MATCH_OPTIONS_H
#define EIC_CLI_MATCH_OPTIONS_H

#include "cli/cli.h"

#include <eic/match.h>

/* Option texts as given on the command line, NULL when absent. */
typedef struct {
	const char *viewer, *mode, *radius, *circuity, *distances, *kb;
	const char *cost_per_tkm, *currency, *co2_per_tkm, *min_score;
} cli_match_values;

/* Fill `opts` (already initialised with EIC_MATCH_OPTIONS_INIT) from the texts. Returns 0, or
 * CLI_EXIT_USAGE after reporting a malformed number or mode. The strings stay borrowed. */
int cli_match_options_from(eic_match_options *opts, const cli_ctx *ctx, const cli_match_values *v);

/* Report the refusal of eic_match_run (its error diagnostics, else the code) and return the
 * exit status. */
int cli_match_report_error(const cli_ctx *ctx, const eic_diags *diags, int error);

#endif
