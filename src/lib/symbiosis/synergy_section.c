/* synergy_section.c: the report's "Tracked synergies" section: each synergy kept in the store
 * with its current status, dates, realised quantities per period and a small bar chart. */
#include "synergy_section.h"

#include <eic/synergy.h>
#include <eic/units.h>

#include "lib/report/report_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

/* Bar chart of realised quantities: one bar per period, at most this many (the latest). */
#define CHART_MAX_BARS 24
#define CHART_H 44.0
#define CHART_BAR_W 14.0
#define CHART_GAP 4.0
#define CHART_LABEL_H 11.0
#define CHART_MIN_W 96.0

/* Badge colours by status (background, ink). */
static const char *const status_bg[EIC_SYNERGY__N] = {"#eef0f3", "#e6eefb", "#fdf1dc", "#e3f4e8",
                                                      "#f3e3e3"};
static const char *const status_ink[EIC_SYNERGY__N] = {"#3e4a59", "#1d4f91", "#8a5300", "#1b6b35",
                                                       "#8a1c1c"};

static const char *actor_name(const eic_cluster *c, const char *id)
{
	const eic_actor *a = id ? eic_cluster_find_actor(c, id) : NULL;
	return a && !eic_str_empty(a->name) ? a->name : id;
}

static const char *material_name(const eic_cluster *c, const char *id)
{
	const eic_material *m = id ? eic_cluster_find_material(c, id) : NULL;
	return m && !eic_str_empty(m->name) ? m->name : id;
}

static int how_to_start(eic_html *h, const char *cluster_id, const char *why)
{
	int error;
	TRY(eic_html_raw(h, "<p class=\"note\">"));
	TRY(eic_html_text(h, why));
	TRY(eic_html_raw(h, " Start tracking a proposed exchange with <code>eic synergy add "));
	TRY(eic_html_text(h, cluster_id));
	TRY(eic_html_raw(h, " --from-match N</code> (N is its rank in <code>eic match "));
	TRY(eic_html_text(h, cluster_id));
	TRY(eic_html_raw(h, "</code>), then follow it with <code>eic synergy status</code> and "
	                    "<code>eic synergy record</code>.</p>\n"));
done:
	return error;
}

/*
 * The realised quantities of one synergy as bars, in the unit of its first record; records in
 * units that do not convert to it are left out of the chart (the table lists them all).
 */
static int realised_chart(eic_html *h, const eic_synergy *sy)
{
	double value[CHART_MAX_BARS];
	const char *label[CHART_MAX_BARS];
	size_t n = 0, first = 0;
	double max = 0;
	int error = 0;
	char num[64];

	if (!sy->realised_count)
		return eic_html_raw(h, "&mdash;");
	const char *unit = sy->realised[0].unit;
	if (sy->realised_count > CHART_MAX_BARS)
		first = sy->realised_count - CHART_MAX_BARS;
	for (size_t i = first; i < sy->realised_count; i++) {
		double v;
		if (eic_unit_convert(&v, sy->realised[i].quantity, sy->realised[i].unit, unit) < 0)
			continue;
		value[n] = v;
		label[n] = sy->realised[i].period;
		if (v > max)
			max = v;
		n++;
	}
	double w = (double)n * (CHART_BAR_W + CHART_GAP) + CHART_GAP;
	if (w < CHART_MIN_W) /* room for the first and last period labels side by side */
		w = CHART_MIN_W;
	TRY(eic_html_printf(h,
	                    "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	                    "role=\"img\" aria-label=\"realised quantity per period\">",
	                    w, CHART_H + CHART_LABEL_H, w, CHART_H + CHART_LABEL_H));
	TRY(eic_html_printf(h,
	                    "<line x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#9aa5b1\" "
	                    "stroke-width=\"1\"/>",
	                    w, CHART_H, CHART_H));
	for (size_t i = 0; i < n; i++) {
		double bh = max > 0 ? (CHART_H - 2) * value[i] / max : 0;
		if (value[i] > 0 && bh < 1)
			bh = 1;
		double x = CHART_GAP + (double)i * (CHART_BAR_W + CHART_GAP);
		eic_report__fmt_sig(num, sizeof(num), value[i], 3);
		TRY(eic_html_printf(h,
		                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" "
		                    "fill=\"#2f855a\"><title>",
		                    x, CHART_H - bh, CHART_BAR_W, bh));
		TRY(eic_html_text(h, label[i]));
		TRY(eic_html_printf(h, ": %s ", num));
		TRY(eic_html_text(h, unit));
		TRY(eic_html_raw(h, "</title></rect>"));
	}
	/* the first and last period under the axis */
	if (n) {
		TRY(eic_html_printf(h, "<text x=\"1\" y=\"%.0f\" font-size=\"9\" fill=\"#5f6b7a\">",
		                    CHART_H + CHART_LABEL_H - 1));
		TRY(eic_html_text(h, label[0]));
		TRY(eic_html_raw(h, "</text>"));
	}
	if (n > 1) {
		TRY(eic_html_printf(h,
		                    "<text x=\"%.0f\" y=\"%.0f\" font-size=\"9\" fill=\"#5f6b7a\" "
		                    "text-anchor=\"end\">",
		                    w - 1, CHART_H + CHART_LABEL_H - 1));
		TRY(eic_html_text(h, label[n - 1]));
		TRY(eic_html_raw(h, "</text>"));
	}
	TRY(eic_html_raw(h, "</svg>"));
done:
	return error;
}

