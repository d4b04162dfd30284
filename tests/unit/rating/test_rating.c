/* test_rating.c: unit tests of the rating module (src/lib/rating): the shipped PROPER, CEPI and
 * EIP framework schemes on hand-computed cases, missing inputs, and malformed scheme files. */
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
#include <eic/rating.h>

#include "testutil.h"
#include "util/util.h"

/* Tolerances: every expected value is a short decimal computed by hand (docs/methods/rating.md);
 * checked to 1e-9 absolute plus 1e-12 relative. */
#define ABS_TOL 1e-9
#define REL_TOL 1e-12

static void near(double expected, double actual, const char *what)
{
	if (!(fabs(expected - actual) <= ABS_TOL + REL_TOL * fabs(expected)))
		fail_msg("%s: expected %.12g, got %.12g", what, expected, actual);
}

static eic_rating_scheme *shipped(const char *file)
{
	char rel[256];
	eic_rating_scheme *s = NULL;
	eic_diags *d = NULL;
	snprintf(rel, sizeof(rel), "data/rating/%s", file);
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_rating_scheme_load(&s, d, eic_test_src(rel));
	if (rc != 0) {
		char buf[1024];
		for (size_t i = 0; i < eic_diags_count(d); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			print_error("%s\n", buf);
		}
		fail_msg("loading %s: %s", rel, eic_strerror(rc));
	}
	eic_diags_free(d);
	return s;
}

static eic_rating_inputs *inputs(void)
{
	eic_rating_inputs *in = NULL;
	assert_int_equal(eic_rating_inputs_new(&in), 0);
	return in;
}

static eic_rating_result *eval(const eic_rating_scheme *s, const eic_rating_inputs *in,
                               const eic_rating_inputs *const *peers, size_t peer_count)
{
	eic_rating_result *r = NULL;
	assert_int_equal(eic_rating_evaluate(&r, s, in, peers, peer_count), 0);
	assert_non_null(r);
	return r;
}

static void expect_label(const eic_rating_result *r, const char *label, const char *decided_by)
{
	const char *got = eic_rating_result_label(r);
	if (!got || strcmp(got, label))
		fail_msg("label: expected '%s', got '%s' (%s)", label, got ? got : "(none)",
		         eic_rating_result_explanation(r));
	assert_string_equal(eic_rating_result_decided_by(r), decided_by);
	assert_true(eic_rating_result_complete(r));
}

/* ---- PROPER -------------------------------------------------------------------------------- */

/* A compliant actor; `points` scales every beyond-compliance component's points. */
static eic_rating_inputs *proper_actor(double share)
{
	eic_rating_inputs *in = inputs();
	static const struct {
		const char *name;
		double max;
	} comps[] = {
	    {"points.drkpl", 150},
	    {"points.lca", 100},
	    {"points.energy_efficiency", 110},
	    {"points.emission_reduction", 110},
	    {"points.hazardous_waste", 100},
	    {"points.solid_waste_3r", 100},
	    {"points.water_efficiency", 110},
	    {"points.biodiversity", 100},
	    {"points.community_empowerment", 100},
	    {"points.disaster_response", 25},
	};
	eic_rating_inputs_set_bool(in, "critical.deliberate_pollution", 0);
	eic_rating_inputs_set_bool(in, "critical.sanction_ignored", 0);
	eic_rating_inputs_set_bool(in, "compliance.environmental_document", 1);
	eic_rating_inputs_set_bool(in, "compliance.water", 1);
	eic_rating_inputs_set_bool(in, "compliance.air", 1);
	eic_rating_inputs_set_bool(in, "compliance.hazardous_waste", 1);
	eic_rating_inputs_set_bool(in, "screening.energy_audit", 1);
	eic_rating_inputs_set_bool(in, "screening.environmental_audit", 1);
	eic_rating_inputs_set_number(in, "screening.ems_score", 75);
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++)
		assert_int_equal(
		    eic_rating_inputs_set_number(in, comps[i].name, share * comps[i].max), 0);
	return in;
}

