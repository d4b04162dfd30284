/* store.c: the SQLite store of clusters: open and migrate the schema, import a cluster in one
 * transaction, load it back record for record, list and delete. Schema: migrations.h. */
#include <eic/store.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "migrations.h"
#include "store_private.h"
#include "util/util.h"

#define MIGRATION_COUNT (sizeof(eic_store__migrations) / sizeof(eic_store__migrations[0]))
_Static_assert(sizeof(eic_store__migrations) / sizeof(eic_store__migrations[0]) ==
                   EIC_STORE_SCHEMA_VERSION,
               "one migration script per schema version");

/* Page cache per connection, in KiB (negative cache_size). Large enough that the flow
 * indexes of a 10^6-flow import stay in memory; SQLite allocates it only as pages are used. */
#define STORE_CACHE_KIB 262144
#define STORE_BUSY_TIMEOUT_MS 5000

/* A bulk import drops the flow indexes and builds them again once the rows are in (a sorted
 * build is several times faster than 10^6 random index inserts) when it brings at least this
 * many flows and at least half as many as the flow table already holds: the rebuild costs
 * O(all flows of all clusters). Measured figures: docs/methods/store.md. */

struct eic_store {
	sqlite3 *db; /* NULL when the open failed: only errmsg and close are then useful */
	int readonly;
	char errmsg[512];
	/* results of the last eic_store_list */
	eic_arena list_arena;
	eic_store_summary *list;
	size_t list_count;
};

/* ---- errors ---- */

