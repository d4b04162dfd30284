/* eic/solver.h: eic's own interface to mixed-integer linear programming: a model builder
 * (columns with bounds, integrality and objective; sparse rows with bounds, names and groups),
 * a solve with options and a result, and an elastic analysis naming the constraints that make
 * a model infeasible. The back end is COIN-OR CBC (src/lib/solver/cbc.c); nothing of CBC shows
 * here, so it can be swapped. Method: docs/methods/optimization.md.
 * Ownership: eic_milp_new hands a model freed by eic_milp_free; names are copied on add; a
 * result's arrays are owned by the result and released by eic_milp_result_clear. */
#ifndef EIC_SOLVER_H
#define EIC_SOLVER_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Infinite bound: any bound at or beyond this magnitude is taken as infinite. */
#define EIC_MILP_INF 1e30

/** Hard caps on model size (a bigger model is refused with EIC_ENOMEM). */
#define EIC_MILP_MAX_COLS ((size_t)1 << 24)
#define EIC_MILP_MAX_NZ ((size_t)1 << 26)

typedef struct eic_milp eic_milp;

typedef enum { EIC_MILP_MINIMIZE = 0, EIC_MILP_MAXIMIZE = 1 } eic_milp_sense;

/** Outcome of a solve. */
typedef enum {
	EIC_MILP_OPTIMAL = 0,    /**< proven optimal (within the relative gap asked) */
	EIC_MILP_FEASIBLE,       /**< a solution, stopped by the time limit before the gap */
	EIC_MILP_INFEASIBLE,     /**< proven infeasible */
	EIC_MILP_UNBOUNDED,      /**< the relaxation is unbounded */
	EIC_MILP_NO_SOLUTION,    /**< stopped by the time limit without any solution */
	EIC_MILP_SOLVER_FAILURE, /**< the solver gave up (numerical difficulties) */
	EIC_MILP__N
} eic_milp_status;

/** Solve options. */
typedef struct {
	unsigned version;
	double time_limit_s; /**< wall-clock limit, > 0 (default 60) */
	double rel_gap;      /**< stop when |best - bound| / max(1e-10, |best|) <= rel_gap (1e-4) */
	int threads;         /**< solver threads (default 1: deterministic) */
	int seed;            /**< random seed of the solver (default 1) */
	int log_level;       /**< solver log on stdout: 0 silent (default). Library code keeps 0. */
} eic_milp_options;
#define EIC_MILP_OPTIONS_VERSION 1
#define EIC_MILP_OPTIONS_INIT                                                                      \
	{                                                                                          \
		EIC_MILP_OPTIONS_VERSION, 60.0, 1e-4, 1, 1, 0                                      \
	}

/** Result of a solve. `values` (col_count entries) is NULL unless a solution was found. */
typedef struct {
	eic_milp_status status;
	double objective; /**< of the best solution, in the model's sense; NaN if none */
	double bound;     /**< best bound proven by the solver; NaN if unknown */
	double gap;       /**< relative gap |objective - bound| / max(1e-10, |objective|); NaN */
	double time_s;    /**< wall-clock seconds spent in the solver */
	long nodes;       /**< branch-and-bound nodes */
	size_t col_count;
	double *values;
} eic_milp_result;

/** A constraint of an infeasible model that had to be relaxed (see eic_milp_explain). */
typedef struct {
	size_t row;       /**< row index */
	double violation; /**< by how much the row's bounds must be relaxed (row units, > 0) */
	int upper; /**< 1: the activity must exceed the upper bound; 0: fall below the lower */
} eic_milp_conflict;

/** Make an empty model (minimisation). @return 0 or EIC_ENOMEM */
EIC_EXTERN int eic_milp_new(eic_milp **out);
EIC_EXTERN void eic_milp_free(eic_milp *milp);

EIC_EXTERN void eic_milp_set_sense(eic_milp *milp, eic_milp_sense sense);
EIC_EXTERN eic_milp_sense eic_milp_sense_get(const eic_milp *milp);

/**
 * Add a column (variable). Bounds at or beyond +-EIC_MILP_INF are infinite.
 * @param[out] out_index its index (may be NULL)
 * @return 0, EIC_EINVAL (NaN bound, lb > ub, NaN or infinite objective), EIC_ENOMEM (also
 *         past EIC_MILP_MAX_COLS)
 */
EIC_EXTERN int eic_milp_add_col(eic_milp *milp, size_t *out_index, const char *name, double lb,
                                double ub, double obj, int integer);

