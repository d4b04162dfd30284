/* testutil.c: helpers shared by the unit tests: temporary folders, file reading, paths into
 * the source tree and the shared folder. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *eic_test_shared(const char *rel)
{
	static char buf[8][4096];
	static int slot;
	char *p = buf[slot++ % 8];
	snprintf(p, 4096, "%s/%s", EIC_SHARED_DIR, rel);
	if (access(p, R_OK) != 0) {
		fprintf(stderr, "SKIP: %s not found (../shared is absent)\n", p);
		return NULL;
	}
	return p;
}

char *eic_test_tmpdir(const char *tag)
{
	char tmpl[256];
	snprintf(tmpl, sizeof(tmpl), "/tmp/eic_test_%s_XXXXXX", tag);
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

char *eic_test_read_file(const char *path, size_t *out_size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc((size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	if (data) {
		data[n] = '\0';
		if (out_size)
			*out_size = (size_t)n;
	}
	return data;
}

const char *eic_test_src(const char *rel)
{
	static char buf[8][4096];
	static int slot;
	char *p = buf[slot++ % 8];
	snprintf(p, 4096, "%s/%s", EIC_SOURCE_DIR, rel);
	return p;
}
