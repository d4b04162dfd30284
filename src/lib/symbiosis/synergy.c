/* synergy.c: synergy tracking in the store: save a synergy (explicit or from a match
 * candidate), append status changes, record realised quantities per period, list and delete. */
#include <eic/synergy.h>
#include <eic/units.h>

#include "lib/store/store_private.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ID_LEN 64
#define MAX_TEXT_LEN 4000
#define DATE_BUF 64 /* room for any YYYY-MM-DD text the compiler can imagine */

static const char *const status_names[EIC_SYNERGY__N] = {"idea", "under_study", "agreed",
                                                         "operating", "stopped"};
static const char *const mode_keys[EIC_MATCH__N] = {"substitution", "shared_input",
                                                    "joint_treatment"};

struct eic_synergy_set {
	eic_arena arena; /* every string and history array */
	eic_vec items;   /* eic_synergy */
};

const char *eic_synergy_status_name(eic_synergy_status status)
{
	return (unsigned)status < EIC_SYNERGY__N ? status_names[status] : "unknown";
}

int eic_synergy_status_parse(eic_synergy_status *out, const char *text)
{
	if (!out || !text)
		return EIC_EINVAL;
	for (int i = 0; i < EIC_SYNERGY__N; i++)
		if (!strcmp(text, status_names[i])) {
			*out = (eic_synergy_status)i;
			return 0;
		}
	if (!strcmp(text, "under study") || !strcmp(text, "under-study")) {
		*out = EIC_SYNERGY_UNDER_STUDY;
		return 0;
	}
	return EIC_EINVAL;
}

int eic_synergy_spec_from_candidate(eic_synergy_spec *out, const eic_match_candidate *c,
                                    size_t rank)
{
	eic_synergy_spec init = EIC_SYNERGY_SPEC_INIT;
	if (!out || !c)
		return EIC_EINVAL;
	if (c->a.masked || c->b.masked || !c->a.actor || !c->b.actor)
		return EIC_EINVAL;
	*out = init;
	out->mode = c->mode;
	out->from_actor = c->a.actor;
	out->to_actor = c->b.actor;
	out->material = c->a.material;
	out->to_material = eic_streq(c->a.material, c->b.material) ? NULL : c->b.material;
	out->quantity = c->quantity;
	out->unit = c->unit;
	out->from_match = 1;
	out->from_offer = c->a.offer_id;
	out->to_offer = c->b.offer_id;
	out->match_rank = (long)rank;
	out->match_score = c->score;
	out->match_fit = eic_match_fit_name(c->fit);
	out->pathway = c->pathway ? c->pathway->id : NULL;
	out->distance_km = c->distance_km;
	out->explanation = c->explanation;
	return 0;
}

/* ---- SQLite helpers ---- */

static int prepare(eic_store *s, sqlite3_stmt **out, const char *sql)
{
	return eic_store__prepare(s, out, sql, "cannot prepare statement");
}

/* Step a write statement to its end and finalize it. */
static int step_done(eic_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	int error = rc == SQLITE_DONE ? 0 : eic_store__db_fail(s, rc, what);
	sqlite3_finalize(st);
	return error;
}

/* Start a write (`write` 1, IMMEDIATE so a concurrent writer waits rather than fails half
 * way) or read transaction. */
static int begin(eic_store *s, int write)
{
	return eic_store__exec(s, write ? "BEGIN IMMEDIATE" : "BEGIN",
	                       "cannot start a transaction");
}

/* Commit on success, roll back on failure (keeping the first message). */
static int end(eic_store *s, int error)
{
	sqlite3 *db = eic_store__db(s);
	if (error == 0)
		error = eic_store__exec(s, "COMMIT", "cannot commit");
	if (error < 0 && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return error;
}

/* Look up one integer by a query with text parameters ?1.. (NULL ends them) and, when the
 * first column is not enough, the second column's text into `text` (cut to `size`).
 * Returns 1 found, 0 absent, or a negative error. */
static int lookup(eic_store *s, sqlite3_int64 *out, char *text, size_t size, const char *sql,
                  sqlite3_int64 key, const char *a, const char *b)
{
	sqlite3_stmt *st = NULL;
	int error = prepare(s, &st, sql), rc;
	if (error < 0)
		return error;
	sqlite3_bind_int64(st, 1, key);
	if (a)
		sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out)
			*out = sqlite3_column_int64(st, 0);
		if (text && size) {
			const unsigned char *t = sqlite3_column_text(st, 1);
			snprintf(text, size, "%s", t ? (const char *)t : "");
		}
		error = 1;
	} else if (rc == SQLITE_DONE) {
		error = 0;
	} else {
		error = eic_store__db_fail(s, rc, "cannot read the store");
	}
	sqlite3_finalize(st);
	return error;
}

static int find_cluster(eic_store *s, sqlite3_int64 *pk, const char *cluster_id)
{
	int error = eic_store__find_cluster(s, cluster_id, pk);
	if (error == 0)
		return eic_store__fail(s, EIC_ENOTFOUND, "no cluster '%s' in the database",
		                       cluster_id);
	return error < 0 ? error : 0;
}

