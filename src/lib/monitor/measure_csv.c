/* measure_csv.c: reads measurement records from CSV (docs/format.md, "Measurement records"),
 * all rows or none, with file:line:column errors and period-order checks per series. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "measure_private.h"

enum {
	C_ACTOR = 0,
	C_PERIOD,
	C_KIND,
	C_SUBJECT,
	C_MEDIUM,
	C_FATE,
	C_FATE_CODE,
	C_COUNTERPART,
	C_VALUE,
	C_UNIT,
	C_CONCENTRATION,
	C_CONCENTRATION_UNIT,
	C_LIMIT,
	C_LIMIT_UNIT,
	C_STANDARD,
	C_METHOD,
	C_REPORTED_BY,
	C_VERIFIED,
	C_VERIFIED_BY,
	C_SOURCE,
	C_SUPERSEDES,
	C_NOTE,
	C__N
};

static const struct {
	const char *name;
	int required;
} columns[C__N] = {
    {"actor", 1},       {"period", 1},     {"kind", 1},          {"subject", 0},
    {"medium", 0},      {"fate", 0},       {"fate_code", 0},     {"counterpart", 0},
    {"value", 1},       {"unit", 1},       {"concentration", 0}, {"concentration_unit", 0},
    {"limit", 0},       {"limit_unit", 0}, {"standard", 0},      {"method", 1},
    {"reported_by", 1}, {"verified", 0},   {"verified_by", 0},   {"source", 0},
    {"supersedes", 0},  {"note", 0},
};

/* Where the last record of a series ended (for the order check). */
typedef struct {
	char end[11];
	int line;
	char label[24];
} series_end;

typedef struct {
	eic_measure_set *set;
	eic_diags *diags;
	const char *file;
	const char *base; /* file name without directories, kept as source_file */
	const char *data;
	size_t size;
	const eic_cluster *cluster;
	int col[C__N]; /* physical cell of each column, -1 absent */
	int header_count;
	int header_done;
	int header_fatal;
	int errors;
	eic_map series;    /* series key -> index in `ends` */
	eic_vec ends;      /* series_end */
	eic_map current;   /* series key + period of current records before the file -> index */
	eic_arena scratch; /* keys */
	eic_buf key;
	int oom;
} csv_ctx;

