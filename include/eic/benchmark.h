/* eic/benchmark.h: benchmarking: quantiles and percentile ranks (Hazen's definition), ranks of
 * actors within a cluster or of clusters within a set, peer groups by sector (ISIC division)
 * and size (EU SME employee classes), and the anonymised view a firm gets of its own position.
 * Method: docs/methods/indicators.md, "Benchmarking".
 * Ownership: eic_benchmark_compute hands an object freed by eic_benchmark_free (NULL is a
 * no-op); rows, groups and strings are borrowed from it (ids, names and groups are copied). */
#ifndef EIC_BENCHMARK_H
#define EIC_BENCHMARK_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The p-quantile (0 <= p <= 1) of `count` values by Hazen's definition (Hyndman & Fan 1996,
 * type 5): sort x_1 <= ... <= x_n, h = n p + 1/2; Q = x_1 when h <= 1, x_n when h >= n, else
 * x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)). Non-finite values are refused.
 * @return 0, EIC_EINVAL (count 0, p outside [0, 1], a NaN or infinite value), EIC_ENOMEM
 */
EIC_EXTERN int eic_bench_quantile(double *out, const double *values, size_t count, double p);

/** Distribution of a group: its size and five-number summary (quartiles by Hazen). */
typedef struct {
	size_t n;
	double min, q1, median, q3, max;
	double mean;
} eic_bench_distribution;

/** Five-number summary and mean of `count` finite values. @return 0, EIC_EINVAL, EIC_ENOMEM */
EIC_EXTERN int eic_bench_distribution_compute(eic_bench_distribution *out, const double *values,
                                              size_t count);

/**
 * Hazen percentile rank of `value` among `count` values, in percent: 100 (L + E/2) / n, with L
 * the number of values below it and E the number equal to it (values within 1e-12 relative
 * count as equal). For the i-th of n distinct sorted values this is 100 (i - 1/2) / n, the
 * Hazen plotting position. NaN when count is 0 or a value is not finite.
 */
EIC_EXTERN double eic_bench_percentile_rank(const double *values, size_t count, double value);

/** EU SME size class by employees (Commission Recommendation 2003/361/EC, headcount only):
 *  "micro" (< 10), "small" (10-49), "medium" (50-249), "large" (>= 250), "unknown" (< 0). */
EIC_EXTERN const char *eic_bench_size_class(long employees);

/**
 * ISIC Rev.4 division (two digits, e.g. "16") of an actor's sector code: the first two digits of
 * an ISIC code ("1610"), or of the numeric part of a NACE Rev.2 code ("C16.10"; NACE divisions
 * are ISIC divisions). `out` receives 3 bytes.
 * @return 0, or EIC_ENOTFOUND when the code has no division (empty or malformed)
 */
EIC_EXTERN int eic_bench_sector_division(char out[3], eic_sector_scheme scheme, const char *sector);

/** One member to benchmark: an actor of a cluster, or a cluster of a set. */
typedef struct {
	const char *id;
	const char *name;
	const char *group; /**< peer group key (e.g. "16", "small"); NULL or "" = one group "all" */
	double value;      /**< the indicator; NaN: not computable (not ranked, counted apart) */
} eic_bench_entry;

typedef struct {
	unsigned version;
	int higher_is_better;  /**< 1: rank 1 is the highest value; 0 (default): the lowest */
	size_t min_group_size; /**< groups with fewer ranked members are not shown (default 3) */
} eic_bench_options;
#define EIC_BENCH_OPTIONS_VERSION 1
#define EIC_BENCH_OPTIONS_INIT                                                                     \
	{                                                                                          \
		EIC_BENCH_OPTIONS_VERSION, 0, 3                                                    \
	}

/** A member's position in its peer group. */
typedef struct {
	const char *id;
	const char *name;
	const char *group;
	double value;
	int ranked;        /**< 0 when the value is missing */
	size_t rank;       /**< 1 = best in its group; ties share the better rank */
	size_t group_size; /**< members of the group with a value */
	double percentile; /**< Hazen percentile rank of the value in its group (ascending) */
} eic_bench_row;

/** A peer group: its key, distribution and whether it is large enough to be shown. */
typedef struct {
	const char *group;
	eic_bench_distribution dist; /**< over the members with a value */
	size_t missing;              /**< members without a value */
	int shown;                   /**< dist.n >= min_group_size */
} eic_bench_group;

typedef struct eic_benchmark eic_benchmark;

/**
 * Rank members within their peer groups. O(n log n) per group.
 * @return 0, EIC_EINVAL (NULL entries with count > 0, a NULL id, an infinite value),
 *         EIC_ENOMEM
 */
EIC_EXTERN int eic_benchmark_compute(eic_benchmark **out, const eic_bench_entry *entries,
                                     size_t count, const eic_bench_options *opts);
EIC_EXTERN void eic_benchmark_free(eic_benchmark *bench);
/** Rows in the order of the entries. */
EIC_EXTERN size_t eic_benchmark_row_count(const eic_benchmark *bench);
EIC_EXTERN const eic_bench_row *eic_benchmark_row_at(const eic_benchmark *bench, size_t i);
/** Groups in order of first appearance. */
EIC_EXTERN size_t eic_benchmark_group_count(const eic_benchmark *bench);
EIC_EXTERN const eic_bench_group *eic_benchmark_group_at(const eic_benchmark *bench, size_t i);

/** What one member may see: its own value and position, and its group's distribution, with
 *  no other member's id, name or value. */
typedef struct {
	const char *group;
	double value;      /**< own value, NaN when missing */
	int shown;         /**< 0: the group is below min_group_size; only `value` is given then */
	size_t n;          /**< ranked members of the group (0 when not shown) */
	size_t rank;       /**< 0 when not shown or not ranked */
	double percentile; /**< NaN when not shown or not ranked */
	eic_bench_distribution dist; /**< zeros and NaN when not shown */
} eic_bench_view;

/** The anonymised view of member `id`. @return 0, EIC_ENOTFOUND, EIC_EINVAL */
EIC_EXTERN int eic_benchmark_view(eic_bench_view *out, const eic_benchmark *bench, const char *id);

#ifdef __cplusplus
}
#endif
#endif
