/* test_finance_file.c: unit tests of the finance project file, the projects built from a
 * cluster's facilities, the comparison of financing options and the report's finance section. */
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
#include <eic/finance.h>

#include "testutil.h"

/* Hand calculations are closed forms in double: 1e-9 absolute plus 1e-12 relative. */
static void near(double expected, double actual, const char *what)
{
	double tol = 1e-9 + 1e-12 * fabs(expected);
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.12g, got %.12g", what, expected, actual);
}

static eic_fin_case *read_example(const char *name)
{
	char rel[256];
	eic_diags *d = NULL;
	eic_fin_case *c = NULL;
	snprintf(rel, sizeof(rel), "tests/data/finance/%s", name);
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_fin_case_read(&c, d, eic_test_src(rel));
	for (size_t i = 0; i < eic_diags_count(d); i++)
		print_message("%s\n", eic_diags_get(d, i)->message);
	assert_int_equal(rc, 0);
	eic_diags_free(d);
	return c;
}

static double annuity_factor(double r, int n)
{
	return (1 - pow(1 + r, -n)) / r;
}

/* The manual's household biogas unit: values read back and the appraisal by hand. */
static void test_finance_file__biogas_example(void **state)
{
	(void)state;
	eic_fin_case *c = read_example("biogas_household.json");
	const eic_fin_project *p = eic_fin_case_project(c);
	assert_int_equal(p->life_years, 20);
	assert_int_equal(p->capex_count, 1);
	near(325, p->capex[0], "capex");
	near(120, p->avoided_cost, "avoided cost");
	near(5, p->opex_fixed, "opex");
	near(0.10, eic_fin_case_options(c)->discount_rate, "discount rate");
	assert_string_equal(eic_fin_case_currency(c), "USD");
	assert_int_equal(eic_fin_case_option_count(c), 4);
	assert_int_equal(eic_fin_case_option(c, 0)->instrument, EIC_FIN_INSTR_FLAT_LOAN);
	near(1, eic_fin_case_option(c, 0)->deposit_instalments, "deposit instalments");
	assert_false(eic_fin_case_options_are_defaults(c));
	assert_true(eic_fin_case_complete(c));

	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, p, eic_fin_case_options(c), NULL), 0);
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	/* NPV = -325 + 115 x (1 - 1.1^-20) / 0.1; payback 325 / 115 */
	near(-325 + 115 * annuity_factor(0.1, 20), s->after_tax.npv, "NPV");
	near(325.0 / 115.0, s->after_tax.payback, "payback");

	eic_fin_comparison *cmp = NULL;
	eic_fin_compare_options co = EIC_FIN_COMPARE_OPTIONS_INIT;
	co.currency = "USD";
	assert_int_equal(eic_fin_compare(&cmp, a, eic_fin_case_option(c, 0),
	                                 eic_fin_case_option_count(c), &co, NULL),
	                 0);
	assert_int_equal(eic_fin_comparison_count(cmp), 4);
	/* rank 1: 40 % subsidy (130) + 195 at 1 %/month over 24 months (L3d: 9.179327):
	 * year 0: -325 + 130 + 195 = 0; years 1-2: 115 - 12 x 9.179327 > 0 */
	const eic_fin_option_result *r = eic_fin_comparison_at(cmp, 0);
	assert_string_equal(r->option->id, "nepal");
	assert_true(r->closes);
	assert_int_equal(r->rank, 1);
	near(195, r->financed, "L3d principal");
	near(130, r->subsidy, "subsidy");
	assert_true(fabs(r->instalment - 9.179327) < 1e-6);
	near(0, r->min_cash, "lowest cash");
	/* the Wesco flat loan (L3): 16.791667 a month, one instalment held as deposit */
	const eic_fin_option_result *w = NULL;
	for (size_t i = 0; i < eic_fin_comparison_count(cmp); i++)
		if (!strcmp(eic_fin_comparison_at(cmp, i)->option->id, "wesco_flat"))
			w = eic_fin_comparison_at(cmp, i);
	assert_non_null(w);
	double inst = 403.0 / 24.0;
	near(inst, w->instalment, "L3 instalment");
	near(325 - inst, w->flows[0], "L3 year 0: principal less the deposit");
	near(-12 * inst, w->flows[1], "L3 year 1");
	near(-12 * inst + inst, w->flows[2], "L3 year 2: deposit returned");
	assert_false(w->closes);
	/* cash: -inst, -inst + 115 - 12 inst, then + 115 - 11 inst */
	double y1 = -inst + 115 - 12 * inst, y2 = y1 + 115 - 11 * inst;
	near(-y2, w->shortfall, "L3 shortfall");
	assert_int_equal(w->worst_year, 2);
	assert_non_null(strstr(eic_fin_comparison_verdict(cmp),
	                       "40 % subsidy plus a 2-year loan closes the gap"));
	eic_fin_comparison_free(cmp);
	eic_fin_appraisal_free(a);
	eic_fin_case_free(c);
}

