/* credit.c: evaluates credit rules (docs/rating.md "Credit linkage") on an actor's ratings and
 * indicators, first-match or cumulative, and applies the terms to a finance-engine loan. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "credit_private.h"

struct eic_credit_result {
	eic_arena arena;
	eic_credit_terms terms;
	eic_vec applied; /* const char * */
	eic_vec missing; /* const char * (arena) */
	eic_vec notes;   /* const char * (arena) */
	const char *explanation;
	int oom;
};

typedef struct {
	const eic_credit_rules *rules;
	const eic_credit_rating *ratings;
	size_t rating_count;
	const eic_credit_indicator *indicators;
	size_t indicator_count;
	signed char *state; /* per rule: -2 not evaluated, -1 unknown, 0 false, 1 true */
	eic_credit_result *res;
	eic_buf missing_now; /* the missing inputs of the rule being explained */
} evalctx;

static void add_text(eic_credit_result *res, eic_vec *v, const char *text)
{
	for (size_t i = 0; v == &res->missing && i < v->len; i++)
		if (!strcmp(*EIC_VEC_AT(v, const char *, i), text))
			return;
	const char *copy = eic_arena_strdup(&res->arena, text);
	if (!copy || !eic_vec_push(v, &copy))
		res->oom = 1;
}

static void note(eic_credit_result *res, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void note(eic_credit_result *res, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	add_text(res, &res->notes, text);
}

static int rule_state(evalctx *e, int index);

/* Tri-state value of one condition: 1 holds, 0 does not, -1 not known (input missing). */
static int cond_state(evalctx *e, const eic_ccond *c)
{
	char what[512];
	switch (c->kind) {
	case CC_RATING:
		for (size_t i = 0; i < e->rating_count; i++) {
			const eic_credit_rating *r = &e->ratings[i];
			if (!r->scheme || strcmp(r->scheme, c->name) || !r->label)
				continue;
			for (int k = 0; k < c->label_count; k++)
				if (!strcmp(c->labels[k], r->label))
					return 1;
			return 0;
		}
		snprintf(what, sizeof(what), "rating %s", c->name);
		add_text(e->res, &e->res->missing, what);
		if (e->missing_now.len)
			eic_buf_puts(&e->missing_now, ", ");
		eic_buf_puts(&e->missing_now, what);
		return -1;
	case CC_INDICATOR:
		for (size_t i = 0; i < e->indicator_count; i++) {
			const eic_credit_indicator *in = &e->indicators[i];
			if (!in->name || strcmp(in->name, c->name) || !isfinite(in->value))
				continue;
			double v = in->value, t = c->threshold;
			double tol = 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0);
			switch (c->op) {
			case CO_ABOVE:
				return v > t + tol;
			case CO_BELOW:
				return v < t - tol;
			case CO_AT_LEAST:
				return v >= t - tol;
			default:
				return v <= t + tol;
			}
		}
		snprintf(what, sizeof(what), "indicator %s", c->name);
		add_text(e->res, &e->res->missing, what);
		if (e->missing_now.len)
			eic_buf_puts(&e->missing_now, ", ");
		eic_buf_puts(&e->missing_now, what);
		return -1;
	default: {
		int s = rule_state(e, c->rule_index);
		if (s < 0)
			return -1;
		return c->is_value ? s : !s;
	}
	}
}

/* Tri-state of a rule's conditions, memoised. References cannot cycle (refused at load). */
static int rule_state(evalctx *e, int index)
{
	if (index < 0 || index >= e->rules->rule_count)
		return -1;
	if (e->state[index] != -2)
		return e->state[index];
	const eic_crule *r = &e->rules->rules[index];
	int any_true = 0, any_false = 0, any_unknown = 0;
	for (int i = 0; i < r->cond_count; i++) {
		int s = cond_state(e, &r->conds[i]);
		any_true |= s == 1;
		any_false |= s == 0;
		any_unknown |= s < 0;
	}
	int s;
	if (r->cond_count == 0)
		s = 1;
	else if (r->match_any)
		s = any_true ? 1 : any_unknown ? -1 : 0;
	else
		s = any_false ? 0 : any_unknown ? -1 : 1;
	e->state[index] = (signed char)s;
	return s;
}

static void fmt_terms(char *buf, size_t size, const eic_credit_terms *t)
{
	size_t used = 0;
	if (!t->eligible) {
		snprintf(buf, size, "not eligible");
		return;
	}
	used += (size_t)snprintf(buf + used, size - used, "eligible");
	if (t->rate_discount_pp > 0 && used < size)
		used +=
		    (size_t)snprintf(buf + used, size - used, ", rate -%g pp", t->rate_discount_pp);
	if (t->guarantee_share > 0 && used < size)
		used += (size_t)snprintf(buf + used, size - used, ", guarantee %g%%",
		                         100.0 * t->guarantee_share);
	if (isfinite(t->max_tenor_years) && used < size)
		snprintf(buf + used, size - used, ", tenor at most %g years", t->max_tenor_years);
}