static void test_rating__proper_gates(void **state)
{
	(void)state;
	eic_rating_scheme *s = shipped("proper.json");
	assert_string_equal(eic_rating_scheme_id(s), "proper");

	/* water above the standard: red by the water gate, nothing beyond compliance needed */
	eic_rating_inputs *in = inputs();
	eic_rating_inputs_set_bool(in, "critical.deliberate_pollution", 0);
	eic_rating_inputs_set_bool(in, "critical.sanction_ignored", 0);
	eic_rating_inputs_set_bool(in, "compliance.environmental_document", 1);
	eic_rating_inputs_set_bool(in, "compliance.water", 0);
	eic_rating_result *r = eval(s, in, NULL, 0);
	expect_label(r, "red", "water_compliance");
	assert_string_equal(
	    eic_rating_result_explanation(r),
	    "Red: wastewater above the effluent standard (gate 'water_compliance')");
	assert_int_equal(eic_rating_result_value_count(r), 0);
	eic_rating_result_free(r);

	/* a critical finding: black, even with the water gate failing too */
	eic_rating_inputs_set_bool(in, "critical.sanction_ignored", 1);
	r = eval(s, in, NULL, 0);
	expect_label(r, "black", "critical_noncompliance");
	assert_string_equal(eic_rating_result_explanation(r),
	                    "Black: an administrative sanction was not carried out (gate "
	                    "'critical_noncompliance')");
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);

	/* compliant, screening failed (no energy audit): blue by the screening gate */
	in = proper_actor(0.9);
	eic_rating_inputs_set_bool(in, "screening.energy_audit", 0);
	r = eval(s, in, NULL, 0);
	expect_label(r, "blue", "green_screening");
	eic_rating_result_free(r);

	/* compliant, screened, 50 % of every maximum: 502.5 points, below 603: blue */
	eic_rating_inputs_free(in);
	in = proper_actor(0.5);
	r = eval(s, in, NULL, 0);
	expect_label(r, "blue", "compliant");
	double total = 0;
	assert_true(eic_rating_result_get(r, "beyond_compliance", &total));
	near(502.5, total, "beyond_compliance at 50 %");
	assert_string_equal(eic_rating_result_explanation(r),
	                    "Blue: complies with every compliance gate (label 'compliant')");
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
}

static void test_rating__proper_green_gold(void **state)
{
	(void)state;
	eic_rating_scheme *s = shipped("proper.json");
	/* points are capped at the reference maxima: DRKPL 170 counts as 150 */
	eic_rating_inputs *in = proper_actor(1.0);
	eic_rating_inputs_set_number(in, "points.drkpl", 170);
	eic_rating_result *r = eval(s, in, NULL, 0);
	double v = 0;
	assert_true(eic_rating_result_get(r, "drkpl", &v));
	near(150, v, "drkpl capped");
	assert_true(eic_rating_result_get(r, "beyond_compliance", &v));
	near(1005, v, "total of the 2021 maxima equals the published 1005");
	/* alone in its group it is the best: gold (rank 1 of 1) */
	expect_label(r, "gold", "gold_best_share");
	assert_true(eic_rating_result_note_count(r) >= 1);
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);

	/* peer group: A 70 % (703.5), B 80 % (804), C 90 % (904.5), D 60 % (603, on the
	 * threshold: green), E red. Eligible green: A, B, C, D = 4; best 10 %: ceil(0.4) = 1 */
	eic_rating_inputs *a = proper_actor(0.7), *b = proper_actor(0.8), *c = proper_actor(0.9),
	                  *d = proper_actor(0.6), *e = proper_actor(1.0);
	eic_rating_inputs_set_bool(e, "compliance.air", 0);
	const eic_rating_inputs *peers_of_c[] = {a, b, d, e};
	r = eval(s, c, peers_of_c, 4);
	expect_label(r, "gold", "gold_best_share");
	size_t rank = 0, eligible = 0;
	double pct = 0;
	assert_true(eic_rating_result_percentile(r, &rank, &eligible, &pct));
	assert_int_equal(rank, 1);
	assert_int_equal(eligible, 4);
	near(25, pct, "percent");
	assert_string_equal(
	    eic_rating_result_explanation(r),
	    "Gold: beyond_compliance = 904.5 ranks 1 of 4 eligible in the peer group "
	    "(top 25%), within the best 10% (percentile 'gold_best_share')");
	eic_rating_result_free(r);

	const eic_rating_inputs *peers_of_b[] = {a, c, d, e};
	r = eval(s, b, peers_of_b, 4);
	expect_label(r, "green", "green_threshold");
	assert_true(eic_rating_result_percentile(r, &rank, &eligible, &pct));
	assert_int_equal(rank, 2);
	near(50, pct, "percent of B");
	assert_string_equal(
	    eic_rating_result_explanation(r),
	    "Green: beyond_compliance = 804, at least 603 (bands 'green_threshold')");
	eic_rating_result_free(r);

	const eic_rating_inputs *peers_of_d[] = {a, b, c, e};
	r = eval(s, d, peers_of_d, 4);
	expect_label(r, "green", "green_threshold");
	eic_rating_result_free(r);

	/* a peer with a missing input is left out and named in a note */
	eic_rating_inputs *f = proper_actor(0.95);
	eic_rating_inputs *g = inputs();
	eic_rating_inputs_set_bool(g, "critical.deliberate_pollution", 0);
	const eic_rating_inputs *peers2[] = {f, g};
	r = eval(s, c, peers2, 2);
	expect_label(r, "green", "green_threshold");
	assert_true(eic_rating_result_percentile(r, &rank, &eligible, &pct));
	assert_int_equal(rank, 2);
	assert_int_equal(eligible, 2);
	assert_non_null(strstr(eic_rating_result_note(r, 0), "peer 2 left out"));
	assert_non_null(strstr(eic_rating_result_note(r, 0), "critical.sanction_ignored"));
	eic_rating_result_free(r);

	eic_rating_inputs_free(a);
	eic_rating_inputs_free(b);
	eic_rating_inputs_free(c);
	eic_rating_inputs_free(d);
	eic_rating_inputs_free(e);
	eic_rating_inputs_free(f);
	eic_rating_inputs_free(g);
	eic_rating_scheme_free(s);
}

