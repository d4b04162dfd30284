/* transport.c: emissions of grid electricity (kg CO2 per kWh by country or grid) and of freight
 * transport (kg CO2e per tonne-km by mode), from the factor library. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/*
 * Grid electricity: kWh x EF_grid, the factor as published (Ember life-cycle CO2e per kWh for
 * the shipped rows; a user grid may give a CDM combined margin in CO2 per kWh).
 */
int eic_grid_electricity_compute(eic_ghg *out, const eic_factors *factors, const char *grid,
                                 double electricity_kwh, eic_diags *diags)
{
	char what[320];
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	const char *g = grid ? grid : "";
	snprintf(what, sizeof(what), "electricity taken from grid '%s' (kWh)", g);
	int errors = eic_impact__bad_amount(diags, what, electricity_kwh);
	snprintf(what, sizeof(what), "emission factor of grid electricity '%s'", g);
	const eic_factor *ef = eic_impact__need(factors, diags, "EF_grid", g, what);
	errors += !ef;
	if (ef && !(ef->value >= 0)) {
		eic_diags_add(diags, EIC_SEV_ERROR, ef->file, ef->line, 0,
		              "factor EF_grid/%s is %g (expected >= 0)", g, ef->value);
		errors++;
	}
	if (errors)
		return EIC_EINVALID;
	out->co2e_kg = electricity_kwh * ef->value;
	return 0;
}

/* Freight: t x km x EF_tkm (kg CO2e per tonne-km in the source's own GWP set). */
int eic_transport_compute(eic_ghg *out, const eic_factors *factors, const char *mode, double mass_t,
                          double distance_km, eic_diags *diags)
{
	char what[320];
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	const char *m = mode ? mode : "";
	snprintf(what, sizeof(what), "mass moved by %s (t)", m);
	int errors = eic_impact__bad_amount(diags, what, mass_t);
	snprintf(what, sizeof(what), "distance moved by %s (km)", m);
	errors += eic_impact__bad_amount(diags, what, distance_km);
	snprintf(what, sizeof(what), "emission factor per tonne-km of transport mode '%s'", m);
	const eic_factor *ef = eic_impact__need(factors, diags, "EF_tkm", m, what);
	errors += !ef;
	if (ef && !(ef->value >= 0)) {
		eic_diags_add(diags, EIC_SEV_ERROR, ef->file, ef->line, 0,
		              "factor EF_tkm/%s is %g (expected >= 0)", m, ef->value);
		errors++;
	}
	if (errors)
		return EIC_EINVALID;
	out->co2e_kg = mass_t * distance_km * ef->value;
	return 0;
}
