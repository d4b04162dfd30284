/* test_impact.c: unit tests of the impact module (src/lib/impact): the factor library, the
 * reference cases G1, G2, G6, E1, E2 (read from ../shared and hard-coded), and bad input. */
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
#include <eic/impact.h>

#include "testutil.h"
#include "util/util.h"

/* Tolerances: reference cases use the tolerance of their CSV row (G1/G2 1e-4 t CH4, G6 0.1 kg,
 * E1 1e-4, E2 0.1 MJ/kg); closed forms evaluated here are checked to 1e-9 absolute plus 1e-12
 * relative. */
#define ABS_TOL 1e-9
#define REL_TOL 1e-12

static void near_tol(double expected, double actual, double tol, const char *what)
{
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.12g, got %.12g (tolerance %g)", what, expected, actual,
		         tol);
}

static void near(double expected, double actual, const char *what)
{
	near_tol(expected, actual, ABS_TOL + REL_TOL * fabs(expected), what);
}

static eic_factors *shipped(void)
{
	eic_factors *f = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_factors_new(&f), 0);
	int rc = eic_factors_load_dir(f, eic_test_src("data/factors"), d);
	if (rc != 0) {
		char buf[512];
		for (size_t i = 0; i < eic_diags_count(d); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			print_error("%s\n", buf);
		}
		fail_msg("loading data/factors: %s", eic_strerror(rc));
	}
	assert_int_equal(eic_diags_errors(d), 0);
	assert_int_equal(eic_diags_warnings(d), 0);
	eic_diags_free(d);
	return f;
}

/* True when some diagnostic of `d` contains `text`. */
static int has_diag(const eic_diags *d, const char *text)
{
	for (size_t i = 0; i < eic_diags_count(d); i++)
		if (strstr(eic_diags_get(d, i)->message, text))
			return 1;
	return 0;
}

static void expect_diag(const eic_diags *d, const char *text)
{
	if (!has_diag(d, text)) {
		for (size_t i = 0; i < eic_diags_count(d); i++)
			print_error("  have: %s\n", eic_diags_get(d, i)->message);
		fail_msg("no diagnostic containing '%s'", text);
	}
}

/* ---- reading ../shared/data/reference/finance/reference_cases.csv -------------------- */

#define MAX_FIELDS 16

typedef struct {
	char inputs[512];
	char expected[256];
	double tolerance;
	int found;
} ref_case;

/* Split one CSV line (RFC 4180 quotes) into fields stored in `store`. */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *w = line, *r = line;
	while (n < max) {
		fields[n++] = w;
		int quoted = 0;
		if (*r == '"') {
			quoted = 1;
			r++;
		}
		for (; *r; r++) {
			if (quoted && *r == '"') {
				if (r[1] == '"') {
					*w++ = '"';
					r++;
					continue;
				}
				quoted = 0;
				continue;
			}
			if (!quoted && (*r == ',' || *r == '\n' || *r == '\r'))
				break;
			*w++ = *r;
		}
		char c = *r;
		*w++ = '\0';
		if (c != ',')
			break;
		r++;
	}
	return n;
}

static ref_case find_case(const char *path, const char *id)
{
	ref_case c;
	memset(&c, 0, sizeof(c));
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	char line[4096];
	char *fields[MAX_FIELDS];
	while (fgets(line, sizeof(line), fp)) {
		size_t n = split(line, fields, MAX_FIELDS);
		if (n < 9 || strcmp(fields[0], id) != 0)
			continue;
		snprintf(c.inputs, sizeof(c.inputs), "%s", fields[3]);
		snprintf(c.expected, sizeof(c.expected), "%s", fields[5]);
		c.tolerance = strtod(fields[6], NULL);
		c.found = 1;
		break;
	}
	fclose(fp);
	if (!c.found)
		fail_msg("case %s not in %s", id, path);
	assert_true(c.tolerance > 0);
	return c;
}

/* Numbers of "a / b / c" into out; returns how many. */
static size_t slash_list(const char *s, double *out, size_t max)
{
	size_t n = 0;
	while (n < max && *s) {
		char *end;
		out[n] = strtod(s, &end);
		if (end == s)
			break;
		n++;
		s = end;
		while (*s == ' ' || *s == '/')
			s++;
	}
	return n;
}

