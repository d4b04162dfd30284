/* units.c: parsing of unit expressions ("t/yr", "GJ/t", "USD/t") into dimension exponents and
 * a factor to base units, and every unit conversion eic makes. Factors: docs/methods/units.md. */
#include "eic/units.h"

#include <string.h>

/* Largest magnitude of a dimension exponent, written or resulting. */
#define EXP_MAX 9

/* Dimension shapes of the atoms; exponents in eic_base_dim order:
 * mass, length, time, energy, money, count. */
typedef enum {
	SHAPE_NONE,
	SHAPE_MASS,
	SHAPE_LENGTH,
	SHAPE_AREA,
	SHAPE_VOLUME,
	SHAPE_TIME,
	SHAPE_ENERGY,
	SHAPE_POWER,
	SHAPE_COUNT,
	SHAPE_MASS_LENGTH,
	SHAPE__N
} atom_shape;

static const signed char shapes[SHAPE__N][EIC_DIM__N] = {
    [SHAPE_NONE] = {0, 0, 0, 0, 0, 0},   [SHAPE_MASS] = {1, 0, 0, 0, 0, 0},
    [SHAPE_LENGTH] = {0, 1, 0, 0, 0, 0}, [SHAPE_AREA] = {0, 2, 0, 0, 0, 0},
    [SHAPE_VOLUME] = {0, 3, 0, 0, 0, 0}, [SHAPE_TIME] = {0, 0, 1, 0, 0, 0},
    [SHAPE_ENERGY] = {0, 0, 0, 1, 0, 0}, [SHAPE_POWER] = {0, 0, -1, 1, 0, 0},
    [SHAPE_COUNT] = {0, 0, 0, 0, 0, 1},  [SHAPE_MASS_LENGTH] = {1, 1, 0, 0, 0, 0},
};

/* Exact definitions the table is built from (sources in docs/methods/units.md). */
#define F_LB 0.45359237          /* kg, international avoirdupois pound */
#define F_BTU 1055.05585262      /* J, International Table British thermal unit */
#define F_TOE 41.868e9           /* J, tonne of oil equivalent (IEA) */
#define F_KCAL 4186.8            /* J, International Table kilocalorie */
#define F_GAL 3.785411784e-3     /* m3, US liquid gallon */
#define F_YEAR (365.0 * 86400.0) /* s, common year of 365 days */

typedef struct {
	const char *name;
	atom_shape shape;
	double factor; /* value in base units of one of this atom */
} unit_atom;

/* The atom table, sorted by strcmp (byte order: '%' < digits < capitals < '_' < small
 * letters) for binary search. Every entry is listed and sourced in docs/methods/units.md. */