static void set_msg(eic_store *s, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void set_msg(eic_store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
}

/* Map an SQLite result code to an eic error code. */
static int code_of(int rc)
{
	return (rc & 0xff) == SQLITE_NOMEM ? EIC_ENOMEM : EIC_ESTORE;
}

/* Record "what: <sqlite message>" for a failed call and return the eic code. */
static int db_fail(eic_store *s, int rc, const char *what)
{
	const char *detail = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	set_msg(s, "%s: %s", what, detail);
	return code_of(rc);
}

static int exec(eic_store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(s, rc, what);
}

static int prepare(eic_store *s, sqlite3_stmt **out, const char *sql)
{
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(s, rc, "cannot prepare statement");
}

/* Roll back the open transaction, if any, keeping the first error message. */
static void rollback(eic_store *s)
{
	if (s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int check_usable(eic_store *s, int write)
{
	if (!s->db) {
		set_msg(s, "the database is not open");
		return EIC_ESTORE;
	}
	if (write && s->readonly) {
		set_msg(s, "the database was opened read-only");
		return EIC_ESTORE;
	}
	s->errmsg[0] = '\0';
	return 0;
}

static int find_cluster(eic_store *s, const char *id, sqlite3_int64 *out_pk);

/* ---- private interface for other modules (store_private.h) ---- */

sqlite3 *eic_store__db(eic_store *store)
{
	return store ? store->db : NULL;
}

int eic_store__readonly(const eic_store *store)
{
	return store ? store->readonly : 1;
}

int eic_store__fail(eic_store *store, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(store->errmsg, sizeof(store->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

int eic_store__db_fail(eic_store *store, int rc, const char *what)
{
	return db_fail(store, rc, what);
}

int eic_store__check_usable(eic_store *store, int write)
{
	return check_usable(store, write);
}

int eic_store__exec(eic_store *store, const char *sql, const char *what)
{
	return exec(store, sql, what);
}

int eic_store__prepare(eic_store *store, sqlite3_stmt **out, const char *sql, const char *what)
{
	int rc = sqlite3_prepare_v2(store->db, sql, -1, out, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(store, rc, what);
}

int eic_store__find_cluster(eic_store *store, const char *id, sqlite3_int64 *out_pk)
{
	return find_cluster(store, id, out_pk);
}

/* ---- schema version and migrations ---- */

static int read_user_version(eic_store *s, int *out)
{
	sqlite3_stmt *st = NULL;
	int error = prepare(s, &st, "PRAGMA user_version");
	if (error < 0)
		return error;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		error = db_fail(s, rc, "cannot read the schema version");
	sqlite3_finalize(st);
	return error;
}

/*
 * Bring the schema from its current version to EIC_STORE_SCHEMA_VERSION in one IMMEDIATE
 * transaction: every missing script runs in order and is recorded in schema_migrations, then
 * user_version is set. Foreign keys are off while the scripts run (so a script may rebuild a
 * table, SQLite's documented procedure) and PRAGMA foreign_key_check must be empty before the
 * commit. The version is read again inside the transaction in case another process migrated
 * first. On failure nothing is changed.
 */
static int migrate(eic_store *s)
{
	sqlite3_stmt *rec = NULL;
	int version = 0, error;
	char sql[64];

	if ((error = exec(s, "PRAGMA foreign_keys=OFF", "cannot prepare the migration")) < 0)
		return error;
	if ((error = exec(s, "BEGIN IMMEDIATE", "cannot start the migration")) < 0)
		goto done;
	if ((error = read_user_version(s, &version)) < 0)
		goto done;
	if (version > EIC_STORE_SCHEMA_VERSION) {
		set_msg(s, "database schema version %d is newer than this program's (%d)", version,
		        EIC_STORE_SCHEMA_VERSION);
		error = EIC_ESCHEMA;
		goto done;
	}
	for (size_t i = 0; i < MIGRATION_COUNT; i++) {
		const eic_store__migration *m = &eic_store__migrations[i];
		if (m->version <= version)
			continue;
		int rc = sqlite3_exec(s->db, m->sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			set_msg(s, "migration to schema version %d failed: %s", m->version,
			        sqlite3_errmsg(s->db));
			error = code_of(rc);
			goto done;
		}
		if (!rec && (error = prepare(s, &rec,
		                             "INSERT INTO schema_migrations(version, description, "
		                             "applied_at) VALUES (?1, ?2, "
		                             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) < 0)
			goto done;
		sqlite3_bind_int(rec, 1, m->version);
		sqlite3_bind_text(rec, 2, m->description, -1, SQLITE_STATIC);
		rc = sqlite3_step(rec);
		sqlite3_reset(rec);
		if (rc != SQLITE_DONE) {
			error = db_fail(s, rc, "cannot record the migration");
			goto done;
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", EIC_STORE_SCHEMA_VERSION);
	if ((error = exec(s, sql, "cannot set the schema version")) < 0)
		goto done;
	{
		sqlite3_stmt *fk = NULL;
		if ((error = prepare(s, &fk, "PRAGMA foreign_key_check")) < 0)
			goto done;
		int rc = sqlite3_step(fk);
		if (rc == SQLITE_ROW) {
			set_msg(s, "migration left a foreign key violation in table %s",
			        (const char *)sqlite3_column_text(fk, 0));
			error = EIC_ESTORE;
		} else if (rc != SQLITE_DONE) {
			error = db_fail(s, rc, "cannot check foreign keys");
		}
		sqlite3_finalize(fk);
		if (error < 0)
			goto done;
	}
	error = exec(s, "COMMIT", "cannot commit the migration");
done:
	sqlite3_finalize(rec);
	if (error < 0)
		rollback(s);
	int rc = sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK && error == 0)
		error = db_fail(s, rc, "cannot turn on foreign keys");
	return error;
}

/* Connection settings: foreign keys, WAL, synchronous=NORMAL, cache, busy timeout. */
static int configure(eic_store *s)
{
	int error, rc;
	sqlite3_stmt *st = NULL;

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	if ((error = exec(s, "PRAGMA foreign_keys=ON", "cannot turn on foreign keys")) < 0)
		return error;
	if ((error = prepare(s, &st, "PRAGMA foreign_keys")) < 0)
		return error;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || sqlite3_column_int(st, 0) != 1) {
		sqlite3_finalize(st);
		set_msg(s, "this SQLite does not enforce foreign keys");
		return EIC_ESTORE;
	}
	sqlite3_finalize(st);
	if (!s->readonly) {
		if ((error = prepare(s, &st, "PRAGMA journal_mode=WAL")) < 0)
			return error;
		rc = sqlite3_step(st);
		const char *mode =
		    rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		/* In-memory and temporary databases keep "memory"; a real file must switch. */
		if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)) {
			if (rc == SQLITE_ROW)
				set_msg(s, "cannot switch the database to WAL mode (mode is %s)",
				        mode ? mode : "?");
			else
				db_fail(s, rc, "cannot switch the database to WAL mode");
			sqlite3_finalize(st);
			return code_of(rc == SQLITE_ROW ? SQLITE_ERROR : rc);
		}
		sqlite3_finalize(st);
		if ((error = exec(s, "PRAGMA synchronous=NORMAL", "cannot set synchronous")) < 0)
			return error;
	}
	char sql[64];
	/* EIC_STORE_CACHE_KIB lowers (or raises) the page cache for machines with little memory;
	 * a smaller cache makes a large import spill pages to the WAL before its commit. */
	long cache_kib = STORE_CACHE_KIB;
	const char *env = getenv("EIC_STORE_CACHE_KIB");
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);
		if (*end == '\0' && v >= 64 && v <= 64L * 1024 * 1024)
			cache_kib = v;
	}
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%ld", cache_kib);
	if ((error = exec(s, sql, "cannot set the cache size")) < 0)
		return error;
	/* Index builds after a bulk import sort in memory, on two threads where SQLite has them. */
	if ((error = exec(s, "PRAGMA temp_store=MEMORY", "cannot set temp_store")) < 0)
		return error;
	return exec(s, "PRAGMA threads=2", "cannot set threads");
}

/*
 * Open the database at `path` and bring its schema up to date. Like sqlite3_open, a handle is
 * handed back through `out` even when the open fails (unless memory ran out first), so that
 * the caller can read eic_store_errmsg; the caller always closes it.
 */
int eic_store_open(eic_store **out, const char *path, const eic_store_options *opts)
{
	eic_store_options o = EIC_STORE_OPTIONS_INIT;
	eic_store *s;
	int error = 0, version = 0, rc;

	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (opts) {
		if (opts->version == 0 || opts->version > EIC_STORE_OPTIONS_VERSION)
			return EIC_EINVAL;
		o = *opts;
	}
	if (!path)
		return EIC_EINVAL;
	if (!(s = eic_calloc(1, sizeof(*s))))
		return EIC_ENOMEM;
	eic_arena_init(&s->list_arena);
	s->readonly = o.readonly != 0;
	*out = s;

	int flags = s->readonly ? SQLITE_OPEN_READONLY
	                        : SQLITE_OPEN_READWRITE | (o.create ? SQLITE_OPEN_CREATE : 0);
#ifdef SQLITE_OPEN_EXRESCODE
	flags |= SQLITE_OPEN_EXRESCODE;
#endif
	rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		error = db_fail(s, rc, "cannot open the database");
		goto done;
	}
	if ((error = configure(s)) < 0)
		goto done;
	if ((error = read_user_version(s, &version)) < 0)
		goto done;
	if (version > EIC_STORE_SCHEMA_VERSION) {
		set_msg(s, "database schema version %d is newer than this program's (%d)", version,
		        EIC_STORE_SCHEMA_VERSION);
		error = EIC_ESCHEMA;
		goto done;
	}
	if (version < EIC_STORE_SCHEMA_VERSION) {
		if (s->readonly) {
			set_msg(
			    s,
			    "database schema version %d needs migrating to %d, which a read-only "
			    "open cannot do",
			    version, EIC_STORE_SCHEMA_VERSION);
			error = EIC_ESTORE;
			goto done;
		}
		if ((error = migrate(s)) < 0)
			goto done;
	}
	s->errmsg[0] = '\0';
done:
	if (error < 0 && s->db) {
		sqlite3_close_v2(s->db);
		s->db = NULL;
	}
	return error;
}

void eic_store_close(eic_store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	eic_arena_clear(&s->list_arena);
	eic_free(s->list);
	eic_free(s);
}

const char *eic_store_errmsg(const eic_store *s)
{
	return s ? s->errmsg : "";
}

int eic_store_schema_version(int *out, eic_store *s)
{
	if (!out || !s)
		return EIC_EINVAL;
	int error = check_usable(s, 0);
	return error < 0 ? error : read_user_version(s, out);
}

/* ---- names of enumerations as stored ---- */

/* Model name tables return "?" for a value out of range; the store binds NULL instead so
 * that the NOT NULL constraint rejects it. */
static const char *known(const char *name)
{
	return name && strcmp(name, "?") != 0 ? name : NULL;
}

static const char *const sector_scheme_names[] = {"isic4", "nace2"};
static const char *const origin_names[] = {"cluster", "default"};
static const char *const offer_type_names[] = {"have", "want"};
static const char *const direction_names[] = {"input", "output"};

static const char *name_in(const char *const *names, int count, int v)
{
	return v >= 0 && v < count ? names[v] : NULL;
}

static int index_in(const char *const *names, int count, const char *text)
{
	for (int i = 0; text && i < count; i++)
		if (strcmp(names[i], text) == 0)
			return i;
	return -1;
}

#define NAME_OF(table, v) name_in(table, (int)(sizeof(table) / sizeof(table[0])), (int)(v))
#define INDEX_OF(table, text) index_in(table, (int)(sizeof(table) / sizeof(table[0])), text)

/* ---- import ---- */

enum {
	ST_CLUSTER,
	ST_CLUSTER_UPDATE,
	ST_PERIOD,
	ST_ACTOR,
	ST_PROCESS,
	ST_NODE,
	ST_MATERIAL,
	ST_PROPERTY,
	ST_FLOW,
	ST_OFFER,
	ST_FACILITY,
	ST_LEVEL,
	ST_COEF,
	ST__N
};

static const char *const import_sql[ST__N] = {
    [ST_CLUSTER] = "INSERT INTO cluster(id, name, region, country, currency, description, "
                   "mass_unit, energy_unit, volume_unit, catalogue, sources, imported_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                   "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    [ST_CLUSTER_UPDATE] = "UPDATE cluster SET name = ?2, region = ?3, country = ?4, "
                          "currency = ?5, description = ?6, mass_unit = ?7, energy_unit = ?8, "
                          "volume_unit = ?9, catalogue = ?10, sources = ?11, "
                          "imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
    [ST_PERIOD] = "INSERT INTO period(cluster_pk, id, start_date, end_date, label) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_ACTOR] = "INSERT INTO actor(cluster_pk, id, kind, name, sector_scheme, sector, "
                 "employees, value_added, lat, lon, address, notes) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [ST_PROCESS] = "INSERT INTO process(cluster_pk, id, actor_pk, name, notes) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_NODE] = "INSERT INTO node(cluster_pk, ref, kind, process_pk, actor_pk, boundary) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_MATERIAL] = "INSERT INTO material(cluster_pk, id, name, category, ewc, hazardous, hs, "
                    "cpc, notes, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_PROPERTY] = "INSERT INTO material_property(cluster_pk, material_pk, name, value, unit, "
                    "source, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_FLOW] = "INSERT INTO flow(cluster_pk, id, from_node_pk, to_node_pk, material_pk, "
                "quantity, unit, period_pk, sd, rel_sd, quality, source, notes, amount_mass, "
                "amount_mass_via, amount_energy, amount_energy_via) VALUES (?1, ?2, ?3, ?4, "
                "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [ST_OFFER] = "INSERT INTO offer(cluster_pk, id, actor_pk, type, material_pk, quantity, "
                 "min_quantity, max_quantity, unit, quality, available_from, available_to, "
                 "price, price_unit, confidentiality, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                 "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    [ST_FACILITY] = "INSERT INTO facility(cluster_pk, id, name, technology, lat, lon, address, "
                    "capacity_unit, lifetime_yr, notes) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_LEVEL] = "INSERT INTO facility_level(cluster_pk, facility_pk, level, capacity, capex, "
                 "opex_per_yr) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_COEF] = "INSERT INTO facility_coef(cluster_pk, facility_pk, material_pk, direction, "
                "coefficient, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

/* State of one import. Maps go from a model id to the pk of the row inserted for it in this
 * transaction; keys are borrowed from the cluster (or from `boundary_ref`). */
typedef struct {
	eic_store *s;
	const eic_cluster *c;
	sqlite3_int64 cluster_pk;
	sqlite3_stmt *st[ST__N];
	eic_map periods, actors, nodes, materials, facilities;
	char boundary_ref[EIC_BOUNDARY__N][40];
	/* the last reference that did not resolve, for the error message */
	const char *miss_what;
	const char *miss_key;
	sqlite3_int64 keep_pk; /* replace: the existing cluster row, updated in place */
} import_ctx;

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Bind the pk that `key` maps to. An id that is not in the cluster is bound as NULL, which the
 * column's NOT NULL constraint rejects: the store does not validate references itself, the
 * database refuses the row and the import rolls back.
 */
static void bind_ref(import_ctx *x, sqlite3_stmt *st, int i, const eic_map *map, const char *what,
                     const char *key)
{
	size_t pk;
	if (key && eic_map_get(map, key, &pk)) {
		sqlite3_bind_int64(st, i, (sqlite3_int64)pk);
		return;
	}
	sqlite3_bind_null(st, i);
	x->miss_what = what;
	x->miss_key = key ? key : "";
}

/* Run one bound INSERT. On failure the message names the record (table, 1-based position,
 * id) and, when a reference did not resolve, which one. */
static int insert_row(import_ctx *x, int which, const char *table, size_t index, const char *id,
                      sqlite3_int64 *out_pk)
{
	sqlite3_stmt *st = x->st[which];
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		if (out_pk)
			*out_pk = sqlite3_last_insert_rowid(x->s->db);
		x->miss_what = NULL;
		return 0;
	}
	const eic_cluster_info *info = eic_cluster_info_get(x->c);
	char hint[200] = "";
	if (x->miss_what)
		snprintf(hint, sizeof(hint), " (%s '%s' is not in the cluster)", x->miss_what,
		         x->miss_key);
	set_msg(x->s, "cannot store cluster '%s': %s %zu%s%s%s: %s%s", info->id, table, index + 1,
	        id ? " '" : "", id ? id : "", id ? "'" : "", sqlite3_errmsg(x->s->db), hint);
	sqlite3_reset(st);
	return code_of(rc);
}

static int map_put(import_ctx *x, eic_map *map, const char *key, sqlite3_int64 pk)
{
	if (eic_map_put(map, key, (size_t)pk) < 0) {
		set_msg(x->s, "out of memory while storing cluster '%s'",
		        eic_cluster_info_get(x->c)->id);
		return EIC_ENOMEM;
	}
	/* A duplicate key was already refused by a UNIQUE constraint. */
	return 0;
}

static int import_info(import_ctx *x)
{
	const eic_cluster_info *in = eic_cluster_info_get(x->c);
	sqlite3_stmt *st = x->st[x->keep_pk ? ST_CLUSTER_UPDATE : ST_CLUSTER];
	bind_text(st, 1, in->id);
	eic_store__bind_opt(st, 2, in->name);
	eic_store__bind_opt(st, 3, in->region);
	eic_store__bind_opt(st, 4, in->country);
	eic_store__bind_opt(st, 5, in->currency);
	eic_store__bind_opt(st, 6, in->description);
	eic_store__bind_opt(st, 7, in->mass_unit);
	eic_store__bind_opt(st, 8, in->energy_unit);
	eic_store__bind_opt(st, 9, in->volume_unit);
	eic_store__bind_opt(st, 10, in->catalogue);
	eic_store__bind_opt(st, 11, in->sources);
	if (x->keep_pk) {
		int error = insert_row(x, ST_CLUSTER_UPDATE, "cluster", 0, in->id, NULL);
		x->cluster_pk = x->keep_pk;
		return error;
	}
	return insert_row(x, ST_CLUSTER, "cluster", 0, in->id, &x->cluster_pk);
}

static int import_periods(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_PERIOD];
	size_t n = eic_cluster_period_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_period *r = eic_cluster_period(x->c, i);
		sqlite3_int64 pk;
		int error;
		bind_text(st, 2, r->id);
		eic_store__bind_opt(st, 3, r->start);
		eic_store__bind_opt(st, 4, r->end);
		eic_store__bind_opt(st, 5, r->label);
		if ((error = insert_row(x, ST_PERIOD, "period", i, r->id, &pk)) < 0 ||
		    (error = map_put(x, &x->periods, r->id, pk)) < 0)
			return error;
	}
	return 0;
}

/* One node row: kind "actor" or "process" with its pk, or "boundary" with its name. */
static int import_node(import_ctx *x, const char *ref, const char *kind, sqlite3_int64 process_pk,
                       sqlite3_int64 actor_pk, const char *boundary, size_t index)
{
	sqlite3_stmt *st = x->st[ST_NODE];
	sqlite3_int64 pk;
	int error;
	bind_text(st, 2, ref);
	bind_text(st, 3, kind);
	if (process_pk > 0)
		sqlite3_bind_int64(st, 4, process_pk);
	else
		sqlite3_bind_null(st, 4);
	if (actor_pk > 0)
		sqlite3_bind_int64(st, 5, actor_pk);
	else
		sqlite3_bind_null(st, 5);
	bind_text(st, 6, boundary);
	if ((error = insert_row(x, ST_NODE, "node", index, ref, &pk)) < 0)
		return error;
	return map_put(x, &x->nodes, ref, pk);
}

static int import_actors(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_ACTOR];
	size_t n = eic_cluster_actor_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_actor *r = eic_cluster_actor(x->c, i);
		sqlite3_int64 pk;
		int error;
		bind_text(st, 2, r->id);
		bind_text(st, 3, known(eic_actor_kind_name(r->kind)));
		eic_store__bind_opt(st, 4, r->name);
		bind_text(st, 5, NAME_OF(sector_scheme_names, r->sector_scheme));
		eic_store__bind_opt(st, 6, r->sector);
		if (r->employees >= 0)
			sqlite3_bind_int64(st, 7, (sqlite3_int64)r->employees);
		else
			sqlite3_bind_null(st, 7);
		eic_store__bind_real(st, 8, r->value_added);
		eic_store__bind_real(st, 9, r->lat);
		eic_store__bind_real(st, 10, r->lon);
		eic_store__bind_opt(st, 11, r->address);
		eic_store__bind_opt(st, 12, r->notes);
		if ((error = insert_row(x, ST_ACTOR, "actor", i, r->id, &pk)) < 0 ||
		    (error = map_put(x, &x->actors, r->id, pk)) < 0 ||
		    (error = import_node(x, r->id, "actor", 0, pk, NULL, i)) < 0)
			return error;
	}
	return 0;
}

static int import_processes(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_PROCESS];
	size_t n = eic_cluster_process_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_process *r = eic_cluster_process(x->c, i);
		sqlite3_int64 pk;
		int error;
		bind_text(st, 2, r->id);
		bind_ref(x, st, 3, &x->actors, "actor", r->actor);
		eic_store__bind_opt(st, 4, r->name);
		eic_store__bind_opt(st, 5, r->notes);
		if ((error = insert_row(x, ST_PROCESS, "process", i, r->id, &pk)) < 0 ||
		    (error = import_node(x, r->id, "process", pk, 0, NULL, i)) < 0)
			return error;
	}
	return 0;
}

/* Every boundary kind gets a node, whether or not a flow uses it. */
static int import_boundaries(import_ctx *x)
{
	for (int k = 0; k < EIC_BOUNDARY__N; k++) {
		const char *name = eic_boundary_kind_name((eic_boundary_kind)k);
		int error;
		snprintf(x->boundary_ref[k], sizeof(x->boundary_ref[k]), "boundary:%s", name);
		if ((error =
		         import_node(x, x->boundary_ref[k], "boundary", 0, 0, name, (size_t)k)) < 0)
			return error;
	}
	return 0;
}

static int import_materials(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_MATERIAL];
	size_t n = eic_cluster_material_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_material *r = eic_cluster_material(x->c, i);
		sqlite3_int64 pk;
		int error;
		bind_text(st, 2, r->id);
		eic_store__bind_opt(st, 3, r->name);
		eic_store__bind_opt(st, 4, r->category);
		eic_store__bind_opt(st, 5, r->ewc);
		sqlite3_bind_int(st, 6, r->hazardous);
		eic_store__bind_opt(st, 7, r->hs);
		eic_store__bind_opt(st, 8, r->cpc);
		eic_store__bind_opt(st, 9, r->notes);
		bind_text(st, 10, NAME_OF(origin_names, r->origin));
		if ((error = insert_row(x, ST_MATERIAL, "material", i, r->id, &pk)) < 0 ||
		    (error = map_put(x, &x->materials, r->id, pk)) < 0)
			return error;
	}
	return 0;
}

static int import_properties(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_PROPERTY];
	size_t n = eic_cluster_property_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_property *r = eic_cluster_property(x->c, i);
		int error;
		bind_ref(x, st, 2, &x->materials, "material", r->material);
		bind_text(st, 3, r->name);
		eic_store__bind_real(st, 4, r->value);
		eic_store__bind_opt(st, 5, r->unit);
		eic_store__bind_opt(st, 6, r->source);
		bind_text(st, 7, NAME_OF(origin_names, r->origin));
		if ((error = insert_row(x, ST_PROPERTY, "material property", i, r->name, NULL)) < 0)
			return error;
	}
	return 0;
}

