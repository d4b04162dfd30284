/* reconcile_report.c: the report section on data reconciliation: for each period, the verdict
 * of the chi-square test in plain words and the measured against the reconciled flows. */
#include "reconcile_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mfa_private.h"
#include "lib/report/report_private.h"

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

/* At most this many rows per period; the largest normalised adjustments first beyond it. */
#define MAX_ROWS 300
#define MAX_NOTES 50

typedef struct {
	size_t var;
	double key;
} row_order;

static int cmp_key_desc(const void *a, const void *b)
{
	const row_order *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return (x->var > y->var) - (x->var < y->var);
}

static int render_table(eic_html *h, const eic_cluster *c, const eic_reconcile_result *r,
                        const eic_map *flows, const char *unit)
{
	int error = 0;
	size_t n = eic_reconcile_result_var_count(r), shown = 0, measured = 0;
	row_order *order = eic_malloc((n ? n : 1) * sizeof(*order));
	char a[64], b[64], d[64], e[64];
	if (!order)
		return EIC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(r, i);
		if (v->klass != EIC_RECONCILE_REDUNDANT &&
		    v->klass != EIC_RECONCILE_JUST_DETERMINED)
			continue;
		order[measured].var = i;
		order[measured].key = fabs(v->normalised_adjustment);
		measured++;
	}
	if (measured > MAX_ROWS)
		qsort(order, measured, sizeof(*order), cmp_key_desc);
	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Flow</th><th>From</th>"
	                    "<th>To</th><th class=\"num\">Measured ("));
	TRY(eic_html_text(h, unit));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">sd</th><th class=\"num\">Reconciled</th>"
	                    "<th class=\"num\">sd</th><th class=\"num\">Normalised adjustment"
	                    "</th><th></th></tr></thead><tbody>\n"));
	for (size_t k = 0; k < measured && shown < MAX_ROWS; k++, shown++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(r, order[k].var);
		size_t fi;
		const eic_flow *f = eic_map_get(flows, v->id, &fi) ? eic_cluster_flow(c, fi) : NULL;
		TRY(eic_html_raw(h, v->gross_error ? "<tr class=\"warn\">" : "<tr>"));
		TRY(eic_html_raw(h, "<td><span class=\"id\">"));
		TRY(eic_html_text(h, v->id));
		TRY(eic_html_raw(h, "</span></td><td>"));
		if (f)
			TRY(eic_report__node_html(h, c, f->from));
		TRY(eic_html_raw(h, "</td><td>"));
		if (f)
			TRY(eic_report__node_html(h, c, f->to));
		eic_report__fmt_sig(a, sizeof(a), v->measured, 4);
		eic_report__fmt_sig(b, sizeof(b), v->measured_sd, 2);
		eic_report__fmt_sig(d, sizeof(d), v->value, 4);
		eic_report__fmt_sig(e, sizeof(e), v->sd, 2);
		TRY(eic_html_printf(h,
		                    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		                    "<td class=\"num\">%s</td><td class=\"num\">%s</td>",
		                    a, b, d, e));
		if (v->klass == EIC_RECONCILE_REDUNDANT)
			TRY(eic_html_printf(h, "<td class=\"num\">%.2f</td>",
			                    fabs(v->normalised_adjustment) < 0.005
			                        ? 0.0
			                        : v->normalised_adjustment));
		else
			TRY(eic_html_raw(h, "<td class=\"num\">not adjustable</td>"));
		TRY(eic_html_raw(h, v->gross_error ? "<td class=\"flag\">likely gross error</td>"
		                                   : "<td></td>"));
		TRY(eic_html_raw(h, "</tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
	if (shown < measured) {
		eic_report__fmt_count(a, sizeof(a), measured - shown);
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">%s further measured flows with smaller "
		                    "adjustments are not shown (run <code>eic reconcile</code> for "
		                    "all of them).</p>\n",
		                    a));
	}
done:
	eic_free(order);
	return error;
}

