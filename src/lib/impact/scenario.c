/* scenario.c: evaluation of a scenario alternative against business as usual: the flows of each
 * case, their fates, per-unit factors, figures by category and party, notes, sources, money over
 * time, and seeded Monte Carlo over factor ranges and flow uncertainty (docs/methods/scenarios.md).
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eic/finance.h>

#include "impact_private.h"
#include "scenario_private.h"

#define NONE ((size_t)-1)
#define NHEAD EIC_IMPACT__N
#define NCELL (EIC_GHG_SOURCE__N * EIC_GAS__N)
#define NFIG (NHEAD + NCELL)
#define CELL(src, gas) (NHEAD + (size_t)(src)*EIC_GAS__N + (size_t)(gas))
#define MAX_NOTE_FLOWS 6

/* ---- names ------------------------------------------------------------------------------- */

static const char *const cat_keys[NHEAD] = {
    "ghg",    "energy_recovered", "energy_used", "water",   "landfill",
    "virgin", "hazardous",        "cost",        "revenue", "jobs"};
static const char *const cat_labels[NHEAD] = {"Greenhouse gases",
                                              "Energy recovered",
                                              "Energy bought in",
                                              "Water taken in",
                                              "Landfill and open dumps",
                                              "Virgin material taken in",
                                              "Hazardous waste",
                                              "Costs",
                                              "Revenue",
                                              "Jobs"};
static const char *const cat_units[NHEAD] = {"t CO2e", "GJ", "GJ",          "m3",          "t",
                                             "t",      "t",  "currency/yr", "currency/yr", "FTE"};
static const char *const source_keys[EIC_GHG_SOURCE__N] = {
    "landfill",   "open_dumping", "open_burning", "composting", "anaerobic_digestion",
    "combustion", "grid",         "transport"};
static const char *const gas_keys[EIC_GAS__N] = {"CO2", "CH4", "N2O"};

const char *eic_impact_category_key(eic_impact_category c)
{
	return (int)c >= 0 && c < NHEAD ? cat_keys[c] : "";
}

const char *eic_impact_category_label(eic_impact_category c)
{
	return (int)c >= 0 && c < NHEAD ? cat_labels[c] : "";
}

const char *eic_impact_category_unit(eic_impact_category c)
{
	return (int)c >= 0 && c < NHEAD ? cat_units[c] : "";
}

const char *eic_ghg_source_key(eic_ghg_source s)
{
	return (int)s >= 0 && s < EIC_GHG_SOURCE__N ? source_keys[s] : "";
}

const char *eic_gas_key(eic_gas g)
{
	return (int)g >= 0 && g < EIC_GAS__N ? gas_keys[g] : "";
}

/* ---- working structures ------------------------------------------------------------------- */

/* A flow of one case: a recorded flow (or part of it) after the changes, or an added one. */
typedef struct {
	const char *id;
	size_t rec; /* recorded flow index, NONE when added */
	const char *from, *to, *material, *unit;
	double quantity; /* in unit, over the period */
	int fixed;       /* set or added by a change: no activity draw */
	double distance_km;
	const char *mode;
	const char *to_orig;      /* destination as recorded */
	const char *jobs_pathway; /* jobs_per_kt key of the pathway it goes to, NULL none */
	size_t draw;              /* multiplier drawn in the Monte Carlo (recorded flow index, or
	                             flow count + activity range of a change), NONE: none */
} eflow;

/* The activity range of a 'set' or 'add' change as a multiplier of its quantity. */
typedef struct {
	double low, high; /* triangular (low, 1, high); NaN: normal */
	double rel_sd;
} crange;

typedef enum {
	U_ONE = 0,
	U_FOD_LANDFILL,
	U_FOD_DUMP,
	U_BURN,
	U_COMPOST,
	U_AD,
	U_COMB,
	U_GRID,
	U_TRANSPORT,
	U_JOBS,
} ukind;

/* A per-unit quantity recomputed on each draw: t CO2e by gas per unit of activity (or jobs). */
typedef struct {
	ukind kind;
	const char *key, *key2;
	double v[EIC_GAS__N];
} uitem;

/* One contribution: amount x unit value[slot] (x the flow's draw) to figure `fig`. */
typedef struct {
	size_t fig, party, unit, mult;
	int state, slot;
	double amount;
} term;

/* Virgin material replaced by an exchange: t for a party. */
typedef struct {
	size_t party;
	double t;
} vpair;

typedef struct {
	int category;
	const char *label;
	const char *unit;
	double amount[2];
	size_t flow_count;
	char flows[160];
} notegrp;

struct eic_scenario_result {
	eic_arena arena;
	eic_impact_figure fig[NFIG];
	const char *gwp_set, *climate_zone, *currency;
	size_t horizon, draws;
	uint64_t seed;
	double litres[3];
	eic_vec parties;      /* eic_scenario_party */
	eic_vec flow_changes; /* eic_scenario_flow_change */
	eic_vec notes;        /* eic_scenario_note */
	eic_vec factors;      /* const eic_factor * */
	size_t years;
	double rate;
	double *cum[2];
	double npv[2];
	int has_ref;
	eic_scenario_reference ref;
	const char *units[NHEAD];
};

typedef struct {
	const eic_cluster *c;
	const eic_scenario *s;
	const eic_factors *f;
	eic_diags *diags;
	eic_scenario_result *r;
	const char *period;
	double year_fraction; /* period length in years (1 for a calendar year) */
	const char *gwp, *zone;
	size_t horizon;
	int timing;
	int jobs_factors;       /* the set has jobs_per_kt factors */
	const char *money_unit; /* "<currency>/yr" */
	eic_map actor_index, flow_index, facility_index, seen_errors;
	size_t actor_count;
	eic_vec flows[2]; /* eflow */
	eic_vec units;    /* uitem */
	eic_vec terms;    /* term */
	eic_vec groups;   /* notegrp */
	/* per case: facility opened (level) and throughput t */
	const eic_facility_level **opened[2];
	double *throughput[2];
	double *stated_jobs[2];
	const char **jobs_source[2];
	const char **jobs_pathway[2];
	eic_vec virgin_replaced[2]; /* vpair */
	double capex[2];
	double annual_net[2]; /* opex + fees - revenue, per year */
	eic_vec ranges;       /* crange: multipliers nflows + i */
	int per;              /* figures per unit of a reference */
	double scale[2][NHEAD];
	unsigned actor_mask;
	int errors;
	int oom;
} ev;

