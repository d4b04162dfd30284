/* cmd_list.c: `eic list`: the clusters stored in the database, as an aligned table or JSON. */
#include "cli/cli.h"

const cli_option cli_list_options[] = {
    {NULL, 0, NULL, NULL},
};

static int list_json(const eic_store_summary *rows, size_t count)
{
	json_t *root = json_object();
	json_t *list = json_array();
	int fail = !root || !list;
	for (size_t i = 0; !fail && i < count; i++) {
		const eic_store_summary *s = &rows[i];
		json_t *o = json_object();
		if (!o) {
			fail = 1;
			break;
		}
		fail |= cli_jset(o, "id", cli_jstr(s->id));
		fail |= cli_jset(o, "name", cli_jstr(s->name));
		fail |= cli_jset(o, "country", cli_jstr(s->country));
		fail |= cli_jset(o, "actors", json_integer((json_int_t)s->actor_count));
		fail |= cli_jset(o, "flows", json_integer((json_int_t)s->flow_count));
		fail |= cli_jset(o, "periods", json_integer((json_int_t)s->period_count));
		fail |= cli_jset(o, "imported_at", cli_jstr(s->imported_at));
		if (json_array_append_new(list, o) != 0)
			fail = 1;
	}
	if (!fail) {
		fail |= cli_jset(root, "clusters", list);
		list = NULL;
	}
	json_decref(list);
	if (fail) {
		json_decref(root);
		return CLI_EXIT_INTERNAL;
	}
	return cli_print_json(root);
}

int cli_cmd_list(cli_ctx *ctx, int argc, char **argv)
{
	static const char *headers[] = {"ID",    "NAME",    "COUNTRY", "ACTORS",
	                                "FLOWS", "PERIODS", "IMPORTED"};
	static const int right[] = {0, 0, 0, 1, 1, 1, 0};
	cli_args args;
	cli_table table;
	eic_store *store = NULL;
	const eic_store_summary *rows = NULL;
	size_t count = 0;
	int status, error;

	cli_table_init(&table, 7, headers, right);
	table.max_width = 48;
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if ((status = cli_open_store(&store, ctx, 0)) != 0)
		return status;
	if ((error = eic_store_list(&rows, &count, store)) < 0) {
		cli_error(ctx, "cannot list %s: %s: %s", ctx->db, eic_strerror(error),
		          eic_store_errmsg(store));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (ctx->json) {
		status = list_json(rows, count);
		goto done;
	}
	for (size_t i = 0; i < count; i++) {
		char actors[32], flows[32], periods[32];
		const char *row[7];
		snprintf(actors, sizeof(actors), "%zu", rows[i].actor_count);
		snprintf(flows, sizeof(flows), "%zu", rows[i].flow_count);
		snprintf(periods, sizeof(periods), "%zu", rows[i].period_count);
		row[0] = rows[i].id;
		row[1] = rows[i].name;
		row[2] = rows[i].country;
		row[3] = actors;
		row[4] = flows;
		row[5] = periods;
		row[6] = rows[i].imported_at;
		if (cli_table_add(&table, row) < 0) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	cli_table_print(stdout, &table, 0);
	if (count == 0)
		cli_info(ctx, "no clusters in %s (add one with 'eic import PKG')", ctx->db);
done:
	cli_table_free(&table);
	eic_store_close(store);
	return status;
}
