/* cmd_measure.c: `eic measure`: import measurement records (CSV or a registry), list them
 * with their history, and correct one by a superseding record. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eic/measure.h"

const cli_option cli_measure_options[] = {
    {NULL, 0, NULL, NULL},
};

enum { IM_REGISTRY = 0, IM_AREA, IM_COUNTY, IM_FACILITY, IM_YEARS, IM_CREATE, IM_NAME };
static const cli_option import_options[] = {
    {"registry", 0, "NAME", "import a registry folder: finland-prtr or us-tri"},
    {"area", 0, "PLACE", "registry facilities of this municipality (Finland) or city (TRI)"},
    {"county", 0, "COUNTY", "US TRI: facilities of this county"},
    {"facility", 0, "ID[,ID...]", "registry facility ids to import"},
    {"years", 0, "Y|Y1-Y2", "registry reporting years to import"},
    {"create-cluster", 0, "ID", "create the cluster (or add missing actors) from the registry"},
    {"name", 0, "TEXT", "name of a cluster created with --create-cluster"},
    {NULL, 0, NULL, NULL},
};

enum { LS_ACTOR = 0, LS_KIND, LS_SUBJECT, LS_PERIOD, LS_HISTORY };
static const cli_option list_options[] = {
    {"actor", 0, "ACTOR", "only this actor"},
    {"kind", 0, "KIND", "only this kind (emission, waste, energy, ...)"},
    {"subject", 0, "TEXT", "only this subject (pollutant code, carrier, EWC code ...)"},
    {"period", 0, "P", "only records overlapping this period (YYYY, YYYY-MM, START/END)"},
    {"history", 0, NULL, "include superseded records"},
    {NULL, 0, NULL, NULL},
};

enum { CO_VALUE = 0, CO_UNIT, CO_NOTE, CO_BY, CO_METHOD, CO_VERIFIED_BY };
static const cli_option correct_options[] = {
    {"value", 0, "V", "the corrected value (required)"},
    {"unit", 0, "UNIT", "its unit (default: the unit of the record corrected)"},
    {"note", 0, "TEXT", "why the record is corrected"},
    {"reported-by", 0, "WHO", "who reports the correction (default: as the record corrected)"},
    {"method", 0, "M", "measured, calculated or estimated (default: as corrected)"},
    {"verified-by", 0, "WHO", "the correction was verified by WHO"},
    {NULL, 0, NULL, NULL},
};

static const cli_command subcommands[] = {
    {"measure", NULL, CLI_CMD_DB | CLI_CMD_JSON, "import measurement records",
     "import CLUSTER FILE.csv | import [CLUSTER] --registry NAME DIR [--area A] [--county C] "
     "[--facility ID,...] [--years Y1-Y2] [--create-cluster ID]",
     import_options, 2, 3},
    {"measure", NULL, CLI_CMD_DB | CLI_CMD_JSON, "list measurement records",
     "list CLUSTER [--actor A] [--kind K] [--subject S] [--period P] [--history]", list_options, 2,
     2},
    {"measure", NULL, CLI_CMD_DB | CLI_CMD_JSON, "correct a record by a superseding one",
     "correct CLUSTER RECORD-ID --value V [--unit U] [--note TEXT]", correct_options, 3, 3},
};
static const char *const subcommand_names[] = {"import", "list", "correct"};
enum { SUB_IMPORT, SUB_LIST, SUB_CORRECT, SUB__N };

static void print_diags(const cli_ctx *ctx, const eic_diags *diags)
{
	(void)ctx;
	cli_print_diags(stderr, diags);
}

/* Load the stored records of a cluster into a new set. Reports errors. */
static int load_set(eic_measure_set **out, const cli_ctx *ctx, eic_store *store,
                    const char *cluster)
{
	int error = eic_measure_set_new(out, NULL);
	if (error < 0) {
		cli_error(ctx,
		          "cannot load the pollutant catalogue (%s): set EIC_DATA_DIR to the "
		          "data folder",
		          eic_strerror(error));
		return cli_status_of(error == EIC_EIO ? EIC_ERROR : error);
	}
	if ((error = eic_measure_load(*out, store, cluster)) < 0) {
		cli_error(ctx, "%s", eic_store_errmsg(store));
		return cli_status_of(error);
	}
	return 0;
}

