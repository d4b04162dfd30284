/* test_io.c: package reading, validation messages with exact locations, and the export round
 * trip (import, export, import gives identical data; export is byte-identical on repeat). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static const char *CLUSTER_JSON =
    "{\"eic_format\": 1, \"id\": \"tiny\", \"name\": \"Tiny \\u00e9 cluster\", \"country\": "
    "\"TH\",\n"
    " \"currency\": \"THB\", \"description\": \"line one\\nline two\",\n"
    " \"periods\": [{\"id\": \"2024\", \"start\": \"2024-01-01\", \"end\": \"2024-12-31\"},\n"
    "              {\"id\": \"h1\", \"start\": \"2025-01-01\", \"end\": \"2025-06-30\", \"label\": "
    "\"first half\"}]}\n";

/* A package exercising every table and awkward text (quotes, commas, newlines, spaces). */
static char *make_package(void)
{
	char *dir = eic_test_tmpdir("io_pkg");
	assert_non_null(dir);
	put(dir, "cluster.json", CLUSTER_JSON);
	put(dir, "actors.csv",
	    "id,kind,name,sector,employees,value_added,lat,lon,address,notes\n"
	    "mill,firm,\"Mill \"\"A\"\", Ltd\",1061,40,1.5e6,13.69,101.07,\" 1 Road "
	    "\",\"two\nlines\"\n"
	    "farm,firm,Piggery,0145,,,13.7,101.1,,\n"
	    "uni,knowledge_institute,University,,,,,,,\n");
	put(dir, "processes.csv", "id,actor,name\nmilling,mill,Milling\nbiogas,farm,Digester\n");
	put(dir, "materials.csv",
	    "id,name,category,ewc,hazardous\n"
	    "husk,Rice husk,biomass/rice/husk,02 01 03,\n"
	    "oil,Waste oil,waste/oil,130205*,yes\n");
	put(dir, "material_properties.csv",
	    "material,property,value,unit,source\n"
	    "husk,lhv,14.2,MJ/kg,test value\n"
	    "husk,density,0.1,t/m3,test value\n"
	    "husk,moisture,10,%,test\n");
	put(dir, "flows.csv",
	    "id,from,to,material,quantity,unit,period,sd,rel_sd,quality,source\n"
	    "f1,boundary:supply_market,milling,husk,100,t,2024,5,,measured,scale\n"
	    "f2,milling,boundary:open_burning,husk,60,t,2024,,0.1,estimated,\n"
	    "f3,milling,biogas,husk,400,m3,2024,,20%,calculated,\n"
	    "f4,biogas,boundary:stock,husk,0.1,t/d,h1,,,estimated,\n");
	put(dir, "offers.csv",
	    "id,actor,type,material,quantity,min,max,unit,price,price_unit,confidentiality,"
	    "available_from,available_to\n"
	    "o1,mill,have,husk,100,50,120,t/yr,300,THB/t,public,2024-01-01,2024-12-31\n"
	    "o2,farm,want,husk,20,,,t/yr,,,private,,\n");
	put(dir, "facilities.csv",
	    "id,name,technology,lat,lon,capacity_unit,lifetime_yr\n"
	    "bg,Shared biogas plant,anaerobic digestion,13.7,101.05,t/yr,20\n");
	put(dir, "facility_levels.csv",
	    "facility,level,capacity,capex,opex_per_yr\nbg,small,1000,2e6,1e5\nbg,large,5000,7e6,"
	    "3e5\n");
	put(dir, "facility_coefficients.csv",
	    "facility,material,direction,coefficient,unit\nbg,husk,input,1,t/t\n");
	return dir;
}

static eic_cluster *read_ok(const char *path)
{
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	int rc = eic_package_read(&c, d, path, NULL);
	for (size_t i = 0; rc != 0 && i < eic_diags_count(d); i++) {
		char line[1200];
		eic_diag_format(line, sizeof(line), eic_diags_get(d, i));
		fprintf(stderr, "%s\n", line);
	}
	assert_int_equal(rc, 0);
	eic_diags_free(d);
	return c;
}

