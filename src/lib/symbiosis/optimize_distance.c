/* optimize_distance.c: the user distance matrix of `eic optimize` (from_actor,to_actor,km), read
 * and checked by the matcher's reader (match_private.h) so both commands accept the same files. */
#include "optimize_private.h"

#include "match_private.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct eic_opt__matrix {
	eic_map pairs;    /* "from\x1fto" -> index into km */
	eic_vec km;       /* double */
	eic_arena keys;   /* the map's keys */
	const char *path; /* owned by keys */
	size_t used;      /* lookups answered */
};

void eic_opt__matrix_free(eic_opt__matrix *m)
{
	if (!m)
		return;
	eic_map_free(&m->pairs);
	eic_vec_free(&m->km);
	eic_arena_clear(&m->keys);
	eic_free(m);
}

/* The whole file in *buf. 0, EIC_ENOTFOUND, EIC_EIO or EIC_ENOMEM (with the same message as
 * `eic match` gives in diags). */
static int slurp(eic_buf *buf, const char *path, eic_diags *diags)
{
	char chunk[8192];
	size_t n;
	int error = 0;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		error = errno == ENOENT ? EIC_ENOTFOUND : EIC_EIO;
		if (diags && eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		                           "cannot open the distance matrix %s: %s", path,
		                           strerror(errno)) < 0)
			error = EIC_ENOMEM;
		return error;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (eic_buf_put(buf, chunk, n) < 0) {
			error = EIC_ENOMEM;
			break;
		}
	if (!error && ferror(fp)) {
		error = EIC_EIO;
		if (diags && eic_diags_add(diags, EIC_SEV_ERROR, "", 0, 0,
		                           "cannot read the distance matrix %s", path) < 0)
			error = EIC_ENOMEM;
	}
	fclose(fp);
	return error;
}

/* Copy the diagnostics of the check into the caller's list. */
static int copy_diags(eic_diags *to, const eic_diags *from)
{
	for (size_t i = 0; to && i < eic_diags_count(from); i++) {
		const eic_diag *d = eic_diags_get(from, i);
		if (eic_diags_add(to, d->severity, d->file, d->line, d->column, "%s", d->message) <
		    0)
			return EIC_ENOMEM;
	}
	return 0;
}

static int pair_key(eic_buf *key, const char *a, size_t alen, const char *b, size_t blen)
{
	eic_buf_clear(key);
	if (eic_buf_put(key, a, alen) < 0 || eic_buf_putc(key, '\x1f') < 0 ||
	    eic_buf_put(key, b, blen) < 0)
		return EIC_ENOMEM;
	return 0;
}

/*
 * Read the matrix at `path`. The file is first checked by eic_match__read_matrix_buffer, the
 * reader of `eic match`, asked for a pair that no valid file holds (empty actor ids): a valid
 * file answers EIC_EINVAL (pair not covered), a malformed one its file:line:column refusal,
 * which is passed on. The checked text is then indexed here: lines split at '\n' (a '\r'
 * before it dropped, a UTF-8 byte-order mark skipped), empty lines skipped, line 1 the header,
 * every other line three cells from_actor,to_actor,km. O(file size).
 * @return 0, EIC_EPARSE (malformed), EIC_ENOTFOUND / EIC_EIO (file), EIC_ENOMEM.
 */
int eic_opt__matrix_read(eic_opt__matrix **out, const char *path, eic_diags *diags)
{
	eic_buf text = EIC_BUF_INIT, key = EIC_BUF_INIT;
	eic_diags *check = NULL;
	eic_opt__matrix *m = NULL;
	double km;
	int error;

	*out = NULL;
	if ((error = slurp(&text, path, diags)) < 0)
		goto done;
	if ((error = eic_diags_new(&check, 100)) < 0)
		goto done;
	error = eic_match__read_matrix_buffer(&km, path, text.data ? text.data : "", text.len, "",
	                                      "", check);
	if (error == EIC_EINVAL || error == 0) {
		error = 0;
	} else {
		if (copy_diags(diags, check) < 0)
			error = EIC_ENOMEM;
		goto done;
	}
	if (!(m = eic_calloc(1, sizeof(*m)))) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_map_init(&m->pairs);
	eic_vec_init(&m->km, sizeof(double));
	eic_arena_init(&m->keys);
	if (!(m->path = eic_arena_strdup(&m->keys, path))) {
		error = EIC_ENOMEM;
		goto done;
	}
	const char *p = text.data ? text.data : "", *end = p + text.len;
	for (int lineno = 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *stop = nl ? nl : end;
		p = nl ? nl + 1 : end;
		if (stop > line && stop[-1] == '\r')
			stop--;
		if (lineno == 1 && stop - line >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
			line += 3;
		if (stop == line || lineno == 1)
			continue;
		const char *c1 = memchr(line, ',', (size_t)(stop - line));
		const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(stop - c1 - 1)) : NULL;
		if (!c2)
			continue; /* cannot happen: the reader checked three cells */
		char num[128];
		size_t nlen = (size_t)(stop - c2 - 1);
		if (nlen >= sizeof(num))
			continue; /* cannot happen: not a number the reader accepted */
		memcpy(num, c2 + 1, nlen);
		num[nlen] = '\0';
		if (eic_parse_double(&km, num) < 0)
			continue;
		if ((error = pair_key(&key, line, (size_t)(c1 - line), c1 + 1,
		                      (size_t)(c2 - c1 - 1))) < 0)
			goto done;
		char *stored = eic_arena_strndup(&m->keys, key.data, key.len);
		if (!stored || !eic_vec_push(&m->km, &km) ||
		    eic_map_put(&m->pairs, stored, m->km.len - 1) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
	}
	*out = m;
	m = NULL;
done:
	eic_opt__matrix_free(m);
	eic_diags_free(check);
	eic_buf_free(&text);
	eic_buf_free(&key);
	return error;
}

/* Contract: see optimize_private.h. */
int eic_opt__matrix_km(double *out_km, eic_opt__matrix *m, const char *a, const char *b)
{
	eic_buf key = EIC_BUF_INIT;
	size_t i;
	int error = EIC_ENOTFOUND;
	*out_km = NAN;
	if (pair_key(&key, a, strlen(a), b, strlen(b)) < 0)
		error = EIC_ENOMEM;
	else if (eic_map_get(&m->pairs, key.data, &i))
		error = 0;
	else if (pair_key(&key, b, strlen(b), a, strlen(a)) < 0)
		error = EIC_ENOMEM;
	else if (eic_map_get(&m->pairs, key.data, &i))
		error = 0;
	if (!error) {
		*out_km = *EIC_VEC_AT(&m->km, double, i);
		m->used++;
	}
	eic_buf_free(&key);
	return error;
}

const char *eic_opt__matrix_path(const eic_opt__matrix *m)
{
	return m ? m->path : "";
}

size_t eic_opt__matrix_rows(const eic_opt__matrix *m)
{
	return m ? m->km.len : 0;
}
