/* fod.c: landfill and open-dumping methane by the IPCC 2006 first-order decay method (Vol. 5
 * Ch. 3 Eq. 3.1-3.6), year by year, with the IPCC or the CDM TOOL04 timing of decay. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Molecular weight ratio CH4/C (IPCC 2006 Vol. 5 Eq. 3.6). */
#define CH4_PER_C (16.0 / 12.0)

struct eic_fod_result {
	size_t year_count;
	eic_fod_year *years;
	double ch4_total_t;
	double co2e_total_t;
};

void eic_fod_result_free(eic_fod_result *r)
{
	if (!r)
		return;
	eic_free(r->years);
	eic_free(r);
}

size_t eic_fod_result_years(const eic_fod_result *r)
{
	return r ? r->year_count : 0;
}

const eic_fod_year *eic_fod_result_year(const eic_fod_result *r, size_t i)
{
	return r && i < r->year_count ? &r->years[i] : NULL;
}

double eic_fod_result_ch4_total_t(const eic_fod_result *r)
{
	return r ? r->ch4_total_t : 0;
}

double eic_fod_result_co2e_total_t(const eic_fod_result *r)
{
	return r ? r->co2e_total_t : 0;
}

static const char *const climate_zones[] = {"boreal_temperate_dry", "boreal_temperate_wet",
                                            "tropical_dry", "tropical_wet"};

static int known_zone(const char *z)
{
	for (size_t i = 0; i < sizeof(climate_zones) / sizeof(climate_zones[0]); i++)
		if (eic_streq(z, climate_zones[i]))
			return 1;
	return 0;
}

/* A fraction factor must lie in [0, 1]; returns 1 (after a diagnostic) when it does not. */
static int bad_fraction(eic_diags *diags, const eic_factor *fa)
{
	if (fa->value >= 0 && fa->value <= 1)
		return 0;
	eic_diags_add(diags, EIC_SEV_ERROR, fa->file, fa->line, 0,
	              "factor %s/%s is %g (expected a fraction in [0, 1])", fa->parameter, fa->key,
	              fa->value);
	return 1;
}

/*
 * Decomposable DOC of every deposit (Eq. 3.2: DDOCm = W x DOC x DOCf x MCF) decays with the
 * k of its waste type. IPCC timing (Eq. 3.4, 3.5, with the delay of the IPCC Waste Model):
 * in the deposit year a share 1 - e^{-k (13 - M)/12} decomposes, the rest joins the
 * accumulated stock, and each later year a share 1 - e^{-k} of the stock at the start of
 * the year decomposes. CDM TOOL04 Eq. 1: the deposit of year x decomposes
 * DDOCm e^{-k (y - x)} (1 - e^{-k}) in year y >= x. CH4 generated = decomposed x F x 16/12
 * (Eq. 3.6) x phi; emitted = generated x (1 - recovered) x (1 - OX) (Eq. 3.1).
 * Every deposit is checked before anything is computed, so that all missing factors are
 * named. O(deposits x horizon) time, O(horizon) memory.
 */
