/* optimize_section.c: the report's "Optimised network" section: the optimum of the exchange
 * network as a Sankey diagram (drawn by the sankey module), its exchanges and facilities. */
#include "optimize_private.h"

#include <eic/sankey.h>

#include "lib/report/report_private.h"
#include "lib/sankey/sankey_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

#define WIDTH_PT 840.0
#define HEIGHT_PT 420.0

/* Copy an actor of the cluster into the drawing cluster (once). */
static int put_actor(eic_cluster *to, const eic_cluster *from, const char *id)
{
	if (eic_cluster_find_actor(to, id))
		return 0;
	const eic_actor *a = eic_cluster_find_actor(from, id);
	if (a)
		return eic_cluster_add_actor(to, a);
	const eic_facility *f = eic_cluster_find_facility(from, id);
	eic_actor na;
	memset(&na, 0, sizeof(na));
	na.id = id;
	na.kind = EIC_ACTOR_TREATMENT_FACILITY;
	na.name = f && !eic_str_empty(f->name) ? f->name : id;
	na.employees = -1;
	na.value_added = NAN;
	na.lat = na.lon = NAN;
	return eic_cluster_add_actor(to, &na);
}

/* A cluster holding the optimal flows (mass only, t over one year), for the Sankey layout. */
static int network_cluster(eic_cluster **out, size_t *left_out, const eic_cluster *c,
                           const eic_opt_result *r)
{
	eic_cluster *n = NULL;
	eic_cluster_info info;
	int error;
	*left_out = 0;
	if ((error = eic_cluster_new(&n)) < 0)
		return error;
	memset(&info, 0, sizeof(info));
	info.id = "optimised";
	info.name = "Optimised network";
	info.currency = eic_opt_currency(r);
	info.catalogue = "none";
	eic_period p = {"year", "2001-01-01", "2001-12-31", "one year"};
	TRY(eic_cluster_set_info(n, &info));
	TRY(eic_cluster_add_period(n, &p));
	for (size_t i = 0; i < eic_opt_flow_count(r); i++) {
		const eic_opt_flow *f = eic_opt_flow_at(r, i);
		char id[32];
		if (isnan(f->mass_t) || f->mass_t <= 0) {
			(*left_out)++;
			continue;
		}
		if (!eic_cluster_find_material(n, f->material)) {
			const eic_material *m = eic_cluster_find_material(c, f->material);
			eic_material nm;
			memset(&nm, 0, sizeof(nm));
			nm.id = f->material;
			nm.name = f->material_label;
			TRY(eic_cluster_add_material(n, m ? m : &nm));
		}
		TRY(put_actor(n, c, f->from_actor));
		if (f->to_kind != EIC_OPT_END_MARKET)
			TRY(put_actor(n, c, f->to_actor));
		snprintf(id, sizeof(id), "x%zu", i + 1);
		eic_flow fl;
		memset(&fl, 0, sizeof(fl));
		fl.id = id;
		fl.from = f->from_actor;
		fl.to = f->to_kind == EIC_OPT_END_MARKET ? "boundary:product_market" : f->to_actor;
		fl.material = f->material;
		fl.quantity = f->mass_t;
		fl.unit = "t";
		fl.period = "year";
		fl.sd = fl.rel_sd = NAN;
		TRY(eic_cluster_add_flow(n, &fl));
	}
	*out = n;
	n = NULL;
done:
	eic_cluster_free(n);
	return error;
}

/* The diagram as inline SVG: prolog dropped, fixed size replaced by the column width. */
static int diagram(eic_html *h, const eic_cluster *net)
{
	eic_sankey_options so = EIC_SANKEY_OPTIONS_INIT;
	eic_sankey *l = NULL;
	char *svg = NULL;
	eic_buf clean = EIC_BUF_INIT;
	int error = 0;
	so.width_pt = WIDTH_PT;
	so.height_pt = HEIGHT_PT;
	so.title = "Optimised exchange network, t/yr";
	TRY(eic_sankey_layout(&l, net, &so));
	if (eic_sankey_link_count(l) == 0)
		goto done;
	TRY(eic_sankey_svg(&svg, NULL, l));
	TRY(eic_sankey__svg_rewrite_ids(&clean, svg, "optnet-"));
	const char *start = clean.data ? strstr(clean.data, "<svg") : NULL;
	const char *tag_end = start ? strchr(start, '>') : NULL;
	if (!tag_end) {
		error = EIC_ERROR;
		goto done;
	}
	TRY(eic_html_raw(h, "<figure class=\"sankey\" style=\"margin:8px 0\">\n"
	                    "<svg style=\"display:block;width:100%;height:auto;border:1px solid "
	                    "#d9dee5;background:#fff\" role=\"img\" aria-label=\"Optimised "
	                    "exchange network\""));
	/* keep the root's attributes except width and height */
	for (const char *p = start + 4; p < tag_end;) {
		if (!strncmp(p, " width=\"", 8) || !strncmp(p, " height=\"", 9)) {
			const char *q = strchr(p + 2, '"');
			q = q ? strchr(q + 1, '"') : NULL;
			if (q && q < tag_end) {
				p = q + 1;
				continue;
			}
		}
		char one[2] = {*p++, 0};
		TRY(eic_html_raw(h, one));
	}
	TRY(eic_html_raw(h, tag_end));
	TRY(eic_html_raw(h, "</figure>\n"));
done:
	eic_sankey_free(l);
	eic_free(svg);
	eic_buf_free(&clean);
	return error;
}

