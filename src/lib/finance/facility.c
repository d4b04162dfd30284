/* facility.c: a finance project built from a cluster's candidate shared facility, the four
 * default financing options, and the comparison of options against the death valley. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eic/model.h>
#include <eic/units.h>

#include "finance_private.h"

/* The four default options compared when none is given (docs/cli/finance.md). Terms are
 * ASSUMPTIONs unless a source is named. */
const char eic_fin__default_options_json[] =
    "[\n"
    " {\"id\": \"bank_loan\", \"name\": \"Bank loan for 70 % of the cost\",\n"
    "  \"instrument\": \"annuity_loan\", \"share\": 0.7, \"rate\": 0.10, \"term_years\": 5,\n"
    "  \"periods_per_year\": 12, \"fee_share\": 0.01,\n"
    "  \"source\": \"ASSUMPTION: a commercial SME term loan: 70 % of the cost (the owner "
    "brings 30 %), 10 %/yr on the declining balance, 60 monthly instalments, 1 % fee\"},\n"
    " {\"id\": \"microfinance\", \"name\": \"Micro-finance loan, 12 %/yr flat over 2 years\",\n"
    "  \"instrument\": \"flat_loan\", \"share\": 1, \"rate\": 0.12, \"term_years\": 2,\n"
    "  \"periods_per_year\": 12, \"deposit_instalments\": 1,\n"
    "  \"source\": \"training manual 3.d (household biogas loans: 12 %/yr flat over 24 "
    "months, one instalment held as a deposit; reference case L3)\"},\n"
    " {\"id\": \"subsidy_loan\", \"name\": \"40 % capital subsidy plus a 5-year bank loan\",\n"
    "  \"instrument\": \"annuity_loan\", \"subsidy_share\": 0.4, \"share\": 1, \"rate\": 0.10,\n"
    "  \"term_years\": 5, \"periods_per_year\": 12, \"fee_share\": 0.01,\n"
    "  \"source\": \"subsidy: training manual 3.d.5.3 (Nepal: about 40 % on biogas); loan on "
    "the rest: the bank loan's terms (ASSUMPTION)\"},\n"
    " {\"id\": \"lease\", \"name\": \"Equipment lease over 5 years\",\n"
    "  \"instrument\": \"lease\", \"share\": 1, \"rate\": 0.12, \"term_years\": 5,\n"
    "  \"periods_per_year\": 12, \"in_advance\": true,\n"
    "  \"source\": \"ASSUMPTION: a full-payout lease of the whole cost, 60 monthly payments "
    "in advance at a lessor's implicit rate of 12 %/yr, no residual\"}\n"
    "]\n";

/* ---- money as text ------------------------------------------------------------------------ */

void eic_fin__fmt_money(char *buf, size_t size, double v)
{
	char tmp[64];
	if (!size)
		return;
	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return;
	}
	if (v == 0) {
		snprintf(buf, size, "0");
		return;
	}
	int whole = fabs(v) >= 100;
	snprintf(tmp, sizeof(tmp), whole ? "%.0f" : "%.2f", v);
	if (!strcmp(tmp, "-0") || !strcmp(tmp, "-0.00"))
		memmove(tmp, tmp + 1, strlen(tmp));
	const char *digits = tmp[0] == '-' ? tmp + 1 : tmp;
	const char *dot = strchr(digits, '.');
	size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
	size_t o = 0;
	if (tmp[0] == '-' && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < int_len && o + 1 < size; i++) {
		if (i > 0 && (int_len - i) % 3 == 0 && o + 1 < size)
			buf[o++] = ',';
		if (o + 1 < size)
			buf[o++] = digits[i];
	}
	for (const char *p = dot; p && *p && o + 1 < size; p++)
		buf[o++] = *p;
	buf[o] = '\0';
}

/* ---- the comparison ------------------------------------------------------------------------ */

struct eic_fin_comparison {
	eic_arena arena;
	eic_fin_option_result *results; /* rank order, invalid last */
	size_t count;
	eic_fin_valley valley;
	char *verdict;
};

static const char *period_word(int ppy)
{
	switch (ppy) {
	case 1:
		return "yearly";
	case 2:
		return "half-yearly";
	case 4:
		return "quarterly";
	case 12:
		return "monthly";
	case 26:
		return "fortnightly";
	case 52:
		return "weekly";
	default:
		return NULL;
	}
}

static void pct(char *buf, size_t size, double share)
{
	snprintf(buf, size, "%.4g %%", share * 100.0);
}

/* Period p of an instrument with ppy periods a year falls in year ceil(p / ppy). */
static void add_period_flow(double *flows, size_t years, int p, int ppy, double v)
{
	size_t y = ((size_t)p + (size_t)ppy - 1) / (size_t)ppy;
	if (y >= years)
		y = years - 1;
	flows[y] += v;
}

/* Effective yearly cost of a series per period (IRR, APR, EAR). */
static void rates_of(eic_fin_option_result *r, const double *period_flows, size_t n, int ppy)
{
	eic_fin_irr irr;
	double periodic = 0;
	r->has_rate = 0;
	if (eic_fin_irr_compute(&irr, period_flows, n, NULL) == 0)
		eic_fin__effective_rates(&r->has_rate, &periodic, &r->apr, &r->ear, &irr, ppy);
}

