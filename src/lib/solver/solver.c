/* solver.c: eic's MILP interface: the model builder with its input checks, the solve entry
 * point (trivial models here, the rest handed to the back end) and the elastic infeasibility
 * analysis. The back end itself lives in cbc.c. */
#include "solver_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLACK_TOL 1e-6

int eic_milp_new(eic_milp **out)
{
	eic_milp *m;
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!(m = eic_calloc(1, sizeof(*m))))
		return EIC_ENOMEM;
	eic_arena_init(&m->arena);
	eic_vec_init(&m->cols, sizeof(eic_milp__col));
	eic_vec_init(&m->rows, sizeof(eic_milp__row));
	eic_vec_init(&m->ent_col, sizeof(size_t));
	eic_vec_init(&m->ent_val, sizeof(double));
	m->sense = EIC_MILP_MINIMIZE;
	*out = m;
	return 0;
}

void eic_milp_free(eic_milp *milp)
{
	if (!milp)
		return;
	eic_vec_free(&milp->cols);
	eic_vec_free(&milp->rows);
	eic_vec_free(&milp->ent_col);
	eic_vec_free(&milp->ent_val);
	eic_arena_clear(&milp->arena);
	eic_free(milp);
}

void eic_milp_set_sense(eic_milp *milp, eic_milp_sense sense)
{
	if (milp)
		milp->sense = sense == EIC_MILP_MAXIMIZE ? EIC_MILP_MAXIMIZE : EIC_MILP_MINIMIZE;
}

eic_milp_sense eic_milp_sense_get(const eic_milp *milp)
{
	return milp ? milp->sense : EIC_MILP_MINIMIZE;
}

static double clamp_inf(double v)
{
	if (v >= EIC_MILP_INF)
		return INFINITY;
	if (v <= -EIC_MILP_INF)
		return -INFINITY;
	return v;
}

static int bounds_ok(double lb, double ub)
{
	return !isnan(lb) && !isnan(ub) && lb <= ub && lb < INFINITY && ub > -INFINITY;
}

int eic_milp_add_col(eic_milp *milp, size_t *out_index, const char *name, double lb, double ub,
                     double obj, int integer)
{
	eic_milp__col c;
	if (!milp)
		return EIC_EINVAL;
	lb = clamp_inf(lb);
	ub = clamp_inf(ub);
	if (!bounds_ok(lb, ub) || !isfinite(obj))
		return EIC_EINVAL;
	if (milp->cols.len >= EIC_MILP_MAX_COLS)
		return EIC_ENOMEM;
	c.name = eic_arena_strdup(&milp->arena, name ? name : "");
	c.lb = lb;
	c.ub = ub;
	c.obj = obj;
	c.integer = integer != 0;
	if (!c.name || !eic_vec_push(&milp->cols, &c))
		return EIC_ENOMEM;
	milp->integer_count += (size_t)c.integer;
	if (out_index)
		*out_index = milp->cols.len - 1;
	return 0;
}

/* Contract: see solver.h. Entries are merged per column in O(nz^2) for short rows, which is
 * what the callers add (a row has a few dozen entries at most). */
int eic_milp_add_row(eic_milp *milp, size_t *out_index, const char *name, const char *group,
                     double lb, double ub, size_t nz, const size_t *cols, const double *coefs)
{
	eic_milp__row r;
	size_t first;
	if (!milp || (nz && (!cols || !coefs)))
		return EIC_EINVAL;
	lb = clamp_inf(lb);
	ub = clamp_inf(ub);
	if (isnan(lb) || isnan(ub) || lb > ub || lb == INFINITY || ub == -INFINITY)
		return EIC_EINVAL;
	for (size_t k = 0; k < nz; k++)
		if (cols[k] >= milp->cols.len || !isfinite(coefs[k]))
			return EIC_EINVAL;
	if (milp->ent_col.len + nz > EIC_MILP_MAX_NZ || milp->rows.len >= EIC_MILP_MAX_COLS)
		return EIC_ENOMEM;
	first = milp->ent_col.len;
	for (size_t k = 0; k < nz; k++) {
		size_t j;
		if (coefs[k] == 0)
			continue;
		for (j = first; j < milp->ent_col.len; j++)
			if (*EIC_VEC_AT(&milp->ent_col, size_t, j) == cols[k])
				break;
		if (j < milp->ent_col.len) {
			*EIC_VEC_AT(&milp->ent_val, double, j) += coefs[k];
			continue;
		}
		if (!eic_vec_push(&milp->ent_col, &cols[k]) ||
		    !eic_vec_push(&milp->ent_val, &coefs[k]))
			goto nomem;
	}
	r.name = eic_arena_strdup(&milp->arena, name ? name : "");
	r.group = group ? eic_arena_strdup(&milp->arena, group) : r.name;
	r.lb = lb;
	r.ub = ub;
	r.weight = 1;
	r.start = first;
	r.nz = milp->ent_col.len - first;
	if (!r.name || !r.group || !eic_vec_push(&milp->rows, &r))
		goto nomem;
	if (out_index)
		*out_index = milp->rows.len - 1;
	return 0;
nomem:
	milp->ent_col.len = milp->ent_val.len = first;
	return EIC_ENOMEM;
}

