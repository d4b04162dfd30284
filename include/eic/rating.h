/* eic/rating.h: rating schemes as data (docs/rating.md): ordered rules (compliance gates,
 * point tables, sums, max-dominant combinations, bands, percentile rules within a peer group,
 * pass/fail requirements) read from a JSON scheme file and evaluated on one actor's inputs.
 * Shipped schemes: data/rating/proper.json, cepi.json, eip_framework.json. Methods and
 * sources: docs/methods/rating.md.
 * Ownership: eic_rating_scheme_load, eic_rating_inputs_new and eic_rating_evaluate hand objects
 * freed by eic_rating_scheme_free, eic_rating_inputs_free and eic_rating_result_free (NULL is a
 * no-op); strings and records returned by getters are borrowed from their parent, and a
 * result's rule ids, labels and texts from its scheme (free the scheme after its results);
 * names and texts passed in are copied.
 *
 * A missing input is never taken as zero: the result is then incomplete (no label) and names
 * every input it missed. How an actor fares (a red label, a failed requirement) is a result,
 * not an error code.
 */
#ifndef EIC_RATING_H
#define EIC_RATING_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded scheme (immutable after loading). */
typedef struct eic_rating_scheme eic_rating_scheme;

/**
 * Read a scheme file. Every problem is appended to `diags` as
 * `file:line:column: error: what (expected ...; found ...)`.
 * @param[out] out the scheme, or NULL on failure
 * @return 0, EIC_EIO (unreadable), EIC_EINVALID (malformed; see diags), EIC_ENOMEM, EIC_EINVAL
 */
EIC_EXTERN int eic_rating_scheme_load(eic_rating_scheme **out, eic_diags *diags, const char *path);
/** The same from a buffer; `name` is the file name used in messages. */
EIC_EXTERN int eic_rating_scheme_load_buffer(eic_rating_scheme **out, eic_diags *diags,
                                             const char *name, const char *data, size_t size);
EIC_EXTERN void eic_rating_scheme_free(eic_rating_scheme *scheme);
/** Short identifier, display name and source text of the scheme ("" when not given). */
EIC_EXTERN const char *eic_rating_scheme_id(const eic_rating_scheme *scheme);
EIC_EXTERN const char *eic_rating_scheme_name(const eic_rating_scheme *scheme);
EIC_EXTERN const char *eic_rating_scheme_source(const eic_rating_scheme *scheme);
EIC_EXTERN size_t eic_rating_scheme_rule_count(const eic_rating_scheme *scheme);

/** One actor's inputs: a flat map of named numbers, booleans and texts (evidence). */
typedef struct eic_rating_inputs eic_rating_inputs;

EIC_EXTERN int eic_rating_inputs_new(eic_rating_inputs **out);
EIC_EXTERN void eic_rating_inputs_free(eic_rating_inputs *inputs);
/** Set (or replace) an input. Returns 0, EIC_EINVAL (NULL name, non-finite number), EIC_ENOMEM. */
EIC_EXTERN int eic_rating_inputs_set_number(eic_rating_inputs *inputs, const char *name,
                                            double value);
EIC_EXTERN int eic_rating_inputs_set_bool(eic_rating_inputs *inputs, const char *name, int value);
EIC_EXTERN int eic_rating_inputs_set_text(eic_rating_inputs *inputs, const char *name,
                                          const char *text);

/** A value computed by a rule: points of a criterion, a sum, an index. */
typedef struct {
	const char *rule; /**< id of the rule */
	const char *kind; /**< "points", "sum", "max_dominant" */
	double value;
	int capped; /**< points: the input was above max_points and was capped */
} eic_rating_value;

/** Outcome of one requirement rule. */
typedef struct {
	const char *rule;     /**< id */
	const char *category; /**< e.g. "environment" */
	const char *level;    /**< "prerequisite" or "performance" */
	const char *text;     /**< what is required */
	int passed;           /**< 1 pass, 0 fail, -1 not known (input missing) */
	const char *evidence; /**< evidence text given, "" when none */
} eic_rating_requirement;

/** Pass/fail of one requirement category. */
typedef struct {
	const char *category;
	int passed;    /**< 1 when every requirement of the category passed */
	size_t failed; /**< requirements that failed */
	size_t requirement_count;
} eic_rating_category;

typedef struct eic_rating_result eic_rating_result;

/**
 * Evaluate a scheme on an actor's inputs. `peers` are the OTHER members of the actor's peer
 * group (may be NULL when peer_count is 0); percentile rules rank the actor among the members
 * of actor + peers that reached the rule with an eligible label.
 * @param[out] out the result (always set on success, also when inputs are missing)
 * @return 0, EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_rating_evaluate(eic_rating_result **out, const eic_rating_scheme *scheme,
                                   const eic_rating_inputs *inputs,
                                   const eic_rating_inputs *const *peers, size_t peer_count);
EIC_EXTERN void eic_rating_result_free(eic_rating_result *result);

/** 1 when every needed input was given (then a label was decided), 0 otherwise. */
EIC_EXTERN int eic_rating_result_complete(const eic_rating_result *result);
/** The label ("blue", "critically polluted", "pass" ...), or NULL when incomplete or no rule
 *  set one. */
EIC_EXTERN const char *eic_rating_result_label(const eic_rating_result *result);
/** Id of the rule that decided the label (a gate, bands, percentile ...), or NULL. */
EIC_EXTERN const char *eic_rating_result_decided_by(const eic_rating_result *result);
/** Kind of that rule ("gate", "label", "bands", "percentile", "verdict"), or NULL. */
EIC_EXTERN const char *eic_rating_result_decided_kind(const eic_rating_result *result);
/** Plain words: "Red: wastewater BOD above the standard (gate 'water_compliance')". */
EIC_EXTERN const char *eic_rating_result_explanation(const eic_rating_result *result);

EIC_EXTERN size_t eic_rating_result_value_count(const eic_rating_result *result);
EIC_EXTERN const eic_rating_value *eic_rating_result_value(const eic_rating_result *result,
                                                           size_t index);
/** The value computed by rule `rule`; returns 1 and sets *out when it was computed. */
EIC_EXTERN int eic_rating_result_get(const eic_rating_result *result, const char *rule,
                                     double *out);

/** Inputs that were needed but not given (or of the wrong type), by name, in order met. */
EIC_EXTERN size_t eic_rating_result_missing_count(const eic_rating_result *result);
EIC_EXTERN const char *eic_rating_result_missing(const eic_rating_result *result, size_t index);
/** Notes: capped points, peers left out of a percentile rule and why. */
EIC_EXTERN size_t eic_rating_result_note_count(const eic_rating_result *result);
EIC_EXTERN const char *eic_rating_result_note(const eic_rating_result *result, size_t index);

/**
 * The percentile rule that was applied, if any: the actor's rank (1 = best; ties share the
 * better rank), the number of eligible members of the group, and the rank as a percentage of
 * them (100 x rank / eligible). Returns 1 when a percentile rule ranked the actor, else 0.
 */
EIC_EXTERN int eic_rating_result_percentile(const eic_rating_result *result, size_t *rank,
                                            size_t *eligible, double *percent);

EIC_EXTERN size_t eic_rating_result_requirement_count(const eic_rating_result *result);
EIC_EXTERN const eic_rating_requirement *
eic_rating_result_requirement(const eic_rating_result *result, size_t index);
EIC_EXTERN size_t eic_rating_result_category_count(const eic_rating_result *result);
EIC_EXTERN const eic_rating_category *eic_rating_result_category(const eic_rating_result *result,
                                                                 size_t index);

#ifdef __cplusplus
}
#endif
#endif
