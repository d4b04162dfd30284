/* registry.c: imports Finland's PRTR (SYKE) and US EPA TRI basic data files into measurement
 * records of a stored cluster, in one transaction, keeping registry, file and row. */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/store/store_private.h"
#include "measure_private.h"

#define FI_SOURCE                                                                                  \
	"Finland PRTR (SYKE, github.com/sykefi/PRTR 1948f55b, MIT; Finland's E-PRTR reporting)"
#define TRI_SOURCE "US EPA TRI basic data files (Illinois subset)"
#define MAX_TRI_FILES 64

const char *eic_registry_name(eic_registry_kind kind)
{
	return kind == EIC_REGISTRY_FINLAND_PRTR ? "finland-prtr"
	       : kind == EIC_REGISTRY_US_TRI     ? "us-tri"
	                                         : "";
}

int eic_registry_parse(eic_registry_kind *out, const char *text)
{
	if (text && strcmp(text, "finland-prtr") == 0)
		*out = EIC_REGISTRY_FINLAND_PRTR;
	else if (text && strcmp(text, "us-tri") == 0)
		*out = EIC_REGISTRY_US_TRI;
	else
		return EIC_EINVAL;
	return 0;
}

/* A facility of the registry, selected or seen. */
typedef struct {
	const char *id; /* registry id: facilityId or TRIFD */
	const char *name;
	const char *city;
	const char *county;
	const char *address;
	const char *activity; /* E-PRTR main activity "2(e)(i) ..." or TRI industry sector */
	double lat, lon;
	int selected;
	const char *actor; /* actor id in the cluster once mapped */
	int has_rows;
} facility;

/* A registry row turned into a record, waiting for the store step. */
typedef struct {
	eic_measurement rec;
	size_t facility;
	const char *file;
	int line;
	int claimed; /* pass 1 found it stored with the same value */
} staged;

typedef struct {
	const eic_registry_options *o;
	const eic_pollutants *cat;
	eic_diags *diags;
	eic_arena arena;
	eic_vec facilities; /* facility */
	eic_map fac_index;  /* registry id -> index */
	eic_vec rows;       /* staged */
	int errors;
	int oom;
	/* the file being read */
	const char *path; /* for messages */
	const char *file; /* base name, kept as source_file */
	const char *data;
	size_t size;
	char delim;
	int col[40];
	int header_done;
	int header_count;
	int fatal;
	long year;
	eic_registry_summary *sum;
} reg_ctx;

static void reg_error(reg_ctx *x, const eic_mtab_row *row, int field, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void reg_error(reg_ctx *x, const eic_mtab_row *row, int field, const char *fmt, ...)
{
	int line = 0, column = 0;
	char msg[768];
	va_list ap;
	if (row)
		eic_measure__locate(x->data, x->size, x->delim, row->offset, field < 0 ? 0 : field,
		                    &line, &column);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->errors++;
	if (x->diags &&
	    eic_diags_add(x->diags, EIC_SEV_ERROR, x->path, line, column, "%s", msg) < 0)
		x->oom = 1;
}

static char *dup(reg_ctx *x, const char *s)
{
	char *c = eic_arena_strdup(&x->arena, s ? s : "");
	if (!c)
		x->oom = 1;
	return c;
}

/* Copy with runs of white space collapsed and the ends trimmed. */
static char *clean(reg_ctx *x, const char *s)
{
	size_t n = strlen(s), k = 0;
	char *c = eic_arena_alloc(&x->arena, n + 1);
	if (!c) {
		x->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i])) {
			if (k && c[k - 1] != ' ')
				c[k++] = ' ';
		} else {
			c[k++] = s[i];
		}
	}
	while (k && c[k - 1] == ' ')
		k--;
	c[k] = '\0';
	return c;
}

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static int year_ok(const reg_ctx *x, long y)
{
	return (!x->o->first_year || y >= x->o->first_year) &&
	       (!x->o->last_year || y <= x->o->last_year);
}

static int id_listed(const eic_registry_options *o, const char *id)
{
	if (!o->facilities)
		return 1;
	for (size_t i = 0; i < o->facility_count; i++)
		if (o->facilities[i] && strcmp(o->facilities[i], id) == 0)
			return 1;
	return 0;
}

/* Run the table reader on one file; `fn` handles rows. Reports I/O and syntax errors. */
static int read_file(reg_ctx *x, const char *dir, const char *name, char delim, eic_mtab_row_fn fn)
{
	char path[4096];
	char *data = NULL;
	size_t size;
	eic_mtab_syntax syn;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return EIC_EINVAL;
	int error = eic_measure__slurp(&data, &size, path);
	if (error == EIC_EIO) {
		x->errors++;
		if (x->diags)
			eic_diags_add(x->diags, EIC_SEV_ERROR, path, 0, 0,
			              "cannot read the registry file (expected it in %s)", dir);
		return EIC_EIO;
	}
	if (error < 0)
		return error;
	x->path = dup(x, path);
	x->file = dup(x, name);
	x->data = data;
	x->size = size;
	x->delim = delim;
	x->header_done = 0;
	x->fatal = 0;
	if (x->oom)
		error = EIC_ENOMEM;
	else
		error = eic_measure__read_table(data, size, delim, fn, x, &syn);
	if (error == 0 && syn.line) {
		x->errors++;
		if (x->diags)
			eic_diags_add(x->diags, EIC_SEV_ERROR, x->path, syn.line, syn.column,
			              "malformed CSV: %s", syn.what);
	}
	eic_free(data);
	x->data = NULL;
	if (error == 0 && x->oom)
		error = EIC_ENOMEM;
	return error;
}

