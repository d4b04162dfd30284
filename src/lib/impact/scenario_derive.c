/* scenario_derive.c: the default eco-cluster scenario derived from a cluster (flows to landfill,
 * dumps and burning rerouted to candidate facilities or wanting actors), and the default
 * mapping of catalogue materials to IPCC waste types and fuels (docs/methods/scenarios.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <eic/io.h>

#include "scenario_private.h"

/* Category prefix -> IPCC 2006 Vol. 5 Ch. 2 Table 2.4 waste type. First match wins; the list
 * is ordered from specific to general. Where IPCC gives no row for the material (manure,
 * digestate), no default is given: the scenario must map it. */
static const struct {
	const char *prefix;
	const char *waste_type;
} waste_types[] = {
    {"biomass/food", "food_waste"},
    {"biomass/organic_waste", "food_waste"},
    {"biomass/agricultural/produce_loss", "food_waste"},
    {"agri/coconut/water", "food_waste"},
    {"agri/coconut/parings", "food_waste"},
    {"biomass/agri_residue/cassava_pulp", "food_waste"},
    {"biomass/wood", "wood_straw"},
    {"biomass/agri_residue", "wood_straw"},
    {"biomass/agricultural", "wood_straw"},
    {"biomass/fermentation_residue", "sewage_sludge"},
    {"sludge", "sewage_sludge"},
    {"ash", "inert_glass_plastic_metal"},
    {"slag", "inert_glass_plastic_metal"},
    {"minerals", "inert_glass_plastic_metal"},
    {"metals", "inert_glass_plastic_metal"},
    {"rubber", "rubber_leather"},
    {"products/used/footwear", "rubber_leather"},
    {"textiles", "textiles"},
    {"paper", "paper_cardboard"},
};

/* Material id -> IPCC 2006 Vol. 2 Ch. 1 fuel key. */
static const struct {
	const char *material;
	const char *fuel;
} fuels[] = {
    {"diesel", "gas_diesel_oil"},      {"petrol", "motor_gasoline"},
    {"fuel_oil", "residual_fuel_oil"}, {"coal", "other_bituminous_coal"},
    {"natural_gas", "natural_gas"},    {"lpg", "LPG"},
    {"kerosene", "other_kerosene"},    {"charcoal", "charcoal"},
    {"biogas", "biogas_other"},
};

static int has_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return !strncmp(s, prefix, n) && (s[n] == '\0' || s[n] == '/');
}

const char *eic_scenario__default_waste_type(const eic_material *m)
{
	if (!m || !m->category)
		return NULL;
	for (size_t i = 0; i < sizeof(waste_types) / sizeof(waste_types[0]); i++)
		if (has_prefix(m->category, waste_types[i].prefix))
			return waste_types[i].waste_type;
	return NULL;
}

const char *eic_scenario__default_fuel(const eic_material *m)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < sizeof(fuels) / sizeof(fuels[0]); i++)
		if (!strcmp(m->id, fuels[i].material))
			return fuels[i].fuel;
	if (m->category && (has_prefix(m->category, "biomass/wood") ||
	                    has_prefix(m->category, "biomass/agri_residue")))
		return m->category && has_prefix(m->category, "biomass/wood")
		           ? "wood_wood_waste"
		           : "other_primary_solid_biomass";
	return NULL;
}

static int note(eic_scenario *s, const char *text)
{
	const char *copy = eic_arena_strdup(&s->arena, text);
	if (!copy || !eic_vec_push(&s->notes, &copy))
		return EIC_ENOMEM;
	return 0;
}

/* Does facility `f` take `material` as an input? */
static int facility_takes(const eic_cluster *c, const char *facility, const char *material)
{
	for (size_t i = 0; i < eic_cluster_facility_coef_count(c); i++) {
		const eic_facility_coef *k = eic_cluster_facility_coef(c, i);
		if (k->direction == EIC_DIR_INPUT && !strcmp(k->facility, facility) &&
		    !strcmp(k->material, material))
			return 1;
	}
	return 0;
}

