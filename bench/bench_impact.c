/* bench_impact.c: time of eic_scenario_evaluate with Monte Carlo draws on a generated cluster
 * (N actors, each landfilling food waste and paper, burning wood in the open, taking in water,
 * diesel and virgin material; a composting facility takes the food waste in the scenario).
 * By-party intervals for greenhouse gases and landfill (the defaults) are part of the timing.
 * Usage: bench_impact [ACTORS [DRAWS [ACTOR_INTERVALS]]] (default 500 actors, 10^4 draws;
 * ACTOR_INTERVALS 0 switches the by-party intervals off, 1 keeps the default). */
#include <eic/eic.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int add_flow(eic_cluster *c, const char *id, const char *from, const char *to,
                    const char *material, double q, const char *unit)
{
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	f.from = from;
	f.to = to;
	f.material = material;
	f.quantity = q;
	f.unit = unit;
	f.period = "2020";
	f.sd = NAN;
	f.rel_sd = 0.2;
	return eic_cluster_add_flow(c, &f);
}

int main(int argc, char **argv)
{
	long actors = argc > 1 ? atol(argv[1]) : 500;
	size_t draws = argc > 2 ? (size_t)atol(argv[2]) : 10000;
	int actor_intervals = argc > 3 ? atoi(argv[3]) : 1;
	eic_cluster *c = NULL;
	eic_factors *fs = NULL;
	eic_scenario *s = NULL;
	eic_scenario_result *r = NULL;
	eic_diags *d = NULL;
	if (eic_cluster_new(&c) < 0 || eic_factors_new(&fs) < 0 || eic_diags_new(&d, 100) < 0)
		return 3;
	eic_cluster_info info;
	memset(&info, 0, sizeof(info));
	info.id = "bench";
	info.name = "bench";
	info.currency = "USD";
	info.catalogue = "default";
	eic_cluster_set_info(c, &info);
	eic_period p = {"2020", "2020-01-01", "2020-12-31", ""};
	eic_cluster_add_period(c, &p);
	const char *mats[][2] = {{"fw", "biomass/food/food_waste"},   {"paper", "paper/waste"},
	                         {"wood", "biomass/wood/waste_wood"}, {"water", "water/process"},
	                         {"diesel", "energy/fossil/diesel"},  {"ore", "minerals/ore"}};
	for (int i = 0; i < 6; i++) {
		eic_material m;
		memset(&m, 0, sizeof(m));
		m.id = mats[i][0];
		m.name = mats[i][0];
		m.category = mats[i][1];
		eic_cluster_add_material(c, &m);
	}
	eic_property lhv = {"diesel", "lhv", 43.0, "GJ/t", "IPCC NCV", EIC_ORIGIN_CLUSTER};
	eic_cluster_add_property(c, &lhv);
	char id[64], fid[64];
	unsigned long long x = 88172645463325252ULL;
	for (long i = 0; i < actors; i++) {
		eic_actor a;
		memset(&a, 0, sizeof(a));
		snprintf(id, sizeof(id), "a%ld", i);
		a.id = id;
		a.name = id;
		a.employees = -1;
		a.value_added = NAN;
		a.lat = 10 + (double)(i % 100) * 0.01;
		a.lon = 100;
		eic_cluster_add_actor(c, &a);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double scale = 100 + (double)(x % 1000);
		snprintf(fid, sizeof(fid), "f%ld_fw", i);
		add_flow(c, fid, id, "boundary:landfill", "fw", scale, "t");
		snprintf(fid, sizeof(fid), "f%ld_pa", i);
		add_flow(c, fid, id, "boundary:open_dumping", "paper", scale * 0.3, "t");
		snprintf(fid, sizeof(fid), "f%ld_wo", i);
		add_flow(c, fid, id, "boundary:open_burning", "wood", scale * 0.2, "t");
		snprintf(fid, sizeof(fid), "f%ld_wa", i);
		add_flow(c, fid, "boundary:water_body", id, "water", scale * 5, "m3");
		snprintf(fid, sizeof(fid), "f%ld_di", i);
		add_flow(c, fid, "boundary:supply_market", id, "diesel", scale * 0.01, "t");
		snprintf(fid, sizeof(fid), "f%ld_or", i);
		add_flow(c, fid, "boundary:supply_market", id, "ore", scale * 2, "t");
	}
	eic_facility fa;
	memset(&fa, 0, sizeof(fa));
	fa.id = "comp";
	fa.name = "composting";
	fa.technology = "composting";
	fa.lat = fa.lon = NAN;
	fa.capacity_unit = "t/yr";
	fa.lifetime_yr = 15;
	eic_cluster_add_facility(c, &fa);
	eic_facility_level lv = {"comp", "big", 1e9, 1e6, 1e5};
	eic_cluster_add_facility_level(c, &lv);
	eic_facility_coef co = {"comp", "fw", EIC_DIR_INPUT, 1.0, "t/t"};
	eic_cluster_add_facility_coef(c, &co);
	if (eic_factors_load_dir(fs, NULL, d) < 0 || eic_scenario_derive(&s, c, d) < 0) {
		fprintf(stderr, "setup failed\n");
		return 3;
	}
	eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
	o.draws = draws;
	o.seed = 1;
	o.climate_zone = "tropical_wet";
	if (!actor_intervals)
		o.actor_intervals = 0;
	double t0 = now();
	int rc = eic_scenario_evaluate(&r, c, s, 0, fs, &o, d);
	double t1 = now();
	if (rc < 0) {
		char buf[1024];
		for (size_t i = 0; i < eic_diags_count(d) && i < 5; i++) {
			eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
			fprintf(stderr, "%s\n", buf);
		}
		return 3;
	}
	const eic_impact_figure *g = eic_scenario_result_figure(r, EIC_IMPACT_GHG);
	printf("actors %ld flows %zu draws %zu: %.3f s (%.1f us per draw); GHG change %.0f t CO2e, "
	       "90%% interval %.0f .. %.0f\n",
	       actors, eic_cluster_flow_count(c), draws, t1 - t0,
	       draws ? (t1 - t0) / (double)draws * 1e6 : 0.0, g->change, g->change_draws.p05,
	       g->change_draws.p95);
	const eic_scenario_party *p0 = eic_scenario_result_party(r, 0);
	if (p0)
		printf("by-party intervals %s; %zu parties; %s GHG change %.1f t CO2e, 90%% "
		       "interval %.1f .. %.1f\n",
		       actor_intervals ? "on (ghg, landfill)" : "off",
		       eic_scenario_result_party_count(r), p0->id,
		       p0->scenario[EIC_IMPACT_GHG] - p0->bau[EIC_IMPACT_GHG],
		       p0->change_draws[EIC_IMPACT_GHG].p05, p0->change_draws[EIC_IMPACT_GHG].p95);
	eic_scenario_result_free(r);
	eic_scenario_free(s);
	eic_factors_free(fs);
	eic_diags_free(d);
	eic_cluster_free(c);
	return 0;
}
