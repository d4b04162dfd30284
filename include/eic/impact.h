/* eic/impact.h: impact accounting, first slice: the factor library (data/factors), landfill and
 * open-dumping methane by the IPCC 2006 first-order decay method (IPCC and CDM TOOL04 timing),
 * stationary combustion by fuel, and small energy conversions (efficiency, moisture-corrected
 * heating value, fuel equivalents). Method and sources: docs/methods/impact.md.
 * Ownership: eic_factors_new and eic_fod_run hand objects freed by eic_factors_free and
 * eic_fod_result_free (NULL is a no-op); factors and years returned by getters are borrowed
 * from their parent; input strings and arrays are only read during the call.
 *
 * Bad input (an unknown climate zone, GWP set or fuel, a waste type with no factor, a negative
 * or non-finite amount) makes a call return EIC_EINVALID with one error message per problem,
 * naming exactly the missing or wrong item, appended to `diags` when it is not NULL. A factor
 * that is missing is never taken as zero.
 */
#ifndef EIC_IMPACT_H
#define EIC_IMPACT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Factor library ================================================================== */

/**
 * One factor: a number with its unit, optional range, source and whether it was checked
 * against the primary document. Identified by (parameter, key), e.g. ("k",
 * "food_waste/tropical_wet") or ("gwp100", "CH4/AR5"). Strings are owned by the factor set.
 */
typedef struct {
	const char *parameter; /**< "k", "DOC", "NCV", "EF_CO2", "gwp100", ... */
	const char *key;       /**< row key, components joined by '/' */
	double value;
	const char *unit;
	int has_range; /**< low and high are given */
	double low;
	double high;
	const char *source; /**< primary document, table and row */
	int checked;        /**< 1: checked against the primary document (column `checked` = yes) */
	const char *note;   /**< "" when none */
	const char *file;   /**< file (or buffer name) the factor was read from */
	int line;           /**< 1-based line of its row in that file */
} eic_factor;

/** A set of factors keyed by (parameter, key). */
typedef struct eic_factors eic_factors;

/** Version of the shipped factor tables (the `version` line of data/factors/README.md). */
#define EIC_FACTORS_VERSION "2026-11-29.1"

/** Make an empty factor set. @return 0 or EIC_ENOMEM. */
EIC_EXTERN int eic_factors_new(eic_factors **out);
EIC_EXTERN void eic_factors_free(eic_factors *factors);

/**
 * Read the shipped tables from `dir` (NULL: `<eic_data_dir()>/factors`): gwp100.csv,
 * swds_k.csv, swds_parameters.csv, stationary_combustion.csv, biological_treatment.csv.
 * @return 0, EIC_ENOTFOUND/EIC_EIO (a file is missing or unreadable, with a diagnostic),
 *         EIC_EPARSE (errors at file:line:column in `diags`), EIC_ENOMEM.
 */
EIC_EXTERN int eic_factors_load_dir(eic_factors *factors, const char *dir, eic_diags *diags);

/**
 * Read one factor table (columns parameter,key,value,unit,low,high,source,checked,note in any
 * order; low, high and note optional). A factor whose (parameter, key) is already in the set
 * from an earlier file replaces it: this is how a cluster's own table overrides the defaults.
 * The same (parameter, key) twice in one file is an error. After a parse error the set is
 * unchanged (after EIC_ENOMEM it may hold part of the table).
 * @return 0, EIC_ENOTFOUND, EIC_EIO, EIC_EPARSE, EIC_ENOMEM.
 */
EIC_EXTERN int eic_factors_load_file(eic_factors *factors, const char *path, eic_diags *diags);

/** As eic_factors_load_file on a table in memory; `name` is used in diagnostics. */
EIC_EXTERN int eic_factors_load_buffer(eic_factors *factors, const char *name, const char *data,
                                       size_t size, eic_diags *diags);

/**
 * Copy every factor of `over` into `factors`, replacing those with the same (parameter, key).
 * @return 0 or EIC_ENOMEM (then `factors` may hold part of `over`).
 */
EIC_EXTERN int eic_factors_overlay(eic_factors *factors, const eic_factors *over);

/** Number of factors, and the i-th in load order (borrowed; NULL past the end). */
EIC_EXTERN size_t eic_factors_count(const eic_factors *factors);
EIC_EXTERN const eic_factor *eic_factors_at(const eic_factors *factors, size_t index);

/** The factor (parameter, key), or NULL when the set has none. Borrowed. */
EIC_EXTERN const eic_factor *eic_factors_get(const eic_factors *factors, const char *parameter,
                                             const char *key);

