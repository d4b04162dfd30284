/* schema.c: the tables of a cluster package and the decoding of one row into the model.
 * Both the CSV and the JSON readers feed rows here, so every check is written once. */
#include "io_internal.h"

#include "lib/model/model_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- table definitions (column order here is the order export writes) ---- */

static const eic_column actor_cols[] = {
    {"id", 1, COLT_STR},          {"kind", 1, COLT_STR},          {"name", 1, COLT_STR},
    {"sector", 0, COLT_STR},      {"sector_scheme", 0, COLT_STR}, {"employees", 0, COLT_INT},
    {"value_added", 0, COLT_NUM}, {"lat", 0, COLT_NUM},           {"lon", 0, COLT_NUM},
    {"address", 0, COLT_STR},     {"notes", 0, COLT_STR}};
enum {
	A_ID,
	A_KIND,
	A_NAME,
	A_SECTOR,
	A_SCHEME,
	A_EMPLOYEES,
	A_VA,
	A_LAT,
	A_LON,
	A_ADDRESS,
	A_NOTES
};

static const eic_column process_cols[] = {
    {"id", 1, COLT_STR}, {"actor", 1, COLT_STR}, {"name", 1, COLT_STR}, {"notes", 0, COLT_STR}};
enum { P_ID, P_ACTOR, P_NAME, P_NOTES };

static const eic_column material_cols[] = {{"id", 1, COLT_STR},        {"name", 1, COLT_STR},
                                           {"category", 0, COLT_STR},  {"ewc", 0, COLT_STR},
                                           {"hazardous", 0, COLT_STR}, {"hs", 0, COLT_STR},
                                           {"cpc", 0, COLT_STR},       {"notes", 0, COLT_STR}};
enum { M_ID, M_NAME, M_CATEGORY, M_EWC, M_HAZ, M_HS, M_CPC, M_NOTES };

static const eic_column property_cols[] = {{"material", 1, COLT_STR},
                                           {"property", 1, COLT_STR},
                                           {"value", 1, COLT_NUM},
                                           {"unit", 1, COLT_STR},
                                           {"source", 0, COLT_STR}};
enum { PR_MATERIAL, PR_PROPERTY, PR_VALUE, PR_UNIT, PR_SOURCE };

static const eic_column flow_cols[] = {
    {"id", 1, COLT_STR},       {"from", 1, COLT_STR},     {"to", 1, COLT_STR},
    {"material", 1, COLT_STR}, {"quantity", 1, COLT_NUM}, {"unit", 1, COLT_STR},
    {"period", 1, COLT_STR},   {"sd", 0, COLT_NUM},       {"rel_sd", 0, COLT_NUM},
    {"quality", 0, COLT_STR},  {"source", 0, COLT_STR},   {"notes", 0, COLT_STR}};
enum {
	F_ID,
	F_FROM,
	F_TO,
	F_MATERIAL,
	F_QUANTITY,
	F_UNIT,
	F_PERIOD,
	F_SD,
	F_RELSD,
	F_QUALITY,
	F_SOURCE,
	F_NOTES
};

static const eic_column offer_cols[] = {
    {"id", 1, COLT_STR},           {"actor", 1, COLT_STR},
    {"type", 1, COLT_STR},         {"material", 1, COLT_STR},
    {"quantity", 1, COLT_NUM},     {"min", 0, COLT_NUM},
    {"max", 0, COLT_NUM},          {"unit", 1, COLT_STR},
    {"quality", 0, COLT_STR},      {"available_from", 0, COLT_STR},
    {"available_to", 0, COLT_STR}, {"price", 0, COLT_NUM},
    {"price_unit", 0, COLT_STR},   {"confidentiality", 0, COLT_STR},
    {"notes", 0, COLT_STR}};
enum {
	O_ID,
	O_ACTOR,
	O_TYPE,
	O_MATERIAL,
	O_QUANTITY,
	O_MIN,
	O_MAX,
	O_UNIT,
	O_QUALITY,
	O_FROM,
	O_TO,
	O_PRICE,
	O_PRICE_UNIT,
	O_CONF,
	O_NOTES
};

static const eic_column facility_cols[] = {{"id", 1, COLT_STR},
                                           {"name", 1, COLT_STR},
                                           {"technology", 1, COLT_STR},
                                           {"lat", 0, COLT_NUM},
                                           {"lon", 0, COLT_NUM},
                                           {"address", 0, COLT_STR},
                                           {"capacity_unit", 1, COLT_STR},
                                           {"lifetime_yr", 0, COLT_NUM},
                                           {"notes", 0, COLT_STR}};
enum { FA_ID, FA_NAME, FA_TECH, FA_LAT, FA_LON, FA_ADDRESS, FA_CAPUNIT, FA_LIFETIME, FA_NOTES };

static const eic_column level_cols[] = {{"facility", 1, COLT_STR},
                                        {"level", 1, COLT_STR},
                                        {"capacity", 1, COLT_NUM},
                                        {"capex", 1, COLT_NUM},
                                        {"opex_per_yr", 1, COLT_NUM}};
enum { L_FACILITY, L_LEVEL, L_CAPACITY, L_CAPEX, L_OPEX };

static const eic_column coef_cols[] = {{"facility", 1, COLT_STR},
                                       {"material", 1, COLT_STR},
                                       {"direction", 1, COLT_STR},
                                       {"coefficient", 1, COLT_NUM},
                                       {"unit", 1, COLT_STR}};
