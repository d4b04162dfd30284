/* test_optimize.c: unit tests of the exchange-network optimisation (src/lib/symbiosis/
 * optimize.c) on tiny clusters built in code whose optimum is worked out by hand in the
 * comment above each test (docs/methods/optimization.md). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/eic.h>
#include <eic/optimize.h>

#include "testutil.h"

/* Money and tonnes here are sums of a few products of short decimals; the solver works to
 * 1e-7 feasibility and a 1e-6 relative gap below: 1e-4 absolute and 1e-6 relative suffice. */
#define ABS_TOL 1e-4
#define REL_TOL 1e-6

static void assert_near(double expected, double actual, const char *what)
{
	double tol = ABS_TOL + REL_TOL * fabs(expected);
	if (!(fabs(expected - actual) <= tol))
		fail_msg("%s: expected %.12g, got %.12g (tolerance %g)", what, expected, actual,
		         tol);
}

static eic_cluster *new_cluster(const char *currency)
{
	eic_cluster *c = NULL;
	eic_cluster_info info;
	assert_int_equal(eic_cluster_new(&c), 0);
	memset(&info, 0, sizeof(info));
	info.id = "t";
	info.name = "Test";
	info.currency = currency;
	info.catalogue = "none";
	assert_int_equal(eic_cluster_set_info(c, &info), 0);
	return c;
}

static void actor(eic_cluster *c, const char *id, eic_actor_kind kind, double lat, double lon)
{
	eic_actor a;
	memset(&a, 0, sizeof(a));
	a.id = id;
	a.name = id;
	a.kind = kind;
	a.employees = -1;
	a.value_added = NAN;
	a.lat = lat;
	a.lon = lon;
	assert_int_equal(eic_cluster_add_actor(c, &a), 0);
}

static void material(eic_cluster *c, const char *id, int hazardous)
{
	eic_material m;
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.name = id;
	m.category = "biomass/test";
	m.hazardous = hazardous;
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
}

static void property(eic_cluster *c, const char *mat, const char *name, double v, const char *unit)
{
	eic_property p;
	memset(&p, 0, sizeof(p));
	p.material = mat;
	p.name = name;
	p.value = v;
	p.unit = unit;
	assert_int_equal(eic_cluster_add_property(c, &p), 0);
}

static void offer(eic_cluster *c, const char *id, const char *actor_id, eic_offer_type type,
                  const char *mat, double q, double min, double max)
{
	eic_offer o;
	memset(&o, 0, sizeof(o));
	o.id = id;
	o.actor = actor_id;
	o.type = type;
	o.material = mat;
	o.quantity = q;
	o.min_quantity = min;
	o.max_quantity = max;
	o.unit = "t/yr";
	o.price = NAN;
	o.confidentiality = EIC_CONF_CLUSTER;
	assert_int_equal(eic_cluster_add_offer(c, &o), 0);
}

static void facility(eic_cluster *c, const char *id, double lat, double lon, double life)
{
	eic_facility f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	f.name = id;
	f.technology = "test";
	f.lat = lat;
	f.lon = lon;
	f.capacity_unit = "t/yr";
	f.lifetime_yr = life;
	assert_int_equal(eic_cluster_add_facility(c, &f), 0);
}

static void level(eic_cluster *c, const char *fac, const char *id, double cap, double capex,
                  double opex)
{
	eic_facility_level l = {fac, id, cap, capex, opex};
	assert_int_equal(eic_cluster_add_facility_level(c, &l), 0);
}

static void coef(eic_cluster *c, const char *fac, const char *mat, eic_direction dir, double v)
{
	eic_facility_coef k = {fac, mat, dir, v, "t/t"};
	assert_int_equal(eic_cluster_add_facility_coef(c, &k), 0);
}

/* Options with every factor given, so that no default enters a hand-worked number. */
static eic_opt_options plain_options(void)
{
	eic_opt_options o = EIC_OPT_OPTIONS_INIT;
	o.cost_per_tkm = 0.1;
	o.disposal_fee_per_t = 1;
	o.virgin_price_per_t = 0;
	o.kg_co2e_per_tkm = 0;
	o.disposal_kg_co2e_per_t = 0;
	o.virgin_kg_co2e_per_t = 0;
	o.discount_rate = 0.05;
	o.rel_gap = 1e-6;
	return o;
}

static const eic_opt_facility *find_facility(const eic_opt_result *r, const char *id)
{
	for (size_t i = 0; i < eic_opt_facility_count(r); i++)
		if (!strcmp(eic_opt_facility_at(r, i)->facility, id))
			return eic_opt_facility_at(r, i);
	fail_msg("facility %s not in the result", id);
	return NULL;
}

static double flow_total(const eic_opt_result *r, const char *from_actor, const char *to_actor)
{
	double s = 0;
	for (size_t i = 0; i < eic_opt_flow_count(r); i++) {
		const eic_opt_flow *f = eic_opt_flow_at(r, i);
		if (!strcmp(f->from_actor, from_actor) && !strcmp(f->to_actor, to_actor))
			s += f->quantity;
	}
	return s;
}

