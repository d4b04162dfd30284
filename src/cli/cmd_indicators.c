/* cmd_indicators.c: `eic indicators`: performance indicators of each actor and of the cluster
 * per period from the stored measurement records, with trends; or the same as JSON. */
#include "cli/monitor_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_ACTOR, OPT_PERIOD, OPT_ALL };

const cli_option cli_indicators_options[] = {
    {"actor", 'a', "A", "only this actor (and no cluster totals)"},
    {"period", 0, "P", "only this period (2021, 2021-03 or START/END)"},
    {"all", 0, NULL, "also list the indicators that are not computable in any period"},
    {NULL, 0, NULL, NULL},
};

static json_t *trend_json(const eic_indicator_trend *t)
{
	json_t *o = json_object();
	int fail = !o;
	if (!o)
		return NULL;
	fail |= cli_jset(o, "periods", json_integer((json_int_t)t->stats.n));
	fail |= cli_jset(o, "first_period", cli_jstr(t->first_period));
	fail |= cli_jset(o, "last_period", cli_jstr(t->last_period));
	fail |= cli_jset(o, "change", cli_jnum(t->stats.change));
	fail |= cli_jset(o, "change_rel", cli_jnum(t->stats.change_rel));
	fail |= cli_jset(o, "cagr", cli_jnum(t->stats.cagr));
	fail |= cli_jset(o, "slope_per_year", cli_jnum(t->stats.slope_per_year));
	fail |= cli_jset(o, "change_from_previous_rel", cli_jnum(t->stats.change_prev_rel));
	fail |= cli_jset(o, "note", cli_jstr(t->note));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *indicators_json(const cli_monitor *m)
{
	const eic_indicators *ind = m->ind;
	size_t np = eic_indicators_period_count(ind);
	json_t *root = json_object(), *periods = json_array(), *scopes = json_array();
	int fail = !root || !periods || !scopes;
	if (fail)
		goto done;
	fail |= cli_jset(root, "cluster", cli_jstr(eic_cluster_info_get(m->cluster)->id));
	for (size_t p = 0; p < np; p++)
		fail |= json_array_append_new(periods, cli_jstr(eic_indicators_period(ind, p)));
	json_t *scope = NULL, *list = NULL;
	for (size_t i = 0; !fail && i < eic_indicators_trend_count(ind); i++) {
		const eic_indicator_trend *t = eic_indicators_trend_at(ind, i);
		if (!scope ||
		    strcmp(json_string_value(json_object_get(scope, "scope")), t->scope) ||
		    json_is_true(json_object_get(scope, "cluster_scope")) != t->cluster_scope) {
			scope = json_object();
			list = json_array();
			if (!scope || !list || json_array_append_new(scopes, scope) != 0) {
				json_decref(list);
				fail = 1;
				break;
			}
			fail |= cli_jset(scope, "scope", cli_jstr(t->scope));
			fail |= cli_jset(scope, "cluster_scope", json_boolean(t->cluster_scope));
			fail |=
			    cli_jset(scope, "name",
			             cli_jstr(t->cluster_scope
			                          ? eic_cluster_info_get(m->cluster)->name
			                          : cli_monitor_actor_name(m->cluster, t->scope)));
			fail |= cli_jset(scope, "indicators", list);
		}
		json_t *o = json_object(), *vals = json_array();
		if (!o || !vals || json_array_append_new(list, o) != 0) {
			json_decref(vals);
			fail = 1;
			break;
		}
		fail |= cli_jset(o, "id", cli_jstr(t->indicator));
		fail |= cli_jset(o, "unit", cli_jstr(t->unit));
		for (size_t p = 0; p < np; p++) {
			const eic_indicator_value *v =
			    eic_indicators_get(ind, t->cluster_scope ? NULL : t->scope,
			                       t->indicator, eic_indicators_period(ind, p));
			json_t *e = json_object();
			if (!v || !e || json_array_append_new(vals, e) != 0) {
				fail = 1;
				break;
			}
			fail |= cli_jset(e, "period", cli_jstr(v->period));
			fail |= cli_jset(e, "value", cli_jnum(v->value));
			fail |= cli_jset(e, "unit", cli_jstr(v->unit));
			if (isnan(v->value))
				fail |= cli_jset(e, "not_computable", cli_jstr(v->missing));
			if (t->cluster_scope)
				fail |=
				    cli_jset(e, "coverage", json_integer((json_int_t)v->coverage));
		}
		fail |= cli_jset(o, "values", vals);
		fail |= cli_jset(o, "trend", trend_json(t));
	}
	if (!fail) {
		fail |= cli_jset(root, "periods", periods);
		fail |= cli_jset(root, "scopes", scopes);
		periods = scopes = NULL;
	}
done:
	json_decref(periods);
	json_decref(scopes);
	if (fail) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* One table per scope: indicator, one column per period, unit, compound rate and slope. The
 * indicators with no value in any period are listed under the table with what they miss. */
static int print_scope(const cli_monitor *m, size_t first, size_t end, int all)
{
	const eic_indicators *ind = m->ind;
	size_t np = eic_indicators_period_count(ind);
	size_t cols = np + 4;
	const char **headers = calloc(cols, sizeof(*headers));
	int *right = calloc(cols, sizeof(*right));
	char **cells = calloc(cols, sizeof(*cells));
	char(*buf)[48] = calloc(cols, sizeof(*buf));
	cli_table t;
	int rc = 0;
	if (!headers || !right || !cells || !buf) {
		rc = -1;
		goto out;
	}
	headers[0] = "INDICATOR";
	for (size_t p = 0; p < np; p++) {
		headers[p + 1] = eic_indicators_period(ind, p);
		right[p + 1] = 1;
	}
	headers[np + 1] = "UNIT";
	headers[np + 2] = "RATE/YR";
	headers[np + 3] = "SLOPE/YR";
	right[np + 2] = right[np + 3] = 1;
	cli_table_init(&t, cols, headers, right);
	const eic_indicator_trend *t0 = eic_indicators_trend_at(ind, first);
	printf("%s %s (%s)\n", t0->cluster_scope ? "Cluster" : "Actor",
	       t0->cluster_scope ? eic_cluster_info_get(m->cluster)->name
	                         : cli_monitor_actor_name(m->cluster, t0->scope),
	       t0->scope);
	size_t skipped = 0;
	for (size_t i = first; i < end; i++) {
		const eic_indicator_trend *tr = eic_indicators_trend_at(ind, i);
		if (tr->stats.n == 0 && !all) {
			/* a release the actor never reported is not "missing" */
			skipped += strncmp(tr->indicator, "release.", 8) != 0;
			continue;
		}
		cells[0] = (char *)tr->indicator;
		for (size_t p = 0; p < np; p++) {
			const eic_indicator_value *v =
			    eic_indicators_get(ind, tr->cluster_scope ? NULL : tr->scope,
			                       tr->indicator, eic_indicators_period(ind, p));
			cli_fmt_num(buf[p + 1], sizeof(buf[0]), v ? v->value : NAN);
			cells[p + 1] = buf[p + 1];
		}
		cells[np + 1] = (char *)tr->unit;
		cli_fmt_pct(buf[np + 2], sizeof(buf[0]), tr->stats.cagr);
		cli_fmt_num(buf[np + 3], sizeof(buf[0]), tr->stats.slope_per_year);
		cells[np + 2] = buf[np + 2];
		cells[np + 3] = buf[np + 3];
		if (cli_table_add(&t, (const char **)cells) < 0)
			rc = -1;
	}
	cli_table_print(stdout, &t, 2);
	cli_table_free(&t);
	if (skipped) {
		printf("  not computable in any period:");
		int k = 0;
		for (size_t i = first; i < end; i++) {
			const eic_indicator_trend *tr = eic_indicators_trend_at(ind, i);
			if (tr->stats.n || !strncmp(tr->indicator, "release.", 8))
				continue;
			const eic_indicator_value *v =
			    eic_indicators_get(ind, tr->cluster_scope ? NULL : tr->scope,
			                       tr->indicator, eic_indicators_period(ind, 0));
			printf("%s %s (missing %s)", k++ ? ";" : "", tr->indicator,
			       v ? v->missing : "?");
		}
		printf("\n");
	}
	printf("\n");
out:
	free(headers);
	free(right);
	free(cells);
	free(buf);
	return rc;
}

int cli_cmd_indicators(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	cli_monitor m;
	int status;
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	status =
	    cli_monitor_load(&m, ctx, args.args[0], args.value[OPT_ACTOR], args.value[OPT_PERIOD]);
	if (status != 0)
		return status;
	const eic_indicators *ind = m.ind;
	if (eic_indicators_period_count(ind) == 0 || eic_indicators_actor_count(ind) == 0)
		cli_warn(ctx,
		         "no measurement records for '%s': load them with 'eic measure import'",
		         args.args[0]);
	if (ctx->json) {
		json_t *root = indicators_json(&m);
		status = root ? cli_print_json(root) : CLI_EXIT_INTERNAL;
	} else {
		size_t n = eic_indicators_trend_count(ind), first = 0;
		for (size_t i = 1; i <= n; i++) {
			const eic_indicator_trend *a =
			    i < n ? eic_indicators_trend_at(ind, i) : NULL;
			const eic_indicator_trend *b = eic_indicators_trend_at(ind, first);
			if (a && a->cluster_scope == b->cluster_scope &&
			    !strcmp(a->scope, b->scope))
				continue;
			if (print_scope(&m, first, i, args.value[OPT_ALL] != NULL) < 0)
				status = CLI_EXIT_INTERNAL;
			first = i;
		}
		if (n)
			printf("RATE/YR: compound annual rate between the first and last period "
			       "with a "
			       "value; SLOPE/YR: least-squares slope over 3 or more periods "
			       "(docs/methods/indicators.md).\n");
	}
	if (status == CLI_EXIT_INTERNAL)
		cli_error(ctx, "out of memory");
	cli_monitor_free(&m);
	return status;
}
