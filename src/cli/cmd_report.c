/* cmd_report.c: `eic report (CLUSTER|PKG) [--out FILE]`: write the self-contained HTML report
 * of a cluster (default out/<cluster-id>/report.html) and print where it is. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_OUT, OPT_DETERMINISTIC };

const cli_option cli_report_options[] = {
    {"out", 'o', "FILE", "where to write the report (default out/<cluster-id>/report.html)"},
    {"deterministic", 0, NULL, "leave the generation time out (byte-identical reruns)"},
    {NULL, 0, NULL, NULL},
};

int cli_cmd_report(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_store *store = NULL;
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	char *path = NULL;
	int status, error;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if ((status = cli_load_cluster(&cluster, ctx, args.args[0])) != 0)
		return status;
	if (args.value[OPT_OUT]) {
		path = strdup(args.value[OPT_OUT]);
	} else {
		const char *id = eic_cluster_info_get(cluster)->id;
		size_t size = strlen(id) + sizeof("out//report.html");
		path = malloc(size);
		if (path)
			snprintf(path, size, "out/%s/report.html", id);
	}
	if (!path) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (cli_mkdirs_for_file(path) != 0) {
		cli_error(ctx, "cannot create the folder of %s: %s", path, strerror(errno));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	opts.deterministic = args.value[OPT_DETERMINISTIC] != NULL;
	/* Sections that read records kept beside the cluster (tracked synergies, measurements)
	 * get the store when the cluster came from one. */
	if (!cli_is_package_path(args.args[0]) && (status = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	opts.store = store;
	cli_progress(ctx, "writing %s", path);
	if ((error = eic_report_write(cluster, path, &opts)) < 0) {
		cli_error(ctx, "cannot write %s: %s", path, eic_strerror(error));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	printf("%s\n", path);
done:
	free(path);
	eic_store_close(store);
	eic_cluster_free(cluster);
	return status;
}
