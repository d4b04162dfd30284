/* optimize_private.h: what optimize.c (model, solves, results) and optimize_section.c (the
 * report section) share inside the symbiosis module. */
#ifndef EIC_SYMBIOSIS_OPTIMIZE_PRIVATE_H
#define EIC_SYMBIOSIS_OPTIMIZE_PRIVATE_H

#include <eic/optimize.h>

/* Time limit of one solve when the report runs the optimisation (seconds). */
#define EIC_OPT_REPORT_TIME_LIMIT_S 5.0

/* Avoided disposal emissions of the have offers of one actor and material, from the fate of
 * that material in business as usual (optimize_impact.c, docs/methods/optimization.md). */
typedef struct {
	int disposed;    /* 1: the actor sends the material to landfill, open dumping or burning */
	double kg_per_t; /* kg CO2e avoided per t offered; 0 when not disposed; NaN: a factor
	                    is missing (see text) */
	double disposed_t; /* t/yr so disposed in business as usual */
	double water_t;    /* t/yr discharged to water bodies (no factor: not counted) */
	const char *text;  /* how it was computed, or what is missing (owned by the context) */
} eic_opt__avoided;

typedef struct eic_opt__impact eic_opt__impact;

/* A context over the cluster's business-as-usual flows; the scenario and factor set are loaded
 * only when an actor disposes of something. @return 0 or EIC_ENOMEM. */
int eic_opt__impact_new(eic_opt__impact **out, const eic_cluster *cluster,
                        const eic_opt_options *options);
void eic_opt__impact_free(eic_opt__impact *im);

/* The avoided disposal emissions of `offered_t` t/yr of `material` offered by `actor`.
 * Loading failures and missing factors are results (kg_per_t NaN, text says what), except
 * EIC_ENOMEM; with options->ghg_strict they are EIC_EINVALID with the messages in diags.
 * @return 0, EIC_EINVALID, EIC_ENOMEM. */
int eic_opt__impact_avoided(eic_opt__avoided *out, eic_opt__impact *im, const char *actor,
                            const char *material, double offered_t, eic_diags *diags);

/* The settings used ("GWP100 AR5, climate zone tropical_wet, ..."), or NULL when nothing was
 * computed. Owned by the context. */
const char *eic_opt__impact_settings(const eic_opt__impact *im);

/* The user distance matrix (optimize_distance.c): the file of `eic match --distances`
 * (from_actor,to_actor,km; a row serves both directions), checked by the matcher's reader. */
typedef struct eic_opt__matrix eic_opt__matrix;

/* Read and index the matrix at `path`; a malformed file is refused with file:line:column in
 * diags. @return 0, EIC_EPARSE, EIC_ENOTFOUND, EIC_EIO, EIC_ENOMEM. */
int eic_opt__matrix_read(eic_opt__matrix **out, const char *path, eic_diags *diags);
void eic_opt__matrix_free(eic_opt__matrix *m);

/* km between the sites `a` and `b` (actor or facility ids), in either order.
 * @return 0, EIC_ENOTFOUND (the matrix has no row for the pair), EIC_ENOMEM. */
int eic_opt__matrix_km(double *out_km, eic_opt__matrix *m, const char *a, const char *b);

/* The path given, and the number of rows. */
const char *eic_opt__matrix_path(const eic_opt__matrix *m);
size_t eic_opt__matrix_rows(const eic_opt__matrix *m);

#endif
