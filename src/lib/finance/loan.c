/* loan.c: loan schedules (annuity, equal principal, micro-finance flat rate, balloon; grace,
 * fees and deposits) with their effective rates, lease versus buy, vendor credit, franchising. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finance_private.h"
#include "util/util.h"

struct eic_loan {
	eic_loan_summary summary;
	eic_loan_row *rows;
	size_t row_count;
	int periods_per_year;
};

static int validate_loan(const eic_loan_options *o, eic_diags *d, const char *who)
{
	int bad = 0;
	char what[96];
#define WHAT(name) (snprintf(what, sizeof(what), "%s: %s", who, name), what)
	if (o->kind < EIC_LOAN_ANNUITY || o->kind > EIC_LOAN_BALLOON)
		bad += eic_fin__error(d, "%s: unknown loan kind %d", who, (int)o->kind);
	if (o->periods_per_year < 1 || o->periods_per_year > 365)
		bad += eic_fin__error(d, "%s: %d periods per year, it must be 1..365", who,
		                      o->periods_per_year);
	if (!isfinite(o->principal) || o->principal <= 0 || o->principal > 1e15)
		bad += eic_fin__error(d, "%s: principal = %g, it must be > 0", who, o->principal);
	if (o->periods < 1 || o->periods > EIC_FIN_MAX_PERIODS)
		bad += eic_fin__error(d, "%s: %d instalments, it must be 1..%d", who, o->periods,
		                      EIC_FIN_MAX_PERIODS);
	if (o->grace_periods < 0 || o->grace_periods > EIC_FIN_MAX_PERIODS)
		bad += eic_fin__error(d, "%s: %d grace periods, it must be 0..%d", who,
		                      o->grace_periods, EIC_FIN_MAX_PERIODS);
	if (o->grace < EIC_GRACE_NONE || o->grace > EIC_GRACE_FULL)
		bad += eic_fin__error(d, "%s: unknown grace kind %d", who, (int)o->grace);
	if (o->grace == EIC_GRACE_NONE && o->grace_periods > 0)
		bad += eic_fin__error(d, "%s: %d grace periods but no grace kind", who,
		                      o->grace_periods);
	if (o->periods_per_year >= 1) {
		if (!isfinite(o->rate) || o->rate < 0)
			bad += eic_fin__error(
			    d, "%s: interest rate = %g per period, it must be >= 0", who, o->rate);
		else
			bad += eic_fin__check_rate(d, WHAT("interest rate"), o->rate,
			                           o->periods_per_year);
		bad += eic_fin__check_range(d, WHAT("deposit interest rate"), o->deposit_rate, 0.0,
		                            EIC_FIN_MAX_YEARLY_RATE / o->periods_per_year);
	}
	if (o->kind == EIC_LOAN_BALLOON)
		bad += eic_fin__check_range(d, WHAT("balloon share"), o->balloon_share, 1e-12, 1.0);
	bad += eic_fin__check_range(d, WHAT("fee"), o->fee, 0.0, 1e15);
	bad += eic_fin__check_range(d, WHAT("fee share"), o->fee_share, 0.0, 0.99);
	bad += eic_fin__check_range(d, WHAT("deposit"), o->deposit, 0.0, 1e15);
	bad += eic_fin__check_range(d, WHAT("deposit in instalments"), o->deposit_instalments, 0.0,
	                            1000.0);
	if (!bad && (long)o->periods + o->grace_periods > EIC_FIN_MAX_PERIODS)
		bad += eic_fin__error(d, "%s: grace plus instalments = %d periods, more than %d",
		                      who, o->periods + o->grace_periods, EIC_FIN_MAX_PERIODS);
#undef WHAT
	return bad;
}

/*
 * Fill the schedule rows of a validated loan (rows has grace + periods + 1 entries) and the
 * summary except the IRR. Flat loans charge rate x principal every period; the interest of a
 * full grace is capitalised on declining-balance loans and accrued (spread over the
 * instalments) on flat loans.
 */
