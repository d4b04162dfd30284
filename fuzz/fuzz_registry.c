/* fuzz_registry.c: fuzz target for the registry importers (Finland PRTR, US TRI). The input's
 * first byte picks the registry and the filters; the rest is written to a temporary folder
 * (Finland: facilities, releases and waste transfers split at form feeds; TRI: one yearly
 * file) and imported into an in-memory store, twice when asked so that re-imports run too. */
#include <eic/eic.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {"facilities.csv", "releases.csv", "waste_transfers.csv",
                                    "2020_fuzz.csv"};
static char dir[4096];
static eic_store *store;
static eic_pollutants *cat;

static void cleanup(void)
{
	char path[4200];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		remove(path);
	}
	rmdir(dir);
	eic_store_close(store);
	eic_pollutants_free(cat);
}

static int setup(void)
{
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	const char *tmp = getenv("TMPDIR");
	if (dir[0])
		return store && cat ? 0 : -1;
	snprintf(dir, sizeof(dir), "%s/eic-fuzz-registry-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	atexit(cleanup);
	if (eic_pollutants_load(&cat, NULL, NULL) < 0 ||
	    eic_store_open(&store, ":memory:", &so) < 0)
		return -1;
	return 0;
}

static int write_file(const char *name, const uint8_t *data, size_t size)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_registry_options o = EIC_REGISTRY_OPTIONS_INIT;
	static const char *const ids[] = {"0000002234", "60901NCLCH1400H"};
	eic_diags *d = NULL;
	if (size < 1 || setup() < 0)
		return 0;
	unsigned flags = data[0];
	data++;
	size--;
	o.registry = flags & 1 ? EIC_REGISTRY_US_TRI : EIC_REGISTRY_FINLAND_PRTR;
	if (o.registry == EIC_REGISTRY_US_TRI) {
		if (write_file(files[3], data, size) < 0)
			return 0;
	} else {
		/* three files split at form feeds; missing parts are empty files */
		for (int k = 0; k < 3; k++) {
			const uint8_t *ff = memchr(data, '\f', size);
			size_t len = k < 2 && ff ? (size_t)(ff - data) : size;
			if (write_file(files[k], data, len) < 0)
				return 0;
			data += len < size ? len + 1 : len;
			size -= len < size ? len + 1 : len;
		}
	}
	o.dir = dir;
	o.create_cluster = 1;
	if (flags & 2)
		o.area = o.registry == EIC_REGISTRY_US_TRI ? "KANKAKEE" : "kokkola";
	if (flags & 4) {
		o.first_year = 2017;
		o.last_year = 2020;
	}
	if (flags & 8) {
		o.facilities = ids;
		o.facility_count = 2;
	}
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_registry_import(NULL, store, "fuzz", &o, cat, d) == 0 && (flags & 16))
		eic_registry_import(NULL, store, "fuzz", &o, cat, d);
	eic_store_delete(store, "fuzz");
	eic_diags_free(d);
	return 0;
}
