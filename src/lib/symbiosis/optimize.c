/* optimize.c: the exchange-network MILP of a cluster: candidate arcs between offers and shared
 * facilities, facility levels, balances and limits; solves for each objective, the Pareto
 * frontier by epsilon-constraint, and the reasons of an infeasible model. */
#include "optimize_private.h"

#include <eic/finance.h>
#include <eic/spatial.h>
#include <eic/units.h>

#include "util/util.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLOW_TOL 1e-6
#define NONE ((size_t)-1)
#define PHYSICAL_WEIGHT 1000.0

static const char *const dim_rate[3] = {"t/yr", "m3/yr", "GJ/yr"};
static const char *const dim_amount[3] = {"t", "m3", "GJ"};

struct eic_opt_result {
	eic_arena arena;
	eic_opt_objective objective;
	eic_milp_status status;
	const char *status_text;
	double economic, ghg, gap, time_s;
	const char *currency;
	eic_opt_stats stats;
	eic_vec flows;                    /* eic_opt_flow */
	eic_vec facilities;               /* eic_opt_facility */
	eic_vec points;                   /* eic_opt_point */
	eic_vec reasons, defaults, notes; /* const char * */
};

/* A material as the model sees it: its unit and per-unit factors. */
typedef struct {
	const char *id;
	int dim;              /* 0 mass, 1 volume, 2 energy */
	double mass_per_unit; /* t per model unit; NaN when unknown */
	double factor[EIC_OPT_FACTOR__N];
	int defaulted[EIC_OPT_FACTOR__N];
	int used_disposal, used_virgin;
	int price_from_property;  /* the virgin price is the material's price property */
	int fee_used, price_used; /* an offer without its own price (or a sale) uses them */
} mat_info;

typedef struct {
	const eic_offer *offer;
	const eic_actor *actor;
	size_t mat;
	double hi, lo; /* model units per year */
	int have;
	size_t row_cap, row_min, lot_col;
	size_t arcs, far, hazard;
	double nearest_far_km;
	double disposal_ghg; /* kg CO2e avoided per model unit not disposed (haves) */
	/* money per model unit: a have's avoided disposal cost, a want's avoided purchase; the
	 * offer's own price when it has one, else the material's factor (offer_money) */
	double money;
} node;

typedef struct {
	const eic_facility *f;
	size_t tcol;
	size_t lvl_first, lvl_count; /* into fac_levels */
	size_t row_cap;
	int permitted;
} fac_info;

typedef struct {
	const eic_facility_level *level;
	size_t fac, col;
	double annual_cost;
} lvl_info;

/* A coefficient of a facility converted to model units per capacity unit. */
typedef struct {
	size_t fac, mat;
	int output;
	double per_unit;
	size_t row, market_col;
} coef_info;

/* A flow column: an arc or a sale to the market. */
typedef struct {
	eic_opt_end_kind from_kind, to_kind;
	size_t from, to; /* node or facility index; NONE for the market */
	size_t mat, col;
	double km, tcost_per_unit;
} arc_info;

typedef enum {
	ROW_SUPPLY,
	ROW_DEMAND_MAX,
	ROW_DEMAND_MIN,
	ROW_LEVEL,
	ROW_CAPACITY,
	ROW_BALANCE,
	ROW_GHG
} row_kind;

typedef struct {
	row_kind kind;
	size_t index; /* node, facility or coefficient */
} row_info;

typedef struct {
	const eic_cluster *c;
	const eic_opt_options *o;
	eic_diags *diags;
	eic_opt_result *res;
	const char *currency;
	double usd, cost_tkm, kg_tkm, max_km, rate;
	int usd_defaults_ok;
	int usd_from_table;    /* the rate came from the shipped exchange-rate table */
	eic_fin_rate rate_row; /* that row */
	eic_vec mats, nodes, facs, lvls, coefs, arcs, rows; /* see the types above */
	eic_map mat_index;
	eic_milp *milp;
	double *econ, *ghg; /* per column */
	size_t ncol, ghg_row;
	eic_milp_options solve;
	eic_opt__impact *impact; /* avoided disposal emissions from the impact module */
	eic_opt__matrix *matrix; /* the user distance matrix, or NULL */
} opt_ctx;