static void build_schedule(eic_loan_row *rows, eic_loan_summary *s, const eic_loan_options *o)
{
	int G = o->grace_periods, n = o->periods;
	double P = o->principal, r = o->rate, balance = P, accrued_flat = 0.0;
	for (int k = 0; k <= G + n; k++)
		rows[k].period = k;
	rows[0].balance = P;
	for (int k = 1; k <= G; k++) {
		eic_loan_row *row = &rows[k];
		double interest = o->kind == EIC_LOAN_FLAT ? r * P : r * balance;
		if (o->grace == EIC_GRACE_INTEREST_ONLY) {
			row->interest = interest;
			row->payment = interest;
		} else if (o->kind == EIC_LOAN_FLAT) {
			accrued_flat += interest; /* paid with the instalments */
		} else {
			row->interest = interest;
			row->principal = -interest; /* capitalised */
			balance += interest;
		}
		row->balance = balance;
	}
	double B = balance, pmt = 0.0, flat_per = 0.0;
	switch (o->kind) {
	case EIC_LOAN_ANNUITY:
		pmt = eic_fin__annuity(B, r, n);
		break;
	case EIC_LOAN_BALLOON: {
		double rest = o->balloon_share * B;
		double pv_rest = rest * pow(1.0 + r, -(double)n);
		pmt = eic_fin__annuity(B - pv_rest, r, n);
		break;
	}
	case EIC_LOAN_FLAT:
		flat_per = r * P + accrued_flat / n;
		pmt = P / n + flat_per;
		break;
	case EIC_LOAN_EQUAL_PRINCIPAL:
	default:
		pmt = B / n + r * B;
		break;
	}
	s->instalment = pmt;
	for (int j = 1; j <= n; j++) {
		eic_loan_row *row = &rows[G + j];
		double interest, principal;
		if (o->kind == EIC_LOAN_FLAT) {
			interest = flat_per;
			principal = P / n;
		} else if (o->kind == EIC_LOAN_EQUAL_PRINCIPAL) {
			interest = r * balance;
			principal = B / n;
		} else {
			interest = r * balance;
			principal = pmt - interest;
		}
		if (j == n)
			principal = balance; /* last instalment clears the balance (balloon) */
		balance -= principal;
		row->interest = interest;
		row->principal = principal;
		row->payment = interest + principal;
		row->balance = j == n ? 0.0 : balance;
	}
	/* fees and deposit */
	double fees = o->fee + o->fee_share * P;
	double deposit = o->deposit + o->deposit_instalments * pmt;
	rows[0].fees = fees;
	rows[0].deposit_flow = deposit;
	if (deposit > 0 && o->deposit_returned)
		rows[G + n].deposit_flow = -deposit * pow(1.0 + o->deposit_rate, (double)(G + n));
	s->deposit = deposit;
	s->total_fees = fees;
	s->net_disbursed = P - fees - deposit;
	s->total_paid = 0.0;
	for (int k = 0; k <= G + n; k++) {
		eic_loan_row *row = &rows[k];
		s->total_paid += row->payment;
		row->borrower_flow =
		    (k == 0 ? P : 0.0) - row->payment - row->fees - row->deposit_flow;
	}
	s->total_interest = s->total_paid - P;
	s->term_years = (double)(G + n) / o->periods_per_year;
}

int eic_loan_new(eic_loan **out, const eic_loan_options *opts, eic_diags *diags)
{
	eic_loan *loan = NULL;
	double *flows = NULL;
	int error = 0;
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!opts)
		return EIC_EINVAL;
	if (validate_loan(opts, diags, "loan") > 0)
		return EIC_EINVALID;
	size_t rows = (size_t)opts->grace_periods + (size_t)opts->periods + 1;
	loan = eic_calloc(1, sizeof(*loan));
	if (!loan)
		return EIC_ENOMEM;
	loan->rows = eic_calloc(rows, sizeof(*loan->rows));
	flows = eic_malloc(rows * sizeof(double));
	if (!loan->rows || !flows) {
		error = EIC_ENOMEM;
		goto done;
	}
	loan->row_count = rows;
	loan->periods_per_year = opts->periods_per_year;
	build_schedule(loan->rows, &loan->summary, opts);
	for (size_t k = 0; k < rows; k++)
		flows[k] = loan->rows[k].borrower_flow;
	if ((error = eic_fin_irr_compute(&loan->summary.irr, flows, rows, NULL)) < 0)
		goto done;
	eic_fin__effective_rates(&loan->summary.has_rate, &loan->summary.periodic_rate,
	                         &loan->summary.apr, &loan->summary.ear, &loan->summary.irr,
	                         opts->periods_per_year);
	*out = loan;
	loan = NULL;
done:
	eic_free(flows);
	eic_loan_free(loan);
	return error;
}

