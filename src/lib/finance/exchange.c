/* exchange.c: the shipped table of exchange rates (data/finance/exchange_rates.csv), used to
 * express eic's USD defaults in a cluster's currency. Sources: data/finance/README.md. */
#include <eic/finance.h>
#include <eic/io.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* Split `line` at the first `n` commas into fields (the last keeps the rest). */
static size_t split(char *line, char **fields, size_t n)
{
	size_t k = 0;
	fields[k++] = line;
	for (char *p = line; *p && k < n; p++) {
		if (*p == ',') {
			*p = '\0';
			fields[k++] = p + 1;
		}
	}
	return k;
}

/*
 * Read the table line by line; the header names the columns currency,per_usd,year,checked,
 * source in that order (the source may contain commas: it is the rest of the line).
 * O(rows); the first matching row wins.
 */
int eic_fin_usd_rate(eic_fin_rate *out, const char *currency, const char *path, char *msg,
                     size_t msg_size)
{
	char buf[1024], line[1024];
	int error = EIC_ENOTFOUND, lineno = 0;
	FILE *fp;

	if (!out || eic_str_empty(currency))
		return EIC_EINVAL;
	if (!path) {
		snprintf(buf, sizeof(buf), "%s/finance/exchange_rates.csv", eic_data_dir());
		path = buf;
	}
	if (msg && msg_size)
		msg[0] = '\0';
	if (!(fp = fopen(path, "r"))) {
		if (msg && msg_size)
			snprintf(msg, msg_size, "cannot read %s: %s", path, strerror(errno));
		return EIC_ENOTFOUND;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *f[5], *end;
		lineno++;
		/* a line that does not fit would be read on as a second, bogus row */
		if (!strchr(line, '\n')) {
			int next = getc(fp);
			if (next != EOF) {
				if (msg && msg_size)
					snprintf(msg, msg_size,
					         "%s:%d: error: line too long (expected at most "
					         "%d characters)",
					         path, lineno, (int)sizeof(line) - 2);
				error = EIC_EPARSE;
				break;
			}
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, "currency,per_usd,year,checked,source") != 0) {
				if (msg && msg_size)
					snprintf(msg, msg_size,
					         "%s:1:1: error: unexpected header (expected "
					         "currency,per_usd,year,checked,source)",
					         path);
				error = EIC_EPARSE;
				break;
			}
			continue;
		}
		if (!line[0])
			continue;
		if (split(line, f, 5) != 5) {
			if (msg && msg_size)
				snprintf(msg, msg_size, "%s:%d: error: expected 5 fields", path,
				         lineno);
			error = EIC_EPARSE;
			break;
		}
		if (strcmp(f[0], currency) != 0)
			continue;
		errno = 0;
		double v = strtod(f[1], &end);
		long year = strtol(f[2], NULL, 10);
		if (end == f[1] || *end || !isfinite(v) || v <= 0 || year < 1900 || year > 9999 ||
		    (strcmp(f[3], "yes") && strcmp(f[3], "no"))) {
			if (msg && msg_size)
				snprintf(msg, msg_size,
				         "%s:%d: error: malformed rate for %s (expected a positive "
				         "number, a year and yes/no)",
				         path, lineno, currency);
			error = EIC_EPARSE;
			break;
		}
		out->per_usd = v;
		out->year = (int)year;
		out->checked = strcmp(f[3], "yes") == 0;
		snprintf(out->source, sizeof(out->source), "%s", f[4]);
		error = 0;
		break;
	}
	fclose(fp);
	return error;
}
