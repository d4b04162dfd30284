/* test_network.c: unit tests of the flow network and its ecological network analysis
 * (src/lib/ena/network.c, ena.c): reference models, the SCOR reader, clusters, bad input. */
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
#include <eic/network.h>

#include "testutil.h"

/* The reference values are reproduced to 1e-6 (absolute, on indices of order 0.1 to 400)
 * and, for the exact recomputation, to 1e-9 relative. */
#define ABS_TOL 1e-6
#define REL_TOL 1e-9

static void assert_near_tol(double expected, double actual, double tol, const char *what)
{
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.15g, got %.15g (tolerance %g)", what, expected, actual,
		         tol);
}

static double value_of(const eic_ena *ena, const char *name)
{
	const eic_ena_value *v = eic_ena_get(ena, name);
	if (!v)
		fail_msg("no index named %s", name);
	if (v->reason)
		fail_msg("%s is undefined: %s", name, v->reason);
	return v->value;
}

static void check(const eic_ena *ena, const char *name, double expected, double tol)
{
	char what[64];
	snprintf(what, sizeof(what), "%s", name);
	assert_near_tol(expected, value_of(ena, name), tol, what);
}

/* Every index is either a finite number with no reason or NaN with a reason. */
static void check_no_silent_nan(const eic_ena *ena)
{
	for (size_t i = 0; i < eic_ena_value_count(ena); i++) {
		const eic_ena_value *v = eic_ena_value_at(ena, i);
		assert_non_null(v->name);
		assert_non_null(v->meaning);
		if (v->reason) {
			assert_true(isnan(v->value));
			assert_true(strlen(v->reason) > 10);
		} else if (!isfinite(v->value)) {
			fail_msg("%s is %g without a reason", v->name, v->value);
		}
	}
}

static void check_undefined(const eic_ena *ena, const char *name, const char *reason_part)
{
	const eic_ena_value *v = eic_ena_get(ena, name);
	assert_non_null(v);
	assert_true(isnan(v->value));
	assert_non_null(v->reason);
	if (!strstr(v->reason, reason_part))
		fail_msg("%s: reason '%s' does not mention '%s'", name, v->reason, reason_part);
}

static eic_network *read_scor_or_fail(const char *path)
{
	eic_network *net = NULL;
	eic_diags *diags = NULL;
	assert_int_equal(eic_diags_new(&diags, 100), 0);
	int rc = eic_network_read_scor(&net, diags, path);
	if (rc != 0) {
		char buf[512];
		for (size_t i = 0; i < eic_diags_count(diags); i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(diags, i));
			fprintf(stderr, "%s\n", buf);
		}
	}
	assert_int_equal(rc, 0);
	eic_diags_free(diags);
	return net;
}

/*
 * Oyster reef (Dame & Patten 1981) from ../shared. Published: TST 83.58, FCI 0.110 (compared at
 * that precision). enaR's vignette "Flow Analysis: Simple" (SEELab/enaR, enaModels[[9]])
 * prints TST 83.5833, TSTp 125.0533, APL 2.015512, FCI 0.1101686, BFI 0.4961517, DFI
 * 0.1950689, IFI 0.3087794, CAP 377.4452, ASC 166.3473, ASC.CAP 0.4407191 (compared at the
 * printed 7 digits). The full-precision values were recomputed independently in exact
 * rational arithmetic (Gauss-Jordan inverse of I - G; spectral radius by Collatz-Wielandt
 * bounds) and are compared to 1e-6 absolute and 1e-9 relative.
 */
