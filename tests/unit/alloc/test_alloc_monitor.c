/* test_alloc_monitor.c: allocation-failure injection for the monitoring modules (measurement
 * records, registry import, indicators, benchmark, credit rules), synergy tracking, the MILP
 * interface and the impact calculators. For k = 1, 2, ... the k-th allocation of a call fails,
 * until the call succeeds: each failed call returns EIC_ENOMEM, leaves its outputs NULL or
 * unchanged, leaks nothing (ASan/LSan) and, when it writes to the store, leaves the database
 * exactly as it was (logical dump before and after). SQLite's own allocations are not
 * injected; only eic's. */
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

#include <sqlite3.h>

#include <eic/eic.h>
#include <eic/benchmark.h>
#include <eic/credit.h>
#include <eic/impact.h>
#include <eic/indicators.h>
#include <eic/measure.h>
#include <eic/solver.h>
#include <eic/synergy.h>

#include "testutil.h"
#include "util/util.h"

#define MAX_STEPS 200000
#define TOL_ABS 1e-9
#define TOL_REL 1e-12

static void near(double want, double got)
{
	assert_true(fabs(want - got) <= TOL_ABS + TOL_REL * fabs(want));
}

/* Close a failure loop: the call succeeded after `n` failed attempts (so it made at least n
 * allocations of its own), and the loop ended before MAX_STEPS. */
static void finished(const char *what, long n, long at_least)
{
	assert_true(n < MAX_STEPS);
#ifndef EIC_ARENA_MALLOC
	/* Without EIC_ARENA_MALLOC (the sanitizer builds turn it on) arenas take large chunks,
	 * so a call makes far fewer allocations: the minimum only holds in those builds. */
	at_least = 0;
#endif
	if (n < at_least)
		fail_msg("%s: only %ld allocations (expected at least %ld)", what, n, at_least);
	print_message("%s: %ld allocation failures, each clean\n", what, n);
}

/* ---- database dump (separate read-only connection: schema and every row) ---- */

static void append(char **buf, size_t *len, size_t *cap, const char *text)
{
	size_t n = strlen(text);
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		assert_non_null(*buf);
	}
	memcpy(*buf + *len, text, n + 1);
	*len += n;
}

static char *dump_db(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL;
	char *buf = NULL, num[64];
	size_t len = 0, cap = 0;
	append(&buf, &len, &cap, "");
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name, sql FROM sqlite_master WHERE type = "
	                                    "'table' ORDER BY name",
	                                    -1, &tables, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char sql[256];
		sqlite3_stmt *rows = NULL;
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY rowid",
		         (const char *)sqlite3_column_text(tables, 0));
		append(&buf, &len, &cap, (const char *)sqlite3_column_text(tables, 1));
		append(&buf, &len, &cap, "\n");
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(rows); i++) {
				const char *t;
				if (sqlite3_column_type(rows, i) == SQLITE_FLOAT) {
					snprintf(num, sizeof(num), "%.17g",
					         sqlite3_column_double(rows, i));
					t = num;
				} else {
					t = (const char *)sqlite3_column_text(rows, i);
				}
				append(&buf, &len, &cap, t ? t : "NULL");
				append(&buf, &len, &cap, "|");
			}
			append(&buf, &len, &cap, "\n");
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return buf;
}

static void assert_db_is(const char *path, const char *before)
{
	char *after = dump_db(path);
	assert_string_equal(before, after);
	free(after);
}

/* ---- fixtures ---- */

static char *db_path(const char *tag)
{
	char *dir = eic_test_tmpdir(tag);
	assert_non_null(dir);
	char *path = malloc(strlen(dir) + 16);
	assert_non_null(path);
	sprintf(path, "%s/eic.db", dir);
	free(dir);
	return path;
}

static eic_cluster *read_example(const char *name)
{
	char rel[256];
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	snprintf(rel, sizeof(rel), "data/examples/%s", name);
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_package_read(&c, d, eic_test_src(rel), NULL), 0);
	eic_diags_free(d);
	return c;
}

/* Every third record of the Kokkola example (all kinds and corrections-free), as CSV text. */
static char *kokkola_csv(void)
{
	size_t size = 0;
	char *all = eic_test_read_file(
	    eic_test_src("data/examples/finland-kokkola/measurements.csv"), &size);
	assert_non_null(all);
	char *out = malloc(size + 1);
	assert_non_null(out);
	size_t len = 0;
	long line = 0;
	for (char *p = all; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (line == 0 || line % 3 == 1) {
			memcpy(out + len, p, n);
			len += n;
		}
		line++;
		p += n;
	}
	out[len] = '\0';
	free(all);
	return out;
}

static eic_measurement one_record(const char *actor, const char *year)
{
	static char start[11], end[11];
	eic_measurement r;
	eic_measurement_init(&r);
	assert_int_equal(eic_measure_period_parse(start, end, year), 0);
	r.actor = actor;
	r.kind = EIC_MEASURE_EMPLOYEES;
	r.subject = "";
	r.start = start;
	r.end = end;
	r.value = 120;
	r.unit = "1";
	r.method = EIC_METHOD_MEASURED;
	r.reported_by = "operator";
	return r;
}

