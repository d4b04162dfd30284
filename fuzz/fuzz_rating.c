/* fuzz_rating.c: fuzz target for the rating scheme reader; an accepted scheme is evaluated on
 * empty inputs (every input missing must be named, never treated as zero or crash). */
#include <eic/eic.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_rating_scheme *s = NULL;
	eic_rating_inputs *in = NULL;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_rating_scheme_load_buffer(&s, d, "fuzz.json", (const char *)data, size) == 0 &&
	    eic_rating_inputs_new(&in) == 0) {
		eic_rating_result *r = NULL;
		if (eic_rating_evaluate(&r, s, in, NULL, 0) == 0)
			eic_rating_result_free(r);
	}
	eic_rating_inputs_free(in);
	eic_rating_scheme_free(s);
	eic_diags_free(d);
	return 0;
}
