/* credit_rules.c: reads a credit rules file (JSON, docs/rating.md "Credit linkage") with Jansson,
 * checking every key, type and table, and refusing circular rule references, at line:column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "credit_private.h"
#include "lib/io/io_internal.h"

#define MAX_RULES_BYTES ((size_t)4 * 1024 * 1024)
#define MAX_RULES 10000
#define MAX_PP 100.0    /* a discount above 100 percentage points is a typo */
#define MAX_TENOR 100.0 /* years */

typedef struct {
	eic_jdec d;
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

/* A non-empty string at obj[key]. Returns 1 given, 0 absent (error when `expect` is set),
 * -1 wrong. */
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
		return -1;
	*dst = copy;
	return 1;
}

static int get_num(jctx *j, json_t *obj, const char *key, double *dst, double lo, double hi,
                   const char *expect)
{
	return eic_io__jdec_num(&j->d, obj, key, dst, lo, hi, expect);
}

/* The terms keys shared by a rule and the default table. */
static void decode_terms(jctx *j, json_t *obj, eic_crule *r, const char *what)
{
	json_t *e = json_object_get(obj, "eligible");
	if (!e)
		jerr(j, NULL, -1, 0,
		     "missing key 'eligible' in %s (expected true or false; found none)", what);
	else
		eic_io__jdec_bool(&j->d, obj, "eligible", &r->eligible);
	get_num(j, obj, "rate_discount_pp", &r->rate_discount_pp, 0.0, MAX_PP,
	        "percentage points from 0 to 100");
	get_num(j, obj, "guarantee_share", &r->guarantee_share, 0.0, 1.0, "a share from 0 to 1");
	get_num(j, obj, "max_tenor_years", &r->max_tenor_years, 0.0, MAX_TENOR,
	        "years from 0 to 100");
	const char *because = NULL;
	if (get_str(j, obj, "because", &because, what, NULL) == 1)
		r->because = because;
}

static void init_rule(eic_crule *r)
{
	memset(r, 0, sizeof(*r));
	r->because = "";
	r->rate_discount_pp = NAN;
	r->guarantee_share = NAN;
	r->max_tenor_years = NAN;
}

static int decode_condition(jctx *j, const eic_credit_rules *s, eic_ccond *c, json_t *obj)
{
	static const char *const keys[] = {"rating",   "label",   "indicator", "above", "below",
	                                   "at_least", "at_most", "rule",      "is",    NULL};
	static const char *const op_keys[] = {"above", "below", "at_least", "at_most"};
	char buf[96];
	memset(c, 0, sizeof(*c));
	c->rule_index = -1;
	c->is_value = 1;
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0,
		     "wrong type for a condition (expected an object such as {\"rating\": "
		     "\"proper\", \"label\": [\"green\"]}; found %s)",
		     found_text(buf, sizeof(buf), obj));
		return 0;
	}
	check_keys(j, obj, keys, "a condition");
	int has_rating = json_object_get(obj, "rating") != NULL;
	int has_ind = json_object_get(obj, "indicator") != NULL;
	int has_rule = json_object_get(obj, "rule") != NULL;
	if (has_rating + has_ind + has_rule != 1) {
		jerr(j, NULL, -1, 0,
		     "a condition needs exactly one of 'rating', 'indicator' and 'rule' (expected "
		     "one; found %d)",
		     has_rating + has_ind + has_rule);
		return 0;
	}
	if (has_rating) {
		c->kind = CC_RATING;
		get_str(j, obj, "rating", &c->name, "a condition", NULL);
		json_t *l = json_object_get(obj, "label");
		if (!l) {
			jerr(j, NULL, -1, 0,
			     "missing key 'label' in a rating condition (expected an array of "
			     "labels such as [\"gold\", \"green\"]; found none)");
			return 0;
		}
		if (!json_is_array(l) || json_array_size(l) == 0) {
			jerr(j, "label", -1, 0,
			     "wrong value for 'label' (expected a non-empty array of labels; "
			     "found %s)",
			     json_is_array(l) ? "an empty array" : found_text(buf, sizeof(buf), l));
			return 0;
		}
		size_t n = json_array_size(l);
		c->labels = eic_arena_alloc(j->arena, sizeof(*c->labels) * n);
		if (!c->labels)
			return EIC_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_array_get(l, i);
			if (!json_is_string(e) || json_string_length(e) == 0) {
				jerr(j, "label", (long)i, 0,
				     "wrong type for a label (expected a non-empty string; found "
				     "%s)",
				     found_text(buf, sizeof(buf), e));
				continue;
			}
			if (!(c->labels[c->label_count++] = dup(j, json_string_value(e))))
				return EIC_ENOMEM;
		}
	} else if (has_ind) {
		c->kind = CC_INDICATOR;
		get_str(j, obj, "indicator", &c->name, "a condition", NULL);
		int ops = 0;
		for (int k = 0; k < 4; k++) {
			if (!json_object_get(obj, op_keys[k]))
				continue;
			ops++;
			c->op = (eic_cop)k;
			get_num(j, obj, op_keys[k], &c->threshold, -HUGE_VAL, HUGE_VAL,
			        "a finite number");
		}
		if (ops != 1)
			jerr(j, NULL, -1, 0,
			     "an indicator condition needs exactly one test (expected one of "
			     "'above', 'below', 'at_least', 'at_most'; found %d)",
			     ops);
	} else {
		c->kind = CC_RULE;
		if (get_str(j, obj, "rule", &c->name, "a condition", NULL) == 1) {
			size_t idx;
			if (eic_map_get(&s->rule_index, c->name, &idx))
				c->rule_index = (int)idx;
			else
				jerr(j, "rule", -1, 0,
				     "reference to an unknown rule '%s' (expected the id of a rule "
				     "in this file; found '%s')",
				     c->name, c->name);
		}
		eic_io__jdec_bool(&j->d, obj, "is", &c->is_value);
	}
	if (!has_rating && json_object_get(obj, "label"))
		jerr(j, "label", -1, 1,
		     "'label' belongs to a rating condition (expected it with 'rating'; found it "
		     "without)");
	if (!has_rule && json_object_get(obj, "is"))
		jerr(
		    j, "is", -1, 1,
		    "'is' belongs to a rule condition (expected it with 'rule'; found it without)");
	return j->d.oom ? EIC_ENOMEM : 0;
}

