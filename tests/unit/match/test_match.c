/* test_match.c: unit tests of offer matching (src/lib/symbiosis/match.c): the examples' expected
 * exchanges, scores, distances, cost and emissions by hand, confidentiality, bad options. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/io.h>
#include <eic/kb.h>
#include <eic/match.h>
#include <eic/spatial.h>

#include "testutil.h"
#include "util/util.h"

/* Distances and costs are products of a few doubles: 1e-9 relative, 1e-9 absolute. */
#define ABS_TOL 1e-9
#define REL_TOL 1e-9
#define TOP 5

static eic_kb *kb;

static void assert_close(double got, double want)
{
	double tol = ABS_TOL + REL_TOL * fabs(want);
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, expected %.17g (tolerance %.3g)", got, want, tol);
}

static int load_kb(void **state)
{
	(void)state;
	return eic_kb_load(&kb, NULL, eic_test_src("data/synergies.csv")) == 0 ? 0 : -1;
}

static int free_kb(void **state)
{
	(void)state;
	eic_kb_free(kb);
	kb = NULL;
	return 0;
}

static eic_cluster *read_example(const char *name)
{
	char rel[256];
	eic_cluster *c = NULL;
	eic_diags *d = NULL;
	eic_read_options ro = EIC_READ_OPTIONS_INIT;
	snprintf(rel, sizeof(rel), "data/examples/%s", name);
	ro.catalogue_dir = eic_test_src("data/materials");
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_package_read(&c, d, eic_test_src(rel), &ro);
	if (rc != 0 || eic_diags_errors(d) > 0)
		fail_msg("%s does not read cleanly (%d)", name, rc);
	eic_diags_free(d);
	return c;
}

static eic_match_result *run(const eic_cluster *c, eic_match_options *o)
{
	eic_match_result *r = NULL;
	o->kb = kb;
	assert_int_equal(eic_match_run(&r, c, o, NULL), 0);
	assert_non_null(r);
	return r;
}

/* Rank (0-based) of the first candidate of `mode` between offers of these actors and
 * materials (NULL matches anything); SIZE_MAX when absent. */
static size_t rank_of(const eic_match_result *r, eic_match_mode mode, const char *a_actor,
                      const char *a_material, const char *b_actor, const char *b_material)
{
	for (size_t i = 0; i < eic_match_count(r); i++) {
		const eic_match_candidate *c = eic_match_at(r, i);
		if (c->mode != mode)
			continue;
		for (int swap = 0; swap < 2; swap++) {
			const eic_match_side *x = swap ? &c->b : &c->a, *y = swap ? &c->a : &c->b;
			if (swap && mode == EIC_MATCH_SUBSTITUTION)
				break;
			if ((!a_actor || (x->actor && !strcmp(x->actor, a_actor))) &&
			    (!a_material || (x->material && !strcmp(x->material, a_material))) &&
			    (!b_actor || (y->actor && !strcmp(y->actor, b_actor))) &&
			    (!b_material || (y->material && !strcmp(y->material, b_material))))
				return i;
		}
	}
	return SIZE_MAX;
}

static void expect_top(const eic_match_result *r, eic_match_mode mode, const char *a_actor,
                       const char *a_material, const char *b_actor, const char *b_material)
{
	size_t rank = rank_of(r, mode, a_actor, a_material, b_actor, b_material);
	if (rank >= TOP)
		fail_msg("%s %s -> %s %s: rank %zu, expected among the top %d", a_actor, a_material,
		         b_actor ? b_actor : "*", b_material ? b_material : "*",
		         rank == SIZE_MAX ? 0 : rank + 1, TOP);
}

/* Maniwa: bark and chips to the power plant, chips to the pellet mill. */
static void test_match__maniwa_top(void **state)
{
	(void)state;
	eic_cluster *c = read_example("maniwa");
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = run(c, &o);
	expect_top(r, EIC_MATCH_SUBSTITUTION, "timber_sector", "bark", "wood_power", "bark");
	expect_top(r, EIC_MATCH_SUBSTITUTION, "timber_sector", "wood_chips", "wood_power",
	           "wood_chips");
	expect_top(r, EIC_MATCH_SUBSTITUTION, "timber_sector", "wood_chips", "pellet_plant",
	           "wood_chips");
	/* the bark candidate rests on the manual's pathway */
	const eic_match_candidate *b = eic_match_at(
	    r, rank_of(r, EIC_MATCH_SUBSTITUTION, "timber_sector", "bark", "wood_power", "bark"));
	assert_non_null(b->pathway);
	assert_string_equal(b->pathway->id, "wood-bark-power");
	assert_non_null(strstr(b->explanation, "wood-bark-power"));
	eic_match_free(r);
	eic_cluster_free(c);
}

