/* match_section.c: the report's "Proposed exchanges" section: the matcher's top candidates as
 * lines between sites on a map framed like the "Map of sites" section, and as a table. */
#include "match_section.h"

#include <eic/kb.h>
#include <eic/match.h>

#include "lib/report/report_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define DEG2RAD(d) ((d) * (M_PI / 180.0))

/* Layout, the same as map.c so both maps frame the sites alike. */
#define SVG_W 960.0
#define MARGIN_L 72.0
#define MARGIN_R 14.0
#define MARGIN_T 14.0
#define MARGIN_B 14.0
#define PLOT_W (SVG_W - MARGIN_L - MARGIN_R)
#define PLOT_H_MIN 380.0
#define PLOT_H_MAX 640.0
#define TINY_EXTENT_KM 0.5
#define DEFAULT_BOX_KM 10.0
#define EXTENT_MARGIN 0.14
#define LINE_W_MIN 1.5
#define LINE_W_MAX 9.0
#define LINE_W_NO_MASS 1.2
#define LABEL_H 14.0
#define MAX_LABELS 40
#define LABEL_MAX_CHARS 30

static const char *const mode_colour[EIC_MATCH__N] = {"#c05621", "#2b6cb0", "#2f855a"};

typedef struct {
	double lat_c, lon_c, cos_lat0, px_per_km, plot_h;
} projection;

typedef struct {
	double x0, y0, x1, y1;
} box;

static double proj_x(const projection *p, double lon)
{
	double km = EIC_REPORT_EARTH_RADIUS_KM * DEG2RAD(lon - p->lon_c) * p->cos_lat0;
	return MARGIN_L + PLOT_W / 2 + km * p->px_per_km;
}

static double proj_y(const projection *p, double lat)
{
	double km = EIC_REPORT_EARTH_RADIUS_KM * DEG2RAD(lat - p->lat_c);
	return MARGIN_T + p->plot_h / 2 - km * p->px_per_km;
}

static int sited(double lat, double lon)
{
	return isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 && fabs(lon) <= 180;
}

static void extend(double *lat_min, double *lat_max, double *lon_min, double *lon_max,
                   double *lat_sum, size_t *n, double lat, double lon)
{
	*lat_min = fmin(*lat_min, lat);
	*lat_max = fmax(*lat_max, lat);
	*lon_min = fmin(*lon_min, lon);
	*lon_max = fmax(*lon_max, lon);
	*lat_sum += lat;
	(*n)++;
}

static int drawable(const eic_match_candidate *m)
{
	return !m->a.masked && !m->b.masked && sited(m->a.lat, m->a.lon) &&
	       sited(m->b.lat, m->b.lon) && m->a.actor && m->b.actor &&
	       strcmp(m->a.actor, m->b.actor) != 0;
}

/* Frame the view on the ends of the drawn candidates, with the extent margin, aspect limits and
 * equirectangular projection of the "Map of sites" section (map.c), so the exchanges are not
 * shrunk by far sites that take part in none of them. Returns 0 when nothing is drawn. */
static int frame(projection *p, const eic_match_result *r, size_t top)
{
	double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180, lat_sum = 0;
	size_t n = 0;
	for (size_t i = 0; i < top; i++) {
		const eic_match_candidate *m = eic_match_at(r, i);
		if (!drawable(m))
			continue;
		extend(&lat_min, &lat_max, &lon_min, &lon_max, &lat_sum, &n, m->a.lat, m->a.lon);
		extend(&lat_min, &lat_max, &lon_min, &lon_max, &lat_sum, &n, m->b.lat, m->b.lon);
	}
	if (!n)
		return 0;
	p->cos_lat0 = fmax(cos(DEG2RAD(lat_sum / (double)n)), 0.02);
	p->lat_c = (lat_min + lat_max) / 2;
	p->lon_c = (lon_min + lon_max) / 2;
	double w_km = EIC_REPORT_EARTH_RADIUS_KM * DEG2RAD(lon_max - lon_min) * p->cos_lat0;
	double h_km = EIC_REPORT_EARTH_RADIUS_KM * DEG2RAD(lat_max - lat_min);
	if (fmax(w_km, h_km) < TINY_EXTENT_KM) {
		w_km = h_km = DEFAULT_BOX_KM;
	} else {
		double longest = fmax(w_km, h_km);
		w_km = fmax(w_km, 0.25 * longest) * (1 + 2 * EXTENT_MARGIN);
		h_km = fmax(h_km, 0.25 * longest) * (1 + 2 * EXTENT_MARGIN);
	}
	p->plot_h = fmin(fmax(PLOT_W * h_km / w_km, PLOT_H_MIN), PLOT_H_MAX);
	p->px_per_km = fmin(PLOT_W / w_km, p->plot_h / h_km);
	return 1;
}

