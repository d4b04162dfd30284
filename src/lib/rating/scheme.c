/* scheme.c: reads a rating scheme file (JSON, docs/rating.md) with Jansson into ordered rules,
 * checking every key, type, table order and rule reference, each problem at line:column. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/io/io_internal.h"
#include "rating_private.h"

#define MAX_SCHEME_BYTES ((size_t)16 * 1024 * 1024)
#define MAX_RULES 10000

static const char *const kind_names[RK__N] = {
    "gate",  "label",      "points",      "sum",     "max_dominant",
    "bands", "percentile", "requirement", "verdict",
};

const char *eic_rating__kind_name(eic_rk kind)
{
	return (int)kind >= 0 && kind < RK__N ? kind_names[kind] : "";
}

int eic_rating__rule_find(const eic_rating_scheme *s, const char *name)
{
	size_t i;
	if (s && name && eic_map_get(&s->rule_index, name, &i))
		return (int)i;
	return -1;
}

/* ---- JSON decoding with locations ---------------------------------------------------------- */

typedef struct {
	eic_jdec d; /* document, path, errors and oom (src/lib/io/json_decode.c) */
	eic_arena *arena;
} jctx;

#define jerr(j, ...) eic_io__jdec_error(&(j)->d, __VA_ARGS__)
#define found_text eic_io__jdec_found

static void push(jctx *j, const char *key, size_t index)
{
	if (j->d.depth < EIC_JDEC_MAX_DEPTH) {
		j->d.path[j->d.depth].key = key;
		j->d.path[j->d.depth].index = index;
	}
	j->d.depth++;
}

static void pop(jctx *j)
{
	j->d.depth--;
}

static const char *dup(jctx *j, const char *s)
{
	char *c = eic_arena_strdup(j->arena, s);
	if (!c)
		j->d.oom = 1;
	return c;
}

/* A string at obj[key]. Returns 1 given, 0 absent (error when required), -1 wrong. */
static int get_str(jctx *j, json_t *obj, const char *key, const char **dst, const char *what,
                   const char *expect)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v) {
		if (expect)
			jerr(j, NULL, -1, 0, "missing key '%s' in %s (expected %s; found none)",
			     key, what, expect);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		jerr(j, key, -1, 0, "wrong type for '%s' (expected a non-empty string; found %s)",
		     key, json_is_string(v) ? "\"\"" : found_text(buf, sizeof(buf), v));
		return -1;
	}
	const char *copy = dup(j, json_string_value(v));
	if (!copy)
		return -1; /* j->d.oom is set */
	*dst = copy;
	return 1;
}

/* A finite number at obj[key] in [lo, hi]. Returns 1 given, 0 absent (error when required
 * is set), -1 wrong. */
static int get_num(jctx *j, json_t *obj, const char *key, double *dst, double lo, double hi,
                   const char *expect, int required, const char *what)
{
	if (!json_object_get(obj, key)) {
		if (required)
			jerr(j, NULL, -1, 0, "missing key '%s' in %s (expected %s; found none)",
			     key, what, expect);
		return 0;
	}
	return eic_io__jdec_num(&j->d, obj, key, dst, lo, hi, expect);
}

static int get_bool(jctx *j, json_t *obj, const char *key, int *dst)
{
	return eic_io__jdec_bool(&j->d, obj, key, dst);
}

/* An array of non-empty strings at obj[key] (at least `min` of them). */
static int get_str_array(jctx *j, json_t *obj, const char *key, const char ***dst, int *count,
                         int min, const char *what, const char *expect)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v) {
		if (min > 0)
			jerr(j, NULL, -1, 0, "missing key '%s' in %s (expected %s; found none)",
			     key, what, expect);
		return 0;
	}
	if (!json_is_array(v) || (int)json_array_size(v) < min) {
		jerr(j, key, -1, 0, "wrong value for '%s' (expected %s; found %s)", key, expect,
		     json_is_array(v) ? "too few elements" : found_text(buf, sizeof(buf), v));
		return -1;
	}
	size_t n = json_array_size(v);
	const char **a = eic_arena_alloc(j->arena, sizeof(*a) * (n ? n : 1));
	if (!a) {
		j->d.oom = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);
		if (!json_is_string(e) || json_string_length(e) == 0) {
			jerr(
			    j, key, (long)i, 0,
			    "wrong type for an element of '%s' (expected a non-empty string; found "
			    "%s)",
			    key, found_text(buf, sizeof(buf), e));
			return -1;
		}
		if (!(a[i] = dup(j, json_string_value(e))))
			return -1; /* j->d.oom is set */
	}
	*dst = a;
	*count = (int)n;
	return 1;
}

