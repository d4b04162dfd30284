/* sections.c: the default report sections other than the map: overview, actors, flows and
 * the mass and energy balance. Each is an eic_report_section render callback. */
#include "report_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

/* Relative imbalance above which a balance row is highlighted. */
#define REL_IMBALANCE_FLAG 0.05
/* Balance notes listed in the report; the rest are counted. */
#define MAX_NOTES 200

static const char *const kind_labels[EIC_ACTOR__N] = {
    "Firm",      "Knowledge institute", "Government body",    "Community organisation",
    "Financier", "Service provider",    "Treatment facility",
};

/* Colour-blind-friendly categorical palette (Okabe-Ito, with a dark blue for firms). */
static const char *const kind_colours[EIC_ACTOR__N] = {
    "#0072B2", "#CC79A7", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#7a5230",
};

static const char *const boundary_labels[EIC_BOUNDARY__N] = {
    "Supply market", "Product market", "Landfill",   "Open dumping",
    "Open burning",  "Water body",     "Atmosphere", "Stock",
};

const char *eic_report__actor_kind_label(eic_actor_kind kind)
{
	return (unsigned)kind < EIC_ACTOR__N ? kind_labels[kind] : "Other";
}

const char *eic_report__actor_kind_colour(eic_actor_kind kind)
{
	return (unsigned)kind < EIC_ACTOR__N ? kind_colours[kind] : "#777777";
}

const char *eic_report__boundary_label(eic_boundary_kind kind)
{
	return (unsigned)kind < EIC_BOUNDARY__N ? boundary_labels[kind] : "Boundary";
}

static const char *mass_unit(const eic_cluster *c)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	return info && !eic_str_empty(info->mass_unit) ? info->mass_unit : "t";
}

static const char *energy_unit(const eic_cluster *c)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	return info && !eic_str_empty(info->energy_unit) ? info->energy_unit : "GJ";
}

int eic_report__node_html(eic_html *h, const eic_cluster *c, const char *ref)
{
	eic_node node;
	int error = 0;
	if (eic_cluster_resolve_node(&node, c, ref) < 0) {
		TRY(eic_html_raw(h, "<span class=\"id\">"));
		TRY(eic_html_text(h, ref));
		TRY(eic_html_raw(h, "</span>"));
		goto done;
	}
	if (node.kind == EIC_NODE_BOUNDARY) {
		TRY(eic_html_raw(h, "<span class=\"boundary\">"));
		TRY(eic_html_text(h, eic_report__boundary_label(node.boundary)));
		TRY(eic_html_raw(h, "</span>"));
		goto done;
	}
	const eic_actor *actor = node.actor ? eic_cluster_find_actor(c, node.actor) : NULL;
	if (node.kind == EIC_NODE_PROCESS) {
		const eic_process *p = eic_cluster_find_process(c, node.id);
		TRY(eic_html_text(h, p && !eic_str_empty(p->name) ? p->name : node.id));
		if (actor) {
			TRY(eic_html_raw(h, " <span class=\"at\">at "));
			TRY(eic_html_text(h, eic_str_empty(actor->name) ? actor->id : actor->name));
			TRY(eic_html_raw(h, "</span>"));
		}
	} else {
		TRY(eic_html_text(h, actor && !eic_str_empty(actor->name) ? actor->name : node.id));
	}
done:
	return error;
}

/* Compute the all-periods balance; a failure other than out-of-memory is reported as a note
 * by the caller (*out stays NULL and the function returns 0). */
static int balance_for_report(eic_balance **out, int *out_code, const eic_cluster *c)
{
	eic_balance_options opts = EIC_BALANCE_OPTIONS_INIT;
	opts.by_material = 1;
	*out = NULL;
	*out_code = eic_balance_compute(out, c, &opts);
	if (*out_code == EIC_ENOMEM)
		return EIC_ENOMEM;
	if (*out_code < 0)
		*out = NULL;
	return 0;
}

static const eic_balance_row *cluster_row(const eic_balance *b)
{
	size_t n = eic_balance_row_count(b);
	for (size_t i = n; i-- > 0;) {
		const eic_balance_row *r = eic_balance_row_at(b, i);
		if (r->scope == EIC_SCOPE_CLUSTER)
			return r;
	}
	return NULL;
}

/* Mass to or from one boundary kind, summed over the boundary rows. */
static void boundary_mass(double *out_in, double *out_out, const eic_balance *b,
                          eic_boundary_kind kind)
{
	*out_in = *out_out = 0.0;
	for (size_t i = 0; i < eic_balance_boundary_count(b); i++) {
		const eic_boundary_row *r = eic_balance_boundary(b, i);
		if (r->boundary == kind) {
			*out_in += r->mass_in;
			*out_out += r->mass_out;
		}
	}
}

