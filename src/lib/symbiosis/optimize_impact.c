/* optimize_impact.c: the optimiser's avoided disposal emissions per tonne offered, from where the
 * actor's material goes in business as usual, computed with the impact module's calculators. */
#include "optimize_private.h"

#include <eic/impact.h>
#include <eic/scenario.h>

#include "lib/impact/scenario_private.h"
#include "util/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Business-as-usual fates counted (0..2) and the one named but not counted (3). */
enum { FATE_LANDFILL = 0, FATE_DUMP, FATE_BURN, FATE_WATER, FATE__N };
static const char *const fate_names[FATE__N] = {"landfill", "open dumping", "open burning",
                                                "discharge to water bodies"};

/* The BAU flows of one actor and material to the fates above. */
typedef struct {
	const char *actor, *material;
	double t[FATE__N];       /* t/yr */
	eic_buf ids[FATE__N];    /* flow ids, comma separated */
	int changed[FATE__N];    /* a flow got there by a business-as-usual change */
	const char *unconverted; /* id of a flow that cannot be converted to t, or NULL */
} group;

struct eic_opt__impact {
	const eic_cluster *c;
	const eic_opt_options *o;
	eic_arena arena;
	eic_vec groups;         /* group */
	eic_map index;          /* "actor\x1fmaterial" -> group */
	int loaded;             /* the scenario and factors were asked for */
	const char *load_error; /* why they could not be had, or NULL */
	eic_factors *own_factors;
	eic_scenario *own_scenario;
	const eic_factors *f;
	const eic_scenario *s;
	const char *gwp, *zone, *settings;
	size_t horizon;
	double year_fraction;
};

