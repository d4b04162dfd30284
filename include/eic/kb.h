/* eic/kb.h: the synergy knowledge base, waste-to-use pathways read from data/synergies.csv
 * (format and sources: data/synergies.md), with lookups by EWC code, material and ISIC sector.
 * Ownership: eic_kb_load hands a knowledge base freed by eic_kb_free; pathway records and
 * every string in them are borrowed from it and live as long as it. */
#ifndef EIC_KB_H
#define EIC_KB_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eic_kb eic_kb;

/** Hazard flag of a pathway's source material. */
typedef enum { EIC_KB_HAZ_NO = 0, EIC_KB_HAZ_YES, EIC_KB_HAZ_DEPENDS } eic_kb_hazard;

/** Kind of evidence behind a pathway. */
typedef enum {
	EIC_KB_EVIDENCE_CASE = 0,   /**< a documented case: place, firms, year */
	EIC_KB_EVIDENCE_LITERATURE, /**< a named publication */
	EIC_KB_EVIDENCE_MANUAL      /**< the eco-industrial clusters training manual */
} eic_kb_evidence;

/** One pathway. Empty text cells are NULL; empty numbers are NaN (years 0). */
typedef struct {
	const char *id;
	const char *category;   /**< grouping used in data/synergies.md (wood, manure, ash ...) */
	const char *source_ewc; /**< 6-digit EWC code, or NULL */
	const char *source_material; /**< material id or category prefix, or NULL */
	int source_is_category;      /**< 1 when source_material is a category prefix */
	/** Category path of the source: the material's category, or the prefix itself; NULL
	 *  when there is no source_material. */
	const char *source_category;
	const char *source_description;
	const char *use_isic;          /**< receiving ISIC Rev.4 code (class, group or division) */
	const char *replaces_material; /**< material id of the input replaced, or NULL */
	const char *replaces;          /**< input replaced, in words */
	const char *product;           /**< product made or service given */
	const char *technology;        /**< conversion technology, or "direct substitution" */
	const char *yield_output;      /**< what the yield measures (product or material id) */
	double yield_value;            /**< per unit of source (see yield_unit); NaN if unknown */
	const char *yield_unit;        /**< e.g. "m3/t", "t/t", "kWh/t" */
	const char *yield2_output;     /**< a second product, same convention */
	double yield2_value;
	const char *yield2_unit;
	double cost_low, cost_high; /**< typical cost per tonne of source; NaN if unknown */
	const char *cost_currency;  /**< ISO 4217 */
	int cost_year;
	const char *cost_basis; /**< what the cost covers */
	eic_kb_hazard hazardous;
	const char *permit_notes;
	eic_kb_evidence evidence_type;
	const char *evidence; /**< the case or publication */
	int evidence_year;    /**< 0 when not known */
	const char *evidence_url;
	int evidence_checked; /**< 1: figures read in the source when the file was made */
	const char *notes;
	int line; /**< line of the row in the file */
} eic_kb_pathway;

/** How a lookup matched a pathway, closest first. */
typedef enum {
	EIC_KB_MATCH_EXACT = 0,  /**< same EWC code, same material or category, same ISIC code */
	EIC_KB_MATCH_SUBCHAPTER, /**< EWC: same first 4 digits */
	EIC_KB_MATCH_CHAPTER,    /**< EWC: same first 2 digits */
	EIC_KB_MATCH_BROADER,    /**< the pathway's class contains the query */
	EIC_KB_MATCH_NARROWER    /**< the query's class contains the pathway's */
} eic_kb_match;

/** One lookup result: the pathway's index (eic_kb_at) and how it matched. */
typedef struct {
	size_t index;
	eic_kb_match level;
} eic_kb_hit;

