/* test_match_index.c: the matcher gives identical candidates whether it compares all pairs
 * of offers or finds the pairs within the radius through the spatial index, on a generated
 * cluster with sited and unsited actors; and it refuses offers it cannot trust. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/match.h>
#include <eic/model.h>

#include "lib/symbiosis/match_private.h"
#include "testutil.h"

#define SCORE_TOL 1e-12

static uint64_t rng_state;

static double uniform(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* A cluster of `actors` firms scattered over about 150 km x 150 km (one in ten without a
 * site), each with a few haves and wants among six materials of two EWC chapters. */
static eic_cluster *generated_cluster(size_t actors, uint64_t seed)
{
	static const char *const mats[][3] = {
	    {"sawdust", "biomass/wood/sawdust", "030105"},
	    {"bark", "biomass/wood/bark", "030101"},
	    {"rice_husk", "biomass/agricultural/husk", "020103"},
	    {"manure", "biomass/animal/manure", "020106"},
	    {"straw", "biomass/agricultural/straw", "020103"},
	    {"wood_chips", "biomass/wood/chips", "030105"},
	};
	eic_cluster *c = NULL;
	eic_cluster_info info = {0};
	char id[32], oid[32];
	rng_state = seed;
	assert_int_equal(eic_cluster_new(&c), 0);
	info.id = "generated";
	info.name = "generated cluster";
	info.currency = "USD";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	for (size_t k = 0; k < sizeof(mats) / sizeof(mats[0]); k++) {
		eic_material m = {0};
		m.id = mats[k][0];
		m.name = mats[k][0];
		m.category = mats[k][1];
		m.ewc = mats[k][2];
		assert_int_equal(eic_cluster_add_material(c, &m), 0);
	}
	size_t offers = 0;
	for (size_t i = 0; i < actors; i++) {
		eic_actor a = {0};
		snprintf(id, sizeof(id), "firm%04zu", i);
		a.id = id;
		a.kind = EIC_ACTOR_FIRM;
		a.name = id;
		a.sector = uniform() < 0.5 ? "3510" : "0112";
		a.employees = -1;
		a.value_added = NAN;
		a.lat = a.lon = NAN;
		if (uniform() >= 0.1) {
			a.lat = 13.0 + 1.35 * uniform();
			a.lon = 100.5 + 1.4 * uniform();
		}
		assert_int_equal(eic_cluster_add_actor(c, &a), 0);
		int count = 1 + (int)(3 * uniform());
		for (int k = 0; k < count; k++) {
			eic_offer o = {0};
			snprintf(oid, sizeof(oid), "o%05zu", offers++);
			o.id = oid;
			o.actor = id;
			o.type = uniform() < 0.5 ? EIC_OFFER_HAVE : EIC_OFFER_WANT;
			o.material = mats[(size_t)(6 * uniform()) % 6][0];
			o.quantity = floor(100 + 5000 * uniform());
			o.min_quantity = NAN;
			o.max_quantity = uniform() < 0.3 ? o.quantity * 2 : NAN;
			o.unit = "t/yr";
			o.price = NAN;
			o.confidentiality = uniform() < 0.05 ? EIC_CONF_PRIVATE : EIC_CONF_CLUSTER;
			o.quality = o.available_from = o.available_to = o.price_unit = o.notes = "";
			assert_int_equal(eic_cluster_add_offer(c, &o), 0);
		}
	}
	return c;
}

static eic_match_result *run(const eic_cluster *c, size_t threshold, double radius_km,
                             const char *viewer)
{
	eic_match_options opts = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = NULL;
	eic_diags *diags = NULL;
	opts.radius_km = radius_km;
	opts.viewer = viewer;
	assert_int_equal(eic_diags_new(&diags, 10), 0);
	eic_match__set_index_threshold(threshold);
	int rc = eic_match_run(&r, c, &opts, diags);
	eic_match__set_index_threshold(0);
	if (rc && eic_diags_count(diags))
		print_error("match: %s\n", eic_diags_get(diags, 0)->message);
	assert_int_equal(rc, 0);
	eic_diags_free(diags);
	return r;
}

