/* fuzz_json.c: fuzz target for the single-document JSON package reader; an accepted document
 * must export and read back to the same text (the round-trip property). */
#include <eic/eic.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_cluster *c = NULL, *c2 = NULL;
	eic_diags *d = NULL;
	char *j1 = NULL, *j2 = NULL;
	eic_read_options opts = EIC_READ_OPTIONS_INIT;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_package_read_json_buffer(&c, d, "fuzz.json", (const char *)data, size, &opts) ==
	        0 &&
	    eic_package_to_json(&j1, c) == 0) {
		eic_diags_free(d);
		d = NULL;
		if (eic_diags_new(&d, 100) == 0 &&
		    eic_package_read_json_buffer(&c2, d, "again.json", j1, strlen(j1), &opts) ==
		        0 &&
		    eic_package_to_json(&j2, c2) == 0 && strcmp(j1, j2) != 0)
			abort(); /* export is not a fixed point */
	}
	free(j1);
	free(j2);
	eic_cluster_free(c);
	eic_cluster_free(c2);
	eic_diags_free(d);
	return 0;
}
