/* test_sankey.c: unit tests of the Sankey layout and drawing (src/lib/sankey): geometric
 * properties of the layout, file formats, reproducible SVG, empty networks, the examples. */
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

/* Widths are value * scale computed in one multiplication, so 1e-9 relative is ample;
 * positions are compared with a 1e-6 pt slack (far below a pixel). */
#define REL_TOL 1e-9
#define POS_TOL 1e-6

static void add_period(eic_cluster *c, const char *id)
{
	eic_period p = {id, "2023-01-01", "2023-12-31", ""};
	assert_int_equal(eic_cluster_add_period(c, &p), 0);
}

static void add_actor(eic_cluster *c, const char *id, const char *name)
{
	eic_actor a;
	memset(&a, 0, sizeof(a));
	a.id = id;
	a.name = name;
	a.employees = -1;
	a.value_added = a.lat = a.lon = NAN;
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
}

static void add_material(eic_cluster *c, const char *id, const char *category)
{
	eic_material m;
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.name = id;
	m.category = category;
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
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
	f.sd = f.rel_sd = NAN;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
}

/* A small network: supply -> mill -> boiler -> markets and losses, a cycle (ash from the
 * boiler back to the mill), stock, a water intake, a tiny flow and an energy flow. */
static eic_cluster *sample_cluster(void)
{
	eic_cluster *c = NULL;
	eic_cluster_info info;
	assert_int_equal(eic_cluster_new(&c), 0);
	memset(&info, 0, sizeof(info));
	info.id = "sample";
	info.name = "Sample cluster";
	info.mass_unit = "t";
	info.energy_unit = "GJ";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	add_period(c, "2023");
	add_actor(c, "mill", "Saw mill with a rather long name (aggregated)");
	add_actor(c, "boiler", "Boiler");
	add_actor(c, "farm", "Farm");
	add_material(c, "logs", "biomass/wood/logs");
	add_material(c, "bark", "biomass/wood/bark");
	add_material(c, "ash", "ash/wood");
	add_material(c, "timber", "wood/sawn");
	add_material(c, "water", "water/process");
	add_material(c, "heat", "energy/heat");
	add_material(c, "flue", "emission/flue_gas");
	add_flow(c, "f1", "boundary:supply_market", "mill", "logs", 1000, "t");
	add_flow(c, "f2", "mill", "boiler", "bark", 300, "t");
	add_flow(c, "f3", "mill", "boundary:product_market", "timber", 650, "t");
	add_flow(c, "f4", "boiler", "boundary:atmosphere", "flue", 280, "t");
	add_flow(c, "f5", "boiler", "mill", "ash", 15, "t");
	add_flow(c, "f6", "mill", "boundary:landfill", "ash", 60, "t");
	add_flow(c, "f7", "boundary:water_body", "boiler", "water", 40, "m3");
	add_flow(c, "f8", "boiler", "farm", "ash", 0.02, "t");
	add_flow(c, "f9", "farm", "boundary:stock", "ash", 0.02, "t");
	add_flow(c, "f10", "boiler", "boundary:product_market", "heat", 900, "GJ");
	add_flow(c, "f11", "mill", "boundary:landfill", "ash", 5, "t"); /* summed with f6 */
	return c;
}

static int overlap(double a0, double a1, double b0, double b1)
{
	return a0 < b1 - POS_TOL && b0 < a1 - POS_TOL;
}

