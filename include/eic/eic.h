/* eic/eic.h: the whole public API of the eic library in one include.
 * Ownership rules are stated at the top of each module header. */
#ifndef EIC_EIC_H
#define EIC_EIC_H

#include "common.h"
#include "units.h"
#include "model.h"
#include "io.h"
#include "store.h"
#include "balance.h"
#include "report.h"
#include "network.h"
#include "circularity.h"
#include "sankey.h"
#include "reconcile.h"
#include "kb.h"
#include "match.h"
#include "solver.h"
#include "optimize.h"
#include "synergy.h"
#include "spatial.h"
#include "finance.h"
#include "impact.h"
#include "scenario.h"
#include "rating.h"
#include "measure.h"
#include "credit.h"
#include "benchmark.h"
#include "indicators.h"

#endif