/* The map from ids to records agrees with the records. */
static void assert_set_consistent(const eic_measure_set *s)
{
	for (size_t i = 0; i < eic_measure_count(s); i++)
		assert_ptr_equal(eic_measure_find(s, eic_measure_at(s, i)->id),
		                 eic_measure_at(s, i));
}

/* ---- measurement records ---- */

static void test_alloc_monitor__pollutants_and_set(void **state)
{
	(void)state;
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_pollutants *cat = (eic_pollutants *)&n; /* must be reset to NULL */
		eic_alloc_fail_after(n);
		int rc = eic_pollutants_load(&cat, NULL, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_true(eic_pollutants_count(cat) > 100);
			eic_pollutants_free(cat);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(cat);
	}
	finished("eic_pollutants_load", n, 10);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_measure_set *s = (eic_measure_set *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_measure_set_new(&s, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			eic_measure_set_free(s);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(s);
	}
	finished("eic_measure_set_new", n, 10);
}

/* A CSV read that runs out of memory adds nothing, and the set stays usable: the same set
 * is used for every attempt. */
static void test_alloc_monitor__measure_csv(void **state)
{
	(void)state;
	eic_cluster *c = read_example("finland-kokkola");
	eic_pollutants *cat = NULL;
	assert_int_equal(eic_pollutants_load(&cat, NULL, NULL), 0);
	char *csv = kokkola_csv();
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);

	eic_measure_set *ref = NULL;
	assert_int_equal(eic_measure_set_new(&ref, cat), 0);
	eic_measurement first = one_record("boliden_kokkola", "1990");
	assert_int_equal(eic_measure_add(NULL, ref, &first), 0);
	assert_int_equal(eic_measure_read_csv(ref, d, "m.csv", csv, strlen(csv), c), 0);
	size_t want = eic_measure_count(ref);
	assert_true(want > 50);

	eic_measure_set *s = NULL;
	assert_int_equal(eic_measure_set_new(&s, cat), 0);
	assert_int_equal(eic_measure_add(NULL, s, &first), 0);
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_measure_read_csv(s, d, "m.csv", csv, strlen(csv), c);
		eic_alloc_fail_after(-1);
		assert_set_consistent(s);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		assert_int_equal(eic_measure_count(s), 1);
		assert_null(eic_measure_find(s, "2"));
	}
	finished("eic_measure_read_csv", n, 100);
	assert_int_equal(eic_measure_count(s), want);
	for (size_t i = 0; i < want; i++) {
		const eic_measurement *a = eic_measure_at(ref, i), *b = eic_measure_at(s, i);
		assert_string_equal(a->id, b->id);
		assert_string_equal(a->subject, b->subject);
		near(a->amount, b->amount);
	}
	/* after all those rollbacks the next id is still right */
	eic_measurement more = one_record("boliden_kokkola", "1991");
	const eic_measurement *m = NULL;
	assert_int_equal(eic_measure_add(&m, s, &more), 0);
	char id[24];
	snprintf(id, sizeof(id), "%zu", want + 1);
	assert_string_equal(m->id, id);

	/* add: a record that fails to be added is not there */
	for (n = 0; n < MAX_STEPS; n++) {
		eic_measurement r = one_record("boliden_kokkola", "1992");
		size_t before = eic_measure_count(s);
		eic_alloc_fail_after(n);
		int rc = eic_measure_add(&m, s, &r);
		eic_alloc_fail_after(-1);
		assert_set_consistent(s);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(m);
		assert_int_equal(eic_measure_count(s), before);
	}
	finished("eic_measure_add", n, 1);

	/* queries */
	for (n = 0; n < MAX_STEPS; n++) {
		eic_measure_list list = EIC_MEASURE_LIST_INIT;
		eic_measure_query q = EIC_MEASURE_QUERY_INIT;
		q.history = 1;
		eic_alloc_fail_after(n);
		int rc = eic_measure_select(&list, s, &q);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(list.count, eic_measure_count(s));
			eic_measure_list_clear(&list);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(list.items);
		assert_int_equal(list.count, 0);
	}
	finished("eic_measure_select", n, 1);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_measure_list list = EIC_MEASURE_LIST_INIT;
		eic_alloc_fail_after(n);
		int rc = eic_measure_history(&list, s, "2");
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(list.count, 1);
			eic_measure_list_clear(&list);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(list.items);
	}
	finished("eic_measure_history", n, 1);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_measure_period *p = (eic_measure_period *)&n;
		size_t count = 99;
		eic_alloc_fail_after(n);
		int rc = eic_measure_periods(&p, &count, s, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_true(count > 3);
			eic_measure_periods_free(p);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(p);
		assert_int_equal(count, 0);
	}
	finished("eic_measure_periods", n, 2);

	eic_measure_set_free(s);
	eic_measure_set_free(ref);
	eic_diags_free(d);
	free(csv);
	eic_pollutants_free(cat);
	eic_cluster_free(c);
}

