/* cmd_demo.c: `eic demo`: import every example cluster shipped in data/examples into a fresh
 * database, write each one's HTML report, and print a table of what was written. */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_OUT };

const cli_option cli_demo_options[] = {
    {"out", 'o', "DIR", "folder for the database and the reports (default out)"},
    {NULL, 0, NULL, NULL},
};

/* Join two path parts into a malloc'd string. NULL on ENOMEM. */
static char *path_join(const char *a, const char *b)
{
	size_t size = strlen(a) + strlen(b) + 2;
	char *p = malloc(size);
	if (p)
		snprintf(p, size, "%s/%s", a, b);
	return p;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The example folders under `examples_dir` (those holding a cluster.json), sorted by name.
 * *out is a malloc'd array of malloc'd paths. Returns 0, or -1 with errno set.
 */
static int find_examples(char ***out, size_t *out_count, const char *examples_dir)
{
	DIR *dir = opendir(examples_dir);
	char **list = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	int rc = 0;

	*out = NULL;
	*out_count = 0;
	if (!dir)
		return -1;
	while ((e = readdir(dir)) != NULL) {
		struct stat st;
		char *folder, *json;
		if (e->d_name[0] == '.')
			continue;
		folder = path_join(examples_dir, e->d_name);
		json = folder ? path_join(folder, "cluster.json") : NULL;
		if (!json) {
			free(folder);
			errno = ENOMEM;
			rc = -1;
			break;
		}
		if (stat(json, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(folder);
			free(json);
			continue;
		}
		free(json);
		if (count == cap) {
			size_t new_cap = cap ? cap * 2 : 8;
			char **grown = realloc(list, new_cap * sizeof(*grown));
			if (!grown) {
				free(folder);
				errno = ENOMEM;
				rc = -1;
				break;
			}
			list = grown;
			cap = new_cap;
		}
		list[count++] = folder;
	}
	closedir(dir);
	if (rc < 0) {
		for (size_t i = 0; i < count; i++)
			free(list[i]);
		free(list);
		return rc;
	}
	if (count > 1)
		qsort(list, count, sizeof(*list), compare_names);
	*out = list;
	*out_count = count;
	return 0;
}

/* Remove a database and its WAL side files so the demo starts from nothing. */
static int remove_db(const char *db)
{
	static const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = malloc(strlen(db) + strlen(suffixes[i]) + 1);
		int rc;
		if (!p) {
			errno = ENOMEM;
			return -1;
		}
		strcpy(p, db);
		strcat(p, suffixes[i]);
		rc = unlink(p);
		free(p);
		if (rc != 0 && errno != ENOENT)
			return -1;
	}
	return 0;
}

/* Read a whole file into a NUL-terminated buffer (free with free). NULL on failure. */
static char *read_all(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL) {
		*size = fread(data, 1, (size_t)n, fp);
		data[*size] = '\0';
		if (*size != (size_t)n) {
			free(data);
			data = NULL;
		}
	}
	fclose(fp);
	return data;
}

/* Store the example's measurement records (`measurements.csv` in its folder, when it has
 * one) beside the cluster, so the report's performance sections have data. Returns an exit
 * status; an example without the file is fine. */
