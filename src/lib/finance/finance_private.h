/* finance_private.h: helpers shared by the finance module's files (the .c files beside it):
 * input checks that report to an optional diagnostic list, and effective-rate arithmetic. */
#ifndef EIC_FINANCE_PRIVATE_H
#define EIC_FINANCE_PRIVATE_H

#include "eic/finance.h"

#include <stddef.h>

/* Append an error to `diags` (when not NULL) and return 1, so callers can count problems:
 * `bad += eic_fin__error(diags, ...)`. */
int eic_fin__error(eic_diags *diags, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Same for a warning; returns 0 (warnings do not make a call fail). */
int eic_fin__warning(eic_diags *diags, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* 1 (and an error) unless `v` is finite and lo <= v <= hi. `what` names the input. */
int eic_fin__check_range(eic_diags *diags, const char *what, double v, double lo, double hi);
/* 1 (and an error) unless `rate` per period is > -100 % and, as a yearly rate
 * (rate x periods_per_year), at most EIC_FIN_MAX_YEARLY_RATE. */
int eic_fin__check_rate(eic_diags *diags, const char *what, double rate, int periods_per_year);
/* 1 unless all n values are finite. */
int eic_fin__all_finite(const double *v, size_t n);

/* Periodic rate, APR and EAR from an IRR result: sets *has to 1 when the IRR is unique. */
void eic_fin__effective_rates(int *has, double *periodic, double *apr, double *ear,
                              const eic_fin_irr *irr, int periods_per_year);

/* Annuity payment of `principal` over n periods at `rate` (rate 0: principal / n). */
double eic_fin__annuity(double principal, double rate, int n);

/* ---- project files, facilities and the comparison (project_file.c, facility.c) ---- */

#include "util/util.h"

/* A project with its financing options. Every string and array is in `arena`. */
struct eic_fin_case {
	eic_arena arena;
	eic_fin_project project;
	eic_fin_options options;
	double min_reserve;
	const char *currency;    /* "" when not given */
	const char *energy_unit; /* "" when not given */
	eic_vec fin_options;     /* eic_fin_option */
	int options_default;     /* fin_options are the built-in defaults */
	int complete;            /* revenue or avoided cost known */
	eic_vec missing, notes;  /* const char * in the arena */
};

/* A new empty case (project and options at their *_INIT values, life 0). */
int eic_fin__case_new(eic_fin_case **out);
/* Append a note or a missing item (printf-formatted, copied into the arena). */
int eic_fin__case_note(eic_fin_case *c, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int eic_fin__case_missing(eic_fin_case *c, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Parse a JSON array of financing options (text, no locations: the built-in defaults) and
 * append them to the case. Returns 0, EIC_EINVALID, EIC_ENOMEM. */
int eic_fin__case_add_options_json(eic_fin_case *c, eic_diags *diags, const char *name,
                                   const char *json_text);
/* The built-in default options (JSON array text, documented in docs/cli/finance.md). */
extern const char eic_fin__default_options_json[];

/* Money as text with thousands separators and 3-4 significant figures ("12,300"). */
void eic_fin__fmt_money(char *buf, size_t size, double v);

#endif
