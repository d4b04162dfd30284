/* indicators.c: performance indicators per actor, per cluster and per period from measurement
 * records and flows, and their trends (docs/methods/indicators.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eic/circularity.h>
#include <eic/indicators.h>

#include "util/util.h"

#define DAYS_PER_YEAR 365.2425

/* ---- the catalogue ----------------------------------------------------------------------- */

/* Base quantities summed per actor and period; NaN when missing, with a reason. */
enum {
	Q_VA = 0,
	Q_EMP,
	Q_PROD,
	Q_ENERGY,
	Q_WATER,
	Q_RAW,
	Q_WASTE,
	Q_WASTE_R,
	Q_RECYCLED,
	Q_CO2,
	Q_LIM_N,
	Q_LIM_WITHIN,
	Q_SYM_IN,
	Q_SYM_PARTNER,
	Q_CIRC_TOTAL,
	Q_CIRC_INSIDE,
	Q__N
};

static const char *const q_missing[Q__N] = {
    "value added",
    "employees",
    "production",
    "energy use",
    "water withdrawal",
    "raw material input",
    "waste generated",
    "waste fate (recovery or disposal)",
    "waste R/D operation codes",
    "CO2 emissions to air",
    "emission measurements with an applicable standard",
    "emission measurements with an applicable standard",
    "input flows of the actor in the cluster model for the period",
    "input flows of the actor in the cluster model for the period",
    "output flows in the cluster model for the period",
    "output flows in the cluster model for the period",
};

/* Unit patterns: %c currency, %p production unit. */
typedef struct {
	eic_indicator_def def;
	int num, den; /* den < 0: a total */
	const char *unit;
} indicator_spec;

static const indicator_spec specs[] = {
    {{"resource_productivity", "Resource productivity", "value added / raw material input", 1},
     Q_VA,
     Q_RAW,
     "%c/t"},
    {{"energy_intensity_va", "Energy intensity per value added", "energy use / value added", 0},
     Q_ENERGY,
     Q_VA,
     "GJ/%c"},
    {{"energy_intensity_product", "Energy intensity per unit of product", "energy use / production",
      0},
     Q_ENERGY,
     Q_PROD,
     "GJ/%p"},
    {{"water_intensity_va", "Water intensity per value added", "water withdrawal / value added", 0},
     Q_WATER,
     Q_VA,
     "m3/%c"},
    {{"water_intensity_product", "Water intensity per unit of product",
      "water withdrawal / production", 0},
     Q_WATER,
     Q_PROD,
     "m3/%p"},
    {{"waste_intensity_va", "Waste intensity per value added", "waste generated / value added", 0},
     Q_WASTE,
     Q_VA,
     "t/%c"},
    {{"waste_intensity_product", "Waste intensity per unit of product",
      "waste generated / production", 0},
     Q_WASTE,
     Q_PROD,
     "t/%p"},
    {{"waste_utilisation_rate", "Waste utilisation rate",
      "waste to recovery (R operations) / waste generated", 1},
     Q_WASTE_R,
     Q_WASTE,
     "1"},
    {{"recycling_rate", "Recycling rate", "waste to recycling operations R2-R11 / waste generated",
      1},
     Q_RECYCLED,
     Q_WASTE,
     "1"},
    {{"eco_efficiency_energy", "Eco-efficiency (energy)", "value added / energy use", 1},
     Q_VA,
     Q_ENERGY,
     "%c/GJ"},
    {{"eco_efficiency_water", "Eco-efficiency (water)", "value added / water withdrawal", 1},
     Q_VA,
     Q_WATER,
     "%c/m3"},
    {{"eco_efficiency_co2", "Eco-efficiency (CO2)", "value added / CO2 emitted to air", 1},
     Q_VA,
     Q_CO2,
     "%c/t"},
    {{"circularity_rate", "Circularity rate",
      "outputs used by another process or actor of the cluster / all outputs", 1},
     Q_CIRC_INSIDE,
     Q_CIRC_TOTAL,
     "1"},
    {{"symbiosis_rate", "Symbiosis rate", "inputs from cluster partners / all inputs", 1},
     Q_SYM_PARTNER,
     Q_SYM_IN,
     "1"},
    {{"compliance_rate", "Compliance rate",
      "emission measurements within their standard / measurements with a standard", 1},
     Q_LIM_WITHIN,
     Q_LIM_N,
     "1"},
    {{"value_added", "Value added", "sum of value-added records", 1}, Q_VA, -1, "%c"},
    {{"employees", "Employees", "sum of employee records", 1}, Q_EMP, -1, "1"},
    {{"production", "Production", "sum of production records (one unit)", 1}, Q_PROD, -1, "%p"},
    {{"energy_use", "Energy use", "sum of energy records", 0}, Q_ENERGY, -1, "GJ"},
    {{"water_withdrawal", "Water withdrawal", "sum of water withdrawal records", 0},
     Q_WATER,
     -1,
     "m3"},
    {{"raw_material_input", "Raw material input", "sum of raw material records (mass)", 0},
     Q_RAW,
     -1,
     "t"},
    {{"waste_generated", "Waste generated", "sum of waste records", 0}, Q_WASTE, -1, "t"},
    {{"waste_recovered", "Waste to recovery", "sum of waste records with fate R", 1},
     Q_WASTE_R,
     -1,
     "t"},
};
#define SPEC_COUNT (sizeof(specs) / sizeof(specs[0]))
#define RELEASE_PREFIX "release."

