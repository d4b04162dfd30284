/* measure.c: the in-memory set of measurement records: checks on add, unit conversion to the
 * catalogue units, corrections (supersession), queries, the current view and periods. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure_private.h"

struct eic_measure_set {
	eic_arena arena;   /* records and their strings */
	eic_vec recs;      /* eic_measurement *, insertion order */
	eic_vec successor; /* size_t per record: index + 1 of the record superseding it, or 0 */
	eic_map ids;       /* id -> index (keys in the arena) */
	long max_id;       /* largest numeric id seen */
	const eic_pollutants *cat;
	eic_pollutants *own_cat;
	char errmsg[512];
};

static const char *const kind_names[EIC_MEASURE__N] = {
    "production",      "value_added",  "employees", "energy",   "water_withdrawal",
    "water_discharge", "raw_material", "waste",     "emission",
};
static const char *const medium_names[] = {"", "air", "water", "land"};
static const char *const fate_names[] = {"", "recovery", "disposal"};
static const char *const method_names[] = {"measured", "calculated", "estimated"};

/* ---- names ---- */

const char *eic_measure_kind_name(eic_measure_kind kind)
{
	return (int)kind >= 0 && kind < EIC_MEASURE__N ? kind_names[kind] : "";
}

int eic_measure_kind_parse(eic_measure_kind *out, const char *text)
{
	for (int i = 0; text && i < EIC_MEASURE__N; i++)
		if (strcmp(text, kind_names[i]) == 0) {
			*out = (eic_measure_kind)i;
			return 0;
		}
	return EIC_EINVAL;
}

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

const char *eic_medium_name(eic_medium medium)
{
	return (int)medium >= 0 && medium <= EIC_MEDIUM_LAND ? medium_names[medium] : "";
}

int eic_medium_parse(eic_medium *out, const char *text)
{
	if (!text)
		return EIC_EINVAL;
	for (int i = 0; i <= EIC_MEDIUM_LAND; i++)
		if (ieq(text, medium_names[i])) {
			*out = (eic_medium)i;
			return 0;
		}
	return EIC_EINVAL;
}

const char *eic_waste_fate_name(eic_waste_fate fate)
{
	return (int)fate >= 0 && fate <= EIC_FATE_DISPOSAL ? fate_names[fate] : "";
}

int eic_waste_fate_parse(eic_waste_fate *out, const char *text)
{
	if (!text)
		return EIC_EINVAL;
	for (int i = 0; i <= EIC_FATE_DISPOSAL; i++)
		if (ieq(text, fate_names[i])) {
			*out = (eic_waste_fate)i;
			return 0;
		}
	if (ieq(text, "R") || ieq(text, "D")) {
		*out = ieq(text, "R") ? EIC_FATE_RECOVERY : EIC_FATE_DISPOSAL;
		return 0;
	}
	return EIC_EINVAL;
}

const char *eic_measure_method_name(eic_measure_method m)
{
	return (int)m >= 0 && m <= EIC_METHOD_ESTIMATED ? method_names[m] : "";
}

int eic_measure_method_parse(eic_measure_method *out, const char *text)
{
	static const char letters[] = "MCE";
	if (!text)
		return EIC_EINVAL;
	for (int i = 0; i <= EIC_METHOD_ESTIMATED; i++)
		if (ieq(text, method_names[i]) || (text[0] == letters[i] && text[1] == '\0')) {
			*out = (eic_measure_method)i;
			return 0;
		}
	return EIC_EINVAL;
}

/* ---- periods ---- */

static int days_in_month(long y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap ? 1 : 0);
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* One side of a period: "YYYY", "YYYY-MM" or "YYYY-MM-DD"; `first` picks the first day. */
static int period_side(char out[11], const char *s, size_t n, int first)
{
	long day;
	if (n == 4 && all_digits(s, 4)) {
		snprintf(out, 11, "%.4s-%s", s, first ? "01-01" : "12-31");
	} else if (n == 7 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2)) {
		int m = (s[5] - '0') * 10 + (s[6] - '0');
		long y = strtol(s, NULL, 10);
		if (m < 1 || m > 12 || y < 1)
			return EIC_EINVAL;
		snprintf(out, 11, "%.7s-%02d", s, first ? 1 : days_in_month(y, m));
	} else if (n == 10) {
		memcpy(out, s, 10);
		out[10] = '\0';
	} else {
		return EIC_EINVAL;
	}
	return eic_date_parse(&day, out) == 0 && strncmp(out, "0000", 4) != 0 ? 0 : EIC_EINVAL;
}