/* Save: nothing stored and recorded_at still "" after a failure. Load: the set stays empty.
 * A correction: the same. */
static void test_alloc_monitor__measure_store(void **state)
{
	(void)state;
	eic_cluster *c = read_example("finland-kokkola");
	char *path = db_path("alloc_measure");
	eic_store *st = NULL;
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	assert_int_equal(eic_store_open(&st, path, &so), 0);
	assert_int_equal(eic_store_import(st, c, 0), 0);
	char *csv = kokkola_csv();
	eic_measure_set *s = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_measure_set_new(&s, NULL), 0);
	assert_int_equal(eic_measure_read_csv(s, d, "m.csv", csv, strlen(csv), c), 0);
	size_t count = eic_measure_count(s);
	char *before = dump_db(path);
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_measure_save(st, "finland-kokkola", s, 0, "m.csv");
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		assert_db_is(path, before);
		for (size_t i = 0; i < count; i++)
			assert_string_equal(eic_measure_at(s, i)->recorded_at, "");
	}
	finished("eic_measure_save", n, 1);
	assert_string_not_equal(eic_measure_at(s, 0)->recorded_at, "");
	free(before);

	eic_measure_set *t = NULL;
	assert_int_equal(eic_measure_set_new(&t, eic_measure_set_pollutants(s)), 0);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_measure_load(t, st, "finland-kokkola");
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		assert_int_equal(eic_measure_count(t), 0); /* all or nothing, same set reused */
	}
	finished("eic_measure_load", n, 100);
	assert_int_equal(eic_measure_count(t), count);
	assert_set_consistent(t);

	/* a correction of record 1 */
	eic_measurement r = *eic_measure_at(t, 0);
	r.id = NULL;
	r.value *= 2;
	r.supersedes = "1";
	r.recorded_at = NULL;
	assert_int_equal(eic_measure_add(NULL, t, &r), 0);
	before = dump_db(path);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_measure_save(st, "finland-kokkola", t, count, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		assert_db_is(path, before);
		assert_string_equal(eic_measure_at(t, count)->recorded_at, "");
	}
	finished("eic_measure_save (correction)", n, 1);
	free(before);

	eic_measure_set_free(t);
	eic_measure_set_free(s);
	eic_diags_free(d);
	free(csv);
	eic_store_close(st);
	free(path);
	eic_cluster_free(c);
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

/* A two-facility registry in the Finnish PRTR layout (as in test_measure.c). */
static char *fi_fixture(void)
{
	char *dir = eic_test_tmpdir("alloc_measure_fi");
	write_file(dir, "facilities.csv",
	           "facilityId;nameOfFeature;city;pointGeometryLat;pointGeometryLon;streetName;"
	           "buildingNumber;postalCode;mainActivityCode;mainActivityName\n"
	           "0001;Smelter Oy;HARJAVALTA;61.3;22.1;Street;1;29200;2(e)(i);Non-ferrous\n"
	           "0002;Mill Oy;PORI;61.5;21.8;Road;2;28100;6(a);Pulp\n");
	write_file(dir, "releases.csv",
	           "facilityId;reportingYear;pollutantCode;medium;totalPollutantQuantityKg;"
	           "AccidentalPollutantQuantityKG;methodCode\n"
	           "0001;2021;ZNANDCOMPOUNDS;AIR;453.0;0.0;M\n"
	           "0001;2022;ZNANDCOMPOUNDS;AIR;400.0;0.0;C\n"
	           "0002;2022;NOX;AIR;5.0;0.0;M\n");
	write_file(dir, "waste_transfers.csv",
	           "facilityId;reportingYear;wasteClassificationCode;wasteTreatmentCode;"
	           "totalWasteQuantityTNE;methodCode;nameOfReceiver;ReceivingSite_city;"
	           "ReceivingSite_postalCode;ReceivingSite_countryName\n"
	           "0001;2021;HW;D;3220.0;M;;;;\n"
	           "0001;2021;HW;D;97.3;M;Nehlsen GmbH;Bremen;28237;Germany\n");
	return dir;
}

static void test_alloc_monitor__registry_import(void **state)
{
	(void)state;
	char *path = db_path("alloc_registry");
	eic_store *st = NULL;
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	eic_pollutants *cat = NULL;
	assert_int_equal(eic_store_open(&st, path, &so), 0);
	assert_int_equal(eic_pollutants_load(&cat, NULL, NULL), 0);
	char *dir = fi_fixture();
	eic_registry_options o = EIC_REGISTRY_OPTIONS_INIT;
	o.dir = dir;
	o.area = "harjavalta";
	o.create_cluster = 1;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	char *before = dump_db(path);
	long n;
	eic_registry_summary sum;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_registry_import(&sum, st, "h", &o, cat, d);
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
		assert_int_equal(sum.added, 0);
		assert_int_equal(sum.cluster_created, 0);
		assert_db_is(path, before);
	}
	finished("eic_registry_import (new cluster)", n, 20);
	assert_int_equal(sum.added, 4);
	assert_int_equal(sum.cluster_created, 1);
	free(before);
	/* again into the existing cluster: every row unchanged */
	before = dump_db(path);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_registry_import(&sum, st, "h", &o, cat, d);
		eic_alloc_fail_after(-1);
		assert_db_is(path, before);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
	}
	finished("eic_registry_import (again)", n, 20);
	assert_int_equal(sum.unchanged, 4);
	free(before);
	eic_diags_free(d);
	free(dir);
	eic_pollutants_free(cat);
	eic_store_close(st);
	free(path);
}

