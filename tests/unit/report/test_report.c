/* test_report.c: unit tests of the HTML report: sections, escaping, offline-only content,
 * custom sections, determinism, the no-map note and the map and number helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <eic/eic.h>

#include "lib/report/report_private.h"
#include "testutil.h"

/* cmocka's assert_float_equal works in float precision; doubles need their own check. */
#define assert_near(a, b, tol) assert_near_impl((a), (b), (tol), #a, __FILE__, __LINE__)
static void assert_near_impl(double a, double b, double tol, const char *what, const char *file,
                             int line)
{
	if (!(fabs(a - b) <= tol)) {
		print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, a, b, tol);
		_fail(file, line);
	}
}

#define EVIL_NAME "Mill <script>alert(1)</script> & Sons"

static eic_actor actor_rec(const char *id, const char *name, eic_actor_kind kind, double lat,
                           double lon)
{
	eic_actor a = {0};
	a.id = id;
	a.kind = kind;
	a.name = name;
	a.sector = "1610";
	a.employees = 120;
	a.value_added = 350000000;
	a.lat = lat;
	a.lon = lon;
	a.address = "Maniwa, Okayama";
	return a;
}

static eic_flow flow_rec(const char *id, const char *from, const char *to, double qty)
{
	eic_flow f = {0};
	f.id = id;
	f.from = from;
	f.to = to;
	f.material = "bark";
	f.quantity = qty;
	f.unit = "t";
	f.period = "2023";
	f.sd = NAN;
	f.rel_sd = 0.1;
	f.quality = EIC_QUALITY_ESTIMATED;
	f.source = "interview & estimate";
	return f;
}

/* A small cluster: three sites near Maniwa (unless `sited` is 0), a process, a material and
 * flows between actors and to the boundary; `extra_flows` more small flows are added. */
static eic_cluster *make_cluster(int sited, size_t extra_flows)
{
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info = {0};
	info.id = "maniwa";
	info.name = "Maniwa <b>wood</b> & biomass";
	info.region = "Okayama";
	info.country = "JP";
	info.currency = "JPY";
	info.description = "Test cluster";
	info.sources = "Unit test";
	info.catalogue = "none";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period p = {"2023", "2023-01-01", "2023-12-31", "fiscal 2023"};
	assert_int_equal(eic_cluster_add_period(c, &p), 0);

	double nan = NAN;
	eic_actor a1 =
	    actor_rec("mill", EVIL_NAME, EIC_ACTOR_FIRM, sited ? 35.07 : nan, sited ? 133.75 : nan);
	eic_actor a2 = actor_rec("plant", "Biomass power plant", EIC_ACTOR_TREATMENT_FACILITY,
	                         sited ? 35.10 : nan, sited ? 133.70 : nan);
	eic_actor a3 = actor_rec("city", "Maniwa City", EIC_ACTOR_GOVERNMENT_BODY,
	                         sited ? 35.05 : nan, sited ? 133.80 : nan);
	assert_int_equal(eic_cluster_add_actor(c, &a1), 0);
	assert_int_equal(eic_cluster_add_actor(c, &a2), 0);
	assert_int_equal(eic_cluster_add_actor(c, &a3), 0);
	eic_process pr = {"sawing", "mill", "Sawing", NULL};
	assert_int_equal(eic_cluster_add_process(c, &pr), 0);
	eic_material m = {"bark", "Bark", "biomass/wood/bark", "030101", 0, "",
	                  "",     NULL,   EIC_ORIGIN_CLUSTER};
	assert_int_equal(eic_cluster_add_material(c, &m), 0);

	eic_flow f1 = flow_rec("f1", "boundary:supply_market", "sawing", 3000);
	eic_flow f2 = flow_rec("f2", "sawing", "plant", 1200);
	eic_flow f3 = flow_rec("f3", "plant", "boundary:landfill", 50);
	eic_flow f4 = flow_rec("f4", "mill", "city", 20);
	assert_int_equal(eic_cluster_add_flow(c, &f1), 0);
	assert_int_equal(eic_cluster_add_flow(c, &f2), 0);
	assert_int_equal(eic_cluster_add_flow(c, &f3), 0);
	assert_int_equal(eic_cluster_add_flow(c, &f4), 0);
	for (size_t i = 0; i < extra_flows; i++) {
		char id[32];
		snprintf(id, sizeof(id), "x%04zu", i);
		eic_flow f = flow_rec(id, "city", "plant", 1.0 + (double)i);
		assert_int_equal(eic_cluster_add_flow(c, &f), 0);
	}
	return c;
}

