/* test_scenario.c: unit tests of impact scenarios: a hand-computed landfill-versus-composting
 * cluster, by-actor sums, missing factors and references, reproducible Monte Carlo, per-unit
 * figures, by-party intervals and activity ranges of changes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/eic.h>

#include "../testutil.h"

#define ABS_TOL 1e-6
#define REL_TOL 1e-9

static void assert_close(double got, double want, double abs_tol, double rel_tol)
{
	double tol = abs_tol + rel_tol * fabs(want);
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.12g, expected %.12g (tolerance %.3g)", got, want, tol);
}

/* Two firms: `a` landfills 1000 t of food waste a year, `b` 500 t; a candidate composting
 * facility `comp` (no outputs, no cost); a tropical wet site. */
static eic_cluster *small_cluster(void)
{
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "small";
	info.name = "small";
	info.currency = "USD";
	info.catalogue = "none";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period p = {"2020", "2020-01-01", "2020-12-31", ""};
	assert_int_equal(eic_cluster_add_period(c, &p), 0);
	const char *ids[] = {"a", "b"};
	for (int i = 0; i < 2; i++) {
		eic_actor a;
		memset(&a, 0, sizeof(a));
		a.id = ids[i];
		a.name = ids[i];
		a.employees = -1;
		a.value_added = a.lat = a.lon = NAN;
		assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	}
	eic_material m;
	memset(&m, 0, sizeof(m));
	m.id = "fw";
	m.name = "food waste";
	m.category = "biomass/food/food_waste";
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
	m.id = "mystery";
	m.name = "mystery";
	m.category = "unknown/stuff";
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
	const char *fids[] = {"f1", "f2"};
	double q[] = {1000, 500};
	for (int i = 0; i < 2; i++) {
		eic_flow f;
		memset(&f, 0, sizeof(f));
		f.id = fids[i];
		f.from = ids[i];
		f.to = "boundary:landfill";
		f.material = "fw";
		f.quantity = q[i];
		f.unit = "t";
		f.period = "2020";
		f.sd = NAN;
		f.rel_sd = 0.2;
		assert_int_equal(eic_cluster_add_flow(c, &f), 0);
	}
	eic_facility fa;
	memset(&fa, 0, sizeof(fa));
	fa.id = "comp";
	fa.name = "composting";
	fa.technology = "composting";
	fa.lat = fa.lon = NAN;
	fa.capacity_unit = "t/yr";
	fa.lifetime_yr = 10;
	assert_int_equal(eic_cluster_add_facility(c, &fa), 0);
	eic_facility_level lv = {"comp", "one", 2000, 0, 0};
	assert_int_equal(eic_cluster_add_facility_level(c, &lv), 0);
	return c;
}

static const char *const good_scenario = "{\n"
                                         "  \"eic_scenario\": 1,\n"
                                         "  \"cluster\": \"small\",\n"
                                         "  \"settings\": {\"climate_zone\": \"tropical_wet\", "
                                         "\"gwp\": \"AR5\", \"horizon_years\": 30},\n"
                                         "  \"alternatives\": [\n"
                                         "    {\"id\": \"compost\", \"changes\": [\n"
                                         "      {\"facility\": \"comp\", \"level\": \"one\"},\n"
                                         "      {\"reroute\": \"f1\", \"to\": \"facility:comp\"},\n"
                                         "      {\"reroute\": \"f2\", \"to\": \"facility:comp\"}\n"
                                         "    ]}\n"
                                         "  ]\n"
                                         "}\n";

static eic_factors *factors(void)
{
	eic_factors *f = NULL;
	assert_int_equal(eic_factors_new(&f), 0);
	assert_int_equal(eic_factors_load_dir(f, NULL, NULL), 0);
	return f;
}

static eic_scenario_result *evaluate(eic_cluster *c, const char *text, size_t draws, uint64_t seed)
{
	eic_scenario *s = NULL;
	eic_diags *d = NULL;
	eic_factors *f = factors();
	eic_scenario_result *r = NULL;
	eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
	o.draws = draws;
	o.seed = seed;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_scenario_read_buffer(&s, c, "t.json", text, strlen(text), d), 0);
	int rc = eic_scenario_evaluate(&r, c, s, 0, f, &o, d);
	if (rc != 0) {
		char buf[1024];
		for (size_t i = 0; i < eic_diags_count(d); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			print_message("%s\n", buf);
		}
	}
	assert_int_equal(rc, 0);
	eic_scenario_free(s);
	eic_factors_free(f);
	eic_diags_free(d);
	return r;
}

