/* measure_store.c: loads and appends measurement records in the SQLite store (schema v3):
 * one transaction per save, corrections as new rows, never an UPDATE of values. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/store/store_private.h"
#include "measure_private.h"

static int prepare(eic_store *s, sqlite3_stmt **out, const char *sql)
{
	return eic_store__prepare(s, out, sql, "cannot prepare a measurement query");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

/*
 * Read the cluster's records in id order and add them to the set with their stored ids; a
 * row the set refuses (a pollutant dropped from the catalogue, a hand-edited file) fails
 * the load with the record id in the message. O(rows).
 */
int eic_measure__load_rows(eic_measure_set *set, eic_store *s, long long cluster_pk)
{
	sqlite3_stmt *st = NULL;
	int error, rc;
	error =
	    prepare(s, &st,
	            "SELECT m.id, m.actor_id, m.kind, m.subject, m.medium, m.fate, m.fate_code, "
	            "m.counterpart, m.start_date, m.end_date, m.value, m.unit, "
	            "m.concentration, m.concentration_unit, m.limit_value, m.limit_unit, "
	            "m.standard, m.method, m.reported_by, m.verified, m.verified_by, m.source, "
	            "m.source_file, m.source_row, s.id, m.note, m.recorded_at "
	            "FROM measurement m "
	            "LEFT JOIN measurement s ON s.pk = m.supersedes_pk "
	            "WHERE m.cluster_pk = ?1 ORDER BY m.id");
	if (error < 0)
		return error;
	sqlite3_bind_int64(st, 1, cluster_pk);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		eic_measurement r;
		char id[24], sup[24];
		eic_measurement_init(&r);
		snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st, 0));
		r.id = id;
		r.actor = col_text(st, 1);
		if (eic_measure_kind_parse(&r.kind, col_text(st, 2)) < 0 ||
		    eic_medium_parse(&r.medium, col_text(st, 4)) < 0 ||
		    eic_waste_fate_parse(&r.fate, col_text(st, 5)) < 0 ||
		    eic_measure_method_parse(&r.method, col_text(st, 17)) < 0) {
			error =
			    eic_store__fail(s, EIC_ESTORE,
			                    "measurement record %s has an unknown kind, medium, "
			                    "fate or method",
			                    id);
			goto done;
		}
		r.subject = col_text(st, 3);
		r.fate_code = col_text(st, 6);
		r.counterpart = col_text(st, 7);
		r.start = col_text(st, 8);
		r.end = col_text(st, 9);
		r.value = eic_store__col_real(st, 10);
		r.unit = col_text(st, 11);
		r.concentration = eic_store__col_real(st, 12);
		r.concentration_unit = col_text(st, 13);
		r.limit = eic_store__col_real(st, 14);
		r.limit_unit = col_text(st, 15);
		r.standard = col_text(st, 16);
		r.reported_by = col_text(st, 18);
		r.verified = sqlite3_column_int(st, 19);
		r.verified_by = col_text(st, 20);
		r.source = col_text(st, 21);
		r.source_file = col_text(st, 22);
		r.source_row = (long)sqlite3_column_int64(st, 23);
		if (sqlite3_column_type(st, 24) != SQLITE_NULL) {
			snprintf(sup, sizeof(sup), "%lld", (long long)sqlite3_column_int64(st, 24));
			r.supersedes = sup;
		}
		r.note = col_text(st, 25);
		r.recorded_at = col_text(st, 26);
		if ((error = eic_measure_add(NULL, set, &r)) < 0) {
			if (error != EIC_ENOMEM)
				error = eic_store__fail(s, EIC_ESTORE,
				                        "stored measurement record %s: %s", id,
				                        eic_measure_set_errmsg(set));
			goto done;
		}
	}
	if (rc != SQLITE_DONE)
		error = eic_store__db_fail(s, rc, "cannot read the measurement records");
done:
	sqlite3_finalize(st);
	return error;
}

int eic_measure_load(eic_measure_set *set, eic_store *store, const char *cluster_id)
{
	long long pk;
	int error;
	if (!set || !store || !cluster_id || eic_measure_count(set) != 0)
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(store, 0)) < 0)
		return error;
	if ((error = eic_store__exec(store, "BEGIN", "cannot start reading")) < 0)
		return error;
	if ((error = eic_store__find_cluster(store, cluster_id, &pk)) == 0)
		error = eic_store__fail(store, EIC_ENOTFOUND, "no cluster '%s' in the store",
		                        cluster_id);
	if (error > 0)
		error = eic_measure__load_rows(set, store, pk);
	if (error < 0) {
		sqlite3_exec(eic_store__db(store), "ROLLBACK", NULL, NULL, NULL);
		eic_measure__truncate(set, 0); /* all or nothing: the set was empty */
	} else
		error = eic_store__exec(store, "COMMIT", "cannot finish reading");
	return error;
}

