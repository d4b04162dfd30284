/* header_test.c: the public API header compiles on its own as pedantic C11.
 * Built as part of the test suite; it has no run-time content. */
#include <eic/eic.h>

int eic_header_test_symbol(void);
int eic_header_test_symbol(void)
{
	return EIC_OK;
}
