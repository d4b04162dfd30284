/* test_synergy.c: unit tests of synergy tracking: add (explicit and from a match candidate),
 * status transitions and dates, realised quantities, list and delete, and that every refused
 * call leaves the database byte for byte as it was (logical dump before and after). */
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

#include "eic/io.h"
#include "eic/match.h"
#include "eic/store.h"
#include "eic/synergy.h"
#include "testutil.h"

#define QTY_TOL 1e-9

/* ---- fixture: the Chachoengsao example in a fresh store ---- */

typedef struct {
	char *path;
	eic_store *store;
	eic_cluster *cluster;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	eic_diags *diags = NULL;
	eic_read_options ro = EIC_READ_OPTIONS_INIT;
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	char *dir = eic_test_tmpdir("synergy");
	assert_non_null(f);
	assert_non_null(dir);
	f->path = malloc(strlen(dir) + 16);
	sprintf(f->path, "%s/eic.db", dir);
	free(dir);
	assert_int_equal(eic_diags_new(&diags, 100), 0);
	assert_int_equal(
	    eic_package_read(&f->cluster, diags, eic_test_src("data/examples/chachoengsao"), &ro),
	    0);
	eic_diags_free(diags);
	assert_int_equal(eic_store_open(&f->store, f->path, &so), 0);
	assert_int_equal(eic_store_import(f->store, f->cluster, 0), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	eic_store_close(f->store);
	eic_cluster_free(f->cluster);
	remove(f->path);
	free(f->path);
	free(f);
	return 0;
}

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

/* Logical dump through a separate connection: schema and every row with exact values. */
static char *dump_db(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL;
	char *buf = NULL, line[64];
	size_t len = 0, cap = 0;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name, sql FROM sqlite_master WHERE type = "
	                                    "'table' ORDER BY name",
	                                    -1, &tables, NULL),
	                 0);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char sql[256];
		sqlite3_stmt *rows = NULL;
		snprintf(sql, sizeof(sql), "SELECT rowid, * FROM \"%s\" ORDER BY rowid",
		         (const char *)sqlite3_column_text(tables, 0));
		append(&buf, &len, &cap, (const char *)sqlite3_column_text(tables, 1));
		append(&buf, &len, &cap, "\n");
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), 0);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(rows); i++) {
				if (sqlite3_column_type(rows, i) == SQLITE_FLOAT)
					snprintf(line, sizeof(line), "%.17g",
					         sqlite3_column_double(rows, i));
				const unsigned char *t = sqlite3_column_text(rows, i);
				append(&buf, &len, &cap,
				       sqlite3_column_type(rows, i) == SQLITE_FLOAT ? line
				       : t ? (const char *)t
				           : "NULL");
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

/* Run a call that must fail with `expected`, and check the database did not change. */
#define EXPECT_REFUSED(f, expected, call)                                                          \
	do {                                                                                       \
		char *before_ = dump_db((f)->path);                                                \
		int rc_ = (call);                                                                  \
		if (rc_ != (expected))                                                             \
			print_error("%s: %d (%s)\n", #call, rc_, eic_store_errmsg((f)->store));    \
		assert_int_equal(rc_, (expected));                                                 \
		assert_true(eic_store_errmsg((f)->store)[0] != '\0');                              \
		char *after_ = dump_db((f)->path);                                                 \
		assert_string_equal(before_, after_);                                              \
		free(before_);                                                                     \
		free(after_);                                                                      \
	} while (0)

static void add_explicit(fixture *f, const char *date)
{
	eic_synergy_spec spec = EIC_SYNERGY_SPEC_INIT;
	char id[32];
	spec.from_actor = "piggeries";
	spec.to_actor = "poultry";
	spec.material = "pig_manure";
	spec.mode = EIC_MATCH_JOINT_TREATMENT;
	spec.quantity = 1500;
	spec.unit = "t/yr";
	spec.date = date;
	spec.note = "seen at the site visit";
	spec.who = "facilitator";
	int rc = eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec);
	if (rc)
		print_error("add: %s\n", eic_store_errmsg(f->store));
	assert_int_equal(rc, 0);
	assert_string_equal(id, "S1");
}

static void set_status(fixture *f, eic_synergy_status st, const char *date, int reopen)
{
	eic_synergy_status_options o = EIC_SYNERGY_STATUS_OPTIONS_INIT;
	o.date = date;
	o.reopen = reopen;
	int rc = eic_synergy_set_status(f->store, "chachoengsao", "S1", st, &o);
	if (rc)
		print_error("status: %s\n", eic_store_errmsg(f->store));
	assert_int_equal(rc, 0);
}

static const eic_synergy *get_one(fixture *f, eic_synergy_set **set, const char *id)
{
	int rc = eic_synergy_get(set, f->store, "chachoengsao", id);
	assert_int_equal(rc, 0);
	assert_int_equal(eic_synergy_set_count(*set), 1);
	return eic_synergy_set_at(*set, 0);
}

/* ---- tests ---- */

static void test_synergy__names(void **state)
{
	eic_synergy_status st;
	(void)state;
	for (int i = 0; i < EIC_SYNERGY__N; i++) {
		assert_int_equal(
		    eic_synergy_status_parse(&st, eic_synergy_status_name((eic_synergy_status)i)),
		    0);
		assert_int_equal(st, i);
	}
	assert_int_equal(eic_synergy_status_parse(&st, "under study"), 0);
	assert_int_equal(st, EIC_SYNERGY_UNDER_STUDY);
	assert_int_equal(eic_synergy_status_parse(&st, "done"), EIC_EINVAL);
	eic_synergy_set_free(NULL);
}

static void test_synergy__add_explicit_and_get(void **state)
{
	fixture *f = *state;
	eic_synergy_set *set = NULL;
	add_explicit(f, "2024-01-15");
	const eic_synergy *sy = get_one(f, &set, "S1");
	assert_string_equal(sy->from_actor, "piggeries");
	assert_string_equal(sy->to_actor, "poultry");
	assert_string_equal(sy->material, "pig_manure");
	assert_null(sy->to_material);
	assert_int_equal(sy->mode, EIC_MATCH_JOINT_TREATMENT);
	assert_true(fabs(sy->quantity - 1500) <= QTY_TOL);
	assert_string_equal(sy->unit, "t/yr");
	assert_false(sy->from_match);
	assert_int_equal(sy->match_rank, 0);
	assert_true(isnan(sy->match_score));
	assert_int_equal(sy->status, EIC_SYNERGY_IDEA);
	assert_string_equal(sy->status_date, "2024-01-15");
	assert_int_equal(sy->history_count, 1);
	assert_string_equal(sy->history[0].note, "seen at the site visit");
	assert_string_equal(sy->history[0].who, "facilitator");
	assert_int_equal(sy->realised_count, 0);
	eic_synergy_set_free(set);
}

static void test_synergy__add_refused(void **state)
{
	fixture *f = *state;
	eic_synergy_spec spec = EIC_SYNERGY_SPEC_INIT;
	char id[32];
	add_explicit(f, "2024-01-15");
	spec.from_actor = "piggeries";
	spec.to_actor = "nobody";
	spec.material = "pig_manure";
	EXPECT_REFUSED(f, EIC_ENOTFOUND,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	assert_non_null(strstr(eic_store_errmsg(f->store), "actor 'nobody'"));
	spec.to_actor = "poultry";
	spec.material = "unobtainium";
	EXPECT_REFUSED(f, EIC_ENOTFOUND,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	assert_non_null(strstr(eic_store_errmsg(f->store), "material 'unobtainium'"));
	spec.material = "pig_manure";
	EXPECT_REFUSED(f, EIC_ENOTFOUND,
	               eic_synergy_add(id, sizeof(id), f->store, "nowhere", &spec));
	spec.id = "S1";
	EXPECT_REFUSED(f, EIC_EEXISTS,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	spec.id = "bad id";
	EXPECT_REFUSED(f, EIC_EINVAL,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	spec.id = NULL;
	spec.to_actor = "piggeries";
	EXPECT_REFUSED(f, EIC_EINVAL,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	spec.to_actor = "poultry";
	spec.quantity = -1;
	spec.unit = "t/yr";
	EXPECT_REFUSED(f, EIC_EINVAL,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	spec.quantity = 3;
	spec.unit = "furlongs";
	EXPECT_REFUSED(f, EIC_EUNIT,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	spec.unit = "t/yr";
	spec.date = "2024-02-30";
	EXPECT_REFUSED(f, EIC_EINVAL,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	spec.date = NULL;
	spec.status = EIC_SYNERGY_STOPPED;
	EXPECT_REFUSED(f, EIC_EINVAL,
	               eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec));
	/* the next id follows the largest S<n> */
	spec.status = EIC_SYNERGY_IDEA;
	spec.id = "S7";
	assert_int_equal(eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec), 0);
	spec.id = NULL;
	assert_int_equal(eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec), 0);
	assert_string_equal(id, "S8");
}

static void test_synergy__from_match(void **state)
{
	fixture *f = *state;
	eic_match_result *r = NULL;
	eic_synergy_set *set = NULL;
	eic_synergy_spec spec;
	char id[32];
	assert_int_equal(eic_match_run(&r, f->cluster, NULL, NULL), 0);
	assert_true(eic_match_count(r) >= 2);
	const eic_match_candidate *c = eic_match_at(r, 1);
	assert_int_equal(eic_synergy_spec_from_candidate(&spec, c, 2), 0);
	spec.date = "2024-03-01";
	assert_int_equal(eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec), 0);
	const eic_synergy *sy = get_one(f, &set, id);
	assert_true(sy->from_match);
	assert_int_equal(sy->match_rank, 2);
	assert_true(fabs(sy->match_score - c->score) <= 1e-12);
	assert_string_equal(sy->from_actor, c->a.actor);
	assert_string_equal(sy->to_actor, c->b.actor);
	assert_string_equal(sy->from_offer, c->a.offer_id);
	assert_string_equal(sy->explanation, c->explanation);
	assert_string_equal(sy->match_fit, eic_match_fit_name(c->fit));
	eic_synergy_set_free(set);

	/* a masked side cannot be saved */
	eic_match_candidate masked = *c;
	masked.b.masked = 1;
	masked.b.actor = NULL;
	assert_int_equal(eic_synergy_spec_from_candidate(&spec, &masked, 1), EIC_EINVAL);
	eic_match_free(r);
}

static void test_synergy__transitions(void **state)
{
	fixture *f = *state;
	eic_synergy_status_options o = EIC_SYNERGY_STATUS_OPTIONS_INIT;
	eic_synergy_set *set = NULL;
	add_explicit(f, "2024-01-15");
	set_status(f, EIC_SYNERGY_UNDER_STUDY, "2024-02-01", 0);
	/* same status, a date before the current one, an unknown synergy or cluster */
	o.date = "2024-03-01";
	EXPECT_REFUSED(
	    f, EIC_EINVAL,
	    eic_synergy_set_status(f->store, "chachoengsao", "S1", EIC_SYNERGY_UNDER_STUDY, &o));
	o.date = "2024-01-31";
	EXPECT_REFUSED(
	    f, EIC_EINVAL,
	    eic_synergy_set_status(f->store, "chachoengsao", "S1", EIC_SYNERGY_AGREED, &o));
	assert_non_null(strstr(eic_store_errmsg(f->store), "before"));
	o.date = "2024-13-01";
	EXPECT_REFUSED(
	    f, EIC_EINVAL,
	    eic_synergy_set_status(f->store, "chachoengsao", "S1", EIC_SYNERGY_AGREED, &o));
	o.date = "2024-03-01";
	EXPECT_REFUSED(
	    f, EIC_ENOTFOUND,
	    eic_synergy_set_status(f->store, "chachoengsao", "S9", EIC_SYNERGY_AGREED, &o));
	EXPECT_REFUSED(f, EIC_ENOTFOUND,
	               eic_synergy_set_status(f->store, "nowhere", "S1", EIC_SYNERGY_AGREED, &o));
	/* forward, skipping a step, on the same day as the previous one */
	set_status(f, EIC_SYNERGY_OPERATING, "2024-02-01", 0);
	/* back needs reopen */
	o.date = "2024-05-01";
	EXPECT_REFUSED(
	    f, EIC_EINVAL,
	    eic_synergy_set_status(f->store, "chachoengsao", "S1", EIC_SYNERGY_AGREED, &o));
	set_status(f, EIC_SYNERGY_AGREED, "2024-05-01", 1);
	set_status(f, EIC_SYNERGY_STOPPED, "2024-06-01", 0);
	/* stopped is terminal unless reopened */
	o.date = "2024-07-01";
	EXPECT_REFUSED(
	    f, EIC_EINVAL,
	    eic_synergy_set_status(f->store, "chachoengsao", "S1", EIC_SYNERGY_OPERATING, &o));
	assert_non_null(strstr(eic_store_errmsg(f->store), "stopped"));
	set_status(f, EIC_SYNERGY_OPERATING, "2024-07-01", 1);

	const eic_synergy *sy = get_one(f, &set, "S1");
	static const eic_synergy_status expect[] = {EIC_SYNERGY_IDEA,      EIC_SYNERGY_UNDER_STUDY,
	                                            EIC_SYNERGY_OPERATING, EIC_SYNERGY_AGREED,
	                                            EIC_SYNERGY_STOPPED,   EIC_SYNERGY_OPERATING};
	assert_int_equal(sy->history_count, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(sy->history[i].status, expect[i]);
	assert_int_equal(sy->status, EIC_SYNERGY_OPERATING);
	assert_string_equal(sy->status_date, "2024-07-01");
	eic_synergy_set_free(set);
}

static void test_synergy__history_append_only(void **state)
{
	fixture *f = *state;
	add_explicit(f, "2024-01-15");
	char *before = dump_db(f->path);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE synergy_status SET status = 'operating'", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	char *after = dump_db(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_synergy__record(void **state)
{
	fixture *f = *state;
	eic_synergy_record_options o = EIC_SYNERGY_RECORD_OPTIONS_INIT;
	eic_synergy_set *set = NULL;
	add_explicit(f, "2024-01-15");
	o.period = "2024-Q3";
	o.quantity = 400;
	/* not operating yet */
	EXPECT_REFUSED(f, EIC_EINVAL, eic_synergy_record(f->store, "chachoengsao", "S1", &o));
	assert_non_null(strstr(eic_store_errmsg(f->store), "never operated"));
	set_status(f, EIC_SYNERGY_OPERATING, "2024-07-01", 0);
	assert_int_equal(eic_synergy_record(f->store, "chachoengsao", "S1", &o), 0);
	/* the same period again, a bad period, a negative quantity, an unfit unit */
	EXPECT_REFUSED(f, EIC_EEXISTS, eic_synergy_record(f->store, "chachoengsao", "S1", &o));
	o.period = "2024-Q5";
	EXPECT_REFUSED(f, EIC_EINVAL, eic_synergy_record(f->store, "chachoengsao", "S1", &o));
	o.period = "2024-03-01..2024-02-01";
	EXPECT_REFUSED(f, EIC_EINVAL, eic_synergy_record(f->store, "chachoengsao", "S1", &o));
	o.period = "2024-10";
	o.quantity = -5;
	EXPECT_REFUSED(f, EIC_EINVAL, eic_synergy_record(f->store, "chachoengsao", "S1", &o));
	o.quantity = 5;
	o.unit = "GJ";
	EXPECT_REFUSED(f, EIC_EUNIT, eic_synergy_record(f->store, "chachoengsao", "S1", &o));
	/* a month in kg, a cluster period, a range; then replace the quarter */
	o.unit = "kg";
	o.quantity = 150000;
	assert_int_equal(eic_synergy_record(f->store, "chachoengsao", "S1", &o), 0);
	o.unit = NULL;
	o.period = "typical";
	o.quantity = 1400;
	assert_int_equal(eic_synergy_record(f->store, "chachoengsao", "S1", &o), 0);
	o.period = "2025-01-01..2025-01-31";
	o.quantity = 0;
	assert_int_equal(eic_synergy_record(f->store, "chachoengsao", "S1", &o), 0);
	o.period = "2024-Q3";
	o.quantity = 450;
	o.replace = 1;
	assert_int_equal(eic_synergy_record(f->store, "chachoengsao", "S1", &o), 0);

	const eic_synergy *sy = get_one(f, &set, "S1");
	assert_int_equal(sy->realised_count, 4);
	/* ordered by start date: typical (2010), 2024-Q3, 2024-10, January 2025 */
	assert_string_equal(sy->realised[0].period, "typical");
	assert_string_equal(sy->realised[0].start, "2010-01-01");
	assert_string_equal(sy->realised[0].unit, "t");
	assert_string_equal(sy->realised[1].period, "2024-Q3");
	assert_string_equal(sy->realised[1].start, "2024-07-01");
	assert_string_equal(sy->realised[1].end, "2024-09-30");
	assert_true(fabs(sy->realised[1].quantity - 450) <= QTY_TOL);
	assert_string_equal(sy->realised[2].period, "2024-10");
	assert_string_equal(sy->realised[2].end, "2024-10-31");
	assert_string_equal(sy->realised[2].unit, "kg");
	assert_string_equal(sy->realised[3].end, "2025-01-31");
	eic_synergy_set_free(set);
}

static void test_synergy__list_and_delete(void **state)
{
	fixture *f = *state;
	eic_synergy_spec spec = EIC_SYNERGY_SPEC_INIT;
	eic_synergy_set *set = NULL;
	char id[32];
	add_explicit(f, "2024-01-15");
	spec.from_actor = "rice_mills";
	spec.to_actor = "husk_power";
	spec.material = "rice_husk";
	spec.status = EIC_SYNERGY_AGREED;
	assert_int_equal(eic_synergy_add(id, sizeof(id), f->store, "chachoengsao", &spec), 0);
	assert_string_equal(id, "S2");
	assert_int_equal(eic_synergy_list(&set, f->store, "chachoengsao", -1), 0);
	assert_int_equal(eic_synergy_set_count(set), 2);
	assert_string_equal(eic_synergy_set_at(set, 0)->id, "S1");
	assert_null(eic_synergy_set_at(set, 2));
	eic_synergy_set_free(set);
	assert_int_equal(eic_synergy_list(&set, f->store, "chachoengsao", EIC_SYNERGY_AGREED), 0);
	assert_int_equal(eic_synergy_set_count(set), 1);
	assert_string_equal(eic_synergy_set_at(set, 0)->id, "S2");
	eic_synergy_set_free(set);
	assert_int_equal(eic_synergy_list(&set, f->store, "nowhere", -1), EIC_ENOTFOUND);
	assert_null(set);

	EXPECT_REFUSED(f, EIC_ENOTFOUND, eic_synergy_delete(f->store, "chachoengsao", "S3"));
	assert_int_equal(eic_synergy_delete(f->store, "chachoengsao", "S1"), 0);
	assert_int_equal(eic_synergy_get(&set, f->store, "chachoengsao", "S1"), EIC_ENOTFOUND);
	assert_int_equal(eic_synergy_list(&set, f->store, "chachoengsao", -1), 0);
	assert_int_equal(eic_synergy_set_count(set), 1);
	eic_synergy_set_free(set);
}

/* Deleting the cluster (the store does it with foreign keys off) takes its synergies along:
 * no orphan row, and the foreign-key check of the file stays clean. */
static void test_synergy__cluster_delete(void **state)
{
	fixture *f = *state;
	eic_synergy_record_options o = EIC_SYNERGY_RECORD_OPTIONS_INIT;
	add_explicit(f, "2024-01-15");
	set_status(f, EIC_SYNERGY_OPERATING, "2024-07-01", 0);
	o.period = "2024";
	o.quantity = 1000;
	assert_int_equal(eic_synergy_record(f->store, "chachoengsao", "S1", &o), 0);
	assert_int_equal(eic_store_delete(f->store, "chachoengsao"), 0);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT (SELECT count(*) FROM synergy) + (SELECT "
	                                    "count(*) FROM synergy_status) + (SELECT count(*) "
	                                    "FROM synergy_realised)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_synergy__names),
	    cmocka_unit_test_setup_teardown(test_synergy__add_explicit_and_get, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__add_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__from_match, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__transitions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__history_append_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__list_and_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synergy__cluster_delete, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