static int fail(opt_ctx *x, int code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(opt_ctx *x, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (x->diags && eic_diags_add(x->diags, EIC_SEV_ERROR, "", 0, 0, "%s", msg) < 0)
		return EIC_ENOMEM;
	return code;
}

static int add_text(opt_ctx *x, eic_vec *list, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int add_text(opt_ctx *x, eic_vec *list, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char *s = eic_arena_strdup(&x->res->arena, msg);
	return s && eic_vec_push(list, &s) ? 0 : EIC_ENOMEM;
}

const char *eic_opt_objective_name(eic_opt_objective objective)
{
	switch (objective) {
	case EIC_OPT_ECONOMIC:
		return "economic";
	case EIC_OPT_GHG:
		return "ghg";
	case EIC_OPT_WEIGHTED:
		return "weighted";
	default:
		return "unknown";
	}
}

int eic_opt_objective_parse(eic_opt_objective *out, const char *text)
{
	if (!out || !text)
		return EIC_EINVAL;
	if (!strcmp(text, "economic"))
		*out = EIC_OPT_ECONOMIC;
	else if (!strcmp(text, "ghg"))
		*out = EIC_OPT_GHG;
	else if (!strcmp(text, "weighted"))
		*out = EIC_OPT_WEIGHTED;
	else
		return EIC_EINVAL;
	return 0;
}

/* ---- units and factors ---- */

/* A quantity as a yearly rate in the model unit of its dimension: a rate directly, a plain
 * amount taken as per year. Returns the dimension (0 mass, 1 volume, 2 energy) or -1. */
static int to_rate(double *out, double v, const char *unit)
{
	for (int d = 0; d < 3; d++)
		if (eic_unit_convert(out, v, unit, dim_rate[d]) == 0 ||
		    eic_unit_convert(out, v, unit, dim_amount[d]) == 0)
			return d;
	return -1;
}

static const char *material_label(const opt_ctx *x, const char *id)
{
	const eic_material *m = eic_cluster_find_material(x->c, id);
	return m && !eic_str_empty(m->name) ? m->name : id;
}

static const char *actor_label(const eic_actor *a, const char *fallback)
{
	return a && !eic_str_empty(a->name) ? a->name : fallback;
}

/* A price in `unit` (money per mass, volume or energy) in the cluster currency per model unit
 * of dimension `dim`, or NaN when it cannot be converted (another currency: no exchange rate is
 * applied; another dimension). Material prices and offer prices go through here. */
static double money_per_unit(const opt_ctx *x, double value, const char *unit, int dim)
{
	char target[64];
	double v;
	if (!isfinite(value) || eic_str_empty(unit))
		return NAN;
	snprintf(target, sizeof(target), "%s/%s", x->currency, dim_amount[dim]);
	if (eic_unit_convert(&v, value, unit, target) == 0)
		return v;
	return NAN;
}

/* Price property of a material in the cluster currency per model unit, or NaN. */
static double price_property(opt_ctx *x, const char *material, int dim)
{
	const eic_property *p = eic_cluster_find_property(x->c, material, "price");
	return p ? money_per_unit(x, p->value, p->unit, dim) : NAN;
}

/* Resolve one factor: the hook, the material's price property (prices), the option, the
 * default. Money defaults are per t in USD and apply to mass materials only. */
static int resolve_factor(opt_ctx *x, mat_info *mi, eic_opt_factor_kind kind)
{
	const char *source = NULL;
	double v = NAN, opt;
	if (x->o->factor) {
		int rc = x->o->factor(&v, &source, x->o->factor_ctx, x->c, mi->id, kind);
		if (rc == 0 && isfinite(v)) {
			mi->factor[kind] = v;
			return 0;
		}
		if (rc < 0 && rc != EIC_ENOTFOUND)
			return fail(x, rc, "the factor hook failed for %s", mi->id);
	}
	if (kind == EIC_OPT_FACTOR_VIRGIN_PRICE) {
		v = price_property(x, mi->id, mi->dim);
		if (!isnan(v)) {
			mi->factor[kind] = v;
			mi->price_from_property = 1;
			return 0;
		}
	}
	switch (kind) {
	case EIC_OPT_FACTOR_DISPOSAL_FEE:
		opt = x->o->disposal_fee_per_t;
		break;
	case EIC_OPT_FACTOR_VIRGIN_PRICE:
		opt = x->o->virgin_price_per_t;
		break;
	case EIC_OPT_FACTOR_DISPOSAL_GHG:
		opt = x->o->disposal_kg_co2e_per_t;
		break;
	default:
		opt = x->o->virgin_kg_co2e_per_t;
		break;
	}
	if (!isnan(opt)) {
		/* per t: a mass material directly, others through their mass per unit */
		double mpu = mi->dim == 0 ? 1.0 : mi->mass_per_unit;
		mi->factor[kind] = isnan(mpu) ? 0 : opt * mpu;
		mi->defaulted[kind] = isnan(mpu) ? 2 : 0;
		return 0;
	}
	mi->defaulted[kind] = 1;
	if (kind == EIC_OPT_FACTOR_DISPOSAL_FEE && x->usd_defaults_ok) {
		double mpu = mi->dim == 0 ? 1.0 : mi->mass_per_unit;
		mi->factor[kind] =
		    isnan(mpu) ? 0 : EIC_OPT_DEFAULT_DISPOSAL_FEE_USD_PER_T * x->usd * mpu;
		if (isnan(mpu))
			mi->defaulted[kind] = 2;
	} else {
		mi->factor[kind] = 0;
	}
	return 0;
}

/* Index of a material's info, adding it (dimension `dim`) when first seen; NONE when the
 * material is already known with another dimension. */
static int get_mat(opt_ctx *x, size_t *out, const char *id, int dim)
{
	size_t i;
	if (eic_map_get(&x->mat_index, id, &i)) {
		*out = EIC_VEC_AT(&x->mats, mat_info, i)->dim == dim ? i : NONE;
		return 0;
	}
	mat_info mi;
	memset(&mi, 0, sizeof(mi));
	mi.id = id;
	mi.dim = dim;
	mi.mass_per_unit = dim == 0 ? 1.0 : NAN;
	if (dim == 1) {
		const eic_property *d = eic_cluster_find_property(x->c, id, "density");
		double t;
		if (d && eic_unit_convert(&t, d->value, d->unit, "t/m3") == 0 && t > 0)
			mi.mass_per_unit = t;
	}
	for (int k = 0; k < EIC_OPT_FACTOR__N; k++) {
		int error = resolve_factor(x, &mi, (eic_opt_factor_kind)k);
		if (error < 0)
			return error;
	}
	if (!eic_vec_push(&x->mats, &mi) || eic_map_put(&x->mat_index, id, x->mats.len - 1) < 0)
		return EIC_ENOMEM;
	*out = x->mats.len - 1;
	return 0;
}

/* ---- options ---- */

static double or_default(double v, double d)
{
	return isnan(v) ? d : v;
}

static int check_options(opt_ctx *x)
{
	const eic_opt_options *o = x->o;
	if (o->version < 1 || o->version > EIC_OPT_OPTIONS_VERSION)
		return fail(x, EIC_EINVAL, "unknown optimisation options version %u", o->version);
	if ((unsigned)o->objective > EIC_OPT_WEIGHTED)
		return fail(x, EIC_EINVAL, "unknown objective %d (economic, ghg or weighted)",
		            (int)o->objective);
	if (!(o->weight >= 0 && o->weight <= 1))
		return fail(x, EIC_EINVAL, "the weight must lie in [0, 1]; found %g", o->weight);
	if (o->pareto_points == 1 || o->pareto_points > 1000)
		return fail(x, EIC_EINVAL, "the Pareto frontier needs 2 to 1000 points; found %zu",
		            o->pareto_points);
	if (!(o->time_limit_s > 0) || !isfinite(o->time_limit_s))
		return fail(x, EIC_EINVAL,
		            "the time limit must be a finite number of seconds > 0; found %g",
		            o->time_limit_s);
	if (!(o->rel_gap >= 0 && o->rel_gap < 1))
		return fail(x, EIC_EINVAL, "the relative gap must lie in [0, 1); found %g",
		            o->rel_gap);
	if (!isnan(o->max_distance_km) && !(o->max_distance_km > 0 && isfinite(o->max_distance_km)))
		return fail(x, EIC_EINVAL,
		            "the maximum distance must be a number of km > 0; found %g",
		            o->max_distance_km);
	if (!(o->circuity >= 1) || !isfinite(o->circuity))
		return fail(x, EIC_EINVAL, "circuity must be a finite number >= 1; found %g",
		            o->circuity);
	const double money[] = {o->cost_per_tkm, o->disposal_fee_per_t, o->virgin_price_per_t,
	                        o->kg_co2e_per_tkm};
	const char *names[] = {"transport cost per t-km", "disposal fee", "virgin price",
	                       "transport emission factor"};
	for (int i = 0; i < 4; i++)
		if (!isnan(money[i]) && !(money[i] >= 0 && isfinite(money[i])))
			return fail(x, EIC_EINVAL, "the %s must be a finite number >= 0; found %g",
			            names[i], money[i]);
	if (!isnan(o->disposal_kg_co2e_per_t) && !isfinite(o->disposal_kg_co2e_per_t))
		return fail(x, EIC_EINVAL, "the disposal emission factor must be finite");
	if (!isnan(o->virgin_kg_co2e_per_t) && !isfinite(o->virgin_kg_co2e_per_t))
		return fail(x, EIC_EINVAL, "the virgin emission factor must be finite");
	if (!isnan(o->discount_rate) && !(o->discount_rate > -1 && o->discount_rate <= 1))
		return fail(x, EIC_EINVAL, "the discount rate must lie in (-1, 1]; found %g",
		            o->discount_rate);
	if (!isnan(o->currency_per_usd) &&
	    !(o->currency_per_usd > 0 && isfinite(o->currency_per_usd)))
		return fail(x, EIC_EINVAL, "the exchange rate must be a number > 0; found %g",
		            o->currency_per_usd);
	if (o->climate_zone && strcmp(o->climate_zone, "boreal_temperate_dry") &&
	    strcmp(o->climate_zone, "boreal_temperate_wet") &&
	    strcmp(o->climate_zone, "tropical_dry") && strcmp(o->climate_zone, "tropical_wet"))
		return fail(x, EIC_EINVAL, "unknown climate zone '%s' (expected %s)",
		            o->climate_zone, EIC_FOD_CLIMATE_ZONES);
	if (o->horizon_years > EIC_FOD_MAX_YEARS)
		return fail(x, EIC_EINVAL,
		            "the landfill methane horizon must be 1 to %d years; found %zu",
		            EIC_FOD_MAX_YEARS, o->horizon_years);
	if (o->threads < 1 || o->threads > 256)
		return fail(x, EIC_EINVAL, "solver threads must lie in [1, 256]; found %d",
		            o->threads);
	return 0;
}

/* Exchange rate for the USD defaults. Without one for a non-USD cluster, the money defaults
 * cannot be used: an error if they are needed (transport cost or disposal fee not given). */
static int set_money(opt_ctx *x)
{
	const eic_cluster_info *info = eic_cluster_info_get(x->c);
	x->currency = info && !eic_str_empty(info->currency) ? info->currency : "USD";
	x->usd_from_table = 0;
	if (!isnan(x->o->currency_per_usd))
		x->usd = x->o->currency_per_usd;
	else if (!strcmp(x->currency, "USD"))
		x->usd = 1;
	else if (eic_fin_usd_rate(&x->rate_row, x->currency, NULL, NULL, 0) == 0) {
		/* the shipped table (data/finance/exchange_rates.csv), named in the defaults */
		x->usd = x->rate_row.per_usd;
		x->usd_from_table = 1;
	} else
		x->usd = NAN;
	x->usd_defaults_ok = !isnan(x->usd);
	if (!x->usd_defaults_ok && (isnan(x->o->cost_per_tkm) || isnan(x->o->disposal_fee_per_t)))
		return fail(
		    x, EIC_EINVAL,
		    "the cluster's currency is %s but the defaults for the transport cost "
		    "(%.2f USD/t-km) and the disposal fee (%.0f USD/t) are in USD: give the "
		    "exchange rate (%s per USD), or both numbers in %s",
		    x->currency, EIC_OPT_DEFAULT_COST_PER_TKM_USD,
		    EIC_OPT_DEFAULT_DISPOSAL_FEE_USD_PER_T, x->currency, x->currency);
	x->cost_tkm = or_default(x->o->cost_per_tkm, EIC_OPT_DEFAULT_COST_PER_TKM_USD * x->usd);
	x->kg_tkm = or_default(x->o->kg_co2e_per_tkm, EIC_OPT_DEFAULT_KG_CO2E_PER_TKM);
	x->max_km = or_default(x->o->max_distance_km, EIC_OPT_DEFAULT_MAX_DISTANCE_KM);
	x->rate = or_default(x->o->discount_rate, EIC_OPT_DEFAULT_DISCOUNT_RATE);
	return 0;
}

/* ---- the model ---- */

static int permitted_id(const opt_ctx *x, const char *id)
{
	const char *p = x->o->permitted;
	size_t n = strlen(id);
	while (p && *p) {
		size_t len = strcspn(p, ",");
		while (len && *p == ' ')
			p++, len--;
		if (len == n && !strncmp(p, id, n))
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int hazardous(const opt_ctx *x, const char *material)
{
	const eic_material *m = eic_cluster_find_material(x->c, material);
	return m && m->hazardous;
}

static int add_col(opt_ctx *x, size_t *out, const char *name, double lb, double ub, double econ,
                   double ghg, int integer)
{
	int error = eic_milp_add_col(x->milp, out, name, lb, ub, 0, integer);
	if (error < 0)
		return error;
	if (*out >= x->ncol) {
		size_t cap = x->ncol ? x->ncol * 2 : 256;
		double *e = eic_realloc(x->econ, cap * sizeof(double));
		if (!e)
			return EIC_ENOMEM;
		x->econ = e;
		double *g = eic_realloc(x->ghg, cap * sizeof(double));
		if (!g)
			return EIC_ENOMEM;
		x->ghg = g;
		x->ncol = cap;
	}
	x->econ[*out] = econ;
	x->ghg[*out] = ghg;
	return 0;
}

static int add_row(opt_ctx *x, row_kind kind, size_t index, const char *name, double lb, double ub,
                   size_t nz, const size_t *cols, const double *vals)
{
	row_info ri = {kind, index};
	size_t row;
	int error = eic_milp_add_row(x->milp, &row, name, NULL, lb, ub, nz, cols, vals);
	if (error < 0)
		return error;
	/* the analysis of an infeasible model relaxes requirements (a want's minimum, the GHG
	 * limit) before physical limits */
	if (kind != ROW_DEMAND_MIN && kind != ROW_GHG &&
	    (error = eic_milp_set_row_weight(x->milp, row, PHYSICAL_WEIGHT)) < 0)
		return error;
	return eic_vec_push(&x->rows, &ri) ? 0 : EIC_ENOMEM;
}

/* The money of an offer per model unit (docs/methods/optimization.md, "Offer prices"): its own
 * price when it has one that converts to the cluster currency per model unit (a have: what
 * its actor pays to dispose of it, avoided; a want: what its actor pays for it, avoided),
 * listed with the defaults; else the material's disposal fee or virgin price. A price that
 * cannot be converted is named in the notes and the material's number is used. */
static int offer_money(opt_ctx *x, node *n, mat_info *mi)
{
	const eic_offer *o = n->offer;
	eic_opt_factor_kind kind =
	    n->have ? EIC_OPT_FACTOR_DISPOSAL_FEE : EIC_OPT_FACTOR_VIRGIN_PRICE;
	double v = money_per_unit(x, o->price, o->price_unit, mi->dim);
	char a[64], b[64];
	n->money = mi->factor[kind];
	if (!isnan(v)) {
		n->money = v;
		eic_fmt_amount(a, sizeof(a), o->price);
		eic_fmt_amount(b, sizeof(b), v);
		return add_text(x, &x->res->defaults,
		                "offer price: %s %s for %s (%s of %s by %s) = %s %s/%s, used as %s "
		                "(offer price over the material's %s)",
		                a, o->price_unit, o->id, n->have ? "have" : "want", mi->id,
		                o->actor, b, x->currency, dim_amount[mi->dim],
		                n->have ? "the disposal cost its actor avoids"
		                        : "the purchase its actor avoids",
		                n->have ? "disposal fee" : "price");
	}
	if (n->have)
		mi->fee_used = 1;
	else
		mi->price_used = 1;
	if (isfinite(o->price) && !eic_str_empty(o->price_unit))
		return add_text(
		    x, &x->res->notes,
		    "offer %s: its price %g %s cannot be converted to %s/%s (no exchange "
		    "rate is applied, and the dimension must match the offer's); the "
		    "material's %s is used",
		    o->id, o->price, o->price_unit, x->currency, dim_amount[mi->dim],
		    n->have ? "disposal fee" : "price");
	return 0;
}

/* Read the offers into nodes (model units); offers that cannot be used become notes. */
static int read_offers(opt_ctx *x)
{
	int error = 0;
	for (size_t i = 0; i < eic_cluster_offer_count(x->c); i++) {
		const eic_offer *o = eic_cluster_offer(x->c, i);
		node n;
		double q, hi, lo;
		memset(&n, 0, sizeof(n));
		n.offer = o;
		n.actor = eic_cluster_find_actor(x->c, o->actor);
		n.have = o->type == EIC_OFFER_HAVE;
		n.row_cap = n.row_min = n.lot_col = NONE;
		n.nearest_far_km = INFINITY;
		int dim = to_rate(&q, o->quantity, o->unit);
		if (dim < 0) {
			if ((error =
			         add_text(x, &x->res->notes,
			                  "offer %s left out: its unit %s is not a mass, volume "
			                  "or energy (or a rate of one)",
			                  o->id, o->unit)) < 0)
				return error;
			continue;
		}
		if ((error = get_mat(x, &n.mat, o->material, dim)) < 0)
			return error;
		if (n.mat == NONE) {
			if ((error = add_text(x, &x->res->notes,
			                      "offer %s left out: %s is measured in another "
			                      "dimension by other offers or facilities",
			                      o->id, o->material)) < 0)
				return error;
			continue;
		}
		hi = q;
		lo = 0;
		if (!isnan(o->max_quantity))
			to_rate(&hi, o->max_quantity, o->unit);
		if (!isnan(o->min_quantity))
			to_rate(&lo, o->min_quantity, o->unit);
		n.hi = hi;
		n.lo = x->o->require_demand && !n.have && isnan(o->min_quantity) ? q : lo;
		mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, n.mat);
		if (n.have)
			mi->used_disposal = 1;
		else
			mi->used_virgin = 1;
		if ((error = offer_money(x, &n, mi)) < 0)
			return error;
		if (!eic_vec_push(&x->nodes, &n))
			return EIC_ENOMEM;
	}
	return 0;
}

/* Facilities, their levels and coefficients (converted to model units per capacity unit). */
static int read_facilities(opt_ctx *x)
{
	int error = 0;
	for (size_t i = 0; i < eic_cluster_facility_count(x->c); i++) {
		const eic_facility *f = eic_cluster_facility(x->c, i);
		fac_info fi;
		memset(&fi, 0, sizeof(fi));
		fi.f = f;
		fi.tcol = fi.row_cap = NONE;
		fi.lvl_first = x->lvls.len;
		fi.permitted = permitted_id(x, f->id);
		double life = f->lifetime_yr, crf;
		if (isnan(life) || !(life > 0)) {
			life = EIC_OPT_DEFAULT_LIFETIME_YR;
			if ((error =
			         add_text(x, &x->res->defaults,
			                  "lifetime of facility %s: %.0f yr (default, ASSUMPTION; "
			                  "the data give none)",
			                  f->id, life)) < 0)
				return error;
		}
		if ((error = eic_fin_crf(&crf, x->rate, life)) < 0)
			return fail(x, error, "capital recovery factor of %s: rate %g, life %g",
			            f->id, x->rate, life);
		for (size_t k = 0; k < eic_cluster_facility_level_count(x->c); k++) {
			const eic_facility_level *l = eic_cluster_facility_level(x->c, k);
			if (!eic_streq(l->facility, f->id))
				continue;
			if (!(l->capacity > 0) || !isfinite(l->capex) || !isfinite(l->opex_per_yr))
				return fail(x, EIC_EINVAL,
				            "facility %s level %s: capacity must be > 0 and costs "
				            "finite",
				            f->id, l->level);
			lvl_info li = {l, x->facs.len, NONE, l->capex * crf + l->opex_per_yr};
			if (!eic_vec_push(&x->lvls, &li))
				return EIC_ENOMEM;
		}
		fi.lvl_count = x->lvls.len - fi.lvl_first;
		if (!fi.lvl_count) {
			if ((error = add_text(x, &x->res->notes,
			                      "facility %s left out: it has no capacity level",
			                      f->id)) < 0)
				return error;
			continue;
		}
		eic_unit cap_u;
		if (eic_unit_parse(&cap_u, f->capacity_unit) < 0)
			return fail(x, EIC_EUNIT, "facility %s: unknown capacity unit %s", f->id,
			            f->capacity_unit);
		size_t fidx = x->facs.len;
		for (size_t k = 0; k < eic_cluster_facility_coef_count(x->c); k++) {
			const eic_facility_coef *fc = eic_cluster_facility_coef(x->c, k);
			eic_unit cu, prod;
			coef_info ci = {fidx, NONE, fc->direction == EIC_DIR_OUTPUT, 0, NONE, NONE};
			if (!eic_streq(fc->facility, f->id))
				continue;
			int dim = -1;
			if (eic_unit_parse(&cu, fc->unit) == 0 &&
			    eic_unit_mul(&prod, &cu, &cap_u) == 0)
				for (int d = 0; d < 3 && dim < 0; d++) {
					eic_unit target;
					if (eic_unit_parse(&target, dim_rate[d]) == 0 &&
					    eic_unit_convert_parsed(&ci.per_unit, fc->coefficient,
					                            &prod, &target) == 0)
						dim = d;
				}
			if (dim >= 0 && (error = get_mat(x, &ci.mat, fc->material, dim)) < 0)
				return error;
			if (dim < 0 || ci.mat == NONE) {
				if ((error = add_text(
				         x, &x->res->notes,
				         "facility %s: coefficient for %s (%s x %s) left out: "
				         "not a yearly mass, volume or energy in the model's "
				         "units",
				         f->id, fc->material, fc->unit, f->capacity_unit)) < 0)
					return error;
				continue;
			}
			if (ci.output) {
				EIC_VEC_AT(&x->mats, mat_info, ci.mat)->used_virgin = 1;
				EIC_VEC_AT(&x->mats, mat_info, ci.mat)->price_used = 1;
			}
			if (!eic_vec_push(&x->coefs, &ci))
				return EIC_ENOMEM;
		}
		if (!eic_vec_push(&x->facs, &fi))
			return EIC_ENOMEM;
	}
	return 0;
}

/* The avoided disposal emissions of every have offer (kg CO2e per model unit): the factor hook
 * or the option when given (per material), else, with ghg_from_impact, what the actor's
 * disposal of the material in business as usual emits (optimize_impact.c), else 0. Each
 * factor from the impact module is listed with how it was computed; a disposed material
 * without a factor is named (or an error with ghg_strict); materials not disposed are listed
 * once. O(haves^2) string comparisons to group an actor's offers of one material. */
static int set_avoided(opt_ctx *x)
{
	eic_buf none = EIC_BUF_INIT;
	char a[64], b[64];
	int error = 0, counted = 0;
	for (size_t i = 0; i < x->nodes.len && !error; i++) {
		node *n = EIC_VEC_AT(&x->nodes, node, i);
		mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, n->mat);
		if (!n->have)
			continue;
		n->disposal_ghg = mi->factor[EIC_OPT_FACTOR_DISPOSAL_GHG];
		if (mi->defaulted[EIC_OPT_FACTOR_DISPOSAL_GHG] != 1 || !x->o->ghg_from_impact)
			continue; /* the hook or the option, or the default 0 */
		/* an earlier offer of the same actor and material settled it */
		size_t j;
		for (j = 0; j < i; j++) {
			node *p = EIC_VEC_AT(&x->nodes, node, j);
			if (p->have && p->mat == n->mat &&
			    eic_streq(p->offer->actor, n->offer->actor))
				break;
		}
		if (j < i) {
			n->disposal_ghg = EIC_VEC_AT(&x->nodes, node, j)->disposal_ghg;
			continue;
		}
		double mpu = mi->mass_per_unit, offered = 0;
		eic_buf ids = EIC_BUF_INIT;
		for (j = i; j < x->nodes.len; j++) {
			node *p = EIC_VEC_AT(&x->nodes, node, j);
			if (p->have && p->mat == n->mat &&
			    eic_streq(p->offer->actor, n->offer->actor)) {
				offered += isnan(mpu) ? 0 : p->hi * mpu;
				eic_buf_printf(&ids, "%s%s", ids.len ? ", " : "", p->offer->id);
			}
		}
		if (!x->impact && (error = eic_opt__impact_new(&x->impact, x->c, x->o)) < 0)
			break;
		eic_opt__avoided av;
		error = eic_opt__impact_avoided(&av, x->impact, n->offer->actor, mi->id, offered,
		                                x->diags);
		if (!error && av.disposed && isnan(mpu) && !isnan(av.kg_per_t)) {
			av.kg_per_t = NAN;
			av.text = "the offer is not in mass units and the material has no density";
			if (x->o->ghg_strict)
				error =
				    fail(x, EIC_EINVALID,
				         "avoided disposal emissions of %s offered by %s cannot "
				         "be computed: %s",
				         mi->id, n->offer->actor, av.text);
		}
		if (!error && ids.failed)
			error = EIC_ENOMEM;
		if (error) {
			eic_buf_free(&ids);
			break;
		}
		eic_fmt_amount(b, sizeof(b), av.disposed_t);
		if (av.disposed && !isnan(av.kg_per_t)) {
			n->disposal_ghg = av.kg_per_t * mpu;
			counted = 1;
			eic_fmt_amount(a, sizeof(a), av.kg_per_t);
			error =
			    add_text(x, &x->res->defaults,
			             "avoided disposal emissions: %s kg CO2e/t for %s offered by "
			             "%s (%s), from business as usual: %s",
			             a, mi->id, n->offer->actor, ids.data, av.text);
		} else if (av.disposed) {
			n->disposal_ghg = 0;
			error =
			    add_text(x, &x->res->defaults,
			             "avoided disposal emissions: NOT COUNTED (0) for %s offered "
			             "by %s (%s), although %s t/yr of it are landfilled, dumped or "
			             "burnt in business as usual: %s",
			             mi->id, n->offer->actor, ids.data, b, av.text);
		} else {
			n->disposal_ghg = 0;
			char key[256];
			snprintf(key, sizeof(key), " %s,", mi->id);
			if (!none.data || !strstr(none.data, key))
				eic_buf_puts(&none, key);
		}
		if (!error && av.water_t > 0) {
			eic_fmt_amount(a, sizeof(a), av.water_t);
			error =
			    add_text(x, &x->res->defaults,
			             "%s offered by %s: %s t/yr discharged to water bodies in "
			             "business as usual are not counted as avoided emissions (the "
			             "factor library has no factor for discharges to water)",
			             mi->id, n->offer->actor, a);
		}
		eic_buf_free(&ids);
	}
	if (!error && none.failed)
		error = EIC_ENOMEM;
	if (!error && none.len) {
		none.data[none.len - 1] = '\0'; /* the last comma */
		error = add_text(x, &x->res->defaults,
		                 "avoided disposal emissions: 0 for %s (not sent to landfill, open "
		                 "dumping or open burning in business as usual)",
		                 none.data + 1);
	}
	const char *settings = eic_opt__impact_settings(x->impact);
	if (!error && counted && settings)
		error = add_text(x, &x->res->defaults,
		                 "avoided disposal emissions computed with %s", settings);
	eic_buf_free(&none);
	return error;
}

/* Road distance between two sites, named by actor or facility id: the user matrix when given
 * (in either order; a pair it lacks is an error naming the pair, as in `eic match`, except a
 * site with itself, 0 km), else great circle x circuity, NaN when a site has no coordinates.
 * @return 0, EIC_EINVAL (pair not covered), EIC_ENOMEM. */
static int site_km(opt_ctx *x, double *out, const char *id1, double lat1, double lon1,
                   const char *id2, double lat2, double lon2)
{
	*out = NAN;
	if (x->matrix) {
		int rc = eic_opt__matrix_km(out, x->matrix, id1, id2);
		if (rc == EIC_ENOTFOUND && eic_streq(id1, id2)) {
			*out = 0;
			return 0;
		}
		if (rc == EIC_ENOTFOUND)
			return fail(
			    x, EIC_EINVAL,
			    "the distance matrix %s does not cover the pair %s,%s (add a row "
			    "from_actor,to_actor,km for it)",
			    eic_opt__matrix_path(x->matrix), id1, id2);
		return rc;
	}
	if (!(isnan(lat1) || isnan(lon1) || isnan(lat2) || isnan(lon2)))
		*out = eic_spatial_distance_km(lat1, lon1, lat2, lon2) * x->o->circuity;
	return 0;
}

/* Add an arc column when the distance and the hazardous rule allow it; otherwise count why
 * not on the receiving node `why` (may be NULL). */
static int try_arc(opt_ctx *x, eic_opt_end_kind fk, size_t from, eic_opt_end_kind tk, size_t to,
                   size_t mat, double km, int receiver_permitted, node *why)
{
	mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, mat);
	char name[96];
	if (isnan(km) || km > x->max_km) {
		if (why) {
			why->far++;
			if (!isnan(km) && km < why->nearest_far_km)
				why->nearest_far_km = km;
		}
		return 0;
	}
	if (hazardous(x, mi->id) && !receiver_permitted) {
		if (why)
			why->hazard++;
		return 0;
	}
	arc_info a = {fk, tk, from, to, mat, NONE, km, 0};
	double mpu = isnan(mi->mass_per_unit) ? 0 : mi->mass_per_unit;
	a.tcost_per_unit = x->cost_tkm * mpu * km;
	double econ = -a.tcost_per_unit, ghg = x->kg_tkm * mpu * km / 1000.0;
	if (fk == EIC_OPT_END_OFFER) {
		econ += EIC_VEC_AT(&x->nodes, node, from)->money;
		ghg -= EIC_VEC_AT(&x->nodes, node, from)->disposal_ghg / 1000.0;
	}
	if (tk == EIC_OPT_END_OFFER) {
		econ += EIC_VEC_AT(&x->nodes, node, to)->money;
		ghg -= mi->factor[EIC_OPT_FACTOR_VIRGIN_GHG] / 1000.0;
	}
	snprintf(name, sizeof(name), "x%zu", x->arcs.len);
	int error = add_col(x, &a.col, name, 0, EIC_MILP_INF, econ, ghg, 0);
	if (error < 0)
		return error;
	if (why)
		why->arcs++;
	return eic_vec_push(&x->arcs, &a) ? 0 : EIC_ENOMEM;
}

static int receiver_permitted(const opt_ctx *x, const node *n)
{
	return (n->actor && n->actor->kind == EIC_ACTOR_TREATMENT_FACILITY) ||
	       permitted_id(x, n->offer->actor);
}

/* Candidate arcs: have -> want of the same material (different actors), have -> facility
 * taking the material, facility output -> want; plus a market column per facility output. */
static int build_arcs(opt_ctx *x)
{
	int error = 0;
	for (size_t i = 0; i < x->nodes.len; i++) {
		node *s = EIC_VEC_AT(&x->nodes, node, i);
		if (!s->have)
			continue;
		for (size_t j = 0; j < x->nodes.len; j++) {
			node *d = EIC_VEC_AT(&x->nodes, node, j);
			if (d->have || d->mat != s->mat ||
			    eic_streq(s->offer->actor, d->offer->actor))
				continue;
			double km;
			if ((error =
			         site_km(x, &km, s->offer->actor, s->actor ? s->actor->lat : NAN,
			                 s->actor ? s->actor->lon : NAN, d->offer->actor,
			                 d->actor ? d->actor->lat : NAN,
			                 d->actor ? d->actor->lon : NAN)) < 0 ||
			    (error = try_arc(x, EIC_OPT_END_OFFER, i, EIC_OPT_END_OFFER, j, s->mat,
			                     km, receiver_permitted(x, d), d)) < 0)
				return error;
		}
		for (size_t k = 0; k < x->coefs.len; k++) {
			coef_info *ci = EIC_VEC_AT(&x->coefs, coef_info, k);
			fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ci->fac);
			if (ci->output || ci->mat != s->mat)
				continue;
			double km;
			if ((error =
			         site_km(x, &km, s->offer->actor, s->actor ? s->actor->lat : NAN,
			                 s->actor ? s->actor->lon : NAN, fi->f->id, fi->f->lat,
			                 fi->f->lon)) < 0 ||
			    (error = try_arc(x, EIC_OPT_END_OFFER, i, EIC_OPT_END_FACILITY, ci->fac,
			                     s->mat, km, fi->permitted, NULL)) < 0)
				return error;
		}
	}
	for (size_t k = 0; k < x->coefs.len; k++) {
		coef_info *ci = EIC_VEC_AT(&x->coefs, coef_info, k);
		fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ci->fac);
		if (!ci->output)
			continue;
		for (size_t j = 0; j < x->nodes.len; j++) {
			node *d = EIC_VEC_AT(&x->nodes, node, j);
			if (d->have || d->mat != ci->mat)
				continue;
			double km;
			if ((error = site_km(x, &km, fi->f->id, fi->f->lat, fi->f->lon,
			                     d->offer->actor, d->actor ? d->actor->lat : NAN,
			                     d->actor ? d->actor->lon : NAN)) < 0 ||
			    (error = try_arc(x, EIC_OPT_END_FACILITY, ci->fac, EIC_OPT_END_OFFER, j,
			                     ci->mat, km, receiver_permitted(x, d), d)) < 0)
				return error;
		}
		/* sale (or disposal at no value) outside the cluster */
		mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, ci->mat);
		arc_info a = {
		    EIC_OPT_END_FACILITY, EIC_OPT_END_MARKET, ci->fac, NONE, ci->mat, NONE, 0, 0};
		if ((error = add_col(x, &a.col, "market", 0, EIC_MILP_INF,
		                     mi->factor[EIC_OPT_FACTOR_VIRGIN_PRICE],
		                     -mi->factor[EIC_OPT_FACTOR_VIRGIN_GHG] / 1000.0, 0)) < 0)
			return error;
		ci->market_col = a.col;
		if (!eic_vec_push(&x->arcs, &a))
			return EIC_ENOMEM;
	}
	x->res->stats.candidate_arcs = 0;
	for (size_t a = 0; a < x->arcs.len; a++)
		if (EIC_VEC_AT(&x->arcs, arc_info, a)->to_kind != EIC_OPT_END_MARKET)
			x->res->stats.candidate_arcs++;
	return 0;
}