int eic_measure_period_parse(char start[11], char end[11], const char *text)
{
	long a, b;
	if (!text)
		return EIC_EINVAL;
	const char *slash = strchr(text, '/');
	if (slash) {
		if (period_side(start, text, (size_t)(slash - text), 1) < 0 ||
		    period_side(end, slash + 1, strlen(slash + 1), 0) < 0)
			return EIC_EINVAL;
	} else if (period_side(start, text, strlen(text), 1) < 0 ||
	           period_side(end, text, strlen(text), 0) < 0) {
		return EIC_EINVAL;
	}
	if (eic_date_parse(&a, start) < 0 || eic_date_parse(&b, end) < 0 || b < a)
		return EIC_EINVAL;
	return 0;
}

size_t eic_measure_period_label(char *buf, size_t size, const char *start, const char *end)
{
	int n;
	if (!start || !end || strlen(start) != 10 || strlen(end) != 10)
		n = snprintf(buf, size, "%s/%s", start ? start : "", end ? end : "");
	else if (strncmp(start, end, 4) == 0 && strcmp(start + 4, "-01-01") == 0 &&
	         strcmp(end + 4, "-12-31") == 0)
		n = snprintf(buf, size, "%.4s", start);
	else if (strncmp(start, end, 7) == 0 && strcmp(start + 7, "-01") == 0 &&
	         atoi(end + 8) == days_in_month(strtol(end, NULL, 10), atoi(end + 5)))
		n = snprintf(buf, size, "%.7s", start);
	else
		n = snprintf(buf, size, "%s/%s", start, end);
	return n < 0 ? 0 : (size_t)n;
}

/* ---- units ---- */

int eic_measure_amount(double *out, const char **out_unit, char out_unit_buf[4],
                       eic_measure_kind kind, double value, const char *unit)
{
	eic_unit u;
	if (!out || !out_unit || !unit || eic_unit_parse(&u, unit) < 0 || u.exp[EIC_DIM_TIME] != 0)
		return EIC_EUNIT;
	eic_quantity_kind q = eic_unit_kind(&u);
	int ok = 0;
	switch (kind) {
	case EIC_MEASURE_PRODUCTION:
		ok = q == EIC_KIND_MASS || q == EIC_KIND_VOLUME || q == EIC_KIND_ENERGY ||
		     q == EIC_KIND_COUNT || q == EIC_KIND_AREA;
		break;
	case EIC_MEASURE_VALUE_ADDED:
		ok = q == EIC_KIND_MONEY;
		break;
	case EIC_MEASURE_EMPLOYEES:
		ok = q == EIC_KIND_COUNT || q == EIC_KIND_DIMENSIONLESS;
		break;
	case EIC_MEASURE_ENERGY:
		ok = q == EIC_KIND_ENERGY || q == EIC_KIND_MASS || q == EIC_KIND_VOLUME;
		break;
	case EIC_MEASURE_WATER_WITHDRAWAL:
	case EIC_MEASURE_WATER_DISCHARGE:
		ok = q == EIC_KIND_VOLUME;
		break;
	case EIC_MEASURE_RAW_MATERIAL:
		ok = q == EIC_KIND_MASS || q == EIC_KIND_VOLUME || q == EIC_KIND_ENERGY ||
		     q == EIC_KIND_COUNT;
		break;
	case EIC_MEASURE_WASTE:
		ok = q == EIC_KIND_MASS || q == EIC_KIND_VOLUME;
		break;
	case EIC_MEASURE_EMISSION:
		ok = q == EIC_KIND_MASS;
		break;
	default:
		ok = 0;
	}
	if (!ok)
		return EIC_EUNIT;
	double to_factor = 1.0;
	switch (q) {
	case EIC_KIND_MASS:
		if (kind == EIC_MEASURE_EMISSION) {
			*out_unit = "kg";
		} else {
			*out_unit = "t";
			to_factor = 1e3;
		}
		break;
	case EIC_KIND_VOLUME:
		*out_unit = "m3";
		break;
	case EIC_KIND_ENERGY:
		*out_unit = "GJ";
		to_factor = 1e9;
		break;
	case EIC_KIND_AREA:
		*out_unit = "m2";
		break;
	case EIC_KIND_MONEY:
		if (!out_unit_buf)
			return EIC_EUNIT;
		memcpy(out_unit_buf, u.currency, 4);
		out_unit_buf[3] = '\0';
		*out_unit = out_unit_buf;
		break;
	default: /* count, dimensionless */
		*out_unit = "1";
		break;
	}
	*out = value * u.factor / to_factor;
	return 0;
}