static void money(char *buf, size_t size, double v)
{
	eic_report__fmt_sig(buf, size, v, 3);
}

static int tables(eic_html *h, const eic_opt_result *r)
{
	int error = 0;
	char a[64], b[64], c[64], d[64];
	const char *cur = eic_opt_currency(r);
	if (eic_opt_flow_count(r)) {
		TRY(eic_html_raw(h, "<table class=\"data\">\n<thead><tr><th>From</th><th>To</th>"
		                    "<th>Material</th><th class=\"num\">Quantity</th>"
		                    "<th class=\"num\">Distance</th><th class=\"num\">Value"));
		TRY(eic_html_printf(h, " (%s/yr)</th></tr></thead>\n<tbody>\n", cur));
		for (size_t i = 0; i < eic_opt_flow_count(r); i++) {
			const eic_opt_flow *f = eic_opt_flow_at(r, i);
			eic_report__fmt_sig(a, sizeof(a), f->quantity, 3);
			snprintf(b, sizeof(b), "%.1f km", f->distance_km);
			money(c, sizeof(c), f->value);
			TRY(eic_html_raw(h, "<tr><td>"));
			TRY(eic_html_text(h, f->from_label));
			TRY(eic_html_raw(h, "</td><td>"));
			TRY(eic_html_text(h, f->to_label));
			TRY(eic_html_raw(h, "</td><td>"));
			TRY(eic_html_text(h, f->material_label));
			TRY(eic_html_printf(h, "</td><td class=\"num\">%s ", a));
			TRY(eic_html_text(h, f->unit));
			TRY(eic_html_printf(h,
			                    "</td><td class=\"num\">%s</td><td class=\"num\">%s"
			                    "</td></tr>\n",
			                    f->to_kind == EIC_OPT_END_MARKET ? "" : b, c));
		}
		TRY(eic_html_raw(h, "</tbody></table>\n"));
	}
	if (eic_opt_facility_count(r)) {
		TRY(eic_html_printf(h,
		                    "<table class=\"data\">\n<thead><tr><th>Shared facility</th>"
		                    "<th>Level</th><th class=\"num\">Throughput</th>"
		                    "<th class=\"num\">Annual cost</th><th class=\"num\">Revenue"
		                    "</th><th class=\"num\">Net benefit (%s/yr)</th></tr></thead>\n"
		                    "<tbody>\n",
		                    cur));
		for (size_t i = 0; i < eic_opt_facility_count(r); i++) {
			const eic_opt_facility *f = eic_opt_facility_at(r, i);
			eic_report__fmt_sig(a, sizeof(a), f->throughput, 3);
			money(b, sizeof(b), f->annual_cost);
			money(c, sizeof(c), f->revenue);
			money(d, sizeof(d), f->net_benefit);
			TRY(eic_html_raw(h, "<tr><td>"));
			TRY(eic_html_text(h, f->name));
			TRY(eic_html_raw(h, "</td><td>"));
			TRY(eic_html_text(h, f->level ? f->level : "not opened"));
			TRY(eic_html_printf(h, "</td><td class=\"num\">%s ", a));
			TRY(eic_html_text(h, f->capacity_unit));
			TRY(eic_html_printf(
			    h,
			    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td class=\"num\">%s</td></tr>\n",
			    b, c, d));
		}
		TRY(eic_html_raw(h, "</tbody></table>\n"));
	}
done:
	return error;
}

/* Contract: see optimize.h. The solve is limited to EIC_OPT_REPORT_TIME_LIMIT_S per solve; an
 * option the data cannot serve (a non-USD cluster without an exchange rate) is said in one
 * sentence rather than failing the report. */