/* Write the report of `c` into a fresh temp dir and return its text (caller frees). */
static char *render(const eic_cluster *c, const eic_report_options *opts, const char *tag)
{
	char *dir = eic_test_tmpdir(tag);
	assert_non_null(dir);
	char path[512], tmp[520];
	snprintf(path, sizeof(path), "%s/report.html", dir);
	assert_int_equal(eic_report_write(c, path, opts), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_not_equal(access(tmp, F_OK), 0); /* renamed away */
	char *text = eic_test_read_file(path, NULL);
	assert_non_null(text);
	unlink(path);
	rmdir(dir);
	free(dir);
	return text;
}

static void test_report__sections_and_escaping(void **state)
{
	eic_cluster *c = make_cluster(1, 0);
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	opts.deterministic = 1;
	char *html = render(c, &opts, "report");

	const char *ids[] = {"id=\"overview\"", "id=\"actors\"",  "id=\"map\"",
	                     "id=\"flows\"",    "id=\"balance\"", "href=\"#map\""};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_non_null(strstr(html, ids[i]));
	/* User strings are escaped everywhere. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>wood"));
	assert_non_null(strstr(html, "Mill &lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons"));
	assert_non_null(strstr(html, "Maniwa &lt;b&gt;wood&lt;/b&gt; &amp; biomass"));
	assert_non_null(strstr(html, "interview &amp; estimate"));
	/* Map with a scale bar in km. */
	assert_non_null(strstr(html, "<svg"));
	assert_non_null(strstr(html, " km</text>"));
	assert_non_null(strstr(html, "No base map"));
	/* Numbers readable: thousands separators. */
	assert_non_null(strstr(html, "3,000 t"));
	/* Nothing fetched from the network: only the SVG namespace URI may appear (a namespace
	 * name, never loaded). */
	const char *svgns = "http://www.w3.org/2000/svg";
	for (const char *p = html; (p = strstr(p, "http")) != NULL; p++) {
		if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0)
			assert_int_equal(strncmp(p, svgns, strlen(svgns)), 0);
	}
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "Generated by eic " EIC_VERSION_STRING));
	free(html);
	eic_cluster_free(c);
}

static int render_extra(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	int error = eic_html_printf(out, "<p class=\"extra\">%s %d</p>", (const char *)ctx, 42);
	if (error < 0)
		return error;
	return eic_html_text(out, "a < b");
}

static void test_report__custom_section(void **state)
{
	eic_cluster *c = make_cluster(1, 0);
	const eic_report_section *defaults = NULL;
	size_t n = eic_report_default_sections(&defaults);
	/* The foundation's five sections come in this order, whatever engines add around them. */
	static const char *const core[] = {"overview", "actors", "map", "flows", "balance"};
	size_t next = 0;
	for (size_t i = 0; i < n && next < 5; i++)
		if (strcmp(defaults[i].id, core[next]) == 0)
			next++;
	assert_int_equal(next, 5);
	assert_string_equal(defaults[0].id, "overview");
	assert_true(n < 32);

	eic_report_section all[32];
	memcpy(all, defaults, n * sizeof(*all));
	all[n] = (eic_report_section){"extra-test", "Extra <section>", render_extra,
	                              (void *)"extra content"};
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	opts.sections = all;
	opts.section_count = n + 1;
	opts.deterministic = 1;
	opts.generated_by = "test-suite";
	char *html = render(c, &opts, "report_custom");
	assert_non_null(strstr(html, "<section id=\"extra-test\">"));
	assert_non_null(strstr(html, "href=\"#extra-test\""));
	assert_non_null(strstr(html, "Extra &lt;section&gt;"));
	assert_non_null(strstr(html, "<p class=\"extra\">extra content 42</p>a &lt; b"));
	assert_non_null(strstr(html, "Generated by test-suite"));
	/* The extra section comes after the defaults. */
	assert_true(strstr(html, "id=\"balance\"") < strstr(html, "id=\"extra-test\""));
	free(html);

	/* Invalid section ids and duplicates are refused. */
	char path[] = "/tmp/eic_report_never_written.html";
	all[n].id = "Bad Id";
	assert_int_equal(eic_report_write(c, path, &opts), EIC_EINVAL);
	all[n].id = "map";
	assert_int_equal(eic_report_write(c, path, &opts), EIC_EINVAL);
	assert_int_equal(eic_report_write(NULL, path, NULL), EIC_EINVAL);
	assert_int_not_equal(access(path, F_OK), 0);
	eic_cluster_free(c);
}

