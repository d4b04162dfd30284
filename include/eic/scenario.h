/* eic/scenario.h: impact scenarios: a business-as-usual (BAU) case and alternatives of the same
 * cluster (flows rerouted, offers matched, facilities opened, synergies in operation, flows
 * changed by cleaner production), evaluated by impact category, by actor and for the cluster,
 * with attribution notes, factor sources and seeded Monte Carlo intervals. File format:
 * docs/format.md "Scenario file"; method: docs/methods/scenarios.md.
 * Ownership: eic_scenario_read*, eic_scenario_derive and eic_scenario_evaluate hand objects
 * freed by eic_scenario_free and eic_scenario_result_free (NULL is a no-op); strings and
 * records returned by getters are borrowed from their parent; the cluster and factor set
 * given to a call must outlive the objects made from them.
 */
#ifndef EIC_SCENARIO_H
#define EIC_SCENARIO_H

#include <stdint.h>

#include "common.h"
#include "impact.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version written as "eic_scenario" in scenario files. */
#define EIC_SCENARIO_FORMAT_VERSION 1
/** File name of a package's default scenario (data/examples/<x>/scenario.json). */
#define EIC_SCENARIO_FILE "scenario.json"

/** A parsed scenario file (or one derived from the cluster): BAU changes, alternatives and
 *  settings, checked against one cluster. */
typedef struct eic_scenario eic_scenario;

/**
 * Read a scenario file for `cluster`. Every reference (flow, actor, process, material, offer,
 * facility, level) is checked against the cluster; problems are reported at file:line:column
 * (all of them) and the call returns EIC_EINVALID.
 * @param[out] out the scenario, freed with eic_scenario_free
 * @return 0, EIC_EINVAL (NULL arguments), EIC_EIO (unreadable), EIC_EINVALID, EIC_ENOMEM.
 */
EIC_EXTERN int eic_scenario_read(eic_scenario **out, const eic_cluster *cluster, const char *path,
                                 eic_diags *diags);
/** As eic_scenario_read on a document in memory; `name` is used in diagnostics. */
EIC_EXTERN int eic_scenario_read_buffer(eic_scenario **out, const eic_cluster *cluster,
                                        const char *name, const char *data, size_t size,
                                        eic_diags *diags);

/**
 * The default "eco-cluster" scenario derived from the cluster itself by the rule of
 * docs/methods/scenarios.md: BAU is the cluster as recorded; the alternative reroutes every
 * flow to landfill, open dumping or open burning whose material is an input of a candidate
 * facility to that facility (opened at the smallest level that takes it), else to an actor
 * that wants the material (an offer), up to the want's quantity.
 * @return 0, EIC_EINVAL, EIC_ENOMEM.
 */
EIC_EXTERN int eic_scenario_derive(eic_scenario **out, const eic_cluster *cluster,
                                   eic_diags *diags);

/**
 * The scenario a cluster is evaluated with when none is named: `<package_dir>/scenario.json`
 * when package_dir is not NULL and that file exists, else the shipped example's
 * `<eic_data_dir()>/examples/<cluster id>/scenario.json` or the worked example's
 * `<eic_data_dir()>/worked/<cluster id>/scenario.json` when it exists, else
 * eic_scenario_derive. A file that exists but is invalid is an error (diagnostics), not a
 * reason to fall back.
 * @return 0, EIC_EINVAL, EIC_EIO, EIC_EINVALID, EIC_ENOMEM.
 */
EIC_EXTERN int eic_scenario_load_default(eic_scenario **out, const eic_cluster *cluster,
                                         const char *package_dir, eic_diags *diags);

EIC_EXTERN void eic_scenario_free(eic_scenario *scenario);

/** Name, description and sources of the scenario ("" when absent). */
EIC_EXTERN const char *eic_scenario_name(const eic_scenario *scenario);
EIC_EXTERN const char *eic_scenario_description(const eic_scenario *scenario);
EIC_EXTERN const char *eic_scenario_sources(const eic_scenario *scenario);
/** 1 when the scenario was derived by eic_scenario_derive, 0 when read from a file. */
EIC_EXTERN int eic_scenario_is_derived(const eic_scenario *scenario);
/** Alternatives (at least one), in file order. */
EIC_EXTERN size_t eic_scenario_alternative_count(const eic_scenario *scenario);
EIC_EXTERN const char *eic_scenario_alternative_id(const eic_scenario *scenario, size_t index);
EIC_EXTERN const char *eic_scenario_alternative_name(const eic_scenario *scenario, size_t index);
/** Index of the alternative with `id`. @return 0 or EIC_ENOTFOUND. */
EIC_EXTERN int eic_scenario_find_alternative(size_t *out, const eic_scenario *scenario,
                                             const char *id);