enum { C_FACILITY, C_MATERIAL, C_DIRECTION, C_COEF, C_UNIT };

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
static const eic_table tables[TBL__N] = {
    {"actors", actor_cols, N(actor_cols)},
    {"processes", process_cols, N(process_cols)},
    {"materials", material_cols, N(material_cols)},
    {"material_properties", property_cols, N(property_cols)},
    {"flows", flow_cols, N(flow_cols)},
    {"offers", offer_cols, N(offer_cols)},
    {"facilities", facility_cols, N(facility_cols)},
    {"facility_levels", level_cols, N(level_cols)},
    {"facility_coefficients", coef_cols, N(coef_cols)},
};

const eic_table *eic_io__table(eic_table_id id)
{
	return (unsigned)id < TBL__N ? &tables[id] : NULL;
}

int eic_io__table_find(eic_table_id *out, const char *name)
{
	for (int i = 0; i < TBL__N; i++) {
		if (strcmp(tables[i].name, name) == 0) {
			*out = (eic_table_id)i;
			return 0;
		}
	}
	return EIC_ENOTFOUND;
}

/* ---- row helpers ---- */

typedef struct {
	eic_reader *r;
	eic_table_id table;
	const char *const *v;
	const eic_rowsrc *src;
} row;

#ifdef __GNUC__
__attribute__((format(printf, 4, 5)))
#endif
static void
diag(row *w, eic_severity sev, int col, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line = 0, column = 0;
	w->src->locate(w->src, col, &line, &column);
	if (sev == EIC_SEV_ERROR)
		w->r->row_errors++;
	eic_diags_add(w->r->diags, sev, w->src->file, line, column, "%s", msg);
}

#define ERR(w, col, ...) diag((w), EIC_SEV_ERROR, (col), __VA_ARGS__)
#define WARN(w, col, ...) diag((w), EIC_SEV_WARNING, (col), __VA_ARGS__)

static const char *val(row *w, int col)
{
	const char *s = w->v[col];
	return s ? s : "";
}

static int given(row *w, int col)
{
	return w->v[col] && w->v[col][0];
}

static const char *colname(row *w, int col)
{
	return tables[w->table].columns[col].name;
}

/* Show a found value safely in a message: truncated, quoted. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);
	if (n + 3 <= size) {
		snprintf(buf, size, "'%s'", s);
	} else {
		snprintf(buf, size, "'%.*s...'", (int)(size - 6), s);
	}
	return buf;
}

/* Required cells: report an empty one. Returns 1 when present. */
static int need(row *w, int col)
{
	if (given(w, col))
		return 1;
	ERR(w, col, "missing value in '%s' (expected a value, found an empty cell)",
	    colname(w, col));
	return 0;
}

static int valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64)
		return 0;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

static int get_id(row *w, int col)
{
	char b[80];
	if (!need(w, col))
		return 0;
	if (!valid_id(val(w, col))) {
		ERR(w, col,
		    "invalid id in '%s' (expected 1 to 64 characters from A-Z a-z 0-9 _ . -; found "
		    "%s)",
		    colname(w, col), shown(val(w, col), b, sizeof(b)));
		return 0;
	}
	return 1;
}

/* Number cell: NaN when absent. Returns 0 on error (reported). */
static int get_num(row *w, int col, double *out, int required)
{
	char b[80];
	*out = NAN;
	if (!given(w, col))
		return required ? need(w, col) : 1;
	if (eic_parse_double(out, val(w, col)) < 0) {
		ERR(w, col,
		    "not a number in '%s' (expected a decimal number such as 1200 or 0.35; found "
		    "%s)",
		    colname(w, col), shown(val(w, col), b, sizeof(b)));
		*out = NAN;
		return 0;
	}
	return 1;
}

static int get_nonneg(row *w, int col, double *out, int required)
{
	char b[40];
	if (!get_num(w, col, out, required))
		return 0;
	if (!isnan(*out) && *out < 0) {
		eic_fmt_double(b, sizeof(b), *out);
		ERR(w, col, "negative value in '%s' (expected a number >= 0; found %s)",
		    colname(w, col), b);
		return 0;
	}
	return 1;
}

static int get_unit(row *w, int col, eic_unit *u)
{
	char b[80];
	if (!need(w, col))
		return 0;
	if (eic_unit_parse(u, val(w, col)) < 0) {
		ERR(w, col,
		    "unknown unit in '%s' (expected a unit such as t, kg, m3, GJ, kWh, t/yr; found "
		    "%s)",
		    colname(w, col), shown(val(w, col), b, sizeof(b)));
		return 0;
	}
	return 1;
}

static int get_date(row *w, int col, long *day)
{
	char b[80];
	if (!given(w, col))
		return 1;
	if (eic_date_parse(day, val(w, col)) < 0) {
		ERR(w, col,
		    "invalid date in '%s' (expected YYYY-MM-DD, a real calendar date; found %s)",
		    colname(w, col), shown(val(w, col), b, sizeof(b)));
		return 0;
	}
	return 1;
}

static int get_coords(row *w, int lat_col, int lon_col, double *lat, double *lon)
{
	int ok = get_num(w, lat_col, lat, 0) & get_num(w, lon_col, lon, 0);
	char b[40];
	if (!ok)
		return 0;
	if (!isnan(*lat) && (*lat < -90 || *lat > 90)) {
		eic_fmt_double(b, sizeof(b), *lat);
		ERR(w, lat_col,
		    "latitude out of range (expected -90 to 90 degrees, WGS84; found %s)", b);
		ok = 0;
	}
	if (!isnan(*lon) && (*lon < -180 || *lon > 180)) {
		eic_fmt_double(b, sizeof(b), *lon);
		ERR(w, lon_col,
		    "longitude out of range (expected -180 to 180 degrees, WGS84; found %s)", b);
		ok = 0;
	}
	if (ok && isnan(*lat) != isnan(*lon)) {
		ERR(w, isnan(*lat) ? lat_col : lon_col,
		    "incomplete coordinates (expected both lat and lon or neither; found only %s)",
		    isnan(*lat) ? "lon" : "lat");
		ok = 0;
	}
	return ok;
}

