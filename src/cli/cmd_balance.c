/* cmd_balance.c: `eic balance`: mass and energy balance tables per process, per actor and for
 * the cluster, what crosses the boundary, and the conversion notes; or the same as JSON. */
#include "cli/cli.h"

#include <math.h>
#include <string.h>

enum { OPT_PACKAGE, OPT_PERIOD, OPT_BY_MATERIAL };

const cli_option cli_balance_options[] = {
    {"package", 'p', "PKG", "read the cluster from a package instead of the database"},
    {"period", 0, "P", "balance one period (by default all periods are summed)"},
    {"by-material", 'm', NULL, "also break every balance down by material"},
    {NULL, 0, NULL, NULL},
};

/* Relative imbalance above which a row is flagged (as in validation, docs/format.md). */
#define BALANCE_FLAG_REL 0.05

static const char *scope_name(eic_balance_scope scope)
{
	switch (scope) {
	case EIC_SCOPE_PROCESS:
		return "process";
	case EIC_SCOPE_ACTOR:
		return "actor";
	default:
		return "cluster";
	}
}

static int flagged(double rel)
{
	return isfinite(rel) && fabs(rel) > BALANCE_FLAG_REL;
}

static const char *unit_or(const char *u, const char *fallback)
{
	return u && *u ? u : fallback;
}

