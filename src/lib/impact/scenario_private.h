/* scenario_private.h: the parsed scenario (settings, material mapping, BAU changes and
 * alternatives) shared by the scenario reader, the derivation rule and the evaluator. */
#ifndef EIC_SCENARIO_PRIVATE_H
#define EIC_SCENARIO_PRIVATE_H

#include <string.h>

#include <eic/scenario.h>

#include "util/util.h"

typedef enum {
	SC_REROUTE = 0, /* a share of a flow goes elsewhere */
	SC_SET,         /* a flow's quantity changes (cleaner production) */
	SC_ADD,         /* a new flow */
	SC_FACILITY,    /* a facility is opened at a level */
	SC_MATCH,       /* a have offer matched with a want offer */
	SC_EXCHANGE,    /* a synergy: material from one actor to another */
} sc_kind;

typedef struct {
	sc_kind kind;
	const char *flow;     /* reroute, set */
	const char *from;     /* add, exchange (actor/process ref) */
	const char *to;       /* reroute, add, exchange: node ref or "facility:<id>" */
	const char *material; /* add, exchange */
	const char *id;       /* add: new flow id */
	double quantity;      /* set, add, match, exchange; NaN: default */
	double low, high;     /* set, add: triangular range of the quantity (NaN: none) */
	double rel_sd;        /* set, add: relative standard deviation (NaN: none) */
	const char *unit;     /* add, exchange */
	double share;         /* reroute, default 1 */
	double distance_km;   /* transport, NaN none */
	const char *mode;     /* transport mode, default "truck" */
	const char *facility; /* facility */
	const char *level;    /* facility */
	const char *have;     /* match: offer ids */
	const char *want;
	int replaces_virgin; /* match, exchange: default 1 */
	double jobs;         /* facility: stated jobs (NaN: from factors) */
	const char *jobs_source;
	const char *jobs_pathway; /* jobs_per_kt key for the material moved or handled */
	const char *note;
} sc_change;

typedef struct {
	const char *id;
	const char *name;
	const char *description;
	eic_vec changes; /* sc_change */
} sc_alt;

typedef struct {
	const char *material;
	const char *waste_type; /* landfill, dumping, burning, biological treatment */
	const char *fuel;       /* combustion */
} sc_matmap;

typedef struct {
	const char *node;
	const char *fuel;   /* NULL: from the material map */
	const char *sector; /* NULL: the scenario's */
} sc_burner;

typedef struct {
	const char *node;
	eic_vec materials; /* const char *; empty: energy carriers */
} sc_recovery;

typedef struct {
	const char *fate; /* "landfill", "open_dumping", ... */
	double value;     /* per unit */
	const char *unit; /* "USD/t" */
	const char *source;
} sc_fee;

typedef struct {
	const char *material;
	double value;
	const char *unit; /* "USD/m3" */
	const char *source;
} sc_price;

struct eic_scenario {
	eic_arena arena;
	const eic_cluster *cluster;
	const char *file;
	const char *name, *description, *sources;
	int derived;
	/* settings */
	const char *climate_zone; /* NULL: none given */
	const char *gwp_set;
	size_t horizon_years;
	int timing;
	const char *landfill_site, *dump_site, *cover;
	const char *sector;       /* combustion sector */
	const char *grid;         /* grid electricity key, NULL none */
	const char *period;       /* period evaluated, NULL: the one with most flows */
	size_t years;             /* appraisal */
	double discount_rate;     /* appraisal */
	const char *per_flow;     /* per-unit figures: reference flow, or */
	const char *per_material; /* material sold to the product market (NULL: absolute) */
	const char *per_unit;     /* unit of the reference quantity, NULL: "t" */
	eic_vec matmap;           /* sc_matmap */
	eic_vec burners;          /* sc_burner */
	eic_vec recovery;         /* sc_recovery */
	eic_vec fees;             /* sc_fee */
	eic_vec prices;           /* sc_price */
	eic_vec notes;            /* const char *: notes of the derivation */
	sc_alt bau;
	eic_vec alts; /* sc_alt */
};

/* A streaming estimate of the p-quantile (P-square; scenario_quantile.c): 5 marker heights
 * h, actual positions n, desired positions want and their increments step. */
typedef struct {
	double p;
	size_t count;
	double h[5], n[5], want[5], step[5];
} eic_p2;
void eic_scenario__p2_init(eic_p2 *q, double p);
void eic_scenario__p2_add(eic_p2 *q, double x);
double eic_scenario__p2_value(const eic_p2 *q);

int eic_scenario__new(eic_scenario **out, const eic_cluster *cluster);
/* Default waste type and fuel of a material by its id and catalogue category (NULL: none). */
const char *eic_scenario__default_waste_type(const eic_material *m);
const char *eic_scenario__default_fuel(const eic_material *m);

/* The waste type of material `m` under scenario `s` (NULL: defaults only): the scenario's
 * 'materials' mapping, else the default by category (NULL: none). Used by the evaluator and
 * shared with the optimiser (src/lib/symbiosis/optimize_impact.c). */
const char *eic_scenario__waste_type(const eic_scenario *s, const eic_material *m);

/* The period a scenario evaluates: the scenario's, else the cluster period with most flows (the
 * last on ties); NULL when the cluster has no period. Used by the evaluator and
 * shared with the optimiser. */
const char *eic_scenario__period(const eic_cluster *c, const eic_scenario *s);

#endif