static void check_keys(jctx *j, json_t *obj, const char *const *keys, const char *what)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		int known = 0;
		char expect[512] = "";
		size_t used = 0;
		for (int i = 0; keys[i]; i++) {
			known |= !strcmp(keys[i], key);
			used += (size_t)snprintf(expect + used, sizeof(expect) - used, "%s'%s'",
			                         i ? ", " : "", keys[i]);
			if (used >= sizeof(expect))
				used = sizeof(expect) - 1;
		}
		if (!known)
			jerr(j, key, -1, 1,
			     "unknown key '%s' in %s (expected one of %s; found '%s')", key, what,
			     expect, key);
	}
}

/* ---- rules --------------------------------------------------------------------------------- */

/* Keys every rule may carry, then the keys of each kind. */
#define COMMON_KEYS "id", "kind", "when_label", "note", "source"
static const char *const keys_gate[] = {COMMON_KEYS, "conditions", "match", "label", "stop", NULL};
static const char *const keys_label[] = {COMMON_KEYS, "label", "because", NULL};
static const char *const keys_points[] = {COMMON_KEYS, "input", "max_points", "table", NULL};
static const char *const keys_sum[] = {COMMON_KEYS, "terms", NULL};
static const char *const keys_maxdom[] = {COMMON_KEYS, "of", "scale", NULL};
static const char *const keys_bands[] = {COMMON_KEYS, "value", "bands", NULL};
static const char *const keys_percentile[] = {COMMON_KEYS,        "value", "best_share", "label",
                                              "higher_is_better", NULL};
static const char *const keys_requirement[] = {COMMON_KEYS, "category", "level", "text",
                                               "input",     "evidence", NULL};
static const char *const keys_verdict[] = {COMMON_KEYS, "pass_label", "fail_label", NULL};
static const char *const *const kind_keys[RK__N] = {
    keys_gate,  keys_label,      keys_points,      keys_sum,     keys_maxdom,
    keys_bands, keys_percentile, keys_requirement, keys_verdict,
};

/* A reference to a value (rule id or input name) used by rule `self` (index `self_index`):
 * a rule id must name an EARLIER rule that computes a number. `key`/`index` locate it. */
static void check_ref(jctx *j, const eic_rating_scheme *s, int self_index, const char *ref,
                      const char *key, long index)
{
	int r = eic_rating__rule_find(s, ref);
	if (r < 0)
		return; /* an input */
	const eic_rrule *t = &s->rules[r];
	if (r == self_index)
		jerr(j, key, index, 0,
		     "rule '%s' refers to itself (expected an input or an earlier rule; found "
		     "'%s')",
		     ref, ref);
	else if (r > self_index)
		jerr(j, key, index, 0,
		     "reference to rule '%s', which comes later: rules are evaluated in order, so "
		     "this is circular or out of order (expected an input or an earlier rule; "
		     "found '%s' at rule %d)",
		     ref, ref, r + 1);
	else if (t->kind != RK_POINTS && t->kind != RK_SUM && t->kind != RK_MAX_DOMINANT)
		jerr(j, key, index, 0,
		     "rule '%s' does not compute a number (expected a points, sum or "
		     "max_dominant rule or an input; found a %s rule)",
		     ref, kind_names[t->kind]);
}