static const char *text(eic_opt__impact *im, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static const char *text(eic_opt__impact *im, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return eic_arena_strdup(&im->arena, msg);
}

static int fate_of(const eic_cluster *c, const char *to)
{
	eic_node n;
	if (eic_cluster_resolve_node(&n, c, to) < 0 || n.kind != EIC_NODE_BOUNDARY)
		return -1;
	switch (n.boundary) {
	case EIC_BOUNDARY_LANDFILL:
		return FATE_LANDFILL;
	case EIC_BOUNDARY_OPEN_DUMPING:
		return FATE_DUMP;
	case EIC_BOUNDARY_OPEN_BURNING:
		return FATE_BURN;
	case EIC_BOUNDARY_WATER_BODY:
		return FATE_WATER;
	default:
		return -1;
	}
}

/* Add `quantity` (in `unit`, over the period) of `material` from `from` to `to` to its group,
 * when `from` is an actor's and `to` one of the fates; `id` names it in the texts. */
static int add_part(eic_opt__impact *im, const char *id, const char *from, const char *to,
                    const char *material, double quantity, const char *unit, const char *period,
                    int changed)
{
	eic_node n;
	int fate = fate_of(im->c, to);
	if (fate < 0 || eic_cluster_resolve_node(&n, im->c, from) < 0 || !n.actor ||
	    !(quantity > 0))
		return 0;
	const char *key = text(im, "%s\x1f%s", n.actor, material);
	size_t gi;
	if (!key)
		return EIC_ENOMEM;
	if (!eic_map_get(&im->index, key, &gi)) {
		group g;
		memset(&g, 0, sizeof(g));
		g.actor = n.actor;
		g.material = material;
		if (!eic_vec_push(&im->groups, &g) ||
		    eic_map_put(&im->index, key, im->groups.len - 1) < 0)
			return EIC_ENOMEM;
		gi = im->groups.len - 1;
	}
	group *g = EIC_VEC_AT(&im->groups, group, gi);
	eic_flow tmp;
	memset(&tmp, 0, sizeof(tmp));
	tmp.id = id;
	tmp.from = from;
	tmp.to = to;
	tmp.material = material;
	tmp.quantity = quantity;
	tmp.unit = unit;
	tmp.period = period;
	tmp.sd = tmp.rel_sd = NAN;
	double t;
	const char *via = NULL;
	if (eic_flow_amount(&t, &via, im->c, &tmp, "t") < 0)
		g->unconverted = id;
	else
		g->t[fate] += t / im->year_fraction;
	eic_buf_printf(&g->ids[fate], "%s%s", g->ids[fate].len ? ", " : "", id);
	g->changed[fate] |= changed;
	return g->ids[fate].failed ? EIC_ENOMEM : 0;
}

/* Group the business-as-usual flows of `period` from actors to the fates: the recorded flows
 * with the scenario's business-as-usual changes applied as its evaluator applies them
 * (docs/methods/scenarios.md): `set` scales a flow to a new quantity, `reroute` moves a share
 * of what still goes to the recorded destination elsewhere, `add` adds a flow. Other kinds of
 * change (facilities, matches, exchanges) do not send anything to a fate here. */
static int index_flows(eic_opt__impact *im, const char *period)
{
	enum { MAX_PARTS = 16 };
	const eic_cluster *c = im->c;
	static const sc_alt none;
	const sc_alt *bau = im->s ? &im->s->bau : &none;
	int error = 0;
	for (size_t i = 0; i < eic_cluster_flow_count(c) && !error; i++) {
		const eic_flow *fl = eic_cluster_flow(c, i);
		const char *to[MAX_PARTS];
		double share[MAX_PARTS], q = fl->quantity;
		size_t parts = 1;
		int changed = 0;
		if (period && !eic_streq(fl->period, period))
			continue;
		to[0] = fl->to;
		share[0] = 1;
		for (size_t k = 0; k < bau->changes.len; k++) {
			const sc_change *ch = EIC_VEC_AT(&bau->changes, sc_change, k);
			if (!ch->flow || strcmp(ch->flow, fl->id))
				continue;
			changed = 1;
			if (ch->kind == SC_SET) {
				q = ch->quantity;
			} else if (ch->kind == SC_REROUTE && parts < MAX_PARTS) {
				to[parts] = ch->to;
				share[parts] = share[0] * ch->share;
				share[0] -= share[parts++];
			}
		}
		for (size_t k = 0; k < parts && !error; k++)
			error = add_part(im, fl->id, fl->from, to[k], fl->material, q * share[k],
			                 fl->unit, fl->period, changed);
	}
	for (size_t k = 0; k < bau->changes.len && !error; k++) {
		const sc_change *ch = EIC_VEC_AT(&bau->changes, sc_change, k);
		if (ch->kind == SC_ADD)
			error = add_part(im, ch->id, ch->from, ch->to, ch->material, ch->quantity,
			                 ch->unit, period, 1);
	}
	return error;
}

static void free_groups(eic_opt__impact *im)
{
	for (size_t i = 0; i < im->groups.len; i++) {
		group *g = EIC_VEC_AT(&im->groups, group, i);
		for (int k = 0; k < FATE__N; k++)
			eic_buf_free(&g->ids[k]);
	}
	eic_vec_free(&im->groups);
	eic_map_free(&im->index);
	eic_vec_init(&im->groups, sizeof(group));
	eic_map_init(&im->index);
}

/* Contract: see optimize_private.h. The scenario and the factors are loaded with the first
 * offer asked about. */
int eic_opt__impact_new(eic_opt__impact **out, const eic_cluster *cluster,
                        const eic_opt_options *options)
{
	eic_opt__impact *im = eic_calloc(1, sizeof(*im));
	*out = NULL;
	if (!im)
		return EIC_ENOMEM;
	im->c = cluster;
	im->o = options;
	im->year_fraction = 1.0;
	eic_arena_init(&im->arena);
	eic_vec_init(&im->groups, sizeof(group));
	eic_map_init(&im->index);
	*out = im;
	return 0;
}

void eic_opt__impact_free(eic_opt__impact *im)
{
	if (!im)
		return;
	free_groups(im);
	eic_scenario_free(im->own_scenario);
	eic_factors_free(im->own_factors);
	eic_arena_clear(&im->arena);
	eic_free(im);
}

const char *eic_opt__impact_settings(const eic_opt__impact *im)
{
	return im ? im->settings : NULL;
}

/* The first message of `d`, or the text of `code`. */
static const char *first_message(const eic_diags *d, int code)
{
	return d && eic_diags_count(d) ? eic_diags_get(d, 0)->message : eic_strerror(code);
}

/* Load (once) the scenario and the factor set, settle GWP set, zone and horizon, and index
 * the business-as-usual flows of the scenario's period as yearly rates. A scenario or factor
 * set that cannot be had is kept in load_error (the recorded flows are then indexed, so that
 * what is disposed of is still named), except a GWP set the caller named and the factor set
 * lacks: EIC_EINVAL, reported in `diags`. */
static int load(eic_opt__impact *im, eic_diags *diags)
{
	eic_diags *d = NULL;
	int rc = 0;
	if (im->loaded)
		return 0;
	im->loaded = 1;
	if ((rc = eic_diags_new(&d, 20)) < 0)
		return rc;
	im->s = im->o->scenario;
	if (!im->s) {
		rc = eic_scenario_load_default(&im->own_scenario, im->c, im->o->package_dir, d);
		if (rc == EIC_ENOMEM)
			goto done;
		if (rc < 0 && !(im->load_error = text(im,
		                                      "the cluster's scenario could not be "
		                                      "read (%s)",
		                                      first_message(d, rc)))) {
			rc = EIC_ENOMEM;
			goto done;
		}
		im->s = im->own_scenario;
	}
	im->f = im->o->factors;
	if (!im->f && !im->load_error) {
		if ((rc = eic_factors_new(&im->own_factors)) < 0)
			goto done;
		rc = eic_factors_load_for_cluster(im->own_factors, im->o->package_dir, d);
		if (rc == EIC_ENOMEM)
			goto done;
		if (rc < 0 &&
		    !(im->load_error = text(im, "the factor library could not be read (%s)",
		                            first_message(d, rc)))) {
			rc = EIC_ENOMEM;
			goto done;
		}
		im->f = rc < 0 ? NULL : im->own_factors;
	}
	rc = 0;
	const char *period = eic_scenario__period(im->c, im->s);
	long days = period ? eic_period_days(eic_cluster_find_period(im->c, period)) : 365;
	im->year_fraction = (days == 365 || days == 366 || days <= 0) ? 1.0 : (double)days / 365.0;
	if ((rc = index_flows(im, period)) < 0 || im->load_error)
		goto done;
	im->gwp = im->o->gwp_set ? im->o->gwp_set : im->s->gwp_set ? im->s->gwp_set : "AR5";
	double gwp_ch4;
	if (im->o->gwp_set && eic_factors_gwp(&gwp_ch4, im->f, im->gwp, "CH4", d) < 0) {
		if (diags)
			eic_diags_add(
			    diags, EIC_SEV_ERROR, "", 0, 0,
			    "unknown GWP set '%s' (expected one of the gwp100 table, e.g. "
			    "AR4, AR5, AR6)",
			    im->gwp);
		rc = EIC_EINVAL;
		goto done;
	}
	im->zone = im->o->climate_zone ? im->o->climate_zone : im->s->climate_zone;
	im->horizon = im->o->horizon_years ? im->o->horizon_years : im->s->horizon_years;
	im->settings = text(
	    im,
	    "GWP100 %s, climate zone %s%s, landfill methane over %zu yr of one year's deposit "
	    "(%s timing), sites %s (landfill) and %s (dumps), cover %s; business as usual: the "
	    "flows of period %s; scenario %s%s; factors data/factors %s%s",
	    im->gwp, im->zone ? im->zone : "(none)",
	    im->o->climate_zone              ? " (option)"
	    : eic_scenario_is_derived(im->s) ? " (derived)"
	                                     : "",
	    im->horizon, im->s->timing == EIC_FOD_TIMING_CDM ? "CDM TOOL04" : "IPCC",
	    im->s->landfill_site, im->s->dump_site, im->s->cover, period ? period : "(none)",
	    eic_scenario_is_derived(im->s) ? "derived from the cluster"
	    : eic_str_empty(im->s->file)   ? "given by the caller"
	                                   : im->s->file,
	    im->s->bau.changes.len ? " with its business-as-usual changes" : "",
	    EIC_FACTORS_VERSION, im->o->package_dir ? " and the package's factors.csv if any" : "");
	rc = im->settings ? 0 : EIC_ENOMEM;
done:
	eic_diags_free(d);
	return rc;
}

/* kg CO2e per t (wet) of waste type `wt` sent to `fate`, with a short description of the
 * method in *method; a missing factor returns EIC_EINVALID with its message in `d`. */
static int per_tonne(double *out, const char **method, eic_opt__impact *im, int fate,
                     const char *wt, eic_diags *d)
{
	int rc;
	if (fate == FATE_BURN) {
		eic_ghg g;
		*method = "IPCC 2006 Vol. 5 Ch. 5 Eq. 5.2, 5.4, 5.5 (fossil CO2, CH4, N2O of open "
		          "burning)";
		if ((rc = eic_open_burning_compute(&g, im->f, wt, 1.0, im->gwp, d)) < 0)
			return rc;
		*out = g.co2e_kg;
		return 0;
	}
	*method = "IPCC 2006 Vol. 5 Ch. 3 first-order decay, Eq. 3.4-3.6 and 3.1";
	const eic_factor *doc = eic_factors_get(im->f, "DOC", wt);
	if (doc && doc->value == 0.0 && !doc->has_range) {
		*method = "DOC 0: no methane";
		*out = 0;
		return 0;
	}
	eic_fod_options o = EIC_FOD_OPTIONS_INIT;
	o.timing = (eic_fod_timing)im->s->timing;
	o.horizon_years = im->horizon;
	o.site_type = fate == FATE_DUMP ? im->s->dump_site : im->s->landfill_site;
	o.cover_type = im->s->cover;
	o.gwp_set = im->gwp;
	eic_fod_deposit dep = {wt, 1, 1.0};
	eic_fod_result *res = NULL;
	if ((rc = eic_fod_run(&res, im->f, im->zone ? im->zone : "", &dep, 1, &o, d)) < 0)
		return rc;
	*out = eic_fod_result_co2e_total_t(res) * 1000.0;
	eic_fod_result_free(res);
	return 0;
}

/* Contract: see optimize_private.h. Per t offered: sum over the fates k of t_k e_k divided by
 * max(offered, sum t_k), e_k the emissions of one tonne (docs/methods/optimization.md). */
int eic_opt__impact_avoided(eic_opt__avoided *out, eic_opt__impact *im, const char *actor,
                            const char *material, double offered_t, eic_diags *diags)
{
	char key[512], a[64], b[64];
	size_t gi;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if ((rc = load(im, diags)) < 0)
		return rc;
	snprintf(key, sizeof(key), "%s\x1f%s", actor, material);
	if (!eic_map_get(&im->index, key, &gi))
		return 0;
	group *g = EIC_VEC_AT(&im->groups, group, gi);
	out->water_t = g->t[FATE_WATER];
	out->disposed_t = g->t[FATE_LANDFILL] + g->t[FATE_DUMP] + g->t[FATE_BURN];
	if (!(out->disposed_t > 0) && !g->unconverted)
		return 0;
	out->disposed = 1;
	out->kg_per_t = NAN;
	const char *missing = im->load_error;
	if (!missing && g->unconverted)
		missing = text(im,
		               "flow %s cannot be converted to t (expected a mass unit or a "
		               "material with a density)",
		               g->unconverted);
	const eic_material *m = eic_cluster_find_material(im->c, material);
	const char *wt = eic_scenario__waste_type(im->s, m);
	if (!missing && !wt)
		missing = text(im,
		               "no waste type for %s (expected a mapping in the scenario's "
		               "'materials', e.g. \"%s\": {\"waste_type\": \"food_waste\"}; found "
		               "none for category '%s')",
		               material, material, m && m->category ? m->category : "");
	eic_buf how = EIC_BUF_INIT;
	double total_kg = 0;
	for (int k = 0; !missing && k < FATE_WATER; k++) {
		double e = 0;
		const char *method = "";
		eic_diags *d = NULL;
		if (!(g->t[k] > 0))
			continue;
		if ((rc = eic_diags_new(&d, 20)) < 0)
			break;
		rc = per_tonne(&e, &method, im, k, wt, d);
		if (rc == EIC_ENOMEM) {
			eic_diags_free(d);
			break;
		}
		if (rc < 0) {
			missing = text(im, "%s of waste type %s: %s", fate_names[k], wt,
			               first_message(d, rc));
			rc = 0;
		} else {
			eic_fmt_amount(a, sizeof(a), g->t[k]);
			eic_fmt_amount(b, sizeof(b), e);
			eic_buf_printf(
			    &how, "%s%s (flow%s %s%s, %s t/yr) of waste type %s: %s kg CO2e/t, %s",
			    how.len ? "; " : "", fate_names[k],
			    strchr(g->ids[k].data, ',') ? "s" : "", g->ids[k].data,
			    g->changed[k] ? " as changed by the scenario's business as usual" : "",
			    a, wt, b, method);
			total_kg += g->t[k] * e;
		}
		eic_diags_free(d);
	}
	if (rc < 0 || how.failed) {
		eic_buf_free(&how);
		return rc < 0 ? rc : EIC_ENOMEM;
	}
	if (missing) {
		out->text = missing;
		eic_buf_free(&how);
		if (im->o->ghg_strict) {
			if (diags)
				eic_diags_add(
				    diags, EIC_SEV_ERROR, "", 0, 0,
				    "avoided disposal emissions of %s offered by %s cannot be "
				    "computed: %s",
				    material, actor, missing);
			return EIC_EINVALID;
		}
		return out->text ? 0 : EIC_ENOMEM;
	}
	double spread = offered_t > out->disposed_t ? offered_t : out->disposed_t;
	out->kg_per_t = spread > 0 ? total_kg / spread : 0;
	if (offered_t > out->disposed_t * (1 + 1e-9)) {
		eic_fmt_amount(a, sizeof(a), offered_t);
		eic_fmt_amount(b, sizeof(b), out->disposed_t);
		eic_buf_printf(&how, "; spread over the %s t/yr offered, of which %s t/yr disposed",
		               a, b);
	}
	out->text = how.failed ? NULL : text(im, "%s", how.data ? how.data : "");
	eic_buf_free(&how);
	return out->text ? 0 : EIC_ENOMEM;
}
