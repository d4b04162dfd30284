/* package.c: reads a cluster package (folder or single JSON document) into the model:
 * cluster.json, the default catalogue, the classifications, every table, then the checks. */
#include "io_internal.h"

#include <eic/balance.h>

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE_BYTES ((size_t)4 << 30) /* 4 GiB per file */

const char *eic_data_dir(void)
{
	const char *env = getenv("EIC_DATA_DIR");
	if (env && *env)
		return env;
#ifdef EIC_DEFAULT_DATA_DIR
	return EIC_DEFAULT_DATA_DIR;
#else
	return "data";
#endif
}

/* Read a whole file; *out is malloc'd and NUL-terminated. EIC_ENOTFOUND if absent.
 * Regular files are read in one allocation of their size; other files grow by doubling. */
static int slurp(char **out, size_t *out_size, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? EIC_ENOTFOUND : EIC_EIO;
	int rc = EIC_EIO;
	char *data = NULL;
	size_t cap = 65536 * 4, len = 0;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
		if ((size_t)st.st_size > MAX_FILE_BYTES) {
			rc = EIC_ENOMEM;
			goto done;
		}
		cap = (size_t)st.st_size + 1;
	}
	for (;;) {
		if (len + 1 >= cap || !data) {
			size_t ncap = data ? cap * 2 : cap;
			if (ncap > MAX_FILE_BYTES + 1) {
				rc = EIC_ENOMEM;
				goto done;
			}
			char *p = eic_realloc(data, ncap);
			if (!p) {
				rc = EIC_ENOMEM;
				goto done;
			}
			data = p;
			cap = ncap;
		}
		size_t n = fread(data + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		goto done;
	data[len] = '\0';
	*out = data;
	*out_size = len;
	data = NULL;
	rc = 0;
done:
	eic_free(data);
	fclose(f);
	return rc;
}

/* ---- classifications (data/classifications/ CSV files), read with libcsv by header name ---- */

typedef struct {
	eic_map *map;
	eic_arena *arena;
	const char *key_col, *val_col; /* val_col may be NULL: value 1 */
	int key_idx, val_idx, field, row, failed;
	char key[64];
	int haz;
	int nace; /* normalise: strip section letter and dots */
} classctx;

static void class_field(void *s, size_t len, void *ctx)
{
	classctx *c = ctx;
	const char *t = s ? s : "";
	if (c->row == 0) {
		if (strlen(c->key_col) == len && memcmp(t, c->key_col, len) == 0)
			c->key_idx = c->field;
		if (c->val_col && strlen(c->val_col) == len && memcmp(t, c->val_col, len) == 0)
			c->val_idx = c->field;
	} else if (c->field == c->key_idx) {
		size_t n = 0;
		for (size_t i = 0; i < len && n + 1 < sizeof(c->key); i++) {
			if (c->nace && (t[i] == '.' || (i == 0 && t[i] >= 'A' && t[i] <= 'Z')))
				continue;
			c->key[n++] = t[i];
		}
		c->key[n] = '\0';
	} else if (c->field == c->val_idx) {
		c->haz = len > 0 && (t[0] == 'y' || t[0] == 'Y' || t[0] == '1' || t[0] == 't');
	}
	c->field++;
}

static void class_row(int term, void *ctx)
{
	classctx *c = ctx;
	(void)term;
	if (c->row > 0 && c->key[0]) {
		char *k = eic_arena_strdup(c->arena, c->key);
		if (!k || eic_map_put(c->map, k, (size_t)(c->val_col ? c->haz : 1)) < 0)
			c->failed = 1;
	}
	c->row++;
	c->field = 0;
	c->key[0] = '\0';
	c->haz = 0;
}

/* Load one classification file into `map`. Returns 1 loaded, 0 absent, <0 error. */
static int load_class(eic_reader *r, eic_map *map, const char *file, const char *key_col,
                      const char *alt_key_col, const char *val_col, int nace)
{
	char path[4096];
	char *data = NULL;
	size_t size = 0;
	snprintf(path, sizeof(path), "%s/classifications/%s", eic_data_dir(), file);
	int rc = slurp(&data, &size, path);
	if (rc == EIC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	for (int attempt = 0; attempt < 2; attempt++) {
		classctx c = {map,
		              &r->class_arena,
		              attempt ? alt_key_col : key_col,
		              val_col,
		              -1,
		              -1,
		              0,
		              0,
		              0,
		              "",
		              0,
		              nace};
		if (!c.key_col)
			break;
		struct csv_parser p;
		if (csv_init(&p, 0) != 0) {
			eic_free(data);
			return EIC_ENOMEM;
		}
		csv_parse(&p, data, size, class_field, class_row, &c);
		csv_fini(&p, class_field, class_row, &c);
		csv_free(&p);
		if (c.failed) {
			eic_free(data);
			return EIC_ENOMEM;
		}
		if (c.key_idx >= 0 && map->count > 0)
			break;
	}
	eic_free(data);
	return map->count > 0 ? 1 : 0;
}

static int load_classifications(eic_reader *r)
{
	int rc;
	if ((rc = load_class(r, &r->ewc, "ewc.csv", "code", "ewc_code", "hazardous", 0)) < 0)
		return rc;
	r->have_ewc = rc;
	if ((rc = load_class(r, &r->isic, "isic4.csv", "code", "isic_rev4", NULL, 0)) < 0)
		return rc;
	r->have_isic = rc;
	if ((rc = load_class(r, &r->nace, "nace2.csv", "nace2", "nace_rev2", NULL, 1)) < 0)
		return rc;
	r->have_nace = rc;
	if (!r->have_ewc || !r->have_isic)
		eic_diags_add(r->diags, EIC_SEV_WARNING, eic_data_dir(), 0, 0,
		              "classification lists not found under %s/classifications: EWC and "
		              "ISIC codes are not checked",
		              eic_data_dir());
	return 0;
}

/* ---- reader lifecycle ---- */

static int reader_init(eic_reader *r, eic_diags *diags, const eic_read_options *opts)
{
	memset(r, 0, sizeof(*r));
	eic_read_options defaults = EIC_READ_OPTIONS_INIT;
	r->opts = opts ? *opts : defaults;
	if (r->opts.balance_tolerance <= 0)
		r->opts.balance_tolerance = defaults.balance_tolerance;
	r->diags = diags;
	eic_map *maps[] = {&r->flow_ids,
	                   &r->offer_ids,
	                   &r->level_ids,
	                   &r->seen_nodes,
	                   &r->seen_materials,
	                   &r->seen_facilities,
	                   &r->actor_lines,
	                   &r->process_lines,
	                   &r->ewc,
	                   &r->isic,
	                   &r->nace};
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		eic_map_init(maps[i]);
	eic_arena_init(&r->scratch);
	eic_arena_init(&r->class_arena);
	return eic_cluster_new(&r->cluster);
}

static void reader_free(eic_reader *r)
{
	eic_map *maps[] = {&r->flow_ids,
	                   &r->offer_ids,
	                   &r->level_ids,
	                   &r->seen_nodes,
	                   &r->seen_materials,
	                   &r->seen_facilities,
	                   &r->actor_lines,
	                   &r->process_lines,
	                   &r->ewc,
	                   &r->isic,
	                   &r->nace};
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		eic_map_free(maps[i]);
	eic_arena_clear(&r->scratch);
	eic_arena_clear(&r->class_arena);
	eic_buf_free(&r->class_buf);
	eic_cluster_free(r->cluster);
}

/* ---- JSON helpers ---- */

typedef struct {
	eic_reader *r;
	const char *file;
	eic_jloc loc;
} jdoc;

#ifdef __GNUC__
__attribute__((format(printf, 6, 7)))
#endif
static void
jerr(jdoc *d, const eic_jstep *path, int depth, int want_key, eic_severity sev, const char *fmt,
     ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line, column;
	eic_io__jlocate(&d->loc, path, depth, want_key, &line, &column);
	eic_diags_add(d->r->diags, sev, d->file, line, column, "%s", msg);
}

/* Text of a scalar JSON value for the row decoder (into buf when not a string). */
static const char *jtext(const json_t *v, char *buf, size_t size)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		eic_fmt_double(buf, size, json_real_value(v));
		return buf;
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "";
	default:
		return NULL;
	}
}

