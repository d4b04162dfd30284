/* test_units.c: unit tests of the units module: every atom against independently written
 * factors, rates, compound units, mismatches, property conversions, syntax errors and kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eic/units.h"

/* Relative tolerance for every factor and conversion in this file. */
#define REL_TOL 1e-12

static void assert_close(double expected, double actual, const char *what)
{
	/* Purely relative: every expected value in this file is nonzero. */
	if (!(fabs(actual - expected) <= REL_TOL * fabs(expected))) {
		print_error("%s: expected %.17g, got %.17g\n", what, expected, actual);
		fail();
	}
}

/* Dimension exponents in eic_base_dim order: mass, length, time, energy, money, count. */
typedef struct {
	const char *text;
	int mass, length, time, energy, money, count;
	double factor; /* in kg, m, s, J, currency unit, item */
} atom_case;

/* Expected factors written from the definitions (NIST SP 811, IEA), not from the table. */
static const atom_case atom_cases[] = {
    /* mass */
    {"t", 1, 0, 0, 0, 0, 0, 1000.0},
    {"kg", 1, 0, 0, 0, 0, 0, 1.0},
    {"g", 1, 0, 0, 0, 0, 0, 0.001},
    {"mg", 1, 0, 0, 0, 0, 0, 0.000001},
    {"Mg", 1, 0, 0, 0, 0, 0, 1000.0},
    {"Gg", 1, 0, 0, 0, 0, 0, 1000000.0},
    {"kt", 1, 0, 0, 0, 0, 0, 1000000.0},
    {"Mt", 1, 0, 0, 0, 0, 0, 1000000000.0},
    {"lb", 1, 0, 0, 0, 0, 0, 0.45359237},
    {"ton_us", 1, 0, 0, 0, 0, 0, 907.18474},
    {"ton_uk", 1, 0, 0, 0, 0, 0, 1016.0469088},
    /* volume */
    {"m3", 0, 3, 0, 0, 0, 0, 1.0},
    {"L", 0, 3, 0, 0, 0, 0, 0.001},
    {"l", 0, 3, 0, 0, 0, 0, 0.001},
    {"mL", 0, 3, 0, 0, 0, 0, 0.000001},
    {"ml", 0, 3, 0, 0, 0, 0, 0.000001},
    {"ML", 0, 3, 0, 0, 0, 0, 1000.0},
    {"gal", 0, 3, 0, 0, 0, 0, 0.003785411784},
    {"Nm3", 0, 3, 0, 0, 0, 0, 1.0},
    /* energy */
    {"J", 0, 0, 0, 1, 0, 0, 1.0},
    {"kJ", 0, 0, 0, 1, 0, 0, 1000.0},
    {"MJ", 0, 0, 0, 1, 0, 0, 1000000.0},
    {"GJ", 0, 0, 0, 1, 0, 0, 1000000000.0},
    {"TJ", 0, 0, 0, 1, 0, 0, 1000000000000.0},
    {"PJ", 0, 0, 0, 1, 0, 0, 1000000000000000.0},
    {"Wh", 0, 0, 0, 1, 0, 0, 3600.0},
    {"kWh", 0, 0, 0, 1, 0, 0, 3600000.0},
    {"MWh", 0, 0, 0, 1, 0, 0, 3600000000.0},
    {"GWh", 0, 0, 0, 1, 0, 0, 3600000000000.0},
    {"TWh", 0, 0, 0, 1, 0, 0, 3600000000000000.0},
    {"toe", 0, 0, 0, 1, 0, 0, 41868000000.0},
    {"ktoe", 0, 0, 0, 1, 0, 0, 41868000000000.0},
    {"Mtoe", 0, 0, 0, 1, 0, 0, 41868000000000000.0},
    {"BTU", 0, 0, 0, 1, 0, 0, 1055.05585262},
    {"Btu", 0, 0, 0, 1, 0, 0, 1055.05585262},
    {"MMBtu", 0, 0, 0, 1, 0, 0, 1055055852.62},
    {"MMBTU", 0, 0, 0, 1, 0, 0, 1055055852.62},
    {"kcal", 0, 0, 0, 1, 0, 0, 4186.8},
    /* power */
    {"W", 0, 0, -1, 1, 0, 0, 1.0},
    {"kW", 0, 0, -1, 1, 0, 0, 1000.0},
    {"MW", 0, 0, -1, 1, 0, 0, 1000000.0},
    {"GW", 0, 0, -1, 1, 0, 0, 1000000000.0},
    /* time */
    {"s", 0, 0, 1, 0, 0, 0, 1.0},
    {"min", 0, 0, 1, 0, 0, 0, 60.0},
    {"h", 0, 0, 1, 0, 0, 0, 3600.0},
    {"d", 0, 0, 1, 0, 0, 0, 86400.0},
    {"wk", 0, 0, 1, 0, 0, 0, 604800.0},
    {"month", 0, 0, 1, 0, 0, 0, 2628000.0},
    {"yr", 0, 0, 1, 0, 0, 0, 31536000.0},
    {"a", 0, 0, 1, 0, 0, 0, 31536000.0},
    /* count */
    {"unit", 0, 0, 0, 0, 0, 1, 1.0},
    {"pcs", 0, 0, 0, 0, 0, 1, 1.0},
    {"head", 0, 0, 0, 0, 0, 1, 1.0},
    {"batch", 0, 0, 0, 0, 0, 1, 1.0},
    {"item", 0, 0, 0, 0, 0, 1, 1.0},
    /* area and distance */
    {"m2", 0, 2, 0, 0, 0, 0, 1.0},
    {"ha", 0, 2, 0, 0, 0, 0, 10000.0},
    {"km2", 0, 2, 0, 0, 0, 0, 1000000.0},
    {"m", 0, 1, 0, 0, 0, 0, 1.0},
    {"mm", 0, 1, 0, 0, 0, 0, 0.001},
    {"cm", 0, 1, 0, 0, 0, 0, 0.01},
    {"km", 0, 1, 0, 0, 0, 0, 1000.0},
    {"mi", 0, 1, 0, 0, 0, 0, 1609.344},
    /* transport work */
    {"tkm", 1, 1, 0, 0, 0, 0, 1000000.0},
    /* dimensionless */
    {"1", 0, 0, 0, 0, 0, 0, 1.0},
    {"%", 0, 0, 0, 0, 0, 0, 0.01},
    {"fraction", 0, 0, 0, 0, 0, 0, 1.0},
    {"ppm", 0, 0, 0, 0, 0, 0, 0.000001},
    /* money */
    {"USD", 0, 0, 0, 0, 1, 0, 1.0},
    {"JPY", 0, 0, 0, 0, 1, 0, 1.0},
};