/* Every shipped example reads, appraises and compares. */
static void test_finance_file__examples_round_trip(void **state)
{
	(void)state;
	static const char *const files[] = {"biogas_household.json", "pellet_mill.json",
	                                    "cetp.json"};
	static const size_t options[] = {4, 5, 4};
	for (size_t i = 0; i < 3; i++) {
		eic_fin_case *c = read_example(files[i]);
		eic_fin_appraisal *a = NULL;
		eic_fin_comparison *cmp = NULL;
		assert_int_equal(eic_fin_case_option_count(c), options[i]);
		assert_int_equal(
		    eic_fin_appraise(&a, eic_fin_case_project(c), eic_fin_case_options(c), NULL),
		    0);
		assert_int_equal(eic_fin_compare(&cmp, a, eic_fin_case_option(c, 0),
		                                 eic_fin_case_option_count(c), NULL, NULL),
		                 0);
		for (size_t k = 0; k < eic_fin_comparison_count(cmp); k++)
			assert_true(eic_fin_comparison_at(cmp, k)->valid);
		eic_fin_comparison_free(cmp);
		eic_fin_appraisal_free(a);
		eic_fin_case_free(c);
	}
	/* the CETP: two construction years, the first operating year 2 */
	eic_fin_case *c = read_example("cetp.json");
	assert_int_equal(eic_fin_case_project(c)->capex_count, 2);
	assert_int_equal(eic_fin_case_project(c)->first_operating_year, 2);
	assert_int_equal(eic_fin_case_option(c, 2)->instrument, EIC_FIN_INSTR_GROUP_LOAN);
	eic_fin_case_free(c);
	/* the pellet mill: the energy (1,920 t x 17 GJ/t) and the tonnes (x 0.0946 t/GJ) */
	c = read_example("pellet_mill.json");
	near(32640, eic_fin_case_project(c)->energy_per_year, "pellet energy");
	near(3087.7, eic_fin_case_project(c)->co2e_t_per_year, "pellet CO2e");
	assert_string_equal(eic_fin_case_energy_unit(c), "GJ");
	eic_fin_case_free(c);
}

/* One malformed file: its only error, with line and column. */
static void expect_error(const char *text, int line, int column, const char *needle)
{
	eic_diags *d = NULL;
	eic_fin_case *c = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_fin_case_read_buffer(&c, d, "bad.json", text, strlen(text));
	assert_int_equal(rc, EIC_EINVALID);
	assert_null(c);
	if (eic_diags_count(d) != 1) {
		for (size_t i = 0; i < eic_diags_count(d); i++)
			print_message("got: %d:%d: %s\n", eic_diags_get(d, i)->line,
			              eic_diags_get(d, i)->column, eic_diags_get(d, i)->message);
		fail_msg("expected one error (%s)", needle);
	}
	const eic_diag *g = eic_diags_get(d, 0);
	if (g->line != line || g->column != column || !strstr(g->message, needle))
		fail_msg("expected %d:%d '%s', got %d:%d '%s'", line, column, needle, g->line,
		         g->column, g->message);
	assert_string_equal(g->file, "bad.json");
	eic_diags_free(d);
}

#define HEAD "{\n  \"eic_finance\": 1,\n  \"life_years\": 20,\n  \"capex\": 325,\n"

