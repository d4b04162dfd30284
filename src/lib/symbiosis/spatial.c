/* spatial.c: exact fixed-radius neighbour search on the sphere: a grid of cubic cells over the
 * 3D unit vectors of the points, candidates by chord length, results by haversine distance. */
#include <eic/spatial.h>

#include "util/util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PI_ 3.14159265358979323846
/* Bits per axis of a cell key: at most 2^21 cells per axis, so three fit in 63 bits. */
#define AXIS_BITS 21
#define AXIS_CELLS ((int64_t)1 << AXIS_BITS)
/* Smallest cell side (unit-vector space): 2 / 2^20, about 12 m on the Earth. */
#define MIN_CELL (2.0 / (double)(AXIS_CELLS / 2))
/* Relative widening of the chord thresholds, so that rounding can only add candidates (the
 * exact haversine test then decides); far above double rounding, far below any radius. */
#define CHORD_SLACK 1e-9
#define EMPTY_SLOT UINT32_MAX

typedef struct {
	double x, y, z;  /* unit vector */
	double phi, lam; /* latitude and longitude, radians */
	double cos_phi;  /* cos(phi) */
	size_t id;       /* index in the caller's arrays */
} point;

struct eic_spatial {
	size_t count;
	point *points; /* sorted by (group, cell key) */
	size_t cell_count;
	int64_t *cell_key; /* cell_count keys, ascending within a group */
	long *cell_group;  /* group of each cell (0 without groups) */
	size_t group_count;
	long *groups;       /* the distinct groups, ascending */
	size_t *cell_start; /* cell_count + 1 offsets into points */
	uint32_t *slots;    /* open-addressing table: cell number or EMPTY_SLOT */
	size_t slot_mask;
	double cell_side; /* in unit-vector space */
};

/* Haversine distance (km) from radians and precomputed cosines of the latitudes. The single
 * formula behind every distance of this module, so that an index query and a brute-force
 * loop over eic_spatial_distance_km agree to the last bit. */
static double haversine_rad(double p1, double l1, double cp1, double p2, double l2, double cp2)
{
	double sp = sin((p2 - p1) / 2), sl = sin((l2 - l1) / 2);
	double a = sp * sp + cp1 * cp2 * sl * sl;
	if (a > 1.0)
		a = 1.0;
	return 2.0 * EIC_SPATIAL_EARTH_RADIUS_KM * asin(sqrt(a));
}

static void to_point(point *p, double lat, double lon, size_t id)
{
	p->phi = lat * (PI_ / 180.0);
	p->lam = lon * (PI_ / 180.0);
	p->cos_phi = cos(p->phi);
	p->x = p->cos_phi * cos(p->lam);
	p->y = p->cos_phi * sin(p->lam);
	p->z = sin(p->phi);
	p->id = id;
}

double eic_spatial_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	point a, b;
	to_point(&a, lat1, lon1, 0);
	to_point(&b, lat2, lon2, 0);
	return haversine_rad(a.phi, a.lam, a.cos_phi, b.phi, b.lam, b.cos_phi);
}

/* Chord length in unit-vector space of a great-circle distance (km), capped at the diameter. */
static double chord_of(double radius_km)
{
	double angle = radius_km / EIC_SPATIAL_EARTH_RADIUS_KM;
	if (angle >= PI_)
		return 2.0;
	return 2.0 * sin(angle / 2);
}

static int64_t axis_cell(double v, double side)
{
	int64_t c = (int64_t)floor((v + 1.0) / side);
	if (c < 0)
		c = 0;
	if (c >= AXIS_CELLS)
		c = AXIS_CELLS - 1;
	return c;
}

static int64_t pack(int64_t ix, int64_t iy, int64_t iz)
{
	return (ix << (2 * AXIS_BITS)) | (iy << AXIS_BITS) | iz;
}

static int64_t point_key(const point *p, double side)
{
	return pack(axis_cell(p->x, side), axis_cell(p->y, side), axis_cell(p->z, side));
}

