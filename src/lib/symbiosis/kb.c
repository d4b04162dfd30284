/* kb.c: the synergy knowledge base: reads data/synergies.csv with libcsv, checks every row
 * against the EWC, ISIC and materials lists, and answers lookups by EWC, material and ISIC. */
#include <eic/io.h>
#include <eic/kb.h>

#include "util/util.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_BYTES ((size_t)64 << 20) /* a knowledge base is a small file */
#define MAX_FIELDS 64

struct eic_kb {
	eic_arena arena;  /* every string */
	eic_vec pathways; /* eic_kb_pathway */
	eic_map ids;      /* id -> index */
	eic_vec cat_keys; /* const char *: category paths of the catalogue (for prefix queries) */
	eic_map material_cat; /* material id -> index in cat_keys */
	int have_materials;
};

/* ---- reading a CSV file row by row, with where each row starts ---- */

typedef struct {
	const char *data;
	size_t size;
	const char *cells[MAX_FIELDS];
	size_t cell_count;
	int too_many;
	eic_buf blob; /* cell texts of the current row */
	size_t offs[MAX_FIELDS];
	int row_line;
	size_t row_offset;
	int row_in_progress;
	int failed;
	/* called for each complete row */
	int (*row)(void *ctx, const char *const *cells, size_t count, int line, size_t offset,
	           int too_many);
	void *ctx;
	int rc;
} table_reader;

static void tr_field(void *s, size_t len, void *p)
{
	table_reader *t = p;
	if (t->cell_count >= MAX_FIELDS) {
		t->too_many = 1;
		return;
	}
	t->offs[t->cell_count++] = t->blob.len;
	if (eic_buf_put(&t->blob, s ? s : "", s ? len : 0) < 0 || eic_buf_putc(&t->blob, '\0') < 0)
		t->failed = 1;
}

static void tr_row(int term, void *p)
{
	table_reader *t = p;
	(void)term;
	if (!t->failed && t->rc >= 0) {
		for (size_t i = 0; i < t->cell_count; i++)
			t->cells[i] = t->blob.data + t->offs[i];
		int rc = t->row(t->ctx, t->cells, t->cell_count, t->row_line, t->row_offset,
		                t->too_many);
		if (rc < 0)
			t->rc = rc;
	}
	eic_buf_clear(&t->blob);
	t->cell_count = 0;
	t->too_many = 0;
	t->row_in_progress = 0;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Line and column (1-based, in characters) of byte offset `off`. O(off). */
static void linecol(const char *d, size_t off, int *line, int *column)
{
	int ln = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++)
		if (d[i] == '\n') {
			ln++;
			start = i + 1;
		}
	int col = 1;
	for (size_t j = start; j < off; j++)
		if (((unsigned char)d[j] & 0xC0) != 0x80)
			col++;
	*line = ln;
	*column = col;
}

/* Byte offset of field `field` of the row starting at `off` (RFC 4180 scan). */
static size_t field_offset(const char *d, size_t size, size_t off, int field)
{
	int f = 0, quoted = 0;
	size_t i = off;
	while (i < size && f < field) {
		char c = d[i];
		if (quoted) {
			if (c == '"') {
				if (i + 1 < size && d[i + 1] == '"')
					i++;
				else
					quoted = 0;
			}
		} else if (c == '"') {
			quoted = 1;
		} else if (c == ',') {
			f++;
		} else if (c == '\n' || c == '\r') {
			break;
		}
		i++;
	}
	return i;
}

/* Parse `data` one physical line at a time so that the line where each row starts is known;
 * malformed CSV is reported at its position. Returns 0, EIC_ENOMEM or the row callback's
 * error; *syntax_error is set when parsing stopped on malformed input. O(size). */
