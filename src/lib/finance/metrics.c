/* metrics.c: appraisal metrics of a cash-flow series (NPV, every IRR by bracketed root finding,
 * MIRR, paybacks, benefit-cost ratio, LCOE) and the death valley (docs/methods/finance.md). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finance_private.h"
#include "util/util.h"

/* ---- helpers shared with the other finance files ---------------------------------------- */

static int vdiag(eic_diags *diags, eic_severity sev, const char *fmt, va_list ap)
{
	if (!diags)
		return 0;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return eic_diags_add(diags, sev, "", 0, 0, "%s", msg);
}

int eic_fin__error(eic_diags *diags, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)vdiag(diags, EIC_SEV_ERROR, fmt, ap);
	va_end(ap);
	return 1;
}

int eic_fin__warning(eic_diags *diags, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)vdiag(diags, EIC_SEV_WARNING, fmt, ap);
	va_end(ap);
	return 0;
}

int eic_fin__check_range(eic_diags *diags, const char *what, double v, double lo, double hi)
{
	if (!isfinite(v))
		return eic_fin__error(diags, "%s: not a finite number", what);
	if (v < lo || v > hi)
		return eic_fin__error(diags, "%s = %g is outside the plausible range [%g, %g]",
		                      what, v, lo, hi);
	return 0;
}

int eic_fin__check_rate(eic_diags *diags, const char *what, double rate, int periods_per_year)
{
	if (!isfinite(rate))
		return eic_fin__error(diags, "%s: not a finite number", what);
	if (rate <= -1.0)
		return eic_fin__error(diags, "%s = %g: a rate must be above -100%%", what, rate);
	double yearly = rate * (periods_per_year > 0 ? periods_per_year : 1);
	if (yearly > EIC_FIN_MAX_YEARLY_RATE)
		return eic_fin__error(
		    diags, "%s = %g per period (%g%%/yr) is above %g%%/yr: not plausible", what,
		    rate, 100.0 * yearly, 100.0 * EIC_FIN_MAX_YEARLY_RATE);
	return 0;
}

int eic_fin__all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

void eic_fin__effective_rates(int *has, double *periodic, double *apr, double *ear,
                              const eic_fin_irr *irr, int periods_per_year)
{
	*has = irr->status == EIC_FIN_IRR_UNIQUE;
	*periodic = *has ? irr->rate : 0.0;
	*apr = *has ? irr->rate * periods_per_year : 0.0;
	*ear = *has ? pow(1.0 + irr->rate, periods_per_year) - 1.0 : 0.0;
}

double eic_fin__annuity(double principal, double rate, int n)
{
	if (n <= 0)
		return principal;
	if (fabs(rate) < 1e-15)
		return principal / n;
	return principal * rate / (1.0 - pow(1.0 + rate, -(double)n));
}

/* ---- NPV and IRR --------------------------------------------------------------------------- */

/* NPV by Horner's rule in x = 1 / (1 + r): cf[0] + x (cf[1] + x (cf[2] + ...)). O(n). */
static double npv_at(const double *cf, size_t n, double rate)
{
	double x = 1.0 / (1.0 + rate);
	double acc = 0.0;
	for (size_t i = n; i-- > 0;)
		acc = acc * x + cf[i];
	return acc;
}

int eic_fin_npv(double *out, const double *cf, size_t n, double rate)
{
	if (!out || (!cf && n > 0) || !isfinite(rate) || rate <= -1.0 ||
	    !eic_fin__all_finite(cf, n))
		return EIC_EINVAL;
	*out = npv_at(cf, n, rate);
	return 0;
}

/* Brent's method (Brent 1973, "zeroin") for NPV(r) = 0 on [a, b] with fa, fb of opposite
 * signs. Converges to |b - a| <= 2e-16|b| + 1e-13 or 200 iterations. */