/* Derivation rule (docs/methods/scenarios.md "Derived scenario"): for each flow of the
 * cluster to landfill, open dumping or open burning, in flow order: (1) the first candidate
 * facility with an input coefficient for its material takes it (the facility is opened at its
 * largest level; the evaluation reports throughput above capacity); (2) otherwise the first
 * actor with a want offer for the material gets an exchange of the flow's mass, up to the
 * want's quantity (t per period as the flow). Climate zone: tropical_wet when the mean
 * latitude of the actors is within 23.44 degrees of the equator, else boreal_temperate_wet;
 * this assumption is stated in the notes. O(flows x (facilities + offers)). */
int eic_scenario_derive(eic_scenario **out, const eic_cluster *cluster, eic_diags *diags)
{
	eic_scenario *s = NULL;
	int rc;
	(void)diags;
	if (!out || !cluster)
		return EIC_EINVAL;
	*out = NULL;
	if ((rc = eic_scenario__new(&s, cluster)) < 0)
		return rc;
	s->derived = 1;
	s->name = "eco-cluster (derived)";
	s->description = "Derived from the cluster: flows to landfill, open dumping and open "
	                 "burning go to the candidate facilities that take their material, else to "
	                 "actors that want it.";
	s->sources = "the cluster package (flows, facilities, offers)";
	double lat_sum = 0;
	size_t lat_n = 0;
	for (size_t i = 0; i < eic_cluster_actor_count(cluster); i++) {
		double lat = eic_cluster_actor(cluster, i)->lat;
		if (isfinite(lat)) {
			lat_sum += lat;
			lat_n++;
		}
	}
	double lat = lat_n ? lat_sum / (double)lat_n : 0.0;
	s->climate_zone = fabs(lat) <= 23.44 ? "tropical_wet" : "boreal_temperate_wet";
	char text[512];
	snprintf(text, sizeof(text),
	         "climate zone %s assumed from the mean latitude of the actors (%s%.1f degrees): "
	         "give it in a scenario file when known",
	         s->climate_zone, lat_n ? "" : "no coordinates, taken as ", lat);
	if ((rc = note(s, text)) < 0)
		goto done;
	sc_alt alt;
	memset(&alt, 0, sizeof(alt));
	eic_vec_init(&alt.changes, sizeof(sc_change));
	alt.id = "eco";
	alt.name = "eco-cluster (derived)";
	alt.description = s->description;
	if (!eic_vec_push(&s->alts, &alt)) {
		eic_vec_free(&alt.changes);
		rc = EIC_ENOMEM;
		goto done;
	}
	sc_alt *a = EIC_VEC_AT(&s->alts, sc_alt, 0);
	size_t nf = eic_cluster_facility_count(cluster);
	for (size_t i = 0; i < eic_cluster_flow_count(cluster); i++) {
		const eic_flow *f = eic_cluster_flow(cluster, i);
		eic_node to, from;
		if (eic_cluster_resolve_node(&to, cluster, f->to) < 0 ||
		    to.kind != EIC_NODE_BOUNDARY ||
		    (to.boundary != EIC_BOUNDARY_LANDFILL &&
		     to.boundary != EIC_BOUNDARY_OPEN_DUMPING &&
		     to.boundary != EIC_BOUNDARY_OPEN_BURNING))
			continue;
		if (eic_cluster_resolve_node(&from, cluster, f->from) < 0 || !from.actor)
			continue;
		sc_change ch;
		memset(&ch, 0, sizeof(ch));
		ch.quantity = NAN;
		ch.share = 1.0;
		ch.distance_km = NAN;
		ch.mode = "truck";
		ch.replaces_virgin = 1;
		ch.jobs = NAN;
		ch.note = "derived";
		const eic_facility *fac = NULL;
		for (size_t k = 0; k < nf && !fac; k++)
			if (facility_takes(cluster, eic_cluster_facility(cluster, k)->id,
			                   f->material))
				fac = eic_cluster_facility(cluster, k);
		if (fac) {
			char ref[512];
			snprintf(ref, sizeof(ref), "facility:%s", fac->id);
			ch.kind = SC_REROUTE;
			ch.flow = f->id;
			if (!(ch.to = eic_arena_strdup(&s->arena, ref)) ||
			    !eic_vec_push(&a->changes, &ch)) {
				rc = EIC_ENOMEM;
				goto done;
			}
			int opened = 0;
			for (size_t k = 0; k < a->changes.len; k++) {
				sc_change *c = EIC_VEC_AT(&a->changes, sc_change, k);
				opened |= c->kind == SC_FACILITY && !strcmp(c->facility, fac->id);
			}
			if (!opened) {
				const eic_facility_level *best = NULL;
				for (size_t k = 0; k < eic_cluster_facility_level_count(cluster);
				     k++) {
					const eic_facility_level *l =
					    eic_cluster_facility_level(cluster, k);
					if (!strcmp(l->facility, fac->id) &&
					    (!best || l->capacity > best->capacity))
						best = l;
				}
				if (best) {
					sc_change open = ch;
					open.kind = SC_FACILITY;
					open.flow = NULL;
					open.to = NULL;
					open.facility = fac->id;
					open.level = best->level;
					if (fac->technology &&
					    (strstr(fac->technology, "anaerobic_digestion") ||
					     strstr(fac->technology, "compost"))) {
						open.jobs_pathway = "composting";
						snprintf(
						    text, sizeof(text),
						    "jobs of facility %s (%s) taken as those of "
						    "composting per kt (assumption: the factor "
						    "set has no row for it)",
						    fac->id, fac->technology);
						if ((rc = note(s, text)) < 0)
							goto done;
					}
					if (!eic_vec_push(&a->changes, &open)) {
						rc = EIC_ENOMEM;
						goto done;
					}
				}
			}
			continue;
		}
		for (size_t k = 0; k < eic_cluster_offer_count(cluster); k++) {
			const eic_offer *o = eic_cluster_offer(cluster, k);
			if (o->type != EIC_OFFER_WANT || strcmp(o->material, f->material) ||
			    !strcmp(o->actor, from.actor))
				continue;
			double flow_t = 0, want_t = 0;
			const char *via = NULL;
			eic_flow want_flow = *f;
			want_flow.quantity = o->quantity;
			want_flow.unit = o->unit;
			if (eic_flow_amount(&flow_t, &via, cluster, f, "t") < 0 ||
			    eic_flow_amount(&want_t, &via, cluster, &want_flow, "t") < 0)
				continue;
			ch.kind = SC_EXCHANGE;
			ch.id = "derived";
			ch.from = from.actor;
			ch.to = o->actor;
			ch.material = f->material;
			ch.unit = "t";
			ch.quantity = flow_t < want_t ? flow_t : want_t;
			if (!eic_vec_push(&a->changes, &ch)) {
				rc = EIC_ENOMEM;
				goto done;
			}
			break;
		}
	}
	*out = s;
	s = NULL;
	rc = 0;
done:
	eic_scenario_free(s);
	return rc;
}

