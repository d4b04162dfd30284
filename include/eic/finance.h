/* eic/finance.h: appraisal of eco-initiatives (cash flows, NPV, IRR, paybacks, LCOE, cost per
 * tonne of CO2e), financing instruments (loans, micro-finance, leasing, vendor credit,
 * franchising, revolving funds, group lending, subsidies, green credit) and the start-up
 * "death valley". Method, conventions and sources: docs/methods/finance.md.
 * Ownership: eic_fin_appraise, eic_loan_new, eic_fin_fund_simulate and eic_fin_valley_close hand
 * objects freed by the matching *_free (NULL is a no-op); rows, summaries and notes are
 * borrowed from them; input arrays and strings are only read during the call.
 *
 * Conventions used throughout:
 * - Money is in the project's currency, whatever it is; the library never converts money.
 * - Rates are fractions per period (0.08 = 8 %), never percentages. Yearly models use years;
 *   loans use their own period (periods_per_year = 12 for monthly instalments).
 * - Cash flows are end-of-period amounts seen by the party named (project, equity holder,
 *   borrower, bank): money received is positive, money paid is negative. Index 0 is the start
 *   (year 0 = construction, period 0 = disbursement) and is not discounted.
 * - The outcome of a model ("no IRR", "several sign changes", "never pays back", "the fund
 *   runs dry") is a result field with a `has_` flag or a status, never an error code and never
 *   a NaN presented as a number: a metric that does not exist is 0 with its flag cleared.
 * - Bad input (a discount rate <= -100 % or > 100 %/yr, a negative life, a loan longer than
 *   the project, a lease with no payments, NaN or infinite amounts) makes the call return
 *   EIC_EINVALID with one error message per problem appended to `diags` when it is not NULL.
 */
#ifndef EIC_FINANCE_H
#define EIC_FINANCE_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest plausible yearly rate (100 %/yr); larger discount or loan rates are rejected. */
#define EIC_FIN_MAX_YEARLY_RATE 1.0
/** Longest project life accepted, in years. */
#define EIC_FIN_MAX_LIFE_YEARS 200
/** Most loan periods accepted (100 years of weekly instalments). */
#define EIC_FIN_MAX_PERIODS 5200

/* ==== Internal rate of return ========================================================== */

/** What the root finder found. */
typedef enum {
	EIC_FIN_IRR_UNIQUE = 0,   /**< exactly one root in the scanned range: `rate` */
	EIC_FIN_IRR_NONE = 1,     /**< no root: no IRR exists (or none in the range) */
	EIC_FIN_IRR_MULTIPLE = 2, /**< several roots: all in `roots`, `rate` is 0 */
} eic_fin_irr_status;

#define EIC_FIN_IRR_MAX_ROOTS 8

/** Result of an IRR search on one cash-flow series. Rates are per period of the series. */
typedef struct {
	eic_fin_irr_status status;
	double rate;       /**< the IRR when status is EIC_FIN_IRR_UNIQUE, else 0 */
	size_t root_count; /**< roots found (first EIC_FIN_IRR_MAX_ROOTS stored in `roots`) */
	double roots[EIC_FIN_IRR_MAX_ROOTS]; /**< ascending */
	size_t sign_changes;      /**< sign changes of the flows, zeros skipped: by Descartes'
	                               rule of signs an upper bound on the number of IRRs > -100 % */
	int several_sign_changes; /**< sign_changes > 1: a non-conventional series; flagged even
	                               when a single root was found */
	const char *message;      /**< static English sentence explaining the status */
} eic_fin_irr;

/** Search range for the IRR. The grid is uniform in ln(1 + r). */
typedef struct {
	unsigned version;
	double rate_min;    /**< lowest rate searched, > -1 (default -0.99) */
	double rate_max;    /**< highest rate searched (default 10, i.e. 1000 % per period) */
	size_t grid_points; /**< scan points when the flows change sign more than once (default
	                         400, at least 16); two roots between neighbouring points are
	                         found by searching every dip of |NPV| towards zero */
} eic_fin_irr_options;
#define EIC_FIN_IRR_OPTIONS_VERSION 1
#define EIC_FIN_IRR_OPTIONS_INIT                                                                   \
	{                                                                                          \
		EIC_FIN_IRR_OPTIONS_VERSION, -0.99, 10.0, 400                                      \
	}

/**
 * Net present value at period 0: sum of cf[t] / (1 + rate)^t.
 * @param[out] out the NPV
 * @return 0, or EIC_EINVAL when rate <= -1, a value is not finite or cf is NULL with n > 0
 */
EIC_EXTERN int eic_fin_npv(double *out, const double *cf, size_t n, double rate);

/**
 * Every IRR of a series by bracketed root finding: when the flows change sign once, the one
 * root is bracketed on a coarse grid (Descartes: exactly one exists); otherwise NPV is scanned
 * over `grid_points` rates for sign changes and for dips towards zero (two close roots), and
 * each bracket is solved by Brent's method to about 1e-13. All roots found are reported; see
 * eic_fin_irr.status and .message. A root of even multiplicity (NPV touching zero without
 * crossing) is reported only when NPV is exactly 0 at the computed minimum.
 * @param opts NULL for the defaults
 * @return 0, or EIC_EINVAL (non-finite flows, a range not inside (-1, inf))
 */
EIC_EXTERN int eic_fin_irr_compute(eic_fin_irr *out, const double *cf, size_t n,
                                   const eic_fin_irr_options *opts);

/* ==== Metrics of one series =========================================================== */

/** The appraisal metrics of one cash-flow series (periods are years in an appraisal). */
typedef struct {
	double npv;                 /**< at the discount rate */
	eic_fin_irr irr;            /**< every root, see eic_fin_irr */
	int has_mirr;               /**< both positive and negative flows and n >= 2 */
	double mirr;                /**< modified IRR, per period */
	int has_payback;            /**< the cumulative flow reaches >= 0 */
	double payback;             /**< periods, interpolated within the period of crossing */
	int payback_recrosses;      /**< the cumulative goes negative again after the payback */
	int has_discounted_payback; /**< the cumulative discounted flow reaches >= 0 */
	double discounted_payback;  /**< periods, interpolated */
	int has_benefit_cost;       /**< some flow is negative */
	double benefit_cost;        /**< PV of positive flows / PV of |negative flows| */
	double annual_savings;      /**< life-cycle savings per period: NPV x CRF(rate, n-1) */
	double cumulative_min;      /**< most negative cumulative flow (0 if never negative) */
} eic_fin_metrics;

