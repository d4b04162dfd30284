/* map.c: the report's map section: an inline SVG of actor and facility sites from their
 * coordinates, with graticule, flow lines, greedy label placement, scale bar and north arrow. */
#include <eic/spatial.h>

#include "report_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
#define RAD2DEG(r) ((r) * (180.0 / M_PI))

/* SVG layout in px: fixed width, height from the data's aspect within limits. */
#define SVG_W 960.0
#define MARGIN_L 72.0
#define MARGIN_R 14.0
#define MARGIN_T 14.0
#define MARGIN_B 30.0
#define PLOT_W (SVG_W - MARGIN_L - MARGIN_R)
#define PLOT_H_MIN 380.0
#define PLOT_H_MAX 640.0
/* Extent below which the sites count as one place, and the box then shown (km). */
#define TINY_EXTENT_KM 0.5
#define DEFAULT_BOX_KM 10.0
/* Margin added around the sites, as a fraction of their extent on each side. */
#define EXTENT_MARGIN 0.14
/* Outliers: a site farther from the median centre than OUTLIER_FACTOR times the median
 * distance (and at least OUTLIER_MIN_KM) is shown at the frame edge, when there are at least
 * OUTLIER_MIN_POINTS sites and at most a quarter of them are outliers. */
#define OUTLIER_FACTOR 10.0
#define OUTLIER_MIN_KM 10.0
#define OUTLIER_MIN_POINTS 4
/* Labels are only placed when there are at most this many sites. */
#define MAX_LABELLED_POINTS 150
/* Flow lines drawn at most (the largest by mass). */
#define MAX_FLOW_LINES 2000
#define LABEL_FONT_PX 12.0
#define LABEL_H 14.0
#define LABEL_MAX_CHARS 32
#define POINT_R 6.0
#define LINE_W_MIN 1.5
#define LINE_W_MAX 9.0

/* Great-circle distance: the one implementation is the spatial module's (same formula and
 * radius, docs/methods/spatial.md), so the map's scale bar and matching agree. */
double eic_report__haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	return eic_spatial_distance_km(lat1, lon1, lat2, lon2);
}

double eic_report__nice_length(double max_km)
{
	if (!isfinite(max_km) || max_km <= 0)
		return 0.0;
	double e = floor(log10(max_km));
	/* log10 may land just below an exact power of ten. */
	if (pow(10.0, e + 1) <= max_km * (1 + 1e-12))
		e += 1;
	double base = pow(10.0, e);
	static const double steps[] = {5, 2, 1};
	for (size_t i = 0; i < 3; i++) {
		if (steps[i] * base <= max_km * (1 + 1e-12))
			return steps[i] * base;
	}
	return base / 2; /* not reached: 1 x base <= max_km by construction */
}

double eic_report__graticule_step(double span_deg, int max_lines)
{
	static const double ladder[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25,
	                                0.5,   1,     2,     5,    10,   15,   30,  45,  90};
	if (max_lines < 1)
		max_lines = 1;
	for (size_t i = 0; i < sizeof(ladder) / sizeof(ladder[0]); i++) {
		if (span_deg / ladder[i] <= max_lines)
			return ladder[i];
	}
	return 90;
}

typedef struct {
	double lat, lon;
	double x, y;
	const char *name;
	int is_facility;
	eic_actor_kind kind;
	int off_map;   /* a far outlier, drawn as an arrow at the frame edge */
	double off_km; /* its distance from the map centre */
} map_point;

typedef struct {
	double x0, y0, x1, y1;
} rect;

typedef struct {
	size_t from, to; /* point indices */
	double mass;
} map_line;

/* Projection state: equirectangular about (lat_c, lon_c) with x scaled by cos(lat_0). */
typedef struct {
	double lat_c, lon_c; /* centre of the view */
	double cos_lat0;     /* cos of the mean latitude of the sites */
	double px_per_km;    /* scale on the plot */
	double plot_h;
} projection;

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

static double unproj_lon(const projection *p, double x)
{
	double km = (x - MARGIN_L - PLOT_W / 2) / p->px_per_km;
	return p->lon_c + RAD2DEG(km / (EIC_REPORT_EARTH_RADIUS_KM * p->cos_lat0));
}

static double unproj_lat(const projection *p, double y)
{
	double km = -(y - MARGIN_T - p->plot_h / 2) / p->px_per_km;
	return p->lat_c + RAD2DEG(km / EIC_REPORT_EARTH_RADIUS_KM);
}

static int rect_overlap(const rect *a, const rect *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Number of UTF-8 code points in s (continuation bytes not counted). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	}
	return n;
}

