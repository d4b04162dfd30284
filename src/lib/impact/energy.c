/* energy.c: stationary combustion by fuel (IPCC 2006 Vol. 2 Ch. 2, Tier 1) and small energy
 * conversions: implied efficiency, moisture-corrected heating value, liquid-fuel equivalents. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const sectors[] = {"energy_industries", "manufacturing", "residential"};

/*
 * Tier 1: energy (TJ) = mass (Gg) x NCV (TJ/Gg); emission of each gas = energy x EF (kg/TJ)
 * (Eq. 2.1). CO2 of a fuel flagged biogenic is a memo item (co2_biogenic_kg) and stays out
 * of CO2e, as IPCC 2006 Vol. 2 Ch. 1 section 1.4.1 prescribes for biomass fuels.
 */
int eic_combustion_compute(eic_combustion *out, const eic_factors *factors, const char *fuel,
                           const char *sector, double mass_t, const char *gwp_set, eic_diags *diags)
{
	char key[256], what[320];
	int errors = 0, sector_ok = 0;
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	const char *fu = fuel ? fuel : "";
	for (size_t i = 0; i < sizeof(sectors) / sizeof(sectors[0]); i++)
		if (eic_streq(sector, sectors[i]))
			sector_ok = 1;
	if (!sector_ok) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "unknown combustion sector '%s' (expected energy_industries, "
		              "manufacturing or residential)",
		              sector ? sector : "");
		errors++;
	}
	snprintf(what, sizeof(what), "mass of %s burnt", fu);
	errors += eic_impact__bad_amount(diags, what, mass_t);
	double gwp_ch4 = 0, gwp_n2o = 0;
	if (eic_factors_gwp(&gwp_ch4, factors, gwp_set, "CH4", diags) < 0)
		errors++;
	else if (eic_factors_gwp(&gwp_n2o, factors, gwp_set, "N2O", diags) < 0)
		errors++;
	snprintf(what, sizeof(what), "net calorific value of fuel '%s'", fu);
	const eic_factor *ncv = eic_impact__need(factors, diags, "NCV", fu, what);
	snprintf(what, sizeof(what), "CO2 emission factor of fuel '%s'", fu);
	const eic_factor *co2 = eic_impact__need(factors, diags, "EF_CO2", fu, what);
	snprintf(what, sizeof(what), "whether the CO2 of fuel '%s' is biogenic", fu);
	const eic_factor *bio = eic_impact__need(factors, diags, "biogenic", fu, what);
	const eic_factor *ch4 = NULL, *n2o = NULL;
	errors += !ncv + !co2 + !bio;
	if (sector_ok) {
		snprintf(key, sizeof(key), "%s/%s", fu, sector);
		snprintf(what, sizeof(what), "CH4 emission factor of fuel '%s' in sector %s", fu,
		         sector);
		ch4 = eic_impact__need(factors, diags, "EF_CH4", key, what);
		snprintf(what, sizeof(what), "N2O emission factor of fuel '%s' in sector %s", fu,
		         sector);
		n2o = eic_impact__need(factors, diags, "EF_N2O", key, what);
		errors += !ch4 + !n2o;
	}
	if (errors)
		return EIC_EINVALID;
	out->energy_tj = mass_t * 1e-3 * ncv->value;
	double co2_kg = out->energy_tj * co2->value;
	if (bio->value != 0)
		out->co2_biogenic_kg = co2_kg;
	else
		out->co2_kg = co2_kg;
	out->ch4_kg = out->energy_tj * ch4->value;
	out->n2o_kg = out->energy_tj * n2o->value;
	out->co2e_kg = out->co2_kg + out->ch4_kg * gwp_ch4 + out->n2o_kg * gwp_n2o;
	return 0;
}