typedef struct {
	unsigned version;
	double rate;          /**< discount rate per period, > -1 */
	double finance_rate;  /**< MIRR: rate paid on the negative flows */
	double reinvest_rate; /**< MIRR: rate earned on the positive flows */
	eic_fin_irr_options irr;
} eic_fin_metrics_options;
#define EIC_FIN_METRICS_OPTIONS_VERSION 1
#define EIC_FIN_METRICS_OPTIONS_INIT                                                               \
	{                                                                                          \
		EIC_FIN_METRICS_OPTIONS_VERSION, 0.0, 0.0, 0.0, EIC_FIN_IRR_OPTIONS_INIT           \
	}

/**
 * NPV, IRR, MIRR, paybacks, benefit-cost ratio and annual life-cycle savings of a series.
 * Payback: the first period t where the cumulative flow C(t) >= 0 after being negative,
 * interpolated as (t - 1) + (-C(t-1)) / cf[t]; 0 if the cumulative is never negative.
 * @return 0, EIC_EINVAL (n == 0, rates <= -1, non-finite flows)
 */
EIC_EXTERN int eic_fin_metrics_compute(eic_fin_metrics *out, const double *cf, size_t n,
                                       const eic_fin_metrics_options *opts);

/** Capital recovery factor r (1+r)^n / ((1+r)^n - 1); 1/n at r = 0.
 *  @return 0, EIC_EINVAL (n <= 0, r <= -1) */
EIC_EXTERN int eic_fin_crf(double *out, double rate, double periods);

/** An exchange rate of the shipped table (data/finance/exchange_rates.csv). */
typedef struct {
	double per_usd; /**< currency units per USD (annual average) */
	int year;       /**< year of the average */
	int checked;    /**< read from the primary document */
	char source[256];
} eic_fin_rate;

/**
 * Look up `currency` (ISO 4217) in `path` (NULL: `<eic_data_dir()>/finance/exchange_rates.csv`).
 * @return 0, EIC_ENOTFOUND (no such currency, or no file), EIC_EPARSE (a malformed row: the
 *         file and line are in `msg` when it is not NULL), EIC_EINVAL.
 */
EIC_EXTERN int eic_fin_usd_rate(eic_fin_rate *out, const char *currency, const char *path,
                                char *msg, size_t msg_size);

/**
 * LCOE by fixed charge rate (SAM LCOE calculator, Short et al. 1995):
 * (fcr x capital_cost + fixed_operating_cost) / annual_energy + variable_operating_cost.
 * Money per energy unit of annual_energy (e.g. $/kWh).
 * @return 0, EIC_EINVAL (annual_energy <= 0, fcr outside [0, 1], non-finite input)
 */
EIC_EXTERN int eic_fin_lcoe_fcr(double *out, double capital_cost, double fixed_operating_cost,
                                double variable_operating_cost, double fixed_charge_rate,
                                double annual_energy);

/**
 * Discounted LCOE: sum costs[t] / (1+cost_rate)^t divided by sum energy[t] / (1+energy_rate)^t.
 * SAM's nominal LCOE uses cost_rate = energy_rate = nominal rate; its real LCOE discounts the
 * energy at the real rate. @return 0, EIC_EINVAL (no discounted energy, rates <= -1)
 */
EIC_EXTERN int eic_fin_lcoe_discounted(double *out, const double *costs, const double *energy,
                                       size_t n, double cost_rate, double energy_rate);

/* ==== Death valley ===================================================================== */

/** The trough of a cumulative cash-flow curve. Years are indices of the series (year 0 first). */
typedef struct {
	int has_trough;     /**< the cumulative flow goes below 0 */
	double depth;       /**< peak funding need: -min cumulative (>= 0) */
	int depth_year;     /**< year of the minimum */
	int trough_start;   /**< first year with a negative cumulative */
	int has_break_even; /**< the cumulative returns to >= 0 */
	double break_even;  /**< years, interpolated (the payback of the series) */
	double duration;    /**< break_even - trough_start, or (n - 1) - trough_start when
	                         there is no break-even within the series */
	double equity;      /**< equity available, as given */
	double funding_gap; /**< max(0, depth - equity) */
} eic_fin_valley;

/** Depth, duration and funding gap of the cumulative of cf. @return 0, EIC_EINVAL */
EIC_EXTERN int eic_fin_valley_compute(eic_fin_valley *out, const double *cf, size_t n,
                                      double equity);

/** A way to pay: its yearly cash flows seen by the project (year 0 first, + received). */
typedef struct {
	const char *name;
	const double *flows;
	size_t count; /**< may be shorter than the project series (zeros after) */
} eic_fin_candidate;

typedef struct {
	unsigned version;
	double equity;       /**< owner's cash available at year 0 */
	double min_reserve;  /**< the cash position equity + cumulative must stay >= this */
	double rate;         /**< yearly discount rate for the cost of each option */
	int max_combination; /**< 1: single instruments; 2 (default): also every pair */
} eic_fin_close_options;
#define EIC_FIN_CLOSE_OPTIONS_VERSION 1
#define EIC_FIN_CLOSE_OPTIONS_INIT                                                                 \
	{                                                                                          \
		EIC_FIN_CLOSE_OPTIONS_VERSION, 0.0, 0.0, 0.0, 2                                    \
	}

/** One option (an instrument or a pair) added to the project's flows. */
typedef struct {
	size_t first;        /**< candidate index */
	size_t second;       /**< second candidate index, or (size_t)-1 for a single instrument */
	int closes;          /**< equity + cumulative >= min_reserve in every year */
	double min_cash;     /**< lowest equity + cumulative over the years */
	int worst_year;      /**< year of min_cash */
	double finance_npv;  /**< NPV of the instrument flows alone at `rate` (> 0: a gain, < 0: its
	                          cost) */
	double npv;          /**< NPV of project + instrument flows */
	double valley_depth; /**< depth of the combined cumulative (eic_fin_valley.depth) */
} eic_fin_close_row;

typedef struct eic_fin_close eic_fin_close;

