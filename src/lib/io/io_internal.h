/* io_internal.h: private pieces of the package reader and writer: the table schema shared by
 * the CSV and JSON forms, the CSV reader with cell locations, and the JSON value locator. */
#ifndef EIC_IO_INTERNAL_H
#define EIC_IO_INTERNAL_H

#include <eic/io.h>

#include "util/util.h"

/* ---- schema ---- */
typedef enum { COLT_STR = 0, COLT_NUM, COLT_INT } eic_coltype;

typedef struct {
	const char *name;
	int required;
	eic_coltype type; /* how JSON writes it */
} eic_column;

typedef enum {
	TBL_ACTORS = 0,
	TBL_PROCESSES,
	TBL_MATERIALS,
	TBL_PROPERTIES,
	TBL_FLOWS,
	TBL_OFFERS,
	TBL_FACILITIES,
	TBL_LEVELS,
	TBL_COEFS,
	TBL__N
} eic_table_id;

#define EIC_MAX_COLUMNS 24

typedef struct {
	const char *name; /* "actors": CSV file is name + ".csv", JSON key is name */
	const eic_column *columns;
	int column_count;
} eic_table;

const eic_table *eic_io__table(eic_table_id id);
int eic_io__table_find(eic_table_id *out, const char *name);

/* ---- one row being decoded: values per schema column and a way to locate them ---- */
typedef struct eic_rowsrc eic_rowsrc;
struct eic_rowsrc {
	const char *file;
	/* Locate schema column `col` (-1: the row itself) as line and column; 0 on success. */
	void (*locate)(const eic_rowsrc *src, int col, int *line, int *column);
	void *ctx;
	int row_line; /* line where the row starts */
	/* When set, every value lies inside [row_data, row_data + row_len): a decoder may copy
	 * the block into the cluster once instead of each string (CSV rows). */
	const char *row_data;
	size_t row_len;
};

/* Reader state shared by all tables of one package read. */
typedef struct eic_reader eic_reader;

/* Decode one row of table `t` (values[c] is NULL or "" when not given) into the cluster. */
int eic_io__decode_row(eic_reader *r, eic_table_id t, const char *const *values,
                       const eic_rowsrc *src);

/* ---- CSV ---- */
/* Parse a CSV table from memory; calls eic_io__decode_row for every data row. Reports
 * syntax and header problems to the reader's diags. Returns 0, EIC_ENOMEM. */
int eic_io__read_csv(eic_reader *r, eic_table_id t, const char *file, const char *data,
                     size_t size);

/* ---- JSON locator ---- */
typedef struct {
	const char *key; /* object key, or NULL for an array index */
	size_t index;
} eic_jstep;

typedef struct {
	const char *text;
	size_t len;
	/* caches for in-order lookups */
	size_t line_cache_off;
	int line_cache_line;
	size_t line_cache_linestart;
	/* resume point of the last array walk: container offset, element index, element offset */
	size_t arr_container, arr_index, arr_elem;
	int arr_valid;
} eic_jloc;

/* Find the value (want_key = 0) or the key (want_key = 1, last step must be a key) at the
 * path; when the path does not exist, the deepest existing container is located. */
void eic_io__jlocate(eic_jloc *loc, const eic_jstep *steps, int step_count, int want_key, int *line,
                     int *column);

/* How a JSON value is named in messages: "an object", "a string", "a number", "null" ... */
struct json_t;
const char *eic_io__json_type(const struct json_t *v);

/* ---- decoding JSON objects with located errors (json_decode.c) ---- */
#define EIC_JDEC_MAX_DEPTH 8

/* Where the decoder is: the document, the path of the object being decoded, the errors. */
typedef struct {
	eic_diags *diags; /* may be NULL: errors are only counted */
	const char *file;
	int have_text; /* 0: no document text, messages carry no position */
	eic_jloc loc;
	eic_jstep path[EIC_JDEC_MAX_DEPTH];
	int depth;
	int errors;
	int oom; /* a diagnostic (or a caller's copy) could not be allocated */
} eic_jdec;

void eic_io__jdec_error(eic_jdec *j, const char *key, long index, int want_key, const char *fmt,
                        ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Text of a value for "found ...": the number itself, the string quoted, or its type. */
const char *eic_io__jdec_found(char *buf, size_t size, const struct json_t *v);
/* A number (or a boolean) at obj[key]: 1 given and valid (stored in *dst), 0 absent (*dst
 * unchanged), -1 wrong type or outside [lo, hi] (error reported, `expect` says what fits). */
int eic_io__jdec_num(eic_jdec *j, struct json_t *obj, const char *key, double *dst, double lo,
                     double hi, const char *expect);
int eic_io__jdec_bool(eic_jdec *j, struct json_t *obj, const char *key, int *dst);

/* Parse `data` (`size` bytes, named `name` in messages) as a JSON document whose root must be
 * an object (duplicate keys refused). On failure append one located error to `diags` (when
 * not NULL): "malformed JSON ..." at jansson's line and column, or "wrong type for the
 * <what> (expected a JSON object; found ...)" at 1:1. @return 0 with *out the root (caller
 * decrefs), EIC_EINVALID. */
int eic_io__json_object_doc(struct json_t **out, eic_diags *diags, const char *name,
                            const char *data, size_t size, const char *what);

/* Start decoding the document text `data` of `size` bytes named `name`. */
void eic_io__jdec_init(eic_jdec *j, eic_diags *diags, const char *name, const char *data,
                       size_t size);

/* Outcome of a decode: EIC_ENOMEM when a diagnostic could not be kept, EIC_EINVALID when
 * errors were reported, else 0. */
int eic_io__jdec_status(const eic_jdec *j);

/* Read the whole file `path` into `out` (at most `limit` bytes, then EIC_ENOMEM). A file that
 * cannot be opened or read appends an error to `diags` (when not NULL): "cannot open the file
 * (expected a <what>)" or "cannot read the file". @return 0, EIC_EIO, EIC_ENOMEM. */
int eic_io__read_file(eic_buf *out, eic_diags *diags, const char *path, size_t limit,
                      const char *what);

/* Line and column (1-based, characters) of byte offset `off` in text. */
void eic_io__offset_to_linecol(const char *text, size_t off, size_t *cache_off, int *cache_line,
                               size_t *cache_linestart, int *line, int *column);

/* ---- reader ---- */
struct eic_reader {
	eic_cluster *cluster;
	eic_diags *diags;
	eic_read_options opts;
	eic_origin origin;  /* origin of records being read (catalogue or package) */
	int catalogue_pass; /* reading the shipped catalogue: existing ids are skipped */
	eic_map flow_ids;   /* flow ids seen (keys in the cluster arena) */
	eic_map offer_ids;
	eic_map level_ids;  /* "facility\x1flevel" */
	eic_map seen_nodes; /* actor/process ids from rows with errors, to avoid cascades */
	eic_map seen_materials;
	eic_map seen_facilities;
	eic_map actor_lines; /* actor id -> line in actors.csv (for warnings) */
	eic_map process_lines;
	eic_arena scratch; /* keys for the maps above */
	const char *process_file;
	/* classifications */
	eic_map ewc;  /* code -> hazardous (0/1) */
	eic_map isic; /* code -> 1 */
	eic_map nace; /* normalised NACE code -> 1 */
	int have_ewc, have_isic, have_nace;
	eic_arena class_arena;
	eic_buf class_buf;
	int row_errors; /* errors in the row being decoded */
};

#endif