static int fail(ev *e, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* An error about the input; the same message twice is reported once. */
static int fail(ev *e, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t dummy;
	e->errors++;
	if (eic_map_get(&e->seen_errors, msg, &dummy))
		return 0;
	char *copy = eic_arena_strdup(&e->r->arena, msg);
	if (!copy || eic_map_put(&e->seen_errors, copy, 0) < 0) {
		e->oom = 1;
		return EIC_ENOMEM;
	}
	if (e->diags && eic_diags_add(e->diags, EIC_SEV_ERROR, e->s->file, 0, 0, "%s", msg) < 0)
		e->oom = 1;
	return 0;
}

static int add_note(ev *e, int category, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int add_note(ev *e, int category, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	eic_scenario_note n = {(eic_impact_category)category, eic_arena_strdup(&e->r->arena, msg)};
	if (!n.text || !eic_vec_push(&e->r->notes, &n)) {
		e->oom = 1;
		return EIC_ENOMEM;
	}
	return 0;
}

static void use_factor(ev *e, const char *parameter, const char *key)
{
	const eic_factor *fa = eic_factors_get(e->f, parameter, key);
	if (!fa)
		return;
	for (size_t i = 0; i < e->r->factors.len; i++)
		if (*EIC_VEC_AT(&e->r->factors, const eic_factor *, i) == fa)
			return;
	if (!eic_vec_push(&e->r->factors, &fa))
		e->oom = 1;
}

static const char *case_name(int state)
{
	return state ? "scenario" : "business as usual";
}

/* ---- materials, fates ------------------------------------------------------------------- */

static const sc_matmap *matmap(const ev *e, const char *material)
{
	for (size_t i = 0; i < e->s->matmap.len; i++) {
		const sc_matmap *m = EIC_VEC_AT(&e->s->matmap, sc_matmap, i);
		if (!strcmp(m->material, material))
			return m;
	}
	return NULL;
}

const char *eic_scenario__waste_type(const eic_scenario *s, const eic_material *m)
{
	if (!m)
		return NULL;
	for (size_t i = 0; s && i < s->matmap.len; i++) {
		const sc_matmap *mm = EIC_VEC_AT(&s->matmap, sc_matmap, i);
		if (!strcmp(mm->material, m->id)) {
			if (mm->waste_type)
				return mm->waste_type;
			break;
		}
	}
	return eic_scenario__default_waste_type(m);
}

static const char *fuel_of(const ev *e, const eic_material *m)
{
	const sc_matmap *mm = matmap(e, m->id);
	if (mm && mm->fuel)
		return mm->fuel;
	return eic_scenario__default_fuel(m);
}

static int category_is(const eic_material *m, const char *prefix)
{
	size_t n = strlen(prefix);
	return m && m->category && !strncmp(m->category, prefix, n) &&
	       (m->category[n] == '\0' || m->category[n] == '/');
}

static int is_water(const eic_material *m)
{
	return category_is(m, "water") && !category_is(m, "water/wastewater");
}

static int is_energy(const eic_material *m)
{
	return category_is(m, "energy") && !category_is(m, "energy/heat/waste_heat");
}

/* Amount of an eflow in unit `to` (via material properties). 0 or EIC_EUNIT. */
static int amount_in(double *out, const ev *e, const eflow *fl, const char *to)
{
	eic_flow tmp;
	memset(&tmp, 0, sizeof(tmp));
	tmp.id = fl->id;
	tmp.from = fl->from;
	tmp.to = fl->to;
	tmp.material = fl->material;
	tmp.quantity = fl->quantity;
	tmp.unit = fl->unit;
	tmp.period = e->period;
	tmp.sd = tmp.rel_sd = NAN;
	const char *via = NULL;
	return eic_flow_amount(out, &via, e->c, &tmp, to);
}

/* Party index of a node reference: the actor owning it, or NONE for a boundary. */
static size_t party_of(const ev *e, const char *ref)
{
	eic_node n;
	size_t i;
	if (!strncmp(ref, "facility:", 9)) {
		if (eic_map_get(&e->facility_index, ref + 9, &i))
			return e->actor_count + i;
		return NONE;
	}
	if (eic_cluster_resolve_node(&n, e->c, ref) < 0 || !n.actor)
		return NONE;
	return eic_map_get(&e->actor_index, n.actor, &i) ? i : NONE;
}

/* ---- per-unit items -------------------------------------------------------------------- */

/* Compute the per-unit values of `u` with the factors `f` (diags NULL on draws). */
static int unit_compute(const ev *e, uitem *u, const eic_factors *f, eic_diags *diags)
{
	int rc = 0;
	memset(u->v, 0, sizeof(u->v));
	switch (u->kind) {
	case U_ONE:
		u->v[0] = u->v[1] = u->v[2] = 1.0;
		break;
	case U_FOD_LANDFILL:
	case U_FOD_DUMP: {
		const eic_factor *doc = eic_factors_get(f, "DOC", u->key);
		if (doc && doc->value == 0.0 && !doc->has_range)
			break; /* no degradable carbon: no methane whatever k is */
		eic_fod_options o = EIC_FOD_OPTIONS_INIT;
		o.timing = (eic_fod_timing)e->timing;
		o.horizon_years = e->horizon;
		o.site_type = u->key2;
		o.cover_type = e->s->cover;
		o.gwp_set = e->gwp;
		eic_fod_deposit d = {u->key, 1, 1.0};
		eic_fod_result *res = NULL;
		if ((rc = eic_fod_run(&res, f, e->zone, &d, 1, &o, diags)) < 0)
			return rc;
		u->v[EIC_GAS_CH4] = eic_fod_result_co2e_total_t(res);
		eic_fod_result_free(res);
		break;
	}
	case U_BURN:
	case U_COMPOST:
	case U_AD: {
		eic_ghg g;
		double gwp_n2o = 0;
		if (u->kind == U_BURN)
			rc = eic_open_burning_compute(&g, f, u->key, 1.0, e->gwp, diags);
		else
			rc = eic_biological_treatment_compute(
			    &g, f, u->kind == U_AD ? "anaerobic_digestion" : "composting", u->key,
			    1.0, EIC_BASIS_WET, 0.0, e->gwp, diags);
		if (rc < 0 || (rc = eic_factors_gwp(&gwp_n2o, f, e->gwp, "N2O", diags)) < 0)
			return rc;
		u->v[EIC_GAS_CO2] = g.co2_kg / 1000.0;
		u->v[EIC_GAS_N2O] = g.n2o_kg * gwp_n2o / 1000.0;
		u->v[EIC_GAS_CH4] = (g.co2e_kg - g.co2_kg - g.n2o_kg * gwp_n2o) / 1000.0;
		break;
	}
	case U_COMB: {
		eic_combustion cb;
		double gwp_n2o = 0;
		if ((rc = eic_combustion_compute(&cb, f, u->key, u->key2, 1.0, e->gwp, diags)) <
		        0 ||
		    (rc = eic_factors_gwp(&gwp_n2o, f, e->gwp, "N2O", diags)) < 0)
			return rc;
		if (!(cb.energy_tj > 0))
			return EIC_EINVALID;
		/* per TJ of fuel */
		u->v[EIC_GAS_CO2] = cb.co2_kg / cb.energy_tj / 1000.0;
		u->v[EIC_GAS_N2O] = cb.n2o_kg * gwp_n2o / cb.energy_tj / 1000.0;
		u->v[EIC_GAS_CH4] =
		    (cb.co2e_kg - cb.co2_kg - cb.n2o_kg * gwp_n2o) / cb.energy_tj / 1000.0;
		break;
	}
	case U_GRID: {
		eic_ghg g;
		if ((rc = eic_grid_electricity_compute(&g, f, u->key, 1.0, diags)) < 0)
			return rc;
		u->v[EIC_GAS_CO2] = g.co2e_kg / 1000.0; /* t CO2e per kWh, as published */
		break;
	}
	case U_TRANSPORT: {
		eic_ghg g;
		if ((rc = eic_transport_compute(&g, f, u->key, 1.0, 1.0, diags)) < 0)
			return rc;
		u->v[EIC_GAS_CO2] = g.co2e_kg / 1000.0; /* t CO2e per t km */
		break;
	}
	case U_JOBS:
		if ((rc = eic_benefit_jobs(&u->v[0], f, u->key, 1000.0, diags)) < 0)
			return rc;
		break;
	}
	return 0;
}

/* Index of the unit item (kind, key, key2), computing it (and reporting a missing factor as an
 * error naming `what`) the first time. NONE on error. */
static size_t unit_get(ev *e, ukind kind, const char *key, const char *key2, const char *what)
{
	for (size_t i = 0; i < e->units.len; i++) {
		uitem *u = EIC_VEC_AT(&e->units, uitem, i);
		if (u->kind == kind && eic_streq(u->key, key) && eic_streq(u->key2, key2))
			return i;
	}
	uitem u = {kind, key, key2, {0, 0, 0}};
	eic_diags *tmp = NULL;
	if (eic_diags_new(&tmp, 50) < 0) {
		e->oom = 1;
		return NONE;
	}
	int rc = unit_compute(e, &u, e->f, tmp);
	if (rc < 0) {
		for (size_t i = 0; i < eic_diags_count(tmp); i++)
			fail(e, "%s: %s", what, eic_diags_get(tmp, i)->message);
		if (eic_diags_count(tmp) == 0)
			fail(e, "%s: cannot be computed (%s)", what, eic_strerror(rc));
		eic_diags_free(tmp);
		return NONE;
	}
	eic_diags_free(tmp);
	/* sources */
	switch (kind) {
	case U_FOD_LANDFILL:
	case U_FOD_DUMP: {
		char k[256];
		use_factor(e, "DOC", key);
		snprintf(k, sizeof(k), "%s/%s", key, e->zone);
		use_factor(e, "k", k);
		use_factor(e, "DOCf", "default");
		use_factor(e, "F", "default");
		use_factor(e, "MCF", key2);
		use_factor(e, "OX", e->s->cover);
		break;
	}
	case U_BURN:
		use_factor(e, "dm", key);
		use_factor(e, "CF", key);
		use_factor(e, "FCF", key);
		use_factor(e, "OF", "open_burning");
		use_factor(e, "EF_CH4_ob", "msw");
		use_factor(e, "EF_N2O_ob", "msw");
		break;
	case U_COMPOST:
	case U_AD: {
		char k[128];
		snprintf(k, sizeof(k), "%s/wet",
		         kind == U_AD ? "anaerobic_digestion" : "composting");
		use_factor(e, "EF_CH4_bio", k);
		use_factor(e, "EF_N2O_bio", k);
		break;
	}
	case U_COMB: {
		char k[256];
		use_factor(e, "NCV", key);
		use_factor(e, "EF_CO2", key);
		snprintf(k, sizeof(k), "%s/%s", key, key2);
		use_factor(e, "EF_CH4", k);
		use_factor(e, "EF_N2O", k);
		break;
	}
	case U_GRID:
		use_factor(e, "EF_grid", key);
		break;
	case U_TRANSPORT:
		use_factor(e, "EF_tkm", key);
		break;
	case U_JOBS:
		use_factor(e, "jobs_per_kt", key);
		break;
	case U_ONE:
		break;
	}
	if (kind != U_ONE && kind != U_JOBS && kind != U_GRID && kind != U_TRANSPORT) {
		char k[64];
		snprintf(k, sizeof(k), "CH4/%s", e->gwp);
		use_factor(e, "gwp100", k);
		snprintf(k, sizeof(k), "N2O/%s", e->gwp);
		use_factor(e, "gwp100", k);
	}
	if (!eic_vec_push(&e->units, &u)) {
		e->oom = 1;
		return NONE;
	}
	return e->units.len - 1;
}

/* ---- terms and notes ------------------------------------------------------------------ */

static void note_flow(ev *e, int category, const char *label, const char *unit, int state,
                      const char *flow_id, double amount)
{
	notegrp *g = NULL;
	for (size_t i = 0; i < e->groups.len && !g; i++) {
		notegrp *x = EIC_VEC_AT(&e->groups, notegrp, i);
		if (x->category == category && !strcmp(x->label, label))
			g = x;
	}
	if (!g) {
		notegrp n;
		memset(&n, 0, sizeof(n));
		n.category = category;
		n.label = eic_arena_strdup(&e->r->arena, label);
		n.unit = unit;
		if (!n.label || !(g = eic_vec_push(&e->groups, &n))) {
			e->oom = 1;
			return;
		}
	}
	g->amount[state] += amount;
	if (!flow_id || strstr(g->flows, flow_id))
		return;
	if (g->flow_count < MAX_NOTE_FLOWS) {
		size_t used = strlen(g->flows);
		snprintf(g->flows + used, sizeof(g->flows) - used, "%s%s", used ? ", " : "",
		         flow_id);
	}
	g->flow_count++;
}

static void add_term(ev *e, int state, size_t fig, size_t party, size_t unit, int slot, size_t mult,
                     double amount)
{
	if (unit == NONE || party == NONE)
		return;
	term t = {fig, party, unit, mult, state, slot, amount};
	if (!eic_vec_push(&e->terms, &t))
		e->oom = 1;
}

/* Greenhouse-gas terms of `amount` units through unit item `u` for all three gases. */
static void add_ghg(ev *e, int state, eic_ghg_source src, size_t party, size_t u, size_t mult,
                    double amount)
{
	for (int g = 0; g < EIC_GAS__N; g++)
		add_term(e, state, CELL(src, g), party, u, g, mult, amount);
}

/* ---- building the cases ---------------------------------------------------------------- */

static int push_flow(ev *e, int state, const eflow *fl)
{
	if (!eic_vec_push(&e->flows[state], fl)) {
		e->oom = 1;
		return EIC_ENOMEM;
	}
	return 0;
}

static int is_disposal(const ev *e, const char *to, eic_boundary_kind kind)
{
	eic_node n;
	return eic_cluster_resolve_node(&n, e->c, to) == 0 && n.kind == EIC_NODE_BOUNDARY &&
	       n.boundary == kind;
}

/* Move `take_t` tonnes (at most the part's mass) of eflow index i of `state` to `to`. */
static int move_part(ev *e, int state, size_t i, double take_t, double part_t, const char *to,
                     const sc_change *ch)
{
	eflow *fl = EIC_VEC_AT(&e->flows[state], eflow, i);
	double share = part_t > 0 ? take_t / part_t : 0;
	if (share >= 1.0 - 1e-12) {
		fl->to = to;
		if (ch && ch->jobs_pathway)
			fl->jobs_pathway = ch->jobs_pathway;
		if (ch && !isnan(ch->distance_km)) {
			fl->distance_km = ch->distance_km;
			fl->mode = ch->mode;
		}
		return 0;
	}
	eflow moved = *fl;
	moved.quantity = fl->quantity * share;
	moved.to = to;
	if (ch && ch->jobs_pathway)
		moved.jobs_pathway = ch->jobs_pathway;
	if (ch && !isnan(ch->distance_km)) {
		moved.distance_km = ch->distance_km;
		moved.mode = ch->mode;
	}
	fl->quantity -= moved.quantity;
	return push_flow(e, state, &moved);
}

/* Material from actor `from_actor` to node `to`: displaces the actor's disposal flows of the
 * material (open burning, open dumping, landfill, water body, in that order), then adds the
 * rest as a new flow. `qty_t` tonnes. */
static int exchange(ev *e, int state, const sc_change *ch, const char *from_ref, const char *to,
                    const char *material, double qty_t, const char *id)
{
	static const eic_boundary_kind order[] = {EIC_BOUNDARY_OPEN_BURNING,
	                                          EIC_BOUNDARY_OPEN_DUMPING, EIC_BOUNDARY_LANDFILL,
	                                          EIC_BOUNDARY_WATER_BODY};
	eic_node fn;
	if (eic_cluster_resolve_node(&fn, e->c, from_ref) < 0 || !fn.actor)
		return 0;
	double left = qty_t;
	for (size_t o = 0; o < 4 && left > 0; o++) {
		size_t n = e->flows[state].len;
		for (size_t i = 0; i < n && left > 0; i++) {
			eflow *fl = EIC_VEC_AT(&e->flows[state], eflow, i);
			eic_node from;
			if (strcmp(fl->material, material) || !is_disposal(e, fl->to, order[o]) ||
			    eic_cluster_resolve_node(&from, e->c, fl->from) < 0 || !from.actor ||
			    strcmp(from.actor, fn.actor))
				continue;
			double part_t = 0;
			if (amount_in(&part_t, e, fl, "t") < 0 || !(part_t > 0))
				continue;
			double take = left < part_t ? left : part_t;
			int rc = move_part(e, state, i, take, part_t, to, ch);
			if (rc < 0)
				return rc;
			left -= take;
		}
	}
	if (left > 1e-9) {
		eflow add;
		memset(&add, 0, sizeof(add));
		add.id = id;
		add.rec = NONE;
		add.from = from_ref;
		add.to = to;
		add.to_orig = to;
		add.material = material;
		add.unit = "t";
		add.quantity = left;
		add.fixed = 1;
		add.distance_km = ch && !isnan(ch->distance_km) ? ch->distance_km : NAN;
		add.mode = ch ? ch->mode : "truck";
		add.jobs_pathway = ch ? ch->jobs_pathway : NULL;
		add.draw = NONE;
		if (push_flow(e, state, &add) < 0)
			return EIC_ENOMEM;
	}
	if (ch && ch->replaces_virgin) {
		vpair pair = {party_of(e, to), qty_t};
		if (pair.party != NONE && !eic_vec_push(&e->virgin_replaced[state], &pair))
			return EIC_ENOMEM;
	}
	return 0;
}

/* The Monte Carlo multiplier of a change's activity range (NONE when it has none). */
static size_t range_slot(ev *e, const sc_change *ch)
{
	crange r = {NAN, NAN, NAN};
	if (!isnan(ch->low) && ch->quantity > 0) {
		r.low = ch->low / ch->quantity;
		r.high = ch->high / ch->quantity;
	} else if (!isnan(ch->rel_sd) && ch->rel_sd > 0)
		r.rel_sd = ch->rel_sd;
	else
		return NONE;
	if (!eic_vec_push(&e->ranges, &r)) {
		e->oom = 1;
		return NONE;
	}
	return eic_cluster_flow_count(e->c) + e->ranges.len - 1;
}

static int apply_changes(ev *e, int state, const sc_alt *alt)
{
	int rc = 0;
	for (size_t k = 0; k < alt->changes.len; k++) {
		const sc_change *ch = EIC_VEC_AT(&alt->changes, sc_change, k);
		switch (ch->kind) {
		case SC_REROUTE: {
			size_t n = e->flows[state].len;
			for (size_t i = 0; i < n; i++) {
				eflow *fl = EIC_VEC_AT(&e->flows[state], eflow, i);
				if (strcmp(fl->id, ch->flow) || strcmp(fl->to, fl->to_orig))
					continue;
				if ((rc = move_part(e, state, i, ch->share, 1.0, ch->to, ch)) < 0)
					return rc;
			}
			break;
		}
		case SC_SET: {
			double total = 0;
			size_t slot = range_slot(e, ch);
			size_t n = e->flows[state].len, first = NONE;
			for (size_t i = 0; i < n; i++) {
				eflow *fl = EIC_VEC_AT(&e->flows[state], eflow, i);
				if (!strcmp(fl->id, ch->flow)) {
					total += fl->quantity;
					if (first == NONE)
						first = i;
				}
			}
			for (size_t i = 0; i < n; i++) {
				eflow *fl = EIC_VEC_AT(&e->flows[state], eflow, i);
				if (strcmp(fl->id, ch->flow))
					continue;
				fl->quantity = total > 0 ? fl->quantity * ch->quantity / total
				                         : (i == first ? ch->quantity : 0);
				fl->fixed = 1;
				fl->draw = slot;
			}
			break;
		}
		case SC_ADD: {
			eflow add;
			memset(&add, 0, sizeof(add));
			add.id = ch->id;
			add.rec = NONE;
			add.from = ch->from;
			add.to = add.to_orig = ch->to;
			add.material = ch->material;
			add.unit = ch->unit;
			add.quantity = ch->quantity;
			add.fixed = 1;
			add.distance_km = ch->distance_km;
			add.mode = ch->mode;
			add.jobs_pathway = ch->jobs_pathway;
			add.draw = range_slot(e, ch);
			if ((rc = push_flow(e, state, &add)) < 0)
				return rc;
			break;
		}
		case SC_FACILITY: {
			size_t fi;
			if (!eic_map_get(&e->facility_index, ch->facility, &fi))
				break;
			for (size_t i = 0; i < eic_cluster_facility_level_count(e->c); i++) {
				const eic_facility_level *l = eic_cluster_facility_level(e->c, i);
				if (!strcmp(l->facility, ch->facility) &&
				    !strcmp(l->level, ch->level))
					e->opened[state][fi] = l;
			}
			e->stated_jobs[state][fi] = ch->jobs;
			e->jobs_source[state][fi] = ch->jobs_source;
			e->jobs_pathway[state][fi] = ch->jobs_pathway;
			break;
		}
		case SC_MATCH:
		case SC_EXCHANGE: {
			const char *from = ch->from, *to = ch->to;
			double qty_t = ch->quantity;
			char id[256];
			if (ch->kind == SC_MATCH) {
				const eic_offer *have = NULL, *want = NULL;
				for (size_t i = 0; i < eic_cluster_offer_count(e->c); i++) {
					const eic_offer *o = eic_cluster_offer(e->c, i);
					if (!strcmp(o->id, ch->have))
						have = o;
					if (!strcmp(o->id, ch->want))
						want = o;
				}
				if (!have || !want)
					break;
				from = have->actor;
				to = want->actor;
				if (isnan(qty_t)) {
					eflow tmp;
					double ht = 0, wt = 0;
					memset(&tmp, 0, sizeof(tmp));
					tmp.id = have->id;
					tmp.material = have->material;
					tmp.quantity = have->quantity;
					tmp.unit = have->unit;
					tmp.from = tmp.to = have->actor;
					if (amount_in(&ht, e, &tmp, "t") < 0) {
						fail(e,
						     "offer '%s' (material '%s'): cannot convert "
						     "%g %s to "
						     "t over period '%s' (expected a mass or mass "
						     "rate)",
						     have->id, have->material, have->quantity,
						     have->unit, e->period);
						break;
					}
					tmp.id = want->id;
					tmp.quantity = want->quantity;
					tmp.unit = want->unit;
					if (amount_in(&wt, e, &tmp, "t") < 0) {
						fail(e,
						     "offer '%s' (material '%s'): cannot convert "
						     "%g %s to "
						     "t over period '%s' (expected a mass or mass "
						     "rate)",
						     want->id, want->material, want->quantity,
						     want->unit, e->period);
						break;
					}
					qty_t = ht < wt ? ht : wt;
				}
				snprintf(id, sizeof(id), "match:%s+%s", have->id, want->id);
			} else {
				eflow tmp;
				memset(&tmp, 0, sizeof(tmp));
				tmp.id = ch->id;
				tmp.material = ch->material;
				tmp.quantity = ch->quantity;
				tmp.unit = ch->unit;
				tmp.from = ch->from;
				tmp.to = ch->to;
				if (amount_in(&qty_t, e, &tmp, "t") < 0) {
					fail(e,
					     "exchange '%s' (material '%s'): cannot convert %g %s "
					     "to t "
					     "(expected a mass unit, or a material with a density)",
					     ch->id, ch->material, ch->quantity, ch->unit);
					break;
				}
				snprintf(id, sizeof(id), "exchange:%s", ch->id);
			}
			const char *idc = eic_arena_strdup(&e->r->arena, id);
			if (!idc)
				return EIC_ENOMEM;
			if ((rc = exchange(e, state, ch, from, to, ch->material, qty_t, idc)) < 0)
				return rc;
			break;
		}
		}
	}
	return 0;
}

/* ---- fates ----------------------------------------------------------------------------- */

static const sc_burner *burner(const ev *e, const char *ref)
{
	for (size_t i = 0; i < e->s->burners.len; i++) {
		const sc_burner *b = EIC_VEC_AT(&e->s->burners, sc_burner, i);
		if (!strcmp(b->node, ref))
			return b;
	}
	return NULL;
}

static int recovered(const ev *e, const char *ref, const eic_material *m)
{
	for (size_t i = 0; i < e->s->recovery.len; i++) {
		const sc_recovery *r = EIC_VEC_AT(&e->s->recovery, sc_recovery, i);
		if (strcmp(r->node, ref))
			continue;
		if (r->materials.len == 0)
			return is_energy(m);
		for (size_t k = 0; k < r->materials.len; k++)
			if (!strcmp(*EIC_VEC_AT(&r->materials, const char *, k), m->id))
				return 1;
	}
	return 0;
}

static const sc_fee *fee_of(const ev *e, const char *fate)
{
	for (size_t i = 0; i < e->s->fees.len; i++) {
		const sc_fee *f = EIC_VEC_AT(&e->s->fees, sc_fee, i);
		if (!strcmp(f->fate, fate))
			return f;
	}
	return NULL;
}

/* Money per unit: `unit` is "<currency>/<u>"; the amount (in `amount_unit` of a material) is
 * converted to <u>. Returns 0 or EIC_EUNIT. */
static int money_of(double *out, const ev *e, const char *material, double amount,
                    const char *amount_unit, double price, const char *price_unit)
{
	const char *slash = price_unit ? strchr(price_unit, '/') : NULL;
	if (!slash)
		return EIC_EUNIT;
	eflow tmp;
	memset(&tmp, 0, sizeof(tmp));
	tmp.id = "price";
	tmp.material = material;
	tmp.quantity = amount;
	tmp.unit = amount_unit;
	tmp.from = tmp.to = "";
	double x = 0;
	int rc = amount_in(&x, e, &tmp, slash + 1);
	if (rc < 0)
		return rc;
	*out = x * price;
	return 0;
}

/* The price of a material (scenario price first, then the cluster's `price` property). */
static int price_of(double *value, const char **unit, const char **source, const ev *e,
                    const char *material)
{
	for (size_t i = 0; i < e->s->prices.len; i++) {
		const sc_price *p = EIC_VEC_AT(&e->s->prices, sc_price, i);
		if (!strcmp(p->material, material)) {
			*value = p->value;
			*unit = p->unit;
			*source = p->source;
			return 0;
		}
	}
	const eic_property *p = eic_cluster_find_property(e->c, material, "price");
	if (!p)
		return EIC_ENOTFOUND;
	*value = p->value;
	*unit = p->unit;
	*source = p->source;
	return 0;
}

/* Terms of one eflow of `state`. */
static void flow_terms(ev *e, int state, const eflow *fl)
{
	const eic_material *m = eic_cluster_find_material(e->c, fl->material);
	eic_node from, to;
	size_t fac = NONE;
	char what[512];
	if (!m)
		return;
	int from_ok = eic_cluster_resolve_node(&from, e->c, fl->from) == 0;
	int to_fac = !strncmp(fl->to, "facility:", 9);
	int to_ok = !to_fac && eic_cluster_resolve_node(&to, e->c, fl->to) == 0;
	if (to_fac && !eic_map_get(&e->facility_index, fl->to + 9, &fac))
		return;
	size_t pfrom = party_of(e, fl->from), pto = party_of(e, fl->to);
	size_t mult = fl->draw;
	double t = NAN;
	int have_t = amount_in(&t, e, fl, "t") == 0;
	snprintf(what, sizeof(what), "flow '%s' (material '%s', %s -> %s, %s)", fl->id, m->id,
	         fl->from, fl->to, case_name(state));
#define NEED_T(method)                                                                             \
	do {                                                                                       \
		if (!have_t) {                                                                     \
			fail(e,                                                                    \
			     "%s: cannot convert %g %s to t for %s (expected a mass unit, or a "   \
			     "material with a density)",                                           \
			     what, fl->quantity, fl->unit, method);                                \
			return;                                                                    \
		}                                                                                  \
	} while (0)

	/* destination */
	if (to_ok && to.kind == EIC_NODE_BOUNDARY &&
	    (to.boundary == EIC_BOUNDARY_LANDFILL || to.boundary == EIC_BOUNDARY_OPEN_DUMPING ||
	     to.boundary == EIC_BOUNDARY_OPEN_BURNING)) {
		int burn = to.boundary == EIC_BOUNDARY_OPEN_BURNING;
		int dump = to.boundary == EIC_BOUNDARY_OPEN_DUMPING;
		const char *method = burn   ? "open burning (IPCC 2006 Vol. 5 Ch. 5)"
		                     : dump ? "open-dump methane (IPCC 2006 FOD)"
		                            : "landfill methane (IPCC 2006 FOD)";
		NEED_T(method);
		const char *wt = eic_scenario__waste_type(e->s, m);
		if (!wt) {
			fail(e,
			     "%s: no waste type for %s (expected a mapping in the scenario's "
			     "'materials', e.g. \"%s\": {\"waste_type\": \"food_waste\"}; found "
			     "none "
			     "for category '%s')",
			     what, method, m->id, m->category ? m->category : "");
			return;
		}
		char uwhat[700];
		snprintf(uwhat, sizeof(uwhat), "%s, %s of waste type '%s'", what, method, wt);
		if (!burn) {
			add_term(e, state, EIC_IMPACT_LANDFILL, pfrom, 0, 0, mult, t);
			note_flow(e, EIC_IMPACT_LANDFILL, dump ? "open dumping" : "landfill", "t",
			          state, fl->id, t);
			size_t u = unit_get(e, dump ? U_FOD_DUMP : U_FOD_LANDFILL, wt,
			                    dump ? e->s->dump_site : e->s->landfill_site, uwhat);
			add_ghg(e, state, dump ? EIC_GHG_OPEN_DUMPING : EIC_GHG_LANDFILL, pfrom, u,
			        mult, t);
			note_flow(e, EIC_IMPACT_GHG,
			          dump ? "open-dump methane (FOD, waste deposited in the period)"
			               : "landfill methane (FOD, waste deposited in the period)",
			          "t waste", state, fl->id, t);
			if (e->jobs_factors) {
				size_t uj = unit_get(e, U_JOBS, "landfill", NULL, what);
				add_term(e, state, EIC_IMPACT_JOBS, pfrom, uj, 0, mult,
				         t / e->year_fraction / 1000.0);
			}
		} else {
			size_t u = unit_get(e, U_BURN, wt, NULL, uwhat);
			add_ghg(e, state, EIC_GHG_OPEN_BURNING, pfrom, u, mult, t);
			note_flow(e, EIC_IMPACT_GHG, "open burning", "t waste", state, fl->id, t);
		}
		const sc_fee *fee = fee_of(e, to.id);
		if (fee) {
			double cost = 0;
			if (money_of(&cost, e, m->id, fl->quantity, fl->unit, fee->value,
			             fee->unit) < 0)
				fail(e, "%s: cannot convert to the unit of the %s fee (%s)", what,
				     to.id, fee->unit);
			else {
				size_t one = 0;
				add_term(e, state, EIC_IMPACT_COST, pfrom, one, 0, mult,
				         cost / e->year_fraction);
				e->annual_net[state] += cost / e->year_fraction;
				note_flow(e, EIC_IMPACT_COST, "disposal fees", e->money_unit, state,
				          fl->id, cost / e->year_fraction);
			}
		}
	}
	if (to_fac) {
		const eic_facility *fa = eic_cluster_facility(e->c, fac);
		NEED_T("a facility");
		e->throughput[state][fac] += t;
		const char *tech = fa->technology ? fa->technology : "";
		int ad = strstr(tech, "anaerobic_digestion") != NULL;
		int compost = strstr(tech, "compost") != NULL;
		if (ad || compost) {
			const char *wt = eic_scenario__waste_type(e->s, m);
			if (!wt) {
				fail(e,
				     "%s: no waste type for %s (expected a mapping in the "
				     "scenario's "
				     "'materials'; found none for category '%s')",
				     what, ad ? "anaerobic digestion" : "composting",
				     m->category ? m->category : "");
				return;
			}
			char uwhat[700];
			snprintf(uwhat, sizeof(uwhat), "%s, %s of waste type '%s'", what,
			         ad ? "anaerobic digestion (IPCC 2006 Vol. 5 Ch. 4)"
			            : "composting (IPCC 2006 Vol. 5 Ch. 4)",
			         wt);
			size_t u = unit_get(e, ad ? U_AD : U_COMPOST, wt, NULL, uwhat);
			add_ghg(e, state, ad ? EIC_GHG_ANAEROBIC_DIGESTION : EIC_GHG_COMPOSTING,
			        e->actor_count + fac, u, mult, t);
			note_flow(e, EIC_IMPACT_GHG, ad ? "anaerobic digestion" : "composting",
			          "t waste", state, fl->id, t);
		}
	}
	/* destination is a process or actor that burns what it receives */
	if (to_ok && to.kind != EIC_NODE_BOUNDARY) {
		const sc_burner *b = burner(e, fl->to);
		if (!b && to.kind == EIC_NODE_PROCESS)
			b = burner(e, to.actor);
		if (b && !is_water(m) && !category_is(m, "energy/electricity")) {
			const char *fuel = b->fuel ? b->fuel : fuel_of(e, m);
			double gj = 0;
			if (!fuel) {
				fail(e,
				     "%s: no fuel for combustion at '%s' (expected 'fuel' in the "
				     "combustion entry or the material mapping; found none)",
				     what, b->node);
				return;
			}
			if (amount_in(&gj, e, fl, "GJ") < 0) {
				const eic_factor *ncv = eic_factors_get(e->f, "NCV", fuel);
				if (!have_t || !ncv) {
					fail(e,
					     "%s: cannot convert to energy for combustion "
					     "(expected an "
					     "'lhv' property of the material or an NCV factor of "
					     "fuel "
					     "'%s'; found neither)",
					     what, fuel);
					return;
				}
				gj = t * ncv->value;
			}
			char uwhat[700];
			snprintf(uwhat, sizeof(uwhat), "%s, combustion of fuel '%s'", what, fuel);
			size_t u =
			    unit_get(e, U_COMB, fuel, b->sector ? b->sector : e->s->sector, uwhat);
			add_ghg(e, state, EIC_GHG_COMBUSTION, pto, u, mult, gj / 1000.0);
			note_flow(e, EIC_IMPACT_GHG, "combustion at the cluster's plants", "GJ",
			          state, fl->id, gj);
		}
	}
	/* origin */
	if (from_ok && from.kind == EIC_NODE_BOUNDARY &&
	    (from.boundary == EIC_BOUNDARY_SUPPLY_MARKET ||
	     from.boundary == EIC_BOUNDARY_WATER_BODY)) {
		if (is_water(m)) {
			double m3 = 0;
			if (amount_in(&m3, e, fl, "m3") < 0) {
				fail(
				    e,
				    "%s: cannot convert %g %s to m3 for water taken in (expected a "
				    "volume, or a mass with a density)",
				    what, fl->quantity, fl->unit);
				return;
			}
			add_term(e, state, EIC_IMPACT_WATER, pto, 0, 0, mult, m3);
			note_flow(e, EIC_IMPACT_WATER, "water taken in", "m3", state, fl->id, m3);
		} else if (from.boundary == EIC_BOUNDARY_SUPPLY_MARKET && is_energy(m)) {
			double gj = 0;
			if (amount_in(&gj, e, fl, "GJ") < 0) {
				fail(e,
				     "%s: cannot convert %g %s to GJ for energy bought in "
				     "(expected an "
				     "energy unit, or a material with an 'lhv' property)",
				     what, fl->quantity, fl->unit);
				return;
			}
			add_term(e, state, EIC_IMPACT_ENERGY_USED, pto, 0, 0, mult, gj);
			note_flow(e, EIC_IMPACT_ENERGY_USED, "fuels and energy bought in", "GJ",
			          state, fl->id, gj);
			if (category_is(m, "energy/electricity")) {
				if (!e->s->grid) {
					fail(e,
					     "%s: electricity from the grid needs a grid emission "
					     "factor "
					     "(expected settings.grid in the scenario file; found "
					     "none)",
					     what);
					return;
				}
				size_t u = unit_get(e, U_GRID, e->s->grid, NULL, what);
				add_ghg(e, state, EIC_GHG_GRID, pto, u, mult, gj / 0.0036);
				note_flow(e, EIC_IMPACT_GHG, "grid electricity", "GJ", state,
				          fl->id, gj);
			} else if (category_is(m, "energy/fossil") &&
			           !(to_ok && burner(e, fl->to))) {
				const char *fuel = fuel_of(e, m);
				if (!fuel) {
					fail(e,
					     "%s: no fuel key for combustion (expected \"fuel\" in "
					     "the "
					     "scenario's 'materials'; found none)",
					     what);
					return;
				}
				char uwhat[700];
				snprintf(uwhat, sizeof(uwhat), "%s, combustion of fuel '%s'", what,
				         fuel);
				size_t u = unit_get(e, U_COMB, fuel, e->s->sector, uwhat);
				add_ghg(e, state, EIC_GHG_COMBUSTION, pto, u, mult, gj / 1000.0);
				note_flow(e, EIC_IMPACT_GHG, "fuels burnt", "GJ", state, fl->id,
				          gj);
			}
		} else if (from.boundary == EIC_BOUNDARY_SUPPLY_MARKET && !is_energy(m) &&
		           !category_is(m, "water")) {
			NEED_T("virgin material taken in");
			add_term(e, state, EIC_IMPACT_VIRGIN, pto, 0, 0, mult, t);
			note_flow(e, EIC_IMPACT_VIRGIN, "virgin material from the supply market",
			          "t", state, fl->id, t);
		}
	}
	if (from_ok && from.kind != EIC_NODE_BOUNDARY) {
		if (m->hazardous) {
			NEED_T("hazardous waste");
			add_term(e, state, EIC_IMPACT_HAZARDOUS, pfrom, 0, 0, mult, t);
			note_flow(e, EIC_IMPACT_HAZARDOUS, "hazardous materials leaving actors",
			          "t", state, fl->id, t);
		}
		if (recovered(e, fl->from, m) ||
		    (from.kind == EIC_NODE_PROCESS && recovered(e, from.actor, m))) {
			double gj = 0;
			if (amount_in(&gj, e, fl, "GJ") < 0) {
				fail(e,
				     "%s: cannot convert %g %s to GJ for energy recovered "
				     "(expected an "
				     "energy unit, or a material with an 'lhv' property)",
				     what, fl->quantity, fl->unit);
				return;
			}
			add_term(e, state, EIC_IMPACT_ENERGY_RECOVERED, pfrom, 0, 0, mult, gj);
			note_flow(e, EIC_IMPACT_ENERGY_RECOVERED, "energy recovered at plants",
			          "GJ", state, fl->id, gj);
		}
	}
	if (fl->jobs_pathway && e->jobs_factors) {
		NEED_T("jobs");
		size_t uj = unit_get(e, U_JOBS, fl->jobs_pathway, NULL, what);
		add_term(e, state, EIC_IMPACT_JOBS, pto != NONE ? pto : pfrom, uj, 0, mult,
		         t / e->year_fraction / 1000.0);
		note_flow(e, EIC_IMPACT_JOBS, "jobs per kt of material exchanged", "kt/yr", state,
		          fl->id, t / e->year_fraction / 1000.0);
	}
	if (!isnan(fl->distance_km) && fl->distance_km > 0) {
		NEED_T("transport");
		size_t u = unit_get(e, U_TRANSPORT, fl->mode ? fl->mode : "truck", NULL, what);
		add_ghg(e, state, EIC_GHG_TRANSPORT, pfrom != NONE ? pfrom : pto, u, mult,
		        t * fl->distance_km);
		note_flow(e, EIC_IMPACT_GHG, "transport of exchanged material", "t km", state,
		          fl->id, t * fl->distance_km);
	}
#undef NEED_T
}

/* Capital recovery factor: the annuity paying back 1 over n years at rate r. */
static double crf(double r, double n)
{
	if (!(n > 0))
		return 0;
	if (r <= 0)
		return 1.0 / n;
	return r / (1.0 - pow(1.0 + r, -n));
}

/* Terms of the facilities of `state`: costs, outputs (energy, revenue), jobs. */
static void facility_terms(ev *e, int state)
{
	size_t nf = eic_cluster_facility_count(e->c);
	for (size_t fi = 0; fi < nf; fi++) {
		const eic_facility *fa = eic_cluster_facility(e->c, fi);
		const eic_facility_level *lv = e->opened[state][fi];
		size_t party = e->actor_count + fi;
		double tput = e->throughput[state][fi];
		if (!lv) {
			if (tput > 0)
				fail(
				    e,
				    "flows go to facility '%s' in the %s case but it is not opened "
				    "(expected a 'facility' change with a level; found none)",
				    fa->id, case_name(state));
			continue;
		}
		double life = isfinite(fa->lifetime_yr) && fa->lifetime_yr > 0
		                  ? fa->lifetime_yr
		                  : (double)e->s->years;
		double annual = lv->opex_per_yr + lv->capex * crf(e->s->discount_rate, life);
		add_term(e, state, EIC_IMPACT_COST, party, 0, 0, NONE, annual);
		note_flow(e, EIC_IMPACT_COST, "facility opex and capex annualised", e->money_unit,
		          state, fa->id, annual);
		e->capex[state] += lv->capex;
		e->annual_net[state] += lv->opex_per_yr;
		if (tput / e->year_fraction > lv->capacity * (1 + 1e-9) && state == 1)
			add_note(e, EIC_IMPACT_COST,
			         "facility %s takes %.0f t/yr, above the %.0f of level '%s' (the "
			         "evaluation keeps all of it; choose a larger level)",
			         fa->id, tput / e->year_fraction, lv->capacity, lv->level);
		/* outputs */
		for (size_t k = 0; k < eic_cluster_facility_coef_count(e->c); k++) {
			const eic_facility_coef *co = eic_cluster_facility_coef(e->c, k);
			if (strcmp(co->facility, fa->id) || co->direction != EIC_DIR_OUTPUT)
				continue;
			const eic_material *m = eic_cluster_find_material(e->c, co->material);
			char unit[64], what[512];
			const char *slash = strchr(co->unit, '/');
			size_t len = slash ? (size_t)(slash - co->unit) : strlen(co->unit);
			if (len >= sizeof(unit))
				len = sizeof(unit) - 1;
			memcpy(unit, co->unit, len);
			unit[len] = '\0';
			snprintf(what, sizeof(what), "facility '%s' output '%s' (%s, %s)", fa->id,
			         co->material, co->unit, case_name(state));
			if (!m)
				continue;
			eflow out;
			memset(&out, 0, sizeof(out));
			out.id = fa->id;
			out.material = co->material;
			out.unit = unit;
			out.quantity = co->coefficient * tput;
			out.from = out.to = "";
			if (is_energy(m)) {
				double gj = 0;
				if (amount_in(&gj, e, &out, "GJ") < 0) {
					fail(e,
					     "%s: cannot convert %s to GJ for energy recovered "
					     "(expected "
					     "an energy unit, or 'lhv' and 'density' properties of "
					     "the "
					     "material)",
					     what, unit);
					continue;
				}
				add_term(e, state, EIC_IMPACT_ENERGY_RECOVERED, party, 0, 0, NONE,
				         gj);
				note_flow(e, EIC_IMPACT_ENERGY_RECOVERED, "facility outputs", "GJ",
				          state, fa->id, gj);
			}
			double price = 0, money = 0;
			const char *punit = NULL, *psource = NULL;
			if (price_of(&price, &punit, &psource, e, m->id) < 0) {
				fail(e,
				     "%s: no price for the revenue (expected a 'price' property of "
				     "material '%s' or an entry in the scenario's 'prices'; found "
				     "none)",
				     what, m->id);
				continue;
			}
			if (money_of(&money, e, m->id, out.quantity, unit, price, punit) < 0) {
				fail(e, "%s: cannot convert %s to the unit of its price (%s)", what,
				     unit, punit);
				continue;
			}
			add_term(e, state, EIC_IMPACT_REVENUE, party, 0, 0, NONE,
			         money / e->year_fraction);
			e->annual_net[state] -= money / e->year_fraction;
			note_flow(e, EIC_IMPACT_REVENUE, "facility products sold", e->money_unit,
			          state, fa->id, money / e->year_fraction);
			if (state == 1)
				add_note(e, EIC_IMPACT_REVENUE, "price of %s: %g %s (%s)", m->id,
				         price, punit, psource ? psource : "");
		}
		/* jobs */
		double jobs = e->stated_jobs[state][fi];
		if (!isnan(jobs)) {
			add_term(e, state, EIC_IMPACT_JOBS, party, 0, 0, NONE, jobs);
			note_flow(e, EIC_IMPACT_JOBS, "jobs stated for the facilities", "FTE",
			          state, fa->id, jobs);
			if (state == 1)
				add_note(e, EIC_IMPACT_JOBS, "%s: %g jobs (%s)", fa->id, jobs,
				         e->jobs_source[state][fi]);
		} else if (e->jobs_factors) {
			char what[512];
			const char *pathway = e->jobs_pathway[state][fi]
			                          ? e->jobs_pathway[state][fi]
			                          : (fa->technology ? fa->technology : "");
			snprintf(
			    what, sizeof(what),
			    "facility '%s' (technology '%s'), direct jobs of pathway '%s' (give "
			    "'jobs_pathway' or 'jobs' in its 'facility' change)",
			    fa->id, fa->technology ? fa->technology : "", pathway);
			size_t uj = unit_get(e, U_JOBS, pathway, NULL, what);
			add_term(e, state, EIC_IMPACT_JOBS, party, uj, 0, NONE,
			         tput / e->year_fraction / 1000.0);
			note_flow(e, EIC_IMPACT_JOBS, "jobs per kt handled (employment factors)",
			          "kt/yr", state, fa->id, tput / e->year_fraction / 1000.0);
		}
	}
	/* virgin material replaced by exchanges */
	for (size_t i = 0; i < e->virgin_replaced[state].len; i++) {
		const vpair *pair = EIC_VEC_AT(&e->virgin_replaced[state], vpair, i);
		add_term(e, state, EIC_IMPACT_VIRGIN, pair->party, 0, 0, NONE, -pair->t);
		note_flow(e, EIC_IMPACT_VIRGIN, "virgin material replaced by exchanges", "t", state,
		          NULL, -pair->t);
	}
}

/* The period evaluated: the scenario's, else the one with most flows (the last on ties). */
const char *eic_scenario__period(const eic_cluster *c, const eic_scenario *s)
{
	if (s && s->period)
		return s->period;
	const char *best = NULL;
	size_t best_n = 0;
	for (size_t p = 0; p < eic_cluster_period_count(c); p++) {
		const char *id = eic_cluster_period(c, p)->id;
		size_t n = 0;
		for (size_t i = 0; i < eic_cluster_flow_count(c); i++)
			n += !strcmp(eic_cluster_flow(c, i)->period, id);
		if (!best || n >= best_n) {
			best = id;
			best_n = n;
		}
	}
	return best;
}

/* ---- accumulation and Monte Carlo ---------------------------------------------------- */

/* The headline category a figure belongs to (greenhouse-gas cells count as GHG). */
static size_t cat_of(size_t fig)
{
	return fig < NHEAD ? fig : EIC_IMPACT_GHG;
}

/* By-party accumulation for the intervals of the categories in e->actor_mask: `pidx` maps an
 * evaluator party to its index in the result (NONE: not shown), cslot a category to its slot
 * (-1: none); acc[(p * ncs + slot) * 2 + state] holds one draw, sum and q[.. * 2 + 0/1] (p05,
 * p95) stream over the draws. Memory O(shown parties x slots), independent of the draws. */
typedef struct {
	const size_t *pidx;
	int cslot[NHEAD];
	size_t ncs, nres;
	double *acc;
	double *sum;
	eic_p2 *q;
} pdraws;

/* acc[state][fig] from the terms with unit values `units` and flow multipliers `mult` (NULL:
 * all 1), divided by the reference quantity when figures are per unit; then the GHG totals
 * from the cells. With `pd`, also the by-party sums of one draw. */
static void accumulate(double acc[2][NFIG], const ev *e, const double *mult, pdraws *pd)
{
	memset(acc, 0, sizeof(double) * 2 * NFIG);
	if (pd)
		memset(pd->acc, 0, sizeof(double) * pd->nres * pd->ncs * 2);
	const term *t = (const term *)e->terms.data;
	const uitem *u = (const uitem *)e->units.data;
	for (size_t i = 0; i < e->terms.len; i++) {
		double x = t[i].amount * u[t[i].unit].v[t[i].slot];
		size_t cat = cat_of(t[i].fig);
		if (mult && t[i].mult != NONE)
			x *= mult[t[i].mult];
		if (e->per)
			x *= e->scale[t[i].state][cat];
		acc[t[i].state][t[i].fig] += x;
		if (pd && pd->cslot[cat] >= 0 && pd->pidx[t[i].party] != NONE)
			pd->acc[(pd->pidx[t[i].party] * pd->ncs + (size_t)pd->cslot[cat]) * 2 +
			        (size_t)t[i].state] += x;
	}
	for (int s = 0; s < 2; s++) {
		double g = 0;
		for (size_t c = NHEAD; c < NFIG; c++)
			g += acc[s][c];
		acc[s][EIC_IMPACT_GHG] = g;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Mean and 5th/95th percentiles (linear interpolation between order statistics, the
 * "type 7" rule of Hyndman and Fan 1996) of v[0..n); v is sorted in place. */
static eic_interval summarise(double *v, size_t n)
{
	eic_interval r = {NAN, NAN, NAN};
	if (n == 0)
		return r;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof(double), cmp_double);
	r.mean = sum / (double)n;
	double q[2] = {0.05, 0.95}, out[2];
	for (int k = 0; k < 2; k++) {
		double h = (double)(n - 1) * q[k];
		size_t lo = (size_t)floor(h);
		size_t hi = lo + 1 < n ? lo + 1 : lo;
		out[k] = v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
	}
	r.p05 = out[0];
	r.p95 = out[1];
	return r;
}

/* Draws: each draw gives every ranged factor of the set one triangular value (low, value,
 * high) on a private copy, recomputes each per-unit item once (so decay over the horizon is
 * recomputed per waste type, not per flow), draws each uncertain flow's multiplier
 * max(0, 1 + rel_sd z), then each change's activity range (triangular (low, 1, high) of the
 * quantity, or max(0, 1 + rel_sd z)), and sums the terms. Same seed, same draws. `pidx` maps
 * evaluator parties to result parties for the by-party intervals of e->actor_mask. */
static int monte_carlo(ev *e, size_t draws, uint64_t seed, int activity, const size_t *pidx)
{
	int rc = 0;
	eic_factors *copy = NULL;
	double *store = NULL, *mult = NULL, *col = NULL, *rel = NULL;
	size_t nflows = eic_cluster_flow_count(e->c);
	size_t nmult = nflows + e->ranges.len;
	pdraws pd;
	memset(&pd, 0, sizeof(pd));
	pd.pidx = pidx;
	pd.nres = e->r->parties.len;
	for (int k = 0; k < NHEAD; k++)
		pd.cslot[k] = (e->actor_mask >> k) & 1u ? (int)pd.ncs++ : -1;
	if ((rc = eic_factors_copy(&copy, e->f)) < 0)
		goto done;
	store = eic_calloc(draws * 2 * NFIG, sizeof(double));
	mult = eic_calloc(nmult + 1, sizeof(double));
	rel = eic_calloc(nflows + 1, sizeof(double));
	col = eic_calloc(draws + 1, sizeof(double));
	if (!store || !mult || !rel || !col) {
		rc = EIC_ENOMEM;
		goto done;
	}
	if (pd.ncs && pd.nres) {
		size_t cells = pd.nres * pd.ncs;
		pd.acc = eic_calloc(cells * 2, sizeof(double));
		pd.sum = eic_calloc(cells, sizeof(double));
		pd.q = eic_calloc(cells * 2, sizeof(eic_p2));
		if (!pd.acc || !pd.sum || !pd.q) {
			rc = EIC_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < cells; i++) {
			eic_scenario__p2_init(&pd.q[2 * i], 0.05);
			eic_scenario__p2_init(&pd.q[2 * i + 1], 0.95);
		}
	}
	for (size_t i = nflows; i < nmult; i++)
		mult[i] = 1.0;
	for (size_t i = 0; i < nflows; i++) {
		const eic_flow *fl = eic_cluster_flow(e->c, i);
		double r = 0;
		if (isfinite(fl->rel_sd) && fl->rel_sd > 0)
			r = fl->rel_sd;
		else if (isfinite(fl->sd) && fl->sd > 0 && fl->quantity > 0)
			r = fl->sd / fl->quantity;
		rel[i] = activity ? r : 0;
		mult[i] = 1.0;
	}
	/* which flows are used by terms: only those are drawn */
	char *used = eic_calloc(nflows + 1, 1);
	if (!used) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < e->terms.len; i++) {
		const term *t = EIC_VEC_AT(&e->terms, term, i);
		if (t->mult != NONE)
			used[t->mult] = 1;
	}
	size_t nfac = eic_factors_count(e->f);
	eic_rng rng;
	eic_rng_seed(&rng, seed);
	for (size_t d = 0; d < draws; d++) {
		for (size_t i = 0; i < nfac; i++) {
			const eic_factor *fa = eic_factors_at(e->f, i);
			if (!fa->has_range)
				continue;
			double x = eic_rng_triangular(&rng, fa->low, fa->value, fa->high);
			eic_factors_set_value(copy, fa->parameter, fa->key, x);
		}
		for (size_t i = 0; i < e->units.len; i++) {
			uitem *u = EIC_VEC_AT(&e->units, uitem, i);
			if (u->kind == U_ONE)
				continue;
			if ((rc = unit_compute(e, u, copy, NULL)) < 0) {
				fail(e,
				     "Monte Carlo draw %zu failed (a drawn factor is outside what "
				     "the "
				     "method accepts)",
				     d + 1);
				rc = EIC_EINVALID;
				eic_free(used);
				goto done;
			}
		}
		for (size_t i = 0; i < nflows; i++)
			if (used[i] && rel[i] > 0) {
				double m = 1.0 + rel[i] * eic_rng_normal(&rng);
				mult[i] = m > 0 ? m : 0;
			}
		for (size_t i = 0; activity && i < e->ranges.len; i++) {
			const crange *cr = EIC_VEC_AT(&e->ranges, crange, i);
			double m;
			if (!isnan(cr->low))
				m = eic_rng_triangular(&rng, cr->low, 1.0, cr->high);
			else
				m = 1.0 + cr->rel_sd * eic_rng_normal(&rng);
			mult[nflows + i] = m > 0 ? m : 0;
		}
		accumulate((double(*)[NFIG])(store + d * 2 * NFIG), e, mult, pd.acc ? &pd : NULL);
		for (size_t i = 0; pd.acc && i < pd.nres * pd.ncs; i++) {
			double change = pd.acc[2 * i + 1] - pd.acc[2 * i];
			pd.sum[i] += change;
			eic_scenario__p2_add(&pd.q[2 * i], change);
			eic_scenario__p2_add(&pd.q[2 * i + 1], change);
		}
	}
	eic_free(used);
	for (size_t p = 0; pd.acc && p < pd.nres; p++) {
		eic_scenario_party *party = EIC_VEC_AT(&e->r->parties, eic_scenario_party, p);
		for (int k = 0; k < NHEAD; k++) {
			if (pd.cslot[k] < 0)
				continue;
			size_t i = p * pd.ncs + (size_t)pd.cslot[k];
			party->change_draws[k].mean = pd.sum[i] / (double)draws;
			party->change_draws[k].p05 = eic_scenario__p2_value(&pd.q[2 * i]);
			party->change_draws[k].p95 = eic_scenario__p2_value(&pd.q[2 * i + 1]);
		}
	}
	for (size_t fg = 0; fg < NFIG; fg++) {
		for (int s = 0; s < 3; s++) {
			for (size_t d = 0; d < draws; d++) {
				double *a = store + d * 2 * NFIG;
				col[d] = s == 0   ? a[fg]
				         : s == 1 ? a[NFIG + fg]
				                  : a[NFIG + fg] - a[fg];
			}
			eic_interval iv = summarise(col, draws);
			if (s == 0)
				e->r->fig[fg].bau_draws = iv;
			else if (s == 1)
				e->r->fig[fg].scenario_draws = iv;
			else
				e->r->fig[fg].change_draws = iv;
		}
	}
done:
	/* restore the central unit values */
	for (size_t i = 0; i < e->units.len; i++) {
		uitem *u = EIC_VEC_AT(&e->units, uitem, i);
		if (u->kind != U_ONE)
			unit_compute(e, u, e->f, NULL);
	}
	eic_factors_free(copy);
	eic_free(store);
	eic_free(mult);
	eic_free(rel);
	eic_free(col);
	eic_free(pd.acc);
	eic_free(pd.sum);
	eic_free(pd.q);
	return rc;
}

/* ---- result ------------------------------------------------------------------------- */

void eic_scenario_result_free(eic_scenario_result *r)
{
	if (!r)
		return;
	eic_vec_free(&r->parties);
	eic_vec_free(&r->flow_changes);
	eic_vec_free(&r->notes);
	eic_vec_free(&r->factors);
	eic_free(r->cum[0]);
	eic_free(r->cum[1]);
	eic_arena_clear(&r->arena);
	eic_free(r);
}

static void ev_free(ev *e)
{
	eic_map_free(&e->actor_index);
	eic_map_free(&e->flow_index);
	eic_map_free(&e->facility_index);
	eic_map_free(&e->seen_errors);
	for (int s = 0; s < 2; s++) {
		eic_vec_free(&e->flows[s]);
		eic_free(e->opened[s]);
		eic_free(e->throughput[s]);
		eic_free(e->stated_jobs[s]);
		eic_free(e->jobs_source[s]);
		eic_free(e->jobs_pathway[s]);
		eic_vec_free(&e->virgin_replaced[s]);
	}
	eic_vec_free(&e->units);
	eic_vec_free(&e->terms);
	eic_vec_free(&e->groups);
	eic_vec_free(&e->ranges);
}

/* Flow changes: every recorded flow of the period and every added flow whose amount differs. */
static int flow_changes(ev *e)
{
	size_t n = eic_cluster_flow_count(e->c);
	for (size_t i = 0; i < n; i++) {
		const eic_flow *f = eic_cluster_flow(e->c, i);
		if (strcmp(f->period, e->period))
			continue;
		double q[2] = {0, 0};
		int moved = 0;
		for (int s = 0; s < 2; s++)
			for (size_t k = 0; k < e->flows[s].len; k++) {
				const eflow *fl = EIC_VEC_AT(&e->flows[s], eflow, k);
				if (fl->rec != i)
					continue;
				if (strcmp(fl->to, f->to))
					moved |= 1 << s;
				else
					q[s] += fl->quantity;
			}
		if (fabs(q[1] - q[0]) > 1e-9 * (fabs(q[0]) + fabs(q[1]) + 1e-300)) {
			eic_scenario_flow_change fc = {f->id, f->material, f->unit, q[0], q[1]};
			if (!eic_vec_push(&e->r->flow_changes, &fc))
				return EIC_ENOMEM;
		}
		(void)moved;
	}
	/* flows that are not recorded (added, exchanged) or recorded parts moved elsewhere */
	for (int s = 0; s < 2; s++)
		for (size_t k = 0; k < e->flows[s].len; k++) {
			const eflow *fl = EIC_VEC_AT(&e->flows[s], eflow, k);
			if (fl->rec != NONE && !strcmp(fl->to, eic_cluster_flow(e->c, fl->rec)->to))
				continue;
			char id[512];
			if (fl->rec != NONE)
				snprintf(id, sizeof(id), "%s -> %s", fl->id, fl->to);
			else
				snprintf(id, sizeof(id), "%s", fl->id);
			eic_scenario_flow_change *found = NULL;
			for (size_t j = 0; j < e->r->flow_changes.len && !found; j++) {
				eic_scenario_flow_change *x =
				    EIC_VEC_AT(&e->r->flow_changes, eic_scenario_flow_change, j);
				if (!strcmp(x->flow, id))
					found = x;
			}
			if (!found) {
				eic_scenario_flow_change fc = {eic_arena_strdup(&e->r->arena, id),
				                               fl->material, fl->unit, 0, 0};
				if (!fc.flow || !(found = eic_vec_push(&e->r->flow_changes, &fc)))
					return EIC_ENOMEM;
			}
			if (s == 0)
				found->bau += fl->quantity;
			else
				found->scenario += fl->quantity;
		}
	return 0;
}

/* The reference of per-unit figures: the quantity, in `unit`, of flow `flow` (every part of
 * it, wherever it goes) or of material `material` sent from the cluster's actors and processes
 * to boundary:product_market, in each case; then the scale of each category (1 / reference
 * for quantities over the period, year fraction / reference for money and jobs per year).
 * Errors (unknown flow or material, quantity not convertible, zero reference) are reported
 * through fail(). */
static void reference(ev *e, const char *flow, const char *material, const char *unit)
{
	eic_scenario_reference *ref = &e->r->ref;
	const char *cid = eic_cluster_info_get(e->c)->id;
	ref->kind = flow ? "flow" : "material";
	ref->id = flow ? flow : material;
	ref->material = material;
	ref->unit = unit;
	if (material && !eic_cluster_find_material(e->c, material)) {
		fail(e,
		     "unknown material '%s' for per-unit figures (expected a material of cluster "
		     "'%s' or of the catalogue; found '%s')",
		     material, cid, material);
		return;
	}
	int found = 0;
	for (int s = 0; s < 2; s++) {
		double q = 0;
		for (size_t i = 0; i < e->flows[s].len; i++) {
			const eflow *fl = EIC_VEC_AT(&e->flows[s], eflow, i);
			eic_node from, to;
			if (flow) {
				if (strcmp(fl->id, flow))
					continue;
				ref->material = fl->material;
			} else if (strcmp(fl->material, material) ||
			           eic_cluster_resolve_node(&from, e->c, fl->from) < 0 ||
			           from.kind == EIC_NODE_BOUNDARY ||
			           eic_cluster_resolve_node(&to, e->c, fl->to) < 0 ||
			           to.kind != EIC_NODE_BOUNDARY ||
			           to.boundary != EIC_BOUNDARY_PRODUCT_MARKET)
				continue;
			found = 1;
			double x = 0;
			if (amount_in(&x, e, fl, unit) < 0) {
				fail(
				    e,
				    "flow '%s' (material '%s'): cannot convert %g %s to %s for "
				    "per-unit figures (expected a reference unit of the same kind, "
				    "e.g. --per-unit %s)",
				    fl->id, fl->material, fl->quantity, fl->unit, unit, fl->unit);
				return;
			}
			q += x;
		}
		if (s == 0)
			ref->bau = q;
		else
			ref->scenario = q;
	}
	if (!found && flow) {
		for (size_t i = 0; i < eic_cluster_flow_count(e->c); i++) {
			const eic_flow *f = eic_cluster_flow(e->c, i);
			if (!strcmp(f->id, flow)) {
				fail(
				    e,
				    "reference flow '%s' is in period '%s', not in the period "
				    "evaluated (expected a flow of period '%s'; found one of '%s')",
				    flow, f->period, e->period, f->period);
				return;
			}
		}
		fail(e,
		     "unknown flow '%s' for per-unit figures (expected the id of a flow of cluster "
		     "'%s' or one added by the scenario; found '%s')",
		     flow, cid, flow);
		return;
	}
	for (int s = 0; s < 2; s++) {
		double q = s ? ref->scenario : ref->bau;
		if (!(q > 0)) {
			if (flow)
				fail(e,
				     "reference flow '%s' is %g %s in the %s case (expected a "
				     "positive "
				     "quantity to divide by; found %g)",
				     flow, q, unit, case_name(s), q);
			else
				fail(
				    e,
				    "reference material '%s': %g %s sent to "
				    "boundary:product_market "
				    "in the %s case, period '%s' (expected a positive quantity of "
				    "flows of '%s' from actors or processes to the product market; "
				    "found %s)",
				    material, q, unit, case_name(s), e->period, material,
				    found ? "a total of zero" : "none");
			continue;
		}
		for (int k = 0; k < NHEAD; k++)
			e->scale[s][k] = (k == EIC_IMPACT_COST || k == EIC_IMPACT_REVENUE ||
			                  k == EIC_IMPACT_JOBS)
			                     ? e->year_fraction / q
			                     : 1.0 / q;
	}
	e->per = 1;
	e->r->has_ref = 1;
}

/* Units of the categories in the result (absolute, or per unit of the reference). */
static int make_units(ev *e)
{
	for (int k = 0; k < NHEAD; k++) {
		char buf[256];
		int money = k == EIC_IMPACT_COST || k == EIC_IMPACT_REVENUE;
		if (!e->r->has_ref)
			snprintf(buf, sizeof(buf), "%s", money ? e->money_unit : cat_units[k]);
		else if (money)
			snprintf(buf, sizeof(buf), "%s per %s of %s", e->r->currency,
			         e->r->ref.unit, e->r->ref.material);
		else if (k == EIC_IMPACT_JOBS)
			snprintf(buf, sizeof(buf), "FTE per %s/yr of %s", e->r->ref.unit,
			         e->r->ref.material);
		else
			snprintf(buf, sizeof(buf), "%s per %s of %s", cat_units[k], e->r->ref.unit,
			         e->r->ref.material);
		if (!(e->r->units[k] = eic_arena_strdup(&e->r->arena, buf)))
			return EIC_ENOMEM;
	}
	return 0;
}

static int build_case(ev *e, int state, const sc_alt *alt)
{
	int rc;
	size_t n = eic_cluster_flow_count(e->c);
	for (size_t i = 0; i < n; i++) {
		const eic_flow *f = eic_cluster_flow(e->c, i);
		if (strcmp(f->period, e->period))
			continue;
		eflow fl = {f->id, i,   f->from, f->to, f->material, f->unit, f->quantity,
		            0,     NAN, "truck", f->to, NULL,        i};
		if ((rc = push_flow(e, state, &fl)) < 0)
			return rc;
	}
	/* BAU and each alternative are both changes of the cluster as recorded */
	return apply_changes(e, state, alt ? alt : &e->s->bau);
}

int eic_scenario_evaluate(eic_scenario_result **out, const eic_cluster *cluster,
                          const eic_scenario *scenario, size_t alternative,
                          const eic_factors *factors, const eic_scenario_options *options,
                          eic_diags *diags)
{
	static const eic_scenario_options defaults = EIC_SCENARIO_OPTIONS_INIT;
	eic_scenario_options opt = defaults;
	size_t *pidx = NULL;
	ev e;
	int rc = 0;
	memset(&e, 0, sizeof(e));
	if (!out || !cluster || !scenario || !factors)
		return EIC_EINVAL;
	*out = NULL;
	if (options) {
		/* version 1 callers stop before the per-unit and by-party fields */
		if (options->version == 1)
			memcpy(&opt, options, offsetof(eic_scenario_options, per_flow));
		else if (options->version == EIC_SCENARIO_OPTIONS_VERSION)
			opt = *options;
		else
			return EIC_EINVAL;
		opt.version = EIC_SCENARIO_OPTIONS_VERSION;
	}
	options = &opt;
	if (alternative >= scenario->alts.len || options->draws > EIC_SCENARIO_MAX_DRAWS ||
	    (options->per_flow && options->per_material))
		return EIC_EINVAL;
	e.actor_mask = options->actor_intervals & ((1u << NHEAD) - 1u);
	eic_scenario_result *r = eic_calloc(1, sizeof(*r));
	if (!r)
		return EIC_ENOMEM;
	eic_arena_init(&r->arena);
	eic_vec_init(&r->parties, sizeof(eic_scenario_party));
	eic_vec_init(&r->flow_changes, sizeof(eic_scenario_flow_change));
	eic_vec_init(&r->notes, sizeof(eic_scenario_note));
	eic_vec_init(&r->factors, sizeof(const eic_factor *));
	e.c = cluster;
	e.s = scenario;
	e.f = factors;
	e.diags = diags;
	e.r = r;
	eic_map_init(&e.actor_index);
	eic_map_init(&e.flow_index);
	eic_map_init(&e.facility_index);
	eic_map_init(&e.seen_errors);
	eic_vec_init(&e.units, sizeof(uitem));
	eic_vec_init(&e.terms, sizeof(term));
	eic_vec_init(&e.groups, sizeof(notegrp));
	eic_vec_init(&e.ranges, sizeof(crange));
	for (int s = 0; s < 2; s++) {
		eic_vec_init(&e.flows[s], sizeof(eflow));
		eic_vec_init(&e.virgin_replaced[s], sizeof(vpair));
	}
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	r->currency = info->currency ? info->currency : "";
	char money_unit[64];
	snprintf(money_unit, sizeof(money_unit), "%s/yr", r->currency);
	e.money_unit = eic_arena_strdup(&r->arena, money_unit);
	e.gwp = options->gwp_set ? options->gwp_set : scenario->gwp_set;
	e.zone = options->climate_zone ? options->climate_zone : scenario->climate_zone;
	e.horizon = options->horizon_years ? options->horizon_years : scenario->horizon_years;
	e.timing = options->timing >= 0 ? options->timing : scenario->timing;
	r->gwp_set = e.gwp;
	r->climate_zone = e.zone ? e.zone : "";
	r->horizon = e.horizon;
	r->draws = options->draws;
	r->seed = options->seed;
	r->years = scenario->years;
	r->rate = scenario->discount_rate;
	r->litres[0] = r->litres[1] = r->litres[2] = NAN;
	if (!e.money_unit) {
		rc = EIC_ENOMEM;
		goto done;
	}
	if (eic_impact__bad_gwp_set(factors, diags, e.gwp)) {
		rc = EIC_EINVALID;
		goto done;
	}
	if (e.zone && strcmp(e.zone, "boreal_temperate_dry") &&
	    strcmp(e.zone, "boreal_temperate_wet") && strcmp(e.zone, "tropical_dry") &&
	    strcmp(e.zone, "tropical_wet")) {
		fail(&e, "unknown climate zone '%s' (expected %s)", e.zone, EIC_FOD_CLIMATE_ZONES);
		rc = EIC_EINVALID;
		goto done;
	}
	if (!e.zone)
		e.zone = ""; /* FOD reports it when a flow needs it */
	e.period = eic_scenario__period(cluster, scenario);
	if (!e.period) {
		fail(&e, "cluster '%s' has no period (expected at least one period with flows)",
		     info->id);
		rc = EIC_EINVALID;
		goto done;
	}
	{
		long days = eic_period_days(eic_cluster_find_period(cluster, e.period));
		e.year_fraction =
		    (days == 365 || days == 366 || days <= 0) ? 1.0 : (double)days / 365.0;
	}
	for (size_t i = 0; i < eic_factors_count(factors); i++)
		if (!strcmp(eic_factors_at(factors, i)->parameter, "jobs_per_kt"))
			e.jobs_factors = 1;
	e.actor_count = eic_cluster_actor_count(cluster);
	for (size_t i = 0; i < e.actor_count; i++)
		if (eic_map_put(&e.actor_index, eic_cluster_actor(cluster, i)->id, i) < 0) {
			rc = EIC_ENOMEM;
			goto done;
		}
	size_t nf = eic_cluster_facility_count(cluster);
	for (size_t i = 0; i < nf; i++)
		if (eic_map_put(&e.facility_index, eic_cluster_facility(cluster, i)->id, i) < 0) {
			rc = EIC_ENOMEM;
			goto done;
		}
	for (int s = 0; s < 2; s++) {
		e.opened[s] = eic_calloc(nf + 1, sizeof(*e.opened[s]));
		e.throughput[s] = eic_calloc(nf + 1, sizeof(double));
		e.stated_jobs[s] = eic_calloc(nf + 1, sizeof(double));
		e.jobs_source[s] = eic_calloc(nf + 1, sizeof(const char *));
		e.jobs_pathway[s] = eic_calloc(nf + 1, sizeof(const char *));
		if (!e.opened[s] || !e.throughput[s] || !e.stated_jobs[s] || !e.jobs_source[s] ||
		    !e.jobs_pathway[s]) {
			rc = EIC_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < nf; i++)
			e.stated_jobs[s][i] = NAN;
	}
	uitem one = {U_ONE, NULL, NULL, {1, 1, 1}};
	if (!eic_vec_push(&e.units, &one)) {
		rc = EIC_ENOMEM;
		goto done;
	}
	const sc_alt *alt = EIC_VEC_AT(&scenario->alts, sc_alt, alternative);
	if ((rc = build_case(&e, 0, NULL)) < 0 || (rc = build_case(&e, 1, alt)) < 0)
		goto done;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < e.flows[s].len; i++)
			flow_terms(&e, s, EIC_VEC_AT(&e.flows[s], eflow, i));
		facility_terms(&e, s);
	}
	if (!options->per_off) {
		const char *pf = options->per_flow, *pm = options->per_material;
		const char *pu = options->per_unit ? options->per_unit : scenario->per_unit;
		if (!pf && !pm) {
			pf = scenario->per_flow;
			pm = scenario->per_material;
		}
		if (pf || pm)
			reference(&e, pf, pm, pu ? pu : "t");
	}
	if (make_units(&e) < 0)
		e.oom = 1;
	if (e.oom) {
		rc = EIC_ENOMEM;
		goto done;
	}
	if (e.errors) {
		rc = EIC_EINVALID;
		goto done;
	}
	/* central values */
	double acc[2][NFIG];
	accumulate(acc, &e, NULL, NULL);
	for (size_t fg = 0; fg < NFIG; fg++) {
		eic_impact_figure *x = &r->fig[fg];
		x->bau = acc[0][fg];
		x->scenario = acc[1][fg];
		x->change = acc[1][fg] - acc[0][fg];
		x->bau_draws.mean = x->bau_draws.p05 = x->bau_draws.p95 = NAN;
		x->scenario_draws = x->change_draws = x->bau_draws;
		x->assessed = 1;
	}
	int any_jobs = e.jobs_factors;
	for (size_t i = 0; i < nf; i++)
		any_jobs |= !isnan(e.stated_jobs[0][i]) || !isnan(e.stated_jobs[1][i]);
	r->fig[EIC_IMPACT_JOBS].assessed = any_jobs;
	if (!e.jobs_factors)
		add_note(&e, EIC_IMPACT_JOBS,
		         "the factor set has no employment factors (jobs_per_kt): only jobs stated "
		         "in the scenario file are counted%s",
		         any_jobs ? "" : " and none are, so jobs are not assessed");
	/* parties */
	size_t np = e.actor_count + nf;
	eic_scenario_party *parties = eic_calloc(np + 1, sizeof(*parties));
	pidx = eic_calloc(np + 1, sizeof(size_t));
	if (!parties || !pidx) {
		eic_free(parties);
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < e.terms.len; i++) {
		const term *t = EIC_VEC_AT(&e.terms, term, i);
		size_t cat = cat_of(t->fig);
		double x = t->amount * EIC_VEC_AT(&e.units, uitem, t->unit)->v[t->slot];
		if (e.per)
			x *= e.scale[t->state][cat];
		if (t->state == 0)
			parties[t->party].bau[cat] += x;
		else
			parties[t->party].scenario[cat] += x;
	}
	for (size_t i = 0; i < np; i++) {
		int nonzero = 0;
		pidx[i] = NONE;
		for (int k = 0; k < NHEAD; k++) {
			nonzero |= parties[i].bau[k] != 0 || parties[i].scenario[k] != 0;
			parties[i].change_draws[k].mean = parties[i].change_draws[k].p05 =
			    parties[i].change_draws[k].p95 = NAN;
		}
		if (!nonzero)
			continue;
		pidx[i] = r->parties.len;
		if (i < e.actor_count) {
			parties[i].id = eic_cluster_actor(cluster, i)->id;
			parties[i].name = eic_cluster_actor(cluster, i)->name;
		} else {
			parties[i].id = eic_cluster_facility(cluster, i - e.actor_count)->id;
			parties[i].name = eic_cluster_facility(cluster, i - e.actor_count)->name;
			parties[i].is_facility = 1;
		}
		if (!eic_vec_push(&r->parties, &parties[i])) {
			eic_free(parties);
			rc = EIC_ENOMEM;
			goto done;
		}
	}
	eic_free(parties);
	/* notes from the groups */
	for (size_t i = 0; i < e.groups.len; i++) {
		notegrp *g = EIC_VEC_AT(&e.groups, notegrp, i);
		char a[64], b[64];
		eic_fmt_double(a, sizeof(a), g->amount[0]);
		eic_fmt_double(b, sizeof(b), g->amount[1]);
		if (g->flow_count)
			add_note(&e, g->category,
			         "%s: %s %s in business as usual, %s in the scenario; "
			         "from %s%s",
			         g->label, a, g->unit, b, g->flows,
			         g->flow_count > MAX_NOTE_FLOWS ? " and more" : "");
		else
			add_note(&e, g->category,
			         "%s: %s %s in business as usual, %s in the scenario", g->label, a,
			         g->unit, b);
	}
	for (size_t i = 0; i < scenario->fees.len; i++) {
		const sc_fee *f = EIC_VEC_AT(&scenario->fees, sc_fee, i);
		add_note(&e, EIC_IMPACT_COST, "%s fee %g %s (%s)", f->fate, f->value, f->unit,
		         f->source);
	}
	if (scenario->fees.len == 0)
		add_note(&e, EIC_IMPACT_COST,
		         "no disposal fees in the scenario file: landfill and dumping cost nothing "
		         "here");
	for (size_t i = 0; i < scenario->notes.len; i++)
		add_note(&e, EIC_IMPACT_GHG, "%s", *EIC_VEC_AT(&scenario->notes, const char *, i));
	if ((rc = flow_changes(&e)) < 0)
		goto done;
	/* fuel equivalents of the change in energy recovered */
	{
		static const char *const fuels[3] = {"motor_gasoline", "other_kerosene",
		                                     "gas_diesel_oil"};
		for (int k = 0; k < 3; k++) {
			double litres = NAN;
			double mj = r->fig[EIC_IMPACT_ENERGY_RECOVERED].change * 1000.0;
			if (eic_energy_fuel_litres(&litres, factors, fuels[k], fabs(mj), NULL) ==
			    0) {
				r->litres[k] = mj < 0 ? -litres : litres;
				char k2[64];
				snprintf(k2, sizeof(k2), "%s", fuels[k]);
				use_factor(&e, "NCV", k2);
				use_factor(&e, "density", k2);
			}
		}
	}
	/* money over time */
	for (int s = 0; s < 2; s++) {
		size_t years = r->years;
		r->cum[s] = eic_calloc(years + 1, sizeof(double));
		double *cf = eic_calloc(years + 1, sizeof(double));
		if (!r->cum[s] || !cf) {
			eic_free(cf);
			rc = EIC_ENOMEM;
			goto done;
		}
		double total = 0;
		for (size_t y = 0; y <= years; y++) {
			cf[y] = y == 0 ? e.capex[s] : e.annual_net[s];
			total += cf[y];
			r->cum[s][y] = total;
		}
		if ((rc = eic_fin_npv(&r->npv[s], cf, years + 1, r->rate)) < 0) {
			eic_free(cf);
			goto done;
		}
		eic_free(cf);
	}
	if (options->draws > 0 && (rc = monte_carlo(&e, options->draws, options->seed,
	                                            options->activity_uncertainty, pidx)) < 0)
		goto done;
	if (e.oom) {
		rc = EIC_ENOMEM;
		goto done;
	}
	*out = r;
	r = NULL;
	rc = 0;
done:
	eic_free(pidx);
	ev_free(&e);
	eic_scenario_result_free(r);
	return rc;
}