/* ---- indicators, benchmark, credit ---- */

static void test_alloc_monitor__indicators(void **state)
{
	(void)state;
	eic_cluster *c = read_example("finland-kokkola");
	size_t size = 0;
	char *csv = eic_test_read_file(
	    eic_test_src("data/examples/finland-kokkola/measurements.csv"), &size);
	assert_non_null(csv);
	eic_measure_set *s = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_measure_set_new(&s, NULL), 0);
	assert_int_equal(eic_measure_read_csv(s, d, "m.csv", csv, size, c), 0);
	eic_diags_free(d);
	eic_indicators *ref = NULL;
	assert_int_equal(eic_indicators_compute(&ref, c, s, NULL), 0);
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_indicators *ind = (eic_indicators *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_indicators_compute(&ind, c, s, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(eic_indicators_value_count(ind),
			                 eic_indicators_value_count(ref));
			assert_int_equal(eic_indicators_trend_count(ind),
			                 eic_indicators_trend_count(ref));
			eic_indicators_free(ind);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(ind);
	}
	finished("eic_indicators_compute", n, 20);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_rating_inputs *in = NULL;
		size_t set = 0;
		assert_int_equal(eic_rating_inputs_new(&in), 0);
		eic_alloc_fail_after(n);
		int rc = eic_indicators_rating_inputs(in, &set, s, "boliden_kokkola", "2021-01-01",
		                                      "2021-12-31");
		eic_alloc_fail_after(-1);
		eic_rating_inputs_free(in);
		if (rc >= 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
	}
	finished("eic_indicators_rating_inputs", n, 0);
	eic_indicators_free(ref);
	eic_measure_set_free(s);
	free(csv);
	eic_cluster_free(c);
}

static void test_alloc_monitor__benchmark(void **state)
{
	(void)state;
	const eic_bench_entry e[] = {
	    {"a", "Alpha Oy", "g1", 5},   {"b", "Beta Oy", "g1", 3},    {"c", "Gamma Oy", "g1", 4},
	    {"d", "Delta Oy", "g1", NAN}, {"e", "Epsilon Oy", "g2", 1}, {"f", "Zeta Oy", NULL, 2},
	};
	eic_bench_options o = EIC_BENCH_OPTIONS_INIT;
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_benchmark *b = (eic_benchmark *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_benchmark_compute(&b, e, 6, &o);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(eic_benchmark_row_count(b), 6);
			assert_int_equal(eic_benchmark_group_count(b), 3);
			eic_bench_view v;
			assert_int_equal(eic_benchmark_view(&v, b, "b"), 0);
			assert_int_equal(v.rank, 1);
			eic_benchmark_free(b);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(b);
	}
	finished("eic_benchmark_compute", n, 2);
	double values[] = {4, 1, 3, 2, 5}, q = NAN;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_bench_distribution dist;
		eic_alloc_fail_after(n);
		int rc = eic_bench_distribution_compute(&dist, values, 5);
		if (rc == 0)
			rc = eic_bench_quantile(&q, values, 5, 0.5);
		eic_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, EIC_ENOMEM);
	}
	finished("eic_bench_distribution_compute", n, 0);
	near(3, q);
}

/* As in test_credit.c: rules a and b hold, veto does not; 1 + 2.5 pp capped at 3. */
static const char cumulative_rules[] =
    "{\"id\": \"c\", \"mode\": \"cumulative\", \"default\": {\"eligible\": false},\n"
    " \"limits\": {\"max_rate_discount_pp\": 3, \"max_guarantee_share\": 0.8, "
    "\"max_tenor_years\": 8},\n"
    " \"rules\": [\n"
    "  {\"id\": \"a\", \"when\": [{\"rating\": \"proper\", \"label\": [\"green\"]}], "
    "\"eligible\": true, \"rate_discount_pp\": 1, \"guarantee_share\": 0.3, "
    "\"max_tenor_years\": 5},\n"
    "  {\"id\": \"b\", \"when\": [{\"indicator\": \"waste_utilisation_rate\", \"at_least\": "
    "0.9}], \"eligible\": true, \"rate_discount_pp\": 2.5, \"guarantee_share\": 0.5, "
    "\"max_tenor_years\": 10},\n"
    "  {\"id\": \"veto\", \"when\": [{\"indicator\": \"compliance_rate\", \"below\": 1}], "
    "\"eligible\": false}\n"
    " ]}\n";

