/* bench_reconcile.c: times data reconciliation on generated flow networks, the sparse solve
 * (CXSparse) against the dense one (LAPACK) on the same problems, in the same run. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eic/eic.h>

/* Network shape: processes in a row, each sending FANOUT flows to processes at most REACH
 * places further on (a supply chain: local, acyclic), half of them importing and half
 * exporting, so flows = about 5 x processes. Every flow is measured with a 2% relative
 * standard deviation and a 2% perturbation, except UNKNOWN_SHARE of them (not measured). */
#define FANOUT 4
#define REACH 20
#define REL_SD 0.02
#define UNKNOWN_SHARE 0.05

static uint64_t rng_state;

static double uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
	double u1 = uniform(), u2 = uniform();
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

typedef struct {
	int from, to; /* -1: outside */
	double truth;
} gen_flow;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Deterministic network with `procs` processes; returns the problem and its flow count. */
static eic_reconcile_problem *generate(int procs, size_t *out_flows, size_t *out_unknowns)
{
	size_t cap = (size_t)procs * (FANOUT + 3), n = 0, unknowns = 0;
	gen_flow *flows = malloc(cap * sizeof(*flows));
	double *inflow = calloc((size_t)procs, sizeof(double));
	size_t **in = calloc((size_t)procs, sizeof(size_t *)),
	       **out = calloc((size_t)procs, sizeof(size_t *));
	size_t *nin = calloc((size_t)procs, sizeof(size_t)),
	       *nout = calloc((size_t)procs, sizeof(size_t));
	eic_reconcile_problem *p = NULL;
	if (!flows || !inflow || !in || !out || !nin || !nout)
		goto fail;
	rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)procs;
	for (int i = 0; i < procs; i++) {
		if (inflow[i] == 0.0 || uniform() < 0.5) {
			double v = 100.0 + 900.0 * uniform();
			flows[n++] = (gen_flow){-1, i, v};
			inflow[i] += v;
		}
		int outs = FANOUT + (uniform() < 0.5 ? 1 : 0);
		double w[FANOUT + 1], total = 0.0;
		for (int k = 0; k < outs; k++) {
			w[k] = 0.2 + uniform();
			total += w[k];
		}
		for (int k = 0; k < outs; k++) {
			int to = k == FANOUT ? -1 : i + 1 + (int)(uniform() * REACH);
			if (to >= procs)
				to = -1;
			double v = inflow[i] * w[k] / total;
			flows[n++] = (gen_flow){i, to, v};
			if (to >= 0)
				inflow[to] += v;
		}
	}
	if (eic_reconcile_problem_new(&p) < 0)
		goto fail;
	eic_reconcile_problem_set_unit(p, "t");
	for (size_t f = 0; f < n; f++) {
		char id[32];
		snprintf(id, sizeof(id), "f%zu", f);
		int unknown = uniform() < UNKNOWN_SHARE;
		double sd = REL_SD * flows[f].truth;
		double measured = flows[f].truth + sd * gauss();
		unknowns += (size_t)unknown;
		if (eic_reconcile_problem_add_variable(p, NULL, id, unknown ? NAN : measured,
		                                       unknown ? NAN : sd) < 0)
			goto fail;
		int ends[2] = {flows[f].from, flows[f].to};
		for (int e = 0; e < 2; e++) {
			int k = ends[e];
			if (k < 0)
				continue;
			size_t **list = e == 0 ? &out[k] : &in[k];
			size_t *count = e == 0 ? &nout[k] : &nin[k];
			size_t *grown = realloc(*list, (*count + 1) * sizeof(size_t));
			if (!grown)
				goto fail;
			*list = grown;
			(*list)[(*count)++] = f;
		}
	}
	for (int k = 0; k < procs; k++) {
		char name[32];
		snprintf(name, sizeof(name), "P%d", k);
		if (eic_reconcile_problem_add_balance(p, name, in[k], nin[k], out[k], nout[k]) < 0)
			goto fail;
	}
	*out_flows = n;
	*out_unknowns = unknowns;
	goto done;
