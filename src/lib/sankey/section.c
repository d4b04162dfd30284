/* section.c: the "sankey" section of the HTML report: the diagram of each period (or of all
 * periods summed) as inline SVG with unique ids, and a caption on how to read it. */
#include "sankey_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/report/report_private.h"

/* Periods drawn one by one up to this count; beyond it, one diagram of the sum. */
#define MAX_PERIOD_DIAGRAMS 4
/* Page size of an embedded diagram: scaled to the report's text column (about 1060 px), its
 * 9.5 pt labels show at about 12 px. */
#define REPORT_WIDTH_PT 840.0
#define REPORT_HEIGHT_PT 560.0

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((error = (expr)) < 0)                                                          \
			goto done;                                                                 \
	} while (0)

/* Append the SVG document for inline use: the XML prolog dropped; on the root element the
 * fixed width and height removed (the drawing scales to the column by its viewBox) and an
 * accessible name added; xlink:href written as plain href (inline SVG in HTML needs no xlink
 * namespace, so the page names no URI but the SVG namespace). */
static int embed_svg(eic_html *h, const char *svg, const char *title)
{
	static const char xlink_ns[] = " xmlns:xlink=\"http://www.w3.org/1999/xlink\"";
	int error = 0;
	const char *start = strstr(svg, "<svg");
	if (!start)
		return EIC_ERROR;
	const char *tag_end = strchr(start, '>');
	if (!tag_end)
		return EIC_ERROR;
	eic_buf out = EIC_BUF_INIT;
	const char *p = start;
	while (p < tag_end) {
		if ((strncmp(p, " width=\"", 8) == 0 || strncmp(p, " height=\"", 9) == 0)) {
			const char *q = strchr(p + 2, '"');
			q = q ? strchr(q + 1, '"') : NULL;
			if (q && q < tag_end) {
				p = q + 1;
				continue;
			}
		}
		if (strncmp(p, xlink_ns, sizeof(xlink_ns) - 1) == 0) {
			p += sizeof(xlink_ns) - 1;
			continue;
		}
		eic_buf_putc(&out, *p++);
	}
	eic_buf_puts(&out, " width=\"100%\" role=\"img\" aria-label=\"");
	if (out.failed) {
		eic_buf_free(&out);
		return EIC_ENOMEM;
	}
	TRY(eic_html_raw(h, out.data));
	TRY(eic_html_text(h, title));
	TRY(eic_html_raw(h, "\" style=\"display:block;height:auto;border:1px solid #d9dee5;"
	                    "background:#fff\""));
	eic_buf_clear(&out);
	for (p = tag_end; *p;) {
		if (strncmp(p, "xlink:href=", 11) == 0) {
			eic_buf_puts(&out, "href=");
			p += 11;
		} else {
			const char *next = strstr(p, "xlink:href=");
			size_t len = next ? (size_t)(next - p) : strlen(p);
			eic_buf_put(&out, p, len);
			p += len;
		}
	}
	if (out.failed) {
		error = EIC_ENOMEM;
		goto done;
	}
	TRY(eic_html_raw(h, out.data));
done:
	eic_buf_free(&out);
	return error;
}

