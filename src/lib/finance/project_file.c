/* project_file.c: the finance project file (JSON, docs/format.md "Finance project file"): a
 * project and its financing options, read with Jansson, every problem located at line:column. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "finance_private.h"
#include "lib/io/io_internal.h"

#define HUGE_MONEY 1e15

/* ---- the case object --------------------------------------------------------------------- */

int eic_fin__case_new(eic_fin_case **out)
{
	static const eic_fin_project project_init = EIC_FIN_PROJECT_INIT;
	static const eic_fin_options options_init = EIC_FIN_OPTIONS_INIT;
	eic_fin_case *c = eic_calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return EIC_ENOMEM;
	eic_arena_init(&c->arena);
	c->project = project_init;
	c->project.life_years = 0;
	c->options = options_init;
	c->currency = "";
	c->energy_unit = "";
	eic_vec_init(&c->fin_options, sizeof(eic_fin_option));
	eic_vec_init(&c->missing, sizeof(const char *));
	eic_vec_init(&c->notes, sizeof(const char *));
	*out = c;
	return 0;
}

void eic_fin_case_free(eic_fin_case *c)
{
	if (!c)
		return;
	eic_vec_free(&c->fin_options);
	eic_vec_free(&c->missing);
	eic_vec_free(&c->notes);
	eic_arena_clear(&c->arena);
	eic_free(c);
}

static int push_text(eic_fin_case *c, eic_vec *v, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	char *copy = eic_arena_strdup(&c->arena, buf);
	if (!copy || !eic_vec_push(v, &copy))
		return EIC_ENOMEM;
	return 0;
}

int eic_fin__case_note(eic_fin_case *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = push_text(c, &c->notes, fmt, ap);
	va_end(ap);
	return rc;
}

int eic_fin__case_missing(eic_fin_case *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = push_text(c, &c->missing, fmt, ap);
	va_end(ap);
	return rc;
}

const eic_fin_project *eic_fin_case_project(const eic_fin_case *c)
{
	return c ? &c->project : NULL;
}

const eic_fin_options *eic_fin_case_options(const eic_fin_case *c)
{
	return c ? &c->options : NULL;
}

double eic_fin_case_min_reserve(const eic_fin_case *c)
{
	return c ? c->min_reserve : 0.0;
}

const char *eic_fin_case_currency(const eic_fin_case *c)
{
	return c ? c->currency : "";
}

const char *eic_fin_case_energy_unit(const eic_fin_case *c)
{
	return c ? c->energy_unit : "";
}

size_t eic_fin_case_option_count(const eic_fin_case *c)
{
	return c ? c->fin_options.len : 0;
}

const eic_fin_option *eic_fin_case_option(const eic_fin_case *c, size_t i)
{
	return c && i < c->fin_options.len ? EIC_VEC_AT(&c->fin_options, eic_fin_option, i) : NULL;
}

int eic_fin_case_options_are_defaults(const eic_fin_case *c)
{
	return c ? c->options_default : 0;
}

int eic_fin_case_complete(const eic_fin_case *c)
{
	return c ? c->complete : 0;
}

size_t eic_fin_case_missing_count(const eic_fin_case *c)
{
	return c ? c->missing.len : 0;
}

const char *eic_fin_case_missing(const eic_fin_case *c, size_t i)
{
	return c && i < c->missing.len ? *EIC_VEC_AT(&c->missing, const char *, i) : NULL;
}

size_t eic_fin_case_note_count(const eic_fin_case *c)
{
	return c ? c->notes.len : 0;
}

const char *eic_fin_case_note(const eic_fin_case *c, size_t i)
{
	return c && i < c->notes.len ? *EIC_VEC_AT(&c->notes, const char *, i) : NULL;
}

/* ---- instruments ------------------------------------------------------------------------- */

static const char *const instrument_names[EIC_FIN_INSTR__N] = {
    "annuity_loan",  "equal_principal_loan", "flat_loan", "balloon_loan",   "lease",
    "vendor_credit", "capital_subsidy",      "grant",     "revolving_fund", "group_loan",
};

const char *eic_fin_instrument_name(eic_fin_instrument instrument)
{
	if ((int)instrument < 0 || instrument >= EIC_FIN_INSTR__N)
		return "";
	return instrument_names[instrument];
}

int eic_fin_instrument_parse(eic_fin_instrument *out, const char *text)
{
	for (int i = 0; text && i < EIC_FIN_INSTR__N; i++)
		if (!strcmp(instrument_names[i], text)) {
			if (out)
				*out = (eic_fin_instrument)i;
			return 0;
		}
	return EIC_ENOTFOUND;
}

/* ---- JSON decoding with locations ---------------------------------------------------------- */

typedef struct {
	eic_jdec d; /* document, path and errors (src/lib/io/json_decode.c) */
	eic_arena *arena;
	int life_years; /* for the check of a loan's term; 0: not checked */
} jctx;