/* Copy at most max_chars code points of s into buf, adding an ellipsis when cut. */
static void utf8_truncate(char *buf, size_t size, const char *s, size_t max_chars)
{
	size_t chars = 0, i = 0;
	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max_chars)
				break;
			chars++;
		}
		i++;
	}
	int cut = s[i] != '\0';
	if (i + (cut ? 4 : 1) > size)
		i = size > 4 ? size - 4 : 0;
	/* Do not end inside a multi-byte sequence. */
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	memcpy(buf, s, i);
	if (cut)
		memcpy(buf + i, "\xe2\x80\xa6", 3), i += 3;
	buf[i] = '\0';
}

/* Decimals needed to print multiples of a graticule step exactly. */
static int step_decimals(double step)
{
	int d = 0;
	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9)
		d++;
	return d;
}

typedef struct {
	rect *items;
	size_t len, cap;
} rect_list;

static int rects_push(rect_list *l, rect r)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		rect *p = eic_realloc(l->items, cap * sizeof(*p));
		if (!p)
			return EIC_ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	l->items[l->len++] = r;
	return 0;
}

static int rect_free(const rect_list *l, const rect *r, const rect *bounds)
{
	if (r->x0 < bounds->x0 || r->y0 < bounds->y0 || r->x1 > bounds->x1 || r->y1 > bounds->y1)
		return 0;
	for (size_t i = 0; i < l->len; i++) {
		if (rect_overlap(&l->items[i], r))
			return 0;
	}
	return 1;
}

/* Greedy label placement. Try 8 positions next to the point (right, left, above, below and
 * the four diagonals), then the same 8 directions further out with a leader line; the first
 * rectangle that stays in the plot and misses every placed label, point and reserved box
 * wins. Returns 1 placed, 2 placed with leader, 0 omitted. O(obstacles) per candidate. */
static int place_label(rect *out, const rect_list *obstacles, const rect *bounds, double x,
                       double y, double w)
{
	const double h = LABEL_H;
	for (int ring = 0; ring < 2; ring++) {
		double g = ring == 0 ? POINT_R + 3 : 30.0; /* gap to the point */
		double d = ring == 0 ? POINT_R : 24.0;     /* diagonal offset */
		rect cand[8] = {
		    {x + g, y - h / 2, x + g + w, y + h / 2},
		    {x - g - w, y - h / 2, x - g, y + h / 2},
		    {x - w / 2, y - g - h, x + w / 2, y - g},
		    {x - w / 2, y + g, x + w / 2, y + g + h},
		    {x + d, y - d - h, x + d + w, y - d},
		    {x + d, y + d, x + d + w, y + d + h},
		    {x - d - w, y - d - h, x - d, y - d},
		    {x - d - w, y + d, x - d, y + d + h},
		};
		for (int i = 0; i < 8; i++) {
			if (rect_free(obstacles, &cand[i], bounds)) {
				*out = cand[i];
				return ring == 0 ? 1 : 2;
			}
		}
	}
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	const map_line *x = a, *y = b;
	if (x->mass != y->mass)
		return x->mass > y->mass ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : (x->to > y->to ? 1 : 0);
}

/* Aggregate flows between sited actors into lines (directed actor pairs, mass summed over all
 * periods). Flows whose quantity has no mass conversion are counted in *out_unconverted. */
