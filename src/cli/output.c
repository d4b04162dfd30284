/* output.c: what the CLI prints: diagnostics in `file:line:column` form and as JSON, numbers
 * for tables, aligned text tables, and JSON documents on stdout. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cli_severity_name(eic_severity sev)
{
	switch (sev) {
	case EIC_SEV_ERROR:
		return "error";
	case EIC_SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

void cli_print_diags(FILE *fp, const eic_diags *diags)
{
	char line[4096];
	size_t n = eic_diags_count(diags);
	for (size_t i = 0; i < n; i++) {
		const eic_diag *d = eic_diags_get(diags, i);
		if (!d)
			continue;
		eic_diag_format(line, sizeof(line), d);
		fputs(line, fp);
		fputc('\n', fp);
	}
}

int cli_jset(json_t *obj, const char *key, json_t *value)
{
	if (!value)
		return -1;
	return json_object_set_new(obj, key, value) == 0 ? 0 : -1;
}

json_t *cli_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *cli_jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

int cli_diags_to_json(json_t *array, const eic_diags *diags)
{
	size_t n = eic_diags_count(diags);
	for (size_t i = 0; i < n; i++) {
		const eic_diag *d = eic_diags_get(diags, i);
		json_t *o;
		int fail = 0;
		if (!d)
			continue;
		o = json_object();
		if (!o)
			return -1;
		fail |= cli_jset(o, "severity", json_string(cli_severity_name(d->severity)));
		fail |= cli_jset(o, "file", json_string(d->file ? d->file : ""));
		fail |= cli_jset(o, "line", json_integer(d->line));
		fail |= cli_jset(o, "column", json_integer(d->column));
		fail |= cli_jset(o, "message", json_string(d->message ? d->message : ""));
		if (json_array_append_new(array, o) != 0 || fail)
			return -1;
	}
	return 0;
}

int cli_print_json(json_t *root)
{
	int rc;
	if (!root)
		return CLI_EXIT_INTERNAL;
	rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(root);
	if (rc != 0 || fputc('\n', stdout) == EOF)
		return CLI_EXIT_INTERNAL;
	return CLI_EXIT_OK;
}

/* Six significant digits without exponent or trailing zeros (920, 80.5, 0.001234); whole
 * numbers from a million up, and an exponent for extremes. */
void cli_fmt_num(char *buf, size_t size, double v)
{
	double a = fabs(v);
	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return;
	}
	if (a == 0.0) {
		snprintf(buf, size, "0");
		return;
	}
	if (a >= 1e15 || a < 1e-4) {
		snprintf(buf, size, "%.3e", v);
		return;
	}
	if (a >= 1e6) {
		snprintf(buf, size, "%.0f", v);
	} else {
		int decimals = 5 - (int)floor(log10(a));
		char *dot;
		if (decimals < 0)
			decimals = 0;
		snprintf(buf, size, "%.*f", decimals, v);
		dot = strchr(buf, '.');
		if (dot) {
			char *end = buf + strlen(buf) - 1;
			while (end > dot && *end == '0')
				*end-- = '\0';
			if (end == dot)
				*end = '\0';
		}
	}
	/* "-0" after rounding reads oddly */
	if (!strcmp(buf, "-0"))
		memmove(buf, buf + 1, strlen(buf));
}

void cli_fmt_pct(char *buf, size_t size, double rel)
{
	if (!isfinite(rel))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%+.1f%%", rel * 100.0);
}

const char *cli_plural(char *buf, size_t size, size_t n, const char *word)
{
	size_t len = strlen(word);
	const char *suffix = n == 1 ? "" : (len > 0 && word[len - 1] == 's') ? "es" : "s";
	snprintf(buf, size, "%zu %s%s", n, word, suffix);
	return buf;
}

void cli_table_init(cli_table *t, size_t col_count, const char **headers, const int *right)
{
	memset(t, 0, sizeof(*t));
	t->col_count = col_count;
	t->headers = headers;
	t->right = right;
}

int cli_table_add(cli_table *t, const char **row)
{
	if (t->failed)
		return -1;
	if (t->row_count == t->row_cap) {
		size_t cap = t->row_cap ? t->row_cap * 2 : 16;
		char **cells = realloc(t->cells, cap * t->col_count * sizeof(*cells));
		if (!cells) {
			t->failed = 1;
			return -1;
		}
		t->cells = cells;
		t->row_cap = cap;
	}
	for (size_t c = 0; c < t->col_count; c++) {
		char *copy = strdup(row[c] ? row[c] : "");
		if (!copy) {
			for (size_t k = 0; k < c; k++)
				free(t->cells[t->row_count * t->col_count + k]);
			t->failed = 1;
			return -1;
		}
		/* one line per cell */
		for (char *p = copy; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		t->cells[t->row_count * t->col_count + c] = copy;
	}
	t->row_count++;
	return 0;
}

/* Display width of UTF-8 text: code points, not bytes (continuation bytes do not count). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* Byte length of the first `width` code points of s. */
static size_t prefix_bytes(const char *s, size_t width)
{
	size_t w = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (w == width)
				break;
			w++;
		}
	}
	return i;
}

static void print_cell(FILE *fp, const char *text, size_t width, int right, int last,
                       size_t max_width)
{
	size_t w = text_width(text);
	size_t bytes = strlen(text);
	int cut = 0;
	if (max_width > 3 && w > max_width) {
		bytes = prefix_bytes(text, max_width - 3);
		w = max_width;
		cut = 1;
	}
	if (right)
		for (size_t k = w; k < width; k++)
			fputc(' ', fp);
	fwrite(text, 1, bytes, fp);
	if (cut)
		fputs("...", fp);
	if (!right && !last)
		for (size_t k = w; k < width; k++)
			fputc(' ', fp);
}

void cli_table_print(FILE *fp, const cli_table *t, int indent)
{
	size_t widths[32] = {0};
	size_t cols = t->col_count < 32 ? t->col_count : 32;
	for (size_t c = 0; c < cols; c++) {
		widths[c] = text_width(t->headers[c]);
		for (size_t r = 0; r < t->row_count; r++) {
			size_t w = text_width(t->cells[r * t->col_count + c]);
			if (t->max_width > 3 && w > t->max_width)
				w = t->max_width;
			if (w > widths[c])
				widths[c] = w;
		}
	}
	for (size_t r = 0; r <= t->row_count; r++) {
		size_t last = cols;
		/* no trailing blanks: stop after the last non-empty cell */
		while (last > 1) {
			const char *text = r == 0 ? t->headers[last - 1]
			                          : t->cells[(r - 1) * t->col_count + last - 1];
			if (*text)
				break;
			last--;
		}
		fprintf(fp, "%*s", indent, "");
		for (size_t c = 0; c < last; c++) {
			const char *text =
			    r == 0 ? t->headers[c] : t->cells[(r - 1) * t->col_count + c];
			int right = t->right ? t->right[c] : 0;
			if (c > 0)
				fputs("  ", fp);
			print_cell(fp, text, widths[c], right, c + 1 == last, t->max_width);
		}
		fputc('\n', fp);
	}
}

void cli_table_free(cli_table *t)
{
	for (size_t i = 0; i < t->row_count * t->col_count; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
