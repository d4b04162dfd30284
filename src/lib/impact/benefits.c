/* benefits.c: other benefits of waste pathways per tonne from the factor library: direct
 * jobs per thousand tonnes a year and water saved per tonne. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <stdio.h>

int eic_benefit_jobs(double *out_jobs, const eic_factors *factors, const char *pathway,
                     double mass_t_per_yr, eic_diags *diags)
{
	char what[320];
	if (!out_jobs || !factors)
		return EIC_EINVAL;
	*out_jobs = 0;
	const char *p = pathway ? pathway : "";
	snprintf(what, sizeof(what), "tonnes a year handled by pathway '%s'", p);
	int errors = eic_impact__bad_amount(diags, what, mass_t_per_yr);
	snprintf(what, sizeof(what), "direct jobs per 1000 t/yr of pathway '%s'", p);
	const eic_factor *f = eic_impact__need(factors, diags, "jobs_per_kt", p, what);
	if (errors || !f)
		return EIC_EINVALID;
	*out_jobs = mass_t_per_yr / 1000.0 * f->value;
	return 0;
}

int eic_benefit_water(double *out_m3, const eic_factors *factors, const char *pathway,
                      double mass_t, eic_diags *diags)
{
	char what[320];
	if (!out_m3 || !factors)
		return EIC_EINVAL;
	*out_m3 = 0;
	const char *p = pathway ? pathway : "";
	snprintf(what, sizeof(what), "tonnes handled by pathway '%s'", p);
	int errors = eic_impact__bad_amount(diags, what, mass_t);
	snprintf(what, sizeof(what), "water saved per tonne by pathway '%s'", p);
	const eic_factor *f = eic_impact__need(factors, diags, "water_m3_per_t", p, what);
	if (errors || !f)
		return EIC_EINVALID;
	*out_m3 = mass_t * f->value;
	return 0;
}
