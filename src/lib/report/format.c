/* format.c: number formatting for the HTML report: significant figures, thousands separators,
 * and user numbers shown as entered. Pure functions, no allocation. */
#include "report_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Insert ',' every three digits into the integer part of the number text in buf (in place,
 * within size). Text in e-notation or that would not fit is left unchanged. */
static void group_thousands(char *buf, size_t size)
{
	if (strchr(buf, 'e') || strchr(buf, 'E'))
		return;
	char *start = buf;
	if (*start == '-' || *start == '+')
		start++;
	size_t digits = strspn(start, "0123456789");
	if (digits <= 3)
		return;
	size_t commas = (digits - 1) / 3;
	size_t len = strlen(buf);
	if (len + commas + 1 > size)
		return;
	/* Move from the end backwards: tail (after the integer digits) first. */
	size_t int_end = (size_t)(start - buf) + digits;
	memmove(buf + int_end + commas, buf + int_end, len - int_end + 1);
	size_t src = int_end, dst = int_end + commas, count = 0;
	while (src > (size_t)(start - buf)) {
		if (count == 3) {
			buf[--dst] = ',';
			count = 0;
		}
		buf[--dst] = buf[--src];
		count++;
	}
}

/* Drop trailing zeros after a decimal point, and the point itself when nothing remains. */
static void strip_zeros(char *buf)
{
	char *dot = strchr(buf, '.');
	if (!dot || strchr(buf, 'e'))
		return;
	char *end = buf + strlen(buf);
	while (end > dot + 1 && end[-1] == '0')
		*--end = '\0';
	if (end == dot + 1)
		*dot = '\0';
}

void eic_report__fmt_sig(char *buf, size_t size, double v, int sig)
{
	if (!size)
		return;
	if (!isfinite(v)) {
		snprintf(buf, size, "\xe2\x80\x94"); /* em dash */
		return;
	}
	if (sig < 1)
		sig = 1;
	if (sig > 17)
		sig = 17;
	if (v == 0.0) {
		snprintf(buf, size, "0");
		return;
	}
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%.*e", sig - 1, v);
	double rounded = strtod(tmp, NULL);
	int exponent = atoi(strchr(tmp, 'e') + 1);
	double mag = fabs(rounded);
	if (mag >= 1e15 || mag < 1e-4) {
		/* e-notation: mantissa without trailing zeros. */
		char *e = strchr(tmp, 'e');
		*e = '\0';
		strip_zeros(tmp);
		snprintf(buf, size, "%se%d", tmp, exponent);
		return;
	}
	int decimals = sig - 1 - exponent;
	if (decimals < 0)
		decimals = 0;
	snprintf(buf, size, "%.*f", decimals, rounded);
	strip_zeros(buf);
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
	group_thousands(buf, size);
}

void eic_report__fmt_input(char *buf, size_t size, double v)
{
	if (!size)
		return;
	if (!isfinite(v)) {
		snprintf(buf, size, "\xe2\x80\x94");
		return;
	}
	eic_fmt_double(buf, size, v);
	group_thousands(buf, size);
}

void eic_report__fmt_count(char *buf, size_t size, size_t n)
{
	if (!size)
		return;
	snprintf(buf, size, "%zu", n);
	group_thousands(buf, size);
}
