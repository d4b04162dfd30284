/* test_alloc.c: allocation-failure injection. Every allocation of the library goes through
 * eic_malloc and friends; here the n-th one fails, for every n, and each call must either
 * fail cleanly (negative code, nothing leaked, under ASan) or succeed with the right result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <eic/eic.h>

#include "testutil.h"
#include "util/util.h"

#define MAX_STEPS 200000

/* Read the package with the n-th allocation failing; returns the call's code and, on
 * success, the cluster's JSON export (made with failures off). */
static int read_with_failure(char **out_json, const char *path, long n)
{
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	int rc;
	*out_json = NULL;
	eic_alloc_fail_after(n);
	rc = eic_diags_new(&d, 0);
	if (rc == 0)
		rc = eic_package_read(&c, d, path, NULL);
	eic_alloc_fail_after(-1);
	if (rc == 0)
		assert_int_equal(eic_package_to_json(out_json, c), 0);
	else
		assert_null(c);
	eic_cluster_free(c);
	eic_diags_free(d);
	return rc;
}

static void test_alloc__package_read(void **state)
{
	(void)state;
	const char *path = eic_test_src("tests/data/packages/tiny");
	char *reference = NULL;
	assert_int_equal(read_with_failure(&reference, path, -1), 0);
	long n;
	int failures = 0;
	for (n = 0; n < MAX_STEPS; n++) {
		char *json = NULL;
		int rc = read_with_failure(&json, path, n);
		if (rc == 0) {
			/* Success after a failed allocation would be a silent loss: it must not
			 * differ. */
			assert_string_equal(reference, json);
			free(json);
			break;
		}
		assert_true(rc < 0);
		failures++;
	}
	assert_true(n < MAX_STEPS);
	assert_true(failures > 50); /* the read does allocate: the injection was exercised */
	free(reference);
}

static void test_alloc__balance_and_report(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	assert_int_equal(eic_package_read(&c, d, eic_test_src("tests/data/packages/tiny"), NULL),
	                 0);
	char *dir = eic_test_tmpdir("alloc_report");
	char path[512];
	snprintf(path, sizeof(path), "%s/report.html", dir);
	int done_balance = 0, done_report = 0;
	for (long n = 0; n < MAX_STEPS && !(done_balance && done_report); n++) {
		eic_balance *b = NULL;
		eic_balance_options o = EIC_BALANCE_OPTIONS_INIT;
		o.by_material = 1;
		if (!done_balance) {
			eic_alloc_fail_after(n);
			int rc = eic_balance_compute(&b, c, &o);
			eic_alloc_fail_after(-1);
			if (rc == 0) {
				done_balance = 1;
				assert_true(eic_balance_row_count(b) > 0);
			} else {
				assert_int_equal(rc, EIC_ENOMEM);
				assert_null(b);
			}
			eic_balance_free(b);
		}
		if (!done_report) {
			eic_report_options ro = EIC_REPORT_OPTIONS_INIT;
			ro.deterministic = 1;
			eic_alloc_fail_after(n);
			int rc = eic_report_write(c, path, &ro);
			eic_alloc_fail_after(-1);
			if (rc == 0)
				done_report = 1;
			else
				assert_true(rc < 0);
		}
	}
	assert_true(done_balance && done_report);
	unlink(path);
	rmdir(dir);
	free(dir);
	eic_cluster_free(c);
	eic_diags_free(d);
}

/* A store import that runs out of memory leaves the database as it was. */
static void test_alloc__store_import(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	eic_cluster *c = NULL;
	assert_int_equal(eic_diags_new(&d, 0), 0);
	assert_int_equal(eic_package_read(&c, d, eic_test_src("tests/data/packages/tiny"), NULL),
	                 0);
	char *dir = eic_test_tmpdir("alloc_store");
	char path[512];
	snprintf(path, sizeof(path), "%s/eic.db", dir);
	eic_store *s = NULL;
	eic_store_options so = EIC_STORE_OPTIONS_INIT;
	assert_int_equal(eic_store_open(&s, path, &so), 0);
	long n;
	for (n = 0; n < MAX_STEPS; n++) {
		eic_alloc_fail_after(n);
		int rc = eic_store_import(s, c, 0);
		eic_alloc_fail_after(-1);
		const eic_store_summary *list = NULL;
		size_t count = 0;
		assert_int_equal(eic_store_list(&list, &count, s), 0);
		if (rc == 0) {
			assert_int_equal(count, 1);
			break;
		}
		assert_true(rc < 0);
		assert_int_equal(count, 0); /* nothing half-stored */
	}
	assert_true(n > 0 && n < MAX_STEPS);
	eic_cluster *back = NULL;
	assert_int_equal(eic_store_load(&back, s, eic_cluster_info_get(c)->id), 0);
	char *a = NULL, *b = NULL;
	assert_int_equal(eic_package_to_json(&a, c), 0);
	assert_int_equal(eic_package_to_json(&b, back), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	eic_cluster_free(back);
	eic_store_close(s);
	eic_cluster_free(c);
	eic_diags_free(d);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc__package_read),
	    cmocka_unit_test(test_alloc__balance_and_report),
	    cmocka_unit_test(test_alloc__store_import),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
