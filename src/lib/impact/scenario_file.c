/* scenario_file.c: the scenario file (JSON, docs/format.md "Scenario file"): settings, material
 * mapping, BAU changes and alternatives, every reference checked against the cluster and every
 * problem located at file:line:column through the shared decoder (src/lib/io/json_decode.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/io/io_internal.h"
#include "scenario_private.h"

#define HUGE_AMOUNT 1e15

/* ---- the scenario object ------------------------------------------------------------------ */

static void alt_init(sc_alt *a)
{
	memset(a, 0, sizeof(*a));
	eic_vec_init(&a->changes, sizeof(sc_change));
}

int eic_scenario__new(eic_scenario **out, const eic_cluster *cluster)
{
	eic_scenario *s = eic_calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return EIC_ENOMEM;
	eic_arena_init(&s->arena);
	s->cluster = cluster;
	s->file = "";
	s->name = s->description = s->sources = "";
	s->gwp_set = "AR5";
	s->horizon_years = 30;
	s->timing = EIC_FOD_TIMING_IPCC;
	s->landfill_site = "managed_anaerobic";
	s->dump_site = "unmanaged_shallow";
	s->cover = "default";
	s->sector = "manufacturing";
	s->years = 15;
	s->discount_rate = 0.07;
	eic_vec_init(&s->matmap, sizeof(sc_matmap));
	eic_vec_init(&s->burners, sizeof(sc_burner));
	eic_vec_init(&s->recovery, sizeof(sc_recovery));
	eic_vec_init(&s->fees, sizeof(sc_fee));
	eic_vec_init(&s->prices, sizeof(sc_price));
	eic_vec_init(&s->notes, sizeof(const char *));
	eic_vec_init(&s->alts, sizeof(sc_alt));
	alt_init(&s->bau);
	s->bau.id = "bau";
	s->bau.name = "business as usual";
	s->bau.description = "";
	*out = s;
	return 0;
}

void eic_scenario_free(eic_scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->recovery.len; i++)
		eic_vec_free(&EIC_VEC_AT(&s->recovery, sc_recovery, i)->materials);
	for (size_t i = 0; i < s->alts.len; i++)
		eic_vec_free(&EIC_VEC_AT(&s->alts, sc_alt, i)->changes);
	eic_vec_free(&s->bau.changes);
	eic_vec_free(&s->matmap);
	eic_vec_free(&s->burners);
	eic_vec_free(&s->recovery);
	eic_vec_free(&s->fees);
	eic_vec_free(&s->prices);
	eic_vec_free(&s->notes);
	eic_vec_free(&s->alts);
	eic_arena_clear(&s->arena);
	eic_free(s);
}

const char *eic_scenario_name(const eic_scenario *s)
{
	return s ? s->name : "";
}

const char *eic_scenario_description(const eic_scenario *s)
{
	return s ? s->description : "";
}

const char *eic_scenario_sources(const eic_scenario *s)
{
	return s ? s->sources : "";
}

int eic_scenario_is_derived(const eic_scenario *s)
{
	return s ? s->derived : 0;
}

size_t eic_scenario_alternative_count(const eic_scenario *s)
{
	return s ? s->alts.len : 0;
}

const char *eic_scenario_alternative_id(const eic_scenario *s, size_t i)
{
	return s && i < s->alts.len ? EIC_VEC_AT(&s->alts, sc_alt, i)->id : NULL;
}

const char *eic_scenario_alternative_name(const eic_scenario *s, size_t i)
{
	return s && i < s->alts.len ? EIC_VEC_AT(&s->alts, sc_alt, i)->name : NULL;
}

int eic_scenario_find_alternative(size_t *out, const eic_scenario *s, const char *id)
{
	for (size_t i = 0; s && id && i < s->alts.len; i++)
		if (!strcmp(EIC_VEC_AT(&s->alts, sc_alt, i)->id, id)) {
			if (out)
				*out = i;
			return 0;
		}
	return EIC_ENOTFOUND;
}

/* ---- decoding ------------------------------------------------------------------------------ */

typedef struct {
	eic_jdec d;
	eic_scenario *s;
	const eic_cluster *c;
	eic_map flows; /* flow id -> index */
	eic_map added; /* ids of flows added by changes of the alternative being read */
} jctx;

#define jerr(j, ...) eic_io__jdec_error(&(j)->d, __VA_ARGS__)
#define FOUND(buf, v) eic_io__jdec_found(buf, sizeof(buf), v)

static void push_key(jctx *j, const char *key)
{
	if (j->d.depth < EIC_JDEC_MAX_DEPTH) {
		j->d.path[j->d.depth].key = key;
		j->d.path[j->d.depth].index = 0;
	}
	j->d.depth++;
}

static void push_index(jctx *j, size_t index)
{
	if (j->d.depth < EIC_JDEC_MAX_DEPTH) {
		j->d.path[j->d.depth].key = NULL;
		j->d.path[j->d.depth].index = index;
	}
	j->d.depth++;
}

/* A string at obj[key] copied into the arena: 1 given, 0 absent, -1 wrong type, -2 ENOMEM. */
static int get_str(jctx *j, json_t *obj, const char *key, const char **dst)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		jerr(j, key, -1, 0, "wrong type for '%s' (expected a string; found %s)", key,
		     FOUND(buf, v));
		return -1;
	}
	*dst = eic_arena_strdup(&j->s->arena, json_string_value(v));
	return *dst ? 1 : -2;
}

