/* balance.c: mass and energy balances per process, per actor and for the whole cluster, with
 * totals per boundary kind and a note on every conversion (docs/methods/balance.md). */
#include "eic/balance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct eic_balance {
	eic_arena arena;       /* row strings and note texts */
	eic_balance_row *rows; /* processes, actors, cluster (malloc'd) */
	size_t row_count;
	eic_boundary_row boundaries[EIC_BOUNDARY__N]; /* compacted: kinds seen, in enum order */
	size_t boundary_count;
	eic_vec notes; /* const char * into the arena */
	/* by material: rows keyed by "<row index>\x1f<material>" in first-met order */
	int by_material;
	eic_vec material_rows;  /* eic_balance_row */
	eic_vec material_owner; /* size_t: the aggregate row of each material row */
	eic_map material_index;
};

/* What one flow contributes: its amount in the mass unit and/or the energy unit. */
typedef struct {
	int has_mass, has_energy;
	double mass, energy;
} amount;

/* Which side of a scope a flow end is on, as seen from the scope. */
typedef enum { SIDE_IN = 0, SIDE_OUT } side;

static const char *or_default(const char *s, const char *fallback)
{
	return eic_str_empty(s) ? fallback : s;
}

/* Readable number for notes: six significant digits, whole numbers from a million up;
 * deterministic. */
static void fmt_num(char *buf, size_t size, double v)
{
	/* Large amounts as whole numbers ("2769420", not "2.76942e+06"): readers copy them. */
	if (fabs(v) >= 1e6 && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.6g", v);
}

static int add_note(eic_balance *b, const char *text)
{
	char *copy = eic_arena_strdup(&b->arena, text);
	if (!copy)
		return EIC_ENOMEM;
	if (!eic_vec_push(&b->notes, &copy))
		return EIC_ENOMEM;
	return 0;
}

/* Note for a conversion across dimensions: "flow f6: 20 m3 of wash_water counted as 20 t by
 * density 1 t/m3". `via` names one property, or several separated by non-identifier
 * characters ("density+lhv"); each is looked up on the flow's material to show its value. */
static int note_conversion(eic_balance *b, eic_buf *buf, const eic_cluster *c, const eic_flow *f,
                           double value, const char *unit, const char *via)
{
	char q[32], v[32];
	fmt_num(q, sizeof(q), f->quantity);
	fmt_num(v, sizeof(v), value);
	eic_buf_clear(buf);
	eic_buf_printf(buf, "flow %s: %s %s of %s counted as %s %s by ", or_default(f->id, "?"), q,
	               or_default(f->unit, "?"), or_default(f->material, "?"), v, unit);
	const char *p = via;
	int first = 1;
	while (*p) {
		size_t len = 0;
		while (p[len] &&
		       (p[len] == '_' || (p[len] >= 'a' && p[len] <= 'z') ||
		        (p[len] >= 'A' && p[len] <= 'Z') || (p[len] >= '0' && p[len] <= '9')))
			len++;
		if (len == 0) {
			p++;
			continue;
		}
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), p);
		const eic_property *prop = eic_cluster_find_property(c, f->material, name);
		if (!first)
			eic_buf_puts(buf, " and ");
		first = 0;
		if (prop) {
			char pv[32];
			fmt_num(pv, sizeof(pv), prop->value);
			eic_buf_printf(buf, "%s %s %s", name, pv, or_default(prop->unit, ""));
		} else {
			eic_buf_puts(buf, name);
		}
		p += len;
	}
	if (buf->failed)
		return EIC_ENOMEM;
	return add_note(b, buf->data);
}

/* Convert a flow to the mass and energy units. A conversion failure other than running out
 * of memory means "not in this balance". Cross-dimension conversions are noted. */