/* ==== Evaluation ======================================================================== */

/** Headline categories. */
typedef enum {
	EIC_IMPACT_GHG = 0,          /**< t CO2e (landfill FOD over the horizon, burning, ...) */
	EIC_IMPACT_ENERGY_RECOVERED, /**< GJ of energy carriers recovered */
	EIC_IMPACT_ENERGY_USED,      /**< GJ of fuels and energy bought in */
	EIC_IMPACT_WATER,            /**< m3 of water taken in */
	EIC_IMPACT_LANDFILL,         /**< t to landfill and open dumps */
	EIC_IMPACT_VIRGIN,           /**< t of virgin (supply-market) material taken in */
	EIC_IMPACT_HAZARDOUS,        /**< t of hazardous waste generated */
	EIC_IMPACT_COST,             /**< currency/yr: opex, annualised capex, disposal fees */
	EIC_IMPACT_REVENUE,          /**< currency/yr: recovered products sold */
	EIC_IMPACT_JOBS,             /**< full-time equivalents */
	EIC_IMPACT__N
} eic_impact_category;

/** Sources of greenhouse gases. */
typedef enum {
	EIC_GHG_LANDFILL = 0,
	EIC_GHG_OPEN_DUMPING,
	EIC_GHG_OPEN_BURNING,
	EIC_GHG_COMPOSTING,
	EIC_GHG_ANAEROBIC_DIGESTION,
	EIC_GHG_COMBUSTION,
	EIC_GHG_GRID,
	EIC_GHG_TRANSPORT,
	EIC_GHG_SOURCE__N
} eic_ghg_source;

/** Gases (CO2 is fossil CO2; biogenic CO2 is not counted, IPCC memo item). */
typedef enum { EIC_GAS_CO2 = 0, EIC_GAS_CH4, EIC_GAS_N2O, EIC_GAS__N } eic_gas;

/** Short machine name ("ghg", "energy_recovered", ...), display name and unit of a category;
 *  the unit of money categories is the cluster currency per year, given as "currency/yr". */
EIC_EXTERN const char *eic_impact_category_key(eic_impact_category category);
EIC_EXTERN const char *eic_impact_category_label(eic_impact_category category);
EIC_EXTERN const char *eic_impact_category_unit(eic_impact_category category);
EIC_EXTERN const char *eic_ghg_source_key(eic_ghg_source source);
EIC_EXTERN const char *eic_gas_key(eic_gas gas);

/** Summary of Monte Carlo draws of one quantity (all NaN when no draws were made). */
typedef struct {
	double mean;
	double p05; /**< 5th percentile */
	double p95; /**< 95th percentile */
} eic_interval;

/** One figure: BAU, scenario and their difference (scenario - BAU), with intervals. */
typedef struct {
	double bau;      /**< with every factor and amount at its central value */
	double scenario; /**< idem */
	double change;   /**< scenario - bau */
	eic_interval bau_draws;
	eic_interval scenario_draws;
	eic_interval change_draws;
	int assessed; /**< 0: not assessed (no factors of this kind at all; see the notes) */
} eic_impact_figure;

