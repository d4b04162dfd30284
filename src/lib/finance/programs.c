/* programs.c: lending programmes: a revolving fund simulated year by year, group lending with
 * joint liability (binomial model) and green credit terms from a rating label. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "finance_private.h"
#include "util/util.h"

struct eic_fin_fund {
	eic_fin_fund_summary summary;
	eic_fin_fund_year *years;
	size_t year_count;
};

/* Scheduled balance of an annuity loan of `size` after k yearly payments. */
static double annuity_balance(double size, double rate, int term, int k)
{
	if (k >= term)
		return 0.0;
	if (fabs(rate) < 1e-15)
		return size * (double)(term - k) / term;
	double pmt = eic_fin__annuity(size, rate, term);
	double g = pow(1.0 + rate, (double)k);
	return size * g - pmt * (g - 1.0) / rate;
}

/*
 * Deterministic revolving fund. Year y (1..years): loans are issued at the start from the cash
 * in hand (whole loans, capped by demand); at the end, instalments due from earlier cohorts
 * are collected (performing borrowers x repayment rate) and administration is paid. Amounts
 * not collected are written off. O(years x term).
 */
int eic_fin_fund_simulate(eic_fin_fund **out, const eic_fin_fund_options *o, eic_diags *diags)
{
	eic_fin_fund *f = NULL;
	long *cohort = NULL;
	int error = 0, bad = 0;
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!o)
		return EIC_EINVAL;
	if (!isfinite(o->initial_capital) || o->initial_capital <= 0 || o->initial_capital > 1e15)
		bad += eic_fin__error(diags, "revolving fund: initial capital = %g, it must be > 0",
		                      o->initial_capital);
	if (!isfinite(o->loan_size) || o->loan_size <= 0)
		bad += eic_fin__error(diags, "revolving fund: loan size = %g, it must be > 0",
		                      o->loan_size);
	else if (isfinite(o->initial_capital) && o->initial_capital / o->loan_size > 1e12)
		bad += eic_fin__error(diags, "revolving fund: more than 1e12 loans of %g",
		                      o->loan_size);
	if (o->term_years < 1 || o->term_years > EIC_FIN_MAX_LIFE_YEARS)
		bad +=
		    eic_fin__error(diags, "revolving fund: loan term = %d years, it must be 1..%d",
		                   o->term_years, EIC_FIN_MAX_LIFE_YEARS);
	if (o->years < 1 || o->years > EIC_FIN_MAX_LIFE_YEARS)
		bad += eic_fin__error(diags, "revolving fund: %d years simulated, it must be 1..%d",
		                      o->years, EIC_FIN_MAX_LIFE_YEARS);
	bad += eic_fin__check_range(diags, "revolving fund: interest rate", o->rate, 0.0,
	                            EIC_FIN_MAX_YEARLY_RATE);
	bad += eic_fin__check_range(diags, "revolving fund: repayment rate", o->repayment_rate, 0.0,
	                            1.0);
	bad +=
	    eic_fin__check_range(diags, "revolving fund: default rate", o->default_rate, 0.0, 1.0);
	bad += eic_fin__check_range(diags, "revolving fund: administration cost share",
	                            o->admin_cost_share, 0.0, 1.0);
	bad += eic_fin__check_range(diags, "revolving fund: fixed administration cost",
	                            o->admin_cost_fixed, 0.0, 1e15);
	if (o->max_loans_per_year < 0)
		bad += eic_fin__error(diags, "revolving fund: negative demand cap %ld",
		                      o->max_loans_per_year);
	if (bad)
		return EIC_EINVALID;

	size_t Y = (size_t)o->years;
	f = eic_calloc(1, sizeof(*f));
	cohort = eic_calloc(Y + 1, sizeof(long));
	if (!f || !cohort || !(f->years = eic_calloc(Y, sizeof(*f->years)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	f->year_count = Y;
	eic_fin_fund_summary *s = &f->summary;
	double pmt = eic_fin__annuity(o->loan_size, o->rate, o->term_years);
	double performing = 1.0 - o->default_rate;
	double balance = o->initial_capital;
	long households = 0;
	for (size_t y = 1; y <= Y; y++) {
		eic_fin_fund_year *row = &f->years[y - 1];
		row->year = (int)y;
		long issue = balance > 0 ? (long)floor(balance / o->loan_size + 1e-9) : 0;
		if (o->max_loans_per_year > 0 && issue > o->max_loans_per_year)
			issue = o->max_loans_per_year;
		cohort[y] = issue;
		row->loans_issued = issue;
		row->lent = issue * o->loan_size;
		balance -= row->lent;
		households += issue;
		row->households_cumulative = households;
		double outstanding_start = 0.0, outstanding_end = 0.0, collected = 0.0;
		for (size_t c = 1; c <= y; c++) {
			int paid = (int)(y - c); /* instalments already due before this year */
			if (paid >= o->term_years || cohort[c] == 0)
				continue;
			double m = cohort[c] * performing;
			outstanding_start +=
			    m * annuity_balance(o->loan_size, o->rate, o->term_years, paid);
			outstanding_end +=
			    m * annuity_balance(o->loan_size, o->rate, o->term_years, paid + 1);
			collected += m * pmt * o->repayment_rate;
		}
		row->collected = collected;
		row->admin_cost = o->admin_cost_share * outstanding_start + o->admin_cost_fixed;
		balance += collected - row->admin_cost;
		row->balance = balance;
		row->outstanding = outstanding_end;
		if (balance < 0)
			s->ran_dry = 1;
		s->loans_total += issue;
		s->lent_total += row->lent;
		s->collected_total += collected;
		s->admin_total += row->admin_cost;
		s->defaulted_principal += issue * o->default_rate * o->loan_size;
	}
	s->final_balance = balance;
	s->final_outstanding = f->years[Y - 1].outstanding;
	s->capital_preserved = s->final_balance + s->final_outstanding >= o->initial_capital;
	*out = f;
	f = NULL;
done:
	eic_free(cohort);
	eic_fin_fund_free(f);
	return error;
}

void eic_fin_fund_free(eic_fin_fund *f)
{
	if (!f)
		return;
	eic_free(f->years);
	eic_free(f);
}

const eic_fin_fund_summary *eic_fin_fund_summary_get(const eic_fin_fund *f)
{
	return f ? &f->summary : NULL;
}

size_t eic_fin_fund_year_count(const eic_fin_fund *f)
{
	return f ? f->year_count : 0;
}

const eic_fin_fund_year *eic_fin_fund_year_at(const eic_fin_fund *f, size_t i)
{
	return f && i < f->year_count ? &f->years[i] : NULL;
}

/* ---- group lending -------------------------------------------------------------------- */

/* Binomial probability P(K = k), K ~ Bin(n, p), in log space so that n = 1000 does not
 * underflow the terms that matter. */
static double binom_pmf(int n, int k, double p)
{
	if (p <= 0.0)
		return k == 0 ? 1.0 : 0.0;
	if (p >= 1.0)
		return k == n ? 1.0 : 0.0;
	double l = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(p) +
	           (n - k) * log1p(-p);
	return exp(l);
}

int eic_fin_group_lending(eic_fin_group_result *out, const eic_fin_group_options *o,
                          eic_diags *diags)
{
	int bad = 0;
	if (!out || !o)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	if (o->members < 1 || o->members > 1000)
		bad += eic_fin__error(diags, "group lending: %d members, it must be 1..1000",
		                      o->members);
	bad += eic_fin__check_range(diags, "group lending: default probability",
	                            o->default_probability, 0.0, 1.0);
	if (!isfinite(o->instalment) || o->instalment <= 0)
		bad += eic_fin__error(diags, "group lending: instalment = %g, it must be > 0",
		                      o->instalment);
	bad += eic_fin__check_range(diags, "group lending: cover limit", o->cover_limit, 0.0, 1e15);
	if (bad)
		return EIC_EINVALID;
	int n = o->members;
	double p = o->default_probability, L = o->instalment, c = o->cover_limit;
	double repaid = 0.0, shortfall = 0.0;
	for (int k = 0; k <= n; k++) {
		double pk = binom_pmf(n, k, p);
		double need = k * L, capacity = (n - k) * c;
		double cover = need < capacity ? need : capacity;
		repaid += pk * ((n - k) * L + cover);
		if (need > capacity)
			shortfall += pk;
	}
	/* A member who pays, with k defaulters among the other n - 1, shares the cover with the
	 * n - k payers. */
	double cover_member = 0.0;
	for (int k = 0; k <= n - 1; k++) {
		double pk = binom_pmf(n - 1, k, p);
		double need = k * L, capacity = (n - k) * c;
		double cover = need < capacity ? need : capacity;
		cover_member += pk * cover / (n - k);
	}
	out->individual_repayment_rate = 1.0 - p;
	out->group_repayment_rate = repaid / (n * L);
	out->group_shortfall_probability = shortfall;
	out->expected_cover = cover_member;
	out->cost_share = cover_member / L;
	return 0;
}

/* ---- green credit ---------------------------------------------------------------------- */

int eic_fin_green_apply(eic_fin_green_terms *out, eic_loan_options *loan,
                        const eic_fin_green_rule *table, size_t count, const char *label,
                        eic_diags *diags)
{
	int bad = 0;
	if (!out || !loan || (!table && count > 0))
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	out->rate_before = out->rate_after = loan->rate;
	if (loan->periods_per_year < 1)
		bad += eic_fin__error(diags, "green credit: the loan has %d periods per year",
		                      loan->periods_per_year);
	for (size_t i = 0; i < count; i++) {
		if (!table[i].label)
			bad += eic_fin__error(diags, "green credit: rule %zu has no label", i);
		bad += eic_fin__check_range(diags, "green credit: rate discount",
		                            table[i].rate_discount, 0.0, EIC_FIN_MAX_YEARLY_RATE);
		bad += eic_fin__check_range(diags, "green credit: guarantee share",
		                            table[i].guarantee_share, 0.0, 1.0);
	}
	if (bad)
		return EIC_EINVALID;
	if (!label)
		return 0;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(table[i].label, label) != 0)
			continue;
		out->found = 1;
		out->eligible = table[i].eligible != 0;
		if (!out->eligible)
			return 0;
		double r = loan->rate - table[i].rate_discount / loan->periods_per_year;
		out->rate_after = r > 0 ? r : 0.0;
		out->guarantee_share = table[i].guarantee_share;
		out->guaranteed = loan->principal * table[i].guarantee_share;
		loan->rate = out->rate_after;
		return 0;
	}
	return 0;
}
