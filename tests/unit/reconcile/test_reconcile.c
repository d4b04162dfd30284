/* test_reconcile.c: unit tests of data reconciliation (src/lib/mfa): the reference cases of
 * ../shared/data/reference/mfa, unknowns, classification, bad input, nonlinear relations,
 * sparse against dense, problem files and clusters (docs/methods/reconciliation.md). */
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

#include "testutil.h"

/* Reference cases are printed with 6 decimals: 1e-6 absolute (the task's tolerance; the
 * rounding of the printed values is at most 5e-7). Hand-computed cases: 1e-9 absolute plus
 * 1e-9 relative. Sparse against dense: 1e-8 relative (different rounding paths). */
#define REF_TOL 1e-6
#define ABS_TOL 1e-9
#define REL_TOL 1e-9

static void assert_near_tol(double expected, double actual, double abs_tol, double rel_tol,
                            const char *what)
{
	double tol = abs_tol + rel_tol * fabs(expected);
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.12g, got %.12g (tolerance %g)", what, expected, actual,
		         tol);
}

static void assert_near(double expected, double actual, const char *what)
{
	assert_near_tol(expected, actual, ABS_TOL, REL_TOL, what);
}

static size_t add_var(eic_reconcile_problem *p, const char *id, double value, double sd)
{
	size_t idx = 0;
	assert_int_equal(eic_reconcile_problem_add_variable(p, &idx, id, value, sd), 0);
	return idx;
}

static const eic_reconcile_var *var_of(const eic_reconcile_result *r, const char *id)
{
	for (size_t i = 0; i < eic_reconcile_result_var_count(r); i++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(r, i);
		if (!strcmp(v->id, id))
			return v;
	}
	fail_msg("no variable %s in the result", id);
	return NULL;
}

static int has_note(const eic_reconcile_result *r, const char *needle)
{
	for (size_t i = 0; i < eic_reconcile_result_note_count(r); i++)
		if (strstr(eic_reconcile_result_note(r, i), needle))
			return 1;
	return 0;
}

static eic_reconcile_result *solve(const eic_reconcile_problem *p, eic_reconcile_solver solver)
{
	eic_reconcile_options o = EIC_RECONCILE_OPTIONS_INIT;
	eic_reconcile_result *r = NULL;
	o.solver = solver;
	assert_int_equal(eic_reconcile(&r, p, &o), 0);
	assert_non_null(r);
	return r;
}

/* ---- chi-square tail ---- */

static void test_reconcile__chi2_sf(void **state)
{
	(void)state;
	/* closed forms: dof 1: erfc(sqrt(x/2)); dof 2: exp(-x/2); dof 4: exp(-x/2)(1 + x/2) */
	double xs[] = {0.01, 0.5, 1.0, 3.841458820694124, 12.813201, 40.0, 200.0};
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		double x = xs[i];
		assert_near_tol(erfc(sqrt(x / 2.0)), eic_chi2_sf(x, 1.0), 1e-14, 1e-11, "dof 1");
		assert_near_tol(exp(-x / 2.0), eic_chi2_sf(x, 2.0), 1e-14, 1e-11, "dof 2");
		assert_near_tol(exp(-x / 2.0) * (1.0 + x / 2.0), eic_chi2_sf(x, 4.0), 1e-14, 1e-11,
		                "dof 4");
	}
	assert_near_tol(0.05, eic_chi2_sf(3.841458820694124, 1.0), 1e-12, 0, "5% point, dof 1");
	/* 5% point of chi-square(10) is 18.307038 (standard tables) */
	assert_near_tol(0.05, eic_chi2_sf(18.307038053275146, 10.0), 1e-9, 0, "5% point, dof 10");
	assert_near(1.0, eic_chi2_sf(0.0, 3.0), "x = 0");
	assert_true(isnan(eic_chi2_sf(1.0, 0.0)));
}

/* ---- the reference cases ---- */

/* Split one CSV line into at most `max` fields (double-quoted fields may hold commas). */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;
	while (*p && n < max) {
		if (*p == '"') {
			p++;
			fields[n++] = p;
			while (*p && *p != '"')
				p++;
			if (*p)
				*p++ = '\0';
			if (*p == ',')
				p++;
		} else {
			fields[n++] = p;
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				p++;
			if (*p)
				*p++ = '\0';
		}
	}
	return n;
}