static int render_period(eic_html *h, const eic_cluster *c, const char *period,
                         const eic_map *flows)
{
	eic_reconcile_problem *p = NULL;
	eic_reconcile_result *r = NULL;
	int error = 0, rc;

	if (period) {
		TRY(eic_html_raw(h, "<h3>Period "));
		TRY(eic_html_text(h, period));
		TRY(eic_html_raw(h, "</h3>\n"));
	}
	rc = eic_reconcile_problem_from_cluster(&p, c, period, "mass");
	if (rc == 0)
		rc = eic_reconcile(&r, p, NULL);
	if (rc == EIC_ENOMEM) {
		error = rc;
		goto done;
	}
	if (rc < 0) {
		TRY(eic_html_raw(h, "<p class=\"note\">The reconciliation could not be run ("));
		TRY(eic_html_text(h, eic_strerror(rc)));
		TRY(eic_html_raw(h, ").</p>\n"));
		goto done;
	}
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	if (s->measured_count == 0) {
		TRY(eic_html_raw(h, "<p>No flow of this period has a standard deviation (<code>sd"
		                    "</code> or <code>rel_sd</code>), so nothing can be reconciled "
		                    "or tested: every value is taken as exact.</p>\n"));
	} else {
		int bad = s->status != EIC_RECONCILE_OK || !s->consistent;
		TRY(eic_html_raw(h, bad ? "<p><strong>" : "<p>"));
		TRY(eic_html_text(h, s->message));
		TRY(eic_html_raw(h, bad ? "</strong></p>\n" : "</p>\n"));
		if (s->status == EIC_RECONCILE_OK)
			TRY(render_table(h, c, r, flows, eic_reconcile_problem_unit(p)));
	}
	size_t notes = eic_reconcile_result_note_count(r);
	if (notes) {
		size_t shown = notes > MAX_NOTES ? MAX_NOTES : notes;
		TRY(eic_html_raw(h, "<ul class=\"notes\">\n"));
		for (size_t i = 0; i < shown; i++) {
			TRY(eic_html_raw(h, "<li>"));
			TRY(eic_html_text(h, eic_reconcile_result_note(r, i)));
			TRY(eic_html_raw(h, "</li>\n"));
		}
		TRY(eic_html_raw(h, "</ul>\n"));
		if (shown < notes)
			TRY(eic_html_printf(
			    h, "<p class=\"note\">%zu further notes are not shown.</p>\n",
			    notes - shown));
	}
done:
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
	return error;
}

/* Contract: see reconcile_report.h. One reconciliation per period (O(flows) each, plus the
 * solve); the flow lookup map is built once. */
int eic_mfa__render_reconciliation(eic_html *h, const eic_cluster *c, void *ctx)
{
	eic_map flows;
	int error = 0;
	(void)ctx;
	eic_map_init(&flows);
	for (size_t i = 0; i < eic_cluster_flow_count(c); i++) {
		const eic_flow *f = eic_cluster_flow(c, i);
		if (f->id && eic_map_put(&flows, f->id, i) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	TRY(eic_html_raw(h, "<p class=\"note\">Data reconciliation as in STAN: measured flows "
	                    "(those with <code>sd</code> or <code>rel_sd</code>) are adjusted by "
	                    "weighted least squares until every balance holds; flows without an "
	                    "uncertainty are exact. The normalised adjustment is the adjustment "
	                    "divided by its own standard deviation: above 1.96 in size, the flow "
	                    "is a likely gross error. Method: docs/methods/reconciliation.md."
	                    "</p>\n"));
	size_t periods = eic_cluster_period_count(c);
	if (periods == 0)
		TRY(render_period(h, c, NULL, &flows));
	for (size_t k = 0; k < periods; k++)
		TRY(render_period(h, c, eic_cluster_period(c, k)->id, &flows));
done:
	eic_map_free(&flows);
	return error;
}