static void test_alloc_monitor__credit(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	const char *path = eic_test_src("data/rating/credit_rules.json");
	eic_credit_rules *rules = NULL;
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_credit_rules *r = (eic_credit_rules *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_credit_rules_load(&r, d, path);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			rules = r;
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(r);
	}
	finished("eic_credit_rules_load", n, 20);
	assert_true(eic_credit_rules_count(rules) > 2);

	eic_credit_rating ratings[] = {{"proper", "gold"}, {"cepi", "other polluted"}};
	eic_credit_indicator ind[] = {{"energy_intensity_va.cagr", -0.1}, {"compliance_rate", 1.0}};
	for (n = 0; n < MAX_STEPS; n++) {
		eic_credit_result *res = (eic_credit_result *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_credit_evaluate(&res, rules, ratings, 2, ind, 2);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_true(eic_credit_result_terms(res)->eligible);
			assert_non_null(eic_credit_result_explanation(res));
			eic_credit_result_free(res);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(res);
	}
	finished("eic_credit_evaluate", n, 2);
	eic_credit_rules_free(rules);

	/* cumulative rules, with limits */
	eic_credit_rating green[] = {{"proper", "green"}};
	eic_credit_indicator mine[] = {{"waste_utilisation_rate", 0.95}, {"compliance_rate", 1.0}};
	for (n = 0; n < MAX_STEPS; n++) {
		eic_credit_rules *r = (eic_credit_rules *)&n;
		eic_credit_result *res = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_credit_rules_load_buffer(&r, d, "mine.json", cumulative_rules,
		                                      strlen(cumulative_rules));
		if (rc < 0)
			assert_null(r);
		if (rc == 0)
			rc = eic_credit_evaluate(&res, r, green, 1, mine, 2);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			near(3.0, eic_credit_result_terms(res)->rate_discount_pp);
			assert_int_equal(eic_credit_result_applied_count(res), 2);
		} else {
			assert_int_equal(rc, EIC_ENOMEM);
			assert_null(res);
		}
		eic_credit_result_free(res);
		if (rc != EIC_ENOMEM || r != NULL)
			eic_credit_rules_free(r);
		if (rc == 0)
			break;
	}
	finished("eic_credit_rules_load_buffer + evaluate", n, 10);
	eic_diags_free(d);
}

/* ---- synergy tracking ---- */

typedef struct {
	char *path;
	eic_store *store;
} syn_fixture;

static void syn_open(syn_fixture *f)
{
	eic_cluster *c = read_example("chachoengsao");
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	f->path = db_path("alloc_synergy");
	assert_int_equal(eic_store_open(&f->store, f->path, &so), 0);
	assert_int_equal(eic_store_import(f->store, c, 0), 0);
	eic_cluster_free(c);
}

/* Each write: ENOMEM and the database unchanged until it goes through. */
#define WRITE_UNTIL_OK(f, what, call)                                                              \
	do {                                                                                       \
		char *before_ = dump_db((f)->path);                                                \
		long n_;                                                                           \
		for (n_ = 0; n_ < MAX_STEPS; n_++) {                                               \
			eic_alloc_fail_after(n_);                                                  \
			int rc_ = (call);                                                          \
			eic_alloc_fail_after(-1);                                                  \
			if (rc_ == 0)                                                              \
				break;                                                             \
			if (rc_ != EIC_ENOMEM)                                                     \
				fail_msg("%s, allocation %ld failing: %d (%s)", what, n_ + 1, rc_, \
				         eic_store_errmsg((f)->store));                            \
			assert_db_is((f)->path, before_);                                          \
		}                                                                                  \
		finished(what, n_, 0);                                                             \
		free(before_);                                                                     \
	} while (0)