/* Check that a unit has one of the kinds allowed for amounts (mass, volume, energy, count)
 * or rates of them. `rate_ok`: per-time allowed; `amount_ok`: plain amount allowed. */
static int amount_kind(const eic_unit *u, int amount_ok, int rate_ok)
{
	switch (eic_unit_kind(u)) {
	case EIC_KIND_MASS:
	case EIC_KIND_VOLUME:
	case EIC_KIND_ENERGY:
	case EIC_KIND_COUNT:
		return amount_ok;
	case EIC_KIND_MASS_RATE:
	case EIC_KIND_VOLUME_RATE:
	case EIC_KIND_ENERGY_RATE:
	case EIC_KIND_POWER:
	case EIC_KIND_COUNT_RATE:
		return rate_ok;
	default:
		return 0;
	}
}

static void dimtext(const eic_unit *u, char *buf, size_t size)
{
	eic_unit_dimension_text(buf, size, u);
}

static int map_seen(eic_reader *r, eic_map *m, const char *id)
{
	char *k = eic_arena_strdup(&r->scratch, id);
	return k && eic_map_put(m, k, 1) >= 0 ? 0 : EIC_ENOMEM;
}

/* A reference to a material: known in the cluster (package or catalogue) or seen in a row
 * that had other errors (then silently accepted to avoid cascades). */
static int check_material(row *w, int col)
{
	char b[80];
	if (!need(w, col))
		return 0;
	const char *id = val(w, col);
	if (eic_cluster_find_material(w->r->cluster, id) ||
	    eic_map_get(&w->r->seen_materials, id, NULL))
		return 1;
	ERR(w, col,
	    "unknown material in '%s' (expected the id of a material in materials.csv or the "
	    "default catalogue; found %s)",
	    colname(w, col), shown(id, b, sizeof(b)));
	return 0;
}

static int check_actor(row *w, int col)
{
	char b[80];
	if (!need(w, col))
		return 0;
	const char *id = val(w, col);
	if (eic_cluster_find_actor(w->r->cluster, id) || eic_map_get(&w->r->seen_nodes, id, NULL))
		return 1;
	ERR(w, col, "unknown actor in '%s' (expected the id of an actor in actors.csv; found %s)",
	    colname(w, col), shown(id, b, sizeof(b)));
	return 0;
}

static int check_facility(row *w, int col, const eic_facility **out)
{
	char b[80];
	*out = NULL;
	if (!need(w, col))
		return 0;
	const char *id = val(w, col);
	*out = eic_cluster_find_facility(w->r->cluster, id);
	if (*out || eic_map_get(&w->r->seen_facilities, id, NULL))
		return 1;
	ERR(w, col,
	    "unknown facility in '%s' (expected the id of a facility in facilities.csv; found %s)",
	    colname(w, col), shown(id, b, sizeof(b)));
	return 0;
}

static int check_node(row *w, int col, eic_node *node)
{
	char b[80];
	if (!need(w, col))
		return 0;
	const char *ref = val(w, col);
	if (eic_cluster_resolve_node(node, w->r->cluster, ref) == 0)
		return 1;
	if (eic_map_get(&w->r->seen_nodes, ref, NULL))
		return 0; /* the row defining it had errors: already reported */
	if (strncmp(ref, "boundary:", 9) == 0)
		ERR(w, col,
		    "unknown boundary node in '%s' (expected boundary: followed by supply_market, "
		    "product_market, landfill, open_dumping, open_burning, water_body, atmosphere "
		    "or stock; found %s)",
		    colname(w, col), shown(ref, b, sizeof(b)));
	else
		ERR(w, col,
		    "unknown node in '%s' (expected a process id, an actor id or boundary:<kind>; "
		    "found %s)",
		    colname(w, col), shown(ref, b, sizeof(b)));
	return 0;
}

/* ---- per-table decoders ---- */

