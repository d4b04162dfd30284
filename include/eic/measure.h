/* eic/measure.h: measurement records per actor and period (production, energy, water, waste,
 * emissions ...) with provenance and corrections that supersede, never overwrite.
 * Ownership: a set owns every record and string added to it (strings are copied on add);
 * records, lists and catalogue entries handed out are borrowed and live as long as the set
 * (or catalogue), except eic_measure_list / period arrays, which the caller clears or frees. */
#ifndef EIC_MEASURE_H
#define EIC_MEASURE_H

#include "common.h"
#include "model.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
 * Pollutant catalogue (data/monitoring/pollutants.csv): E-PRTR Annex II pollutants with the
 * codes of the Finnish registry, the TRI chemicals of the shipped Illinois files and a few
 * conventional water pollutants. An emission record must name a pollutant of the catalogue.
 * ---------------------------------------------------------------------------------------- */

typedef struct eic_pollutants eic_pollutants;

/** One pollutant of the catalogue. Strings owned by the catalogue; absent ones are "". */
typedef struct {
	const char *code;   /**< key, e.g. "ZNANDCOMPOUNDS" (E-PRTR) or "TRI_N982" (TRI) */
	const char *name;   /**< English name, e.g. "Zinc and compounds (as Zn)" */
	const char *cas;    /**< CAS registry number or "" */
	const char *list;   /**< "eprtr", "tri" or "conventional" */
	const char *group;  /**< "greenhouse gases", "heavy metals", ... or "" */
	const char *unit;   /**< catalogue unit of emitted amounts, "kg" */
	const char *source; /**< where the entry comes from */
} eic_pollutant;

/**
 * Load a pollutant catalogue.
 * @param[out] out the catalogue, free with eic_pollutants_free
 * @param path CSV file; NULL: `<eic_data_dir()>/monitoring/pollutants.csv`
 * @param diags receives file:line:column errors (may be NULL)
 * @return 0, EIC_EIO (file missing), EIC_EINVALID (bad rows), EIC_ENOMEM
 */
EIC_EXTERN int eic_pollutants_load(eic_pollutants **out, const char *path, eic_diags *diags);
EIC_EXTERN void eic_pollutants_free(eic_pollutants *cat);
EIC_EXTERN size_t eic_pollutants_count(const eic_pollutants *cat);
EIC_EXTERN const eic_pollutant *eic_pollutants_at(const eic_pollutants *cat, size_t i);
/** Lookup by code (exact). NULL if absent. */
EIC_EXTERN const eic_pollutant *eic_pollutants_find(const eic_pollutants *cat, const char *code);
/** First entry with this CAS number in the given list ("eprtr", "tri", NULL: any). */
EIC_EXTERN const eic_pollutant *eic_pollutants_find_cas(const eic_pollutants *cat, const char *cas,
                                                        const char *list);

/* ------------------------------------------------------------------------------------------
 * Records
 * ---------------------------------------------------------------------------------------- */

/** What a record measures. The `subject` of a record says which one within the kind. */
typedef enum {
	EIC_MEASURE_PRODUCTION = 0,   /**< subject: product name ("zinc", "cathode copper") */
	EIC_MEASURE_VALUE_ADDED,      /**< subject: "" (money) */
	EIC_MEASURE_EMPLOYEES,        /**< subject: "" (headcount or FTE, unit "1" or a count) */
	EIC_MEASURE_ENERGY,           /**< subject: carrier ("electricity", "natural_gas", ...) */
	EIC_MEASURE_WATER_WITHDRAWAL, /**< subject: source ("groundwater", "surface", "municipal")
	                                 or "" */
	EIC_MEASURE_WATER_DISCHARGE,  /**< subject: receiving body ("sea", "sewer", ...) or "" */
	EIC_MEASURE_RAW_MATERIAL,     /**< subject: material id or name */
	EIC_MEASURE_WASTE,    /**< subject: 6-digit EWC code, or "HW" / "NONHW" (E-PRTR class) */
	EIC_MEASURE_EMISSION, /**< subject: pollutant code of the catalogue; medium required */
	EIC_MEASURE__N
} eic_measure_kind;

