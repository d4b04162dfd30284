/* credit_private.h: the in-memory form of a credit rules file (docs/rating.md, "Credit
 * linkage"), shared by the reader (credit_rules.c) and the evaluator (credit.c). */
#ifndef EIC_CREDIT_PRIVATE_H
#define EIC_CREDIT_PRIVATE_H

#include <eic/credit.h>

#include "util/util.h"

typedef enum { CC_RATING = 0, CC_INDICATOR, CC_RULE } eic_ccond_kind;
typedef enum { CO_ABOVE = 0, CO_BELOW, CO_AT_LEAST, CO_AT_MOST } eic_cop;

typedef struct {
	eic_ccond_kind kind;
	const char *name;    /* scheme id, indicator name or rule id */
	const char **labels; /* CC_RATING: the labels that satisfy it */
	int label_count;
	eic_cop op; /* CC_INDICATOR */
	double threshold;
	int rule_index; /* CC_RULE: index of the referenced rule (-1 before resolution) */
	int is_value;   /* CC_RULE: 1 the rule must match, 0 it must not */
} eic_ccond;

typedef struct {
	const char *id;
	const char *because; /* "" when not given */
	eic_ccond *conds;
	int cond_count;
	int match_any;
	int eligible;
	double rate_discount_pp; /* NaN: not given */
	double guarantee_share;  /* NaN: not given */
	double max_tenor_years;  /* NaN: not given */
} eic_crule;

struct eic_credit_rules {
	eic_arena arena;
	const char *id, *name, *source;
	int cumulative;
	eic_crule fallback; /* the "default" table (id "default") */
	double max_rate_discount_pp;
	double max_guarantee_share;
	double max_tenor_years; /* NaN: no limit */
	eic_crule *rules;
	int rule_count;
	eic_map rule_index; /* id -> index, keys in the arena */
};

#endif