typedef struct {
	jdoc *doc;
	const char *table;
	size_t index;
	const eic_table *def;
	int field_present[EIC_MAX_COLUMNS];
} jrow;

static void json_row_locate(const eic_rowsrc *src, int col, int *line, int *column)
{
	jrow *j = src->ctx;
	eic_jstep path[3] = {{j->table, 0}, {NULL, j->index}, {NULL, 0}};
	int depth = 2;
	if (col >= 0 && j->field_present[col]) {
		path[2].key = j->def->columns[col].name;
		depth = 3;
	}
	eic_io__jlocate(&j->doc->loc, path, depth, 0, line, column);
}

static int read_json_table(jdoc *d, eic_table_id t, json_t *arr)
{
	const eic_table *def = eic_io__table(t);
	eic_jstep path[3] = {{def->name, 0}, {NULL, 0}, {NULL, 0}};
	if (!json_is_array(arr)) {
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "wrong type for '%s' (expected an array of objects; found %s)", def->name,
		     eic_io__json_type(arr));
		return 0;
	}
	size_t i;
	json_t *obj;
	char bufs[EIC_MAX_COLUMNS][64];
	json_array_foreach(arr, i, obj)
	{
		path[1].index = i;
		if (!json_is_object(obj)) {
			jerr(d, path, 2, 0, EIC_SEV_ERROR,
			     "wrong type for a row of '%s' (expected an object; found %s)",
			     def->name, eic_io__json_type(obj));
			continue;
		}
		jrow j = {d, def->name, i, def, {0}};
		const char *values[EIC_MAX_COLUMNS] = {0};
		const char *key;
		json_t *v;
		int bad = 0;
		json_object_foreach(obj, key, v)
		{
			int col = -1;
			for (int c = 0; c < def->column_count; c++)
				if (strcmp(def->columns[c].name, key) == 0)
					col = c;
			path[2].key = key;
			if (col < 0) {
				jerr(d, path, 3, 1, EIC_SEV_ERROR,
				     "unknown key '%s' in a row of '%s' (expected a column name of "
				     "%s.csv)",
				     key, def->name, def->name);
				continue;
			}
			j.field_present[col] = 1;
			values[col] = jtext(v, bufs[col], sizeof(bufs[col]));
			if (!values[col]) {
				jerr(
				    d, path, 3, 0, EIC_SEV_ERROR,
				    "wrong type for '%s' (expected a string or a number; found %s)",
				    key, eic_io__json_type(v));
				bad = 1;
			}
		}
		if (bad)
			continue;
		int line, column;
		eic_io__jlocate(&d->loc, path, 2, 0, &line, &column);
		eic_rowsrc src = {d->file, json_row_locate, &j, line, NULL, 0};
		int rc = eic_io__decode_row(d->r, t, values, &src);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- cluster metadata ---- */

static const char *const info_keys[] = {"eic_format", "id",       "name",        "region",
                                        "country",    "currency", "description", "units",
                                        "catalogue",  "periods",  "sources"};

static int is_info_key(const char *k)
{
	for (size_t i = 0; i < sizeof(info_keys) / sizeof(info_keys[0]); i++)
		if (strcmp(info_keys[i], k) == 0)
			return 1;
	return 0;
}

static int valid_id_text(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

/* Get a string member; reports wrong types and (when required) absence. NULL if not usable. */
static const char *jstr(jdoc *d, json_t *obj, const eic_jstep *path, int depth, const char *key,
                        int required)
{
	eic_jstep p[4];
	memcpy(p, path, (size_t)depth * sizeof(*p));
	p[depth].key = key;
	p[depth].index = 0;
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			jerr(d, p, depth, 0, EIC_SEV_ERROR,
			     "missing key '%s' (expected a string value)", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		jerr(d, p, depth + 1, 0, EIC_SEV_ERROR,
		     "wrong type for '%s' (expected a string; found %s)", key,
		     eic_io__json_type(v));
		return NULL;
	}
	return json_string_value(v);
}

static int all_upper(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

static int read_info(jdoc *d, json_t *root, int folder_form)
{
	eic_reader *r = d->r;
	eic_jstep path[3] = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v)
	{
		eic_table_id t;
		path[0].key = key;
		if (is_info_key(key))
			continue;
		if (eic_io__table_find(&t, key) == 0) {
			if (folder_form)
				jerr(d, path, 1, 1, EIC_SEV_ERROR,
				     "table '%s' inside cluster.json (expected it as %s.csv in the "
				     "package folder)",
				     key, key);
			continue;
		}
		jerr(d, path, 1, 1, EIC_SEV_ERROR,
		     "unknown key '%s' (expected eic_format, id, name, region, country, currency, "
		     "description, units, catalogue, periods, sources%s)",
		     key, folder_form ? "" : " or a table name");
	}
	json_t *fmt = json_object_get(root, "eic_format");
	path[0].key = "eic_format";
	if (!fmt)
		jerr(d, path, 0, 0, EIC_SEV_ERROR,
		     "missing key 'eic_format' (expected \"eic_format\": %d)", EIC_FORMAT_VERSION);
	else if (!json_is_integer(fmt) || json_integer_value(fmt) != EIC_FORMAT_VERSION) {
		char b[64];
		const char *t = jtext(fmt, b, sizeof(b));
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "unsupported format version in 'eic_format' (expected %d; found %s)",
		     EIC_FORMAT_VERSION, t ? t : eic_io__json_type(fmt));
	}
	info.id = jstr(d, root, path, 0, "id", 1);
	if (info.id && !valid_id_text(info.id)) {
		path[0].key = "id";
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "invalid id in 'id' (expected 1 to 64 characters from A-Z a-z 0-9 _ . -; "
		     "found '%.64s')",
		     info.id);
		info.id = NULL;
	}
	info.name = jstr(d, root, path, 0, "name", 1);
	info.region = jstr(d, root, path, 0, "region", 0);
	info.description = jstr(d, root, path, 0, "description", 0);
	info.sources = jstr(d, root, path, 0, "sources", 0);
	info.country = jstr(d, root, path, 0, "country", 1);
	if (info.country && !all_upper(info.country, 2)) {
		path[0].key = "country";
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "invalid country in 'country' (expected an ISO 3166-1 alpha-2 code such as "
		     "JP; found '%.40s')",
		     info.country);
	}
	info.currency = jstr(d, root, path, 0, "currency", 1);
	if (info.currency && !all_upper(info.currency, 3)) {
		path[0].key = "currency";
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "invalid currency in 'currency' (expected an ISO 4217 code such as USD; found "
		     "'%.40s')",
		     info.currency);
	}
	info.catalogue = jstr(d, root, path, 0, "catalogue", 0);
	if (info.catalogue && strcmp(info.catalogue, "default") && strcmp(info.catalogue, "none")) {
		path[0].key = "catalogue";
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "unknown catalogue in 'catalogue' (expected default or none; found '%.40s')",
		     info.catalogue);
	}
	json_t *units = json_object_get(root, "units");
	if (units) {
		path[0].key = "units";
		if (!json_is_object(units)) {
			jerr(d, path, 1, 0, EIC_SEV_ERROR,
			     "wrong type for 'units' (expected an object; found %s)",
			     eic_io__json_type(units));
		} else {
			static const char *names[] = {"mass", "energy", "volume"};
			static const char *refs[] = {"kg", "J", "m3"};
			const char **slots[] = {&info.mass_unit, &info.energy_unit,
			                        &info.volume_unit};
			json_object_foreach(units, key, v)
			{
				int k = -1;
				for (int i = 0; i < 3; i++)
					if (!strcmp(key, names[i]))
						k = i;
				path[1].key = key;
				if (k < 0) {
					jerr(d, path, 2, 1, EIC_SEV_ERROR,
					     "unknown key '%s' in 'units' (expected mass, energy "
					     "or volume)",
					     key);
					continue;
				}
				const char *s = jstr(d, units, path, 1, key, 0);
				eic_unit u, ref;
				if (!s)
					continue;
				if (eic_unit_parse(&u, s) < 0) {
					jerr(d, path, 2, 0, EIC_SEV_ERROR,
					     "unknown unit in 'units.%s' (expected a unit such as "
					     "t or GJ; found '%.40s')",
					     key, s);
				} else if (eic_unit_parse(&ref, refs[k]) == 0 &&
				           !eic_unit_compatible(&u, &ref)) {
					char dt[64];
					eic_unit_dimension_text(dt, sizeof(dt), &u);
					jerr(d, path, 2, 0, EIC_SEV_ERROR,
					     "dimension mismatch in 'units.%s' (expected a unit of "
					     "%s; found '%s', a %s)",
					     key, names[k], s, dt);
				} else {
					*slots[k] = s;
				}
			}
		}
	}
	/* periods */
	json_t *periods = json_object_get(root, "periods");
	path[0].key = "periods";
	int rc = 0;
	int ok_info = info.id && info.name && info.country && info.currency;
	if (ok_info && (rc = eic_cluster_set_info(r->cluster, &info)) < 0)
		return rc;
	if (!periods) {
		jerr(d, path, 0, 0, EIC_SEV_ERROR,
		     "missing key 'periods' (expected an array with at least one period)");
	} else if (!json_is_array(periods) || json_array_size(periods) == 0) {
		jerr(d, path, 1, 0, EIC_SEV_ERROR,
		     "wrong type for 'periods' (expected a non-empty array of periods; found %s)",
		     json_is_array(periods) ? "an empty array" : eic_io__json_type(periods));
	} else {
		size_t i;
		json_t *p;
		json_array_foreach(periods, i, p)
		{
			path[1].key = NULL;
			path[1].index = i;
			if (!json_is_object(p)) {
				jerr(d, path, 2, 0, EIC_SEV_ERROR,
				     "wrong type for a period (expected an object with id, start, "
				     "end; found %s)",
				     eic_io__json_type(p));
				continue;
			}
			json_object_foreach(p, key, v)
			{
				if (strcmp(key, "id") && strcmp(key, "start") &&
				    strcmp(key, "end") && strcmp(key, "label")) {
					path[2].key = key;
					jerr(d, path, 3, 1, EIC_SEV_ERROR,
					     "unknown key '%s' in a period (expected id, start, "
					     "end, label)",
					     key);
				}
			}
			eic_period per;
			per.id = jstr(d, p, path, 2, "id", 1);
			per.start = jstr(d, p, path, 2, "start", 1);
			per.end = jstr(d, p, path, 2, "end", 1);
			per.label = jstr(d, p, path, 2, "label", 0);
			long a = 0, b = 0;
			int ok = per.id && per.start && per.end;
			if (per.id && !valid_id_text(per.id)) {
				path[2].key = "id";
				jerr(d, path, 3, 0, EIC_SEV_ERROR,
				     "invalid id in period 'id' (expected 1 to 64 characters from "
				     "A-Z a-z 0-9 _ . -; found '%.64s')",
				     per.id);
				ok = 0;
			}
			if (per.start && eic_date_parse(&a, per.start) < 0) {
				path[2].key = "start";
				jerr(d, path, 3, 0, EIC_SEV_ERROR,
				     "invalid date in 'start' (expected YYYY-MM-DD; found '%.40s')",
				     per.start);
				ok = 0;
			}
			if (per.end && eic_date_parse(&b, per.end) < 0) {
				path[2].key = "end";
				jerr(d, path, 3, 0, EIC_SEV_ERROR,
				     "invalid date in 'end' (expected YYYY-MM-DD; found '%.40s')",
				     per.end);
				ok = 0;
			}
			if (ok && b < a) {
				path[2].key = "end";
				jerr(d, path, 3, 0, EIC_SEV_ERROR,
				     "period ends before it starts (expected end >= start; found "
				     "%s before %s)",
				     per.end, per.start);
				ok = 0;
			}
			if (ok && eic_cluster_find_period(r->cluster, per.id)) {
				path[2].key = "id";
				jerr(d, path, 3, 0, EIC_SEV_ERROR,
				     "duplicate period id (expected unique ids; found '%s' again)",
				     per.id);
				ok = 0;
			}
			if (ok && (rc = eic_cluster_add_period(r->cluster, &per)) < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- catalogue ---- */

static int read_catalogue_table(eic_reader *r, eic_table_id t, const char *name)
{
	char path[4096];
	char *data = NULL;
	size_t size = 0;
	snprintf(path, sizeof(path), "%s/materials/%s", eic_data_dir(), name);
	int rc = slurp(&data, &size, path);
	if (rc == EIC_ENOTFOUND) {
		if (t != TBL_MATERIALS)
			return 0;
		eic_diags_add(r->diags, EIC_SEV_WARNING, path, 0, 0,
		              "default materials catalogue not found (set EIC_DATA_DIR, or use "
		              "\"catalogue\": \"none\")");
		return 0;
	}
	if (rc < 0)
		return rc;
	int saved_origin = r->origin;
	r->origin = EIC_ORIGIN_DEFAULT;
	r->catalogue_pass = 1;
	rc = eic_io__read_csv(r, t, path, data, size);
	r->catalogue_pass = 0;
	r->origin = (eic_origin)saved_origin;
	eic_free(data);
	return rc;
}

/* ---- checks over the whole cluster ---- */

static int check_balances(eic_reader *r, const char *process_file)
{
	const eic_cluster *c = r->cluster;
	for (size_t p = 0; p < eic_cluster_period_count(c); p++) {
		eic_balance *b = NULL;
		eic_balance_options bo = EIC_BALANCE_OPTIONS_INIT;
		bo.period = eic_cluster_period(c, p)->id;
		int rc = eic_balance_compute(&b, c, &bo);
		if (rc < 0)
			return rc;
		const char *mu = eic_cluster_info_get(c)->mass_unit;
		for (size_t i = 0; i < eic_balance_row_count(b); i++) {
			const eic_balance_row *row = eic_balance_row_at(b, i);
			if (row->scope != EIC_SCOPE_PROCESS || isnan(row->mass_rel) ||
			    fabs(row->mass_rel) <= r->opts.balance_tolerance)
				continue;
			size_t line = 0;
			eic_map_get(&r->process_lines, row->id, &line);
			eic_diags_add(
			    r->diags, EIC_SEV_WARNING, process_file, (int)line, line ? 1 : 0,
			    "process '%s' out of balance by %.1f%% in mass in period %s (in %.6g "
			    "%s, out %.6g %s, stock change %.6g %s; expected within %.0f%%)",
			    row->id, 100.0 * fabs(row->mass_rel), bo.period, row->mass_in, mu,
			    row->mass_out, mu, row->mass_stock, mu,
			    100.0 * r->opts.balance_tolerance);
		}
		eic_balance_free(b);
	}
	return 0;
}

/* ---- entry points ---- */

static int finish(eic_cluster **out, eic_reader *r, const char *process_file)
{
	int rc = 0;
	if (eic_diags_errors(r->diags) == 0 && r->opts.warnings &&
	    eic_cluster_process_count(r->cluster))
		rc = check_balances(r, process_file);
	if (rc < 0)
		return rc;
	if (eic_diags_errors(r->diags) > 0)
		return EIC_EINVALID;
	if (out) {
		*out = r->cluster;
		r->cluster = NULL;
	}
	return 0;
}

static int read_tables_json(jdoc *d, json_t *root)
{
	static const eic_table_id order[] = {TBL_MATERIALS,  TBL_PROPERTIES, TBL_ACTORS,
	                                     TBL_PROCESSES,  TBL_FLOWS,      TBL_OFFERS,
	                                     TBL_FACILITIES, TBL_LEVELS,     TBL_COEFS};
	eic_reader *r = d->r;
	int use_catalogue = strcmp(eic_cluster_info_get(r->cluster)->catalogue, "none") != 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const eic_table *def = eic_io__table(order[i]);
		json_t *arr = json_object_get(root, def->name);
		int rc = 0;
		if (arr && !json_is_null(arr))
			rc = read_json_table(d, order[i], arr);
		if (rc == 0 && use_catalogue && order[i] == TBL_MATERIALS)
			rc = read_catalogue_table(r, TBL_MATERIALS, "materials.csv");
		if (rc == 0 && use_catalogue && order[i] == TBL_PROPERTIES)
			rc = read_catalogue_table(r, TBL_PROPERTIES, "material_properties.csv");
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int parse_json(json_t **out, eic_diags *diags, const char *name, const char *data,
                      size_t size)
{
	json_error_t jerror;
	*out = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerror);
	if (!*out) {
		eic_diags_add(diags, EIC_SEV_ERROR, name, jerror.line > 0 ? jerror.line : 1,
		              jerror.column > 0 ? jerror.column : 1,
		              "malformed JSON (expected valid JSON text; %s)", jerror.text);
		return EIC_EINVALID;
	}
	if (!json_is_object(*out)) {
		eic_diags_add(diags, EIC_SEV_ERROR, name, 1, 1,
		              "wrong type for the document (expected a JSON object; found %s)",
		              eic_io__json_type(*out));
		json_decref(*out);
		*out = NULL;
		return EIC_EINVALID;
	}
	return 0;
}

int eic_package_read_json_buffer(eic_cluster **out, eic_diags *diags, const char *name,
                                 const char *data, size_t size, const eic_read_options *opts)
{
	eic_reader r;
	json_t *root = NULL;
	int rc = reader_init(&r, diags, opts);
	if (rc < 0)
		goto done;
	if ((rc = load_classifications(&r)) < 0)
		goto done;
	if ((rc = parse_json(&root, diags, name, data, size)) < 0)
		goto done;
	jdoc d = {&r, name, {data, size, 0, 0, 0, 0, 0, 0, 0}};
	if ((rc = read_info(&d, root, 0)) < 0)
		goto done;
	if (eic_diags_errors(diags) > 0) {
		rc = EIC_EINVALID; /* without valid metadata, tables cannot be checked */
		goto done;
	}
	if ((rc = read_tables_json(&d, root)) < 0)
		goto done;
	rc = finish(out, &r, name);
done:
	json_decref(root);
	reader_free(&r);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int read_folder(eic_cluster **out, eic_diags *diags, const char *dir,
                       const eic_read_options *opts)
{
	eic_reader r;
	json_t *root = NULL;
	char *data = NULL;
	size_t size = 0;
	char path[4096], process_file[4096];
	const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
	int rc = reader_init(&r, diags, opts);
	if (rc < 0)
		goto done;
	if ((rc = load_classifications(&r)) < 0)
		goto done;
	snprintf(path, sizeof(path), "%s%scluster.json", dir, sep);
	rc = slurp(&data, &size, path);
	if (rc < 0) {
		eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
		              "%s (expected cluster.json in the package folder)",
		              rc == EIC_ENOTFOUND ? "missing file" : "cannot read file");
		rc = rc == EIC_ENOTFOUND ? EIC_EINVALID : rc;
		goto done;
	}
	if ((rc = parse_json(&root, diags, path, data, size)) < 0)
		goto done;
	jdoc d = {&r, path, {data, size, 0, 0, 0, 0, 0, 0, 0}};
	if ((rc = read_info(&d, root, 1)) < 0)
		goto done;
	if (eic_diags_errors(diags) > 0) {
		rc = EIC_EINVALID;
		goto done;
	}
	static const eic_table_id order[] = {TBL_MATERIALS,  TBL_PROPERTIES, TBL_ACTORS,
	                                     TBL_PROCESSES,  TBL_FLOWS,      TBL_OFFERS,
	                                     TBL_FACILITIES, TBL_LEVELS,     TBL_COEFS};
	int use_catalogue = strcmp(eic_cluster_info_get(r.cluster)->catalogue, "none") != 0;
	snprintf(process_file, sizeof(process_file), "%s%sprocesses.csv", dir, sep);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const eic_table *def = eic_io__table(order[i]);
		char *tdata = NULL;
		size_t tsize = 0;
		snprintf(path, sizeof(path), "%s%s%s.csv", dir, sep, def->name);
		rc = slurp(&tdata, &tsize, path);
		if (rc == EIC_ENOTFOUND) {
			if (order[i] == TBL_ACTORS)
				eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
				              "missing file (expected actors.csv in the package "
				              "folder, with at least its header)");
			rc = 0;
		} else if (rc < 0) {
			eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0, "cannot read file (%s)",
			              eic_strerror(rc));
			goto done;
		} else {
			rc = eic_io__read_csv(&r, order[i], path, tdata, tsize);
			eic_free(tdata);
			if (rc < 0)
				goto done;
		}
		if (use_catalogue && order[i] == TBL_MATERIALS &&
		    (rc = read_catalogue_table(&r, TBL_MATERIALS, "materials.csv")) < 0)
			goto done;
		if (use_catalogue && order[i] == TBL_PROPERTIES &&
		    (rc = read_catalogue_table(&r, TBL_PROPERTIES, "material_properties.csv")) < 0)
			goto done;
	}
	rc = finish(out, &r, process_file);
done:
	json_decref(root);
	eic_free(data);
	reader_free(&r);
	return rc;
}

