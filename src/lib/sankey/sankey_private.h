/* sankey_private.h: internals of the Sankey module shared by its files: the layout object,
 * the legend items, the drawing constants and the cairo text helpers. */
#ifndef EIC_SANKEY_PRIVATE_H
#define EIC_SANKEY_PRIVATE_H

#include <cairo.h>

#include <eic/sankey.h>

#include "util/util.h"

/* Font of every text in the drawing (fonts-dejavu-core, installed by scripts/setup.sh). */
#define EIC_SANKEY_FONT "DejaVu Sans"
#define EIC_SANKEY_TITLE_PT 15.0
#define EIC_SANKEY_NOTE_PT 9.5
#define EIC_SANKEY_LABEL_PT 9.5
#define EIC_SANKEY_LEGEND_PT 9.0
/* Line height as a multiple of the font size. */
#define EIC_SANKEY_LINE 1.25
/* Margin around the page, node width, minimum link width, in points. */
#define EIC_SANKEY_MARGIN 14.0
#define EIC_SANKEY_NODE_W 12.0
#define EIC_SANKEY_MIN_WIDTH 1.0
/* Networks above these sizes are not drawn (a diagram of them could not be read). */
#define EIC_SANKEY_MAX_NODES 400
#define EIC_SANKEY_MAX_LINKS 2000
/* PNG pixels per point. */
#define EIC_SANKEY_PNG_SCALE 2.0

/* What a legend item shows. */
typedef enum {
	EIC_SANKEY__LEG_CLASS = 0, /* colour swatch of a material class */
	EIC_SANKEY__LEG_NODE,      /* node box in the style of a node kind */
	EIC_SANKEY__LEG_RETURN,    /* return-flow band */
	EIC_SANKEY__LEG_TEXT       /* a line of text only */
} eic_sankey__legend_kind;

typedef struct {
	eic_sankey__legend_kind kind;
	const char *text;
	const char *colour;        /* class colour */
	eic_sankey_node_kind node; /* for LEG_NODE */
	eic_boundary_kind boundary;
	double x, y; /* top left of the item (swatch then text) */
	double w, h;
} eic_sankey__legend_item;

struct eic_sankey {
	eic_arena arena; /* every string and array below except the vectors */
	double width, height;
	const char *title, *unit_note, *unit, *quantity;
	const char *message; /* empty-state text drawn in the middle, or NULL */
	double scale, min_width;
	size_t crossings;
	eic_sankey_node *nodes;
	size_t node_count;
	eic_sankey_link *links;
	size_t link_count;
	eic_vec omitted; /* eic_sankey_omitted */
	eic_vec classes; /* eic_sankey_class */
	eic_vec legend;  /* eic_sankey__legend_item */
	double title_y, note_y;
	/* Label boxes get a white backing (labels drawn over links). */
	unsigned char *label_backed; /* per node */
	/* Leader line from a displaced label to its node: node index -> 1 when drawn. */
	unsigned char *label_leader;
	/* Font size of node labels (may be reduced for crowded diagrams). */
	double label_pt;
};

/* Colour of a node kind (boundary for loss nodes), "#rrggbb". */
const char *eic_sankey__node_colour(eic_sankey_node_kind kind, eic_boundary_kind boundary);

/* Set the font used for measuring and drawing: EIC_SANKEY_FONT at size_pt, metrics unhinted
 * so that every surface measures the same. */
void eic_sankey__set_font(cairo_t *cr, double size_pt, int bold);

/* Advance width of text at the current font, in points. */
double eic_sankey__text_width(cairo_t *cr, const char *text);

/* Parse "#rrggbb" into cairo components (0..1); black for malformed text. */
void eic_sankey__rgb(const char *hex, double *r, double *g, double *b);

/* Copy the SVG text `svg` to out with every element id renamed "<prefix>i<N>", N counting
 * ids in order of first appearance (as a definition or a reference), and every reference
 * (href="#x", url(#x)) renamed to match. cairo numbers some ids from process-wide counters;
 * renumbering makes equal drawings equal bytes, and a prefix keeps several drawings apart in
 * one HTML page. O(length). Returns 0 or EIC_ENOMEM. */
int eic_sankey__svg_rewrite_ids(eic_buf *out, const char *svg, const char *prefix);

#endif
