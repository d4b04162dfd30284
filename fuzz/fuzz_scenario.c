/* fuzz_scenario.c: fuzz target for the scenario file reader, against the Dambulla example
 * cluster; an accepted scenario is evaluated (with a few Monte Carlo draws) so that the
 * evaluator meets odd scenarios too. */
#include <eic/eic.h>

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static eic_cluster *cluster;
static eic_factors *factors;

static void setup(void)
{
	char path[4096];
	eic_diags *d = NULL;
	if (cluster || eic_diags_new(&d, 100) < 0)
		return;
	snprintf(path, sizeof(path), "%s/examples/dambulla", eic_data_dir());
	if (eic_package_read(&cluster, d, path, NULL) < 0)
		cluster = NULL;
	if (eic_factors_new(&factors) == 0 && eic_factors_load_dir(factors, NULL, d) < 0) {
		eic_factors_free(factors);
		factors = NULL;
	}
	eic_diags_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_scenario *s = NULL;
	eic_diags *d = NULL;
	setup();
	if (!cluster || !factors || eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_scenario_read_buffer(&s, cluster, "fuzz.json", (const char *)data, size, d) == 0) {
		eic_scenario_options o = EIC_SCENARIO_OPTIONS_INIT;
		o.draws = 3;
		for (size_t a = 0; a < eic_scenario_alternative_count(s); a++) {
			eic_scenario_result *r = NULL;
			if (eic_scenario_evaluate(&r, cluster, s, a, factors, &o, d) == 0)
				eic_scenario_result_free(r);
		}
	}
	eic_scenario_free(s);
	eic_diags_free(d);
	return 0;
}