static int import_measurements(cli_ctx *ctx, eic_store *store, const eic_cluster *cluster,
                               const char *folder)
{
	const char *id = eic_cluster_info_get(cluster)->id;
	char *path = path_join(folder, "measurements.csv"), *data = NULL;
	eic_measure_set *set = NULL;
	eic_diags *diags = NULL;
	size_t size = 0;
	int status = 0, error;
	struct stat st;

	if (!path) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		return CLI_EXIT_INTERNAL;
	}
	if (stat(path, &st) != 0)
		goto done;
	if (!(data = read_all(path, &size))) {
		cli_error(ctx, "cannot read %s: %s", path, strerror(errno));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = eic_measure_set_new(&set, NULL)) < 0 ||
	    (error = eic_diags_new(&diags, 1000)) < 0) {
		cli_error(ctx, "%s: %s", path, eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	cli_progress(ctx, "demo: importing %s", path);
	error = eic_measure_read_csv(set, diags, path, data, size, cluster);
	cli_print_diags(stderr, diags);
	if (error < 0) {
		cli_error(ctx, "%s: the measurement records are invalid; none stored", path);
		status = cli_status_of(error);
		goto done;
	}
	if ((error = eic_measure_save(store, id, set, 0, path)) < 0) {
		cli_error(ctx, "%s: cannot store the measurement records: %s", path,
		          eic_store_errmsg(store));
		status = cli_status_of(error);
	}
done:
	eic_diags_free(diags);
	eic_measure_set_free(set);
	free(data);
	free(path);
	return status;
}

/* Import one example and write its report; adds a table row. Returns an exit status. */
static int run_example(cli_ctx *ctx, eic_store *store, const char *folder, const char *out_dir,
                       cli_table *table)
{
	eic_cluster *cluster = NULL;
	eic_report_options opts = EIC_REPORT_OPTIONS_INIT;
	char *report_dir = NULL, *report = NULL;
	int status, error;

	cli_progress(ctx, "demo: importing %s", folder);
	if ((status = cli_read_package(&cluster, ctx, folder, 0, NULL, NULL)) != 0)
		goto done;
	const char *id = eic_cluster_info_get(cluster)->id;
	if ((error = eic_store_import(store, cluster, 0)) < 0) {
		cli_error(ctx, "%s: cannot store cluster '%s': %s: %s", folder, id,
		          eic_strerror(error), eic_store_errmsg(store));
		status = cli_status_of(error);
		goto done;
	}
	if ((status = import_measurements(ctx, store, cluster, folder)) != 0)
		goto done;
	report_dir = path_join(out_dir, id);
	report = report_dir ? path_join(report_dir, "report.html") : NULL;
	if (!report) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (cli_mkdirs(report_dir) != 0) {
		cli_error(ctx, "cannot create %s: %s", report_dir, strerror(errno));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	opts.store = store;
	cli_progress(ctx, "demo: writing %s", report);
	if ((error = eic_report_write(cluster, report, &opts)) < 0) {
		cli_error(ctx, "%s: cannot write %s: %s", id, report, eic_strerror(error));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	{
		char actors[32], flows[32];
		const char *row[4];
		snprintf(actors, sizeof(actors), "%zu", eic_cluster_actor_count(cluster));
		snprintf(flows, sizeof(flows), "%zu", eic_cluster_flow_count(cluster));
		row[0] = id;
		row[1] = actors;
		row[2] = flows;
		row[3] = report;
		if (cli_table_add(table, row) < 0) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
done:
	free(report);
	free(report_dir);
	eic_cluster_free(cluster);
	return status;
}

int cli_cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
	static const char *headers[] = {"CLUSTER", "ACTORS", "FLOWS", "REPORT"};
	static const int right[] = {0, 1, 1, 0};
	cli_args args;
	cli_table table;
	eic_store *store = NULL;
	char **examples = NULL, **worked = NULL;
	size_t example_count = 0, worked_count = 0, failed = 0;
	char *examples_dir = NULL, *worked_dir = NULL, *db = NULL;
	const char *out_dir;
	int status;

	cli_table_init(&table, 4, headers, right);
	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	out_dir = args.value[OPT_OUT] ? args.value[OPT_OUT] : "out";
	examples_dir = path_join(eic_data_dir(), "examples");
	worked_dir = path_join(eic_data_dir(), "worked");
	db = ctx->db_given ? strdup(ctx->db) : path_join(out_dir, "eic.db");
	if (!examples_dir || !worked_dir || !db) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (find_examples(&examples, &example_count, examples_dir) != 0) {
		cli_error(ctx,
		          "cannot read the examples folder %s: %s (set EIC_DATA_DIR to the "
		          "data folder)",
		          examples_dir, strerror(errno));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	/* The manual's worked examples that are packages (data/worked/README.md) get a report
	 * too: their impact section is the worked comparison. A missing folder is no error. */
	if (find_examples(&worked, &worked_count, worked_dir) != 0)
		worked_count = 0;
	if (example_count == 0) {
		cli_error(ctx, "no example clusters (folders with cluster.json) in %s",
		          examples_dir);
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (cli_mkdirs(out_dir) != 0 || cli_mkdirs_for_file(db) != 0) {
		cli_error(ctx, "cannot create %s: %s", out_dir, strerror(errno));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (remove_db(db) != 0) {
		cli_error(ctx, "cannot remove the old database %s: %s", db, strerror(errno));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	ctx->db = db;
	if ((status = cli_open_store(&store, ctx, 1)) != 0)
		goto done;
	cli_info(ctx, "demo: %zu example %s from %s into a fresh database %s", example_count,
	         example_count == 1 ? "cluster" : "clusters", examples_dir, db);
	for (size_t i = 0; i < example_count + worked_count; i++) {
		const char *folder = i < example_count ? examples[i] : worked[i - example_count];
		int s = run_example(ctx, store, folder, out_dir, &table);
		if (s != CLI_EXIT_OK) {
			cli_error(ctx, "example %s failed; going on with the others", folder);
			failed++;
			status = cli_worse(status, s);
		}
	}
	if (table.row_count > 0) {
		printf("Written (database %s):\n", db);
		cli_table_print(stdout, &table, 2);
		printf("\nOpen a report in a web browser, for example:\n  xdg-open %s\n",
		       table.cells[3]);
	}
	if (failed)
		cli_error(ctx, "%zu of %zu examples failed (see the messages above)", failed,
		          example_count + worked_count);
done:
	ctx->db = CLI_DEFAULT_DB;
	eic_store_close(store);
	for (size_t i = 0; i < example_count; i++)
		free(examples[i]);
	free(examples);
	for (size_t i = 0; i < worked_count; i++)
		free(worked[i]);
	free(worked);
	free(examples_dir);
	free(worked_dir);
	free(db);
	cli_table_free(&table);
	return status;
}