/* Value after "name=" in a "a=1; b=2" list; fails the test when absent. */
static double input_value(const char *inputs, const char *name)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "%s=", name);
	const char *p = inputs;
	while ((p = strstr(p, pat)) != NULL) {
		if (p == inputs || p[-1] == ' ' || p[-1] == ';')
			return strtod(p + strlen(pat), NULL);
		p++;
	}
	fail_msg("input %s not in '%s'", name, inputs);
	return 0;
}

/* ---- factor library --------------------------------------------------------------------- */

static void test_impact__factors_shipped(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	assert_true(eic_factors_count(f) > 200);
	for (size_t i = 0; i < eic_factors_count(f); i++) {
		const eic_factor *fa = eic_factors_at(f, i);
		assert_false(eic_str_empty(fa->source));
		assert_false(eic_str_empty(fa->unit));
		assert_true(fa->line > 1);
	}
	assert_null(eic_factors_at(f, eic_factors_count(f)));
	const eic_factor *k = eic_factors_get(f, "k", "food_waste/tropical_wet");
	assert_non_null(k);
	near(0.40, k->value, "k food tropical wet");
	assert_true(k->has_range);
	near(0.17, k->low, "k low");
	near(0.70, k->high, "k high");
	assert_true(k->checked);
	const eic_factor *mcf = eic_factors_get(f, "MCF", "managed_anaerobic");
	assert_non_null(mcf);
	assert_false(mcf->checked); /* R in the reference: not re-checked */
	const eic_factor *ncv = eic_factors_get(f, "NCV", "gas_diesel_oil");
	assert_non_null(ncv);
	assert_false(ncv->checked);
	assert_true(eic_factors_get(f, "EF_CO2", "gas_diesel_oil")->checked);
	assert_null(eic_factors_get(f, "k", "nappies_diapers/tropical_wet"));
	double g = 0;
	assert_int_equal(eic_factors_gwp(&g, f, "AR5", "CH4", NULL), 0);
	near(28, g, "GWP CH4 AR5");
	assert_int_equal(eic_factors_gwp(&g, f, "AR6", "N2O", NULL), 0);
	near(273, g, "GWP N2O AR6");
	assert_int_equal(eic_factors_gwp(&g, f, "AR4", "CO2", NULL), 0);
	near(1, g, "GWP CO2");
	eic_factors_free(f);
	eic_factors_free(NULL);

	/* the README's version line is the one compiled in */
	char *readme = eic_test_read_file(eic_test_src("data/factors/README.md"), NULL);
	assert_non_null(readme);
	char want[64];
	snprintf(want, sizeof(want), "version: %s\n", EIC_FACTORS_VERSION);
	assert_non_null(strstr(readme, want));
	free(readme);
}

