/* reconcile_factor.c: factorisation of the reduced reconciliation system S = B Q B', sparse
 * (CXSparse ordering, our up-looking Cholesky, selected inverse) or dense (LAPACK). */
#include "mfa_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

/* A pivot below this fraction of its row's diagonal marks a dependent row. The Schur
 * complement of an exactly dependent row is rounding noise (~1e-16 relative). */
#define DEP_TOL 1e-9
/* A dependent row whose right-hand side residual exceeds this fraction of the terms that
 * made it is inconsistent. */
#define INCONSISTENT_TOL 1e-7

static void factor_reset(eic_mfa__factor *f)
{
	memset(f, 0, sizeof(*f));
	f->bad_row = -1;
}

/* Position of row `row` in column `col` of L (rows sorted, diagonal first), or -1. */
static int find_entry(const cs *L, int col, int row)
{
	int lo = L->p[col], hi = L->p[col + 1] - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (L->i[mid] == row)
			return mid;
		if (L->i[mid] < row)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Entry (a, b) of the selected inverse, any order of a and b (permuted indices). */
static double z_at(const eic_mfa__factor *f, int a, int b)
{
	if (a < b) {
		int t = a;
		a = b;
		b = t;
	}
	int p = find_entry(f->L, b, a);
	return p < 0 ? 0.0 : f->zx[p];
}

/*
 * Sparse path. Ordering and symbolic analysis by CXSparse (cs_schol: AMD on S, elimination
 * tree, column counts); numeric factorisation by an up-looking Cholesky (Davis 2006, "Direct
 * Methods for Sparse Linear Systems", ch. 4) that drops dependent rows instead of failing,
 * with the forward solve of r done row by row so the consistency of every dropped row is
 * checked as it is found. Then the selected inverse on the pattern of L (Takahashi, Fagan
 * and Chen 1973; Erisman and Tinney 1975), from the last column to the first. Cost: that of
 * the factorisation, twice, plus a binary search per inverse entry used.
 */
static int factor_sparse(eic_mfa__factor *f, const cs *S, const double *r)
{
	int n = S->n, error = 0;
	css *sym = NULL;
	cs *C = NULL;
	int *c = NULL, *s = NULL, *pos = NULL;
	double *x = NULL, *y = NULL, *pr = NULL;

	sym = cs_schol(1, S);
	if (!sym) {
		error = EIC_ENOMEM;
		goto done;
	}
	C = cs_symperm(S, sym->pinv, 1);
	f->L = cs_spalloc(n, n, sym->cp[n], 1, 0);
	f->pinv = eic_malloc((size_t)(n ? n : 1) * sizeof(int));
	c = eic_malloc((size_t)(n ? n : 1) * sizeof(int));
	s = eic_malloc((size_t)(n ? n : 1) * sizeof(int));
	pos = eic_malloc((size_t)(n ? n : 1) * sizeof(int));
	x = eic_calloc((size_t)(n ? n : 1), sizeof(double));
	y = eic_calloc((size_t)(n ? n : 1), sizeof(double));
	pr = eic_malloc((size_t)(n ? n : 1) * sizeof(double));
	if (!C || !f->L || !f->pinv || !c || !s || !pos || !x || !y || !pr) {
		error = EIC_ENOMEM;
		goto done;
	}
	memcpy(f->pinv, sym->pinv, (size_t)n * sizeof(int));
	for (int i = 0; i < n; i++)
		pr[f->pinv[i]] = r[i];
	int *Lp = f->L->p, *Li = f->L->i;
	double *Lx = f->L->x;
	memcpy(Lp, sym->cp, (size_t)(n + 1) * sizeof(int));
	memcpy(c, sym->cp, (size_t)n * sizeof(int));
	unsigned char *depp = f->depp = eic_calloc((size_t)(n ? n : 1), 1); /* permuted order */
	if (!depp) {
		error = EIC_ENOMEM;
		goto done;
	}
	f->chi2 = 0.0;
	for (int k = 0; k < n; k++) {
		int top = cs_ereach(C, k, sym->parent, s, c);
		double diag = 0.0;
		x[k] = 0.0;
		for (int p = C->p[k]; p < C->p[k + 1]; p++)
			if (C->i[p] <= k)
				x[C->i[p]] = C->x[p];
		diag = x[k];
		double d = diag;
		double acc = 0.0, acc_abs = fabs(pr[k]);
		int count = 0;
		x[k] = 0.0;
		for (; top < n; top++) {
			int i = s[top];
			double lki = depp[i] ? 0.0 : x[i] / Lx[Lp[i]];
			x[i] = 0.0;
			if (lki != 0.0) {
				for (int p = Lp[i] + 1; p < c[i]; p++)
					x[Li[p]] -= Lx[p] * lki;
				d -= lki * lki;
				acc += lki * y[i];
				acc_abs += fabs(lki * y[i]);
			}
			int p = c[i]++;
			Li[p] = k;
			Lx[p] = lki;
			pos[count++] = p;
		}
		int p = c[k]++;
		Li[p] = k;
		if (!(diag > 0.0) || !(d > DEP_TOL * diag)) {
			/* dependent: drop the row, check that r agrees with it */
			double resid = pr[k] - acc;
			depp[k] = 1;
			Lx[p] = 1.0;
			for (int q = 0; q < count; q++)
				Lx[pos[q]] = 0.0;
			y[k] = 0.0;
			if (!f->inconsistent && fabs(resid) > INCONSISTENT_TOL * acc_abs &&
			    fabs(resid) > 1e-300) {
				f->inconsistent = 1;
				f->bad_row = k; /* permuted; mapped below */
				f->bad_value = resid;
			}
		} else {
			Lx[p] = sqrt(d);
			y[k] = (pr[k] - acc) / Lx[p];
			f->chi2 += y[k] * y[k];
		}
		if (!isfinite(Lx[p])) {
			error = EIC_ERROR;
			goto done;
		}
	}
	/* backward solve L' w = y, then lambda = P' w */
	for (int j = n - 1; j >= 0; j--) {
		double v = y[j];
		for (int p = Lp[j] + 1; p < Lp[j + 1]; p++)
			v -= Lx[p] * y[Li[p]];
		y[j] = depp[j] ? 0.0 : v / Lx[Lp[j]];
	}
	for (int i = 0; i < n; i++) {
		f->lambda[i] = y[f->pinv[i]];
		f->dep[i] = depp[f->pinv[i]];
		if (!f->dep[i])
			f->dof++;
	}
	if (f->inconsistent) {
		for (int i = 0; i < n; i++)
			if (f->pinv[i] == f->bad_row) {
				f->bad_row = i;
				break;
			}
	}

	/* selected inverse on the pattern of L */
	f->zx = eic_calloc((size_t)(Lp[n] ? Lp[n] : 1), sizeof(double));
	if (!f->zx) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (int j = n - 1; j >= 0; j--) {
		if (depp[j])
			continue;
		double ljj = Lx[Lp[j]];
		for (int p = Lp[j + 1] - 1; p > Lp[j]; p--) {
			int i = Li[p];
			double sum = 0.0;
			if (depp[i])
				continue;
			for (int q = Lp[j] + 1; q < Lp[j + 1]; q++)
				if (Lx[q] != 0.0)
					sum += Lx[q] * z_at(f, i, Li[q]);
			f->zx[p] = -sum / ljj;
		}
		double sum = 0.0;
		for (int q = Lp[j] + 1; q < Lp[j + 1]; q++)
			sum += Lx[q] * f->zx[q];
		f->zx[Lp[j]] = (1.0 / ljj - sum) / ljj;
	}
done:
	cs_sfree(sym);
	cs_spfree(C);
	eic_free(c);
	eic_free(s);
	eic_free(pos);
	eic_free(x);
	eic_free(y);
	eic_free(pr);
	return error;
}

/*
 * Dense path: S densified, factored by LAPACK's pivoted Cholesky (dpstrf, which stops at the
 * numerical rank), the leading block solved by dpotrs and inverted by dpotri. Rows past the
 * rank are dependent; their consistency is checked with the forward solve. O(n^3).
 */
static int factor_dense(eic_mfa__factor *f, const cs *S, const double *r)
{
	int n = S->n, error = 0;
	lapack_int rank = 0;
	size_t nn = (size_t)n * (size_t)n;
	double *a = eic_calloc(nn ? nn : 1, sizeof(double));
	double *w = eic_malloc((size_t)(n ? n : 1) * sizeof(double));
	double *scale = eic_malloc((size_t)(n ? n : 1) * sizeof(double));
	lapack_int *piv = eic_malloc((size_t)(n ? n : 1) * sizeof(lapack_int));

	f->z = eic_calloc(nn ? nn : 1, sizeof(double));
	if (!a || !w || !scale || !piv || !f->z) {
		error = EIC_ENOMEM;
		goto done;
	}
	if (n == 0)
		goto done;
	for (int j = 0; j < n; j++)
		for (int p = S->p[j]; p < S->p[j + 1]; p++) {
			int i = S->i[p];
			/* row-major upper triangle: a[i][j] with i <= j */
			if (i <= j)
				a[(size_t)i * n + j] = S->x[p];
			else
				a[(size_t)j * n + i] = S->x[p];
		}
	/* Scale to a unit diagonal so that the rank tolerance is relative to each row. */
	for (int i = 0; i < n; i++) {
		double d = a[(size_t)i * n + i];
		scale[i] = d > 0.0 ? 1.0 / sqrt(d) : 1.0;
	}
	for (int i = 0; i < n; i++)
		for (int j = i; j < n; j++)
			a[(size_t)i * n + j] *= scale[i] * scale[j];
	lapack_int info = LAPACKE_dpstrf(LAPACK_ROW_MAJOR, 'U', n, a, n, piv, &rank, DEP_TOL);
	if (info < 0) {
		error = EIC_ERROR;
		goto done;
	}
	/* P' S P = U' U with U (row-major upper) rank x n. Forward solve U' y = P' r. */
	for (int k = 0; k < n; k++)
		w[k] = r[piv[k] - 1] * scale[piv[k] - 1];
	for (int k = 0; k < rank; k++) {
		double v = w[k];
		for (int i = 0; i < k; i++)
			v -= a[(size_t)i * n + k] * w[i];
		w[k] = v / a[(size_t)k * n + k];
		f->chi2 += w[k] * w[k];
	}
	for (int k = (int)rank; k < n; k++) {
		double v = w[k], vabs = fabs(w[k]);
		for (int i = 0; i < rank; i++) {
			v -= a[(size_t)i * n + k] * w[i];
			vabs += fabs(a[(size_t)i * n + k] * w[i]);
		}
		int orig = piv[k] - 1;
		f->dep[orig] = 1;
		if (!f->inconsistent && fabs(v) > INCONSISTENT_TOL * vabs && fabs(v) > 1e-300) {
			f->inconsistent = 1;
			f->bad_row = orig;
			f->bad_value = v / scale[orig];
		}
	}
	f->dof = (size_t)rank;
	/* backward solve U w = y on the leading block */
	for (int k = (int)rank - 1; k >= 0; k--) {
		double v = w[k];
		for (int j = k + 1; j < rank; j++)
			v -= a[(size_t)k * n + j] * w[j];
		w[k] = v / a[(size_t)k * n + k];
	}
	for (int k = 0; k < n; k++) {
		int o = piv[k] - 1;
		f->lambda[o] = k < rank ? w[k] * scale[o] : 0.0;
	}
	if (rank > 0) {
		info = LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'U', rank, a, n);
		if (info != 0) {
			error = EIC_ERROR;
			goto done;
		}
		for (int k = 0; k < rank; k++)
			for (int l = k; l < rank; l++) {
				int ok = piv[k] - 1, ol = piv[l] - 1;
				double v = a[(size_t)k * n + l] * scale[ok] * scale[ol];
				f->z[(size_t)ok * n + ol] = v;
				f->z[(size_t)ol * n + ok] = v;
			}
	}
done:
	eic_free(a);
	eic_free(w);
	eic_free(scale);
	eic_free(piv);
	return error;
}

