/* store_private.h: what other library modules (synergy tracking, measurement records) need of
 * an open store: its SQLite connection and its error message. Private to the library. */
#ifndef EIC_STORE_PRIVATE_H
#define EIC_STORE_PRIVATE_H

#include <eic/store.h>
#include <math.h>
#include <sqlite3.h>

/* The connection of an open store, or NULL when the open failed. Borrowed. */
sqlite3 *eic_store__db(eic_store *store);

/* 1 when the store was opened read-only. */
int eic_store__readonly(const eic_store *store);

/* Set the store's error message (printf format); returns `code` so callers can
 * `return eic_store__fail(s, EIC_ESTORE, "...")`. */
int eic_store__fail(eic_store *store, int code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Record "what: <sqlite message>" for a failed SQLite call `rc` and return the eic code
 * (EIC_ENOMEM for SQLITE_NOMEM, EIC_ESTORE otherwise). */
int eic_store__db_fail(eic_store *store, int rc, const char *what);

/* Check that the store is open (and writable when `write`) and clear its error message.
 * @return 0 or EIC_ESTORE with the reason as the message. */
int eic_store__check_usable(eic_store *store, int write);

/* Run `sql` (no result rows). @return 0 or the eic code, "what: <sqlite message>" kept. */
int eic_store__exec(eic_store *store, const char *sql, const char *what);

/* Prepare one statement. @return 0 or the eic code, "what: <sqlite message>" kept. */
int eic_store__prepare(eic_store *store, sqlite3_stmt **out, const char *sql, const char *what);

/* Look up a stored cluster's pk by id: 1 found, 0 absent, or a negative error. */
int eic_store__find_cluster(eic_store *store, const char *id, sqlite3_int64 *out_pk);

/* Optional text: NULL or "" (the model's "not given") is stored as NULL. */
static inline void eic_store__bind_opt(sqlite3_stmt *st, int i, const char *text)
{
	if (text && *text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Unknown numbers (NaN) are stored as NULL. */
static inline void eic_store__bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

/* A real column, NULL read as NaN. */
static inline double eic_store__col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

#endif