static void test_impact__factors_errors_located(void **state)
{
	(void)state;
	eic_factors *f = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_factors_new(&f), 0);
	assert_int_equal(eic_diags_new(&d, 100), 0);
	const char *good = "parameter,key,value,unit,source,checked\n"
	                   "DOC,food_waste,0.15,fraction,\"IPCC 2006, Table 2.4\",yes\n";
	assert_int_equal(eic_factors_load_buffer(f, "good.csv", good, strlen(good), d), 0);
	assert_int_equal(eic_factors_count(f), 1);
	assert_string_equal(eic_factors_at(f, 0)->source, "IPCC 2006, Table 2.4");
	assert_false(eic_factors_at(f, 0)->has_range);

	const char *bad = "parameter,key,value,unit,low,high,source,checked\n"
	                  "DOC,garden_park,0.2x,fraction,,,src,yes\n"
	                  "DOC,wood,0.43,fraction,0.5,0.4,src,maybe\n"
	                  "DOC,wood,0.43,fraction,,,src,no\n"
	                  "DOC,paper,0.40,fraction,,,src,no\n"
	                  "DOC,paper,0.41,fraction,,,src,no\n";
	assert_int_equal(eic_factors_load_buffer(f, "bad.csv", bad, strlen(bad), d), EIC_EPARSE);
	assert_int_equal(eic_factors_count(f), 1); /* unchanged */
	assert_null(eic_factors_get(f, "DOC", "wood"));
	char buf[512];
	int seen_value = 0, seen_checked = 0, seen_dup = 0, seen_range = 0;
	for (size_t i = 0; i < eic_diags_count(d); i++) {
		eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
		if (strstr(buf, "bad.csv:2:17: error: value '0.2x'"))
			seen_value = 1;
		if (strstr(buf, "bad.csv:3:36: error: checked is 'maybe'"))
			seen_checked = 1;
		if (strstr(buf, "bad.csv:3:24: error: low 0.5 is above high 0.4"))
			seen_range = 1;
		if (strstr(buf, "bad.csv:6:5: error: factor DOC/paper already given on line 5"))
			seen_dup = 1;
	}
	if (!(seen_value && seen_checked && seen_dup && seen_range)) {
		for (size_t i = 0; i < eic_diags_count(d); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			print_error("%s\n", buf);
		}
		fail_msg("diagnostics not located as expected");
	}
	eic_diags_free(d);

	assert_int_equal(eic_diags_new(&d, 100), 0);
	const char *nocol = "parameter,key,value,unit,checked\n";
	assert_int_equal(eic_factors_load_buffer(f, "nocol.csv", nocol, strlen(nocol), d),
	                 EIC_EPARSE);
	expect_diag(d, "missing required column 'source'");
	const char *quote = "parameter,key,value,unit,source,checked\nDOC,x,1,f,\"open,yes\n";
	assert_int_equal(eic_factors_load_buffer(f, "q.csv", quote, strlen(quote), d), EIC_EPARSE);
	expect_diag(d, "never closed");
	assert_int_equal(eic_factors_load_buffer(f, "e.csv", "", 0, d), EIC_EPARSE);
	expect_diag(d, "empty factor table");
	assert_int_equal(eic_factors_load_file(f, "/nonexistent/factors.csv", d), EIC_ENOTFOUND);
	expect_diag(d, "cannot open the factor table");
	eic_diags_free(d);
	eic_factors_free(f);
}

static void test_impact__factors_override(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	size_t before = eic_factors_count(f);
	eic_factors *user = NULL;
	assert_int_equal(eic_factors_new(&user), 0);
	const char *t = "parameter,key,value,unit,source,checked,note\n"
	                "k,food_waste/tropical_wet,0.30,1/yr,site measurement 2026,no,cluster\n"
	                "DOC,market_waste,0.12,t C/t waste (wet),local survey,no,\n";
	assert_int_equal(eic_factors_load_buffer(user, "cluster.csv", t, strlen(t), NULL), 0);
	assert_int_equal(eic_factors_overlay(f, user), 0);
	eic_factors_free(user);
	assert_int_equal(eic_factors_count(f), before + 1);
	const eic_factor *k = eic_factors_get(f, "k", "food_waste/tropical_wet");
	near(0.30, k->value, "overridden k");
	assert_string_equal(k->source, "site measurement 2026");
	assert_string_equal(k->file, "cluster.csv");
	assert_int_equal(k->line, 2);
	/* a later table loaded into the same set overrides too */
	const char *t2 = "parameter,key,value,unit,source,checked\n"
	                 "k,food_waste/tropical_wet,0.35,1/yr,second,no\n";
	assert_int_equal(eic_factors_load_buffer(f, "later.csv", t2, strlen(t2), NULL), 0);
	near(0.35, eic_factors_get(f, "k", "food_waste/tropical_wet")->value, "later k");
	assert_int_equal(eic_factors_count(f), before + 1);
	eic_factors_free(f);
}

/* ---- first-order decay -------------------------------------------------------------------- */

/* G1 and G2 as published in reference_cases.csv: CH4 (t) in years 1..5. */
static const double g1_expected[5] = {0, 16.4840, 11.0496, 7.4067, 4.9649};
static const double g2_expected[5] = {16.4840, 11.0496, 7.4067, 4.9649, 3.3281};
#define G_TOL 1e-4

