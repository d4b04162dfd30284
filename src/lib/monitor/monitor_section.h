/* monitor_section.h: the report sections of performance monitoring: "Performance and rating"
 * (indicator trend charts, colour-rank table) and "Annual sustainability report" (manual 5.3). */
#ifndef EIC_MONITOR_SECTION_H
#define EIC_MONITOR_SECTION_H

#include <eic/report.h>

/* Both read the measurement records from eic_html_store(out); without a store or records they
 * say in one sentence how to load them. Return 0 or a negative error code. */
int eic_monitor__render_performance(eic_html *out, const eic_cluster *cluster, void *ctx);
int eic_monitor__render_annual(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
