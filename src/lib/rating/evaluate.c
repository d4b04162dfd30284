/* evaluate.c: runs a rating scheme's rules in order on one actor's inputs (and a peer group for
 * percentile rules) and builds the result: label, deciding rule, values, missing inputs, words. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rating_private.h"

/* ---- inputs ------------------------------------------------------------------------------ */

typedef enum { IN_NUMBER = 0, IN_BOOL, IN_TEXT } intype;

typedef struct {
	const char *name;
	intype type;
	double number;
	const char *text;
} input;

struct eic_rating_inputs {
	eic_arena arena;
	eic_vec items; /* input */
	eic_map index; /* name -> item */
};

int eic_rating_inputs_new(eic_rating_inputs **out)
{
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	eic_rating_inputs *in = eic_calloc(1, sizeof(*in));
	if (!in)
		return EIC_ENOMEM;
	eic_arena_init(&in->arena);
	eic_vec_init(&in->items, sizeof(input));
	eic_map_init(&in->index);
	*out = in;
	return 0;
}

void eic_rating_inputs_free(eic_rating_inputs *inputs)
{
	if (!inputs)
		return;
	eic_map_free(&inputs->index);
	eic_vec_free(&inputs->items);
	eic_arena_clear(&inputs->arena);
	eic_free(inputs);
}

static int set_input(eic_rating_inputs *in, const char *name, const input *value)
{
	size_t i;
	if (!in || eic_str_empty(name))
		return EIC_EINVAL;
	if (eic_map_get(&in->index, name, &i)) {
		input *it = EIC_VEC_AT(&in->items, input, i);
		const char *keep = it->name;
		*it = *value;
		it->name = keep;
		return 0;
	}
	char *key = eic_arena_strdup(&in->arena, name);
	if (!key)
		return EIC_ENOMEM;
	input copy = *value;
	copy.name = key;
	if (!eic_vec_push(&in->items, &copy))
		return EIC_ENOMEM;
	if (eic_map_put(&in->index, key, in->items.len - 1) < 0) {
		in->items.len--;
		return EIC_ENOMEM;
	}
	return 0;
}

int eic_rating_inputs_set_number(eic_rating_inputs *inputs, const char *name, double value)
{
	input v = {NULL, IN_NUMBER, value, NULL};
	if (!isfinite(value))
		return EIC_EINVAL;
	return set_input(inputs, name, &v);
}

int eic_rating_inputs_set_bool(eic_rating_inputs *inputs, const char *name, int value)
{
	input v = {NULL, IN_BOOL, value ? 1.0 : 0.0, NULL};
	return set_input(inputs, name, &v);
}

int eic_rating_inputs_set_text(eic_rating_inputs *inputs, const char *name, const char *text)
{
	if (!inputs || !text)
		return EIC_EINVAL;
	input v = {NULL, IN_TEXT, 0.0, eic_arena_strdup(&inputs->arena, text)};
	if (!v.text)
		return EIC_ENOMEM;
	return set_input(inputs, name, &v);
}

static const input *find_input(const eic_rating_inputs *in, const char *name)
{
	size_t i;
	if (in && eic_map_get(&in->index, name, &i))
		return EIC_VEC_AT(&in->items, input, i);
	return NULL;
}

/* ---- result ------------------------------------------------------------------------------ */

struct eic_rating_result {
	eic_arena arena;
	const char *label;
	const char *decided_by;
	const char *decided_kind;
	const char *explanation;
	int complete;
	eic_vec values;       /* eic_rating_value */
	eic_vec missing;      /* const char * */
	eic_vec notes;        /* const char * */
	eic_vec requirements; /* eic_rating_requirement */
	eic_vec categories;   /* eic_rating_category */
	int percentile_used;
	size_t rank, eligible;
	double percent;
};

void eic_rating_result_free(eic_rating_result *result)
{
	if (!result)
		return;
	eic_vec_free(&result->values);
	eic_vec_free(&result->missing);
	eic_vec_free(&result->notes);
	eic_vec_free(&result->requirements);
	eic_vec_free(&result->categories);
	eic_arena_clear(&result->arena);
	eic_free(result);
}

static int result_new(eic_rating_result **out)
{
	eic_rating_result *r = eic_calloc(1, sizeof(*r));
	*out = NULL;
	if (!r)
		return EIC_ENOMEM;
	eic_arena_init(&r->arena);
	eic_vec_init(&r->values, sizeof(eic_rating_value));
	eic_vec_init(&r->missing, sizeof(const char *));
	eic_vec_init(&r->notes, sizeof(const char *));
	eic_vec_init(&r->requirements, sizeof(eic_rating_requirement));
	eic_vec_init(&r->categories, sizeof(eic_rating_category));
	*out = r;
	return 0;
}