static void run_fod(const eic_factors *f, eic_fod_timing timing, double mass_t,
                    const double *expected, double tol, const char *label)
{
	eic_fod_options o = EIC_FOD_OPTIONS_INIT;
	o.timing = timing;
	o.horizon_years = 5;
	eic_fod_deposit dep = {"food_waste", 1, mass_t};
	eic_fod_result *r = NULL;
	assert_int_equal(eic_fod_run(&r, f, "tropical_wet", &dep, 1, &o, NULL), 0);
	assert_int_equal(eic_fod_result_years(r), 5);
	char what[64];
	for (size_t y = 0; y < 5; y++) {
		const eic_fod_year *e = eic_fod_result_year(r, y);
		assert_int_equal(e->year, y + 1);
		snprintf(what, sizeof(what), "%s CH4 year %zu", label, y + 1);
		near_tol(expected[y], e->ch4_emitted_t, tol, what);
		near(e->ch4_emitted_t * 28.0, e->co2e_t, "CO2e AR5");
	}
	assert_null(eic_fod_result_year(r, 5));
	near(75.0, eic_fod_result_year(r, 0)->ddocm_deposited_t, "DDOCm");
	eic_fod_result_free(r);
}

static void test_impact__fod_reference_shared(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/finance/reference_cases.csv");
	if (!path) {
		skip();
		return;
	}
	ref_case g1 = find_case(path, "G1");
	ref_case g2 = find_case(path, "G2");
	double e1[8], e2[8];
	assert_int_equal(slash_list(g1.expected, e1, 8), 5);
	assert_int_equal(slash_list(g2.expected, e2, 8), 5);
	/* the case's inputs, as a cluster override on top of the shipped factors */
	char table[1024];
	snprintf(table, sizeof(table),
	         "parameter,key,value,unit,source,checked\n"
	         "DOC,food_waste,%.17g,fraction,G1,no\n"
	         "DOCf,default,%.17g,fraction,G1,no\n"
	         "MCF,managed_anaerobic,%.17g,fraction,G1,no\n"
	         "F,default,%.17g,fraction,G1,no\n"
	         "OX,default,%.17g,fraction,G1,no\n"
	         "k,food_waste/tropical_wet,%.17g,1/yr,G1,no\n",
	         input_value(g1.inputs, "DOC"), input_value(g1.inputs, "DOCf"),
	         input_value(g1.inputs, "MCF"), input_value(g1.inputs, "F"),
	         input_value(g1.inputs, "OX"), input_value(g1.inputs, "k"));
	double w = input_value(g1.inputs, "W");
	eic_factors *f = shipped();
	assert_int_equal(eic_factors_load_buffer(f, "G1", table, strlen(table), NULL), 0);
	run_fod(f, EIC_FOD_TIMING_IPCC, w, e1, g1.tolerance, "G1");
	run_fod(f, EIC_FOD_TIMING_CDM, w, e2, g2.tolerance, "G2");
	eic_factors_free(f);
}

static void test_impact__fod_reference_builtin(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	/* the shipped defaults are G1's inputs: DOC 0.15, DOCf 0.5, MCF 1, F 0.5, OX 0, k 0.40 */
	run_fod(f, EIC_FOD_TIMING_IPCC, 1000, g1_expected, G_TOL, "G1");
	run_fod(f, EIC_FOD_TIMING_CDM, 1000, g2_expected, G_TOL, "G2");
	/* closed form: L0 = 1000 x 0.15 x 0.5 x 1 x 0.5 x 16/12 = 50 t */
	double q = exp(-0.4);
	near_tol(50 * (1 - q), 16.4840, G_TOL,
	         "hand G2 year 1"); /* not a library call: guards the table */
	eic_fod_options o = EIC_FOD_OPTIONS_INIT;
	o.timing = EIC_FOD_TIMING_CDM;
	o.horizon_years = 3;
	eic_fod_deposit dep = {"food_waste", 1, 1000};
	eic_fod_result *r = NULL;
	assert_int_equal(eic_fod_run(&r, f, "tropical_wet", &dep, 1, &o, NULL), 0);
	near(50 * q * (1 - q), eic_fod_result_year(r, 1)->ch4_emitted_t, "closed form year 2");
	near(75 * q * q * q, eic_fod_result_year(r, 2)->ddocm_accumulated_t, "stock year 3");
	eic_fod_result_free(r);
	eic_factors_free(f);
}