/* Find header columns by name; names[i] -> x->col[i]. TRI headers read "12. LATITUDE":
 * a leading "<number>. " is ignored. Missing columns are reported. */
static void find_columns(reg_ctx *x, const eic_mtab_row *row, const char *const *names, int count)
{
	for (int c = 0; c < count; c++)
		x->col[c] = -1;
	for (int f = 0; f < row->count; f++) {
		const char *h = f == 0 ? eic_measure__strip_bom(row->cells[0]) : row->cells[f];
		const char *p = h;
		while (isdigit((unsigned char)*p))
			p++;
		if (p != h && p[0] == '.' && p[1] == ' ')
			h = p + 2;
		for (int c = 0; c < count; c++)
			if (x->col[c] < 0 && strcmp(h, names[c]) == 0)
				x->col[c] = f;
	}
	for (int c = 0; c < count; c++)
		if (x->col[c] < 0) {
			reg_error(x, row, 0, "missing column '%s' in the header of %s", names[c],
			          x->file);
			x->fatal = 1;
		}
	x->header_done = 1;
	x->header_count = row->count;
}

static const char *cell(const reg_ctx *x, const eic_mtab_row *row, int c)
{
	return x->col[c] >= 0 && x->col[c] < row->count ? row->cells[x->col[c]] : "";
}

static int add_facility(reg_ctx *x, const facility *f)
{
	if (!eic_vec_push(&x->facilities, f) ||
	    eic_map_put(&x->fac_index, f->id, x->facilities.len - 1) < 0) {
		x->oom = 1;
		return EIC_ENOMEM;
	}
	return 0;
}

static double num_or_nan(const char *s)
{
	double v;
	return eic_parse_double(&v, s) == 0 ? v : NAN;
}

/* ---- Finland PRTR ---- */

enum {
	FF_ID = 0,
	FF_NAME,
	FF_CITY,
	FF_LAT,
	FF_LON,
	FF_STREET,
	FF_NUMBER,
	FF_POSTAL,
	FF_CODE,
	FF_ACTIVITY,
	FF__N
};
static const char *const fi_fac_cols[FF__N] = {
    "facilityId", "nameOfFeature",  "city",       "pointGeometryLat", "pointGeometryLon",
    "streetName", "buildingNumber", "postalCode", "mainActivityCode", "mainActivityName"};

static int fi_facility_row(void *ctx, const eic_mtab_row *row)
{
	reg_ctx *x = ctx;
	char buf[512];
	if (!x->header_done) {
		find_columns(x, row, fi_fac_cols, FF__N);
		return 0;
	}
	if (x->fatal)
		return 0;
	facility f;
	memset(&f, 0, sizeof(f));
	const char *id = cell(x, row, FF_ID);
	if (eic_str_empty(id)) {
		reg_error(x, row, x->col[FF_ID], "empty facilityId");
		return 0;
	}
	f.id = dup(x, id);
	f.name = clean(x, cell(x, row, FF_NAME));
	f.city = clean(x, cell(x, row, FF_CITY));
	f.county = "";
	snprintf(buf, sizeof(buf), "%s %s, %s %s", cell(x, row, FF_STREET), cell(x, row, FF_NUMBER),
	         cell(x, row, FF_POSTAL), cell(x, row, FF_CITY));
	f.address = clean(x, buf);
	snprintf(buf, sizeof(buf), "%s %s", cell(x, row, FF_CODE), cell(x, row, FF_ACTIVITY));
	f.activity = clean(x, buf);
	f.lat = num_or_nan(cell(x, row, FF_LAT));
	f.lon = num_or_nan(cell(x, row, FF_LON));
	if (x->oom)
		return EIC_ENOMEM;
	f.selected = (!x->o->area || ieq(f.city, x->o->area)) && id_listed(x->o, f.id);
	if (eic_map_get(&x->fac_index, f.id, &(size_t){0})) {
		reg_error(x, row, x->col[FF_ID], "duplicate facilityId '%s'", f.id);
		return 0;
	}
	return add_facility(x, &f);
}

static long parse_year(reg_ctx *x, const eic_mtab_row *row, int c)
{
	long y;
	if (eic_parse_long(&y, cell(x, row, c)) < 0 || y < 1900 || y > 2999) {
		reg_error(x, row, x->col[c], "bad reporting year (expected YYYY; found '%s')",
		          cell(x, row, c));
		return -1;
	}
	return y;
}