static int get_num(jctx *j, json_t *obj, const char *key, double *dst, double lo, double hi,
                   const char *expect)
{
	return eic_io__jdec_num(&j->d, obj, key, dst, lo, hi, expect);
}

/* Every key of obj must be in `keys` (NULL-terminated). */
static void check_keys(jctx *j, json_t *obj, const char *const *keys, const char *what)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		int known = 0;
		for (int i = 0; keys[i] && !known; i++)
			known = !strcmp(keys[i], key);
		if (!known) {
			char expect[512] = "";
			size_t used = 0;
			for (int i = 0; keys[i] && used < sizeof(expect); i++)
				used += (size_t)snprintf(expect + used, sizeof(expect) - used,
				                         "%s'%s'", i ? ", " : "", keys[i]);
			jerr(j, key, -1, 1,
			     "unknown key '%s' in %s (expected one of %s; found '%s')", key, what,
			     expect, key);
		}
	}
}

static int is_one_of(const char *v, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i]))
			return 1;
	return 0;
}

static const char *const climate_zones[] = {"boreal_temperate_dry", "boreal_temperate_wet",
                                            "tropical_dry", "tropical_wet", NULL};

/* A node reference of the cluster, or "facility:<id>" when `facility_ok`. */
static int check_node(jctx *j, json_t *obj, const char *key, const char *ref, int facility_ok,
                      const char *what)
{
	eic_node node;
	if (facility_ok && !strncmp(ref, "facility:", 9)) {
		if (eic_cluster_find_facility(j->c, ref + 9))
			return 0;
		jerr(j, key, -1, 0,
		     "unknown facility '%s' in %s (expected the id of a facility of cluster '%s'; "
		     "found '%s')",
		     ref + 9, what, eic_cluster_info_get(j->c)->id, ref);
		return -1;
	}
	if (eic_cluster_resolve_node(&node, j->c, ref) < 0) {
		jerr(j, key, -1, 0,
		     "unknown node '%s' in %s (expected an actor or process id, "
		     "boundary:<kind>%s; found '%s')",
		     ref, what, facility_ok ? " or facility:<id>" : "", ref);
		return -1;
	}
	return 0;
}

static const eic_offer *find_offer(const eic_cluster *c, const char *id)
{
	for (size_t i = 0; i < eic_cluster_offer_count(c); i++)
		if (!strcmp(eic_cluster_offer(c, i)->id, id))
			return eic_cluster_offer(c, i);
	return NULL;
}

static int level_exists(const eic_cluster *c, const char *facility, const char *level)
{
	for (size_t i = 0; i < eic_cluster_facility_level_count(c); i++) {
		const eic_facility_level *l = eic_cluster_facility_level(c, i);
		if (!strcmp(l->facility, facility) && !strcmp(l->level, level))
			return 1;
	}
	return 0;
}

static const char *const change_actions[] = {"reroute", "set",      "add", "facility",
                                             "match",   "exchange", NULL};
static const char *const change_keys[] = {
    "reroute", "set",   "add",      "facility",    "match", "exchange",        "with",
    "to",      "from",  "material", "quantity",    "unit",  "share",           "distance_km",
    "mode",    "level", "jobs",     "jobs_source", "note",  "replaces_virgin", "jobs_pathway",
    "low",     "high",  "rel_sd",   NULL};

/* Which keys each action takes besides itself and "note". */
static int key_allowed(sc_kind kind, const char *key)
{
	static const char *const reroute[] = {"to", "share", "distance_km", "mode", NULL};
	static const char *const set[] = {"quantity", "low", "high", "rel_sd", NULL};
	static const char *const add[] = {"from",        "to",   "material", "quantity",
	                                  "unit",        "low",  "high",     "rel_sd",
	                                  "distance_km", "mode", NULL};
	static const char *const facility[] = {"level", "jobs", "jobs_source", NULL};
	static const char *const match[] = {"with", "quantity",        "distance_km",
	                                    "mode", "replaces_virgin", NULL};
	static const char *const exchange[] = {"from", "to",   "material",        "quantity",
	                                       "unit", "mode", "replaces_virgin", NULL};
	static const char *const distance_exchange[] = {"distance_km", NULL};
	const char *const *list = reroute;
	switch (kind) {
	case SC_REROUTE:
		list = reroute;
		break;
	case SC_SET:
		list = set;
		break;
	case SC_ADD:
		list = add;
		break;
	case SC_FACILITY:
		list = facility;
		break;
	case SC_MATCH:
		list = match;
		break;
	case SC_EXCHANGE:
		if (is_one_of(key, distance_exchange))
			return 1;
		list = exchange;
		break;
	}
	if (!strcmp(key, "jobs_pathway"))
		return kind != SC_SET;
	return !strcmp(key, "note") || is_one_of(key, list);
}

/* The activity range of a 'set' or 'add' change: "low" and "high" around "quantity"
 * (triangular, like factor ranges) or "rel_sd" (normal multiplier, like flows), not both. */