typedef struct {
	unsigned version;
	const char *gwp_set;      /**< NULL: the scenario's setting, else "AR5" */
	size_t horizon_years;     /**< landfill methane horizon; 0: the scenario's, else 30 */
	int timing;               /**< -1: the scenario's (else IPCC); or an eic_fod_timing */
	const char *climate_zone; /**< NULL: the scenario's setting (required for landfill) */
	size_t draws;             /**< Monte Carlo draws, 0 = none, at most 10^7 */
	uint64_t seed;            /**< PRNG seed (same seed, same draws: same intervals) */
	int activity_uncertainty; /**< 1 (default): flows with sd/rel_sd and change ranges drawn */
	/* version 2 */
	const char *per_flow;     /**< figures per unit of this flow (NULL: the scenario's) */
	const char *per_material; /**< figures per unit of this material sold to the product
	                               market (NULL: the scenario's) */
	const char *per_unit;     /**< unit of the reference quantity (NULL: the scenario's, "t") */
	int per_off;              /**< 1: absolute figures even if the scenario names a reference */
	unsigned actor_intervals; /**< categories (bit 1u << category) given intervals by party */
} eic_scenario_options;
#define EIC_SCENARIO_OPTIONS_VERSION 2
/** By-party intervals computed by default: greenhouse gases and landfill. */
#define EIC_SCENARIO_ACTOR_INTERVALS_DEFAULT ((1u << EIC_IMPACT_GHG) | (1u << EIC_IMPACT_LANDFILL))
#define EIC_SCENARIO_OPTIONS_INIT                                                                  \
	{                                                                                          \
		EIC_SCENARIO_OPTIONS_VERSION, NULL, 0, -1, NULL, 0, 1, 1, NULL, NULL, NULL, 0,     \
		    EIC_SCENARIO_ACTOR_INTERVALS_DEFAULT                                           \
	}
#define EIC_SCENARIO_MAX_DRAWS 10000000

/** The evaluation of one alternative against BAU. */
typedef struct eic_scenario_result eic_scenario_result;

/**
 * Evaluate alternative `alternative` of `scenario` against its BAU for `cluster` with the
 * factors `factors` (eic_factors_load_for_cluster). A flow whose fate needs a factor the set
 * lacks, a flow that cannot be converted to the unit a category needs, or a price that is
 * missing for a product of a change is an error naming the flow (or facility), the material
 * and the method; all are reported before EIC_EINVALID is returned. O(flows + changes) for
 * the central values; Monte Carlo adds O(draws x (ranged factors + terms)).
 * @param[out] out the result, freed with eic_scenario_result_free
 * @return 0, EIC_EINVAL (NULL arguments, bad option version, alternative out of range, too
 *         many draws), EIC_EINVALID, EIC_ENOMEM.
 */
EIC_EXTERN int eic_scenario_evaluate(eic_scenario_result **out, const eic_cluster *cluster,
                                     const eic_scenario *scenario, size_t alternative,
                                     const eic_factors *factors,
                                     const eic_scenario_options *options, eic_diags *diags);
EIC_EXTERN void eic_scenario_result_free(eic_scenario_result *result);

/** The headline figure of a category (borrowed). */
EIC_EXTERN const eic_impact_figure *eic_scenario_result_figure(const eic_scenario_result *result,
                                                               eic_impact_category category);
/** Greenhouse gases of one source and gas, t CO2e (borrowed). */
EIC_EXTERN const eic_impact_figure *eic_scenario_result_ghg(const eic_scenario_result *result,
                                                            eic_ghg_source source, eic_gas gas);
/** Settings used: GWP set, climate zone, horizon, currency, draws, seed. */
EIC_EXTERN const char *eic_scenario_result_gwp_set(const eic_scenario_result *result);
EIC_EXTERN const char *eic_scenario_result_climate_zone(const eic_scenario_result *result);
EIC_EXTERN size_t eic_scenario_result_horizon(const eic_scenario_result *result);
EIC_EXTERN const char *eic_scenario_result_currency(const eic_scenario_result *result);
EIC_EXTERN size_t eic_scenario_result_draws(const eic_scenario_result *result);
EIC_EXTERN uint64_t eic_scenario_result_seed(const eic_scenario_result *result);

/** The reference of per-unit figures (cleaner production "per tonne of product"): every
 *  figure, interval and by-party value of the result is divided by the reference quantity of
 *  its own case (BAU by `bau`, the scenario by `scenario`); money and jobs, which are per
 *  year, by the quantity per year. The reference quantity is held at its central value in
 *  the draws. Money over time (cumulative cost, NPV) stays absolute. */
typedef struct {
	const char *kind;     /**< "flow" or "material" */
	const char *id;       /**< the flow or material id */
	const char *material; /**< the material of the reference */
	const char *unit;     /**< unit of the reference quantity ("t") */
	double bau;           /**< reference quantity over the period evaluated, BAU */
	double scenario;      /**< idem, the scenario */
} eic_scenario_reference;
/** NULL when figures are absolute (no reference asked). */
EIC_EXTERN const eic_scenario_reference *
eic_scenario_result_reference(const eic_scenario_result *result);
/** Unit of a category's figures in this result: "t CO2e", "<currency>/yr", or with a
 *  reference "t CO2e per t of <material>", "<currency> per t of <material>", "FTE per t/yr of
 *  <material>" (borrowed). */