static const unit_atom atoms[] = {
    {"%", SHAPE_NONE, 0.01},
    {"1", SHAPE_NONE, 1.0},
    {"BTU", SHAPE_ENERGY, F_BTU},
    {"Btu", SHAPE_ENERGY, F_BTU},
    {"GJ", SHAPE_ENERGY, 1e9},
    {"GW", SHAPE_POWER, 1e9},
    {"GWh", SHAPE_ENERGY, 3.6e12},
    {"Gg", SHAPE_MASS, 1e6},
    {"J", SHAPE_ENERGY, 1.0},
    {"L", SHAPE_VOLUME, 1e-3},
    {"MJ", SHAPE_ENERGY, 1e6},
    {"ML", SHAPE_VOLUME, 1e3},
    {"MMBTU", SHAPE_ENERGY, F_BTU * 1e6},
    {"MMBtu", SHAPE_ENERGY, F_BTU * 1e6},
    {"MW", SHAPE_POWER, 1e6},
    {"MWh", SHAPE_ENERGY, 3.6e9},
    {"Mg", SHAPE_MASS, 1e3},
    {"Mt", SHAPE_MASS, 1e9},
    {"Mtoe", SHAPE_ENERGY, F_TOE * 1e6},
    {"Nm3", SHAPE_VOLUME, 1.0},
    {"PJ", SHAPE_ENERGY, 1e15},
    {"TJ", SHAPE_ENERGY, 1e12},
    {"TWh", SHAPE_ENERGY, 3.6e15},
    {"W", SHAPE_POWER, 1.0},
    {"Wh", SHAPE_ENERGY, 3600.0},
    {"a", SHAPE_TIME, F_YEAR},
    {"batch", SHAPE_COUNT, 1.0},
    {"cm", SHAPE_LENGTH, 1e-2},
    {"d", SHAPE_TIME, 86400.0},
    {"fraction", SHAPE_NONE, 1.0},
    {"g", SHAPE_MASS, 1e-3},
    {"gal", SHAPE_VOLUME, F_GAL},
    {"h", SHAPE_TIME, 3600.0},
    {"ha", SHAPE_AREA, 1e4},
    {"head", SHAPE_COUNT, 1.0},
    {"item", SHAPE_COUNT, 1.0},
    {"kJ", SHAPE_ENERGY, 1e3},
    {"kW", SHAPE_POWER, 1e3},
    {"kWh", SHAPE_ENERGY, 3.6e6},
    {"kcal", SHAPE_ENERGY, F_KCAL},
    {"kg", SHAPE_MASS, 1.0},
    {"km", SHAPE_LENGTH, 1e3},
    {"km2", SHAPE_AREA, 1e6},
    {"kt", SHAPE_MASS, 1e6},
    {"ktoe", SHAPE_ENERGY, F_TOE * 1e3},
    {"l", SHAPE_VOLUME, 1e-3},
    {"lb", SHAPE_MASS, F_LB},
    {"m", SHAPE_LENGTH, 1.0},
    {"m2", SHAPE_AREA, 1.0},
    {"m3", SHAPE_VOLUME, 1.0},
    {"mL", SHAPE_VOLUME, 1e-6},
    {"mg", SHAPE_MASS, 1e-6},
    {"mi", SHAPE_LENGTH, 1609.344},
    {"min", SHAPE_TIME, 60.0},
    {"ml", SHAPE_VOLUME, 1e-6},
    {"mm", SHAPE_LENGTH, 1e-3},
    {"month", SHAPE_TIME, F_YEAR / 12.0},
    {"pcs", SHAPE_COUNT, 1.0},
    {"ppm", SHAPE_NONE, 1e-6},
    {"s", SHAPE_TIME, 1.0},
    {"t", SHAPE_MASS, 1e3},
    {"tkm", SHAPE_MASS_LENGTH, 1e6},
    {"toe", SHAPE_ENERGY, F_TOE},
    {"ton_uk", SHAPE_MASS, 2240.0 * F_LB},
    {"ton_us", SHAPE_MASS, 2000.0 * F_LB},
    {"unit", SHAPE_COUNT, 1.0},
    {"wk", SHAPE_TIME, 7.0 * 86400.0},
    {"yr", SHAPE_TIME, F_YEAR},
};

#define ATOM_COUNT (sizeof(atoms) / sizeof(atoms[0]))

/* Compare the `len` bytes at `key` (not NUL-terminated) with a table name, in strcmp order:
 * negative, zero or positive; a proper prefix sorts first. */
static int key_cmp(const char *key, size_t len, const char *name)
{
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char k = (unsigned char)key[i], n = (unsigned char)name[i];
		if (n == '\0' || k != n)
			return (int)k - (int)n;
	}
	return name[len] == '\0' ? 0 : -1;
}