static void decode_range(jctx *j, json_t *obj, sc_change *ch, const char *action)
{
	int has_low = get_num(j, obj, "low", &ch->low, 0, HUGE_AMOUNT, "an amount, 0 or more") > 0;
	int has_high =
	    get_num(j, obj, "high", &ch->high, 0, HUGE_AMOUNT, "an amount, 0 or more") > 0;
	int has_sd = get_num(j, obj, "rel_sd", &ch->rel_sd, 0, 10,
	                     "a relative standard deviation from 0 to 10") > 0;
	if (has_low != has_high) {
		jerr(j, has_low ? "low" : "high", -1, 0,
		     "'%s' without '%s' in a '%s' change (expected both ends of the range of "
		     "'quantity'; found only '%s')",
		     has_low ? "low" : "high", has_low ? "high" : "low", action,
		     has_low ? "low" : "high");
		ch->low = ch->high = NAN;
		return;
	}
	if (has_low && has_sd) {
		jerr(j, "rel_sd", -1, 0,
		     "both a range and 'rel_sd' in a '%s' change (expected either 'low' and "
		     "'high' or 'rel_sd'; found both)",
		     action);
		return;
	}
	if (has_low && !isnan(ch->quantity) &&
	    !(ch->low <= ch->quantity && ch->quantity <= ch->high))
		jerr(j, "low", -1, 0,
		     "range of a '%s' change does not contain its quantity (expected low <= "
		     "quantity <= high; found %g <= %g <= %g)",
		     action, ch->low, ch->quantity, ch->high);
	if (has_low && !isnan(ch->quantity) && ch->quantity == 0 && ch->high > 0)
		jerr(j, "high", -1, 0,
		     "range of a '%s' change around a quantity of 0 (expected a positive "
		     "quantity to scale; found 0 with high %g)",
		     action, ch->high);
}

