/* store_private.h: what other library modules (synergy tracking, measurement records) need of
 * an open store: its SQLite connection and its error message. Private to the library. */
#ifndef EIC_STORE_PRIVATE_H
#define EIC_STORE_PRIVATE_H

#include <eic/store.h>
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

#endif