int eic_energy_efficiency(double *out, double electricity_kwh, double fuel_kg, double lhv_mj_per_kg,
                          eic_diags *diags)
{
	if (!out)
		return EIC_EINVAL;
	*out = 0;
	int errors = 0;
	errors += eic_impact__bad_amount(diags, "electricity produced (kWh)", electricity_kwh);
	if (!isfinite(fuel_kg) || fuel_kg <= 0) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "fuel mass is %g kg (expected a finite number > 0)", fuel_kg);
		errors++;
	}
	if (!isfinite(lhv_mj_per_kg) || lhv_mj_per_kg <= 0) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "lower heating value is %g MJ/kg (expected a finite number > 0)",
		              lhv_mj_per_kg);
		errors++;
	}
	if (errors)
		return EIC_EINVALID;
	*out = electricity_kwh * EIC_MJ_PER_KWH / (fuel_kg * lhv_mj_per_kg);
	return 0;
}

int eic_energy_lhv_wet(double *out, double lhv_dry_mj_per_kg, double moisture, eic_diags *diags)
{
	if (!out)
		return EIC_EINVAL;
	*out = 0;
	int errors = eic_impact__bad_amount(diags, "dry-basis lower heating value (MJ/kg)",
	                                    lhv_dry_mj_per_kg);
	if (!isfinite(moisture) || moisture < 0 || moisture >= 1) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "moisture content is %g (expected a mass fraction of the wet fuel, "
		              "0 <= w < 1)",
		              moisture);
		errors++;
	}
	if (errors)
		return EIC_EINVALID;
	*out = lhv_dry_mj_per_kg * (1.0 - moisture) - EIC_WATER_LATENT_HEAT_MJ_PER_KG * moisture;
	return 0;
}

/* Energy density of a liquid fuel, MJ/L = NCV (TJ/Gg = MJ/kg) x density (kg/L); 0 after a
 * diagnostic for every missing factor. */
static double mj_per_litre(const eic_factors *factors, const char *fuel, eic_diags *diags)
{
	char what[320];
	const char *fu = fuel ? fuel : "";
	snprintf(what, sizeof(what), "net calorific value of fuel '%s'", fu);
	const eic_factor *ncv = eic_impact__need(factors, diags, "NCV", fu, what);
	snprintf(what, sizeof(what), "density of liquid fuel '%s'", fu);
	const eic_factor *rho = eic_impact__need(factors, diags, "density", fu, what);
	if (!ncv || !rho)
		return 0;
	if (!(ncv->value > 0) || !(rho->value > 0)) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "fuel '%s' has NCV %g MJ/kg and density %g kg/L (both must be > 0)",
		              fu, ncv->value, rho->value);
		return 0;
	}
	return ncv->value * rho->value;
}

int eic_energy_fuel_litres(double *out, const eic_factors *factors, const char *fuel,
                           double energy_mj, eic_diags *diags)
{
	if (!out || !factors)
		return EIC_EINVAL;
	*out = 0;
	int bad = eic_impact__bad_amount(diags, "energy (MJ)", energy_mj);
	double e = mj_per_litre(factors, fuel, diags);
	if (bad || e <= 0)
		return EIC_EINVALID;
	*out = energy_mj / e;
	return 0;
}

int eic_energy_fuel_energy(double *out_mj, const eic_factors *factors, const char *fuel,
                           double litres, eic_diags *diags)
{
	if (!out_mj || !factors)
		return EIC_EINVAL;
	*out_mj = 0;
	int bad = eic_impact__bad_amount(diags, "fuel volume (L)", litres);
	double e = mj_per_litre(factors, fuel, diags);
	if (bad || e <= 0)
		return EIC_EINVALID;
	*out_mj = litres * e;
	return 0;
}

/* ---- biomass residues to heat, power or pellets ---- */

/* A fraction given by the caller (>= 0) or, when negative, taken from factor (parameter, key);
 * returns 1 after a diagnostic when missing or outside [0, 1). */
static int fraction_or_factor(double *out, double given, const eic_factors *factors,
                              const char *parameter, const char *key, const char *what,
                              eic_diags *diags)
{
	double v = given;
	const eic_factor *fa = NULL;
	if (!(given >= 0)) {
		if (!isnan(given) && given < 0) {
			if (!(fa = eic_impact__need(factors, diags, parameter, key, what)))
				return 1;
			v = fa->value;
		}
	}
	if (!isfinite(v) || v < 0 || v >= 1) {
		eic_diags_add(diags, EIC_SEV_ERROR, fa ? fa->file : "", fa ? fa->line : 0, 0,
		              "%s is %g (expected a mass fraction of the wet material, 0 <= w < 1)",
		              what, v);
		return 1;
	}
	*out = v;
	return 0;
}

