/* bench_finance.c: portfolio benchmark of the finance engine: appraise 10^5 generated projects
 * (20-year cash flows, NPV, IRR, MIRR, paybacks, LCOE) and report the time against 5 s. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <eic/finance.h>

/* xorshift64*: deterministic, so every run appraises the same portfolio. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double uniform(double lo, double hi)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	uint64_t x = rng_state * 0x2545F4914F6CDD1Dull;
	return lo + (hi - lo) * (double)(x >> 11) / 9007199254740992.0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 100000;
	double limit_s = 5.0;
	if (count < 1)
		count = 1;
	long unique = 0, none = 0, multiple = 0, paid_back = 0, failed = 0, scanned = 0;
	double checksum = 0.0;
	double t0 = now_s();
	for (long i = 0; i < count; i++) {
		/* A 20-year project: construction in year 0 (sometimes also year 1), a mid-life
		 * replacement in one project in five (cash flows that change sign several times),
		 * tax with straight-line or declining-balance depreciation, some debt. */
		double capex[11] = {0};
		size_t capex_count = 1;
		capex[0] = uniform(1e4, 1e6);
		if (i % 3 == 0) {
			capex[1] = 0.3 * capex[0];
			capex_count = 2;
		}
		if (i % 5 == 0) {
			capex[10] = uniform(0.5, 2.5) * capex[0];
			capex_count = 11;
		}
		eic_fin_project p = EIC_FIN_PROJECT_INIT;
		p.first_operating_year = capex_count == 2 ? 2 : 1;
		p.life_years = 21 - p.first_operating_year;
		p.capex = capex;
		p.capex_count = capex_count;
		p.revenue = capex[0] * uniform(0.02, 0.35);
		p.revenue_escalation = uniform(0.0, 0.04);
		p.avoided_cost = capex[0] * uniform(0.0, 0.1);
		p.avoided_cost_escalation = uniform(0.0, 0.05);
		p.opex_fixed = capex[0] * uniform(0.01, 0.05);
		p.opex_variable = uniform(0.0, 0.02);
		p.opex_escalation = 0.02;
		p.energy_per_year = capex[0] * uniform(0.5, 3.0);
		p.co2e_t_per_year = capex[0] * uniform(1e-4, 1e-3);
		p.salvage_value = 0.1 * capex[0];
		p.capital_subsidy_share = i % 4 == 0 ? 0.4 : 0.0;
		p.debt_ratio = i % 2 == 0 ? 0.6 : 0.0;
		p.debt_rate = 0.08;
		p.debt_term_years = 10;
		p.tax_rate = i % 3 == 1 ? 0.25 : 0.0;
		p.depreciation =
		    i % 2 ? EIC_FIN_DEPR_STRAIGHT_LINE : EIC_FIN_DEPR_DECLINING_BALANCE;
		p.depreciation_years = 10;
		p.depreciation_rate = 0.3;
		eic_fin_options o = EIC_FIN_OPTIONS_INIT;
		o.convention = i % 2 ? EIC_FIN_RETSCREEN : EIC_FIN_SAM;
		o.discount_rate = uniform(0.03, 0.12);
		o.inflation = 0.02;
		eic_fin_appraisal *a = NULL;
		if (eic_fin_appraise(&a, &p, &o, NULL) < 0) {
			failed++;
			continue;
		}
		const eic_fin_summary *s = eic_fin_appraisal_summary(a);
		switch (s->after_tax.irr.status) {
		case EIC_FIN_IRR_UNIQUE:
			unique++;
			break;
		case EIC_FIN_IRR_NONE:
			none++;
			break;
		default:
			multiple++;
		}
		paid_back += s->after_tax.has_payback;
		scanned += s->pre_tax.irr.several_sign_changes +
		           s->after_tax.irr.several_sign_changes +
		           s->equity.irr.several_sign_changes;
		checksum += s->after_tax.npv * 1e-6 + s->lcoe_nominal;
		eic_fin_appraisal_free(a);
	}
	double elapsed = now_s() - t0;
	printf("finance portfolio: %ld projects x 21 years (3 series each: NPV, IRR, MIRR, "
	       "paybacks, B/C; LCOE; CO2e)\n",
	       count);
	printf("after-tax IRR: %ld unique, %ld none, %ld several; %ld paid back; %ld failed\n",
	       unique, none, multiple, paid_back, failed);
	printf("series with several sign changes (full IRR scan): %ld of %ld\n", scanned,
	       3 * count);
	printf("checksum %.6f\n", checksum);
	printf("elapsed %.3f s, %.0f projects/s (limit %.1f s for 10^5: %s)\n", elapsed,
	       count / elapsed, limit_s,
	       count == 100000 ? (elapsed < limit_s ? "PASS" : "FAIL") : "n/a");
	return failed == 0 && (count != 100000 || elapsed < limit_s) ? 0 : 1;
}
