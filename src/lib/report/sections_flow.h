/* sections_flow.h: the report sections on circularity and ecological network indicators
 * (sections_flow.c), render callbacks of eic_report_section. */
#ifndef EIC_REPORT_SECTIONS_FLOW_H
#define EIC_REPORT_SECTIONS_FLOW_H

#include <eic/report.h>

int eic_report__render_circularity(eic_html *out, const eic_cluster *cluster, void *ctx);
int eic_report__render_network(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