static void test_finance_file__errors_located(void **state)
{
	(void)state;
	expect_error("{\n  \"eic_finance\": 1,,\n}", 2, 20, "malformed JSON");
	expect_error("[1, 2]", 1, 1, "expected a JSON object; found an array");
	expect_error("{\n  \"life_years\": 20,\n  \"capex\": 325\n}", 1, 1,
	             "missing key 'eic_finance'");
	expect_error("{\n  \"eic_finance\": 1,\n  \"capex\": 325\n}", 1, 1,
	             "missing key 'life_years'");
	expect_error(HEAD "  \"discount_rate\": \"ten\"\n}", 5, 20,
	             "wrong type for 'discount_rate' (expected a yearly rate from -0.99 to 1 "
	             "(0.08 = 8 %); found \"ten\")");
	expect_error(HEAD "  \"discount_rate\": 1.5\n}", 5, 20,
	             "'discount_rate' is out of range (expected a yearly rate from -0.99 to 1 "
	             "(0.08 = 8 %); found 1.5)");
	expect_error(HEAD "  \"discount\": 0.1\n}", 5, 3, "unknown key 'discount' in the project");
	expect_error("{\n  \"eic_finance\": 1,\n  \"life_years\": -3,\n  \"capex\": 325\n}", 3, 17,
	             "'life_years' is out of range (expected a whole number from 1 to 200");
	expect_error("{\n  \"eic_finance\": 1,\n  \"life_years\": 20.5,\n  \"capex\": 325\n}", 3,
	             17, "'life_years' is not a whole number");
	expect_error(HEAD "  \"capex2\": 1\n}", 5, 3, "unknown key 'capex2'");
	expect_error(HEAD "  \"ramp\": [0.5, 1.5]\n}", 5, 17,
	             "value out of range of 'ramp' at index 1 (expected a share of full output "
	             "from 0 to 1; found 1.5)");
	expect_error("{\n  \"eic_finance\": 1,\n  \"life_years\": 20,\n  \"capex\": [325, -1]\n}",
	             4, 18, "value out of range of 'capex' at index 1");
	expect_error(HEAD
	             "  \"debt_ratio\": 0.5,\n  \"debt_rate\": 0.1,\n  \"debt_term_years\": 25\n}",
	             7, 22,
	             "the loan is longer than the project (expected at most the life of 20 "
	             "years; found 25)");
	expect_error(HEAD "  \"convention\": \"retscreen\"\n}", 5, 17,
	             "unknown value for 'convention' (expected \"RETScreen\" or \"SAM\"; found "
	             "\"retscreen\")");
	expect_error(HEAD "  \"currency\": \"usd\"\n}", 5, 15, "invalid currency");
	/* financing options */
	expect_error(HEAD "  \"financing\": {}\n}", 5, 16, "expected an array of objects");
	expect_error(
	    HEAD "  \"financing\": [\n    {\"id\": \"x\", \"instrument\": \"overdraft\"}\n  ]\n}",
	    6, 31, "unknown value for 'instrument'");
	expect_error(HEAD
	             "  \"financing\": [\n    {\"id\": \"x\", \"instrument\": \"grant\"}\n  ]\n}",
	             6, 5, "a grant needs 'grant'");
	expect_error(HEAD
	             "  \"financing\": [\n    {\"instrument\": \"grant\", \"grant\": 5}\n  ]\n}",
	             6, 5, "missing key 'id' in a financing option");
	expect_error(HEAD "  \"financing\": [\n    {\"id\": \"g\", \"instrument\": \"grant\", "
	                  "\"grant\": 5, \"rate\": 0.1}\n  ]\n}",
	             6, 52, "key 'rate' does not apply to a grant");
	expect_error(HEAD
	             "  \"financing\": [\n    {\"id\": \"l\", \"instrument\": \"annuity_loan\", "
	             "\"rate\": 0.1, \"term_years\": 25}\n  ]\n}",
	             6, 74,
	             "the annuity_loan 'l' runs 25 years, longer than the project's life of "
	             "20 years");
	expect_error(HEAD
	             "  \"financing\": [\n    {\"id\": \"l\", \"instrument\": \"annuity_loan\", "
	             "\"rate\": 0.1, \"term_years\": 2.05}\n  ]\n}",
	             6, 74, "is not a whole number of instalments");
	expect_error(HEAD
	             "  \"financing\": [\n    {\"id\": \"l\", \"instrument\": \"annuity_loan\", "
	             "\"term_years\": 2}\n  ]\n}",
	             6, 5, "missing key 'rate' in the annuity_loan 'l'");
	expect_error(HEAD "  \"financing\": [\n    {\"id\": \"l\", \"instrument\": \"flat_loan\", "
	                  "\"rate\": 1.2, \"term_years\": 2}\n  ]\n}",
	             6, 52, "'rate' is out of range (expected a yearly rate from 0 to 1");
	expect_error(
	    HEAD "  \"financing\": [\n    {\"id\": \"a\", \"instrument\": \"grant\", \"grant\": "
	         "5},\n    {\"id\": \"a\", \"instrument\": \"grant\", \"grant\": 6}\n  ]\n}",
	    7, 12, "duplicate financing option id 'a'");
}