/* The properties every layout must have, whatever the network. */
static void check_layout(const eic_sankey *l)
{
	size_t n = eic_sankey_node_count(l), m = eic_sankey_link_count(l);
	double scale = eic_sankey_scale(l), min_w = eic_sankey_min_width(l);
	for (size_t i = 0; i < m; i++) {
		const eic_sankey_link *lk = eic_sankey_link_at(l, i);
		assert_true(lk->value > 0.0);
		assert_true(lk->width > 0.0);
		assert_true(lk->point_count >= 2);
		if (lk->widened) {
			assert_true(lk->value * scale < min_w);
			assert_true(fabs(lk->width - min_w) <= REL_TOL * min_w);
		} else {
			double expect = lk->value * scale;
			if (!(fabs(lk->width - expect) <= REL_TOL * expect))
				fail_msg("link %zu: width %.17g, value * scale %.17g", i, lk->width,
				         expect);
		}
		assert_non_null(lk->colour);
		assert_int_equal(lk->colour[0], '#');
	}
	for (size_t i = 0; i < n; i++) {
		const eic_sankey_node *a = eic_sankey_node_at(l, i);
		assert_true(a->h > 0.0 && a->w > 0.0);
		assert_true(a->x >= -POS_TOL && a->x + a->w <= eic_sankey_width(l) + POS_TOL);
		assert_true(a->y >= -POS_TOL && a->y + a->h <= eic_sankey_height(l) + POS_TOL);
		for (size_t j = i + 1; j < n; j++) {
			const eic_sankey_node *b = eic_sankey_node_at(l, j);
			if (a->layer == b->layer && overlap(a->y, a->y + a->h, b->y, b->y + b->h))
				fail_msg("nodes %s and %s overlap in column %zu", a->id, b->id,
				         a->layer);
		}
	}
	/* No two label boxes overlap, and no label box covers a node. */
	for (size_t i = 0; i < n; i++) {
		const eic_sankey_node *a = eic_sankey_node_at(l, i);
		if (a->label_w <= 0.0)
			continue;
		assert_true(a->label_x >= -POS_TOL);
		assert_true(a->label_x + a->label_w <= eic_sankey_width(l) + POS_TOL);
		for (size_t j = 0; j < n; j++) {
			const eic_sankey_node *b = eic_sankey_node_at(l, j);
			if (j != i &&
			    overlap(a->label_x, a->label_x + a->label_w, b->x, b->x + b->w) &&
			    overlap(a->label_y, a->label_y + a->label_h, b->y, b->y + b->h))
				fail_msg("label of %s covers node %s", a->id, b->id);
			if (j <= i || b->label_w <= 0.0)
				continue;
			if (overlap(a->label_x, a->label_x + a->label_w, b->label_x,
			            b->label_x + b->label_w) &&
			    overlap(a->label_y, a->label_y + a->label_h, b->label_y,
			            b->label_y + b->label_h))
				fail_msg("labels of %s and %s overlap", a->id, b->id);
		}
	}
	/* Sources left of everything else, sinks right of everything else. */
	for (size_t i = 0; i < n; i++) {
		const eic_sankey_node *a = eic_sankey_node_at(l, i);
		for (size_t j = 0; j < n; j++) {
			const eic_sankey_node *b = eic_sankey_node_at(l, j);
			if (a->kind == EIC_SANKEY_NODE_SOURCE && b->kind != EIC_SANKEY_NODE_SOURCE)
				assert_true(a->x < b->x);
			if ((a->kind == EIC_SANKEY_NODE_PRODUCT ||
			     a->kind == EIC_SANKEY_NODE_LOSS) &&
			    b->kind != EIC_SANKEY_NODE_PRODUCT && b->kind != EIC_SANKEY_NODE_LOSS &&
			    b->kind != EIC_SANKEY_NODE_STOCK)
				assert_true(a->x > b->x);
		}
	}
}

static const eic_sankey_node *find_node(const eic_sankey *l, const char *id)
{
	for (size_t i = 0; i < eic_sankey_node_count(l); i++)
		if (strcmp(eic_sankey_node_at(l, i)->id, id) == 0)
			return eic_sankey_node_at(l, i);
	return NULL;
}