typedef struct {
	unsigned version;
	/** 1: return only the hits at the closest level found (for EWC: exact codes if any,
	 *  else the sub-chapter, else the chapter). 0: every level, closest first. */
	int best_only;
} eic_kb_find_options;
#define EIC_KB_FIND_OPTIONS_VERSION 1
#define EIC_KB_FIND_OPTIONS_INIT                                                                   \
	{                                                                                          \
		EIC_KB_FIND_OPTIONS_VERSION, 0                                                     \
	}

/**
 * Path of the shipped knowledge base, `<eic_data_dir()>/synergies.csv`, written into `buf`
 * like snprintf (always NUL-terminated when size > 0).
 * @return the length of the full path (a result >= size means it was cut)
 */
EIC_EXTERN size_t eic_kb_default_path(char *buf, size_t size);

/**
 * Read and check a knowledge base. EWC and ISIC codes are checked against
 * `<data dir>/classifications` and material ids and category prefixes against
 * `<data dir>/materials/materials.csv` (a warning, and no check, when a list is missing).
 * Every problem goes to `diags` as `file:line:column` diagnostics; reading goes on after an
 * error so that one run reports them all.
 * @param[out] out the knowledge base, set only when there is no error
 * @param diags receives errors and warnings (may be NULL)
 * @param path the CSV file, or NULL for eic_kb_default_path()
 * @return 0, EIC_EINVALID when any error was found, EIC_ENOTFOUND or EIC_EIO when the file
 *         cannot be read, EIC_ENOMEM
 */
EIC_EXTERN int eic_kb_load(eic_kb **out, eic_diags *diags, const char *path);
EIC_EXTERN void eic_kb_free(eic_kb *kb);

/** Number of pathways, and pathway `i` in file order (NULL when out of range). */
EIC_EXTERN size_t eic_kb_count(const eic_kb *kb);
EIC_EXTERN const eic_kb_pathway *eic_kb_at(const eic_kb *kb, size_t i);
/** Pathway by id, or NULL. */
EIC_EXTERN const eic_kb_pathway *eic_kb_get(const eic_kb *kb, const char *id);

/**
 * Pathways whose source EWC code matches `ewc` (6 digits): the same code, then the same
 * sub-chapter (first 4 digits), then the same chapter (first 2). Hits are ordered by level,
 * then by file order. At most `cap` hits are written to `out` (which may be NULL when cap is
 * 0); `*count` receives the number found, which may exceed cap. O(pathways).
 * @param opts NULL for the defaults
 * @return 0, EIC_EINVAL when `ewc` is not 6 digits
 */
EIC_EXTERN int eic_kb_find_ewc(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb,
                               const char *ewc, const eic_kb_find_options *opts);

/**
 * Pathways for a material id or category prefix (as in materials.csv, e.g. "sawdust" or
 * "biomass/wood"). EXACT: the pathway names the same id or prefix; BROADER: the pathway's
 * category contains the query's (a pathway for "biomass/wood" applies to sawdust); NARROWER:
 * the query's category contains the pathway's. Same output convention as eic_kb_find_ewc.
 * @return 0, EIC_ENOTFOUND when `material` is neither a known id nor a category prefix
 */
EIC_EXTERN int eic_kb_find_material(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb,
                                    const char *material, const eic_kb_find_options *opts);

/**
 * Pathways whose receiving sector matches an ISIC Rev.4 code (class, group or division):
 * EXACT the same code, NARROWER a pathway code under the query (query "35" finds "3510"),
 * BROADER a pathway code above it (query "3510" finds a pathway for division "35").
 * @return 0, EIC_EINVAL when `isic` is not 2 to 4 digits
 */
EIC_EXTERN int eic_kb_find_isic(eic_kb_hit *out, size_t cap, size_t *count, const eic_kb *kb,
                                const char *isic, const eic_kb_find_options *opts);

/** Static English name of a match level ("exact", "sub-chapter", ...). */
EIC_EXTERN const char *eic_kb_match_name(eic_kb_match level);

#ifdef __cplusplus
}
#endif
#endif