/* Properties over several deposits and waste types: IPCC with M = 13 is the CDM series one
 * year later; everything decomposes eventually (mass balance); M = 1 equals CDM. */
static void test_impact__fod_properties(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	eic_fod_deposit deps[] = {{"food_waste", 1, 500},
	                          {"paper_cardboard", 2, 120},
	                          {"wood_straw", 2, 80},
	                          {"garden_park", 4, 60},
	                          {"food_waste", 4, 250}};
	size_t nd = sizeof(deps) / sizeof(deps[0]);
	eic_fod_options o = EIC_FOD_OPTIONS_INIT;
	o.horizon_years = 400;
	eic_fod_result *ipcc = NULL, *cdm = NULL, *m1 = NULL;
	assert_int_equal(eic_fod_run(&ipcc, f, "boreal_temperate_wet", deps, nd, &o, NULL), 0);
	o.delay_months = 1;
	assert_int_equal(eic_fod_run(&m1, f, "boreal_temperate_wet", deps, nd, &o, NULL), 0);
	o.timing = EIC_FOD_TIMING_CDM;
	assert_int_equal(eic_fod_run(&cdm, f, "boreal_temperate_wet", deps, nd, &o, NULL), 0);
	double l0 = 0;
	const double doc[] = {0.15, 0.40, 0.43, 0.20, 0.15};
	for (size_t i = 0; i < nd; i++)
		l0 += deps[i].mass_t * doc[i] * 0.5 * 1.0 * 0.5 * 16.0 / 12.0;
	for (size_t y = 0; y + 1 < 400; y++) {
		near_tol(eic_fod_result_year(cdm, y)->ch4_emitted_t,
		         eic_fod_result_year(ipcc, y + 1)->ch4_emitted_t, 1e-12,
		         "IPCC M=13 is CDM one year later");
		near_tol(eic_fod_result_year(cdm, y)->ch4_emitted_t,
		         eic_fod_result_year(m1, y)->ch4_emitted_t, 1e-12, "IPCC M=1 is CDM");
	}
	/* slowest k is 0.03/yr (wood): after 400 years e^-12 of it is left */
	near_tol(l0, eic_fod_result_ch4_total_t(cdm), 1e-3, "all CH4 potential released");
	near_tol(eic_fod_result_ch4_total_t(cdm) * 28, eic_fod_result_co2e_total_t(cdm), 1e-9,
	         "CO2e total");
	eic_fod_result_free(ipcc);
	eic_fod_result_free(cdm);
	eic_fod_result_free(m1);
	eic_fod_result_free(NULL);

	/* recovery, oxidation and phi scale the series */
	eic_fod_options p = EIC_FOD_OPTIONS_INIT;
	p.horizon_years = 5;
	p.timing = EIC_FOD_TIMING_CDM;
	p.phi = 0.85;
	p.recovered_fraction = 0.2;
	p.cover_type = "managed_covered";
	p.gwp_set = "AR6";
	eic_fod_result *r = NULL;
	assert_int_equal(eic_fod_run(&r, f, "tropical_wet", deps, 1, &p, NULL), 0);
	near_tol(16.4840 / 2 * 0.85 * 0.8 * 0.9, eic_fod_result_year(r, 0)->ch4_emitted_t, 1e-4,
	         "phi x (1 - f) x (1 - OX)");
	near(eic_fod_result_year(r, 0)->ch4_emitted_t * 27.9, eic_fod_result_year(r, 0)->co2e_t,
	     "AR6");
	eic_fod_result_free(r);
	eic_factors_free(f);
}