static void test_report__deterministic(void **state)
{
	eic_cluster *c = make_cluster(1, 3);
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	opts.deterministic = 1;
	char *a = render(c, &opts, "report_det_a");
	char *b = render(c, &opts, "report_det_b");
	assert_string_equal(a, b);
	assert_null(strstr(a, " UTC"));
	free(a);
	free(b);
	opts.deterministic = 0;
	char *dated = render(c, &opts, "report_det_c");
	assert_non_null(strstr(dated, " UTC"));
	free(dated);
	eic_cluster_free(c);
}

static void test_report__no_coordinates(void **state)
{
	eic_cluster *c = make_cluster(0, 0);
	char *html = render(c, NULL, "report_nomap");
	assert_non_null(strstr(html, "id=\"map\""));
	assert_non_null(strstr(html, "none of the actors has coordinates"));
	assert_null(strstr(html, "class=\"map\""));
	free(html);
	eic_cluster_free(c);
}

static void test_report__single_point(void **state)
{
	eic_cluster *c = NULL;
	assert_int_equal(eic_cluster_new(&c), 0);
	eic_cluster_info info = {0};
	info.id = "one";
	info.name = "One site";
	info.country = "JP";
	info.currency = "JPY";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	eic_period p = {"2023", "2023-01-01", "2023-12-31", NULL};
	assert_int_equal(eic_cluster_add_period(c, &p), 0);
	eic_actor a = actor_rec("solo", "Solo mill", EIC_ACTOR_FIRM, 35.07, 133.75);
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	opts.deterministic = 1;
	char *html = render(c, &opts, "report_one");
	assert_non_null(strstr(html, "class=\"map\""));
	assert_non_null(strstr(html, "10 km box"));
	/* A 10 km box gets a 2 km bar (the largest nice length within 22% of its width). */
	assert_non_null(strstr(html, ">2 km</text>"));
	assert_non_null(strstr(html, "The package lists no flows."));
	free(html);
	eic_cluster_free(c);
}

static void test_report__far_site(void **state)
{
	eic_cluster *c = make_cluster(1, 0);
	eic_actor near = actor_rec("near", "Near site", EIC_ACTOR_FIRM, 35.08, 133.76);
	eic_actor far = actor_rec("far", "Tokyo office", EIC_ACTOR_FINANCIER, 35.68, 139.69);
	assert_int_equal(eic_cluster_add_actor(c, &near), 0);
	assert_int_equal(eic_cluster_add_actor(c, &far), 0);
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	opts.deterministic = 1;
	char *html = render(c, &opts, "report_far");
	/* The map frames the Maniwa sites; Tokyo is an arrow on the frame with its distance. */
	assert_non_null(strstr(html, "Tokyo office (540 km away)"));
	assert_non_null(strstr(html, "Sites far from the others"));
	free(html);
	eic_cluster_free(c);
}

static void test_report__many_flows(void **state)
{
	eic_cluster *c = make_cluster(1, 510);
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	opts.deterministic = 1;
	char *html = render(c, &opts, "report_many");
	assert_non_null(strstr(html, "500 of 514 flows shown"));
	assert_non_null(strstr(html, "14 flows are omitted"));
	/* The largest flows are kept, the smallest extra ones are not (in the flows section:
	 * other sections, such as reconciliation, may list every flow). */
	char *flows = strstr(html, "<section id=\"flows\">");
	assert_non_null(flows);
	char *end = strstr(flows, "</section>");
	assert_non_null(end);
	*end = '\0';
	assert_non_null(strstr(flows, ">f1</td>"));
	assert_non_null(strstr(flows, ">x0509</td>"));
	assert_null(strstr(flows, ">x0000</td>"));
	free(html);
	eic_cluster_free(c);
}

