/* eic/reconcile.h: data reconciliation of material flow networks (weighted least squares
 * with unknown flows, nonlinear relations, error propagation, chi-square test), as STAN does.
 * Ownership: problems and results are handed out through `out` and freed by their *_free;
 * every pointer a getter returns is borrowed from its parent. Method:
 * docs/methods/reconciliation.md. */
#ifndef EIC_RECONCILE_H
#define EIC_RECONCILE_H

#include <stddef.h>

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A reconciliation problem: variables (flows, concentrations, stock changes) and the
 *  equations that bind them (process balances and extra relations). Opaque. */
typedef struct eic_reconcile_problem eic_reconcile_problem;

/** The outcome of eic_reconcile. Opaque. */
typedef struct eic_reconcile_result eic_reconcile_result;

/** "No second variable" in a term, and "no such variable" from lookups. */
#define EIC_RECONCILE_NONE ((size_t)-1)

/** One term of an equation: coef * x[var], or coef * x[var] * x[var2] when var2 is not
 *  EIC_RECONCILE_NONE (a concentration times a flow, for example). */
typedef struct {
	double coef;
	size_t var;
	size_t var2;
} eic_reconcile_term;

/** Create an empty problem. @param[out] out free with eic_reconcile_problem_free */
EIC_EXTERN int eic_reconcile_problem_new(eic_reconcile_problem **out);
EIC_EXTERN void eic_reconcile_problem_free(eic_reconcile_problem *problem);

/**
 * Add a variable. `value` NaN: unknown (not measured). `value` finite and `sd` > 0: a
 * measurement with that standard deviation. `value` finite and `sd` 0 or NaN: an exact
 * constant (never adjusted; STAN's convention for a value given without uncertainty).
 * @param[out] out_index the variable's index (may be NULL)
 * @return 0, EIC_EEXISTS (duplicate id), EIC_EINVAL (empty id, negative or infinite sd,
 *         infinite value), EIC_ENOMEM
 */
EIC_EXTERN int eic_reconcile_problem_add_variable(eic_reconcile_problem *problem, size_t *out_index,
                                                  const char *id, double value, double sd);
/** Starting value of an unknown for the nonlinear iteration (default 1). 0 or EIC_EINVAL. */
EIC_EXTERN int eic_reconcile_problem_set_start(eic_reconcile_problem *problem, size_t var,
                                               double start);
/** Index of a variable by id, or EIC_RECONCILE_NONE. */
EIC_EXTERN size_t eic_reconcile_problem_find(const eic_reconcile_problem *problem, const char *id);

/**
 * Balance of a process: sum(inputs) - sum(outputs) = 0. A process with no inputs and no
 * outputs is a disconnected node: it adds no equation and a note says so.
 * @return 0, EIC_EINVAL (index out of range, NULL name), EIC_ENOMEM
 */
EIC_EXTERN int eic_reconcile_problem_add_balance(eic_reconcile_problem *problem, const char *name,
                                                 const size_t *inputs, size_t input_count,
                                                 const size_t *outputs, size_t output_count);
/** Fixed ratio x[var] = ratio * x[of]. @return 0, EIC_EINVAL, EIC_ENOMEM */
EIC_EXTERN int eic_reconcile_problem_add_ratio(eic_reconcile_problem *problem, const char *name,
                                               size_t var, size_t of, double ratio);
/** Transfer coefficient x[output] = tc * sum(x[inputs]). @return 0, EIC_EINVAL, EIC_ENOMEM */
EIC_EXTERN int eic_reconcile_problem_add_transfer(eic_reconcile_problem *problem, const char *name,
                                                  size_t output, const size_t *inputs,
                                                  size_t input_count, double tc);
/** Product x[result] = x[a] * x[b] (substance flow = concentration * mass flow): nonlinear
 *  unless a or b is a constant. @return 0, EIC_EINVAL, EIC_ENOMEM */
EIC_EXTERN int eic_reconcile_problem_add_product(eic_reconcile_problem *problem, const char *name,
                                                 size_t result, size_t a, size_t b);
/** General equation sum(terms) = rhs (linear or bilinear terms). @return 0, EIC_EINVAL,
 *  EIC_ENOMEM */
EIC_EXTERN int eic_reconcile_problem_add_equation(eic_reconcile_problem *problem, const char *name,
                                                  const eic_reconcile_term *terms,
                                                  size_t term_count, double rhs);

