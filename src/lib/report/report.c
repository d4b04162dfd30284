/* report.c: the HTML report writer: the eic_html sink, the page frame (head, inline CSS,
 * header, table of contents, footer) and the atomic write of the file. */
#include "report_private.h"
#include "lib/mfa/reconcile_report.h"
#include "sections_flow.h"
#include "lib/finance/report_section.h"
#include "lib/impact/impact_section.h"
#include "lib/symbiosis/match_section.h"
#include "lib/symbiosis/synergy_section.h"
#include "lib/monitor/monitor_section.h"

#include <eic/optimize.h>
#include <eic/sankey.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the eic_html sink ---- */

int eic_html_raw(eic_html *h, const char *markup)
{
	if (!h)
		return EIC_EINVAL;
	return eic_buf_puts(&h->buf, markup) < 0 ? EIC_ENOMEM : 0;
}

/* Escape the five HTML-special characters so text is safe both as element content and inside
 * quoted attribute values. Other bytes (UTF-8) pass through unchanged. O(length). */
int eic_html_text(eic_html *h, const char *text)
{
	if (!h)
		return EIC_EINVAL;
	if (!text)
		return 0;
	const char *run = text;
	for (const char *p = text;; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			break;
		}
		if (rep || *p == '\0') {
			if (eic_buf_put(&h->buf, run, (size_t)(p - run)) < 0)
				return EIC_ENOMEM;
			if (*p == '\0')
				break;
			if (eic_buf_puts(&h->buf, rep) < 0)
				return EIC_ENOMEM;
			run = p + 1;
		}
	}
	return 0;
}

int eic_html_printf(eic_html *h, const char *fmt, ...)
{
	if (!h || !fmt)
		return EIC_EINVAL;
	va_list ap;
	va_start(ap, fmt);
	int rc = eic_buf_vprintf(&h->buf, fmt, ap);
	va_end(ap);
	return rc < 0 ? EIC_ENOMEM : 0;
}

/* ---- default sections ---- */

static const eic_report_section default_sections[] = {
    {"overview", "Overview", eic_report__render_overview, NULL},
    {"sankey", "Sankey diagram of the flows", eic_sankey_report_render, NULL},
    {"actors", "Actors", eic_report__render_actors, NULL},
    {"map", "Map of sites and flows", eic_report__render_map, NULL},
    {"flows", "Flows", eic_report__render_flows, NULL},
    {"balance", "Mass and energy balance", eic_report__render_balance, NULL},
    {"reconciliation", "Data reconciliation", eic_mfa__render_reconciliation, NULL},
    {"circularity", "Circularity", eic_report__render_circularity, NULL},
    {"network", "Network indicators", eic_report__render_network, NULL},
    {"synergies", "Proposed exchanges", eic_match__render_section, NULL},
    {"optimised-network", "Optimised network", eic_opt_report_render, NULL},
    {"tracked-synergies", "Tracked synergies", eic_synergy__render_section, NULL},
    {"finance", "Financing the shared facilities", eic_fin__render_report, NULL},
    {"impact", "Impact: eco-cluster scenario against business as usual", eic_impact__render_section,
     NULL},
    {"performance", "Performance and rating", eic_monitor__render_performance, NULL},
    {"annual-report", "Annual sustainability report", eic_monitor__render_annual, NULL},
};

size_t eic_report_default_sections(const eic_report_section **out)
{
	if (out)
		*out = default_sections;
	return sizeof(default_sections) / sizeof(default_sections[0]);
}

/* ---- page frame ---- */