/* Binary search of the atom table for the `len` bytes at `key`. O(log n) comparisons. */
static const unit_atom *atom_find(const char *key, size_t len)
{
	size_t lo = 0, hi = ATOM_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = key_cmp(key, len, atoms[mid].name);
		if (cmp == 0)
			return &atoms[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '%';
}

static int is_currency(const char *s, size_t len)
{
	return len == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	       s[2] >= 'A' && s[2] <= 'Z';
}

static const char *skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Read an exponent of at most two digits (a third digit is already out of range) into
 * *out; returns the position after it, or NULL if there is no digit or it is out of range. */
static const char *read_exponent(const char *p, int *out)
{
	int negative = 0, value = 0, digits = 0;
	if (*p == '-') {
		negative = 1;
		p++;
	}
	while (is_digit(*p)) {
		if (++digits > 2)
			return NULL;
		value = value * 10 + (*p - '0');
		p++;
	}
	if (digits == 0 || value == 0 || value > EXP_MAX)
		return NULL;
	*out = negative ? -value : value;
	return p;
}

/* The state of a unit being parsed or combined: wide exponents so that intermediate sums
 * cannot overflow, checked against EXP_MAX when the unit is finished. */
typedef struct {
	int exp[EIC_DIM__N];
	double factor;
	char currency[4];
} unit_acc;

/* Fold one term (an atom or a currency to the power `power`) into acc.
 * Returns 0, or EIC_EUNIT for a second, different currency or a runaway exponent. */
static int acc_add(unit_acc *acc, const signed char *exp, double factor, const char *currency,
                   int power)
{
	int i;
	if (currency) {
		if (acc->currency[0] && memcmp(acc->currency, currency, 3) != 0)
			return EIC_EUNIT;
		memcpy(acc->currency, currency, 3);
		acc->currency[3] = '\0';
		acc->exp[EIC_DIM_MONEY] += power;
	} else {
		for (i = 0; i < EIC_DIM__N; i++)
			acc->exp[i] += exp[i] * power;
	}
	for (i = 0; i < EIC_DIM__N; i++)
		if (acc->exp[i] > 1000 || acc->exp[i] < -1000)
			return EIC_EUNIT;
	/* Repeated multiplication or division keeps exact factors exact (1e3^2 = 1e6). */
	if (power > 0)
		for (i = 0; i < power; i++)
			acc->factor *= factor;
	else
		for (i = 0; i < -power; i++)
			acc->factor /= factor;
	return 0;
}

/* Write a finished accumulator into out; EIC_EUNIT if an exponent is beyond EXP_MAX. */
static int acc_finish(eic_unit *out, const unit_acc *acc)
{
	int i;
	for (i = 0; i < EIC_DIM__N; i++)
		if (acc->exp[i] > EXP_MAX || acc->exp[i] < -EXP_MAX)
			return EIC_EUNIT;
	for (i = 0; i < EIC_DIM__N; i++)
		out->exp[i] = (signed char)acc->exp[i];
	out->factor = acc->factor;
	if (acc->exp[EIC_DIM_MONEY] != 0)
		memcpy(out->currency, acc->currency, sizeof(out->currency));
	else
		memset(out->currency, 0, sizeof(out->currency));
	return 0;
}

/* Parse one term at *pp: an atom (letters, '_', '%' and, for atoms such as "m3" or "Nm3",
 * trailing digits; or the digits "1") or a three-capital currency code, then an optional
 * exponent written "^n", "^-n" or as bare digits ("m3" is also m^3). Folds it into acc with
 * the sign `sign` (+1 multiply, -1 divide) and advances *pp. Returns 0 or EIC_EUNIT. */
static int parse_term(const char **pp, unit_acc *acc, int sign)
{
	const char *p = *pp, *start = p;
	const unit_atom *atom = NULL;
	const char *currency = NULL;
	size_t name_len, digit_len = 0;
	int power = 1;

	while (is_name_char(*p))
		p++;
	name_len = (size_t)(p - start);
	while (is_digit(p[digit_len]))
		digit_len++;

	if (name_len == 0) {
		/* Only a numeric atom ("1") can start with a digit. */
		atom = atom_find(start, digit_len);
		p += digit_len;
	} else if (digit_len > 0 && (atom = atom_find(start, name_len + digit_len)) != NULL) {
		p += digit_len; /* "m3", "km2", "Nm3" */
	} else {
		atom = atom_find(start, name_len);
		if (!atom && is_currency(start, name_len))
			currency = start;
		if (digit_len > 0 && (p = read_exponent(p, &power)) == NULL)
			return EIC_EUNIT;
	}
	if (!atom && !currency)
		return EIC_EUNIT;
	if (*p == '^') {
		int more;
		if ((p = read_exponent(p + 1, &more)) == NULL)
			return EIC_EUNIT;
		power *= more;
	}
	*pp = p;
	if (atom)
		return acc_add(acc, shapes[atom->shape], atom->factor, NULL, sign * power);
	static const signed char no_exp[EIC_DIM__N] = {0};
	return acc_add(acc, no_exp, 1.0, currency, sign * power);
}

/*
 * Parse a unit expression: term (op term)*, op one of '*', '.', '/', with optional blanks
 * around operators and at both ends. No allocation; O(length) with a binary search of the
 * atom table per term; thread-safe (no state). On failure *out is zeroed.
 */
/* Per-thread memo of recently parsed unit texts: imports parse the same few units ("t",
 * "t/yr", "GJ") millions of times. Thread-local, so the library stays thread-safe. */
#define UNIT_MEMO_SLOTS 8
#define UNIT_MEMO_TEXT 24
typedef struct {
	char text[UNIT_MEMO_TEXT];
	eic_unit unit;
} unit_memo;
static _Thread_local unit_memo memo[UNIT_MEMO_SLOTS];
static _Thread_local unsigned memo_next;

static int parse_uncached(eic_unit *out, const char *text);

int eic_unit_parse(eic_unit *out, const char *text)
{
	if (!out)
		return EIC_EINVAL;
	if (text) {
		for (unsigned i = 0; i < UNIT_MEMO_SLOTS; i++) {
			if (memo[i].text[0] && strcmp(memo[i].text, text) == 0) {
				*out = memo[i].unit;
				return 0;
			}
		}
	}
	int error = parse_uncached(out, text);
	if (error == 0 && strlen(text) < UNIT_MEMO_TEXT) {
		unit_memo *m = &memo[memo_next++ % UNIT_MEMO_SLOTS];
		strcpy(m->text, text);
		m->unit = *out;
	}
	return error;
}

static int parse_uncached(eic_unit *out, const char *text)
{
	unit_acc acc = {{0}, 1.0, ""};
	const char *p;
	int sign = 1;
	int error = EIC_EUNIT;

	if (!out)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!text)
		return EIC_EINVAL;
	p = skip_space(text);
	for (;;) {
		if ((error = parse_term(&p, &acc, sign)) < 0)
			goto done;
		p = skip_space(p);
		if (*p == '\0')
			break;
		if (*p == '*' || *p == '.')
			sign = 1;
		else if (*p == '/')
			sign = -1;
		else {
			error = EIC_EUNIT;
			goto done;
		}
		p = skip_space(p + 1);
	}
	error = acc_finish(out, &acc);
done:
	if (error < 0)
		memset(out, 0, sizeof(*out));
	return error;
}