static int parse_list(const char *text, double *out, int max)
{
	int n = 0;
	const char *p = text;
	while (*p && n < max) {
		char *end;
		double v = strtod(p, &end);
		if (end == p) {
			p++;
			continue;
		}
		out[n++] = v;
		p = end;
	}
	return n;
}

static void run_reference_case(char **f, eic_reconcile_solver solver)
{
	double x[32], var[32], ex[32], esd[32], coef[32 * 32];
	int nx = parse_list(f[2], x, 32);
	int nrows = 1;
	for (const char *p = f[1]; *p; p++)
		nrows += *p == ';';
	int ncoef = parse_list(f[1], coef, 32 * 32);
	assert_int_equal(ncoef, nrows * nx);
	if (strstr(f[3], "0.03*x")) {
		for (int i = 0; i < nx; i++)
			var[i] = (0.03 * x[i]) * (0.03 * x[i]);
	} else {
		assert_int_equal(parse_list(f[3], var, 32), nx);
	}
	assert_int_equal(parse_list(f[4], ex, 32), nx);
	assert_int_equal(parse_list(f[5], esd, 32), nx);
	double chi2 = strtod(f[6], NULL), dof = strtod(f[7], NULL);

	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	for (int i = 0; i < nx; i++) {
		char id[16];
		snprintf(id, sizeof(id), "x%d", i + 1);
		add_var(p, id, x[i], sqrt(var[i]));
	}
	for (int r = 0; r < nrows; r++) {
		eic_reconcile_term t[32];
		size_t nt = 0;
		for (int i = 0; i < nx; i++)
			if (coef[r * nx + i] != 0.0) {
				t[nt].coef = coef[r * nx + i];
				t[nt].var = (size_t)i;
				t[nt].var2 = EIC_RECONCILE_NONE;
				nt++;
			}
		assert_int_equal(eic_reconcile_problem_add_equation(p, "row", t, nt, 0.0), 0);
	}
	eic_reconcile_result *res = solve(p, solver);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(res);
	char what[96];
	assert_int_equal(s->status, EIC_RECONCILE_OK);
	for (int i = 0; i < nx; i++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(res, (size_t)i);
		snprintf(what, sizeof(what), "%s x%d value", f[0], i + 1);
		assert_near_tol(ex[i], v->value, REF_TOL, 0, what);
		snprintf(what, sizeof(what), "%s x%d sd", f[0], i + 1);
		assert_near_tol(esd[i], v->sd, REF_TOL, 0, what);
		assert_int_equal(v->klass, EIC_RECONCILE_REDUNDANT);
	}
	snprintf(what, sizeof(what), "%s chi2", f[0]);
	assert_near_tol(chi2, s->chi2, REF_TOL, 0, what);
	assert_int_equal((int)s->dof, (int)dof);
	eic_reconcile_result_free(res);
	eic_reconcile_problem_free(p);
}

static void test_reconcile__reference_cases(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/mfa/linear_wls_cases.csv");
	if (!path) {
		skip();
		return;
	}
	size_t size = 0;
	char *data = eic_test_read_file(path, &size);
	assert_non_null(data);
	int cases = 0, header = 0;
	for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
		char copy[2048], copy2[2048];
		char *f[16];
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!header) {
			header = 1;
			continue;
		}
		snprintf(copy, sizeof(copy), "%s", line);
		snprintf(copy2, sizeof(copy2), "%s", line);
		assert_int_equal(csv_split(copy, f, 16), 8);
		run_reference_case(f, EIC_RECONCILE_SPARSE);
		assert_int_equal(csv_split(copy2, f, 16), 8);
		run_reference_case(f, EIC_RECONCILE_DENSE);
		cases++;
	}
	assert_int_equal(cases, 3); /* STAN1, P1, P2 */
	free(data);
}

/* STAN's help example in numbers: import 100 +- 10 and export 90 +- 10 both move by 5. */
static void test_reconcile__stan_example(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	size_t in = add_var(p, "import", 100, 10), out = add_var(p, "export", 90, 10);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "process 1", &in, 1, &out, 1), 0);
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	assert_near(95.0, var_of(r, "import")->value, "import");
	assert_near(95.0, var_of(r, "export")->value, "export");
	assert_near(sqrt(50.0), var_of(r, "import")->sd, "sd");
	/* adjustment -5, its sd sqrt(100 - 50): normalised -5/sqrt(50) */
	assert_near(-5.0 / sqrt(50.0), var_of(r, "import")->normalised_adjustment, "normalised");
	assert_near(0.5, s->chi2, "chi2");
	assert_int_equal(s->dof, 1);
	assert_near(erfc(sqrt(0.25)), s->p_value, "p");
	assert_true(s->consistent);
	assert_non_null(strstr(s->message, "are consistent"));
	assert_non_null(strstr(s->message, "chi-square 0.50 on 1 degree of freedom, p = 0.48"));
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
}

