/* eic/model.h: the cluster model: actors, processes, materials, flows, offers, facilities.
 * Ownership: an eic_cluster owns every record and string added to it (strings are copied on
 * add); getters return borrowed pointers valid until the cluster is freed. */
#ifndef EIC_MODEL_H
#define EIC_MODEL_H

#include "common.h"
#include "units.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Format version written to cluster.json ("eic_format"). */
#define EIC_FORMAT_VERSION 1

typedef struct eic_cluster eic_cluster;

/** A reporting period: [start, end] inclusive calendar dates, ISO 8601 (YYYY-MM-DD). */
typedef struct {
	const char *id;    /**< e.g. "2023" */
	const char *start; /**< "2023-01-01" */
	const char *end;   /**< "2023-12-31" */
	const char *label; /**< optional, NULL or "" if absent */
} eic_period;

/** Cluster metadata (cluster.json). */
typedef struct {
	const char *id; /**< short key, [A-Za-z0-9_.-]+ */
	const char *name;
	const char *region;
	const char *country;  /**< ISO 3166-1 alpha-2 */
	const char *currency; /**< ISO 4217 */
	const char *description;
	const char *mass_unit;   /**< reporting unit for mass, default "t" */
	const char *energy_unit; /**< default "GJ" */
	const char *volume_unit; /**< default "m3" */
	const char *catalogue;   /**< "default" (use data/materials) or "none" */
	const char *sources;     /**< free text: where the numbers come from */
} eic_cluster_info;

typedef enum {
	EIC_ACTOR_FIRM = 0,
	EIC_ACTOR_KNOWLEDGE_INSTITUTE,
	EIC_ACTOR_GOVERNMENT_BODY,
	EIC_ACTOR_COMMUNITY_ORGANISATION,
	EIC_ACTOR_FINANCIER,
	EIC_ACTOR_SERVICE_PROVIDER,
	EIC_ACTOR_TREATMENT_FACILITY,
	EIC_ACTOR__N
} eic_actor_kind;

/** Sector classification scheme of an actor. */
typedef enum { EIC_SECTOR_ISIC4 = 0, EIC_SECTOR_NACE2 } eic_sector_scheme;

/** A firm or other stakeholder. Unknown numbers are NaN (employees: -1). */
typedef struct {
	const char *id;
	eic_actor_kind kind;
	const char *name;
	eic_sector_scheme sector_scheme;
	const char *sector; /**< ISIC Rev.4 or NACE Rev.2 code ("1610", "C16.10"), or "" */
	long employees;     /**< -1 if unknown */
	double value_added; /**< per year in the cluster currency, NaN if unknown */
	double lat, lon;    /**< WGS84 degrees, NaN if unknown */
	const char *address;
	const char *notes;
} eic_actor;

/** A process inside an actor. */
typedef struct {
	const char *id;
	const char *actor; /**< actor id */
	const char *name;
	const char *notes;
} eic_process;

typedef enum { EIC_ORIGIN_CLUSTER = 0, EIC_ORIGIN_DEFAULT = 1 } eic_origin;

/** A material property value with its unit and source. */
typedef struct {
	const char *material;
	const char *name; /**< lhv, moisture, doc, vs, density, price, or another name */
	double value;
	const char *unit;
	const char *source;
	eic_origin origin; /**< defined by the cluster or taken from the default catalogue */
} eic_property;

typedef struct {
	const char *id;
	const char *name;
	const char *category; /**< path with '/', e.g. "biomass/wood/bark" */
	const char *ewc;      /**< 6-digit European Waste Catalogue code or "" */
	int hazardous;        /**< 1 hazardous, 0 not */
	const char *hs;       /**< HS code or "" */
	const char *cpc;      /**< CPC code or "" */
	const char *notes;
	eic_origin origin; /**< defined by the cluster or taken from the default catalogue */
} eic_material;

/** Node kinds that a flow can start or end at. */
typedef enum { EIC_NODE_PROCESS = 0, EIC_NODE_ACTOR, EIC_NODE_BOUNDARY } eic_node_kind;

typedef enum {
	EIC_BOUNDARY_SUPPLY_MARKET = 0,
	EIC_BOUNDARY_PRODUCT_MARKET,
	EIC_BOUNDARY_LANDFILL,
	EIC_BOUNDARY_OPEN_DUMPING,
	EIC_BOUNDARY_OPEN_BURNING,
	EIC_BOUNDARY_WATER_BODY,
	EIC_BOUNDARY_ATMOSPHERE,
	EIC_BOUNDARY_STOCK,
	EIC_BOUNDARY__N
} eic_boundary_kind;