/** Receiving medium of an emission (E-PRTR: air, water, land). */
typedef enum { EIC_MEDIUM_NONE = 0, EIC_MEDIUM_AIR, EIC_MEDIUM_WATER, EIC_MEDIUM_LAND } eic_medium;

/** Fate of a waste: recovery (R operations) or disposal (D operations), Directive
 *  2008/98/EC Annexes I and II. */
typedef enum { EIC_FATE_NONE = 0, EIC_FATE_RECOVERY, EIC_FATE_DISPOSAL } eic_waste_fate;

/** How the number was obtained, as E-PRTR's method codes M, C, E. */
typedef enum {
	EIC_METHOD_MEASURED = 0,
	EIC_METHOD_CALCULATED,
	EIC_METHOD_ESTIMATED
} eic_measure_method;

/**
 * One measurement of one actor over one period. Strings are never NULL in records handed
 * out by a set ("" when absent); numbers not given are NaN.
 * The series of a record is (actor, kind, subject, medium, fate, counterpart): records of
 * one series differ by period, or one corrects (supersedes) another.
 */
typedef struct {
	const char *id;    /**< record id, decimal: assigned by the set on add (max id + 1) */
	const char *actor; /**< actor id in the cluster */
	eic_measure_kind kind;
	const char *subject;     /**< see eic_measure_kind */
	eic_medium medium;       /**< emissions: air, water or land; other kinds: NONE */
	eic_waste_fate fate;     /**< waste: recovery or disposal (NONE: not known) */
	const char *fate_code;   /**< waste: "R1".."R13", "D1".."D15", or "" */
	const char *counterpart; /**< who received (waste, discharge) or supplied (energy, water,
	                            raw material) it: an actor id of the cluster or a name; "" */
	const char *start;       /**< period start, ISO date YYYY-MM-DD, inclusive */
	const char *end;         /**< period end, inclusive */
	double value;            /**< as reported, in `unit` */
	const char *unit;        /**< as reported; parsed with eic_unit_parse */
	double amount;           /**< value converted to amount_unit (set on add; input ignored) */
	const char *amount_unit; /**< catalogue unit of the kind (eic_measure_amount) */
	double concentration;    /**< NaN if not given */
	const char *concentration_unit; /**< e.g. "mg/m3", "mg/L", "ppm"; "" if none */
	double limit; /**< applicable limit value (same dimension as the concentration, or as
	                 the value for a load limit), NaN if none */
	const char *limit_unit;
	const char *standard; /**< the standard, permit or regulation the limit comes from */
	eic_measure_method method;
	const char *reported_by; /**< who reported (firm, operator, agency); required */
	int verified;            /**< 1 verified by a third party, 0 not */
	const char *verified_by; /**< required when verified */
	const char *source;      /**< source document or registry ("Finland PRTR (SYKE) ...") */
	const char *source_file; /**< file name inside the source, or "" */
	long source_row;         /**< 1-based line (CSV) of the record in source_file, 0 if none */
	const char *supersedes;  /**< id of the record this one corrects, "" if none */
	const char *note;
	const char *recorded_at; /**< UTC ISO 8601 when stored; "" for records not yet stored */
} eic_measurement;

/** A zeroed record with NaN numbers, method "estimated", verified 0. */
EIC_EXTERN void eic_measurement_init(eic_measurement *rec);

typedef struct eic_measure_set eic_measure_set;

/**
 * Create an empty set.
 * @param[out] out the set, free with eic_measure_set_free
 * @param catalogue pollutant catalogue (borrowed, must outlive the set); NULL loads the
 *        default one (eic_pollutants_load(NULL)), owned by the set
 * @return 0, EIC_EIO when the default catalogue cannot be read, EIC_ENOMEM
 */
EIC_EXTERN int eic_measure_set_new(eic_measure_set **out, const eic_pollutants *catalogue);
EIC_EXTERN void eic_measure_set_free(eic_measure_set *set);
/** Message of the last failed call on the set ("" if none). */
EIC_EXTERN const char *eic_measure_set_errmsg(const eic_measure_set *set);
EIC_EXTERN const eic_pollutants *eic_measure_set_pollutants(const eic_measure_set *set);

