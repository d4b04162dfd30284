/* migrations.h: the ordered SQL scripts that build and evolve the store schema.
 * Private to store.c. Script i (0-based) takes a database from user_version i to i + 1. */
#ifndef EIC_STORE_MIGRATIONS_H
#define EIC_STORE_MIGRATIONS_H

/* One forward migration. Scripts are applied in order inside one transaction by the
 * migration runner in store.c, which also records them in schema_migrations and sets
 * PRAGMA user_version. A released script is never edited: changes go into a new script
 * appended here (see docs/methods/store.md, "Migration policy"). */
typedef struct {
	int version;             /* user_version after this script */
	const char *description; /* one line, stored in schema_migrations */
	const char *sql;
} eic_store__migration;

/* Version 1: the initial schema. Conventions: every table has `pk INTEGER PRIMARY KEY`
 * (the rowid, which also keeps insertion order) and, where records have one, the text `id`
 * of the model. References are integer `<table>_pk` columns with real foreign keys; every
 * child table carries `cluster_pk` with ON DELETE CASCADE, so deleting a cluster row deletes
 * everything that belongs to it. Optional text and unknown numbers are NULL. */
static const char eic_store__schema_v1[] =
    "CREATE TABLE schema_migrations (\n"
    "  version INTEGER PRIMARY KEY,\n"
    "  description TEXT NOT NULL,\n"
    "  applied_at TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE cluster (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL UNIQUE,\n"
    "  name TEXT, region TEXT, country TEXT, currency TEXT, description TEXT,\n"
    "  mass_unit TEXT, energy_unit TEXT, volume_unit TEXT, catalogue TEXT, sources TEXT,\n"
    "  imported_at TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE period (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  start_date TEXT, end_date TEXT, label TEXT,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE TABLE actor (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  name TEXT,\n"
    "  sector_scheme TEXT NOT NULL,\n"
    "  sector TEXT,\n"
    "  employees INTEGER,\n"
    "  value_added REAL,\n"
    "  lat REAL, lon REAL,\n"
    "  address TEXT, notes TEXT,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE TABLE process (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  actor_pk INTEGER NOT NULL REFERENCES actor(pk),\n"
    "  name TEXT, notes TEXT,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE INDEX process_actor ON process(actor_pk);\n"
    "CREATE TABLE material (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  name TEXT, category TEXT, ewc TEXT,\n"
    "  hazardous INTEGER NOT NULL,\n"
    "  hs TEXT, cpc TEXT, notes TEXT,\n"
    "  origin TEXT NOT NULL,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE TABLE material_property (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  material_pk INTEGER NOT NULL REFERENCES material(pk),\n"
    "  name TEXT NOT NULL,\n"
    "  value REAL, unit TEXT, source TEXT,\n"
    "  origin TEXT NOT NULL,\n"
    "  UNIQUE (material_pk, name)\n"
    ");\n"
    "CREATE INDEX material_property_cluster ON material_property(cluster_pk);\n"
    /* Flow end points: one row per actor, per process and per boundary kind of a cluster.
     * `ref` is the text a flow uses ("mill", "boundary:landfill"). */
    "CREATE TABLE node (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  ref TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('process', 'actor', 'boundary')),\n"
    "  process_pk INTEGER REFERENCES process(pk),\n"
    "  actor_pk INTEGER REFERENCES actor(pk),\n"
    "  boundary TEXT,\n"
    "  UNIQUE (cluster_pk, ref),\n"
    "  CHECK ((kind = 'process') = (process_pk IS NOT NULL)),\n"
    "  CHECK ((kind = 'actor') = (actor_pk IS NOT NULL)),\n"
    "  CHECK ((kind = 'boundary') = (boundary IS NOT NULL))\n"
    ");\n"
    "CREATE INDEX node_process ON node(process_pk);\n"
    "CREATE INDEX node_actor ON node(actor_pk);\n"
    /* quantity/unit as given; amount_mass in cluster.mass_unit and amount_energy in
     * cluster.energy_unit over the period, NULL when not convertible; *_via names the
     * material property used ("density", "lhv", "density+lhv"), NULL for a direct one. */
    "CREATE TABLE flow (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  from_node_pk INTEGER NOT NULL REFERENCES node(pk),\n"
    "  to_node_pk INTEGER NOT NULL REFERENCES node(pk),\n"
    "  material_pk INTEGER NOT NULL REFERENCES material(pk),\n"
    "  quantity REAL, unit TEXT,\n"
    "  period_pk INTEGER NOT NULL REFERENCES period(pk),\n"
    "  sd REAL, rel_sd REAL,\n"
    "  quality TEXT NOT NULL,\n"
    "  source TEXT, notes TEXT,\n"
    "  amount_mass REAL, amount_mass_via TEXT,\n"
    "  amount_energy REAL, amount_energy_via TEXT\n"
    ");\n"
    /* The flow table has no secondary index. It is the table that reaches 10^6 rows, and the
     * store never looks flows up by a column: a cluster's flows are loaded by one scan in
     * rowid (insertion) order, deleted by one scan, and their references are consistent by
     * construction (store.c, store_begin). Flow ids are unique per cluster, checked by the
     * import with an in-memory map. Indexes for queries come with the engines that need them. */
    "CREATE TABLE offer (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  actor_pk INTEGER NOT NULL REFERENCES actor(pk),\n"
    "  type TEXT NOT NULL CHECK (type IN ('have', 'want')),\n"
    "  material_pk INTEGER NOT NULL REFERENCES material(pk),\n"
    "  quantity REAL, min_quantity REAL, max_quantity REAL, unit TEXT,\n"
    "  quality TEXT, available_from TEXT, available_to TEXT,\n"
    "  price REAL, price_unit TEXT,\n"
    "  confidentiality TEXT NOT NULL,\n"
    "  notes TEXT,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE INDEX offer_actor ON offer(actor_pk);\n"
    "CREATE INDEX offer_material ON offer(material_pk);\n"
    "CREATE TABLE facility (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  id TEXT NOT NULL,\n"
    "  name TEXT, technology TEXT,\n"
    "  lat REAL, lon REAL,\n"
    "  address TEXT, capacity_unit TEXT,\n"
    "  lifetime_yr REAL,\n"
    "  notes TEXT,\n"
    "  UNIQUE (cluster_pk, id)\n"
    ");\n"
    "CREATE TABLE facility_level (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  facility_pk INTEGER NOT NULL REFERENCES facility(pk),\n"
    "  level TEXT NOT NULL,\n"
    "  capacity REAL, capex REAL, opex_per_yr REAL,\n"
    "  UNIQUE (facility_pk, level)\n"
    ");\n"
    "CREATE INDEX facility_level_cluster ON facility_level(cluster_pk);\n"
    "CREATE TABLE facility_coef (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  cluster_pk INTEGER NOT NULL REFERENCES cluster(pk) ON DELETE CASCADE,\n"
    "  facility_pk INTEGER NOT NULL REFERENCES facility(pk),\n"
    "  material_pk INTEGER NOT NULL REFERENCES material(pk),\n"
    "  direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),\n"
    "  coefficient REAL, unit TEXT\n"
    ");\n"
    "CREATE INDEX facility_coef_cluster ON facility_coef(cluster_pk);\n"
    "CREATE INDEX facility_coef_facility ON facility_coef(facility_pk);\n"
    "CREATE INDEX facility_coef_material ON facility_coef(material_pk);\n";

#include "migration_v2.h"
#include "migration_v3.h"

/* Ordered; the last entry's version must equal EIC_STORE_SCHEMA_VERSION. */
static const eic_store__migration eic_store__migrations[] = {
    {1,
     "initial schema: clusters, periods, actors, processes, materials, nodes, flows, "
     "offers, facilities",
     eic_store__schema_v1},
    {2, "synergy tracking: saved synergies, their status history and realised quantities",
     eic_store__schema_v2},
    {3, "measurement records: append-only measurements with provenance and corrections",
     eic_store__schema_v3},
};

#endif