/* ---- getters ------------------------------------------------------------------------- */

const eic_impact_figure *eic_scenario_result_figure(const eic_scenario_result *r,
                                                    eic_impact_category c)
{
	return r && (int)c >= 0 && c < NHEAD ? &r->fig[c] : NULL;
}

const eic_impact_figure *eic_scenario_result_ghg(const eic_scenario_result *r, eic_ghg_source s,
                                                 eic_gas g)
{
	if (!r || (int)s < 0 || s >= EIC_GHG_SOURCE__N || (int)g < 0 || g >= EIC_GAS__N)
		return NULL;
	return &r->fig[CELL(s, g)];
}

const char *eic_scenario_result_gwp_set(const eic_scenario_result *r)
{
	return r ? r->gwp_set : "";
}

const char *eic_scenario_result_climate_zone(const eic_scenario_result *r)
{
	return r ? r->climate_zone : "";
}

size_t eic_scenario_result_horizon(const eic_scenario_result *r)
{
	return r ? r->horizon : 0;
}

const char *eic_scenario_result_currency(const eic_scenario_result *r)
{
	return r ? r->currency : "";
}

size_t eic_scenario_result_draws(const eic_scenario_result *r)
{
	return r ? r->draws : 0;
}

uint64_t eic_scenario_result_seed(const eic_scenario_result *r)
{
	return r ? r->seed : 0;
}

