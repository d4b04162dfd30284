/* csv_read.c: reads one CSV table of a package with libcsv and hands each row to the schema
 * decoder; tracks where each row starts so that any cell can be located for a message.
 *
 * Two halves: the producer runs libcsv and packs rows (cells, start line and offset, syntax
 * errors) into batches; the consumer turns batches into header checks, diagnostics and
 * decoded records. Small tables run both halves on the caller's thread, one batch at a time.
 * Large tables (over PIPELINE_MIN_BYTES) run the producer on a second thread, so parsing and
 * decoding overlap. Either way only the consumer touches the reader and its diagnostics, and
 * it sees the events in file order, so the output is the same. */
#include "io_internal.h"

#include <csv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELD_BYTES (1u << 20) /* one cell */
#define MAX_ROW_FIELDS 256
#define BATCH_EVENTS 4096      /* rows per batch */
#define BATCH_BYTES (1u << 20) /* cell bytes per batch (soft) */
#define QUEUE_SLOTS 4
#define PIPELINE_MIN_BYTES (4u << 20)

typedef enum { EV_ROW = 0, EV_MALFORMED, EV_UNCLOSED } event_kind;

/* One parsed row, or a syntax error at the point where parsing stopped. */
typedef struct {
	event_kind kind;
	int line;          /* line where the row starts */
	size_t offset;     /* byte offset of the row start (EV_MALFORMED: of the error) */
	size_t first_cell; /* index of the row's first cell in the batch's cell_off */
	int cell_count;
	int too_many;     /* 1: more than MAX_ROW_FIELDS cells; 2: a cell too long */
	const char *what; /* libcsv's text for EV_MALFORMED (a static string) */
} row_event;

typedef struct {
	eic_buf blob;     /* cell texts of every row in the batch, each NUL-terminated */
	eic_vec cell_off; /* size_t: offsets of cells in blob */
	eic_vec events;   /* row_event */
} batch;

/* Producer state: libcsv callbacks fill `cur`. */
typedef struct {
	const char *data;
	size_t size;
	batch *cur;
	size_t row_first; /* first cell of the row being built */
	int row_cells;
	int row_too_many;
	int row_line;
	size_t row_offset;
	int row_in_progress;
	int failed; /* ENOMEM in the producer */
} producer;

/* Consumer state: the table being read and where its columns are. */
typedef struct {
	eic_reader *r;
	eic_table_id table;
	const eic_table *def;
	const char *file;
	const char *data;
	size_t size;
	int header_done;
	int header_fatal;                  /* a required column is missing: rows are not decoded */
	int col_of_field[MAX_ROW_FIELDS];  /* physical field -> schema column (-1 unknown) */
	int field_of_col[EIC_MAX_COLUMNS]; /* schema column -> physical field (-1 absent) */
	int header_count;
	size_t row_offset; /* of the row being decoded, for csv_locate */
	int rc;            /* first fatal error (ENOMEM) */
	size_t cache_off, cache_linestart;
	int cache_line;
} consumer;

/* Bounded queue of full batches between the two threads, plus a free list to reuse them. */
typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	batch *full[QUEUE_SLOTS];
	size_t head, count;
	batch *spare[QUEUE_SLOTS + 2];
	size_t spare_count;
	int producer_done;
	int consumer_stop; /* the consumer hit ENOMEM: the producer should stop */
} queue;

static void batch_init(batch *b)
{
	memset(b, 0, sizeof(*b));
	b->blob.cap_limit = 0;
	eic_vec_init(&b->cell_off, sizeof(size_t));
	eic_vec_init(&b->events, sizeof(row_event));
}

static void batch_clear(batch *b)
{
	eic_buf_clear(&b->blob);
	b->cell_off.len = 0;
	b->events.len = 0;
}

static void batch_free(batch *b)
{
	if (!b)
		return;
	eic_buf_free(&b->blob);
	eic_vec_free(&b->cell_off);
	eic_vec_free(&b->events);
	eic_free(b);
}

