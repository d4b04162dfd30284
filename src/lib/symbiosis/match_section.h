/* match_section.h: the "synergies" section of the HTML report (match_section.c): the top
 * exchange candidates of the matcher drawn on a map of the sites and listed in a table. */
#ifndef EIC_SYMBIOSIS_MATCH_SECTION_H
#define EIC_SYMBIOSIS_MATCH_SECTION_H

#include <eic/report.h>

/* Candidates drawn and listed at most. */
#define EIC_MATCH_SECTION_TOP 15

/* Render callback of eic_report_section. ctx: an `const eic_kb *` to match against, or NULL
 * for the default knowledge base. */
int eic_match__render_section(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