/* The synergy's pk and unit (may be ""). */
static int find_synergy(eic_store *s, sqlite3_int64 *pk, char *unit, size_t unit_size,
                        sqlite3_int64 cluster_pk, const char *cluster_id, const char *id)
{
	int found = lookup(s, pk, unit, unit_size,
	                   "SELECT pk, unit FROM synergy WHERE cluster_pk = ?1 AND id = ?2",
	                   cluster_pk, id, NULL);
	if (found == 0)
		return eic_store__fail(
		    s, EIC_ENOTFOUND, "no synergy '%s' in cluster '%s' (see 'eic synergy list %s')",
		    id, cluster_id, cluster_id);
	return found < 0 ? found : 0;
}

/* Current status and its date. */
static int current_status(eic_store *s, eic_synergy_status *status, char *date, size_t size,
                          sqlite3_int64 synergy_pk)
{
	char name[32];
	sqlite3_stmt *st = NULL;
	int error = prepare(s, &st,
	                    "SELECT status, date FROM synergy_status WHERE synergy_pk = ?1 "
	                    "ORDER BY pk DESC LIMIT 1"),
	    rc;
	if (error < 0)
		return error;
	sqlite3_bind_int64(st, 1, synergy_pk);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *n = sqlite3_column_text(st, 0),
		                    *d = sqlite3_column_text(st, 1);
		snprintf(name, sizeof(name), "%s", n ? (const char *)n : "");
		snprintf(date, size, "%s", d ? (const char *)d : "");
		if (eic_synergy_status_parse(status, name) < 0)
			error = eic_store__fail(s, EIC_ESTORE, "unknown status '%s' in the store",
			                        name);
	} else if (rc == SQLITE_DONE) {
		error = eic_store__fail(s, EIC_ESTORE, "the synergy has no status history");
	} else {
		error = eic_store__db_fail(s, rc, "cannot read the status history");
	}
	sqlite3_finalize(st);
	return error;
}

/* ---- checks ---- */

static int valid_id(const char *id)
{
	size_t n = 0;
	if (eic_str_empty(id))
		return 0;
	for (const char *p = id; *p; p++, n++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return 0;
	return n <= MAX_ID_LEN;
}

/* Today's date (UTC) as YYYY-MM-DD. */
static void today(char buf[16])
{
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) || !strftime(buf, 16, "%Y-%m-%d", &tm))
		snprintf(buf, 16, "1970-01-01");
}

/* Copy the date, or today's when NULL; EIC_EINVAL with a message when malformed. */
static int take_date(eic_store *s, char out[16], const char *date)
{
	long day;
	if (!date) {
		today(out);
		return 0;
	}
	if (eic_date_parse(&day, date) < 0)
		return eic_store__fail(
		    s, EIC_EINVAL, "date '%s' is not a calendar date YYYY-MM-DD (e.g. 2024-03-01)",
		    date);
	snprintf(out, 16, "%s", date);
	return 0;
}

static int check_text(eic_store *s, const char *what, const char *text)
{
	if (text && strlen(text) > MAX_TEXT_LEN)
		return eic_store__fail(s, EIC_EINVAL, "the %s is longer than %d characters", what,
		                       MAX_TEXT_LEN);
	return 0;
}

/* ---- add ---- */

static int check_spec(eic_store *s, const eic_synergy_spec *sp)
{
	eic_unit u;
	int error;
	if (sp->version < 1 || sp->version > EIC_SYNERGY_SPEC_VERSION)
		return eic_store__fail(s, EIC_EINVAL, "unknown synergy spec version %u",
		                       sp->version);
	if (eic_str_empty(sp->from_actor) || eic_str_empty(sp->to_actor))
		return eic_store__fail(s, EIC_EINVAL, "a synergy needs two actors (from and to)");
	if (!strcmp(sp->from_actor, sp->to_actor))
		return eic_store__fail(s, EIC_EINVAL,
		                       "a synergy is between two different actors (both are '%s')",
		                       sp->from_actor);
	if (eic_str_empty(sp->material))
		return eic_store__fail(s, EIC_EINVAL, "a synergy needs a material");
	if ((unsigned)sp->mode >= EIC_MATCH__N)
		return eic_store__fail(s, EIC_EINVAL, "unknown synergy mode %d", (int)sp->mode);
	if ((unsigned)sp->status >= EIC_SYNERGY_STOPPED)
		return eic_store__fail(s, EIC_EINVAL,
		                       "a new synergy starts as idea, under_study, agreed or "
		                       "operating (found '%s')",
		                       eic_synergy_status_name(sp->status));
	if (sp->id && !valid_id(sp->id))
		return eic_store__fail(
		    s, EIC_EINVAL,
		    "synergy id '%s' must be 1 to %d characters of A-Z a-z 0-9 _ "
		    ". -",
		    sp->id, MAX_ID_LEN);
	if (!isnan(sp->quantity) && (!isfinite(sp->quantity) || sp->quantity < 0))
		return eic_store__fail(s, EIC_EINVAL, "quantity must be a number >= 0 (found %g)",
		                       sp->quantity);
	if (!isnan(sp->quantity) && eic_str_empty(sp->unit))
		return eic_store__fail(s, EIC_EINVAL, "a quantity needs a unit");
	if (!eic_str_empty(sp->unit) && eic_unit_parse(&u, sp->unit) < 0)
		return eic_store__fail(s, EIC_EUNIT, "unknown unit '%s' (e.g. t/yr, m3/d, GJ/yr)",
		                       sp->unit);
	if ((error = check_text(s, "note", sp->note)) < 0 ||
	    (error = check_text(s, "notes", sp->notes)) < 0 ||
	    (error = check_text(s, "explanation", sp->explanation)) < 0 ||
	    (error = check_text(s, "name of who recorded it", sp->who)) < 0)
		return error;
	return 0;
}

