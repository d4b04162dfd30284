/* eic/io.h: reading, validating and writing cluster packages (a folder of CSV tables with
 * cluster.json, or the same content as one JSON document). Format: docs/format.md.
 * Ownership: a cluster read through `out` belongs to the caller (eic_cluster_free). */
#ifndef EIC_IO_H
#define EIC_IO_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned version;
	/** Folder of the default materials catalogue (materials.csv, material_properties.csv).
	 *  NULL: $EIC_DATA_DIR/materials, else the install data dir, else ./data/materials. */
	const char *catalogue_dir;
	/** Run the semantic checks that produce warnings (balance, missing uncertainty). */
	int warnings;
	/** Relative imbalance above which a process gets a warning (default 0.05). */
	double balance_tolerance;
} eic_read_options;

#define EIC_READ_OPTIONS_VERSION 1
#define EIC_READ_OPTIONS_INIT                                                                      \
	{                                                                                          \
		EIC_READ_OPTIONS_VERSION, NULL, 1, 0.05                                            \
	}

/**
 * Read and validate a package: `path` is a package folder (with cluster.json) or a single
 * .json document. Every problem goes to `diags` as `file:line:column` diagnostics; reading
 * goes on after an error so that one run reports them all (up to the diags cap).
 * @param[out] out the cluster, set only when there is no error (may be NULL to only validate)
 * @param diags receives errors and warnings (required)
 * @return 0 when valid (warnings allowed), EIC_EINVALID when any error was found, EIC_EIO
 *         when the package cannot be opened, EIC_ENOMEM
 */
EIC_EXTERN int eic_package_read(eic_cluster **out, eic_diags *diags, const char *path,
                                const eic_read_options *opts);

/** Read from memory: one JSON document. `name` is used as the file name in diagnostics. */
EIC_EXTERN int eic_package_read_json_buffer(eic_cluster **out, eic_diags *diags, const char *name,
                                            const char *data, size_t size,
                                            const eic_read_options *opts);

/** Read one CSV table of a package from memory into `cluster` (used by fuzzing and tests).
 *  `table` is the table name ("actors", "flows", ...). */
EIC_EXTERN int eic_package_read_csv_buffer(eic_cluster *cluster, eic_diags *diags,
                                           const char *table, const char *name, const char *data,
                                           size_t size);

/**
 * Write the cluster as a package folder (created if absent; existing tables overwritten).
 * Deterministic: the same cluster always gives byte-identical files. Materials taken from
 * the default catalogue are not written (the package keeps `"catalogue": "default"`).
 */
EIC_EXTERN int eic_package_write_dir(const eic_cluster *cluster, const char *dir);

/** Write the cluster as one JSON document to a file ("-" for standard output). */
EIC_EXTERN int eic_package_write_json(const eic_cluster *cluster, const char *path);

/** Write the single JSON document into a malloc'd NUL-terminated string (caller frees). */
EIC_EXTERN int eic_package_to_json(char **out, const eic_cluster *cluster);

/** Default data directory (for catalogues and examples): $EIC_DATA_DIR, else the build's
 *  configured data dir. Borrowed static string. */
EIC_EXTERN const char *eic_data_dir(void);

#ifdef __cplusplus
}
#endif
#endif
