/* reconcile.c: the reconciliation engine: successive linearisation, elimination of the
 * unknowns, weighted least squares on the rest, error propagation, classification and tests. */
#include "mfa_private.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Relative size below which a coefficient made by cancellation is taken as zero. */
#define CANCEL_TOL 1e-12
/* Relative size of the right-hand side of an emptied row above which it is a contradiction. */
#define CONTRA_TOL 1e-9
/* Relative change beyond which the nonlinear iteration is said to run away. */
#define DIVERGE_LIMIT 1e12

struct eic_reconcile_result {
	eic_arena arena;
	eic_reconcile_var *vars;
	size_t var_count;
	eic_reconcile_summary summary;
	eic_vec notes; /* const char * in the arena */
};

/* One linearised equation during the elimination: sorted columns (measured first, then
 * unknowns), coefficients, right-hand side and the size of what made it (for tolerances). */
typedef struct {
	int *col;
	double *val;
	int len, cap;
	double rhs, rhs_scale;
	size_t eq; /* equation it started from */
} srow;

/* A sparse vector over the measured variables (one row of dz/dy). */
typedef struct {
	int *idx;
	double *val;
	int len;
} svec;

typedef struct {
	const eic_reconcile_problem *p;
	eic_reconcile_options opt;
	eic_reconcile_result *res;
	size_t nv;
	int ny, nz;
	int *col;   /* per variable: y index, ny + z index, or -1 for a constant */
	int *yvar;  /* y index -> variable */
	int *zvar;  /* z index -> variable */
	double *ym; /* measured values */
	double *q;  /* variances */
	double *x;  /* current point, every variable */
	/* elimination */
	srow *rows;
	size_t row_count;
	int *pivot_row; /* per z: its pivot row, -1 free */
	int *pivot_order;
	int pivot_count;
	unsigned char *is_pivot;
	unsigned char *undet; /* per z */
	/* reduced system */
	cs *B;
	double *b;
	int *kept; /* reduced row -> srow */
	eic_mfa__factor fac;
	int have_fac;
	/* scratch */
	double *dense;
	int *mark;
	eic_buf buf;
} solver;

/* ---- small helpers ---- */