int eic_package_read(eic_cluster **out, eic_diags *diags, const char *path,
                     const eic_read_options *opts)
{
	if (out)
		*out = NULL;
	if (!path || !diags)
		return EIC_EINVAL;
	if (is_dir(path))
		return read_folder(out, diags, path, opts);
	char *data = NULL;
	size_t size = 0;
	int rc = slurp(&data, &size, path);
	if (rc < 0) {
		eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
		              "%s (expected a package folder or a .json package)",
		              rc == EIC_ENOTFOUND ? "no such file or folder" : "cannot read file");
		return rc == EIC_ENOTFOUND ? EIC_EIO : rc;
	}
	rc = eic_package_read_json_buffer(out, diags, path, data, size, opts);
	eic_free(data);
	return rc;
}

int eic_package_read_csv_buffer(eic_cluster *cluster, eic_diags *diags, const char *table,
                                const char *name, const char *data, size_t size)
{
	eic_table_id t;
	if (eic_io__table_find(&t, table) < 0)
		return EIC_EINVAL;
	eic_reader r;
	int rc = reader_init(&r, diags, NULL);
	if (rc < 0) {
		reader_free(&r);
		return rc;
	}
	/* Decode into the caller's cluster. */
	eic_cluster_free(r.cluster);
	r.cluster = cluster;
	rc = eic_io__read_csv(&r, t, name, data, size);
	r.cluster = NULL;
	reader_free(&r);
	if (rc < 0)
		return rc;
	return eic_diags_errors(diags) ? EIC_EINVALID : 0;
}
