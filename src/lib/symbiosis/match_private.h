/* match_private.h: internals of the matcher (match.c) shared with its unit test and fuzz target:
 * the offer count from which pairs are found through the spatial index, and an in-memory entry
 * to the distance-matrix reader. Private to the library. */
#ifndef EIC_SYMBIOSIS_MATCH_PRIVATE_H
#define EIC_SYMBIOSIS_MATCH_PRIVATE_H

#include <eic/common.h>

#include <stddef.h>

/* Default: from this many offers (and no distance matrix), eic_match_run finds the pairs
 * within the radius through the spatial index instead of comparing all pairs. */
#define EIC_MATCH__INDEX_MIN_OFFERS 512

/* For tests: use the index from `offers` offers on (1: always; SIZE_MAX: never); 0 restores
 * the default. Process-wide. */
void eic_match__set_index_threshold(size_t offers);

/* For the fuzz target: read a distance matrix (from_actor,to_actor,km) from `data` as
 * eic_match_run reads the file `name`, then look up the pair from,to in *out_km. 0, or the
 * error eic_match_run would return (message in diags). */
int eic_match__read_matrix_buffer(double *out_km, const char *name, const char *data, size_t size,
                                  const char *from, const char *to, eic_diags *diags);

#endif
