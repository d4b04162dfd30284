/* mfa_private.h: internals of the reconciliation module shared by its files and its unit
 * test: the problem's storage and the factorisation of the reduced system B Q B'. */
#ifndef EIC_MFA_PRIVATE_H
#define EIC_MFA_PRIVATE_H

#include <eic/reconcile.h>

#include <cs.h>

#include "util/util.h"

/* Hard caps on a problem: a bound on what outside input can make us allocate. */
#define EIC_MFA_MAX_VARIABLES ((size_t)10 * 1000 * 1000)
#define EIC_MFA_MAX_TERMS ((size_t)50 * 1000 * 1000)

typedef struct {
	const char *id; /* in the arena */
	double value;   /* NaN: unknown */
	double sd;      /* > 0: measured; otherwise exact when value is finite */
	double start;   /* starting value of an unknown */
} eic_mfa__var;

typedef struct {
	const char *name;  /* in the arena */
	size_t first_term; /* into terms */
	size_t term_count;
	double rhs;
} eic_mfa__eq;

struct eic_reconcile_problem {
	eic_arena arena;
	eic_vec vars;  /* eic_mfa__var */
	eic_vec terms; /* eic_reconcile_term */
	eic_vec eqs;   /* eic_mfa__eq */
	eic_vec notes; /* const char * in the arena */
	eic_map ids;   /* id -> variable index; keys in the arena */
	const char *unit;
};

/* Append a printf-formatted note to a problem. 0 or EIC_ENOMEM. */
int eic_mfa__problem_note(eic_reconcile_problem *p, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- factorisation of S = B Q B' (reconcile_factor.c) */

/* A factorisation of the symmetric positive semi-definite matrix S (n x n) with its
 * dependent rows detected and dropped, and the forward solve of one right-hand side r.
 * Rows of S that are linear combinations of earlier rows (pivot below a relative tolerance)
 * are "dependent": they take no part; if r is not consistent with them the system is
 * inconsistent. */
typedef struct {
	int dense; /* 1: LAPACK path, 0: CXSparse path */
	int n;
	unsigned char *dep; /* per row of S (original order): 1 dependent */
	size_t dof;         /* n - dependent rows */
	double chi2;        /* r' S^+ r */
	double *lambda;     /* S^+ r, original order */
	int inconsistent;   /* a dependent row whose r does not vanish */
	int bad_row;        /* that row (original order), or -1 */
	double bad_value;   /* its residual */
	/* sparse */
	cs *L;     /* lower factor of P S P' (dependent rows: unit diagonal, no off-diagonal) */
	int *pinv; /* row i of S is row pinv[i] of P S P' */
	unsigned char *depp; /* dependent flags in the permuted order */
	double *zx;          /* selected inverse: entries of (P S P')^+ on the pattern of L */
	/* dense */
	double *z; /* S^+ (n x n, row-major, original order) */
	/* workspaces for quad() */
	double *work;
	int *iwork;
} eic_mfa__factor;

/* Factor S (CSC, both triangles or the upper one) and solve for r (length n). Fills every
 * field above and the selected (or full dense) inverse. `dense` picks LAPACK. Returns 0,
 * EIC_ENOMEM, or EIC_ERROR when the factorisation broke down numerically. */
int eic_mfa__factor_compute(eic_mfa__factor *f, const cs *S, const double *r, int dense);
/* b' S^+ b for the column j of B (rows in S's order): uses only entries of the selected
 * inverse, so it costs O(nnz(b)^2 log). */
double eic_mfa__factor_col_quad(const eic_mfa__factor *f, const cs *B, int j);
/* v' S^+ v for a sparse vector (idx, val, len): one sparse triangular solve. */
double eic_mfa__factor_quad(eic_mfa__factor *f, const int *idx, const double *val, int len);
void eic_mfa__factor_free(eic_mfa__factor *f);

#endif