/* A facility of a cluster: revenue and avoided costs from prices, or what is missing. */
/* A copy of the Chachoengsao example with every price removed (a cluster whose facility
 * cannot be appraised yet). Returns the folder (caller frees). */
static char *chachoengsao_without_prices(void)
{
	char *dir = eic_test_tmpdir("fin_noprice");
	char cmd[8192];
	assert_non_null(dir);
	snprintf(cmd, sizeof(cmd),
	         "cp -r '%s/.' '%s' && sed -i '/,price,/d' '%s/material_properties.csv'",
	         eic_test_src("data/examples/chachoengsao"), dir, dir);
	assert_int_equal(system(cmd), 0);
	return dir;
}

static void test_finance_file__facility(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	eic_cluster *cl = NULL;
	eic_fin_case *c = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(
	    eic_package_read(&cl, d, eic_test_src("tests/data/finance/pellet_cluster"), NULL), 0);
	assert_int_equal(eic_fin_case_from_facility(&c, d, cl, "pellet_mill", NULL), 0);
	const eic_fin_project *p = eic_fin_case_project(c);
	assert_true(eic_fin_case_complete(c));
	assert_true(eic_fin_case_options_are_defaults(c));
	assert_int_equal(eic_fin_case_option_count(c), 4);
	near(2400 * 0.8 * 110, p->revenue, "pellets sold: 2400 t/yr x 0.8 t/t x 110 USD/t");
	near(2400 * 5, p->avoided_cost, "sawdust gate fee: 2400 t/yr x 5 USD/t");
	near(150000, p->capex[0], "capex");
	near(170000, p->opex_fixed, "opex");
	assert_int_equal(p->life_years, 15);
	near(0.10, eic_fin_case_options(c)->discount_rate, "default discount rate");
	/* an option on the command line replaces the defaults */
	assert_int_equal(
	    eic_fin_case_add_option_spec(c, d, "annuity_loan:rate=0.08,term_years=5,share=0.7"), 0);
	assert_int_equal(eic_fin_case_option_count(c), 1);
	assert_false(eic_fin_case_options_are_defaults(c));
	near(0.08, eic_fin_case_option(c, 0)->rate, "spec rate");
	near(0.7, eic_fin_case_option(c, 0)->share, "spec share");
	assert_int_equal(eic_fin_case_add_option_spec(c, d, "annuity_loan:rate=0.08"),
	                 EIC_EINVALID);
	assert_int_equal(eic_fin_case_add_option_spec(c, d, "lease:term_years=20,rate=0.1"),
	                 EIC_EINVALID); /* 20 years > life 15 */
	assert_int_equal(eic_fin_case_add_option_spec(c, d, "grant:grant"), EIC_EINVALID);
	eic_fin_case_free(c);
	c = NULL;
	assert_int_equal(eic_fin_case_from_facility(&c, d, cl, "nope", NULL), EIC_ENOTFOUND);
	eic_fin_facility_options fo = EIC_FIN_FACILITY_OPTIONS_INIT;
	fo.level = "huge";
	assert_int_equal(eic_fin_case_from_facility(&c, d, cl, "pellet_mill", &fo), EIC_ENOTFOUND);
	eic_cluster_free(cl);
	cl = NULL;
	eic_diags_free(d);
	assert_int_equal(eic_diags_new(&d, 100), 0);

	/* Chachoengsao's biogas plant without its prices: incomplete, and the break-even revenue
	 * is capex x CRF(10 %, 15) + opex = 102,740 x 0.131474 + 5,137 */
	char *noprice = chachoengsao_without_prices();
	assert_int_equal(eic_package_read(&cl, d, noprice, NULL), 0);
	assert_int_equal(eic_fin_case_from_facility(&c, d, cl, "biogas_manure", NULL), 0);
	assert_false(eic_fin_case_complete(c));
	assert_int_equal(eic_fin_case_missing_count(c), 1);
	assert_non_null(strstr(eic_fin_case_missing(c, 0), "biogas, digestate"));
	double be = 0, crf = 0.1 * pow(1.1, 15) / (pow(1.1, 15) - 1);
	assert_int_equal(
	    eic_fin_breakeven_revenue(&be, eic_fin_case_project(c), eic_fin_case_options(c)), 0);
	assert_true(fabs(be - (102740 * crf + 5137)) < 1e-6);
	eic_fin_case_free(c);
	c = NULL;
	fo.level = "large";
	fo.revenue_per_yr = 60000;
	assert_int_equal(eic_fin_case_from_facility(&c, d, cl, "biogas_manure", &fo), 0);
	assert_true(eic_fin_case_complete(c));
	near(60000, eic_fin_case_project(c)->revenue, "revenue override");
	near(256850, eic_fin_case_project(c)->capex[0], "large level capex");
	eic_fin_case_free(c);
	eic_cluster_free(cl);
	cl = NULL;
	free(noprice);

	/* With the package's own prices (biogas valued at the LPG it replaces) it is complete. */
	assert_int_equal(eic_package_read(&cl, d, eic_test_src("data/examples/chachoengsao"), NULL),
	                 0);
	c = NULL;
	assert_int_equal(eic_fin_case_from_facility(&c, d, cl, "biogas_manure", NULL), 0);
	assert_true(eic_fin_case_complete(c));
	assert_true(eic_fin_case_project(c)->revenue > 0);
	eic_fin_case_free(c);
	eic_cluster_free(cl);
	eic_diags_free(d);
}