static const char *first_message(eic_diags *d)
{
	for (size_t i = 0; d && i < eic_diags_count(d); i++)
		if (eic_diags_get(d, i)->severity == EIC_SEV_ERROR)
			return eic_diags_get(d, i)->message;
	return "the terms are not valid";
}

/* Build the flows and the effect of one option. Sets r->valid = 0 with r->problem when it
 * cannot be applied. Returns 0 or EIC_ENOMEM. */
static int apply_option(eic_fin_comparison *cmp, eic_fin_option_result *r,
                        const eic_fin_appraisal *a, const char *cur)
{
	const eic_fin_option *o = r->option;
	size_t n = eic_fin_appraisal_year_count(a);
	int life = (int)n - 1; /* years after year 0 */
	double *flows = eic_arena_alloc(&cmp->arena, n * sizeof(double));
	char terms[1024] = "", amount_text[64], inst_text[64], p1[32], p2[32];
	size_t used = 0;
	eic_diags *local = NULL;
	eic_loan *loan = NULL;
	double *period_flows = NULL;
	int rc = 0;
	if (!flows)
		return EIC_ENOMEM;
	memset(flows, 0, n * sizeof(double));
	r->flows = flows;
	r->valid = 1;
	r->periods_per_year = o->periods_per_year;
	if ((rc = eic_diags_new(&local, 16)) < 0)
		return rc;

	/* subsidies and grant */
	double capex0 = eic_fin_appraisal_year(a, 0)->capex;
	for (size_t t = 0; t < n; t++) {
		double s = o->subsidy_share * eic_fin_appraisal_year(a, t)->capex;
		flows[t] += s;
		r->subsidy += s;
	}
	flows[0] += o->grant;
	r->subsidy += o->grant;
	if (o->subsidy_share > 0) {
		pct(p1, sizeof(p1), o->subsidy_share);
		eic_fin__fmt_money(amount_text, sizeof(amount_text), r->subsidy - o->grant);
		used += (size_t)snprintf(terms + used, sizeof(terms) - used,
		                         "%s capital subsidy (%s %s)", p1, amount_text, cur);
	}
	if (o->grant > 0 && used < sizeof(terms)) {
		eic_fin__fmt_money(amount_text, sizeof(amount_text), o->grant);
		used += (size_t)snprintf(terms + used, sizeof(terms) - used, "%sgrant of %s %s",
		                         used ? ", " : "", amount_text, cur);
	}

	unsigned kind = (unsigned)o->instrument;
	int financing = kind != EIC_FIN_INSTR_CAPITAL_SUBSIDY && kind != EIC_FIN_INSTR_GRANT;
	if (!financing)
		goto finish;
	double left0 =
	    capex0 - eic_fin_appraisal_year(a, 0)->subsidy - o->subsidy_share * capex0 - o->grant;
	r->financed = o->amount > 0 ? o->amount : o->share * (left0 > 0 ? left0 : 0);
	int ppy = o->periods_per_year;
	int periods = (int)floor(o->term_years * ppy + 0.5);
	double total_years = o->term_years + (double)o->grace_periods / ppy;
	const char *every = period_word(ppy);
	char every_buf[32];
	if (!every) {
		snprintf(every_buf, sizeof(every_buf), "%d-a-year", ppy);
		every = every_buf;
	}
	if (!(r->financed > 0)) {
		r->valid = 0;
		r->problem = "nothing is left to finance in year 0 after the subsidies and grants";
		goto finish;
	}
	if (total_years > life + 1e-9) {
		char msg[256];
		snprintf(msg, sizeof(msg),
		         "it runs %g years, longer than the project's life of %d years",
		         total_years, life);
		r->valid = 0;
		r->problem = eic_arena_strdup(&cmp->arena, msg);
		goto finish;
	}
	eic_fin__fmt_money(amount_text, sizeof(amount_text), r->financed);
	if (used < sizeof(terms) && used)
		used += (size_t)snprintf(terms + used, sizeof(terms) - used, ", then ");
	if (kind == EIC_FIN_INSTR_LEASE) {
		double rp = o->rate / ppy, residual = o->residual_share * r->financed;
		double pay = o->payment;
		if (!(pay > 0)) {
			double v_n = pow(1 + rp, -periods);
			double ann = rp == 0 ? periods : (1 - v_n) / rp;
			if (o->in_advance)
				ann *= 1 + rp;
			pay = (r->financed - residual * v_n) / ann;
		}
		period_flows = eic_calloc((size_t)periods + 1, sizeof(double));
		if (!period_flows) {
			rc = EIC_ENOMEM;
			goto done;
		}
		period_flows[0] = r->financed;
		for (int k = 0; k < periods; k++)
			period_flows[o->in_advance ? k : k + 1] -= pay;
		period_flows[periods] -= residual;
		for (int p = 0; p <= periods; p++)
			add_period_flow(flows, n, p, ppy, period_flows[p]);
		rates_of(r, period_flows, (size_t)periods + 1, ppy);
		r->instalment = pay;
		r->instalments = periods;
		eic_fin__fmt_money(inst_text, sizeof(inst_text), pay);
		pct(p1, sizeof(p1), o->rate);
		used += (size_t)snprintf(terms + used, sizeof(terms) - used,
		                         "lease of %s %s: %d %s payments of %s %s %s", amount_text,
		                         cur, periods, every, inst_text, cur,
		                         o->in_advance ? "in advance" : "in arrears");
		if (!(o->payment > 0) && used < sizeof(terms))
			used += (size_t)snprintf(terms + used, sizeof(terms) - used,
			                         " (lessor's rate %s/yr)", p1);
		if (residual > 0 && used < sizeof(terms)) {
			eic_fin__fmt_money(inst_text, sizeof(inst_text), residual);
			used += (size_t)snprintf(terms + used, sizeof(terms) - used,
			                         ", %s %s to buy it at the end", inst_text, cur);
		}
	} else if (kind == EIC_FIN_INSTR_VENDOR_CREDIT) {
		eic_fin_vendor_options vo = EIC_FIN_VENDOR_OPTIONS_INIT;
		eic_fin_vendor_result vr;
		vo.cash_price = r->financed;
		vo.credit_price = r->financed * (1 + o->credit_markup);
		vo.down_payment_share = o->down_payment_share;
		vo.rate = o->rate / ppy;
		vo.instalments = periods;
		vo.periods_per_year = ppy;
		if (eic_fin_vendor_credit(&vr, &vo, local) < 0) {
			r->valid = 0;
			r->problem = eic_arena_strdup(&cmp->arena, first_message(local));
			goto finish;
		}
		flows[0] += r->financed - vr.down_payment;
		for (int p = 1; p <= periods; p++)
			add_period_flow(flows, n, p, ppy, -vr.instalment);
		r->instalment = vr.instalment;
		r->instalments = periods;
		r->has_rate = vr.has_rate;
		r->apr = vr.apr;
		r->ear = vr.ear;
		eic_fin__fmt_money(inst_text, sizeof(inst_text), vr.instalment);
		pct(p1, sizeof(p1), o->down_payment_share);
		pct(p2, sizeof(p2), o->rate);
		used += (size_t)snprintf(terms + used, sizeof(terms) - used,
		                         "vendor credit on %s %s: %s down, %d %s instalments of %s "
		                         "%s (vendor's rate %s/yr)",
		                         amount_text, cur, p1, periods, every, inst_text, cur, p2);
	} else {
		eic_loan_options lo = EIC_LOAN_OPTIONS_INIT;
		switch (kind) {
		case EIC_FIN_INSTR_EQUAL_PRINCIPAL_LOAN:
			lo.kind = EIC_LOAN_EQUAL_PRINCIPAL;
			break;
		case EIC_FIN_INSTR_FLAT_LOAN:
			lo.kind = EIC_LOAN_FLAT;
			break;
		case EIC_FIN_INSTR_BALLOON_LOAN:
			lo.kind = EIC_LOAN_BALLOON;
			break;
		case EIC_FIN_INSTR_REVOLVING_FUND:
		case EIC_FIN_INSTR_GROUP_LOAN:
			lo.kind = o->repayment;
			break;
		default:
			lo.kind = EIC_LOAN_ANNUITY;
		}
		lo.principal = r->financed;
		lo.rate = o->rate / ppy;
		lo.periods = periods;
		lo.periods_per_year = ppy;
		lo.grace = o->grace;
		lo.grace_periods = o->grace_periods;
		lo.balloon_share = o->balloon_share;
		lo.fee = o->fee;
		lo.fee_share = o->fee_share;
		lo.deposit = o->deposit;
		lo.deposit_instalments = o->deposit_instalments;
		lo.deposit_rate = o->deposit_rate / ppy;
		lo.deposit_returned = o->deposit_returned;
		if ((rc = eic_loan_new(&loan, &lo, local)) < 0) {
			if (rc == EIC_ENOMEM)
				goto done;
			rc = 0;
			r->valid = 0;
			r->problem = eic_arena_strdup(&cmp->arena, first_message(local));
			goto finish;
		}
		const eic_loan_summary *ls = eic_loan_summary_get(loan);
		double *lf = eic_calloc(n, sizeof(double));
		if (!lf) {
			rc = EIC_ENOMEM;
			goto done;
		}
		eic_loan_yearly_flows(lf, n, loan, 0);
		r->instalment = ls->instalment;
		r->instalments = periods;
		r->has_rate = ls->has_rate;
		r->apr = ls->apr;
		r->ear = ls->ear;
		if (kind == EIC_FIN_INSTR_GROUP_LOAN) {
			eic_fin_group_options go = EIC_FIN_GROUP_OPTIONS_INIT;
			eic_fin_group_result gr;
			go.members = o->group_members;
			go.default_probability = o->group_default_probability;
			go.instalment = ls->instalment;
			go.cover_limit = o->group_cover_share * ls->instalment;
			if (eic_fin_group_lending(&gr, &go, local) == 0) {
				r->has_group = 1;
				r->group_repayment_rate = gr.group_repayment_rate;
				r->group_cover_share = gr.cost_share;
				for (size_t t = 1; t < n; t++)
					if (lf[t] < 0)
						lf[t] *= 1 + gr.cost_share;
			}
		}
		for (size_t t = 0; t < n; t++)
			flows[t] += lf[t];
		eic_free(lf);
		static const char *const kinds[] = {"on the declining balance",
		                                    "on the declining balance, equal principal",
		                                    "flat", "on the declining balance, balloon"};
		eic_fin__fmt_money(inst_text, sizeof(inst_text), ls->instalment);
		pct(p1, sizeof(p1), o->rate);
		used += (size_t)snprintf(terms + used, sizeof(terms) - used,
		                         "loan of %s %s at %s/yr %s, %d %s instalments of %s %s",
		                         amount_text, cur, p1, kinds[lo.kind], periods, every,
		                         inst_text, cur);
		if (lo.kind == EIC_LOAN_EQUAL_PRINCIPAL && used < sizeof(terms))
			used +=
			    (size_t)snprintf(terms + used, sizeof(terms) - used, " (the first)");
		if (o->grace_periods > 0 && used < sizeof(terms))
			used += (size_t)snprintf(terms + used, sizeof(terms) - used,
			                         " after a grace of %d periods", o->grace_periods);
		if ((ls->total_fees > 0 || ls->deposit > 0) && used < sizeof(terms)) {
			char fee_text[64], dep_text[64];
			eic_fin__fmt_money(fee_text, sizeof(fee_text), ls->total_fees);
			eic_fin__fmt_money(dep_text, sizeof(dep_text), ls->deposit);
			if (ls->total_fees > 0)
				used += (size_t)snprintf(terms + used, sizeof(terms) - used,
				                         ", fees %s %s", fee_text, cur);
			if (ls->deposit > 0 && used < sizeof(terms))
				used += (size_t)snprintf(
				    terms + used, sizeof(terms) - used, ", deposit %s %s held%s",
				    dep_text, cur,
				    o->deposit_returned ? " and returned at the end" : "");
		}
		if (r->has_group && used < sizeof(terms)) {
			pct(p1, sizeof(p1), r->group_cover_share);
			used += (size_t)snprintf(terms + used, sizeof(terms) - used,
			                         "; joint liability in a group of %d: each member "
			                         "expects to add %s of an instalment",
			                         o->group_members, p1);
		}
		if (kind == EIC_FIN_INSTR_REVOLVING_FUND && o->fund_capital > 0) {
			eic_fin_fund_options fo = EIC_FIN_FUND_OPTIONS_INIT;
			eic_fin_fund *fund = NULL;
			fo.initial_capital = o->fund_capital;
			fo.loan_size = r->financed;
			fo.term_years = (int)ceil(o->term_years - 1e-9);
			fo.rate = o->rate;
			fo.repayment_rate = o->fund_repayment_rate;
			fo.default_rate = o->fund_default_rate;
			fo.admin_cost_share = o->fund_admin_cost_share;
			fo.years = o->fund_years;
			if (eic_fin_fund_simulate(&fund, &fo, local) == 0) {
				const eic_fin_fund_summary *fs = eic_fin_fund_summary_get(fund);
				r->has_fund = 1;
				r->fund_loans = fs->loans_total;
				r->fund_years = o->fund_years;
				r->fund_capital_preserved = fs->capital_preserved;
				r->fund_ran_dry = fs->ran_dry;
				if (used < sizeof(terms))
					used += (size_t)snprintf(
					    terms + used, sizeof(terms) - used,
					    "; the fund lends %ld such loans in %d years and %s "
					    "its "
					    "capital",
					    fs->loans_total, o->fund_years,
					    fs->capital_preserved ? "keeps" : "loses part of");
			}
			eic_fin_fund_free(fund);
		}
	}
finish:
	if (used >= sizeof(terms))
		used = sizeof(terms) - 1;
	if (!(r->terms = eic_arena_strdup(&cmp->arena, terms)))
		rc = EIC_ENOMEM;
done:
	eic_free(period_flows);
	eic_loan_free(loan);
	eic_diags_free(local);
	return rc;
}