static void test_impact__fod_bad_input(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	eic_fod_options o = EIC_FOD_OPTIONS_INIT;
	o.gwp_set = "AR7";
	o.site_type = "volcano";
	eic_fod_deposit deps[] = {
	    {"nappies_diapers", 1, 10}, {"food_waste", 3, -5}, {"moon_rock", 40, 1}};
	eic_fod_result *r = NULL;
	assert_int_equal(eic_fod_run(&r, f, "tropical_wet", deps, 3, &o, d), EIC_EINVALID);
	assert_null(r);
	expect_diag(d, "unknown GWP set 'AR7'");
	expect_diag(d, "no factor MCF/volcano");
	expect_diag(d, "no factor k/nappies_diapers/tropical_wet");
	expect_diag(d, "decay rate of waste type 'nappies_diapers' in climate zone tropical_wet");
	expect_diag(d, "mass of deposit 2 (food_waste, year 3) is -5");
	expect_diag(d, "no factor DOC/moon_rock");
	expect_diag(d, "deposit 3 (moon_rock) is in year 40, outside the horizon 1..30");
	eic_diags_free(d);

	assert_int_equal(eic_diags_new(&d, 100), 0);
	eic_fod_options ok = EIC_FOD_OPTIONS_INIT;
	assert_int_equal(eic_fod_run(&r, f, "tropical_humid", deps + 1, 0, &ok, d), EIC_EINVALID);
	expect_diag(d,
	            "unknown climate zone 'tropical_humid' (expected one of boreal_temperate_dry");
	ok.delay_months = 14;
	ok.horizon_years = 0;
	assert_int_equal(eic_fod_run(&r, f, "tropical_dry", NULL, 0, &ok, d), EIC_EINVALID);
	expect_diag(d, "delay of 14 months");
	expect_diag(d, "horizon of 0 years");
	ok = (eic_fod_options)EIC_FOD_OPTIONS_INIT;
	ok.version = 99;
	assert_int_equal(eic_fod_run(&r, f, "tropical_dry", NULL, 0, &ok, d), EIC_EINVAL);
	assert_int_equal(eic_fod_run(NULL, f, "tropical_dry", NULL, 0, NULL, d), EIC_EINVAL);
	/* no deposits is a valid, all-zero series */
	assert_int_equal(eic_fod_run(&r, f, "tropical_dry", NULL, 0, NULL, d), 0);
	assert_int_equal(eic_fod_result_years(r), 30);
	near(0, eic_fod_result_ch4_total_t(r), "empty");
	eic_fod_result_free(r);
	eic_diags_free(d);
	eic_factors_free(f);
}

/* ---- combustion and energy ------------------------------------------------------------- */

static void check_g6(const eic_factors *f, double co2_expected, double co2e_expected, double tol)
{
	eic_combustion c;
	assert_int_equal(
	    eic_combustion_compute(&c, f, "gas_diesel_oil", "energy_industries", 1.0, "AR5", NULL),
	    0);
	near(0.043, c.energy_tj, "energy TJ");
	near_tol(co2_expected, c.co2_kg, tol, "G6 kg CO2");
	near_tol(co2e_expected, c.co2e_kg, tol, "G6 kg CO2e AR5");
	near(0.043 * 3, c.ch4_kg, "CH4");
	near(0.043 * 0.6, c.n2o_kg, "N2O");
	near(0, c.co2_biogenic_kg, "biogenic");
	/* manufacturing has the same factors for diesel */
	assert_int_equal(
	    eic_combustion_compute(&c, f, "gas_diesel_oil", "manufacturing", 1.0, "AR5", NULL), 0);
	near_tol(co2e_expected, c.co2e_kg, tol, "G6 manufacturing");
}

static void test_impact__combustion_reference_shared(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/finance/reference_cases.csv");
	if (!path) {
		skip();
		return;
	}
	ref_case g6 = find_case(path, "G6");
	double e[4];
	assert_int_equal(slash_list(g6.expected, e, 4), 2);
	/* inputs "1 t diesel; NCV 43.0 TJ/Gg; CO2 74100; CH4 3; N2O 0.6 kg/TJ" = shipped factors */
	double mass, ncv, co2, ch4, n2o;
	assert_int_equal(sscanf(g6.inputs,
	                        "%lf t diesel; NCV %lf TJ/Gg; CO2 %lf; CH4 %lf; N2O %lf kg/TJ",
	                        &mass, &ncv, &co2, &ch4, &n2o),
	                 5);
	eic_factors *f = shipped();
	near(1.0, mass, "G6 mass");
	near(ncv, eic_factors_get(f, "NCV", "gas_diesel_oil")->value, "G6 NCV");
	near(co2, eic_factors_get(f, "EF_CO2", "gas_diesel_oil")->value, "G6 CO2");
	near(ch4, eic_factors_get(f, "EF_CH4", "gas_diesel_oil/energy_industries")->value, "CH4");
	near(n2o, eic_factors_get(f, "EF_N2O", "gas_diesel_oil/energy_industries")->value, "N2O");
	check_g6(f, e[0], e[1], g6.tolerance);
	eic_factors_free(f);
}

