/* eic/sankey.h: Sankey diagrams of a cluster's material or energy flows: a layered layout and
 * its drawing as SVG, PNG or PDF (cairo). Ownership: eic_sankey_layout hands a layout freed by
 * eic_sankey_free; nodes, links, points and strings are borrowed from it and live as long as
 * it does; eic_sankey_svg hands a malloc'd buffer the caller frees with free().
 * Method: docs/methods/sankey.md. */
#ifndef EIC_SANKEY_H
#define EIC_SANKEY_H

#include "common.h"
#include "model.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eic_sankey eic_sankey;

/** What a node stands for; decides its column and its drawing style. */
typedef enum {
	EIC_SANKEY_NODE_PROCESS = 0, /**< a process of an actor */
	EIC_SANKEY_NODE_ACTOR,       /**< an actor named directly by flows */
	EIC_SANKEY_NODE_SOURCE,      /**< a boundary that flows come from (left column) */
	EIC_SANKEY_NODE_PRODUCT,     /**< product market (right column) */
	EIC_SANKEY_NODE_LOSS, /**< landfill, open dumping or burning, water body, atmosphere */
	EIC_SANKEY_NODE_STOCK /**< stock: addition (right) or withdrawal (left) */
} eic_sankey_node_kind;

/** A node: a box at (x, y) of size w x h points (y grows downwards), h proportional to its
 *  throughput. Its label is drawn in the box label_x, label_y, label_w, label_h (label_w 0
 *  when the label had to be left out for lack of room). */
typedef struct {
	const char *id; /**< process or actor id; "boundary:<kind>" for a sink, "boundary:<kind>:in"
	                    for a boundary used as a source */
	const char *name;  /**< full display name */
	const char *label; /**< the name as drawn: shortened with an ellipsis, or wrapped onto two
	                       lines separated by '\n'; "" when left out */
	const char *value_label; /**< the throughput line, e.g. "12,300 t" ("" when it shares
	                             the name's line) */
	eic_sankey_node_kind kind;
	eic_boundary_kind boundary; /**< for SOURCE, PRODUCT, LOSS and STOCK nodes */
	size_t layer;               /**< column, 0 at the left */
	double x, y, w, h;
	double value_in, value_out; /**< drawn flows in and out, in the diagram unit */
	double value;               /**< throughput: max(value_in, value_out) */
	double label_x, label_y, label_w, label_h;
} eic_sankey_node;

typedef struct {
	double x, y;
} eic_sankey_point;

/** A link: one or more flows with the same ends and material class, drawn as a band whose
 *  centre line passes through `points`. A forward link's consecutive points at different x
 *  are joined by a cubic curve with horizontal tangents (control points at the middle x),
 *  points at the same y by a straight line. A return link (is_return) runs from the right
 *  side of its source down to a lane under the nodes, back to the left and up into the left
 *  side of its target: its points are the corners of that route, drawn with rounded corners. */
typedef struct {
	size_t source, target;      /**< node indices */
	const char *material;       /**< material id when the link carries one material, else "" */
	const char *material_class; /**< first segment of the material's category, or "other" */
	const char *colour;         /**< "#rrggbb" of the class */
	double value;               /**< in the diagram unit */
	double width;               /**< points: value * scale, or the minimum width */
	int widened;                /**< 1 when value * scale was below the minimum width */
	int is_return;              /**< drawn back as a loop under the nodes (closes a cycle) */
	int to_loss;                /**< ends at a loss node */
	size_t point_count;
	const eic_sankey_point *points;
	size_t flow_count;
	const char *const *flows; /**< ids of the flows summed in this link */
} eic_sankey_link;

/** A flow of the chosen period(s) that is not drawn, and why ("not convertible to t", ...). */
typedef struct {
	const char *flow;
	const char *material;
	const char *reason;
} eic_sankey_omitted;

/** A legend entry of the colour classes used. */
typedef struct {
	const char *name;   /**< "biomass", "water", ..., "other" */
	const char *colour; /**< "#rrggbb" */
} eic_sankey_class;

typedef struct {
	unsigned version;
	const char *period;   /**< a period id, or NULL for all periods summed */
	const char *quantity; /**< "mass" (NULL) or "energy" */
	double width_pt;      /**< page width in points, 0 for 960 */
	double height_pt;     /**< page height in points, 0 for 600 */
	const char *title;    /**< NULL: "<cluster name>: mass flows, <period>" */
} eic_sankey_options;
#define EIC_SANKEY_OPTIONS_VERSION 1
#define EIC_SANKEY_OPTIONS_INIT                                                                    \
	{                                                                                          \
		EIC_SANKEY_OPTIONS_VERSION, NULL, NULL, 0.0, 0.0, NULL                             \
	}

