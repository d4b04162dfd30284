/* layout.c: the Sankey layout of a cluster's flows: nodes and links from the flows, cycle
 * breaking, layering, crossing reduction, vertical placement, labels and legend
 * (docs/methods/sankey.md). */
#include "sankey_private.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/report/report_private.h"

#define NONE SIZE_MAX
#define ELLIPSIS "\xe2\x80\xa6"

/* Default page size in points (landscape, fits an A4 page at 80%). */
#define DEFAULT_WIDTH_PT 960.0
#define DEFAULT_HEIGHT_PT 600.0
/* Gap between two nodes of a column, and between a dummy (a link passing a column) and
 * anything else, in points. */
#define NODE_GAP_PT 14.0
#define DUMMY_GAP_PT 4.0
/* Barycentre sweeps (each one down and one up) and relaxation rounds. */
#define ORDER_ROUNDS 16
#define RELAX_ROUNDS 32
/* Largest working graph (real nodes plus the dummies of long links). */
#define MAX_VNODES 20000
/* Space between the return lanes and under the nodes. */
#define LANE_GAP_PT 4.0
/* Label text inset from its backing box. */
#define LABEL_PAD_PT 2.0

/* ---------------------------------------------------------------- colours */

typedef struct {
	const char *name;
	const char *colour;
} class_colour;

/* Fixed colours of the common material classes (first segment of a category path), chosen
 * to be told apart and to suggest the class: green biomass, blue water, orange energy. */
static const class_colour known_classes[] = {
    {"biomass", "#4d9a3f"},      {"wood", "#9b7a3c"},      {"agri", "#8fbf3f"},
    {"food", "#e3a72f"},         {"water", "#3d8fd1"},     {"energy", "#f07f1f"},
    {"fuel", "#b34a7c"},         {"emission", "#9aa3ab"},  {"emissions", "#9aa3ab"},
    {"ash", "#7d6e63"},          {"waste", "#8c564b"},     {"mineral", "#8e6bbf"},
    {"minerals", "#8e6bbf"},     {"chemicals", "#1fa6b8"}, {"metals", "#56606e"},
    {"construction", "#c49c7e"}, {"products", "#c49c7e"},  {"input", "#a8a832"},
    {"sludge", "#6b5b3e"},       {"slag", "#6f6f86"},      {"plastics", "#d45fb0"},
    {"rubber", "#444444"},       {"oil", "#b34a7c"},       {"other", "#b0b0b0"},
};

/* Spellings of one class found in catalogues, merged so that the legend shows one entry:
 * {spelling, class}. */
static const class_colour class_aliases[] = {
    {"emissions", "emission"}, {"minerals", "mineral"}, {"agriculture", "agri"},
    {"agricultural", "agri"},  {"fuels", "fuel"},       {"metal", "metals"},
    {"chemical", "chemicals"}, {"product", "products"}, {"wastes", "waste"},
};

/* Colours for classes not in the table, given in order of name. */
static const char *const spare_colours[] = {
    "#e377c2", "#17becf", "#bcbd22", "#aec7e8", "#ffbb78", "#98df8a",
    "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
};

const char *eic_sankey__node_colour(eic_sankey_node_kind kind, eic_boundary_kind boundary)
{
	switch (kind) {
	case EIC_SANKEY_NODE_PROCESS:
	case EIC_SANKEY_NODE_ACTOR:
		return "#34495e";
	case EIC_SANKEY_NODE_SOURCE:
		return "#5c7a8c";
	case EIC_SANKEY_NODE_PRODUCT:
		return "#1b5fa8";
	case EIC_SANKEY_NODE_STOCK:
		return "#7a5230";
	case EIC_SANKEY_NODE_LOSS:
		switch (boundary) {
		case EIC_BOUNDARY_LANDFILL:
			return "#5a5a5a";
		case EIC_BOUNDARY_OPEN_DUMPING:
			return "#8e3b2e";
		case EIC_BOUNDARY_OPEN_BURNING:
			return "#d0312d";
		case EIC_BOUNDARY_WATER_BODY:
			return "#9c6f6f";
		case EIC_BOUNDARY_ATMOSPHERE:
			return "#a3a3a3";
		default:
			return "#777777";
		}
	}
	return "#777777";
}

/* ---------------------------------------------------------------- text */

#if defined(__SANITIZE_ADDRESS__)
/* cairo 1.16 selects "toy" fonts through fontconfig, which keeps a few patterns per font face
 * in caches that LeakSanitizer reports as leaked at exit (about 1 KB, bounded: the same for
 * one drawing or a thousand). They are not ours to free, so sanitizer builds ignore them. */
EIC_EXTERN const char *__lsan_default_suppressions(void);
EIC_EXTERN __attribute__((used)) const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
EIC_EXTERN const char *__lsan_default_options(void);
EIC_EXTERN __attribute__((used)) const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

void eic_sankey__set_font(cairo_t *cr, double size_pt, int bold)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	cairo_select_font_face(cr, EIC_SANKEY_FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size_pt);
}

double eic_sankey__text_width(cairo_t *cr, const char *text)
{
	cairo_text_extents_t ext;
	if (!text || !*text)
		return 0.0;
	cairo_text_extents(cr, text, &ext);
	return ext.x_advance > ext.width + ext.x_bearing ? ext.x_advance
	                                                 : ext.width + ext.x_bearing;
}

void eic_sankey__rgb(const char *hex, double *r, double *g, double *b)
{
	unsigned v = 0;
	*r = *g = *b = 0.0;
	if (!hex || hex[0] != '#' || strlen(hex) != 7 || sscanf(hex + 1, "%6x", &v) != 1)
		return;
	*r = ((v >> 16) & 0xff) / 255.0;
	*g = ((v >> 8) & 0xff) / 255.0;
	*b = (v & 0xff) / 255.0;
}

/* ---------------------------------------------------------------- building */

typedef struct {
	size_t source, target;
	const char *cls;
	const char *material; /* "" once a second material joins */
	double value;
	eic_vec flows; /* const char * (arena) */
	int is_return;
	size_t chain_off, chain_len; /* vnodes the link passes, in the work arrays */
} link_build;

typedef struct {
	eic_sankey *l;
	const eic_cluster *c;
	eic_vec nodes; /* eic_sankey_node */
	eic_map node_map;
	eic_vec links; /* link_build */
	eic_map link_map;
	eic_buf buf;
	cairo_surface_t *measure_surface;
	cairo_t *cr; /* for measuring text */
} build;