/* BAU: 1500 t food waste landfilled (managed anaerobic, tropical wet, IPCC timing M = 13,
 * 30 years). CH4 per t = 0.15 x 0.5 x 1.0 x 0.5 x 16/12 x (1 - e^{-0.4 x 29}) = 0.05 (1 -
 * e^{-11.6}); CO2e x 28 (AR5). Scenario: composting, wet basis: 4 kg CH4 and 0.3 kg N2O per
 * t: 1500 x (4 x 28 + 0.3 x 265) / 1000 = 287.25 t CO2e. Jobs: landfill 0.22 / kt,
 * composting 0.41 / kt. */
static void test_scenario__landfill_vs_composting(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	eic_scenario_result *r = evaluate(c, good_scenario, 0, 1);
	double bau = 1500.0 * 0.05 * (1.0 - exp(-0.4 * 29.0)) * 28.0;
	double scn = 1500.0 * (4.0 * 28.0 + 0.3 * 265.0) / 1000.0;
	const eic_impact_figure *g = eic_scenario_result_figure(r, EIC_IMPACT_GHG);
	assert_close(g->bau, bau, ABS_TOL, REL_TOL);
	assert_close(g->scenario, scn, ABS_TOL, REL_TOL);
	assert_close(g->change, scn - bau, ABS_TOL, REL_TOL);
	assert_close(eic_scenario_result_ghg(r, EIC_GHG_LANDFILL, EIC_GAS_CH4)->bau, bau, ABS_TOL,
	             REL_TOL);
	assert_close(eic_scenario_result_ghg(r, EIC_GHG_COMPOSTING, EIC_GAS_N2O)->scenario,
	             1500.0 * 0.3 * 265.0 / 1000.0, ABS_TOL, REL_TOL);
	const eic_impact_figure *l = eic_scenario_result_figure(r, EIC_IMPACT_LANDFILL);
	assert_close(l->bau, 1500, ABS_TOL, REL_TOL);
	assert_close(l->scenario, 0, ABS_TOL, REL_TOL);
	const eic_impact_figure *j = eic_scenario_result_figure(r, EIC_IMPACT_JOBS);
	assert_close(j->bau, 1.5 * 0.22, ABS_TOL, REL_TOL);
	assert_close(j->scenario, 1.5 * 0.41, ABS_TOL, REL_TOL);
	assert_true(eic_scenario_result_factor_count(r) > 5);
	assert_true(eic_scenario_result_note_count(r) > 0);
	eic_scenario_result_free(r);
	eic_cluster_free(c);
}

static void test_scenario__by_actor_sums(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	eic_scenario_result *r = evaluate(c, good_scenario, 0, 1);
	for (int k = 0; k < EIC_IMPACT__N; k++) {
		double bau = 0, scn = 0;
		for (size_t i = 0; i < eic_scenario_result_party_count(r); i++) {
			bau += eic_scenario_result_party(r, i)->bau[k];
			scn += eic_scenario_result_party(r, i)->scenario[k];
		}
		const eic_impact_figure *f = eic_scenario_result_figure(r, (eic_impact_category)k);
		assert_close(bau, f->bau, ABS_TOL, REL_TOL);
		assert_close(scn, f->scenario, ABS_TOL, REL_TOL);
	}
	/* actor a holds 2/3 of the BAU landfill methane */
	const eic_scenario_party *a = eic_scenario_result_party(r, 0);
	assert_string_equal(a->id, "a");
	assert_close(a->bau[EIC_IMPACT_GHG] * 1.5,
	             eic_scenario_result_figure(r, EIC_IMPACT_GHG)->bau, ABS_TOL, REL_TOL);
	eic_scenario_result_free(r);
	eic_cluster_free(c);
}