/* Mass carried per year, or NaN. */
static double cand_mass(const eic_match_candidate *m)
{
	return isfinite(m->mass_t_per_yr) && m->mass_t_per_yr > 0 ? m->mass_t_per_yr : NAN;
}

static double line_width(double mass, double lo, double hi)
{
	if (!isfinite(mass))
		return LINE_W_NO_MASS;
	if (!(hi > lo) || lo <= 0)
		return (LINE_W_MIN + LINE_W_MAX) / 2;
	double t = (log(mass) - log(lo)) / (log(hi) - log(lo));
	return LINE_W_MIN + t * (LINE_W_MAX - LINE_W_MIN);
}

static int boxes_clear(const box *placed, size_t n, const box *b, double plot_h)
{
	if (b->x0 < MARGIN_L + 2 || b->x1 > MARGIN_L + PLOT_W - 2 || b->y0 < MARGIN_T + 2 ||
	    b->y1 > MARGIN_T + plot_h - 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (b->x0 < placed[i].x1 && placed[i].x0 < b->x1 && b->y0 < placed[i].y1 &&
		    placed[i].y0 < b->y1)
			return 0;
	}
	return 1;
}

/* One site label next to (x, y), cut to LABEL_MAX_CHARS code points with an ellipsis: the
 * first of eight positions around the point that stays in the plot and misses the boxes
 * already placed; skipped (the name stays in the table and the tooltip) when none fits. */
static int draw_label(eic_html *h, box *placed, size_t *nplaced, double x, double y,
                      const char *name, double plot_h)
{
	char text[LABEL_MAX_CHARS * 4 + 8];
	size_t chars = 0, i = 0;
	int error = 0;
	for (; name[i]; i++) {
		if (((unsigned char)name[i] & 0xC0) != 0x80 && chars++ == LABEL_MAX_CHARS)
			break;
	}
	int cut = name[i] != '\0';
	if (cut) {
		/* Cut at the last space when it keeps most of the name. */
		size_t j = i;
		while (j > i / 2 && name[j - 1] != ' ')
			j--;
		if (j > i / 2)
			i = j - 1;
		chars = 0;
		for (size_t k = 0; k < i; k++)
			chars += ((unsigned char)name[k] & 0xC0) != 0x80;
		chars++;
	}
	if (i + 4 > sizeof(text))
		return 0;
	memcpy(text, name, i);
	if (cut)
		memcpy(text + i, "\xe2\x80\xa6", 3), i += 3;
	text[i] = '\0';
	double w = 0.58 * 12.0 * (double)chars + 4, g = 9, d = 6;
	box cand[8] = {{x + g, y - LABEL_H / 2, x + g + w, y + LABEL_H / 2},
	               {x - g - w, y - LABEL_H / 2, x - g, y + LABEL_H / 2},
	               {x - w / 2, y - g - LABEL_H, x + w / 2, y - g},
	               {x - w / 2, y + g, x + w / 2, y + g + LABEL_H},
	               {x + d, y - d - LABEL_H, x + d + w, y - d},
	               {x + d, y + d, x + d + w, y + d + LABEL_H},
	               {x - d - w, y - d - LABEL_H, x - d, y - d},
	               {x - d - w, y + d, x - d, y + d + LABEL_H}};
	for (int k = 0; k < 8; k++) {
		if (!boxes_clear(placed, *nplaced, &cand[k], plot_h))
			continue;
		placed[(*nplaced)++] = cand[k];
		TRY(eic_html_printf(h, "<text x=\"%.1f\" y=\"%.1f\">", cand[k].x0 + 2,
		                    cand[k].y0 + LABEL_H - 3));
		TRY(eic_html_text(h, text));
		TRY(eic_html_raw(h, "</text>\n"));
		break;
	}
done:
	return error;
}