/* Coconut: shell to charcoal, husk to coir. */
static void test_match__coconut_top(void **state)
{
	(void)state;
	eic_cluster *c = read_example("coconut");
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = run(c, &o);
	expect_top(r, EIC_MATCH_SUBSTITUTION, "dc_mills", "coconut_shell", "charcoal_maker",
	           "coconut_shell");
	expect_top(r, EIC_MATCH_SUBSTITUTION, "dc_mills", "coconut_husk", "coir_mill",
	           "coconut_husk");
	eic_match_free(r);
	eic_cluster_free(c);
}

/* Chachoengsao: husk to the power plant; manure to biogas (treated together at the shared
 * biogas plant the package proposes). */
static void test_match__chachoengsao_top(void **state)
{
	(void)state;
	eic_cluster *c = read_example("chachoengsao");
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = run(c, &o);
	expect_top(r, EIC_MATCH_SUBSTITUTION, "rice_mills", "rice_husk", "husk_power", "rice_husk");
	expect_top(r, EIC_MATCH_JOINT_TREATMENT, "piggeries", "pig_manure", "poultry",
	           "poultry_manure");
	const eic_match_candidate *m = eic_match_at(
	    r, rank_of(r, EIC_MATCH_JOINT_TREATMENT, "piggeries", "pig_manure", "poultry", NULL));
	assert_int_equal(m->fit, EIC_MATCH_FIT_FACILITY);
	assert_string_equal(m->facility, "biogas_manure");
	assert_non_null(strstr(m->explanation, "biogas"));
	eic_match_free(r);
	eic_cluster_free(c);
}

/* Distance, cost, emissions and the score by hand for rice husk to the power plant. */
static void test_match__hand_checked_candidate(void **state)
{
	(void)state;
	eic_cluster *c = read_example("chachoengsao");
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	o.circuity = 1.25;
	o.cost_per_tkm = 0.2;
	o.kg_co2e_per_tkm = 0.1;
	eic_match_result *r = run(c, &o);
	const eic_match_candidate *k =
	    eic_match_at(r, rank_of(r, EIC_MATCH_SUBSTITUTION, "rice_mills", "rice_husk",
	                            "husk_power", "rice_husk"));
	assert_non_null(k);
	/* rice_mills 13.705 N 101.05 E, husk_power 13.72 N 101.12 E */
	double gc = eic_spatial_distance_km(13.705, 101.05, 13.72, 101.12);
	assert_true(gc > 7.0 && gc < 8.0);
	assert_close(k->distance_km, gc * 1.25);
	assert_close(k->quantity, 12000);
	assert_close(k->mass_t_per_yr, 12000);
	assert_close(k->transport_cost_per_yr, 12000 * gc * 1.25 * 0.2);
	assert_close(k->emissions_t_co2e_per_yr, 12000 * gc * 1.25 * 0.1 / 1000);
	assert_close(k->material_score, 1.0);
	assert_close(k->quantity_score, 1.0);
	assert_close(k->timing_score, 1.0);
	assert_close(k->distance_score, 1.0 - gc * 1.25 / 50.0);
	assert_close(k->evidence_score, 0.9); /* rice-husk-power: the training manual */
	assert_close(k->score, EIC_MATCH_W_MATERIAL + EIC_MATCH_W_QUANTITY + EIC_MATCH_W_TIMING +
	                           EIC_MATCH_W_DISTANCE * (1.0 - gc * 1.25 / 50.0) +
	                           EIC_MATCH_W_EVIDENCE * 0.9);
	assert_close(EIC_MATCH_W_MATERIAL + EIC_MATCH_W_QUANTITY + EIC_MATCH_W_TIMING +
	                 EIC_MATCH_W_DISTANCE + EIC_MATCH_W_EVIDENCE,
	             1.0);
	for (size_t i = 0; i < eic_match_count(r); i++) {
		const eic_match_candidate *x = eic_match_at(r, i);
		assert_true(x->score >= 0 && x->score <= 1);
		assert_true(i == 0 || eic_match_at(r, i - 1)->score >= x->score);
		assert_true(*x->explanation);
	}
	eic_match_free(r);
	eic_cluster_free(c);
}

