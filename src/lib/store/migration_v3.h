/* migration_v3.h: schema version 3, measurement records (owner: src/lib/monitor/).
 * Included by migrations.h only. Never edit once released: add a new version instead. */
#ifndef EIC_STORE_MIGRATION_V3_H
#define EIC_STORE_MIGRATION_V3_H

/* Version 3: measurement records (docs/methods/measurements.md). Records are appended and
 * never changed: a correction is a new row whose supersedes_pk names the row it corrects
 * (at most one correction per row, so corrections form chains), and a trigger refuses any
 * UPDATE. `id` is the record number shown to users, unique per cluster. Every batch of
 * records written together (one CSV file, one registry import, one correction) is a
 * measurement_import row, so the history says where each record came from.
 * The actor is kept by its text id, not a reference to the actor row: re-importing the
 * cluster's package with replace rebuilds the actor rows (new pks) but keeps the cluster row
 * and everything stored beside it, so the history survives a model update. Writers check
 * that the actor exists in the cluster when a record is written.
 * measurement.value/unit are as reported; amount/amount_unit are in the catalogue unit of
 * the kind. Dates are ISO 8601 text (they sort as text).
 *
 * The store deletes a cluster table by table with foreign keys off (store.c,
 * delete_cluster_pk), so ON DELETE CASCADE alone would leave measurement rows behind: the
 * trigger measurement_cluster_delete removes them with the cluster row. */
static const char eic_store__schema_v3[] =
    "CREATE TABLE measurement_import (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('csv', 'registry', 'correction', 'api')),\n"
    "  origin TEXT,\n"
    "  record_count INTEGER NOT NULL,\n"
    "  imported_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX measurement_import_cluster ON measurement_import(cluster_pk);\n"
    "CREATE TABLE measurement (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id INTEGER NOT NULL CHECK (id > 0),\n"
    "  import_pk INTEGER NOT NULL REFERENCES measurement_import(pk),\n"
    "  actor_id TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('production', 'value_added', 'employees', "
    "'energy', 'water_withdrawal', 'water_discharge', 'raw_material', 'waste', "
    "'emission')),\n"
    "  subject TEXT NOT NULL,\n"
    "  medium TEXT CHECK (medium IN ('air', 'water', 'land')),\n"
    "  fate TEXT CHECK (fate IN ('recovery', 'disposal')),\n"
    "  fate_code TEXT,\n"
    "  counterpart TEXT,\n"
    "  start_date TEXT NOT NULL,\n"
    "  end_date TEXT NOT NULL CHECK (end_date >= start_date),\n"
    "  value REAL NOT NULL, unit TEXT NOT NULL,\n"
    "  amount REAL NOT NULL, amount_unit TEXT NOT NULL,\n"
    "  concentration REAL, concentration_unit TEXT,\n"
    "  limit_value REAL, limit_unit TEXT, standard TEXT,\n"
    "  method TEXT NOT NULL CHECK (method IN ('measured', 'calculated', 'estimated')),\n"
    "  reported_by TEXT NOT NULL,\n"
    "  verified INTEGER NOT NULL CHECK (verified IN (0, 1)),\n"
    "  verified_by TEXT,\n"
    "  source TEXT, source_file TEXT, source_row INTEGER,\n"
    "  supersedes_pk INTEGER UNIQUE REFERENCES measurement(pk),\n"
    "  note TEXT,\n"
    "  recorded_at TEXT NOT NULL,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE INDEX measurement_actor ON measurement(cluster_pk, actor_id);\n"
    "CREATE INDEX measurement_import_rows ON measurement(import_pk);\n"
    "CREATE TRIGGER measurement_append_only BEFORE UPDATE ON measurement\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'measurement records are append-only: store a correction');\n"
    "END;\n"
    "CREATE TRIGGER measurement_cluster_delete AFTER DELETE ON cluster\n"
    "BEGIN\n"
    "  DELETE FROM measurement WHERE cluster_pk = old.pk;\n"
    "  DELETE FROM measurement_import WHERE cluster_pk = old.pk;\n"
    "END;\n";

#endif