static const char report_css[] =
    ":root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--band:#12405a;--accent:#1f77b4;"
    "--zebra:#f5f7fa;--warn:#fff1e0;--warn-ink:#9a4d00}\n"
    "*{box-sizing:border-box}\n"
    "html{font-size:15px}\n"
    "body{margin:0;color:var(--ink);background:#fff;line-height:1.45;"
    "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "'Noto Sans',sans-serif}\n"
    "header.top{background:var(--band);color:#fff;padding:28px 0 22px}\n"
    ".wrap{max-width:1120px;margin:0 auto;padding:0 28px}\n"
    "header.top h1{margin:0 0 4px;font-size:1.9rem;font-weight:600;letter-spacing:.01em}\n"
    "header.top .kicker{text-transform:uppercase;font-size:.75rem;letter-spacing:.12em;"
    "opacity:.8;margin:0 0 6px}\n"
    "header.top .sub{margin:0;opacity:.9}\n"
    "nav.toc{border-bottom:1px solid var(--line);background:#fafbfc}\n"
    "nav.toc ol{display:flex;flex-wrap:wrap;gap:4px 22px;margin:0;padding:10px 0 10px 18px}\n"
    "nav.toc li{list-style-position:inside}\n"
    "nav.toc a{color:var(--band);text-decoration:none}\n"
    "nav.toc a:hover{text-decoration:underline}\n"
    "main section{padding:8px 0 18px;border-bottom:1px solid var(--line)}\n"
    "main section:last-child{border-bottom:0}\n"
    "h2{font-size:1.4rem;font-weight:600;color:var(--band);margin:22px 0 10px}\n"
    "h3{font-size:1.05rem;font-weight:600;margin:18px 0 8px}\n"
    "p.note,.caption{color:var(--muted);font-size:.9rem}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:.88rem;margin:6px 0 10px}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:#eef2f6;font-weight:600;border-bottom:2px solid #c5ccd6;"
    "white-space:nowrap}\n"
    "tbody tr:nth-child(even){background:var(--zebra)}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "span.at{font-size:.85em;color:var(--muted)}\n"
    "td.nowrap{white-space:nowrap}\n"
    "td.id,span.id{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "font-size:.82rem;color:var(--muted)}\n"
    "tr.group td{background:#e3ebf3;font-weight:600;color:var(--band)}\n"
    "tr.warn td{background:var(--warn)}\n"
    "td.flag{color:var(--warn-ink);font-weight:600}\n"
    "tr.total td{font-weight:600;border-top:2px solid #c5ccd6}\n"
    "table.kv{width:auto;min-width:60%}\n"
    "table.kv th{width:11em;color:var(--muted);font-weight:600;background:none;"
    "border-bottom:1px solid var(--line)}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;"
    "margin:10px 0 14px}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fafbfc}\n"
    ".card .v{font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}\n"
    ".card .u{font-size:.85rem;color:var(--muted);margin-left:3px}\n"
    ".card .k{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}\n"
    ".card.bad .v{color:#b42318}\n"
    ".swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;"
    "vertical-align:baseline;border:1px solid rgba(0,0,0,.25)}\n"
    ".badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:.78rem;"
    "background:#eef2f6;color:var(--muted)}\n"
    ".badge.measured{background:#e3f4e8;color:#1b6b35}\n"
    ".badge.calculated{background:#e6eefb;color:#1d4f91}\n"
    ".badge.estimated{background:#fdf1dc;color:#8a5300}\n"
    "figure.map{margin:8px 0}\n"
    "figure.map>svg{width:100%;height:auto;border:1px solid var(--line);background:#fbfcfd}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:.85rem;margin:8px 0}\n"
    ".legend span{white-space:nowrap}\n"
    ".legend svg{vertical-align:middle;margin-right:4px}\n"
    "ul.notes{font-size:.85rem;color:var(--muted);columns:2;column-gap:28px}\n"
    ".boundary{font-style:italic}\n"
    "footer{color:var(--muted);font-size:.82rem;border-top:1px solid var(--line);"
    "padding:14px 0 30px;margin-top:10px}\n"
    "@media (max-width:760px){ul.notes{columns:1}}\n"
    "@media print{html{font-size:11pt}header.top{background:none;color:var(--ink);"
    "border-bottom:2px solid var(--ink);padding:8px 0}"
    "nav.toc{background:none}.wrap{max-width:none;padding:0}"
    "main section{break-inside:auto}h2,h3{break-after:avoid}"
    "figure.map,table.kv,.cards{break-inside:avoid}"
    "tr{break-inside:avoid}thead{display:table-header-group}"
    ".scroll{overflow:visible}"
    "tbody tr:nth-child(even),thead th,tr.group td,tr.warn td,.card{"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* Section ids become anchors: [a-z0-9-]+ only, so they need no escaping. */
