/* eic/report.h: the self-contained HTML report of a cluster, built from sections that engines
 * register through one interface. Ownership: the writer is borrowed by section callbacks
 * for the duration of the call; nothing a section receives outlives it. */
#ifndef EIC_REPORT_H
#define EIC_REPORT_H

#include "common.h"
#include "model.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output sink for HTML handed to sections. */
typedef struct eic_html eic_html;

/** Append raw HTML/SVG (trusted markup written by the section). */
EIC_EXTERN int eic_html_raw(eic_html *h, const char *markup);
/** Append text, HTML-escaped. */
EIC_EXTERN int eic_html_text(eic_html *h, const char *text);
/** Append printf-formatted raw markup; arguments are NOT escaped (use eic_html_text for data). */
EIC_EXTERN int eic_html_printf(eic_html *h, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** The store given in eic_report_options (borrowed; NULL when the report has none). Sections
 *  that show records kept in the store (not in the cluster) read them through it and say so
 *  when it is NULL. */
EIC_EXTERN eic_store *eic_html_store(const eic_html *h);

/** A report section. `render` writes the section body (the report adds the heading and
 *  anchor). Returns 0 or a negative error code, which aborts the report. */
typedef struct {
	const char *id;    /**< anchor id, [a-z0-9-]+ */
	const char *title; /**< heading text */
	int (*render)(eic_html *out, const eic_cluster *cluster, void *ctx);
	void *ctx; /**< passed to render */
} eic_report_section;

/** The built-in sections in order (docs/methods/report.md): overview, sankey, actors, map,
 *  flows, balance, reconciliation, circularity, network, synergies, optimised-network,
 *  tracked-synergies, finance, impact, performance, annual-report. */
EIC_EXTERN size_t eic_report_default_sections(const eic_report_section **out);

typedef struct {
	unsigned version;
	const eic_report_section *sections; /**< NULL: the default sections */
	size_t section_count;
	const char *generated_by; /**< footer text, NULL for "eic <version>" */
	int deterministic;        /**< omit the generation time (for tests) */
	eic_store *store; /**< the store the cluster came from, for sections that read records kept
	                       beside it (tracked synergies, measurements); NULL: none */
} eic_report_options;
#define EIC_REPORT_OPTIONS_VERSION 1
#define EIC_REPORT_OPTIONS_INIT                                                                    \
	{                                                                                          \
		EIC_REPORT_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL                                 \
	}

/** Write the report as one HTML file (inline CSS and SVG, no external resources). */
EIC_EXTERN int eic_report_write(const eic_cluster *cluster, const char *path,
                                const eic_report_options *opts);

#ifdef __cplusplus
}
#endif
#endif
