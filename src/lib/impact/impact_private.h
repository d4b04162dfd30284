/* impact_private.h: pieces shared by the files of the impact module (src/lib/impact): checks
 * of input numbers and names that append a diagnostic naming what is wrong. */
#ifndef EIC_IMPACT_PRIVATE_H
#define EIC_IMPACT_PRIVATE_H

#include <eic/impact.h>

/* Append an error naming `what` when v is negative or not finite; returns 1 when bad. */
int eic_impact__bad_amount(eic_diags *diags, const char *what, double v);

/* The factor (parameter, key) or NULL after appending "no factor <parameter> for <what>". */
const eic_factor *eic_impact__need(const eic_factors *factors, eic_diags *diags,
                                   const char *parameter, const char *key, const char *what);

/* Append an error unless `set` names a GWP set of the library; returns 1 when unknown. */
int eic_impact__bad_gwp_set(const eic_factors *factors, eic_diags *diags, const char *set);

#endif
