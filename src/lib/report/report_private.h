/* report_private.h: internals of the HTML report shared by its files and its unit test:
 * the eic_html sink, number formatting, map geometry helpers and the default sections. */
#ifndef EIC_REPORT_PRIVATE_H
#define EIC_REPORT_PRIVATE_H

#include <eic/report.h>
#include <eic/balance.h>

#include "util/util.h"

/* Hard cap on one report's size: a report is for reading, not a data dump. */
#define EIC_REPORT_MAX_BYTES ((size_t)256 * 1024 * 1024)

/* Flows table: at most this many rows, the largest by mass. */
#define EIC_REPORT_MAX_FLOW_ROWS 500

/* Mean Earth radius (IUGG), km, used by the haversine distance. */
#define EIC_REPORT_EARTH_RADIUS_KM 6371.0088

struct eic_html {
	eic_buf buf;
	eic_store *store; /* from eic_report_options; NULL: none */
};

/* ---- number formatting (format.c). Each writes a NUL-terminated string into buf. */

/* `v` rounded to `sig` significant figures, thousands separated with ',', trailing zeros after
 * the decimal point dropped ("12,300", "0.0123", "1.5"). Magnitudes >= 1e15 or < 1e-4 use
 * e-notation. NaN or infinity gives an em dash. */
void eic_report__fmt_sig(char *buf, size_t size, double v, int sig);
/* A number as entered by the user (shortest exact text), thousands separated. */
void eic_report__fmt_input(char *buf, size_t size, double v);
/* A whole count, thousands separated. */
void eic_report__fmt_count(char *buf, size_t size, size_t n);

/* ---- map geometry (map.c) */

/* Great-circle distance in km between two WGS84 points (degrees), haversine formula with
 * R = EIC_REPORT_EARTH_RADIUS_KM. */
double eic_report__haversine_km(double lat1, double lon1, double lat2, double lon2);
/* The largest "nice" length d = {1, 2, 5} x 10^n with d <= max_km; 0 when max_km is not a
 * positive finite number. */
double eic_report__nice_length(double max_km);
/* A graticule step in degrees from a fixed ladder (0.001 ... 30) giving at most `max_lines`
 * lines over `span_deg`. */
double eic_report__graticule_step(double span_deg, int max_lines);

/* ---- shared display names (sections.c) */
const char *eic_report__actor_kind_label(eic_actor_kind kind);
const char *eic_report__actor_kind_colour(eic_actor_kind kind);
const char *eic_report__boundary_label(eic_boundary_kind kind);
/* Write a node reference ("mill", "boundary:landfill") as readable escaped HTML. */
int eic_report__node_html(eic_html *h, const eic_cluster *c, const char *ref);

/* ---- the default sections (render callbacks of eic_report_section) */
int eic_report__render_overview(eic_html *out, const eic_cluster *cluster, void *ctx);
int eic_report__render_actors(eic_html *out, const eic_cluster *cluster, void *ctx);
int eic_report__render_map(eic_html *out, const eic_cluster *cluster, void *ctx);
int eic_report__render_flows(eic_html *out, const eic_cluster *cluster, void *ctx);
int eic_report__render_balance(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