/* ---- one evaluation ---------------------------------------------------------------------- */

typedef struct {
	const eic_rating_scheme *s;
	const eic_rating_inputs *in;
	const eic_rating_inputs *const *peers;
	size_t peer_count;
	eic_rating_result *res;
	double *vals; /* per rule */
	unsigned char *have;
	int limit;   /* rules [0, limit) are run */
	int is_peer; /* percentile rules are skipped */
	int oom;
	int stopped;
	const char *because; /* reason of the current label */
} evalctx;

static const char *sdup(evalctx *e, const char *s)
{
	char *c = eic_arena_strdup(&e->res->arena, s);
	if (!c)
		e->oom = 1;
	return c;
}

#ifdef __GNUC__
__attribute__((format(printf, 2, 3)))
#endif
static const char *
sfmt(evalctx *e, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return sdup(e, buf);
}

static void add_missing(evalctx *e, const char *name)
{
	eic_vec *v = &e->res->missing;
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(*EIC_VEC_AT(v, const char *, i), name))
			return;
	const char *c = sdup(e, name);
	if (c && !eic_vec_push(v, &c))
		e->oom = 1;
}

static void add_note(evalctx *e, const char *text)
{
	if (text && !eic_vec_push(&e->res->notes, &text))
		e->oom = 1;
}

/* Compare with a relative tolerance of 1e-9 (docs/rating.md), so a value that lands on a
 * threshold through rounding counts as on it. */
static double tol(double t)
{
	return 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0);
}

static int holds(eic_rop op, double x, double t)
{
	switch (op) {
	case OP_ABOVE:
		return x > t + tol(t);
	case OP_BELOW:
		return x < t - tol(t);
	case OP_AT_LEAST:
		return x >= t - tol(t);
	case OP_AT_MOST:
		return x <= t + tol(t);
	default:
		return 0;
	}
}

/* A number by name: an earlier rule's value, else a numeric input. Returns 1 and sets *out,
 * or 0 (recorded as missing when it is an input). */
static int number(evalctx *e, const char *name, double *out)
{
	int r = eic_rating__rule_find(e->s, name);
	if (r >= 0) {
		if (e->have[r]) {
			*out = e->vals[r];
			return 1;
		}
		return 0; /* the rule could not be computed: its own inputs are already missing */
	}
	const input *it = find_input(e->in, name);
	if (!it || it->type != IN_NUMBER) {
		add_missing(e, name);
		return 0;
	}
	*out = it->number;
	return 1;
}

/* A boolean input: 1 true, 0 false, -1 missing (recorded). */
static int boolean(evalctx *e, const char *name)
{
	const input *it = find_input(e->in, name);
	if (!it || it->type != IN_BOOL) {
		add_missing(e, name);
		return -1;
	}
	return it->number != 0.0;
}

static void set_value(evalctx *e, int index, double v, int capped)
{
	const eic_rrule *r = &e->s->rules[index];
	e->vals[index] = v;
	e->have[index] = 1;
	eic_rating_value rv = {r->id, eic_rating__kind_name(r->kind), v, capped};
	if (!eic_vec_push(&e->res->values, &rv))
		e->oom = 1;
}