/* Stage one record of facility `fi` for year `y`. Strings are copied into the arena. */
static int stage(reg_ctx *x, const eic_mtab_row *row, size_t fi, long y, eic_measurement *r)
{
	char start[16], end[16];
	staged s;
	snprintf(start, sizeof(start), "%04ld-01-01", y);
	snprintf(end, sizeof(end), "%04ld-12-31", y);
	facility *f = EIC_VEC_AT(&x->facilities, facility, fi);
	f->has_rows = 1;
	r->start = dup(x, start);
	r->end = dup(x, end);
	r->source_file = x->file;
	r->source_row = row->line;
	if (eic_str_empty(r->reported_by))
		r->reported_by = f->name;
	memset(&s, 0, sizeof(s));
	s.rec = *r;
	s.facility = fi;
	s.file = x->path;
	s.line = row->line;
	if (x->oom || !eic_vec_push(&x->rows, &s)) {
		x->oom = 1;
		return EIC_ENOMEM;
	}
	x->sum->rows_read++;
	if (!x->sum->first_year || y < x->sum->first_year)
		x->sum->first_year = (int)y;
	if (y > x->sum->last_year)
		x->sum->last_year = (int)y;
	return 0;
}

/* The selected facility of a data row, or (size_t)-1 when the row is not wanted. */
static size_t wanted(reg_ctx *x, const eic_mtab_row *row, const char *id)
{
	size_t fi;
	if (!eic_map_get(&x->fac_index, id, &fi)) {
		reg_error(x, row, 0, "facility '%s' is not in facilities.csv", id);
		return (size_t)-1;
	}
	return EIC_VEC_AT(&x->facilities, facility, fi)->selected ? fi : (size_t)-1;
}

static int method_of(reg_ctx *x, const eic_mtab_row *row, int c, eic_measure_method *out)
{
	if (eic_measure_method_parse(out, cell(x, row, c)) < 0) {
		reg_error(x, row, x->col[c], "unknown method code (expected M, C or E; found '%s')",
		          cell(x, row, c));
		return -1;
	}
	return 0;
}

enum { FR_ID = 0, FR_YEAR, FR_CODE, FR_MEDIUM, FR_KG, FR_ACC, FR_METHOD, FR__N };
static const char *const fi_rel_cols[FR__N] = {"facilityId",
                                               "reportingYear",
                                               "pollutantCode",
                                               "medium",
                                               "totalPollutantQuantityKg",
                                               "AccidentalPollutantQuantityKG",
                                               "methodCode"};

static int fi_release_row(void *ctx, const eic_mtab_row *row)
{
	reg_ctx *x = ctx;
	eic_measurement r;
	char note[128];
	if (!x->header_done) {
		find_columns(x, row, fi_rel_cols, FR__N);
		return 0;
	}
	if (x->fatal)
		return 0;
	size_t fi = wanted(x, row, cell(x, row, FR_ID));
	if (fi == (size_t)-1)
		return 0;
	long y = parse_year(x, row, FR_YEAR);
	if (y < 0 || !year_ok(x, y))
		return 0;
	eic_measurement_init(&r);
	r.kind = EIC_MEASURE_EMISSION;
	const char *code = cell(x, row, FR_CODE);
	if (!eic_pollutants_find(x->cat, code)) {
		reg_error(x, row, x->col[FR_CODE],
		          "unknown pollutant '%s' (expected a code of the pollutant catalogue)",
		          code);
		return 0;
	}
	r.subject = dup(x, code);
	if (eic_medium_parse(&r.medium, cell(x, row, FR_MEDIUM)) < 0 ||
	    r.medium == EIC_MEDIUM_NONE) {
		reg_error(x, row, x->col[FR_MEDIUM],
		          "unknown medium (expected AIR, WATER or LAND; found '%s')",
		          cell(x, row, FR_MEDIUM));
		return 0;
	}
	if (eic_parse_double(&r.value, cell(x, row, FR_KG)) < 0 || r.value < 0) {
		reg_error(x, row, x->col[FR_KG], "bad quantity (expected kg >= 0; found '%s')",
		          cell(x, row, FR_KG));
		return 0;
	}
	if (method_of(x, row, FR_METHOD, &r.method) < 0)
		return 0;
	r.unit = "kg";
	r.source = FI_SOURCE;
	double acc = num_or_nan(cell(x, row, FR_ACC));
	if (isfinite(acc) && acc > 0) {
		snprintf(note, sizeof(note), "of which accidental: %s kg", cell(x, row, FR_ACC));
		r.note = dup(x, note);
	}
	return stage(x, row, fi, y, &r);
}

enum {
	FW_ID = 0,
	FW_YEAR,
	FW_CLASS,
	FW_TREAT,
	FW_T,
	FW_METHOD,
	FW_RECV,
	FW_RCITY,
	FW_RPOST,
	FW_RCOUNTRY,
	FW__N
};
static const char *const fi_waste_cols[FW__N] = {"facilityId",
                                                 "reportingYear",
                                                 "wasteClassificationCode",
                                                 "wasteTreatmentCode",
                                                 "totalWasteQuantityTNE",
                                                 "methodCode",
                                                 "nameOfReceiver",
                                                 "ReceivingSite_city",
                                                 "ReceivingSite_postalCode",
                                                 "ReceivingSite_countryName"};

