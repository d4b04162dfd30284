/* test_indicators.c: unit tests of the indicators (src/lib/monitor/indicators.c) on a small
 * cluster whose values are worked by hand: intensities, productivity, waste rates by R/D fate,
 * eco-efficiency, compliance, symbiosis and circularity from flows, cluster sums, missing
 * inputs named (never zero), and trends (change, compound rate, least-squares slope). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/indicators.h>

#include "testutil.h"

/* Expected values are short decimals worked by hand; 1e-12 absolute + 1e-12 relative. */
#define ABS_TOL 1e-12
#define REL_TOL 1e-12

static void near(double expected, double actual, const char *what)
{
	if (!(fabs(expected - actual) <= ABS_TOL + REL_TOL * fabs(expected)))
		fail_msg("%s: expected %.15g, got %.15g", what, expected, actual);
}

typedef struct {
	eic_cluster *cluster;
	eic_measure_set *set;
} fixture;

static void add(eic_measure_set *set, const char *actor, eic_measure_kind kind, const char *subject,
                const char *year, double value, const char *unit)
{
	eic_measurement m;
	char start[11], end[11];
	eic_measurement_init(&m);
	assert_int_equal(eic_measure_period_parse(start, end, year), 0);
	m.actor = actor;
	m.kind = kind;
	m.subject = subject;
	m.start = start;
	m.end = end;
	m.value = value;
	m.unit = unit;
	m.reported_by = "test";
	if (kind == EIC_MEASURE_WASTE) {
		m.fate_code = subject[0] == 'R' || subject[0] == 'D' ? subject : "";
		m.subject = "NONHW";
	}
	if (kind == EIC_MEASURE_EMISSION)
		m.medium = EIC_MEDIUM_AIR;
	if (eic_measure_add(NULL, set, &m) != 0)
		fail_msg("adding a record: %s", eic_measure_set_errmsg(set));
}

static void add_limit(eic_measure_set *set, const char *actor, const char *year, double conc,
                      double limit)
{
	eic_measurement m;
	char start[11], end[11];
	eic_measurement_init(&m);
	assert_int_equal(eic_measure_period_parse(start, end, year), 0);
	m.actor = actor;
	m.kind = EIC_MEASURE_EMISSION;
	m.subject = "NOX";
	m.medium = EIC_MEDIUM_AIR;
	m.start = start;
	m.end = end;
	m.value = 1000;
	m.unit = "kg";
	m.concentration = conc;
	m.concentration_unit = "mg/m3";
	m.limit = limit;
	m.limit_unit = "mg/m3";
	m.reported_by = "test";
	if (eic_measure_add(NULL, set, &m) != 0)
		fail_msg("adding a record: %s", eic_measure_set_errmsg(set));
}

/*
 * Actor a: value added 1000, 1100, 1210 EUR; energy 500, 495, 484 GJ; raw material 250, 250,
 * 242 t; water 100 m3 in 2021 only; production 100 t in 2021 only; CO2 100 000 kg in 2021;
 * waste 2021: 40 t R4 + 10 t D1; 2022: 45 t R4 + 5 t D1; 2023: 48 t R1 + 2 t D1. Two NOx
 * measurements in 2022: 30 mg/m3 and 60 mg/m3 against 50 mg/m3.
 * Actor b: 2021 value added 500 EUR, energy 300 GJ.
 * Flows of model period 2021: market -> a 100 t, b -> a 50 t, b -> landfill 50 t.
 */
