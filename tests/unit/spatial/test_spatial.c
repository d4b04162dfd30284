/* test_spatial.c: unit tests of the spatial index (src/lib/symbiosis/spatial.c): every query
 * against a brute-force O(n^2) haversine loop, near the poles, across the antimeridian. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/common.h>
#include <eic/spatial.h>

#include "testutil.h"
#include "util/util.h"

/* Distances are compared with the module's own function; 1e-9 km (1 um) absolute and 1e-12
 * relative tolerance for the checks against independent values. */
#define ABS_TOL_KM 1e-9
#define REL_TOL 1e-12

typedef struct {
	size_t i, j;
	double d;
} pair;

typedef struct {
	pair *items;
	size_t len, cap;
	long stop_after; /* return 7 from the sink after this many, when >= 0 */
} pair_list;

static int keep_pair(void *ctx, size_t i, size_t j, double d)
{
	pair_list *l = ctx;
	if (l->len == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->items = realloc(l->items, l->cap * sizeof *l->items);
		assert_non_null(l->items);
	}
	l->items[l->len++] = (pair){i, j, d};
	if (l->stop_after >= 0 && (long)l->len >= l->stop_after)
		return 7;
	return 0;
}

static int keep_point(void *ctx, size_t i, double d)
{
	return keep_pair(ctx, i, 0, d);
}

static int every_third(void *ctx, size_t i, size_t j)
{
	(void)ctx;
	return (i + j) % 3 == 0;
}

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

static uint64_t rng_state;
static double uniform(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Points in hard places: a cluster within 0.2 degrees of each pole, a band across the
 * antimeridian, a dense European cluster, uniform points on the sphere, exact duplicates. */
static size_t make_points(double *lat, double *lon, size_t n)
{
	size_t k = 0;
	rng_state = 12345;
	while (k < n) {
		double u = uniform();
		if (u < 0.15) {
			lat[k] = 89.8 + 0.2 * uniform();
			lon[k] = -180.0 + 360.0 * uniform();
		} else if (u < 0.25) {
			lat[k] = -89.8 - 0.2 * uniform();
			lon[k] = -180.0 + 360.0 * uniform();
		} else if (u < 0.45) {
			lat[k] = -10.0 + 20.0 * uniform();
			lon[k] = uniform() < 0.5 ? 179.0 + uniform() : -180.0 + uniform();
			if (uniform() < 0.1)
				lon[k] = uniform() < 0.5 ? 180.0 : -180.0;
		} else if (u < 0.7) {
			lat[k] = 48.0 + 2.0 * uniform();
			lon[k] = 2.0 + 3.0 * uniform();
		} else if (u < 0.9 || k == 0) {
			lat[k] = asin(2.0 * uniform() - 1.0) * 180.0 / 3.14159265358979323846;
			lon[k] = -180.0 + 360.0 * uniform();
		} else {
			size_t src = (size_t)(uniform() * (double)k);
			lat[k] = lat[src];
			lon[k] = lon[src];
		}
		k++;
	}
	lat[0] = 90.0;
	lon[0] = 0.0;
	lat[1] = 90.0;
	lon[1] = 123.0; /* the same pole, another longitude */
	lat[2] = -90.0;
	lon[2] = -45.0;
	return k;
}

static pair_list brute_pairs(const double *lat, const double *lon, size_t n, double r,
                             eic_spatial_filter_fn filter)
{
	pair_list l = {NULL, 0, 0, -1};
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double d = eic_spatial_distance_km(lat[i], lon[i], lat[j], lon[j]);
			if (d <= r && (!filter || filter(NULL, i, j)))
				keep_pair(&l, i, j, d);
		}
	return l;
}

static void assert_same_pairs(pair_list *got, pair_list *want)
{
	assert_int_equal(got->len, want->len);
	if (got->len == 0)
		return;
	qsort(got->items, got->len, sizeof(pair), cmp_pair);
	qsort(want->items, want->len, sizeof(pair), cmp_pair);
	for (size_t k = 0; k < got->len; k++) {
		assert_int_equal(got->items[k].i, want->items[k].i);
		assert_int_equal(got->items[k].j, want->items[k].j);
		assert_true(got->items[k].d ==
		            want->items[k].d); /* the same formula, bit for bit */
	}
}

