/* test_finance.c: unit tests of the finance module (src/lib/finance): the reference cases of
 * ../shared/data/reference/finance read at run time, the manual's examples, and hand checks. */
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
#include <eic/finance.h>

#include "testutil.h"
#include "util/util.h"

/* Tolerances. Hand-computed values are exact decimals or closed forms evaluated in double, so
 * 1e-9 absolute plus 1e-12 relative; IRRs are solved to 1e-13, checked to 1e-9. Reference
 * cases use the tolerance given in their CSV row. */
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

/* ---- reading the reference CSVs ------------------------------------------------------- */

#define MAX_FIELDS 16

/* Split one CSV line (double quotes allowed) into fields, in place. Returns the count. */
static int csv_split(char *line, char **fields)
{
	int n = 0;
	char *p = line;
	while (n < MAX_FIELDS) {
		char *w = p;
		fields[n++] = w;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else if (*p == '\0') {
					break;
				} else {
					*w++ = *p++;
				}
			}
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',')
				*w++ = *p++;
		}
		if (*p == ',') {
			*w = '\0';
			p++;
		} else {
			*w = '\0';
			break;
		}
	}
	return n;
}

typedef struct {
	double expected[8];
	int count;
	double tolerance;
} ref_case;

/* Find case `id` in reference_cases.csv: expected values (split on '/') and tolerance.
 * Returns 0, or -1 when the shared folder is absent (the caller skips). */
static int load_case(ref_case *out, const char *id)
{
	const char *path = eic_test_shared("data/reference/finance/reference_cases.csv");
	if (!path)
		return -1;
	char *text = eic_test_read_file(path, NULL);
	assert_non_null(text);
	int found = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[MAX_FIELDS];
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		int n = csv_split(line, f);
		if (n < 7 || strcmp(f[0], id) != 0)
			continue;
		/* columns: case_id,domain,description,inputs,output,expected,tolerance,... */
		memset(out, 0, sizeof(*out));
		char *q = f[5], *end;
		while (*q && out->count < 8) {
			out->expected[out->count++] = strtod(q, &end);
			assert_true(end != q);
			q = end;
			while (*q == ' ' || *q == '/')
				q++;
		}
		out->tolerance = strtod(f[6], NULL);
		found = 1;
		break;
	}
	free(text);
	if (!found)
		fail_msg("case %s not found in reference_cases.csv", id);
	return 0;
}

static eic_loan *make_loan(eic_loan_kind kind, double principal, double rate, int periods)
{
	eic_loan_options o = EIC_LOAN_OPTIONS_INIT;
	o.kind = kind;
	o.principal = principal;
	o.rate = rate;
	o.periods = periods;
	o.periods_per_year = 12;
	eic_loan *loan = NULL;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	return loan;
}

/* ---- reference cases ------------------------------------------------------------------- */

/* L1: 1200 lent, 12 monthly instalments of 100 principal + 12 interest (1 %/month flat). */
static void test_finance__ref_L1_flat(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "L1") < 0)
		skip();
	assert_int_equal(rc.count, 3);
	eic_loan *loan = make_loan(EIC_LOAN_FLAT, 1200, 0.01, 12);
	const eic_loan_summary *s = eic_loan_summary_get(loan);
	near(112.0, s->instalment, "L1 instalment");
	assert_true(s->has_rate);
	near_tol(rc.expected[0], s->periodic_rate, rc.tolerance, "L1 monthly IRR");
	near_tol(rc.expected[1], s->apr, rc.tolerance, "L1 APR");
	near_tol(rc.expected[2], s->ear, rc.tolerance, "L1 EAR");
	eic_loan_free(loan);
}

/* L2: balloon (interest only) 400000 riel, 16000/month for 4 months, principal at the end. */
static void test_finance__ref_L2_balloon(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "L2") < 0)
		skip();
	eic_loan_options o = EIC_LOAN_OPTIONS_INIT;
	o.kind = EIC_LOAN_BALLOON;
	o.principal = 400000;
	o.rate = 0.04;
	o.periods = 4;
	o.balloon_share = 1.0;
	eic_loan *loan = NULL;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	const eic_loan_summary *s = eic_loan_summary_get(loan);
	near(16000.0, s->instalment, "L2 monthly interest");
	near(416000.0, eic_loan_row_at(loan, 4)->payment, "L2 last payment");
	near_tol(rc.expected[0], s->periodic_rate, rc.tolerance, "L2 monthly rate");
	near_tol(rc.expected[1], s->apr, rc.tolerance, "L2 APR");
	near_tol(rc.expected[2], s->ear, rc.tolerance, "L2 EAR");
	eic_loan_free(loan);
}

/* L3: the household biogas unit, 325 USD over 24 months at 12 %/yr flat: interest 78. */
static void test_finance__ref_L3_biogas_flat(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "L3") < 0)
		skip();
	assert_int_equal(rc.count, 4);
	eic_loan *loan = make_loan(EIC_LOAN_FLAT, 325, 0.01, 24);
	const eic_loan_summary *s = eic_loan_summary_get(loan);
	near(78.0, s->total_interest, "L3 interest");
	near_tol(rc.expected[0], s->instalment, rc.tolerance, "L3 instalment");
	near_tol(rc.expected[1], s->periodic_rate, rc.tolerance, "L3 monthly IRR");
	near_tol(rc.expected[2], s->apr, rc.tolerance, "L3 APR");
	near_tol(rc.expected[3], s->ear, rc.tolerance, "L3 EAR");
	eic_loan_free(loan);
}

/* L3b: the same unit on a declining balance at 1 %/month. */
static void test_finance__ref_L3b_declining(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "L3b") < 0)
		skip();
	eic_loan *loan = make_loan(EIC_LOAN_ANNUITY, 325, 0.01, 24);
	const eic_loan_summary *s = eic_loan_summary_get(loan);
	near_tol(rc.expected[0], s->instalment, rc.tolerance, "L3b instalment");
	near_tol(rc.expected[1], s->total_interest, rc.tolerance, "L3b total interest");
	/* without fees the effective rate is the contract rate */
	near(0.01, s->periodic_rate, "L3b IRR");
	eic_loan_free(loan);
}

/* L3d: with Nepal's 40 % capital subsidy on biogas the loan is 325 x 0.6 = 195. */
static void test_finance__ref_L3d_subsidy(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "L3d") < 0)
		skip();
	eic_loan *loan = make_loan(EIC_LOAN_ANNUITY, 325 * (1 - 0.40), 0.01, 24);
	near_tol(rc.expected[0], eic_loan_summary_get(loan)->instalment, rc.tolerance,
	         "L3d instalment");
	eic_loan_free(loan);
}