int eic_fod_run(eic_fod_result **out, const eic_factors *factors, const char *climate_zone,
                const eic_fod_deposit *deposits, size_t deposit_count,
                const eic_fod_options *options, eic_diags *diags)
{
	eic_fod_options defaults = EIC_FOD_OPTIONS_INIT;
	const eic_fod_options *o = options ? options : &defaults;
	eic_fod_result *r = NULL;
	double *kv = NULL, *ddocm = NULL;
	int rc = 0, errors = 0;
	char key[256], what[320];
	if (!out || !factors || (!deposits && deposit_count))
		return EIC_EINVAL;
	*out = NULL;
	if (o->version != EIC_FOD_OPTIONS_VERSION)
		return EIC_EINVAL;

	/* options */
	if (o->timing != EIC_FOD_TIMING_IPCC && o->timing != EIC_FOD_TIMING_CDM) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "unknown decay timing %d (expected IPCC or CDM)", (int)o->timing);
		errors++;
	}
	if (o->timing == EIC_FOD_TIMING_IPCC && (o->delay_months < 1 || o->delay_months > 13)) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "delay of %d months (expected 1 to 13)", o->delay_months);
		errors++;
	}
	if (o->horizon_years < 1 || o->horizon_years > EIC_FOD_MAX_YEARS) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "horizon of %zu years (expected 1 to %d)", o->horizon_years,
		              EIC_FOD_MAX_YEARS);
		errors++;
	}
	if (!isfinite(o->phi) || o->phi < 0 || o->phi > 1) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "model correction factor phi is %g (expected 0 to 1)", o->phi);
		errors++;
	}
	if (!isfinite(o->recovered_fraction) || o->recovered_fraction < 0 ||
	    o->recovered_fraction > 1) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "recovered fraction is %g (expected 0 to 1)", o->recovered_fraction);
		errors++;
	}
	int zone_ok = known_zone(climate_zone);
	if (!zone_ok) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "unknown climate zone '%s' (expected one of %s)",
		              climate_zone ? climate_zone : "", EIC_FOD_CLIMATE_ZONES);
		errors++;
	}
	double gwp_ch4 = 0;
	if (eic_factors_gwp(&gwp_ch4, factors, o->gwp_set, "CH4", diags) < 0)
		errors++;
	const eic_factor *docf =
	    eic_impact__need(factors, diags, "DOCf", "default", "fraction of DOC that decomposes");
	const eic_factor *f_ch4 =
	    eic_impact__need(factors, diags, "F", "default", "fraction of CH4 in landfill gas");
	const eic_factor *mcf =
	    eic_impact__need(factors, diags, "MCF", o->site_type ? o->site_type : "",
	                     "methane correction factor of the site type");
	const eic_factor *ox =
	    eic_impact__need(factors, diags, "OX", o->cover_type ? o->cover_type : "",
	                     "oxidation factor of the cover type");
	errors += !docf + !f_ch4 + !mcf + !ox;
	if (docf)
		errors += bad_fraction(diags, docf);
	if (f_ch4)
		errors += bad_fraction(diags, f_ch4);
	if (mcf)
		errors += bad_fraction(diags, mcf);
	if (ox)
		errors += bad_fraction(diags, ox);

	/* deposits */
	if (deposit_count) {
		kv = eic_calloc(deposit_count, sizeof(*kv));
		ddocm = eic_calloc(deposit_count, sizeof(*ddocm));
		if (!kv || !ddocm) {
			rc = EIC_ENOMEM;
			goto done;
		}
	}
	for (size_t i = 0; i < deposit_count; i++) {
		const eic_fod_deposit *d = &deposits[i];
		const char *wt = d->waste_type ? d->waste_type : "";
		snprintf(what, sizeof(what), "mass of deposit %zu (%s, year %zu)", i + 1, wt,
		         d->year);
		errors += eic_impact__bad_amount(diags, what, d->mass_t);
		if (d->year < 1 || d->year > o->horizon_years) {
			eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
			              "deposit %zu (%s) is in year %zu, outside the horizon 1..%zu",
			              i + 1, wt, d->year, o->horizon_years);
			errors++;
		}
		snprintf(what, sizeof(what),
		         "degradable organic carbon of waste type '%s', deposit %zu", wt, i + 1);
		const eic_factor *doc = eic_impact__need(factors, diags, "DOC", wt, what);
		const eic_factor *k = NULL;
		if (zone_ok) {
			snprintf(key, sizeof(key), "%s/%s", wt, climate_zone);
			snprintf(what, sizeof(what),
			         "decay rate of waste type '%s' in climate zone %s, deposit %zu",
			         wt, climate_zone, i + 1);
			k = eic_impact__need(factors, diags, "k", key, what);
			if (k && !(k->value > 0)) {
				eic_diags_add(diags, EIC_SEV_ERROR, k->file, k->line, 0,
				              "decay rate k/%s is %g (expected > 0)", key,
				              k->value);
				errors++;
				k = NULL;
			}
		}
		if (!doc || (zone_ok && !k)) {
			errors++;
			continue;
		}
		if (bad_fraction(diags, doc)) {
			errors++;
			continue;
		}
		if (k)
			kv[i] = k->value;
		if (docf && mcf)
			ddocm[i] = d->mass_t * doc->value * docf->value * mcf->value;
	}
	if (errors) {
		rc = EIC_EINVALID;
		goto done;
	}

	size_t ny = o->horizon_years;
	r = eic_calloc(1, sizeof(*r));
	if (!r || !(r->years = eic_calloc(ny, sizeof(*r->years)))) {
		rc = EIC_ENOMEM;
		goto done;
	}
	r->year_count = ny;
	for (size_t y = 0; y < ny; y++)
		r->years[y].year = y + 1;
	for (size_t i = 0; i < deposit_count; i++) {
		double k = kv[i], stock = ddocm[i];
		size_t x = deposits[i].year - 1;
		r->years[x].ddocm_deposited_t += stock;
		if (o->timing == EIC_FOD_TIMING_IPCC) {
			/* deposit year: decay from month M, i.e. for (13 - M) months */
			double left = stock * exp(-k * (13.0 - o->delay_months) / 12.0);
			r->years[x].ddocm_decomposed_t += stock - left;
			r->years[x].ddocm_accumulated_t += left;
			stock = left;
			for (size_t y = x + 1; y < ny; y++) {
				double next = stock * exp(-k);
				r->years[y].ddocm_decomposed_t += stock - next;
				r->years[y].ddocm_accumulated_t += next;
				stock = next;
			}
		} else {
			double share = 1.0 - exp(-k);
			for (size_t y = x; y < ny; y++) {
				double dec = ddocm[i] * exp(-k * (double)(y - x)) * share;
				r->years[y].ddocm_decomposed_t += dec;
				r->years[y].ddocm_accumulated_t +=
				    ddocm[i] * exp(-k * (double)(y - x + 1));
			}
		}
	}
	for (size_t y = 0; y < ny; y++) {
		eic_fod_year *e = &r->years[y];
		e->ch4_generated_t = e->ddocm_decomposed_t * f_ch4->value * CH4_PER_C * o->phi;
		e->ch4_emitted_t =
		    e->ch4_generated_t * (1.0 - o->recovered_fraction) * (1.0 - ox->value);
		e->co2e_t = e->ch4_emitted_t * gwp_ch4;
		r->ch4_total_t += e->ch4_emitted_t;
		r->co2e_total_t += e->co2e_t;
	}
	*out = r;
	r = NULL;
done:
	eic_fod_result_free(r);
	eic_free(kv);
	eic_free(ddocm);
	return rc;
}