const eic_scenario_reference *eic_scenario_result_reference(const eic_scenario_result *r)
{
	return r && r->has_ref ? &r->ref : NULL;
}

const char *eic_scenario_result_unit(const eic_scenario_result *r, eic_impact_category c)
{
	return r && (int)c >= 0 && c < NHEAD && r->units[c] ? r->units[c] : "";
}

double eic_scenario_result_fuel_litres(const eic_scenario_result *r, const char *fuel)
{
	static const char *const fuels[3] = {"motor_gasoline", "other_kerosene", "gas_diesel_oil"};
	for (int k = 0; r && fuel && k < 3; k++)
		if (!strcmp(fuel, fuels[k]))
			return r->litres[k];
	return NAN;
}

size_t eic_scenario_result_party_count(const eic_scenario_result *r)
{
	return r ? r->parties.len : 0;
}

const eic_scenario_party *eic_scenario_result_party(const eic_scenario_result *r, size_t i)
{
	return r && i < r->parties.len ? EIC_VEC_AT(&r->parties, eic_scenario_party, i) : NULL;
}

size_t eic_scenario_result_flow_change_count(const eic_scenario_result *r)
{
	return r ? r->flow_changes.len : 0;
}

const eic_scenario_flow_change *eic_scenario_result_flow_change(const eic_scenario_result *r,
                                                                size_t i)
{
	return r && i < r->flow_changes.len
	           ? EIC_VEC_AT(&r->flow_changes, eic_scenario_flow_change, i)
	           : NULL;
}

size_t eic_scenario_result_note_count(const eic_scenario_result *r)
{
	return r ? r->notes.len : 0;
}

const eic_scenario_note *eic_scenario_result_note(const eic_scenario_result *r, size_t i)
{
	return r && i < r->notes.len ? EIC_VEC_AT(&r->notes, eic_scenario_note, i) : NULL;
}

size_t eic_scenario_result_factor_count(const eic_scenario_result *r)
{
	return r ? r->factors.len : 0;
}

const eic_factor *eic_scenario_result_factor(const eic_scenario_result *r, size_t i)
{
	return r && i < r->factors.len ? *EIC_VEC_AT(&r->factors, const eic_factor *, i) : NULL;
}

size_t eic_scenario_result_years(const eic_scenario_result *r)
{
	return r ? r->years : 0;
}

double eic_scenario_result_discount_rate(const eic_scenario_result *r)
{
	return r ? r->rate : NAN;
}

const double *eic_scenario_result_cumulative_cost(const eic_scenario_result *r, int alternative)
{
	return r ? r->cum[alternative ? 1 : 0] : NULL;
}

double eic_scenario_result_npv_cost(const eic_scenario_result *r, int alternative)
{
	return r ? r->npv[alternative ? 1 : 0] : NAN;
}