static int decode_rule(jctx *j, eic_credit_rules *s, eic_crule *r, json_t *obj)
{
	static const char *const keys[] = {"id",
	                                   "when",
	                                   "match",
	                                   "eligible",
	                                   "rate_discount_pp",
	                                   "guarantee_share",
	                                   "max_tenor_years",
	                                   "because",
	                                   "note",
	                                   "source",
	                                   NULL};
	char buf[96];
	int rc;
	init_rule(r);
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0, "wrong type for a rule (expected an object; found %s)",
		     found_text(buf, sizeof(buf), obj));
		return 0;
	}
	check_keys(j, obj, keys, "a rule");
	get_str(j, obj, "id", &r->id, "a rule", "a unique short name such as \"proper_green\"");
	decode_terms(j, obj, r, "a rule");
	const char *m = NULL;
	if (get_str(j, obj, "match", &m, "a rule", NULL) == 1) {
		if (!strcmp(m, "any"))
			r->match_any = 1;
		else if (strcmp(m, "all"))
			jerr(
			    j, "match", -1, 0,
			    "unknown value for 'match' (expected \"all\" or \"any\"; found \"%s\")",
			    m);
	}
	json_t *when = json_object_get(obj, "when");
	if (!when)
		return j->d.oom ? EIC_ENOMEM : 0; /* no conditions: always matches */
	if (!json_is_array(when)) {
		jerr(j, "when", -1, 0,
		     "wrong type for 'when' (expected an array of conditions; found %s)",
		     found_text(buf, sizeof(buf), when));
		return 0;
	}
	size_t n = json_array_size(when);
	if (n == 0)
		return 0;
	r->conds = eic_arena_alloc(j->arena, sizeof(*r->conds) * n);
	if (!r->conds)
		return EIC_ENOMEM;
	r->cond_count = (int)n;
	push(j, "when", 0);
	for (size_t i = 0; i < n; i++) {
		push(j, NULL, i);
		rc = decode_condition(j, s, &r->conds[i], json_array_get(when, i));
		pop(j);
		if (rc < 0)
			return rc;
	}
	pop(j);
	return j->d.oom ? EIC_ENOMEM : 0;
}

/* ---- circular references ------------------------------------------------------------------ */

/*
 * Depth-first search over the rule references (a rule condition points to another rule).
 * A reference to a rule on the current path closes a cycle: it is reported at that reference
 * with the cycle spelt out. colour: 0 not seen, 1 on the path, 2 done. O(rules + references).
 */