static double brent(const double *cf, size_t n, double a, double b, double fa, double fb)
{
	double c = a, fc = fa, d = b - a, e = d;
	for (int iter = 0; iter < 200; iter++) {
		if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
			c = a;
			fc = fa;
			d = e = b - a;
		}
		if (fabs(fc) < fabs(fb)) {
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		double tol = 2.0 * 2.2e-16 * fabs(b) + 0.5e-13;
		double m = 0.5 * (c - b);
		if (fabs(m) <= tol || fb == 0.0)
			return b;
		if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
			double s = fb / fa, p, q;
			if (a == c) {
				p = 2.0 * m * s;
				q = 1.0 - s;
			} else {
				double qq = fa / fc, r = fb / fc;
				p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
				q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
			}
			if (p > 0)
				q = -q;
			else
				p = -p;
			if (2.0 * p < 3.0 * m * q - fabs(tol * q) && p < fabs(0.5 * e * q)) {
				e = d;
				d = p / q;
			} else {
				d = m;
				e = m;
			}
		} else {
			d = m;
			e = m;
		}
		a = b;
		fa = fb;
		b += fabs(d) > tol ? d : (m > 0 ? tol : -tol);
		fb = npv_at(cf, n, b);
	}
	return b;
}

static void add_root(eic_fin_irr *out, double r)
{
	if (out->root_count > 0 && out->root_count <= EIC_FIN_IRR_MAX_ROOTS &&
	    fabs(out->roots[out->root_count - 1] - r) <= 1e-10 * (1.0 + fabs(r)))
		return; /* the same root met twice (a grid point and the next bracket) */
	if (out->root_count < EIC_FIN_IRR_MAX_ROOTS)
		out->roots[out->root_count] = r;
	out->root_count++;
}

/* Look for two roots hidden between three grid points whose NPV has the same sign s with the
 * middle one closest to zero (NPV dips towards zero and may cross it twice between grid
 * points). Golden-section search for the minimum of s x NPV on [a, b]; stops as soon as the
 * sign flips, then solves both brackets. A minimum of exactly 0 is a double root. */
static void dip(eic_fin_irr *out, const double *cf, size_t n, double a, double b, double s)
{
	const double g = 0.6180339887498949;
	double lo = a, hi = b;
	double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
	double f1 = s * npv_at(cf, n, x1), f2 = s * npv_at(cf, n, x2);
	for (int iter = 0; iter < 60 && f1 > 0 && f2 > 0; iter++) {
		if (f1 < f2) {
			hi = x2;
			x2 = x1;
			f2 = f1;
			x1 = hi - g * (hi - lo);
			f1 = s * npv_at(cf, n, x1);
		} else {
			lo = x1;
			x1 = x2;
			f1 = f2;
			x2 = lo + g * (hi - lo);
			f2 = s * npv_at(cf, n, x2);
		}
	}
	double m = f1 <= f2 ? x1 : x2, fm = f1 <= f2 ? f1 : f2;
	if (fm > 0)
		return;
	if (fm == 0) {
		add_root(out, m);
		return;
	}
	double fa = npv_at(cf, n, a), fb = npv_at(cf, n, b), fmv = s * fm;
	add_root(out, brent(cf, n, a, m, fa, fmv));
	add_root(out, brent(cf, n, m, b, fmv, fb));
}

/* Scan `points` rates uniform in ln(1 + r) over [lo, hi] (a geometric progression of 1 + r);
 * solve every bracket by Brent's method and look into every dip of |NPV| for a pair of close
 * roots. With stop_first, return after the first root (the caller knows there is only one).
 * O(points x n). */
