/* cmd_synergy.c: `eic synergy`: track synergies in the database: save one (from a match
 * candidate or given), change its status, record realised quantities, list, show, delete. */
#include "cli/cli.h"
#include "cli/match_options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <eic/synergy.h>

/* The command-table entry: the subcommand picks its own option table below. */
const cli_option cli_synergy_options[] = {
    {NULL, 0, NULL, NULL},
};

enum {
	ADD_FROM_MATCH,
	ADD_FROM,
	ADD_TO,
	ADD_MATERIAL,
	ADD_QUANTITY,
	ADD_UNIT,
	ADD_ID,
	ADD_DATE,
	ADD_NOTE,
	ADD_WHO,
	ADD_VIEWER,
	ADD_MODE,
	ADD_RADIUS,
	ADD_CIRCUITY,
	ADD_DISTANCES,
	ADD_KB,
};

static const cli_option add_options[] = {
    {"from-match", 0, "N",
     "save candidate N (its rank in 'eic match CLUSTER' with the same options)"},
    {"from", 0, "ACTOR", "giving actor (explicit synergy)"},
    {"to", 0, "ACTOR", "receiving actor (explicit synergy)"},
    {"material", 0, "MATERIAL", "material exchanged (explicit synergy)"},
    {"quantity", 0, "Q", "expected quantity (explicit synergy)"},
    {"unit", 0, "UNIT", "unit of --quantity (default t/yr)"},
    {"id", 0, "ID", "name the synergy (default: the next S1, S2 ...)"},
    {"date", 0, "YYYY-MM-DD", "date of the first status, idea (default today)"},
    {"note", 0, "TEXT", "note of the first status"},
    {"who", 0, "NAME", "who records it"},
    {"viewer", 0, "ACTOR", "as in eic match (with --from-match)"},
    {"mode", 0, "MODES",
     "as in eic match; for an explicit synergy one of substitution, shared, joint"},
    {"radius", 0, "KM", "as in eic match (with --from-match)"},
    {"circuity", 0, "X", "as in eic match (with --from-match)"},
    {"distances", 0, "FILE", "as in eic match (with --from-match)"},
    {"kb", 0, "FILE", "as in eic match (with --from-match)"},
    {NULL, 0, NULL, NULL},
};

enum { ST_DATE, ST_NOTE, ST_WHO, ST_REOPEN };
static const cli_option status_options[] = {
    {"date", 0, "YYYY-MM-DD", "when the status took effect (default today)"},
    {"note", 0, "TEXT", "why, what was decided"},
    {"who", 0, "NAME", "who records it"},
    {"reopen", 0, NULL, "allow a move back to an earlier status, or out of stopped"},
    {NULL, 0, NULL, NULL},
};

enum { REC_PERIOD, REC_QUANTITY, REC_UNIT, REC_NOTE, REC_REPLACE };
static const cli_option record_options[] = {
    {"period", 0, "P", "cluster period id, YYYY, YYYY-MM, YYYY-Qn or START..END"},
    {"quantity", 0, "Q", "quantity realised over the period"},
    {"unit", 0, "UNIT", "unit of Q (default: the synergy's unit without /yr)"},
    {"note", 0, "TEXT", "where the figure comes from"},
    {"replace", 0, NULL, "replace the quantity already recorded for the period"},
    {NULL, 0, NULL, NULL},
};

enum { LIST_STATUS };
static const cli_option list_options[] = {
    {"status", 0, "STATUS", "only synergies whose current status is STATUS"},
    {NULL, 0, NULL, NULL},
};

static const cli_option no_options[] = {
    {NULL, 0, NULL, NULL},
};

/* Subcommands, parsed as commands of their own named "synergy" (so messages read
 * "eic synergy: ..." and the usage shows the subcommand's synopsis). */
