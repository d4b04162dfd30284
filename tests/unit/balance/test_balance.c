/* test_balance.c: unit tests of the mass and energy balances (src/lib/analysis/balance.c) on a
 * small cluster built in code, every number checked by hand (docs/methods/balance.md). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <eic/eic.h>

#include "testutil.h"

/* Tolerances: amounts are sums of a few exact decimals, so 1e-9 absolute (t or GJ) and 1e-12
 * relative are ample; the rate flow depends on the length of a year, computed below. */
#define ABS_TOL 1e-9
#define REL_TOL 1e-12

static void assert_near(double expected, double actual, const char *what)
{
	double tol = ABS_TOL + REL_TOL * fabs(expected);
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.15g, got %.15g (tolerance %g)", what, expected, actual,
		         tol);
}

static void assert_nan(double actual, const char *what)
{
	if (!isnan(actual))
		fail_msg("%s: expected NaN, got %.15g", what, actual);
}

/* Ash flow f11: 10 t/yr over the half-year period h1 (2023-01-01..2023-06-30, 181 days). The
 * length of a year comes from the units module, so the expected value does too; it is checked
 * against 10 * 181 / 365 within 0.1% so that a wrong period length cannot pass. */
static double ash_t(void)
{
	double year_s = 0.0;
	assert_int_equal(eic_unit_convert(&year_s, 1.0, "yr", "s"), 0);
	double ash = 10.0 * 181.0 * 86400.0 / year_s;
	assert_true(fabs(ash - 10.0 * 181.0 / 365.0) < 1e-3 * ash);
	return ash;
}

static void add_material(eic_cluster *c, const char *id)
{
	eic_material m;
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.name = id;
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
}

static void add_property(eic_cluster *c, const char *material, const char *name, double value,
                         const char *unit)
{
	eic_property p;
	memset(&p, 0, sizeof(p));
	p.material = material;
	p.name = name;
	p.value = value;
	p.unit = unit;
	assert_int_equal(eic_cluster_add_property(c, &p), 0);
}

static void add_flow(eic_cluster *c, const char *id, const char *from, const char *to,
                     const char *material, double quantity, const char *unit, const char *period)
{
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	f.from = from;
	f.to = to;
	f.material = material;
	f.quantity = quantity;
	f.unit = unit;
	f.period = period;
	f.sd = NAN;
	f.rel_sd = NAN;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
}

/*
 * The test cluster "demo". Actor A (sawmill) has processes a_saw and a_dry; actor B (power
 * plant) has process b_boiler. Periods: "2023" (full year) and "h1" (first half, 181 days).
 *
 *   f1  supply_market -> a_saw     logs        100 t
 *   f2  a_saw -> a_dry             lumber       60 t        internal to A
 *   f3  a_saw -> b_boiler          bark         30 t        lhv 10 GJ/t -> 300 GJ
 *   f4  a_dry -> product_market    lumber       55 t
 *   f5  a_saw -> stock             sawdust       8 t        stock addition, no lhv
 *   f6  supply_market -> a_dry     wash_water   20 m3       density 1 t/m3 -> 20 t
 *   f7  a_dry -> water_body        wash_water   18 m3       -> 18 t
 *   f8  b_boiler -> A              electricity 5000 kWh     -> 18 GJ, energy only
 *   f9  B -> product_market        electricity 20000 kWh    -> 72 GJ
 *   f10 supply_market -> a_saw     pallets      40 item     count: skipped
 *   f11 b_boiler -> landfill       ash          10 t/yr     period h1 -> 10*181/365 t
 *   f12 stock -> b_boiler          bark          4 t        withdrawal: 4 t, 40 GJ
 *   f13 a_saw -> open_burning      bark          2 t        period h1: 2 t, 20 GJ
 */