void eic_loan_free(eic_loan *loan)
{
	if (!loan)
		return;
	eic_free(loan->rows);
	eic_free(loan);
}

const eic_loan_summary *eic_loan_summary_get(const eic_loan *loan)
{
	return loan ? &loan->summary : NULL;
}

size_t eic_loan_row_count(const eic_loan *loan)
{
	return loan ? loan->row_count : 0;
}

const eic_loan_row *eic_loan_row_at(const eic_loan *loan, size_t i)
{
	return loan && i < loan->row_count ? &loan->rows[i] : NULL;
}

int eic_loan_yearly_flows(double *out, size_t years, const eic_loan *loan, int start_year)
{
	if (!out || !loan || years == 0 || start_year < 0 || (size_t)start_year >= years)
		return EIC_EINVAL;
	memset(out, 0, years * sizeof(double));
	int ppy = loan->periods_per_year;
	for (size_t p = 0; p < loan->row_count; p++) {
		size_t y = (size_t)start_year + (p + (size_t)ppy - 1) / (size_t)ppy;
		if (y >= years)
			y = years - 1;
		out[y] += loan->rows[p].borrower_flow;
	}
	return 0;
}

/* ---- lease versus buy ------------------------------------------------------------------- */

int eic_fin_lease_vs_buy(eic_fin_lease_result *out, const eic_fin_lease_options *o,
                         eic_diags *diags)
{
	int bad = 0;
	if (!out || !o)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	if (o->lease_periods < 1)
		bad += eic_fin__error(diags, "lease: %d lease payments; a lease needs at least one",
		                      o->lease_periods);
	else if (o->lease_periods > EIC_FIN_MAX_PERIODS)
		bad += eic_fin__error(diags, "lease: %d payments, more than %d", o->lease_periods,
		                      EIC_FIN_MAX_PERIODS);
	if (!isfinite(o->lease_payment) || o->lease_payment <= 0)
		bad +=
		    eic_fin__error(diags, "lease: payment = %g, it must be > 0", o->lease_payment);
	if (!isfinite(o->price) || o->price <= 0)
		bad +=
		    eic_fin__error(diags, "lease: purchase price = %g, it must be > 0", o->price);
	bad += eic_fin__check_range(diags, "lease: salvage value", o->salvage, 0.0, 1e15);
	if (o->periods_per_year < 1 || o->periods_per_year > 365)
		bad += eic_fin__error(diags, "lease: %d periods per year, it must be 1..365",
		                      o->periods_per_year);
	else
		bad += eic_fin__check_rate(diags, "lease: discount rate", o->rate,
		                           o->periods_per_year);
	bad += eic_fin__check_range(diags, "lease: tax rate", o->tax_rate, 0.0, 0.99);
	if (o->salvage_period < 0 || o->salvage_period > EIC_FIN_MAX_PERIODS)
		bad += eic_fin__error(diags, "lease: salvage period %d", o->salvage_period);
	if (bad)
		return EIC_EINVALID;
	double v = 1.0 / (1.0 + o->rate), T = o->tax_rate;
	int S = o->salvage_period > 0 ? o->salvage_period : o->lease_periods;
	double pv_lease = 0.0;
	for (int k = 0; k < o->lease_periods; k++)
		pv_lease +=
		    o->lease_payment * (1.0 - T) * pow(v, (double)(o->in_advance ? k : k + 1));
	double pv_buy = o->price - o->salvage * pow(v, (double)S);
	if (T > 0) {
		double dep = (o->price - o->salvage) / S;
		for (int k = 1; k <= S; k++)
			pv_buy -= T * dep * pow(v, (double)k);
	}
	out->pv_lease = pv_lease;
	out->pv_buy = pv_buy;
	out->nal = pv_buy - pv_lease;
	out->lease_preferred = out->nal > 0;
	return 0;
}

/* ---- vendor credit ------------------------------------------------------------------------ */

