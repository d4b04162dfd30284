/* json_decode.c: decoding JSON objects with errors located in the text (file:line:column),
 * shared by the JSON readers (finance project files, rating schemes, credit rules, scenarios),
 * and the whole-file reading and document checks they have in common. */
#include "io_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Report an error at key `key` of the current object (its value, or the key itself when
 * want_key), at element `index` >= 0 of that key's array, or at the current object when key
 * is NULL. Without the text (have_text 0) the message has no position. */
void eic_io__jdec_error(eic_jdec *j, const char *key, long index, int want_key, const char *fmt,
                        ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line = 0, column = 0;
	if (j->have_text) {
		eic_jstep steps[EIC_JDEC_MAX_DEPTH + 2];
		int n = j->depth < EIC_JDEC_MAX_DEPTH ? j->depth : EIC_JDEC_MAX_DEPTH;
		memcpy(steps, j->path, sizeof(eic_jstep) * (size_t)n);
		if (key) {
			steps[n].key = key;
			steps[n].index = 0;
			n++;
			if (index >= 0) {
				steps[n].key = NULL;
				steps[n].index = (size_t)index;
				n++;
				want_key = 0;
			}
		}
		eic_io__jlocate(&j->loc, steps, n, want_key, &line, &column);
	}
	if (j->diags &&
	    eic_diags_add(j->diags, EIC_SEV_ERROR, j->file, line, column, "%s", msg) < 0)
		j->oom = 1;
	j->errors++;
}

const char *eic_io__jdec_found(char *buf, size_t size, const json_t *v)
{
	if (json_is_number(v)) {
		eic_fmt_double(buf, size, json_number_value(v));
		return buf;
	}
	if (json_is_string(v)) {
		snprintf(buf, size, "\"%.60s\"", json_string_value(v));
		return buf;
	}
	return eic_io__json_type(v);
}

int eic_io__jdec_num(eic_jdec *j, json_t *obj, const char *key, double *dst, double lo, double hi,
                     const char *expect)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v)
		return 0;
	if (!json_is_number(v)) {
		eic_io__jdec_error(j, key, -1, 0, "wrong type for '%s' (expected %s; found %s)",
		                   key, expect, eic_io__jdec_found(buf, sizeof(buf), v));
		return -1;
	}
	double x = json_number_value(v);
	if (!isfinite(x) || x < lo || x > hi) {
		eic_io__jdec_error(j, key, -1, 0, "'%s' is out of range (expected %s; found %s)",
		                   key, expect, eic_io__jdec_found(buf, sizeof(buf), v));
		return -1;
	}
	*dst = x;
	return 1;
}

int eic_io__jdec_bool(eic_jdec *j, json_t *obj, const char *key, int *dst)
{
	json_t *v = json_object_get(obj, key);
	char buf[96];
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		eic_io__jdec_error(j, key, -1, 0,
		                   "wrong type for '%s' (expected true or false; found %s)", key,
		                   eic_io__jdec_found(buf, sizeof(buf), v));
		return -1;
	}
	*dst = json_is_true(v);
	return 1;
}

int eic_io__json_object_doc(json_t **out, eic_diags *diags, const char *name, const char *data,
                            size_t size, const char *what)
{
	json_error_t jerror;
	json_t *root = json_loadb(data ? data : "", size, JSON_REJECT_DUPLICATES, &jerror);
	*out = NULL;
	if (!root) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, name, jerror.line > 0 ? jerror.line : 1,
			              jerror.column > 0 ? jerror.column : 1,
			              "malformed JSON (expected valid JSON text; %s)", jerror.text);
		return EIC_EINVALID;
	}
	if (!json_is_object(root)) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, name, 1, 1,
			              "wrong type for the %s (expected a JSON object; found %s)",
			              what, eic_io__json_type(root));
		json_decref(root);
		return EIC_EINVALID;
	}
	*out = root;
	return 0;
}

void eic_io__jdec_init(eic_jdec *j, eic_diags *diags, const char *name, const char *data,
                       size_t size)
{
	memset(j, 0, sizeof(*j));
	j->diags = diags;
	j->file = name;
	j->have_text = 1;
	j->loc.text = data ? data : "";
	j->loc.len = size;
}

int eic_io__jdec_status(const eic_jdec *j)
{
	if (j->oom)
		return EIC_ENOMEM;
	return j->errors ? EIC_EINVALID : 0;
}

int eic_io__read_file(eic_buf *out, eic_diags *diags, const char *path, size_t limit,
                      const char *what)
{
	char chunk[65536];
	size_t n;
	int rc = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0,
			              "cannot open the file (expected a %s)", what);
		return EIC_EIO;
	}
	out->cap_limit = limit;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (eic_buf_put(out, chunk, n) < 0) {
			rc = EIC_ENOMEM;
			break;
		}
	if (!rc && ferror(fp)) {
		if (diags)
			eic_diags_add(diags, EIC_SEV_ERROR, path, 0, 0, "cannot read the file");
		rc = EIC_EIO;
	}
	fclose(fp);
	return rc;
}