static eic_cluster *demo_cluster(const char *mass_unit)
{
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);

	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "demo";
	info.name = "Demo cluster";
	info.country = "JP";
	info.currency = "JPY";
	info.mass_unit = mass_unit;
	info.catalogue = "none";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);

	eic_period p1 = {"2023", "2023-01-01", "2023-12-31", "calendar 2023"};
	eic_period p2 = {"h1", "2023-01-01", "2023-06-30", "first half"};
	assert_int_equal(eic_cluster_add_period(c, &p1), 0);
	assert_int_equal(eic_cluster_add_period(c, &p2), 0);

	eic_actor a;
	memset(&a, 0, sizeof(a));
	a.kind = EIC_ACTOR_FIRM;
	a.employees = -1;
	a.value_added = a.lat = a.lon = NAN;
	a.id = "A";
	a.name = "Sawmill";
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	a.id = "B";
	a.name = "Power plant";
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);

	eic_process p;
	memset(&p, 0, sizeof(p));
	p.id = "a_saw", p.actor = "A", p.name = "Sawing";
	assert_int_equal(eic_cluster_add_process(c, &p), 0);
	p.id = "a_dry", p.actor = "A", p.name = "Drying";
	assert_int_equal(eic_cluster_add_process(c, &p), 0);
	p.id = "b_boiler", p.actor = "B", p.name = "Boiler";
	assert_int_equal(eic_cluster_add_process(c, &p), 0);

	static const char *materials[] = {"logs",       "lumber",      "bark",    "sawdust",
	                                  "wash_water", "electricity", "pallets", "ash"};
	for (size_t i = 0; i < sizeof(materials) / sizeof(materials[0]); i++)
		add_material(c, materials[i]);
	add_property(c, "bark", "lhv", 10.0, "GJ/t");
	add_property(c, "wash_water", "density", 1.0, "t/m3");

	add_flow(c, "f1", "boundary:supply_market", "a_saw", "logs", 100, "t", "2023");
	add_flow(c, "f2", "a_saw", "a_dry", "lumber", 60, "t", "2023");
	add_flow(c, "f3", "a_saw", "b_boiler", "bark", 30, "t", "2023");
	add_flow(c, "f4", "a_dry", "boundary:product_market", "lumber", 55, "t", "2023");
	add_flow(c, "f5", "a_saw", "boundary:stock", "sawdust", 8, "t", "2023");
	add_flow(c, "f6", "boundary:supply_market", "a_dry", "wash_water", 20, "m3", "2023");
	add_flow(c, "f7", "a_dry", "boundary:water_body", "wash_water", 18, "m3", "2023");
	add_flow(c, "f8", "b_boiler", "A", "electricity", 5000, "kWh", "2023");
	add_flow(c, "f9", "B", "boundary:product_market", "electricity", 20000, "kWh", "2023");
	add_flow(c, "f10", "boundary:supply_market", "a_saw", "pallets", 40, "item", "2023");
	add_flow(c, "f11", "b_boiler", "boundary:landfill", "ash", 10, "t/yr", "h1");
	add_flow(c, "f12", "boundary:stock", "b_boiler", "bark", 4, "t", "2023");
	add_flow(c, "f13", "a_saw", "boundary:open_burning", "bark", 2, "t", "h1");
	return c;
}

typedef struct {
	const char *id;
	eic_balance_scope scope;
	double mass_in, mass_out, mass_stock, mass_imbalance, mass_rel;
	double energy_in, energy_out, energy_stock, energy_imbalance, energy_rel;
	size_t flow_count, skipped_count;
} expected_row;