static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(eic_cluster_new(&f->cluster), 0);
	eic_cluster_info info = {0};
	info.id = "t";
	info.name = "test";
	info.currency = "EUR";
	info.mass_unit = "t";
	assert_int_equal(eic_cluster_set_info(f->cluster, &info), 0);
	eic_period p = {"2021", "2021-01-01", "2021-12-31", NULL};
	assert_int_equal(eic_cluster_add_period(f->cluster, &p), 0);
	const char *ids[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		eic_actor ac = {0};
		ac.id = ids[i];
		ac.name = ids[i];
		ac.employees = -1;
		ac.value_added = NAN;
		ac.lat = ac.lon = NAN;
		assert_int_equal(eic_cluster_add_actor(f->cluster, &ac), 0);
	}
	eic_material mat = {0};
	mat.id = "slag";
	mat.name = "slag";
	assert_int_equal(eic_cluster_add_material(f->cluster, &mat), 0);
	const char *fl[][3] = {{"boundary:supply_market", "a", "f1"},
	                       {"b", "a", "f2"},
	                       {"b", "boundary:landfill", "f3"}};
	const double q[] = {100, 50, 50};
	for (int i = 0; i < 3; i++) {
		eic_flow flow = {0};
		flow.id = fl[i][2];
		flow.from = fl[i][0];
		flow.to = fl[i][1];
		flow.material = "slag";
		flow.quantity = q[i];
		flow.unit = "t";
		flow.period = "2021";
		flow.sd = flow.rel_sd = NAN;
		assert_int_equal(eic_cluster_add_flow(f->cluster, &flow), 0);
	}
	assert_int_equal(eic_measure_set_new(&f->set, NULL), 0);
	const char *years[] = {"2021", "2022", "2023"};
	const double va[] = {1000, 1100, 1210}, en[] = {500, 495, 484}, raw[] = {250, 250, 242};
	const double wr[] = {40, 45, 48}, wd[] = {10, 5, 2};
	const char *rcode[] = {"R4", "R4", "R1"};
	for (int y = 0; y < 3; y++) {
		add(f->set, "a", EIC_MEASURE_VALUE_ADDED, "", years[y], va[y], "EUR");
		add(f->set, "a", EIC_MEASURE_ENERGY, "electricity", years[y], en[y], "GJ");
		add(f->set, "a", EIC_MEASURE_RAW_MATERIAL, "ore", years[y], raw[y], "t");
		add(f->set, "a", EIC_MEASURE_WASTE, rcode[y], years[y], wr[y], "t");
		add(f->set, "a", EIC_MEASURE_WASTE, "D1", years[y], wd[y], "t");
	}
	add(f->set, "a", EIC_MEASURE_WATER_WITHDRAWAL, "", "2021", 100, "m3");
	add(f->set, "a", EIC_MEASURE_PRODUCTION, "zinc", "2021", 100, "t");
	add(f->set, "a", EIC_MEASURE_EMISSION, "CO2", "2021", 100000, "kg");
	add_limit(f->set, "a", "2022", 30, 50);
	add_limit(f->set, "a", "2022", 60, 50);
	add(f->set, "b", EIC_MEASURE_VALUE_ADDED, "", "2021", 500, "EUR");
	add(f->set, "b", EIC_MEASURE_ENERGY, "electricity", "2021", 300, "GJ");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	eic_measure_set_free(f->set);
	eic_cluster_free(f->cluster);
	free(f);
	return 0;
}

static const eic_indicator_value *get(const eic_indicators *ind, const char *scope, const char *id,
                                      const char *period)
{
	const eic_indicator_value *v = eic_indicators_get(ind, scope, id, period);
	if (!v)
		fail_msg("no value %s %s %s", scope ? scope : "(cluster)", id, period);
	return v;
}

static double val(const eic_indicators *ind, const char *scope, const char *id, const char *period)
{
	const eic_indicator_value *v = get(ind, scope, id, period);
	if (isnan(v->value))
		fail_msg("%s %s %s not computable: missing %s", scope ? scope : "(cluster)", id,
		         period, v->missing);
	return v->value;
}