static int synergy_row(eic_html *h, const eic_cluster *c, const eic_synergy *sy)
{
	char num[64];
	int error;

	TRY(eic_html_raw(h, "<tr><td class=\"nowrap\">"));
	TRY(eic_html_text(h, sy->id));
	TRY(eic_html_raw(h, "</td><td>"));
	TRY(eic_html_text(h, actor_name(c, sy->from_actor)));
	TRY(eic_html_raw(h, " &rarr; "));
	TRY(eic_html_text(h, actor_name(c, sy->to_actor)));
	TRY(eic_html_raw(h, "<br><span class=\"at\">"));
	TRY(eic_html_text(h, material_name(c, sy->material)));
	if (sy->to_material) {
		TRY(eic_html_raw(h, " for "));
		TRY(eic_html_text(h, material_name(c, sy->to_material)));
	}
	TRY(eic_html_raw(h, ", "));
	TRY(eic_html_text(h, eic_match_mode_name(sy->mode)));
	if (sy->from_match)
		TRY(eic_html_printf(h, "; match rank %ld", sy->match_rank));
	TRY(eic_html_raw(h, "</span></td>"));
	TRY(eic_html_printf(h,
	                    "<td class=\"nowrap\"><span class=\"badge\" style=\"background:%s;"
	                    "color:%s\">",
	                    status_bg[sy->status], status_ink[sy->status]));
	TRY(eic_html_text(h, eic_synergy_status_name(sy->status)));
	TRY(eic_html_raw(h, "</span><br><span class=\"at\">since "));
	TRY(eic_html_text(h, sy->status_date));
	TRY(eic_html_raw(h, "</span></td><td class=\"nowrap\">"));
	TRY(eic_html_text(h, sy->history[0].date));
	TRY(eic_html_printf(h, "<br><span class=\"at\">%zu status change%s</span></td>",
	                    sy->history_count - 1, sy->history_count == 2 ? "" : "s"));
	TRY(eic_html_raw(h, "<td class=\"num\">"));
	if (!isnan(sy->quantity)) {
		eic_report__fmt_sig(num, sizeof(num), sy->quantity, 3);
		TRY(eic_html_printf(h, "%s ", num));
		TRY(eic_html_text(h, sy->unit));
	} else {
		TRY(eic_html_raw(h, "&mdash;"));
	}
	TRY(eic_html_raw(h, "</td><td>"));
	for (size_t i = 0; i < sy->realised_count; i++) {
		const eic_synergy_realised *r = &sy->realised[i];
		eic_report__fmt_sig(num, sizeof(num), r->quantity, 3);
		TRY(eic_html_raw(h, i ? "<br>" : ""));
		TRY(eic_html_text(h, r->period));
		TRY(eic_html_printf(h, ": %s ", num));
		TRY(eic_html_text(h, r->unit));
	}
	if (!sy->realised_count)
		TRY(eic_html_raw(h, "&mdash;"));
	TRY(eic_html_raw(h, "</td><td>"));
	TRY(realised_chart(h, sy));
	TRY(eic_html_raw(h, "</td></tr>\n"));
done:
	return error;
}

int eic_synergy__render_section(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	eic_store *store = eic_html_store(out);
	eic_synergy_set *set = NULL;
	const char *id = eic_cluster_info_get(cluster)->id;
	size_t count[EIC_SYNERGY__N] = {0};
	int error = 0;
	(void)ctx;

	if (!store)
		return how_to_start(out, id,
		                    "This report was written without the eic database, where "
		                    "tracked synergies are kept.");
	error = eic_synergy_list(&set, store, id, -1);
	if (error == EIC_ENOTFOUND) {
		error = how_to_start(out, id,
		                     "This cluster is not in the database, so no synergy is "
		                     "tracked for it (import it with eic import).");
		goto done;
	}
	if (error < 0 && error != EIC_ENOMEM) {
		TRY(eic_html_raw(out, "<p class=\"note\">The tracked synergies could not be read "
		                      "from the database: "));
		TRY(eic_html_text(out, eic_store_errmsg(store)));
		error = eic_html_raw(out, "</p>\n");
		goto done;
	}
	if (error < 0)
		goto done;
	size_t n = eic_synergy_set_count(set);
	if (!n) {
		error = how_to_start(out, id, "No synergy is tracked for this cluster yet.");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		count[eic_synergy_set_at(set, i)->status]++;
	TRY(eic_html_printf(out, "<p>%zu synerg%s tracked:", n, n == 1 ? "y" : "ies"));
	for (int s = 0, first = 1; s < EIC_SYNERGY__N; s++) {
		if (!count[s])
			continue;
		TRY(eic_html_printf(out, "%s %zu %s", first ? "" : ",", count[s],
		                    eic_synergy_status_name((eic_synergy_status)s)));
		first = 0;
	}
	TRY(eic_html_raw(out, ". Each goes idea &rarr; under_study &rarr; agreed &rarr; operating, "
	                      "or is stopped; realised quantities are recorded per period by the "
	                      "facilitator (docs/methods/synergy_tracking.md).</p>\n"));
	TRY(eic_html_raw(out, "<div class=\"scroll\"><table><thead><tr><th>Id</th><th>Exchange"
	                      "</th><th>Status</th><th>Started</th><th class=\"num\">Expected"
	                      "</th><th>Realised per period</th><th>Realised over time</th>"
	                      "</tr></thead><tbody>\n"));
	for (size_t i = 0; i < n; i++)
		TRY(synergy_row(out, cluster, eic_synergy_set_at(set, i)));
	TRY(eic_html_raw(out, "</tbody></table></div>\n<p class=\"caption\">Bars: realised "
	                      "quantity per period in the unit of the first record (hover for "
	                      "the value). Status history: <code>eic synergy show "));
	TRY(eic_html_text(out, id));
	TRY(eic_html_raw(out, " ID</code>.</p>\n"));
done:
	eic_synergy_set_free(set);
	return error;
}