/* The report's finance section: the missing data for Chachoengsao, the chart elsewhere. */
static void test_finance_file__report_section(void **state)
{
	(void)state;
	char *noprice = chachoengsao_without_prices();
	const char *pkgs[] = {noprice, eic_test_src("tests/data/finance/pellet_cluster"),
	                      eic_test_src("data/examples/chachoengsao")};
	static const char *const needles[][3] = {
	    {"<section id=\"finance\">", "Not appraised: data missing", "18,645"},
	    {"<section id=\"finance\">", "Death valley: depth 150,000 USD, 2.8 years",
	     "<strong>Verdict.</strong>"},
	    {"<section id=\"finance\">", "Death valley: depth", "<strong>Verdict.</strong>"}};
	char *dir = eic_test_tmpdir("finance_report");
	for (size_t i = 0; i < 3; i++) {
		eic_diags *d = NULL;
		eic_cluster *cl = NULL;
		char path[4096];
		eic_report_options ro = EIC_REPORT_OPTIONS_INIT;
		ro.deterministic = 1;
		assert_int_equal(eic_diags_new(&d, 100), 0);
		assert_int_equal(eic_package_read(&cl, d, pkgs[i], NULL), 0);
		snprintf(path, sizeof(path), "%s/r%zu.html", dir, i);
		assert_int_equal(eic_report_write(cl, path, &ro), 0);
		size_t size = 0;
		char *html = eic_test_read_file(path, &size);
		assert_non_null(html);
		for (int k = 0; k < 3; k++)
			if (!strstr(html, needles[i][k]))
				fail_msg("%s: report has no '%s'", pkgs[i], needles[i][k]);
		assert_null(strstr(html, ">nan"));
		assert_null(strstr(html, "NaN"));
		free(html);
		eic_cluster_free(cl);
		eic_diags_free(d);
	}
	free(noprice);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_finance_file__biogas_example),
	    cmocka_unit_test(test_finance_file__examples_round_trip),
	    cmocka_unit_test(test_finance_file__errors_located),
	    cmocka_unit_test(test_finance_file__facility),
	    cmocka_unit_test(test_finance_file__report_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
