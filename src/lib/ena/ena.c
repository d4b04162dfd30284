/* ena.c: ecological network analysis of a flow network with enaR's definitions (enaStructure,
 * enaFlow, enaAscendency), solved per strong component: dense LAPACK or sparse CXSparse. */
#include "eic/network.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cs.h>
#include <lapacke.h>

#include "ena_private.h"

/* Defaults of eic_ena_options. */
#define DEFAULT_DENSE_MAX 400
#define DEFAULT_TOLERANCE 1e-12
#define DEFAULT_MAX_ITERATIONS 100000
/* A compartment is unbalanced when (eic's threshold; SCOR models are rounded) |in - out| >
 * BALANCE_REL * max(in, out). */
#define BALANCE_REL 1e-3
/* Reciprocal condition number below which I - G counts as singular. */
#define RCOND_MIN 1e-13
/* Notes naming single compartments, per kind; the rest are counted. */
#define MAX_NODE_NOTES 10
/* CXSparse threshold partial pivoting: keep the diagonal unless it is this much smaller. */
#define LU_PIVOT_TOL 0.001

enum {
	V_N,
	V_L,
	V_C,
	V_C_NN1,
	V_LD,
	V_LAM1A,
	V_NO_SCC,
	V_NO_SCC_BIG,
	V_PSCC,
	V_BOUNDARY,
	V_TST,
	V_TSTP,
	V_APL,
	V_FCI,
	V_BFI,
	V_DFI,
	V_IFI,
	V_AMI,
	V_ASC,
	V_OH,
	V_CAP,
	V_ASC_CAP,
	V__N
};

static const struct {
	const char *name;
	const char *meaning;
} value_info[V__N] = {
    {"n", "number of compartments (processes and actors that exchange flows)"},
    {"L", "number of links: pairs i -> j with a flow, self-loops included"},
    {"C", "connectance L/n^2 (enaR): share of the n^2 possible links, self-loops included, "
          "that exist"},
    {"C.nn1", "connectance L/(n(n-1)): share of the links between distinct compartments that "
              "exist (not an enaR index)"},
    {"LD", "link density L/n: links per compartment"},
    {"lam1A", "spectral radius of the adjacency matrix: 0 without cycles, 1 for simple cycles, "
              "above 1 when cycles interlock (pathways multiply)"},
    {"no.scc", "number of strongly connected components (a compartment outside every cycle "
               "is a component of its own)"},
    {"no.scc.big", "number of strongly connected components with more than one compartment "
                   "(groups that cycle material among themselves)"},
    {"pscc", "share of compartments inside a cycling group"},
    {"Boundary", "total input from outside the system, sum of z"},
    {"TST", "total system throughflow: the sum over compartments of what passes through "
            "each"},
    {"TSTp", "total system throughput: all flows, inputs and outputs added up"},
    {"APL", "average path length TST/Boundary: how many compartments an input passes through "
            "on average before it leaves"},
    {"FCI", "Finn cycling index: share of the throughflow that is recycled (comes back to a "
            "compartment it already passed)"},
    {"BFI", "boundary flow intensity: share of the throughflow that enters straight from "
            "outside"},
    {"DFI", "direct flow intensity: share of the throughflow that arrives in one step from "
            "the first compartment"},
    {"IFI", "indirect flow intensity: share of the throughflow that arrives over two or more "
            "steps"},
    {"AMI", "average mutual information (bits): how constrained, predictable the flow "
            "pathways are"},
    {"ASC", "ascendency TSTp x AMI: size and organisation of the flows together"},
    {"OH", "overhead CAP - ASC: redundant, parallel pathways (reserve and losses)"},
    {"CAP", "development capacity: the upper bound of ascendency"},
    {"ASC.CAP", "ascendency over capacity: degree of organisation, between 0 and 1"},
};

struct eic_ena {
	eic_ena_value values[V__N];
	eic_arena arena; /* reasons and notes */
	eic_vec notes;   /* const char * */
	int balanced;
	const char *method;
};

/* Working arrays of one computation. */
typedef struct {
	size_t n, link_count;
	size_t *out_ptr, *out_idx; /* CSR of links i -> j */
	double *out_val;
	size_t *in_ptr, *in_idx; /* CSC: links into j, by source */
	double *in_val;
	double *z, *e, *r;  /* input, export, dissipation */
	double *through;    /* T_i = inflow + input */
	double *outflow;    /* sum of flows leaving i to compartments */
	size_t *comp_of;    /* strong component of each compartment */
	size_t *comp_start; /* comp_count + 1 offsets into comp_nodes */
	size_t *comp_nodes; /* members, by component (Tarjan order: sinks first) */
	size_t comp_count;
	size_t *pos;   /* position of a compartment inside its component */
	double *x;     /* N z */
	double *ndiag; /* diagonal of N */
} work;