static void test_scenario__monte_carlo_reproducible(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	eic_scenario_result *r1 = evaluate(c, good_scenario, 500, 42);
	eic_scenario_result *r2 = evaluate(c, good_scenario, 500, 42);
	eic_scenario_result *r3 = evaluate(c, good_scenario, 500, 43);
	for (int k = 0; k < EIC_IMPACT__N; k++) {
		const eic_impact_figure *a = eic_scenario_result_figure(r1, (eic_impact_category)k);
		const eic_impact_figure *b = eic_scenario_result_figure(r2, (eic_impact_category)k);
		/* same seed: bit-identical */
		assert_memory_equal(&a->change_draws, &b->change_draws, sizeof(eic_interval));
		assert_memory_equal(&a->bau_draws, &b->bau_draws, sizeof(eic_interval));
	}
	const eic_impact_figure *g1 = eic_scenario_result_figure(r1, EIC_IMPACT_GHG);
	const eic_impact_figure *g3 = eic_scenario_result_figure(r3, EIC_IMPACT_GHG);
	assert_true(g1->change_draws.p05 <= g1->change_draws.mean);
	assert_true(g1->change_draws.mean <= g1->change_draws.p95);
	assert_true(g1->change_draws.p05 < g1->change_draws.p95);
	assert_true(g1->change_draws.mean != g3->change_draws.mean);
	eic_scenario_result_free(r1);
	eic_scenario_result_free(r2);
	eic_scenario_result_free(r3);
	eic_cluster_free(c);
}

/* The rng: the first outputs of xoshiro256** seeded by splitmix64(0) are fixed. */
static void test_scenario__rng(void **state)
{
	(void)state;
	eic_rng a, b;
	eic_rng_seed(&a, 7);
	eic_rng_seed(&b, 7);
	for (int i = 0; i < 100; i++)
		assert_true(eic_rng_next(&a) == eic_rng_next(&b));
	double sum = 0;
	for (int i = 0; i < 20000; i++) {
		double x = eic_rng_triangular(&a, 1.0, 2.0, 4.0);
		assert_true(x >= 1.0 && x <= 4.0);
		sum += x;
	}
	assert_close(sum / 20000.0, 7.0 / 3.0, 0.03, 0);
}

static int read_errors(const char *text, char *first, size_t size)
{
	eic_cluster *c = small_cluster();
	eic_scenario *s = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_scenario_read_buffer(&s, c, "bad.json", text, strlen(text), d);
	if (first && eic_diags_count(d))
		eic_diag_format(first, size, eic_diags_get(d, 0));
	eic_scenario_free(s);
	eic_diags_free(d);
	eic_cluster_free(c);
	return rc;
}

static void test_scenario__missing_references(void **state)
{
	(void)state;
	char msg[1024];
	const char *text = "{\"eic_scenario\": 1,\n"
	                   " \"alternatives\": [{\"id\": \"x\", \"changes\": [\n"
	                   "   {\"reroute\": \"nope\", \"to\": \"boundary:landfill\"}]}]}";
	assert_int_equal(read_errors(text, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "bad.json:3:16"));
	assert_non_null(strstr(msg, "unknown flow 'nope'"));
	text = "{\"eic_scenario\": 1, \"alternatives\": [{\"id\": \"x\", \"changes\": [\n"
	       "  {\"reroute\": \"f1\", \"to\": \"facility:ghost\"}]}]}";
	assert_int_equal(read_errors(text, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "bad.json:2:"));
	assert_non_null(strstr(msg, "unknown facility 'ghost'"));
	text = "{\"eic_scenario\": 1, \"settings\": {\"climate_zone\": \"arctic\"},"
	       " \"alternatives\": [{\"id\": \"x\"}]}";
	assert_int_equal(read_errors(text, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "unknown climate zone 'arctic'"));
	text = "{\"eic_scenario\": 1, \"alternatives\": [{\"id\": \"x\", \"changes\": [\n"
	       "  {\"exchange\": \"e\", \"from\": \"a\", \"to\": \"b\", \"material\": \"zz\","
	       " \"quantity\": 1}]}]}";
	assert_int_equal(read_errors(text, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "unknown material 'zz'"));
	assert_int_equal(read_errors("{\"eic_scenario\": 1", msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "malformed JSON"));
}