size_t eic_indicator_def_count(void)
{
	return SPEC_COUNT;
}

const eic_indicator_def *eic_indicator_def_at(size_t i)
{
	return i < SPEC_COUNT ? &specs[i].def : NULL;
}

static const eic_indicator_def release_def = {"release", "Release to air, water or land",
                                              "sum of emission records (kg)", 0};

static const char *const trend_suffixes[] = {".change", ".change_rel", ".cagr", ".slope"};

const eic_indicator_def *eic_indicator_def_find(const char *id)
{
	if (!id)
		return NULL;
	char base[256];
	snprintf(base, sizeof(base), "%s", id);
	for (size_t k = 0; k < 4; k++) {
		size_t bl = strlen(base), sl = strlen(trend_suffixes[k]);
		if (bl > sl && !strcmp(base + bl - sl, trend_suffixes[k])) {
			base[bl - sl] = '\0';
			break;
		}
	}
	for (size_t i = 0; i < SPEC_COUNT; i++)
		if (!strcmp(specs[i].def.id, base))
			return &specs[i].def;
	if (!strncmp(base, RELEASE_PREFIX, strlen(RELEASE_PREFIX)) &&
	    base[strlen(RELEASE_PREFIX)] != '\0')
		return &release_def;
	return NULL;
}

/* ---- trends ------------------------------------------------------------------------------- */

void eic_trend_compute(eic_trend_stats *out, const double *t_years, const double *values, size_t n)
{
	size_t first = n, last = n, prev = n, count = 0;
	double st = 0, sv = 0;
	out->n = 0;
	out->first = out->last = out->years = out->change = out->change_rel = NAN;
	out->cagr = out->slope_per_year = out->previous = out->change_prev_rel = NAN;
	if (!t_years || !values)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(values[i]) || !isfinite(t_years[i]))
			continue;
		if (first == n)
			first = i;
		prev = last;
		last = i;
		count++;
		st += t_years[i];
		sv += values[i];
	}
	out->n = count;
	if (count == 0)
		return;
	out->first = values[first];
	out->last = values[last];
	if (count < 2)
		return;
	out->years = t_years[last] - t_years[first];
	out->change = out->last - out->first;
	if (out->first != 0.0)
		out->change_rel = out->change / fabs(out->first);
	if (out->first > 0 && out->last > 0 && out->years > 0)
		out->cagr = pow(out->last / out->first, 1.0 / out->years) - 1.0;
	out->previous = values[prev];
	if (out->previous != 0.0)
		out->change_prev_rel = (out->last - out->previous) / fabs(out->previous);
	if (count >= 3) {
		double mt = st / (double)count, mv = sv / (double)count, sxy = 0, sxx = 0;
		for (size_t i = 0; i < n; i++) {
			if (!isfinite(values[i]) || !isfinite(t_years[i]))
				continue;
			sxy += (t_years[i] - mt) * (values[i] - mv);
			sxx += (t_years[i] - mt) * (t_years[i] - mt);
		}
		if (sxx > 0)
			out->slope_per_year = sxy / sxx;
	}
}

/* ---- the result --------------------------------------------------------------------------- */

typedef struct {
	char start[11], end[11];
	const char *label;
	double mid_years;
	const char *model_period; /* id of the cluster period with these dates, or NULL */
} period_info;

typedef struct {
	double q[Q__N];
	const char *why[Q__N]; /* reason when q is NaN */
	char currency[4];
	const char *prod_unit;
} actor_period;

