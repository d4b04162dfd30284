/* test_catalogue.c: the shipped data (data/materials, data/classifications) loads without a
 * diagnostic, EWC hazardous flags and ISIC/NACE codes are applied, and the Kokkola example is
 * valid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eic/eic.h>

#include "testutil.h"

static void put(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void print_diags(const eic_diags *diags)
{
	char line[1024];
	for (size_t i = 0; i < eic_diags_count(diags); i++) {
		eic_diag_format(line, sizeof(line), eic_diags_get(diags, i));
		print_message("%s\n", line);
	}
}

/* Writes a package with the given actors.csv (and flows.csv unless NULL) to a fresh temporary
 * folder and reads it into *out (may be NULL); returns eic_package_read's result. */
static int read_small(eic_cluster **out, eic_diags *diags, const char *actors, const char *flows)
{
	char *dir = eic_test_tmpdir("catalogue");
	assert_non_null(dir);
	put(dir, "cluster.json",
	    "{\"eic_format\": 1, \"id\": \"cat\", \"name\": \"Catalogue test\", \"country\": "
	    "\"FI\",\n"
	    " \"currency\": \"EUR\", \"periods\": [{\"id\": \"2023\", \"start\": \"2023-01-01\","
	    " \"end\": \"2023-12-31\"}]}\n");
	put(dir, "actors.csv", actors);
	if (flows)
		put(dir, "flows.csv", flows);
	eic_read_options opts = EIC_READ_OPTIONS_INIT;
	int rc = eic_package_read(out, diags, dir, &opts);
	free(dir);
	return rc;
}

static void test_catalogue__loads_clean(void **state)
{
	(void)state;
	eic_diags *diags = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&diags, 1000), 0);
	int rc = read_small(&c, diags,
	                    "id,kind,name,sector,lat,lon\nmill,firm,Rice mill,1061,13.7,101.1\n",
	                    "id,from,to,material,quantity,unit,period\n"
	                    "f1,mill,boundary:open_burning,rice_husk,1200,t,2023\n");
	print_diags(diags);
	assert_int_equal(rc, 0);
	assert_int_equal(eic_diags_count(diags), 0);
	assert_true(eic_cluster_material_count(c) >= 60);

	const eic_material *m = eic_cluster_find_material(c, "rice_husk");
	assert_non_null(m);
	assert_string_equal(m->ewc, "020103");
	assert_int_equal(m->hazardous, 0);
	assert_int_equal(m->origin, EIC_ORIGIN_DEFAULT);

	/* hazardous comes from the EWC list when the catalogue leaves it empty (chapter 13) */
	m = eic_cluster_find_material(c, "used_lubricating_oil");
	assert_non_null(m);
	assert_string_equal(m->ewc, "130205");
	assert_int_equal(m->hazardous, 1);

	const eic_property *p = eic_cluster_find_property(c, "rice_husk", "lhv");
	assert_non_null(p);
	assert_true(p->value > 13.0 - 1e-9 && p->value < 15.0 + 1e-9);
	assert_non_null(strstr(p->source, "checked: no"));

	/* every catalogue property row carries a source */
	for (size_t i = 0; i < eic_cluster_property_count(c); i++) {
		const eic_property *q = eic_cluster_property(c, i);
		assert_non_null(q->source);
		assert_true(strlen(q->source) > 0);
	}
	eic_cluster_free(c);
	eic_diags_free(diags);
}

static void test_catalogue__sector_codes(void **state)
{
	(void)state;
	eic_diags *diags = NULL;
	assert_int_equal(eic_diags_new(&diags, 1000), 0);
	int rc = read_small(NULL, diags,
	                    "id,kind,name,sector,sector_scheme,lat,lon\n"
	                    "a,firm,Division,16,,61,24\n"
	                    "b,firm,Group,161,isic4,61,24\n"
	                    "c,firm,Class,1610,isic4,61,24\n"
	                    "d,firm,NACE dotted,16.10,nace2,61,24\n"
	                    "e,firm,NACE prefixed,C16.10,nace2,61,24\n"
	                    "f,firm,Not ISIC,1619,isic4,61,24\n",
	                    NULL);
	print_diags(diags);
	assert_int_equal(rc, EIC_EINVALID);
	assert_int_equal(eic_diags_errors(diags), 1);
	char line[1024];
	eic_diag_format(line, sizeof(line), eic_diags_get(diags, 0));
	assert_non_null(strstr(line, "1619"));
	eic_diags_free(diags);
}

static void test_catalogue__kokkola_example(void **state)
{
	(void)state;
	eic_diags *diags = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&diags, 1000), 0);
	eic_read_options opts = EIC_READ_OPTIONS_INIT;
	int rc = eic_package_read(&c, diags, eic_test_src("data/examples/finland-kokkola"), &opts);
	print_diags(diags);
	assert_int_equal(rc, 0);
	assert_int_equal(eic_diags_errors(diags), 0);
	/* the two aggregate receivers have no coordinates, on purpose (see the README) */
	assert_int_equal(eic_diags_warnings(diags), 2);
	assert_int_equal(eic_cluster_actor_count(c), 18);
	assert_int_equal(eic_cluster_flow_count(c), 69);
	assert_non_null(eic_cluster_find_actor(c, "boliden_kokkola"));
	assert_non_null(eic_cluster_find_period(c, "2023"));
	eic_cluster_free(c);
	eic_diags_free(diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogue__loads_clean),
	    cmocka_unit_test(test_catalogue__sector_codes),
	    cmocka_unit_test(test_catalogue__kokkola_example),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