static void check_pairs(size_t n, double cell_radius_km, const double *radii, size_t radius_count,
                        eic_spatial_filter_fn filter)
{
	double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
	assert_non_null(lat);
	assert_non_null(lon);
	make_points(lat, lon, n);
	eic_spatial_options opt = EIC_SPATIAL_OPTIONS_INIT;
	opt.cell_radius_km = cell_radius_km;
	eic_spatial *index = NULL;
	assert_int_equal(eic_spatial_new(&index, lat, lon, n, &opt), 0);
	assert_int_equal(eic_spatial_count(index), n);
	for (size_t k = 0; k < radius_count; k++) {
		pair_list got = {NULL, 0, 0, -1};
		assert_int_equal(eic_spatial_pairs(index, radii[k], filter, keep_pair, &got), 0);
		pair_list want = brute_pairs(lat, lon, n, radii[k], filter);
		assert_same_pairs(&got, &want);
		free(got.items);
		free(want.items);
	}
	eic_spatial_free(index);
	free(lat);
	free(lon);
}

static void test_spatial__pairs_match_brute_force(void **state)
{
	(void)state;
	static const double radii[] = {0.0, 0.01, 1.0, 10.0, 50.0, 120.0, 700.0};
	check_pairs(1500, 50.0, radii, sizeof radii / sizeof radii[0], NULL);
}

static void test_spatial__pairs_other_cell_sizes(void **state)
{
	(void)state;
	/* Tiny cells (clamped to the minimum side), and queries far larger than the cells,
	 * up to the whole sphere (half the circumference and beyond). */
	static const double radii[] = {0.0, 0.5, 50.0, 3000.0, 20015.1, 40000.0};
	check_pairs(400, 0.001, radii, 3, NULL);
	check_pairs(400, 5.0, radii, sizeof radii / sizeof radii[0], NULL);
	check_pairs(400, 30000.0, radii, sizeof radii / sizeof radii[0], NULL);
}

static void test_spatial__pairs_with_filter(void **state)
{
	(void)state;
	static const double radii[] = {50.0, 400.0};
	check_pairs(1200, 50.0, radii, 2, every_third);
}

static const long *group_of; /* for same_group */

static int same_group(void *ctx, size_t i, size_t j)
{
	(void)ctx;
	return group_of[i] == group_of[j];
}

/* Group labels: pairs only within a group, as the brute force with an equality filter; the
 * point query still sees every group. */
static void test_spatial__groups(void **state)
{
	(void)state;
	size_t n = 1500;
	double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
	long *group = malloc(n * sizeof *group);
	assert_non_null(lat);
	assert_non_null(lon);
	assert_non_null(group);
	make_points(lat, lon, n);
	for (size_t i = 0; i < n; i++)
		group[i] = (long)(i * 7 % 5) - 2;
	group_of = group;
	eic_spatial_options opt = EIC_SPATIAL_OPTIONS_INIT;
	opt.group = group;
	eic_spatial *index = NULL;
	assert_int_equal(eic_spatial_new(&index, lat, lon, n, &opt), 0);
	static const double radii[] = {0.0, 50.0, 400.0, 30000.0};
	for (size_t k = 0; k < sizeof radii / sizeof radii[0]; k++) {
		pair_list got = {NULL, 0, 0, -1}, all = {NULL, 0, 0, -1};
		assert_int_equal(eic_spatial_pairs(index, radii[k], NULL, keep_pair, &got), 0);
		pair_list want = brute_pairs(lat, lon, n, radii[k], same_group);
		assert_same_pairs(&got, &want);
		got.len = 0;
		assert_int_equal(eic_spatial_pairs(index, radii[k], every_third, keep_pair, &got),
		                 0);
		want.len = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				double d = eic_spatial_distance_km(lat[i], lon[i], lat[j], lon[j]);
				if (d <= radii[k] && group[i] == group[j] &&
				    every_third(NULL, i, j))
					keep_pair(&want, i, j, d);
			}
		assert_same_pairs(&got, &want);
		assert_int_equal(eic_spatial_within(index, 49.0, 3.5, radii[k], keep_point, &all),
		                 0);
		size_t expect = 0;
		for (size_t i = 0; i < n; i++)
			expect += eic_spatial_distance_km(49.0, 3.5, lat[i], lon[i]) <= radii[k];
		assert_int_equal(all.len, expect);
		free(got.items);
		free(want.items);
		free(all.items);
	}
	eic_spatial_free(index);
	free(lat);
	free(lon);
	free(group);
}