/* Flows: the hot loop of a large import. No allocation per row: text is bound in place
 * (SQLITE_STATIC, the cluster outlives the statement step), references come from the maps. */
/* Insert the flows. Flow ids are unique within a cluster: checked here with an in-memory map
 * (one probe per flow) instead of a UNIQUE index, whose sorted build on text ids cost more
 * than every other flow index on a 10^6-flow import. */
static int import_flows(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_FLOW];
	const eic_cluster_info *info = eic_cluster_info_get(x->c);
	size_t n = eic_cluster_flow_count(x->c);
	eic_map ids;
	int error = 0;
	eic_map_init(&ids);
	if (eic_map_reserve(&ids, n) < 0) {
		set_msg(x->s, "cannot store cluster '%s': out of memory", info->id);
		return EIC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const eic_flow *r = eic_cluster_flow(x->c, i);
		const char *via = NULL;
		double amount;
		int seen = eic_map_put(&ids, r->id, i);
		if (seen != 0) {
			if (seen < 0) {
				set_msg(x->s, "cannot store cluster '%s': out of memory", info->id);
				error = EIC_ENOMEM;
			} else {
				set_msg(x->s,
				        "cannot store cluster '%s': flow id '%s' is used more than "
				        "once",
				        info->id, r->id);
				error = EIC_ESTORE;
			}
			break;
		}
		bind_text(st, 2, r->id);
		bind_ref(x, st, 3, &x->nodes, "node", r->from);
		bind_ref(x, st, 4, &x->nodes, "node", r->to);
		bind_ref(x, st, 5, &x->materials, "material", r->material);
		eic_store__bind_real(st, 6, r->quantity);
		eic_store__bind_opt(st, 7, r->unit);
		bind_ref(x, st, 8, &x->periods, "period", r->period);
		eic_store__bind_real(st, 9, r->sd);
		eic_store__bind_real(st, 10, r->rel_sd);
		bind_text(st, 11, known(eic_data_quality_name(r->quality)));
		eic_store__bind_opt(st, 12, r->source);
		eic_store__bind_opt(st, 13, r->notes);
		if (eic_flow_amount(&amount, &via, x->c, r, info->mass_unit) == 0) {
			eic_store__bind_real(st, 14, amount);
			eic_store__bind_opt(st, 15, via);
		} else {
			sqlite3_bind_null(st, 14);
			sqlite3_bind_null(st, 15);
		}
		if (eic_flow_amount(&amount, &via, x->c, r, info->energy_unit) == 0) {
			eic_store__bind_real(st, 16, amount);
			eic_store__bind_opt(st, 17, via);
		} else {
			sqlite3_bind_null(st, 16);
			sqlite3_bind_null(st, 17);
		}
		if ((error = insert_row(x, ST_FLOW, "flow", i, r->id, NULL)) < 0)
			break;
	}
	eic_map_free(&ids);
	return error;
}