/* LB1: price 10000; lease 36 x 330 in advance; salvage 2000 at month 36; 1 %/month. */
static void test_finance__ref_LB1_lease(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "LB1") < 0)
		skip();
	eic_fin_lease_options o = EIC_FIN_LEASE_OPTIONS_INIT;
	o.price = 10000;
	o.lease_payment = 330;
	o.lease_periods = 36;
	o.in_advance = 1;
	o.salvage = 2000;
	o.rate = 0.01;
	eic_fin_lease_result r;
	assert_int_equal(eic_fin_lease_vs_buy(&r, &o, NULL), 0);
	near_tol(rc.expected[0], r.pv_lease, rc.tolerance, "LB1 PV lease");
	near_tol(rc.expected[1], r.pv_buy, rc.tolerance, "LB1 PV buy");
	near_tol(rc.expected[2], r.nal, rc.tolerance, "LB1 NAL");
	assert_false(r.lease_preferred);
}

/* DV1: CF = [-50000, -30000, -10000, 15000, 30000, 40000, 40000]. */
static const double dv1[] = {-50000, -30000, -10000, 15000, 30000, 40000, 40000};

static void test_finance__ref_DV1_valley(void **state)
{
	(void)state;
	ref_case rc;
	if (load_case(&rc, "DV1") < 0)
		skip();
	eic_fin_valley v;
	assert_int_equal(eic_fin_valley_compute(&v, dv1, 7, 60000), 0);
	assert_true(v.has_trough);
	near_tol(rc.expected[0], v.depth, rc.tolerance, "DV1 peak funding need");
	assert_true(v.has_break_even);
	near_tol(rc.expected[1], v.break_even, rc.tolerance, "DV1 payback year");
	assert_int_equal(v.depth_year, 2);
	assert_int_equal(v.trough_start, 0);
	near(5.125, v.duration, "DV1 duration");
	near(30000, v.funding_gap, "DV1 gap with 60000 of equity");
	/* the same payback through the metrics */
	eic_fin_metrics m;
	assert_int_equal(eic_fin_metrics_compute(&m, dv1, 7, NULL), 0);
	assert_true(m.has_payback);
	near_tol(rc.expected[1], m.payback, rc.tolerance, "DV1 payback (metrics)");
	near(-90000, m.cumulative_min, "DV1 cumulative min");
}

/* Both rows of sam_lcoefcr_cases.csv: LCOE = (FCR x TCC + FOC) / AEP + VOC. */
static void test_finance__ref_sam_lcoe_fcr(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/finance/sam_lcoefcr_cases.csv");
	if (!path)
		skip();
	char *text = eic_test_read_file(path, NULL);
	assert_non_null(text);
	char *save = NULL;
	int rows = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[MAX_FIELDS];
		if (strncmp(line, "case,", 5) == 0)
			continue;
		int n = csv_split(line, f);
		assert_true(n >= 7);
		double v[6];
		for (int i = 0; i < 6; i++)
			v[i] = strtod(f[i + 1], NULL);
		double lcoe = 0;
		/* columns: capital, fixed op, variable op per kWh, fcr, energy, expected */
		assert_int_equal(eic_fin_lcoe_fcr(&lcoe, v[0], v[1], v[2], v[3], v[4]), 0);
		near_tol(v[5], lcoe, 1e-12 * v[5], f[0]);
		rows++;
	}
	free(text);
	assert_int_equal(rows, 2);
}

/* ---- NPV and IRR ------------------------------------------------------------------------ */

static void test_finance__npv_basic(void **state)
{
	(void)state;
	double cf[] = {-100, 60, 60}, v = 0;
	assert_int_equal(eic_fin_npv(&v, cf, 3, 0.1), 0);
	near(-100 + 60 / 1.1 + 60 / 1.21, v, "NPV at 10%");
	assert_int_equal(eic_fin_npv(&v, cf, 3, -1.0), EIC_EINVAL);
	assert_int_equal(eic_fin_npv(&v, cf, 3, NAN), EIC_EINVAL);
	double bad[] = {1, INFINITY};
	assert_int_equal(eic_fin_npv(&v, bad, 2, 0.1), EIC_EINVAL);
}