static batch *batch_new(void)
{
	batch *b = eic_malloc(sizeof(*b));
	if (b)
		batch_init(b);
	return b;
}

/* ---- locating cells (consumer) ---- */

/* Byte offset of physical field `field` in the row starting at `off` (RFC 4180 scan). */
static size_t field_offset(const char *d, size_t size, size_t off, int field)
{
	int f = 0;
	int quoted = 0;
	size_t i = off;
	while (i < size && f < field) {
		char c = d[i];
		if (quoted) {
			if (c == '"') {
				if (i + 1 < size && d[i + 1] == '"')
					i++;
				else
					quoted = 0;
			}
		} else if (c == '"') {
			quoted = 1;
		} else if (c == ',') {
			f++;
		} else if (c == '\n' || c == '\r') {
			break;
		}
		i++;
	}
	/* Skip leading blanks, which libcsv trims, so the column points at the value. */
	while (i < size && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i;
}

static void linecol(consumer *x, size_t off, int *line, int *column)
{
	eic_io__offset_to_linecol(x->data, off, &x->cache_off, &x->cache_line, &x->cache_linestart,
	                          line, column);
}

static void csv_locate(const eic_rowsrc *src, int col, int *line, int *column)
{
	consumer *x = src->ctx;
	int field = col >= 0 ? x->field_of_col[col] : 0;
	if (field < 0)
		field = 0;
	linecol(x, field_offset(x->data, x->size, x->row_offset, field), line, column);
}

/* ---- header (consumer) ---- */

static void header_cell(consumer *x, int field, const char *name)
{
	int line, column;
	x->col_of_field[field] = -1;
	for (int c = 0; c < x->def->column_count; c++) {
		if (strcmp(x->def->columns[c].name, name) != 0)
			continue;
		if (x->field_of_col[c] >= 0) {
			linecol(x, field_offset(x->data, x->size, x->row_offset, field), &line,
			        &column);
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			              "duplicate column in header (expected each column once; "
			              "found '%s' again)",
			              name);
			x->header_fatal = 1;
			return;
		}
		x->field_of_col[c] = field;
		x->col_of_field[field] = c;
		return;
	}
	/* Unknown column: point at it and list the valid names. */
	char expected[512];
	size_t n = 0;
	expected[0] = '\0';
	for (int c = 0; c < x->def->column_count && n < sizeof(expected); c++)
		n += (size_t)snprintf(expected + n, sizeof(expected) - n, "%s%s", c ? ", " : "",
		                      x->def->columns[c].name);
	linecol(x, field_offset(x->data, x->size, x->row_offset, field), &line, &column);
	eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
	              "unknown column '%s' in %s.csv (expected one of: %s)", name, x->def->name,
	              expected);
}

static void finish_header(consumer *x, int line)
{
	for (int c = 0; c < x->def->column_count; c++) {
		if (x->def->columns[c].required && x->field_of_col[c] < 0) {
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, 1,
			              "missing required column '%s' in header (expected it among "
			              "the columns of %s.csv)",
			              x->def->columns[c].name, x->def->name);
			x->header_fatal = 1;
		}
	}
}

/* ---- consuming events ---- */