static void check_unit(const char *text, int mass, int length, int time, int energy, int money,
                       int count, double factor)
{
	eic_unit u;
	int rc = eic_unit_parse(&u, text);
	if (rc != 0) {
		print_error("'%s' did not parse (%d)\n", text, rc);
		fail();
	}
	if (u.exp[EIC_DIM_MASS] != mass || u.exp[EIC_DIM_LENGTH] != length ||
	    u.exp[EIC_DIM_TIME] != time || u.exp[EIC_DIM_ENERGY] != energy ||
	    u.exp[EIC_DIM_MONEY] != money || u.exp[EIC_DIM_COUNT] != count) {
		print_error("'%s': wrong dimension\n", text);
		fail();
	}
	assert_close(factor, u.factor, text);
}

static double convert(double value, const char *from, const char *to)
{
	double out = NAN;
	int rc = eic_unit_convert(&out, value, from, to);
	if (rc != 0) {
		print_error("convert %s -> %s failed (%d)\n", from, to, rc);
		fail();
	}
	return out;
}

static void test_units__every_atom(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(atom_cases) / sizeof(atom_cases[0]); i++) {
		const atom_case *c = &atom_cases[i];
		check_unit(c->text, c->mass, c->length, c->time, c->energy, c->money, c->count,
		           c->factor);
	}
}

