/* write.c: writes a cluster as a package folder (cluster.json + CSV tables) or as one JSON
 * document. Output is deterministic: fixed column order, record order, shortest numbers. */
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef char cellbuf[EIC_MAX_COLUMNS][48];

static const char *num(char *buf, double v)
{
	eic_fmt_double(buf, 48, v);
	return buf;
}

/* Fill vals[] (one per schema column) for record i of table t; returns 0 to skip the record
 * (default-catalogue materials and properties are not written). */
static int record_values(const eic_cluster *c, eic_table_id t, size_t i, const char **v, cellbuf b)
{
	memset(v, 0, sizeof(const char *) * EIC_MAX_COLUMNS);
	switch (t) {
	case TBL_ACTORS: {
		const eic_actor *a = eic_cluster_actor(c, i);
		v[0] = a->id;
		v[1] = eic_actor_kind_name(a->kind);
		v[2] = a->name;
		v[3] = a->sector;
		v[4] = a->sector_scheme == EIC_SECTOR_NACE2 ? "nace2" : "";
		if (a->employees >= 0) {
			snprintf(b[5], sizeof(b[5]), "%ld", a->employees);
			v[5] = b[5];
		}
		v[6] = num(b[6], a->value_added);
		v[7] = num(b[7], a->lat);
		v[8] = num(b[8], a->lon);
		v[9] = a->address;
		v[10] = a->notes;
		return 1;
	}
	case TBL_PROCESSES: {
		const eic_process *p = eic_cluster_process(c, i);
		v[0] = p->id;
		v[1] = p->actor;
		v[2] = p->name;
		v[3] = p->notes;
		return 1;
	}
	case TBL_MATERIALS: {
		const eic_material *m = eic_cluster_material(c, i);
		if (m->origin != EIC_ORIGIN_CLUSTER)
			return 0;
		v[0] = m->id;
		v[1] = m->name;
		v[2] = m->category;
		v[3] = m->ewc;
		v[4] = m->hazardous ? "yes" : "no";
		v[5] = m->hs;
		v[6] = m->cpc;
		v[7] = m->notes;
		return 1;
	}
	case TBL_PROPERTIES: {
		const eic_property *p = eic_cluster_property(c, i);
		if (p->origin != EIC_ORIGIN_CLUSTER)
			return 0;
		v[0] = p->material;
		v[1] = p->name;
		v[2] = num(b[2], p->value);
		v[3] = p->unit;
		v[4] = p->source;
		return 1;
	}
	case TBL_FLOWS: {
		const eic_flow *f = eic_cluster_flow(c, i);
		v[0] = f->id;
		v[1] = f->from;
		v[2] = f->to;
		v[3] = f->material;
		v[4] = num(b[4], f->quantity);
		v[5] = f->unit;
		v[6] = f->period;
		v[7] = num(b[7], f->sd);
		v[8] = num(b[8], f->rel_sd);
		v[9] = eic_data_quality_name(f->quality);
		v[10] = f->source;
		v[11] = f->notes;
		return 1;
	}
	case TBL_OFFERS: {
		const eic_offer *o = eic_cluster_offer(c, i);
		v[0] = o->id;
		v[1] = o->actor;
		v[2] = o->type == EIC_OFFER_HAVE ? "have" : "want";
		v[3] = o->material;
		v[4] = num(b[4], o->quantity);
		v[5] = num(b[5], o->min_quantity);
		v[6] = num(b[6], o->max_quantity);
		v[7] = o->unit;
		v[8] = o->quality;
		v[9] = o->available_from;
		v[10] = o->available_to;
		v[11] = num(b[11], o->price);
		v[12] = o->price_unit;
		v[13] = eic_confidentiality_name(o->confidentiality);
		v[14] = o->notes;
		return 1;
	}
	case TBL_FACILITIES: {
		const eic_facility *f = eic_cluster_facility(c, i);
		v[0] = f->id;
		v[1] = f->name;
		v[2] = f->technology;
		v[3] = num(b[3], f->lat);
		v[4] = num(b[4], f->lon);
		v[5] = f->address;
		v[6] = f->capacity_unit;
		v[7] = num(b[7], f->lifetime_yr);
		v[8] = f->notes;
		return 1;
	}
	case TBL_LEVELS: {
		const eic_facility_level *l = eic_cluster_facility_level(c, i);
		v[0] = l->facility;
		v[1] = l->level;
		v[2] = num(b[2], l->capacity);
		v[3] = num(b[3], l->capex);
		v[4] = num(b[4], l->opex_per_yr);
		return 1;
	}
	case TBL_COEFS: {
		const eic_facility_coef *k = eic_cluster_facility_coef(c, i);
		v[0] = k->facility;
		v[1] = k->material;
		v[2] = k->direction == EIC_DIR_INPUT ? "input" : "output";
		v[3] = num(b[3], k->coefficient);
		v[4] = k->unit;
		return 1;
	}
	default:
		return 0;
	}
}

