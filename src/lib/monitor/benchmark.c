/* benchmark.c: Hazen quantiles and percentile ranks, ranks within peer groups (sector division,
 * EU SME size class) and the anonymised view of one member (docs/methods/indicators.md). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <eic/benchmark.h>

#include "util/util.h"

struct eic_benchmark {
	eic_arena arena;
	eic_bench_row *rows;
	size_t row_count;
	eic_bench_group *groups;
	size_t group_count;
	eic_bench_options opts;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int same(double a, double b)
{
	double scale = fmax(fabs(a), fabs(b));
	return fabs(a - b) <= 1e-12 * scale;
}

/* Hazen quantile of sorted finite values. */
static double quantile_sorted(const double *x, size_t n, double p)
{
	double h = (double)n * p + 0.5;
	if (h <= 1.0)
		return x[0];
	if (h >= (double)n)
		return x[n - 1];
	double fl = floor(h);
	size_t k = (size_t)fl; /* 1-based index of the lower neighbour */
	return x[k - 1] + (h - fl) * (x[k] - x[k - 1]);
}

static int sorted_copy(double **out, const double *values, size_t count)
{
	*out = NULL;
	if (!values || count == 0)
		return EIC_EINVAL;
	for (size_t i = 0; i < count; i++)
		if (!isfinite(values[i]))
			return EIC_EINVAL;
	double *x = eic_malloc(sizeof(*x) * count);
	if (!x)
		return EIC_ENOMEM;
	memcpy(x, values, sizeof(*x) * count);
	qsort(x, count, sizeof(*x), cmp_double);
	*out = x;
	return 0;
}

int eic_bench_quantile(double *out, const double *values, size_t count, double p)
{
	double *x = NULL;
	if (!out || !(p >= 0.0 && p <= 1.0))
		return EIC_EINVAL;
	int rc = sorted_copy(&x, values, count);
	if (rc < 0)
		return rc;
	*out = quantile_sorted(x, count, p);
	eic_free(x);
	return 0;
}

static void summarise_sorted(eic_bench_distribution *d, const double *x, size_t n)
{
	double sum = 0.0;
	d->n = n;
	d->min = x[0];
	d->max = x[n - 1];
	d->q1 = quantile_sorted(x, n, 0.25);
	d->median = quantile_sorted(x, n, 0.5);
	d->q3 = quantile_sorted(x, n, 0.75);
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	d->mean = sum / (double)n;
}

static void empty_distribution(eic_bench_distribution *d)
{
	d->n = 0;
	d->min = d->q1 = d->median = d->q3 = d->max = d->mean = NAN;
}

int eic_bench_distribution_compute(eic_bench_distribution *out, const double *values, size_t count)
{
	double *x = NULL;
	if (!out)
		return EIC_EINVAL;
	int rc = sorted_copy(&x, values, count);
	if (rc < 0)
		return rc;
	summarise_sorted(out, x, count);
	eic_free(x);
	return 0;
}

double eic_bench_percentile_rank(const double *values, size_t count, double value)
{
	size_t below = 0, equal = 0;
	if (!values || count == 0 || !isfinite(value))
		return NAN;
	for (size_t i = 0; i < count; i++) {
		if (!isfinite(values[i]))
			return NAN;
		if (same(values[i], value))
			equal++;
		else if (values[i] < value)
			below++;
	}
	return 100.0 * ((double)below + 0.5 * (double)equal) / (double)count;
}

const char *eic_bench_size_class(long employees)
{
	if (employees < 0)
		return "unknown";
	if (employees < 10)
		return "micro";
	if (employees < 50)
		return "small";
	if (employees < 250)
		return "medium";
	return "large";
}

int eic_bench_sector_division(char out[3], eic_sector_scheme scheme, const char *sector)
{
	const char *p = sector;
	if (!out)
		return EIC_EINVAL;
	out[0] = '\0';
	if (!p || !*p)
		return EIC_ENOTFOUND;
	/* NACE codes may carry the section letter ("C16.10"); ISIC codes may too ("C1610") */
	if (isalpha((unsigned char)*p) &&
	    (scheme == EIC_SECTOR_NACE2 || isdigit((unsigned char)p[1])))
		p++;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return EIC_ENOTFOUND;
	out[0] = p[0];
	out[1] = p[1];
	out[2] = '\0';
	return 0;
}

/* ---- ranking --------------------------------------------------------------------------------- */

