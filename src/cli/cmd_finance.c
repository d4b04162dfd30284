/* cmd_finance.c: `eic finance`: appraisal of a project file or of a cluster's candidate facility,
 * its yearly cash flows, the death valley and the comparison of financing options. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_PROJECT,
	OPT_FACILITY,
	OPT_LEVEL,
	OPT_OPTION,
	OPT_EQUITY,
	OPT_MIN_RESERVE,
	OPT_DISCOUNT,
	OPT_INFLATION,
	OPT_TAX,
	OPT_REVENUE,
	OPT_AVOIDED,
	OPT_OPEX,
	OPT_LIFE,
	OPT_CO2E,
};

const cli_option cli_finance_options[] = {
    {"project", 0, "FILE", "appraise a finance project file (JSON, docs/format.md)"},
    {"facility", 0, "ID", "appraise a candidate shared facility of the cluster"},
    {"level", 0, "L", "the facility's capacity level (default: the first listed)"},
    {"option", 0, "SPEC", "a financing option INSTRUMENT[:key=value,...] (repeatable)"},
    {"equity", 0, "AMOUNT", "owner's cash available for the death valley (default 0)"},
    {"min-reserve", 0, "AMOUNT", "cash the owner must keep in every year (default 0)"},
    {"discount-rate", 0, "R", "nominal yearly discount rate (facility default 0.10)"},
    {"inflation", 0, "R", "yearly inflation (facility default 0)"},
    {"tax-rate", 0, "R", "income tax rate of a facility (default 0)"},
    {"revenue-per-yr", 0, "AMOUNT", "facility revenue per year (instead of material prices)"},
    {"avoided-cost-per-yr", 0, "AMOUNT", "facility avoided costs per year"},
    {"opex-per-yr", 0, "AMOUNT", "facility operating cost per year (instead of the level's)"},
    {"life-years", 0, "N", "facility life in years (instead of lifetime_yr)"},
    {"co2e-t-per-yr", 0, "T", "tonnes of CO2e avoided per year"},
    {NULL, 0, NULL, NULL},
};

#define MAX_SPECS 32

/* Money with thousands separators: whole units from 100 up, cents below. */
static void fmt_money(char *buf, size_t size, double v)
{
	char tmp[64];
	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return;
	}
	if (v == 0) {
		snprintf(buf, size, "0");
		return;
	}
	snprintf(tmp, sizeof(tmp), fabs(v) >= 100 ? "%.0f" : "%.2f", v);
	if (!strcmp(tmp, "-0") || !strcmp(tmp, "-0.00"))
		memmove(tmp, tmp + 1, strlen(tmp));
	const char *d = tmp[0] == '-' ? tmp + 1 : tmp;
	const char *dot = strchr(d, '.');
	size_t int_len = dot ? (size_t)(dot - d) : strlen(d), o = 0;
	if (tmp[0] == '-' && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < int_len && o + 2 < size; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	for (const char *p = dot; p && *p && o + 1 < size; p++)
		buf[o++] = *p;
	buf[o] = '\0';
}

static void fmt_pct(char *buf, size_t size, double share)
{
	snprintf(buf, size, "%.2f %%", share * 100.0);
}

static int parse_amount(const cli_ctx *ctx, const char *name, const char *text, double lo,
                        double hi, double *out)
{
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || !isfinite(v) || v < lo || v > hi) {
		cli_usage_error(ctx, "--%s %s: expected a number from %g to %g", name, text, lo,
		                hi);
		return -1;
	}
	*out = v;
	return 0;
}