static void assert_same(const eic_match_result *x, const eic_match_result *y)
{
	assert_int_equal(eic_match_count(x), eic_match_count(y));
	for (size_t i = 0; i < eic_match_count(x); i++) {
		const eic_match_candidate *a = eic_match_at(x, i), *b = eic_match_at(y, i);
		assert_int_equal(a->mode, b->mode);
		assert_string_equal(a->a.offer_id, b->a.offer_id);
		assert_string_equal(a->b.offer_id, b->b.offer_id);
		assert_true(fabs(a->score - b->score) <= SCORE_TOL);
		assert_true((isnan(a->distance_km) && isnan(b->distance_km)) ||
		            fabs(a->distance_km - b->distance_km) <= SCORE_TOL);
		assert_string_equal(a->explanation, b->explanation);
		assert_string_equal(a->flags, b->flags);
	}
	assert_int_equal(eic_match_note_count(x), eic_match_note_count(y));
	for (size_t i = 0; i < eic_match_note_count(x); i++)
		assert_string_equal(eic_match_note(x, i), eic_match_note(y, i));
}

static void test_match__index_same_as_all_pairs(void **state)
{
	(void)state;
	eic_cluster *c = generated_cluster(300, 42);
	static const double radii[] = {8.0, 25.0, 400.0};
	for (size_t k = 0; k < sizeof(radii) / sizeof(radii[0]); k++) {
		eic_match_result *all = run(c, SIZE_MAX, radii[k], NULL);
		eic_match_result *near = run(c, 1, radii[k], NULL);
		assert_true(eic_match_count(all) > 0);
		assert_same(all, near);
		eic_match_free(all);
		eic_match_free(near);
	}
	/* a viewer sees masked candidates: the same through both paths */
	eic_match_result *all = run(c, SIZE_MAX, 25.0, "firm0007");
	eic_match_result *near = run(c, 1, 25.0, "firm0007");
	assert_same(all, near);
	eic_match_free(all);
	eic_match_free(near);
	eic_cluster_free(c);
}

/* A cluster built through the API is checked as a package would be. */
static void test_match__refuses_untrusted_offers(void **state)
{
	(void)state;
	struct {
		const char *actor, *material;
		double quantity, min, max, lat, lon;
		const char *says;
	} cases[] = {
	    {"nobody", "sawdust", 10, NAN, NAN, 13, 101, "unknown actor 'nobody'"},
	    {"firm0000", "gold", 10, NAN, NAN, 13, 101, "unknown material 'gold'"},
	    {"firm0000", "sawdust", -1, NAN, NAN, 13, 101, "negative quantity"},
	    {"firm0000", "sawdust", 10, 20, 5, 13, 101, "inverted range"},
	    {"firm0000", "sawdust", 30, 0, 20, 13, 101, "outside its range"},
	    {"firm0000", "sawdust", 10, NAN, NAN, 95, 101, "latitude 95 out of range"},
	    {"firm0000", "sawdust", 10, NAN, NAN, 13, NAN, "incomplete coordinates"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		eic_cluster *c = NULL;
		eic_cluster_info info = {0};
		eic_material m = {0};
		eic_actor a = {0};
		eic_offer o = {0};
		eic_diags *diags = NULL;
		eic_match_result *r = NULL;
		assert_int_equal(eic_cluster_new(&c), 0);
		info.id = "bad";
		assert_int_equal(eic_cluster_set_info(c, &info), 0);
		m.id = m.name = "sawdust";
		m.category = "biomass/wood/sawdust";
		assert_int_equal(eic_cluster_add_material(c, &m), 0);
		a.id = "firm0000";
		a.employees = -1;
		a.value_added = NAN;
		a.lat = cases[k].lat;
		a.lon = cases[k].lon;
		assert_int_equal(eic_cluster_add_actor(c, &a), 0);
		o.id = "o1";
		o.actor = cases[k].actor;
		o.material = cases[k].material;
		o.quantity = cases[k].quantity;
		o.min_quantity = cases[k].min;
		o.max_quantity = cases[k].max;
		o.unit = "t/yr";
		o.price = NAN;
		o.confidentiality = EIC_CONF_CLUSTER;
		assert_int_equal(eic_cluster_add_offer(c, &o), 0);
		assert_int_equal(eic_diags_new(&diags, 10), 0);
		assert_int_equal(eic_match_run(&r, c, NULL, diags), EIC_EINVALID);
		assert_null(r);
		assert_true(eic_diags_errors(diags) >= 1);
		const char *msg = eic_diags_get(diags, 0)->message;
		if (!strstr(msg, cases[k].says))
			print_error("case %zu: '%s' lacks '%s'\n", k, msg, cases[k].says);
		assert_non_null(strstr(msg, cases[k].says));
		eic_diags_free(diags);
		eic_cluster_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match__index_same_as_all_pairs),
	    cmocka_unit_test(test_match__refuses_untrusted_offers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
