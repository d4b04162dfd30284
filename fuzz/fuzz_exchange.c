/* fuzz_exchange.c: fuzz target for the exchange-rate table reader (eic_fin_usd_rate reads a
 * path, so the input is written to a temporary file); two currencies are looked up. */
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
	eic_fin_rate r;
	char msg[256];
	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/eic-fuzz-exchange-%ld.csv",
		         tmp && *tmp ? tmp : "/tmp", (long)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	size_t put = fwrite(data, 1, size, f);
	if (fclose(f) != 0 || put != size)
		return 0;
	eic_fin_usd_rate(&r, "EUR", path, msg, sizeof(msg));
	eic_fin_usd_rate(&r, "LKR", path, msg, 8);
	return 0;
}
