/* util.c: arena, buffer, vector and string map used across the eic library.
 * Nothing here knows about clusters; everything reports allocation failure to its caller. */
/* madvise(MADV_HUGEPAGE) is a Linux extension. */
#define _DEFAULT_SOURCE 1
#include "util.h"

#include <errno.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Allocation-failure injection: `alloc_budget` counts down the allocations still allowed
 * (-1: unlimited). Atomic, since the CSV reader allocates on a second thread. */
static _Atomic long alloc_budget = -1;
static _Atomic long alloc_made = 0;

static int alloc_allowed(void)
{
	alloc_made++;
	long left = alloc_budget;
	while (left >= 0) {
		if (left == 0)
			return 0;
		if (atomic_compare_exchange_weak(&alloc_budget, &left, left - 1))
			return 1;
	}
	return 1;
}

int eic_alloc_check(void)
{
	return alloc_allowed();
}

long eic_alloc_fail_after(long n)
{
	long made = alloc_made;
	alloc_made = 0;
	alloc_budget = n < 0 ? -1 : n;
	return made;
}

void *eic_malloc(size_t size)
{
	return alloc_allowed() ? malloc(size) : NULL;
}

void *eic_calloc(size_t count, size_t size)
{
	return alloc_allowed() ? calloc(count, size) : NULL;
}

void *eic_realloc(void *ptr, size_t size)
{
	return alloc_allowed() ? realloc(ptr, size) : NULL;
}

void eic_free(void *ptr)
{
	free(ptr);
}

char *eic_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = eic_malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

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
		eic_free(c);
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
	a->used = (a->used + align - 1) / align * align;
	if (a->used > a->capacity)
		a->used = a->capacity;
#ifdef EIC_ARENA_MALLOC
	{
		eic_arena_chunk *c = eic_malloc(sizeof(*c) + size);
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
		eic_arena_chunk *c = eic_malloc(sizeof(*c) + chunk);
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

/* Strings are packed without alignment padding (they need none). */
static char *arena_bytes(eic_arena *a, size_t size)
{
#ifdef EIC_ARENA_MALLOC
	return eic_arena_alloc(a, size);
#else
	if (a->head && a->capacity - a->used >= size) {
		char *p = (char *)a->head->data + a->used;
		a->used += size;
		a->total += size;
		return p;
	}
	return eic_arena_alloc(a, size);
#endif
}

char *eic_arena_strndup(eic_arena *a, const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *p = arena_bytes(a, len + 1);
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
	char *p = eic_realloc(b->data, cap);
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
	eic_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *eic_buf_detach(eic_buf *b)
{
	char *p = b->data;
	if (!p)
		p = eic_calloc(1, 1);
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
	eic_free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

void *eic_vec_push(eic_vec *v, const void *elem)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = eic_realloc(v->data, cap * v->elem_size);
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

/* FNV-1a, 64 bit, with a final avalanche so that the low bits used for slots are mixed. */
uint64_t eic_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void eic_map_init(eic_map *m)
{
	memset(m, 0, sizeof(*m));
}

void eic_map_free(eic_map *m)
{
	eic_free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* Zeroed slot array. Tables of 2 MiB and more are aligned to 2 MiB and marked for
 * transparent huge pages: probes land at random, and one TLB entry then covers 2 MiB. */
static eic_map_slot *slots_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(eic_map_slot);
	const size_t huge = (size_t)2 << 20;
	if (bytes < huge)
		return eic_calloc(cap, sizeof(eic_map_slot));
	void *p = NULL;
	if (!eic_alloc_check() || posix_memalign(&p, huge, bytes) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	memset(p, 0, bytes);
	return p;
}

static int map_rehash(eic_map *m, size_t cap)
{
	eic_map_slot *slots = slots_alloc(cap);
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		const eic_map_slot *o = &m->slots[i];
		if (!o->key)
			continue;
		size_t j = (size_t)o->hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *o;
	}
	eic_free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int eic_map_reserve(eic_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	while (cap < 2 * (m->count + n))
		cap *= 2;
	return cap == m->cap ? 0 : map_rehash(m, cap);
}

/* Insert with linear probing; the table is kept at most half full and each slot's hash is
 * checked before strcmp, so a lookup costs about one key comparison and one cache line. */
int eic_map_put(eic_map *m, const char *key, size_t value)
{
	if ((m->count + 1) * 2 > m->cap) {
		if (map_rehash(m, m->cap ? m->cap * 2 : 64) < 0)
			return -1;
	}
	uint64_t h = eic_hash_str(key);
	size_t j = (size_t)h & (m->cap - 1);
	while (m->slots[j].key) {
		if (m->slots[j].hash == h && strcmp(m->slots[j].key, key) == 0)
			return 1;
		j = (j + 1) & (m->cap - 1);
	}
	m->slots[j].key = key;
	m->slots[j].value = value;
	m->slots[j].hash = h;
	m->count++;
	return 0;
}

int eic_map_get(const eic_map *m, const char *key, size_t *out)
{
	if (!m->cap || !key)
		return 0;
	uint64_t h = eic_hash_str(key);
	size_t j = (size_t)h & (m->cap - 1);
	while (m->slots[j].key) {
		if (m->slots[j].hash == h && strcmp(m->slots[j].key, key) == 0) {
			if (out)
				*out = m->slots[j].value;
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

/* Exact fast path for plain decimals ("1200", "-0.35"): when the digits fit in 2^53 and the
 * power of ten is at most 10^22, both are exact doubles and one IEEE division rounds
 * correctly (Clinger 1990). Returns 1 when it applied. */
static int parse_plain_decimal(double *out, const char *s)
{
	static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	const char *p = s;
	int neg = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	uint64_t mant = 0;
	int digits = 0, frac = 0, seen_dot = 0;
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (mant > (UINT64_C(1) << 53) / 10)
				return 0;
			mant = mant * 10 + (uint64_t)(*p - '0');
			digits++;
			frac += seen_dot;
		} else if (*p == '.' && !seen_dot) {
			seen_dot = 1;
		} else {
			break;
		}
	}
	if (*p != '\0' || digits == 0 || frac > 22 || mant > (UINT64_C(1) << 53))
		return 0;
	double v = (double)mant / pow10[frac];
	*out = neg ? -v : v;
	return 1;
}

int eic_parse_double(double *out, const char *s)
{
	if (!s || !*s)
		return -1;
	if (parse_plain_decimal(out, s))
		return 0;
	/* Reject hex floats, "inf", "nan" and spaces: users write decimal numbers. */
	for (const char *p = s; *p; p++) {
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	}
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
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

void eic_fmt_amount(char *buf, size_t size, double v)
{
	if (isnan(v)) {
		snprintf(buf, size, "?");
		return;
	}
	if (fabs(v) < 100) {
		snprintf(buf, size, "%.3g", v);
		return;
	}
	char digits[64];
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		buf[o++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			buf[o++] = ',';
	}
	buf[o] = '\0';
}