static int decode_conditions(jctx *j, eic_rrule *r, json_t *arr)
{
	char buf[96];
	static const char *const cond_keys[] = {"input",    "is",      "above",   "below",
	                                        "at_least", "at_most", "because", NULL};
	static const char *const op_keys[] = {"is", "above", "below", "at_least", "at_most"};
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		jerr(
		    j, "conditions", -1, 0,
		    "wrong value for 'conditions' (expected a non-empty array of conditions; found "
		    "%s)",
		    json_is_array(arr) ? "an empty array" : found_text(buf, sizeof(buf), arr));
		return 0;
	}
	size_t n = json_array_size(arr);
	r->conds = eic_arena_alloc(j->arena, sizeof(*r->conds) * n);
	if (!r->conds)
		return EIC_ENOMEM;
	r->cond_count = (int)n;
	push(j, "conditions", 0);
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(arr, i);
		eic_rcond *cd = &r->conds[i];
		memset(cd, 0, sizeof(*cd));
		push(j, NULL, i);
		if (!json_is_object(c)) {
			jerr(j, NULL, -1, 0,
			     "wrong type for a condition (expected an object such as {\"input\": "
			     "\"compliance.water\", \"is\": false}; found %s)",
			     found_text(buf, sizeof(buf), c));
			pop(j);
			continue;
		}
		check_keys(j, c, cond_keys, "a condition");
		get_str(j, c, "input", &cd->input, "a condition", "the name of an input");
		int ops = 0;
		for (int k = 0; k < 5; k++) {
			if (!json_object_get(c, op_keys[k]))
				continue;
			ops++;
			cd->op = (eic_rop)k;
			if (k == OP_IS)
				get_bool(j, c, "is", &cd->is_value);
			else
				get_num(j, c, op_keys[k], &cd->threshold, -HUGE_VAL, HUGE_VAL,
				        "a finite number", 0, "a condition");
		}
		if (ops != 1)
			jerr(j, NULL, -1, 0,
			     "a condition needs exactly one test (expected one of 'is', 'above', "
			     "'below', 'at_least', 'at_most'; found %d)",
			     ops);
		cd->because = NULL;
		get_str(j, c, "because", &cd->because, "a condition", NULL);
		if (!cd->because && cd->input && ops == 1) {
			char text[256];
			static const char *const words[] = {"is", "above", "below", "at least",
			                                    "at most"};
			if (cd->op == OP_IS)
				snprintf(text, sizeof(text), "%s is %s", cd->input,
				         cd->is_value ? "true" : "false");
			else {
				char num[40];
				eic_fmt_double(num, sizeof(num), cd->threshold);
				snprintf(text, sizeof(text), "%s %s %s", cd->input, words[cd->op],
				         num);
			}
			cd->because = dup(j, text);
		}
		if (!cd->because)
			cd->because = "";
		pop(j);
	}
	pop(j);
	return j->d.oom ? EIC_ENOMEM : 0;
}

static int decode_table(jctx *j, eic_rrule *r, json_t *arr)
{
	char buf[96];
	static const char *const step_keys[] = {"at_least", "points", NULL};
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		jerr(j, "table", -1, 0,
		     "wrong value for 'table' (expected a non-empty array of {\"at_least\", "
		     "\"points\"}; found %s)",
		     json_is_array(arr) ? "an empty array" : found_text(buf, sizeof(buf), arr));
		return 0;
	}
	size_t n = json_array_size(arr);
	r->steps = eic_arena_alloc(j->arena, sizeof(*r->steps) * n);
	if (!r->steps)
		return EIC_ENOMEM;
	r->step_count = (int)n;
	push(j, "table", 0);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		push(j, NULL, i);
		if (!json_is_object(e)) {
			jerr(j, NULL, -1, 0,
			     "wrong type for a table row (expected an object {\"at_least\": x, "
			     "\"points\": p}; found %s)",
			     found_text(buf, sizeof(buf), e));
			pop(j);
			continue;
		}
		check_keys(j, e, step_keys, "a table row");
		const char *fin = "a finite number";
		get_num(j, e, "at_least", &r->steps[i].at_least, -HUGE_VAL, HUGE_VAL, fin, 1,
		        "a table row");
		get_num(j, e, "points", &r->steps[i].points, -HUGE_VAL, HUGE_VAL, fin, 1,
		        "a table row");
		if (i > 0 && !(r->steps[i].at_least > r->steps[i - 1].at_least)) {
			char a[40], b[40];
			eic_fmt_double(a, sizeof(a), r->steps[i - 1].at_least);
			eic_fmt_double(b, sizeof(b), r->steps[i].at_least);
			jerr(j, "at_least", -1, 0,
			     "table rows out of order (expected 'at_least' above %s, the row "
			     "before; found %s)",
			     a, b);
		}
		pop(j);
	}
	pop(j);
	return 0;
}

