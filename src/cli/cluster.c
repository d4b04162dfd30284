/* cluster.c: how commands get at their data: open the database, read a package with its
 * diagnostics, load a cluster named by id or by package path, create output folders. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_open_store(eic_store **out, const cli_ctx *ctx, int create)
{
	eic_store_options opts = EIC_STORE_OPTIONS_INIT;
	eic_store *store = NULL;
	struct stat st;
	int error;

	*out = NULL;
	if (!create && stat(ctx->db, &st) != 0) {
		cli_error(ctx,
		          "no database at %s (create one with 'eic init' or 'eic import', or "
		          "give --db PATH)",
		          ctx->db);
		return CLI_EXIT_USAGE;
	}
	if (!create && S_ISDIR(st.st_mode)) {
		cli_error(ctx, "%s is a directory, not a database", ctx->db);
		return CLI_EXIT_USAGE;
	}
	opts.create = create;
	error = eic_store_open(&store, ctx->db, &opts);
	if (error < 0) {
		const char *msg = store ? eic_store_errmsg(store) : "";
		if (error == EIC_ESCHEMA)
			cli_error(ctx, "%s was written by a newer eic (schema newer than %d)",
			          ctx->db, EIC_STORE_SCHEMA_VERSION);
		else
			cli_error(ctx, "cannot open database %s: %s%s%s", ctx->db,
			          eic_strerror(error), msg && *msg ? ": " : "", msg ? msg : "");
		eic_store_close(store);
		return CLI_EXIT_INTERNAL;
	}
	*out = store;
	return CLI_EXIT_OK;
}

/* An argument names a package (not a stored cluster id) when it is a .json file, a path
 * with a '/', or a folder holding cluster.json: so a stray folder in the working directory
 * that happens to share a cluster's id ("bench", "out") does not hide the stored cluster. */
int cli_is_package_path(const char *arg)
{
	struct stat st;
	size_t len = strlen(arg);
	if (len > 5 && !strcmp(arg + len - 5, ".json"))
		return 1;
	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	if (strchr(arg, '/'))
		return 1;
	char path[4096];
	snprintf(path, sizeof(path), "%s/cluster.json", arg);
	return stat(path, &st) == 0;
}

int cli_read_package(eic_cluster **out, const cli_ctx *ctx, const char *path, int strict,
                     size_t *errors, size_t *warnings)
{
	eic_read_options opts = EIC_READ_OPTIONS_INIT;
	eic_diags *diags = NULL;
	eic_cluster *cluster = NULL;
	struct stat st;
	int status = CLI_EXIT_OK;
	int error;

	if (out)
		*out = NULL;
	if (stat(path, &st) != 0) {
		cli_error(ctx, "%s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	if ((error = eic_diags_new(&diags, 1000)) < 0) {
		cli_error(ctx, "%s", eic_strerror(error));
		return CLI_EXIT_INTERNAL;
	}
	cli_progress(ctx, "reading %s", path);
	error = eic_package_read(&cluster, diags, path, &opts);
	fflush(stdout);
	cli_print_diags(stderr, diags);
	if (errors)
		*errors += eic_diags_errors(diags);
	if (warnings)
		*warnings += eic_diags_warnings(diags);
	if (error == EIC_EINVALID || (error == 0 && eic_diags_errors(diags) > 0)) {
		char e[64], w[64];
		cli_error(ctx, "%s: invalid package (%s, %s)%s", path,
		          cli_plural(e, sizeof(e), eic_diags_errors(diags), "error"),
		          cli_plural(w, sizeof(w), eic_diags_warnings(diags), "warning"),
		          eic_diags_truncated(diags) ? "; only the first 1000 errors are listed"
		                                     : "");
		status = CLI_EXIT_USAGE;
		goto done;
	}
	if (error < 0) {
		cli_error(ctx, "%s: cannot read package: %s", path, eic_strerror(error));
		status = error == EIC_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
		goto done;
	}
	if (strict && eic_diags_warnings(diags) > 0) {
		char w[64];
		cli_error(ctx, "%s: %s (--strict treats warnings as errors)", path,
		          cli_plural(w, sizeof(w), eic_diags_warnings(diags), "warning"));
		status = CLI_EXIT_USAGE;
		goto done;
	}
	if (out) {
		*out = cluster;
		cluster = NULL;
	}
done:
	eic_cluster_free(cluster);
	eic_diags_free(diags);
	return status;
}

int cli_load_cluster(eic_cluster **out, const cli_ctx *ctx, const char *arg)
{
	eic_store *store = NULL;
	int status, error;

	*out = NULL;
	if (cli_is_package_path(arg))
		return cli_read_package(out, ctx, arg, 0, NULL, NULL);
	if ((status = cli_open_store(&store, ctx, 0)) != 0)
		return status;
	error = eic_store_load(out, store, arg);
	if (error == EIC_ENOTFOUND) {
		cli_error(ctx, "no cluster '%s' in %s (see 'eic list')", arg, ctx->db);
		status = CLI_EXIT_USAGE;
	} else if (error < 0) {
		cli_error(ctx, "cannot load '%s' from %s: %s: %s", arg, ctx->db,
		          eic_strerror(error), eic_store_errmsg(store));
		status = CLI_EXIT_INTERNAL;
	}
	eic_store_close(store);
	return status;
}

int cli_mkdirs(const char *path)
{
	char *copy = strdup(path);
	struct stat st;
	int rc = 0;
	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	if (!*copy) {
		free(copy);
		return 0;
	}
	for (char *p = copy + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	if (rc == 0 && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(copy);
	return rc;
}

int cli_mkdirs_for_file(const char *path)
{
	char *copy = strdup(path);
	char *slash;
	int rc = 0;
	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	slash = strrchr(copy, '/');
	if (slash && slash != copy) {
		*slash = '\0';
		rc = cli_mkdirs(copy);
	}
	free(copy);
	return rc;
}