/* Decode one change object at the current path into *ch. Returns 0, or EIC_ENOMEM. */
static int decode_change(jctx *j, json_t *obj, sc_change *ch)
{
	char buf[96];
	memset(ch, 0, sizeof(*ch));
	ch->quantity = NAN;
	ch->low = ch->high = ch->rel_sd = NAN;
	ch->share = 1.0;
	ch->distance_km = NAN;
	ch->mode = "truck";
	ch->replaces_virgin = 1;
	ch->jobs = NAN;
	ch->note = "";
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0, "wrong type for a change (expected an object; found %s)",
		     FOUND(buf, obj));
		return 0;
	}
	int actions = 0, kind = -1;
	const char *action = NULL;
	for (int i = 0; change_actions[i]; i++)
		if (json_object_get(obj, change_actions[i])) {
			actions++;
			if (kind < 0) {
				kind = i;
				action = change_actions[i];
			}
		}
	if (actions != 1) {
		jerr(j, NULL, -1, 0,
		     "a change needs exactly one action (expected one of 'reroute', 'set', 'add', "
		     "'facility', 'match', 'exchange'; found %d)",
		     actions);
		check_keys(j, obj, change_keys, "a change");
		return 0;
	}
	ch->kind = (sc_kind)kind;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		if (!strcmp(key, action))
			continue;
		if (!key_allowed(ch->kind, key))
			jerr(j, key, -1, 1,
			     "key '%s' does not apply to a '%s' change (expected the keys listed "
			     "for "
			     "'%s' in docs/format.md; found '%s')",
			     key, action, action, key);
	}
	const char *target = NULL;
	int rc = get_str(j, obj, action, &target);
	if (rc == -2)
		return EIC_ENOMEM;
	if (rc <= 0)
		return 0; /* wrong type reported */
	if ((rc = get_str(j, obj, "note", &ch->note)) == -2)
		return EIC_ENOMEM;
	get_num(j, obj, "distance_km", &ch->distance_km, 0, 1e6, "a distance in km, 0 to 10^6");
	if (get_str(j, obj, "mode", &ch->mode) == -2 ||
	    get_str(j, obj, "jobs_pathway", &ch->jobs_pathway) == -2)
		return EIC_ENOMEM;
	size_t flow_index;
	switch (ch->kind) {
	case SC_REROUTE:
	case SC_SET:
		ch->flow = target;
		if (!eic_map_get(&j->flows, target, &flow_index) &&
		    !eic_map_get(&j->added, target, &flow_index))
			jerr(j, action, -1, 0,
			     "unknown flow '%s' (expected the id of a flow of cluster '%s' or of a "
			     "flow added earlier in the same list; found '%s')",
			     target, eic_cluster_info_get(j->c)->id, target);
		if (ch->kind == SC_REROUTE) {
			get_num(j, obj, "share", &ch->share, 1e-12, 1.0,
			        "a share of the flow above 0, at most 1");
			if ((rc = get_str(j, obj, "to", &ch->to)) == -2)
				return EIC_ENOMEM;
			if (rc == 0)
				jerr(j, NULL, -1, 0,
				     "missing key 'to' in a 'reroute' change (expected the new "
				     "destination: a node or facility:<id>; found none)");
			else if (rc > 0)
				check_node(j, obj, "to", ch->to, 1, "the destination of a reroute");
		} else {
			if (get_num(j, obj, "quantity", &ch->quantity, 0, HUGE_AMOUNT,
			            "an amount in the flow's unit, 0 or more") == 0)
				jerr(
				    j, NULL, -1, 0,
				    "missing key 'quantity' in a 'set' change (expected the flow's "
				    "amount in the scenario, in its unit; found none)");
		}
		break;
	case SC_ADD:
	case SC_EXCHANGE: {
		if (ch->kind == SC_ADD) {
			ch->id = target;
			if (eic_map_get(&j->flows, target, &flow_index) ||
			    eic_map_get(&j->added, target, &flow_index))
				jerr(j, action, -1, 0,
				     "duplicate flow id '%s' (expected a new id; found one that is "
				     "already used)",
				     target);
			else if (eic_map_put(&j->added, target, 0) < 0)
				return EIC_ENOMEM;
		} else {
			ch->id = target;
		}
		static const char *const need[] = {"from", "to", "material", NULL};
		const char **dst[] = {&ch->from, &ch->to, &ch->material};
		for (int i = 0; need[i]; i++) {
			if ((rc = get_str(j, obj, need[i], dst[i])) == -2)
				return EIC_ENOMEM;
			if (rc == 0)
				jerr(j, NULL, -1, 0,
				     "missing key '%s' in an '%s' change (expected %s; found none)",
				     need[i], action,
				     i == 2 ? "a material id" : "an actor or process id");
		}
		if (ch->from)
			check_node(j, obj, "from", ch->from, ch->kind == SC_ADD, "the origin");
		if (ch->to)
			check_node(j, obj, "to", ch->to, ch->kind == SC_ADD, "the destination");
		if (ch->material && !eic_cluster_find_material(j->c, ch->material))
			jerr(j, "material", -1, 0,
			     "unknown material '%s' (expected a material of cluster '%s' or of the "
			     "catalogue; found '%s')",
			     ch->material, eic_cluster_info_get(j->c)->id, ch->material);
		if (get_num(j, obj, "quantity", &ch->quantity, 0, HUGE_AMOUNT,
		            "an amount, 0 or more") == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'quantity' in an '%s' change (expected an amount over "
			     "the period; found none)",
			     action);
		if ((rc = get_str(j, obj, "unit", &ch->unit)) == -2)
			return EIC_ENOMEM;
		if (rc == 0)
			ch->unit = "t";
		else if (rc > 0) {
			eic_unit u;
			if (eic_unit_parse(&u, ch->unit) < 0)
				jerr(j, "unit", -1, 0,
				     "unknown unit '%s' (expected a unit such as t, kg, m3, GJ; "
				     "found "
				     "'%s')",
				     ch->unit, ch->unit);
		}
		if (ch->kind == SC_EXCHANGE)
			eic_io__jdec_bool(&j->d, obj, "replaces_virgin", &ch->replaces_virgin);
		break;
	}
	case SC_FACILITY:
		ch->facility = target;
		if (!eic_cluster_find_facility(j->c, target)) {
			jerr(
			    j, action, -1, 0,
			    "unknown facility '%s' (expected the id of a facility of cluster '%s'; "
			    "found '%s')",
			    target, eic_cluster_info_get(j->c)->id, target);
			break;
		}
		if ((rc = get_str(j, obj, "level", &ch->level)) == -2)
			return EIC_ENOMEM;
		if (rc == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'level' in a 'facility' change (expected a level of "
			     "facility '%s' in facility_levels.csv; found none)",
			     target);
		else if (rc > 0 && !level_exists(j->c, target, ch->level))
			jerr(j, "level", -1, 0,
			     "unknown level '%s' of facility '%s' (expected a level of "
			     "facility_levels.csv; found '%s')",
			     ch->level, target, ch->level);
		get_num(j, obj, "jobs", &ch->jobs, 0, 1e7, "a number of jobs, 0 or more");
		if (get_str(j, obj, "jobs_source", &ch->jobs_source) == -2)
			return EIC_ENOMEM;
		if (!isnan(ch->jobs) && !ch->jobs_source)
			jerr(j, "jobs", -1, 0,
			     "jobs stated without a source (expected 'jobs_source' naming where "
			     "the number comes from; found none)");
		break;
	case SC_MATCH: {
		ch->have = target;
		const eic_offer *have = find_offer(j->c, target), *want = NULL;
		if (!have)
			jerr(j, action, -1, 0,
			     "unknown offer '%s' (expected the id of a 'have' offer of cluster "
			     "'%s'; "
			     "found '%s')",
			     target, eic_cluster_info_get(j->c)->id, target);
		else if (have->type != EIC_OFFER_HAVE)
			jerr(j, action, -1, 0,
			     "offer '%s' is a want (expected a 'have' offer; found a 'want')",
			     target);
		if ((rc = get_str(j, obj, "with", &ch->want)) == -2)
			return EIC_ENOMEM;
		if (rc == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'with' in a 'match' change (expected the id of a 'want' "
			     "offer; found none)");
		else if (rc > 0) {
			want = find_offer(j->c, ch->want);
			if (!want)
				jerr(j, "with", -1, 0,
				     "unknown offer '%s' (expected the id of a 'want' offer of "
				     "cluster '%s'; found '%s')",
				     ch->want, eic_cluster_info_get(j->c)->id, ch->want);
			else if (want->type != EIC_OFFER_WANT)
				jerr(j, "with", -1, 0,
				     "offer '%s' is a have (expected a 'want' offer; found a "
				     "'have')",
				     ch->want);
		}
		if (have && want && have->type == EIC_OFFER_HAVE && want->type == EIC_OFFER_WANT &&
		    strcmp(have->material, want->material))
			jerr(j, "with", -1, 0,
			     "offers '%s' and '%s' are for different materials (expected the same "
			     "material; found '%s' and '%s')",
			     have->id, want->id, have->material, want->material);
		if (have)
			ch->material = have->material;
		get_num(j, obj, "quantity", &ch->quantity, 0, HUGE_AMOUNT,
		        "an amount over the period in t, 0 or more");
		eic_io__jdec_bool(&j->d, obj, "replaces_virgin", &ch->replaces_virgin);
		break;
	}
	}
	if (ch->kind == SC_SET || ch->kind == SC_ADD)
		decode_range(j, obj, ch, action);
	return 0;
}

/* An array of changes at obj[key] appended to `alt`. */
static int decode_changes(jctx *j, json_t *arr, const char *key, sc_alt *alt)
{
	char buf[96];
	if (!json_is_array(arr)) {
		jerr(j, key, -1, 0, "wrong type for '%s' (expected an array of changes; found %s)",
		     key, FOUND(buf, arr));
		return 0;
	}
	int base = j->d.depth;
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		sc_change ch;
		j->d.depth = base;
		push_key(j, key);
		push_index(j, i);
		int rc = decode_change(j, item, &ch);
		if (rc < 0)
			return rc;
		if (!eic_vec_push(&alt->changes, &ch))
			return EIC_ENOMEM;
	}
	j->d.depth = base;
	return 0;
}

static int decode_settings(jctx *j, json_t *obj)
{
	static const char *const keys[] = {"climate_zone",  "gwp",
	                                   "horizon_years", "timing",
	                                   "landfill_site", "dump_site",
	                                   "cover",         "combustion_sector",
	                                   "grid",          "appraisal_years",
	                                   "discount_rate", "period",
	                                   "per_flow",      "per_material",
	                                   "per_unit",      NULL};
	char buf[96];
	eic_scenario *s = j->s;
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0, "wrong type for 'settings' (expected an object; found %s)",
		     FOUND(buf, obj));
		return 0;
	}
	check_keys(j, obj, keys, "'settings'");
	int rc;
	if ((rc = get_str(j, obj, "climate_zone", &s->climate_zone)) == -2)
		return EIC_ENOMEM;
	if (rc > 0 && !is_one_of(s->climate_zone, climate_zones))
		jerr(j, "climate_zone", -1, 0,
		     "unknown climate zone '%s' (expected %s; found '%s')", s->climate_zone,
		     EIC_FOD_CLIMATE_ZONES, s->climate_zone);
	const char **strs[] = {&s->gwp_set,      &s->landfill_site, &s->dump_site, &s->cover,
	                       &s->sector,       &s->grid,          &s->period,    &s->per_flow,
	                       &s->per_material, &s->per_unit};
	const char *names[] = {
	    "gwp",  "landfill_site", "dump_site", "cover",        "combustion_sector",
	    "grid", "period",        "per_flow",  "per_material", "per_unit"};
	for (int i = 0; i < 10; i++)
		if (get_str(j, obj, names[i], strs[i]) == -2)
			return EIC_ENOMEM;
	size_t flow_index;
	if (s->per_flow && s->per_material)
		jerr(j, "per_material", -1, 0,
		     "both 'per_flow' and 'per_material' in 'settings' (expected one reference "
		     "for per-unit figures; found both)");
	if (s->per_flow && !eic_map_get(&j->flows, s->per_flow, &flow_index))
		jerr(j, "per_flow", -1, 0,
		     "unknown flow '%s' in 'per_flow' (expected the id of a product flow of "
		     "cluster '%s'; found '%s')",
		     s->per_flow, eic_cluster_info_get(j->c)->id, s->per_flow);
	if (s->per_material && !eic_cluster_find_material(j->c, s->per_material))
		jerr(j, "per_material", -1, 0,
		     "unknown material '%s' in 'per_material' (expected a material of cluster "
		     "'%s' or of the catalogue; found '%s')",
		     s->per_material, eic_cluster_info_get(j->c)->id, s->per_material);
	if (s->per_unit) {
		eic_unit u;
		if (eic_unit_parse(&u, s->per_unit) < 0)
			jerr(j, "per_unit", -1, 0,
			     "unknown unit '%s' in 'per_unit' (expected a unit such as t, kg, "
			     "m3, MWh; found '%s')",
			     s->per_unit, s->per_unit);
	}
	if (s->period && !eic_cluster_find_period(j->c, s->period))
		jerr(j, "period", -1, 0,
		     "unknown period '%s' (expected a period id of cluster '%s'; found '%s')",
		     s->period, eic_cluster_info_get(j->c)->id, s->period);
	double x = 0;
	if (get_num(j, obj, "horizon_years", &x, 1, EIC_FOD_MAX_YEARS,
	            "a whole number of years from 1 to 500") > 0) {
		if (x != floor(x))
			jerr(j, "horizon_years", -1, 0,
			     "'horizon_years' is not a whole number (expected 1 to 500; found %g)",
			     x);
		s->horizon_years = (size_t)x;
	}
	if (get_num(j, obj, "appraisal_years", &x, 1, 100,
	            "a whole number of years from 1 to 100") > 0) {
		if (x != floor(x))
			jerr(
			    j, "appraisal_years", -1, 0,
			    "'appraisal_years' is not a whole number (expected 1 to 100; found %g)",
			    x);
		s->years = (size_t)x;
	}
	get_num(j, obj, "discount_rate", &s->discount_rate, 0, 1, "a rate from 0 to 1");
	const char *timing = NULL;
	if ((rc = get_str(j, obj, "timing", &timing)) == -2)
		return EIC_ENOMEM;
	if (rc > 0) {
		if (!strcmp(timing, "ipcc"))
			s->timing = EIC_FOD_TIMING_IPCC;
		else if (!strcmp(timing, "cdm"))
			s->timing = EIC_FOD_TIMING_CDM;
		else
			jerr(j, "timing", -1, 0,
			     "unknown timing '%s' (expected \"ipcc\" or \"cdm\"; found '%s')",
			     timing, timing);
	}
	return 0;
}

