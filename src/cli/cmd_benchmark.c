/* cmd_benchmark.c: `eic benchmark`: rank the actors of a cluster (or several clusters) on one
 * indicator within peer groups, or show one firm its own position without its peers' names. */
#include "cli/monitor_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_INDICATOR, OPT_PERIOD, OPT_PEER, OPT_AS, OPT_MIN_GROUP };

const cli_option cli_benchmark_options[] = {
    {"indicator", 'i', "X", "indicator id, e.g. energy_intensity_va or release.CO2.air.cagr"},
    {"period", 0, "P", "period of the value (default: the last one)"},
    {"peer", 0, "sector|size", "peer groups: ISIC division or EU SME size class"},
    {"as", 0, "ACTOR", "anonymised view of one actor (or cluster): no peer names"},
    {"min-group", 0, "N", "smallest group shown (default 3)"},
    {NULL, 0, NULL, NULL},
};

typedef struct {
	eic_bench_entry *entries;
	size_t count;
	char (*groups)[16];
	const char **why; /* reason of a missing value */
} entry_list;

static const char *peer_group(const cli_monitor *m, const char *actor, const char *peer,
                              char out[16])
{
	const eic_actor *a = eic_cluster_find_actor(m->cluster, actor);
	if (!peer || !a)
		return NULL;
	if (!strcmp(peer, "sector")) {
		char div[3];
		if (eic_bench_sector_division(div, a->sector_scheme, a->sector) < 0)
			snprintf(out, 16, "unknown");
		else
			snprintf(out, 16, "ISIC %s", div);
		return out;
	}
	long employees = a->employees;
	if (employees < 0) {
		double e = eic_indicators_lookup(m->ind, actor, "employees", NULL, NULL);
		employees = isfinite(e) ? (long)llround(e) : -1;
	}
	snprintf(out, 16, "%s", eic_bench_size_class(employees));
	return out;
}

static void print_view(const eic_bench_view *v, const char *as, const char *indicator,
                       const char *unit, const char *why, const eic_bench_options *o)
{
	char a[32], b[32], c[32], d[32], e[32];
	cli_fmt_num(a, sizeof(a), v->value);
	if (isnan(v->value))
		printf("%s: %s not computable (missing %s)", as, indicator, why ? why : "?");
	else
		printf("%s: %s = %s %s", as, indicator, a, unit ? unit : "");
	printf("\npeer group: %s\n", v->group);
	if (!v->shown) {
		printf(
		    "the peer group has fewer than %zu members with a value: its distribution is "
		    "not shown, to protect confidentiality\n",
		    o->min_group_size);
		return;
	}
	if (v->rank) {
		cli_fmt_num(a, sizeof(a), v->percentile);
		printf("rank %zu of %zu (1 = best, %s is better); percentile %s (Hazen)\n", v->rank,
		       v->n, o->higher_is_better ? "higher" : "lower", a);
	}
	cli_fmt_num(a, sizeof(a), v->dist.min);
	cli_fmt_num(b, sizeof(b), v->dist.q1);
	cli_fmt_num(c, sizeof(c), v->dist.median);
	cli_fmt_num(d, sizeof(d), v->dist.q3);
	cli_fmt_num(e, sizeof(e), v->dist.max);
	printf("group distribution (n = %zu): min %s, q1 %s, median %s, q3 %s, max %s\n", v->n, a,
	       b, c, d, e);
}

