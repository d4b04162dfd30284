/* match.c: offer matching: pairs haves and wants (and wants with wants, haves with haves) by
 * material, knowledge-base pathway, quantity, timing and distance, and explains each candidate. */
#include <eic/kb.h>
#include <eic/match.h>
#include <eic/spatial.h>
#include <eic/units.h>

#include "match_private.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MASK_STEP_KM 5.0
#define RELATED 0.8 /* weight of a pathway for a related material (same class) */
#define MAX_MATRIX_LINE 4096
#define MAX_MATRIX_ROWS ((size_t)1 << 24)

struct eic_match_result {
	eic_arena arena; /* every string */
	eic_vec candidates;
	eic_vec notes; /* const char * */
	eic_kb *kb;    /* the knowledge base loaded for the run (pathways point into it) */
};

/* A pathway that applies to an offer's material, with how closely (1 direct, 0.8 related). */
typedef struct {
	const eic_kb_pathway *p;
	double weight;
} path_ref;

typedef struct {
	const eic_offer *offer;
	const eic_actor *actor;
	const eic_material *material;
	eic_vec paths; /* path_ref; filled for haves */
} offer_info;

typedef struct {
	const eic_cluster *cluster;
	const eic_match_options *opts;
	const eic_kb *kb;
	eic_diags *diags;
	eic_match_result *res;
	eic_map matrix; /* "from\x1fto" -> index in matrix_km */
	eic_vec matrix_km;
	eic_arena matrix_keys;
	int have_matrix;
} match_ctx;

static const double fit_score[EIC_MATCH_FIT__N] = {1.0, 1.0, 0.8, 0.7, 0.7, 0.6, 0.5, 0.4, 0.3};

const char *eic_match_mode_name(eic_match_mode mode)
{
	switch (mode) {
	case EIC_MATCH_SUBSTITUTION:
		return "substitution";
	case EIC_MATCH_SHARED_INPUT:
		return "shared input";
	case EIC_MATCH_JOINT_TREATMENT:
		return "joint treatment";
	default:
		return "unknown";
	}
}

const char *eic_match_fit_name(eic_match_fit fit)
{
	static const char *names[EIC_MATCH_FIT__N] = {
	    "exact material",    "shared facility", "KB pathway",
	    "shared KB pathway", "same EWC code",   "KB sector",
	    "EWC sub-chapter",   "material class",  "EWC chapter"};
	return (unsigned)fit < EIC_MATCH_FIT__N ? names[fit] : "unknown";
}

static int fail(match_ctx *m, int code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(match_ctx *m, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m->diags && eic_diags_add(m->diags, EIC_SEV_ERROR, "", 0, 0, "%s", msg) < 0)
		return EIC_ENOMEM;
	return code;
}

/* Record a refusal located in an input file (file:line:column) and return `code`. */
static int fail_at(match_ctx *m, int code, const char *file, int line, int column, const char *fmt,
                   ...)
#ifdef __GNUC__
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static int fail_at(match_ctx *m, int code, const char *file, int line, int column, const char *fmt,
                   ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m->diags && eic_diags_add(m->diags, EIC_SEV_ERROR, file, line, column, "%s", msg) < 0)
		return EIC_ENOMEM;
	return code;
}

/* ---- distance ---- */

static int matrix_key(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s\x1f%s", a, b);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Read the user distance matrix: header from_actor,to_actor,km, one pair per line (either
 * order serves both directions). Every refusal names file:line:column: a row without exactly
 * three cells, an empty actor id, a distance that is not a number >= 0, a pair given twice
 * (in either order). Quotes are not part of this format. O(rows). */