static int decode_materials(jctx *j, json_t *obj)
{
	static const char *const keys[] = {"waste_type", "fuel", "note", NULL};
	char buf[96];
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0, "wrong type for 'materials' (expected an object; found %s)",
		     FOUND(buf, obj));
		return 0;
	}
	const char *key;
	json_t *v;
	int base = j->d.depth;
	json_object_foreach(obj, key, v)
	{
		sc_matmap m = {NULL, NULL, NULL};
		j->d.depth = base;
		if (!eic_cluster_find_material(j->c, key))
			jerr(j, key, -1, 1,
			     "unknown material '%s' (expected a material of cluster '%s' or of the "
			     "catalogue; found '%s')",
			     key, eic_cluster_info_get(j->c)->id, key);
		push_key(j, key);
		if (!json_is_object(v)) {
			j->d.depth = base;
			jerr(j, key, -1, 0,
			     "wrong type for material '%s' (expected an object with 'waste_type' "
			     "and/or 'fuel'; found %s)",
			     key, FOUND(buf, v));
			continue;
		}
		check_keys(j, v, keys, "a material mapping");
		const char *note = NULL;
		if (get_str(j, v, "waste_type", &m.waste_type) == -2 ||
		    get_str(j, v, "fuel", &m.fuel) == -2 || get_str(j, v, "note", &note) == -2)
			return EIC_ENOMEM;
		m.material = eic_arena_strdup(&j->s->arena, key);
		if (!m.material || !eic_vec_push(&j->s->matmap, &m))
			return EIC_ENOMEM;
	}
	j->d.depth = base;
	return 0;
}