static const cli_command subcommands[] = {
    {"synergy", NULL, CLI_CMD_DB | CLI_CMD_JSON, "save a synergy",
     "add CLUSTER (--from-match N | --from A --to B --material M [--quantity Q])", add_options, 2,
     2},
    {"synergy", NULL, CLI_CMD_DB | CLI_CMD_JSON, "change the status of a synergy",
     "status CLUSTER ID STATUS [--date YYYY-MM-DD] [--note TEXT] [--reopen]", status_options, 4, 4},
    {"synergy", NULL, CLI_CMD_DB | CLI_CMD_JSON, "record a realised quantity",
     "record CLUSTER ID --period P --quantity Q [--unit U]", record_options, 3, 3},
    {"synergy", NULL, CLI_CMD_DB | CLI_CMD_JSON, "list the synergies of a cluster",
     "list CLUSTER [--status STATUS]", list_options, 2, 2},
    {"synergy", NULL, CLI_CMD_DB | CLI_CMD_JSON, "show a synergy with its history",
     "show CLUSTER ID", no_options, 3, 3},
    {"synergy", NULL, CLI_CMD_DB | CLI_CMD_JSON, "delete a synergy and its history",
     "delete CLUSTER ID", no_options, 3, 3},
};
static const char *const subcommand_names[] = {"add", "status", "record", "list", "show", "delete"};
enum { SUB_ADD, SUB_STATUS, SUB_RECORD, SUB_LIST, SUB_SHOW, SUB_DELETE, SUB__N };

/* Report a failed library call with the store's message; returns the exit status. */
static int store_error(const cli_ctx *ctx, eic_store *store, int error)
{
	const char *msg = store ? eic_store_errmsg(store) : "";
	if (msg && *msg)
		cli_error(ctx, "%s", msg);
	else
		cli_error(ctx, "%s", eic_strerror(error));
	return cli_status_of(error);
}

/* ---- output ---- */