static void consume_row(consumer *x, const batch *b, const row_event *e)
{
	const size_t *offs = (const size_t *)b->cell_off.data + e->first_cell;
	int line, column;
	x->row_offset = e->offset;
	if (!x->header_done) {
		x->header_done = 1;
		if (e->too_many) {
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, e->line, 1,
			              "header too wide (expected at most %d columns)",
			              MAX_ROW_FIELDS);
			x->header_fatal = 1;
			return;
		}
		x->header_count = e->cell_count;
		for (int f = 0; f < e->cell_count; f++) {
			const char *name = b->blob.data + offs[f];
			if (f == 0 && (unsigned char)name[0] == 0xEF &&
			    (unsigned char)name[1] == 0xBB && (unsigned char)name[2] == 0xBF)
				name += 3; /* UTF-8 byte-order mark */
			header_cell(x, f, name);
		}
		finish_header(x, e->line);
		return;
	}
	if (x->header_fatal)
		return;
	if (e->cell_count != x->header_count || e->too_many || e->cell_count == 0) {
		linecol(x, e->offset, &line, &column);
		if (e->too_many == 2)
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			              "cell too long (expected at most %u bytes)", MAX_FIELD_BYTES);
		else
			eic_diags_add(
			    x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			    "wrong number of cells (expected %d as in the header; found %s%d)",
			    x->header_count, e->too_many ? "more than " : "", e->cell_count);
		return;
	}
	const char *values[EIC_MAX_COLUMNS];
	for (int c = 0; c < x->def->column_count; c++) {
		int f = x->field_of_col[c];
		values[c] = f >= 0 ? b->blob.data + offs[f] : NULL;
	}
	/* The row's cells are contiguous in the blob: offer them as one block. */
	const char *row_data = b->blob.data + offs[0];
	const char *row_end = b->blob.data + offs[e->cell_count - 1];
	size_t row_len = (size_t)(row_end - row_data) + strlen(row_end) + 1;
	eic_rowsrc src = {x->file, csv_locate, x, e->line, row_data, row_len};
	int rc = eic_io__decode_row(x->r, x->table, values, &src);
	if (rc < 0)
		x->rc = rc;
}

static void consume(consumer *x, const batch *b)
{
	const row_event *ev = (const row_event *)b->events.data;
	int line, column;
	for (size_t i = 0; i < b->events.len && x->rc >= 0; i++) {
		const row_event *e = &ev[i];
		switch (e->kind) {
		case EV_ROW:
			consume_row(x, b, e);
			break;
		case EV_MALFORMED:
			linecol(x, e->offset, &line, &column);
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			              "malformed CSV (expected RFC 4180 quoting: a quote only at "
			              "the start of a cell, doubled inside it; %s)",
			              e->what);
			break;
		case EV_UNCLOSED:
			linecol(x, e->offset, &line, &column);
			eic_diags_add(x->r->diags, EIC_SEV_ERROR, x->file, line, column,
			              "malformed CSV (expected a closing quote before the end of "
			              "the file; found none)");
			break;
		}
	}
}

/* ---- producing events ---- */

static void on_field(void *s, size_t len, void *ctx)
{
	producer *p = ctx;
	batch *b = p->cur;
	if (p->row_cells >= MAX_ROW_FIELDS) {
		p->row_too_many = 1;
		return;
	}
	if (len > MAX_FIELD_BYTES) {
		p->row_too_many = 2;
		len = 0;
	}
	if (!s)
		len = 0;
	/* One capacity check and one copy per cell: this runs for every cell of every row. */
	eic_buf *blob = &b->blob;
	size_t at = blob->len;
	if ((blob->len + len + 2 > blob->cap && eic_buf_grow(blob, len + 1) < 0) ||
	    !eic_vec_push(&b->cell_off, &at)) {
		p->failed = 1;
		return;
	}
	if (len)
		memcpy(blob->data + blob->len, s, len);
	blob->len += len;
	blob->data[blob->len++] = '\0';
	blob->data[blob->len] = '\0';
	p->row_cells++;
}

static void on_row(int term, void *ctx)
{
	producer *p = ctx;
	(void)term;
	row_event e = {EV_ROW,       p->row_line,     p->row_offset, p->row_first,
	               p->row_cells, p->row_too_many, NULL};
	if (!eic_vec_push(&p->cur->events, &e))
		p->failed = 1;
	p->row_in_progress = 0;
	p->row_cells = 0;
	p->row_too_many = 0;
	p->row_first = p->cur->cell_off.len;
}

static int blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Hands a full batch on and gets an empty one: called by the producer between rows. */
typedef int (*handoff_fn)(void *ctx, producer *p);

