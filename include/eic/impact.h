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
#define EIC_FACTORS_VERSION "2026-11-29.3"

/** Make an empty factor set. @return 0 or EIC_ENOMEM. */
EIC_EXTERN int eic_factors_new(eic_factors **out);
EIC_EXTERN void eic_factors_free(eic_factors *factors);

/**
 * Read the shipped tables from `dir` (NULL: `<eic_data_dir()>/factors`): gwp100.csv,
 * swds_k.csv, swds_parameters.csv, stationary_combustion.csv, biological_treatment.csv,
 * open_burning.csv, grid_electricity.csv, transport.csv, energy_conversion.csv, biomass.csv,
 * biogas_yields.csv, benefits.csv.
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

/* ==== Factor library: lookups, copies, per-cluster overrides ============================= */

/**
 * The value of factor (parameter, key), or EIC_EINVALID after appending one error that names
 * the factor, `what` it is needed for (may be NULL) and the table it is expected in
 * (data/factors/<table>.csv or the cluster's factors.csv). Never a silent zero.
 * @return 0, EIC_EINVAL (NULL out or factors), EIC_EINVALID.
 */
EIC_EXTERN int eic_factors_value(double *out, const eic_factors *factors, const char *parameter,
                                 const char *key, const char *what, eic_diags *diags);

/** As eic_factors_value, but hands back the whole factor (borrowed). */
EIC_EXTERN int eic_factors_need(const eic_factor **out, const eic_factors *factors,
                                const char *parameter, const char *key, const char *what,
                                eic_diags *diags);

/** The shipped table (file name, e.g. "swds_k.csv") that holds `parameter`, or NULL. */
EIC_EXTERN const char *eic_factors_table_of(const char *parameter);

/** A new set with a copy of every factor of `src` (for Monte Carlo draws). @return 0,
    EIC_EINVAL, EIC_ENOMEM. */
EIC_EXTERN int eic_factors_copy(eic_factors **out, const eic_factors *src);

/**
 * Replace the value of the factor (parameter, key), keeping its unit, range and source (for
 * Monte Carlo draws on a copy). @return 0, EIC_ENOTFOUND (no such factor), EIC_EINVAL
 * (NULL set, non-finite value).
 */
EIC_EXTERN int eic_factors_set_value(eic_factors *factors, const char *parameter, const char *key,
                                     double value);

/** File name of a cluster package's own factor table, in the package folder. */
#define EIC_CLUSTER_FACTORS_FILE "factors.csv"

/**
 * The factors a cluster's calculations use: the shipped tables (eic_factors_load_dir(NULL))
 * then, when `package_dir` is not NULL and `<package_dir>/factors.csv` exists, that table over
 * them, row by row (same format as the tables of data/factors, docs/format.md). `package_dir` may
 * also be a single-file package (`x.json`): its folder is then searched for `x.factors.csv`.
 * A package without a factor table is not an error.
 * @return 0, or the error of the table that failed (EIC_EPARSE, EIC_EIO, EIC_ENOTFOUND for
 *         missing shipped tables, EIC_ENOMEM), with diagnostics.
 */
EIC_EXTERN int eic_factors_load_for_cluster(eic_factors *factors, const char *package_dir,
                                            eic_diags *diags);

/**
 * Path of the cluster factor table eic_factors_load_for_cluster would read for `package_dir`
 * (whether or not it exists) into buf. @return 0, EIC_EINVAL (NULL or too long).
 */
EIC_EXTERN int eic_factors_cluster_path(char *buf, size_t size, const char *package_dir);

/* ==== Greenhouse gases of waste treatment, electricity and transport ===================== */

/** Greenhouse gases of one activity, kg. */
typedef struct {
	double co2_kg;          /**< fossil CO2 (counted in co2e_kg) */
	double co2_biogenic_kg; /**< CO2 of biogenic carbon: a memo item, not in co2e_kg */
	double ch4_kg;
	double n2o_kg;
	double co2e_kg; /**< co2 + ch4 x GWP(CH4) + n2o x GWP(N2O), or a CO2e factor x activity */
} eic_ghg;

/**
 * Open burning of `mass_t` tonnes (wet) of waste type `waste_type` (IPCC 2006 Vol. 5 Ch. 5):
 * fossil CO2 = m x dm x CF x FCF x OF x 44/12 (Eq. 5.2 for one component), biogenic CO2 the
 * same with (1 - FCF); CH4 = m x EF_CH4_open_burning (Eq. 5.4, wet basis); N2O = m x dm x
 * EF_N2O_open_burning (Eq. 5.5, dry basis). Factors dm, CF, FCF (key waste type, Vol. 5 Ch. 2
 * Table 2.4), OF/open_burning (Table 5.2), EF_CH4_ob/msw and EF_N2O_ob/msw; GWPs of `gwp_set`.
 * Waste types: those of open_burning.csv (paper_cardboard, textiles, food_waste, wood_straw,
 * garden_park, nappies_diapers, rubber_leather, plastics, metal, glass, other_inert).
 * @return 0, EIC_EINVAL (NULL out or factors), EIC_EINVALID (no factor for the waste type,
 *         unknown GWP set, negative mass; every problem reported).
 */
