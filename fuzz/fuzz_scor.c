/* fuzz_scor.c: fuzz target for the SCOR network reader; whatever it accepts is analysed, so
 * the network engine also meets odd networks (empty, disconnected, cyclic, huge values). */
#include <eic/eic.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eic_network *net = NULL;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) < 0)
		return 0;
	if (eic_network_parse_scor(&net, d, "fuzz.scor", (const char *)data, size) == 0 &&
	    eic_network_node_count(net) <= 200) {
		eic_ena *ena = NULL;
		if (eic_ena_compute(&ena, net, NULL) == 0)
			eic_ena_free(ena);
	}
	eic_network_free(net);
	eic_diags_free(d);
	return 0;
}
