/* scenario_rng.c: the random numbers of the scenario Monte Carlo: xoshiro256** (Blackman and
 * Vigna 2018, public domain reference code) seeded by splitmix64, triangular and normal draws. */
#include <math.h>

#include <eic/scenario.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void eic_rng_seed(eic_rng *rng, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t eic_rng_next(eic_rng *rng)
{
	uint64_t *s = rng->s;
	const uint64_t result = rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double eic_rng_uniform(eic_rng *rng)
{
	return (double)(eic_rng_next(rng) >> 11) * 0x1.0p-53;
}

/* Inverse CDF of the triangular distribution: with u uniform and c = (mode-low)/(high-low),
 * x = low + sqrt(u (high-low)(mode-low)) for u < c, else high - sqrt((1-u)(high-low)(high-mode)).
 * A degenerate range gives `mode`. */
double eic_rng_triangular(eic_rng *rng, double low, double mode, double high)
{
	double u = eic_rng_uniform(rng);
	if (!(high > low))
		return mode;
	if (mode < low)
		mode = low;
	if (mode > high)
		mode = high;
	double span = high - low, c = (mode - low) / span;
	if (u < c)
		return low + sqrt(u * span * (mode - low));
	return high - sqrt((1.0 - u) * span * (high - mode));
}

/* Marsaglia's polar method; the second value of each pair is discarded so that every call
 * consumes whole pairs and the stream does not depend on earlier calls' parity. */
double eic_rng_normal(eic_rng *rng)
{
	for (;;) {
		double u = 2.0 * eic_rng_uniform(rng) - 1.0, v = 2.0 * eic_rng_uniform(rng) - 1.0;
		double s = u * u + v * v;
		if (s > 0.0 && s < 1.0)
			return u * sqrt(-2.0 * log(s) / s);
	}
}