EIC_EXTERN int eic_open_burning_compute(eic_ghg *out, const eic_factors *factors,
                                        const char *waste_type, double mass_t, const char *gwp_set,
                                        eic_diags *diags);

/** Basis of a biological-treatment emission factor (IPCC 2006 Vol. 5 Ch. 4 Table 4.1). */
typedef enum {
	EIC_BASIS_WET = 0, /**< factor per kg of waste as treated (wet weight) */
	EIC_BASIS_DRY = 1, /**< factor per kg of dry matter: mass x dm of the waste type */
} eic_mass_basis;

/**
 * Composting (`treatment` "composting") or anaerobic digestion ("anaerobic_digestion") of
 * `mass_t` tonnes (wet) of `waste_type` (IPCC 2006 Vol. 5 Ch. 4 Eq. 4.1, 4.2):
 * CH4 = M x EF_CH4_bio - R, N2O = M x EF_N2O_bio, M the wet mass (wet basis) or wet mass x dm
 * of the waste type (dry basis), R = `ch4_recovered_kg` (>= 0, at most the CH4 generated).
 * The waste type must have a degradable organic carbon DOC > 0 (swds_parameters.csv) or be a
 * biogas substrate (a biogas_yield factor): a waste type with DOC 0, or with neither factor,
 * cannot be treated biologically and is an error.
 * @return 0, EIC_EINVAL, EIC_EINVALID (unknown treatment or waste type, no dm on a dry basis,
 *         unknown GWP set, negative mass, R above the generated CH4).
 */
EIC_EXTERN int eic_biological_treatment_compute(eic_ghg *out, const eic_factors *factors,
                                                const char *treatment, const char *waste_type,
                                                double mass_t, eic_mass_basis basis,
                                                double ch4_recovered_kg, const char *gwp_set,
                                                eic_diags *diags);

/**
 * Emissions of `electricity_kwh` taken from grid `grid` (a key of grid_electricity.csv, e.g.
 * "japan", "thailand", "sri_lanka", "india", "denmark", "finland", "indonesia", or a user
 * grid given in a cluster's factors.csv): co2e_kg = kWh x EF_grid (kg CO2e/kWh; the shipped
 * rows are Ember's life-cycle intensities). Grid factors are taken as published: the GWP set
 * does not apply and only co2e_kg is set.
 * @return 0, EIC_EINVAL, EIC_EINVALID (unknown grid, negative amount).
 */
EIC_EXTERN int eic_grid_electricity_compute(eic_ghg *out, const eic_factors *factors,
                                            const char *grid, double electricity_kwh,
                                            eic_diags *diags);

/**
 * Emissions of moving `mass_t` tonnes over `distance_km` by `mode` (a key of transport.csv:
 * "truck", "truck_rigid", "truck_articulated", "rail", "ship", "ship_bulk", "ship_container",
 * ...): co2e_kg = t x km x EF_tkm (kg CO2e per tonne-km, well-to-wheel or tank-to-wheel as the
 * row says). The factors are CO2e in the GWP set of their source; co2_kg stays 0.
 * @return 0, EIC_EINVAL, EIC_EINVALID (unknown mode, negative amounts).
 */
EIC_EXTERN int eic_transport_compute(eic_ghg *out, const eic_factors *factors, const char *mode,
                                     double mass_t, double distance_km, eic_diags *diags);

/* ==== Energy recovery: biomass and biogas ============================================== */

/** What a biomass residue is turned into. */
typedef enum {
	EIC_BIOMASS_HEAT = 0,    /**< heat from a boiler */
	EIC_BIOMASS_POWER = 1,   /**< electricity */
	EIC_BIOMASS_PELLETS = 2, /**< pellets (dry matter kept, dried to the pellet moisture) */
} eic_biomass_product;

typedef struct {
	unsigned version;
	eic_biomass_product product;
	/** key of the `efficiency` factors (energy_conversion.csv); NULL: the product's default,
	    "biomass_grate_boiler_heat_only" (heat), "steam_turbine_plant_lt_5MWe" (power); not
	    used for pellets */
	const char *technology;
	/** moisture of the residue as received, mass fraction of the wet fuel; < 0 (default):
	    the residue's typical `moisture` factor (biomass.csv) */
	double moisture;
	/** pellets only: moisture of the pellets; < 0 (default): factor moisture/pellets */
	double pellet_moisture;
} eic_biomass_options;
#define EIC_BIOMASS_OPTIONS_VERSION 1
#define EIC_BIOMASS_OPTIONS_INIT                                                                   \
	{                                                                                          \
		EIC_BIOMASS_OPTIONS_VERSION, EIC_BIOMASS_HEAT, NULL, -1.0, -1.0                    \
	}