int eic_unit_compatible(const eic_unit *a, const eic_unit *b)
{
	if (!a || !b)
		return 0;
	if (memcmp(a->exp, b->exp, sizeof(a->exp)) != 0)
		return 0;
	if (a->exp[EIC_DIM_MONEY] != 0 && strncmp(a->currency, b->currency, 3) != 0)
		return 0;
	return 1;
}

/* Exponent patterns of the named kinds, in eic_base_dim order. EIC_KIND_ENERGY_RATE is never
 * returned: energy per time is the dimension of power and the parsed unit does not remember
 * whether it was written "MW" or "GJ/yr", so both are EIC_KIND_POWER. */
static const struct {
	eic_quantity_kind kind;
	signed char exp[EIC_DIM__N];
} kind_patterns[] = {
    {EIC_KIND_DIMENSIONLESS, {0, 0, 0, 0, 0, 0}}, {EIC_KIND_MASS, {1, 0, 0, 0, 0, 0}},
    {EIC_KIND_VOLUME, {0, 3, 0, 0, 0, 0}},        {EIC_KIND_ENERGY, {0, 0, 0, 1, 0, 0}},
    {EIC_KIND_POWER, {0, 0, -1, 1, 0, 0}},        {EIC_KIND_TIME, {0, 0, 1, 0, 0, 0}},
    {EIC_KIND_COUNT, {0, 0, 0, 0, 0, 1}},         {EIC_KIND_AREA, {0, 2, 0, 0, 0, 0}},
    {EIC_KIND_DISTANCE, {0, 1, 0, 0, 0, 0}},      {EIC_KIND_MONEY, {0, 0, 0, 0, 1, 0}},
    {EIC_KIND_MASS_RATE, {1, 0, -1, 0, 0, 0}},    {EIC_KIND_VOLUME_RATE, {0, 3, -1, 0, 0, 0}},
    {EIC_KIND_COUNT_RATE, {0, 0, -1, 0, 0, 1}},   {EIC_KIND_MONEY_RATE, {0, 0, -1, 0, 1, 0}},
    {EIC_KIND_DENSITY, {1, -3, 0, 0, 0, 0}},      {EIC_KIND_SPECIFIC_ENERGY, {-1, 0, 0, 1, 0, 0}},
};

