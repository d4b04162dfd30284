/* report_section.c: the "finance" section of the HTML report: each candidate shared facility
 * appraised, its cumulative cash flow drawn with the death valley marked, and four ways to pay. */
#include "report_section.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "finance_private.h"
#include "lib/report/report_private.h"

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

/* Chart geometry (SVG user units; the drawing scales to the column). */
#define CHART_W 1000.0
#define CHART_H 360.0
#define CHART_LEFT 92.0
#define CHART_RIGHT 18.0
#define CHART_TOP 34.0
#define CHART_BOTTOM 44.0

static const char *const option_colours[] = {"#1f77b4", "#e07b00", "#2a9d3a",
                                             "#8c4fbf", "#17becf", "#7f7f7f"};
#define OPTION_COLOURS (sizeof(option_colours) / sizeof(option_colours[0]))

static void money(char *buf, size_t size, double v)
{
	eic_fin__fmt_money(buf, size, v);
}

static void pct(char *buf, size_t size, double share)
{
	snprintf(buf, size, "%.1f %%", share * 100.0);
}

static int card(eic_html *h, const char *label, const char *value, const char *unit, int bad)
{
	int error = 0;
	TRY(eic_html_printf(h, "<div class=\"card%s\"><div class=\"k\">", bad ? " bad" : ""));
	TRY(eic_html_text(h, label));
	TRY(eic_html_raw(h, "</div><div class=\"v\">"));
	TRY(eic_html_text(h, value));
	if (unit && *unit) {
		TRY(eic_html_raw(h, "<span class=\"u\">"));
		TRY(eic_html_text(h, unit));
		TRY(eic_html_raw(h, "</span>"));
	}
	TRY(eic_html_raw(h, "</div></div>\n"));
done:
	return error;
}

