/* fuzz_reconcile.c: fuzz target for the reconciliation problem file reader (read from a
 * temporary file, the reader's only entry point); an accepted problem is reconciled. */
#include <eic/eic.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/eic_fuzz_reconcile_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(path);
		return 0;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	eic_reconcile_problem *p = NULL;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) == 0 && eic_reconcile_problem_read(&p, d, path) == 0 &&
	    eic_reconcile_problem_variable_count(p) <= 500) {
		eic_reconcile_result *r = NULL;
		if (eic_reconcile(&r, p, NULL) == 0)
			eic_reconcile_result_free(r);
	}
	eic_reconcile_problem_free(p);
	eic_diags_free(d);
	unlink(path);
	return 0;
}