static int decode_actor(row *w)
{
	eic_reader *r = w->r;
	eic_actor a;
	char b[80];
	memset(&a, 0, sizeof(a));
	int ok = get_id(w, A_ID);
	if (ok && (eic_cluster_find_actor(r->cluster, val(w, A_ID)) ||
	           eic_cluster_find_process(r->cluster, val(w, A_ID)))) {
		ERR(w, A_ID, "duplicate id in 'id' (expected a unique actor id; found %s again)",
		    shown(val(w, A_ID), b, sizeof(b)));
		return 0;
	}
	a.id = val(w, A_ID);
	if (need(w, A_KIND) && eic_actor_kind_parse(&a.kind, val(w, A_KIND)) < 0) {
		ERR(w, A_KIND,
		    "unknown actor kind in 'kind' (expected firm, knowledge_institute, "
		    "government_body, community_organisation, financier, service_provider or "
		    "treatment_facility; found %s)",
		    shown(val(w, A_KIND), b, sizeof(b)));
		ok = 0;
	}
	ok &= need(w, A_NAME);
	a.name = val(w, A_NAME);
	a.sector_scheme = EIC_SECTOR_ISIC4;
	if (given(w, A_SCHEME)) {
		if (strcmp(val(w, A_SCHEME), "isic4") == 0)
			a.sector_scheme = EIC_SECTOR_ISIC4;
		else if (strcmp(val(w, A_SCHEME), "nace2") == 0)
			a.sector_scheme = EIC_SECTOR_NACE2;
		else {
			ERR(w, A_SCHEME,
			    "unknown sector scheme in 'sector_scheme' (expected isic4 or nace2; "
			    "found %s)",
			    shown(val(w, A_SCHEME), b, sizeof(b)));
			ok = 0;
		}
	}
	a.sector = val(w, A_SECTOR);
	if (given(w, A_SECTOR)) {
		if (a.sector_scheme == EIC_SECTOR_ISIC4 && r->have_isic &&
		    !eic_map_get(&r->isic, a.sector, NULL)) {
			ERR(w, A_SECTOR,
			    "unknown ISIC Rev.4 code in 'sector' (expected a division, group or "
			    "class such as 16, 161 or 1610; found %s)",
			    shown(a.sector, b, sizeof(b)));
			ok = 0;
		} else if (a.sector_scheme == EIC_SECTOR_NACE2 && r->have_nace) {
			char norm[16];
			const char *s = a.sector;
			size_t n = 0;
			if (*s >= 'A' && *s <= 'U')
				s++;
			for (; *s && n + 1 < sizeof(norm); s++)
				if (*s != '.')
					norm[n++] = *s;
			norm[n] = '\0';
			if (!eic_map_get(&r->nace, norm, NULL)) {
				ERR(w, A_SECTOR,
				    "unknown NACE Rev.2 code in 'sector' (expected a code such as "
				    "C16.10 or 16.10; found %s)",
				    shown(a.sector, b, sizeof(b)));
				ok = 0;
			}
		}
	}
	a.employees = -1;
	if (given(w, A_EMPLOYEES)) {
		long e;
		if (eic_parse_long(&e, val(w, A_EMPLOYEES)) < 0 || e < 0) {
			ERR(w, A_EMPLOYEES,
			    "invalid number of employees (expected a whole number >= 0; found %s)",
			    shown(val(w, A_EMPLOYEES), b, sizeof(b)));
			ok = 0;
		} else {
			a.employees = e;
		}
	}
	ok &= get_nonneg(w, A_VA, &a.value_added, 0);
	ok &= get_coords(w, A_LAT, A_LON, &a.lat, &a.lon);
	a.address = val(w, A_ADDRESS);
	a.notes = val(w, A_NOTES);
	if (!ok || r->row_errors) {
		if (valid_id(a.id))
			return map_seen(r, &r->seen_nodes, a.id);
		return 0;
	}
	if (isnan(a.lat) && r->opts.warnings)
		WARN(w, A_ID, "actor '%s' has no coordinates (it will not appear on the map)",
		     a.id);
	int rc = eic_cluster_add_actor(r->cluster, &a);
	if (rc < 0)
		return rc;
	const eic_actor *stored = eic_cluster_find_actor(r->cluster, a.id);
	return eic_map_put(&r->actor_lines, stored->id, (size_t)w->src->row_line) < 0 ? EIC_ENOMEM
	                                                                              : 0;
}