EIC_EXTERN const char *eic_scenario_result_unit(const eic_scenario_result *result,
                                                eic_impact_category category);

/** Fuel equivalents of the change in energy recovered (litres; NaN when the factor set has no
 *  NCV or density for the fuel): "motor_gasoline", "other_kerosene", "gas_diesel_oil". */
EIC_EXTERN double eic_scenario_result_fuel_litres(const eic_scenario_result *result,
                                                  const char *fuel);

/** A party of the by-actor table: an actor of the cluster or a facility opened. */
typedef struct {
	const char *id;
	const char *name;
	int is_facility;
	double bau[EIC_IMPACT__N];
	double scenario[EIC_IMPACT__N];
	/** Interval of the change (scenario - BAU) from the same draws, for the categories of
	 *  options.actor_intervals (all NaN otherwise, or without draws). The 5th and 95th
	 *  percentiles are streaming P-square estimates (docs/methods/scenarios.md). */
	eic_interval change_draws[EIC_IMPACT__N];
} eic_scenario_party;
/** Parties with at least one non-zero figure, in cluster order (actors, then facilities).
 *  For every category the sum over parties equals the cluster figure. */
EIC_EXTERN size_t eic_scenario_result_party_count(const eic_scenario_result *result);
EIC_EXTERN const eic_scenario_party *eic_scenario_result_party(const eic_scenario_result *result,
                                                               size_t index);

/** A flow whose amount differs between BAU and the scenario (recorded or added). */
typedef struct {
	const char *flow; /**< flow id */
	const char *material;
	const char *unit;
	double bau;
	double scenario;
} eic_scenario_flow_change;
EIC_EXTERN size_t eic_scenario_result_flow_change_count(const eic_scenario_result *result);
EIC_EXTERN const eic_scenario_flow_change *
eic_scenario_result_flow_change(const eic_scenario_result *result, size_t index);

/** Attribution notes: which flows and factors produced each category's figure. */
typedef struct {
	eic_impact_category category;
	const char *text;
} eic_scenario_note;
EIC_EXTERN size_t eic_scenario_result_note_count(const eic_scenario_result *result);
EIC_EXTERN const eic_scenario_note *eic_scenario_result_note(const eic_scenario_result *result,
                                                             size_t index);

/** Factors used (borrowed from the factor set given to eic_scenario_evaluate), in first-use
 *  order, each once. */
EIC_EXTERN size_t eic_scenario_result_factor_count(const eic_scenario_result *result);
EIC_EXTERN const eic_factor *eic_scenario_result_factor(const eic_scenario_result *result,
                                                        size_t index);

/** Money over time: the appraisal period (years) and discount rate of the scenario, the net
 *  cost (costs - revenue, capital spent in year 0) cumulated by year for BAU and the
 *  alternative (years + 1 values each), and its net present value. */
EIC_EXTERN size_t eic_scenario_result_years(const eic_scenario_result *result);
EIC_EXTERN double eic_scenario_result_discount_rate(const eic_scenario_result *result);
EIC_EXTERN const double *eic_scenario_result_cumulative_cost(const eic_scenario_result *result,
                                                             int alternative);
EIC_EXTERN double eic_scenario_result_npv_cost(const eic_scenario_result *result, int alternative);

/* ==== The random numbers of the Monte Carlo (documented, for tests and users) ============= */

/** xoshiro256** state (Blackman and Vigna 2018), seeded by splitmix64. */
typedef struct {
	uint64_t s[4];
} eic_rng;
EIC_EXTERN void eic_rng_seed(eic_rng *rng, uint64_t seed);
EIC_EXTERN uint64_t eic_rng_next(eic_rng *rng);
/** Uniform on [0, 1) with 53 random bits. */
EIC_EXTERN double eic_rng_uniform(eic_rng *rng);
/** Triangular on [low, high] with mode `mode` (inverse of the CDF). */
EIC_EXTERN double eic_rng_triangular(eic_rng *rng, double low, double mode, double high);
/** Standard normal (Marsaglia polar method). */
EIC_EXTERN double eic_rng_normal(eic_rng *rng);

#ifdef __cplusplus
}
#endif
#endif