#define jerr(j, ...) eic_io__jdec_error(&(j)->d, __VA_ARGS__)
#define found_text eic_io__jdec_found

/* A number at obj[key] into *dst, checked to be in [lo, hi] (`expect` says what is accepted).
 * Absent: *dst unchanged, returns 0. Returns 1 when given and valid, -1 on an error. */
static int get_num(jctx *j, json_t *obj, const char *key, double *dst, double lo, double hi,
                   const char *expect)
{
	return eic_io__jdec_num(&j->d, obj, key, dst, lo, hi, expect);
}

/* A whole number in [lo, hi]. */
static int get_int(jctx *j, json_t *obj, const char *key, int *dst, int lo, int hi)
{
	char expect[96];
	double x = 0;
	snprintf(expect, sizeof(expect), "a whole number from %d to %d", lo, hi);
	int rc = get_num(j, obj, key, &x, lo, hi, expect);
	if (rc <= 0)
		return rc;
	if (x != floor(x)) {
		char buf[64];
		eic_fmt_double(buf, sizeof(buf), x);
		jerr(j, key, -1, 0, "'%s' is not a whole number (expected %s; found %s)", key,
		     expect, buf);
		return -1;
	}
	*dst = (int)x;
	return 1;
}

static int get_bool(jctx *j, json_t *obj, const char *key, int *dst)
{
	return eic_io__jdec_bool(&j->d, obj, key, dst);
}

/* A string copied into the arena. */
static int get_str(jctx *j, json_t *obj, const char *key, const char **dst)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		jerr(j, key, -1, 0, "wrong type for '%s' (expected a string; found %s)", key,
		     found_text(buf, sizeof(buf), v));
		return -1;
	}
	*dst = eic_arena_strdup(j->arena, json_string_value(v));
	return *dst ? 1 : -2;
}

/* One of `names` (NULL-terminated); *dst gets its index. */
static int get_enum(jctx *j, json_t *obj, const char *key, const char *const *names, int *dst)
{
	json_t *v = json_object_get(obj, key);
	char expect[256] = "", buf[96];
	size_t used = 0;
	if (!v)
		return 0;
	for (int i = 0; names[i]; i++) {
		if (json_is_string(v) && !strcmp(json_string_value(v), names[i])) {
			*dst = i;
			return 1;
		}
		used += (size_t)snprintf(expect + used, sizeof(expect) - used, "%s\"%s\"",
		                         i == 0 ? "" : (names[i + 1] ? ", " : " or "), names[i]);
		if (used >= sizeof(expect))
			used = sizeof(expect) - 1;
	}
	jerr(j, key, -1, 0, "%s value for '%s' (expected %s; found %s)",
	     json_is_string(v) ? "unknown" : "wrong type of", key, expect,
	     found_text(buf, sizeof(buf), v));
	return -1;
}

/* Every key of obj must be in `keys` (NULL-terminated). `what` names the object. */
static void check_keys(jctx *j, json_t *obj, const char *const *keys, const char *what,
                       const char *expect)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		int known = 0;
		for (int i = 0; keys[i] && !known; i++)
			known = !strcmp(keys[i], key);
		if (!known)
			jerr(j, key, -1, 1, "unknown key '%s' in %s (expected %s; found '%s')", key,
			     what, expect, key);
	}
}

/* ---- financing options ----------------------------------------------------------------- */

/* Which instruments a key applies to. */
enum {
	B_ANNUITY = 1 << EIC_FIN_INSTR_ANNUITY_LOAN,
	B_EQUAL = 1 << EIC_FIN_INSTR_EQUAL_PRINCIPAL_LOAN,
	B_FLAT = 1 << EIC_FIN_INSTR_FLAT_LOAN,
	B_BALLOON = 1 << EIC_FIN_INSTR_BALLOON_LOAN,
	B_LEASE = 1 << EIC_FIN_INSTR_LEASE,
	B_VENDOR = 1 << EIC_FIN_INSTR_VENDOR_CREDIT,
	B_SUBSIDY = 1 << EIC_FIN_INSTR_CAPITAL_SUBSIDY,
	B_GRANT = 1 << EIC_FIN_INSTR_GRANT,
	B_FUND = 1 << EIC_FIN_INSTR_REVOLVING_FUND,
	B_GROUP = 1 << EIC_FIN_INSTR_GROUP_LOAN,
	B_LOANS = B_ANNUITY | B_EQUAL | B_FLAT | B_BALLOON | B_FUND | B_GROUP,
	B_FINANCE = B_LOANS | B_LEASE | B_VENDOR,
	B_ALL = (1 << EIC_FIN_INSTR__N) - 1,
};

