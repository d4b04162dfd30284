/* fuzz_pollutants.c: fuzz target for the pollutant catalogue reader (code,name,cas,list,group,
 * unit,source); the input is written to a temporary file, which the loader reads, and an
 * accepted catalogue is queried by code and CAS number. */
#include <eic/eic.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[4096];

static void cleanup(void)
{
	remove(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_pollutants *cat = NULL;
	eic_diags *d = NULL;
	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/eic-fuzz-pollutants-%ld.csv",
		         tmp && *tmp ? tmp : "/tmp", (long)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	size_t put = fwrite(data, 1, size, f);
	if (fclose(f) != 0 || put != size || eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_pollutants_load(&cat, path, d) == 0) {
		for (size_t i = 0; i < eic_pollutants_count(cat); i++) {
			const eic_pollutant *p = eic_pollutants_at(cat, i);
			if (eic_pollutants_find(cat, p->code) == NULL)
				abort(); /* every entry is found by its own code */
			eic_pollutants_find_cas(cat, p->cas, "tri");
		}
		eic_pollutants_find_cas(cat, "7440-66-6", NULL);
	}
	eic_pollutants_free(cat);
	eic_diags_free(d);
	return 0;
}
