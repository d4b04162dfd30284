/* impact_section.c: the report section "Impact: eco-cluster scenario against business as usual":
 * headline table with intervals, BAU-against-scenario bars by category, change by actor, sources.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "impact_section.h"
#include "scenario_private.h"
#include "lib/report/report_private.h"

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

#define DRAWS 1000
#define SEED 1

static int text(eic_html *h, const char *s)
{
	return eic_html_text(h, s ? s : "");
}

static const char *unit_of(char *buf, size_t size, const eic_scenario_result *r, int cat)
{
	snprintf(buf, size, "%s", eic_scenario_result_unit(r, (eic_impact_category)cat));
	return buf;
}

/* Paired bars per category, each category scaled to its own largest value (units differ). */
static int bars_by_category(eic_html *h, const eic_scenario_result *r)
{
	int error = 0;
	const double row_h = 34, left = 210, width = 560, top = 28;
	int rows = 0;
	for (int k = 0; k < EIC_IMPACT__N; k++)
		rows += eic_scenario_result_figure(r, (eic_impact_category)k)->assessed;
	double height = top + rows * row_h + 12;
	TRY(eic_html_printf(h,
	                    "<svg viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
	                    "aria-label=\"business as usual against the scenario by category\">\n"
	                    "<rect x=\"%.0f\" y=\"6\" width=\"12\" height=\"10\" fill=\"#9a9a9a\"/>"
	                    "<text x=\"%.0f\" y=\"15\" font-size=\"12\">business as usual</text>"
	                    "<rect x=\"%.0f\" y=\"6\" width=\"12\" height=\"10\" fill=\"#2a9d3a\"/>"
	                    "<text x=\"%.0f\" y=\"15\" font-size=\"12\">scenario</text>\n",
	                    left + width + 150, height, left, left + 16, left + 150, left + 166));
	int row = 0;
	for (int k = 0; k < EIC_IMPACT__N; k++) {
		const eic_impact_figure *f = eic_scenario_result_figure(r, (eic_impact_category)k);
		if (!f->assessed)
			continue;
		double y = top + row * row_h;
		double m = fmax(fabs(f->bau), fabs(f->scenario));
		double wb = m > 0 ? fabs(f->bau) / m * width : 0;
		double ws = m > 0 ? fabs(f->scenario) / m * width : 0;
		char vb[48], vs[48], u[48];
		eic_report__fmt_sig(vb, sizeof(vb), f->bau, 3);
		eic_report__fmt_sig(vs, sizeof(vs), f->scenario, 3);
		TRY(eic_html_printf(h,
		                    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" "
		                    "text-anchor=\"end\">",
		                    left - 8, y + 17));
		TRY(text(h, eic_impact_category_label((eic_impact_category)k)));
		TRY(eic_html_printf(
		    h,
		    "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" "
		    "fill=\"#9a9a9a\"/><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"12\" fill=\"#2a9d3a\"/>",
		    left, y + 2, wb, left, y + 15, ws));
		TRY(eic_html_printf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">",
		                    left + wb + 4, y + 12));
		TRY(text(h, vb));
		TRY(eic_html_printf(h, "</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">",
		                    left + ws + 4, y + 25));
		TRY(text(h, vs));
		TRY(eic_html_raw(h, " "));
		TRY(text(h, unit_of(u, sizeof(u), r, k)));
		TRY(eic_html_raw(h, "</text>\n"));
		row++;
	}
	TRY(eic_html_raw(h, "</svg>\n"));
done:
	return error;
}

/* Horizontal bars of the change of one category by party, around a zero line, with the 90%
 * interval of each party's change as a whisker (when the draws gave one). The scale covers
 * the whiskers, so that none leaves the chart. */