static void capitalised(char *buf, size_t size, const char *label)
{
	snprintf(buf, size, "%s", label);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

static void decide(evalctx *e, const eic_rrule *r, const char *label, const char *because)
{
	e->res->label = label;
	e->res->decided_by = r->id;
	e->res->decided_kind = eic_rating__kind_name(r->kind);
	e->because = because;
}

static int label_applies(const evalctx *e, const eic_rrule *r)
{
	if (!r->when_label)
		return 1;
	for (int i = 0; i < r->when_count; i++)
		if (e->res->label && !strcmp(e->res->label, r->when_label[i]))
			return 1;
	return 0;
}

/* A gate fires when any (or, with match all, every) condition holds; then it gives its label
 * and, unless stop is false, ends the evaluation. The reasons of the conditions that held make
 * the explanation. A condition on a missing input counts as unknown. */
static void run_gate(evalctx *e, const eic_rrule *r)
{
	int fired = 0, unknown = 0, failed_all = 0;
	eic_buf why = EIC_BUF_INIT;
	for (int i = 0; i < r->cond_count; i++) {
		const eic_rcond *c = &r->conds[i];
		int h;
		if (c->op == OP_IS) {
			int b = boolean(e, c->input);
			h = b < 0 ? -1 : (b == c->is_value);
		} else {
			double x;
			h = number(e, c->input, &x) ? holds(c->op, x, c->threshold) : -1;
		}
		if (h < 0)
			unknown = 1;
		else if (h) {
			fired++;
			eic_buf_printf(&why, "%s%s", why.len ? "; " : "", c->because);
		} else
			failed_all = 1;
	}
	int fires = r->match_all ? (!unknown && !failed_all) : fired > 0;
	/* an undecided gate (inputs missing, nothing fired yet) leaves the result incomplete;
	 * evaluation goes on to name every missing input */
	if (fires) {
		decide(e, r, r->label, why.data ? sdup(e, why.data) : "");
		if (r->stop)
			e->stopped = 1;
	}
	if (why.failed)
		e->oom = 1;
	eic_buf_free(&why);
}

/* Points of a criterion: the input capped to [0, max_points], or the points of the last table
 * row whose at_least the input reaches (0 and a note below the first row). */
static void run_points(evalctx *e, int index, const eic_rrule *r)
{
	double x;
	if (!number(e, r->input, &x))
		return;
	if (r->has_max) {
		int capped = 0;
		if (x > r->max_points) {
			char a[40], b[40];
			eic_fmt_double(a, sizeof(a), x);
			eic_fmt_double(b, sizeof(b), r->max_points);
			add_note(e, sfmt(e,
			                 "points '%s': input %s = %s is above the maximum %s; %s "
			                 "points counted",
			                 r->id, r->input, a, b, b));
			x = r->max_points;
			capped = 1;
		}
		if (x < 0) {
			char a[40];
			eic_fmt_double(a, sizeof(a), x);
			add_note(e,
			         sfmt(e, "points '%s': input %s = %s is negative; 0 points counted",
			              r->id, r->input, a));
			x = 0;
			capped = 1;
		}
		set_value(e, index, x, capped);
		return;
	}
	double p = 0.0;
	int matched = 0;
	for (int i = 0; i < r->step_count; i++)
		if (holds(OP_AT_LEAST, x, r->steps[i].at_least)) {
			p = r->steps[i].points;
			matched = 1;
		}
	if (!matched) {
		char a[40], b[40];
		eic_fmt_double(a, sizeof(a), x);
		eic_fmt_double(b, sizeof(b), r->steps[0].at_least);
		add_note(e, sfmt(e,
		                 "points '%s': input %s = %s is below the lowest row (%s); 0 "
		                 "points counted",
		                 r->id, r->input, a, b));
	}
	set_value(e, index, p, 0);
}

/* Weighted sum of terms, each a weight times a product of values; no value if any is missing. */
static void run_sum(evalctx *e, int index, const eic_rrule *r)
{
	double total = 0.0;
	int ok = 1;
	for (int t = 0; t < r->term_count; t++) {
		double prod = r->terms[t].weight;
		for (int k = 0; k < r->terms[t].ref_count; k++) {
			double x;
			if (number(e, r->terms[t].refs[k], &x))
				prod *= x;
			else
				ok = 0;
		}
		total += prod;
	}
	if (ok)
		set_value(e, index, total, 0);
}

/* The largest of n sub-indices dominates: i_m + (S - i_m) x prod over the others of (i_k / S),
 * the CEPI aggregation (docs/methods/rating.md) with S = scale. */
static void run_max_dominant(evalctx *e, int index, const eic_rrule *r)
{
	double v[64] = {0};
	int n = r->of_count < 64 ? r->of_count : 64, ok = 1, m = 0;
	for (int i = 0; i < n; i++)
		if (!number(e, r->of[i], &v[i]))
			ok = 0;
	if (!ok)
		return;
	for (int i = 1; i < n; i++)
		if (v[i] > v[m])
			m = i;
	double prod = 1.0;
	for (int i = 0; i < n; i++)
		if (i != m)
			prod *= v[i] / r->scale;
	set_value(e, index, v[m] + (r->scale - v[m]) * prod, 0);
}

/* The first band (highest first) the value reaches gives its label; none: label unchanged. */
static void run_bands(evalctx *e, const eic_rrule *r)
{
	double x;
	char num[40], th[40];
	if (!number(e, r->value, &x))
		return;
	eic_fmt_double(num, sizeof(num), x);
	for (int i = 0; i < r->band_count; i++) {
		const eic_rband *b = &r->bands[i];
		if (b->has_at_least && !holds(OP_AT_LEAST, x, b->at_least))
			continue;
		const char *why;
		if (b->has_at_least) {
			eic_fmt_double(th, sizeof(th), b->at_least);
			if (i > 0 && r->bands[i - 1].has_at_least) {
				char up[40];
				eic_fmt_double(up, sizeof(up), r->bands[i - 1].at_least);
				why = sfmt(e, "%s = %s, at least %s and below %s", r->value, num,
				           th, up);
			} else
				why = sfmt(e, "%s = %s, at least %s", r->value, num, th);
		} else {
			eic_fmt_double(th, sizeof(th), i > 0 ? r->bands[i - 1].at_least : 0.0);
			why = sfmt(e, "%s = %s, below %s", r->value, num, th);
		}
		decide(e, r, b->label, why);
		return;
	}
}

static int run_scheme(evalctx *e);

/* The value `name` of an evaluated peer: a rule's value from its result, else its input. */
static int peer_value(const evalctx *pe, const char *name, double *out)
{
	if (eic_rating__rule_find(pe->s, name) >= 0)
		return eic_rating_result_get(pe->res, name, out);
	const input *it = find_input(pe->in, name);
	if (!it || it->type != IN_NUMBER)
		return 0;
	*out = it->number;
	return 1;
}

/* Rank the actor among the members of its group that reached this rule with an eligible
 * label (peers are evaluated up to this rule, percentile rules skipped). O(peers x rules). */
static int run_percentile(evalctx *e, int index, const eic_rrule *r)
{
	double x;
	if (!number(e, r->value, &x))
		return 0;
	size_t eligible = 1, better = 0;
	for (size_t p = 0; p < e->peer_count; p++) {
		evalctx pe;
		memset(&pe, 0, sizeof(pe));
		pe.s = e->s;
		pe.in = e->peers[p];
		pe.limit = index;
		pe.is_peer = 1;
		int rc = result_new(&pe.res);
		if (rc < 0)
			return rc;
		rc = run_scheme(&pe);
		if (rc < 0) {
			eic_rating_result_free(pe.res);
			return rc;
		}
		double v = 0.0;
		if (pe.res->missing.len > 0) {
			eic_buf names = EIC_BUF_INIT;
			for (size_t i = 0; i < pe.res->missing.len; i++)
				eic_buf_printf(&names, "%s%s", i ? ", " : "",
				               *EIC_VEC_AT(&pe.res->missing, const char *, i));
			add_note(e,
			         sfmt(e, "percentile '%s': peer %zu left out, missing input(s) %s",
			              r->id, p + 1, names.data ? names.data : ""));
			eic_buf_free(&names);
		} else if (label_applies(&pe, r) && peer_value(&pe, r->value, &v)) {
			eligible++;
			if (r->higher_is_better ? v > x + tol(x) : v < x - tol(x))
				better++;
		}
		eic_rating_result_free(pe.res);
	}
	size_t rank = better + 1;
	double cut = ceil(r->best_share * (double)eligible - 1e-9);
	e->res->percentile_used = 1;
	e->res->rank = rank;
	e->res->eligible = eligible;
	e->res->percent = 100.0 * (double)rank / (double)eligible;
	if ((double)rank <= cut) {
		char num[40], share[40], pct[40];
		eic_fmt_double(num, sizeof(num), x);
		eic_fmt_double(share, sizeof(share), 100.0 * r->best_share);
		snprintf(pct, sizeof(pct), "%.4g", e->res->percent);
		decide(e, r, r->label,
		       sfmt(e,
		            "%s = %s ranks %zu of %zu eligible in the peer group (top %s%%), "
		            "within the best %s%%",
		            r->value, num, rank, eligible, pct, share));
	}
	return 0;
}

/* Record one requirement (pass, fail or unknown, with its evidence text) and update its
 * category: a category passes only when all its requirements are known to pass. */
static void run_requirement(evalctx *e, const eic_rrule *r)
{
	eic_rating_requirement q = {r->id, r->category, r->level, r->text, -1, ""};
	q.passed = boolean(e, r->input);
	const input *ev = find_input(e->in, r->evidence);
	if (ev && ev->type == IN_TEXT && !(q.evidence = sdup(e, ev->text)))
		return;
	if (!eic_vec_push(&e->res->requirements, &q)) {
		e->oom = 1;
		return;
	}
	eic_vec *cats = &e->res->categories;
	eic_rating_category *c = NULL;
	for (size_t i = 0; i < cats->len && !c; i++)
		if (!strcmp(EIC_VEC_AT(cats, eic_rating_category, i)->category, r->category))
			c = EIC_VEC_AT(cats, eic_rating_category, i);
	if (!c) {
		eic_rating_category nc = {r->category, 1, 0, 0};
		if (!(c = eic_vec_push(cats, &nc))) {
			e->oom = 1;
			return;
		}
	}
	c->requirement_count++;
	if (q.passed != 1)
		c->passed = 0;
	if (q.passed == 0)
		c->failed++;
}

/* Pass label when no requirement so far failed, else the fail label listing the failures. */
static void run_verdict(evalctx *e, const eic_rrule *r)
{
	eic_vec *q = &e->res->requirements;
	eic_buf why = EIC_BUF_INIT;
	size_t failed = 0;
	for (size_t i = 0; i < q->len; i++) {
		const eic_rating_requirement *x = EIC_VEC_AT(q, eic_rating_requirement, i);
		if (x->passed == 0) {
			eic_buf_printf(&why, "%s%s %s '%s' (%s)", failed ? "; " : "", x->category,
			               x->level, x->rule, x->text);
			failed++;
		} else if (x->passed < 0)
			failed += 0; /* missing: the result is incomplete anyway */
	}
	if (failed)
		decide(e, r, r->fail_label,
		       sfmt(e, "%zu of %zu requirements failed: %s", failed, q->len,
		            why.data ? why.data : ""));
	else
		decide(e, r, r->pass_label,
		       sfmt(e, "all %zu requirements passed in %zu categories", q->len,
		            e->res->categories.len));
	if (why.failed)
		e->oom = 1;
	eic_buf_free(&why);
}

/* Run rules [0, limit) in order until a gate stops; then, for the actor (not a peer), decide
 * completeness and write the explanation. Returns 0 or EIC_ENOMEM; the result stays with e->res. */
static int run_scheme(evalctx *e)
{
	const eic_rating_scheme *s = e->s;
	int rc = 0;
	size_t n = (size_t)s->rule_count;
	e->vals = eic_calloc(n, sizeof(double));
	e->have = eic_calloc(n, 1);
	if (!e->vals || !e->have) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (int i = 0; i < e->limit && !e->stopped; i++) {
		const eic_rrule *r = &s->rules[i];
		if (!label_applies(e, r))
			continue;
		switch (r->kind) {
		case RK_GATE:
			run_gate(e, r);
			break;
		case RK_LABEL:
			decide(e, r, r->label, r->because ? r->because : "no earlier rule decided");
			break;
		case RK_POINTS:
			run_points(e, i, r);
			break;
		case RK_SUM:
			run_sum(e, i, r);
			break;
		case RK_MAX_DOMINANT:
			run_max_dominant(e, i, r);
			break;
		case RK_BANDS:
			run_bands(e, r);
			break;
		case RK_PERCENTILE:
			if (!e->is_peer && (rc = run_percentile(e, i, r)) < 0)
				goto done;
			break;
		case RK_REQUIREMENT:
			run_requirement(e, r);
			break;
		case RK_VERDICT:
			run_verdict(e, r);
			break;
		default:
			break;
		}
		if (e->oom) {
			rc = EIC_ENOMEM;
			goto done;
		}
	}
	/* the label that was decided (and values) are kept for peers; the caller decides */
	eic_rating_result *res = e->res;
	res->complete = res->missing.len == 0;
	/* a peer keeps its label even if incomplete: callers of peers check `missing` */
	if (!e->is_peer) {
		char head[256];
		if (!res->complete) {
			eic_buf names = EIC_BUF_INIT;
			for (size_t i = 0; i < res->missing.len; i++)
				eic_buf_printf(&names, "%s%s", i ? ", " : "",
				               *EIC_VEC_AT(&res->missing, const char *, i));
			res->explanation =
			    sfmt(e, "Not rated: missing input%s %s",
			         res->missing.len > 1 ? "s" : "", names.data ? names.data : "");
			if (names.failed)
				e->oom = 1;
			eic_buf_free(&names);
			res->label = NULL;
			res->decided_by = NULL;
			res->decided_kind = NULL;
		} else if (res->label) {
			capitalised(head, sizeof(head), res->label);
			res->explanation = sfmt(e, "%s: %s (%s '%s')", head, e->because,
			                        res->decided_kind, res->decided_by);
		} else
			res->explanation = sdup(e, "No label: no rule of the scheme gave one");
		if (e->oom)
			rc = EIC_ENOMEM;
	}
done:
	eic_free(e->vals);
	eic_free(e->have);
	e->vals = NULL;
	e->have = NULL;
	return rc;
}

int eic_rating_evaluate(eic_rating_result **out, const eic_rating_scheme *scheme,
                        const eic_rating_inputs *inputs, const eic_rating_inputs *const *peers,
                        size_t peer_count)
{
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!scheme || !inputs || (peer_count > 0 && !peers))
		return EIC_EINVAL;
	for (size_t i = 0; i < peer_count; i++)
		if (!peers[i])
			return EIC_EINVAL;
	evalctx e;
	memset(&e, 0, sizeof(e));
	e.s = scheme;
	e.in = inputs;
	e.peers = peers;
	e.peer_count = peer_count;
	e.limit = scheme->rule_count;
	int rc = result_new(&e.res);
	if (rc < 0)
		return rc;
	if ((rc = run_scheme(&e)) < 0) {
		eic_rating_result_free(e.res);
		return rc;
	}
	*out = e.res;
	return 0;
}

