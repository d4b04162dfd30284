/* reconcile_problem.c: the reconciliation problem: variables and equations built through the
 * API, from a cluster's flows (one balance per process) or from a standalone JSON file. */
#include "mfa_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int eic_reconcile_problem_new(eic_reconcile_problem **out)
{
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	eic_reconcile_problem *p = eic_calloc(1, sizeof(*p));
	if (!p)
		return EIC_ENOMEM;
	eic_arena_init(&p->arena);
	eic_vec_init(&p->vars, sizeof(eic_mfa__var));
	eic_vec_init(&p->terms, sizeof(eic_reconcile_term));
	eic_vec_init(&p->eqs, sizeof(eic_mfa__eq));
	eic_vec_init(&p->notes, sizeof(const char *));
	eic_map_init(&p->ids);
	*out = p;
	return 0;
}

void eic_reconcile_problem_free(eic_reconcile_problem *p)
{
	if (!p)
		return;
	eic_vec_free(&p->vars);
	eic_vec_free(&p->terms);
	eic_vec_free(&p->eqs);
	eic_vec_free(&p->notes);
	eic_map_free(&p->ids);
	eic_arena_clear(&p->arena);
	eic_free(p);
}

int eic_mfa__problem_note(eic_reconcile_problem *p, const char *fmt, ...)
{
	eic_buf buf = EIC_BUF_INIT;
	va_list ap;
	int error = 0;
	va_start(ap, fmt);
	eic_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	char *copy = buf.failed ? NULL : eic_arena_strdup(&p->arena, buf.data ? buf.data : "");
	if (!copy || !eic_vec_push(&p->notes, &copy))
		error = EIC_ENOMEM;
	eic_buf_free(&buf);
	return error;
}

int eic_reconcile_problem_add_variable(eic_reconcile_problem *p, size_t *out_index, const char *id,
                                       double value, double sd)
{
	if (!p || eic_str_empty(id) || isinf(value) || isinf(sd) || sd < 0.0)
		return EIC_EINVAL;
	if (p->vars.len >= EIC_MFA_MAX_VARIABLES)
		return EIC_ENOMEM;
	size_t existing;
	if (eic_map_get(&p->ids, id, &existing))
		return EIC_EEXISTS;
	eic_mfa__var v;
	v.id = eic_arena_strdup(&p->arena, id);
	v.value = value;
	v.sd = isnan(value) ? NAN : sd;
	v.start = 1.0;
	if (!v.id || eic_map_put(&p->ids, v.id, p->vars.len) < 0)
		return EIC_ENOMEM;
	if (!eic_vec_push(&p->vars, &v))
		return EIC_ENOMEM;
	if (out_index)
		*out_index = p->vars.len - 1;
	return 0;
}

int eic_reconcile_problem_set_start(eic_reconcile_problem *p, size_t var, double start)
{
	if (!p || var >= p->vars.len || !isfinite(start))
		return EIC_EINVAL;
	EIC_VEC_AT(&p->vars, eic_mfa__var, var)->start = start;
	return 0;
}

size_t eic_reconcile_problem_find(const eic_reconcile_problem *p, const char *id)
{
	size_t idx;
	if (!p || !id || !eic_map_get(&p->ids, id, &idx))
		return EIC_RECONCILE_NONE;
	return idx;
}

/* Append an equation whose terms are already valid. */
static int push_equation(eic_reconcile_problem *p, const char *name,
                         const eic_reconcile_term *terms, size_t count, double rhs)
{
	if (p->terms.len + count > EIC_MFA_MAX_TERMS)
		return EIC_ENOMEM;
	eic_mfa__eq eq;
	eq.name = eic_arena_strdup(&p->arena, name);
	eq.first_term = p->terms.len;
	eq.term_count = count;
	eq.rhs = rhs;
	if (!eq.name)
		return EIC_ENOMEM;
	for (size_t i = 0; i < count; i++)
		if (!eic_vec_push(&p->terms, &terms[i]))
			return EIC_ENOMEM;
	if (!eic_vec_push(&p->eqs, &eq))
		return EIC_ENOMEM;
	return 0;
}

