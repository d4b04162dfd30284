/* model_private.h: library-internal entry points of the model, for readers that already hold
 * a record's strings in one block: copy the block once into the cluster, add without copies. */
#ifndef EIC_MODEL_PRIVATE_H
#define EIC_MODEL_PRIVATE_H

#include <eic/model.h>

/* Copy `len` bytes into the cluster's arena (strings there live as long as the cluster). */
char *eic_model__copy_bytes(eic_cluster *c, const char *data, size_t len);

/* Add a flow whose strings already live in the cluster (from eic_model__copy_bytes, or ""),
 * without copying them. Same contract as eic_cluster_add_flow otherwise. */
int eic_model__add_flow_owned(eic_cluster *c, const eic_flow *flow);

#endif