static int decode_terms(jctx *j, const eic_rating_scheme *s, int self, eic_rrule *r, json_t *arr)
{
	char buf[96];
	static const char *const term_keys[] = {"ref", "product", "weight", NULL};
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		jerr(j, "terms", -1, 0,
		     "wrong value for 'terms' (expected a non-empty array of terms; found %s)",
		     json_is_array(arr) ? "an empty array" : found_text(buf, sizeof(buf), arr));
		return 0;
	}
	size_t n = json_array_size(arr);
	r->terms = eic_arena_alloc(j->arena, sizeof(*r->terms) * n);
	if (!r->terms)
		return EIC_ENOMEM;
	r->term_count = (int)n;
	push(j, "terms", 0);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		eic_rterm *t = &r->terms[i];
		memset(t, 0, sizeof(*t));
		t->weight = 1.0;
		push(j, NULL, i);
		if (!json_is_object(e)) {
			jerr(j, NULL, -1, 0,
			     "wrong type for a term (expected an object {\"ref\": name} or "
			     "{\"product\": [names]}; found %s)",
			     found_text(buf, sizeof(buf), e));
			pop(j);
			continue;
		}
		check_keys(j, e, term_keys, "a term");
		int has_ref = json_object_get(e, "ref") != NULL;
		int has_prod = json_object_get(e, "product") != NULL;
		if (has_ref == has_prod) {
			jerr(j, NULL, -1, 0,
			     "a term needs exactly one of 'ref' and 'product' (expected one; found "
			     "%d)",
			     has_ref + has_prod);
		} else if (has_ref) {
			t->refs = eic_arena_alloc(j->arena, sizeof(*t->refs));
			if (!t->refs)
				return EIC_ENOMEM;
			if (get_str(j, e, "ref", &t->refs[0], "a term", NULL) == 1) {
				t->ref_count = 1;
				check_ref(j, s, self, t->refs[0], "ref", -1);
			}
		} else if (get_str_array(j, e, "product", &t->refs, &t->ref_count, 1, "a term",
		                         "a non-empty array of names") == 1) {
			for (int k = 0; k < t->ref_count; k++)
				check_ref(j, s, self, t->refs[k], "product", k);
		}
		get_num(j, e, "weight", &t->weight, -HUGE_VAL, HUGE_VAL, "a finite number", 0,
		        "a term");
		pop(j);
	}
	pop(j);
	return j->d.oom ? EIC_ENOMEM : 0;
}

static int decode_bands(jctx *j, eic_rrule *r, json_t *arr)
{
	char buf[96];
	static const char *const band_keys[] = {"at_least", "label", NULL};
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		jerr(j, "bands", -1, 0,
		     "wrong value for 'bands' (expected a non-empty array of {\"at_least\", "
		     "\"label\"}; found %s)",
		     json_is_array(arr) ? "an empty array" : found_text(buf, sizeof(buf), arr));
		return 0;
	}
	size_t n = json_array_size(arr);
	r->bands = eic_arena_alloc(j->arena, sizeof(*r->bands) * n);
	if (!r->bands)
		return EIC_ENOMEM;
	r->band_count = (int)n;
	push(j, "bands", 0);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		eic_rband *b = &r->bands[i];
		memset(b, 0, sizeof(*b));
		push(j, NULL, i);
		if (!json_is_object(e)) {
			jerr(j, NULL, -1, 0,
			     "wrong type for a band (expected an object {\"at_least\": x, "
			     "\"label\": "
			     "name}; found %s)",
			     found_text(buf, sizeof(buf), e));
			pop(j);
			continue;
		}
		check_keys(j, e, band_keys, "a band");
		get_str(j, e, "label", &b->label, "a band", "the label given by the band");
		b->has_at_least = get_num(j, e, "at_least", &b->at_least, -HUGE_VAL, HUGE_VAL,
		                          "a finite number", 0, "a band") == 1;
		if (!json_object_get(e, "at_least") && i + 1 < n)
			jerr(j, NULL, -1, 0,
			     "only the last band may leave out 'at_least' (expected 'at_least' in "
			     "band %zu of %zu; found none)",
			     i + 1, n);
		if (i > 0 && b->has_at_least && r->bands[i - 1].has_at_least &&
		    !(b->at_least < r->bands[i - 1].at_least)) {
			char a[40], c[40];
			eic_fmt_double(a, sizeof(a), r->bands[i - 1].at_least);
			eic_fmt_double(c, sizeof(c), b->at_least);
			jerr(j, "at_least", -1, 0,
			     "bands out of order: highest first (expected 'at_least' below %s, the "
			     "band before; found %s)",
			     a, c);
		}
		pop(j);
	}
	pop(j);
	return 0;
}

