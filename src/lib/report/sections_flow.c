/* sections_flow.c: report sections "circularity" (reuse share of every output, circularity
 * rates, MCI status) and "network" (ecological network indicators with plain meanings). */
#include "sections_flow.h"

#include <math.h>
#include <string.h>

#include <eic/circularity.h>
#include <eic/network.h>

#include "report_private.h"

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

/* Output rows listed in the circularity table; the rest are counted. */
#define MAX_OUTPUT_ROWS 300

static void fmt_pct(char *buf, size_t size, double share)
{
	if (!isfinite(share)) {
		eic_report__fmt_sig(buf, size, NAN, 3);
		return;
	}
	eic_report__fmt_sig(buf, size, share * 100.0, 3);
	size_t len = strlen(buf);
	if (len + 2 < size)
		memcpy(buf + len, "%", 2);
}

static int card(eic_html *h, const char *label, const char *value, const char *unit)
{
	int error = 0;
	TRY(eic_html_raw(h, "<div class=\"card\"><div class=\"k\">"));
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

static int mci_status(eic_html *h, const eic_circularity *circ, const char *unit)
{
	int error = 0;
	char a[64], b[64], c[64], d[64];
	size_t count = eic_circularity_mci_count(circ);
	TRY(eic_html_raw(h, "<h3>Material Circularity Indicator of the products</h3>\n"));
	if (count == 0) {
		TRY(eic_html_raw(h, "<p class=\"note\">No mass flow reaches the product market, so "
		                    "there is no product to rate.</p>\n"));
		goto done;
	}
	TRY(eic_html_raw(h, "<p class=\"note\">MCI of Ellen MacArthur Foundation &amp; Granta "
	                    "Design (2015): 1 for a fully restorative product, 0.1 for a fully "
	                    "linear one of average lifetime. It needs the recycled and reused "
	                    "shares of the feedstock (F_R, F_U), the shares collected for "
	                    "recycling and reuse after use (C_R, C_U), the recycling "
	                    "efficiencies (E_F, E_C) and the lifetime and use intensity relative "
	                    "to the industry average, given as material properties "
	                    "<code>mci_fr</code>, <code>mci_fu</code>, <code>mci_cr</code>, "
	                    "<code>mci_cu</code>, <code>mci_ef</code>, <code>mci_ec</code>, "
	                    "<code>mci_lifetime_ratio</code>, <code>mci_utility_ratio</code> "
	                    "(docs/methods/circularity.md).</p>\n"));
	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Product</th>"
	                    "<th class=\"num\">Sold ("));
	TRY(eic_html_text(h, unit));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">MCI</th><th class=\"num\">LFI</th>"
	                    "<th class=\"num\">X</th><th>Status</th></tr></thead><tbody>\n"));
	for (size_t i = 0; i < count; i++) {
		const eic_circularity_mci *m = eic_circularity_mci_at(circ, i);
		eic_report__fmt_sig(a, sizeof(a), m->mass, 3);
		eic_report__fmt_sig(b, sizeof(b), m->computed ? m->result.mci : NAN, 3);
		eic_report__fmt_sig(c, sizeof(c), m->computed ? m->result.lfi : NAN, 3);
		eic_report__fmt_sig(d, sizeof(d), m->computed ? m->result.x : NAN, 3);
		TRY(eic_html_raw(h, "<tr><td class=\"id\">"));
		TRY(eic_html_text(h, m->material));
		TRY(eic_html_printf(h,
		                    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		                    "<td class=\"num\">%s</td><td class=\"num\">%s</td><td>",
		                    a, b, c, d));
		if (m->computed) {
			TRY(eic_html_raw(h, "computed"));
		} else {
			TRY(eic_html_raw(h, "not computed: missing "));
			TRY(eic_html_text(h, m->missing));
		}
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
done:
	return error;
}

/*
 * Contract: an eic_report_section callback. The circularity of the whole cluster (all
 * periods summed): key rates as cards, the table of outputs with their reuse shares (at most
 * MAX_OUTPUT_ROWS rows, in order of first appearance), the MCI status of every product.
 */
