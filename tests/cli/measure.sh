#!/usr/bin/env bash
# measure.sh: CLI test of eic measure: CSV import, list, history and correction on the Kokkola
# example; bad input refused with nothing stored; then (with ../shared) several years of
# Finland's PRTR for Kokkola and Harjavalta and a US TRI county, checked against the source rows.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
export EIC_DATA_DIR=${EIC_DATA_DIR:-$EIC_SOURCE_DIR/data}
EX=$EIC_SOURCE_DIR/data/examples
DB=$EIC_SCRATCH/m.db

expect 0 "$EIC" --db "$DB" init
expect 0 "$EIC" --db "$DB" import "$EX/finland-kokkola"

# ---- CSV ----
cat >good.csv <<'EOF'
actor,period,kind,subject,medium,fate,fate_code,counterpart,value,unit,concentration,concentration_unit,limit,limit_unit,standard,method,reported_by,verified,verified_by,source,supersedes,note
boliden_kokkola,2022,production,zinc,,,,,290,kt,,,,,,measured,Boliden Kokkola Oy,yes,Auditor Oy,annual report 2022,,
boliden_kokkola,2023,production,zinc,,,,,275000,t,,,,,,measured,Boliden Kokkola Oy,no,,annual report 2023,,
boliden_kokkola,2023,energy,electricity,,,,,1800,GWh,,,,,,measured,Boliden Kokkola Oy,no,,annual report 2023,,
boliden_kokkola,2024-01/2024-06,emission,SOX,air,,,,120,t,350,mg/m3,400,mg/m3,permit,measured,Boliden Kokkola Oy,no,,emission report,,
boliden_kokkola,2023,waste,10 05 01,,recovery,R4,umicore_finland,500,t,,,,,,calculated,Boliden Kokkola Oy,no,,waste register,,
EOF
expect 0 "$EIC" --db "$DB" measure import finland-kokkola good.csv
grep -q "5 records added" out.txt || fail "CSV import summary: $(cat out.txt)"
expect 0 "$EIC" --db "$DB" --json measure list finland-kokkola --kind energy
json "r = d['records'][0]; assert abs(r['amount'] - 6480000) < 1e-6, r; assert r['amount_unit'] == 'GJ'"
# the same file again: every row repeats a stored period
expect 2 "$EIC" --db "$DB" measure import finland-kokkola good.csv
grep -q "good.csv:2:17: error: period 2022 of this series is already recorded" err.txt ||
	fail "duplicate period message: $(head -2 err.txt)"

# bad input: precise messages, nothing stored
dump >before.sql
cat >bad.csv <<'EOF'
actor,period,kind,subject,medium,value,unit,method,reported_by
boliden_kokkola,2021,emission,UNOBTAINIUM,air,1,kg,M,me
boliden_kokkola,2021,emission,NOX,air,1,furlong,M,me
nobody,2021,emission,NOX,air,1,kg,M,me
boliden_kokkola,2019,production,lead,,1,t,M,me
boliden_kokkola,2018,production,lead,,1,t,M,me
boliden_kokkola,2019-06/2020-05,production,lead,,1,t,M,me
EOF
expect 2 "$EIC" --db "$DB" measure import finland-kokkola bad.csv
for want in "bad.csv:2:31: error: unknown pollutant 'UNOBTAINIUM'" \
	"bad.csv:3:41: error: unknown unit 'furlong'" \
	"bad.csv:4:1: error: unknown actor 'nobody'" \
	"bad.csv:6:17: error: period 2018 of actor boliden_kokkola production lead is out of order" \
	"bad.csv:7:17: error: period 2019-06/2020-05 of actor boliden_kokkola production lead is out of order or overlaps period 2019 on line 5"; do
	grep -qF "$want" err.txt || fail "missing message: $want"
done
dump >after.sql
cmp -s before.sql after.sql || fail "a refused CSV changed the database"

# correction and history
expect 0 "$EIC" --db "$DB" --json measure list finland-kokkola --kind production --subject zinc
id=$(python3 -c "import json; print(json.load(open('out.txt'))['records'][0]['id'])")
expect 0 "$EIC" --db "$DB" measure correct finland-kokkola "$id" --value 291 --unit kt --note typo
expect 2 "$EIC" --db "$DB" measure correct finland-kokkola "$id" --value 292 --unit kt
grep -q "already superseded" err.txt || fail "second correction of $id: $(cat err.txt)"
expect 0 "$EIC" --db "$DB" --json measure list finland-kokkola --kind production --subject zinc --history
json "r = d['records']; assert len(r) == 3, r; assert r[0]['superseded_by'] == r[1]['id']; assert r[1]['value'] == 291"
expect 0 "$EIC" --db "$DB" --json measure list finland-kokkola --kind production --subject zinc
json "assert [x['value'] for x in d['records']] == [291, 275000]"
expect 2 "$EIC" --db "$DB" measure list nowhere
expect 2 "$EIC" --db "$DB" measure frobnicate x

# ---- registries ----
SH=${EIC_SHARED_DIR:-$EIC_SOURCE_DIR/../shared}
FI=$SH/data/registries/finland-prtr-syke
TRI=$SH/data/registries/tri-illinois-basic
if [ ! -f "$FI/releases.csv" ] || [ ! -f "$TRI/2023_il.csv" ]; then
	[ "$failures" -eq 0 ] || exit 1
	echo "SKIP: ../shared/data/registries not found"
	exit 77