/* Decode rule `index` (object `obj`) into s->rules[index]. Problems are counted in j. */
static int decode_rule(jctx *j, eic_rating_scheme *s, int index, json_t *obj)
{
	eic_rrule *r = &s->rules[index];
	char buf[96];
	int rc;
	const char *what = "a rule";
	memset(r, 0, sizeof(*r));
	r->stop = 1;
	r->scale = 100.0;
	r->higher_is_better = 1;
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0, "wrong type for a rule (expected an object; found %s)",
		     found_text(buf, sizeof(buf), obj));
		return 0;
	}
	const char *kind = NULL;
	get_str(j, obj, "id", &r->id, what, "a unique short name such as \"water_compliance\"");
	if (get_str(j, obj, "kind", &kind, what,
	            "one of gate, label, points, sum, max_dominant, bands, percentile, "
	            "requirement, verdict") != 1)
		return j->d.oom ? EIC_ENOMEM : 0;
	int k = 0;
	while (k < RK__N && strcmp(kind_names[k], kind))
		k++;
	if (k == RK__N) {
		jerr(j, "kind", -1, 0,
		     "unknown rule kind (expected one of gate, label, points, sum, max_dominant, "
		     "bands, percentile, requirement, verdict; found \"%s\")",
		     kind);
		return 0;
	}
	r->kind = (eic_rk)k;
	check_keys(j, obj, kind_keys[k], "this rule");
	get_str_array(j, obj, "when_label", &r->when_label, &r->when_count, 0, what,
	              "an array of labels");
	if (r->when_label && r->when_count == 0)
		jerr(j, "when_label", -1, 0,
		     "wrong value for 'when_label' (expected at least one label; found an empty "
		     "array)");
	switch (r->kind) {
	case RK_GATE: {
		static const char *const matches[] = {"any", "all"};
		const char *m = NULL;
		get_str(j, obj, "label", &r->label, "a gate", "the label the gate gives");
		json_t *c = json_object_get(obj, "conditions");
		if (!c)
			jerr(j, NULL, -1, 0,
			     "missing key 'conditions' in a gate (expected a non-empty array of "
			     "conditions; found none)");
		else if ((rc = decode_conditions(j, r, c)) < 0)
			return rc;
		if (get_str(j, obj, "match", &m, "a gate", NULL) == 1) {
			if (!strcmp(m, matches[1]))
				r->match_all = 1;
			else if (strcmp(m, matches[0]))
				jerr(
				    j, "match", -1, 0,
				    "unknown value for 'match' (expected \"any\" or \"all\"; found "
				    "\"%s\")",
				    m);
		}
		get_bool(j, obj, "stop", &r->stop);
		break;
	}
	case RK_LABEL:
		get_str(j, obj, "label", &r->label, "a label rule", "the label to give");
		get_str(j, obj, "because", &r->because, what, NULL);
		break;
	case RK_POINTS: {
		get_str(j, obj, "input", &r->input, "a points rule", "the name of an input");
		json_t *t = json_object_get(obj, "table");
		r->has_max = get_num(j, obj, "max_points", &r->max_points, 0, HUGE_VAL,
		                     "a number of points of at least 0", 0, what) == 1;
		if (!t == !json_object_get(obj, "max_points"))
			jerr(
			    j, NULL, -1, 0,
			    "a points rule needs exactly one of 'max_points' and 'table' (expected "
			    "one; found %s)",
			    t ? "both" : "neither");
		else if (t && (rc = decode_table(j, r, t)) < 0)
			return rc;
		if (r->input && eic_rating__rule_find(s, r->input) >= 0)
			jerr(j, "input", -1, 0,
			     "'input' names a rule (expected the name of an input, not a rule id; "
			     "found '%s')",
			     r->input);
		break;
	}
	case RK_SUM: {
		json_t *t = json_object_get(obj, "terms");
		if (!t)
			jerr(j, NULL, -1, 0,
			     "missing key 'terms' in a sum (expected a non-empty array of terms; "
			     "found none)");
		else if ((rc = decode_terms(j, s, index, r, t)) < 0)
			return rc;
		break;
	}
	case RK_MAX_DOMINANT:
		if (get_str_array(j, obj, "of", &r->of, &r->of_count, 2, "a max_dominant rule",
		                  "an array of at least two names of sub-indices") == 1)
			for (int i = 0; i < r->of_count; i++)
				check_ref(j, s, index, r->of[i], "of", i);
		get_num(j, obj, "scale", &r->scale, 1e-300, HUGE_VAL, "a number above 0", 0, what);
		break;
	case RK_BANDS: {
		if (get_str(j, obj, "value", &r->value, "a bands rule",
		            "the name of the value to band") == 1)
			check_ref(j, s, index, r->value, "value", -1);
		json_t *b = json_object_get(obj, "bands");
		if (!b)
			jerr(j, NULL, -1, 0,
			     "missing key 'bands' in a bands rule (expected a non-empty array of "
			     "bands; found none)");
		else if ((rc = decode_bands(j, r, b)) < 0)
			return rc;
		break;
	}
	case RK_PERCENTILE:
		if (get_str(j, obj, "value", &r->value, "a percentile rule",
		            "the name of the value to rank by") == 1)
			check_ref(j, s, index, r->value, "value", -1);
		get_num(j, obj, "best_share", &r->best_share, 1e-12, 1,
		        "a share above 0, at most 1 (0.1 = the best 10 %)", 1, "a percentile rule");
		get_str(j, obj, "label", &r->label, "a percentile rule",
		        "the label given to the best");
		get_bool(j, obj, "higher_is_better", &r->higher_is_better);
		break;
	case RK_REQUIREMENT: {
		const char *lvl = NULL;
		get_str(j, obj, "category", &r->category, "a requirement",
		        "a category such as \"environment\"");
		get_str(j, obj, "text", &r->text, "a requirement", "what is required, in words");
		get_str(j, obj, "input", &r->input, "a requirement",
		        "the name of a true/false input");
		if (get_str(j, obj, "level", &lvl, "a requirement",
		            "\"prerequisite\" or \"performance\"") == 1) {
			if (strcmp(lvl, "prerequisite") && strcmp(lvl, "performance"))
				jerr(j, "level", -1, 0,
				     "unknown value for 'level' (expected \"prerequisite\" or "
				     "\"performance\"; found \"%s\")",
				     lvl);
			r->level = lvl;
		}
		if (get_str(j, obj, "evidence", &r->evidence, what, NULL) == 0 && r->input) {
			char name[512];
			snprintf(name, sizeof(name), "%s.evidence", r->input);
			r->evidence = dup(j, name);
		}
		break;
	}
	case RK_VERDICT:
		get_str(j, obj, "pass_label", &r->pass_label, "a verdict",
		        "the label when all pass");
		get_str(j, obj, "fail_label", &r->fail_label, "a verdict",
		        "the label when any fails");
		break;
	default:
		break;
	}
	return j->d.oom ? EIC_ENOMEM : 0;
}