int eic_report__render_circularity(eic_html *h, const eic_cluster *c, void *ctx)
{
	eic_circularity *circ = NULL;
	int error = 0, code;
	char a[64], b[64], d[64], e[64], f[64], g[64];
	(void)ctx;

	code = eic_circularity_compute(&circ, c, NULL);
	if (code == EIC_ENOMEM)
		return code;
	if (code < 0) {
		TRY(eic_html_raw(h, "<p class=\"note\">Circularity could not be computed ("));
		TRY(eic_html_text(h, eic_strerror(code)));
		TRY(eic_html_raw(h, ").</p>\n"));
		goto done;
	}
	const eic_circularity_totals *t = eic_circularity_totals_get(circ);
	TRY(eic_html_raw(h, "<p class=\"note\">All periods summed, masses in "));
	TRY(eic_html_text(h, t->unit));
	TRY(eic_html_raw(h, ". An output is a material leaving a process or actor; it is "
	                    "<em>reused inside</em> the cluster when it goes to another process or "
	                    "actor, and leaves the cluster when it goes to a boundary (product "
	                    "market, stock, landfill, burning, water, air). Circularity rate = "
	                    "mass reused inside / all outputs. Circular material use rate = mass "
	                    "reused inside / (mass reused inside + mass entering from outside), "
	                    "Eurostat's CMU rate adapted to a cluster "
	                    "(docs/methods/circularity.md).</p>\n<div class=\"cards\">\n"));
	fmt_pct(a, sizeof(a), t->rate);
	TRY(card(h, "Circularity rate", a, ""));
	fmt_pct(a, sizeof(a), t->cmu);
	TRY(card(h, "Circular material use", a, ""));
	eic_report__fmt_sig(a, sizeof(a), t->inside_total, 3);
	TRY(card(h, "Reused inside", a, t->unit));
	eic_report__fmt_sig(a, sizeof(a), t->output_total, 3);
	TRY(card(h, "All outputs", a, t->unit));
	TRY(eic_html_raw(h, "</div>\n"));
	if (t->skipped) {
		eic_report__fmt_count(a, sizeof(a), t->skipped);
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">%s flows are not counted (not a mass, an "
		                    "unknown node, or a node's flow to itself).</p>\n",
		                    a));
	}

	size_t rows = eic_circularity_row_count(circ);
	TRY(eic_html_raw(h, "<h3>Outputs and where they go</h3>\n"));
	if (rows == 0) {
		TRY(eic_html_raw(h,
		                 "<p class=\"note\">No process or actor has a mass output.</p>\n"));
	} else {
		TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>From</th>"
		                    "<th>Material</th><th class=\"num\">Output</th>"
		                    "<th class=\"num\">Reused inside</th><th class=\"num\">Share "
		                    "reused</th><th class=\"num\">To product market</th>"
		                    "<th class=\"num\">To stock</th><th class=\"num\">Lost "
		                    "(landfill, burning, water, air)</th></tr></thead><tbody>\n"));
		size_t shown = rows > MAX_OUTPUT_ROWS ? MAX_OUTPUT_ROWS : rows;
		for (size_t i = 0; i < shown; i++) {
			const eic_circularity_row *r = eic_circularity_row_at(circ, i);
			eic_report__fmt_sig(a, sizeof(a), r->total, 3);
			eic_report__fmt_sig(b, sizeof(b), r->inside, 3);
			fmt_pct(d, sizeof(d), r->reuse_share);
			eic_report__fmt_sig(e, sizeof(e), r->product, 3);
			eic_report__fmt_sig(f, sizeof(f), r->stock, 3);
			eic_report__fmt_sig(g, sizeof(g), r->loss, 3);
			TRY(eic_html_raw(h, "<tr><td>"));
			TRY(eic_report__node_html(h, c, r->node));
			TRY(eic_html_raw(h, "</td><td class=\"id\">"));
			TRY(eic_html_text(h, r->material));
			TRY(eic_html_printf(
			    h,
			    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			    a, b, d, e, f, g));
		}
		TRY(eic_html_raw(h, "</tbody></table></div>\n"));
		if (shown < rows) {
			eic_report__fmt_count(a, sizeof(a), rows - shown);
			TRY(eic_html_printf(
			    h, "<p class=\"note\">%s further outputs are not shown.</p>\n", a));
		}
	}
	TRY(mci_status(h, circ, t->unit));
