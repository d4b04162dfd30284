/* report_section.h: the "finance" section of the HTML report (report_section.c): every candidate
 * shared facility appraised under the four default financing options. */
#ifndef EIC_FINANCE_REPORT_SECTION_H
#define EIC_FINANCE_REPORT_SECTION_H

#include <eic/report.h>

/* Render callback of eic_report_section. */
int eic_fin__render_report(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
