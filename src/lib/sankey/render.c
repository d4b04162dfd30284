/* render.c: drawing of a Sankey layout with cairo, and its output as SVG, PNG or PDF files
 * or as SVG text in memory with ids renumbered so that the bytes are reproducible. */
#include "sankey_private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opacity of link bands: light enough for labels and crossings to read through. */
#define LINK_ALPHA 0.62
#define PI 3.14159265358979323846
#define INK "#1f2933"
#define MUTED "#5f6b7a"

static void set_hex(cairo_t *cr, const char *hex, double alpha)
{
	double r, g, b;
	eic_sankey__rgb(hex, &r, &g, &b);
	cairo_set_source_rgba(cr, r, g, b, alpha);
}

/* Same colour, darker (for outlines). */
static void set_hex_dark(cairo_t *cr, const char *hex, double factor, double alpha)
{
	double r, g, b;
	eic_sankey__rgb(hex, &r, &g, &b);
	cairo_set_source_rgba(cr, r * factor, g * factor, b * factor, alpha);
}

/* Forward link centre line: horizontal-tangent cubic between points at different x. */
static void forward_path(cairo_t *cr, const eic_sankey_link *lk)
{
	const eic_sankey_point *p = lk->points;
	cairo_move_to(cr, p[0].x, p[0].y);
	for (size_t i = 1; i < lk->point_count; i++) {
		if (fabs(p[i].y - p[i - 1].y) < 1e-9) {
			cairo_line_to(cr, p[i].x, p[i].y);
		} else {
			double mx = 0.5 * (p[i - 1].x + p[i].x);
			cairo_curve_to(cr, mx, p[i - 1].y, mx, p[i].y, p[i].x, p[i].y);
		}
	}
}

/* Return link: the orthogonal route through its corner points, each corner rounded with a
 * radius of half the width plus 3 pt (limited by the neighbouring segments). */
static void return_path(cairo_t *cr, const eic_sankey_link *lk)
{
	const eic_sankey_point *p = lk->points;
	size_t n = lk->point_count;
	double radius = 0.5 * lk->width + 3.0;
	cairo_move_to(cr, p[0].x, p[0].y);
	for (size_t i = 1; i + 1 < n; i++) {
		double ix = p[i].x - p[i - 1].x, iy = p[i].y - p[i - 1].y;
		double ox = p[i + 1].x - p[i].x, oy = p[i + 1].y - p[i].y;
		double il = hypot(ix, iy), ol = hypot(ox, oy);
		if (il < 1e-9 || ol < 1e-9) {
			cairo_line_to(cr, p[i].x, p[i].y);
			continue;
		}
		double r = radius;
		if (r > 0.5 * il)
			r = 0.5 * il;
		if (r > 0.5 * ol)
			r = 0.5 * ol;
		ix /= il;
		iy /= il;
		ox /= ol;
		oy /= ol;
		double ax = p[i].x - ix * r, ay = p[i].y - iy * r;
		double bx = p[i].x + ox * r, by = p[i].y + oy * r;
		const double k = 0.5523; /* cubic approximation of a quarter circle */
		cairo_line_to(cr, ax, ay);
		cairo_curve_to(cr, ax + ix * r * k, ay + iy * r * k, bx - ox * r * k,
		               by - oy * r * k, bx, by);
	}
	cairo_line_to(cr, p[n - 1].x, p[n - 1].y);
}

static void draw_link(cairo_t *cr, const eic_sankey_link *lk)
{
	if (lk->point_count < 2)
		return;
	cairo_new_path(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	if (!lk->is_return) {
		forward_path(cr, lk);
		set_hex(cr, lk->colour, LINK_ALPHA);
		cairo_set_line_width(cr, lk->width);
		cairo_stroke(cr);
		return;
	}
	/* Return: a dashed dark edge on both sides, the band over it, and arrowheads on the
	 * lane pointing back to the left. */
	static const double dash[] = {4.0, 3.0};
	return_path(cr, lk);
	set_hex_dark(cr, lk->colour, 0.55, 0.9);
	cairo_set_line_width(cr, lk->width + 2.4);
	cairo_set_dash(cr, dash, 2, 0.0);
	cairo_stroke_preserve(cr);
	cairo_set_dash(cr, NULL, 0, 0.0);
	cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
	cairo_set_line_width(cr, lk->width);
	cairo_stroke_preserve(cr);
	set_hex(cr, lk->colour, LINK_ALPHA);
	cairo_stroke(cr);
	const eic_sankey_point *a = &lk->points[2], *b = &lk->points[3];
	double span = a->x - b->x;
	double size = lk->width < 6.0 ? 6.0 : (lk->width > 14.0 ? 14.0 : lk->width);
	int arrows = span > 160.0 ? 2 : 1;
	for (int k = 1; k <= arrows; k++) {
		double x = b->x + span * (double)k / (arrows + 1) - 0.5 * size;
		double y = a->y;
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + size, y - 0.5 * size);
		cairo_line_to(cr, x + size, y + 0.5 * size);
		cairo_close_path(cr);
		set_hex_dark(cr, lk->colour, 0.45, 0.95);
		cairo_fill(cr);
	}
}

