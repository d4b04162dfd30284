/* fuzz_distmatrix.c: fuzz target for the matcher's distance-matrix reader (from_actor,to_actor,
 * km); an accepted matrix is queried for a pair it may or may not cover, in both orders. */
#include <eic/eic.h>

#include "lib/symbiosis/match_private.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_diags *d = NULL;
	double km;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_match__read_matrix_buffer(&km, "fuzz.csv", (const char *)data, size, "mill",
	                                  "smelter", d) == 0)
		eic_match__read_matrix_buffer(&km, "fuzz.csv", (const char *)data, size, "smelter",
		                              "mill", d);
	eic_diags_free(d);
	return 0;
}