static void test_impact__combustion_builtin(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	check_g6(f, 3186.3, 3196.7, 0.1);
	eic_combustion c;
	/* biomass: CO2 is a memo item, CO2e is CH4 and N2O only */
	assert_int_equal(eic_combustion_compute(&c, f, "other_primary_solid_biomass", "residential",
	                                        2.0, "AR4", NULL),
	                 0);
	double tj = 2e-3 * 11.6;
	near(tj * 100000, c.co2_biogenic_kg, "biogenic CO2");
	near(0, c.co2_kg, "fossil CO2");
	near(tj * 300 * 25 + tj * 4 * 298, c.co2e_kg, "CO2e AR4");

	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_combustion_compute(&c, f, "unobtainium", "kitchen", -1, "AR9", d),
	                 EIC_EINVALID);
	expect_diag(d, "unknown combustion sector 'kitchen'");
	expect_diag(d, "mass of unobtainium burnt is -1");
	expect_diag(d, "unknown GWP set 'AR9'");
	expect_diag(d, "no factor NCV/unobtainium");
	expect_diag(d, "no factor EF_CO2/unobtainium");
	/* peat has no manufacturing CH4 factor in the table: named, not zero */
	assert_int_equal(eic_combustion_compute(&c, f, "peat", "manufacturing", 1, "AR5", d),
	                 EIC_EINVALID);
	expect_diag(d, "no factor EF_CH4/peat/manufacturing");
	near(0, c.co2e_kg, "no partial result");
	eic_diags_free(d);
	eic_factors_free(f);
}

static void check_e1_e2(const eic_factors *f, double kwh, double husk_kg, double lhv, double e1,
                        double tol1, double husk_t, double litres, double e2, double tol2)
{
	double eff = 0, mj = 0;
	assert_int_equal(eic_energy_efficiency(&eff, kwh, husk_kg, lhv, NULL), 0);
	near_tol(e1, eff, tol1, "E1 implied efficiency");
	assert_int_equal(eic_energy_fuel_energy(&mj, f, "motor_gasoline", litres, NULL), 0);
	near_tol(e2, mj / (husk_t * 1000), tol2, "E2 implied husk LHV MJ/kg");
	double back = 0;
	assert_int_equal(eic_energy_fuel_litres(&back, f, "motor_gasoline", mj, NULL), 0);
	near(litres, back, "litres round trip");
}

static void test_impact__energy_reference_shared(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/finance/reference_cases.csv");
	if (!path) {
		skip();
		return;
	}
	ref_case e1 = find_case(path, "E1");
	ref_case e2 = find_case(path, "E2");
	double kwh, kg, lhv, husk_t, litres, petrol_lhv, density;
	assert_int_equal(
	    sscanf(e1.inputs, "%lf kWh per %lf kg husk; husk LHV %lf", &kwh, &kg, &lhv), 3);
	assert_int_equal(sscanf(e2.inputs, "%lf t husk = %lf L petrol; petrol %lf MJ/kg x %lf kg/L",
	                        &husk_t, &litres, &petrol_lhv, &density),
	                 4);
	eic_factors *f = shipped();
	near(petrol_lhv, eic_factors_get(f, "NCV", "motor_gasoline")->value, "petrol NCV");
	near(density, eic_factors_get(f, "density", "motor_gasoline")->value, "petrol density");
	check_e1_e2(f, kwh, kg, lhv, strtod(e1.expected, NULL), e1.tolerance, husk_t, litres,
	            strtod(e2.expected, NULL), e2.tolerance);
	eic_factors_free(f);
}