/* "combustion": [{node, fuel, sector}] and "energy_recovery": [{node, materials}] */
static int decode_nodes(jctx *j, json_t *arr, const char *what)
{
	char buf[96];
	int burners = !strcmp(what, "combustion");
	static const char *const bkeys[] = {"node", "fuel", "sector", "note", NULL};
	static const char *const rkeys[] = {"node", "materials", "note", NULL};
	if (!json_is_array(arr)) {
		jerr(j, NULL, -1, 0, "wrong type for '%s' (expected an array of objects; found %s)",
		     what, FOUND(buf, arr));
		return 0;
	}
	int base = j->d.depth;
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		j->d.depth = base;
		push_index(j, i);
		if (!json_is_object(item)) {
			jerr(j, NULL, -1, 0, "wrong type in '%s' (expected an object; found %s)",
			     what, FOUND(buf, item));
			continue;
		}
		check_keys(j, item, burners ? bkeys : rkeys,
		           burners ? "a combustion entry" : "an energy-recovery entry");
		const char *node = NULL, *note = NULL;
		int rc = get_str(j, item, "node", &node);
		if (rc == -2 || get_str(j, item, "note", &note) == -2)
			return EIC_ENOMEM;
		if (rc == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'node' (expected an actor or process id; found none)");
		else if (rc > 0)
			check_node(j, item, "node", node, 0, what);
		if (burners) {
			sc_burner b = {node, NULL, NULL};
			if (get_str(j, item, "fuel", &b.fuel) == -2 ||
			    get_str(j, item, "sector", &b.sector) == -2)
				return EIC_ENOMEM;
			if (!eic_vec_push(&j->s->burners, &b))
				return EIC_ENOMEM;
		} else {
			sc_recovery r;
			r.node = node;
			eic_vec_init(&r.materials, sizeof(const char *));
			if (!eic_vec_push(&j->s->recovery, &r))
				return EIC_ENOMEM;
			sc_recovery *rp =
			    EIC_VEC_AT(&j->s->recovery, sc_recovery, j->s->recovery.len - 1);
			json_t *mats = json_object_get(item, "materials");
			if (mats && !json_is_array(mats))
				jerr(j, "materials", -1, 0,
				     "wrong type for 'materials' (expected an array of material "
				     "ids; "
				     "found %s)",
				     FOUND(buf, mats));
			else if (mats) {
				size_t k;
				json_t *m;
				json_array_foreach(mats, k, m)
				{
					if (!json_is_string(m) || !eic_cluster_find_material(
					                              j->c, json_string_value(m))) {
						jerr(j, "materials", (long)k, 0,
						     "unknown material in 'materials' (expected a "
						     "material id; found %s)",
						     FOUND(buf, m));
						continue;
					}
					const char *id =
					    eic_arena_strdup(&j->s->arena, json_string_value(m));
					if (!id || !eic_vec_push(&rp->materials, &id))
						return EIC_ENOMEM;
				}
			}
		}
	}
	j->d.depth = base;
	return 0;
}