static void test_rating__missing_inputs_named(void **state)
{
	(void)state;
	eic_rating_scheme *s = shipped("proper.json");
	eic_rating_inputs *in = inputs();
	eic_rating_inputs_set_bool(in, "critical.deliberate_pollution", 0);
	eic_rating_inputs_set_bool(in, "critical.sanction_ignored", 0);
	eic_rating_inputs_set_bool(in, "compliance.environmental_document", 1);
	eic_rating_inputs_set_bool(in, "compliance.water", 1);
	/* air given as a number, not a boolean: wrong type counts as missing */
	eic_rating_inputs_set_number(in, "compliance.air", 1);
	eic_rating_result *r = eval(s, in, NULL, 0);
	assert_false(eic_rating_result_complete(r));
	assert_null(eic_rating_result_label(r));
	assert_true(eic_rating_result_missing_count(r) >= 2);
	assert_string_equal(eic_rating_result_missing(r, 0), "compliance.air");
	assert_string_equal(eic_rating_result_missing(r, 1), "compliance.hazardous_waste");
	assert_non_null(strstr(eic_rating_result_explanation(r),
	                       "Not rated: missing inputs compliance.air, "
	                       "compliance.hazardous_waste"));
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);

	/* compliant and screened but no points given: all ten named, never taken as zero */
	in = inputs();
	eic_rating_inputs_set_bool(in, "critical.deliberate_pollution", 0);
	eic_rating_inputs_set_bool(in, "critical.sanction_ignored", 0);
	eic_rating_inputs_set_bool(in, "compliance.environmental_document", 1);
	eic_rating_inputs_set_bool(in, "compliance.water", 1);
	eic_rating_inputs_set_bool(in, "compliance.air", 1);
	eic_rating_inputs_set_bool(in, "compliance.hazardous_waste", 1);
	eic_rating_inputs_set_bool(in, "screening.energy_audit", 1);
	eic_rating_inputs_set_bool(in, "screening.environmental_audit", 1);
	eic_rating_inputs_set_number(in, "screening.ems_score", 80);
	r = eval(s, in, NULL, 0);
	assert_false(eic_rating_result_complete(r));
	assert_int_equal(eic_rating_result_missing_count(r), 10);
	assert_string_equal(eic_rating_result_missing(r, 0), "points.drkpl");
	assert_int_equal(eic_rating_result_get(r, "beyond_compliance", NULL), 0);
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
}

/* ---- CEPI ---------------------------------------------------------------------------------- */

/* Factor scores of one medium: sub-index = A1 x A2 + B1 + B2 + B3 + C1 x C2 + C3 + D. */
static void cepi_medium(eic_rating_inputs *in, const char *m, const double f[9])
{
	static const char *const names[9] = {"A1", "A2", "B1", "B2", "B3", "C1", "C2", "C3", "D"};
	char key[64];
	for (int i = 0; i < 9; i++) {
		snprintf(key, sizeof(key), "%s.%s", m, names[i]);
		assert_int_equal(eic_rating_inputs_set_number(in, key, f[i]), 0);
	}
}

