/* monitor_section.c: report sections "Performance and rating" (trend line charts of the
 * cluster's indicators, a colour-rank table per actor) and "Annual sustainability report". */
#include "monitor_section.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eic/indicators.h>
#include <eic/io.h>

#include "lib/report/report_private.h"
#include "util/util.h"

#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((rc = (x)) < 0)                                                                \
			goto done;                                                                 \
	} while (0)
#define MAX_CHARTS 12

typedef struct {
	eic_measure_set *set;
	eic_indicators *ind;
} loaded;

static void unload(loaded *l)
{
	eic_indicators_free(l->ind);
	eic_measure_set_free(l->set);
	memset(l, 0, sizeof(*l));
}

/* Load the records and indicators; 1 when there are some, 0 when the section said why not. */
static int load(loaded *l, eic_html *out, const eic_cluster *cluster, int *rc)
{
	eic_store *store = eic_html_store(out);
	memset(l, 0, sizeof(*l));
	*rc = 0;
	if (!store) {
		*rc = eic_html_raw(out,
		                   "<p>No measurement records: this report was written without a "
		                   "database. Load them with <code>eic measure import</code> and "
		                   "write the report from the database.</p>\n");
		return 0;
	}
	if ((*rc = eic_measure_set_new(&l->set, NULL)) < 0)
		return 0;
	*rc = eic_measure_load(l->set, store, eic_cluster_info_get(cluster)->id);
	if (*rc == EIC_ENOTFOUND)
		*rc = 0;
	if (*rc < 0)
		return 0;
	if (eic_measure_count(l->set) == 0) {
		*rc = eic_html_raw(out,
		                   "<p>No measurement records for this cluster. Load them with "
		                   "<code>eic measure import</code> (a CSV file or a registry such "
		                   "as Finland's PRTR).</p>\n");
		return 0;
	}
	if ((*rc = eic_indicators_compute(&l->ind, cluster, l->set, NULL)) < 0)
		return 0;
	return 1;
}

