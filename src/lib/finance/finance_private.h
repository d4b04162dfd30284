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

#endif