static int parse_years(int *first, int *last, const char *text)
{
	char *end;
	long a = strtol(text, &end, 10), b = a;
	if (end == text)
		return -1;
	if (*end == '-') {
		const char *p = end + 1;
		b = strtol(p, &end, 10);
		if (end == p)
			return -1;
	}
	if (*end != '\0' || a < 1900 || b > 2999 || b < a)
		return -1;
	*first = (int)a;
	*last = (int)b;
	return 0;
}

static int import_registry(cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	eic_registry_options o = EIC_REGISTRY_OPTIONS_INIT;
	eic_registry_summary sum;
	eic_pollutants *cat = NULL;
	eic_diags *diags = NULL;
	char *ids_copy = NULL;
	const char **ids = NULL;
	const char *cluster = NULL, *dir;
	int status = 0, error;

	if (eic_registry_parse(&o.registry, v[IM_REGISTRY]) < 0)
		return cli_usage_error(
		    ctx, "unknown registry '%s' (expected finland-prtr or us-tri)", v[IM_REGISTRY]);
	if (args->arg_count == 2) {
		cluster = args->args[1];
		dir = args->args[2];
		if (v[IM_CREATE] && strcmp(v[IM_CREATE], cluster) != 0)
			return cli_usage_error(ctx,
			                       "--create-cluster %s names another cluster than %s",
			                       v[IM_CREATE], cluster);
	} else {
		dir = args->args[1];
		cluster = v[IM_CREATE];
		if (!cluster)
			return cli_usage_error(ctx, "give the cluster: CLUSTER DIR, or "
			                            "--create-cluster ID");
	}
	o.dir = dir;
	o.area = v[IM_AREA];
	o.county = v[IM_COUNTY];
	o.create_cluster = v[IM_CREATE] != NULL;
	o.cluster_name = v[IM_NAME];
	if (v[IM_YEARS] && parse_years(&o.first_year, &o.last_year, v[IM_YEARS]) < 0)
		return cli_usage_error(ctx, "bad --years '%s' (expected YYYY or YYYY-YYYY)",
		                       v[IM_YEARS]);
	if (v[IM_FACILITY]) {
		size_t n = 1;
		for (const char *p = v[IM_FACILITY]; *p; p++)
			n += *p == ',';
		ids_copy = strdup(v[IM_FACILITY]);
		ids = calloc(n, sizeof(*ids));
		if (!ids_copy || !ids) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		n = 0;
		for (char *tok = strtok(ids_copy, ","); tok; tok = strtok(NULL, ","))
			ids[n++] = tok;
		o.facilities = ids;
		o.facility_count = n;
	}
	if ((error = eic_pollutants_load(&cat, NULL, NULL)) < 0) {
		cli_error(ctx,
		          "cannot load the pollutant catalogue (%s): set EIC_DATA_DIR to the "
		          "data folder",
		          eic_strerror(error));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (eic_diags_new(&diags, 100) < 0) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	cli_progress(ctx, "reading %s ...", dir);
	error = eic_registry_import(&sum, store, cluster, &o, cat, diags);
	print_diags(ctx, diags);
	if (error < 0) {
		cli_error(ctx, "%s; nothing stored", eic_store_errmsg(store));
		status = error == EIC_EIO ? CLI_EXIT_USAGE : cli_status_of(error);
		goto done;
	}
	if (ctx->json) {
		json_t *root = json_object();
		cli_jset(root, "cluster", cli_jstr(cluster));
		cli_jset(root, "registry", cli_jstr(eic_registry_name(o.registry)));
		cli_jset(root, "cluster_created", json_boolean(sum.cluster_created));
		cli_jset(root, "facilities", json_integer((json_int_t)sum.facilities));
		cli_jset(root, "actors_added", json_integer((json_int_t)sum.actors_added));
		cli_jset(root, "rows_read", json_integer((json_int_t)sum.rows_read));
		cli_jset(root, "added", json_integer((json_int_t)sum.added));
		cli_jset(root, "corrected", json_integer((json_int_t)sum.corrected));
		cli_jset(root, "unchanged", json_integer((json_int_t)sum.unchanged));
		cli_jset(root, "first_year", json_integer(sum.first_year));
		cli_jset(root, "last_year", json_integer(sum.last_year));
		status = cli_print_json(root);
	} else {
		printf("%s: %zu facilities%s%s, %zu registry rows (%d-%d): %zu records added "
		       "(%zu corrections), %zu unchanged; %zu actors added\n",
		       cluster, sum.facilities, sum.cluster_created ? ", cluster created" : "", "",
		       sum.rows_read, sum.first_year, sum.last_year, sum.added, sum.corrected,
		       sum.unchanged, sum.actors_added);
	}
done:
	eic_diags_free(diags);
	eic_pollutants_free(cat);
	free(ids);
	free(ids_copy);
	return status;
}

static int import_csv(cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *cluster = args->args[1], *file = args->args[2];
	eic_cluster *c = NULL;
	eic_measure_set *set = NULL;
	eic_diags *diags = NULL;
	char *data = NULL;
	size_t size = 0;
	int status = 0, error;
	FILE *fp;

	if ((error = eic_store_load(&c, store, cluster)) < 0) {
		cli_error(ctx, "%s",
		          error == EIC_ENOTFOUND ? "no such cluster in the store"
		                                 : eic_store_errmsg(store));
		return cli_status_of(error);
	}
	if ((status = load_set(&set, ctx, store, cluster)) != 0)
		goto done;
	if (!(fp = fopen(file, "rb"))) {
		cli_error(ctx, "cannot open %s", file);
		status = CLI_EXIT_USAGE;
		goto done;
	}
	{
		size_t cap = 0, n;
		char chunk[65536];
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
			if (size + n + 1 > cap) {
				cap = (size + n + 1) * 2;
				char *grown = realloc(data, cap);
				if (!grown) {
					fclose(fp);
					status = CLI_EXIT_INTERNAL;
					goto done;
				}
				data = grown;
			}
			memcpy(data + size, chunk, n);
			size += n;
		}
		fclose(fp);
		if (!data && !(data = calloc(1, 1))) {
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		data[size] = '\0';
	}
	if (eic_diags_new(&diags, 1000) < 0) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	size_t first = eic_measure_count(set);
	error = eic_measure_read_csv(set, diags, file, data, size, c);
	cli_print_diags(stderr, diags);
	if (error < 0) {
		char buf[64];
		cli_error(ctx, "%s in %s; nothing stored",
		          cli_plural(buf, sizeof(buf), eic_diags_errors(diags), "error"), file);
		status = cli_status_of(error);
		goto done;
	}
	if ((error = eic_measure_save(store, cluster, set, first, file)) < 0) {
		cli_error(ctx, "%s; nothing stored", eic_store_errmsg(store));
		status = cli_status_of(error);
		goto done;
	}
	size_t added = eic_measure_count(set) - first, corrections = 0;
	for (size_t i = first; i < eic_measure_count(set); i++)
		if (*eic_measure_at(set, i)->supersedes)
			corrections++;
	if (ctx->json) {
		json_t *root = json_object();
		cli_jset(root, "cluster", cli_jstr(cluster));
		cli_jset(root, "file", cli_jstr(file));
		cli_jset(root, "added", json_integer((json_int_t)added));
		cli_jset(root, "corrected", json_integer((json_int_t)corrections));
		status = cli_print_json(root);
	} else {
		printf("%s: %zu records added from %s (%zu corrections)\n", cluster, added, file,
		       corrections);
	}
done:
	free(data);
	eic_diags_free(diags);
	eic_measure_set_free(set);
	eic_cluster_free(c);
	return status;
}

static json_t *record_json(const eic_measure_set *set, const eic_measurement *r)
{
	json_t *o = json_object();
	const eic_measurement *by = eic_measure_superseded_by(set, r);
	char period[32];
	eic_measure_period_label(period, sizeof(period), r->start, r->end);
	cli_jset(o, "id", cli_jstr(r->id));
	cli_jset(o, "actor", cli_jstr(r->actor));
	cli_jset(o, "kind", cli_jstr(eic_measure_kind_name(r->kind)));
	cli_jset(o, "subject", cli_jstr(r->subject));
	cli_jset(o, "medium",
	         *eic_medium_name(r->medium) ? cli_jstr(eic_medium_name(r->medium)) : json_null());
	cli_jset(o, "fate",
	         *eic_waste_fate_name(r->fate) ? cli_jstr(eic_waste_fate_name(r->fate))
	                                       : json_null());
	cli_jset(o, "fate_code", cli_jstr(r->fate_code));
	cli_jset(o, "counterpart", cli_jstr(r->counterpart));
	cli_jset(o, "period", cli_jstr(period));
	cli_jset(o, "start", cli_jstr(r->start));
	cli_jset(o, "end", cli_jstr(r->end));
	cli_jset(o, "value", cli_jnum(r->value));
	cli_jset(o, "unit", cli_jstr(r->unit));
	cli_jset(o, "amount", cli_jnum(r->amount));
	cli_jset(o, "amount_unit", cli_jstr(r->amount_unit));
	cli_jset(o, "concentration", cli_jnum(r->concentration));
	cli_jset(o, "concentration_unit", cli_jstr(r->concentration_unit));
	cli_jset(o, "limit", cli_jnum(r->limit));
	cli_jset(o, "limit_unit", cli_jstr(r->limit_unit));
	cli_jset(o, "standard", cli_jstr(r->standard));
	cli_jset(o, "method", cli_jstr(eic_measure_method_name(r->method)));
	cli_jset(o, "reported_by", cli_jstr(r->reported_by));
	cli_jset(o, "verified", json_boolean(r->verified));
	cli_jset(o, "verified_by", cli_jstr(r->verified_by));
	cli_jset(o, "source", cli_jstr(r->source));
	cli_jset(o, "source_file", cli_jstr(r->source_file));
	cli_jset(o, "source_row", r->source_row > 0 ? json_integer(r->source_row) : json_null());
	cli_jset(o, "supersedes", *r->supersedes ? cli_jstr(r->supersedes) : json_null());
	cli_jset(o, "superseded_by", by ? cli_jstr(by->id) : json_null());
	cli_jset(o, "note", cli_jstr(r->note));
	cli_jset(o, "recorded_at", cli_jstr(r->recorded_at));
	return o;
}

static int run_list(cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	const char *cluster = args->args[1];
	eic_measure_set *set = NULL;
	eic_measure_query q = EIC_MEASURE_QUERY_INIT;
	eic_measure_list list = EIC_MEASURE_LIST_INIT;
	eic_measure_kind kind;
	char from[11], to[11];
	int status;

	if (v[LS_KIND]) {
		if (eic_measure_kind_parse(&kind, v[LS_KIND]) < 0)
			return cli_usage_error(
			    ctx,
			    "unknown kind '%s' (expected production, value_added, "
			    "employees, energy, water_withdrawal, water_discharge, "
			    "raw_material, waste or emission)",
			    v[LS_KIND]);
		q.kind = (int)kind;
	}
	if (v[LS_PERIOD]) {
		if (eic_measure_period_parse(from, to, v[LS_PERIOD]) < 0)
			return cli_usage_error(ctx,
			                       "bad --period '%s' (expected YYYY, YYYY-MM or "
			                       "START/END)",
			                       v[LS_PERIOD]);
		q.from = from;
		q.to = to;
	}
	q.actor = v[LS_ACTOR];
	q.subject = v[LS_SUBJECT];
	q.history = v[LS_HISTORY] != NULL;
	if ((status = load_set(&set, ctx, store, cluster)) != 0)
		goto done;
	if (eic_measure_select(&list, set, &q) < 0) {
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < list.count; i++)
			json_array_append_new(arr, record_json(set, list.items[i]));
		json_t *root = json_object();
		cli_jset(root, "cluster", cli_jstr(cluster));
		cli_jset(root, "records", arr);
		status = cli_print_json(root);
		goto done;
	}
	static const char *headers[] = {"id",    "actor", "period", "kind",     "subject", "medium",
	                                "value", "unit",  "method", "verified", "status"};
	static const int right[] = {1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
	cli_table t;
	cli_table_init(&t, 11, headers, right);
	t.max_width = 40;
	for (size_t i = 0; i < list.count; i++) {
		const eic_measurement *r = list.items[i];
		const eic_measurement *by = eic_measure_superseded_by(set, r);
		char period[32], value[32], st[64];
		eic_measure_period_label(period, sizeof(period), r->start, r->end);
		snprintf(value, sizeof(value), "%.6g", r->value);
		if (by)
			snprintf(st, sizeof(st), "superseded by %s", by->id);
		else if (*r->supersedes)
			snprintf(st, sizeof(st), "corrects %s", r->supersedes);
		else
			st[0] = '\0';
		const char *medium = r->kind == EIC_MEASURE_WASTE ? eic_waste_fate_name(r->fate)
		                                                  : eic_medium_name(r->medium);
		const char *row[] = {r->id,
		                     r->actor,
		                     period,
		                     eic_measure_kind_name(r->kind),
		                     r->subject,
		                     medium,
		                     value,
		                     r->unit,
		                     eic_measure_method_name(r->method),
		                     r->verified ? r->verified_by : "no",
		                     st};
		cli_table_add(&t, row);
	}
	if (list.count)
		cli_table_print(stdout, &t, 0);
	printf("%zu record%s%s\n", list.count, list.count == 1 ? "" : "s",
	       q.history ? " (history included)" : "");
	cli_table_free(&t);
done:
	eic_measure_list_clear(&list);
	eic_measure_set_free(set);
	return status;
}

static int run_correct(cli_ctx *ctx, eic_store *store, const cli_args *args)
{
	const char *const *v = args->value;
	const char *cluster = args->args[1], *id = args->args[2];
	eic_measure_set *set = NULL;
	const eic_measurement *added;
	eic_measurement r;
	int status, error;

	if (!v[CO_VALUE])
		return cli_usage_error(ctx, "give the corrected value with --value V");
	if ((status = load_set(&set, ctx, store, cluster)) != 0)
		goto done;
	const eic_measurement *old = eic_measure_find(set, id);
	if (!old) {
		cli_error(ctx, "no record %s in cluster %s", id, cluster);
		status = CLI_EXIT_USAGE;
		goto done;
	}
	size_t first = eic_measure_count(set);
	r = *old;
	r.id = NULL;
	r.supersedes = old->id;
	r.recorded_at = NULL;
	r.source = "correction (eic measure correct)";
	r.source_file = NULL;
	r.source_row = 0;
	r.note = v[CO_NOTE];
	char *end;
	r.value = strtod(v[CO_VALUE], &end);
	if (end == v[CO_VALUE] || *end != '\0' || !isfinite(r.value)) {
		status = cli_usage_error(ctx, "bad --value '%s' (expected a number)", v[CO_VALUE]);
		goto done;
	}
	if (v[CO_UNIT])
		r.unit = v[CO_UNIT];
	if (v[CO_BY])
		r.reported_by = v[CO_BY];
	if (v[CO_METHOD] && eic_measure_method_parse(&r.method, v[CO_METHOD]) < 0) {
		status = cli_usage_error(ctx,
		                         "bad --method '%s' (expected measured, calculated or "
		                         "estimated)",
		                         v[CO_METHOD]);
		goto done;
	}
	r.verified = v[CO_VERIFIED_BY] != NULL;
	r.verified_by = v[CO_VERIFIED_BY];
	if ((error = eic_measure_add(&added, set, &r)) < 0) {
		cli_error(ctx, "%s; nothing stored", eic_measure_set_errmsg(set));
		status = cli_status_of(error);
		goto done;
	}
	if ((error = eic_measure_save(store, cluster, set, first, NULL)) < 0) {
		cli_error(ctx, "%s; nothing stored", eic_store_errmsg(store));
		status = cli_status_of(error);
		goto done;
	}
	if (ctx->json) {
		status = cli_print_json(record_json(set, added));
	} else {
		char value[32];
		snprintf(value, sizeof(value), "%.6g", added->value);
		printf("record %s corrects record %s: %s %s (was %.6g %s)\n", added->id, old->id,
		       value, added->unit, old->value, old->unit);
	}
done:
	eic_measure_set_free(set);
	return status;
}

int cli_cmd_measure(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_store *store = NULL;
	const cli_command *parent;
	int status, sub;

	if (cli_parse_subcommand(&args, &sub, &status, &parent, ctx, argc, argv, subcommands,
	                         subcommand_names, SUB__N))
		return status;
	args.arg_count--; /* the subcommand itself */
	if (sub == SUB_IMPORT && !args.value[IM_REGISTRY] && args.arg_count != 2) {
		status = cli_usage_error(ctx, "give CLUSTER FILE.csv, or --registry NAME DIR");
		goto done;
	}
	if ((status = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	switch (sub) {
	case SUB_IMPORT:
		status = args.value[IM_REGISTRY] ? import_registry(ctx, store, &args)
		                                 : import_csv(ctx, store, &args);
		break;
	case SUB_LIST:
		status = run_list(ctx, store, &args);
		break;
	default:
		status = run_correct(ctx, store, &args);
		break;
	}
done:
	eic_store_close(store);
	ctx->cmd = parent;
	return status;
}