static int card(eic_html *h, const char *label, double value, const char *unit, int bad)
{
	char num[64];
	int error = 0;
	eic_report__fmt_sig(num, sizeof(num), value, 3);
	TRY(eic_html_printf(h, "<div class=\"card%s\"><div class=\"k\">", bad ? " bad" : ""));
	TRY(eic_html_text(h, label));
	TRY(eic_html_printf(h, "</div><div class=\"v\">%s<span class=\"u\">", num));
	TRY(eic_html_text(h, unit));
	TRY(eic_html_raw(h, "</span></div></div>\n"));
done:
	return error;
}

static int kv_row(eic_html *h, const char *key, const char *value)
{
	int error = 0;
	if (eic_str_empty(value))
		return 0;
	TRY(eic_html_raw(h, "<tr><th scope=\"row\">"));
	TRY(eic_html_text(h, key));
	TRY(eic_html_raw(h, "</th><td>"));
	TRY(eic_html_text(h, value));
	TRY(eic_html_raw(h, "</td></tr>\n"));
done:
	return error;
}

/* Horizontal bar chart (inline SVG) of mass leaving the cluster by destination boundary. */
static int outflow_chart(eic_html *h, const eic_balance *b, const char *unit)
{
	double values[EIC_BOUNDARY__N] = {0};
	double max = 0.0;
	int rows = 0, error = 0;
	for (int k = 0; k < EIC_BOUNDARY__N; k++) {
		double in, out;
		if (k == EIC_BOUNDARY_STOCK)
			continue;
		boundary_mass(&in, &out, b, (eic_boundary_kind)k);
		values[k] = out;
		if (out > 0) {
			rows++;
			if (out > max)
				max = out;
		}
	}
	if (rows == 0)
		return 0;
	const int row_h = 26, label_w = 150, bar_w = 560, width = 860;
	int height = rows * row_h + 8;
	TRY(eic_html_raw(h, "<h3>Where mass leaves the cluster</h3>\n"));
	TRY(eic_html_printf(h,
	                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	                    "width=\"%d\" style=\"max-width:100%%;height:auto\" role=\"img\" "
	                    "aria-label=\"Mass leaving the cluster by destination\" "
	                    "font-family=\"system-ui,Arial,sans-serif\" font-size=\"13\">\n",
	                    width, height, width));
	int y = 4;
	for (int k = 0; k < EIC_BOUNDARY__N; k++) {
		if (k == EIC_BOUNDARY_STOCK || values[k] <= 0)
			continue;
		int bad = k == EIC_BOUNDARY_LANDFILL || k == EIC_BOUNDARY_OPEN_DUMPING ||
		          k == EIC_BOUNDARY_OPEN_BURNING;
		double w = values[k] / max * bar_w;
		if (w < 1)
			w = 1;
		char num[64];
		eic_report__fmt_sig(num, sizeof(num), values[k], 3);
		TRY(eic_html_printf(
		    h,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1f2933\">%s"
		    "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		    "fill=\"%s\" rx=\"2\"/><text x=\"%.1f\" y=\"%d\" fill=\"#1f2933\">"
		    "%s ",
		    label_w - 8, y + 16, eic_report__boundary_label((eic_boundary_kind)k), label_w,
		    y + 3, w, row_h - 8, bad ? "#c4462b" : "#3f7fb0", label_w + w + 6, y + 16,
		    num));
		TRY(eic_html_text(h, unit));
		TRY(eic_html_raw(h, "</text>\n"));
		y += row_h;
	}
	TRY(eic_html_raw(h, "</svg>\n<p class=\"caption\">Red bars: disposal without recovery "
	                    "(landfill, open dumping, open burning).</p>\n"));
done:
	return error;
}

