/* bench_network.c: times ecological network analysis (eic_ena_compute, all indices) on a
 * generated network: deterministic, sparse, with cycles; sparse path and dense path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eic/network.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A park-like network of n compartments: a forward chain of suppliers (i -> i+1 .. i+3,
 * like a supply chain), plus `back` random links per compartment (by-product returns and
 * exchanges that close cycles), amounts 1..11 from a linear congruential generator; every
 * 10th compartment takes an input of 100, every compartment dissipates 5 and exports 2. */
static int generate(eic_network **out, size_t n, size_t back, unsigned long seed)
{
	eic_network *net = NULL;
	char name[32];
	unsigned long s = seed;
	int rc = eic_network_new(&net);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		rc = eic_network_add_node(net, name, NULL);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		for (size_t d = 1; rc == 0 && d <= 3 && i + d < n; d++) {
			s = s * 6364136223846793005UL + 1442695040888963407UL;
			rc = eic_network_add_flow(net, i, i + d,
			                          1.0 + (double)((s >> 33) % 1000) / 100.0);
		}
		for (size_t k = 0; rc == 0 && k < back; k++) {
			s = s * 6364136223846793005UL + 1442695040888963407UL;
			size_t j = (size_t)((s >> 33) % n);
			rc = eic_network_add_flow(net, i, j,
			                          1.0 + (double)((s >> 20) % 1000) / 100.0);
		}
		if (rc == 0 && i % 10 == 0)
			rc = eic_network_add_input(net, i, 100.0);
		if (rc == 0)
			rc = eic_network_add_dissipation(net, i, 5.0);
		if (rc == 0)
			rc = eic_network_add_export(net, i, 2.0);
	}
	if (rc < 0) {
		eic_network_free(net);
		return rc;
	}
	*out = net;
	return 0;
}

static int run(const eic_network *net, size_t dense_max, const char *label)
{
	eic_ena_options opts = EIC_ENA_OPTIONS_INIT;
	eic_ena *ena = NULL;
	opts.dense_max = dense_max;
	double t0 = now_s();
	int rc = eic_ena_compute(&ena, net, &opts);
	double t1 = now_s();
	if (rc < 0) {
		fprintf(stderr, "bench_network: %s\n", eic_strerror(rc));
		return 1;
	}
	printf("%-28s %8.3f s  method %-6s", label, t1 - t0, eic_ena_method(ena));
	static const char *show[] = {"n", "L", "no.scc", "TST", "FCI", "APL", "lam1A", "ASC.CAP"};
	for (size_t i = 0; i < sizeof(show) / sizeof(show[0]); i++) {
		const eic_ena_value *v = eic_ena_get(ena, show[i]);
		if (v->reason)
			printf("  %s=null", show[i]);
		else
			printf("  %s=%.10g", show[i], v->value);
	}
	putchar('\n');
	eic_ena_free(ena);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
	size_t back = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
	int dense_too = argc > 3 ? atoi(argv[3]) : 1;
	eic_network *net = NULL;
	if (n == 0 || generate(&net, n, back, 42) < 0) {
		fprintf(stderr, "usage: bench_network [N [BACK_LINKS [DENSE_TOO]]]\n");
		return 2;
	}
	printf("network: %zu compartments, chain of 3 forward links + %zu random link(s) each\n", n,
	       back);
	int status = run(net, 0, "eic_ena_compute (default)");
	if (!status && dense_too)
		status = run(net, n, "eic_ena_compute (all dense)");
	eic_network_free(net);
	return status;
}