static void scan(eic_fin_irr *out, const double *cf, size_t n, double lo, double hi, size_t points,
                 int stop_first)
{
	double q = exp((log1p(hi) - log1p(lo)) / (double)(points - 1));
	double g = 1.0 + lo; /* 1 + r at the current point */
	double r_prev2 = lo, f_prev2 = 0.0, r_prev = lo, f_prev = npv_at(cf, n, lo);
	int have2 = 0;
	if (f_prev == 0.0) {
		add_root(out, lo);
		if (stop_first)
			return;
	}
	for (size_t k = 1; k < points; k++) {
		g *= q;
		double r = k + 1 == points ? hi : g - 1.0;
		double f = npv_at(cf, n, r);
		if (!stop_first && have2 && f_prev != 0.0 && f_prev2 != 0.0 && f != 0.0 &&
		    (f_prev2 < 0) == (f_prev < 0) && (f_prev < 0) == (f < 0) &&
		    fabs(f_prev) < fabs(f_prev2) && fabs(f_prev) < fabs(f))
			dip(out, cf, n, r_prev2, r, f_prev < 0 ? -1.0 : 1.0);
		if (f == 0.0) {
			add_root(out, r);
			if (stop_first)
				return;
		} else if (f_prev != 0.0 && ((f_prev < 0) != (f < 0))) {
			add_root(out, brent(cf, n, r_prev, r, f_prev, f));
			if (stop_first)
				return;
		}
		r_prev2 = r_prev;
		f_prev2 = f_prev;
		r_prev = r;
		f_prev = f;
		have2 = 1;
	}
}

int eic_fin_irr_compute(eic_fin_irr *out, const double *cf, size_t n,
                        const eic_fin_irr_options *opts)
{
	eic_fin_irr_options defaults = EIC_FIN_IRR_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	if (!out || (!cf && n > 0) || !eic_fin__all_finite(cf, n) || !isfinite(opts->rate_min) ||
	    !isfinite(opts->rate_max) || opts->rate_min <= -1.0 || opts->rate_max <= opts->rate_min)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	int last_sign = 0, any = 0;
	for (size_t i = 0; i < n; i++) {
		if (cf[i] == 0.0)
			continue;
		int s = cf[i] > 0 ? 1 : -1;
		if (last_sign != 0 && s != last_sign)
			out->sign_changes++;
		last_sign = s;
		any = 1;
	}
	out->several_sign_changes = out->sign_changes > 1;
	out->status = EIC_FIN_IRR_NONE;
	if (!any) {
		out->message = "no IRR: every flow is zero";
		return 0;
	}
	if (out->sign_changes == 0) {
		out->message = "no IRR: the flows never change sign";
		return 0;
	}
	if (out->sign_changes == 1) {
		/* Exactly one root r > -1 exists (Descartes, and NPV has opposite signs at the two
		 * ends); any bracket found holds it. */
		scan(out, cf, n, opts->rate_min, opts->rate_max, 64, 1);
	} else {
		size_t points = opts->grid_points < 16 ? 16 : opts->grid_points;
		scan(out, cf, n, opts->rate_min, opts->rate_max, points, 0);
	}
	if (out->root_count == 0) {
		out->message =
		    out->sign_changes == 1
		        ? "no IRR in the searched range: the one IRR lies outside it"
		        : "no IRR: NPV does not cross zero in the searched range although "
		          "the flows change sign several times";
	} else if (out->root_count == 1) {
		out->status = EIC_FIN_IRR_UNIQUE;
		out->rate = out->roots[0];
		out->message =
		    out->sign_changes == 1
		        ? "one IRR"
		        : "one IRR in the searched range, but the flows change sign several "
		          "times: read it with care";
	} else {
		out->status = EIC_FIN_IRR_MULTIPLE;
		out->rate = 0.0;
		out->message =
		    "several IRRs: the flows change sign several times and NPV is zero at "
		    "more than one rate, so no single IRR describes the project";
	}
	return 0;
}

/* ---- metrics ------------------------------------------------------------------------------ */

int eic_fin_crf(double *out, double rate, double periods)
{
	if (!out || !isfinite(rate) || !isfinite(periods) || periods <= 0 || rate <= -1.0)
		return EIC_EINVAL;
	if (fabs(rate) < 1e-12) {
		*out = 1.0 / periods;
		return 0;
	}
	double g = pow(1.0 + rate, periods);
	*out = rate * g / (g - 1.0);
	return 0;
}

/* Payback of a series: the first period where the cumulative returns to >= 0 after being
 * negative, interpolated linearly within that period. Sets has = 0 if it never does;
 * payback 0 when the cumulative is never negative. */