int eic_milp_set_row_weight(eic_milp *milp, size_t row, double weight)
{
	if (!milp || row >= milp->rows.len || !(weight > 0) || !isfinite(weight))
		return EIC_EINVAL;
	EIC_VEC_AT(&milp->rows, eic_milp__row, row)->weight = weight;
	return 0;
}

int eic_milp_set_obj(eic_milp *milp, size_t col, double obj)
{
	if (!milp || col >= milp->cols.len || !isfinite(obj))
		return EIC_EINVAL;
	EIC_VEC_AT(&milp->cols, eic_milp__col, col)->obj = obj;
	return 0;
}

int eic_milp_set_col_bounds(eic_milp *milp, size_t col, double lb, double ub)
{
	lb = clamp_inf(lb);
	ub = clamp_inf(ub);
	if (!milp || col >= milp->cols.len || !bounds_ok(lb, ub))
		return EIC_EINVAL;
	eic_milp__col *c = EIC_VEC_AT(&milp->cols, eic_milp__col, col);
	c->lb = lb;
	c->ub = ub;
	return 0;
}

int eic_milp_set_row_bounds(eic_milp *milp, size_t row, double lb, double ub)
{
	lb = clamp_inf(lb);
	ub = clamp_inf(ub);
	if (!milp || row >= milp->rows.len || isnan(lb) || isnan(ub) || lb > ub || lb == INFINITY ||
	    ub == -INFINITY)
		return EIC_EINVAL;
	eic_milp__row *r = EIC_VEC_AT(&milp->rows, eic_milp__row, row);
	r->lb = lb;
	r->ub = ub;
	return 0;
}

size_t eic_milp_col_count(const eic_milp *milp)
{
	return milp ? milp->cols.len : 0;
}

size_t eic_milp_row_count(const eic_milp *milp)
{
	return milp ? milp->rows.len : 0;
}

size_t eic_milp_nz_count(const eic_milp *milp)
{
	return milp ? milp->ent_col.len : 0;
}

size_t eic_milp_integer_count(const eic_milp *milp)
{
	return milp ? milp->integer_count : 0;
}

const char *eic_milp_col_name(const eic_milp *milp, size_t col)
{
	return milp && col < milp->cols.len ? EIC_VEC_AT(&milp->cols, eic_milp__col, col)->name
	                                    : NULL;
}

const char *eic_milp_row_name(const eic_milp *milp, size_t row)
{
	return milp && row < milp->rows.len ? EIC_VEC_AT(&milp->rows, eic_milp__row, row)->name
	                                    : NULL;
}

const char *eic_milp_row_group(const eic_milp *milp, size_t row)
{
	return milp && row < milp->rows.len ? EIC_VEC_AT(&milp->rows, eic_milp__row, row)->group
	                                    : NULL;
}

double eic_milp_obj(const eic_milp *milp, size_t col)
{
	return milp && col < milp->cols.len ? EIC_VEC_AT(&milp->cols, eic_milp__col, col)->obj
	                                    : NAN;
}

double eic_milp_row_activity(const eic_milp *milp, size_t row, const double *x)
{
	if (!milp || row >= milp->rows.len || !x)
		return NAN;
	const eic_milp__row *r = EIC_VEC_AT(&milp->rows, eic_milp__row, row);
	double s = 0;
	for (size_t k = r->start; k < r->start + r->nz; k++)
		s += *EIC_VEC_AT(&milp->ent_val, double, k) *
		     x[*EIC_VEC_AT(&milp->ent_col, size_t, k)];
	return s;
}

const char *eic_milp_status_name(eic_milp_status status)
{
	switch (status) {
	case EIC_MILP_OPTIMAL:
		return "optimal";
	case EIC_MILP_FEASIBLE:
		return "feasible (stopped at the time limit)";
	case EIC_MILP_INFEASIBLE:
		return "infeasible";
	case EIC_MILP_UNBOUNDED:
		return "unbounded";
	case EIC_MILP_NO_SOLUTION:
		return "no solution within the time limit";
	case EIC_MILP_SOLVER_FAILURE:
		return "solver failure";
	default:
		return "unknown";
	}
}

const char *eic_milp_backend(void)
{
	return eic_solver__cbc_name();
}

void eic_milp_result_clear(eic_milp_result *result)
{
	if (!result)
		return;
	eic_free(result->values);
	memset(result, 0, sizeof(*result));
	result->objective = result->bound = result->gap = NAN;
}