static const char *arena_printf(eic_arena *a, eic_buf *buf, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static const char *arena_printf(eic_arena *a, eic_buf *buf, const char *fmt, ...)
{
	va_list ap;
	eic_buf_clear(buf);
	va_start(ap, fmt);
	int rc = eic_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	if (rc < 0 || buf->failed)
		return NULL;
	return eic_arena_strdup(a, buf->data);
}

static const char *boundary_name(eic_boundary_kind kind, int as_source)
{
	switch (kind) {
	case EIC_BOUNDARY_SUPPLY_MARKET:
		return "Supply market";
	case EIC_BOUNDARY_PRODUCT_MARKET:
		return as_source ? "Product market (returns)" : "Product market";
	case EIC_BOUNDARY_LANDFILL:
		return as_source ? "Landfill (mined)" : "Landfill";
	case EIC_BOUNDARY_OPEN_DUMPING:
		return as_source ? "Open dumps (recovered)" : "Open dumping";
	case EIC_BOUNDARY_OPEN_BURNING:
		return "Open burning";
	case EIC_BOUNDARY_WATER_BODY:
		return as_source ? "Water body (intake)" : "Water body";
	case EIC_BOUNDARY_ATMOSPHERE:
		return as_source ? "Atmosphere (intake)" : "Atmosphere";
	case EIC_BOUNDARY_STOCK:
		return as_source ? "Stock (withdrawal)" : "Stock (addition)";
	default:
		return "Boundary";
	}
}

/* Index of the node for a resolved flow end, created on first use. `as_source` tells a
 * boundary used as the origin of a flow (left column) from one used as a destination. */
static int node_of(size_t *out, build *b, const eic_node *n, int as_source)
{
	eic_sankey *l = b->l;
	const char *key;
	size_t idx;
	if (n->kind == EIC_NODE_BOUNDARY)
		key = arena_printf(&l->arena, &b->buf, "boundary:%s%s",
		                   eic_boundary_kind_name(n->boundary), as_source ? ":in" : "");
	else
		key = eic_arena_strdup(&l->arena, n->id ? n->id : "");
	if (!key)
		return EIC_ENOMEM;
	if (eic_map_get(&b->node_map, key, &idx)) {
		*out = idx;
		return 0;
	}
	eic_sankey_node node;
	memset(&node, 0, sizeof(node));
	node.id = key;
	node.label = node.value_label = "";
	if (n->kind == EIC_NODE_BOUNDARY) {
		node.boundary = n->boundary;
		node.name = boundary_name(n->boundary, as_source);
		if (n->boundary == EIC_BOUNDARY_STOCK)
			node.kind = EIC_SANKEY_NODE_STOCK;
		else if (as_source)
			node.kind = EIC_SANKEY_NODE_SOURCE;
		else if (n->boundary == EIC_BOUNDARY_PRODUCT_MARKET ||
		         n->boundary == EIC_BOUNDARY_SUPPLY_MARKET)
			node.kind = EIC_SANKEY_NODE_PRODUCT;
		else
			node.kind = EIC_SANKEY_NODE_LOSS;
	} else if (n->kind == EIC_NODE_PROCESS) {
		const eic_process *p = eic_cluster_find_process(b->c, n->id);
		node.kind = EIC_SANKEY_NODE_PROCESS;
		node.name =
		    eic_arena_strdup(&l->arena, p && !eic_str_empty(p->name) ? p->name : n->id);
	} else {
		const eic_actor *a = eic_cluster_find_actor(b->c, n->id);
		node.kind = EIC_SANKEY_NODE_ACTOR;
		node.name =
		    eic_arena_strdup(&l->arena, a && !eic_str_empty(a->name) ? a->name : n->id);
	}
	if (!node.name)
		return EIC_ENOMEM;
	idx = b->nodes.len;
	if (!eic_vec_push(&b->nodes, &node) || eic_map_put(&b->node_map, key, idx) < 0)
		return EIC_ENOMEM;
	*out = idx;
	return 0;
}

/* Material class: the first segment of the category path, lower case, or "other". */
static const char *class_of(build *b, const char *material)
{
	const eic_material *m = material ? eic_cluster_find_material(b->c, material) : NULL;
	if (!m || eic_str_empty(m->category))
		return "other";
	size_t len = strcspn(m->category, "/");
	if (len == 0)
		return "other";
	char *cls = eic_arena_strndup(&b->l->arena, m->category, len);
	if (!cls)
		return NULL;
	for (char *p = cls; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (size_t i = 0; i < sizeof(class_aliases) / sizeof(class_aliases[0]); i++)
		if (strcmp(cls, class_aliases[i].name) == 0)
			return class_aliases[i].colour;
	return cls;
}

static const char *material_name(const eic_cluster *c, const char *id)
{
	const eic_material *m = id ? eic_cluster_find_material(c, id) : NULL;
	if (m && !eic_str_empty(m->name))
		return m->name;
	return id ? id : "";
}

static int add_omitted(build *b, const eic_flow *f, const char *reason)
{
	eic_sankey_omitted o;
	o.flow = eic_arena_strdup(&b->l->arena, f->id ? f->id : "");
	o.material = eic_arena_strdup(&b->l->arena, f->material ? f->material : "");
	o.reason = eic_arena_strdup(&b->l->arena, reason);
	if (!o.flow || !o.material || !o.reason || !eic_vec_push(&b->l->omitted, &o))
		return EIC_ENOMEM;
	return 0;
}

/* Turn the flows of the period into nodes and links (flows with the same ends and class are
 * summed into one link). O(flows) expected. */
static int collect(build *b, const char *period, const char *unit)
{
	eic_sankey *l = b->l;
	size_t flow_count = eic_cluster_flow_count(b->c);
	int error = 0;
	for (size_t i = 0; i < flow_count; i++) {
		const eic_flow *f = eic_cluster_flow(b->c, i);
		eic_node from, to;
		double amount = 0.0;
		const char *via = NULL;
		size_t s, t, idx;

		if (period && !eic_streq(f->period, period))
			continue;
		if (!f->from || !f->to || eic_cluster_resolve_node(&from, b->c, f->from) < 0 ||
		    eic_cluster_resolve_node(&to, b->c, f->to) < 0) {
			if ((error = add_omitted(b, f, "unknown node")) < 0)
				return error;
			continue;
		}
		int rc = eic_flow_amount(&amount, &via, b->c, f, unit);
		if (rc == EIC_ENOMEM)
			return rc;
		if (rc < 0 || !isfinite(amount)) {
			const char *reason =
			    arena_printf(&l->arena, &b->buf, "not convertible to %s", unit);
			if (!reason || (error = add_omitted(b, f, reason)) < 0)
				return EIC_ENOMEM;
			continue;
		}
		if (!(amount > 0.0)) {
			if ((error = add_omitted(
			         b, f, amount < 0.0 ? "negative quantity" : "zero quantity")) < 0)
				return error;
			continue;
		}
		if ((error = node_of(&s, b, &from, 1)) < 0 || (error = node_of(&t, b, &to, 0)) < 0)
			return error;
		if (s == t) {
			if ((error = add_omitted(b, f, "same node at both ends")) < 0)
				return error;
			continue;
		}
		const char *cls = class_of(b, f->material);
		if (!cls)
			return EIC_ENOMEM;
		const char *key = arena_printf(&l->arena, &b->buf, "%zu\x1f%zu\x1f%s", s, t, cls);
		if (!key)
			return EIC_ENOMEM;
		const char *flow_id = eic_arena_strdup(&l->arena, f->id ? f->id : "");
		if (!flow_id)
			return EIC_ENOMEM;
		if (!eic_map_get(&b->link_map, key, &idx)) {
			link_build lb;
			memset(&lb, 0, sizeof(lb));
			lb.source = s;
			lb.target = t;
			lb.cls = cls;
			lb.material = eic_arena_strdup(&l->arena, f->material ? f->material : "");
			eic_vec_init(&lb.flows, sizeof(const char *));
			idx = b->links.len;
			if (!lb.material || !eic_vec_push(&b->links, &lb) ||
			    eic_map_put(&b->link_map, key, idx) < 0)
				return EIC_ENOMEM;
		}
		link_build *lb = EIC_VEC_AT(&b->links, link_build, idx);
		lb->value += amount;
		if (!eic_streq(lb->material, f->material))
			lb->material = "";
		if (!eic_vec_push(&lb->flows, &flow_id))
			return EIC_ENOMEM;
		eic_sankey_node *sn = EIC_VEC_AT(&b->nodes, eic_sankey_node, s);
		eic_sankey_node *tn = EIC_VEC_AT(&b->nodes, eic_sankey_node, t);
		sn->value_out += amount;
		tn->value_in += amount;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The legend classes: the classes used, sorted by name ("other" last), with fixed colours
 * for known classes and spare colours for the rest. */
static int make_classes(build *b)
{
	size_t n = b->links.len;
	const char **names = n ? eic_calloc(n, sizeof(*names)) : NULL;
	size_t count = 0;
	int error = 0;
	if (n && !names)
		return EIC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *cls = EIC_VEC_AT(&b->links, link_build, i)->cls;
		size_t j;
		for (j = 0; j < count && strcmp(names[j], cls) != 0; j++)
			;
		if (j == count)
			names[count++] = cls;
	}
	if (count)
		qsort(names, count, sizeof(*names), cmp_str);
	/* "other" last */
	for (size_t i = 0; i + 1 < count; i++) {
		if (strcmp(names[i], "other") == 0) {
			memmove(&names[i], &names[i + 1], (count - i - 1) * sizeof(*names));
			names[count - 1] = "other";
			break;
		}
	}
	size_t spare = 0;
	for (size_t i = 0; i < count; i++) {
		eic_sankey_class c = {names[i], NULL};
		for (size_t k = 0; k < sizeof(known_classes) / sizeof(known_classes[0]); k++)
			if (strcmp(known_classes[k].name, names[i]) == 0)
				c.colour = known_classes[k].colour;
		if (!c.colour) {
			c.colour = spare_colours[spare % (sizeof(spare_colours) /
			                                  sizeof(spare_colours[0]))];
			spare++;
		}
		if (!eic_vec_push(&b->l->classes, &c)) {
			error = EIC_ENOMEM;
			break;
		}
	}
	eic_free(names);
	return error;
}

static const char *colour_of_class(const eic_sankey *l, const char *cls)
{
	for (size_t i = 0; i < l->classes.len; i++) {
		const eic_sankey_class *c = EIC_VEC_AT(&l->classes, eic_sankey_class, i);
		if (strcmp(c->name, cls) == 0)
			return c->colour;
	}
	return "#b0b0b0";
}

/* ---------------------------------------------------------------- cycles and layers */

static int is_sink(const eic_sankey_node *n)
{
	return (n->kind == EIC_SANKEY_NODE_PRODUCT || n->kind == EIC_SANKEY_NODE_LOSS ||
	        n->kind == EIC_SANKEY_NODE_STOCK) &&
	       strstr(n->id, ":in") == NULL;
}

static int is_left_source(const eic_sankey_node *n)
{
	return n->kind == EIC_SANKEY_NODE_SOURCE ||
	       (n->kind == EIC_SANKEY_NODE_STOCK && strstr(n->id, ":in") != NULL);
}

typedef struct {
	size_t link;
	double value;
} adj_entry;

static int cmp_adj(const void *a, const void *b)
{
	const adj_entry *x = a, *y = b;
	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->link < y->link ? -1 : x->link > y->link;
}

/*
 * Break the cycles: a depth-first search from the boundary sources (then from every node
 * not reached, in order of appearance) follows the heaviest links first; a link to a node
 * still on the search stack closes a cycle and becomes a return link. Every cycle has such
 * a link, so the other links form an acyclic graph (the reversed links are a feedback arc
 * set; heaviest-first makes the returns tend to be the light links). Iterative,
 * O(nodes + links log links).
 */
static int break_cycles(build *b, size_t **out_adj_off, adj_entry **out_adj)
{
	size_t n = b->nodes.len, m = b->links.len;
	size_t *off = eic_calloc(n + 1, sizeof(*off));
	adj_entry *adj = eic_calloc(m ? m : 1, sizeof(*adj));
	unsigned char *state = eic_calloc(n ? n : 1, 1); /* 0 new, 1 on stack, 2 done */
	size_t *stack = eic_calloc(n ? n : 1, sizeof(*stack));
	size_t *next = eic_calloc(n ? n : 1, sizeof(*next));
	int error = 0;
	if (!off || !adj || !state || !stack || !next) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < m; i++)
		off[EIC_VEC_AT(&b->links, link_build, i)->source + 1]++;
	for (size_t i = 0; i < n; i++)
		off[i + 1] += off[i];
	{
		size_t *fill = next; /* reuse as a cursor, reset below */
		for (size_t i = 0; i < n; i++)
			fill[i] = off[i];
		for (size_t i = 0; i < m; i++) {
			link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
			adj[fill[lb->source]].link = i;
			adj[fill[lb->source]].value = lb->value;
			fill[lb->source]++;
		}
	}
	for (size_t i = 0; i < n; i++)
		qsort(adj + off[i], off[i + 1] - off[i], sizeof(*adj), cmp_adj);
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t root = 0; root < n; root++) {
			eic_sankey_node *rn = EIC_VEC_AT(&b->nodes, eic_sankey_node, root);
			if (state[root] || (pass == 0 && !is_left_source(rn)))
				continue;
			size_t depth = 0;
			stack[depth++] = root;
			state[root] = 1;
			next[root] = off[root];
			while (depth) {
				size_t u = stack[depth - 1];
				if (next[u] == off[u + 1]) {
					state[u] = 2;
					depth--;
					continue;
				}
				size_t li = adj[next[u]++].link;
				link_build *lb = EIC_VEC_AT(&b->links, link_build, li);
				size_t v = lb->target;
				if (state[v] == 1) {
					lb->is_return = 1;
				} else if (state[v] == 0) {
					state[v] = 1;
					next[v] = off[v];
					stack[depth++] = v;
				}
			}
		}
	}
	*out_adj_off = off;
	*out_adj = adj;
	off = NULL;
	adj = NULL;
done:
	eic_free(off);
	eic_free(adj);
	eic_free(state);
	eic_free(stack);
	eic_free(next);
	return error;
}

/*
 * Longest-path layering of the acyclic forward links (Kahn's topological order): boundary
 * sources in column 0, every other node one column right of its furthest predecessor (at
 * least column 1 when there are sources), the sinks (markets, losses, stock) all in the last
 * column. Returns the number of columns. O(nodes + links).
 */
