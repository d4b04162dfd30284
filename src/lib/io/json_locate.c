/* json_locate.c: finds where a value sits in a JSON text (line and column), so messages about
 * package JSON point at the cell. Jansson parses; this only walks text it already accepted. */
#include "io_internal.h"

#include <jansson.h>
#include <string.h>

/* Line and column of byte offset `off`; columns count UTF-8 characters. The cache makes a
 * series of increasing offsets linear in total. */
void eic_io__offset_to_linecol(const char *text, size_t off, size_t *cache_off, int *cache_line,
                               size_t *cache_linestart, int *line, int *column)
{
	size_t i = 0, linestart = 0;
	int ln = 1;
	if (*cache_line > 0 && *cache_off <= off) {
		i = *cache_off;
		ln = *cache_line;
		linestart = *cache_linestart;
	}
	for (; i < off; i++) {
		if (text[i] == '\n') {
			ln++;
			linestart = i + 1;
		}
	}
	*cache_off = off;
	*cache_line = ln;
	*cache_linestart = linestart;
	int col = 1;
	for (size_t j = linestart; j < off; j++) {
		if (((unsigned char)text[j] & 0xC0) != 0x80)
			col++;
	}
	*line = ln;
	*column = col;
}

static size_t ws(const char *t, size_t n, size_t i)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

static size_t skip_string(const char *t, size_t n, size_t i)
{
	i++; /* opening quote */
	while (i < n && t[i] != '"') {
		if (t[i] == '\\')
			i++;
		i++;
	}
	return i < n ? i + 1 : n;
}

/* Skip one JSON value starting at i (after whitespace). */
static size_t skip_value(const char *t, size_t n, size_t i)
{
	i = ws(t, n, i);
	if (i >= n)
		return n;
	if (t[i] == '"')
		return skip_string(t, n, i);
	if (t[i] == '{' || t[i] == '[') {
		int depth = 0;
		while (i < n) {
			char c = t[i];
			if (c == '"') {
				i = skip_string(t, n, i);
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			else if (c == '}' || c == ']') {
				depth--;
				if (depth == 0)
					return i + 1;
			}
			i++;
		}
		return n;
	}
	while (i < n && !strchr(",}] \t\r\n", t[i]))
		i++;
	return i;
}

/* Does the JSON string at t[i] (with quotes) equal key? Keys with escapes are compared raw. */
static int key_equals(const char *t, size_t n, size_t i, const char *key)
{
	size_t k = strlen(key);
	return i + k + 2 <= n && t[i] == '"' && memcmp(t + i + 1, key, k) == 0 &&
	       t[i + 1 + k] == '"';
}

void eic_io__jlocate(eic_jloc *loc, const eic_jstep *steps, int step_count, int want_key, int *line,
                     int *column)
{
	const char *t = loc->text;
	size_t n = loc->len;
	size_t pos = ws(t, n, 0);
	size_t found = pos;
	for (int s = 0; s < step_count && pos < n; s++) {
		if (steps[s].key) {
			if (t[pos] != '{')
				break;
			size_t i = ws(t, n, pos + 1);
			int hit = 0;
			while (i < n && t[i] == '"') {
				size_t key_at = i;
				int eq = key_equals(t, n, i, steps[s].key);
				i = ws(t, n, skip_string(t, n, i));
				i = ws(t, n, i + 1); /* colon */
				if (eq) {
					hit = 1;
					found = (want_key && s == step_count - 1) ? key_at : i;
					pos = i;
					break;
				}
				i = ws(t, n, skip_value(t, n, i));
				if (i < n && t[i] == ',')
					i = ws(t, n, i + 1);
			}
			if (!hit)
				break;
		} else {
			if (t[pos] != '[')
				break;
			size_t i = ws(t, n, pos + 1);
			size_t idx = 0;
			if (loc->arr_valid && loc->arr_container == pos &&
			    loc->arr_index <= steps[s].index) {
				idx = loc->arr_index;
				i = loc->arr_elem;
			}
			while (i < n && t[i] != ']' && idx < steps[s].index) {
				i = ws(t, n, skip_value(t, n, i));
				if (i < n && t[i] == ',')
					i = ws(t, n, i + 1);
				idx++;
			}
			if (idx != steps[s].index || i >= n || t[i] == ']')
				break;
			loc->arr_valid = 1;
			loc->arr_container = pos;
			loc->arr_index = idx;
			loc->arr_elem = i;
			found = pos = i;
		}
	}
	eic_io__offset_to_linecol(t, found, &loc->line_cache_off, &loc->line_cache_line,
	                          &loc->line_cache_linestart, line, column);
}

const char *eic_io__json_type(const struct json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}