int eic_report__render_overview(eic_html *h, const eic_cluster *c, void *ctx)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	eic_balance *bal = NULL;
	int bal_code = 0, error = 0;
	char num[64];
	const char *mu = mass_unit(c);

	TRY(balance_for_report(&bal, &bal_code, c));

	/* Key figures. */
	if (bal) {
		const eic_balance_row *cr = cluster_row(bal);
		double in = 0, out = 0, landfill_in, landfill, dump_in, dump, burn_in, burn;
		if (cr) {
			in = cr->mass_in;
			out = cr->mass_out;
		} else {
			for (int k = 0; k < EIC_BOUNDARY__N; k++) {
				double bi, bo;
				if (k == EIC_BOUNDARY_STOCK)
					continue;
				boundary_mass(&bi, &bo, bal, (eic_boundary_kind)k);
				in += bi;
				out += bo;
			}
		}
		boundary_mass(&landfill_in, &landfill, bal, EIC_BOUNDARY_LANDFILL);
		boundary_mass(&dump_in, &dump, bal, EIC_BOUNDARY_OPEN_DUMPING);
		boundary_mass(&burn_in, &burn, bal, EIC_BOUNDARY_OPEN_BURNING);
		TRY(eic_html_raw(h, "<div class=\"cards\">\n"));
		TRY(card(h, "Mass entering the cluster", in, mu, 0));
		TRY(card(h, "Mass leaving the cluster", out, mu, 0));
		TRY(card(h, "To landfill", landfill, mu, landfill > 0));
		TRY(card(h, "To open burning", burn, mu, burn > 0));
		TRY(card(h, "To open dumping", dump, mu, dump > 0));
		TRY(eic_html_raw(h, "</div>\n"));
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">All periods summed%s. Mass in the cluster's "
		                    "reporting unit; see <a href=\"#balance\">the balance</a> for "
		                    "conversions and flows that could not be counted.</p>\n",
		                    eic_cluster_period_count(c) > 1 ? "" : " (one period)"));
	} else {
		TRY(eic_html_raw(h, "<p class=\"note\">Mass totals are not available: the balance "
		                    "could not be computed ("));
		TRY(eic_html_text(h, eic_strerror(bal_code)));
		TRY(eic_html_raw(h, ").</p>\n"));
	}

	/* Metadata. */
	TRY(eic_html_raw(h, "<h3>About the cluster</h3>\n<table class=\"kv\"><tbody>\n"));
	if (info) {
		TRY(kv_row(h, "Name", info->name));
		TRY(kv_row(h, "Cluster id", info->id));
		TRY(kv_row(h, "Region", info->region));
		TRY(kv_row(h, "Country", info->country));
		TRY(kv_row(h, "Currency", info->currency));
	}
	size_t period_count = eic_cluster_period_count(c);
	if (period_count) {
		TRY(eic_html_printf(h, "<tr><th scope=\"row\">Period%s</th><td>",
		                    period_count > 1 ? "s" : ""));
		for (size_t i = 0; i < period_count; i++) {
			const eic_period *p = eic_cluster_period(c, i);
			if (i)
				TRY(eic_html_raw(h, "<br>"));
			TRY(eic_html_raw(h, "<strong>"));
			TRY(eic_html_text(h, p->id));
			TRY(eic_html_raw(h, "</strong> "));
			TRY(eic_html_text(h, p->start));
			TRY(eic_html_raw(h, " to "));
			TRY(eic_html_text(h, p->end));
			if (!eic_str_empty(p->label)) {
				TRY(eic_html_raw(h, " ("));
				TRY(eic_html_text(h, p->label));
				TRY(eic_html_raw(h, ")"));
			}
		}
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	if (info) {
		TRY(kv_row(h, "Description", info->description));
		TRY(kv_row(h, "Sources", info->sources));
	}
	TRY(eic_html_raw(h, "</tbody></table>\n"));

	/* Counts. */
	size_t by_kind[EIC_ACTOR__N] = {0};
	size_t actor_count = eic_cluster_actor_count(c);
	for (size_t i = 0; i < actor_count; i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		if ((unsigned)a->kind < EIC_ACTOR__N)
			by_kind[a->kind]++;
	}
	size_t own_materials = 0, material_count = eic_cluster_material_count(c);
	for (size_t i = 0; i < material_count; i++) {
		if (eic_cluster_material(c, i)->origin == EIC_ORIGIN_CLUSTER)
			own_materials++;
	}
	size_t haves = 0, offer_count = eic_cluster_offer_count(c);
	for (size_t i = 0; i < offer_count; i++) {
		if (eic_cluster_offer(c, i)->type == EIC_OFFER_HAVE)
			haves++;
	}
	TRY(eic_html_raw(h, "<h3>What the package holds</h3>\n<table class=\"kv\"><tbody>\n"));
	eic_report__fmt_count(num, sizeof(num), actor_count);
	TRY(eic_html_printf(h, "<tr><th scope=\"row\">Actors</th><td>%s", num));
	{
		int first = 1;
		for (int k = 0; k < EIC_ACTOR__N; k++) {
			if (!by_kind[k])
				continue;
			eic_report__fmt_count(num, sizeof(num), by_kind[k]);
			TRY(eic_html_printf(h,
			                    "%s<span class=\"swatch\" style=\"background:%s\">"
			                    "</span>%s %s",
			                    first ? ": " : ", ", kind_colours[k], num,
			                    kind_labels[k]));
			first = 0;
		}
	}
	TRY(eic_html_raw(h, "</td></tr>\n"));
	eic_report__fmt_count(num, sizeof(num), eic_cluster_process_count(c));
	TRY(eic_html_printf(h, "<tr><th scope=\"row\">Processes</th><td>%s</td></tr>\n", num));
	eic_report__fmt_count(num, sizeof(num), material_count);
	TRY(eic_html_printf(h, "<tr><th scope=\"row\">Materials</th><td>%s", num));
	{
		char own[64];
		eic_report__fmt_count(own, sizeof(own), own_materials);
		TRY(eic_html_printf(h,
		                    " (%s defined by the cluster, the rest from the default "
		                    "catalogue)</td></tr>\n",
		                    own));
	}
	eic_report__fmt_count(num, sizeof(num), eic_cluster_flow_count(c));
	TRY(eic_html_printf(h, "<tr><th scope=\"row\">Flows</th><td>%s</td></tr>\n", num));
	eic_report__fmt_count(num, sizeof(num), offer_count);
	TRY(eic_html_printf(h, "<tr><th scope=\"row\">Offers</th><td>%s", num));
	if (offer_count) {
		char w[64], hv[64];
		eic_report__fmt_count(hv, sizeof(hv), haves);
		eic_report__fmt_count(w, sizeof(w), offer_count - haves);
		TRY(eic_html_printf(h, " (%s haves, %s wants)", hv, w));
	}
	TRY(eic_html_raw(h, "</td></tr>\n"));
	eic_report__fmt_count(num, sizeof(num), eic_cluster_facility_count(c));
	TRY(eic_html_printf(h, "<tr><th scope=\"row\">Candidate facilities</th><td>%s</td></tr>\n",
	                    num));
	TRY(eic_html_raw(h, "</tbody></table>\n"));

	if (bal)
		TRY(outflow_chart(h, bal, mu));
done:
	eic_balance_free(bal);
	return error;
}