static void test_network__oyster(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/ena/oyster.scor");
	if (!path)
		skip();
	eic_network *net = read_scor_or_fail(path);
	eic_ena *ena = NULL;
	assert_int_equal(eic_network_node_count(net), 6);
	assert_string_equal(eic_network_node_name(net, 0), "Filter Feeders");
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);

	/* published (Dame & Patten 1981 via the reference README) */
	check(ena, "TST", 83.58, 0.005);
	check(ena, "FCI", 0.110, 0.0005);
	/* enaR vignette, printed digits */
	check(ena, "TST", 83.5833, 0.00005);
	check(ena, "TSTp", 125.0533, 0.00005);
	check(ena, "APL", 2.015512, 0.0000005);
	check(ena, "FCI", 0.1101686, 0.00000005);
	check(ena, "BFI", 0.4961517, 0.00000005);
	check(ena, "DFI", 0.1950689, 0.00000005);
	check(ena, "IFI", 0.3087794, 0.00000005);
	check(ena, "CAP", 377.4452, 0.00005);
	check(ena, "ASC", 166.3473, 0.00005);
	check(ena, "ASC.CAP", 0.4407191, 0.00000005);
	/* independent recomputation, full precision */
	static const struct {
		const char *name;
		double value;
	} exact[] = {
	    {"TST", 83.583299999999994},
	    {"TSTp", 125.05329999999999},
	    {"APL", 2.0155124186158671},
	    {"FCI", 0.11016860881324612},
	    {"BFI", 0.49615174323100431},
	    {"DFI", 0.19506887141330864},
	    {"IFI", 0.30877938535568711},
	    {"lam1A", 2.1478990357047882},
	    {"L", 12},
	    {"n", 6},
	    {"C", 12.0 / 36.0},
	    {"C.nn1", 12.0 / 30.0},
	    {"LD", 2},
	    {"ASC", 166.34729667589144},
	    {"CAP", 377.44520108993117},
	    {"ASC.CAP", 0.44071906649107734},
	    {"Boundary", 41.47},
	    {"no.scc", 2},
	    {"no.scc.big", 1},
	};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		check(ena, exact[i].name, exact[i].value, ABS_TOL);
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		check(ena, exact[i].name, exact[i].value, REL_TOL * fabs(exact[i].value));
	/* the oyster model is balanced */
	assert_true(eic_ena_balanced(ena));
	eic_ena_free(ena);
	eic_network_free(net);
}

/* Split one CSV line on commas (no quotes in this file). Returns the field count. */
static int split_csv(char **fields, int max, char *line)
{
	int k = 0;
	char *p = line;
	while (k < max) {
		fields[k++] = p;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	for (int i = 0; i < k; i++)
		fields[i][strcspn(fields[i], "\r\n")] = '\0';
	return k;
}

/*
 * Cone Spring (Tilly 1968) from the Tij_to_from table: rows "to", columns "from", column
 * Inflows the input, rows Export and Dissipation the outputs. Expected (reference README):
 * TST = 30626, FCI = 0.0919390.
 */
static void test_network__cone_spring(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/ena/conesprings_Tij_to_from.csv");
	if (!path)
		skip();
	char *text = eic_test_read_file(path, NULL);
	assert_non_null(text);
	eic_network *net = NULL;
	assert_int_equal(eic_network_new(&net), 0);
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	char *fields[16], *names[16];
	int ncol = split_csv(fields, 16, line);
	assert_true(ncol >= 3);
	int n = ncol - 2;
	for (int j = 0; j < n; j++) {
		names[j] = fields[j + 2];
		assert_int_equal(eic_network_add_node(net, names[j], NULL), 0);
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		int k = split_csv(fields, 16, line);
		assert_int_equal(k, ncol);
		const char *to = fields[0];
		double inflow = strtod(fields[1], NULL);
		int row = -1;
		for (int j = 0; j < n; j++)
			if (!strcmp(names[j], to))
				row = j;
		for (int j = 0; j < n; j++) {
			double v = strtod(fields[j + 2], NULL);
			if (!strcmp(to, "Export"))
				assert_int_equal(eic_network_add_export(net, (size_t)j, v), 0);
			else if (!strcmp(to, "Dissipation"))
				assert_int_equal(eic_network_add_dissipation(net, (size_t)j, v), 0);
			else if (v > 0)
				assert_int_equal(
				    eic_network_add_flow(net, (size_t)j, (size_t)row, v), 0);
		}
		if (row >= 0 && inflow > 0)
			assert_int_equal(eic_network_add_input(net, (size_t)row, inflow), 0);
	}
	free(text);
	eic_ena *ena = NULL;
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);
	check(ena, "TST", 30626, ABS_TOL);
	check(ena, "FCI", 0.0919390, ABS_TOL);
	/* independent recomputation (see the oyster test) */
	check(ena, "FCI", 0.091938989338420679, 1e-12);
	check(ena, "TSTp", 42445, ABS_TOL);
	check(ena, "APL", 2.5912513749048145, ABS_TOL);
	check(ena, "IFI", 0.31053622014465843, ABS_TOL);
	check(ena, "lam1A", 1.8392867552141556, ABS_TOL);
	check(ena, "ASC.CAP", 0.41751442576815267, ABS_TOL);
	assert_true(eic_ena_balanced(ena));
	eic_ena_free(ena);
	eic_network_free(net);
}

