/* cmd_impact.c: `eic impact`: a cluster's eco-cluster scenario (or a scenario file) against
 * business as usual by impact category and by actor, with Monte Carlo intervals; or JSON. */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_SCENARIO,
	OPT_ALTERNATIVE,
	OPT_DRAWS,
	OPT_SEED,
	OPT_GWP,
	OPT_HORIZON,
	OPT_ZONE,
	OPT_NO_ACTIVITY,
	OPT_FACTORS,
	OPT_PER,
	OPT_PER_MATERIAL,
	OPT_PER_UNIT,
	OPT_ABSOLUTE,
	OPT_ACTOR_INTERVALS,
};

const cli_option cli_impact_options[] = {
    {"scenario", 's', "FILE", "scenario file (default: the package's or example's, or derived)"},
    {"alternative", 'a', "ID", "evaluate one alternative (default: all)"},
    {"draws", 'n', "N", "Monte Carlo draws for the intervals (default 1000, 0 for none)"},
    {"seed", 0, "S", "seed of the draws (default 1)"},
    {"gwp", 0, "SET", "GWP100 set: SAR, AR4, AR5, AR5_ccfb, AR6 (default: the scenario's)"},
    {"horizon", 0, "Y", "years of landfill methane counted (default: the scenario's, or 30)"},
    {"climate-zone", 0, "ZONE", "IPCC climate zone (default: the scenario's)"},
    {"no-activity", 0, NULL, "draw factors only, not the flows' own uncertainty"},
    {"factors", 0, "FILE", "extra factor table over the defaults (format of data/factors)"},
    {"per", 0, "FLOW_ID", "every figure per unit of this (product) flow, in each case"},
    {"per-material", 0, "MATERIAL", "every figure per unit of this material sold (product market)"},
    {"per-unit", 0, "UNIT", "unit of the reference quantity for --per/--per-material (default t)"},
    {"absolute", 0, NULL, "absolute figures even if the scenario file names a reference"},
    {"actor-intervals", 0, "LIST",
     "categories given intervals by actor: keys, 'all' or 'none' (default ghg,landfill)"},
    {NULL, 0, NULL, NULL},
};

static int parse_count(size_t *out, const char *text, size_t max)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || !end || *end || text[0] == '-' || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

static void fmt_interval(char *buf, size_t size, const eic_interval *iv)
{
	char a[32], b[32];
	if (isnan(iv->p05)) {
		snprintf(buf, size, "-");
		return;
	}
	cli_fmt_num(a, sizeof(a), iv->p05);
	cli_fmt_num(b, sizeof(b), iv->p95);
	snprintf(buf, size, "%s .. %s", a, b);
}

static const char *unit_text(char *buf, size_t size, const eic_scenario_result *r, int cat)
{
	snprintf(buf, size, "%s", eic_scenario_result_unit(r, (eic_impact_category)cat));
	return buf;
}