static int build_verdict(eic_fin_comparison *cmp, const eic_fin_appraisal *a, const char *cur,
                         double min_reserve)
{
	eic_buf b = EIC_BUF_INIT;
	char m1[64], m2[64];
	const eic_fin_valley *v = &cmp->valley;
	const char *sp = *cur ? " " : "";
	(void)a;
	if (!v->has_trough || v->funding_gap <= 0) {
		eic_buf_puts(&b, v->has_trough ? "The owner's own money covers the death valley"
		                               : "The project never needs outside money: its "
		                                 "cumulative cash flow never goes below zero");
		eic_buf_puts(&b, "; financing is a choice, not a need.");
	} else {
		eic_fin__fmt_money(m1, sizeof(m1), v->depth);
		eic_buf_printf(&b,
		               "Without finance the owner must put in %s%s%s (the deepest point of "
		               "the valley, year %d)",
		               m1, sp, cur, v->depth_year);
		if (v->has_break_even)
			eic_buf_printf(&b, " and waits %.1f years to break even. ", v->break_even);
		else
			eic_buf_puts(&b, " and never breaks even within the project's life. ");
		if (v->equity > 0) {
			eic_fin__fmt_money(m1, sizeof(m1), v->equity);
			eic_fin__fmt_money(m2, sizeof(m2), v->funding_gap);
			eic_buf_printf(&b, "With %s%s%s of the owner's equity, %s%s%s is missing. ",
			               m1, sp, cur, m2, sp, cur);
		} else {
			eic_buf_puts(&b, "No equity of the owner's own is counted. ");
		}
		size_t closing = 0;
		for (size_t i = 0; i < cmp->count; i++)
			closing += cmp->results[i].valid && cmp->results[i].closes;
		int first = 1;
		for (size_t i = 0; i < cmp->count; i++) {
			const eic_fin_option_result *r = &cmp->results[i];
			const char *name = r->option->name;
			if (!r->valid)
				continue;
			if (r->closes) {
				eic_buf_printf(&b, "%s%s closes the gap%s", first ? "" : "; ", name,
				               first && closing > 1 ? " at the lowest cost" : "");
			} else {
				eic_fin__fmt_money(m2, sizeof(m2), r->shortfall);
				eic_buf_printf(&b, "%s%s leaves %s%s%s uncovered in year %d",
				               first ? "" : "; ", name, m2, sp, cur, r->worst_year);
			}
			first = 0;
		}
		if (first)
			eic_buf_puts(&b, "No financing option could be applied");
		else if (closing == 0) {
			const eic_fin_option_result *best = NULL;
			for (size_t i = 0; i < cmp->count; i++)
				if (cmp->results[i].valid &&
				    (!best || cmp->results[i].shortfall < best->shortfall))
					best = &cmp->results[i];
			eic_fin__fmt_money(m2, sizeof(m2), best->shortfall);
			eic_buf_printf(
			    &b,
			    ". No option closes the gap on its own; the smallest gap, %s%s%s "
			    "with %s, is what the owner must bring",
			    m2, sp, cur, best->option->name);
		}
		eic_buf_puts(&b, ".");
		if (min_reserve > 0) {
			eic_fin__fmt_money(m1, sizeof(m1), min_reserve);
			eic_buf_printf(&b, " (The owner keeps a reserve of %s%s%s.)", m1, sp, cur);
		}
		if (!v->has_break_even)
			eic_buf_puts(&b, " Finance can bridge the valley but cannot make the "
			                 "project pay back.");
	}
	if (b.failed) {
		eic_buf_free(&b);
		return EIC_ENOMEM;
	}
	char *text = eic_arena_strdup(&cmp->arena, b.data ? b.data : "");
	eic_buf_free(&b);
	if (!text)
		return EIC_ENOMEM;
	text[0] = text[0] >= 'a' && text[0] <= 'z' ? (char)(text[0] - 32) : text[0];
	cmp->verdict = text;
	return 0;
}