/* The two-node cycle of the reference README: z = (10, 0); 1->2 = 10, 2->1 = 5;
 * y = (5, 5). TST = 25, FCI = 1/3, lam1A = 1 (by hand: T = (15, 10); the return
 * probability of node 1 is 10/15 x 5/10 = 1/3, N_11 = 3/2; cycled throughflow
 * (1/3)(15) + (1/3)(10) = 25/3). */
static eic_network *two_node(void)
{
	eic_network *net = NULL;
	assert_int_equal(eic_network_new(&net), 0);
	assert_int_equal(eic_network_add_node(net, "one", NULL), 0);
	assert_int_equal(eic_network_add_node(net, "two", NULL), 0);
	assert_int_equal(eic_network_add_input(net, 0, 10), 0);
	assert_int_equal(eic_network_add_flow(net, 0, 1, 10), 0);
	assert_int_equal(eic_network_add_flow(net, 1, 0, 5), 0);
	assert_int_equal(eic_network_add_export(net, 0, 5), 0);
	assert_int_equal(eic_network_add_export(net, 1, 5), 0);
	return net;
}

static void test_network__two_node_cycle(void **state)
{
	(void)state;
	eic_network *net = two_node();
	eic_ena *ena = NULL;
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);
	check(ena, "TST", 25, ABS_TOL);
	check(ena, "FCI", 1.0 / 3.0, ABS_TOL);
	check(ena, "lam1A", 1, ABS_TOL);
	check(ena, "n", 2, 0);
	check(ena, "L", 2, 0);
	check(ena, "C", 0.5, ABS_TOL);
	check(ena, "C.nn1", 1.0, ABS_TOL);
	check(ena, "LD", 1, ABS_TOL);
	check(ena, "no.scc", 1, 0);
	check(ena, "APL", 2.5, ABS_TOL);
	check(ena, "BFI", 0.4, ABS_TOL);
	check(ena, "DFI", 10.0 / 25.0 * 10.0 / 15.0, ABS_TOL);
	check(ena, "IFI", 1.0 - 0.4 - 10.0 / 25.0 * 10.0 / 15.0, ABS_TOL);
	assert_true(eic_ena_balanced(ena));
	eic_ena_free(ena);
	eic_network_free(net);
}

/* A deterministic sparse network with cycles (linear congruential generator). */
static eic_network *random_network(size_t n, size_t out_links, unsigned seed)
{
	eic_network *net = NULL;
	unsigned long s = seed;
	char name[32];
	assert_int_equal(eic_network_new(&net), 0);
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		assert_int_equal(eic_network_add_node(net, name, NULL), 0);
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < out_links; k++) {
			s = s * 6364136223846793005UL + 1442695040888963407UL;
			size_t j = (size_t)((s >> 33) % n);
			double v = 1.0 + (double)((s >> 20) % 1000) / 100.0;
			assert_int_equal(eic_network_add_flow(net, i, j, v), 0);
		}
		assert_int_equal(eic_network_add_dissipation(net, i, 2.0), 0);
		if (i % 7 == 0)
			assert_int_equal(eic_network_add_input(net, i, 50.0), 0);
	}
	return net;
}