/* A flow whose material has no waste type: an error naming the flow, material and method. */
static void test_scenario__missing_factor(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = "f3";
	f.from = "a";
	f.to = "boundary:open_dumping";
	f.material = "mystery";
	f.quantity = 10;
	f.unit = "t";
	f.period = "2020";
	f.sd = f.rel_sd = NAN;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
	eic_scenario *s = NULL;
	eic_diags *d = NULL;
	eic_factors *fs = factors();
	eic_scenario_result *r = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(
	    eic_scenario_read_buffer(&s, c, "t.json", good_scenario, strlen(good_scenario), d), 0);
	assert_int_equal(eic_scenario_evaluate(&r, c, s, 0, fs, NULL, d), EIC_EINVALID);
	assert_null(r);
	assert_true(eic_diags_count(d) > 0);
	const char *msg = eic_diags_get(d, 0)->message;
	assert_non_null(strstr(msg, "flow 'f3'"));
	assert_non_null(strstr(msg, "material 'mystery'"));
	assert_non_null(strstr(msg, "open-dump methane"));
	eic_scenario_free(s);
	eic_factors_free(fs);
	eic_diags_free(d);
	eic_cluster_free(c);
}

/* The derived scenario: the composting facility has no input coefficient and nobody wants
 * the food waste, so the derived alternative changes nothing. */
static void test_scenario__derived_without_candidates(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	eic_scenario *s = NULL;
	eic_factors *fs = factors();
	eic_scenario_result *r = NULL;
	assert_int_equal(eic_scenario_derive(&s, c, NULL), 0);
	assert_int_equal(eic_scenario_alternative_count(s), 1);
	assert_true(eic_scenario_is_derived(s));
	assert_int_equal(eic_scenario_evaluate(&r, c, s, 0, fs, NULL, NULL), 0);
	assert_close(eic_scenario_result_figure(r, EIC_IMPACT_GHG)->change, 0, ABS_TOL, 0);
	eic_scenario_result_free(r);
	eic_scenario_free(s);
	eic_factors_free(fs);
	eic_cluster_free(c);
}

/* ---- per-unit figures, by-party intervals, activity ranges ---------------------------- */

/* The small cluster plus a product: `a` sells 200 t of widgets a year (flow p1). */
static eic_cluster *product_cluster(void)
{
	eic_cluster *c = small_cluster();
	eic_material m;
	memset(&m, 0, sizeof(m));
	m.id = "widget";
	m.name = "widget";
	m.category = "products/widget";
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = "p1";
	f.from = "a";
	f.to = "boundary:product_market";
	f.material = "widget";
	f.quantity = 200;
	f.unit = "t";
	f.period = "2020";
	f.sd = f.rel_sd = NAN;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
	return c;
}

/* Composting as in good_scenario, and production up from 200 to 250 t. */
static const char *const per_scenario =
    "{\"eic_scenario\": 1, \"settings\": {\"climate_zone\": \"tropical_wet\", \"gwp\": \"AR5\"},\n"
    " \"alternatives\": [{\"id\": \"compost\", \"changes\": [\n"
    "   {\"facility\": \"comp\", \"level\": \"one\"},\n"
    "   {\"reroute\": \"f1\", \"to\": \"facility:comp\"},\n"
    "   {\"reroute\": \"f2\", \"to\": \"facility:comp\"},\n"
    "   {\"set\": \"p1\", \"quantity\": 250}]}]}\n";

/* Evaluate `text` with options `o`; returns the status, the result in *out and the first
 * diagnostic in msg. */
static int evaluate_opts(eic_scenario_result **out, eic_cluster *c, const char *text,
                         const eic_scenario_options *o, char *msg, size_t size)
{
	eic_scenario *s = NULL;
	eic_diags *d = NULL;
	eic_factors *f = factors();
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_scenario_read_buffer(&s, c, "t.json", text, strlen(text), d), 0);
	*out = NULL;
	int rc = eic_scenario_evaluate(out, c, s, 0, f, o, d);
	if (msg) {
		msg[0] = '\0';
		if (eic_diags_count(d))
			snprintf(msg, size, "%s", eic_diags_get(d, 0)->message);
	}
	eic_scenario_free(s);
	eic_factors_free(f);
	eic_diags_free(d);
	return rc;
}