static void test_units__named_factors(void **state)
{
	(void)state;
	assert_close(41.868, convert(1, "toe", "GJ"), "toe->GJ");
	assert_close(0.45359237, convert(1, "lb", "kg"), "lb->kg");
	assert_close(1055.05585262, convert(1, "BTU", "J"), "BTU->J");
	assert_close(3.6, convert(1, "kWh", "MJ"), "kWh->MJ");
	assert_close(3.785411784, convert(1, "gal", "L"), "gal->L");
	assert_close(8760.0, convert(1, "yr", "h"), "yr->h");
	assert_close(365.0 / 12.0, convert(1, "month", "d"), "month->d");
	assert_close(2000.0, convert(1, "ton_us", "lb"), "ton_us->lb");
	assert_close(2240.0, convert(1, "ton_uk", "lb"), "ton_uk->lb");
	assert_close(1000.0, convert(1, "ktoe", "toe"), "ktoe->toe");
	assert_close(1.05505585262, convert(1, "MMBtu", "GJ"), "MMBtu->GJ");
	assert_close(4.1868, convert(1, "kcal", "kJ"), "kcal->kJ");
	assert_close(1.609344, convert(1, "mi", "km"), "mi->km");
	assert_close(100.0, convert(1, "km2", "ha"), "km2->ha");
	assert_close(1.0, convert(1, "Mg", "t"), "Mg->t");
	assert_close(1.0, convert(1, "Gg", "kt"), "Gg->kt");
	assert_close(1000.0, convert(1, "ML", "m3"), "ML->m3");
	assert_close(0.25, convert(25, "%", "1"), "%->1");
	assert_close(0.25, convert(25, "%", "fraction"), "%->fraction");
	assert_close(2500.0, convert(0.25, "%", "ppm"), "%->ppm");
}

static void test_units__rates(void **state)
{
	(void)state;
	assert_close(100000.0 / 365.0, convert(100, "t/yr", "kg/d"), "t/yr->kg/d");
	assert_close(24.0, convert(1, "m3/h", "m3/d"), "m3/h->m3/d");
	assert_close(1.0, convert(1, "MW", "MJ/s"), "MW->MJ/s");
	assert_close(31536.0, convert(1, "MW", "GJ/yr"), "MW->GJ/yr");
	assert_close(8760.0, convert(1, "kW", "kWh/yr"), "kW->kWh/yr");
	assert_close(1.0, convert(1, "W", "J/s"), "W->J/s");
	assert_close(15.0, convert(15, "GJ/t", "MJ/kg"), "GJ/t->MJ/kg");
	assert_close(800.0, convert(0.8, "t/m3", "kg/m3"), "t/m3->kg/m3");
	assert_close(0.001, convert(1, "USD/t", "USD/kg"), "USD/t->USD/kg");
	assert_close(3.6, convert(1, "kWh/t", "MJ/t"), "kWh/t->MJ/t");
	assert_close(1.0, convert(1, "kg/MWh", "g/kWh"), "kg/MWh->g/kWh");
	assert_close(0.001, convert(1, "L/km", "m3/km"), "L/km->m3/km");
}