static json_t *synergy_json(const eic_synergy *sy)
{
	json_t *o = json_object(), *history = json_array(), *realised = json_array(), *match;
	int failed = !o || !history || !realised;
	static const char *const mode_key[] = {"substitution", "shared", "joint"};

	failed |= cli_jset(o, "id", cli_jstr(sy->id));
	failed |= cli_jset(o, "cluster", cli_jstr(sy->cluster));
	failed |= cli_jset(o, "mode", json_string(mode_key[sy->mode]));
	failed |= cli_jset(o, "from_actor", cli_jstr(sy->from_actor));
	failed |= cli_jset(o, "to_actor", cli_jstr(sy->to_actor));
	failed |= cli_jset(o, "material", cli_jstr(sy->material));
	failed |= cli_jset(o, "to_material", cli_jstr(sy->to_material));
	failed |= cli_jset(o, "quantity", cli_jnum(sy->quantity));
	failed |= cli_jset(o, "unit", cli_jstr(sy->unit));
	failed |= cli_jset(o, "origin", json_string(sy->from_match ? "match" : "manual"));
	if (sy->from_match) {
		match = json_object();
		failed |= !match;
		failed |= cli_jset(match, "rank", json_integer(sy->match_rank));
		failed |= cli_jset(match, "score", cli_jnum(sy->match_score));
		failed |= cli_jset(match, "fit", cli_jstr(sy->match_fit));
		failed |= cli_jset(match, "pathway", cli_jstr(sy->pathway));
		failed |= cli_jset(match, "from_offer", cli_jstr(sy->from_offer));
		failed |= cli_jset(match, "to_offer", cli_jstr(sy->to_offer));
		failed |= cli_jset(match, "distance_km", cli_jnum(sy->distance_km));
		failed |= cli_jset(match, "explanation", cli_jstr(sy->explanation));
	} else {
		match = json_null();
	}
	failed |= cli_jset(o, "match", match);
	failed |= cli_jset(o, "notes", cli_jstr(sy->notes));
	failed |= cli_jset(o, "created_at", cli_jstr(sy->created_at));
	failed |= cli_jset(o, "status", json_string(eic_synergy_status_name(sy->status)));
	failed |= cli_jset(o, "status_date", cli_jstr(sy->status_date));
	for (size_t i = 0; i < sy->history_count && !failed; i++) {
		const eic_synergy_event *e = &sy->history[i];
		json_t *h = json_object();
		failed |= !h;
		failed |= cli_jset(h, "status", json_string(eic_synergy_status_name(e->status)));
		failed |= cli_jset(h, "date", cli_jstr(e->date));
		failed |= cli_jset(h, "note", cli_jstr(e->note));
		failed |= cli_jset(h, "who", cli_jstr(e->who));
		failed |= cli_jset(h, "recorded_at", cli_jstr(e->recorded_at));
		failed |= json_array_append_new(history, h) != 0;
	}
	for (size_t i = 0; i < sy->realised_count && !failed; i++) {
		const eic_synergy_realised *r = &sy->realised[i];
		json_t *h = json_object();
		failed |= !h;
		failed |= cli_jset(h, "period", cli_jstr(r->period));
		failed |= cli_jset(h, "start", cli_jstr(r->start));
		failed |= cli_jset(h, "end", cli_jstr(r->end));
		failed |= cli_jset(h, "quantity", cli_jnum(r->quantity));
		failed |= cli_jset(h, "unit", cli_jstr(r->unit));
		failed |= cli_jset(h, "note", cli_jstr(r->note));
		failed |= cli_jset(h, "recorded_at", cli_jstr(r->recorded_at));
		failed |= json_array_append_new(realised, h) != 0;
	}
	failed |= cli_jset(o, "history", history);
	failed |= cli_jset(o, "realised", realised);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Print one synergy (after a change, or `show`) as text or JSON. */
static int print_one(const cli_ctx *ctx, eic_store *store, const char *cluster, const char *id,
                     const char *what)
{
	eic_synergy_set *set = NULL;
	int error = eic_synergy_get(&set, store, cluster, id), status = CLI_EXIT_OK;
	char num[64];
	if (error < 0)
		return store_error(ctx, store, error);
	const eic_synergy *sy = eic_synergy_set_at(set, 0);
	if (ctx->json) {
		json_t *o = synergy_json(sy);
		if (!o) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
		} else {
			status = cli_print_json(o);
		}
		goto done;
	}
	if (what) {
		printf("%s synergy %s of %s: %s -> %s, %s, now %s since %s\n", what, sy->id,
		       sy->cluster, sy->from_actor, sy->to_actor, sy->material,
		       eic_synergy_status_name(sy->status), sy->status_date);
		goto done;
	}
	cli_fmt_num(num, sizeof(num), sy->quantity);
	printf("Synergy %s of %s\n", sy->id, sy->cluster);
	printf("  exchange:  %s -> %s, %s%s%s (%s)\n", sy->from_actor, sy->to_actor, sy->material,
	       sy->to_material ? " for " : "", sy->to_material ? sy->to_material : "",
	       eic_match_mode_name(sy->mode));
	printf("  expected:  %s %s\n", num, sy->unit ? sy->unit : "");
	printf("  status:    %s since %s\n", eic_synergy_status_name(sy->status), sy->status_date);
	if (sy->from_match) {
		printf("  from:      match candidate %ld (score %.2f, %s%s%s)\n", sy->match_rank,
		       sy->match_score, sy->match_fit ? sy->match_fit : "",
		       sy->pathway ? ", pathway " : "", sy->pathway ? sy->pathway : "");
		if (sy->explanation)
			printf("             %s\n", sy->explanation);
	} else {
		printf("  from:      entered by hand\n");
	}
	if (sy->notes)
		printf("  notes:     %s\n", sy->notes);
	printf("\nStatus history:\n");
	{
		static const char *headers[] = {"date", "status", "who", "note"};
		static const int right[] = {0, 0, 0, 0};
		cli_table t;
		cli_table_init(&t, 4, headers, right);
		for (size_t i = 0; i < sy->history_count; i++) {
			const eic_synergy_event *e = &sy->history[i];
			const char *row[] = {e->date, eic_synergy_status_name(e->status), e->who,
			                     e->note};
			cli_table_add(&t, row);
		}
		cli_table_print(stdout, &t, 2);
		cli_table_free(&t);
	}
	printf("\nRealised:%s\n", sy->realised_count ? "" : " nothing recorded yet");
	if (sy->realised_count) {
		static const char *headers[] = {"period", "from", "to", "quantity", "unit", "note"};
		static const int right[] = {0, 0, 0, 1, 0, 0};
		cli_table t;
		cli_table_init(&t, 6, headers, right);
		for (size_t i = 0; i < sy->realised_count; i++) {
			const eic_synergy_realised *r = &sy->realised[i];
			cli_fmt_num(num, sizeof(num), r->quantity);
			const char *row[] = {r->period, r->start, r->end, num, r->unit, r->note};
			cli_table_add(&t, row);
		}
		cli_table_print(stdout, &t, 2);
		cli_table_free(&t);
	}
done:
	eic_synergy_set_free(set);
	return status;
}

