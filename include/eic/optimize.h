/* eic/optimize.h: optimisation of a cluster's exchange network: which exchanges between offers
 * and which shared facilities (at which capacity level) to pursue together, by a MILP solved
 * through eic's solver interface (eic/solver.h). Objectives: net economic benefit, greenhouse
 * gas, a weighted sum, and the Pareto frontier by the epsilon-constraint method. Formulation
 * and sources: docs/methods/optimization.md.
 * Ownership: eic_opt_run hands a result freed by eic_opt_free; flows, facilities, points and
 * every string in them are borrowed from it (ids point into the cluster, which must outlive
 * the result). */
#ifndef EIC_OPTIMIZE_H
#define EIC_OPTIMIZE_H

#include <math.h> /* NAN in EIC_OPT_OPTIONS_INIT */

#include "common.h"
#include "model.h"
#include "report.h"
#include "scenario.h"
#include "solver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	EIC_OPT_ECONOMIC = 0, /**< maximise the net economic benefit per year */
	EIC_OPT_GHG,          /**< minimise the net greenhouse gas emissions per year */
	EIC_OPT_WEIGHTED      /**< maximise w x normalised benefit - (1 - w) x normalised GHG */
} eic_opt_objective;

/** Per-unit factors the model needs for each material (in the material's model unit: t, m3 or
 *  GJ per year, see docs/methods/optimization.md). */
typedef enum {
	EIC_OPT_FACTOR_DISPOSAL_FEE = 0, /**< money avoided at the supplier per unit not disposed */
	EIC_OPT_FACTOR_VIRGIN_PRICE,     /**< money avoided at the receiver per unit not bought */
	EIC_OPT_FACTOR_DISPOSAL_GHG,     /**< kg CO2e avoided per unit not disposed */
	EIC_OPT_FACTOR_VIRGIN_GHG,       /**< kg CO2e avoided per unit of virgin supply replaced */
	EIC_OPT_FACTOR__N
} eic_opt_factor_kind;

/**
 * Hook supplying a factor for a material, for every offer of it. Return 0 with *out (and a
 * static or cluster-owned *out_source) to use it, or EIC_ENOTFOUND to fall back to the
 * material's properties, the options, the impact module (avoided disposal emissions) and the
 * defaults, in that order.
 */
typedef int (*eic_opt_factor_fn)(double *out, const char **out_source, void *ctx,
                                 const eic_cluster *cluster, const char *material,
                                 eic_opt_factor_kind kind);

/** Defaults (money in USD, converted with currency_per_usd; see the methods page). */
#define EIC_OPT_DEFAULT_COST_PER_TKM_USD 0.10
#define EIC_OPT_DEFAULT_DISPOSAL_FEE_USD_PER_T 10.0
#define EIC_OPT_DEFAULT_KG_CO2E_PER_TKM 0.192
#define EIC_OPT_DEFAULT_DISCOUNT_RATE 0.08
#define EIC_OPT_DEFAULT_LIFETIME_YR 15.0
#define EIC_OPT_DEFAULT_MAX_DISTANCE_KM 50.0