static int decode_process(row *w)
{
	eic_reader *r = w->r;
	eic_process p;
	char b[80];
	int ok = get_id(w, P_ID);
	if (ok && (eic_cluster_find_process(r->cluster, val(w, P_ID)) ||
	           eic_cluster_find_actor(r->cluster, val(w, P_ID)))) {
		if (eic_cluster_find_actor(r->cluster, val(w, P_ID)))
			ERR(w, P_ID,
			    "process id equals an actor id (expected ids of actors and processes "
			    "to differ; found %s in both)",
			    shown(val(w, P_ID), b, sizeof(b)));
		else
			ERR(w, P_ID,
			    "duplicate id in 'id' (expected a unique process id; found %s again)",
			    shown(val(w, P_ID), b, sizeof(b)));
		return 0;
	}
	ok &= check_actor(w, P_ACTOR);
	ok &= need(w, P_NAME);
	p.id = val(w, P_ID);
	p.actor = val(w, P_ACTOR);
	p.name = val(w, P_NAME);
	p.notes = val(w, P_NOTES);
	if (!ok || r->row_errors) {
		if (valid_id(p.id))
			return map_seen(r, &r->seen_nodes, p.id);
		return 0;
	}
	int rc = eic_cluster_add_process(r->cluster, &p);
	if (rc < 0)
		return rc;
	const eic_process *stored = eic_cluster_find_process(r->cluster, p.id);
	return eic_map_put(&r->process_lines, stored->id, (size_t)w->src->row_line) < 0 ? EIC_ENOMEM
	                                                                                : 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *yes[] = {"yes", "true", "1", "y"}, *no[] = {"no", "false", "0", "n"};
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int decode_material(row *w)
{
	eic_reader *r = w->r;
	eic_material m;
	char b[80], ewc[8];
	memset(&m, 0, sizeof(m));
	int ok = get_id(w, M_ID);
	m.id = val(w, M_ID);
	if (ok && eic_cluster_find_material(r->cluster, m.id)) {
		if (r->catalogue_pass)
			return 0; /* the package overrides this catalogue entry */
		ERR(w, M_ID, "duplicate id in 'id' (expected a unique material id; found %s again)",
		    shown(m.id, b, sizeof(b)));
		return 0;
	}
	ok &= need(w, M_NAME);
	m.name = val(w, M_NAME);
	m.category = val(w, M_CATEGORY);
	m.ewc = "";
	int ewc_haz = -1;
	if (given(w, M_EWC)) {
		/* Accept "03 01 01" and "170503*": normalise to 6 digits. */
		size_t n = 0;
		int bad = 0;
		for (const char *s = val(w, M_EWC); *s; s++) {
			if (*s == ' ' || (*s == '*' && s[1] == '\0'))
				continue;
			if (*s < '0' || *s > '9' || n >= 6) {
				bad = 1;
				break;
			}
			ewc[n++] = *s;
		}
		ewc[n] = '\0';
		if (bad || n != 6) {
			ERR(w, M_EWC,
			    "invalid EWC code in 'ewc' (expected 6 digits such as 020103; found "
			    "%s)",
			    shown(val(w, M_EWC), b, sizeof(b)));
			ok = 0;
		} else if (r->have_ewc) {
			size_t h;
			if (!eic_map_get(&r->ewc, ewc, &h)) {
				ERR(w, M_EWC,
				    "unknown EWC code in 'ewc' (expected a code of the European "
				    "Waste Catalogue; found %s)",
				    shown(val(w, M_EWC), b, sizeof(b)));
				ok = 0;
			} else {
				ewc_haz = (int)h;
			}
		}
		m.ewc = ewc;
	}
	m.hazardous = ewc_haz == 1;
	if (given(w, M_HAZ)) {
		if (parse_bool(val(w, M_HAZ), &m.hazardous) < 0) {
			ERR(w, M_HAZ, "invalid flag in 'hazardous' (expected yes or no; found %s)",
			    shown(val(w, M_HAZ), b, sizeof(b)));
			ok = 0;
		} else if (ewc_haz >= 0 && ewc_haz != m.hazardous && r->opts.warnings) {
			WARN(w, M_HAZ,
			     "hazardous flag contradicts the EWC list (EWC %s is listed as %s; "
			     "found %s)",
			     ewc, ewc_haz ? "hazardous" : "non-hazardous", val(w, M_HAZ));
		}
	}
	m.hs = val(w, M_HS);
	m.cpc = val(w, M_CPC);
	int codes[2] = {M_HS, M_CPC};
	for (int i = 0; i < 2; i++) {
		for (const char *s = val(w, codes[i]); *s; s++) {
			if (!((*s >= '0' && *s <= '9') || *s == '.')) {
				ERR(w, codes[i],
				    "invalid code in '%s' (expected digits and dots; found %s)",
				    colname(w, codes[i]), shown(val(w, codes[i]), b, sizeof(b)));
				ok = 0;
				break;
			}
		}
	}
	m.notes = val(w, M_NOTES);
	m.origin = r->origin;
	if (!ok || r->row_errors) {
		if (valid_id(m.id))
			return map_seen(r, &r->seen_materials, m.id);
		return 0;
	}
	return eic_cluster_add_material(r->cluster, &m);
}

/* Expected dimension of known properties. */
static int property_check(row *w, const char *name, const eic_unit *u, double value)
{
	eic_quantity_kind k = eic_unit_kind(u);
	char d[64], b[40];
	const char *expect = NULL;
	int fraction = 0;
	if (!strcmp(name, "lhv") || !strcmp(name, "hhv")) {
		if (k != EIC_KIND_SPECIFIC_ENERGY)
			expect = "energy per mass, such as GJ/t or MJ/kg";
	} else if (!strcmp(name, "moisture") || !strcmp(name, "doc") || !strcmp(name, "vs") ||
	           !strcmp(name, "docf") || !strcmp(name, "ash")) {
		if (k != EIC_KIND_DIMENSIONLESS)
			expect = "a fraction, in fraction or %";
		fraction = 1;
	} else if (!strcmp(name, "density")) {
		if (k != EIC_KIND_DENSITY)
			expect = "mass per volume, such as t/m3 or kg/m3";
	} else if (!strcmp(name, "price")) {
		if (u->exp[EIC_DIM_MONEY] != 1)
			expect = "money per mass, volume, energy or count, such as USD/t";
		else if (w->r->opts.warnings && !w->r->catalogue_pass &&
		         strcmp(u->currency, eic_cluster_info_get(w->r->cluster)->currency) != 0)
			WARN(w, PR_UNIT,
			     "price in %s while the cluster currency is %s (no exchange rate is "
			     "applied)",
			     u->currency, eic_cluster_info_get(w->r->cluster)->currency);
	} else if (w->r->opts.warnings) {
		WARN(w, PR_PROPERTY,
		     "unknown property name '%s' (known: lhv, hhv, moisture, doc, vs, density, "
		     "price); kept but not used",
		     name);
	}
	if (expect) {
		dimtext(u, d, sizeof(d));
		ERR(w, PR_UNIT,
		    "dimension mismatch for property '%s' (expected %s; found %s, a %s)", name,
		    expect, val(w, PR_UNIT), d);
		return 0;
	}
	if (fraction) {
		double f = value * u->factor;
		if (f < 0 || f > 1) {
			eic_fmt_double(b, sizeof(b), value);
			ERR(w, PR_VALUE,
			    "fraction out of range for property '%s' (expected 0 to 1, or 0 to 100 "
			    "%%; found %s %s)",
			    name, b, val(w, PR_UNIT));
			return 0;
		}
	}
	return 1;
}

static int decode_property(row *w)
{
	eic_reader *r = w->r;
	eic_property p;
	eic_unit u;
	char b[80];
	int ok = check_material(w, PR_MATERIAL);
	ok &= need(w, PR_PROPERTY);
	ok &= get_num(w, PR_VALUE, &p.value, 1);
	ok &= get_unit(w, PR_UNIT, &u);
	p.material = val(w, PR_MATERIAL);
	p.name = val(w, PR_PROPERTY);
	p.unit = val(w, PR_UNIT);
	p.source = val(w, PR_SOURCE);
	p.origin = r->origin;
	if (!ok)
		return 0;
	if (eic_cluster_find_property(r->cluster, p.material, p.name)) {
		if (r->catalogue_pass)
			return 0;
		ERR(w, PR_PROPERTY,
		    "duplicate property (expected one row per material and property; found %s for "
		    "'%s' again)",
		    shown(p.name, b, sizeof(b)), p.material);
		return 0;
	}
	if (r->catalogue_pass && !eic_cluster_find_material(r->cluster, p.material))
		return 0;
	if (!property_check(w, p.name, &u, p.value) || r->row_errors)
		return 0;
	return eic_cluster_add_property(r->cluster, &p);
}

static int decode_flow(row *w)
{
	eic_reader *r = w->r;
	eic_flow f;
	eic_unit u;
	eic_node from, to;
	char b[80], d[64];
	memset(&f, 0, sizeof(f));
	int ok = get_id(w, F_ID);
	f.id = val(w, F_ID);
	/* Claim the id now (one hash probe for check and insert); the key must outlive the
	 * map, so it is copied into the reader's scratch arena. */
	char *key = ok ? eic_arena_strdup(&r->scratch, f.id) : NULL;
	int seen = 0;
	if (key && (seen = eic_map_put(&r->flow_ids, key, 1)) < 0)
		return EIC_ENOMEM;
	if (ok && seen == 1) {
		ERR(w, F_ID, "duplicate id in 'id' (expected a unique flow id; found %s again)",
		    shown(f.id, b, sizeof(b)));
		ok = 0;
	}
	int from_ok = check_node(w, F_FROM, &from);
	int to_ok = check_node(w, F_TO, &to);
	ok &= from_ok & to_ok;
	if (from_ok && to_ok) {
		if (strcmp(val(w, F_FROM), val(w, F_TO)) == 0) {
			ERR(w, F_TO,
			    "flow from a node to itself (expected 'to' to differ from 'from'; "
			    "found %s in both)",
			    shown(val(w, F_TO), b, sizeof(b)));
			ok = 0;
		} else if (from.kind == EIC_NODE_BOUNDARY && to.kind == EIC_NODE_BOUNDARY) {
			ERR(w, F_TO,
			    "flow between two boundary nodes (expected at least one end inside the "
			    "cluster; found %s to %s)",
			    val(w, F_FROM), val(w, F_TO));
			ok = 0;
		}
	}
	ok &= check_material(w, F_MATERIAL);
	ok &= get_nonneg(w, F_QUANTITY, &f.quantity, 1);
	if (get_unit(w, F_UNIT, &u)) {
		if (!amount_kind(&u, 1, 1)) {
			dimtext(&u, d, sizeof(d));
			ERR(w, F_UNIT,
			    "dimension mismatch in 'unit' (expected a mass, volume, energy or "
			    "count, or one of these per time; found %s, a %s)",
			    val(w, F_UNIT), d);
			ok = 0;
		}
	} else {
		ok = 0;
	}
	if (need(w, F_PERIOD) && !eic_cluster_find_period(r->cluster, val(w, F_PERIOD))) {
		ERR(w, F_PERIOD,
		    "unknown period in 'period' (expected a period id from cluster.json; found %s)",
		    shown(val(w, F_PERIOD), b, sizeof(b)));
		ok = 0;
	}
	ok &= get_nonneg(w, F_SD, &f.sd, 0);
	f.rel_sd = NAN;
	if (given(w, F_RELSD)) {
		const char *s = val(w, F_RELSD);
		size_t n = strlen(s);
		char tmp[64];
		int pct = n > 1 && s[n - 1] == '%' && n < sizeof(tmp);
		if (pct) {
			memcpy(tmp, s, n - 1);
			tmp[n - 1] = '\0';
			s = tmp;
		}
		if (eic_parse_double(&f.rel_sd, s) < 0 || f.rel_sd < 0) {
			ERR(w, F_RELSD,
			    "invalid relative uncertainty in 'rel_sd' (expected a number >= 0 such "
			    "as 0.1 or 10%%; found %s)",
			    shown(val(w, F_RELSD), b, sizeof(b)));
			f.rel_sd = NAN;
			ok = 0;
		} else if (pct) {
			f.rel_sd /= 100.0;
		}
	}
	if (!isnan(f.sd) && !isnan(f.rel_sd)) {
		ERR(w, F_RELSD,
		    "two uncertainties given (expected only one of sd and rel_sd; found both)");
		ok = 0;
	}
	f.quality = EIC_QUALITY_ESTIMATED;
	if (given(w, F_QUALITY) && eic_data_quality_parse(&f.quality, val(w, F_QUALITY)) < 0) {
		ERR(w, F_QUALITY,
		    "unknown data quality in 'quality' (expected measured, calculated or "
		    "estimated; found %s)",
		    shown(val(w, F_QUALITY), b, sizeof(b)));
		ok = 0;
	}
	if (!ok || r->row_errors)
		return 0;
	if (r->opts.warnings && f.quality == EIC_QUALITY_MEASURED && isnan(f.sd) && isnan(f.rel_sd))
		WARN(w, F_QUANTITY,
		     "measured flow '%s' without uncertainty (give sd or rel_sd so reconciliation "
		     "can weigh it)",
		     f.id);
	f.from = val(w, F_FROM);
	f.to = val(w, F_TO);
	f.material = val(w, F_MATERIAL);
	f.unit = val(w, F_UNIT);
	f.period = val(w, F_PERIOD);
	f.source = val(w, F_SOURCE);
	f.notes = val(w, F_NOTES);
	if (!w->src->row_data)
		return eic_cluster_add_flow(r->cluster, &f);
	/* CSV row: copy the row's cell block into the cluster once and point into the copy. */
	const char *base = w->src->row_data;
	char *copy = eic_model__copy_bytes(r->cluster, base, w->src->row_len);
	if (!copy)
		return EIC_ENOMEM;
	const char **fields[] = {&f.id,   &f.from,   &f.to,     &f.material,
	                         &f.unit, &f.period, &f.source, &f.notes};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = *fields[i];
		if (!*v)
			*fields[i] = "";
		else
			*fields[i] = copy + (v - base);
	}
	return eic_model__add_flow_owned(r->cluster, &f);
}