/* A gross error: import entered as 1000 instead of 100. */
static void test_reconcile__gross_error(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	size_t f1 = add_var(p, "f1", 100, 5), f2 = add_var(p, "f2", 300, 10);
	size_t f3 = add_var(p, "f3", 60, 5), f4 = add_var(p, "f4", 40, 4);
	size_t outs1[] = {f3, f4};
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P1", &f1, 1, outs1, 2), 0);
	size_t ins2[] = {f3, f4};
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P2", ins2, 2, &f2, 1), 0);
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	assert_int_equal(s->status, EIC_RECONCILE_OK);
	assert_int_equal(s->dof, 2);
	assert_false(s->consistent);
	assert_true(s->gross_error_count > 0);
	assert_true(s->worst != EIC_RECONCILE_NONE);
	assert_non_null(strstr(s->message, "are not consistent"));
	assert_non_null(strstr(s->message, "check "));
	/* chi2 equals the weighted sum of squared adjustments */
	double wss = 0.0;
	for (size_t i = 0; i < 4; i++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(r, i);
		wss += v->adjustment * v->adjustment / (v->measured_sd * v->measured_sd);
	}
	assert_near(wss, s->chi2, "chi2 = weighted sum of squares");
	/* the balances hold */
	assert_near(var_of(r, "f1")->value, var_of(r, "f3")->value + var_of(r, "f4")->value, "P1");
	assert_near(var_of(r, "f2")->value, var_of(r, "f3")->value + var_of(r, "f4")->value, "P2");
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
}

/* An unknown between two measured flows is determinable; both measured are redundant. */
static void test_reconcile__determinable_unknown(void **state)
{
	(void)state;
	for (int solver = 0; solver < 2; solver++) {
		eic_reconcile_problem *p = NULL;
		assert_int_equal(eic_reconcile_problem_new(&p), 0);
		size_t f1 = add_var(p, "f1", 100, 10), f2 = add_var(p, "f2", NAN, NAN);
		size_t f3 = add_var(p, "f3", 90, 10);
		assert_int_equal(eic_reconcile_problem_add_balance(p, "P1", &f1, 1, &f2, 1), 0);
		assert_int_equal(eic_reconcile_problem_add_balance(p, "P2", &f2, 1, &f3, 1), 0);
		eic_reconcile_result *r = solve(p, (eic_reconcile_solver)solver);
		const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
		assert_int_equal(s->status, EIC_RECONCILE_OK);
		assert_int_equal(var_of(r, "f2")->klass, EIC_RECONCILE_DETERMINABLE);
		assert_near(95.0, var_of(r, "f2")->value, "f2");
		assert_near(sqrt(50.0), var_of(r, "f2")->sd, "f2 sd");
		assert_int_equal(var_of(r, "f1")->klass, EIC_RECONCILE_REDUNDANT);
		assert_near(0.5, s->chi2, "chi2");
		assert_int_equal(s->dof, 1);
		assert_int_equal(s->determinable_count, 1);
		assert_null(var_of(r, "f2")->determined);
		eic_reconcile_result_free(r);
		eic_reconcile_problem_free(p);
	}
}

/* One measured input, two unknown outputs: the sum is determined, not the split; the input
 * is just determined (not adjustable). */
static void test_reconcile__undetermined_split(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	size_t f1 = add_var(p, "f1", 12.5, 1.0);
	size_t outs[] = {add_var(p, "f3", NAN, NAN), add_var(p, "f4", NAN, NAN)};
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P", &f1, 1, outs, 2), 0);
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	assert_int_equal(s->status, EIC_RECONCILE_OK);
	assert_int_equal(s->dof, 0);
	assert_false(s->tested);
	assert_near(1.0, s->p_value, "p without a test");
	assert_int_equal(var_of(r, "f1")->klass, EIC_RECONCILE_JUST_DETERMINED);
	assert_near(12.5, var_of(r, "f1")->value, "f1");
	assert_near(1.0, var_of(r, "f1")->sd, "f1 sd");
	for (int i = 0; i < 2; i++) {
		const eic_reconcile_var *v = var_of(r, i ? "f4" : "f3");
		assert_int_equal(v->klass, EIC_RECONCILE_UNDETERMINED);
		assert_true(isnan(v->value));
		assert_non_null(v->determined);
		assert_string_equal(v->determined,
		                    "f3 + f4 = 12.5 is determined; the split is not");
	}
	assert_non_null(strstr(s->message, "no redundancy"));
	eic_reconcile_result_free(r);
	/* the dense path on an empty reduced system */
	r = solve(p, EIC_RECONCILE_DENSE);
	assert_int_equal(eic_reconcile_result_summary(r)->status, EIC_RECONCILE_OK);
	assert_int_equal(var_of(r, "f3")->klass, EIC_RECONCILE_UNDETERMINED);
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
}