static int file_exists(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	fclose(fp);
	return 1;
}

int eic_scenario_load_default(eic_scenario **out, const eic_cluster *cluster,
                              const char *package_dir, eic_diags *diags)
{
	char path[4096];
	if (!out || !cluster)
		return EIC_EINVAL;
	*out = NULL;
	if (package_dir) {
		size_t n = strlen(package_dir);
		if (n > 5 && !strcmp(package_dir + n - 5, ".json")) {
			/* single-file package x.json: x.scenario.json beside it */
			snprintf(path, sizeof(path), "%.*s.%s", (int)(n - 5), package_dir,
			         EIC_SCENARIO_FILE);
		} else
			snprintf(path, sizeof(path), "%s/%s", package_dir, EIC_SCENARIO_FILE);
		if (file_exists(path))
			return eic_scenario_read(out, cluster, path, diags);
	}
	const char *id = eic_cluster_info_get(cluster)->id;
	const char *data = eic_data_dir();
	if (id && data && !strchr(id, '/') && strcmp(id, "..") && strcmp(id, ".")) {
		static const char *const shipped[] = {"examples", "worked"};
		for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s/%s/%s", data, shipped[i], id,
			         EIC_SCENARIO_FILE);
			if (file_exists(path))
				return eic_scenario_read(out, cluster, path, diags);
		}
	}
	return eic_scenario_derive(out, cluster, diags);
}