static int assign_layers(build *b, size_t *out_layers)
{
	size_t n = b->nodes.len, m = b->links.len;
	size_t *indeg = eic_calloc(n ? n : 1, sizeof(*indeg));
	size_t *queue = eic_calloc(n ? n : 1, sizeof(*queue));
	size_t *off = eic_calloc(n + 1, sizeof(*off));
	size_t *out_links = eic_calloc(m ? m : 1, sizeof(*out_links));
	int error = 0;
	if (!indeg || !queue || !off || !out_links) {
		error = EIC_ENOMEM;
		goto done;
	}
	int has_sources = 0;
	for (size_t i = 0; i < n; i++) {
		eic_sankey_node *node = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		if (is_left_source(node))
			has_sources = 1;
	}
	for (size_t i = 0; i < m; i++) {
		link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		if (lb->is_return)
			continue;
		indeg[lb->target]++;
		off[lb->source + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		off[i + 1] += off[i];
	{
		size_t *fill = queue;
		for (size_t i = 0; i < n; i++)
			fill[i] = off[i];
		for (size_t i = 0; i < m; i++) {
			link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
			if (!lb->is_return)
				out_links[fill[lb->source]++] = i;
		}
	}
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < n; i++) {
		eic_sankey_node *node = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		node->layer = is_left_source(node) ? 0 : (has_sources ? 1 : 0);
		if (indeg[i] == 0)
			queue[tail++] = i;
	}
	size_t max_inner = 0;
	while (head < tail) {
		size_t u = queue[head++];
		eic_sankey_node *un = EIC_VEC_AT(&b->nodes, eic_sankey_node, u);
		if (!is_sink(un) && !is_left_source(un) && un->layer > max_inner)
			max_inner = un->layer;
		for (size_t k = off[u]; k < off[u + 1]; k++) {
			link_build *lb = EIC_VEC_AT(&b->links, link_build, out_links[k]);
			eic_sankey_node *vn = EIC_VEC_AT(&b->nodes, eic_sankey_node, lb->target);
			if (vn->layer < un->layer + 1)
				vn->layer = un->layer + 1;
			if (--indeg[lb->target] == 0)
				queue[tail++] = lb->target;
		}
	}
	/* Without internal nodes (boundary to boundary only) the sinks go one right of the
	 * sources. */
	size_t sink_layer = max_inner + 1;
	int any_inner = 0;
	for (size_t i = 0; i < n; i++) {
		eic_sankey_node *node = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		if (!is_sink(node) && !is_left_source(node))
			any_inner = 1;
	}
	if (!any_inner)
		sink_layer = 1;
	for (size_t i = 0; i < n; i++) {
		eic_sankey_node *node = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		if (is_sink(node))
			node->layer = sink_layer;
	}
	*out_layers = sink_layer + 1;
done:
	eic_free(indeg);
	eic_free(queue);
	eic_free(off);
	eic_free(out_links);
	return error;
}

/* ---------------------------------------------------------------- work graph */

typedef struct {
	size_t layer;
	size_t node; /* real node index, NONE for a dummy */
	size_t link; /* the link a dummy belongs to */
	size_t idx;  /* position in its column */
	double y, h;
	double key; /* sort key while ordering */
	size_t in_off, in_n, out_off, out_n;
} vnode;

typedef struct {
	size_t from, to, link;
} seg;

typedef struct {
	vnode *v;
	size_t vcount;
	seg *s;
	size_t scount;
	size_t *in_list, *out_list; /* segment indices grouped per vnode */
	size_t layer_count;
	size_t *layer_off; /* columns: ord[layer_off[l] .. layer_off[l+1]) */
	size_t *ord;       /* vnode indices sorted by (layer, idx) */
	size_t *chain;     /* per link: the vnodes it passes (see link_build.chain_off) */
	double *seg_out_off, *seg_in_off;
	double *width;              /* per link */
	double *node_in, *node_out; /* per real node: sum of link widths in and out */
} work;

static void work_free(work *w)
{
	eic_free(w->v);
	eic_free(w->s);
	eic_free(w->in_list);
	eic_free(w->out_list);
	eic_free(w->layer_off);
	eic_free(w->ord);
	eic_free(w->chain);
	eic_free(w->seg_out_off);
	eic_free(w->seg_in_off);
	eic_free(w->width);
	eic_free(w->node_in);
	eic_free(w->node_out);
}

/* Real nodes become vnodes 0..n-1; each forward link spanning k > 1 columns gets k - 1 dummy
 * vnodes (Sugiyama et al. 1981) so that it is routed around the nodes it passes. Returns 0,
 * 1 when the graph would exceed MAX_VNODES (too large to draw), or EIC_ENOMEM. */
static int work_build(work *w, build *b, size_t layer_count)
{
	size_t n = b->nodes.len, m = b->links.len;
	size_t vcount = n, scount = 0, chain_len = 0;
	for (size_t i = 0; i < m; i++) {
		link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		if (lb->is_return)
			continue;
		size_t ls = EIC_VEC_AT(&b->nodes, eic_sankey_node, lb->source)->layer;
		size_t lt = EIC_VEC_AT(&b->nodes, eic_sankey_node, lb->target)->layer;
		size_t span = lt > ls ? lt - ls : 1;
		vcount += span - 1;
		scount += span;
		chain_len += span + 1;
		if (vcount > MAX_VNODES)
			return 1;
	}
	w->layer_count = layer_count;
	w->v = eic_calloc(vcount ? vcount : 1, sizeof(*w->v));
	w->s = eic_calloc(scount ? scount : 1, sizeof(*w->s));
	w->in_list = eic_calloc(scount ? scount : 1, sizeof(size_t));
	w->out_list = eic_calloc(scount ? scount : 1, sizeof(size_t));
	w->layer_off = eic_calloc(layer_count + 1, sizeof(size_t));
	w->ord = eic_calloc(vcount ? vcount : 1, sizeof(size_t));
	w->chain = eic_calloc(chain_len ? chain_len : 1, sizeof(size_t));
	w->seg_out_off = eic_calloc(scount ? scount : 1, sizeof(double));
	w->seg_in_off = eic_calloc(scount ? scount : 1, sizeof(double));
	w->width = eic_calloc(m ? m : 1, sizeof(double));
	w->node_in = eic_calloc(n ? n : 1, sizeof(double));
	w->node_out = eic_calloc(n ? n : 1, sizeof(double));
	if (!w->node_in || !w->node_out || !w->v || !w->s || !w->in_list || !w->out_list ||
	    !w->layer_off || !w->ord || !w->chain || !w->seg_out_off || !w->seg_in_off || !w->width)
		return EIC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const eic_sankey_node *node = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		w->v[i].node = i;
		w->v[i].link = NONE;
		w->v[i].layer = node->layer;
	}
	size_t vi = n, si = 0, ci = 0;
	for (size_t i = 0; i < m; i++) {
		link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		if (lb->is_return)
			continue;
		size_t ls = w->v[lb->source].layer, lt = w->v[lb->target].layer;
		size_t span = lt > ls ? lt - ls : 1;
		lb->chain_off = ci;
		lb->chain_len = span + 1;
		w->chain[ci++] = lb->source;
		for (size_t k = 1; k < span; k++) {
			w->v[vi].node = NONE;
			w->v[vi].link = i;
			w->v[vi].layer = ls + k;
			w->chain[ci++] = vi++;
		}
		w->chain[ci++] = lb->target;
		for (size_t k = 0; k < span; k++) {
			w->s[si].from = w->chain[lb->chain_off + k];
			w->s[si].to = w->chain[lb->chain_off + k + 1];
			w->s[si].link = i;
			w->v[w->s[si].from].out_n++;
			w->v[w->s[si].to].in_n++;
			si++;
		}
	}
	w->vcount = vi;
	w->scount = si;
	size_t in_acc = 0, out_acc = 0;
	for (size_t i = 0; i < w->vcount; i++) {
		w->v[i].in_off = in_acc;
		w->v[i].out_off = out_acc;
		in_acc += w->v[i].in_n;
		out_acc += w->v[i].out_n;
		w->v[i].in_n = w->v[i].out_n = 0;
	}
	for (size_t k = 0; k < w->scount; k++) {
		vnode *f = &w->v[w->s[k].from], *t = &w->v[w->s[k].to];
		w->out_list[f->out_off + f->out_n++] = k;
		w->in_list[t->in_off + t->in_n++] = k;
	}
	/* Columns in initial order: real nodes in order of appearance, then dummies. */
	for (size_t i = 0; i < w->vcount; i++)
		w->layer_off[w->v[i].layer + 1]++;
	for (size_t l = 0; l < layer_count; l++)
		w->layer_off[l + 1] += w->layer_off[l];
	size_t *fill = eic_calloc(layer_count ? layer_count : 1, sizeof(size_t));
	if (!fill)
		return EIC_ENOMEM;
	for (size_t i = 0; i < w->vcount; i++) {
		size_t l = w->v[i].layer;
		w->v[i].idx = fill[l];
		w->ord[w->layer_off[l] + fill[l]++] = i;
	}
	eic_free(fill);
	return 0;
}

/* ---------------------------------------------------------------- ordering */

typedef struct {
	double key;
	size_t idx;
	size_t v;
} sort_item;