static int collect_lines(map_line **out, size_t *out_count, size_t *out_unconverted,
                         const eic_cluster *c, const eic_map *actor_point, const char *mass_unit)
{
	eic_map pairs;
	eic_arena keys;
	map_line *lines = NULL;
	size_t count = 0, cap = 0, unconverted = 0;
	int error = 0;

	eic_map_init(&pairs);
	eic_arena_init(&keys);
	for (size_t i = 0; i < eic_cluster_flow_count(c); i++) {
		const eic_flow *f = eic_cluster_flow(c, i);
		eic_node a, b;
		size_t pa, pb, at;
		if (eic_cluster_resolve_node(&a, c, f->from) < 0 ||
		    eic_cluster_resolve_node(&b, c, f->to) < 0 || !a.actor || !b.actor ||
		    strcmp(a.actor, b.actor) == 0 || !eic_map_get(actor_point, a.actor, &pa) ||
		    !eic_map_get(actor_point, b.actor, &pb))
			continue;
		double mass;
		const char *via = NULL;
		if (eic_flow_amount(&mass, &via, c, f, mass_unit) < 0 || !isfinite(mass)) {
			unconverted++;
			continue;
		}
		char key[64];
		snprintf(key, sizeof(key), "%zu>%zu", pa, pb);
		if (eic_map_get(&pairs, key, &at)) {
			lines[at].mass += mass;
			continue;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			map_line *p = eic_realloc(lines, ncap * sizeof(*p));
			if (!p) {
				error = EIC_ENOMEM;
				goto done;
			}
			lines = p;
			cap = ncap;
		}
		char *stored = eic_arena_strdup(&keys, key);
		if (!stored || eic_map_put(&pairs, stored, count) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
		lines[count++] = (map_line){pa, pb, mass};
	}
	if (count)
		qsort(lines, count, sizeof(*lines), cmp_line);
	/* Zero-mass lines carry nothing to draw. */
	while (count && lines[count - 1].mass <= 0)
		count--;
	*out = lines;
	*out_count = count;
	*out_unconverted = unconverted;
	lines = NULL;
done:
	eic_free(lines);
	eic_map_free(&pairs);
	eic_arena_clear(&keys);
	return error;
}

static double line_width(double mass, double min_mass, double max_mass)
{
	if (!(max_mass > min_mass) || min_mass <= 0)
		return (LINE_W_MIN + LINE_W_MAX) / 2;
	double t = (log(mass) - log(min_mass)) / (log(max_mass) - log(min_mass));
	return LINE_W_MIN + t * (LINE_W_MAX - LINE_W_MIN);
}

static int draw_graticule(eic_html *h, const projection *p)
{
	double lon_l = unproj_lon(p, MARGIN_L), lon_r = unproj_lon(p, MARGIN_L + PLOT_W);
	double lat_t = unproj_lat(p, MARGIN_T), lat_b = unproj_lat(p, MARGIN_T + p->plot_h);
	double lon_step = eic_report__graticule_step(lon_r - lon_l, 7);
	double lat_step = eic_report__graticule_step(lat_t - lat_b, 6);
	int lon_dec = step_decimals(lon_step), lat_dec = step_decimals(lat_step);
	double bottom = MARGIN_T + p->plot_h;
	int error = 0;

	TRY(eic_html_raw(h, "<g class=\"graticule\" stroke=\"#c9d2dc\" stroke-width=\"0.8\" "
	                    "fill=\"none\">\n"));
	for (double k = ceil(lon_l / lon_step); k * lon_step <= lon_r; k++) {
		double x = proj_x(p, k * lon_step);
		TRY(eic_html_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		                    x, MARGIN_T, x, bottom));
	}
	for (double k = ceil(lat_b / lat_step); k * lat_step <= lat_t; k++) {
		double y = proj_y(p, k * lat_step);
		TRY(eic_html_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		                    MARGIN_L, y, MARGIN_L + PLOT_W, y));
	}
	TRY(eic_html_raw(h, "</g>\n<g class=\"graticule-labels\" fill=\"#5f6b7a\" "
	                    "font-size=\"11\">\n"));
	for (double k = ceil(lon_l / lon_step); k * lon_step <= lon_r; k++) {
		double lon = k * lon_step, x = proj_x(p, lon);
		if (fabs(lon) < 1e-12)
			lon = 0;
		TRY(eic_html_printf(h,
		                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		                    "%.*f\xc2\xb0%s</text>\n",
		                    x, bottom + 18, lon_dec, fabs(lon),
		                    lon < 0 ? "W" : (lon > 0 ? "E" : "")));
	}
	for (double k = ceil(lat_b / lat_step); k * lat_step <= lat_t; k++) {
		double lat = k * lat_step, y = proj_y(p, lat);
		if (fabs(lat) < 1e-12)
			lat = 0;
		TRY(eic_html_printf(h,
		                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
		                    "%.*f\xc2\xb0%s</text>\n",
		                    MARGIN_L - 6, y + 4, lat_dec, fabs(lat),
		                    lat < 0 ? "S" : (lat > 0 ? "N" : "")));
	}
	TRY(eic_html_raw(h, "</g>\n"));
done:
	return error;
}

/* Draw one flow line as a quadratic curve bent to the right of its direction (so A->B and
 * B->A stay apart) with an arrowhead at its middle. */