/** Unit of the variables, for display ("t"); NULL or "" for none. 0 or EIC_ENOMEM. */
EIC_EXTERN int eic_reconcile_problem_set_unit(eic_reconcile_problem *problem, const char *unit);
EIC_EXTERN const char *eic_reconcile_problem_unit(const eic_reconcile_problem *problem);

/**
 * Build the problem of a cluster: one variable per flow of `period` (all periods when NULL)
 * in the cluster's mass unit (layer "mass") or energy unit (layer "energy"), converted by
 * eic_flow_amount. A flow with sd or rel_sd > 0 is a measurement; a flow with neither, or
 * with 0, is an exact constant (STAN's convention; a note names each estimated flow taken as
 * exact). Every process node and every actor used as a flow end is balanced (flows to or from
 * boundary:stock count as stock changes); boundary nodes are not. Flows that cannot be
 * converted, processes without flows and the conventions applied are listed as notes.
 * @return 0, EIC_EINVAL (NULL argument, unknown layer), EIC_ENOTFOUND (unknown period),
 *         EIC_ENOMEM
 */
EIC_EXTERN int eic_reconcile_problem_from_cluster(eic_reconcile_problem **out,
                                                  const eic_cluster *cluster, const char *period,
                                                  const char *layer);

/**
 * Read a standalone problem file (JSON, docs/format.md "Reconciliation problem file").
 * Problems found are added to `diags` (file:line:column). `diags` may be NULL.
 * @return 0, EIC_EIO (unreadable), EIC_EPARSE (JSON syntax), EIC_EINVALID (invalid
 *         content, see diags), EIC_ENOMEM
 */
EIC_EXTERN int eic_reconcile_problem_read(eic_reconcile_problem **out, eic_diags *diags,
                                          const char *path);

EIC_EXTERN size_t eic_reconcile_problem_variable_count(const eic_reconcile_problem *problem);
EIC_EXTERN size_t eic_reconcile_problem_equation_count(const eic_reconcile_problem *problem);
/** Notes made while building the problem (conventions applied, flows left out). */
EIC_EXTERN size_t eic_reconcile_problem_note_count(const eic_reconcile_problem *problem);
EIC_EXTERN const char *eic_reconcile_problem_note(const eic_reconcile_problem *problem, size_t i);

/** Linear algebra behind the solve: sparse Cholesky (CXSparse, default) or dense LAPACK
 *  (for comparison and small problems). Both give the same numbers. */
typedef enum { EIC_RECONCILE_SPARSE = 0, EIC_RECONCILE_DENSE } eic_reconcile_solver;

typedef struct {
	unsigned version;
	double alpha;             /**< significance level of the chi-square test, default 0.05 */
	double gross_error_limit; /**< |normalised adjustment| above which a measurement is
	                             flagged, default 1.96 */
	double tolerance;         /**< nonlinear iteration: stop when the largest relative change
	                             of a variable is below this, default 1e-10 */
	unsigned max_iterations;  /**< nonlinear iteration limit, default 100 */
	eic_reconcile_solver solver;
} eic_reconcile_options;
#define EIC_RECONCILE_OPTIONS_VERSION 1
#define EIC_RECONCILE_OPTIONS_INIT                                                                 \
	{                                                                                          \
		EIC_RECONCILE_OPTIONS_VERSION, 0.05, 1.96, 1e-10, 100, EIC_RECONCILE_SPARSE        \
	}

/** Outcome of the solve (a result, never an error code). */
typedef enum {
	EIC_RECONCILE_OK = 0,         /**< reconciled (converged, when nonlinear) */
	EIC_RECONCILE_EMPTY,          /**< no variables or no equations: nothing to do */
	EIC_RECONCILE_INCONSISTENT,   /**< the equations contradict each other or the exact
	                                 values, whatever the measurements */
	EIC_RECONCILE_SINGULAR,       /**< the linearised system is numerically singular */
	EIC_RECONCILE_MAX_ITERATIONS, /**< nonlinear iteration did not converge in time */
	EIC_RECONCILE_DIVERGED        /**< nonlinear iteration ran away (non-finite values) */
} eic_reconcile_status;