static void test_impact__energy_builtin(void **state)
{
	(void)state;
	eic_factors *f = shipped();
	check_e1_e2(f, 1, 2, 13.5, 0.1333, 1e-4, 1, 415, 13.60, 0.1);
	double v = 0;
	/* fuel equivalents of 1 GJ */
	assert_int_equal(eic_energy_fuel_litres(&v, f, "gas_diesel_oil", 1000, NULL), 0);
	near(1000 / (43.0 * 0.84), v, "diesel litres");
	assert_int_equal(eic_energy_fuel_litres(&v, f, "other_kerosene", 1000, NULL), 0);
	near(1000 / (43.8 * 0.80), v, "kerosene litres");
	/* moisture: LHV_wet = LHV_dry (1 - w) - 2.443 w */
	assert_int_equal(eic_energy_lhv_wet(&v, 15.0, 0.5, NULL), 0);
	near(7.5 - 1.2215, v, "LHV wet");
	assert_int_equal(eic_energy_lhv_wet(&v, 18.0, 0, NULL), 0);
	near(18.0, v, "LHV dry");

	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_energy_lhv_wet(&v, 15, 1.0, d), EIC_EINVALID);
	expect_diag(d, "moisture content is 1");
	assert_int_equal(eic_energy_efficiency(&v, 1, 0, 13.5, d), EIC_EINVALID);
	expect_diag(d, "fuel mass is 0 kg");
	assert_int_equal(eic_energy_fuel_litres(&v, f, "natural_gas", 10, d), EIC_EINVALID);
	expect_diag(d, "no factor density/natural_gas");
	assert_int_equal(eic_energy_fuel_energy(&v, f, "motor_gasoline", NAN, d), EIC_EINVALID);
	expect_diag(d, "fuel volume (L) is nan");
	eic_diags_free(d);
	eic_factors_free(f);
}

static void test_impact__alloc_failures(void **state)
{
	(void)state;
	const char *t = "parameter,key,value,unit,low,high,source,checked\n"
	                "k,food_waste/tropical_wet,0.4,1/yr,0.17,0.7,\"IPCC, Table 3.3\",yes\n"
	                "DOC,food_waste,0.15,fraction,,,IPCC,yes\n"
	                "DOCf,default,0.5,fraction,,,IPCC,yes\n"
	                "F,default,0.5,fraction,,,IPCC,yes\n"
	                "MCF,managed_anaerobic,1,fraction,,,IPCC,no\n"
	                "OX,default,0,fraction,,,IPCC,no\n"
	                "gwp100,CO2/AR5,1,kg/kg,,,IPCC,yes\n"
	                "gwp100,CH4/AR5,28,kg/kg,,,IPCC,no\n";
	long n;
	eic_factors *f = NULL;
	for (n = 0;; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_factors_new(&f);
		if (rc == 0)
			rc = eic_factors_load_buffer(f, "t.csv", t, strlen(t), NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		eic_factors_free(f);
		f = NULL;
	}
	assert_true(n > 0);
	assert_int_equal(eic_factors_count(f), 8);
	eic_fod_deposit dep = {"food_waste", 1, 1000};
	for (n = 0;; n++) {
		eic_fod_result *r = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_fod_run(&r, f, "tropical_wet", &dep, 1, NULL, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			near_tol(16.4840, eic_fod_result_year(r, 1)->ch4_emitted_t, G_TOL, "G1");
			eic_fod_result_free(r);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(r);
	}
	assert_true(n > 0);
	eic_factors_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_impact__factors_shipped),
	    cmocka_unit_test(test_impact__factors_errors_located),
	    cmocka_unit_test(test_impact__factors_override),
	    cmocka_unit_test(test_impact__fod_reference_shared),
	    cmocka_unit_test(test_impact__fod_reference_builtin),
	    cmocka_unit_test(test_impact__fod_properties),
	    cmocka_unit_test(test_impact__fod_bad_input),
	    cmocka_unit_test(test_impact__combustion_reference_shared),
	    cmocka_unit_test(test_impact__combustion_builtin),
	    cmocka_unit_test(test_impact__energy_reference_shared),
	    cmocka_unit_test(test_impact__energy_builtin),
	    cmocka_unit_test(test_impact__alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