static void test_units__compound(void **state)
{
	eic_unit a, b, c;
	(void)state;
	assert_int_equal(0, eic_unit_parse(&a, "t*km"));
	assert_int_equal(0, eic_unit_parse(&b, "t.km"));
	assert_int_equal(0, eic_unit_parse(&c, "tkm"));
	assert_true(eic_unit_compatible(&a, &b));
	assert_true(eic_unit_compatible(&a, &c));
	assert_close(1000000.0, a.factor, "t*km");
	assert_close(1000000.0, b.factor, "t.km");
	assert_close(1.0, convert(1000, "kg*km", "tkm"), "kg*km->tkm");
	assert_close(1.0, convert(1000, "t*m", "t*km"), "t*m->t*km");
	check_unit("m^3", 0, 3, 0, 0, 0, 0, 1.0);
	check_unit("km^2", 0, 2, 0, 0, 0, 0, 1000000.0);
	check_unit("km2", 0, 2, 0, 0, 0, 0, 1000000.0);
	check_unit("s^-1", 0, 0, -1, 0, 0, 0, 1.0);
	check_unit("t*yr^-1", 1, 0, -1, 0, 0, 0, 1000.0 / 31536000.0);
	check_unit("m3/t", -1, 3, 0, 0, 0, 0, 0.001);
	check_unit("kg/m3/d", 1, -3, -1, 0, 0, 0, 1.0 / 86400.0);
	check_unit("1/yr", 0, 0, -1, 0, 0, 0, 1.0 / 31536000.0);
	check_unit("%/yr", 0, 0, -1, 0, 0, 0, 0.01 / 31536000.0);
	check_unit("USD/t", -1, 0, 0, 0, 1, 0, 0.001);
	check_unit("USD/USD", 0, 0, 0, 0, 0, 0, 1.0);
	check_unit("m^9", 0, 9, 0, 0, 0, 0, 1.0);
	check_unit("m^-9", 0, -9, 0, 0, 0, 0, 1.0);
	check_unit("m3^3", 0, 9, 0, 0, 0, 0, 1.0);
	check_unit("MW*h", 0, 0, 0, 1, 0, 0, 3600000000.0);
	assert_close(1.0, convert(1, "MW*h", "MWh"), "MW*h->MWh");
}

static void test_units__whitespace(void **state)
{
	static const char *const ok[] = {" t",     "t ",        "\tt/yr\t", "t / yr",  "t * km",
	                                 "t . km", "  GJ /t  ", "USD / t",  "t/yr\r\n"};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		eic_unit u;
		if (eic_unit_parse(&u, ok[i]) != 0) {
			print_error("'%s' should parse\n", ok[i]);
			fail();
		}
	}
	assert_close(1000.0, convert(1, " t / yr ", "kg/yr"), "spaces");
}

static void test_units__bad_syntax(void **state)
{
	static const char *const bad[] = {
	    "",          " ",       "t/",      "/t",
	    "t//yr",     "tonnes",  "tonne",   "ton",
	    "t^0",       "t0",      "t^",      "t^10",
	    "t^-10",     "m^5*m^5", "USD*EUR", "USD/EUR",
	    "EUR*t/USD", "t km",    "t**km",   "t*",
	    "*t",        "mW",      "T",       "KG",
	    "usd",       "USDX",    "US",      "Kg",
	    "m^3^2",     "t^+1",    "m32",     "2",
	    "10",        "t/yr/",   "t-1",     "m³",
	    "Nm^3",      "t(yr)",   "kWH",     "Ton",
	    "y",         "tkm2x",   "t^99",    "t^100000000000000000000"};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		eic_unit u;
		int rc;
		memset(&u, 0x5a, sizeof(u));
		rc = eic_unit_parse(&u, bad[i]);
		if (rc != EIC_EUNIT) {
			print_error("'%s' should be EIC_EUNIT, got %d\n", bad[i], rc);
			fail();
		}
		/* A failed parse leaves a zeroed unit, never garbage. */
		assert_int_equal(0, u.exp[EIC_DIM_MASS]);
		assert_true(u.factor == 0.0);
		assert_string_equal("", u.currency);
	}
	assert_int_equal(EIC_EINVAL, eic_unit_parse(NULL, "t"));
	{
		eic_unit u;
		assert_int_equal(EIC_EINVAL, eic_unit_parse(&u, NULL));
	}
}

static void test_units__mismatch(void **state)
{
	static const char *const pairs[][2] = {
	    {"t", "m3"},        {"USD", "EUR"},  {"t/yr", "t"},   {"MW", "GJ"},   {"GJ", "t"},
	    {"USD/t", "EUR/t"}, {"m2", "m3"},    {"unit", "1"},   {"%", "t"},     {"tkm", "t"},
	    {"J", "W"},         {"m3/h", "t/h"}, {"tonnes", "t"}, {"t", "tonnes"}};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		double out = 42.0;
		int rc = eic_unit_convert(&out, 1.0, pairs[i][0], pairs[i][1]);
		if (rc != EIC_EUNIT) {
			print_error("%s -> %s should be EIC_EUNIT, got %d\n", pairs[i][0],
			            pairs[i][1], rc);
			fail();
		}
		assert_true(out == 42.0); /* untouched on failure */
	}
	assert_close(7.0, convert(7, "USD", "USD"), "same currency");
	assert_close(7.0, convert(7, "EUR/yr", "EUR/yr"), "money rate");
}

