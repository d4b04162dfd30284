/* network.c: the flow network of ecological network analysis: building it by hand, reading a
 * SCOR file (enaR/NETWRK format) with located diagnostics, and deriving it from a cluster. */
#include "eic/network.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ena_private.h"

/* Notes about single flows kept per network; the rest are counted in a summary note. */
#define MAX_FLOW_NOTES 20
/* Hard cap on the size of a SCOR file read into memory. */
#define MAX_SCOR_BYTES ((size_t)1 << 30)

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int eic_network_new(eic_network **out)
{
	if (!out)
		return EIC_EINVAL;
	*out = NULL;
	eic_network *net = eic_calloc(1, sizeof(*net));
	if (!net)
		return EIC_ENOMEM;
	eic_arena_init(&net->arena);
	eic_vec_init(&net->names, sizeof(const char *));
	eic_vec_init(&net->bounds, sizeof(eic_ena__bound));
	eic_vec_init(&net->flows, sizeof(eic_ena__flow));
	eic_vec_init(&net->notes, sizeof(const char *));
	net->title = "";
	net->unit = "";
	*out = net;
	return 0;
}

void eic_network_free(eic_network *net)
{
	if (!net)
		return;
	eic_vec_free(&net->names);
	eic_vec_free(&net->bounds);
	eic_vec_free(&net->flows);
	eic_vec_free(&net->notes);
	eic_arena_clear(&net->arena);
	eic_free(net);
}

int eic_network_add_node(eic_network *net, const char *name, size_t *out_index)
{
	if (!net)
		return EIC_EINVAL;
	if (net->names.len >= EIC_NETWORK_MAX_NODES)
		return EIC_ENOMEM;
	const char *copy = eic_arena_strdup(&net->arena, or_empty(name));
	eic_ena__bound b = {0.0, 0.0, 0.0};
	if (!copy || !eic_vec_push(&net->names, &copy))
		return EIC_ENOMEM;
	if (!eic_vec_push(&net->bounds, &b)) {
		net->names.len--;
		return EIC_ENOMEM;
	}
	if (out_index)
		*out_index = net->names.len - 1;
	return 0;
}

static int valid_amount(double amount)
{
	return isfinite(amount) && amount >= 0.0;
}

int eic_network_add_flow(eic_network *net, size_t from, size_t to, double amount)
{
	if (!net || from >= net->names.len || to >= net->names.len || !valid_amount(amount))
		return EIC_EINVAL;
	eic_ena__flow f = {from, to, amount, 0};
	return eic_vec_push(&net->flows, &f) ? 0 : EIC_ENOMEM;
}

static int add_bound(eic_network *net, size_t node, double amount, int which)
{
	if (!net || node >= net->bounds.len || !valid_amount(amount))
		return EIC_EINVAL;
	eic_ena__bound *b = EIC_VEC_AT(&net->bounds, eic_ena__bound, node);
	if (which == 0)
		b->input += amount;
	else if (which == 1)
		b->export_ += amount;
	else
		b->dissipation += amount;
	return 0;
}

int eic_network_add_input(eic_network *net, size_t node, double amount)
{
	return add_bound(net, node, amount, 0);
}

int eic_network_add_export(eic_network *net, size_t node, double amount)
{
	return add_bound(net, node, amount, 1);
}

int eic_network_add_dissipation(eic_network *net, size_t node, double amount)
{
	return add_bound(net, node, amount, 2);
}

size_t eic_network_node_count(const eic_network *net)
{
	return net ? net->names.len : 0;
}

const char *eic_network_node_name(const eic_network *net, size_t i)
{
	if (!net || i >= net->names.len)
		return NULL;
	return *EIC_VEC_AT(&net->names, const char *, i);
}

const char *eic_network_title(const eic_network *net)
{
	return net ? net->title : "";
}

const char *eic_network_unit(const eic_network *net)
{
	return net ? net->unit : "";
}