static void find_cycles(jctx *j, const eic_credit_rules *s, int start, unsigned char *colour,
                        int *path_rule, int *path_cond)
{
	int depth = 0;
	path_rule[0] = start;
	path_cond[0] = -1;
	colour[start] = 1;
	while (depth >= 0) {
		int r = path_rule[depth];
		int c = ++path_cond[depth];
		const eic_crule *rule = &s->rules[r];
		if (c >= rule->cond_count) {
			colour[r] = 2;
			depth--;
			continue;
		}
		const eic_ccond *cd = &rule->conds[c];
		if (cd->kind != CC_RULE || cd->rule_index < 0)
			continue;
		int t = cd->rule_index;
		if (colour[t] == 2)
			continue;
		if (colour[t] == 1) {
			char chain[512];
			size_t used = 0;
			int from = 0;
			while (path_rule[from] != t)
				from++;
			for (int k = from; k <= depth && used < sizeof(chain); k++)
				used += (size_t)snprintf(chain + used, sizeof(chain) - used,
				                         "'%s' -> ", s->rules[path_rule[k]].id);
			if (used < sizeof(chain))
				snprintf(chain + used, sizeof(chain) - used, "'%s'",
				         s->rules[t].id);
			int saved = j->d.depth;
			j->d.depth = 0;
			push(j, "rules", 0);
			push(j, NULL, (size_t)r);
			push(j, "when", 0);
			push(j, NULL, (size_t)c);
			jerr(j, "rule", -1, 0,
			     "circular rule reference %s (expected a reference to a rule that does "
			     "not lead back to '%s'; found '%s')",
			     chain, rule->id, cd->name);
			j->d.depth = saved;
			continue;
		}
		colour[t] = 1;
		depth++;
		path_rule[depth] = t;
		path_cond[depth] = -1;
	}
}

static int check_cycles(jctx *j, const eic_credit_rules *s)
{
	size_t n = (size_t)s->rule_count;
	unsigned char *colour = eic_calloc(n ? n : 1, 1);
	int *path_rule = eic_malloc(sizeof(int) * (n ? n : 1));
	int *path_cond = eic_malloc(sizeof(int) * (n ? n : 1));
	int rc = 0;
	if (!colour || !path_rule || !path_cond) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (colour[i] == 0)
			find_cycles(j, s, (int)i, colour, path_rule, path_cond);
done:
	eic_free(colour);
	eic_free(path_rule);
	eic_free(path_cond);
	return rc;
}

/* ---- the document ------------------------------------------------------------------------- */

static void missing_table(jctx *j, const char *key, const char *expect)
{
	jerr(j, NULL, -1, 0, "missing table '%s' in the rules file (expected %s; found none)", key,
	     expect);
}