/* Run libcsv over the data one physical line at a time, so that the line on which each row
 * starts is known (a quoted cell may span lines). Between lines, a batch that is full is
 * handed on. Returns 0, or EIC_ENOMEM. O(size). */
static int produce(producer *p, handoff_fn handoff, void *ctx)
{
	struct csv_parser parser;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return EIC_ENOMEM;
	csv_set_realloc_func(&parser, eic_realloc);
	csv_set_free_func(&parser, eic_free);
	size_t off = 0;
	int line = 1;
	int rc = 0;
	while (off < p->size && !p->failed) {
		const char *nl = memchr(p->data + off, '\n', p->size - off);
		size_t len = nl ? (size_t)(nl - (p->data + off)) + 1 : p->size - off;
		if (!p->row_in_progress && !blank_line(p->data + off, len)) {
			p->row_in_progress = 1;
			p->row_line = line;
			p->row_offset = off;
		}
		size_t done = csv_parse(&parser, p->data + off, len, on_field, on_row, p);
		if (done != len) {
			row_event e = {EV_MALFORMED,
			               line,
			               off + done,
			               0,
			               0,
			               0,
			               csv_strerror(csv_error(&parser))};
			if (!eic_vec_push(&p->cur->events, &e))
				p->failed = 1;
			goto done;
		}
		off += len;
		line++;
		if (!p->row_in_progress &&
		    (p->cur->events.len >= BATCH_EVENTS || p->cur->blob.len >= BATCH_BYTES) &&
		    (rc = handoff(ctx, p)) < 0)
			goto done;
	}
	if (!p->failed && csv_fini(&parser, on_field, on_row, p) != 0) {
		row_event e = {EV_UNCLOSED, p->row_line, p->row_offset, 0, 0, 0, NULL};
		if (!eic_vec_push(&p->cur->events, &e))
			p->failed = 1;
	}
done:
	csv_free(&parser);
	if (p->failed && rc == 0)
		rc = EIC_ENOMEM;
	return rc;
}

/* ---- single thread: consume each batch as soon as it is full ---- */

static int handoff_inline(void *ctx, producer *p)
{
	consumer *x = ctx;
	consume(x, p->cur);
	batch_clear(p->cur);
	p->row_first = 0;
	return x->rc;
}

/* ---- two threads ---- */

typedef struct {
	queue *q;
	producer *p;
	int rc;
} producer_thread;

static int handoff_queue(void *ctx, producer *p)
{
	producer_thread *t = ctx;
	queue *q = t->q;
	batch *next = NULL;
	pthread_mutex_lock(&q->lock);
	while (q->count == QUEUE_SLOTS && !q->consumer_stop)
		pthread_cond_wait(&q->changed, &q->lock);
	if (q->consumer_stop) {
		pthread_mutex_unlock(&q->lock);
		return EIC_ERROR;
	}
	q->full[(q->head + q->count) % QUEUE_SLOTS] = p->cur;
	q->count++;
	if (q->spare_count)
		next = q->spare[--q->spare_count];
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	if (!next && !(next = batch_new())) {
		p->cur = NULL;
		return EIC_ENOMEM;
	}
	batch_clear(next);
	p->cur = next;
	p->row_first = 0;
	return 0;
}