typedef struct {
	const char *code; /* pollutant */
	eic_medium medium;
	const char *id; /* "release.CODE.medium" */
	double *kg;     /* [actor x period], NaN: not reported */
} release_series;

struct eic_indicators {
	eic_arena arena;
	const char *cluster_id;
	period_info *periods;
	size_t period_count;
	const char **actors;
	size_t actor_count;
	eic_vec values;   /* eic_indicator_value */
	eic_vec trends;   /* eic_indicator_trend */
	eic_vec releases; /* release_series (computation only) */
	eic_map index;    /* "scope\x1f indicator \x1f period" -> value index */
	eic_map tindex;   /* "scope\x1f indicator" -> trend index */
	int oom;
};

static const char *adup(eic_indicators *ind, const char *s)
{
	const char *c = eic_arena_strdup(&ind->arena, s ? s : "");
	if (!c)
		ind->oom = 1;
	return c ? c : "";
}

static void set_missing(actor_period *ap, int q, const char *why)
{
	ap->q[q] = NAN;
	if (!ap->why[q])
		ap->why[q] = why;
}

static void add_q(actor_period *ap, int q, double v)
{
	if (ap->why[q])
		return; /* already made missing */
	ap->q[q] = isnan(ap->q[q]) ? v : ap->q[q] + v;
}

/* Recycling operations of the Waste Framework Directive Annex II, as an approximation of
 * "recycling" (reprocessing into products, materials or substances): R2 to R11. */
static int is_recycling_code(const char *code)
{
	if (!code || (code[0] != 'R' && code[0] != 'r'))
		return -1;
	char *end;
	long n = strtol(code + 1, &end, 10);
	if (end == code + 1)
		return -1;
	return n >= 2 && n <= 11;
}

/* Is the emission record within its limit? 1 yes, 0 no, -1 not comparable. */
static int within_limit(const eic_measurement *m)
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

static int find_actor(const eic_indicators *ind, const char *id)
{
	for (size_t i = 0; i < ind->actor_count; i++)
		if (!strcmp(ind->actors[i], id))
			return (int)i;
	return -1;
}

static int find_period(const eic_indicators *ind, const char *start, const char *end)
{
	for (size_t i = 0; i < ind->period_count; i++)
		if (!strcmp(ind->periods[i].start, start) && !strcmp(ind->periods[i].end, end))
			return (int)i;
	return -1;
}

static release_series *release_for(eic_indicators *ind, const char *code, eic_medium medium)
{
	for (size_t i = 0; i < ind->releases.len; i++) {
		release_series *r = EIC_VEC_AT(&ind->releases, release_series, i);
		if (r->medium == medium && !strcmp(r->code, code))
			return r;
	}
	release_series r;
	char id[256];
	size_t cells = ind->actor_count * ind->period_count;
	snprintf(id, sizeof(id), RELEASE_PREFIX "%s.%s", code, eic_medium_name(medium));
	r.code = adup(ind, code);
	r.medium = medium;
	r.id = adup(ind, id);
	r.kg = eic_arena_alloc(&ind->arena, sizeof(double) * (cells ? cells : 1));
	if (!r.kg) {
		ind->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < cells; i++)
		r.kg[i] = NAN;
	return eic_vec_push(&ind->releases, &r);
}