int eic_ena__flow_cmp(const void *a, const void *b)
{
	const eic_ena__flow *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static void work_free(work *w)
{
	eic_free(w->out_ptr);
	eic_free(w->out_idx);
	eic_free(w->out_val);
	eic_free(w->in_ptr);
	eic_free(w->in_idx);
	eic_free(w->in_val);
	eic_free(w->z);
	eic_free(w->e);
	eic_free(w->r);
	eic_free(w->through);
	eic_free(w->outflow);
	eic_free(w->comp_of);
	eic_free(w->comp_start);
	eic_free(w->comp_nodes);
	eic_free(w->pos);
	eic_free(w->x);
	eic_free(w->ndiag);
}

static int note(eic_ena *ena, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int note(eic_ena *ena, const char *fmt, ...)
{
	eic_buf buf = EIC_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = eic_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	const char *copy = rc < 0 || buf.failed ? NULL : eic_arena_strdup(&ena->arena, buf.data);
	eic_buf_free(&buf);
	if (!copy || !eic_vec_push(&ena->notes, &copy))
		return EIC_ENOMEM;
	return 0;
}

static void set_value(eic_ena *ena, int v, double value)
{
	ena->values[v].value = value;
	ena->values[v].reason = NULL;
}

/* Mark an index undefined with a reason (copied). A reason already set is kept: the first
 * cause found is the one reported. */
static int set_undefined(eic_ena *ena, int v, const char *reason)
{
	if (ena->values[v].reason && isnan(ena->values[v].value))
		return 0;
	const char *copy = eic_arena_strdup(&ena->arena, reason);
	if (!copy)
		return EIC_ENOMEM;
	ena->values[v].value = NAN;
	ena->values[v].reason = copy;
	return 0;
}

/* Names of up to 3 members of component c, for messages: "a, b, c and 4 more". */
static void comp_names(char *buf, size_t size, const work *w, const eic_network *net, size_t c)
{
	size_t k = w->comp_start[c + 1] - w->comp_start[c];
	size_t used = 0;
	buf[0] = '\0';
	for (size_t a = 0; a < k && a < 3; a++) {
		const char *nm = eic_network_node_name(net, w->comp_nodes[w->comp_start[c] + a]);
		int m = snprintf(buf + used, size - used, "%s%s", a ? ", " : "", nm);
		if (m < 0 || (size_t)m >= size - used)
			return;
		used += (size_t)m;
	}
	if (k > 3)
		snprintf(buf + used, size - used, " and %zu more", k - 3);
}

/* Merge the flows into CSR (out) and CSC (in) link arrays, summing repeats and dropping zero
 * flows; fill the boundary vectors. O(F log F) for the sort. */
static int build_links(work *w, const eic_network *net)
{
	size_t n = w->n, m = net->flows.len;
	eic_ena__flow *f = NULL;
	int error = 0;

	w->out_ptr = eic_calloc(n + 1, sizeof(size_t));
	w->in_ptr = eic_calloc(n + 2, sizeof(size_t));
	w->z = eic_calloc(n ? n : 1, sizeof(double));
	w->e = eic_calloc(n ? n : 1, sizeof(double));
	w->r = eic_calloc(n ? n : 1, sizeof(double));
	w->through = eic_calloc(n ? n : 1, sizeof(double));
	w->outflow = eic_calloc(n ? n : 1, sizeof(double));
	f = eic_malloc((m ? m : 1) * sizeof(*f));
	if (!w->out_ptr || !w->in_ptr || !w->z || !w->e || !w->r || !w->through || !w->outflow ||
	    !f) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const eic_ena__bound *b = EIC_VEC_AT(&net->bounds, eic_ena__bound, i);
		w->z[i] = b->input;
		w->e[i] = b->export_;
		w->r[i] = b->dissipation;
	}
	if (m)
		memcpy(f, net->flows.data, m * sizeof(*f));
	for (size_t i = 0; i < m; i++)
		f[i].line = 0;
	qsort(f, m, sizeof(*f), eic_ena__flow_cmp);
	size_t links = 0;
	for (size_t i = 0; i < m;) {
		size_t j = i;
		double sum = 0.0;
		while (j < m && f[j].from == f[i].from && f[j].to == f[i].to)
			sum += f[j++].amount;
		if (sum > 0.0) {
			f[links].from = f[i].from;
			f[links].to = f[i].to;
			f[links].amount = sum;
			links++;
		}
		i = j;
	}
	w->link_count = links;
	w->out_idx = eic_malloc((links ? links : 1) * sizeof(size_t));
	w->out_val = eic_malloc((links ? links : 1) * sizeof(double));
	w->in_idx = eic_malloc((links ? links : 1) * sizeof(size_t));
	w->in_val = eic_malloc((links ? links : 1) * sizeof(double));
	if (!w->out_idx || !w->out_val || !w->in_idx || !w->in_val) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < links; k++) {
		w->out_ptr[f[k].from + 1]++;
		w->in_ptr[f[k].to + 2]++;
		w->out_idx[k] = f[k].to;
		w->out_val[k] = f[k].amount;
		w->outflow[f[k].from] += f[k].amount;
		w->through[f[k].to] += f[k].amount;
	}
	for (size_t i = 0; i < n; i++) {
		w->out_ptr[i + 1] += w->out_ptr[i];
		w->in_ptr[i + 2] += w->in_ptr[i + 1];
		w->through[i] += w->z[i];
	}
	/* Counting sort by destination: in_ptr[j + 1] is the next free slot of j. */
	for (size_t k = 0; k < links; k++) {
		size_t slot = w->in_ptr[f[k].to + 1]++;
		w->in_idx[slot] = f[k].from;
		w->in_val[slot] = f[k].amount;
	}
done:
	eic_free(f);
	return error;
}

/* Strong components by Tarjan's algorithm without recursion. Components are numbered in the
 * order they complete, which is a reverse topological order: every component reachable from
 * component c has a smaller number. O(n + L). */
