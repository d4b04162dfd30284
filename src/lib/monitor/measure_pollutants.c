/* measure_pollutants.c: the pollutant catalogue (data/monitoring/pollutants.csv) that emission
 * records are checked against: codes, names, CAS numbers, list, unit and source per entry. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "measure_private.h"

struct eic_pollutants {
	eic_arena arena;
	eic_vec items; /* eic_pollutant */
	eic_map codes; /* code -> index (keys in the arena) */
};

enum { C_CODE = 0, C_NAME, C_CAS, C_LIST, C_GROUP, C_UNIT, C_SOURCE, C__N };
static const char *const col_names[C__N] = {"code",  "name", "cas",   "list",
                                            "group", "unit", "source"};

typedef struct {
	eic_pollutants *cat;
	eic_diags *diags;
	const char *file;
	const char *data;
	size_t size;
	int col[C__N]; /* physical cell of each column, -1 absent */
	int header_done;
	int errors;
} load_ctx;

static void error_at(load_ctx *x, const eic_mtab_row *row, int field, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void error_at(load_ctx *x, const eic_mtab_row *row, int field, const char *fmt, ...)
{
	int line, column;
	char msg[512];
	va_list ap;
	eic_measure__locate(x->data, x->size, ',', row->offset, field < 0 ? 0 : field, &line,
	                    &column);
	x->errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (x->diags)
		eic_diags_add(x->diags, EIC_SEV_ERROR, x->file, line, column, "%s", msg);
}

static int on_row(void *ctx, const eic_mtab_row *row)
{
	load_ctx *x = ctx;
	if (!x->header_done) {
		x->header_done = 1;
		for (int c = 0; c < C__N; c++)
			x->col[c] = -1;
		for (int f = 0; f < row->count; f++) {
			const char *name =
			    f == 0 ? eic_measure__strip_bom(row->cells[0]) : row->cells[f];
			for (int c = 0; c < C__N; c++)
				if (strcmp(name, col_names[c]) == 0)
					x->col[c] = f;
		}
		for (int c = 0; c < C__N; c++)
			if (x->col[c] < 0)
				error_at(x, row, 0, "missing column '%s' in header (expected %s)",
				         col_names[c], "code,name,cas,list,group,unit,source");
		return 0;
	}
	if (x->errors)
		return 0;
	const char *v[C__N];
	for (int c = 0; c < C__N; c++)
		v[c] = x->col[c] < row->count ? row->cells[x->col[c]] : "";
	if (eic_str_empty(v[C_CODE])) {
		error_at(x, row, x->col[C_CODE], "empty pollutant code");
		return 0;
	}
	if (eic_map_get(&x->cat->codes, v[C_CODE], &(size_t){0})) {
		error_at(x, row, x->col[C_CODE], "duplicate pollutant code '%s'", v[C_CODE]);
		return 0;
	}
	eic_unit u;
	if (eic_unit_parse(&u, v[C_UNIT]) < 0 || eic_unit_kind(&u) != EIC_KIND_MASS) {
		error_at(x, row, x->col[C_UNIT], "bad unit '%s' (expected a mass unit, e.g. kg)",
		         v[C_UNIT]);
		return 0;
	}
	eic_pollutant p;
	eic_arena *A = &x->cat->arena;
	p.code = eic_arena_strdup(A, v[C_CODE]);
	p.name = eic_arena_strdup(A, v[C_NAME]);
	p.cas = eic_arena_strdup(A, v[C_CAS]);
	p.list = eic_arena_strdup(A, v[C_LIST]);
	p.group = eic_arena_strdup(A, v[C_GROUP]);
	p.unit = eic_arena_strdup(A, v[C_UNIT]);
	p.source = eic_arena_strdup(A, v[C_SOURCE]);
	if (!p.code || !p.name || !p.cas || !p.list || !p.group || !p.unit || !p.source ||
	    !eic_vec_push(&x->cat->items, &p) ||
	    eic_map_put(&x->cat->codes, p.code, x->cat->items.len - 1) < 0)
		return EIC_ENOMEM;
	return 0;
}

/*
 * Load the catalogue: one pass over the CSV, O(rows). Every row is checked (code present and
 * unique, unit a mass unit); any error fails the load with EIC_EINVALID.
 */
int eic_pollutants_load(eic_pollutants **out, const char *path, eic_diags *diags)
{
	char def[4096];
	char *data = NULL;
	size_t size;
	int error;
	load_ctx x;
	eic_mtab_syntax syn;

	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!path) {
		int n = snprintf(def, sizeof(def), "%s/monitoring/pollutants.csv", eic_data_dir());
		if (n < 0 || (size_t)n >= sizeof(def))
			return EIC_EINVAL;
		path = def;
	}
	if ((error = eic_measure__slurp(&data, &size, path)) < 0) {
		if (diags && error == EIC_EIO)
			eic_diags_add(
			    diags, EIC_SEV_ERROR, path, 0, 0,
			    "cannot read the pollutant catalogue (set EIC_DATA_DIR to the "
			    "data folder)");
		return error;
	}
	eic_pollutants *cat = eic_calloc(1, sizeof(*cat));
	if (!cat) {
		eic_free(data);
		return EIC_ENOMEM;
	}
	eic_arena_init(&cat->arena);
	eic_vec_init(&cat->items, sizeof(eic_pollutant));
	eic_map_init(&cat->codes);
	memset(&x, 0, sizeof(x));
	x.cat = cat;
	x.diags = diags;
	x.file = path;
	x.data = data;
	x.size = size;
	if ((error = eic_measure__read_table(data, size, ',', on_row, &x, &syn)) < 0)
		goto done;
	if (syn.line) {
		x.errors++;
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, path, syn.line, syn.column, "%s",
			              syn.what);
	}
	if (!x.header_done) {
		x.errors++;
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, path, 1, 1, "empty catalogue");
	}
	if (x.errors)
		error = EIC_EINVALID;
done:
	eic_free(data);
	if (error < 0) {
		eic_pollutants_free(cat);
		return error;
	}
	*out = cat;
	return 0;
}

void eic_pollutants_free(eic_pollutants *cat)
{
	if (!cat)
		return;
	eic_map_free(&cat->codes);
	eic_vec_free(&cat->items);
	eic_arena_clear(&cat->arena);
	eic_free(cat);
}

size_t eic_pollutants_count(const eic_pollutants *cat)
{
	return cat ? cat->items.len : 0;
}

const eic_pollutant *eic_pollutants_at(const eic_pollutants *cat, size_t i)
{
	return cat && i < cat->items.len ? EIC_VEC_AT(&cat->items, eic_pollutant, i) : NULL;
}

const eic_pollutant *eic_pollutants_find(const eic_pollutants *cat, const char *code)
{
	size_t i;
	if (!cat || !code || !eic_map_get(&cat->codes, code, &i))
		return NULL;
	return EIC_VEC_AT(&cat->items, eic_pollutant, i);
}

const eic_pollutant *eic_pollutants_find_cas(const eic_pollutants *cat, const char *cas,
                                             const char *list)
{
	if (!cat || eic_str_empty(cas))
		return NULL;
	for (size_t i = 0; i < cat->items.len; i++) {
		const eic_pollutant *p = EIC_VEC_AT(&cat->items, eic_pollutant, i);
		if (strcmp(p->cas, cas) == 0 && (!list || strcmp(p->list, list) == 0))
			return p;
	}
	return NULL;
}