/* Sum the current records of one actor-period into ap. */
static void add_record(eic_indicators *ind, actor_period *ap, const eic_measurement *m, size_t cell)
{
	switch (m->kind) {
	case EIC_MEASURE_VALUE_ADDED:
		if (ap->currency[0] && strcmp(ap->currency, m->amount_unit))
			set_missing(ap, Q_VA, "value added in one currency");
		snprintf(ap->currency, sizeof(ap->currency), "%s", m->amount_unit);
		add_q(ap, Q_VA, m->amount);
		break;
	case EIC_MEASURE_EMPLOYEES:
		add_q(ap, Q_EMP, m->amount);
		break;
	case EIC_MEASURE_PRODUCTION:
		if (ap->prod_unit && strcmp(ap->prod_unit, m->amount_unit))
			set_missing(ap, Q_PROD, "production in one unit");
		ap->prod_unit = m->amount_unit;
		add_q(ap, Q_PROD, m->amount);
		break;
	case EIC_MEASURE_ENERGY:
		add_q(ap, Q_ENERGY, m->amount);
		break;
	case EIC_MEASURE_WATER_WITHDRAWAL:
		add_q(ap, Q_WATER, m->amount);
		break;
	case EIC_MEASURE_RAW_MATERIAL:
		if (strcmp(m->amount_unit, "t"))
			set_missing(ap, Q_RAW, "raw material input in mass units");
		else
			add_q(ap, Q_RAW, m->amount);
		break;
	case EIC_MEASURE_WASTE: {
		if (strcmp(m->amount_unit, "t")) {
			set_missing(ap, Q_WASTE, "waste in mass units");
			break;
		}
		add_q(ap, Q_WASTE, m->amount);
		int code;
		if (m->fate == EIC_FATE_NONE)
			set_missing(ap, Q_WASTE_R, q_missing[Q_WASTE_R]);
		else
			add_q(ap, Q_WASTE_R, m->fate == EIC_FATE_RECOVERY ? m->amount : 0.0);
		code = is_recycling_code(m->fate_code);
		if (m->fate == EIC_FATE_DISPOSAL)
			add_q(ap, Q_RECYCLED, 0.0);
		else if (code < 0)
			set_missing(ap, Q_RECYCLED, q_missing[Q_RECYCLED]);
		else
			add_q(ap, Q_RECYCLED, code ? m->amount : 0.0);
		break;
	}
	case EIC_MEASURE_EMISSION: {
		if (m->medium == EIC_MEDIUM_AIR && !strcmp(m->subject, "CO2"))
			add_q(ap, Q_CO2, m->amount / 1000.0); /* kg -> t */
		release_series *r = release_for(ind, m->subject, m->medium);
		if (r)
			r->kg[cell] = isnan(r->kg[cell]) ? m->amount : r->kg[cell] + m->amount;
		int w = within_limit(m);
		if (w >= 0) {
			add_q(ap, Q_LIM_N, 1.0);
			add_q(ap, Q_LIM_WITHIN, w ? 1.0 : 0.0);
		}
		break;
	}
	default:
		break;
	}
}

/* Symbiosis inputs and circularity outputs of every actor in one model period. */
static int add_flows(eic_indicators *ind, const eic_cluster *c, actor_period *aps, size_t pi)
{
	const char *pid = ind->periods[pi].model_period;
	const char *mass = eic_cluster_info_get(c)->mass_unit;
	if (!pid)
		return 0;
	if (eic_str_empty(mass))
		mass = "t";
	for (size_t f = 0; f < eic_cluster_flow_count(c); f++) {
		const eic_flow *fl = eic_cluster_flow(c, f);
		eic_node from, to;
		double amount;
		const char *via;
		if (!eic_streq(fl->period, pid))
			continue;
		if (eic_cluster_resolve_node(&from, c, fl->from) < 0 ||
		    eic_cluster_resolve_node(&to, c, fl->to) < 0)
			continue;
		if (eic_flow_amount(&amount, &via, c, fl, mass) < 0)
			continue;
		if (to.actor && !eic_streq(to.actor, from.actor)) {
			int a = find_actor(ind, to.actor);
			if (a >= 0) {
				actor_period *ap = &aps[(size_t)a * ind->period_count + pi];
				add_q(ap, Q_SYM_IN, amount);
				add_q(ap, Q_SYM_PARTNER, from.actor ? amount : 0.0);
			}
		}
	}
	/* circularity: the circularity module's rows (outputs of each node), summed by actor */
	eic_circularity *circ = NULL;
	eic_circularity_options co = EIC_CIRCULARITY_OPTIONS_INIT;
	co.period = pid;
	int rc = eic_circularity_compute(&circ, c, &co);
	if (rc == EIC_ENOMEM)
		return rc;
	for (size_t i = 0; rc == 0 && i < eic_circularity_row_count(circ); i++) {
		const eic_circularity_row *row = eic_circularity_row_at(circ, i);
		int a = row->actor ? find_actor(ind, row->actor) : -1;
		if (a < 0 || !isfinite(row->total))
			continue;
		actor_period *ap = &aps[(size_t)a * ind->period_count + pi];
		add_q(ap, Q_CIRC_TOTAL, row->total);
		add_q(ap, Q_CIRC_INSIDE, row->inside);
	}
	eic_circularity_free(circ);
	return 0;
}

static char *fill_unit(char *buf, size_t size, const char *pattern, const char *cur, const char *pu)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *p = pattern; *p && used + 1 < size; p++) {
		if (*p == '%' && (p[1] == 'c' || p[1] == 'p')) {
			const char *s =
			    p[1] == 'c' ? (cur && *cur ? cur : "money") : (pu ? pu : "unit");
			used += (size_t)snprintf(buf + used, size - used, "%s", s);
			if (used >= size)
				used = size - 1;
			p++;
		} else
			buf[used++] = *p, buf[used] = '\0';
	}
	return buf;
}

