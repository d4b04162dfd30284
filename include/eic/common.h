/* eic/common.h: error codes, version and the shared diagnostic list of the eic library.
 * Ownership: objects returned through `out` parameters belong to the caller and are freed
 * with the matching eic_*_free(); pointers returned by getters are borrowed. */
#ifndef EIC_COMMON_H
#define EIC_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EIC_BUILDING_LIBRARY) && defined(__GNUC__)
#define EIC_EXTERN __attribute__((visibility("default")))
#else
#define EIC_EXTERN
#endif

#define EIC_VERSION_STRING "0.1.0"

/** Error codes: 0 is success, failures are negative. Appended, never renumbered. */
enum {
	EIC_OK = 0,
	EIC_ERROR = -1,     /**< generic failure, see eic_errmsg */
	EIC_ENOMEM = -2,    /**< out of memory or a hard cap reached */
	EIC_EINVAL = -3,    /**< invalid argument from the caller */
	EIC_EIO = -4,       /**< file could not be read or written */
	EIC_EPARSE = -5,    /**< input text is malformed (see the diagnostics) */
	EIC_EUNIT = -6,     /**< unknown unit or dimension mismatch */
	EIC_ENOTFOUND = -7, /**< named object does not exist */
	EIC_EEXISTS = -8,   /**< object already exists */
	EIC_ESTORE = -9,    /**< database failure */
	EIC_EINVALID = -10, /**< input failed validation (see the diagnostics) */
	EIC_ESCHEMA = -11,  /**< database schema is newer than this program */
};

/** Static English text for an error code. Never NULL. */
EIC_EXTERN const char *eic_strerror(int code);

/** Severity of a diagnostic. */
typedef enum { EIC_SEV_ERROR = 0, EIC_SEV_WARNING = 1, EIC_SEV_NOTE = 2 } eic_severity;

/** One problem found in input: where it is and what is wrong. Strings owned by the list. */
typedef struct {
	eic_severity severity;
	const char *file; /**< path as given by the user, or "" */
	int line;         /**< 1-based, 0 if not applicable */
	int column;       /**< 1-based, 0 if not applicable */
	const char *message;
} eic_diag;

/** A growing list of diagnostics with a cap on stored errors (default 1000). */
typedef struct eic_diags eic_diags;

EIC_EXTERN int eic_diags_new(eic_diags **out, size_t max_errors);
EIC_EXTERN void eic_diags_free(eic_diags *diags);
/** Append a diagnostic; the message is printf-formatted. Returns 0 or EIC_ENOMEM.
 *  Past the cap, further errors are counted but not stored. */
EIC_EXTERN int eic_diags_add(eic_diags *diags, eic_severity sev, const char *file, int line,
                             int column, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 6, 7)))
#endif
    ;
EIC_EXTERN size_t eic_diags_count(const eic_diags *diags);
EIC_EXTERN const eic_diag *eic_diags_get(const eic_diags *diags, size_t index);
/** Number of errors seen (including those past the cap) and warnings. */
EIC_EXTERN size_t eic_diags_errors(const eic_diags *diags);
EIC_EXTERN size_t eic_diags_warnings(const eic_diags *diags);
/** True when more errors were seen than stored. */
EIC_EXTERN int eic_diags_truncated(const eic_diags *diags);
/** Format one diagnostic as `file:line:column: error: message` into buf (NUL-terminated). */
EIC_EXTERN size_t eic_diag_format(char *buf, size_t size, const eic_diag *d);

#ifdef __cplusplus
}
#endif
#endif
