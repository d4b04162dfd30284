/* util.c: arena, buffer, vector and string map used across the eic library.
 * Nothing here knows about clusters; everything reports allocation failure to its caller. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct eic_arena_chunk {
	eic_arena_chunk *next;
	size_t size;
	/* data follows, max-aligned */
	union {
		long double ld;
		void *p;
		long long ll;
	} data[];
};

#define ARENA_CHUNK_MIN (64 * 1024)

void eic_arena_init(eic_arena *a)
{
	memset(a, 0, sizeof(*a));
}

void eic_arena_clear(eic_arena *a)
{
	eic_arena_chunk *c = a->head;
	while (c) {
		eic_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	memset(a, 0, sizeof(*a));
}

/* Allocate `size` bytes aligned for any type. In EIC_ARENA_MALLOC builds each allocation is
 * its own chunk, so sanitizers can see overruns. O(1) amortised. */
void *eic_arena_alloc(eic_arena *a, size_t size)
{
	const size_t align = sizeof(((eic_arena_chunk *)0)->data[0]);
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
#ifdef EIC_ARENA_MALLOC
	{
		eic_arena_chunk *c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->next = a->head;
		a->head = c;
		a->total += size;
		/* Keep used == capacity so nothing else is carved from this chunk. */
		a->used = a->capacity = size;
		return c->data;
	}
#else
	if (!a->head || a->capacity - a->used < size) {
		size_t chunk = size > ARENA_CHUNK_MIN ? size : ARENA_CHUNK_MIN;
		if (a->head && a->head->size * 2 > chunk && a->head->size < 16 * 1024 * 1024)
			chunk = a->head->size * 2 > size ? a->head->size * 2 : size;
		eic_arena_chunk *c = malloc(sizeof(*c) + chunk);
		if (!c)
			return NULL;
		c->size = chunk;
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->capacity = chunk;
	}
	void *p = (char *)a->head->data + a->used;
	a->used += size;
	a->total += size;
	return p;
#endif
}

char *eic_arena_strndup(eic_arena *a, const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *p = eic_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *eic_arena_strdup(eic_arena *a, const char *s)
{
	return s ? eic_arena_strndup(a, s, strlen(s)) : NULL;
}

int eic_buf_grow(eic_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t need = b->len + extra + 1;
	if (b->cap_limit && need > b->cap_limit) {
		b->failed = 1;
		return -1;
	}
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if (b->cap_limit && cap > b->cap_limit)
		cap = b->cap_limit;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int eic_buf_put(eic_buf *b, const char *data, size_t len)
{
	if (eic_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int eic_buf_puts(eic_buf *b, const char *s)
{
	return eic_buf_put(b, s ? s : "", s ? strlen(s) : 0);
}

int eic_buf_putc(eic_buf *b, char c)
{
	return eic_buf_put(b, &c, 1);
}

int eic_buf_vprintf(eic_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || eic_buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int eic_buf_printf(eic_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = eic_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void eic_buf_clear(eic_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void eic_buf_free(eic_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *eic_buf_detach(eic_buf *b)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void eic_vec_init(eic_vec *v, size_t elem_size)
{
	memset(v, 0, sizeof(*v));
	v->elem_size = elem_size;
}

void eic_vec_free(eic_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

void *eic_vec_push(eic_vec *v, const void *elem)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->data, cap * v->elem_size);
		if (!p)
			return NULL;
		v->data = p;
		v->cap = cap;
	}
	void *dst = (char *)v->data + v->len * v->elem_size;
	memcpy(dst, elem, v->elem_size);
	v->len++;
	return dst;
}

/* FNV-1a, 64 bit. */
uint64_t eic_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void eic_map_init(eic_map *m)
{
	memset(m, 0, sizeof(*m));
}

void eic_map_free(eic_map *m)
{
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

static int map_rehash(eic_map *m, size_t cap)
{
	const char **keys = calloc(cap, sizeof(*keys));
	size_t *values = calloc(cap, sizeof(*values));
	if (!keys || !values) {
		free(keys);
		free(values);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = (size_t)eic_hash_str(m->keys[i]) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		values[j] = m->values[i];
	}
	free(m->keys);
	free(m->values);
	m->keys = keys;
	m->values = values;
	m->cap = cap;
	return 0;
}

int eic_map_put(eic_map *m, const char *key, size_t value)
{
	if ((m->count + 1) * 4 >= m->cap * 3) {
		if (map_rehash(m, m->cap ? m->cap * 2 : 64) < 0)
			return -1;
	}
	size_t j = (size_t)eic_hash_str(key) & (m->cap - 1);
	while (m->keys[j]) {
		if (strcmp(m->keys[j], key) == 0)
			return 1;
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->values[j] = value;
	m->count++;
	return 0;
}

int eic_map_get(const eic_map *m, const char *key, size_t *out)
{
	if (!m->cap || !key)
		return 0;
	size_t j = (size_t)eic_hash_str(key) & (m->cap - 1);
	while (m->keys[j]) {
		if (strcmp(m->keys[j], key) == 0) {
			if (out)
				*out = m->values[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

void eic_fmt_double(char *buf, size_t size, double v)
{
	if (isnan(v)) {
		if (size)
			buf[0] = '\0';
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

int eic_parse_double(double *out, const char *s)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	/* Reject hex floats, "inf", "nan" and leading spaces: users write decimal numbers. */
	for (const char *p = s; *p; p++) {
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	}
	*out = v;
	return 0;
}

int eic_parse_long(long *out, const char *s)
{
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (!strchr("0123456789+-", *p))
			return -1;
	}
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

int eic_streq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int eic_str_empty(const char *s)
{
	return !s || !*s;
}