static void test_io__reads_every_table(void **state)
{
	(void)state;
	char *dir = make_package();
	eic_cluster *c = read_ok(dir);
	const eic_actor *mill = eic_cluster_find_actor(c, "mill");
	assert_non_null(mill);
	assert_string_equal(mill->name, "Mill \"A\", Ltd");
	assert_string_equal(mill->address, " 1 Road ");
	assert_string_equal(mill->notes, "two\nlines");
	assert_int_equal(mill->employees, 40);
	assert_true(fabs(mill->value_added - 1.5e6) < 1e-6);
	const eic_actor *farm = eic_cluster_find_actor(c, "farm");
	assert_int_equal(farm->employees, -1);
	assert_true(isnan(farm->value_added));
	const eic_material *husk = eic_cluster_find_material(c, "husk");
	assert_string_equal(husk->ewc, "020103");
	assert_int_equal(husk->origin, EIC_ORIGIN_CLUSTER);
	assert_int_equal(eic_cluster_find_material(c, "oil")->hazardous, 1);
	const eic_property *m = eic_cluster_find_property(c, "husk", "moisture");
	assert_non_null(m);
	assert_string_equal(m->unit, "%");
	assert_int_equal(eic_cluster_flow_count(c), 4);
	const eic_flow *f3 = eic_cluster_flow(c, 2);
	assert_true(fabs(f3->rel_sd - 0.2) < 1e-12);
	assert_int_equal(f3->quality, EIC_QUALITY_CALCULATED);
	/* 400 m3 at 0.1 t/m3 is 40 t, explicitly through density. */
	double t;
	const char *via;
	assert_int_equal(eic_flow_amount(&t, &via, c, f3, "t"), 0);
	assert_true(fabs(t - 40.0) < 1e-9);
	assert_string_equal(via, "density");
	/* 0.1 t/d over 181 days (2025-01-01 to 2025-06-30) is 18.1 t. */
	assert_int_equal(eic_flow_amount(&t, &via, c, eic_cluster_flow(c, 3), "t"), 0);
	assert_true(fabs(t - 18.1) < 1e-9);
	/* 100 t at 14.2 MJ/kg is 1420 GJ. */
	assert_int_equal(eic_flow_amount(&t, &via, c, eic_cluster_flow(c, 0), "GJ"), 0);
	assert_true(fabs(t - 1420.0) < 1e-6);
	assert_int_equal(eic_cluster_offer(c, 1)->confidentiality, EIC_CONF_PRIVATE);
	assert_int_equal(eic_cluster_facility_level_count(c), 2);
	eic_cluster_free(c);
	free(dir);
}

static char *file_text(const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *t = eic_test_read_file(path, NULL);
	return t ? t : strdup("<absent>");
}

