/* test_circularity.c: unit tests of the circularity module (src/lib/ena/circularity.c): the
 * MCI reference cases, its input checks, and the reuse shares and rates of a cluster. */
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
#include <eic/circularity.h>

#include "testutil.h"

/* The reference file gives six decimals: compared to 1e-6 absolute (plus half a unit of the
 * last printed digit). Cluster amounts are sums of exact decimals: 1e-9. */
#define MCI_TOL 1e-6
#define ABS_TOL 1e-9

static void assert_near_tol(double expected, double actual, double tol, const char *what)
{
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.15g, got %.15g (tolerance %g)", what, expected, actual,
		         tol);
}

/* Split a CSV line with double-quoted fields (quotes removed, "" unescaped). */
static int split_csv(char **fields, int max, char *line)
{
	int k = 0;
	char *p = line, *w;
	line[strcspn(line, "\r\n")] = '\0';
	while (k < max) {
		fields[k++] = w = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else if (!*p) {
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
		int end = !*p;
		*w = '\0';
		if (end)
			break;
		p++;
	}
	return k;
}

/* Every row of ../shared/data/reference/rating/mci_reference_cases.csv, every column. */
static void test_circularity__mci_reference_cases(void **state)
{
	(void)state;
	const char *path = eic_test_shared("data/reference/rating/mci_reference_cases.csv");
	if (!path)
		skip();
	char *text = eic_test_read_file(path, NULL);
	assert_non_null(text);
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	char *head[32], *f[32];
	int ncol = split_csv(head, 32, line);
	static const char *inputs[] = {"M",   "F_R", "F_U",        "C_R",       "C_U",
	                               "E_F", "E_C", "L_over_Lav", "U_over_Uav"};
	static const char *outputs[] = {"V", "W0", "W_F", "W_C", "W", "LFI", "X", "F_X", "MCI"};
	int in_col[9], out_col[9];
	for (int i = 0; i < 9; i++) {
		in_col[i] = out_col[i] = -1;
		for (int j = 0; j < ncol; j++) {
			if (!strcmp(head[j], inputs[i]))
				in_col[i] = j;
			if (!strcmp(head[j], outputs[i]))
				out_col[i] = j;
		}
		assert_true(in_col[i] >= 0 && out_col[i] >= 0);
	}
	int cases = 0;
	while ((line = strtok_r(NULL, "\n", &save))) {
		int k = split_csv(f, 32, line);
		assert_int_equal(k, ncol);
		double in[9];
		for (int i = 0; i < 9; i++)
			in[i] = strtod(f[in_col[i]], NULL);
		eic_mci_inputs mi = {in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8]};
		eic_mci_result r;
		assert_int_equal(eic_mci_compute(&r, &mi), 0);
		double got[9] = {r.v, r.w0, r.wf, r.wc, r.w, r.lfi, r.x, r.fx, r.mci};
		for (int i = 0; i < 9; i++) {
			char what[128];
			snprintf(what, sizeof(what), "%s: %s", f[0], outputs[i]);
			assert_near_tol(strtod(f[out_col[i]], NULL), got[i], MCI_TOL, what);
		}
		cases++;
	}
	assert_true(cases >= 8);
	free(text);
}

/* The methodology's anchor points, by hand: a fully linear product of average utility has
 * MCI 0.1; a fully restorative one 1; doubling the lifetime halves F(X). */
static void test_circularity__mci_by_hand(void **state)
{
	(void)state;
	eic_mci_result r;
	eic_mci_inputs linear = {10, 0, 0, 0, 0, NAN, NAN, 1, 1};
	assert_int_equal(eic_mci_compute(&r, &linear), 0);
	assert_near_tol(0.1, r.mci, 1e-12, "linear MCI");
	assert_near_tol(1.0, r.lfi, 1e-12, "linear LFI");
	eic_mci_inputs reuse = {10, 0, 1, 0, 1, NAN, NAN, 1, 1};
	assert_int_equal(eic_mci_compute(&r, &reuse), 0);
	assert_near_tol(1.0, r.mci, 1e-12, "restorative MCI");
	linear.lifetime_ratio = 2;
	assert_int_equal(eic_mci_compute(&r, &linear), 0);
	assert_near_tol(0.45, r.fx, 1e-12, "F(X) at X = 2");
	assert_near_tol(0.55, r.mci, 1e-12, "MCI at X = 2");
}