static int coord_text(eic_html *h, double lat, double lon)
{
	if (!isfinite(lat) || !isfinite(lon))
		return eic_html_raw(h, "\xe2\x80\x94");
	return eic_html_printf(h, "%.4f\xc2\xb0%s, %.4f\xc2\xb0%s", fabs(lat), lat < 0 ? "S" : "N",
	                       fabs(lon), lon < 0 ? "W" : "E");
}

int eic_report__render_actors(eic_html *h, const eic_cluster *c, void *ctx)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	size_t n = eic_cluster_actor_count(c);
	char num[64];
	int error = 0;

	if (n == 0)
		return eic_html_raw(h, "<p class=\"note\">The package lists no actors.</p>\n");
	/* One classification for all: name it in the heading, else beside each code. Columns
	 * that no actor fills are left out and named in a note instead. */
	size_t nace = 0;
	int has_emp = 0, has_va = 0, has_addr = 0, has_sector = 0;
	for (size_t i = 0; i < n; i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		nace += a->sector_scheme == EIC_SECTOR_NACE2;
		has_emp |= a->employees >= 0;
		has_va |= isfinite(a->value_added);
		has_addr |= !eic_str_empty(a->address);
		has_sector |= !eic_str_empty(a->sector);
	}
	int mixed = nace != 0 && nace != n;
	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Id</th><th>Name</th>"
	                    "<th>Kind</th>"));
	if (has_sector)
		TRY(eic_html_printf(h, "<th>Sector%s</th>",
		                    mixed ? "" : (nace ? " (NACE Rev.2)" : " (ISIC Rev.4)")));
	if (has_emp)
		TRY(eic_html_raw(h, "<th class=\"num\">Employees</th>"));
	if (has_va) {
		TRY(eic_html_raw(h, "<th class=\"num\">Value added ("));
		TRY(eic_html_text(h, info && !eic_str_empty(info->currency) ? info->currency
		                                                            : "currency"));
		TRY(eic_html_raw(h, "/yr)</th>"));
	}
	TRY(eic_html_raw(h, "<th>Coordinates</th>"));
	if (has_addr)
		TRY(eic_html_raw(h, "<th>Address</th>"));
	TRY(eic_html_raw(h, "</tr></thead><tbody>\n"));
	for (size_t i = 0; i < n; i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		TRY(eic_html_raw(h, "<tr><td class=\"id\">"));
		TRY(eic_html_text(h, a->id));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_html_text(h, a->name));
		TRY(eic_html_printf(h,
		                    "</td><td class=\"nowrap\"><span class=\"swatch\" "
		                    "style=\"background:%s\"></span>%s</td>",
		                    eic_report__actor_kind_colour(a->kind),
		                    eic_report__actor_kind_label(a->kind)));
		if (has_sector) {
			TRY(eic_html_raw(h, "<td>"));
			if (!eic_str_empty(a->sector)) {
				TRY(eic_html_text(h, a->sector));
				if (mixed)
					TRY(eic_html_raw(h,
					                 a->sector_scheme == EIC_SECTOR_NACE2
					                     ? " <span class=\"at\">NACE</span>"
					                     : " <span class=\"at\">ISIC</span>"));
			} else {
				TRY(eic_html_raw(h, "\xe2\x80\x94"));
			}
			TRY(eic_html_raw(h, "</td>"));
		}
		if (has_emp) {
			if (a->employees >= 0)
				eic_report__fmt_count(num, sizeof(num), (size_t)a->employees);
			else
				eic_report__fmt_input(num, sizeof(num), NAN);
			TRY(eic_html_printf(h, "<td class=\"num\">%s</td>", num));
		}
		if (has_va) {
			eic_report__fmt_input(num, sizeof(num), a->value_added);
			TRY(eic_html_printf(h, "<td class=\"num\">%s</td>", num));
		}
		TRY(eic_html_raw(h, "<td class=\"nowrap\">"));
		TRY(coord_text(h, a->lat, a->lon));
		TRY(eic_html_raw(h, "</td>"));
		if (has_addr) {
			TRY(eic_html_raw(h, "<td>"));
			TRY(eic_html_text(h, a->address));
			TRY(eic_html_raw(h, "</td>"));
		}
		TRY(eic_html_raw(h, "</tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
	if (!has_sector || !has_emp || !has_va || !has_addr) {
		const char *missing[4];
		size_t m = 0;
		if (!has_sector)
			missing[m++] = "sector";
		if (!has_emp)
			missing[m++] = "employees";
		if (!has_va)
			missing[m++] = "value added";
		if (!has_addr)
			missing[m++] = "address";
		TRY(eic_html_raw(h, "<p class=\"note\">Not given for any actor, so not shown:"));
		for (size_t i = 0; i < m; i++)
			TRY(eic_html_printf(h, "%s %s", i ? "," : "", missing[i]));
		TRY(eic_html_raw(h, ".</p>\n"));
	}
done:
	return error;
}

/* ---- flows ---- */

typedef struct {
	const eic_flow *flow;
	size_t period_index; /* declaration order; unknown periods last */
	double mass;         /* in the cluster mass unit, or -1 when not convertible */
} flow_item;

static int cmp_by_mass(const void *a, const void *b)
{
	const flow_item *x = a, *y = b;
	if (x->mass != y->mass)
		return x->mass > y->mass ? -1 : 1;
	return strcmp(x->flow->id ? x->flow->id : "", y->flow->id ? y->flow->id : "");
}

static int cmp_by_period_id(const void *a, const void *b)
{
	const flow_item *x = a, *y = b;
	if (x->period_index != y->period_index)
		return x->period_index < y->period_index ? -1 : 1;
	return strcmp(x->flow->id ? x->flow->id : "", y->flow->id ? y->flow->id : "");
}

static int uncertainty_text(eic_html *h, const eic_flow *f)
{
	char num[64];
	int error = 0;
	if (isfinite(f->sd)) {
		eic_report__fmt_input(num, sizeof(num), f->sd);
		TRY(eic_html_printf(h, "\xc2\xb1 %s ", num));
		TRY(eic_html_text(h, f->unit));
	} else if (isfinite(f->rel_sd)) {
		eic_report__fmt_sig(num, sizeof(num), f->rel_sd * 100.0, 3);
		TRY(eic_html_printf(h, "\xc2\xb1 %s %%", num));
	} else {
		TRY(eic_html_raw(h, "\xe2\x80\x94"));
	}
done:
	return error;
}

static int period_group_row(eic_html *h, const eic_cluster *c, const char *period_id, size_t shown)
{
	const eic_period *p = eic_cluster_find_period(c, period_id);
	char num[64];
	int error = 0;
	TRY(eic_html_raw(h, "<tr class=\"group\"><td colspan=\"8\">Period "));
	TRY(eic_html_text(h, period_id));
	if (p) {
		if (!eic_str_empty(p->label)) {
			TRY(eic_html_raw(h, " \xe2\x80\x94 "));
			TRY(eic_html_text(h, p->label));
		}
		TRY(eic_html_raw(h, " ("));
		TRY(eic_html_text(h, p->start));
		TRY(eic_html_raw(h, " to "));
		TRY(eic_html_text(h, p->end));
		TRY(eic_html_raw(h, ")"));
	}
	eic_report__fmt_count(num, sizeof(num), shown);
	TRY(eic_html_printf(h, ", %s flow%s</td></tr>\n", num, shown == 1 ? "" : "s"));
done:
	return error;
}

int eic_report__render_flows(eic_html *h, const eic_cluster *c, void *ctx)
{
	size_t n = eic_cluster_flow_count(c), shown, period_count = eic_cluster_period_count(c);
	flow_item *items = NULL;
	eic_map periods;
	char num[64];
	int error = 0;
	const char *mu = mass_unit(c);

	eic_map_init(&periods);
	if (n == 0) {
		error = eic_html_raw(h, "<p class=\"note\">The package lists no flows.</p>\n");
		goto done;
	}
	for (size_t i = 0; i < period_count; i++) {
		if (eic_map_put(&periods, eic_cluster_period(c, i)->id, i) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	items = eic_calloc(n, sizeof(*items));
	if (!items) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const eic_flow *f = eic_cluster_flow(c, i);
		const char *via = NULL;
		double m;
		items[i].flow = f;
		if (!eic_map_get(&periods, f->period, &items[i].period_index))
			items[i].period_index = period_count;
		items[i].mass = eic_flow_amount(&m, &via, c, f, mu) == 0 && isfinite(m) ? m : -1.0;
	}
	shown = n;
	if (n > EIC_REPORT_MAX_FLOW_ROWS) {
		qsort(items, n, sizeof(*items), cmp_by_mass);
		shown = EIC_REPORT_MAX_FLOW_ROWS;
		char total[64], omitted[64];
		eic_report__fmt_count(total, sizeof(total), n);
		eic_report__fmt_count(omitted, sizeof(omitted), n - shown);
		TRY(eic_html_printf(h,
		                    "<p class=\"note\"><strong>%d of %s flows shown:</strong> the "
		                    "largest by mass; %s flows are omitted. Flows that cannot be "
		                    "expressed in ",
		                    EIC_REPORT_MAX_FLOW_ROWS, total, omitted));
		TRY(eic_html_text(h, mu));
		TRY(eic_html_raw(h, " rank last.</p>\n"));
	}
	qsort(items, shown, sizeof(*items), cmp_by_period_id);

	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Id</th><th>From</th>"
	                    "<th>To</th><th>Material</th><th class=\"num\">Quantity</th>"
	                    "<th>Quality</th><th class=\"num\">Uncertainty (1 sd)</th>"
	                    "<th>Source</th></tr></thead><tbody>\n"));
	for (size_t i = 0; i < shown; i++) {
		const eic_flow *f = items[i].flow;
		if (i == 0 || items[i].period_index != items[i - 1].period_index ||
		    (items[i].period_index == period_count &&
		     !eic_streq(f->period, items[i - 1].flow->period))) {
			size_t group = 0;
			for (size_t j = i;
			     j < shown && items[j].period_index == items[i].period_index &&
			     eic_streq(items[j].flow->period, f->period);
			     j++)
				group++;
			TRY(period_group_row(h, c, f->period, group));
		}
		const eic_material *mat = eic_cluster_find_material(c, f->material);
		TRY(eic_html_raw(h, "<tr><td class=\"id\">"));
		TRY(eic_html_text(h, f->id));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_report__node_html(h, c, f->from));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_report__node_html(h, c, f->to));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_html_text(h, mat && !eic_str_empty(mat->name) ? mat->name : f->material));
		eic_report__fmt_input(num, sizeof(num), f->quantity);
		TRY(eic_html_printf(h, "</td><td class=\"num\">%s ", num));
		TRY(eic_html_text(h, f->unit));
		const char *q = eic_data_quality_name(f->quality);
		TRY(eic_html_printf(h,
		                    "</td><td><span class=\"badge %s\">%s</span></td>"
		                    "<td class=\"num\">",
		                    q ? q : "", q ? q : ""));
		TRY(uncertainty_text(h, f));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_html_text(h, f->source));
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
done:
	eic_free(items);
	eic_map_free(&periods);
	return error;
}

