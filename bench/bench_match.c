/* bench_match.c: times candidate generation with the spatial index (eic_spatial_pairs) on a
 * registry from tools/gen_registry.py, and compares its pair set with PostGIS's export. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eic/spatial.h>

typedef struct {
	size_t count;
	long *id;    /* offer id from the file */
	char *kind;  /* 'H' have, 'W' want */
	long *waste; /* waste type id */
	double *lat, *lon;
} registry;

typedef struct {
	long have, want;
} pair;

typedef struct {
	const registry *reg;
	pair *items;
	size_t len, cap;
} pairs;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Read id,kind,lat,lon,section,sector,waste (header line first). */
static int read_registry(registry *r, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;
	memset(r, 0, sizeof *r);
	if (!f || !fgets(line, sizeof line, f)) {
		fprintf(stderr, "bench_match: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		if (r->count == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			r->id = realloc(r->id, cap * sizeof *r->id);
			r->kind = realloc(r->kind, cap);
			r->waste = realloc(r->waste, cap * sizeof *r->waste);
			r->lat = realloc(r->lat, cap * sizeof *r->lat);
			r->lon = realloc(r->lon, cap * sizeof *r->lon);
			if (!r->id || !r->kind || !r->waste || !r->lat || !r->lon) {
				fclose(f);
				return -1;
			}
		}
		char kind = 0;
		long id = 0;
		double lat = 0, lon = 0;
		if (sscanf(line, "%ld,%c,%lf,%lf", &id, &kind, &lat, &lon) != 4) {
			fprintf(stderr, "bench_match: bad line %s", line);
			fclose(f);
			return -1;
		}
		const char *last = strrchr(line, ',');
		r->id[r->count] = id;
		r->kind[r->count] = kind;
		r->lat[r->count] = lat;
		r->lon[r->count] = lon;
		r->waste[r->count] = last ? atol(last + 1) : 0;
		r->count++;
	}
	fclose(f);
	return 0;
}

/* With the waste type as the index's group, the rest of the rule: a have and a want. */
static int have_want(void *ctx, size_t i, size_t j)
{
	const registry *r = ((const pairs *)ctx)->reg;
	return r->kind[i] != r->kind[j];
}

/* The benchmark's compatibility rule: a have and a want of the same waste type. */
static int compatible(void *ctx, size_t i, size_t j)
{
	const registry *r = ((const pairs *)ctx)->reg;
	return r->kind[i] != r->kind[j] && r->waste[i] == r->waste[j];
}

static int keep(void *ctx, size_t i, size_t j, double distance_km)
{
	(void)distance_km;
	pairs *p = ctx;
	const registry *r = p->reg;
	if (p->len == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1 << 20;
		pair *items = realloc(p->items, cap * sizeof *items);
		if (!items)
			return -1;
		p->items = items;
		p->cap = cap;
	}
	size_t h = r->kind[i] == 'H' ? i : j, w = h == i ? j : i;
	p->items[p->len++] = (pair){r->id[h], r->id[w]};
	return 0;
}

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->have != y->have)
		return x->have < y->have ? -1 : 1;
	return x->want < y->want ? -1 : x->want > y->want;
}

static int read_pairs(pairs *p, const char *path)
{
	FILE *f = fopen(path, "r");
	long h, w;
	if (!f) {
		fprintf(stderr, "bench_match: cannot read %s\n", path);
		return -1;
	}
	while (fscanf(f, "%ld,%ld", &h, &w) == 2) {
		if (p->len == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 1 << 20;
			p->items = realloc(p->items, p->cap * sizeof *p->items);
			if (!p->items) {
				fclose(f);
				return -1;
			}
		}
		p->items[p->len++] = (pair){h, w};
	}
	fclose(f);
	return 0;
}

/* Distance of the pair of offer ids (ids are 1..n in file order, as gen_registry writes). */
static double pair_km(const registry *r, pair q)
{
	size_t h = (size_t)(q.have - 1), w = (size_t)(q.want - 1);
	return eic_spatial_distance_km(r->lat[h], r->lon[h], r->lat[w], r->lon[w]);
}

