/* eic/circularity.h: circularity of a cluster: for each output of each process or actor the
 * share reused inside the cluster, the cluster's circularity rates, and the Material
 * Circularity Indicator (Ellen MacArthur Foundation & Granta Design 2015) of its products
 * where the data allow. Ownership: eic_circularity_compute hands a result freed by
 * eic_circularity_free; rows and strings are borrowed from it. Method:
 * docs/methods/circularity.md. */
#ifndef EIC_CIRCULARITY_H
#define EIC_CIRCULARITY_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Inputs of the MCI of one product (EMF & Granta 2015, Circularity Indicators:
 *  Methodology). Fractions in [0, 1]; F_R + F_U <= 1 and C_R + C_U <= 1. */
typedef struct {
	double mass; /**< M, mass of the product (> 0) */
	double fr;   /**< F_R, fraction of feedstock from recycled sources */
	double fu;   /**< F_U, fraction of feedstock from reuse */
	double cr;   /**< C_R, fraction collected for recycling after use */
	double cu;   /**< C_U, fraction going to component reuse */
	double ef;   /**< E_F, efficiency of recycling the feedstock (needed if F_R > 0) */
	double ec;   /**< E_C, efficiency of recycling after use (needed if C_R > 0) */
	double lifetime_ratio; /**< L/L_av, lifetime over the industry average (> 0) */
	double utility_ratio;  /**< U/U_av, functional units over the industry average (> 0) */
} eic_mci_inputs;

/** The intermediate quantities and the MCI, named as in the methodology. */
typedef struct {
	double v;   /**< virgin feedstock M(1 - F_R - F_U) */
	double w0;  /**< waste to landfill or energy recovery M(1 - C_R - C_U) */
	double wf;  /**< waste from recycling the feedstock M(1 - E_F) F_R / E_F */
	double wc;  /**< waste from recycling after use M(1 - E_C) C_R */
	double w;   /**< unrecoverable waste W0 + (W_F + W_C)/2 */
	double lfi; /**< linear flow index (V + W) / (2M + (W_F - W_C)/2) */
	double x;   /**< utility (L/L_av)(U/U_av) */
	double fx;  /**< F(X) = 0.9/X */
	double mci; /**< max(0, 1 - LFI F(X)) */
} eic_mci_result;

/**
 * Material Circularity Indicator of one product. E_F may be NaN when F_R is 0 and E_C when
 * C_R is 0 (they do not enter then).
 * @return 0, or EIC_EINVAL when an input is missing or out of range (nothing written)
 */
EIC_EXTERN int eic_mci_compute(eic_mci_result *out, const eic_mci_inputs *in);

/** Names of the material properties that carry MCI inputs in a cluster package, in the
 *  order of eic_mci_inputs after mass: "mci_fr", "mci_fu", "mci_cr", "mci_cu", "mci_ef",
 *  "mci_ec", "mci_lifetime_ratio", "mci_utility_ratio". */
EIC_EXTERN const char *eic_mci_property_name(size_t i);
#define EIC_MCI_PROPERTY_COUNT 8

/** One output of one node: a material leaving a process or actor, in the cluster mass unit. */
typedef struct {
	const char *node;     /**< process or actor id the flows leave */
	const char *actor;    /**< owning actor (the actor itself for an actor node) */
	const char *material; /**< material id */
	double total;         /**< everything of this material leaving the node */
	double inside;        /**< to another process or actor of the cluster (reused inside) */
	double product;       /**< to the product market */
	double stock;         /**< to stock */
	double loss;        /**< to landfill, open dumping, open burning, water body, atmosphere */
	double reuse_share; /**< inside / total; NaN when total is 0 */
} eic_circularity_row;

/** MCI status of one product of the cluster (a material sold to the product market). */
typedef struct {
	const char *material;
	double mass;           /**< M: mass sold to the product market over the period(s) */
	int computed;          /**< 1 when every needed input was found */
	eic_mci_inputs inputs; /**< inputs found (NaN for missing ones) */
	eic_mci_result result; /**< when computed */
	const char *missing;   /**< when not computed: the missing or invalid inputs, "" else */
} eic_circularity_mci;

typedef struct eic_circularity eic_circularity;

typedef struct {
	unsigned version;
	const char *period; /**< a period id, or NULL for all periods summed */
} eic_circularity_options;
#define EIC_CIRCULARITY_OPTIONS_VERSION 1
#define EIC_CIRCULARITY_OPTIONS_INIT                                                               \
	{                                                                                          \
		EIC_CIRCULARITY_OPTIONS_VERSION, NULL                                              \
	}

/**
 * Circularity of a cluster. Flows are converted to the cluster mass unit (eic_flow_amount);
 * flows that are not masses are left out and counted. O(flows) expected.
 * @return 0, EIC_ENOTFOUND (unknown period), EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_circularity_compute(eic_circularity **out, const eic_cluster *cluster,
                                       const eic_circularity_options *opts);
EIC_EXTERN void eic_circularity_free(eic_circularity *circ);

/** Rows in order of first appearance of (node, material) among the flows. */
EIC_EXTERN size_t eic_circularity_row_count(const eic_circularity *circ);
EIC_EXTERN const eic_circularity_row *eic_circularity_row_at(const eic_circularity *circ, size_t i);

/** Cluster totals, in the cluster mass unit. */
typedef struct {
	double output_total;  /**< all outputs of all processes and actors */
	double inside_total;  /**< of which to another process or actor (reused inside) */
	double input_outside; /**< mass entering the cluster from boundary nodes */
	double rate;          /**< circularity rate inside_total / output_total; NaN if no output */
	double cmu;           /**< circular material use rate inside / (inside + input_outside) */
	size_t skipped;       /**< flows left out (not a mass, unknown node, self-flow) */
	const char *unit;
} eic_circularity_totals;

EIC_EXTERN const eic_circularity_totals *eic_circularity_totals_get(const eic_circularity *circ);

/** Products (materials to the product market), in order of first appearance. */
EIC_EXTERN size_t eic_circularity_mci_count(const eic_circularity *circ);
EIC_EXTERN const eic_circularity_mci *eic_circularity_mci_at(const eic_circularity *circ, size_t i);

#ifdef __cplusplus
}
#endif
#endif