/* ---- balance ---- */

static const char *scope_title(eic_balance_scope s)
{
	switch (s) {
	case EIC_SCOPE_PROCESS:
		return "Processes";
	case EIC_SCOPE_ACTOR:
		return "Actors";
	default:
		return "Cluster";
	}
}

static int balance_table(eic_html *h, const eic_balance *b, int energy, const char *unit)
{
	size_t n = eic_balance_row_count(b), rows = 0;
	char in[64], out[64], st[64], im[64], rel[64];
	int error = 0;
	int last_scope = -1;

	for (size_t i = 0; i < n; i++) {
		const eic_balance_row *r = eic_balance_row_at(b, i);
		if (energy ? (r->energy_in != 0 || r->energy_out != 0 || r->energy_stock != 0)
		           : (r->mass_in != 0 || r->mass_out != 0 || r->mass_stock != 0))
			rows++;
	}
	if (rows == 0) {
		error =
		    eic_html_raw(h, energy ? "<p class=\"note\">No flow is an energy flow or has "
		                             "a heating value (lhv) to count it as energy.</p>\n"
		                           : "<p class=\"note\">No flow could be counted in "
		                             "this balance.</p>\n");
		goto done;
	}
	TRY(eic_html_raw(h, "<div class=\"scroll\"><table><thead><tr><th>Id</th><th>Name</th>"));
	const char *cols[] = {"In", "Out", "Stock change", "Imbalance"};
	for (size_t k = 0; k < 4; k++) {
		TRY(eic_html_printf(h, "<th class=\"num\">%s (", cols[k]));
		TRY(eic_html_text(h, unit));
		TRY(eic_html_raw(h, ")</th>"));
	}
	TRY(eic_html_raw(h, "<th class=\"num\">Relative</th></tr></thead><tbody>\n"));
	for (size_t i = 0; i < n; i++) {
		const eic_balance_row *r = eic_balance_row_at(b, i);
		double vin = energy ? r->energy_in : r->mass_in;
		double vout = energy ? r->energy_out : r->mass_out;
		double vst = energy ? r->energy_stock : r->mass_stock;
		double vim = energy ? r->energy_imbalance : r->mass_imbalance;
		double vrel = energy ? r->energy_rel : r->mass_rel;
		if (vin == 0 && vout == 0 && vst == 0)
			continue;
		if ((int)r->scope != last_scope) {
			last_scope = (int)r->scope;
			TRY(eic_html_printf(h,
			                    "<tr class=\"group\"><td colspan=\"7\">%s</td></tr>\n",
			                    scope_title(r->scope)));
		}
		int flag = isfinite(vrel) && fabs(vrel) > REL_IMBALANCE_FLAG;
		eic_report__fmt_sig(in, sizeof(in), vin, 3);
		eic_report__fmt_sig(out, sizeof(out), vout, 3);
		eic_report__fmt_sig(st, sizeof(st), vst, 3);
		eic_report__fmt_sig(im, sizeof(im), vim, 3);
		if (isfinite(vrel)) {
			eic_report__fmt_sig(rel, sizeof(rel), vrel * 100.0, 3);
			strncat(rel, " %", sizeof(rel) - strlen(rel) - 1);
		} else {
			eic_report__fmt_sig(rel, sizeof(rel), NAN, 3);
		}
		TRY(eic_html_printf(
		    h, "<tr%s><td class=\"id\">",
		    flag ? " class=\"warn\""
		         : (r->scope == EIC_SCOPE_CLUSTER ? " class=\"total\"" : "")));
		TRY(eic_html_text(h, r->id));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_html_text(h, r->name));
		TRY(eic_html_printf(h,
		                    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		                    "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
		                    "<td class=\"num%s\">%s%s</td></tr>\n",
		                    in, out, st, im, flag ? " flag" : "",
		                    flag ? "\xe2\x9a\xa0 " : "", rel));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));
	if (rows < n) {
		char skipped[64];
		eic_report__fmt_count(skipped, sizeof(skipped), n - rows);
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">%s row%s without %s flows not shown.</p>\n",
		                    skipped, n - rows == 1 ? "" : "s", energy ? "energy" : "mass"));
	}