/* Label of one side: the actor's name (or the masked text). */
static const char *side_label(const eic_match_side *s)
{
	if (!eic_str_empty(s->label))
		return s->label;
	return s->actor ? s->actor : "?";
}

static int draw_map(eic_html *h, const eic_cluster *c, const eic_match_result *r, size_t top,
                    size_t *out_drawn)
{
	projection p;
	box placed[MAX_LABELS + 2 * EIC_MATCH_SECTION_TOP + 8];
	size_t nplaced = 0, drawn = 0;
	double lo = INFINITY, hi = 0;
	int present[EIC_MATCH__N] = {0}, any_no_mass = 0, error = 0;
	char num[64];

	*out_drawn = 0;
	for (size_t i = 0; i < top; i++) {
		const eic_match_candidate *m = eic_match_at(r, i);
		if (!drawable(m))
			continue;
		drawn++;
		double mass = cand_mass(m);
		if (isfinite(mass)) {
			lo = fmin(lo, mass);
			hi = fmax(hi, mass);
		} else {
			any_no_mass = 1;
		}
		if ((unsigned)m->mode < EIC_MATCH__N)
			present[m->mode] = 1;
	}
	if (!drawn || !frame(&p, r, top))
		goto done;
	double svg_h = MARGIN_T + p.plot_h + MARGIN_B;
	TRY(eic_html_printf(h,
	                    "<figure class=\"map\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	                    "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Map of proposed "
	                    "exchanges\" font-family=\"system-ui,Arial,sans-serif\">\n",
	                    SVG_W, svg_h));
	TRY(eic_html_printf(h,
	                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	                    "fill=\"#f4f7fa\" stroke=\"#9aa7b4\"/>\n",
	                    MARGIN_L, MARGIN_T, PLOT_W, p.plot_h));
	/* Every sited actor as a small grey dot, for context. */
	TRY(eic_html_raw(h, "<g class=\"sites\" fill=\"#a0aec0\">\n"));
	for (size_t i = 0; i < eic_cluster_actor_count(c); i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		if (!sited(a->lat, a->lon))
			continue;
		double x = proj_x(&p, a->lon), y = proj_y(&p, a->lat);
		if (x < MARGIN_L || x > MARGIN_L + PLOT_W || y < MARGIN_T ||
		    y > MARGIN_T + p.plot_h)
			continue;
		TRY(eic_html_printf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>", x, y));
		TRY(eic_html_text(h, eic_str_empty(a->name) ? a->id : a->name));
		TRY(eic_html_raw(h, "</title></circle>\n"));
	}
	TRY(eic_html_raw(h, "</g>\n<g class=\"exchanges\" fill=\"none\" stroke-opacity=\"0.7\" "
	                    "stroke-linecap=\"round\">\n"));
	/* Worst first, so the best candidates are drawn on top. */
	for (size_t k = top; k-- > 0;) {
		const eic_match_candidate *m = eic_match_at(r, k);
		if (!drawable(m))
			continue;
		double ax = proj_x(&p, m->a.lon), ay = proj_y(&p, m->a.lat);
		double bx = proj_x(&p, m->b.lon), by = proj_y(&p, m->b.lat);
		double dx = bx - ax, dy = by - ay, len = sqrt(dx * dx + dy * dy);
		if (len < 1.0)
			continue;
		/* Bend alternately by rank so that candidates between the same sites separate. */
		double bend = (0.10 + 0.05 * (double)(k % 4)) * len * (k % 2 ? -1 : 1);
		double nx = -dy / len, ny = dx / len;
		double cx = (ax + bx) / 2 + nx * bend, cy = (ay + by) / 2 + ny * bend;
		double mx = 0.25 * ax + 0.5 * cx + 0.25 * bx, my = 0.25 * ay + 0.5 * cy + 0.25 * by;
		const char *col = mode_colour[(unsigned)m->mode < EIC_MATCH__N ? m->mode : 0];
		double w = line_width(cand_mass(m), lo, hi);
		TRY(eic_html_printf(h, "<g><title>#%zu ", k + 1));
		TRY(eic_html_text(h, side_label(&m->a)));
		TRY(eic_html_raw(h, m->mode == EIC_MATCH_SUBSTITUTION ? " \xe2\x86\x92 " : " + "));
		TRY(eic_html_text(h, side_label(&m->b)));
		TRY(eic_html_raw(h, ": "));
		TRY(eic_html_text(h, m->explanation ? m->explanation : ""));
		TRY(eic_html_printf(
		    h,
		    "</title><path d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\" "
		    "stroke=\"%s\" stroke-width=\"%.2f\"%s/>",
		    ax, ay, cx, cy, bx, by, col, w,
		    m->mode == EIC_MATCH_SUBSTITUTION ? "" : " stroke-dasharray=\"8 4\""));
		if (m->mode == EIC_MATCH_SUBSTITUTION) {
			/* Arrowhead three quarters along the curve, pointing at the user. */
			double t = 0.75, u = 1 - t;
			double px = u * u * ax + 2 * t * u * cx + t * t * bx;
			double py = u * u * ay + 2 * t * u * cy + t * t * by;
			double tx = u * (cx - ax) + t * (bx - cx),
			       ty = u * (cy - ay) + t * (by - cy);
			double tl = sqrt(tx * tx + ty * ty), as = 5.0 + w;
			if (tl > 0) {
				tx /= tl;
				ty /= tl;
				TRY(eic_html_printf(
				    h,
				    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
				    "fill=\"%s\" stroke=\"none\"/>",
				    px + tx * as, py + ty * as, px - tx * as * 0.6 - ty * as * 0.7,
				    py - ty * as * 0.6 + tx * as * 0.7,
				    px - tx * as * 0.6 + ty * as * 0.7,
				    py - ty * as * 0.6 - tx * as * 0.7, col));
			}
		}
		TRY(eic_html_printf(h,
		                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"#fff\" "
		                    "stroke=\"%s\" stroke-width=\"1.5\"/><text x=\"%.1f\" "
		                    "y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\" "
		                    "font-weight=\"700\" fill=\"%s\" stroke=\"none\">%zu</text>"
		                    "</g>\n",
		                    mx, my, col, mx, my + 3.5, col, k + 1));
		placed[nplaced++] = (box){mx - 9, my - 9, mx + 9, my + 9};
	}
	TRY(eic_html_raw(h, "</g>\n"));
	/* Endpoints, labelled best candidate first; the scale bar's corner stays free. */
	placed[nplaced++] =
	    (box){MARGIN_L, MARGIN_T + p.plot_h - 50, MARGIN_L + 260, MARGIN_T + p.plot_h};
	for (size_t k = 0; k < top; k++) {
		const eic_match_candidate *m = eic_match_at(r, k);
		if (!drawable(m))
			continue;
		double xa = proj_x(&p, m->a.lon), ya = proj_y(&p, m->a.lat);
		double xb = proj_x(&p, m->b.lon), yb = proj_y(&p, m->b.lat);
		placed[nplaced++] = (box){xa - 6, ya - 6, xa + 6, ya + 6};
		placed[nplaced++] = (box){xb - 6, yb - 6, xb + 6, yb + 6};
	}
	TRY(eic_html_raw(h, "<g class=\"labels\" font-size=\"12\" fill=\"#1f2933\" stroke=\"#fff\" "
	                    "stroke-width=\"3\" stroke-linejoin=\"round\" "
	                    "paint-order=\"stroke\">\n"));
	for (size_t k = 0; k < top; k++) {
		const eic_match_candidate *m = eic_match_at(r, k);
		if (!drawable(m))
			continue;
		const eic_match_side *sides[2] = {&m->a, &m->b};
		for (int s = 0; s < 2; s++) {
			int seen = 0;
			for (size_t j = 0; j < k && !seen; j++) {
				const eic_match_candidate *o = eic_match_at(r, j);
				seen = drawable(o) && (strcmp(o->a.actor, sides[s]->actor) == 0 ||
				                       strcmp(o->b.actor, sides[s]->actor) == 0);
			}
			for (int t = 0; t < s && !seen; t++)
				seen = strcmp(sides[t]->actor, sides[s]->actor) == 0;
			if (seen)
				continue;
			double x = proj_x(&p, sides[s]->lon), y = proj_y(&p, sides[s]->lat);
			TRY(eic_html_printf(h,
			                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5.5\" "
			                    "fill=\"#1f2933\" stroke-width=\"1.5\"><title>",
			                    x, y));
			TRY(eic_html_text(h, side_label(sides[s])));
			TRY(eic_html_raw(h, "</title></circle>\n"));
			TRY(draw_label(h, placed, &nplaced, x, y, side_label(sides[s]), p.plot_h));
		}
	}
	TRY(eic_html_raw(h, "</g>\n"));
	/* Scale bar, as on the map of sites. */
	{
		double bar_km = eic_report__nice_length(PLOT_W / p.px_per_km * 0.22);
		double bar_px = bar_km * p.px_per_km, x0 = MARGIN_L + 8,
		       y1 = MARGIN_T + p.plot_h - 8;
		char bar_text[64];
		eic_report__fmt_sig(bar_text, sizeof(bar_text), bar_km, 3);
		TRY(eic_html_printf(
		    h,
		    "<g class=\"scale\" font-size=\"11\" fill=\"#1f2933\">"
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"38\" fill=\"#fff\" "
		    "fill-opacity=\"0.85\" rx=\"3\"/>"
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#1f2933\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">0</text>"
		    "<text x=\"%.1f\" y=\"%.1f\">%s km</text></g>\n",
		    x0, y1 - 38, bar_px + 76, x0 + 10, y1 - 14, bar_px, x0 + 10, y1 - 20,
		    x0 + 14 + bar_px, y1 - 8, bar_text));
	}
	TRY(eic_html_raw(h, "</svg>\n<figcaption><div class=\"legend\">"));
	for (int k = 0; k < EIC_MATCH__N; k++) {
		if (!present[k])
			continue;
		TRY(eic_html_printf(
		    h,
		    "<span><svg width=\"36\" height=\"14\" viewBox=\"0 0 36 14\">"
		    "<line x1=\"2\" y1=\"7\" x2=\"34\" y2=\"7\" stroke=\"%s\" "
		    "stroke-width=\"4\"%s/></svg>%s</span>",
		    mode_colour[k], k == EIC_MATCH_SUBSTITUTION ? "" : " stroke-dasharray=\"8 4\"",
		    k == EIC_MATCH_SUBSTITUTION   ? "Substitution (a by-product replaces an input)"
		    : k == EIC_MATCH_SHARED_INPUT ? "Shared input (joint supply)"
		                                  : "Joint treatment (two "
		                                    "by-products handled together)"));
	}
	TRY(eic_html_raw(h, "</div>\n<div class=\"legend\"><span><strong>Line width</strong> "
	                    "(mass per year, log-scaled):</span>"));
	if (isfinite(lo) && hi > 0) {
		double samples[3] = {lo, sqrt(lo * hi), hi};
		int n = hi > lo * 1.001 ? 3 : 1;
		for (int i = 0; i < n; i++) {
			int k = n == 1 ? 2 : i;
			eic_report__fmt_sig(num, sizeof(num), samples[k], 3);
			TRY(eic_html_printf(
			    h,
			    "<span><svg width=\"36\" height=\"14\" "
			    "viewBox=\"0 0 36 14\"><line x1=\"2\" y1=\"7\" x2=\"34\" "
			    "y2=\"7\" stroke=\"#4a5568\" stroke-width=\"%.2f\"/></svg>"
			    "%s t/yr</span>",
			    line_width(samples[k], lo, hi), num));
		}
	}
	if (any_no_mass)
		TRY(eic_html_printf(h,
		                    "<span><svg width=\"36\" height=\"14\" viewBox=\"0 0 36 14\">"
		                    "<line x1=\"2\" y1=\"7\" x2=\"34\" y2=\"7\" stroke=\"#4a5568\" "
		                    "stroke-width=\"%.2f\"/></svg>nothing carried by truck "
		                    "(shared input, energy)</span>",
		                    LINE_W_NO_MASS));
	TRY(eic_html_raw(h, "</div>\n<p class=\"note\">Numbered circles give the rank in the "
	                    "table below; grey dots are the other sites. Solid arrows run from "
	                    "the supplier to the user; dashed lines join two firms with the "
	                    "same need or the same by-product.</p></figcaption>\n</figure>\n"));
	*out_drawn = drawn;
done:
	return error;
}

static int material_cell(eic_html *h, const eic_match_candidate *m)
{
	const char *x = m->a.material_label, *y = m->b.material_label;
	int error = 0;
	if (eic_str_empty(x))
		x = m->a.material ? m->a.material : "?";
	if (eic_str_empty(y))
		y = m->b.material ? m->b.material : "?";
	TRY(eic_html_text(h, x));
	if (strcmp(x, y) != 0) {
		TRY(eic_html_raw(h, m->mode == EIC_MATCH_SUBSTITUTION ? " \xe2\x86\x92 " : " + "));
		TRY(eic_html_text(h, y));
	}
done:
	return error;
}

static int draw_table(eic_html *h, const eic_match_result *r, size_t top)
{
	int error = 0;
	char num[64];
	TRY(eic_html_raw(h, "<table class=\"data\">\n<thead><tr><th>#</th><th>Mode</th>"
	                    "<th>From \xe2\x86\x92 to</th><th>Material(s)</th>"
	                    "<th class=\"num\">Quantity</th><th class=\"num\">Distance</th>"
	                    "<th class=\"num\">Score</th><th>Why</th></tr></thead>\n<tbody>\n"));
	for (size_t k = 0; k < top; k++) {
		const eic_match_candidate *m = eic_match_at(r, k);
		TRY(eic_html_printf(h, "<tr><td class=\"num\">%zu</td><td>", k + 1));
		TRY(eic_html_text(h, eic_match_mode_name(m->mode)));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(eic_html_text(h, side_label(&m->a)));
		TRY(eic_html_raw(h, m->mode == EIC_MATCH_SUBSTITUTION ? " \xe2\x86\x92 " : " + "));
		TRY(eic_html_text(h, side_label(&m->b)));
		TRY(eic_html_raw(h, "</td><td>"));
		TRY(material_cell(h, m));
		TRY(eic_html_raw(h, "</td><td class=\"num\">"));
		if (isfinite(m->quantity)) {
			eic_report__fmt_sig(num, sizeof(num), m->quantity, 3);
			TRY(eic_html_text(h, num));
			TRY(eic_html_raw(h, " "));
			TRY(eic_html_text(h, m->unit ? m->unit : ""));
		} else {
			TRY(eic_html_raw(h, "\xe2\x80\x94"));
		}
		TRY(eic_html_raw(h, "</td><td class=\"num\">"));
		if (isfinite(m->distance_km)) {
			eic_report__fmt_sig(num, sizeof(num), m->distance_km, 2);
			TRY(eic_html_printf(h, "%s km%s", num,
			                    m->distance_from_matrix ? "" : " (est.)"));
		} else {
			TRY(eic_html_raw(h, "\xe2\x80\x94"));
		}
		TRY(eic_html_printf(h, "</td><td class=\"num\">%.2f</td><td>",
		                    isfinite(m->score) ? m->score : 0.0));
		TRY(eic_html_text(h, m->explanation ? m->explanation : ""));
		if (!eic_str_empty(m->flags)) {
			TRY(eic_html_raw(h, " <em>("));
			TRY(eic_html_text(h, m->flags));
			TRY(eic_html_raw(h, ")</em>"));
		}
		TRY(eic_html_raw(h, "</td></tr>\n"));
	}
	TRY(eic_html_raw(h, "</tbody></table>\n"));
done:
	return error;
}

int eic_match__render_section(eic_html *h, const eic_cluster *c, void *ctx)
{
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = NULL;
	size_t drawn = 0;
	int error = 0;
	char num[64];

	o.kb = ctx;
	if (eic_cluster_offer_count(c) == 0) {
		TRY(eic_html_raw(h, "<p class=\"note\"><strong>No offers:</strong> add haves and "
		                    "wants to <code>offers.csv</code> to get proposals.</p>\n"));
		goto done;
	}
	int rc = eic_match_run(&r, c, &o, NULL);
	if (rc == EIC_ENOMEM) {
		error = rc;
		goto done;
	}
	if (rc < 0) {
		TRY(eic_html_printf(h,
		                    "<p class=\"note\"><strong>No proposals:</strong> the matcher "
		                    "could not run (%s); run <code>eic match</code> for "
		                    "details.</p>\n",
		                    eic_strerror(rc)));
		goto done;
	}
	size_t n = eic_match_count(r);
	size_t top = n < EIC_MATCH_SECTION_TOP ? n : EIC_MATCH_SECTION_TOP;
	for (size_t i = 0; i < eic_match_note_count(r); i++) {
		TRY(eic_html_raw(h, "<p class=\"note\">"));
		TRY(eic_html_text(h, eic_match_note(r, i)));
		TRY(eic_html_raw(h, "</p>\n"));
	}
	if (n == 0) {
		TRY(eic_html_raw(h, "<p class=\"note\"><strong>No proposals:</strong> no have and "
		                    "want (or two offers of the same kind) are compatible within "
		                    "50 km. Add offers, or try <code>eic match --radius</code> "
		                    "with a larger radius.</p>\n"));
		goto done;
	}
	eic_report__fmt_count(num, sizeof(num), n);
	TRY(eic_html_printf(h, "<p>The matcher proposes %s exchange%s between the offers", num,
	                    n == 1 ? "" : "s"));
	if (n > top)
		TRY(eic_html_printf(h, "; the best %zu are shown", top));
	TRY(eic_html_raw(h, ".</p>\n"));
	TRY(draw_map(h, c, r, top, &drawn));
	if (drawn < top)
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">%zu of the %zu proposals below are not on "
		                    "the map: a side is confidential or has no coordinates.</p>\n",
		                    top - drawn, top));
	TRY(draw_table(h, r, top));
	TRY(eic_html_raw(
	    h, "<p class=\"note\">How the score is built: each proposal gets five criterion "
	       "scores between 0 and 1, weighted material fit 30%, distance 25%, evidence 20%, "
	       "quantity 15% and timing 10%. Material fit is highest for the same material, then "
	       "a shared facility or a documented conversion pathway, then codes and classes; "
	       "distance falls with the road distance (great circle \xc3\x97 1.3, marked "
	       "\xe2\x80\x9c"
	       "est.\xe2\x80\x9d, unless a distance matrix is given) up to 50 km; "
	       "evidence rewards pathways with documented cases. Proposals are leads for a "
	       "conversation, not feasibility studies. Method and sources: "
	       "<code>docs/methods/matching.md</code>; all proposals and options: "
	       "<code>eic match</code>.</p>\n"));
done:
	eic_match_free(r);
	return error;
}
