/* test_solver.c: unit tests of eic's MILP interface (src/lib/solver) on hand-solved models: an
 * LP, a 0/1 knapsack, a small facility location, infeasible and unbounded models, bad input. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <eic/eic.h>
#include <eic/solver.h>

#include "testutil.h"

/* The optima are small integers or sums of them: 1e-6 absolute (the solver's feasibility
 * tolerance is 1e-7) and 1e-9 relative. */
#define ABS_TOL 1e-6
#define REL_TOL 1e-9

static void assert_near(double expected, double actual, const char *what)
{
	double tol = ABS_TOL + REL_TOL * fabs(expected);
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.12g, got %.12g (tolerance %g)", what, expected, actual,
		         tol);
}

static size_t col(eic_milp *m, const char *name, double lb, double ub, double obj, int integer)
{
	size_t j = 0;
	assert_int_equal(eic_milp_add_col(m, &j, name, lb, ub, obj, integer), 0);
	return j;
}

static size_t row(eic_milp *m, const char *name, double lb, double ub, size_t n, const size_t *cols,
                  const double *vals)
{
	size_t i = 0;
	assert_int_equal(eic_milp_add_row(m, &i, name, NULL, lb, ub, n, cols, vals), 0);
	return i;
}

/* max 3x + 2y s.t. x + y <= 4, x + 3y <= 6, x <= 3: the vertex (3, 1), objective 11. */
static void test_solver__lp(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	assert_int_equal(eic_milp_new(&m), 0);
	eic_milp_set_sense(m, EIC_MILP_MAXIMIZE);
	size_t x = col(m, "x", 0, 3, 3, 0), y = col(m, "y", 0, EIC_MILP_INF, 2, 0);
	size_t c[2] = {x, y};
	double a1[2] = {1, 1}, a2[2] = {1, 3};
	row(m, "r1", -EIC_MILP_INF, 4, 2, c, a1);
	row(m, "r2", -EIC_MILP_INF, 6, 2, c, a2);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_OPTIMAL);
	assert_near(11, r.objective, "objective");
	assert_near(3, r.values[x], "x");
	assert_near(1, r.values[y], "y");
	assert_near(0, r.gap, "gap");
	assert_true(r.time_s >= 0);
	assert_near(4, eic_milp_row_activity(m, 0, r.values), "activity r1");
	eic_milp_result_clear(&r);
	eic_milp_free(m);
}

/* 0/1 knapsack with three constraints: max 5a + 4b + 3c s.t. 2a+3b+c <= 5, 4a+b+2c <= 11,
 * 3a+4b+2c <= 8. All eight subsets checked by hand: {a,b} gives 9 (5, 5, 7 within limits),
 * {a,c} 8, {b,c} 7, {a,b,c} breaks the first row (6 > 5). */
static void test_solver__knapsack(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	assert_int_equal(eic_milp_new(&m), 0);
	eic_milp_set_sense(m, EIC_MILP_MAXIMIZE);
	size_t c[3] = {col(m, "a", 0, 1, 5, 1), col(m, "b", 0, 1, 4, 1), col(m, "c", 0, 1, 3, 1)};
	double a1[3] = {2, 3, 1}, a2[3] = {4, 1, 2}, a3[3] = {3, 4, 2};
	row(m, "w1", -EIC_MILP_INF, 5, 3, c, a1);
	row(m, "w2", -EIC_MILP_INF, 11, 3, c, a2);
	row(m, "w3", -EIC_MILP_INF, 8, 3, c, a3);
	assert_int_equal(eic_milp_integer_count(m), 3);
	assert_int_equal(eic_milp_nz_count(m), 9);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_OPTIMAL);
	assert_near(9, r.objective, "objective");
	assert_near(9, r.bound, "bound");
	assert_near(1, r.values[0], "a");
	assert_near(1, r.values[1], "b");
	assert_near(0, r.values[2], "c");
	eic_milp_result_clear(&r);
	eic_milp_free(m);
}