static int import_offers(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_OFFER];
	size_t n = eic_cluster_offer_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_offer *r = eic_cluster_offer(x->c, i);
		int error;
		bind_text(st, 2, r->id);
		bind_ref(x, st, 3, &x->actors, "actor", r->actor);
		bind_text(st, 4, NAME_OF(offer_type_names, r->type));
		bind_ref(x, st, 5, &x->materials, "material", r->material);
		eic_store__bind_real(st, 6, r->quantity);
		eic_store__bind_real(st, 7, r->min_quantity);
		eic_store__bind_real(st, 8, r->max_quantity);
		eic_store__bind_opt(st, 9, r->unit);
		eic_store__bind_opt(st, 10, r->quality);
		eic_store__bind_opt(st, 11, r->available_from);
		eic_store__bind_opt(st, 12, r->available_to);
		eic_store__bind_real(st, 13, r->price);
		eic_store__bind_opt(st, 14, r->price_unit);
		bind_text(st, 15, known(eic_confidentiality_name(r->confidentiality)));
		eic_store__bind_opt(st, 16, r->notes);
		if ((error = insert_row(x, ST_OFFER, "offer", i, r->id, NULL)) < 0)
			return error;
	}
	return 0;
}

static int import_facilities(import_ctx *x)
{
	sqlite3_stmt *st = x->st[ST_FACILITY];
	size_t n = eic_cluster_facility_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_facility *r = eic_cluster_facility(x->c, i);
		sqlite3_int64 pk;
		int error;
		bind_text(st, 2, r->id);
		eic_store__bind_opt(st, 3, r->name);
		eic_store__bind_opt(st, 4, r->technology);
		eic_store__bind_real(st, 5, r->lat);
		eic_store__bind_real(st, 6, r->lon);
		eic_store__bind_opt(st, 7, r->address);
		eic_store__bind_opt(st, 8, r->capacity_unit);
		eic_store__bind_real(st, 9, r->lifetime_yr);
		eic_store__bind_opt(st, 10, r->notes);
		if ((error = insert_row(x, ST_FACILITY, "facility", i, r->id, &pk)) < 0 ||
		    (error = map_put(x, &x->facilities, r->id, pk)) < 0)
			return error;
	}
	st = x->st[ST_LEVEL];
	n = eic_cluster_facility_level_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_facility_level *r = eic_cluster_facility_level(x->c, i);
		int error;
		bind_ref(x, st, 2, &x->facilities, "facility", r->facility);
		bind_text(st, 3, r->level);
		eic_store__bind_real(st, 4, r->capacity);
		eic_store__bind_real(st, 5, r->capex);
		eic_store__bind_real(st, 6, r->opex_per_yr);
		if ((error = insert_row(x, ST_LEVEL, "facility level", i, r->level, NULL)) < 0)
			return error;
	}
	st = x->st[ST_COEF];
	n = eic_cluster_facility_coef_count(x->c);
	for (size_t i = 0; i < n; i++) {
		const eic_facility_coef *r = eic_cluster_facility_coef(x->c, i);
		int error;
		bind_ref(x, st, 2, &x->facilities, "facility", r->facility);
		bind_ref(x, st, 3, &x->materials, "material", r->material);
		bind_text(st, 4, NAME_OF(direction_names, r->direction));
		eic_store__bind_real(st, 5, r->coefficient);
		eic_store__bind_opt(st, 6, r->unit);
		if ((error = insert_row(x, ST_COEF, "facility coefficient", i, r->material, NULL)) <
		    0)
			return error;
	}
	return 0;
}