static void test_spatial__within_matches_brute_force(void **state)
{
	(void)state;
	size_t n = 1500;
	double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
	assert_non_null(lat);
	assert_non_null(lon);
	make_points(lat, lon, n);
	eic_spatial *index = NULL;
	assert_int_equal(eic_spatial_new(&index, lat, lon, n, NULL), 0);
	static const double queries[][2] = {{90.0, 0.0},   {-89.95, 170.0}, {0.0, 180.0},
	                                    {5.0, -179.9}, {49.0, 3.5},     {-33.0, 151.0}};
	static const double radii[] = {0.0, 25.0, 50.0, 300.0, 25000.0};
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
		for (size_t k = 0; k < sizeof radii / sizeof radii[0]; k++) {
			pair_list got = {NULL, 0, 0, -1}, want = {NULL, 0, 0, -1};
			assert_int_equal(eic_spatial_within(index, queries[q][0], queries[q][1],
			                                    radii[k], keep_point, &got),
			                 0);
			for (size_t i = 0; i < n; i++) {
				double d = eic_spatial_distance_km(queries[q][0], queries[q][1],
				                                   lat[i], lon[i]);
				if (d <= radii[k])
					keep_pair(&want, i, 0, d);
			}
			assert_same_pairs(&got, &want);
			free(got.items);
			free(want.items);
		}
	eic_spatial_free(index);
	free(lat);
	free(lon);
}

/* A pair exactly at the radius is in (<=); the next double below the distance excludes it. */
static void test_spatial__radius_boundary(void **state)
{
	(void)state;
	double lat[] = {45.0, 45.3, 45.3, 10.0};
	double lon[] = {7.0, 7.4, 7.4, 179.99};
	eic_spatial *index = NULL;
	assert_int_equal(eic_spatial_new(&index, lat, lon, 4, NULL), 0);
	double d = eic_spatial_distance_km(lat[0], lon[0], lat[1], lon[1]);
	pair_list got = {NULL, 0, 0, -1};
	assert_int_equal(eic_spatial_pairs(index, d, NULL, keep_pair, &got), 0);
	assert_int_equal(got.len, 3); /* 0-1, 0-2 at d, and the duplicates 1-2 at 0 */
	got.len = 0;
	assert_int_equal(eic_spatial_pairs(index, nextafter(d, 0.0), NULL, keep_pair, &got), 0);
	assert_int_equal(got.len, 1);
	assert_int_equal(got.items[0].i, 1);
	assert_int_equal(got.items[0].j, 2);
	assert_true(got.items[0].d == 0.0);
	got.len = 0;
	assert_int_equal(eic_spatial_within(index, lat[0], lon[0], d, keep_point, &got), 0);
	assert_int_equal(got.len, 3);
	got.len = 0;
	assert_int_equal(
	    eic_spatial_within(index, lat[0], lon[0], nextafter(d, 0.0), keep_point, &got), 0);
	assert_int_equal(got.len, 1);
	free(got.items);
	eic_spatial_free(index);
}

/* Independent values: one degree of longitude on the equator is R * pi / 180; the poles are
 * R * pi apart whatever their longitudes; across the antimeridian 0.02 degree on the equator. */
static void test_spatial__distance_values(void **state)
{
	(void)state;
	const double pi = 3.14159265358979323846, r = EIC_SPATIAL_EARTH_RADIUS_KM;
	double d = eic_spatial_distance_km(0.0, 0.0, 0.0, 1.0);
	assert_true(fabs(d - r * pi / 180.0) <= ABS_TOL_KM + REL_TOL * d);
	d = eic_spatial_distance_km(90.0, 10.0, -90.0, -70.0);
	assert_true(fabs(d - r * pi) <= 1e-6 + REL_TOL * d);
	d = eic_spatial_distance_km(0.0, 179.99, 0.0, -179.99);
	assert_true(fabs(d - r * pi * 0.02 / 180.0) <= 1e-6);
	d = eic_spatial_distance_km(89.0, 0.0, 89.0, 180.0); /* over the pole: 2 degrees */
	assert_true(fabs(d - r * pi * 2.0 / 180.0) <= 1e-6);
}

