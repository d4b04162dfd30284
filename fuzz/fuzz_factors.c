/* fuzz_factors.c: fuzz target for the impact factor table reader (CSV with located errors). */
#include <eic/eic.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_factors *f = NULL;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_factors_new(&f) == 0)
		eic_factors_load_buffer(f, "fuzz.csv", (const char *)data, size, d);
	eic_factors_free(f);
	eic_diags_free(d);
	return 0;
}
