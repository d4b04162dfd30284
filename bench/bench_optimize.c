/* bench_optimize.c: time of the exchange-network MILP (eic_opt_run, CBC) to a 1% gap on
 * generated clusters of N firms with 30 candidate facility sites x 3 capacity levels. */
#include <eic/eic.h>
#include <eic/optimize.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SITES 30
#define MATERIALS 8
#define FACILITY_INPUTS 4 /* materials 0..3 go to facilities */

static uint64_t rng_state;

static double uniform(void)
{
	/* xorshift64*, seeded: the same instance on every run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static int check(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "bench_optimize: %s: %s\n", what, eic_strerror(rc));
		exit(3);
	}
	return rc;
}

/* A cluster of `firms` firms spread at constant density (a square of 100 km x 100 km holds
 * 200 firms), each with one have and one want of random materials; 30 facility sites, each
 * with 3 levels, taking one of 4 materials and giving a product sold at 30 USD/t and a residue
 * some firms want. */
static eic_cluster *generate(size_t firms, uint64_t seed)
{
	eic_cluster *c = NULL;
	char id[64], id2[64], mat[32], mat2[32];
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	check(eic_cluster_new(&c), "new");
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "bench";
	info.name = "Generated cluster";
	info.currency = "USD";
	info.catalogue = "none";
	check(eic_cluster_set_info(c, &info), "info");
	double side_deg = 0.9 * sqrt((double)firms / 200.0); /* ~100 km at 200 firms */
	for (int m = 0; m < MATERIALS + 1; m++) {
		eic_material mr;
		memset(&mr, 0, sizeof(mr));
		snprintf(mat, sizeof(mat), m < MATERIALS ? "m%d" : "product", m);
		mr.id = mr.name = mat;
		mr.category = "biomass/generated";
		check(eic_cluster_add_material(c, &mr), "material");
	}
	eic_property pr = {"product", "price", 30, "USD/t", "generated", EIC_ORIGIN_CLUSTER};
	check(eic_cluster_add_property(c, &pr), "price");
	for (size_t i = 0; i < firms; i++) {
		eic_actor a;
		memset(&a, 0, sizeof(a));
		snprintf(id, sizeof(id), "f%zu", i);
		a.id = a.name = id;
		a.kind = EIC_ACTOR_FIRM;
		a.employees = -1;
		a.value_added = NAN;
		a.lat = 10 + uniform() * side_deg;
		a.lon = 100 + uniform() * side_deg;
		check(eic_cluster_add_actor(c, &a), "actor");
		for (int k = 0; k < 2; k++) {
			eic_offer o;
			memset(&o, 0, sizeof(o));
			snprintf(id2, sizeof(id2), "o%zu%c", i, k ? 'w' : 'h');
			int m = (int)(uniform() * MATERIALS);
			snprintf(mat2, sizeof(mat2), "m%d", m);
			o.id = id2;
			o.actor = id;
			o.type = k ? EIC_OFFER_WANT : EIC_OFFER_HAVE;
			o.material = mat2;
			o.quantity = 500 + uniform() * 4500;
			o.min_quantity = k && uniform() < 0.3 ? 0.5 * o.quantity : NAN;
			o.max_quantity = NAN;
			o.unit = "t/yr";
			o.price = NAN;
			o.confidentiality = EIC_CONF_CLUSTER;
			check(eic_cluster_add_offer(c, &o), "offer");
		}
	}
	static const double cap[3] = {5000, 15000, 40000}, capex[3] = {150000, 350000, 800000};
	static const char *const lvl[3] = {"small", "medium", "large"};
	for (int s = 0; s < SITES; s++) {
		eic_facility f;
		memset(&f, 0, sizeof(f));
		snprintf(id, sizeof(id), "site%d", s);
		f.id = f.name = id;
		f.technology = "generated";
		f.lat = 10 + uniform() * side_deg;
		f.lon = 100 + uniform() * side_deg;
		f.capacity_unit = "t/yr";
		f.lifetime_yr = 15;
		check(eic_cluster_add_facility(c, &f), "facility");
		for (int l = 0; l < 3; l++) {
			double scale = 0.8 + 0.4 * uniform();
			eic_facility_level fl = {id, lvl[l], cap[l], capex[l] * scale,
			                         0.05 * capex[l] * scale};
			check(eic_cluster_add_facility_level(c, &fl), "level");
		}
		snprintf(mat, sizeof(mat), "m%d", s % FACILITY_INPUTS);
		snprintf(mat2, sizeof(mat2), "m%d", FACILITY_INPUTS + s % 3);
		eic_facility_coef in = {id, mat, EIC_DIR_INPUT, 1, "t/t"};
		eic_facility_coef out1 = {id, "product", EIC_DIR_OUTPUT, 0.3, "t/t"};
		eic_facility_coef out2 = {id, mat2, EIC_DIR_OUTPUT, 0.5, "t/t"};
		check(eic_cluster_add_facility_coef(c, &in), "coef");
		check(eic_cluster_add_facility_coef(c, &out1), "coef");
		check(eic_cluster_add_facility_coef(c, &out2), "coef");
	}
	return c;
}

int main(int argc, char **argv)
{
	size_t sizes[8] = {50, 100, 200, 500};
	size_t nsizes = 4;
	double limit = 60;
	if (argc > 1) {
		nsizes = 0;
		for (int i = 1; i < argc && nsizes < 8; i++)
			sizes[nsizes++] = (size_t)strtoul(argv[i], NULL, 10);
	}
	printf("solver: %s; gap 1%%; time limit %.0f s per solve; 1 thread; seed 1\n",
	       eic_milp_backend(), limit);
	printf("%6s %6s %6s %6s %7s %8s %5s %10s %8s %8s %s\n", "firms", "sites", "arcs", "vars",
	       "integer", "rows", "seed", "time_s", "gap_%", "status", "open");
	for (size_t k = 0; k < nsizes; k++) {
		for (uint64_t seed = 1; seed <= 3; seed++) {
			eic_cluster *c = generate(sizes[k], seed);
			eic_opt_options o = EIC_OPT_OPTIONS_INIT;
			eic_opt_result *r = NULL;
			o.rel_gap = 0.01;
			o.time_limit_s = limit;
			check(eic_opt_run(&r, c, &o, NULL), "run");
			eic_opt_stats st = eic_opt_stats_of(r);
			size_t open = 0;
			for (size_t i = 0; i < eic_opt_facility_count(r); i++)
				open += eic_opt_facility_at(r, i)->level != NULL;
			printf("%6zu %6d %6zu %6zu %7zu %8zu %5u %10.3f %8.3f %8s %zu\n", sizes[k],
			       SITES, st.candidate_arcs, st.variables, st.integers, st.rows,
			       (unsigned)seed, eic_opt_time(r), 100 * eic_opt_gap(r),
			       eic_milp_status_name(eic_opt_status(r)), open);
			fflush(stdout);
			eic_opt_free(r);
			eic_cluster_free(c);
		}
	}
	return 0;
}
