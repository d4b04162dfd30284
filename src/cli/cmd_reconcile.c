/* cmd_reconcile.c: `eic reconcile`: data reconciliation of a cluster's flows per period, or of
 * a standalone problem file: a table of measured and reconciled values and the verdict. */
#include "cli/cli.h"

#include <math.h>
#include <string.h>

enum { OPT_PROBLEM, OPT_PERIOD, OPT_LAYER };

const cli_option cli_reconcile_options[] = {
    {"problem", 0, "FILE", "reconcile a standalone problem file (JSON) instead of a cluster"},
    {"period", 0, "P", "reconcile one period (by default each period in turn)"},
    {"layer", 0, "L", "mass (default) or energy: the unit every flow is converted to"},
    {NULL, 0, NULL, NULL},
};

/* One reconciliation to print: its label and result. */
typedef struct {
	const char *period; /* NULL for a problem file or a cluster without periods */
	eic_reconcile_result *result;
} run_item;

static json_t *num_or_null(double v)
{
	return cli_jnum(v);
}

static json_t *result_json(const run_item *it)
{
	const eic_reconcile_summary *s = eic_reconcile_result_summary(it->result);
	json_t *o = json_object(), *vars = json_array(), *notes = json_array(),
	       *counts = json_object();
	int fail = !o || !vars || !notes || !counts;
	if (fail)
		goto done;
	fail |= cli_jset(o, "period", cli_jstr(it->period));
	fail |= cli_jset(o, "status", json_string(eic_reconcile_status_name(s->status)));
	fail |= cli_jset(o, "message", cli_jstr(s->message));
	fail |= cli_jset(o, "nonlinear", json_boolean(s->nonlinear));
	fail |= cli_jset(o, "iterations", json_integer(s->iterations));
	fail |= cli_jset(o, "chi2", cli_jnum(s->chi2));
	fail |= cli_jset(o, "dof", json_integer((json_int_t)s->dof));
	fail |= cli_jset(o, "p_value", cli_jnum(s->p_value));
	fail |= cli_jset(o, "tested", json_boolean(s->tested));
	fail |= cli_jset(o, "consistent", json_boolean(s->consistent));
	fail |= cli_jset(o, "alpha", cli_jnum(s->alpha));
	fail |= cli_jset(counts, "measured", json_integer((json_int_t)s->measured_count));
	fail |= cli_jset(counts, "redundant", json_integer((json_int_t)s->redundant_count));
	fail |=
	    cli_jset(counts, "just_determined", json_integer((json_int_t)s->just_determined_count));
	fail |= cli_jset(counts, "determinable", json_integer((json_int_t)s->determinable_count));
	fail |= cli_jset(counts, "undetermined", json_integer((json_int_t)s->undetermined_count));
	fail |= cli_jset(counts, "constant", json_integer((json_int_t)s->constant_count));
	fail |= cli_jset(counts, "gross_errors", json_integer((json_int_t)s->gross_error_count));
	fail |= cli_jset(o, "worst",
	                 s->worst == EIC_RECONCILE_NONE
	                     ? json_null()
	                     : cli_jstr(eic_reconcile_result_var(it->result, s->worst)->id));
	for (size_t i = 0; !fail && i < eic_reconcile_result_var_count(it->result); i++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(it->result, i);
		json_t *vo = json_object();
		if (!vo || json_array_append_new(vars, vo) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(vo, "id", cli_jstr(v->id));
		fail |= cli_jset(vo, "class", json_string(eic_reconcile_class_name(v->klass)));
		fail |= cli_jset(vo, "measured", num_or_null(v->measured));
		fail |= cli_jset(vo, "measured_sd", num_or_null(v->measured_sd));
		fail |= cli_jset(vo, "value", num_or_null(v->value));
		fail |= cli_jset(vo, "sd", num_or_null(v->sd));
		fail |= cli_jset(vo, "adjustment", num_or_null(v->adjustment));
		fail |=
		    cli_jset(vo, "normalised_adjustment", num_or_null(v->normalised_adjustment));
		fail |= cli_jset(vo, "gross_error", json_boolean(v->gross_error));
		fail |= cli_jset(vo, "determined", cli_jstr(v->determined));
	}
	for (size_t i = 0; !fail && i < eic_reconcile_result_note_count(it->result); i++)
		if (json_array_append_new(notes,
		                          cli_jstr(eic_reconcile_result_note(it->result, i))) != 0)
			fail = 1;
	if (!fail) {
		fail |= cli_jset(o, "counts", counts);
		fail |= cli_jset(o, "variables", vars);
		fail |= cli_jset(o, "notes", notes);
		counts = vars = notes = NULL;
	}
done:
	json_decref(counts);
	json_decref(vars);
	json_decref(notes);
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int print_json(const char *cluster, const char *problem, const char *unit,
                      const run_item *items, size_t count)
{
	json_t *root = json_object(), *arr = json_array();
	int fail = !root || !arr;
	if (!fail) {
		fail |= cli_jset(root, "cluster", cli_jstr(cluster));
		fail |= cli_jset(root, "problem", cli_jstr(problem));
		fail |= cli_jset(root, "unit", cli_jstr(unit));
	}
	for (size_t i = 0; !fail && i < count; i++) {
		json_t *o = result_json(&items[i]);
		if (!o || json_array_append_new(arr, o) != 0)
			fail = 1;
	}
	if (fail || cli_jset(root, "results", arr) != 0) {
		if (fail)
			json_decref(arr);
		json_decref(root);
		cli_error(NULL, "%s", eic_strerror(EIC_ENOMEM));
		return CLI_EXIT_INTERNAL;
	}
	return cli_print_json(root);
}

/* Table of one result: measured values with their sd, reconciled values with theirs, the
 * normalised adjustment and a '!' for a likely gross error. Then the verdict and notes. */
static int print_text(const run_item *it, const char *title, const char *unit)
{
	static const char *headers[] = {"ID",         "CLASS", "MEASURED", "SD",
	                                "RECONCILED", "SD",    "ADJ/SD",   ""};
	static const int right[] = {0, 0, 1, 1, 1, 1, 1, 0};
	const eic_reconcile_summary *s = eic_reconcile_result_summary(it->result);
	cli_table t;
	int rc = 0;
	size_t undetermined = 0;

	cli_table_init(&t, 8, headers, right);
	t.max_width = 40;
	for (size_t i = 0; i < eic_reconcile_result_var_count(it->result); i++) {
		const eic_reconcile_var *v = eic_reconcile_result_var(it->result, i);
		char m[32], msd[32], val[32], sd[32], na[32];
		const char *row[8];
		cli_fmt_num(m, sizeof(m), v->measured);
		cli_fmt_num(msd, sizeof(msd), v->measured_sd);
		cli_fmt_num(val, sizeof(val), v->value);
		cli_fmt_num(sd, sizeof(sd), v->sd);
		if (v->klass == EIC_RECONCILE_REDUNDANT && fabs(v->normalised_adjustment) < 0.005)
			snprintf(na, sizeof(na), "0.00");
		else if (v->klass == EIC_RECONCILE_REDUNDANT)
			snprintf(na, sizeof(na), "%+.2f", v->normalised_adjustment);
		else
			snprintf(na, sizeof(na), "-");
		row[0] = v->id;
		row[1] = eic_reconcile_class_name(v->klass);
		row[2] = m;
		row[3] = msd;
		row[4] = val;
		row[5] = sd;
		row[6] = na;
		row[7] = v->gross_error ? "!" : "";
		if (v->determined)
			undetermined++;
		if (cli_table_add(&t, row) < 0) {
			rc = -1;
			goto done;
		}
	}
	printf("%s\n\n", title);
	if (t.row_count)
		cli_table_print(stdout, &t, 2);
	printf("\n  Values in %s. ADJ/SD is the adjustment divided by its standard deviation;\n"
	       "  ! marks |ADJ/SD| > 1.96, a likely gross error.\n\n",
	       unit && *unit ? unit : "the problem's unit");
	printf("%s\n", s->message);
	if (undetermined) {
		printf("\nUndetermined\n");
		for (size_t i = 0; i < eic_reconcile_result_var_count(it->result); i++) {
			const eic_reconcile_var *v = eic_reconcile_result_var(it->result, i);
			if (v->determined)
				printf("  - %s: %s\n", v->id, v->determined);
		}
	}
	if (eic_reconcile_result_note_count(it->result)) {
		printf("\nNotes\n");
		for (size_t i = 0; i < eic_reconcile_result_note_count(it->result); i++)
			printf("  - %s\n", eic_reconcile_result_note(it->result, i));
	}
done:
	cli_table_free(&t);
	return rc;
}

static int reconcile_one(const cli_ctx *ctx, eic_reconcile_result **out,
                         const eic_reconcile_problem *p)
{
	int error = eic_reconcile(out, p, NULL);
	if (error < 0) {
		cli_error(ctx, "reconciliation failed: %s", eic_strerror(error));
		return cli_status_of(error);
	}
	return 0;
}

int cli_cmd_reconcile(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_reconcile_problem *problem = NULL;
	run_item items[64];
	size_t item_count = 0, period_total = 0;
	char unit[64] = "";
	int status, error;
	const char *problem_path, *period, *layer;

	memset(items, 0, sizeof(items));
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	problem_path = args.value[OPT_PROBLEM];
	period = args.value[OPT_PERIOD];
	layer = args.value[OPT_LAYER] ? args.value[OPT_LAYER] : "mass";
	if ((problem_path != NULL) == (args.arg_count == 1))
		return cli_usage_error(ctx,
		                       "give either a CLUSTER (or package path) or --problem FILE");
	if (strcmp(layer, "mass") && strcmp(layer, "energy"))
		return cli_usage_error(ctx, "--layer must be mass or energy, not '%s'", layer);
	if (problem_path && (period || args.value[OPT_LAYER]))
		return cli_usage_error(ctx,
		                       "--period and --layer apply to a cluster, not to --problem");

	if (problem_path) {
		eic_diags *diags = NULL;
		if ((error = eic_diags_new(&diags, 1000)) < 0) {
			cli_error(ctx, "%s", eic_strerror(error));
			return CLI_EXIT_INTERNAL;
		}
		error = eic_reconcile_problem_read(&problem, diags, problem_path);
		fflush(stdout);
		cli_print_diags(stderr, diags);
		eic_diags_free(diags);
		if (error < 0) {
			cli_error(ctx, "%s: %s", problem_path,
			          error == EIC_EINVALID ? "invalid problem file"
			          : error == EIC_EIO    ? "cannot read the file"
			                                : eic_strerror(error));
			return error == EIC_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
		}
		snprintf(unit, sizeof(unit), "%s", eic_reconcile_problem_unit(problem));
		if ((status = reconcile_one(ctx, &items[0].result, problem)) != 0)
			goto done;
		item_count = 1;
	} else {
		if ((status = cli_load_cluster(&cluster, ctx, args.args[0])) != 0)
			return status;
		if (period && !eic_cluster_find_period(cluster, period)) {
			cli_error(ctx, "cluster '%s' has no period '%s'",
			          eic_cluster_info_get(cluster)->id, period);
			status = CLI_EXIT_USAGE;
			goto done;
		}
		period_total = period ? 1 : eic_cluster_period_count(cluster);
		if (period_total == 0)
			period_total = 1; /* no periods: every flow at once */
		if (period_total > sizeof(items) / sizeof(items[0])) {
			cli_warn(ctx, "only the first %zu periods are reconciled (give --period)",
			         sizeof(items) / sizeof(items[0]));
			period_total = sizeof(items) / sizeof(items[0]);
		}
		for (size_t k = 0; k < period_total; k++) {
			const char *pid = period ? period
			                  : eic_cluster_period_count(cluster)
			                      ? eic_cluster_period(cluster, k)->id
			                      : NULL;
			error = eic_reconcile_problem_from_cluster(&problem, cluster, pid, layer);
			if (error < 0) {
				cli_error(ctx, "cannot build the problem: %s", eic_strerror(error));
				status = cli_status_of(error);
				goto done;
			}
			snprintf(unit, sizeof(unit), "%s", eic_reconcile_problem_unit(problem));
			items[k].period = pid;
			if ((status = reconcile_one(ctx, &items[k].result, problem)) != 0)
				goto done;
			item_count = k + 1;
			eic_reconcile_problem_free(problem);
			problem = NULL;
		}
	}

	const char *cluster_id = cluster ? eic_cluster_info_get(cluster)->id : NULL;
	if (ctx->json) {
		status = print_json(cluster_id, problem_path, unit, items, item_count);
	} else {
		for (size_t k = 0; k < item_count; k++) {
			char title[512];
			if (cluster_id && items[k].period)
				snprintf(title, sizeof(title),
				         "Reconciliation of %s, period %s (%s)", cluster_id,
				         items[k].period, layer);
			else if (cluster_id)
				snprintf(title, sizeof(title), "Reconciliation of %s (%s)",
				         cluster_id, layer);
			else
				snprintf(title, sizeof(title), "Reconciliation of %s",
				         problem_path);
			if (k)
				putchar('\n');
			if (print_text(&items[k], title, unit) < 0) {
				cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
				status = CLI_EXIT_INTERNAL;
				break;
			}
		}
	}
done:
	for (size_t k = 0; k < sizeof(items) / sizeof(items[0]); k++)
		eic_reconcile_result_free(items[k].result);
	eic_reconcile_problem_free(problem);
	eic_cluster_free(cluster);
	return status;
}