static void check_row(const eic_balance_row *row, const expected_row *e)
{
	char what[128];
	assert_non_null(row);
	assert_string_equal(row->id, e->id);
	assert_int_equal(row->scope, e->scope);
#define CHECK(field)                                                                               \
	do {                                                                                       \
		snprintf(what, sizeof(what), "%s.%s", e->id, #field);                              \
		if (isnan(e->field))                                                               \
			assert_nan(row->field, what);                                              \
		else                                                                               \
			assert_near(e->field, row->field, what);                                   \
	} while (0)
	CHECK(mass_in);
	CHECK(mass_out);
	CHECK(mass_stock);
	CHECK(mass_imbalance);
	CHECK(mass_rel);
	CHECK(energy_in);
	CHECK(energy_out);
	CHECK(energy_stock);
	CHECK(energy_imbalance);
	CHECK(energy_rel);
#undef CHECK
	assert_int_equal(row->flow_count, e->flow_count);
	assert_int_equal(row->skipped_count, e->skipped_count);
}

typedef struct {
	eic_boundary_kind kind;
	double mass_in, mass_out, energy_in, energy_out;
} expected_boundary;

static void check_boundary(const eic_boundary_row *row, const expected_boundary *e)
{
	char what[64];
	assert_non_null(row);
	assert_int_equal(row->boundary, e->kind);
	const char *name = eic_boundary_kind_name(e->kind);
	snprintf(what, sizeof(what), "%s.mass_in", name);
	assert_near(e->mass_in, row->mass_in, what);
	snprintf(what, sizeof(what), "%s.mass_out", name);
	assert_near(e->mass_out, row->mass_out, what);
	snprintf(what, sizeof(what), "%s.energy_in", name);
	assert_near(e->energy_in, row->energy_in, what);
	snprintf(what, sizeof(what), "%s.energy_out", name);
	assert_near(e->energy_out, row->energy_out, what);
}

static eic_balance *compute(const eic_cluster *c, const char *period)
{
	eic_balance *b = NULL;
	eic_balance_options opts = EIC_BALANCE_OPTIONS_INIT;
	opts.period = period;
	assert_int_equal(eic_balance_compute(&b, c, &opts), 0);
	assert_non_null(b);
	return b;
}

/* All periods summed: every number of the worked example in docs/methods/balance.md. */
static void test_balance__all_periods(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = compute(c, NULL);
	const double L = ash_t();

	const expected_row rows[] = {
	    /* a_saw: in f1; out f2 f3 f13; stock f5; f10 skipped. Energy: bark out f3, f13. */
	    {"a_saw", EIC_SCOPE_PROCESS, 100, 92, 8, 0, 0, 0, 320, 0, -320, 1, 5, 1},
	    /* a_dry: in f2 f6; out f4 f7; no energy at all. */
	    {"a_dry", EIC_SCOPE_PROCESS, 80, 73, 0, 7, 7.0 / 80, 0, 0, 0, 0, NAN, 4, 0},
	    /* b_boiler: in f3; out f11 (t), f8 (GJ); withdrawal f12 is stock -4 t, -40 GJ. */
	    {"b_boiler", EIC_SCOPE_PROCESS, 30, L, -4, 34 - L, (34 - L) / 30, 300, 18, -40, 322,
	     322.0 / 300, 4, 0},
	    /* A: f2 internal; in f1 f6 f8(GJ); out f3 f4 f7 f13; stock f5; f10 skipped. */
	    {"A", EIC_SCOPE_ACTOR, 120, 105, 8, 7, 7.0 / 120, 18, 320, 0, -302, 302.0 / 320, 8, 1},
	    /* B: in f3; out f8 f9 (GJ), f11; stock f12. */
	    {"B", EIC_SCOPE_ACTOR, 30, L, -4, 34 - L, (34 - L) / 30, 300, 90, -40, 250, 250.0 / 300,
	     5, 0},
	    /* cluster: in f1 f6; out f4 f7 f9 f11 f13; stock f5 - f12; f10 skipped. */
	    {"demo", EIC_SCOPE_CLUSTER, 120, 75 + L, 4, 41 - L, (41 - L) / 120, 0, 92, -40, -52,
	     52.0 / 92, 9, 1},
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);
	assert_int_equal(eic_balance_row_count(b), n);
	for (size_t i = 0; i < n; i++)
		check_row(eic_balance_row_at(b, i), &rows[i]);
	assert_null(eic_balance_row_at(b, n));

	const eic_balance_row *r = eic_balance_row_at(b, 0);
	assert_string_equal(r->name, "Sawing");
	assert_string_equal(r->actor, "A");
	r = eic_balance_row_at(b, 3);
	assert_string_equal(r->name, "Sawmill");
	assert_null(r->actor);
	r = eic_balance_row_at(b, 5);
	assert_string_equal(r->name, "Demo cluster");

	/* The cluster imbalance is the sum of the actor imbalances (no flow is lost). */
	assert_near(eic_balance_row_at(b, 3)->mass_imbalance +
	                eic_balance_row_at(b, 4)->mass_imbalance,
	            eic_balance_row_at(b, 5)->mass_imbalance, "sum of actor mass imbalances");
	assert_near(eic_balance_row_at(b, 3)->energy_imbalance +
	                eic_balance_row_at(b, 4)->energy_imbalance,
	            eic_balance_row_at(b, 5)->energy_imbalance, "sum of actor energy imbalances");

	const expected_boundary bounds[] = {
	    {EIC_BOUNDARY_SUPPLY_MARKET, 120, 0, 0, 0}, {EIC_BOUNDARY_PRODUCT_MARKET, 0, 55, 0, 72},
	    {EIC_BOUNDARY_LANDFILL, 0, L, 0, 0},        {EIC_BOUNDARY_OPEN_BURNING, 0, 2, 0, 20},
	    {EIC_BOUNDARY_WATER_BODY, 0, 18, 0, 0},     {EIC_BOUNDARY_STOCK, 4, 8, 40, 0},
	};
	size_t nb = sizeof(bounds) / sizeof(bounds[0]);
	assert_int_equal(eic_balance_boundary_count(b), nb);
	for (size_t i = 0; i < nb; i++)
		check_boundary(eic_balance_boundary(b, i), &bounds[i]);
	assert_null(eic_balance_boundary(b, nb));

	eic_balance_free(b);
	eic_cluster_free(c);
}

/* Notes list every cross-dimension conversion and every skipped flow, in flow order. */
static void test_balance__notes(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = compute(c, NULL);
	static const char *notes[] = {
	    "flow f3: 30 t of bark counted as 300 GJ by lhv 10 GJ/t",
	    "flow f6: 20 m3 of wash_water counted as 20 t by density 1 t/m3",
	    "flow f7: 18 m3 of wash_water counted as 18 t by density 1 t/m3",
	    "flow f10: skipped (40 item of pallets: count, not convertible to t or GJ)",
	    "flow f12: 4 t of bark counted as 40 GJ by lhv 10 GJ/t",
	    "flow f13: 2 t of bark counted as 20 GJ by lhv 10 GJ/t",
	};
	size_t n = sizeof(notes) / sizeof(notes[0]);
	assert_int_equal(eic_balance_note_count(b), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(eic_balance_note(b, i), notes[i]);
	assert_null(eic_balance_note(b, n));

	/* Deterministic: a second run gives the same notes. */
	eic_balance *b2 = compute(c, NULL);
	assert_int_equal(eic_balance_note_count(b2), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(eic_balance_note(b2, i), eic_balance_note(b, i));
	eic_balance_free(b2);
	eic_balance_free(b);
	eic_cluster_free(c);
}

/* Period filter "h1": only f11 (ash, rate) and f13 (bark to open burning). */
static void test_balance__period_h1(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = compute(c, "h1");
	const double L = ash_t();
	const expected_row rows[] = {
	    {"a_saw", EIC_SCOPE_PROCESS, 0, 2, 0, -2, 1, 0, 20, 0, -20, 1, 1, 0},
	    {"a_dry", EIC_SCOPE_PROCESS, 0, 0, 0, 0, NAN, 0, 0, 0, 0, NAN, 0, 0},
	    {"b_boiler", EIC_SCOPE_PROCESS, 0, L, 0, -L, 1, 0, 0, 0, 0, NAN, 1, 0},
	    {"A", EIC_SCOPE_ACTOR, 0, 2, 0, -2, 1, 0, 20, 0, -20, 1, 1, 0},
	    {"B", EIC_SCOPE_ACTOR, 0, L, 0, -L, 1, 0, 0, 0, 0, NAN, 1, 0},
	    {"demo", EIC_SCOPE_CLUSTER, 0, 2 + L, 0, -2 - L, 1, 0, 20, 0, -20, 1, 2, 0},
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);
	assert_int_equal(eic_balance_row_count(b), n);
	for (size_t i = 0; i < n; i++)
		check_row(eic_balance_row_at(b, i), &rows[i]);

	const expected_boundary bounds[] = {
	    {EIC_BOUNDARY_LANDFILL, 0, L, 0, 0},
	    {EIC_BOUNDARY_OPEN_BURNING, 0, 2, 0, 20},
	};
	assert_int_equal(eic_balance_boundary_count(b), 2);
	for (size_t i = 0; i < 2; i++)
		check_boundary(eic_balance_boundary(b, i), &bounds[i]);

	assert_int_equal(eic_balance_note_count(b), 1);
	assert_string_equal(eic_balance_note(b, 0),
	                    "flow f13: 2 t of bark counted as 20 GJ by lhv 10 GJ/t");
	eic_balance_free(b);
	eic_cluster_free(c);
}

/* Period filter "2023": everything except f11 and f13. */
static void test_balance__period_2023(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = compute(c, "2023");
	const expected_row rows[] = {
	    {"a_saw", EIC_SCOPE_PROCESS, 100, 90, 8, 2, 0.02, 0, 300, 0, -300, 1, 4, 1},
	    {"a_dry", EIC_SCOPE_PROCESS, 80, 73, 0, 7, 7.0 / 80, 0, 0, 0, 0, NAN, 4, 0},
	    {"b_boiler", EIC_SCOPE_PROCESS, 30, 0, -4, 34, 34.0 / 30, 300, 18, -40, 322,
	     322.0 / 300, 3, 0},
	    {"A", EIC_SCOPE_ACTOR, 120, 103, 8, 9, 9.0 / 120, 18, 300, 0, -282, 282.0 / 300, 7, 1},
	    {"B", EIC_SCOPE_ACTOR, 30, 0, -4, 34, 34.0 / 30, 300, 90, -40, 250, 250.0 / 300, 4, 0},
	    {"demo", EIC_SCOPE_CLUSTER, 120, 73, 4, 43, 43.0 / 120, 0, 72, -40, -32, 32.0 / 72, 7,
	     1},
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);
	assert_int_equal(eic_balance_row_count(b), n);
	for (size_t i = 0; i < n; i++)
		check_row(eic_balance_row_at(b, i), &rows[i]);
	assert_int_equal(eic_balance_boundary_count(b), 4); /* supply, product, water, stock */
	assert_int_equal(eic_balance_note_count(b), 5);
	eic_balance_free(b);
	eic_cluster_free(c);
}

static void test_balance__unknown_period(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = (eic_balance *)&b; /* must be reset to NULL */
	eic_balance_options opts = EIC_BALANCE_OPTIONS_INIT;
	opts.period = "2099";
	assert_int_equal(eic_balance_compute(&b, c, &opts), EIC_ENOTFOUND);
	assert_null(b);
	eic_cluster_free(c);
}

/* A mass unit other than t: every mass figure scales by 1000, energy does not change. */
static void test_balance__mass_unit_kg(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster("kg");
	eic_balance *b = compute(c, "2023");
	const eic_balance_row *r = eic_balance_row_at(b, 0);
	assert_near(100000, r->mass_in, "a_saw.mass_in in kg");
	assert_near(90000, r->mass_out, "a_saw.mass_out in kg");
	assert_near(8000, r->mass_stock, "a_saw.mass_stock in kg");
	assert_near(0.02, r->mass_rel, "a_saw.mass_rel in kg");
	assert_near(300, r->energy_out, "a_saw.energy_out");
	assert_string_equal(eic_balance_note(b, 0),
	                    "flow f3: 30 t of bark counted as 300 GJ by lhv 10 GJ/t");
	assert_string_equal(eic_balance_note(b, 1),
	                    "flow f6: 20 m3 of wash_water counted as 20000 kg by density 1 t/m3");
	eic_balance_free(b);
	eic_cluster_free(c);
}

/* Unknown nodes are skipped with a note; a volume flow with density and lhv reaches the energy
 * balance through both properties. */
static void test_balance__unknown_node_and_two_step(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	add_material(c, "oil");
	add_property(c, "oil", "density", 0.8, "t/m3");
	add_property(c, "oil", "lhv", 40, "GJ/t");
	add_flow(c, "g1", "boundary:supply_market", "nowhere", "logs", 1, "t", "2023");
	add_flow(c, "g2", "boundary:supply_market", "b_boiler", "oil", 10, "m3", "2023");
	eic_balance *b = compute(c, "2023");
	size_t n = eic_balance_note_count(b);
	assert_int_equal(n, 5 + 3);
	assert_string_equal(eic_balance_note(b, 5), "flow g1: skipped (unknown node 'nowhere')");
	assert_string_equal(eic_balance_note(b, 6),
	                    "flow g2: 10 m3 of oil counted as 8 t by density 0.8 t/m3");
	assert_string_equal(eic_balance_note(b, 7), "flow g2: 10 m3 of oil counted as 320 GJ by "
	                                            "density 0.8 t/m3 and lhv 40 GJ/t");
	const eic_balance_row *r = eic_balance_row_at(b, 2); /* b_boiler */
	assert_near(38, r->mass_in, "b_boiler.mass_in with oil");
	assert_near(620, r->energy_in, "b_boiler.energy_in with oil");
	eic_balance_free(b);
	eic_cluster_free(c);
}

/* An empty cluster has one cluster row with zero flows and NaN relative imbalances. */
static void test_balance__empty(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_balance *b = NULL;
	assert_int_equal(eic_balance_compute(&b, c, NULL), 0);
	assert_int_equal(eic_balance_row_count(b), 1);
	const eic_balance_row *r = eic_balance_row_at(b, 0);
	assert_int_equal(r->scope, EIC_SCOPE_CLUSTER);
	assert_near(0, r->mass_imbalance, "empty.mass_imbalance");
	assert_nan(r->mass_rel, "empty.mass_rel");
	assert_nan(r->energy_rel, "empty.energy_rel");
	assert_int_equal(eic_balance_boundary_count(b), 0);
	assert_int_equal(eic_balance_note_count(b), 0);
	eic_balance_free(b);
	eic_cluster_free(c);
}

static void test_balance__invalid_arguments(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = NULL;
	assert_int_equal(eic_balance_compute(NULL, c, NULL), EIC_EINVAL);
	assert_int_equal(eic_balance_compute(&b, NULL, NULL), EIC_EINVAL);
	eic_balance_options opts = EIC_BALANCE_OPTIONS_INIT;
	opts.version = 99;
	assert_int_equal(eic_balance_compute(&b, c, &opts), EIC_EINVAL);
	assert_null(b);
	eic_balance_free(NULL);
	assert_int_equal(eic_balance_row_count(NULL), 0);
	assert_null(eic_balance_row_at(NULL, 0));
	assert_int_equal(eic_balance_note_count(NULL), 0);
	eic_cluster_free(c);
}

/* The result owns its strings: it stays valid after the cluster is freed. */
static void test_balance__outlives_cluster(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster(NULL);
	eic_balance *b = compute(c, NULL);
	eic_cluster_free(c);
	assert_string_equal(eic_balance_row_at(b, 2)->id, "b_boiler");
	assert_string_equal(eic_balance_row_at(b, 2)->actor, "B");
	assert_string_equal(eic_balance_row_at(b, 5)->name, "Demo cluster");
	eic_balance_free(b);
}

/* By material: a process takes 100 t of husk, gives 60 t of husk to landfill and 30 t of
 * ash to the market and puts 10 t of ash into stock; its aggregate row balances, and the
 * by-material rows say which material carries what. */
static void test_balance__by_material(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "bm";
	info.name = "By material";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period y = {"y", "2024-01-01", "2024-12-31", ""};
	assert_int_equal(eic_cluster_add_period(c, &y), 0);
	eic_actor a;
	memset(&a, 0, sizeof(a));
	a.id = "mill";
	a.name = "Mill";
	a.employees = -1;
	a.lat = a.lon = a.value_added = NAN;
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	eic_process p = {"burn", "mill", "Furnace", ""};
	assert_int_equal(eic_cluster_add_process(c, &p), 0);
	add_material(c, "husk");
	add_material(c, "ash");
	add_flow(c, "h1", "boundary:supply_market", "burn", "husk", 100, "t", "y");
	add_flow(c, "h2", "burn", "boundary:landfill", "husk", 60, "t", "y");
	add_flow(c, "a1", "burn", "boundary:product_market", "ash", 30, "t", "y");
	add_flow(c, "a2", "burn", "boundary:stock", "ash", 10, "t", "y");

	eic_balance_options o = EIC_BALANCE_OPTIONS_INIT;
	eic_balance *b = NULL;
	assert_int_equal(eic_balance_compute(&b, c, &o), 0);
	assert_int_equal(eic_balance_material_row_count(b), 0); /* not asked */
	eic_balance_free(b);

	o.by_material = 1;
	assert_int_equal(eic_balance_compute(&b, c, &o), 0);
	const eic_balance_row *agg = eic_balance_row_at(b, 0);
	assert_null(agg->material);
	assert_near(0.0, agg->mass_imbalance, "aggregate imbalance");
	/* process: husk, ash; actor: husk, ash; cluster: husk, ash */
	assert_int_equal(eic_balance_material_row_count(b), 6);
	const char *order[6][2] = {{"burn", "husk"}, {"burn", "ash"}, {"mill", "husk"},
	                           {"mill", "ash"},  {"bm", "husk"},  {"bm", "ash"}};
	for (size_t i = 0; i < 6; i++) {
		const eic_balance_row *r = eic_balance_material_row_at(b, i);
		assert_string_equal(r->id, order[i][0]);
		assert_string_equal(r->material, order[i][1]);
	}
	const eic_balance_row *husk = eic_balance_material_row_at(b, 0);
	assert_near(100.0, husk->mass_in, "husk in");
	assert_near(60.0, husk->mass_out, "husk out");
	assert_near(40.0, husk->mass_imbalance, "husk imbalance");
	assert_near(0.4, husk->mass_rel, "husk rel");
	const eic_balance_row *ash = eic_balance_material_row_at(b, 1);
	assert_near(0.0, ash->mass_in, "ash in");
	assert_near(30.0, ash->mass_out, "ash out");
	assert_near(10.0, ash->mass_stock, "ash stock");
	assert_near(-40.0, ash->mass_imbalance, "ash imbalance");
	assert_int_equal(ash->flow_count, 2);
	const eic_balance_row *cl_ash = eic_balance_material_row_at(b, 5);
	assert_int_equal(cl_ash->scope, EIC_SCOPE_CLUSTER);
	assert_near(30.0, cl_ash->mass_out, "cluster ash out");
	assert_near(10.0, cl_ash->mass_stock, "cluster ash stock");
	assert_null(eic_balance_material_row_at(b, 6));
	eic_balance_free(b);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_balance__all_periods),
	    cmocka_unit_test(test_balance__notes),
	    cmocka_unit_test(test_balance__period_h1),
	    cmocka_unit_test(test_balance__period_2023),
	    cmocka_unit_test(test_balance__unknown_period),
	    cmocka_unit_test(test_balance__mass_unit_kg),
	    cmocka_unit_test(test_balance__unknown_node_and_two_step),
	    cmocka_unit_test(test_balance__empty),
	    cmocka_unit_test(test_balance__invalid_arguments),
	    cmocka_unit_test(test_balance__outlives_cluster),
	    cmocka_unit_test(test_balance__by_material),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