static int decode_scheme(jctx *j, eic_rating_scheme *s, json_t *root)
{
	static const char *const top_keys[] = {"id",    "name",  "source",  "status",
	                                       "notes", "rules", "version", NULL};
	char buf[96];
	int rc;
	check_keys(j, root, top_keys, "the scheme");
	get_str(j, root, "id", &s->id, "the scheme", "a short name such as \"proper\"");
	get_str(j, root, "name", &s->name, "the scheme", NULL);
	get_str(j, root, "source", &s->source, "the scheme", NULL);
	json_t *rules = json_object_get(root, "rules");
	if (!rules) {
		jerr(
		    j, NULL, -1, 0,
		    "missing key 'rules' in the scheme (expected a non-empty array of rules; found "
		    "none)");
		return 0;
	}
	if (!json_is_array(rules) || json_array_size(rules) == 0 ||
	    json_array_size(rules) > MAX_RULES) {
		jerr(j, "rules", -1, 0,
		     "wrong value for 'rules' (expected an array of 1 to %d rules; found %s)",
		     MAX_RULES,
		     json_is_array(rules) ? (json_array_size(rules) ? "too many" : "an empty array")
		                          : found_text(buf, sizeof(buf), rules));
		return 0;
	}
	size_t n = json_array_size(rules);
	s->rules = eic_arena_alloc(&s->arena, sizeof(*s->rules) * n);
	if (!s->rules)
		return EIC_ENOMEM;
	s->rule_count = (int)n;
	/* ids first, so references to later rules are told apart from inputs */
	push(j, "rules", 0);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(rules, i);
		json_t *id = json_is_object(r) ? json_object_get(r, "id") : NULL;
		if (!id || !json_is_string(id) || json_string_length(id) == 0)
			continue;
		const char *copy = dup(j, json_string_value(id));
		if (!copy)
			return EIC_ENOMEM;
		size_t prev;
		if (eic_map_get(&s->rule_index, copy, &prev)) {
			push(j, NULL, i);
			jerr(j, "id", -1, 0,
			     "duplicate rule id '%s' (expected a unique id; found it also at rule "
			     "%zu)",
			     copy, prev + 1);
			pop(j);
			continue;
		}
		if (eic_map_put(&s->rule_index, copy, i) < 0)
			return EIC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		push(j, NULL, i);
		rc = decode_rule(j, s, (int)i, json_array_get(rules, i));
		pop(j);
		if (rc < 0)
			return rc;
	}
	pop(j);
	return j->d.oom ? EIC_ENOMEM : 0;
}

