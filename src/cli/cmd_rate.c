/* cmd_rate.c: `eic rate`: rate every actor of a cluster with a shipped or own rating scheme from
 * its measurements (and inputs given in a file), and optionally derive its credit terms. */
#include "cli/monitor_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SCHEME, OPT_PERIOD, OPT_INPUTS, OPT_CREDIT };

const cli_option cli_rate_options[] = {
    {"scheme", 's', "proper|cepi|eip|FILE", "rating scheme: a shipped one or a scheme file"},
    {"period", 0, "P", "period rated (default: the last period with records)"},
    {"inputs", 0, "FILE.json", "inputs measurements cannot give: {\"ACTOR\"|\"*\": {name: value}}"},
    {"credit-rules", 0, "FILE",
     "also give each actor's credit terms (data/rating/credit_rules.json)"},
    {NULL, 0, NULL, NULL},
};

static const char *scheme_path(char *buf, size_t size, const char *arg)
{
	const char *file = !strcmp(arg, "proper") ? "proper.json"
	                   : !strcmp(arg, "cepi") ? "cepi.json"
	                   : !strcmp(arg, "eip")  ? "eip_framework.json"
	                                          : NULL;
	if (!file)
		return arg;
	snprintf(buf, size, "%s/rating/%s", eic_data_dir(), file);
	return buf;
}

/* Apply the inputs of object `o` (name -> true/false, number or text). Returns a status. */
static int set_inputs(const cli_ctx *ctx, eic_rating_inputs *in, json_t *o, const char *file)
{
	const char *name;
	json_t *v;
	int rc = 0;
	json_object_foreach(o, name, v)
	{
		if (json_is_boolean(v))
			rc = eic_rating_inputs_set_bool(in, name, json_is_true(v));
		else if (json_is_number(v))
			rc = eic_rating_inputs_set_number(in, name, json_number_value(v));
		else if (json_is_string(v))
			rc = eic_rating_inputs_set_text(in, name, json_string_value(v));
		else {
			cli_error(ctx, "%s: input '%s' must be true, false, a number or a text",
			          file, name);
			return CLI_EXIT_USAGE;
		}
		if (rc < 0)
			return cli_status_of(rc);
	}
	return 0;
}

/* Indicators of an actor for credit rules: every value of the period and its trend stats. */
static int credit_indicators(eic_credit_indicator **out, size_t *count, char ***names,
                             const eic_indicators *ind, const char *actor, const char *period)
{
	static const char *const suffix[] = {"", ".change", ".change_rel", ".cagr", ".slope"};
	size_t n = 0, cap = eic_indicators_trend_count(ind) * 5 + 1;
	eic_credit_indicator *list = calloc(cap, sizeof(*list));
	char **keep = calloc(cap, sizeof(*keep));
	if (!list || !keep) {
		free(list);
		free(keep);
		return -1;
	}
	for (size_t i = 0; i < eic_indicators_trend_count(ind); i++) {
		const eic_indicator_trend *t = eic_indicators_trend_at(ind, i);
		if (t->cluster_scope || strcmp(t->scope, actor))
			continue;
		for (int k = 0; k < 5; k++) {
			char name[300];
			snprintf(name, sizeof(name), "%s%s", t->indicator, suffix[k]);
			keep[n] = strdup(name);
			if (!keep[n])
				break;
			list[n].name = keep[n];
			list[n].value = eic_indicators_lookup(ind, actor, name, period, NULL);
			n++;
		}
	}
	*out = list;
	*count = n;
	*names = keep;
	return 0;
}