static void test_finance__irr_conventional(void **state)
{
	(void)state;
	double cf[] = {-100, 110};
	eic_fin_irr r;
	assert_int_equal(eic_fin_irr_compute(&r, cf, 2, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_UNIQUE);
	near(0.1, r.rate, "IRR -100, 110");
	assert_int_equal(r.sign_changes, 1);
	assert_false(r.several_sign_changes);
	/* the appraisal example of docs/methods/finance.md */
	double app[] = {-1000, 445, 494.75, 665.5 - 115.7625 + 100 * 1.02 * 1.02 * 1.02};
	assert_int_equal(eic_fin_irr_compute(&r, app, 4, NULL), 0);
	double npv = 1;
	assert_int_equal(eic_fin_npv(&npv, app, 4, r.rate), 0);
	near_tol(0.0, npv, 1e-9, "NPV at the IRR");
	near_tol(0.25532086021, r.rate, 1e-9, "IRR of the worked example");
}

/* -1 + 5x - 6x^2 = 0 with x = 1/(1+r): x = 1/2, 1/3, so r = 100 % and 200 %. */
static void test_finance__irr_multiple(void **state)
{
	(void)state;
	double cf[] = {-1, 5, -6};
	eic_fin_irr r;
	assert_int_equal(eic_fin_irr_compute(&r, cf, 3, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_MULTIPLE);
	assert_int_equal(r.root_count, 2);
	near(1.0, r.roots[0], "first root");
	near(2.0, r.roots[1], "second root");
	near(0.0, r.rate, "no single rate");
	assert_true(r.several_sign_changes);
	assert_non_null(strstr(r.message, "several IRRs"));
}

/* Two roots closer than a grid step: (x - 1/1.10)(x - 1/1.11) has IRRs 10 % and 11 %, both
 * inside one step of the default grid (1.8 % in 1 + r); found through the dip search. With a
 * 16-point grid the roots 10 % and 30 % also share a step. */
static void test_finance__irr_close_roots(void **state)
{
	(void)state;
	double x1 = 1 / 1.10, x2 = 1 / 1.11;
	double cf[] = {x1 * x2, -(x1 + x2), 1};
	eic_fin_irr r;
	assert_int_equal(eic_fin_irr_compute(&r, cf, 3, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_MULTIPLE);
	assert_int_equal(r.root_count, 2);
	near_tol(0.10, r.roots[0], 1e-9, "root 10 %");
	near_tol(0.11, r.roots[1], 1e-9, "root 11 %");
	double y1 = 1 / 1.1, y2 = 1 / 1.3;
	double cf2[] = {-y1 * y2, y1 + y2, -1};
	eic_fin_irr_options coarse = EIC_FIN_IRR_OPTIONS_INIT;
	coarse.grid_points = 16;
	assert_int_equal(eic_fin_irr_compute(&r, cf2, 3, &coarse), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_MULTIPLE);
	near_tol(0.1, r.roots[0], 1e-9, "root 10 % (coarse grid)");
	near_tol(0.3, r.roots[1], 1e-9, "root 30 % (coarse grid)");
}

static void test_finance__irr_none(void **state)
{
	(void)state;
	eic_fin_irr r;
	double same[] = {10, 20, 30};
	assert_int_equal(eic_fin_irr_compute(&r, same, 3, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_NONE);
	assert_non_null(strstr(r.message, "never change sign"));
	near(0.0, r.rate, "rate of no IRR");
	/* 1 - 2x + 2x^2 has no real root although the flows change sign twice */
	double twice[] = {1, -2, 2};
	assert_int_equal(eic_fin_irr_compute(&r, twice, 3, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_NONE);
	assert_int_equal(r.sign_changes, 2);
	assert_true(r.several_sign_changes);
	/* one sign change but the root (99900 %) is outside the searched range */
	double far[] = {-1, 1000};
	assert_int_equal(eic_fin_irr_compute(&r, far, 2, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_NONE);
	assert_non_null(strstr(r.message, "outside"));
	eic_fin_irr_options wide = EIC_FIN_IRR_OPTIONS_INIT;
	wide.rate_max = 2000;
	assert_int_equal(eic_fin_irr_compute(&r, far, 2, &wide), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_UNIQUE);
	near_tol(999.0, r.rate, 1e-9, "far root with a wider range");
	double zeros[] = {0, 0};
	assert_int_equal(eic_fin_irr_compute(&r, zeros, 2, NULL), 0);
	assert_int_equal(r.status, EIC_FIN_IRR_NONE);
	assert_int_equal(eic_fin_irr_compute(&r, zeros, 2, &(eic_fin_irr_options){1, -1.5, 1, 10}),
	                 EIC_EINVAL);
}

/* MIRR, benefit-cost ratio and annual savings on [-1000, 300, -100, 900] at 10 %, finance
 * 10 %, reinvestment 12 %: MIRR = ((300 x 1.12^2 + 900) / (1000 + 100 / 1.1^2))^(1/3) - 1. */
static void test_finance__metrics_mirr_bcr(void **state)
{
	(void)state;
	double cf[] = {-1000, 300, -100, 900};
	eic_fin_metrics_options o = EIC_FIN_METRICS_OPTIONS_INIT;
	o.rate = 0.1;
	o.finance_rate = 0.1;
	o.reinvest_rate = 0.12;
	eic_fin_metrics m;
	assert_int_equal(eic_fin_metrics_compute(&m, cf, 4, &o), 0);
	double fv = 300 * 1.12 * 1.12 + 900, pv = 1000 + 100 / 1.21;
	assert_true(m.has_mirr);
	near(pow(fv / pv, 1.0 / 3) - 1, m.mirr, "MIRR");
	near(0.05639065275137, m.mirr, "MIRR value");
	double pos = 300 / 1.1 + 900 / 1.331, neg = 1000 + 100 / 1.21;
	assert_true(m.has_benefit_cost);
	near(pos / neg, m.benefit_cost, "B/C");
	near(pos - neg, m.npv, "NPV");
	double g = 1.331, crf = 0.1 * g / (g - 1);
	near((pos - neg) * crf, m.annual_savings, "annual life-cycle savings");
}

static void test_finance__metrics_payback(void **state)
{
	(void)state;
	double cf[] = {-1000, 300, -100, 900};
	eic_fin_metrics m;
	assert_int_equal(eic_fin_metrics_compute(&m, cf, 4, NULL), 0);
	/* cumulative -1000, -700, -800, 100: pays back in year 3 at 2 + 800/900 */
	assert_true(m.has_payback);
	near(2.0 + 800.0 / 900.0, m.payback, "payback");
	double re[] = {-100, 150, -100, 10};
	assert_int_equal(eic_fin_metrics_compute(&m, re, 4, NULL), 0);
	near(100.0 / 150.0, m.payback, "first payback");
	assert_true(m.payback_recrosses);
	/* discounted payback at 10 %: discounted flows -100, 136.36...: 100 / 136.36 */
	eic_fin_metrics_options o = EIC_FIN_METRICS_OPTIONS_INIT;
	o.rate = 0.1;
	double simple[] = {-100, 150};
	assert_int_equal(eic_fin_metrics_compute(&m, simple, 2, &o), 0);
	assert_true(m.has_discounted_payback);
	near(100.0 / (150.0 / 1.1), m.discounted_payback, "discounted payback");
	double crf = 0;
	assert_int_equal(eic_fin_crf(&crf, 0.0, 4), 0);
	near(0.25, crf, "CRF at 0 %");
	assert_int_equal(eic_fin_crf(&crf, 0.1, 0), EIC_EINVAL);
}

/* ---- project appraisal ------------------------------------------------------------------- */

static const double capex_1000[] = {1000};

static eic_fin_project simple_project(void)
{
	eic_fin_project p = EIC_FIN_PROJECT_INIT;
	p.id = "demo";
	p.life_years = 3;
	p.capex = capex_1000;
	p.capex_count = 1;
	p.revenue = 500;
	p.revenue_escalation = 0.1;
	p.opex_fixed = 100;
	p.opex_escalation = 0.05;
	p.salvage_value = 100;
	return p;
}

/* RETScreen: nominal escalation from year 1, salvage escalated at inflation (2 %). */
static void test_finance__appraise_retscreen(void **state)
{
	(void)state;
	eic_fin_project p = simple_project();
	eic_fin_options o = EIC_FIN_OPTIONS_INIT;
	o.discount_rate = 0.1;
	o.inflation = 0.02;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, NULL), 0);
	assert_int_equal(eic_fin_appraisal_year_count(a), 4);
	double expect[] = {-1000, 445, 494.75, 665.5 - 115.7625 + 100 * 1.02 * 1.02 * 1.02};
	const double *pre = eic_fin_appraisal_series(a, "pre_tax");
	for (int t = 0; t < 4; t++)
		near(expect[t], pre[t], "pre-tax flow");
	near(550, eic_fin_appraisal_year(a, 1)->revenue, "revenue year 1 = 500 x 1.1");
	near(110.25, eic_fin_appraisal_year(a, 2)->opex, "opex year 2 = 100 x 1.05^2");
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	near(0.1, s->discount_nominal, "nominal rate");
	near(1.1 / 1.02 - 1, s->discount_real, "real rate");
	double npv = 0;
	assert_int_equal(eic_fin_npv(&npv, expect, 4, 0.1), 0);
	near(npv, s->pre_tax.npv, "NPV");
	near(306.1858001502627, s->pre_tax.npv, "NPV value");
	near(s->pre_tax.npv, s->after_tax.npv, "no tax");
	near(s->pre_tax.npv, s->equity.npv, "no debt");
	assert_int_equal(s->pre_tax.irr.status, EIC_FIN_IRR_UNIQUE);
	/* cumulative -1000, -555, -60.25, +595.61: payback 2 + 60.25 / 655.8583 */
	near(2 + 60.25 / expect[3], s->pre_tax.payback, "payback");
	assert_false(s->has_lcoe);
	assert_false(s->has_co2e);
	assert_true(eic_fin_appraisal_note_count(a) >= 1);
	assert_non_null(strstr(eic_fin_appraisal_note(a, 0), "RETScreen"));
	assert_null(eic_fin_appraisal_series(a, "nope"));
	eic_fin_appraisal_free(a);
	eic_fin_appraisal_free(NULL);
}

/* SAM: discount rate and escalations real; nominal by Fisher. Real escalation 0 gives costs
 * growing with inflation only. */
static void test_finance__appraise_sam(void **state)
{
	(void)state;
	eic_fin_project p = simple_project();
	p.revenue_escalation = 0.0;
	p.opex_escalation = 0.0;
	eic_fin_options o = EIC_FIN_OPTIONS_INIT;
	o.convention = EIC_FIN_SAM;
	o.discount_rate = 0.05;
	o.inflation = 0.02;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, NULL), 0);
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	near(1.05 * 1.02 - 1, s->discount_nominal, "Fisher");
	near(0.05, s->discount_real, "real");
	near(500 * 1.02 * 1.02, eic_fin_appraisal_year(a, 2)->revenue, "revenue at inflation");
	near(100 * 1.02 * 1.02 * 1.02, eic_fin_appraisal_year(a, 3)->opex, "opex at inflation");
	/* in real terms this is (-1000, 400, 400, 400 + 100) at 5 % */
	near(-1000 + 400 / 1.05 + 400 / 1.1025 + 500 / 1.157625, s->pre_tax.npv, "NPV = real NPV");
	assert_non_null(strstr(eic_fin_appraisal_note(a, 0), "SAM"));
	eic_fin_appraisal_free(a);
}

/* Straight-line tax over 4 years with a loss carried forward: capex 1000, revenue 400 (first
 * year at 20 %), tax 25 %. Depreciation 250/yr. Taxable: -170 (carried), 150 - 150 = 0,
 * 150 - 20 = 130 (tax 32.5), 150 (tax 37.5). */
static void test_finance__appraise_tax_straight_line(void **state)
{
	(void)state;
	double ramp[] = {0.2};
	eic_fin_project p = EIC_FIN_PROJECT_INIT;
	p.life_years = 4;
	p.capex = capex_1000;
	p.capex_count = 1;
	p.revenue = 400;
	p.ramp = ramp;
	p.ramp_count = 1;
	p.tax_rate = 0.25;
	p.depreciation = EIC_FIN_DEPR_STRAIGHT_LINE;
	p.depreciation_years = 4;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, NULL, NULL), 0);
	double tax[] = {0, 0, 0, 32.5, 37.5};
	for (size_t t = 0; t < 5; t++) {
		near(t == 0 ? 0 : 250, eic_fin_appraisal_year(a, t)->depreciation, "depreciation");
		near(tax[t], eic_fin_appraisal_year(a, t)->tax, "tax carried forward");
	}
	eic_fin_appraisal_free(a);
	/* flow-through: negative tax in year 1 = 0.25 x -170 */
	p.tax_loss = EIC_FIN_LOSS_FLOW_THROUGH;
	assert_int_equal(eic_fin_appraise(&a, &p, NULL, NULL), 0);
	near(-42.5, eic_fin_appraisal_year(a, 1)->tax, "flow-through credit");
	near(37.5, eic_fin_appraisal_year(a, 2)->tax, "flow-through year 2");
	eic_fin_appraisal_free(a);
	p.tax_loss = EIC_FIN_LOSS_LOST;
	assert_int_equal(eic_fin_appraise(&a, &p, NULL, NULL), 0);
	near(0, eic_fin_appraisal_year(a, 1)->tax, "loss lost");
	near(37.5, eic_fin_appraisal_year(a, 2)->tax, "lost: year 2 taxed fully");
	eic_fin_appraisal_free(a);
}