/* Node box in the style of its kind: filled for processes, sources, markets and losses;
 * hatched with a dashed outline for stock. */
static void draw_node_box(cairo_t *cr, double x, double y, double w, double h,
                          eic_sankey_node_kind kind, eic_boundary_kind boundary)
{
	const char *colour = eic_sankey__node_colour(kind, boundary);
	cairo_new_path(cr);
	if (kind != EIC_SANKEY_NODE_STOCK) {
		cairo_rectangle(cr, x, y, w, h);
		set_hex(cr, colour, 1.0);
		cairo_fill(cr);
		return;
	}
	static const double dash[] = {2.5, 1.5};
	cairo_rectangle(cr, x, y, w, h);
	cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
	cairo_fill_preserve(cr);
	cairo_save(cr);
	cairo_clip_preserve(cr);
	cairo_new_path(cr);
	for (double d = -w; d < h + w; d += 4.0) {
		cairo_move_to(cr, x, y + d);
		cairo_line_to(cr, x + w, y + d + w);
	}
	set_hex(cr, colour, 0.85);
	cairo_set_line_width(cr, 1.0);
	cairo_stroke(cr);
	cairo_restore(cr);
	cairo_rectangle(cr, x + 0.5, y + 0.5, w - 1.0, h > 1.0 ? h - 1.0 : h);
	set_hex(cr, colour, 1.0);
	cairo_set_line_width(cr, 1.0);
	cairo_set_dash(cr, dash, 2, 0.0);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0.0);
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x + w - r, y + r, r, -PI / 2, 0);
	cairo_arc(cr, x + w - r, y + h - r, r, 0, PI / 2);
	cairo_arc(cr, x + r, y + h - r, r, PI / 2, PI);
	cairo_arc(cr, x + r, y + r, r, PI, 3 * PI / 2);
	cairo_close_path(cr);
}

static void draw_label(cairo_t *cr, const eic_sankey *l, size_t i)
{
	const eic_sankey_node *n = &l->nodes[i];
	if (n->label_w <= 0.0)
		return;
	double lh = l->label_pt * EIC_SANKEY_LINE;
	double pad = 2.0;
	int left = n->label_x + n->label_w <= n->x;
	if (l->label_leader[i]) {
		double ly = n->label_y + 0.5 * n->label_h;
		double lx = left ? n->label_x + n->label_w : n->label_x;
		double nx = left ? n->x : n->x + n->w;
		cairo_new_path(cr);
		cairo_move_to(cr, nx, n->y + 0.5 * n->h);
		cairo_line_to(cr, lx, ly);
		set_hex(cr, MUTED, 0.8);
		cairo_set_line_width(cr, 0.6);
		cairo_stroke(cr);
	}
	if (l->label_backed[i]) {
		cairo_new_path(cr);
		rounded_rect(cr, n->label_x, n->label_y, n->label_w, n->label_h, 2.5);
		cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.78);
		cairo_fill(cr);
	}
	double base = n->label_y + pad + 0.8 * lh;
	eic_sankey__set_font(cr, l->label_pt, 0);
	set_hex(cr, INK, 1.0);
	/* name lines (split at a newline when wrapped), then the value in a muted colour */
	char line[512];
	const char *p = n->label;
	while (p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		double tx = left ? n->label_x + n->label_w - pad - eic_sankey__text_width(cr, line)
		                 : n->label_x + pad;
		cairo_new_path(cr);
		cairo_move_to(cr, tx, base);
		cairo_show_text(cr, line);
		base += lh;
		p = nl ? nl + 1 : NULL;
	}
	if (n->value_label && *n->value_label) {
		double tx = left ? n->label_x + n->label_w - pad -
		                       eic_sankey__text_width(cr, n->value_label)
		                 : n->label_x + pad;
		cairo_move_to(cr, tx, base);
		set_hex(cr, MUTED, 1.0);
		cairo_show_text(cr, n->value_label);
	}
}