static int bars_by_actor(eic_html *h, const eic_scenario_result *r, int cat)
{
	int error = 0;
	size_t n = eic_scenario_result_party_count(r), shown = 0;
	double m = 0;
	int whiskers = 0;
	for (size_t i = 0; i < n; i++) {
		const eic_scenario_party *p = eic_scenario_result_party(r, i);
		const eic_interval *iv = &p->change_draws[cat];
		double d = p->scenario[cat] - p->bau[cat];
		if (d != 0) {
			m = fmax(m, fabs(d));
			if (isfinite(iv->p05) && isfinite(iv->p95)) {
				m = fmax(m, fmax(fabs(iv->p05), fabs(iv->p95)));
				whiskers = 1;
			}
			shown++;
		}
	}
	if (shown == 0)
		return 0;
	const double row_h = 22, left = 230, half = 260, top = 8;
	char u[96];
	TRY(eic_html_raw(h, "<p>Change in "));
	TRY(text(h, eic_impact_category_label((eic_impact_category)cat)));
	TRY(eic_html_raw(h, " by actor ("));
	TRY(text(h, unit_of(u, sizeof(u), r, cat)));
	TRY(eic_html_raw(h, whiskers ? "; scenario minus business as usual; whiskers: 90% "
	                               "interval of the same draws):</p>\n"
	                             : "; scenario minus business as usual):</p>\n"));
	TRY(eic_html_printf(h,
	                    "<svg viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
	                    "aria-label=\"change by actor\">\n<line x1=\"%.0f\" y1=\"0\" "
	                    "x2=\"%.0f\" y2=\"%.0f\" stroke=\"#444\"/>\n",
	                    left + 2 * half + 120, top + shown * row_h + 8, left + half,
	                    left + half, top + shown * row_h + 8));
	size_t row = 0;
	for (size_t i = 0; i < n; i++) {
		const eic_scenario_party *p = eic_scenario_result_party(r, i);
		const eic_interval *iv = &p->change_draws[cat];
		double d = p->scenario[cat] - p->bau[cat];
		if (d == 0)
			continue;
		double y = top + row * row_h, w = m > 0 ? fabs(d) / m * half : 0;
		double x = d < 0 ? left + half - w : left + half;
		double label_x = d < 0 ? left + half + 4 : left + half + w + 4;
		char v[48], lo[48], hi[48], label[200];
		int has_iv = isfinite(iv->p05) && isfinite(iv->p95) && m > 0;
		eic_report__fmt_sig(v, sizeof(v), d, 3);
		snprintf(label, sizeof(label), "%s%s", p->is_facility ? "facility " : "", p->id);
		TRY(eic_html_printf(h,
		                    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" "
		                    "text-anchor=\"end\">",
		                    left - 6, y + 13));
		TRY(text(h, label));
		TRY(eic_html_printf(h,
		                    "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		                    "height=\"14\" fill=\"%s\">",
		                    x, y + 2, w, d < 0 ? "#2a9d3a" : "#c0392b"));
		if (has_iv) {
			double x0 = left + half + iv->p05 / m * half;
			double x1 = left + half + iv->p95 / m * half;
			eic_report__fmt_sig(lo, sizeof(lo), iv->p05, 3);
			eic_report__fmt_sig(hi, sizeof(hi), iv->p95, 3);
			TRY(eic_html_raw(h, "<title>"));
			TRY(text(h, v));
			TRY(eic_html_raw(h, "; 90% interval "));
			TRY(text(h, lo));
			TRY(eic_html_raw(h, " to "));
			TRY(text(h, hi));
			TRY(eic_html_raw(h, "</title></rect>"));
			TRY(eic_html_printf(
			    h,
			    "<g stroke=\"#222\" stroke-width=\"1.2\"><line x1=\"%.1f\" y1=\"%.1f\" "
			    "x2=\"%.1f\" y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\"/></g>",
			    x0, y + 9, x1, y + 9, x0, y + 5, x0, y + 13, x1, y + 5, x1, y + 13));
			label_x = fmax(label_x, x1 + 4);
		} else
			TRY(eic_html_raw(h, "</rect>"));
		TRY(eic_html_printf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">", label_x,
		                    y + 13));
		TRY(text(h, v));
		TRY(eic_html_raw(h, "</text>\n"));
		row++;
	}
	TRY(eic_html_raw(h, "</svg>\n"));
done:
	return error;
}

