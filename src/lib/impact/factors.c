/* factors.c: the impact factor library: factor tables read from CSV (data/factors) with their
 * sources and check status, keyed by (parameter, key), later tables overriding earlier ones. */
#include <eic/impact.h>
#include <eic/io.h>

#include "impact_private.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_FILE_BYTES ((size_t)16 << 20) /* factor tables are small */
#define MAX_FIELDS 16
#define MAX_KEY 480 /* parameter + key, bytes */

struct eic_factors {
	eic_arena arena; /* every string */
	eic_vec factors; /* eic_factor */
	eic_vec names;   /* const char *: combined "parameter\x1fkey" per factor (map keys) */
	eic_map index;   /* combined key -> index in factors */
};

int eic_factors_new(eic_factors **out)
{
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	eic_factors *f = eic_calloc(1, sizeof(*f));
	if (!f)
		return EIC_ENOMEM;
	eic_arena_init(&f->arena);
	eic_vec_init(&f->factors, sizeof(eic_factor));
	eic_vec_init(&f->names, sizeof(const char *));
	eic_map_init(&f->index);
	*out = f;
	return 0;
}

void eic_factors_free(eic_factors *f)
{
	if (!f)
		return;
	eic_map_free(&f->index);
	eic_vec_free(&f->names);
	eic_vec_free(&f->factors);
	eic_arena_clear(&f->arena);
	eic_free(f);
}

size_t eic_factors_count(const eic_factors *f)
{
	return f ? f->factors.len : 0;
}

const eic_factor *eic_factors_at(const eic_factors *f, size_t i)
{
	return f && i < f->factors.len ? EIC_VEC_AT(&f->factors, eic_factor, i) : NULL;
}