static void payback_of(int *has, double *payback, int *recrosses, const double *cf, size_t n)
{
	double cum = 0.0;
	int was_negative = 0;
	*has = 0;
	*payback = 0.0;
	if (recrosses)
		*recrosses = 0;
	for (size_t t = 0; t < n; t++) {
		double prev = cum;
		cum += cf[t];
		if (cum < 0.0) {
			was_negative = 1;
			if (*has && recrosses)
				*recrosses = 1;
			continue;
		}
		if (was_negative && !*has) {
			*has = 1;
			*payback = t == 0 ? 0.0 : (double)(t - 1) + (-prev) / cf[t];
		}
	}
	if (!was_negative)
		*has = 1;
}

int eic_fin_metrics_compute(eic_fin_metrics *out, const double *cf, size_t n,
                            const eic_fin_metrics_options *opts)
{
	eic_fin_metrics_options defaults = EIC_FIN_METRICS_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	if (!out || !cf || n == 0 || !eic_fin__all_finite(cf, n) || !isfinite(opts->rate) ||
	    !isfinite(opts->finance_rate) || !isfinite(opts->reinvest_rate) || opts->rate <= -1.0 ||
	    opts->finance_rate <= -1.0 || opts->reinvest_rate <= -1.0)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	int rc = eic_fin_irr_compute(&out->irr, cf, n, &opts->irr);
	if (rc < 0)
		return rc;
	double v = 1.0 / (1.0 + opts->rate);
	double disc = 1.0, pv_pos = 0.0, pv_neg = 0.0, cum = 0.0, dcum = 0.0;
	int dneg = 0;
	out->has_discounted_payback = 0;
	for (size_t t = 0; t < n; t++) {
		double d = cf[t] * disc;
		if (d > 0)
			pv_pos += d;
		else
			pv_neg -= d;
		cum += cf[t];
		if (cum < out->cumulative_min)
			out->cumulative_min = cum;
		double dprev = dcum;
		dcum += d;
		if (dcum < 0.0)
			dneg = 1;
		else if (dneg && !out->has_discounted_payback) {
			out->has_discounted_payback = 1;
			out->discounted_payback = t == 0 ? 0.0 : (double)(t - 1) + (-dprev) / d;
		}
		disc *= v;
	}
	if (!dneg)
		out->has_discounted_payback = 1;
	out->npv = npv_at(cf, n, opts->rate);
	payback_of(&out->has_payback, &out->payback, &out->payback_recrosses, cf, n);
	if (pv_neg > 0.0) {
		out->has_benefit_cost = 1;
		out->benefit_cost = pv_pos / pv_neg;
	}
	if (n >= 2) {
		double crf = 0.0;
		(void)eic_fin_crf(&crf, opts->rate, (double)(n - 1));
		out->annual_savings = out->npv * crf;
		/* MIRR: (FV of positive flows at the reinvestment rate / PV of negative flows at
		 * the finance rate)^(1/N) - 1, N = n - 1 periods (as spreadsheet MIRR). */
		double fv = 0.0, pvn = 0.0, N = (double)(n - 1);
		double grow = 1.0 + opts->reinvest_rate, xf = 1.0 / (1.0 + opts->finance_rate);
		for (size_t t = 0; t < n; t++) /* Horner: sum of positive flows x grow^(N - t) */
			fv = fv * grow + (cf[t] > 0 ? cf[t] : 0.0);
		for (size_t t = n; t-- > 0;) /* Horner: sum of |negative flows| x xf^t */
			pvn = pvn * xf + (cf[t] < 0 ? -cf[t] : 0.0);
		if (fv > 0.0 && pvn > 0.0) {
			out->has_mirr = 1;
			out->mirr = pow(fv / pvn, 1.0 / N) - 1.0;
		}
	}
	return 0;
}