static int headline_table(eic_html *h, const eic_scenario_result *r)
{
	int error = 0;
	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Category</th>"
	                    "<th class=\"num\">Business as usual</th><th class=\"num\">Scenario"
	                    "</th><th class=\"num\">Change</th><th class=\"num\">90% interval of "
	                    "the change</th><th>Unit</th></tr></thead><tbody>\n"));
	for (int k = 0; k < EIC_IMPACT__N; k++) {
		const eic_impact_figure *f = eic_scenario_result_figure(r, (eic_impact_category)k);
		char b[48], s[48], c[48], lo[48], hi[48], u[48];
		TRY(eic_html_raw(h, "<tr><td>"));
		TRY(text(h, eic_impact_category_label((eic_impact_category)k)));
		if (!f->assessed) {
			TRY(eic_html_raw(
			    h, "</td><td colspan=\"4\">not assessed (see the notes)</td><td>"));
			TRY(text(h, unit_of(u, sizeof(u), r, k)));
			TRY(eic_html_raw(h, "</td></tr>\n"));
			continue;
		}
		eic_report__fmt_sig(b, sizeof(b), f->bau, 4);
		eic_report__fmt_sig(s, sizeof(s), f->scenario, 4);
		eic_report__fmt_sig(c, sizeof(c), f->change, 4);
		eic_report__fmt_sig(lo, sizeof(lo), f->change_draws.p05, 3);
		eic_report__fmt_sig(hi, sizeof(hi), f->change_draws.p95, 3);
		TRY(eic_html_raw(h, "</td><td class=\"num\">"));
		TRY(text(h, b));
		TRY(eic_html_raw(h, "</td><td class=\"num\">"));
		TRY(text(h, s));
		TRY(eic_html_raw(h, "</td><td class=\"num\"><strong>"));
		TRY(text(h, c));
		TRY(eic_html_raw(h, "</strong></td><td class=\"num\">"));
		TRY(text(h, lo));
		TRY(eic_html_raw(h, " to "));
		TRY(text(h, hi));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(text(h, unit_of(u, sizeof(u), r, k)));
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
done:
	return error;
}

/* With several alternatives (the pulp mill's three approaches), one row per alternative:
 * the central change of the headline categories and the money over time, so that they can
 * be ranked side by side; the details below are those of the first alternative. Each
 * alternative is evaluated without draws (central values only). */
static int alternatives_table(eic_html *h, const eic_cluster *cluster, const eic_scenario *s,
                              const eic_factors *f, const eic_scenario_result *first, eic_diags *d)
{
	static const eic_impact_category cats[] = {EIC_IMPACT_GHG, EIC_IMPACT_LANDFILL,
	                                           EIC_IMPACT_COST, EIC_IMPACT_REVENUE,
	                                           EIC_IMPACT_JOBS};
	size_t n = eic_scenario_alternative_count(s);
	eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
	eic_scenario_result *r = NULL;
	char u[48], v[48];
	int error = 0;
	if (n < 2)
		return 0;
	o.draws = 0;
	TRY(eic_html_raw(h, "<p>The alternatives side by side (central values; change against "
	                    "business as usual; money over "));
	TRY(eic_html_printf(h, "%zu years at %g%%", eic_scenario_result_years(first),
	                    100 * eic_scenario_result_discount_rate(first)));
	TRY(eic_html_raw(h, "):</p>\n<div class=\"scroll\"><table><thead><tr>"
	                    "<th>Alternative</th>"));
	for (size_t k = 0; k < sizeof(cats) / sizeof(cats[0]); k++) {
		TRY(eic_html_raw(h, "<th class=\"num\">"));
		TRY(text(h, eic_impact_category_label(cats[k])));
		TRY(eic_html_raw(h, " ("));
		TRY(text(h, unit_of(u, sizeof(u), first, cats[k])));
		TRY(eic_html_raw(h, ")</th>"));
	}
	TRY(eic_html_raw(h, "<th class=\"num\">Net present cost ("));
	TRY(text(h, eic_scenario_result_currency(first)));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">Cumulative net cost ("));
	TRY(text(h, eic_scenario_result_currency(first)));
	TRY(eic_html_raw(h, ")</th></tr></thead><tbody>\n"));
	for (size_t a = 0; a < n; a++) {
		eic_scenario_result_free(r);
		r = NULL;
		if ((error = eic_scenario_evaluate(&r, cluster, s, a, f, &o, d)) < 0) {
			if (error != EIC_EINVALID)
				goto done;
			error = 0;
			TRY(eic_html_raw(h, "<tr><td>"));
			TRY(text(h, eic_scenario_alternative_name(s, a)));
			TRY(eic_html_printf(h,
			                    "</td><td colspan=\"%zu\">cannot be evaluated (run "
			                    "<code>eic impact</code> for the reasons)</td></tr>\n",
			                    sizeof(cats) / sizeof(cats[0]) + 2));
			continue;
		}
		TRY(eic_html_raw(h, "<tr><td>"));
		TRY(text(h, eic_scenario_alternative_name(s, a)));
		TRY(eic_html_raw(h, "</td>"));
		for (size_t k = 0; k < sizeof(cats) / sizeof(cats[0]); k++) {
			const eic_impact_figure *fig = eic_scenario_result_figure(r, cats[k]);
			if (fig->assessed)
				eic_report__fmt_sig(v, sizeof(v), fig->change, 4);
			else
				snprintf(v, sizeof(v), "not assessed");
			TRY(eic_html_raw(h, "<td class=\"num\">"));
			TRY(text(h, v));
			TRY(eic_html_raw(h, "</td>"));
		}
		size_t years = eic_scenario_result_years(r);
		const double *cum = eic_scenario_result_cumulative_cost(r, 1);
		eic_report__fmt_sig(v, sizeof(v), eic_scenario_result_npv_cost(r, 1), 4);
		TRY(eic_html_raw(h, "<td class=\"num\">"));
		TRY(text(h, v));
		eic_report__fmt_sig(v, sizeof(v), cum ? cum[years] : NAN, 4);
		TRY(eic_html_raw(h, "</td><td class=\"num\">"));
		TRY(text(h, v));
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	TRY(eic_html_raw(h,
	                 "</tbody></table></div>\n<p>The figures below are those of the "
	                 "first alternative; <code>eic impact</code> prints each in full.</p>\n"));
done:
	eic_scenario_result_free(r);
	return error;
}