/* Rows: supply and demand limits (with lot minimums), facility level choice, capacity and
 * input/output balances, and the GHG row of the epsilon-constraint method. */
static int build_rows(opt_ctx *x)
{
	eic_vec cols, vals;
	int error = 0;
	char name[128];
	eic_vec_init(&cols, sizeof(size_t));
	eic_vec_init(&vals, sizeof(double));
#define PUSH(c, v)                                                                                 \
	do {                                                                                       \
		size_t c_ = (c);                                                                   \
		double v_ = (v);                                                                   \
		if (!eic_vec_push(&cols, &c_) || !eic_vec_push(&vals, &v_)) {                      \
			error = EIC_ENOMEM;                                                        \
			goto done;                                                                 \
		}                                                                                  \
	} while (0)
#define ROW(kind, index, lb, ub)                                                                   \
	do {                                                                                       \
		if ((error = add_row(x, kind, index, name, lb, ub, cols.len, cols.data,            \
		                     vals.data)) < 0)                                              \
			goto done;                                                                 \
		cols.len = vals.len = 0;                                                           \
	} while (0)

	for (size_t i = 0; i < x->nodes.len; i++) {
		node *n = EIC_VEC_AT(&x->nodes, node, i);
		for (size_t a = 0; a < x->arcs.len; a++) {
			arc_info *ai = EIC_VEC_AT(&x->arcs, arc_info, a);
			if ((n->have && ai->from_kind == EIC_OPT_END_OFFER && ai->from == i) ||
			    (!n->have && ai->to_kind == EIC_OPT_END_OFFER && ai->to == i))
				PUSH(ai->col, 1);
		}
		snprintf(name, sizeof(name), "%s:%s", n->have ? "supply" : "demand", n->offer->id);
		if (n->have) {
			ROW(ROW_SUPPLY, i, -EIC_MILP_INF, n->hi);
			continue;
		}
		if (n->lo > 0 && !x->o->require_demand) {
			/* lot: nothing, or between the minimum and the maximum */
			if ((error = add_col(x, &n->lot_col, "lot", 0, 1, 0, 0, 1)) < 0)
				goto done;
			PUSH(n->lot_col, -n->hi);
			ROW(ROW_DEMAND_MAX, i, -EIC_MILP_INF, 0);
			for (size_t a = 0; a < x->arcs.len; a++) {
				arc_info *ai = EIC_VEC_AT(&x->arcs, arc_info, a);
				if (ai->to_kind == EIC_OPT_END_OFFER && ai->to == i)
					PUSH(ai->col, 1);
			}
			PUSH(n->lot_col, -n->lo);
			snprintf(name, sizeof(name), "demand-lot:%s", n->offer->id);
			ROW(ROW_DEMAND_MIN, i, 0, EIC_MILP_INF);
			continue;
		}
		if (n->lo > 0) {
			ROW(ROW_DEMAND_MIN, i, n->lo, n->hi);
		} else {
			ROW(ROW_DEMAND_MAX, i, -EIC_MILP_INF, n->hi);
		}
	}
	for (size_t f = 0; f < x->facs.len; f++) {
		fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, f);
		snprintf(name, sizeof(name), "throughput:%s", fi->f->id);
		if ((error = add_col(x, &fi->tcol, name, 0, EIC_MILP_INF, 0, 0, 0)) < 0)
			goto done;
		for (size_t l = fi->lvl_first; l < fi->lvl_first + fi->lvl_count; l++) {
			lvl_info *li = EIC_VEC_AT(&x->lvls, lvl_info, l);
			snprintf(name, sizeof(name), "open:%s:%s", fi->f->id, li->level->level);
			if ((error = add_col(x, &li->col, name, 0, 1, -li->annual_cost, 0, 1)) < 0)
				goto done;
			PUSH(li->col, 1);
		}
		snprintf(name, sizeof(name), "level:%s", fi->f->id);
		ROW(ROW_LEVEL, f, -EIC_MILP_INF, 1);
		PUSH(fi->tcol, 1);
		for (size_t l = fi->lvl_first; l < fi->lvl_first + fi->lvl_count; l++) {
			lvl_info *li = EIC_VEC_AT(&x->lvls, lvl_info, l);
			PUSH(li->col, -li->level->capacity);
		}
		snprintf(name, sizeof(name), "capacity:%s", fi->f->id);
		ROW(ROW_CAPACITY, f, -EIC_MILP_INF, 0);
	}
	for (size_t k = 0; k < x->coefs.len; k++) {
		coef_info *ci = EIC_VEC_AT(&x->coefs, coef_info, k);
		fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ci->fac);
		for (size_t a = 0; a < x->arcs.len; a++) {
			arc_info *ai = EIC_VEC_AT(&x->arcs, arc_info, a);
			if (ai->mat != ci->mat)
				continue;
			if ((!ci->output && ai->to_kind == EIC_OPT_END_FACILITY &&
			     ai->to == ci->fac) ||
			    (ci->output && ai->from_kind == EIC_OPT_END_FACILITY &&
			     ai->from == ci->fac))
				PUSH(ai->col, 1);
		}
		PUSH(fi->tcol, -ci->per_unit);
		snprintf(name, sizeof(name), "%s:%s:%s", ci->output ? "output" : "input", fi->f->id,
		         EIC_VEC_AT(&x->mats, mat_info, ci->mat)->id);
		ROW(ROW_BALANCE, k, 0, 0);
	}
	for (size_t j = 0; j < eic_milp_col_count(x->milp); j++)
		if (x->ghg[j] != 0)
			PUSH(j, x->ghg[j]);
	snprintf(name, sizeof(name), "ghg-limit");
	x->ghg_row = eic_milp_row_count(x->milp);
	ROW(ROW_GHG, 0, -EIC_MILP_INF, EIC_MILP_INF);