static int decode_offer(row *w)
{
	eic_reader *r = w->r;
	eic_offer o;
	eic_unit u, pu;
	char b[80], d[64], q1[40], q2[40];
	memset(&o, 0, sizeof(o));
	int ok = get_id(w, O_ID);
	o.id = val(w, O_ID);
	if (ok && eic_map_get(&r->offer_ids, o.id, NULL)) {
		ERR(w, O_ID, "duplicate id in 'id' (expected a unique offer id; found %s again)",
		    shown(o.id, b, sizeof(b)));
		ok = 0;
	}
	ok &= check_actor(w, O_ACTOR);
	if (need(w, O_TYPE)) {
		if (!strcmp(val(w, O_TYPE), "have"))
			o.type = EIC_OFFER_HAVE;
		else if (!strcmp(val(w, O_TYPE), "want"))
			o.type = EIC_OFFER_WANT;
		else {
			ERR(w, O_TYPE,
			    "unknown offer type in 'type' (expected have or want; found %s)",
			    shown(val(w, O_TYPE), b, sizeof(b)));
			ok = 0;
		}
	} else {
		ok = 0;
	}
	ok &= check_material(w, O_MATERIAL);
	ok &= get_nonneg(w, O_QUANTITY, &o.quantity, 1);
	ok &= get_nonneg(w, O_MIN, &o.min_quantity, 0);
	ok &= get_nonneg(w, O_MAX, &o.max_quantity, 0);
	if (ok && !isnan(o.min_quantity) && o.min_quantity > o.quantity) {
		eic_fmt_double(q1, sizeof(q1), o.min_quantity);
		eic_fmt_double(q2, sizeof(q2), o.quantity);
		ERR(w, O_MIN,
		    "minimum above quantity (expected min <= quantity; found min %s, quantity %s)",
		    q1, q2);
		ok = 0;
	}
	if (ok && !isnan(o.max_quantity) && o.max_quantity < o.quantity) {
		eic_fmt_double(q1, sizeof(q1), o.max_quantity);
		eic_fmt_double(q2, sizeof(q2), o.quantity);
		ERR(w, O_MAX,
		    "maximum below quantity (expected max >= quantity; found max %s, quantity %s)",
		    q1, q2);
		ok = 0;
	}
	if (get_unit(w, O_UNIT, &u)) {
		if (!amount_kind(&u, 1, 1)) {
			dimtext(&u, d, sizeof(d));
			ERR(w, O_UNIT,
			    "dimension mismatch in 'unit' (expected a mass, volume, energy or "
			    "count, or one of these per time; found %s, a %s)",
			    val(w, O_UNIT), d);
			ok = 0;
		}
	} else {
		ok = 0;
	}
	long from = 0, to = 0;
	int dates = get_date(w, O_FROM, &from) & get_date(w, O_TO, &to);
	ok &= dates;
	if (dates && given(w, O_FROM) && given(w, O_TO) && to < from) {
		ERR(w, O_TO,
		    "availability ends before it starts (expected available_to >= available_from; "
		    "found %s before %s)",
		    val(w, O_TO), val(w, O_FROM));
		ok = 0;
	}
	ok &= get_nonneg(w, O_PRICE, &o.price, 0);
	if (given(w, O_PRICE) != given(w, O_PRICE_UNIT)) {
		ERR(w, given(w, O_PRICE) ? O_PRICE : O_PRICE_UNIT,
		    "incomplete price (expected both price and price_unit or neither; found only "
		    "%s)",
		    given(w, O_PRICE) ? "price" : "price_unit");
		ok = 0;
	} else if (given(w, O_PRICE_UNIT)) {
		if (eic_unit_parse(&pu, val(w, O_PRICE_UNIT)) < 0) {
			ERR(w, O_PRICE_UNIT,
			    "unknown unit in 'price_unit' (expected money per quantity such as "
			    "USD/t; found %s)",
			    shown(val(w, O_PRICE_UNIT), b, sizeof(b)));
			ok = 0;
		} else if (pu.exp[EIC_DIM_MONEY] != 1) {
			dimtext(&pu, d, sizeof(d));
			ERR(w, O_PRICE_UNIT,
			    "dimension mismatch in 'price_unit' (expected money per mass, volume, "
			    "energy or count such as USD/t; found %s, a %s)",
			    val(w, O_PRICE_UNIT), d);
			ok = 0;
		}
	}
	o.confidentiality = EIC_CONF_CLUSTER;
	if (given(w, O_CONF) && eic_confidentiality_parse(&o.confidentiality, val(w, O_CONF)) < 0) {
		ERR(w, O_CONF,
		    "unknown confidentiality in 'confidentiality' (expected private, cluster or "
		    "public; found %s)",
		    shown(val(w, O_CONF), b, sizeof(b)));
		ok = 0;
	}
	if (!ok || r->row_errors)
		return 0;
	o.actor = val(w, O_ACTOR);
	o.material = val(w, O_MATERIAL);
	o.unit = val(w, O_UNIT);
	o.quality = val(w, O_QUALITY);
	o.available_from = val(w, O_FROM);
	o.available_to = val(w, O_TO);
	o.price_unit = val(w, O_PRICE_UNIT);
	o.notes = val(w, O_NOTES);
	int rc = eic_cluster_add_offer(r->cluster, &o);
	if (rc < 0)
		return rc;
	const eic_offer *stored =
	    eic_cluster_offer(r->cluster, eic_cluster_offer_count(r->cluster) - 1);
	return eic_map_put(&r->offer_ids, stored->id, 1) < 0 ? EIC_ENOMEM : 0;
}