/* Report the symmetric difference; pairs within band_km of the radius are boundary cases. */
static int compare(const registry *r, pairs *mine, pairs *theirs, double radius_km, double band_km)
{
	size_t a = 0, b = 0, only_mine = 0, only_theirs = 0, edge = 0;
	double worst = 0.0;
	qsort(theirs->items, theirs->len, sizeof(pair), cmp_pair);
	while (a < mine->len || b < theirs->len) {
		int c = a == mine->len     ? 1
		        : b == theirs->len ? -1
		                           : cmp_pair(&mine->items[a], &theirs->items[b]);
		if (c == 0) {
			a++;
			b++;
			continue;
		}
		pair q = c < 0 ? mine->items[a++] : theirs->items[b++];
		double d = pair_km(r, q), off = fabs(d - radius_km);
		if (c < 0)
			only_mine++;
		else
			only_theirs++;
		if (off <= band_km)
			edge++;
		if (off > worst)
			worst = off;
		if (only_mine + only_theirs <= 10)
			printf("  only in %s: have %ld want %ld, eic distance %.9f km\n",
			       c < 0 ? "eic" : "PostGIS", q.have, q.want, d);
	}
	printf("compare: eic %zu pairs, PostGIS %zu pairs, common %zu; only eic %zu, only PostGIS "
	       "%zu; of these %zu within %.3f m of the radius (largest offset %.6f m)\n",
	       mine->len, theirs->len, mine->len - only_mine, only_mine, only_theirs, edge,
	       band_km * 1000.0, worst * 1000.0);
	if (only_mine + only_theirs == 0)
		printf("compare: IDENTICAL candidate sets\n");
	return only_mine + only_theirs == edge ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL, *compare_path = NULL;
	double radius_km = 50.0, cell_km = 0.0;
	int runs = 3, use_groups = 1;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_match REGISTRY.csv [--radius=KM] [--runs=N] "
		                "[--no-groups] [--cell=KM] "
		                "[--out=PAIRS.csv] [--compare=POSTGIS_PAIRS.csv]\n");
		return 2;
	}
	for (int k = 2; k < argc; k++) {
		if (!strncmp(argv[k], "--radius=", 9))
			radius_km = atof(argv[k] + 9);
		else if (!strncmp(argv[k], "--runs=", 7))
			runs = atoi(argv[k] + 7);
		else if (!strncmp(argv[k], "--cell=", 7))
			cell_km = atof(argv[k] + 7);
		else if (!strcmp(argv[k], "--no-groups"))
			use_groups = 0;
		else if (!strncmp(argv[k], "--out=", 6))
			out_path = argv[k] + 6;
		else if (!strncmp(argv[k], "--compare=", 10))
			compare_path = argv[k] + 10;
		else {
			fprintf(stderr, "bench_match: unknown option %s\n", argv[k]);
			return 2;
		}
	}
	registry reg;
	double t0 = now_s();
	if (read_registry(&reg, argv[1]) < 0)
		return 3;
	printf("registry %s: %zu offers, read in %.2f s (not timed below)\n", argv[1], reg.count,
	       now_s() - t0);
	pairs found = {&reg, NULL, 0, 0};
	int status = 0;
	for (int run = 1; run <= runs; run++) {
		eic_spatial_options opt = EIC_SPATIAL_OPTIONS_INIT;
		eic_spatial *index = NULL;
		opt.cell_radius_km = cell_km > 0 ? cell_km : radius_km;
		opt.group = use_groups ? reg.waste : NULL;
		found.len = 0;
		double t1 = now_s();
		int rc = eic_spatial_new(&index, reg.lat, reg.lon, reg.count, &opt);
		double t2 = now_s();
		if (rc == 0)
			rc = eic_spatial_pairs(index, radius_km,
			                       use_groups ? have_want : compatible, keep, &found);
		double t3 = now_s();
		eic_spatial_free(index);
		if (rc != 0) {
			fprintf(stderr, "bench_match: error %d\n", rc);
			return 3;
		}
		printf("run %d (%s): index %.3f s, candidates %.3f s, total %.3f s: %zu candidate "
		       "pairs "
		       "within %.1f km\n",
		       run, use_groups ? "waste type as group" : "waste type in the filter",
		       t2 - t1, t3 - t2, t3 - t1, found.len, radius_km);
	}
	qsort(found.items, found.len, sizeof(pair), cmp_pair);
	if (out_path) {
		FILE *f = fopen(out_path, "w");
		if (!f)
			return 3;
		for (size_t k = 0; k < found.len; k++)
			fprintf(f, "%ld,%ld\n", found.items[k].have, found.items[k].want);
		if (fclose(f) != 0)
			return 3;
	}
	if (compare_path) {
		pairs theirs = {&reg, NULL, 0, 0};
		if (read_pairs(&theirs, compare_path) < 0)
			return 3;
		status = compare(&reg, &found, &theirs, radius_km, 0.001);
		free(theirs.items);
	}
	free(found.items);
	free(reg.id);
	free(reg.kind);
	free(reg.waste);
	free(reg.lat);
	free(reg.lon);
	return status;
}
