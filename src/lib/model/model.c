/* model.c: the in-memory cluster model: records in stable chunked arrays, strings in an arena,
 * id lookup by hash map. Records never move once added, so borrowed pointers stay valid. */
#include <eic/model.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/model/model_private.h"
#include "util/util.h"

#define BLOCK_SHIFT 10
#define BLOCK_LEN ((size_t)1 << BLOCK_SHIFT)

/* Stable array: elements live in fixed blocks of BLOCK_LEN, never reallocated. */
typedef struct {
	char **blocks;
	size_t block_count;
	size_t block_cap;
	size_t count;
	size_t elem_size;
} recs;

static void recs_init(recs *r, size_t elem_size)
{
	memset(r, 0, sizeof(*r));
	r->elem_size = elem_size;
}

static void recs_free(recs *r)
{
	for (size_t i = 0; i < r->block_count; i++)
		eic_free(r->blocks[i]);
	eic_free(r->blocks);
	memset(r, 0, sizeof(*r));
}

static void *recs_at(const recs *r, size_t i)
{
	return r->blocks[i >> BLOCK_SHIFT] + (i & (BLOCK_LEN - 1)) * r->elem_size;
}

static void *recs_push(recs *r)
{
	if ((r->count >> BLOCK_SHIFT) >= r->block_count) {
		if (r->block_count == r->block_cap) {
			size_t cap = r->block_cap ? r->block_cap * 2 : 8;
			char **b = eic_realloc(r->blocks, cap * sizeof(*b));
			if (!b)
				return NULL;
			r->blocks = b;
			r->block_cap = cap;
		}
		char *blk = eic_malloc(BLOCK_LEN * r->elem_size);
		if (!blk)
			return NULL;
		r->blocks[r->block_count++] = blk;
	}
	void *p = recs_at(r, r->count);
	r->count++;
	return p;
}

/* A period with its length in days, computed once when it is added (-1 if invalid). */
typedef struct {
	eic_period pub;
	long days;
} period_rec;

struct eic_cluster {
	eic_arena arena;
	eic_cluster_info info;
	recs periods, actors, processes, materials, properties, flows, offers, facilities, levels,
	    coefs;
	eic_map period_ids, node_ids /* actors and processes */, actor_ids, process_ids,
	    material_ids, facility_ids, property_ids;
};

int eic_cluster_new(eic_cluster **out)
{
	eic_cluster *c = eic_calloc(1, sizeof(*c));
	if (!c)
		return EIC_ENOMEM;
	eic_arena_init(&c->arena);
	recs_init(&c->periods, sizeof(period_rec));
	recs_init(&c->actors, sizeof(eic_actor));
	recs_init(&c->processes, sizeof(eic_process));
	recs_init(&c->materials, sizeof(eic_material));
	recs_init(&c->properties, sizeof(eic_property));
	recs_init(&c->flows, sizeof(eic_flow));
	recs_init(&c->offers, sizeof(eic_offer));
	recs_init(&c->facilities, sizeof(eic_facility));
	recs_init(&c->levels, sizeof(eic_facility_level));
	recs_init(&c->coefs, sizeof(eic_facility_coef));
	eic_map_init(&c->period_ids);
	eic_map_init(&c->node_ids);
	eic_map_init(&c->actor_ids);
	eic_map_init(&c->process_ids);
	eic_map_init(&c->material_ids);
	eic_map_init(&c->facility_ids);
	eic_map_init(&c->property_ids);
	c->info.mass_unit = "t";
	c->info.energy_unit = "GJ";
	c->info.volume_unit = "m3";
	c->info.catalogue = "default";
	*out = c;
	return 0;
}

void eic_cluster_free(eic_cluster *c)
{
	if (!c)
		return;
	recs *all[] = {&c->periods, &c->actors, &c->processes,  &c->materials, &c->properties,
	               &c->flows,   &c->offers, &c->facilities, &c->levels,    &c->coefs};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		recs_free(all[i]);
	eic_map *maps[] = {&c->period_ids,   &c->node_ids,     &c->actor_ids,   &c->process_ids,
	                   &c->material_ids, &c->facility_ids, &c->property_ids};
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		eic_map_free(maps[i]);
	eic_arena_clear(&c->arena);
	eic_free(c);
}

