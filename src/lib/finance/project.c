/* project.c: the yearly cash-flow model of a project (escalation under the RETScreen or SAM
 * convention, subsidies, debt, tax and depreciation) and its appraisal (docs/methods/finance.md).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finance_private.h"
#include "util/util.h"

struct eic_fin_appraisal {
	eic_fin_summary summary;
	eic_fin_year *years;
	size_t year_count;
	double *pre_tax, *after_tax, *equity, *cum_equity; /* one block, 4 x year_count */
	eic_arena arena;                                   /* note texts */
	eic_vec notes;                                     /* const char * */
};

static int add_note(eic_fin_appraisal *a, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int add_note(eic_fin_appraisal *a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *copy = eic_arena_strdup(&a->arena, buf);
	if (!copy || !eic_vec_push(&a->notes, &copy))
		return EIC_ENOMEM;
	return 0;
}

/* Check every input of a project and the options; one error per problem. Returns the number
 * of problems. */
static int validate(const eic_fin_project *p, const eic_fin_options *o, eic_diags *d)
{
	int bad = 0;
	double huge = 1e15; /* money amounts above this are not plausible */
	if (p->life_years < 1 || p->life_years > EIC_FIN_MAX_LIFE_YEARS)
		bad += eic_fin__error(d, "project life = %d years: it must be 1..%d", p->life_years,
		                      EIC_FIN_MAX_LIFE_YEARS);
	if (p->first_operating_year < 1 || p->first_operating_year > EIC_FIN_MAX_LIFE_YEARS)
		bad += eic_fin__error(d, "first operating year = %d: it must be 1..%d",
		                      p->first_operating_year, EIC_FIN_MAX_LIFE_YEARS);
	long last = (long)p->first_operating_year + p->life_years - 1;
	if (!p->capex && p->capex_count > 0)
		bad +=
		    eic_fin__error(d, "capital schedule: %zu years but no values", p->capex_count);
	else if (p->capex_count > 0 && (long)p->capex_count > last + 1)
		bad +=
		    eic_fin__error(d,
		                   "capital schedule runs %zu years, past the end of the project "
		                   "(year %ld)",
		                   p->capex_count, last);
	for (size_t i = 0; p->capex && i < p->capex_count; i++)
		if (!isfinite(p->capex[i]) || p->capex[i] < 0 || p->capex[i] > huge)
			bad += eic_fin__error(d, "capital cost of year %zu = %g: it must be 0..%g",
			                      i, p->capex[i], huge);
	if (!p->ramp && p->ramp_count > 0)
		bad += eic_fin__error(d, "output ramp: %zu years but no values", p->ramp_count);
	for (size_t i = 0; p->ramp && i < p->ramp_count; i++)
		bad += eic_fin__check_range(d, "output ramp share", p->ramp[i], 0.0, 10.0);
	bad += eic_fin__check_range(d, "revenue", p->revenue, 0.0, huge);
	bad += eic_fin__check_range(d, "avoided cost", p->avoided_cost, 0.0, huge);
	bad += eic_fin__check_range(d, "fixed operating cost", p->opex_fixed, 0.0, huge);
	bad += eic_fin__check_range(d, "variable operating cost", p->opex_variable, 0.0, huge);
	bad += eic_fin__check_range(d, "energy per year", p->energy_per_year, 0.0, 1e18);
	bad += eic_fin__check_range(d, "CO2e avoided per year", p->co2e_t_per_year, 0.0, 1e12);
	bad += eic_fin__check_range(d, "salvage value", p->salvage_value, 0.0, huge);
	bad += eic_fin__check_range(d, "grant", p->grant, 0.0, huge);
	bad += eic_fin__check_range(d, "capital subsidy share", p->capital_subsidy_share, 0.0, 1.0);
	bad += eic_fin__check_range(d, "equity available", p->equity_available, 0.0, huge);
	bad += eic_fin__check_rate(d, "revenue escalation", p->revenue_escalation, 1);
	bad += eic_fin__check_rate(d, "avoided-cost escalation", p->avoided_cost_escalation, 1);
	bad += eic_fin__check_rate(d, "operating-cost escalation", p->opex_escalation, 1);
	bad += eic_fin__check_range(d, "debt ratio", p->debt_ratio, 0.0, 1.0);
	bad += eic_fin__check_range(d, "debt interest rate", p->debt_rate, 0.0,
	                            EIC_FIN_MAX_YEARLY_RATE);
	if (p->debt_term_years < 0)
		bad += eic_fin__error(d, "debt term = %d years: it cannot be negative",
		                      p->debt_term_years);
	else if (p->debt_term_years > p->life_years && p->life_years >= 1)
		bad +=
		    eic_fin__error(d,
		                   "debt term = %d years is longer than the project's life of %d "
		                   "years: the loan would outlive the asset",
		                   p->debt_term_years, p->life_years);
	if (p->debt_ratio > 0 && p->debt_term_years == 0)
		bad +=
		    eic_fin__error(d, "debt ratio %g with a debt term of 0 years", p->debt_ratio);
	bad += eic_fin__check_range(d, "tax rate", p->tax_rate, 0.0, 0.99);
	switch (p->depreciation) {
	case EIC_FIN_DEPR_NONE:
		break;
	case EIC_FIN_DEPR_STRAIGHT_LINE:
		if (p->depreciation_years < 1 || p->depreciation_years > EIC_FIN_MAX_LIFE_YEARS)
			bad += eic_fin__error(d,
			                      "straight-line depreciation over %d years: it must "
			                      "be 1..%d",
			                      p->depreciation_years, EIC_FIN_MAX_LIFE_YEARS);
		break;
	case EIC_FIN_DEPR_DECLINING_BALANCE:
		if (!isfinite(p->depreciation_rate) || p->depreciation_rate <= 0 ||
		    p->depreciation_rate > 1)
			bad +=
			    eic_fin__error(d, "declining-balance rate = %g: it must be in (0, 1]",
			                   p->depreciation_rate);
		break;
	default:
		bad += eic_fin__error(d, "unknown depreciation method %d", (int)p->depreciation);
	}
	if (p->tax_loss < EIC_FIN_LOSS_CARRY_FORWARD || p->tax_loss > EIC_FIN_LOSS_LOST)
		bad += eic_fin__error(d, "unknown tax-loss treatment %d", (int)p->tax_loss);
	if (o->convention != EIC_FIN_RETSCREEN && o->convention != EIC_FIN_SAM)
		bad += eic_fin__error(d, "unknown convention %d", (int)o->convention);
	bad += eic_fin__check_rate(d, "discount rate", o->discount_rate, 1);
	bad += eic_fin__check_rate(d, "inflation", o->inflation, 1);
	bad += eic_fin__check_rate(d, "MIRR finance rate", o->finance_rate, 1);
	bad += eic_fin__check_rate(d, "MIRR reinvestment rate", o->reinvest_rate, 1);
	bad += eic_fin__check_range(d, "fixed charge rate", o->fixed_charge_rate, 0.0, 1.0);
	if (!isfinite(o->irr.rate_min) || !isfinite(o->irr.rate_max) || o->irr.rate_min <= -1.0 ||
	    o->irr.rate_max <= o->irr.rate_min)
		bad += eic_fin__error(d, "IRR search range [%g, %g] must lie above -100%%",
		                      o->irr.rate_min, o->irr.rate_max);
	return bad;
}

/* Income tax of one year under the loss treatment; `carry` is the pool of losses carried. */
static double tax_of(double taxable, double rate, eic_fin_tax_loss loss, double *carry)
{
	switch (loss) {
	case EIC_FIN_LOSS_FLOW_THROUGH:
		return rate * taxable;
	case EIC_FIN_LOSS_LOST:
		return taxable > 0 ? rate * taxable : 0.0;
	case EIC_FIN_LOSS_CARRY_FORWARD:
	default:
		if (taxable < 0) {
			*carry += -taxable;
			return 0.0;
		}
		double use = *carry < taxable ? *carry : taxable;
		*carry -= use;
		return rate * (taxable - use);
	}
}

static const char *series_label(int i)
{
	static const char *labels[] = {"pre-tax project", "after-tax project", "equity"};
	return labels[i];
}

/* Notes for one series' metrics that do not exist or need care. */
static int note_metrics(eic_fin_appraisal *a, const eic_fin_metrics *m, int which)
{
	int rc = 0;
	const char *label = series_label(which);
	if (m->irr.status != EIC_FIN_IRR_UNIQUE || m->irr.several_sign_changes)
		rc = add_note(a, "%s IRR: %s (%zu sign changes, %zu roots found)", label,
		              m->irr.message, m->irr.sign_changes, m->irr.root_count);
	if (!rc && !m->has_payback)
		rc = add_note(a,
		              "%s: the cumulative cash flow never returns to zero within the life "
		              "(no payback)",
		              label);
	if (!rc && m->has_payback && m->payback_recrosses)
		rc = add_note(a,
		              "%s: the cumulative cash flow turns negative again after the payback",
		              label);
	if (!rc && !m->has_mirr)
		rc = add_note(a, "%s: no MIRR (the flows need both signs and two years)", label);
	return rc;
}

/*
 * Build the table year by year, then the metrics. Every amount is nominal money of its year.
 * O(years) plus the IRR searches. The appraisal owns all its memory.
 */
int eic_fin_appraise(eic_fin_appraisal **out, const eic_fin_project *p, const eic_fin_options *opts,
                     eic_diags *diags)
{
	eic_fin_options defaults = EIC_FIN_OPTIONS_INIT;
	eic_fin_appraisal *a = NULL;
	double *costs = NULL, *energy = NULL;
	double *sl_end = NULL; /* per year: straight-line depreciation ending with that year */
	int error = 0;
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	if (!p)
		return EIC_EINVAL;
	if (!opts)
		opts = &defaults;
	if (validate(p, opts, diags) > 0)
		return EIC_EINVALID;

	double infl = opts->inflation, d_nom, d_real;
	double e_rev = p->revenue_escalation, e_av = p->avoided_cost_escalation,
	       e_op = p->opex_escalation;
	if (opts->convention == EIC_FIN_SAM) {
		d_real = opts->discount_rate;
		d_nom = (1.0 + d_real) * (1.0 + infl) - 1.0;
		e_rev = (1.0 + e_rev) * (1.0 + infl) - 1.0;
		e_av = (1.0 + e_av) * (1.0 + infl) - 1.0;
		e_op = (1.0 + e_op) * (1.0 + infl) - 1.0;
	} else {
		d_nom = opts->discount_rate;
		d_real = (1.0 + d_nom) / (1.0 + infl) - 1.0;
	}
	if (d_real <= -1.0 || d_nom <= -1.0) {
		(void)eic_fin__error(diags,
		                     "the discount rate and inflation give a rate <= -100%%");
		return EIC_EINVALID;
	}

	size_t n = (size_t)p->first_operating_year + (size_t)p->life_years;
	a = eic_calloc(1, sizeof(*a));
	if (!a)
		return EIC_ENOMEM;
	eic_arena_init(&a->arena);
	eic_vec_init(&a->notes, sizeof(const char *));
	a->year_count = n;
	a->years = eic_calloc(n, sizeof(*a->years));
	a->pre_tax = eic_calloc(4 * n, sizeof(double));
	costs = eic_calloc(2 * n, sizeof(double));
	if (!a->years || !a->pre_tax || !costs) {
		error = EIC_ENOMEM;
		goto done;
	}
	a->after_tax = a->pre_tax + n;
	a->equity = a->pre_tax + 2 * n;
	a->cum_equity = a->pre_tax + 3 * n;
	energy = costs + n;

	eic_fin_summary *s = &a->summary;
	s->discount_nominal = d_nom;
	s->discount_real = d_real;
	s->inflation = infl;

	/* Debt: an annuity on debt_ratio x the net capital cost of year 0, repaid years 1..term. */
	double cap0 = p->capex_count > 0 ? p->capex[0] : 0.0;
	double net0 = cap0 * (1.0 - p->capital_subsidy_share) - p->grant;
	double debt = p->debt_term_years > 0 && net0 > 0 ? p->debt_ratio * net0 : 0.0;
	double debt_payment =
	    debt > 0 ? eic_fin__annuity(debt, p->debt_rate, p->debt_term_years) : 0.0;
	double debt_balance = debt;

	double book = 0.0, pending_basis = 0.0, carry = 0.0, carry_eq = 0.0;
	double sl_amount = 0.0; /* straight line: yearly depreciation of the tranches in service */
	if (p->depreciation == EIC_FIN_DEPR_STRAIGHT_LINE) {
		sl_end = eic_calloc(n + (size_t)p->depreciation_years + 2, sizeof(double));
		if (!sl_end) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	int first_op = p->first_operating_year;
	double cum_pre = 0.0, cum_after = 0.0, cum_eq = 0.0;
	double g_rev = 1.0, g_av = 1.0, g_op = 1.0, v_real = 1.0;
	for (size_t t = 0; t < n; t++) {
		eic_fin_year *y = &a->years[t];
		double tt = (double)t;
		y->year = (int)t;
		y->capex = t < p->capex_count ? p->capex[t] : 0.0;
		y->subsidy = p->capital_subsidy_share * y->capex + (t == 0 ? p->grant : 0.0);
		if ((int)t >= first_op) {
			size_t k = t - (size_t)first_op;
			y->output_share = k < p->ramp_count ? p->ramp[k] : 1.0;
			y->revenue = y->output_share * p->revenue * g_rev;
			y->avoided_cost = y->output_share * p->avoided_cost * g_av;
			y->energy = y->output_share * p->energy_per_year;
			y->co2e_t = y->output_share * p->co2e_t_per_year;
			y->opex = (p->opex_fixed + p->opex_variable * y->energy) * g_op;
		}
		if (t + 1 == n)
			y->salvage = p->salvage_value * pow(1.0 + infl, tt);
		y->pre_tax =
		    -y->capex + y->subsidy + y->revenue + y->avoided_cost - y->opex + y->salvage;

		/* Depreciation: capital enters the book when spent and is depreciated from the
		 * later of the next year and the first operating year. */
		double basis =
		    y->capex * (p->subsidy_reduces_basis ? 1.0 - p->capital_subsidy_share : 1.0);
		double gain = 0.0;
		if (p->depreciation != EIC_FIN_DEPR_NONE) {
			if ((int)t >= first_op) {
				if (p->depreciation == EIC_FIN_DEPR_STRAIGHT_LINE) {
					/* tranches spent before t start now */
					if (pending_basis > 0) {
						double per = pending_basis / p->depreciation_years;
						sl_amount += per;
						sl_end[t + (size_t)p->depreciation_years - 1] +=
						    per;
						pending_basis = 0.0;
					}
					y->depreciation = sl_amount < book ? sl_amount : book;
					sl_amount -= sl_end[t];
					if (sl_amount < 0)
						sl_amount = 0.0; /* rounding */
				} else {
					pending_basis = 0.0;
					y->depreciation = p->depreciation_rate * book;
				}
				book -= y->depreciation;
			}
			book += basis;
			pending_basis += basis;
			if (t + 1 == n)
				gain = y->salvage - book;
		}
		double operating = y->revenue + y->avoided_cost - y->opex;
		double taxable = operating - y->depreciation + gain;
		if (p->depreciation == EIC_FIN_DEPR_NONE)
			taxable = operating; /* capital not deductible, salvage not taxed */
		y->tax = p->tax_rate > 0 ? tax_of(taxable, p->tax_rate, p->tax_loss, &carry) : 0.0;
		y->after_tax = y->pre_tax - y->tax;

		if (t == 0)
			y->debt_drawn = debt;
		else if (debt_balance > 0 && (int)t <= p->debt_term_years) {
			y->debt_interest = debt_balance * p->debt_rate;
			y->debt_principal = debt_payment - y->debt_interest;
			if ((int)t == p->debt_term_years || y->debt_principal > debt_balance)
				y->debt_principal = debt_balance;
			debt_balance -= y->debt_principal;
		}
		y->tax_equity = p->tax_rate > 0 ? tax_of(taxable - y->debt_interest, p->tax_rate,
		                                         p->tax_loss, &carry_eq)
		                                : 0.0;
		y->equity = y->pre_tax - y->tax_equity + y->debt_drawn - y->debt_interest -
		            y->debt_principal;
		cum_pre += y->pre_tax;
		cum_after += y->after_tax;
		cum_eq += y->equity;
		y->cumulative_pre_tax = cum_pre;
		y->cumulative_after_tax = cum_after;
		y->cumulative_equity = cum_eq;
		a->pre_tax[t] = y->pre_tax;
		a->after_tax[t] = y->after_tax;
		a->equity[t] = y->equity;
		a->cum_equity[t] = cum_eq;
		costs[t] = y->capex - y->subsidy + y->opex - y->salvage;
		energy[t] = y->energy;
		s->net_capital_cost += y->capex - y->subsidy;
		s->co2e_t += y->co2e_t;
		s->co2e_t_discounted += y->co2e_t * v_real;
		g_rev *= 1.0 + e_rev; /* escalation factors (1 + e)^t for the next year */
		g_av *= 1.0 + e_av;
		g_op *= 1.0 + e_op;
		v_real /= 1.0 + d_real;
	}
	eic_free(sl_end);
	sl_end = NULL;

	eic_fin_metrics_options mo = EIC_FIN_METRICS_OPTIONS_INIT;
	mo.rate = d_nom;
	mo.finance_rate = opts->finance_rate;
	mo.reinvest_rate = opts->reinvest_rate;
	if (opts->finance_rate == 0.0 && opts->reinvest_rate == 0.0)
		mo.finance_rate = mo.reinvest_rate = d_nom;
	mo.irr = opts->irr;
	if ((error = eic_fin_metrics_compute(&s->pre_tax, a->pre_tax, n, &mo)) < 0 ||
	    (error = eic_fin_metrics_compute(&s->after_tax, a->after_tax, n, &mo)) < 0 ||
	    (error = eic_fin_metrics_compute(&s->equity, a->equity, n, &mo)) < 0)
		goto done;
	if ((error = eic_fin_valley_compute(&s->valley, a->equity, n, p->equity_available)) < 0)
		goto done;

	/* LCOE */
	if (p->energy_per_year > 0) {
		s->has_lcoe = 1;
		(void)eic_fin_lcoe_discounted(&s->lcoe_nominal, costs, energy, n, d_nom, d_nom);
		(void)eic_fin_lcoe_discounted(&s->lcoe_real, costs, energy, n, d_nom, d_real);
		s->fixed_charge_rate = opts->fixed_charge_rate;
		if (s->fixed_charge_rate == 0.0)
			(void)eic_fin_crf(&s->fixed_charge_rate, d_real, (double)p->life_years);
		if (s->fixed_charge_rate > 1.0)
			s->fixed_charge_rate = 1.0;
		(void)eic_fin_lcoe_fcr(&s->lcoe_fcr, s->net_capital_cost, p->opex_fixed,
		                       p->opex_variable, s->fixed_charge_rate, p->energy_per_year);
	}
	if (p->co2e_t_per_year > 0 && s->co2e_t_discounted > 0) {
		s->has_co2e = 1;
		s->cost_per_t = -s->pre_tax.npv / s->co2e_t_discounted;
		s->cost_per_t_undiscounted = -s->pre_tax.npv / s->co2e_t;
	}

	/* Notes */
	if (opts->convention == EIC_FIN_SAM)
		error =
		    add_note(a,
		             "SAM convention: real discount rate %.4g%%, inflation %.4g%%, nominal "
		             "discount rate (1+d_real)(1+i)-1 = %.4g%%; escalation rates read as "
		             "real (above inflation)",
		             100 * d_real, 100 * infl, 100 * d_nom);
	else
		error = add_note(a,
		                 "RETScreen convention: nominal discount rate %.4g%% and nominal "
		                 "escalation rates; real discount rate (1+d)/(1+i)-1 = %.4g%% at "
		                 "inflation %.4g%%",
		                 100 * d_nom, 100 * d_real, 100 * infl);
	for (int i = 0; !error && i < 3; i++)
		error = note_metrics(
		    a, i == 0 ? &s->pre_tax : (i == 1 ? &s->after_tax : &s->equity), i);
	if (!error && !s->has_lcoe)
		error = add_note(a, "no LCOE: the project delivers no energy");
	if (!error && !s->has_co2e)
		error = add_note(a, "no cost per tonne of CO2e: no tonnes avoided were given");
	if (!error && s->valley.funding_gap > 0)
		error = add_note(
		    a, "death valley: peak funding need %.2f, equity %.2f, funding gap %.2f",
		    s->valley.depth, s->valley.equity, s->valley.funding_gap);
	if (error)
		goto done;
	*out = a;
	a = NULL;
done:
	eic_free(sl_end);
	eic_free(costs);
	eic_fin_appraisal_free(a);
	return error;
}

void eic_fin_appraisal_free(eic_fin_appraisal *a)
{
	if (!a)
		return;
	eic_free(a->years);
	eic_free(a->pre_tax);
	eic_vec_free(&a->notes);
	eic_arena_clear(&a->arena);
	eic_free(a);
}

const eic_fin_summary *eic_fin_appraisal_summary(const eic_fin_appraisal *a)
{
	return a ? &a->summary : NULL;
}

size_t eic_fin_appraisal_year_count(const eic_fin_appraisal *a)
{
	return a ? a->year_count : 0;
}

const eic_fin_year *eic_fin_appraisal_year(const eic_fin_appraisal *a, size_t i)
{
	return a && i < a->year_count ? &a->years[i] : NULL;
}

const double *eic_fin_appraisal_series(const eic_fin_appraisal *a, const char *name)
{
	if (!a || !name)
		return NULL;
	if (strcmp(name, "pre_tax") == 0)
		return a->pre_tax;
	if (strcmp(name, "after_tax") == 0)
		return a->after_tax;
	if (strcmp(name, "equity") == 0)
		return a->equity;
	if (strcmp(name, "cumulative_equity") == 0)
		return a->cum_equity;
	return NULL;
}

size_t eic_fin_appraisal_note_count(const eic_fin_appraisal *a)
{
	return a ? a->notes.len : 0;
}

const char *eic_fin_appraisal_note(const eic_fin_appraisal *a, size_t i)
{
	return a && i < a->notes.len ? *EIC_VEC_AT(&a->notes, const char *, i) : NULL;
}