static void test_alloc_monitor__synergy(void **state)
{
	(void)state;
	syn_fixture f;
	syn_open(&f);
	const char *cl = "chachoengsao";
	char id[32] = "";

	eic_synergy_spec spec = EIC_SYNERGY_SPEC_INIT;
	spec.from_actor = "piggeries";
	spec.to_actor = "poultry";
	spec.material = "pig_manure";
	spec.mode = EIC_MATCH_JOINT_TREATMENT;
	spec.quantity = 1500;
	spec.unit = "t/yr";
	spec.date = "2024-01-15";
	spec.note = "seen at the site visit";
	spec.who = "facilitator";
	spec.notes = "first";
	WRITE_UNTIL_OK(&f, "eic_synergy_add", eic_synergy_add(id, sizeof(id), f.store, cl, &spec));
	assert_string_equal(id, "S1");

	/* from a match candidate */
	eic_cluster *c = read_example("chachoengsao");
	eic_match_result *mr = NULL;
	assert_int_equal(eic_match_run(&mr, c, NULL, NULL), 0);
	assert_true(eic_match_count(mr) >= 1);
	eic_synergy_spec from = EIC_SYNERGY_SPEC_INIT;
	assert_int_equal(eic_synergy_spec_from_candidate(&from, eic_match_at(mr, 0), 1), 0);
	from.date = "2024-02-01";
	WRITE_UNTIL_OK(&f, "eic_synergy_add (match)",
	               eic_synergy_add(id, sizeof(id), f.store, cl, &from));
	assert_string_equal(id, "S2");
	eic_match_free(mr);
	eic_cluster_free(c);

	eic_synergy_status_options so = EIC_SYNERGY_STATUS_OPTIONS_INIT;
	so.date = "2024-07-01";
	so.note = "pipes laid";
	so.who = "facilitator";
	WRITE_UNTIL_OK(&f, "eic_synergy_set_status",
	               eic_synergy_set_status(f.store, cl, "S1", EIC_SYNERGY_OPERATING, &so));

	eic_synergy_record_options ro = EIC_SYNERGY_RECORD_OPTIONS_INIT;
	ro.period = "2024-Q3";
	ro.quantity = 400;
	ro.note = "weighbridge";
	WRITE_UNTIL_OK(&f, "eic_synergy_record", eic_synergy_record(f.store, cl, "S1", &ro));
	ro.quantity = 450;
	ro.replace = 1;
	WRITE_UNTIL_OK(&f, "eic_synergy_record (replace)",
	               eic_synergy_record(f.store, cl, "S1", &ro));
	ro.period = "typical";
	ro.replace = 0;
	ro.unit = "kg";
	WRITE_UNTIL_OK(&f, "eic_synergy_record (cluster period)",
	               eic_synergy_record(f.store, cl, "S1", &ro));

	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_synergy_set *set = (eic_synergy_set *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_synergy_list(&set, f.store, cl, -1);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(eic_synergy_set_count(set), 2);
			const eic_synergy *sy = eic_synergy_set_at(set, 0);
			assert_int_equal(sy->history_count, 2);
			assert_int_equal(sy->realised_count, 2);
			eic_synergy_set_free(set);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(set);
	}
	finished("eic_synergy_list", n, 5);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_synergy_set *set = (eic_synergy_set *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_synergy_get(&set, f.store, cl, "S2");
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(eic_synergy_set_count(set), 1);
			assert_true(eic_synergy_set_at(set, 0)->from_match);
			eic_synergy_set_free(set);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(set);
	}
	finished("eic_synergy_get", n, 3);

	WRITE_UNTIL_OK(&f, "eic_synergy_delete", eic_synergy_delete(f.store, cl, "S2"));
	eic_synergy_set *set = NULL;
	assert_int_equal(eic_synergy_get(&set, f.store, cl, "S2"), EIC_ENOTFOUND);
	assert_null(set);

	eic_store_close(f.store);
	free(f.path);
}

/* ---- solver interface ---- */

static void test_alloc_monitor__milp(void **state)
{
	(void)state;
	long n;
	eic_milp *m = NULL;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_milp *x = (eic_milp *)&n;
		eic_alloc_fail_after(n);
		int rc = eic_milp_new(&x);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			m = x;
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(x);
	}
	finished("eic_milp_new", n, 1);
	/* a facility choice: open A (20) or B (30), each with capacity 10; demand 8 */
	const char *names[] = {"yA", "yB", "xA", "xB"};
	const double lb[] = {0, 0, 0, 0}, ub[] = {1, 1, 10, 10}, obj[] = {20, 30, 1, 1};
	const int integer[] = {1, 1, 0, 0};
	size_t col[4];
	for (int j = 0; j < 4; j++) {
		for (n = 0; n < MAX_STEPS; n++) {
			size_t before = eic_milp_col_count(m);
			eic_alloc_fail_after(n);
			int rc = eic_milp_add_col(m, &col[j], names[j], lb[j], ub[j], obj[j],
			                          integer[j]);
			eic_alloc_fail_after(-1);
			if (rc == 0)
				break;
			assert_int_equal(rc, EIC_ENOMEM);
			assert_int_equal(eic_milp_col_count(m), before);
		}
		assert_true(n < MAX_STEPS);
	}
	struct {
		const char *name, *group;
		double lb, ub;
		size_t nz;
		size_t cols[2];
		double coefs[2];
	} rows[] = {
	    {"capA", "capacity", -EIC_MILP_INF, 0, 2, {col[2], col[0]}, {1, -10}},
	    {"capB", "capacity", -EIC_MILP_INF, 0, 2, {col[3], col[1]}, {1, -10}},
	    {"demand", NULL, 8, EIC_MILP_INF, 2, {col[2], col[3]}, {1, 1}},
	};
	for (int i = 0; i < 3; i++) {
		for (n = 0; n < MAX_STEPS; n++) {
			size_t before = eic_milp_row_count(m), nz = eic_milp_nz_count(m);
			eic_alloc_fail_after(n);
			int rc =
			    eic_milp_add_row(m, NULL, rows[i].name, rows[i].group, rows[i].lb,
			                     rows[i].ub, rows[i].nz, rows[i].cols, rows[i].coefs);
			eic_alloc_fail_after(-1);
			if (rc == 0)
				break;
			assert_int_equal(rc, EIC_ENOMEM);
			assert_int_equal(eic_milp_row_count(m), before);
			assert_int_equal(eic_milp_nz_count(m), nz);
		}
		assert_true(n < MAX_STEPS);
	}
	assert_string_equal(eic_milp_row_group(m, 2), "demand");
	for (n = 0; n < MAX_STEPS; n++) {
		eic_milp_result r;
		eic_alloc_fail_after(n);
		int rc = eic_milp_solve(&r, m, NULL, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(r.status, EIC_MILP_OPTIMAL);
			near(28, r.objective);
			eic_milp_result_clear(&r);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(r.values);
	}
	finished("eic_milp_solve", n, 1);
	/* make it infeasible and explain */
	assert_int_equal(eic_milp_set_row_bounds(m, 2, 25, EIC_MILP_INF), 0);
	for (n = 0; n < MAX_STEPS; n++) {
		eic_milp_conflict *cf = (eic_milp_conflict *)&n;
		size_t count = 99;
		eic_alloc_fail_after(n);
		int rc = eic_milp_explain(&cf, &count, m, NULL, NULL);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_true(count >= 1);
			eic_milp_conflicts_free(cf);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(cf);
		assert_int_equal(count, 0);
	}
	finished("eic_milp_explain", n, 1);
	eic_milp_free(m);
}

