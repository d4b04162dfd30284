/* treatment.c: greenhouse gases of waste treatment per tonne: open burning (IPCC 2006 Vol. 5
 * Ch. 5) and composting or anaerobic digestion (Vol. 5 Ch. 4), from the factor library. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Molecular weight ratio of CO2 to C. Exact stoichiometry (44/12), not a factor. */
#define CO2_PER_C (44.0 / 12.0)

/* A fraction factor must lie in [0, 1]; append an error and return 1 otherwise. */
static int bad_fraction(eic_diags *diags, const eic_factor *fa)
{
	if (!fa || (fa->value >= 0 && fa->value <= 1))
		return 0;
	eic_diags_add(diags, EIC_SEV_ERROR, fa->file, fa->line, 0,
	              "factor %s/%s is %g (expected a fraction from 0 to 1)", fa->parameter,
	              fa->key, fa->value);
	return 1;
}

/* CO2e of the gases in `out` with the GWPs of `set`; returns the number of errors. */
static int weigh(eic_ghg *out, const eic_factors *factors, const char *set, eic_diags *diags)
{
	double gwp_ch4 = 0, gwp_n2o = 0;
	if (eic_factors_gwp(&gwp_ch4, factors, set, "CH4", diags) < 0)
		return 1;
	if (eic_factors_gwp(&gwp_n2o, factors, set, "N2O", diags) < 0)
		return 1;
	out->co2e_kg = out->co2_kg + out->ch4_kg * gwp_ch4 + out->n2o_kg * gwp_n2o;
	return 0;
}

/*
 * Open burning of one waste component. Per tonne wet: dry matter dm (t/t), carbon CF (t C per
 * t dry), of which FCF fossil, oxidised to OF: CO2 = m dm CF FCF OF 44/12 (Eq. 5.2 with one
 * component); the non-fossil share gives biogenic CO2 (memo). CH4 per t wet (Eq. 5.4), N2O per
 * t dry matter (Eq. 5.5; Table 5.6 gives the open-burning factor per t of dry matter). Factors
 * per t are in kg/t. Every missing factor is reported before returning.
 */
int eic_open_burning_compute(eic_ghg *out, const eic_factors *factors, const char *waste_type,
                             double mass_t, const char *gwp_set, eic_diags *diags)
{
	char what[320];
	int errors = 0;
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	const char *wt = waste_type ? waste_type : "";
	snprintf(what, sizeof(what), "mass of %s burnt in the open", wt);
	errors += eic_impact__bad_amount(diags, what, mass_t);
	errors += eic_impact__bad_gwp_set(factors, diags, gwp_set);
	snprintf(what, sizeof(what), "dry matter content of waste type '%s', open burning", wt);
	const eic_factor *dm = eic_impact__need(factors, diags, "dm", wt, what);
	snprintf(what, sizeof(what), "total carbon content of waste type '%s', open burning", wt);
	const eic_factor *cf = eic_impact__need(factors, diags, "CF", wt, what);
	snprintf(what, sizeof(what), "fossil carbon fraction of waste type '%s', open burning", wt);
	const eic_factor *fcf = eic_impact__need(factors, diags, "FCF", wt, what);
	const eic_factor *of = eic_impact__need(factors, diags, "OF", "open_burning",
	                                        "oxidation factor of open burning");
	const eic_factor *ef_ch4 = eic_impact__need(factors, diags, "EF_CH4_ob", "msw",
	                                            "CH4 emission factor of open burning");
	const eic_factor *ef_n2o = eic_impact__need(factors, diags, "EF_N2O_ob", "msw",
	                                            "N2O emission factor of open burning");
	errors += !dm + !cf + !fcf + !of + !ef_ch4 + !ef_n2o;
	errors += bad_fraction(diags, dm) + bad_fraction(diags, cf) + bad_fraction(diags, fcf) +
	          bad_fraction(diags, of);
	if (errors)
		return EIC_EINVALID;
	double carbon_t = mass_t * dm->value * cf->value * of->value;
	out->co2_kg = 1000.0 * carbon_t * fcf->value * CO2_PER_C;
	out->co2_biogenic_kg = 1000.0 * carbon_t * (1.0 - fcf->value) * CO2_PER_C;
	out->ch4_kg = mass_t * ef_ch4->value;
	out->n2o_kg = mass_t * dm->value * ef_n2o->value;
	if (weigh(out, factors, gwp_set, diags))
		return EIC_EINVALID;
	return 0;
}