/* The actor or material exists in the stored cluster, else EIC_ENOTFOUND naming it. */
static int check_member(eic_store *s, sqlite3_int64 cluster_pk, const char *cluster_id,
                        const char *table, const char *id)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT pk, id FROM %s WHERE cluster_pk = ?1 AND id = ?2",
	         table);
	int found = lookup(s, NULL, NULL, 0, sql, cluster_pk, id, NULL);
	if (found == 0)
		return eic_store__fail(s, EIC_ENOTFOUND,
		                       "%s '%s' is not in cluster '%s' (see 'eic show --all %s')",
		                       table, id, cluster_id, cluster_id);
	return found < 0 ? found : 0;
}

/* The next free "S<n>" of the cluster: one more than the largest n in use. */
static int next_id(eic_store *s, char *out, size_t size, sqlite3_int64 cluster_pk)
{
	sqlite3_int64 n = 0;
	int found = lookup(s, &n, NULL, 0,
	                   "SELECT coalesce(max(CAST(substr(id, 2) AS INTEGER)), 0) FROM synergy "
	                   "WHERE cluster_pk = ?1 AND id GLOB 'S[0-9]*' AND NOT substr(id, 2) "
	                   "GLOB '*[^0-9]*'",
	                   cluster_pk, NULL, NULL);
	if (found < 0)
		return found;
	snprintf(out, size, "S%lld", (long long)n + 1);
	return 0;
}

/*
 * Insert the synergy row and its first status in one IMMEDIATE transaction, after checking
 * the cluster, both actors, the materials and the id inside it. Any failure rolls back.
 */