static int valid_var(const eic_reconcile_problem *p, size_t v)
{
	return v < p->vars.len;
}

int eic_reconcile_problem_add_equation(eic_reconcile_problem *p, const char *name,
                                       const eic_reconcile_term *terms, size_t term_count,
                                       double rhs)
{
	if (!p || !name || (term_count && !terms) || !isfinite(rhs))
		return EIC_EINVAL;
	for (size_t i = 0; i < term_count; i++)
		if (!valid_var(p, terms[i].var) || !isfinite(terms[i].coef) ||
		    (terms[i].var2 != EIC_RECONCILE_NONE && !valid_var(p, terms[i].var2)))
			return EIC_EINVAL;
	if (term_count == 0)
		return eic_mfa__problem_note(p, "%s has no terms and is ignored", name);
	return push_equation(p, name, terms, term_count, rhs);
}

int eic_reconcile_problem_add_balance(eic_reconcile_problem *p, const char *name,
                                      const size_t *inputs, size_t input_count,
                                      const size_t *outputs, size_t output_count)
{
	if (!p || !name || (input_count && !inputs) || (output_count && !outputs))
		return EIC_EINVAL;
	if (input_count + output_count == 0)
		return eic_mfa__problem_note(p,
		                             "%s: no flows (a disconnected node), nothing to "
		                             "balance",
		                             name);
	eic_reconcile_term *t = eic_malloc((input_count + output_count) * sizeof(*t));
	if (!t)
		return EIC_ENOMEM;
	int error = 0;
	for (size_t i = 0; i < input_count + output_count; i++) {
		size_t v = i < input_count ? inputs[i] : outputs[i - input_count];
		if (!valid_var(p, v)) {
			error = EIC_EINVAL;
			goto done;
		}
		t[i].coef = i < input_count ? 1.0 : -1.0;
		t[i].var = v;
		t[i].var2 = EIC_RECONCILE_NONE;
	}
	error = push_equation(p, name, t, input_count + output_count, 0.0);
done:
	eic_free(t);
	return error;
}

int eic_reconcile_problem_add_ratio(eic_reconcile_problem *p, const char *name, size_t var,
                                    size_t of, double ratio)
{
	if (!p || !name || !valid_var(p, var) || !valid_var(p, of) || !isfinite(ratio))
		return EIC_EINVAL;
	eic_reconcile_term t[2] = {{1.0, var, EIC_RECONCILE_NONE},
	                           {-ratio, of, EIC_RECONCILE_NONE}};
	return push_equation(p, name, t, 2, 0.0);
}

int eic_reconcile_problem_add_transfer(eic_reconcile_problem *p, const char *name, size_t output,
                                       const size_t *inputs, size_t input_count, double tc)
{
	if (!p || !name || !valid_var(p, output) || input_count == 0 || !inputs || !isfinite(tc))
		return EIC_EINVAL;
	eic_reconcile_term *t = eic_malloc((input_count + 1) * sizeof(*t));
	if (!t)
		return EIC_ENOMEM;
	int error = 0;
	t[0].coef = 1.0;
	t[0].var = output;
	t[0].var2 = EIC_RECONCILE_NONE;
	for (size_t i = 0; i < input_count; i++) {
		if (!valid_var(p, inputs[i])) {
			error = EIC_EINVAL;
			goto done;
		}
		t[i + 1].coef = -tc;
		t[i + 1].var = inputs[i];
		t[i + 1].var2 = EIC_RECONCILE_NONE;
	}
	error = push_equation(p, name, t, input_count + 1, 0.0);
done:
	eic_free(t);
	return error;
}

int eic_reconcile_problem_add_product(eic_reconcile_problem *p, const char *name, size_t result,
                                      size_t a, size_t b)
{
	if (!p || !name || !valid_var(p, result) || !valid_var(p, a) || !valid_var(p, b))
		return EIC_EINVAL;
	eic_reconcile_term t[2] = {{1.0, result, EIC_RECONCILE_NONE}, {-1.0, a, b}};
	return push_equation(p, name, t, 2, 0.0);
}