static size_t record_count(const eic_cluster *c, eic_table_id t)
{
	switch (t) {
	case TBL_ACTORS:
		return eic_cluster_actor_count(c);
	case TBL_PROCESSES:
		return eic_cluster_process_count(c);
	case TBL_MATERIALS:
		return eic_cluster_material_count(c);
	case TBL_PROPERTIES:
		return eic_cluster_property_count(c);
	case TBL_FLOWS:
		return eic_cluster_flow_count(c);
	case TBL_OFFERS:
		return eic_cluster_offer_count(c);
	case TBL_FACILITIES:
		return eic_cluster_facility_count(c);
	case TBL_LEVELS:
		return eic_cluster_facility_level_count(c);
	case TBL_COEFS:
		return eic_cluster_facility_coef_count(c);
	default:
		return 0;
	}
}

/* Which columns have a value in at least one written record (required ones always). */
static size_t used_columns(const eic_cluster *c, eic_table_id t, int *used)
{
	const eic_table *def = eic_io__table(t);
	const char *v[EIC_MAX_COLUMNS];
	cellbuf b;
	size_t rows = 0, n = record_count(c, t);
	for (int k = 0; k < def->column_count; k++)
		used[k] = def->columns[k].required;
	for (size_t i = 0; i < n; i++) {
		if (!record_values(c, t, i, v, b))
			continue;
		rows++;
		for (int k = 0; k < def->column_count; k++)
			if (v[k] && v[k][0])
				used[k] = 1;
	}
	return rows;
}

static void csv_cell(eic_buf *o, const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	for (const char *p = s; *p && !quote; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	if (!quote) {
		eic_buf_put(o, s, n);
		return;
	}
	eic_buf_putc(o, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			eic_buf_putc(o, '"');
		eic_buf_putc(o, *p);
	}
	eic_buf_putc(o, '"');
}

static int table_csv(eic_buf *o, const eic_cluster *c, eic_table_id t)
{
	const eic_table *def = eic_io__table(t);
	int used[EIC_MAX_COLUMNS];
	const char *v[EIC_MAX_COLUMNS];
	cellbuf b;
	used_columns(c, t, used);
	int first = 1;
	for (int k = 0; k < def->column_count; k++) {
		if (!used[k])
			continue;
		if (!first)
			eic_buf_putc(o, ',');
		first = 0;
		eic_buf_puts(o, def->columns[k].name);
	}
	eic_buf_putc(o, '\n');
	size_t n = record_count(c, t);
	for (size_t i = 0; i < n; i++) {
		if (!record_values(c, t, i, v, b))
			continue;
		first = 1;
		for (int k = 0; k < def->column_count; k++) {
			if (!used[k])
				continue;
			if (!first)
				eic_buf_putc(o, ',');
			first = 0;
			csv_cell(o, v[k]);
		}
		eic_buf_putc(o, '\n');
	}
	return o->failed ? EIC_ENOMEM : 0;
}

static void json_str(eic_buf *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	eic_buf_putc(o, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			eic_buf_puts(o, "\\\"");
			break;
		case '\\':
			eic_buf_puts(o, "\\\\");
			break;
		case '\n':
			eic_buf_puts(o, "\\n");
			break;
		case '\r':
			eic_buf_puts(o, "\\r");
			break;
		case '\t':
			eic_buf_puts(o, "\\t");
			break;
		default:
			if (*p < 0x20) {
				char e[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
				eic_buf_puts(o, e);
			} else {
				eic_buf_putc(o, (char)*p);
			}
		}
	}
	eic_buf_putc(o, '"');
}

static void json_kv(eic_buf *o, int *first, const char *indent, const char *key, const char *s)
{
	if (!s || !*s)
		return;
	eic_buf_puts(o, *first ? "" : ",\n");
	*first = 0;
	eic_buf_puts(o, indent);
	json_str(o, key);
	eic_buf_puts(o, ": ");
	json_str(o, s);
}

static void info_json(eic_buf *o, const eic_cluster *c, const char *indent)
{
	const eic_cluster_info *in = eic_cluster_info_get(c);
	int first = 0;
	eic_buf_printf(o, "%s\"eic_format\": %d", indent, EIC_FORMAT_VERSION);
	json_kv(o, &first, indent, "id", in->id);
	json_kv(o, &first, indent, "name", in->name);
	json_kv(o, &first, indent, "region", in->region);
	json_kv(o, &first, indent, "country", in->country);
	json_kv(o, &first, indent, "currency", in->currency);
	json_kv(o, &first, indent, "description", in->description);
	eic_buf_printf(o, ",\n%s\"units\": {\"mass\": ", indent);
	json_str(o, in->mass_unit);
	eic_buf_puts(o, ", \"energy\": ");
	json_str(o, in->energy_unit);
	eic_buf_puts(o, ", \"volume\": ");
	json_str(o, in->volume_unit);
	eic_buf_puts(o, "}");
	json_kv(o, &first, indent, "catalogue", in->catalogue);
	eic_buf_printf(o, ",\n%s\"periods\": [", indent);
	for (size_t i = 0; i < eic_cluster_period_count(c); i++) {
		const eic_period *p = eic_cluster_period(c, i);
		eic_buf_printf(o, "%s\n%s  {\"id\": ", i ? "," : "", indent);
		json_str(o, p->id);
		eic_buf_puts(o, ", \"start\": ");
		json_str(o, p->start);
		eic_buf_puts(o, ", \"end\": ");
		json_str(o, p->end);
		if (p->label && *p->label) {
			eic_buf_puts(o, ", \"label\": ");
			json_str(o, p->label);
		}
		eic_buf_puts(o, "}");
	}
	eic_buf_printf(o, "\n%s]", indent);
	json_kv(o, &first, indent, "sources", in->sources);
}

static void table_json(eic_buf *o, const eic_cluster *c, eic_table_id t)
{
	const eic_table *def = eic_io__table(t);
	const char *v[EIC_MAX_COLUMNS];
	cellbuf b;
	size_t n = record_count(c, t);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		if (!record_values(c, t, i, v, b))
			continue;
		if (!any) {
			eic_buf_printf(o, ",\n  \"%s\": [\n", def->name);
			any = 1;
		} else {
			eic_buf_puts(o, ",\n");
		}
		eic_buf_puts(o, "    {");
		int first = 1;
		for (int k = 0; k < def->column_count; k++) {
			if (!v[k] || !*v[k])
				continue;
			eic_buf_puts(o, first ? "" : ", ");
			first = 0;
			json_str(o, def->columns[k].name);
			eic_buf_puts(o, ": ");
			if (def->columns[k].type == COLT_STR)
				json_str(o, v[k]);
			else
				eic_buf_puts(o, v[k]);
		}
		eic_buf_puts(o, "}");
	}
	if (any)
		eic_buf_puts(o, "\n  ]");
	else if (t == TBL_ACTORS)
		eic_buf_printf(o, ",\n  \"%s\": []", def->name);
}

