/* common.c: error texts and the diagnostic list shared by every module.
 * Diagnostics keep their strings in an arena; past the error cap they are only counted. */
#include <eic/common.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

const char *eic_strerror(int code)
{
	switch (code) {
	case EIC_OK:
		return "success";
	case EIC_ERROR:
		return "error";
	case EIC_ENOMEM:
		return "out of memory";
	case EIC_EINVAL:
		return "invalid argument";
	case EIC_EIO:
		return "input/output error";
	case EIC_EPARSE:
		return "malformed input";
	case EIC_EUNIT:
		return "unknown unit or dimension mismatch";
	case EIC_ENOTFOUND:
		return "not found";
	case EIC_EEXISTS:
		return "already exists";
	case EIC_ESTORE:
		return "database error";
	case EIC_EINVALID:
		return "input failed validation";
	case EIC_ESCHEMA:
		return "database schema is newer than this program";
	default:
		return "unknown error";
	}
}

struct eic_diags {
	eic_arena arena;
	eic_vec items; /* eic_diag */
	size_t max_errors;
	size_t errors;
	size_t warnings;
	int truncated;
};

int eic_diags_new(eic_diags **out, size_t max_errors)
{
	eic_diags *d = eic_calloc(1, sizeof(*d));
	if (!d)
		return EIC_ENOMEM;
	eic_arena_init(&d->arena);
	eic_vec_init(&d->items, sizeof(eic_diag));
	d->max_errors = max_errors ? max_errors : 1000;
	*out = d;
	return 0;
}

void eic_diags_free(eic_diags *d)
{
	if (!d)
		return;
	eic_arena_clear(&d->arena);
	eic_vec_free(&d->items);
	eic_free(d);
}

/* Store a diagnostic unless the error cap is reached. Warnings past the cap of errors are
 * still stored up to the same number again, so a flood of warnings stays bounded too. */
int eic_diags_add(eic_diags *d, eic_severity sev, const char *file, int line, int column,
                  const char *fmt, ...)
{
	if (!d)
		return 0; /* callers may pass NULL diags: the problem is then only returned */
	if (sev == EIC_SEV_ERROR) {
		d->errors++;
		if (d->errors > d->max_errors) {
			d->truncated = 1;
			return 0;
		}
	} else if (sev == EIC_SEV_WARNING) {
		d->warnings++;
		if (d->warnings > d->max_errors) {
			d->truncated = 1;
			return 0;
		}
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	eic_diag item;
	item.severity = sev;
	item.file = eic_arena_strdup(&d->arena, file ? file : "");
	item.line = line;
	item.column = column;
	item.message = eic_arena_strdup(&d->arena, msg);
	if (!item.file || !item.message || !eic_vec_push(&d->items, &item))
		return EIC_ENOMEM;
	return 0;
}

size_t eic_diags_count(const eic_diags *d)
{
	return d->items.len;
}

const eic_diag *eic_diags_get(const eic_diags *d, size_t i)
{
	return i < d->items.len ? EIC_VEC_AT(&d->items, eic_diag, i) : NULL;
}

size_t eic_diags_errors(const eic_diags *d)
{
	return d->errors;
}

size_t eic_diags_warnings(const eic_diags *d)
{
	return d->warnings;
}

int eic_diags_truncated(const eic_diags *d)
{
	return d->truncated;
}

size_t eic_diag_format(char *buf, size_t size, const eic_diag *d)
{
	const char *sev = d->severity == EIC_SEV_ERROR     ? "error"
	                  : d->severity == EIC_SEV_WARNING ? "warning"
	                                                   : "note";
	int n;
	if (d->line > 0 && d->column > 0)
		n = snprintf(buf, size, "%s:%d:%d: %s: %s", d->file, d->line, d->column, sev,
		             d->message);
	else if (d->line > 0)
		n = snprintf(buf, size, "%s:%d: %s: %s", d->file, d->line, sev, d->message);
	else if (d->file && *d->file)
		n = snprintf(buf, size, "%s: %s: %s", d->file, sev, d->message);
	else
		n = snprintf(buf, size, "%s: %s", sev, d->message);
	return n < 0 ? 0 : (size_t)n;
}
