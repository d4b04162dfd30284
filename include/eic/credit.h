/* eic/credit.h: credit linkage: rules as data (data/rating/credit_rules.json, docs/rating.md
 * "Credit linkage") that map an actor's ratings and indicators to finance terms (eligibility,
 * interest-rate discount in percentage points, guarantee share, maximum tenor), and their
 * application to a loan of the finance engine (eic_fin_green_apply).
 * Ownership: eic_credit_rules_load* and eic_credit_evaluate hand objects freed by
 * eic_credit_rules_free and eic_credit_result_free (NULL is a no-op); strings returned by
 * getters are borrowed from their parent, and a result's rule ids and texts from its rules
 * (free the rules after their results).
 *
 * A missing indicator or rating is never taken as zero: a condition on it is "not known", the
 * rule does not match, and the result names what was missing.
 */
#ifndef EIC_CREDIT_H
#define EIC_CREDIT_H

#include "common.h"
#include "finance.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded rules file (immutable after loading). */
typedef struct eic_credit_rules eic_credit_rules;

/**
 * Read a credit rules file. Every problem (malformed JSON, unknown key, missing table, a rule
 * referring to itself or to a rule that refers back to it) is appended to `diags` as
 * `file:line:column: error: what (expected ...; found ...)`; nothing is loaded then.
 * @param[out] out the rules, or NULL on failure
 * @return 0, EIC_EIO (unreadable), EIC_EINVALID (see diags), EIC_ENOMEM, EIC_EINVAL
 */
EIC_EXTERN int eic_credit_rules_load(eic_credit_rules **out, eic_diags *diags, const char *path);
/** The same from a buffer; `name` is the file name used in messages. */
EIC_EXTERN int eic_credit_rules_load_buffer(eic_credit_rules **out, eic_diags *diags,
                                            const char *name, const char *data, size_t size);
EIC_EXTERN void eic_credit_rules_free(eic_credit_rules *rules);
/** Identifier, display name, source text ("" when not given). */
EIC_EXTERN const char *eic_credit_rules_id(const eic_credit_rules *rules);
EIC_EXTERN const char *eic_credit_rules_name(const eic_credit_rules *rules);
EIC_EXTERN const char *eic_credit_rules_source(const eic_credit_rules *rules);
/** 1 when every matching rule applies (cumulative), 0 when the first matching rule decides. */
EIC_EXTERN int eic_credit_rules_cumulative(const eic_credit_rules *rules);
EIC_EXTERN size_t eic_credit_rules_count(const eic_credit_rules *rules);

/** A rating of the actor: the scheme id ("proper", "cepi", "eip_framework") and its label;
 *  a NULL label means "not rated" (missing). */
typedef struct {
	const char *scheme;
	const char *label;
} eic_credit_rating;

/** An indicator of the actor by name (docs/methods/indicators.md); NaN means missing. */
typedef struct {
	const char *name;
	double value;
} eic_credit_indicator;

/** The finance terms decided for an actor. */
typedef struct {
	int decided;             /**< 1 when a rule (or, when none matched, the default) decided */
	int eligible;            /**< green credit granted */
	double rate_discount_pp; /**< yearly interest rate discount, percentage points (>= 0) */
	double guarantee_share;  /**< share of the principal guaranteed, [0, 1] */
	double max_tenor_years;  /**< longest loan term granted, NaN when no limit */
	int from_default;        /**< no rule matched: the file's default terms */
} eic_credit_terms;

typedef struct eic_credit_result eic_credit_result;

/**
 * Apply the rules to one actor's ratings and indicators. O(rules x conditions x inputs).
 * @param[out] out the result (always set on success)
 * @return 0, EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_credit_evaluate(eic_credit_result **out, const eic_credit_rules *rules,
                                   const eic_credit_rating *ratings, size_t rating_count,
                                   const eic_credit_indicator *indicators, size_t indicator_count);
EIC_EXTERN void eic_credit_result_free(eic_credit_result *result);
EIC_EXTERN const eic_credit_terms *eic_credit_result_terms(const eic_credit_result *result);
/** Ids of the rules that matched and were applied, in file order (first match: at most one). */
EIC_EXTERN size_t eic_credit_result_applied_count(const eic_credit_result *result);
EIC_EXTERN const char *eic_credit_result_applied(const eic_credit_result *result, size_t index);
/** Plain words: "Eligible: rule 'proper_green' (PROPER green): -1 pp, guarantee 50%". */
EIC_EXTERN const char *eic_credit_result_explanation(const eic_credit_result *result);
/** Inputs a condition needed but were not given ("indicator energy_intensity_va",
 *  "rating proper"), each once, in order met. */
EIC_EXTERN size_t eic_credit_result_missing_count(const eic_credit_result *result);
EIC_EXTERN const char *eic_credit_result_missing(const eic_credit_result *result, size_t index);
/** Notes: limits applied (discount or guarantee capped), rules not decided. */
EIC_EXTERN size_t eic_credit_result_note_count(const eic_credit_result *result);
EIC_EXTERN const char *eic_credit_result_note(const eic_credit_result *result, size_t index);

/** What applying the terms did to a loan. */
typedef struct {
	eic_fin_green_terms green; /**< the finance engine's outcome (rates per period) */
	int tenor_capped;          /**< the loan was longer than max_tenor_years and was cut */
	int periods_before;        /**< instalments before */
	int periods_after;         /**< instalments after */
} eic_credit_loan_terms;

/**
 * Apply decided terms to a loan of the finance engine: the rate discount and the guarantee
 * through eic_fin_green_apply (the discount in percentage points becomes a yearly rate
 * fraction: 1 pp = 0.01), then the tenor: when grace + periods exceed max_tenor_years x
 * periods_per_year, the instalments are cut to fit (at least 1). An ineligible actor leaves
 * the loan unchanged.
 * @param loan modified in place when eligible
 * @return 0, EIC_EINVAL, EIC_EINVALID (terms out of range, see diags)
 */
EIC_EXTERN int eic_credit_apply_loan(eic_credit_loan_terms *out, eic_loan_options *loan,
                                     const eic_credit_terms *terms, eic_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
