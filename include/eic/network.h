/* eic/network.h: flow networks (compartments, internal flows, inputs, exports, dissipation)
 * built from a cluster or read from a SCOR file, and ecological network analysis (ENA) of them
 * with enaR's names. Ownership: eic_network_* and eic_ena_compute hand objects freed by
 * eic_network_free / eic_ena_free; names, values and notes are borrowed from their object.
 * Method: docs/methods/network.md. */
#ifndef EIC_NETWORK_H
#define EIC_NETWORK_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A flow network: n compartments, flows i -> j, and per compartment an input z (from
 *  outside), an export and a dissipation (respiration); output y = export + dissipation. */
typedef struct eic_network eic_network;

/** Hard cap on compartments of one network (SCOR files and clusters). */
#define EIC_NETWORK_MAX_NODES 1000000

/** An empty network. @param[out] out the network, free with eic_network_free */
EIC_EXTERN int eic_network_new(eic_network **out);
EIC_EXTERN void eic_network_free(eic_network *net);

/** Add a compartment (name copied). @param[out] out_index its index (0-based), may be NULL.
 *  @return 0, EIC_ENOMEM (also past EIC_NETWORK_MAX_NODES) */
EIC_EXTERN int eic_network_add_node(eic_network *net, const char *name, size_t *out_index);
/** Add `amount` to the flow from -> to (repeated flows are summed; from == to is a
 *  self-loop). @return 0, EIC_EINVAL (bad index, negative or non-finite amount), EIC_ENOMEM */
EIC_EXTERN int eic_network_add_flow(eic_network *net, size_t from, size_t to, double amount);
/** Add to a compartment's input z, export or dissipation. Same returns as add_flow. */
EIC_EXTERN int eic_network_add_input(eic_network *net, size_t node, double amount);
EIC_EXTERN int eic_network_add_export(eic_network *net, size_t node, double amount);
EIC_EXTERN int eic_network_add_dissipation(eic_network *net, size_t node, double amount);

EIC_EXTERN size_t eic_network_node_count(const eic_network *net);
EIC_EXTERN const char *eic_network_node_name(const eic_network *net, size_t i);
/** Title of the network (SCOR first line, or the cluster id), "" if none. */
EIC_EXTERN const char *eic_network_title(const eic_network *net);
/** Unit of the amounts ("t" for a cluster, "" when unknown, as for SCOR files). */
EIC_EXTERN const char *eic_network_unit(const eic_network *net);
/** Notes made while building (flows left out, conversions). */
EIC_EXTERN size_t eic_network_note_count(const eic_network *net);
EIC_EXTERN const char *eic_network_note(const eic_network *net, size_t i);

/**
 * Parse a SCOR file (the format of NETWRK and enaR's read.scor): a title line; "n n_living";
 * n compartment names; then five blocks of "i value" (storage, input, export, respiration)
 * and "i j value" (flows) lines, each ended by a line "-1". Numbers may use Fortran
 * exponents without E ("1.5-3"). Every problem goes to `diags` as file:line:column with
 * what was expected and what was found.
 * @param[out] out the network (NULL on error)
 * @param name file name used in diagnostics
 * @return 0, EIC_EPARSE (see diags), EIC_ENOMEM
 */
EIC_EXTERN int eic_network_parse_scor(eic_network **out, eic_diags *diags, const char *name,
                                      const char *text, size_t len);
/** Read and parse a SCOR file. @return as parse_scor, or EIC_EIO (diagnostic added) */
EIC_EXTERN int eic_network_read_scor(eic_network **out, eic_diags *diags, const char *path);

typedef struct {
	unsigned version;
	const char *period; /**< a period id, or NULL for all periods summed */
} eic_network_options;
#define EIC_NETWORK_OPTIONS_VERSION 1
#define EIC_NETWORK_OPTIONS_INIT                                                                   \
	{                                                                                          \
		EIC_NETWORK_OPTIONS_VERSION, NULL                                                  \
	}

/**
 * The mass-flow network of a cluster: compartments are the processes and actors that are
 * ends of flows counted; a flow between two of them is an internal flow; a flow from any
 * boundary node (supply market, stock withdrawal, ...) is an input; a flow to the product
 * market or to stock is an export; to landfill, open dumping, open burning, a water body or
 * the atmosphere a dissipation. Amounts in the cluster mass unit (eic_flow_amount); flows
 * with no mass conversion, with unknown nodes or between two boundary nodes are left out
 * with a note. O(flows).
 * @return 0, EIC_ENOTFOUND (unknown period), EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_network_from_cluster(eic_network **out, const eic_cluster *cluster,
                                        const eic_network_options *opts);

/** One index: enaR's name, its value, or why it is undefined (value NaN, reason set). */
typedef struct {
	const char *name;    /**< "TST", "FCI", "ASC.CAP", ... */
	double value;        /**< NaN when undefined */
	const char *reason;  /**< NULL when defined */
	const char *meaning; /**< one line in plain words */
} eic_ena_value;

typedef struct eic_ena eic_ena;

typedef struct {
	unsigned version;
	size_t dense_max;    /**< strong components up to this size use dense LAPACK; 0: 400 */
	double tolerance;    /**< relative tolerance of the power iteration; 0: 1e-12 */
	long max_iterations; /**< of the power iteration; 0: 100000 */
} eic_ena_options;
#define EIC_ENA_OPTIONS_VERSION 1
#define EIC_ENA_OPTIONS_INIT                                                                       \
	{                                                                                          \
		EIC_ENA_OPTIONS_VERSION, 0, 0.0, 0                                                 \
	}

/**
 * Ecological network analysis as enaR's enaStructure, enaFlow and enaAscendency: n, L, C,
 * C.nn1, LD, lam1A, no.scc, no.scc.big, pscc, Boundary, TST, TSTp, APL, FCI, BFI, DFI, IFI,
 * AMI, ASC, OH, CAP, ASC.CAP. Throughflow is input-oriented (inflows + input), as enaR.
 * The network is split into strong components; each is solved densely (LAPACK) up to
 * dense_max compartments and with a sparse LU (CXSparse) and power iteration beyond.
 * An index that cannot be computed (empty network, no input, singular I - G, ...) is a
 * result: value NaN with a reason. Notes diagnose unbalanced or disconnected compartments.
 * @return 0, EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_ena_compute(eic_ena **out, const eic_network *net, const eic_ena_options *opts);
EIC_EXTERN void eic_ena_free(eic_ena *ena);

EIC_EXTERN size_t eic_ena_value_count(const eic_ena *ena);
EIC_EXTERN const eic_ena_value *eic_ena_value_at(const eic_ena *ena, size_t i);
/** The index named `name`, NULL if there is none. */
EIC_EXTERN const eic_ena_value *eic_ena_get(const eic_ena *ena, const char *name);
/** True when every compartment's inflow + input equals its outflow + output (rel. 1e-3). */
EIC_EXTERN int eic_ena_balanced(const eic_ena *ena);
/** "dense", "sparse" or "mixed": how the strong components were solved. */
EIC_EXTERN const char *eic_ena_method(const eic_ena *ena);
EIC_EXTERN size_t eic_ena_note_count(const eic_ena *ena);
EIC_EXTERN const char *eic_ena_note(const eic_ena *ena, size_t i);

#ifdef __cplusplus
}
#endif
#endif