done:
	eic_circularity_free(circ);
	return error;
}

/*
 * Contract: an eic_report_section callback. The ecological network indicators of the
 * cluster's mass-flow network (all periods summed), each with its value (or why it is
 * undefined) and a one-line meaning, the connectance convention named, then the notes.
 */
int eic_report__render_network(eic_html *h, const eic_cluster *c, void *ctx)
{
	eic_network *net = NULL;
	eic_ena *ena = NULL;
	int error = 0, code;
	char a[64];
	(void)ctx;

	code = eic_network_from_cluster(&net, c, NULL);
	if (code == 0)
		code = eic_ena_compute(&ena, net, NULL);
	if (code == EIC_ENOMEM) {
		error = code;
		goto done;
	}
	if (code < 0) {
		TRY(eic_html_raw(
		    h, "<p class=\"note\">The network indicators could not be computed ("));
		TRY(eic_html_text(h, eic_strerror(code)));
		TRY(eic_html_raw(h, ").</p>\n"));
		goto done;
	}
	TRY(eic_html_raw(h, "<p class=\"note\">Ecological network analysis of the mass flows "
	                    "(all periods summed, in "));
	TRY(eic_html_text(h, eic_network_unit(net)));
	TRY(eic_html_raw(h, "), as used for eco-industrial parks: the processes and actors are "
	                    "compartments; flows from outside are inputs; flows to the product "
	                    "market or stock are exports; flows to landfill, burning, water and "
	                    "air are dissipation. Names and definitions follow the R package "
	                    "enaR, so the values can be compared with other studies. Connectance "
	                    "convention: <strong>C = L/n\xc2\xb2</strong> (enaR, self-loops "
	                    "counted); C.nn1 = L/(n(n\xe2\x88\x92"
	                    "1)) counts only links between "
	                    "distinct compartments. Ascendency indices in bits (log base "
	                    "2).</p>\n"));
	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Indicator</th>"
	                    "<th class=\"num\">Value</th><th>What it means</th></tr></thead>"
	                    "<tbody>\n"));
	for (size_t i = 0; i < eic_ena_value_count(ena); i++) {
		const eic_ena_value *v = eic_ena_value_at(ena, i);
		eic_report__fmt_sig(a, sizeof(a), v->reason ? NAN : v->value, 4);
		TRY(eic_html_raw(h, "<tr><td class=\"id\">"));
		TRY(eic_html_text(h, v->name));
		TRY(eic_html_printf(h, "</td><td class=\"num\">%s</td><td>", a));
		TRY(eic_html_text(h, v->meaning));
		if (v->reason) {
			TRY(eic_html_raw(h, "<br><span class=\"at\">Undefined: "));
			TRY(eic_html_text(h, v->reason));
			TRY(eic_html_raw(h, "</span>"));
		}
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
	TRY(eic_html_raw(h, eic_ena_balanced(ena)
	                        ? "<p class=\"note\">Every compartment is balanced (inflows + "
	                          "input = outflows + output within 0.1%).</p>\n"
	                        : "<p class=\"note\">Some compartments are not balanced; the "
	                          "throughflow is taken as inflows + input, as enaR does for "
	                          "unbalanced models (see the notes).</p>\n"));
	size_t notes = eic_network_note_count(net) + eic_ena_note_count(ena);
	if (notes) {
		TRY(eic_html_raw(h, "<ul class=\"notes\">\n"));
		for (size_t i = 0; i < eic_network_note_count(net); i++) {
			TRY(eic_html_raw(h, "<li>"));
			TRY(eic_html_text(h, eic_network_note(net, i)));
			TRY(eic_html_raw(h, "</li>\n"));
		}
		for (size_t i = 0; i < eic_ena_note_count(ena); i++) {
			TRY(eic_html_raw(h, "<li>"));
			TRY(eic_html_text(h, eic_ena_note(ena, i)));
			TRY(eic_html_raw(h, "</li>\n"));
		}
		TRY(eic_html_raw(h, "</ul>\n"));
	}
done:
	eic_ena_free(ena);
	eic_network_free(net);
	return error;
}