static int decode_facility(row *w)
{
	eic_reader *r = w->r;
	eic_facility f;
	eic_unit u;
	char b[80], d[64];
	memset(&f, 0, sizeof(f));
	int ok = get_id(w, FA_ID);
	f.id = val(w, FA_ID);
	if (ok && eic_cluster_find_facility(r->cluster, f.id)) {
		ERR(w, FA_ID,
		    "duplicate id in 'id' (expected a unique facility id; found %s again)",
		    shown(f.id, b, sizeof(b)));
		return 0;
	}
	ok &= need(w, FA_NAME) & need(w, FA_TECH);
	ok &= get_coords(w, FA_LAT, FA_LON, &f.lat, &f.lon);
	if (get_unit(w, FA_CAPUNIT, &u)) {
		if (!amount_kind(&u, 0, 1)) {
			dimtext(&u, d, sizeof(d));
			ERR(w, FA_CAPUNIT,
			    "dimension mismatch in 'capacity_unit' (expected a rate such as t/yr "
			    "or a power such as kW; found %s, a %s)",
			    val(w, FA_CAPUNIT), d);
			ok = 0;
		}
	} else {
		ok = 0;
	}
	ok &= get_nonneg(w, FA_LIFETIME, &f.lifetime_yr, 0);
	if (!ok || r->row_errors) {
		if (valid_id(f.id))
			return map_seen(r, &r->seen_facilities, f.id);
		return 0;
	}
	f.name = val(w, FA_NAME);
	f.technology = val(w, FA_TECH);
	f.address = val(w, FA_ADDRESS);
	f.capacity_unit = val(w, FA_CAPUNIT);
	f.notes = val(w, FA_NOTES);
	return eic_cluster_add_facility(r->cluster, &f);
}

