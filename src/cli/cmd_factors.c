/* cmd_factors.c: `eic factors`: the impact factor library with values, units, ranges, sources and
 * check status, filtered, optionally with a cluster package's own factors.csv over the defaults. */
#include "cli/cli.h"

#include <string.h>
#include <sys/stat.h>

enum { OPT_PARAMETER, OPT_KEY, OPT_UNCHECKED, OPT_PACKAGE, OPT_DIR };

const cli_option cli_factors_options[] = {
    {"parameter", 'p', "TEXT", "only factors whose parameter contains TEXT"},
    {"key", 'k', "TEXT", "only factors whose key contains TEXT"},
    {"unchecked", 0, NULL, "only factors not yet checked against the primary document"},
    {"package", 0, "PKG",
     "the effective set of a cluster package (its factors.csv over the defaults)"},
    {"dir", 0, "DIR", "read the default tables from DIR (default: the data folder's factors/)"},
    {NULL, 0, NULL, NULL},
};

/* Where a factor of the effective set comes from. */
typedef enum { FROM_DEFAULT, FROM_OVERRIDE, FROM_ADDED } origin;

static const char *origin_name(origin o)
{
	return o == FROM_OVERRIDE ? "override" : o == FROM_ADDED ? "added" : "default";
}

static origin origin_of(const eic_factor *f, const eic_factors *defaults)
{
	const eic_factor *d = eic_factors_get(defaults, f->parameter, f->key);
	if (!d)
		return FROM_ADDED;
	return strcmp(d->file, f->file) != 0 || d->line != f->line ? FROM_OVERRIDE : FROM_DEFAULT;
}

static int wanted(const eic_factor *f, const cli_args *args)
{
	const char *p = args->value[OPT_PARAMETER], *k = args->value[OPT_KEY];
	if (p && !strstr(f->parameter, p))
		return 0;
	if (k && !strstr(f->key, k))
		return 0;
	if (args->value[OPT_UNCHECKED] && f->checked)
		return 0;
	return 1;
}

static int print_json(const eic_factors *set, const eic_factors *defaults, const cli_args *args,
                      const char *package_table)
{
	json_t *root = json_object(), *list = json_array();
	int fail = !root || !list;
	size_t shown = 0, unchecked = 0;
	for (size_t i = 0; !fail && i < eic_factors_count(set); i++) {
		const eic_factor *f = eic_factors_at(set, i);
		if (!wanted(f, args))
			continue;
		json_t *o = json_object();
		if (!o) {
			fail = 1;
			break;
		}
		shown++;
		unchecked += !f->checked;
		fail |= cli_jset(o, "parameter", cli_jstr(f->parameter));
		fail |= cli_jset(o, "key", cli_jstr(f->key));
		fail |= cli_jset(o, "value", cli_jnum(f->value));
		fail |= cli_jset(o, "unit", cli_jstr(f->unit));
		fail |= cli_jset(o, "low", f->has_range ? cli_jnum(f->low) : json_null());
		fail |= cli_jset(o, "high", f->has_range ? cli_jnum(f->high) : json_null());
		fail |= cli_jset(o, "source", cli_jstr(f->source));
		fail |= cli_jset(o, "checked", json_boolean(f->checked));
		fail |= cli_jset(o, "note", cli_jstr(f->note));
		fail |= cli_jset(o, "file", cli_jstr(f->file));
		fail |= cli_jset(o, "line", json_integer(f->line));
		fail |= cli_jset(o, "origin", json_string(origin_name(origin_of(f, defaults))));
		if (json_array_append_new(list, o) != 0)
			fail = 1;
	}
	fail |= cli_jset(root, "version", json_string(EIC_FACTORS_VERSION));
	fail |= cli_jset(root, "package_table", cli_jstr(package_table));
	fail |= cli_jset(root, "count", json_integer((json_int_t)shown));
	fail |= cli_jset(root, "unchecked", json_integer((json_int_t)unchecked));
	if (!fail) {
		fail |= cli_jset(root, "factors", list);
		list = NULL;
	}
	json_decref(list);
	if (fail) {
		json_decref(root);
		return CLI_EXIT_INTERNAL;
	}
	return cli_print_json(root);
}

