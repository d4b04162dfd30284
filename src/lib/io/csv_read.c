/* csv_read.c: reads one CSV table of a package with libcsv and hands each row to the schema
 * decoder; tracks where each row starts so that any cell can be located for a message. */
#include "io_internal.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#define MAX_FIELD_BYTES (1u << 20) /* one cell */
#define MAX_ROW_FIELDS 256

typedef struct {
	eic_reader *r;
	eic_table_id table;
	const eic_table *def;
	const char *file;
	const char *data;
	size_t size;
	/* current row */
	eic_buf cells;              /* cell texts, NUL-separated */
	size_t cell_off[MAX_ROW_FIELDS];
	int cell_count;
	int too_many;
	int row_line;               /* line where the current row started */
	size_t row_offset;          /* byte offset where it started */
	int row_in_progress;
	int header_done;
	int header_fatal;           /* a required column is missing: rows are not decoded */
	int col_of_field[MAX_ROW_FIELDS]; /* physical field -> schema column (-1 unknown) */
	int field_of_col[EIC_MAX_COLUMNS]; /* schema column -> physical field (-1 absent) */
	int header_count;
	int rc;                     /* first fatal error (ENOMEM) */
	/* location cache */
	size_t cache_off, cache_linestart;
	int cache_line;
} csvctx;

/* Byte offset of physical field `field` in the row starting at `off` (RFC 4180 scan). */
static size_t field_offset(const char *d, size_t size, size_t off, int field)
{
	int f = 0;
	int quoted = 0;
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
	/* Skip leading blanks, which libcsv trims, so the column points at the value. */
	while (i < size && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i;
}

static void csv_locate(const eic_rowsrc *src, int col, int *line, int *column)
{
	csvctx *x = src->ctx;
	int field = col >= 0 ? x->field_of_col[col] : 0;
	if (field < 0)
		field = 0;
	size_t off = field_offset(x->data, x->size, x->row_offset, field);
	eic_io__offset_to_linecol(x->data, off, &x->cache_off, &x->cache_line, &x->cache_linestart,
	                          line, column);
}

static void header_cell(csvctx *x, int field, const char *name)
{
	x->col_of_field[field] = -1;
	for (int c = 0; c < x->def->column_count; c++) {
		if (strcmp(x->def->columns[c].name, name) == 0) {
			eic_rowsrc src = {x->file, csv_locate, x, x->row_line};
			if (x->field_of_col[c] >= 0) {
				int line, column;
				x->field_of_col[c] = field; /* locate this occurrence */
				csv_locate(&src, c, &line, &column);
				eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
				              "duplicate column in header (expected each column once; found '%s' again)",
				              name);
				x->header_fatal = 1;
				return;
			}
			x->field_of_col[c] = field;
			x->col_of_field[field] = c;
			return;
		}
	}
	/* Unknown column: point at it and list the valid names. */
	char expected[512];
	size_t n = 0;
	expected[0] = '\0';
	for (int c = 0; c < x->def->column_count && n < sizeof(expected); c++)
		n += (size_t)snprintf(expected + n, sizeof(expected) - n, "%s%s", c ? ", " : "",
		                      x->def->columns[c].name);
	size_t off = field_offset(x->data, x->size, x->row_offset, field);
	int line, column;
	eic_io__offset_to_linecol(x->data, off, &x->cache_off, &x->cache_line, &x->cache_linestart,
	                          &line, &column);
	eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
	              "unknown column '%s' in %s.csv (expected one of: %s)", name, x->def->name,
	              expected);
}

static void finish_header(csvctx *x)
{
	for (int c = 0; c < x->def->column_count; c++) {
		if (x->def->columns[c].required && x->field_of_col[c] < 0) {
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, x->row_line, 1,
			              "missing required column '%s' in header (expected it among the columns of %s.csv)",
			              x->def->columns[c].name, x->def->name);
			x->header_fatal = 1;
		}
	}
}

static void on_field(void *s, size_t len, void *ctx)
{
	csvctx *x = ctx;
	if (x->cell_count >= MAX_ROW_FIELDS) {
		x->too_many = 1;
		return;
	}
	if (len > MAX_FIELD_BYTES) {
		x->too_many = 2;
		len = 0;
	}
	x->cell_off[x->cell_count++] = x->cells.len;
	if (eic_buf_put(&x->cells, s ? (const char *)s : "", s ? len : 0) < 0 ||
	    eic_buf_putc(&x->cells, '\0') < 0)
		x->rc = EIC_ENOMEM;
}

