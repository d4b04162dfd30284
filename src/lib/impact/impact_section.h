/* impact_section.h: the "impact" section of the HTML report (impact_section.c): the cluster's
 * eco-cluster scenario against business as usual, by category and by actor, with sources. */
#ifndef EIC_IMPACT_SECTION_H
#define EIC_IMPACT_SECTION_H

#include <eic/report.h>
#include <eic/scenario.h>

/* Render callback of eic_report_section. */
int eic_impact__render_section(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