static int has_text(const char *(*get)(const eic_opt_result *, size_t),
                    size_t (*count)(const eic_opt_result *), const eic_opt_result *r,
                    const char *needle)
{
	for (size_t i = 0; i < count(r); i++)
		if (strstr(get(r, i), needle))
			return 1;
	return 0;
}

/*
 * Two sources of manure (A 600 t/yr, B 500 t/yr) and one facility F at the same site, with a
 * small level (1,000 t/yr, opex 100/yr) and a large one (2,000 t/yr, opex 500/yr), no capital
 * cost. Each tonne processed avoids a disposal fee of 1 and yields 1 t of gas sold at 2/t
 * (price property): 3 per tonne. Small: 3 x 1,000 - 100 = 2,900. Large: 3 x 1,100 - 500 =
 * 2,800. Closed: 0. The optimum opens the small level at full capacity: 2,900/yr.
 */
static void test_optimize__small_level(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	actor(c, "A", EIC_ACTOR_FIRM, 10, 100);
	actor(c, "B", EIC_ACTOR_FIRM, 10, 100);
	material(c, "manure", 0);
	material(c, "gas", 0);
	property(c, "gas", "price", 2, "USD/t");
	offer(c, "oa", "A", EIC_OFFER_HAVE, "manure", 600, NAN, NAN);
	offer(c, "ob", "B", EIC_OFFER_HAVE, "manure", 500, NAN, NAN);
	facility(c, "F", 10, 100, 10);
	level(c, "F", "small", 1000, 0, 100);
	level(c, "F", "large", 2000, 0, 500);
	coef(c, "F", "manure", EIC_DIR_INPUT, 1);
	coef(c, "F", "gas", EIC_DIR_OUTPUT, 1);
	eic_opt_options o = plain_options();
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_near(2900, eic_opt_economic(r), "net benefit");
	const eic_opt_facility *f = find_facility(r, "F");
	assert_non_null(f->level);
	assert_string_equal(f->level, "small");
	assert_near(1000, f->throughput, "throughput");
	assert_near(100, f->annual_cost, "annual cost");
	assert_near(2000, f->revenue, "gas revenue");
	assert_near(2900, f->net_benefit, "facility net benefit");
	assert_near(1000, flow_total(r, "A", "F") + flow_total(r, "B", "F"), "manure in");
	assert_near(1000, flow_total(r, "F", "market"), "gas out");
	eic_opt_stats st = eic_opt_stats_of(r);
	assert_int_equal(st.candidate_arcs, 2);
	assert_int_equal(st.integers, 2);
	eic_opt_free(r);

	/* with capital: capex 1,000 at 5% over 10 yr adds 1,000 x CRF = 129.50/yr to the small
	 * level: 2,900 - 129.50 = 2,770.50, still above closing. */
	eic_cluster_free(c);
	c = new_cluster("USD");
	actor(c, "A", EIC_ACTOR_FIRM, 10, 100);
	material(c, "manure", 0);
	material(c, "gas", 0);
	property(c, "gas", "price", 2, "USD/t");
	offer(c, "oa", "A", EIC_OFFER_HAVE, "manure", 1000, NAN, NAN);
	facility(c, "F", 10, 100, 10);
	level(c, "F", "small", 1000, 1000, 100);
	coef(c, "F", "manure", EIC_DIR_INPUT, 1);
	coef(c, "F", "gas", EIC_DIR_OUTPUT, 1);
	double crf = 0;
	assert_int_equal(eic_fin_crf(&crf, 0.05, 10), 0);
	assert_near(0.129504575, crf, "CRF(5%, 10)");
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_near(3000 - 100 - 1000 * crf, eic_opt_economic(r), "net benefit with capital");
	eic_opt_free(r);
	eic_cluster_free(c);
}

/*
 * A source S (100 t/yr) and a want W of the same material 0.1 degree of longitude apart on
 * the equator: 11.12 km great circle x 1.3 = 14.46 km, transport 0.1/t-km = 1.446/t. With a
 * disposal fee of 1/t the exchange loses 0.446/t: nothing is exchanged. With a fee of 2/t it
 * gains 0.554/t: all 100 t go, worth 55.4/yr.
 */
static void test_optimize__transport_not_worth_it(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0.1);
	material(c, "husk", 0);
	offer(c, "s", "S", EIC_OFFER_HAVE, "husk", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "husk", 150, NAN, NAN);
	double km = eic_spatial_distance_km(0, 0, 0, 0.1) * 1.3;
	assert_true(fabs(km - 14.46) < 0.01);
	eic_opt_options o = plain_options();
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_int_equal(eic_opt_flow_count(r), 0);
	assert_near(0, eic_opt_economic(r), "nothing exchanged");
	eic_opt_free(r);
	o.disposal_fee_per_t = 2;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_flow_count(r), 1);
	const eic_opt_flow *f = eic_opt_flow_at(r, 0);
	assert_near(100, f->quantity, "quantity");
	assert_near(km, f->distance_km, "distance");
	assert_near(100 * 0.1 * km, f->transport_cost, "transport cost");
	assert_near(100 * (2 - 0.1 * km), eic_opt_economic(r), "net benefit");
	assert_string_equal(f->unit, "t/yr");
	eic_opt_free(r);
	eic_cluster_free(c);
}