/* "disposal_fees": {fate: {value, unit, source}} and "prices": {material: {...}} */
static int decode_money(jctx *j, json_t *obj, int fees)
{
	static const char *const keys[] = {"value", "unit", "source", NULL};
	static const char *const fates[] = {"landfill", "open_dumping", "open_burning", NULL};
	const char *what = fees ? "disposal_fees" : "prices";
	const char *currency = eic_cluster_info_get(j->c)->currency;
	char buf[96];
	if (!json_is_object(obj)) {
		jerr(j, NULL, -1, 0, "wrong type for '%s' (expected an object; found %s)", what,
		     FOUND(buf, obj));
		return 0;
	}
	int base = j->d.depth;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		j->d.depth = base;
		if (fees && !is_one_of(key, fates))
			jerr(j, key, -1, 1,
			     "unknown fate '%s' in 'disposal_fees' (expected \"landfill\", "
			     "\"open_dumping\" or \"open_burning\"; found '%s')",
			     key, key);
		if (!fees && !eic_cluster_find_material(j->c, key))
			jerr(j, key, -1, 1,
			     "unknown material '%s' in 'prices' (expected a material id; found "
			     "'%s')",
			     key, key);
		if (!json_is_object(v)) {
			jerr(j, key, -1, 0,
			     "wrong type for '%s' (expected an object with value, unit, source; "
			     "found %s)",
			     key, FOUND(buf, v));
			continue;
		}
		push_key(j, key);
		check_keys(j, v, keys, fees ? "a disposal fee" : "a price");
		double value = NAN;
		const char *unit = NULL, *source = NULL;
		if (get_num(j, v, "value", &value, 0, HUGE_AMOUNT,
		            "an amount of money, 0 or more") == 0)
			jerr(j, NULL, -1, 0, "missing key 'value' (expected a number; found none)");
		int ru = get_str(j, v, "unit", &unit), rs = get_str(j, v, "source", &source);
		if (ru == -2 || rs == -2)
			return EIC_ENOMEM;
		if (ru == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'unit' (expected <currency>/<unit>, e.g. \"%s/t\"; found "
			     "none)",
			     currency ? currency : "USD");
		else if (ru > 0) {
			const char *slash = strchr(unit, '/');
			eic_unit u;
			if (!slash ||
			    (currency && strncmp(unit, currency, (size_t)(slash - unit))) ||
			    (currency && strlen(currency) != (size_t)(slash - unit)) ||
			    eic_unit_parse(&u, slash + 1) < 0)
				jerr(j, "unit", -1, 0,
				     "bad unit '%s' (expected %s/<unit> in the cluster currency, "
				     "e.g. "
				     "\"%s/t\"; found '%s')",
				     unit, currency, currency, unit);
		}
		if (rs == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'source' (expected where the number comes from; found "
			     "none)");
		if (fees) {
			sc_fee f = {eic_arena_strdup(&j->s->arena, key), value, unit, source};
			if (!f.fate || !eic_vec_push(&j->s->fees, &f))
				return EIC_ENOMEM;
		} else {
			sc_price p = {eic_arena_strdup(&j->s->arena, key), value, unit, source};
			if (!p.material || !eic_vec_push(&j->s->prices, &p))
				return EIC_ENOMEM;
		}
	}
	j->d.depth = base;
	return 0;
}

static int decode_alternatives(jctx *j, json_t *arr)
{
	static const char *const keys[] = {"id", "name", "description", "changes", NULL};
	char buf[96];
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		jerr(j, "alternatives", -1, 0,
		     "wrong type for 'alternatives' (expected a non-empty array of objects; found "
		     "%s)",
		     json_is_array(arr) ? "an empty array" : FOUND(buf, arr));
		return 0;
	}
	int base = j->d.depth;
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		j->d.depth = base;
		push_key(j, "alternatives");
		push_index(j, i);
		if (!json_is_object(item)) {
			jerr(j, NULL, -1, 0,
			     "wrong type for an alternative (expected an object; found %s)",
			     FOUND(buf, item));
			continue;
		}
		check_keys(j, item, keys, "an alternative");
		sc_alt a;
		alt_init(&a);
		int rc;
		if ((rc = get_str(j, item, "id", &a.id)) == -2 ||
		    get_str(j, item, "name", &a.name) == -2 ||
		    get_str(j, item, "description", &a.description) == -2) {
			eic_vec_free(&a.changes);
			return EIC_ENOMEM;
		}
		if (rc == 0)
			jerr(j, NULL, -1, 0,
			     "missing key 'id' in an alternative (expected a short name such as "
			     "\"eco\"; found none)");
		if (a.id && strcmp(a.id, "bau") == 0)
			jerr(j, "id", -1, 0,
			     "alternative id 'bau' is reserved (expected another id; found 'bau')");
		if (a.id && eic_scenario_find_alternative(NULL, j->s, a.id) == 0)
			jerr(j, "id", -1, 0,
			     "duplicate alternative id '%s' (expected a unique id; found it twice)",
			     a.id);
		if (!a.name)
			a.name = a.id ? a.id : "";
		if (!a.id)
			a.id = ""; /* refused above; later alternatives still compare ids */
		if (!a.description)
			a.description = "";
		json_t *ch = json_object_get(item, "changes");
		eic_map_free(&j->added);
		eic_map_init(&j->added);
		if (ch && (rc = decode_changes(j, ch, "changes", &a)) < 0) {
			eic_vec_free(&a.changes);
			return rc;
		}
		if (!eic_vec_push(&j->s->alts, &a)) {
			eic_vec_free(&a.changes);
			return EIC_ENOMEM;
		}
	}
	j->d.depth = base;
	return 0;
}

