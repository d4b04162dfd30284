/* fuzz_measure.c: fuzz target for the measurement CSV reader; an accepted file is queried
 * (current view, periods, history of every record) so the set's links are exercised too. */
#include <eic/eic.h>

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static eic_pollutants *cat;
	static eic_cluster *cluster;
	eic_measure_set *set = NULL;
	eic_diags *d = NULL;
	if (!cat && eic_pollutants_load(&cat, NULL, NULL) < 0)
		return 0;
	if (!cluster) {
		eic_cluster_info info = {0};
		eic_actor a = {0};
		if (eic_cluster_new(&cluster) < 0)
			return 0;
		info.id = "fuzz";
		eic_cluster_set_info(cluster, &info);
		a.employees = -1;
		a.value_added = a.lat = a.lon = NAN;
		a.id = "mill";
		eic_cluster_add_actor(cluster, &a);
		a.id = "smelter";
		eic_cluster_add_actor(cluster, &a);
	}
	if (eic_diags_new(&d, 100) < 0 || eic_measure_set_new(&set, cat) < 0)
		goto done;
	if (eic_measure_read_csv(set, d, "fuzz.csv", (const char *)data, size, cluster) == 0) {
		eic_measure_list list = EIC_MEASURE_LIST_INIT;
		eic_measure_period *p = NULL;
		size_t n;
		if (eic_measure_periods(&p, &n, set, NULL) == 0)
			eic_measure_periods_free(p);
		for (size_t i = 0; i < eic_measure_count(set); i++)
			eic_measure_history(&list, set, eic_measure_at(set, i)->id);
		eic_measure_list_clear(&list);
	}
done:
	eic_measure_set_free(set);
	eic_diags_free(d);
	return 0;
}