/*
 * A hazardous material goes only to a permitted receiver: to the firm W nothing flows; once W
 * is listed as permitted all 100 t flow (same site, fee 1/t: 100/yr). With the want's minimum
 * required, the unpermitted case is infeasible and the reason says why.
 */
static void test_optimize__hazardous(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0);
	material(c, "sludge", 1);
	offer(c, "s", "S", EIC_OFFER_HAVE, "sludge", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "sludge", 100, 80, 100);
	eic_opt_options o = plain_options();
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_flow_count(r), 0);
	assert_int_equal(eic_opt_stats_of(r).candidate_arcs, 0);
	eic_opt_free(r);
	o.permitted = "X, W";
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_flow_count(r), 1);
	assert_near(100, eic_opt_economic(r), "net benefit");
	eic_opt_free(r);
	o.permitted = NULL;
	o.require_demand = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_INFEASIBLE);
	assert_true(eic_opt_reason_count(r) >= 1);
	assert_true(has_text(eic_opt_reason, eic_opt_reason_count, r, "demand of W for sludge"));
	assert_true(has_text(eic_opt_reason, eic_opt_reason_count, r, "hazardous"));
	eic_opt_free(r);
	eic_cluster_free(c);
}

/*
 * Maximum distance: the pair of the transport test (14.46 km) with a limit of 10 km has no
 * candidate arc; a required minimum of 80 t makes it infeasible, and the reason names the
 * distance limit and the nearest source.
 */
static void test_optimize__max_distance(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0.1);
	material(c, "husk", 0);
	offer(c, "s", "S", EIC_OFFER_HAVE, "husk", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "husk", 100, 80, 100);
	eic_opt_options o = plain_options();
	o.disposal_fee_per_t = 5;
	o.max_distance_km = 10;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_int_equal(eic_opt_stats_of(r).candidate_arcs, 0);
	eic_opt_free(r);
	o.require_demand = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_INFEASIBLE);
	assert_true(has_text(eic_opt_reason, eic_opt_reason_count, r,
	                     "beyond the maximum distance of 10 km (nearest 14.5 km)"));
	eic_opt_free(r);
	o.max_distance_km = 20;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_near(100, flow_total(r, "S", "W"), "within 20 km");
	eic_opt_free(r);
	eic_cluster_free(c);
}

/*
 * Infeasible: W requires at least 150 t but the only source offers 100 t. The elastic
 * analysis finds the demand short by 50 t and names the supply limit that caps it.
 */
static void test_optimize__infeasible_named(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0);
	material(c, "ash", 0);
	offer(c, "s", "S", EIC_OFFER_HAVE, "ash", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "ash", 200, 150, 200);
	eic_opt_options o = plain_options();
	/* as a lot size the minimum cannot be met: nothing is exchanged, which is feasible */
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_near(0, flow_total(r, "S", "W"), "lot not reachable");
	eic_opt_free(r);
	o.require_demand = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_INFEASIBLE);
	assert_true(isnan(eic_opt_economic(r)));
	assert_int_equal(eic_opt_flow_count(r), 0);
	assert_int_equal(eic_opt_reason_count(r), 1);
	const char *why = eic_opt_reason(r, 0);
	print_message("reason: %s\n", why);
	assert_non_null(strstr(why, "demand of W for ash (150 t/yr) cannot be met: short by 50"));
	assert_non_null(strstr(why, "supply limit of S (100 t/yr"));
	assert_string_equal(eic_opt_status_text(r), "infeasible");
	eic_opt_free(r);
	eic_cluster_free(c);
}

/* Factor hook of the Pareto test: m is worth 10/t to its receiver, p avoids 1 t CO2e/t. */
static int pareto_factor(double *out, const char **source, void *ctx, const eic_cluster *c,
                         const char *mat, eic_opt_factor_kind kind)
{
	(void)ctx;
	(void)c;
	*source = "test";
	if (!strcmp(mat, "m") && kind == EIC_OPT_FACTOR_VIRGIN_PRICE)
		*out = 10;
	else if (!strcmp(mat, "p") && kind == EIC_OPT_FACTOR_VIRGIN_GHG)
		*out = 1000;
	else
		return EIC_ENOTFOUND;
	return 0;
}

/*
 * Economy against GHG: S (100 t/yr of m) can go to the want W 0.2 degree away (22.24 km x 1.3
 * = 28.91 km; 0.01/t-km: 0.2891/t; worth 10/t to W) or to the facility F at S's site (opex 50,
 * no capital) which makes p, sold for nothing but avoiding 1 t CO2e per t.
 * Economic optimum: all to W, E = 100 x (10 - 0.2891) = 971.09, G = 0.
 * GHG optimum: all to F, G = -100 t, E = -50.
 * A frontier of 3 points has these two at its ends; in the middle (G <= -50) 50 t go each
 * way: E = 50 x 9.7109 - 50 = 435.55.
 */
