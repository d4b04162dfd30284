/* monitor_cli.c: loading a cluster with its measurement records and computing its indicators,
 * shared by `eic indicators`, `eic benchmark` and `eic rate`. */
#include "cli/monitor_cli.h"

#include <string.h>

int cli_monitor_load(cli_monitor *out, const cli_ctx *ctx, const char *arg, const char *actor,
                     const char *period)
{
	eic_store *store = NULL;
	int status, error;
	memset(out, 0, sizeof(*out));
	if ((status = cli_load_cluster(&out->cluster, ctx, arg)) != 0)
		return status;
	if ((error = eic_measure_set_new(&out->set, NULL)) < 0) {
		cli_error(ctx, "cannot read the pollutant catalogue: %s", eic_strerror(error));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (!cli_is_package_path(arg)) {
		if ((status = cli_open_store(&store, ctx, 0)) != 0)
			goto done;
		error = eic_measure_load(out->set, store, eic_cluster_info_get(out->cluster)->id);
		if (error < 0 && error != EIC_ENOTFOUND) {
			cli_error(ctx, "cannot load the measurements of '%s': %s: %s", arg,
			          eic_strerror(error), eic_store_errmsg(store));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	eic_indicators_options o = EIC_INDICATORS_OPTIONS_INIT;
	o.actor = actor;
	o.period = period;
	error = eic_indicators_compute(&out->ind, out->cluster, out->set, &o);
	if (error == EIC_ENOTFOUND) {
		if (actor && !eic_cluster_find_actor(out->cluster, actor))
			cli_error(ctx, "no actor '%s' in cluster '%s'", actor,
			          eic_cluster_info_get(out->cluster)->id);
		else
			cli_error(ctx, "no measurement records for the period '%s'",
			          period ? period : "");
		status = CLI_EXIT_USAGE;
	} else if (error == EIC_EINVAL) {
		cli_error(ctx, "bad period '%s' (expected 2021, 2021-03, 2021-03-15 or START/END)",
		          period ? period : "");
		status = CLI_EXIT_USAGE;
	} else if (error < 0) {
		cli_error(ctx, "cannot compute the indicators: %s", eic_strerror(error));
		status = cli_status_of(error);
	}
done:
	eic_store_close(store);
	if (status != 0)
		cli_monitor_free(out);
	return status;
}

void cli_monitor_free(cli_monitor *m)
{
	eic_indicators_free(m->ind);
	eic_measure_set_free(m->set);
	eic_cluster_free(m->cluster);
	memset(m, 0, sizeof(*m));
}

const char *cli_monitor_actor_name(const eic_cluster *c, const char *id)
{
	const eic_actor *a = eic_cluster_find_actor(c, id);
	return a && a->name && *a->name ? a->name : id;
}