done:
#undef PUSH
#undef ROW
	eic_vec_free(&cols);
	eic_vec_free(&vals);
	return error;
}

/* ---- solves ---- */

typedef struct {
	eic_milp_result r;
	double econ, ghg;
} solve_out;

static double dot(const double *a, const double *v, size_t n)
{
	double s = 0;
	for (size_t j = 0; j < n; j++)
		s += a[j] * v[j];
	return s;
}

/* Solve with objective wE * econ + wG * ghg (maximised) and the GHG row at most `eps`. */
static int solve_with(opt_ctx *x, solve_out *out, double w_econ, double w_ghg, double eps)
{
	size_t n = eic_milp_col_count(x->milp);
	int error;
	for (size_t j = 0; j < n; j++)
		if ((error =
		         eic_milp_set_obj(x->milp, j, w_econ * x->econ[j] + w_ghg * x->ghg[j])) < 0)
			return error;
	if ((error = eic_milp_set_row_bounds(x->milp, x->ghg_row, -EIC_MILP_INF, eps)) < 0)
		return error;
	eic_milp_set_sense(x->milp, EIC_MILP_MAXIMIZE);
	eic_milp_result_clear(&out->r);
	if ((error = eic_milp_solve(&out->r, x->milp, &x->solve, x->diags)) < 0)
		return error;
	x->res->time_s += out->r.time_s;
	x->res->stats.solves++;
	out->econ = out->ghg = NAN;
	if (out->r.values) {
		out->econ = dot(x->econ, out->r.values, n);
		out->ghg = dot(x->ghg, out->r.values, n);
	}
	return 0;
}