static void test_units__compatible(void **state)
{
	eic_unit a, b;
	(void)state;
	assert_int_equal(0, eic_unit_parse(&a, "USD/t"));
	assert_int_equal(0, eic_unit_parse(&b, "USD/kg"));
	assert_true(eic_unit_compatible(&a, &b));
	assert_string_equal("USD", a.currency);
	assert_int_equal(0, eic_unit_parse(&b, "EUR/kg"));
	assert_false(eic_unit_compatible(&a, &b));
	assert_int_equal(0, eic_unit_parse(&a, "t"));
	assert_string_equal("", a.currency);
	assert_int_equal(0, eic_unit_parse(&b, "Mg"));
	assert_true(eic_unit_compatible(&a, &b));
	assert_false(eic_unit_compatible(&a, NULL));
}

static double via(double value, const char *from, const char *to, double prop,
                  const char *prop_unit)
{
	double out = NAN;
	int rc = eic_unit_convert_via(&out, value, from, to, prop, prop_unit);
	if (rc != 0) {
		print_error("via %s -> %s with %s failed (%d)\n", from, to, prop_unit, rc);
		fail();
	}
	return out;
}

static void test_units__property(void **state)
{
	double out = 42.0;
	(void)state;
	assert_close(8.0, via(10, "m3", "t", 0.8, "t/m3"), "volume->mass");
	assert_close(120.0, via(8, "t", "GJ", 15, "GJ/t"), "mass->energy");
	assert_close(8.0, via(120, "GJ", "t", 15, "GJ/t"), "energy->mass");
	assert_close(12.5, via(10, "t", "m3", 0.8, "t/m3"), "mass->volume");
	assert_close(8000.0, via(10000, "L", "kg", 0.8, "kg/L"), "L->kg");
	assert_close(120000.0, via(8, "t", "MJ", 15, "MJ/kg"), "t->MJ with MJ/kg");
	assert_close(100.0 / 3.0, via(120000, "MJ/yr", "t/yr", 1, "kWh/kg"),
	             "energy rate->mass rate");
	assert_close(400.0, via(8, "t", "USD", 50, "USD/t"), "price");
	assert_close(5.0, via(10, "t", "t", 50, "%"), "dimensionless multiplies");
	assert_int_equal(EIC_EUNIT, eic_unit_convert_via(&out, 10, "m3", "GJ", 0.8, "t/m3"));
	assert_int_equal(EIC_EUNIT, eic_unit_convert_via(&out, 8, "t", "EUR", 50, "USD/t"));
	assert_int_equal(EIC_EUNIT, eic_unit_convert_via(&out, 8, "t", "GJ", 15, "GJ/tonne"));
	assert_int_equal(EIC_EINVAL, eic_unit_convert_via(&out, 120, "GJ", "t", 0, "GJ/t"));
	assert_true(out == 42.0);
}