/* ---- the set ---- */

void eic_measurement_init(eic_measurement *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->value = NAN;
	rec->amount = NAN;
	rec->concentration = NAN;
	rec->limit = NAN;
	rec->method = EIC_METHOD_ESTIMATED;
}

int eic_measure_set_new(eic_measure_set **out, const eic_pollutants *catalogue)
{
	int error = 0;
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	eic_measure_set *s = eic_calloc(1, sizeof(*s));
	if (!s)
		return EIC_ENOMEM;
	eic_arena_init(&s->arena);
	eic_vec_init(&s->recs, sizeof(eic_measurement *));
	eic_vec_init(&s->successor, sizeof(size_t));
	eic_map_init(&s->ids);
	s->cat = catalogue;
	if (!catalogue) {
		if ((error = eic_pollutants_load(&s->own_cat, NULL, NULL)) < 0)
			goto done;
		s->cat = s->own_cat;
	}
done:
	if (error < 0) {
		eic_measure_set_free(s);
		return error;
	}
	*out = s;
	return 0;
}

void eic_measure_set_free(eic_measure_set *set)
{
	if (!set)
		return;
	eic_arena_clear(&set->arena);
	eic_vec_free(&set->recs);
	eic_vec_free(&set->successor);
	eic_map_free(&set->ids);
	eic_pollutants_free(set->own_cat);
	eic_free(set);
}

const char *eic_measure_set_errmsg(const eic_measure_set *set)
{
	return set ? set->errmsg : "";
}

const eic_pollutants *eic_measure_set_pollutants(const eic_measure_set *set)
{
	return set ? set->cat : NULL;
}