static int flow_amounts(amount *out, eic_balance *b, eic_buf *buf, const eic_cluster *c,
                        const eic_flow *f, const char *mass_unit, const char *energy_unit)
{
	const char *via = NULL;
	int rc;
	memset(out, 0, sizeof(*out));

	rc = eic_flow_amount(&out->mass, &via, c, f, mass_unit);
	if (rc == EIC_ENOMEM)
		return rc;
	if (rc == 0 && isfinite(out->mass)) {
		out->has_mass = 1;
		if (!eic_str_empty(via) &&
		    (rc = note_conversion(b, buf, c, f, out->mass, mass_unit, via)) < 0)
			return rc;
	}
	via = NULL;
	rc = eic_flow_amount(&out->energy, &via, c, f, energy_unit);
	if (rc == EIC_ENOMEM)
		return rc;
	if (rc == 0 && isfinite(out->energy)) {
		out->has_energy = 1;
		if (!eic_str_empty(via) &&
		    (rc = note_conversion(b, buf, c, f, out->energy, energy_unit, via)) < 0)
			return rc;
	}
	return 0;
}

/* Note for a flow in neither balance: "flow g9: skipped (40 item of pallets: count, not
 * convertible to t or GJ)". */
static int note_skipped(eic_balance *b, eic_buf *buf, const eic_flow *f, const char *mass_unit,
                        const char *energy_unit)
{
	char q[32];
	eic_unit u;
	const char *kind = "unknown unit";
	if (f->unit && eic_unit_parse(&u, f->unit) == 0)
		kind = eic_quantity_kind_name(eic_unit_kind(&u));
	fmt_num(q, sizeof(q), f->quantity);
	eic_buf_clear(buf);
	eic_buf_printf(buf, "flow %s: skipped (%s %s of %s: %s, not convertible to %s or %s)",
	               or_default(f->id, "?"), q, or_default(f->unit, "?"),
	               or_default(f->material, "?"), kind, mass_unit, energy_unit);
	if (buf->failed)
		return EIC_ENOMEM;
	return add_note(b, buf->data);
}

/* Add one flow to a row. `s` is the side of the row the flow is on (SIDE_IN: the flow ends in
 * the row's scope); `other_is_stock` when the far end is boundary:stock, in which case the
 * amount is a stock change (to stock +, from stock -) instead of in or out. */
static void row_add(eic_balance_row *row, side s, int other_is_stock, const amount *a)
{
	if (!a->has_mass && !a->has_energy) {
		row->skipped_count++;
		return;
	}
	row->flow_count++;
	double sign = s == SIDE_OUT ? 1.0 : -1.0;
	if (a->has_mass) {
		if (other_is_stock)
			row->mass_stock += sign * a->mass;
		else if (s == SIDE_IN)
			row->mass_in += a->mass;
		else
			row->mass_out += a->mass;
	}
	if (a->has_energy) {
		if (other_is_stock)
			row->energy_stock += sign * a->energy;
		else if (s == SIDE_IN)
			row->energy_in += a->energy;
		else
			row->energy_out += a->energy;
	}
}

static double rel_of(double imbalance, double in, double out)
{
	double denom = in > out ? in : out;
	if (!(denom > 0.0))
		return NAN;
	return fabs(imbalance) / denom;
}

static void row_finish(eic_balance_row *row)
{
	row->mass_imbalance = row->mass_in - row->mass_out - row->mass_stock;
	row->mass_rel = rel_of(row->mass_imbalance, row->mass_in, row->mass_out);
	row->energy_imbalance = row->energy_in - row->energy_out - row->energy_stock;
	row->energy_rel = rel_of(row->energy_imbalance, row->energy_in, row->energy_out);
}

/* Set up one row with its strings copied into the result's arena. */
static int row_init(eic_balance *b, eic_balance_row *row, eic_balance_scope scope, const char *id,
                    const char *name, const char *actor)
{
	memset(row, 0, sizeof(*row));
	row->scope = scope;
	row->id = eic_arena_strdup(&b->arena, id ? id : "");
	row->name = eic_arena_strdup(&b->arena, name ? name : "");
	row->actor = actor ? eic_arena_strdup(&b->arena, actor) : NULL;
	if (!row->id || !row->name || (actor && !row->actor))
		return EIC_ENOMEM;
	return 0;
}

static int is_stock(const eic_node *n)
{
	return n->kind == EIC_NODE_BOUNDARY && n->boundary == EIC_BOUNDARY_STOCK;
}