int eic_fin_vendor_credit(eic_fin_vendor_result *out, const eic_fin_vendor_options *o,
                          eic_diags *diags)
{
	int bad = 0, error = 0;
	if (!out || !o)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!isfinite(o->cash_price) || o->cash_price <= 0 || o->cash_price > 1e15)
		bad += eic_fin__error(diags, "vendor credit: cash price = %g, it must be > 0",
		                      o->cash_price);
	bad +=
	    eic_fin__check_range(diags, "vendor credit: credit price", o->credit_price, 0.0, 1e15);
	bad += eic_fin__check_range(diags, "vendor credit: down payment share",
	                            o->down_payment_share, 0.0, 0.999);
	if (o->instalments < 1 || o->instalments > EIC_FIN_MAX_PERIODS)
		bad += eic_fin__error(diags, "vendor credit: %d instalments, it must be 1..%d",
		                      o->instalments, EIC_FIN_MAX_PERIODS);
	if (o->periods_per_year < 1 || o->periods_per_year > 365)
		bad += eic_fin__error(diags, "vendor credit: %d periods per year",
		                      o->periods_per_year);
	else if (!isfinite(o->rate) || o->rate < 0)
		bad += eic_fin__error(diags, "vendor credit: rate = %g, it must be >= 0", o->rate);
	else
		bad +=
		    eic_fin__check_rate(diags, "vendor credit: rate", o->rate, o->periods_per_year);
	if (bad)
		return EIC_EINVALID;
	double price = o->credit_price > 0 ? o->credit_price : o->cash_price;
	out->down_payment = o->down_payment_share * price;
	out->financed = price - out->down_payment;
	out->instalment = eic_fin__annuity(out->financed, o->rate, o->instalments);
	out->total_paid = out->down_payment + out->instalment * o->instalments;
	double *flows = eic_malloc(((size_t)o->instalments + 1) * sizeof(double));
	if (!flows)
		return EIC_ENOMEM;
	flows[0] = o->cash_price - out->down_payment;
	for (int k = 1; k <= o->instalments; k++)
		flows[k] = -out->instalment;
	error = eic_fin_irr_compute(&out->irr, flows, (size_t)o->instalments + 1, NULL);
	eic_free(flows);
	if (error < 0)
		return error;
	eic_fin__effective_rates(&out->has_rate, &out->periodic_rate, &out->apr, &out->ear,
	                         &out->irr, o->periods_per_year);
	return 0;
}

/* ---- franchising ----------------------------------------------------------------------- */

int eic_fin_franchise(eic_fin_franchise_result *out, const eic_fin_franchise_options *o,
                      eic_diags *diags)
{
	int bad = 0, error = 0;
	eic_loan *loan = NULL;
	double *flows = NULL;
	if (!out || !o)
		return EIC_EINVAL;
	memset(out, 0, sizeof(*out));
	eic_loan_options lo = o->loan;
	lo.fee = lo.fee_share = lo.deposit = lo.deposit_instalments = 0.0;
	bad += validate_loan(&lo, diags, "franchise loan");
	bad += eic_fin__check_range(diags, "franchise: disbursement fee share",
	                            o->disbursement_fee_share, 0.0, 0.5);
	bad += eic_fin__check_range(diags, "franchise: recovery fee share", o->recovery_fee_share,
	                            0.0, 0.5);
	bad +=
	    eic_fin__check_range(diags, "franchise: repayment rate", o->repayment_rate, 0.0, 1.0);
	bad += eic_fin__check_range(diags, "franchise: number of loans", o->loans, 0.0, 1e12);
	if (bad)
		return EIC_EINVALID;
	if ((error = eic_loan_new(&loan, &lo, diags)) < 0)
		goto done;
	size_t n = loan->row_count;
	if (!(flows = eic_malloc(n * sizeof(double)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	double P = lo.principal;
	out->mfi_fee_disbursement = o->disbursement_fee_share * P;
	flows[0] = -P - out->mfi_fee_disbursement;
	for (size_t k = 1; k < n; k++) {
		double got = o->repayment_rate * loan->rows[k].payment;
		double fee = o->recovery_fee_share * got;
		out->recovered += got;
		out->mfi_fee_recovery += fee;
		flows[k] = got - fee;
	}
	out->mfi_fee_total = out->mfi_fee_disbursement + out->mfi_fee_recovery;
	out->bank_net = out->recovered - P - out->mfi_fee_total;
	if ((error = eic_fin_irr_compute(&out->bank_irr, flows, n, NULL)) < 0)
		goto done;
	eic_fin__effective_rates(&out->has_bank_rate, &out->bank_periodic_rate, &out->bank_apr,
	                         &out->bank_ear, &out->bank_irr, lo.periods_per_year);
	out->programme_mfi_fees = o->loans * out->mfi_fee_total;
	out->programme_bank_net = o->loans * out->bank_net;
	out->programme_disbursed = o->loans * P;
done:
	eic_free(flows);
	eic_loan_free(loan);
	return error;
}