static int fail(eic_measure_set *s, int code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(eic_measure_set *s, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* A 6-digit EWC code, written "100501" or "10 05 01", with an optional '*' (hazardous).
 * Writes the compact form ("100501*") into out (8 bytes). */
static int ewc_code(char out[8], const char *s)
{
	size_t n = 0;
	for (; *s && n < 6; s++) {
		if (*s == ' ')
			continue;
		if (*s < '0' || *s > '9')
			return -1;
		out[n++] = *s;
	}
	while (*s == ' ')
		s++;
	if (n != 6)
		return -1;
	if (*s == '*') {
		out[n++] = '*';
		s++;
	}
	out[n] = '\0';
	return *s == '\0' ? 0 : -1;
}

/* "R1".."R13" or "D1".."D15" (Directive 2008/98/EC Annexes I and II). */
static int fate_code_ok(const char *s, eic_waste_fate *fate)
{
	char *end;
	if ((s[0] != 'R' && s[0] != 'D') || s[1] < '1' || s[1] > '9')
		return 0;
	long n = strtol(s + 1, &end, 10);
	if (*end != '\0' || n < 1 || n > (s[0] == 'R' ? 13 : 15))
		return 0;
	*fate = s[0] == 'R' ? EIC_FATE_RECOVERY : EIC_FATE_DISPOSAL;
	return 1;
}

static int parse_id(long *out, const char *s)
{
	if (eic_str_empty(s) || strlen(s) > 15 || !all_digits(s, strlen(s)) || s[0] == '0')
		return -1;
	*out = strtol(s, NULL, 10);
	return 0;
}

/* Check the fields of `r` that do not depend on other records; fills the normalised subject
 * (`subject`, 8+ bytes used for EWC codes), the fate and the converted amount. */
static int check_fields(eic_measure_set *s, const eic_measurement *r, const char **subject,
                        char ewc[8], eic_waste_fate *fate, double *amount, const char **amount_unit,
                        char currency[4])
{
	const char *kind = eic_measure_kind_name(r->kind);
	long a, b;
	eic_unit u, cu;
	int error;

	if ((int)r->kind < 0 || r->kind >= EIC_MEASURE__N)
		return fail(s, EIC_EINVAL, "unknown kind %d", (int)r->kind);
	if (eic_str_empty(r->actor))
		return fail(s, EIC_EINVAL, "the actor is missing");
	*subject = nz(r->subject);
	*fate = r->fate;
	switch (r->kind) {
	case EIC_MEASURE_PRODUCTION:
	case EIC_MEASURE_ENERGY:
	case EIC_MEASURE_RAW_MATERIAL:
		if (eic_str_empty(r->subject))
			return fail(s, EIC_EINVAL, "a %s record needs a subject (expected the %s)",
			            kind,
			            r->kind == EIC_MEASURE_ENERGY       ? "energy carrier"
			            : r->kind == EIC_MEASURE_PRODUCTION ? "product"
			                                                : "material");
		break;
	case EIC_MEASURE_WASTE:
		if (eic_str_empty(r->subject))
			return fail(s, EIC_EINVAL,
			            "a waste record needs a subject (expected a 6-digit EWC code, "
			            "or HW / NONHW)");
		if (strcmp(r->subject, "HW") != 0 && strcmp(r->subject, "NONHW") != 0) {
			if (ewc_code(ewc, r->subject) < 0)
				return fail(
				    s, EIC_EINVAL,
				    "bad waste subject (expected a 6-digit EWC code such as "
				    "100501 or 10 05 01*, or HW / NONHW; found '%s')",
				    r->subject);
			*subject = ewc;
		}
		break;
	case EIC_MEASURE_EMISSION:
		if (eic_str_empty(r->subject))
			return fail(s, EIC_EINVAL,
			            "an emission record needs a subject (expected a pollutant code "
			            "of the catalogue)");
		if (!eic_pollutants_find(s->cat, r->subject))
			return fail(s, EIC_ENOTFOUND,
			            "unknown pollutant '%s' (expected a code of the pollutant "
			            "catalogue, e.g. ZNANDCOMPOUNDS, NOX, CO2)",
			            r->subject);
		break;
	default:
		break;
	}
	if (r->kind == EIC_MEASURE_EMISSION) {
		if (r->medium == EIC_MEDIUM_NONE || (int)r->medium < 0 ||
		    r->medium > EIC_MEDIUM_LAND)
			return fail(
			    s, EIC_EINVAL,
			    "an emission record needs a medium (expected air, water or land)");
	} else if (r->medium != EIC_MEDIUM_NONE) {
		return fail(s, EIC_EINVAL,
		            "only emission records have a medium (found %s on a %s "
		            "record)",
		            eic_medium_name(r->medium), kind);
	}
	if ((int)r->fate < 0 || r->fate > EIC_FATE_DISPOSAL)
		return fail(s, EIC_EINVAL, "unknown fate %d", (int)r->fate);
	if (!eic_str_empty(r->fate_code)) {
		eic_waste_fate from_code;
		if (!fate_code_ok(r->fate_code, &from_code))
			return fail(s, EIC_EINVAL,
			            "bad fate code (expected R1..R13 or D1..D15; found '%s')",
			            r->fate_code);
		if (r->fate != EIC_FATE_NONE && r->fate != from_code)
			return fail(s, EIC_EINVAL, "fate code %s contradicts the fate %s",
			            r->fate_code, eic_waste_fate_name(r->fate));
		*fate = from_code;
	}
	if (r->kind != EIC_MEASURE_WASTE && *fate != EIC_FATE_NONE)
		return fail(s, EIC_EINVAL,
		            "only waste records have a fate (found %s on a %s record)",
		            eic_waste_fate_name(*fate), kind);
	if (!isfinite(r->value))
		return fail(s, EIC_EINVAL, "the value is missing or not a finite number");
	if (r->value < 0 && r->kind != EIC_MEASURE_VALUE_ADDED)
		return fail(s, EIC_EINVAL, "negative value %g (expected >= 0 for %s)", r->value,
		            kind);
	if (eic_str_empty(r->unit))
		return fail(s, EIC_EUNIT, "the unit is missing");
	if ((error = eic_measure_amount(amount, amount_unit, currency, r->kind, r->value,
	                                r->unit)) < 0) {
		if (eic_unit_parse(&u, r->unit) < 0)
			return fail(s, EIC_EUNIT, "unknown unit '%s'", r->unit);
		char dim[64];
		eic_unit_dimension_text(dim, sizeof(dim), &u);
		return fail(s, EIC_EUNIT, "unit '%s' (%s) does not fit a %s record (%s)", r->unit,
		            dim, kind,
		            r->kind == EIC_MEASURE_EMISSION      ? "expected a mass such as kg or t"
		            : r->kind == EIC_MEASURE_VALUE_ADDED ? "expected money such as EUR"
		            : r->kind == EIC_MEASURE_EMPLOYEES   ? "expected 1 or a count"
		            : r->kind == EIC_MEASURE_WASTE       ? "expected a mass or a volume"
		            : r->kind == EIC_MEASURE_WATER_WITHDRAWAL ||
		                    r->kind == EIC_MEASURE_WATER_DISCHARGE
		                ? "expected a volume such as m3"
		                : "expected an amount over the period, not a rate");
	}
	if (r->kind == EIC_MEASURE_EMISSION) {
		const eic_pollutant *p = eic_pollutants_find(s->cat, r->subject);
		if (p && !eic_str_empty(p->unit) && strcmp(p->unit, "kg") != 0) {
			if (eic_unit_convert(amount, r->value, r->unit, p->unit) < 0)
				return fail(s, EIC_EUNIT, "unit '%s' does not convert to '%s'",
				            r->unit, p->unit);
			*amount_unit = p->unit;
		}
	}
	/* concentration and limit */
	int have_conc = !isnan(r->concentration);
	if (have_conc) {
		if (!isfinite(r->concentration) || r->concentration < 0)
			return fail(s, EIC_EINVAL, "bad concentration (expected a number >= 0)");
		if (eic_str_empty(r->concentration_unit))
			return fail(s, EIC_EUNIT,
			            "the concentration has no unit (expected e.g. "
			            "mg/m3, mg/L or ppm)");
	}
	if (!eic_str_empty(r->concentration_unit)) {
		if (!have_conc)
			return fail(s, EIC_EINVAL, "a concentration unit without a concentration");
		if (eic_unit_parse(&cu, r->concentration_unit) < 0)
			return fail(s, EIC_EUNIT, "unknown concentration unit '%s'",
			            r->concentration_unit);
	}
	if (!isnan(r->limit)) {
		if (!isfinite(r->limit) || r->limit < 0)
			return fail(s, EIC_EINVAL, "bad limit (expected a number >= 0)");
		if (eic_str_empty(r->limit_unit))
			return fail(s, EIC_EUNIT, "the limit has no unit");
		eic_unit lu, vu;
		if (eic_unit_parse(&lu, r->limit_unit) < 0)
			return fail(s, EIC_EUNIT, "unknown limit unit '%s'", r->limit_unit);
		int fits = eic_unit_parse(&vu, r->unit) == 0 && eic_unit_compatible(&lu, &vu);
		if (have_conc && eic_unit_compatible(&lu, &cu))
			fits = 1;
		if (!fits)
			return fail(
			    s, EIC_EUNIT,
			    "limit unit '%s' fits neither the concentration unit '%s' nor the "
			    "value unit '%s'",
			    r->limit_unit, nz(r->concentration_unit), r->unit);
	} else if (!eic_str_empty(r->limit_unit)) {
		return fail(s, EIC_EINVAL, "a limit unit without a limit");
	}
	/* period */
	if (eic_date_parse(&a, r->start) < 0)
		return fail(s, EIC_EINVAL, "bad period start (expected YYYY-MM-DD; found '%s')",
		            nz(r->start));
	if (eic_date_parse(&b, r->end) < 0)
		return fail(s, EIC_EINVAL, "bad period end (expected YYYY-MM-DD; found '%s')",
		            nz(r->end));
	if (b < a)
		return fail(s, EIC_EINVAL, "the period ends (%s) before it starts (%s)", r->end,
		            r->start);
	/* provenance */
	if ((int)r->method < 0 || r->method > EIC_METHOD_ESTIMATED)
		return fail(s, EIC_EINVAL, "unknown method %d", (int)r->method);
	if (eic_str_empty(r->reported_by))
		return fail(s, EIC_EINVAL,
		            "reported_by is missing (expected who reported the "
		            "number)");
	if (r->verified != 0 && r->verified != 1)
		return fail(s, EIC_EINVAL, "verified must be 0 or 1");
	if (r->verified && eic_str_empty(r->verified_by))
		return fail(s, EIC_EINVAL, "a verified record needs verified_by");
	if (!r->verified && !eic_str_empty(r->verified_by))
		return fail(s, EIC_EINVAL, "verified_by is given but the record is not verified");
	if (r->source_row < 0)
		return fail(s, EIC_EINVAL, "negative source row");
	return 0;
}

static eic_measurement *rec_at(const eic_measure_set *s, size_t i)
{
	return *EIC_VEC_AT(&s->recs, eic_measurement *, i);
}

static size_t *succ_at(const eic_measure_set *s, size_t i)
{
	return EIC_VEC_AT(&s->successor, size_t, i);
}

/*
 * Check a record, copy it into the set and link its correction. O(1) expected plus the
 * length of its strings. The set is unchanged on error (the arena may keep a few bytes).
 */
int eic_measure_add(const eic_measurement **out, eic_measure_set *s, const eic_measurement *r)
{
	const char *subject, *amount_unit;
	char ewc[8], currency[4] = "";
	eic_waste_fate fate;
	double amount;
	long id = 0;
	size_t sup_index = 0, index;
	int error;

	if (out)
		*out = NULL;
	if (!s || !r)
		return EIC_EINVAL;
	s->errmsg[0] = '\0';
	if ((error = check_fields(s, r, &subject, ewc, &fate, &amount, &amount_unit, currency)) < 0)
		return error;
	if (!eic_str_empty(r->id)) {
		if (parse_id(&id, r->id) < 0)
			return fail(s, EIC_EINVAL,
			            "bad record id '%s' (expected a positive integer)", r->id);
		if (eic_map_get(&s->ids, r->id, &index))
			return fail(s, EIC_EEXISTS, "record id %s is already taken", r->id);
	} else {
		id = s->max_id + 1;
	}
	if (!eic_str_empty(r->supersedes)) {
		if (!eic_map_get(&s->ids, r->supersedes, &sup_index))
			return fail(s, EIC_ENOTFOUND, "record %s to be superseded does not exist",
			            r->supersedes);
		const eic_measurement *old = rec_at(s, sup_index);
		if (*succ_at(s, sup_index))
			return fail(
			    s, EIC_EEXISTS,
			    "record %s is already superseded by record %s (correct that one)",
			    r->supersedes, rec_at(s, *succ_at(s, sup_index) - 1)->id);
		if (strcmp(old->actor, r->actor) != 0 || old->kind != r->kind)
			return fail(
			    s, EIC_EINVAL,
			    "record %s is a %s record of %s; a correction keeps the actor and "
			    "the kind (found %s of %s)",
			    old->id, eic_measure_kind_name(old->kind), old->actor,
			    eic_measure_kind_name(r->kind), r->actor);
	}

	eic_arena *A = &s->arena;
	eic_measurement *m = eic_arena_alloc(A, sizeof(*m));
	char idbuf[24];
	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	if (!m)
		return EIC_ENOMEM;
	*m = *r;
#define COPY(field, text)                                                                          \
	do {                                                                                       \
		if (!(m->field = eic_arena_strdup(A, nz(text))))                                   \
			return EIC_ENOMEM;                                                         \
	} while (0)
	COPY(id, idbuf);
	COPY(actor, r->actor);
	COPY(subject, subject);
	COPY(fate_code, r->fate_code);
	COPY(counterpart, r->counterpart);
	COPY(start, r->start);
	COPY(end, r->end);
	COPY(unit, r->unit);
	COPY(amount_unit, amount_unit);
	COPY(concentration_unit, r->concentration_unit);
	COPY(limit_unit, r->limit_unit);
	COPY(standard, r->standard);
	COPY(reported_by, r->reported_by);
	COPY(verified_by, r->verified_by);
	COPY(source, r->source);
	COPY(source_file, r->source_file);
	COPY(supersedes, r->supersedes);
	COPY(note, r->note);
	COPY(recorded_at, r->recorded_at);
#undef COPY
	m->fate = fate;
	m->amount = amount;
	size_t zero = 0;
	if (eic_map_reserve(&s->ids, s->recs.len + 1) < 0 || !eic_vec_push(&s->successor, &zero))
		return EIC_ENOMEM;
	if (!eic_vec_push(&s->recs, &m)) {
		s->successor.len--;
		return EIC_ENOMEM;
	}
	index = s->recs.len - 1;
	if (eic_map_put(&s->ids, m->id, index) < 0) { /* cannot fail after the reserve */
		s->recs.len--;
		s->successor.len--;
		return EIC_ENOMEM;
	}
	if (!eic_str_empty(r->supersedes))
		*succ_at(s, sup_index) = index + 1;
	if (id > s->max_id)
		s->max_id = id;
	if (out)
		*out = m;
	return 0;
}

size_t eic_measure_count(const eic_measure_set *set)
{
	return set ? set->recs.len : 0;
}

const eic_measurement *eic_measure_at(const eic_measure_set *set, size_t i)
{
	return set && i < set->recs.len ? rec_at(set, i) : NULL;
}

const eic_measurement *eic_measure_find(const eic_measure_set *set, const char *id)
{
	size_t i;
	if (!set || !id || !eic_map_get(&set->ids, id, &i))
		return NULL;
	return rec_at(set, i);
}

static int index_of(const eic_measure_set *set, const eic_measurement *rec, size_t *out)
{
	return set && rec && rec->id && eic_map_get(&set->ids, rec->id, out) &&
	       rec_at(set, *out) == rec;
}

const eic_measurement *eic_measure_superseded_by(const eic_measure_set *set,
                                                 const eic_measurement *rec)
{
	size_t i;
	if (!index_of(set, rec, &i) || !*succ_at(set, i))
		return NULL;
	return rec_at(set, *succ_at(set, i) - 1);
}

int eic_measure_is_current(const eic_measure_set *set, const eic_measurement *rec)
{
	size_t i;
	return index_of(set, rec, &i) && *succ_at(set, i) == 0;
}

int eic_measure_same_series(const eic_measurement *a, const eic_measurement *b)
{
	return a && b && a->kind == b->kind && a->medium == b->medium && a->fate == b->fate &&
	       eic_streq(a->actor, b->actor) && eic_streq(a->subject, b->subject) &&
	       eic_streq(a->counterpart, b->counterpart);
}

/* ---- queries ---- */

void eic_measure_list_clear(eic_measure_list *list)
{
	if (!list)
		return;
	eic_free((void *)list->items);
	list->items = NULL;
	list->count = 0;
}

typedef struct {
	const eic_measurement *rec;
	size_t index;
} sort_item;

static int cmp_items(const void *pa, const void *pb)
{
	const sort_item *x = pa, *y = pb;
	const eic_measurement *a = x->rec, *b = y->rec;
	int c;
	if ((c = strcmp(a->start, b->start)) != 0 || (c = strcmp(a->end, b->end)) != 0 ||
	    (c = strcmp(a->actor, b->actor)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->subject, b->subject)) != 0)
		return c;
	if (a->medium != b->medium)
		return a->medium < b->medium ? -1 : 1;
	if (a->fate != b->fate)
		return a->fate < b->fate ? -1 : 1;
	if ((c = strcmp(a->counterpart, b->counterpart)) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int matches(const eic_measure_set *s, size_t i, const eic_measure_query *q)
{
	const eic_measurement *r = rec_at(s, i);
	if (!q->history && *succ_at(s, i))
		return 0;
	if (q->actor && strcmp(q->actor, r->actor) != 0)
		return 0;
	if (q->kind >= 0 && (int)r->kind != q->kind)
		return 0;
	if (q->subject && strcmp(q->subject, r->subject) != 0)
		return 0;
	if (q->medium >= 0 && (int)r->medium != q->medium)
		return 0;
	/* ISO dates compare as text */
	if (q->from && strcmp(r->end, q->from) < 0)
		return 0;
	if (q->to && strcmp(r->start, q->to) > 0)
		return 0;
	return 1;
}

static int check_query(const eic_measure_query *q)
{
	long d;
	if (q->from && eic_date_parse(&d, q->from) < 0)
		return EIC_EINVAL;
	if (q->to && eic_date_parse(&d, q->to) < 0)
		return EIC_EINVAL;
	return 0;
}

/* Sorted items selected by q (caller frees *out). */
static int select_items(sort_item **out, size_t *out_count, const eic_measure_set *s,
                        const eic_measure_query *q)
{
	eic_measure_query all = EIC_MEASURE_QUERY_INIT;
	size_t n = 0;
	*out = NULL;
	*out_count = 0;
	if (!q)
		q = &all;
	if (check_query(q) < 0)
		return EIC_EINVAL;
	if (s->recs.len == 0)
		return 0;
	sort_item *items = eic_malloc(s->recs.len * sizeof(*items));
	if (!items)
		return EIC_ENOMEM;
	for (size_t i = 0; i < s->recs.len; i++)
		if (matches(s, i, q)) {
			items[n].rec = rec_at(s, i);
			items[n].index = i;
			n++;
		}
	qsort(items, n, sizeof(*items), cmp_items);
	*out = items;
	*out_count = n;
	return 0;
}

int eic_measure_select(eic_measure_list *out, const eic_measure_set *set,
                       const eic_measure_query *query)
{
	sort_item *items;
	size_t n;
	int error;
	if (!out || !set)
		return EIC_EINVAL;
	eic_measure_list_clear(out);
	if ((error = select_items(&items, &n, set, query)) < 0)
		return error;
	if (n) {
		const eic_measurement **recs = eic_malloc(n * sizeof(*recs));
		if (!recs) {
			eic_free(items);
			return EIC_ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			recs[i] = items[i].rec;
		out->items = recs;
		out->count = n;
	}
	eic_free(items);
	return 0;
}

int eic_measure_history(eic_measure_list *out, const eic_measure_set *set, const char *id)
{
	size_t i, n = 1;
	if (!out || !set)
		return EIC_EINVAL;
	eic_measure_list_clear(out);
	if (!id || !eic_map_get(&set->ids, id, &i))
		return EIC_ENOTFOUND;
	/* back to the first record of the chain */
	for (;;) {
		const eic_measurement *r = rec_at(set, i);
		size_t prev;
		if (eic_str_empty(r->supersedes) || !eic_map_get(&set->ids, r->supersedes, &prev))
			break;
		i = prev;
	}
	for (size_t j = i; *succ_at(set, j); j = *succ_at(set, j) - 1)
		n++;
	const eic_measurement **recs = eic_malloc(n * sizeof(*recs));
	if (!recs)
		return EIC_ENOMEM;
	n = 0;
	for (size_t j = i;; j = *succ_at(set, j) - 1) {
		recs[n++] = rec_at(set, j);
		if (!*succ_at(set, j))
			break;
	}
	out->items = recs;
	out->count = n;
	return 0;
}

static int cmp_periods(const void *pa, const void *pb)
{
	const eic_measure_period *a = pa, *b = pb;
	int c = strcmp(a->start, b->start);
	return c ? c : strcmp(a->end, b->end);
}

int eic_measure_periods(eic_measure_period **out, size_t *out_count, const eic_measure_set *set,
                        const eic_measure_query *query)
{
	sort_item *items;
	size_t n, m = 0;
	int error;
	if (!out || !out_count || !set)
		return EIC_EINVAL;
	*out = NULL;
	*out_count = 0;
	if ((error = select_items(&items, &n, set, query)) < 0)
		return error;
	if (n == 0) {
		eic_free(items);
		return 0;
	}
	eic_measure_period *p = eic_malloc(n * sizeof(*p));
	if (!p) {
		eic_free(items);
		return EIC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		p[i].start = items[i].rec->start;
		p[i].end = items[i].rec->end;
	}
	eic_free(items);
	qsort(p, n, sizeof(*p), cmp_periods);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || cmp_periods(&p[m - 1], &p[i]) != 0)
			p[m++] = p[i];
	*out = p;
	*out_count = m;
	return 0;
}

void eic_measure_periods_free(eic_measure_period *periods)
{
	eic_free(periods);
}

/* ---- internals for the store and the importers ---- */

int eic_measure__set_recorded(eic_measure_set *set, size_t i, const char *when)
{
	/* Resetting to "" must not allocate: it is the rollback after a failed save, which may
	 * run out of memory too. */
	if (eic_str_empty(when)) {
		rec_at(set, i)->recorded_at = "";
		return 0;
	}
	char *copy = eic_arena_strdup(&set->arena, nz(when));
	if (!copy)
		return EIC_ENOMEM;
	rec_at(set, i)->recorded_at = copy;
	return 0;
}

long eic_measure__max_id(const eic_measure_set *set, size_t n)
{
	long max = 0, id;
	for (size_t i = 0; i < n && i < set->recs.len; i++)
		if (parse_id(&id, rec_at(set, i)->id) == 0 && id > max)
			max = id;
	return max;
}

/* O(n): the id map has no delete, so it is rebuilt in place. Its slot array is kept: it
 * already has room for more than n keys, so the puts cannot rehash and the rollback cannot
 * run out of memory (a failed rebuild used to leave records missing from the map). */
int eic_measure__truncate(eic_measure_set *set, size_t n)
{
	int error = 0;
	if (n >= set->recs.len)
		return 0;
	set->recs.len = n;
	set->successor.len = n;
	for (size_t i = 0; i < n; i++)
		if (*succ_at(set, i) > n)
			*succ_at(set, i) = 0;
	if (set->ids.slots)
		memset(set->ids.slots, 0, set->ids.cap * sizeof(*set->ids.slots));
	set->ids.count = 0;
	for (size_t i = 0; i < n; i++)
		if (eic_map_put(&set->ids, rec_at(set, i)->id, i) < 0)
			error = EIC_ENOMEM;
	set->max_id = eic_measure__max_id(set, n);
	return error;
}
