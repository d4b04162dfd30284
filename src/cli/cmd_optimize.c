/* cmd_optimize.c: `eic optimize`: the exchanges and shared facilities a cluster should pursue
 * together (a MILP solved by COIN-OR CBC), or the Pareto frontier between benefit and GHG. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <eic/optimize.h>

enum {
	OPT_OBJECTIVE,
	OPT_WEIGHT,
	OPT_PARETO,
	OPT_TIME,
	OPT_GAP,
	OPT_MAX_DISTANCE,
	OPT_COST,
	OPT_FEE,
	OPT_CO2,
	OPT_GHG_DISPOSAL,
	OPT_GHG_VIRGIN,
	OPT_RATE,
	OPT_USD,
	OPT_REQUIRE,
	OPT_PERMITTED,
	OPT_NO_IMPACT,
	OPT_STRICT,
	OPT_ZONE,
	OPT_GWP,
	OPT_HORIZON,
	OPT_DISTANCES,
	OPT_OUT,
};

const cli_option cli_optimize_options[] = {
    {"objective", 0, "OBJ", "economic (default), ghg or weighted"},
    {"weight", 0, "W", "economic weight in [0,1] of the weighted objective (default 0.5)"},
    {"pareto", 0, "N", "also compute N points of the benefit-GHG frontier (N >= 2)"},
    {"time-limit", 0, "S", "seconds per solve (default 10)"},
    {"gap", 0, "G", "relative gap at which a solve stops (default 0.0001)"},
    {"max-distance", 0, "KM", "longest exchange considered (default 50)"},
    {"cost-per-tkm", 0, "X", "transport cost per t-km in the cluster currency (0.10 USD)"},
    {"disposal-fee", 0, "X", "avoided disposal fee per t, cluster currency (10 USD)"},
    {"co2-per-tkm", 0, "KG", "kg CO2e per t-km (default 0.192)"},
    {"ghg-disposal", 0, "KG", "kg CO2e avoided per t not disposed (default: impact factors)"},
    {"ghg-virgin", 0, "KG", "kg CO2e avoided per t of virgin supply replaced (default 0)"},
    {"discount-rate", 0, "R", "for annualising facility capital (default 0.08)"},
    {"currency-per-usd", 0, "X", "exchange rate for the USD defaults (non-USD clusters)"},
    {"require-demand", 0, NULL, "every want's minimum must be met (else a lot size)"},
    {"permitted", 0, "IDS", "comma list of actors/facilities permitted for hazardous"},
    {"no-impact-factors", 0, NULL, "avoided disposal emissions 0 unless --ghg-disposal"},
    {"strict-ghg", 0, NULL, "fail when a material disposed of in BAU has no factor"},
    {"climate-zone", 0, "ZONE", "for landfill methane (default: the scenario's)"},
    {"gwp", 0, "SET", "GWP100 set: AR4, AR5, AR6 ... (default: the scenario's, AR5)"},
    {"horizon", 0, "YEARS", "landfill methane horizon (default: the scenario's, 30)"},
    {"distances", 0, "FILE", "distance matrix CSV from_actor,to_actor,km instead of coordinates"},
    {"out", 'o', "FILE", "write to FILE instead of standard output"},
    {NULL, 0, NULL, NULL},
};

/* Fill the options from the command line; returns an exit status (0 to go on). */
static int read_options(eic_opt_options *o, const cli_ctx *ctx, const char **v)
{
	double d;
	if (v[OPT_OBJECTIVE] && eic_opt_objective_parse(&o->objective, v[OPT_OBJECTIVE]) < 0)
		return cli_usage_error(ctx,
		                       "--objective must be economic, ghg or weighted (found '%s')",
		                       v[OPT_OBJECTIVE]);
	if (v[OPT_WEIGHT]) {
		if (cli_parse_number(&o->weight, ctx, "weight", v[OPT_WEIGHT]) < 0)
			return CLI_EXIT_USAGE;
		if (o->weight < 0 || o->weight > 1)
			return cli_usage_error(ctx, "--weight must lie in [0, 1] (found '%s')",
			                       v[OPT_WEIGHT]);
	}
	if (v[OPT_PARETO]) {
		if (cli_parse_number(&d, ctx, "pareto", v[OPT_PARETO]) < 0)
			return CLI_EXIT_USAGE;
		if (d < 2 || d > 1000 || d != floor(d))
			return cli_usage_error(
			    ctx,
			    "--pareto expects a whole number of points from 2 to 1000 (found '%s')",
			    v[OPT_PARETO]);
		o->pareto_points = (size_t)d;
	}
	if (v[OPT_TIME]) {
		if (cli_parse_number(&o->time_limit_s, ctx, "time-limit", v[OPT_TIME]) < 0)
			return CLI_EXIT_USAGE;
		if (!(o->time_limit_s > 0))
			return cli_usage_error(
			    ctx, "--time-limit must be a number of seconds > 0 (found '%s')",
			    v[OPT_TIME]);
	}
	if (v[OPT_GAP]) {
		if (cli_parse_number(&o->rel_gap, ctx, "gap", v[OPT_GAP]) < 0)
			return CLI_EXIT_USAGE;
		if (o->rel_gap < 0 || o->rel_gap >= 1)
			return cli_usage_error(ctx, "--gap must lie in [0, 1) (found '%s')",
			                       v[OPT_GAP]);
	}
	struct {
		int index;
		const char *name;
		double *to;
		int may_be_negative;
	} nums[] = {
	    {OPT_MAX_DISTANCE, "max-distance", &o->max_distance_km, 0},
	    {OPT_COST, "cost-per-tkm", &o->cost_per_tkm, 0},
	    {OPT_FEE, "disposal-fee", &o->disposal_fee_per_t, 0},
	    {OPT_CO2, "co2-per-tkm", &o->kg_co2e_per_tkm, 0},
	    {OPT_GHG_DISPOSAL, "ghg-disposal", &o->disposal_kg_co2e_per_t, 1},
	    {OPT_GHG_VIRGIN, "ghg-virgin", &o->virgin_kg_co2e_per_t, 1},
	    {OPT_RATE, "discount-rate", &o->discount_rate, 1},
	    {OPT_USD, "currency-per-usd", &o->currency_per_usd, 0},
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		const char *text = v[nums[i].index];
		if (!text)
			continue;
		if (cli_parse_number(nums[i].to, ctx, nums[i].name, text) < 0)
			return CLI_EXIT_USAGE;
		if (!nums[i].may_be_negative && *nums[i].to < 0)
			return cli_usage_error(ctx, "--%s must be >= 0 (found '%s')", nums[i].name,
			                       text);
	}
	if (v[OPT_MAX_DISTANCE] && !(o->max_distance_km > 0))
		return cli_usage_error(ctx, "--max-distance must be > 0 (found '%s')",
		                       v[OPT_MAX_DISTANCE]);
	o->require_demand = v[OPT_REQUIRE] != NULL;
	o->permitted = v[OPT_PERMITTED];
	o->ghg_from_impact = v[OPT_NO_IMPACT] == NULL;
	o->ghg_strict = v[OPT_STRICT] != NULL;
	o->climate_zone = v[OPT_ZONE];
	o->gwp_set = v[OPT_GWP];
	o->distance_matrix = v[OPT_DISTANCES];
	if (v[OPT_HORIZON]) {
		if (cli_parse_number(&d, ctx, "horizon", v[OPT_HORIZON]) < 0)
			return CLI_EXIT_USAGE;
		if (d < 1 || d > EIC_FOD_MAX_YEARS || d != floor(d))
			return cli_usage_error(
			    ctx,
			    "--horizon expects a whole number of years from 1 to %d (found '%s')",
			    EIC_FOD_MAX_YEARS, v[OPT_HORIZON]);
		o->horizon_years = (size_t)d;
	}
	return 0;
}