static int fi_waste_row(void *ctx, const eic_mtab_row *row)
{
	reg_ctx *x = ctx;
	eic_measurement r;
	char buf[512];
	if (!x->header_done) {
		find_columns(x, row, fi_waste_cols, FW__N);
		return 0;
	}
	if (x->fatal)
		return 0;
	size_t fi = wanted(x, row, cell(x, row, FW_ID));
	if (fi == (size_t)-1)
		return 0;
	long y = parse_year(x, row, FW_YEAR);
	if (y < 0 || !year_ok(x, y))
		return 0;
	eic_measurement_init(&r);
	r.kind = EIC_MEASURE_WASTE;
	const char *cls = cell(x, row, FW_CLASS);
	if (strcmp(cls, "HW") != 0 && strcmp(cls, "NONHW") != 0) {
		reg_error(x, row, x->col[FW_CLASS],
		          "unknown waste class (expected HW or NONHW; found '%s')", cls);
		return 0;
	}
	r.subject = strcmp(cls, "HW") == 0 ? "HW" : "NONHW";
	const char *t = cell(x, row, FW_TREAT);
	if (strcmp(t, "R") != 0 && strcmp(t, "D") != 0) {
		reg_error(x, row, x->col[FW_TREAT],
		          "unknown waste treatment (expected R or D; found '%s')", t);
		return 0;
	}
	r.fate = t[0] == 'R' ? EIC_FATE_RECOVERY : EIC_FATE_DISPOSAL;
	if (eic_parse_double(&r.value, cell(x, row, FW_T)) < 0 || r.value < 0) {
		reg_error(x, row, x->col[FW_T], "bad quantity (expected t >= 0; found '%s')",
		          cell(x, row, FW_T));
		return 0;
	}
	if (method_of(x, row, FW_METHOD, &r.method) < 0)
		return 0;
	r.unit = "t";
	r.source = FI_SOURCE;
	/* transboundary transfers name the receiver */
	buf[0] = '\0';
	const char *parts[4] = {cell(x, row, FW_RECV), cell(x, row, FW_RCITY),
	                        cell(x, row, FW_RPOST), cell(x, row, FW_RCOUNTRY)};
	size_t n = 0;
	for (int i = 0; i < 4; i++)
		if (!eic_str_empty(parts[i]) && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? ", " : "",
			                      parts[i]);
	r.counterpart = clean(x, buf);
	return stage(x, row, fi, y, &r);
}

/* ---- US TRI ---- */

enum {
	TR_YEAR = 0,
	TR_ID,
	TR_NAME,
	TR_STREET,
	TR_CITY,
	TR_COUNTY,
	TR_ZIP,
	TR_LAT,
	TR_LON,
	TR_SECTOR,
	TR_CHEM,
	TR_CHEM_ID,
	TR_UNIT,
	TR_FUG,
	TR_STACK,
	TR_WATER,
	TR_UNDERGROUND,
	TR_LANDFILL,
	TR_LANDTREAT,
	TR_IMPOUND,
	TR_OTHER,
	TR__N
};
static const char *const tri_cols[TR__N] = {"YEAR",
                                            "TRIFD",
                                            "FACILITY NAME",
                                            "STREET ADDRESS",
                                            "CITY",
                                            "COUNTY",
                                            "ZIP",
                                            "LATITUDE",
                                            "LONGITUDE",
                                            "INDUSTRY SECTOR",
                                            "CHEMICAL",
                                            "TRI CHEMICAL/COMPOUND ID",
                                            "UNIT OF MEASURE",
                                            "5.1 - FUGITIVE AIR",
                                            "5.2 - STACK AIR",
                                            "5.3 - WATER",
                                            "5.4 - UNDERGROUND",
                                            "5.5.1 - LANDFILLS",
                                            "5.5.2 - LAND TREATMENT",
                                            "5.5.3 - SURFACE IMPNDMNT",
                                            "5.5.4 - OTHER DISPOSAL"};

/* Sum of the given TRI quantity columns; -1 and an error when one is not a number. */
static double tri_sum(reg_ctx *x, const eic_mtab_row *row, const int *cols, int n)
{
	double total = 0, v;
	for (int i = 0; i < n; i++) {
		const char *t = cell(x, row, cols[i]);
		if (eic_str_empty(t))
			continue;
		if (eic_parse_double(&v, t) < 0 || v < 0) {
			reg_error(x, row, x->col[cols[i]],
			          "bad quantity in '%s' (expected a number >= 0; found '%s')",
			          tri_cols[cols[i]], t);
			return -1;
		}
		total += v;
	}
	return total;
}