/* ---- getters ----------------------------------------------------------------------------- */

int eic_rating_result_complete(const eic_rating_result *result)
{
	return result ? result->complete : 0;
}

const char *eic_rating_result_label(const eic_rating_result *result)
{
	return result ? result->label : NULL;
}

const char *eic_rating_result_decided_by(const eic_rating_result *result)
{
	return result ? result->decided_by : NULL;
}

const char *eic_rating_result_decided_kind(const eic_rating_result *result)
{
	return result ? result->decided_kind : NULL;
}

const char *eic_rating_result_explanation(const eic_rating_result *result)
{
	return result && result->explanation ? result->explanation : "";
}

size_t eic_rating_result_value_count(const eic_rating_result *result)
{
	return result ? result->values.len : 0;
}

const eic_rating_value *eic_rating_result_value(const eic_rating_result *result, size_t index)
{
	return result && index < result->values.len
	           ? EIC_VEC_AT(&result->values, eic_rating_value, index)
	           : NULL;
}

int eic_rating_result_get(const eic_rating_result *result, const char *rule, double *out)
{
	for (size_t i = 0; result && rule && i < result->values.len; i++) {
		const eic_rating_value *v = EIC_VEC_AT(&result->values, eic_rating_value, i);
		if (!strcmp(v->rule, rule)) {
			if (out)
				*out = v->value;
			return 1;
		}
	}
	return 0;
}

