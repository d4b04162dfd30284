/* test_benchmark.c: unit tests of benchmarking (src/lib/monitor/benchmark.c): Hazen quantiles and
 * percentile ranks on hand-worked values, ties, peer groups by sector and size, the
 * confidentiality threshold and the anonymised view. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/benchmark.h>

#include "testutil.h"

/* Expected values are short decimals worked by hand; 1e-12 absolute + 1e-12 relative. */
#define ABS_TOL 1e-12
#define REL_TOL 1e-12

static void near(double expected, double actual, const char *what)
{
	if (!(fabs(expected - actual) <= ABS_TOL + REL_TOL * fabs(expected)))
		fail_msg("%s: expected %.15g, got %.15g", what, expected, actual);
}

static double q(const double *x, size_t n, double p)
{
	double v = NAN;
	assert_int_equal(eic_bench_quantile(&v, x, n, p), 0);
	return v;
}

static void test_benchmark__hazen_quantiles(void **state)
{
	(void)state;
	/* n = 5, unsorted on purpose. Hazen: h = n p + 1/2.
	 * p = 0.25: h = 1.75 -> x1 + 0.75 (x2 - x1) = 1.75; p = 0.5: h = 3 -> 3;
	 * p = 0.75: h = 4.25 -> 4 + 0.25 = 4.25; p = 0.1: h = 1 -> x1 = 1 */
	const double five[] = {4, 1, 5, 3, 2};
	near(1.75, q(five, 5, 0.25), "q1 of 1..5");
	near(3.0, q(five, 5, 0.5), "median of 1..5");
	near(4.25, q(five, 5, 0.75), "q3 of 1..5");
	near(1.0, q(five, 5, 0.1), "p 0.1 clamps to the minimum");
	near(1.0, q(five, 5, 0.0), "p 0");
	near(5.0, q(five, 5, 1.0), "p 1");
	/* n = 4: q1 h = 1.5 -> 15; median h = 2.5 -> 25; q3 h = 3.5 -> 35 */
	const double four[] = {10, 20, 30, 40};
	near(15.0, q(four, 4, 0.25), "q1 of 10..40");
	near(25.0, q(four, 4, 0.5), "median of 10..40");
	near(35.0, q(four, 4, 0.75), "q3 of 10..40");
	const double one[] = {7};
	near(7.0, q(one, 1, 0.3), "one value");

	eic_bench_distribution d;
	assert_int_equal(eic_bench_distribution_compute(&d, four, 4), 0);
	assert_int_equal(d.n, 4);
	near(10.0, d.min, "min");
	near(40.0, d.max, "max");
	near(25.0, d.mean, "mean");

	double v;
	const double bad[] = {1, NAN};
	assert_int_equal(eic_bench_quantile(&v, bad, 2, 0.5), EIC_EINVAL);
	assert_int_equal(eic_bench_quantile(&v, four, 0, 0.5), EIC_EINVAL);
	assert_int_equal(eic_bench_quantile(&v, four, 4, 1.5), EIC_EINVAL);
}

static void test_benchmark__percentile_ranks(void **state)
{
	(void)state;
	/* 100 (L + E/2) / n: the i-th of n distinct values is at 100 (i - 1/2) / n */
	const double five[] = {1, 2, 3, 4, 5};
	near(10.0, eic_bench_percentile_rank(five, 5, 1), "lowest of five");
	near(50.0, eic_bench_percentile_rank(five, 5, 3), "middle of five");
	near(90.0, eic_bench_percentile_rank(five, 5, 5), "highest of five");
	/* ties: {1, 2, 2, 3}: value 2 has L = 1, E = 2 -> 100 x 2 / 4 = 50 */
	const double ties[] = {1, 2, 2, 3};
	near(50.0, eic_bench_percentile_rank(ties, 4, 2), "tied value");
	assert_true(isnan(eic_bench_percentile_rank(ties, 0, 2)));
}

static void test_benchmark__peer_groups(void **state)
{
	(void)state;
	assert_string_equal(eic_bench_size_class(9), "micro");
	assert_string_equal(eic_bench_size_class(10), "small");
	assert_string_equal(eic_bench_size_class(49), "small");
	assert_string_equal(eic_bench_size_class(50), "medium");
	assert_string_equal(eic_bench_size_class(249), "medium");
	assert_string_equal(eic_bench_size_class(250), "large");
	assert_string_equal(eic_bench_size_class(-1), "unknown");
	char div[3];
	assert_int_equal(eic_bench_sector_division(div, EIC_SECTOR_ISIC4, "1610"), 0);
	assert_string_equal(div, "16");
	assert_int_equal(eic_bench_sector_division(div, EIC_SECTOR_NACE2, "C16.10"), 0);
	assert_string_equal(div, "16");
	assert_int_equal(eic_bench_sector_division(div, EIC_SECTOR_ISIC4, "C2420"), 0);
	assert_string_equal(div, "24");
	assert_int_equal(eic_bench_sector_division(div, EIC_SECTOR_ISIC4, ""), EIC_ENOTFOUND);
	assert_int_equal(eic_bench_sector_division(div, EIC_SECTOR_ISIC4, "X"), EIC_ENOTFOUND);
}