/* A tiny cluster built in memory: two firms 0.1 degree of latitude apart. */
static eic_cluster *tiny(eic_confidentiality conf, const char *from, const char *to)
{
	eic_cluster *c = NULL;
	eic_diags *d = NULL;
	char json[4096];
	eic_read_options ro = EIC_READ_OPTIONS_INIT;
	ro.catalogue_dir = eic_test_src("data/materials");
	ro.warnings = 0;
	snprintf(
	    json, sizeof(json),
	    "{\"eic_format\":1,\"id\":\"t\",\"name\":\"t\",\"country\":\"TH\","
	    "\"currency\":\"USD\",\"catalogue\":\"default\","
	    "\"periods\":[{\"id\":\"2020\",\"start\":\"2020-01-01\",\"end\":\"2020-12-31\"}],"
	    "\"actors\":[{\"id\":\"mill\",\"kind\":\"firm\",\"name\":\"Mill\",\"sector\":"
	    "\"1061\",\"lat\":13.0,\"lon\":100.0},{\"id\":\"plant\",\"kind\":\"firm\","
	    "\"name\":\"Plant\",\"sector\":\"3510\",\"lat\":13.1,\"lon\":100.0}],"
	    "\"offers\":[{\"id\":\"h\",\"actor\":\"mill\",\"type\":\"have\",\"material\":"
	    "\"rice_husk\",\"quantity\":1000,\"unit\":\"t/yr\",\"confidentiality\":\"%s\"%s%s%s},"
	    "{\"id\":\"w\",\"actor\":\"plant\",\"type\":\"want\",\"material\":\"rice_husk\","
	    "\"quantity\":500,\"unit\":\"t/yr\",\"available_from\":\"2021-01-01\","
	    "\"available_to\":\"2021-12-31\"}]}",
	    eic_confidentiality_name(conf), from ? ",\"available_from\":\"" : "", from ? from : "",
	    from ? "\"" : "");
	(void)to;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_package_read_json_buffer(&c, d, "tiny.json", json, strlen(json), &ro);
	for (size_t i = 0; rc != 0 && i < eic_diags_count(d); i++) {
		char buf[1024];
		eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
		fprintf(stderr, "%s\n", buf);
	}
	assert_int_equal(rc, 0);
	eic_diags_free(d);
	return c;
}

/* A private offer: absent for anyone but its owner and the other side; masked for the other
 * side as "a firm within N km" (N rounded up to 5) and the material class. */
static void test_match__confidentiality(void **state)
{
	(void)state;
	eic_cluster *c = tiny(EIC_CONF_PRIVATE, NULL, NULL);
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = run(c, &o);
	assert_int_equal(eic_match_count(r), 0);
	assert_int_equal(eic_match_note_count(r), 1);
	eic_match_free(r);

	o.viewer = "mill";
	r = run(c, &o);
	assert_int_equal(eic_match_count(r), 1);
	assert_false(eic_match_at(r, 0)->a.masked);
	assert_string_equal(eic_match_at(r, 0)->a.actor, "mill");
	eic_match_free(r);

	o.viewer = "plant";
	r = run(c, &o);
	assert_int_equal(eic_match_count(r), 1);
	const eic_match_candidate *k = eic_match_at(r, 0);
	assert_true(k->a.masked);
	assert_null(k->a.actor);
	assert_null(k->a.material);
	assert_null(k->a.offer);
	assert_true(isnan(k->a.lat));
	assert_string_equal(k->a.material_label, "biomass");
	/* 0.1 degree of latitude x 1.3 = 14.5 km: within 15 km */
	assert_string_equal(k->a.label, "a firm within 15 km");
	assert_null(strstr(k->explanation, "Mill"));
	assert_null(strstr(k->explanation, "husk"));
	assert_close(k->distance_km, 15); /* only the rounded distance is shown */
	eic_match_free(r);
	eic_cluster_free(c);
}