/**
 * GWP100 of `gas` ("CO2", "CH4", "CH4_fossil", "CH4_non_fossil", "N2O") in `gwp_set` ("SAR",
 * "AR4", "AR5", "AR5_ccfb", "AR6"). @return 0 or EIC_EINVALID (unknown set or gas).
 */
EIC_EXTERN int eic_factors_gwp(double *out, const eic_factors *factors, const char *gwp_set,
                               const char *gas, eic_diags *diags);

/* ==== Landfill and open-dumping methane: IPCC 2006 first-order decay ==================== */

/** When decay of a year's deposit starts. */
typedef enum {
	/** IPCC 2006 Vol. 5 Ch. 3 Eq. 3.4-3.6 with the delay of the IPCC Waste Model: decay
	    starts `delay_months` after the start of the deposit year (13: 1 January of the
	    next year, so nothing decays in the deposit year). */
	EIC_FOD_TIMING_IPCC = 0,
	/** CDM methodological tool 04 (TOOL04) Eq. 1: the deposit of year x contributes
	    e^{-k(y-x)} (1 - e^{-k}) in year y >= x, so decay starts in the deposit year. */
	EIC_FOD_TIMING_CDM = 1,
} eic_fod_timing;

/** Climate zones of IPCC 2006 Vol. 5 Ch. 3 Table 3.3 (the names used in the k table). */
#define EIC_FOD_CLIMATE_ZONES                                                                      \
	"boreal_temperate_dry, boreal_temperate_wet, tropical_dry, tropical_wet"

/** One year's deposit of one waste type. */
typedef struct {
	const char *waste_type; /**< key of the DOC and k tables, e.g. "food_waste" */
	size_t year;            /**< 1-based year of the horizon in which it is deposited */
	double mass_t;          /**< wet mass deposited, t (>= 0) */
} eic_fod_deposit;

typedef struct {
	unsigned version;
	eic_fod_timing timing;
	int delay_months;          /**< IPCC timing only: 1..13 (default 13) */
	size_t horizon_years;      /**< years computed, 1..EIC_FOD_MAX_YEARS (default 30) */
	const char *site_type;     /**< MCF key (default "managed_anaerobic") */
	const char *cover_type;    /**< OX key (default "default", OX = 0) */
	const char *gwp_set;       /**< for co2e_t (default "AR5") */
	double phi;                /**< TOOL04 model correction factor (default 1; applied in both
	                                timings, IPCC has none so leave it 1 there) */
	double recovered_fraction; /**< share of generated CH4 captured and flared or used, R/gen
	                                in Eq. 3.1, f in TOOL04 (default 0) */
} eic_fod_options;
#define EIC_FOD_OPTIONS_VERSION 1
#define EIC_FOD_OPTIONS_INIT                                                                       \
	{                                                                                          \
		EIC_FOD_OPTIONS_VERSION, EIC_FOD_TIMING_IPCC, 13, 30, "managed_anaerobic",         \
		    "default", "AR5", 1.0, 0.0                                                     \
	}
#define EIC_FOD_MAX_YEARS 500

/** One year of the horizon, all waste types together. Masses in tonnes. */
typedef struct {
	size_t year;                /**< 1-based */
	double ddocm_deposited_t;   /**< decomposable DOC deposited this year (Eq. 3.2) */
	double ddocm_accumulated_t; /**< DDOCm left at the end of the year (Eq. 3.4) */
	double ddocm_decomposed_t;  /**< DDOCm decomposed in the year (Eq. 3.5) */
	double ch4_generated_t;     /**< Eq. 3.6: decomposed x F x 16/12 (x phi) */
	double ch4_emitted_t;       /**< Eq. 3.1: generated x (1 - recovered) x (1 - OX) */
	double co2e_t;              /**< ch4_emitted_t x GWP100 of CH4 in the chosen set */
} eic_fod_year;

typedef struct eic_fod_result eic_fod_result;

/**
 * Methane from the deposits, year by year, in climate zone `climate_zone`. Factors DOC, k,
 * DOCf ("default"), F ("default"), MCF (site_type), OX (cover_type) and the GWP come from
 * `factors`. Every missing factor and bad input is reported (all of them, not just the first)
 * before EIC_EINVALID is returned. O(deposits x horizon).
 * @param[out] out the result, freed with eic_fod_result_free
 * @return 0, EIC_EINVAL (NULL arguments, bad option version), EIC_EINVALID, EIC_ENOMEM.
 */
