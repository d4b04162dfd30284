/* eic/match.h: matching of offers (haves and wants) into ranked exchange candidates, each
 * scored by criterion and explained in one sentence. Method: docs/methods/matching.md.
 * Ownership: eic_match_run hands a result freed by eic_match_free; candidates and every
 * string in them are borrowed from it and live as long as it (offers and pathways they point
 * to are borrowed from the cluster and the knowledge base, which must outlive the result). */
#ifndef EIC_MATCH_H
#define EIC_MATCH_H

#include "common.h"
#include "kb.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a candidate proposes. */
typedef enum {
	EIC_MATCH_SUBSTITUTION = 0, /**< a have goes to a want (output to input) */
	EIC_MATCH_SHARED_INPUT,     /**< two wants: shared procurement or a shared utility */
	EIC_MATCH_JOINT_TREATMENT,  /**< two haves: treated or used together */
	EIC_MATCH__N
} eic_match_mode;

/** Bit of a mode in eic_match_options.modes. */
#define EIC_MATCH_MODE_BIT(mode) (1u << (unsigned)(mode))
#define EIC_MATCH_MODES_ALL 7u

/** Why two offers are compatible, strongest first (see docs/methods/matching.md). */
typedef enum {
	EIC_MATCH_FIT_EXACT = 0, /**< same material */
	EIC_MATCH_FIT_FACILITY,  /**< a candidate facility of the cluster takes both haves, or
	                            turns the have into what the want asks for */
	EIC_MATCH_FIT_PATHWAY,   /**< a KB pathway turns the have into what the want asks for */
	EIC_MATCH_FIT_SHARED_PATHWAY, /**< two haves with KB pathways to the same product and sector
	                               */
	EIC_MATCH_FIT_EWC_CODE,       /**< same 6-digit EWC code */
	EIC_MATCH_FIT_SECTOR,     /**< a KB pathway of the have leads to the want's sector (ISIC) */
	EIC_MATCH_FIT_SUBCHAPTER, /**< same EWC sub-chapter (4 digits) */
	EIC_MATCH_FIT_CLASS,      /**< same material class (first two category segments) */
	EIC_MATCH_FIT_CHAPTER,    /**< same EWC chapter (2 digits) */
	EIC_MATCH_FIT__N
} eic_match_fit;

/** Weights of the criteria in the score (they sum to 1). */
#define EIC_MATCH_W_MATERIAL 0.30
#define EIC_MATCH_W_QUANTITY 0.15
#define EIC_MATCH_W_TIMING 0.10
#define EIC_MATCH_W_DISTANCE 0.25
#define EIC_MATCH_W_EVIDENCE 0.20

/** One side of a candidate as the viewer may see it. */
typedef struct {
	const eic_offer *offer;     /**< NULL when the side is masked */
	const char *offer_id;       /**< the offer id, or "hidden" */
	const char *actor;          /**< actor id, or NULL when masked */
	const char *label;          /**< actor name, or "a firm within 10 km" */
	const char *material;       /**< material id, or NULL when masked */
	const char *material_label; /**< material name, or its class ("biomass") when masked */
	int masked;
	double lat, lon; /**< site of the actor; NaN when unknown or masked */
} eic_match_side;

/** One candidate. Substitution: `a` is the have and `b` the want. */
typedef struct {
	eic_match_mode mode;
	eic_match_side a, b;
	eic_match_fit fit;
	const eic_kb_pathway *pathway; /**< the KB pathway behind the match, or NULL */
	const char *facility;          /**< facility id (FIT_FACILITY), else NULL */
	/** Criterion scores in [0,1] and the weighted total. */
	double material_score, quantity_score, timing_score, distance_score, evidence_score;
	double score;
	double quantity;      /**< exchanged (substitution) or pooled amount in `unit`; NaN if the
	                         two quantities cannot be compared */
	const char *unit;     /**< unit of `quantity` (the first side's unit) */
	double mass_t_per_yr; /**< mass carried per year, NaN when not a mass (or unknown) */
	double distance_km;   /**< road distance (great circle x circuity, or the matrix); NaN */
	int distance_from_matrix;
	double transport_cost_per_yr; /**< in options.cost_currency; NaN when nothing is carried */
	double emissions_t_co2e_per_yr; /**< transport emissions; NaN when nothing is carried */
	int permit_needed;              /**< a hazardous material or a KB permit/hazard note */
	const char *flags; /**< "; "-separated: "permit needed", "no timing overlap" ... or "" */
	const char *explanation; /**< one sentence */
} eic_match_candidate;