static const char *end_kind(eic_opt_end_kind k)
{
	return k == EIC_OPT_END_OFFER ? "offer" : k == EIC_OPT_END_FACILITY ? "facility" : "market";
}

static json_t *texts_json(size_t (*count)(const eic_opt_result *),
                          const char *(*get)(const eic_opt_result *, size_t),
                          const eic_opt_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < count(r); i++)
		if (json_array_append_new(a, json_string(get(r, i))) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *result_json(const eic_opt_result *r, const char *cluster)
{
	json_t *root = json_object(), *flows = json_array(), *facs = json_array(),
	       *points = json_array(), *model = json_object();
	int failed = !root || !flows || !facs || !points || !model;
	eic_opt_stats st = eic_opt_stats_of(r);
	for (size_t i = 0; !failed && i < eic_opt_flow_count(r); i++) {
		const eic_opt_flow *f = eic_opt_flow_at(r, i);
		json_t *o = json_object();
		failed |= !o;
		failed |= cli_jset(o, "from_kind", json_string(end_kind(f->from_kind)));
		failed |= cli_jset(o, "from", cli_jstr(f->from_id));
		failed |= cli_jset(o, "from_actor", cli_jstr(f->from_actor));
		failed |= cli_jset(o, "from_label", cli_jstr(f->from_label));
		failed |= cli_jset(o, "to_kind", json_string(end_kind(f->to_kind)));
		failed |= cli_jset(o, "to", cli_jstr(f->to_id));
		failed |= cli_jset(o, "to_actor", cli_jstr(f->to_actor));
		failed |= cli_jset(o, "to_label", cli_jstr(f->to_label));
		failed |= cli_jset(o, "material", cli_jstr(f->material));
		failed |= cli_jset(o, "quantity", cli_jnum(f->quantity));
		failed |= cli_jset(o, "unit", cli_jstr(f->unit));
		failed |= cli_jset(o, "mass_t_per_yr", cli_jnum(f->mass_t));
		failed |= cli_jset(o, "distance_km", cli_jnum(f->distance_km));
		failed |= cli_jset(o, "transport_cost_per_yr", cli_jnum(f->transport_cost));
		failed |= cli_jset(o, "value_per_yr", cli_jnum(f->value));
		failed |= cli_jset(o, "ghg_t_co2e_per_yr", cli_jnum(f->ghg_t_co2e));
		failed |= o && json_array_append_new(flows, o) != 0;
	}
	for (size_t i = 0; !failed && i < eic_opt_facility_count(r); i++) {
		const eic_opt_facility *f = eic_opt_facility_at(r, i);
		json_t *o = json_object();
		failed |= !o;
		failed |= cli_jset(o, "facility", cli_jstr(f->facility));
		failed |= cli_jset(o, "name", cli_jstr(f->name));
		failed |= cli_jset(o, "open", json_boolean(f->level != NULL));
		failed |= cli_jset(o, "level", cli_jstr(f->level));
		failed |= cli_jset(o, "capacity", cli_jnum(f->capacity));
		failed |= cli_jset(o, "capacity_unit", cli_jstr(f->capacity_unit));
		failed |= cli_jset(o, "throughput", cli_jnum(f->throughput));
		failed |= cli_jset(o, "annual_cost", cli_jnum(f->annual_cost));
		failed |= cli_jset(o, "revenue", cli_jnum(f->revenue));
		failed |= cli_jset(o, "net_benefit", cli_jnum(f->net_benefit));
		failed |= o && json_array_append_new(facs, o) != 0;
	}
	for (size_t i = 0; !failed && i < eic_opt_point_count(r); i++) {
		const eic_opt_point *p = eic_opt_point_at(r, i);
		json_t *o = json_object();
		failed |= !o;
		failed |= cli_jset(o, "epsilon_t_co2e", cli_jnum(p->epsilon_t_co2e));
		failed |= cli_jset(o, "status", json_string(eic_milp_status_name(p->status)));
		failed |= cli_jset(o, "economic", cli_jnum(p->economic));
		failed |= cli_jset(o, "ghg_t_co2e", cli_jnum(p->ghg_t_co2e));
		failed |= cli_jset(o, "gap", cli_jnum(p->gap));
		failed |= cli_jset(o, "time_s", cli_jnum(p->time_s));
		failed |= cli_jset(o, "open_facilities", cli_jstr(p->open_facilities));
		failed |= o && json_array_append_new(points, o) != 0;
	}
	failed |= cli_jset(model, "candidate_arcs", json_integer((json_int_t)st.candidate_arcs));
	failed |= cli_jset(model, "variables", json_integer((json_int_t)st.variables));
	failed |= cli_jset(model, "integers", json_integer((json_int_t)st.integers));
	failed |= cli_jset(model, "rows", json_integer((json_int_t)st.rows));
	failed |= cli_jset(model, "nonzeros", json_integer((json_int_t)st.nonzeros));
	failed |= cli_jset(model, "solves", json_integer((json_int_t)st.solves));
	failed |= cli_jset(model, "solver", json_string(eic_milp_backend()));
	failed |= cli_jset(root, "cluster", cli_jstr(cluster));
	failed |= cli_jset(root, "objective",
	                   json_string(eic_opt_objective_name(eic_opt_objective_of(r))));
	failed |= cli_jset(root, "status", json_string(eic_milp_status_name(eic_opt_status(r))));
	failed |= cli_jset(root, "status_text", json_string(eic_opt_status_text(r)));
	failed |= cli_jset(root, "gap", cli_jnum(eic_opt_gap(r)));
	failed |= cli_jset(root, "time_s", cli_jnum(eic_opt_time(r)));
	failed |= cli_jset(root, "economic_per_yr", cli_jnum(eic_opt_economic(r)));
	failed |= cli_jset(root, "currency", cli_jstr(eic_opt_currency(r)));
	failed |= cli_jset(root, "ghg_t_co2e_per_yr", cli_jnum(eic_opt_ghg(r)));
	failed |= cli_jset(root, "model", model);
	model = NULL;
	failed |= cli_jset(root, "flows", flows);
	flows = NULL;
	failed |= cli_jset(root, "facilities", facs);
	facs = NULL;
	failed |= cli_jset(root, "pareto", points);
	points = NULL;
	failed |= cli_jset(root, "reasons", texts_json(eic_opt_reason_count, eic_opt_reason, r));
	failed |= cli_jset(root, "defaults", texts_json(eic_opt_default_count, eic_opt_default, r));
	failed |= cli_jset(root, "notes", texts_json(eic_opt_note_count, eic_opt_note, r));
	json_decref(model);
	json_decref(flows);
	json_decref(facs);
	json_decref(points);
	if (failed) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static void write_text(FILE *fp, const eic_opt_result *r, const char *cluster)
{
	char a[64], b[64], c[64], d[64], e[64];
	eic_opt_stats st = eic_opt_stats_of(r);
	const char *cur = eic_opt_currency(r);
	fprintf(fp, "Optimised exchange network of %s (objective: %s)\n", cluster,
	        eic_opt_objective_name(eic_opt_objective_of(r)));
	if (isnan(eic_opt_gap(r)))
		snprintf(a, sizeof(a), "n/a");
	else
		snprintf(a, sizeof(a), "%.3g%%", 100 * eic_opt_gap(r));
	fprintf(fp, "Status: %s; gap %s; %.2f s in %zu solve%s (%s)\n", eic_opt_status_text(r), a,
	        eic_opt_time(r), st.solves, st.solves == 1 ? "" : "s", eic_milp_backend());
	fprintf(fp, "Model: %zu candidate arcs, %zu variables (%zu integer), %zu rows\n",
	        st.candidate_arcs, st.variables, st.integers, st.rows);
	if (eic_opt_reason_count(r)) {
		fprintf(fp, "\nThe model is infeasible; the constraints that cannot all hold:\n");
		for (size_t i = 0; i < eic_opt_reason_count(r); i++)
			fprintf(fp, "  - %s\n", eic_opt_reason(r, i));
	}
	if (!isnan(eic_opt_economic(r))) {
		cli_fmt_num(a, sizeof(a), eic_opt_economic(r));
		cli_fmt_num(b, sizeof(b), eic_opt_ghg(r));
		fprintf(fp, "Net benefit: %s %s/yr; net GHG: %s t CO2e/yr (negative: a saving)\n",
		        a, cur, b);
		cli_table t;
		const char *hdr[] = {"from", "to", "material", "quantity",
		                     "unit", "km", "value/yr"};
		const int right[] = {0, 0, 0, 1, 0, 1, 1};
		cli_table_init(&t, 7, hdr, right);
		t.max_width = 36;
		for (size_t i = 0; i < eic_opt_flow_count(r); i++) {
			const eic_opt_flow *f = eic_opt_flow_at(r, i);
			cli_fmt_num(a, sizeof(a), f->quantity);
			cli_fmt_num(b, sizeof(b), f->distance_km);
			cli_fmt_num(c, sizeof(c), f->value);
			const char *row[] = {
			    f->from_label, f->to_label, f->material, a, f->unit, b, c};
			cli_table_add(&t, row);
		}
		fprintf(fp, "\nChosen exchanges (%zu):\n", eic_opt_flow_count(r));
		if (t.row_count)
			cli_table_print(fp, &t, 2);
		else
			fprintf(fp, "  none: no exchange pays for itself under these numbers\n");
		cli_table_free(&t);
		if (eic_opt_facility_count(r)) {
			const char *fh[] = {"facility",    "level",   "capacity",   "throughput",
			                    "annual cost", "revenue", "net benefit"};
			const int fr[] = {0, 0, 1, 1, 1, 1, 1};
			cli_table_init(&t, 7, fh, fr);
			for (size_t i = 0; i < eic_opt_facility_count(r); i++) {
				const eic_opt_facility *f = eic_opt_facility_at(r, i);
				cli_fmt_num(a, sizeof(a), f->capacity);
				cli_fmt_num(b, sizeof(b), f->throughput);
				cli_fmt_num(c, sizeof(c), f->annual_cost);
				cli_fmt_num(d, sizeof(d), f->revenue);
				cli_fmt_num(e, sizeof(e), f->net_benefit);
				const char *row[] = {
				    f->facility, f->level ? f->level : "(closed)", a, b, c, d, e};
				cli_table_add(&t, row);
			}
			fprintf(fp, "\nShared facilities (money in %s/yr):\n", cur);
			cli_table_print(fp, &t, 2);
			cli_table_free(&t);
		}
	}
	if (eic_opt_point_count(r)) {
		cli_table t;
		const char *hdr[] = {"point",    "GHG limit", "status", "benefit/yr",
		                     "GHG t/yr", "gap %",     "s",      "open facilities"};
		const int right[] = {1, 1, 0, 1, 1, 1, 1, 0};
		cli_table_init(&t, 8, hdr, right);
		for (size_t i = 0; i < eic_opt_point_count(r); i++) {
			const eic_opt_point *p = eic_opt_point_at(r, i);
			char n[32], s[32];
			snprintf(n, sizeof(n), "%zu", i + 1);
			cli_fmt_num(a, sizeof(a), p->epsilon_t_co2e);
			cli_fmt_num(b, sizeof(b), p->economic);
			cli_fmt_num(c, sizeof(c), p->ghg_t_co2e);
			cli_fmt_num(d, sizeof(d), 100 * p->gap);
			snprintf(s, sizeof(s), "%.2f", p->time_s);
			const char *row[] = {n,
			                     a,
			                     eic_milp_status_name(p->status),
			                     b,
			                     c,
			                     d,
			                     s,
			                     *p->open_facilities ? p->open_facilities : "none"};
			cli_table_add(&t, row);
		}
		fprintf(fp, "\nPareto frontier (epsilon-constraint, %zu points; money in %s):\n",
		        eic_opt_point_count(r), cur);
		cli_table_print(fp, &t, 2);
		cli_table_free(&t);
	}
	if (eic_opt_default_count(r)) {
		fprintf(fp, "\nDefaults used where the data give no number:\n");
		for (size_t i = 0; i < eic_opt_default_count(r); i++)
			fprintf(fp, "  - %s\n", eic_opt_default(r, i));
	}
	for (size_t i = 0; i < eic_opt_note_count(r); i++)
		fprintf(fp, "%sNote: %s\n", i == 0 ? "\n" : "", eic_opt_note(r, i));
}

int cli_cmd_optimize(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_opt_result *result = NULL;
	eic_diags *diags = NULL;
	eic_opt_options opts = EIC_OPT_OPTIONS_INIT;
	FILE *fp = stdout;
	int status, error;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char **v = args.value;
	if ((status = read_options(&opts, ctx, v)) != 0)
		return status;
	if ((status = cli_load_cluster(&cluster, ctx, args.args[0])) != 0)
		goto done;
	/* a package's own factors.csv and scenario.json */
	if (cli_is_package_path(args.args[0]))
		opts.package_dir = args.args[0];
	if (eic_diags_new(&diags, 100) < 0) {
		status = CLI_EXIT_INTERNAL;
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		goto done;
	}
	cli_progress(ctx, "optimising ...");
	error = eic_opt_run(&result, cluster, &opts, diags);
	if (error < 0) {
		for (size_t i = 0; i < eic_diags_count(diags); i++) {
			const eic_diag *dg = eic_diags_get(diags, i);
			if (dg->file && *dg->file)
				cli_error(ctx, "%s:%d:%d: %s", dg->file, dg->line, dg->column,
				          dg->message);
			else
				cli_error(ctx, "%s", dg->message);
		}
		if (!eic_diags_count(diags))
			cli_error(ctx, "%s", eic_strerror(error));
		/* bad input (options, the distance matrix) is a usage error */
		status = error == EIC_EINVAL || error == EIC_EUNIT || error == EIC_EINVALID ||
		                 error == EIC_EPARSE || error == EIC_ENOTFOUND || error == EIC_EIO
		             ? CLI_EXIT_USAGE
		             : CLI_EXIT_INTERNAL;
		goto done;
	}
	if (v[OPT_OUT] && strcmp(v[OPT_OUT], "-")) {
		if (cli_mkdirs_for_file(v[OPT_OUT]) < 0 || !(fp = fopen(v[OPT_OUT], "w"))) {
			cli_error(ctx, "cannot write %s: %s", v[OPT_OUT], strerror(errno));
			fp = stdout;
			status = CLI_EXIT_USAGE;
			goto done;
		}
	}
	const char *id = eic_cluster_info_get(cluster)->id;
	if (ctx->json) {
		json_t *root = result_json(result, id);
		if (!root) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		if (fp == stdout) {
			status = cli_print_json(root);
		} else {
			if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) < 0)
				status = CLI_EXIT_INTERNAL;
			fputc('\n', fp);
			json_decref(root);
		}
	} else {
		write_text(fp, result, id);
	}
	if (fp != stdout) {
		if (fclose(fp) != 0) {
			cli_error(ctx, "cannot write %s: %s", v[OPT_OUT], strerror(errno));
			status = CLI_EXIT_INTERNAL;
		} else {
			cli_info(ctx, "wrote %s", v[OPT_OUT]);
		}
		fp = stdout;
	} else if (fflush(stdout) != 0) {
		status = CLI_EXIT_INTERNAL;
	}
	/* an infeasible, unbounded or unsolved model is a finding: exit 1 */
	if (status == 0 && eic_opt_status(result) != EIC_MILP_OPTIMAL &&
	    eic_opt_status(result) != EIC_MILP_FEASIBLE)
		status = CLI_EXIT_FOUND;
done:
	if (fp != stdout)
		fclose(fp);
	eic_opt_free(result);
	eic_cluster_free(cluster);
	eic_diags_free(diags);
	return status;
}