static void test_indicators__actor_values(void **state)
{
	fixture *f = *state;
	eic_indicators *ind = NULL;
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, NULL), 0);
	assert_int_equal(eic_indicators_period_count(ind), 3);
	assert_string_equal(eic_indicators_period(ind, 0), "2021");
	assert_int_equal(eic_indicators_actor_count(ind), 2); /* c has no records */

	near(0.5, val(ind, "a", "energy_intensity_va", "2021"), "500 GJ / 1000 EUR");
	assert_string_equal(get(ind, "a", "energy_intensity_va", "2021")->unit, "GJ/EUR");
	near(0.45, val(ind, "a", "energy_intensity_va", "2022"), "495 / 1100");
	near(0.4, val(ind, "a", "energy_intensity_va", "2023"), "484 / 1210");
	near(4.0, val(ind, "a", "resource_productivity", "2021"), "1000 EUR / 250 t");
	near(5.0, val(ind, "a", "resource_productivity", "2023"), "1210 / 242");
	near(0.8, val(ind, "a", "waste_utilisation_rate", "2021"), "40 R / 50 t");
	near(0.96, val(ind, "a", "waste_utilisation_rate", "2023"), "48 R / 50 t");
	near(0.8, val(ind, "a", "recycling_rate", "2021"), "40 t R4 / 50 t");
	near(0.0, val(ind, "a", "recycling_rate", "2023"), "R1 is energy recovery");
	near(0.1, val(ind, "a", "water_intensity_va", "2021"), "100 m3 / 1000 EUR");
	near(5.0, val(ind, "a", "energy_intensity_product", "2021"), "500 GJ / 100 t");
	near(10.0, val(ind, "a", "eco_efficiency_co2", "2021"), "1000 EUR / 100 t CO2");
	near(2.0, val(ind, "a", "eco_efficiency_energy", "2021"), "1000 EUR / 500 GJ");
	near(0.5, val(ind, "a", "compliance_rate", "2022"), "1 of 2 within 50 mg/m3");
	near(100000.0, val(ind, "a", "release.CO2.air", "2021"), "CO2 release in kg");

	/* missing inputs: named, never zero */
	const eic_indicator_value *w = get(ind, "a", "water_intensity_va", "2022");
	assert_true(isnan(w->value));
	assert_string_equal(w->missing, "water withdrawal");
	const eic_indicator_value *p = get(ind, "a", "energy_intensity_product", "2023");
	assert_true(isnan(p->value));
	assert_string_equal(p->missing, "production");
	const eic_indicator_value *c = get(ind, "a", "compliance_rate", "2021");
	assert_true(isnan(c->value));
	assert_string_equal(c->missing, "emission measurements with an applicable standard");
	const eic_indicator_value *s = get(ind, "a", "symbiosis_rate", "2022");
	assert_true(isnan(s->value)); /* no model period 2022 */

	/* flows of 2021: a takes 50 of its 150 t from b; b sends 50 of 100 t to a */
	near(1.0 / 3.0, val(ind, "a", "symbiosis_rate", "2021"), "50 / 150 t from partners");
	near(0.5, val(ind, "b", "circularity_rate", "2021"), "b: 50 of 100 t used inside");
	eic_indicators_free(ind);
}

static void test_indicators__cluster_values(void **state)
{
	fixture *f = *state;
	eic_indicators *ind = NULL;
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, NULL), 0);
	/* cluster: ratio of sums over the actors that have both: (500 + 300) / (1000 + 500) */
	const eic_indicator_value *v = get(ind, NULL, "energy_intensity_va", "2021");
	near(800.0 / 1500.0, v->value, "cluster energy intensity 2021");
	assert_int_equal(v->coverage, 2);
	assert_true(v->cluster_scope);
	assert_string_equal(v->scope, "t");
	near(0.45, val(ind, NULL, "energy_intensity_va", "2022"), "only a in 2022");
	near(1500.0, val(ind, NULL, "value_added", "2021"), "cluster value added");
	near(1.0 / 3.0, val(ind, NULL, "symbiosis_rate", "2021"), "50 of 150 t enter from b");
	eic_indicators_free(ind);
}