static void on_row(int term, void *ctx)
{
	csvctx *x = ctx;
	(void)term;
	x->row_in_progress = 0;
	if (x->rc < 0)
		goto reset;
	if (!x->header_done) {
		x->header_done = 1;
		if (x->too_many) {
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, x->row_line, 1,
			              "header too wide (expected at most %d columns)", MAX_ROW_FIELDS);
			x->header_fatal = 1;
			goto reset;
		}
		x->header_count = x->cell_count;
		for (int f = 0; f < x->cell_count; f++) {
			const char *name = x->cells.data + x->cell_off[f];
			if (f == 0 && (unsigned char)name[0] == 0xEF &&
			    (unsigned char)name[1] == 0xBB && (unsigned char)name[2] == 0xBF)
				name += 3; /* UTF-8 byte-order mark */
			header_cell(x, f, name);
		}
		finish_header(x);
		goto reset;
	}
	if (x->header_fatal)
		goto reset;
	if (x->cell_count != x->header_count || x->too_many) {
		int line, column;
		eic_io__offset_to_linecol(x->data, x->row_offset, &x->cache_off, &x->cache_line,
		                          &x->cache_linestart, &line, &column);
		if (x->too_many == 2)
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			              "cell too long (expected at most %u bytes)", MAX_FIELD_BYTES);
		else
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			              "wrong number of cells (expected %d as in the header; found %s%d)",
			              x->header_count, x->too_many ? "more than " : "", x->cell_count);
		goto reset;
	}
	const char *values[EIC_MAX_COLUMNS];
	for (int c = 0; c < x->def->column_count; c++) {
		int f = x->field_of_col[c];
		values[c] = f >= 0 ? x->cells.data + x->cell_off[f] : NULL;
	}
	eic_rowsrc src = {x->file, csv_locate, x, x->row_line};
	int rc = eic_io__decode_row(x->r, x->table, values, &src);
	if (rc < 0)
		x->rc = rc;
reset:
	x->cell_count = 0;
	x->too_many = 0;
	eic_buf_clear(&x->cells);
}

static int blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Feed the data to libcsv one physical line at a time, so that the line on which each row
 * starts is known; a quoted cell may span lines. O(size). */
int eic_io__read_csv(eic_reader *r, eic_table_id t, const char *file, const char *data,
                     size_t size)
{
	struct csv_parser p;
	csvctx *x = calloc(1, sizeof(*x));
	if (!x)
		return EIC_ENOMEM;
	x->r = r;
	x->table = t;
	x->def = eic_io__table(t);
	x->file = file;
	x->data = data;
	x->size = size;
	x->cells.cap_limit = 2 * MAX_FIELD_BYTES + 65536;
	for (int c = 0; c < EIC_MAX_COLUMNS; c++)
		x->field_of_col[c] = -1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(x);
		return EIC_ENOMEM;
	}
	csv_set_realloc_func(&p, realloc);
	csv_set_free_func(&p, free);
	size_t off = 0;
	int line = 1;
	int rc = 0;
	if (t == TBL_FLOWS && size > (1u << 20)) {
		/* Size the id table once: about one row per line. */
		size_t lines = 0;
		for (const char *q = data; (q = memchr(q, '\n', (size_t)(data + size - q))) != NULL; q++)
			lines++;
		if (eic_map_reserve(&r->flow_ids, lines) < 0) {
			csv_free(&p);
			free(x);
			return EIC_ENOMEM;
		}
	}
	while (off < size && x->rc >= 0) {
		const char *nl = memchr(data + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		if (!x->row_in_progress && !blank_line(data + off, len)) {
			x->row_in_progress = 1;
			x->row_line = line;
			x->row_offset = off;
		}
		size_t done = csv_parse(&p, data + off, len, on_field, on_row, x);
		if (done != len) {
			int col_line, column;
			eic_io__offset_to_linecol(data, off + done, &x->cache_off, &x->cache_line,
			                          &x->cache_linestart, &col_line, &column);
			eic_diags_add(r->diags, EIC_SEV_ERROR, file, col_line, column,
			              "malformed CSV (expected RFC 4180 quoting: a quote only at the start of a cell, doubled inside it; %s)",
			              csv_strerror(csv_error(&p)));
			goto done;
		}
		off += len;
		line++;
	}
	if (x->rc >= 0 && csv_fini(&p, on_field, on_row, x) != 0) {
		int col_line, column;
		eic_io__offset_to_linecol(data, x->row_offset, &x->cache_off, &x->cache_line,
		                          &x->cache_linestart, &col_line, &column);
		eic_diags_add(r->diags, EIC_SEV_ERROR, file, col_line, column,
		              "malformed CSV (expected a closing quote before the end of the file; found none)");
	}
	if (x->rc >= 0 && !x->header_done)
		eic_diags_add(r->diags, EIC_SEV_ERROR, file, 1, 1,
		              "empty table (expected a header row with the column names of %s.csv; found nothing)",
		              x->def->name);
done:
	rc = x->rc;
	csv_free(&p);
	eic_buf_free(&x->cells);
	free(x);
	return rc;
}