/* Per t of widget: BAU figures / 200, scenario figures / 250 (a calendar year, so money and
 * jobs per year are divided by the same quantities); the change is the difference of the
 * two ratios, not the absolute change / a reference. Same hand figures as
 * landfill_vs_composting. By flow and by material (the widgets sold) agree. */
static void test_scenario__per_unit_hand_computed(void **state)
{
	(void)state;
	eic_cluster *c = product_cluster();
	double bau = 1500.0 * 0.05 * (1.0 - exp(-0.4 * 29.0)) * 28.0;
	double scn = 1500.0 * (4.0 * 28.0 + 0.3 * 265.0) / 1000.0;
	for (int by = 0; by < 2; by++) {
		eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
		eic_scenario_result *r = NULL;
		char msg[1024];
		if (by == 0)
			o.per_flow = "p1";
		else
			o.per_material = "widget";
		assert_int_equal(evaluate_opts(&r, c, per_scenario, &o, msg, sizeof(msg)), 0);
		const eic_scenario_reference *ref = eic_scenario_result_reference(r);
		assert_non_null(ref);
		assert_string_equal(ref->material, "widget");
		assert_close(ref->bau, 200, ABS_TOL, REL_TOL);
		assert_close(ref->scenario, 250, ABS_TOL, REL_TOL);
		const eic_impact_figure *g = eic_scenario_result_figure(r, EIC_IMPACT_GHG);
		assert_close(g->bau, bau / 200.0, ABS_TOL, REL_TOL);
		assert_close(g->scenario, scn / 250.0, ABS_TOL, REL_TOL);
		assert_close(g->change, scn / 250.0 - bau / 200.0, ABS_TOL, REL_TOL);
		const eic_impact_figure *l = eic_scenario_result_figure(r, EIC_IMPACT_LANDFILL);
		assert_close(l->bau, 1500.0 / 200.0, ABS_TOL, REL_TOL);
		assert_close(l->scenario, 0, ABS_TOL, REL_TOL);
		const eic_impact_figure *j = eic_scenario_result_figure(r, EIC_IMPACT_JOBS);
		assert_close(j->bau, 1.5 * 0.22 / 200.0, ABS_TOL, REL_TOL);
		assert_close(j->scenario, 1.5 * 0.41 / 250.0, ABS_TOL, REL_TOL);
		assert_string_equal(eic_scenario_result_unit(r, EIC_IMPACT_GHG),
		                    "t CO2e per t of widget");
		assert_string_equal(eic_scenario_result_unit(r, EIC_IMPACT_COST),
		                    "USD per t of widget");
		assert_string_equal(eic_scenario_result_unit(r, EIC_IMPACT_JOBS),
		                    "FTE per t/yr of widget");
		/* by party: the same division, so the parties still sum to the cluster */
		double pb = 0, ps = 0;
		for (size_t i = 0; i < eic_scenario_result_party_count(r); i++) {
			pb += eic_scenario_result_party(r, i)->bau[EIC_IMPACT_GHG];
			ps += eic_scenario_result_party(r, i)->scenario[EIC_IMPACT_GHG];
		}
		assert_close(pb, g->bau, ABS_TOL, REL_TOL);
		assert_close(ps, g->scenario, ABS_TOL, REL_TOL);
		eic_scenario_result_free(r);
	}
	/* the draws: the reference is held at its central value, so with the same seed the
	 * per-unit BAU interval is the absolute one / 200 */
	{
		eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
		eic_scenario_result *a = NULL, *p = NULL;
		o.draws = 300;
		o.seed = 3;
		assert_int_equal(evaluate_opts(&a, c, per_scenario, &o, NULL, 0), 0);
		assert_null(eic_scenario_result_reference(a));
		assert_string_equal(eic_scenario_result_unit(a, EIC_IMPACT_GHG), "t CO2e");
		o.per_flow = "p1";
		assert_int_equal(evaluate_opts(&p, c, per_scenario, &o, NULL, 0), 0);
		const eic_impact_figure *ga = eic_scenario_result_figure(a, EIC_IMPACT_GHG);
		const eic_impact_figure *gp = eic_scenario_result_figure(p, EIC_IMPACT_GHG);
		assert_close(gp->bau_draws.p05, ga->bau_draws.p05 / 200.0, ABS_TOL, 1e-9);
		assert_close(gp->scenario_draws.p95, ga->scenario_draws.p95 / 250.0, ABS_TOL, 1e-9);
		eic_scenario_result_free(a);
		eic_scenario_result_free(p);
	}
	/* the file key does the same; per_off restores absolute figures */
	{
		const char *text =
		    "{\"eic_scenario\": 1, \"settings\": {\"climate_zone\": \"tropical_wet\", "
		    "\"gwp\": \"AR5\", \"per_flow\": \"p1\"},\n"
		    " \"alternatives\": [{\"id\": \"x\", \"changes\": [{\"set\": \"p1\", "
		    "\"quantity\": 250}]}]}";
		eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
		eic_scenario_result *r = NULL;
		assert_int_equal(evaluate_opts(&r, c, text, &o, NULL, 0), 0);
		assert_close(eic_scenario_result_figure(r, EIC_IMPACT_LANDFILL)->change,
		             1500.0 / 250.0 - 1500.0 / 200.0, ABS_TOL, REL_TOL);
		eic_scenario_result_free(r);
		o.per_off = 1;
		assert_int_equal(evaluate_opts(&r, c, text, &o, NULL, 0), 0);
		assert_null(eic_scenario_result_reference(r));
		assert_close(eic_scenario_result_figure(r, EIC_IMPACT_LANDFILL)->change, 0, ABS_TOL,
		             REL_TOL);
		eic_scenario_result_free(r);
	}
	eic_cluster_free(c);
}