/* Zero variance is an exact value; negative is refused; exact values that contradict the
 * balances are diagnosed, never a crash or NaN. */
static void test_reconcile__constants_and_bad_input(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	size_t idx;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	assert_int_equal(eic_reconcile_problem_add_variable(p, &idx, "bad", 1.0, -1.0), EIC_EINVAL);
	assert_int_equal(eic_reconcile_problem_add_variable(p, &idx, "", 1.0, 1.0), EIC_EINVAL);
	assert_int_equal(eic_reconcile_problem_add_variable(p, &idx, "inf", INFINITY, 1.0),
	                 EIC_EINVAL);
	size_t f1 = add_var(p, "f1", 100, 0.0), f2 = add_var(p, "f2", 90, 10);
	assert_int_equal(eic_reconcile_problem_add_variable(p, &idx, "f1", 1.0, 1.0), EIC_EEXISTS);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P", &f1, 1, &f2, 1), 0);
	size_t bogus = 99;
	assert_int_equal(eic_reconcile_problem_add_balance(p, "Q", &bogus, 1, &f2, 1), EIC_EINVAL);
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	assert_int_equal(s->status, EIC_RECONCILE_OK);
	assert_int_equal(var_of(r, "f1")->klass, EIC_RECONCILE_CONSTANT);
	assert_near(100.0, var_of(r, "f1")->value, "f1 exact");
	assert_near(100.0, var_of(r, "f2")->value, "f2 moved to the exact value");
	assert_near(0.0, var_of(r, "f2")->sd, "f2 sd");
	assert_near(1.0, s->chi2, "chi2");
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);

	/* two exact values that cannot balance */
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	f1 = add_var(p, "a", 100, NAN);
	f2 = add_var(p, "b", 90, 0.0);
	size_t f3 = add_var(p, "c", 5, 1.0);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P", &f1, 1, &f2, 1), 0);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "R", &f3, 1, NULL, 0), 0);
	for (int solver = 0; solver < 2; solver++) {
		r = solve(p, (eic_reconcile_solver)solver);
		s = eic_reconcile_result_summary(r);
		assert_int_equal(s->status, EIC_RECONCILE_INCONSISTENT);
		assert_true(has_note(r, "P cannot hold with the exact values"));
		assert_non_null(strstr(s->message, "cannot all hold"));
		for (size_t i = 0; i < eic_reconcile_result_var_count(r); i++)
			assert_false(isnan(eic_reconcile_result_var(r, i)->value));
		eic_reconcile_result_free(r);
	}
	eic_reconcile_problem_free(p);

	/* a contradiction that only appears when balances are combined through an unknown,
	 * and a measured flow that is consistent on its own */
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	f1 = add_var(p, "a", 100, 0);
	f2 = add_var(p, "u", NAN, NAN);
	f3 = add_var(p, "b", 80, 0);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P1", &f1, 1, &f2, 1), 0);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P2", &f2, 1, &f3, 1), 0);
	r = solve(p, EIC_RECONCILE_SPARSE);
	assert_int_equal(eic_reconcile_result_summary(r)->status, EIC_RECONCILE_INCONSISTENT);
	assert_true(has_note(r, "after eliminating the unknowns"));
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);

	/* dependent equations with measured values: consistent duplicates are fine, the
	 * degrees of freedom count independent equations only */
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	f1 = add_var(p, "a", 100, 10);
	f2 = add_var(p, "b", 90, 10);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P", &f1, 1, &f2, 1), 0);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "P again", &f1, 1, &f2, 1), 0);
	assert_int_equal(eic_reconcile_problem_add_ratio(p, "same", f1, f2, 1.0), 0);
	for (int solver = 0; solver < 2; solver++) {
		r = solve(p, (eic_reconcile_solver)solver);
		s = eic_reconcile_result_summary(r);
		assert_int_equal(s->status, EIC_RECONCILE_OK);
		assert_int_equal(s->dof, 1);
		assert_near(0.5, s->chi2, "chi2 with duplicated equations");
		assert_near(95.0, var_of(r, "a")->value, "a");
		assert_near(sqrt(50.0), var_of(r, "a")->sd, "a sd");
		eic_reconcile_result_free(r);
	}
	/* an equation that contradicts the others among measured values only through a fixed
	 * right-hand side: a = b and a - b = 5 */
	eic_reconcile_term t[2] = {{1.0, f1, EIC_RECONCILE_NONE}, {-1.0, f2, EIC_RECONCILE_NONE}};
	assert_int_equal(eic_reconcile_problem_add_equation(p, "shifted", t, 2, 5.0), 0);
	for (int solver = 0; solver < 2; solver++) {
		r = solve(p, (eic_reconcile_solver)solver);
		s = eic_reconcile_result_summary(r);
		assert_int_equal(s->status, EIC_RECONCILE_INCONSISTENT);
		assert_true(has_note(r, "contradicts the other equations"));
		eic_reconcile_result_free(r);
	}
	eic_reconcile_problem_free(p);
}