/* ---- subcommands ---- */

/* Candidate N of `eic match CLUSTER` with the same options, as a spec. The match result and
 * the cluster it points into are handed to the caller (the spec borrows their strings). */
static int spec_from_match(eic_synergy_spec *spec, eic_match_result **out_result,
                           eic_cluster **out_cluster, const cli_ctx *ctx, const char *cluster_id,
                           const char *const *v)
{
	eic_match_options opts = EIC_MATCH_OPTIONS_INIT;
	eic_cluster *cluster = NULL;
	eic_diags *diags = NULL;
	double rank;
	int status, error;
	cli_match_values mv = {v[ADD_VIEWER],
	                       v[ADD_MODE],
	                       v[ADD_RADIUS],
	                       v[ADD_CIRCUITY],
	                       v[ADD_DISTANCES],
	                       v[ADD_KB],
	                       NULL,
	                       NULL,
	                       NULL,
	                       NULL};

	*out_result = NULL;
	if (cli_parse_number(&rank, ctx, "from-match", v[ADD_FROM_MATCH]) < 0)
		return CLI_EXIT_USAGE;
	if (rank < 1 || rank != floor(rank))
		return cli_usage_error(ctx, "--from-match expects a rank >= 1 (found '%s')",
		                       v[ADD_FROM_MATCH]);
	if ((status = cli_match_options_from(&opts, ctx, &mv)) != 0)
		return status;
	if ((status = cli_load_cluster(out_cluster, ctx, cluster_id)) != 0)
		return status;
	cluster = *out_cluster;
	if ((error = eic_diags_new(&diags, 100)) < 0) {
		cli_error(ctx, "%s", eic_strerror(error));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = eic_match_run(out_result, cluster, &opts, diags)) < 0) {
		status = cli_match_report_error(ctx, diags, error);
		goto done;
	}
	size_t count = eic_match_count(*out_result);
	if ((size_t)rank > count) {
		cli_error(ctx,
		          "--from-match %s: 'eic match %s' with these options gives %zu "
		          "candidate%s",
		          v[ADD_FROM_MATCH], cluster_id, count, count == 1 ? "" : "s");
		status = CLI_EXIT_USAGE;
		goto done;
	}
	if (eic_synergy_spec_from_candidate(spec, eic_match_at(*out_result, (size_t)rank - 1),
	                                    (size_t)rank) < 0) {
		cli_error(ctx,
		          "candidate %s has a confidential side: it can be saved only by its "
		          "owner's facilitator (give --viewer OWNER)",
		          v[ADD_FROM_MATCH]);
		status = CLI_EXIT_USAGE;
	}
done:
	eic_diags_free(diags);
	return status;
}