int cli_cmd_rate(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	cli_monitor m;
	eic_rating_scheme *scheme = NULL;
	eic_credit_rules *credit = NULL;
	eic_diags *diags = NULL;
	eic_rating_inputs **inputs = NULL;
	json_t *infile = NULL, *root = NULL, *rows = NULL;
	char *prev_why = NULL;
	char path[1024];
	int status, error;
	size_t na = 0;
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if (!args.value[OPT_SCHEME])
		return cli_usage_error(ctx, "--scheme is required (proper, cepi, eip or a file)");
	if ((status = cli_monitor_load(&m, ctx, args.args[0], NULL, args.value[OPT_PERIOD])) != 0)
		return status;
	if (eic_diags_new(&diags, 100) < 0) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	error = eic_rating_scheme_load(&scheme, diags,
	                               scheme_path(path, sizeof(path), args.value[OPT_SCHEME]));
	if (error == 0 && args.value[OPT_CREDIT])
		error = eic_credit_rules_load(&credit, diags, args.value[OPT_CREDIT]);
	if (error < 0) {
		cli_print_diags(stderr, diags);
		status = error == EIC_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
		goto done;
	}
	if (args.value[OPT_INPUTS]) {
		json_error_t je;
		infile = json_load_file(args.value[OPT_INPUTS], JSON_REJECT_DUPLICATES, &je);
		if (!infile || !json_is_object(infile)) {
			cli_error(
			    ctx, "%s:%d:%d: %s (expected a JSON object {\"ACTOR\": {name: value}})",
			    args.value[OPT_INPUTS], infile ? 1 : je.line, infile ? 1 : je.column,
			    infile ? "not an object" : je.text);
			status = CLI_EXIT_USAGE;
			goto done;
		}
	}
	size_t np = eic_indicators_period_count(m.ind);
	const char *period = np ? eic_indicators_period(m.ind, np - 1) : NULL;
	char start[11] = "", end[11] = "";
	if (period)
		eic_measure_period_parse(start, end, period);
	else
		cli_warn(ctx,
		         "no measurement records for '%s': load them with 'eic measure import'; "
		         "only inputs from --inputs are used",
		         args.args[0]);
	na = eic_cluster_actor_count(m.cluster);
	inputs = calloc(na ? na : 1, sizeof(*inputs));
	if (!inputs) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t a = 0; a < na; a++) {
		const char *id = eic_cluster_actor(m.cluster, a)->id;
		if ((error = eic_rating_inputs_new(&inputs[a])) < 0 ||
		    (period && (error = eic_indicators_rating_inputs(inputs[a], NULL, m.set, id,
		                                                     start, end)) < 0)) {
			status = cli_status_of(error);
			goto done;
		}
		json_t *all = infile ? json_object_get(infile, "*") : NULL;
		json_t *own = infile ? json_object_get(infile, id) : NULL;
		if ((all && (status = set_inputs(ctx, inputs[a], all, args.value[OPT_INPUTS]))) ||
		    (own && (status = set_inputs(ctx, inputs[a], own, args.value[OPT_INPUTS]))))
			goto done;
	}
	root = json_object();
	rows = json_array();
	if (!root || !rows) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (!ctx->json)
		printf("%s (%s), period %s\n", eic_rating_scheme_name(scheme),
		       eic_rating_scheme_id(scheme), period ? period : "-");
	int idw = 4;
	for (size_t a = 0; a < na; a++) {
		size_t len = strlen(eic_cluster_actor(m.cluster, a)->id);
		if ((int)len > idw)
			idw = len > 40 ? 40 : (int)len;
	}
	for (size_t a = 0; a < na; a++) {
		const eic_actor *ac = eic_cluster_actor(m.cluster, a);
		/* the peers are the other actors of the cluster */
		const eic_rating_inputs **peers = calloc(na ? na : 1, sizeof(*peers));
		size_t pc = 0;
		eic_rating_result *res = NULL;
		if (!peers) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		for (size_t k = 0; k < na; k++)
			if (k != a)
				peers[pc++] = inputs[k];
		error = eic_rating_evaluate(&res, scheme, inputs[a],
		                            (const eic_rating_inputs *const *)peers, pc);
		free(peers);
		if (error < 0) {
			status = cli_status_of(error);
			goto done;
		}
		const char *label = eic_rating_result_label(res);
		eic_credit_result *cr = NULL;
		if (credit) {
			eic_credit_rating rating = {eic_rating_scheme_id(scheme), label};
			eic_credit_indicator *ci = NULL;
			char **names = NULL;
			size_t cc = 0;
			if (credit_indicators(&ci, &cc, &names, m.ind, ac->id, period) < 0 ||
			    eic_credit_evaluate(&cr, credit, &rating, 1, ci, cc) < 0)
				status = CLI_EXIT_INTERNAL;
			for (size_t k = 0; names && k < cc; k++)
				free(names[k]);
			free(names);
			free(ci);
		}
		json_t *o = json_object(), *missing = json_array();
		int fail = !o || !missing || json_array_append_new(rows, o) != 0;
		if (!fail) {
			fail |= cli_jset(o, "actor", cli_jstr(ac->id));
			fail |= cli_jset(o, "name", cli_jstr(ac->name));
			fail |= cli_jset(o, "label", cli_jstr(label));
			fail |=
			    cli_jset(o, "complete", json_boolean(eic_rating_result_complete(res)));
			fail |=
			    cli_jset(o, "decided_by", cli_jstr(eic_rating_result_decided_by(res)));
			fail |= cli_jset(o, "explanation",
			                 cli_jstr(eic_rating_result_explanation(res)));
			for (size_t k = 0; k < eic_rating_result_missing_count(res); k++)
				fail |= json_array_append_new(
				    missing, cli_jstr(eic_rating_result_missing(res, k)));
			fail |= cli_jset(o, "missing", missing);
			missing = NULL;
			if (cr) {
				const eic_credit_terms *t = eic_credit_result_terms(cr);
				json_t *c = json_object();
				fail |= !c || cli_jset(o, "credit", c);
				if (c) {
					fail |= cli_jset(c, "decided", json_boolean(t->decided));
					fail |= cli_jset(c, "eligible", json_boolean(t->eligible));
					fail |= cli_jset(c, "rate_discount_pp",
					                 cli_jnum(t->rate_discount_pp));
					fail |= cli_jset(c, "guarantee_share",
					                 cli_jnum(t->guarantee_share));
					fail |= cli_jset(c, "max_tenor_years",
					                 cli_jnum(t->max_tenor_years));
					fail |=
					    cli_jset(c, "explanation",
					             cli_jstr(eic_credit_result_explanation(cr)));
				}
			}
		}
		json_decref(missing);
		if (!ctx->json) {
			/* The same explanation as the actor above (typically the same inputs
			 * missing for every actor) is not repeated. */
			const char *why = eic_rating_result_explanation(res);
			int same = prev_why && strcmp(prev_why, why) == 0;
			printf("  %-*s %-12s %s\n", idw, ac->id, label ? label : "(not rated)",
			       same ? "(the same as above)" : why);
			if (!same) {
				free(prev_why);
				prev_why = strdup(why);
			}
			if (cr)
				printf("  %-*s %-12s credit: %s\n", idw, "", "",
				       eic_credit_result_explanation(cr));
		}
		eic_credit_result_free(cr);
		eic_rating_result_free(res);
		if (fail)
			status = CLI_EXIT_INTERNAL;
		if (status)
			goto done;
	}
	if (ctx->json) {
		int fail = cli_jset(root, "cluster", cli_jstr(eic_cluster_info_get(m.cluster)->id));
		fail |= cli_jset(root, "scheme", cli_jstr(eic_rating_scheme_id(scheme)));
		fail |= cli_jset(root, "period", cli_jstr(period));
		fail |= cli_jset(root, "actors", rows);
		rows = NULL;
		if (fail)
			status = CLI_EXIT_INTERNAL;
		else {
			status = cli_print_json(root);
			root = NULL;
		}
	}
done:
	if (status == CLI_EXIT_INTERNAL)
		cli_error(ctx, "out of memory");
	free(prev_why);
	json_decref(rows);
	json_decref(root);
	json_decref(infile);
	for (size_t a = 0; inputs && a < na; a++)
		eic_rating_inputs_free(inputs[a]);
	free(inputs);
	eic_credit_rules_free(credit);
	eic_rating_scheme_free(scheme);
	eic_diags_free(diags);
	cli_monitor_free(&m);
	return status;
}