/**
 * Which instrument or pair closes the death valley. Rows are ranked: options that close it
 * first, then by finance_npv descending (cheapest first), then by min_cash descending; ties
 * keep input order. At most 64 candidates. O(k^2 n) for k candidates and n years.
 * @return 0, EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_valley_close(eic_fin_close **out, const double *cf, size_t n,
                                    const eic_fin_candidate *candidates, size_t count,
                                    const eic_fin_close_options *opts, eic_diags *diags);
EIC_EXTERN void eic_fin_close_free(eic_fin_close *c);
EIC_EXTERN size_t eic_fin_close_count(const eic_fin_close *c);
EIC_EXTERN const eic_fin_close_row *eic_fin_close_at(const eic_fin_close *c, size_t i);
/** The death valley of the project alone (before any candidate). */
EIC_EXTERN const eic_fin_valley *eic_fin_close_valley(const eic_fin_close *c);

/* ==== Project cash-flow model and appraisal ============================================ */

/** How escalation, inflation and the discount rate are read (docs/methods/finance.md). */
typedef enum {
	/** RETScreen: every escalation rate and the discount rate are nominal; inflation only
	 *  escalates the salvage value and gives the real rate for the real LCOE. */
	EIC_FIN_RETSCREEN = 0,
	/** NREL SAM: the discount rate and the escalation rates are real (escalation "above
	 *  inflation"); nominal = (1 + real)(1 + inflation) - 1 (Fisher). */
	EIC_FIN_SAM = 1,
} eic_fin_convention;

typedef enum {
	EIC_FIN_DEPR_NONE = 0,
	EIC_FIN_DEPR_STRAIGHT_LINE = 1,     /**< (basis - salvage) / depreciation_years per year */
	EIC_FIN_DEPR_DECLINING_BALANCE = 2, /**< depreciation_rate x remaining book value */
} eic_fin_depreciation;

/** What happens to a negative taxable income. */
typedef enum {
	EIC_FIN_LOSS_CARRY_FORWARD = 0, /**< offsets taxable income of later years */
	EIC_FIN_LOSS_FLOW_THROUGH = 1,  /**< negative tax: the owner's other income absorbs it */
	EIC_FIN_LOSS_LOST = 2,          /**< no tax that year, the loss is not used */
} eic_fin_tax_loss;

/**
 * One project: a synergy, a shared facility or a cleaner-production investment. Yearly
 * periods; year 0 is construction. Operating years run from first_operating_year to
 * first_operating_year + life_years - 1, which is the last year of the series.
 * Yearly amounts are in base-year (year 0) money and escalate from year 1:
 * amount(t) = base x (1 + e_nominal)^t (RETScreen: costs and credits in year-0 terms, the
 * escalation applied from year 1 onwards, flows at the end of the year).
 */
typedef struct {
	unsigned version;
	const char *id;           /**< optional, copied into notes */
	const char *name;         /**< optional */
	int life_years;           /**< operating life, 1..EIC_FIN_MAX_LIFE_YEARS */
	int first_operating_year; /**< >= 1 (default 1) */
	const double *capex; /**< capital spending by year (capex[0] = year 0), nominal money of
	                          the year spent, >= 0; capex_count may reach into operation
	                          (replacements) */
	size_t capex_count;
	double revenue; /**< sales per year at full output */
	double revenue_escalation;
	double avoided_cost; /**< costs avoided per year at full output (fuel, disposal fees) */
	double avoided_cost_escalation;
	double opex_fixed;    /**< operating and maintenance cost per year */
	double opex_variable; /**< operating cost per unit of energy (same energy unit as below) */
	double opex_escalation;
	double energy_per_year; /**< energy delivered per year at full output (e.g. kWh), >= 0 */
	double co2e_t_per_year; /**< t CO2e avoided per year at full output, an input until the
	                             impact engine provides it */
	const double *ramp;     /**< share of full output in operating year k+1 (ramp[0]: the first
	                             operating year); years past ramp_count run at 1 */
	size_t ramp_count;
	double salvage_value; /**< base-year money at the end of life, escalated at inflation */
	double capital_subsidy_share; /**< share of each capex amount paid by a grant, [0, 1]
	                                   (Nepal: biogas 0.40, micro hydro 0.50) */
	double grant;                 /**< lump sum received in year 0 */
	double debt_ratio;   /**< share of the net capital cost (capex - subsidies - grant) spent
	                          in year 0 that is borrowed, [0, 1] */
	double debt_rate;    /**< yearly interest of the annuity loan */
	int debt_term_years; /**< 0 when no debt; <= the life of the project */
	double tax_rate;     /**< income tax rate, [0, 1) */
	eic_fin_depreciation depreciation;
	int depreciation_years;   /**< straight line: years of depreciation, >= 1 */
	double depreciation_rate; /**< declining balance: share of book value per year, (0, 1] */
	eic_fin_tax_loss tax_loss;
	int subsidy_reduces_basis; /**< 1 (default): the depreciable basis is capex net of the
	                                capital subsidy */
	double equity_available;   /**< owner's cash for the death-valley funding gap */
} eic_fin_project;
#define EIC_FIN_PROJECT_VERSION 1
#define EIC_FIN_PROJECT_INIT                                                                       \
	{                                                                                          \
		EIC_FIN_PROJECT_VERSION, NULL, NULL, 0, 1, NULL, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,  \
		    0.0, 0.0, 0.0, NULL, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, EIC_FIN_DEPR_NONE, 0, \
		    0.0, EIC_FIN_LOSS_CARRY_FORWARD, 1, 0.0                                        \
	}

typedef struct {
	unsigned version;
	eic_fin_convention convention;
	double discount_rate; /**< yearly; nominal (RETScreen) or real (SAM) */
	double inflation;     /**< yearly general inflation */
	double finance_rate;  /**< MIRR finance rate, nominal yearly (default: the nominal discount
	                           rate when both MIRR rates are 0) */
	double reinvest_rate; /**< MIRR reinvestment rate, nominal yearly */
	double fixed_charge_rate; /**< for the FCR LCOE; 0: CRF(real discount rate, life) */
	eic_fin_irr_options irr;
} eic_fin_options;
#define EIC_FIN_OPTIONS_VERSION 1
#define EIC_FIN_OPTIONS_INIT                                                                       \
	{                                                                                          \
		EIC_FIN_OPTIONS_VERSION, EIC_FIN_RETSCREEN, 0.0, 0.0, 0.0, 0.0, 0.0,               \
		    EIC_FIN_IRR_OPTIONS_INIT                                                       \
	}

/** One year of the cash-flow table, nominal money. Costs are positive numbers; the flows
 *  (pre_tax, after_tax, equity) are signed (+ received). */