/**
 * Check and add one record (strings copied). Checks: actor given; kind-specific subject,
 * medium and fate; pollutant in the catalogue; unit valid for the kind (converted into
 * amount/amount_unit); concentration and limit units; dates valid with start <= end;
 * method, reported_by, verified_by when verified; supersedes names an existing record of the
 * same actor and kind that nothing else supersedes yet. An empty id gets max id + 1;
 * a given id must be decimal and new.
 * @param[out] out the stored record (may be NULL)
 * @return 0, EIC_EINVAL (bad field), EIC_EUNIT (unit), EIC_ENOTFOUND (pollutant or
 *         superseded record unknown), EIC_EEXISTS (id taken, or already superseded),
 *         EIC_ENOMEM. The message is in eic_measure_set_errmsg. Nothing is added on error.
 */
EIC_EXTERN int eic_measure_add(const eic_measurement **out, eic_measure_set *set,
                               const eic_measurement *rec);

/** Records in insertion order (0 <= i < count). */
EIC_EXTERN size_t eic_measure_count(const eic_measure_set *set);
EIC_EXTERN const eic_measurement *eic_measure_at(const eic_measure_set *set, size_t i);
/** Record by id, NULL if absent. */
EIC_EXTERN const eic_measurement *eic_measure_find(const eic_measure_set *set, const char *id);
/** The record that corrects `rec` (supersedes it), NULL when `rec` is current. */
EIC_EXTERN const eic_measurement *eic_measure_superseded_by(const eic_measure_set *set,
                                                            const eic_measurement *rec);
/** 1 when nothing supersedes the record (it belongs to the current view). */
EIC_EXTERN int eic_measure_is_current(const eic_measure_set *set, const eic_measurement *rec);
/** 1 when both records belong to the same series (actor, kind, subject, medium, fate,
 *  counterpart). */
EIC_EXTERN int eic_measure_same_series(const eic_measurement *a, const eic_measurement *b);

/** Filter for eic_measure_select. NULL strings and -1 enums match anything. */
typedef struct {
	unsigned version;
	const char *actor;
	int kind;            /**< eic_measure_kind or -1 */
	const char *subject; /**< pollutant code, carrier, EWC code ... or NULL */
	int medium;          /**< eic_medium or -1 */
	const char *from;    /**< ISO date: only records whose period overlaps [from, to] */
	const char *to;
	int history; /**< 0: current records only (latest, not superseded); 1: all records */
} eic_measure_query;
#define EIC_MEASURE_QUERY_VERSION 1
#define EIC_MEASURE_QUERY_INIT                                                                     \
	{                                                                                          \
		EIC_MEASURE_QUERY_VERSION, NULL, -1, NULL, -1, NULL, NULL, 0                       \
	}

/** Records selected by a query: borrowed pointers into the set; the array is the caller's. */
typedef struct {
	const eic_measurement **items;
	size_t count;
} eic_measure_list;
#define EIC_MEASURE_LIST_INIT                                                                      \
	{                                                                                          \
		NULL, 0                                                                            \
	}
EIC_EXTERN void eic_measure_list_clear(eic_measure_list *list);

/**
 * Select records. Order: period start, period end, actor, kind, subject, medium, fate,
 * counterpart, then insertion (so a correction follows what it corrects). O(n log n).
 * @param[out] out cleared first; free with eic_measure_list_clear
 * @param query NULL selects every current record
 * @return 0, EIC_EINVAL (bad date in the query), EIC_ENOMEM
 */
EIC_EXTERN int eic_measure_select(eic_measure_list *out, const eic_measure_set *set,
                                  const eic_measure_query *query);

/** The correction chain that `id` belongs to, oldest first, ending at the current record.
 *  @return 0, EIC_ENOTFOUND, EIC_ENOMEM */
EIC_EXTERN int eic_measure_history(eic_measure_list *out, const eic_measure_set *set,
                                   const char *id);

/** A distinct period (strings borrowed from the set). */
typedef struct {
	const char *start;
	const char *end;
} eic_measure_period;

/**
 * Distinct periods of the records a query selects, sorted by start then end.
 * @param[out] out array freed with eic_measure_periods_free (NULL when count is 0)
 * @return 0, EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_measure_periods(eic_measure_period **out, size_t *out_count,
                                   const eic_measure_set *set, const eic_measure_query *query);
EIC_EXTERN void eic_measure_periods_free(eic_measure_period *periods);

/* ---- periods, names and units ---- */