/**
 * Add a row lb <= sum coefs[k] x[cols[k]] <= ub (use +-EIC_MILP_INF for a missing side).
 * `group` names the constraint group it belongs to (e.g. "demand:oc07"); NULL means the row
 * name. Entries on the same column are summed; zero coefficients are dropped.
 * @return 0, EIC_EINVAL (unknown column, NaN or infinite coefficient, NaN bound, lb > ub),
 *         EIC_ENOMEM
 */
EIC_EXTERN int eic_milp_add_row(eic_milp *milp, size_t *out_index, const char *name,
                                const char *group, double lb, double ub, size_t nz,
                                const size_t *cols, const double *coefs);

/** Weight of a row's slacks in eic_milp_explain (default 1; > 0): give the rows that may
 *  not be relaxed (physical limits) a large weight, so that the analysis relaxes the
 *  requirements and names them. @return 0 or EIC_EINVAL */
EIC_EXTERN int eic_milp_set_row_weight(eic_milp *milp, size_t row, double weight);

/** Change the objective coefficient or the bounds of a column, the bounds of a row.
 *  @return 0 or EIC_EINVAL (index out of range, NaN, lb > ub) */
EIC_EXTERN int eic_milp_set_obj(eic_milp *milp, size_t col, double obj);
EIC_EXTERN int eic_milp_set_col_bounds(eic_milp *milp, size_t col, double lb, double ub);
EIC_EXTERN int eic_milp_set_row_bounds(eic_milp *milp, size_t row, double lb, double ub);

EIC_EXTERN size_t eic_milp_col_count(const eic_milp *milp);
EIC_EXTERN size_t eic_milp_row_count(const eic_milp *milp);
EIC_EXTERN size_t eic_milp_nz_count(const eic_milp *milp);
EIC_EXTERN size_t eic_milp_integer_count(const eic_milp *milp);
EIC_EXTERN const char *eic_milp_col_name(const eic_milp *milp, size_t col);
EIC_EXTERN const char *eic_milp_row_name(const eic_milp *milp, size_t row);
EIC_EXTERN const char *eic_milp_row_group(const eic_milp *milp, size_t row);
EIC_EXTERN double eic_milp_obj(const eic_milp *milp, size_t col);
/** Row activity sum coefs x for a vector of col_count values. NaN when out of range. */
EIC_EXTERN double eic_milp_row_activity(const eic_milp *milp, size_t row, const double *x);

/**
 * Solve. The model is not changed. A model without columns is solved here (objective 0;
 * infeasible if a row excludes 0). Outcomes of the model (infeasible, time limit) are in
 * out->status; the return value reports only failures of the call. The solver is silenced
 * and runs one solve at a time in the process (CBC keeps global state).
 * @param[out] out the result; release with eic_milp_result_clear
 * @param diags receives the reason of a failure; may be NULL
 * @return 0, EIC_EINVAL (bad options), EIC_ENOMEM, EIC_ERROR (the solver failed; diags say why)
 */
EIC_EXTERN int eic_milp_solve(eic_milp_result *out, const eic_milp *milp,
                              const eic_milp_options *opts, eic_diags *diags);
EIC_EXTERN void eic_milp_result_clear(eic_milp_result *result);

/**
 * Explain an infeasible model: solve its elastic version (every finite row bound gets a
 * non-negative slack, the objective is the sum of slacks weighted by the row's weight /
 * max(1, largest |coefficient| of the row), integrality kept) and list the rows whose slack is
 * positive, largest violation first. An empty list means the elastic solve found the model
 * feasible.
 * @param[out] out malloc'd array freed with eic_milp_conflicts_free (NULL when empty)
 * @return 0, EIC_EINVAL, EIC_ENOMEM, EIC_ERROR (the elastic solve failed)
 */
EIC_EXTERN int eic_milp_explain(eic_milp_conflict **out, size_t *out_count, const eic_milp *milp,
                                const eic_milp_options *opts, eic_diags *diags);
EIC_EXTERN void eic_milp_conflicts_free(eic_milp_conflict *conflicts);

/** Static English name of a status: "optimal", "feasible (stopped at the time limit)",
 *  "infeasible", "unbounded", "no solution within the time limit", "solver failure". */
EIC_EXTERN const char *eic_milp_status_name(eic_milp_status status);
/** Name and version of the back end, e.g. "COIN-OR CBC 2.10.8". */
EIC_EXTERN const char *eic_milp_backend(void);

#ifdef __cplusplus
}
#endif
#endif
