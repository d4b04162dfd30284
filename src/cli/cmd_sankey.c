/* cmd_sankey.c: `eic sankey (CLUSTER|PKG) [--period P] [--energy] [--out FILE] [--json]`: draw
 * the Sankey diagram of a cluster's flows as SVG, PNG or PDF, or print its layout as JSON. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_PERIOD, OPT_ENERGY, OPT_OUT };

const cli_option cli_sankey_options[] = {
    {"period", 0, "P", "draw one period (by default all periods are summed)"},
    {"energy", 0, NULL, "widths in the energy unit instead of the mass unit"},
    {"out", 'o', "FILE", "file to write, .svg, .png or .pdf (default out/<cluster-id>/sankey.svg)"},
    {NULL, 0, NULL, NULL},
};

static const char *kind_name(eic_sankey_node_kind kind)
{
	switch (kind) {
	case EIC_SANKEY_NODE_PROCESS:
		return "process";
	case EIC_SANKEY_NODE_ACTOR:
		return "actor";
	case EIC_SANKEY_NODE_SOURCE:
		return "source";
	case EIC_SANKEY_NODE_PRODUCT:
		return "product";
	case EIC_SANKEY_NODE_LOSS:
		return "loss";
	case EIC_SANKEY_NODE_STOCK:
		return "stock";
	}
	return "other";
}

static json_t *box_json(double x, double y, double w, double h)
{
	json_t *a = json_array();
	if (!a)
		return NULL;
	if (json_array_append_new(a, cli_jnum(x)) || json_array_append_new(a, cli_jnum(y)) ||
	    json_array_append_new(a, cli_jnum(w)) || json_array_append_new(a, cli_jnum(h))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *node_json(const eic_sankey_node *n)
{
	json_t *o = json_object();
	int fail = !o;
	if (fail)
		return NULL;
	fail |= cli_jset(o, "id", cli_jstr(n->id));
	fail |= cli_jset(o, "name", cli_jstr(n->name));
	fail |= cli_jset(o, "kind", json_string(kind_name(n->kind)));
	if (n->kind != EIC_SANKEY_NODE_PROCESS && n->kind != EIC_SANKEY_NODE_ACTOR)
		fail |= cli_jset(o, "boundary", cli_jstr(eic_boundary_kind_name(n->boundary)));
	fail |= cli_jset(o, "layer", json_integer((json_int_t)n->layer));
	fail |= cli_jset(o, "x", cli_jnum(n->x));
	fail |= cli_jset(o, "y", cli_jnum(n->y));
	fail |= cli_jset(o, "w", cli_jnum(n->w));
	fail |= cli_jset(o, "h", cli_jnum(n->h));
	fail |= cli_jset(o, "value_in", cli_jnum(n->value_in));
	fail |= cli_jset(o, "value_out", cli_jnum(n->value_out));
	fail |= cli_jset(o, "value", cli_jnum(n->value));
	fail |= cli_jset(o, "label", cli_jstr(n->label));
	fail |= cli_jset(o, "value_label", cli_jstr(n->value_label));
	if (n->label_w > 0.0)
		fail |= cli_jset(o, "label_box",
		                 box_json(n->label_x, n->label_y, n->label_w, n->label_h));
	else
		fail |= cli_jset(o, "label_box", json_null());
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *link_json(const eic_sankey *l, const eic_sankey_link *lk)
{
	json_t *o = json_object(), *pts = json_array(), *flows = json_array();
	int fail = !o || !pts || !flows;
	for (size_t i = 0; !fail && i < lk->point_count; i++) {
		json_t *p = json_array();
		fail |= !p || json_array_append_new(pts, p) != 0;
		if (!fail)
			fail |= json_array_append_new(p, cli_jnum(lk->points[i].x)) != 0 ||
			        json_array_append_new(p, cli_jnum(lk->points[i].y)) != 0;
	}
	for (size_t i = 0; !fail && i < lk->flow_count; i++)
		fail |= json_array_append_new(flows, cli_jstr(lk->flows[i])) != 0;
	if (!fail) {
		fail |= cli_jset(o, "source", cli_jstr(eic_sankey_node_at(l, lk->source)->id));
		fail |= cli_jset(o, "target", cli_jstr(eic_sankey_node_at(l, lk->target)->id));
		fail |= cli_jset(o, "material_class", cli_jstr(lk->material_class));
		fail |= cli_jset(o, "material", cli_jstr(lk->material));
		fail |= cli_jset(o, "colour", cli_jstr(lk->colour));
		fail |= cli_jset(o, "value", cli_jnum(lk->value));
		fail |= cli_jset(o, "width", cli_jnum(lk->width));
		fail |= cli_jset(o, "widened", json_boolean(lk->widened));
		fail |= cli_jset(o, "return", json_boolean(lk->is_return));
		fail |= cli_jset(o, "to_loss", json_boolean(lk->to_loss));
		fail |= cli_jset(o, "flows", flows);
		flows = NULL;
		fail |= cli_jset(o, "points", pts);
		pts = NULL;
	}
	json_decref(pts);
	json_decref(flows);
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *layout_json(const eic_cluster *c, const eic_sankey *l, const char *period,
                           const char *file)
{
	json_t *root = json_object(), *nodes = json_array(), *links = json_array();
	json_t *omitted = json_array(), *classes = json_array();
	int fail = !root || !nodes || !links || !omitted || !classes;
	for (size_t i = 0; !fail && i < eic_sankey_node_count(l); i++) {
		json_t *n = node_json(eic_sankey_node_at(l, i));
		fail |= !n || json_array_append_new(nodes, n) != 0;
	}
	for (size_t i = 0; !fail && i < eic_sankey_link_count(l); i++) {
		json_t *k = link_json(l, eic_sankey_link_at(l, i));
		fail |= !k || json_array_append_new(links, k) != 0;
	}
	for (size_t i = 0; !fail && i < eic_sankey_omitted_count(l); i++) {
		const eic_sankey_omitted *o = eic_sankey_omitted_at(l, i);
		json_t *x = json_object();
		fail |= !x || json_array_append_new(omitted, x) != 0;
		if (!fail) {
			fail |= cli_jset(x, "flow", cli_jstr(o->flow));
			fail |= cli_jset(x, "material", cli_jstr(o->material));
			fail |= cli_jset(x, "reason", cli_jstr(o->reason));
		}
	}
	for (size_t i = 0; !fail && i < eic_sankey_class_count(l); i++) {
		const eic_sankey_class *k = eic_sankey_class_at(l, i);
		json_t *x = json_object();
		fail |= !x || json_array_append_new(classes, x) != 0;
		if (!fail) {
			fail |= cli_jset(x, "name", cli_jstr(k->name));
			fail |= cli_jset(x, "colour", cli_jstr(k->colour));
		}
	}
	if (!fail) {
		fail |= cli_jset(root, "cluster", cli_jstr(eic_cluster_info_get(c)->id));
		fail |= cli_jset(root, "period", cli_jstr(period));
		fail |= cli_jset(root, "quantity", cli_jstr(eic_sankey_quantity(l)));
		fail |= cli_jset(root, "unit", cli_jstr(eic_sankey_unit(l)));
		fail |= cli_jset(root, "title", cli_jstr(eic_sankey_title(l)));
		fail |= cli_jset(root, "message", cli_jstr(eic_sankey_message(l)));
		fail |= cli_jset(root, "width", cli_jnum(eic_sankey_width(l)));
		fail |= cli_jset(root, "height", cli_jnum(eic_sankey_height(l)));
		fail |= cli_jset(root, "scale", cli_jnum(eic_sankey_scale(l)));
		fail |= cli_jset(root, "min_width", cli_jnum(eic_sankey_min_width(l)));
		fail |=
		    cli_jset(root, "crossings", json_integer((json_int_t)eic_sankey_crossings(l)));
		fail |= cli_jset(root, "file", cli_jstr(file));
		fail |= cli_jset(root, "nodes", nodes);
		fail |= cli_jset(root, "links", links);
		fail |= cli_jset(root, "omitted", omitted);
		fail |= cli_jset(root, "classes", classes);
		nodes = links = omitted = classes = NULL;
	}
	json_decref(nodes);
	json_decref(links);
	json_decref(omitted);
	json_decref(classes);
	if (fail) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* True when the path ends in .svg, .png or .pdf (any case). */
