/* cmd_import.c: `eic import PKG...`: read and validate every package first, then store each
 * valid one in its own transaction. An invalid package leaves the database untouched. */
#include "cli/cli.h"

#include <stdlib.h>

enum { OPT_REPLACE, OPT_STRICT };

const cli_option cli_import_options[] = {
    {"replace", 0, NULL, "replace a stored cluster with the same id"},
    {"strict", 0, NULL, "treat warnings as errors: a package with warnings is not stored"},
    {NULL, 0, NULL, NULL},
};

/* One line of the JSON answer about a stored cluster. */
static json_t *imported_json(const eic_cluster *c, const char *path)
{
	json_t *o = json_object();
	int fail = !o;
	if (!o)
		return NULL;
	fail |= cli_jset(o, "cluster", json_string(eic_cluster_info_get(c)->id));
	fail |= cli_jset(o, "package", json_string(path));
	fail |= cli_jset(o, "actors", json_integer((json_int_t)eic_cluster_actor_count(c)));
	fail |= cli_jset(o, "processes", json_integer((json_int_t)eic_cluster_process_count(c)));
	fail |= cli_jset(o, "flows", json_integer((json_int_t)eic_cluster_flow_count(c)));
	fail |= cli_jset(o, "periods", json_integer((json_int_t)eic_cluster_period_count(c)));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * Two passes so that a bad package in the list stores nothing: first read and validate all
 * packages (diagnostics on stderr), then, only if all are valid, open the database (created
 * if missing) and import each cluster in its own transaction.
 */
int cli_cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster **clusters = NULL;
	eic_store *store = NULL;
	json_t *root = NULL, *list = NULL;
	size_t errors = 0, warnings = 0;
	int status, strict, replace;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	replace = args.value[OPT_REPLACE] != NULL;
	strict = args.value[OPT_STRICT] != NULL;

	clusters = calloc((size_t)args.arg_count, sizeof(*clusters));
	if (!clusters) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		return CLI_EXIT_INTERNAL;
	}
	for (int i = 0; i < args.arg_count; i++) {
		int s =
		    cli_read_package(&clusters[i], ctx, args.args[i], strict, &errors, &warnings);
		status = cli_worse(status, s);
	}
	if (status != CLI_EXIT_OK) {
		cli_error(ctx, "nothing imported; %s is unchanged", ctx->db);
		goto done;
	}
	if ((status = cli_open_store(&store, ctx, 1)) != 0)
		goto done;
	if (ctx->json) {
		root = json_object();
		list = json_array();
		if (!root || !list || cli_jset(root, "db", json_string(ctx->db)) < 0) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	for (int i = 0; i < args.arg_count; i++) {
		const eic_cluster *c = clusters[i];
		const char *id = eic_cluster_info_get(c)->id;
		int error;

		cli_progress(ctx, "storing %s", id);
		error = eic_store_import(store, c, replace);
		if (error == EIC_EEXISTS) {
			cli_error(ctx,
			          "%s: cluster '%s' is already in %s (use --replace to replace it)",
			          args.args[i], id, ctx->db);
			status = cli_worse(status, CLI_EXIT_USAGE);
			continue;
		}
		if (error < 0) {
			cli_error(ctx, "%s: cannot store cluster '%s': %s: %s", args.args[i], id,
			          eic_strerror(error), eic_store_errmsg(store));
			status = cli_worse(status, cli_status_of(error));
			continue;
		}
		if (list) {
			json_t *o = imported_json(c, args.args[i]);
			if (!o || json_array_append_new(list, o) != 0) {
				status = CLI_EXIT_INTERNAL;
				goto done;
			}
		} else {
			char a[64], p[64], f[64];
			printf("imported %s into %s (%s, %s, %s)\n", id, ctx->db,
			       cli_plural(a, sizeof(a), eic_cluster_actor_count(c), "actor"),
			       cli_plural(p, sizeof(p), eic_cluster_process_count(c), "process"),
			       cli_plural(f, sizeof(f), eic_cluster_flow_count(c), "flow"));
		}
	}
	if (root) {
		int fail = cli_jset(root, "imported", list);
		list = NULL;
		fail |= cli_jset(root, "errors", json_integer((json_int_t)errors));
		fail |= cli_jset(root, "warnings", json_integer((json_int_t)warnings));
		if (fail) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		status = cli_worse(status, cli_print_json(root));
		root = NULL;
	}
done:
	json_decref(list);
	json_decref(root);
	eic_store_close(store);
	for (int i = 0; clusters && i < args.arg_count; i++)
		eic_cluster_free(clusters[i]);
	free(clusters);
	return status;
}