/* The by-material row of aggregate row `row_index` and `material`, created on first use
 * (NULL on ENOMEM, which sets b->by_material to -1). */
static eic_balance_row *material_row(eic_balance *b, size_t row_index, const char *material)
{
	char key[256];
	size_t idx;
	snprintf(key, sizeof(key), "%zu\x1f%s", row_index, material ? material : "");
	if (eic_map_get(&b->material_index, key, &idx))
		return EIC_VEC_AT(&b->material_rows, eic_balance_row, idx);
	eic_balance_row row = b->rows[row_index];
	row.material = eic_arena_strdup(&b->arena, material ? material : "");
	row.mass_in = row.mass_out = row.mass_stock = 0.0;
	row.energy_in = row.energy_out = row.energy_stock = 0.0;
	row.flow_count = row.skipped_count = 0;
	char *k = eic_arena_strdup(&b->arena, key);
	if (!row.material || !k || !eic_vec_push(&b->material_rows, &row) ||
	    !eic_vec_push(&b->material_owner, &row_index) ||
	    eic_map_put(&b->material_index, k, b->material_rows.len - 1) < 0) {
		b->by_material = -1;
		return NULL;
	}
	return EIC_VEC_AT(&b->material_rows, eic_balance_row, b->material_rows.len - 1);
}

/* Add a flow to aggregate row `idx` and, when asked, to its by-material row. */
static void add_to(eic_balance *b, size_t idx, side s, int other_is_stock, const amount *a,
                   const char *material)
{
	row_add(&b->rows[idx], s, other_is_stock, a);
	if (b->by_material == 1) {
		eic_balance_row *m = material_row(b, idx, material);
		if (m)
			row_add(m, s, other_is_stock, a);
	}
}

/* Distribute one resolved flow over the process, actor and cluster rows and the boundary
 * totals. Each lookup is a hash probe, so this is O(1) expected per flow. */
static void apply_flow(eic_balance *b, const eic_map *process_rows, const eic_map *actor_rows,
                       int *boundary_seen, const eic_node *from, const eic_node *to,
                       const amount *a, const char *material)
{
	size_t idx;
	int same_node = from->kind == to->kind && from->kind != EIC_NODE_BOUNDARY &&
	                eic_streq(from->id, to->id);

	/* process level */
	if (!same_node) {
		if (from->kind == EIC_NODE_PROCESS && eic_map_get(process_rows, from->id, &idx))
			add_to(b, idx, SIDE_OUT, is_stock(to), a, material);
		if (to->kind == EIC_NODE_PROCESS && eic_map_get(process_rows, to->id, &idx))
			add_to(b, idx, SIDE_IN, is_stock(from), a, material);
	}

	/* actor level: flows between two nodes of the same actor are internal */
	const char *from_actor = from->kind == EIC_NODE_BOUNDARY ? NULL : from->actor;
	const char *to_actor = to->kind == EIC_NODE_BOUNDARY ? NULL : to->actor;
	int internal = from_actor && to_actor && strcmp(from_actor, to_actor) == 0;
	if (!internal) {
		if (from_actor && eic_map_get(actor_rows, from_actor, &idx))
			add_to(b, idx, SIDE_OUT, is_stock(to), a, material);
		if (to_actor && eic_map_get(actor_rows, to_actor, &idx))
			add_to(b, idx, SIDE_IN, is_stock(from), a, material);
	}

	/* cluster level: flows with exactly one boundary end */
	int from_inside = from->kind != EIC_NODE_BOUNDARY;
	int to_inside = to->kind != EIC_NODE_BOUNDARY;
	if (from_inside == to_inside)
		return;
	const eic_node *outside = from_inside ? to : from;
	add_to(b, b->row_count - 1, from_inside ? SIDE_OUT : SIDE_IN, is_stock(outside), a,
	       material);
	if ((unsigned)outside->boundary >= EIC_BOUNDARY__N)
		return;
	eic_boundary_row *br = &b->boundaries[outside->boundary];
	boundary_seen[outside->boundary] = 1;
	if (from_inside) {
		br->mass_out += a->has_mass ? a->mass : 0.0;
		br->energy_out += a->has_energy ? a->energy : 0.0;
	} else {
		br->mass_in += a->has_mass ? a->mass : 0.0;
		br->energy_in += a->has_energy ? a->energy : 0.0;
	}
}

