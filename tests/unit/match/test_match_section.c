/* test_match_section.c: unit tests of the report's "Proposed exchanges" section
 * (src/lib/symbiosis/match_section.c): map and table for an example, the plain message without
 * offers, no NaN in the markup, user strings escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/io.h>
#include <eic/kb.h>

#include "lib/report/report_private.h"
#include "lib/symbiosis/match_section.h"
#include "testutil.h"

static eic_kb *kb;

static int load_kb(void **state)
{
	(void)state;
	return eic_kb_load(&kb, NULL, eic_test_src("data/synergies.csv")) == 0 ? 0 : -1;
}

static int free_kb(void **state)
{
	(void)state;
	eic_kb_free(kb);
	kb = NULL;
	return 0;
}

static eic_cluster *read_example(const char *name)
{
	char rel[256];
	eic_cluster *c = NULL;
	eic_diags *d = NULL;
	eic_read_options ro = EIC_READ_OPTIONS_INIT;
	snprintf(rel, sizeof(rel), "data/examples/%s", name);
	ro.catalogue_dir = eic_test_src("data/materials");
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_package_read(&c, d, eic_test_src(rel), &ro);
	if (rc != 0 || eic_diags_errors(d) > 0)
		fail_msg("%s does not read cleanly (%d)", name, rc);
	eic_diags_free(d);
	return c;
}

/* Two firms 0.1 degree apart named `mill` and `plant`, with a have and a want of rice husk
 * when `offers` is set. */
static eic_cluster *tiny(const char *mill, const char *plant, int offers)
{
	eic_cluster *c = NULL;
	eic_diags *d = NULL;
	char json[4096];
	eic_read_options ro = EIC_READ_OPTIONS_INIT;
	ro.catalogue_dir = eic_test_src("data/materials");
	ro.warnings = 0;
	snprintf(json, sizeof(json),
	         "{\"eic_format\":1,\"id\":\"t\",\"name\":\"t\",\"country\":\"TH\","
	         "\"currency\":\"USD\",\"catalogue\":\"default\","
	         "\"periods\":[{\"id\":\"2020\",\"start\":\"2020-01-01\",\"end\":\"2020-12-31\"}],"
	         "\"actors\":[{\"id\":\"mill\",\"kind\":\"firm\",\"name\":\"%s\",\"sector\":"
	         "\"1061\",\"lat\":13.0,\"lon\":100.0},{\"id\":\"plant\",\"kind\":\"firm\","
	         "\"name\":\"%s\",\"sector\":\"3510\",\"lat\":13.1,\"lon\":100.0}]%s}",
	         mill, plant,
	         offers ? ",\"offers\":[{\"id\":\"h\",\"actor\":\"mill\",\"type\":\"have\","
	                  "\"material\":\"rice_husk\",\"quantity\":1000,\"unit\":\"t/yr\"},"
	                  "{\"id\":\"w\",\"actor\":\"plant\",\"type\":\"want\",\"material\":"
	                  "\"rice_husk\",\"quantity\":500,\"unit\":\"t/yr\"}]"
	                : "");
	assert_int_equal(eic_diags_new(&d, 100), 0);
	int rc = eic_package_read_json_buffer(&c, d, "tiny.json", json, strlen(json), &ro);
	assert_int_equal(rc, 0);
	eic_diags_free(d);
	return c;
}

/* The section's markup (malloc'd). */
static char *render(const eic_cluster *c)
{
	eic_html h = {EIC_BUF_INIT, NULL};
	assert_int_equal(eic_match__render_section(&h, c, kb), 0);
	assert_false(h.buf.failed);
	return eic_buf_detach(&h.buf);
}

static void assert_no_nan(const char *html)
{
	static const char *const bad[] = {"NaN", "nan\"", ">nan", "-nan", "inf\"", ">inf"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strstr(html, bad[i]))
			fail_msg("\"%s\" in the section", bad[i]);
	}
}

/* Maniwa: a map and a table; bark to the power plant among the top 15. */
static void test_match_section__maniwa(void **state)
{
	(void)state;
	eic_cluster *c = read_example("maniwa");
	char *html = render(c);
	assert_non_null(strstr(html, "<svg"));
	assert_non_null(strstr(html, "<table"));
	assert_non_null(strstr(html, "Map of proposed exchanges"));
	assert_non_null(strstr(html, "matching.md"));
	/* A row with bark going to the power plant. */
	const char *row = html;
	int found = 0;
	while ((row = strstr(row, "<tr><td class=\"num\">")) != NULL) {
		const char *end = strstr(row, "</tr>");
		assert_non_null(end);
		size_t len = (size_t)(end - row);
		char *text = malloc(len + 1);
		assert_non_null(text);
		memcpy(text, row, len);
		text[len] = '\0';
		if (strstr(text, "Bark") && strstr(text, "power plant"))
			found = 1;
		free(text);
		row = end;
	}
	assert_true(found);
	/* At most 15 rows. */
	size_t rows = 0;
	for (const char *p = html; (p = strstr(p, "<tr><td class=\"num\">")) != NULL; p++)
		rows++;
	assert_true(rows >= 1 && rows <= EIC_MATCH_SECTION_TOP);
	assert_no_nan(html);
	free(html);
	eic_cluster_free(c);
}

/* No offers: one plain message, no map. */
static void test_match_section__no_offers(void **state)
{
	(void)state;
	eic_cluster *c = tiny("Mill", "Plant", 0);
	char *html = render(c);
	assert_non_null(strstr(html, "No offers"));
	assert_non_null(strstr(html, "offers.csv"));
	assert_null(strstr(html, "<svg"));
	assert_null(strstr(html, "<table"));
	free(html);
	eic_cluster_free(c);
}

/* Names with markup come out escaped in the map, the table and the explanation. */
static void test_match_section__escaped(void **state)
{
	(void)state;
	eic_cluster *c = tiny("Mill <b>&amp; Co", "Plant \\\"X\\\" <i>", 1);
	char *html = render(c);
	assert_non_null(strstr(html, "<svg"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<i>"));
	assert_non_null(strstr(html, "Mill &lt;b&gt;&amp;amp; Co"));
	assert_non_null(strstr(html, "&lt;i&gt;"));
	assert_no_nan(html);
	free(html);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_section__maniwa),
	    cmocka_unit_test(test_match_section__no_offers),
	    cmocka_unit_test(test_match_section__escaped),
	};
	return cmocka_run_group_tests(tests, load_kb, free_kb);
}