typedef struct {
	int year;
	double output_share; /**< ramp share of full output (0 in construction years) */
	double capex;
	double subsidy; /**< capital subsidy plus the grant (year 0) */
	double revenue, avoided_cost, opex, salvage;
	double energy;  /**< energy delivered */
	double co2e_t;  /**< t CO2e avoided */
	double pre_tax; /**< project flow before tax and financing */
	double depreciation;
	double tax;       /**< on the project without debt (negative: a tax credit) */
	double after_tax; /**< project flow after tax, before financing */
	double debt_drawn, debt_interest, debt_principal;
	double tax_equity; /**< tax with the interest deducted */
	double equity;     /**< owner's flow: after tax, debt drawn and debt service */
	double cumulative_pre_tax, cumulative_after_tax, cumulative_equity;
} eic_fin_year;

/** Headline results of an appraisal. Metrics of each series use the nominal discount rate. */
typedef struct {
	double discount_nominal, discount_real, inflation;
	eic_fin_metrics pre_tax;   /**< project before tax and financing */
	eic_fin_metrics after_tax; /**< project after tax, before financing */
	eic_fin_metrics equity;    /**< owner's flows: its payback is the equity payback */
	double net_capital_cost;   /**< sum of capex - subsidies - grant, nominal */
	int has_lcoe;              /**< energy_per_year > 0 */
	double lcoe_nominal;       /**< PV(costs) / PV(energy) at the nominal rate */
	double lcoe_real;          /**< PV(costs) at nominal / PV(energy) at the real rate */
	double lcoe_fcr;          /**< (FCR x net capital cost + fixed O&M)/E + variable O&M, year-0
	                               money */
	double fixed_charge_rate; /**< the FCR used */
	int has_co2e;             /**< co2e_t_per_year > 0 */
	double co2e_t;            /**< tonnes avoided over the life */
	double co2e_t_discounted; /**< tonnes discounted at the real rate */
	double cost_per_t;        /**< -NPV(pre-tax) / discounted tonnes: levelised abatement
	                               cost in year-0 money per t (< 0: the project saves
	                               money) */
	double cost_per_t_undiscounted; /**< -NPV(pre-tax) / undiscounted tonnes */
	eic_fin_valley valley;          /**< of the equity flows, with equity_available */
} eic_fin_summary;

typedef struct eic_fin_appraisal eic_fin_appraisal;

/**
 * Build the yearly cash-flow table of a project and appraise it.
 * @param opts NULL for the defaults (RETScreen, 0 % rates)
 * @param diags optional; receives one error per invalid input
 * @return 0, EIC_EINVALID (invalid project or options, see diags), EIC_EINVAL (NULL project),
 *         EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_appraise(eic_fin_appraisal **out, const eic_fin_project *project,
                                const eic_fin_options *opts, eic_diags *diags);
EIC_EXTERN void eic_fin_appraisal_free(eic_fin_appraisal *a);
EIC_EXTERN const eic_fin_summary *eic_fin_appraisal_summary(const eic_fin_appraisal *a);
/** Years 0 .. first_operating_year + life_years - 1. */
EIC_EXTERN size_t eic_fin_appraisal_year_count(const eic_fin_appraisal *a);
EIC_EXTERN const eic_fin_year *eic_fin_appraisal_year(const eic_fin_appraisal *a, size_t i);
/** Series by name, year_count values: "pre_tax", "after_tax", "equity", "cumulative_equity";
 *  NULL for another name. */
EIC_EXTERN const double *eic_fin_appraisal_series(const eic_fin_appraisal *a, const char *name);
/** Notes in plain English: the conventions applied, IRR messages, metrics that do not exist. */
EIC_EXTERN size_t eic_fin_appraisal_note_count(const eic_fin_appraisal *a);
EIC_EXTERN const char *eic_fin_appraisal_note(const eic_fin_appraisal *a, size_t i);

/* ==== Loans ============================================================================ */

typedef enum {
	EIC_LOAN_ANNUITY = 0,         /**< equal instalments, interest on the declining balance */
	EIC_LOAN_EQUAL_PRINCIPAL = 1, /**< equal principal parts, interest on the balance */
	EIC_LOAN_FLAT = 2,            /**< micro-finance flat rate: interest = rate x original
	                                   principal every period; equal instalments */
	EIC_LOAN_BALLOON = 3,         /**< annuity on the balance with balloon_share x principal
	                                   left to pay with the last instalment (1: interest only) */
} eic_loan_kind;

typedef enum {
	EIC_GRACE_NONE = 0,
	EIC_GRACE_INTEREST_ONLY = 1, /**< interest paid during the grace, no principal */
	EIC_GRACE_FULL = 2,          /**< nothing paid; interest capitalised (flat: accrued) */
} eic_grace_kind;

typedef struct {
	unsigned version;
	eic_loan_kind kind;
	double principal; /**< amount lent, > 0 */
	double rate;      /**< interest per period (declining balance, or flat on the principal) */
	int periods;      /**< instalments after the grace, >= 1 */
	int periods_per_year; /**< 12 monthly, 52 weekly, 4 quarterly, 1 yearly */
	eic_grace_kind grace;
	int grace_periods;
	double balloon_share;       /**< EIC_LOAN_BALLOON: (0, 1] */
	double fee;                 /**< fee paid at disbursement (money) */
	double fee_share;           /**< fee paid at disbursement, share of principal */
	double deposit;             /**< compulsory deposit paid at disbursement (money) */
	double deposit_instalments; /**< plus this many regular instalments as deposit (Wesco: 1) */
	double deposit_rate;        /**< interest per period earned on the deposit (compounded) */
	int deposit_returned;       /**< 1 (default): returned with the last instalment; 0: kept */
} eic_loan_options;
#define EIC_LOAN_OPTIONS_VERSION 1
#define EIC_LOAN_OPTIONS_INIT                                                                      \
	{                                                                                          \
		EIC_LOAN_OPTIONS_VERSION, EIC_LOAN_ANNUITY, 0.0, 0.0, 0, 12, EIC_GRACE_NONE, 0,    \
		    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1                                                \
	}

/** One period of the schedule; period 0 is the disbursement. */
typedef struct {
	int period;
	double payment; /**< paid by the borrower: interest + principal */
	double interest;
	double principal;
	double balance;       /**< after this period's payment (or capitalisation) */
	double fees;          /**< fees paid this period */
	double deposit_flow;  /**< deposit paid (> 0) or returned with its interest (< 0) */
	double borrower_flow; /**< net flow of the borrower: + received */
} eic_loan_row;