int eic_synergy_add(char *out_id, size_t out_size, eic_store *s, const char *cluster_id,
                    const eic_synergy_spec *sp)
{
	sqlite3_int64 cluster_pk = 0, synergy_pk;
	sqlite3_stmt *st = NULL;
	char id[MAX_ID_LEN + 8], date[16];
	int error, began = 0;

	if (out_id && out_size)
		out_id[0] = '\0';
	if (!s || !cluster_id || !sp)
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(s, 1)) < 0)
		return error;
	if ((error = check_spec(s, sp)) < 0 || (error = take_date(s, date, sp->date)) < 0)
		return error;
	if ((error = begin(s, 1)) < 0)
		return error;
	began = 1;
	if ((error = find_cluster(s, &cluster_pk, cluster_id)) < 0 ||
	    (error = check_member(s, cluster_pk, cluster_id, "actor", sp->from_actor)) < 0 ||
	    (error = check_member(s, cluster_pk, cluster_id, "actor", sp->to_actor)) < 0 ||
	    (error = check_member(s, cluster_pk, cluster_id, "material", sp->material)) < 0 ||
	    (!eic_str_empty(sp->to_material) &&
	     (error = check_member(s, cluster_pk, cluster_id, "material", sp->to_material)) < 0))
		goto done;
	if (sp->id) {
		snprintf(id, sizeof(id), "%s", sp->id);
		int found = lookup(s, NULL, NULL, 0,
		                   "SELECT pk, id FROM synergy WHERE cluster_pk = ?1 AND id = ?2",
		                   cluster_pk, id, NULL);
		if (found < 0) {
			error = found;
			goto done;
		}
		if (found) {
			error = eic_store__fail(s, EIC_EEXISTS,
			                        "synergy '%s' already exists in cluster '%s'", id,
			                        cluster_id);
			goto done;
		}
	} else if ((error = next_id(s, id, sizeof(id), cluster_pk)) < 0) {
		goto done;
	}

	if ((error = prepare(s, &st,
	                     "INSERT INTO synergy(cluster_pk, id, mode, from_actor, to_actor, "
	                     "material, to_material, quantity, unit, origin, from_offer, "
	                     "to_offer, match_rank, match_score, match_fit, pathway, "
	                     "distance_km, explanation, notes, created_at) VALUES (?1, ?2, ?3, "
	                     "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
	                     "?18, ?19, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, cluster_pk);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, mode_keys[sp->mode], -1, SQLITE_STATIC);
	eic_store__bind_opt(st, 4, sp->from_actor);
	eic_store__bind_opt(st, 5, sp->to_actor);
	eic_store__bind_opt(st, 6, sp->material);
	eic_store__bind_opt(st, 7,
	                    eic_streq(sp->to_material, sp->material) ? NULL : sp->to_material);
	eic_store__bind_real(st, 8, sp->quantity);
	eic_store__bind_opt(st, 9, sp->unit);
	sqlite3_bind_text(st, 10, sp->from_match ? "match" : "manual", -1, SQLITE_STATIC);
	if (sp->from_match) {
		eic_store__bind_opt(st, 11, sp->from_offer);
		eic_store__bind_opt(st, 12, sp->to_offer);
		if (sp->match_rank > 0)
			sqlite3_bind_int64(st, 13, sp->match_rank);
		eic_store__bind_real(st, 14, sp->match_score);
		eic_store__bind_opt(st, 15, sp->match_fit);
		eic_store__bind_opt(st, 16, sp->pathway);
		eic_store__bind_real(st, 17, sp->distance_km);
		eic_store__bind_opt(st, 18, sp->explanation);
	}
	eic_store__bind_opt(st, 19, sp->notes);
	error = step_done(s, st, "cannot save the synergy");
	st = NULL;
	if (error < 0)
		goto done;
	synergy_pk = sqlite3_last_insert_rowid(eic_store__db(s));

	if ((error = prepare(s, &st,
	                     "INSERT INTO synergy_status(cluster_pk, synergy_pk, status, date, "
	                     "note, who, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                     "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, cluster_pk);
	sqlite3_bind_int64(st, 2, synergy_pk);
	sqlite3_bind_text(st, 3, status_names[sp->status], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
	eic_store__bind_opt(st, 5, sp->note);
	eic_store__bind_opt(st, 6, sp->who);
	error = step_done(s, st, "cannot save the synergy's status");
	st = NULL;
done:
	sqlite3_finalize(st);
	if (began)
		error = end(s, error);
	if (error == 0 && out_id && out_size)
		snprintf(out_id, out_size, "%s", id);
	return error;
}

/* ---- status ---- */

/*
 * Append a status row after checking the transition against the current status (the last
 * row) and the date against its date, in one IMMEDIATE transaction.
 */
int eic_synergy_set_status(eic_store *s, const char *cluster_id, const char *synergy_id,
                           eic_synergy_status status, const eic_synergy_status_options *o)
{
	eic_synergy_status_options defaults = EIC_SYNERGY_STATUS_OPTIONS_INIT;
	sqlite3_int64 cluster_pk = 0, synergy_pk = 0;
	eic_synergy_status cur;
	sqlite3_stmt *st = NULL;
	char date[16], cur_date[32];
	int error;

	if (!s || !cluster_id || !synergy_id)
		return EIC_EINVAL;
	if (!o)
		o = &defaults;
	if ((error = eic_store__check_usable(s, 1)) < 0)
		return error;
	if (o->version < 1 || o->version > EIC_SYNERGY_STATUS_OPTIONS_VERSION)
		return eic_store__fail(s, EIC_EINVAL, "unknown status options version %u",
		                       o->version);
	if ((unsigned)status >= EIC_SYNERGY__N)
		return eic_store__fail(s, EIC_EINVAL,
		                       "unknown status %d (idea, under_study, agreed, operating, "
		                       "stopped)",
		                       (int)status);
	if ((error = take_date(s, date, o->date)) < 0 ||
	    (error = check_text(s, "note", o->note)) < 0 ||
	    (error = check_text(s, "name of who recorded it", o->who)) < 0)
		return error;
	if ((error = begin(s, 1)) < 0)
		return error;
	if ((error = find_cluster(s, &cluster_pk, cluster_id)) < 0 ||
	    (error = find_synergy(s, &synergy_pk, NULL, 0, cluster_pk, cluster_id, synergy_id)) <
	        0 ||
	    (error = current_status(s, &cur, cur_date, sizeof(cur_date), synergy_pk)) < 0)
		goto done;
	if (status == cur) {
		error = eic_store__fail(s, EIC_EINVAL, "synergy '%s' is already %s (since %s)",
		                        synergy_id, status_names[cur], cur_date);
		goto done;
	}
	if (cur == EIC_SYNERGY_STOPPED && !o->reopen) {
		error = eic_store__fail(s, EIC_EINVAL,
		                        "synergy '%s' was stopped on %s: stopped is final unless "
		                        "you reopen it explicitly (reopen)",
		                        synergy_id, cur_date);
		goto done;
	}
	if (status < cur && cur != EIC_SYNERGY_STOPPED && !o->reopen) {
		error = eic_store__fail(s, EIC_EINVAL,
		                        "synergy '%s' is %s: going back to %s needs an explicit "
		                        "reopen",
		                        synergy_id, status_names[cur], status_names[status]);
		goto done;
	}
	if (strcmp(date, cur_date) < 0) {
		error = eic_store__fail(s, EIC_EINVAL,
		                        "date %s is before the current status of synergy '%s' (%s "
		                        "since %s): history moves forward in time",
		                        date, synergy_id, status_names[cur], cur_date);
		goto done;
	}
	if ((error = prepare(s, &st,
	                     "INSERT INTO synergy_status(cluster_pk, synergy_pk, status, date, "
	                     "note, who, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                     "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, cluster_pk);
	sqlite3_bind_int64(st, 2, synergy_pk);
	sqlite3_bind_text(st, 3, status_names[status], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
	eic_store__bind_opt(st, 5, o->note);
	eic_store__bind_opt(st, 6, o->who);
	error = step_done(s, st, "cannot save the status");
	st = NULL;
done:
	sqlite3_finalize(st);
	return end(s, error);
}

/* ---- realised quantities ---- */

static int days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap ? 1 : 0);
}

static int all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* Dates of a period written as YYYY, YYYY-MM, YYYY-Qn or start..end. 0, or -1 when it is none
 * of those. */
static int parse_period(char start[DATE_BUF], char end_[DATE_BUF], const char *p)
{
	size_t n = strlen(p);
	long a, b;
	const char *dots = strstr(p, "..");
	if (dots) {
		char first[16];
		size_t len = (size_t)(dots - p);
		if (len != 10)
			return -1;
		memcpy(first, p, len);
		first[len] = '\0';
		if (eic_date_parse(&a, first) < 0 || eic_date_parse(&b, dots + 2) < 0 || b < a)
			return -1;
		snprintf(start, DATE_BUF, "%s", first);
		snprintf(end_, DATE_BUF, "%s", dots + 2);
		return 0;
	}
	if (n < 4 || !all_digits(p, 4))
		return -1;
	int y = atoi(p);
	if (y < 1)
		return -1;
	if (n == 4) {
		snprintf(start, DATE_BUF, "%04d-01-01", y);
		snprintf(end_, DATE_BUF, "%04d-12-31", y);
		return 0;
	}
	if (n == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
		int q = p[6] - '0', m0 = 3 * q - 2, m1 = 3 * q;
		snprintf(start, DATE_BUF, "%04d-%02d-01", y, m0);
		snprintf(end_, DATE_BUF, "%04d-%02d-%02d", y, m1, days_in_month(y, m1));
		return 0;
	}
	if (n == 7 && p[4] == '-' && all_digits(p + 5, 2)) {
		int m = atoi(p + 5);
		if (m < 1 || m > 12)
			return -1;
		snprintf(start, DATE_BUF, "%04d-%02d-01", y, m);
		snprintf(end_, DATE_BUF, "%04d-%02d-%02d", y, m, days_in_month(y, m));
		return 0;
	}
	return -1;
}

/* The synergy's unit as an amount over a period: "t/yr" gives "t"; other units unchanged. */
static void amount_unit(char *out, size_t size, const char *unit)
{
	static const char *const per[] = {"/yr", "/year", "/a", "/month", "/d", "/day", "/h"};
	size_t n = strlen(unit);
	snprintf(out, size, "%s", unit);
	for (size_t i = 0; i < sizeof(per) / sizeof(per[0]); i++) {
		size_t k = strlen(per[i]);
		if (n > k && !strcmp(unit + n - k, per[i]) && n - k < size) {
			out[n - k] = '\0';
			return;
		}
	}
}

/* A recorded unit must be known and, when the synergy has a unit, measure the same thing: the
 * synergy's unit itself (a rate) or that unit times a time (an amount). */
static int check_record_unit(eic_store *s, const char *unit, const char *synergy_unit)
{
	eic_unit u, su, amount;
	char text[160];
	if (eic_unit_parse(&u, unit) < 0)
		return eic_store__fail(s, EIC_EUNIT, "unknown unit '%s' (e.g. t, m3, GJ)", unit);
	if (eic_str_empty(synergy_unit) || eic_unit_parse(&su, synergy_unit) < 0)
		return 0;
	snprintf(text, sizeof(text), "%s*yr", synergy_unit);
	if (eic_unit_compatible(&u, &su) ||
	    (eic_unit_parse(&amount, text) == 0 && eic_unit_compatible(&u, &amount)))
		return 0;
	return eic_store__fail(s, EIC_EUNIT,
	                       "unit '%s' does not measure what the synergy's unit '%s' does", unit,
	                       synergy_unit);
}

/*
 * Record (or with replace, change) the realised quantity of one period, in one IMMEDIATE
 * transaction. The period is resolved to dates: a period of the stored cluster, else the
 * forms of parse_period.
 */
int eic_synergy_record(eic_store *s, const char *cluster_id, const char *synergy_id,
                       const eic_synergy_record_options *o)
{
	sqlite3_int64 cluster_pk = 0, synergy_pk = 0, existing = 0;
	sqlite3_stmt *st = NULL;
	char syn_unit[128] = "", unit[128], start[DATE_BUF] = "", end_[DATE_BUF] = "",
	     period_dates[DATE_BUF];
	int error, found;

	if (!s || !cluster_id || !synergy_id || !o)
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(s, 1)) < 0)
		return error;
	if (o->version < 1 || o->version > EIC_SYNERGY_RECORD_OPTIONS_VERSION)
		return eic_store__fail(s, EIC_EINVAL, "unknown record options version %u",
		                       o->version);
	if (eic_str_empty(o->period) || strlen(o->period) > MAX_ID_LEN)
		return eic_store__fail(s, EIC_EINVAL,
		                       "a realised quantity needs a period (1 to %d "
		                       "characters)",
		                       MAX_ID_LEN);
	if (!isfinite(o->quantity) || o->quantity < 0)
		return eic_store__fail(s, EIC_EINVAL,
		                       "a realised quantity must be a number >= 0 (found %g)",
		                       o->quantity);
	if ((error = check_text(s, "note", o->note)) < 0)
		return error;
	if ((error = begin(s, 1)) < 0)
		return error;
	if ((error = find_cluster(s, &cluster_pk, cluster_id)) < 0 ||
	    (error = find_synergy(s, &synergy_pk, syn_unit, sizeof(syn_unit), cluster_pk,
	                          cluster_id, synergy_id)) < 0)
		goto done;
	found = lookup(s, NULL, NULL, 0,
	               "SELECT pk, status FROM synergy_status WHERE synergy_pk = ?1 AND status = "
	               "'operating' LIMIT 1",
	               synergy_pk, NULL, NULL);
	if (found <= 0) {
		eic_synergy_status cur;
		char cur_date[32];
		if ((error = found) < 0 ||
		    (error = current_status(s, &cur, cur_date, sizeof(cur_date), synergy_pk)) < 0)
			goto done;
		error =
		    eic_store__fail(s, EIC_EINVAL,
		                    "synergy '%s' has never operated (it is %s): set its status "
		                    "to operating before recording realised quantities",
		                    synergy_id, status_names[cur]);
		goto done;
	}
	/* the period: one of the cluster's, else a year, month, quarter or date range */
	found = lookup(s, NULL, period_dates, sizeof(period_dates),
	               "SELECT pk, coalesce(start_date, '') || '|' || coalesce(end_date, '') "
	               "FROM period WHERE cluster_pk = ?1 AND id = ?2",
	               cluster_pk, o->period, NULL);
	if (found < 0) {
		error = found;
		goto done;
	}
	if (found) {
		char *bar = strchr(period_dates, '|');
		if (bar) {
			*bar = '\0';
			snprintf(start, sizeof(start), "%s", period_dates);
			snprintf(end_, sizeof(end_), "%s", bar + 1);
		}
	} else if (parse_period(start, end_, o->period) < 0) {
		error = eic_store__fail(s, EIC_EINVAL,
		                        "period '%s' is not a period of cluster '%s', a year "
		                        "(2024), a month (2024-03), a quarter (2024-Q1) or a date "
		                        "range (2024-01-01..2024-03-31)",
		                        o->period, cluster_id);
		goto done;
	}
	if (o->unit)
		snprintf(unit, sizeof(unit), "%s", o->unit);
	else if (*syn_unit)
		amount_unit(unit, sizeof(unit), syn_unit);
	else {
		error = eic_store__fail(s, EIC_EINVAL,
		                        "synergy '%s' has no unit: give the unit of the quantity",
		                        synergy_id);
		goto done;
	}
	if ((error = check_record_unit(s, unit, syn_unit)) < 0)
		goto done;
	found = lookup(s, &existing, NULL, 0,
	               "SELECT pk, period FROM synergy_realised WHERE synergy_pk = ?1 AND period "
	               "= ?2",
	               synergy_pk, o->period, NULL);
	if (found < 0) {
		error = found;
		goto done;
	}
	if (found && !o->replace) {
		error = eic_store__fail(s, EIC_EEXISTS,
		                        "synergy '%s' already has a realised quantity for period "
		                        "'%s' (replace it explicitly to change it)",
		                        synergy_id, o->period);
		goto done;
	}
	if (found)
		error = prepare(s, &st,
		                "UPDATE synergy_realised SET start_date = ?3, end_date = ?4, "
		                "quantity = ?5, unit = ?6, note = ?7, recorded_at = "
		                "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE pk = ?8 AND "
		                "cluster_pk = ?1 AND synergy_pk = ?2");
	else
		error = prepare(s, &st,
		                "INSERT INTO synergy_realised(cluster_pk, synergy_pk, start_date, "
		                "end_date, quantity, unit, note, period, recorded_at) VALUES (?1, "
		                "?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', "
		                "'now'))");
	if (error < 0)
		goto done;
	sqlite3_bind_int64(st, 1, cluster_pk);
	sqlite3_bind_int64(st, 2, synergy_pk);
	eic_store__bind_opt(st, 3, start);
	eic_store__bind_opt(st, 4, end_);
	sqlite3_bind_double(st, 5, o->quantity);
	sqlite3_bind_text(st, 6, unit, -1, SQLITE_STATIC);
	eic_store__bind_opt(st, 7, o->note);
	if (found)
		sqlite3_bind_int64(st, 8, existing);
	else
		sqlite3_bind_text(st, 8, o->period, -1, SQLITE_STATIC);
	error = step_done(s, st, "cannot save the realised quantity");
	st = NULL;
done:
	sqlite3_finalize(st);
	return end(s, error);
}

/* ---- read ---- */

static const char *col_str(eic_synergy_set *set, sqlite3_stmt *st, int i, int *failed)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	char *copy = eic_arena_strdup(&set->arena, (const char *)t);
	if (!copy)
		*failed = 1;
	return copy;
}

/* Load the history and realised quantities of one synergy into the set's arena. */
static int load_children(eic_store *s, eic_synergy_set *set, eic_synergy *sy, sqlite3_int64 pk)
{
	sqlite3_stmt *st = NULL;
	eic_vec events, realised;
	int error = 0, rc, failed = 0;

	eic_vec_init(&events, sizeof(eic_synergy_event));
	eic_vec_init(&realised, sizeof(eic_synergy_realised));
	if ((error = prepare(s, &st,
	                     "SELECT status, date, note, who, recorded_at FROM synergy_status "
	                     "WHERE synergy_pk = ?1 ORDER BY pk")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, pk);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		eic_synergy_event e;
		const unsigned char *name = sqlite3_column_text(st, 0);
		if (!name || eic_synergy_status_parse(&e.status, (const char *)name) < 0) {
			error = eic_store__fail(s, EIC_ESTORE, "unknown status in the store");
			goto done;
		}
		e.date = col_str(set, st, 1, &failed);
		e.note = col_str(set, st, 2, &failed);
		e.who = col_str(set, st, 3, &failed);
		e.recorded_at = col_str(set, st, 4, &failed);
		if (failed || !eic_vec_push(&events, &e)) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		error = eic_store__db_fail(s, rc, "cannot read the status history");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!events.len) {
		error =
		    eic_store__fail(s, EIC_ESTORE, "synergy '%s' has no status history", sy->id);
		goto done;
	}
	if ((error = prepare(s, &st,
	                     "SELECT period, start_date, end_date, quantity, unit, note, "
	                     "recorded_at FROM synergy_realised WHERE synergy_pk = ?1 ORDER BY "
	                     "start_date IS NULL, start_date, end_date, period")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, pk);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		eic_synergy_realised r;
		r.period = col_str(set, st, 0, &failed);
		r.start = col_str(set, st, 1, &failed);
		r.end = col_str(set, st, 2, &failed);
		r.quantity = eic_store__col_real(st, 3);
		r.unit = col_str(set, st, 4, &failed);
		r.note = col_str(set, st, 5, &failed);
		r.recorded_at = col_str(set, st, 6, &failed);
		if (failed || !eic_vec_push(&realised, &r)) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		error = eic_store__db_fail(s, rc, "cannot read the realised quantities");
		goto done;
	}
	/* copy the arrays into the arena so the set owns one block of memory */
	eic_synergy_event *ev = eic_arena_alloc(&set->arena, events.len * sizeof(*ev));
	eic_synergy_realised *re =
	    realised.len ? eic_arena_alloc(&set->arena, realised.len * sizeof(*re)) : NULL;
	if (!ev || (realised.len && !re)) {
		error = EIC_ENOMEM;
		goto done;
	}
	memcpy(ev, events.data, events.len * sizeof(*ev));
	if (realised.len)
		memcpy(re, realised.data, realised.len * sizeof(*re));
	sy->history = ev;
	sy->history_count = events.len;
	sy->realised = re;
	sy->realised_count = realised.len;
	sy->status = ev[events.len - 1].status;
	sy->status_date = ev[events.len - 1].date;
done:
	sqlite3_finalize(st);
	eic_vec_free(&events);
	eic_vec_free(&realised);
	return error;
}

/* Read the synergies of a cluster (one id, or all) in creation order, in one read
 * transaction so the set is a consistent snapshot. */
static int read_set(eic_synergy_set **out, eic_store *s, const char *cluster_id,
                    const char *synergy_id, int status)
{
	eic_synergy_set *set = NULL;
	sqlite3_int64 cluster_pk = 0;
	sqlite3_stmt *st = NULL;
	int error, rc, failed = 0;

	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!s || !cluster_id)
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(s, 0)) < 0)
		return error;
	if (!(set = eic_calloc(1, sizeof(*set))))
		return EIC_ENOMEM;
	eic_arena_init(&set->arena);
	eic_vec_init(&set->items, sizeof(eic_synergy));
	if ((error = begin(s, 0)) < 0)
		goto fail;
	if ((error = find_cluster(s, &cluster_pk, cluster_id)) < 0)
		goto done;
	if ((error = prepare(s, &st,
	                     "SELECT pk, id, mode, from_actor, to_actor, material, to_material, "
	                     "quantity, unit, origin, from_offer, to_offer, match_rank, "
	                     "match_score, match_fit, pathway, distance_km, explanation, notes, "
	                     "created_at FROM synergy WHERE cluster_pk = ?1 AND (?2 IS NULL OR "
	                     "id = ?2) ORDER BY pk")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, cluster_pk);
	eic_store__bind_opt(st, 2, synergy_id);
	const char *cluster_copy = eic_arena_strdup(&set->arena, cluster_id);
	if (!cluster_copy) {
		error = EIC_ENOMEM;
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		eic_synergy sy;
		memset(&sy, 0, sizeof(sy));
		sy.cluster = cluster_copy;
		sy.id = col_str(set, st, 1, &failed);
		const unsigned char *mode = sqlite3_column_text(st, 2);
		for (int m = 0; m < EIC_MATCH__N; m++)
			if (mode && !strcmp((const char *)mode, mode_keys[m]))
				sy.mode = (eic_match_mode)m;
		sy.from_actor = col_str(set, st, 3, &failed);
		sy.to_actor = col_str(set, st, 4, &failed);
		sy.material = col_str(set, st, 5, &failed);
		sy.to_material = col_str(set, st, 6, &failed);
		sy.quantity = eic_store__col_real(st, 7);
		sy.unit = col_str(set, st, 8, &failed);
		const unsigned char *origin = sqlite3_column_text(st, 9);
		sy.from_match = origin && !strcmp((const char *)origin, "match");
		sy.from_offer = col_str(set, st, 10, &failed);
		sy.to_offer = col_str(set, st, 11, &failed);
		sy.match_rank = (long)sqlite3_column_int64(st, 12);
		sy.match_score = eic_store__col_real(st, 13);
		sy.match_fit = col_str(set, st, 14, &failed);
		sy.pathway = col_str(set, st, 15, &failed);
		sy.distance_km = eic_store__col_real(st, 16);
		sy.explanation = col_str(set, st, 17, &failed);
		sy.notes = col_str(set, st, 18, &failed);
		sy.created_at = col_str(set, st, 19, &failed);
		if (failed) {
			error = EIC_ENOMEM;
			goto done;
		}
		if ((error = load_children(s, set, &sy, sqlite3_column_int64(st, 0))) < 0)
			goto done;
		if (status >= 0 && (int)sy.status != status)
			continue;
		if (!eic_vec_push(&set->items, &sy)) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		error = eic_store__db_fail(s, rc, "cannot read the synergies");
		goto done;
	}
	if (synergy_id && !set->items.len)
		error = eic_store__fail(
		    s, EIC_ENOTFOUND, "no synergy '%s' in cluster '%s' (see 'eic synergy list %s')",
		    synergy_id, cluster_id, cluster_id);
done:
	sqlite3_finalize(st);
	error = end(s, error);
fail:
	if (error < 0) {
		eic_synergy_set_free(set);
		return error;
	}
	*out = set;
	return 0;
}

int eic_synergy_list(eic_synergy_set **out, eic_store *s, const char *cluster_id, int status)
{
	if (status >= EIC_SYNERGY__N) {
		if (out)
			*out = NULL;
		return EIC_EINVAL;
	}
	return read_set(out, s, cluster_id, NULL, status < 0 ? -1 : status);
}

int eic_synergy_get(eic_synergy_set **out, eic_store *s, const char *cluster_id,
                    const char *synergy_id)
{
	if (!synergy_id) {
		if (out)
			*out = NULL;
		return EIC_EINVAL;
	}
	return read_set(out, s, cluster_id, synergy_id, -1);
}

size_t eic_synergy_set_count(const eic_synergy_set *set)
{
	return set ? set->items.len : 0;
}

const eic_synergy *eic_synergy_set_at(const eic_synergy_set *set, size_t i)
{
	return set && i < set->items.len ? EIC_VEC_AT(&set->items, eic_synergy, i) : NULL;
}

void eic_synergy_set_free(eic_synergy_set *set)
{
	if (!set)
		return;
	eic_vec_free(&set->items);
	eic_arena_clear(&set->arena);
	eic_free(set);
}

/* ---- delete ---- */

/* Delete the synergy's rows, children first, in one IMMEDIATE transaction. */
int eic_synergy_delete(eic_store *s, const char *cluster_id, const char *synergy_id)
{
	static const char *const sql[] = {
	    "DELETE FROM synergy_realised WHERE synergy_pk = ?1",
	    "DELETE FROM synergy_status WHERE synergy_pk = ?1",
	    "DELETE FROM synergy WHERE pk = ?1",
	};
	sqlite3_int64 cluster_pk = 0, synergy_pk = 0;
	int error;

	if (!s || !cluster_id || !synergy_id)
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(s, 1)) < 0)
		return error;
	if ((error = begin(s, 1)) < 0)
		return error;
	if ((error = find_cluster(s, &cluster_pk, cluster_id)) < 0 ||
	    (error = find_synergy(s, &synergy_pk, NULL, 0, cluster_pk, cluster_id, synergy_id)) < 0)
		goto done;
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]) && !error; i++) {
		sqlite3_stmt *st = NULL;
		if ((error = prepare(s, &st, sql[i])) < 0)
			break;
		sqlite3_bind_int64(st, 1, synergy_pk);
		error = step_done(s, st, "cannot delete the synergy");
	}
done:
	return end(s, error);
}
