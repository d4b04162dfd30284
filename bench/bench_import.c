/* bench_import.c: times the two halves of `eic import` on a package through the library:
 * reading with full validation, then storing in SQLite; prints rows/s and peak memory. */
#include <eic/eic.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_import PACKAGE DB\n");
		return 2;
	}
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	eic_store *s = NULL;
	eic_diags_new(&d, 1000);
	double t0 = now();
	int rc = eic_package_read(&c, d, argv[1], NULL);
	double t1 = now();
	if (rc < 0) {
		fprintf(stderr, "read failed: %s (%zu errors)\n", eic_strerror(rc),
		        eic_diags_errors(d));
		for (size_t i = 0; i < eic_diags_count(d) && i < 5; i++) {
			char line[1200];
			eic_diag_format(line, sizeof(line), eic_diags_get(d, i));
			fprintf(stderr, "%s\n", line);
		}
		return 1;
	}
	size_t rows =
	    eic_cluster_actor_count(c) + eic_cluster_flow_count(c) + eic_cluster_process_count(c);
	unlink(argv[2]);
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	if (eic_store_open(&s, argv[2], &so) < 0) {
		fprintf(stderr, "cannot open store\n");
		return 1;
	}
	double t2 = now();
	rc = eic_store_import(s, c, 0);
	double t3 = now();
	if (rc < 0) {
		fprintf(stderr, "import failed: %s: %s\n", eic_strerror(rc), eic_store_errmsg(s));
		return 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	size_t flows = eic_cluster_flow_count(c);
	printf("rows %zu (actors %zu, flows %zu)\n", rows, eic_cluster_actor_count(c), flows);
	printf("read+validate: %.3f s, %.0f rows/s\n", t1 - t0, (double)rows / (t1 - t0));
	printf("store import: %.3f s, %.0f flows/s (%.0f rows/s)\n", t3 - t2,
	       (double)flows / (t3 - t2), (double)rows / (t3 - t2));
	printf("end to end: %.3f s, %.0f flows/s\n", (t1 - t0) + (t3 - t2),
	       (double)flows / ((t1 - t0) + (t3 - t2)));
	printf("peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
	eic_store_close(s);
	eic_cluster_free(c);
	eic_diags_free(d);
	return 0;
}