static const struct {
	const char *key;
	unsigned applies;
} option_keys[] = {
    {"id", B_ALL},
    {"name", B_ALL},
    {"source", B_ALL},
    {"instrument", B_ALL},
    {"subsidy_share", B_ALL},
    {"grant", B_ALL},
    {"amount", B_FINANCE},
    {"share", B_FINANCE},
    {"rate", B_FINANCE},
    {"term_years", B_FINANCE},
    {"periods_per_year", B_FINANCE},
    {"grace", B_LOANS},
    {"grace_periods", B_LOANS},
    {"balloon_share", B_BALLOON},
    {"fee", B_LOANS},
    {"fee_share", B_LOANS},
    {"deposit", B_LOANS},
    {"deposit_instalments", B_LOANS},
    {"deposit_rate", B_LOANS},
    {"deposit_returned", B_LOANS},
    {"repayment", B_FUND | B_GROUP},
    {"in_advance", B_LEASE},
    {"residual_share", B_LEASE},
    {"payment", B_LEASE},
    {"down_payment_share", B_VENDOR},
    {"credit_markup", B_VENDOR},
    {"fund_capital", B_FUND},
    {"fund_repayment_rate", B_FUND},
    {"fund_default_rate", B_FUND},
    {"fund_admin_cost_share", B_FUND},
    {"fund_years", B_FUND},
    {"group_members", B_GROUP},
    {"group_default_probability", B_GROUP},
    {"group_cover_share", B_GROUP},
};

#define OPTION_KEY_COUNT (sizeof(option_keys) / sizeof(option_keys[0]))

static const char *const instrument_list[] = {"annuity_loan",
                                              "equal_principal_loan",
                                              "flat_loan",
                                              "balloon_loan",
                                              "lease",
                                              "vendor_credit",
                                              "capital_subsidy",
                                              "grant",
                                              "revolving_fund",
                                              "group_loan",
                                              NULL};
static const char *const grace_names[] = {"none", "interest_only", "full", NULL};
static const char *const repayment_names[] = {"annuity", "equal_principal", "flat", NULL};

/* Decode one option object (the path of the object is in j->d.path[0..depth)). Returns 0 or a
 * negative code on ENOMEM; problems are counted in j->d.errors. */