static json_t *view_json(const eic_bench_view *v, const char *as, const char *indicator,
                         const char *unit, const eic_bench_options *o)
{
	json_t *r = json_object(), *d = json_object();
	int fail = !r || !d;
	if (fail) {
		json_decref(r);
		json_decref(d);
		return NULL;
	}
	fail |= cli_jset(r, "as", cli_jstr(as));
	fail |= cli_jset(r, "indicator", cli_jstr(indicator));
	fail |= cli_jset(r, "unit", cli_jstr(unit));
	fail |= cli_jset(r, "value", cli_jnum(v->value));
	fail |= cli_jset(r, "group", cli_jstr(v->group));
	fail |= cli_jset(r, "shown", json_boolean(v->shown));
	fail |= cli_jset(r, "min_group_size", json_integer((json_int_t)o->min_group_size));
	fail |= cli_jset(r, "higher_is_better", json_boolean(o->higher_is_better));
	if (v->shown) {
		fail |=
		    cli_jset(r, "rank", v->rank ? json_integer((json_int_t)v->rank) : json_null());
		fail |= cli_jset(r, "percentile", cli_jnum(v->percentile));
		fail |= cli_jset(d, "n", json_integer((json_int_t)v->n));
		fail |= cli_jset(d, "min", cli_jnum(v->dist.min));
		fail |= cli_jset(d, "q1", cli_jnum(v->dist.q1));
		fail |= cli_jset(d, "median", cli_jnum(v->dist.median));
		fail |= cli_jset(d, "q3", cli_jnum(v->dist.q3));
		fail |= cli_jset(d, "max", cli_jnum(v->dist.max));
		fail |= cli_jset(r, "distribution", d);
	} else
		json_decref(d);
	if (fail) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static json_t *table_json(const eic_benchmark *b, const char *indicator, const char *unit,
                          const char **why, const eic_bench_options *o)
{
	json_t *r = json_object(), *rows = json_array(), *groups = json_array();
	int fail = !r || !rows || !groups;
	for (size_t i = 0; !fail && i < eic_benchmark_row_count(b); i++) {
		const eic_bench_row *row = eic_benchmark_row_at(b, i);
		json_t *e = json_object();
		if (!e || json_array_append_new(rows, e) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(e, "id", cli_jstr(row->id));
		fail |= cli_jset(e, "name", cli_jstr(row->name));
		fail |= cli_jset(e, "group", cli_jstr(row->group));
		fail |= cli_jset(e, "value", cli_jnum(row->value));
		if (row->ranked) {
			fail |= cli_jset(e, "rank", json_integer((json_int_t)row->rank));
			fail |=
			    cli_jset(e, "group_size", json_integer((json_int_t)row->group_size));
			fail |= cli_jset(e, "percentile", cli_jnum(row->percentile));
		} else
			fail |= cli_jset(e, "not_computable", cli_jstr(why[i]));
	}
	for (size_t i = 0; !fail && i < eic_benchmark_group_count(b); i++) {
		const eic_bench_group *g = eic_benchmark_group_at(b, i);
		json_t *e = json_object();
		if (!e || json_array_append_new(groups, e) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(e, "group", cli_jstr(g->group));
		fail |= cli_jset(e, "n", json_integer((json_int_t)g->dist.n));
		fail |= cli_jset(e, "missing", json_integer((json_int_t)g->missing));
		fail |= cli_jset(e, "min", cli_jnum(g->dist.min));
		fail |= cli_jset(e, "q1", cli_jnum(g->dist.q1));
		fail |= cli_jset(e, "median", cli_jnum(g->dist.median));
		fail |= cli_jset(e, "q3", cli_jnum(g->dist.q3));
		fail |= cli_jset(e, "max", cli_jnum(g->dist.max));
	}
	if (!fail) {
		fail |= cli_jset(r, "indicator", cli_jstr(indicator));
		fail |= cli_jset(r, "unit", cli_jstr(unit));
		fail |= cli_jset(r, "higher_is_better", json_boolean(o->higher_is_better));
		fail |= cli_jset(r, "rows", rows);
		fail |= cli_jset(r, "groups", groups);
		rows = groups = NULL;
	}
	json_decref(rows);
	json_decref(groups);
	if (fail) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static void print_table(const eic_benchmark *b, const char *indicator, const char *unit,
                        const char **why, const eic_bench_options *o)
{
	static const char *headers[] = {"GROUP", "RANK", "ID", "NAME", "VALUE", "PERCENTILE"};
	static const int right[] = {0, 1, 0, 0, 1, 1};
	cli_table t;
	cli_table_init(&t, 6, headers, right);
	printf("%s (%s; %s is better)\n", indicator, unit ? unit : "",
	       o->higher_is_better ? "higher" : "lower");
	for (size_t g = 0; g < eic_benchmark_group_count(b); g++) {
		const char *group = eic_benchmark_group_at(b, g)->group;
		/* ranked members by rank, then the others */
		for (size_t rank = 1; rank <= eic_benchmark_row_count(b) + 1; rank++)
			for (size_t i = 0; i < eic_benchmark_row_count(b); i++) {
				const eic_bench_row *r = eic_benchmark_row_at(b, i);
				if (r->group != group)
					continue;
				if (r->ranked ? r->rank != rank
				              : rank <= eic_benchmark_row_count(b))
					continue;
				char rk[16], v[32], p[32];
				snprintf(rk, sizeof(rk), "%zu", r->rank);
				cli_fmt_num(v, sizeof(v), r->value);
				cli_fmt_num(p, sizeof(p), r->percentile);
				const char *row[] = {group, r->ranked ? rk : "-",  r->id, r->name,
				                     v,     r->ranked ? p : why[i]};
				cli_table_add(&t, row);
			}
	}
	cli_table_print(stdout, &t, 2);
	cli_table_free(&t);
	for (size_t g = 0; g < eic_benchmark_group_count(b); g++) {
		const eic_bench_group *gr = eic_benchmark_group_at(b, g);
		char a[32], c[32], d[32], e[32], f[32];
		cli_fmt_num(a, sizeof(a), gr->dist.min);
		cli_fmt_num(c, sizeof(c), gr->dist.q1);
		cli_fmt_num(d, sizeof(d), gr->dist.median);
		cli_fmt_num(e, sizeof(e), gr->dist.q3);
		cli_fmt_num(f, sizeof(f), gr->dist.max);
		printf("  group %s: n %zu, min %s, q1 %s, median %s, q3 %s, max %s%s\n", gr->group,
		       gr->dist.n, a, c, d, e, f,
		       gr->shown ? ""
		                 : " (below the confidentiality threshold: not shown to firms)");
	}
}

int cli_cmd_benchmark(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	cli_monitor *ms = NULL;
	eic_bench_entry *entries = NULL;
	char(*groups)[16] = NULL;
	const char **why = NULL;
	eic_benchmark *b = NULL;
	int status, error;
	size_t loaded = 0, count = 0;
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char *indicator = args.value[OPT_INDICATOR];
	const char *peer = args.value[OPT_PEER];
	const char *period = args.value[OPT_PERIOD];
	const char *as = args.value[OPT_AS];
	if (!indicator)
		return cli_usage_error(ctx, "--indicator is required");
	const eic_indicator_def *def = eic_indicator_def_find(indicator);
	if (!def)
		return cli_usage_error(ctx, "unknown indicator '%s' (see 'eic help indicators')",
		                       indicator);
	if (peer && strcmp(peer, "sector") && strcmp(peer, "size"))
		return cli_usage_error(ctx, "--peer takes sector or size (found '%s')", peer);
	eic_bench_options o = EIC_BENCH_OPTIONS_INIT;
	o.higher_is_better = def->higher_is_better;
	if (args.value[OPT_MIN_GROUP]) {
		char *end;
		long n = strtol(args.value[OPT_MIN_GROUP], &end, 10);
		if (*end || n < 1 || n > 1000000)
			return cli_usage_error(ctx, "--min-group takes a whole number >= 1");
		o.min_group_size = (size_t)n;
	}
	int multi = args.arg_count > 1;
	if (multi && peer)
		return cli_usage_error(ctx, "--peer groups actors: give one cluster");
	ms = calloc((size_t)args.arg_count, sizeof(*ms));
	if (!ms) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (int i = 0; i < args.arg_count; i++, loaded++)
		if ((status = cli_monitor_load(&ms[i], ctx, args.args[i], NULL, NULL)) != 0)
			goto done;
	size_t cap = multi ? (size_t)args.arg_count : eic_indicators_actor_count(ms[0].ind);
	entries = calloc(cap ? cap : 1, sizeof(*entries));
	groups = calloc(cap ? cap : 1, sizeof(*groups));
	why = calloc(cap ? cap : 1, sizeof(*why));
	if (!entries || !groups || !why) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	const char *unit = NULL;
	for (size_t i = 0; i < cap; i++) {
		const cli_monitor *m = multi ? &ms[i] : &ms[0];
		const char *scope = multi ? NULL : eic_indicators_actor(m->ind, i);
		eic_bench_entry *e = &entries[count];
		e->id = multi ? eic_cluster_info_get(m->cluster)->id : scope;
		e->name = multi ? eic_cluster_info_get(m->cluster)->name
		                : cli_monitor_actor_name(m->cluster, scope);
		e->value = eic_indicators_lookup(m->ind, scope, indicator, period, &why[count]);
		e->group = peer_group(m, scope, peer, groups[count]);
		const eic_indicator_value *v = eic_indicators_get(
		    m->ind, scope, indicator,
		    period
		        ? period
		        : eic_indicators_period(m->ind, eic_indicators_period_count(m->ind) - 1));
		if (v && !isnan(v->value))
			unit = v->unit;
		count++;
	}
	if ((error = eic_benchmark_compute(&b, entries, count, &o)) < 0) {
		cli_error(ctx, "cannot rank: %s", eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	if (as) {
		eic_bench_view v;
		if (eic_benchmark_view(&v, b, as) == EIC_ENOTFOUND) {
			cli_error(ctx,
			          "'%s' is not among the ranked %s (it needs measurement records)",
			          as, multi ? "clusters" : "actors");
			status = CLI_EXIT_USAGE;
			goto done;
		}
		const char *own_why = NULL;
		for (size_t i = 0; i < count; i++)
			if (!strcmp(entries[i].id, as))
				own_why = why[i];
		if (ctx->json) {
			json_t *r = view_json(&v, as, indicator, unit, &o);
			status = r ? cli_print_json(r) : CLI_EXIT_INTERNAL;
		} else
			print_view(&v, as, indicator, unit, own_why, &o);
	} else if (ctx->json) {
		json_t *r = table_json(b, indicator, unit, why, &o);
		status = r ? cli_print_json(r) : CLI_EXIT_INTERNAL;
	} else
		print_table(b, indicator, unit, why, &o);
done:
	if (status == CLI_EXIT_INTERNAL)
		cli_error(ctx, "out of memory");
	eic_benchmark_free(b);
	for (size_t i = 0; i < loaded; i++)
		cli_monitor_free(&ms[i]);
	free(ms);
	free(entries);
	free(groups);
	free(why);
	return status;
}