static const char *const treatments[] = {"composting", "anaerobic_digestion"};

/*
 * Composting and anaerobic digestion: CH4 = M EF - R (Eq. 4.1), N2O = M EF (Eq. 4.2), Table 4.1
 * factors in g per kg treated (= kg/t) on the chosen basis. The waste type must carry DOC > 0:
 * without degradable carbon there is nothing to treat biologically, and such a request is an
 * error rather than a zero.
 */
int eic_biological_treatment_compute(eic_ghg *out, const eic_factors *factors,
                                     const char *treatment, const char *waste_type, double mass_t,
                                     eic_mass_basis basis, double ch4_recovered_kg,
                                     const char *gwp_set, eic_diags *diags)
{
	char key[256], what[320];
	int errors = 0, treatment_ok = 0;
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	const char *tr = treatment ? treatment : "";
	const char *wt = waste_type ? waste_type : "";
	for (size_t i = 0; i < sizeof(treatments) / sizeof(treatments[0]); i++)
		if (strcmp(tr, treatments[i]) == 0)
			treatment_ok = 1;
	if (!treatment_ok) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "unknown biological treatment '%s' (expected composting or "
		              "anaerobic_digestion)",
		              tr);
		errors++;
	}
	if (basis != EIC_BASIS_WET && basis != EIC_BASIS_DRY) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "unknown mass basis %d (expected EIC_BASIS_WET or EIC_BASIS_DRY)",
		              (int)basis);
		errors++;
	}
	snprintf(what, sizeof(what), "mass of %s treated by %s", wt, tr);
	errors += eic_impact__bad_amount(diags, what, mass_t);
	errors += eic_impact__bad_amount(diags, "CH4 recovered (kg)", ch4_recovered_kg);
	errors += eic_impact__bad_gwp_set(factors, diags, gwp_set);
	snprintf(what, sizeof(what),
	         "degradable organic carbon of waste type '%s': biological treatment needs it "
	         "(or a biogas_yield factor of the substrate)",
	         wt);
	const eic_factor *doc = eic_factors_get(factors, "DOC", wt);
	const eic_factor *yield = eic_factors_get(factors, "biogas_yield", wt);
	if (!doc && !yield) {
		eic_impact__need(factors, diags, "DOC", wt, what);
		errors++;
	} else if (doc && !(doc->value > 0)) {
		eic_diags_add(diags, EIC_SEV_ERROR, doc->file, doc->line, 0,
		              "waste type '%s' has no degradable organic carbon (factor DOC/%s = "
		              "%g): %s does not apply to it",
		              wt, wt, doc->value, treatment_ok ? tr : "biological treatment");
		errors++;
	}
	const eic_factor *dm = NULL;
	if (basis == EIC_BASIS_DRY) {
		snprintf(what, sizeof(what),
		         "dry matter content of waste type '%s', for dry-basis factors", wt);
		dm = eic_impact__need(factors, diags, "dm", wt, what);
		errors += !dm + bad_fraction(diags, dm);
	}
	const eic_factor *ef_ch4 = NULL, *ef_n2o = NULL;
	if (treatment_ok && (basis == EIC_BASIS_WET || basis == EIC_BASIS_DRY)) {
		const char *b = basis == EIC_BASIS_DRY ? "dry" : "wet";
		snprintf(key, sizeof(key), "%s/%s", tr, b);
		snprintf(what, sizeof(what), "CH4 emission factor of %s, %s basis", tr, b);
		ef_ch4 = eic_impact__need(factors, diags, "EF_CH4_bio", key, what);
		snprintf(what, sizeof(what), "N2O emission factor of %s, %s basis", tr, b);
		ef_n2o = eic_impact__need(factors, diags, "EF_N2O_bio", key, what);
		errors += !ef_ch4 + !ef_n2o;
	}
	if (errors)
		return EIC_EINVALID;
	double treated_t = mass_t * (dm ? dm->value : 1.0);
	double generated_kg = treated_t * ef_ch4->value;
	if (ch4_recovered_kg > generated_kg) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "CH4 recovered %g kg is more than the %g kg generated by %s of %g t "
		              "of %s",
		              ch4_recovered_kg, generated_kg, tr, mass_t, wt);
		return EIC_EINVALID;
	}
	out->ch4_kg = generated_kg - ch4_recovered_kg;
	out->n2o_kg = treated_t * ef_n2o->value;
	if (weigh(out, factors, gwp_set, diags))
		return EIC_EINVALID;
	return 0;
}
