/* test_measure.c: unit tests of measurement records: checks on add, units, corrections and the
 * current view, queries and periods, the CSV reader (all or nothing), the store (append-only,
 * rollback) and the registry import on a small Finland-PRTR-shaped fixture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "eic/measure.h"
#include "eic/model.h"
#include "eic/store.h"
#include "testutil.h"

#define TOL_REL 1e-12

static void assert_close(double want, double got)
{
	assert_true(fabs(want - got) <= TOL_REL * fabs(want) + 1e-15);
}

static eic_measure_set *new_set(void)
{
	eic_measure_set *s = NULL;
	assert_int_equal(eic_measure_set_new(&s, NULL), 0);
	return s;
}

static eic_measurement base(const char *actor, eic_measure_kind kind, const char *subject,
                            const char *period, double value, const char *unit)
{
	static char start[11], end[11];
	eic_measurement r;
	eic_measurement_init(&r);
	assert_int_equal(eic_measure_period_parse(start, end, period), 0);
	r.actor = actor;
	r.kind = kind;
	r.subject = subject;
	r.start = start;
	r.end = end;
	r.value = value;
	r.unit = unit;
	r.method = EIC_METHOD_MEASURED;
	r.reported_by = "operator";
	return r;
}

static void test_measure__periods_parse_and_label(void **state)
{
	char s[11], e[11], label[32];
	(void)state;
	assert_int_equal(eic_measure_period_parse(s, e, "2021"), 0);
	assert_string_equal(s, "2021-01-01");
	assert_string_equal(e, "2021-12-31");
	assert_int_equal(eic_measure_period_parse(s, e, "2024-02"), 0);
	assert_string_equal(e, "2024-02-29");
	assert_int_equal(eic_measure_period_parse(s, e, "2023-01-01/2023-06-30"), 0);
	assert_int_equal(eic_measure_period_parse(s, e, "2023-07/2023-06"), EIC_EINVAL);
	assert_int_equal(eic_measure_period_parse(s, e, "2023-13"), EIC_EINVAL);
	assert_int_equal(eic_measure_period_parse(s, e, "20x3"), EIC_EINVAL);
	assert_int_equal(eic_measure_period_parse(s, e, "2023-02-30"), EIC_EINVAL);
	eic_measure_period_label(label, sizeof(label), "2021-01-01", "2021-12-31");
	assert_string_equal(label, "2021");
	eic_measure_period_label(label, sizeof(label), "2024-02-01", "2024-02-29");
	assert_string_equal(label, "2024-02");
	eic_measure_period_label(label, sizeof(label), "2023-01-01", "2023-06-30");
	assert_string_equal(label, "2023-01-01/2023-06-30");
}

static void test_measure__units_per_kind(void **state)
{
	double v;
	const char *u;
	char cur[4];
	(void)state;
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_EMISSION, 2, "t"), 0);
	assert_string_equal(u, "kg");
	assert_close(2000, v);
	/* TRI pounds: 1 lb = 0.45359237 kg exactly */
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_EMISSION, 100, "lb"), 0);
	assert_close(45.359237, v);
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_ENERGY, 1, "MWh"), 0);
	assert_string_equal(u, "GJ");
	assert_close(3.6, v);
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_VALUE_ADDED, 5, "EUR"), 0);
	assert_string_equal(u, "EUR");
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_WASTE, 3, "kt"), 0);
	assert_string_equal(u, "t");
	assert_close(3000, v);
	/* wrong dimensions and rates are refused */
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_EMISSION, 1, "m3"), EIC_EUNIT);
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_WASTE, 1, "t/yr"), EIC_EUNIT);
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_WATER_WITHDRAWAL, 1, "kg"),
	                 EIC_EUNIT);
	assert_int_equal(eic_measure_amount(&v, &u, cur, EIC_MEASURE_ENERGY, 1, "bogus"),
	                 EIC_EUNIT);
}