static void test_io__round_trip_identical(void **state)
{
	(void)state;
	char *src = make_package();
	eic_cluster *a = read_ok(src);
	char *out1 = eic_test_tmpdir("io_out1"), *out2 = eic_test_tmpdir("io_out2");
	assert_int_equal(eic_package_write_dir(a, out1), 0);
	eic_cluster *b = read_ok(out1);
	assert_int_equal(eic_package_write_dir(b, out2), 0);
	static const char *files[] = {"cluster.json",
	                              "actors.csv",
	                              "processes.csv",
	                              "materials.csv",
	                              "material_properties.csv",
	                              "flows.csv",
	                              "offers.csv",
	                              "facilities.csv",
	                              "facility_levels.csv",
	                              "facility_coefficients.csv"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *x = file_text(out1, files[i]), *y = file_text(out2, files[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	/* Export twice of the same cluster: byte-identical. */
	assert_int_equal(eic_package_write_dir(a, out2), 0);
	char *x = file_text(out1, "flows.csv"), *y = file_text(out2, "flows.csv");
	assert_string_equal(x, y);
	free(x);
	free(y);
	/* JSON form: text -> cluster -> text is a fixed point, and equals the folder's content. */
	char *j1 = NULL, *j2 = NULL, *j3 = NULL;
	assert_int_equal(eic_package_to_json(&j1, a), 0);
	eic_diags *d = NULL;
	eic_cluster *cj = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	assert_int_equal(eic_package_read_json_buffer(&cj, d, "mem.json", j1, strlen(j1), NULL), 0);
	assert_int_equal(eic_package_to_json(&j2, cj), 0);
	assert_string_equal(j1, j2);
	assert_int_equal(eic_package_to_json(&j3, b), 0);
	assert_string_equal(j1, j3);
	/* Default-catalogue materials are not exported. */
	assert_null(strstr(j1, "\"origin\""));
	for (size_t i = 0; i < eic_cluster_material_count(a); i++) {
		const eic_material *m = eic_cluster_material(a, i);
		if (m->origin == EIC_ORIGIN_DEFAULT) {
			char needle[200];
			snprintf(needle, sizeof(needle), "\"id\": \"%s\", \"name\"", m->id);
			assert_null(strstr(j1, needle));
		}
	}
	free(j1);
	free(j2);
	free(j3);
	eic_diags_free(d);
	eic_cluster_free(cj);
	eic_cluster_free(a);
	eic_cluster_free(b);
	free(src);
	free(out1);
	free(out2);
}

/* Read a package and return all diagnostics joined by newlines (caller frees). */
static char *diagnostics(const char *path, int *out_rc)
{
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	*out_rc = eic_package_read(&c, d, path, NULL);
	size_t cap = 65536, len = 0;
	char *all = calloc(1, cap);
	for (size_t i = 0; i < eic_diags_count(d); i++) {
		char line[1200];
		eic_diag_format(line, sizeof(line), eic_diags_get(d, i));
		len += (size_t)snprintf(all + len, cap - len, "%s\n", line);
	}
	eic_cluster_free(c);
	eic_diags_free(d);
	return all;
}

static void test_io__csv_error_locations(void **state)
{
	(void)state;
	char *dir = make_package();
	/* A quoted cell spanning two lines moves the next row to line 4; non-ASCII text before
	 * the bad cell counts as one column per character. */
	put(dir, "actors.csv",
	    "id,kind,name,lat,lon\n"
	    "mill,firm,\"Mill\nwith newline\",13.6,101.0\n"
	    "farm,firm,Ferme \xc3\xa9\xc3\xa9,95,101\n"
	    "uni,university,U,,\n");
	int rc;
	char *all = diagnostics(dir, &rc);
	assert_int_equal(rc, EIC_EINVALID);
	char expect[2048];
	snprintf(expect, sizeof(expect),
	         "%s/actors.csv:4:20: error: latitude out of range (expected -90 to 90 degrees, "
	         "WGS84; found 95)\n",
	         dir);
	assert_non_null(strstr(all, expect));
	snprintf(expect, sizeof(expect),
	         "%s/actors.csv:5:5: error: unknown actor kind in 'kind' (expected firm, "
	         "knowledge_institute, government_body, community_organisation, financier, "
	         "service_provider or treatment_facility; found 'university')\n",
	         dir);
	assert_non_null(strstr(all, expect));
	/* The rejected actors do not cascade into "unknown actor" errors in processes.csv. */
	assert_null(strstr(all, "processes.csv"));
	free(all);
	free(dir);
}

static void test_io__json_error_locations(void **state)
{
	(void)state;
	const char *doc =
	    "{\"eic_format\": 1, \"id\": \"j\", \"name\": \"J\", \"country\": \"TH\", "
	    "\"currency\": \"THB\",\n"
	    " \"periods\": [{\"id\": \"2024\", \"start\": \"2024-01-01\", \"end\": "
	    "\"2024-12-31\"}],\n"
	    " \"actors\": [{\"id\": \"a\", \"kind\": \"firm\", \"name\": \"A\"},\n"
	    "            {\"id\": \"b\", \"kind\": \"firm\", \"name\": \"B\", \"lon\": 200}],\n"
	    " \"flows\": [{\"id\": \"f\", \"from\": \"a\", \"to\": \"b\", \"material\": "
	    "\"rice_husk\",\n"
	    "            \"quantity\": -3, \"unit\": \"t\", \"period\": \"2024\", \"colour\": "
	    "\"red\"}]}\n";
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	int rc = eic_package_read_json_buffer(&c, d, "doc.json", doc, strlen(doc), NULL);
	assert_int_equal(rc, EIC_EINVALID);
	assert_null(c);
	int found_lon = 0, found_key = 0, found_neg = 0;
	for (size_t i = 0; i < eic_diags_count(d); i++) {
		char line[1200];
		eic_diag_format(line, sizeof(line), eic_diags_get(d, i));
		if (!strcmp(line, "doc.json:4:61: error: longitude out of range (expected -180 to "
		                  "180 degrees, WGS84; found 200)"))
			found_lon = 1;
		if (!strcmp(line, "doc.json:6:60: error: unknown key 'colour' in a row of 'flows' "
		                  "(expected a column name of flows.csv)"))
			found_key = 1;
		if (!strcmp(line, "doc.json:6:25: error: negative value in 'quantity' (expected a "
		                  "number >= 0; found -3)"))
			found_neg = 1;
		fprintf(stderr, "%s\n", line);
	}
	assert_true(found_lon);
	assert_true(found_key);
	assert_true(found_neg);
	eic_diags_free(d);
}

static void test_io__malformed_json_syntax(void **state)
{
	(void)state;
	const char *doc = "{\"eic_format\": 1,\n \"id\": \"x\" \"name\": 2}";
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	assert_int_equal(eic_package_read_json_buffer(NULL, d, "bad.json", doc, strlen(doc), NULL),
	                 EIC_EINVALID);
	assert_int_equal(eic_diags_errors(d), 1);
	const eic_diag *g = eic_diags_get(d, 0);
	assert_int_equal(g->line, 2);
	assert_non_null(strstr(g->message, "malformed JSON"));
	eic_diags_free(d);
}

static void test_io__error_cap(void **state)
{
	(void)state;
	char *dir = make_package();
	/* 1500 bad rows: 1000 errors stored, the rest counted. */
	size_t cap = 1500 * 64 + 128;
	char *text = malloc(cap);
	size_t n = (size_t)snprintf(text, cap, "id,from,to,material,quantity,unit,period\n");
	for (int i = 0; i < 1500; i++)
		n += (size_t)snprintf(text + n, cap - n, "g%d,milling,biogas,husk,-1,t,2024\n", i);
	put(dir, "flows.csv", text);
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 1000), 0);
	assert_int_equal(eic_package_read(NULL, d, dir, NULL), EIC_EINVALID);
	assert_int_equal(eic_diags_errors(d), 1500);
	assert_true(eic_diags_truncated(d));
	size_t stored = 0;
	for (size_t i = 0; i < eic_diags_count(d); i++)
		stored += eic_diags_get(d, i)->severity == EIC_SEV_ERROR;
	assert_int_equal(stored, 1000);
	eic_diags_free(d);
	free(text);
	free(dir);
}

/* A flows.csv over 4 MiB is parsed on a second thread: the diagnostics must be the same as
 * on one thread, in file order, with exact locations, including a quoted cell over two lines
 * and a malformed quote that stops the parse. */
static void test_io__large_table_pipelined(void **state)
{
	(void)state;
	char *dir = make_package();
	const int rows = 160000;
	size_t cap = (size_t)rows * 96 + 4096;
	char *text = malloc(cap);
	size_t n = (size_t)snprintf(text, cap, "id,from,to,material,quantity,unit,period,notes\n");
	int line = 2;
	int bad_line_1 = 0, bad_line_2 = 0, stop_line = 0, stop_col = 0;
	for (int i = 0; i < rows; i++, line++) {
		if (i == 1000) {
			bad_line_1 = line;
			n += (size_t)snprintf(text + n, cap - n,
			                      "g%d,milling,biogas,husk,-2,t,2024,\n", i);
		} else if (i == 70000) {
			n += (size_t)snprintf(text + n, cap - n,
			                      "g%d,milling,biogas,husk,1,t,2024,\"two\nlines\"\n",
			                      i);
			line++;
		} else if (i == 70001) {
			bad_line_2 = line;
			n += (size_t)snprintf(text + n, cap - n,
			                      "g%d,milling,biogas,husk,1,tonnes,2024,\n", i);
		} else if (i == rows - 10) {
			stop_line = line;
			size_t start = n;
			n += (size_t)snprintf(text + n, cap - n,
			                      "g%d,milling,bio\"gas,husk,1,t,2024,\n", i);
			stop_col = (int)(strchr(text + start, '"') - (text + start)) + 1;
		} else {
			n +=
			    (size_t)snprintf(text + n, cap - n,
			                     "g%d,milling,biogas,husk,%d.5,t,2024,\n", i, i % 1000);
		}
	}
	assert_true(n > (4u << 20) + 65536);
	put(dir, "flows.csv", text);
	int rc;
	char *all = diagnostics(dir, &rc);
	assert_int_equal(rc, EIC_EINVALID);
	char expect[4096];
	snprintf(expect, sizeof(expect),
	         "%s/actors.csv:5:1: warning: actor 'uni' has no coordinates (it will not appear "
	         "on the map)\n"
	         "%s/flows.csv:%d:27: error: negative value in 'quantity' (expected a number >= 0; "
	         "found -2)\n"
	         "%s/flows.csv:%d:30: error: unknown unit in 'unit' (expected a unit such as t, "
	         "kg, m3, GJ, kWh, t/yr; found 'tonnes')\n"
	         "%s/flows.csv:%d:%d: error: malformed CSV (expected RFC 4180 quoting: a quote "
	         "only at the start of a cell, doubled inside it; error parsing data while strict "
	         "checking enabled)\n",
	         dir, dir, bad_line_1, dir, bad_line_2, dir, stop_line, stop_col);
	assert_string_equal(all, expect);
	free(all);
	free(text);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_io__reads_every_table),
	    cmocka_unit_test(test_io__round_trip_identical),
	    cmocka_unit_test(test_io__csv_error_locations),
	    cmocka_unit_test(test_io__json_error_locations),
	    cmocka_unit_test(test_io__malformed_json_syntax),
	    cmocka_unit_test(test_io__error_cap),
	    cmocka_unit_test(test_io__large_table_pipelined),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
