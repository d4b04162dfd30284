/* optimize_private.h: what optimize.c (model, solves, results) and optimize_section.c (the
 * report section) share inside the symbiosis module. */
#ifndef EIC_SYMBIOSIS_OPTIMIZE_PRIVATE_H
#define EIC_SYMBIOSIS_OPTIMIZE_PRIVATE_H

#include <eic/optimize.h>

/* Time limit of one solve when the report runs the optimisation (seconds). */
#define EIC_OPT_REPORT_TIME_LIMIT_S 5.0

#endif