EIC_EXTERN int eic_fod_run(eic_fod_result **out, const eic_factors *factors,
                           const char *climate_zone, const eic_fod_deposit *deposits,
                           size_t deposit_count, const eic_fod_options *options, eic_diags *diags);
EIC_EXTERN void eic_fod_result_free(eic_fod_result *result);
EIC_EXTERN size_t eic_fod_result_years(const eic_fod_result *result);
/** Year `index` (0-based; year index + 1), borrowed; NULL past the horizon. */
EIC_EXTERN const eic_fod_year *eic_fod_result_year(const eic_fod_result *result, size_t index);
/** Sums over the horizon. */
EIC_EXTERN double eic_fod_result_ch4_total_t(const eic_fod_result *result);
EIC_EXTERN double eic_fod_result_co2e_total_t(const eic_fod_result *result);

/* ==== Stationary combustion (IPCC 2006 Vol. 2 Ch. 2, Tier 1) ========================== */

/** Emissions of one fuel burnt. */
typedef struct {
	double energy_tj;       /**< fuel x NCV (Eq. 2.1 activity data) */
	double co2_kg;          /**< fossil CO2 (0 for a biogenic fuel) */
	double co2_biogenic_kg; /**< CO2 of a biomass fuel: a memo item, not in co2e_kg */
	double ch4_kg;
	double n2o_kg;
	double co2e_kg; /**< co2 + ch4 x GWP(CH4) + n2o x GWP(N2O) */
} eic_combustion;

/**
 * Tier 1 emissions of `mass_t` tonnes of `fuel` (a key of the NCV table, e.g.
 * "gas_diesel_oil") burnt in `sector` ("energy_industries", "manufacturing",
 * "residential"), CO2e with the GWP100 of `gwp_set`. Emission = fuel (TJ) x EF (kg/TJ),
 * IPCC 2006 Vol. 2 Ch. 2 Eq. 2.1.
 * @return 0 or EIC_EINVALID (unknown fuel, sector or set, no factor, negative mass).
 */
EIC_EXTERN int eic_combustion_compute(eic_combustion *out, const eic_factors *factors,
                                      const char *fuel, const char *sector, double mass_t,
                                      const char *gwp_set, eic_diags *diags);

/* ==== Energy ============================================================================ */

/** Megajoules in one kilowatt-hour (exact). */
#define EIC_MJ_PER_KWH 3.6
/** Latent heat of vaporisation of water at 25 C used by ISO 18125:2017 for the net
    calorific value as received, MJ/kg (24.43 J/g per percent of moisture). */
#define EIC_WATER_LATENT_HEAT_MJ_PER_KG 2.443

/**
 * Electrical efficiency implied by `electricity_kwh` produced from `fuel_kg` of a fuel of
 * lower heating value `lhv_mj_per_kg`: kWh x 3.6 / (kg x LHV).
 * @return 0 or EIC_EINVALID (amounts <= 0 or not finite).
 */
EIC_EXTERN int eic_energy_efficiency(double *out, double electricity_kwh, double fuel_kg,
                                     double lhv_mj_per_kg, eic_diags *diags);

/**
 * Lower heating value as received (wet basis) from the dry-basis value and the moisture
 * content `moisture` (mass fraction of the wet fuel, 0..1):
 * LHV_wet = LHV_dry (1 - w) - 2.443 w, MJ/kg (ISO 18125:2017).
 * @return 0 or EIC_EINVALID (moisture outside [0, 1), negative LHV, not finite).
 */
EIC_EXTERN int eic_energy_lhv_wet(double *out, double lhv_dry_mj_per_kg, double moisture,
                                  eic_diags *diags);

/**
 * Litres of a liquid fuel holding `energy_mj` (lower heating value): energy / (NCV x density),
 * with NCV (TJ/Gg = MJ/kg) and density (kg/L) of `fuel` from the factor set: "motor_gasoline"
 * (petrol), "other_kerosene", "gas_diesel_oil".
 * @return 0 or EIC_EINVALID (no NCV or density for the fuel, negative energy).
 */
EIC_EXTERN int eic_energy_fuel_litres(double *out, const eic_factors *factors, const char *fuel,
                                      double energy_mj, eic_diags *diags);

/** The inverse: energy (MJ, lower heating value) in `litres` of `fuel`. */
EIC_EXTERN int eic_energy_fuel_energy(double *out_mj, const eic_factors *factors, const char *fuel,
                                      double litres, eic_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