/* "ghg,landfill" / "all" / "none" to a category mask; -1 on an unknown key (in *bad). */
static int parse_categories(unsigned *out, const char *text, char *bad, size_t bad_size)
{
	*out = 0;
	if (!strcmp(text, "none"))
		return 0;
	if (!strcmp(text, "all")) {
		*out = (1u << EIC_IMPACT__N) - 1u;
		return 0;
	}
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, ",");
		int found = 0;
		for (int k = 0; k < EIC_IMPACT__N && !found; k++) {
			const char *key = eic_impact_category_key((eic_impact_category)k);
			if (strlen(key) == len && !strncmp(p, key, len)) {
				*out |= 1u << k;
				found = 1;
			}
		}
		if (!found) {
			snprintf(bad, bad_size, "%.*s", (int)len, p);
			return -1;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int print_human(const eic_cluster *c, const eic_scenario *s, size_t alt,
                       const eic_scenario_result *r)
{
	char b[6][96];
	const eic_cluster_info *info = eic_cluster_info_get(c);
	printf("Impact of \"%s\", alternative %s (%s), against business as usual\n",
	       eic_scenario_name(s)[0] ? eic_scenario_name(s) : "scenario",
	       eic_scenario_alternative_id(s, alt), eic_scenario_alternative_name(s, alt));
	printf("cluster %s; GWP %s; climate zone %s; landfill methane over %zu years", info->id,
	       eic_scenario_result_gwp_set(r),
	       eic_scenario_result_climate_zone(r)[0] ? eic_scenario_result_climate_zone(r) : "-",
	       eic_scenario_result_horizon(r));
	if (eic_scenario_result_draws(r))
		printf("; %zu draws, seed %" PRIu64, eic_scenario_result_draws(r),
		       eic_scenario_result_seed(r));
	printf("\n");
	const eic_scenario_reference *ref = eic_scenario_result_reference(r);
	if (ref) {
		cli_fmt_num(b[0], sizeof(b[0]), ref->bau);
		cli_fmt_num(b[1], sizeof(b[1]), ref->scenario);
		printf("figures per %s of %s (%s %s): %s %s in business as usual, %s %s in the "
		       "scenario; money and jobs per %s/yr; money over time stays absolute\n",
		       ref->unit, ref->material, ref->kind, ref->id, b[0], ref->unit, b[1],
		       ref->unit, ref->unit);
	}
	printf("\n");
	{
		static const char *headers[] = {
		    "CATEGORY", "BAU", "SCENARIO", "CHANGE", "90% INTERVAL OF CHANGE", "UNIT"};
		static const int right[] = {0, 1, 1, 1, 1, 0};
		cli_table t;
		cli_table_init(&t, 6, headers, right);
		for (int k = 0; k < EIC_IMPACT__N; k++) {
			const eic_impact_figure *f =
			    eic_scenario_result_figure(r, (eic_impact_category)k);
			if (!f->assessed) {
				const char *row[] = {
				    eic_impact_category_label((eic_impact_category)k),
				    "-",
				    "-",
				    "not assessed",
				    "-",
				    unit_text(b[5], sizeof(b[5]), r, k)};
				cli_table_add(&t, row);
				continue;
			}
			cli_fmt_num(b[0], sizeof(b[0]), f->bau);
			cli_fmt_num(b[1], sizeof(b[1]), f->scenario);
			cli_fmt_num(b[2], sizeof(b[2]), f->change);
			fmt_interval(b[3], sizeof(b[3]), &f->change_draws);
			const char *row[] = {eic_impact_category_label((eic_impact_category)k),
			                     b[0],
			                     b[1],
			                     b[2],
			                     b[3],
			                     unit_text(b[5], sizeof(b[5]), r, k)};
			cli_table_add(&t, row);
		}
		cli_table_print(stdout, &t, 2);
		int failed = t.failed;
		cli_table_free(&t);
		if (failed)
			return -1;
	}
	printf(
	    "\nEnergy recovered, change as fuel: %s L petrol, %s L kerosene, %s L diesel%s%s%s%s\n",
	    (cli_fmt_num(b[0], sizeof(b[0]), eic_scenario_result_fuel_litres(r, "motor_gasoline")),
	     b[0]),
	    (cli_fmt_num(b[1], sizeof(b[1]), eic_scenario_result_fuel_litres(r, "other_kerosene")),
	     b[1]),
	    (cli_fmt_num(b[2], sizeof(b[2]), eic_scenario_result_fuel_litres(r, "gas_diesel_oil")),
	     b[2]),
	    ref ? " per " : "", ref ? ref->unit : "", ref ? " of " : "", ref ? ref->material : "");
	{
		static const char *headers[] = {"SOURCE",   "GAS",    "BAU",
		                                "SCENARIO", "CHANGE", "90% INTERVAL"};
		static const int right[] = {0, 0, 1, 1, 1, 1};
		cli_table t;
		cli_table_init(&t, 6, headers, right);
		for (int src = 0; src < EIC_GHG_SOURCE__N; src++)
			for (int g = 0; g < EIC_GAS__N; g++) {
				const eic_impact_figure *f =
				    eic_scenario_result_ghg(r, (eic_ghg_source)src, (eic_gas)g);
				if (f->bau == 0 && f->scenario == 0)
					continue;
				cli_fmt_num(b[0], sizeof(b[0]), f->bau);
				cli_fmt_num(b[1], sizeof(b[1]), f->scenario);
				cli_fmt_num(b[2], sizeof(b[2]), f->change);
				fmt_interval(b[3], sizeof(b[3]), &f->change_draws);
				const char *row[] = {eic_ghg_source_key((eic_ghg_source)src),
				                     eic_gas_key((eic_gas)g),
				                     b[0],
				                     b[1],
				                     b[2],
				                     b[3]};
				cli_table_add(&t, row);
			}
		if (t.row_count) {
			printf("\nGreenhouse gases by source and gas (%s)\n",
			       eic_scenario_result_unit(r, EIC_IMPACT_GHG));
			cli_table_print(stdout, &t, 2);
		}
		cli_table_free(&t);
	}
	{
		static const char *headers[] = {"ACTOR",          "GHG t CO2e", "LANDFILL t",
		                                "ENERGY REC. GJ", "WATER m3",   "VIRGIN t",
		                                "COST",           "REVENUE",    "JOBS"};
		static const int right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
		static const int cats[] = {
		    EIC_IMPACT_GHG,     EIC_IMPACT_LANDFILL, EIC_IMPACT_ENERGY_RECOVERED,
		    EIC_IMPACT_WATER,   EIC_IMPACT_VIRGIN,   EIC_IMPACT_COST,
		    EIC_IMPACT_REVENUE, EIC_IMPACT_JOBS};
		cli_table t;
		char cells[8][32];
		cli_table_init(&t, 9, headers, right);
		t.max_width = 40;
		for (size_t i = 0; i < eic_scenario_result_party_count(r); i++) {
			const eic_scenario_party *p = eic_scenario_result_party(r, i);
			const char *row[9];
			char name[160];
			snprintf(name, sizeof(name), "%s%s", p->is_facility ? "facility " : "",
			         p->id);
			row[0] = name;
			for (int k = 0; k < 8; k++) {
				cli_fmt_num(cells[k], sizeof(cells[k]),
				            p->scenario[cats[k]] - p->bau[cats[k]]);
				row[k + 1] = cells[k];
			}
			cli_table_add(&t, row);
		}
		if (t.row_count) {
			if (ref)
				printf("\nChange by actor (scenario - business as usual; per %s of "
				       "%s, units as above)\n",
				       ref->unit, ref->material);
			else
				printf("\nChange by actor (scenario - business as usual; money in "
				       "%s/yr)\n",
				       eic_scenario_result_currency(r));
			cli_table_print(stdout, &t, 2);
		}
		int failed = t.failed;
		cli_table_free(&t);
		if (failed)
			return -1;
	}
	if (eic_scenario_result_draws(r) && eic_scenario_result_party_count(r)) {
		/* intervals by actor: the categories that have them */
		int cats[EIC_IMPACT__N], ncat = 0;
		const eic_scenario_party *p0 = eic_scenario_result_party(r, 0);
		for (int k = 0; k < EIC_IMPACT__N; k++)
			if (!isnan(p0->change_draws[k].p05))
				cats[ncat++] = k;
		if (ncat > 0) {
			const char *headers[1 + 2 * EIC_IMPACT__N];
			int right[1 + 2 * EIC_IMPACT__N];
			char head[2 * EIC_IMPACT__N][64];
			headers[0] = "ACTOR";
			right[0] = 0;
			for (int ci = 0; ci < ncat; ci++) {
				const char *key =
				    eic_impact_category_key((eic_impact_category)cats[ci]);
				snprintf(head[2 * ci], sizeof(head[0]), "%s CHANGE", key);
				snprintf(head[2 * ci + 1], sizeof(head[0]), "%s 90%% INTERVAL",
				         key);
				for (char *q = head[2 * ci]; *q; q++)
					*q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
				for (char *q = head[2 * ci + 1]; *q; q++)
					*q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
				headers[1 + 2 * ci] = head[2 * ci];
				headers[2 + 2 * ci] = head[2 * ci + 1];
				right[1 + 2 * ci] = right[2 + 2 * ci] = 1;
			}
			cli_table t;
			char cells[2 * EIC_IMPACT__N][96];
			cli_table_init(&t, (size_t)(1 + 2 * ncat), headers, right);
			t.max_width = 40;
			for (size_t i = 0; i < eic_scenario_result_party_count(r); i++) {
				const eic_scenario_party *p = eic_scenario_result_party(r, i);
				const char *row[1 + 2 * EIC_IMPACT__N];
				char name[160];
				int any = 0;
				snprintf(name, sizeof(name), "%s%s",
				         p->is_facility ? "facility " : "", p->id);
				row[0] = name;
				for (int ci = 0; ci < ncat; ci++) {
					int k = cats[ci];
					any |= p->scenario[k] != p->bau[k];
					cli_fmt_num(cells[2 * ci], sizeof(cells[0]),
					            p->scenario[k] - p->bau[k]);
					fmt_interval(cells[2 * ci + 1], sizeof(cells[0]),
					             &p->change_draws[k]);
					row[1 + 2 * ci] = cells[2 * ci];
					row[2 + 2 * ci] = cells[2 * ci + 1];
				}
				if (any)
					cli_table_add(&t, row);
			}
			if (t.row_count) {
				printf("\nIntervals of the change by actor (5th to 95th percentile "
				       "of the same draws; units as above)\n");
				cli_table_print(stdout, &t, 2);
			}
			int failed = t.failed;
			cli_table_free(&t);
			if (failed)
				return -1;
		}
	}
	if (eic_scenario_result_flow_change_count(r)) {
		static const char *headers[] = {"FLOW",     "MATERIAL", "BAU",
		                                "SCENARIO", "CHANGE",   "UNIT"};
		static const int right[] = {0, 0, 1, 1, 1, 0};
		cli_table t;
		cli_table_init(&t, 6, headers, right);
		t.max_width = 48;
		for (size_t i = 0; i < eic_scenario_result_flow_change_count(r); i++) {
			const eic_scenario_flow_change *fc = eic_scenario_result_flow_change(r, i);
			cli_fmt_num(b[0], sizeof(b[0]), fc->bau);
			cli_fmt_num(b[1], sizeof(b[1]), fc->scenario);
			cli_fmt_num(b[2], sizeof(b[2]), fc->scenario - fc->bau);
			const char *row[] = {fc->flow, fc->material, b[0], b[1], b[2], fc->unit};
			cli_table_add(&t, row);
		}
		printf("\nFlows changed\n");
		cli_table_print(stdout, &t, 2);
		cli_table_free(&t);
	}
	size_t years = eic_scenario_result_years(r);
	const double *cb = eic_scenario_result_cumulative_cost(r, 0);
	const double *cs = eic_scenario_result_cumulative_cost(r, 1);
	if (cb && cs && (cb[years] != 0 || cs[years] != 0)) {
		cli_fmt_num(b[0], sizeof(b[0]), eic_scenario_result_npv_cost(r, 0));
		cli_fmt_num(b[1], sizeof(b[1]), eic_scenario_result_npv_cost(r, 1));
		cli_fmt_num(b[2], sizeof(b[2]), cb[years]);
		cli_fmt_num(b[3], sizeof(b[3]), cs[years]);
		printf("\nNet cost over %zu years at %.1f%%: NPV %s (BAU) and %s (scenario) %s; "
		       "cumulative %s and %s\n",
		       years, eic_scenario_result_discount_rate(r) * 100.0, b[0], b[1],
		       eic_scenario_result_currency(r), b[2], b[3]);
	}
	printf("\nNotes\n");
	for (size_t i = 0; i < eic_scenario_result_note_count(r); i++) {
		const eic_scenario_note *n = eic_scenario_result_note(r, i);
		printf("  [%s] %s\n", eic_impact_category_key(n->category), n->text);
	}
	printf("\nFactors used\n");
	for (size_t i = 0; i < eic_scenario_result_factor_count(r); i++) {
		const eic_factor *f = eic_scenario_result_factor(r, i);
		char v[32];
		cli_fmt_num(v, sizeof(v), f->value);
		printf("  %s/%s = %s %s (%s%s)\n", f->parameter, f->key, v, f->unit, f->source,
		       f->checked ? "; checked" : "; not checked against the primary document");
	}
	return 0;
}

static json_t *interval_json(const eic_interval *iv)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	if (cli_jset(o, "mean", cli_jnum(iv->mean)) || cli_jset(o, "p05", cli_jnum(iv->p05)) ||
	    cli_jset(o, "p95", cli_jnum(iv->p95))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *figure_json(const eic_impact_figure *f, const char *unit)
{
	json_t *o = json_object();
	int fail = !o;
	if (fail)
		return NULL;
	fail |= cli_jset(o, "unit", cli_jstr(unit));
	fail |= cli_jset(o, "assessed", json_boolean(f->assessed));
	fail |= cli_jset(o, "bau", cli_jnum(f->bau));
	fail |= cli_jset(o, "scenario", cli_jnum(f->scenario));
	fail |= cli_jset(o, "change", cli_jnum(f->change));
	fail |= cli_jset(o, "bau_draws", interval_json(&f->bau_draws));
	fail |= cli_jset(o, "scenario_draws", interval_json(&f->scenario_draws));
	fail |= cli_jset(o, "change_draws", interval_json(&f->change_draws));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *result_json(const eic_scenario *s, size_t alt, const eic_scenario_result *r)
{
	json_t *o = json_object(), *cats = json_object(), *ghg = json_array(),
	       *parties = json_array();
	json_t *flows = json_array(), *notes = json_array(), *factors = json_array();
	json_t *money = json_object(), *fuel = json_object();
	char ub[64];
	int fail =
	    !o || !cats || !ghg || !parties || !flows || !notes || !factors || !money || !fuel;
	for (int k = 0; !fail && k < EIC_IMPACT__N; k++)
		fail |= cli_jset(cats, eic_impact_category_key((eic_impact_category)k),
		                 figure_json(eic_scenario_result_figure(r, (eic_impact_category)k),
		                             unit_text(ub, sizeof(ub), r, k)));
	for (int src = 0; !fail && src < EIC_GHG_SOURCE__N; src++)
		for (int g = 0; !fail && g < EIC_GAS__N; g++) {
			const eic_impact_figure *f =
			    eic_scenario_result_ghg(r, (eic_ghg_source)src, (eic_gas)g);
			json_t *x = figure_json(f, "t CO2e");
			fail |= !x || json_array_append_new(ghg, x);
			if (x) {
				fail |= cli_jset(x, "source",
				                 cli_jstr(eic_ghg_source_key((eic_ghg_source)src)));
				fail |= cli_jset(x, "gas", cli_jstr(eic_gas_key((eic_gas)g)));
			}
		}
	for (size_t i = 0; !fail && i < eic_scenario_result_party_count(r); i++) {
		const eic_scenario_party *p = eic_scenario_result_party(r, i);
		json_t *x = json_object(), *bau = json_object(), *scn = json_object();
		fail |= !x || !bau || !scn || json_array_append_new(parties, x);
		if (fail) {
			json_decref(bau);
			json_decref(scn);
			break;
		}
		for (int k = 0; k < EIC_IMPACT__N; k++) {
			fail |= cli_jset(bau, eic_impact_category_key((eic_impact_category)k),
			                 cli_jnum(p->bau[k]));
			fail |= cli_jset(scn, eic_impact_category_key((eic_impact_category)k),
			                 cli_jnum(p->scenario[k]));
		}
		fail |= cli_jset(x, "id", cli_jstr(p->id));
		fail |= cli_jset(x, "name", cli_jstr(p->name));
		fail |= cli_jset(x, "facility", json_boolean(p->is_facility));
		fail |= cli_jset(x, "bau", bau);
		fail |= cli_jset(x, "scenario", scn);
		json_t *ivs = json_object();
		fail |= !ivs;
		for (int k = 0; !fail && k < EIC_IMPACT__N; k++)
			if (!isnan(p->change_draws[k].p05))
				fail |=
				    cli_jset(ivs, eic_impact_category_key((eic_impact_category)k),
				             interval_json(&p->change_draws[k]));
		fail |= cli_jset(x, "change_draws", ivs);
	}
	for (size_t i = 0; !fail && i < eic_scenario_result_flow_change_count(r); i++) {
		const eic_scenario_flow_change *fc = eic_scenario_result_flow_change(r, i);
		json_t *x = json_object();
		fail |= !x || json_array_append_new(flows, x);
		if (fail)
			break;
		fail |= cli_jset(x, "flow", cli_jstr(fc->flow));
		fail |= cli_jset(x, "material", cli_jstr(fc->material));
		fail |= cli_jset(x, "unit", cli_jstr(fc->unit));
		fail |= cli_jset(x, "bau", cli_jnum(fc->bau));
		fail |= cli_jset(x, "scenario", cli_jnum(fc->scenario));
		fail |= cli_jset(x, "change", cli_jnum(fc->scenario - fc->bau));
	}
	for (size_t i = 0; !fail && i < eic_scenario_result_note_count(r); i++) {
		const eic_scenario_note *n = eic_scenario_result_note(r, i);
		json_t *x = json_object();
		fail |= !x || json_array_append_new(notes, x);
		if (fail)
			break;
		fail |= cli_jset(x, "category", cli_jstr(eic_impact_category_key(n->category)));
		fail |= cli_jset(x, "text", cli_jstr(n->text));
	}
	for (size_t i = 0; !fail && i < eic_scenario_result_factor_count(r); i++) {
		const eic_factor *f = eic_scenario_result_factor(r, i);
		json_t *x = json_object();
		fail |= !x || json_array_append_new(factors, x);
		if (fail)
			break;
		fail |= cli_jset(x, "parameter", cli_jstr(f->parameter));
		fail |= cli_jset(x, "key", cli_jstr(f->key));
		fail |= cli_jset(x, "value", cli_jnum(f->value));
		fail |= cli_jset(x, "unit", cli_jstr(f->unit));
		fail |= cli_jset(x, "source", cli_jstr(f->source));
		fail |= cli_jset(x, "checked", json_boolean(f->checked));
	}
	if (!fail) {
		size_t years = eic_scenario_result_years(r);
		json_t *cb = json_array(), *cs = json_array();
		fail |= !cb || !cs;
		for (size_t y = 0; !fail && y <= years; y++) {
			fail |= json_array_append_new(
			    cb, cli_jnum(eic_scenario_result_cumulative_cost(r, 0)[y]));
			fail |= json_array_append_new(
			    cs, cli_jnum(eic_scenario_result_cumulative_cost(r, 1)[y]));
		}
		fail |= cli_jset(money, "currency", cli_jstr(eic_scenario_result_currency(r)));
		fail |= cli_jset(money, "years", json_integer((json_int_t)years));
		fail |= cli_jset(money, "discount_rate",
		                 cli_jnum(eic_scenario_result_discount_rate(r)));
		fail |=
		    cli_jset(money, "npv_cost_bau", cli_jnum(eic_scenario_result_npv_cost(r, 0)));
		fail |= cli_jset(money, "npv_cost_scenario",
		                 cli_jnum(eic_scenario_result_npv_cost(r, 1)));
		fail |= cli_jset(money, "cumulative_cost_bau", cb);
		fail |= cli_jset(money, "cumulative_cost_scenario", cs);
		fail |= cli_jset(fuel, "petrol_l",
		                 cli_jnum(eic_scenario_result_fuel_litres(r, "motor_gasoline")));
		fail |= cli_jset(fuel, "kerosene_l",
		                 cli_jnum(eic_scenario_result_fuel_litres(r, "other_kerosene")));
		fail |= cli_jset(fuel, "diesel_l",
		                 cli_jnum(eic_scenario_result_fuel_litres(r, "gas_diesel_oil")));
	}
	if (!fail) {
		fail |= cli_jset(o, "alternative", cli_jstr(eic_scenario_alternative_id(s, alt)));
		fail |= cli_jset(o, "name", cli_jstr(eic_scenario_alternative_name(s, alt)));
		fail |= cli_jset(o, "gwp", cli_jstr(eic_scenario_result_gwp_set(r)));
		fail |= cli_jset(o, "climate_zone", cli_jstr(eic_scenario_result_climate_zone(r)));
		fail |= cli_jset(o, "horizon_years",
		                 json_integer((json_int_t)eic_scenario_result_horizon(r)));
		fail |=
		    cli_jset(o, "draws", json_integer((json_int_t)eic_scenario_result_draws(r)));
		fail |= cli_jset(o, "seed", json_integer((json_int_t)eic_scenario_result_seed(r)));
		const eic_scenario_reference *ref = eic_scenario_result_reference(r);
		json_t *jr = ref ? json_object() : json_null();
		fail |= !jr;
		if (ref && jr) {
			fail |= cli_jset(jr, "kind", cli_jstr(ref->kind));
			fail |= cli_jset(jr, "id", cli_jstr(ref->id));
			fail |= cli_jset(jr, "material", cli_jstr(ref->material));
			fail |= cli_jset(jr, "unit", cli_jstr(ref->unit));
			fail |= cli_jset(jr, "bau", cli_jnum(ref->bau));
			fail |= cli_jset(jr, "scenario", cli_jnum(ref->scenario));
		}
		fail |= cli_jset(o, "per", jr);
		fail |= cli_jset(o, "categories", cats);
		fail |= cli_jset(o, "ghg_by_source", ghg);
		fail |= cli_jset(o, "energy_recovered_fuel_equivalents", fuel);
		fail |= cli_jset(o, "by_actor", parties);
		fail |= cli_jset(o, "flow_changes", flows);
		fail |= cli_jset(o, "money_over_time", money);
		fail |= cli_jset(o, "notes", notes);
		fail |= cli_jset(o, "factors", factors);
		cats = ghg = parties = flows = notes = factors = money = fuel = NULL;
	}
	json_decref(cats);
	json_decref(ghg);
	json_decref(parties);
	json_decref(flows);
	json_decref(notes);
	json_decref(factors);
	json_decref(money);
	json_decref(fuel);
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int cli_cmd_impact(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	int status, error;
	eic_cluster *cluster = NULL;
	eic_scenario *scenario = NULL;
	eic_factors *factors = NULL;
	eic_diags *diags = NULL;
	json_t *root = NULL;
	eic_scenario_options opt = EIC_SCENARIO_OPTIONS_INIT;
	size_t first = 0, last = 0;
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	opt.draws = 1000;
	if (args.value[OPT_DRAWS] &&
	    parse_count(&opt.draws, args.value[OPT_DRAWS], EIC_SCENARIO_MAX_DRAWS) < 0)
		return cli_usage_error(ctx, "--draws: '%s' is not a number of draws from 0 to %d",
		                       args.value[OPT_DRAWS], EIC_SCENARIO_MAX_DRAWS);
	if (args.value[OPT_SEED]) {
		size_t seed = 0;
		if (parse_count(&seed, args.value[OPT_SEED], SIZE_MAX) < 0)
			return cli_usage_error(ctx, "--seed: '%s' is not a whole number",
			                       args.value[OPT_SEED]);
		opt.seed = (uint64_t)seed;
	}
	if (args.value[OPT_HORIZON] &&
	    (parse_count(&opt.horizon_years, args.value[OPT_HORIZON], EIC_FOD_MAX_YEARS) < 0 ||
	     opt.horizon_years == 0))
		return cli_usage_error(ctx, "--horizon: '%s' is not a number of years from 1 to %d",
		                       args.value[OPT_HORIZON], EIC_FOD_MAX_YEARS);
	opt.gwp_set = args.value[OPT_GWP];
	opt.climate_zone = args.value[OPT_ZONE];
	opt.activity_uncertainty = args.value[OPT_NO_ACTIVITY] ? 0 : 1;
	if (args.value[OPT_PER] && args.value[OPT_PER_MATERIAL])
		return cli_usage_error(ctx,
		                       "--per and --per-material: give one reference, not both");
	if (args.value[OPT_ABSOLUTE] && (args.value[OPT_PER] || args.value[OPT_PER_MATERIAL]))
		return cli_usage_error(ctx, "--absolute with --per or --per-material: choose one");
	opt.per_flow = args.value[OPT_PER];
	opt.per_material = args.value[OPT_PER_MATERIAL];
	opt.per_unit = args.value[OPT_PER_UNIT];
	opt.per_off = args.value[OPT_ABSOLUTE] ? 1 : 0;
	if (opt.per_unit) {
		eic_unit u;
		if (eic_unit_parse(&u, opt.per_unit) < 0)
			return cli_usage_error(
			    ctx,
			    "--per-unit: unknown unit '%s' (expected a unit such "
			    "as t, kg, m3, MWh)",
			    opt.per_unit);
	}
	if (args.value[OPT_ACTOR_INTERVALS]) {
		char bad[64];
		if (parse_categories(&opt.actor_intervals, args.value[OPT_ACTOR_INTERVALS], bad,
		                     sizeof(bad)) < 0)
			return cli_usage_error(ctx,
			                       "--actor-intervals: unknown category '%s' (expected "
			                       "'all', 'none' or keys such as ghg,landfill,cost)",
			                       bad);
	}
	const char *arg = args.args[0];
	int is_pkg = cli_is_package_path(arg);
	status = is_pkg ? cli_read_package(&cluster, ctx, arg, 0, NULL, NULL)
	                : cli_load_cluster(&cluster, ctx, arg);
	if (status != 0)
		return status;
	if ((error = eic_diags_new(&diags, 1000)) < 0 || (error = eic_factors_new(&factors)) < 0) {
		status = cli_status_of(error);
		goto done;
	}
	error = eic_factors_load_for_cluster(factors, is_pkg ? arg : NULL, diags);
	if (!error && args.value[OPT_FACTORS])
		error = eic_factors_load_file(factors, args.value[OPT_FACTORS], diags);
	if (error < 0) {
		cli_print_diags(stderr, diags);
		status = cli_status_of(error);
		goto done;
	}
	if (args.value[OPT_SCENARIO])
		error = eic_scenario_read(&scenario, cluster, args.value[OPT_SCENARIO], diags);
	else
		error = eic_scenario_load_default(&scenario, cluster, is_pkg ? arg : NULL, diags);
	if (error < 0) {
		cli_print_diags(stderr, diags);
		status = cli_status_of(error);
		goto done;
	}
	last = eic_scenario_alternative_count(scenario);
	if (args.value[OPT_ALTERNATIVE]) {
		if (eic_scenario_find_alternative(&first, scenario, args.value[OPT_ALTERNATIVE]) <
		    0) {
			cli_error(ctx, "no alternative '%s' in the scenario",
			          args.value[OPT_ALTERNATIVE]);
			status = CLI_EXIT_USAGE;
			goto done;
		}
		last = first + 1;
	}
	if (ctx->json) {
		json_t *alts = json_array();
		root = json_object();
		if (!root || !alts ||
		    cli_jset(root, "cluster", cli_jstr(eic_cluster_info_get(cluster)->id)) ||
		    cli_jset(root, "scenario", cli_jstr(eic_scenario_name(scenario))) ||
		    cli_jset(root, "derived", json_boolean(eic_scenario_is_derived(scenario))) ||
		    cli_jset(root, "alternatives", alts)) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	for (size_t a = first; a < last; a++) {
		eic_scenario_result *r = NULL;
		error = eic_scenario_evaluate(&r, cluster, scenario, a, factors, &opt, diags);
		if (error < 0) {
			cli_print_diags(stderr, diags);
			status = cli_status_of(error);
			goto done;
		}
		if (ctx->json) {
			json_t *x = result_json(scenario, a, r);
			if (!x || json_array_append_new(json_object_get(root, "alternatives"), x)) {
				eic_scenario_result_free(r);
				status = CLI_EXIT_INTERNAL;
				goto done;
			}
		} else {
			if (a > first)
				printf("\n");
			if (print_human(cluster, scenario, a, r) < 0) {
				eic_scenario_result_free(r);
				status = CLI_EXIT_INTERNAL;
				goto done;
			}
		}
		eic_scenario_result_free(r);
	}
	if (ctx->json) {
		status = cli_print_json(root);
		root = NULL;
	}
done:
	if (status == CLI_EXIT_INTERNAL && error == EIC_ENOMEM)
		cli_error(ctx, "out of memory");
	json_decref(root);
	eic_scenario_free(scenario);
	eic_factors_free(factors);
	eic_diags_free(diags);
	eic_cluster_free(cluster);
	return status;
}