/* ---- impact calculators ---- */

static void test_alloc_monitor__impact(void **state)
{
	(void)state;
	char *dir = eic_test_tmpdir("alloc_impact");
	char pkg[1024];
	snprintf(pkg, sizeof(pkg), "%s/own", dir);
	assert_int_equal(mkdir(pkg, 0700), 0);
	write_file(pkg, "factors.csv",
	           "parameter,key,value,unit,source,checked\n"
	           "EF_grid,india,0.82,kg CO2/kWh,CEA CO2 Baseline Database,no\n"
	           "EF_grid,my_island,0.9,kg CO2/kWh,utility bill 2025,yes\n");
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 1000), 0);
	eic_factors *f = NULL;
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_factors *x = NULL;
		eic_alloc_fail_after(n);
		int rc = eic_factors_new(&x);
		if (rc == 0)
			rc = eic_factors_load_for_cluster(x, pkg, d);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			f = x;
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		eic_factors_free(x);
	}
	finished("eic_factors_load_for_cluster", n, 100);
	assert_non_null(eic_factors_get(f, "EF_grid", "my_island"));

	/* The calculators allocate nothing on success; on bad input they report through the
	 * diagnostics, whose allocations may fail too: still EIC_EINVALID, nothing leaked. */
	eic_ghg g;
	eic_biogas bg;
	double v;
	eic_alloc_fail_after(0);
	assert_int_equal(eic_open_burning_compute(&g, f, "plastics", 1.0, "AR5", d), 0);
	assert_int_equal(eic_biological_treatment_compute(&g, f, "composting", "food_waste", 10.0,
	                                                  EIC_BASIS_WET, 0.0, "AR5", d),
	                 0);
	assert_int_equal(eic_biogas_compute(&bg, f, "pig_manure", 1.0, NULL, d), 0);
	assert_int_equal(eic_grid_electricity_compute(&g, f, "my_island", 10.0, d), 0);
	near(9.0, g.co2e_kg);
	assert_int_equal(eic_alloc_fail_after(-1), 0);
	for (n = 0; n < 8; n++) {
		eic_alloc_fail_after(n);
		assert_int_equal(eic_open_burning_compute(&g, f, "metal", -1.0, "AR7", d),
		                 EIC_EINVALID);
		assert_int_equal(eic_biological_treatment_compute(&g, f, "burying", "unobtainium",
		                                                  -1.0, EIC_BASIS_WET, 0.0, "AR9",
		                                                  d),
		                 EIC_EINVALID);
		assert_int_equal(eic_grid_electricity_compute(&g, f, "atlantis", 1.0, d),
		                 EIC_EINVALID);
		assert_int_equal(eic_transport_compute(&g, f, "teleport", 1.0, 1.0, d),
		                 EIC_EINVALID);
		assert_true(eic_biogas_compute(&bg, f, "unobtainium", 1.0, NULL, d) < 0);
		assert_true(eic_benefit_jobs(&v, f, "nowhere", 1.0, d) < 0);
		assert_true(eic_benefit_water(&v, f, "nowhere", 1.0, d) < 0);
		eic_alloc_fail_after(-1);
	}
	eic_factors_free(f);
	eic_diags_free(d);
	free(dir);
}

/* ---- report sections that read the store ---- */

/* Write a report of the named default sections with allocation k failing. A report makes
 * tens of thousands of allocations and each attempt redoes the work before k, so every k up
 * to 400 is tried, then about 200 more spread evenly up to the total (the whole range would
 * take tens of minutes under ASan). A run without failures comes first. */