int eic_package_to_json(char **out, const eic_cluster *c)
{
	eic_buf o = EIC_BUF_INIT;
	eic_buf_puts(&o, "{\n");
	info_json(&o, c, "  ");
	static const eic_table_id order[] = {TBL_ACTORS,     TBL_PROCESSES, TBL_MATERIALS,
	                                     TBL_PROPERTIES, TBL_FLOWS,     TBL_OFFERS,
	                                     TBL_FACILITIES, TBL_LEVELS,    TBL_COEFS};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		table_json(&o, c, order[i]);
	eic_buf_puts(&o, "\n}\n");
	if (o.failed) {
		eic_buf_free(&o);
		return EIC_ENOMEM;
	}
	*out = eic_buf_detach(&o);
	return 0;
}

/* Write data to path atomically (temporary file then rename). */
static int write_file(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return EIC_EIO;
	int ok = fwrite(data, 1, len, f) == len;
	ok &= fflush(f) == 0;
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return EIC_EIO;
	}
	return 0;
}

int eic_package_write_json(const eic_cluster *c, const char *path)
{
	char *text = NULL;
	int rc = eic_package_to_json(&text, c);
	if (rc < 0)
		return rc;
	if (strcmp(path, "-") == 0) {
		size_t n = strlen(text);
		rc = fwrite(text, 1, n, stdout) == n && fflush(stdout) == 0 ? 0 : EIC_EIO;
	} else {
		rc = write_file(path, text, strlen(text));
	}
	eic_free(text);
	return rc;
}

int eic_package_write_dir(const eic_cluster *c, const char *dir)
{
	char path[4096];
	eic_buf o = EIC_BUF_INIT;
	int rc = 0;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return EIC_EIO;
	eic_buf_puts(&o, "{\n");
	info_json(&o, c, "  ");
	eic_buf_puts(&o, "\n}\n");
	snprintf(path, sizeof(path), "%s/cluster.json", dir);
	if (o.failed || (rc = write_file(path, o.data, o.len)) < 0)
		goto done;
	for (int t = 0; t < TBL__N; t++) {
		int used[EIC_MAX_COLUMNS];
		size_t rows = used_columns(c, (eic_table_id)t, used);
		snprintf(path, sizeof(path), "%s/%s.csv", dir,
		         eic_io__table((eic_table_id)t)->name);
		if (rows == 0 && t != TBL_ACTORS) {
			if (unlink(path) != 0 && errno != ENOENT) {
				rc = EIC_EIO;
				goto done;
			}
			continue;
		}
		eic_buf_clear(&o);
		if ((rc = table_csv(&o, c, (eic_table_id)t)) < 0)
			goto done;
		if ((rc = write_file(path, o.data, o.len)) < 0)
			goto done;
	}
done:
	if (o.failed && rc == 0)
		rc = EIC_ENOMEM;
	eic_buf_free(&o);
	return rc;
}