static int tri_row(void *ctx, const eic_mtab_row *row)
{
	reg_ctx *x = ctx;
	char code[64], buf[512];
	if (!x->header_done) {
		find_columns(x, row, tri_cols, TR__N);
		return 0;
	}
	if (x->fatal)
		return 0;
	const char *id = cell(x, row, TR_ID);
	const char *city = cell(x, row, TR_CITY);
	const char *county = cell(x, row, TR_COUNTY);
	if ((x->o->area && !ieq(city, x->o->area)) ||
	    (x->o->county && !ieq(county, x->o->county)) || !id_listed(x->o, id))
		return 0;
	long y = parse_year(x, row, TR_YEAR);
	if (y < 0 || !year_ok(x, y))
		return 0;
	size_t fi;
	if (!eic_map_get(&x->fac_index, id, &fi)) {
		facility f;
		memset(&f, 0, sizeof(f));
		f.id = dup(x, id);
		f.name = clean(x, cell(x, row, TR_NAME));
		f.city = clean(x, city);
		f.county = clean(x, county);
		snprintf(buf, sizeof(buf), "%s, %s IL %s", cell(x, row, TR_STREET), city,
		         cell(x, row, TR_ZIP));
		f.address = clean(x, buf);
		f.activity = clean(x, cell(x, row, TR_SECTOR));
		f.lat = num_or_nan(cell(x, row, TR_LAT));
		f.lon = num_or_nan(cell(x, row, TR_LON));
		f.selected = 1;
		if (x->oom || add_facility(x, &f) < 0)
			return EIC_ENOMEM;
		fi = x->facilities.len - 1;
	}
	snprintf(code, sizeof(code), "TRI_%s", cell(x, row, TR_CHEM_ID));
	if (!eic_pollutants_find(x->cat, code)) {
		reg_error(
		    x, row, x->col[TR_CHEM_ID],
		    "unknown TRI chemical '%s' (%s) (expected a code of the pollutant catalogue, "
		    "data/monitoring/pollutants.csv)",
		    code, cell(x, row, TR_CHEM));
		return 0;
	}
	const char *u = cell(x, row, TR_UNIT);
	const char *unit = ieq(u, "Pounds") ? "lb" : ieq(u, "Grams") ? "g" : NULL;
	if (!unit) {
		reg_error(x, row, x->col[TR_UNIT],
		          "unknown unit (expected Pounds or Grams; found '%s')", u);
		return 0;
	}
	static const int air[] = {TR_FUG, TR_STACK}, water[] = {TR_WATER},
	                 land[] = {TR_UNDERGROUND, TR_LANDFILL, TR_LANDTREAT, TR_IMPOUND, TR_OTHER};
	const struct {
		eic_medium medium;
		const int *cols;
		int n;
	} media[] = {
	    {EIC_MEDIUM_AIR, air, 2}, {EIC_MEDIUM_WATER, water, 1}, {EIC_MEDIUM_LAND, land, 5}};
	for (int m = 0; m < 3; m++) {
		double total = tri_sum(x, row, media[m].cols, media[m].n);
		if (total < 0)
			return 0;
		if (total <= 0)
			continue; /* only releases reported above zero become records */
		eic_measurement r;
		eic_measurement_init(&r);
		r.kind = EIC_MEASURE_EMISSION;
		r.subject = dup(x, code);
		r.medium = media[m].medium;
		r.value = total;
		r.unit = unit;
		r.method = EIC_METHOD_ESTIMATED;
		r.source = TRI_SOURCE;
		r.note = "TRI basic data files carry no basis-of-estimate code: method set to "
		         "estimated (assumption)";
		if (stage(x, row, fi, y, &r) < 0)
			return EIC_ENOMEM;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The yearly TRI files of the folder ("<year>_*.csv"), sorted by name. */
static int tri_files(reg_ctx *x, const char *dir, char **names, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	*count = 0;
	if (!d) {
		x->errors++;
		if (x->diags)
			eic_diags_add(x->diags, EIC_SEV_ERROR, dir, 0, 0,
			              "cannot open the TRI folder");
		return EIC_EIO;
	}
	while ((e = readdir(d)) != NULL && *count < MAX_TRI_FILES) {
		const char *n = e->d_name;
		size_t len = strlen(n);
		if (len > 9 && isdigit((unsigned char)n[0]) && isdigit((unsigned char)n[1]) &&
		    isdigit((unsigned char)n[2]) && isdigit((unsigned char)n[3]) && n[4] == '_' &&
		    strcmp(n + len - 4, ".csv") == 0) {
			if (!(names[*count] = dup(x, n))) {
				closedir(d);
				return EIC_ENOMEM;
			}
			(*count)++;
		}
	}
	closedir(d);
	qsort(names, (size_t)*count, sizeof(char *), cmp_names);
	if (*count == 0) {
		x->errors++;
		if (x->diags)
			eic_diags_add(x->diags, EIC_SEV_ERROR, dir, 0, 0,
			              "no TRI basic data file in the folder (expected files named "
			              "YYYY_*.csv)");
		return EIC_EIO;
	}
	return 0;
}

/* ---- store step ---- */

static int prepare(eic_store *s, sqlite3_stmt **out, const char *sql)
{
	return eic_store__prepare(s, out, sql, "cannot prepare a registry query");
}

static int step_done(eic_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : eic_store__db_fail(s, rc, what);
}

/* 1 when `notes` names the facility as "<tag> <id>" with a non-alphanumeric after the id. */
static int notes_name(const char *notes, const char *tag, const char *id)
{
	size_t tl = strlen(tag), il = strlen(id);
	for (const char *p = strstr(notes, tag); p; p = strstr(p + 1, tag)) {
		const char *q = p + tl;
		if (*q != ' ' || strncmp(q + 1, id, il) != 0)
			continue;
		if (!isalnum((unsigned char)q[1 + il]))
			return 1;
	}
	return 0;
}

static void make_actor_id(char *buf, size_t size, eic_registry_kind k, const char *fid)
{
	size_t n = (size_t)snprintf(buf, size, "%s_", k == EIC_REGISTRY_US_TRI ? "tri" : "prtr");
	for (const char *p = fid; *p && n + 1 < size; p++)
		buf[n++] =
		    isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.' ? *p : '_';
	buf[n] = '\0';
}

/*
 * Find or create the cluster and map every selected facility to an actor (creating the
 * missing ones when create_cluster is set). Inside the caller's transaction.
 */
static int map_actors(reg_ctx *x, eic_store *s, const char *cluster_id, long long *cluster_pk)
{
	const eic_registry_options *o = x->o;
	sqlite3_stmt *st = NULL, *ins = NULL, *node = NULL;
	const char *tag = o->registry == EIC_REGISTRY_US_TRI ? "TRI facility" : "E-PRTR facility";
	int error = eic_store__find_cluster(s, cluster_id, cluster_pk);
	if (error < 0)
		return error;
	if (error == 0) {
		if (!o->create_cluster)
			return eic_store__fail(
			    s, EIC_ENOTFOUND,
			    "no cluster '%s' in the store (import it first, or "
			    "give --create-cluster to create it from the registry)",
			    cluster_id);
		char name[256], desc[512];
		if (o->cluster_name)
			snprintf(name, sizeof(name), "%s", o->cluster_name);
		else
			snprintf(name, sizeof(name), "%s facilities of %s",
			         eic_registry_name(o->registry),
			         o->area     ? o->area
			         : o->county ? o->county
			                     : "the selection");
		snprintf(desc, sizeof(desc),
		         "Created by eic from the registry %s (%s): one actor per selected "
		         "facility; measurements imported from the registry.",
		         eic_registry_name(o->registry),
		         o->registry == EIC_REGISTRY_US_TRI ? TRI_SOURCE : FI_SOURCE);
		if ((error = prepare(s, &st,
		                     "INSERT INTO cluster(id, name, region, country, currency, "
		                     "description, mass_unit, energy_unit, volume_unit, catalogue, "
		                     "sources, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 't', "
		                     "'GJ', 'm3', 'default', ?7, strftime('%Y-%m-%dT%H:%M:%SZ', "
		                     "'now'))")) < 0)
			return error;
		sqlite3_bind_text(st, 1, cluster_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		if (o->area || o->county)
			sqlite3_bind_text(st, 3, o->area ? o->area : o->county, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, o->registry == EIC_REGISTRY_US_TRI ? "US" : "FI", -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(st, 5, o->registry == EIC_REGISTRY_US_TRI ? "USD" : "EUR", -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(st, 6, desc, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7,
		                  o->registry == EIC_REGISTRY_US_TRI ? TRI_SOURCE : FI_SOURCE, -1,
		                  SQLITE_STATIC);
		error = step_done(s, st, "cannot create the cluster");
		sqlite3_finalize(st);
		st = NULL;
		if (error < 0)
			return error;
		*cluster_pk = sqlite3_last_insert_rowid(eic_store__db(s));
		x->sum->cluster_created = 1;
	}
	/* existing actors: id and notes */
	if ((error = prepare(s, &st,
	                     "SELECT id, coalesce(notes, '') FROM actor WHERE cluster_pk = "
	                     "?1 ORDER BY pk")) < 0)
		return error;
	sqlite3_bind_int64(st, 1, *cluster_pk);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *aid = (const char *)sqlite3_column_text(st, 0);
		const char *notes = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; i < x->facilities.len; i++) {
			facility *f = EIC_VEC_AT(&x->facilities, facility, i);
			char want[128];
			if (!f->selected || f->actor)
				continue;
			make_actor_id(want, sizeof(want), o->registry, f->id);
			if (strcmp(aid, want) == 0 || notes_name(notes ? notes : "", tag, f->id))
				if (!(f->actor = dup(x, aid)))
					break;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return eic_store__db_fail(s, rc, "cannot read the cluster's actors");
	if (x->oom)
		return EIC_ENOMEM;
	/* the missing ones */
	if ((error = prepare(s, &ins,
	                     "INSERT INTO actor(cluster_pk, id, kind, name, sector_scheme, sector, "
	                     "employees, value_added, lat, lon, address, notes) VALUES (?1, ?2, "
	                     "'firm', ?3, 'isic4', NULL, NULL, NULL, ?4, ?5, ?6, ?7)")) < 0 ||
	    (error = prepare(s, &node,
	                     "INSERT INTO node(cluster_pk, ref, kind, process_pk, actor_pk, "
	                     "boundary) VALUES (?1, ?2, 'actor', NULL, ?3, NULL)")) < 0)
		goto done;
	for (size_t i = 0; i < x->facilities.len; i++) {
		facility *f = EIC_VEC_AT(&x->facilities, facility, i);
		char aid[128], notes[1024];
		if (!f->selected || f->actor)
			continue;
		if (!o->create_cluster) {
			if (!f->has_rows)
				continue;
			make_actor_id(aid, sizeof(aid), o->registry, f->id);
			error =
			    eic_store__fail(s, EIC_ENOTFOUND,
			                    "facility %s (%s) is not an actor of cluster '%s' "
			                    "(expected an actor with id %s or with '%s %s' in its "
			                    "notes; give --create-cluster to add it)",
			                    f->id, f->name, cluster_id, aid, tag, f->id);
			goto done;
		}
		make_actor_id(aid, sizeof(aid), o->registry, f->id);
		snprintf(notes, sizeof(notes), "%s %s; %s%s; added by eic measure import from %s",
		         tag, f->id,
		         o->registry == EIC_REGISTRY_US_TRI ? "industry sector " : "activity ",
		         f->activity, eic_registry_name(o->registry));
		sqlite3_bind_int64(ins, 1, *cluster_pk);
		sqlite3_bind_text(ins, 2, aid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, f->name, -1, SQLITE_STATIC);
		if (isfinite(f->lat) && isfinite(f->lon)) {
			sqlite3_bind_double(ins, 4, f->lat);
			sqlite3_bind_double(ins, 5, f->lon);
		} else {
			sqlite3_bind_null(ins, 4);
			sqlite3_bind_null(ins, 5);
		}
		sqlite3_bind_text(ins, 6, f->address, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, notes, -1, SQLITE_TRANSIENT);
		if ((error = step_done(s, ins, "cannot add an actor")) < 0)
			goto done;
		sqlite3_bind_int64(node, 1, *cluster_pk);
		sqlite3_bind_text(node, 2, aid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(node, 3, sqlite3_last_insert_rowid(eic_store__db(s)));
		if ((error = step_done(s, node, "cannot add an actor")) < 0)
			goto done;
		if (!(f->actor = dup(x, aid))) {
			error = EIC_ENOMEM;
			goto done;
		}
		x->sum->actors_added++;
	}
done:
	sqlite3_finalize(ins);
	sqlite3_finalize(node);
	return error;
}

/* Exact same number as stored (the registry text round-trips through a double). */
static int same_value(double a, double b)
{
	return a == b || fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

/*
 * Match the staged rows against the cluster's current records from the same registry:
 * pass 1 claims stored records with the same series, period and value (unchanged rows);
 * pass 2 turns each remaining row into a correction of a remaining stored record of its
 * series and period, or into a new record. O(rows + stored) with a hash map.
 */
static int add_staged(reg_ctx *x, eic_store *s, eic_measure_set *set, const char *source)
{
	eic_map key_index; /* series+period -> first stored index in `chain` */
	eic_vec chain;     /* size_t: next stored record with the same key, +1 (0 ends) */
	eic_vec claimed;   /* char per stored record */
	eic_buf key = EIC_BUF_INIT;
	eic_arena keys;
	size_t stored = eic_measure_count(set);
	int error = 0;

	eic_map_init(&key_index);
	eic_vec_init(&chain, sizeof(size_t));
	eic_vec_init(&claimed, 1);
	eic_arena_init(&keys);
#define KEY(r)                                                                                     \
	(eic_buf_clear(&key),                                                                      \
	 eic_buf_printf(&key, "%s\x1f%d\x1f%s\x1f%d\x1f%d\x1f%s\x1f%s\x1f%s", (r)->actor,          \
	                (int)(r)->kind, (r)->subject, (int)(r)->medium, (int)(r)->fate,            \
	                (r)->counterpart ? (r)->counterpart : "", (r)->start, (r)->end),           \
	 key.failed ? NULL : key.data)
	for (size_t i = 0; i < stored; i++) {
		const eic_measurement *r = eic_measure_at(set, i);
		size_t zero = 0, head;
		char no = 0;
		if (!eic_vec_push(&chain, &zero) || !eic_vec_push(&claimed, &no)) {
			error = EIC_ENOMEM;
			goto done;
		}
		if (!eic_measure_is_current(set, r) || strcmp(r->source, source) != 0)
			continue;
		const char *k = KEY(r);
		char *copy = k ? eic_arena_strdup(&keys, k) : NULL;
		if (!copy) {
			error = EIC_ENOMEM;
			goto done;
		}
		if (eic_map_get(&key_index, copy, &head)) {
			/* append to the end of the chain */
			size_t j = head;
			while (*EIC_VEC_AT(&chain, size_t, j))
				j = *EIC_VEC_AT(&chain, size_t, j) - 1;
			*EIC_VEC_AT(&chain, size_t, j) = i + 1;
		} else if (eic_map_put(&key_index, copy, i) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	for (int pass = 1; pass <= 2; pass++) {
		for (size_t n = 0; n < x->rows.len; n++) {
			staged *st = EIC_VEC_AT(&x->rows, staged, n);
			facility *f = EIC_VEC_AT(&x->facilities, facility, st->facility);
			size_t j;
			if (st->claimed)
				continue;
			st->rec.actor = f->actor;
			const char *k = KEY(&st->rec);
			if (!k) {
				error = EIC_ENOMEM;
				goto done;
			}
			size_t found = (size_t)-1;
			if (eic_map_get(&key_index, k, &j)) {
				for (;;) {
					const eic_measurement *old = eic_measure_at(set, j);
					if (!*EIC_VEC_AT(&claimed, char, j) &&
					    (pass == 2 || same_value(old->value, st->rec.value))) {
						found = j;
						break;
					}
					if (!*EIC_VEC_AT(&chain, size_t, j))
						break;
					j = *EIC_VEC_AT(&chain, size_t, j) - 1;
				}
			}
			if (pass == 1) {
				if (found != (size_t)-1) {
					*EIC_VEC_AT(&claimed, char, found) = 1;
					st->claimed = 1;
					x->sum->unchanged++;
				}
				continue;
			}
			eic_measurement r = st->rec;
			if (found != (size_t)-1) {
				*EIC_VEC_AT(&claimed, char, found) = 1;
				r.supersedes = eic_measure_at(set, found)->id;
				r.note = "the registry value changed since the last import";
				x->sum->corrected++;
			}
			if ((error = eic_measure_add(NULL, set, &r)) < 0) {
				if (error == EIC_ENOMEM)
					goto done;
				x->errors++;
				if (x->diags)
					eic_diags_add(x->diags, EIC_SEV_ERROR, st->file, st->line,
					              1, "%s", eic_measure_set_errmsg(set));
				error = eic_store__fail(s, EIC_EINVALID, "%s:%d: %s", st->file,
				                        st->line, eic_measure_set_errmsg(set));
				goto done;
			}
			x->sum->added++;
		}
	}
#undef KEY
done:
	eic_map_free(&key_index);
	eic_vec_free(&chain);
	eic_vec_free(&claimed);
	eic_buf_free(&key);
	eic_arena_clear(&keys);
	return error;
}

/*
 * Read the registry files, keep the rows of the selected facilities and years, then in one
 * IMMEDIATE transaction: find or create the cluster, map facilities to actors, load the
 * stored records, add new ones and corrections, insert them. Any error rolls everything
 * back. Cost: O(registry rows) to read, O(selected rows + stored records) to store.
 */
int eic_registry_import(eic_registry_summary *summary, eic_store *store, const char *cluster_id,
                        const eic_registry_options *opts, const eic_pollutants *catalogue,
                        eic_diags *diags)
{
	eic_registry_summary local;
	eic_measure_set *set = NULL;
	reg_ctx x;
	int error = 0, began = 0;
	char origin[4200];

	if (!summary)
		summary = &local;
	memset(summary, 0, sizeof(*summary));
	if (!store || !cluster_id || !opts || !opts->dir || !catalogue)
		return EIC_EINVAL;
	if ((error = eic_store__check_usable(store, 1)) < 0)
		return error;
	memset(&x, 0, sizeof(x));
	x.o = opts;
	x.cat = catalogue;
	x.diags = diags;
	x.sum = summary;
	eic_arena_init(&x.arena);
	eic_vec_init(&x.facilities, sizeof(facility));
	eic_vec_init(&x.rows, sizeof(staged));
	eic_map_init(&x.fac_index);

	if (opts->registry == EIC_REGISTRY_FINLAND_PRTR) {
		if ((error = read_file(&x, opts->dir, "facilities.csv", ';', fi_facility_row)) < 0)
			goto done;
		if (x.errors == 0 &&
		    ((error = read_file(&x, opts->dir, "releases.csv", ';', fi_release_row)) < 0 ||
		     (error = read_file(&x, opts->dir, "waste_transfers.csv", ';', fi_waste_row)) <
		         0))
			goto done;
	} else if (opts->registry == EIC_REGISTRY_US_TRI) {
		char *names[MAX_TRI_FILES];
		int count;
		if ((error = tri_files(&x, opts->dir, names, &count)) < 0)
			goto done;
		for (int i = 0; i < count; i++)
			if ((error = read_file(&x, opts->dir, names[i], ',', tri_row)) < 0)
				goto done;
	} else {
		error = EIC_EINVAL;
		goto done;
	}
	if (x.errors) {
		error = eic_store__fail(store, EIC_EINVALID, "%d error%s in the registry files",
		                        x.errors, x.errors == 1 ? "" : "s");
		goto done;
	}
	for (size_t i = 0; i < x.facilities.len; i++)
		if (EIC_VEC_AT(&x.facilities, facility, i)->selected)
			summary->facilities++;
	if (summary->facilities == 0) {
		error = eic_store__fail(store, EIC_ENOTFOUND,
		                        "no facility of the registry matches the selection");
		goto done;
	}
	if ((error = eic_measure_set_new(&set, catalogue)) < 0)
		goto done;
	{
		int rc = sqlite3_exec(eic_store__db(store), "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			error = eic_store__db_fail(store, rc, "cannot start the import");
			goto done;
		}
		began = 1;
	}
	long long cluster_pk;
	if ((error = map_actors(&x, store, cluster_id, &cluster_pk)) < 0 ||
	    (error = eic_measure__load_rows(set, store, cluster_pk)) < 0)
		goto done;
	size_t first = eic_measure_count(set);
	const char *source = opts->registry == EIC_REGISTRY_US_TRI ? TRI_SOURCE : FI_SOURCE;
	if ((error = add_staged(&x, store, set, source)) < 0)
		goto done;
	snprintf(origin, sizeof(origin), "%s %s", eic_registry_name(opts->registry), opts->dir);
	if ((error = eic_measure__insert(store, cluster_pk, set, first, "registry", origin)) < 0)
		goto done;
	{
		int rc = sqlite3_exec(eic_store__db(store), "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			error = eic_store__db_fail(store, rc, "cannot commit the import");
	}
done:
	if (began && error < 0)
		sqlite3_exec(eic_store__db(store), "ROLLBACK", NULL, NULL, NULL);
	if (error == EIC_ENOMEM)
		eic_store__fail(store, EIC_ENOMEM, "out of memory");
	if (error < 0) {
		summary->added = summary->corrected = summary->unchanged = summary->actors_added =
		    0;
		summary->cluster_created = 0;
	}
	eic_measure_set_free(set);
	eic_arena_clear(&x.arena);
	eic_vec_free(&x.facilities);
	eic_vec_free(&x.rows);
	eic_map_free(&x.fac_index);
	return error;
}