static void test_measure__add_checks(void **state)
{
	eic_measure_set *s = new_set();
	const eic_measurement *m;
	(void)state;
	eic_measurement r = base("a", EIC_MEASURE_EMISSION, "ZNANDCOMPOUNDS", "2021", 13.6, "t");
	r.medium = EIC_MEDIUM_AIR;
	assert_int_equal(eic_measure_add(&m, s, &r), 0);
	assert_string_equal(m->id, "1");
	assert_close(13600, m->amount);
	assert_string_equal(m->amount_unit, "kg");

	eic_measurement bad = r;
	bad.subject = "UNOBTAINIUM";
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_ENOTFOUND);
	assert_non_null(strstr(eic_measure_set_errmsg(s), "unknown pollutant"));
	bad = r;
	bad.medium = EIC_MEDIUM_NONE;
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EINVAL);
	bad = r;
	bad.unit = "furlong";
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EUNIT);
	bad = r;
	bad.reported_by = "";
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EINVAL);
	bad = r;
	bad.verified = 1;
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EINVAL); /* no verified_by */
	bad = r;
	bad.end = "2020-12-31";
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EINVAL);
	bad = r;
	bad.concentration = 5;
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EUNIT); /* no unit */
	bad.concentration_unit = "mg/m3";
	bad.limit = 10;
	bad.limit_unit = "GJ";
	assert_int_equal(eic_measure_add(NULL, s, &bad), EIC_EUNIT);
	bad.limit_unit = "mg/m3";
	assert_int_equal(eic_measure_add(NULL, s, &bad), 0);

	eic_measurement w = base("a", EIC_MEASURE_WASTE, "10 05 01*", "2021", 5, "t");
	w.fate_code = "R4";
	assert_int_equal(eic_measure_add(&m, s, &w), 0);
	assert_string_equal(m->subject, "100501*");
	assert_int_equal(m->fate, EIC_FATE_RECOVERY);
	w.fate_code = "R14";
	assert_int_equal(eic_measure_add(NULL, s, &w), EIC_EINVAL);
	w.fate_code = "D1";
	w.fate = EIC_FATE_RECOVERY;
	assert_int_equal(eic_measure_add(NULL, s, &w), EIC_EINVAL);
	w = base("a", EIC_MEASURE_WASTE, "1005", "2021", 5, "t");
	assert_int_equal(eic_measure_add(NULL, s, &w), EIC_EINVAL);
	assert_int_equal(eic_measure_count(s), 3);
	eic_measure_set_free(s);
	eic_measure_set_free(NULL);
}

static void test_measure__corrections_and_current(void **state)
{
	eic_measure_set *s = new_set();
	const eic_measurement *a, *b, *c;
	eic_measure_list list = EIC_MEASURE_LIST_INIT;
	(void)state;
	eic_measurement r = base("f", EIC_MEASURE_PRODUCTION, "zinc", "2022", 290, "kt");
	assert_int_equal(eic_measure_add(&a, s, &r), 0);
	r.value = 291;
	r.supersedes = "1";
	assert_int_equal(eic_measure_add(&b, s, &r), 0);
	/* a record is corrected once: the second correction must name the latest */
	r.value = 292;
	assert_int_equal(eic_measure_add(NULL, s, &r), EIC_EEXISTS);
	r.supersedes = "2";
	assert_int_equal(eic_measure_add(&c, s, &r), 0);
	r.supersedes = "99";
	assert_int_equal(eic_measure_add(NULL, s, &r), EIC_ENOTFOUND);
	eic_measurement other = base("g", EIC_MEASURE_PRODUCTION, "zinc", "2022", 1, "t");
	other.supersedes = "3";
	assert_int_equal(eic_measure_add(NULL, s, &other), EIC_EINVAL); /* another actor */

	assert_ptr_equal(eic_measure_superseded_by(s, a), b);
	assert_false(eic_measure_is_current(s, a));
	assert_true(eic_measure_is_current(s, c));
	assert_int_equal(eic_measure_select(&list, s, NULL), 0);
	assert_int_equal(list.count, 1);
	assert_ptr_equal(list.items[0], c);
	assert_close(292000, list.items[0]->amount);
	assert_int_equal(eic_measure_history(&list, s, "2"), 0);
	assert_int_equal(list.count, 3);
	assert_ptr_equal(list.items[0], a);
	assert_ptr_equal(list.items[2], c);
	eic_measure_list_clear(&list);
	eic_measure_set_free(s);
}