static int check_options(const eic_milp_options *o, eic_diags *diags)
{
	const char *what = NULL;
	if (o->version < 1 || o->version > EIC_MILP_OPTIONS_VERSION)
		what = "unknown solver options version";
	else if (!(o->time_limit_s > 0) || !isfinite(o->time_limit_s))
		what = "the time limit must be a finite number of seconds > 0";
	else if (!(o->rel_gap >= 0) || o->rel_gap >= 1)
		what = "the relative gap must lie in [0, 1)";
	else if (o->threads < 1 || o->threads > 256)
		what = "the number of solver threads must lie in [1, 256]";
	if (!what)
		return 0;
	if (diags)
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0, "%s", what);
	return EIC_EINVAL;
}

/* A model without columns: every row's activity is 0. */
static int solve_empty(eic_milp_result *out, const eic_milp *m)
{
	out->status = EIC_MILP_OPTIMAL;
	for (size_t i = 0; i < m->rows.len; i++) {
		const eic_milp__row *r = EIC_VEC_AT(&m->rows, eic_milp__row, i);
		if (r->lb > 1e-9 || r->ub < -1e-9)
			out->status = EIC_MILP_INFEASIBLE;
	}
	if (out->status == EIC_MILP_OPTIMAL) {
		out->objective = out->bound = out->gap = 0;
		if (!(out->values = eic_calloc(1, sizeof(double))))
			return EIC_ENOMEM;
	}
	return 0;
}

/* CBC reports an unbounded relaxation as infeasible: the same rows with a zero objective
 * tell the two apart (feasible there means unbounded here). */