static void test_rating__cepi_hand_examples(void **state)
{
	(void)state;
	eic_rating_scheme *s = shipped("cepi.json");
	/* Example 1 (docs/methods/rating.md): air 60, water 50, land 50 -> 60 + 40 x 0.5 x 0.5 = 70
	 */
	static const double air[9] = {5, 4, 8, 6, 6, 3, 3, 1, 10};   /* 20+20+9+1+10 = 60 */
	static const double water[9] = {4, 4, 6, 3, 3, 2, 4, 4, 10}; /* 16+12+8+4+10 = 50 */
	static const double land[9] = {3, 4, 8, 3, 3, 3, 4, 2, 10};  /* 12+14+12+2+10 = 50 */
	eic_rating_inputs *in = inputs();
	cepi_medium(in, "air", air);
	cepi_medium(in, "water", water);
	cepi_medium(in, "land", land);
	eic_rating_result *r = eval(s, in, NULL, 0);
	double v = 0;
	assert_true(eic_rating_result_get(r, "air", &v));
	near(60, v, "air sub-index");
	assert_true(eic_rating_result_get(r, "water", &v));
	near(50, v, "water sub-index");
	assert_true(eic_rating_result_get(r, "land", &v));
	near(50, v, "land sub-index");
	assert_true(eic_rating_result_get(r, "cepi", &v));
	near(70, v, "CEPI example 1");
	expect_label(r, "critically polluted", "cepi_band");
	assert_string_equal(eic_rating_result_explanation(r),
	                    "Critically polluted: cepi = 70, at least 70 (bands 'cepi_band')");
	eic_rating_result_free(r);

	/* Example 2: land D = 0 -> land 40 -> 60 + 40 x 0.5 x 0.4 = 68: severely polluted */
	eic_rating_inputs_set_number(in, "land.D", 0);
	r = eval(s, in, NULL, 0);
	assert_true(eic_rating_result_get(r, "cepi", &v));
	near(68, v, "CEPI example 2");
	expect_label(r, "severely polluted", "cepi_band");
	assert_string_equal(eic_rating_result_explanation(r),
	                    "Severely polluted: cepi = 68, at least 60 and below 70 (bands "
	                    "'cepi_band')");
	eic_rating_result_free(r);

	/* Example 3: water dominant. water 80 (A1 5 x A2 5 = 25, B 8+6+6, C 4x5+5, D 10),
	 * air 50, land 20 -> 80 + 20 x 0.5 x 0.2 = 82 */
	static const double water80[9] = {5, 5, 8, 6, 6, 4, 5, 5, 10};
	static const double land20[9] = {2, 2, 4, 2, 2, 1, 2, 0, 6}; /* 4+8+2+0+6 = 20 */
	static const double air50[9] = {4, 4, 6, 3, 3, 2, 4, 4, 10}; /* = 50 */
	cepi_medium(in, "water", water80);
	cepi_medium(in, "land", land20);
	cepi_medium(in, "air", air50);
	r = eval(s, in, NULL, 0);
	assert_true(eic_rating_result_get(r, "water", &v));
	near(80, v, "water sub-index");
	assert_true(eic_rating_result_get(r, "cepi", &v));
	near(82, v, "CEPI example 3");
	expect_label(r, "critically polluted", "cepi_band");
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
}