int eic_fin_lcoe_fcr(double *out, double capital_cost, double fixed_operating_cost,
                     double variable_operating_cost, double fixed_charge_rate, double annual_energy)
{
	if (!out || !isfinite(capital_cost) || !isfinite(fixed_operating_cost) ||
	    !isfinite(variable_operating_cost) || !isfinite(fixed_charge_rate) ||
	    !isfinite(annual_energy) || annual_energy <= 0.0 || fixed_charge_rate < 0.0 ||
	    fixed_charge_rate > 1.0)
		return EIC_EINVAL;
	*out = (fixed_charge_rate * capital_cost + fixed_operating_cost) / annual_energy +
	       variable_operating_cost;
	return 0;
}

int eic_fin_lcoe_discounted(double *out, const double *costs, const double *energy, size_t n,
                            double cost_rate, double energy_rate)
{
	if (!out || !costs || !energy || n == 0 || !isfinite(cost_rate) || !isfinite(energy_rate) ||
	    cost_rate <= -1.0 || energy_rate <= -1.0 || !eic_fin__all_finite(costs, n) ||
	    !eic_fin__all_finite(energy, n))
		return EIC_EINVAL;
	double pv_e = npv_at(energy, n, energy_rate);
	if (!(pv_e > 0.0))
		return EIC_EINVAL;
	*out = npv_at(costs, n, cost_rate) / pv_e;
	return 0;
}

/* ---- death valley ------------------------------------------------------------------------ */

int eic_fin_valley_compute(eic_fin_valley *out, const double *cf, size_t n, double equity)
{
	if (!out || !cf || n == 0 || !eic_fin__all_finite(cf, n) || !isfinite(equity))
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	out->equity = equity;
	double cum = 0.0, min = 0.0;
	for (size_t t = 0; t < n; t++) {
		cum += cf[t];
		if (cum < 0.0 && !out->has_trough) {
			out->has_trough = 1;
			out->trough_start = (int)t;
		}
		if (cum < min) {
			min = cum;
			out->depth_year = (int)t;
		}
	}
	if (!out->has_trough) {
		out->has_break_even = 1;
		out->funding_gap = 0.0;
		return 0;
	}
	out->depth = -min;
	int recross = 0;
	payback_of(&out->has_break_even, &out->break_even, &recross, cf, n);
	out->duration = out->has_break_even ? out->break_even - out->trough_start
	                                    : (double)(n - 1) - out->trough_start;
	out->funding_gap = out->depth > equity ? out->depth - equity : 0.0;
	return 0;
}

struct eic_fin_close {
	eic_fin_valley valley;
	eic_fin_close_row *rows;
	size_t count;
};

static int close_row_cmp(const void *pa, const void *pb)
{
	const eic_fin_close_row *a = pa, *b = pb;
	if (a->closes != b->closes)
		return a->closes ? -1 : 1;
	if (a->finance_npv != b->finance_npv)
		return a->finance_npv > b->finance_npv ? -1 : 1;
	if (a->min_cash != b->min_cash)
		return a->min_cash > b->min_cash ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	/* (size_t)-1 for "no second" sorts last: singles before pairs */
	return a->second < b->second ? -1 : (a->second > b->second ? 1 : 0);
}

/* Evaluate one option: combined[t] = cf[t] + the candidates' flows; fills `row`. */
static void close_eval(eic_fin_close_row *row, double *combined, double *instr, const double *cf,
                       size_t n, const eic_fin_candidate *c1, const eic_fin_candidate *c2,
                       const eic_fin_close_options *o)
{
	for (size_t t = 0; t < n; t++) {
		double f = 0.0;
		if (t < c1->count)
			f += c1->flows[t];
		if (c2 && t < c2->count)
			f += c2->flows[t];
		instr[t] = f;
		combined[t] = cf[t] + f;
	}
	double cum = 0.0;
	row->min_cash = INFINITY;
	for (size_t t = 0; t < n; t++) {
		cum += combined[t];
		double cash = o->equity + cum;
		if (cash < row->min_cash) {
			row->min_cash = cash;
			row->worst_year = (int)t;
		}
	}
	row->closes = row->min_cash >= o->min_reserve;
	row->finance_npv = npv_at(instr, n, o->rate);
	row->npv = npv_at(combined, n, o->rate);
	eic_fin_valley v;
	(void)eic_fin_valley_compute(&v, combined, n, o->equity);
	row->valley_depth = v.depth;
}

