/* biogas.c: biogas and energy from the volatile solids of a substrate: specific yield by
 * substrate (GTZ/ISAT Biogas Digest), methane share, heating value and engine efficiency. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* An efficiency factor of key `key`; NULL after a diagnostic (missing or outside (0, 1]). */
static const eic_factor *efficiency(const eic_factors *factors, const char *key, const char *use,
                                    eic_diags *diags)
{
	char what[320];
	snprintf(what, sizeof(what), "%s efficiency of '%s'", use, key);
	const eic_factor *eta = eic_impact__need(factors, diags, "efficiency", key, what);
	if (eta && !(eta->value > 0 && eta->value <= 1)) {
		eic_diags_add(diags, EIC_SEV_ERROR, eta->file, eta->line, 0,
		              "factor efficiency/%s is %g (expected 0 < eta <= 1)", key,
		              eta->value);
		return NULL;
	}
	return eta;
}

/*
 * biogas (Nm3) = VS (t) x yield (L/kg VS = m3/t VS); CH4 = biogas x share; energy = CH4 x
 * LHV_CH4 (MJ/Nm3); electricity = energy x eta_el / 3.6; heat = energy x eta_th. The yield is
 * the factor's value (the middle of the GTZ range); Monte Carlo draws replace it.
 */
int eic_biogas_compute(eic_biogas *out, const eic_factors *factors, const char *substrate,
                       double vs_t, const eic_biogas_options *options, eic_diags *diags)
{
	char what[320];
	eic_biogas_options def = EIC_BIOGAS_OPTIONS_INIT;
	int errors = 0;
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!options)
		options = &def;
	if (options->version != EIC_BIOGAS_OPTIONS_VERSION)
		return EIC_EINVAL;
	const char *s = substrate ? substrate : "";
	snprintf(what, sizeof(what), "volatile solids of %s (t)", s);
	errors += eic_impact__bad_amount(diags, what, vs_t);
	snprintf(what, sizeof(what), "biogas yield of substrate '%s'", s);
	const eic_factor *yield = eic_impact__need(factors, diags, "biogas_yield", s, what);
	errors += !yield;
	double share = options->methane_share;
	if (isnan(share) || share >= 0) {
		if (!(share > 0 && share <= 1)) {
			eic_diags_add(
			    diags, EIC_SEV_ERROR, "", 0, 0,
			    "methane share %g given for %s (expected 0 < share <= 1, or < 0 "
			    "for the substrate's factor)",
			    share, s);
			errors++;
		}
	} else {
		snprintf(what, sizeof(what),
		         "methane share of the biogas of substrate '%s'; the source gives none, "
		         "set eic_biogas_options.methane_share",
		         s);
		const eic_factor *f = eic_impact__need(factors, diags, "CH4_share", s, what);
		if (!f) {
			errors++;
		} else if (!(f->value > 0 && f->value <= 1)) {
			eic_diags_add(diags, EIC_SEV_ERROR, f->file, f->line, 0,
			              "factor CH4_share/%s is %g (expected 0 < share <= 1)", s,
			              f->value);
			errors++;
		} else {
			share = f->value;
		}
	}
	const eic_factor *lhv = eic_impact__need(factors, diags, "LHV_CH4", "Nm3",
	                                         "lower heating value of methane per Nm3");
	const eic_factor *rho = eic_impact__need(factors, diags, "density_CH4", "Nm3",
	                                         "density of methane at 0 C, 1 atm");
	errors += !lhv + !rho;
	const char *engine = options->engine ? options->engine : "biogas_engine_lt_100kWe";
	const eic_factor *eta_el = NULL, *eta_th = NULL;
	if (*engine) {
		eta_el = efficiency(factors, engine, "electrical", diags);
		errors += !eta_el;
	}
	if (!eic_str_empty(options->heat)) {
		eta_th = efficiency(factors, options->heat, "thermal", diags);
		errors += !eta_th;
	}
	if (errors)
		return EIC_EINVALID;
	out->yield_m3_per_kg_vs = yield->value / 1000.0;
	out->methane_share = share;
	out->biogas_m3 = vs_t * yield->value;
	out->methane_m3 = out->biogas_m3 * share;
	out->methane_kg = out->methane_m3 * rho->value;
	out->energy_mj = out->methane_m3 * lhv->value;
	if (eta_el) {
		out->electrical_efficiency = eta_el->value;
		out->electricity_kwh = out->energy_mj * eta_el->value / EIC_MJ_PER_KWH;
	}
	if (eta_th) {
		out->thermal_efficiency = eta_th->value;
		out->heat_mj = out->energy_mj * eta_th->value;
	}
	return 0;
}