static int push_value(eic_indicators *ind, const char *indicator, const char *scope, int cluster,
                      size_t pi, double value, const char *unit, const char *missing,
                      size_t coverage)
{
	eic_indicator_value v;
	char key[768];
	v.indicator = indicator;
	v.scope = scope;
	v.cluster_scope = cluster;
	v.period = ind->periods[pi].label;
	v.start = ind->periods[pi].start;
	v.end = ind->periods[pi].end;
	v.value = value;
	v.unit = adup(ind, unit);
	v.missing = adup(ind, missing);
	v.coverage = coverage;
	if (ind->oom || !eic_vec_push(&ind->values, &v))
		return EIC_ENOMEM;
	snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", cluster ? "" : scope, indicator, v.period);
	const char *k = adup(ind, key);
	if (ind->oom || eic_map_put(&ind->index, k, ind->values.len - 1) < 0)
		return EIC_ENOMEM;
	return 0;
}

/* Values of one indicator for a scope over the periods: `aps` points at the scope's
 * actor-period cells (stride 1), or is NULL for the cluster (sum over actors). */
static int compute_spec(eic_indicators *ind, const indicator_spec *s, const actor_period *all,
                        int actor)
{
	char unit[64], missing[256];
	for (size_t pi = 0; pi < ind->period_count; pi++) {
		double num = NAN, den = NAN;
		const char *cur = NULL, *pu = NULL;
		size_t coverage = 0;
		int mixed_cur = 0, mixed_pu = 0;
		const char *why_num = NULL, *why_den = NULL;
		size_t a0 = actor >= 0 ? (size_t)actor : 0;
		size_t a1 = actor >= 0 ? (size_t)actor + 1 : ind->actor_count;
		for (size_t a = a0; a < a1; a++) {
			const actor_period *ap = &all[a * ind->period_count + pi];
			double n = ap->q[s->num];
			double d = s->den >= 0 ? ap->q[s->den] : 1.0;
			if (isnan(n) && !why_num)
				why_num = ap->why[s->num] ? ap->why[s->num] : q_missing[s->num];
			if (s->den >= 0 && isnan(d) && !why_den)
				why_den = ap->why[s->den] ? ap->why[s->den] : q_missing[s->den];
			if (isnan(n) || isnan(d))
				continue;
			int uses_cur = s->num == Q_VA || s->den == Q_VA;
			int uses_pu = s->num == Q_PROD || s->den == Q_PROD;
			if (uses_cur) {
				if (cur && strcmp(cur, ap->currency))
					mixed_cur = 1;
				cur = ap->currency;
			}
			if (uses_pu) {
				if (pu && ap->prod_unit && strcmp(pu, ap->prod_unit))
					mixed_pu = 1;
				pu = ap->prod_unit;
			}
			num = isnan(num) ? n : num + n;
			den = isnan(den) ? d : den + d;
			coverage++;
		}
		double value = NAN;
		missing[0] = '\0';
		if (mixed_cur)
			snprintf(missing, sizeof(missing), "value added in one currency");
		else if (mixed_pu)
			snprintf(missing, sizeof(missing), "production in one unit");
		else if (coverage == 0) {
			if (why_num && why_den && strcmp(why_num, why_den))
				snprintf(missing, sizeof(missing), "%s and %s", why_num, why_den);
			else
				snprintf(missing, sizeof(missing), "%s",
				         why_num   ? why_num
				         : why_den ? why_den
				                   : "records");
		} else if (s->den >= 0 && den == 0.0)
			snprintf(missing, sizeof(missing), "a non-zero %s (it is 0)",
			         q_missing[s->den]);
		else
			value = s->den >= 0 ? num / den : num;
		fill_unit(unit, sizeof(unit), s->unit, cur, pu);
		int rc =
		    push_value(ind, s->def.id, actor >= 0 ? ind->actors[actor] : ind->cluster_id,
		               actor < 0, pi, value, unit, missing, coverage);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int compute_release(eic_indicators *ind, const release_series *r, int actor)
{
	for (size_t pi = 0; pi < ind->period_count; pi++) {
		double sum = NAN;
		size_t coverage = 0;
		size_t a0 = actor >= 0 ? (size_t)actor : 0;
		size_t a1 = actor >= 0 ? (size_t)actor + 1 : ind->actor_count;
		for (size_t a = a0; a < a1; a++) {
			double v = r->kg[a * ind->period_count + pi];
			if (isnan(v))
				continue;
			sum = isnan(sum) ? v : sum + v;
			coverage++;
		}
		int rc = push_value(ind, r->id, actor >= 0 ? ind->actors[actor] : ind->cluster_id,
		                    actor < 0, pi, sum, "kg",
		                    coverage ? "" : "a release record for the period", coverage);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One trend per (scope, indicator) run of values (they are consecutive, one per period). */
static int compute_trends(eic_indicators *ind)
{
	size_t np = ind->period_count;
	double *t = eic_malloc(sizeof(double) * (np ? np : 1));
	double *v = eic_malloc(sizeof(double) * (np ? np : 1));
	int rc = 0;
	if (!t || !v) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i + np <= ind->values.len && np > 0; i += np) {
		const eic_indicator_value *first = EIC_VEC_AT(&ind->values, eic_indicator_value, i);
		eic_indicator_trend tr;
		const char *fp = "", *lp = "";
		for (size_t k = 0; k < np; k++) {
			const eic_indicator_value *x =
			    EIC_VEC_AT(&ind->values, eic_indicator_value, i + k);
			t[k] = ind->periods[k].mid_years;
			v[k] = x->value;
			if (isfinite(x->value)) {
				if (!*fp)
					fp = x->period;
				lp = x->period;
			}
		}
		memset(&tr, 0, sizeof(tr));
		tr.indicator = first->indicator;
		tr.scope = first->scope;
		tr.cluster_scope = first->cluster_scope;
		tr.unit = first->unit;
		for (size_t k = 0; k < np; k++) {
			const eic_indicator_value *x =
			    EIC_VEC_AT(&ind->values, eic_indicator_value, i + k);
			if (isfinite(x->value))
				tr.unit = x->unit;
		}
		tr.first_period = fp;
		tr.last_period = lp;
		eic_trend_compute(&tr.stats, t, v, np);
		if (tr.stats.n < 2)
			tr.note = "fewer than 2 periods with a value: no trend";
		else if (isnan(tr.stats.cagr) && isnan(tr.stats.slope_per_year))
			tr.note =
			    "no compound rate (first or last value not positive); fewer than 3 "
			    "periods: no slope";
		else if (isnan(tr.stats.cagr))
			tr.note = "no compound rate: first or last value not positive";
		else if (isnan(tr.stats.slope_per_year))
			tr.note = "fewer than 3 periods with a value: no slope";
		else
			tr.note = "";
		if (!eic_vec_push(&ind->trends, &tr)) {
			rc = EIC_ENOMEM;
			goto done;
		}
		char key[512];
		snprintf(key, sizeof(key), "%s\x1f%s", tr.cluster_scope ? "" : tr.scope,
		         tr.indicator);
		const char *k = adup(ind, key);
		if (ind->oom || eic_map_put(&ind->tindex, k, ind->trends.len - 1) < 0) {
			rc = EIC_ENOMEM;
			goto done;
		}
	}
done:
	eic_free(t);
	eic_free(v);
	return rc;
}

static int cmp_release(const void *a, const void *b)
{
	const release_series *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (int)x->medium - (int)y->medium;
}

static double mid_years(const char *start, const char *end)
{
	long a = 0, b = 0;
	eic_date_parse(&a, start);
	eic_date_parse(&b, end);
	return ((double)a + (double)b) / 2.0 / DAYS_PER_YEAR;
}

int eic_indicators_compute(eic_indicators **out, const eic_cluster *cluster,
                           const eic_measure_set *set, const eic_indicators_options *opts)
{
	eic_indicators *ind = NULL;
	eic_measure_period *mp = NULL;
	size_t mp_count = 0;
	eic_measure_list list = EIC_MEASURE_LIST_INIT;
	actor_period *aps = NULL;
	eic_indicators_options o = EIC_INDICATORS_OPTIONS_INIT;
	char want_start[11] = "", want_end[11] = "";
	int rc = 0;
	if (!out || !cluster)
		return EIC_EINVAL;
	*out = NULL;
	if (opts)
		o = *opts;
	if (o.actor && !eic_cluster_find_actor(cluster, o.actor))
		return EIC_ENOTFOUND;
	if (o.period && eic_measure_period_parse(want_start, want_end, o.period) < 0)
		return EIC_EINVAL;
	ind = eic_calloc(1, sizeof(*ind));
	if (!ind)
		return EIC_ENOMEM;
	eic_arena_init(&ind->arena);
	eic_vec_init(&ind->values, sizeof(eic_indicator_value));
	eic_vec_init(&ind->trends, sizeof(eic_indicator_trend));
	eic_vec_init(&ind->releases, sizeof(release_series));
	eic_map_init(&ind->index);
	eic_map_init(&ind->tindex);
	ind->cluster_id = adup(ind, eic_cluster_info_get(cluster)->id);

	/* periods: of the records, or of the cluster model when there is no set */
	if (set) {
		if ((rc = eic_measure_periods(&mp, &mp_count, set, NULL)) < 0)
			goto done;
	}
	size_t cap = set ? mp_count : eic_cluster_period_count(cluster);
	ind->periods = eic_arena_alloc(&ind->arena, sizeof(period_info) * (cap ? cap : 1));
	if (!ind->periods) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < cap; i++) {
		const char *s, *e;
		if (set) {
			s = mp[i].start;
			e = mp[i].end;
		} else {
			s = eic_cluster_period(cluster, i)->start;
			e = eic_cluster_period(cluster, i)->end;
		}
		if (o.period && (strcmp(s, want_start) || strcmp(e, want_end)))
			continue;
		period_info *p = &ind->periods[ind->period_count++];
		char label[64];
		snprintf(p->start, sizeof(p->start), "%s", s);
		snprintf(p->end, sizeof(p->end), "%s", e);
		eic_measure_period_label(label, sizeof(label), s, e);
		p->label = adup(ind, label);
		p->mid_years = mid_years(s, e);
		p->model_period = NULL;
		for (size_t k = 0; k < eic_cluster_period_count(cluster); k++) {
			const eic_period *cp = eic_cluster_period(cluster, k);
			if (eic_streq(cp->start, s) && eic_streq(cp->end, e))
				p->model_period = cp->id;
		}
	}
	if (o.period && ind->period_count == 0) {
		rc = EIC_ENOTFOUND;
		goto done;
	}

	/* actors: those with records (or, without a set, every actor), in cluster order */
	if (set && (rc = eic_measure_select(&list, set, NULL)) < 0)
		goto done;
	size_t na = eic_cluster_actor_count(cluster);
	ind->actors = eic_arena_alloc(&ind->arena, sizeof(char *) * (na ? na : 1));
	if (!ind->actors) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t a = 0; a < na; a++) {
		const eic_actor *ac = eic_cluster_actor(cluster, a);
		int has = !set;
		for (size_t k = 0; set && k < list.count && !has; k++)
			has = !strcmp(list.items[k]->actor, ac->id);
		if (o.actor && strcmp(o.actor, ac->id))
			has = 0;
		if (has)
			ind->actors[ind->actor_count++] = ac->id;
	}
	size_t cells = ind->actor_count * ind->period_count;
	aps = eic_calloc(cells ? cells : 1, sizeof(*aps));
	if (!aps) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < cells; i++)
		for (int q = 0; q < Q__N; q++)
			aps[i].q[q] = NAN;
	for (size_t k = 0; k < list.count; k++) {
		const eic_measurement *m = list.items[k];
		int a = find_actor(ind, m->actor);
		int p = find_period(ind, m->start, m->end);
		if (a < 0 || p < 0)
			continue;
		size_t cell = (size_t)a * ind->period_count + (size_t)p;
		add_record(ind, &aps[cell], m, cell);
		if (ind->oom) {
			rc = EIC_ENOMEM;
			goto done;
		}
	}
	for (size_t pi = 0; pi < ind->period_count; pi++)
		if ((rc = add_flows(ind, cluster, aps, pi)) < 0)
			goto done;
	if (ind->releases.len > 1)
		qsort(ind->releases.data, ind->releases.len, sizeof(release_series), cmp_release);

	/* values: actors, then the cluster */
	int scopes = (int)ind->actor_count + (o.actor ? 0 : 1);
	for (int sc = 0; sc < scopes; sc++) {
		int actor = sc < (int)ind->actor_count ? sc : -1;
		for (size_t k = 0; k < SPEC_COUNT; k++)
			if ((rc = compute_spec(ind, &specs[k], aps, actor)) < 0)
				goto done;
		for (size_t k = 0; k < ind->releases.len; k++)
			if ((rc = compute_release(
			         ind, EIC_VEC_AT(&ind->releases, release_series, k), actor)) < 0)
				goto done;
	}
	if ((rc = compute_trends(ind)) < 0)
		goto done;
	if (ind->oom)
		rc = EIC_ENOMEM;
done:
	eic_free(aps);
	eic_measure_list_clear(&list);
	eic_measure_periods_free(mp);
	if (rc < 0) {
		eic_indicators_free(ind);
		return rc;
	}
	*out = ind;
	return 0;
}