/* Copy a string into the arena; NULL becomes "". Sets *failed on ENOMEM. */
static const char *dup(eic_cluster *c, const char *s, int *failed)
{
	if (!s || !*s)
		return ""; /* empty strings share one static "" */
	char *p = eic_arena_strdup(&c->arena, s);
	if (!p)
		*failed = 1;
	return p ? p : "";
}

int eic_cluster_set_info(eic_cluster *c, const eic_cluster_info *in)
{
	int failed = 0;
	eic_cluster_info i;
	i.id = dup(c, in->id, &failed);
	i.name = dup(c, in->name, &failed);
	i.region = dup(c, in->region, &failed);
	i.country = dup(c, in->country, &failed);
	i.currency = dup(c, in->currency, &failed);
	i.description = dup(c, in->description, &failed);
	i.mass_unit = dup(c, eic_str_empty(in->mass_unit) ? "t" : in->mass_unit, &failed);
	i.energy_unit = dup(c, eic_str_empty(in->energy_unit) ? "GJ" : in->energy_unit, &failed);
	i.volume_unit = dup(c, eic_str_empty(in->volume_unit) ? "m3" : in->volume_unit, &failed);
	i.catalogue = dup(c, eic_str_empty(in->catalogue) ? "default" : in->catalogue, &failed);
	i.sources = dup(c, in->sources, &failed);
	if (failed)
		return EIC_ENOMEM;
	c->info = i;
	return 0;
}

const eic_cluster_info *eic_cluster_info_get(const eic_cluster *c)
{
	return &c->info;
}

/* Reserve an id in `map` and, for actors and processes, in the shared node namespace, whose
 * value is index * 2 + (1 for a process) so that one lookup resolves a node reference. */
static int claim_id(eic_map *map, eic_map *node_map, const char *id, size_t index, int is_process)
{
	if (eic_map_get(map, id, NULL))
		return EIC_EEXISTS;
	if (node_map && eic_map_get(node_map, id, NULL))
		return EIC_EEXISTS;
	if (eic_map_put(map, id, index) < 0)
		return EIC_ENOMEM;
	if (node_map && eic_map_put(node_map, id, index * 2 + (size_t)is_process) < 0)
		return EIC_ENOMEM;
	return 0;
}

int eic_cluster_add_period(eic_cluster *c, const eic_period *in)
{
	int failed = 0;
	eic_period r;
	r.id = dup(c, in->id, &failed);
	r.start = dup(c, in->start, &failed);
	r.end = dup(c, in->end, &failed);
	r.label = dup(c, in->label, &failed);
	if (failed)
		return EIC_ENOMEM;
	int rc = claim_id(&c->period_ids, NULL, r.id, c->periods.count, 0);
	if (rc < 0)
		return rc;
	period_rec *p = recs_push(&c->periods);
	if (!p)
		return EIC_ENOMEM;
	p->pub = r;
	p->days = eic_period_days(&r);
	return 0;
}