/* Combined map key into buf; returns 0 or -1 when too long. */
static int combine(char *buf, size_t size, const char *parameter, const char *key)
{
	int n = snprintf(buf, size, "%s\x1f%s", parameter ? parameter : "", key ? key : "");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

const eic_factor *eic_factors_get(const eic_factors *f, const char *parameter, const char *key)
{
	char buf[MAX_KEY + 2];
	size_t i;
	if (!f || combine(buf, sizeof(buf), parameter, key) < 0)
		return NULL;
	if (!eic_map_get(&f->index, buf, &i))
		return NULL;
	return EIC_VEC_AT(&f->factors, eic_factor, i);
}

/* Put a copy of `src` (strings copied into the set's arena), replacing the factor with the
 * same (parameter, key). Returns 0 or EIC_ENOMEM. */
static int put(eic_factors *f, const eic_factor *src)
{
	char buf[MAX_KEY + 2];
	size_t i;
	if (combine(buf, sizeof(buf), src->parameter, src->key) < 0)
		return EIC_EINVAL;
	eic_factor c = *src;
	c.parameter = eic_arena_strdup(&f->arena, src->parameter);
	c.key = eic_arena_strdup(&f->arena, src->key);
	c.unit = eic_arena_strdup(&f->arena, src->unit ? src->unit : "");
	c.source = eic_arena_strdup(&f->arena, src->source ? src->source : "");
	c.note = eic_arena_strdup(&f->arena, src->note ? src->note : "");
	c.file = eic_arena_strdup(&f->arena, src->file ? src->file : "");
	if (!c.parameter || !c.key || !c.unit || !c.source || !c.note || !c.file)
		return EIC_ENOMEM;
	if (eic_map_get(&f->index, buf, &i)) {
		*EIC_VEC_AT(&f->factors, eic_factor, i) = c;
		return 0;
	}
	const char *name = eic_arena_strdup(&f->arena, buf);
	if (!name || eic_map_reserve(&f->index, f->index.count + 1) < 0)
		return EIC_ENOMEM;
	if (!eic_vec_push(&f->factors, &c))
		return EIC_ENOMEM;
	if (!eic_vec_push(&f->names, &name)) {
		f->factors.len--;
		return EIC_ENOMEM;
	}
	if (eic_map_put(&f->index, name, f->factors.len - 1) < 0) {
		f->factors.len--;
		f->names.len--;
		return EIC_ENOMEM;
	}
	return 0;
}

int eic_factors_overlay(eic_factors *f, const eic_factors *over)
{
	if (!f || !over)
		return EIC_EINVAL;
	for (size_t i = 0; i < over->factors.len; i++) {
		int rc = put(f, EIC_VEC_AT(&over->factors, eic_factor, i));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- a small RFC 4180 reader that knows the line and column of every cell ---- */

typedef struct {
	const char *data;
	size_t size;
	size_t pos;
	int line;
	int column;
	eic_buf text;              /* cell texts of the current row, NUL-separated */
	size_t offs[MAX_FIELDS];   /* start of each cell in text */
	int cell_line[MAX_FIELDS]; /* where each cell starts */
	int cell_col[MAX_FIELDS];
	const char *cells[MAX_FIELDS];
	size_t count;
	int row_line;
} csvr;

static void advance(csvr *r)
{
	unsigned char c = (unsigned char)r->data[r->pos++];
	if (c == '\n') {
		r->line++;
		r->column = 1;
	} else if ((c & 0xC0) != 0x80) {
		r->column++;
	}
}

/* Read the next non-blank row. Returns 1 (row in r->cells), 0 at the end, EIC_EPARSE after a
 * diagnostic, EIC_ENOMEM. */
static int next_row(csvr *r, const char *file, eic_diags *diags)
{
	/* skip blank lines */
	while (r->pos < r->size && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r'))
		advance(r);
	if (r->pos >= r->size)
		return 0;
	eic_buf_clear(&r->text);
	r->count = 0;
	r->row_line = r->line;
	for (;;) {
		if (r->count >= MAX_FIELDS) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, r->line, r->column,
			              "too many cells in the row (at most %d)", MAX_FIELDS);
			return EIC_EPARSE;
		}
		r->offs[r->count] = r->text.len;
		r->cell_line[r->count] = r->line;
		r->cell_col[r->count] = r->column;
		if (r->pos < r->size && r->data[r->pos] == '"') {
			int qline = r->line, qcol = r->column;
			advance(r);
			for (;;) {
				if (r->pos >= r->size) {
					eic_diags_add(
					    diags, EIC_SEV_ERROR, file, qline, qcol,
					    "malformed CSV (a quoted cell is never closed)");
					return EIC_EPARSE;
				}
				char c = r->data[r->pos];
				if (c == '"') {
					if (r->pos + 1 < r->size && r->data[r->pos + 1] == '"') {
						advance(r);
						advance(r);
						eic_buf_putc(&r->text, '"');
						continue;
					}
					advance(r);
					break;
				}
				eic_buf_putc(&r->text, c);
				advance(r);
			}
			if (r->pos < r->size && r->data[r->pos] != ',' && r->data[r->pos] != '\n' &&
			    r->data[r->pos] != '\r') {
				eic_diags_add(
				    diags, EIC_SEV_ERROR, file, r->line, r->column,
				    "malformed CSV (expected a comma or the end of the line "
				    "after a closing quote)");
				return EIC_EPARSE;
			}
		} else {
			while (r->pos < r->size && r->data[r->pos] != ',' &&
			       r->data[r->pos] != '\n' && r->data[r->pos] != '\r') {
				if (r->data[r->pos] == '"') {
					eic_diags_add(
					    diags, EIC_SEV_ERROR, file, r->line, r->column,
					    "malformed CSV (a quote inside an unquoted cell)");
					return EIC_EPARSE;
				}
				eic_buf_putc(&r->text, r->data[r->pos]);
				advance(r);
			}
		}
		eic_buf_putc(&r->text, '\0');
		r->count++;
		if (r->pos < r->size && r->data[r->pos] == ',') {
			advance(r);
			continue;
		}
		if (r->pos < r->size && r->data[r->pos] == '\r')
			advance(r);
		if (r->pos < r->size && r->data[r->pos] == '\n')
			advance(r);
		break;
	}
	if (r->text.failed)
		return EIC_ENOMEM;
	for (size_t i = 0; i < r->count; i++)
		r->cells[i] = r->text.data + r->offs[i];
	return 1;
}

/* ---- factor tables ---- */

enum { C_PARAMETER = 0, C_KEY, C_VALUE, C_UNIT, C_LOW, C_HIGH, C_SOURCE, C_CHECKED, C_NOTE, C__N };
static const char *const column_names[C__N] = {"parameter", "key",    "value",   "unit", "low",
                                               "high",      "source", "checked", "note"};
static const int column_required[C__N] = {1, 1, 1, 1, 0, 0, 1, 1, 0};

static int valid_name(const char *s)
{
	if (eic_str_empty(s))
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '/' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/*
 * Read one table from memory into a staging set, then copy it into `f` only when it has no
 * errors, so that a failed read leaves `f` unchanged. O(size).
 */
int eic_factors_load_buffer(eic_factors *f, const char *name, const char *data, size_t size,
                            eic_diags *diags)
{
	if (!f || (!data && size))
		return EIC_EINVAL;
	const char *file = name ? name : "";
	eic_factors *stage = NULL;
	csvr r;
	memset(&r, 0, sizeof(r));
	r.data = data ? data : "";
	r.size = size;
	r.line = 1;
	r.column = 1;
	int col_of[C__N];
	int header_cols = 0;
	int errors = 0;
	int rc = eic_factors_new(&stage);
	if (rc < 0)
		goto done;
	for (int c = 0; c < C__N; c++)
		col_of[c] = -1;
	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r.pos = 3;
	rc = next_row(&r, file, diags);
	if (rc < 0)
		goto done;
	if (rc == 0) {
		eic_diags_add(diags, EIC_SEV_ERROR, file, 1, 1,
		              "empty factor table (expected a header line: parameter,key,value,"
		              "unit,low,high,source,checked,note)");
		rc = EIC_EPARSE;
		goto done;
	}
	header_cols = (int)r.count;
	for (int i = 0; i < header_cols; i++) {
		int known = 0;
		for (int c = 0; c < C__N; c++)
			if (strcmp(r.cells[i], column_names[c]) == 0) {
				if (col_of[c] >= 0) {
					eic_diags_add(diags, EIC_SEV_ERROR, file, r.cell_line[i],
					              r.cell_col[i], "column '%s' appears twice",
					              r.cells[i]);
					errors++;
				}
				col_of[c] = i;
				known = 1;
			}
		if (!known)
			eic_diags_add(diags, EIC_SEV_WARNING, file, r.cell_line[i], r.cell_col[i],
			              "unknown column '%s' ignored", r.cells[i]);
	}
	for (int c = 0; c < C__N; c++)
		if (column_required[c] && col_of[c] < 0) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, 1, 1,
			              "missing required column '%s' in the header",
			              column_names[c]);
			errors++;
		}
	if (errors) {
		rc = EIC_EPARSE;
		goto done;
	}
	while ((rc = next_row(&r, file, diags)) == 1) {
		const char *v[C__N];
		int row_errors = 0;
		if ((int)r.count != header_cols) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, r.row_line, 1,
			              "row has %zu cells, the header has %d", r.count, header_cols);
			errors++;
			continue;
		}
		for (int c = 0; c < C__N; c++)
			v[c] = col_of[c] >= 0 ? r.cells[col_of[c]] : "";
/* Where column c's cell is; an absent optional column points at the row's first cell. */
#define AT(c)                                                                                      \
	r.cell_line[col_of[c] >= 0 ? col_of[c] : 0], r.cell_col[col_of[c] >= 0 ? col_of[c] : 0]
		eic_factor fa;
		memset(&fa, 0, sizeof(fa));
		fa.parameter = v[C_PARAMETER];
		fa.key = v[C_KEY];
		fa.unit = v[C_UNIT];
		fa.source = v[C_SOURCE];
		fa.note = v[C_NOTE];
		fa.file = file;
		fa.line = r.row_line;
		if (!valid_name(v[C_PARAMETER])) {
			eic_diags_add(
			    diags, EIC_SEV_ERROR, file, AT(C_PARAMETER),
			    "parameter '%s' is empty or has characters other than letters, "
			    "digits, '_', '/', '.', '-'",
			    v[C_PARAMETER]);
			row_errors++;
		}
		if (!valid_name(v[C_KEY])) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_KEY),
			              "key '%s' is empty or has characters other than letters, "
			              "digits, '_', '/', '.', '-'",
			              v[C_KEY]);
			row_errors++;
		}
		if (strlen(v[C_PARAMETER]) + strlen(v[C_KEY]) > MAX_KEY) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_KEY),
			              "parameter and key longer than %d bytes together", MAX_KEY);
			row_errors++;
		}
		if (eic_parse_double(&fa.value, v[C_VALUE]) < 0) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_VALUE),
			              "value '%s' of %s/%s is not a finite number", v[C_VALUE],
			              v[C_PARAMETER], v[C_KEY]);
			row_errors++;
		}
		if (eic_str_empty(v[C_UNIT])) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_UNIT),
			              "factor %s/%s has no unit", v[C_PARAMETER], v[C_KEY]);
			row_errors++;
		}
		if (eic_str_empty(v[C_SOURCE])) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_SOURCE),
			              "factor %s/%s has no source", v[C_PARAMETER], v[C_KEY]);
			row_errors++;
		}
		if (strcmp(v[C_CHECKED], "yes") == 0) {
			fa.checked = 1;
		} else if (strcmp(v[C_CHECKED], "no") != 0) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_CHECKED),
			              "checked is '%s' (expected yes or no)", v[C_CHECKED]);
			row_errors++;
		}
		int has_low = !eic_str_empty(v[C_LOW]), has_high = !eic_str_empty(v[C_HIGH]);
		if (has_low != has_high) {
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(has_low ? C_HIGH : C_LOW),
			              "a range needs both low and high (only %s is given)",
			              has_low ? "low" : "high");
			row_errors++;
		} else if (has_low) {
			if (eic_parse_double(&fa.low, v[C_LOW]) < 0) {
				eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_LOW),
				              "low '%s' is not a finite number", v[C_LOW]);
				row_errors++;
			} else if (eic_parse_double(&fa.high, v[C_HIGH]) < 0) {
				eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_HIGH),
				              "high '%s' is not a finite number", v[C_HIGH]);
				row_errors++;
			} else if (fa.low > fa.high) {
				eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_LOW),
				              "low %s is above high %s", v[C_LOW], v[C_HIGH]);
				row_errors++;
			} else {
				fa.has_range = 1;
			}
		}
		if (!row_errors && eic_factors_get(stage, fa.parameter, fa.key)) {
			const eic_factor *first = eic_factors_get(stage, fa.parameter, fa.key);
			eic_diags_add(diags, EIC_SEV_ERROR, file, AT(C_KEY),
			              "factor %s/%s already given on line %d", fa.parameter, fa.key,
			              first->line);
			row_errors++;
		}
