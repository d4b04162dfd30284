/* monitor_cli.h: helpers shared by `eic indicators`, `eic benchmark` and `eic rate`: loading a
 * cluster with its measurement records, and computing its indicators. Private to the CLI. */
#ifndef EIC_MONITOR_CLI_H
#define EIC_MONITOR_CLI_H

#include "cli/cli.h"

/* A cluster with its current measurements and indicators. */
typedef struct {
	eic_cluster *cluster;
	eic_measure_set *set; /* empty when the cluster came from a package */
	eic_indicators *ind;
} cli_monitor;

/* Load the cluster named by `arg` (a stored id or a package), its measurement records from the
 * store (stored clusters only) and compute its indicators for `actor` / `period` (may be NULL).
 * Reports problems itself. Returns an exit status; on success free with cli_monitor_free. */
int cli_monitor_load(cli_monitor *out, const cli_ctx *ctx, const char *arg, const char *actor,
                     const char *period);
void cli_monitor_free(cli_monitor *m);

/* Name of an actor (its id when it has none). */
const char *cli_monitor_actor_name(const eic_cluster *c, const char *id);

#endif