static int valid_section_id(const char *id)
{
	if (eic_str_empty(id))
		return 0;
	for (const char *p = id; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	}
	return 1;
}

static int render_header(eic_html *h, const eic_cluster *cluster)
{
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *name = info && !eic_str_empty(info->name) ? info->name
	                   : info && !eic_str_empty(info->id) ? info->id
	                                                      : "Unnamed cluster";
	int error;
	if ((error = eic_html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	                             "<meta charset=\"utf-8\">\n"
	                             "<meta name=\"viewport\" content=\"width=device-width, "
	                             "initial-scale=1\">\n<title>")) < 0 ||
	    (error = eic_html_text(h, name)) < 0 ||
	    (error = eic_html_raw(h, " \xe2\x80\x94 cluster report</title>\n<style>\n")) < 0 ||
	    (error = eic_html_raw(h, report_css)) < 0 ||
	    (error = eic_html_raw(h, "</style>\n</head>\n<body>\n<header class=\"top\">"
	                             "<div class=\"wrap\">\n<p class=\"kicker\">Eco-industrial "
	                             "cluster report</p>\n<h1>")) < 0 ||
	    (error = eic_html_text(h, name)) < 0 || (error = eic_html_raw(h, "</h1>\n")) < 0)
		return error;

	/* Subtitle: region, country, periods. */
	if (info) {
		int parts = 0;
		if ((error = eic_html_raw(h, "<p class=\"sub\">")) < 0)
			return error;
		if (!eic_str_empty(info->region)) {
			if ((error = eic_html_text(h, info->region)) < 0)
				return error;
			parts++;
		}
		if (!eic_str_empty(info->country)) {
			if ((parts && (error = eic_html_raw(h, ", ")) < 0) ||
			    (error = eic_html_text(h, info->country)) < 0)
				return error;
			parts++;
		}
		size_t period_count = eic_cluster_period_count(cluster);
		if (period_count) {
			const eic_period *first = eic_cluster_period(cluster, 0);
			const eic_period *last = eic_cluster_period(cluster, period_count - 1);
			if ((parts && (error = eic_html_raw(h, " \xc2\xb7 ")) < 0) ||
			    (error = eic_html_raw(h, period_count == 1 ? "Period " : "Periods ")) <
			        0 ||
			    (error = eic_html_text(h, first->id)) < 0)
				return error;
			if (period_count > 1 && ((error = eic_html_raw(h, " to ")) < 0 ||
			                         (error = eic_html_text(h, last->id)) < 0))
				return error;
		}
		if ((error = eic_html_raw(h, "</p>\n")) < 0)
			return error;
	}
	return eic_html_raw(h, "</div></header>\n");
}

static int render_toc(eic_html *h, const eic_report_section *sections, size_t count)
{
	int error;
	if ((error =
	         eic_html_raw(h, "<nav class=\"toc\" aria-label=\"Contents\"><div class=\"wrap\">"
	                         "<ol>\n")) < 0)
		return error;
	for (size_t i = 0; i < count; i++) {
		if ((error = eic_html_printf(h, "<li><a href=\"#%s\">", sections[i].id)) < 0 ||
		    (error = eic_html_text(h, sections[i].title ? sections[i].title
		                                                : sections[i].id)) < 0 ||
		    (error = eic_html_raw(h, "</a></li>\n")) < 0)
			return error;
	}
	return eic_html_raw(h, "</ol></div></nav>\n");
}

