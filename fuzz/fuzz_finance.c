/* fuzz_finance.c: fuzz target for the finance project file reader; an accepted project is
 * appraised, so the cash-flow engine meets odd projects too. */
#include <eic/eic.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_fin_case *c = NULL;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_fin_case_read_buffer(&c, d, "fuzz.json", (const char *)data, size) == 0) {
		eic_fin_appraisal *a = NULL;
		if (eic_fin_appraise(&a, eic_fin_case_project(c), eic_fin_case_options(c), d) == 0)
			eic_fin_appraisal_free(a);
	}
	eic_fin_case_free(c);
	eic_diags_free(d);
	return 0;
}
