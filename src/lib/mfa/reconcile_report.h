/* reconcile_report.h: the "reconciliation" section of the HTML report (reconcile_report.c),
 * registered among the default sections by src/lib/report/report.c. */
#ifndef EIC_MFA_RECONCILE_REPORT_H
#define EIC_MFA_RECONCILE_REPORT_H

#include <eic/report.h>

/* Render callback (eic_report_section.render): per period, the chi-square verdict in plain
 * words and the measured against reconciled values, likely gross errors flagged. */
int eic_mfa__render_reconciliation(eic_html *out, const eic_cluster *cluster, void *ctx);

#endif