static void test_optimize__pareto_endpoints(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0.2);
	material(c, "m", 0);
	material(c, "p", 0);
	offer(c, "s", "S", EIC_OFFER_HAVE, "m", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "m", 100, NAN, NAN);
	facility(c, "F", 0, 0, 10);
	level(c, "F", "only", 100, 0, 50);
	coef(c, "F", "m", EIC_DIR_INPUT, 1);
	coef(c, "F", "p", EIC_DIR_OUTPUT, 1);
	eic_opt_options o = plain_options();
	o.cost_per_tkm = 0.01;
	o.disposal_fee_per_t = 0;
	o.virgin_price_per_t = NAN; /* the hook or the default 0 */
	o.factor = pareto_factor;
	double per_t = 10 - 0.01 * eic_spatial_distance_km(0, 0, 0, 0.2) * 1.3;
	assert_true(fabs(per_t - 9.7109) < 1e-3);

	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	double e_star = eic_opt_economic(r);
	assert_near(100 * per_t, e_star, "economic optimum");
	assert_near(0, eic_opt_ghg(r), "GHG at the economic optimum");
	assert_null(find_facility(r, "F")->level);
	eic_opt_free(r);

	o.objective = EIC_OPT_GHG;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	double g_star = eic_opt_ghg(r);
	assert_near(-100, g_star, "GHG optimum");
	assert_near(-50, eic_opt_economic(r), "economics at the GHG optimum");
	assert_string_equal(find_facility(r, "F")->level, "only");
	eic_opt_free(r);

	o.objective = EIC_OPT_ECONOMIC;
	o.pareto_points = 3;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_point_count(r), 3);
	const eic_opt_point *p0 = eic_opt_point_at(r, 0), *p1 = eic_opt_point_at(r, 1),
	                    *p2 = eic_opt_point_at(r, 2);
	assert_near(e_star, p0->economic, "first point = economic optimum");
	assert_near(0, p0->ghg_t_co2e, "first point GHG");
	assert_near(g_star, p2->ghg_t_co2e, "last point = GHG optimum");
	assert_near(-50, p2->economic, "last point economics");
	assert_near(-50, p1->ghg_t_co2e, "middle point GHG");
	assert_near(50 * per_t - 50, p1->economic, "middle point economics");
	assert_string_equal(p2->open_facilities, "F:only");
	assert_string_equal(p0->open_facilities, "");
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(eic_opt_point_at(r, i)->status, EIC_MILP_OPTIMAL);
	eic_opt_free(r);

	/* weighted: w = 1 is the economic optimum, w = 0 the GHG optimum */
	o.pareto_points = 0;
	o.objective = EIC_OPT_WEIGHTED;
	o.weight = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_near(e_star, eic_opt_economic(r), "weight 1");
	eic_opt_free(r);
	o.weight = 0;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_near(g_star, eic_opt_ghg(r), "weight 0");
	eic_opt_free(r);
	eic_cluster_free(c);
}

static void material_in(eic_cluster *c, const char *id, const char *category)
{
	eic_material m;
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.name = id;
	m.category = category;
	assert_int_equal(eic_cluster_add_material(c, &m), 0);
}

static void flow(eic_cluster *c, const char *id, const char *from, const char *to, const char *mat,
                 double t)
{
	eic_flow f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	f.from = from;
	f.to = to;
	f.material = mat;
	f.quantity = t;
	f.unit = "t";
	f.period = "2023";
	f.sd = f.rel_sd = NAN;
	f.quality = EIC_QUALITY_ESTIMATED;
	assert_int_equal(eic_cluster_add_flow(c, &f), 0);
}

static double factor_value(const eic_factors *f, const char *parameter, const char *key)
{
	const eic_factor *x = eic_factors_get(f, parameter, key);
	if (!x)
		fail_msg("factor %s/%s missing from data/factors", parameter, key);
	return x->value;
}

/*
 * Avoided disposal emissions from the impact module. A farmer S burns its 100 t/yr of straw
 * in the open in business as usual (flow to boundary:open_burning, year 2023) and offers
 * them; W, 0.1 degree of longitude away on latitude 10 N, wants 150 t/yr. The cluster has no
 * scenario file, so the derived scenario applies: straw (category biomass/agri_residue) is
 * IPCC waste type wood_straw, GWP100 AR5. Open burning of one tonne, IPCC 2006 Vol. 5 Ch. 5,
 * with the factors of data/factors read here (not copied, since their values may be
 * revised):
 *   fossil CO2 = dm CF FCF OF 44/12 (t), CH4 = EF_CH4_ob (kg, wet), N2O = dm EF_N2O_ob (kg)
 *   e = 1000 CO2 + GWP_CH4 CH4 + GWP_N2O N2O   kg CO2e per t
 * (with the 2026-11-29 tables: 0 + 28 x 6.5 + 265 x 0.85 x 0.15 = 215.79 kg CO2e/t).
 * With transport at 0.1 kg CO2e per t-km over km = great circle x 1.3, the GHG optimum sends
 * all 100 t: G = 100 (0.1 km - e) / 1000 t CO2e/yr. Offered 200 t/yr, of which 100 burnt, the
 * factor is spread: e/2 per t on the 150 t the want takes. An explicit --ghg-disposal wins;
 * with ghg_from_impact 0 only transport remains.
 */