/* A reference that does not exist, is zero in a case, or is not sold: refused, naming it. */
static void test_scenario__per_unit_bad(void **state)
{
	(void)state;
	eic_cluster *c = product_cluster();
	eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
	eic_scenario_result *r = NULL;
	char msg[1024];
	o.per_flow = "nope";
	assert_int_equal(evaluate_opts(&r, c, per_scenario, &o, msg, sizeof(msg)), EIC_EINVALID);
	assert_null(r);
	assert_non_null(strstr(msg, "unknown flow 'nope' for per-unit figures"));
	/* zero in the scenario */
	const char *zero = "{\"eic_scenario\": 1, \"settings\": {\"climate_zone\": "
	                   "\"tropical_wet\"}, \"alternatives\": [{\"id\": \"x\", \"changes\": "
	                   "[{\"set\": \"p1\", \"quantity\": 0}]}]}";
	o.per_flow = "p1";
	assert_int_equal(evaluate_opts(&r, c, zero, &o, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "reference flow 'p1' is 0 t in the scenario case"));
	/* a material nobody sells */
	o.per_flow = NULL;
	o.per_material = "fw";
	assert_int_equal(evaluate_opts(&r, c, per_scenario, &o, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "reference material 'fw'"));
	assert_non_null(strstr(msg, "found none"));
	/* a unit of another kind */
	o.per_material = "widget";
	o.per_unit = "m3";
	assert_int_equal(evaluate_opts(&r, c, per_scenario, &o, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "cannot convert 200 t to m3 for per-unit figures"));
	/* both at once: bad arguments */
	o.per_flow = "p1";
	o.per_unit = NULL;
	assert_int_equal(evaluate_opts(&r, c, per_scenario, &o, msg, sizeof(msg)), EIC_EINVAL);
	eic_cluster_free(c);
	/* in the file: file:line:column */
	const char *text = "{\"eic_scenario\": 1,\n \"settings\": {\"per_flow\": \"ghost\"},\n"
	                   " \"alternatives\": [{\"id\": \"x\"}]}";
	assert_int_equal(read_errors(text, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "bad.json:2:"));
	assert_non_null(strstr(msg, "unknown flow 'ghost' in 'per_flow'"));
}

