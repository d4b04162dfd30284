/* fuzz_csv.c: fuzz target for the CSV table reader. The first byte picks the table; the rest
 * is the CSV text, decoded into a small cluster that has periods, actors and a material. */
#include <eic/eic.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tables[] = {
    "actors", "processes",  "materials",       "material_properties",  "flows",
    "offers", "facilities", "facility_levels", "facility_coefficients"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	eic_cluster *c = NULL;
	eic_diags *d = NULL;
	if (eic_cluster_new(&c) < 0 || eic_diags_new(&d, 100) < 0)
		goto done;
	eic_cluster_info info = {"fz", "Fuzz", "", "TH", "THB", "", "t", "GJ", "m3", "none", ""};
	eic_period p = {"2024", "2024-01-01", "2024-12-31", ""};
	eic_actor a = {"mill", EIC_ACTOR_FIRM, "Mill", EIC_SECTOR_ISIC4, "", -1, 0, 13, 101, "",
	               ""};
	eic_process pr = {"milling", "mill", "Milling", ""};
	eic_material m = {"husk", "Husk", "", "", 0, "", "", "", EIC_ORIGIN_CLUSTER};
	eic_facility f = {"bg", "Biogas", "AD", 13, 101, "", "t/yr", 20, ""};
	eic_cluster_set_info(c, &info);
	eic_cluster_add_period(c, &p);
	eic_cluster_add_actor(c, &a);
	eic_cluster_add_process(c, &pr);
	eic_cluster_add_material(c, &m);
	eic_cluster_add_facility(c, &f);
	const char *table = tables[data[0] % (sizeof(tables) / sizeof(tables[0]))];
	eic_package_read_csv_buffer(c, d, table, "fuzz.csv", (const char *)data + 1, size - 1);
	/* Whatever was accepted must export. */
	char *json = NULL;
	if (eic_package_to_json(&json, c) == 0)
		free(json);
done:
	eic_diags_free(d);
	eic_cluster_free(c);
	return 0;
}