static void test_optimize__impact_open_burning(void **state)
{
	(void)state;
	eic_factors *f = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_factors_new(&f), 0);
	assert_int_equal(eic_diags_new(&d, 20), 0);
	assert_int_equal(eic_factors_load_dir(f, NULL, d), 0);
	double dm = factor_value(f, "dm", "wood_straw"), cf = factor_value(f, "CF", "wood_straw");
	double fcf = factor_value(f, "FCF", "wood_straw"),
	       of = factor_value(f, "OF", "open_burning");
	double ch4 = factor_value(f, "EF_CH4_ob", "msw"), n2o = factor_value(f, "EF_N2O_ob", "msw");
	double gwp_ch4 = 0, gwp_n2o = 0;
	assert_int_equal(eic_factors_gwp(&gwp_ch4, f, "AR5", "CH4", NULL), 0);
	assert_int_equal(eic_factors_gwp(&gwp_n2o, f, "AR5", "N2O", NULL), 0);
	double e = 1000 * dm * cf * fcf * of * 44.0 / 12.0 + gwp_ch4 * ch4 + gwp_n2o * dm * n2o;
	assert_true(e > 100 && e < 1000); /* a few hundred kg CO2e per t */

	eic_cluster *c = new_cluster("USD");
	eic_period per = {"2023", "2023-01-01", "2023-12-31", NULL};
	assert_int_equal(eic_cluster_add_period(c, &per), 0);
	actor(c, "S", EIC_ACTOR_FIRM, 10, 100);
	actor(c, "W", EIC_ACTOR_FIRM, 10, 100.1);
	material_in(c, "straw", "biomass/agri_residue/straw");
	material_in(c, "husk", "biomass/agri_residue/husk");
	flow(c, "burn", "S", "boundary:open_burning", "straw", 100);
	offer(c, "s", "S", EIC_OFFER_HAVE, "straw", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "straw", 150, NAN, NAN);
	offer(c, "h", "S", EIC_OFFER_HAVE, "husk", 10, NAN, NAN); /* not disposed: 0 */
	double km = eic_spatial_distance_km(10, 100, 10, 100.1) * 1.3;
	eic_opt_result *r = NULL;
	eic_opt_options o = plain_options();
	o.disposal_kg_co2e_per_t = NAN; /* from the impact module */
	o.kg_co2e_per_tkm = 0.1;
	o.objective = EIC_OPT_GHG;
	assert_int_equal(eic_opt_run(&r, c, &o, d), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_near(100 * (0.1 * km - e) / 1000, eic_opt_ghg(r), "GHG = transport - burning");
	assert_near(100, flow_total(r, "S", "W"), "straw exchanged");
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
	                     "for straw offered by S (s), from business as usual: open burning "
	                     "(flow burn, 100 t/yr) of waste type wood_straw"));
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
	                     "avoided disposal emissions: 0 for husk (not sent to landfill"));
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r, "GWP100 AR5"));
	eic_opt_free(r);

	/* an explicit factor takes precedence */
	o.disposal_kg_co2e_per_t = 50;
	assert_int_equal(eic_opt_run(&r, c, &o, d), 0);
	assert_near(100 * (0.1 * km - 50) / 1000, eic_opt_ghg(r), "explicit factor");
	eic_opt_free(r);
	/* switched off: transport only, so the GHG optimum exchanges nothing */
	o.disposal_kg_co2e_per_t = NAN;
	o.ghg_from_impact = 0;
	assert_int_equal(eic_opt_run(&r, c, &o, d), 0);
	assert_near(0, eic_opt_ghg(r), "transport only");
	assert_int_equal(eic_opt_flow_count(r), 0);
	eic_opt_free(r);
	eic_cluster_free(c);

	/* offered 200 t/yr, 100 of them burnt: e x 100 / 200 per t on the 150 t wanted */
	c = new_cluster("USD");
	assert_int_equal(eic_cluster_add_period(c, &per), 0);
	actor(c, "S", EIC_ACTOR_FIRM, 10, 100);
	actor(c, "W", EIC_ACTOR_FIRM, 10, 100.1);
	material_in(c, "straw", "biomass/agri_residue/straw");
	flow(c, "burn", "S", "boundary:open_burning", "straw", 100);
	flow(c, "field", "S", "boundary:stock", "straw", 100);
	offer(c, "s", "S", EIC_OFFER_HAVE, "straw", 200, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "straw", 150, NAN, NAN);
	o.ghg_from_impact = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, d), 0);
	assert_near(150 * (0.1 * km - e / 2) / 1000, eic_opt_ghg(r), "spread over the offer");
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
	                     "spread over the 200 t/yr offered, of which 100 t/yr disposed"));
	eic_opt_free(r);
	eic_cluster_free(c);
	eic_factors_free(f);
	eic_diags_free(d);
}

