/* match_private.h: internals of the matcher (match.c) shared with its unit test: the offer
 * count from which pairs are found through the spatial index. Private to the library. */
#ifndef EIC_SYMBIOSIS_MATCH_PRIVATE_H
#define EIC_SYMBIOSIS_MATCH_PRIVATE_H

#include <stddef.h>

/* Default: from this many offers (and no distance matrix), eic_match_run finds the pairs
 * within the radius through the spatial index instead of comparing all pairs. */
#define EIC_MATCH__INDEX_MIN_OFFERS 512

/* For tests: use the index from `offers` offers on (1: always; SIZE_MAX: never); 0 restores
 * the default. Process-wide. */
void eic_match__set_index_threshold(size_t offers);

#endif
