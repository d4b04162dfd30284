/* rating_private.h: the in-memory form of a rating scheme (docs/rating.md) shared by the
 * scheme reader (scheme.c) and the evaluator (evaluate.c). */
#ifndef EIC_RATING_PRIVATE_H
#define EIC_RATING_PRIVATE_H

#include <eic/rating.h>

#include "util/util.h"

typedef enum {
	RK_GATE = 0,
	RK_LABEL,
	RK_POINTS,
	RK_SUM,
	RK_MAX_DOMINANT,
	RK_BANDS,
	RK_PERCENTILE,
	RK_REQUIREMENT,
	RK_VERDICT,
	RK__N
} eic_rk;

typedef enum { OP_IS = 0, OP_ABOVE, OP_BELOW, OP_AT_LEAST, OP_AT_MOST } eic_rop;

typedef struct {
	const char *input;
	eic_rop op;
	int is_value; /* OP_IS: the boolean that makes the condition hold */
	double threshold;
	const char *because; /* never NULL */
} eic_rcond;

typedef struct {
	double at_least;
	double points;
} eic_rstep;

typedef struct {
	const char **refs; /* product of these */
	int ref_count;
	double weight;
} eic_rterm;

typedef struct {
	int has_at_least; /* 0: catch-all (last band only) */
	double at_least;
	const char *label;
} eic_rband;

typedef struct {
	eic_rk kind;
	const char *id;
	const char **when_label; /* NULL: always applies */
	int when_count;
	const char *label; /* gate, label, percentile */
	const char *because;
	/* gate */
	eic_rcond *conds;
	int cond_count;
	int match_all;
	int stop;
	/* points */
	const char *input;
	int has_max;
	double max_points;
	eic_rstep *steps;
	int step_count;
	/* sum */
	eic_rterm *terms;
	int term_count;
	/* max_dominant */
	const char **of;
	int of_count;
	double scale;
	/* bands, percentile */
	const char *value;
	eic_rband *bands;
	int band_count;
	double best_share;
	int higher_is_better;
	/* requirement */
	const char *category;
	const char *level;
	const char *text;
	const char *evidence;
	/* verdict */
	const char *pass_label;
	const char *fail_label;
} eic_rrule;

struct eic_rating_scheme {
	eic_arena arena;
	const char *id;
	const char *name;
	const char *source;
	eic_rrule *rules;
	int rule_count;
	eic_map rule_index; /* id -> index */
};

const char *eic_rating__kind_name(eic_rk kind);
/* Index of the rule with id `name`, or -1. */
int eic_rating__rule_find(const eic_rating_scheme *s, const char *name);

#endif