/*
 * Heat = m LHV_wet eta_th, power = m LHV_wet eta_el / 3.6 (kWh), pellets = dry matter kept and
 * dried to the pellet moisture (no loss of matter, dryer fuel not counted). All problems are
 * reported before returning EIC_EINVALID.
 */
int eic_energy_biomass(eic_biomass_energy *out, const eic_factors *factors, const char *residue,
                       double mass_t, const eic_biomass_options *options, eic_diags *diags)
{
	char what[320];
	eic_biomass_options def = EIC_BIOMASS_OPTIONS_INIT;
	int errors = 0;
	if (!out || !factors)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!options)
		options = &def;
	if (options->version != EIC_BIOMASS_OPTIONS_VERSION)
		return EIC_EINVAL;
	const char *r = residue ? residue : "";
	snprintf(what, sizeof(what), "mass of %s (t as received)", r);
	errors += eic_impact__bad_amount(diags, what, mass_t);
	snprintf(what, sizeof(what), "dry-basis lower heating value of residue '%s'", r);
	const eic_factor *lhv = eic_impact__need(factors, diags, "LHV_dry", r, what);
	errors += !lhv;
	snprintf(what, sizeof(what), "moisture of residue '%s' as received", r);
	errors += fraction_or_factor(&out->moisture, options->moisture, factors, "moisture", r,
	                             what, diags);
	const eic_factor *eta = NULL;
	double pellet_moisture = 0;
	const char *tech = options->technology;
	switch (options->product) {
	case EIC_BIOMASS_HEAT:
	case EIC_BIOMASS_POWER:
		if (!tech)
			tech = options->product == EIC_BIOMASS_HEAT
			           ? "biomass_grate_boiler_heat_only"
			           : "steam_turbine_plant_lt_5MWe";
		snprintf(what, sizeof(what), "efficiency of technology '%s' for %s", tech,
		         options->product == EIC_BIOMASS_HEAT ? "heat" : "power");
		eta = eic_impact__need(factors, diags, "efficiency", tech, what);
		errors += !eta;
		if (eta && !(eta->value > 0 && eta->value <= 1)) {
			eic_diags_add(diags, EIC_SEV_ERROR, eta->file, eta->line, 0,
			              "factor efficiency/%s is %g (expected 0 < eta <= 1)", tech,
			              eta->value);
			errors++;
		}
		break;
	case EIC_BIOMASS_PELLETS:
		errors +=
		    fraction_or_factor(&pellet_moisture, options->pellet_moisture, factors,
		                       "moisture", "pellets", "moisture of the pellets", diags);
		break;
	default:
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "unknown biomass product %d (expected heat, power or pellets)",
		              (int)options->product);
		errors++;
	}
	if (errors)
		return EIC_EINVALID;
	out->lhv_dry_mj_per_kg = lhv->value;
	if (eic_energy_lhv_wet(&out->lhv_wet_mj_per_kg, lhv->value, out->moisture, diags) < 0)
		return EIC_EINVALID;
	out->fuel_energy_mj = mass_t * 1000.0 * out->lhv_wet_mj_per_kg;
	if (options->product == EIC_BIOMASS_PELLETS) {
		double pellet_lhv = 0;
		if (eic_energy_lhv_wet(&pellet_lhv, lhv->value, pellet_moisture, diags) < 0)
			return EIC_EINVALID;
		out->pellets_t = mass_t * (1.0 - out->moisture) / (1.0 - pellet_moisture);
		out->pellets_energy_mj = out->pellets_t * 1000.0 * pellet_lhv;
		return 0;
	}
	out->efficiency = eta->value;
	if (options->product == EIC_BIOMASS_HEAT)
		out->heat_mj = out->fuel_energy_mj * eta->value;
	else
		out->electricity_kwh = out->fuel_energy_mj * eta->value / EIC_MJ_PER_KWH;
	return 0;
}