static void test_rating__cepi_band_boundaries(void **state)
{
	(void)state;
	eic_rating_scheme *s = shipped("cepi.json");
	static const double zero[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
	/* air alone: CEPI = air sub-index (the others are 0) */
	static const struct {
		double d;
		double cepi;
		const char *label;
	} cases[] = {
	    {19.5, 59.5, "other polluted"},      {20, 60, "severely polluted"},
	    {29.5, 69.5, "severely polluted"},   {30, 70, "critically polluted"},
	    {30.5, 70.5, "critically polluted"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double air[9] = {5, 4, 8, 6, 6, 0, 0, 0, 0}; /* 20 + 20 = 40, plus D */
		air[8] = cases[i].d;
		eic_rating_inputs *in = inputs();
		cepi_medium(in, "air", air);
		cepi_medium(in, "water", zero);
		cepi_medium(in, "land", zero);
		eic_rating_result *r = eval(s, in, NULL, 0);
		double v = 0;
		assert_true(eic_rating_result_get(r, "cepi", &v));
		near(cases[i].cepi, v, "CEPI at a boundary");
		expect_label(r, cases[i].label, "cepi_band");
		eic_rating_result_free(r);
		eic_rating_inputs_free(in);
	}
	/* a missing factor: named, no CEPI */
	eic_rating_inputs *in = inputs();
	cepi_medium(in, "air", zero);
	cepi_medium(in, "water", zero);
	eic_rating_result *r = eval(s, in, NULL, 0);
	assert_false(eic_rating_result_complete(r));
	assert_int_equal(eic_rating_result_missing_count(r), 9);
	assert_string_equal(eic_rating_result_missing(r, 0), "land.A1");
	assert_string_equal(eic_rating_result_missing(r, 8), "land.D");
	assert_int_equal(eic_rating_result_get(r, "cepi", NULL), 0);
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
}

/* ---- EIP framework -------------------------------------------------------------------------- */

static void test_rating__eip_framework(void **state)
{
	(void)state;
	eic_rating_scheme *s = shipped("eip_framework.json");
	static const char *const ids[] = {
	    "pm_compliance",  "pm_entity",          "pm_services",        "pm_monitoring",
	    "pm_planning",    "env_compliance",     "env_management",     "env_energy",
	    "env_water",      "env_waste",          "env_climate_nature", "soc_compliance",
	    "soc_management", "soc_infrastructure", "soc_community",      "eco_compliance",
	    "eco_employment", "eco_local_business", "eco_value",
	};
	size_t n = sizeof(ids) / sizeof(ids[0]);
	eic_rating_inputs *in = inputs();
	char key[128];
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "eip.%s", ids[i]);
		eic_rating_inputs_set_bool(in, key, 1);
	}
	eic_rating_inputs_set_text(in, "eip.env_water.evidence",
	                           "CETP discharge tests 2024, all within standards");
	eic_rating_result *r = eval(s, in, NULL, 0);
	expect_label(r, "meets the framework", "eip_verdict");
	assert_int_equal(eic_rating_result_requirement_count(r), n);
	assert_int_equal(eic_rating_result_category_count(r), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(eic_rating_result_category(r, i)->passed, 1);
	assert_string_equal(eic_rating_result_requirement(r, 8)->rule, "env_water");
	assert_string_equal(eic_rating_result_requirement(r, 8)->evidence,
	                    "CETP discharge tests 2024, all within standards");
	assert_string_equal(eic_rating_result_requirement(r, 0)->evidence, "");
	eic_rating_result_free(r);

	/* two failures: water (environment) and community dialogue (social) */
	eic_rating_inputs_set_bool(in, "eip.env_water", 0);
	eic_rating_inputs_set_bool(in, "eip.soc_community", 0);
	r = eval(s, in, NULL, 0);
	expect_label(r, "does not meet the framework", "eip_verdict");
	const char *x = eic_rating_result_explanation(r);
	assert_non_null(strstr(x, "Does not meet the framework: 2 of 19 requirements failed"));
	assert_non_null(strstr(x, "environment performance 'env_water'"));
	assert_non_null(strstr(x, "social performance 'soc_community'"));
	for (size_t i = 0; i < eic_rating_result_category_count(r); i++) {
		const eic_rating_category *c = eic_rating_result_category(r, i);
		int bad = !strcmp(c->category, "environment") || !strcmp(c->category, "social");
		assert_int_equal(c->passed, !bad);
		assert_int_equal(c->failed, (size_t)bad);
	}
	assert_int_equal(eic_rating_result_requirement(r, 8)->passed, 0);
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
}

/* ---- malformed schemes ------------------------------------------------------------------------
 */

/* Load `text`; expect failure with exactly one error equal to `expected`. */
static void expect_error(const char *text, const char *expected)
{
	eic_rating_scheme *s = NULL;
	eic_diags *d = NULL;
	char buf[1024];
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_rating_scheme_load_buffer(&s, d, "s.json", text, strlen(text));
	assert_null(s);
	assert_int_equal(rc, EIC_EINVALID);
	if (eic_diags_count(d) != 1) {
		for (size_t i = 0; i < eic_diags_count(d); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			print_error("%s\n", buf);
		}
		fail_msg("expected one error, got %zu", eic_diags_count(d));
	}
	eic_diag_format(buf, sizeof(buf), eic_diags_get(d, 0));
	assert_string_equal(buf, expected);
	eic_diags_free(d);
}

static void test_rating__malformed_schemes(void **state)
{
	(void)state;
	expect_error(
	    "{\"id\": \"x\",\n \"rules\": [\n  {\"id\": \"a\", \"kind\": \"gates\"}\n]}\n",
	    "s.json:3:23: error: unknown rule kind (expected one of gate, label, points, "
	    "sum, max_dominant, bands, percentile, requirement, verdict; found \"gates\")");
	expect_error("{\"id\": \"x\",\n \"rules\": [\n  {\"id\": \"a\", \"kind\": \"points\", "
	             "\"input\": \"p\"}\n]}\n",
	             "s.json:3:3: error: a points rule needs exactly one of 'max_points' and "
	             "'table' (expected one; found neither)");
	/* circular: a sum refers to a later rule */
	expect_error("{\"id\": \"x\", \"rules\": [\n"
	             "  {\"id\": \"s1\", \"kind\": \"sum\", \"terms\": [{\"ref\": \"s2\"}]},\n"
	             "  {\"id\": \"s2\", \"kind\": \"sum\", \"terms\": [{\"ref\": \"s1\"}]}\n]}\n",
	             "s.json:2:49: error: reference to rule 's2', which comes later: rules are "
	             "evaluated in order, so this is circular or out of order (expected an input "
	             "or an earlier rule; found 's2' at rule 2)");
	expect_error("{\"id\": \"x\", \"rules\": [\n"
	             "  {\"id\": \"b\", \"kind\": \"bands\", \"value\": \"v\", \"bands\": [\n"
	             "    {\"at_least\": 60, \"label\": \"s\"},\n"
	             "    {\"at_least\": 70, \"label\": \"c\"}]}\n]}\n",
	             "s.json:4:18: error: bands out of order: highest first (expected 'at_least' "
	             "below 60, the band before; found 70)");
	expect_error("{\"id\": \"x\", \"rules\": [\n"
	             "  {\"id\": \"g\", \"kind\": \"gate\", \"label\": \"red\", \"conditions\": [\n"
	             "    {\"input\": \"w\", \"is\": \"no\"}]}\n]}\n",
	             "s.json:3:26: error: wrong type for 'is' (expected true or false; found "
	             "\"no\")");
	expect_error("{\"id\": \"x\", \"rules\": [\n"
	             "  {\"id\": \"a\", \"kind\": \"label\", \"label\": \"blue\"},\n"
	             "  {\"id\": \"a\", \"kind\": \"label\", \"label\": \"red\"}\n]}\n",
	             "s.json:3:10: error: duplicate rule id 'a' (expected a unique id; found it "
	             "also at rule 1)");
	expect_error("{\"id\": \"x\", \"rules\": [\n"
	             "  {\"id\": \"p\", \"kind\": \"percentile\", \"value\": \"v\", \"label\": "
	             "\"gold\",\n   \"best_share\": 1.5}\n]}\n",
	             "s.json:3:18: error: 'best_share' is out of range (expected a share above 0, "
	             "at most 1 (0.1 = the best 10 %); found 1.5)");
	expect_error(
	    "{\"id\": \"x\", \"rules\": [\n"
	    "  {\"id\": \"a\", \"kind\": \"label\", \"label\": \"blue\", \"colour\": 1}\n]}\n",
	    "s.json:2:49: error: unknown key 'colour' in this rule (expected one of 'id', "
	    "'kind', 'when_label', 'note', 'source', 'label', 'because'; found 'colour')");
	expect_error("{\"id\": \"x\"}\n",
	             "s.json:1:1: error: missing key 'rules' in the scheme (expected a non-empty "
	             "array of rules; found none)");
	expect_error("{\"id\": \"x\", \"rules\": [\n  {\"id\": \"a\" \"kind\": 1}]}\n",
	             "s.json:2:19: error: malformed JSON (expected valid JSON text; '}' expected "
	             "near '\"kind\"')");
	/* the table of a points rule must go up */
	expect_error(
	    "{\"id\": \"x\", \"rules\": [\n"
	    "  {\"id\": \"p\", \"kind\": \"points\", \"input\": \"e\", \"table\": [\n"
	    "    {\"at_least\": 0, \"points\": 0},\n"
	    "    {\"at_least\": 0, \"points\": 5}]}\n]}\n",
	    "s.json:4:18: error: table rows out of order (expected 'at_least' above 0, the "
	    "row before; found 0)");
}

/* A scheme written inline: point table by thresholds, weighted sum, bands with a catch-all. */
static void test_rating__own_scheme(void **state)
{
	(void)state;
	const char *text =
	    "{\"id\": \"mine\", \"rules\": [\n"
	    "  {\"id\": \"energy\", \"kind\": \"points\", \"input\": \"energy_saving_share\",\n"
	    "   \"table\": [{\"at_least\": 0, \"points\": 0}, {\"at_least\": 0.1, \"points\": "
	    "10},\n"
	    "             {\"at_least\": 0.2, \"points\": 25}]},\n"
	    "  {\"id\": \"total\", \"kind\": \"sum\", \"terms\": [{\"ref\": \"energy\", "
	    "\"weight\": 2},\n"
	    "   {\"ref\": \"bonus\", \"weight\": 0.5}]},\n"
	    "  {\"id\": \"grade\", \"kind\": \"bands\", \"value\": \"total\", \"bands\": [\n"
	    "   {\"at_least\": 50, \"label\": \"A\"}, {\"label\": \"B\"}]}\n]}\n";
	eic_rating_scheme *s = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 10), 0);
	assert_int_equal(eic_rating_scheme_load_buffer(&s, d, "mine.json", text, strlen(text)), 0);
	eic_rating_inputs *in = inputs();
	eic_rating_inputs_set_number(in, "energy_saving_share", 0.2); /* on the row: 25 points */
	eic_rating_inputs_set_number(in, "bonus", 4);
	eic_rating_result *r = eval(s, in, NULL, 0);
	double v = 0;
	assert_true(eic_rating_result_get(r, "energy", &v));
	near(25, v, "points by threshold");
	assert_true(eic_rating_result_get(r, "total", &v));
	near(52, v, "2 x 25 + 0.5 x 4");
	expect_label(r, "A", "grade");
	eic_rating_result_free(r);
	eic_rating_inputs_set_number(in, "energy_saving_share", 0.15);
	r = eval(s, in, NULL, 0);
	assert_true(eic_rating_result_get(r, "total", &v));
	near(22, v, "2 x 10 + 0.5 x 4");
	expect_label(r, "B", "grade");
	assert_string_equal(eic_rating_result_explanation(r),
	                    "B: total = 22, below 50 (bands 'grade')");
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
	eic_diags_free(d);

	/* percentile on an input, lower is better: energy intensity, best 50 % of 3 -> cut 2 */
	text = "{\"id\": \"low\", \"rules\": [\n"
	       "  {\"id\": \"base\", \"kind\": \"label\", \"label\": \"listed\"},\n"
	       "  {\"id\": \"best\", \"kind\": \"percentile\", \"value\": \"intensity\",\n"
	       "   \"best_share\": 0.5, \"higher_is_better\": false, \"label\": \"leader\"}\n]}\n";
	assert_int_equal(eic_rating_scheme_load_buffer(&s, NULL, "low.json", text, strlen(text)),
	                 EIC_EINVAL); /* diags are required */
	assert_int_equal(eic_diags_new(&d, 10), 0);
	assert_int_equal(eic_rating_scheme_load_buffer(&s, d, "low.json", text, strlen(text)), 0);
	eic_rating_inputs *p1 = inputs(), *p2 = inputs(), *me = inputs();
	eic_rating_inputs_set_number(p1, "intensity", 3.0);
	eic_rating_inputs_set_number(p2, "intensity", 1.0);
	eic_rating_inputs_set_number(me, "intensity", 2.0);
	const eic_rating_inputs *group[] = {p1, p2};
	r = eval(s, me, group, 2);
	size_t rank = 0, eligible = 0;
	assert_true(eic_rating_result_percentile(r, &rank, &eligible, NULL));
	assert_int_equal(rank, 2);
	assert_int_equal(eligible, 3);
	expect_label(r, "leader", "best");
	eic_rating_result_free(r);
	eic_rating_inputs_set_number(me, "intensity", 3.5);
	r = eval(s, me, group, 2);
	expect_label(r, "listed", "base");
	eic_rating_result_free(r);
	eic_rating_inputs_free(p1);
	eic_rating_inputs_free(p2);
	eic_rating_inputs_free(me);
	eic_rating_scheme_free(s);
	eic_diags_free(d);

	/* bad calls */
	assert_int_equal(eic_rating_evaluate(NULL, NULL, NULL, NULL, 0), EIC_EINVAL);
	eic_rating_scheme_free(NULL);
	eic_rating_inputs_free(NULL);
	eic_rating_result_free(NULL);
}

