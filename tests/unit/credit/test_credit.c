/* test_credit.c: unit tests of credit linkage (src/lib/monitor/credit*.c): the shipped rules on
 * hand-worked cases, first-match and cumulative semantics, limits, missing inputs, refusal of
 * missing tables and circular rules with their location, and application to a loan. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/credit.h>

#include "testutil.h"

/* Expected values are short decimals worked by hand; 1e-12 absolute + 1e-12 relative. */
#define ABS_TOL 1e-12
#define REL_TOL 1e-12

static void near(double expected, double actual, const char *what)
{
	if (!(fabs(expected - actual) <= ABS_TOL + REL_TOL * fabs(expected)))
		fail_msg("%s: expected %.15g, got %.15g", what, expected, actual);
}

static eic_credit_rules *shipped(void)
{
	eic_credit_rules *r = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_credit_rules_load(&r, d, eic_test_src("data/rating/credit_rules.json"));
	if (rc != 0) {
		char buf[1024];
		for (size_t i = 0; i < eic_diags_count(d); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			print_error("%s\n", buf);
		}
		fail_msg("loading credit_rules.json: %s", eic_strerror(rc));
	}
	eic_diags_free(d);
	return r;
}

static eic_credit_result *eval(const eic_credit_rules *r, const char *proper, const char *cepi,
                               const eic_credit_indicator *ind, size_t n)
{
	eic_credit_rating ratings[2];
	size_t rc_count = 0;
	if (proper)
		ratings[rc_count++] = (eic_credit_rating){"proper", proper};
	if (cepi)
		ratings[rc_count++] = (eic_credit_rating){"cepi", cepi};
	eic_credit_result *res = NULL;
	assert_int_equal(eic_credit_evaluate(&res, r, ratings, rc_count, ind, n), 0);
	assert_non_null(res);
	return res;
}

static void test_credit__shipped_first_match(void **state)
{
	(void)state;
	eic_credit_rules *r = shipped();
	assert_string_equal(eic_credit_rules_id(r), "green_credit_example");
	assert_int_equal(eic_credit_rules_cumulative(r), 0);
	const eic_credit_terms *t;

	/* gold, area not critically polluted: rule proper_gold */
	eic_credit_result *res = eval(r, "gold", "other polluted", NULL, 0);
	t = eic_credit_result_terms(res);
	assert_true(t->decided);
	assert_true(t->eligible);
	near(2.0, t->rate_discount_pp, "gold discount");
	near(0.6, t->guarantee_share, "gold guarantee");
	near(12.0, t->max_tenor_years, "gold tenor");
	assert_int_equal(eic_credit_result_applied_count(res), 1);
	assert_string_equal(eic_credit_result_applied(res, 0), "proper_gold");
	assert_non_null(strstr(eic_credit_result_explanation(res), "proper_gold"));
	eic_credit_result_free(res);

	/* gold in a critically polluted area: the first rule refuses */
	res = eval(r, "gold", "critically polluted", NULL, 0);
	t = eic_credit_result_terms(res);
	assert_true(t->decided);
	assert_false(t->eligible);
	near(0.0, t->rate_discount_pp, "refused discount");
	assert_string_equal(eic_credit_result_applied(res, 0), "critically_polluted_area");
	eic_credit_result_free(res);

	/* green, energy intensity falling 10 %/yr: the improving rule (refers to proper_green) */
	eic_credit_indicator falling[] = {{"energy_intensity_va.cagr", -0.10}};
	res = eval(r, "green", "other polluted", falling, 1);
	t = eic_credit_result_terms(res);
	assert_true(t->eligible);
	near(1.5, t->rate_discount_pp, "improving discount");
	near(0.5, t->guarantee_share, "improving guarantee");
	assert_string_equal(eic_credit_result_applied(res, 0), "proper_green_improving");
	eic_credit_result_free(res);

	/* green, the trend not known: the improving rule is not decided, proper_green applies and
	 * the missing indicator is named (never taken as zero) */
	res = eval(r, "green", "other polluted", NULL, 0);
	t = eic_credit_result_terms(res);
	assert_true(t->decided);
	near(1.0, t->rate_discount_pp, "green discount");
	assert_string_equal(eic_credit_result_applied(res, 0), "proper_green");
	assert_int_equal(eic_credit_result_missing_count(res), 1);
	assert_string_equal(eic_credit_result_missing(res, 0),
	                    "indicator energy_intensity_va.cagr");
	assert_true(eic_credit_result_note_count(res) >= 1);
	assert_non_null(strstr(eic_credit_result_note(res, 0), "proper_green_improving"));
	eic_credit_result_free(res);

	/* a NaN indicator is missing too */
	eic_credit_indicator nan_ind[] = {{"energy_intensity_va.cagr", NAN}};
	res = eval(r, "green", "other polluted", nan_ind, 1);
	assert_string_equal(eic_credit_result_applied(res, 0), "proper_green");
	assert_int_equal(eic_credit_result_missing_count(res), 1);
	eic_credit_result_free(res);

	/* blue and fully compliant: small discount; blue at 50 % compliance: default terms */
	eic_credit_indicator full[] = {{"compliance_rate", 1.0}};
	res = eval(r, "blue", "other polluted", full, 1);
	t = eic_credit_result_terms(res);
	near(0.25, t->rate_discount_pp, "blue discount");
	eic_credit_result_free(res);
	eic_credit_indicator half[] = {{"compliance_rate", 0.5}};
	res = eval(r, "blue", "other polluted", half, 1);
	t = eic_credit_result_terms(res);
	assert_true(t->decided);
	assert_true(t->from_default);
	assert_false(t->eligible);
	assert_int_equal(eic_credit_result_applied_count(res), 0);
	eic_credit_result_free(res);

	/* nothing known: no rule applies, and the default is not given either */
	res = eval(r, NULL, NULL, NULL, 0);
	t = eic_credit_result_terms(res);
	assert_false(t->decided);
	assert_false(t->eligible);
	assert_non_null(
	    strstr(eic_credit_result_explanation(res), "Not decided: missing rating cepi"));
	eic_credit_result_free(res);
	eic_credit_rules_free(r);
}