/* Declining balance at 50 %: 500, 250, 125, 62.5; book 62.5 left, salvage 0: a loss of 62.5 in
 * the last year. Revenue 400, tax 25 %: taxable 400-500 = -100 (carried), 150 - 100 = 50,
 * 275, 400 - 62.5 - 62.5 = 275. */
static void test_finance__appraise_declining_balance(void **state)
{
	(void)state;
	eic_fin_project p = EIC_FIN_PROJECT_INIT;
	p.life_years = 4;
	p.capex = capex_1000;
	p.capex_count = 1;
	p.revenue = 400;
	p.tax_rate = 0.25;
	p.depreciation = EIC_FIN_DEPR_DECLINING_BALANCE;
	p.depreciation_rate = 0.5;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, NULL, NULL), 0);
	double dep[] = {0, 500, 250, 125, 62.5}, tax[] = {0, 0, 12.5, 68.75, 68.75};
	for (size_t t = 0; t < 5; t++) {
		near(dep[t], eic_fin_appraisal_year(a, t)->depreciation, "DB depreciation");
		near(tax[t], eic_fin_appraisal_year(a, t)->tax, "DB tax");
	}
	eic_fin_appraisal_free(a);
}

/* Capital subsidy 40 %, half the net cost borrowed over 2 years at 10 %: debt 300, annuity
 * 172.857; equity flows -300, 227.143, 227.143, 400; equity payback 1 + 72.857 / 227.143. */
static void test_finance__appraise_debt_equity_payback(void **state)
{
	(void)state;
	eic_fin_project p = EIC_FIN_PROJECT_INIT;
	p.life_years = 3;
	p.capex = capex_1000;
	p.capex_count = 1;
	p.revenue = 400;
	p.capital_subsidy_share = 0.4;
	p.debt_ratio = 0.5;
	p.debt_rate = 0.1;
	p.debt_term_years = 2;
	p.equity_available = 200;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, NULL, NULL), 0);
	double pmt = 300 * 0.1 / (1 - 1 / 1.21);
	const double *eq = eic_fin_appraisal_series(a, "equity");
	near(-300, eq[0], "equity year 0");
	near(400 - pmt, eq[1], "equity year 1");
	near(400 - pmt, eq[2], "equity year 2");
	near(400, eq[3], "equity year 3");
	near(30, eic_fin_appraisal_year(a, 1)->debt_interest, "interest year 1");
	near(300 - (pmt - 30), eic_fin_appraisal_year(a, 2)->debt_principal, "last principal");
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	near(1 + (300 - (400 - pmt)) / (400 - pmt), s->equity.payback, "equity payback");
	near(0.6 * 1000 / 400, s->pre_tax.payback, "project payback 600 / 400");
	near(600, s->net_capital_cost, "net capital cost");
	near(300, s->valley.depth, "valley depth");
	near(100, s->valley.funding_gap, "funding gap 300 - 200");
	eic_fin_appraisal_free(a);
}

/* LCOE and cost per tonne: capex 1000, opex 50/yr + 0.01/kWh, 1000 kWh/yr, 2 years, 0 %
 * inflation, 10 %. Costs: 1000, 60, 60; energy 0, 1000, 1000. */