static int infeasible_or_unbounded(eic_milp_result *out, const eic_milp *milp,
                                   const eic_milp_options *opts, eic_diags *diags)
{
	eic_milp *zero = NULL;
	eic_milp_result r;
	int error = 0, any = 0;
	memset(&r, 0, sizeof(r));
	for (size_t j = 0; j < milp->cols.len && !any; j++)
		any = EIC_VEC_AT(&milp->cols, eic_milp__col, j)->obj != 0;
	if (!any)
		return 0;
	if (!(zero = eic_calloc(1, sizeof(*zero))))
		return EIC_ENOMEM;
	*zero = *milp; /* shares the storage: only the column vector is replaced */
	eic_vec_init(&zero->cols, sizeof(eic_milp__col));
	for (size_t j = 0; j < milp->cols.len; j++) {
		eic_milp__col c = *EIC_VEC_AT(&milp->cols, eic_milp__col, j);
		c.obj = 0;
		if (!eic_vec_push(&zero->cols, &c)) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	if ((error = eic_solver__cbc_solve(&r, zero, opts, diags)) < 0)
		goto done;
	out->time_s += r.time_s;
	if (r.values)
		out->status = EIC_MILP_UNBOUNDED;
done:
	eic_milp_result_clear(&r);
	eic_vec_free(&zero->cols);
	eic_free(zero);
	return error;
}

/* Contract: see solver.h. */
int eic_milp_solve(eic_milp_result *out, const eic_milp *milp, const eic_milp_options *opts,
                   eic_diags *diags)
{
	eic_milp_options defaults = EIC_MILP_OPTIONS_INIT;
	int error;
	if (!out)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	out->objective = out->bound = out->gap = NAN;
	if (!milp)
		return EIC_EINVAL;
	if (!opts)
		opts = &defaults;
	if ((error = check_options(opts, diags)) < 0)
		return error;
	out->col_count = milp->cols.len;
	if (milp->cols.len == 0)
		return solve_empty(out, milp);
	error = eic_solver__cbc_solve(out, milp, opts, diags);
	if (error == 0 && out->status == EIC_MILP_INFEASIBLE)
		error = infeasible_or_unbounded(out, milp, opts, diags);
	if (error < 0) {
		eic_milp_result_clear(out);
		return error;
	}
	if (out->values && !isnan(out->objective) && !isnan(out->bound)) {
		double denom = fabs(out->objective) > 1e-10 ? fabs(out->objective) : 1e-10;
		out->gap = fabs(out->objective - out->bound) / denom;
		if (out->status == EIC_MILP_OPTIMAL && out->gap < 1e-9)
			out->gap = 0;
	}
	return 0;
}

void eic_milp_conflicts_free(eic_milp_conflict *conflicts)
{
	eic_free(conflicts);
}

static int cmp_conflict(const void *pa, const void *pb)
{
	const eic_milp_conflict *a = pa, *b = pb;
	if (a->violation > b->violation)
		return -1;
	if (a->violation < b->violation)
		return 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* Contract: see solver.h. The elastic model has the original columns (objective 0) followed by
 * one slack per finite row side: lower side lb <= a x + s, upper side a x - s <= ub. */
int eic_milp_explain(eic_milp_conflict **out, size_t *out_count, const eic_milp *milp,
                     const eic_milp_options *opts, eic_diags *diags)
{
	eic_milp *e = NULL;
	eic_milp_result res;
	size_t *slack_lo = NULL, *slack_hi = NULL, *cols = NULL;
	double *vals = NULL;
	eic_vec found;
	int error = 0;
	const size_t none = (size_t)-1;

	memset(&res, 0, sizeof(res));
	eic_vec_init(&found, sizeof(eic_milp_conflict));
	if (!out || !out_count || !milp)
		return EIC_EINVAL;
	*out = NULL;
	*out_count = 0;
	size_t nrow = milp->rows.len, ncol = milp->cols.len, maxnz = 0;
	for (size_t i = 0; i < nrow; i++) {
		size_t nz = EIC_VEC_AT(&milp->rows, eic_milp__row, i)->nz;
		if (nz > maxnz)
			maxnz = nz;
	}
	if ((error = eic_milp_new(&e)) < 0)
		goto done;
	if ((nrow && (!(slack_lo = eic_malloc(nrow * sizeof(size_t))) ||
	              !(slack_hi = eic_malloc(nrow * sizeof(size_t))))) ||
	    !(cols = eic_malloc((maxnz + 2) * sizeof(size_t))) ||
	    !(vals = eic_malloc((maxnz + 2) * sizeof(double)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t j = 0; j < ncol; j++) {
		const eic_milp__col *c = EIC_VEC_AT(&milp->cols, eic_milp__col, j);
		if ((error = eic_milp_add_col(e, NULL, c->name, c->lb, c->ub, 0, c->integer)) < 0)
			goto done;
	}
	for (size_t i = 0; i < nrow; i++) {
		const eic_milp__row *r = EIC_VEC_AT(&milp->rows, eic_milp__row, i);
		double scale = 1 / r->weight;
		for (size_t k = r->start; k < r->start + r->nz; k++) {
			double a = fabs(*EIC_VEC_AT(&milp->ent_val, double, k));
			if (a / r->weight > scale)
				scale = a / r->weight;
		}
		slack_lo[i] = slack_hi[i] = none;
		if (isfinite(r->lb) && (error = eic_milp_add_col(e, &slack_lo[i], "slack", 0,
		                                                 INFINITY, 1.0 / scale, 0)) < 0)
			goto done;
		if (isfinite(r->ub) && (error = eic_milp_add_col(e, &slack_hi[i], "slack", 0,
		                                                 INFINITY, 1.0 / scale, 0)) < 0)
			goto done;
	}
	for (size_t i = 0; i < nrow; i++) {
		const eic_milp__row *r = EIC_VEC_AT(&milp->rows, eic_milp__row, i);
		size_t n = 0;
		for (size_t k = r->start; k < r->start + r->nz; k++, n++) {
			cols[n] = *EIC_VEC_AT(&milp->ent_col, size_t, k);
			vals[n] = *EIC_VEC_AT(&milp->ent_val, double, k);
		}
		/* an equality row gets both slacks in one row */
		if (slack_lo[i] != none) {
			cols[n] = slack_lo[i];
			vals[n++] = 1;
		}
		if (slack_hi[i] != none) {
			cols[n] = slack_hi[i];
			vals[n++] = -1;
		}
		if ((error = eic_milp_add_row(e, NULL, r->name, r->group, r->lb, r->ub, n, cols,
		                              vals)) < 0)
			goto done;
	}
	if ((error = eic_milp_solve(&res, e, opts, diags)) < 0)
		goto done;
	if (!res.values) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
			              "the elastic model of the infeasible problem could not be "
			              "solved: %s",
			              eic_milp_status_name(res.status));
		error = EIC_ERROR;
		goto done;
	}
	for (size_t i = 0; i < nrow; i++) {
		const eic_milp__row *r = EIC_VEC_AT(&milp->rows, eic_milp__row, i);
		for (int side = 0; side < 2; side++) {
			size_t s = side ? slack_hi[i] : slack_lo[i];
			double bound = side ? r->ub : r->lb;
			if (s == none)
				continue;
			double v = res.values[s];
			if (v > SLACK_TOL * (1 + fabs(bound))) {
				eic_milp_conflict c = {i, v, side};
				if (!eic_vec_push(&found, &c)) {
					error = EIC_ENOMEM;
					goto done;
				}
			}
		}
	}
	if (found.len > 1)
		qsort(found.data, found.len, sizeof(eic_milp_conflict), cmp_conflict);
	*out_count = found.len;
	*out = found.data;
	found.data = NULL;
	found.len = 0;
done:
	eic_vec_free(&found);
	eic_milp_result_clear(&res);
	eic_milp_free(e);
	eic_free(slack_lo);
	eic_free(slack_hi);
	eic_free(cols);
	eic_free(vals);
	return error;
}