int eic_reconcile_problem_set_unit(eic_reconcile_problem *p, const char *unit)
{
	if (!p)
		return EIC_EINVAL;
	p->unit = eic_str_empty(unit) ? NULL : eic_arena_strdup(&p->arena, unit);
	return !eic_str_empty(unit) && !p->unit ? EIC_ENOMEM : 0;
}

const char *eic_reconcile_problem_unit(const eic_reconcile_problem *p)
{
	return p && p->unit ? p->unit : "";
}

size_t eic_reconcile_problem_variable_count(const eic_reconcile_problem *p)
{
	return p ? p->vars.len : 0;
}

size_t eic_reconcile_problem_equation_count(const eic_reconcile_problem *p)
{
	return p ? p->eqs.len : 0;
}

size_t eic_reconcile_problem_note_count(const eic_reconcile_problem *p)
{
	return p ? p->notes.len : 0;
}

const char *eic_reconcile_problem_note(const eic_reconcile_problem *p, size_t i)
{
	return p && i < p->notes.len ? *EIC_VEC_AT(&p->notes, const char *, i) : NULL;
}

/* ---- from a cluster ---- */

/* One balanced node: the terms of its balance gathered while scanning the flows. */
typedef struct {
	const char *id;   /* process or actor id (borrowed from the cluster) */
	const char *kind; /* "process" or "actor" */
	eic_vec terms;    /* eic_reconcile_term */
} node_balance;

static int node_index(eic_vec *nodes, eic_map *index, const char *id, const char *kind, size_t *out)
{
	if (eic_map_get(index, id, out))
		return 0;
	node_balance nb;
	nb.id = id;
	nb.kind = kind;
	eic_vec_init(&nb.terms, sizeof(eic_reconcile_term));
	if (!eic_vec_push(nodes, &nb) || eic_map_put(index, id, nodes->len - 1) < 0)
		return EIC_ENOMEM;
	*out = nodes->len - 1;
	return 0;
}

/* Contract: see reconcile.h. Processes are listed first in cluster order (so a process
 * without flows is noted), then actors used as flow ends in order of first use. O(flows). */