typedef struct {
	unsigned version;
	eic_opt_objective objective;
	double weight;          /**< economic weight in [0, 1] for EIC_OPT_WEIGHTED (0.5) */
	size_t pareto_points;   /**< 0: none; >= 2: points of the epsilon-constraint frontier */
	double time_limit_s;    /**< per solve, > 0 (default 10) */
	double rel_gap;         /**< relative gap at which a solve stops, [0, 1) (default 1e-4) */
	double max_distance_km; /**< longer arcs are not candidates (default 50) */
	double circuity;        /**< road over great-circle distance, >= 1 (default 1.3) */
	/* Economic and GHG factors; NaN means "use the default" and is reported as such. */
	double cost_per_tkm;           /**< transport, cluster currency per t-km */
	double disposal_fee_per_t;     /**< avoided disposal (landfill tipping fee), per t, for
	                                  haves without their own price */
	double virgin_price_per_t;     /**< avoided purchase when neither the want offer nor its
	                                  material has a price (offer price > material > this) */
	double kg_co2e_per_tkm;        /**< transport emissions */
	double disposal_kg_co2e_per_t; /**< avoided disposal emissions, all offers (default: from
	                                  the impact module, see ghg_from_impact; else 0) */
	double virgin_kg_co2e_per_t;   /**< avoided virgin production emissions (default 0: the
	                                  factor library has no production factors) */
	double discount_rate;          /**< for the capital recovery factor (default 0.08) */
	double currency_per_usd;       /**< units of the cluster currency per USD; NaN: 1 for USD,
	                                  else the USD defaults cannot be used */
	int require_demand;    /**< 1: every want's minimum (its quantity without one) must be met;
	                          0: a want's minimum is a lot size (nothing or at least the minimum)
	                        */
	const char *permitted; /**< comma-separated actor or facility ids permitted to receive
	                          hazardous materials (treatment-facility actors always are) */
	eic_opt_factor_fn factor; /**< hook for per-material factors, or NULL */
	void *factor_ctx;
	int threads; /**< solver threads (default 1) */
	int seed;    /**< solver seed (default 1) */
	/* Version 2: avoided disposal emissions from the impact module (docs/methods/
	 * optimization.md, "Avoided disposal emissions"). A version-1 struct gets the defaults. */
	int ghg_from_impact;     /**< 1 (default): a have offer whose actor sends its material to
	                            landfill, open dumping or open burning in business as usual avoids
	                            those emissions per t (IPCC 2006 calculators of eic/impact.h);
	                            0: the factor hook, the option or 0 only */
	int ghg_strict;          /**< 1: a material disposed of in business as usual whose emissions
	                            cannot be computed is an error (EIC_EINVALID); 0 (default): it counts
	                            0 and is named in the defaults */
	const char *package_dir; /**< package folder for its factors.csv and scenario.json
	                            (NULL: shipped factors, the shipped example's scenario) */
	const eic_factors *factors;   /**< factor set to use (NULL: eic_factors_load_for_cluster) */
	const eic_scenario *scenario; /**< settings and material mapping (NULL:
	                                 eic_scenario_load_default) */
	const char *climate_zone;     /**< NULL: the scenario's */
	const char *gwp_set;          /**< NULL: the scenario's (AR5 when it sets none) */
	size_t horizon_years;         /**< landfill methane horizon; 0: the scenario's (30) */
	/* Version 3. A version-1 or -2 struct gets the default (NULL). */
	const char *distance_matrix; /**< CSV from_actor,to_actor,km (the file of `eic match
	                                --distances`; facilities by their id) replacing great circle
	                                x circuity for every arc, or NULL; a pair the model needs
	                                that it lacks is an error */
} eic_opt_options;
#define EIC_OPT_OPTIONS_VERSION 3
#define EIC_OPT_OPTIONS_INIT                                                                       \
	{                                                                                          \
		EIC_OPT_OPTIONS_VERSION, EIC_OPT_ECONOMIC, 0.5, 0, 10.0, 1e-4, NAN, 1.3, NAN, NAN, \
		    NAN, NAN, NAN, NAN, NAN, NAN, 0, NULL, NULL, NULL, 1, 1, 1, 0, NULL, NULL,     \
		    NULL, NULL, NULL, 0, NULL                                                      \
	}

/** End of a chosen flow. */
typedef enum {
	EIC_OPT_END_OFFER = 0, /**< a have (from) or a want (to) */
	EIC_OPT_END_FACILITY,  /**< a shared facility */
	EIC_OPT_END_MARKET     /**< output sold outside the cluster */
} eic_opt_end_kind;

/** A flow of the optimal network. */
typedef struct {
	eic_opt_end_kind from_kind, to_kind;
	const char *from_id, *to_id;       /**< offer or facility id; "market" */
	const char *from_actor, *to_actor; /**< actor id (offers), facility id, "market" */
	const char *from_label, *to_label; /**< actor or facility name, "market" */
	const char *material;
	const char *material_label;
	double quantity;       /**< per year, in `unit` */
	const char *unit;      /**< "t/yr", "m3/yr" or "GJ/yr" */
	double mass_t;         /**< t/yr, NaN when the material has no mass (or no density) */
	double distance_km;    /**< 0 for sales to the market */
	double transport_cost; /**< per year, cluster currency */
	double value;          /**< net economic value per year of this flow */
	double ghg_t_co2e;     /**< net emissions per year (negative: a saving) */
} eic_opt_flow;

/** A candidate facility and what the optimum does with it. */
typedef struct {
	const char *facility;
	const char *name;
	const char *level; /**< chosen level id, NULL when closed */
	double capacity;   /**< of the chosen level, 0 when closed */
	const char *capacity_unit;
	double throughput;  /**< per year, in capacity_unit */
	double annual_cost; /**< capex x CRF + opex, per year (0 when closed) */
	double revenue;     /**< outputs sold to the market, per year */
	double net_benefit; /**< value of its flows in and out + revenue - annual cost */
} eic_opt_facility;