/* By-party intervals: each contains the party's central change; same seed, same intervals;
 * where one party carries the whole change, its streaming (P-square) percentiles agree with
 * the exact ones of the cluster figure. */
static void test_scenario__actor_intervals(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
	eic_scenario_result *r1 = NULL, *r2 = NULL, *r3 = NULL;
	o.draws = 2000;
	o.seed = 11;
	assert_int_equal(evaluate_opts(&r1, c, good_scenario, &o, NULL, 0), 0);
	assert_int_equal(evaluate_opts(&r2, c, good_scenario, &o, NULL, 0), 0);
	o.seed = 12;
	assert_int_equal(evaluate_opts(&r3, c, good_scenario, &o, NULL, 0), 0);
	assert_int_equal(eic_scenario_result_party_count(r1), 3); /* a, b, facility comp */
	for (size_t i = 0; i < eic_scenario_result_party_count(r1); i++) {
		const eic_scenario_party *p = eic_scenario_result_party(r1, i);
		const eic_scenario_party *q = eic_scenario_result_party(r2, i);
		for (int k = 0; k < EIC_IMPACT__N; k++) {
			const eic_interval *iv = &p->change_draws[k];
			if (k != EIC_IMPACT_GHG && k != EIC_IMPACT_LANDFILL) {
				assert_true(isnan(iv->p05) && isnan(iv->p95));
				continue;
			}
			double central = p->scenario[k] - p->bau[k];
			double tol = 1e-9 * (fabs(central) + 1);
			assert_true(iv->p05 <= central + tol);
			assert_true(central <= iv->p95 + tol);
			assert_memory_equal(iv, &q->change_draws[k], sizeof(*iv));
		}
	}
	assert_true(eic_scenario_result_party(r1, 0)->change_draws[EIC_IMPACT_GHG].p05 !=
	            eic_scenario_result_party(r3, 0)->change_draws[EIC_IMPACT_GHG].p05);
	/* landfill of a: -1000 t times the flow's multiplier (rel_sd 0.2): the 90% interval is
	 * about -1000 (1 -+ 1.645 x 0.2) */
	const eic_interval *la =
	    &eic_scenario_result_party(r1, 0)->change_draws[EIC_IMPACT_LANDFILL];
	assert_close(la->p05, -1329, 40, 0);
	assert_close(la->p95, -671, 40, 0);
	eic_scenario_result_free(r1);
	eic_scenario_result_free(r2);
	eic_scenario_result_free(r3);
	/* one party carries the change: P-square against the exact type-7 percentiles */
	const char *only_a = "{\"eic_scenario\": 1, \"settings\": {\"climate_zone\": "
	                     "\"tropical_wet\", \"gwp\": \"AR5\"}, \"alternatives\": [{\"id\": "
	                     "\"x\", \"changes\": [{\"reroute\": \"f1\", \"to\": "
	                     "\"boundary:open_burning\"}]}]}";
	o.seed = 5;
	o.draws = 5000;
	o.actor_intervals = 1u << EIC_IMPACT_GHG;
	assert_int_equal(evaluate_opts(&r1, c, only_a, &o, NULL, 0), 0);
	const eic_impact_figure *g = eic_scenario_result_figure(r1, EIC_IMPACT_GHG);
	const eic_interval *ia = &eic_scenario_result_party(r1, 0)->change_draws[EIC_IMPACT_GHG];
	double width = g->change_draws.p95 - g->change_draws.p05;
	assert_string_equal(eic_scenario_result_party(r1, 0)->id, "a");
	assert_close(ia->mean, g->change_draws.mean, 1e-6 * width, 0);
	assert_close(ia->p05, g->change_draws.p05, 0.02 * width, 0);
	assert_close(ia->p95, g->change_draws.p95, 0.02 * width, 0);
	assert_true(isnan(eic_scenario_result_party(r1, 0)->change_draws[EIC_IMPACT_LANDFILL].p05));
	eic_scenario_result_free(r1);
	eic_cluster_free(c);
}

/* An added flow of 100 t of food waste to landfill: without a range its landfill change is
 * exactly 100 in every draw; with low 50 / high 200 (triangular) or rel_sd 0.3 the interval
 * widens and stays inside the range; --no-activity (activity_uncertainty 0) narrows it
 * again. */