/**
 * Lay out the Sankey diagram of a cluster's flows. Each flow of the period (all periods summed
 * when NULL) is converted with eic_flow_amount to the cluster's mass unit (or energy unit);
 * flows that cannot be converted, have no positive quantity, an unknown end or the same node at
 * both ends are listed as omitted. Nodes are placed in columns (longest-path layering after
 * the cycles are broken), ordered to reduce crossings, and labelled without overlaps
 * (docs/methods/sankey.md). A network with nothing to draw gives an empty layout, not an
 * error. The cluster may be freed after the call.
 * @param[out] out the layout, free with eic_sankey_free
 * @return 0, EIC_EINVAL (bad options: unknown quantity, size below 200 x 150 pt),
 *         EIC_ENOTFOUND (unknown period), EIC_ENOMEM
 */
EIC_EXTERN int eic_sankey_layout(eic_sankey **out, const eic_cluster *cluster,
                                 const eic_sankey_options *opts);
EIC_EXTERN void eic_sankey_free(eic_sankey *layout);

/** Page size in points. */
EIC_EXTERN double eic_sankey_width(const eic_sankey *l);
EIC_EXTERN double eic_sankey_height(const eic_sankey *l);
/** Title and the note on units drawn under it. */
EIC_EXTERN const char *eic_sankey_title(const eic_sankey *l);
EIC_EXTERN const char *eic_sankey_unit_note(const eic_sankey *l);
/** Why nothing is drawn ("Nothing to draw: ...", "Too large to draw ..."), or NULL when the
 *  diagram has links. */
EIC_EXTERN const char *eic_sankey_message(const eic_sankey *l);
/** Unit of link values ("t", "GJ"); "mass" or "energy". */
EIC_EXTERN const char *eic_sankey_unit(const eic_sankey *l);
EIC_EXTERN const char *eic_sankey_quantity(const eic_sankey *l);
/** Points per unit of value, and the minimum width of a link in points. */
EIC_EXTERN double eic_sankey_scale(const eic_sankey *l);
EIC_EXTERN double eic_sankey_min_width(const eic_sankey *l);
/** Number of edge crossings between forward links after ordering (return links excluded). */
EIC_EXTERN size_t eic_sankey_crossings(const eic_sankey *l);

EIC_EXTERN size_t eic_sankey_node_count(const eic_sankey *l);
EIC_EXTERN const eic_sankey_node *eic_sankey_node_at(const eic_sankey *l, size_t i);
EIC_EXTERN size_t eic_sankey_link_count(const eic_sankey *l);
EIC_EXTERN const eic_sankey_link *eic_sankey_link_at(const eic_sankey *l, size_t i);
EIC_EXTERN size_t eic_sankey_omitted_count(const eic_sankey *l);
EIC_EXTERN const eic_sankey_omitted *eic_sankey_omitted_at(const eic_sankey *l, size_t i);
EIC_EXTERN size_t eic_sankey_class_count(const eic_sankey *l);
EIC_EXTERN const eic_sankey_class *eic_sankey_class_at(const eic_sankey *l, size_t i);

/**
 * Draw the layout into a file; the format follows the extension: .svg, .png (2 pixels per
 * point) or .pdf (case-insensitive). The file is written to path.tmp and renamed.
 * @return 0, EIC_EINVAL (unknown extension), EIC_EIO, EIC_ENOMEM
 */
EIC_EXTERN int eic_sankey_write(const eic_sankey *layout, const char *path);

/**
 * Draw the layout as an SVG document in memory (with its XML prolog). Element ids are
 * renumbered in order of appearance so that the same layout always gives the same bytes.
 * @param[out] out NUL-terminated text, free with free()
 * @param[out] out_size its length in bytes (without the NUL); may be NULL
 * @return 0, EIC_ENOMEM, EIC_ERROR (cairo failed)
 */
EIC_EXTERN int eic_sankey_svg(char **out, size_t *out_size, const eic_sankey *layout);

/** Report section callback (eic_report_section.render): one diagram per period (up to four,
 *  else all periods summed), inline SVG, with a caption on widths, colours and omissions.
 *  ctx is unused. */
EIC_EXTERN int eic_sankey_report_render(eic_html *out, const eic_cluster *cluster, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