static void test_reconcile__empty_and_disconnected(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	eic_reconcile_result *r = NULL;
	assert_int_equal(eic_reconcile(&r, NULL, NULL), EIC_EINVAL);
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	r = solve(p, EIC_RECONCILE_SPARSE);
	assert_int_equal(eic_reconcile_result_summary(r)->status, EIC_RECONCILE_EMPTY);
	assert_non_null(strstr(eic_reconcile_result_summary(r)->message, "empty"));
	eic_reconcile_result_free(r);
	add_var(p, "f1", 5, 1);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "lonely", NULL, 0, NULL, 0), 0);
	r = solve(p, EIC_RECONCILE_SPARSE);
	assert_int_equal(eic_reconcile_result_summary(r)->status, EIC_RECONCILE_EMPTY);
	assert_true(has_note(r, "lonely: no flows (a disconnected node)"));
	assert_near(5.0, var_of(r, "f1")->value, "f1 untouched");
	eic_reconcile_result_free(r);
	eic_reconcile_options o = EIC_RECONCILE_OPTIONS_INIT;
	o.version = 99;
	assert_int_equal(eic_reconcile(&r, p, &o), EIC_EINVAL);
	eic_reconcile_problem_free(p);
	eic_reconcile_problem_free(NULL);
	eic_reconcile_result_free(NULL);
}

/* Transfer coefficient and ratio: linear relations that hold exactly afterwards. */
static void test_reconcile__transfer_and_ratio(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	size_t in = add_var(p, "in", 100, 10);
	size_t outs[] = {add_var(p, "ash", 35, 5), add_var(p, "gas", 60, 10)};
	size_t dust = add_var(p, "dust", NAN, NAN);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "boiler", &in, 1, outs, 2), 0);
	assert_int_equal(eic_reconcile_problem_add_transfer(p, "tc ash", outs[0], &in, 1, 0.3), 0);
	assert_int_equal(eic_reconcile_problem_add_ratio(p, "dust", dust, outs[0], 0.1), 0);
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	assert_int_equal(s->status, EIC_RECONCILE_OK);
	assert_int_equal(s->dof, 2);
	double vin = var_of(r, "in")->value, vash = var_of(r, "ash")->value;
	assert_near(0.3 * vin, vash, "transfer coefficient holds");
	assert_near(vin, vash + var_of(r, "gas")->value, "balance holds");
	assert_near(0.1 * vash, var_of(r, "dust")->value, "ratio");
	assert_near(0.1 * var_of(r, "ash")->sd, var_of(r, "dust")->sd, "ratio sd");
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
}