int eic_benchmark_compute(eic_benchmark **out, const eic_bench_entry *entries, size_t count,
                          const eic_bench_options *opts)
{
	eic_benchmark *b = NULL;
	eic_map index;
	double *vals = NULL;
	size_t *group_of = NULL;
	int rc = 0;
	eic_map_init(&index);
	if (!out || (!entries && count > 0))
		return EIC_EINVAL;
	*out = NULL;
	for (size_t i = 0; i < count; i++)
		if (!entries[i].id || isinf(entries[i].value))
			return EIC_EINVAL;
	b = eic_calloc(1, sizeof(*b));
	if (!b)
		return EIC_ENOMEM;
	eic_arena_init(&b->arena);
	if (opts)
		b->opts = *opts;
	else {
		eic_bench_options d = EIC_BENCH_OPTIONS_INIT;
		b->opts = d;
	}
	size_t cap = count ? count : 1;
	b->rows = eic_calloc(cap, sizeof(*b->rows));
	b->groups = eic_calloc(cap, sizeof(*b->groups));
	vals = eic_malloc(sizeof(*vals) * cap);
	group_of = eic_malloc(sizeof(*group_of) * cap);
	if (!b->rows || !b->groups || !vals || !group_of) {
		rc = EIC_ENOMEM;
		goto done;
	}
	b->row_count = count;
	for (size_t i = 0; i < count; i++) {
		const eic_bench_entry *e = &entries[i];
		eic_bench_row *r = &b->rows[i];
		const char *g = e->group && *e->group ? e->group : "all";
		r->id = eic_arena_strdup(&b->arena, e->id);
		r->name = eic_arena_strdup(&b->arena, e->name ? e->name : "");
		r->value = e->value;
		r->percentile = NAN;
		if (!r->id || !r->name) {
			rc = EIC_ENOMEM;
			goto done;
		}
		size_t gi;
		if (!eic_map_get(&index, g, &gi)) {
			gi = b->group_count++;
			eic_bench_group *grp = &b->groups[gi];
			grp->group = eic_arena_strdup(&b->arena, g);
			if (!grp->group || eic_map_put(&index, grp->group, gi) < 0) {
				rc = EIC_ENOMEM;
				goto done;
			}
		}
		r->group = b->groups[gi].group;
		group_of[i] = gi;
	}
	for (size_t gi = 0; gi < b->group_count; gi++) {
		eic_bench_group *grp = &b->groups[gi];
		size_t n = 0;
		for (size_t i = 0; i < count; i++) {
			if (group_of[i] != gi)
				continue;
			if (isnan(b->rows[i].value))
				grp->missing++;
			else
				vals[n++] = b->rows[i].value;
		}
		if (n == 0)
			empty_distribution(&grp->dist);
		else {
			qsort(vals, n, sizeof(*vals), cmp_double);
			summarise_sorted(&grp->dist, vals, n);
		}
		grp->shown = n > 0 && n >= b->opts.min_group_size;
		for (size_t i = 0; i < count; i++) {
			eic_bench_row *r = &b->rows[i];
			if (group_of[i] != gi || isnan(r->value))
				continue;
			size_t better = 0;
			for (size_t k = 0; k < n; k++)
				if (!same(vals[k], r->value) &&
				    (b->opts.higher_is_better ? vals[k] > r->value
				                              : vals[k] < r->value))
					better++;
			r->ranked = 1;
			r->rank = better + 1;
			r->group_size = n;
			r->percentile = eic_bench_percentile_rank(vals, n, r->value);
		}
	}
	*out = b;
	b = NULL;
done:
	eic_map_free(&index);
	eic_free(vals);
	eic_free(group_of);
	eic_benchmark_free(b);
	return rc;
}

void eic_benchmark_free(eic_benchmark *bench)
{
	if (!bench)
		return;
	eic_free(bench->rows);
	eic_free(bench->groups);
	eic_arena_clear(&bench->arena);
	eic_free(bench);
}

size_t eic_benchmark_row_count(const eic_benchmark *bench)
{
	return bench ? bench->row_count : 0;
}

const eic_bench_row *eic_benchmark_row_at(const eic_benchmark *bench, size_t i)
{
	return bench && i < bench->row_count ? &bench->rows[i] : NULL;
}

size_t eic_benchmark_group_count(const eic_benchmark *bench)
{
	return bench ? bench->group_count : 0;
}

const eic_bench_group *eic_benchmark_group_at(const eic_benchmark *bench, size_t i)
{
	return bench && i < bench->group_count ? &bench->groups[i] : NULL;
}

int eic_benchmark_view(eic_bench_view *out, const eic_benchmark *bench, const char *id)
{
	if (!out || !bench || !id)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	out->value = NAN;
	out->percentile = NAN;
	empty_distribution(&out->dist);
	for (size_t i = 0; i < bench->row_count; i++) {
		const eic_bench_row *r = &bench->rows[i];
		if (strcmp(r->id, id))
			continue;
		const eic_bench_group *g = NULL;
		for (size_t k = 0; k < bench->group_count; k++)
			if (bench->groups[k].group == r->group)
				g = &bench->groups[k];
		out->group = r->group;
		out->value = r->value;
		if (!g || !g->shown)
			return 0;
		out->shown = 1;
		out->n = g->dist.n;
		out->dist = g->dist;
		if (r->ranked) {
			out->rank = r->rank;
			out->percentile = r->percentile;
		}
		return 0;
	}
	return EIC_ENOTFOUND;
}