int eic_fin_valley_close(eic_fin_close **out, const double *cf, size_t n,
                         const eic_fin_candidate *candidates, size_t count,
                         const eic_fin_close_options *opts, eic_diags *diags)
{
	eic_fin_close_options defaults = EIC_FIN_CLOSE_OPTIONS_INIT;
	eic_fin_close *c = NULL;
	double *work = NULL;
	int error = 0, bad = 0;
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!cf || n == 0 || (!candidates && count > 0))
		return EIC_EINVAL;
	if (!eic_fin__all_finite(cf, n))
		bad += eic_fin__error(diags,
		                      "death valley: the project flows hold a non-finite value");
	if (count > 64)
		bad += eic_fin__error(diags, "death valley: %zu candidates, at most 64", count);
	bad += eic_fin__check_range(diags, "death valley: equity", opts->equity, 0.0, 1e15);
	bad += eic_fin__check_range(diags, "death valley: minimum reserve", opts->min_reserve,
	                            -1e15, 1e15);
	bad += eic_fin__check_rate(diags, "death valley: discount rate", opts->rate, 1);
	if (opts->max_combination < 1 || opts->max_combination > 2)
		bad += eic_fin__error(diags, "death valley: max_combination must be 1 or 2, not %d",
		                      opts->max_combination);
	for (size_t i = 0; i < count && count <= 64; i++) {
		const eic_fin_candidate *k = &candidates[i];
		if ((!k->flows && k->count > 0) || !eic_fin__all_finite(k->flows, k->count))
			bad += eic_fin__error(diags,
			                      "death valley: candidate %zu (%s) has no flows or "
			                      "a non-finite flow",
			                      i, k->name ? k->name : "unnamed");
		else if (k->count > n)
			bad += eic_fin__error(
			    diags,
			    "death valley: candidate %zu (%s) runs %zu years, longer "
			    "than the project's %zu",
			    i, k->name ? k->name : "unnamed", k->count, n);
	}
	if (bad)
		return EIC_EINVALID;

	size_t rows = count;
	if (opts->max_combination == 2 && count > 1)
		rows += count * (count - 1) / 2;
	c = eic_calloc(1, sizeof(*c));
	work = eic_malloc(2 * n * sizeof(double));
	if (!c || !work) {
		error = EIC_ENOMEM;
		goto done;
	}
	if (rows > 0 && !(c->rows = eic_calloc(rows, sizeof(*c->rows)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	(void)eic_fin_valley_compute(&c->valley, cf, n, opts->equity);
	for (size_t i = 0; i < count; i++) {
		eic_fin_close_row *r = &c->rows[c->count++];
		r->first = i;
		r->second = (size_t)-1;
		close_eval(r, work, work + n, cf, n, &candidates[i], NULL, opts);
	}
	if (opts->max_combination == 2)
		for (size_t i = 0; i < count; i++)
			for (size_t j = i + 1; j < count; j++) {
				eic_fin_close_row *r = &c->rows[c->count++];
				r->first = i;
				r->second = j;
				close_eval(r, work, work + n, cf, n, &candidates[i], &candidates[j],
				           opts);
			}
	if (c->count > 1)
		qsort(c->rows, c->count, sizeof(*c->rows), close_row_cmp);
	*out = c;
	c = NULL;
done:
	eic_free(work);
	eic_fin_close_free(c);
	return error;
}

void eic_fin_close_free(eic_fin_close *c)
{
	if (!c)
		return;
	eic_free(c->rows);
	eic_free(c);
}

size_t eic_fin_close_count(const eic_fin_close *c)
{
	return c ? c->count : 0;
}

const eic_fin_close_row *eic_fin_close_at(const eic_fin_close *c, size_t i)
{
	return c && i < c->count ? &c->rows[i] : NULL;
}

const eic_fin_valley *eic_fin_close_valley(const eic_fin_close *c)
{
	return c ? &c->valley : NULL;
}