static int print_table(const cli_ctx *ctx, const eic_factors *set, const eic_factors *defaults,
                       const cli_args *args, int with_origin)
{
	static const char *headers[] = {"PARAMETER", "KEY",     "VALUE",  "UNIT",
	                                "RANGE",     "CHECKED", "SOURCE", "FROM"};
	static const int right[] = {0, 0, 1, 0, 0, 0, 0, 0};
	cli_table table;
	size_t shown = 0, unchecked = 0;
	int status = CLI_EXIT_OK;
	cli_table_init(&table, with_origin ? 8 : 7, headers, right);
	table.max_width = 60;
	for (size_t i = 0; i < eic_factors_count(set); i++) {
		const eic_factor *f = eic_factors_at(set, i);
		char value[64], low[64], high[64], range[140];
		if (!wanted(f, args))
			continue;
		shown++;
		unchecked += !f->checked;
		cli_fmt_num(value, sizeof(value), f->value);
		range[0] = '\0';
		if (f->has_range) {
			cli_fmt_num(low, sizeof(low), f->low);
			cli_fmt_num(high, sizeof(high), f->high);
			snprintf(range, sizeof(range), "%s-%s", low, high);
		}
		const char *row[8] = {f->parameter, f->key,
		                      value,        f->unit,
		                      range,        f->checked ? "yes" : "no",
		                      f->source,    origin_name(origin_of(f, defaults))};
		if (cli_table_add(&table, row) < 0) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	cli_table_print(stdout, &table, 0);
	cli_info(ctx,
	         "%zu factor%s shown, %zu not yet checked against the primary document "
	         "(factor tables version %s)",
	         shown, shown == 1 ? "" : "s", unchecked, EIC_FACTORS_VERSION);
done:
	cli_table_free(&table);
	return status;
}

/* Exit status for a failed load, after printing the diagnostics. */
static int load_failed(const cli_ctx *ctx, const eic_diags *diags, int error, const char *what)
{
	cli_print_diags(stderr, diags);
	cli_error(ctx, "cannot read %s: %s", what, eic_strerror(error));
	return error == EIC_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
}

int cli_cmd_factors(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_factors *defaults = NULL, *set = NULL;
	eic_diags *diags = NULL;
	char package_table[4096];
	const char *table_shown = NULL;
	int status, error;
	struct stat st;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char *package = args.value[OPT_PACKAGE];
	const char *dir = args.value[OPT_DIR];
	if (package && stat(package, &st) != 0)
		return cli_usage_error(ctx, "--package %s: no such package folder or file",
		                       package);
	if (dir && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		return cli_usage_error(ctx, "--dir %s: not a folder", dir);
	if (eic_diags_new(&diags, 200) < 0 || eic_factors_new(&defaults) < 0 ||
	    eic_factors_new(&set) < 0) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = eic_factors_load_dir(defaults, dir, diags)) < 0) {
		status = load_failed(ctx, diags, error, "the default factor tables");
		goto done;
	}
	if ((error = eic_factors_overlay(set, defaults)) < 0) {
		status = load_failed(ctx, diags, error, "the default factor tables");
		goto done;
	}
	if (package) {
		if (eic_factors_cluster_path(package_table, sizeof(package_table), package) < 0) {
			status = cli_usage_error(ctx, "--package %s: path too long", package);
			goto done;
		}
		if (stat(package_table, &st) == 0) {
			if ((error = eic_factors_load_file(set, package_table, diags)) < 0) {
				status = load_failed(ctx, diags, error, package_table);
				goto done;
			}
			table_shown = package_table;
		} else {
			cli_info(ctx, "%s has no %s: showing the defaults", package, package_table);
		}
	}
	if (eic_diags_count(diags) > 0)
		cli_print_diags(stderr, diags);
	if (ctx->json)
		status = print_json(set, defaults, &args, table_shown);
	else
		status = print_table(ctx, set, defaults, &args, package != NULL);
done:
	eic_factors_free(set);
	eic_factors_free(defaults);
	eic_diags_free(diags);
	return status;
}