/**
 * Parse a period: "2021" (calendar year), "2021-03" (month), "2021-03-15" (one day) or
 * "START/END" with ISO dates. start and end receive "YYYY-MM-DD" (11 bytes each).
 * @return 0 or EIC_EINVAL (malformed, invalid date, or end before start)
 */
EIC_EXTERN int eic_measure_period_parse(char start[11], char end[11], const char *text);
/** Short label: "2021" for a calendar year, "2021-03" for a month, else "START/END". */
EIC_EXTERN size_t eic_measure_period_label(char *buf, size_t size, const char *start,
                                           const char *end);

EIC_EXTERN const char *eic_measure_kind_name(eic_measure_kind kind); /**< "emission", ... */
EIC_EXTERN int eic_measure_kind_parse(eic_measure_kind *out, const char *text);
EIC_EXTERN const char *eic_medium_name(eic_medium medium); /**< "", "air", "water", "land" */
EIC_EXTERN int eic_medium_parse(eic_medium *out, const char *text); /**< case-insensitive */
EIC_EXTERN const char *eic_waste_fate_name(eic_waste_fate fate);    /**< "", "recovery", ... */
EIC_EXTERN int eic_waste_fate_parse(eic_waste_fate *out, const char *text);
EIC_EXTERN const char *eic_measure_method_name(eic_measure_method m); /**< "measured", ... */
/** Accepts "measured"/"calculated"/"estimated" and the E-PRTR letters M/C/E. */
EIC_EXTERN int eic_measure_method_parse(eic_measure_method *out, const char *text);

/**
 * Convert a reported value to the catalogue unit of its kind (docs/methods/measurements.md):
 * mass -> "t" (emissions: "kg"), volume -> "m3", energy -> "GJ", count -> "1",
 * dimensionless -> "1", area -> "m2", money -> its currency code. Which dimensions a kind
 * accepts: value_added money; employees count or "1"; energy energy, mass or volume (of a
 * fuel); water volume; raw material mass, volume, energy or count; waste mass or volume;
 * emission mass; production mass, volume, energy, count or area. Rates (per time) are
 * refused: a record is an amount over its period.
 * @param[out] out value in *out_unit
 * @param[out] out_unit static string, or currency code copied into out_unit_buf
 * @return 0, EIC_EUNIT (unknown unit or a dimension the kind does not take)
 */
EIC_EXTERN int eic_measure_amount(double *out, const char **out_unit, char out_unit_buf[4],
                                  eic_measure_kind kind, double value, const char *unit);

/* ------------------------------------------------------------------------------------------
 * CSV (docs/format.md, "Measurement records")
 * ---------------------------------------------------------------------------------------- */

/**
 * Read a measurement CSV from memory and add its rows to `set`: all rows or none. Errors go
 * to `diags` as file:line:column; reading continues after an error to report them all.
 * Besides eic_measure_add's checks: unknown or missing columns; within the file, the
 * periods of one series must come in order without overlapping; a row may not repeat the
 * series and period of a current record already in the set (it must supersede it); when
 * `cluster` is given, every actor must be an actor of it.
 * @return 0, EIC_EINVALID (errors in diags; the set is unchanged), EIC_ENOMEM
 */
EIC_EXTERN int eic_measure_read_csv(eic_measure_set *set, eic_diags *diags, const char *file,
                                    const char *data, size_t size, const eic_cluster *cluster);

/* ------------------------------------------------------------------------------------------
 * Store (schema version 3): records are appended; a correction is a new row.
 * ---------------------------------------------------------------------------------------- */

/**
 * Load every stored record of a cluster (history included) into an empty set, in id order.
 * @return 0, EIC_ENOTFOUND (no such cluster), EIC_ESTORE, EIC_ENOMEM, EIC_EINVAL (set not
 *         empty)
 */
EIC_EXTERN int eic_measure_load(eic_measure_set *set, eic_store *store, const char *cluster_id);