static void test_benchmark__ranks_and_view(void **state)
{
	(void)state;
	/* group g1: a 5, b 3, c 4, d missing; group g2: e 1, f 2 (below the threshold of 3).
	 * Lower is better: b rank 1, c 2, a 3. Percentiles in g1 {3, 4, 5}: b 16.67, c 50,
	 * a 83.33. Quartiles of {3, 4, 5}: h = 1.25 -> 3.25; h = 2.75 -> 4.75. */
	const eic_bench_entry e[] = {
	    {"a", "Alpha Oy", "g1", 5},   {"b", "Beta Oy", "g1", 3},    {"c", "Gamma Oy", "g1", 4},
	    {"d", "Delta Oy", "g1", NAN}, {"e", "Epsilon Oy", "g2", 1}, {"f", "Zeta Oy", "g2", 2},
	};
	eic_bench_options o = EIC_BENCH_OPTIONS_INIT;
	eic_benchmark *b = NULL;
	assert_int_equal(eic_benchmark_compute(&b, e, 6, &o), 0);
	assert_int_equal(eic_benchmark_row_count(b), 6);
	assert_int_equal(eic_benchmark_row_at(b, 1)->rank, 1);
	assert_int_equal(eic_benchmark_row_at(b, 2)->rank, 2);
	assert_int_equal(eic_benchmark_row_at(b, 0)->rank, 3);
	assert_false(eic_benchmark_row_at(b, 3)->ranked);
	near(100.0 / 6.0, eic_benchmark_row_at(b, 1)->percentile, "b percentile");
	assert_int_equal(eic_benchmark_group_count(b), 2);
	const eic_bench_group *g1 = eic_benchmark_group_at(b, 0);
	assert_string_equal(g1->group, "g1");
	assert_true(g1->shown);
	assert_int_equal(g1->missing, 1);
	assert_false(eic_benchmark_group_at(b, 1)->shown);

	/* a's view: its own value and position and the distribution, nothing about its peers */
	eic_bench_view v;
	assert_int_equal(eic_benchmark_view(&v, b, "a"), 0);
	assert_true(v.shown);
	near(5.0, v.value, "own value");
	assert_int_equal(v.n, 3);
	assert_int_equal(v.rank, 3);
	near(250.0 / 3.0, v.percentile, "own percentile");
	near(3.0, v.dist.min, "min");
	near(3.25, v.dist.q1, "q1");
	near(4.0, v.dist.median, "median");
	near(4.75, v.dist.q3, "q3");
	near(5.0, v.dist.max, "max");
	/* e's group has 2 members: only e's own value is shown */
	assert_int_equal(eic_benchmark_view(&v, b, "e"), 0);
	assert_false(v.shown);
	near(1.0, v.value, "own value in a small group");
	assert_int_equal(v.n, 0);
	assert_true(isnan(v.percentile));
	assert_true(isnan(v.dist.median));
	/* d has no value: the group is shown, d is not ranked */
	assert_int_equal(eic_benchmark_view(&v, b, "d"), 0);
	assert_true(v.shown);
	assert_int_equal(v.rank, 0);
	assert_int_equal(eic_benchmark_view(&v, b, "nobody"), EIC_ENOTFOUND);
	eic_benchmark_free(b);

	/* higher is better, ties share the better rank: {2, 2, 1} -> 1, 1, 3 */
	const eic_bench_entry t[] = {{"x", "", NULL, 2}, {"y", "", NULL, 2}, {"z", "", NULL, 1}};
	o.higher_is_better = 1;
	assert_int_equal(eic_benchmark_compute(&b, t, 3, &o), 0);
	assert_int_equal(eic_benchmark_row_at(b, 0)->rank, 1);
	assert_int_equal(eic_benchmark_row_at(b, 1)->rank, 1);
	assert_int_equal(eic_benchmark_row_at(b, 2)->rank, 3);
	assert_string_equal(eic_benchmark_row_at(b, 2)->group, "all");
	eic_benchmark_free(b);
	eic_benchmark_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_benchmark__hazen_quantiles),
	    cmocka_unit_test(test_benchmark__percentile_ranks),
	    cmocka_unit_test(test_benchmark__peer_groups),
	    cmocka_unit_test(test_benchmark__ranks_and_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
