/* chi2.c: upper tail of the chi-square distribution through the regularized incomplete gamma
 * function, written here so that eic needs no GPL numerics library. */
#include <eic/reconcile.h>

#include <math.h>

#define GAMMA_EPS 1e-15
#define GAMMA_MAX_TERMS 10000

/* log of the common factor x^a e^-x / Gamma(a). */
static double log_prefactor(double a, double x)
{
	return a * log(x) - x - lgamma(a);
}

/* Lower regularized P(a, x) by its power series, for x < a + 1:
 * P = x^a e^-x / Gamma(a) * sum_{n>=0} x^n / (a (a+1) ... (a+n)). */
static double gamma_p_series(double a, double x)
{
	double term = 1.0 / a, total = term;
	for (int n = 1; n < GAMMA_MAX_TERMS; n++) {
		term *= x / (a + n);
		total += term;
		if (fabs(term) < fabs(total) * GAMMA_EPS)
			break;
	}
	return total * exp(log_prefactor(a, x));
}

/* Upper regularized Q(a, x) by its continued fraction, for x >= a + 1:
 * Q = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 - a
 * - ...))), evaluated by the modified Lentz method. */
static double gamma_q_fraction(double a, double x)
{
	const double tiny = 1e-300;
	double b = x + 1.0 - a;
	double c = 1.0 / tiny;
	double d = 1.0 / b;
	double h = d;
	for (int i = 1; i < GAMMA_MAX_TERMS; i++) {
		double an = -i * (i - a);
		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		double delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < GAMMA_EPS)
			break;
	}
	return exp(log_prefactor(a, x)) * h;
}

/* Q(dof/2, x/2), choosing the form that converges fast (Press et al. 2007, Numerical Recipes
 * 3rd ed., section 6.2, for the split at x = a + 1). */
double eic_chi2_sf(double x, double dof)
{
	if (!(dof > 0.0) || isnan(x))
		return NAN;
	if (x <= 0.0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	double a = dof / 2.0, hx = x / 2.0;
	double q = hx < a + 1.0 ? 1.0 - gamma_p_series(a, hx) : gamma_q_fraction(a, hx);
	if (q < 0.0)
		q = 0.0;
	if (q > 1.0)
		q = 1.0;
	return q;
}