static int strong_components(work *w)
{
	size_t n = w->n;
	size_t *index = NULL, *low = NULL, *stack = NULL, *call_node = NULL, *call_edge = NULL;
	unsigned char *on_stack = NULL;
	int error = 0;

	w->comp_of = eic_malloc((n ? n : 1) * sizeof(size_t));
	w->comp_start = eic_malloc((n + 1) * sizeof(size_t));
	w->comp_nodes = eic_malloc((n ? n : 1) * sizeof(size_t));
	w->pos = eic_malloc((n ? n : 1) * sizeof(size_t));
	index = eic_malloc((n ? n : 1) * sizeof(size_t));
	low = eic_malloc((n ? n : 1) * sizeof(size_t));
	stack = eic_malloc((n ? n : 1) * sizeof(size_t));
	call_node = eic_malloc((n ? n : 1) * sizeof(size_t));
	call_edge = eic_malloc((n ? n : 1) * sizeof(size_t));
	on_stack = eic_calloc(n ? n : 1, 1);
	if (!w->comp_of || !w->comp_start || !w->comp_nodes || !w->pos || !index || !low ||
	    !stack || !call_node || !call_edge || !on_stack) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		index[i] = SIZE_MAX;
	size_t counter = 0, sp = 0, depth = 0, emitted = 0;
	w->comp_count = 0;
	w->comp_start[0] = 0;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != SIZE_MAX)
			continue;
		index[root] = low[root] = counter++;
		stack[sp++] = root;
		on_stack[root] = 1;
		call_node[depth] = root;
		call_edge[depth] = w->out_ptr[root];
		depth++;
		while (depth > 0) {
			size_t u = call_node[depth - 1];
			if (call_edge[depth - 1] < w->out_ptr[u + 1]) {
				size_t v = w->out_idx[call_edge[depth - 1]++];
				if (index[v] == SIZE_MAX) {
					index[v] = low[v] = counter++;
					stack[sp++] = v;
					on_stack[v] = 1;
					call_node[depth] = v;
					call_edge[depth] = w->out_ptr[v];
					depth++;
				} else if (on_stack[v] && index[v] < low[u]) {
					low[u] = index[v];
				}
				continue;
			}
			depth--;
			if (low[u] == index[u]) {
				size_t v;
				do {
					v = stack[--sp];
					on_stack[v] = 0;
					w->comp_of[v] = w->comp_count;
					w->pos[v] = emitted - w->comp_start[w->comp_count];
					w->comp_nodes[emitted++] = v;
				} while (v != u);
				w->comp_count++;
				w->comp_start[w->comp_count] = emitted;
			}
			if (depth > 0) {
				size_t p = call_node[depth - 1];
				if (low[u] < low[p])
					low[p] = low[u];
			}
		}
	}
done:
	eic_free(index);
	eic_free(low);
	eic_free(stack);
	eic_free(call_node);
	eic_free(call_edge);
	eic_free(on_stack);
	return error;
}

static int has_self_loop(const work *w, size_t i)
{
	for (size_t k = w->out_ptr[i]; k < w->out_ptr[i + 1]; k++)
		if (w->out_idx[k] == i)
			return 1;
	return 0;
}

/* Spectral radius of the 0/1 adjacency block of component c, dense (dgeev). */
static int radius_dense(double *out, const work *w, size_t c)
{
	size_t k = w->comp_start[c + 1] - w->comp_start[c];
	double *a = eic_calloc(k * k, sizeof(double));
	double *wr = eic_malloc(k * sizeof(double)), *wi = eic_malloc(k * sizeof(double));
	int error = 0;
	if (!a || !wr || !wi) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t b = 0; b < k; b++) {
		size_t i = w->comp_nodes[w->comp_start[c] + b];
		for (size_t e = w->out_ptr[i]; e < w->out_ptr[i + 1]; e++) {
			size_t j = w->out_idx[e];
			if (w->comp_of[j] == c)
				a[b + w->pos[j] * k] = 1.0; /* A[i][j], column-major */
		}
	}
	lapack_int info = LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)k, a, (lapack_int)k,
	                                wr, wi, NULL, 1, NULL, 1);
	if (info != 0) {
		*out = NAN;
		goto done;
	}
	double best = 0.0;
	for (size_t i = 0; i < k; i++) {
		double m = hypot(wr[i], wi[i]);
		if (m > best)
			best = m;
	}
	*out = best;
done:
	eic_free(a);
	eic_free(wr);
	eic_free(wi);
	return error;
}

/* Spectral radius of the adjacency block of component c by power iteration on A + I, which
 * is primitive for a strong component, so the iteration converges to rho(A) + 1. The
 * Collatz-Wielandt bounds min (Bx)_i/x_i <= rho(B) <= max (Bx)_i/x_i hold at every step and
 * stop the iteration when they agree to `tol`. out_lo and out_hi get the final bounds of
 * rho(A); *out_converged says whether they met. O(iterations x links in c). */
static int radius_power(double *out_lo, double *out_hi, int *out_converged, const work *w, size_t c,
                        double tol, long max_iterations)
{
	size_t k = w->comp_start[c + 1] - w->comp_start[c];
	const size_t *members = w->comp_nodes + w->comp_start[c];
	double *x = eic_malloc(k * sizeof(double)), *y = eic_malloc(k * sizeof(double));
	double lo = 0.0, hi = INFINITY;
	if (!x || !y) {
		eic_free(x);
		eic_free(y);
		return EIC_ENOMEM;
	}
	for (size_t a = 0; a < k; a++)
		x[a] = 1.0;
	*out_converged = 0;
	for (long it = 0; it < max_iterations; it++) {
		double ymax = 0.0;
		lo = INFINITY;
		hi = 0.0;
		for (size_t a = 0; a < k; a++) {
			size_t i = members[a];
			double s = x[a];
			for (size_t e = w->out_ptr[i]; e < w->out_ptr[i + 1]; e++) {
				size_t j = w->out_idx[e];
				if (w->comp_of[j] == c)
					s += x[w->pos[j]];
			}
			y[a] = s;
			double ratio = s / x[a];
			if (ratio < lo)
				lo = ratio;
			if (ratio > hi)
				hi = ratio;
			if (s > ymax)
				ymax = s;
		}
		for (size_t a = 0; a < k; a++)
			x[a] = y[a] / ymax;
		if (hi - lo <= tol * hi) {
			*out_converged = 1;
			break;
		}
	}
	*out_lo = lo - 1.0;
	*out_hi = hi - 1.0;
	eic_free(x);
	eic_free(y);
	return 0;
}