static void test_units__kinds(void **state)
{
	static const struct {
		const char *text;
		eic_quantity_kind kind;
	} cases[] = {
	    {"1", EIC_KIND_DIMENSIONLESS},
	    {"%", EIC_KIND_DIMENSIONLESS},
	    {"t/t", EIC_KIND_DIMENSIONLESS},
	    {"t", EIC_KIND_MASS},
	    {"lb", EIC_KIND_MASS},
	    {"m3", EIC_KIND_VOLUME},
	    {"gal", EIC_KIND_VOLUME},
	    {"GJ", EIC_KIND_ENERGY},
	    {"kWh", EIC_KIND_ENERGY},
	    {"MW", EIC_KIND_POWER},
	    {"GJ/yr", EIC_KIND_POWER},
	    {"yr", EIC_KIND_TIME},
	    {"head", EIC_KIND_COUNT},
	    {"ha", EIC_KIND_AREA},
	    {"km", EIC_KIND_DISTANCE},
	    {"USD", EIC_KIND_MONEY},
	    {"t/yr", EIC_KIND_MASS_RATE},
	    {"kg/d", EIC_KIND_MASS_RATE},
	    {"m3/h", EIC_KIND_VOLUME_RATE},
	    {"pcs/wk", EIC_KIND_COUNT_RATE},
	    {"EUR/yr", EIC_KIND_MONEY_RATE},
	    {"t/m3", EIC_KIND_DENSITY},
	    {"GJ/t", EIC_KIND_SPECIFIC_ENERGY},
	    {"MJ/kg", EIC_KIND_SPECIFIC_ENERGY},
	    {"USD/t", EIC_KIND_UNKNOWN},
	    {"tkm", EIC_KIND_UNKNOWN},
	    {"kg/MWh", EIC_KIND_UNKNOWN},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eic_unit u;
		assert_int_equal(0, eic_unit_parse(&u, cases[i].text));
		if (eic_unit_kind(&u) != cases[i].kind) {
			print_error("'%s': kind %s, expected %s\n", cases[i].text,
			            eic_quantity_kind_name(eic_unit_kind(&u)),
			            eic_quantity_kind_name(cases[i].kind));
			fail();
		}
	}
	assert_int_equal(EIC_KIND_UNKNOWN, eic_unit_kind(NULL));
}

static void test_units__kind_names(void **state)
{
	(void)state;
	assert_string_equal("unknown", eic_quantity_kind_name(EIC_KIND_UNKNOWN));
	assert_string_equal("dimensionless", eic_quantity_kind_name(EIC_KIND_DIMENSIONLESS));
	assert_string_equal("mass", eic_quantity_kind_name(EIC_KIND_MASS));
	assert_string_equal("volume", eic_quantity_kind_name(EIC_KIND_VOLUME));
	assert_string_equal("energy", eic_quantity_kind_name(EIC_KIND_ENERGY));
	assert_string_equal("power", eic_quantity_kind_name(EIC_KIND_POWER));
	assert_string_equal("time", eic_quantity_kind_name(EIC_KIND_TIME));
	assert_string_equal("count", eic_quantity_kind_name(EIC_KIND_COUNT));
	assert_string_equal("area", eic_quantity_kind_name(EIC_KIND_AREA));
	assert_string_equal("distance", eic_quantity_kind_name(EIC_KIND_DISTANCE));
	assert_string_equal("money", eic_quantity_kind_name(EIC_KIND_MONEY));
	assert_string_equal("mass rate", eic_quantity_kind_name(EIC_KIND_MASS_RATE));
	assert_string_equal("volume rate", eic_quantity_kind_name(EIC_KIND_VOLUME_RATE));
	assert_string_equal("energy rate", eic_quantity_kind_name(EIC_KIND_ENERGY_RATE));
	assert_string_equal("count rate", eic_quantity_kind_name(EIC_KIND_COUNT_RATE));
	assert_string_equal("money rate", eic_quantity_kind_name(EIC_KIND_MONEY_RATE));
	assert_string_equal("density", eic_quantity_kind_name(EIC_KIND_DENSITY));
	assert_string_equal("specific energy", eic_quantity_kind_name(EIC_KIND_SPECIFIC_ENERGY));
	assert_string_equal("unknown", eic_quantity_kind_name((eic_quantity_kind)999));
}

static void check_dim_text(const char *unit_text, const char *expected)
{
	eic_unit u;
	char buf[64];
	size_t n;
	assert_int_equal(0, eic_unit_parse(&u, unit_text));
	n = eic_unit_dimension_text(buf, sizeof(buf), &u);
	assert_string_equal(expected, buf);
	assert_int_equal(strlen(expected), n);
}