static int cmp_sort_item(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Reorder column l by the weighted barycentre of each vnode's neighbours in the column on
 * the left (down = 1) or on the right; a vnode without such neighbours keeps its place. */
static void sweep_layer(work *w, size_t l, int down, sort_item *tmp)
{
	size_t a = w->layer_off[l], z = w->layer_off[l + 1];
	for (size_t k = a; k < z; k++) {
		vnode *v = &w->v[w->ord[k]];
		double sum = 0.0, wsum = 0.0;
		size_t off = down ? v->in_off : v->out_off, cnt = down ? v->in_n : v->out_n;
		for (size_t j = 0; j < cnt; j++) {
			seg *s = &w->s[down ? w->in_list[off + j] : w->out_list[off + j]];
			vnode *o = &w->v[down ? s->from : s->to];
			double wt = w->width[s->link] > 0.0 ? w->width[s->link] : 1.0;
			sum += wt * (double)o->idx;
			wsum += wt;
		}
		tmp[k - a].key = wsum > 0.0 ? sum / wsum : (double)v->idx;
		tmp[k - a].idx = v->idx;
		tmp[k - a].v = w->ord[k];
	}
	qsort(tmp, z - a, sizeof(*tmp), cmp_sort_item);
	for (size_t k = a; k < z; k++) {
		w->ord[k] = tmp[k - a].v;
		w->v[w->ord[k]].idx = k - a;
	}
}

/* Crossings between the segments of columns l and l + 1: pairs whose ends are in opposite
 * orders. O(s^2) in the segments between the two columns. */
static size_t crossings_between(const work *w, size_t l)
{
	size_t count = 0;
	for (size_t ka = w->layer_off[l]; ka < w->layer_off[l + 1]; ka++) {
		const vnode *va = &w->v[w->ord[ka]];
		for (size_t i = 0; i < va->out_n; i++) {
			const seg *s1 = &w->s[w->out_list[va->out_off + i]];
			size_t t1 = w->v[s1->to].idx;
			for (size_t kb = ka + 1; kb < w->layer_off[l + 1]; kb++) {
				const vnode *vb = &w->v[w->ord[kb]];
				for (size_t j = 0; j < vb->out_n; j++) {
					const seg *s2 = &w->s[w->out_list[vb->out_off + j]];
					if (w->v[s2->to].idx < t1)
						count++;
				}
			}
		}
	}
	return count;
}

static size_t crossings_total(const work *w)
{
	size_t total = 0;
	for (size_t l = 0; l + 1 < w->layer_count; l++)
		total += crossings_between(w, l);
	return total;
}

/* Barycentre heuristic (Sugiyama et al. 1981): alternate sweeps left to right and right to
 * left, keeping the order with the fewest crossings seen. */
static int order_layers(work *w, size_t *out_crossings)
{
	sort_item *tmp = eic_calloc(w->vcount ? w->vcount : 1, sizeof(*tmp));
	size_t *best = eic_calloc(w->vcount ? w->vcount : 1, sizeof(*best));
	if (!tmp || !best) {
		eic_free(tmp);
		eic_free(best);
		return EIC_ENOMEM;
	}
	size_t best_cross = crossings_total(w);
	memcpy(best, w->ord, w->vcount * sizeof(*best));
	size_t rounds = w->scount > 4000 ? 2 : ORDER_ROUNDS;
	for (size_t r = 0; r < rounds && best_cross > 0; r++) {
		for (size_t l = 1; l < w->layer_count; l++)
			sweep_layer(w, l, 1, tmp);
		size_t c = crossings_total(w);
		if (c < best_cross) {
			best_cross = c;
			memcpy(best, w->ord, w->vcount * sizeof(*best));
		}
		for (size_t l = w->layer_count - 1; l-- > 0;)
			sweep_layer(w, l, 0, tmp);
		c = crossings_total(w);
		if (c < best_cross) {
			best_cross = c;
			memcpy(best, w->ord, w->vcount * sizeof(*best));
		}
	}
	memcpy(w->ord, best, w->vcount * sizeof(*best));
	for (size_t l = 0; l < w->layer_count; l++)
		for (size_t k = w->layer_off[l]; k < w->layer_off[l + 1]; k++)
			w->v[w->ord[k]].idx = k - w->layer_off[l];
	*out_crossings = best_cross;
	eic_free(tmp);
	eic_free(best);
	return 0;
}

/* ---------------------------------------------------------------- placement */

/* Geometry shared by the placement steps. */
typedef struct {
	double top, bottom; /* node area; the return lanes lie below `bottom` */
	double avail;       /* height for nodes and lanes */
	double node_gap;
	const double *column_x; /* left edge of each column's nodes */
} frame;

static double link_width_of(double value, double scale)
{
	double wd = value * scale;
	return wd < EIC_SANKEY_MIN_WIDTH ? EIC_SANKEY_MIN_WIDTH : wd;
}

/* Link widths, real node heights (the larger of the widths in and out, returns included)
 * and dummy heights for a scale in points per unit. */
static void set_heights(work *w, build *b, double scale)
{
	size_t n = b->nodes.len;
	for (size_t i = 0; i < n; i++)
		w->node_in[i] = w->node_out[i] = 0.0;
	for (size_t i = 0; i < b->links.len; i++) {
		link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		w->width[i] = link_width_of(lb->value, scale);
		w->node_out[lb->source] += w->width[i];
		w->node_in[lb->target] += w->width[i];
	}
	for (size_t i = 0; i < w->vcount; i++) {
		vnode *v = &w->v[i];
		if (v->node == NONE) {
			v->h = w->width[v->link];
		} else {
			double h = w->node_in[i] > w->node_out[i] ? w->node_in[i] : w->node_out[i];
			v->h = h < EIC_SANKEY_MIN_WIDTH ? EIC_SANKEY_MIN_WIDTH : h;
		}
	}
}

static double gap_between(const work *w, size_t a, size_t b, double node_gap)
{
	return w->v[a].node != NONE && w->v[b].node != NONE ? node_gap : DUMMY_GAP_PT;
}

static double lanes_height(const work *w, build *b)
{
	double h = 0.0;
	int any = 0;
	for (size_t i = 0; i < b->links.len; i++) {
		if (EIC_VEC_AT(&b->links, link_build, i)->is_return) {
			h += w->width[i] + LANE_GAP_PT;
			any = 1;
		}
	}
	return any ? h + 2.0 * LANE_GAP_PT : 0.0;
}

/* Height the tallest column needs, plus the return lanes, at a scale. */
static double needed_height(work *w, build *b, double scale, double node_gap)
{
	set_heights(w, b, scale);
	double worst = 0.0;
	for (size_t l = 0; l < w->layer_count; l++) {
		double h = 0.0;
		for (size_t k = w->layer_off[l]; k < w->layer_off[l + 1]; k++) {
			h += w->v[w->ord[k]].h;
			if (k > w->layer_off[l])
				h += gap_between(w, w->ord[k - 1], w->ord[k], node_gap);
		}
		if (h > worst)
			worst = h;
	}
	return worst + lanes_height(w, b);
}

/*
 * The scale: the largest number of points per unit at which every column and the return
 * lanes fit the available height. Column height grows monotonically with the scale, so a
 * bisection finds it (60 halvings: relative precision far below a pixel). When even the gaps
 * and minimum widths do not fit, the gaps shrink and, as a last resort, the page grows.
 */
static double find_scale(work *w, build *b, frame *fr, double *page_height)
{
	while (needed_height(w, b, 0.0, fr->node_gap) > fr->avail && fr->node_gap > 2.0)
		fr->node_gap *= 0.6;
	double base = needed_height(w, b, 0.0, fr->node_gap);
	if (base > fr->avail) {
		double extra = base - fr->avail + 20.0;
		*page_height += extra;
		fr->avail += extra;
		fr->bottom += extra;
	}
	double hi = INFINITY;
	for (size_t l = 0; l < w->layer_count; l++) {
		double sum = 0.0;
		for (size_t k = w->layer_off[l]; k < w->layer_off[l + 1]; k++) {
			const vnode *v = &w->v[w->ord[k]];
			if (v->node == NONE)
				sum += EIC_VEC_AT(&b->links, link_build, v->link)->value;
			else {
				const eic_sankey_node *node =
				    EIC_VEC_AT(&b->nodes, eic_sankey_node, v->node);
				sum += node->value_in > node->value_out ? node->value_in
				                                        : node->value_out;
			}
		}
		if (sum > 0.0 && fr->avail / sum < hi)
			hi = fr->avail / sum;
	}
	if (!isfinite(hi))
		hi = 1.0;
	double lo = 0.0;
	if (needed_height(w, b, hi, fr->node_gap) <= fr->avail)
		lo = hi;
	else
		for (int i = 0; i < 60; i++) {
			double mid = 0.5 * (lo + hi);
			if (needed_height(w, b, mid, fr->node_gap) <= fr->avail)
				lo = mid;
			else
				hi = mid;
		}
	set_heights(w, b, lo);
	return lo;
}

/* Push the vnodes of column l apart (keeping their order) so that none overlaps the next,
 * within [top, bottom]: a pass down from the top, then a pass up from the bottom. */
static void resolve_column(work *w, size_t l, double top, double bottom, double node_gap)
{
	size_t a = w->layer_off[l], z = w->layer_off[l + 1];
	if (a == z)
		return;
	double y = top;
	for (size_t k = a; k < z; k++) {
		vnode *v = &w->v[w->ord[k]];
		if (k > a)
			y += gap_between(w, w->ord[k - 1], w->ord[k], node_gap);
		if (v->y < y)
			v->y = y;
		y = v->y + v->h;
	}
	double limit = bottom;
	for (size_t k = z; k-- > a;) {
		vnode *v = &w->v[w->ord[k]];
		if (v->y + v->h > limit)
			v->y = limit - v->h;
		if (k > a)
			limit = v->y - gap_between(w, w->ord[k - 1], w->ord[k], node_gap);
	}
	if (w->v[w->ord[a]].y < top) { /* cannot happen when the scale fits; stay on the page */
		double shift = top - w->v[w->ord[a]].y;
		for (size_t k = a; k < z; k++)
			w->v[w->ord[k]].y += shift;
	}
}

/* Stack offsets of the forward segments at each vnode: outgoing ones sorted by the height
 * of the vnode they go to, incoming ones by the height they come from, so that the bands
 * leaving or entering a node do not cross there. */
static void compute_offsets(work *w)
{
	for (size_t i = 0; i < w->vcount; i++) {
		vnode *v = &w->v[i];
		size_t *list = w->out_list + v->out_off;
		for (size_t p = 1; p < v->out_n; p++) {
			size_t cur = list[p];
			const vnode *cv = &w->v[w->s[cur].to];
			double key = cv->y + 0.5 * cv->h;
			size_t q = p;
			while (q > 0) {
				const vnode *pv = &w->v[w->s[list[q - 1]].to];
				double pk = pv->y + 0.5 * pv->h;
				if (pk < key ||
				    (pk == key && w->s[list[q - 1]].link < w->s[cur].link))
					break;
				list[q] = list[q - 1];
				q--;
			}
			list[q] = cur;
		}
		double acc = 0.0;
		for (size_t p = 0; p < v->out_n; p++) {
			w->seg_out_off[list[p]] = acc;
			acc += w->width[w->s[list[p]].link];
		}
		list = w->in_list + v->in_off;
		for (size_t p = 1; p < v->in_n; p++) {
			size_t cur = list[p];
			const vnode *cv = &w->v[w->s[cur].from];
			double key = cv->y + 0.5 * cv->h;
			size_t q = p;
			while (q > 0) {
				const vnode *pv = &w->v[w->s[list[q - 1]].from];
				double pk = pv->y + 0.5 * pv->h;
				if (pk < key ||
				    (pk == key && w->s[list[q - 1]].link < w->s[cur].link))
					break;
				list[q] = list[q - 1];
				q--;
			}
			list[q] = cur;
		}
		acc = 0.0;
		for (size_t p = 0; p < v->in_n; p++) {
			w->seg_in_off[list[p]] = acc;
			acc += w->width[w->s[list[p]].link];
		}
	}
}

/*
 * Vertical placement: columns stacked and centred, then relaxed: each vnode moves towards
 * the height at which its bands would run level with the neighbours' (weighted by width),
 * sweeping left to right using the incoming segments and right to left using the outgoing
 * ones, with overlaps removed after each column (the iteration of d3-sankey, Bostock 2012,
 * after the priority method of Sugiyama et al. 1981). Order in a column never changes.
 */
static void place_vertical(work *w, const frame *fr)
{
	for (size_t l = 0; l < w->layer_count; l++) {
		size_t a = w->layer_off[l], z = w->layer_off[l + 1];
		double used = 0.0;
		for (size_t k = a; k < z; k++) {
			used += w->v[w->ord[k]].h;
			if (k > a)
				used += gap_between(w, w->ord[k - 1], w->ord[k], fr->node_gap);
		}
		double y = fr->top + 0.5 * (fr->bottom - fr->top - used);
		if (y < fr->top)
			y = fr->top;
		for (size_t k = a; k < z; k++) {
			if (k > a)
				y += gap_between(w, w->ord[k - 1], w->ord[k], fr->node_gap);
			w->v[w->ord[k]].y = y;
			y += w->v[w->ord[k]].h;
		}
	}
	for (int round = 0; round < RELAX_ROUNDS; round++) {
		double alpha = 0.6 * pow(0.97, round);
		compute_offsets(w);
		for (size_t l = 1; l < w->layer_count; l++) {
			for (size_t k = w->layer_off[l]; k < w->layer_off[l + 1]; k++) {
				vnode *v = &w->v[w->ord[k]];
				double sum = 0.0, wsum = 0.0;
				for (size_t j = 0; j < v->in_n; j++) {
					size_t si = w->in_list[v->in_off + j];
					double wt = w->width[w->s[si].link];
					double target = w->v[w->s[si].from].y + w->seg_out_off[si] -
					                w->seg_in_off[si];
					sum += wt * target;
					wsum += wt;
				}
				if (wsum > 0.0)
					v->y += alpha * (sum / wsum - v->y);
			}
			resolve_column(w, l, fr->top, fr->bottom, fr->node_gap);
		}
		compute_offsets(w);
		for (size_t l = w->layer_count - 1; l-- > 0;) {
			for (size_t k = w->layer_off[l]; k < w->layer_off[l + 1]; k++) {
				vnode *v = &w->v[w->ord[k]];
				double sum = 0.0, wsum = 0.0;
				for (size_t j = 0; j < v->out_n; j++) {
					size_t si = w->out_list[v->out_off + j];
					double wt = w->width[w->s[si].link];
					double target = w->v[w->s[si].to].y + w->seg_in_off[si] -
					                w->seg_out_off[si];
					sum += wt * target;
					wsum += wt;
				}
				if (wsum > 0.0)
					v->y += alpha * (sum / wsum - v->y);
			}
			resolve_column(w, l, fr->top, fr->bottom, fr->node_gap);
		}
	}
	compute_offsets(w);
}

/* ---------------------------------------------------------------- labels */

/* `text` shortened to fit max_w at the current font: first without a trailing
 * parenthesis, then cut at a character boundary with an ellipsis. "" when nothing fits. */
static const char *fit_text(build *b, const char *text, double max_w)
{
	cairo_t *cr = b->cr;
	if (eic_sankey__text_width(cr, text) <= max_w)
		return text;
	size_t len = strlen(text);
	char *copy = eic_arena_strdup(&b->l->arena, text);
	if (!copy)
		return NULL;
	/* Drop a trailing " (...)" first: "Paddy farmers (aggregated)" -> "Paddy farmers". */
	if (len > 2 && copy[len - 1] == ')') {
		char *open = strrchr(copy, '(');
		if (open && open > copy) {
			char *end = open;
			while (end > copy && end[-1] == ' ')
				end--;
			if (end > copy) {
				*end = '\0';
				len = (size_t)(end - copy);
				if (eic_sankey__text_width(cr, copy) <= max_w)
					return copy;
			}
		}
	}
	char *buf = eic_arena_alloc(&b->l->arena, len + sizeof(ELLIPSIS));
	if (!buf)
		return NULL;
	while (len > 0) {
		len--;
		while (len > 0 && ((unsigned char)copy[len] & 0xC0) == 0x80)
			len--;
		size_t cut = len;
		while (cut > 0 && (copy[cut - 1] == ' ' || copy[cut - 1] == ',' ||
		                   copy[cut - 1] == '-' || copy[cut - 1] == ':'))
			cut--;
		if (cut == 0)
			break;
		memcpy(buf, copy, cut);
		memcpy(buf + cut, ELLIPSIS, sizeof(ELLIPSIS));
		if (eic_sankey__text_width(cr, buf) <= max_w)
			return buf;
	}
	return "";
}

/* `text` shortened in the middle to fit max_w: "Kokkolan Ener…Power". Used when shortening
 * at the end made two labels of a column alike. A trailing parenthesis is dropped first.
 * NULL on ENOMEM, "" when nothing fits. */
static const char *fit_middle(build *b, const char *text, double max_w)
{
	cairo_t *cr = b->cr;
	if (eic_sankey__text_width(cr, text) <= max_w)
		return text;
	char *copy = eic_arena_strdup(&b->l->arena, text);
	if (!copy)
		return NULL;
	size_t len = strlen(copy);
	char *open = strrchr(copy, '(');
	if (len > 2 && copy[len - 1] == ')' && open && open > copy) {
		while (open > copy && open[-1] == ' ')
			open--;
		if (open > copy) {
			*open = '\0';
			len = (size_t)(open - copy);
		}
	}
	char *buf = eic_arena_alloc(&b->l->arena, len + sizeof(ELLIPSIS));
	if (!buf)
		return NULL;
	size_t head = len / 2, tail = len - head; /* bytes kept at each end */
	while (head > 0 && tail > 0) {
		while (head > 0 && ((unsigned char)copy[head] & 0xC0) == 0x80)
			head--;
		while (tail > 0 && ((unsigned char)copy[len - tail] & 0xC0) == 0x80)
			tail--;
		memcpy(buf, copy, head);
		memcpy(buf + head, ELLIPSIS, sizeof(ELLIPSIS) - 1);
		memcpy(buf + head + sizeof(ELLIPSIS) - 1, copy + len - tail, tail);
		buf[head + sizeof(ELLIPSIS) - 1 + tail] = '\0';
		if (eic_sankey__text_width(cr, buf) <= max_w)
			return buf;
		if (head >= tail)
			head--;
		else
			tail--;
	}
	return "";
}

static void fmt_value(char *buf, size_t size, double v, const char *unit)
{
	char num[64];
	eic_report__fmt_sig(num, sizeof(num), v, 3);
	snprintf(buf, size, "%s %s", num, unit);
}

/* Label modes, from the roomiest to the most compact. */
enum { LABEL_WRAPPED = 0, LABEL_TWO_LINES, LABEL_ONE_LINE };

/* Split a name that is too wide into two lines at a space: the first line takes as many
 * words as fit, the second the rest (shortened if needed). NULL on ENOMEM, "" when the name
 * has no space to split at or the first word alone is too wide. */
static const char *wrap_name(build *b, const char *name, double max_w)
{
	size_t len = strlen(name);
	char *copy = eic_arena_strdup(&b->l->arena, name);
	if (!copy)
		return NULL;
	size_t best = 0;
	for (size_t i = 1; i < len; i++) {
		if (name[i] != ' ')
			continue;
		copy[i] = '\0';
		if (eic_sankey__text_width(b->cr, copy) <= max_w)
			best = i;
		copy[i] = ' ';
		if (best != i)
			break;
	}
	if (best == 0)
		return "";
	copy[best] = '\0';
	const char *rest = name + best;
	while (*rest == ' ')
		rest++;
	const char *second = fit_text(b, rest, max_w);
	if (!second)
		return NULL;
	if (!*second)
		return "";
	return arena_printf(&b->l->arena, &b->buf, "%s\n%s", copy, second);
}

/* The label text of a node in one of the modes within max_w: label (name lines, separated
 * by a newline when wrapped) and value_label, and label_w, label_h (label_w 0 when not even
 * an ellipsis fits). */
static int label_text(build *b, eic_sankey_node *node, int mode, double max_w, int middle)
{
	char value[96];
	double lh = b->l->label_pt * EIC_SANKEY_LINE;
	fmt_value(value, sizeof(value), node->value, b->l->unit);
	double vw = eic_sankey__text_width(b->cr, value);
	node->label_w = node->label_h = 0.0;
	node->label = node->value_label = "";
	if (mode != LABEL_ONE_LINE) {
		const char *name = NULL;
		int lines = 2;
		if (mode == LABEL_WRAPPED && !middle &&
		    eic_sankey__text_width(b->cr, node->name) > max_w) {
			name = wrap_name(b, node->name, max_w);
			if (!name)
				return EIC_ENOMEM;
			if (*name)
				lines = 3;
		}
		if (!name || !*name)
			name = middle ? fit_middle(b, node->name, max_w)
			              : fit_text(b, node->name, max_w);
		if (!name)
			return EIC_ENOMEM;
		if (!*name || vw > max_w)
			return 0;
		node->label = name;
		node->value_label = eic_arena_strdup(&b->l->arena, value);
		if (!node->value_label)
			return EIC_ENOMEM;
		double nw = 0.0;
		const char *nl = strchr(name, '\n');
		if (nl) {
			char *first = eic_arena_strndup(&b->l->arena, name, (size_t)(nl - name));
			if (!first)
				return EIC_ENOMEM;
			nw = eic_sankey__text_width(b->cr, first);
			double w2 = eic_sankey__text_width(b->cr, nl + 1);
			if (w2 > nw)
				nw = w2;
		} else {
			nw = eic_sankey__text_width(b->cr, name);
		}
		node->label_w = (nw > vw ? nw : vw) + 2.0 * LABEL_PAD_PT;
		node->label_h = lines * lh + 2.0 * LABEL_PAD_PT;
		return 0;
	}
	double sep = eic_sankey__text_width(b->cr, "  ");
	const char *name = middle ? fit_middle(b, node->name, max_w - vw - sep)
	                          : fit_text(b, node->name, max_w - vw - sep);
	if (!name)
		return EIC_ENOMEM;
	if (!*name)
		return 0;
	const char *joined = arena_printf(&b->l->arena, &b->buf, "%s  %s", name, value);
	if (!joined)
		return EIC_ENOMEM;
	node->label = joined;
	node->label_w = eic_sankey__text_width(b->cr, joined) + 2.0 * LABEL_PAD_PT;
	node->label_h = lh + 2.0 * LABEL_PAD_PT;
	return 0;
}

typedef struct {
	size_t node;
	double centre;
	double value;
} label_item;

static int cmp_label_value(const void *a, const void *b)
{
	const label_item *x = a, *y = b;
	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Labels of a column in one mode: texts, labels of the smallest nodes left out while the
 * column overflows (one-line mode only; other modes report *out_fits 0 instead), then the
 * down and up sweeps. *out_score counts labels left out or not level with their node (the
 * label box and the node share no height). */
static int column_in_mode(build *b, label_item *items, size_t count, int left, double max_w,
                          double top, double bottom, int mode, unsigned char *shown,
                          label_item *by_value, int *out_fits, size_t *out_score)
{
	eic_sankey_node *nodes = (eic_sankey_node *)b->nodes.data;
	const double sep = 1.0;
	double total = 0.0;
	int error;
	*out_fits = 1;
	*out_score = 0;
	for (size_t i = 0; i < count; i++) {
		eic_sankey_node *node = &nodes[items[i].node];
		if ((error = label_text(b, node, mode, max_w, 0)) < 0)
			return error;
		shown[i] = node->label_w > 0.0;
		if (shown[i])
			total += node->label_h + sep;
		else
			++*out_score;
	}
	if (total > bottom - top) {
		if (mode != LABEL_ONE_LINE) {
			*out_fits = 0;
			return 0;
		}
		memcpy(by_value, items, count * sizeof(*items));
		for (size_t i = 0; i < count; i++)
			by_value[i].centre = (double)i; /* remember the position */
		qsort(by_value, count, sizeof(*by_value), cmp_label_value);
		for (size_t k = count; k-- > 0 && total > bottom - top;) {
			size_t i = (size_t)by_value[k].centre;
			if (!shown[i])
				continue;
			shown[i] = 0;
			++*out_score;
			total -= nodes[items[i].node].label_h + sep;
		}
	}
	for (size_t i = 0; i < count; i++) {
		eic_sankey_node *node = &nodes[items[i].node];
		if (!shown[i]) {
			node->label = node->value_label = "";
			node->label_w = node->label_h = 0.0;
			continue;
		}
		node->label_y = node->y + 0.5 * node->h - 0.5 * node->label_h;
		node->label_x = left ? node->x - 3.0 - node->label_w : node->x + node->w + 3.0;
	}
	double y = top;
	for (size_t i = 0; i < count; i++) {
		eic_sankey_node *node = &nodes[items[i].node];
		if (!shown[i])
			continue;
		if (node->label_y < y)
			node->label_y = y;
		y = node->label_y + node->label_h + sep;
	}
	double limit = bottom;
	for (size_t i = count; i-- > 0;) {
		eic_sankey_node *node = &nodes[items[i].node];
		if (!shown[i])
			continue;
		if (node->label_y + node->label_h > limit)
			node->label_y = limit - node->label_h;
		limit = node->label_y - sep;
	}
	for (size_t i = 0; i < count; i++) {
		const eic_sankey_node *node = &nodes[items[i].node];
		if (shown[i] && (node->label_y >= node->y + node->h ||
		                 node->label_y + node->label_h <= node->y))
			++*out_score;
	}
	return 0;
}

/* Length of the name part of a drawn label: all of it, or in one-line mode ("name  value")
 * what comes before the last double space. */
static size_t name_part_len(const eic_sankey_node *n)
{
	size_t len = strlen(n->label);
	if (n->value_label && *n->value_label)
		return len;
	for (size_t i = len; i-- > 1;)
		if (n->label[i] == ' ' && n->label[i - 1] == ' ')
			return i - 1;
	return len;
}

static int same_name_part(const eic_sankey_node *a, const eic_sankey_node *b)
{
	size_t la = name_part_len(a), lb = name_part_len(b);
	return la == lb && memcmp(a->label, b->label, la) == 0;
}

/*
 * Labels of one column, all on the same side of their nodes (left of column 0, right of the
 * others) so that columns never share horizontal space. Each label is centred on its node,
 * then the column is swept down and up to remove overlaps (1 pt apart) within [top, bottom].
 * Three modes are tried, from the roomiest: long names wrapped onto two lines; names on one
 * line; name and value on one line (leaving out the labels of the smallest nodes while the
 * column overflows). The first mode with every label level with its node wins, else the one
 * with the fewest labels moved off or left out. A label moved off its node gets a leader
 * line. `items` are the column's real nodes from top to bottom.
 */
static int place_column_labels(build *b, label_item *items, size_t count, int left, double max_w,
                               double top, double bottom)
{
	eic_sankey *l = b->l;
	eic_sankey_node *nodes = (eic_sankey_node *)b->nodes.data;
	double lh = l->label_pt * EIC_SANKEY_LINE;
	unsigned char *shown = eic_calloc(count ? count : 1, 1);
	label_item *by_value = eic_calloc(count ? count : 1, sizeof(*by_value));
	int error = 0, best_mode = LABEL_ONE_LINE, fits;
	size_t best_score = SIZE_MAX, score;
	if (!shown || !by_value) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (int mode = LABEL_WRAPPED; mode <= LABEL_ONE_LINE; mode++) {
		if ((error = column_in_mode(b, items, count, left, max_w, top, bottom, mode, shown,
		                            by_value, &fits, &score)) < 0)
			goto done;
		if (fits && score < best_score) {
			best_score = score;
			best_mode = mode;
		}
		if (fits && score == 0)
			break;
	}
	if ((error = column_in_mode(b, items, count, left, max_w, top, bottom, best_mode, shown,
	                            by_value, &fits, &score)) < 0)
		goto done;
	/* Names cut alike ("Kokkolan Energia Oy, Voi..." twice) are cut in the middle instead,
	 * where the same height results, so that they can be told apart. */
	for (size_t i = 0; i < count; i++) {
		const eic_sankey_node *a = &nodes[items[i].node];
		by_value[i].value = 0.0; /* reused: 1 marks a label cut alike another */
		if (!shown[i] || strncmp(a->label, a->name, name_part_len(a)) == 0)
			continue;
		for (size_t j = 0; j < count; j++)
			if (j != i && shown[j] && same_name_part(&nodes[items[j].node], a))
				by_value[i].value = 1.0;
	}
	for (size_t i = 0; i < count; i++) {
		eic_sankey_node *a = &nodes[items[i].node];
		if (by_value[i].value == 0.0)
			continue;
		eic_sankey_node trial = *a;
		if ((error = label_text(b, &trial, best_mode, max_w, 1)) < 0)
			goto done;
		if (trial.label_w > 0.0 && fabs(trial.label_h - a->label_h) < 1e-9) {
			double right = a->label_x + a->label_w;
			a->label = trial.label;
			a->value_label = trial.value_label;
			a->label_w = trial.label_w;
			if (left)
				a->label_x = right - a->label_w;
		}
	}
	for (size_t i = 0; i < count; i++) {
		eic_sankey_node *node = &nodes[items[i].node];
		if (!shown[i])
			continue;
		double shift =
		    fabs(node->label_y + 0.5 * node->label_h - (node->y + 0.5 * node->h));
		if (shift > 0.5 * node->h + 0.5 * lh)
			l->label_leader[items[i].node] = 1;
		l->label_backed[items[i].node] = !left;
	}
done:
	eic_free(shown);
	eic_free(by_value);
	return error;
}

/* ---------------------------------------------------------------- legend */

static int legend_push(eic_sankey *l, eic_sankey__legend_kind kind, const char *text,
                       const char *colour, eic_sankey_node_kind node, eic_boundary_kind boundary)
{
	eic_sankey__legend_item it;
	memset(&it, 0, sizeof(it));
	it.kind = kind;
	it.text = text;
	it.colour = colour;
	it.node = node;
	it.boundary = boundary;
	return eic_vec_push(&l->legend, &it) ? 0 : EIC_ENOMEM;
}

/* "Not drawn: 4 flows not convertible to t (electricity, waste heat, ...)"; NULL on ENOMEM. */
static const char *omitted_note(build *b)
{
	eic_sankey *l = b->l;
	eic_buf text = EIC_BUF_INIT;
	const char *out = NULL;
	size_t n = l->omitted.len;
	unsigned char *done_mark = eic_calloc(n ? n : 1, 1);
	if (!done_mark)
		return NULL;
	eic_buf_puts(&text, "Not drawn: ");
	int first_reason = 1;
	for (size_t i = 0; i < n; i++) {
		const eic_sankey_omitted *o = EIC_VEC_AT(&l->omitted, eic_sankey_omitted, i);
		if (done_mark[i])
			continue;
		size_t count = 0, names = 0;
		eic_buf mats = EIC_BUF_INIT;
		for (size_t j = i; j < n; j++) {
			const eic_sankey_omitted *p =
			    EIC_VEC_AT(&l->omitted, eic_sankey_omitted, j);
			if (strcmp(p->reason, o->reason) != 0)
				continue;
			done_mark[j] = 1;
			count++;
			/* distinct material names, the first five */
			int seen = 0;
			for (size_t k = i; k < j; k++) {
				const eic_sankey_omitted *q =
				    EIC_VEC_AT(&l->omitted, eic_sankey_omitted, k);
				if (strcmp(q->reason, o->reason) == 0 &&
				    strcmp(q->material, p->material) == 0)
					seen = 1;
			}
			if (seen)
				continue;
			if (names < 5)
				eic_buf_printf(&mats, "%s%s", names ? ", " : "",
				               material_name(b->c, p->material));
			else if (names == 5)
				eic_buf_puts(&mats, ", " ELLIPSIS);
			names++;
		}
		eic_buf_printf(&text, "%s%zu flow%s %s (%s)", first_reason ? "" : "; ", count,
		               count == 1 ? "" : "s", o->reason, mats.data ? mats.data : "");
		first_reason = 0;
		eic_buf_free(&mats);
	}
	if (!text.failed)
		out = eic_arena_strdup(&l->arena, text.data);
	eic_buf_free(&text);
	eic_free(done_mark);
	return out;
}

/* Legend entries (material classes, node styles, notes) flowed into rows across the page
 * under the diagram. Sets each item's box; returns the height used through out_h. */
static int build_legend(build *b, double *out_h)
{
	eic_sankey *l = b->l;
	int error = 0;
	int kinds[6] = {0};
	int losses[EIC_BOUNDARY__N] = {0};
	int any_return = 0, any_widened = 0;
	for (size_t i = 0; i < b->nodes.len; i++) {
		const eic_sankey_node *n = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		kinds[n->kind == EIC_SANKEY_NODE_ACTOR ? EIC_SANKEY_NODE_PROCESS : n->kind] = 1;
		if (n->kind == EIC_SANKEY_NODE_LOSS && (unsigned)n->boundary < EIC_BOUNDARY__N)
			losses[n->boundary] = 1;
	}
	double min_value = INFINITY;
	for (size_t i = 0; i < b->links.len; i++) {
		const link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		if (lb->is_return)
			any_return = 1;
		if (lb->value * l->scale < EIC_SANKEY_MIN_WIDTH)
			any_widened = 1;
		if (lb->value < min_value)
			min_value = lb->value;
	}
	if (l->classes.len &&
	    (error = legend_push(l, EIC_SANKEY__LEG_TEXT, "Material class:", NULL, 0, 0)) < 0)
		return error;
	for (size_t i = 0; i < l->classes.len; i++) {
		const eic_sankey_class *c = EIC_VEC_AT(&l->classes, eic_sankey_class, i);
		if ((error = legend_push(l, EIC_SANKEY__LEG_CLASS, c->name, c->colour, 0, 0)) < 0)
			return error;
	}
	size_t node_items_from = l->legend.len;
	if (b->nodes.len &&
	    (error = legend_push(l, EIC_SANKEY__LEG_TEXT, "Nodes:", NULL, 0, 0)) < 0)
		return error;
	if (kinds[EIC_SANKEY_NODE_PROCESS] &&
	    (error = legend_push(l, EIC_SANKEY__LEG_NODE, "process or actor", NULL,
	                         EIC_SANKEY_NODE_PROCESS, 0)) < 0)
		return error;
	if (kinds[EIC_SANKEY_NODE_SOURCE] &&
	    (error = legend_push(l, EIC_SANKEY__LEG_NODE, "from outside", NULL,
	                         EIC_SANKEY_NODE_SOURCE, 0)) < 0)
		return error;
	if (kinds[EIC_SANKEY_NODE_PRODUCT] &&
	    (error = legend_push(l, EIC_SANKEY__LEG_NODE, "product market", NULL,
	                         EIC_SANKEY_NODE_PRODUCT, EIC_BOUNDARY_PRODUCT_MARKET)) < 0)
		return error;
	for (int k = 0; k < EIC_BOUNDARY__N; k++) {
		if (!losses[k])
			continue;
		const char *name = arena_printf(&l->arena, &b->buf, "%s (loss)",
		                                boundary_name((eic_boundary_kind)k, 0));
		if (!name || (error = legend_push(l, EIC_SANKEY__LEG_NODE, name, NULL,
		                                  EIC_SANKEY_NODE_LOSS, (eic_boundary_kind)k)) < 0)
			return error ? error : EIC_ENOMEM;
	}
	if (kinds[EIC_SANKEY_NODE_STOCK] &&
	    (error = legend_push(l, EIC_SANKEY__LEG_NODE, "stock change", NULL,
	                         EIC_SANKEY_NODE_STOCK, EIC_BOUNDARY_STOCK)) < 0)
		return error;
	if (any_return &&
	    (error = legend_push(l, EIC_SANKEY__LEG_RETURN, "return flow (closes a cycle)",
	                         "#888888", 0, 0)) < 0)
		return error;
	size_t notes_from = l->legend.len;
	if (b->links.len) {
		char per[64], small[96];
		eic_report__fmt_sig(per, sizeof(per), 10.0 / l->scale, 3);
		const char *note;
		if (any_widened) {
			fmt_value(small, sizeof(small), EIC_SANKEY_MIN_WIDTH / l->scale, l->unit);
			note = arena_printf(&l->arena, &b->buf,
			                    "Band width: 10 pt = %s %s. Flows under %s are drawn "
			                    "%g pt wide so that they stay visible.",
			                    per, l->unit, small, EIC_SANKEY_MIN_WIDTH);
		} else {
			note = arena_printf(&l->arena, &b->buf, "Band width: 10 pt = %s %s.", per,
			                    l->unit);
		}
		if (!note || (error = legend_push(l, EIC_SANKEY__LEG_TEXT, note, NULL, 0, 0)) < 0)
			return error ? error : EIC_ENOMEM;
	}
	if (l->omitted.len) {
		const char *note = omitted_note(b);
		if (!note || (error = legend_push(l, EIC_SANKEY__LEG_TEXT, note, NULL, 0, 0)) < 0)
			return error ? error : EIC_ENOMEM;
	}

	/* Flow the items: classes on rows of their own, node styles on the next, each note on
	 * a row of its own (shortened to the page width). */
	eic_sankey__set_font(b->cr, EIC_SANKEY_LEGEND_PT, 0);
	double lh = EIC_SANKEY_LEGEND_PT * EIC_SANKEY_LINE;
	double x0 = EIC_SANKEY_MARGIN, x1 = l->width - EIC_SANKEY_MARGIN;
	double x = x0, y = 0.0;
	for (size_t i = 0; i < l->legend.len; i++) {
		eic_sankey__legend_item *it = EIC_VEC_AT(&l->legend, eic_sankey__legend_item, i);
		int new_row = i == node_items_from || i >= notes_from;
		if (new_row && x > x0) {
			x = x0;
			y += lh + 3.0;
		}
		if (it->kind == EIC_SANKEY__LEG_TEXT && i >= notes_from) {
			const char *t = fit_text(b, it->text, x1 - x0);
			if (!t)
				return EIC_ENOMEM;
			it->text = t;
		}
		double swatch = it->kind == EIC_SANKEY__LEG_TEXT ? 0.0 : 18.0;
		double tw = eic_sankey__text_width(b->cr, it->text);
		double w = swatch + tw;
		if (x > x0 && x + w > x1) {
			x = x0;
			y += lh + 3.0;
		}
		it->x = x;
		it->y = y;
		it->w = w;
		it->h = lh;
		x += w + 14.0;
		if (i >= notes_from) {
			x = x0;
			y += lh + 3.0;
		}
	}
	*out_h = l->legend.len ? (x > x0 ? y + lh : y - 3.0) : 0.0;
	eic_sankey__set_font(b->cr, l->label_pt, 0);
	return 0;
}

/* ---------------------------------------------------------------- assembly */

static int cmp_return_span(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	if (x[1] != y[1])
		return x[1] < y[1] ? -1 : 1;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Copy the links into the result with their geometry: forward links through the centres of
 * their bands at each vnode, return links around the bottom (see eic_sankey_link). */
static int finish_links(build *b, work *w, const frame *fr)
{
	eic_sankey *l = b->l;
	size_t m = b->links.len;
	eic_sankey_node *nodes = l->nodes;
	double *ret_out = eic_calloc(b->nodes.len ? b->nodes.len : 1, sizeof(double));
	double *ret_in = eic_calloc(b->nodes.len ? b->nodes.len : 1, sizeof(double));
	double *gap_right = eic_calloc(w->layer_count + 1, sizeof(double));
	double *gap_left = eic_calloc(w->layer_count + 1, sizeof(double));
	size_t *returns = eic_calloc(2 * (m ? m : 1), sizeof(size_t));
	int error = 0;
	if (!ret_out || !ret_in || !gap_right || !gap_left || !returns) {
		error = EIC_ENOMEM;
		goto done;
	}
	l->links = eic_arena_alloc(&l->arena, (m ? m : 1) * sizeof(*l->links));
	if (!l->links) {
		error = EIC_ENOMEM;
		goto done;
	}
	l->link_count = m;
	/* Return links, innermost (shortest span) first: lane 0 is nearest the nodes. */
	size_t rc = 0;
	for (size_t i = 0; i < m; i++) {
		const link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		if (!lb->is_return)
			continue;
		size_t ls = nodes[lb->source].layer, lt = nodes[lb->target].layer;
		returns[2 * rc] = i;
		returns[2 * rc + 1] = ls > lt ? ls - lt : lt - ls;
		rc++;
	}
	qsort(returns, rc, 2 * sizeof(size_t), cmp_return_span);
	/* Forward stacks end where returns begin: returns sit under the forward bands, the
	 * outermost highest so that the loops nest without crossing. */
	for (size_t i = 0; i < b->nodes.len; i++) {
		double fo = 0.0, fi = 0.0;
		const vnode *v = &w->v[i];
		for (size_t j = 0; j < v->out_n; j++)
			fo += w->width[w->s[w->out_list[v->out_off + j]].link];
		for (size_t j = 0; j < v->in_n; j++)
			fi += w->width[w->s[w->in_list[v->in_off + j]].link];
		ret_out[i] = fo;
		ret_in[i] = fi;
	}
	double lane_y = fr->bottom + 2.0 * LANE_GAP_PT;
	double *lane_centre = eic_calloc(rc ? rc : 1, sizeof(double));
	if (!lane_centre) {
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t r = 0; r < rc; r++) {
		double wd = w->width[returns[2 * r]];
		lane_centre[r] = lane_y + 0.5 * wd;
		lane_y += wd + LANE_GAP_PT;
	}
	/* attachment order at a node: outermost (largest r) highest */
	double *ret_src_y = eic_calloc(rc ? rc : 1, sizeof(double));
	double *ret_tgt_y = eic_calloc(rc ? rc : 1, sizeof(double));
	if (!ret_src_y || !ret_tgt_y) {
		eic_free(lane_centre);
		eic_free(ret_src_y);
		eic_free(ret_tgt_y);
		error = EIC_ENOMEM;
		goto done;
	}
	for (size_t r = rc; r-- > 0;) {
		size_t i = returns[2 * r];
		const link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		double wd = w->width[i];
		ret_src_y[r] = nodes[lb->source].y + ret_out[lb->source] + 0.5 * wd;
		ret_out[lb->source] += wd;
		ret_tgt_y[r] = nodes[lb->target].y + ret_in[lb->target] + 0.5 * wd;
		ret_in[lb->target] += wd;
	}
	for (size_t i = 0; i < m; i++) {
		const link_build *lb = EIC_VEC_AT(&b->links, link_build, i);
		eic_sankey_link *lk = &l->links[i];
		memset(lk, 0, sizeof(*lk));
		lk->source = lb->source;
		lk->target = lb->target;
		lk->material = lb->material;
		lk->material_class = lb->cls;
		lk->colour = colour_of_class(l, lb->cls);
		lk->value = lb->value;
		lk->width = w->width[i];
		lk->widened = lb->value * l->scale < EIC_SANKEY_MIN_WIDTH;
		lk->is_return = lb->is_return;
		lk->to_loss = nodes[lb->target].kind == EIC_SANKEY_NODE_LOSS;
		lk->flow_count = lb->flows.len;
		const char **flows = eic_arena_alloc(
		    &l->arena, (lb->flows.len ? lb->flows.len : 1) * sizeof(char *));
		if (!flows) {
			error = EIC_ENOMEM;
			break;
		}
		memcpy(flows, lb->flows.data, lb->flows.len * sizeof(char *));
		lk->flows = flows;
		if (lb->is_return)
			continue;
		size_t np = 2 * lb->chain_len - 2;
		eic_sankey_point *pts = eic_arena_alloc(&l->arena, np * sizeof(*pts));
		if (!pts) {
			error = EIC_ENOMEM;
			break;
		}
		size_t p = 0;
		for (size_t k = 0; k < lb->chain_len; k++) {
			const vnode *v = &w->v[w->chain[lb->chain_off + k]];
			if (k == 0) {
				/* leaving the source: its segment is the first of the chain */
				size_t si = NONE;
				for (size_t j = 0; j < v->out_n; j++)
					if (w->s[w->out_list[v->out_off + j]].link == i)
						si = w->out_list[v->out_off + j];
				pts[p].x = nodes[lb->source].x + nodes[lb->source].w;
				pts[p].y = v->y + (si == NONE ? 0.0 : w->seg_out_off[si]) +
				           0.5 * lk->width;
				p++;
			} else if (k + 1 == lb->chain_len) {
				size_t si = NONE;
				for (size_t j = 0; j < v->in_n; j++)
					if (w->s[w->in_list[v->in_off + j]].link == i)
						si = w->in_list[v->in_off + j];
				pts[p].x = nodes[lb->target].x;
				pts[p].y =
				    v->y + (si == NONE ? 0.0 : w->seg_in_off[si]) + 0.5 * lk->width;
				p++;
			} else {
				double cx = fr->column_x[v->layer];
				pts[p].x = cx;
				pts[p].y = v->y + 0.5 * lk->width;
				pts[p + 1].x = cx + EIC_SANKEY_NODE_W;
				pts[p + 1].y = pts[p].y;
				p += 2;
			}
		}
		lk->points = pts;
		lk->point_count = p;
	}
	for (size_t r = 0; !error && r < rc; r++) {
		size_t i = returns[2 * r];
		eic_sankey_link *lk = &l->links[i];
		eic_sankey_point *pts = eic_arena_alloc(&l->arena, 6 * sizeof(*pts));
		if (!pts) {
			error = EIC_ENOMEM;
			break;
		}
		const eic_sankey_node *s = &nodes[lk->source], *t = &nodes[lk->target];
		double wd = lk->width;
		double ds = 6.0 + gap_right[s->layer] + 0.5 * wd;
		gap_right[s->layer] += wd + 3.0;
		double dt = 6.0 + gap_left[t->layer] + 0.5 * wd;
		gap_left[t->layer] += wd + 3.0;
		double xs = s->x + s->w, xt = t->x;
		pts[0].x = xs;
		pts[0].y = ret_src_y[r];
		pts[1].x = xs + ds;
		pts[1].y = ret_src_y[r];
		pts[2].x = xs + ds;
		pts[2].y = lane_centre[r];
		pts[3].x = xt - dt;
		pts[3].y = lane_centre[r];
		pts[4].x = xt - dt;
		pts[4].y = ret_tgt_y[r];
		pts[5].x = xt;
		pts[5].y = ret_tgt_y[r];
		lk->points = pts;
		lk->point_count = 6;
	}
	eic_free(lane_centre);
	eic_free(ret_src_y);
	eic_free(ret_tgt_y);
done:
	eic_free(ret_out);
	eic_free(ret_in);
	eic_free(gap_right);
	eic_free(gap_left);
	eic_free(returns);
	return error;
}

static const char *period_text(build *b, const char *period)
{
	eic_sankey *l = b->l;
	if (period)
		return arena_printf(&l->arena, &b->buf, "period %s", period);
	size_t n = eic_cluster_period_count(b->c);
	if (n == 0)
		return "no periods";
	if (n == 1)
		return arena_printf(&l->arena, &b->buf, "period %s",
		                    eic_cluster_period(b->c, 0)->id);
	eic_buf_clear(&b->buf);
	eic_buf_puts(&b->buf, "all periods summed (");
	for (size_t i = 0; i < n && i < 6; i++)
		eic_buf_printf(&b->buf, "%s%s", i ? ", " : "", eic_cluster_period(b->c, i)->id);
	eic_buf_puts(&b->buf, n > 6 ? ", " ELLIPSIS ")" : ")");
	return b->buf.failed ? NULL : eic_arena_strdup(&l->arena, b->buf.data);
}

/* Widest two-line label the nodes of column `layer` would want, in points. */
static double wanted_label_width(build *b, size_t layer)
{
	double widest = 0.0;
	for (size_t i = 0; i < b->nodes.len; i++) {
		const eic_sankey_node *n = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		if (n->layer != layer)
			continue;
		char value[96];
		fmt_value(value, sizeof(value), n->value, b->l->unit);
		double w1 = eic_sankey__text_width(b->cr, n->name);
		double w2 = eic_sankey__text_width(b->cr, value);
		double wd = (w1 > w2 ? w1 : w2) + 2.0 * LABEL_PAD_PT + 4.0;
		if (wd > widest)
			widest = wd;
	}
	return widest;
}

static int cmp_label_y(const void *a, const void *b)
{
	const label_item *x = a, *y = b;
	if (x->centre != y->centre)
		return x->centre < y->centre ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Everything after the flows are collected, for a network with at least one link. Returns
 * 0, 1 when the network is too large to draw, or a negative error. */
static int lay_out(build *b, double *page_height)
{
	eic_sankey *l = b->l;
	work w;
	size_t *adj_off = NULL;
	adj_entry *adj = NULL;
	double *column_x = NULL;
	label_item *items = NULL;
	size_t layer_count = 0;
	int error;
	memset(&w, 0, sizeof(w));

	if ((error = break_cycles(b, &adj_off, &adj)) < 0 ||
	    (error = assign_layers(b, &layer_count)) < 0 ||
	    (error = work_build(&w, b, layer_count)) != 0)
		goto done;
	for (size_t i = 0; i < b->links.len; i++)
		w.width[i] = EIC_VEC_AT(&b->links, link_build, i)->value;
	for (size_t i = 0; i < b->nodes.len; i++) {
		eic_sankey_node *n = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		n->value = n->value_in > n->value_out ? n->value_in : n->value_out;
	}
	if ((error = order_layers(&w, &l->crossings)) < 0)
		goto done;

	/* Columns: label room on the left of column 0 and on the right of the last one. */
	eic_sankey__set_font(b->cr, l->label_pt, 0);
	double left_w = wanted_label_width(b, 0);
	double right_w = wanted_label_width(b, layer_count - 1);
	if (left_w > 0.2 * l->width)
		left_w = 0.2 * l->width;
	if (right_w > 0.24 * l->width)
		right_w = 0.24 * l->width;
	double ax0 = EIC_SANKEY_MARGIN + left_w + 3.0;
	double ax1 = l->width - EIC_SANKEY_MARGIN - right_w - 3.0;
	column_x = eic_calloc(layer_count, sizeof(double));
	if (!column_x) {
		error = EIC_ENOMEM;
		goto done;
	}
	double spacing =
	    layer_count > 1 ? (ax1 - ax0 - EIC_SANKEY_NODE_W) / (double)(layer_count - 1) : 0.0;
	for (size_t k = 0; k < layer_count; k++)
		column_x[k] = ax0 + (double)k * spacing;

	/* Legend height first (its rows do not depend on the scale), then the node area. */
	double legend_h = 0.0;
	l->scale = 1.0;
	if ((error = build_legend(b, &legend_h)) < 0)
		goto done;
	l->legend.len = 0;
	frame fr;
	fr.top = l->note_y + EIC_SANKEY_NOTE_PT * EIC_SANKEY_LINE + 16.0;
	fr.bottom = l->height - EIC_SANKEY_MARGIN - legend_h - 12.0;
	fr.avail = fr.bottom - fr.top;
	fr.node_gap = NODE_GAP_PT;
	fr.column_x = column_x;
	double old_height = *page_height;
	l->scale = find_scale(&w, b, &fr, page_height);
	l->height = *page_height;
	(void)old_height;
	fr.bottom = fr.top + fr.avail - lanes_height(&w, b);
	place_vertical(&w, &fr);

	/* Nodes into the result. */
	l->node_count = b->nodes.len;
	l->nodes = eic_arena_alloc(&l->arena, l->node_count * sizeof(*l->nodes));
	l->label_backed = eic_arena_alloc(&l->arena, l->node_count);
	l->label_leader = eic_arena_alloc(&l->arena, l->node_count);
	items = eic_calloc(l->node_count, sizeof(*items));
	if (!l->nodes || !l->label_backed || !l->label_leader || !items) {
		error = EIC_ENOMEM;
		goto done;
	}
	memset(l->label_backed, 0, l->node_count);
	memset(l->label_leader, 0, l->node_count);
	for (size_t i = 0; i < l->node_count; i++) {
		eic_sankey_node *n = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
		n->x = column_x[n->layer];
		n->w = EIC_SANKEY_NODE_W;
		n->y = w.v[i].y;
		n->h = w.v[i].h;
	}

	/* Labels column by column (on the working copy, then copied). */
	double label_top = fr.top - 6.0;
	double label_bottom = l->height - EIC_SANKEY_MARGIN - legend_h - 8.0;
	for (size_t k = 0; k < layer_count; k++) {
		size_t count = 0;
		for (size_t i = 0; i < l->node_count; i++) {
			const eic_sankey_node *n = EIC_VEC_AT(&b->nodes, eic_sankey_node, i);
			if (n->layer != k)
				continue;
			items[count].node = i;
			items[count].centre = n->y + 0.5 * n->h;
			items[count].value = n->value;
			count++;
		}
		qsort(items, count, sizeof(*items), cmp_label_y);
		int left = k == 0 && layer_count > 1;
		double max_w;
		if (left)
			max_w = left_w - 4.0 - 2.0 * LABEL_PAD_PT;
		else if (k + 1 == layer_count)
			max_w = right_w - 4.0 - 2.0 * LABEL_PAD_PT;
		else
			max_w = spacing - EIC_SANKEY_NODE_W - 10.0 - 2.0 * LABEL_PAD_PT;
		if ((error = place_column_labels(b, items, count, left, max_w, label_top,
		                                 label_bottom)) < 0)
			goto done;
	}
	memcpy(l->nodes, b->nodes.data, l->node_count * sizeof(*l->nodes));

	if ((error = finish_links(b, &w, &fr)) < 0)
		goto done;

	/* The legend for real, moved under the diagram. */
	if ((error = build_legend(b, &legend_h)) < 0)
		goto done;
	double legend_top = l->height - EIC_SANKEY_MARGIN - legend_h;
	for (size_t i = 0; i < l->legend.len; i++)
		EIC_VEC_AT(&l->legend, eic_sankey__legend_item, i)->y += legend_top;
done:
	work_free(&w);
	eic_free(adj_off);
	eic_free(adj);
	eic_free(column_x);
	eic_free(items);
	return error;
}

/*
 * Contract: see sankey.h. Steps: collect (flows to nodes and links), classes (colours),
 * lay_out (cycles, layers, order, scale, placement, labels, geometry), legend. Complexity
 * dominated by the crossing counts, O(rounds * s^2) in the segments between two columns;
 * the network is bounded by EIC_SANKEY_MAX_NODES and EIC_SANKEY_MAX_LINKS.
 */
int eic_sankey_layout(eic_sankey **out, const eic_cluster *cluster, const eic_sankey_options *opts)
{
	eic_sankey_options defaults = EIC_SANKEY_OPTIONS_INIT;
	eic_sankey *l = NULL;
	build b;
	int error = 0;

	memset(&b, 0, sizeof(b));
	eic_vec_init(&b.nodes, sizeof(eic_sankey_node));
	eic_vec_init(&b.links, sizeof(link_build));
	eic_map_init(&b.node_map);
	eic_map_init(&b.link_map);
	if (!out || !cluster) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != EIC_SANKEY_OPTIONS_VERSION) {
		error = EIC_EINVAL;
		goto done;
	}
	int energy = 0;
	if (opts->quantity && strcmp(opts->quantity, "energy") == 0)
		energy = 1;
	else if (opts->quantity && strcmp(opts->quantity, "mass") != 0) {
		error = EIC_EINVAL;
		goto done;
	}
	double width = opts->width_pt > 0.0 ? opts->width_pt : DEFAULT_WIDTH_PT;
	double height = opts->height_pt > 0.0 ? opts->height_pt : DEFAULT_HEIGHT_PT;
	if (!(width >= 200.0 && height >= 150.0 && width <= 20000.0 && height <= 20000.0)) {
		error = EIC_EINVAL;
		goto done;
	}
	if (opts->period && !eic_cluster_find_period(cluster, opts->period)) {
		error = EIC_ENOTFOUND;
		goto done;
	}

	l = eic_calloc(1, sizeof(*l));
	if (!l) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&l->arena);
	eic_vec_init(&l->omitted, sizeof(eic_sankey_omitted));
	eic_vec_init(&l->classes, sizeof(eic_sankey_class));
	eic_vec_init(&l->legend, sizeof(eic_sankey__legend_item));
	l->width = width;
	l->height = height;
	l->min_width = EIC_SANKEY_MIN_WIDTH;
	l->label_pt = EIC_SANKEY_LABEL_PT;
	b.l = l;
	b.c = cluster;
	b.measure_surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
	b.cr = cairo_create(b.measure_surface);
	if (cairo_status(b.cr) != CAIRO_STATUS_SUCCESS) {
		error = EIC_ENOMEM;
		goto done;
	}

	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *unit =
	    energy ? (info && !eic_str_empty(info->energy_unit) ? info->energy_unit : "GJ")
	           : (info && !eic_str_empty(info->mass_unit) ? info->mass_unit : "t");
	const char *cname = info && !eic_str_empty(info->name) ? info->name
	                    : info && !eic_str_empty(info->id) ? info->id
	                                                       : "Cluster";
	l->unit = eic_arena_strdup(&l->arena, unit);
	l->quantity = energy ? "energy" : "mass";
	const char *ptext = period_text(&b, opts->period);
	if (!l->unit || !ptext) {
		error = EIC_ENOMEM;
		goto done;
	}
	if (opts->title)
		l->title = eic_arena_strdup(&l->arena, opts->title);
	else
		l->title = arena_printf(&l->arena, &b.buf, "%s: %s flows, %s", cname, l->quantity,
		                        opts->period ? opts->period
		                        : eic_cluster_period_count(cluster) == 1
		                            ? eic_cluster_period(cluster, 0)->id
		                            : "all periods");
	l->unit_note = arena_printf(&l->arena, &b.buf,
	                            "Band widths proportional to %s in %s; %s. Colour: material "
	                            "class.",
	                            l->quantity, l->unit, ptext);
	if (!l->title || !l->unit_note) {
		error = EIC_ENOMEM;
		goto done;
	}
	l->title_y = EIC_SANKEY_MARGIN;
	l->note_y = l->title_y + EIC_SANKEY_TITLE_PT * EIC_SANKEY_LINE + 2.0;

	if ((error = collect(&b, opts->period, l->unit)) < 0)
		goto done;
	if (b.nodes.len > EIC_SANKEY_MAX_NODES || b.links.len > EIC_SANKEY_MAX_LINKS) {
		l->message = arena_printf(&l->arena, &b.buf,
		                          "Too large to draw readably: %zu nodes and %zu links "
		                          "(limits %d and %d). Choose one period or a smaller "
		                          "cluster.",
		                          b.nodes.len, b.links.len, EIC_SANKEY_MAX_NODES,
		                          EIC_SANKEY_MAX_LINKS);
		if (!l->message)
			error = EIC_ENOMEM;
		goto empty;
	}
	if ((error = make_classes(&b)) < 0)
		goto done;
	if (b.links.len == 0) {
		l->message = arena_printf(&l->arena, &b.buf,
		                          "Nothing to draw: no flow of %s can be expressed in %s.",
		                          ptext, l->unit);
		if (!l->message)
			error = EIC_ENOMEM;
		goto empty;
	}
	error = lay_out(&b, &l->height);
	if (error == 1) {
		l->message = arena_printf(&l->arena, &b.buf,
		                          "Too large to draw readably: the links pass more than "
		                          "%d columns in all.",
		                          MAX_VNODES);
		error = l->message ? 0 : EIC_ENOMEM;
		goto empty;
	}
	if (error < 0)
		goto done;
	goto finish;
empty:
	if (error < 0)
		goto done;
	/* Nothing drawn: no nodes or links, only the message and the notes. */
	l->node_count = l->link_count = 0;
	for (size_t i = 0; i < b.links.len; i++)
		EIC_VEC_AT(&b.links, link_build, i)->value = 0.0;
	{
		build empty_b = b;
		empty_b.nodes.len = 0;
		empty_b.links.len = 0;
		l->classes.len = 0;
		double legend_h = 0.0;
		l->scale = 1.0;
		if ((error = build_legend(&empty_b, &legend_h)) < 0)
			goto done;
		double legend_top = l->height - EIC_SANKEY_MARGIN - legend_h;
		for (size_t i = 0; i < l->legend.len; i++)
			EIC_VEC_AT(&l->legend, eic_sankey__legend_item, i)->y += legend_top;
		l->scale = 0.0;
	}
finish:
	*out = l;
	l = NULL;
done:
	for (size_t i = 0; i < b.links.len; i++)
		eic_vec_free(&EIC_VEC_AT(&b.links, link_build, i)->flows);
	eic_vec_free(&b.nodes);
	eic_vec_free(&b.links);
	eic_map_free(&b.node_map);
	eic_map_free(&b.link_map);
	eic_buf_free(&b.buf);
	if (b.cr)
		cairo_destroy(b.cr);
	if (b.measure_surface)
		cairo_surface_destroy(b.measure_surface);
	eic_sankey_free(l);
	return error;
}

void eic_sankey_free(eic_sankey *layout)
{
	if (!layout)
		return;
	eic_vec_free(&layout->omitted);
	eic_vec_free(&layout->classes);
	eic_vec_free(&layout->legend);
	eic_arena_clear(&layout->arena);
	eic_free(layout);
}

double eic_sankey_width(const eic_sankey *l)
{
	return l ? l->width : 0.0;
}

double eic_sankey_height(const eic_sankey *l)
{
	return l ? l->height : 0.0;
}

const char *eic_sankey_title(const eic_sankey *l)
{
	return l ? l->title : NULL;
}

const char *eic_sankey_unit_note(const eic_sankey *l)
{
	return l ? l->unit_note : NULL;
}

const char *eic_sankey_message(const eic_sankey *l)
{
	return l ? l->message : NULL;
}

const char *eic_sankey_unit(const eic_sankey *l)
{
	return l ? l->unit : NULL;
}

const char *eic_sankey_quantity(const eic_sankey *l)
{
	return l ? l->quantity : NULL;
}

double eic_sankey_scale(const eic_sankey *l)
{
	return l ? l->scale : 0.0;
}

double eic_sankey_min_width(const eic_sankey *l)
{
	return l ? l->min_width : 0.0;
}

size_t eic_sankey_crossings(const eic_sankey *l)
{
	return l ? l->crossings : 0;
}

size_t eic_sankey_node_count(const eic_sankey *l)
{
	return l ? l->node_count : 0;
}

const eic_sankey_node *eic_sankey_node_at(const eic_sankey *l, size_t i)
{
	return l && i < l->node_count ? &l->nodes[i] : NULL;
}

size_t eic_sankey_link_count(const eic_sankey *l)
{
	return l ? l->link_count : 0;
}

const eic_sankey_link *eic_sankey_link_at(const eic_sankey *l, size_t i)
{
	return l && i < l->link_count ? &l->links[i] : NULL;
}

size_t eic_sankey_omitted_count(const eic_sankey *l)
{
	return l ? l->omitted.len : 0;
}

const eic_sankey_omitted *eic_sankey_omitted_at(const eic_sankey *l, size_t i)
{
	return l && i < l->omitted.len ? EIC_VEC_AT(&l->omitted, eic_sankey_omitted, i) : NULL;
}

size_t eic_sankey_class_count(const eic_sankey *l)
{
	return l ? l->classes.len : 0;
}

const eic_sankey_class *eic_sankey_class_at(const eic_sankey *l, size_t i)
{
	return l && i < l->classes.len ? EIC_VEC_AT(&l->classes, eic_sankey_class, i) : NULL;
}