static void test_sankey__layout_properties(void **state)
{
	(void)state;
	eic_cluster *c = sample_cluster();
	eic_sankey *l = NULL;
	assert_int_equal(eic_sankey_layout(&l, c, NULL), 0);
	assert_null(eic_sankey_message(l));
	assert_string_equal(eic_sankey_unit(l), "t");
	check_layout(l);

	/* f6 and f11 are one link of 65 t; f10 (GJ) is omitted; water counted by density is
	 * not in the catalogue here, so f7 is omitted too. */
	int found_landfill = 0, found_return = 0, found_widened = 0;
	for (size_t i = 0; i < eic_sankey_link_count(l); i++) {
		const eic_sankey_link *lk = eic_sankey_link_at(l, i);
		const char *s = eic_sankey_node_at(l, lk->source)->id;
		const char *t = eic_sankey_node_at(l, lk->target)->id;
		if (!strcmp(s, "mill") && !strcmp(t, "boundary:landfill")) {
			found_landfill = 1;
			assert_true(fabs(lk->value - 65.0) <= REL_TOL * 65.0);
			assert_int_equal(lk->flow_count, 2);
			assert_true(lk->to_loss);
			assert_string_equal(lk->material_class, "ash");
		}
		if (lk->is_return) {
			/* the ash loop boiler -> mill closes the cycle mill -> boiler -> mill */
			found_return = 1;
			assert_string_equal(s, "boiler");
			assert_string_equal(t, "mill");
			assert_int_equal(lk->point_count, 6);
			/* it runs under every node */
			for (size_t j = 0; j < eic_sankey_node_count(l); j++) {
				const eic_sankey_node *nd = eic_sankey_node_at(l, j);
				assert_true(lk->points[2].y > nd->y + nd->h);
			}
		}
		found_widened |= lk->widened;
	}
	assert_true(found_landfill);
	assert_true(found_return);
	assert_true(found_widened); /* the 0.02 t ash */
	size_t omitted_energy = 0;
	for (size_t i = 0; i < eic_sankey_omitted_count(l); i++)
		if (!strcmp(eic_sankey_omitted_at(l, i)->flow, "f10"))
			omitted_energy++;
	assert_int_equal(omitted_energy, 1);

	const eic_sankey_node *supply = find_node(l, "boundary:supply_market:in");
	const eic_sankey_node *market = find_node(l, "boundary:product_market");
	const eic_sankey_node *stock = find_node(l, "boundary:stock");
	assert_non_null(supply);
	assert_non_null(market);
	assert_non_null(stock);
	assert_int_equal(supply->kind, EIC_SANKEY_NODE_SOURCE);
	assert_int_equal(stock->kind, EIC_SANKEY_NODE_STOCK);
	assert_true(supply->x < market->x);
	assert_true(fabs(market->value - 650.0) <= REL_TOL * 650.0);
	assert_true(strstr(find_node(l, "mill")->name, "Saw mill") != NULL);

	/* Energy: f10 drawn, the tonnes without a heating value omitted. */
	eic_sankey_options opts = EIC_SANKEY_OPTIONS_INIT;
	opts.quantity = "energy";
	eic_sankey *e = NULL;
	assert_int_equal(eic_sankey_layout(&e, c, &opts), 0);
	assert_string_equal(eic_sankey_unit(e), "GJ");
	assert_int_equal(eic_sankey_link_count(e), 1);
	check_layout(e);
	eic_sankey_free(e);
	eic_sankey_free(l);
	eic_cluster_free(c);
}

static void test_sankey__bad_options(void **state)
{
	(void)state;
	eic_cluster *c = sample_cluster();
	eic_sankey *l = NULL;
	eic_sankey_options opts = EIC_SANKEY_OPTIONS_INIT;
	opts.period = "1999";
	assert_int_equal(eic_sankey_layout(&l, c, &opts), EIC_ENOTFOUND);
	assert_null(l);
	opts.period = NULL;
	opts.quantity = "volume";
	assert_int_equal(eic_sankey_layout(&l, c, &opts), EIC_EINVAL);
	opts.quantity = NULL;
	opts.width_pt = 50.0;
	assert_int_equal(eic_sankey_layout(&l, c, &opts), EIC_EINVAL);
	opts.width_pt = 0.0;
	opts.version = 99;
	assert_int_equal(eic_sankey_layout(&l, c, &opts), EIC_EINVAL);
	assert_int_equal(eic_sankey_layout(NULL, c, NULL), EIC_EINVAL);
	eic_sankey_free(NULL);
	assert_int_equal(eic_sankey_node_count(NULL), 0);
	assert_null(eic_sankey_link_at(NULL, 0));
	eic_cluster_free(c);
}