/* GHG optimum with the best economics among GHG-optimal networks (lexicographic). */
static int solve_ghg(opt_ctx *x, solve_out *out)
{
	int error = solve_with(x, out, 0, -1, INFINITY);
	if (error < 0 || !out->r.values)
		return error;
	/* the tolerance must stay below the GHG of any real flow (a few grams of transport),
	 * or the economic tie-break would add noise flows; a tie-break found infeasible at it
	 * keeps the first solution */
	double g = out->ghg, tol = 1e-7 + 1e-12 * fabs(g);
	solve_out second;
	memset(&second, 0, sizeof(second));
	if ((error = solve_with(x, &second, 1, 0, g + tol)) < 0) {
		eic_milp_result_clear(&second.r);
		return error;
	}
	if (second.r.values) {
		eic_milp_result_clear(&out->r);
		*out = second;
	} else {
		eic_milp_result_clear(&second.r);
	}
	return 0;
}

static const char *open_list(opt_ctx *x, const double *v)
{
	eic_buf b = EIC_BUF_INIT;
	for (size_t l = 0; l < x->lvls.len; l++) {
		lvl_info *li = EIC_VEC_AT(&x->lvls, lvl_info, l);
		if (v[li->col] > 0.5)
			eic_buf_printf(&b, "%s%s:%s", b.len ? ", " : "", li->level->facility,
			               li->level->level);
	}
	const char *s = eic_arena_strdup(&x->res->arena, b.data ? b.data : "");
	eic_buf_free(&b);
	return s;
}