#undef AT
		if (row_errors) {
			errors += row_errors;
			continue;
		}
		if ((rc = put(stage, &fa)) < 0)
			goto done;
	}
	if (rc < 0)
		goto done;
	if (errors) {
		rc = EIC_EPARSE;
		goto done;
	}
	rc = eic_factors_overlay(f, stage);
done:
	eic_buf_free(&r.text);
	eic_factors_free(stage);
	return rc;
}

int eic_factors_load_file(eic_factors *f, const char *path, eic_diags *diags)
{
	if (!f || !path)
		return EIC_EINVAL;
	int rc;
	eic_buf b = EIC_BUF_INIT;
	b.cap_limit = MAX_FILE_BYTES;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		rc = errno == ENOENT ? EIC_ENOTFOUND : EIC_EIO;
		eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0, "cannot open the factor table: %s",
		              strerror(errno));
		return rc;
	}
	char chunk[8192];
	size_t n;
	rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (eic_buf_put(&b, chunk, n) < 0) {
			rc = b.cap_limit && b.len + n > b.cap_limit ? EIC_EIO : EIC_ENOMEM;
			if (rc == EIC_EIO)
				eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
				              "factor table larger than %zu bytes",
				              (size_t)MAX_FILE_BYTES);
			goto done;
		}
	if (ferror(fp)) {
		eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0, "cannot read the factor table");
		rc = EIC_EIO;
		goto done;
	}
	rc = eic_factors_load_buffer(f, path, b.data ? b.data : "", b.len, diags);