/* A pure two-node cycle without boundary: both directions drawn, one as a return. */
static void test_sankey__self_consistent_cycle(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	add_period(c, "2023");
	add_actor(c, "a", "A");
	add_actor(c, "b", "B");
	add_actor(c, "d", "D");
	add_material(c, "x", "waste/x");
	add_flow(c, "ab", "a", "b", "x", 10, "t");
	add_flow(c, "bd", "b", "d", "x", 10, "t");
	add_flow(c, "da", "d", "a", "x", 10, "t");
	add_flow(c, "aa", "a", "a", "x", 3, "t"); /* same node: omitted */
	eic_sankey *l = NULL;
	assert_int_equal(eic_sankey_layout(&l, c, NULL), 0);
	check_layout(l);
	assert_int_equal(eic_sankey_link_count(l), 3);
	size_t returns = 0;
	for (size_t i = 0; i < eic_sankey_link_count(l); i++)
		returns += (size_t)eic_sankey_link_at(l, i)->is_return;
	assert_int_equal(returns, 1);
	assert_int_equal(eic_sankey_omitted_count(l), 1);
	assert_string_equal(eic_sankey_omitted_at(l, 0)->reason, "same node at both ends");
	char *svg = NULL;
	assert_int_equal(eic_sankey_svg(&svg, NULL, l), 0);
	free(svg);
	eic_sankey_free(l);
	eic_cluster_free(c);
}

static void test_sankey__empty_network(void **state)
{
	(void)state;
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_sankey *l = NULL;
	/* no flows at all */
	assert_int_equal(eic_sankey_layout(&l, c, NULL), 0);
	assert_int_equal(eic_sankey_node_count(l), 0);
	assert_int_equal(eic_sankey_link_count(l), 0);
	assert_non_null(eic_sankey_message(l));
	char *svg = NULL;
	size_t size = 0;
	assert_int_equal(eic_sankey_svg(&svg, &size, l), 0);
	assert_true(size > 100);
	free(svg);
	eic_sankey_free(l);

	/* only flows that cannot be converted */
	add_period(c, "2023");
	add_actor(c, "a", "A");
	add_material(c, "pallets", "products/pallets");
	add_flow(c, "p1", "a", "boundary:product_market", "pallets", 40, "item");
	add_flow(c, "p2", "a", "boundary:product_market", "pallets", 0, "t");
	assert_int_equal(eic_sankey_layout(&l, c, NULL), 0);
	assert_int_equal(eic_sankey_link_count(l), 0);
	assert_int_equal(eic_sankey_omitted_count(l), 2);
	assert_string_equal(eic_sankey_omitted_at(l, 0)->reason, "not convertible to t");
	assert_string_equal(eic_sankey_omitted_at(l, 1)->reason, "zero quantity");
	assert_true(strstr(eic_sankey_message(l), "Nothing to draw") != NULL);
	char *dir = eic_test_tmpdir("sankey_empty");
	char path[512];
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/empty.png", dir);
	assert_int_equal(eic_sankey_write(l, path), 0);
	remove(path);
	remove(dir);
	free(dir);
	eic_sankey_free(l);
	eic_cluster_free(c);
}

static void check_magic(const char *path, const char *magic, size_t len)
{
	size_t size = 0;
	char *data = eic_test_read_file(path, &size);
	assert_non_null(data);
	assert_true(size > 1000);
	if (memcmp(data, magic, len) != 0)
		fail_msg("%s does not start with the expected magic bytes", path);
	free(data);
}