/* G[i][j] = F(j -> i) / T_j, 0 when T_j is 0 (enaR's zero.na). */
static double g_of(const work *w, size_t from, double amount)
{
	return w->through[from] > 0.0 ? amount / w->through[from] : 0.0;
}

/* Right-hand side of component c: input plus what flows in from upstream components,
 * G x over links from outside c (x of upstream components is already known). */
static void comp_rhs(double *rhs, const work *w, size_t c)
{
	size_t k = w->comp_start[c + 1] - w->comp_start[c];
	for (size_t a = 0; a < k; a++) {
		size_t i = w->comp_nodes[w->comp_start[c] + a];
		double s = w->z[i];
		for (size_t e = w->in_ptr[i]; e < w->in_ptr[i + 1]; e++) {
			size_t j = w->in_idx[e];
			if (w->comp_of[j] != c)
				s += g_of(w, j, w->in_val[e]) * w->x[j];
		}
		rhs[a] = s;
	}
}

/* Dense solve of component c: M = I - G_cc by dgetrf; x_c = M^-1 rhs (dgetrs) and the
 * diagonal of M^-1 (dgetri). *out_singular is set (and nothing solved) when dgetrf finds a
 * zero pivot or the reciprocal condition number is below RCOND_MIN. O(k^3). */
static int solve_dense(int *out_singular, double *out_rcond, work *w, size_t c)
{
	size_t k = w->comp_start[c + 1] - w->comp_start[c];
	const size_t *members = w->comp_nodes + w->comp_start[c];
	double *m = eic_calloc(k * k, sizeof(double)), *rhs = eic_malloc(k * sizeof(double));
	lapack_int *ipiv = eic_malloc(k * sizeof(lapack_int));
	int error = 0;
	*out_singular = 0;
	*out_rcond = NAN;
	if (!m || !rhs || !ipiv) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t b = 0; b < k; b++) {
		size_t j = members[b];
		m[b + b * k] = 1.0;
		for (size_t e = w->out_ptr[j]; e < w->out_ptr[j + 1]; e++) {
			size_t i = w->out_idx[e];
			if (w->comp_of[i] == c)
				m[w->pos[i] + b * k] -= g_of(w, j, w->out_val[e]);
		}
	}
	double anorm = 0.0;
	for (size_t b = 0; b < k; b++) {
		double s = 0.0;
		for (size_t a = 0; a < k; a++)
			s += fabs(m[a + b * k]);
		if (s > anorm)
			anorm = s;
	}
	lapack_int info =
	    LAPACKE_dgetrf(LAPACK_COL_MAJOR, (lapack_int)k, (lapack_int)k, m, (lapack_int)k, ipiv);
	if (info > 0) {
		*out_singular = 1;
		*out_rcond = 0.0;
		goto done;
	}
	if (info < 0) {
		error = EIC_ERROR;
		goto done;
	}
	double rcond = 0.0;
	info =
	    LAPACKE_dgecon(LAPACK_COL_MAJOR, '1', (lapack_int)k, m, (lapack_int)k, anorm, &rcond);
	*out_rcond = rcond;
	if (info != 0 || !(rcond >= RCOND_MIN)) {
		*out_singular = 1;
		goto done;
	}
	comp_rhs(rhs, w, c);
	info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', (lapack_int)k, 1, m, (lapack_int)k, ipiv, rhs,
	                      (lapack_int)k);
	if (info != 0) {
		error = EIC_ERROR;
		goto done;
	}
	info = LAPACKE_dgetri(LAPACK_COL_MAJOR, (lapack_int)k, m, (lapack_int)k, ipiv);
	if (info != 0) {
		*out_singular = 1;
		goto done;
	}
	for (size_t a = 0; a < k; a++) {
		w->x[members[a]] = rhs[a];
		w->ndiag[members[a]] = m[a + a * k];
	}
done:
	eic_free(m);
	eic_free(rhs);
	eic_free(ipiv);
	return error;
}

/* Sparse solve of component c: LU of M = I - G_cc by CXSparse (AMD ordering of M + M',
 * threshold pivoting that keeps the diagonal of this column-diagonally-dominant matrix);
 * x_c by one solve, the diagonal of M^-1 by one solve per unit vector. cs_lu returns NULL
 * for a zero pivot (or when out of memory): reported as singular. O(k x nnz(L + U)). */
