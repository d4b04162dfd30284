/* svg.c: post-processing of cairo's SVG text: ids renumbered in order of appearance (for
 * reproducible bytes) and prefixed (for several drawings in one HTML page). */
#include "sankey_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	eic_map map;
	eic_arena arena;
	size_t next;
} id_table;

/* Write the new name of the id svg[0..len) to out. */
static int put_id(eic_buf *out, id_table *t, const char *id, size_t len, const char *prefix)
{
	char *key = eic_arena_strndup(&t->arena, id, len);
	size_t n;
	if (!key)
		return EIC_ENOMEM;
	if (!eic_map_get(&t->map, key, &n)) {
		n = ++t->next;
		if (eic_map_put(&t->map, key, n) < 0)
			return EIC_ENOMEM;
	}
	return eic_buf_printf(out, "%si%zu", prefix, n) < 0 ? EIC_ENOMEM : 0;
}

int eic_sankey__svg_rewrite_ids(eic_buf *out, const char *svg, const char *prefix)
{
	static const struct {
		const char *open;
		char close;
	} patterns[] = {{" id=\"", '"'}, {"href=\"#", '"'}, {"url(#", ')'}};
	id_table t;
	int error = 0;
	eic_map_init(&t.map);
	eic_arena_init(&t.arena);
	t.next = 0;
	const char *p = svg, *run = svg;
	while (*p) {
		size_t k, ol = 0;
		for (k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
			ol = strlen(patterns[k].open);
			if (strncmp(p, patterns[k].open, ol) == 0)
				break;
		}
		if (k == sizeof(patterns) / sizeof(patterns[0])) {
			p++;
			continue;
		}
		const char *id = p + ol;
		const char *end = strchr(id, patterns[k].close);
		if (!end) {
			p++;
			continue;
		}
		if (eic_buf_put(out, run, (size_t)(id - run)) < 0 ||
		    (error = put_id(out, &t, id, (size_t)(end - id), prefix)) < 0) {
			error = EIC_ENOMEM;
			goto done;
		}
		p = run = end;
	}
	if (eic_buf_put(out, run, (size_t)(p - run)) < 0 || out->failed)
		error = EIC_ENOMEM;
done:
	eic_map_free(&t.map);
	eic_arena_clear(&t.arena);
	return error;
}