/* Gates: match all, stop false, numeric tests, when_label, and an undecided gate. */
static void test_rating__gate_forms(void **state)
{
	(void)state;
	const char *text =
	    "{\"id\": \"g\", \"rules\": [\n"
	    "  {\"id\": \"both\", \"kind\": \"gate\", \"label\": \"watch\", \"match\": \"all\",\n"
	    "   \"stop\": false, \"conditions\": [{\"input\": \"bod\", \"above\": 30},\n"
	    "   {\"input\": \"flow\", \"at_least\": 100}]},\n"
	    "  {\"id\": \"low\", \"kind\": \"gate\", \"label\": \"ok\", \"when_label\": "
	    "[\"watch\"],\n"
	    "   \"conditions\": [{\"input\": \"cod\", \"below\": 50}]}\n]}\n";
	eic_rating_scheme *s = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 10), 0);
	assert_int_equal(eic_rating_scheme_load_buffer(&s, d, "g.json", text, strlen(text)), 0);
	eic_rating_inputs *in = inputs();
	eic_rating_inputs_set_number(in, "bod", 30); /* not above 30 */
	eic_rating_inputs_set_number(in, "flow", 100);
	eic_rating_result *r = eval(s, in, NULL, 0);
	assert_true(eic_rating_result_complete(r));
	assert_null(eic_rating_result_label(r)); /* no rule gave a label; "low" did not run */
	eic_rating_result_free(r);
	eic_rating_inputs_set_number(in, "bod", 31);
	eic_rating_inputs_set_number(in, "cod", 20);
	r = eval(s, in, NULL, 0);
	expect_label(r, "ok", "low"); /* "both" fired without stopping, then "low" */
	assert_string_equal(eic_rating_result_explanation(r), "Ok: cod below 50 (gate 'low')");
	eic_rating_result_free(r);
	/* all-match gate with one input missing and the other holding: undecided, named */
	eic_rating_inputs_free(in);
	in = inputs();
	eic_rating_inputs_set_number(in, "bod", 31);
	r = eval(s, in, NULL, 0);
	assert_false(eic_rating_result_complete(r));
	assert_int_equal(eic_rating_result_missing_count(r), 1);
	assert_string_equal(eic_rating_result_missing(r, 0), "flow");
	assert_string_equal(eic_rating_result_explanation(r), "Not rated: missing input flow");
	eic_rating_result_free(r);
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
	eic_diags_free(d);
}