static int solve_sparse(int *out_singular, work *w, size_t c)
{
	size_t k = w->comp_start[c + 1] - w->comp_start[c];
	const size_t *members = w->comp_nodes + w->comp_start[c];
	cs_di *t = NULL, *a = NULL;
	cs_dis *s = NULL;
	cs_din *num = NULL;
	double *b = NULL, *y = NULL;
	int *qinv = NULL;
	int error = 0;
	*out_singular = 0;

	if (k > (size_t)INT32_MAX / 4) {
		error = EIC_ENOMEM;
		goto done;
	}
	size_t nz = k;
	for (size_t q = 0; q < k; q++) {
		size_t j = members[q];
		nz += w->out_ptr[j + 1] - w->out_ptr[j];
	}
	if (!eic_alloc_check()) {
		error = EIC_ENOMEM;
		goto done;
	}
	t = cs_di_spalloc((int)k, (int)k, (int)nz, 1, 1);
	b = eic_malloc(k * sizeof(double));
	y = eic_malloc(k * sizeof(double));
	qinv = eic_malloc(k * sizeof(int));
	if (!t || !b || !y || !qinv) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t q = 0; q < k; q++) {
		size_t j = members[q];
		if (!cs_di_entry(t, (int)q, (int)q, 1.0)) {
			error = EIC_ENOMEM;
			goto done;
		}
		for (size_t e = w->out_ptr[j]; e < w->out_ptr[j + 1]; e++) {
			size_t i = w->out_idx[e];
			if (w->comp_of[i] == c &&
			    !cs_di_entry(t, (int)w->pos[i], (int)q, -g_of(w, j, w->out_val[e]))) {
				error = EIC_ENOMEM;
				goto done;
			}
		}
	}
	a = cs_di_compress(t);
	if (!a || !cs_di_dupl(a)) {
		error = EIC_ENOMEM;
		goto done;
	}
	s = cs_di_sqr(1, a, 0);
	if (!s) {
		error = EIC_ENOMEM;
		goto done;
	}
	num = cs_di_lu(a, s, LU_PIVOT_TOL);
	if (!num) {
		*out_singular = 1;
		goto done;
	}
	for (size_t q = 0; q < k; q++)
		qinv[s->q ? s->q[q] : (int)q] = (int)q;
	/* x_c = M^-1 rhs */
	comp_rhs(b, w, c);
	cs_di_ipvec(num->pinv, b, y, (int)k);
	cs_di_lsolve(num->L, y);
	cs_di_usolve(num->U, y);
	for (size_t q = 0; q < k; q++)
		w->x[members[q]] = y[qinv[q]];
	/* diag(M^-1): (M^-1)_qq = e_qinv[q]' U^-1 L^-1 e_pinv[q]. The forward solve starts at
	 * pinv[q] (entries before it stay 0) and skips zeros; the backward solve stops at
	 * qinv[q], the only entry needed. */
	{
		const int *lp = num->L->p, *li = num->L->i, *up = num->U->p, *ui = num->U->i;
		const double *lx = num->L->x, *ux = num->U->x;
		int kk = (int)k;
		for (size_t q = 0; q < k; q++) {
			int start = num->pinv[q], stop = qinv[q];
			memset(y, 0, k * sizeof(double));
			y[start] = 1.0;
			for (int j = start; j < kk; j++) {
				if (y[j] == 0.0)
					continue;
				y[j] /= lx[lp[j]];
				for (int p = lp[j] + 1; p < lp[j + 1]; p++)
					y[li[p]] -= lx[p] * y[j];
			}
			for (int j = kk - 1; j > stop; j--) {
				if (y[j] == 0.0)
					continue;
				y[j] /= ux[up[j + 1] - 1];
				for (int p = up[j]; p < up[j + 1] - 1; p++)
					y[ui[p]] -= ux[p] * y[j];
			}
			w->ndiag[members[q]] = y[stop] / ux[up[stop + 1] - 1];
		}
	}
done:
	cs_di_spfree(t);
	cs_di_spfree(a);
	cs_di_sfree(s);
	cs_di_nfree(num);
	eic_free(b);
	eic_free(y);
	eic_free(qinv);
	return error;
}

/* Ascendency indices of enaAscendency on the extended matrix of Allesina & Bondavalli (2003)
 * (as.extended): rows 1..n and columns 1..n the flows, columns n+1 and n+2 exports and
 * dissipation, row n+3 the inputs. Logarithms base 2, as enaR. O(n + L). */
static void ascendency(double *out_ami, double *out_asc, double *out_oh, double *out_cap,
                       const work *w)
{
	size_t n = w->n;
	double tstp = 0.0, esum = 0.0, rsum = 0.0, zsum = 0.0;
	for (size_t i = 0; i < n; i++) {
		tstp += w->outflow[i] + w->e[i] + w->r[i] + w->z[i];
		esum += w->e[i];
		rsum += w->r[i];
		zsum += w->z[i];
	}
	double ami = 0.0, oh = 0.0, cap = 0.0;
#define TERM(t, row, col)                                                                          \
	do {                                                                                       \
		double t_ = (t);                                                                   \
		if (t_ > 0.0) {                                                                    \
			ami += t_ / tstp * log2(t_ * tstp / ((row) * (col)));                      \
			oh += t_ * log2(t_ * t_ / ((row) * (col)));                                \
			cap += t_ * log2(t_ / tstp);                                               \
		}                                                                                  \
	} while (0)
	for (size_t i = 0; i < n; i++) {
		double row = w->outflow[i] + w->e[i] + w->r[i];
		for (size_t k = w->out_ptr[i]; k < w->out_ptr[i + 1]; k++)
			TERM(w->out_val[k], row, w->through[w->out_idx[k]]);
		TERM(w->e[i], row, esum);
		TERM(w->r[i], row, rsum);
		TERM(w->z[i], zsum, w->through[i]);
	}
#undef TERM
	*out_ami = ami;
	*out_asc = tstp * ami;
	*out_oh = -oh;
	*out_cap = -cap;
}

