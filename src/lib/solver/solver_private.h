/* solver_private.h: the MILP model as the back ends see it (solver.c builds it, cbc.c hands it
 * to COIN-OR CBC). Rows are stored row-major as they are added. */
#ifndef EIC_SOLVER_PRIVATE_H
#define EIC_SOLVER_PRIVATE_H

#include <eic/solver.h>

#include "util/util.h"

typedef struct {
	const char *name; /* arena */
	double lb, ub, obj;
	int integer;
} eic_milp__col;

typedef struct {
	const char *name, *group; /* arena */
	double lb, ub;
	double weight;    /* of its slacks in the elastic model */
	size_t start, nz; /* entries [start, start + nz) of the entry vectors */
} eic_milp__row;

struct eic_milp {
	eic_arena arena;
	eic_milp_sense sense;
	eic_vec cols;    /* eic_milp__col */
	eic_vec rows;    /* eic_milp__row */
	eic_vec ent_col; /* size_t */
	eic_vec ent_val; /* double */
	size_t integer_count;
};

/* Solve with CBC. The model has at least one column and passed the checks of solver.c;
 * out is zeroed with status and values to fill. Failures are reported in diags. */
int eic_solver__cbc_solve(eic_milp_result *out, const eic_milp *m, const eic_milp_options *o,
                          eic_diags *diags);
/* "COIN-OR CBC <version>" */
const char *eic_solver__cbc_name(void);

#endif