static void test_finance__appraise_lcoe_co2e(void **state)
{
	(void)state;
	eic_fin_project p = EIC_FIN_PROJECT_INIT;
	p.life_years = 2;
	p.capex = capex_1000;
	p.capex_count = 1;
	p.opex_fixed = 50;
	p.opex_variable = 0.01;
	p.energy_per_year = 1000;
	p.avoided_cost = 700;
	p.co2e_t_per_year = 10;
	eic_fin_options o = EIC_FIN_OPTIONS_INIT;
	o.discount_rate = 0.1;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, NULL), 0);
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	assert_true(s->has_lcoe);
	double pvc = 1000 + 60 / 1.1 + 60 / 1.21, pve = 1000 / 1.1 + 1000 / 1.21;
	near(pvc / pve, s->lcoe_nominal, "LCOE nominal");
	near(pvc / pve, s->lcoe_real, "LCOE real = nominal at 0 % inflation");
	double crf = 0.1 * 1.21 / 0.21;
	near(crf, s->fixed_charge_rate, "FCR = CRF(10 %, 2)");
	near((crf * 1000 + 50) / 1000 + 0.01, s->lcoe_fcr, "LCOE by FCR");
	assert_true(s->has_co2e);
	double npv = -1000 + 640 / 1.1 + 640 / 1.21;
	near(npv, s->pre_tax.npv, "NPV");
	near(20, s->co2e_t, "tonnes");
	near(-npv / (10 / 1.1 + 10 / 1.21), s->cost_per_t, "cost per tonne discounted");
	near(-npv / 20, s->cost_per_t_undiscounted, "cost per tonne undiscounted");
	eic_fin_appraisal_free(a);
}

/* A project that never earns anything: no IRR, no payback, no MIRR; each said in a note and
 * no number (NaN or otherwise) presented for them. */
static void test_finance__appraise_no_irr(void **state)
{
	(void)state;
	eic_fin_project p = EIC_FIN_PROJECT_INIT;
	p.life_years = 5;
	p.capex = capex_1000;
	p.capex_count = 1;
	p.opex_fixed = 10;
	eic_fin_options o = EIC_FIN_OPTIONS_INIT;
	o.discount_rate = 0.08;
	eic_fin_appraisal *a = NULL;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, NULL), 0);
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	assert_int_equal(s->pre_tax.irr.status, EIC_FIN_IRR_NONE);
	near(0, s->pre_tax.irr.rate, "no IRR is 0, flagged");
	assert_false(s->pre_tax.has_payback);
	assert_false(s->pre_tax.has_mirr);
	assert_false(s->pre_tax.has_discounted_payback);
	assert_true(s->valley.has_trough);
	assert_false(s->valley.has_break_even);
	near(1050, s->valley.depth, "never recovers: depth 1000 + 5 x 10");
	near(5, s->valley.duration, "trough to the end of the life");
	int irr_note = 0, payback_note = 0;
	for (size_t i = 0; i < eic_fin_appraisal_note_count(a); i++) {
		const char *note = eic_fin_appraisal_note(a, i);
		irr_note |= strstr(note, "pre-tax project IRR: no IRR") != NULL;
		payback_note |= strstr(note, "no payback") != NULL;
	}
	assert_true(irr_note);
	assert_true(payback_note);
	assert_true(isfinite(s->pre_tax.npv) && isfinite(s->pre_tax.annual_savings));
	eic_fin_appraisal_free(a);
}

static int has_diag(const eic_diags *d, const char *needle)
{
	for (size_t i = 0; i < eic_diags_count(d); i++)
		if (strstr(eic_diags_get(d, i)->message, needle))
			return 1;
	return 0;
}

static void test_finance__bad_input(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	eic_fin_project p = simple_project();
	eic_fin_options o = EIC_FIN_OPTIONS_INIT;
	eic_fin_appraisal *a = NULL;
	o.discount_rate = 1.5;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, d), EIC_EINVALID);
	assert_null(a);
	assert_true(has_diag(d, "discount rate = 1.5"));
	o.discount_rate = -1.0;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, d), EIC_EINVALID);
	assert_true(has_diag(d, "above -100%"));
	o.discount_rate = 0.1;
	p.life_years = -5;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, d), EIC_EINVALID);
	assert_true(has_diag(d, "project life = -5"));
	p = simple_project();
	p.debt_ratio = 0.5;
	p.debt_rate = 0.1;
	p.debt_term_years = 10;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, d), EIC_EINVALID);
	assert_true(has_diag(d, "longer than the project"));
	p = simple_project();
	double nan_capex[] = {NAN};
	p.capex = nan_capex;
	assert_int_equal(eic_fin_appraise(&a, &p, &o, d), EIC_EINVALID);
	assert_true(has_diag(d, "capital cost of year 0"));
	/* still works without a diagnostic list */
	assert_int_equal(eic_fin_appraise(&a, &p, &o, NULL), EIC_EINVALID);

	eic_fin_lease_options lo = EIC_FIN_LEASE_OPTIONS_INIT;
	lo.price = 1000;
	lo.lease_payment = 10;
	lo.lease_periods = 0;
	eic_fin_lease_result lr;
	assert_int_equal(eic_fin_lease_vs_buy(&lr, &lo, d), EIC_EINVALID);
	assert_true(has_diag(d, "a lease needs at least one"));

	eic_loan_options l = EIC_LOAN_OPTIONS_INIT;
	l.principal = 100;
	l.rate = 0.2; /* per month: 240 %/yr */
	l.periods = 12;
	eic_loan *loan = NULL;
	assert_int_equal(eic_loan_new(&loan, &l, d), EIC_EINVALID);
	assert_null(loan);
	assert_true(has_diag(d, "not plausible"));
	l.rate = 0.01;
	l.periods = 0;
	assert_int_equal(eic_loan_new(&loan, &l, d), EIC_EINVALID);
	assert_true(has_diag(d, "0 instalments"));
	eic_loan_free(NULL);
	eic_diags_free(d);
}

/* ---- loans ---------------------------------------------------------------------------- */

static void test_finance__loan_kinds(void **state)
{
	(void)state;
	/* equal principal: 1200 at 1 %: instalments 112 ... 101, interest 78 */
	eic_loan *loan = make_loan(EIC_LOAN_EQUAL_PRINCIPAL, 1200, 0.01, 12);
	assert_int_equal(eic_loan_row_count(loan), 13);
	near(112, eic_loan_row_at(loan, 1)->payment, "first instalment");
	near(101, eic_loan_row_at(loan, 12)->payment, "last instalment");
	near(78, eic_loan_summary_get(loan)->total_interest, "interest");
	near(0.01, eic_loan_summary_get(loan)->periodic_rate, "IRR = contract rate");
	near(0.12, eic_loan_summary_get(loan)->apr, "APR");
	near(pow(1.01, 12) - 1, eic_loan_summary_get(loan)->ear, "EAR");
	eic_loan_free(loan);

	/* balloon of 50 %: the last payment is the instalment plus 500 */
	eic_loan_options o = EIC_LOAN_OPTIONS_INIT;
	o.kind = EIC_LOAN_BALLOON;
	o.principal = 1000;
	o.rate = 0.01;
	o.periods = 12;
	o.balloon_share = 0.5;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	double pmt = (1000 - 500 / pow(1.01, 12)) * 0.01 / (1 - pow(1.01, -12));
	near(pmt, eic_loan_summary_get(loan)->instalment, "balloon instalment");
	near(pmt + 500, eic_loan_row_at(loan, 12)->payment, "balloon last payment");
	near(0.01, eic_loan_summary_get(loan)->periodic_rate, "balloon IRR");
	eic_loan_free(loan);

	/* interest-only grace of 3 months, then 12 annuity instalments on 1000 */
	o.kind = EIC_LOAN_ANNUITY;
	o.grace = EIC_GRACE_INTEREST_ONLY;
	o.grace_periods = 3;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	assert_int_equal(eic_loan_row_count(loan), 16);
	near(10, eic_loan_row_at(loan, 2)->payment, "grace interest");
	near(1000 * 0.01 / (1 - pow(1.01, -12)), eic_loan_row_at(loan, 4)->payment,
	     "annuity after grace");
	near(0.01, eic_loan_summary_get(loan)->periodic_rate, "IRR with grace");
	eic_loan_free(loan);

	/* full grace: 1000 x 1.01^3 capitalised */
	o.grace = EIC_GRACE_FULL;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	near(0, eic_loan_row_at(loan, 2)->payment, "nothing paid in full grace");
	near(1000 * pow(1.01, 3), eic_loan_row_at(loan, 3)->balance, "capitalised balance");
	near(1000 * pow(1.01, 3) * 0.01 / (1 - pow(1.01, -12)),
	     eic_loan_summary_get(loan)->instalment, "instalment on the capitalised balance");
	near(0.01, eic_loan_summary_get(loan)->periodic_rate, "IRR with full grace");
	eic_loan_free(loan);

	/* flat with full grace: 3 x 12 interest accrued, spread over the 12 instalments */
	o.kind = EIC_LOAN_FLAT;
	o.principal = 1200;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	near(100 + 12 + 3.0, eic_loan_summary_get(loan)->instalment, "flat instalment after grace");
	near(15 * 12, eic_loan_summary_get(loan)->total_interest, "flat interest 15 months");
	eic_loan_free(loan);
}