void eic_indicators_free(eic_indicators *ind)
{
	if (!ind)
		return;
	eic_vec_free(&ind->values);
	eic_vec_free(&ind->trends);
	eic_vec_free(&ind->releases);
	eic_map_free(&ind->index);
	eic_map_free(&ind->tindex);
	eic_arena_clear(&ind->arena);
	eic_free(ind);
}

size_t eic_indicators_period_count(const eic_indicators *ind)
{
	return ind ? ind->period_count : 0;
}

const char *eic_indicators_period(const eic_indicators *ind, size_t i)
{
	return ind && i < ind->period_count ? ind->periods[i].label : NULL;
}

size_t eic_indicators_actor_count(const eic_indicators *ind)
{
	return ind ? ind->actor_count : 0;
}

const char *eic_indicators_actor(const eic_indicators *ind, size_t i)
{
	return ind && i < ind->actor_count ? ind->actors[i] : NULL;
}

size_t eic_indicators_value_count(const eic_indicators *ind)
{
	return ind ? ind->values.len : 0;
}

const eic_indicator_value *eic_indicators_value_at(const eic_indicators *ind, size_t i)
{
	return ind && i < ind->values.len ? EIC_VEC_AT(&ind->values, eic_indicator_value, i) : NULL;
}

const eic_indicator_value *eic_indicators_get(const eic_indicators *ind, const char *scope,
                                              const char *indicator, const char *period)
{
	char key[768];
	size_t i;
	if (!ind || !indicator || !period)
		return NULL;
	snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", scope ? scope : "", indicator, period);
	if (!eic_map_get(&ind->index, key, &i))
		return NULL;
	return EIC_VEC_AT(&ind->values, eic_indicator_value, i);
}