done:
	fclose(fp);
	eic_buf_free(&b);
	return rc;
}

static const char *const shipped_tables[] = {"gwp100.csv",
                                             "swds_k.csv",
                                             "swds_parameters.csv",
                                             "stationary_combustion.csv",
                                             "biological_treatment.csv",
                                             "open_burning.csv",
                                             "grid_electricity.csv",
                                             "transport.csv",
                                             "energy_conversion.csv",
                                             "biomass.csv",
                                             "biogas_yields.csv",
                                             "benefits.csv"};

/* Which shipped table holds each parameter (for messages naming where a factor belongs). */
static const struct {
	const char *parameter;
	const char *table;
} parameter_tables[] = {
    {"gwp100", "gwp100.csv"},
    {"k", "swds_k.csv"},
    {"DOC", "swds_parameters.csv"},
    {"DOCf", "swds_parameters.csv"},
    {"F", "swds_parameters.csv"},
    {"MCF", "swds_parameters.csv"},
    {"OX", "swds_parameters.csv"},
    {"NCV", "stationary_combustion.csv"},
    {"EF_CO2", "stationary_combustion.csv"},
    {"EF_CH4", "stationary_combustion.csv"},
    {"EF_N2O", "stationary_combustion.csv"},
    {"biogenic", "stationary_combustion.csv"},
    {"density", "stationary_combustion.csv"},
    {"EF_CH4_bio", "biological_treatment.csv"},
    {"EF_N2O_bio", "biological_treatment.csv"},
    {"dm", "open_burning.csv"},
    {"CF", "open_burning.csv"},
    {"FCF", "open_burning.csv"},
    {"OF", "open_burning.csv"},
    {"EF_CH4_ob", "open_burning.csv"},
    {"EF_N2O_ob", "open_burning.csv"},
    {"EF_grid", "grid_electricity.csv"},
    {"EF_tkm", "transport.csv"},
    {"efficiency", "energy_conversion.csv"},
    {"LHV_CH4", "energy_conversion.csv"},
    {"density_CH4", "energy_conversion.csv"},
    {"LHV_dry", "biomass.csv"},
    {"moisture", "biomass.csv"},
    {"biogas_yield", "biogas_yields.csv"},
    {"CH4_share", "biogas_yields.csv"},
    {"jobs_per_kt", "benefits.csv"},
    {"water_m3_per_t", "benefits.csv"},
};