/* L3 with a 2 % fee: the effective rate rises above the L3 rate, computed from the flows. */
static void test_finance__loan_fees_yearly(void **state)
{
	(void)state;
	eic_loan_options o = EIC_LOAN_OPTIONS_INIT;
	o.kind = EIC_LOAN_FLAT;
	o.principal = 325;
	o.rate = 0.01;
	o.periods = 24;
	o.fee_share = 0.02;
	eic_loan *loan = NULL;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	const eic_loan_summary *s = eic_loan_summary_get(loan);
	near(6.5, s->total_fees, "fee 2 %");
	near(318.5, s->net_disbursed, "net disbursed");
	assert_true(s->periodic_rate > 0.0179760);
	double flows[25];
	flows[0] = 318.5;
	for (int k = 1; k <= 24; k++)
		flows[k] = -403.0 / 24;
	double npv = 1;
	assert_int_equal(eic_fin_npv(&npv, flows, 25, s->periodic_rate), 0);
	near_tol(0, npv, 1e-9, "NPV of the borrower flows at the APR/12");
	/* yearly flows: 325 - 6.5 in year 0, twelve instalments in each of years 1 and 2 */
	double y[4];
	assert_int_equal(eic_loan_yearly_flows(y, 4, loan, 1), 0);
	near(0, y[0], "year 0");
	near(318.5, y[1], "disbursement in the start year");
	near(-12 * 403.0 / 24, y[2], "year 2");
	near(-12 * 403.0 / 24, y[3], "year 3");
	assert_int_equal(eic_loan_yearly_flows(y, 2, loan, 0), 0);
	near(-24 * 403.0 / 24, y[1], "flows past the end folded into the last year");
	eic_loan_free(loan);
}

static void test_finance__vendor_franchise(void **state)
{
	(void)state;
	/* 0 % vendor credit on a price 10 % above the cash price: 1100, 10 % down, 10 x 99 */
	eic_fin_vendor_options v = EIC_FIN_VENDOR_OPTIONS_INIT;
	v.cash_price = 1000;
	v.credit_price = 1100;
	v.down_payment_share = 0.1;
	v.rate = 0.0;
	v.instalments = 10;
	eic_fin_vendor_result vr;
	assert_int_equal(eic_fin_vendor_credit(&vr, &v, NULL), 0);
	near(110, vr.down_payment, "down payment");
	near(99, vr.instalment, "instalment");
	near(1100, vr.total_paid, "total paid");
	assert_true(vr.has_rate);
	near_tol(0.0198444692925, vr.periodic_rate, 1e-9, "hidden monthly rate");
	near(vr.periodic_rate * 12, vr.apr, "APR");

	/* franchise: 1000 over 12 months at 2 %, MFI fees 1 % on disbursement and 2 % on
	 * recoveries, 98 % recovered */
	eic_fin_franchise_options f = EIC_FIN_FRANCHISE_OPTIONS_INIT;
	f.loan.principal = 1000;
	f.loan.rate = 0.02;
	f.loan.periods = 12;
	f.disbursement_fee_share = 0.01;
	f.recovery_fee_share = 0.02;
	f.repayment_rate = 0.98;
	f.loans = 100;
	eic_fin_franchise_result fr;
	assert_int_equal(eic_fin_franchise(&fr, &f, NULL), 0);
	double pmt = 1000 * 0.02 / (1 - pow(1.02, -12));
	near(0.98 * 12 * pmt, fr.recovered, "recovered");
	near(10 + 0.02 * 0.98 * 12 * pmt, fr.mfi_fee_total, "MFI fees");
	near(0.98 * 12 * pmt - 1000 - fr.mfi_fee_total, fr.bank_net, "bank net");
	near(100 * fr.mfi_fee_total, fr.programme_mfi_fees, "programme fees");
	assert_true(fr.has_bank_rate);
	near_tol(0.01189462361838, fr.bank_periodic_rate, 1e-9, "bank monthly return");
}

/* Fund of 10000 lending 1000 over 2 years at 10 %: annuity 576.19; whole loans only. */
static void test_finance__revolving_fund(void **state)
{
	(void)state;
	eic_fin_fund_options o = EIC_FIN_FUND_OPTIONS_INIT;
	o.initial_capital = 10000;
	o.loan_size = 1000;
	o.term_years = 2;
	o.rate = 0.1;
	o.years = 3;
	eic_fin_fund *f = NULL;
	assert_int_equal(eic_fin_fund_simulate(&f, &o, NULL), 0);
	double pmt = 1000 * 0.1 / (1 - 1 / 1.21);
	long issued[] = {10, 5, 9};
	double collected[] = {10 * pmt, 15 * pmt, 14 * pmt};
	double balance = 10000;
	assert_int_equal(eic_fin_fund_year_count(f), 3);
	for (size_t y = 0; y < 3; y++) {
		const eic_fin_fund_year *row = eic_fin_fund_year_at(f, y);
		assert_int_equal(row->loans_issued, issued[y]);
		near(collected[y], row->collected, "collected");
		balance += collected[y] - 1000.0 * issued[y];
		near(balance, row->balance, "balance");
	}
	assert_int_equal(eic_fin_fund_year_at(f, 2)->households_cumulative, 24);
	const eic_fin_fund_summary *s = eic_fin_fund_summary_get(f);
	near(9 * (1100 - pmt), s->final_outstanding, "outstanding: cohort 3 after one payment");
	assert_true(s->capital_preserved);
	assert_false(s->ran_dry);
	eic_fin_fund_free(f);

	/* everybody defaults and administration costs 100 a year: the fund runs dry */
	o.default_rate = 1.0;
	o.admin_cost_fixed = 100;
	assert_int_equal(eic_fin_fund_simulate(&f, &o, NULL), 0);
	s = eic_fin_fund_summary_get(f);
	assert_int_equal(s->loans_total, 10);
	near(0, s->collected_total, "nothing collected");
	near(-300, s->final_balance, "admin paid from nothing");
	assert_true(s->ran_dry);
	assert_false(s->capital_preserved);
	near(10000, s->defaulted_principal, "defaulted");
	eic_fin_fund_free(f);
	eic_fin_fund_free(NULL);
}