static eic_credit_rules *load_text(const char *text, eic_diags **out_diags, int *out_rc)
{
	eic_credit_rules *r = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	*out_rc = eic_credit_rules_load_buffer(&r, d, "mine.json", text, strlen(text));
	*out_diags = d;
	return r;
}

static const char *const cumulative_rules =
    "{\"id\": \"c\", \"mode\": \"cumulative\", \"default\": {\"eligible\": false},\n"
    " \"limits\": {\"max_rate_discount_pp\": 3, \"max_guarantee_share\": 0.8, "
    "\"max_tenor_years\": 8},\n"
    " \"rules\": [\n"
    "  {\"id\": \"a\", \"when\": [{\"rating\": \"proper\", \"label\": [\"green\"]}], "
    "\"eligible\": true, \"rate_discount_pp\": 1, \"guarantee_share\": 0.3, "
    "\"max_tenor_years\": 5},\n"
    "  {\"id\": \"b\", \"when\": [{\"indicator\": \"waste_utilisation_rate\", \"at_least\": "
    "0.9}], \"eligible\": true, \"rate_discount_pp\": 2.5, \"guarantee_share\": 0.5, "
    "\"max_tenor_years\": 10},\n"
    "  {\"id\": \"veto\", \"when\": [{\"indicator\": \"compliance_rate\", \"below\": 1}], "
    "\"eligible\": false}\n"
    " ]}\n";