/* ---- results ---- */

static int fill_solution(opt_ctx *x, const double *v)
{
	eic_opt_result *res = x->res;
	/* Solver residue (left by the MIP gap or the tie-break tolerance) is not listed: a flow
	 * below FLOW_TOL, 1e-7 of the largest flow, or 1e-6 of what its offer can supply. */
	double largest = 0;
	for (size_t a = 0; a < x->arcs.len; a++)
		largest = fmax(largest, v[EIC_VEC_AT(&x->arcs, arc_info, a)->col]);
	for (size_t a = 0; a < x->arcs.len; a++) {
		arc_info *ai = EIC_VEC_AT(&x->arcs, arc_info, a);
		double q = v[ai->col];
		double below = fmax(FLOW_TOL, 1e-7 * largest);
		if (ai->from_kind == EIC_OPT_END_OFFER) {
			const node *src = EIC_VEC_AT(&x->nodes, node, ai->from);
			if (isfinite(src->hi))
				below = fmax(below, 1e-6 * src->hi);
		}
		if (q <= below)
			continue;
		mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, ai->mat);
		eic_opt_flow f;
		memset(&f, 0, sizeof(f));
		f.from_kind = ai->from_kind;
		f.to_kind = ai->to_kind;
		if (ai->from_kind == EIC_OPT_END_OFFER) {
			node *n = EIC_VEC_AT(&x->nodes, node, ai->from);
			f.from_id = n->offer->id;
			f.from_actor = n->offer->actor;
			f.from_label = actor_label(n->actor, n->offer->actor);
		} else {
			fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ai->from);
			f.from_id = f.from_actor = fi->f->id;
			f.from_label = eic_str_empty(fi->f->name) ? fi->f->id : fi->f->name;
		}
		if (ai->to_kind == EIC_OPT_END_OFFER) {
			node *n = EIC_VEC_AT(&x->nodes, node, ai->to);
			f.to_id = n->offer->id;
			f.to_actor = n->offer->actor;
			f.to_label = actor_label(n->actor, n->offer->actor);
		} else if (ai->to_kind == EIC_OPT_END_FACILITY) {
			fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ai->to);
			f.to_id = f.to_actor = fi->f->id;
			f.to_label = eic_str_empty(fi->f->name) ? fi->f->id : fi->f->name;
		} else {
			f.to_id = f.to_actor = f.to_label = "market";
		}
		f.material = mi->id;
		f.material_label = material_label(x, mi->id);
		f.quantity = q;
		f.unit = dim_rate[mi->dim];
		f.mass_t = isnan(mi->mass_per_unit) ? NAN : q * mi->mass_per_unit;
		f.distance_km = ai->km;
		f.transport_cost = q * ai->tcost_per_unit;
		f.value = q * x->econ[ai->col];
		f.ghg_t_co2e = q * x->ghg[ai->col];
		if (!eic_vec_push(&res->flows, &f))
			return EIC_ENOMEM;
	}
	for (size_t k = 0; k < x->facs.len; k++) {
		fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, k);
		eic_opt_facility out;
		memset(&out, 0, sizeof(out));
		out.facility = fi->f->id;
		out.name = eic_str_empty(fi->f->name) ? fi->f->id : fi->f->name;
		out.capacity_unit = fi->f->capacity_unit;
		out.throughput = v[fi->tcol];
		for (size_t l = fi->lvl_first; l < fi->lvl_first + fi->lvl_count; l++) {
			lvl_info *li = EIC_VEC_AT(&x->lvls, lvl_info, l);
			if (v[li->col] > 0.5) {
				out.level = li->level->level;
				out.capacity = li->level->capacity;
				out.annual_cost = li->annual_cost;
			}
		}
		double flows_value = 0;
		for (size_t a = 0; a < x->arcs.len; a++) {
			arc_info *ai = EIC_VEC_AT(&x->arcs, arc_info, a);
			int in = ai->to_kind == EIC_OPT_END_FACILITY && ai->to == k;
			int outf = ai->from_kind == EIC_OPT_END_FACILITY && ai->from == k;
			if (!in && !outf)
				continue;
			double val = v[ai->col] * x->econ[ai->col];
			if (ai->to_kind == EIC_OPT_END_MARKET)
				out.revenue += val;
			else
				flows_value += val;
		}
		out.net_benefit = flows_value + out.revenue - out.annual_cost;
		if (!eic_vec_push(&res->facilities, &out))
			return EIC_ENOMEM;
	}
	return 0;
}

static const char *node_label(const node *n)
{
	return actor_label(n->actor, n->offer->actor);
}

/* One sentence per constraint group the elastic model had to relax. */
static int explain(opt_ctx *x)
{
	eic_milp_conflict *cf = NULL;
	size_t count = 0;
	char q1[64], q2[64], q3[64];
	int error = eic_milp_explain(&cf, &count, x->milp, &x->solve, x->diags);
	if (error < 0)
		return error;
	for (size_t i = 0; i < count && !error; i++) {
		row_info *ri = EIC_VEC_AT(&x->rows, row_info, cf[i].row);
		eic_fmt_amount(q1, sizeof(q1), cf[i].violation);
		if (ri->kind == ROW_DEMAND_MIN && !cf[i].upper) {
			node *d = EIC_VEC_AT(&x->nodes, node, ri->index);
			mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, d->mat);
			eic_buf b = EIC_BUF_INIT;
			double reach = 0;
			size_t sources = 0;
			eic_fmt_amount(q2, sizeof(q2), d->lo);
			eic_buf_printf(&b,
			               "demand of %s for %s (%s %s) cannot be met: short by %s %s",
			               node_label(d), material_label(x, mi->id), q2,
			               dim_rate[mi->dim], q1, dim_rate[mi->dim]);
			for (size_t a = 0; a < x->arcs.len; a++) {
				arc_info *ai = EIC_VEC_AT(&x->arcs, arc_info, a);
				if (ai->to_kind != EIC_OPT_END_OFFER || ai->to != ri->index)
					continue;
				sources++;
				if (ai->from_kind == EIC_OPT_END_OFFER) {
					node *s = EIC_VEC_AT(&x->nodes, node, ai->from);
					reach += s->hi;
					eic_fmt_amount(q3, sizeof(q3), s->hi);
					eic_buf_printf(&b, "; supply limit of %s (%s %s, %.1f km)",
					               node_label(s), q3, dim_rate[mi->dim],
					               ai->km);
				} else {
					fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ai->from);
					eic_buf_printf(
					    &b,
					    "; output of facility %s is limited by its largest "
					    "level and its inputs",
					    fi->f->id);
				}
			}
			if (d->far) {
				eic_buf_printf(
				    &b, "; %zu source%s beyond the maximum distance of %g km",
				    d->far, d->far == 1 ? " lies" : "s lie", x->max_km);
				if (isfinite(d->nearest_far_km))
					eic_buf_printf(&b, " (nearest %.1f km)", d->nearest_far_km);
			}
			if (d->hazard)
				eic_buf_printf(
				    &b,
				    "; %zu source%s excluded: %s is hazardous and %s is not "
				    "permitted to receive it",
				    d->hazard, d->hazard == 1 ? "" : "s", material_label(x, mi->id),
				    node_label(d));
			if (!sources && !d->far && !d->hazard)
				eic_buf_printf(
				    &b,
				    "; no offer or candidate facility in the cluster supplies "
				    "%s",
				    material_label(x, mi->id));
			(void)reach;
			error = b.failed ? EIC_ENOMEM : add_text(x, &x->res->reasons, "%s", b.data);
			eic_buf_free(&b);
		} else if (ri->kind == ROW_SUPPLY) {
			node *s = EIC_VEC_AT(&x->nodes, node, ri->index);
			mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, s->mat);
			eic_fmt_amount(q2, sizeof(q2), s->hi);
			error =
			    add_text(x, &x->res->reasons,
			             "supply limit of %s's %s (%s %s) would have to be exceeded "
			             "by %s %s",
			             node_label(s), material_label(x, mi->id), q2,
			             dim_rate[mi->dim], q1, dim_rate[mi->dim]);
		} else if (ri->kind == ROW_DEMAND_MAX || ri->kind == ROW_DEMAND_MIN) {
			node *d = EIC_VEC_AT(&x->nodes, node, ri->index);
			error = add_text(x, &x->res->reasons,
			                 "quantity range of %s's want %s (%s) violated by %s",
			                 node_label(d), d->offer->id, d->offer->material, q1);
		} else if (ri->kind == ROW_CAPACITY || ri->kind == ROW_LEVEL) {
			fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ri->index);
			error =
			    add_text(x, &x->res->reasons,
			             "capacity of facility %s would have to be exceeded by %s %s",
			             fi->f->id, q1, fi->f->capacity_unit);
		} else if (ri->kind == ROW_BALANCE) {
			coef_info *ci = EIC_VEC_AT(&x->coefs, coef_info, ri->index);
			fac_info *fi = EIC_VEC_AT(&x->facs, fac_info, ci->fac);
			mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, ci->mat);
			error = add_text(x, &x->res->reasons,
			                 "%s balance of facility %s for %s misses %s %s",
			                 ci->output ? "output" : "input", fi->f->id,
			                 material_label(x, mi->id), q1, dim_rate[mi->dim]);
		} else {
			error =
			    add_text(x, &x->res->reasons,
			             "the GHG limit would have to be relaxed by %s t CO2e/yr", q1);
		}
	}
	if (!error && count == 0)
		error = add_text(x, &x->res->reasons,
		                 "the solver proved the model infeasible but its elastic version "
		                 "needs no relaxation (numerical tolerance)");
	eic_milp_conflicts_free(cf);
	return error;
}

