/* util.h: small building blocks with no domain knowledge: arena, string buffer, string map.
 * Ownership: each container owns its memory and is released by its *_free / *_clear. */
#ifndef EIC_UTIL_H
#define EIC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- allocation: every allocation of the library goes through these, so that tests can
 *      make the n-th one fail (allocation-failure injection). Same contracts as the C library. */
void *eic_malloc(size_t size);
void *eic_calloc(size_t count, size_t size);
void *eic_realloc(void *ptr, size_t size);
void eic_free(void *ptr);
char *eic_strdup(const char *s);
/* For tests: let `n` more allocations succeed, then fail every later one until called again;
 * n < 0 turns failures off. Returns how many allocations were made since the previous call.
 * Process-wide; tests that use it must not run allocating threads of their own. */
long eic_alloc_fail_after(long n);
/* Count one allocation made by other means (posix_memalign, a library's own allocator) and
 * say whether it may go ahead (0: behave as if it had failed). */
int eic_alloc_check(void);

/* ---- arena: bump allocator in chunks; EIC_ARENA_MALLOC builds use plain malloc per call
 *      so sanitizers see every allocation. */
typedef struct eic_arena_chunk eic_arena_chunk;
typedef struct {
	eic_arena_chunk *head;
	size_t used;     /* bytes used in head */
	size_t capacity; /* bytes in head */
	size_t total;    /* bytes handed out */
} eic_arena;

void eic_arena_init(eic_arena *a);
void eic_arena_clear(eic_arena *a);
void *eic_arena_alloc(eic_arena *a, size_t size);
/* Copy a string (NULL stays NULL). */
char *eic_arena_strdup(eic_arena *a, const char *s);
char *eic_arena_strndup(eic_arena *a, const char *s, size_t len);

/* ---- growable byte buffer, always NUL-terminated; `cap_limit` 0 means no limit. */
typedef struct {
	char *data;
	size_t len;
	size_t cap;
	size_t cap_limit;
	int failed; /* set once an append failed; later appends are no-ops */
} eic_buf;

#define EIC_BUF_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0, 0, 0                                                                   \
	}
int eic_buf_grow(eic_buf *b, size_t extra);
int eic_buf_put(eic_buf *b, const char *data, size_t len);
int eic_buf_puts(eic_buf *b, const char *s);
int eic_buf_putc(eic_buf *b, char c);
int eic_buf_printf(eic_buf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int eic_buf_vprintf(eic_buf *b, const char *fmt, va_list ap);
void eic_buf_clear(eic_buf *b); /* length 0, keeps memory */
void eic_buf_free(eic_buf *b);
/* Hand the data to the caller (malloc'd, NUL-terminated); the buffer is reset. */
char *eic_buf_detach(eic_buf *b);

/* ---- vector of fixed-size elements */
typedef struct {
	void *data;
	size_t len;
	size_t cap;
	size_t elem_size;
} eic_vec;

void eic_vec_init(eic_vec *v, size_t elem_size);
void eic_vec_free(eic_vec *v);
/* Append one element copied from `elem`; returns pointer to the stored copy or NULL. */
void *eic_vec_push(eic_vec *v, const void *elem);
#define EIC_VEC_AT(v, type, i) (&((type *)(v)->data)[i])

/* ---- string -> size_t map (open addressing, keys borrowed: they must outlive the map) */
typedef struct {
	const char *key; /* NULL: empty slot */
	size_t value;
	uint64_t hash; /* compared before the key */
} eic_map_slot;

typedef struct {
	eic_map_slot *slots; /* one array, so a probe touches one cache line */
	size_t cap;          /* power of two, kept at most half full */
	size_t count;
} eic_map;

void eic_map_init(eic_map *m);
void eic_map_free(eic_map *m);
/* Insert; returns 0, 1 if the key already existed (value not changed), -1 on ENOMEM. */
int eic_map_put(eic_map *m, const char *key, size_t value);
/* Make room for `n` keys without rehashing; returns 0 or -1 on ENOMEM. */
int eic_map_reserve(eic_map *m, size_t n);
/* Lookup; returns 1 and sets *out when found, 0 otherwise. */
int eic_map_get(const eic_map *m, const char *key, size_t *out);
uint64_t eic_hash_str(const char *s);

/* ---- numbers and text */
/* Shortest "%.*g" text (15..17 digits) that reads back as exactly `v`. NaN gives "". */
void eic_fmt_double(char *buf, size_t size, double v);
/* Strict parse of a whole string as a finite double; returns 0 or -1. */
int eic_parse_double(double *out, const char *s);

/* A quantity for explanations: "1,200" (whole, thousands separated) from 100 up, "3.5"
 * (3 significant figures) below, "?" for NaN. */
void eic_fmt_amount(char *buf, size_t size, double v);
/* Strict parse of a whole string as a long; returns 0 or -1. */
int eic_parse_long(long *out, const char *s);
int eic_streq(const char *a, const char *b); /* NULL-safe, NULL == "" */
int eic_str_empty(const char *s);            /* NULL or "" */

#endif