/* An inline SVG line chart of one cluster indicator over the periods (gaps where missing). */
static int line_chart(eic_html *out, const eic_indicators *ind, const eic_indicator_trend *t)
{
	const double w = 300, h = 150, right = 16, top = 12, bottom = 26;
	size_t np = eic_indicators_period_count(ind);
	double lo = HUGE_VAL, hi = -HUGE_VAL;
	char a[48], b[48];
	int rc = 0;
	for (size_t p = 0; p < np; p++) {
		const eic_indicator_value *v =
		    eic_indicators_get(ind, t->cluster_scope ? NULL : t->scope, t->indicator,
		                       eic_indicators_period(ind, p));
		if (v && isfinite(v->value)) {
			lo = fmin(lo, v->value);
			hi = fmax(hi, v->value);
		}
	}
	if (lo > 0 && lo < hi * 0.5)
		lo = 0;
	if (hi - lo < 1e-12 * fmax(1.0, fabs(hi)))
		hi = lo + (lo != 0 ? fabs(lo) * 0.1 : 1.0);
	eic_report__fmt_sig(a, sizeof(a), hi, 3);
	eic_report__fmt_sig(b, sizeof(b), lo, 3);
	/* room for the longer axis label (about 5.5 px per character at font-size 9) */
	double left = fmax(52.0, 8.0 + 5.5 * (double)fmax((double)strlen(a), (double)strlen(b)));
	double pw = w - left - right, ph = h - top - bottom;
	TRY(eic_html_printf(
	    out,
	    "<figure class=\"chart\" style=\"display:inline-block;margin:0 12px 12px "
	    "0\"><svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
	    "role=\"img\"><title>",
	    w, h, w, h));
	TRY(eic_html_text(out, t->indicator));
	TRY(eic_html_printf(out,
	                    "</title><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
	                    "fill=\"none\" stroke=\"#bbb\"/>",
	                    left, top, pw, ph));
	TRY(eic_html_printf(
	    out,
	    "<text x=\"%.0f\" y=\"%.0f\" font-size=\"9\" text-anchor=\"end\">%s</text>"
	    "<text x=\"%.0f\" y=\"%.0f\" font-size=\"9\" text-anchor=\"end\">%s</text>",
	    left - 3, top + 8, a, left - 3, top + ph, b));
	double px = 0, py = 0;
	int have_prev = 0;
	for (size_t p = 0; p < np; p++) {
		double x = left + (np > 1 ? pw * (double)p / (double)(np - 1) : pw / 2);
		if (p == 0 || p + 1 == np || np <= 8) {
			TRY(eic_html_printf(out,
			                    "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" "
			                    "text-anchor=\"middle\">",
			                    x, h - 10));
			TRY(eic_html_text(out, eic_indicators_period(ind, p)));
			TRY(eic_html_raw(out, "</text>"));
		}
		const eic_indicator_value *v =
		    eic_indicators_get(ind, t->cluster_scope ? NULL : t->scope, t->indicator,
		                       eic_indicators_period(ind, p));
		if (!v || !isfinite(v->value)) {
			have_prev = 0;
			continue;
		}
		double y = top + ph - ph * (v->value - lo) / (hi - lo);
		if (have_prev)
			TRY(eic_html_printf(out,
			                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			                    "stroke=\"#2f6f8f\" stroke-width=\"2\"/>",
			                    px, py, x, y));
		TRY(eic_html_printf(
		    out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#2f6f8f\"/>", x, y));
		px = x;
		py = y;
		have_prev = 1;
	}
	TRY(eic_html_raw(out, "</svg><figcaption class=\"caption\">"));
	TRY(eic_html_text(out, t->indicator));
	TRY(eic_html_raw(out, " ("));
	TRY(eic_html_text(out, t->unit));
	TRY(eic_html_raw(out, ")"));
	if (isfinite(t->stats.cagr)) {
		eic_report__fmt_sig(a, sizeof(a), 100.0 * t->stats.cagr, 3);
		TRY(eic_html_printf(out, ", %s %%/yr", a));
	}
	TRY(eic_html_raw(out, "</figcaption></figure>\n"));
done:
	return rc;
}

static const char *proper_colour(const char *label)
{
	static const struct {
		const char *label, *colour;
	} map[] = {{"gold", "#d4a017"}, {"green", "#3c8d40"}, {"blue", "#2f5fb3"},
	           {"red", "#c0392b"},  {"black", "#222"},    {NULL, NULL}};
	for (int i = 0; label && map[i].label; i++)
		if (!strcmp(map[i].label, label))
			return map[i].colour;
	return NULL;
}

/* Rate one actor with a shipped scheme from its measurements only (period: the last one). */
static int rate(char *label, size_t size, const eic_cluster *cluster, const loaded *l,
                const char *scheme_file, const char *actor)
{
	char path[1024], start[11], end[11];
	eic_rating_scheme *s = NULL;
	eic_rating_inputs *in = NULL;
	eic_rating_result *res = NULL;
	eic_diags *d = NULL;
	size_t np = eic_indicators_period_count(l->ind);
	int rc;
	(void)cluster;
	snprintf(label, size, "not rated");
	snprintf(path, sizeof(path), "%s/rating/%s", eic_data_dir(), scheme_file);
	if ((rc = eic_diags_new(&d, 10)) < 0 || (rc = eic_rating_scheme_load(&s, d, path)) < 0 ||
	    (rc = eic_rating_inputs_new(&in)) < 0)
		goto done;
	if (np &&
	    eic_measure_period_parse(start, end, eic_indicators_period(l->ind, np - 1)) == 0 &&
	    (rc = eic_indicators_rating_inputs(in, NULL, l->set, actor, start, end)) < 0)
		goto done;
	if ((rc = eic_rating_evaluate(&res, s, in, NULL, 0)) < 0)
		goto done;
	if (eic_rating_result_label(res))
		snprintf(label, size, "%s", eic_rating_result_label(res));
	else
		snprintf(label, size, "not rated (%zu inputs missing)",
		         eic_rating_result_missing_count(res));
done:
	eic_rating_result_free(res);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
	eic_diags_free(d);
	return rc == EIC_ENOMEM ? rc : 0; /* an unreadable shipped scheme shows "not rated" */
}

int eic_monitor__render_performance(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	loaded l;
	int rc;
	char a[48], b[48];
	(void)ctx;
	if (!load(&l, out, cluster, &rc)) {
		unload(&l);
		return rc;
	}
	const eic_indicators *ind = l.ind;
	size_t np = eic_indicators_period_count(ind);
	TRY(eic_html_printf(
	    out,
	    "<p>Indicators of the cluster from %zu measurement records over %zu "
	    "period(s) (method: docs/methods/indicators.md). A cluster value is the "
	    "ratio of the sums over the actors that report both terms; indicators "
	    "with no value in at least two periods are not charted.</p>\n",
	    eic_measure_count(l.set), np));
	size_t charts = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < eic_indicators_trend_count(ind) && charts < MAX_CHARTS;
		     i++) {
			const eic_indicator_trend *t = eic_indicators_trend_at(ind, i);
			int release = !strncmp(t->indicator, "release.", 8);
			if (!t->cluster_scope || t->stats.n < 2 || release != pass)
				continue;
			TRY(line_chart(out, ind, t));
			charts++;
		}
	if (charts == 0)
		TRY(eic_html_raw(out, "<p>No indicator has a value in two periods yet.</p>\n"));

	/* colour-rank table */
	const char *last = np ? eic_indicators_period(ind, np - 1) : "";
	TRY(eic_html_raw(out, "<h3>Ratings and ranks, "));
	TRY(eic_html_text(out, last));
	TRY(eic_html_raw(out,
	                 "</h3>\n<p>PROPER colour and CEPI band from the measurements alone "
	                 "(compliance of emissions with their limits); the other inputs of "
	                 "the schemes come from the assessor: rate with <code>eic rate "
	                 "--inputs</code>. Rank 1 is the best of the actors with a value.</p>\n"
	                 "<div class=\"scroll\"><table><thead><tr><th>Actor</th><th>PROPER"
	                 "</th><th>CEPI</th><th>Compliance rate</th><th>Waste utilisation "
	                 "</th><th>Rank (utilisation)</th></tr></thead><tbody>\n"));
	size_t na = eic_indicators_actor_count(ind);
	for (size_t i = 0; i < na; i++) {
		const char *id = eic_indicators_actor(ind, i);
		const eic_actor *ac = eic_cluster_find_actor(cluster, id);
		char proper[96], cepi[96];
		TRY(rate(proper, sizeof(proper), cluster, &l, "proper.json", id));
		TRY(rate(cepi, sizeof(cepi), cluster, &l, "cepi.json", id));
		double comp = eic_indicators_lookup(ind, id, "compliance_rate", last, NULL);
		double util = eic_indicators_lookup(ind, id, "waste_utilisation_rate", last, NULL);
		size_t rank = 0, n = 0;
		for (size_t k = 0; k < na && isfinite(util); k++) {
			double o = eic_indicators_lookup(ind, eic_indicators_actor(ind, k),
			                                 "waste_utilisation_rate", last, NULL);
			if (!isfinite(o))
				continue;
			n++;
			rank += o > util * (1 + 1e-12) + 1e-15;
		}
		TRY(eic_html_raw(out, "<tr><td>"));
		TRY(eic_html_text(out, ac && ac->name ? ac->name : id));
		const char *colour = proper_colour(proper);
		if (colour)
			TRY(eic_html_printf(
			    out, "</td><td style=\"background:%s;color:#fff;font-weight:600\">",
			    colour));
		else
			TRY(eic_html_raw(out, "</td><td>"));
		TRY(eic_html_text(out, proper));
		TRY(eic_html_raw(out, "</td><td>"));
		TRY(eic_html_text(out, cepi));
		eic_report__fmt_sig(a, sizeof(a), 100 * comp, 3);
		eic_report__fmt_sig(b, sizeof(b), 100 * util, 3);
		TRY(eic_html_printf(out,
		                    "</td><td class=\"num\">%s%s</td><td class=\"num\">%s%s</td>",
		                    a, isfinite(comp) ? " %" : "", b, isfinite(util) ? " %" : ""));
		if (isfinite(util))
			TRY(eic_html_printf(out, "<td class=\"num\">%zu of %zu</td></tr>\n",
			                    rank + 1, n));
		else
			TRY(eic_html_raw(out, "<td class=\"num\">&mdash;</td></tr>\n"));
	}
	TRY(eic_html_raw(out, "</tbody></table></div>\n"));
done:
	unload(&l);
	return rc;
}

/* One row of the annual table: the cluster value in period p and its change from p - 1. */
static int annual_row(eic_html *out, const eic_indicators *ind, size_t p, const char *id,
                      const char *label)
{
	char a[48], b[48];
	int rc = 0;
	const eic_indicator_value *v =
	    eic_indicators_get(ind, NULL, id, eic_indicators_period(ind, p));
	const eic_indicator_value *pv =
	    p ? eic_indicators_get(ind, NULL, id, eic_indicators_period(ind, p - 1)) : NULL;
	if (!v)
		return 0;
	eic_report__fmt_sig(a, sizeof(a), v->value, 4);
	double change = pv && isfinite(pv->value) && isfinite(v->value) && pv->value != 0
	                    ? (v->value - pv->value) / fabs(pv->value)
	                    : NAN;
	eic_report__fmt_sig(b, sizeof(b), 100 * change, 3);
	TRY(eic_html_raw(out, "<tr><td>"));
	TRY(eic_html_text(out, label));
	TRY(eic_html_printf(out, "</td><td class=\"num\">%s</td><td>", a));
	TRY(eic_html_text(out, isfinite(v->value) ? v->unit : ""));
	TRY(eic_html_printf(out, "</td><td class=\"num\">%s%s%s</td><td>",
	                    isfinite(change) && change > 0 ? "+" : "", b,
	                    isfinite(change) ? " %" : ""));
	if (isnan(v->value)) {
		TRY(eic_html_raw(out, "not computable: missing "));
		TRY(eic_html_text(out, v->missing));
	} else
		TRY(eic_html_printf(out, "%zu actor(s)", v->coverage));
	TRY(eic_html_raw(out, "</td></tr>\n"));
done:
	return rc;
}

int eic_monitor__render_annual(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	static const struct {
		const char *id, *label;
	} rows[] = {
	    {"value_added", "Value added"},
	    {"energy_use", "Energy use"},
	    {"water_withdrawal", "Water withdrawal"},
	    {"raw_material_input", "Raw material input"},
	    {"resource_productivity", "Resource productivity"},
	    {"waste_generated", "Waste generated"},
	    {"waste_recovered", "Waste to recovery"},
	    {"waste_utilisation_rate", "Waste utilisation rate"},
	    {"recycling_rate", "Recycling rate"},
	    {"compliance_rate", "Compliance rate (emissions within standards)"},
	    {"circularity_rate", "Circularity rate"},
	    {"symbiosis_rate", "Symbiosis rate"},
	};
	loaded l;
	int rc;
	(void)ctx;
	TRY(eic_html_raw(
	    out,
	    "<p>Annual reporting of the cluster's environmental performance, as the training "
	    "manual (section 5.3, <em>Setting objectives and monitoring performance</em>) asks "
	    "of an eco-industrial cluster: a benchmark for analysis, self-evaluation and "
	    "continuous improvement, performance against laws, norms and standards, and "
	    "comparison within the cluster and with other clusters over time. For each period: "
	    "resource use, emissions, waste, compliance and ratings, with the change from the "
	    "previous period.</p>\n"));
	if (!load(&l, out, cluster, &rc))
		goto done;
	const eic_indicators *ind = l.ind;
	for (size_t p = eic_indicators_period_count(ind); p-- > 0;) {
		const char *period = eic_indicators_period(ind, p);
		TRY(eic_html_raw(out, "<h3>"));
		TRY(eic_html_text(out, period));
		TRY(eic_html_raw(
		    out, "</h3>\n<div class=\"scroll\"><table><thead><tr><th>Resource use, "
		         "waste and compliance</th><th>Cluster</th><th>Unit</th><th>Change "
		         "from the previous period</th><th>Basis</th></tr></thead><tbody>\n"));
		for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
			TRY(annual_row(out, ind, p, rows[r].id, rows[r].label));
		/* emissions: every release reported in the period */
		for (size_t i = 0; i < eic_indicators_trend_count(ind); i++) {
			const eic_indicator_trend *t = eic_indicators_trend_at(ind, i);
			if (!t->cluster_scope || strncmp(t->indicator, "release.", 8))
				continue;
			const eic_indicator_value *v =
			    eic_indicators_get(ind, NULL, t->indicator, period);
			if (!v || isnan(v->value))
				continue;
			char label[300];
			snprintf(label, sizeof(label), "Emission %s", t->indicator + 8);
			TRY(annual_row(out, ind, p, t->indicator, label));
		}
		TRY(eic_html_raw(out, "</tbody></table></div>\n"));
	}
	TRY(eic_html_raw(out, "<p>Ratings per actor: see <a href=\"#performance\">Performance and "
	                      "rating</a>; per-actor values: <code>eic indicators</code>.</p>\n"));
done:
	unload(&l);
	return rc;
}
