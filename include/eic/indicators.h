/* eic/indicators.h: performance indicators of the actors of a cluster and of the cluster, per
 * period, from measurement records (eic/measure.h) and the cluster's flows: resource
 * productivity, energy/water/waste intensity, waste utilisation and recycling rates,
 * eco-efficiency, circularity, symbiosis rate, compliance rate, totals; with their trends
 * (change, compound annual rate, least-squares slope). Formulas and sources:
 * docs/methods/indicators.md.
 * Ownership: eic_indicators_compute hands an object freed by eic_indicators_free (NULL is a
 * no-op); values, trends and strings are borrowed from it.
 *
 * A missing input is never taken as zero: the value is NaN and `missing` says what was
 * missing ("not computable: missing value added").
 */
#ifndef EIC_INDICATORS_H
#define EIC_INDICATORS_H

#include "common.h"
#include "measure.h"
#include "model.h"
#include "rating.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An indicator of the catalogue. */
typedef struct {
	const char *id;      /**< "energy_intensity_va" */
	const char *name;    /**< "Energy intensity per value added" */
	const char *formula; /**< "energy use / value added" */
	int higher_is_better;
} eic_indicator_def;

/** The fixed indicators, in display order. Release totals ("release.<POLLUTANT>.<medium>",
 *  kg, lower is better) come on top of these, one per pollutant and medium reported. */
EIC_EXTERN size_t eic_indicator_def_count(void);
EIC_EXTERN const eic_indicator_def *eic_indicator_def_at(size_t i);
/** Definition by id (also "release.X.air" and trend suffixes ".change", ".change_rel",
 *  ".cagr", ".slope", which keep the base's direction). NULL when unknown. */
EIC_EXTERN const eic_indicator_def *eic_indicator_def_find(const char *id);

/** One indicator of one scope in one period. */
typedef struct {
	const char *indicator; /**< id */
	const char *scope;     /**< actor id, or the cluster id when cluster_scope */
	int cluster_scope;
	const char *period; /**< label: "2021", "2021-03" or "START/END" */
	const char *start, *end;
	double value;        /**< NaN when not computable */
	const char *unit;    /**< "EUR/t", "GJ/EUR", "1" (a share) ... */
	const char *missing; /**< "" when computed; else what was missing ("value added") */
	size_t coverage;     /**< cluster scope: actors that entered the value; actor: 1 or 0 */
} eic_indicator_value;

/** Trend statistics of a series (docs/methods/indicators.md, "Trends"). */
typedef struct {
	size_t n;           /**< periods with a value */
	double first, last; /**< values of the first and last of them */
	double years;       /**< time between their midpoints, years of 365.2425 days */
	double change;      /**< last - first */
	double change_rel;  /**< (last - first) / |first|; NaN when first is 0 */
	double cagr;        /**< (last / first)^(1 / years) - 1; NaN unless both > 0, years > 0 */
	double slope_per_year;  /**< least-squares slope over the n points; NaN when n < 3 */
	double previous;        /**< value of the period before the last one with a value */
	double change_prev_rel; /**< (last - previous) / |previous| */
} eic_trend_stats;

/**
 * Trend statistics of n points (t in years, any origin, strictly increasing; NaN values
 * are skipped). Never fails: statistics that cannot be computed are NaN.
 */
EIC_EXTERN void eic_trend_compute(eic_trend_stats *out, const double *t_years, const double *values,
                                  size_t n);

/** The trend of one indicator of one scope over the periods. */
typedef struct {
	const char *indicator;
	const char *scope;
	int cluster_scope;
	const char *unit;
	const char *first_period, *last_period; /**< of the periods with a value; "" if none */
	eic_trend_stats stats;
	const char *note; /**< why cagr or slope are NaN, "" when both are given */
} eic_indicator_trend;

typedef struct eic_indicators eic_indicators;

typedef struct {
	unsigned version;
	const char
	    *actor; /**< only this actor (and no cluster scope); NULL: all actors + cluster */
	const char *period; /**< a period label ("2021") or "START/END"; NULL: every period */
} eic_indicators_options;
#define EIC_INDICATORS_OPTIONS_VERSION 1
#define EIC_INDICATORS_OPTIONS_INIT                                                                \
	{                                                                                          \
		EIC_INDICATORS_OPTIONS_VERSION, NULL, NULL                                         \
	}

/**
 * Compute every indicator for every actor of the cluster that has records (and for the
 * cluster) in every period of the current records of the set. Periods of the cluster model
 * with the same start and end give the flows for circularity and symbiosis rate.
 * O(records log records + flows x periods).
 * @param set may be NULL (only flow-based indicators are then computable)
 * @return 0, EIC_ENOTFOUND (unknown actor or a period with no records), EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_indicators_compute(eic_indicators **out, const eic_cluster *cluster,
                                      const eic_measure_set *set,
                                      const eic_indicators_options *opts);
EIC_EXTERN void eic_indicators_free(eic_indicators *ind);

/** Periods, sorted by start (labels borrowed). */
EIC_EXTERN size_t eic_indicators_period_count(const eic_indicators *ind);
EIC_EXTERN const char *eic_indicators_period(const eic_indicators *ind, size_t i);
/** Scopes: actor ids with records, in cluster order (the cluster scope is not listed). */
EIC_EXTERN size_t eic_indicators_actor_count(const eic_indicators *ind);
EIC_EXTERN const char *eic_indicators_actor(const eic_indicators *ind, size_t i);

/** Values ordered by scope (actors, then the cluster), indicator, period. */
EIC_EXTERN size_t eic_indicators_value_count(const eic_indicators *ind);
EIC_EXTERN const eic_indicator_value *eic_indicators_value_at(const eic_indicators *ind, size_t i);
/** One value: scope NULL for the cluster. NULL when there is no such row. */
EIC_EXTERN const eic_indicator_value *eic_indicators_get(const eic_indicators *ind,
                                                         const char *scope, const char *indicator,
                                                         const char *period);

/** Trends, one per scope and indicator, in the order of the values. */
EIC_EXTERN size_t eic_indicators_trend_count(const eic_indicators *ind);
EIC_EXTERN const eic_indicator_trend *eic_indicators_trend_at(const eic_indicators *ind, size_t i);
EIC_EXTERN const eic_indicator_trend *
eic_indicators_find_trend(const eic_indicators *ind, const char *scope, const char *indicator);

/**
 * The value of an indicator by the name used in benchmarks and credit rules: a plain id gives
 * the value in `period` (NULL: the last period); "<id>.change", ".change_rel", ".cagr" and
 * ".slope" give the trend statistics. NaN when not computable (`why` receives the reason,
 * may be NULL).
 */
EIC_EXTERN double eic_indicators_lookup(const eic_indicators *ind, const char *scope,
                                        const char *name, const char *period, const char **why);

/**
 * Set the inputs of the shipped rating schemes that measurements decide (docs/methods/
 * indicators.md, "Rating from measurements"), from the current emission records of `actor`
 * in the period [start, end] that carry an applicable limit:
 * "compliance.air", "compliance.water", "compliance.land" (PROPER): true when every such
 * measurement to that medium is within its limit, false when any is above; not set when the
 * medium has none; "eip.env_compliance" (EIP framework) over all media, with an evidence text
 * "eip.env_compliance.evidence". Nothing else is derived: the other inputs must be given.
 * @param[out] out_set number of inputs set (may be NULL)
 * @return 0, EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_indicators_rating_inputs(eic_rating_inputs *inputs, size_t *out_set,
                                            const eic_measure_set *set, const char *actor,
                                            const char *start, const char *end);

#ifdef __cplusplus
}
#endif
#endif