static int sources_table(eic_html *h, const eic_scenario_result *r)
{
	int error = 0;
	size_t n = eic_scenario_result_factor_count(r);
	if (n == 0)
		return 0;
	TRY(eic_html_raw(h, "<details><summary>Factors used and their sources</summary>"
	                    "<div class=\"scroll\"><table><thead><tr><th>Factor</th><th "
	                    "class=\"num\">Value</th><th>Unit</th><th>Range</th><th>Source</th>"
	                    "<th>Checked</th></tr></thead><tbody>\n"));
	for (size_t i = 0; i < n; i++) {
		const eic_factor *f = eic_scenario_result_factor(r, i);
		char v[48], lo[48], hi[48];
		eic_report__fmt_input(v, sizeof(v), f->value);
		TRY(eic_html_raw(h, "<tr><td>"));
		TRY(text(h, f->parameter));
		TRY(eic_html_raw(h, " / "));
		TRY(text(h, f->key));
		TRY(eic_html_raw(h, "</td><td class=\"num\">"));
		TRY(text(h, v));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(text(h, f->unit));
		TRY(eic_html_raw(h, "</td><td>"));
		if (f->has_range) {
			eic_report__fmt_input(lo, sizeof(lo), f->low);
			eic_report__fmt_input(hi, sizeof(hi), f->high);
			TRY(text(h, lo));
			TRY(eic_html_raw(h, " to "));
			TRY(text(h, hi));
		}
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(text(h, f->source));
		TRY(eic_html_raw(h, f->checked ? "</td><td>yes</td></tr>\n"
		                               : "</td><td>no</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div></details>\n"));
done:
	return error;
}

static int diags_list(eic_html *h, const eic_diags *d, const char *what)
{
	int error = 0;
	TRY(eic_html_raw(h, "<p class=\"flag\">"));
	TRY(text(h, what));
	TRY(eic_html_raw(h, "</p><ul>"));
	for (size_t i = 0; i < eic_diags_count(d) && i < 20; i++) {
		char buf[1200];
		eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
		TRY(eic_html_raw(h, "<li>"));
		TRY(text(h, buf));
		TRY(eic_html_raw(h, "</li>"));
	}
	TRY(eic_html_raw(h, "</ul>\n"));
done:
	return error;
}

int eic_impact__render_section(eic_html *h, const eic_cluster *cluster, void *ctx)
{
	int error = 0, rc;
	eic_diags *d = NULL;
	eic_factors *f = NULL;
	eic_scenario *s = NULL;
	eic_scenario_result *r = NULL, *per = NULL;
	eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
	(void)ctx;
	o.draws = DRAWS;
	o.seed = SEED;
	o.per_off = 1; /* the report states absolute figures; per-unit ones follow as a view */
	TRY(eic_diags_new(&d, 100));
	TRY(eic_factors_new(&f));
	if ((rc = eic_factors_load_for_cluster(f, NULL, d)) < 0) {
		if (rc == EIC_ENOMEM)
			TRY(rc);
		TRY(diags_list(h, d, "The factor library could not be read:"));
		goto done;
	}
	if ((rc = eic_scenario_load_default(&s, cluster, NULL, d)) < 0) {
		if (rc == EIC_ENOMEM)
			TRY(rc);
		TRY(diags_list(h, d, "The cluster's scenario file could not be used:"));
		goto done;
	}
	rc = eic_scenario_evaluate(&r, cluster, s, 0, f, &o, d);
	if (rc < 0) {
		if (rc == EIC_ENOMEM)
			TRY(rc);
		TRY(diags_list(h, d,
		               "The scenario cannot be evaluated until these are given (a missing "
		               "factor is never taken as zero):"));
		goto done;
	}
	TRY(eic_html_raw(h, "<p>"));
	if (eic_scenario_is_derived(s))
		TRY(eic_html_raw(
		    h, "No scenario file: the eco-cluster scenario is derived from the "
		       "cluster (flows to landfill, dumps and burning go to the candidate "
		       "facilities that take them, else to actors that want them; "
		       "docs/methods/scenarios.md). "));
	else {
		TRY(eic_html_raw(h, "Scenario <strong>"));
		TRY(text(h, eic_scenario_name(s)));
		TRY(eic_html_raw(h, "</strong>, alternative <em>"));
		TRY(text(h, eic_scenario_alternative_name(s, 0)));
		TRY(eic_html_raw(h, "</em>. "));
		TRY(text(h, eic_scenario_description(s)));
		TRY(eic_html_raw(h, " "));
	}
	TRY(eic_html_printf(h,
	                    "GWP100 %s; landfill methane counted over %zu years (IPCC 2006 "
	                    "first-order decay); intervals from %d Monte Carlo draws (seed %d) "
	                    "over the factor ranges and the flows' own uncertainty.</p>\n",
	                    eic_scenario_result_gwp_set(r), eic_scenario_result_horizon(r), DRAWS,
	                    SEED));
	TRY(alternatives_table(h, cluster, s, f, r, d));
	TRY(headline_table(h, r));
	if (s->per_flow || s->per_material) {
		o.per_off = 0;
		rc = eic_scenario_evaluate(&per, cluster, s, 0, f, &o, d);
		if (rc == EIC_ENOMEM)
			TRY(rc);
		if (rc < 0)
			TRY(diags_list(h, d, "The figures per unit of product cannot be given:"));
		else {
			const eic_scenario_reference *ref = eic_scenario_result_reference(per);
			char qb[48], qs[48];
			eic_report__fmt_sig(qb, sizeof(qb), ref->bau, 4);
			eic_report__fmt_sig(qs, sizeof(qs), ref->scenario, 4);
			TRY(eic_html_raw(h, "<p>The same figures per "));
			TRY(text(h, ref->unit));
			TRY(eic_html_raw(h, " of "));
			TRY(text(h, ref->material));
			TRY(eic_html_raw(h, " ("));
			TRY(text(h, ref->kind));
			TRY(eic_html_raw(h, " "));
			TRY(text(h, ref->id));
			TRY(eic_html_raw(h, ": "));
			TRY(text(h, qb));
			TRY(eic_html_raw(h, " "));
			TRY(text(h, ref->unit));
			TRY(eic_html_raw(h, " in business as usual, "));
			TRY(text(h, qs));
			TRY(eic_html_raw(h, " "));
			TRY(text(h, ref->unit));
			TRY(eic_html_raw(
			    h, " in the scenario; each case divided by its own "
			       "quantity, money and jobs by the quantity per year):</p>\n"));
			TRY(headline_table(h, per));
		}
	}
	TRY(bars_by_category(h, r));
	TRY(bars_by_actor(h, r, EIC_IMPACT_GHG));
	TRY(bars_by_actor(h, r, EIC_IMPACT_LANDFILL));
	if (eic_scenario_result_note_count(r)) {
		TRY(eic_html_raw(h,
		                 "<details><summary>Where each figure comes from</summary><ul>"));
		for (size_t i = 0; i < eic_scenario_result_note_count(r); i++) {
			const eic_scenario_note *n = eic_scenario_result_note(r, i);
			TRY(eic_html_raw(h, "<li><em>"));
			TRY(text(h, eic_impact_category_label(n->category)));
			TRY(eic_html_raw(h, ":</em> "));
			TRY(text(h, n->text));
			TRY(eic_html_raw(h, "</li>"));
		}
		TRY(eic_html_raw(h, "</ul></details>\n"));
	}
	TRY(sources_table(h, r));
	TRY(eic_html_raw(h, "<p class=\"note\">Re-run with your own scenario: <code>eic impact "));
	TRY(text(h, eic_cluster_info_get(cluster)->id));
	TRY(eic_html_raw(h,
	                 " --scenario FILE</code> (format: docs/format.md, Scenario file).</p>\n"));
done:
	eic_scenario_result_free(per);
	eic_scenario_result_free(r);
	eic_scenario_free(s);
	eic_factors_free(f);
	eic_diags_free(d);
	return error;
}