size_t eic_network_note_count(const eic_network *net)
{
	return net ? net->notes.len : 0;
}

const char *eic_network_note(const eic_network *net, size_t i)
{
	if (!net || i >= net->notes.len)
		return NULL;
	return *EIC_VEC_AT(&net->notes, const char *, i);
}

static int add_note(eic_network *net, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int add_note(eic_network *net, const char *fmt, ...)
{
	eic_buf buf = EIC_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = eic_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	const char *copy = rc < 0 || buf.failed ? NULL : eic_arena_strdup(&net->arena, buf.data);
	eic_buf_free(&buf);
	if (!copy || !eic_vec_push(&net->notes, &copy))
		return EIC_ENOMEM;
	return 0;
}

/* ---- SCOR ---- */

/* A line of the text: [start, end) without the newline, 1-based number. */
typedef struct {
	const char *start, *end;
	int number;
} scor_line;

typedef struct {
	const char *text, *end;
	const char *next; /* start of the next line, or end */
	int line;         /* number of the last line returned */
	const char *file;
	eic_diags *diags;
	int errors;
	int oom;
} scor_reader;

/* Next line (CR LF or LF ended); returns 0 at the end of the text. */
static int next_line(scor_reader *r, scor_line *out)
{
	if (r->next >= r->end)
		return 0;
	const char *p = r->next;
	const char *nl = memchr(p, '\n', (size_t)(r->end - p));
	const char *e = nl ? nl : r->end;
	r->next = nl ? nl + 1 : r->end;
	if (e > p && e[-1] == '\r')
		e--;
	out->start = p;
	out->end = e;
	out->number = ++r->line;
	return 1;
}

static void scor_error(scor_reader *r, int line, int column, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void scor_error(scor_reader *r, int line, int column, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->errors++;
	if (r->diags &&
	    eic_diags_add(r->diags, EIC_SEV_ERROR, r->file, line, column, "%s", msg) == EIC_ENOMEM)
		r->oom = 1;
}

/* Tokens of a line split on blanks, at most `max`; each with its 1-based column. */
typedef struct {
	const char *start[4];
	size_t len[4];
	int column[4];
	int count; /* number found, may exceed 4 (then only 4 are stored) */
} scor_tokens;

static void tokenize(scor_tokens *t, const scor_line *l)
{
	const char *p = l->start;
	t->count = 0;
	while (p < l->end) {
		while (p < l->end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p >= l->end)
			break;
		const char *s = p;
		while (p < l->end && !(*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (t->count < 4) {
			t->start[t->count] = s;
			t->len[t->count] = (size_t)(p - s);
			t->column[t->count] = (int)(s - l->start) + 1;
		}
		t->count++;
	}
}

/* The found-text of a token for messages, cut to 40 bytes. */
static void token_text(char *buf, size_t size, const char *s, size_t len)
{
	snprintf(buf, size, "'%.*s%s'", (int)(len > 40 ? 40 : len), s, len > 40 ? "..." : "");
}

static int parse_long_token(long *out, const char *s, size_t len)
{
	char tmp[32];
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return eic_parse_long(out, tmp);
}

/* A number as SCOR files write them: plain decimal, with an E/e/D/d exponent, or with the
 * Fortran form that drops the letter ("1.5-3" = 1.5e-3), which enaR's scifix accepts. */
static int parse_scor_number(double *out, const char *s, size_t len)
{
	char tmp[64];
	size_t j = 0;
	int has_exp = 0;
	if (len == 0 || len >= sizeof(tmp) - 2)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == 'd' || c == 'D' || c == 'e' || c == 'E') {
			c = 'e';
			has_exp = 1;
		} else if ((c == '+' || c == '-') && i > 0 && !has_exp &&
		           (isdigit((unsigned char)s[i - 1]) || s[i - 1] == '.')) {
			tmp[j++] = 'e';
			has_exp = 1;
		}
		tmp[j++] = c;
	}
	tmp[j] = '\0';
	return eic_parse_double(out, tmp);
}

/* Skip blank lines; returns 0 at the end of the text. */
static int next_content_line(scor_reader *r, scor_line *l, scor_tokens *t)
{
	while (next_line(r, l)) {
		tokenize(t, l);
		if (t->count > 0)
			return 1;
	}
	return 0;
}

static int is_terminator(const scor_tokens *t)
{
	return t->count == 1 && t->len[0] == 2 && t->start[0][0] == '-' && t->start[0][1] == '1';
}

/* Parse a compartment number token in 1..n into a 0-based index; reports the error. */
static int node_token(size_t *out, scor_reader *r, const scor_line *l, const scor_tokens *t, int k,
                      size_t n)
{
	long v;
	char found[64];
	if (parse_long_token(&v, t->start[k], t->len[k]) < 0 || v < 1 || (unsigned long)v > n) {
		token_text(found, sizeof(found), t->start[k], t->len[k]);
		scor_error(r, l->number, t->column[k],
		           "expected a compartment number from 1 to %zu, found %s", n, found);
		return -1;
	}
	*out = (size_t)(v - 1);
	return 0;
}

static int value_token(double *out, scor_reader *r, const scor_line *l, const scor_tokens *t, int k,
                       const char *what)
{
	char found[64];
	if (k >= t->count) {
		scor_error(r, l->number, (int)(l->end - l->start) + 1,
		           "expected %s, found the end of the line", what);
		return -1;
	}
	if (parse_scor_number(out, t->start[k], t->len[k]) < 0 || *out < 0.0) {
		token_text(found, sizeof(found), t->start[k], t->len[k]);
		scor_error(r, l->number, t->column[k], "expected %s (a number >= 0), found %s",
		           what, found);
		return -1;
	}
	return 0;
}

static const char *const block_names[5] = {"storage", "input", "export", "respiration", "flow"};

/*
 * Contract: see network.h. Structure errors (a missing or malformed header, a block not
 * ended by -1) stop the parse at that point; errors inside a data line are reported and the
 * parse goes on with the next line, so one run lists every bad line. O(length of the text).
 */
int eic_network_parse_scor(eic_network **out, eic_diags *diags, const char *name, const char *text,
                           size_t len)
{
	int error = 0;
	eic_network *net = NULL;
	int *seen = NULL; /* per block 0..3: line where each compartment was given */
	scor_reader r;
	scor_line l;
	scor_tokens t;
	char found[64];
	long n_long = 0, n_living = 0;
	size_t n = 0;

	if (!out || (!text && len > 0)) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.text = text ? text : "";
	r.next = r.text;
	r.end = r.text + len;
	r.file = name ? name : "";
	r.diags = diags;
	if ((error = eic_network_new(&net)) < 0)
		goto done;

	/* Title. */
	if (!next_line(&r, &l)) {
		scor_error(&r, 1, 1, "expected a title line, found an empty file");
		goto done;
	}
	{
		const char *s = l.start, *e = l.end;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		char *title = eic_arena_strndup(&net->arena, s, (size_t)(e - s));
		if (!title) {
			error = EIC_ENOMEM;
			goto done;
		}
		net->title = title;
	}

	/* "n n_living". */
	if (!next_line(&r, &l)) {
		scor_error(&r, r.line + 1, 1,
		           "expected the number of compartments and of living compartments, found "
		           "the end of the file");
		goto done;
	}
	tokenize(&t, &l);
	if (t.count == 0) {
		scor_error(&r, l.number, 1,
		           "expected the number of compartments and of living compartments, found "
		           "an empty line");
		goto done;
	}
	if (parse_long_token(&n_long, t.start[0], t.len[0]) < 0 || n_long < 0 ||
	    n_long > EIC_NETWORK_MAX_NODES) {
		token_text(found, sizeof(found), t.start[0], t.len[0]);
		scor_error(&r, l.number, t.column[0],
		           "expected the number of compartments (0 to %d), found %s",
		           EIC_NETWORK_MAX_NODES, found);
		goto done;
	}
	n = (size_t)n_long;
	if (t.count < 2) {
		scor_error(&r, l.number, (int)(l.end - l.start) + 1,
		           "expected the number of living compartments after %zu, found the end of "
		           "the line",
		           n);
		goto done;
	}
	if (parse_long_token(&n_living, t.start[1], t.len[1]) < 0 || n_living < 0 ||
	    n_living > n_long) {
		token_text(found, sizeof(found), t.start[1], t.len[1]);
		scor_error(&r, l.number, t.column[1],
		           "expected the number of living compartments (0 to %zu), found %s", n,
		           found);
		goto done;
	}
	if (t.count > 2) {
		token_text(found, sizeof(found), t.start[2], t.len[2]);
		scor_error(&r, l.number, t.column[2], "expected the end of the line, found %s",
		           found);
		goto done;
	}

	/* Names. */
	for (size_t i = 0; i < n; i++) {
		if (!next_line(&r, &l)) {
			scor_error(
			    &r, r.line + 1, 1,
			    "expected the name of compartment %zu of %zu, found the end of the "
			    "file",
			    i + 1, n);
			goto done;
		}
		const char *s = l.start, *e = l.end;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s == e) {
			scor_error(
			    &r, l.number, 1,
			    "expected the name of compartment %zu of %zu, found an empty line",
			    i + 1, n);
			goto done;
		}
		char *nm = eic_arena_strndup(&net->arena, s, (size_t)(e - s));
		size_t idx;
		if (!nm || (error = eic_network_add_node(net, nm, &idx)) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}

	seen = eic_calloc(n ? 4 * n : 1, sizeof(int));
	if (!seen) {
		error = EIC_ENOMEM;
		goto done;
	}

	/* Five blocks, each ended by -1. Duplicate flows are detected after the parse. */
	for (int block = 0; block < 5; block++) {
		for (;;) {
			if (!next_content_line(&r, &l, &t)) {
				scor_error(
				    &r, r.line + 1, 1,
				    "expected a %s line or -1 ending the %s block (block %d of 5), "
				    "found the end of the file",
				    block_names[block], block_names[block], block + 1);
				goto done;
			}
			if (is_terminator(&t))
				break;
			size_t from, to = 0;
			double v;
			int want = block == 4 ? 3 : 2;
			if (node_token(&from, &r, &l, &t, 0, n) < 0)
				continue;
			if (block == 4 && t.count < 2) {
				scor_error(
				    &r, l.number, (int)(l.end - l.start) + 1,
				    "expected the receiving compartment number, found the end of "
				    "the line");
				continue;
			}
			if (block == 4 && node_token(&to, &r, &l, &t, 1, n) < 0)
				continue;
			if (value_token(&v, &r, &l, &t, want - 1,
			                block == 4 ? "the flow value" : "a value") < 0)
				continue;
			if (t.count > want) {
				int k = want < 4 ? want : 3;
				token_text(found, sizeof(found), t.start[k], t.len[k]);
				scor_error(&r, l.number, t.column[k],
				           "expected the end of the line, found %s", found);
				continue;
			}
			if (block < 4) {
				int *first = &seen[(size_t)block * n + from];
				if (*first) {
					scor_error(
					    &r, l.number, t.column[0],
					    "compartment %zu is given twice in the %s block (first "
					    "on line %d)",
					    from + 1, block_names[block], *first);
					continue;
				}
				*first = l.number;
				if (block == 1)
					error = eic_network_add_input(net, from, v);
				else if (block == 2)
					error = eic_network_add_export(net, from, v);
				else if (block == 3)
					error = eic_network_add_dissipation(net, from, v);
			} else {
				eic_ena__flow f = {from, to, v, 0};
				f.line = l.number;
				error = eic_vec_push(&net->flows, &f) ? 0 : EIC_ENOMEM;
			}
			if (error < 0)
				goto done;
		}
	}
	if (next_content_line(&r, &l, &t)) {
		token_text(found, sizeof(found), t.start[0], t.len[0]);
		scor_error(&r, l.number, t.column[0],
		           "expected the end of the file after the flow block, found %s", found);
	}
	/* Duplicate flows: sort a copy of (from, to, line) and report each repeat. */
	if (net->flows.len > 1) {
		size_t m = net->flows.len;
		eic_ena__flow *copy = eic_malloc(m * sizeof(*copy));
		if (!copy) {
			error = EIC_ENOMEM;
			goto done;
		}
		memcpy(copy, net->flows.data, m * sizeof(*copy));
		qsort(copy, m, sizeof(*copy), eic_ena__flow_cmp);
		for (size_t i = 1; i < m; i++)
			if (copy[i].from == copy[i - 1].from && copy[i].to == copy[i - 1].to)
				scor_error(
				    &r, copy[i].line, 1,
				    "the flow from compartment %zu to %zu is given twice (first "
				    "on line %d)",
				    copy[i].from + 1, copy[i].to + 1, copy[i - 1].line);
		eic_free(copy);
	}
done:
	if (error == 0 && (r.oom || (r.errors > 0 && !diags)))
		error = r.oom ? EIC_ENOMEM : EIC_EPARSE;
	if (error == 0 && r.errors > 0)
		error = EIC_EPARSE;
	eic_free(seen);
	if (error < 0) {
		eic_network_free(net);
		net = NULL;
	}
	if (out)
		*out = net;
	return error;
}

int eic_network_read_scor(eic_network **out, eic_diags *diags, const char *path)
{
	if (!out || !path)
		return EIC_EINVAL;
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int saved = errno;
		if (diags && eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0, "cannot open: %s",
		                           strerror(saved)) == EIC_ENOMEM)
			return EIC_ENOMEM;
		return EIC_EIO;
	}
	eic_buf buf = EIC_BUF_INIT;
	buf.cap_limit = MAX_SCOR_BYTES;
	char chunk[65536];
	size_t got;
	int error = 0;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (eic_buf_put(&buf, chunk, got) < 0) {
			error = buf.len + got > MAX_SCOR_BYTES ? EIC_EIO : EIC_ENOMEM;
			break;
		}
	}
	if (!error && ferror(f))
		error = EIC_EIO;
	fclose(f);
	if (error == EIC_EIO && diags &&
	    eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
	                  "cannot read (or larger than %zu bytes)", MAX_SCOR_BYTES) == EIC_ENOMEM)
		error = EIC_ENOMEM;
	if (!error)
		error = eic_network_parse_scor(out, diags, path, buf.data ? buf.data : "", buf.len);
	eic_buf_free(&buf);
	return error;
}