static void test_circularity__mci_invalid(void **state)
{
	(void)state;
	eic_mci_result r;
	eic_mci_inputs ok = {1, 0.5, 0, 0.5, 0, 0.8, 0.8, 1, 1};
	assert_int_equal(eic_mci_compute(&r, &ok), 0);
	eic_mci_inputs bad = ok;
	bad.mass = 0;
	assert_int_equal(eic_mci_compute(&r, &bad), EIC_EINVAL);
	bad = ok;
	bad.fr = 0.7, bad.fu = 0.4; /* F_R + F_U > 1 */
	assert_int_equal(eic_mci_compute(&r, &bad), EIC_EINVAL);
	bad = ok;
	bad.ef = 0; /* needed because F_R > 0, and W_F would be infinite */
	assert_int_equal(eic_mci_compute(&r, &bad), EIC_EINVAL);
	bad = ok;
	bad.ec = NAN; /* needed because C_R > 0 */
	assert_int_equal(eic_mci_compute(&r, &bad), EIC_EINVAL);
	bad = ok;
	bad.utility_ratio = 0;
	assert_int_equal(eic_mci_compute(&r, &bad), EIC_EINVAL);
	bad = ok;
	bad.cu = -0.1;
	assert_int_equal(eic_mci_compute(&r, &bad), EIC_EINVAL);
	assert_int_equal(eic_mci_compute(NULL, &ok), EIC_EINVAL);
	assert_null(eic_mci_property_name(EIC_MCI_PROPERTY_COUNT));
	assert_string_equal(eic_mci_property_name(0), "mci_fr");
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

/*
 * Cluster: sawmill "mill" (processes saw, dry), board maker "boards", power plant "plant".
 *   f1 supply -> saw       logs      100 t
 *   f2 saw -> dry          lumber     60 t      inside (other process of the same actor)
 *   f3 saw -> boards       sawdust    12 t      inside
 *   f4 saw -> plant        sawdust     8 t      inside
 *   f5 saw -> landfill     sawdust     5 t      loss
 *   f6 dry -> market       lumber  58000 kg     product 58 t
 *   f7 dry -> air          water       2 t      loss
 *   f8 boards -> market    board      12 t      product
 *   f9 plant -> stock      ash         1 t      stock
 *   f10 plant -> air       flue gas    7 t      loss
 *   f11 plant -> mill      power      40 GJ     not a mass: skipped
 *   f12 saw -> saw         offcuts     3 t      a node to itself: skipped
 *   f13 stock -> plant     bark        2 t      input from outside
 * Outputs: saw 85 (sawdust 25: 20 inside; lumber 60 inside), dry 60, boards 12, plant 8.
 * Inside = 60 + 12 + 8 = 80; all outputs = 85 + 60 + 12 + 8 = 165; rate 80/165.
 * From outside 100 + 2 = 102; CMU = 80 / (80 + 102).
 */
static eic_cluster *demo_cluster(void)
{
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "demo";
	info.mass_unit = "t";
	info.catalogue = "none";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period p = {"2023", "2023-01-01", "2023-12-31", ""};
	assert_int_equal(eic_cluster_add_period(c, &p), 0);
	eic_actor a;
	memset(&a, 0, sizeof(a));
	a.employees = -1;
	a.value_added = a.lat = a.lon = NAN;
	static const char *actors[] = {"mill", "boards", "plant"};
	for (size_t i = 0; i < 3; i++) {
		a.id = actors[i];
		assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	}
	eic_process pr;
	memset(&pr, 0, sizeof(pr));
	pr.id = "saw", pr.actor = "mill";
	assert_int_equal(eic_cluster_add_process(c, &pr), 0);
	pr.id = "dry", pr.actor = "mill";
	assert_int_equal(eic_cluster_add_process(c, &pr), 0);
	eic_material m;
	memset(&m, 0, sizeof(m));
	static const char *mats[] = {"logs", "lumber", "sawdust", "water",   "board",
	                             "ash",  "gas",    "power",   "offcuts", "bark"};
	for (size_t i = 0; i < sizeof(mats) / sizeof(mats[0]); i++) {
		m.id = mats[i];
		assert_int_equal(eic_cluster_add_material(c, &m), 0);
	}
	add_flow(c, "f1", "boundary:supply_market", "saw", "logs", 100, "t");
	add_flow(c, "f2", "saw", "dry", "lumber", 60, "t");
	add_flow(c, "f3", "saw", "boards", "sawdust", 12, "t");
	add_flow(c, "f4", "saw", "plant", "sawdust", 8, "t");
	add_flow(c, "f5", "saw", "boundary:landfill", "sawdust", 5, "t");
	add_flow(c, "f6", "dry", "boundary:product_market", "lumber", 58000, "kg");
	add_flow(c, "f7", "dry", "boundary:atmosphere", "water", 2, "t");
	add_flow(c, "f8", "boards", "boundary:product_market", "board", 12, "t");
	add_flow(c, "f9", "plant", "boundary:stock", "ash", 1, "t");
	add_flow(c, "f10", "plant", "boundary:atmosphere", "gas", 7, "t");
	add_flow(c, "f11", "plant", "mill", "power", 40, "GJ");
	add_flow(c, "f12", "saw", "saw", "offcuts", 3, "t");
	add_flow(c, "f13", "boundary:stock", "plant", "bark", 2, "t");
	/* board: every MCI input (C6 of the reference cases, in percent and as fractions) */
	add_property(c, "board", "mci_fr", 50, "%");
	add_property(c, "board", "mci_fu", 0, "");
	add_property(c, "board", "mci_cr", 0.5, "fraction");
	add_property(c, "board", "mci_cu", 0, "1");
	add_property(c, "board", "mci_ef", 0.8, "");
	add_property(c, "board", "mci_ec", 0.8, "");
	add_property(c, "board", "mci_lifetime_ratio", 1, "");
	add_property(c, "board", "mci_utility_ratio", 1, "");
	/* lumber: only some */
	add_property(c, "lumber", "mci_fr", 0, "");
	add_property(c, "lumber", "mci_cr", 0.3, "");
	return c;
}

static const eic_circularity_row *find_row(const eic_circularity *circ, const char *node,
                                           const char *material)
{
	for (size_t i = 0; i < eic_circularity_row_count(circ); i++) {
		const eic_circularity_row *r = eic_circularity_row_at(circ, i);
		if (!strcmp(r->node, node) && !strcmp(r->material, material))
			return r;
	}
	fail_msg("no output row %s/%s", node, material);
	return NULL;
}

static void test_circularity__cluster(void **state)
{
	(void)state;
	eic_cluster *c = demo_cluster();
	eic_circularity *circ = NULL;
	assert_int_equal(eic_circularity_compute(&circ, c, NULL), 0);
	assert_int_equal(eic_circularity_row_count(circ), 7);
	const eic_circularity_row *r = find_row(circ, "saw", "sawdust");
	assert_near_tol(25, r->total, ABS_TOL, "saw sawdust total");
	assert_near_tol(20, r->inside, ABS_TOL, "saw sawdust inside");
	assert_near_tol(5, r->loss, ABS_TOL, "saw sawdust loss");
	assert_near_tol(0.8, r->reuse_share, ABS_TOL, "saw sawdust share");
	assert_string_equal(r->actor, "mill");
	r = find_row(circ, "saw", "lumber");
	assert_near_tol(1.0, r->reuse_share, ABS_TOL, "saw lumber share");
	r = find_row(circ, "dry", "lumber");
	assert_near_tol(58, r->product, ABS_TOL, "dry lumber to market (kg converted)");
	assert_near_tol(0.0, r->reuse_share, ABS_TOL, "dry lumber share");
	r = find_row(circ, "plant", "ash");
	assert_near_tol(1, r->stock, ABS_TOL, "plant ash to stock");

	const eic_circularity_totals *t = eic_circularity_totals_get(circ);
	assert_near_tol(165, t->output_total, ABS_TOL, "all outputs");
	assert_near_tol(80, t->inside_total, ABS_TOL, "inside");
	assert_near_tol(102, t->input_outside, ABS_TOL, "from outside");
	assert_near_tol(80.0 / 165.0, t->rate, ABS_TOL, "circularity rate");
	assert_near_tol(80.0 / 182.0, t->cmu, ABS_TOL, "CMU");
	assert_int_equal(t->skipped, 2);
	assert_string_equal(t->unit, "t");

	/* products: lumber (58 t), board (12 t) */
	assert_int_equal(eic_circularity_mci_count(circ), 2);
	const eic_circularity_mci *lumber = eic_circularity_mci_at(circ, 0);
	const eic_circularity_mci *board = eic_circularity_mci_at(circ, 1);
	assert_string_equal(lumber->material, "lumber");
	assert_false(lumber->computed);
	assert_non_null(strstr(lumber->missing, "F_U (mci_fu)"));
	assert_non_null(strstr(lumber->missing, "E_C (mci_ec)"));
	assert_null(strstr(lumber->missing, "E_F")); /* F_R = 0: not needed */
	assert_null(strstr(lumber->missing, "F_R"));
	assert_string_equal(board->material, "board");
	assert_true(board->computed);
	assert_string_equal(board->missing, "");
	assert_near_tol(12, board->mass, ABS_TOL, "board mass");
	assert_near_tol(0.502484, board->result.mci, MCI_TOL, "board MCI (case C6)");
	eic_circularity_free(circ);

	eic_circularity_options opts = EIC_CIRCULARITY_OPTIONS_INIT;
	opts.period = "1999";
	assert_int_equal(eic_circularity_compute(&circ, c, &opts), EIC_ENOTFOUND);
	opts.period = "2023";
	assert_int_equal(eic_circularity_compute(&circ, c, &opts), 0);
	assert_near_tol(165, eic_circularity_totals_get(circ)->output_total, ABS_TOL, "one period");
	eic_circularity_free(circ);
	eic_circularity_free(NULL);
	eic_cluster_free(c);
}

/* A cluster without flows: rates are NaN (no division by zero), nothing crashes. */
static void test_circularity__empty(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	eic_circularity *circ = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	assert_int_equal(eic_circularity_compute(&circ, c, NULL), 0);
	assert_int_equal(eic_circularity_row_count(circ), 0);
	assert_int_equal(eic_circularity_mci_count(circ), 0);
	assert_true(isnan(eic_circularity_totals_get(circ)->rate));
	assert_true(isnan(eic_circularity_totals_get(circ)->cmu));
	eic_circularity_free(circ);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_circularity__mci_reference_cases),
	    cmocka_unit_test(test_circularity__mci_by_hand),
	    cmocka_unit_test(test_circularity__mci_invalid),
	    cmocka_unit_test(test_circularity__cluster),
	    cmocka_unit_test(test_circularity__empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