/* The dense (LAPACK) and sparse (CXSparse, power iteration) paths agree. */
static void test_network__dense_and_sparse_agree(void **state)
{
	(void)state;
	eic_network *net = random_network(300, 3, 7);
	eic_ena_options dense = EIC_ENA_OPTIONS_INIT, sparse = EIC_ENA_OPTIONS_INIT;
	dense.dense_max = 1000;
	sparse.dense_max = 2;
	eic_ena *a = NULL, *b = NULL;
	assert_int_equal(eic_ena_compute(&a, net, &dense), 0);
	assert_int_equal(eic_ena_compute(&b, net, &sparse), 0);
	assert_string_equal(eic_ena_method(a), "dense");
	assert_string_not_equal(eic_ena_method(b), "dense");
	check_no_silent_nan(a);
	check_no_silent_nan(b);
	for (size_t i = 0; i < eic_ena_value_count(a); i++) {
		const eic_ena_value *x = eic_ena_value_at(a, i), *y = eic_ena_value_at(b, i);
		assert_string_equal(x->name, y->name);
		assert_true(!x->reason && !y->reason);
		assert_near_tol(x->value, y->value, 1e-9 * (1.0 + fabs(x->value)), x->name);
	}
	assert_true(value_of(a, "FCI") > 0.0);
	assert_true(value_of(a, "lam1A") > 1.0);
	eic_ena_free(a);
	eic_ena_free(b);
	eic_network_free(net);
}

/* An empty network: sizes are 0, ratios are undefined with a reason, nothing crashes. */
static void test_network__empty(void **state)
{
	(void)state;
	eic_network *net = NULL;
	eic_ena *ena = NULL;
	assert_int_equal(eic_network_new(&net), 0);
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);
	check(ena, "n", 0, 0);
	check(ena, "L", 0, 0);
	check(ena, "TST", 0, 0);
	check_undefined(ena, "C", "empty");
	check_undefined(ena, "APL", "empty");
	check_undefined(ena, "FCI", "empty");
	check_undefined(ena, "ASC.CAP", "empty");
	eic_ena_free(ena);
	eic_network_free(net);
}

/* No input: APL is undefined; a closed cycle makes I - G singular: FCI is undefined with a
 * reason naming the cycle. */
static void test_network__closed_cycle(void **state)
{
	(void)state;
	eic_network *net = NULL;
	eic_ena *ena = NULL;
	assert_int_equal(eic_network_new(&net), 0);
	assert_int_equal(eic_network_add_node(net, "a", NULL), 0);
	assert_int_equal(eic_network_add_node(net, "b", NULL), 0);
	assert_int_equal(eic_network_add_flow(net, 0, 1, 5), 0);
	assert_int_equal(eic_network_add_flow(net, 1, 0, 5), 0);
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);
	check(ena, "TST", 10, ABS_TOL);
	check(ena, "lam1A", 1, ABS_TOL);
	check_undefined(ena, "APL", "no input");
	check_undefined(ena, "FCI", "singular");
	check_undefined(ena, "IFI", "receives nothing from outside");
	eic_ena_free(ena);
	eic_network_free(net);
}

/* Isolated and unbalanced compartments are diagnosed in the notes; indices still follow
 * enaR's input-oriented definitions. */