static void report_until_ok(const char *what, const eic_cluster *c, eic_store *st,
                            const char *const *ids, size_t count)
{
	const eic_report_section *all = NULL;
	size_t n_all = eic_report_default_sections(&all);
	eic_report_section pick[4];
	assert_true(count <= 4);
	for (size_t i = 0; i < count; i++) {
		size_t j = 0;
		while (j < n_all && strcmp(all[j].id, ids[i]) != 0)
			j++;
		assert_true(j < n_all);
		pick[i] = all[j];
	}
	char *dir = eic_test_tmpdir("alloc_monitor_report");
	char path[1024];
	snprintf(path, sizeof(path), "%s/report.html", dir);
	eic_report_options ro = EIC_REPORT_OPTIONS_INIT;
	ro.sections = pick;
	ro.section_count = count;
	ro.deterministic = 1;
	ro.store = st;
	eic_alloc_fail_after(-1);
	assert_int_equal(eic_report_write(c, path, &ro), 0);
	long total = eic_alloc_fail_after(-1), tried = 0;
#ifdef EIC_ARENA_MALLOC
	assert_true(total > 10); /* fewer in builds whose arenas take large chunks */
#endif
	long stride = total > 400 ? (total - 400) / 200 + 1 : 1;
	for (long n = 0; n < total; n += n < 400 ? 1 : stride) {
		eic_alloc_fail_after(n);
		int rc = eic_report_write(c, path, &ro);
		eic_alloc_fail_after(-1);
		if (rc != EIC_ENOMEM)
			fail_msg("%s, allocation %ld of %ld failing: %s", what, n + 1, total,
			         eic_strerror(rc));
		tried++;
	}
	print_message("%s: %ld of %ld allocations made to fail, each clean\n", what, tried, total);
	remove(path);
	free(dir);
}

static void test_alloc_monitor__report_sections(void **state)
{
	(void)state;
	/* performance and annual report: measurement records in the store */
	eic_cluster *c = read_example("finland-kokkola");
	char *path = db_path("alloc_monitor_report_db");
	eic_store *st = NULL;
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	assert_int_equal(eic_store_open(&st, path, &so), 0);
	assert_int_equal(eic_store_import(st, c, 0), 0);
	char *csv = kokkola_csv();
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	eic_measure_set *s = NULL;
	assert_int_equal(eic_measure_set_new(&s, NULL), 0);
	assert_int_equal(eic_measure_read_csv(s, d, "m.csv", csv, strlen(csv), c), 0);
	assert_int_equal(eic_measure_save(st, "finland-kokkola", s, 0, "m.csv"), 0);
	static const char *const monitor[] = {"performance", "annual-report"};
	report_until_ok("report: performance, annual-report", c, st, monitor, 2);
	eic_measure_set_free(s);
	eic_diags_free(d);
	free(csv);
	eic_store_close(st);
	free(path);
	eic_cluster_free(c);

	/* tracked synergies */
	syn_fixture f;
	syn_open(&f);
	eic_synergy_spec spec = EIC_SYNERGY_SPEC_INIT;
	char id[32];
	spec.from_actor = "piggeries";
	spec.to_actor = "poultry";
	spec.material = "pig_manure";
	spec.quantity = 1500;
	spec.unit = "t/yr";
	spec.date = "2024-01-15";
	assert_int_equal(eic_synergy_add(id, sizeof(id), f.store, "chachoengsao", &spec), 0);
	eic_synergy_status_options o = EIC_SYNERGY_STATUS_OPTIONS_INIT;
	o.date = "2024-07-01";
	assert_int_equal(
	    eic_synergy_set_status(f.store, "chachoengsao", id, EIC_SYNERGY_OPERATING, &o), 0);
	eic_synergy_record_options ro = EIC_SYNERGY_RECORD_OPTIONS_INIT;
	ro.period = "2024-Q3";
	ro.quantity = 400;
	assert_int_equal(eic_synergy_record(f.store, "chachoengsao", id, &ro), 0);
	c = read_example("chachoengsao");
	static const char *const tracked[] = {"tracked-synergies"};
	report_until_ok("report: tracked-synergies", c, f.store, tracked, 1);
	eic_cluster_free(c);
	eic_store_close(f.store);
	free(f.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc_monitor__pollutants_and_set),
	    cmocka_unit_test(test_alloc_monitor__measure_csv),
	    cmocka_unit_test(test_alloc_monitor__measure_store),
	    cmocka_unit_test(test_alloc_monitor__registry_import),
	    cmocka_unit_test(test_alloc_monitor__indicators),
	    cmocka_unit_test(test_alloc_monitor__benchmark),
	    cmocka_unit_test(test_alloc_monitor__credit),
	    cmocka_unit_test(test_alloc_monitor__synergy),
	    cmocka_unit_test(test_alloc_monitor__milp),
	    cmocka_unit_test(test_alloc_monitor__impact),
	    cmocka_unit_test(test_alloc_monitor__report_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