/* Number of weakly connected parts among compartments that have any flow (union-find). */
static int weak_parts(size_t *out, const work *w)
{
	size_t n = w->n;
	size_t *parent = eic_malloc((n ? n : 1) * sizeof(size_t));
	if (!parent)
		return EIC_ENOMEM;
	for (size_t i = 0; i < n; i++)
		parent[i] = i;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = w->out_ptr[i]; k < w->out_ptr[i + 1]; k++) {
			size_t a = i, b = w->out_idx[k];
			while (parent[a] != a)
				a = parent[a] = parent[parent[a]];
			while (parent[b] != b)
				b = parent[b] = parent[parent[b]];
			if (a != b)
				parent[a] = b;
		}
	}
	size_t parts = 0;
	for (size_t i = 0; i < n; i++)
		if (parent[i] == i)
			parts++;
	eic_free(parent);
	*out = parts;
	return 0;
}

/* Balance and connection diagnoses as notes. */
static int diagnose(eic_ena *ena, const work *w, const eic_network *net)
{
	int error = 0;
	size_t unbalanced = 0, isolated = 0, sources = 0;
	char a[32], b[32];
	ena->balanced = 1;
	for (size_t i = 0; i < w->n; i++) {
		const char *nm = eic_network_node_name(net, i);
		double in = w->through[i], out = w->outflow[i] + w->e[i] + w->r[i];
		double big = in > out ? in : out;
		if (in == 0.0 && out == 0.0) {
			if (isolated++ < MAX_NODE_NOTES &&
			    (error = note(ena,
			                  "compartment %s has no flow at all (isolated); it "
			                  "still counts in n",
			                  nm)) < 0)
				return error;
			continue;
		}
		if (fabs(in - out) > BALANCE_REL * big) {
			ena->balanced = 0;
			snprintf(a, sizeof(a), "%.6g", in);
			snprintf(b, sizeof(b), "%.6g", out);
			if (unbalanced++ < MAX_NODE_NOTES &&
			    (error =
			         note(ena,
			              "compartment %s is not balanced: %s in (inflows + input), "
			              "%s out (outflows + output)",
			              nm, a, b)) < 0)
				return error;
		}
		if (in == 0.0 && w->outflow[i] > 0.0 && sources++ < MAX_NODE_NOTES &&
		    (error = note(ena,
		                  "compartment %s sends flows but receives nothing: its "
		                  "outflows are left out of the flow intensities G (enaR's "
		                  "zero.na)",
		                  nm)) < 0)
			return error;
	}
	if (unbalanced > MAX_NODE_NOTES &&
	    (error = note(ena, "%zu further compartments are not balanced",
	                  unbalanced - MAX_NODE_NOTES)) < 0)
		return error;
	if (isolated > MAX_NODE_NOTES && (error = note(ena, "%zu further compartments are isolated",
	                                               isolated - MAX_NODE_NOTES)) < 0)
		return error;
	if (!ena->balanced &&
	    (error = note(ena,
	                  "the network is not at steady state (%zu compartments unbalanced): "
	                  "throughflow is taken as inflows + input, as enaR does with "
	                  "balance.override = TRUE",
	                  unbalanced)) < 0)
		return error;
	size_t parts = 0;
	if ((error = weak_parts(&parts, w)) < 0)
		return error;
	if (parts > 1 + isolated &&
	    (error = note(ena,
	                  "the network falls into %zu unconnected parts (isolated "
	                  "compartments included)",
	                  parts)) < 0)
		return error;
	return 0;
}

/*
 * Contract: see network.h. Outline: merge the flows into sparse link arrays; strong
 * components (Tarjan); structure indices; throughflow T = inflows + z; per component, in
 * topological order (upstream first): solve (I - G_cc) x_c = z_c + G_c,upstream x and the
 * diagonal of (I - G_cc)^-1, which is the diagonal of N = (I - G)^-1 because no path leaves
 * a component and comes back. FCI, IFI need x and diag(N); the other indices need only T, z,
 * G z and the flows. O(n + L) plus the component solves: O(k^3) dense, O(k nnz(LU)) sparse.
 */