static void *producer_main(void *arg)
{
	producer_thread *t = arg;
	t->rc = produce(t->p, handoff_queue, t);
	queue *q = t->q;
	pthread_mutex_lock(&q->lock);
	/* The last, partial batch goes in as well (the queue may have to make room). */
	while (t->p->cur && q->count == QUEUE_SLOTS && !q->consumer_stop)
		pthread_cond_wait(&q->changed, &q->lock);
	if (t->p->cur && !q->consumer_stop) {
		q->full[(q->head + q->count) % QUEUE_SLOTS] = t->p->cur;
		q->count++;
		t->p->cur = NULL;
	}
	q->producer_done = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Consume batches from the queue until the producer is done. Returns 0 or the first error. */
static int consume_queue(consumer *x, queue *q)
{
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->count == 0 && !q->producer_done)
			pthread_cond_wait(&q->changed, &q->lock);
		if (q->count == 0) {
			pthread_mutex_unlock(&q->lock);
			return x->rc;
		}
		batch *b = q->full[q->head];
		q->head = (q->head + 1) % QUEUE_SLOTS;
		q->count--;
		pthread_cond_broadcast(&q->changed);
		pthread_mutex_unlock(&q->lock);

		if (x->rc >= 0)
			consume(x, b);

		pthread_mutex_lock(&q->lock);
		if (x->rc < 0)
			q->consumer_stop = 1;
		if (q->spare_count < sizeof(q->spare) / sizeof(q->spare[0])) {
			q->spare[q->spare_count++] = b;
			b = NULL;
		}
		pthread_cond_broadcast(&q->changed);
		pthread_mutex_unlock(&q->lock);
		batch_free(b);
	}
}

static int read_pipelined(consumer *x, producer *p, int *started)
{
	queue q;
	producer_thread t = {&q, p, 0};
	pthread_t thread;
	memset(&q, 0, sizeof(q));
	*started = 0;
	if (pthread_mutex_init(&q.lock, NULL) != 0)
		return 0;
	if (pthread_cond_init(&q.changed, NULL) != 0) {
		pthread_mutex_destroy(&q.lock);
		return 0;
	}
	if (pthread_create(&thread, NULL, producer_main, &t) != 0) {
		pthread_cond_destroy(&q.changed);
		pthread_mutex_destroy(&q.lock);
		return 0; /* fall back to one thread */
	}
	*started = 1;
	int rc = consume_queue(x, &q);
	pthread_join(thread, NULL);
	/* Batches left in the queue (after a consumer error) and the spares. */
	for (size_t i = 0; i < q.count; i++)
		batch_free(q.full[(q.head + i) % QUEUE_SLOTS]);
	for (size_t i = 0; i < q.spare_count; i++)
		batch_free(q.spare[i]);
	batch_free(p->cur);
	p->cur = NULL;
	pthread_cond_destroy(&q.changed);
	pthread_mutex_destroy(&q.lock);
	if (rc >= 0 && t.rc < 0 && t.rc != EIC_ERROR)
		rc = t.rc;
	return rc;
}

int eic_io__read_csv(eic_reader *r, eic_table_id t, const char *file, const char *data, size_t size)
{
	consumer x;
	producer p;
	memset(&x, 0, sizeof(x));
	memset(&p, 0, sizeof(p));
	x.r = r;
	x.table = t;
	x.def = eic_io__table(t);
	x.file = file;
	x.data = data;
	x.size = size;
	for (int c = 0; c < EIC_MAX_COLUMNS; c++)
		x.field_of_col[c] = -1;
	p.data = data;
	p.size = size;
	if (t == TBL_FLOWS && size > (1u << 20)) {
		/* Size the id table once: about one row per line. */
		size_t lines = 0;
		for (const char *q = data; (q = memchr(q, '\n', (size_t)(data + size - q))) != NULL;
		     q++)
			lines++;
		if (eic_map_reserve(&r->flow_ids, lines) < 0)
			return EIC_ENOMEM;
	}
	int rc = 0, started = 0;
	if (!(p.cur = batch_new()))
		return EIC_ENOMEM;
	if (size >= PIPELINE_MIN_BYTES)
		rc = read_pipelined(&x, &p, &started);
	if (!started) {
		rc = produce(&p, handoff_inline, &x);
		if (rc >= 0 && p.cur)
			consume(&x, p.cur);
		if (rc >= 0)
			rc = x.rc;
		batch_free(p.cur);
	}
	if (rc >= 0 && !x.header_done)
		eic_diags_add(r->diags, EIC_SEV_ERROR, file, 1, 1,
		              "empty table (expected a header row with the column names of %s.csv; "
		              "found nothing)",
		              x.def->name);
	return rc < 0 ? rc : 0;
}