static void test_indicators__trends(void **state)
{
	fixture *f = *state;
	eic_indicators *ind = NULL;
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, NULL), 0);
	const eic_indicator_trend *t = eic_indicators_find_trend(ind, "a", "energy_intensity_va");
	assert_non_null(t);
	assert_int_equal(t->stats.n, 3);
	assert_string_equal(t->first_period, "2021");
	assert_string_equal(t->last_period, "2023");
	near(-0.1, t->stats.change, "change 0.4 - 0.5");
	near(-0.2, t->stats.change_rel, "relative change -0.1 / 0.5");
	/* midpoints of 2021 and 2023 are 730 days apart: 730 / 365.2425 years */
	double years = 730.0 / 365.2425;
	near(years, t->stats.years, "years between midpoints");
	near(pow(0.8, 1.0 / years) - 1.0, t->stats.cagr, "compound annual rate");
	/* equally spaced by 365 days: slope = -0.05 per 365 days = -0.05 x 365.2425 / 365 */
	near(-0.05 * 365.2425 / 365.0, t->stats.slope_per_year, "least-squares slope");
	near(0.45, t->stats.previous, "previous value");
	near(-0.05 / 0.45, t->stats.change_prev_rel, "change from the previous period");
	assert_string_equal(t->note, "");
	/* lookups by name, as benchmarks and credit rules use them */
	const char *why = NULL;
	near(-0.2, eic_indicators_lookup(ind, "a", "energy_intensity_va.change_rel", NULL, &why),
	     "lookup change_rel");
	near(0.4, eic_indicators_lookup(ind, "a", "energy_intensity_va", NULL, &why),
	     "lookup the last period");
	assert_true(isnan(eic_indicators_lookup(ind, "a", "water_intensity_va.slope", NULL, &why)));
	assert_string_equal(why, "fewer than 2 periods with a value: no trend");
	/* water: one period only */
	t = eic_indicators_find_trend(ind, "a", "water_intensity_va");
	assert_int_equal(t->stats.n, 1);
	assert_true(isnan(t->stats.change));
	eic_indicators_free(ind);

	/* the trend arithmetic alone: two points give no slope; a negative start no rate */
	eic_trend_stats s;
	const double tt[] = {0, 1}, vv[] = {-1, 2};
	eic_trend_compute(&s, tt, vv, 2);
	near(3.0, s.change, "change");
	near(3.0, s.change_rel, "relative to |first|");
	assert_true(isnan(s.cagr));
	assert_true(isnan(s.slope_per_year));
	/* 3 points not equally spaced: t {0, 1, 3}, v {1, 2, 4}: slope 1 (they lie on a line) */
	const double t3[] = {0, 1, 3}, v3[] = {1, 2, 4};
	eic_trend_compute(&s, t3, v3, 3);
	near(1.0, s.slope_per_year, "slope of points on a line");
	near(pow(4.0, 1.0 / 3.0) - 1.0, s.cagr, "4x in 3 years");
}

static void test_indicators__options(void **state)
{
	fixture *f = *state;
	eic_indicators *ind = NULL;
	eic_indicators_options o = EIC_INDICATORS_OPTIONS_INIT;
	o.actor = "b";
	o.period = "2021";
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, &o), 0);
	assert_int_equal(eic_indicators_actor_count(ind), 1);
	assert_int_equal(eic_indicators_period_count(ind), 1);
	near(0.6, val(ind, "b", "energy_intensity_va", "2021"), "300 / 500");
	assert_null(eic_indicators_get(ind, NULL, "energy_intensity_va", "2021"));
	eic_indicators_free(ind);
	o.actor = "nobody";
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, &o), EIC_ENOTFOUND);
	o.actor = NULL;
	o.period = "2019";
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, &o), EIC_ENOTFOUND);
	o.period = "20x9";
	assert_int_equal(eic_indicators_compute(&ind, f->cluster, f->set, &o), EIC_EINVAL);
	assert_non_null(eic_indicator_def_find("energy_intensity_va.cagr"));
	assert_false(eic_indicator_def_find("energy_intensity_va.cagr")->higher_is_better);
	assert_non_null(eic_indicator_def_find("release.NOX.air"));
	assert_null(eic_indicator_def_find("nonsense"));
	eic_indicators_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_indicators__actor_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_indicators__cluster_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_indicators__trends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_indicators__options, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