/* Facility location: sites A (fixed cost 10) and B (12), customers 1 and 2 (demand 1 each),
 * serving costs A1 2, A2 8, B1 7, B2 3. Open A only: 10 + 2 + 8 = 20; B only: 12 + 7 + 3 = 22;
 * both: 22 + 2 + 3 = 27. The optimum opens A alone at cost 20. */
static void test_solver__facility_location(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	assert_int_equal(eic_milp_new(&m), 0);
	size_t ya = col(m, "open_A", 0, 1, 10, 1), yb = col(m, "open_B", 0, 1, 12, 1);
	size_t a1 = col(m, "A1", 0, 1, 2, 0), a2 = col(m, "A2", 0, 1, 8, 0);
	size_t b1 = col(m, "B1", 0, 1, 7, 0), b2 = col(m, "B2", 0, 1, 3, 0);
	double one[2] = {1, 1}, link[2] = {1, -1};
	size_t d1[2] = {a1, b1}, d2[2] = {a2, b2};
	row(m, "demand1", 1, 1, 2, d1, one);
	row(m, "demand2", 1, 1, 2, d2, one);
	size_t l[4][2] = {{a1, ya}, {a2, ya}, {b1, yb}, {b2, yb}};
	for (int k = 0; k < 4; k++)
		row(m, "link", -EIC_MILP_INF, 0, 2, l[k], link);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_OPTIMAL);
	assert_near(20, r.objective, "cost");
	assert_near(1, r.values[ya], "A open");
	assert_near(0, r.values[yb], "B closed");
	eic_milp_result_clear(&r);
	eic_milp_free(m);
}

/* x + y >= 5 with x, y integers in [0, 1] cannot hold: the elastic analysis names that row,
 * short by 3; the row x - y = 0 is satisfiable and is not named. */
static void test_solver__infeasible_explained(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	eic_milp_conflict *cf = NULL;
	size_t n = 0;
	assert_int_equal(eic_milp_new(&m), 0);
	size_t c[2] = {col(m, "x", 0, 1, 1, 1), col(m, "y", 0, 1, 1, 1)};
	double one[2] = {1, 1}, diff[2] = {1, -1};
	row(m, "balance", 0, 0, 2, c, diff);
	size_t need = 0;
	assert_int_equal(
	    eic_milp_add_row(m, &need, "need5", "demand:five", 5, EIC_MILP_INF, 2, c, one), 0);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_INFEASIBLE);
	assert_null(r.values);
	eic_milp_result_clear(&r);
	assert_int_equal(eic_milp_explain(&cf, &n, m, NULL, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cf[0].row, need);
	assert_int_equal(cf[0].upper, 0);
	assert_near(3, cf[0].violation, "shortfall");
	assert_string_equal(eic_milp_row_group(m, cf[0].row), "demand:five");
	assert_string_equal(eic_milp_row_name(m, 0), "balance");
	assert_string_equal(eic_milp_row_group(m, 0), "balance");
	eic_milp_conflicts_free(cf);
	eic_milp_free(m);
}

static void test_solver__unbounded(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	assert_int_equal(eic_milp_new(&m), 0);
	eic_milp_set_sense(m, EIC_MILP_MAXIMIZE);
	size_t c[2] = {col(m, "x", 0, EIC_MILP_INF, 1, 0), col(m, "y", 0, EIC_MILP_INF, 0, 0)};
	double a[2] = {1, -1};
	row(m, "r", -EIC_MILP_INF, 1, 2, c, a);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_UNBOUNDED);
	assert_null(r.values);
	eic_milp_result_clear(&r);
	eic_milp_free(m);
}