int eic_mfa__factor_compute(eic_mfa__factor *f, const cs *S, const double *r, int dense)
{
	int n = S->n, error;
	factor_reset(f);
	f->dense = dense;
	f->n = n;
	f->dep = eic_calloc((size_t)(n ? n : 1), 1);
	f->lambda = eic_calloc((size_t)(n ? n : 1), sizeof(double));
	f->work = eic_calloc((size_t)(n ? n : 1), sizeof(double));
	f->iwork = eic_malloc((size_t)(2 * n + 1) * sizeof(int));
	if (!f->dep || !f->lambda || !f->work || !f->iwork)
		return EIC_ENOMEM;
	error = dense ? factor_dense(f, S, r) : factor_sparse(f, S, r);
	if (error == 0 && !isfinite(f->chi2))
		error = EIC_ERROR;
	return error;
}

double eic_mfa__factor_col_quad(const eic_mfa__factor *f, const cs *B, int j)
{
	double sum = 0.0;
	for (int p = B->p[j]; p < B->p[j + 1]; p++) {
		int a = B->i[p];
		if (f->dep[a])
			continue;
		for (int q = B->p[j]; q < B->p[j + 1]; q++) {
			int b = B->i[q];
			if (f->dep[b])
				continue;
			double zab =
			    f->dense ? f->z[(size_t)a * f->n + b] : z_at(f, f->pinv[a], f->pinv[b]);
			sum += B->x[p] * B->x[q] * zab;
		}
	}
	return sum;
}