static const char *irr_status_name(eic_fin_irr_status s)
{
	return s == EIC_FIN_IRR_UNIQUE ? "unique" : s == EIC_FIN_IRR_MULTIPLE ? "multiple" : "none";
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static json_t *jnum_or_null(int has, double v)
{
	return has ? cli_jnum(v) : json_null();
}

static json_t *metrics_json(const eic_fin_metrics *m)
{
	json_t *o = json_object(), *irr = json_object(), *roots = json_array();
	int fail = !o || !irr || !roots;
	for (size_t i = 0; !fail && i < m->irr.root_count && i < EIC_FIN_IRR_MAX_ROOTS; i++)
		fail |= json_array_append_new(roots, cli_jnum(m->irr.roots[i])) != 0;
	fail |= cli_jset(irr, "status", json_string(irr_status_name(m->irr.status)));
	fail |=
	    cli_jset(irr, "rate", jnum_or_null(m->irr.status == EIC_FIN_IRR_UNIQUE, m->irr.rate));
	fail |= cli_jset(irr, "roots", roots);
	roots = NULL;
	fail |= cli_jset(irr, "sign_changes", json_integer((json_int_t)m->irr.sign_changes));
	fail |= cli_jset(irr, "message", cli_jstr(m->irr.message));
	fail |= cli_jset(o, "npv", cli_jnum(m->npv));
	fail |= cli_jset(o, "irr", irr);
	irr = NULL;
	fail |= cli_jset(o, "mirr", jnum_or_null(m->has_mirr, m->mirr));
	fail |= cli_jset(o, "payback_years", jnum_or_null(m->has_payback, m->payback));
	fail |= cli_jset(o, "payback_recrosses", json_boolean(m->payback_recrosses));
	fail |= cli_jset(o, "discounted_payback_years",
	                 jnum_or_null(m->has_discounted_payback, m->discounted_payback));
	fail |= cli_jset(o, "benefit_cost", jnum_or_null(m->has_benefit_cost, m->benefit_cost));
	fail |= cli_jset(o, "annual_savings", cli_jnum(m->annual_savings));
	json_decref(irr);
	json_decref(roots);
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *valley_json(const eic_fin_valley *v)
{
	json_t *o = json_object();
	int fail = !o;
	fail |= cli_jset(o, "has_trough", json_boolean(v->has_trough));
	fail |= cli_jset(o, "depth", cli_jnum(v->depth));
	fail |= cli_jset(o, "depth_year", json_integer(v->depth_year));
	fail |= cli_jset(o, "trough_start", json_integer(v->trough_start));
	fail |= cli_jset(o, "break_even_years", jnum_or_null(v->has_break_even, v->break_even));
	fail |= cli_jset(o, "duration_years", cli_jnum(v->duration));
	fail |= cli_jset(o, "equity", cli_jnum(v->equity));
	fail |= cli_jset(o, "funding_gap", cli_jnum(v->funding_gap));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *project_json(const eic_fin_case *c)
{
	const eic_fin_project *p = eic_fin_case_project(c);
	const eic_fin_options *o = eic_fin_case_options(c);
	json_t *j = json_object(), *capex = json_array();
	int fail = !j || !capex;
	for (size_t i = 0; !fail && i < p->capex_count; i++)
		fail |= json_array_append_new(capex, cli_jnum(p->capex[i])) != 0;
	fail |= cli_jset(j, "id", cli_jstr(p->id));
	fail |= cli_jset(j, "name", cli_jstr(p->name));
	fail |= cli_jset(j, "currency", json_string(eic_fin_case_currency(c)));
	fail |= cli_jset(j, "convention",
	                 json_string(o->convention == EIC_FIN_SAM ? "SAM" : "RETScreen"));
	fail |= cli_jset(j, "discount_rate", cli_jnum(o->discount_rate));
	fail |= cli_jset(j, "inflation", cli_jnum(o->inflation));
	fail |= cli_jset(j, "life_years", json_integer(p->life_years));
	fail |= cli_jset(j, "first_operating_year", json_integer(p->first_operating_year));
	fail |= cli_jset(j, "capex", capex);
	capex = NULL;
	fail |= cli_jset(j, "revenue", cli_jnum(p->revenue));
	fail |= cli_jset(j, "avoided_cost", cli_jnum(p->avoided_cost));
	fail |= cli_jset(j, "opex_fixed", cli_jnum(p->opex_fixed));
	fail |= cli_jset(j, "opex_variable", cli_jnum(p->opex_variable));
	fail |= cli_jset(j, "energy_per_year", cli_jnum(p->energy_per_year));
	fail |= cli_jset(j, "energy_unit", json_string(eic_fin_case_energy_unit(c)));
	fail |= cli_jset(j, "co2e_t_per_year", cli_jnum(p->co2e_t_per_year));
	fail |= cli_jset(j, "salvage_value", cli_jnum(p->salvage_value));
	fail |= cli_jset(j, "capital_subsidy_share", cli_jnum(p->capital_subsidy_share));
	fail |= cli_jset(j, "grant", cli_jnum(p->grant));
	fail |= cli_jset(j, "tax_rate", cli_jnum(p->tax_rate));
	fail |= cli_jset(j, "equity_available", cli_jnum(p->equity_available));
	fail |= cli_jset(j, "min_reserve", cli_jnum(eic_fin_case_min_reserve(c)));
	json_decref(capex);
	if (fail) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *strings_json(const eic_fin_case *c, int missing)
{
	json_t *a = json_array();
	size_t n = missing ? eic_fin_case_missing_count(c) : eic_fin_case_note_count(c);
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, cli_jstr(missing ? eic_fin_case_missing(c, i)
		                                              : eic_fin_case_note(c, i))) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *year_json(const eic_fin_year *y)
{
	json_t *o = json_object();
	int fail = !o;
	fail |= cli_jset(o, "year", json_integer(y->year));
	fail |= cli_jset(o, "output_share", cli_jnum(y->output_share));
	fail |= cli_jset(o, "capex", cli_jnum(y->capex));
	fail |= cli_jset(o, "subsidy", cli_jnum(y->subsidy));
	fail |= cli_jset(o, "revenue", cli_jnum(y->revenue));
	fail |= cli_jset(o, "avoided_cost", cli_jnum(y->avoided_cost));
	fail |= cli_jset(o, "opex", cli_jnum(y->opex));
	fail |= cli_jset(o, "salvage", cli_jnum(y->salvage));
	fail |= cli_jset(o, "energy", cli_jnum(y->energy));
	fail |= cli_jset(o, "co2e_t", cli_jnum(y->co2e_t));
	fail |= cli_jset(o, "pre_tax", cli_jnum(y->pre_tax));
	fail |= cli_jset(o, "depreciation", cli_jnum(y->depreciation));
	fail |= cli_jset(o, "tax", cli_jnum(y->tax));
	fail |= cli_jset(o, "after_tax", cli_jnum(y->after_tax));
	fail |= cli_jset(o, "debt_drawn", cli_jnum(y->debt_drawn));
	fail |= cli_jset(o, "debt_interest", cli_jnum(y->debt_interest));
	fail |= cli_jset(o, "debt_principal", cli_jnum(y->debt_principal));
	fail |= cli_jset(o, "equity", cli_jnum(y->equity));
	fail |= cli_jset(o, "cumulative_pre_tax", cli_jnum(y->cumulative_pre_tax));
	fail |= cli_jset(o, "cumulative_after_tax", cli_jnum(y->cumulative_after_tax));
	fail |= cli_jset(o, "cumulative_equity", cli_jnum(y->cumulative_equity));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *option_json(const eic_fin_option_result *r, size_t years)
{
	const eic_fin_option *o = r->option;
	json_t *j = json_object(), *flows = json_array();
	int fail = !j || !flows;
	for (size_t t = 0; !fail && t < years; t++)
		fail |= json_array_append_new(flows, cli_jnum(r->flows[t])) != 0;
	fail |= cli_jset(j, "rank", r->valid ? json_integer(r->rank) : json_null());
	fail |= cli_jset(j, "id", cli_jstr(o->id));
	fail |= cli_jset(j, "name", cli_jstr(o->name));
	fail |= cli_jset(j, "instrument", json_string(eic_fin_instrument_name(o->instrument)));
	fail |= cli_jset(j, "source", cli_jstr(o->source));
	fail |= cli_jset(j, "valid", json_boolean(r->valid));
	fail |= cli_jset(j, "problem", cli_jstr(r->problem));
	fail |= cli_jset(j, "terms", cli_jstr(r->terms));
	fail |= cli_jset(j, "financed", cli_jnum(r->financed));
	fail |= cli_jset(j, "subsidy", cli_jnum(r->subsidy));
	fail |= cli_jset(j, "instalment", cli_jnum(r->instalment));
	fail |= cli_jset(j, "instalments", json_integer(r->instalments));
	fail |= cli_jset(j, "periods_per_year", json_integer(r->periods_per_year));
	fail |= cli_jset(j, "apr", jnum_or_null(r->has_rate, r->apr));
	fail |= cli_jset(j, "ear", jnum_or_null(r->has_rate, r->ear));
	fail |= cli_jset(j, "finance_npv", r->valid ? cli_jnum(r->finance_npv) : json_null());
	fail |= cli_jset(j, "owner_npv", r->valid ? cli_jnum(r->owner_npv) : json_null());
	fail |= cli_jset(j, "closes", json_boolean(r->valid && r->closes));
	fail |= cli_jset(j, "min_cash", r->valid ? cli_jnum(r->min_cash) : json_null());
	fail |= cli_jset(j, "worst_year", r->valid ? json_integer(r->worst_year) : json_null());
	fail |= cli_jset(j, "shortfall", r->valid ? cli_jnum(r->shortfall) : json_null());
	fail |= cli_jset(j, "valley_depth", r->valid ? cli_jnum(r->valley_depth) : json_null());
	fail |= cli_jset(j, "flows", flows);
	flows = NULL;
	if (r->has_fund) {
		json_t *f = json_object();
		fail |= !f;
		fail |= cli_jset(f, "loans_issued", json_integer(r->fund_loans));
		fail |= cli_jset(f, "years", json_integer(r->fund_years));
		fail |= cli_jset(f, "capital_preserved", json_boolean(r->fund_capital_preserved));
		fail |= cli_jset(f, "ran_dry", json_boolean(r->fund_ran_dry));
		fail |= cli_jset(j, "fund", f);
	}
	if (r->has_group) {
		json_t *g = json_object();
		fail |= !g;
		fail |= cli_jset(g, "repayment_rate", cli_jnum(r->group_repayment_rate));
		fail |= cli_jset(g, "cover_share", cli_jnum(r->group_cover_share));
		fail |= cli_jset(j, "group", g);
	}
	json_decref(flows);
	if (fail) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *finance_json(const char *source, const eic_fin_case *c, const eic_fin_appraisal *a,
                            const eic_fin_comparison *cmp, int has_breakeven, double breakeven)
{
	json_t *root = json_object();
	int fail = !root;
	fail |= cli_jset(root, "source", json_string(source));
	fail |= cli_jset(root, "project", project_json(c));
	fail |= cli_jset(root, "complete", json_boolean(eic_fin_case_complete(c)));
	fail |= cli_jset(root, "missing", strings_json(c, 1));
	fail |= cli_jset(root, "breakeven_revenue_per_yr", jnum_or_null(has_breakeven, breakeven));
	if (a && !fail) {
		const eic_fin_summary *s = eic_fin_appraisal_summary(a);
		json_t *sum = json_object(), *years = json_array(), *notes = json_array();
		fail |= !sum || !years || !notes;
		fail |= cli_jset(sum, "discount_nominal", cli_jnum(s->discount_nominal));
		fail |= cli_jset(sum, "discount_real", cli_jnum(s->discount_real));
		fail |= cli_jset(sum, "inflation", cli_jnum(s->inflation));
		fail |= cli_jset(sum, "net_capital_cost", cli_jnum(s->net_capital_cost));
		fail |= cli_jset(sum, "pre_tax", metrics_json(&s->pre_tax));
		fail |= cli_jset(sum, "after_tax", metrics_json(&s->after_tax));
		fail |= cli_jset(sum, "equity", metrics_json(&s->equity));
		if (s->has_lcoe) {
			json_t *l = json_object();
			fail |= !l;
			fail |= cli_jset(l, "nominal", cli_jnum(s->lcoe_nominal));
			fail |= cli_jset(l, "real", cli_jnum(s->lcoe_real));
			fail |= cli_jset(l, "fcr", cli_jnum(s->lcoe_fcr));
			fail |= cli_jset(l, "fixed_charge_rate", cli_jnum(s->fixed_charge_rate));
			fail |=
			    cli_jset(l, "energy_unit", json_string(eic_fin_case_energy_unit(c)));
			fail |= cli_jset(sum, "lcoe", l);
		} else {
			fail |= cli_jset(sum, "lcoe", json_null());
		}
		if (s->has_co2e) {
			json_t *l = json_object();
			fail |= !l;
			fail |= cli_jset(l, "tonnes", cli_jnum(s->co2e_t));
			fail |= cli_jset(l, "tonnes_discounted", cli_jnum(s->co2e_t_discounted));
			fail |= cli_jset(l, "cost_per_t", cli_jnum(s->cost_per_t));
			fail |= cli_jset(l, "cost_per_t_undiscounted",
			                 cli_jnum(s->cost_per_t_undiscounted));
			fail |= cli_jset(sum, "co2e", l);
		} else {
			fail |= cli_jset(sum, "co2e", json_null());
		}
		for (size_t i = 0; !fail && i < eic_fin_appraisal_year_count(a); i++)
			fail |=
			    json_array_append_new(years, year_json(eic_fin_appraisal_year(a, i)));
		for (size_t i = 0; !fail && i < eic_fin_appraisal_note_count(a); i++)
			fail |=
			    json_array_append_new(notes, cli_jstr(eic_fin_appraisal_note(a, i)));
		for (size_t i = 0; !fail && i < eic_fin_case_note_count(c); i++)
			fail |= json_array_append_new(notes, cli_jstr(eic_fin_case_note(c, i)));
		fail |= cli_jset(root, "summary", sum);
		fail |= cli_jset(root, "years", years);
		fail |= cli_jset(root, "notes", notes);
	} else if (!fail) {
		fail |= cli_jset(root, "notes", strings_json(c, 0));
	}
	if (cmp && !fail) {
		json_t *opts = json_array();
		size_t years = eic_fin_appraisal_year_count(a);
		fail |= !opts;
		fail |= cli_jset(root, "death_valley", valley_json(eic_fin_comparison_valley(cmp)));
		for (size_t i = 0; !fail && i < eic_fin_comparison_count(cmp); i++)
			fail |= json_array_append_new(
			            opts, option_json(eic_fin_comparison_at(cmp, i), years)) != 0;
		fail |= cli_jset(root, "options", opts);
		fail |= cli_jset(root, "options_are_defaults",
		                 json_boolean(eic_fin_case_options_are_defaults(c)));
		fail |= cli_jset(root, "verdict", json_string(eic_fin_comparison_verdict(cmp)));
	}
	if (fail) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* ---- text ---------------------------------------------------------------------------------- */

static void print_metric(const char *label, int has, const char *value, const char *why)
{
	printf("  %-28s %s\n", label, has ? value : why);
}

static int print_text(const char *source, const eic_fin_case *c, const eic_fin_appraisal *a,
                      const eic_fin_comparison *cmp)
{
	const eic_fin_project *p = eic_fin_case_project(c);
	const eic_fin_options *o = eic_fin_case_options(c);
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	const char *cur = eic_fin_case_currency(c);
	char b1[64], b2[256], b3[64];
	int rc = 0;

	printf("Finance: %s (%s)\n", p->name && *p->name ? p->name : (p->id ? p->id : "project"),
	       source);
	fmt_pct(b1, sizeof(b1), s->discount_nominal);
	fmt_pct(b2, sizeof(b2), s->inflation);
	printf("Money in %s; discount rate %s/yr nominal (%s convention), inflation %s/yr; "
	       "life %d years from year %d.\n\n",
	       *cur ? cur : "the project's currency", b1,
	       o->convention == EIC_FIN_SAM ? "SAM" : "RETScreen", b2, p->life_years,
	       p->first_operating_year);

	const eic_fin_metrics *m = &s->after_tax;
	printf("Appraisal of the project before financing%s\n",
	       p->tax_rate > 0 ? " (after tax)" : "");
	fmt_money(b1, sizeof(b1), m->npv);
	snprintf(b2, sizeof(b2), "%s %s", b1, cur);
	print_metric("NPV", 1, b2, "");
	if (m->irr.status == EIC_FIN_IRR_UNIQUE) {
		fmt_pct(b1, sizeof(b1), m->irr.rate);
		snprintf(b2, sizeof(b2), "%s/yr", b1);
		print_metric("IRR", 1, b2, "");
	} else {
		print_metric("IRR", 0, "", m->irr.message ? m->irr.message : "none");
	}
	fmt_pct(b1, sizeof(b1), m->mirr);
	snprintf(b2, sizeof(b2), "%s/yr", b1);
	print_metric("MIRR", m->has_mirr, b2, "none (the flows do not change sign)");
	snprintf(b2, sizeof(b2), "%.2f years%s", m->payback,
	         m->payback_recrosses ? " (the cumulative turns negative again later)" : "");
	print_metric("Simple payback", m->has_payback, b2, "never within the life");
	snprintf(b2, sizeof(b2), "%.2f years", m->discounted_payback);
	print_metric("Discounted payback", m->has_discounted_payback, b2, "never within the life");
	if (p->debt_ratio > 0) {
		snprintf(b2, sizeof(b2), "%.2f years", s->equity.payback);
		print_metric("Equity payback (with the project's debt)", s->equity.has_payback, b2,
		             "never within the life");
	}
	snprintf(b2, sizeof(b2), "%.3f", m->benefit_cost);
	print_metric("Benefit-cost ratio", m->has_benefit_cost, b2, "none (no costs)");
	fmt_money(b1, sizeof(b1), m->annual_savings);
	snprintf(b2, sizeof(b2), "%s %s/yr", b1, cur);
	print_metric("Annual life-cycle savings", 1, b2, "");
	if (s->has_lcoe) {
		const char *eu = eic_fin_case_energy_unit(c);
		snprintf(b2, sizeof(b2), "%.4g %s/%s (real %.4g; by FCR %.4g)", s->lcoe_nominal,
		         cur, *eu ? eu : "energy unit", s->lcoe_real, s->lcoe_fcr);
		print_metric("LCOE", 1, b2, "");
	}
	if (s->has_co2e) {
		fmt_money(b1, sizeof(b1), s->cost_per_t);
		fmt_money(b3, sizeof(b3), s->cost_per_t_undiscounted);
		snprintf(b2, sizeof(b2), "%s %s/t levelised (%s undiscounted)", b1, cur, b3);
		print_metric("Cost per t CO2e avoided", 1, b2, "");
	}

	/* yearly table */
	static const char *headers[] = {"YEAR", "CAPEX",   "SUBSIDY", "REVENUE",  "AVOIDED",
	                                "OPEX", "SALVAGE", "TAX",     "NET FLOW", "CUMULATIVE"};
	static const int right[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	cli_table t;
	cli_table_init(&t, 10, headers, right);
	for (size_t i = 0; i < eic_fin_appraisal_year_count(a); i++) {
		const eic_fin_year *y = eic_fin_appraisal_year(a, i);
		char cells[10][32];
		const char *row[10];
		snprintf(cells[0], 32, "%d", y->year);
		double v[9] = {-y->capex,       y->subsidy,   y->revenue,
		               y->avoided_cost, -y->opex,     y->salvage,
		               -y->tax,         y->after_tax, y->cumulative_after_tax};
		for (int k = 0; k < 9; k++)
			fmt_money(cells[k + 1], 32, v[k]);
		for (int k = 0; k < 10; k++)
			row[k] = cells[k];
		if (cli_table_add(&t, row) < 0)
			rc = -1;
	}
	printf("\nCash flow by year (%s; paid < 0, received > 0; before financing)\n",
	       *cur ? cur : "money");
	cli_table_print(stdout, &t, 2);
	cli_table_free(&t);

	const eic_fin_valley *v = eic_fin_comparison_valley(cmp);
	fmt_money(b3, sizeof(b3), v->equity);
	printf("\nDeath valley (owner's equity %s %s)\n", b3, cur);
	if (!v->has_trough) {
		printf("  none: the cumulative cash flow never goes below zero\n");
	} else {
		fmt_money(b1, sizeof(b1), v->depth);
		fmt_money(b2, sizeof(b2), v->funding_gap);
		printf(
		    "  depth %s %s in year %d; from year %d for %.2f years%s; funding gap %s %s\n",
		    b1, cur, v->depth_year, v->trough_start, v->duration,
		    v->has_break_even ? "" : " (no break-even within the life)", b2, cur);
	}

	static const char *oheaders[] = {"RANK",        "OPTION",     "CLOSES", "LOWEST CASH",
	                                 "YEAR",        "INSTALMENT", "APR",    "EAR",
	                                 "FINANCE NPV", "OWNER NPV"};
	static const int oright[] = {1, 0, 0, 1, 1, 1, 1, 1, 1, 1};
	cli_table_init(&t, 10, oheaders, oright);
	t.max_width = 44;
	for (size_t i = 0; i < eic_fin_comparison_count(cmp); i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		char cells[10][64];
		const char *row[10];
		for (int k = 0; k < 10; k++) {
			cells[k][0] = '\0';
			row[k] = cells[k];
		}
		row[1] = r->option->name;
		if (!r->valid) {
			snprintf(cells[0], 64, "-");
			snprintf(cells[2], 64, "not applicable");
		} else {
			snprintf(cells[0], 64, "%d", r->rank);
			snprintf(cells[2], 64, "%s", r->closes ? "yes" : "no");
			fmt_money(cells[3], 64, r->min_cash);
			snprintf(cells[4], 64, "%d", r->worst_year);
			if (r->instalments > 0)
				fmt_money(cells[5], 64, r->instalment);
			if (r->has_rate) {
				fmt_pct(cells[6], 64, r->apr);
				fmt_pct(cells[7], 64, r->ear);
			}
			fmt_money(cells[8], 64, r->finance_npv);
			fmt_money(cells[9], 64, r->owner_npv);
		}
		if (cli_table_add(&t, row) < 0)
			rc = -1;
	}
	printf("\nFinancing options%s (ranked: those that close the valley first, then the "
	       "cheapest; %s)\n",
	       eic_fin_case_options_are_defaults(c) ? ", the four defaults" : "",
	       *cur ? cur : "money");
	cli_table_print(stdout, &t, 2);
	cli_table_free(&t);
	printf("\n");
	for (size_t i = 0; i < eic_fin_comparison_count(cmp); i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		printf("  %s: %s\n", r->option->id, r->valid ? r->terms : r->problem);
		if (r->option->source && *r->option->source)
			printf("    source: %s\n", r->option->source);
	}
	printf("\nVerdict: %s\n", eic_fin_comparison_verdict(cmp));
	size_t notes = eic_fin_appraisal_note_count(a) + eic_fin_case_note_count(c);
	if (notes) {
		printf("\nNotes\n");
		for (size_t i = 0; i < eic_fin_case_note_count(c); i++)
			printf("  - %s\n", eic_fin_case_note(c, i));
		for (size_t i = 0; i < eic_fin_appraisal_note_count(a); i++)
			printf("  - %s\n", eic_fin_appraisal_note(a, i));
	}
	return rc;
}

/* What is missing, and the revenue that would make the project break even. */
static void print_missing(const cli_ctx *ctx, const char *source, const eic_fin_case *c,
                          int has_breakeven, double breakeven)
{
	const eic_fin_project *p = eic_fin_case_project(c);
	const char *cur = eic_fin_case_currency(c);
	cli_error(ctx, "cannot appraise %s: data missing", source);
	fprintf(stderr, "Missing:\n");
	for (size_t i = 0; i < eic_fin_case_missing_count(c); i++)
		fprintf(stderr, "  - %s\n", eic_fin_case_missing(c, i));
	if (has_breakeven) {
		char b1[64], b2[64];
		fmt_money(b1, sizeof(b1), breakeven);
		fmt_pct(b2, sizeof(b2), eic_fin_case_options(c)->discount_rate);
		fprintf(stderr,
		        "To break even over %d years at %s/yr, %s needs at least %s %s/yr of "
		        "revenue plus avoided costs.\n",
		        p->life_years, b2, p->name ? p->name : "the project", b1, cur);
	}
	fprintf(stderr, "Give the missing figures with --revenue-per-yr, --avoided-cost-per-yr or "
	                "--life-years (see 'eic help finance').\n");
}

int cli_cmd_finance(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_fin_case *fc = NULL;
	eic_fin_appraisal *a = NULL;
	eic_fin_comparison *cmp = NULL;
	eic_diags *diags = NULL;
	const char *specs[MAX_SPECS];
	size_t spec_count = 0;
	int status, error;

	/* --option may repeat: collect every occurrence before the parser keeps the last */
	for (int i = 1; i < argc; i++) {
		const char *s = NULL;
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--option") && i + 1 < argc)
			s = argv[++i];
		else if (!strncmp(argv[i], "--option=", 9))
			s = argv[i] + 9;
		if (s) {
			if (spec_count == MAX_SPECS)
				return cli_usage_error(ctx, "at most %d --option", MAX_SPECS);
			specs[spec_count++] = s;
		}
	}
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char *project = args.value[OPT_PROJECT], *facility = args.value[OPT_FACILITY];
	if (project && (facility || args.arg_count > 0))
		return cli_usage_error(ctx, "give either --project FILE or CLUSTER --facility ID");
	if (!project && (!facility || args.arg_count != 1))
		return cli_usage_error(ctx, "give --project FILE, or a CLUSTER (or package path) "
		                            "and --facility ID");
	if (project) {
		for (int k = OPT_LEVEL; k <= OPT_CO2E; k++)
			if (args.value[k] && k != OPT_OPTION && k != OPT_EQUITY &&
			    k != OPT_MIN_RESERVE && k != OPT_DISCOUNT)
				return cli_usage_error(
				    ctx, "--%s applies to a facility; write it in the project file",
				    cli_finance_options[k].name);
	}
	double equity = -1, reserve = -1, discount = -2;
	eic_fin_facility_options fo = EIC_FIN_FACILITY_OPTIONS_INIT;
	struct {
		int opt;
		double lo, hi, *dst;
	} nums[] = {
	    {OPT_EQUITY, 0, 1e15, &equity},
	    {OPT_MIN_RESERVE, 0, 1e15, &reserve},
	    {OPT_DISCOUNT, -0.99, 1, &discount},
	    {OPT_INFLATION, -0.5, 1, &fo.inflation},
	    {OPT_TAX, 0, 0.99, &fo.tax_rate},
	    {OPT_REVENUE, 0, 1e15, &fo.revenue_per_yr},
	    {OPT_AVOIDED, 0, 1e15, &fo.avoided_cost_per_yr},
	    {OPT_OPEX, 0, 1e15, &fo.opex_per_yr},
	    {OPT_LIFE, 1, EIC_FIN_MAX_LIFE_YEARS, &fo.life_years},
	    {OPT_CO2E, 0, 1e12, &fo.co2e_t_per_yr},
	};
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		if (args.value[nums[k].opt] &&
		    parse_amount(ctx, cli_finance_options[nums[k].opt].name,
		                 args.value[nums[k].opt], nums[k].lo, nums[k].hi, nums[k].dst) < 0)
			return CLI_EXIT_USAGE;

	if (eic_diags_new(&diags, 1000) < 0) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		return CLI_EXIT_INTERNAL;
	}
	char source[512];
	if (project) {
		snprintf(source, sizeof(source), "%s", project);
		error = eic_fin_case_read(&fc, diags, project);
	} else {
		status = cli_load_cluster(&cluster, ctx, args.args[0]);
		if (status != 0)
			goto done;
		fo.level = args.value[OPT_LEVEL];
		if (discount > -2)
			fo.discount_rate = discount;
		if (equity >= 0)
			fo.equity = equity;
		snprintf(source, sizeof(source), "facility %s of %s", facility, args.args[0]);
		error = eic_fin_case_from_facility(&fc, diags, cluster, facility, &fo);
	}
	cli_print_diags(stderr, diags);
	if (error < 0) {
		status = error == EIC_EIO || error == EIC_EINVALID || error == EIC_ENOTFOUND
		             ? CLI_EXIT_USAGE
		             : cli_status_of(error);
		if (error == EIC_EINVALID)
			cli_error(ctx, "%s is not a valid finance project file", project);
		goto done;
	}
	eic_fin_project proj = *eic_fin_case_project(fc);
	eic_fin_options fopts = *eic_fin_case_options(fc);
	if (project) {
		if (equity >= 0)
			proj.equity_available = equity;
		if (discount > -2)
			fopts.discount_rate = discount;
	}
	for (size_t i = 0; i < spec_count; i++) {
		eic_diags *sd = NULL;
		if (eic_diags_new(&sd, 100) < 0) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		error = eic_fin_case_add_option_spec(fc, sd, specs[i]);
		for (size_t k = 0; k < eic_diags_count(sd); k++)
			cli_error(ctx, "--option '%s': %s", specs[i],
			          eic_diags_get(sd, k)->message);
		eic_diags_free(sd);
		if (error < 0) {
			status = error == EIC_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
			goto done;
		}
	}
	double breakeven = 0;
	int has_breakeven = proj.life_years > 0 && proj.capex_count > 0 &&
	                    eic_fin_breakeven_revenue(&breakeven, &proj, &fopts) == 0;
	if (!eic_fin_case_complete(fc)) {
		if (ctx->json) {
			json_t *root =
			    finance_json(source, fc, NULL, NULL, has_breakeven, breakeven);
			if (!root || cli_print_json(root) != 0) {
				status = CLI_EXIT_INTERNAL;
				goto done;
			}
		}
		print_missing(ctx, source, fc, has_breakeven, breakeven);
		status = CLI_EXIT_USAGE;
		goto done;
	}
	eic_diags_free(diags);
	diags = NULL;
	if (eic_diags_new(&diags, 1000) < 0) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	error = eic_fin_appraise(&a, &proj, &fopts, diags);
	if (error < 0) {
		for (size_t k = 0; k < eic_diags_count(diags); k++)
			cli_error(ctx, "%s: %s", source, eic_diags_get(diags, k)->message);
		if (error != EIC_EINVALID)
			cli_error(ctx, "cannot appraise %s: %s", source, eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	eic_fin_compare_options co = EIC_FIN_COMPARE_OPTIONS_INIT;
	co.currency = eic_fin_case_currency(fc);
	co.min_reserve = reserve >= 0 ? reserve : eic_fin_case_min_reserve(fc);
	size_t opt_count = eic_fin_case_option_count(fc);
	const eic_fin_option *first = opt_count ? eic_fin_case_option(fc, 0) : NULL;
	error = eic_fin_compare(&cmp, a, first, opt_count, &co, diags);
	if (error < 0) {
		cli_error(ctx, "cannot compare the financing options: %s", eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	if (!ctx->json)
		for (size_t k = 0; k < eic_diags_count(diags); k++)
			if (eic_diags_get(diags, k)->severity == EIC_SEV_WARNING)
				cli_warn(ctx, "%s", eic_diags_get(diags, k)->message);
	status = CLI_EXIT_OK;
	if (ctx->json) {
		json_t *root = finance_json(source, fc, a, cmp, has_breakeven, breakeven);
		status = root ? cli_print_json(root) : CLI_EXIT_INTERNAL;
	} else if (print_text(source, fc, a, cmp) < 0) {
		status = CLI_EXIT_INTERNAL;
	}
	if (status == CLI_EXIT_INTERNAL)
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
done:
	eic_fin_comparison_free(cmp);
	eic_fin_appraisal_free(a);
	eic_fin_case_free(fc);
	eic_cluster_free(cluster);
	eic_diags_free(diags);
	return status;
}