typedef struct eic_match_result eic_match_result;

typedef struct {
	unsigned version;
	unsigned modes;   /**< bit set of EIC_MATCH_MODE_BIT(mode); 0 means all */
	double circuity;  /**< road distance / great circle, default 1.3; must be >= 1 */
	double radius_km; /**< candidates farther apart are dropped, default 50; > 0 */
	const char
	    *distance_matrix; /**< CSV from_actor,to_actor,km replacing great circles, or NULL */
	double cost_per_tkm;  /**< transport cost per tonne-km, default 0.10 (ASSUMPTION) */
	const char *cost_currency; /**< currency of cost_per_tkm, default "USD" */
	double kg_co2e_per_tkm;    /**< transport emissions, default 0.192 (DEFRA/DECC 2012) */
	const char *viewer;        /**< actor id of the viewer (confidentiality), or NULL */
	const eic_kb *kb;          /**< knowledge base to use, or NULL to load kb_path */
	const char *kb_path;       /**< NULL: eic_kb_default_path() */
	size_t max_candidates;     /**< keep the best N (0: all) */
	double min_score;          /**< drop candidates below this score */
} eic_match_options;
#define EIC_MATCH_OPTIONS_VERSION 1
#define EIC_MATCH_OPTIONS_INIT                                                                     \
	{                                                                                          \
		EIC_MATCH_OPTIONS_VERSION, 0, 1.3, 50.0, NULL, 0.10, "USD", 0.192, NULL, NULL,     \
		    NULL, 0, 0.0                                                                   \
	}

/**
 * Match the offers of a cluster. Every pair of offers of different actors (a have and a want,
 * two wants, two haves, as the modes ask) that is compatible by material and lies within
 * the radius becomes a candidate; candidates are ranked by score (ties by offer ids).
 * O(offers^2 x pathways) here; the knowledge base is loaded once.
 * @param[out] out the result
 * @param diags receives the reason of a refusal (impossible option, distance matrix that
 *        does not cover a pair, unreadable knowledge base); may be NULL
 * @return 0, EIC_EINVAL (impossible option or a matrix missing a pair), EIC_ENOTFOUND (unknown
 *         viewer), EIC_EPARSE (malformed distance matrix), EIC_EIO, EIC_EINVALID (knowledge
 *         base), EIC_ENOMEM
 */
EIC_EXTERN int eic_match_run(eic_match_result **out, const eic_cluster *cluster,
                             const eic_match_options *opts, eic_diags *diags);
EIC_EXTERN void eic_match_free(eic_match_result *result);

EIC_EXTERN size_t eic_match_count(const eic_match_result *result);
/** Candidate `i` in rank order (0 is the best), NULL when out of range. */
EIC_EXTERN const eic_match_candidate *eic_match_at(const eic_match_result *result, size_t i);
/** Notes about the run ("3 private offers left out for this viewer"). */
EIC_EXTERN size_t eic_match_note_count(const eic_match_result *result);
EIC_EXTERN const char *eic_match_note(const eic_match_result *result, size_t i);

/** Static names: "substitution", "shared input", "joint treatment"; "exact material" ... */
EIC_EXTERN const char *eic_match_mode_name(eic_match_mode mode);
EIC_EXTERN const char *eic_match_fit_name(eic_match_fit fit);

#ifdef __cplusplus
}
#endif
#endif
