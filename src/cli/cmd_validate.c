/* cmd_validate.c: `eic validate PKG...`: read packages without storing them and print every
 * diagnostic (stdout), a summary, or the same as JSON. Exit 1 when errors were found. */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_STRICT };

const cli_option cli_validate_options[] = {
    {"strict", 0, NULL, "count warnings as errors (exit 1 when there are warnings)"},
    {NULL, 0, NULL, NULL},
};

/*
 * All packages share one diagnostics list so that the JSON answer has one shape whatever the
 * number of packages; the human output prints each package's diagnostics and a summary line
 * right after reading it.
 */
int cli_cmd_validate(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_read_options opts = EIC_READ_OPTIONS_INIT;
	json_t *root = NULL, *list = NULL;
	size_t errors = 0, warnings = 0;
	int truncated = 0, unreadable = 0;
	int status, error, strict;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	strict = args.value[OPT_STRICT] != NULL;
	if (ctx->json) {
		root = json_object();
		list = json_array();
		if (!root || !list) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	for (int i = 0; i < args.arg_count; i++) {
		const char *path = args.args[i];
		eic_diags *diags = NULL;
		struct stat st;
		char e[64], w[64];

		if (stat(path, &st) != 0) {
			cli_error(ctx, "%s: %s", path, strerror(errno));
			unreadable = 1;
			status = cli_worse(status, CLI_EXIT_USAGE);
			continue;
		}
		if ((error = eic_diags_new(&diags, 1000)) < 0) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		cli_progress(ctx, "reading %s", path);
		error = eic_package_read(NULL, diags, path, &opts);
		errors += eic_diags_errors(diags);
		warnings += eic_diags_warnings(diags);
		truncated |= eic_diags_truncated(diags);
		if (list) {
			if (cli_diags_to_json(list, diags) < 0) {
				eic_diags_free(diags);
				status = CLI_EXIT_INTERNAL;
				goto done;
			}
		} else {
			cli_print_diags(stdout, diags);
			printf("%s%s%s, %s%s\n", args.arg_count > 1 ? path : "",
			       args.arg_count > 1 ? ": " : "",
			       cli_plural(e, sizeof(e), eic_diags_errors(diags), "error"),
			       cli_plural(w, sizeof(w), eic_diags_warnings(diags), "warning"),
			       eic_diags_truncated(diags)
			           ? " (only the first 1000 errors are listed)"
			           : "");
		}
		if (error < 0 && error != EIC_EINVALID && eic_diags_errors(diags) == 0) {
			/* could not be read at all and nothing said why */
			cli_error(ctx, "%s: cannot read package: %s", path, eic_strerror(error));
			unreadable = 1;
			status = cli_worse(status, cli_status_of(error));
		}
		eic_diags_free(diags);
	}
	if (errors > 0 || (strict && warnings > 0))
		status = cli_worse(status, CLI_EXIT_FOUND);
	if (root) {
		int fail = 0;
		fail |=
		    cli_jset(root, "valid",
		             json_boolean(errors == 0 && !unreadable && !(strict && warnings > 0)));
		fail |= cli_jset(root, "errors", json_integer((json_int_t)errors));
		fail |= cli_jset(root, "warnings", json_integer((json_int_t)warnings));
		fail |= cli_jset(root, "truncated", json_boolean(truncated));
		fail |= cli_jset(root, "diagnostics", list);
		list = NULL;
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
	return status;
}