/* Every allocation of loading and evaluating (with a peer group) made to fail in turn: each
 * call returns EIC_ENOMEM or succeeds, and nothing leaks (ASan). */
static void test_rating__allocation_failures(void **state)
{
	(void)state;
	char *text = NULL;
	size_t size = 0;
	text = eic_test_read_file(eic_test_src("data/rating/proper.json"), &size);
	assert_non_null(text);
	int done = 0;
	for (long n = 0; n < 100000 && !done; n++) {
		eic_rating_scheme *s = NULL;
		eic_rating_result *r = NULL;
		eic_rating_inputs *a = proper_actor(0.9), *b = proper_actor(0.7);
		eic_diags *d = NULL;
		assert_int_equal(eic_diags_new(&d, 10), 0);
		const eic_rating_inputs *peers[] = {b};
		eic_alloc_fail_after(n);
		int rc = eic_rating_scheme_load_buffer(&s, d, "proper.json", text, size);
		if (rc == 0)
			rc = eic_rating_evaluate(&r, s, a, peers, 1);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			expect_label(r, "gold", "gold_best_share");
			done = 1;
		} else
			assert_int_equal(rc, EIC_ENOMEM);
		eic_rating_result_free(r);
		eic_rating_scheme_free(s);
		eic_rating_inputs_free(a);
		eic_rating_inputs_free(b);
		eic_diags_free(d);
	}
	assert_true(done);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rating__proper_gates),
	    cmocka_unit_test(test_rating__proper_green_gold),
	    cmocka_unit_test(test_rating__missing_inputs_named),
	    cmocka_unit_test(test_rating__cepi_hand_examples),
	    cmocka_unit_test(test_rating__cepi_band_boundaries),
	    cmocka_unit_test(test_rating__eip_framework),
	    cmocka_unit_test(test_rating__malformed_schemes),
	    cmocka_unit_test(test_rating__own_scheme),
	    cmocka_unit_test(test_rating__gate_forms),
	    cmocka_unit_test(test_rating__allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