static int known_extension(const char *path)
{
	static const char *const exts[] = {".svg", ".png", ".pdf"};
	const char *dot = strrchr(path, '.');
	if (!dot || strlen(dot) != 4)
		return 0;
	for (size_t k = 0; k < 3; k++) {
		size_t i;
		for (i = 0; i < 4; i++) {
			char c = dot[i];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != exts[k][i])
				break;
		}
		if (i == 4)
			return 1;
	}
	return 0;
}

int cli_cmd_sankey(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_sankey *layout = NULL;
	eic_sankey_options opts = EIC_SANKEY_OPTIONS_INIT;
	char *path = NULL;
	int status, error;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char *out = args.value[OPT_OUT];
	if (out && !known_extension(out))
		return cli_usage_error(ctx, "--out must end in .svg, .png or .pdf: '%s'", out);
	if ((status = cli_load_cluster(&cluster, ctx, args.args[0])) != 0)
		return status;
	const char *id = eic_cluster_info_get(cluster)->id;
	opts.period = args.value[OPT_PERIOD];
	opts.quantity = args.value[OPT_ENERGY] ? "energy" : "mass";
	if (opts.period && !eic_cluster_find_period(cluster, opts.period)) {
		cli_error(ctx, "cluster '%s' has no period '%s'", id, opts.period);
		status = CLI_EXIT_USAGE;
		goto done;
	}
	if ((error = eic_sankey_layout(&layout, cluster, &opts)) < 0) {
		cli_error(ctx, "cannot lay out the diagram: %s", eic_strerror(error));
		status = cli_status_of(error);
		goto done;
	}
	if (out) {
		path = strdup(out);
	} else if (!ctx->json) {
		size_t size = strlen(id) + sizeof("out//sankey.svg");
		path = malloc(size);
		if (path)
			snprintf(path, size, "out/%s/sankey.svg", id);
	}
	if ((out || !ctx->json) && !path) {
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		status = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (path) {
		if (cli_mkdirs_for_file(path) != 0) {
			cli_error(ctx, "cannot create the folder of %s: %s", path, strerror(errno));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		cli_progress(ctx, "writing %s", path);
		if ((error = eic_sankey_write(layout, path)) < 0) {
			cli_error(ctx, "cannot write %s: %s", path, eic_strerror(error));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	if (eic_sankey_message(layout))
		cli_warn(ctx, "%s", eic_sankey_message(layout));
	for (size_t i = 0; i < eic_sankey_omitted_count(layout); i++) {
		const eic_sankey_omitted *o = eic_sankey_omitted_at(layout, i);
		cli_info(ctx, "flow %s (%s) not drawn: %s", o->flow, o->material, o->reason);
	}
	if (ctx->json) {
		json_t *root = layout_json(cluster, layout, opts.period, path);
		status = root ? cli_print_json(root) : CLI_EXIT_INTERNAL;
		if (!root)
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
	} else {
		printf("%s\n", path);
	}
done:
	free(path);
	eic_sankey_free(layout);
	eic_cluster_free(cluster);
	return status;
}