static int step_done(eic_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : eic_store__db_fail(s, rc, what);
}

/* pk of the row found by a one-column query, 0 when none; negative on error. */
static long long lookup_pk(eic_store *s, sqlite3_stmt *st, int *error)
{
	long long pk = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		pk = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		*error = eic_store__db_fail(s, rc, "cannot look up a measurement reference");
	sqlite3_reset(st);
	return pk;
}

/*
 * Insert records [first, count) inside the caller's write transaction. The stored ids of the
 * cluster must end exactly where records [0, first) end (so ids stay dense and a concurrent
 * writer is noticed). O(records) statements, each with an indexed actor and id lookup.
 */
int eic_measure__insert(eic_store *s, long long cluster_pk, eic_measure_set *set, size_t first,
                        const char *kind, const char *origin)
{
	enum { Q_MAX = 0, Q_ACTOR, Q_SUP, Q_IMPORT, Q_ROW, Q_NOW, Q__N };
	static const char *const sql[Q__N] = {
	    "SELECT coalesce(max(id), 0) FROM measurement WHERE cluster_pk = ?1",
	    "SELECT pk FROM actor WHERE cluster_pk = ?1 AND id = ?2",
	    "SELECT pk FROM measurement WHERE cluster_pk = ?1 AND id = ?2",
	    "INSERT INTO measurement_import (cluster_pk, kind, origin, record_count, imported_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)",
	    "INSERT INTO measurement (cluster_pk, id, import_pk, actor_id, kind, subject, medium, "
	    "fate, fate_code, counterpart, start_date, end_date, value, unit, amount, "
	    "amount_unit, concentration, concentration_unit, limit_value, limit_unit, standard, "
	    "method, reported_by, verified, verified_by, source, source_file, source_row, "
	    "supersedes_pk, note, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, "
	    "?28, ?29, ?30, ?31)",
	    "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
	};
	sqlite3_stmt *st[Q__N] = {NULL};
	size_t count = eic_measure_count(set);
	char now[32] = "";
	int error = 0;

	for (int i = 0; i < Q__N; i++)
		if ((error = prepare(s, &st[i], sql[i])) < 0)
			goto done;
	if (sqlite3_step(st[Q_NOW]) == SQLITE_ROW)
		snprintf(now, sizeof(now), "%s", col_text(st[Q_NOW], 0));
	sqlite3_bind_int64(st[Q_MAX], 1, cluster_pk);
	long long stored_max = lookup_pk(s, st[Q_MAX], &error);
	if (error < 0)
		goto done;
	if (stored_max != eic_measure__max_id(set, first)) {
		error = eic_store__fail(s, EIC_EEXISTS,
		                        "the cluster's measurement records changed since they were "
		                        "loaded (stored ids end at %lld, expected %ld): try again",
		                        stored_max, eic_measure__max_id(set, first));
		goto done;
	}
	if (first >= count)
		goto done;
	sqlite3_bind_int64(st[Q_IMPORT], 1, cluster_pk);
	sqlite3_bind_text(st[Q_IMPORT], 2, kind, -1, SQLITE_STATIC);
	eic_store__bind_opt(st[Q_IMPORT], 3, origin);
	sqlite3_bind_int64(st[Q_IMPORT], 4, (sqlite3_int64)(count - first));
	sqlite3_bind_text(st[Q_IMPORT], 5, now, -1, SQLITE_STATIC);
	if ((error = step_done(s, st[Q_IMPORT], "cannot record the import")) < 0)
		goto done;
	long long import_pk = sqlite3_last_insert_rowid(eic_store__db(s));
	sqlite3_bind_int64(st[Q_ACTOR], 1, cluster_pk);
	sqlite3_bind_int64(st[Q_SUP], 1, cluster_pk);
	sqlite3_stmt *row = st[Q_ROW];
	sqlite3_bind_int64(row, 1, cluster_pk);
	sqlite3_bind_int64(row, 3, import_pk);
	for (size_t i = first; i < count; i++) {
		const eic_measurement *r = eic_measure_at(set, i);
		sqlite3_bind_text(st[Q_ACTOR], 2, r->actor, -1, SQLITE_STATIC);
		long long actor_pk = lookup_pk(s, st[Q_ACTOR], &error);
		if (error < 0)
			goto done;
		if (!actor_pk) {
			error = eic_store__fail(s, EIC_ENOTFOUND,
			                        "record %s: '%s' is not an actor of the cluster",
			                        r->id, r->actor);
			goto done;
		}
		long long sup_pk = 0;
		if (!eic_str_empty(r->supersedes)) {
			sqlite3_bind_text(st[Q_SUP], 2, r->supersedes, -1, SQLITE_STATIC);
			sup_pk = lookup_pk(s, st[Q_SUP], &error);
			if (error < 0)
				goto done;
			if (!sup_pk) {
				error =
				    eic_store__fail(s, EIC_ENOTFOUND,
				                    "record %s supersedes record %s, which is not "
				                    "stored",
				                    r->id, r->supersedes);
				goto done;
			}
		}
		sqlite3_bind_text(row, 2, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(row, 4, r->actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(row, 5, eic_measure_kind_name(r->kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(row, 6, r->subject, -1, SQLITE_STATIC);
		eic_store__bind_opt(row, 7, eic_medium_name(r->medium));
		eic_store__bind_opt(row, 8, eic_waste_fate_name(r->fate));
		eic_store__bind_opt(row, 9, r->fate_code);
		eic_store__bind_opt(row, 10, r->counterpart);
		sqlite3_bind_text(row, 11, r->start, -1, SQLITE_STATIC);
		sqlite3_bind_text(row, 12, r->end, -1, SQLITE_STATIC);
		sqlite3_bind_double(row, 13, r->value);
		sqlite3_bind_text(row, 14, r->unit, -1, SQLITE_STATIC);
		sqlite3_bind_double(row, 15, r->amount);
		sqlite3_bind_text(row, 16, r->amount_unit, -1, SQLITE_STATIC);
		eic_store__bind_real(row, 17, r->concentration);
		eic_store__bind_opt(row, 18, r->concentration_unit);
		eic_store__bind_real(row, 19, r->limit);
		eic_store__bind_opt(row, 20, r->limit_unit);
		eic_store__bind_opt(row, 21, r->standard);
		sqlite3_bind_text(row, 22, eic_measure_method_name(r->method), -1, SQLITE_STATIC);
		sqlite3_bind_text(row, 23, r->reported_by, -1, SQLITE_STATIC);
		sqlite3_bind_int(row, 24, r->verified ? 1 : 0);
		eic_store__bind_opt(row, 25, r->verified_by);
		eic_store__bind_opt(row, 26, r->source);
		eic_store__bind_opt(row, 27, r->source_file);
		if (r->source_row > 0)
			sqlite3_bind_int64(row, 28, r->source_row);
		else
			sqlite3_bind_null(row, 28);
		if (sup_pk)
			sqlite3_bind_int64(row, 29, sup_pk);
		else
			sqlite3_bind_null(row, 29);
		eic_store__bind_opt(row, 30, r->note);
		sqlite3_bind_text(row, 31, now, -1, SQLITE_STATIC);
		if ((error = step_done(s, row, "cannot store a measurement record")) < 0)
			goto done;
	}
	for (size_t i = first; i < count; i++)
		if ((error = eic_measure__set_recorded(set, i, now)) < 0)
			goto done;
done:
	for (int i = 0; i < Q__N; i++)
		sqlite3_finalize(st[i]);
	return error;
}

/* Which kind of batch a save is, for the import history. */
static const char *batch_kind(const eic_measure_set *set, size_t first, const char *origin)
{
	size_t n = eic_measure_count(set), corrections = 0;
	size_t len = origin ? strlen(origin) : 0;
	for (size_t i = first; i < n; i++)
		if (!eic_str_empty(eic_measure_at(set, i)->supersedes))
			corrections++;
	if (len >= 4 && strcmp(origin + len - 4, ".csv") == 0)
		return "csv";
	return n > first && corrections == n - first ? "correction" : "api";
}

int eic_measure_save(eic_store *store, const char *cluster_id, eic_measure_set *set, size_t first,
                     const char *origin)
{
	long long pk;
	int error;
	if (!store || !cluster_id || !set || first > eic_measure_count(set))
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(store, 1)) < 0)
		return error;
	if ((error = eic_store__exec(store, "BEGIN IMMEDIATE",
	                             "cannot start storing measurements")) < 0)
		return error;
	if ((error = eic_store__find_cluster(store, cluster_id, &pk)) == 0)
		error = eic_store__fail(store, EIC_ENOTFOUND, "no cluster '%s' in the store",
		                        cluster_id);
	if (error > 0)
		error = eic_measure__insert(store, pk, set, first, batch_kind(set, first, origin),
		                            origin);
	if (error == 0)
		error = eic_store__exec(store, "COMMIT", "cannot commit the measurement records");
	if (error < 0) {
		sqlite3_exec(eic_store__db(store), "ROLLBACK", NULL, NULL, NULL);
		/* the records keep recorded_at "" when nothing was stored */
		for (size_t i = first; i < eic_measure_count(set); i++)
			if (eic_measure__set_recorded(set, i, "") < 0)
				break;
	}
	return error;
}