static void test_units__dimension_text(void **state)
{
	eic_unit u;
	char small[6];
	size_t n;
	(void)state;
	check_dim_text("t/yr", "mass/time");
	check_dim_text("GJ/t", "energy/mass");
	check_dim_text("%", "dimensionless");
	check_dim_text("1", "dimensionless");
	check_dim_text("USD/t", "money[USD]/mass");
	check_dim_text("GJ", "energy");
	check_dim_text("m3", "length^3");
	check_dim_text("t/m3", "mass/length^3");
	check_dim_text("t*km", "mass*length");
	check_dim_text("1/yr", "1/time");
	check_dim_text("kg/m3/d", "mass/length^3/time");
	check_dim_text("MW", "energy/time");
	check_dim_text("pcs", "count");
	/* Truncation: returns the full length, stores what fits, NUL-terminated. */
	assert_int_equal(0, eic_unit_parse(&u, "t/yr"));
	n = eic_unit_dimension_text(small, sizeof(small), &u);
	assert_int_equal(strlen("mass/time"), n);
	assert_string_equal("mass/", small);
	assert_int_equal(strlen("mass/time"), eic_unit_dimension_text(NULL, 0, &u));
}

static void test_units__mul_div(void **state)
{
	eic_unit rate, lhv, price, eur, out, t;
	double value;
	(void)state;
	assert_int_equal(0, eic_unit_parse(&rate, "t/yr"));
	assert_int_equal(0, eic_unit_parse(&lhv, "GJ/t"));
	assert_int_equal(0, eic_unit_mul(&out, &rate, &lhv));
	assert_int_equal(EIC_KIND_POWER, eic_unit_kind(&out));
	assert_close(1e9 / 31536000.0, out.factor, "t/yr * GJ/t");

	assert_int_equal(0, eic_unit_parse(&t, "t"));
	assert_int_equal(0, eic_unit_div(&out, &t, &rate));
	assert_int_equal(EIC_KIND_TIME, eic_unit_kind(&out));
	assert_close(31536000.0, out.factor, "t / (t/yr)");

	/* Aliasing: out may be an operand. */
	out = rate;
	assert_int_equal(0, eic_unit_mul(&out, &out, &lhv));
	assert_int_equal(0, eic_unit_convert_parsed(&value, 1.0, &out, &out));
	assert_close(1.0, value, "aliasing");

	assert_int_equal(0, eic_unit_parse(&price, "USD/t"));
	assert_int_equal(0, eic_unit_mul(&out, &price, &rate));
	assert_int_equal(EIC_KIND_MONEY_RATE, eic_unit_kind(&out));
	assert_string_equal("USD", out.currency);
	assert_int_equal(0, eic_unit_div(&out, &price, &price));
	assert_int_equal(EIC_KIND_DIMENSIONLESS, eic_unit_kind(&out));
	assert_string_equal("", out.currency);

	assert_int_equal(0, eic_unit_parse(&eur, "EUR"));
	assert_int_equal(EIC_EUNIT, eic_unit_mul(&out, &price, &eur));
	assert_int_equal(EIC_EUNIT, eic_unit_div(&out, &price, &eur));

	/* Results stay within |9| per dimension. */
	assert_int_equal(0, eic_unit_parse(&out, "m^9"));
	assert_int_equal(EIC_EUNIT, eic_unit_mul(&out, &out, &out));
	assert_int_equal(EIC_EINVAL, eic_unit_mul(NULL, &rate, &lhv));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_units__every_atom), cmocka_unit_test(test_units__named_factors),
	    cmocka_unit_test(test_units__rates),      cmocka_unit_test(test_units__compound),
	    cmocka_unit_test(test_units__whitespace), cmocka_unit_test(test_units__bad_syntax),
	    cmocka_unit_test(test_units__mismatch),   cmocka_unit_test(test_units__compatible),
	    cmocka_unit_test(test_units__property),   cmocka_unit_test(test_units__kinds),
	    cmocka_unit_test(test_units__kind_names), cmocka_unit_test(test_units__dimension_text),
	    cmocka_unit_test(test_units__mul_div),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
