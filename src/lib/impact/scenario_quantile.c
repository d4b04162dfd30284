/* scenario_quantile.c: streaming quantile estimates (the P-square algorithm of Jain and
 * Chlamtac 1985) for the by-party intervals of the scenario Monte Carlo, in constant memory. */
#include <math.h>
#include <string.h>

#include "scenario_private.h"

void eic_scenario__p2_init(eic_p2 *q, double p)
{
	memset(q, 0, sizeof(*q));
	q->p = p;
}

static void sort5(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && v[k - 1] > v[k]; k--) {
			double t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
}

/* Add one observation. The first five are kept exactly; from then on five markers (minimum,
 * p/2, p, (1+p)/2 quantiles and maximum) are moved by the piecewise-parabolic rule, falling
 * back to linear interpolation when the parabola would leave the neighbours' heights.
 * O(1) time and memory. */
void eic_scenario__p2_add(eic_p2 *q, double x)
{
	if (q->count < 5) {
		q->h[q->count++] = x;
		if (q->count == 5) {
			sort5(q->h, 5);
			for (int i = 0; i < 5; i++)
				q->n[i] = i + 1;
			q->want[0] = 1;
			q->want[1] = 1 + 2 * q->p;
			q->want[2] = 1 + 4 * q->p;
			q->want[3] = 3 + 2 * q->p;
			q->want[4] = 5;
			q->step[0] = 0;
			q->step[1] = q->p / 2;
			q->step[2] = q->p;
			q->step[3] = (1 + q->p) / 2;
			q->step[4] = 1;
		}
		return;
	}
	q->count++;
	int k;
	if (x < q->h[0]) {
		q->h[0] = x;
		k = 0;
	} else if (x >= q->h[4]) {
		q->h[4] = x;
		k = 3;
	} else {
		k = 0;
		while (k < 3 && x >= q->h[k + 1])
			k++;
	}
	for (int i = k + 1; i < 5; i++)
		q->n[i] += 1;
	for (int i = 0; i < 5; i++)
		q->want[i] += q->step[i];
	for (int i = 1; i < 4; i++) {
		double d = q->want[i] - q->n[i];
		if ((d >= 1 && q->n[i + 1] - q->n[i] > 1) ||
		    (d <= -1 && q->n[i - 1] - q->n[i] < -1)) {
			int s = d > 0 ? 1 : -1;
			double np = q->n[i + 1], nm = q->n[i - 1], ni = q->n[i];
			double hp = q->h[i + 1], hm = q->h[i - 1], hi = q->h[i];
			double par = hi + s / (np - nm) *
			                      ((ni - nm + s) * (hp - hi) / (np - ni) +
			                       (np - ni - s) * (hi - hm) / (ni - nm));
			if (hm < par && par < hp)
				q->h[i] = par;
			else
				q->h[i] = hi + s * (q->h[i + s] - hi) / (q->n[i + s] - ni);
			q->n[i] += s;
		}
	}
}

/* The estimate: the middle marker; with fewer than five observations, the type-7 quantile of
 * those kept (NaN with none). */
double eic_scenario__p2_value(const eic_p2 *q)
{
	if (q->count == 0)
		return NAN;
	if (q->count >= 5)
		return q->h[2];
	double v[5];
	memcpy(v, q->h, sizeof(double) * q->count);
	sort5(v, q->count);
	double h = (double)(q->count - 1) * q->p;
	size_t lo = (size_t)floor(h);
	size_t hi = lo + 1 < q->count ? lo + 1 : lo;
	return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}
