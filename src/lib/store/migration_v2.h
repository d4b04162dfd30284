/* migration_v2.h: schema version 2, synergy tracking (owner: src/lib/symbiosis/synergy.c).
 * Included by migrations.h only. Never edit once released: add a new version instead. */
#ifndef EIC_STORE_MIGRATION_V2_H
#define EIC_STORE_MIGRATION_V2_H

/* Version 2: synergies a facilitator follows over time (docs/methods/synergy_tracking.md).
 * Conventions of version 1: `pk INTEGER PRIMARY KEY`, every table carries `cluster_pk` with
 * ON DELETE CASCADE, children refer to their synergy by `synergy_pk` (real foreign key,
 * cascade), optional text and unknown numbers are NULL.
 *
 * - synergy: one row per tracked exchange. Actors and materials are kept by their text id
 *   (checked against the cluster when the row is written), not by actor/material pk: a
 *   synergy is a record kept beside the cluster's data, which the import rebuilds with new
 *   pks, and a facilitator's tracking must not point at rows that no longer exist.
 *   origin 'match' keeps the candidate it came from (offers, rank, score, fit, pathway,
 *   distance, explanation); 'manual' leaves those NULL.
 * - synergy_status: the status history, append-only (an UPDATE is refused by a trigger);
 *   the current status is the row with the largest pk. `date` is when the status took
 *   effect (YYYY-MM-DD, never before the previous row's date), `recorded_at` when it was
 *   entered.
 * - synergy_realised: a realised quantity per period (a cluster period id, a year, a
 *   month, a quarter or a date range start..end), one row per synergy and period.
 * - synergy_cluster_delete: the store deletes a cluster with foreign-key enforcement off
 *   (store.c, store_begin), so ON DELETE CASCADE does not fire there; this trigger removes
 *   the cluster's synergy rows whenever its cluster row goes, so no row is ever orphaned. */
static const char eic_store__schema_v2[] =
    "CREATE TABLE synergy (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  mode TEXT NOT NULL CHECK (mode IN ('substitution', 'shared_input', "
    "'joint_treatment')),\n"
    "  from_actor TEXT NOT NULL,\n"
    "  to_actor TEXT NOT NULL,\n"
    "  material TEXT NOT NULL,\n"
    "  to_material TEXT,\n"
    "  quantity REAL, unit TEXT,\n"
    "  origin TEXT NOT NULL CHECK (origin IN ('match', 'manual')),\n"
    "  from_offer TEXT, to_offer TEXT,\n"
    "  match_rank INTEGER, match_score REAL, match_fit TEXT, pathway TEXT,\n"
    "  distance_km REAL,\n"
    "  explanation TEXT,\n"
    "  notes TEXT,\n"
    "  created_at TEXT NOT NULL,\n"
    "  UNIQUE (cluster_pk, id),\n"
    "  CHECK (from_actor <> to_actor)\n"
    ");\n"
    "CREATE TABLE synergy_status (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  synergy_pk INTEGER NOT NULL REFERENCES synergy(pk) ON DELETE CASCADE,\n"
    "  status TEXT NOT NULL CHECK (status IN ('idea', 'under_study', 'agreed', "
    "'operating', 'stopped')),\n"
    "  date TEXT NOT NULL,\n"
    "  note TEXT, who TEXT,\n"
    "  recorded_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX synergy_status_synergy ON synergy_status(synergy_pk);\n"
    "CREATE INDEX synergy_status_cluster ON synergy_status(cluster_pk);\n"
    "CREATE TABLE synergy_realised (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  synergy_pk INTEGER NOT NULL REFERENCES synergy(pk) ON DELETE CASCADE,\n"
    "  period TEXT NOT NULL,\n"
    "  start_date TEXT, end_date TEXT,\n"
    "  quantity REAL NOT NULL CHECK (quantity >= 0),\n"
    "  unit TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  recorded_at TEXT NOT NULL,\n"
    "  UNIQUE (synergy_pk, period)\n"
    ");\n"
    "CREATE INDEX synergy_realised_cluster ON synergy_realised(cluster_pk);\n"
    "CREATE TRIGGER synergy_status_append_only BEFORE UPDATE ON synergy_status\n"
    "BEGIN SELECT RAISE(ABORT, 'the status history is append-only'); END;\n"
    "CREATE TRIGGER synergy_cluster_delete AFTER DELETE ON cluster\n"
    "BEGIN\n"
    "  DELETE FROM synergy_realised WHERE cluster_pk = OLD.pk;\n"
    "  DELETE FROM synergy_status WHERE cluster_pk = OLD.pk;\n"
    "  DELETE FROM synergy WHERE cluster_pk = OLD.pk;\n"
    "END;\n";

#endif
