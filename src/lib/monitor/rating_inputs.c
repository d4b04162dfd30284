/* rating_inputs.c: the rating-scheme inputs that measurement records decide (compliance of
 * emissions with their limits), per docs/methods/indicators.md "Rating from measurements". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <eic/indicators.h>

#include "util/util.h"

/* Within its limit? 1 yes, 0 no, -1 not comparable (as the compliance rate counts it). */
static int within(const eic_measurement *m)
{
	double v;
	if (!isfinite(m->limit) || eic_str_empty(m->limit_unit))
		return -1;
	if (isfinite(m->concentration) && !eic_str_empty(m->concentration_unit) &&
	    eic_unit_convert(&v, m->concentration, m->concentration_unit, m->limit_unit) == 0)
		return v <= m->limit * (1.0 + 1e-9) + 1e-12;
	if (isfinite(m->value) && eic_unit_convert(&v, m->value, m->unit, m->limit_unit) == 0)
		return v <= m->limit * (1.0 + 1e-9) + 1e-12;
	return -1;
}

int eic_indicators_rating_inputs(eic_rating_inputs *inputs, size_t *out_set,
                                 const eic_measure_set *set, const char *actor, const char *start,
                                 const char *end)
{
	static const char *const names[] = {NULL, "compliance.air", "compliance.water",
	                                    "compliance.land"};
	eic_measure_list list = EIC_MEASURE_LIST_INIT;
	eic_measure_query q = EIC_MEASURE_QUERY_INIT;
	size_t n[4] = {0}, ok[4] = {0}, count = 0;
	int rc;
	if (out_set)
		*out_set = 0;
	if (!inputs || !set || !actor || !start || !end)
		return EIC_EINVAL;
	q.actor = actor;
	q.kind = EIC_MEASURE_EMISSION;
	q.from = start;
	q.to = end;
	if ((rc = eic_measure_select(&list, set, &q)) < 0)
		return rc;
	for (size_t i = 0; i < list.count; i++) {
		const eic_measurement *m = list.items[i];
		if (strcmp(m->start, start) || strcmp(m->end, end))
			continue;
		int w = within(m);
		if (w < 0 || m->medium < EIC_MEDIUM_AIR || m->medium > EIC_MEDIUM_LAND)
			continue;
		n[m->medium]++;
		ok[m->medium] += (size_t)w;
	}
	eic_measure_list_clear(&list);
	size_t all = 0, all_ok = 0;
	for (int k = EIC_MEDIUM_AIR; k <= EIC_MEDIUM_LAND; k++) {
		all += n[k];
		all_ok += ok[k];
		if (n[k] == 0)
			continue;
		if ((rc = eic_rating_inputs_set_bool(inputs, names[k], ok[k] == n[k])) < 0)
			return rc;
		count++;
	}
	if (all) {
		char evidence[256];
		snprintf(evidence, sizeof(evidence),
		         "%zu of %zu emission measurements within their standard, %s to %s", all_ok,
		         all, start, end);
		if ((rc = eic_rating_inputs_set_bool(inputs, "eip.env_compliance", all_ok == all)) <
		        0 ||
		    (rc = eic_rating_inputs_set_text(inputs, "eip.env_compliance.evidence",
		                                     evidence)) < 0)
			return rc;
		count++;
	}
	if (out_set)
		*out_set = count;
	return 0;
}