eic_quantity_kind eic_unit_kind(const eic_unit *u)
{
	size_t i;
	if (!u)
		return EIC_KIND_UNKNOWN;
	for (i = 0; i < sizeof(kind_patterns) / sizeof(kind_patterns[0]); i++)
		if (memcmp(u->exp, kind_patterns[i].exp, sizeof(u->exp)) == 0)
			return kind_patterns[i].kind;
	return EIC_KIND_UNKNOWN;
}

const char *eic_quantity_kind_name(eic_quantity_kind kind)
{
	switch (kind) {
	case EIC_KIND_UNKNOWN:
		return "unknown";
	case EIC_KIND_DIMENSIONLESS:
		return "dimensionless";
	case EIC_KIND_MASS:
		return "mass";
	case EIC_KIND_VOLUME:
		return "volume";
	case EIC_KIND_ENERGY:
		return "energy";
	case EIC_KIND_POWER:
		return "power";
	case EIC_KIND_TIME:
		return "time";
	case EIC_KIND_COUNT:
		return "count";
	case EIC_KIND_AREA:
		return "area";
	case EIC_KIND_DISTANCE:
		return "distance";
	case EIC_KIND_MONEY:
		return "money";
	case EIC_KIND_MASS_RATE:
		return "mass rate";
	case EIC_KIND_VOLUME_RATE:
		return "volume rate";
	case EIC_KIND_ENERGY_RATE:
		return "energy rate";
	case EIC_KIND_COUNT_RATE:
		return "count rate";
	case EIC_KIND_MONEY_RATE:
		return "money rate";
	case EIC_KIND_DENSITY:
		return "density";
	case EIC_KIND_SPECIFIC_ENERGY:
		return "specific energy";
	}
	return "unknown";
}

/* value x factor_from / factor_to for compatible units; *out is written only on success. */
int eic_unit_convert_parsed(double *out, double value, const eic_unit *from, const eic_unit *to)
{
	if (!out || !from || !to)
		return EIC_EINVAL;
	if (!eic_unit_compatible(from, to))
		return EIC_EUNIT;
	*out = value * from->factor / to->factor;
	return 0;
}

int eic_unit_convert(double *out, double value, const char *from, const char *to)
{
	eic_unit from_unit, to_unit;
	int error;
	if (!out)
		return EIC_EINVAL;
	if ((error = eic_unit_parse(&from_unit, from)) < 0)
		return error;
	if ((error = eic_unit_parse(&to_unit, to)) < 0)
		return error;
	return eic_unit_convert_parsed(out, value, &from_unit, &to_unit);
}

/*
 * Conversion through a material property. value*property is tried first, then
 * value/property; the first whose unit is compatible with `to` is used (the two coincide only
 * for a dimensionless property, where multiplying is the rule). Division by a zero property
 * is EIC_EINVAL. *out is written only on success.
 */
int eic_unit_convert_via(double *out, double value, const char *from, const char *to,
                         double property_value, const char *property_unit)
{
	eic_unit from_unit, to_unit, prop_unit, through;
	int error;
	if (!out)
		return EIC_EINVAL;
	if ((error = eic_unit_parse(&from_unit, from)) < 0)
		return error;
	if ((error = eic_unit_parse(&to_unit, to)) < 0)
		return error;
	if ((error = eic_unit_parse(&prop_unit, property_unit)) < 0)
		return error;
	if (eic_unit_mul(&through, &from_unit, &prop_unit) == 0 &&
	    eic_unit_compatible(&through, &to_unit))
		return eic_unit_convert_parsed(out, value * property_value, &through, &to_unit);
	if (eic_unit_div(&through, &from_unit, &prop_unit) == 0 &&
	    eic_unit_compatible(&through, &to_unit)) {
		if (property_value == 0.0)
			return EIC_EINVAL;
		return eic_unit_convert_parsed(out, value / property_value, &through, &to_unit);
	}
	return EIC_EUNIT;
}