/* ---- from a cluster ---- */

int eic_ena__is_export_boundary(eic_boundary_kind kind)
{
	return kind == EIC_BOUNDARY_PRODUCT_MARKET || kind == EIC_BOUNDARY_STOCK;
}

/* Index of a cluster node in the network, adding it on first sight. */
static int node_index(size_t *out, eic_network *net, eic_map *index, const eic_node *node)
{
	if (eic_map_get(index, node->id, out))
		return 0;
	int rc = eic_network_add_node(net, node->id, out);
	if (rc < 0)
		return rc;
	return eic_map_put(index, node->id, *out) < 0 ? EIC_ENOMEM : 0;
}

/*
 * Contract: see network.h. The map's keys are the node ids borrowed from the cluster, which
 * lives for the whole call. O(flows) expected.
 */
int eic_network_from_cluster(eic_network **out, const eic_cluster *cluster,
                             const eic_network_options *opts)
{
	int error = 0;
	eic_network *net = NULL;
	eic_map index;
	size_t skipped_unit = 0, skipped_node = 0, skipped_boundary = 0, flow_notes = 0;
	size_t converted = 0;

	eic_map_init(&index);
	if (!out || !cluster || (opts && opts->version != EIC_NETWORK_OPTIONS_VERSION)) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	const char *period = opts ? opts->period : NULL;
	if (period && !eic_cluster_find_period(cluster, period)) {
		error = EIC_ENOTFOUND;
		goto done;
	}
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *mass_unit = info && !eic_str_empty(info->mass_unit) ? info->mass_unit : "t";
	if ((error = eic_network_new(&net)) < 0)
		goto done;
	net->title = eic_arena_strdup(&net->arena, info ? or_empty(info->id) : "");
	net->unit = eic_arena_strdup(&net->arena, mass_unit);
	if (!net->title || !net->unit) {
		error = EIC_ENOMEM;
		goto done;
	}

	size_t flow_count = eic_cluster_flow_count(cluster);
	for (size_t i = 0; i < flow_count; i++) {
		const eic_flow *f = eic_cluster_flow(cluster, i);
		eic_node from, to;
		double amount = 0.0;
		const char *via = NULL;

		if (period && !eic_streq(f->period, period))
			continue;
		if (!f->from || !f->to || eic_cluster_resolve_node(&from, cluster, f->from) < 0 ||
		    eic_cluster_resolve_node(&to, cluster, f->to) < 0) {
			skipped_node++;
			if (flow_notes++ < MAX_FLOW_NOTES &&
			    (error = add_note(net, "flow %s: left out (unknown node)",
			                      or_empty(f->id))) < 0)
				goto done;
			continue;
		}
		int rc = eic_flow_amount(&amount, &via, cluster, f, mass_unit);
		if (rc == EIC_ENOMEM) {
			error = rc;
			goto done;
		}
		if (rc < 0 || !isfinite(amount) || amount < 0.0) {
			skipped_unit++;
			if (flow_notes++ < MAX_FLOW_NOTES &&
			    (error = add_note(net, "flow %s: left out (%s of %s is not a mass)",
			                      or_empty(f->id),
			                      eic_str_empty(f->unit) ? "no unit" : f->unit,
			                      or_empty(f->material))) < 0)
				goto done;
			continue;
		}
		if (!eic_str_empty(via))
			converted++;
		int from_in = from.kind != EIC_NODE_BOUNDARY, to_in = to.kind != EIC_NODE_BOUNDARY;
		size_t a, b;
		if (!from_in && !to_in) {
			skipped_boundary++;
			continue;
		}
		if (from_in && (error = node_index(&a, net, &index, &from)) < 0)
			goto done;
		if (to_in && (error = node_index(&b, net, &index, &to)) < 0)
			goto done;
		if (from_in && to_in)
			error = eic_network_add_flow(net, a, b, amount);
		else if (to_in)
			error = eic_network_add_input(net, b, amount);
		else if (eic_ena__is_export_boundary(to.boundary))
			error = eic_network_add_export(net, a, amount);
		else
			error = eic_network_add_dissipation(net, a, amount);
		if (error < 0)
			goto done;
	}
	if (flow_notes > MAX_FLOW_NOTES &&
	    (error = add_note(net, "further flows left out (not listed): %zu",
	                      flow_notes - MAX_FLOW_NOTES)) < 0)
		goto done;
	if (skipped_unit &&
	    (error = add_note(net,
	                      "flows that are not masses (energy, counts) and are not in the "
	                      "network: %zu",
	                      skipped_unit)) < 0)
		goto done;
	if (skipped_node &&
	    (error = add_note(net, "flows with an unknown node, not in the network: %zu",
	                      skipped_node)) < 0)
		goto done;
	if (skipped_boundary &&
	    (error = add_note(net, "flows between two boundary nodes, not in the network: %zu",
	                      skipped_boundary)) < 0)
		goto done;
	if (converted && (error = add_note(net,
	                                   "flows converted to %s through a material property "
	                                   "(density): %zu",
	                                   mass_unit, converted)) < 0)
		goto done;
	*out = net;
	net = NULL;
done:
	eic_map_free(&index);
	eic_network_free(net);
	return error;
}
