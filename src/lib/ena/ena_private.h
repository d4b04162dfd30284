/* ena_private.h: internals shared by the files of the ENA module (network.c, ena.c,
 * circularity.c): the network's storage and small helpers. */
#ifndef EIC_ENA_PRIVATE_H
#define EIC_ENA_PRIVATE_H

#include <eic/network.h>

#include "util/util.h"

/* One flow as added: from -> to, amount >= 0; `line` is its SCOR line (0 otherwise). */
typedef struct {
	size_t from, to;
	double amount;
	int line;
} eic_ena__flow;

/* Boundary amounts of one compartment. */
typedef struct {
	double input, export_, dissipation;
} eic_ena__bound;

struct eic_network {
	eic_arena arena; /* names, title, unit, notes */
	eic_vec names;   /* const char *, one per compartment */
	eic_vec bounds;  /* eic_ena__bound, one per compartment */
	eic_vec flows;   /* eic_ena__flow, in the order added (repeats allowed) */
	eic_vec notes;   /* const char * */
	const char *title;
	const char *unit;
};

/* qsort comparator of flows by (from, to, line). */
int eic_ena__flow_cmp(const void *a, const void *b);
/* True for the boundary kinds whose inflows a cluster network counts as exports (product
 * market, stock); the others (landfill, dumping, burning, water, air) are dissipation. */
int eic_ena__is_export_boundary(eic_boundary_kind kind);

#endif