static double or_zero(double v)
{
	return isfinite(v) ? v : 0.0;
}

/*
 * First match: rules in file order, the first whose conditions hold gives the terms.
 * Cumulative: every rule that holds applies: any ineligible rule vetoes, discounts add up, the
 * largest guarantee share and the longest tenor count. A rule whose inputs are missing does not
 * apply (no evidence, no terms) and is named in the notes; when no rule applied and some could
 * not be decided, the result is undecided (no terms, not even the default). Limits cap the
 * outcome in both modes.
 */
int eic_credit_evaluate(eic_credit_result **out, const eic_credit_rules *rules,
                        const eic_credit_rating *ratings, size_t rating_count,
                        const eic_credit_indicator *indicators, size_t indicator_count)
{
	eic_credit_result *res = NULL;
	evalctx e;
	int rc = 0;
	memset(&e, 0, sizeof(e));
	if (!out || !rules || (!ratings && rating_count) || (!indicators && indicator_count))
		return EIC_EINVAL;
	*out = NULL;
	res = eic_calloc(1, sizeof(*res));
	if (!res)
		return EIC_ENOMEM;
	eic_arena_init(&res->arena);
	eic_vec_init(&res->applied, sizeof(const char *));
	eic_vec_init(&res->missing, sizeof(const char *));
	eic_vec_init(&res->notes, sizeof(const char *));
	e.rules = rules;
	e.ratings = ratings;
	e.rating_count = rating_count;
	e.indicators = indicators;
	e.indicator_count = indicator_count;
	e.res = res;
	e.state = eic_malloc((size_t)(rules->rule_count ? rules->rule_count : 1));
	if (!e.state) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (int i = 0; i < rules->rule_count; i++)
		e.state[i] = -2;

	eic_credit_terms *t = &res->terms;
	t->max_tenor_years = NAN;
	int undecided = 0, matched = 0, vetoed = 0;
	const eic_crule *first = NULL;
	for (int i = 0; i < rules->rule_count; i++) {
		const eic_crule *r = &rules->rules[i];
		eic_buf_clear(&e.missing_now);
		int s = rule_state(&e, i);
		if (s < 0) {
			undecided = 1;
			note(res, "rule '%s' not decided: missing %s", r->id,
			     e.missing_now.data ? e.missing_now.data : "an input");
			continue;
		}
		if (s == 0)
			continue;
		matched++;
		const char *id = r->id;
		if (!eic_vec_push(&res->applied, &id))
			res->oom = 1;
		if (!rules->cumulative) {
			first = r;
			break;
		}
		if (!r->eligible)
			vetoed = 1;
		t->rate_discount_pp += or_zero(r->rate_discount_pp);
		if (or_zero(r->guarantee_share) > t->guarantee_share)
			t->guarantee_share = or_zero(r->guarantee_share);
		if (isfinite(r->max_tenor_years) &&
		    !(isfinite(t->max_tenor_years) && t->max_tenor_years >= r->max_tenor_years))
			t->max_tenor_years = r->max_tenor_years;
	}
	const eic_crule *source = NULL;
	if (!rules->cumulative && first)
		source = first;
	else if (matched == 0)
		source = &rules->fallback;
	if (source) {
		t->eligible = source->eligible;
		t->rate_discount_pp = or_zero(source->rate_discount_pp);
		t->guarantee_share = or_zero(source->guarantee_share);
		t->max_tenor_years = source->max_tenor_years;
		t->from_default = source == &rules->fallback;
	} else {
		t->eligible = !vetoed;
	}
	if (t->rate_discount_pp > rules->max_rate_discount_pp + 1e-12) {
		note(res, "rate discount %g pp capped at the limit of %g pp", t->rate_discount_pp,
		     rules->max_rate_discount_pp);
		t->rate_discount_pp = rules->max_rate_discount_pp;
	}
	if (t->guarantee_share > rules->max_guarantee_share + 1e-12) {
		note(res, "guarantee share %g capped at the limit of %g", t->guarantee_share,
		     rules->max_guarantee_share);
		t->guarantee_share = rules->max_guarantee_share;
	}
	if (isfinite(rules->max_tenor_years) && isfinite(t->max_tenor_years) &&
	    t->max_tenor_years > rules->max_tenor_years) {
		note(res, "tenor %g years capped at the limit of %g years", t->max_tenor_years,
		     rules->max_tenor_years);
		t->max_tenor_years = rules->max_tenor_years;
	}
	t->decided = matched > 0 || !undecided;
	if (!t->decided) {
		t->eligible = 0;
		t->from_default = 0;
	}
	if (!t->eligible) {
		t->rate_discount_pp = 0.0;
		t->guarantee_share = 0.0;
		t->max_tenor_years = NAN;
	}

	/* explanation */
	{
		char terms[256];
		eic_buf b = EIC_BUF_INIT;
		fmt_terms(terms, sizeof(terms), t);
		terms[0] = (char)toupper((unsigned char)terms[0]);
		if (!t->decided) {
			eic_buf_puts(&b, "Not decided: missing ");
			for (size_t i = 0; i < res->missing.len; i++)
				eic_buf_printf(&b, "%s%s", i ? ", " : "",
				               *EIC_VEC_AT(&res->missing, const char *, i));
			eic_buf_puts(&b, ": no rule applies without them");
		} else if (t->from_default) {
			eic_buf_printf(&b, "%s: no rule matched, default terms%s%s", terms,
			               *rules->fallback.because ? ": " : "",
			               rules->fallback.because);
		} else {
			eic_buf_printf(&b, "%s: ", terms);
			for (size_t i = 0; i < res->applied.len; i++) {
				const char *id = *EIC_VEC_AT(&res->applied, const char *, i);
				size_t k;
				eic_map_get(&rules->rule_index, id, &k);
				const char *because = rules->rules[k].because;
				eic_buf_printf(&b, "%srule '%s'%s%s%s", i ? "; " : "", id,
				               *because ? " (" : "", because, *because ? ")" : "");
			}
		}
		if (b.failed)
			res->oom = 1;
		res->explanation = eic_arena_strdup(&res->arena, b.data ? b.data : "");
		if (!res->explanation)
			res->oom = 1;
		eic_buf_free(&b);
	}
	if (res->oom)
		rc = EIC_ENOMEM;
done:
	eic_buf_free(&e.missing_now);
	eic_free(e.state);
	if (rc < 0) {
		eic_credit_result_free(res);
		return rc;
	}
	*out = res;
	return 0;
}