static void test_network__diagnoses(void **state)
{
	(void)state;
	eic_network *net = two_node();
	eic_ena *ena = NULL;
	assert_int_equal(eic_network_add_node(net, "lonely", NULL), 0);
	assert_int_equal(eic_network_add_dissipation(net, 1, 3), 0); /* two: 10 in, 13 out */
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);
	assert_false(eic_ena_balanced(ena));
	int isolated = 0, unbalanced = 0;
	for (size_t i = 0; i < eic_ena_note_count(ena); i++) {
		const char *note = eic_ena_note(ena, i);
		if (strstr(note, "lonely") && strstr(note, "isolated"))
			isolated = 1;
		if (strstr(note, "two is not balanced"))
			unbalanced = 1;
	}
	assert_true(isolated);
	assert_true(unbalanced);
	check(ena, "n", 3, 0);
	check(ena, "TST", 25, ABS_TOL);
	check(ena, "no.scc", 2, 0);
	/* a cycle that exports but receives nothing from outside: I - G is singular */
	eic_network *bad = NULL;
	eic_ena *bad_ena = NULL;
	assert_int_equal(eic_network_new(&bad), 0);
	assert_int_equal(eic_network_add_node(bad, "a", NULL), 0);
	assert_int_equal(eic_network_add_node(bad, "b", NULL), 0);
	assert_int_equal(eic_network_add_export(bad, 0, 1), 0);
	assert_int_equal(eic_network_add_flow(bad, 0, 1, 5), 0);
	assert_int_equal(eic_network_add_flow(bad, 1, 0, 5), 0);
	assert_int_equal(eic_ena_compute(&bad_ena, bad, NULL), 0);
	check_no_silent_nan(bad_ena);
	check_undefined(bad_ena, "FCI", "receives nothing from outside");
	check_undefined(bad_ena, "APL", "no input");
	eic_ena_free(bad_ena);
	eic_network_free(bad);
	eic_ena_free(ena);
	eic_network_free(net);
}

static void test_network__invalid_arguments(void **state)
{
	(void)state;
	eic_network *net = two_node();
	assert_int_equal(eic_network_add_flow(net, 0, 5, 1), EIC_EINVAL);
	assert_int_equal(eic_network_add_flow(net, 0, 1, -1), EIC_EINVAL);
	assert_int_equal(eic_network_add_flow(net, 0, 1, NAN), EIC_EINVAL);
	assert_int_equal(eic_network_add_input(net, 2, 1), EIC_EINVAL);
	assert_int_equal(eic_network_add_export(net, 0, INFINITY), EIC_EINVAL);
	eic_ena_options bad = EIC_ENA_OPTIONS_INIT;
	bad.version = 99;
	eic_ena *ena = NULL;
	assert_int_equal(eic_ena_compute(&ena, net, &bad), EIC_EINVAL);
	assert_null(ena);
	eic_network_free(net);
	eic_network_free(NULL);
	eic_ena_free(NULL);
}

/* Parse text and return the first diagnostic formatted, or "" if none. */
static int parse_text(const char *text, char *first, size_t size, eic_network **out)
{
	eic_diags *diags = NULL;
	assert_int_equal(eic_diags_new(&diags, 100), 0);
	int rc = eic_network_parse_scor(out, diags, "t.scor", text, strlen(text));
	first[0] = '\0';
	if (eic_diags_count(diags) > 0)
		eic_diag_format(first, size, eic_diags_get(diags, 0));
	eic_diags_free(diags);
	return rc;
}

static const char good_scor[] = "two nodes\n"
                                "  2  2\n"
                                "one\n"
                                "two\n"
                                "  1 0\n"
                                " -1\n"
                                "  1 1.0+1\n"
                                " -1\n"
                                "  1 5.0\n"
                                "  2 5D0\n"
                                " -1\n"
                                " -1\n"
                                "  1  2 10.0\n"
                                "\n"
                                "  2  1 5\n"
                                " -1\n";

static void test_network__scor_parse(void **state)
{
	(void)state;
	char first[512];
	eic_network *net = NULL;
	assert_int_equal(parse_text(good_scor, first, sizeof(first), &net), 0);
	assert_string_equal(first, "");
	assert_string_equal(eic_network_title(net), "two nodes");
	eic_ena *ena = NULL;
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check(ena, "TST", 25, ABS_TOL); /* 1.0+1 is 10 (Fortran exponent without E) */
	check(ena, "FCI", 1.0 / 3.0, ABS_TOL);
	eic_ena_free(ena);
	eic_network_free(net);
}