/* Input the solver must never see is refused by the builder; bad options by the solve. */
static void test_solver__bad_input(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	eic_diags *d = NULL;
	assert_int_equal(eic_milp_new(&m), 0);
	assert_int_equal(eic_diags_new(&d, 10), 0);
	assert_int_equal(eic_milp_add_col(m, NULL, "bad", NAN, 1, 0, 0), EIC_EINVAL);
	assert_int_equal(eic_milp_add_col(m, NULL, "bad", 2, 1, 0, 0), EIC_EINVAL);
	assert_int_equal(eic_milp_add_col(m, NULL, "bad", 0, 1, INFINITY, 0), EIC_EINVAL);
	assert_int_equal(eic_milp_add_col(m, NULL, "bad", 0, 1, NAN, 0), EIC_EINVAL);
	size_t x = col(m, "x", 0, 1, 1, 0), ghost = 7;
	double nan_coef = NAN, inf_coef = INFINITY, one = 1;
	assert_int_equal(eic_milp_add_row(m, NULL, "r", NULL, 0, 1, 1, &x, &nan_coef), EIC_EINVAL);
	assert_int_equal(eic_milp_add_row(m, NULL, "r", NULL, 0, 1, 1, &x, &inf_coef), EIC_EINVAL);
	assert_int_equal(eic_milp_add_row(m, NULL, "r", NULL, 0, 1, 1, &ghost, &one), EIC_EINVAL);
	assert_int_equal(eic_milp_add_row(m, NULL, "r", NULL, 2, 1, 1, &x, &one), EIC_EINVAL);
	assert_int_equal(eic_milp_add_row(m, NULL, "r", NULL, NAN, 1, 1, &x, &one), EIC_EINVAL);
	assert_int_equal(eic_milp_row_count(m), 0);
	assert_int_equal(eic_milp_set_obj(m, 3, 1), EIC_EINVAL);
	assert_int_equal(eic_milp_set_col_bounds(m, x, 1, 0), EIC_EINVAL);
	eic_milp_options o = EIC_MILP_OPTIONS_INIT;
	o.time_limit_s = -1;
	assert_int_equal(eic_milp_solve(&r, m, &o, d), EIC_EINVAL);
	assert_true(eic_diags_errors(d) >= 1);
	o.time_limit_s = 10;
	o.rel_gap = NAN;
	assert_int_equal(eic_milp_solve(&r, m, &o, d), EIC_EINVAL);
	eic_milp_free(NULL);
	eic_milp_result_clear(NULL);
	eic_diags_free(d);
	eic_milp_free(m);
}

/* A model without columns is solved without the back end. */
static void test_solver__empty_model(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	assert_int_equal(eic_milp_new(&m), 0);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_OPTIMAL);
	assert_near(0, r.objective, "objective");
	eic_milp_result_clear(&r);
	assert_int_equal(eic_milp_add_row(m, NULL, "need", NULL, 1, EIC_MILP_INF, 0, NULL, NULL),
	                 0);
	assert_int_equal(eic_milp_solve(&r, m, NULL, NULL), 0);
	assert_int_equal(r.status, EIC_MILP_INFEASIBLE);
	eic_milp_result_clear(&r);
	eic_milp_free(m);
}

/* The solver writes nothing on standard output: fd 1 is sent to a file during a solve. */
static void test_solver__silent(void **state)
{
	(void)state;
	eic_milp *m = NULL;
	eic_milp_result r;
	char path[] = "/tmp/eic_solver_stdoutXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stdout);
	int saved = dup(1);
	assert_true(saved >= 0);
	assert_true(dup2(fd, 1) >= 0);
	assert_int_equal(eic_milp_new(&m), 0);
	size_t c[2] = {col(m, "x", 0, 10, -1, 1), col(m, "y", 0, 10, -1, 1)};
	double a[2] = {2, 3};
	row(m, "r", -EIC_MILP_INF, 12.5, 2, c, a);
	int rc = eic_milp_solve(&r, m, NULL, NULL);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	off_t size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_int_equal(r.status, EIC_MILP_OPTIMAL);
	assert_near(-6, r.objective, "objective"); /* x = 6, y = 0 or other sums of 6 */
	assert_int_equal(size, 0);
	assert_non_null(strstr(eic_milp_backend(), "CBC"));
	eic_milp_result_clear(&r);
	eic_milp_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_solver__lp),
	    cmocka_unit_test(test_solver__knapsack),
	    cmocka_unit_test(test_solver__facility_location),
	    cmocka_unit_test(test_solver__infeasible_explained),
	    cmocka_unit_test(test_solver__unbounded),
	    cmocka_unit_test(test_solver__bad_input),
	    cmocka_unit_test(test_solver__empty_model),
	    cmocka_unit_test(test_solver__silent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