/* Sparse path: solve L w = P v restricted to the reach of v in the elimination graph (as in
 * Davis's cs_reach/cs_spsolve, done here on our own arrays), then |w|^2 over the rows that
 * are not dependent. Dense path: v' Z v directly. */
double eic_mfa__factor_quad(eic_mfa__factor *f, const int *idx, const double *val, int len)
{
	double sum = 0.0;
	if (f->dense) {
		for (int a = 0; a < len; a++)
			for (int b = 0; b < len; b++)
				sum += val[a] * val[b] * f->z[(size_t)idx[a] * f->n + idx[b]];
		return sum;
	}
	cs *L = f->L;
	int n = f->n, top = n;
	int *xi = f->iwork; /* 2n: stack and recursion */
	double *x = f->work;
	/* a one-column CSC matrix for cs_reach */
	cs b;
	int bp[2] = {0, len};
	int *bi = eic_malloc((size_t)(len ? len : 1) * sizeof(int));
	if (!bi)
		return NAN;
	for (int a = 0; a < len; a++)
		bi[a] = f->pinv[idx[a]];
	b.nzmax = len;
	b.m = n;
	b.n = 1;
	b.p = bp;
	b.i = bi;
	b.x = NULL;
	b.nz = -1;
	top = cs_reach(L, &b, 0, xi, NULL);
	for (int p = top; p < n; p++)
		x[xi[p]] = 0.0;
	for (int a = 0; a < len; a++)
		x[bi[a]] += val[a];
	for (int px = top; px < n; px++) {
		int j = xi[px];
		if (f->depp[j])
			continue;
		x[j] /= L->x[L->p[j]];
		double xj = x[j];
		for (int p = L->p[j] + 1; p < L->p[j + 1]; p++)
			x[L->i[p]] -= L->x[p] * xj;
	}
	for (int px = top; px < n; px++) {
		int j = xi[px];
		if (!f->depp[j])
			sum += x[j] * x[j];
		x[j] = 0.0;
	}
	eic_free(bi);
	return sum;
}

void eic_mfa__factor_free(eic_mfa__factor *f)
{
	if (!f)
		return;
	eic_free(f->dep);
	eic_free(f->lambda);
	cs_spfree(f->L);
	eic_free(f->pinv);
	eic_free(f->zx);
	eic_free(f->depp);
	eic_free(f->z);
	eic_free(f->work);
	eic_free(f->iwork);
	factor_reset(f);
}