/* A step of 1, 2 or 5 x 10^k giving about `ticks` intervals over span. */
static double nice_step(double span, int ticks)
{
	if (!(span > 0))
		return 1;
	double raw = span / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* Cumulative cash position of the owner (equity + cumulative of base + extra) by year. */
static void cash_position(double *out, const double *base, const double *extra, size_t n,
                          double equity)
{
	double c = equity;
	for (size_t t = 0; t < n; t++) {
		c += base[t] + (extra ? extra[t] : 0);
		out[t] = c;
	}
}

/* The chart: bars of the owner's cash position without finance, the death valley shaded and
 * labelled, and one line per financing option. `uid` keeps ids unique in the page. */
static int chart(eic_html *h, const eic_fin_appraisal *a, const eic_fin_comparison *cmp,
                 const char *cur, const char *title)
{
	int error = 0;
	size_t n_all = eic_fin_appraisal_year_count(a);
	const double *base = eic_fin_appraisal_series(a, "after_tax");
	const eic_fin_valley *v = eic_fin_comparison_valley(cmp);
	size_t k = eic_fin_comparison_count(cmp);
	/* the years that matter for the valley: up to 3 years after the break-even, the last
	 * payment of any option and the worst year of any option (at least 8 years) */
	size_t horizon = 8;
	if (v->has_break_even && (size_t)ceil(v->break_even) + 3 > horizon)
		horizon = (size_t)ceil(v->break_even) + 3;
	for (size_t i = 0; i < k; i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		for (size_t t = 0; r->valid && t < n_all; t++)
			if (fabs(r->flows[t]) > 0 && t + 3 > horizon)
				horizon = t + 3;
		if (r->valid && (size_t)r->worst_year + 3 > horizon)
			horizon = (size_t)r->worst_year + 3;
	}
	size_t n = horizon < n_all ? horizon : n_all;
	double *pos = eic_calloc(n_all * (k + 1), sizeof(double));
	char b1[64], b2[64];
	if (!pos)
		return EIC_ENOMEM;
	cash_position(pos, base, NULL, n_all, v->equity);
	double lo = 0, hi = 0;
	for (size_t i = 0; i < k; i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		if (r->valid)
			cash_position(pos + n_all * (i + 1), base, r->flows, n_all, v->equity);
	}
	for (size_t i = 0; i < n_all * (k + 1); i++) {
		if (i % n_all >= n ||
		    (i >= n_all && !eic_fin_comparison_at(cmp, i / n_all - 1)->valid))
			continue;
		lo = pos[i] < lo ? pos[i] : lo;
		hi = pos[i] > hi ? pos[i] : hi;
	}
	double step = nice_step(hi - lo, 6);
	lo = floor(lo / step) * step;
	hi = ceil(hi / step) * step;
	if (hi - lo < step)
		hi = lo + step;
	double pw = CHART_W - CHART_LEFT - CHART_RIGHT, ph = CHART_H - CHART_TOP - CHART_BOTTOM;
	double slot = pw / (double)n;
#define X(t) (CHART_LEFT + slot * ((double)(t) + 0.5))
#define Y(val) (CHART_TOP + ph * (hi - (val)) / (hi - lo))
	TRY(eic_html_printf(h,
	                    "<figure class=\"map\"><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	                    "aria-label=\"",
	                    CHART_W, CHART_H));
	TRY(eic_html_text(h, title));
	TRY(eic_html_raw(h, "\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n"));
	/* death valley: shaded from the first negative year to the break-even */
	if (v->has_trough) {
		double x0 = CHART_LEFT + slot * v->trough_start;
		double end = v->has_break_even ? v->break_even + 0.5 : (double)n_all;
		double x1 = CHART_LEFT + slot * end;
		if (x1 > CHART_LEFT + pw)
			x1 = CHART_LEFT + pw;
		TRY(eic_html_printf(h,
		                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		                    "fill=\"#f4c7bd\" fill-opacity=\"0.45\"/>\n",
		                    x0, Y(0), x1 - x0, Y(lo) - Y(0)));
	}
	/* grid and y labels */
	for (double y = lo; y <= hi + step * 0.5; y += step) {
		money(b1, sizeof(b1), fabs(y) < step * 1e-9 ? 0 : y);
		TRY(eic_html_printf(h,
		                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		                    "stroke=\"%s\" stroke-width=\"%s\"/>"
		                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		                    "fill=\"#5f6b7a\">%s</text>\n",
		                    CHART_LEFT, CHART_LEFT + pw, Y(y), Y(y),
		                    fabs(y) < step * 1e-9 ? "#1f2933" : "#d9dee5",
		                    fabs(y) < step * 1e-9 ? "1.2" : "0.8", CHART_LEFT - 6, Y(y) + 4,
		                    b1));
	}
	TRY(eic_html_printf(h,
	                    "<text x=\"14\" y=\"%.1f\" fill=\"#5f6b7a\" transform=\"rotate(-90 14 "
	                    "%.1f)\" text-anchor=\"middle\">owner's cash position, ",
	                    CHART_TOP + ph / 2, CHART_TOP + ph / 2));
	TRY(eic_html_text(h, *cur ? cur : "money"));
	TRY(eic_html_raw(h, "</text>\n"));
	/* bars: the project alone */
	int every = n > 25 ? 5 : 1;
	for (size_t t = 0; t < n; t++) {
		double y0 = Y(0), y1 = Y(pos[t]);
		TRY(eic_html_printf(h,
		                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		                    "fill=\"%s\"><title>year %zu: ",
		                    X(t) - slot * 0.32, y1 < y0 ? y1 : y0, slot * 0.64,
		                    fabs(y1 - y0), pos[t] < 0 ? "#c8553d" : "#6a9f58", t));
		money(b1, sizeof(b1), pos[t]);
		TRY(eic_html_text(h, b1));
		TRY(eic_html_printf(h, " %s without finance</title></rect>\n", cur));
		if (t % (size_t)every == 0)
			TRY(eic_html_printf(h,
			                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			                    "fill=\"#5f6b7a\">%zu</text>\n",
			                    X(t), CHART_TOP + ph + 16, t));
	}
	TRY(eic_html_printf(h,
	                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	                    "fill=\"#5f6b7a\">year (0 = construction)</text>\n",
	                    CHART_LEFT + pw / 2, CHART_H - 6));
	/* option lines */
	for (size_t i = 0; i < k; i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		if (!r->valid)
			continue;
		TRY(eic_html_printf(h,
		                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.2\" "
		                    "stroke-dasharray=\"%s\" points=\"",
		                    option_colours[i % OPTION_COLOURS],
		                    r->closes ? "none" : "6 4"));
		for (size_t t = 0; t < n; t++)
			TRY(eic_html_printf(h, "%.1f,%.1f ", X(t), Y(pos[n_all * (i + 1) + t])));
		TRY(eic_html_raw(h, "\"><title>"));
		TRY(eic_html_text(h, r->option->name));
		TRY(eic_html_raw(h, "</title></polyline>\n"));
	}
	/* the valley's label at its deepest point */
	if (v->has_trough) {
		money(b1, sizeof(b1), v->depth);
		if (v->has_break_even)
			snprintf(b2, sizeof(b2), "%.1f years", v->duration);
		else
			snprintf(b2, sizeof(b2), "no break-even");
		double lx = X(v->depth_year) + slot * 0.4, ly = Y(pos[v->depth_year]) - 8;
		if (ly < CHART_TOP + 14)
			ly = CHART_TOP + 14;
		if (ly > CHART_TOP + ph - 6)
			ly = CHART_TOP + ph - 6;
		int right_side = X(v->depth_year) < CHART_LEFT + pw * 0.6;
		TRY(eic_html_printf(
		    h,
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"#9a2a12\" "
		    "font-weight=\"600\" stroke=\"#fff\" stroke-width=\"3\" "
		    "paint-order=\"stroke\">Death valley: depth %s %s, %s</text>\n",
		    right_side ? lx : X(v->depth_year) - slot * 0.4, ly + 22,
		    right_side ? "start" : "end", b1, cur, b2));
	}
	TRY(eic_html_raw(h, "</svg>\n<figcaption class=\"caption\">"));
	if (n < n_all)
		TRY(eic_html_printf(h,
		                    "Years 0 to %zu of %zu shown, where the valley and the "
		                    "repayments are; every year is in the cash-flow table below. ",
		                    n - 1, n_all - 1));
	TRY(eic_html_raw(h, "<span class=\"legend\">"
	                    "<span><svg width=\"14\" height=\"12\"><rect width=\"14\" "
	                    "height=\"12\" fill=\"#c8553d\"/></svg>project alone, cash "
	                    "below zero</span><span><svg width=\"14\" height=\"12\"><rect "
	                    "width=\"14\" height=\"12\" fill=\"#6a9f58\"/></svg>project alone, "
	                    "cash above zero</span><span><svg width=\"14\" height=\"12\"><rect "
	                    "width=\"14\" height=\"12\" fill=\"#f4c7bd\"/></svg>death valley "
	                    "(from the first year below zero to break-even)</span>"));
	for (size_t i = 0; i < k; i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		if (!r->valid)
			continue;
		TRY(eic_html_printf(
		    h,
		    "<span><svg width=\"22\" height=\"10\"><line x1=\"0\" x2=\"22\" "
		    "y1=\"5\" y2=\"5\" stroke=\"%s\" stroke-width=\"2.2\" "
		    "stroke-dasharray=\"%s\"/></svg>",
		    option_colours[i % OPTION_COLOURS], r->closes ? "none" : "6 4"));
		TRY(eic_html_text(h, r->option->name));
		TRY(eic_html_raw(h, r->closes ? " (closes it)" : " (dashed: does not close it)"));
		TRY(eic_html_raw(h, "</span>"));
	}
	TRY(eic_html_raw(h, "</span></figcaption></figure>\n"));
#undef X
#undef Y
done:
	eic_free(pos);
	return error;
}

static int comparison_table(eic_html *h, const eic_fin_comparison *cmp, const char *cur)
{
	int error = 0;
	char b1[64], b2[64];
	TRY(eic_html_printf(
	    h, "<div class=\"scroll\"><table><thead><tr><th class=\"num\">Rank</th>"
	       "<th style=\"min-width:14em\">Financing option</th><th>Closes the valley?</th>"
	       "<th class=\"num\">Lowest cash (year)</th>"
	       "<th class=\"num\">Instalment</th><th class=\"num\">APR / EAR</th>"
	       "<th class=\"num\">Finance NPV</th>"
	       "<th class=\"num\">Owner's NPV</th></tr></thead><tbody>\n"));
	for (size_t i = 0; i < eic_fin_comparison_count(cmp); i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		TRY(eic_html_raw(h, "<tr><td class=\"num\">"));
		if (r->valid)
			TRY(eic_html_printf(h, "%d", r->rank));
		TRY(eic_html_printf(
		    h, "</td><td><span class=\"swatch\" style=\"background:%s\"></span>",
		    option_colours[i % OPTION_COLOURS]));
		TRY(eic_html_text(h, r->option->name));
		TRY(eic_html_raw(h, "</td>"));
		if (!r->valid) {
			TRY(eic_html_raw(h,
			                 "<td colspan=\"6\" class=\"flag\">cannot be applied: "));
			TRY(eic_html_text(h, r->problem));
			TRY(eic_html_raw(h, "</td></tr>\n"));
			continue;
		}
		if (r->closes) {
			TRY(eic_html_raw(h, "<td>yes</td>"));
		} else {
			money(b1, sizeof(b1), r->shortfall);
			TRY(eic_html_printf(h, "<td class=\"flag\">no: %s %s short in year %d</td>",
			                    b1, cur, r->worst_year));
		}
		money(b1, sizeof(b1), r->min_cash);
		TRY(eic_html_printf(h, "<td class=\"num\">%s (%d)</td>", b1, r->worst_year));
		if (r->instalments > 0) {
			money(b1, sizeof(b1), r->instalment);
			TRY(eic_html_printf(h, "<td class=\"num\">%s &times; %d</td>", b1,
			                    r->instalments));
		} else {
			TRY(eic_html_raw(h, "<td class=\"num\">&mdash;</td>"));
		}
		if (r->has_rate) {
			pct(b1, sizeof(b1), r->apr);
			pct(b2, sizeof(b2), r->ear);
			TRY(eic_html_printf(h, "<td class=\"num\">%s / %s</td>", b1, b2));
		} else {
			TRY(eic_html_raw(h, "<td class=\"num\">&mdash;</td>"));
		}
		money(b1, sizeof(b1), r->finance_npv);
		money(b2, sizeof(b2), r->owner_npv);
		TRY(eic_html_printf(h, "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
		                    b1, b2));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n<p class=\"note\">Lowest cash: the owner's "
	                    "cash position (equity plus cumulative flows) in its worst year with "
	                    "this option. Finance NPV: the option's own flows discounted (&lt; 0 "
	                    "what it costs, &gt; 0 what a subsidy gives). Owner's NPV: project "
	                    "plus finance. APR and EAR include fees and deposits "
	                    "(MicroFinance Transparency's method).</p>\n"
	                    "<ul class=\"notes\" style=\"columns:1\">"));
	for (size_t i = 0; i < eic_fin_comparison_count(cmp); i++) {
		const eic_fin_option_result *r = eic_fin_comparison_at(cmp, i);
		TRY(eic_html_raw(h, "<li><strong>"));
		TRY(eic_html_text(h, r->option->name));
		TRY(eic_html_raw(h, "</strong>: "));
		TRY(eic_html_text(h, r->valid ? r->terms : r->problem));
		if (r->option->source && *r->option->source) {
			TRY(eic_html_raw(h, ". Terms: "));
			TRY(eic_html_text(h, r->option->source));
		}
		TRY(eic_html_raw(h, "</li>\n"));
	}
	TRY(eic_html_raw(h, "</ul>\n"));
done:
	return error;
}