static void test_scenario__activity_ranges(void **state)
{
	(void)state;
	eic_cluster *c = small_cluster();
	const char *fmt = "{\"eic_scenario\": 1, \"settings\": {\"climate_zone\": "
	                  "\"tropical_wet\", \"gwp\": \"AR5\"}, \"alternatives\": [{\"id\": \"x\", "
	                  "\"changes\": [{\"add\": \"extra\", \"from\": \"a\", \"to\": "
	                  "\"boundary:landfill\", \"material\": \"fw\", \"quantity\": 100%s}]}]}";
	const char *ranges[] = {"", ", \"low\": 50, \"high\": 200", ", \"rel_sd\": 0.3"};
	double width[3];
	for (int i = 0; i < 3; i++) {
		char text[1024];
		eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
		eic_scenario_result *r = NULL;
		snprintf(text, sizeof(text), fmt, ranges[i]);
		o.draws = 1000;
		o.seed = 2;
		assert_int_equal(evaluate_opts(&r, c, text, &o, NULL, 0), 0);
		const eic_impact_figure *l = eic_scenario_result_figure(r, EIC_IMPACT_LANDFILL);
		assert_close(l->change, 100, ABS_TOL, REL_TOL);
		width[i] = l->change_draws.p95 - l->change_draws.p05;
		if (i == 1) {
			assert_true(l->change_draws.p05 >= 50 && l->change_draws.p95 <= 200);
			/* triangular (50, 100, 200): mean 116.7 */
			assert_close(l->change_draws.mean, 350.0 / 3.0, 3, 0);
		}
		eic_scenario_result_free(r);
		if (i == 1) {
			o.activity_uncertainty = 0;
			assert_int_equal(evaluate_opts(&r, c, text, &o, NULL, 0), 0);
			l = eic_scenario_result_figure(r, EIC_IMPACT_LANDFILL);
			assert_close(l->change_draws.p95 - l->change_draws.p05, 0, 1e-9, 0);
			eic_scenario_result_free(r);
		}
	}
	assert_close(width[0], 0, 1e-9, 0);
	assert_true(width[1] > 50);
	assert_true(width[2] > 50);
	eic_cluster_free(c);
	/* bad ranges */
	char msg[1024];
	const char *bad =
	    "{\"eic_scenario\": 1, \"alternatives\": [{\"id\": \"x\", \"changes\": [\n"
	    "  {\"set\": \"f1\", \"quantity\": 10, \"low\": 20, \"high\": 30}]}]}";
	assert_int_equal(read_errors(bad, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "bad.json:2:"));
	assert_non_null(strstr(msg, "does not contain its quantity"));
	bad = "{\"eic_scenario\": 1, \"alternatives\": [{\"id\": \"x\", \"changes\": [\n"
	      "  {\"set\": \"f1\", \"quantity\": 10, \"low\": 5}]}]}";
	assert_int_equal(read_errors(bad, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "'low' without 'high'"));
	bad = "{\"eic_scenario\": 1, \"alternatives\": [{\"id\": \"x\", \"changes\": [\n"
	      "  {\"reroute\": \"f1\", \"to\": \"boundary:landfill\", \"rel_sd\": 0.1}]}]}";
	assert_int_equal(read_errors(bad, msg, sizeof(msg)), EIC_EINVALID);
	assert_non_null(strstr(msg, "key 'rel_sd' does not apply to a 'reroute' change"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scenario__landfill_vs_composting),
	    cmocka_unit_test(test_scenario__by_actor_sums),
	    cmocka_unit_test(test_scenario__monte_carlo_reproducible),
	    cmocka_unit_test(test_scenario__rng),
	    cmocka_unit_test(test_scenario__missing_references),
	    cmocka_unit_test(test_scenario__missing_factor),
	    cmocka_unit_test(test_scenario__derived_without_candidates),
	    cmocka_unit_test(test_scenario__per_unit_hand_computed),
	    cmocka_unit_test(test_scenario__per_unit_bad),
	    cmocka_unit_test(test_scenario__actor_intervals),
	    cmocka_unit_test(test_scenario__activity_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
