/* cbc.c: the COIN-OR CBC back end of eic's MILP interface: loads a checked model through CBC's
 * C interface, silenced, one thread, fixed seed, one solve at a time, and maps its outcome. */
#include "solver_private.h"

#include <Cbc_C_Interface.h>

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* CbcMain1, behind Cbc_solve, keeps static state: solves are serialised. */
static pthread_mutex_t cbc_lock = PTHREAD_MUTEX_INITIALIZER;

static char cbc_name[64];
static pthread_once_t cbc_name_once = PTHREAD_ONCE_INIT;

static void init_name(void)
{
	snprintf(cbc_name, sizeof(cbc_name), "COIN-OR CBC %s", Cbc_getVersion());
}

const char *eic_solver__cbc_name(void)
{
	pthread_once(&cbc_name_once, init_name);
	return cbc_name;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double coin_bound(double v)
{
	if (v == INFINITY)
		return DBL_MAX;
	if (v == -INFINITY)
		return -DBL_MAX;
	return v;
}

static int fail(eic_diags *diags, const char *what)
{
	if (diags)
		eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0, "%s: %s", eic_solver__cbc_name(),
		              what);
	return EIC_ERROR;
}

/* Contract: see solver_private.h. The model is converted to compressed sparse columns, O(nz). */
int eic_solver__cbc_solve(eic_milp_result *out, const eic_milp *m, const eic_milp_options *o,
                          eic_diags *diags)
{
	size_t ncol = m->cols.len, nrow = m->rows.len, nz = m->ent_col.len;
	CoinBigIndex *start = NULL;
	int *index = NULL;
	double *value = NULL, *collb = NULL, *colub = NULL, *obj = NULL, *rowlb = NULL,
	       *rowub = NULL;
	size_t *fill = NULL;
	Cbc_Model *model = NULL;
	int error = 0, locked = 0;
	char buf[32];

	if (ncol > (size_t)INT32_MAX || nrow > (size_t)INT32_MAX || nz > (size_t)INT32_MAX)
		return fail(diags, "model too large for the solver's int indices");
	if (!(start = eic_calloc(ncol + 1, sizeof(*start))) ||
	    !(index = eic_malloc((nz ? nz : 1) * sizeof(*index))) ||
	    !(value = eic_malloc((nz ? nz : 1) * sizeof(*value))) ||
	    !(fill = eic_calloc(ncol + 1, sizeof(*fill))) ||
	    !(collb = eic_malloc(ncol * sizeof(double))) ||
	    !(colub = eic_malloc(ncol * sizeof(double))) ||
	    !(obj = eic_malloc(ncol * sizeof(double))) ||
	    !(rowlb = eic_malloc((nrow ? nrow : 1) * sizeof(double))) ||
	    !(rowub = eic_malloc((nrow ? nrow : 1) * sizeof(double)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < nz; k++)
		start[*EIC_VEC_AT(&m->ent_col, size_t, k) + 1]++;
	for (size_t j = 0; j < ncol; j++) {
		start[j + 1] += start[j];
		fill[j] = (size_t)start[j];
	}
	for (size_t i = 0; i < nrow; i++) {
		const eic_milp__row *r = EIC_VEC_AT(&m->rows, eic_milp__row, i);
		for (size_t k = r->start; k < r->start + r->nz; k++) {
			size_t j = *EIC_VEC_AT(&m->ent_col, size_t, k);
			index[fill[j]] = (int)i;
			value[fill[j]++] = *EIC_VEC_AT(&m->ent_val, double, k);
		}
		rowlb[i] = coin_bound(r->lb);
		rowub[i] = coin_bound(r->ub);
	}
	for (size_t j = 0; j < ncol; j++) {
		const eic_milp__col *c = EIC_VEC_AT(&m->cols, eic_milp__col, j);
		collb[j] = coin_bound(c->lb);
		colub[j] = coin_bound(c->ub);
		obj[j] = c->obj;
	}

	pthread_mutex_lock(&cbc_lock);
	locked = 1;
	if (!(model = Cbc_newModel())) {
		error = EIC_ENOMEM;
		goto done;
	}
	Cbc_loadProblem(model, (int)ncol, (int)nrow, start, index, value, collb, colub, obj, rowlb,
	                rowub);
	for (size_t j = 0; j < ncol; j++)
		if (EIC_VEC_AT(&m->cols, eic_milp__col, j)->integer)
			Cbc_setInteger(model, (int)j);
	Cbc_setObjSense(model, m->sense == EIC_MILP_MAXIMIZE ? -1.0 : 1.0);
	/* silence: the log level of the model and of the command-line driver */
	Cbc_setLogLevel(model, o->log_level);
	snprintf(buf, sizeof(buf), "%d", o->log_level);
	Cbc_setParameter(model, "log", buf);
	Cbc_setParameter(model, "slog", buf);
	snprintf(buf, sizeof(buf), "%d", o->threads);
	Cbc_setParameter(model, "threads", buf);
	snprintf(buf, sizeof(buf), "%d", o->seed);
	Cbc_setParameter(model, "randomCbcSeed", buf);
	Cbc_setParameter(model, "randomSeed", buf);
	Cbc_setMaximumSeconds(model, o->time_limit_s);
	Cbc_setAllowableFractionGap(model, o->rel_gap);

	double t0 = now_s();
	int rc = Cbc_solve(model);
	out->time_s = now_s() - t0;
	out->nodes = Cbc_getNodeCount(model);
	int status = Cbc_status(model);
	const double *x = NULL;
	if (m->integer_count)
		x = Cbc_bestSolution(model);
	else if (Cbc_isProvenOptimal(model))
		x = Cbc_getColSolution(model);

	if (Cbc_isProvenOptimal(model) && x)
		out->status = EIC_MILP_OPTIMAL;
	else if (Cbc_isContinuousUnbounded(model) || Cbc_secondaryStatus(model) == 7)
		out->status = EIC_MILP_UNBOUNDED;
	else if (Cbc_isProvenInfeasible(model) && !x)
		out->status = EIC_MILP_INFEASIBLE;
	else if (status == 2 || Cbc_isAbandoned(model))
		out->status = EIC_MILP_SOLVER_FAILURE;
	else if (x)
		out->status = EIC_MILP_FEASIBLE;
	else if (status == 1)
		out->status = EIC_MILP_NO_SOLUTION;
	else if (rc != 0) {
		error = fail(diags, "the solve failed");
		goto done;
	} else
		out->status = EIC_MILP_INFEASIBLE;
	if (out->status == EIC_MILP_UNBOUNDED || out->status == EIC_MILP_INFEASIBLE)
		x = NULL;
	if (x) {
		double s = 0;
		if (!(out->values = eic_malloc(ncol * sizeof(double)))) {
			error = EIC_ENOMEM;
			goto done;
		}
		for (size_t j = 0; j < ncol; j++) {
			if (!isfinite(x[j])) {
				error =
				    fail(diags, "the solution holds a value that is not finite");
				goto done;
			}
			out->values[j] = x[j];
			s += obj[j] * x[j];
		}
		out->objective = s;
		double bound = m->integer_count ? Cbc_getBestPossibleObjValue(model) : s;
		out->bound = isfinite(bound) && fabs(bound) < 1e29 ? bound : NAN;
		if (out->status == EIC_MILP_OPTIMAL && !isnan(out->bound)) {
			/* CBC stops at the gap asked: its bound may sit inside it */
			int better =
			    m->sense == EIC_MILP_MAXIMIZE ? out->bound < s : out->bound > s;
			if (better)
				out->bound = s;
		}
	}
done:
	if (model)
		Cbc_deleteModel(model);
	if (locked)
		pthread_mutex_unlock(&cbc_lock);
	eic_free(start);
	eic_free(index);
	eic_free(value);
	eic_free(fill);
	eic_free(collb);
	eic_free(colub);
	eic_free(obj);
	eic_free(rowlb);
	eic_free(rowub);
	return error;
}