static int caption(eic_html *h, const eic_sankey *l)
{
	int error = 0;
	char per[64], small[64];
	int widened = 0, returns = 0, losses = 0, stock = 0;
	for (size_t i = 0; i < eic_sankey_link_count(l); i++) {
		const eic_sankey_link *lk = eic_sankey_link_at(l, i);
		widened |= lk->widened;
		returns |= lk->is_return;
		losses |= lk->to_loss;
	}
	for (size_t i = 0; i < eic_sankey_node_count(l); i++)
		stock |= eic_sankey_node_at(l, i)->kind == EIC_SANKEY_NODE_STOCK;
	TRY(eic_html_raw(h, "<p class=\"caption\">"));
	if (eic_sankey_link_count(l) > 0) {
		eic_report__fmt_sig(per, sizeof(per), 10.0 / eic_sankey_scale(l), 3);
		TRY(eic_html_printf(h, "Band widths are proportional to %s in ",
		                    eic_sankey_quantity(l)));
		TRY(eic_html_text(h, eic_sankey_unit(l)));
		TRY(eic_html_printf(h, " (10 pt of width = %s ", per));
		TRY(eic_html_text(h, eic_sankey_unit(l)));
		TRY(eic_html_raw(h, ")"));
		if (widened) {
			eic_report__fmt_sig(small, sizeof(small),
			                    eic_sankey_min_width(l) / eic_sankey_scale(l), 3);
			TRY(eic_html_printf(h, "; flows under %s ", small));
			TRY(eic_html_text(h, eic_sankey_unit(l)));
			TRY(eic_html_raw(h, " are drawn at the minimum width so that they stay "
			                    "visible"));
		}
		TRY(eic_html_raw(h, ". Colours show the material class, the first part of each "
		                    "material's category; nodes are labelled with their "
		                    "throughput. Inputs from outside the cluster are on the left, "
		                    "markets and losses on the right."));
		if (losses)
			TRY(eic_html_raw(h,
			                 " Red and grey nodes are losses (landfill, open dumping "
			                 "or burning, water body, atmosphere)."));
		if (stock)
			TRY(eic_html_raw(h, " Hatched nodes are additions to or withdrawals from "
			                    "stock."));
		if (returns)
			TRY(eic_html_raw(h,
			                 " Bands with a dashed edge running back under the nodes "
			                 "are return flows that close a cycle."));
	}
	if (eic_sankey_omitted_count(l) > 0) {
		TRY(eic_html_printf(h, " %zu flow%s not drawn: ", eic_sankey_omitted_count(l),
		                    eic_sankey_omitted_count(l) == 1 ? " is" : "s are"));
		for (size_t i = 0; i < eic_sankey_omitted_count(l) && i < 12; i++) {
			const eic_sankey_omitted *o = eic_sankey_omitted_at(l, i);
			TRY(eic_html_raw(h, i ? ", " : ""));
			TRY(eic_html_raw(h, "<span class=\"id\">"));
			TRY(eic_html_text(h, o->flow));
			TRY(eic_html_raw(h, "</span> ("));
			TRY(eic_html_text(h, o->reason));
			TRY(eic_html_raw(h, ")"));
		}
		if (eic_sankey_omitted_count(l) > 12)
			TRY(eic_html_printf(h, " and %zu more", eic_sankey_omitted_count(l) - 12));
		TRY(eic_html_raw(h, ". <code>eic sankey --energy</code> draws the energy flows."));
	}
	TRY(eic_html_raw(h, "</p>\n"));
done:
	return error;
}

/* One diagram: layout, SVG with ids prefixed "sankey<index>-", caption. */
static int one_diagram(eic_html *h, const eic_cluster *cluster, const char *period, size_t index)
{
	eic_sankey_options opts = EIC_SANKEY_OPTIONS_INIT;
	eic_sankey *l = NULL;
	char *svg = NULL;
	eic_buf clean = EIC_BUF_INIT;
	char prefix[32];
	int error = 0;
	opts.period = period;
	opts.width_pt = REPORT_WIDTH_PT;
	opts.height_pt = REPORT_HEIGHT_PT;
	TRY(eic_sankey_layout(&l, cluster, &opts));
	TRY(eic_sankey_svg(&svg, NULL, l));
	snprintf(prefix, sizeof(prefix), "sankey%zu-", index);
	TRY(eic_sankey__svg_rewrite_ids(&clean, svg, prefix));
	TRY(eic_html_raw(h, "<figure class=\"sankey\" style=\"margin:8px 0\">\n"));
	TRY(embed_svg(h, clean.data, eic_sankey_title(l)));
	TRY(eic_html_raw(h, "</figure>\n"));
	TRY(caption(h, l));
done:
	eic_sankey_free(l);
	eic_free(svg);
	eic_buf_free(&clean);
	return error;
}

/* Contract: see sankey.h. */
int eic_sankey_report_render(eic_html *out, const eic_cluster *cluster, void *ctx)
{
	int error = 0;
	(void)ctx;
	if (!out || !cluster)
		return EIC_EINVAL;
	size_t periods = eic_cluster_period_count(cluster);
	if (periods >= 2 && periods <= MAX_PERIOD_DIAGRAMS) {
		for (size_t i = 0; i < periods; i++) {
			const eic_period *p = eic_cluster_period(cluster, i);
			TRY(eic_html_raw(out, "<h3>Period "));
			TRY(eic_html_text(out, p->id));
			if (!eic_str_empty(p->label)) {
				TRY(eic_html_raw(out, " <span class=\"at\">("));
				TRY(eic_html_text(out, p->label));
				TRY(eic_html_raw(out, ")</span>"));
			}
			TRY(eic_html_raw(out, "</h3>\n"));
			TRY(one_diagram(out, cluster, p->id, i + 1));
		}
		goto done;
	}
	if (periods > MAX_PERIOD_DIAGRAMS)
		TRY(eic_html_printf(
		    out,
		    "<p class=\"note\">The %zu periods are summed in one diagram; "
		    "<code>eic sankey CLUSTER --period P</code> draws one period.</p>\n",
		    periods));
	TRY(one_diagram(out, cluster, NULL, 1));
done:
	return error;
}