static int decode_option(jctx *j, json_t *obj, eic_fin_option *o)
{
	static const eic_fin_option init = EIC_FIN_OPTION_INIT;
	int errors_before = j->d.errors;
	int kind = -1, rc;
	*o = init;
	if (!json_is_object(obj)) {
		char buf[96];
		jerr(j, NULL, -1, 0,
		     "wrong type for a financing option (expected an object; found %s)",
		     found_text(buf, sizeof(buf), obj));
		return 0;
	}
	if ((rc = get_str(j, obj, "id", &o->id)) == -2)
		return EIC_ENOMEM;
	if (rc == 0)
		jerr(j, NULL, -1, 0,
		     "missing key 'id' in a financing option (expected a short name such as "
		     "\"bank_loan\"; found none)");
	if ((rc = get_enum(j, obj, "instrument", instrument_list, &kind)) == 0)
		jerr(j, NULL, -1, 0,
		     "missing key 'instrument' in a financing option (expected one of the "
		     "instruments, e.g. \"annuity_loan\"; found none)");
	if (get_str(j, obj, "name", &o->name) == -2 || get_str(j, obj, "source", &o->source) == -2)
		return EIC_ENOMEM;
	if (kind < 0) {
		/* without the instrument, which keys apply cannot be told: only unknown keys */
		const char *key;
		json_t *v;
		json_object_foreach(obj, key, v)
		{
			int known = 0;
			for (size_t k = 0; k < OPTION_KEY_COUNT && !known; k++)
				known = !strcmp(option_keys[k].key, key);
			if (!known)
				jerr(
				    j, key, -1, 1,
				    "unknown key '%s' in a financing option (expected a key listed "
				    "in docs/format.md; found '%s')",
				    key, key);
		}
		return 0;
	}
	o->instrument = (eic_fin_instrument)kind;
	const char *iname = instrument_names[kind];
	unsigned bit = 1u << kind;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		size_t k = 0;
		while (k < OPTION_KEY_COUNT && strcmp(option_keys[k].key, key))
			k++;
		if (k == OPTION_KEY_COUNT)
			jerr(j, key, -1, 1,
			     "unknown key '%s' in a financing option (expected a key listed in "
			     "docs/format.md; found '%s')",
			     key, key);
		else if (!(option_keys[k].applies & bit))
			jerr(j, key, -1, 1,
			     "key '%s' does not apply to a %s (expected the keys of a %s; found "
			     "'%s')",
			     key, iname, iname, key);
	}
	const char *rate_expect = "a yearly rate from 0 to 1 (0.12 = 12 %/yr)";
	const char *share_expect = "a share from 0 to 1";
	const char *money_expect = "an amount of money from 0 to 1e15";
	get_num(j, obj, "subsidy_share", &o->subsidy_share, 0, 1, share_expect);
	get_num(j, obj, "grant", &o->grant, 0, HUGE_MONEY, money_expect);
	get_num(j, obj, "amount", &o->amount, 0, HUGE_MONEY, money_expect);
	get_num(j, obj, "share", &o->share, 0, 1, share_expect);
	int has_rate = get_num(j, obj, "rate", &o->rate, 0, EIC_FIN_MAX_YEARLY_RATE, rate_expect);
	int has_term = get_num(j, obj, "term_years", &o->term_years, 1e-9, EIC_FIN_MAX_LIFE_YEARS,
	                       "a number of years from 0 to 200");
	int has_ppy = get_int(j, obj, "periods_per_year", &o->periods_per_year, 1, 52);
	int grace = 0;
	if (get_enum(j, obj, "grace", grace_names, &grace) > 0)
		o->grace = (eic_grace_kind)grace;
	get_int(j, obj, "grace_periods", &o->grace_periods, 0, EIC_FIN_MAX_PERIODS);
	int has_balloon = get_num(j, obj, "balloon_share", &o->balloon_share, 1e-12, 1,
	                          "a share of the principal above 0, at most 1");
	get_num(j, obj, "fee", &o->fee, 0, HUGE_MONEY, money_expect);
	get_num(j, obj, "fee_share", &o->fee_share, 0, 0.99, "a share from 0 to 0.99");
	get_num(j, obj, "deposit", &o->deposit, 0, HUGE_MONEY, money_expect);
	get_num(j, obj, "deposit_instalments", &o->deposit_instalments, 0, 100,
	        "a number of instalments from 0 to 100");
	get_num(j, obj, "deposit_rate", &o->deposit_rate, 0, EIC_FIN_MAX_YEARLY_RATE, rate_expect);
	get_bool(j, obj, "deposit_returned", &o->deposit_returned);
	int repayment = 0;
	if (get_enum(j, obj, "repayment", repayment_names, &repayment) > 0)
		o->repayment = repayment == 0   ? EIC_LOAN_ANNUITY
		               : repayment == 1 ? EIC_LOAN_EQUAL_PRINCIPAL
		                                : EIC_LOAN_FLAT;
	get_bool(j, obj, "in_advance", &o->in_advance);
	get_num(j, obj, "residual_share", &o->residual_share, 0, 1, share_expect);
	int has_payment =
	    get_num(j, obj, "payment", &o->payment, 1e-9, HUGE_MONEY, "a payment above 0");
	get_num(j, obj, "down_payment_share", &o->down_payment_share, 0, 0.99,
	        "a share from 0 to 0.99");
	get_num(j, obj, "credit_markup", &o->credit_markup, 0, 10, "a share from 0 to 10");
	get_num(j, obj, "fund_capital", &o->fund_capital, 0, HUGE_MONEY, money_expect);
	get_num(j, obj, "fund_repayment_rate", &o->fund_repayment_rate, 0, 1, share_expect);
	get_num(j, obj, "fund_default_rate", &o->fund_default_rate, 0, 1, share_expect);
	get_num(j, obj, "fund_admin_cost_share", &o->fund_admin_cost_share, 0, 1, share_expect);
	get_int(j, obj, "fund_years", &o->fund_years, 1, EIC_FIN_MAX_LIFE_YEARS);
	get_int(j, obj, "group_members", &o->group_members, 1, 1000);
	get_num(j, obj, "group_default_probability", &o->group_default_probability, 0, 1,
	        share_expect);
	get_num(j, obj, "group_cover_share", &o->group_cover_share, 0, 100,
	        "a share of an instalment from 0 to 100");
	(void)has_ppy;

	/* what each instrument needs */
	if (bit & B_FINANCE) {
		if (!has_rate && !(bit & B_LEASE && has_payment > 0))
			jerr(j, NULL, -1, 0,
			     "missing key 'rate' in the %s '%s' (expected a yearly rate such as "
			     "0.12; found none)",
			     iname, o->id ? o->id : "");
		if (!has_term)
			jerr(j, NULL, -1, 0,
			     "missing key 'term_years' in the %s '%s' (expected the years of "
			     "instalments; found none)",
			     iname, o->id ? o->id : "");
	}
	if (bit & B_BALLOON && !has_balloon)
		jerr(j, NULL, -1, 0,
		     "missing key 'balloon_share' in the balloon_loan '%s' (expected the share of "
		     "the principal paid at the end; found none)",
		     o->id ? o->id : "");
	if (bit & B_SUBSIDY && !(o->subsidy_share > 0))
		jerr(j, "subsidy_share", -1, 0,
		     "a capital_subsidy needs 'subsidy_share' (expected a share above 0; found "
		     "%s)",
		     json_object_get(obj, "subsidy_share") ? "0" : "none");
	if (bit & B_GRANT && !(o->grant > 0))
		jerr(j, "grant", -1, 0,
		     "a grant needs 'grant' (expected an amount above 0; found %s)",
		     json_object_get(obj, "grant") ? "0" : "none");
	if (has_term > 0 && j->d.errors == errors_before) {
		double periods = o->term_years * o->periods_per_year;
		double total_years =
		    o->term_years + (double)o->grace_periods / (double)o->periods_per_year;
		if (fabs(periods - floor(periods + 0.5)) > 1e-9)
			jerr(j, "term_years", -1, 0,
			     "'term_years' x 'periods_per_year' is not a whole number of "
			     "instalments (expected e.g. 2 years x 12; found %g x %d = %g)",
			     o->term_years, o->periods_per_year, periods);
		else if (j->life_years > 0 && total_years > j->life_years + 1e-9)
			jerr(j, "term_years", -1, 0,
			     "the %s '%s' runs %g years, longer than the project's life of %d "
			     "years (expected at most %d; found %g)",
			     iname, o->id ? o->id : "", total_years, j->life_years, j->life_years,
			     total_years);
	}
	if (!o->name)
		o->name = o->id;
	if (!o->source)
		o->source = "";
	return 0;
}