static int read_table(table_reader *t, eic_diags *diags, const char *file, int *syntax_error)
{
	struct csv_parser parser;
	int line, column;
	*syntax_error = 0;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return EIC_ENOMEM;
	csv_set_realloc_func(&parser, eic_realloc);
	csv_set_free_func(&parser, eic_free);
	size_t off = 0;
	int ln = 1;
	while (off < t->size && !t->failed && t->rc >= 0) {
		const char *nl = memchr(t->data + off, '\n', t->size - off);
		size_t len = nl ? (size_t)(nl - (t->data + off)) + 1 : t->size - off;
		if (!t->row_in_progress && !blank(t->data + off, len)) {
			t->row_in_progress = 1;
			t->row_line = ln;
			t->row_offset = off;
		}
		size_t done = csv_parse(&parser, t->data + off, len, tr_field, tr_row, t);
		if (done != len) {
			if (csv_error(&parser) == CSV_ENOMEM) {
				t->failed = 1;
				goto done;
			}
			linecol(t->data, off + done, &line, &column);
			eic_diags_add(diags, EIC_SEV_ERROR, file, line, column,
			              "malformed CSV (expected RFC 4180 quoting: a quote only at "
			              "the start of a cell, doubled inside it; %s)",
			              csv_strerror(csv_error(&parser)));
			*syntax_error = 1;
			goto done;
		}
		off += len;
		ln++;
	}
	if (!t->failed && t->rc >= 0 && csv_fini(&parser, tr_field, tr_row, t) != 0) {
		if (csv_error(&parser) == CSV_ENOMEM) {
			t->failed = 1;
			goto done;
		}
		linecol(t->data, t->row_offset, &line, &column);
		eic_diags_add(diags, EIC_SEV_ERROR, file, line, column,
		              "malformed CSV (expected a closing quote before the end of the file; "
		              "found none)");
		*syntax_error = 1;
	}
done:
	csv_free(&parser);
	if (t->failed)
		return EIC_ENOMEM;
	return t->rc < 0 ? t->rc : 0;
}

/* Read a whole file into a NUL-terminated malloc'd buffer. */
static int slurp(char **out, size_t *out_size, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? EIC_ENOTFOUND : EIC_EIO;
	int rc = EIC_EIO;
	eic_buf b = EIC_BUF_INIT;
	b.cap_limit = MAX_FILE_BYTES;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (eic_buf_put(&b, chunk, n) < 0) {
			rc = EIC_ENOMEM;
			goto done;
		}
	}
	if (ferror(f))
		goto done;
	if (!b.data && eic_buf_puts(&b, "") < 0) {
		rc = EIC_ENOMEM;
		goto done;
	}
	*out_size = b.len;
	*out = eic_buf_detach(&b);
	rc = 0;
done:
	eic_buf_free(&b);
	fclose(f);
	return rc;
}

/* ---- reference lists: EWC and ISIC codes, materials and their categories ---- */

typedef struct {
	eic_kb *kb;       /* materials go into kb */
	eic_map *codes;   /* codes go here (keys in arena) */
	eic_arena *arena; /* for codes */
	const char *key_col, *cat_col;
	int key_idx, cat_idx;
	int header_done;
} list_ctx;

static int list_row(void *p, const char *const *cells, size_t count, int line, size_t offset,
                    int too_many)
{
	list_ctx *c = p;
	(void)line;
	(void)offset;
	(void)too_many;
	if (!c->header_done) {
		c->header_done = 1;
		for (size_t i = 0; i < count; i++) {
			if (strcmp(cells[i], c->key_col) == 0)
				c->key_idx = (int)i;
			if (c->cat_col && strcmp(cells[i], c->cat_col) == 0)
				c->cat_idx = (int)i;
		}
		return 0;
	}
	if (c->key_idx < 0 || (size_t)c->key_idx >= count || !cells[c->key_idx][0])
		return 0;
	char *key = eic_arena_strdup(c->arena, cells[c->key_idx]);
	if (!key)
		return EIC_ENOMEM;
	if (!c->cat_col)
		return eic_map_put(c->codes, key, 1) < 0 ? EIC_ENOMEM : 0;
	/* materials: id -> category, categories kept in a list for prefix queries */
	const char *cat = (c->cat_idx >= 0 && (size_t)c->cat_idx < count) ? cells[c->cat_idx] : "";
	char *cat_copy = eic_arena_strdup(c->arena, cat);
	if (!cat_copy || !eic_vec_push(&c->kb->cat_keys, &cat_copy))
		return EIC_ENOMEM;
	if (eic_map_put(&c->kb->material_cat, key, c->kb->cat_keys.len - 1) < 0)
		return EIC_ENOMEM;
	return 0;
}