static void test_credit__cumulative_and_limits(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	int rc;
	eic_credit_rules *r = load_text(cumulative_rules, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(eic_credit_rules_cumulative(r), 1);
	/* a and b hold, veto does not: 1 + 2.5 = 3.5 pp capped at 3; guarantee max(0.3, 0.5);
	 * tenor max(5, 10) = 10 capped at 8 */
	eic_credit_indicator ind[] = {{"waste_utilisation_rate", 0.9}, {"compliance_rate", 1.0}};
	eic_credit_result *res = eval(r, "green", NULL, ind, 2);
	const eic_credit_terms *t = eic_credit_result_terms(res);
	assert_true(t->decided);
	assert_true(t->eligible);
	near(3.0, t->rate_discount_pp, "capped discount");
	near(0.5, t->guarantee_share, "largest guarantee");
	near(8.0, t->max_tenor_years, "capped tenor");
	assert_int_equal(eic_credit_result_applied_count(res), 2);
	assert_int_equal(eic_credit_result_note_count(res), 2);
	eic_credit_result_free(res);
	/* the veto holds: not eligible whatever else */
	eic_credit_indicator bad[] = {{"waste_utilisation_rate", 0.95}, {"compliance_rate", 0.75}};
	res = eval(r, "green", NULL, bad, 2);
	t = eic_credit_result_terms(res);
	assert_false(t->eligible);
	near(0.0, t->rate_discount_pp, "vetoed discount");
	assert_int_equal(eic_credit_result_applied_count(res), 3);
	eic_credit_result_free(res);
	eic_credit_rules_free(r);
	eic_diags_free(d);
}

static void expect_error(const char *text, int line, int column, const char *needle)
{
	eic_diags *d = NULL;
	int rc;
	eic_credit_rules *r = load_text(text, &d, &rc);
	assert_null(r);
	assert_int_equal(rc, EIC_EINVALID);
	assert_true(eic_diags_count(d) >= 1);
	const eic_diag *g = eic_diags_get(d, 0);
	char buf[1024];
	eic_diag_format(buf, sizeof(buf), g);
	if (!strstr(g->message, needle) || g->line != line || g->column != column)
		fail_msg("expected %d:%d '%s', got: %s", line, column, needle, buf);
	assert_string_equal(g->file, "mine.json");
	eic_diags_free(d);
}

#define HEAD                                                                                       \
	"{\"id\": \"x\", \"mode\": \"first_match\", \"default\": {\"eligible\": false},\n"         \
	" \"limits\": {\"max_rate_discount_pp\": 3, \"max_guarantee_share\": 0.8},\n"

static void test_credit__refusals(void **state)
{
	(void)state;
	/* a circular reference a -> b -> a: reported at the reference that closes the cycle */
	expect_error(HEAD " \"rules\": [\n"
	                  "  {\"id\": \"a\", \"when\": [{\"rule\": \"b\"}], \"eligible\": true},\n"
	                  "  {\"id\": \"b\", \"when\": [{\"rule\": \"a\"}], \"eligible\": true}\n"
	                  " ]}\n",
	             5, 33, "circular rule reference 'a' -> 'b' -> 'a'");
	/* a rule referring to itself */
	expect_error(HEAD " \"rules\": [\n"
	                  "  {\"id\": \"a\", \"when\": [{\"rule\": \"a\"}], \"eligible\": true}\n"
	                  " ]}\n",
	             4, 33, "circular rule reference 'a' -> 'a'");
	/* a missing table */
	expect_error(
	    "{\"id\": \"x\", \"mode\": \"first_match\", \"default\": {\"eligible\": false},\n"
	    " \"rules\": [{\"id\": \"a\", \"eligible\": true}]}\n",
	    1, 1, "missing table 'limits'");
	expect_error("{\"id\": \"x\", \"mode\": \"first_match\",\n"
	             " \"limits\": {\"max_rate_discount_pp\": 3, \"max_guarantee_share\": 0.8},\n"
	             " \"rules\": [{\"id\": \"a\", \"eligible\": true}]}\n",
	             1, 1, "missing table 'default'");
	expect_error(
	    "{\"id\": \"x\", \"mode\": \"first_match\", \"default\": {\"eligible\": false},\n"
	    " \"limits\": {\"max_rate_discount_pp\": 3, \"max_guarantee_share\": 0.8}}\n",
	    1, 1, "missing table 'rules'");
	/* unknown rule, unknown key, out of range */
	expect_error(HEAD " \"rules\": [{\"id\": \"a\", \"when\": [{\"rule\": \"zz\"}], "
	                  "\"eligible\": true}]}\n",
	             3, 42, "unknown rule 'zz'");
	expect_error(HEAD " \"rules\": [{\"id\": \"a\", \"colour\": 1, \"eligible\": true}]}\n", 3,
	             24, "unknown key 'colour'");
	expect_error(HEAD " \"rules\": [{\"id\": \"a\", \"eligible\": true, \"guarantee_share\": "
	                  "1.5}]}\n",
	             3, 61, "'guarantee_share' is out of range");
}

static void test_credit__apply_to_loan(void **state)
{
	(void)state;
	eic_loan_options loan = EIC_LOAN_OPTIONS_INIT;
	loan.principal = 1000.0;
	loan.rate = 0.01; /* per month */
	loan.periods = 180;
	loan.periods_per_year = 12;
	eic_credit_terms t = {1, 1, 2.0, 0.6, 12.0, 0};
	eic_credit_loan_terms out;
	assert_int_equal(eic_credit_apply_loan(&out, &loan, &t, NULL), 0);
	/* 2 pp a year = 0.02 / 12 a month: 0.01 - 0.0016666... */
	near(0.01 - 0.02 / 12.0, loan.rate, "discounted monthly rate");
	near(600.0, out.green.guaranteed, "guaranteed principal");
	assert_true(out.tenor_capped);
	assert_int_equal(out.periods_before, 180);
	assert_int_equal(loan.periods, 144); /* 12 years x 12 */
	/* not decided: nothing changes */
	eic_loan_options loan2 = EIC_LOAN_OPTIONS_INIT;
	loan2.principal = 1000.0;
	loan2.rate = 0.01;
	loan2.periods = 180;
	eic_credit_terms u = {0, 0, 0.0, 0.0, NAN, 0};
	assert_int_equal(eic_credit_apply_loan(&out, &loan2, &u, NULL), 0);
	near(0.01, loan2.rate, "unchanged rate");
	assert_int_equal(loan2.periods, 180);
	assert_false(out.green.eligible);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_credit__shipped_first_match),
	    cmocka_unit_test(test_credit__cumulative_and_limits),
	    cmocka_unit_test(test_credit__refusals),
	    cmocka_unit_test(test_credit__apply_to_loan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