static void test_report__nice_length(void **state)
{
	const double tol = 1e-12;
	assert_near(eic_report__nice_length(7.3), 5.0, tol);
	assert_near(eic_report__nice_length(1.0), 1.0, tol);
	assert_near(eic_report__nice_length(2.5), 2.0, tol);
	assert_near(eic_report__nice_length(19.99), 10.0, tol);
	assert_near(eic_report__nice_length(1000.0), 1000.0, 1e-9);
	assert_near(eic_report__nice_length(0.34), 0.2, tol);
	assert_near(eic_report__nice_length(0.001), 0.001, tol);
	assert_near(eic_report__nice_length(0.0), 0.0, 0.0);
	assert_near(eic_report__nice_length(-3.0), 0.0, 0.0);
	assert_near(eic_report__nice_length(NAN), 0.0, 0.0);
	/* One degree of latitude: R * pi / 180. */
	assert_near(eic_report__haversine_km(35.0, 133.0, 36.0, 133.0),
	            EIC_REPORT_EARTH_RADIUS_KM * 3.14159265358979323846 / 180.0, 1e-9);
	/* Along a parallel: shorter than the equirectangular length, by a tiny amount. */
	double along = eic_report__haversine_km(35.0, 133.0, 35.0, 134.0);
	assert_near(along, 91.09, 0.05);
	assert_near(eic_report__haversine_km(10, 20, 10, 20), 0.0, 0.0);
	assert_near(eic_report__graticule_step(0.3, 7), 0.05, tol);
	assert_near(eic_report__graticule_step(3.0, 6), 0.5, tol);
}

static void test_report__format(void **state)
{
	char buf[64];
	eic_report__fmt_sig(buf, sizeof(buf), 12345.0, 3);
	assert_string_equal(buf, "12,300");
	eic_report__fmt_sig(buf, sizeof(buf), 0.012345, 3);
	assert_string_equal(buf, "0.0123");
	eic_report__fmt_sig(buf, sizeof(buf), 1.5, 3);
	assert_string_equal(buf, "1.5");
	eic_report__fmt_sig(buf, sizeof(buf), -1234567.0, 3);
	assert_string_equal(buf, "-1,230,000");
	eic_report__fmt_sig(buf, sizeof(buf), 999.96, 3);
	assert_string_equal(buf, "1,000");
	eic_report__fmt_sig(buf, sizeof(buf), -0.00001, 3);
	assert_string_equal(buf, "-1e-5");
	eic_report__fmt_sig(buf, sizeof(buf), 0.0, 3);
	assert_string_equal(buf, "0");
	eic_report__fmt_sig(buf, sizeof(buf), NAN, 3);
	assert_string_equal(buf, "\xe2\x80\x94");
	eic_report__fmt_input(buf, sizeof(buf), 1200.0);
	assert_string_equal(buf, "1,200");
	eic_report__fmt_input(buf, sizeof(buf), 0.35);
	assert_string_equal(buf, "0.35");
	eic_report__fmt_input(buf, sizeof(buf), 1234567.891);
	assert_string_equal(buf, "1,234,567.891");
	eic_report__fmt_count(buf, sizeof(buf), 1234567);
	assert_string_equal(buf, "1,234,567");
	eic_report__fmt_count(buf, sizeof(buf), 999);
	assert_string_equal(buf, "999");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report__sections_and_escaping),
	    cmocka_unit_test(test_report__custom_section),
	    cmocka_unit_test(test_report__deterministic),
	    cmocka_unit_test(test_report__no_coordinates),
	    cmocka_unit_test(test_report__single_point),
	    cmocka_unit_test(test_report__far_site),
	    cmocka_unit_test(test_report__many_flows),
	    cmocka_unit_test(test_report__nice_length),
	    cmocka_unit_test(test_report__format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