static void test_network__scor_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *expect; /* start of the first diagnostic */
	} cases[] = {
	    {"", "t.scor:1:1: error: expected a title line, found an empty file"},
	    {"t\n", "t.scor:2:1: error: expected the number of compartments"},
	    {"t\n x 1\n", "t.scor:2:2: error: expected the number of compartments (0 to "},
	    {"t\n 2\n", "t.scor:2:3: error: expected the number of living compartments after 2"},
	    {"t\n 2 3\n", "t.scor:2:4: error: expected the number of living compartments (0 to "
	                  "2), found '3'"},
	    {"t\n 2 2\na\n", "t.scor:4:1: error: expected the name of compartment 2 of 2, found "
	                     "the end of the file"},
	    {"t\n 2 2\na\nb\n 3 1\n -1\n",
	     "t.scor:5:2: error: expected a compartment number from 1 to 2, found '3'"},
	    {"t\n 2 2\na\nb\n 1 x\n -1\n",
	     "t.scor:5:4: error: expected a value (a number >= 0), found 'x'"},
	    {"t\n 2 2\na\nb\n 1 -4\n -1\n",
	     "t.scor:5:4: error: expected a value (a number >= 0), found '-4'"},
	    {"t\n 2 2\na\nb\n -1\n -1\n -1\n -1\n 1 2\n",
	     "t.scor:9:5: error: expected the flow value, found the end of the line"},
	    {"t\n 2 2\na\nb\n -1\n -1\n -1\n -1\n 1 2 3 4\n -1\n",
	     "t.scor:9:8: error: expected the end of the line, found '4'"},
	    {"t\n 2 2\na\nb\n -1\n -1\n -1\n -1\n 1 2 3\n",
	     "t.scor:10:1: error: expected a flow line or -1 ending the flow block (block 5 of 5), "
	     "found the end of the file"},
	    {"t\n 2 2\na\nb\n -1\n 1 3\n 1 4\n -1\n -1\n -1\n -1\n",
	     "t.scor:7:2: error: compartment 1 is given twice in the input block (first on line "
	     "6)"},
	    {"t\n 2 2\na\nb\n -1\n -1\n -1\n -1\n 1 2 3\n 1 2 4\n -1\n",
	     "t.scor:10:1: error: the flow from compartment 1 to 2 is given twice (first on line "
	     "9)"},
	    {"t\n 2 2\na\nb\n -1\n -1\n -1\n -1\n -1\nextra\n",
	     "t.scor:10:1: error: expected the end of the file after the flow block, found "
	     "'extra'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char first[512];
		eic_network *net = (eic_network *)1;
		int rc = parse_text(cases[i].text, first, sizeof(first), &net);
		if (rc != EIC_EPARSE || strncmp(first, cases[i].expect, strlen(cases[i].expect)))
			fail_msg("case %zu: rc %d, first diagnostic '%s', expected '%s...'", i, rc,
			         first, cases[i].expect);
		assert_null(net);
	}
	/* several bad lines are all reported */
	eic_diags *diags = NULL;
	eic_network *net = NULL;
	static const char many[] = "t\n 2 2\na\nb\n 1 x\n 9 1\n -1\n -1\n -1\n -1\n -1\n";
	assert_int_equal(eic_diags_new(&diags, 100), 0);
	assert_int_equal(eic_network_parse_scor(&net, diags, "m", many, strlen(many)), EIC_EPARSE);
	assert_int_equal(eic_diags_errors(diags), 2);
	eic_diags_free(diags);
	/* a missing file */
	assert_int_equal(eic_diags_new(&diags, 100), 0);
	assert_int_equal(eic_network_read_scor(&net, diags, "/nonexistent/x.scor"), EIC_EIO);
	assert_int_equal(eic_diags_errors(diags), 1);
	eic_diags_free(diags);
}