static int year_table(eic_html *h, const eic_fin_appraisal *a, const char *cur)
{
	int error = 0;
	char b[10][64];
	TRY(eic_html_printf(h,
	                    "<details><summary>Cash flow by year (%s; paid &lt; 0, received "
	                    "&gt; 0, before financing)</summary><div class=\"scroll\"><table>"
	                    "<thead><tr><th class=\"num\">Year</th><th class=\"num\">Capital</th>"
	                    "<th class=\"num\">Subsidy</th><th class=\"num\">Revenue</th>"
	                    "<th class=\"num\">Avoided costs</th><th class=\"num\">Operating</th>"
	                    "<th class=\"num\">Tax</th><th class=\"num\">Net flow</th>"
	                    "<th class=\"num\">Cumulative</th></tr></thead><tbody>\n",
	                    cur));
	for (size_t i = 0; i < eic_fin_appraisal_year_count(a); i++) {
		const eic_fin_year *y = eic_fin_appraisal_year(a, i);
		double v[8] = {-y->capex, y->subsidy, y->revenue,   y->avoided_cost,
		               -y->opex,  -y->tax,    y->after_tax, y->cumulative_after_tax};
		for (int k = 0; k < 8; k++)
			money(b[k], sizeof(b[k]), v[k]);
		TRY(eic_html_printf(h,
		                    "<tr><td class=\"num\">%d</td><td class=\"num\">%s</td><td "
		                    "class=\"num\">%s</td><td class=\"num\">%s</td><td "
		                    "class=\"num\">%s</td><td class=\"num\">%s</td><td "
		                    "class=\"num\">%s</td><td class=\"num\">%s</td><td "
		                    "class=\"num\">%s</td></tr>\n",
		                    y->year, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]));
	}
	TRY(eic_html_raw(h, "</tbody></table></div></details>\n"));
