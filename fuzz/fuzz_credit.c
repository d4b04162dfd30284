/* fuzz_credit.c: fuzz target for the credit rules reader; an accepted file is evaluated with no
 * inputs and with one rating and one indicator (missing inputs must be named, never crash). */
#include <eic/eic.h>

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_credit_rules *r = NULL;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_credit_rules_load_buffer(&r, d, "fuzz.json", (const char *)data, size) == 0) {
		eic_credit_result *res = NULL;
		if (eic_credit_evaluate(&res, r, NULL, 0, NULL, 0) == 0)
			eic_credit_result_free(res);
		eic_credit_rating rating = {"proper", "green"};
		eic_credit_indicator ind = {"compliance_rate", 1.0};
		if (eic_credit_evaluate(&res, r, &rating, 1, &ind, 1) == 0) {
			eic_loan_options loan = EIC_LOAN_OPTIONS_INIT;
			eic_credit_loan_terms lt;
			loan.principal = 1000;
			loan.rate = 0.01;
			loan.periods = 24;
			eic_credit_apply_loan(&lt, &loan, eic_credit_result_terms(res), d);
			eic_credit_result_free(res);
		}
	}
	eic_credit_rules_free(r);
	eic_diags_free(d);
	return 0;
}
