/* cmd_export.c: `eic export CLUSTER (--out DIR | --json FILE|-)`: write a stored cluster (or a
 * package, to convert between the folder and JSON forms) as a package. */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>

enum { OPT_OUT, OPT_JSON };

const cli_option cli_export_options[] = {
    {"out", 'o', "DIR", "write a package folder (created if absent; tables overwritten)"},
    {"json", 0, "FILE", "write one JSON document to FILE ('-' for standard output)"},
    {NULL, 0, NULL, NULL},
};

int cli_cmd_export(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	const char *out_dir, *json_file;
	int status, error;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	out_dir = args.value[OPT_OUT];
	json_file = args.value[OPT_JSON];
	if (!out_dir == !json_file)
		return cli_usage_error(ctx, "give exactly one of --out DIR and --json FILE");
	if ((status = cli_load_cluster(&cluster, ctx, args.args[0])) != 0)
		return status;
	if (out_dir) {
		if (cli_mkdirs(out_dir) != 0) {
			cli_error(ctx, "cannot create %s: %s", out_dir, strerror(errno));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		error = eic_package_write_dir(cluster, out_dir);
	} else {
		if (strcmp(json_file, "-") != 0 && cli_mkdirs_for_file(json_file) != 0) {
			cli_error(ctx, "cannot create the folder of %s: %s", json_file,
			          strerror(errno));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		if (!strcmp(json_file, "-") && fflush(stdout) != 0) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		error = eic_package_write_json(cluster, json_file);
	}
	if (error < 0) {
		cli_error(ctx, "cannot write %s: %s", out_dir ? out_dir : json_file,
		          eic_strerror(error));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (out_dir || strcmp(json_file, "-") != 0)
		printf("exported %s to %s\n", eic_cluster_info_get(cluster)->id,
		       out_dir ? out_dir : json_file);
done:
	eic_cluster_free(cluster);
	return status;
}