static int add_note(eic_reconcile_result *res, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int add_note(eic_reconcile_result *res, const char *fmt, ...)
{
	eic_buf buf = EIC_BUF_INIT;
	va_list ap;
	int error = 0;
	va_start(ap, fmt);
	eic_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	char *copy = buf.failed ? NULL : eic_arena_strdup(&res->arena, buf.data ? buf.data : "");
	if (!copy || !eic_vec_push(&res->notes, &copy))
		error = EIC_ENOMEM;
	eic_buf_free(&buf);
	return error;
}

static const eic_mfa__var *var_at(const eic_reconcile_problem *p, size_t i)
{
	return EIC_VEC_AT(&p->vars, eic_mfa__var, i);
}

static const eic_mfa__eq *eq_at(const eic_reconcile_problem *p, size_t i)
{
	return EIC_VEC_AT(&p->eqs, eic_mfa__eq, i);
}

static const eic_reconcile_term *term_at(const eic_reconcile_problem *p, size_t i)
{
	return EIC_VEC_AT(&p->terms, eic_reconcile_term, i);
}

static int row_reserve(srow *r, int need)
{
	if (need <= r->cap)
		return 0;
	int cap = r->cap ? r->cap : 4;
	while (cap < need)
		cap *= 2;
	int *c = eic_realloc(r->col, (size_t)cap * sizeof(int));
	if (!c)
		return EIC_ENOMEM;
	r->col = c;
	double *v = eic_realloc(r->val, (size_t)cap * sizeof(double));
	if (!v)
		return EIC_ENOMEM;
	r->val = v;
	r->cap = cap;
	return 0;
}

static void rows_free(solver *s)
{
	for (size_t i = 0; i < s->row_count; i++) {
		eic_free(s->rows[i].col);
		eic_free(s->rows[i].val);
	}
	eic_free(s->rows);
	s->rows = NULL;
	s->row_count = 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Position of column c in a row, or -1 (binary search). */
static int row_find(const srow *r, int c)
{
	int lo = 0, hi = r->len - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (r->col[mid] == c)
			return mid;
		if (r->col[mid] < c)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* ---- linearisation ---- */

/*
 * Linearise every equation at s->x: f(x) + J (x' - x) = 0 becomes J x' = J x - f(x) over the
 * measured and unknown variables (constants stay in f). Duplicate variables in one equation
 * are merged through a dense scatter. O(terms). Returns 0 or EIC_ENOMEM.
 */
static int linearise(solver *s)
{
	const eic_reconcile_problem *p = s->p;
	size_t m = p->eqs.len;
	int ncol = s->ny + s->nz;
	int *touched = NULL;
	int error = 0;

	rows_free(s);
	s->rows = eic_calloc(m ? m : 1, sizeof(srow));
	touched = eic_malloc((size_t)(ncol ? ncol : 1) * sizeof(int));
	if (!s->rows || !touched) {
		error = EIC_ENOMEM;
		goto done;
	}
	s->row_count = m;
	for (size_t e = 0; e < m; e++) {
		const eic_mfa__eq *eq = eq_at(p, e);
		srow *r = &s->rows[e];
		double f = -eq->rhs, scale = fabs(eq->rhs);
		int nt = 0;
		r->eq = e;
		for (size_t t = 0; t < eq->term_count; t++) {
			const eic_reconcile_term *tm = term_at(p, eq->first_term + t);
			double xa = s->x[tm->var];
			double xb = tm->var2 == EIC_RECONCILE_NONE ? 1.0 : s->x[tm->var2];
			double value = tm->coef * xa * xb;
			f += value;
			scale += fabs(value);
			/* derivatives */
			for (int k = 0; k < (tm->var2 == EIC_RECONCILE_NONE ? 1 : 2); k++) {
				size_t v = k == 0 ? tm->var : tm->var2;
				double d = tm->var2 == EIC_RECONCILE_NONE ? tm->coef
				           : k == 0                       ? tm->coef * xb
				                                          : tm->coef * xa;
				int c = s->col[v];
				if (c < 0)
					continue;
				if (!s->mark[c]) {
					s->mark[c] = 1;
					s->dense[c] = 0.0;
					touched[nt++] = c;
				}
				s->dense[c] += d;
			}
		}
		qsort(touched, (size_t)nt, sizeof(int), cmp_int);
		if ((error = row_reserve(r, nt)) < 0)
			goto done;
		double jx = 0.0;
		for (int k = 0; k < nt; k++) {
			int c = touched[k];
			double d = s->dense[c];
			s->mark[c] = 0;
			s->dense[c] = 0.0;
			if (d == 0.0)
				continue;
			double xv = c < s->ny ? s->x[s->yvar[c]] : s->x[s->zvar[c - s->ny]];
			jx += d * xv;
			r->col[r->len] = c;
			r->val[r->len] = d;
			r->len++;
		}
		r->rhs = jx - f;
		r->rhs_scale = scale + fabs(jx);
	}
done:
	eic_free(touched);
	return error;
}

/* ---- elimination of the unknowns ---- */

/* dst = dst - factor * src, dropping column `drop`, merging sorted columns, cancellation
 * below CANCEL_TOL dropped. Each z column new to dst is pushed on its column list. */
static int row_axpy(srow *dst, const srow *src, double factor, int drop, int ny, eic_vec *collists,
                    int dst_index)
{
	int n1 = dst->len, n2 = src->len, i = 0, j = 0, k = 0;
	int *nc = eic_malloc((size_t)(n1 + n2 + 1) * sizeof(int));
	double *nv = eic_malloc((size_t)(n1 + n2 + 1) * sizeof(double));
	if (!nc || !nv) {
		eic_free(nc);
		eic_free(nv);
		return EIC_ENOMEM;
	}
	while (i < n1 || j < n2) {
		int c;
		double v, mag;
		if (j >= n2 || (i < n1 && dst->col[i] < src->col[j])) {
			c = dst->col[i];
			v = dst->val[i++];
			mag = fabs(v);
		} else if (i >= n1 || src->col[j] < dst->col[i]) {
			c = src->col[j];
			v = -factor * src->val[j++];
			mag = fabs(v);
			if (c >= ny && c != drop) {
				if (!eic_vec_push(&collists[c - ny], &dst_index)) {
					eic_free(nc);
					eic_free(nv);
					return EIC_ENOMEM;
				}
			}
		} else {
			c = dst->col[i];
			double a = dst->val[i++], bb = factor * src->val[j++];
			v = a - bb;
			mag = fabs(a) + fabs(bb);
		}
		if (c == drop || v == 0.0 || fabs(v) <= CANCEL_TOL * mag)
			continue;
		nc[k] = c;
		nv[k] = v;
		k++;
	}
	eic_free(dst->col);
	eic_free(dst->val);
	dst->col = nc;
	dst->val = nv;
	dst->len = k;
	dst->cap = n1 + n2 + 1;
	double rb = factor * src->rhs;
	double before = fabs(dst->rhs) + fabs(rb);
	dst->rhs -= rb;
	if (fabs(dst->rhs) <= CANCEL_TOL * before)
		dst->rhs = 0.0;
	dst->rhs_scale += fabs(factor) * src->rhs_scale;
	return 0;
}

typedef struct {
	int z, count;
} zcount;

static int cmp_zcount(const void *a, const void *b)
{
	const zcount *x = a, *y = b;
	if (x->count != y->count)
		return (x->count > y->count) - (x->count < y->count);
	return (x->z > y->z) - (x->z < y->z);
}

/*
 * Gaussian elimination of the unknowns' columns (Madron 1992; the equivalent of projecting
 * onto the left null space of the unknowns' block, Crowe et al. 1983): columns in order of
 * fewest equations first; in each, the pivot is the shortest row among those whose
 * coefficient is at least a tenth of the largest (threshold partial pivoting). A column with
 * no candidate row is free (its unknown is undetermined). The rows never chosen as pivots are
 * then free of unknowns: they are the redundant equations. O(fill) row operations.
 */
static int eliminate(solver *s)
{
	int nz = s->nz, ny = s->ny, error = 0;
	eic_vec *lists = NULL;
	zcount *order = NULL;
	unsigned char *seen = NULL;

	eic_free(s->pivot_row);
	eic_free(s->pivot_order);
	eic_free(s->is_pivot);
	s->pivot_row = eic_malloc((size_t)(nz ? nz : 1) * sizeof(int));
	s->pivot_order = eic_malloc((size_t)(nz ? nz : 1) * sizeof(int));
	s->is_pivot = eic_calloc(s->row_count ? s->row_count : 1, 1);
	lists = eic_calloc((size_t)(nz ? nz : 1), sizeof(eic_vec));
	order = eic_malloc((size_t)(nz ? nz : 1) * sizeof(zcount));
	seen = eic_calloc(s->row_count ? s->row_count : 1, 1);
	if (!s->pivot_row || !s->pivot_order || !s->is_pivot || !lists || !order || !seen) {
		error = EIC_ENOMEM;
		goto done;
	}
	s->pivot_count = 0;
	for (int z = 0; z < nz; z++) {
		eic_vec_init(&lists[z], sizeof(int));
		s->pivot_row[z] = -1;
	}
	for (size_t r = 0; r < s->row_count; r++) {
		const srow *row = &s->rows[r];
		int ri = (int)r;
		for (int k = row->len - 1; k >= 0 && row->col[k] >= ny; k--)
			if (!eic_vec_push(&lists[row->col[k] - ny], &ri)) {
				error = EIC_ENOMEM;
				goto done;
			}
	}
	for (int z = 0; z < nz; z++) {
		order[z].z = z;
		order[z].count = (int)lists[z].len;
	}
	qsort(order, (size_t)nz, sizeof(zcount), cmp_zcount);

	for (int oi = 0; oi < nz; oi++) {
		int z = order[oi].z, c = ny + z;
		eic_vec *lst = &lists[z];
		double maxabs = 0.0;
		/* drop stale and duplicate entries: keep rows that are not pivots and hold c */
		size_t keep = 0;
		for (size_t k = 0; k < lst->len; k++) {
			int r = *EIC_VEC_AT(lst, int, k);
			if (s->is_pivot[r] || seen[r])
				continue;
			int pos = row_find(&s->rows[r], c);
			if (pos < 0)
				continue;
			seen[r] = 1;
			*EIC_VEC_AT(lst, int, keep++) = r;
			double a = fabs(s->rows[r].val[pos]);
			if (a > maxabs)
				maxabs = a;
		}
		lst->len = keep;
		for (size_t k = 0; k < keep; k++)
			seen[*EIC_VEC_AT(lst, int, k)] = 0;
		if (keep == 0 || !(maxabs > 0.0))
			continue; /* free column */
		int best = -1, best_len = 0;
		for (size_t k = 0; k < keep; k++) {
			int r = *EIC_VEC_AT(lst, int, k);
			double a = fabs(s->rows[r].val[row_find(&s->rows[r], c)]);
			if (a < 0.1 * maxabs)
				continue;
			if (best < 0 || s->rows[r].len < best_len) {
				best = r;
				best_len = s->rows[r].len;
			}
		}
		s->is_pivot[best] = 1;
		s->pivot_row[z] = best;
		s->pivot_order[s->pivot_count++] = z;
		const srow *pr = &s->rows[best];
		double apc = pr->val[row_find(pr, c)];
		for (size_t k = 0; k < keep; k++) {
			int r = *EIC_VEC_AT(lst, int, k);
			if (r == best)
				continue;
			double arc = s->rows[r].val[row_find(&s->rows[r], c)];
			if ((error = row_axpy(&s->rows[r], pr, arc / apc, c, ny, lists, r)) < 0)
				goto done;
		}
	}
done:
	if (lists)
		for (int z = 0; z < nz; z++)
			eic_vec_free(&lists[z]);
	eic_free(lists);
	eic_free(order);
	eic_free(seen);
	return error;
}

/* ---- the reduced system ---- */

/* Readable name of equation row r for messages. */
static const char *row_name(const solver *s, int r)
{
	return eq_at(s->p, s->rows[r].eq)->name;
}

/*
 * Collect the rows free of unknowns into B (CSC, kept x ny) and b. A row with no measured
 * variable left is either an identity (dropped) or a contradiction between exact values, which
 * makes the problem inconsistent (*out_contra set, a note names the equation). O(nnz).
 */
static int build_reduced(solver *s, int *out_contra)
{
	int ny = s->ny, kept = 0, error = 0;
	size_t nnz = 0;
	cs *T = NULL;

	*out_contra = 0;
	cs_spfree(s->B);
	s->B = NULL;
	eic_free(s->b);
	eic_free(s->kept);
	s->b = eic_malloc((s->row_count ? s->row_count : 1) * sizeof(double));
	s->kept = eic_malloc((s->row_count ? s->row_count : 1) * sizeof(int));
	if (!s->b || !s->kept)
		return EIC_ENOMEM;
	for (size_t r = 0; r < s->row_count; r++) {
		const srow *row = &s->rows[r];
		if (s->is_pivot[r])
			continue;
		int ylen = 0;
		for (int k = 0; k < row->len && row->col[k] < ny; k++)
			ylen++;
		if (ylen == 0) {
			if (fabs(row->rhs) > CONTRA_TOL * row->rhs_scale &&
			    fabs(row->rhs) > 1e-300) {
				if (!*out_contra &&
				    (error = add_note(
				         s->res,
				         "%s cannot hold with the exact values%s: it is off "
				         "by %.6g",
				         row_name(s, (int)r),
				         s->nz ? " (after eliminating the unknowns)" : "",
				         -row->rhs)) < 0)
					return error;
				*out_contra = 1;
			}
			continue;
		}
		s->kept[kept] = (int)r;
		s->b[kept] = row->rhs;
		kept++;
		nnz += (size_t)ylen;
	}
	T = cs_spalloc(kept, ny, (int)(nnz ? nnz : 1), 1, 1);
	if (!T)
		return EIC_ENOMEM;
	for (int k = 0; k < kept; k++) {
		const srow *row = &s->rows[s->kept[k]];
		for (int e = 0; e < row->len && row->col[e] < ny; e++)
			if (!cs_entry(T, k, row->col[e], row->val[e])) {
				cs_spfree(T);
				return EIC_ENOMEM;
			}
	}
	s->B = cs_compress(T);
	cs_spfree(T);
	if (!s->B)
		return EIC_ENOMEM;
	return 0;
}

/* S = B Q B' as B D (B D)', D = diag(sqrt(q)). */
static cs *form_s(const solver *s)
{
	cs *BD = cs_spalloc(s->B->m, s->B->n, s->B->nzmax, 1, 0);
	cs *BDt = NULL, *S = NULL;
	if (!BD)
		return NULL;
	memcpy(BD->p, s->B->p, (size_t)(s->B->n + 1) * sizeof(int));
	int nnz = s->B->p[s->B->n];
	memcpy(BD->i, s->B->i, (size_t)nnz * sizeof(int));
	for (int j = 0; j < s->B->n; j++) {
		double w = sqrt(s->q[j]);
		for (int p = s->B->p[j]; p < s->B->p[j + 1]; p++)
			BD->x[p] = s->B->x[p] * w;
	}
	BDt = cs_transpose(BD, 1);
	if (BDt)
		S = cs_multiply(BD, BDt);
	cs_spfree(BD);
	cs_spfree(BDt);
	return S;
}

/* ---- one linearised solve ---- */

typedef enum { STEP_OK = 0, STEP_INCONSISTENT, STEP_SINGULAR } step_outcome;

/*
 * Solve the current linearisation: eliminate unknowns, reconcile the measured values
 * (y = ym - Q B' S^+ (B ym - b)), then compute the unknowns by back substitution. New
 * values go to xnew. O(elimination + factorisation).
 */
static int solve_step(solver *s, double *xnew, step_outcome *outcome)
{
	int error, contra = 0;
	double *r = NULL;
	cs *S = NULL;

	*outcome = STEP_OK;
	if ((error = linearise(s)) < 0 || (error = eliminate(s)) < 0 ||
	    (error = build_reduced(s, &contra)) < 0)
		goto done;
	if (contra) {
		*outcome = STEP_INCONSISTENT;
		goto done;
	}
	int m = s->B->m;
	r = eic_malloc((size_t)(m ? m : 1) * sizeof(double));
	if (!r) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (int k = 0; k < m; k++)
		r[k] = -s->b[k];
	for (int j = 0; j < s->ny; j++)
		for (int p = s->B->p[j]; p < s->B->p[j + 1]; p++)
			r[s->B->i[p]] += s->B->x[p] * s->ym[j];
	S = form_s(s);
	if (!S) {
		error = EIC_ENOMEM;
		goto done;
	}
	if (s->have_fac)
		eic_mfa__factor_free(&s->fac);
	s->have_fac = 1;
	error = eic_mfa__factor_compute(&s->fac, S, r, s->opt.solver == EIC_RECONCILE_DENSE);
	if (error == EIC_ERROR) {
		error = 0;
		*outcome = STEP_SINGULAR;
		goto done;
	}
	if (error < 0)
		goto done;
	if (s->fac.inconsistent) {
		*outcome = STEP_INCONSISTENT;
		if ((error = add_note(s->res,
		                      "%s contradicts the other equations whatever the "
		                      "measurements (off by %.6g after combining them)",
		                      row_name(s, s->kept[s->fac.bad_row]), s->fac.bad_value)) < 0)
			goto done;
		goto done;
	}
	/* measured */
	memcpy(xnew, s->x, s->nv * sizeof(double));
	for (int j = 0; j < s->ny; j++) {
		double adj = 0.0;
		for (int p = s->B->p[j]; p < s->B->p[j + 1]; p++)
			adj += s->B->x[p] * s->fac.lambda[s->B->i[p]];
		xnew[s->yvar[j]] = s->ym[j] - s->q[j] * adj;
	}
	/* unknowns, last pivot first */
	memset(s->undet, 0, (size_t)(s->nz ? s->nz : 1));
	for (int z = 0; z < s->nz; z++)
		if (s->pivot_row[z] < 0)
			s->undet[z] = 1;
	for (int k = s->pivot_count - 1; k >= 0; k--) {
		int z = s->pivot_order[k];
		const srow *row = &s->rows[s->pivot_row[z]];
		int c = s->ny + z;
		double acc = row->rhs, apc = 0.0;
		for (int e = 0; e < row->len; e++) {
			int cc = row->col[e];
			if (cc == c) {
				apc = row->val[e];
				continue;
			}
			if (cc < s->ny) {
				acc -= row->val[e] * xnew[s->yvar[cc]];
			} else {
				acc -= row->val[e] * xnew[s->zvar[cc - s->ny]];
				if (s->undet[cc - s->ny])
					s->undet[z] = 1;
			}
		}
		xnew[s->zvar[z]] = acc / apc;
	}
done:
	cs_spfree(S);
	eic_free(r);
	return error;
}

/* ---- error propagation and classification ---- */

static void fmt_coef_term(eic_buf *b, double coef, const char *name, int first)
{
	double a = fabs(coef);
	if (first)
		eic_buf_puts(b, coef < 0 ? "-" : "");
	else
		eic_buf_puts(b, coef < 0 ? " - " : " + ");
	if (fabs(a - 1.0) > 1e-12)
		eic_buf_printf(b, "%.6g ", a);
	eic_buf_puts(b, name);
}

/* "f3 + f4 = 12.5 is determined; the split is not", from the pivot row of z: the row with the
 * determinable unknowns and the measured values substituted. */
static int combination_text(solver *s, int z, const char **out)
{
	const srow *row = &s->rows[s->pivot_row[z]];
	int c = s->ny + z;
	double rhs = row->rhs, apc = row->val[row_find(row, c)];
	eic_buf *b = &s->buf;
	eic_buf_clear(b);
	fmt_coef_term(b, 1.0, var_at(s->p, (size_t)s->zvar[z])->id, 1);
	int others = 0;
	for (int e = 0; e < row->len; e++) {
		int cc = row->col[e];
		if (cc == c)
			continue;
		if (cc < s->ny) {
			rhs -= row->val[e] * s->x[s->yvar[cc]];
		} else if (!s->undet[cc - s->ny]) {
			rhs -= row->val[e] * s->x[s->zvar[cc - s->ny]];
		} else {
			fmt_coef_term(b, row->val[e] / apc,
			              var_at(s->p, (size_t)s->zvar[cc - s->ny])->id, 0);
			others++;
		}
	}
	double value = rhs / apc;
	if (fabs(value) < 1e-12 * (fabs(rhs) + 1e-300))
		value = 0.0;
	eic_buf_printf(b, " = %.6g is determined; %s", value,
	               others ? "the split is not" : "its terms are not");
	if (b->failed)
		return EIC_ENOMEM;
	*out = eic_arena_strdup(&s->res->arena, b->data);
	return *out ? 0 : EIC_ENOMEM;
}

/*
 * Fill the result's variables from the final point and factorisation: variances of the
 * measured by the selected inverse, of the unknowns by propagating dz/dy (back substitution
 * over the pivot rows) through Cov(y^) = Q - Q B' S^+ B Q. O(nnz(dz/dy) * solve).
 */
static int fill_results(solver *s, int solved)
{
	eic_reconcile_result *res = s->res;
	eic_reconcile_summary *sum = &res->summary;
	svec *d = NULL;
	double *acc = NULL, *vacc = NULL;
	int *touched = NULL, *vtouched = NULL;
	unsigned char *in = NULL, *vin = NULL;
	int error = 0, m = solved ? s->B->m : 0;

	double worst = 0.0;
	sum->worst = EIC_RECONCILE_NONE;
	for (size_t i = 0; i < s->nv; i++) {
		const eic_mfa__var *v = var_at(s->p, i);
		eic_reconcile_var *o = &res->vars[i];
		int c = s->col[i];
		o->id = eic_arena_strdup(&res->arena, v->id);
		if (!o->id) {
			error = EIC_ENOMEM;
			goto done;
		}
		o->determined = NULL;
		o->gross_error = 0;
		o->normalised_adjustment = 0.0;
		if (c < 0) {
			o->klass = EIC_RECONCILE_CONSTANT;
			o->measured = o->value = v->value;
			o->measured_sd = o->sd = 0.0;
			o->adjustment = 0.0;
			sum->constant_count++;
		} else if (c < s->ny) {
			o->measured = v->value;
			o->measured_sd = v->sd;
			o->value = v->value;
			o->sd = v->sd;
			o->adjustment = 0.0;
			int redundant = solved && s->B->p[c + 1] > s->B->p[c];
			o->klass =
			    redundant ? EIC_RECONCILE_REDUNDANT : EIC_RECONCILE_JUST_DETERMINED;
			if (redundant) {
				double qj = s->q[c];
				double vadj = qj * qj * eic_mfa__factor_col_quad(&s->fac, s->B, c);
				double vhat = qj - vadj;
				o->value = s->x[i];
				o->adjustment = o->value - o->measured;
				o->sd = sqrt(vhat > 0.0 ? vhat : 0.0);
				if (vadj > 1e-24 * qj) {
					o->normalised_adjustment = o->adjustment / sqrt(vadj);
					if (!isfinite(o->normalised_adjustment))
						o->normalised_adjustment = 0.0;
				}
				o->gross_error =
				    fabs(o->normalised_adjustment) > s->opt.gross_error_limit;
				if (o->gross_error)
					sum->gross_error_count++;
				if (fabs(o->normalised_adjustment) > worst) {
					worst = fabs(o->normalised_adjustment);
					sum->worst = i;
				}
				sum->redundant_count++;
			} else {
				sum->just_determined_count++;
			}
		} else {
			int z = c - s->ny;
			o->measured = NAN;
			o->measured_sd = NAN;
			o->adjustment = NAN;
			o->value = NAN;
			o->sd = NAN;
			if (solved && !s->undet[z]) {
				o->klass = EIC_RECONCILE_DETERMINABLE;
				o->value = s->x[i];
				sum->determinable_count++;
			} else {
				o->klass = EIC_RECONCILE_UNDETERMINED;
				sum->undetermined_count++;
			}
		}
	}
	if (!solved || s->nz == 0)
		goto done;

	/* dz/dy rows, last pivot first */
	d = eic_calloc((size_t)s->nz, sizeof(svec));
	acc = eic_calloc((size_t)(s->ny ? s->ny : 1), sizeof(double));
	touched = eic_malloc((size_t)(s->ny ? s->ny : 1) * sizeof(int));
	in = eic_calloc((size_t)(s->ny ? s->ny : 1), 1);
	vacc = eic_calloc((size_t)(m ? m : 1), sizeof(double));
	vtouched = eic_malloc((size_t)(m ? m : 1) * sizeof(int));
	vin = eic_calloc((size_t)(m ? m : 1), 1);
	if (!d || !acc || !touched || !in || !vacc || !vtouched || !vin) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (int k = s->pivot_count - 1; k >= 0; k--) {
		int z = s->pivot_order[k];
		if (s->undet[z])
			continue;
		const srow *row = &s->rows[s->pivot_row[z]];
		int c = s->ny + z, nt = 0;
		double apc = row->val[row_find(row, c)];
		for (int e = 0; e < row->len; e++) {
			int cc = row->col[e];
			if (cc == c)
				continue;
			if (cc < s->ny) {
				if (!in[cc]) {
					in[cc] = 1;
					touched[nt++] = cc;
				}
				acc[cc] -= row->val[e] / apc;
			} else {
				const svec *dz = &d[cc - s->ny];
				double f = -row->val[e] / apc;
				for (int t = 0; t < dz->len; t++) {
					int j = dz->idx[t];
					if (!in[j]) {
						in[j] = 1;
						touched[nt++] = j;
					}
					acc[j] += f * dz->val[t];
				}
			}
		}
		svec *out = &d[z];
		out->idx = eic_malloc((size_t)(nt ? nt : 1) * sizeof(int));
		out->val = eic_malloc((size_t)(nt ? nt : 1) * sizeof(double));
		if (!out->idx || !out->val) {
			error = EIC_ENOMEM;
			goto done;
		}
		double var = 0.0;
		int vn = 0;
		for (int t = 0; t < nt; t++) {
			int j = touched[t];
			double dj = acc[j];
			acc[j] = 0.0;
			in[j] = 0;
			if (dj == 0.0)
				continue;
			out->idx[out->len] = j;
			out->val[out->len] = dj;
			out->len++;
			var += dj * dj * s->q[j];
			for (int p = s->B->p[j]; p < s->B->p[j + 1]; p++) {
				int rr = s->B->i[p];
				if (!vin[rr]) {
					vin[rr] = 1;
					vtouched[vn++] = rr;
				}
				vacc[rr] += s->B->x[p] * s->q[j] * dj;
			}
		}
		double *vv = eic_malloc((size_t)(vn ? vn : 1) * sizeof(double));
		if (!vv) {
			error = EIC_ENOMEM;
			goto done;
		}
		for (int t = 0; t < vn; t++) {
			vv[t] = vacc[vtouched[t]];
			vacc[vtouched[t]] = 0.0;
			vin[vtouched[t]] = 0;
		}
		double quad = vn ? eic_mfa__factor_quad(&s->fac, vtouched, vv, vn) : 0.0;
		eic_free(vv);
		if (isnan(quad)) {
			error = EIC_ENOMEM;
			goto done;
		}
		var -= quad;
		res->vars[s->zvar[z]].sd = sqrt(var > 0.0 ? var : 0.0);
	}
	/* what is determined about the undetermined */
	for (int z = 0; z < s->nz; z++) {
		if (!s->undet[z])
			continue;
		int from = z;
		if (s->pivot_row[z] < 0) {
			/* a free unknown: find a pivot row that holds it */
			from = -1;
			for (int k = 0; k < s->pivot_count && from < 0; k++) {
				int zz = s->pivot_order[k];
				if (s->undet[zz] &&
				    row_find(&s->rows[s->pivot_row[zz]], s->ny + z) >= 0)
					from = zz;
			}
		}
		eic_reconcile_var *o = &res->vars[s->zvar[z]];
		if (from < 0) {
			eic_buf_clear(&s->buf);
			eic_buf_printf(&s->buf, "%s appears in no equation that could determine it",
			               o->id);
			if (s->buf.failed ||
			    !(o->determined = eic_arena_strdup(&res->arena, s->buf.data))) {
				error = EIC_ENOMEM;
				goto done;
			}
		} else if ((error = combination_text(s, from, &o->determined)) < 0) {
			goto done;
		}
	}
done:
	if (d)
		for (int z = 0; z < s->nz; z++) {
			eic_free(d[z].idx);
			eic_free(d[z].val);
		}
	eic_free(d);
	eic_free(acc);
	eic_free(touched);
	eic_free(in);
	eic_free(vacc);
	eic_free(vtouched);
	eic_free(vin);
	return error;
}

/* ---- the summary in plain words ---- */

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void fmt_p(char *buf, size_t size, double p)
{
	if (p < 0.0001)
		snprintf(buf, size, "p < 0.0001");
	else
		snprintf(buf, size, "p = %.2g", p);
}

static int make_message(solver *s)
{
	eic_reconcile_summary *sum = &s->res->summary;
	eic_buf *b = &s->buf;
	char p[32];
	eic_buf_clear(b);
	switch (sum->status) {
	case EIC_RECONCILE_EMPTY:
		eic_buf_puts(b, s->nv == 0
		                    ? "The problem is empty: there are no flows to reconcile."
		                    : "There is nothing to reconcile: no process has flows, so "
		                      "there is no balance or relation to check.");
		break;
	case EIC_RECONCILE_INCONSISTENT:
		eic_buf_puts(b, "The balances and relations cannot all hold, whatever the "
		                "measurements: the exact values contradict them (see the notes). "
		                "Give the suspect values an uncertainty or correct them.");
		break;
	case EIC_RECONCILE_SINGULAR:
		eic_buf_puts(b, "The linearised system is numerically singular: no reconciliation "
		                "was possible (check for unknowns that multiply each other with "
		                "starting values of 0).");
		break;
	case EIC_RECONCILE_MAX_ITERATIONS:
		eic_buf_printf(
		    b,
		    "The nonlinear iteration did not converge in %u iterations; the values "
		    "shown are the last iterate and should not be trusted.",
		    sum->iterations);
		break;
	case EIC_RECONCILE_DIVERGED:
		eic_buf_printf(b,
		               "The nonlinear iteration diverged after %u iterations (values ran "
		               "away); give the unknowns better starting values.",
		               sum->iterations);
		break;
	case EIC_RECONCILE_OK:
		fmt_p(p, sizeof(p), sum->p_value);
		if (sum->measured_count == 0)
			eic_buf_puts(b,
			             "No value has an uncertainty, so nothing can be adjusted or "
			             "tested: every given value is taken as exact.");
		else if (!sum->tested)
			eic_buf_puts(b,
			             "There is no redundancy: the measurements cannot be checked "
			             "against the balances, and nothing was adjusted.");
		else if (sum->consistent)
			eic_buf_printf(
			    b,
			    "The measurements are consistent with the balances (chi-square "
			    "%.2f on %zu %s of freedom, %s).",
			    sum->chi2, sum->dof, plural(sum->dof, "degree", "degrees"), p);
		else {
			eic_buf_printf(b,
			               "The measurements are not consistent with the balances "
			               "(chi-square %.2f on %zu %s of freedom, %s)",
			               sum->chi2, sum->dof, plural(sum->dof, "degree", "degrees"),
			               p);
			if (sum->worst != EIC_RECONCILE_NONE) {
				const eic_reconcile_var *w = &s->res->vars[sum->worst];
				eic_buf_printf(b, ": check %s first (normalised adjustment %.1f)",
				               w->id, w->normalised_adjustment);
			}
			eic_buf_puts(b, ".");
		}
		break;
	}
	if (b->failed)
		return EIC_ENOMEM;
	sum->message = eic_arena_strdup(&s->res->arena, b->data);
	return sum->message ? 0 : EIC_ENOMEM;
}

/* ---- driver ---- */

static int problem_is_nonlinear(const solver *s)
{
	for (size_t t = 0; t < s->p->terms.len; t++) {
		const eic_reconcile_term *tm = term_at(s->p, t);
		if (tm->var2 != EIC_RECONCILE_NONE && s->col[tm->var] >= 0 && s->col[tm->var2] >= 0)
			return 1;
	}
	return 0;
}

static void solver_free(solver *s)
{
	rows_free(s);
	eic_free(s->col);
	eic_free(s->yvar);
	eic_free(s->zvar);
	eic_free(s->ym);
	eic_free(s->q);
	eic_free(s->x);
	eic_free(s->pivot_row);
	eic_free(s->pivot_order);
	eic_free(s->is_pivot);
	eic_free(s->undet);
	cs_spfree(s->B);
	eic_free(s->b);
	eic_free(s->kept);
	if (s->have_fac)
		eic_mfa__factor_free(&s->fac);
	eic_free(s->dense);
	eic_free(s->mark);
	eic_buf_free(&s->buf);
}

/*
 * Contract: see reconcile.h. Successive linearisation (Cencic 2016, after Knepper and Gorman
 * 1980): every iteration linearises at the last estimate and reconciles the original
 * measurements against it, so a linear problem takes one step. Stops when the largest change
 * relative to max(|x|, 1e-12 * scale) is below the tolerance.
 */
int eic_reconcile(eic_reconcile_result **out, const eic_reconcile_problem *problem,
                  const eic_reconcile_options *opts)
{
	eic_reconcile_options defaults = EIC_RECONCILE_OPTIONS_INIT;
	eic_reconcile_result *res = NULL;
	solver s;
	double *xnew = NULL;
	int error = 0;

	memset(&s, 0, sizeof(s));
	if (!out || !problem) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != EIC_RECONCILE_OPTIONS_VERSION || !(opts->alpha > 0.0) ||
	    !(opts->alpha < 1.0) || !(opts->tolerance > 0.0) || !(opts->gross_error_limit > 0.0) ||
	    (opts->solver != EIC_RECONCILE_SPARSE && opts->solver != EIC_RECONCILE_DENSE)) {
		error = EIC_EINVAL;
		goto done;
	}
	s.opt = *opts;
	s.p = problem;
	s.nv = problem->vars.len;
	if (s.nv > (size_t)INT_MAX / 4) {
		error = EIC_ENOMEM;
		goto done;
	}

	res = eic_calloc(1, sizeof(*res));
	if (!res) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&res->arena);
	eic_vec_init(&res->notes, sizeof(const char *));
	s.res = res;
	res->var_count = s.nv;
	res->vars = eic_calloc(s.nv ? s.nv : 1, sizeof(eic_reconcile_var));
	if (!res->vars) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < problem->notes.len; i++)
		if ((error = add_note(res, "%s", eic_reconcile_problem_note(problem, i))) < 0)
			goto done;
	eic_reconcile_summary *sum = &res->summary;
	sum->alpha = opts->alpha;
	sum->p_value = 1.0;
	sum->consistent = 1;
	sum->worst = EIC_RECONCILE_NONE;

	/* partition the variables */
	s.col = eic_malloc((s.nv ? s.nv : 1) * sizeof(int));
	s.yvar = eic_malloc((s.nv ? s.nv : 1) * sizeof(int));
	s.zvar = eic_malloc((s.nv ? s.nv : 1) * sizeof(int));
	s.ym = eic_malloc((s.nv ? s.nv : 1) * sizeof(double));
	s.q = eic_malloc((s.nv ? s.nv : 1) * sizeof(double));
	s.x = eic_malloc((s.nv ? s.nv : 1) * sizeof(double));
	xnew = eic_malloc((s.nv ? s.nv : 1) * sizeof(double));
	if (!s.col || !s.yvar || !s.zvar || !s.ym || !s.q || !s.x || !xnew) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < s.nv; i++) {
		const eic_mfa__var *v = var_at(problem, i);
		if (isnan(v->value)) {
			s.col[i] = -2; /* fixed below */
			s.zvar[s.nz++] = (int)i;
			s.x[i] = v->start;
		} else if (v->sd > 0.0) {
			s.col[i] = s.ny;
			s.yvar[s.ny] = (int)i;
			s.ym[s.ny] = v->value;
			s.q[s.ny] = v->sd * v->sd;
			s.ny++;
			s.x[i] = v->value;
		} else {
			s.col[i] = -1;
			s.x[i] = v->value;
		}
	}
	for (int z = 0; z < s.nz; z++)
		s.col[s.zvar[z]] = s.ny + z;
	sum->measured_count = (size_t)s.ny;
	s.dense = eic_calloc((size_t)(s.ny + s.nz + 1), sizeof(double));
	s.mark = eic_calloc((size_t)(s.ny + s.nz + 1), sizeof(int));
	s.undet = eic_calloc((size_t)(s.nz ? s.nz : 1), 1);
	if (!s.dense || !s.mark || !s.undet) {
		error = EIC_ENOMEM;
		goto done;
	}
	sum->nonlinear = problem_is_nonlinear(&s);

	if (s.nv == 0 || problem->eqs.len == 0) {
		sum->status = EIC_RECONCILE_EMPTY;
		memset(s.undet, 1, (size_t)(s.nz ? s.nz : 1));
		if ((error = fill_results(&s, 0)) < 0)
			goto done;
		goto message;
	}

	int solved = 0;
	for (unsigned it = 0;; it++) {
		step_outcome oc;
		if (it >= (sum->nonlinear ? opts->max_iterations : 1u)) {
			if (sum->nonlinear)
				sum->status = EIC_RECONCILE_MAX_ITERATIONS;
			break;
		}
		if ((error = solve_step(&s, xnew, &oc)) < 0)
			goto done;
		sum->iterations = it + 1;
		if (oc == STEP_INCONSISTENT) {
			sum->status = EIC_RECONCILE_INCONSISTENT;
			break;
		}
		if (oc == STEP_SINGULAR) {
			sum->status = EIC_RECONCILE_SINGULAR;
			break;
		}
		double change = 0.0;
		int finite = 1;
		for (size_t i = 0; i < s.nv; i++) {
			if (!isfinite(xnew[i])) {
				finite = 0;
				break;
			}
			double base = fabs(s.x[i]) > 1e-12 ? fabs(s.x[i]) : 1e-12;
			double rel = fabs(xnew[i] - s.x[i]) / base;
			if (s.col[i] >= s.ny && s.undet[s.col[i] - s.ny])
				continue; /* arbitrary value of an undetermined unknown */
			if (rel > change)
				change = rel;
		}
		if (!finite || (sum->nonlinear && change > DIVERGE_LIMIT)) {
			sum->status = EIC_RECONCILE_DIVERGED;
			break;
		}
		memcpy(s.x, xnew, s.nv * sizeof(double));
		solved = 1;
		if (!sum->nonlinear || change < opts->tolerance) {
			sum->status = EIC_RECONCILE_OK;
			break;
		}
	}
	if (sum->status == EIC_RECONCILE_MAX_ITERATIONS &&
	    (error = add_note(res,
	                      "the nonlinear iteration stopped after %u iterations "
	                      "without converging",
	                      sum->iterations)) < 0)
		goto done;
	if (sum->status == EIC_RECONCILE_OK) {
		sum->chi2 = s.fac.chi2;
		sum->dof = s.fac.dof;
		sum->tested = sum->dof > 0;
		sum->p_value = sum->tested ? eic_chi2_sf(sum->chi2, (double)sum->dof) : 1.0;
		if (!isfinite(sum->p_value))
			sum->p_value = 1.0;
		sum->consistent = !sum->tested || sum->p_value >= opts->alpha;
	}
	if ((error = fill_results(&s, solved && sum->status == EIC_RECONCILE_OK)) < 0)
		goto done;
