/* synergy_section.h: the "Tracked synergies" section of the HTML report (synergy_section.c):
 * the synergies kept in the store for the cluster, their status and realised quantities. */
#ifndef EIC_SYMBIOSIS_SYNERGY_SECTION_H
#define EIC_SYMBIOSIS_SYNERGY_SECTION_H

#include <eic/report.h>

/* Render callback of eic_report_section; reads the store given to the report
 * (eic_html_store) and says in one sentence how to start when there is nothing to show.
 * ctx is unused. */
int eic_synergy__render_section(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