int eic_cluster_add_actor(eic_cluster *c, const eic_actor *in)
{
	int failed = 0;
	eic_actor r = *in;
	r.id = dup(c, in->id, &failed);
	r.name = dup(c, in->name, &failed);
	r.sector = dup(c, in->sector, &failed);
	r.address = dup(c, in->address, &failed);
	r.notes = dup(c, in->notes, &failed);
	if (failed)
		return EIC_ENOMEM;
	int rc = claim_id(&c->actor_ids, &c->node_ids, r.id, c->actors.count, 0);
	if (rc < 0)
		return rc;
	eic_actor *p = recs_push(&c->actors);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

int eic_cluster_add_process(eic_cluster *c, const eic_process *in)
{
	int failed = 0;
	eic_process r;
	r.id = dup(c, in->id, &failed);
	r.actor = dup(c, in->actor, &failed);
	r.name = dup(c, in->name, &failed);
	r.notes = dup(c, in->notes, &failed);
	if (failed)
		return EIC_ENOMEM;
	int rc = claim_id(&c->process_ids, &c->node_ids, r.id, c->processes.count, 1);
	if (rc < 0)
		return rc;
	eic_process *p = recs_push(&c->processes);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

int eic_cluster_add_material(eic_cluster *c, const eic_material *in)
{
	int failed = 0;
	eic_material r = *in;
	r.id = dup(c, in->id, &failed);
	r.name = dup(c, in->name, &failed);
	r.category = dup(c, in->category, &failed);
	r.ewc = dup(c, in->ewc, &failed);
	r.hs = dup(c, in->hs, &failed);
	r.cpc = dup(c, in->cpc, &failed);
	r.notes = dup(c, in->notes, &failed);
	if (failed)
		return EIC_ENOMEM;
	int rc = claim_id(&c->material_ids, NULL, r.id, c->materials.count, 0);
	if (rc < 0)
		return rc;
	eic_material *p = recs_push(&c->materials);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

/* Properties are keyed by "material\x1fname" (unit separator cannot appear in ids). */
static const char *property_key(eic_cluster *c, const char *material, const char *name)
{
	size_t a = strlen(material), b = strlen(name);
	char *k = eic_arena_alloc(&c->arena, a + b + 2);
	if (!k)
		return NULL;
	memcpy(k, material, a);
	k[a] = '\x1f';
	memcpy(k + a + 1, name, b + 1);
	return k;
}

int eic_cluster_add_property(eic_cluster *c, const eic_property *in)
{
	int failed = 0;
	eic_property r = *in;
	r.material = dup(c, in->material, &failed);
	r.name = dup(c, in->name, &failed);
	r.unit = dup(c, in->unit, &failed);
	r.source = dup(c, in->source, &failed);
	const char *key = failed ? NULL : property_key(c, r.material, r.name);
	if (!key)
		return EIC_ENOMEM;
	int rc = claim_id(&c->property_ids, NULL, key, c->properties.count, 0);
	if (rc < 0)
		return rc;
	eic_property *p = recs_push(&c->properties);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

/* Flows, offers and child rows of facilities are not indexed by id: flows may number in the
 * millions and their ids are checked for duplicates by the reader. */
int eic_cluster_add_flow(eic_cluster *c, const eic_flow *in)
{
	int failed = 0;
	eic_flow r = *in;
	r.id = dup(c, in->id, &failed);
	r.from = dup(c, in->from, &failed);
	r.to = dup(c, in->to, &failed);
	r.material = dup(c, in->material, &failed);
	r.unit = dup(c, in->unit, &failed);
	r.period = dup(c, in->period, &failed);
	r.source = dup(c, in->source, &failed);
	r.notes = dup(c, in->notes, &failed);
	if (failed)
		return EIC_ENOMEM;
	eic_flow *p = recs_push(&c->flows);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

char *eic_model__copy_bytes(eic_cluster *c, const char *data, size_t len)
{
	return eic_arena_strndup(&c->arena, data, len);
}

int eic_model__add_flow_owned(eic_cluster *c, const eic_flow *in)
{
	eic_flow *p = recs_push(&c->flows);
	if (!p)
		return EIC_ENOMEM;
	*p = *in;
	return 0;
}

int eic_cluster_add_offer(eic_cluster *c, const eic_offer *in)
{
	int failed = 0;
	eic_offer r = *in;
	r.id = dup(c, in->id, &failed);
	r.actor = dup(c, in->actor, &failed);
	r.material = dup(c, in->material, &failed);
	r.unit = dup(c, in->unit, &failed);
	r.quality = dup(c, in->quality, &failed);
	r.available_from = dup(c, in->available_from, &failed);
	r.available_to = dup(c, in->available_to, &failed);
	r.price_unit = dup(c, in->price_unit, &failed);
	r.notes = dup(c, in->notes, &failed);
	if (failed)
		return EIC_ENOMEM;
	eic_offer *p = recs_push(&c->offers);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

int eic_cluster_add_facility(eic_cluster *c, const eic_facility *in)
{
	int failed = 0;
	eic_facility r = *in;
	r.id = dup(c, in->id, &failed);
	r.name = dup(c, in->name, &failed);
	r.technology = dup(c, in->technology, &failed);
	r.address = dup(c, in->address, &failed);
	r.capacity_unit = dup(c, in->capacity_unit, &failed);
	r.notes = dup(c, in->notes, &failed);
	if (failed)
		return EIC_ENOMEM;
	int rc = claim_id(&c->facility_ids, NULL, r.id, c->facilities.count, 0);
	if (rc < 0)
		return rc;
	eic_facility *p = recs_push(&c->facilities);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

int eic_cluster_add_facility_level(eic_cluster *c, const eic_facility_level *in)
{
	int failed = 0;
	eic_facility_level r = *in;
	r.facility = dup(c, in->facility, &failed);
	r.level = dup(c, in->level, &failed);
	if (failed)
		return EIC_ENOMEM;
	eic_facility_level *p = recs_push(&c->levels);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

int eic_cluster_add_facility_coef(eic_cluster *c, const eic_facility_coef *in)
{
	int failed = 0;
	eic_facility_coef r = *in;
	r.facility = dup(c, in->facility, &failed);
	r.material = dup(c, in->material, &failed);
	r.unit = dup(c, in->unit, &failed);
	if (failed)
		return EIC_ENOMEM;
	eic_facility_coef *p = recs_push(&c->coefs);
	if (!p)
		return EIC_ENOMEM;
	*p = r;
	return 0;
}

#define GETTERS(plural, type, field)                                                               \
	size_t eic_cluster_##plural##_count(const eic_cluster *c)                                  \
	{                                                                                          \
		return c->field.count;                                                             \
	}                                                                                          \
	const type *eic_cluster_##plural(const eic_cluster *c, size_t i)                           \
	{                                                                                          \
		return i < c->field.count ? (const type *)recs_at(&c->field, i) : NULL;            \
	}

GETTERS(period, eic_period, periods)
GETTERS(actor, eic_actor, actors)
GETTERS(process, eic_process, processes)
GETTERS(material, eic_material, materials)
GETTERS(property, eic_property, properties)
GETTERS(flow, eic_flow, flows)
GETTERS(offer, eic_offer, offers)
GETTERS(facility, eic_facility, facilities)
GETTERS(facility_level, eic_facility_level, levels)
GETTERS(facility_coef, eic_facility_coef, coefs)

#define FINDER(name, type, field, map)                                                             \
	const type *eic_cluster_find_##name(const eic_cluster *c, const char *id)                  \
	{                                                                                          \
		size_t i;                                                                          \
		return eic_map_get(&c->map, id, &i) ? (const type *)recs_at(&c->field, i) : NULL;  \
	}

FINDER(period, eic_period, periods, period_ids)
FINDER(actor, eic_actor, actors, actor_ids)
FINDER(process, eic_process, processes, process_ids)
FINDER(material, eic_material, materials, material_ids)
FINDER(facility, eic_facility, facilities, facility_ids)

const eic_property *eic_cluster_find_property(const eic_cluster *c, const char *material,
                                              const char *name)
{
	char key[512];
	size_t a = strlen(material), b = strlen(name);
	if (a + b + 2 > sizeof(key))
		return NULL;
	memcpy(key, material, a);
	key[a] = '\x1f';
	memcpy(key + a + 1, name, b + 1);
	size_t i;
	return eic_map_get(&c->property_ids, key, &i)
	           ? (const eic_property *)recs_at(&c->properties, i)
	           : NULL;
}

/* ---- enums ---- */

static const char *const actor_kind_names[EIC_ACTOR__N] = {
    "firm",      "knowledge_institute", "government_body",   "community_organisation",
    "financier", "service_provider",    "treatment_facility"};
static const char *const boundary_names[EIC_BOUNDARY__N] = {
    "supply_market", "product_market", "landfill",   "open_dumping",
    "open_burning",  "water_body",     "atmosphere", "stock"};
static const char *const quality_names[] = {"measured", "calculated", "estimated"};
static const char *const conf_names[] = {"private", "cluster", "public"};

static int parse_name(int *out, const char *text, const char *const *names, int count)
{
	for (int i = 0; i < count; i++) {
		if (text && strcmp(text, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return EIC_EINVAL;
}

const char *eic_actor_kind_name(eic_actor_kind k)
{
	return (unsigned)k < EIC_ACTOR__N ? actor_kind_names[k] : "?";
}

int eic_actor_kind_parse(eic_actor_kind *out, const char *text)
{
	int v, rc = parse_name(&v, text, actor_kind_names, EIC_ACTOR__N);
	if (rc == 0)
		*out = (eic_actor_kind)v;
	return rc;
}

const char *eic_boundary_kind_name(eic_boundary_kind k)
{
	return (unsigned)k < EIC_BOUNDARY__N ? boundary_names[k] : "?";
}

int eic_boundary_kind_parse(eic_boundary_kind *out, const char *text)
{
	int v, rc = parse_name(&v, text, boundary_names, EIC_BOUNDARY__N);
	if (rc == 0)
		*out = (eic_boundary_kind)v;
	return rc;
}

const char *eic_data_quality_name(eic_data_quality q)
{
	return (unsigned)q < 3 ? quality_names[q] : "?";
}

int eic_data_quality_parse(eic_data_quality *out, const char *text)
{
	int v, rc = parse_name(&v, text, quality_names, 3);
	if (rc == 0)
		*out = (eic_data_quality)v;
	return rc;
}

const char *eic_confidentiality_name(eic_confidentiality c)
{
	return (unsigned)c < 3 ? conf_names[c] : "?";
}

int eic_confidentiality_parse(eic_confidentiality *out, const char *text)
{
	int v, rc = parse_name(&v, text, conf_names, 3);
	if (rc == 0)
		*out = (eic_confidentiality)v;
	return rc;
}

/* ---- nodes ---- */

int eic_cluster_resolve_node(eic_node *out, const eic_cluster *c, const char *ref)
{
	if (!ref)
		return EIC_ENOTFOUND;
	if (strncmp(ref, "boundary:", 9) == 0) {
		eic_boundary_kind b;
		if (eic_boundary_kind_parse(&b, ref + 9) < 0)
			return EIC_ENOTFOUND;
		out->kind = EIC_NODE_BOUNDARY;
		out->boundary = b;
		out->id = ref + 9;
		out->actor = NULL;
		return 0;
	}
	size_t v;
	if (!eic_map_get(&c->node_ids, ref, &v))
		return EIC_ENOTFOUND;
	const eic_process *p = (v & 1) ? (const eic_process *)recs_at(&c->processes, v >> 1) : NULL;
	if (p) {
		out->kind = EIC_NODE_PROCESS;
		out->boundary = EIC_BOUNDARY_SUPPLY_MARKET;
		out->id = p->id;
		out->actor = p->actor;
		return 0;
	}
	const eic_actor *a = (const eic_actor *)recs_at(&c->actors, v >> 1);
	{
		out->kind = EIC_NODE_ACTOR;
		out->boundary = EIC_BOUNDARY_SUPPLY_MARKET;
		out->id = a->id;
		out->actor = a->id;
		return 0;
	}
}

/* ---- dates and periods ---- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const long era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int eic_date_parse(long *out_day, const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return EIC_EINVAL;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return EIC_EINVAL;
	}
	long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return EIC_EINVAL;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	unsigned maxd = mdays[m - 1] + (m == 2 && leap ? 1 : 0);
	if (d > maxd)
		return EIC_EINVAL;
	*out_day = days_from_civil(y, m, d);
	return 0;
}

long eic_period_days(const eic_period *p)
{
	long a, b;
	if (eic_date_parse(&a, p->start) < 0 || eic_date_parse(&b, p->end) < 0 || b < a)
		return -1;
	return b - a + 1;
}

/* ---- flow amounts ---- */

static int is_kind_of(const eic_unit *u, const eic_unit *target)
{
	return eic_unit_compatible(u, target);
}

/* Convert `value` in unit `from` to unit `to` through material property `prop`, if the
 * property exists and makes the dimensions meet. */
static int via_property(double *out, const eic_cluster *c, const char *material, const char *prop,
                        double value, const eic_unit *from, const eic_unit *to)
{
	const eic_property *p = eic_cluster_find_property(c, material, prop);
	if (!p)
		return EIC_EUNIT;
	eic_unit pu, prod;
	if (eic_unit_parse(&pu, p->unit) < 0)
		return EIC_EUNIT;
	if (eic_unit_mul(&prod, from, &pu) == 0 && eic_unit_compatible(&prod, to))
		return eic_unit_convert_parsed(out, value * p->value, &prod, to);
	if (p->value != 0 && eic_unit_div(&prod, from, &pu) == 0 && eic_unit_compatible(&prod, to))
		return eic_unit_convert_parsed(out, value / p->value, &prod, to);
	return EIC_EUNIT;
}

/* Amount of a flow over its period in unit `to`. Rates are integrated over the period
 * length (days * 86400 s). Cross-dimension steps: volume <-> mass by density, mass <->
 * energy by lhv, volume -> energy by density then lhv. O(1) apart from unit parsing. */
int eic_flow_amount(double *out, const char **out_via, const eic_cluster *c, const eic_flow *f,
                    const char *to)
{
	eic_unit u, target, sec;
	if (out_via)
		*out_via = "";
	if (eic_unit_parse(&u, f->unit) < 0 || eic_unit_parse(&target, to) < 0)
		return EIC_EUNIT;
	double value = f->quantity;
	if (u.exp[EIC_DIM_TIME] == -1) {
		const period_rec *p = (const period_rec *)eic_cluster_find_period(c, f->period);
		long days = p ? p->days : -1;
		if (days < 0)
			return EIC_EUNIT;
		eic_unit rate = u;
		if (eic_unit_parse(&sec, "s") < 0 || eic_unit_mul(&u, &rate, &sec) < 0)
			return EIC_EUNIT;
		value *= (double)days * 86400.0;
	}
	if (is_kind_of(&u, &target))
		return eic_unit_convert_parsed(out, value, &u, &target);

	eic_unit mass, energy, volume;
	if (eic_unit_parse(&mass, "kg") < 0 || eic_unit_parse(&energy, "J") < 0 ||
	    eic_unit_parse(&volume, "m3") < 0)
		return EIC_EUNIT;
	int src_mass = eic_unit_compatible(&u, &mass), src_vol = eic_unit_compatible(&u, &volume),
	    src_energy = eic_unit_compatible(&u, &energy);
	int dst_mass = eic_unit_compatible(&target, &mass),
	    dst_energy = eic_unit_compatible(&target, &energy),
	    dst_vol = eic_unit_compatible(&target, &volume);

	if ((src_vol && dst_mass) || (src_mass && dst_vol)) {
		if (out_via)
			*out_via = "density";
		return via_property(out, c, f->material, "density", value, &u, &target);
	}
	if ((src_mass && dst_energy) || (src_energy && dst_mass)) {
		if (out_via)
			*out_via = "lhv";
		return via_property(out, c, f->material, "lhv", value, &u, &target);
	}
	if (src_vol && dst_energy) {
		double kg;
		if (via_property(&kg, c, f->material, "density", value, &u, &mass) < 0)
			return EIC_EUNIT;
		if (out_via)
			*out_via = "density+lhv";
		return via_property(out, c, f->material, "lhv", kg, &mass, &target);
	}
	return EIC_EUNIT;
}