static int run_add(const cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	const char *cluster = args->args[1];
	eic_synergy_spec spec = EIC_SYNERGY_SPEC_INIT;
	eic_match_result *result = NULL;
	eic_cluster *loaded = NULL;
	char id[80];
	int status = CLI_EXIT_OK, error;

	if (v[ADD_FROM_MATCH]) {
		if (v[ADD_FROM] || v[ADD_TO] || v[ADD_MATERIAL] || v[ADD_QUANTITY] || v[ADD_UNIT])
			return cli_usage_error(ctx, "give either --from-match N or --from, --to, "
			                            "--material (and --quantity), not both");
		if (cli_is_package_path(cluster))
			return cli_usage_error(
			    ctx,
			    "synergies are kept in the database: give the id of a "
			    "stored cluster, not the package %s",
			    cluster);
		if ((status = spec_from_match(&spec, &result, &loaded, ctx, cluster, v)) != 0)
			goto done;
	} else {
		if (!v[ADD_FROM] || !v[ADD_TO] || !v[ADD_MATERIAL])
			return cli_usage_error(ctx,
			                       "give --from-match N, or --from ACTOR --to ACTOR "
			                       "--material MATERIAL");
		if (v[ADD_VIEWER] || v[ADD_RADIUS] || v[ADD_CIRCUITY] || v[ADD_DISTANCES] ||
		    v[ADD_KB])
			return cli_usage_error(ctx,
			                       "--viewer, --radius, --circuity, --distances and "
			                       "--kb go with --from-match");
		spec.from_actor = v[ADD_FROM];
		spec.to_actor = v[ADD_TO];
		spec.material = v[ADD_MATERIAL];
		if (v[ADD_MODE]) {
			if (!strcmp(v[ADD_MODE], "substitution"))
				spec.mode = EIC_MATCH_SUBSTITUTION;
			else if (!strcmp(v[ADD_MODE], "shared"))
				spec.mode = EIC_MATCH_SHARED_INPUT;
			else if (!strcmp(v[ADD_MODE], "joint"))
				spec.mode = EIC_MATCH_JOINT_TREATMENT;
			else
				return cli_usage_error(ctx,
				                       "--mode: an explicit synergy is one of "
				                       "substitution, shared, joint (found '%s')",
				                       v[ADD_MODE]);
		}
		if (v[ADD_QUANTITY]) {
			if (cli_parse_number(&spec.quantity, ctx, "quantity", v[ADD_QUANTITY]) < 0)
				return CLI_EXIT_USAGE;
			spec.unit = v[ADD_UNIT] ? v[ADD_UNIT] : "t/yr";
		} else if (v[ADD_UNIT]) {
			return cli_usage_error(ctx, "--unit goes with --quantity");
		}
	}
	spec.id = v[ADD_ID];
	spec.date = v[ADD_DATE];
	spec.note = v[ADD_NOTE];
	spec.who = v[ADD_WHO];
	if ((error = eic_synergy_add(id, sizeof(id), store, cluster, &spec)) < 0) {
		status = store_error(ctx, store, error);
		goto done;
	}
	status = print_one(ctx, store, cluster, id, "Saved");
done:
	eic_match_free(result);
	eic_cluster_free(loaded);
	return status;
}

static int run_status(const cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	eic_synergy_status_options opts = EIC_SYNERGY_STATUS_OPTIONS_INIT;
	eic_synergy_status st;
	const char *text = args->args[3];
	int error;

	if (eic_synergy_status_parse(&st, text) < 0)
		return cli_usage_error(
		    ctx,
		    "'%s' is not a status (idea, under_study, agreed, operating, "
		    "stopped)",
		    text);
	opts.date = v[ST_DATE];
	opts.note = v[ST_NOTE];
	opts.who = v[ST_WHO];
	opts.reopen = v[ST_REOPEN] != NULL;
	if ((error = eic_synergy_set_status(store, args->args[1], args->args[2], st, &opts)) < 0) {
		const char *msg = eic_store_errmsg(store);
		cli_error(ctx, "%s", msg && *msg ? msg : eic_strerror(error));
		if (error == EIC_EINVAL && msg && strstr(msg, "reopen"))
			cli_info(ctx, "give --reopen to do it anyway");
		return cli_status_of(error);
	}
	return print_one(ctx, store, args->args[1], args->args[2], "Updated");
}

static int run_record(const cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	eic_synergy_record_options opts = EIC_SYNERGY_RECORD_OPTIONS_INIT;
	int error;

	if (!v[REC_PERIOD] || !v[REC_QUANTITY])
		return cli_usage_error(ctx, "record needs --period P and --quantity Q");
	if (cli_parse_number(&opts.quantity, ctx, "quantity", v[REC_QUANTITY]) < 0)
		return CLI_EXIT_USAGE;
	opts.period = v[REC_PERIOD];
	opts.unit = v[REC_UNIT];
	opts.note = v[REC_NOTE];
	opts.replace = v[REC_REPLACE] != NULL;
	if ((error = eic_synergy_record(store, args->args[1], args->args[2], &opts)) < 0)
		return store_error(ctx, store, error);
	return print_one(ctx, store, args->args[1], args->args[2], "Recorded for");
}

