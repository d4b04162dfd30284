/* eic/synergy.h: synergy tracking: exchanges a facilitator follows over time, kept in the store
 * beside a cluster with their status history and realised quantities per period.
 * Method: docs/methods/synergy_tracking.md. Ownership: eic_synergy_list and eic_synergy_get
 * hand a set freed by eic_synergy_set_free; every record and string in it is borrowed from
 * the set. Errors carry their message in eic_store_errmsg(store). */
#ifndef EIC_SYNERGY_H
#define EIC_SYNERGY_H

#include "common.h"
#include "match.h"
#include "store.h"

#include <math.h> /* NAN in the initialisers */

#ifdef __cplusplus
extern "C" {
#endif

/** Status of a synergy, in the order of its life. */
typedef enum {
	EIC_SYNERGY_IDEA = 0,    /**< proposed, nobody has looked at it yet */
	EIC_SYNERGY_UNDER_STUDY, /**< the partners are studying it */
	EIC_SYNERGY_AGREED,      /**< the partners agreed to do it */
	EIC_SYNERGY_OPERATING,   /**< material or energy is being exchanged */
	EIC_SYNERGY_STOPPED,     /**< no longer pursued or operated (terminal unless reopened) */
	EIC_SYNERGY__N
} eic_synergy_status;

/** A new synergy: given explicitly, or filled from a match candidate by
 *  eic_synergy_spec_from_candidate. Strings are borrowed for the call. */
typedef struct {
	unsigned version;
	const char *id;            /**< NULL: the next free "S<n>" of the cluster */
	eic_match_mode mode;       /**< what the exchange is (default substitution) */
	const char *from_actor;    /**< giving actor (substitution), or the first of two */
	const char *to_actor;      /**< receiving actor, or the second of two */
	const char *material;      /**< material of from_actor's side */
	const char *to_material;   /**< material of to_actor's side when different, or NULL */
	double quantity;           /**< expected quantity, NaN if not known; >= 0 */
	const char *unit;          /**< unit of quantity (any eic unit); required with a quantity */
	eic_synergy_status status; /**< first status (default idea); not stopped */
	const char *date;          /**< date of the first status, YYYY-MM-DD; NULL: today (UTC) */
	const char *note;          /**< note of the first status, or NULL */
	const char *who;           /**< who recorded it, or NULL */
	const char *notes;         /**< free notes on the synergy, or NULL */
	/* Where it came from: set by eic_synergy_spec_from_candidate, else leave as is. */
	int from_match;          /**< 1 when it is a match candidate */
	const char *from_offer;  /**< offer ids of the candidate, or NULL */
	const char *to_offer;    /**< */
	long match_rank;         /**< rank in the match output (1 = best), 0 if none */
	double match_score;      /**< NaN if none */
	const char *match_fit;   /**< eic_match_fit_name of the candidate, or NULL */
	const char *pathway;     /**< KB pathway id, or NULL */
	double distance_km;      /**< NaN if none */
	const char *explanation; /**< the candidate's sentence, or NULL */
} eic_synergy_spec;
#define EIC_SYNERGY_SPEC_VERSION 1
#define EIC_SYNERGY_SPEC_INIT                                                                      \
	{                                                                                          \
		EIC_SYNERGY_SPEC_VERSION, NULL, EIC_MATCH_SUBSTITUTION, NULL, NULL, NULL, NULL,    \
		    (double)NAN, NULL, EIC_SYNERGY_IDEA, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, \
		    (double)NAN, NULL, NULL, (double)NAN, NULL                                     \
	}

/** A status change (eic_synergy_set_status). Strings borrowed for the call. */
typedef struct {
	unsigned version;
	const char *date; /**< YYYY-MM-DD, not before the current status's date; NULL: today */
	const char *note;
	const char *who;
	int reopen; /**< allow a move back to an earlier status, or out of stopped */
} eic_synergy_status_options;
#define EIC_SYNERGY_STATUS_OPTIONS_VERSION 1
#define EIC_SYNERGY_STATUS_OPTIONS_INIT                                                            \
	{                                                                                          \
		EIC_SYNERGY_STATUS_OPTIONS_VERSION, NULL, NULL, NULL, 0                            \
	}

/** A realised quantity (eic_synergy_record). Strings borrowed for the call. */
typedef struct {
	unsigned version;
	const char *period; /**< a cluster period id, YYYY, YYYY-MM, YYYY-Qn, or start..end */
	double quantity;    /**< >= 0, finite */
	const char *unit;   /**< NULL: the synergy's unit without its "/yr" (t/yr gives t) */
	const char *note;
	int replace; /**< replace the quantity already recorded for this period */
} eic_synergy_record_options;
#define EIC_SYNERGY_RECORD_OPTIONS_VERSION 1
#define EIC_SYNERGY_RECORD_OPTIONS_INIT                                                            \
	{                                                                                          \
		EIC_SYNERGY_RECORD_OPTIONS_VERSION, NULL, (double)NAN, NULL, NULL, 0               \
	}

/** One row of the status history. */
typedef struct {
	eic_synergy_status status;
	const char *date;        /**< YYYY-MM-DD */
	const char *note;        /**< NULL if none */
	const char *who;         /**< NULL if none */
	const char *recorded_at; /**< UTC ISO 8601 */
} eic_synergy_event;

/** One realised quantity, in period order (start date, then period text). */
typedef struct {
	const char *period;
	const char *start; /**< YYYY-MM-DD, NULL when the period is free text */
	const char *end;   /**< */
	double quantity;
	const char *unit;
	const char *note;
	const char *recorded_at;
} eic_synergy_realised;

/** A tracked synergy with its history. Unknown numbers are NaN, absent text NULL. */
typedef struct {
	const char *id;
	const char *cluster;
	eic_match_mode mode;
	const char *from_actor, *to_actor, *material, *to_material;
	double quantity;
	const char *unit;
	int from_match;
	const char *from_offer, *to_offer;
	long match_rank; /**< 0 when not from a match */
	double match_score;
	const char *match_fit, *pathway;
	double distance_km;
	const char *explanation;
	const char *notes;
	const char *created_at;
	eic_synergy_status status; /**< current: the last event */
	const char *status_date;   /**< date of the current status */
	const eic_synergy_event *history;
	size_t history_count; /**< >= 1, oldest first */
	const eic_synergy_realised *realised;
	size_t realised_count;
} eic_synergy;

/** A set of synergies read from the store (opaque). */
typedef struct eic_synergy_set eic_synergy_set;

/** Static names "idea", "under_study", "agreed", "operating", "stopped". */
EIC_EXTERN const char *eic_synergy_status_name(eic_synergy_status status);
/** Parse a status name (also accepts "under study" and "under-study"). 0 or EIC_EINVAL. */
EIC_EXTERN int eic_synergy_status_parse(eic_synergy_status *out, const char *text);

/**
 * Fill a spec from a match candidate (borrowing its strings: the match result must outlive the
 * spec's use). `rank` is the candidate's 1-based rank in the match output.
 * @return 0, or EIC_EINVAL when a side of the candidate is masked (confidential offer)
 */
EIC_EXTERN int eic_synergy_spec_from_candidate(eic_synergy_spec *out,
                                               const eic_match_candidate *candidate, size_t rank);

/**
 * Save a new synergy of a stored cluster with its first status, in one transaction. The
 * actors and materials must exist in the stored cluster, the actors must differ, the id
 * (when given) must be new, [A-Za-z0-9_.-]+.
 * @param[out] out_id receives the synergy id (NUL-terminated, cut to out_size); may be NULL
 * @return 0, EIC_EINVAL (bad spec), EIC_ENOTFOUND (cluster, actor or material), EIC_EEXISTS
 *         (id taken), EIC_EUNIT (unknown unit), EIC_ESTORE, EIC_ENOMEM; on failure the
 *         database is unchanged
 */
EIC_EXTERN int eic_synergy_add(char *out_id, size_t out_size, eic_store *store,
                               const char *cluster_id, const eic_synergy_spec *spec);

/**
 * Append a status to a synergy's history. A move forward (to a later status, or to stopped)
 * is always allowed; a move back to an earlier status, or out of stopped, needs
 * options->reopen; the same status again is refused. The date may not be before the
 * current status's date.
 * @return 0, EIC_EINVAL (transition or date refused), EIC_ENOTFOUND (cluster or synergy),
 *         EIC_ESTORE, EIC_ENOMEM; on failure the database is unchanged
 */
EIC_EXTERN int eic_synergy_set_status(eic_store *store, const char *cluster_id,
                                      const char *synergy_id, eic_synergy_status status,
                                      const eic_synergy_status_options *options);

/**
 * Record the quantity realised by a synergy over a period. The synergy must be operating or
 * have operated (stopped after operating); a period already recorded is refused unless
 * options->replace.
 * @return 0, EIC_EINVAL (bad period, quantity, or the synergy never operated), EIC_EUNIT,
 *         EIC_EEXISTS (period recorded), EIC_ENOTFOUND, EIC_ESTORE, EIC_ENOMEM; on failure
 *         the database is unchanged
 */
EIC_EXTERN int eic_synergy_record(eic_store *store, const char *cluster_id, const char *synergy_id,
                                  const eic_synergy_record_options *options);

/**
 * The synergies of a stored cluster in id order (S2 before S10), each with its history;
 * `status` < 0 for all, else only those whose current status is `status`.
 * @return 0, EIC_ENOTFOUND (no such cluster), EIC_ESTORE, EIC_ENOMEM
 */
EIC_EXTERN int eic_synergy_list(eic_synergy_set **out, eic_store *store, const char *cluster_id,
                                int status);
/** One synergy (a set of one). @return 0, EIC_ENOTFOUND, EIC_ESTORE, EIC_ENOMEM */
EIC_EXTERN int eic_synergy_get(eic_synergy_set **out, eic_store *store, const char *cluster_id,
                               const char *synergy_id);
EIC_EXTERN size_t eic_synergy_set_count(const eic_synergy_set *set);
/** Synergy `i`, NULL when out of range. */
EIC_EXTERN const eic_synergy *eic_synergy_set_at(const eic_synergy_set *set, size_t i);
EIC_EXTERN void eic_synergy_set_free(eic_synergy_set *set);

/** Delete a synergy with its history (one transaction). @return 0, EIC_ENOTFOUND, EIC_ESTORE */
EIC_EXTERN int eic_synergy_delete(eic_store *store, const char *cluster_id, const char *synergy_id);

#ifdef __cplusplus
}
#endif
#endif
