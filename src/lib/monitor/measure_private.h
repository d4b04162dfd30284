/* measure_private.h: pieces shared by the measurement files (records, catalogue, CSV, store,
 * registries): a small CSV table reader over libcsv with cell locations. Private. */
#ifndef EIC_MEASURE_PRIVATE_H
#define EIC_MEASURE_PRIVATE_H

#include <eic/io.h>
#include <eic/measure.h>

#include "util/util.h"

/* Hard caps on outside input. */
#define EIC_MEASURE__MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)
#define EIC_MEASURE__MAX_FIELDS 256

/* One parsed row of a delimited table. cells[i] are NUL-terminated (libcsv trims blanks). */
typedef struct {
	const char *const *cells;
	int count;
	int line;      /* line on which the row starts */
	size_t offset; /* byte offset of the row start in the data */
	int too_many;  /* 1: more than EIC_MEASURE__MAX_FIELDS cells (the rest dropped) */
} eic_mtab_row;

/* Called for every row, header included; a negative return stops reading with that code. */
typedef int (*eic_mtab_row_fn)(void *ctx, const eic_mtab_row *row);

/* Syntax error found by libcsv (line 0: none). */
typedef struct {
	int line;
	int column;
	const char *what; /* static text */
} eic_mtab_syntax;

/*
 * Run libcsv (strict quoting) over `data` with delimiter `delim` and call `fn` for each
 * non-blank row in file order. A syntax error stops the reading and is described in *syntax
 * (the function still returns 0). Returns 0, EIC_ENOMEM or the callback's negative code.
 * O(size).
 */
int eic_measure__read_table(const char *data, size_t size, char delim, eic_mtab_row_fn fn,
                            void *ctx, eic_mtab_syntax *syntax);

/* Line and column (1-based, characters) of cell `field` of the row starting at `offset`. */
void eic_measure__locate(const char *data, size_t size, char delim, size_t offset, int field,
                         int *line, int *column);

/* Read a whole file (NUL-terminated, malloc'd) with the size cap. EIC_EIO when absent. */
int eic_measure__slurp(char **out, size_t *out_size, const char *path);

/* Header cell with a UTF-8 byte-order mark removed. */
const char *eic_measure__strip_bom(const char *cell);

/* Strict decimal parse of a registry number ("625000000.0", "1.5E3"); 0 or -1. */
int eic_measure__parse_number(double *out, const char *text);

/* ---- set internals used by the store and the importers ---- */

/* Set recorded_at of record i (copied into the set). 0 or EIC_ENOMEM. */
int eic_measure__set_recorded(eic_measure_set *set, size_t i, const char *when);
/* Largest numeric id among records [0, n). */
long eic_measure__max_id(const eic_measure_set *set, size_t n);
/* Drop records [n, count) again (used when a batch fails after some adds). On EIC_ENOMEM
 * the set is unusable and must be freed. */
int eic_measure__truncate(eic_measure_set *set, size_t n);

/* ---- store internals (measure_store.c); the caller holds the transaction ---- */
struct sqlite3;
/* Load every record of the cluster into the (empty) set, in id order. */
int eic_measure__load_rows(eic_measure_set *set, eic_store *store, long long cluster_pk);
/* Insert records [first, count) as one measurement_import row of `kind` ('csv', 'registry',
 * 'correction', 'api') from `origin`; sets their recorded_at. Checks that the stored ids end
 * where the set's first records end and that every actor exists. */
int eic_measure__insert(eic_store *store, long long cluster_pk, eic_measure_set *set, size_t first,
                        const char *kind, const char *origin);

#endif