/* Look up a stored cluster's pk by id: 1 found, 0 absent, or a negative error. */
static int find_cluster(eic_store *s, const char *id, sqlite3_int64 *out_pk)
{
	sqlite3_stmt *st = NULL;
	int error = prepare(s, &st, "SELECT pk FROM cluster WHERE id = ?1");
	if (error < 0)
		return error;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out_pk = sqlite3_column_int64(st, 0);
		error = 1;
	} else if (rc == SQLITE_DONE) {
		error = 0;
	} else {
		error = db_fail(s, rc, "cannot look up the cluster");
	}
	sqlite3_finalize(st);
	return error;
}

static int exec_pk(eic_store *s, const char *sql, sqlite3_int64 pk, const char *what)
{
	sqlite3_stmt *st = NULL;
	int error = prepare(s, &st, sql);
	if (error < 0)
		return error;
	sqlite3_bind_int64(st, 1, pk);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		error = db_fail(s, rc, what);
	sqlite3_finalize(st);
	return error;
}

/*
 * Delete the model rows of cluster `pk` (everything an import writes except the cluster row
 * itself); the caller holds a write transaction with foreign-key enforcement off (see
 * store_begin). Each table is emptied of the cluster's rows explicitly, children before
 * parents, so nothing relies on ON DELETE CASCADE and no child table needs an index per
 * parent reference. Rows never refer across clusters, so the database is consistent again
 * once every table is done. Records kept beside the model (tracked synergies, measurements)
 * refer to actors and materials by text id and are left alone: a replacing import keeps them.
 */
static int delete_model_rows(eic_store *s, sqlite3_int64 pk)
{
	static const char *const tables[] = {
	    "flow", "offer",   "facility_coef", "facility_level", "facility", "material_property",
	    "node", "process", "actor",         "material",       "period"};
	char sql[96];
	int error;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE cluster_pk = ?1", tables[i]);
		if ((error = exec_pk(s, sql, pk, "cannot delete the cluster's rows")) < 0)
			return error;
	}
	return 0;
}

/* Delete cluster `pk` with its model rows; the triggers of later schema versions delete the
 * records kept beside it (synergies, measurements) with the cluster row. */
static int delete_cluster_pk(eic_store *s, sqlite3_int64 pk)
{
	int error = delete_model_rows(s, pk);
	if (error < 0)
		return error;
	return exec_pk(s, "DELETE FROM cluster WHERE pk = ?1", pk, "cannot delete the cluster");
}

/*
 * Start a write transaction with foreign-key enforcement off. The store's own writes keep
 * every reference consistent by construction: an import binds each reference column from the
 * pk of a row inserted in the same transaction (or NULL, which NOT NULL refuses), and a
 * delete removes all of a cluster's rows. The checks could never fail, and each costs a
 * B-tree seek per reference (a quarter of a 10^6-flow import), or an index per child column
 * to delete parents. PRAGMA foreign_keys cannot change inside a transaction, so it is set
 * before BEGIN and set back by store_end. The declarations stay in the schema and are
 * enforced for any other writer of the file.
 */
static int store_begin(eic_store *s, const char *what)
{
	int error;
	if ((error = exec(s, "PRAGMA foreign_keys=OFF", what)) < 0)
		return error;
	if ((error = exec(s, "BEGIN IMMEDIATE", what)) < 0)
		sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	return error;
}