static void draw_legend(cairo_t *cr, const eic_sankey *l)
{
	double lh = EIC_SANKEY_LEGEND_PT * EIC_SANKEY_LINE;
	for (size_t i = 0; i < l->legend.len; i++) {
		const eic_sankey__legend_item *it =
		    EIC_VEC_AT(&l->legend, eic_sankey__legend_item, i);
		double tx = it->x;
		double mid = it->y + 0.5 * lh;
		cairo_new_path(cr);
		switch (it->kind) {
		case EIC_SANKEY__LEG_CLASS:
			cairo_rectangle(cr, it->x, mid - 4.5, 14.0, 9.0);
			set_hex(cr, it->colour, LINK_ALPHA + 0.15);
			cairo_fill(cr);
			tx += 18.0;
			break;
		case EIC_SANKEY__LEG_NODE:
			draw_node_box(cr, it->x + 3.0, mid - 5.5, 8.0, 11.0, it->node,
			              it->boundary);
			tx += 18.0;
			break;
		case EIC_SANKEY__LEG_RETURN: {
			static const double dash[] = {3.0, 2.0};
			cairo_move_to(cr, it->x, mid);
			cairo_line_to(cr, it->x + 14.0, mid);
			cairo_set_line_width(cr, 8.4);
			set_hex(cr, MUTED, 0.9);
			cairo_set_dash(cr, dash, 2, 0.0);
			cairo_stroke_preserve(cr);
			cairo_set_dash(cr, NULL, 0, 0.0);
			cairo_set_line_width(cr, 6.0);
			cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
			cairo_stroke(cr);
			tx += 18.0;
			break;
		}
		case EIC_SANKEY__LEG_TEXT:
		default:
			break;
		}
		eic_sankey__set_font(cr, EIC_SANKEY_LEGEND_PT, 0);
		cairo_move_to(cr, tx, it->y + 0.8 * lh);
		set_hex(cr, it->kind == EIC_SANKEY__LEG_TEXT ? MUTED : INK, 1.0);
		cairo_show_text(cr, it->text);
	}
}

typedef struct {
	size_t index;
	double width;
} link_order;

static int cmp_link_order(const void *a, const void *b)
{
	const link_order *x = a, *y = b;
	if (x->width != y->width)
		return x->width > y->width ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Draw the whole page: background, title and note, return links (under the rest), forward
 * links widest first (so thin ones stay visible on top), nodes, labels, legend, and the
 * message of an empty diagram. Returns 0 or EIC_ENOMEM. */
static int draw(cairo_t *cr, const eic_sankey *l)
{
	cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
	cairo_paint(cr);

	eic_sankey__set_font(cr, EIC_SANKEY_TITLE_PT, 1);
	set_hex(cr, INK, 1.0);
	cairo_move_to(cr, EIC_SANKEY_MARGIN,
	              l->title_y + 0.8 * EIC_SANKEY_TITLE_PT * EIC_SANKEY_LINE);
	cairo_show_text(cr, l->title);
	eic_sankey__set_font(cr, EIC_SANKEY_NOTE_PT, 0);
	set_hex(cr, MUTED, 1.0);
	cairo_move_to(cr, EIC_SANKEY_MARGIN,
	              l->note_y + 0.8 * EIC_SANKEY_NOTE_PT * EIC_SANKEY_LINE);
	cairo_show_text(cr, l->unit_note);

	link_order *order = eic_calloc(l->link_count ? l->link_count : 1, sizeof(*order));
	if (!order)
		return EIC_ENOMEM;
	for (size_t i = 0; i < l->link_count; i++) {
		order[i].index = i;
		order[i].width = l->links[i].width;
	}
	qsort(order, l->link_count, sizeof(*order), cmp_link_order);
	for (size_t i = 0; i < l->link_count; i++)
		if (l->links[order[i].index].is_return)
			draw_link(cr, &l->links[order[i].index]);
	for (size_t i = 0; i < l->link_count; i++)
		if (!l->links[order[i].index].is_return)
			draw_link(cr, &l->links[order[i].index]);
	eic_free(order);

	for (size_t i = 0; i < l->node_count; i++) {
		const eic_sankey_node *n = &l->nodes[i];
		draw_node_box(cr, n->x, n->y, n->w, n->h, n->kind, n->boundary);
	}
	for (size_t i = 0; i < l->node_count; i++)
		draw_label(cr, l, i);
	draw_legend(cr, l);

	if (l->message) {
		eic_sankey__set_font(cr, 12.0, 0);
		double tw = eic_sankey__text_width(cr, l->message);
		double x = 0.5 * (l->width - tw);
		if (x < EIC_SANKEY_MARGIN)
			x = EIC_SANKEY_MARGIN;
		cairo_new_path(cr);
		rounded_rect(cr, EIC_SANKEY_MARGIN, 0.5 * l->height - 40.0,
		             l->width - 2.0 * EIC_SANKEY_MARGIN, 80.0, 6.0);
		cairo_set_source_rgb(cr, 0.96, 0.97, 0.98);
		cairo_fill_preserve(cr);
		set_hex(cr, "#d9dee5", 1.0);
		cairo_set_line_width(cr, 1.0);
		cairo_stroke(cr);
		set_hex(cr, INK, 1.0);
		cairo_move_to(cr, x, 0.5 * l->height + 4.0);
		cairo_show_text(cr, l->message);
	}
	return 0;
}

/* ---------------------------------------------------------------- output */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	eic_buf *b = closure;
	return eic_buf_put(b, (const char *)data, length) < 0 ? CAIRO_STATUS_NO_MEMORY
	                                                      : CAIRO_STATUS_SUCCESS;
}