int eic_ena_compute(eic_ena **out, const eic_network *net, const eic_ena_options *opts)
{
	int error = 0;
	eic_ena *ena = NULL;
	work w;
	char reason[512], names[256];
	size_t dense_max = DEFAULT_DENSE_MAX;
	double tol = DEFAULT_TOLERANCE;
	long max_iterations = DEFAULT_MAX_ITERATIONS;

	memset(&w, 0, sizeof(w));
	if (!out || !net || (opts && opts->version != EIC_ENA_OPTIONS_VERSION)) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if (opts && opts->dense_max)
		dense_max = opts->dense_max;
	if (opts && opts->tolerance > 0.0)
		tol = opts->tolerance;
	if (opts && opts->max_iterations > 0)
		max_iterations = opts->max_iterations;

	ena = eic_calloc(1, sizeof(*ena));
	if (!ena) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&ena->arena);
	eic_vec_init(&ena->notes, sizeof(const char *));
	ena->method = "dense";
	for (int v = 0; v < V__N; v++) {
		ena->values[v].name = value_info[v].name;
		ena->values[v].meaning = value_info[v].meaning;
		ena->values[v].value = NAN;
		ena->values[v].reason = NULL;
	}

	w.n = eic_network_node_count(net);
	if ((error = build_links(&w, net)) < 0 || (error = strong_components(&w)) < 0)
		goto done;
	w.x = eic_calloc(w.n ? w.n : 1, sizeof(double));
	w.ndiag = eic_calloc(w.n ? w.n : 1, sizeof(double));
	if (!w.x || !w.ndiag) {
		error = EIC_ENOMEM;
		goto done;
	}
	size_t n = w.n, links = w.link_count;
	double dn = (double)n, dl = (double)links;
	static const char empty[] = "the network is empty (no compartments)";

	/* Structure (enaStructure). */
	set_value(ena, V_N, dn);
	set_value(ena, V_L, dl);
	size_t big = 0, in_big = 0;
	for (size_t c = 0; c < w.comp_count; c++) {
		size_t k = w.comp_start[c + 1] - w.comp_start[c];
		if (k > 1) {
			big++;
			in_big += k;
		}
	}
	set_value(ena, V_NO_SCC, (double)w.comp_count);
	set_value(ena, V_NO_SCC_BIG, (double)big);
	if (n == 0) {
		for (int v = V_C; v <= V_LAM1A; v++)
			if ((error = set_undefined(ena, v, empty)) < 0)
				goto done;
		if ((error = set_undefined(ena, V_PSCC, empty)) < 0)
			goto done;
	} else {
		set_value(ena, V_C, dl / (dn * dn));
		set_value(ena, V_LD, dl / dn);
		set_value(ena, V_PSCC, (double)in_big / dn);
		if (n >= 2)
			set_value(ena, V_C_NN1, dl / (dn * (dn - 1.0)));
		else if ((error = set_undefined(ena, V_C_NN1,
		                                "L/(n(n-1)) needs at least two compartments")) < 0)
			goto done;
		double lam = 0.0;
		int lam_ok = 1, used_dense = 0, used_sparse = 0;
		for (size_t c = 0; c < w.comp_count && lam_ok; c++) {
			size_t k = w.comp_start[c + 1] - w.comp_start[c];
			double r = 0.0;
			if (k == 1) {
				r = has_self_loop(&w, w.comp_nodes[w.comp_start[c]]) ? 1.0 : 0.0;
			} else if (k <= dense_max) {
				if ((error = radius_dense(&r, &w, c)) < 0)
					goto done;
				used_dense = 1;
				if (isnan(r)) {
					comp_names(names, sizeof(names), &w, net, c);
					snprintf(
					    reason, sizeof(reason),
					    "the eigenvalue computation (LAPACK dgeev) failed for "
					    "the component of %s",
					    names);
					lam_ok = 0;
				}
			} else {
				double lo, hi;
				int converged;
				if ((error = radius_power(&lo, &hi, &converged, &w, c, tol,
				                          max_iterations)) < 0)
					goto done;
				used_sparse = 1;
				r = 0.5 * (lo + hi);
				if (!converged) {
					comp_names(names, sizeof(names), &w, net, c);
					snprintf(reason, sizeof(reason),
					         "the power iteration did not converge in %ld "
					         "iterations "
					         "for the component of %s (bounds %.9g to %.9g)",
					         max_iterations, names, lo, hi);
					lam_ok = 0;
				}
			}
			if (r > lam)
				lam = r;
		}
		(void)used_dense;
		(void)used_sparse;
		if (lam_ok)
			set_value(ena, V_LAM1A, lam);
		else if ((error = set_undefined(ena, V_LAM1A, reason)) < 0)
			goto done;
	}

	/* Flow analysis (enaFlow). */
	double boundary = 0.0, tst = 0.0, tstp = 0.0, gz = 0.0;
	for (size_t i = 0; i < n; i++) {
		boundary += w.z[i];
		tst += w.through[i];
		tstp += w.outflow[i] + w.z[i] + w.e[i] + w.r[i];
	}
	for (size_t j = 0; j < n; j++) {
		if (w.z[j] == 0.0)
			continue;
		for (size_t k = w.out_ptr[j]; k < w.out_ptr[j + 1]; k++)
			gz += g_of(&w, j, w.out_val[k]) * w.z[j];
	}
	set_value(ena, V_BOUNDARY, boundary);
	set_value(ena, V_TST, tst);
	set_value(ena, V_TSTP, tstp);
	if (n == 0) {
		for (int v = V_APL; v <= V_IFI; v++)
			if ((error = set_undefined(ena, v, empty)) < 0)
				goto done;
	}
	if (boundary > 0.0)
		set_value(ena, V_APL, tst / boundary);
	else if ((error = set_undefined(ena, V_APL,
	                                "the network has no input (Boundary = 0): the average "
	                                "path length TST/Boundary is undefined")) < 0)
		goto done;
	if (!(tst > 0.0)) {
		for (int v = V_FCI; v <= V_IFI; v++)
			if ((error = set_undefined(
			         ena, v, "the total system throughflow is 0 (no flows)")) < 0)
				goto done;
	} else {
		set_value(ena, V_BFI, boundary / tst);
		set_value(ena, V_DFI, gz / tst);
		/* Component solves, upstream first. */
		int solved = 1, used_dense = 0, used_sparse = 0;
		for (size_t c = w.comp_count; c-- > 0 && solved;) {
			size_t k = w.comp_start[c + 1] - w.comp_start[c];
			const size_t *members = w.comp_nodes + w.comp_start[c];
			/* With input-oriented throughflow, D^-1 G D (D = diag T) has row sums
			 * inflow_i / T_i <= 1, below 1 where input or inflow from outside the
			 * component arrives: rho(G_cc) < 1 unless the component receives nothing
			 * from outside, and then I - G_cc is singular. */
			int closed = 1, singular = 0;
			double rcond = NAN;
			for (size_t a = 0; a < k && closed; a++) {
				size_t i = members[a];
				if (w.z[i] > 0.0)
					closed = 0;
				for (size_t e = w.in_ptr[i]; e < w.in_ptr[i + 1] && closed; e++)
					if (w.comp_of[w.in_idx[e]] != c &&
					    w.through[w.in_idx[e]] > 0.0)
						closed = 0;
			}
			if (k == 1 && !has_self_loop(&w, members[0]))
				closed = 0; /* no cycle: N_ii = 1 */
			if (closed) {
				singular = 1;
			} else if (k == 1) {
				size_t i = members[0];
				double gii = 0.0;
				for (size_t e = w.out_ptr[i]; e < w.out_ptr[i + 1]; e++)
					if (w.out_idx[e] == i)
						gii = g_of(&w, i, w.out_val[e]);
				double rhs;
				comp_rhs(&rhs, &w, c);
				w.x[i] = rhs / (1.0 - gii);
				w.ndiag[i] = 1.0 / (1.0 - gii);
			} else if (k <= dense_max) {
				used_dense = 1;
				if ((error = solve_dense(&singular, &rcond, &w, c)) < 0)
					goto done;
			} else {
				used_sparse = 1;
				if ((error = solve_sparse(&singular, &w, c)) < 0)
					goto done;
			}
			for (size_t a = 0; a < k && !singular; a++) {
				size_t i = members[a];
				if (!isfinite(w.x[i]) || !isfinite(w.ndiag[i]) ||
				    w.ndiag[i] < 1.0 - 1e-9)
					singular = 2;
			}
			if (singular) {
				comp_names(names, sizeof(names), &w, net, c);
				if (closed && singular == 1)
					snprintf(
					    reason, sizeof(reason),
					    "I - G is singular: the cycle of %s receives nothing "
					    "from outside (no input, no inflow from another "
					    "compartment), so its throughflow cannot be traced to "
					    "an "
					    "input",
					    names);
				else if (singular == 2)
					snprintf(
					    reason, sizeof(reason),
					    "the inverse of I - G is numerically unreliable for "
					    "the "
					    "component of %s (a diagonal entry of N below 1 or not "
					    "finite)",
					    names);
				else
					snprintf(reason, sizeof(reason),
					         "I - G is singular or nearly so for the component "
					         "of %s "
					         "(reciprocal condition number %.3g)",
					         names, isnan(rcond) ? 0.0 : rcond);
				solved = 0;
			}
		}
		ena->method = used_sparse ? (used_dense ? "mixed" : "sparse") : "dense";
		if (solved) {
			double cycled = 0.0, nz = 0.0;
			for (size_t i = 0; i < n; i++) {
				cycled += (w.ndiag[i] - 1.0) / w.ndiag[i] * w.through[i];
				nz += w.x[i];
			}
			set_value(ena, V_FCI, cycled / tst);
			set_value(ena, V_IFI, (nz - boundary - gz) / tst);
		} else if ((error = set_undefined(ena, V_FCI, reason)) < 0 ||
		           (error = set_undefined(ena, V_IFI, reason)) < 0) {
			goto done;
		}
	}

	/* Ascendency (enaAscendency). */
	if (!(tstp > 0.0)) {
		for (int v = V_AMI; v <= V_ASC_CAP; v++)
			if ((error = set_undefined(ena, v,
			                           n == 0 ? empty
			                                  : "the total system throughput is "
			                                    "0 (no flows)")) < 0)
				goto done;
	} else {
		double ami, asc, oh, cap;
		ascendency(&ami, &asc, &oh, &cap, &w);
		set_value(ena, V_AMI, ami);
		set_value(ena, V_ASC, asc);
		set_value(ena, V_OH, oh);
		set_value(ena, V_CAP, cap);
		if (cap > 0.0)
			set_value(ena, V_ASC_CAP, asc / cap);
		else if ((error = set_undefined(
		              ena, V_ASC_CAP, "the development capacity is 0 (a single flow)")) < 0)
			goto done;
	}

	if ((error = diagnose(ena, &w, net)) < 0)
		goto done;
	*out = ena;
	ena = NULL;
