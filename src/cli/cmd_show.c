/* cmd_show.c: `eic show CLUSTER`: a summary of one cluster: metadata, periods, record counts
 * and the actors table (the first 50 rows unless --all), or the same as JSON. */
#include "cli/cli.h"

#include <math.h>

enum { OPT_ALL };

const cli_option cli_show_options[] = {
    {"all", 'a', NULL, "list every actor (by default the table stops after 50 rows)"},
    {NULL, 0, NULL, NULL},
};

#define SHOW_ACTOR_ROWS 50

static const char *or_default(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

static size_t default_material_count(const eic_cluster *c)
{
	size_t n = 0;
	for (size_t i = 0; i < eic_cluster_material_count(c); i++)
		if (eic_cluster_material(c, i)->origin == EIC_ORIGIN_DEFAULT)
			n++;
	return n;
}

static json_t *show_json(const eic_cluster *c)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	json_t *root = json_object();
	json_t *units = json_object(), *periods = json_array(), *counts = json_object();
	json_t *actors = json_array();
	int fail = !root || !units || !periods || !counts || !actors;

	if (fail)
		goto done;
	fail |= cli_jset(root, "id", cli_jstr(info->id));
	fail |= cli_jset(root, "name", cli_jstr(info->name));
	fail |= cli_jset(root, "region", cli_jstr(info->region));
	fail |= cli_jset(root, "country", cli_jstr(info->country));
	fail |= cli_jset(root, "currency", cli_jstr(info->currency));
	fail |= cli_jset(root, "description", cli_jstr(info->description));
	fail |= cli_jset(root, "sources", cli_jstr(info->sources));
	fail |= cli_jset(root, "catalogue", cli_jstr(info->catalogue));
	fail |= cli_jset(units, "mass", cli_jstr(or_default(info->mass_unit, "t")));
	fail |= cli_jset(units, "energy", cli_jstr(or_default(info->energy_unit, "GJ")));
	fail |= cli_jset(units, "volume", cli_jstr(or_default(info->volume_unit, "m3")));
	for (size_t i = 0; !fail && i < eic_cluster_period_count(c); i++) {
		const eic_period *p = eic_cluster_period(c, i);
		json_t *o = json_object();
		if (!o || json_array_append_new(periods, o) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(o, "id", cli_jstr(p->id));
		fail |= cli_jset(o, "start", cli_jstr(p->start));
		fail |= cli_jset(o, "end", cli_jstr(p->end));
		fail |= cli_jset(o, "label", cli_jstr(p->label && *p->label ? p->label : NULL));
	}
	fail |= cli_jset(counts, "actors", json_integer((json_int_t)eic_cluster_actor_count(c)));
	fail |=
	    cli_jset(counts, "processes", json_integer((json_int_t)eic_cluster_process_count(c)));
	fail |=
	    cli_jset(counts, "materials", json_integer((json_int_t)eic_cluster_material_count(c)));
	fail |= cli_jset(counts, "catalogue_materials",
	                 json_integer((json_int_t)default_material_count(c)));
	fail |=
	    cli_jset(counts, "properties", json_integer((json_int_t)eic_cluster_property_count(c)));
	fail |= cli_jset(counts, "flows", json_integer((json_int_t)eic_cluster_flow_count(c)));
	fail |= cli_jset(counts, "offers", json_integer((json_int_t)eic_cluster_offer_count(c)));
	fail |=
	    cli_jset(counts, "facilities", json_integer((json_int_t)eic_cluster_facility_count(c)));
	for (size_t i = 0; !fail && i < eic_cluster_actor_count(c); i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		json_t *o = json_object();
		if (!o || json_array_append_new(actors, o) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(o, "id", cli_jstr(a->id));
		fail |= cli_jset(o, "kind", cli_jstr(eic_actor_kind_name(a->kind)));
		fail |= cli_jset(o, "name", cli_jstr(a->name));
		fail |=
		    cli_jset(o, "sector_scheme",
		             json_string(a->sector_scheme == EIC_SECTOR_NACE2 ? "nace2" : "isic4"));
		fail |= cli_jset(o, "sector", cli_jstr(a->sector && *a->sector ? a->sector : NULL));
		fail |= cli_jset(o, "employees",
		                 a->employees >= 0 ? json_integer(a->employees) : json_null());
		fail |= cli_jset(o, "value_added", cli_jnum(a->value_added));
		fail |= cli_jset(o, "lat", cli_jnum(a->lat));
		fail |= cli_jset(o, "lon", cli_jnum(a->lon));
	}
	if (!fail) {
		fail |= cli_jset(root, "units", units);
		fail |= cli_jset(root, "periods", periods);
		fail |= cli_jset(root, "counts", counts);
		fail |= cli_jset(root, "actors", actors);
		units = periods = counts = actors = NULL;
	}
done:
	json_decref(units);
	json_decref(periods);
	json_decref(counts);
	json_decref(actors);
	if (fail) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static void print_field(const char *label, const char *value)
{
	if (value && *value)
		printf("  %-12s %s\n", label, value);
}

static int show_text(const cli_ctx *ctx, const eic_cluster *c, int all)
{
	static const char *period_headers[] = {"ID", "START", "END", "DAYS", "LABEL"};
	static const int period_right[] = {0, 0, 0, 1, 0};
	static const char *actor_headers[] = {"ID",        "KIND", "NAME", "SECTOR",
	                                      "EMPLOYEES", "LAT",  "LON"};
	static const int actor_right[] = {0, 0, 0, 0, 1, 1, 1};
	const eic_cluster_info *info = eic_cluster_info_get(c);
	size_t actor_count = eic_cluster_actor_count(c);
	size_t shown = all || actor_count <= SHOW_ACTOR_ROWS ? actor_count : SHOW_ACTOR_ROWS;
	cli_table periods, actors;
	char units[128];
	int status = CLI_EXIT_OK;

	cli_table_init(&periods, 5, period_headers, period_right);
	cli_table_init(&actors, 7, actor_headers, actor_right);
	actors.max_width = 40;

	printf("%s (%s)\n", or_default(info->name, info->id), info->id);
	print_field("region:", info->region);
	print_field("country:", info->country);
	print_field("currency:", info->currency);
	snprintf(units, sizeof(units), "mass %s, energy %s, volume %s",
	         or_default(info->mass_unit, "t"), or_default(info->energy_unit, "GJ"),
	         or_default(info->volume_unit, "m3"));
	print_field("units:", units);
	print_field("catalogue:", or_default(info->catalogue, "default"));
	print_field("description:", info->description);
	print_field("sources:", info->sources);

	for (size_t i = 0; i < eic_cluster_period_count(c); i++) {
		const eic_period *p = eic_cluster_period(c, i);
		char days[32];
		const char *row[5];
		long d = eic_period_days(p);
		if (d >= 0)
			snprintf(days, sizeof(days), "%ld", d);
		else
			snprintf(days, sizeof(days), "-");
		row[0] = p->id;
		row[1] = p->start;
		row[2] = p->end;
		row[3] = days;
		row[4] = p->label;
		if (cli_table_add(&periods, row) < 0)
			goto nomem;
	}
	printf("\nPeriods (%zu)\n", eic_cluster_period_count(c));
	cli_table_print(stdout, &periods, 2);

	printf("\nRecords\n");
	printf("  %-20s %zu\n", "actors", actor_count);
	printf("  %-20s %zu\n", "processes", eic_cluster_process_count(c));
	printf("  %-20s %zu (%zu from the default catalogue)\n", "materials",
	       eic_cluster_material_count(c), default_material_count(c));
	printf("  %-20s %zu\n", "material properties", eic_cluster_property_count(c));
	printf("  %-20s %zu\n", "flows", eic_cluster_flow_count(c));
	printf("  %-20s %zu\n", "offers", eic_cluster_offer_count(c));
	printf("  %-20s %zu (%zu capacity levels)\n", "facilities", eic_cluster_facility_count(c),
	       eic_cluster_facility_level_count(c));

	for (size_t i = 0; i < shown; i++) {
		const eic_actor *a = eic_cluster_actor(c, i);
		char employees[32], lat[32], lon[32];
		const char *row[7];
		if (a->employees >= 0)
			snprintf(employees, sizeof(employees), "%ld", a->employees);
		else
			snprintf(employees, sizeof(employees), "-");
		if (isfinite(a->lat) && isfinite(a->lon)) {
			snprintf(lat, sizeof(lat), "%.4f", a->lat);
			snprintf(lon, sizeof(lon), "%.4f", a->lon);
		} else {
			snprintf(lat, sizeof(lat), "-");
			snprintf(lon, sizeof(lon), "-");
		}
		row[0] = a->id;
		row[1] = eic_actor_kind_name(a->kind);
		row[2] = a->name;
		row[3] = a->sector && *a->sector ? a->sector : "-";
		row[4] = employees;
		row[5] = lat;
		row[6] = lon;
		if (cli_table_add(&actors, row) < 0)
			goto nomem;
	}
	printf("\nActors (%zu)\n", actor_count);
	if (actor_count > 0)
		cli_table_print(stdout, &actors, 2);
	if (shown < actor_count)
		printf(
		    "  ... %zu more not shown (the table stops at %d rows; use --all or --json)\n",
		    actor_count - shown, SHOW_ACTOR_ROWS);
	goto done;
nomem:
	cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
	status = CLI_EXIT_INTERNAL;
done:
	cli_table_free(&periods);
	cli_table_free(&actors);
	return status;
}

int cli_cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	int status;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	if ((status = cli_load_cluster(&cluster, ctx, args.args[0])) != 0)
		return status;
	if (ctx->json) {
		json_t *root = show_json(cluster);
		if (!root) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
		} else {
			status = cli_print_json(root);
		}
	} else {
		status = show_text(ctx, cluster, args.value[OPT_ALL] != NULL);
	}
	eic_cluster_free(cluster);
	return status;
}