typedef struct {
	double instalment; /**< regular instalment after the grace (the first one for
	                        equal-principal loans; the last is larger for a balloon) */
	double total_interest, total_fees, total_paid; /**< total_paid = interest + principal */
	double deposit;                                /**< compulsory deposit held */
	double net_disbursed;                          /**< principal - fees - deposit */
	eic_fin_irr irr;                               /**< of the borrower's flows, per period */
	int has_rate;                                  /**< irr has exactly one root */
	double periodic_rate;                          /**< the effective cost per period (IRR) */
	double apr;        /**< periodic_rate x periods_per_year (MFTransparency APR) */
	double ear;        /**< (1 + periodic_rate)^periods_per_year - 1 (EIR/EAR) */
	double term_years; /**< (grace + periods) / periods_per_year */
} eic_loan_summary;

typedef struct eic_loan eic_loan;

/**
 * Build a loan schedule and its effective cost (APR and EAR from the IRR of the borrower's
 * flows including fees and deposits, as MicroFinance Transparency computes them).
 * @return 0, EIC_EINVALID (see diags), EIC_EINVAL (NULL options), EIC_ENOMEM
 */
EIC_EXTERN int eic_loan_new(eic_loan **out, const eic_loan_options *opts, eic_diags *diags);
EIC_EXTERN void eic_loan_free(eic_loan *loan);
EIC_EXTERN const eic_loan_summary *eic_loan_summary_get(const eic_loan *loan);
/** grace + periods + 1 rows. */
EIC_EXTERN size_t eic_loan_row_count(const eic_loan *loan);
EIC_EXTERN const eic_loan_row *eic_loan_row_at(const eic_loan *loan, size_t i);
/**
 * The borrower's flows summed by year, for death-valley candidates: period p (at time
 * p / periods_per_year years) falls in year start_year + ceil(p / periods_per_year); the
 * disbursement in start_year. Flows beyond `years` are added to the last year.
 * @param[out] out `years` values, overwritten
 */
EIC_EXTERN int eic_loan_yearly_flows(double *out, size_t years, const eic_loan *loan,
                                     int start_year);

/* ==== Leasing, vendor credit, franchising =============================================== */

typedef struct {
	unsigned version;
	double price;         /**< purchase price paid at period 0 when buying */
	double lease_payment; /**< per period */
	int lease_periods;    /**< >= 1 */
	int in_advance;       /**< 1 (default): payments at the start of each period */
	double salvage;       /**< value of the asset at the end when bought */
	int salvage_period;   /**< 0: lease_periods */
	double rate;          /**< discount rate per period (after tax when tax_rate > 0) */
	double tax_rate;      /**< 0: no tax; else lease payments deductible and the purchase
	                           depreciated straight line to the salvage value */
	int periods_per_year; /**< for the rate check only */
} eic_fin_lease_options;
#define EIC_FIN_LEASE_OPTIONS_VERSION 1
#define EIC_FIN_LEASE_OPTIONS_INIT                                                                 \
	{                                                                                          \
		EIC_FIN_LEASE_OPTIONS_VERSION, 0.0, 0.0, 0, 1, 0.0, 0, 0.0, 0.0, 12                \
	}

typedef struct {
	double pv_lease;     /**< PV of the lease payments (after tax shields) */
	double pv_buy;       /**< price - PV(depreciation tax shields) - PV(salvage) */
	double nal;          /**< net advantage to leasing: pv_buy - pv_lease */
	int lease_preferred; /**< nal > 0 */
} eic_fin_lease_result;

/** Lease versus buy. @return 0, EIC_EINVALID (see diags: e.g. a lease with no payments) */
EIC_EXTERN int eic_fin_lease_vs_buy(eic_fin_lease_result *out, const eic_fin_lease_options *opts,
                                    eic_diags *diags);

/** Supplier (vendor) credit: a down payment, then an annuity on the rest at the vendor's rate.
 *  A vendor may ask a credit price above the cash price; the effective rate is measured
 *  against the cash price. */
typedef struct {
	unsigned version;
	double cash_price;         /**< price paid in cash, > 0 */
	double credit_price;       /**< price on credit; 0: the cash price */
	double down_payment_share; /**< of the credit price, [0, 1) */
	double rate;               /**< vendor's interest per period on the balance */
	int instalments;           /**< >= 1 */
	int periods_per_year;
} eic_fin_vendor_options;
#define EIC_FIN_VENDOR_OPTIONS_VERSION 1
#define EIC_FIN_VENDOR_OPTIONS_INIT                                                                \
	{                                                                                          \
		EIC_FIN_VENDOR_OPTIONS_VERSION, 0.0, 0.0, 0.0, 0.0, 0, 12                          \
	}

typedef struct {
	double down_payment, financed, instalment, total_paid; /**< total: down + instalments */
	eic_fin_irr irr; /**< of (cash_price - down, -instalment ...), per period */
	int has_rate;
	double periodic_rate, apr, ear;
} eic_fin_vendor_result;

EIC_EXTERN int eic_fin_vendor_credit(eic_fin_vendor_result *out, const eic_fin_vendor_options *opts,
                                     eic_diags *diags);

/** Franchising (manual 3.d.4): an MFI originates and collects a bank's loans; the loan stays on
 *  the bank's books and the MFI is paid fees linked to disbursements and recoveries. */
typedef struct {
	unsigned version;
	eic_loan_options loan;         /**< the typical loan (its fees and deposits are ignored) */
	double disbursement_fee_share; /**< MFI fee, share of the amount disbursed */
	double recovery_fee_share;     /**< MFI fee, share of every amount recovered */
	double repayment_rate;         /**< share of each scheduled instalment recovered, [0, 1] */
	double loans;                  /**< number of loans in the programme, >= 0 */
} eic_fin_franchise_options;
#define EIC_FIN_FRANCHISE_OPTIONS_VERSION 1
#define EIC_FIN_FRANCHISE_OPTIONS_INIT                                                             \
	{                                                                                          \
		EIC_FIN_FRANCHISE_OPTIONS_VERSION, EIC_LOAN_OPTIONS_INIT, 0.0, 0.0, 1.0, 1.0       \
	}

typedef struct {
	double recovered; /**< per loan: repayment_rate x scheduled payments */
	double mfi_fee_disbursement, mfi_fee_recovery, mfi_fee_total; /**< per loan */
	double bank_net;      /**< per loan: recovered - principal - MFI fees */
	eic_fin_irr bank_irr; /**< bank's flows per period */
	int has_bank_rate;
	double bank_periodic_rate, bank_apr, bank_ear;
	double programme_mfi_fees, programme_bank_net, programme_disbursed; /**< x loans */
} eic_fin_franchise_result;