int eic_fin_compare(eic_fin_comparison **out, const eic_fin_appraisal *a,
                    const eic_fin_option *options, size_t count,
                    const eic_fin_compare_options *opts, eic_diags *diags)
{
	static const eic_fin_compare_options defaults = EIC_FIN_COMPARE_OPTIONS_INIT;
	eic_fin_comparison *cmp = NULL;
	eic_fin_close *close = NULL;
	eic_fin_candidate *cands = NULL;
	size_t *valid_index = NULL;
	int rc = 0;
	if (!out || !a || (!options && count > 0))
		return EIC_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	const char *cur = opts->currency ? opts->currency : "";
	const eic_fin_summary *s = eic_fin_appraisal_summary(a);
	size_t n = eic_fin_appraisal_year_count(a);
	const double *base = eic_fin_appraisal_series(a, "after_tax");
	double equity = s->valley.equity;
	if (!(cmp = eic_calloc(1, sizeof(*cmp))))
		return EIC_ENOMEM;
	eic_arena_init(&cmp->arena);
	cmp->count = count;
	cmp->results = eic_arena_alloc(&cmp->arena, (count ? count : 1) * sizeof(*cmp->results));
	eic_fin_option_result *tmp = eic_calloc(count ? count : 1, sizeof(*tmp));
	cands = eic_calloc(count ? count : 1, sizeof(*cands));
	valid_index = eic_calloc(count ? count : 1, sizeof(*valid_index));
	if (!cmp->results || !tmp || !cands || !valid_index) {
		rc = EIC_ENOMEM;
		goto fail;
	}
	if ((rc = eic_fin_valley_compute(&cmp->valley, base, n, equity)) < 0)
		goto fail;
	size_t valid = 0;
	for (size_t i = 0; i < count; i++) {
		eic_fin_option *copy = eic_arena_alloc(&cmp->arena, sizeof(*copy));
		if (!copy) {
			rc = EIC_ENOMEM;
			goto fail;
		}
		*copy = options[i];
		copy->id = eic_arena_strdup(&cmp->arena, options[i].id ? options[i].id : "");
		copy->name =
		    eic_arena_strdup(&cmp->arena, options[i].name ? options[i].name : copy->id);
		copy->source =
		    eic_arena_strdup(&cmp->arena, options[i].source ? options[i].source : "");
		if (!copy->id || !copy->name || !copy->source) {
			rc = EIC_ENOMEM;
			goto fail;
		}
		tmp[i].option = copy;
		if ((rc = apply_option(cmp, &tmp[i], a, cur)) < 0)
			goto fail;
		if (tmp[i].valid) {
			cands[valid].name = copy->name;
			cands[valid].flows = tmp[i].flows;
			cands[valid].count = n;
			valid_index[valid++] = i;
		} else if (diags) {
			eic_diags_add(diags, EIC_SEV_WARNING, "", 0, 0,
			              "financing option '%s' cannot be applied: %s", copy->id,
			              tmp[i].problem);
		}
	}
	size_t placed = 0;
	if (valid > 0) {
		eic_fin_close_options co = EIC_FIN_CLOSE_OPTIONS_INIT;
		co.equity = equity;
		co.min_reserve = opts->min_reserve;
		co.rate = s->discount_nominal;
		co.max_combination = 1;
		if ((rc = eic_fin_valley_close(&close, base, n, cands, valid, &co, diags)) < 0)
			goto fail;
		for (size_t k = 0; k < eic_fin_close_count(close); k++) {
			const eic_fin_close_row *row = eic_fin_close_at(close, k);
			eic_fin_option_result *r = &tmp[valid_index[row->first]];
			r->rank = (int)k + 1;
			r->closes = row->closes;
			r->min_cash = row->min_cash;
			r->worst_year = row->worst_year;
			r->finance_npv = row->finance_npv;
			r->owner_npv = row->npv;
			r->valley_depth = row->valley_depth;
			r->shortfall = row->closes ? 0 : opts->min_reserve - row->min_cash;
			if (r->shortfall < 0)
				r->shortfall = 0;
			cmp->results[placed++] = *r;
		}
	}
	for (size_t i = 0; i < count; i++)
		if (!tmp[i].valid)
			cmp->results[placed++] = tmp[i];
	cmp->count = placed;
	if ((rc = build_verdict(cmp, a, cur, opts->min_reserve)) < 0)
		goto fail;
	*out = cmp;
	cmp = NULL;
fail:
	eic_fin_close_free(close);
	eic_free(tmp);
	eic_free(cands);
	eic_free(valid_index);
	eic_fin_comparison_free(cmp);
	return rc;
}