void eic_credit_result_free(eic_credit_result *result)
{
	if (!result)
		return;
	eic_vec_free(&result->applied);
	eic_vec_free(&result->missing);
	eic_vec_free(&result->notes);
	eic_arena_clear(&result->arena);
	eic_free(result);
}

const eic_credit_terms *eic_credit_result_terms(const eic_credit_result *result)
{
	return result ? &result->terms : NULL;
}

size_t eic_credit_result_applied_count(const eic_credit_result *result)
{
	return result ? result->applied.len : 0;
}

const char *eic_credit_result_applied(const eic_credit_result *result, size_t index)
{
	if (!result || index >= result->applied.len)
		return NULL;
	return *EIC_VEC_AT(&result->applied, const char *, index);
}

const char *eic_credit_result_explanation(const eic_credit_result *result)
{
	return result && result->explanation ? result->explanation : "";
}

size_t eic_credit_result_missing_count(const eic_credit_result *result)
{
	return result ? result->missing.len : 0;
}

const char *eic_credit_result_missing(const eic_credit_result *result, size_t index)
{
	if (!result || index >= result->missing.len)
		return NULL;
	return *EIC_VEC_AT(&result->missing, const char *, index);
}

size_t eic_credit_result_note_count(const eic_credit_result *result)
{
	return result ? result->notes.len : 0;
}

const char *eic_credit_result_note(const eic_credit_result *result, size_t index)
{
	if (!result || index >= result->notes.len)
		return NULL;
	return *EIC_VEC_AT(&result->notes, const char *, index);
}

int eic_credit_apply_loan(eic_credit_loan_terms *out, eic_loan_options *loan,
                          const eic_credit_terms *terms, eic_diags *diags)
{
	if (!out || !loan || !terms)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	out->periods_before = out->periods_after = loan->periods;
	eic_fin_green_rule rule;
	memset(&rule, 0, sizeof(rule));
	rule.label = "credit";
	rule.eligible = terms->decided && terms->eligible;
	rule.rate_discount = terms->rate_discount_pp / 100.0;
	rule.guarantee_share = terms->guarantee_share;
	int rc = eic_fin_green_apply(&out->green, loan, &rule, 1, "credit", diags);
	if (rc < 0 || !rule.eligible)
		return rc;
	if (isfinite(terms->max_tenor_years) && loan->periods_per_year > 0) {
		double limit = floor(terms->max_tenor_years * loan->periods_per_year + 1e-9);
		double have = (double)loan->grace_periods + (double)loan->periods;
		if (have > limit) {
			double keep = limit - (double)loan->grace_periods;
			loan->periods = keep >= 1.0 ? (int)keep : 1;
			out->tenor_capped = 1;
		}
	}
	out->periods_after = loan->periods;
	return 0;
}