EIC_EXTERN int eic_fin_franchise(eic_fin_franchise_result *out,
                                 const eic_fin_franchise_options *opts, eic_diags *diags);

/* ==== Revolving fund, group lending, green credit ======================================== */

/** A revolving fund simulated year by year (deterministic): loans are issued at the start of a
 *  year from the cash in hand, instalments are collected and administration paid at the end. */
typedef struct {
	unsigned version;
	double initial_capital;  /**< > 0 */
	double loan_size;        /**< > 0 */
	int term_years;          /**< >= 1, annuity with yearly instalments */
	double rate;             /**< yearly interest on the balance, [0, 1] */
	double repayment_rate;   /**< share of the instalments due from performing borrowers that
	                              is collected, [0, 1] */
	double default_rate;     /**< share of borrowers who never repay, [0, 1] */
	double admin_cost_share; /**< yearly administration cost, share of the performing
	                              outstanding principal at the start of the year */
	double admin_cost_fixed; /**< yearly administration cost, money */
	int years;               /**< 1..EIC_FIN_MAX_LIFE_YEARS */
	long max_loans_per_year; /**< demand cap, 0: no cap */
} eic_fin_fund_options;
#define EIC_FIN_FUND_OPTIONS_VERSION 1
#define EIC_FIN_FUND_OPTIONS_INIT                                                                  \
	{                                                                                          \
		EIC_FIN_FUND_OPTIONS_VERSION, 0.0, 0.0, 1, 0.0, 1.0, 0.0, 0.0, 0.0, 10, 0          \
	}

typedef struct {
	int year; /**< 1..years */
	long loans_issued;
	double lent;
	double collected;
	double admin_cost;
	double outstanding;         /**< performing principal outstanding at the end of the year */
	double balance;             /**< cash at the end of the year */
	long households_cumulative; /**< loans issued so far (one household per loan) */
} eic_fin_fund_year;

typedef struct {
	long loans_total;
	double lent_total, collected_total, admin_total, defaulted_principal;
	double final_balance, final_outstanding;
	int capital_preserved; /**< final balance + outstanding >= initial capital */
	int ran_dry;           /**< the cash balance went below zero in some year */
} eic_fin_fund_summary;

typedef struct eic_fin_fund eic_fin_fund;

EIC_EXTERN int eic_fin_fund_simulate(eic_fin_fund **out, const eic_fin_fund_options *opts,
                                     eic_diags *diags);
EIC_EXTERN void eic_fin_fund_free(eic_fin_fund *f);
EIC_EXTERN const eic_fin_fund_summary *eic_fin_fund_summary_get(const eic_fin_fund *f);
EIC_EXTERN size_t eic_fin_fund_year_count(const eic_fin_fund *f);
EIC_EXTERN const eic_fin_fund_year *eic_fin_fund_year_at(const eic_fin_fund *f, size_t i);

/** Group lending with joint liability: n members each default on an instalment with
 *  probability p independently; members who pay cover the defaulters, each up to cover_limit.
 */
typedef struct {
	unsigned version;
	int members;                /**< 1..1000 */
	double default_probability; /**< [0, 1] */
	double instalment;          /**< each member's instalment, > 0 */
	double cover_limit;         /**< most a paying member adds per instalment, >= 0 */
} eic_fin_group_options;
#define EIC_FIN_GROUP_OPTIONS_VERSION 1
#define EIC_FIN_GROUP_OPTIONS_INIT                                                                 \
	{                                                                                          \
		EIC_FIN_GROUP_OPTIONS_VERSION, 5, 0.0, 0.0, 0.0                                    \
	}

typedef struct {
	double individual_repayment_rate;   /**< 1 - p, without joint liability */
	double group_repayment_rate;        /**< expected share of the group's instalments repaid */
	double group_shortfall_probability; /**< probability the cover does not close the gap */
	double expected_cover;              /**< expected extra paid by a member who pays */
	double cost_share;                  /**< expected_cover / instalment */
} eic_fin_group_result;

EIC_EXTERN int eic_fin_group_lending(eic_fin_group_result *out, const eic_fin_group_options *opts,
                                     eic_diags *diags);

/** One rule of a green credit table: the terms a lender gives to a rating label. */
typedef struct {
	const char *label;      /**< rating label, compared exactly */
	int eligible;           /**< 0: no green credit for this label */
	double rate_discount;   /**< yearly interest points taken off the loan rate */
	double guarantee_share; /**< share of the principal guaranteed, [0, 1] */
} eic_fin_green_rule;

typedef struct {
	int found; /**< the label is in the table */
	int eligible;
	double rate_before; /**< loan rate per period before */
	double rate_after;  /**< per period: max(0, rate - rate_discount / periods_per_year) */
	double guarantee_share;
	double guaranteed; /**< principal x guarantee_share */
} eic_fin_green_terms;

/**
 * Apply a rating label's green credit terms to a loan. The label comes from the caller
 * (later: the rating engine). An unknown label or an ineligible one leaves the loan
 * unchanged and says so in the result.
 * @param loan modified in place when eligible
 * @return 0, EIC_EINVALID (a rule with a rate or share out of range, see diags)
 */
EIC_EXTERN int eic_fin_green_apply(eic_fin_green_terms *out, eic_loan_options *loan,
                                   const eic_fin_green_rule *table, size_t count, const char *label,
                                   eic_diags *diags);

/* ==== Financing options, project files, facilities and the comparison ================== */

/** A way to pay for a project, as a bank officer would name it. */
typedef enum {
	EIC_FIN_INSTR_ANNUITY_LOAN = 0,         /**< bank loan, equal instalments */
	EIC_FIN_INSTR_EQUAL_PRINCIPAL_LOAN = 1, /**< equal principal parts */
	EIC_FIN_INSTR_FLAT_LOAN = 2,            /**< micro-finance flat rate, fees and deposit */
	EIC_FIN_INSTR_BALLOON_LOAN = 3,         /**< part of the principal paid at the end */
	EIC_FIN_INSTR_LEASE = 4,                /**< a lessor buys the asset; lease payments */
	EIC_FIN_INSTR_VENDOR_CREDIT = 5,        /**< down payment, then instalments to the seller */
	EIC_FIN_INSTR_CAPITAL_SUBSIDY = 6,      /**< a share of the capital cost, not repaid */
	EIC_FIN_INSTR_GRANT = 7,                /**< a lump sum in year 0, not repaid */
	EIC_FIN_INSTR_REVOLVING_FUND = 8,       /**< a loan from a revolving fund */
	EIC_FIN_INSTR_GROUP_LOAN = 9,           /**< a loan with joint liability in a group */
	EIC_FIN_INSTR__N
} eic_fin_instrument;