/* 5 members, p = 0.1, instalment 10, each payer covers up to 10: the group falls short with
 * 3 or more defaulters (P = 0.00856); repayment 0.9981; expected cover 1.09 per payer. */
static void test_finance__group_lending(void **state)
{
	(void)state;
	eic_fin_group_options o = EIC_FIN_GROUP_OPTIONS_INIT;
	o.members = 5;
	o.default_probability = 0.1;
	o.instalment = 10;
	o.cover_limit = 10;
	eic_fin_group_result r;
	assert_int_equal(eic_fin_group_lending(&r, &o, NULL), 0);
	near(0.9, r.individual_repayment_rate, "individual");
	near(0.9981, r.group_repayment_rate, "group repayment");
	near(0.00856, r.group_shortfall_probability, "shortfall");
	near(1.09, r.expected_cover, "cover per payer");
	near(0.109, r.cost_share, "cost share");
	o.cover_limit = 0;
	assert_int_equal(eic_fin_group_lending(&r, &o, NULL), 0);
	near(0.9, r.group_repayment_rate, "no joint liability = individual");
	o.members = 1000;
	o.cover_limit = 1;
	assert_int_equal(eic_fin_group_lending(&r, &o, NULL), 0);
	assert_true(r.group_repayment_rate >= 0.9 && r.group_repayment_rate <= 1.0);
}

static void test_finance__green_terms(void **state)
{
	(void)state;
	const eic_fin_green_rule table[] = {{"A", 1, 0.02, 0.5}, {"C", 0, 0.0, 0.0}};
	eic_loan_options l = EIC_LOAN_OPTIONS_INIT;
	l.principal = 1000;
	l.rate = 0.01;
	l.periods = 12;
	eic_fin_green_terms t;
	assert_int_equal(eic_fin_green_apply(&t, &l, table, 2, "A", NULL), 0);
	assert_true(t.found && t.eligible);
	near(0.01 - 0.02 / 12, l.rate, "discounted monthly rate");
	near(500, t.guaranteed, "guaranteed principal");
	l.rate = 0.01;
	assert_int_equal(eic_fin_green_apply(&t, &l, table, 2, "C", NULL), 0);
	assert_true(t.found);
	assert_false(t.eligible);
	near(0.01, l.rate, "unchanged");
	assert_int_equal(eic_fin_green_apply(&t, &l, table, 2, "Z", NULL), 0);
	assert_false(t.found);
	const eic_fin_green_rule bad[] = {{"A", 1, 2.0, 0.5}};
	assert_int_equal(eic_fin_green_apply(&t, &l, bad, 1, "A", NULL), EIC_EINVALID);
}

/* DV1 with four candidates; see the ranking worked out in docs/methods/finance.md. */
static void test_finance__valley_close(void **state)
{
	(void)state;
	const double bank[] = {90000, 0, 0, 0, 0, -50000, -50000};
	const double grant[] = {40000};
	const double bridge[] = {50000, 0, -55000};
	eic_fin_candidate c[] = {
	    {"bank loan", bank, 7}, {"grant", grant, 1}, {"bridge", bridge, 3}};
	eic_fin_close_options o = EIC_FIN_CLOSE_OPTIONS_INIT;
	o.rate = 0.1;
	eic_fin_close *cl = NULL;
	assert_int_equal(eic_fin_valley_close(&cl, dv1, 7, c, 3, &o, NULL), 0);
	assert_int_equal(eic_fin_close_count(cl), 6);
	near(90000, eic_fin_close_valley(cl)->depth, "project depth");
	size_t order_first[] = {0, 0, 1, 1, 0, 2};
	size_t order_second[] = {1, (size_t)-1, 2, (size_t)-1, 2, (size_t)-1};
	int closes[] = {1, 1, 0, 0, 0, 0};
	for (size_t i = 0; i < 6; i++) {
		const eic_fin_close_row *r = eic_fin_close_at(cl, i);
		assert_int_equal(r->first, order_first[i]);
		assert_int_equal(r->second, order_second[i]);
		assert_int_equal(r->closes, closes[i]);
	}
	double bank_npv = 90000 - 50000 / pow(1.1, 5) - 50000 / pow(1.1, 6);
	near(bank_npv, eic_fin_close_at(cl, 1)->finance_npv, "bank loan NPV");
	near(0, eic_fin_close_at(cl, 1)->min_cash, "bank loan: cash touches 0 in year 2");
	near(-50000, eic_fin_close_at(cl, 3)->min_cash, "grant alone");
	eic_fin_close_free(cl);
	/* with a reserve of 1000 the bank loan alone no longer closes it */
	o.min_reserve = 1000;
	assert_int_equal(eic_fin_valley_close(&cl, dv1, 7, c, 3, &o, NULL), 0);
	assert_int_equal(eic_fin_close_at(cl, 0)->closes, 1);
	assert_int_equal(eic_fin_close_at(cl, 1)->closes, 0);
	eic_fin_close_free(cl);
	const double too_long[8] = {0};
	eic_fin_candidate bad = {"too long", too_long, 8};
	assert_int_equal(eic_fin_valley_close(&cl, dv1, 7, &bad, 1, &o, NULL), EIC_EINVALID);
	assert_null(cl);
}

/* ---- the manual's examples (docs/methods/finance.md, "Worked examples") ----------------- */

/* Wesco Credit (manual 3.d.5.4): a 325 USD household biogas unit, two-year loan, one
 * instalment collected in advance as a security deposit, about 20 years of life. At 12 %/yr
 * flat the instalment is 403 / 24 = 16.791667; holding one instalment as a deposit (returned
 * as the last instalment) raises the monthly cost from 1.7976 % to 1.9687 %. */
static void test_finance__manual_wesco_biogas(void **state)
{
	(void)state;
	eic_loan_options o = EIC_LOAN_OPTIONS_INIT;
	o.kind = EIC_LOAN_FLAT;
	o.principal = 325;
	o.rate = 0.01;
	o.periods = 24;
	o.deposit_instalments = 1;
	eic_loan *loan = NULL;
	assert_int_equal(eic_loan_new(&loan, &o, NULL), 0);
	const eic_loan_summary *s = eic_loan_summary_get(loan);
	near(403.0 / 24, s->deposit, "deposit = one instalment");
	near(325 - 403.0 / 24, s->net_disbursed, "cash in hand 308.21");
	near(0, eic_loan_row_at(loan, 24)->borrower_flow, "deposit pays the last instalment");
	near_tol(0.019687019, s->periodic_rate, 1e-9, "monthly cost with the deposit");
	near_tol(0.236244231, s->apr, 1e-8, "APR with the deposit");
	near_tol(0.263579841, s->ear, 1e-8, "EAR with the deposit");
	eic_loan_free(loan);
	/* 20-year life: the capital cost per year of use at 12 %/yr is 325 x CRF(12 %, 20) */
	double crf = 0;
	assert_int_equal(eic_fin_crf(&crf, 0.12, 20), 0);
	near_tol(43.5106035, 325 * crf, 1e-6, "annualised cost of the unit");
	near_tol(26.1063621, 195 * crf, 1e-6, "with Nepal's 40 % subsidy");
}