/* Timing: the want starts in 2021; a have from 2022 does not overlap. */
static void test_match__timing(void **state)
{
	(void)state;
	eic_cluster *c = tiny(EIC_CONF_CLUSTER, "2022-01-01", NULL);
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = run(c, &o);
	assert_int_equal(eic_match_count(r), 1);
	assert_close(eic_match_at(r, 0)->timing_score, 0);
	assert_non_null(strstr(eic_match_at(r, 0)->flags, "no timing overlap"));
	eic_match_free(r);
	eic_cluster_free(c);

	c = tiny(EIC_CONF_CLUSTER, NULL, NULL);
	r = run(c, &o);
	assert_close(eic_match_at(r, 0)->timing_score, 1);
	assert_close(eic_match_at(r, 0)->quantity, 500);
	eic_match_free(r);
	/* the radius drops the pair: 14.5 km apart */
	o.radius_km = 10;
	r = run(c, &o);
	assert_int_equal(eic_match_count(r), 0);
	eic_match_free(r);
	eic_cluster_free(c);
}

/* Impossible options and a distance matrix that misses a pair are refused with a message. */
static void test_match__bad_options(void **state)
{
	(void)state;
	eic_cluster *c = tiny(EIC_CONF_CLUSTER, NULL, NULL);
	eic_match_result *r = NULL;
	eic_diags *d = NULL;
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	o.kb = kb;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	o.circuity = -1;
	assert_int_equal(eic_match_run(&r, c, &o, d), EIC_EINVAL);
	assert_null(r);
	assert_non_null(strstr(eic_diags_get(d, 0)->message, "circuity"));
	o.circuity = 1.3;
	o.radius_km = 0;
	assert_int_equal(eic_match_run(&r, c, &o, d), EIC_EINVAL);
	assert_non_null(strstr(eic_diags_get(d, 1)->message, "radius"));
	o.radius_km = 50;
	o.viewer = "nobody";
	assert_int_equal(eic_match_run(&r, c, &o, d), EIC_ENOTFOUND);
	o.viewer = NULL;

	char *dir = eic_test_tmpdir("match");
	char path[1024];
	snprintf(path, sizeof(path), "%s/km.csv", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("from_actor,to_actor,km\nmill,other,3\n", fp);
	fclose(fp);
	o.distance_matrix = path;
	assert_int_equal(eic_match_run(&r, c, &o, d), EIC_EINVAL);
	assert_non_null(strstr(eic_diags_get(d, 3)->message, "does not cover the pair"));
	fp = fopen(path, "w");
	fputs("from_actor,to_actor,km\nplant,mill,7.5\n", fp);
	fclose(fp);
	assert_int_equal(eic_match_run(&r, c, &o, d), 0);
	assert_int_equal(eic_match_count(r), 1);
	assert_close(eic_match_at(r, 0)->distance_km, 7.5);
	assert_true(eic_match_at(r, 0)->distance_from_matrix);
	eic_match_free(r);
	r = NULL;
	fp = fopen(path, "w");
	fputs("from_actor,to_actor,km\nplant,mill,-2\n", fp);
	fclose(fp);
	assert_int_equal(eic_match_run(&r, c, &o, d), EIC_EPARSE);
	free(dir);
	eic_diags_free(d);
	eic_match_free(NULL);
	eic_cluster_free(c);
}

/* Every allocation of a run may fail: the run returns EIC_ENOMEM, never crashes or leaks
 * (checked by ASan in the sanitizer build), and succeeds once enough allocations succeed. */
static void test_match__allocation_failures(void **state)
{
	(void)state;
	eic_cluster *c = read_example("chachoengsao");
	eic_match_options o = EIC_MATCH_OPTIONS_INIT;
	eic_match_result *r = NULL;
	int rc = EIC_ENOMEM;
	o.kb = kb;
	o.viewer = "piggeries";
	for (long n = 0; n < 100000 && rc == EIC_ENOMEM; n++) {
		eic_alloc_fail_after(n);
		rc = eic_match_run(&r, c, &o, NULL);
		eic_alloc_fail_after(-1);
		if (rc == EIC_ENOMEM)
			assert_null(r);
	}
	assert_int_equal(rc, 0);
	assert_true(eic_match_count(r) > 0);
	eic_match_free(r);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match__maniwa_top),
	    cmocka_unit_test(test_match__coconut_top),
	    cmocka_unit_test(test_match__chachoengsao_top),
	    cmocka_unit_test(test_match__hand_checked_candidate),
	    cmocka_unit_test(test_match__confidentiality),
	    cmocka_unit_test(test_match__timing),
	    cmocka_unit_test(test_match__bad_options),
	    cmocka_unit_test(test_match__allocation_failures),
	};
	return cmocka_run_group_tests(tests, load_kb, free_kb);
}