/* Commit (error == 0) or roll back, then turn foreign keys back on. */
static int store_end(eic_store *s, int error, const char *what)
{
	if (error == 0)
		error = exec(s, "COMMIT", what);
	if (error < 0)
		rollback(s);
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK &&
	    error == 0) {
		set_msg(s, "cannot turn foreign keys back on: %s", sqlite3_errmsg(s->db));
		error = EIC_ESTORE;
	}
	return error;
}

/*
 * Store a whole cluster in one IMMEDIATE transaction (taken up front, so a concurrent writer
 * makes us wait up to the busy timeout rather than fail half way). The rows go in table by
 * table in the model's order, so rowids keep insertion order. Any failure rolls the
 * transaction back: the database is then exactly as before the call.
 * Cost: O(rows) statement steps plus O(rows) hash lookups; memory O(actors + processes +
 * materials + periods + facilities) for the id -> pk maps, nothing per flow.
 */
int eic_store_import(eic_store *s, const eic_cluster *c, int replace)
{
	import_ctx x;
	int error;

	if (!s || !c)
		return EIC_EINVAL;
	if ((error = check_usable(s, 1)) < 0)
		return error;
	const eic_cluster_info *info = eic_cluster_info_get(c);
	if (!info || eic_str_empty(info->id)) {
		set_msg(s, "the cluster has no id");
		return EIC_EINVAL;
	}
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.c = c;
	eic_map_init(&x.periods);
	eic_map_init(&x.actors);
	eic_map_init(&x.nodes);
	eic_map_init(&x.materials);
	eic_map_init(&x.facilities);

	sqlite3_int64 old_pk = 0;
	int began = 0;
	for (int i = 0; i < ST__N; i++)
		if ((error = prepare(s, &x.st[i], import_sql[i])) < 0)
			goto done;
	if ((error = store_begin(s, "cannot start the import")) < 0)
		goto done;
	began = 1;
	if ((error = find_cluster(s, info->id, &old_pk)) < 0)
		goto done;
	if (error == 1) {
		if (!replace) {
			set_msg(s, "cluster '%s' is already stored (use replace to overwrite it)",
			        info->id);
			error = EIC_EEXISTS;
			goto done;
		}
		/* The cluster row stays (same pk, fields updated) so that the records kept
		 * beside the model survive a model update. */
		if ((error = delete_model_rows(s, old_pk)) < 0)
			goto done;
		x.keep_pk = old_pk;
	}
	if ((error = import_info(&x)) < 0)
		goto done;
	/* ?1 of every row statement is the cluster's pk; it stays bound across steps. */
	for (int i = ST_PERIOD; i < ST__N; i++)
		sqlite3_bind_int64(x.st[i], 1, x.cluster_pk);
	if ((error = import_periods(&x)) < 0 || (error = import_actors(&x)) < 0 ||
	    (error = import_processes(&x)) < 0 || (error = import_boundaries(&x)) < 0 ||
	    (error = import_materials(&x)) < 0 || (error = import_properties(&x)) < 0 ||
	    (error = import_flows(&x)) < 0 || (error = import_offers(&x)) < 0 ||
	    (error = import_facilities(&x)) < 0)
		goto done;
done:
	for (int i = 0; i < ST__N; i++)
		sqlite3_finalize(x.st[i]);
	if (began)
		error = store_end(s, error, "cannot commit the import");
	eic_map_free(&x.periods);
	eic_map_free(&x.actors);
	eic_map_free(&x.nodes);
	eic_map_free(&x.materials);
	eic_map_free(&x.facilities);
	return error;
}

/* ---- load ---- */

/* Text column: NULL stays NULL (the model turns it into ""). */
static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

typedef struct {
	eic_store *s;
	eic_cluster *c;
	const char *cluster_id;
	sqlite3_int64 cluster_pk;
} load_ctx;

/* Prepare a SELECT with ?1 bound to the cluster pk. */
static int load_query(load_ctx *l, sqlite3_stmt **out, const char *sql)
{
	int error = prepare(l->s, out, sql);
	if (error == 0)
		sqlite3_bind_int64(*out, 1, l->cluster_pk);
	return error;
}

/* Message for a value the model does not know (a corrupt or hand-edited database). */
static int corrupt(load_ctx *l, const char *table, const char *id, const char *column,
                   const char *value)
{
	set_msg(l->s, "cluster '%s': %s '%s' has an unknown %s '%s'", l->cluster_id, table,
	        id ? id : "", column, value ? value : "NULL");
	return EIC_ESTORE;
}

/* Adding a loaded record can fail for memory or because the database holds something the
 * model refuses (a duplicate, which the schema should have prevented). */
static int add_failed(load_ctx *l, int error, const char *table, const char *id)
{
	set_msg(l->s, "cluster '%s': cannot rebuild %s '%s': %s", l->cluster_id, table,
	        id ? id : "", eic_strerror(error));
	return error;
}

/* Step through a query; returns 1 on a row, 0 at the end, or a negative error. */
static int next_row(load_ctx *l, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(l->s, rc, "cannot read the cluster");
}