static int set_status(opt_ctx *x, const eic_milp_result *r)
{
	char text[160];
	x->res->status = r->status;
	x->res->gap = r->gap;
	if (r->status == EIC_MILP_FEASIBLE && !isnan(r->gap))
		snprintf(text, sizeof(text), "feasible with a gap of %.2f%% at the time limit",
		         100 * r->gap);
	else if (r->status == EIC_MILP_OPTIMAL && r->gap > 0)
		snprintf(text, sizeof(text), "optimal within the relative gap (%.3g%%)",
		         100 * r->gap);
	else
		snprintf(text, sizeof(text), "%s", eic_milp_status_name(r->status));
	x->res->status_text = eic_arena_strdup(&x->res->arena, text);
	return x->res->status_text ? 0 : EIC_ENOMEM;
}

/* List which defaults were used, once per factor kind with the materials concerned. */
static int list_defaults(opt_ctx *x)
{
	static const char *const what[EIC_OPT_FACTOR__N] = {
	    "avoided disposal fee", "avoided virgin material price", "avoided disposal emissions",
	    "avoided virgin production emissions"};
	int error = 0;
	char value[160];
	char conv[96] = "";
	if (strcmp(x->currency, "USD"))
		snprintf(conv, sizeof(conv), " = %.4g %s/t-km at %g %s per USD", x->cost_tkm,
		         x->currency, x->usd, x->currency);
	if (x->usd_from_table &&
	    (error = add_text(x, &x->res->defaults,
	                      "exchange rate for the USD defaults: %g %s per USD (%d average, "
	                      "data/finance/exchange_rates.csv: %s)",
	                      x->usd, x->currency, x->rate_row.year, x->rate_row.source)) < 0)
		return error;
	if (isnan(x->o->cost_per_tkm) &&
	    (error = add_text(x, &x->res->defaults,
	                      "transport cost: %.2f USD per t-km%s (default, ASSUMPTION as in "
	                      "eic match)",
	                      EIC_OPT_DEFAULT_COST_PER_TKM_USD, conv)) < 0)
		return error;
	if (isnan(x->o->kg_co2e_per_tkm) &&
	    (error = add_text(x, &x->res->defaults,
	                      "transport emissions: %.3f kg CO2e per t-km (default, DEFRA/DECC "
	                      "2012, rigid truck over 17 t)",
	                      EIC_OPT_DEFAULT_KG_CO2E_PER_TKM)) < 0)
		return error;
	if (x->matrix &&
	    (error = add_text(x, &x->res->defaults,
	                      "road distances: from the distance matrix %s (%zu rows; the "
	                      "circuity factor is not used)",
	                      eic_opt__matrix_path(x->matrix), eic_opt__matrix_rows(x->matrix))) <
	        0)
		return error;
	if (isnan(x->o->max_distance_km) &&
	    (error = add_text(x, &x->res->defaults, "maximum distance: %.0f km (default)",
	                      EIC_OPT_DEFAULT_MAX_DISTANCE_KM)) < 0)
		return error;
	if (isnan(x->o->discount_rate) && x->facs.len &&
	    (error = add_text(x, &x->res->defaults,
	                      "discount rate for annualising capital: %.0f%%/yr (default, "
	                      "ASSUMPTION)",
	                      100 * EIC_OPT_DEFAULT_DISCOUNT_RATE)) < 0)
		return error;
	for (int k = 0; k < EIC_OPT_FACTOR__N; k++) {
		eic_buf b = EIC_BUF_INIT, nomass = EIC_BUF_INIT;
		for (size_t i = 0; i < x->mats.len; i++) {
			mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, i);
			int used = k == EIC_OPT_FACTOR_DISPOSAL_FEE   ? mi->fee_used
			           : k == EIC_OPT_FACTOR_VIRGIN_PRICE ? mi->price_used
			           : k == EIC_OPT_FACTOR_DISPOSAL_GHG ? mi->used_disposal
			                                              : mi->used_virgin;
			if (!used || !mi->defaulted[k])
				continue;
			/* listed offer by offer by set_avoided */
			if (k == EIC_OPT_FACTOR_DISPOSAL_GHG && mi->defaulted[k] == 1 &&
			    x->o->ghg_from_impact)
				continue;
			eic_buf *to = mi->defaulted[k] == 2 ? &nomass : &b;
			eic_buf_printf(to, "%s%s", to->len ? ", " : "", mi->id);
		}
		if (k == EIC_OPT_FACTOR_DISPOSAL_FEE)
			snprintf(value, sizeof(value),
			         "%.0f USD/t (default: lower end of landfill costs in What a Waste "
			         "2.0, Kaza et al. 2018; ASSUMPTION, not verified)",
			         EIC_OPT_DEFAULT_DISPOSAL_FEE_USD_PER_T);
		else if (k == EIC_OPT_FACTOR_VIRGIN_GHG && x->o->ghg_from_impact)
			snprintf(value, sizeof(value),
			         "0 (default: the factor library, data/factors, has no "
			         "virgin-production factors)");
		else
			snprintf(value, sizeof(value), "0 (default: the data give no %s)",
			         k == EIC_OPT_FACTOR_VIRGIN_PRICE ? "price" : "factor");
		if (!b.failed && b.len)
			error =
			    add_text(x, &x->res->defaults, "%s: %s for %s", what[k], value, b.data);
		if (!error && !nomass.failed && nomass.len)
			error = add_text(x, &x->res->defaults,
			                 "%s: 0 for %s (a per-t default needs a mass; no density)",
			                 what[k], nomass.data);
		if (!error && (b.failed || nomass.failed))
			error = EIC_ENOMEM;
		eic_buf_free(&b);
		eic_buf_free(&nomass);
		if (error)
			return error;
	}
	for (size_t i = 0; i < x->mats.len; i++) {
		mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, i);
		char a[64];
		eic_fmt_amount(a, sizeof(a), mi->factor[EIC_OPT_FACTOR_VIRGIN_PRICE]);
		if (mi->price_used && mi->price_from_property &&
		    (error = add_text(x, &x->res->defaults,
		                      "avoided virgin material price: %s %s/%s for %s (the "
		                      "material's price property; offers without their own price)",
		                      a, x->currency, dim_amount[mi->dim], mi->id)) < 0)
			return error;
	}
	for (size_t i = 0; i < x->mats.len; i++) {
		mat_info *mi = EIC_VEC_AT(&x->mats, mat_info, i);
		if (mi->dim != 0 && isnan(mi->mass_per_unit) &&
		    (error = add_text(x, &x->res->notes,
		                      "%s is measured in %s and has no density: its transport is "
		                      "not costed (a pipe or a cable, not a truck)",
		                      mi->id, dim_amount[mi->dim])) < 0)
			return error;
	}
	return 0;
}

