/* test_model.c: the in-memory cluster model: ids, lookups, node resolution, dates and
 * periods, and flow amounts with explicit cross-dimension conversions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <eic/eic.h>

static eic_cluster *small(void)
{
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info = {"c1", "Cluster", "", "TH", "THB", "", NULL, NULL, NULL, NULL, ""};
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period y = {"2024", "2024-01-01", "2024-12-31", ""};
	eic_period h = {"h1", "2023-01-01", "2023-06-30", "first half"};
	assert_int_equal(eic_cluster_add_period(c, &y), 0);
	assert_int_equal(eic_cluster_add_period(c, &h), 0);
	eic_actor a = {
	    "mill", EIC_ACTOR_FIRM, "Mill", EIC_SECTOR_ISIC4, "1061", 10, NAN, 13.7, 101.0, "", ""};
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	eic_process p = {"milling", "mill", "Milling", ""};
	assert_int_equal(eic_cluster_add_process(c, &p), 0);
	eic_material m = {"husk", "Rice husk", "biomass", "020103",          0,
	                  "",     "",          "",        EIC_ORIGIN_CLUSTER};
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
	eic_material w = {"water", "Water", "", "", 0, "", "", "", EIC_ORIGIN_CLUSTER};
	assert_int_equal(eic_cluster_add_material(c, &w), 0);
	eic_property lhv = {"husk", "lhv", 14.0, "GJ/t", "test", EIC_ORIGIN_CLUSTER};
	eic_property rho = {"husk", "density", 0.12, "t/m3", "test", EIC_ORIGIN_CLUSTER};
	assert_int_equal(eic_cluster_add_property(c, &lhv), 0);
	assert_int_equal(eic_cluster_add_property(c, &rho), 0);
	return c;
}

static void test_model__defaults_and_lookup(void **state)
{
	(void)state;
	eic_cluster *c = small();
	const eic_cluster_info *i = eic_cluster_info_get(c);
	assert_string_equal(i->mass_unit, "t");
	assert_string_equal(i->energy_unit, "GJ");
	assert_string_equal(i->catalogue, "default");
	assert_non_null(eic_cluster_find_actor(c, "mill"));
	assert_null(eic_cluster_find_actor(c, "milling"));
	assert_non_null(eic_cluster_find_process(c, "milling"));
	assert_null(eic_cluster_find_material(c, "nothing"));
	assert_non_null(eic_cluster_find_property(c, "husk", "lhv"));
	assert_null(eic_cluster_find_property(c, "water", "lhv"));
	eic_cluster_free(c);
	eic_cluster_free(NULL);
}

static void test_model__duplicates_refused(void **state)
{
	(void)state;
	eic_cluster *c = small();
	eic_actor dup = {
	    "mill", EIC_ACTOR_FIRM, "Other", EIC_SECTOR_ISIC4, "", -1, NAN, NAN, NAN, "", ""};
	assert_int_equal(eic_cluster_add_actor(c, &dup), EIC_EEXISTS);
	/* Actors and processes share one namespace. */
	eic_process clash = {"mill", "mill", "Clash", ""};
	assert_int_equal(eic_cluster_add_process(c, &clash), EIC_EEXISTS);
	eic_property again = {"husk", "lhv", 15.0, "GJ/t", "", EIC_ORIGIN_CLUSTER};
	assert_int_equal(eic_cluster_add_property(c, &again), EIC_EEXISTS);
	assert_int_equal(eic_cluster_actor_count(c), 1);
	eic_cluster_free(c);
}

static void test_model__resolve_nodes(void **state)
{
	(void)state;
	eic_cluster *c = small();
	eic_node n;
	assert_int_equal(eic_cluster_resolve_node(&n, c, "milling"), 0);
	assert_int_equal(n.kind, EIC_NODE_PROCESS);
	assert_string_equal(n.actor, "mill");
	assert_int_equal(eic_cluster_resolve_node(&n, c, "mill"), 0);
	assert_int_equal(n.kind, EIC_NODE_ACTOR);
	assert_int_equal(eic_cluster_resolve_node(&n, c, "boundary:open_burning"), 0);
	assert_int_equal(n.kind, EIC_NODE_BOUNDARY);
	assert_int_equal(n.boundary, EIC_BOUNDARY_OPEN_BURNING);
	assert_int_equal(eic_cluster_resolve_node(&n, c, "boundary:sky"), EIC_ENOTFOUND);
	assert_int_equal(eic_cluster_resolve_node(&n, c, "nobody"), EIC_ENOTFOUND);
	eic_cluster_free(c);
}

