/* testutil.h: helpers shared by the unit tests (paths, temporary dirs, file comparison).
 * Include after <cmocka.h>'s prerequisites. */
#ifndef EIC_TESTUTIL_H
#define EIC_TESTUTIL_H

#include <stddef.h>

/* Path to the shared folder's file, or NULL (and a skip message printed) if absent. */
const char *eic_test_shared(const char *rel);
/* Make a fresh empty temporary directory; returns a static-lifetime path (leaked on purpose). */
char *eic_test_tmpdir(const char *tag);
/* Read a whole file into a malloc'd buffer; returns NULL on failure. */
char *eic_test_read_file(const char *path, size_t *out_size);
/* Absolute path under the source tree (static buffer rotated over 8 slots). */
const char *eic_test_src(const char *rel);

#endif