int eic_opt_report_render(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	eic_opt_options o = EIC_OPT_OPTIONS_INIT;
	eic_opt_result *r = NULL;
	eic_diags *diags = NULL;
	eic_cluster *net = NULL;
	size_t left_out = 0;
	char a[64], b[64];
	int error = 0;
	(void)ctx;
	if (!out || !cluster)
		return EIC_EINVAL;
	if (eic_cluster_offer_count(cluster) == 0 && eic_cluster_facility_count(cluster) == 0)
		return eic_html_raw(out,
		                    "<p>The cluster has no offers and no candidate facilities: "
		                    "there is no exchange network to optimise.</p>\n");
	o.time_limit_s = EIC_OPT_REPORT_TIME_LIMIT_S;
	o.rel_gap = 1e-3;
	TRY(eic_diags_new(&diags, 20));
	error = eic_opt_run(&r, cluster, &o, diags);
	if (error == EIC_ENOMEM)
		goto done;
	if (error < 0) {
		int why = error;
		error = 0;
		TRY(eic_html_raw(out, "<p>The optimisation was not run: "));
		TRY(eic_html_text(out, eic_diags_count(diags) ? eic_diags_get(diags, 0)->message
		                                              : eic_strerror(why)));
		TRY(eic_html_raw(out, ". <code>eic optimize</code> takes the missing numbers as "
		                      "options.</p>\n"));
		goto done;
	}
	eic_opt_stats st = eic_opt_stats_of(r);
	TRY(eic_html_raw(out, "<p>Exchanges and shared facilities chosen together to maximise the "
	                      "net economic benefit per year (a mixed-integer programme over "));
	TRY(eic_html_printf(out,
	                    "%zu candidate arcs, %zu variables of which %zu integer, %zu "
	                    "constraints; method in <code>docs/methods/optimization.md</code>). "
	                    "Solver status: <b>",
	                    st.candidate_arcs, st.variables, st.integers, st.rows));
	TRY(eic_html_text(out, eic_opt_status_text(r)));
	eic_report__fmt_sig(a, sizeof(a), 100 * (isnan(eic_opt_gap(r)) ? 0 : eic_opt_gap(r)), 2);
	TRY(eic_html_printf(out, "</b>, gap %s%%, %.2f s (", a, eic_opt_time(r)));
	TRY(eic_html_text(out, eic_milp_backend()));
	TRY(eic_html_raw(out, ")."));
	if (!isnan(eic_opt_economic(r))) {
		money(a, sizeof(a), eic_opt_economic(r));
		eic_report__fmt_sig(b, sizeof(b), eic_opt_ghg(r), 3);
		TRY(eic_html_printf(out, " Net benefit %s ", a));
		TRY(eic_html_text(out, eic_opt_currency(r)));
		TRY(eic_html_printf(out, "/yr; net emissions %s t CO2e/yr.", b));
	}
	TRY(eic_html_raw(out, "</p>\n"));
	if (eic_opt_reason_count(r)) {
		TRY(eic_html_raw(out, "<p>The model is infeasible; the constraints that cannot all "
		                      "hold:</p>\n<ul>\n"));
		for (size_t i = 0; i < eic_opt_reason_count(r); i++) {
			TRY(eic_html_raw(out, "<li>"));
			TRY(eic_html_text(out, eic_opt_reason(r, i)));
			TRY(eic_html_raw(out, "</li>\n"));
		}
		TRY(eic_html_raw(out, "</ul>\n"));
	}
	if (eic_opt_flow_count(r)) {
		TRY(network_cluster(&net, &left_out, cluster, r));
		TRY(diagram(out, net));
		TRY(eic_html_raw(out, "<p class=\"caption\">Band widths are proportional to tonnes "
		                      "per year; a shared facility's outputs sold outside the "
		                      "cluster go to the product market on the right."));
		if (left_out)
			TRY(eic_html_printf(out,
			                    " %zu flow%s measured in volume or energy without a "
			                    "density %s listed in the table only.",
			                    left_out, left_out == 1 ? "" : "s",
			                    left_out == 1 ? "is" : "are"));
		TRY(eic_html_raw(out, "</p>\n"));
	} else if (!eic_opt_reason_count(r)) {
		TRY(eic_html_raw(out, "<p>No exchange pays for itself under these numbers.</p>\n"));
	}
	TRY(tables(out, r));
	if (eic_opt_default_count(r)) {
		TRY(eic_html_raw(out, "<p class=\"note\">Defaults used where the data give no "
		                      "number: "));
		for (size_t i = 0; i < eic_opt_default_count(r); i++) {
			TRY(eic_html_raw(out, i ? "; " : ""));
			TRY(eic_html_text(out, eic_opt_default(r, i)));
		}
		TRY(eic_html_raw(out, ".</p>\n"));
	}
done:
	eic_cluster_free(net);
	eic_opt_free(r);
	eic_diags_free(diags);
	return error;
}