size_t eic_rating_result_missing_count(const eic_rating_result *result)
{
	return result ? result->missing.len : 0;
}

const char *eic_rating_result_missing(const eic_rating_result *result, size_t index)
{
	return result && index < result->missing.len
	           ? *EIC_VEC_AT(&result->missing, const char *, index)
	           : NULL;
}

size_t eic_rating_result_note_count(const eic_rating_result *result)
{
	return result ? result->notes.len : 0;
}

const char *eic_rating_result_note(const eic_rating_result *result, size_t index)
{
	return result && index < result->notes.len
	           ? *EIC_VEC_AT(&result->notes, const char *, index)
	           : NULL;
}

int eic_rating_result_percentile(const eic_rating_result *result, size_t *rank, size_t *eligible,
                                 double *percent)
{
	if (!result || !result->percentile_used)
		return 0;
	if (rank)
		*rank = result->rank;
	if (eligible)
		*eligible = result->eligible;
	if (percent)
		*percent = result->percent;
	return 1;
}

size_t eic_rating_result_requirement_count(const eic_rating_result *result)
{
	return result ? result->requirements.len : 0;
}

const eic_rating_requirement *eic_rating_result_requirement(const eic_rating_result *result,
                                                            size_t index)
{
	return result && index < result->requirements.len
	           ? EIC_VEC_AT(&result->requirements, eic_rating_requirement, index)
	           : NULL;
}

size_t eic_rating_result_category_count(const eic_rating_result *result)
{
	return result ? result->categories.len : 0;
}

const eic_rating_category *eic_rating_result_category(const eic_rating_result *result, size_t index)
{
	return result && index < result->categories.len
	           ? EIC_VEC_AT(&result->categories, eic_rating_category, index)
	           : NULL;
}