int eic_reconcile_problem_from_cluster(eic_reconcile_problem **out, const eic_cluster *cluster,
                                       const char *period, const char *layer)
{
	eic_reconcile_problem *p = NULL;
	eic_vec nodes;
	eic_map index;
	int error = 0;
	size_t exact = 0;

	eic_vec_init(&nodes, sizeof(node_balance));
	eic_map_init(&index);
	if (!out || !cluster) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if (layer && !eic_streq(layer, "mass") && !eic_streq(layer, "energy")) {
		error = EIC_EINVAL;
		goto done;
	}
	int energy = eic_streq(layer, "energy");
	if (period && !eic_cluster_find_period(cluster, period)) {
		error = EIC_ENOTFOUND;
		goto done;
	}
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *unit =
	    energy ? (info && !eic_str_empty(info->energy_unit) ? info->energy_unit : "GJ")
	           : (info && !eic_str_empty(info->mass_unit) ? info->mass_unit : "t");
	if ((error = eic_reconcile_problem_new(&p)) < 0 ||
	    (error = eic_reconcile_problem_set_unit(p, unit)) < 0)
		goto done;

	for (size_t i = 0; i < eic_cluster_process_count(cluster); i++) {
		const eic_process *pr = eic_cluster_process(cluster, i);
		size_t idx;
		if (pr->id && (error = node_index(&nodes, &index, pr->id, "process", &idx)) < 0)
			goto done;
	}

	for (size_t i = 0; i < eic_cluster_flow_count(cluster); i++) {
		const eic_flow *f = eic_cluster_flow(cluster, i);
		eic_node from, to;
		double amount, sd = NAN;
		const char *via = NULL;
		if (period && !eic_streq(f->period, period))
			continue;
		if (eic_str_empty(f->id) || !f->from || !f->to ||
		    eic_cluster_resolve_node(&from, cluster, f->from) < 0 ||
		    eic_cluster_resolve_node(&to, cluster, f->to) < 0) {
			if ((error = eic_mfa__problem_note(p, "flow %s: left out (unknown node)",
			                                   f->id ? f->id : "?")) < 0)
				goto done;
			continue;
		}
		int rc = eic_flow_amount(&amount, &via, cluster, f, unit);
		if (rc == EIC_ENOMEM) {
			error = rc;
			goto done;
		}
		if (rc < 0 || !isfinite(amount)) {
			if ((error = eic_mfa__problem_note(
			         p, "flow %s: left out (%.6g %s of %s cannot be converted to %s)",
			         f->id, f->quantity, f->unit ? f->unit : "?",
			         f->material ? f->material : "?", unit)) < 0)
				goto done;
			continue;
		}
		if (isfinite(f->sd)) {
			eic_flow copy = *f;
			copy.quantity = f->sd;
			if (eic_flow_amount(&sd, &via, cluster, &copy, unit) < 0 || !isfinite(sd))
				sd = NAN;
			sd = fabs(sd);
		} else if (isfinite(f->rel_sd)) {
			sd = fabs(f->rel_sd * amount);
		}
		size_t v;
		rc = eic_reconcile_problem_add_variable(p, &v, f->id, amount,
		                                        isfinite(sd) && sd > 0.0 ? sd : 0.0);
		if (rc == EIC_EEXISTS) {
			if ((error = eic_mfa__problem_note(p, "flow %s: left out (duplicate id)",
			                                   f->id)) < 0)
				goto done;
			continue;
		}
		if (rc < 0) {
			error = rc;
			goto done;
		}
		if (!(isfinite(sd) && sd > 0.0)) {
			exact++;
			if (f->quality == EIC_QUALITY_ESTIMATED) {
				if ((error = eic_mfa__problem_note(
				         p,
				         "flow %s: estimated without an uncertainty, taken as "
				         "exact "
				         "(give sd or rel_sd to let it be adjusted)",
				         f->id)) < 0)
					goto done;
			}
		}
		/* balance terms: out of `from`, into `to`, for process and actor nodes */
		for (int end = 0; end < 2; end++) {
			const eic_node *n = end == 0 ? &from : &to;
			size_t idx;
			if (n->kind == EIC_NODE_BOUNDARY)
				continue;
			if (end == 1 && from.kind == to.kind && eic_streq(from.id, to.id))
				continue; /* a loop on one node cancels out */
			if (end == 0 && from.kind == to.kind && eic_streq(from.id, to.id))
				continue;
			if ((error = node_index(&nodes, &index, n->id,
			                        n->kind == EIC_NODE_PROCESS ? "process" : "actor",
			                        &idx)) < 0)
				goto done;
			eic_reconcile_term t = {end == 0 ? -1.0 : 1.0, v, EIC_RECONCILE_NONE};
			if (!eic_vec_push(&EIC_VEC_AT(&nodes, node_balance, idx)->terms, &t)) {
				error = EIC_ENOMEM;
				goto done;
			}
		}
	}

	for (size_t i = 0; i < nodes.len; i++) {
		node_balance *nb = EIC_VEC_AT(&nodes, node_balance, i);
		eic_buf name = EIC_BUF_INIT;
		eic_buf_printf(&name, "balance of %s %s", nb->kind, nb->id);
		if (name.failed) {
			eic_buf_free(&name);
			error = EIC_ENOMEM;
			goto done;
		}
		size_t ins = 0, outs = 0;
		for (size_t t = 0; t < nb->terms.len; t++) {
			if (EIC_VEC_AT(&nb->terms, eic_reconcile_term, t)->coef > 0)
				ins++;
			else
				outs++;
		}
		if (nb->terms.len == 0)
			error =
			    eic_mfa__problem_note(p,
			                          "%s %s has no %s flows%s (a disconnected node): "
			                          "no balance",
			                          nb->kind, nb->id, energy ? "energy" : "mass",
			                          period ? " in this period" : "");
		else if (ins == 0 || outs == 0)
			error = eic_mfa__problem_note(
			    p,
			    "%s %s only %s flows: it is treated as a %s outside the balances (give "
			    "it "
			    "%s, or a flow %s boundary:stock, to balance it)",
			    nb->kind, nb->id, ins ? "receives" : "sends", ins ? "sink" : "source",
			    ins ? "its outputs" : "its inputs", ins ? "to" : "from");
		else
			error = push_equation(p, name.data, nb->terms.data, nb->terms.len, 0.0);
		eic_buf_free(&name);
		if (error < 0)
			goto done;
	}
	if (exact > 0 &&
	    (error = eic_mfa__problem_note(p,
	                                   "%zu of %zu flows have no uncertainty and are taken as "
	                                   "exact (STAN's convention)",
	                                   exact, p->vars.len)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	for (size_t i = 0; i < nodes.len; i++)
		eic_vec_free(&EIC_VEC_AT(&nodes, node_balance, i)->terms);
	eic_vec_free(&nodes);
	eic_map_free(&index);
	eic_reconcile_problem_free(p);
	return error;
}

/* ---- from a problem file ---- */

typedef struct {
	eic_diags *diags;
	const char *path;
	size_t errors;
} reader;

static void rerr(reader *r, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void rerr(reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->errors++;
	if (r->diags)
		eic_diags_add(r->diags, EIC_SEV_ERROR, r->path, 0, 0, "%s", msg);
}

/* A number member: 1 found (finite), 0 absent or null, -1 wrong type (reported). */
static int get_num(reader *r, json_t *obj, const char *key, const char *where, double *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v))) {
		rerr(r, "%s: '%s' must be a number", where, key);
		return -1;
	}
	*out = json_number_value(v);
	return 1;
}