/* Decode an array of options at obj[key] (or the root when key is NULL) and append them. */
static int decode_options(jctx *j, eic_fin_case *c, json_t *arr, const char *key)
{
	int base = j->d.depth;
	if (!json_is_array(arr)) {
		char buf[96];
		jerr(j, key, -1, 0, "wrong type for '%s' (expected an array of objects; found %s)",
		     key ? key : "financing", found_text(buf, sizeof(buf), arr));
		return 0;
	}
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		eic_fin_option o;
		j->d.depth = base;
		if (key) {
			j->d.path[j->d.depth].key = key;
			j->d.path[j->d.depth].index = 0;
			j->d.depth++;
		}
		j->d.path[j->d.depth].key = NULL;
		j->d.path[j->d.depth].index = i;
		j->d.depth++;
		int rc = decode_option(j, item, &o);
		if (rc < 0)
			return rc;
		if (o.id) {
			for (size_t k = 0; k < c->fin_options.len; k++)
				if (!strcmp(EIC_VEC_AT(&c->fin_options, eic_fin_option, k)->id,
				            o.id))
					jerr(
					    j, "id", -1, 0,
					    "duplicate financing option id '%s' (expected a unique "
					    "id; found '%s' twice)",
					    o.id, o.id);
		}
		if (j->d.errors == 0 && !eic_vec_push(&c->fin_options, &o))
			return EIC_ENOMEM;
	}
	j->d.depth = base;
	return 0;
}

int eic_fin__case_add_options_json(eic_fin_case *c, eic_diags *diags, const char *name,
                                   const char *json_text)
{
	json_error_t jerror;
	json_t *root = json_loads(json_text, JSON_REJECT_DUPLICATES, &jerror);
	jctx j;
	memset(&j, 0, sizeof(j));
	j.d.diags = diags;
	j.d.file = name;
	j.d.have_text = 1;
	j.d.loc.text = json_text;
	j.d.loc.len = strlen(json_text);
	j.arena = &c->arena;
	if (!root) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, name, jerror.line, jerror.column,
			              "malformed JSON (expected valid JSON text; %s)", jerror.text);
		return EIC_EINVALID;
	}
	int rc = decode_options(&j, c, root, NULL);
	json_decref(root);
	if (rc < 0)
		return rc;
	return j.d.errors ? EIC_EINVALID : 0;
}

/* ---- options written on a command line ------------------------------------------------- */

/* "INSTRUMENT[:key=value,...]" -> a JSON object; values that parse as numbers are numbers,
 * true/false are booleans, anything else a string. */