/* Substance layer: concentration times flow, reconciled by successive linearisation. */
static void test_reconcile__nonlinear(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	size_t m1 = add_var(p, "m1", 100, 5), m2 = add_var(p, "m2", 98, 5);
	size_t c1 = add_var(p, "c1", 0.10, 0.01), c2 = add_var(p, "c2", 0.12, 0.01);
	size_t s2 = add_var(p, "s2", NAN, NAN);
	assert_int_equal(eic_reconcile_problem_add_balance(p, "mass", &m1, 1, &m2, 1), 0);
	eic_reconcile_term t[2] = {{1.0, c1, m1}, {-1.0, c2, m2}};
	assert_int_equal(eic_reconcile_problem_add_equation(p, "substance", t, 2, 0.0), 0);
	assert_int_equal(eic_reconcile_problem_add_product(p, "s2", s2, c2, m2), 0);
	for (int solver = 0; solver < 2; solver++) {
		eic_reconcile_result *r = solve(p, (eic_reconcile_solver)solver);
		const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
		assert_int_equal(s->status, EIC_RECONCILE_OK);
		assert_true(s->nonlinear);
		assert_true(s->iterations > 1);
		double vm1 = var_of(r, "m1")->value, vm2 = var_of(r, "m2")->value;
		double vc1 = var_of(r, "c1")->value, vc2 = var_of(r, "c2")->value;
		assert_near(vm1, vm2, "mass balance");
		assert_near(vc1 * vm1, vc2 * vm2, "substance balance");
		assert_near(vc2 * vm2, var_of(r, "s2")->value, "substance flow");
		assert_int_equal(var_of(r, "s2")->klass, EIC_RECONCILE_DETERMINABLE);
		assert_true(var_of(r, "s2")->sd > 0.0);
		assert_int_equal(s->dof, 2);
		double wss = 0.0;
		for (size_t i = 0; i < 4; i++) {
			const eic_reconcile_var *v = eic_reconcile_result_var(r, i);
			wss += v->adjustment * v->adjustment / (v->measured_sd * v->measured_sd);
		}
		assert_near_tol(wss, s->chi2, 1e-9, 1e-6, "chi2 at convergence");
		eic_reconcile_result_free(r);
	}
	/* one iteration is not enough: reported, not an error */
	eic_reconcile_options o = EIC_RECONCILE_OPTIONS_INIT;
	eic_reconcile_result *r = NULL;
	o.max_iterations = 1;
	assert_int_equal(eic_reconcile(&r, p, &o), 0);
	assert_int_equal(eic_reconcile_result_summary(r)->status, EIC_RECONCILE_MAX_ITERATIONS);
	assert_non_null(strstr(eic_reconcile_result_summary(r)->message, "did not converge"));
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
}

/* A deterministic random network: sparse and dense agree; balances hold; chi2 equals the
 * weighted sum of squared adjustments. */