typedef enum {
	EIC_QUALITY_MEASURED = 0,
	EIC_QUALITY_CALCULATED,
	EIC_QUALITY_ESTIMATED
} eic_data_quality;

/** A flow of a material between two nodes in one period. Node references are written
 *  as the id of a process or actor, or as "boundary:<kind>" (e.g. "boundary:landfill"). */
typedef struct {
	const char *id;
	const char *from;
	const char *to;
	const char *material;
	double quantity; /**< in `unit`, over the period (or a rate if unit is per time) */
	const char *unit;
	const char *period; /**< period id */
	double sd;          /**< absolute standard deviation in `unit`, NaN if none */
	double rel_sd;      /**< relative standard deviation (0.1 = 10%), NaN if none */
	eic_data_quality quality;
	const char *source;
	const char *notes;
} eic_flow;

typedef enum { EIC_OFFER_HAVE = 0, EIC_OFFER_WANT } eic_offer_type;
typedef enum { EIC_CONF_PRIVATE = 0, EIC_CONF_CLUSTER, EIC_CONF_PUBLIC } eic_confidentiality;

/** A have (something an actor gives out) or a want (something it takes in). */
typedef struct {
	const char *id;
	const char *actor;
	eic_offer_type type;
	const char *material;
	double quantity;     /**< typical quantity per period, in `unit` (a rate, e.g. t/yr) */
	double min_quantity; /**< NaN if not given */
	double max_quantity; /**< NaN if not given */
	const char *unit;
	const char *quality;        /**< quality notes */
	const char *available_from; /**< ISO date or "" */
	const char *available_to;   /**< ISO date or "" */
	double price;               /**< NaN if not given */
	const char *price_unit;     /**< e.g. "USD/t" */
	eic_confidentiality confidentiality;
	const char *notes;
} eic_offer;

/** A candidate shared facility (biogas plant, common effluent treatment plant, ...). */
typedef struct {
	const char *id;
	const char *name;
	const char *technology;
	double lat, lon; /**< NaN if unknown */
	const char *address;
	const char *capacity_unit; /**< unit of capacity, e.g. "t/yr" of main input */
	double lifetime_yr;        /**< NaN if unknown */
	const char *notes;
} eic_facility;

/** One capacity level of a facility with its costs. */
typedef struct {
	const char *facility;
	const char *level;  /**< level id, e.g. "small" */
	double capacity;    /**< in the facility's capacity_unit */
	double capex;       /**< capital cost in the cluster currency */
	double opex_per_yr; /**< operating cost per year in the cluster currency */
} eic_facility_level;

typedef enum { EIC_DIR_INPUT = 0, EIC_DIR_OUTPUT } eic_direction;

/** Input or output of a material per unit of facility capacity throughput. */
typedef struct {
	const char *facility;
	const char *material;
	eic_direction direction;
	double coefficient; /**< in `unit` */
	const char *unit;   /**< e.g. "t/t", "m3/t", "GJ/t" (per capacity unit basis) */
} eic_facility_coef;

/** Create an empty cluster. @param[out] out the new cluster, free with eic_cluster_free */
EIC_EXTERN int eic_cluster_new(eic_cluster **out);
EIC_EXTERN void eic_cluster_free(eic_cluster *cluster);

/** Metadata. Set copies strings; get returns a borrowed struct. */
EIC_EXTERN int eic_cluster_set_info(eic_cluster *cluster, const eic_cluster_info *info);
EIC_EXTERN const eic_cluster_info *eic_cluster_info_get(const eic_cluster *cluster);

/** Add a record (strings copied). Return 0, EIC_EEXISTS for a duplicate id, EIC_ENOMEM.
 *  References between records are not checked here: eic_cluster_check does that. */
EIC_EXTERN int eic_cluster_add_period(eic_cluster *cluster, const eic_period *rec);
EIC_EXTERN int eic_cluster_add_actor(eic_cluster *cluster, const eic_actor *rec);
EIC_EXTERN int eic_cluster_add_process(eic_cluster *cluster, const eic_process *rec);
EIC_EXTERN int eic_cluster_add_material(eic_cluster *cluster, const eic_material *rec);
EIC_EXTERN int eic_cluster_add_property(eic_cluster *cluster, const eic_property *rec);
EIC_EXTERN int eic_cluster_add_flow(eic_cluster *cluster, const eic_flow *rec);
EIC_EXTERN int eic_cluster_add_offer(eic_cluster *cluster, const eic_offer *rec);
EIC_EXTERN int eic_cluster_add_facility(eic_cluster *cluster, const eic_facility *rec);
EIC_EXTERN int eic_cluster_add_facility_level(eic_cluster *cluster, const eic_facility_level *rec);
EIC_EXTERN int eic_cluster_add_facility_coef(eic_cluster *cluster, const eic_facility_coef *rec);

