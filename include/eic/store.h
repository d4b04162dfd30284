/* eic/store.h: the SQLite store of clusters (several clusters and periods per database).
 * Ownership: eic_store_open hands a handle freed by eic_store_close; loaded clusters belong
 * to the caller. An import is one transaction: it stores all of a cluster or nothing. */
#ifndef EIC_STORE_H
#define EIC_STORE_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Schema version this library writes; older databases are migrated forward on open. */
#define EIC_STORE_SCHEMA_VERSION 3

typedef struct eic_store eic_store;

typedef struct {
	unsigned version;
	int create;   /**< create the file if it does not exist */
	int readonly; /**< open read-only (no migration) */
} eic_store_options;
#define EIC_STORE_OPTIONS_VERSION 1
#define EIC_STORE_OPTIONS_INIT                                                                     \
	{                                                                                          \
		EIC_STORE_OPTIONS_VERSION, 1, 0                                                    \
	}

/** Summary of a stored cluster, for listing. Strings owned by the store until the next call. */
typedef struct {
	const char *id;
	const char *name;
	const char *country;
	size_t actor_count;
	size_t flow_count;
	size_t period_count;
	const char *imported_at; /**< UTC ISO 8601 */
} eic_store_summary;

/**
 * Open (and create or migrate) a database. Turns on foreign keys and WAL.
 * @return 0, EIC_ESTORE (message in eic_store_errmsg or, when out is NULL, not available),
 *         EIC_ESCHEMA when the file's schema is newer than this program.
 */
EIC_EXTERN int eic_store_open(eic_store **out, const char *path, const eic_store_options *opts);
EIC_EXTERN void eic_store_close(eic_store *store);
/** Last error message of this store ("" if none). */
EIC_EXTERN const char *eic_store_errmsg(const eic_store *store);
/** Schema version found in the file. */
EIC_EXTERN int eic_store_schema_version(int *out, eic_store *store);

/**
 * Store a cluster in one transaction. If a cluster with the same id exists it is an
 * EIC_EEXISTS error unless `replace` is set, in which case the old one is deleted in the
 * same transaction. On any failure the database is left exactly as it was.
 */
EIC_EXTERN int eic_store_import(eic_store *store, const eic_cluster *cluster, int replace);

/** Load a stored cluster. @return 0, EIC_ENOTFOUND, EIC_ESTORE, EIC_ENOMEM */
EIC_EXTERN int eic_store_load(eic_cluster **out, eic_store *store, const char *cluster_id);

/** Delete a stored cluster (one transaction). @return 0 or EIC_ENOTFOUND */
EIC_EXTERN int eic_store_delete(eic_store *store, const char *cluster_id);

/** List stored clusters ordered by id. *out is valid until the next call on the store. */
EIC_EXTERN int eic_store_list(const eic_store_summary **out, size_t *out_count, eic_store *store);

#ifdef __cplusplus
}
#endif
#endif
