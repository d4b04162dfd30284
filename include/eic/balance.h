/* eic/balance.h: mass and energy balances per process, per actor and for the whole cluster.
 * Ownership: eic_balance_compute hands a result freed by eic_balance_free; rows and notes are
 * borrowed from it. Method: docs/methods/balance.md. */
#ifndef EIC_BALANCE_H
#define EIC_BALANCE_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { EIC_SCOPE_PROCESS = 0, EIC_SCOPE_ACTOR, EIC_SCOPE_CLUSTER } eic_balance_scope;

/** One balance line. Mass in the cluster mass unit, energy in the cluster energy unit,
 *  over the chosen period(s). Imbalance = in - out - stock_change; rel = |imbalance| / max(in,
 * out). */
typedef struct {
	eic_balance_scope scope;
	const char *id; /**< process or actor id, or the cluster id */
	const char *name;
	const char *actor;    /**< owning actor for a process, else NULL */
	const char *material; /**< NULL in an aggregate row; the material in a by-material row */
	double mass_in, mass_out, mass_stock;
	double mass_imbalance, mass_rel; /**< rel is NaN when in and out are both 0 */
	double energy_in, energy_out, energy_stock;
	double energy_imbalance, energy_rel;
	size_t flow_count;    /**< flows touching this node (and counted) */
	size_t skipped_count; /**< flows not convertible to mass or energy */
} eic_balance_row;

/** What leaves or enters the cluster by boundary kind (mass and energy). */
typedef struct {
	eic_boundary_kind boundary;
	double mass_in,
	    mass_out; /**< into the cluster from the boundary, out of the cluster to it */
	double energy_in, energy_out;
} eic_boundary_row;

typedef struct eic_balance eic_balance;

typedef struct {
	unsigned version;
	const char *period; /**< a period id, or NULL for all periods summed */
	int by_material;    /**< also one row per (scope, material): eic_balance_material_row_at */
} eic_balance_options;
#define EIC_BALANCE_OPTIONS_VERSION 1
#define EIC_BALANCE_OPTIONS_INIT                                                                   \
	{                                                                                          \
		EIC_BALANCE_OPTIONS_VERSION, NULL, 0                                               \
	}

/**
 * Compute balances. Each flow is converted to the cluster's mass unit when its unit is a
 * mass (or a volume with a density property), and to the energy unit when it is an energy
 * (or a mass with an lhv property, counted in the energy balance as well). Conversions made
 * and flows that could not be counted are listed as notes. O(flows + nodes).
 * @return 0, EIC_ENOTFOUND (unknown period), EIC_ENOMEM
 */
EIC_EXTERN int eic_balance_compute(eic_balance **out, const eic_cluster *cluster,
                                   const eic_balance_options *opts);
EIC_EXTERN void eic_balance_free(eic_balance *balance);

EIC_EXTERN size_t eic_balance_row_count(const eic_balance *b);
/** Rows: processes first (input order), then actors, then one cluster row last. */
EIC_EXTERN const eic_balance_row *eic_balance_row_at(const eic_balance *b, size_t i);
/** By-material rows (only with options.by_material): for each aggregate row in order, one
 *  row per material that crosses its scope, materials in the order first met; `material`
 *  is set. Mass and energy are in the same units as the aggregate rows. */
EIC_EXTERN size_t eic_balance_material_row_count(const eic_balance *b);
EIC_EXTERN const eic_balance_row *eic_balance_material_row_at(const eic_balance *b, size_t i);
EIC_EXTERN size_t eic_balance_boundary_count(const eic_balance *b);
EIC_EXTERN const eic_boundary_row *eic_balance_boundary(const eic_balance *b, size_t i);
/** Notes: "flow F: 120 m3 of water counted as 96 t by density 0.8 t/m3", "flow G: skipped (count)".
 */
EIC_EXTERN size_t eic_balance_note_count(const eic_balance *b);
EIC_EXTERN const char *eic_balance_note(const eic_balance *b, size_t i);

#ifdef __cplusplus
}
#endif
#endif