done:
	return error;
}

/* What a facility lacks, and the revenue it would need at each level. */
static int missing_block(eic_html *h, const eic_cluster *cluster, const eic_facility *f,
                         const eic_fin_case *c, const char *cur)
{
	int error = 0;
	char b1[64], b2[64], b3[64], b4[64];
	TRY(eic_html_raw(h, "<p class=\"flag\" style=\"color:#9a4d00\"><strong>Not appraised: "
	                    "data missing.</strong> No revenue or cost figure was invented; "
	                    "the facility needs:</p><ul>"));
	for (size_t i = 0; i < eic_fin_case_missing_count(c); i++) {
		TRY(eic_html_raw(h, "<li>"));
		TRY(eic_html_text(h, eic_fin_case_missing(c, i)));
		TRY(eic_html_raw(h, "</li>"));
	}
	TRY(eic_html_raw(h, "</ul>\n"));
	const eic_fin_project *p = eic_fin_case_project(c);
	if (p->life_years < 1)
		goto done;
	/* the main output: the first output coefficient */
	const eic_facility_coef *main_out = NULL;
	for (size_t i = 0; i < eic_cluster_facility_coef_count(cluster) && !main_out; i++) {
		const eic_facility_coef *k = eic_cluster_facility_coef(cluster, i);
		if (!strcmp(k->facility, f->id) && k->direction == EIC_DIR_OUTPUT)
			main_out = k;
	}
	const char *slash = main_out ? strchr(main_out->unit, '/') : NULL;
	pct(b1, sizeof(b1), eic_fin_case_options(c)->discount_rate);
	TRY(eic_html_printf(
	    h,
	    "<p>What it would have to earn: the revenue plus avoided costs per year "
	    "at which its net present value is zero over %d years at %s/yr "
	    "(capital recovery plus operating cost; before any financing).</p>\n"
	    "<div class=\"scroll\"><table><thead><tr><th>Level</th><th "
	    "class=\"num\">Capacity</th><th class=\"num\">Capital cost</th><th "
	    "class=\"num\">Operating cost / yr</th><th class=\"num\">Break-even "
	    "revenue / yr</th>",
	    p->life_years, b1));
	if (main_out && slash) {
		TRY(eic_html_raw(h, "<th class=\"num\">Break-even price of "));
		TRY(eic_html_text(h, main_out->material));
		TRY(eic_html_raw(h, "</th>"));
	}
	TRY(eic_html_raw(h, "</tr></thead><tbody>\n"));
	for (size_t i = 0; i < eic_cluster_facility_level_count(cluster); i++) {
		const eic_facility_level *l = eic_cluster_facility_level(cluster, i);
		if (strcmp(l->facility, f->id))
			continue;
		eic_fin_project q = *p;
		double capex = l->capex, be = 0;
		q.capex = &capex;
		q.capex_count = 1;
		q.opex_fixed = l->opex_per_yr;
		q.revenue = 0;
		q.avoided_cost = 0;
		int ok = eic_fin_breakeven_revenue(&be, &q, eic_fin_case_options(c)) == 0;
		money(b1, sizeof(b1), l->capacity);
		money(b2, sizeof(b2), l->capex);
		money(b3, sizeof(b3), l->opex_per_yr);
		money(b4, sizeof(b4), be);
		TRY(eic_html_raw(h, "<tr><td>"));
		TRY(eic_html_text(h, l->level));
		TRY(eic_html_printf(h, "</td><td class=\"num\">%s ", b1));
		TRY(eic_html_text(h, f->capacity_unit));
		TRY(eic_html_printf(h,
		                    "</td><td class=\"num\">%s %s</td><td class=\"num\">%s "
		                    "%s</td><td class=\"num\">%s %s</td>",
		                    b2, cur, b3, cur, ok ? b4 : "&mdash;", ok ? cur : ""));
		if (main_out && slash) {
			double amount = l->capacity * main_out->coefficient;
			char unit[32];
			size_t len = (size_t)(slash - main_out->unit);
			snprintf(unit, sizeof(unit), "%.*s", (int)(len < 30 ? len : 30),
			         main_out->unit);
			if (ok && amount > 0) {
				double price = be / amount;
				if (price >= 100)
					money(b4, sizeof(b4), price);
				else
					eic_report__fmt_sig(b4, sizeof(b4), price, 3);
				TRY(eic_html_printf(h, "<td class=\"num\">%s %s/", b4, cur));
				TRY(eic_html_text(h, unit));
				TRY(eic_html_raw(h, "</td>"));
			} else {
				TRY(eic_html_raw(h, "<td class=\"num\">&mdash;</td>"));
			}
		}
		TRY(eic_html_raw(h, "</tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
	if (main_out && slash)
		TRY(eic_html_raw(h, "<p class=\"note\">The break-even price assumes the whole "
		                    "revenue comes from the main output at full capacity.</p>\n"));
done:
	return error;
}

static int facility_block(eic_html *h, const eic_cluster *cluster, const eic_facility *f,
                          const char *cur)
{
	int error = 0;
	eic_fin_case *c = NULL;
	eic_fin_appraisal *a = NULL;
	eic_fin_comparison *cmp = NULL;
	eic_diags *diags = NULL;
	char b1[64], b2[64], b3[64];
	TRY(eic_diags_new(&diags, 100));
	TRY(eic_html_raw(h, "<h3>"));
	TRY(eic_html_text(h, f->name && *f->name ? f->name : f->id));
	TRY(eic_html_raw(h, " <span class=\"id\">"));
	TRY(eic_html_text(h, f->id));
	TRY(eic_html_raw(h, "</span></h3>\n"));
	error = eic_fin_case_from_facility(&c, diags, cluster, f->id, NULL);
	if (error == EIC_ENOTFOUND || error == EIC_EINVALID) {
		error = 0;
		TRY(eic_html_raw(h, "<p class=\"note\">Cannot be appraised.</p>\n"));
		goto done;
	}
	if (error < 0)
		goto done;
	const eic_fin_project *p = eic_fin_case_project(c);
	const eic_fin_options *o = eic_fin_case_options(c);
	/* what the appraisal starts from */
	TRY(eic_html_raw(h, "<table class=\"kv\"><tbody>"));
	TRY(eic_html_raw(h, "<tr><th>Project</th><td>"));
	TRY(eic_html_text(h, p->name));
	TRY(eic_html_raw(h, "</td></tr>"));
	if (p->capex_count) {
		money(b1, sizeof(b1), p->capex[0]);
		money(b2, sizeof(b2), p->opex_fixed);
		TRY(eic_html_printf(h,
		                    "<tr><th>Capital cost</th><td>%s %s in year 0</td></tr>"
		                    "<tr><th>Operating cost</th><td>%s %s/yr</td></tr>",
		                    b1, cur, b2, cur));
	}
	if (eic_fin_case_complete(c)) {
		money(b1, sizeof(b1), p->revenue);
		money(b2, sizeof(b2), p->avoided_cost);
		TRY(eic_html_printf(h,
		                    "<tr><th>Revenue</th><td>%s %s/yr</td></tr><tr><th>Avoided "
		                    "costs</th><td>%s %s/yr</td></tr>",
		                    b1, cur, b2, cur));
	}
	if (p->life_years > 0)
		TRY(eic_html_printf(h, "<tr><th>Life</th><td>%d years</td></tr>", p->life_years));
	pct(b1, sizeof(b1), o->discount_rate);
	TRY(eic_html_printf(h,
	                    "<tr><th>Discount rate</th><td>%s/yr nominal (ASSUMPTION), no tax, "
	                    "no inflation</td></tr><tr><th>Owner's equity</th><td>none counted "
	                    "(ASSUMPTION: a bank officer enters it with "
	                    "<code>eic finance &hellip; --equity</code>)</td></tr>",
	                    b1));
	TRY(eic_html_raw(h, "</tbody></table>\n"));
	if (!eic_fin_case_complete(c)) {
		TRY(missing_block(h, cluster, f, c, cur));
		goto notes;
	}
	eic_diags_free(diags);
	diags = NULL;
	TRY(eic_diags_new(&diags, 100));
	error = eic_fin_appraise(&a, p, o, diags);
	if (error == EIC_EINVALID) {
		error = 0;
		TRY(eic_html_raw(h, "<p class=\"flag\">Cannot be appraised:</p><ul>"));
		for (size_t i = 0; i < eic_diags_count(diags); i++) {
			TRY(eic_html_raw(h, "<li>"));
			TRY(eic_html_text(h, eic_diags_get(diags, i)->message));
			TRY(eic_html_raw(h, "</li>"));
		}
		TRY(eic_html_raw(h, "</ul>\n"));
		goto done;
	}
	if (error < 0)
		goto done;
	eic_fin_compare_options co = EIC_FIN_COMPARE_OPTIONS_INIT;
	co.currency = cur;
	TRY(eic_fin_compare(&cmp, a, eic_fin_case_option(c, 0), eic_fin_case_option_count(c), &co,
	                    NULL));
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	const eic_fin_metrics *m = &s->after_tax;
	const eic_fin_valley *v = eic_fin_comparison_valley(cmp);
	TRY(eic_html_raw(h, "<div class=\"cards\">\n"));
	money(b1, sizeof(b1), m->npv);
	TRY(card(h, "Net present value", b1, cur, m->npv < 0));
	if (m->irr.status == EIC_FIN_IRR_UNIQUE) {
		pct(b1, sizeof(b1), m->irr.rate);
		TRY(card(h, "Internal rate of return", b1, "/yr", 0));
	} else {
		TRY(card(h, "Internal rate of return",
		         m->irr.status == EIC_FIN_IRR_MULTIPLE ? "several" : "none", "", 1));
	}
	if (m->has_payback) {
		snprintf(b1, sizeof(b1), "%.1f", m->payback);
		TRY(card(h, "Simple payback", b1, "years", 0));
	} else {
		TRY(card(h, "Simple payback", "never", "", 1));
	}
	money(b1, sizeof(b1), v->depth);
	TRY(card(h, "Death valley depth", b1, cur, 0));
	if (v->has_break_even)
		snprintf(b2, sizeof(b2), "%.1f", v->duration);
	TRY(card(h, "Death valley duration", v->has_break_even ? b2 : "no end",
	         v->has_break_even ? "years" : "", !v->has_break_even));
	if (s->has_lcoe) {
		eic_report__fmt_sig(b1, sizeof(b1), s->lcoe_nominal, 3);
		snprintf(b3, sizeof(b3), "%s/%s", cur, eic_fin_case_energy_unit(c));
		TRY(card(h, "Levelised cost of energy", b1, b3, 0));
	}
	TRY(eic_html_raw(h, "</div>\n"));
	{
		char title[512];
		snprintf(title, sizeof(title),
		         "Cumulative cash flow of %s by year, with the death valley and four ways "
		         "to finance it",
		         f->name && *f->name ? f->name : f->id);
		TRY(chart(h, a, cmp, cur, title));
	}
	TRY(eic_html_raw(h, "<p><strong>Verdict.</strong> "));
	TRY(eic_html_text(h, eic_fin_comparison_verdict(cmp)));
	TRY(eic_html_raw(h, "</p>\n"));
	TRY(comparison_table(h, cmp, cur));
	TRY(year_table(h, a, cur));
notes:
	if (eic_fin_case_note_count(c) > 0) {
		TRY(eic_html_raw(h, "<ul class=\"notes\">"));
		for (size_t i = 0; i < eic_fin_case_note_count(c); i++) {
			TRY(eic_html_raw(h, "<li>"));
			TRY(eic_html_text(h, eic_fin_case_note(c, i)));
			TRY(eic_html_raw(h, "</li>"));
		}
		TRY(eic_html_raw(h, "</ul>\n"));
	}
	TRY(eic_html_raw(h, "<p class=\"note\">Re-run with your own figures: <code>eic finance "));
	TRY(eic_html_text(h, eic_cluster_info_get(cluster)->id));
	TRY(eic_html_raw(h, " --facility "));
	TRY(eic_html_text(h, f->id));
	TRY(eic_html_raw(h, " --equity AMOUNT --revenue-per-yr AMOUNT</code> "
	                    "(docs/cli/finance.md).</p>\n"));
done:
	eic_fin_comparison_free(cmp);
	eic_fin_appraisal_free(a);
	eic_fin_case_free(c);
	eic_diags_free(diags);
	return error;
}

int eic_fin__render_report(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	int error = 0;
	(void)ctx;
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *cur = info && info->currency ? info->currency : "";
	size_t count = eic_cluster_facility_count(cluster);
	if (count == 0) {
		TRY(eic_html_raw(out, "<p class=\"note\">The cluster lists no candidate shared "
		                      "facility (facilities.csv), so there is nothing to appraise. "
		                      "A project file can be appraised with <code>eic finance "
		                      "--project FILE.json</code>.</p>\n"));
		goto done;
	}
	TRY(eic_html_raw(out,
	                 "<p class=\"note\">Each candidate shared facility is appraised as a "
	                 "project on its own (capital and operating cost of its first level, "
	                 "revenue from its outputs at the materials' prices) and four ways to pay "
	                 "for it are compared: which of them keeps the owner's cash from going "
	                 "below zero, the <em>death valley</em> of a start-up (training manual "
	                 "3.d). The financing terms are defaults, most of them ASSUMPTIONS listed "
	                 "with each option; methods in docs/methods/finance.md.</p>\n"));
	for (size_t i = 0; i < count; i++)
		TRY(facility_block(out, cluster, eic_cluster_facility(cluster, i), cur));
done:
	return error;
}