/* Resolve a variable name; reports an unknown one. */
static int var_ref(reader *r, const eic_reconcile_problem *p, json_t *v, const char *where,
                   size_t *out)
{
	if (!json_is_string(v)) {
		rerr(r, "%s: a variable reference must be a string", where);
		return -1;
	}
	*out = eic_reconcile_problem_find(p, json_string_value(v));
	if (*out == EIC_RECONCILE_NONE) {
		rerr(r, "%s: unknown variable '%s'", where, json_string_value(v));
		return -1;
	}
	return 0;
}

/* An array of variable names into a malloc'd index array (*out NULL when empty). */
static int var_list(reader *r, const eic_reconcile_problem *p, json_t *arr, const char *where,
                    size_t **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		rerr(r, "%s must be an array of variable names", where);
		return -1;
	}
	size_t n = json_array_size(arr);
	if (n == 0)
		return 0;
	size_t *idx = eic_malloc(n * sizeof(*idx));
	if (!idx)
		return EIC_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (var_ref(r, p, json_array_get(arr, i), where, &idx[i]) < 0) {
			eic_free(idx);
			return -1;
		}
	*out = idx;
	*count = n;
	return 0;
}

static int read_variables(reader *r, eic_reconcile_problem *p, json_t *arr)
{
	if (!json_is_array(arr)) {
		rerr(r, "'variables' must be an array");
		return 0;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		char where[96];
		snprintf(where, sizeof(where), "variables[%zu]", i);
		if (!json_is_object(o)) {
			rerr(r, "%s must be an object", where);
			continue;
		}
		const char *id = json_string_value(json_object_get(o, "id"));
		if (eic_str_empty(id)) {
			rerr(r, "%s: 'id' is required (a non-empty string)", where);
			continue;
		}
		double value = NAN, sd = NAN, rel_sd = NAN, variance = NAN, start = NAN;
		int bad = 0;
		bad |= get_num(r, o, "value", where, &value) < 0;
		bad |= get_num(r, o, "sd", where, &sd) < 0;
		bad |= get_num(r, o, "rel_sd", where, &rel_sd) < 0;
		bad |= get_num(r, o, "variance", where, &variance) < 0;
		bad |= get_num(r, o, "start", where, &start) < 0;
		const char *key;
		json_t *val;
		json_object_foreach(o, key, val)
		{
			if (strcmp(key, "id") && strcmp(key, "value") && strcmp(key, "sd") &&
			    strcmp(key, "rel_sd") && strcmp(key, "variance") &&
			    strcmp(key, "start") && strcmp(key, "notes")) {
				rerr(r, "%s (%s): unknown key '%s'", where, id, key);
				bad = 1;
			}
		}
		int given = !isnan(sd) + !isnan(rel_sd) + !isnan(variance);
		if (given > 1) {
			rerr(r, "%s (%s): give only one of sd, rel_sd and variance", where, id);
			bad = 1;
		}
		if ((!isnan(sd) && sd < 0) || (!isnan(rel_sd) && rel_sd < 0) ||
		    (!isnan(variance) && variance < 0)) {
			rerr(r, "%s (%s): a negative standard deviation or variance is not allowed",
			     where, id);
			bad = 1;
		}
		if (given && isnan(value)) {
			rerr(r, "%s (%s): an uncertainty is given without a value", where, id);
			bad = 1;
		}
		if (bad)
			continue;
		if (!isnan(rel_sd))
			sd = rel_sd * fabs(value);
		else if (!isnan(variance))
			sd = sqrt(variance);
		size_t v;
		int rc = eic_reconcile_problem_add_variable(p, &v, id, value, isnan(sd) ? 0.0 : sd);
		if (rc == EIC_EEXISTS) {
			rerr(r, "%s: duplicate variable id '%s'", where, id);
			continue;
		}
		if (rc < 0)
			return rc == EIC_EINVAL ? (rerr(r, "%s (%s): invalid", where, id), 0) : rc;
		if (!isnan(start))
			eic_reconcile_problem_set_start(p, v, start);
	}
	return 0;
}