static int decode_level(row *w)
{
	eic_reader *r = w->r;
	eic_facility_level l;
	const eic_facility *fac;
	char b[80];
	int ok = check_facility(w, L_FACILITY, &fac);
	if (get_id(w, L_LEVEL) && ok) {
		char key[160];
		snprintf(key, sizeof(key), "%s\x1f%s", val(w, L_FACILITY), val(w, L_LEVEL));
		if (eic_map_get(&r->level_ids, key, NULL)) {
			ERR(w, L_LEVEL,
			    "duplicate level (expected a unique level per facility; found %s "
			    "again)",
			    shown(val(w, L_LEVEL), b, sizeof(b)));
			ok = 0;
		} else {
			char *k = eic_arena_strdup(&r->scratch, key);
			if (!k || eic_map_put(&r->level_ids, k, 1) < 0)
				return EIC_ENOMEM;
		}
	} else {
		ok = 0;
	}
	ok &= get_nonneg(w, L_CAPACITY, &l.capacity, 1);
	if (ok && l.capacity == 0) {
		ERR(w, L_CAPACITY, "zero capacity (expected a capacity > 0; found 0)");
		ok = 0;
	}
	ok &= get_nonneg(w, L_CAPEX, &l.capex, 1);
	ok &= get_nonneg(w, L_OPEX, &l.opex_per_yr, 1);
	if (!ok || r->row_errors || !fac)
		return 0;
	l.facility = val(w, L_FACILITY);
	l.level = val(w, L_LEVEL);
	return eic_cluster_add_facility_level(r->cluster, &l);
}

static int decode_coef(row *w)
{
	eic_reader *r = w->r;
	eic_facility_coef c;
	const eic_facility *fac;
	eic_unit u, cap, prod;
	char b[80], d[64];
	int ok = check_facility(w, C_FACILITY, &fac);
	ok &= check_material(w, C_MATERIAL);
	if (need(w, C_DIRECTION)) {
		if (!strcmp(val(w, C_DIRECTION), "input"))
			c.direction = EIC_DIR_INPUT;
		else if (!strcmp(val(w, C_DIRECTION), "output"))
			c.direction = EIC_DIR_OUTPUT;
		else {
			ERR(w, C_DIRECTION,
			    "unknown direction in 'direction' (expected input or output; found %s)",
			    shown(val(w, C_DIRECTION), b, sizeof(b)));
			ok = 0;
		}
	} else {
		ok = 0;
	}
	ok &= get_nonneg(w, C_COEF, &c.coefficient, 1);
	if (get_unit(w, C_UNIT, &u)) {
		if (fac && eic_unit_parse(&cap, fac->capacity_unit) == 0 &&
		    (eic_unit_mul(&prod, &u, &cap) < 0 || !amount_kind(&prod, 0, 1))) {
			dimtext(&prod, d, sizeof(d));
			ERR(w, C_UNIT,
			    "dimension mismatch in 'unit' (expected a coefficient that times the "
			    "capacity unit %s gives a rate of mass, volume, energy or count; found "
			    "%s, giving a %s)",
			    fac->capacity_unit, val(w, C_UNIT), d);
			ok = 0;
		}
	} else {
		ok = 0;
	}
	if (!ok || r->row_errors || !fac)
		return 0;
	c.facility = val(w, C_FACILITY);
	c.material = val(w, C_MATERIAL);
	c.unit = val(w, C_UNIT);
	return eic_cluster_add_facility_coef(r->cluster, &c);
}

int eic_io__decode_row(eic_reader *r, eic_table_id t, const char *const *values,
                       const eic_rowsrc *src)
{
	row w = {r, t, values, src};
	r->row_errors = 0;
	switch (t) {
	case TBL_ACTORS:
		return decode_actor(&w);
	case TBL_PROCESSES:
		return decode_process(&w);
	case TBL_MATERIALS:
		return decode_material(&w);
	case TBL_PROPERTIES:
		return decode_property(&w);
	case TBL_FLOWS:
		return decode_flow(&w);
	case TBL_OFFERS:
		return decode_offer(&w);
	case TBL_FACILITIES:
		return decode_facility(&w);
	case TBL_LEVELS:
		return decode_level(&w);
	case TBL_COEFS:
		return decode_coef(&w);
	default:
		return EIC_EINVAL;
	}
}