/** Counts and borrowed access by index (0 <= i < count), in insertion order. */
EIC_EXTERN size_t eic_cluster_period_count(const eic_cluster *c);
EIC_EXTERN const eic_period *eic_cluster_period(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_actor_count(const eic_cluster *c);
EIC_EXTERN const eic_actor *eic_cluster_actor(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_process_count(const eic_cluster *c);
EIC_EXTERN const eic_process *eic_cluster_process(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_material_count(const eic_cluster *c);
EIC_EXTERN const eic_material *eic_cluster_material(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_property_count(const eic_cluster *c);
EIC_EXTERN const eic_property *eic_cluster_property(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_flow_count(const eic_cluster *c);
EIC_EXTERN const eic_flow *eic_cluster_flow(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_offer_count(const eic_cluster *c);
EIC_EXTERN const eic_offer *eic_cluster_offer(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_facility_count(const eic_cluster *c);
EIC_EXTERN const eic_facility *eic_cluster_facility(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_facility_level_count(const eic_cluster *c);
EIC_EXTERN const eic_facility_level *eic_cluster_facility_level(const eic_cluster *c, size_t i);
EIC_EXTERN size_t eic_cluster_facility_coef_count(const eic_cluster *c);
EIC_EXTERN const eic_facility_coef *eic_cluster_facility_coef(const eic_cluster *c, size_t i);

/** Lookup by id (hash, O(1) expected). NULL if absent. */
EIC_EXTERN const eic_period *eic_cluster_find_period(const eic_cluster *c, const char *id);
EIC_EXTERN const eic_actor *eic_cluster_find_actor(const eic_cluster *c, const char *id);
EIC_EXTERN const eic_process *eic_cluster_find_process(const eic_cluster *c, const char *id);
EIC_EXTERN const eic_material *eic_cluster_find_material(const eic_cluster *c, const char *id);
EIC_EXTERN const eic_facility *eic_cluster_find_facility(const eic_cluster *c, const char *id);
/** Property `name` of a material, NULL if absent. */
EIC_EXTERN const eic_property *eic_cluster_find_property(const eic_cluster *c, const char *material,
                                                         const char *name);

/** Resolved flow end point. */
typedef struct {
	eic_node_kind kind;
	eic_boundary_kind boundary; /**< when kind is EIC_NODE_BOUNDARY */
	const char *id;             /**< process or actor id; boundary name otherwise */
	const char
	    *actor; /**< owning actor id (for a process) or the actor itself; NULL for boundaries */
} eic_node;

/** Resolve a node reference. @return 0, or EIC_ENOTFOUND */
EIC_EXTERN int eic_cluster_resolve_node(eic_node *out, const eic_cluster *c, const char *ref);

/** Name tables for enums ("firm", "treatment_facility", "landfill", "measured", ...). */
EIC_EXTERN const char *eic_actor_kind_name(eic_actor_kind kind);
EIC_EXTERN int eic_actor_kind_parse(eic_actor_kind *out, const char *text);
EIC_EXTERN const char *eic_boundary_kind_name(eic_boundary_kind kind);
EIC_EXTERN int eic_boundary_kind_parse(eic_boundary_kind *out, const char *text);
EIC_EXTERN const char *eic_data_quality_name(eic_data_quality q);
EIC_EXTERN int eic_data_quality_parse(eic_data_quality *out, const char *text);
EIC_EXTERN const char *eic_confidentiality_name(eic_confidentiality c);
EIC_EXTERN int eic_confidentiality_parse(eic_confidentiality *out, const char *text);

/** Length of a period in days (end - start + 1), or -1 if the dates are invalid. */
EIC_EXTERN long eic_period_days(const eic_period *p);
/** Parse an ISO date YYYY-MM-DD into a day number (days since 1970-01-01). 0 ok, EIC_EINVAL. */
EIC_EXTERN int eic_date_parse(long *out_day, const char *text);

/**
 * Quantity of a flow over its period, converted to the unit `to` (e.g. "t" or "GJ").
 * A rate (t/yr) is multiplied by the period length; a plain amount is converted directly.
 * Conversions across dimensions use material properties (density for volume to mass,
 * lhv for mass to energy) and are reported through `out_via` ("density", "lhv" or "").
 * @return 0, or EIC_EUNIT if no conversion exists (missing property or dimension)
 */
EIC_EXTERN int eic_flow_amount(double *out, const char **out_via, const eic_cluster *c,
                               const eic_flow *flow, const char *to);

#ifdef __cplusplus
}
#endif
#endif
