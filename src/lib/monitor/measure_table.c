/* measure_table.c: a small delimited-table reader over libcsv for the measurement CSV, the
 * pollutant catalogue and the registry files, with cell locations for file:line:column. */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/io/io_internal.h"
#include "measure_private.h"

#define MAX_CELL_BYTES (1u << 20)

typedef struct {
	eic_buf cells;   /* cell texts, each NUL-terminated */
	eic_vec offsets; /* size_t per cell of the row */
	int too_many;
	int failed;
} row_acc;

static void on_field(void *text, size_t len, void *ctx)
{
	row_acc *a = ctx;
	if (a->failed)
		return;
	if (a->offsets.len >= EIC_MEASURE__MAX_FIELDS) {
		a->too_many = 1;
		return;
	}
	if (len > MAX_CELL_BYTES)
		len = MAX_CELL_BYTES;
	size_t off = a->cells.len;
	if (eic_buf_put(&a->cells, text ? text : "", text ? len : 0) < 0 ||
	    eic_buf_putc(&a->cells, '\0') < 0 || !eic_vec_push(&a->offsets, &off))
		a->failed = 1;
}

typedef struct {
	row_acc acc;
	eic_mtab_row_fn fn;
	void *ctx;
	int row_line;
	size_t row_offset;
	int in_row;
	int rc;
	const char **ptrs;
} reader;

static void on_row(int c, void *ctx)
{
	reader *r = ctx;
	(void)c;
	if (r->acc.failed || r->rc < 0) {
		r->acc.cells.len = 0;
		r->acc.offsets.len = 0;
		r->in_row = 0;
		return;
	}
	size_t n = r->acc.offsets.len;
	for (size_t i = 0; i < n; i++)
		r->ptrs[i] = r->acc.cells.data + *EIC_VEC_AT(&r->acc.offsets, size_t, i);
	eic_mtab_row row = {r->ptrs, (int)n, r->row_line, r->row_offset, r->acc.too_many};
	int rc = r->fn(r->ctx, &row);
	if (rc < 0)
		r->rc = rc;
	eic_buf_clear(&r->acc.cells);
	r->acc.offsets.len = 0;
	r->acc.too_many = 0;
	r->in_row = 0;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/*
 * Feed libcsv one physical line at a time so that the line where each row starts is known
 * (a quoted cell may span lines). O(size); memory O(longest row).
 */
int eic_measure__read_table(const char *data, size_t size, char delim, eic_mtab_row_fn fn,
                            void *ctx, eic_mtab_syntax *syntax)
{
	struct csv_parser parser;
	reader r;
	const char *ptrs[EIC_MEASURE__MAX_FIELDS];
	int error = 0;

	memset(syntax, 0, sizeof(*syntax));
	memset(&r, 0, sizeof(r));
	r.fn = fn;
	r.ctx = ctx;
	r.ptrs = ptrs;
	eic_vec_init(&r.acc.offsets, sizeof(size_t));
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return EIC_ENOMEM;
	csv_set_delim(&parser, (unsigned char)delim);
	csv_set_realloc_func(&parser, eic_realloc);
	csv_set_free_func(&parser, eic_free);
	size_t off = 0;
	int line = 1;
	while (off < size && r.rc == 0 && !r.acc.failed) {
		const char *nl = memchr(data + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		if (!r.in_row && !blank(data + off, len)) {
			r.in_row = 1;
			r.row_line = line;
			r.row_offset = off;
		}
		size_t done = csv_parse(&parser, data + off, len, on_field, on_row, &r);
		if (done != len) {
			int l, c;
			eic_measure__locate(data, size, delim, off + done, 0, &l, &c);
			syntax->line = l;
			syntax->column = c;
			syntax->what = csv_error(&parser) == CSV_ENOMEM
			                   ? "out of memory"
			                   : csv_strerror(csv_error(&parser));
			if (csv_error(&parser) == CSV_ENOMEM)
				error = EIC_ENOMEM;
			goto done;
		}
		off += len;
		line++;
	}
	if (r.rc == 0 && !r.acc.failed && csv_fini(&parser, on_field, on_row, &r) != 0) {
		syntax->line = r.row_line;
		syntax->column = 1;
		syntax->what = "unterminated quoted cell (expected a closing '\"')";
	}
done:
	csv_free(&parser);
	eic_buf_free(&r.acc.cells);
	eic_vec_free(&r.acc.offsets);
	if (error == 0 && r.acc.failed)
		error = EIC_ENOMEM;
	if (error == 0 && r.rc < 0)
		error = r.rc;
	return error;
}

/* Scan from the row start to the field (RFC 4180 quoting), then count lines and characters. */
void eic_measure__locate(const char *d, size_t size, char delim, size_t off, int field, int *line,
                         int *column)
{
	int f = 0, quoted = 0;
	size_t i = off;
	if (i > size)
		i = size;
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
		} else if (c == delim) {
			f++;
		} else if (c == '\n') {
			break;
		}
		i++;
	}
	while (i < size && (d[i] == ' ' || d[i] == '\t'))
		i++;
	int l = 1;
	size_t linestart = 0;
	for (size_t k = 0; k < i; k++)
		if (d[k] == '\n') {
			l++;
			linestart = k + 1;
		}
	int col = 1;
	for (size_t k = linestart; k < i; k++)
		if (((unsigned char)d[k] & 0xC0) != 0x80)
			col++;
	*line = l;
	*column = col;
}

int eic_measure__slurp(char **out, size_t *out_size, const char *path)
{
	eic_buf b = EIC_BUF_INIT;
	*out = NULL;
	*out_size = 0;
	int rc = eic_io__read_file(&b, NULL, path, EIC_MEASURE__MAX_FILE_BYTES, "");
	if (rc == 0 && !b.data && eic_buf_put(&b, "", 0) < 0)
		rc = EIC_ENOMEM;
	if (rc < 0) {
		eic_buf_free(&b);
		return rc;
	}
	*out_size = b.len;
	*out = eic_buf_detach(&b);
	return *out ? 0 : EIC_ENOMEM;
}

const char *eic_measure__strip_bom(const char *cell)
{
	if ((unsigned char)cell[0] == 0xEF && (unsigned char)cell[1] == 0xBB &&
	    (unsigned char)cell[2] == 0xBF)
		return cell + 3;
	return cell;
}

int eic_measure__parse_number(double *out, const char *text)
{
	return eic_parse_double(out, text);
}