static void test_spatial__empty_and_single(void **state)
{
	(void)state;
	eic_spatial *index = NULL;
	pair_list got = {NULL, 0, 0, -1};
	assert_int_equal(eic_spatial_new(&index, NULL, NULL, 0, NULL), 0);
	assert_int_equal(eic_spatial_count(index), 0);
	assert_int_equal(eic_spatial_pairs(index, 50.0, NULL, keep_pair, &got), 0);
	assert_int_equal(eic_spatial_within(index, 0.0, 0.0, 1e5, keep_point, &got), 0);
	assert_int_equal(got.len, 0);
	eic_spatial_free(index);
	double lat = 1.0, lon = 2.0;
	assert_int_equal(eic_spatial_new(&index, &lat, &lon, 1, NULL), 0);
	assert_int_equal(eic_spatial_pairs(index, 1e5, NULL, keep_pair, &got), 0);
	assert_int_equal(got.len, 0);
	assert_int_equal(eic_spatial_within(index, 1.0, 2.0, 0.0, keep_point, &got), 0);
	assert_int_equal(got.len, 1);
	free(got.items);
	eic_spatial_free(index);
	eic_spatial_free(NULL);
}

static void test_spatial__bad_arguments_and_stop(void **state)
{
	(void)state;
	double lat[] = {10.0, 10.001, 10.002, 95.0}, lon[] = {20.0, 20.0, 20.0, 0.0};
	eic_spatial *index = NULL;
	eic_spatial_options opt = EIC_SPATIAL_OPTIONS_INIT;
	assert_int_equal(eic_spatial_new(&index, lat, lon, 4, NULL), EIC_EINVAL); /* lat 95 */
	assert_null(index);
	assert_int_equal(eic_spatial_new(&index, NULL, lon, 3, NULL), EIC_EINVAL);
	opt.cell_radius_km = 0.0;
	assert_int_equal(eic_spatial_new(&index, lat, lon, 3, &opt), EIC_EINVAL);
	opt = (eic_spatial_options)EIC_SPATIAL_OPTIONS_INIT;
	opt.version = 99;
	assert_int_equal(eic_spatial_new(&index, lat, lon, 3, &opt), EIC_EINVAL);
	double nan_lat[] = {NAN};
	assert_int_equal(eic_spatial_new(&index, nan_lat, lon, 1, NULL), EIC_EINVAL);
	assert_int_equal(eic_spatial_new(&index, lat, lon, 3, NULL), 0);
	pair_list got = {NULL, 0, 0, -1};
	assert_int_equal(eic_spatial_pairs(index, -1.0, NULL, keep_pair, &got), EIC_EINVAL);
	assert_int_equal(eic_spatial_pairs(index, NAN, NULL, keep_pair, &got), EIC_EINVAL);
	assert_int_equal(eic_spatial_pairs(index, 1.0, NULL, NULL, &got), EIC_EINVAL);
	assert_int_equal(eic_spatial_within(index, 91.0, 0.0, 1.0, keep_point, &got), EIC_EINVAL);
	/* The sink's nonzero value stops the search and comes back. */
	got.stop_after = 1;
	assert_int_equal(eic_spatial_pairs(index, 10.0, NULL, keep_pair, &got), 7);
	assert_int_equal(got.len, 1);
	got.len = 0;
	assert_int_equal(eic_spatial_within(index, 10.0, 20.0, 10.0, keep_point, &got), 7);
	free(got.items);
	eic_spatial_free(index);
}

static void test_spatial__allocation_failures(void **state)
{
	(void)state;
	double lat[64], lon[64];
	make_points(lat, lon, 64);
	for (long n = 0;; n++) {
		eic_spatial *index = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_spatial_new(&index, lat, lon, 64, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			eic_spatial_free(index);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(index);
		assert_true(n < 100);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spatial__pairs_match_brute_force),
	    cmocka_unit_test(test_spatial__pairs_other_cell_sizes),
	    cmocka_unit_test(test_spatial__pairs_with_filter),
	    cmocka_unit_test(test_spatial__groups),
	    cmocka_unit_test(test_spatial__within_matches_brute_force),
	    cmocka_unit_test(test_spatial__radius_boundary),
	    cmocka_unit_test(test_spatial__distance_values),
	    cmocka_unit_test(test_spatial__empty_and_single),
	    cmocka_unit_test(test_spatial__bad_arguments_and_stop),
	    cmocka_unit_test(test_spatial__allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