/* The runs of the objective asked for, the Pareto frontier, and the result. */
static int run(opt_ctx *x)
{
	solve_out main, e_opt, g_opt;
	int error = 0;
	memset(&main, 0, sizeof(main));
	memset(&e_opt, 0, sizeof(e_opt));
	memset(&g_opt, 0, sizeof(g_opt));
	const eic_opt_options *o = x->o;
	int need_both = o->objective == EIC_OPT_WEIGHTED || o->pareto_points >= 2;

	if (o->objective == EIC_OPT_ECONOMIC || need_both) {
		if ((error = solve_with(x, &e_opt, 1, 0, INFINITY)) < 0)
			goto done;
		if (!e_opt.r.values || o->objective == EIC_OPT_ECONOMIC) {
			/* the main result; infeasible (or nothing found) is explained below */
			main = e_opt;
			memset(&e_opt, 0, sizeof(e_opt));
			if (!main.r.values)
				goto settle;
			e_opt.econ = main.econ;
			e_opt.ghg = main.ghg;
			e_opt.r.values = main.r.values; /* borrowed for the frontier below */
		}
	}
	if (o->objective == EIC_OPT_GHG || need_both) {
		if ((error = solve_ghg(x, &g_opt)) < 0)
			goto done;
		if (o->objective == EIC_OPT_GHG) {
			main = g_opt;
			memset(&g_opt, 0, sizeof(g_opt));
			if (!main.r.values)
				goto settle;
			g_opt.econ = main.econ;
			g_opt.ghg = main.ghg;
			g_opt.r.values = main.r.values; /* borrowed */
		}
	}
	if (o->objective == EIC_OPT_WEIGHTED) {
		if (!g_opt.r.values) {
			main = e_opt;
			memset(&e_opt, 0, sizeof(e_opt));
		} else {
			/* normalised by the payoff table (Marler and Arora 2004) */
			double er = e_opt.econ - g_opt.econ, gr = e_opt.ghg - g_opt.ghg;
			double we = er > 1e-9 ? o->weight / er : 0;
			double wg = gr > 1e-9 ? (1 - o->weight) / gr : 0;
			if (we == 0 && wg == 0)
				we = 1;
			if ((error = solve_with(x, &main, we, -wg, INFINITY)) < 0)
				goto done;
		}
	}
	if (o->pareto_points >= 2 && e_opt.r.values && g_opt.r.values) {
		double ge = e_opt.ghg, gg = g_opt.ghg;
		double er = e_opt.econ - g_opt.econ, gr = ge - gg;
		double delta = gr > 1e-9 && er > 1e-9 ? 1e-3 * er / gr : 0;
		for (size_t k = 0; k < o->pareto_points; k++) {
			solve_out p;
			memset(&p, 0, sizeof(p));
			double eps = ge - (double)k / (double)(o->pareto_points - 1) * gr;
			if (k == o->pareto_points - 1)
				eps = gg;
			eps += 1e-9 * (1 + fabs(eps));
			if ((error = solve_with(x, &p, 1, -delta, eps)) < 0) {
				eic_milp_result_clear(&p.r);
				goto done;
			}
			eic_opt_point pt = {eps,     p.r.status, p.econ, p.ghg,
			                    p.r.gap, p.r.time_s, ""};
			if (p.r.values && !(pt.open_facilities = open_list(x, p.r.values)))
				error = EIC_ENOMEM;
			eic_milp_result_clear(&p.r);
			if (error)
				goto done;
			if (!eic_vec_push(&x->res->points, &pt)) {
				error = EIC_ENOMEM;
				goto done;
			}
		}
	}
settle:
	if ((error = set_status(x, &main.r)) < 0)
		goto done;
	x->res->economic = main.econ;
	x->res->ghg = main.ghg;
	if (main.r.values)
		error = fill_solution(x, main.r.values);
	else if (main.r.status == EIC_MILP_INFEASIBLE)
		error = explain(x);
done:
	/* a borrowed solution is main's */
	if (e_opt.r.values == main.r.values)
		e_opt.r.values = NULL;
	if (g_opt.r.values == main.r.values)
		g_opt.r.values = NULL;
	eic_milp_result_clear(&main.r);
	eic_milp_result_clear(&e_opt.r);
	eic_milp_result_clear(&g_opt.r);
	return error;
}

/* Contract: see optimize.h. */
int eic_opt_run(eic_opt_result **out, const eic_cluster *cluster, const eic_opt_options *opts,
                eic_diags *diags)
{
	eic_opt_options defaults = EIC_OPT_OPTIONS_INIT, v1 = EIC_OPT_OPTIONS_INIT;
	eic_milp_options solve = EIC_MILP_OPTIONS_INIT;
	opt_ctx x;
	int error = 0;

	if (!out || !cluster)
		return EIC_EINVAL;
	*out = NULL;
	memset(&x, 0, sizeof(x));
	x.c = cluster;
	x.o = opts ? opts : &defaults;
	if (opts && (opts->version == 1 || opts->version == 2)) {
		/* a version-1 struct ends before ghg_from_impact, a version-2 one before
		 * distance_matrix: the rest are the defaults */
		memcpy(&v1, opts,
		       opts->version == 1 ? offsetof(eic_opt_options, ghg_from_impact)
		                          : offsetof(eic_opt_options, distance_matrix));
		v1.version = EIC_OPT_OPTIONS_VERSION;
		x.o = &v1;
	}
	x.diags = diags;
	eic_vec_init(&x.mats, sizeof(mat_info));
	eic_vec_init(&x.nodes, sizeof(node));
	eic_vec_init(&x.facs, sizeof(fac_info));
	eic_vec_init(&x.lvls, sizeof(lvl_info));
	eic_vec_init(&x.coefs, sizeof(coef_info));
	eic_vec_init(&x.arcs, sizeof(arc_info));
	eic_vec_init(&x.rows, sizeof(row_info));
	eic_map_init(&x.mat_index);
	if ((error = check_options(&x)) < 0)
		goto done;
	solve.time_limit_s = x.o->time_limit_s;
	solve.rel_gap = x.o->rel_gap;
	solve.threads = x.o->threads;
	solve.seed = x.o->seed;
	x.solve = solve;
	if (!(x.res = eic_calloc(1, sizeof(*x.res)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&x.res->arena);
	eic_vec_init(&x.res->flows, sizeof(eic_opt_flow));
	eic_vec_init(&x.res->facilities, sizeof(eic_opt_facility));
	eic_vec_init(&x.res->points, sizeof(eic_opt_point));
	eic_vec_init(&x.res->reasons, sizeof(const char *));
	eic_vec_init(&x.res->defaults, sizeof(const char *));
	eic_vec_init(&x.res->notes, sizeof(const char *));
	x.res->objective = x.o->objective;
	x.res->economic = x.res->ghg = x.res->gap = NAN;
	if ((error = set_money(&x)) < 0)
		goto done;
	x.res->currency = x.currency;
	if (x.o->distance_matrix &&
	    (error = eic_opt__matrix_read(&x.matrix, x.o->distance_matrix, diags)) < 0)
		goto done;
	if ((error = eic_milp_new(&x.milp)) < 0 || (error = read_offers(&x)) < 0 ||
	    (error = read_facilities(&x)) < 0 || (error = set_avoided(&x)) < 0 ||
	    (error = build_arcs(&x)) < 0 || (error = build_rows(&x)) < 0 ||
	    (error = list_defaults(&x)) < 0)
		goto done;
	x.res->stats.variables = eic_milp_col_count(x.milp);
	x.res->stats.integers = eic_milp_integer_count(x.milp);
	x.res->stats.rows = eic_milp_row_count(x.milp);
	x.res->stats.nonzeros = eic_milp_nz_count(x.milp);
	if ((error = run(&x)) < 0)
		goto done;
	*out = x.res;
	x.res = NULL;
done:
	eic_opt_free(x.res);
	eic_milp_free(x.milp);
	eic_opt__impact_free(x.impact);
	eic_opt__matrix_free(x.matrix);
	eic_free(x.econ);
	eic_free(x.ghg);
	eic_vec_free(&x.mats);
	eic_vec_free(&x.nodes);
	eic_vec_free(&x.facs);
	eic_vec_free(&x.lvls);
	eic_vec_free(&x.coefs);
	eic_vec_free(&x.arcs);
	eic_vec_free(&x.rows);
	eic_map_free(&x.mat_index);
	return error;
}

void eic_opt_free(eic_opt_result *result)
{
	if (!result)
		return;
	eic_vec_free(&result->flows);
	eic_vec_free(&result->facilities);
	eic_vec_free(&result->points);
	eic_vec_free(&result->reasons);
	eic_vec_free(&result->defaults);
	eic_vec_free(&result->notes);
	eic_arena_clear(&result->arena);
	eic_free(result);
}

eic_milp_status eic_opt_status(const eic_opt_result *r)
{
	return r ? r->status : EIC_MILP_SOLVER_FAILURE;
}

const char *eic_opt_status_text(const eic_opt_result *r)
{
	return r && r->status_text ? r->status_text : "";
}

eic_opt_objective eic_opt_objective_of(const eic_opt_result *r)
{
	return r ? r->objective : EIC_OPT_ECONOMIC;
}

double eic_opt_economic(const eic_opt_result *r)
{
	return r ? r->economic : NAN;
}

double eic_opt_ghg(const eic_opt_result *r)
{
	return r ? r->ghg : NAN;
}

double eic_opt_gap(const eic_opt_result *r)
{
	return r ? r->gap : NAN;
}

double eic_opt_time(const eic_opt_result *r)
{
	return r ? r->time_s : NAN;
}

const char *eic_opt_currency(const eic_opt_result *r)
{
	return r ? r->currency : "";
}

eic_opt_stats eic_opt_stats_of(const eic_opt_result *r)
{
	eic_opt_stats none = {0, 0, 0, 0, 0, 0};
	return r ? r->stats : none;
}

#define GETTERS(kind, type, vec)                                                                   \
	size_t eic_opt_##kind##_count(const eic_opt_result *r)                                     \
	{                                                                                          \
		return r ? r->vec.len : 0;                                                         \
	}                                                                                          \
	const type *eic_opt_##kind##_at(const eic_opt_result *r, size_t i)                         \
	{                                                                                          \
		return r && i < r->vec.len ? EIC_VEC_AT(&r->vec, type, i) : NULL;                  \
	}
GETTERS(flow, eic_opt_flow, flows)
GETTERS(facility, eic_opt_facility, facilities)
GETTERS(point, eic_opt_point, points)
#undef GETTERS

#define TEXTS(kind, vec)                                                                           \
	size_t eic_opt_##kind##_count(const eic_opt_result *r)                                     \
	{                                                                                          \
		return r ? r->vec.len : 0;                                                         \
	}                                                                                          \
	const char *eic_opt_##kind(const eic_opt_result *r, size_t i)                              \
	{                                                                                          \
		return r && i < r->vec.len ? *EIC_VEC_AT(&r->vec, const char *, i) : NULL;         \
	}
TEXTS(reason, reasons)
TEXTS(default, defaults)
TEXTS(note, notes)
#undef TEXTS