static void error_at(csv_ctx *x, const eic_mtab_row *row, int col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void error_at(csv_ctx *x, const eic_mtab_row *row, int col, const char *fmt, ...)
{
	int line, column;
	char msg[768];
	va_list ap;
	int field = col >= 0 && x->col[col] >= 0 ? x->col[col] : 0;
	eic_measure__locate(x->data, x->size, ',', row->offset, field, &line, &column);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->errors++;
	if (x->diags &&
	    eic_diags_add(x->diags, EIC_SEV_ERROR, x->file, line, column, "%s", msg) < 0)
		x->oom = 1;
}

/* The series key: actor, kind, subject, medium, fate, counterpart separated by \x1f. */
static const char *series_key(csv_ctx *x, const eic_measurement *r, const char *period)
{
	eic_buf_clear(&x->key);
	eic_buf_printf(&x->key, "%s\x1f%d\x1f%s\x1f%d\x1f%d\x1f%s", r->actor, (int)r->kind,
	               r->subject, (int)r->medium, (int)r->fate, r->counterpart);
	if (period)
		eic_buf_printf(&x->key, "\x1f%s", period);
	if (x->key.failed) {
		x->oom = 1;
		return NULL;
	}
	return x->key.data;
}

/* Index the current records already in the set by series and period. */
static int index_current(csv_ctx *x)
{
	size_t n = eic_measure_count(x->set);
	for (size_t i = 0; i < n; i++) {
		const eic_measurement *r = eic_measure_at(x->set, i);
		char period[24];
		if (!eic_measure_is_current(x->set, r))
			continue;
		snprintf(period, sizeof(period), "%s/%s", r->start, r->end);
		const char *k = series_key(x, r, period);
		char *copy = k ? eic_arena_strdup(&x->scratch, k) : NULL;
		if (!copy || eic_map_put(&x->current, copy, i) < 0)
			return EIC_ENOMEM;
	}
	return 0;
}

static void header(csv_ctx *x, const eic_mtab_row *row)
{
	int line, column;
	x->header_done = 1;
	x->header_count = row->count;
	for (int c = 0; c < C__N; c++)
		x->col[c] = -1;
	for (int f = 0; f < row->count; f++) {
		const char *name = f == 0 ? eic_measure__strip_bom(row->cells[0]) : row->cells[f];
		int found = -1;
		for (int c = 0; c < C__N; c++)
			if (strcmp(name, columns[c].name) == 0)
				found = c;
		eic_measure__locate(x->data, x->size, ',', row->offset, f, &line, &column);
		if (found < 0) {
			char expected[512];
			size_t n = 0;
			for (int c = 0; c < C__N && n < sizeof(expected); c++)
				n += (size_t)snprintf(expected + n, sizeof(expected) - n, "%s%s",
				                      c ? ", " : "", columns[c].name);
			x->errors++;
			eic_diags_add(x->diags, EIC_SEV_ERROR, x->file, line, column,
			              "unknown column '%s' (expected one of: %s)", name, expected);
			x->header_fatal = 1;
		} else if (x->col[found] >= 0) {
			x->errors++;
			eic_diags_add(x->diags, EIC_SEV_ERROR, x->file, line, column,
			              "duplicate column '%s' (expected each column once)", name);
			x->header_fatal = 1;
		} else {
			x->col[found] = f;
		}
	}
	for (int c = 0; c < C__N; c++)
		if (columns[c].required && x->col[c] < 0) {
			x->errors++;
			eic_diags_add(x->diags, EIC_SEV_ERROR, x->file, row->line, 1,
			              "missing required column '%s' in the header",
			              columns[c].name);
			x->header_fatal = 1;
		}
}

/* Which column a message of eic_measure_add is about, from its wording. */
static int column_of_message(const char *msg, int code)
{
	static const struct {
		const char *word;
		int col;
	} words[] = {
	    {"pollutant", C_SUBJECT},
	    {"subject", C_SUBJECT},
	    {"concentration", C_CONCENTRATION_UNIT},
	    {"limit", C_LIMIT_UNIT},
	    {"supersed", C_SUPERSEDES},
	    {"correction", C_SUPERSEDES},
	    {"medium", C_MEDIUM},
	    {"fate code", C_FATE_CODE},
	    {"fate", C_FATE},
	    {"reported_by", C_REPORTED_BY},
	    {"verified", C_VERIFIED_BY},
	    {"period", C_PERIOD},
	    {"value", C_VALUE},
	    {"actor", C_ACTOR},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(msg, words[i].word))
			return words[i].col;
	return code == EIC_EUNIT ? C_UNIT : -1;
}

static int parse_num(csv_ctx *x, const eic_mtab_row *row, int col, const char *text, double *out)
{
	if (eic_str_empty(text)) {
		*out = NAN;
		return 0;
	}
	if (eic_parse_double(out, text) < 0) {
		error_at(x, row, col, "bad %s (expected a number; found '%s')", columns[col].name,
		         text);
		return -1;
	}
	return 0;
}

static int parse_verified(const char *t, int *out)
{
	static const char *const yes[] = {"yes", "y", "true", "1"};
	static const char *const no[] = {"no", "n", "false", "0", ""};
	for (size_t i = 0; i < 4; i++)
		if (strcmp(t, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
	for (size_t i = 0; i < 5; i++)
		if (strcmp(t, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	return -1;
}

static int data_row(csv_ctx *x, const eic_mtab_row *row)
{
	const char *v[C__N];
	char start[11], end[11];
	eic_measurement r;
	int bad = 0;

	if (row->count != x->header_count || row->too_many) {
		error_at(x, row, -1,
		         "wrong number of cells (expected %d as in the header; found %s%d)",
		         x->header_count, row->too_many ? "more than " : "", row->count);
		return 0;
	}
	for (int c = 0; c < C__N; c++)
		v[c] = x->col[c] >= 0 ? row->cells[x->col[c]] : "";
	eic_measurement_init(&r);
	r.actor = v[C_ACTOR];
	r.subject = v[C_SUBJECT];
	r.fate_code = v[C_FATE_CODE];
	r.counterpart = v[C_COUNTERPART];
	r.unit = v[C_UNIT];
	r.concentration_unit = v[C_CONCENTRATION_UNIT];
	r.limit_unit = v[C_LIMIT_UNIT];
	r.standard = v[C_STANDARD];
	r.reported_by = v[C_REPORTED_BY];
	r.verified_by = v[C_VERIFIED_BY];
	r.source = v[C_SOURCE];
	r.source_file = x->base;
	r.source_row = row->line;
	r.supersedes = v[C_SUPERSEDES];
	r.note = v[C_NOTE];

	for (int c = 0; c < C__N; c++)
		if (columns[c].required && eic_str_empty(v[c])) {
			error_at(x, row, c, "empty %s (expected a value)", columns[c].name);
			return 0;
		}
	if (eic_measure_kind_parse(&r.kind, v[C_KIND]) < 0) {
		error_at(
		    x, row, C_KIND,
		    "unknown kind (expected production, value_added, employees, energy, "
		    "water_withdrawal, water_discharge, raw_material, waste or emission; found "
		    "'%s')",
		    v[C_KIND]);
		bad = 1;
	}
	if (eic_measure_period_parse(start, end, v[C_PERIOD]) < 0) {
		error_at(
		    x, row, C_PERIOD,
		    "bad period (expected YYYY, YYYY-MM, YYYY-MM-DD or START/END with ISO dates, "
		    "START <= END; found '%s')",
		    v[C_PERIOD]);
		bad = 1;
	}
	r.start = start;
	r.end = end;
	if (eic_medium_parse(&r.medium, v[C_MEDIUM]) < 0) {
		error_at(x, row, C_MEDIUM,
		         "unknown medium (expected air, water or land; found '%s')", v[C_MEDIUM]);
		bad = 1;
	}
	if (eic_waste_fate_parse(&r.fate, v[C_FATE]) < 0) {
		error_at(x, row, C_FATE,
		         "unknown fate (expected recovery, disposal, R or D; found "
		         "'%s')",
		         v[C_FATE]);
		bad = 1;
	}
	if (eic_measure_method_parse(&r.method, v[C_METHOD]) < 0) {
		error_at(
		    x, row, C_METHOD,
		    "unknown method (expected measured, calculated, estimated or M, C, E; found "
		    "'%s')",
		    v[C_METHOD]);
		bad = 1;
	}
	if (parse_verified(v[C_VERIFIED], &r.verified) < 0) {
		error_at(x, row, C_VERIFIED, "bad verified (expected yes or no; found '%s')",
		         v[C_VERIFIED]);
		bad = 1;
	}
	if (parse_num(x, row, C_VALUE, v[C_VALUE], &r.value) < 0 ||
	    parse_num(x, row, C_CONCENTRATION, v[C_CONCENTRATION], &r.concentration) < 0 ||
	    parse_num(x, row, C_LIMIT, v[C_LIMIT], &r.limit) < 0)
		bad = 1;
	if (x->cluster && !eic_cluster_find_actor(x->cluster, r.actor)) {
		error_at(x, row, C_ACTOR, "unknown actor '%s' (expected an actor of cluster '%s')",
		         r.actor, eic_cluster_info_get(x->cluster)->id);
		bad = 1;
	}
	if (bad)
		return 0;

	const eic_measurement *added;
	int error = eic_measure_add(&added, x->set, &r);
	if (error == EIC_ENOMEM)
		return error;
	if (error < 0) {
		const char *msg = eic_measure_set_errmsg(x->set);
		error_at(x, row, column_of_message(msg, error), "%s", msg);
		return 0;
	}
	if (!eic_str_empty(added->supersedes))
		return 0; /* a correction: exempt from the order and duplicate checks */

	/* already stored for this series and period? */
	char period[24];
	size_t found;
	snprintf(period, sizeof(period), "%s/%s", added->start, added->end);
	const char *k = series_key(x, added, period);
	if (!k)
		return EIC_ENOMEM;
	if (eic_map_get(&x->current, k, &found)) {
		error_at(x, row, C_PERIOD,
		         "period %s of this series is already recorded as record %s (expected a "
		         "new period; to correct record %s, put its id in the supersedes column)",
		         v[C_PERIOD], eic_measure_at(x->set, found)->id,
		         eic_measure_at(x->set, found)->id);
		return 0;
	}
	/* in order, without overlap, within the file */
	if (!(k = series_key(x, added, NULL)))
		return EIC_ENOMEM;
	if (eic_map_get(&x->series, k, &found)) {
		series_end *e = EIC_VEC_AT(&x->ends, series_end, found);
		if (strcmp(added->start, e->end) <= 0) {
			error_at(
			    x, row, C_PERIOD,
			    "period %s of actor %s %s%s%s is out of order or overlaps period %s "
			    "on line %d (expected the periods of one series in increasing order "
			    "without overlap)",
			    v[C_PERIOD], added->actor, eic_measure_kind_name(added->kind),
			    *added->subject ? " " : "", added->subject, e->label, e->line);
			return 0;
		}
		memcpy(e->end, added->end, 11);
		e->line = row->line;
		snprintf(e->label, sizeof(e->label), "%s", v[C_PERIOD]);
		return 0;
	}
	series_end e;
	memcpy(e.end, added->end, 11);
	e.line = row->line;
	snprintf(e.label, sizeof(e.label), "%s", v[C_PERIOD]);
	char *copy = eic_arena_strdup(&x->scratch, k);
	if (!copy || !eic_vec_push(&x->ends, &e) ||
	    eic_map_put(&x->series, copy, x->ends.len - 1) < 0)
		return EIC_ENOMEM;
	return 0;
}

static int on_row(void *ctx, const eic_mtab_row *row)
{
	csv_ctx *x = ctx;
	int error = 0;
	if (!x->header_done)
		header(x, row);
	else if (!x->header_fatal)
		error = data_row(x, row);
	if (error == 0 && x->oom)
		error = EIC_ENOMEM;
	return error;
}

/*
 * One pass over the file, O(rows) plus the set's checks. Rows are added to the set as they
 * are read; if any error was found, the set is cut back to what it held before the call.
 */
int eic_measure_read_csv(eic_measure_set *set, eic_diags *diags, const char *file, const char *data,
                         size_t size, const eic_cluster *cluster)
{
	csv_ctx x;
	eic_mtab_syntax syn;
	int error;

	if (!set || !diags || !data)
		return EIC_EINVAL;
	size_t before = eic_measure_count(set);
	memset(&x, 0, sizeof(x));
	x.set = set;
	x.diags = diags;
	x.file = file ? file : "";
	x.base = strrchr(x.file, '/') ? strrchr(x.file, '/') + 1 : x.file;
	x.data = data;
	x.size = size;
	x.cluster = cluster;
	eic_map_init(&x.series);
	eic_map_init(&x.current);
	eic_vec_init(&x.ends, sizeof(series_end));
	eic_arena_init(&x.scratch);
	if ((error = index_current(&x)) < 0)
		goto done;
	if ((error = eic_measure__read_table(data, size, ',', on_row, &x, &syn)) < 0)
		goto done;
	if (syn.line) {
		x.errors++;
		eic_diags_add(diags, EIC_SEV_ERROR, x.file, syn.line, syn.column,
		              "malformed CSV: %s", syn.what);
	}
	if (!x.header_done) {
		x.errors++;
		eic_diags_add(diags, EIC_SEV_ERROR, x.file, 1, 1,
		              "empty file (expected a header line with actor, period, kind, value, "
		              "unit, method, reported_by)");
	}
	if (x.errors)
		error = EIC_EINVALID;
done:
	if (error < 0) {
		int rc = eic_measure__truncate(set, before);
		if (rc < 0)
			error = rc;
	}
	eic_map_free(&x.series);
	eic_map_free(&x.current);
	eic_vec_free(&x.ends);
	eic_arena_clear(&x.scratch);
	eic_buf_free(&x.key);
	return error;
}