/** One point of the Pareto frontier. */
typedef struct {
	double epsilon_t_co2e; /**< GHG limit of the point */
	eic_milp_status status;
	double economic;   /**< net benefit per year */
	double ghg_t_co2e; /**< net emissions per year */
	double gap, time_s;
	const char *open_facilities; /**< "facility:level, ..." or "" */
} eic_opt_point;

/** Size of the model solved. */
typedef struct {
	size_t candidate_arcs; /**< flow variables on arcs between offers and facilities */
	size_t variables, integers, rows, nonzeros;
	size_t solves;
} eic_opt_stats;

typedef struct eic_opt_result eic_opt_result;

/**
 * Build and solve the exchange-network model of a cluster (docs/methods/optimization.md). An
 * infeasible, unbounded or time-limited model is a result (eic_opt_status), with the
 * constraints that make it infeasible named in eic_opt_reason.
 * @param[out] out the result, free with eic_opt_free
 * @param diags receives the reason of a refusal; may be NULL
 * @return 0, EIC_EINVAL (impossible option, USD defaults without an exchange rate, unknown
 *         climate zone or GWP set, a distance matrix missing a pair the model needs),
 *         EIC_EPARSE (malformed distance matrix, file:line:column in diags), EIC_ENOTFOUND or
 *         EIC_EIO (distance matrix cannot be opened or read), EIC_EINVALID (with ghg_strict: a
 * material disposed of in business as usual whose avoided emissions cannot be computed),
 * EIC_ENOMEM, EIC_ERROR (the solver failed)
 */
EIC_EXTERN int eic_opt_run(eic_opt_result **out, const eic_cluster *cluster,
                           const eic_opt_options *opts, eic_diags *diags);
EIC_EXTERN void eic_opt_free(eic_opt_result *result);

/** Outcome of the main solve, and in words ("optimal", "feasible with a gap of 2.1% at the
 *  time limit", "infeasible", ...). */
EIC_EXTERN eic_milp_status eic_opt_status(const eic_opt_result *r);
EIC_EXTERN const char *eic_opt_status_text(const eic_opt_result *r);
EIC_EXTERN eic_opt_objective eic_opt_objective_of(const eic_opt_result *r);
/** Net economic benefit per year (cluster currency) and net GHG (t CO2e/yr) of the solution;
 *  NaN when there is none. */
EIC_EXTERN double eic_opt_economic(const eic_opt_result *r);
EIC_EXTERN double eic_opt_ghg(const eic_opt_result *r);
EIC_EXTERN double eic_opt_gap(const eic_opt_result *r);
/** Seconds in the solver over all solves of the run. */
EIC_EXTERN double eic_opt_time(const eic_opt_result *r);
EIC_EXTERN const char *eic_opt_currency(const eic_opt_result *r);
EIC_EXTERN eic_opt_stats eic_opt_stats_of(const eic_opt_result *r);

EIC_EXTERN size_t eic_opt_flow_count(const eic_opt_result *r);
EIC_EXTERN const eic_opt_flow *eic_opt_flow_at(const eic_opt_result *r, size_t i);
EIC_EXTERN size_t eic_opt_facility_count(const eic_opt_result *r);
EIC_EXTERN const eic_opt_facility *eic_opt_facility_at(const eic_opt_result *r, size_t i);
EIC_EXTERN size_t eic_opt_point_count(const eic_opt_result *r);
EIC_EXTERN const eic_opt_point *eic_opt_point_at(const eic_opt_result *r, size_t i);
/** Why the model is infeasible, one sentence per violated constraint group. */
EIC_EXTERN size_t eic_opt_reason_count(const eic_opt_result *r);
EIC_EXTERN const char *eic_opt_reason(const eic_opt_result *r, size_t i);
/** Defaults used for numbers the data lack ("disposal fee: 10 USD/t (default) for ..."). */
EIC_EXTERN size_t eic_opt_default_count(const eic_opt_result *r);
EIC_EXTERN const char *eic_opt_default(const eic_opt_result *r, size_t i);
/** Other notes (offers left out and why). */
EIC_EXTERN size_t eic_opt_note_count(const eic_opt_result *r);
EIC_EXTERN const char *eic_opt_note(const eic_opt_result *r, size_t i);

/** "economic", "ghg", "weighted"; parse returns 0 or EIC_EINVAL. */
EIC_EXTERN const char *eic_opt_objective_name(eic_opt_objective objective);
EIC_EXTERN int eic_opt_objective_parse(eic_opt_objective *out, const char *text);

/** Report section callback (eic_report_section.render): the optimised network as a Sankey
 *  diagram, the chosen exchanges and facilities, and the solver status. ctx is unused. */
EIC_EXTERN int eic_opt_report_render(eic_html *out, const eic_cluster *cluster, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