/**
 * Append records [first, count) of the set to the cluster in one transaction: all or
 * nothing. Every actor must be an actor of the stored cluster; ids must follow the stored
 * ones (load first, then add, then save). Sets recorded_at of the saved records.
 * The batch is kept in the import history with `origin` (e.g. the CSV path; may be NULL):
 * kind "csv" when origin ends in .csv, "correction" when every record supersedes one,
 * else "api".
 * @return 0, EIC_ENOTFOUND (cluster or actor; message in eic_store_errmsg), EIC_EEXISTS
 *         (ids taken: the store changed since the load), EIC_ESTORE, EIC_ENOMEM
 */
EIC_EXTERN int eic_measure_save(eic_store *store, const char *cluster_id, eic_measure_set *set,
                                size_t first, const char *origin);

/* ------------------------------------------------------------------------------------------
 * Registries: Finland's PRTR (SYKE) and US EPA TRI basic data files
 * ---------------------------------------------------------------------------------------- */

typedef enum { EIC_REGISTRY_FINLAND_PRTR = 0, EIC_REGISTRY_US_TRI } eic_registry_kind;

typedef struct {
	unsigned version;
	eic_registry_kind registry;
	const char *dir; /**< folder with the registry files (see docs/methods/measurements.md) */
	/** Finland PRTR: municipality (facilities.csv `city`, case-insensitive), e.g.
	 *  "kokkola"; US TRI: city. NULL: no filter by area. */
	const char *area;
	const char *county;            /**< US TRI: county (case-insensitive), NULL: any */
	const char *const *facilities; /**< registry facility ids to keep (NULL: all) */
	size_t facility_count;
	int first_year, last_year; /**< 0: no bound */
	/** Cluster to store into. When it does not exist it is created from the selected
	 *  facilities if create_cluster is set; when it exists, create_cluster adds the
	 *  facilities that are not actors yet. */
	int create_cluster;
	const char *cluster_name; /**< name of a created cluster (NULL: derived from the area) */
} eic_registry_options;
#define EIC_REGISTRY_OPTIONS_VERSION 1
#define EIC_REGISTRY_OPTIONS_INIT                                                                  \
	{                                                                                          \
		EIC_REGISTRY_OPTIONS_VERSION, EIC_REGISTRY_FINLAND_PRTR, NULL, NULL, NULL, NULL,   \
		    0, 0, 0, 0, NULL                                                               \
	}

/** What an import did. */
typedef struct {
	size_t facilities;   /**< facilities selected */
	size_t actors_added; /**< actors created in the cluster */
	size_t rows_read;    /**< registry rows of the selected facilities and years */
	size_t added;        /**< new records stored */
	size_t corrected;    /**< of which supersede a stored record whose value changed */
	size_t unchanged;    /**< rows already stored with the same value (skipped) */
	int cluster_created; /**< 1 when the cluster was created */
	int first_year, last_year;
} eic_registry_summary;

/**
 * Import registry rows of the selected facilities into a stored cluster, in one
 * transaction: on any error nothing is stored. A facility maps to the actor whose id is
 * "prtr_<facilityId>" (Finland) or "tri_<TRIFID>" (TRI), or whose notes contain
 * "E-PRTR facility <facilityId>" / "TRI facility <TRIFID>". Re-importing is idempotent:
 * rows already stored with the same value are skipped; a changed value supersedes.
 * Units are converted to the catalogue units (kg for releases, t for waste).
 * @param[out] summary may be NULL
 * @param diags receives file:line:column errors for bad registry rows (may be NULL)
 * @return 0, EIC_EIO (files), EIC_EINVALID (bad rows, unknown pollutant), EIC_ENOTFOUND
 *         (cluster absent without create_cluster, facility not an actor, nothing selected),
 *         EIC_ESTORE, EIC_ENOMEM; message in eic_store_errmsg
 */
EIC_EXTERN int eic_registry_import(eic_registry_summary *summary, eic_store *store,
                                   const char *cluster_id, const eic_registry_options *opts,
                                   const eic_pollutants *catalogue, eic_diags *diags);

EIC_EXTERN const char *eic_registry_name(eic_registry_kind kind); /**< "finland-prtr", "us-tri" */
EIC_EXTERN int eic_registry_parse(eic_registry_kind *out, const char *text);

#ifdef __cplusplus
}
#endif
#endif