/* snprintf-like appender: counts every byte, stores what fits, keeps buf NUL-terminated. */
typedef struct {
	char *buf;
	size_t size;
	size_t len;
} text_out;

static void put(text_out *t, const char *s)
{
	for (; *s; s++, t->len++)
		if (t->len + 1 < t->size)
			t->buf[t->len] = *s;
	if (t->size > 0)
		t->buf[t->len < t->size ? t->len : t->size - 1] = '\0';
}

static void put_dim(text_out *t, const eic_unit *u, int dim, int power)
{
	static const char *const names[EIC_DIM__N] = {"mass",   "length", "time",
	                                              "energy", "money",  "count"};
	put(t, names[dim]);
	if (dim == EIC_DIM_MONEY) {
		put(t, "[");
		put(t, u->currency);
		put(t, "]");
	}
	if (power > 1) {
		/* Units from eic_unit_parse stay within EXP_MAX; hand-built ones may not. */
		char digits[4], *d = digits + sizeof(digits) - 1;
		*d = '\0';
		do {
			*--d = (char)('0' + power % 10);
			power /= 10;
		} while (power > 0 && d > digits);
		put(t, "^");
		put(t, d);
	}
}

/*
 * Canonical dimension text: positive exponents in eic_base_dim order joined by '*', then
 * each negative one preceded by '/' ("mass/length^3", "money[USD]/mass", "1/time",
 * "dimensionless"). Returns the full length like snprintf; buf holds what fits.
 */
size_t eic_unit_dimension_text(char *buf, size_t size, const eic_unit *u)
{
	text_out t = {buf, size, 0};
	int dim, any_numerator = 0, any = 0;
	if (size > 0)
		buf[0] = '\0';
	if (!u)
		return 0;
	for (dim = 0; dim < EIC_DIM__N; dim++) {
		if (u->exp[dim] > 0) {
			if (any_numerator)
				put(&t, "*");
			put_dim(&t, u, dim, u->exp[dim]);
			any_numerator = any = 1;
		} else if (u->exp[dim] < 0) {
			any = 1;
		}
	}
	if (!any) {
		put(&t, "dimensionless");
		return t.len;
	}
	if (!any_numerator)
		put(&t, "1");
	for (dim = 0; dim < EIC_DIM__N; dim++) {
		if (u->exp[dim] < 0) {
			put(&t, "/");
			put_dim(&t, u, dim, -u->exp[dim]);
		}
	}
	return t.len;
}

/* Combine a and b (sign +1 multiply, -1 divide) into out, which may alias either. */
static int combine(eic_unit *out, const eic_unit *a, const eic_unit *b, int sign)
{
	unit_acc acc = {{0}, 1.0, ""};
	eic_unit result;
	int i, error;
	if (!out || !a || !b)
		return EIC_EINVAL;
	for (i = 0; i < EIC_DIM__N; i++)
		acc.exp[i] = a->exp[i] + sign * b->exp[i];
	if (a->exp[EIC_DIM_MONEY] != 0 && b->exp[EIC_DIM_MONEY] != 0 &&
	    strncmp(a->currency, b->currency, 3) != 0)
		return EIC_EUNIT;
	memcpy(acc.currency, a->exp[EIC_DIM_MONEY] != 0 ? a->currency : b->currency, 3);
	acc.currency[3] = '\0';
	acc.factor = sign > 0 ? a->factor * b->factor : a->factor / b->factor;
	if ((error = acc_finish(&result, &acc)) < 0)
		return error;
	*out = result;
	return 0;
}

int eic_unit_mul(eic_unit *out, const eic_unit *a, const eic_unit *b)
{
	return combine(out, a, b, 1);
}

int eic_unit_div(eic_unit *out, const eic_unit *a, const eic_unit *b)
{
	return combine(out, a, b, -1);
}