static void test_sankey__formats(void **state)
{
	(void)state;
	eic_cluster *c = sample_cluster();
	eic_sankey *l = NULL;
	assert_int_equal(eic_sankey_layout(&l, c, NULL), 0);
	char *dir = eic_test_tmpdir("sankey_formats");
	char path[512];
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/d.svg", dir);
	assert_int_equal(eic_sankey_write(l, path), 0);
	check_magic(path, "<?xml", 5);
	size_t size = 0;
	char *text = eic_test_read_file(path, &size);
	assert_non_null(strstr(text, "<svg"));
	assert_non_null(strstr(text, "</svg>"));
	free(text);
	snprintf(path, sizeof(path), "%s/d.PNG", dir);
	assert_int_equal(eic_sankey_write(l, path), 0);
	check_magic(path, "\x89PNG\r\n\x1a\n", 8);
	snprintf(path, sizeof(path), "%s/d.pdf", dir);
	assert_int_equal(eic_sankey_write(l, path), 0);
	check_magic(path, "%PDF-", 5);
	snprintf(path, sizeof(path), "%s/d.gif", dir);
	assert_int_equal(eic_sankey_write(l, path), EIC_EINVAL);
	snprintf(path, sizeof(path), "%s/no/such/dir/d.svg", dir);
	assert_int_equal(eic_sankey_write(l, path), EIC_EIO);
	static const char *const names[] = {"d.svg", "d.PNG", "d.pdf"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		remove(path);
	}
	remove(dir);
	free(dir);
	eic_sankey_free(l);
	eic_cluster_free(c);
}

/* The same input gives the same SVG bytes, from one layout or two, even though cairo
 * numbers surfaces from a process-wide counter; ids are renumbered from i1. */
static void test_sankey__svg_deterministic(void **state)
{
	(void)state;
	eic_cluster *c = sample_cluster();
	eic_sankey *l1 = NULL, *l2 = NULL;
	char *a = NULL, *b = NULL, *d = NULL;
	size_t na = 0, nb = 0, nd = 0;
	assert_int_equal(eic_sankey_layout(&l1, c, NULL), 0);
	assert_int_equal(eic_sankey_layout(&l2, c, NULL), 0);
	assert_int_equal(eic_sankey_svg(&a, &na, l1), 0);
	assert_int_equal(eic_sankey_svg(&b, &nb, l1), 0);
	assert_int_equal(eic_sankey_svg(&d, &nd, l2), 0);
	assert_int_equal(na, nb);
	assert_int_equal(na, nd);
	assert_memory_equal(a, b, na);
	assert_memory_equal(a, d, na);
	assert_int_equal(strlen(a), na);
	assert_non_null(strstr(a, "id=\"i1\""));
	assert_null(strstr(a, "surface"));
	free(a);
	free(b);
	free(d);
	eic_sankey_free(l1);
	eic_sankey_free(l2);
	eic_cluster_free(c);
}

/* Every example cluster, mass and energy, every period and the sum: the layout properties
 * hold and the drawing succeeds. */
static void test_sankey__examples(void **state)
{
	(void)state;
	static const char *const examples[] = {"maniwa",   "chachoengsao", "coconut",
	                                       "dambulla", "kalundborg",   "finland-kokkola"};
	for (size_t k = 0; k < sizeof(examples) / sizeof(examples[0]); k++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "data/examples/%s", examples[k]);
		eic_diags *diags = NULL;
		eic_cluster *c = NULL;
		assert_int_equal(eic_diags_new(&diags, 100), 0);
		assert_int_equal(eic_package_read(&c, diags, eic_test_src(rel), NULL), 0);
		for (size_t p = 0; p <= eic_cluster_period_count(c); p++) {
			for (int energy = 0; energy < 2; energy++) {
				eic_sankey_options opts = EIC_SANKEY_OPTIONS_INIT;
				eic_sankey *l = NULL;
				char *svg = NULL;
				opts.period = p ? eic_cluster_period(c, p - 1)->id : NULL;
				opts.quantity = energy ? "energy" : "mass";
				assert_int_equal(eic_sankey_layout(&l, c, &opts), 0);
				check_layout(l);
				if (!energy && !opts.period)
					assert_true(eic_sankey_link_count(l) > 0);
				assert_int_equal(eic_sankey_svg(&svg, NULL, l), 0);
				free(svg);
				eic_sankey_free(l);
			}
		}
		eic_cluster_free(c);
		eic_diags_free(diags);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sankey__layout_properties),
	    cmocka_unit_test(test_sankey__bad_options),
	    cmocka_unit_test(test_sankey__self_consistent_cycle),
	    cmocka_unit_test(test_sankey__empty_network),
	    cmocka_unit_test(test_sankey__formats),
	    cmocka_unit_test(test_sankey__svg_deterministic),
	    cmocka_unit_test(test_sankey__examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