static int decode_rules_doc(jctx *j, eic_credit_rules *s, json_t *root)
{
	static const char *const top_keys[] = {"id",     "name",    "source", "status",
	                                       "notes",  "version", "mode",   "default",
	                                       "limits", "rules",   NULL};
	static const char *const limit_keys[] = {"max_rate_discount_pp", "max_guarantee_share",
	                                         "max_tenor_years", "note", NULL};
	static const char *const default_keys[] = {
	    "eligible", "rate_discount_pp", "guarantee_share", "max_tenor_years", "because", "note",
	    NULL};
	char buf[96];
	int rc;
	check_keys(j, root, top_keys, "the rules file");
	get_str(j, root, "id", &s->id, "the rules file", "a short name such as \"green_credit\"");
	get_str(j, root, "name", &s->name, "the rules file", NULL);
	get_str(j, root, "source", &s->source, "the rules file", NULL);
	const char *mode = NULL;
	if (get_str(j, root, "mode", &mode, "the rules file",
	            "\"first_match\" or \"cumulative\"") == 1) {
		if (!strcmp(mode, "cumulative"))
			s->cumulative = 1;
		else if (strcmp(mode, "first_match"))
			jerr(
			    j, "mode", -1, 0,
			    "unknown value for 'mode' (expected \"first_match\" or \"cumulative\"; "
			    "found \"%s\")",
			    mode);
	}
	/* default terms */
	init_rule(&s->fallback);
	s->fallback.id = "default";
	json_t *def = json_object_get(root, "default");
	if (!def)
		missing_table(j, "default",
		              "an object with the terms when no rule matches, such as "
		              "{\"eligible\": false}");
	else if (!json_is_object(def))
		jerr(j, "default", -1, 0, "wrong type for 'default' (expected an object; found %s)",
		     found_text(buf, sizeof(buf), def));
	else {
		push(j, "default", 0);
		check_keys(j, def, default_keys, "the default terms");
		decode_terms(j, def, &s->fallback, "the default terms");
		pop(j);
	}
	/* limits */
	s->max_tenor_years = NAN;
	json_t *lim = json_object_get(root, "limits");
	if (!lim)
		missing_table(
		    j, "limits",
		    "an object {\"max_rate_discount_pp\": x, \"max_guarantee_share\": y}");
	else if (!json_is_object(lim))
		jerr(j, "limits", -1, 0, "wrong type for 'limits' (expected an object; found %s)",
		     found_text(buf, sizeof(buf), lim));
	else {
		push(j, "limits", 0);
		check_keys(j, lim, limit_keys, "the limits");
		if (!json_object_get(lim, "max_rate_discount_pp"))
			jerr(
			    j, NULL, -1, 0,
			    "missing key 'max_rate_discount_pp' in the limits (expected percentage "
			    "points from 0 to 100; found none)");
		if (!json_object_get(lim, "max_guarantee_share"))
			jerr(j, NULL, -1, 0,
			     "missing key 'max_guarantee_share' in the limits (expected a share "
			     "from "
			     "0 to 1; found none)");
		get_num(j, lim, "max_rate_discount_pp", &s->max_rate_discount_pp, 0.0, MAX_PP,
		        "percentage points from 0 to 100");
		get_num(j, lim, "max_guarantee_share", &s->max_guarantee_share, 0.0, 1.0,
		        "a share from 0 to 1");
		get_num(j, lim, "max_tenor_years", &s->max_tenor_years, 0.0, MAX_TENOR,
		        "years from 0 to 100");
		pop(j);
	}
	/* rules */
	json_t *rules = json_object_get(root, "rules");
	if (!rules) {
		missing_table(j, "rules", "an array of 1 to 10000 rules");
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
	push(j, "rules", 0);
	/* ids first, so that references to later rules resolve */
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
		rc = decode_rule(j, s, &s->rules[i], json_array_get(rules, i));
		pop(j);
		if (rc < 0)
			return rc;
	}
	pop(j);
	if (j->d.errors == 0 && (rc = check_cycles(j, s)) < 0)
		return rc;
	return j->d.oom ? EIC_ENOMEM : 0;
}

int eic_credit_rules_load_buffer(eic_credit_rules **out, eic_diags *diags, const char *name,
                                 const char *data, size_t size)
{
	eic_credit_rules *s = NULL;
	json_t *root = NULL;
	int rc;
	if (!out || !diags || !name || (!data && size > 0))
		return EIC_EINVAL;
	*out = NULL;
	if ((rc = eic_io__json_object_doc(&root, diags, name, data, size, "rules file")) < 0)
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
	if ((rc = decode_rules_doc(&j, s, root)) < 0)
		goto done;
	if ((rc = eic_io__jdec_status(&j.d)) < 0)
		goto done;
	*out = s;
	s = NULL;
	rc = 0;
done:
	json_decref(root);
	eic_credit_rules_free(s);
	return rc;
}

int eic_credit_rules_load(eic_credit_rules **out, eic_diags *diags, const char *path)
{
	if (!out || !diags || !path)
		return EIC_EINVAL;
	*out = NULL;
	eic_buf b = EIC_BUF_INIT;
	int rc = eic_io__read_file(&b, diags, path, MAX_RULES_BYTES, "credit rules file");
	if (!rc)
		rc = eic_credit_rules_load_buffer(out, diags, path, b.data ? b.data : "", b.len);
	eic_buf_free(&b);
	return rc;
}

void eic_credit_rules_free(eic_credit_rules *rules)
{
	if (!rules)
		return;
	eic_map_free(&rules->rule_index);
	eic_arena_clear(&rules->arena);
	eic_free(rules);
}

const char *eic_credit_rules_id(const eic_credit_rules *rules)
{
	return rules && rules->id ? rules->id : "";
}

const char *eic_credit_rules_name(const eic_credit_rules *rules)
{
	return rules && rules->name ? rules->name : "";
}

const char *eic_credit_rules_source(const eic_credit_rules *rules)
{
	return rules && rules->source ? rules->source : "";
}

int eic_credit_rules_cumulative(const eic_credit_rules *rules)
{
	return rules ? rules->cumulative : 0;
}

size_t eic_credit_rules_count(const eic_credit_rules *rules)
{
	return rules ? (size_t)rules->rule_count : 0;
}