/* Draw onto a surface created for `kind` ('s' SVG, 'p' PDF, 'n' PNG) into memory. */
static int render_to(eic_buf *out, const eic_sankey *l, char kind)
{
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	int error = 0;
	if (kind == 's') {
		surface = cairo_svg_surface_create_for_stream(to_buf, out, l->width, l->height);
		cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
	} else if (kind == 'p') {
		surface = cairo_pdf_surface_create_for_stream(to_buf, out, l->width, l->height);
	} else {
		int w = (int)ceil(l->width * EIC_SANKEY_PNG_SCALE);
		int h = (int)ceil(l->height * EIC_SANKEY_PNG_SCALE);
		surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	}
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		error = EIC_ERROR;
		goto done;
	}
	cr = cairo_create(surface);
	if (kind == 'n')
		cairo_scale(cr, EIC_SANKEY_PNG_SCALE, EIC_SANKEY_PNG_SCALE);
	if ((error = draw(cr, l)) < 0)
		goto done;
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		error = cairo_status(cr) == CAIRO_STATUS_NO_MEMORY ? EIC_ENOMEM : EIC_ERROR;
		goto done;
	}
	cairo_destroy(cr);
	cr = NULL;
	if (kind == 'n') {
		if (cairo_surface_write_to_png_stream(surface, to_buf, out) != CAIRO_STATUS_SUCCESS)
			error = EIC_ERROR;
	} else {
		cairo_surface_finish(surface);
		if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
			error = EIC_ERROR;
	}
	if (out->failed)
		error = EIC_ENOMEM;
done:
	if (cr)
		cairo_destroy(cr);
	if (surface)
		cairo_surface_destroy(surface);
	return error;
}

int eic_sankey_svg(char **out, size_t *out_size, const eic_sankey *layout)
{
	eic_buf raw = EIC_BUF_INIT, clean = EIC_BUF_INIT;
	int error = 0;
	if (!out || !layout)
		return EIC_EINVAL;
	*out = NULL;
	if (out_size)
		*out_size = 0;
	if ((error = render_to(&raw, layout, 's')) < 0)
		goto done;
	if ((error = eic_sankey__svg_rewrite_ids(&clean, raw.data ? raw.data : "", "")) < 0)
		goto done;
	if (out_size)
		*out_size = clean.len;
	*out = eic_buf_detach(&clean);
	if (!*out)
		error = EIC_ENOMEM;
done:
	eic_buf_free(&raw);
	eic_buf_free(&clean);
	return error;
}

static int has_ext(const char *path, const char *ext)
{
	size_t pl = strlen(path), el = strlen(ext);
	if (pl < el)
		return 0;
	for (size_t i = 0; i < el; i++) {
		char c = path[pl - el + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != ext[i])
			return 0;
	}
	return 1;
}

/* Write data to path through path.tmp and a rename, so that no half file is left. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	size_t plen = strlen(path);
	char *tmp = eic_malloc(plen + 5);
	int error = 0;
	if (!tmp)
		return EIC_ENOMEM;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp", 5);
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		error = EIC_EIO;
		goto done;
	}
	size_t written = fwrite(data, 1, len, f);
	int close_rc = fclose(f);
	if (written != len || close_rc != 0 || rename(tmp, path) != 0) {
		remove(tmp);
		error = EIC_EIO;
	}
done:
	eic_free(tmp);
	return error;
}

int eic_sankey_write(const eic_sankey *layout, const char *path)
{
	eic_buf data = EIC_BUF_INIT;
	char *svg = NULL;
	size_t svg_len = 0;
	int error = 0;
	if (!layout || eic_str_empty(path))
		return EIC_EINVAL;
	if (has_ext(path, ".svg")) {
		if ((error = eic_sankey_svg(&svg, &svg_len, layout)) < 0)
			goto done;
		error = write_atomic(path, svg, svg_len);
	} else if (has_ext(path, ".png") || has_ext(path, ".pdf")) {
		if ((error = render_to(&data, layout, has_ext(path, ".png") ? 'n' : 'p')) < 0)
			goto done;
		error = write_atomic(path, data.data ? data.data : "", data.len);
	} else {
		error = EIC_EINVAL;
	}
done:
	eic_free(svg);
	eic_buf_free(&data);
	return error;
}