fi

# Expected figures straight from the registry files.
expected() { python3 - "$FI" "$1" <<'EOF'
import csv, sys
reg, city = sys.argv[1], sys.argv[2]
def rows(name):
    with open(f"{reg}/{name}", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))
fac = {r["facilityId"] for r in rows("facilities.csv") if r["city"].strip().upper() == city.upper()}
rel = [r for r in rows("releases.csv") if r["facilityId"] in fac]
wt = [r for r in rows("waste_transfers.csv") if r["facilityId"] in fac]
print(len(fac), len(rel) + len(wt), len(wt))
EOF
}

# Harjavalta: the cluster is created from the registry.
read -r nfac nrows nwaste <<<"$(expected HARJAVALTA)"
expect 0 "$EIC" --db "$DB" --json measure import --registry finland-prtr "$FI" --area harjavalta --create-cluster harjavalta
json "assert d['facilities'] == $nfac and d['added'] == $nrows and d['actors_added'] == $nfac, d"
expect 0 "$EIC" --db "$DB" --json measure import harjavalta --registry finland-prtr "$FI" --area harjavalta
json "assert d['added'] == 0 and d['unchanged'] == $nrows, d"
expect 0 "$EIC" --db "$DB" --json measure list harjavalta --kind waste
json "assert len(d['records']) == $nwaste"
# Boliden Harjavalta (facility 0000001152): zinc to air per year equals the registry rows.
want=$(awk -F';' '$10 == "0000001152" && $3 == "ZNANDCOMPOUNDS" && $5 == "AIR" {print $2 ":" $6}' "$FI/releases.csv" | sort | tr '\n' ' ')
expect 0 "$EIC" --db "$DB" --json measure list harjavalta --actor prtr_0000001152 --subject ZNANDCOMPOUNDS
json "
got = sorted('%s:%s' % (r['period'], r['value']) for r in d['records'] if r['medium'] == 'air')
want = '$want'.split()
assert len(want) >= 5, want
assert got == sorted('%s:%s' % (w.split(':')[0], float(w.split(':')[1])) for w in want), (got, want)
r = d['records'][0]
assert r['source_file'] == 'releases.csv' and r['source_row'] > 1 and r['method'] == 'measured', r"

# Kokkola: into the example cluster (actors named by 'E-PRTR facility <id>' in their notes),
# the facility list of the example (Keliber's open pit, 43 km away, is not an actor).
ids=0000001375,0000001376,0000001384,0000002610,0000002611,0000003861,0000003903,0000021015,0000024256,0000054039,0100085641,0100186331,0100186333,0100203061,0100303088,0100303137
dump >before.sql
expect 2 "$EIC" --db "$DB" measure import finland-kokkola --registry finland-prtr "$FI" --area kokkola
grep -q "facility 0100339844 (Keliber" err.txt || fail "unmapped facility message: $(cat err.txt)"
dump >after.sql
cmp -s before.sql after.sql || fail "a refused registry import changed the database"
expect 0 "$EIC" --db "$DB" --json measure import finland-kokkola --registry finland-prtr "$FI" --facility "$ids" --years 2017-2023
json "assert d['added'] > 300 and d['first_year'] == 2017 and d['last_year'] == 2023, d"
expect 0 "$EIC" --db "$DB" --json measure list finland-kokkola --actor boliden_kokkola --subject ZNANDCOMPOUNDS --period 2022
json "v = {r['medium']: r['value'] for r in d['records']}; assert v == {'air': 7790.0, 'water': 632.0}, v"
expect 0 "$EIC" --db "$DB" --json measure list finland-kokkola --actor boliden_kokkola --kind waste --period 2021
want=$(awk -F';' '$18 == "0000001376" && $2 == "2021" {s += $11} END {print s}' "$FI/waste_transfers.csv")
json "s = sum(r['amount'] for r in d['records']); assert abs(s - $want) <= 1e-9 * $want, (s, $want)"

# US TRI, one county: air = fugitive + stack, pounds converted to kg.
expect 0 "$EIC" --db "$DB" --json measure import --registry us-tri "$TRI" --county kankakee --years 2023 --create-cluster kankakee
json "assert d['added'] > 0 and d['first_year'] == 2023, d"
python3 - "$TRI/2023_il.csv" >tri.txt <<'EOF'
import csv, sys
for r in csv.reader(open(sys.argv[1], encoding="utf-8", errors="replace")):
    if r[6].upper() == "KANKAKEE" and r[49] == "Pounds":
        air = float(r[50] or 0) + float(r[51] or 0)
        if air > 0:
            print(r[1], "TRI_" + r[38], air * 0.45359237)
            break
EOF
read -r trifd chem kg <tri.txt
expect 0 "$EIC" --db "$DB" --json measure list kankakee --actor "tri_$trifd" --subject "$chem"
json "a = [r for r in d['records'] if r['medium'] == 'air'][0]; assert abs(a['amount'] - $kg) <= 1e-9 * $kg, (a, $kg); assert a['unit'] == 'lb'"

# a missing registry folder: refused
expect 2 "$EIC" --db "$DB" measure import --registry finland-prtr /nonexistent --create-cluster x
cli_end