static void test_measure__query_and_periods(void **state)
{
	eic_measure_set *s = new_set();
	eic_measure_list list = EIC_MEASURE_LIST_INIT;
	eic_measure_period *p = NULL;
	size_t n;
	(void)state;
	const char *periods[] = {"2023", "2021", "2022", "2021-01/2021-06"};
	for (int i = 0; i < 4; i++) {
		eic_measurement r =
		    base(i % 2 ? "b" : "a", EIC_MEASURE_EMISSION, "NOX", periods[i], i + 1, "kg");
		r.medium = EIC_MEDIUM_AIR;
		assert_int_equal(eic_measure_add(NULL, s, &r), 0);
	}
	eic_measure_query q = EIC_MEASURE_QUERY_INIT;
	q.actor = "a";
	assert_int_equal(eic_measure_select(&list, s, &q), 0);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.items[0]->start, "2022-01-01"); /* sorted by period */
	q.actor = NULL;
	q.from = "2021-03-01";
	q.to = "2021-12-31";
	assert_int_equal(eic_measure_select(&list, s, &q), 0);
	assert_int_equal(list.count, 2);
	q.from = "bad";
	assert_int_equal(eic_measure_select(&list, s, &q), EIC_EINVAL);
	assert_int_equal(eic_measure_periods(&p, &n, s, NULL), 0);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].start, "2021-01-01");
	assert_string_equal(p[0].end, "2021-06-30");
	assert_string_equal(p[1].end, "2021-12-31");
	assert_string_equal(p[3].start, "2023-01-01");
	eic_measure_periods_free(p);
	eic_measure_list_clear(&list);
	eic_measure_set_free(s);
}

static const char good_csv[] =
    "actor,period,kind,subject,medium,fate,fate_code,value,unit,concentration,"
    "concentration_unit,limit,limit_unit,standard,method,reported_by,verified,verified_by,"
    "source\n"
    "mill,2022,production,zinc,,,,290,kt,,,,,,M,Mill Oy,yes,Auditor Oy,annual report\n"
    "mill,2023,production,zinc,,,,275000,t,,,,,,measured,Mill Oy,no,,annual report\n"
    "mill,2023,emission,SOX,air,,,120,t,350,mg/m3,400,mg/m3,permit 123,M,Mill Oy,,,report\n"
    "mill,2023,waste,10 05 01,,recovery,R4,500,t,,,,,,C,Mill Oy,no,,register\n";

static eic_cluster *one_actor_cluster(const char *id, const char *actor)
{
	eic_cluster *c = NULL;
	eic_cluster_info info = {0};
	eic_actor a = {0};
	assert_int_equal(eic_cluster_new(&c), 0);
	info.id = id;
	info.name = id;
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	a.id = actor;
	a.name = actor;
	a.employees = -1;
	a.value_added = NAN;
	a.lat = a.lon = NAN;
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
	return c;
}

static void test_measure__csv_good(void **state)
{
	eic_measure_set *s = new_set();
	eic_diags *d = NULL;
	eic_cluster *c = one_actor_cluster("x", "mill");
	(void)state;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_measure_read_csv(s, d, "dir/m.csv", good_csv, strlen(good_csv), c), 0);
	assert_int_equal(eic_diags_errors(d), 0);
	assert_int_equal(eic_measure_count(s), 4);
	const eic_measurement *m = eic_measure_at(s, 2);
	assert_close(120000, m->amount);
	assert_close(350, m->concentration);
	assert_string_equal(m->standard, "permit 123");
	assert_string_equal(m->source_file, "m.csv");
	assert_int_equal(m->source_row, 4);
	assert_int_equal(eic_measure_at(s, 0)->verified, 1);
	assert_string_equal(eic_measure_at(s, 3)->subject, "100501");
	eic_diags_free(d);
	eic_cluster_free(c);
	eic_measure_set_free(s);
}