static void add_flow(eic_cluster *c, const char *id, const char *from, const char *to,
                     const char *material, double quantity, const char *unit)
{
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	f.from = from;
	f.to = to;
	f.material = material;
	f.quantity = quantity;
	f.unit = unit;
	f.period = "2023";
	f.sd = NAN;
	f.rel_sd = NAN;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
}

/* A cluster: inputs from the supply market and stock, internal flows, exports (product
 * market, stock) and dissipation (landfill, air); an energy flow is left out. */
static void test_network__from_cluster(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "demo";
	info.name = "Demo";
	info.mass_unit = "t";
	info.catalogue = "none";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period p = {"2023", "2023-01-01", "2023-12-31", ""};
	assert_int_equal(eic_cluster_add_period(c, &p), 0);
	eic_actor a;
	memset(&a, 0, sizeof(a));
	a.employees = -1;
	a.value_added = a.lat = a.lon = NAN;
	a.id = "mill";
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	a.id = "plant";
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	eic_material m;
	memset(&m, 0, sizeof(m));
	static const char *mats[] = {"logs", "bark", "lumber", "ash", "power", "gas"};
	for (size_t i = 0; i < 6; i++) {
		m.id = mats[i];
		assert_int_equal(eic_cluster_add_material(c, &m), 0);
	}
	add_flow(c, "f1", "boundary:supply_market", "mill", "logs", 100, "t");
	add_flow(c, "f2", "mill", "plant", "bark", 30, "t");
	add_flow(c, "f3", "mill", "boundary:product_market", "lumber", 60000, "kg");
	add_flow(c, "f4", "plant", "boundary:landfill", "ash", 3, "t");
	add_flow(c, "f5", "plant", "boundary:atmosphere", "gas", 31, "t");
	add_flow(c, "f6", "boundary:stock", "plant", "bark", 4, "t");
	add_flow(c, "f7", "plant", "mill", "power", 50, "GJ");
	add_flow(c, "f8", "mill", "boundary:stock", "bark", 10, "t");
	eic_network *net = NULL;
	assert_int_equal(eic_network_from_cluster(&net, c, NULL), 0);
	assert_int_equal(eic_network_node_count(net), 2);
	assert_string_equal(eic_network_unit(net), "t");
	int energy_note = 0;
	for (size_t i = 0; i < eic_network_note_count(net); i++)
		if (strstr(eic_network_note(net, i), "not masses"))
			energy_note = 1;
	assert_true(energy_note);
	eic_ena *ena = NULL;
	assert_int_equal(eic_ena_compute(&ena, net, NULL), 0);
	check_no_silent_nan(ena);
	/* T_mill = 100, T_plant = 30 + 4 */
	check(ena, "TST", 134, ABS_TOL);
	check(ena, "Boundary", 104, ABS_TOL);
	check(ena, "TSTp", 100 + 4 + 30 + 60 + 10 + 3 + 31, ABS_TOL);
	check(ena, "FCI", 0, ABS_TOL);
	check(ena, "lam1A", 0, ABS_TOL);
	check(ena, "L", 1, 0);
	assert_true(eic_ena_balanced(ena));
	eic_ena_free(ena);
	eic_network_free(net);
	/* an unknown period */
	eic_network_options opts = EIC_NETWORK_OPTIONS_INIT;
	opts.period = "1999";
	assert_int_equal(eic_network_from_cluster(&net, c, &opts), EIC_ENOTFOUND);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_network__oyster),
	    cmocka_unit_test(test_network__cone_spring),
	    cmocka_unit_test(test_network__two_node_cycle),
	    cmocka_unit_test(test_network__dense_and_sparse_agree),
	    cmocka_unit_test(test_network__empty),
	    cmocka_unit_test(test_network__closed_cycle),
	    cmocka_unit_test(test_network__diagnoses),
	    cmocka_unit_test(test_network__invalid_arguments),
	    cmocka_unit_test(test_network__scor_parse),
	    cmocka_unit_test(test_network__scor_errors),
	    cmocka_unit_test(test_network__from_cluster),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