static void test_reconcile__sparse_matches_dense(void **state)
{
	(void)state;
	eic_reconcile_problem *p = NULL;
	uint64_t seed = 42;
#define NEXT() (seed = seed * 6364136223846793005ULL + 1442695040888963407ULL, (seed >> 33))
	const int procs = 40, flows = 160;
	int from[160], to[160];
	assert_int_equal(eic_reconcile_problem_new(&p), 0);
	for (int f = 0; f < flows; f++) {
		char id[16];
		from[f] = (int)(NEXT() % (procs + 1)) - 1; /* -1: outside */
		to[f] = (int)(NEXT() % (procs + 1)) - 1;
		if (from[f] == to[f])
			to[f] = (to[f] + 2) % procs;
		snprintf(id, sizeof(id), "f%d", f);
		double value = 10.0 + (double)(NEXT() % 1000) / 10.0;
		int unknown = NEXT() % 10 == 0;
		add_var(p, id, unknown ? NAN : value, unknown ? NAN : 0.05 * value);
	}
	for (int k = 0; k < procs; k++) {
		size_t in[160], out[160], ni = 0, no = 0;
		char name[16];
		for (int f = 0; f < flows; f++) {
			if (to[f] == k)
				in[ni++] = (size_t)f;
			if (from[f] == k)
				out[no++] = (size_t)f;
		}
		snprintf(name, sizeof(name), "P%d", k);
		assert_int_equal(eic_reconcile_problem_add_balance(p, name, in, ni, out, no), 0);
	}
#undef NEXT
	eic_reconcile_result *rs = solve(p, EIC_RECONCILE_SPARSE);
	eic_reconcile_result *rd = solve(p, EIC_RECONCILE_DENSE);
	const eic_reconcile_summary *ss = eic_reconcile_result_summary(rs);
	const eic_reconcile_summary *sd = eic_reconcile_result_summary(rd);
	assert_int_equal(ss->status, EIC_RECONCILE_OK);
	assert_int_equal(sd->status, EIC_RECONCILE_OK);
	assert_int_equal(ss->dof, sd->dof);
	assert_true(ss->dof > 0);
	assert_near_tol(sd->chi2, ss->chi2, 1e-9, 1e-8, "chi2 sparse vs dense");
	double wss = 0.0;
	for (size_t i = 0; i < (size_t)flows; i++) {
		const eic_reconcile_var *a = eic_reconcile_result_var(rs, i);
		const eic_reconcile_var *b = eic_reconcile_result_var(rd, i);
		assert_int_equal(a->klass, b->klass);
		if (a->klass == EIC_RECONCILE_UNDETERMINED)
			continue;
		assert_near_tol(b->value, a->value, 1e-9, 1e-8, a->id);
		assert_near_tol(b->sd, a->sd, 1e-9, 1e-7, a->id);
		assert_near_tol(b->normalised_adjustment, a->normalised_adjustment, 1e-7, 1e-7,
		                a->id);
		if (a->klass == EIC_RECONCILE_REDUNDANT)
			wss += a->adjustment * a->adjustment / (a->measured_sd * a->measured_sd);
	}
	assert_near_tol(wss, ss->chi2, 1e-9, 1e-8, "chi2 = weighted sum of squares");
	for (int k = 0; k < procs; k++) {
		double bal = 0.0, scale = 0.0;
		int any_undet = 0;
		for (int f = 0; f < flows; f++) {
			const eic_reconcile_var *v = eic_reconcile_result_var(rs, (size_t)f);
			if (to[f] != k && from[f] != k)
				continue;
			if (v->klass == EIC_RECONCILE_UNDETERMINED) {
				any_undet = 1;
				continue;
			}
			bal += (to[f] == k ? 1 : -1) * v->value;
			scale += fabs(v->value);
		}
		if (!any_undet)
			assert_near_tol(0.0, bal, 1e-9, 0, "balance holds");
		(void)scale;
	}
	eic_reconcile_result_free(rs);
	eic_reconcile_result_free(rd);
	eic_reconcile_problem_free(p);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_reconcile__problem_file(void **state)
{
	(void)state;
	char *dir = eic_test_tmpdir("reconcile");
	char path[512];
	eic_diags *diags = NULL;
	eic_reconcile_problem *p = NULL;
	assert_non_null(dir);
	assert_int_equal(eic_diags_new(&diags, 100), 0);

	/* the example shipped in tests/data/reconcile */
	assert_int_equal(
	    eic_reconcile_problem_read(&p, diags, eic_test_src("tests/data/reconcile/stan1.json")),
	    0);
	assert_string_equal(eic_reconcile_problem_unit(p), "t");
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	assert_near(95.0, var_of(r, "import")->value, "import");
	assert_near(0.5, eic_reconcile_result_summary(r)->chi2, "chi2");
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
	p = NULL;

	snprintf(path, sizeof(path), "%s/bad.json", dir);
	write_text(path, "{\"eic_reconcile\": 1, \"variables\": [{\"id\": \"a\", \"value\": 1, "
	                 "\"sd\": -2}, {\"id\": \"b\", \"rel_sd\": 0.1}, {\"id\": \"c\"}], "
	                 "\"processes\": [{\"id\": \"P\", \"inputs\": [\"c\"], \"outputs\": "
	                 "[\"zz\"]}], "
	                 "\"relations\": [{\"type\": \"bogus\"}]}");
	assert_int_equal(eic_reconcile_problem_read(&p, diags, path), EIC_EINVALID);
	assert_null(p);
	char all[4096] = "";
	for (size_t i = 0; i < eic_diags_count(diags); i++) {
		strncat(all, eic_diags_get(diags, i)->message, sizeof(all) - strlen(all) - 2);
		strcat(all, "\n");
	}
	assert_non_null(strstr(all, "negative standard deviation"));
	assert_non_null(strstr(all, "uncertainty is given without a value"));
	assert_non_null(strstr(all, "unknown variable 'zz'"));
	assert_non_null(strstr(all, "unknown relation type 'bogus'"));

	snprintf(path, sizeof(path), "%s/syntax.json", dir);
	write_text(path, "{\"eic_reconcile\": 1,\n \"variables\": [}");
	assert_int_equal(eic_reconcile_problem_read(&p, diags, path), EIC_EPARSE);
	snprintf(path, sizeof(path), "%s/none.json", dir);
	assert_int_equal(eic_reconcile_problem_read(&p, diags, path), EIC_EIO);
	eic_diags_free(diags);
	free(dir);
}

static void add_flow(eic_cluster *c, const char *id, const char *from, const char *to,
                     double quantity, const char *unit, double sd, double rel_sd,
                     eic_data_quality quality)
{
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	f.from = from;
	f.to = to;
	f.material = "wood";
	f.quantity = quantity;
	f.unit = unit;
	f.period = "2023";
	f.sd = sd;
	f.rel_sd = rel_sd;
	f.quality = quality;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
}

static void test_reconcile__from_cluster(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	eic_cluster_info info;
	eic_period per = {"2023", "2023-01-01", "2023-12-31", NULL};
	eic_actor a;
	eic_process pr;
	eic_material m;
	assert_int_equal(eic_cluster_new(&c), 0);
	memset(&info, 0, sizeof(info));
	info.id = "test";
	info.name = "Test";
	info.mass_unit = "t";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	assert_int_equal(eic_cluster_add_period(c, &per), 0);
	memset(&a, 0, sizeof(a));
	a.id = "mill";
	a.name = "Mill";
	a.employees = -1;
	a.value_added = a.lat = a.lon = NAN;
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	memset(&pr, 0, sizeof(pr));
	pr.id = "saw";
	pr.actor = "mill";
	pr.name = "Sawing";
	assert_int_equal(eic_cluster_add_process(c, &pr), 0);
	pr.id = "idle";
	pr.name = "Idle";
	assert_int_equal(eic_cluster_add_process(c, &pr), 0);
	memset(&m, 0, sizeof(m));
	m.id = "wood";
	m.name = "Wood";
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
	/* 100 t in (rel_sd 10%), 90 t out (sd 10 t, in kg: 10000 kg), 2000 kg to landfill exact */
	add_flow(c, "in", "boundary:supply_market", "saw", 100, "t", NAN, 0.1,
	         EIC_QUALITY_MEASURED);
	add_flow(c, "out", "saw", "boundary:product_market", 90000, "kg", 10000, NAN,
	         EIC_QUALITY_MEASURED);
	add_flow(c, "waste", "saw", "boundary:landfill", 2000, "kg", NAN, NAN,
	         EIC_QUALITY_ESTIMATED);

	eic_reconcile_problem *p = NULL;
	assert_int_equal(eic_reconcile_problem_from_cluster(&p, c, "1999", "mass"), EIC_ENOTFOUND);
	assert_int_equal(eic_reconcile_problem_from_cluster(&p, c, "2023", "volume"), EIC_EINVAL);
	assert_int_equal(eic_reconcile_problem_from_cluster(&p, c, "2023", "mass"), 0);
	assert_int_equal(eic_reconcile_problem_variable_count(p), 3);
	assert_int_equal(eic_reconcile_problem_equation_count(p), 1); /* idle has no flows */
	eic_reconcile_result *r = solve(p, EIC_RECONCILE_SPARSE);
	const eic_reconcile_summary *s = eic_reconcile_result_summary(r);
	assert_int_equal(s->status, EIC_RECONCILE_OK);
	assert_true(has_note(r, "process idle has no mass flows in this period"));
	assert_true(has_note(r, "flow waste: estimated without an uncertainty, taken as exact"));
	assert_int_equal(var_of(r, "waste")->klass, EIC_RECONCILE_CONSTANT);
	/* in - out = 2 exactly: in 100 +- 10, out 90 +- 10 -> adjustment 4 each */
	assert_near(96.0, var_of(r, "in")->value, "in");
	assert_near(94.0, var_of(r, "out")->value, "out in t");
	assert_near(64.0 / 200.0, s->chi2, "chi2");
	eic_reconcile_result_free(r);
	eic_reconcile_problem_free(p);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reconcile__chi2_sf),
	    cmocka_unit_test(test_reconcile__reference_cases),
	    cmocka_unit_test(test_reconcile__stan_example),
	    cmocka_unit_test(test_reconcile__gross_error),
	    cmocka_unit_test(test_reconcile__determinable_unknown),
	    cmocka_unit_test(test_reconcile__undetermined_split),
	    cmocka_unit_test(test_reconcile__constants_and_bad_input),
	    cmocka_unit_test(test_reconcile__empty_and_disconnected),
	    cmocka_unit_test(test_reconcile__transfer_and_ratio),
	    cmocka_unit_test(test_reconcile__nonlinear),
	    cmocka_unit_test(test_reconcile__sparse_matches_dense),
	    cmocka_unit_test(test_reconcile__problem_file),
	    cmocka_unit_test(test_reconcile__from_cluster),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