/*
 * A material dumped in business as usual whose waste type is unknown (manure: IPCC gives no
 * row, the default mapping none): not a silent zero. It is named in the defaults (NOT
 * COUNTED), or, with ghg_strict, the run fails with EIC_EINVALID naming it.
 */
static void test_optimize__impact_missing_factor(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_period per = {"2023", "2023-01-01", "2023-12-31", NULL};
	assert_int_equal(eic_cluster_add_period(c, &per), 0);
	actor(c, "P", EIC_ACTOR_FIRM, 10, 100);
	actor(c, "W", EIC_ACTOR_FIRM, 10, 100);
	material_in(c, "manure", "biomass/manure");
	flow(c, "dump", "P", "boundary:open_dumping", "manure", 500);
	offer(c, "p", "P", EIC_OFFER_HAVE, "manure", 500, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "manure", 500, NAN, NAN);
	eic_opt_result *r = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 20), 0);
	eic_opt_options o = plain_options();
	o.disposal_kg_co2e_per_t = NAN;
	assert_int_equal(eic_opt_run(&r, c, &o, d), 0);
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
	                     "NOT COUNTED (0) for manure offered by P (p)"));
	assert_true(
	    has_text(eic_opt_default, eic_opt_default_count, r, "no waste type for manure"));
	assert_near(0, eic_opt_ghg(r), "nothing counted");
	eic_opt_free(r);
	o.ghg_strict = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVALID);
	assert_null(r);
	int named = 0;
	for (size_t i = 0; i < eic_diags_count(d); i++)
		named |= strstr(eic_diags_get(d, i)->message, "manure offered by P") != NULL;
	assert_true(named);
	/* an unknown climate zone is refused */
	o.ghg_strict = 0;
	o.climate_zone = "arctic";
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	eic_diags_free(d);
	eic_cluster_free(c);
}

/* Write `text` to km.csv in a fresh directory and return its path (one of 8 static slots). */
static const char *write_matrix(const char *tag, const char *text)
{
	static char path[8][512];
	static int slot;
	char *dir = eic_test_tmpdir(tag);
	char *p = path[slot++ % 8];
	snprintf(p, 512, "%s/km.csv", dir);
	free(dir);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return p;
}

static int diag_has(const eic_diags *d, const char *needle, int line, int column)
{
	for (size_t i = 0; i < eic_diags_count(d); i++) {
		const eic_diag *g = eic_diags_get(d, i);
		if (strstr(g->message, needle) && (line < 0 || g->line == line) &&
		    (column < 0 || g->column == column))
			return 1;
	}
	return 0;
}

/*
 * Distance matrix. S and W lie 0.1 degree apart on the equator (great circle 11.12 km x 1.3 =
 * 14.46 km); disposal fee 2/t, transport 0.1/t-km, transport emissions 0.2 kg CO2e/t-km:
 * - no matrix: 2 - 1.446 = 0.554/t, all 100 t go (55.4/yr; test above);
 * - matrix W,S = 5 km (either order serves): 2 - 0.5 = 1.5/t, 100 t go, 150/yr, distance 5,
 *   transport 50/yr, emissions 100 x 5 x 0.2 / 1000 = 0.1 t CO2e/yr;
 * - matrix S,W = 30 km: 2 - 3 = -1/t, too costly: nothing goes, although the great circle
 *   would pay;
 * - matrix S,W = 60 km: beyond the 50 km maximum: no candidate arc at all;
 * - a matrix without S,W is refused naming the pair; a facility F taking the material needs
 *   S,F as well;
 * - a malformed km is refused at file:line:column (line 2, column 5).
 */