static json_t *spec_to_json(const char *spec, char *why, size_t why_size)
{
	json_t *obj = json_object();
	char *copy = eic_strdup(spec);
	if (!obj || !copy) {
		json_decref(obj);
		eic_free(copy);
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	char *colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	json_object_set_new(obj, "instrument", json_string(copy));
	json_object_set_new(obj, "id", json_string(copy));
	for (char *item = colon ? colon + 1 : NULL; item && *item;) {
		char *comma = strchr(item, ',');
		if (comma)
			*comma = '\0';
		char *eq = strchr(item, '=');
		if (!eq || eq == item) {
			snprintf(why, why_size,
			         "'%s' is not key=value (expected INSTRUMENT:key=value,...)", item);
			json_decref(obj);
			eic_free(copy);
			return NULL;
		}
		*eq = '\0';
		const char *val = eq + 1;
		double x;
		json_t *jv;
		if (!eic_parse_double(&x, val))
			jv = json_real(x);
		else if (!strcmp(val, "true") || !strcmp(val, "false"))
			jv = json_boolean(!strcmp(val, "true"));
		else
			jv = json_string(val);
		json_object_set_new(obj, item, jv);
		item = comma ? comma + 1 : NULL;
	}
	eic_free(copy);
	return obj;
}

int eic_fin_case_add_option_spec(eic_fin_case *c, eic_diags *diags, const char *spec)
{
	char why[256] = "";
	if (!c || !spec)
		return EIC_EINVAL;
	json_t *obj = spec_to_json(spec, why, sizeof(why));
	if (!obj) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, "--option", 0, 0, "%s", why);
		return EIC_EINVALID;
	}
	jctx j;
	memset(&j, 0, sizeof(j));
	j.d.diags = diags;
	j.d.file = "--option";
	j.arena = &c->arena;
	j.life_years = c->project.life_years;
	eic_fin_option o;
	int rc = decode_option(&j, obj, &o);
	json_decref(obj);
	if (rc < 0)
		return rc;
	if (j.d.errors)
		return EIC_EINVALID;
	if (c->options_default) {
		c->fin_options.len = 0;
		c->options_default = 0;
	}
	/* ids must stay unique: a second "annuity_loan" becomes "annuity_loan_2" */
	int dup = 0;
	for (size_t k = 0; k < c->fin_options.len; k++)
		if (!strncmp(EIC_VEC_AT(&c->fin_options, eic_fin_option, k)->id, o.id,
		             strlen(o.id)))
			dup++;
	if (dup) {
		char id[128];
		snprintf(id, sizeof(id), "%s_%d", o.id, dup + 1);
		if (!(o.id = eic_arena_strdup(&c->arena, id)))
			return EIC_ENOMEM;
		o.name = o.id;
	}
	if (!(o.source = eic_arena_strdup(&c->arena, "command line")))
		return EIC_ENOMEM;
	return eic_vec_push(&c->fin_options, &o) ? 0 : EIC_ENOMEM;
}

/* ---- the project file ------------------------------------------------------------------ */

static const char *const project_keys[] = {
    "eic_finance",
    "id",
    "name",
    "currency",
    "sources",
    "notes",
    "convention",
    "discount_rate",
    "inflation",
    "finance_rate",
    "reinvest_rate",
    "fixed_charge_rate",
    "life_years",
    "first_operating_year",
    "capex",
    "revenue",
    "revenue_escalation",
    "avoided_cost",
    "avoided_cost_escalation",
    "opex_fixed",
    "opex_variable",
    "opex_escalation",
    "energy_per_year",
    "energy_unit",
    "co2e_t_per_year",
    "ramp",
    "salvage_value",
    "capital_subsidy_share",
    "grant",
    "debt_ratio",
    "debt_rate",
    "debt_term_years",
    "tax_rate",
    "depreciation",
    "depreciation_years",
    "depreciation_rate",
    "tax_loss",
    "subsidy_reduces_basis",
    "equity_available",
    "min_reserve",
    "financing",
    NULL,
};

/* A number or an array of numbers in [lo, hi] into an arena array. */
static int get_series(jctx *j, json_t *obj, const char *key, const double **dst, size_t *count,
                      size_t max_count, double lo, double hi, const char *expect)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v)
		return 0;
	if (json_is_number(v)) {
		double *one = eic_arena_alloc(j->arena, sizeof(double));
		if (!one)
			return EIC_ENOMEM;
		if (get_num(j, obj, key, one, lo, hi, expect) > 0) {
			*dst = one;
			*count = 1;
		}
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > max_count) {
		jerr(j, key, -1, 0,
		     "wrong %s for '%s' (expected a number or an array of 1 to %zu numbers; found "
		     "%s%s)",
		     json_is_array(v) ? "length" : "type", key, max_count,
		     json_is_array(v) ? "an array of " : found_text(buf, sizeof(buf), v),
		     json_is_array(v) ? (json_array_size(v) ? "too many values" : "no values")
		                      : "");
		return 0;
	}
	double *arr = eic_arena_alloc(j->arena, sizeof(double) * json_array_size(v));
	if (!arr)
		return EIC_ENOMEM;
	int bad = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *x = json_array_get(v, i);
		double d = json_is_number(x) ? json_number_value(x) : NAN;
		if (!json_is_number(x) || !isfinite(d) || d < lo || d > hi) {
			jerr(j, key, (long)i, 0, "%s of '%s' at index %zu (expected %s; found %s)",
			     json_is_number(x) ? "value out of range" : "wrong type", key, i,
			     expect, found_text(buf, sizeof(buf), x));
			bad = 1;
			continue;
		}
		arr[i] = d;
	}
	if (!bad) {
		*dst = arr;
		*count = json_array_size(v);
	}
	return 0;
}