fail:
	eic_reconcile_problem_free(p);
	p = NULL;
done:
	for (int k = 0; in && out && k < procs; k++) {
		free(in[k]);
		free(out[k]);
	}
	free(in);
	free(out);
	free(nin);
	free(nout);
	free(flows);
	free(inflow);
	return p;
}

static int run(const eic_reconcile_problem *p, eic_reconcile_solver solver, double *seconds,
               eic_reconcile_result **out)
{
	eic_reconcile_options o = EIC_RECONCILE_OPTIONS_INIT;
	o.solver = solver;
	double t0 = now_s();
	int rc = eic_reconcile(out, p, &o);
	*seconds = now_s() - t0;
	return rc;
}

int main(int argc, char **argv)
{
	/* sizes (processes); dense only up to dense_max */
	int sizes[16] = {500, 1000, 2000, 5000, 10000, 20000};
	int size_count = 6, dense_max = 2000;
	if (argc > 1) {
		size_count = 0;
		for (int a = 1; a < argc && size_count < 16; a++) {
			if (!strncmp(argv[a], "--dense-max=", 12))
				dense_max = atoi(argv[a] + 12);
			else
				sizes[size_count++] = atoi(argv[a]);
		}
	}
	printf("%9s %8s %8s %7s %12s %9s %10s %10s %12s\n", "processes", "flows", "unknown", "dof",
	       "chi2", "p", "sparse_s", "dense_s", "max_rel_diff");
	for (int s = 0; s < size_count; s++) {
		size_t flows = 0, unknowns = 0;
		eic_reconcile_problem *p = generate(sizes[s], &flows, &unknowns);
		eic_reconcile_result *rs = NULL, *rd = NULL;
		double ts = 0.0, td = NAN, diff = NAN;
		if (!p) {
			fprintf(stderr, "bench_reconcile: out of memory generating %d\n", sizes[s]);
			return 3;
		}
		if (run(p, EIC_RECONCILE_SPARSE, &ts, &rs) < 0) {
			fprintf(stderr, "bench_reconcile: sparse solve failed\n");
			return 3;
		}
		const eic_reconcile_summary *sum = eic_reconcile_result_summary(rs);
		if (sum->status != EIC_RECONCILE_OK)
			fprintf(stderr, "bench_reconcile: %d processes: %s\n", sizes[s],
			        sum->message);
		if (sizes[s] <= dense_max) {
			if (run(p, EIC_RECONCILE_DENSE, &td, &rd) < 0) {
				fprintf(stderr, "bench_reconcile: dense solve failed\n");
				return 3;
			}
			diff = 0.0;
			for (size_t i = 0; i < eic_reconcile_result_var_count(rs); i++) {
				const eic_reconcile_var *a = eic_reconcile_result_var(rs, i);
				const eic_reconcile_var *b = eic_reconcile_result_var(rd, i);
				if (a->klass == EIC_RECONCILE_UNDETERMINED)
					continue;
				double d1 = fabs(a->value - b->value) / (fabs(b->value) + 1e-300);
				double d2 = fabs(a->sd - b->sd) / (fabs(b->sd) + 1e-300);
				diff = fmax(diff, fmax(d1, d2));
			}
		}
		char dense_text[32], diff_text[32];
		if (isnan(td))
			snprintf(dense_text, sizeof(dense_text), "-");
		else
			snprintf(dense_text, sizeof(dense_text), "%.3f", td);
		if (isnan(diff))
			snprintf(diff_text, sizeof(diff_text), "-");
		else
			snprintf(diff_text, sizeof(diff_text), "%.1e", diff);
		printf("%9d %8zu %8zu %7zu %12.1f %9.3f %10.3f %10s %12s\n", sizes[s], flows,
		       unknowns, sum->dof, sum->chi2, sum->p_value, ts, dense_text, diff_text);
		fflush(stdout);
		eic_reconcile_result_free(rs);
		eic_reconcile_result_free(rd);
		eic_reconcile_problem_free(p);
	}
	return 0;
}