size_t eic_indicators_trend_count(const eic_indicators *ind)
{
	return ind ? ind->trends.len : 0;
}

const eic_indicator_trend *eic_indicators_trend_at(const eic_indicators *ind, size_t i)
{
	return ind && i < ind->trends.len ? EIC_VEC_AT(&ind->trends, eic_indicator_trend, i) : NULL;
}

const eic_indicator_trend *eic_indicators_find_trend(const eic_indicators *ind, const char *scope,
                                                     const char *indicator)
{
	char key[512];
	size_t i;
	if (!ind || !indicator)
		return NULL;
	snprintf(key, sizeof(key), "%s\x1f%s", scope ? scope : "", indicator);
	if (!eic_map_get(&ind->tindex, key, &i))
		return NULL;
	return EIC_VEC_AT(&ind->trends, eic_indicator_trend, i);
}

double eic_indicators_lookup(const eic_indicators *ind, const char *scope, const char *name,
                             const char *period, const char **why)
{
	char base[256];
	int suffix = -1;
	if (why)
		*why = "unknown indicator";
	if (!ind || !name || ind->period_count == 0)
		return NAN;
	snprintf(base, sizeof(base), "%s", name);
	for (int k = 0; k < 4; k++) {
		size_t bl = strlen(base), sl = strlen(trend_suffixes[k]);
		if (bl > sl && !strcmp(base + bl - sl, trend_suffixes[k])) {
			base[bl - sl] = '\0';
			suffix = k;
			break;
		}
	}
	if (suffix >= 0) {
		const eic_indicator_trend *t = eic_indicators_find_trend(ind, scope, base);
		if (!t)
			return NAN;
		double v = suffix == 0   ? t->stats.change
		           : suffix == 1 ? t->stats.change_rel
		           : suffix == 2 ? t->stats.cagr
		                         : t->stats.slope_per_year;
		if (why)
			*why = isnan(v) ? (*t->note ? t->note : "no trend") : "";
		return v;
	}
	const char *p = period ? period : ind->periods[ind->period_count - 1].label;
	const eic_indicator_value *v = eic_indicators_get(ind, scope, base, p);
	if (!v) {
		if (why)
			*why = "no value for the period";
		return NAN;
	}
	if (why)
		*why = v->missing;
	return v->value;
}