static int decode_project(jctx *j, eic_fin_case *c, json_t *root)
{
	eic_fin_project *p = &c->project;
	eic_fin_options *o = &c->options;
	const char *rate_expect = "a yearly rate from -0.99 to 1 (0.08 = 8 %)";
	const char *money_expect = "an amount of money from 0 to 1e15";
	int version = 0, rc;
	static const char *const conventions[] = {"RETScreen", "SAM", NULL};
	static const char *const depreciations[] = {"none", "straight_line", "declining_balance",
	                                            NULL};
	static const char *const losses[] = {"carry_forward", "flow_through", "lost", NULL};

	check_keys(j, root, project_keys, "the project",
	           "a key listed in docs/format.md, \"Finance project file\"");
	if ((rc = get_int(j, root, "eic_finance", &version, 1, 1)) == 0)
		jerr(j, NULL, -1, 0,
		     "missing key 'eic_finance' (expected \"eic_finance\": 1 to mark a finance "
		     "project file; found none)");
	const char *currency = NULL;
	if (get_str(j, root, "id", &p->id) == -2 || get_str(j, root, "name", &p->name) == -2 ||
	    get_str(j, root, "currency", &currency) == -2 ||
	    get_str(j, root, "energy_unit", &c->energy_unit) == -2)
		return EIC_ENOMEM;
	{
		const char *ignored = NULL;
		if (get_str(j, root, "sources", &ignored) == -2 ||
		    get_str(j, root, "notes", &ignored) == -2)
			return EIC_ENOMEM;
	}
	if (currency) {
		int ok = strlen(currency) == 3;
		for (int i = 0; ok && i < 3; i++)
			ok = currency[i] >= 'A' && currency[i] <= 'Z';
		if (!ok)
			jerr(
			    j, "currency", -1, 0,
			    "invalid currency (expected an ISO 4217 code of three capitals such as "
			    "\"USD\"; found \"%s\")",
			    currency);
		else
			c->currency = currency;
	}
	int conv = 0;
	if (get_enum(j, root, "convention", conventions, &conv) > 0)
		o->convention = conv ? EIC_FIN_SAM : EIC_FIN_RETSCREEN;
	get_num(j, root, "discount_rate", &o->discount_rate, -0.99, 1, rate_expect);
	get_num(j, root, "inflation", &o->inflation, -0.5, 1, "a yearly rate from -0.5 to 1");
	get_num(j, root, "finance_rate", &o->finance_rate, -0.99, 1, rate_expect);
	get_num(j, root, "reinvest_rate", &o->reinvest_rate, -0.99, 1, rate_expect);
	get_num(j, root, "fixed_charge_rate", &o->fixed_charge_rate, 0, 1,
	        "a yearly share from 0 to 1");
	if (get_int(j, root, "life_years", &p->life_years, 1, EIC_FIN_MAX_LIFE_YEARS) == 0)
		jerr(j, NULL, -1, 0,
		     "missing key 'life_years' (expected the operating life in years, 1 to 200; "
		     "found none)");
	get_int(j, root, "first_operating_year", &p->first_operating_year, 1,
	        EIC_FIN_MAX_LIFE_YEARS);
	j->life_years = p->life_years;
	if (!json_object_get(root, "capex"))
		jerr(j, NULL, -1, 0,
		     "missing key 'capex' (expected the capital cost: a number for year 0, or an "
		     "array by year; found none)");
	if ((rc = get_series(j, root, "capex", &p->capex, &p->capex_count,
	                     EIC_FIN_MAX_LIFE_YEARS * 2 + 1, 0, HUGE_MONEY, money_expect)) < 0)
		return rc;
	if (p->capex_count > 0 && p->life_years > 0 &&
	    (long)p->capex_count > (long)p->first_operating_year + p->life_years)
		jerr(j, "capex", -1, 0,
		     "the capital schedule runs past the end of the project (expected at most %d "
		     "years, 0 to %d; found %zu)",
		     p->first_operating_year + p->life_years,
		     p->first_operating_year + p->life_years - 1, p->capex_count);
	get_num(j, root, "revenue", &p->revenue, 0, HUGE_MONEY, money_expect);
	get_num(j, root, "revenue_escalation", &p->revenue_escalation, -0.99, 1, rate_expect);
	get_num(j, root, "avoided_cost", &p->avoided_cost, 0, HUGE_MONEY, money_expect);
	get_num(j, root, "avoided_cost_escalation", &p->avoided_cost_escalation, -0.99, 1,
	        rate_expect);
	get_num(j, root, "opex_fixed", &p->opex_fixed, 0, HUGE_MONEY, money_expect);
	get_num(j, root, "opex_variable", &p->opex_variable, 0, HUGE_MONEY,
	        "money per unit of energy, from 0 to 1e15");
	get_num(j, root, "opex_escalation", &p->opex_escalation, -0.99, 1, rate_expect);
	get_num(j, root, "energy_per_year", &p->energy_per_year, 0, 1e18,
	        "energy per year from 0 to 1e18");
	get_num(j, root, "co2e_t_per_year", &p->co2e_t_per_year, 0, 1e12,
	        "tonnes per year from 0 to 1e12");
	if ((rc = get_series(j, root, "ramp", &p->ramp, &p->ramp_count, EIC_FIN_MAX_LIFE_YEARS, 0,
	                     1, "a share of full output from 0 to 1")) < 0)
		return rc;
	get_num(j, root, "salvage_value", &p->salvage_value, 0, HUGE_MONEY, money_expect);
	get_num(j, root, "capital_subsidy_share", &p->capital_subsidy_share, 0, 1,
	        "a share from 0 to 1");
	get_num(j, root, "grant", &p->grant, 0, HUGE_MONEY, money_expect);
	int has_ratio = get_num(j, root, "debt_ratio", &p->debt_ratio, 0, 1, "a share from 0 to 1");
	get_num(j, root, "debt_rate", &p->debt_rate, 0, EIC_FIN_MAX_YEARLY_RATE,
	        "a yearly rate from 0 to 1");
	int has_term =
	    get_int(j, root, "debt_term_years", &p->debt_term_years, 0, EIC_FIN_MAX_LIFE_YEARS);
	if (has_term > 0 && p->life_years > 0 && p->debt_term_years > p->life_years)
		jerr(j, "debt_term_years", -1, 0,
		     "the loan is longer than the project (expected at most the life of %d "
		     "years; found %d)",
		     p->life_years, p->debt_term_years);
	if (has_ratio > 0 && p->debt_ratio > 0 && p->debt_term_years == 0 && has_term >= 0)
		jerr(j, "debt_ratio", -1, 0,
		     "debt without a term (expected 'debt_term_years' of at least 1 with a debt "
		     "ratio above 0; found %s)",
		     has_term ? "0" : "none");
	get_num(j, root, "tax_rate", &p->tax_rate, 0, 0.99, "a share from 0 to 0.99");
	int depr = 0;
	if (get_enum(j, root, "depreciation", depreciations, &depr) > 0)
		p->depreciation = (eic_fin_depreciation)depr;
	int has_dyears = get_int(j, root, "depreciation_years", &p->depreciation_years, 1,
	                         EIC_FIN_MAX_LIFE_YEARS);
	int has_drate = get_num(j, root, "depreciation_rate", &p->depreciation_rate, 1e-9, 1,
	                        "a share of book value above 0, at most 1");
	if (p->depreciation == EIC_FIN_DEPR_STRAIGHT_LINE && has_dyears == 0)
		jerr(j, "depreciation", -1, 0,
		     "straight-line depreciation needs 'depreciation_years' (expected a number of "
		     "years; found none)");
	if (p->depreciation == EIC_FIN_DEPR_DECLINING_BALANCE && has_drate == 0)
		jerr(j, "depreciation", -1, 0,
		     "declining-balance depreciation needs 'depreciation_rate' (expected a share "
		     "of book value; found none)");
	int loss = 0;
	if (get_enum(j, root, "tax_loss", losses, &loss) > 0)
		p->tax_loss = (eic_fin_tax_loss)loss;
	get_bool(j, root, "subsidy_reduces_basis", &p->subsidy_reduces_basis);
	get_num(j, root, "equity_available", &p->equity_available, 0, HUGE_MONEY, money_expect);
	get_num(j, root, "min_reserve", &c->min_reserve, 0, HUGE_MONEY, money_expect);
	json_t *fin = json_object_get(root, "financing");
	if (fin && (rc = decode_options(j, c, fin, "financing")) < 0)
		return rc;
	return 0;
}

