/* cmd_network.c: `eic network`: ecological network analysis (enaR's indices) of a cluster's
 * mass-flow network or of a SCOR file, as a table or as JSON keyed by enaR's names. */
#include "cli/cli.h"

#include <math.h>
#include <string.h>

#include <eic/network.h>

enum { OPT_SCOR, OPT_PERIOD };

const cli_option cli_network_options[] = {
    {"scor", 0, "FILE", "read the network from a SCOR file (enaR, NETWRK) instead of a cluster"},
    {"period", 0, "P", "one period of the cluster (by default all periods are summed)"},
    {NULL, 0, NULL, NULL},
};

static const char connectance_note[] =
    "C = L/n^2 (enaR's convention, self-loops counted); C.nn1 = L/(n(n-1))";

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static json_t *network_json(const eic_network *net, const eic_ena *ena, const char *source,
                            const char *period)
{
	json_t *root = json_object(), *undefined = json_object(), *notes = json_array();
	int fail = !root || !undefined || !notes;
	if (fail)
		goto done;
	for (size_t i = 0; i < eic_ena_value_count(ena); i++) {
		const eic_ena_value *v = eic_ena_value_at(ena, i);
		if (v->reason) {
			fail |= cli_jset(root, v->name, json_null());
			fail |= cli_jset(undefined, v->name, json_string(v->reason));
		} else {
			fail |= cli_jset(root, v->name, cli_jnum(v->value));
		}
	}
	fail |= cli_jset(root, "undefined", undefined);
	undefined = NULL;
	fail |= cli_jset(root, "source", cli_jstr(source));
	fail |= cli_jset(root, "title", cli_jstr(eic_network_title(net)));
	fail |= cli_jset(root, "period", cli_jstr(period));
	fail |= cli_jset(root, "unit", cli_jstr(eic_network_unit(net)));
	fail |= cli_jset(root, "balanced", json_boolean(eic_ena_balanced(ena)));
	fail |= cli_jset(root, "method", cli_jstr(eic_ena_method(ena)));
	fail |= cli_jset(root, "connectance", json_string(connectance_note));
	fail |= cli_jset(root, "log_base", json_integer(2));
	for (size_t i = 0; !fail && i < eic_network_note_count(net); i++)
		fail |= json_array_append_new(notes, cli_jstr(eic_network_note(net, i))) != 0;
	for (size_t i = 0; !fail && i < eic_ena_note_count(ena); i++)
		fail |= json_array_append_new(notes, cli_jstr(eic_ena_note(ena, i))) != 0;
	fail |= cli_jset(root, "notes", notes);
	notes = NULL;
done:
	json_decref(undefined);
	json_decref(notes);
	if (fail) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Integers (n, L, counts) print without decimals, other values with 7 significant digits,
 * the precision enaR prints. */
static void fmt_value(char *buf, size_t size, const eic_ena_value *v)
{
	if (v->reason)
		snprintf(buf, size, "-");
	else if (v->value == floor(v->value) && fabs(v->value) < 1e15 &&
	         (!strcmp(v->name, "n") || !strcmp(v->name, "L") || !strncmp(v->name, "no.", 3)))
		snprintf(buf, size, "%.0f", v->value);
	else
		snprintf(buf, size, "%.7g", v->value);
}

static int network_text(const eic_network *net, const eic_ena *ena, const char *source,
                        const char *period)
{
	static const char *headers[] = {"INDEX", "VALUE", "MEANING"};
	static const int right[] = {0, 1, 0};
	cli_table t;
	int rc = 0;
	const char *unit = eic_network_unit(net);

	cli_table_init(&t, 3, headers, right);
	t.max_width = 0;
	for (size_t i = 0; i < eic_ena_value_count(ena); i++) {
		const eic_ena_value *v = eic_ena_value_at(ena, i);
		char value[48];
		const char *row[3];
		fmt_value(value, sizeof(value), v);
		row[0] = v->name;
		row[1] = value;
		row[2] = v->meaning;
		if (cli_table_add(&t, row) < 0) {
			rc = -1;
			goto done;
		}
	}
	printf("Ecological network analysis of %s (%s%s%s)\n",
	       *eic_network_title(net) ? eic_network_title(net) : source, source,
	       period ? ", period " : "", period ? period : "");
	printf("Amounts in %s; logarithms base 2 (bits), as enaR; %s.\n\n",
	       *unit ? unit : "the file's unit", connectance_note);
	cli_table_print(stdout, &t, 2);
	int header = 0;
	for (size_t i = 0; i < eic_ena_value_count(ena); i++) {
		const eic_ena_value *v = eic_ena_value_at(ena, i);
		if (!v->reason)
			continue;
		if (!header++)
			printf("\nUndefined indices\n");
		printf("  %s: %s\n", v->name, v->reason);
	}
	printf("\nThe network is %s; solved %s.\n",
	       eic_ena_balanced(ena) ? "balanced (steady state)" : "NOT balanced",
	       eic_ena_method(ena));
	if (eic_network_note_count(net) + eic_ena_note_count(ena) > 0) {
		printf("\nNotes\n");
		for (size_t i = 0; i < eic_network_note_count(net); i++)
			printf("  - %s\n", eic_network_note(net, i));
		for (size_t i = 0; i < eic_ena_note_count(ena); i++)
			printf("  - %s\n", eic_ena_note(ena, i));
	}
done:
	cli_table_free(&t);
	return rc;
}

int cli_cmd_network(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_network *net = NULL;
	eic_ena *ena = NULL;
	eic_diags *diags = NULL;
	int status, error;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char *scor = args.value[OPT_SCOR];
	const char *period = args.value[OPT_PERIOD];
	if (!scor && args.arg_count == 1 && ends_with(args.args[0], ".scor"))
		scor = args.args[0];
	else if ((scor != NULL) == (args.arg_count == 1))
		return cli_usage_error(ctx,
		                       "give either a CLUSTER (or package path) or --scor FILE");
	if (scor && period)
		return cli_usage_error(ctx, "--period applies to a cluster, not to a SCOR file");
	const char *source = scor ? scor : args.args[0];

	if (scor) {
		if (eic_diags_new(&diags, 1000) < 0) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			return CLI_EXIT_INTERNAL;
		}
		error = eic_network_read_scor(&net, diags, scor);
		cli_print_diags(stderr, diags);
		if (error < 0) {
			if (error == EIC_EPARSE)
				cli_error(ctx, "%s is not a valid SCOR file", scor);
			status = error == EIC_EPARSE || error == EIC_EIO ? CLI_EXIT_USAGE
			                                                 : cli_status_of(error);
			goto done;
		}
	} else {
		eic_network_options opts = EIC_NETWORK_OPTIONS_INIT;
		status = cli_load_cluster(&cluster, ctx, args.args[0]);
		if (status != 0)
			goto done;
		opts.period = period;
		if (period && !eic_cluster_find_period(cluster, period)) {
			cli_error(ctx, "cluster '%s' has no period '%s'",
			          eic_cluster_info_get(cluster)->id, period);
			status = CLI_EXIT_USAGE;
			goto done;
		}
		error = eic_network_from_cluster(&net, cluster, &opts);
		if (error < 0) {
			cli_error(ctx, "cannot build the flow network: %s", eic_strerror(error));
			status = cli_status_of(error);
			goto done;
		}
	}
	error = eic_ena_compute(&ena, net, NULL);
	if (error < 0) {
		cli_error(ctx, "cannot analyse the network: %s", eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	status = CLI_EXIT_OK;
	if (ctx->json) {
		json_t *root = network_json(net, ena, source, period);
		status = root ? cli_print_json(root) : CLI_EXIT_INTERNAL;
	} else if (network_text(net, ena, source, period) < 0) {
		status = CLI_EXIT_INTERNAL;
	}
	if (status == CLI_EXIT_INTERNAL)
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
done:
	eic_ena_free(ena);
	eic_network_free(net);
	eic_cluster_free(cluster);
	eic_diags_free(diags);
	return status;
}