void eic_rating_scheme_free(eic_rating_scheme *scheme)
{
	if (!scheme)
		return;
	eic_map_free(&scheme->rule_index);
	eic_arena_clear(&scheme->arena);
	eic_free(scheme);
}

int eic_rating_scheme_load_buffer(eic_rating_scheme **out, eic_diags *diags, const char *name,
                                  const char *data, size_t size)
{
	eic_rating_scheme *s = NULL;
	json_t *root = NULL;
	int rc;
	if (!out || !diags || !name || (!data && size > 0))
		return EIC_EINVAL;
	*out = NULL;
	if ((rc = eic_io__json_object_doc(&root, diags, name, data, size, "scheme")) < 0)
		goto done;
	s = eic_calloc(1, sizeof(*s));
	if (!s) {
		rc = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&s->arena);
	eic_map_init(&s->rule_index);
	s->id = s->name = s->source = "";
	jctx j;
	memset(&j, 0, sizeof(j));
	eic_io__jdec_init(&j.d, diags, name, data, size);
	j.arena = &s->arena;
	if ((rc = decode_scheme(&j, s, root)) < 0)
		goto done;
	if ((rc = eic_io__jdec_status(&j.d)) < 0)
		goto done;
	*out = s;
	s = NULL;
	rc = 0;
done:
	json_decref(root);
	eic_rating_scheme_free(s);
	return rc;
}

int eic_rating_scheme_load(eic_rating_scheme **out, eic_diags *diags, const char *path)
{
	if (!out || !diags || !path)
		return EIC_EINVAL;
	*out = NULL;
	eic_buf b = EIC_BUF_INIT;
	int rc = eic_io__read_file(&b, diags, path, MAX_SCHEME_BYTES, "rating scheme file");
	if (!rc)
		rc = eic_rating_scheme_load_buffer(out, diags, path, b.data ? b.data : "", b.len);
	eic_buf_free(&b);
	return rc;
}

const char *eic_rating_scheme_id(const eic_rating_scheme *scheme)
{
	return scheme && scheme->id ? scheme->id : "";
}

const char *eic_rating_scheme_name(const eic_rating_scheme *scheme)
{
	return scheme && scheme->name ? scheme->name : "";
}

const char *eic_rating_scheme_source(const eic_rating_scheme *scheme)
{
	return scheme && scheme->source ? scheme->source : "";
}

size_t eic_rating_scheme_rule_count(const eic_rating_scheme *scheme)
{
	return scheme ? (size_t)scheme->rule_count : 0;
}