static int read_matrix_stream(match_ctx *m, FILE *fp, const char *path)
{
	char line[MAX_MATRIX_LINE];
	int lineno = 0, error = 0;

	m->have_matrix = 1;
	while (fgets(line, sizeof(line), fp)) {
		char *cells[3];
		int col[4];
		size_t n = 0, len = strlen(line);
		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(fp)) {
			error = fail_at(m, EIC_EPARSE, path, lineno, 1,
			                "line too long (expected at most %d characters)",
			                MAX_MATRIX_LINE - 2);
			goto done;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *text = line;
		if (lineno == 1 && !strncmp(text, "\xef\xbb\xbf", 3))
			text += 3;
		if (!*text)
			continue;
		/* split on commas, keeping the 1-based column where each cell starts */
		char *p = text;
		for (;;) {
			if (n < 3)
				cells[n] = p;
			if (n < 4)
				col[n] = (int)(p - text) + 1;
			n++;
			char *comma = strchr(p, ',');
			if (!comma)
				break;
			*comma = '\0';
			p = comma + 1;
		}
		if (n != 3) {
			error = fail_at(m, EIC_EPARSE, path, lineno,
			                n > 3 ? col[3] : (int)strlen(p) + (int)(p - text) + 1,
			                "expected 3 cells from_actor,to_actor,km; found %zu", n);
			goto done;
		}
		if (lineno == 1) {
			for (int k = 0; k < 3; k++) {
				static const char *const want[] = {"from_actor", "to_actor", "km"};
				if (strcmp(cells[k], want[k])) {
					error = fail_at(m, EIC_EPARSE, path, 1, col[k],
					                "expected the header "
					                "from_actor,to_actor,km; found '%s' for "
					                "'%s'",
					                cells[k], want[k]);
					goto done;
				}
			}
			continue;
		}
		for (int k = 0; k < 2; k++)
			if (!*cells[k]) {
				error = fail_at(m, EIC_EPARSE, path, lineno, col[k],
				                "empty %s (expected an actor id)",
				                k ? "to_actor" : "from_actor");
				goto done;
			}
		double km;
		if (eic_parse_double(&km, cells[2]) < 0 || km < 0) {
			error = fail_at(m, EIC_EPARSE, path, lineno, col[2],
			                "km must be a number >= 0 (found '%s')", cells[2]);
			goto done;
		}
		if (m->matrix_km.len >= MAX_MATRIX_ROWS) {
			error = fail_at(m, EIC_ENOMEM, path, lineno, 1, "more than %zu rows",
			                MAX_MATRIX_ROWS);
			goto done;
		}
		char key[600];
		size_t other;
		if (matrix_key(key, sizeof(key), cells[1], cells[0]) < 0) {
			error = fail_at(m, EIC_EPARSE, path, lineno, 1, "actor id too long");
			goto done;
		}
		if (strcmp(cells[0], cells[1]) && eic_map_get(&m->matrix, key, &other)) {
			error =
			    fail_at(m, EIC_EPARSE, path, lineno, 1,
			            "the pair %s,%s is given twice (also as %s,%s, which serves "
			            "both directions)",
			            cells[0], cells[1], cells[1], cells[0]);
			goto done;
		}
		if (matrix_key(key, sizeof(key), cells[0], cells[1]) < 0) {
			error = fail_at(m, EIC_EPARSE, path, lineno, 1, "actor id too long");
			goto done;
		}
		char *stored = eic_arena_strdup(&m->matrix_keys, key);
		if (!stored || !eic_vec_push(&m->matrix_km, &km)) {
			error = EIC_ENOMEM;
			goto done;
		}
		int rc = eic_map_put(&m->matrix, stored, m->matrix_km.len - 1);
		if (rc < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
		if (rc == 1) {
			error = fail_at(m, EIC_EPARSE, path, lineno, 1,
			                "the pair %s,%s is given twice", cells[0], cells[1]);
			goto done;
		}
	}
	if (ferror(fp))
		error = fail(m, EIC_EIO, "cannot read the distance matrix %s", path);
	else if (lineno == 0)
		error = fail_at(m, EIC_EPARSE, path, 1, 1,
		                "empty file (expected the header from_actor,to_actor,km)");
done:
	return error;
}

static int read_matrix(match_ctx *m, const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return fail(m, errno == ENOENT ? EIC_ENOTFOUND : EIC_EIO,
		            "cannot open the distance matrix %s: %s", path, strerror(errno));
	int error = read_matrix_stream(m, fp, path);
	fclose(fp);
	return error;
}

/* Road distance between two actors: the user matrix when given (a missing pair is an error),
 * else great circle (eic_spatial_distance_km) x circuity; NaN when a site is unknown. This is
 * the one place to swap in a spatial query. */
static int pair_distance(double *out_km, int *from_matrix, match_ctx *m, const eic_actor *a,
                         const eic_actor *b)
{
	*out_km = NAN;
	*from_matrix = 0;
	if (m->have_matrix) {
		char key[600];
		size_t i;
		if ((matrix_key(key, sizeof(key), a->id, b->id) == 0 &&
		     eic_map_get(&m->matrix, key, &i)) ||
		    (matrix_key(key, sizeof(key), b->id, a->id) == 0 &&
		     eic_map_get(&m->matrix, key, &i))) {
			*out_km = *EIC_VEC_AT(&m->matrix_km, double, i);
			*from_matrix = 1;
			return 0;
		}
		return fail(m, EIC_EINVAL,
		            "the distance matrix %s does not cover the pair %s,%s (add a row "
		            "from_actor,to_actor,km for it)",
		            m->opts->distance_matrix, a->id, b->id);
	}
	if (isnan(a->lat) || isnan(a->lon) || isnan(b->lat) || isnan(b->lon))
		return 0;
	*out_km = eic_spatial_distance_km(a->lat, a->lon, b->lat, b->lon) * m->opts->circuity;
	return 0;
}

/*
 * Fuzzing entry point (match_private.h): read a distance matrix from memory exactly as
 * eic_match_run reads the file, then look up the pair from,to as the matcher does.
 */
int eic_match__read_matrix_buffer(double *out_km, const char *name, const char *data, size_t size,
                                  const char *from, const char *to, eic_diags *diags)
{
	eic_match_options opts = EIC_MATCH_OPTIONS_INIT;
	match_ctx m;
	eic_actor a, b;
	int from_matrix, error;

	*out_km = NAN;
	memset(&m, 0, sizeof(m));
	opts.distance_matrix = name;
	m.opts = &opts;
	m.diags = diags;
	eic_map_init(&m.matrix);
	eic_vec_init(&m.matrix_km, sizeof(double));
	eic_arena_init(&m.matrix_keys);
	FILE *fp = fmemopen((void *)data, size, "r");
	if (!fp) {
		error = EIC_ENOMEM;
		goto done;
	}
	error = read_matrix_stream(&m, fp, name);
	fclose(fp);
	if (error < 0)
		goto done;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.id = from;
	b.id = to;
	error = pair_distance(out_km, &from_matrix, &m, &a, &b);
done:
	eic_map_free(&m.matrix);
	eic_vec_free(&m.matrix_km);
	eic_arena_clear(&m.matrix_keys);
	return error;
}

/* ---- material compatibility ---- */

static int ewc_prefix(const eic_material *a, const eic_material *b, size_t n)
{
	return a && b && !eic_str_empty(a->ewc) && !eic_str_empty(b->ewc) && strlen(a->ewc) >= n &&
	       strlen(b->ewc) >= n && !strncmp(a->ewc, b->ewc, n);
}

/* Length of the first `segments` segments of a category path, or 0 if it has fewer. */
static size_t category_prefix(const char *cat, int segments)
{
	size_t i = 0;
	if (eic_str_empty(cat))
		return 0;
	for (int s = 0; s < segments; s++) {
		if (s > 0) {
			if (cat[i] != '/')
				return 0;
			i++;
		}
		size_t start = i;
		while (cat[i] && cat[i] != '/')
			i++;
		if (i == start)
			return 0;
	}
	return i;
}

static int same_class(const eic_material *a, const eic_material *b)
{
	size_t la = a ? category_prefix(a->category, 2) : 0;
	size_t lb = b ? category_prefix(b->category, 2) : 0;
	return la && la == lb && !strncmp(a->category, b->category, la);
}

/* Proximity by classification alone: EWC code, sub-chapter, class, chapter. */
static int classification_fit(eic_match_fit *out, const eic_material *a, const eic_material *b)
{
	if (ewc_prefix(a, b, 6))
		*out = EIC_MATCH_FIT_EWC_CODE;
	else if (ewc_prefix(a, b, 4))
		*out = EIC_MATCH_FIT_SUBCHAPTER;
	else if (same_class(a, b))
		*out = EIC_MATCH_FIT_CLASS;
	else if (ewc_prefix(a, b, 2))
		*out = EIC_MATCH_FIT_CHAPTER;
	else
		return 0;
	return 1;
}

/* 2 when the ISIC codes are equal, 1 when one is a prefix of the other (division or group
 * containing the class), 0 otherwise. */
static int isic_relation(const char *pathway, const eic_actor *actor)
{
	if (!actor || actor->sector_scheme != EIC_SECTOR_ISIC4 || eic_str_empty(actor->sector) ||
	    eic_str_empty(pathway))
		return 0;
	size_t la = strlen(pathway), lb = strlen(actor->sector), n = la < lb ? la : lb;
	if (n < 2 || strncmp(pathway, actor->sector, n))
		return 0;
	return la == lb ? 2 : 1;
}

static double evidence_of(const path_ref *r)
{
	double base = r->p->evidence_type == EIC_KB_EVIDENCE_CASE     ? 1.0
	              : r->p->evidence_type == EIC_KB_EVIDENCE_MANUAL ? 0.9
	                                                              : 0.8;
	return base * r->weight;
}

static int push_path(eic_vec *v, const eic_kb_pathway *p, double weight)
{
	for (size_t i = 0; i < v->len; i++) {
		path_ref *r = EIC_VEC_AT(v, path_ref, i);
		if (r->p == p) {
			if (weight > r->weight)
				r->weight = weight;
			return 0;
		}
	}
	path_ref r = {p, weight};
	return eic_vec_push(v, &r) ? 0 : EIC_ENOMEM;
}

/* Pathways that apply to an offer's material: by material id or category (direct), by EWC code
 * (direct) or sub-chapter (related), and pathways of sibling materials in the same class
 * (related, weight 0.8). */
static int collect_paths(offer_info *oi, const eic_kb *kb, eic_kb_hit *hits, size_t cap)
{
	size_t count = 0;
	int error = 0;
	const eic_material *mat = oi->material;

	if (!kb || !mat)
		return 0;
	if (eic_kb_find_material(hits, cap, &count, kb, mat->id, NULL) == 0)
		for (size_t i = 0; i < count && i < cap && !error; i++)
			error = push_path(&oi->paths, eic_kb_at(kb, hits[i].index), 1.0);
	if (!error && !eic_str_empty(mat->ewc) && strlen(mat->ewc) == 6 &&
	    eic_kb_find_ewc(hits, cap, &count, kb, mat->ewc, NULL) == 0)
		for (size_t i = 0; i < count && i < cap && !error; i++) {
			const eic_kb_pathway *p = eic_kb_at(kb, hits[i].index);
			/* a pathway naming another material is not evidence for this one */
			if (hits[i].level == EIC_KB_MATCH_CHAPTER || p->source_material)
				continue;
			error = push_path(&oi->paths, eic_kb_at(kb, hits[i].index),
			                  hits[i].level == EIC_KB_MATCH_EXACT ? 1.0 : 0.8);
		}
	size_t len = category_prefix(mat->category, 2);
	if (!error && len) {
		char parent[256];
		if (len < sizeof(parent)) {
			memcpy(parent, mat->category, len);
			parent[len] = '\0';
			if (eic_kb_find_material(hits, cap, &count, kb, parent, NULL) == 0)
				for (size_t i = 0; i < count && i < cap && !error; i++)
					error = push_path(&oi->paths, eic_kb_at(kb, hits[i].index),
					                  RELATED);
		}
	}
	return error;
}

/* Best pathway of a have towards a want: one making or replacing the wanted material, else
 * one leading to the receiving actor's sector. Returns the fit found, or -1. */
static int pathway_fit(const path_ref **out, const offer_info *have, const offer_info *want,
                       int allow_related, int sector_only)
{
	const path_ref *best = NULL;
	double best_score = -1;
	int best_fit = -1;
	for (size_t i = 0; i < have->paths.len; i++) {
		const path_ref *r = EIC_VEC_AT(&have->paths, path_ref, i);
		const char *wm = want->offer->material;
		if (!allow_related && r->weight <= RELATED)
			continue;
		int rel = isic_relation(r->p->use_isic, want->actor);
		/* a product made is wanted anywhere; a replaced input only in the pathway's sector
		 */
		int makes = eic_streq(r->p->yield_output, wm) ||
		            eic_streq(r->p->yield2_output, wm) ||
		            (eic_streq(r->p->replaces_material, wm) && rel);
		int fit;
		double s;
		if (makes && !sector_only) {
			fit = EIC_MATCH_FIT_PATHWAY;
			s = fit_score[fit] * r->weight;
		} else if (rel) {
			fit = EIC_MATCH_FIT_SECTOR;
			s = fit_score[fit] * r->weight * (rel == 2 ? 1.0 : 0.85);
		} else {
			continue;
		}
		s += 0.01 * evidence_of(r); /* prefer the better documented pathway on ties */
		if (s > best_score) {
			best_score = s;
			best = r;
			best_fit = fit;
		}
	}
	*out = best;
	return best_fit;
}

static int is_facility_input(const eic_cluster *c, const char *facility, const char *material)
{
	for (size_t i = 0; i < eic_cluster_facility_coef_count(c); i++) {
		const eic_facility_coef *f = eic_cluster_facility_coef(c, i);
		if (f->direction == EIC_DIR_INPUT && eic_streq(f->material, material) &&
		    eic_streq(f->facility, facility))
			return 1;
	}
	return 0;
}

/* A candidate facility of the cluster for two haves: it takes both materials as inputs
 * (*score 1), or one of them and the other shares its EWC code or material class (*score 0.9).
 * NULL when there is none. O(coefficients^2). */
static const char *shared_facility(double *score, const eic_cluster *c, const offer_info *a,
                                   const offer_info *b)
{
	const char *best = NULL;
	*score = 0;
	for (size_t i = 0; i < eic_cluster_facility_coef_count(c); i++) {
		const eic_facility_coef *f = eic_cluster_facility_coef(c, i);
		const offer_info *in, *other;
		if (f->direction != EIC_DIR_INPUT)
			continue;
		if (eic_streq(f->material, a->offer->material))
			in = a, other = b;
		else if (eic_streq(f->material, b->offer->material))
			in = b, other = a;
		else
			continue;
		if (is_facility_input(c, f->facility, other->offer->material)) {
			*score = 1.0;
			return f->facility;
		}
		double sc = ewc_prefix(in->material, other->material, 6) ||
		                    same_class(in->material, other->material)
		                ? 0.9
		                : 0;
		if (sc > *score) {
			best = f->facility;
			*score = sc;
		}
	}
	return best;
}

/* A candidate facility of the cluster that takes the have's material as input and gives out
 * the want's material (one conversion step inside the cluster), or NULL. */
static const char *converting_facility(const eic_cluster *c, const char *in, const char *out)
{
	for (size_t i = 0; i < eic_cluster_facility_coef_count(c); i++) {
		const eic_facility_coef *f = eic_cluster_facility_coef(c, i);
		if (f->direction != EIC_DIR_INPUT || !eic_streq(f->material, in))
			continue;
		for (size_t j = 0; j < eic_cluster_facility_coef_count(c); j++) {
			const eic_facility_coef *g = eic_cluster_facility_coef(c, j);
			if (g->direction == EIC_DIR_OUTPUT && eic_streq(g->material, out) &&
			    eic_streq(g->facility, f->facility))
				return f->facility;
		}
	}
	return NULL;
}

/* Two haves with pathways to the same product in the same sector. */
static const path_ref *shared_pathway(const offer_info *a, const offer_info *b, double *weight)
{
	const path_ref *best = NULL;
	double best_s = -1;
	for (size_t i = 0; i < a->paths.len; i++) {
		const path_ref *ra = EIC_VEC_AT(&a->paths, path_ref, i);
		for (size_t j = 0; j < b->paths.len; j++) {
			const path_ref *rb = EIC_VEC_AT(&b->paths, path_ref, j);
			if (ra->weight <= RELATED || rb->weight <= RELATED ||
			    !eic_streq(ra->p->use_isic, rb->p->use_isic) || !ra->p->product ||
			    !rb->p->product || strcasecmp(ra->p->product, rb->p->product))
				continue;
			double w = ra->weight < rb->weight ? ra->weight : rb->weight;
			double s = w + 0.01 * evidence_of(ra);
			if (s > best_s) {
				best_s = s;
				best = ra;
				*weight = w;
			}
		}
	}
	return best;
}

/* ---- quantities and timing ---- */

/* Range of an offer: without `min`, any part of the quantity may be exchanged (0); without
 * `max`, the typical quantity is the most. */
static void range_of(const eic_offer *o, double *lo, double *hi)
{
	*lo = isnan(o->min_quantity) ? 0 : o->min_quantity;
	*hi = isnan(o->max_quantity) ? o->quantity : o->max_quantity;
}

/* Value of offer b's quantity-like number in offer a's unit; -1 when not comparable. */
static int to_unit_of(double *out, double v, const eic_offer *b, const eic_offer *a)
{
	if (isnan(v))
		return -1;
	return eic_unit_convert(out, v, b->unit, a->unit) == 0 ? 0 : -1;
}

/* Mass per year of `q` in `unit` of a material: a mass rate directly, a plain mass taken as per
 * year, a volume through the density property. NaN when not a mass. */
static double mass_per_year(const eic_cluster *c, const char *material, double q, const char *unit)
{
	double out;
	if (isnan(q))
		return NAN;
	if (eic_unit_convert(&out, q, unit, "t/yr") == 0 ||
	    eic_unit_convert(&out, q, unit, "t") == 0)
		return out;
	const eic_property *d = eic_cluster_find_property(c, material, "density");
	if (d && (eic_unit_convert_via(&out, q, unit, "t/yr", d->value, d->unit) == 0 ||
	          eic_unit_convert_via(&out, q, unit, "t", d->value, d->unit) == 0))
		return out;
	return NAN;
}

/* Timing overlap in [0,1]: 1 when either side is open-ended and they overlap, the overlap over
 * the shorter window when both are bounded, 0 when the windows do not meet. */
static double timing_score(const eic_offer *a, const eic_offer *b)
{
	const long open_lo = -1000000, open_hi = 1000000;
	long af = open_lo, at = open_hi, bf = open_lo, bt = open_hi;
	if (!eic_str_empty(a->available_from))
		eic_date_parse(&af, a->available_from);
	if (!eic_str_empty(a->available_to))
		eic_date_parse(&at, a->available_to);
	if (!eic_str_empty(b->available_from))
		eic_date_parse(&bf, b->available_from);
	if (!eic_str_empty(b->available_to))
		eic_date_parse(&bt, b->available_to);
	long lo = af > bf ? af : bf, hi = at < bt ? at : bt;
	if (lo > hi)
		return 0;
	if (af == open_lo || at == open_hi || bf == open_lo || bt == open_hi)
		return 1;
	double shorter = (double)((at - af) < (bt - bf) ? (at - af) : (bt - bf)) + 1;
	return ((double)(hi - lo) + 1) / shorter;
}

/* ---- text ---- */

static const char *material_name(const match_ctx *m, const char *id)
{
	const eic_material *mat = eic_cluster_find_material(m->cluster, id);
	return mat && !eic_str_empty(mat->name) ? mat->name : id;
}

static int add_note(match_ctx *m, const char *text)
{
	char *s = eic_arena_strdup(&m->res->arena, text);
	return s && eic_vec_push(&m->res->notes, &s) ? 0 : EIC_ENOMEM;
}

/* Describe one side ("Rice mills' rice husk (12,000 t/yr)"), lower-casing material names. */
static void side_text(eic_buf *b, const eic_match_side *s, const eic_offer *o, int with_qty)
{
	char q[64];
	eic_fmt_amount(q, sizeof(q), o->quantity);
	if (s->masked)
		eic_buf_printf(b, "%s from %s", s->material_label, s->label);
	else
		eic_buf_printf(b, "%s's %s", s->label, s->material_label);
	if (with_qty)
		eic_buf_printf(b, " (%s %s)", q, o->unit);
}

static void evidence_text(eic_buf *b, const eic_kb_pathway *p)
{
	if (!p)
		return;
	eic_buf_printf(b, " (KB pathway %s, %s", p->id,
	               p->evidence_type == EIC_KB_EVIDENCE_CASE     ? "documented case"
	               : p->evidence_type == EIC_KB_EVIDENCE_MANUAL ? "training manual"
	                                                            : "literature");
	if (p->evidence_year > 0)
		eic_buf_printf(b, " %d", p->evidence_year);
	eic_buf_puts(b, ")");
}

/* ---- candidates ---- */

/* Set up a side, masked when its offer is private and the viewer is not its owner. */
static int make_side(eic_match_side *s, match_ctx *m, const offer_info *oi, int masked,
                     double distance_km)
{
	memset(s, 0, sizeof(*s));
	s->masked = masked;
	s->lat = s->lon = NAN;
	if (!masked) {
		s->offer = oi->offer;
		s->offer_id = oi->offer->id;
		s->actor = oi->offer->actor;
		s->label = oi->actor && !eic_str_empty(oi->actor->name) ? oi->actor->name
		                                                        : oi->offer->actor;
		s->material = oi->offer->material;
		s->material_label = material_name(m, oi->offer->material);
		if (oi->actor) {
			s->lat = oi->actor->lat;
			s->lon = oi->actor->lon;
		}
		return 0;
	}
	char text[128];
	s->offer_id = "hidden";
	if (isnan(distance_km)) {
		snprintf(text, sizeof(text), "a firm in the cluster");
	} else {
		double n = ceil(distance_km / MASK_STEP_KM) * MASK_STEP_KM;
		if (n < MASK_STEP_KM)
			n = MASK_STEP_KM;
		snprintf(text, sizeof(text), "a firm within %.0f km", n);
	}
	s->label = eic_arena_strdup(&m->res->arena, text);
	size_t len = oi->material ? category_prefix(oi->material->category, 1) : 0;
	s->material_label =
	    len ? eic_arena_strndup(&m->res->arena, oi->material->category, len) : "material";
	return s->label && s->material_label ? 0 : EIC_ENOMEM;
}

/* Decide visibility: returns 1 to keep the pair (setting the masks), 0 to leave it out. */
static int visibility(int *mask_a, int *mask_b, const match_ctx *m, const eic_offer *a,
                      const eic_offer *b)
{
	const char *viewer = m->opts->viewer;
	int pa = a->confidentiality == EIC_CONF_PRIVATE,
	    pb = b->confidentiality == EIC_CONF_PRIVATE;
	*mask_a = *mask_b = 0;
	if (pa && !eic_streq(viewer, a->actor)) {
		if (!viewer || !eic_streq(viewer, b->actor))
			return 0;
		*mask_a = 1;
	}
	if (pb && !eic_streq(viewer, b->actor)) {
		if (!viewer || !eic_streq(viewer, a->actor))
			return 0;
		*mask_b = 1;
	}
	return 1;
}

static int hazardous(const offer_info *oi, const eic_kb_pathway *p)
{
	return (oi->material && oi->material->hazardous) ||
	       (p && (p->hazardous != EIC_KB_HAZ_NO || !eic_str_empty(p->permit_notes)));
}

/* Score and explain one compatible pair and append it. `a` is the have in a substitution. */
static int add_candidate(match_ctx *m, eic_match_mode mode, const offer_info *a,
                         const offer_info *b, eic_match_fit fit, double material_score,
                         const path_ref *path, const char *facility, size_t *left_out)
{
	eic_match_candidate c;
	eic_buf text = EIC_BUF_INIT, flags = EIC_BUF_INIT;
	int mask_a, mask_b, error = 0, comparable;
	double dist = NAN;
	char q1[64], q2[64], d[64];

	memset(&c, 0, sizeof(c));
	if (a->actor && b->actor &&
	    (error = pair_distance(&dist, &c.distance_from_matrix, m, a->actor, b->actor)) < 0)
		return error;
	if (!isnan(dist) && dist > m->opts->radius_km)
		return 0;
	/* counted only when the pair would otherwise be a candidate (compatible, within the
	 * radius), so the note does not depend on how the pairs were found */
	if (!visibility(&mask_a, &mask_b, m, a->offer, b->offer)) {
		(*left_out)++;
		return 0;
	}
	/* beside a masked side, only the distance rounded up to 5 km is used and shown */
	if ((mask_a || mask_b) && !isnan(dist)) {
		dist = ceil(dist / MASK_STEP_KM) * MASK_STEP_KM;
		if (dist < MASK_STEP_KM)
			dist = MASK_STEP_KM;
	}
	c.mode = mode;
	c.fit = fit;
	c.pathway = path ? path->p : NULL;
	c.facility = facility;
	c.distance_km = dist;
	if ((error = make_side(&c.a, m, a, mask_a, dist)) < 0 ||
	    (error = make_side(&c.b, m, b, mask_b, dist)) < 0)
		return error;

	/* material and evidence */
	c.material_score = material_score;
	if (facility) /* the cluster's own plan; less when it lists only one of two haves */
		c.evidence_score =
		    material_score >= 1.0 || mode == EIC_MATCH_SUBSTITUTION ? 1.0 : 0.9;
	else if (path && fit == EIC_MATCH_FIT_SHARED_PATHWAY)
		c.evidence_score = evidence_of(path) * RELATED; /* each use, not the joint one */
	else if (path)
		c.evidence_score = evidence_of(path);
	else
		c.evidence_score = fit == EIC_MATCH_FIT_EXACT ? 0.5 : 0.3;

	/* quantity */
	double alo, ahi, blo, bhi, bq;
	range_of(a->offer, &alo, &ahi);
	range_of(b->offer, &blo, &bhi);
	comparable = to_unit_of(&bq, b->offer->quantity, b->offer, a->offer) == 0 &&
	             to_unit_of(&blo, blo, b->offer, a->offer) == 0 &&
	             to_unit_of(&bhi, bhi, b->offer, a->offer) == 0;
	c.unit = a->offer->unit;
	c.quantity = NAN;
	if (!comparable) {
		c.quantity_score = 0.5;
		eic_buf_puts(&flags, "; quantities not comparable");
	} else if (mode == EIC_MATCH_SUBSTITUTION) {
		if (ahi < blo || bhi < alo) {
			c.quantity_score = 0;
			eic_buf_puts(&flags, "; no quantity overlap");
			c.quantity = 0;
		} else {
			c.quantity = a->offer->quantity < bq ? a->offer->quantity : bq;
			c.quantity_score = bq > 0 ? 0.5 + 0.5 * (c.quantity / bq) : 1.0;
			if (c.quantity_score > 1)
				c.quantity_score = 1;
		}
	} else {
		c.quantity = a->offer->quantity + bq;
		c.quantity_score = 1.0;
	}

	/* timing */
	c.timing_score = timing_score(a->offer, b->offer);
	if (c.timing_score <= 0)
		eic_buf_puts(&flags, "; no timing overlap");

	/* distance, cost, emissions */
	if (isnan(dist)) {
		c.distance_score = 0.5;
		eic_buf_puts(&flags, "; distance unknown");
	} else {
		c.distance_score = 1.0 - dist / m->opts->radius_km;
		if (c.distance_score < 0)
			c.distance_score = 0;
	}
	c.mass_t_per_yr = NAN;
	c.transport_cost_per_yr = c.emissions_t_co2e_per_yr = NAN;
	if (mode != EIC_MATCH_SHARED_INPUT) {
		/* substitution: the exchanged amount (the have when not comparable); joint
		 * treatment: the smaller stream goes to the other site */
		const offer_info *mover = a;
		double moved = comparable ? c.quantity : a->offer->quantity;
		if (mode == EIC_MATCH_JOINT_TREATMENT) {
			moved = a->offer->quantity;
			if (comparable && bq < a->offer->quantity) {
				mover = b;
				moved = b->offer->quantity;
			}
		}
		c.mass_t_per_yr =
		    mass_per_year(m->cluster, mover->offer->material, moved, mover->offer->unit);
		if (!isnan(c.mass_t_per_yr) && !isnan(dist)) {
			c.transport_cost_per_yr = c.mass_t_per_yr * dist * m->opts->cost_per_tkm;
			c.emissions_t_co2e_per_yr =
			    c.mass_t_per_yr * dist * m->opts->kg_co2e_per_tkm / 1000.0;
		}
	}

	c.permit_needed = hazardous(a, c.pathway) || hazardous(b, NULL);
	/* a pathway names the material: it is not shown beside a masked side */
	if (mask_a || mask_b)
		c.pathway = NULL;
	if (c.permit_needed)
		eic_buf_puts(&flags, "; permit needed");

	c.score = EIC_MATCH_W_MATERIAL * c.material_score +
	          EIC_MATCH_W_QUANTITY * c.quantity_score + EIC_MATCH_W_TIMING * c.timing_score +
	          EIC_MATCH_W_DISTANCE * c.distance_score + EIC_MATCH_W_EVIDENCE * c.evidence_score;
	if (c.score < m->opts->min_score)
		goto done;

	/* the sentence */
	if (isnan(dist))
		snprintf(d, sizeof(d), "an unknown distance");
	else
		snprintf(d, sizeof(d), "%.1f km", dist);
	if (mode == EIC_MATCH_SUBSTITUTION) {
		const char *tech =
		    c.pathway && c.pathway->technology ? c.pathway->technology : "conversion";
		side_text(&text, &c.a, a->offer, 1);
		if (facility)
			eic_buf_printf(
			    &text,
			    " could be turned into %s at the cluster's candidate facility %s "
			    "for %s %s away",
			    c.b.material_label, facility, c.b.label, d);
		else if (fit == EIC_MATCH_FIT_EXACT)
			eic_buf_printf(&text, " could supply %s %s away", c.b.label, d);
		else if (fit == EIC_MATCH_FIT_PATHWAY && c.pathway &&
		         eic_streq(c.pathway->replaces_material, b->offer->material))
			eic_buf_printf(&text, " could replace the %s wanted by %s %s away (%s)",
			               c.b.material_label, c.b.label, d, tech);
		else if (fit == EIC_MATCH_FIT_PATHWAY)
			eic_buf_printf(&text, " could become %s (%s) for %s %s away",
			               c.b.material_label, tech, c.b.label, d);
		/* beside a masked side the pathway is withheld: the generic sentence below */
		else if (fit == EIC_MATCH_FIT_SECTOR && c.pathway &&
		         !eic_str_empty(c.pathway->replaces))
			eic_buf_printf(&text, " could replace %s at %s %s away (%s)",
			               c.pathway->replaces, c.b.label, d, tech);
		else if (fit == EIC_MATCH_FIT_SECTOR && c.pathway)
			eic_buf_printf(&text, " could go to %s %s away for %s (%s)", c.b.label, d,
			               c.pathway->product ? c.pathway->product : "its process",
			               tech);
		else
			eic_buf_printf(&text,
			               " could stand in for the %s wanted by %s %s away (%s)",
			               c.b.material_label, c.b.label, d, eic_match_fit_name(fit));
		eic_fmt_amount(q2, sizeof(q2), b->offer->quantity);
		eic_buf_printf(&text, ", which wants %s %s", q2, b->offer->unit);
		if (fit != EIC_MATCH_FIT_EXACT)
			eic_buf_printf(&text, " of %s", c.b.material_label);
		else if (c.pathway && !eic_str_empty(c.pathway->product))
			eic_buf_printf(&text, " for %s", c.pathway->product);
	} else if (mode == EIC_MATCH_SHARED_INPUT) {
		eic_fmt_amount(q1, sizeof(q1), c.quantity);
		eic_buf_printf(&text, "%s and %s, %s apart, both take in %s", c.a.label, c.b.label,
		               d, c.a.material_label);
		if (fit != EIC_MATCH_FIT_EXACT)
			eic_buf_printf(&text, " and %s (%s)", c.b.material_label,
			               eic_match_fit_name(fit));
		if (!isnan(c.quantity))
			eic_buf_printf(&text, ": shared procurement or a shared utility for %s %s",
			               q1, c.unit);
		else
			eic_buf_puts(&text, ": shared procurement or a shared utility");
	} else {
		side_text(&text, &c.a, a->offer, 1);
		eic_buf_puts(&text, " and ");
		side_text(&text, &c.b, b->offer, 1);
		eic_buf_printf(&text, ", %s apart, could be treated together", d);
		if (facility) {
			const eic_facility *f = eic_cluster_find_facility(m->cluster, facility);
			eic_buf_printf(&text, " at the cluster's candidate facility %s (%s)",
			               f && !eic_str_empty(f->name) ? f->name : facility, facility);
		} else if (c.pathway)
			eic_buf_printf(&text, " by %s, making %s",
			               c.pathway->technology ? c.pathway->technology
			                                     : "one process",
			               c.pathway->product ? c.pathway->product : "one product");
	}
	evidence_text(&text, c.pathway);
	if (!isnan(c.transport_cost_per_yr)) {
		eic_fmt_amount(q1, sizeof(q1), c.transport_cost_per_yr);
		eic_fmt_amount(q2, sizeof(q2), c.emissions_t_co2e_per_yr);
		eic_buf_printf(&text, "; transport %s %s/yr, %s t CO2e/yr", q1,
		               m->opts->cost_currency, q2);
	}
	if (c.permit_needed)
		eic_buf_puts(&text, "; permit needed");
	eic_buf_puts(&text, ".");
	if (!text.failed && text.len && text.data[0] >= 'a' && text.data[0] <= 'z')
		text.data[0] = (char)(text.data[0] - 'a' + 'A');
	if (text.failed || flags.failed) {
		error = EIC_ENOMEM;
		goto done;
	}
	c.explanation = eic_arena_strdup(&m->res->arena, text.data);
	c.flags = eic_arena_strdup(&m->res->arena, flags.len > 2 ? flags.data + 2 : "");
	if (!c.explanation || !c.flags || !eic_vec_push(&m->res->candidates, &c))
		error = EIC_ENOMEM;
done:
	eic_buf_free(&text);
	eic_buf_free(&flags);
	return error;
}

static int check_options(match_ctx *m, const eic_match_options *o)
{
	if (o->version < 1 || o->version > EIC_MATCH_OPTIONS_VERSION)
		return fail(m, EIC_EINVAL, "unknown match options version %u", o->version);
	if (!(o->circuity >= 1.0) || !isfinite(o->circuity))
		return fail(
		    m, EIC_EINVAL,
		    "circuity must be a finite number >= 1 (road over great-circle distance); "
		    "found %g",
		    o->circuity);
	if (!(o->radius_km > 0) || !isfinite(o->radius_km))
		return fail(m, EIC_EINVAL, "radius must be a finite number of km > 0; found %g",
		            o->radius_km);
	if (!(o->cost_per_tkm >= 0) || !isfinite(o->cost_per_tkm))
		return fail(m, EIC_EINVAL, "transport cost per tonne-km must be >= 0; found %g",
		            o->cost_per_tkm);
	if (!(o->kg_co2e_per_tkm >= 0) || !isfinite(o->kg_co2e_per_tkm))
		return fail(m, EIC_EINVAL, "emission factor per tonne-km must be >= 0; found %g",
		            o->kg_co2e_per_tkm);
	if (o->modes & ~EIC_MATCH_MODES_ALL)
		return fail(m, EIC_EINVAL, "unknown match mode bits 0x%x", o->modes);
	if (!(o->min_score >= 0) || o->min_score > 1)
		return fail(m, EIC_EINVAL, "minimum score must lie in [0,1]; found %g",
		            o->min_score);
	if (eic_str_empty(o->cost_currency))
		return fail(m, EIC_EINVAL, "a cost currency is required");
	if (o->viewer && !eic_cluster_find_actor(m->cluster, o->viewer))
		return fail(m, EIC_ENOTFOUND, "viewer '%s' is not an actor of the cluster",
		            o->viewer);
	return 0;
}

/*
 * Refuse a cluster whose offers the matcher cannot trust (a package read by eic_package_read
 * is already checked; a cluster built through the API may not be): an offer naming an
 * unknown actor or material, a negative quantity, a range with min > max or the quantity
 * outside it, an actor with impossible coordinates (one of lat/lon, |lat| > 90,
 * |lon| > 180, not finite). Every problem becomes an error diagnostic. O(offers + actors).
 */
static int check_offers(match_ctx *m)
{
	const eic_cluster *c = m->cluster;
	size_t problems = 0;
	int error = 0;
	for (size_t i = 0; i < eic_cluster_actor_count(c) && !error; i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		int has_lat = !isnan(a->lat), has_lon = !isnan(a->lon);
		if (has_lat != has_lon)
			error =
			    fail(m, EIC_EINVALID,
			         "actor '%s': incomplete coordinates (expected both lat and lon "
			         "or neither)",
			         a->id);
		else if (has_lat && (!isfinite(a->lat) || a->lat < -90 || a->lat > 90))
			error = fail(m, EIC_EINVALID,
			             "actor '%s': latitude %g out of range (expected -90 to 90 "
			             "degrees)",
			             a->id, a->lat);
		else if (has_lon && (!isfinite(a->lon) || a->lon < -180 || a->lon > 180))
			error = fail(m, EIC_EINVALID,
			             "actor '%s': longitude %g out of range (expected -180 to 180 "
			             "degrees)",
			             a->id, a->lon);
		if (error == EIC_EINVALID) {
			problems++;
			error = 0;
		}
	}
	for (size_t i = 0; i < eic_cluster_offer_count(c) && !error; i++) {
		const eic_offer *o = eic_cluster_offer(c, i);
		if (!eic_cluster_find_actor(c, o->actor))
			error = fail(m, EIC_EINVALID,
			             "offer '%s': unknown actor '%s' (not an actor of the cluster)",
			             o->id, o->actor ? o->actor : "");
		else if (!eic_cluster_find_material(c, o->material))
			error = fail(m, EIC_EINVALID,
			             "offer '%s': unknown material '%s' (not a material of the "
			             "cluster or its catalogue)",
			             o->id, o->material ? o->material : "");
		else if (o->quantity < 0 || o->min_quantity < 0 || o->max_quantity < 0)
			error =
			    fail(m, EIC_EINVALID,
			         "offer '%s': negative quantity (expected quantity, min and max "
			         ">= 0)",
			         o->id);
		else if (o->min_quantity > o->max_quantity)
			error =
			    fail(m, EIC_EINVALID,
			         "offer '%s': inverted range (expected min <= max; found min %g, "
			         "max %g)",
			         o->id, o->min_quantity, o->max_quantity);
		else if (o->quantity < o->min_quantity || o->quantity > o->max_quantity)
			error = fail(m, EIC_EINVALID,
			             "offer '%s': quantity %g outside its range [%g, %g]", o->id,
			             o->quantity, isnan(o->min_quantity) ? 0.0 : o->min_quantity,
			             isnan(o->max_quantity) ? INFINITY : o->max_quantity);
		if (error == EIC_EINVALID) {
			problems++;
			error = 0;
		}
	}
	if (error)
		return error;
	return problems ? EIC_EINVALID : 0;
}

static int cmp_candidates(const void *pa, const void *pb)
{
	const eic_match_candidate *a = pa, *b = pb;
	if (a->score > b->score + 1e-12)
		return -1;
	if (b->score > a->score + 1e-12)
		return 1;
	int r = strcmp(a->a.offer_id, b->a.offer_id);
	return r ? r : strcmp(a->b.offer_id, b->b.offer_id);
}

/* Compare the ordered pair (i, j) of offers for the modes asked and append a candidate when
 * they are compatible and within the radius. O(pathways per offer). */
static int match_pair(match_ctx *m, const offer_info *infos, size_t i, size_t j, size_t *left_out)
{
	unsigned modes = m->opts->modes ? m->opts->modes : EIC_MATCH_MODES_ALL;
	const offer_info *a = &infos[i];
	const offer_info *b = &infos[j];
	eic_match_fit fit;
	const path_ref *path = NULL;
	const char *facility = NULL;
	double ms;
	if (i == j || eic_streq(a->offer->actor, b->offer->actor))
		return 0;
	int a_have = a->offer->type == EIC_OFFER_HAVE;
	int b_have = b->offer->type == EIC_OFFER_HAVE;
	eic_match_mode mode;
	if (a_have && !b_have)
		mode = EIC_MATCH_SUBSTITUTION;
	else if (!a_have && !b_have && i < j)
		mode = EIC_MATCH_SHARED_INPUT;
	else if (a_have && b_have && i < j)
		mode = EIC_MATCH_JOINT_TREATMENT;
	else
		return 0;
	if (!(modes & EIC_MATCH_MODE_BIT(mode)))
		return 0;
	int same = eic_streq(a->offer->material, b->offer->material);
	if (same) {
		fit = EIC_MATCH_FIT_EXACT;
		ms = 1.0;
		if (mode == EIC_MATCH_SUBSTITUTION) {
			const path_ref *p = NULL;
			if (pathway_fit(&p, a, b, 1, 1) == EIC_MATCH_FIT_SECTOR)
				path = p;
		}
	} else if (mode == EIC_MATCH_SUBSTITUTION &&
	           (facility =
	                converting_facility(m->cluster, a->offer->material, b->offer->material))) {
		fit = EIC_MATCH_FIT_FACILITY;
		ms = fit_score[EIC_MATCH_FIT_PATHWAY];
	} else if (mode == EIC_MATCH_JOINT_TREATMENT &&
	           (facility = shared_facility(&ms, m->cluster, a, b))) {
		fit = EIC_MATCH_FIT_FACILITY;
		double w;
		path = shared_pathway(a, b, &w);
	} else {
		int pf = -1;
		double w = 0, pscore = 0;
		eic_match_fit cf;
		int has_class = classification_fit(&cf, a->material, b->material);
		if (mode == EIC_MATCH_SUBSTITUTION) {
			pf = pathway_fit(&path, a, b, 0, 0);
			if (pf >= 0)
				pscore = fit_score[pf] * path->weight;
		} else if (mode == EIC_MATCH_JOINT_TREATMENT) {
			path = shared_pathway(a, b, &w);
			if (path) {
				pf = EIC_MATCH_FIT_SHARED_PATHWAY;
				pscore = fit_score[pf] * w;
			}
		}
		if (pf < 0 && !has_class)
			return 0;
		if (pf >= 0 && (!has_class || pscore >= fit_score[cf])) {
			fit = (eic_match_fit)pf;
			ms = pscore;
		} else {
			fit = cf;
			ms = fit_score[cf];
		}
	}
	return add_candidate(m, mode, a, b, fit, ms, path, facility, left_out);
}

/* Compare every ordered pair, in (i, j) order; O(offers^2 x pathways per offer). */
static int match_all_pairs(match_ctx *m, const offer_info *infos, size_t n, size_t *left_out)
{
	int error = 0;
	for (size_t i = 0; i < n && !error; i++)
		for (size_t j = 0; j < n && !error; j++)
			error = match_pair(m, infos, i, j, left_out);
	return error;
}

/* Offers from which the spatial index is used to find the pairs within the radius (when no
 * distance matrix is given); below it the plain double loop is faster. */
static size_t index_threshold = EIC_MATCH__INDEX_MIN_OFFERS;

void eic_match__set_index_threshold(size_t offers)
{
	index_threshold = offers ? offers : EIC_MATCH__INDEX_MIN_OFFERS;
}

typedef struct {
	eic_vec *near; /* size_t */
} near_ctx;

static int collect_near(void *ctx, size_t i, double distance_km)
{
	near_ctx *c = ctx;
	(void)distance_km;
	return eic_vec_push(c->near, &i) ? 0 : EIC_ENOMEM;
}

static int cmp_size(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	return a < b ? -1 : a > b;
}

static int sited(const eic_actor *a)
{
	return a && isfinite(a->lat) && isfinite(a->lon);
}

/*
 * The same pairs as match_all_pairs, in the same (i, j) order, so the candidates and their
 * ranking are identical; but for each offer i only the offers j whose actor lies within the
 * radius (a spatial index over the offers' sites, eic_spatial_within) and those with no site
 * (their distance is unknown, so they are always compared) are looked at. The index query
 * uses the great-circle radius radius_km / circuity, widened by 1e-9 relative, so it returns
 * a superset of the pairs add_candidate keeps: add_candidate still makes the exact test.
 * Cost: O(n log n) to build, then per offer O(cells + neighbours + unsited).
 */
static int match_near_pairs(match_ctx *m, const offer_info *infos, size_t n, size_t *left_out)
{
	double *lat = NULL, *lon = NULL;
	size_t *index_of = NULL; /* point -> offer */
	eic_vec unsited, near;
	eic_spatial *index = NULL;
	size_t points = 0;
	int error = 0;

	eic_vec_init(&unsited, sizeof(size_t));
	eic_vec_init(&near, sizeof(size_t));
	if (!(lat = eic_malloc(n * sizeof(*lat))) || !(lon = eic_malloc(n * sizeof(*lon))) ||
	    !(index_of = eic_malloc(n * sizeof(*index_of)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (sited(infos[i].actor)) {
			lat[points] = infos[i].actor->lat;
			lon[points] = infos[i].actor->lon;
			index_of[points++] = i;
		} else if (!eic_vec_push(&unsited, &i)) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	double radius = m->opts->radius_km / m->opts->circuity * (1 + 1e-9);
	eic_spatial_options so = EIC_SPATIAL_OPTIONS_INIT;
	so.cell_radius_km = radius;
	if ((error = eic_spatial_new(&index, lat, lon, points, &so)) < 0)
		goto done;
	for (size_t p = 0, u = 0; p < points || u < unsited.len;) {
		/* offers in increasing order: the next sited or unsited one */
		size_t i;
		int is_sited;
		if (u >= unsited.len ||
		    (p < points && index_of[p] < *EIC_VEC_AT(&unsited, size_t, u))) {
			i = index_of[p++];
			is_sited = 1;
		} else {
			i = *EIC_VEC_AT(&unsited, size_t, u++);
			is_sited = 0;
		}
		if (!is_sited) { /* compared with every offer */
			for (size_t j = 0; j < n && !error; j++)
				error = match_pair(m, infos, i, j, left_out);
			if (error)
				goto done;
			continue;
		}
		near.len = 0;
		near_ctx nc = {&near};
		if ((error = eic_spatial_within(index, infos[i].actor->lat, infos[i].actor->lon,
		                                radius, collect_near, &nc)) < 0)
			goto done;
		for (size_t k = 0; k < near.len; k++) {
			size_t *q = EIC_VEC_AT(&near, size_t, k);
			*q = index_of[*q];
		}
		for (size_t k = 0; k < unsited.len; k++)
			if (!eic_vec_push(&near, EIC_VEC_AT(&unsited, size_t, k))) {
				error = EIC_ENOMEM;
				goto done;
			}
		if (near.len > 1)
			qsort(near.data, near.len, sizeof(size_t), cmp_size);
		for (size_t k = 0; k < near.len && !error; k++)
			error = match_pair(m, infos, i, *EIC_VEC_AT(&near, size_t, k), left_out);
		if (error)
			goto done;
	}
done:
	eic_spatial_free(index);
	eic_free(lat);
	eic_free(lon);
	eic_free(index_of);
	eic_vec_free(&unsited);
	eic_vec_free(&near);
	return error;
}

/* The pairs to compare: through the spatial index for many offers without a distance matrix,
 * else all of them. */
static int match_pairs(match_ctx *m, const offer_info *infos, size_t n, size_t *left_out)
{
	if (!m->have_matrix && n >= index_threshold)
		return match_near_pairs(m, infos, n, left_out);
	return match_all_pairs(m, infos, n, left_out);
}

int eic_match_run(eic_match_result **out, const eic_cluster *cluster, const eic_match_options *opts,
                  eic_diags *diags)
{
	eic_match_options defaults = EIC_MATCH_OPTIONS_INIT;
	match_ctx m;
	eic_kb *owned_kb = NULL;
	offer_info *infos = NULL;
	eic_kb_hit *hits = NULL;
	size_t n = 0, left_out = 0;
	int error = 0;

	if (!out || !cluster)
		return EIC_EINVAL;
	*out = NULL;
	memset(&m, 0, sizeof(m));
	m.cluster = cluster;
	m.opts = opts ? opts : &defaults;
	m.diags = diags;
	eic_map_init(&m.matrix);
	eic_vec_init(&m.matrix_km, sizeof(double));
	eic_arena_init(&m.matrix_keys);
	if ((error = check_options(&m, m.opts)) < 0 || (error = check_offers(&m)) < 0)
		goto done;
	if (!(m.res = eic_calloc(1, sizeof(*m.res)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&m.res->arena);
	eic_vec_init(&m.res->candidates, sizeof(eic_match_candidate));
	eic_vec_init(&m.res->notes, sizeof(const char *));

	m.kb = m.opts->kb;
	if (!m.kb) {
		if ((error = eic_kb_load(&owned_kb, diags, m.opts->kb_path)) < 0) {
			error = fail(&m, error, "cannot load the synergy knowledge base: %s",
			             eic_strerror(error));
			goto done;
		}
		m.kb = owned_kb;
	}
	if (m.opts->distance_matrix && (error = read_matrix(&m, m.opts->distance_matrix)) < 0)
		goto done;

	n = eic_cluster_offer_count(cluster);
	size_t cap = eic_kb_count(m.kb) + 1;
	if ((n && !(infos = eic_calloc(n, sizeof(*infos)))) ||
	    !(hits = eic_malloc(cap * sizeof(*hits)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		offer_info *oi = &infos[i];
		oi->offer = eic_cluster_offer(cluster, i);
		oi->actor = eic_cluster_find_actor(cluster, oi->offer->actor);
		oi->material = eic_cluster_find_material(cluster, oi->offer->material);
		eic_vec_init(&oi->paths, sizeof(path_ref));
		if (oi->offer->type == EIC_OFFER_HAVE &&
		    (error = collect_paths(oi, m.kb, hits, cap)) < 0)
			goto done;
	}
	if ((error = match_pairs(&m, infos, n, &left_out)) < 0)
		goto done;
	m.res->kb = owned_kb;
	owned_kb = NULL;
	if (m.res->candidates.len > 1)
		qsort(m.res->candidates.data, m.res->candidates.len, sizeof(eic_match_candidate),
		      cmp_candidates);
	if (m.opts->max_candidates && m.res->candidates.len > m.opts->max_candidates)
		m.res->candidates.len = m.opts->max_candidates;
	if (left_out) {
		char note[200];
		snprintf(note, sizeof(note),
		         "%zu pair%s with a private offer left out: a private offer is matched "
		         "only for its owner (or shown masked to the other side)",
		         left_out, left_out == 1 ? "" : "s");
		if ((error = add_note(&m, note)) < 0)
			goto done;
	}
	*out = m.res;
	m.res = NULL;
done:
	for (size_t i = 0; infos && i < n; i++)
		eic_vec_free(&infos[i].paths);
	eic_free(infos);
	eic_free(hits);
	eic_kb_free(owned_kb);
	eic_map_free(&m.matrix);
	eic_vec_free(&m.matrix_km);
	eic_arena_clear(&m.matrix_keys);
	eic_match_free(m.res);
	return error;
}

void eic_match_free(eic_match_result *result)
{
	if (!result)
		return;
	eic_vec_free(&result->candidates);
	eic_vec_free(&result->notes);
	eic_arena_clear(&result->arena);
	eic_kb_free(result->kb);
	eic_free(result);
}

size_t eic_match_count(const eic_match_result *result)
{
	return result ? result->candidates.len : 0;
}

const eic_match_candidate *eic_match_at(const eic_match_result *result, size_t i)
{
	return result && i < result->candidates.len
	           ? EIC_VEC_AT(&result->candidates, eic_match_candidate, i)
	           : NULL;
}

size_t eic_match_note_count(const eic_match_result *result)
{
	return result ? result->notes.len : 0;
}

const char *eic_match_note(const eic_match_result *result, size_t i)
{
	return result && i < result->notes.len ? *EIC_VEC_AT(&result->notes, const char *, i)
	                                       : NULL;
}