void eic_fin_comparison_free(eic_fin_comparison *c)
{
	if (!c)
		return;
	eic_arena_clear(&c->arena);
	eic_free(c);
}

size_t eic_fin_comparison_count(const eic_fin_comparison *c)
{
	return c ? c->count : 0;
}

const eic_fin_option_result *eic_fin_comparison_at(const eic_fin_comparison *c, size_t i)
{
	return c && i < c->count ? &c->results[i] : NULL;
}

const eic_fin_valley *eic_fin_comparison_valley(const eic_fin_comparison *c)
{
	return c ? &c->valley : NULL;
}

const char *eic_fin_comparison_verdict(const eic_fin_comparison *c)
{
	return c && c->verdict ? c->verdict : "";
}

/* ---- break-even revenue ---------------------------------------------------------------- */

int eic_fin_breakeven_revenue(double *out, const eic_fin_project *project,
                              const eic_fin_options *opts)
{
	eic_fin_appraisal *a0 = NULL, *a1 = NULL;
	int rc;
	if (!out || !project)
		return EIC_EINVAL;
	*out = 0;
	eic_fin_project p = *project;
	p.revenue = 0;
	if ((rc = eic_fin_appraise(&a0, &p, opts, NULL)) < 0)
		goto done;
	p.revenue = 1;
	if ((rc = eic_fin_appraise(&a1, &p, opts, NULL)) < 0)
		goto done;
	double npv0 = eic_fin_appraisal_summary(a0)->pre_tax.npv;
	double npv1 = eic_fin_appraisal_summary(a1)->pre_tax.npv;
	if (!(npv1 - npv0 > 0)) {
		rc = EIC_EINVALID;
		goto done;
	}
	*out = -npv0 / (npv1 - npv0);
	if (*out < 0)
		*out = 0;
done:
	eic_fin_appraisal_free(a0);
	eic_fin_appraisal_free(a1);
	return rc;
}