/** Energy recovered from a biomass residue. */
typedef struct {
	double lhv_dry_mj_per_kg; /**< factor LHV_dry of the residue */
	double moisture;          /**< used, mass fraction of the wet fuel */
	double lhv_wet_mj_per_kg; /**< LHV as received (eic_energy_lhv_wet) */
	double fuel_energy_mj;    /**< mass x LHV as received */
	double efficiency;        /**< of the technology (heat or power); 0 for pellets */
	double heat_mj;           /**< product heat */
	double electricity_kwh;   /**< product power */
	double pellets_t;         /**< product pellets: mass x (1 - w) / (1 - w_pellet) */
	double pellets_energy_mj; /**< pellets x LHV of the residue at the pellet moisture */
} eic_biomass_energy;

/**
 * Energy from `mass_t` tonnes (as received) of biomass residue `residue` (a key of
 * biomass.csv: rice_husk, rice_straw, bagasse, wood_chips_green, sawdust, ...):
 * LHV_wet = LHV_dry (1 - w) - 2.443 w; heat = m x LHV_wet x eta_th; electricity =
 * m x LHV_wet x eta_el / 3.6; pellets = m (1 - w) / (1 - w_p) (dryer fuel not included).
 * @return 0, EIC_EINVAL (NULL arguments, bad option version), EIC_EINVALID (unknown residue or
 *         technology, moisture outside [0, 1), negative mass).
 */
EIC_EXTERN int eic_energy_biomass(eic_biomass_energy *out, const eic_factors *factors,
                                  const char *residue, double mass_t,
                                  const eic_biomass_options *options, eic_diags *diags);

typedef struct {
	unsigned version;
	/** key of the `efficiency` factor of the engine (energy_conversion.csv); NULL: default
	    "biogas_engine_lt_100kWe"; "" for no electricity (gas only) */
	const char *engine;
	/** key of the `efficiency` factor of heat recovered, e.g. "biogas_engine_heat_recovery";
	    NULL or "" (default): none */
	const char *heat;
	/** CH4 volume fraction of the biogas, 0 < s <= 1; < 0 (default): the substrate's
	    CH4_share factor (an error if the substrate has none) */
	double methane_share;
} eic_biogas_options;
#define EIC_BIOGAS_OPTIONS_VERSION 1
#define EIC_BIOGAS_OPTIONS_INIT                                                                    \
	{                                                                                          \
		EIC_BIOGAS_OPTIONS_VERSION, NULL, NULL, -1.0                                       \
	}

/** Biogas and energy from volatile solids. Gas volumes at 0 C, 1 atm (Nm3). */
typedef struct {
	double yield_m3_per_kg_vs; /**< biogas yield of the substrate (factor biogas_yield) */
	double methane_share;      /**< used */
	double biogas_m3;
	double methane_m3;
	double methane_kg;            /**< methane_m3 x density of CH4 */
	double energy_mj;             /**< methane_m3 x LHV of CH4 per Nm3 */
	double electrical_efficiency; /**< 0 when no engine */
	double electricity_kwh;       /**< energy x eta_el / 3.6 */
	double thermal_efficiency;    /**< 0 when no heat recovery */
	double heat_mj;               /**< energy x eta_th */
} eic_biogas;

/**
 * Biogas from `vs_t` tonnes of volatile solids of `substrate` (a key of biogas_yields.csv,
 * GTZ/ISAT Biogas Digest Vol. I): biogas = VS (kg) x yield (L/kg VS) / 1000; CH4 = biogas x
 * share; energy = CH4 x LHV (MJ/Nm3); electricity = energy x eta_el / 3.6.
 * @return 0, EIC_EINVAL, EIC_EINVALID (unknown substrate or engine, no CH4 share for the
 *         substrate and none given, share outside (0, 1], negative VS).
 */
EIC_EXTERN int eic_biogas_compute(eic_biogas *out, const eic_factors *factors,
                                  const char *substrate, double vs_t,
                                  const eic_biogas_options *options, eic_diags *diags);

/* ==== Other benefits: water and jobs ===================================================== */

/**
 * Direct employment of a waste pathway handling `mass_t_per_yr` tonnes a year:
 * jobs = t/yr / 1000 x jobs_per_kt (factor `jobs_per_kt`, key the pathway, benefits.csv:
 * "landfill", "incineration", "composting", "anaerobic_digestion", "recycling_collection",
 * "recycling_processing", "reuse_remanufacturing", ...). Full-time equivalents.
 * @return 0, EIC_EINVAL, EIC_EINVALID (unknown pathway, negative amount).
 */
EIC_EXTERN int eic_benefit_jobs(double *out_jobs, const eic_factors *factors, const char *pathway,
                                double mass_t_per_yr, eic_diags *diags);

/**
 * Water saved (positive) or used (negative) per tonne handled by a pathway, against the
 * alternative its row names: m3 = t x water_m3_per_t (factor `water_m3_per_t`, key the pathway,
 * benefits.csv).
 * @return 0, EIC_EINVAL, EIC_EINVALID (no water factor for the pathway, negative amount).
 */
EIC_EXTERN int eic_benefit_water(double *out_m3, const eic_factors *factors, const char *pathway,
                                 double mass_t, eic_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