static int read_processes(reader *r, eic_reconcile_problem *p, json_t *arr)
{
	if (!json_is_array(arr)) {
		rerr(r, "'processes' must be an array");
		return 0;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		char where[96], name[300];
		size_t *in = NULL, *outs = NULL, *stock = NULL, nin = 0, nout = 0, nstock = 0;
		int rc = 0;
		snprintf(where, sizeof(where), "processes[%zu]", i);
		if (!json_is_object(o)) {
			rerr(r, "%s must be an object", where);
			continue;
		}
		const char *id = json_string_value(json_object_get(o, "id"));
		if (eic_str_empty(id)) {
			rerr(r, "%s: 'id' is required (a non-empty string)", where);
			continue;
		}
		const char *key;
		json_t *val;
		json_object_foreach(o, key, val)
		{
			if (strcmp(key, "id") && strcmp(key, "inputs") && strcmp(key, "outputs") &&
			    strcmp(key, "stock") && strcmp(key, "notes"))
				rerr(r, "%s (%s): unknown key '%s'", where, id, key);
		}
		if ((rc = var_list(r, p, json_object_get(o, "inputs"), where, &in, &nin)) == 0 &&
		    (rc = var_list(r, p, json_object_get(o, "outputs"), where, &outs, &nout)) ==
		        0 &&
		    (rc = var_list(r, p, json_object_get(o, "stock"), where, &stock, &nstock)) ==
		        0) {
			/* stock changes count as outputs (accumulation) */
			size_t *all_out = NULL;
			if (nout + nstock) {
				all_out = eic_malloc((nout + nstock) * sizeof(*all_out));
				if (!all_out)
					rc = EIC_ENOMEM;
				else {
					if (nout)
						memcpy(all_out, outs, nout * sizeof(*all_out));
					if (nstock)
						memcpy(all_out + nout, stock,
						       nstock * sizeof(*all_out));
				}
			}
			snprintf(name, sizeof(name), "balance of process %s", id);
			if (rc == 0)
				rc = eic_reconcile_problem_add_balance(p, name, in, nin, all_out,
				                                       nout + nstock);
			eic_free(all_out);
		}
		eic_free(in);
		eic_free(outs);
		eic_free(stock);
		if (rc == EIC_ENOMEM)
			return rc;
	}
	return 0;
}