static void test_optimize__distance_matrix(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	eic_diags *d = NULL;
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0.1);
	material(c, "husk", 0);
	offer(c, "s", "S", EIC_OFFER_HAVE, "husk", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "husk", 150, NAN, NAN);
	eic_opt_options o = plain_options();
	o.disposal_fee_per_t = 2;
	o.kg_co2e_per_tkm = 0.2;

	o.distance_matrix = write_matrix("optmatrix5", "from_actor,to_actor,km\nW,S,5\n");
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_int_equal(eic_opt_flow_count(r), 1);
	const eic_opt_flow *f = eic_opt_flow_at(r, 0);
	assert_near(100, f->quantity, "quantity");
	assert_near(5, f->distance_km, "matrix distance");
	assert_near(50, f->transport_cost, "transport cost");
	assert_near(150, eic_opt_economic(r), "net benefit");
	assert_near(0.1, eic_opt_ghg(r), "transport emissions");
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
	                     "road distances: from the distance matrix"));
	eic_opt_free(r);

	o.distance_matrix = write_matrix("optmatrix30", "from_actor,to_actor,km\r\nS,W,30\r\n");
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
	assert_int_equal(eic_opt_stats_of(r).candidate_arcs, 1);
	assert_int_equal(eic_opt_flow_count(r), 0);
	assert_near(0, eic_opt_economic(r), "too costly");
	eic_opt_free(r);

	o.distance_matrix = write_matrix("optmatrix60", "from_actor,to_actor,km\nS,W,60\n");
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_stats_of(r).candidate_arcs, 0);
	eic_opt_free(r);
	o.require_demand = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
	assert_int_equal(eic_opt_status(r), EIC_MILP_INFEASIBLE);
	assert_true(has_text(eic_opt_reason, eic_opt_reason_count, r,
	                     "beyond the maximum distance of 50 km (nearest 60.0 km)"));
	eic_opt_free(r);
	o.require_demand = 0;

	assert_int_equal(eic_diags_new(&d, 10), 0);
	o.distance_matrix = write_matrix("optmatrixgap", "from_actor,to_actor,km\nS,X,1\n");
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	assert_null(r);
	assert_true(diag_has(d, "does not cover the pair S,W", -1, -1));
	eic_diags_free(d);

	/* a facility is a site of its own in the matrix */
	facility(c, "F", 0, 0, 10);
	level(c, "F", "one", 1000, 0, 0);
	coef(c, "F", "husk", EIC_DIR_INPUT, 1);
	assert_int_equal(eic_diags_new(&d, 10), 0);
	o.distance_matrix = write_matrix("optmatrixfac", "from_actor,to_actor,km\nS,W,5\n");
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	assert_true(diag_has(d, "does not cover the pair S,F", -1, -1));
	eic_diags_free(d);

	assert_int_equal(eic_diags_new(&d, 10), 0);
	o.distance_matrix = write_matrix("optmatrixbad", "from_actor,to_actor,km\nS,W,far\n");
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EPARSE);
	assert_true(diag_has(d, "km must be a number", 2, 5));
	assert_string_equal(eic_diags_get(d, 0)->file, o.distance_matrix);
	eic_diags_free(d);

	assert_int_equal(eic_diags_new(&d, 10), 0);
	o.distance_matrix = "/nonexistent/eic-km.csv";
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_ENOTFOUND);
	assert_true(diag_has(d, "cannot open the distance matrix", -1, -1));
	eic_diags_free(d);
	eic_cluster_free(c);
}

static void offer_priced(eic_cluster *c, const char *id, const char *actor_id, eic_offer_type type,
                         double q, double price, const char *unit)
{
	eic_offer o;
	memset(&o, 0, sizeof(o));
	o.id = id;
	o.actor = actor_id;
	o.type = type;
	o.material = "husk";
	o.quantity = q;
	o.min_quantity = o.max_quantity = NAN;
	o.unit = "t/yr";
	o.price = price;
	o.price_unit = unit;
	o.confidentiality = EIC_CONF_CLUSTER;
	assert_int_equal(eic_cluster_add_offer(c, &o), 0);
}

/*
 * Offer prices. S gives 100 t/yr of husk to W, 14.46 km away (transport 1.446/t); the
 * disposal fee option is 1/t and the virgin price option 0, so without offer prices the
 * exchange loses 1 - 1.446 = -0.446/t and nothing goes (as in the transport test).
 * - W's want priced 0.04 USD/kg = 40 USD/t: 1 + 40 - 1.446 = 39.554/t, 100 t go: 3,955.4/yr.
 * - S's have priced 5 USD/t (its disposal cost) and W unpriced: 5 - 1.446 = 3.554/t: 355.4/yr.
 * - the material's price property 40 USD/t and W's want priced 0: the offer's price comes
 *   first, -0.446/t, nothing goes; without W's price the property gives 39.554/t again.
 * - a price in EUR (no exchange rate applied) is named in the notes and not used.
 */
