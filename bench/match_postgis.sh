#!/usr/bin/env bash
# match_postgis.sh: the peer of bench_match: PostgreSQL 15 + PostGIS 3 in a throwaway local
# cluster, the same registry COPY'd in, an ST_DWithin join on GiST indexes, pairs exported.
#
# usage: bench/match_postgis.sh REGISTRY.csv OUT_PAIRS.csv [plain|composite] [RADIUS_KM]
#   plain      GiST index on the geography column of haves and of wants (the textbook join)
#   composite  GiST index on (waste, geography) through btree_gist (lets the index use the
#              waste-type equality too)
# Prints the load, index and join times (psql \timing) and the pair count; the pairs
# (have_id,want_id, sorted) go to OUT_PAIRS.csv for `bench_match --compare`.
# PG_COUNT=0 skips the count-only join (then time the export, which also sorts and writes).
# Installs postgresql and postgresql-15-postgis-3 (Debian 12) when missing and run as root.
set -euo pipefail
reg=$(realpath "$1")
out=$(realpath -m "$2")
variant=${3:-plain}
radius_km=${4:-50}
pgbin=/usr/lib/postgresql/15/bin
if [ ! -x "$pgbin/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-15-postgis-3 >/dev/null
	else
		echo "match_postgis: install postgresql and postgresql-15-postgis-3 first" >&2
		exit 77
	fi
fi
# The server refuses to run as root: run it (and psql) as the postgres account.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
dir=$(mktemp -d /tmp/eic-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=5544
cleanup() {
	as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
# Memory generous enough for the whole registry; fsync off (a throwaway cluster); parallel
# query at its defaults (up to 2 workers per gather on this 2-core machine).
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
	-o "-k $dir -p $port -c listen_addresses='' -c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=1GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	start >/dev/null
cp "$reg" "$dir/registry.csv"
chmod 644 "$dir/registry.csv"
psql_run() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "$@"; }
echo "PostgreSQL: $(psql_run -At -c 'SHOW server_version')"
if [ "$variant" = composite ]; then
	index_sql="CREATE EXTENSION btree_gist;
CREATE INDEX have_gix ON have USING GIST (waste, geog);
CREATE INDEX want_gix ON want USING GIST (waste, geog);"
else
	index_sql="CREATE INDEX have_gix ON have USING GIST (geog);
CREATE INDEX want_gix ON want USING GIST (geog);"
fi
metres=$(awk -v r="$radius_km" 'BEGIN { printf "%.6f", r * 1000 }')
join_sql="FROM have h JOIN want w ON h.waste = w.waste AND ST_DWithin(h.geog, w.geog, $metres, false)"
psql_run <<SQL
CREATE EXTENSION postgis;
SELECT 'PostGIS ' || postgis_lib_version() AS version;
SELECT 'sphere radius used by use_spheroid=false (m): ' ||
       ST_Distance('SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 0)'::geography, false) * 180 / pi() AS radius;
\timing on
\echo == load (COPY) and geography columns
CREATE UNLOGGED TABLE offer(id integer, kind char(1), lat float8, lon float8, section integer,
                            sector text, waste integer);
\copy offer FROM '$dir/registry.csv' WITH (FORMAT csv, HEADER true)
CREATE UNLOGGED TABLE have AS
  SELECT id, waste, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM offer WHERE kind = 'H';
CREATE UNLOGGED TABLE want AS
  SELECT id, waste, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM offer WHERE kind = 'W';
\echo == GiST indexes ($variant)
$index_sql
VACUUM ANALYZE have;
VACUUM ANALYZE want;
\timing off
EXPLAIN SELECT count(*) $join_sql;
\timing on
$([ "${PG_COUNT:-1}" = 1 ] && printf '%s\n' '\echo == join: count only (no output)' "SELECT count(*) AS candidate_pairs $join_sql;")
\echo == join: export the pairs
\copy (SELECT h.id, w.id $join_sql ORDER BY 1, 2) TO '$dir/pairs.csv' WITH (FORMAT csv)
SQL
cp "$dir/pairs.csv" "$out"
echo "pairs written to $out ($(wc -l <"$out") lines)"