/** Static name ("annuity_loan", "flat_loan", "lease", ...), "" for an unknown value. */
EIC_EXTERN const char *eic_fin_instrument_name(eic_fin_instrument instrument);
/** Parse a name of eic_fin_instrument_name. @return 0, EIC_ENOTFOUND */
EIC_EXTERN int eic_fin_instrument_parse(eic_fin_instrument *out, const char *text);

/**
 * One financing option to compare (the "financing" list of a project file, docs/format.md).
 * Every option may bring a capital subsidy and a grant beside its instrument. The amount
 * financed is `amount`, or `share` of the year-0 cost left after every subsidy and grant.
 * Rates are YEARLY here (converted to the period of the instrument by / periods_per_year);
 * `term_years` counts the instalments after any grace.
 */
typedef struct {
	unsigned version;
	const char *id;     /**< short key */
	const char *name;   /**< shown to the reader */
	const char *source; /**< where the terms come from, or "ASSUMPTION: ..." */
	eic_fin_instrument instrument;
	double subsidy_share; /**< capital subsidy, share of each capex amount, [0, 1] */
	double grant;         /**< lump sum received in year 0 */
	double amount;        /**< money financed; 0: share x the year-0 cost after subsidies */
	double share;         /**< default 1 */
	double rate;          /**< yearly: interest (flat loans: flat rate on the principal), the
	                           lessor's implicit rate, the vendor's rate */
	double term_years;    /**< years of instalments; x periods_per_year must be whole */
	int periods_per_year; /**< default 12 */
	eic_grace_kind grace;
	int grace_periods;
	double balloon_share;       /**< balloon loans: share of the principal left to the end */
	double fee;                 /**< paid at disbursement (money) */
	double fee_share;           /**< paid at disbursement, share of the principal */
	double deposit;             /**< compulsory deposit (money) */
	double deposit_instalments; /**< plus this many instalments held as deposit */
	double deposit_rate;        /**< yearly interest earned on the deposit */
	int deposit_returned;       /**< default 1: returned with the last instalment */
	eic_loan_kind repayment;   /**< revolving fund and group loans: the loan's kind (annuity) */
	int in_advance;            /**< lease: payments at the start of each period (default 1) */
	double residual_share;     /**< lease: purchase price at the end, share of the amount */
	double payment;            /**< lease payment per period; 0: from rate and term */
	double down_payment_share; /**< vendor credit: share of the credit price paid at once */
	double credit_markup;      /**< vendor credit: credit price = cash price x (1 + markup) */
	double fund_capital;       /**< revolving fund: > 0 simulates the fund itself */
	double fund_repayment_rate, fund_default_rate, fund_admin_cost_share;
	int fund_years;
	int group_members; /**< group loan: members sharing liability (default 5) */
	double group_default_probability;
	double group_cover_share; /**< most a paying member adds, share of an instalment */
} eic_fin_option;
#define EIC_FIN_OPTION_VERSION 1
#define EIC_FIN_OPTION_INIT                                                                        \
	{                                                                                          \
		EIC_FIN_OPTION_VERSION, NULL, NULL, NULL, EIC_FIN_INSTR_ANNUITY_LOAN, 0.0, 0.0,    \
		    0.0, 1.0, 0.0, 0.0, 12, EIC_GRACE_NONE, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1,    \
		    EIC_LOAN_ANNUITY, 1, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 10, 5, 0.0, 1.0   \
	}

/** What one option does to the project. Money in the project's currency. */
typedef struct {
	const eic_fin_option *option; /**< a copy held by the comparison */
	int valid;                    /**< 0: the option cannot be applied (`problem` says why) */
	const char *problem;
	const char *terms; /**< the terms in plain words */
	int rank;          /**< 1 = best (closes the valley, cheapest); 0 when not valid */
	double financed;   /**< amount lent, leased or on credit */
	double subsidy;    /**< subsidies and grant the option brings, nominal sum */
	double instalment; /**< regular payment per period (0 for subsidies and grants) */
	int instalments;   /**< number of regular payments */
	int periods_per_year;
	int has_rate;        /**< the effective cost below exists (one IRR) */
	double apr, ear;     /**< effective yearly cost with fees and deposits (APR, EAR) */
	double finance_npv;  /**< NPV of the option's flows alone (> 0: money gained) */
	double owner_npv;    /**< NPV of the project's flows plus the option's */
	int closes;          /**< the owner's cash stays >= the reserve in every year */
	double min_cash;     /**< lowest cash position (equity + cumulative) */
	int worst_year;      /**< year of min_cash */
	double shortfall;    /**< max(0, reserve - min_cash): money still missing */
	double valley_depth; /**< depth of the combined cumulative */
	const double *flows; /**< the option's yearly flows seen by the project */
	int has_fund;        /**< revolving fund simulated */
	long fund_loans;     /**< loans the fund issues over fund_years */
	int fund_years;
	int fund_capital_preserved, fund_ran_dry;
	int has_group;               /**< group loan */
	double group_repayment_rate; /**< expected share of the group's instalments repaid */
	double group_cover_share;    /**< expected extra paid per instalment, share */
} eic_fin_option_result;

typedef struct {
	unsigned version;
	const char *currency; /**< for the verdict's words; NULL: no unit */
	double min_reserve;   /**< cash the owner must keep in every year */
} eic_fin_compare_options;
#define EIC_FIN_COMPARE_OPTIONS_VERSION 1
#define EIC_FIN_COMPARE_OPTIONS_INIT                                                               \
	{                                                                                          \
		EIC_FIN_COMPARE_OPTIONS_VERSION, NULL, 0.0                                         \
	}

typedef struct eic_fin_comparison eic_fin_comparison;