static int read_relation(reader *r, eic_reconcile_problem *p, json_t *o, const char *where)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *given = json_string_value(json_object_get(o, "name"));
	char name[300];
	int rc = 0;
	size_t a, b, c;
	double num;
	if (!type) {
		rerr(r, "%s: 'type' is required (ratio, transfer, product or equation)", where);
		return 0;
	}
	if (!eic_str_empty(given))
		snprintf(name, sizeof(name), "%s", given);
	else
		snprintf(name, sizeof(name), "%s (%s)", where, type);
	if (!strcmp(type, "ratio")) {
		/* {"type": "ratio", "var": "f2", "of": "f1", "ratio": 0.4}: f2 = 0.4 f1 */
		if (var_ref(r, p, json_object_get(o, "var"), where, &a) < 0 ||
		    var_ref(r, p, json_object_get(o, "of"), where, &b) < 0)
			return 0;
		if (get_num(r, o, "ratio", where, &num) != 1) {
			rerr(r, "%s: 'ratio' (a number) is required", where);
			return 0;
		}
		rc = eic_reconcile_problem_add_ratio(p, name, a, b, num);
	} else if (!strcmp(type, "transfer")) {
		/* {"type": "transfer", "output": "f3", "inputs": ["f1", "f2"], "tc": 0.3} */
		size_t *in = NULL, nin = 0;
		if (var_ref(r, p, json_object_get(o, "output"), where, &a) < 0)
			return 0;
		if ((rc = var_list(r, p, json_object_get(o, "inputs"), where, &in, &nin)) != 0)
			return rc == EIC_ENOMEM ? rc : 0;
		if (nin == 0) {
			rerr(r, "%s: 'inputs' must name at least one variable", where);
			return 0;
		}
		if (get_num(r, o, "tc", where, &num) != 1) {
			rerr(r, "%s: 'tc' (a number) is required", where);
			eic_free(in);
			return 0;
		}
		rc = eic_reconcile_problem_add_transfer(p, name, a, in, nin, num);
		eic_free(in);
	} else if (!strcmp(type, "product")) {
		/* {"type": "product", "result": "s1", "factors": ["c1", "f1"]}: s1 = c1 f1 */
		json_t *fac = json_object_get(o, "factors");
		if (var_ref(r, p, json_object_get(o, "result"), where, &a) < 0)
			return 0;
		if (!json_is_array(fac) || json_array_size(fac) != 2) {
			rerr(r, "%s: 'factors' must name exactly two variables", where);
			return 0;
		}
		if (var_ref(r, p, json_array_get(fac, 0), where, &b) < 0 ||
		    var_ref(r, p, json_array_get(fac, 1), where, &c) < 0)
			return 0;
		rc = eic_reconcile_problem_add_product(p, name, a, b, c);
	} else if (!strcmp(type, "equation")) {
		/* {"type": "equation", "terms": [{"coef": 1, "var": "f1"},
		 *  {"coef": -1, "var": "c1", "times": "f2"}], "rhs": 0} */
		json_t *terms = json_object_get(o, "terms");
		double rhs = 0.0;
		if (!json_is_array(terms) || json_array_size(terms) == 0) {
			rerr(r, "%s: 'terms' must be a non-empty array", where);
			return 0;
		}
		if (get_num(r, o, "rhs", where, &rhs) < 0)
			return 0;
		size_t n = json_array_size(terms);
		eic_reconcile_term *t = eic_calloc(n, sizeof(*t));
		if (!t)
			return EIC_ENOMEM;
		int bad = 0;
		for (size_t i = 0; i < n && !bad; i++) {
			json_t *to = json_array_get(terms, i);
			double coef = 1.0;
			if (!json_is_object(to) || get_num(r, to, "coef", where, &coef) < 0 ||
			    var_ref(r, p, json_object_get(to, "var"), where, &t[i].var) < 0) {
				if (!json_is_object(to))
					rerr(r, "%s: each term must be an object", where);
				bad = 1;
				break;
			}
			t[i].coef = coef;
			t[i].var2 = EIC_RECONCILE_NONE;
			json_t *times = json_object_get(to, "times");
			if (times && var_ref(r, p, times, where, &t[i].var2) < 0)
				bad = 1;
		}
		if (!bad)
			rc = eic_reconcile_problem_add_equation(p, name, t, n, rhs);
		eic_free(t);
	} else {
		rerr(r, "%s: unknown relation type '%s' (ratio, transfer, product or equation)",
		     where, type);
		return 0;
	}
	if (rc == EIC_EINVAL) {
		rerr(r, "%s: invalid relation", where);
		return 0;
	}
	return rc;
}