/* ---- a project from a facility ------------------------------------------------------------ */

/* Money per year of `amount_per_capacity` (coefficient in coef_unit per capacity unit) at a
 * capacity in cap_unit and a price in price_unit, in cur/yr. 0 or EIC_EUNIT (why set). */
static int value_per_year(double *out, double capacity, const char *cap_unit, double coef,
                          const char *coef_unit, double price, const char *price_unit,
                          const char *cur, char *why, size_t why_size)
{
	eic_unit uc, uk, up, prod1, prod2, target;
	char target_text[32];
	snprintf(target_text, sizeof(target_text), "%s/yr", cur);
	if (eic_unit_parse(&uc, cap_unit) < 0 || eic_unit_parse(&uk, coef_unit) < 0 ||
	    eic_unit_parse(&up, price_unit) < 0) {
		snprintf(why, why_size, "a unit is not known (%s, %s, %s)", cap_unit, coef_unit,
		         price_unit);
		return EIC_EUNIT;
	}
	if (eic_unit_parse(&target, target_text) < 0) {
		snprintf(why, why_size, "the cluster currency '%s' is not a known unit", cur);
		return EIC_EUNIT;
	}
	if (eic_unit_mul(&prod1, &uc, &uk) < 0 || eic_unit_mul(&prod2, &prod1, &up) < 0 ||
	    eic_unit_convert_parsed(out, capacity * coef * price, &prod2, &target) < 0) {
		snprintf(why, why_size,
		         "capacity in %s x coefficient in %s x price in %s does not give %s",
		         cap_unit, coef_unit, price_unit, target_text);
		return EIC_EUNIT;
	}
	return 0;
}