done:
	return error;
}

int eic_report__render_balance(eic_html *h, const eic_cluster *c, void *ctx)
{
	eic_balance *bal = NULL;
	int bal_code = 0, error = 0;
	const char *mu = mass_unit(c), *eu = energy_unit(c);
	char a[64], b[64], d[64], e[64];

	TRY(balance_for_report(&bal, &bal_code, c));
	if (!bal) {
		TRY(eic_html_raw(h, "<p class=\"note\">The balance could not be computed ("));
		TRY(eic_html_text(h, eic_strerror(bal_code)));
		TRY(eic_html_raw(h, ").</p>\n"));
		goto done;
	}
	TRY(eic_html_raw(h, "<p class=\"note\">All periods summed. Imbalance = in \xe2\x88\x92 out "
	                    "\xe2\x88\x92 stock change; relative imbalance = imbalance / max(in, "
	                    "out). Rows with |relative imbalance| above 5% are highlighted: they "
	                    "point at a missing or mis-measured flow.</p>\n"));
	TRY(eic_html_raw(h, "<h3>Mass balance</h3>\n"));
	TRY(balance_table(h, bal, 0, mu));
	TRY(eic_html_raw(h, "<h3>Energy balance</h3>\n"));
	TRY(balance_table(h, bal, 1, eu));

	TRY(eic_html_raw(h, "<h3>Exchanges across the cluster boundary</h3>\n"
	                    "<div class=\"scroll\"><table><thead><tr><th>Boundary</th>"));
	TRY(eic_html_raw(h, "<th class=\"num\">Mass into the cluster ("));
	TRY(eic_html_text(h, mu));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">Mass out of the cluster ("));
	TRY(eic_html_text(h, mu));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">Energy into the cluster ("));
	TRY(eic_html_text(h, eu));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">Energy out of the cluster ("));
	TRY(eic_html_text(h, eu));
	TRY(eic_html_raw(h, ")</th></tr></thead><tbody>\n"));
	{
		size_t shown = 0;
		for (size_t i = 0; i < eic_balance_boundary_count(bal); i++) {
			const eic_boundary_row *r = eic_balance_boundary(bal, i);
			if (r->mass_in == 0 && r->mass_out == 0 && r->energy_in == 0 &&
			    r->energy_out == 0)
				continue;
			eic_report__fmt_sig(a, sizeof(a), r->mass_in, 3);
			eic_report__fmt_sig(b, sizeof(b), r->mass_out, 3);
			eic_report__fmt_sig(d, sizeof(d), r->energy_in, 3);
			eic_report__fmt_sig(e, sizeof(e), r->energy_out, 3);
			TRY(eic_html_printf(h,
			                    "<tr><td>%s</td><td class=\"num\">%s</td>"
			                    "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
			                    "<td class=\"num\">%s</td></tr>\n",
			                    eic_report__boundary_label(r->boundary), a, b, d, e));
			shown++;
		}
		if (!shown)
			TRY(eic_html_raw(h, "<tr><td colspan=\"5\">No flow crosses the cluster "
			                    "boundary.</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));

	/* What crosses the cluster boundary, material by material (mass). */
	TRY(eic_html_raw(h, "<h3>Across the cluster boundary, by material</h3>\n"
	                    "<div class=\"scroll\"><table><thead><tr><th>Material</th>"));
	TRY(eic_html_raw(h, "<th class=\"num\">Into the cluster ("));
	TRY(eic_html_text(h, mu));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">Out of the cluster ("));
	TRY(eic_html_text(h, mu));
	TRY(eic_html_raw(h, ")</th><th class=\"num\">Stock change ("));
	TRY(eic_html_text(h, mu));
	TRY(eic_html_raw(h, ")</th></tr></thead><tbody>\n"));
	{
		size_t shown = 0;
		for (size_t i = 0; i < eic_balance_material_row_count(bal); i++) {
			const eic_balance_row *r = eic_balance_material_row_at(bal, i);
			if (r->scope != EIC_SCOPE_CLUSTER ||
			    (r->mass_in == 0 && r->mass_out == 0 && r->mass_stock == 0))
				continue;
			const eic_material *m = eic_cluster_find_material(c, r->material);
			eic_report__fmt_sig(a, sizeof(a), r->mass_in, 3);
			eic_report__fmt_sig(b, sizeof(b), r->mass_out, 3);
			eic_report__fmt_sig(d, sizeof(d), r->mass_stock, 3);
			TRY(eic_html_raw(h, "<tr><td>"));
			TRY(eic_html_text(h, m && m->name && *m->name ? m->name : r->material));
			TRY(eic_html_printf(
			    h,
			    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td class=\"num\">%s</td></tr>\n",
			    a, b, d));
			shown++;
		}
		if (!shown)
			TRY(eic_html_raw(h, "<tr><td colspan=\"4\">No mass crosses the cluster "
			                    "boundary.</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table></div>\n"));

	size_t notes = eic_balance_note_count(bal);
	TRY(eic_html_raw(h, "<h3>Conversion notes</h3>\n"));
	if (notes == 0) {
		TRY(eic_html_raw(h, "<p class=\"note\">Every flow was counted in its own unit; no "
		                    "conversion through a material property was needed.</p>\n"));
	} else {
		TRY(eic_html_raw(h, "<ul class=\"notes\">\n"));
		size_t shown = notes > MAX_NOTES ? MAX_NOTES : notes;
		for (size_t i = 0; i < shown; i++) {
			TRY(eic_html_raw(h, "<li>"));
			TRY(eic_html_text(h, eic_balance_note(bal, i)));
			TRY(eic_html_raw(h, "</li>\n"));
		}
		TRY(eic_html_raw(h, "</ul>\n"));
		if (shown < notes) {
			eic_report__fmt_count(a, sizeof(a), notes - shown);
			TRY(eic_html_printf(h,
			                    "<p class=\"note\">%s further notes are not shown "
			                    "(run <code>eic balance</code> for all of them).</p>\n",
			                    a));
		}
	}
done:
	eic_balance_free(bal);
	return error;
}