/* Contract: see reconcile.h. Every problem in the file is reported, not only the first. */
int eic_reconcile_problem_read(eic_reconcile_problem **out, eic_diags *diags, const char *path)
{
	eic_reconcile_problem *p = NULL;
	json_t *root = NULL;
	json_error_t jerr;
	reader r = {diags, path, 0};
	int error = 0;

	if (!out || !path)
		return EIC_EINVAL;
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0, "cannot open the file");
		return EIC_EIO;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	fclose(fp);
	if (!root) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, path, jerr.line, jerr.column, "%s",
			              jerr.text);
		return EIC_EPARSE;
	}
	if (!json_is_object(root)) {
		rerr(&r, "the document must be a JSON object");
		error = EIC_EINVALID;
		goto done;
	}
	if ((error = eic_reconcile_problem_new(&p)) < 0)
		goto done;
	{
		const char *key;
		json_t *val;
		json_object_foreach(root, key, val)
		{
			if (strcmp(key, "eic_reconcile") && strcmp(key, "name") &&
			    strcmp(key, "unit") && strcmp(key, "variables") &&
			    strcmp(key, "processes") && strcmp(key, "relations") &&
			    strcmp(key, "notes") && strcmp(key, "source"))
				rerr(&r, "unknown key '%s' at the top level", key);
		}
	}
	json_t *ver = json_object_get(root, "eic_reconcile");
	if (!json_is_integer(ver) || json_integer_value(ver) != 1)
		rerr(&r, "'eic_reconcile' must be 1 (the format version)");
	json_t *unit = json_object_get(root, "unit");
	if (unit && !json_is_string(unit))
		rerr(&r, "'unit' must be a string");
	else if (unit && (error = eic_reconcile_problem_set_unit(p, json_string_value(unit))) < 0)
		goto done;
	json_t *vars = json_object_get(root, "variables");
	if (!vars)
		rerr(&r, "'variables' is required");
	else if ((error = read_variables(&r, p, vars)) < 0)
		goto done;
	json_t *procs = json_object_get(root, "processes");
	if (procs && (error = read_processes(&r, p, procs)) < 0)
		goto done;
	json_t *rels = json_object_get(root, "relations");
	if (rels && !json_is_array(rels))
		rerr(&r, "'relations' must be an array");
	for (size_t i = 0; rels && json_is_array(rels) && i < json_array_size(rels); i++) {
		char where[64];
		snprintf(where, sizeof(where), "relations[%zu]", i);
		json_t *o = json_array_get(rels, i);
		if (!json_is_object(o)) {
			rerr(&r, "%s must be an object", where);
			continue;
		}
		if ((error = read_relation(&r, p, o, where)) < 0)
			goto done;
	}
	if (r.errors) {
		error = EIC_EINVALID;
		goto done;
	}
	*out = p;
	p = NULL;
done:
	json_decref(root);
	eic_reconcile_problem_free(p);
	return error;
}