int eic_fin_case_read_buffer(eic_fin_case **out, eic_diags *diags, const char *name,
                             const char *data, size_t size)
{
	eic_fin_case *c = NULL;
	json_t *root = NULL;
	int rc;
	if (!out || !diags || !name || (!data && size > 0))
		return EIC_EINVAL;
	*out = NULL;
	if ((rc = eic_io__json_object_doc(&root, diags, name, data, size, "document")) < 0)
		goto done;
	if ((rc = eic_fin__case_new(&c)) < 0)
		goto done;
	c->project.first_operating_year = 1;
	jctx j;
	memset(&j, 0, sizeof(j));
	eic_io__jdec_init(&j.d, diags, name, data, size);
	j.arena = &c->arena;
	if ((rc = decode_project(&j, c, root)) < 0)
		goto done;
	if ((rc = eic_io__jdec_status(&j.d)) < 0)
		goto done;
	c->complete = 1;
	*out = c;
	c = NULL;
done:
	json_decref(root);
	eic_fin_case_free(c);
	return rc;
}

int eic_fin_case_read(eic_fin_case **out, eic_diags *diags, const char *path)
{
	if (!out || !diags || !path)
		return EIC_EINVAL;
	*out = NULL;
	eic_buf b = EIC_BUF_INIT;
	int rc =
	    eic_io__read_file(&b, diags, path, (size_t)64 * 1024 * 1024, "finance project file");
	if (!rc)
		rc = eic_fin_case_read_buffer(out, diags, path, b.data ? b.data : "", b.len);
	eic_buf_free(&b);
	return rc;
}