static void test_optimize__offer_prices(void **state)
{
	(void)state;
	eic_opt_options o = plain_options();
	eic_opt_result *r = NULL;
	double km = eic_spatial_distance_km(0, 0, 0, 0.1) * 1.3;
	struct {
		double have_price, want_price;
		const char *have_unit, *want_unit;
		int property;
		double expected;
	} cases[] = {
	    {NAN, NAN, NULL, NULL, 0, 0},
	    {NAN, 0.04, NULL, "USD/kg", 0, 100 * (1 + 40 - 0.1 * km)},
	    {5, NAN, "USD/t", NULL, 0, 100 * (5 - 0.1 * km)},
	    {NAN, 0, NULL, "USD/t", 1, 0},
	    {NAN, NAN, NULL, NULL, 1, 100 * (1 + 40 - 0.1 * km)},
	    {NAN, 50, NULL, "EUR/t", 0, 0},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		eic_cluster *c = new_cluster("USD");
		actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
		actor(c, "W", EIC_ACTOR_FIRM, 0, 0.1);
		material(c, "husk", 0);
		if (cases[k].property)
			property(c, "husk", "price", 40, "USD/t");
		offer_priced(c, "s", "S", EIC_OFFER_HAVE, 100, cases[k].have_price,
		             cases[k].have_unit);
		offer_priced(c, "w", "W", EIC_OFFER_WANT, 100, cases[k].want_price,
		             cases[k].want_unit);
		assert_int_equal(eic_opt_run(&r, c, &o, NULL), 0);
		assert_int_equal(eic_opt_status(r), EIC_MILP_OPTIMAL);
		assert_near(cases[k].expected, eic_opt_economic(r), "net benefit");
		assert_near(cases[k].expected > 0 ? 100 : 0, flow_total(r, "S", "W"), "quantity");
		if (k == 1)
			assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
			                     "offer price: 0.04 USD/kg for w (want of husk by W) = "
			                     "40 USD/t, used as the purchase its actor avoids"));
		if (k == 2)
			assert_true(has_text(eic_opt_default, eic_opt_default_count, r,
			                     "for s (have of husk by S) = 5 USD/t, used as the "
			                     "disposal cost its actor avoids"));
		if (k == 3)
			assert_false(
			    has_text(eic_opt_default, eic_opt_default_count, r, "price property"));
		if (k == 4)
			assert_true(
			    has_text(eic_opt_default, eic_opt_default_count, r,
			             "avoided virgin material price: 40 USD/t for husk (the "
			             "material's price property"));
		if (k == 5)
			assert_true(has_text(eic_opt_note, eic_opt_note_count, r,
			                     "offer w: its price 50 EUR/t cannot be converted"));
		eic_opt_free(r);
		eic_cluster_free(c);
	}
}

/* Defaults are listed; impossible options and USD defaults without a rate are refused. */
static void test_optimize__defaults_and_bad_options(void **state)
{
	(void)state;
	eic_cluster *c = new_cluster("USD");
	eic_opt_result *r = NULL;
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 10), 0);
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	actor(c, "W", EIC_ACTOR_FIRM, 0, 0);
	material(c, "husk", 0);
	offer(c, "s", "S", EIC_OFFER_HAVE, "husk", 100, NAN, NAN);
	offer(c, "w", "W", EIC_OFFER_WANT, "husk", 100, NAN, NAN);
	eic_opt_options o = EIC_OPT_OPTIONS_INIT;
	assert_int_equal(eic_opt_run(&r, c, &o, d), 0);
	/* default fee 10 USD/t at distance 0: 1,000/yr */
	assert_near(100 * EIC_OPT_DEFAULT_DISPOSAL_FEE_USD_PER_T, eic_opt_economic(r), "default");
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r, "avoided disposal fee"));
	assert_true(has_text(eic_opt_default, eic_opt_default_count, r, "transport cost"));
	eic_opt_free(r);
	o.time_limit_s = -1;
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	assert_null(r);
	o.time_limit_s = 10;
	o.pareto_points = 1;
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	o.pareto_points = 0;
	o.weight = 2;
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	o.weight = 0.5;
	o.objective = (eic_opt_objective)7;
	assert_int_equal(eic_opt_run(&r, c, &o, d), EIC_EINVAL);
	eic_cluster_free(c);

	/* A currency the shipped exchange-rate table lacks: the USD defaults cannot be used. */
	c = new_cluster("XOF");
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	eic_opt_options o2 = EIC_OPT_OPTIONS_INIT;
	assert_int_equal(eic_opt_run(&r, c, &o2, d), EIC_EINVAL);
	o2.currency_per_usd = 600;
	assert_int_equal(eic_opt_run(&r, c, &o2, d), 0);
	eic_opt_free(r);
	eic_cluster_free(c);
	/* One it has (data/finance/exchange_rates.csv): the rate is used and named. */
	c = new_cluster("DKK");
	actor(c, "S", EIC_ACTOR_FIRM, 0, 0);
	o2.currency_per_usd = NAN;
	assert_int_equal(eic_opt_run(&r, c, &o2, d), 0);
	int named = 0;
	for (size_t i = 0; i < eic_opt_default_count(r); i++)
		named |= strstr(eic_opt_default(r, i), "6.89 DKK per USD (2023 average") != NULL;
	assert_true(named);
	eic_opt_free(r);
	assert_int_equal(eic_opt_objective_parse(&o2.objective, "ghg"), 0);
	assert_int_equal(o2.objective, EIC_OPT_GHG);
	assert_int_equal(eic_opt_objective_parse(&o2.objective, "cheap"), EIC_EINVAL);
	eic_opt_free(NULL);
	eic_diags_free(d);
	eic_cluster_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_optimize__small_level),
	    cmocka_unit_test(test_optimize__transport_not_worth_it),
	    cmocka_unit_test(test_optimize__hazardous),
	    cmocka_unit_test(test_optimize__max_distance),
	    cmocka_unit_test(test_optimize__infeasible_named),
	    cmocka_unit_test(test_optimize__pareto_endpoints),
	    cmocka_unit_test(test_optimize__defaults_and_bad_options),
	    cmocka_unit_test(test_optimize__impact_open_burning),
	    cmocka_unit_test(test_optimize__impact_missing_factor),
	    cmocka_unit_test(test_optimize__distance_matrix),
	    cmocka_unit_test(test_optimize__offer_prices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