/* Energy per year (GJ) of an output, or -1 when the output is not an energy. */
static double energy_gj_per_year(double capacity, const char *cap_unit, double coef,
                                 const char *coef_unit)
{
	eic_unit uc, uk, prod, target;
	double gj;
	if (eic_unit_parse(&uc, cap_unit) < 0 || eic_unit_parse(&uk, coef_unit) < 0 ||
	    eic_unit_parse(&target, "GJ/yr") < 0 || eic_unit_mul(&prod, &uc, &uk) < 0 ||
	    eic_unit_convert_parsed(&gj, capacity * coef, &prod, &target) < 0)
		return -1;
	return gj;
}

int eic_fin_case_from_facility(eic_fin_case **out, eic_diags *diags, const eic_cluster *cluster,
                               const char *facility, const eic_fin_facility_options *opts)
{
	static const eic_fin_facility_options defaults = EIC_FIN_FACILITY_OPTIONS_INIT;
	eic_fin_case *c = NULL;
	char m1[64], m2[64], why[256];
	int rc = 0;
	if (!out || !cluster || !facility)
		return EIC_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *cur = info && info->currency && *info->currency ? info->currency : "";
	const eic_facility *f = eic_cluster_find_facility(cluster, facility);
	if (!f) {
		eic_buf list = EIC_BUF_INIT;
		for (size_t i = 0; i < eic_cluster_facility_count(cluster); i++)
			eic_buf_printf(&list, "%s%s", i ? ", " : "",
			               eic_cluster_facility(cluster, i)->id);
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
			              "no facility '%s' in cluster '%s' (expected %s%s)", facility,
			              info ? info->id : "",
			              list.len ? "one of: " : "none: it has no facilities",
			              list.len ? list.data : "");
		eic_buf_free(&list);
		return EIC_ENOTFOUND;
	}
	const eic_facility_level *level = NULL;
	size_t level_count = 0;
	eic_buf levels = EIC_BUF_INIT;
	for (size_t i = 0; i < eic_cluster_facility_level_count(cluster); i++) {
		const eic_facility_level *l = eic_cluster_facility_level(cluster, i);
		if (strcmp(l->facility, facility))
			continue;
		eic_buf_printf(&levels, "%s%s", level_count++ ? ", " : "", l->level);
		if (!level && (!opts->level || !strcmp(opts->level, l->level)))
			level = l;
	}
	if (opts->level && !level) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
			              "facility '%s' has no level '%s' (expected %s%s)", facility,
			              opts->level,
			              level_count ? "one of: " : "none: no level is listed",
			              levels.data ? levels.data : "");
		eic_buf_free(&levels);
		return EIC_ENOTFOUND;
	}
	if ((rc = eic_fin__case_new(&c)) < 0)
		goto done;
	eic_fin_project *p = &c->project;
	c->currency = eic_arena_strdup(&c->arena, cur);
	p->id = eic_arena_strdup(&c->arena, f->id);
	{
		char name[512];
		snprintf(name, sizeof(name), "%s%s%s%s", f->name && *f->name ? f->name : f->id,
		         level ? " (level " : "", level ? level->level : "", level ? ")" : "");
		p->name = eic_arena_strdup(&c->arena, name);
	}
	if (!c->currency || !p->id || !p->name) {
		rc = EIC_ENOMEM;
		goto done;
	}
	c->options.discount_rate = opts->discount_rate;
	c->options.inflation = opts->inflation;
	p->tax_rate = opts->tax_rate;
	p->equity_available = opts->equity;
	int complete = 1;
	if (level && level_count > 1)
		rc = eic_fin__case_note(c, "level '%s' of %zu (%s); choose another with --level",
		                        level->level, level_count, levels.data);
	if (rc < 0)
		goto done;
	/* capital and operating cost */
	if (!level) {
		complete = 0;
		rc = eic_fin__case_missing(
		    c, "the capital cost: facility_levels.csv has no level for '%s'", facility);
	} else {
		double *capex = eic_arena_alloc(&c->arena, sizeof(double));
		if (!capex) {
			rc = EIC_ENOMEM;
			goto done;
		}
		capex[0] = level->capex;
		p->capex = capex;
		p->capex_count = 1;
		p->opex_fixed = level->opex_per_yr;
		if (!isfinite(level->capex) || !isfinite(level->opex_per_yr)) {
			complete = 0;
			rc = eic_fin__case_missing(c, "the capex or opex_per_yr of level '%s'",
			                           level->level);
		}
	}
	if (rc < 0)
		goto done;
	if (opts->opex_per_yr >= 0) {
		p->opex_fixed = opts->opex_per_yr;
		eic_fin__fmt_money(m1, sizeof(m1), opts->opex_per_yr);
		if ((rc = eic_fin__case_note(c, "operating cost %s %s/yr given on the command line",
		                             m1, cur)) < 0)
			goto done;
	}
	/* life */
	double life = opts->life_years >= 0 ? opts->life_years : f->lifetime_yr;
	if (!isfinite(life) || life < 1) {
		complete = 0;
		p->life_years = 0;
		rc = eic_fin__case_missing(c,
		                           "the life: lifetime_yr of facility '%s' is not given "
		                           "(use --life-years)",
		                           facility);
	} else {
		p->life_years = (int)floor(life + 0.5);
		if (p->life_years > EIC_FIN_MAX_LIFE_YEARS)
			p->life_years = EIC_FIN_MAX_LIFE_YEARS;
		if (fabs(life - p->life_years) > 1e-9)
			rc = eic_fin__case_note(c, "life of %g years rounded to %d", life,
			                        p->life_years);
	}
	if (rc < 0)
		goto done;
	/* revenue and avoided costs from the coefficients and prices */
	double revenue = 0, avoided = 0, extra_opex = 0, energy = 0;
	int priced = 0;
	eic_buf unpriced = EIC_BUF_INIT;
	for (size_t i = 0; level && i < eic_cluster_facility_coef_count(cluster); i++) {
		const eic_facility_coef *k = eic_cluster_facility_coef(cluster, i);
		if (strcmp(k->facility, facility))
			continue;
		if (k->direction == EIC_DIR_OUTPUT) {
			double gj = energy_gj_per_year(level->capacity, f->capacity_unit,
			                               k->coefficient, k->unit);
			if (gj >= 0)
				energy += gj;
		}
		const eic_property *price =
		    eic_cluster_find_property(cluster, k->material, "price");
		if (!price) {
			if (k->direction == EIC_DIR_OUTPUT)
				eic_buf_printf(&unpriced, "%s%s", unpriced.len ? ", " : "",
				               k->material);
			else
				rc = eic_fin__case_note(
				    c,
				    "input %s taken in free of charge (no price): "
				    "no feedstock cost and no gate fee counted",
				    k->material);
			if (rc < 0)
				break;
			continue;
		}
		double value;
		if (value_per_year(&value, level->capacity, f->capacity_unit, k->coefficient,
		                   k->unit, price->value, price->unit, cur, why, sizeof(why)) < 0) {
			if (k->direction == EIC_DIR_OUTPUT)
				eic_buf_printf(&unpriced, "%s%s (%s)", unpriced.len ? ", " : "",
				               k->material, why);
			else
				rc = eic_fin__case_note(c, "input %s not valued: %s", k->material,
				                        why);
			if (rc < 0)
				break;
			continue;
		}
		const char *what;
		if (k->direction == EIC_DIR_OUTPUT && value >= 0) {
			revenue += value;
			what = "revenue";
			priced++;
		} else if (k->direction == EIC_DIR_OUTPUT) {
			extra_opex += -value;
			what = "disposal cost";
		} else if (value >= 0) {
			extra_opex += value;
			what = "feedstock cost";
		} else {
			avoided += -value;
			what = "avoided cost (gate fee or disposal no longer paid)";
			priced++;
		}
		char cap_text[64], coef_text[64];
		eic_fin__fmt_money(cap_text, sizeof(cap_text), level->capacity);
		eic_fmt_double(coef_text, sizeof(coef_text), k->coefficient);
		eic_fin__fmt_money(m1, sizeof(m1), fabs(value));
		eic_fmt_double(m2, sizeof(m2), price->value);
		rc = eic_fin__case_note(
		    c, "%s %s: %s %s x %s %s x %s %s = %s %s/yr (price: %s)", k->material, what,
		    cap_text, f->capacity_unit, coef_text, k->unit, m2, price->unit, m1, cur,
		    price->source && *price->source ? price->source : "no source given");
		if (rc < 0)
			break;
	}
	if (rc < 0) {
		eic_buf_free(&unpriced);
		goto done;
	}
	p->opex_fixed += extra_opex;
	int revenue_given = opts->revenue_per_yr >= 0,
	    avoided_given = opts->avoided_cost_per_yr >= 0;
	p->revenue = revenue_given ? opts->revenue_per_yr : revenue;
	p->avoided_cost = avoided_given ? opts->avoided_cost_per_yr : avoided;
	if (revenue_given) {
		eic_fin__fmt_money(m1, sizeof(m1), p->revenue);
		rc = eic_fin__case_note(c,
		                        "revenue %s %s/yr given on the command line (replaces "
		                        "the value of the outputs at material prices)",
		                        m1, cur);
	}
	if (rc >= 0 && avoided_given) {
		eic_fin__fmt_money(m1, sizeof(m1), p->avoided_cost);
		rc = eic_fin__case_note(c, "avoided costs %s %s/yr given on the command line", m1,
		                        cur);
	}
	if (rc >= 0 && unpriced.len && !revenue_given)
		rc = eic_fin__case_missing(c,
		                           "a price for the output%s %s (material property "
		                           "'price', e.g. %s/t in material_properties.csv), or "
		                           "--revenue-per-yr",
		                           strchr(unpriced.data, ',') ? "s" : "", unpriced.data,
		                           *cur ? cur : "USD");
	eic_buf_free(&unpriced);
	if (rc < 0)
		goto done;
	if (!revenue_given && !avoided_given && priced == 0)
		complete = 0;
	if (energy > 0) {
		p->energy_per_year = energy;
		c->energy_unit = "GJ";
	}
	if (opts->co2e_t_per_yr >= 0)
		p->co2e_t_per_year = opts->co2e_t_per_yr;
	c->complete = complete;
	if ((rc = eic_fin__case_add_options_json(c, diags, "default financing options",
	                                         eic_fin__default_options_json)) < 0)
		goto done;
	c->options_default = 1;
	*out = c;
	c = NULL;
done:
	eic_buf_free(&levels);
	eic_fin_case_free(c);
	return rc;
}