const char *eic_factors_table_of(const char *parameter)
{
	for (size_t i = 0; parameter && i < sizeof(parameter_tables) / sizeof(parameter_tables[0]);
	     i++)
		if (strcmp(parameter, parameter_tables[i].parameter) == 0)
			return parameter_tables[i].table;
	return NULL;
}

int eic_factors_load_dir(eic_factors *f, const char *dir, eic_diags *diags)
{
	char path[4096];
	char def[4096];
	if (!f)
		return EIC_EINVAL;
	if (!dir) {
		int n = snprintf(def, sizeof(def), "%s/factors", eic_data_dir());
		if (n < 0 || (size_t)n >= sizeof(def))
			return EIC_EINVAL;
		dir = def;
	}
	for (size_t i = 0; i < sizeof(shipped_tables) / sizeof(shipped_tables[0]); i++) {
		int n = snprintf(path, sizeof(path), "%s/%s", dir, shipped_tables[i]);
		if (n < 0 || (size_t)n >= sizeof(path))
			return EIC_EINVAL;
		int rc = eic_factors_load_file(f, path, diags);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- helpers shared by the module ---- */

int eic_impact__bad_amount(eic_diags *diags, const char *what, double v)
{
	if (isfinite(v) && v >= 0)
		return 0;
	eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0, "%s is %g (expected a finite number >= 0)",
	              what, v);
	return 1;
}

const eic_factor *eic_impact__need(const eic_factors *factors, eic_diags *diags,
                                   const char *parameter, const char *key, const char *what)
{
	const eic_factor *fa = eic_factors_get(factors, parameter, key);
	if (fa)
		return fa;
	const char *table = eic_factors_table_of(parameter);
	char where[160];
	if (table)
		snprintf(where, sizeof(where), "; expected in data/factors/%s or the cluster's %s",
		         table, EIC_CLUSTER_FACTORS_FILE);
	else
		snprintf(where, sizeof(where), "; give it in the cluster's %s",
		         EIC_CLUSTER_FACTORS_FILE);
	eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0, "no factor %s/%s in the factor set (%s%s)",
	              parameter ? parameter : "", key ? key : "", what ? what : "needed", where);
	return NULL;
}

