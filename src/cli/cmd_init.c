/* cmd_init.c: `eic init`: create the database (or migrate an older one) and say where it is
 * and which schema version it has. */
#include "cli/cli.h"

const cli_option cli_init_options[] = {
    {NULL, 0, NULL, NULL},
};

int cli_cmd_init(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_store *store = NULL;
	int status, error, version = 0;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if ((status = cli_open_store(&store, ctx, 1)) != 0)
		return status;
	if ((error = eic_store_schema_version(&version, store)) < 0) {
		cli_error(ctx, "%s: cannot read the schema version: %s: %s", ctx->db,
		          eic_strerror(error), eic_store_errmsg(store));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (ctx->json) {
		json_t *root = json_object();
		int fail = !root;
		if (root) {
			fail |= cli_jset(root, "db", json_string(ctx->db));
			fail |= cli_jset(root, "schema_version", json_integer(version));
		}
		if (fail) {
			json_decref(root);
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		status = cli_print_json(root);
		goto done;
	}
	printf("%s: eic database, schema version %d\n", ctx->db, version);
done:
	eic_store_close(store);
	return status;
}