done:
	work_free(&w);
	eic_ena_free(ena);
	return error;
}

void eic_ena_free(eic_ena *ena)
{
	if (!ena)
		return;
	eic_vec_free(&ena->notes);
	eic_arena_clear(&ena->arena);
	eic_free(ena);
}

size_t eic_ena_value_count(const eic_ena *ena)
{
	return ena ? V__N : 0;
}

const eic_ena_value *eic_ena_value_at(const eic_ena *ena, size_t i)
{
	if (!ena || i >= V__N)
		return NULL;
	return &ena->values[i];
}

const eic_ena_value *eic_ena_get(const eic_ena *ena, const char *name)
{
	if (!ena || !name)
		return NULL;
	for (int v = 0; v < V__N; v++)
		if (!strcmp(ena->values[v].name, name))
			return &ena->values[v];
	return NULL;
}

int eic_ena_balanced(const eic_ena *ena)
{
	return ena ? ena->balanced : 0;
}

const char *eic_ena_method(const eic_ena *ena)
{
	return ena ? ena->method : "";
}

size_t eic_ena_note_count(const eic_ena *ena)
{
	return ena ? ena->notes.len : 0;
}

const char *eic_ena_note(const eic_ena *ena, size_t i)
{
	if (!ena || i >= ena->notes.len)
		return NULL;
	return *EIC_VEC_AT(&ena->notes, const char *, i);
}