static int draw_line(eic_html *h, const map_point *a, const map_point *b, double width,
                     const char *title_mass, const char *unit)
{
	double dx = b->x - a->x, dy = b->y - a->y, len = sqrt(dx * dx + dy * dy);
	int error = 0;
	if (len < 1.0)
		return 0;
	double nx = -dy / len, ny = dx / len, bend = 0.14 * len;
	double cx = (a->x + b->x) / 2 + nx * bend, cy = (a->y + b->y) / 2 + ny * bend;
	double mx = 0.25 * a->x + 0.5 * cx + 0.25 * b->x, my = 0.25 * a->y + 0.5 * cy + 0.25 * b->y;
	double ux = dx / len, uy = dy / len, s = 4.0 + width * 1.1;
	TRY(eic_html_printf(h, "<g><title>"));
	TRY(eic_html_text(h, a->name));
	TRY(eic_html_raw(h, " \xe2\x86\x92 "));
	TRY(eic_html_text(h, b->name));
	TRY(eic_html_printf(h, ": %s ", title_mass));
	TRY(eic_html_text(h, unit));
	TRY(eic_html_printf(h,
	                    "</title><path d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\" fill=\"none\" "
	                    "stroke-width=\"%.2f\"/>"
	                    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" stroke=\"none\"/>"
	                    "</g>\n",
	                    a->x, a->y, cx, cy, b->x, b->y, width, mx + ux * s, my + uy * s,
	                    mx - ux * s * 0.6 + nx * s * 0.7, my - uy * s * 0.6 + ny * s * 0.7,
	                    mx - ux * s * 0.6 - nx * s * 0.7, my - uy * s * 0.6 - ny * s * 0.7));
done:
	return error;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

/* Mark far outliers (see OUTLIER_FACTOR) so that the map frames the cluster's core instead of
 * shrinking it to a dot. Returns the number marked, or EIC_ENOMEM. O(n log n). */
static int mark_outliers(map_point *pts, size_t n)
{
	if (n < OUTLIER_MIN_POINTS)
		return 0;
	double *tmp = eic_malloc(n * sizeof(*tmp));
	double *dist = eic_malloc(n * sizeof(*dist));
	int marked = 0;
	if (!tmp || !dist) {
		marked = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		tmp[i] = pts[i].lat;
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	double lat_m = tmp[n / 2];
	for (size_t i = 0; i < n; i++)
		tmp[i] = pts[i].lon;
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	double lon_m = tmp[n / 2];
	for (size_t i = 0; i < n; i++) {
		dist[i] = eic_report__haversine_km(lat_m, lon_m, pts[i].lat, pts[i].lon);
		tmp[i] = dist[i];
	}
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	double limit = fmax(OUTLIER_FACTOR * tmp[n / 2], OUTLIER_MIN_KM);
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += dist[i] > limit;
	if (count == 0 || count * 4 > n)
		goto done;
	for (size_t i = 0; i < n; i++)
		pts[i].off_map = dist[i] > limit;
	marked = (int)count;
done:
	eic_free(tmp);
	eic_free(dist);
	return marked;
}

/* Move an off-map point onto the plot frame (inset by `inset` px) along the ray from the plot
 * centre towards its projected position. */
static void clamp_to_frame(map_point *pt, const rect *plot, double inset)
{
	double cx = (plot->x0 + plot->x1) / 2, cy = (plot->y0 + plot->y1) / 2;
	double dx = pt->x - cx, dy = pt->y - cy, t = 1.0;
	double hw = (plot->x1 - plot->x0) / 2 - inset, hh = (plot->y1 - plot->y0) / 2 - inset;
	if (fabs(dx) > 1e-9)
		t = fmin(t, hw / fabs(dx));
	if (fabs(dy) > 1e-9)
		t = fmin(t, hh / fabs(dy));
	pt->x = cx + dx * t;
	pt->y = cy + dy * t;
}

static int name_list(eic_html *h, const char *lead, const char *const *names, size_t n)
{
	int error = 0;
	if (!n)
		return 0;
	TRY(eic_html_raw(h, "<p class=\"note\">"));
	TRY(eic_html_text(h, lead));
	for (size_t i = 0; i < n; i++) {
		TRY(eic_html_raw(h, i ? ", " : " "));
		TRY(eic_html_text(h, names[i]));
	}
	TRY(eic_html_raw(h, ".</p>\n"));
done:
	return error;
}

int eic_report__render_map(eic_html *h, const eic_cluster *c, void *ctx)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	const char *mu = info && !eic_str_empty(info->mass_unit) ? info->mass_unit : "t";
	size_t actor_count = eic_cluster_actor_count(c),
	       facility_count = eic_cluster_facility_count(c);
	map_point *pts = NULL;
	const char **unsited = NULL, **unlabelled = NULL;
	map_line *lines = NULL;
	rect_list obstacles = {NULL, 0, 0};
	eic_map actor_point;
	size_t npts = 0, nunsited = 0, nunlabelled = 0, nlines = 0, unconverted = 0;
	size_t sited_actors = 0;
	int present[EIC_ACTOR__N] = {0}, any_facility = 0, error = 0;
	char num[64];

	eic_map_init(&actor_point);
	pts = eic_calloc(actor_count + facility_count + 1, sizeof(*pts));
	unsited = eic_calloc(actor_count + facility_count + 1, sizeof(*unsited));
	unlabelled = eic_calloc(actor_count + facility_count + 1, sizeof(*unlabelled));
	if (!pts || !unsited || !unlabelled) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < actor_count; i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		const char *name = eic_str_empty(a->name) ? a->id : a->name;
		if (!isfinite(a->lat) || !isfinite(a->lon) || fabs(a->lat) > 90 ||
		    fabs(a->lon) > 180) {
			unsited[nunsited++] = name;
			continue;
		}
		if (eic_map_put(&actor_point, a->id, npts) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
		pts[npts++] = (map_point){a->lat, a->lon, 0, 0, name, 0, a->kind, 0, 0.0};
		if ((unsigned)a->kind < EIC_ACTOR__N)
			present[a->kind] = 1;
		sited_actors++;
	}
	for (size_t i = 0; i < facility_count; i++) {
		const eic_facility *f = eic_cluster_facility(c, i);
		const char *name = eic_str_empty(f->name) ? f->id : f->name;
		if (!isfinite(f->lat) || !isfinite(f->lon) || fabs(f->lat) > 90 ||
		    fabs(f->lon) > 180)
			continue;
		pts[npts++] = (map_point){f->lat, f->lon, 0, 0, name, 1, EIC_ACTOR_FIRM, 0, 0.0};
		any_facility = 1;
	}

	if (sited_actors == 0) {
		TRY(eic_html_raw(
		    h, "<p class=\"note\"><strong>No map:</strong> none of the "
		       "actors has coordinates. Add <code>lat</code> and <code>lon</code> "
		       "(WGS84 decimal degrees) to <code>actors.csv</code> to draw the "
		       "sites and the flows between them.</p>\n"));
		goto done;
	}

	/* Projection and view, framed on the sites that are not far outliers. */
	int outliers = mark_outliers(pts, npts);
	if (outliers < 0) {
		error = outliers;
		goto done;
	}
	projection p;
	double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180, lat_sum = 0;
	size_t framed = 0;
	for (size_t i = 0; i < npts; i++) {
		if (pts[i].off_map)
			continue;
		framed++;
		lat_min = fmin(lat_min, pts[i].lat);
		lat_max = fmax(lat_max, pts[i].lat);
		lon_min = fmin(lon_min, pts[i].lon);
		lon_max = fmax(lon_max, pts[i].lon);
		lat_sum += pts[i].lat;
	}
	double lat0 = lat_sum / (double)framed;
	p.cos_lat0 = fmax(cos(DEG2RAD(lat0)), 0.02);
	p.lat_c = (lat_min + lat_max) / 2;
	p.lon_c = (lon_min + lon_max) / 2;
	double w_km = EIC_REPORT_EARTH_RADIUS_KM * DEG2RAD(lon_max - lon_min) * p.cos_lat0;
	double h_km = EIC_REPORT_EARTH_RADIUS_KM * DEG2RAD(lat_max - lat_min);
	int default_box = fmax(w_km, h_km) < TINY_EXTENT_KM;
	if (default_box) {
		w_km = h_km = DEFAULT_BOX_KM;
	} else {
		/* Keep thin layouts (sites along a line) from collapsing to a strip. */
		double longest = fmax(w_km, h_km);
		w_km = fmax(w_km, 0.25 * longest) * (1 + 2 * EXTENT_MARGIN);
		h_km = fmax(h_km, 0.25 * longest) * (1 + 2 * EXTENT_MARGIN);
	}
	p.plot_h = fmin(fmax(PLOT_W * h_km / w_km, PLOT_H_MIN), PLOT_H_MAX);
	p.px_per_km = fmin(PLOT_W / w_km, p.plot_h / h_km);
	double svg_h = MARGIN_T + p.plot_h + MARGIN_B;
	rect plot = {MARGIN_L, MARGIN_T, MARGIN_L + PLOT_W, MARGIN_T + p.plot_h};
	for (size_t i = 0; i < npts; i++) {
		pts[i].x = proj_x(&p, pts[i].lon);
		pts[i].y = proj_y(&p, pts[i].lat);
		if (pts[i].off_map) {
			pts[i].off_km =
			    eic_report__haversine_km(p.lat_c, p.lon_c, pts[i].lat, pts[i].lon);
			clamp_to_frame(&pts[i], &plot, 10.0);
		}
	}

	/* Scale bar: true length along the centre parallel, by haversine. */
	double lon_l = unproj_lon(&p, MARGIN_L), lon_r = unproj_lon(&p, MARGIN_L + PLOT_W);
	double width_km = eic_report__haversine_km(p.lat_c, lon_l, p.lat_c, lon_r);
	double bar_km = eic_report__nice_length(width_km * 0.22);
	double bar_px = bar_km * PLOT_W / width_km;
	char bar_text[64];
	snprintf(bar_text, sizeof(bar_text), "%g km", bar_km);
	rect scale_box = {plot.x0 + 8, plot.y1 - 46, plot.x0 + 8 + bar_px + 66, plot.y1 - 8};
	rect north_box = {plot.x1 - 44, plot.y0 + 6, plot.x1 - 8, plot.y0 + 58};

	TRY(collect_lines(&lines, &nlines, &unconverted, c, &actor_point, mu));
	size_t drawn_lines = nlines > MAX_FLOW_LINES ? MAX_FLOW_LINES : nlines;
	double mass_max = drawn_lines ? lines[0].mass : 0;
	double mass_min = drawn_lines ? lines[drawn_lines - 1].mass : 0;

	/* SVG. */
	TRY(eic_html_printf(h,
	                    "<figure class=\"map\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	                    "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Map of sites\" "
	                    "font-family=\"system-ui,Arial,sans-serif\">\n",
	                    SVG_W, svg_h));
	TRY(eic_html_printf(h,
	                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	                    "fill=\"#f4f7fa\" stroke=\"#9aa7b4\"/>\n",
	                    plot.x0, plot.y0, PLOT_W, p.plot_h));
	TRY(draw_graticule(h, &p));
	TRY(eic_html_printf(h, "<g class=\"flows\" fill=\"#355f8c\" stroke=\"#355f8c\" "
	                       "fill-opacity=\"0.8\" stroke-opacity=\"0.55\" "
	                       "stroke-linecap=\"round\">\n"));
	/* Thin lines drawn last so they stay visible over thick ones. */
	for (size_t i = 0; i < drawn_lines; i++) {
		char mass_text[64];
		eic_report__fmt_sig(mass_text, sizeof(mass_text), lines[i].mass, 3);
		const map_line *l = &lines[i];
		TRY(draw_line(h, &pts[l->from], &pts[l->to],
		              line_width(l->mass, mass_min, mass_max), mass_text, mu));
	}
	TRY(eic_html_raw(h, "</g>\n<g class=\"sites\" stroke=\"#fff\" stroke-width=\"1.5\">\n"));
	for (size_t i = 0; i < npts; i++) {
		const map_point *pt = &pts[i];
		TRY(eic_html_raw(h, "<g><title>"));
		TRY(eic_html_text(h, pt->name));
		TRY(eic_html_raw(h, pt->is_facility ? " (candidate facility)" : ""));
		TRY(eic_html_raw(h, "</title>"));
		if (pt->off_map) {
			double cx = (plot.x0 + plot.x1) / 2, cy = (plot.y0 + plot.y1) / 2;
			double ux = pt->x - cx, uy = pt->y - cy, ul = sqrt(ux * ux + uy * uy);
			ux = ul > 0 ? ux / ul : 1;
			uy = ul > 0 ? uy / ul : 0;
			TRY(eic_html_printf(
			    h,
			    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
			    "fill=\"%s\"/>",
			    pt->x + ux * 10, pt->y + uy * 10, pt->x - ux * 7 - uy * 8,
			    pt->y - uy * 7 + ux * 8, pt->x - ux * 7 + uy * 8,
			    pt->y - uy * 7 - ux * 8,
			    pt->is_facility ? "#2d3748" : eic_report__actor_kind_colour(pt->kind)));
		} else if (pt->is_facility)
			TRY(eic_html_printf(
			    h,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" "
			    "fill=\"#2d3748\" transform=\"rotate(45 %.1f %.1f)\"/>",
			    pt->x - 5.5, pt->y - 5.5, pt->x, pt->y));
		else
			TRY(eic_html_printf(h,
			                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
			                    "fill=\"%s\"/>",
			                    pt->x, pt->y, POINT_R,
			                    eic_report__actor_kind_colour(pt->kind)));
		TRY(eic_html_raw(h, "</g>\n"));
	}
	TRY(eic_html_raw(h, "</g>\n"));

	/* Labels. */
	int labels_on = npts <= MAX_LABELLED_POINTS;
	if (labels_on) {
		rect bounds = {plot.x0 + 2, plot.y0 + 2, plot.x1 - 2, plot.y1 - 2};
		TRY(rects_push(&obstacles, scale_box));
		TRY(rects_push(&obstacles, north_box));
		for (size_t i = 0; i < npts; i++) {
			rect r = {pts[i].x - POINT_R - 1, pts[i].y - POINT_R - 1,
			          pts[i].x + POINT_R + 1, pts[i].y + POINT_R + 1};
			TRY(rects_push(&obstacles, r));
		}
		TRY(eic_html_raw(h, "<g class=\"labels\" font-size=\"12\" fill=\"#1f2933\" "
		                    "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" "
		                    "paint-order=\"stroke\">\n"));
		for (size_t i = 0; i < npts; i++) {
			char text[LABEL_MAX_CHARS * 4 + 64];
			utf8_truncate(text, sizeof(text), pts[i].name, LABEL_MAX_CHARS);
			if (pts[i].off_map) {
				char km[64];
				eic_report__fmt_sig(km, sizeof(km), pts[i].off_km, 2);
				size_t len = strlen(text);
				snprintf(text + len, sizeof(text) - len, " (%s km away)", km);
			}
			double w = 0.58 * LABEL_FONT_PX * (double)utf8_chars(text) + 4;
			rect r;
			int how = place_label(&r, &obstacles, &bounds, pts[i].x, pts[i].y, w);
			if (!how) {
				unlabelled[nunlabelled++] = pts[i].name;
				continue;
			}
			TRY(rects_push(&obstacles, r));
			if (how == 2) {
				double lx = fmin(fmax(pts[i].x, r.x0), r.x1);
				double ly = fmin(fmax(pts[i].y, r.y0), r.y1);
				TRY(eic_html_printf(h,
				                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				                    "y2=\"%.1f\" stroke=\"#5f6b7a\" "
				                    "stroke-width=\"0.8\"/>",
				                    pts[i].x, pts[i].y, lx, ly));
			}
			TRY(eic_html_printf(h, "<text x=\"%.1f\" y=\"%.1f\">", r.x0 + 2,
			                    r.y0 + LABEL_H - 3));
			TRY(eic_html_text(h, text));
			TRY(eic_html_raw(h, "</text>\n"));
		}
		TRY(eic_html_raw(h, "</g>\n"));
	}

	/* Scale bar: two halves, black and white. */
	TRY(eic_html_printf(
	    h,
	    "<g class=\"scale\" font-size=\"11\" fill=\"#1f2933\">"
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
	    "fill-opacity=\"0.85\" rx=\"3\"/>"
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#1f2933\"/>"
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#fff\" "
	    "stroke=\"#1f2933\" stroke-width=\"1\"/>"
	    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">0</text>"
	    "<text x=\"%.1f\" y=\"%.1f\">%s</text></g>\n",
	    scale_box.x0, scale_box.y0, scale_box.x1 - scale_box.x0, scale_box.y1 - scale_box.y0,
	    scale_box.x0 + 10, scale_box.y1 - 14, bar_px / 2, scale_box.x0 + 10 + bar_px / 2,
	    scale_box.y1 - 14, bar_px / 2, scale_box.x0 + 10, scale_box.y1 - 20,
	    scale_box.x0 + 10 + bar_px + 4, scale_box.y1 - 8, bar_text));
	/* North arrow. */
	{
		double ax = (north_box.x0 + north_box.x1) / 2, ay = north_box.y0 + 4;
		TRY(eic_html_printf(
		    h,
		    "<g class=\"north\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#fff\" fill-opacity=\"0.85\" rx=\"3\"/>"
		    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
		    "fill=\"#1f2933\"/>"
		    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"#fff\" "
		    "stroke=\"#1f2933\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		    "font-size=\"13\" font-weight=\"700\" fill=\"#1f2933\">N</text>"
		    "</g>\n",
		    north_box.x0, north_box.y0, north_box.x1 - north_box.x0,
		    north_box.y1 - north_box.y0, ax, ay, ax + 8, ay + 28, ax, ay + 22, ax, ay,
		    ax - 8, ay + 28, ax, ay + 22, ax, north_box.y1 - 4));
	}
	TRY(eic_html_raw(h, "</svg>\n"));

	/* Legend. */
	TRY(eic_html_raw(h, "<figcaption><div class=\"legend\">"));
	for (int k = 0; k < EIC_ACTOR__N; k++) {
		if (!present[k])
			continue;
		TRY(eic_html_printf(
		    h,
		    "<span><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\">"
		    "<circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"%s\"/></svg>%s</span>",
		    eic_report__actor_kind_colour((eic_actor_kind)k),
		    eic_report__actor_kind_label((eic_actor_kind)k)));
	}
	if (any_facility)
		TRY(eic_html_raw(h, "<span><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\">"
		                    "<rect x=\"2.5\" y=\"2.5\" width=\"9\" height=\"9\" "
		                    "fill=\"#2d3748\" transform=\"rotate(45 7 7)\"/></svg>"
		                    "Candidate shared facility</span>"));
	TRY(eic_html_raw(h, "</div>\n"));
	if (drawn_lines) {
		double samples[3] = {mass_min, sqrt(mass_min * mass_max), mass_max};
		int nsamples = mass_max > mass_min * 1.001 ? 3 : 1;
		TRY(eic_html_raw(h, "<div class=\"legend\"><span><strong>Flow lines</strong> "
		                    "(mass, all periods, log-scaled width):</span>"));
		for (int i = 0; i < nsamples; i++) {
			int k = nsamples == 1 ? 2 : i;
			double w = line_width(samples[k], mass_min, mass_max);
			eic_report__fmt_sig(num, sizeof(num), samples[k], 3);
			TRY(eic_html_printf(h,
			                    "<span><svg width=\"36\" height=\"14\" "
			                    "viewBox=\"0 0 36 14\"><line x1=\"2\" y1=\"7\" "
			                    "x2=\"34\" y2=\"7\" stroke=\"#355f8c\" "
			                    "stroke-opacity=\"0.55\" stroke-width=\"%.2f\" "
			                    "stroke-linecap=\"round\"/></svg>%s ",
			                    w, num));
			TRY(eic_html_text(h, mu));
			TRY(eic_html_raw(h, "</span>"));
		}
		TRY(eic_html_raw(h, "</div>\n"));
	}

	/* Method and caveats. */
	TRY(eic_html_printf(h,
	                    "<p class=\"caption\">Equirectangular projection centred on "
	                    "%.4f\xc2\xb0%s, %.4f\xc2\xb0%s; east-west distances scaled by "
	                    "cos(%.2f\xc2\xb0) = %.3f, the mean latitude of the sites, so the map "
	                    "is true to scale near its centre. The scale bar is the haversine "
	                    "(great-circle) distance along the centre parallel. North is up. ",
	                    fabs(p.lat_c), p.lat_c < 0 ? "S" : "N", fabs(p.lon_c),
	                    p.lon_c < 0 ? "W" : "E", lat0, cos(DEG2RAD(lat0))));
	if (outliers > 0)
		TRY(eic_html_raw(
		    h, "Sites far from the others are drawn as arrows on the frame, "
		       "pointing towards them, with their distance from the map centre. "));
	if (default_box)
		TRY(eic_html_printf(h,
		                    "All sites lie within %.1f km of each other, so a "
		                    "%.0f km box around them is shown. ",
		                    TINY_EXTENT_KM, DEFAULT_BOX_KM));
	TRY(eic_html_raw(h, "<strong>No base map</strong>: the report works offline, so roads, "
	                    "rivers, coastlines and borders are not drawn; only the coordinates "
	                    "in the package are.</p>\n"));
	if (drawn_lines)
		TRY(eic_html_raw(h, "<p class=\"caption\">Flow lines join the sites of the actors "
		                    "at both ends of a flow (flows of a process are drawn from its "
		                    "actor's site); flows in both directions bend apart, and the "
		                    "arrowhead shows the direction. Flows to or from the cluster "
		                    "boundary are in the balance section, not on the map.</p>\n"));
	if (nlines > drawn_lines) {
		eic_report__fmt_count(num, sizeof(num), nlines - drawn_lines);
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">%s smaller actor-to-actor links are not "
		                    "drawn.</p>\n",
		                    num));
	}
	if (unconverted) {
		eic_report__fmt_count(num, sizeof(num), unconverted);
		TRY(eic_html_printf(h,
		                    "<p class=\"note\">%s flow%s between sited actors could not "
		                    "be expressed as mass and %s not drawn.</p>\n",
		                    num, unconverted == 1 ? "" : "s",
		                    unconverted == 1 ? "is" : "are"));
	}
	if (!labels_on)
		TRY(eic_html_raw(h, "<p class=\"note\">Too many sites to label; hover a point for "
		                    "its name, or see the actors table.</p>\n"));
	TRY(name_list(h, "Labels left out for lack of room:", unlabelled, nunlabelled));
	TRY(name_list(h, "Not on the map (no coordinates):", unsited, nunsited));
	TRY(eic_html_raw(h, "</figcaption>\n</figure>\n"));
done:
	eic_free(pts);
	eic_free(unsited);
	eic_free(unlabelled);
	eic_free(lines);
	eic_free(obstacles.items);
	eic_map_free(&actor_point);
	return error;
}