/*
 * Contract: see balance.h. Rows hold copies of their strings, so the result outlives the
 * cluster. Flows of other periods (when a period is chosen) are ignored silently; flows with
 * an unknown node or period are skipped with a note. Complexity O(flows + processes + actors)
 * expected, plus the notes' text.
 */
int eic_balance_compute(eic_balance **out, const eic_cluster *cluster,
                        const eic_balance_options *opts)
{
	int error = 0;
	eic_balance *b = NULL;
	eic_map process_rows, actor_rows;
	eic_buf buf = EIC_BUF_INIT;
	int boundary_seen[EIC_BOUNDARY__N] = {0};

	eic_map_init(&process_rows);
	eic_map_init(&actor_rows);
	if (!out || !cluster) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if (opts && opts->version != EIC_BALANCE_OPTIONS_VERSION) {
		error = EIC_EINVAL;
		goto done;
	}
	const char *period = opts ? opts->period : NULL;
	if (period && !eic_cluster_find_period(cluster, period)) {
		error = EIC_ENOTFOUND;
		goto done;
	}

	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *mass_unit = or_default(info ? info->mass_unit : NULL, "t");
	const char *energy_unit = or_default(info ? info->energy_unit : NULL, "GJ");

	b = eic_calloc(1, sizeof(*b));
	if (!b) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&b->arena);
	eic_vec_init(&b->notes, sizeof(const char *));
	eic_vec_init(&b->material_rows, sizeof(eic_balance_row));
	eic_vec_init(&b->material_owner, sizeof(size_t));
	eic_map_init(&b->material_index);
	b->by_material = opts && opts->by_material ? 1 : 0;

	size_t process_count = eic_cluster_process_count(cluster);
	size_t actor_count = eic_cluster_actor_count(cluster);
	b->row_count = process_count + actor_count + 1;
	b->rows = eic_calloc(b->row_count, sizeof(*b->rows));
	if (!b->rows) {
		error = EIC_ENOMEM;
		goto done;
	}

	size_t r = 0;
	for (size_t i = 0; i < process_count; i++, r++) {
		const eic_process *p = eic_cluster_process(cluster, i);
		if ((error = row_init(b, &b->rows[r], EIC_SCOPE_PROCESS, p->id, p->name,
		                      p->actor ? p->actor : "")) < 0)
			goto done;
		if (p->id && eic_map_put(&process_rows, p->id, r) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	for (size_t i = 0; i < actor_count; i++, r++) {
		const eic_actor *a = eic_cluster_actor(cluster, i);
		if ((error = row_init(b, &b->rows[r], EIC_SCOPE_ACTOR, a->id, a->name, NULL)) < 0)
			goto done;
		if (a->id && eic_map_put(&actor_rows, a->id, r) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	if ((error = row_init(b, &b->rows[r], EIC_SCOPE_CLUSTER, info ? info->id : "",
	                      info ? info->name : "", NULL)) < 0)
		goto done;

	size_t flow_count = eic_cluster_flow_count(cluster);
	for (size_t i = 0; i < flow_count; i++) {
		const eic_flow *f = eic_cluster_flow(cluster, i);
		eic_node from, to;
		amount a;

		if (period && !eic_streq(f->period, period))
			continue;
		const char *bad_node = NULL;
		if (!f->from || eic_cluster_resolve_node(&from, cluster, f->from) < 0)
			bad_node = f->from ? f->from : "";
		else if (!f->to || eic_cluster_resolve_node(&to, cluster, f->to) < 0)
			bad_node = f->to ? f->to : "";
		if (bad_node || !f->period || !eic_cluster_find_period(cluster, f->period)) {
			eic_buf_clear(&buf);
			if (bad_node)
				eic_buf_printf(&buf, "flow %s: skipped (unknown node '%s')",
				               or_default(f->id, "?"), bad_node);
			else
				eic_buf_printf(&buf, "flow %s: skipped (unknown period '%s')",
				               or_default(f->id, "?"), f->period ? f->period : "");
			if (buf.failed || (error = add_note(b, buf.data)) < 0) {
				error = EIC_ENOMEM;
				goto done;
			}
			continue;
		}

		if ((error = flow_amounts(&a, b, &buf, cluster, f, mass_unit, energy_unit)) < 0)
			goto done;
		if (!a.has_mass && !a.has_energy &&
		    (error = note_skipped(b, &buf, f, mass_unit, energy_unit)) < 0)
			goto done;
		apply_flow(b, &process_rows, &actor_rows, boundary_seen, &from, &to, &a,
		           f->material);
		if (b->by_material < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}

	for (size_t i = 0; i < b->row_count; i++)
		row_finish(&b->rows[i]);
	/* By-material rows, grouped under their aggregate row in row order, materials in the
	 * order first met (a stable counting sort on the owning row). */
	if (b->material_rows.len > 1) {
		size_t n = b->material_rows.len;
		const eic_balance_row *m = (const eic_balance_row *)b->material_rows.data;
		const size_t *owner = (const size_t *)b->material_owner.data;
		eic_balance_row *sorted = eic_malloc(n * sizeof(*sorted));
		size_t *start = eic_calloc(b->row_count + 1, sizeof(*start));
		if (!sorted || !start) {
			eic_free(sorted);
			eic_free(start);
			error = EIC_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < n; i++)
			start[owner[i] + 1]++;
		for (size_t j = 0; j < b->row_count; j++)
			start[j + 1] += start[j];
		for (size_t i = 0; i < n; i++)
			sorted[start[owner[i]]++] = m[i];
		memcpy(b->material_rows.data, sorted, n * sizeof(*sorted));
		eic_free(sorted);
		eic_free(start);
	}
	for (size_t i = 0; i < b->material_rows.len; i++)
		row_finish(EIC_VEC_AT(&b->material_rows, eic_balance_row, i));

	/* Compact the boundary totals to the kinds seen, keeping enum order. */
	for (int k = 0; k < EIC_BOUNDARY__N; k++) {
		if (!boundary_seen[k])
			continue;
		eic_boundary_row row = b->boundaries[k];
		row.boundary = (eic_boundary_kind)k;
		b->boundaries[b->boundary_count++] = row;
	}

	*out = b;
	b = NULL;
done:
	eic_balance_free(b);
	eic_buf_free(&buf);
	eic_map_free(&process_rows);
	eic_map_free(&actor_rows);
	return error;
}

void eic_balance_free(eic_balance *balance)
{
	if (!balance)
		return;
	eic_free(balance->rows);
	eic_vec_free(&balance->notes);
	eic_vec_free(&balance->material_rows);
	eic_vec_free(&balance->material_owner);
	eic_map_free(&balance->material_index);
	eic_arena_clear(&balance->arena);
	eic_free(balance);
}

size_t eic_balance_row_count(const eic_balance *b)
{
	return b ? b->row_count : 0;
}

const eic_balance_row *eic_balance_row_at(const eic_balance *b, size_t i)
{
	return b && i < b->row_count ? &b->rows[i] : NULL;
}

size_t eic_balance_material_row_count(const eic_balance *b)
{
	return b ? b->material_rows.len : 0;
}

const eic_balance_row *eic_balance_material_row_at(const eic_balance *b, size_t i)
{
	return b && i < b->material_rows.len ? EIC_VEC_AT(&b->material_rows, eic_balance_row, i)
	                                     : NULL;
}

size_t eic_balance_boundary_count(const eic_balance *b)
{
	return b ? b->boundary_count : 0;
}

const eic_boundary_row *eic_balance_boundary(const eic_balance *b, size_t i)
{
	return b && i < b->boundary_count ? &b->boundaries[i] : NULL;
}

size_t eic_balance_note_count(const eic_balance *b)
{
	return b ? b->notes.len : 0;
}

const char *eic_balance_note(const eic_balance *b, size_t i)
{
	return b && i < b->notes.len ? *EIC_VEC_AT(&b->notes, const char *, i) : NULL;
}