static int decode_root(jctx *j, json_t *root)
{
	static const char *const keys[] = {"eic_scenario",  "cluster",    "name",
	                                   "description",   "sources",    "settings",
	                                   "materials",     "combustion", "energy_recovery",
	                                   "disposal_fees", "prices",     "bau",
	                                   "alternatives",  NULL};
	eic_scenario *s = j->s;
	check_keys(j, root, keys, "the scenario file");
	double version = 0;
	int rc = get_num(j, root, "eic_scenario", &version, 1, 1e9, "the format version 1");
	if (rc == 0)
		jerr(j, NULL, -1, 0,
		     "missing key 'eic_scenario' (expected the format version 1; found none)");
	else if (rc > 0 && version != EIC_SCENARIO_FORMAT_VERSION)
		jerr(j, "eic_scenario", -1, 0,
		     "unsupported scenario format version (expected 1; found %g)", version);
	const char *cluster_id = NULL;
	if ((rc = get_str(j, root, "cluster", &cluster_id)) == -2)
		return EIC_ENOMEM;
	if (rc > 0 && strcmp(cluster_id, eic_cluster_info_get(j->c)->id))
		jerr(j, "cluster", -1, 0,
		     "scenario is for another cluster (expected '%s'; found '%s')",
		     eic_cluster_info_get(j->c)->id, cluster_id);
	if (get_str(j, root, "name", &s->name) == -2 ||
	    get_str(j, root, "description", &s->description) == -2 ||
	    get_str(j, root, "sources", &s->sources) == -2)
		return EIC_ENOMEM;
	json_t *v;
	if ((v = json_object_get(root, "settings"))) {
		push_key(j, "settings");
		rc = decode_settings(j, v);
		j->d.depth = 0;
		if (rc < 0)
			return rc;
	}
	if ((v = json_object_get(root, "materials"))) {
		push_key(j, "materials");
		rc = decode_materials(j, v);
		j->d.depth = 0;
		if (rc < 0)
			return rc;
	}
	const char *lists[] = {"combustion", "energy_recovery"};
	for (int i = 0; i < 2; i++)
		if ((v = json_object_get(root, lists[i]))) {
			push_key(j, lists[i]);
			rc = decode_nodes(j, v, lists[i]);
			j->d.depth = 0;
			if (rc < 0)
				return rc;
		}
	const char *money[] = {"disposal_fees", "prices"};
	for (int i = 0; i < 2; i++)
		if ((v = json_object_get(root, money[i]))) {
			push_key(j, money[i]);
			rc = decode_money(j, v, i == 0);
			j->d.depth = 0;
			if (rc < 0)
				return rc;
		}
	if ((v = json_object_get(root, "bau")) && (rc = decode_changes(j, v, "bau", &s->bau)) < 0)
		return rc;
	j->d.depth = 0;
	v = json_object_get(root, "alternatives");
	if (!v)
		jerr(j, NULL, -1, 0,
		     "missing key 'alternatives' (expected an array with at least one alternative; "
		     "found none)");
	else if ((rc = decode_alternatives(j, v)) < 0)
		return rc;
	return 0;
}

int eic_scenario_read_buffer(eic_scenario **out, const eic_cluster *cluster, const char *name,
                             const char *data, size_t size, eic_diags *diags)
{
	eic_scenario *s = NULL;
	json_t *root = NULL;
	jctx j;
	int rc;
	memset(&j, 0, sizeof(j));
	eic_map_init(&j.flows);
	eic_map_init(&j.added);
	if (!out || !cluster || !name || (!data && size > 0)) {
		rc = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if ((rc = eic_io__json_object_doc(&root, diags, name, data, size, "document")) < 0)
		goto done;
	if ((rc = eic_scenario__new(&s, cluster)) < 0)
		goto done;
	if (!(s->file = eic_arena_strdup(&s->arena, name))) {
		rc = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < eic_cluster_flow_count(cluster); i++)
		if (eic_map_put(&j.flows, eic_cluster_flow(cluster, i)->id, i) < 0) {
			rc = EIC_ENOMEM;
			goto done;
		}
	eic_io__jdec_init(&j.d, diags, s->file, data, size);
	j.s = s;
	j.c = cluster;
	if ((rc = decode_root(&j, root)) < 0)
		goto done;
	if ((rc = eic_io__jdec_status(&j.d)) < 0)
		goto done;
	*out = s;
	s = NULL;
	rc = 0;
done:
	eic_map_free(&j.flows);
	eic_map_free(&j.added);
	json_decref(root);
	eic_scenario_free(s);
	return rc;
}

int eic_scenario_read(eic_scenario **out, const eic_cluster *cluster, const char *path,
                      eic_diags *diags)
{
	if (!out || !cluster || !path)
		return EIC_EINVAL;
	*out = NULL;
	eic_buf b = EIC_BUF_INIT;
	int rc = eic_io__read_file(&b, diags, path, (size_t)64 * 1024 * 1024, "scenario file");
	if (!rc)
		rc = eic_scenario_read_buffer(out, cluster, path, b.data ? b.data : "", b.len,
		                              diags);
	eic_buf_free(&b);
	return rc;
}