static size_t hash_key(long group, int64_t key)
{
	uint64_t h =
	    ((uint64_t)key ^ ((uint64_t)group * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull;
	return (size_t)(h ^ (h >> 29));
}

/* Cell number of (group, key), or -1 when no point lies in that cell. */
static long find_cell(const eic_spatial *s, long group, int64_t key)
{
	for (size_t h = hash_key(group, key) & s->slot_mask;; h = (h + 1) & s->slot_mask) {
		uint32_t c = s->slots[h];
		if (c == EMPTY_SLOT)
			return -1;
		if (s->cell_key[c] == key && s->cell_group[c] == group)
			return (long)c;
	}
}

typedef struct {
	long group;
	int64_t key;
	size_t index;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Build: unit vectors, a cell key per point, points sorted by key (qsort, O(n log n)), the
 * distinct cells with their point ranges, and a hash table from key to cell (load <= 1/2). */
int eic_spatial_new(eic_spatial **out, const double *lat, const double *lon, size_t count,
                    const eic_spatial_options *options)
{
	eic_spatial_options defaults = EIC_SPATIAL_OPTIONS_INIT;
	eic_spatial *s = NULL;
	point *raw = NULL;
	keyed *order = NULL;
	int error = EIC_EINVAL;

	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!options)
		options = &defaults;
	if (options->version != EIC_SPATIAL_OPTIONS_VERSION || !isfinite(options->cell_radius_km) ||
	    options->cell_radius_km <= 0)
		return EIC_EINVAL;
	if (count > 0 && (!lat || !lon))
		return EIC_EINVAL;
	if (count >= (size_t)UINT32_MAX / 2)
		return EIC_ENOMEM;
	for (size_t i = 0; i < count; i++)
		if (!isfinite(lat[i]) || !isfinite(lon[i]) || lat[i] < -90.0 || lat[i] > 90.0)
			return EIC_EINVAL;

	error = EIC_ENOMEM;
	if (!(s = eic_calloc(1, sizeof *s)))
		goto done;
	s->count = count;
	s->cell_side = chord_of(options->cell_radius_km) * (1.0 + CHORD_SLACK);
	if (s->cell_side < MIN_CELL)
		s->cell_side = MIN_CELL;
	size_t alloc_count = count ? count : 1;
	raw = eic_malloc(alloc_count * sizeof *raw);
	order = eic_malloc(alloc_count * sizeof *order);
	s->points = eic_malloc(alloc_count * sizeof *s->points);
	s->cell_key = eic_malloc(alloc_count * sizeof *s->cell_key);
	s->cell_group = eic_malloc(alloc_count * sizeof *s->cell_group);
	s->groups = eic_malloc(alloc_count * sizeof *s->groups);
	s->cell_start = eic_malloc((alloc_count + 1) * sizeof *s->cell_start);
	if (!raw || !order || !s->points || !s->cell_key || !s->cell_group || !s->groups ||
	    !s->cell_start)
		goto done;
	for (size_t i = 0; i < count; i++) {
		to_point(&raw[i], lat[i], lon[i], i);
		order[i].group = options->group ? options->group[i] : 0;
		order[i].key = point_key(&raw[i], s->cell_side);
		order[i].index = i;
	}
	if (count > 1)
		qsort(order, count, sizeof *order, cmp_keyed);
	for (size_t i = 0; i < count; i++) {
		s->points[i] = raw[order[i].index];
		int new_group = i == 0 || order[i].group != order[i - 1].group;
		if (new_group)
			s->groups[s->group_count++] = order[i].group;
		if (new_group || order[i].key != order[i - 1].key) {
			s->cell_key[s->cell_count] = order[i].key;
			s->cell_group[s->cell_count] = order[i].group;
			s->cell_start[s->cell_count++] = i;
		}
	}
	s->cell_start[s->cell_count] = count;

	size_t slot_count = 4;
	while (slot_count < 2 * s->cell_count)
		slot_count *= 2;
	if (!(s->slots = eic_malloc(slot_count * sizeof *s->slots)))
		goto done;
	memset(s->slots, 0xff, slot_count * sizeof *s->slots);
	s->slot_mask = slot_count - 1;
	for (size_t c = 0; c < s->cell_count; c++) {
		size_t h = hash_key(s->cell_group[c], s->cell_key[c]) & s->slot_mask;
		while (s->slots[h] != EMPTY_SLOT)
			h = (h + 1) & s->slot_mask;
		s->slots[h] = (uint32_t)c;
	}
	error = 0;
done:
	eic_free(raw);
	eic_free(order);
	if (error < 0) {
		eic_spatial_free(s);
		s = NULL;
	}
	*out = s;
	return error;
}

void eic_spatial_free(eic_spatial *index)
{
	if (!index)
		return;
	eic_free(index->points);
	eic_free(index->cell_key);
	eic_free(index->cell_group);
	eic_free(index->groups);
	eic_free(index->cell_start);
	eic_free(index->slots);
	eic_free(index);
}

size_t eic_spatial_count(const eic_spatial *index)
{
	return index ? index->count : 0;
}

typedef struct {
	double radius_km;
	double chord2; /* widened squared chord of radius_km */
	eic_spatial_filter_fn filter;
	eic_spatial_pair_fn sink;
	void *ctx;
} pair_query;

/* Test one candidate pair (chord, filter, exact distance) and hand it on. */
static int visit_pair(const pair_query *q, const point *a, const point *b)
{
	double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
	if (dx * dx + dy * dy + dz * dz > q->chord2)
		return 0;
	if (a->id > b->id) {
		const point *t = a;
		a = b;
		b = t;
	}
	if (q->filter && !q->filter(q->ctx, a->id, b->id))
		return 0;
	/* In caller order (i < j), so that the distance is the one eic_spatial_distance_km gives.
	 */
	double d = haversine_rad(a->phi, a->lam, a->cos_phi, b->phi, b->lam, b->cos_phi);
	if (d > q->radius_km)
		return 0;
	return q->sink(q->ctx, a->id, b->id, d);
}

/* All pairs between cells a and b (a == b: the pairs within the cell). */
static int visit_cells(const eic_spatial *s, const pair_query *q, size_t a, size_t b)
{
	int rc;
	for (size_t i = s->cell_start[a]; i < s->cell_start[a + 1]; i++) {
		size_t j0 = a == b ? i + 1 : s->cell_start[b];
		for (size_t j = j0; j < s->cell_start[b + 1]; j++)
			if ((rc = visit_pair(q, &s->points[i], &s->points[j])) != 0)
				return rc;
	}
	return 0;
}

/* Pairs: points are sorted by (group, cell), so only cells of one group meet. With reach k =
 * ceil(chord / side) cells, each cell meets the cells at offsets in
 * [-k, k]^3 that are lexicographically >= (0, 0, 0) (a half stencil, so every pair of cells is
 * visited once). At the tuned radius k = 1: 14 of the 27 neighbours. When the stencil holds
 * more offsets than there are cells (huge radii), every pair of cells is visited instead.
 * Cost O(n + candidate pairs); candidates are the pairs within the 3x3x3 cell block, about
 * 27 * side^2 / (pi * chord^2) ~ 9 times the pairs within the radius on a flat density. */
int eic_spatial_pairs(const eic_spatial *index, double radius_km, eic_spatial_filter_fn filter,
                      eic_spatial_pair_fn sink, void *ctx)
{
	if (!index || !sink || !isfinite(radius_km) || radius_km < 0)
		return EIC_EINVAL;
	const eic_spatial *s = index;
	double chord = chord_of(radius_km) * (1.0 + CHORD_SLACK);
	pair_query q = {radius_km, chord * chord, filter, sink, ctx};
	int64_t reach = (int64_t)ceil(chord / s->cell_side);
	if (reach < 1)
		reach = 1;
	double stencil = pow(2.0 * (double)reach + 1.0, 3.0) / 2.0 + 1.0;
	int rc;

	if (stencil > (double)s->cell_count) {
		for (size_t a = 0; a < s->cell_count; a++)
			for (size_t b = a;
			     b < s->cell_count && s->cell_group[b] == s->cell_group[a]; b++)
				if ((rc = visit_cells(s, &q, a, b)) != 0)
					return rc;
		return 0;
	}
	int64_t mask = AXIS_CELLS - 1;
	for (size_t a = 0; a < s->cell_count; a++) {
		int64_t key = s->cell_key[a];
		long group = s->cell_group[a];
		int64_t ix = key >> (2 * AXIS_BITS), iy = (key >> AXIS_BITS) & mask,
		        iz = key & mask;
		for (int64_t dx = 0; dx <= reach; dx++) {
			if (ix + dx >= AXIS_CELLS)
				break;
			for (int64_t dy = dx == 0 ? 0 : -reach; dy <= reach; dy++) {
				if (iy + dy < 0 || iy + dy >= AXIS_CELLS)
					continue;
				int64_t dz0 = (dx == 0 && dy == 0) ? 0 : -reach;
				for (int64_t dz = dz0; dz <= reach; dz++) {
					if (iz + dz < 0 || iz + dz >= AXIS_CELLS)
						continue;
					long b = dx == 0 && dy == 0 && dz == 0
					             ? (long)a
					             : find_cell(s, group,
					                         pack(ix + dx, iy + dy, iz + dz));
					if (b < 0)
						continue;
					if ((rc = visit_cells(s, &q, a, (size_t)b)) != 0)
						return rc;
				}
			}
		}
	}
	return 0;
}

/* Points within radius of one point, of every group: the cells at offsets [-k, k]^3 around its
 * cell in each group (all points when that outnumbers the cells), each point tested by chord
 * then by haversine. */
/* Points [first, last) of the sorted array within radius of c: chord, then haversine. */
static int scan_points(const eic_spatial *s, const point *c, double radius_km, double chord2,
                       size_t first, size_t last, eic_spatial_point_fn sink, void *ctx)
{
	int rc;
	for (size_t i = first; i < last; i++) {
		const point *p = &s->points[i];
		double ex = p->x - c->x, ey = p->y - c->y, ez = p->z - c->z;
		if (ex * ex + ey * ey + ez * ez > chord2)
			continue;
		double d = haversine_rad(c->phi, c->lam, c->cos_phi, p->phi, p->lam, p->cos_phi);
		if (d <= radius_km && (rc = sink(ctx, p->id, d)) != 0)
			return rc;
	}
	return 0;
}

int eic_spatial_within(const eic_spatial *index, double lat, double lon, double radius_km,
                       eic_spatial_point_fn sink, void *ctx)
{
	if (!index || !sink || !isfinite(radius_km) || radius_km < 0 || !isfinite(lat) ||
	    !isfinite(lon) || lat < -90.0 || lat > 90.0)
		return EIC_EINVAL;
	const eic_spatial *s = index;
	point c;
	to_point(&c, lat, lon, 0);
	double chord = chord_of(radius_km) * (1.0 + CHORD_SLACK), chord2 = chord * chord;
	int64_t reach = (int64_t)ceil(chord / s->cell_side);
	if (reach < 1)
		reach = 1;
	if (pow(2.0 * (double)reach + 1.0, 3.0) * (double)s->group_count > (double)s->cell_count)
		return scan_points(s, &c, radius_km, chord2, 0, s->count, sink, ctx);
	int64_t ix = axis_cell(c.x, s->cell_side), iy = axis_cell(c.y, s->cell_side),
	        iz = axis_cell(c.z, s->cell_side);
	int rc;
	for (int64_t x = ix - reach; x <= ix + reach; x++)
		for (int64_t y = iy - reach; y <= iy + reach; y++)
			for (int64_t z = iz - reach; z <= iz + reach; z++) {
				if (x < 0 || y < 0 || z < 0 || x >= AXIS_CELLS || y >= AXIS_CELLS ||
				    z >= AXIS_CELLS)
					continue;
				for (size_t g = 0; g < s->group_count; g++) {
					long b = find_cell(s, s->groups[g], pack(x, y, z));
					if (b >= 0 && (rc = scan_points(s, &c, radius_km, chord2,
					                                s->cell_start[b],
					                                s->cell_start[b + 1], sink,
					                                ctx)) != 0)
						return rc;
				}
			}
	return 0;
}