int eic_factors_need(const eic_factor **out, const eic_factors *factors, const char *parameter,
                     const char *key, const char *what, eic_diags *diags)
{
	if (!out || !factors)
		return EIC_EINVAL;
	*out = eic_impact__need(factors, diags, parameter, key, what);
	return *out ? 0 : EIC_EINVALID;
}

int eic_factors_value(double *out, const eic_factors *factors, const char *parameter,
                      const char *key, const char *what, eic_diags *diags)
{
	const eic_factor *fa = NULL;
	if (!out)
		return EIC_EINVAL;
	*out = 0;
	int rc = eic_factors_need(&fa, factors, parameter, key, what, diags);
	if (rc == 0)
		*out = fa->value;
	return rc;
}

int eic_factors_copy(eic_factors **out, const eic_factors *src)
{
	eic_factors *f = NULL;
	if (!out || !src)
		return EIC_EINVAL;
	*out = NULL;
	int rc = eic_factors_new(&f);
	if (rc == 0)
		rc = eic_factors_overlay(f, src);
	if (rc < 0) {
		eic_factors_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

int eic_factors_set_value(eic_factors *f, const char *parameter, const char *key, double value)
{
	char buf[MAX_KEY + 2];
	size_t i;
	if (!f || !isfinite(value))
		return EIC_EINVAL;
	if (combine(buf, sizeof(buf), parameter, key) < 0 || !eic_map_get(&f->index, buf, &i))
		return EIC_ENOTFOUND;
	EIC_VEC_AT(&f->factors, eic_factor, i)->value = value;
	return 0;
}

int eic_impact__bad_gwp_set(const eic_factors *factors, eic_diags *diags, const char *set)
{
	if (!eic_str_empty(set)) {
		char key[128];
		int n = snprintf(key, sizeof(key), "CO2/%s", set);
		if (n > 0 && (size_t)n < sizeof(key) && eic_factors_get(factors, "gwp100", key))
			return 0;
	}
	eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
	              "unknown GWP set '%s' (the factor set has no gwp100/CO2/%s; shipped sets: "
	              "SAR, AR4, AR5, AR5_ccfb, AR6)",
	              set ? set : "", set ? set : "");
	return 1;
}

int eic_factors_gwp(double *out, const eic_factors *factors, const char *gwp_set, const char *gas,
                    eic_diags *diags)
{
	char key[128];
	if (!out || !factors)
		return EIC_EINVAL;
	*out = 0;
	if (eic_impact__bad_gwp_set(factors, diags, gwp_set))
		return EIC_EINVALID;
	int n = snprintf(key, sizeof(key), "%s/%s", gas ? gas : "", gwp_set);
	const eic_factor *fa = NULL;
	if (n > 0 && (size_t)n < sizeof(key) && !eic_str_empty(gas))
		fa = eic_factors_get(factors, "gwp100", key);
	if (!fa) {
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		              "no GWP100 for gas '%s' in set %s (factor gwp100/%s/%s)",
		              gas ? gas : "", gwp_set, gas ? gas : "", gwp_set);
		return EIC_EINVALID;
	}
	*out = fa->value;
	return 0;
}