static int load_records(load_ctx *l)
{
	sqlite3_stmt *st = NULL;
	int error, more;

	/* periods */
	if ((error = load_query(l, &st,
	                        "SELECT id, start_date, end_date, label FROM period "
	                        "WHERE cluster_pk = ?1 ORDER BY pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_period r = {col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3)};
		if ((error = eic_cluster_add_period(l->c, &r)) < 0) {
			error = add_failed(l, error, "period", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* actors */
	if ((error = load_query(l, &st,
	                        "SELECT id, kind, name, sector_scheme, sector, employees, "
	                        "value_added, lat, lon, address, notes FROM actor "
	                        "WHERE cluster_pk = ?1 ORDER BY pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_actor r;
		memset(&r, 0, sizeof(r));
		r.id = col_text(st, 0);
		if (eic_actor_kind_parse(&r.kind, col_text(st, 1)) < 0) {
			error = corrupt(l, "actor", r.id, "kind", col_text(st, 1));
			goto done;
		}
		r.name = col_text(st, 2);
		int scheme = INDEX_OF(sector_scheme_names, col_text(st, 3));
		if (scheme < 0) {
			error = corrupt(l, "actor", r.id, "sector scheme", col_text(st, 3));
			goto done;
		}
		r.sector_scheme = (eic_sector_scheme)scheme;
		r.sector = col_text(st, 4);
		r.employees = sqlite3_column_type(st, 5) == SQLITE_NULL
		                  ? -1
		                  : (long)sqlite3_column_int64(st, 5);
		r.value_added = eic_store__col_real(st, 6);
		r.lat = eic_store__col_real(st, 7);
		r.lon = eic_store__col_real(st, 8);
		r.address = col_text(st, 9);
		r.notes = col_text(st, 10);
		if ((error = eic_cluster_add_actor(l->c, &r)) < 0) {
			error = add_failed(l, error, "actor", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* processes */
	if ((error = load_query(l, &st,
	                        "SELECT p.id, a.id, p.name, p.notes FROM process p "
	                        "CROSS JOIN actor a ON a.pk = p.actor_pk "
	                        "WHERE p.cluster_pk = ?1 ORDER BY p.pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_process r = {col_text(st, 0), col_text(st, 1), col_text(st, 2),
		                 col_text(st, 3)};
		if ((error = eic_cluster_add_process(l->c, &r)) < 0) {
			error = add_failed(l, error, "process", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* materials */
	if ((error = load_query(l, &st,
	                        "SELECT id, name, category, ewc, hazardous, hs, cpc, notes, origin "
	                        "FROM material WHERE cluster_pk = ?1 ORDER BY pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_material r;
		memset(&r, 0, sizeof(r));
		r.id = col_text(st, 0);
		r.name = col_text(st, 1);
		r.category = col_text(st, 2);
		r.ewc = col_text(st, 3);
		r.hazardous = sqlite3_column_int(st, 4);
		r.hs = col_text(st, 5);
		r.cpc = col_text(st, 6);
		r.notes = col_text(st, 7);
		int origin = INDEX_OF(origin_names, col_text(st, 8));
		if (origin < 0) {
			error = corrupt(l, "material", r.id, "origin", col_text(st, 8));
			goto done;
		}
		r.origin = (eic_origin)origin;
		if ((error = eic_cluster_add_material(l->c, &r)) < 0) {
			error = add_failed(l, error, "material", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* material properties */
	if ((error = load_query(l, &st,
	                        "SELECT m.id, p.name, p.value, p.unit, p.source, p.origin "
	                        "FROM material_property p CROSS JOIN material m "
	                        "ON m.pk = p.material_pk WHERE p.cluster_pk = ?1 ORDER BY p.pk")) <
	    0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_property r;
		memset(&r, 0, sizeof(r));
		r.material = col_text(st, 0);
		r.name = col_text(st, 1);
		r.value = eic_store__col_real(st, 2);
		r.unit = col_text(st, 3);
		r.source = col_text(st, 4);
		int origin = INDEX_OF(origin_names, col_text(st, 5));
		if (origin < 0) {
			error = corrupt(l, "material property", r.name, "origin", col_text(st, 5));
			goto done;
		}
		r.origin = (eic_origin)origin;
		if ((error = eic_cluster_add_property(l->c, &r)) < 0) {
			error = add_failed(l, error, "material property", r.name);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* flows */
	if ((error = load_query(l, &st,
	                        "SELECT f.id, nf.ref, nt.ref, m.id, f.quantity, f.unit, pe.id, "
	                        "f.sd, f.rel_sd, f.quality, f.source, f.notes FROM flow f "
	                        "CROSS JOIN node nf ON nf.pk = f.from_node_pk "
	                        "CROSS JOIN node nt ON nt.pk = f.to_node_pk "
	                        "CROSS JOIN material m ON m.pk = f.material_pk "
	                        "CROSS JOIN period pe ON pe.pk = f.period_pk "
	                        "WHERE f.cluster_pk = ?1 ORDER BY f.pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_flow r;
		memset(&r, 0, sizeof(r));
		r.id = col_text(st, 0);
		r.from = col_text(st, 1);
		r.to = col_text(st, 2);
		r.material = col_text(st, 3);
		r.quantity = eic_store__col_real(st, 4);
		r.unit = col_text(st, 5);
		r.period = col_text(st, 6);
		r.sd = eic_store__col_real(st, 7);
		r.rel_sd = eic_store__col_real(st, 8);
		if (eic_data_quality_parse(&r.quality, col_text(st, 9)) < 0) {
			error = corrupt(l, "flow", r.id, "quality", col_text(st, 9));
			goto done;
		}
		r.source = col_text(st, 10);
		r.notes = col_text(st, 11);
		if ((error = eic_cluster_add_flow(l->c, &r)) < 0) {
			error = add_failed(l, error, "flow", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* offers */
	if ((error = load_query(l, &st,
	                        "SELECT o.id, a.id, o.type, m.id, o.quantity, o.min_quantity, "
	                        "o.max_quantity, o.unit, o.quality, o.available_from, "
	                        "o.available_to, o.price, o.price_unit, o.confidentiality, o.notes "
	                        "FROM offer o CROSS JOIN actor a ON a.pk = o.actor_pk "
	                        "CROSS JOIN material m ON m.pk = o.material_pk "
	                        "WHERE o.cluster_pk = ?1 ORDER BY o.pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_offer r;
		memset(&r, 0, sizeof(r));
		r.id = col_text(st, 0);
		r.actor = col_text(st, 1);
		int type = INDEX_OF(offer_type_names, col_text(st, 2));
		if (type < 0) {
			error = corrupt(l, "offer", r.id, "type", col_text(st, 2));
			goto done;
		}
		r.type = (eic_offer_type)type;
		r.material = col_text(st, 3);
		r.quantity = eic_store__col_real(st, 4);
		r.min_quantity = eic_store__col_real(st, 5);
		r.max_quantity = eic_store__col_real(st, 6);
		r.unit = col_text(st, 7);
		r.quality = col_text(st, 8);
		r.available_from = col_text(st, 9);
		r.available_to = col_text(st, 10);
		r.price = eic_store__col_real(st, 11);
		r.price_unit = col_text(st, 12);
		if (eic_confidentiality_parse(&r.confidentiality, col_text(st, 13)) < 0) {
			error = corrupt(l, "offer", r.id, "confidentiality", col_text(st, 13));
			goto done;
		}
		r.notes = col_text(st, 14);
		if ((error = eic_cluster_add_offer(l->c, &r)) < 0) {
			error = add_failed(l, error, "offer", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* facilities */
	if ((error = load_query(l, &st,
	                        "SELECT id, name, technology, lat, lon, address, capacity_unit, "
	                        "lifetime_yr, notes FROM facility WHERE cluster_pk = ?1 "
	                        "ORDER BY pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_facility r;
		memset(&r, 0, sizeof(r));
		r.id = col_text(st, 0);
		r.name = col_text(st, 1);
		r.technology = col_text(st, 2);
		r.lat = eic_store__col_real(st, 3);
		r.lon = eic_store__col_real(st, 4);
		r.address = col_text(st, 5);
		r.capacity_unit = col_text(st, 6);
		r.lifetime_yr = eic_store__col_real(st, 7);
		r.notes = col_text(st, 8);
		if ((error = eic_cluster_add_facility(l->c, &r)) < 0) {
			error = add_failed(l, error, "facility", r.id);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* facility levels */
	if ((error =
	         load_query(l, &st,
	                    "SELECT f.id, l.level, l.capacity, l.capex, l.opex_per_yr "
	                    "FROM facility_level l CROSS JOIN facility f ON f.pk = l.facility_pk "
	                    "WHERE l.cluster_pk = ?1 ORDER BY l.pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_facility_level r = {col_text(st, 0), col_text(st, 1),
		                        eic_store__col_real(st, 2), eic_store__col_real(st, 3),
		                        eic_store__col_real(st, 4)};
		if ((error = eic_cluster_add_facility_level(l->c, &r)) < 0) {
			error = add_failed(l, error, "facility level", r.level);
			goto done;
		}
	}
	if ((error = more) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	/* facility coefficients */
	if ((error =
	         load_query(l, &st,
	                    "SELECT f.id, m.id, c.direction, c.coefficient, c.unit "
	                    "FROM facility_coef c CROSS JOIN facility f ON f.pk = c.facility_pk "
	                    "CROSS JOIN material m ON m.pk = c.material_pk "
	                    "WHERE c.cluster_pk = ?1 ORDER BY c.pk")) < 0)
		goto done;
	while ((more = next_row(l, st)) == 1) {
		eic_facility_coef r;
		memset(&r, 0, sizeof(r));
		r.facility = col_text(st, 0);
		r.material = col_text(st, 1);
		int dir = INDEX_OF(direction_names, col_text(st, 2));
		if (dir < 0) {
			error = corrupt(l, "facility coefficient", r.material, "direction",
			                col_text(st, 2));
			goto done;
		}
		r.direction = (eic_direction)dir;
		r.coefficient = eic_store__col_real(st, 3);
		r.unit = col_text(st, 4);
		if ((error = eic_cluster_add_facility_coef(l->c, &r)) < 0) {
			error = add_failed(l, error, "facility coefficient", r.material);
			goto done;
		}
	}
	error = more < 0 ? more : 0;
done:
	sqlite3_finalize(st);
	return error;
}

/*
 * Rebuild a stored cluster: every record in the order it was imported (rowid order), NULL
 * back to NaN / -1 / "". Reads inside one transaction, so a concurrent import or delete is
 * either wholly visible or not at all. Memory: the cluster itself, nothing per row besides.
 */
int eic_store_load(eic_cluster **out, eic_store *s, const char *cluster_id)
{
	load_ctx l;
	sqlite3_stmt *st = NULL;
	eic_cluster *c = NULL;
	int error, rc;

	if (!out || !s || !cluster_id)
		return EIC_EINVAL;
	*out = NULL;
	if ((error = check_usable(s, 0)) < 0)
		return error;
	if ((error = exec(s, "BEGIN", "cannot start reading")) < 0)
		return error;
	if ((error = prepare(s, &st,
	                     "SELECT pk, id, name, region, country, currency, description, "
	                     "mass_unit, energy_unit, volume_unit, catalogue, sources "
	                     "FROM cluster WHERE id = ?1")) < 0)
		goto done;
	sqlite3_bind_text(st, 1, cluster_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		set_msg(s, "no cluster '%s' in the database", cluster_id);
		error = EIC_ENOTFOUND;
		goto done;
	}
	if (rc != SQLITE_ROW) {
		error = db_fail(s, rc, "cannot read the cluster");
		goto done;
	}
	if ((error = eic_cluster_new(&c)) < 0) {
		set_msg(s, "out of memory");
		goto done;
	}
	eic_cluster_info info = {col_text(st, 1),  col_text(st, 2), col_text(st, 3),
	                         col_text(st, 4),  col_text(st, 5), col_text(st, 6),
	                         col_text(st, 7),  col_text(st, 8), col_text(st, 9),
	                         col_text(st, 10), col_text(st, 11)};
	if ((error = eic_cluster_set_info(c, &info)) < 0) {
		set_msg(s, "out of memory");
		goto done;
	}
	l.s = s;
	l.c = c;
	l.cluster_id = cluster_id;
	l.cluster_pk = sqlite3_column_int64(st, 0);
	if ((error = load_records(&l)) < 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;
	error = exec(s, "COMMIT", "cannot finish reading");
done:
	sqlite3_finalize(st);
	rollback(s);
	if (error < 0) {
		eic_cluster_free(c);
		return error;
	}
	*out = c;
	return 0;
}

/* ---- delete and list ---- */

int eic_store_delete(eic_store *s, const char *cluster_id)
{
	sqlite3_int64 pk = 0;
	int error;

	if (!s || !cluster_id)
		return EIC_EINVAL;
	if ((error = check_usable(s, 1)) < 0)
		return error;
	if ((error = store_begin(s, "cannot start the delete")) < 0)
		return error;
	if ((error = find_cluster(s, cluster_id, &pk)) < 0)
		goto done;
	if (error == 0) {
		set_msg(s, "no cluster '%s' in the database", cluster_id);
		error = EIC_ENOTFOUND;
		goto done;
	}
	error = delete_cluster_pk(s, pk);
done:
	return store_end(s, error, "cannot commit the delete");
}

static const char *list_str(eic_store *s, const char *text, int *failed)
{
	char *p = eic_arena_strdup(&s->list_arena, text ? text : "");
	if (!p)
		*failed = 1;
	return p ? p : "";
}

/* Summaries ordered by id; counts come from the tables (index scans, O(rows) per cluster). */
int eic_store_list(const eic_store_summary **out, size_t *out_count, eic_store *s)
{
	sqlite3_stmt *st = NULL;
	eic_store_summary *items = NULL;
	size_t count = 0, cap = 0;
	int error, rc, failed = 0;

	if (!out || !out_count || !s)
		return EIC_EINVAL;
	*out = NULL;
	*out_count = 0;
	if ((error = check_usable(s, 0)) < 0)
		return error;
	eic_arena_clear(&s->list_arena);
	eic_free(s->list);
	s->list = NULL;
	s->list_count = 0;
	if ((error = prepare(s, &st,
	                     "SELECT c.id, c.name, c.country, "
	                     "(SELECT count(*) FROM actor WHERE cluster_pk = c.pk), "
	                     "(SELECT count(*) FROM flow WHERE cluster_pk = c.pk), "
	                     "(SELECT count(*) FROM period WHERE cluster_pk = c.pk), "
	                     "c.imported_at FROM cluster c ORDER BY c.id")) < 0)
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			eic_store_summary *n = eic_realloc(items, ncap * sizeof(*n));
			if (!n) {
				set_msg(s, "out of memory");
				error = EIC_ENOMEM;
				goto done;
			}
			items = n;
			cap = ncap;
		}
		eic_store_summary *r = &items[count++];
		r->id = list_str(s, col_text(st, 0), &failed);
		r->name = list_str(s, col_text(st, 1), &failed);
		r->country = list_str(s, col_text(st, 2), &failed);
		r->actor_count = (size_t)sqlite3_column_int64(st, 3);
		r->flow_count = (size_t)sqlite3_column_int64(st, 4);
		r->period_count = (size_t)sqlite3_column_int64(st, 5);
		r->imported_at = list_str(s, col_text(st, 6), &failed);
		if (failed) {
			set_msg(s, "out of memory");
			error = EIC_ENOMEM;
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		error = db_fail(s, rc, "cannot list the clusters");
		goto done;
	}
	s->list = items;
	s->list_count = count;
	items = NULL;
	*out = s->list;
	*out_count = s->list_count;
done:
	sqlite3_finalize(st);
	eic_free(items);
	if (error < 0)
		eic_arena_clear(&s->list_arena);
	return error;
}