/* Load one reference list; returns 1 loaded, 0 absent, <0 error. */
static int load_list(list_ctx *c, eic_diags *diags, const char *path)
{
	char *data = NULL;
	size_t size = 0;
	int rc = slurp(&data, &size, path);
	if (rc == EIC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	table_reader t;
	memset(&t, 0, sizeof(t));
	t.data = data;
	t.size = size;
	t.row = list_row;
	t.ctx = c;
	int syntax = 0;
	rc = read_table(&t, diags, path, &syntax);
	eic_buf_free(&t.blob);
	eic_free(data);
	if (rc < 0)
		return rc;
	return c->key_idx >= 0 ? 1 : 0;
}

/* ---- the knowledge base table ---- */

typedef enum {
	C_ID = 0,
	C_CATEGORY,
	C_SOURCE_EWC,
	C_SOURCE_MATERIAL,
	C_SOURCE_DESCRIPTION,
	C_USE_ISIC,
	C_REPLACES_MATERIAL,
	C_REPLACES,
	C_PRODUCT,
	C_TECHNOLOGY,
	C_YIELD_OUTPUT,
	C_YIELD_VALUE,
	C_YIELD_UNIT,
	C_YIELD2_OUTPUT,
	C_YIELD2_VALUE,
	C_YIELD2_UNIT,
	C_COST_LOW,
	C_COST_HIGH,
	C_COST_CURRENCY,
	C_COST_YEAR,
	C_COST_BASIS,
	C_HAZARDOUS,
	C_PERMIT_NOTES,
	C_EVIDENCE_TYPE,
	C_EVIDENCE,
	C_EVIDENCE_YEAR,
	C_EVIDENCE_URL,
	C_EVIDENCE_CHECKED,
	C_NOTES,
	C__N
} kb_col;

static const struct {
	const char *name;
	int required;
} COLUMNS[C__N] = {
    {"id", 1},
    {"category", 0},
    {"source_ewc", 1},
    {"source_material", 1},
    {"source_description", 0},
    {"use_isic", 1},
    {"replaces_material", 0},
    {"replaces", 0},
    {"product", 0},
    {"technology", 0},
    {"yield_output", 0},
    {"yield_value", 0},
    {"yield_unit", 0},
    {"yield2_output", 0},
    {"yield2_value", 0},
    {"yield2_unit", 0},
    {"cost_low", 0},
    {"cost_high", 0},
    {"cost_currency", 0},
    {"cost_year", 0},
    {"cost_basis", 0},
    {"hazardous", 0},
    {"permit_notes", 0},
    {"evidence_type", 1},
    {"evidence", 1},
    {"evidence_year", 0},
    {"evidence_url", 0},
    {"evidence_checked", 1},
    {"notes", 0},
};

typedef struct {
	eic_kb *kb;
	eic_diags *diags;
	const char *file;
	const char *data;
	size_t size;
	eic_map *ewc, *isic;
	int have_ewc, have_isic;
	int header_done, header_fatal;
	size_t header_count;
	int field_of_col[C__N];
	size_t row_offset;
	size_t errors;
	eic_map seen_ids; /* id -> line, for every row (with errors or not); keys in kb arena */
} kb_reader;

static void cell_pos(const kb_reader *r, kb_col col, int *line, int *column)
{
	int field = r->field_of_col[col] >= 0 ? r->field_of_col[col] : 0;
	size_t off = field_offset(r->data, r->size, r->row_offset, field);
	while (off < r->size && (r->data[off] == ' ' || r->data[off] == '\t'))
		off++;
	linecol(r->data, off, line, column);
}

/* Report an error at a cell of the current row (printf-style message). */
static void cell_error(kb_reader *r, kb_col col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void cell_error(kb_reader *r, kb_col col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int line, column;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cell_pos(r, col, &line, &column);
	eic_diags_add(r->diags, EIC_SEV_ERROR, r->file, line, column, "%s", msg);
	r->errors++;
}

static const char *cell(const kb_reader *r, const char *const *cells, kb_col col)
{
	int f = r->field_of_col[col];
	return f >= 0 ? cells[f] : "";
}

/* Copy a cell into the arena; "" gives NULL. Sets *failed on ENOMEM. */
static const char *keep(eic_kb *kb, const char *s, int *failed)
{
	if (!s || !*s)
		return NULL;
	char *c = eic_arena_strdup(&kb->arena, s);
	if (!c)
		*failed = 1;
	return c;
}

/* Parse an optional number cell: "" gives NaN. Reports and returns -1 when not a number, or
 * when negative and `nonneg` is set. */
static int number_cell(kb_reader *r, const char *const *cells, kb_col col, int nonneg, double *out)
{
	const char *s = cell(r, cells, col);
	*out = NAN;
	if (!*s)
		return 0;
	double v;
	if (eic_parse_double(&v, s) < 0) {
		cell_error(r, col, "not a number in %s (expected a decimal number; found '%s')",
		           COLUMNS[col].name, s);
		return -1;
	}
	if (nonneg && v < 0) {
		cell_error(r, col, "negative value in %s (expected a number >= 0; found %s)",
		           COLUMNS[col].name, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int year_cell(kb_reader *r, const char *const *cells, kb_col col, int *out)
{
	const char *s = cell(r, cells, col);
	long y;
	*out = 0;
	if (!*s)
		return 0;
	if (eic_parse_long(&y, s) < 0 || y < 1800 || y > 2100) {
		cell_error(r, col,
		           "invalid year in %s (expected a year from 1800 to 2100; found '%s')",
		           COLUMNS[col].name, s);
		return -1;
	}
	*out = (int)y;
	return 0;
}

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Is `p` a category path of the catalogue or a prefix of one at a '/' boundary? */
static int category_prefix_known(const eic_kb *kb, const char *p)
{
	size_t n = strlen(p);
	if (n == 0 || p[n - 1] == '/')
		return 0;
	for (size_t i = 0; i < kb->cat_keys.len; i++) {
		const char *c = *EIC_VEC_AT(&kb->cat_keys, const char *, i);
		if (strncmp(c, p, n) == 0 && (c[n] == '\0' || c[n] == '/'))
			return 1;
	}
	return 0;
}

static const char *material_category(const eic_kb *kb, const char *id)
{
	size_t idx;
	if (!eic_map_get(&kb->material_cat, id, &idx))
		return NULL;
	return *EIC_VEC_AT(&kb->cat_keys, const char *, idx);
}

static void header(kb_reader *r, const char *const *cells, size_t count, int line)
{
	int ln, col;
	r->header_count = count;
	for (size_t f = 0; f < count; f++) {
		const char *name = cells[f];
		if (f == 0 && (unsigned char)name[0] == 0xEF && (unsigned char)name[1] == 0xBB &&
		    (unsigned char)name[2] == 0xBF)
			name += 3;
		int found = -1;
		for (int c = 0; c < C__N; c++)
			if (strcmp(COLUMNS[c].name, name) == 0)
				found = c;
		linecol(r->data, field_offset(r->data, r->size, r->row_offset, (int)f), &ln, &col);
		if (found < 0) {
			eic_diags_add(r->diags, EIC_SEV_WARNING, r->file, ln, col,
			              "unknown column '%s' ignored (expected a column of "
			              "data/synergies.md)",
			              name);
		} else if (r->field_of_col[found] >= 0) {
			eic_diags_add(
			    r->diags, EIC_SEV_ERROR, r->file, ln, col,
			    "duplicate column in header (expected each column once; found "
			    "'%s' again)",
			    name);
			r->errors++;
			r->header_fatal = 1;
		} else {
			r->field_of_col[found] = (int)f;
		}
	}
	for (int c = 0; c < C__N; c++) {
		if (COLUMNS[c].required && r->field_of_col[c] < 0) {
			eic_diags_add(
			    r->diags, EIC_SEV_ERROR, r->file, line, 1,
			    "missing required column '%s' in header (expected it among the "
			    "columns of synergies.csv)",
			    COLUMNS[c].name);
			r->errors++;
			r->header_fatal = 1;
		}
	}
}

/* Check and store one data row. Errors are reported and counted; the row is not stored when
 * it has any. Returns 0 or EIC_ENOMEM. */
static int data_row(kb_reader *r, const char *const *cells)
{
	eic_kb *kb = r->kb;
	size_t errors_before = r->errors;
	int failed = 0;
	eic_kb_pathway p;
	memset(&p, 0, sizeof(p));

	const char *id = cell(r, cells, C_ID);
	size_t first_line;
	int row_line, row_col;
	linecol(r->data, r->row_offset, &row_line, &row_col);
	if (!*id) {
		cell_error(r, C_ID, "empty id (expected a unique pathway id; found nothing)");
	} else if (eic_map_get(&r->seen_ids, id, &first_line)) {
		cell_error(r, C_ID,
		           "duplicate id (expected each id once; found '%s' again, first "
		           "on line %zu)",
		           id, first_line);
	} else {
		char *key = eic_arena_strdup(&kb->arena, id);
		if (!key || eic_map_put(&r->seen_ids, key, (size_t)row_line) < 0)
			return EIC_ENOMEM;
	}

	const char *ewc = cell(r, cells, C_SOURCE_EWC);
	if (*ewc) {
		if (!all_digits(ewc, 6, 6))
			cell_error(r, C_SOURCE_EWC,
			           "malformed EWC code in source_ewc (expected 6 digits without "
			           "spaces, e.g. 020106; found '%s')",
			           ewc);
		else if (r->have_ewc && !eic_map_get(r->ewc, ewc, NULL))
			cell_error(r, C_SOURCE_EWC,
			           "unknown EWC code in source_ewc (expected a code listed in "
			           "classifications/ewc.csv; found '%s')",
			           ewc);
	}
	const char *mat = cell(r, cells, C_SOURCE_MATERIAL);
	if (*mat && kb->have_materials) {
		if (material_category(kb, mat)) {
			p.source_is_category = 0;
		} else if (category_prefix_known(kb, mat)) {
			p.source_is_category = 1;
		} else {
			cell_error(r, C_SOURCE_MATERIAL,
			           "unknown material in source_material (expected a material id or "
			           "a category prefix of materials/materials.csv; found '%s')",
			           mat);
		}
	} else if (*mat) {
		p.source_is_category = strchr(mat, '/') != NULL;
	}
	if (!*ewc && !*mat)
		cell_error(r, C_SOURCE_EWC,
		           "no source (expected source_ewc or source_material; found both empty)");

	const char *isic = cell(r, cells, C_USE_ISIC);
	if (!*isic)
		cell_error(
		    r, C_USE_ISIC,
		    "empty use_isic (expected the receiving ISIC Rev.4 code; found nothing)");
	else if (!all_digits(isic, 2, 4) || (r->have_isic && !eic_map_get(r->isic, isic, NULL)))
		cell_error(r, C_USE_ISIC,
		           "unknown ISIC Rev.4 code in use_isic (expected a division, group or "
		           "class listed in classifications/isic4.csv; found '%s')",
		           isic);

	const char *rep = cell(r, cells, C_REPLACES_MATERIAL);
	if (*rep && kb->have_materials && !material_category(kb, rep))
		cell_error(r, C_REPLACES_MATERIAL,
		           "unknown material in replaces_material (expected a material id of "
		           "materials/materials.csv; found '%s')",
		           rep);

	number_cell(r, cells, C_YIELD_VALUE, 1, &p.yield_value);
	number_cell(r, cells, C_YIELD2_VALUE, 1, &p.yield2_value);
	static const kb_col yv[2] = {C_YIELD_VALUE, C_YIELD2_VALUE};
	static const kb_col yu[2] = {C_YIELD_UNIT, C_YIELD2_UNIT};
	static const kb_col yo[2] = {C_YIELD_OUTPUT, C_YIELD2_OUTPUT};
	for (int k = 0; k < 2; k++) {
		int has_v = *cell(r, cells, yv[k]) != '\0';
		if (has_v && !*cell(r, cells, yu[k]))
			cell_error(r, yu[k],
			           "missing %s (expected the unit of %s, e.g. m3/t; found "
			           "nothing)",
			           COLUMNS[yu[k]].name, COLUMNS[yv[k]].name);
		if (has_v && !*cell(r, cells, yo[k]))
			cell_error(r, yo[k],
			           "missing %s (expected what %s measures; found nothing)",
			           COLUMNS[yo[k]].name, COLUMNS[yv[k]].name);
	}

	int lo_ok = number_cell(r, cells, C_COST_LOW, 0, &p.cost_low) == 0;
	int hi_ok = number_cell(r, cells, C_COST_HIGH, 0, &p.cost_high) == 0;
	if (lo_ok && hi_ok && !isnan(p.cost_low) && !isnan(p.cost_high) && p.cost_low > p.cost_high)
		cell_error(r, C_COST_LOW,
		           "cost range inverted (expected cost_low <= cost_high; found %s > %s)",
		           cell(r, cells, C_COST_LOW), cell(r, cells, C_COST_HIGH));
	if ((!isnan(p.cost_low) || !isnan(p.cost_high)) && !*cell(r, cells, C_COST_CURRENCY))
		cell_error(r, C_COST_CURRENCY,
		           "missing cost_currency (expected an ISO 4217 code such as USD when a "
		           "cost is given; found nothing)");
	year_cell(r, cells, C_COST_YEAR, &p.cost_year);

	const char *haz = cell(r, cells, C_HAZARDOUS);
	if (!*haz || strcmp(haz, "no") == 0)
		p.hazardous = EIC_KB_HAZ_NO;
	else if (strcmp(haz, "yes") == 0)
		p.hazardous = EIC_KB_HAZ_YES;
	else if (strcmp(haz, "depends") == 0)
		p.hazardous = EIC_KB_HAZ_DEPENDS;
	else
		cell_error(r, C_HAZARDOUS,
		           "invalid hazardous (expected yes, no or depends; found '%s')", haz);

	const char *et = cell(r, cells, C_EVIDENCE_TYPE);
	if (strcmp(et, "case") == 0)
		p.evidence_type = EIC_KB_EVIDENCE_CASE;
	else if (strcmp(et, "literature") == 0)
		p.evidence_type = EIC_KB_EVIDENCE_LITERATURE;
	else if (strcmp(et, "manual") == 0)
		p.evidence_type = EIC_KB_EVIDENCE_MANUAL;
	else
		cell_error(
		    r, C_EVIDENCE_TYPE,
		    "invalid evidence_type (expected case, literature or manual; found '%s')", et);
	if (!*cell(r, cells, C_EVIDENCE))
		cell_error(r, C_EVIDENCE,
		           "empty evidence (expected a documented case or a named source; found "
		           "nothing)");
	year_cell(r, cells, C_EVIDENCE_YEAR, &p.evidence_year);
	const char *chk = cell(r, cells, C_EVIDENCE_CHECKED);
	if (strcmp(chk, "yes") == 0)
		p.evidence_checked = 1;
	else if (strcmp(chk, "no") == 0)
		p.evidence_checked = 0;
	else
		cell_error(r, C_EVIDENCE_CHECKED,
		           "invalid evidence_checked (expected yes or no; found '%s')", chk);

	if (r->errors > errors_before)
		return 0;

	p.line = row_line;
	p.id = keep(kb, id, &failed);
	p.category = keep(kb, cell(r, cells, C_CATEGORY), &failed);
	p.source_ewc = keep(kb, ewc, &failed);
	p.source_material = keep(kb, mat, &failed);
	if (p.source_material)
		p.source_category = p.source_is_category ? p.source_material
		                                         : material_category(kb, p.source_material);
	p.source_description = keep(kb, cell(r, cells, C_SOURCE_DESCRIPTION), &failed);
	p.use_isic = keep(kb, isic, &failed);
	p.replaces_material = keep(kb, rep, &failed);
	p.replaces = keep(kb, cell(r, cells, C_REPLACES), &failed);
	p.product = keep(kb, cell(r, cells, C_PRODUCT), &failed);
	p.technology = keep(kb, cell(r, cells, C_TECHNOLOGY), &failed);
	p.yield_output = keep(kb, cell(r, cells, C_YIELD_OUTPUT), &failed);
	p.yield_unit = keep(kb, cell(r, cells, C_YIELD_UNIT), &failed);
	p.yield2_output = keep(kb, cell(r, cells, C_YIELD2_OUTPUT), &failed);
	p.yield2_unit = keep(kb, cell(r, cells, C_YIELD2_UNIT), &failed);
	p.cost_currency = keep(kb, cell(r, cells, C_COST_CURRENCY), &failed);
	p.cost_basis = keep(kb, cell(r, cells, C_COST_BASIS), &failed);
	p.permit_notes = keep(kb, cell(r, cells, C_PERMIT_NOTES), &failed);
	p.evidence = keep(kb, cell(r, cells, C_EVIDENCE), &failed);
	p.evidence_url = keep(kb, cell(r, cells, C_EVIDENCE_URL), &failed);
	p.notes = keep(kb, cell(r, cells, C_NOTES), &failed);
	if (failed || !eic_vec_push(&kb->pathways, &p) ||
	    eic_map_put(&kb->ids, p.id, kb->pathways.len - 1) < 0)
		return EIC_ENOMEM;
	return 0;
}

static int kb_row(void *ctx, const char *const *cells, size_t count, int line, size_t offset,
                  int too_many)
{
	kb_reader *r = ctx;
	int ln, col;
	r->row_offset = offset;
	if (!r->header_done) {
		r->header_done = 1;
		if (too_many) {
			eic_diags_add(r->diags, EIC_SEV_ERROR, r->file, line, 1,
			              "header too wide (expected at most %d columns)", MAX_FIELDS);
			r->errors++;
			r->header_fatal = 1;
			return 0;
		}
		header(r, cells, count, line);
		return 0;
	}
	if (r->header_fatal)
		return 0;
	if (count != r->header_count || too_many) {
		linecol(r->data, offset, &ln, &col);
		eic_diags_add(r->diags, EIC_SEV_ERROR, r->file, ln, col,
		              "wrong number of cells (expected %zu as in the header; found %s%zu)",
		              r->header_count, too_many ? "more than " : "", count);
		r->errors++;
		return 0;
	}
	return data_row(r, cells);
}

size_t eic_kb_default_path(char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/synergies.csv", eic_data_dir());
	return n < 0 ? 0 : (size_t)n;
}

void eic_kb_free(eic_kb *kb)
{
	if (!kb)
		return;
	eic_vec_free(&kb->pathways);
	eic_vec_free(&kb->cat_keys);
	eic_map_free(&kb->ids);
	eic_map_free(&kb->material_cat);
	eic_arena_clear(&kb->arena);
	eic_free(kb);
}

static eic_kb *kb_new(void)
{
	eic_kb *kb = eic_calloc(1, sizeof(*kb));
	if (!kb)
		return NULL;
	eic_arena_init(&kb->arena);
	eic_vec_init(&kb->pathways, sizeof(eic_kb_pathway));
	eic_vec_init(&kb->cat_keys, sizeof(const char *));
	eic_map_init(&kb->ids);
	eic_map_init(&kb->material_cat);
	return kb;
}

/* Reads the three reference lists, then the knowledge base; O(rows x catalogue categories)
 * for the category checks, the rest linear in the file size. */
int eic_kb_load(eic_kb **out, eic_diags *diags, const char *path)
{
	char pathbuf[4096], listpath[4096];
	char *data = NULL;
	size_t size = 0;
	eic_map ewc, isic;
	eic_arena codes;
	eic_kb *kb = NULL;
	eic_diags *own = NULL; /* when the caller gives no diags */
	table_reader t;
	kb_reader r;
	int rc = 0, syntax = 0;
	memset(&t, 0, sizeof(t));
	memset(&r, 0, sizeof(r));
	eic_map_init(&r.seen_ids);
	eic_map_init(&ewc);
	eic_map_init(&isic);
	eic_arena_init(&codes);
	if (!out) {
		rc = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if (!diags) {
		if ((rc = eic_diags_new(&own, 1)) < 0)
			goto done;
		diags = own;
	}
	if (!path) {
		if (eic_kb_default_path(pathbuf, sizeof(pathbuf)) >= sizeof(pathbuf)) {
			rc = EIC_EINVAL;
			goto done;
		}
		path = pathbuf;
	}
	if (!(kb = kb_new())) {
		rc = EIC_ENOMEM;
		goto done;
	}
	list_ctx lc_ewc = {kb, &ewc, &codes, "code", NULL, -1, -1, 0};
	list_ctx lc_isic = {kb, &isic, &codes, "code", NULL, -1, -1, 0};
	list_ctx lc_mat = {kb, NULL, &kb->arena, "id", "category", -1, -1, 0};
	snprintf(listpath, sizeof(listpath), "%s/classifications/ewc.csv", eic_data_dir());
	int have_ewc = load_list(&lc_ewc, diags, listpath);
	snprintf(listpath, sizeof(listpath), "%s/classifications/isic4.csv", eic_data_dir());
	int have_isic = load_list(&lc_isic, diags, listpath);
	snprintf(listpath, sizeof(listpath), "%s/materials/materials.csv", eic_data_dir());
	int have_mat = load_list(&lc_mat, diags, listpath);
	if (have_ewc < 0 || have_isic < 0 || have_mat < 0) {
		rc = have_ewc < 0 ? have_ewc : have_isic < 0 ? have_isic : have_mat;
		goto done;
	}
	kb->have_materials = have_mat;
	if (!have_ewc || !have_isic || !have_mat)
		eic_diags_add(diags, EIC_SEV_WARNING, eic_data_dir(), 0, 0,
		              "reference lists not found under %s (classifications/ewc.csv, "
		              "classifications/isic4.csv, materials/materials.csv): codes and "
		              "materials of the knowledge base are not checked",
		              eic_data_dir());

	if ((rc = slurp(&data, &size, path)) < 0)
		goto done;
	r.kb = kb;
	r.diags = diags;
	r.file = path;
	r.data = data;
	r.size = size;
	r.ewc = &ewc;
	r.isic = &isic;
	r.have_ewc = have_ewc;
	r.have_isic = have_isic;
	for (int c = 0; c < C__N; c++)
		r.field_of_col[c] = -1;
	t.data = data;
	t.size = size;
	t.row = kb_row;
	t.ctx = &r;
	if ((rc = read_table(&t, diags, path, &syntax)) < 0)
		goto done;
	if (!r.header_done) {
		eic_diags_add(
		    diags, EIC_SEV_ERROR, path, 1, 1,
		    "empty file (expected a header row with the columns of synergies.csv; "
		    "found nothing)");
		r.errors++;
	}
	if (r.errors > 0 || syntax) {
		rc = EIC_EINVALID;
		goto done;
	}
	*out = kb;
	kb = NULL;
done:
	eic_buf_free(&t.blob);
	eic_free(data);
	eic_map_free(&r.seen_ids);
	eic_map_free(&ewc);
	eic_map_free(&isic);
	eic_arena_clear(&codes);
	eic_kb_free(kb);
	eic_diags_free(own);
	return rc;
}

size_t eic_kb_count(const eic_kb *kb)
{
	return kb ? kb->pathways.len : 0;
}

const eic_kb_pathway *eic_kb_at(const eic_kb *kb, size_t i)
{
	if (!kb || i >= kb->pathways.len)
		return NULL;
	return EIC_VEC_AT(&kb->pathways, eic_kb_pathway, i);
}

const eic_kb_pathway *eic_kb_get(const eic_kb *kb, const char *id)
{
	size_t i;
	if (!kb || !id || !eic_map_get(&kb->ids, id, &i))
		return NULL;
	return eic_kb_at(kb, i);
}

/* ---- lookups ---- */

/* Write the hits of level `level` (a pass over the pathways per level keeps file order
 * within a level without sorting). `match` returns the level of pathway i or -1. */
typedef int (*match_fn)(const eic_kb *kb, const eic_kb_pathway *p, const void *query);

static int collect(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb, match_fn match,
                   const void *query, const eic_kb_find_options *opts)
{
	size_t n = 0;
	int best_only = opts ? opts->best_only : 0;
	for (int level = EIC_KB_MATCH_EXACT; level <= EIC_KB_MATCH_NARROWER; level++) {
		size_t before = n;
		for (size_t i = 0; i < kb->pathways.len; i++) {
			const eic_kb_pathway *p = EIC_VEC_AT(&kb->pathways, eic_kb_pathway, i);
			if (match(kb, p, query) != level)
				continue;
			if (out && n < cap) {
				out[n].index = i;
				out[n].level = (eic_kb_match)level;
			}
			n++;
		}
		if (best_only && n > before)
			break;
	}
	*count = n;
	return 0;
}

static int match_ewc(const eic_kb *kb, const eic_kb_pathway *p, const void *query)
{
	const char *q = query;
	(void)kb;
	if (!p->source_ewc)
		return -1;
	if (strcmp(p->source_ewc, q) == 0)
		return EIC_KB_MATCH_EXACT;
	if (strncmp(p->source_ewc, q, 4) == 0)
		return EIC_KB_MATCH_SUBCHAPTER;
	if (strncmp(p->source_ewc, q, 2) == 0)
		return EIC_KB_MATCH_CHAPTER;
	return -1;
}

int eic_kb_find_ewc(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb, const char *ewc,
                    const eic_kb_find_options *opts)
{
	if (!count || !kb || !ewc || !all_digits(ewc, 6, 6))
		return EIC_EINVAL;
	return collect(out, cap, count, kb, match_ewc, ewc, opts);
}

typedef struct {
	const char *text;     /* as given */
	const char *category; /* its category path */
} material_query;

/* Is `a` a proper ancestor of `b` in the category tree? */
static int ancestor(const char *a, const char *b)
{
	size_t n = strlen(a);
	return strncmp(a, b, n) == 0 && b[n] == '/';
}

static int match_material(const eic_kb *kb, const eic_kb_pathway *p, const void *query)
{
	const material_query *q = query;
	(void)kb;
	if (!p->source_material)
		return -1;
	if (strcmp(p->source_material, q->text) == 0)
		return EIC_KB_MATCH_EXACT;
	if (!p->source_category || !q->category)
		return -1;
	if (strcmp(p->source_category, q->category) == 0 ||
	    ancestor(p->source_category, q->category))
		return EIC_KB_MATCH_BROADER;
	if (ancestor(q->category, p->source_category))
		return EIC_KB_MATCH_NARROWER;
	return -1;
}

int eic_kb_find_material(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb,
                         const char *material, const eic_kb_find_options *opts)
{
	if (!count || !kb || !material || !*material)
		return EIC_EINVAL;
	material_query q = {material, material_category(kb, material)};
	if (!q.category) {
		if (!category_prefix_known(kb, material))
			return EIC_ENOTFOUND;
		q.category = material;
	}
	return collect(out, cap, count, kb, match_material, &q, opts);
}

static int match_isic(const eic_kb *kb, const eic_kb_pathway *p, const void *query)
{
	const char *q = query;
	(void)kb;
	if (!p->use_isic)
		return -1;
	size_t pn = strlen(p->use_isic), qn = strlen(q);
	if (strcmp(p->use_isic, q) == 0)
		return EIC_KB_MATCH_EXACT;
	if (pn > qn && strncmp(p->use_isic, q, qn) == 0)
		return EIC_KB_MATCH_NARROWER;
	if (pn < qn && strncmp(p->use_isic, q, pn) == 0)
		return EIC_KB_MATCH_BROADER;
	return -1;
}

int eic_kb_find_isic(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb, const char *isic,
                     const eic_kb_find_options *opts)
{
	if (!count || !kb || !isic || !all_digits(isic, 2, 4))
		return EIC_EINVAL;
	return collect(out, cap, count, kb, match_isic, isic, opts);
}

const char *eic_kb_match_name(eic_kb_match level)
{
	switch (level) {
	case EIC_KB_MATCH_EXACT:
		return "exact";
	case EIC_KB_MATCH_SUBCHAPTER:
		return "sub-chapter";
	case EIC_KB_MATCH_CHAPTER:
		return "chapter";
	case EIC_KB_MATCH_BROADER:
		return "broader";
	case EIC_KB_MATCH_NARROWER:
		return "narrower";
	}
	return "unknown";
}