/* Every bad file is refused as a whole, with the first error at file:line:column. */
static void test_measure__csv_bad(void **state)
{
	static const struct {
		const char *csv;
		int line, column;
		const char *words;
	} cases[] = {
	    {"actor,period,kind,value,unit,method,reported_by\n"
	     "mill,2023,emission,1,kg,M,me\n",
	     2, 1, "needs a subject"},
	    {"actor,period,kind,subject,medium,value,unit,method,reported_by\n"
	     "mill,2023,emission,UNOBTAINIUM,air,1,kg,M,me\n",
	     2, 20, "unknown pollutant"},
	    {"actor,period,kind,subject,medium,value,unit,method,reported_by\n"
	     "mill,2023,emission,NOX,air,1,furlong,M,me\n",
	     2, 30, "unknown unit"},
	    {"actor,period,kind,subject,value,unit,method,reported_by\n"
	     "mill,2022,production,zinc,1,t,M,me\n"
	     "mill,2021,production,zinc,1,t,M,me\n",
	     3, 6, "out of order"},
	    {"actor,period,kind,subject,value,unit,method,reported_by\n"
	     "mill,2022,production,zinc,1,t,M,me\n"
	     "mill,2022-06/2023-05,production,zinc,1,t,M,me\n",
	     3, 6, "overlaps"},
	    {"actor,period,kind,subject,value,unit,method,reported_by\n"
	     "nobody,2022,production,zinc,1,t,M,me\n",
	     2, 1, "unknown actor"},
	    {"actor,period,kind,subject,value,unit,method,reported_by,colour\n"
	     "mill,2022,production,zinc,1,t,M,me,red\n",
	     1, 57, "unknown column"},
	    {"actor,period,kind,value,unit,method\n", 1, 1, "reported_by"},
	    {"actor,period,kind,subject,value,unit,method,reported_by\n"
	     "mill,2022,production,\"zinc,1,t,M,me\n",
	     2, 1, "malformed"},
	    {"actor,period,kind,subject,value,unit,method,reported_by\n"
	     "mill,2022,production,zinc,1,t,X,me\n",
	     2, 31, "unknown method"},
	    {"actor,period,kind,subject,value,unit,method,reported_by\n"
	     "mill,2022,production,zinc,1e999,t,M,me\n",
	     2, 27, "bad value"},
	    {"", 1, 1, "empty file"},
	};
	eic_cluster *c = one_actor_cluster("x", "mill");
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eic_measure_set *s = new_set();
		eic_diags *d = NULL;
		eic_measurement keep =
		    base("mill", EIC_MEASURE_ENERGY, "electricity", "2020", 1, "MWh");
		assert_int_equal(eic_measure_add(NULL, s, &keep), 0);
		assert_int_equal(eic_diags_new(&d, 100), 0);
		int rc = eic_measure_read_csv(s, d, "m.csv", cases[i].csv, strlen(cases[i].csv), c);
		if (rc != EIC_EINVALID || eic_diags_count(d) == 0)
			fail_msg("case %zu: rc %d", i, rc);
		const eic_diag *g = eic_diags_get(d, 0);
		if (g->line != cases[i].line || g->column != cases[i].column ||
		    !strstr(g->message, cases[i].words))
			fail_msg("case %zu: %d:%d: %s", i, g->line, g->column, g->message);
		assert_int_equal(eic_measure_count(s), 1); /* nothing added */
		eic_diags_free(d);
		eic_measure_set_free(s);
	}
	eic_cluster_free(c);
}

static char *fresh_db(const char *tag)
{
	char *dir = eic_test_tmpdir(tag);
	assert_non_null(dir);
	char *path = malloc(strlen(dir) + 16);
	assert_non_null(path);
	sprintf(path, "%s/eic.db", dir);
	free(dir);
	return path;
}

static eic_store *store_with_cluster(const char *path)
{
	eic_store_options opts = EIC_STORE_OPTIONS_INIT;
	eic_store *st = NULL;
	assert_int_equal(eic_store_open(&st, path, &opts), 0);
	eic_cluster *c = one_actor_cluster("x", "mill");
	assert_int_equal(eic_store_import(st, c, 0), 0);
	eic_cluster_free(c);
	return st;
}