static json_t *side_json(double in, double out, double stock, double imbalance, double rel)
{
	json_t *o = json_object();
	int fail = !o;
	if (!o)
		return NULL;
	fail |= cli_jset(o, "in", cli_jnum(in));
	fail |= cli_jset(o, "out", cli_jnum(out));
	fail |= cli_jset(o, "stock", cli_jnum(stock));
	fail |= cli_jset(o, "imbalance", cli_jnum(imbalance));
	fail |= cli_jset(o, "rel", cli_jnum(rel));
	fail |= cli_jset(o, "flagged", json_boolean(flagged(rel)));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *balance_json(const eic_cluster *c, const eic_balance *b, const char *period)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	json_t *root = json_object(), *units = json_object();
	json_t *rows = json_array(), *bounds = json_array(), *notes = json_array();
	json_t *by_mat = json_array();
	int fail = !root || !units || !rows || !bounds || !notes || !by_mat;

	if (fail)
		goto done;
	fail |= cli_jset(root, "cluster", cli_jstr(info->id));
	fail |= cli_jset(root, "period", cli_jstr(period));
	fail |= cli_jset(units, "mass", json_string(unit_or(info->mass_unit, "t")));
	fail |= cli_jset(units, "energy", json_string(unit_or(info->energy_unit, "GJ")));
	fail |= cli_jset(root, "flag_rel", json_real(BALANCE_FLAG_REL));
	size_t material_rows = eic_balance_material_row_count(b);
	for (size_t i = 0; !fail && i < eic_balance_row_count(b) + material_rows; i++) {
		int by_material = i >= eic_balance_row_count(b);
		const eic_balance_row *r =
		    by_material ? eic_balance_material_row_at(b, i - eic_balance_row_count(b))
		                : eic_balance_row_at(b, i);
		json_t *o = json_object();
		if (!o || json_array_append_new(by_material ? by_mat : rows, o) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(o, "scope", json_string(scope_name(r->scope)));
		fail |= cli_jset(o, "id", cli_jstr(r->id));
		fail |= cli_jset(o, "name", cli_jstr(r->name));
		fail |= cli_jset(o, "actor", cli_jstr(r->actor));
		if (by_material)
			fail |= cli_jset(o, "material", cli_jstr(r->material));
		fail |= cli_jset(o, "flows", json_integer((json_int_t)r->flow_count));
		fail |= cli_jset(o, "skipped", json_integer((json_int_t)r->skipped_count));
		fail |= cli_jset(o, "mass",
		                 side_json(r->mass_in, r->mass_out, r->mass_stock,
		                           r->mass_imbalance, r->mass_rel));
		fail |= cli_jset(o, "energy",
		                 side_json(r->energy_in, r->energy_out, r->energy_stock,
		                           r->energy_imbalance, r->energy_rel));
	}
	for (size_t i = 0; !fail && i < eic_balance_boundary_count(b); i++) {
		const eic_boundary_row *r = eic_balance_boundary(b, i);
		json_t *o = json_object();
		if (!o || json_array_append_new(bounds, o) != 0) {
			fail = 1;
			break;
		}
		fail |= cli_jset(o, "boundary", cli_jstr(eic_boundary_kind_name(r->boundary)));
		fail |= cli_jset(o, "mass_in", cli_jnum(r->mass_in));
		fail |= cli_jset(o, "mass_out", cli_jnum(r->mass_out));
		fail |= cli_jset(o, "energy_in", cli_jnum(r->energy_in));
		fail |= cli_jset(o, "energy_out", cli_jnum(r->energy_out));
	}
	for (size_t i = 0; !fail && i < eic_balance_note_count(b); i++)
		if (json_array_append_new(notes, cli_jstr(eic_balance_note(b, i))) != 0)
			fail = 1;
	if (!fail) {
		fail |= cli_jset(root, "units", units);
		fail |= cli_jset(root, "rows", rows);
		fail |= cli_jset(root, "boundaries", bounds);
		fail |= cli_jset(root, "notes", notes);
		units = rows = bounds = notes = NULL;
		if (material_rows > 0) {
			fail |= cli_jset(root, "by_material", by_mat);
			by_mat = NULL;
		}
	}
done:
	json_decref(by_mat);
	json_decref(units);
	json_decref(rows);
	json_decref(bounds);
	json_decref(notes);
	if (fail) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* One balance table (mass when `energy` is 0). Rows with nothing in, out or to stock are
 * left out and counted. Returns 0 or -1 on ENOMEM; *out_flags counts flagged rows. */
static int print_side(const eic_balance *b, int energy, const char *unit, size_t *out_flags)
{
	static const char *headers[] = {"SCOPE", "ID",        "NAME", "IN", "OUT",
	                                "STOCK", "IMBALANCE", "REL",  ""};
	static const int right[] = {0, 0, 0, 1, 1, 1, 1, 1, 0};
	cli_table t;
	size_t omitted = 0;
	int rc = 0;

	cli_table_init(&t, 9, headers, right);
	t.max_width = 32;
	*out_flags = 0;
	for (size_t i = 0; i < eic_balance_row_count(b); i++) {
		const eic_balance_row *r = eic_balance_row_at(b, i);
		double in = energy ? r->energy_in : r->mass_in;
		double out = energy ? r->energy_out : r->mass_out;
		double stock = energy ? r->energy_stock : r->mass_stock;
		double imb = energy ? r->energy_imbalance : r->mass_imbalance;
		double rel = energy ? r->energy_rel : r->mass_rel;
		char s_in[32], s_out[32], s_stock[32], s_imb[32], s_rel[32];
		const char *row[9];

		if (in == 0.0 && out == 0.0 && stock == 0.0 && r->scope != EIC_SCOPE_CLUSTER) {
			omitted++;
			continue;
		}
		cli_fmt_num(s_in, sizeof(s_in), in);
		cli_fmt_num(s_out, sizeof(s_out), out);
		cli_fmt_num(s_stock, sizeof(s_stock), stock);
		cli_fmt_num(s_imb, sizeof(s_imb), imb);
		cli_fmt_pct(s_rel, sizeof(s_rel), rel);
		row[0] = scope_name(r->scope);
		row[1] = r->id;
		row[2] = r->name;
		row[3] = s_in;
		row[4] = s_out;
		row[5] = s_stock;
		row[6] = s_imb;
		row[7] = s_rel;
		row[8] = flagged(rel) ? "!" : "";
		if (flagged(rel))
			++*out_flags;
		if (cli_table_add(&t, row) < 0) {
			rc = -1;
			goto done;
		}
	}
	printf("%s balance (%s)\n", energy ? "Energy" : "Mass", unit);
	cli_table_print(stdout, &t, 2);
	if (omitted)
		printf("  (%zu %s without %s flows not shown)\n", omitted,
		       omitted == 1 ? "row" : "rows", energy ? "energy" : "mass");
done:
	cli_table_free(&t);
	return rc;
}

static int print_boundaries(const eic_balance *b, const char *mass_unit, const char *energy_unit)
{
	static const char *headers[] = {"BOUNDARY", "MASS IN", "MASS OUT", "ENERGY IN",
	                                "ENERGY OUT"};
	static const int right[] = {0, 1, 1, 1, 1};
	cli_table t;
	int rc = 0;

	cli_table_init(&t, 5, headers, right);
	for (size_t i = 0; i < eic_balance_boundary_count(b); i++) {
		const eic_boundary_row *r = eic_balance_boundary(b, i);
		char s[4][32];
		const char *row[5];
		if (r->mass_in == 0.0 && r->mass_out == 0.0 && r->energy_in == 0.0 &&
		    r->energy_out == 0.0)
			continue;
		cli_fmt_num(s[0], sizeof(s[0]), r->mass_in);
		cli_fmt_num(s[1], sizeof(s[1]), r->mass_out);
		cli_fmt_num(s[2], sizeof(s[2]), r->energy_in);
		cli_fmt_num(s[3], sizeof(s[3]), r->energy_out);
		row[0] = eic_boundary_kind_name(r->boundary);
		for (int k = 0; k < 4; k++)
			row[k + 1] = s[k];
		if (cli_table_add(&t, row) < 0) {
			rc = -1;
			goto done;
		}
	}
	printf("\nBoundary: into the cluster (in) and out of it (out); mass in %s, energy in %s\n",
	       mass_unit, energy_unit);
	if (t.row_count == 0)
		printf("  (no flows cross the boundary)\n");
	else
		cli_table_print(stdout, &t, 2);
done:
	cli_table_free(&t);
	return rc;
}

/* Mass balance by material: one row per (scope, material), under its aggregate scope. */
static int print_by_material(const eic_balance *b, const char *unit)
{
	static const char *headers[] = {"SCOPE", "ID",    "MATERIAL",  "IN",
	                                "OUT",   "STOCK", "IMBALANCE", "REL"};
	static const int right[] = {0, 0, 0, 1, 1, 1, 1, 1};
	cli_table t;
	int rc = 0;
	cli_table_init(&t, 8, headers, right);
	t.max_width = 32;
	for (size_t i = 0; i < eic_balance_material_row_count(b); i++) {
		const eic_balance_row *r = eic_balance_material_row_at(b, i);
		char s_in[32], s_out[32], s_stock[32], s_imb[32], s_rel[32];
		if (r->mass_in == 0.0 && r->mass_out == 0.0 && r->mass_stock == 0.0)
			continue;
		cli_fmt_num(s_in, sizeof(s_in), r->mass_in);
		cli_fmt_num(s_out, sizeof(s_out), r->mass_out);
		cli_fmt_num(s_stock, sizeof(s_stock), r->mass_stock);
		cli_fmt_num(s_imb, sizeof(s_imb), r->mass_imbalance);
		cli_fmt_pct(s_rel, sizeof(s_rel), r->mass_rel);
		const char *row[8] = {
		    scope_name(r->scope), r->id, r->material, s_in, s_out, s_stock, s_imb, s_rel};
		if (cli_table_add(&t, row) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0) {
		printf("\nMass balance by material (%s)\n", unit);
		cli_table_print(stdout, &t, 2);
		printf("  (a material may change into another inside a process, so by-material\n"
		       "   imbalances show transformations as well as errors)\n");
	}
	cli_table_free(&t);
	return rc;
}

static int balance_text(const eic_cluster *c, const eic_balance *b, const char *period)
{
	const eic_cluster_info *info = eic_cluster_info_get(c);
	const char *mass_unit = unit_or(info->mass_unit, "t");
	const char *energy_unit = unit_or(info->energy_unit, "GJ");
	size_t mass_flags = 0, energy_flags = 0;

	printf("Balances of %s, %s\n\n", info->id, period ? period : "all periods summed");
	if (print_side(b, 0, mass_unit, &mass_flags) < 0)
		return -1;
	putchar('\n');
	if (print_side(b, 1, energy_unit, &energy_flags) < 0)
		return -1;
	printf("\nIMBALANCE = in - out - stock change; REL = imbalance / max(in, out);\n"
	       "! marks |REL| > %.0f%% (%zu mass, %zu energy).\n",
	       BALANCE_FLAG_REL * 100.0, mass_flags, energy_flags);
	if (print_boundaries(b, mass_unit, energy_unit) < 0)
		return -1;
	if (eic_balance_material_row_count(b) > 0 && print_by_material(b, mass_unit) < 0)
		return -1;
	if (eic_balance_note_count(b) > 0) {
		printf("\nNotes\n");
		for (size_t i = 0; i < eic_balance_note_count(b); i++)
			printf("  - %s\n", eic_balance_note(b, i));
	}
	return 0;
}

int cli_cmd_balance(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_balance *balance = NULL;
	eic_balance_options opts = EIC_BALANCE_OPTIONS_INIT;
	const char *package = NULL;
	int status, error;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	package = args.value[OPT_PACKAGE];
	if ((package != NULL) == (args.arg_count == 1))
		return cli_usage_error(ctx,
		                       "give either a CLUSTER (or package path) or --package PKG");
	if (package)
		status = cli_read_package(&cluster, ctx, package, 0, NULL, NULL);
	else
		status = cli_load_cluster(&cluster, ctx, args.args[0]);
	if (status != 0)
		return status;
	opts.period = args.value[OPT_PERIOD];
	opts.by_material = args.value[OPT_BY_MATERIAL] != NULL;
	if (opts.period && !eic_cluster_find_period(cluster, opts.period)) {
		cli_error(ctx, "cluster '%s' has no period '%s'", eic_cluster_info_get(cluster)->id,
		          opts.period);
		status = CLI_EXIT_USAGE;
		goto done;
	}
	error = eic_balance_compute(&balance, cluster, &opts);
	if (error < 0) {
		cli_error(ctx, "cannot compute the balance: %s", eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	if (ctx->json) {
		json_t *root = balance_json(cluster, balance, opts.period);
		status = root ? cli_print_json(root) : CLI_EXIT_INTERNAL;
	} else if (balance_text(cluster, balance, opts.period) < 0) {
		status = CLI_EXIT_INTERNAL;
	}
	if (status == CLI_EXIT_INTERNAL)
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
done:
	eic_balance_free(balance);
	eic_cluster_free(cluster);
	return status;
}