static void test_model__dates(void **state)
{
	(void)state;
	long d;
	assert_int_equal(eic_date_parse(&d, "1970-01-01"), 0);
	assert_int_equal(d, 0);
	assert_int_equal(eic_date_parse(&d, "2000-03-01"), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(eic_date_parse(&d, "2024-02-29"), 0);
	assert_int_equal(eic_date_parse(&d, "2023-02-29"), EIC_EINVAL);
	assert_int_equal(eic_date_parse(&d, "1900-02-29"), EIC_EINVAL);
	assert_int_equal(eic_date_parse(&d, "2000-02-29"), 0);
	assert_int_equal(eic_date_parse(&d, "2024-13-01"), EIC_EINVAL);
	assert_int_equal(eic_date_parse(&d, "2024-1-01"), EIC_EINVAL);
	assert_int_equal(eic_date_parse(&d, "24-01-01x"), EIC_EINVAL);
	eic_period leap = {"y", "2024-01-01", "2024-12-31", ""};
	assert_int_equal(eic_period_days(&leap), 366);
	eic_period bad = {"b", "2024-12-31", "2024-01-01", ""};
	assert_int_equal(eic_period_days(&bad), -1);
}

static void test_model__flow_amounts(void **state)
{
	(void)state;
	eic_cluster *c = small();
	const char *via;
	double v;
	eic_flow f = {"f", "mill", "boundary:landfill",   "husk", 2.0, "t/d", "h1",
	              NAN, NAN,    EIC_QUALITY_ESTIMATED, "",     ""};
	/* 2 t/d over 181 days. */
	assert_int_equal(eic_flow_amount(&v, &via, c, &f, "t"), 0);
	assert_true(fabs(v - 362.0) < 1e-9);
	assert_string_equal(via, "");
	/* ... and its energy by lhv 14 GJ/t. */
	assert_int_equal(eic_flow_amount(&v, &via, c, &f, "GJ"), 0);
	assert_true(fabs(v - 362.0 * 14.0) < 1e-6);
	assert_string_equal(via, "lhv");
	/* 100 m3 at 0.12 t/m3 = 12 t; in kg 12000. */
	f.quantity = 100;
	f.unit = "m3";
	assert_int_equal(eic_flow_amount(&v, &via, c, &f, "kg"), 0);
	assert_true(fabs(v - 12000.0) < 1e-6);
	assert_string_equal(via, "density");
	/* Water has no density here: no silent conversion. */
	f.material = "water";
	assert_int_equal(eic_flow_amount(&v, &via, c, &f, "t"), EIC_EUNIT);
	/* A count cannot become a mass. */
	f.material = "husk";
	f.unit = "pcs";
	assert_int_equal(eic_flow_amount(&v, &via, c, &f, "t"), EIC_EUNIT);
	/* Energy in kWh to GJ. */
	f.unit = "MWh";
	f.quantity = 1;
	assert_int_equal(eic_flow_amount(&v, &via, c, &f, "GJ"), 0);
	assert_true(fabs(v - 3.6) < 1e-12);
	eic_cluster_free(c);
}

static void test_model__records_stay_put(void **state)
{
	(void)state;
	eic_cluster *c = small();
	const eic_actor *first = eic_cluster_actor(c, 0);
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "a%d", i);
		eic_actor a = {id, EIC_ACTOR_FIRM, "A", EIC_SECTOR_ISIC4, "", -1, NAN, NAN, NAN, "",
		               ""};
		assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	}
	/* Borrowed pointers stay valid as records are added. */
	assert_ptr_equal(first, eic_cluster_actor(c, 0));
	assert_string_equal(first->id, "mill");
	assert_string_equal(eic_cluster_find_actor(c, "a4999")->id, "a4999");
	assert_int_equal(eic_cluster_actor_count(c), 5001);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_model__defaults_and_lookup),
	    cmocka_unit_test(test_model__duplicates_refused),
	    cmocka_unit_test(test_model__resolve_nodes),
	    cmocka_unit_test(test_model__dates),
	    cmocka_unit_test(test_model__flow_amounts),
	    cmocka_unit_test(test_model__records_stay_put),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