/* SQL text dump of the measurement tables, to compare before and after a failed write. */
static char *dump(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
	                       "SELECT quote(id) || quote(value) || quote(supersedes_pk) "
	                       "FROM measurement UNION ALL SELECT quote(pk) || "
	                       "quote(record_count) FROM measurement_import",
	                       -1, &st, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		size_t n = strlen(t);
		if (len + n + 2 > cap)
			out = realloc(out, cap *= 2);
		memcpy(out + len, t, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void test_measure__store_roundtrip_and_rollback(void **state)
{
	char *path = fresh_db("measure_store");
	eic_store *st = store_with_cluster(path);
	eic_measure_set *s = new_set();
	eic_diags *d = NULL;
	(void)state;
	assert_int_equal(eic_measure_load(s, st, "x"), 0);
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_measure_read_csv(s, d, "m.csv", good_csv, strlen(good_csv), NULL), 0);
	assert_int_equal(eic_measure_save(st, "x", s, 0, "m.csv"), 0);
	assert_string_not_equal(eic_measure_at(s, 0)->recorded_at, "");

	/* load back */
	eic_measure_set *t = new_set();
	assert_int_equal(eic_measure_load(t, st, "x"), 0);
	assert_int_equal(eic_measure_count(t), 4);
	assert_close(120000, eic_measure_at(t, 2)->amount);
	assert_string_equal(eic_measure_at(t, 2)->standard, "permit 123");
	assert_int_equal(eic_measure_at(t, 2)->medium, EIC_MEDIUM_AIR);

	/* a correction is a new row */
	eic_measurement r = *eic_measure_at(t, 0);
	r.id = NULL;
	r.value = 291;
	r.supersedes = "1";
	r.recorded_at = NULL;
	size_t first = eic_measure_count(t);
	assert_int_equal(eic_measure_add(NULL, t, &r), 0);
	assert_int_equal(eic_measure_save(st, "x", t, first, NULL), 0);

	/* a save with an unknown actor stores nothing */
	char *before = dump(path);
	first = eic_measure_count(t);
	eic_measurement ok = base("mill", EIC_MEASURE_EMPLOYEES, "", "2023", 120, "1");
	eic_measurement ghost = base("ghost", EIC_MEASURE_EMPLOYEES, "", "2023", 12, "1");
	assert_int_equal(eic_measure_add(NULL, t, &ok), 0);
	assert_int_equal(eic_measure_add(NULL, t, &ghost), 0);
	assert_int_equal(eic_measure_save(st, "x", t, first, NULL), EIC_ENOTFOUND);
	assert_non_null(strstr(eic_store_errmsg(st), "ghost"));
	char *after = dump(path);
	assert_string_equal(before, after);
	/* the store changed since `s` was loaded: refused */
	eic_measurement late = base("mill", EIC_MEASURE_EMPLOYEES, "", "2024", 1, "1");
	first = eic_measure_count(s);
	assert_int_equal(eic_measure_add(NULL, s, &late), 0);
	assert_int_equal(eic_measure_save(st, "x", s, first, NULL), EIC_EEXISTS);
	free(after);
	after = dump(path);
	assert_string_equal(before, after);

	/* history: the corrected value is current, the old one kept */
	eic_measure_set *u = new_set();
	assert_int_equal(eic_measure_load(u, st, "x"), 0);
	assert_int_equal(eic_measure_count(u), 5);
	assert_false(eic_measure_is_current(u, eic_measure_find(u, "1")));
	assert_close(291000, eic_measure_find(u, "5")->amount);

	/* records are append-only, and go with their cluster */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE measurement SET value = 1", NULL, NULL, NULL),
	                     SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(eic_store_delete(st, "x"), 0);
	free(after);
	after = dump(path);
	assert_string_equal(after, "");

	free(before);
	free(after);
	eic_measure_set_free(s);
	eic_measure_set_free(t);
	eic_measure_set_free(u);
	eic_diags_free(d);
	eic_store_close(st);
	free(path);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A two-facility registry in the Finnish PRTR layout. */
static char *fi_fixture(const char *releases_extra)
{
	char *dir = eic_test_tmpdir("measure_fi");
	char rel[2048];
	write_file(dir, "facilities.csv",
	           "facilityId;nameOfFeature;city;pointGeometryLat;pointGeometryLon;streetName;"
	           "buildingNumber;postalCode;mainActivityCode;mainActivityName\n"
	           "0001;Smelter Oy;HARJAVALTA;61.3;22.1;Street;1;29200;2(e)(i);Non-ferrous\n"
	           "0002;Mill Oy;PORI;61.5;21.8;Road;2;28100;6(a);Pulp\n");
	snprintf(rel, sizeof(rel),
	         "facilityId;reportingYear;pollutantCode;medium;totalPollutantQuantityKg;"
	         "AccidentalPollutantQuantityKG;methodCode\n"
	         "0001;2021;ZNANDCOMPOUNDS;AIR;453.0;0.0;M\n"
	         "0001;2022;ZNANDCOMPOUNDS;AIR;400.0;0.0;C\n"
	         "0002;2022;NOX;AIR;5.0;0.0;M\n%s",
	         releases_extra);
	write_file(dir, "releases.csv", rel);
	write_file(dir, "waste_transfers.csv",
	           "facilityId;reportingYear;wasteClassificationCode;wasteTreatmentCode;"
	           "totalWasteQuantityTNE;methodCode;nameOfReceiver;ReceivingSite_city;"
	           "ReceivingSite_postalCode;ReceivingSite_countryName\n"
	           "0001;2021;HW;D;3220.0;M;;;;\n"
	           "0001;2021;HW;D;97.3;M;Nehlsen GmbH;Bremen;28237;Germany\n");
	return dir;
}

static void test_measure__registry_import(void **state)
{
	char *path = fresh_db("measure_reg");
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	eic_store *st = NULL;
	eic_pollutants *cat = NULL;
	eic_registry_summary sum;
	(void)state;
	assert_int_equal(eic_store_open(&st, path, &so), 0);
	assert_int_equal(eic_pollutants_load(&cat, NULL, NULL), 0);
	char *dir = fi_fixture("");
	eic_registry_options o = EIC_REGISTRY_OPTIONS_INIT;
	o.dir = dir;
	o.area = "harjavalta";
	/* no cluster and no create: refused */
	assert_int_equal(eic_registry_import(&sum, st, "h", &o, cat, NULL), EIC_ENOTFOUND);
	o.create_cluster = 1;
	assert_int_equal(eic_registry_import(&sum, st, "h", &o, cat, NULL), 0);
	assert_int_equal(sum.facilities, 1);
	assert_int_equal(sum.added, 4);
	assert_int_equal(sum.cluster_created, 1);
	/* again: unchanged */
	assert_int_equal(eic_registry_import(&sum, st, "h", &o, cat, NULL), 0);
	assert_int_equal(sum.added, 0);
	assert_int_equal(sum.unchanged, 4);

	eic_measure_set *s = new_set();
	assert_int_equal(eic_measure_load(s, st, "h"), 0);
	eic_measure_query q = EIC_MEASURE_QUERY_INIT;
	eic_measure_list list = EIC_MEASURE_LIST_INIT;
	q.subject = "ZNANDCOMPOUNDS";
	assert_int_equal(eic_measure_select(&list, s, &q), 0);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.items[0]->actor, "prtr_0001");
	assert_close(453, list.items[0]->amount);
	assert_string_equal(list.items[0]->source_file, "releases.csv");
	assert_int_equal(list.items[0]->source_row, 2);
	assert_int_equal(list.items[1]->method, EIC_METHOD_CALCULATED);
	q.subject = "HW";
	assert_int_equal(eic_measure_select(&list, s, &q), 0);
	assert_int_equal(list.count, 2);
	eic_measure_list_clear(&list);
	eic_measure_set_free(s);

	/* an unknown pollutant in a selected row: refused, nothing stored */
	char *before = dump(path);
	char *bad = fi_fixture("0001;2023;UNOBTAINIUM;AIR;1.0;0.0;M\n");
	o.dir = bad;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 10), 0);
	assert_int_equal(eic_registry_import(&sum, st, "h", &o, cat, d), EIC_EINVALID);
	assert_int_equal(eic_diags_get(d, 0)->line, 5);
	assert_int_equal(eic_diags_get(d, 0)->column, 11);
	char *after = dump(path);
	assert_string_equal(before, after);

	free(before);
	free(after);
	free(dir);
	free(bad);
	eic_diags_free(d);
	eic_pollutants_free(cat);
	eic_store_close(st);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_measure__periods_parse_and_label),
	    cmocka_unit_test(test_measure__units_per_kind),
	    cmocka_unit_test(test_measure__add_checks),
	    cmocka_unit_test(test_measure__corrections_and_current),
	    cmocka_unit_test(test_measure__query_and_periods),
	    cmocka_unit_test(test_measure__csv_good),
	    cmocka_unit_test(test_measure__csv_bad),
	    cmocka_unit_test(test_measure__store_roundtrip_and_rollback),
	    cmocka_unit_test(test_measure__registry_import),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