/**
 * Apply each financing option to an appraised project and rank them with
 * eic_fin_valley_close (single options; an option may itself be a subsidy plus a loan). The
 * base series is the project's after-tax flow before any financing (the project's own
 * debt_ratio is not used here), the owner's equity is the project's equity_available, and
 * the discount rate is the appraisal's nominal rate. An option that cannot be applied (a
 * loan longer than the project, nothing left to finance) is kept, not valid, with its problem.
 * @return 0, EIC_EINVAL (NULL appraisal, options NULL with count > 0), EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_compare(eic_fin_comparison **out, const eic_fin_appraisal *appraisal,
                               const eic_fin_option *options, size_t count,
                               const eic_fin_compare_options *opts, eic_diags *diags);
EIC_EXTERN void eic_fin_comparison_free(eic_fin_comparison *c);
/** Options in rank order, the ones that are not valid last. */
EIC_EXTERN size_t eic_fin_comparison_count(const eic_fin_comparison *c);
EIC_EXTERN const eic_fin_option_result *eic_fin_comparison_at(const eic_fin_comparison *c,
                                                              size_t i);
/** The death valley of the base series with the owner's equity. */
EIC_EXTERN const eic_fin_valley *eic_fin_comparison_valley(const eic_fin_comparison *c);
/** The verdict in plain words ("A 40 % subsidy plus a 5-year loan closes the gap; ..."). */
EIC_EXTERN const char *eic_fin_comparison_verdict(const eic_fin_comparison *c);

/** A project with its financing options, read from a project file or built from a cluster. */
typedef struct eic_fin_case eic_fin_case;

/**
 * Read a finance project file (JSON, docs/format.md "Finance project file"). Every problem is
 * appended to diags as `file:line:column: error: what (expected ...; found ...)`.
 * @return 0, EIC_EINVALID (see diags), EIC_EIO (unreadable), EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_case_read(eic_fin_case **out, eic_diags *diags, const char *path);
/** Same from memory; `name` is the file name used in the messages. */
EIC_EXTERN int eic_fin_case_read_buffer(eic_fin_case **out, eic_diags *diags, const char *name,
                                        const char *data, size_t size);

/** How a project is built from a cluster's candidate facility. Overrides < 0: not given. */
typedef struct {
	unsigned version;
	const char *level;          /**< facility level; NULL: the first listed */
	double discount_rate;       /**< nominal yearly, default 0.10 (ASSUMPTION) */
	double inflation;           /**< default 0 */
	double revenue_per_yr;      /**< overrides the value of the outputs at material prices */
	double avoided_cost_per_yr; /**< overrides the avoided costs */
	double opex_per_yr;         /**< overrides the level's opex_per_yr */
	double life_years;          /**< overrides the facility's lifetime_yr */
	double co2e_t_per_yr;       /**< t CO2e avoided per year, if known */
	double equity;              /**< owner's cash available, default 0 */
	double tax_rate;            /**< default 0 */
} eic_fin_facility_options;
#define EIC_FIN_FACILITY_OPTIONS_VERSION 1
#define EIC_FIN_FACILITY_OPTIONS_INIT                                                              \
	{                                                                                          \
		EIC_FIN_FACILITY_OPTIONS_VERSION, NULL, 0.10, 0.0, -1.0, -1.0, -1.0, -1.0, -1.0,   \
		    0.0, 0.0                                                                       \
	}

/**
 * A project from a candidate shared facility: capex and opex of the level, life from the
 * facility, revenue from the outputs valued at the materials' `price` property and avoided
 * costs from inputs with a negative price (docs/cli/finance.md, DESCRIPTION), with
 * the four default financing options. What is missing (no price, no level, no life) is listed
 * by eic_fin_case_missing, and eic_fin_case_complete is 0 until an override fills it.
 * @return 0, EIC_ENOTFOUND (no such facility or level: see diags), EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_case_from_facility(eic_fin_case **out, eic_diags *diags,
                                          const eic_cluster *cluster, const char *facility,
                                          const eic_fin_facility_options *opts);
EIC_EXTERN void eic_fin_case_free(eic_fin_case *c);
EIC_EXTERN const eic_fin_project *eic_fin_case_project(const eic_fin_case *c);
EIC_EXTERN const eic_fin_options *eic_fin_case_options(const eic_fin_case *c);
/** Cash the owner must keep (project file "min_reserve"), default 0. */
EIC_EXTERN double eic_fin_case_min_reserve(const eic_fin_case *c);
/** ISO 4217 code, "" when not given. */
EIC_EXTERN const char *eic_fin_case_currency(const eic_fin_case *c);
/** Unit of energy_per_year ("kWh", "GJ"), "" when none. */
EIC_EXTERN const char *eic_fin_case_energy_unit(const eic_fin_case *c);
EIC_EXTERN size_t eic_fin_case_option_count(const eic_fin_case *c);
EIC_EXTERN const eic_fin_option *eic_fin_case_option(const eic_fin_case *c, size_t i);
/** 1 when the options are the four built-in defaults (docs/cli/finance.md). */
EIC_EXTERN int eic_fin_case_options_are_defaults(const eic_fin_case *c);
/**
 * Add an option written as `INSTRUMENT[:key=value,...]` with the keys of the project file
 * (e.g. "annuity_loan:rate=0.08,term_years=5,share=0.7"). The first option added replaces the
 * built-in defaults. @return 0, EIC_EINVALID (see diags), EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_case_add_option_spec(eic_fin_case *c, eic_diags *diags, const char *spec);
/** 1 when revenue or avoided costs are known, so that an appraisal means something. */
EIC_EXTERN int eic_fin_case_complete(const eic_fin_case *c);
/** What is missing for an appraisal, in plain words. */
EIC_EXTERN size_t eic_fin_case_missing_count(const eic_fin_case *c);
EIC_EXTERN const char *eic_fin_case_missing(const eic_fin_case *c, size_t i);
/** How the project was built (prices used, levels chosen, assumptions). */
EIC_EXTERN size_t eic_fin_case_note_count(const eic_fin_case *c);
EIC_EXTERN const char *eic_fin_case_note(const eic_fin_case *c, size_t i);

/**
 * The yearly revenue (base-year money, at full output, escalated like `revenue`) that brings
 * the project's pre-tax NPV to zero: -NPV(R = 0) / (NPV(R = 1) - NPV(R = 0)), exact because
 * the pre-tax NPV is linear in R. The project's own revenue is ignored.
 * @return 0, EIC_EINVALID (invalid project), EIC_EINVAL, EIC_ENOMEM
 */
EIC_EXTERN int eic_fin_breakeven_revenue(double *out, const eic_fin_project *project,
                                         const eic_fin_options *opts);

#ifdef __cplusplus
}
#endif
#endif