/** How a variable was treated. */
typedef enum {
	EIC_RECONCILE_REDUNDANT = 0,   /**< measured and adjusted by the equations */
	EIC_RECONCILE_JUST_DETERMINED, /**< measured but not adjustable (non-redundant) */
	EIC_RECONCILE_DETERMINABLE,    /**< unknown, computed from the others */
	EIC_RECONCILE_UNDETERMINED,    /**< unknown and not computable */
	EIC_RECONCILE_CONSTANT         /**< exact value (no or zero uncertainty), not adjusted */
} eic_reconcile_class;

/** Per-variable result. Values in the problem's unit. */
typedef struct {
	const char *id;
	eic_reconcile_class klass;
	double measured;    /**< given value; NaN for an unknown */
	double measured_sd; /**< given sd; 0 for a constant, NaN for an unknown */
	double value;       /**< reconciled or computed value; NaN when undetermined */
	double sd; /**< its standard deviation by error propagation; NaN when undetermined */
	double adjustment; /**< value - measured (0 unless redundant; NaN for an unknown) */
	double normalised_adjustment; /**< adjustment / sd of the adjustment (0 unless redundant) */
	int gross_error;              /**< |normalised adjustment| > gross_error_limit */
	/** For an undetermined unknown: the combination that is determined instead, e.g.
	 *  "f3 + f4 = 12.5 is determined; the split is not"; NULL otherwise. */
	const char *determined;
} eic_reconcile_var;

/** Global results. */
typedef struct {
	eic_reconcile_status status;
	int nonlinear;         /**< some equation is nonlinear in the variables */
	unsigned iterations;   /**< linearisations solved (1 for a linear problem) */
	double chi2;           /**< sum of squared adjustments weighted by inverse variances */
	size_t dof;            /**< independent redundant equations (chi-square degrees) */
	double p_value;        /**< P(chi-square(dof) >= chi2); 1 when dof is 0 */
	int tested;            /**< dof > 0: the measurements could be checked */
	int consistent;        /**< tested and p_value >= alpha (also 1 when not tested) */
	double alpha;          /**< significance level used */
	size_t measured_count; /**< variables with an uncertainty */
	size_t redundant_count, just_determined_count, determinable_count, undetermined_count,
	    constant_count;
	size_t gross_error_count;
	size_t worst;        /**< variable with the largest |normalised adjustment|, or NONE */
	const char *message; /**< the outcome in plain words (status and test verdict) */
} eic_reconcile_summary;

/**
 * Reconcile: weighted least squares adjustment of the measurements so that every equation
 * holds, unknowns computed where determined, standard deviations by error propagation,
 * chi-square test and normalised adjustments (docs/methods/reconciliation.md). The problem
 * is not modified. Model outcomes (inconsistent, singular, not converged) are reported in
 * the result's summary, not as error codes.
 * @param opts NULL for the defaults
 * @return 0, EIC_EINVAL (NULL argument, bad options), EIC_ENOMEM
 */
EIC_EXTERN int eic_reconcile(eic_reconcile_result **out, const eic_reconcile_problem *problem,
                             const eic_reconcile_options *opts);
EIC_EXTERN void eic_reconcile_result_free(eic_reconcile_result *result);

EIC_EXTERN const eic_reconcile_summary *
eic_reconcile_result_summary(const eic_reconcile_result *result);
EIC_EXTERN size_t eic_reconcile_result_var_count(const eic_reconcile_result *result);
/** Variables in problem order. NULL when i is out of range. */
EIC_EXTERN const eic_reconcile_var *eic_reconcile_result_var(const eic_reconcile_result *result,
                                                             size_t i);
/** Notes: the problem's notes, then the solver's diagnoses (which equations contradict, which
 *  process is disconnected, why the iteration stopped). */
EIC_EXTERN size_t eic_reconcile_result_note_count(const eic_reconcile_result *result);
EIC_EXTERN const char *eic_reconcile_result_note(const eic_reconcile_result *result, size_t i);

/** Static names: "redundant", "just determined", "determinable", "undetermined", "constant";
 *  "ok", "empty", "inconsistent", "singular", "max iterations", "diverged". */
EIC_EXTERN const char *eic_reconcile_class_name(eic_reconcile_class klass);
EIC_EXTERN const char *eic_reconcile_status_name(eic_reconcile_status status);

/** Upper tail of the chi-square distribution, P(X >= x) with `dof` degrees of freedom, by
 *  the regularized incomplete gamma function Q(dof/2, x/2). 1 for x <= 0; NaN for dof 0. */
EIC_EXTERN double eic_chi2_sf(double x, double dof);

#ifdef __cplusplus
}
#endif
#endif