message:
	if ((error = make_message(&s)) < 0)
		goto done;
	*out = res;
	res = NULL;
done:
	eic_free(xnew);
	solver_free(&s);
	eic_reconcile_result_free(res);
	return error;
}

void eic_reconcile_result_free(eic_reconcile_result *res)
{
	if (!res)
		return;
	eic_free(res->vars);
	eic_vec_free(&res->notes);
	eic_arena_clear(&res->arena);
	eic_free(res);
}

const eic_reconcile_summary *eic_reconcile_result_summary(const eic_reconcile_result *res)
{
	return res ? &res->summary : NULL;
}

size_t eic_reconcile_result_var_count(const eic_reconcile_result *res)
{
	return res ? res->var_count : 0;
}

const eic_reconcile_var *eic_reconcile_result_var(const eic_reconcile_result *res, size_t i)
{
	return res && i < res->var_count ? &res->vars[i] : NULL;
}

size_t eic_reconcile_result_note_count(const eic_reconcile_result *res)
{
	return res ? res->notes.len : 0;
}

const char *eic_reconcile_result_note(const eic_reconcile_result *res, size_t i)
{
	return res && i < res->notes.len ? *EIC_VEC_AT(&res->notes, const char *, i) : NULL;
}

const char *eic_reconcile_class_name(eic_reconcile_class klass)
{
	switch (klass) {
	case EIC_RECONCILE_REDUNDANT:
		return "redundant";
	case EIC_RECONCILE_JUST_DETERMINED:
		return "just determined";
	case EIC_RECONCILE_DETERMINABLE:
		return "determinable";
	case EIC_RECONCILE_UNDETERMINED:
		return "undetermined";
	case EIC_RECONCILE_CONSTANT:
		return "constant";
	}
	return "?";
}

const char *eic_reconcile_status_name(eic_reconcile_status status)
{
	switch (status) {
	case EIC_RECONCILE_OK:
		return "ok";
	case EIC_RECONCILE_EMPTY:
		return "empty";
	case EIC_RECONCILE_INCONSISTENT:
		return "inconsistent";
	case EIC_RECONCILE_SINGULAR:
		return "singular";
	case EIC_RECONCILE_MAX_ITERATIONS:
		return "max iterations";
	case EIC_RECONCILE_DIVERGED:
		return "diverged";
	}
	return "?";
}