static int render_footer(eic_html *h, const eic_report_options *opts)
{
	int error;
	if ((error = eic_html_raw(h, "<footer><div class=\"wrap\">Generated by ")) < 0)
		return error;
	if (opts->generated_by)
		error = eic_html_text(h, opts->generated_by);
	else
		error = eic_html_raw(h, "eic " EIC_VERSION_STRING);
	if (error < 0)
		return error;
	if (!opts->deterministic) {
		char date[64] = "";
		time_t now = time(NULL);
		struct tm tm;
		if (now != (time_t)-1 && gmtime_r(&now, &tm))
			strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", &tm);
		if (date[0] && (error = eic_html_printf(h, " on %s", date)) < 0)
			return error;
	}
	return eic_html_raw(h, ". Self-contained file: no scripts, fonts, images or network "
	                       "resources.</div></footer>\n</body>\n</html>\n");
}

/* Build the whole document in memory. Sections render in the given order; a section error
 * aborts the report with that code. */
static int render_document(eic_html *h, const eic_cluster *cluster,
                           const eic_report_section *sections, size_t count,
                           const eic_report_options *opts)
{
	int error;
	if ((error = render_header(h, cluster)) < 0 ||
	    (error = render_toc(h, sections, count)) < 0 ||
	    (error = eic_html_raw(h, "<main class=\"wrap\">\n")) < 0)
		return error;
	for (size_t i = 0; i < count; i++) {
		const eic_report_section *s = &sections[i];
		if ((error = eic_html_printf(h, "<section id=\"%s\">\n<h2>", s->id)) < 0 ||
		    (error = eic_html_text(h, s->title ? s->title : s->id)) < 0 ||
		    (error = eic_html_raw(h, "</h2>\n")) < 0)
			return error;
		if ((error = s->render(h, cluster, s->ctx)) < 0)
			return error;
		if ((error = eic_html_raw(h, "\n</section>\n")) < 0)
			return error;
	}
	if ((error = eic_html_raw(h, "</main>\n")) < 0)
		return error;
	return render_footer(h, opts);
}

/* Write data to path atomically: path.tmp is written, flushed and renamed over path, so a
 * reader never sees half a report. On failure the temporary file is removed. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	int error = 0;
	size_t plen = strlen(path);
	char *tmp = eic_malloc(plen + 5);
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
	if (written != len || close_rc != 0) {
		remove(tmp);
		error = EIC_EIO;
		goto done;
	}
	if (rename(tmp, path) != 0) {
		remove(tmp);
		error = EIC_EIO;
		goto done;
	}
done:
	eic_free(tmp);
	return error;
}

eic_store *eic_html_store(const eic_html *h)
{
	return h ? h->store : NULL;
}

int eic_report_write(const eic_cluster *cluster, const char *path, const eic_report_options *opts)
{
	eic_report_options defaults = EIC_REPORT_OPTIONS_INIT;
	eic_html h = {EIC_BUF_INIT, NULL};
	int error = 0;

	if (!cluster || eic_str_empty(path))
		return EIC_EINVAL;
	if (!opts)
		opts = &defaults;
	if (opts->version != EIC_REPORT_OPTIONS_VERSION)
		return EIC_EINVAL;

	const eic_report_section *sections = opts->sections;
	size_t count = opts->section_count;
	if (!sections)
		count = eic_report_default_sections(&sections);
	for (size_t i = 0; i < count; i++) {
		if (!valid_section_id(sections[i].id) || !sections[i].render)
			return EIC_EINVAL;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(sections[i].id, sections[j].id) == 0)
				return EIC_EINVAL;
		}
	}

	h.buf.cap_limit = EIC_REPORT_MAX_BYTES;
	h.store = opts->store;
	if ((error = render_document(&h, cluster, sections, count, opts)) < 0)
		goto done;
	if (h.buf.failed) {
		error = EIC_ENOMEM;
		goto done;
	}
	error = write_atomic(path, h.buf.data, h.buf.len);
done:
	eic_buf_free(&h.buf);
	return error;
}
