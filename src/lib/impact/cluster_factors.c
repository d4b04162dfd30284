/* cluster_factors.c: the factor set of one cluster: the shipped tables with the package's own
 * factors.csv (docs/format.md) loaded over them, row by row. */
#include <eic/impact.h>

#include "impact_private.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/*
 * `<dir>/factors.csv` for a folder package; for a single-file package `<folder>/<name>.json`
 * the table is `<folder>/<name>.factors.csv`, beside it. A path that does not exist is taken
 * as a folder.
 */
int eic_factors_cluster_path(char *buf, size_t size, const char *package_dir)
{
	struct stat st;
	int n;
	if (!buf || !size || eic_str_empty(package_dir))
		return EIC_EINVAL;
	size_t len = strlen(package_dir);
	int is_file = stat(package_dir, &st) == 0 && !S_ISDIR(st.st_mode);
	if (is_file && len > 5 && strcmp(package_dir + len - 5, ".json") == 0)
		n = snprintf(buf, size, "%.*s.%s", (int)(len - 5), package_dir,
		             EIC_CLUSTER_FACTORS_FILE);
	else if (is_file)
		n = snprintf(buf, size, "%s.%s", package_dir, EIC_CLUSTER_FACTORS_FILE);
	else
		n = snprintf(buf, size, "%s%s%s", package_dir,
		             package_dir[len - 1] == '/' ? "" : "/", EIC_CLUSTER_FACTORS_FILE);
	return n < 0 || (size_t)n >= size ? EIC_EINVAL : 0;
}

/* Defaults, then the cluster's table when there is one. The set may hold the defaults after
 * a failure in the cluster's table (that table itself is all or nothing). */
int eic_factors_load_for_cluster(eic_factors *factors, const char *package_dir, eic_diags *diags)
{
	char path[4096];
	struct stat st;
	if (!factors)
		return EIC_EINVAL;
	int rc = eic_factors_load_dir(factors, NULL, diags);
	if (rc < 0 || !package_dir)
		return rc;
	if ((rc = eic_factors_cluster_path(path, sizeof(path), package_dir)) < 0)
		return rc;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
		              "cannot read the cluster's factor table: %s", strerror(errno));
		return EIC_EIO;
	}
	return eic_factors_load_file(factors, path, diags);
}
