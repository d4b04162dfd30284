#!/usr/bin/env bash
# make bench: generate a package with 10^5 actors and 10^6 flows, then measure
# (1) read+validate and store import through the library (bench_import),
# (2) `eic validate` and `eic import` end to end with peak memory (/usr/bin/time),
# (3) the peer: sqlite3's own CSV .import of the same flows.csv into a bare table, in the same run.
set -euo pipefail
build=${1:-build-release}
work=bench/work
mkdir -p "$work"
actors=${BENCH_ACTORS:-100000}
flows=${BENCH_FLOWS:-1000000}
pkg="$work/pkg_${actors}_${flows}"
if [ ! -f "$pkg/flows.csv" ]; then
	echo "generating $pkg ..."
	"$build/bench/gen_package" "$pkg" "$actors" "$flows"
fi
export EIC_DATA_DIR="$PWD/data"
echo "== machine"; echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== date"; date -u +%Y-%m-%dT%H:%M:%SZ
echo "== library: read+validate, then store import (3 runs)"
for run in 1 2 3; do
	echo "-- run $run"
	"$build/bench/bench_import" "$pkg" "$work/bench.db"
done
echo "== CLI end to end (GNU time)"
tv() { /usr/bin/time -f "%e s elapsed, peak RSS %M KiB" "$@"; }
command -v /usr/bin/time >/dev/null || { echo "install the 'time' package"; exit 1; }
rm -f "$work/cli.db"*
for run in 1 2 3; do
	rm -f "$work/cli.db"*
	echo "eic validate ($((actors + flows)) rows):"; tv "$build/eic" --quiet validate "$pkg" >/dev/null
	echo "eic import ($flows flows):"; tv "$build/eic" --quiet --db "$work/cli.db" import "$pkg" >/dev/null
done
echo "== peer: sqlite3 .import of flows.csv into one bare table (no validation, no references)"
rm -f "$work/peer.db"
start=$(date +%s.%N)
sqlite3 "$work/peer.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE flow(id TEXT, "from" TEXT, "to" TEXT, material TEXT, quantity REAL, unit TEXT, period TEXT, rel_sd REAL, quality TEXT);
.mode csv
.import --skip 1 $pkg/flows.csv flow
SQL
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$flows" 'BEGIN { printf "sqlite3 .import: %.3f s, %.0f flows/s\n", e - s, n / (e - s) }'
echo "== finance: appraisal of 10^5 generated projects (20-year cash flows; limit 5 s)"
for run in 1 2 3; do
	echo "-- run $run"
	tv "$build/bench/bench_finance" 100000
done
echo "== reconciliation: generated supply-chain networks (about 5 flows per process, 5% unknown,"
echo "   2% noise); sparse (CXSparse) and dense (LAPACK) solves of the same problems in the same"
echo "   run, dense up to 10^4 processes; target: 10^4 processes, 5*10^4 flows in under 5 s"
for run in 1 2 3; do
	echo "-- run $run"
	"$build/bench/bench_reconcile" 500 1000 2000 5000 10000 50000 --dense-max=10000
done
echo "== ecological network analysis (eic_ena_compute, all indices): 2,000 compartments,"
echo "   forward chain + 1 random link each (one strong component of 2,000); target < 2 s."
echo "   Run 1 also times the all-dense path (LAPACK dgetrf/dgetri/dgeev) for comparison."
for run in 1 2 3; do
	echo "-- run $run"
	"$build/bench/bench_network" 2000 1 "$([ "$run" = 1 ] && echo 1 || echo 0)"
done
echo "== spatial matching (issue 4, item 3): all (have, want) pairs of the same waste type within"
echo "   50 km, registries drawn from ../shared/data/registries by tools/gen_registry.py; eic"
echo "   (bench_match, 3 runs) against PostgreSQL 15 + PostGIS 3 (bench/match_postgis.sh: ST_DWithin"
echo "   join on GiST indexes, use_spheroid=false); the pair sets are compared. Target at 10^6:"
echo "   eic < 30 s and >= 10x faster than PostGIS. BENCH_MATCH_SIZES overrides the sizes;"
echo "   PostGIS's plain-GiST join is skipped above BENCH_MATCH_PLAIN_MAX offers (default 10^6)."
registries=${EIC_SHARED_DIR:-../shared}/data/registries
if [ -d "$registries" ]; then
	for n in ${BENCH_MATCH_SIZES:-100000 300000 1000000}; do
		reg="$work/registry_$n.csv"
		[ -f "$reg" ] || python3 tools/gen_registry.py "$registries" "$reg" "$n"
		echo "-- $n offers: eic, waste type as index group"
		"$build/bench/bench_match" "$reg" --runs=3 --out="$work/eic_pairs_$n.csv"
		echo "-- $n offers: eic, waste type in the filter callback (no groups)"
		"$build/bench/bench_match" "$reg" --runs=1 --no-groups
		for variant in composite plain; do
			if [ "$variant" = plain ] && [ "$n" -gt "${BENCH_MATCH_PLAIN_MAX:-1000000}" ]; then
				continue
			fi
			echo "-- $n offers: PostGIS, $variant GiST"
			bash bench/match_postgis.sh "$reg" "$work/pg_pairs_${n}_$variant.csv" "$variant" 50 |
				grep -v '^$'
			"$build/bench/bench_match" "$reg" --runs=1 --compare="$work/pg_pairs_${n}_$variant.csv"
		done
	done
else
	echo "(skipped: $registries not found)"
fi
echo "== optimize: exchange-network MILP to a 1% gap, 50/100/200/500 firms, 30 sites x 3 levels (3 seeds each)"
"$build/bench/bench_optimize"
echo "== impact: scenario against BAU with 10^4 Monte Carlo draws, generated 500-actor cluster"
echo "   (3,000 flows; target < 10 s)"
for run in 1 2 3; do
	echo "-- run $run"
	"$build/bench/bench_impact" 500 10000
done