/* Nepal (manual 3.d.5.3): subsidy about 50 % on micro hydro, about 40 % on biogas, 30-50 % on
 * solar. Applied to the 325 USD unit as capital_subsidy_share: the owner's net cost. */
static void test_finance__manual_nepal_subsidies(void **state)
{
	(void)state;
	const double shares[] = {0.30, 0.40, 0.50};
	const double net[] = {227.5, 195.0, 162.5};
	const double capex[] = {325};
	for (int i = 0; i < 3; i++) {
		eic_fin_project p = EIC_FIN_PROJECT_INIT;
		p.life_years = 20;
		p.capex = capex;
		p.capex_count = 1;
		p.capital_subsidy_share = shares[i];
		eic_fin_appraisal *a = NULL;
		assert_int_equal(eic_fin_appraise(&a, &p, NULL, NULL), 0);
		near(net[i], eic_fin_appraisal_summary(a)->net_capital_cost, "net cost");
		near(325 * shares[i], eic_fin_appraisal_year(a, 0)->subsidy, "subsidy");
		eic_fin_appraisal_free(a);
	}
}

/* Grameen Shakti micro-utility (manual 3.d.4): the owner pays the instalment and collects
 * load charges from neighbours that cover about half of it. With an illustrative 300 USD
 * system on 36 monthly instalments at 1 %/month: instalment 9.964293, owner's share 4.982146,
 * 179.36 over the loan instead of 358.71. */
static void test_finance__manual_micro_utility(void **state)
{
	(void)state;
	eic_loan *loan = make_loan(EIC_LOAN_ANNUITY, 300, 0.01, 36);
	double pmt = eic_loan_summary_get(loan)->instalment;
	near_tol(9.96429294, pmt, 1e-8, "instalment");
	double neighbours = 0.5 * pmt;
	near_tol(4.98214647, pmt - neighbours, 1e-8, "owner's monthly share");
	near_tol(179.35727299, 36 * (pmt - neighbours), 1e-7, "owner's total");
	/* as a death-valley candidate for the owner: the load charges are an inflow */
	double flows[4];
	assert_int_equal(eic_loan_yearly_flows(flows, 4, loan, 0), 0);
	near(300, flows[0], "year 0: the system (financed)");
	near(-12 * pmt, flows[1], "year 1 instalments");
	eic_loan_free(loan);
}

/* Allocation-failure injection: failing the n-th allocation gives EIC_ENOMEM and no object,
 * never a crash or a leak (ASan), until n passes the last allocation. */
static void test_finance__alloc_failures(void **state)
{
	(void)state;
	eic_fin_project p = simple_project();
	p.depreciation = EIC_FIN_DEPR_STRAIGHT_LINE;
	p.depreciation_years = 2;
	p.tax_rate = 0.2;
	long n;
	for (n = 0;; n++) {
		eic_fin_appraisal *a = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_fin_appraise(&a, &p, NULL, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			eic_fin_appraisal_free(a);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(a);
	}
	assert_true(n > 0);
	eic_loan_options lo = EIC_LOAN_OPTIONS_INIT;
	lo.principal = 100;
	lo.rate = 0.01;
	lo.periods = 12;
	for (n = 0;; n++) {
		eic_loan *loan = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_loan_new(&loan, &lo, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			eic_loan_free(loan);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(loan);
	}
	eic_fin_fund_options fo = EIC_FIN_FUND_OPTIONS_INIT;
	fo.initial_capital = 1000;
	fo.loan_size = 100;
	for (n = 0;; n++) {
		eic_fin_fund *f = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_fin_fund_simulate(&f, &fo, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			eic_fin_fund_free(f);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(f);
	}
	const double grant[] = {40000};
	eic_fin_candidate c[] = {{"grant", grant, 1}, {"grant again", grant, 1}};
	for (n = 0;; n++) {
		eic_fin_close *cl = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_fin_valley_close(&cl, dv1, 7, c, 2, NULL, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(eic_fin_close_count(cl), 3);
			eic_fin_close_free(cl);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(cl);
	}
	eic_fin_franchise_options fr = EIC_FIN_FRANCHISE_OPTIONS_INIT;
	fr.loan = lo;
	eic_fin_franchise_result frr;
	for (n = 0;; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_fin_franchise(&frr, &fr, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_finance__ref_L1_flat),
	    cmocka_unit_test(test_finance__ref_L2_balloon),
	    cmocka_unit_test(test_finance__ref_L3_biogas_flat),
	    cmocka_unit_test(test_finance__ref_L3b_declining),
	    cmocka_unit_test(test_finance__ref_L3d_subsidy),
	    cmocka_unit_test(test_finance__ref_LB1_lease),
	    cmocka_unit_test(test_finance__ref_DV1_valley),
	    cmocka_unit_test(test_finance__ref_sam_lcoe_fcr),
	    cmocka_unit_test(test_finance__npv_basic),
	    cmocka_unit_test(test_finance__irr_conventional),
	    cmocka_unit_test(test_finance__irr_multiple),
	    cmocka_unit_test(test_finance__irr_close_roots),
	    cmocka_unit_test(test_finance__irr_none),
	    cmocka_unit_test(test_finance__metrics_mirr_bcr),
	    cmocka_unit_test(test_finance__metrics_payback),
	    cmocka_unit_test(test_finance__appraise_retscreen),
	    cmocka_unit_test(test_finance__appraise_sam),
	    cmocka_unit_test(test_finance__appraise_tax_straight_line),
	    cmocka_unit_test(test_finance__appraise_declining_balance),
	    cmocka_unit_test(test_finance__appraise_debt_equity_payback),
	    cmocka_unit_test(test_finance__appraise_lcoe_co2e),
	    cmocka_unit_test(test_finance__appraise_no_irr),
	    cmocka_unit_test(test_finance__bad_input),
	    cmocka_unit_test(test_finance__loan_kinds),
	    cmocka_unit_test(test_finance__loan_fees_yearly),
	    cmocka_unit_test(test_finance__vendor_franchise),
	    cmocka_unit_test(test_finance__revolving_fund),
	    cmocka_unit_test(test_finance__group_lending),
	    cmocka_unit_test(test_finance__green_terms),
	    cmocka_unit_test(test_finance__valley_close),
	    cmocka_unit_test(test_finance__manual_wesco_biogas),
	    cmocka_unit_test(test_finance__manual_nepal_subsidies),
	    cmocka_unit_test(test_finance__manual_micro_utility),
	    cmocka_unit_test(test_finance__alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