static int run_list(const cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	const char *cluster = args->args[1];
	eic_synergy_set *set = NULL;
	eic_synergy_status filter = EIC_SYNERGY_IDEA;
	int status = CLI_EXIT_OK, error;

	if (v[LIST_STATUS] && eic_synergy_status_parse(&filter, v[LIST_STATUS]) < 0)
		return cli_usage_error(ctx,
		                       "--status: '%s' is not a status (idea, under_study, agreed, "
		                       "operating, stopped)",
		                       v[LIST_STATUS]);
	if ((error = eic_synergy_list(&set, store, cluster, v[LIST_STATUS] ? (int)filter : -1)) < 0)
		return store_error(ctx, store, error);
	size_t n = eic_synergy_set_count(set);
	if (ctx->json) {
		json_t *root = json_object(), *list = json_array();
		int failed = !root || !list;
		for (size_t i = 0; i < n && !failed; i++)
			failed |= json_array_append_new(
			              list, synergy_json(eic_synergy_set_at(set, i))) != 0;
		failed |= cli_jset(root, "cluster", cli_jstr(cluster));
		failed |= cli_jset(root, "status_filter", cli_jstr(v[LIST_STATUS]));
		failed |= cli_jset(root, "synergies", list);
		if (failed) {
			json_decref(root);
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
		} else {
			status = cli_print_json(root);
		}
		goto done;
	}
	if (!n) {
		printf("No synergy%s%s tracked for %s (start with 'eic synergy add %s "
		       "--from-match N').\n",
		       v[LIST_STATUS] ? " with status " : "", v[LIST_STATUS] ? v[LIST_STATUS] : "",
		       cluster, cluster);
		goto done;
	}
	static const char *headers[] = {"id", "status",   "since",    "from",
	                                "to", "material", "expected", "realised"};
	static const int right[] = {0, 0, 0, 0, 0, 0, 1, 1};
	cli_table t;
	cli_table_init(&t, 8, headers, right);
	for (size_t i = 0; i < n; i++) {
		const eic_synergy *sy = eic_synergy_set_at(set, i);
		char q[64], expected[96], realised[64];
		cli_fmt_num(q, sizeof(q), sy->quantity);
		snprintf(expected, sizeof(expected), "%s %s", q, sy->unit ? sy->unit : "");
		snprintf(realised, sizeof(realised), "%zu period%s", sy->realised_count,
		         sy->realised_count == 1 ? "" : "s");
		const char *row[] = {sy->id,          eic_synergy_status_name(sy->status),
		                     sy->status_date, sy->from_actor,
		                     sy->to_actor,    sy->material,
		                     expected,        realised};
		cli_table_add(&t, row);
	}
	if (t.failed) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		status = CLI_EXIT_INTERNAL;
	} else {
		printf("Synergies tracked for %s: %zu\n\n", cluster, n);
		cli_table_print(stdout, &t, 2);
	}
	cli_table_free(&t);
done:
	eic_synergy_set_free(set);
	return status;
}

static int run_delete(const cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	int error = eic_synergy_delete(store, args->args[1], args->args[2]);
	if (error < 0)
		return store_error(ctx, store, error);
	if (ctx->json) {
		json_t *o = json_pack("{s:s,s:s,s:b}", "cluster", args->args[1], "id",
		                      args->args[2], "deleted", 1);
		return o ? cli_print_json(o) : CLI_EXIT_INTERNAL;
	}
	printf("Deleted synergy %s of %s with its history.\n", args->args[2], args->args[1]);
	return CLI_EXIT_OK;
}

int cli_cmd_synergy(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_store *store = NULL;
	const cli_command *parent;
	int status, sub;

	if (cli_parse_subcommand(&args, &sub, &status, &parent, ctx, argc, argv, subcommands,
	                         subcommand_names, SUB__N))
		return status;
	if ((status = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	switch (sub) {
	case SUB_ADD:
		status = run_add(ctx, store, &args);
		break;
	case SUB_STATUS:
		status = run_status(ctx, store, &args);
		break;
	case SUB_RECORD:
		status = run_record(ctx, store, &args);
		break;
	case SUB_LIST:
		status = run_list(ctx, store, &args);
		break;
	case SUB_SHOW:
		status = print_one(ctx, store, args.args[1], args.args[2], NULL);
		break;
	default:
		status = run_delete(ctx, store, &args);
		break;
	}
done:
	eic_store_close(store);
	ctx->cmd = parent;
	return status;
}
