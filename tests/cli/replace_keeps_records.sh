#!/usr/bin/env bash
# replace_keeps_records.sh: re-importing a cluster's package with --replace updates the model
# but keeps the records stored beside it (tracked synergies, measurement records) and their
# history.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
export EIC_DATA_DIR=${EIC_DATA_DIR:-$EIC_SOURCE_DIR/data}
EX=$EIC_SOURCE_DIR/data/examples
DB=t.db
# Local run: any non-zero exit is a failure.
run() {
	"$@" >out.txt 2>err.txt || fail "'$*' exited $?: $(head -5 err.txt)"
}
count() {
	python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])
PY
}

run "$EIC" --db $DB import "$EX/chachoengsao"
run "$EIC" --db $DB synergy add chachoengsao --from piggeries --to poultry --material pig_manure \
	--mode joint --quantity 1500 --date 2024-03-01
run "$EIC" --db $DB synergy status chachoengsao S1 under_study --date 2024-04-01
cat >m.csv <<'CSV'
actor,period,kind,subject,value,unit,method,reported_by
rice_mills,2023,production,milled rice,1000,t,measured,mill association
rice_mills,2024,production,milled rice,1100,t,measured,mill association
CSV
run "$EIC" --db $DB measure import chachoengsao m.csv
pk_before=$(count "SELECT pk FROM cluster WHERE id = 'chachoengsao'")

# A changed package: one actor renamed in the copy, then imported over the stored one.
cp -r "$EX/chachoengsao" pkg
sed -i 's/^rice_mills,firm,Rice mills (aggregated)/rice_mills,firm,Rice mills of Chachoengsao/' \
	pkg/actors.csv
run "$EIC" --db $DB import --replace pkg
[ "$(count "SELECT pk FROM cluster WHERE id = 'chachoengsao'")" = "$pk_before" ] ||
	fail "the replacing import made a new cluster row"
[ "$(count "SELECT name FROM actor WHERE id = 'rice_mills'")" = "Rice mills of Chachoengsao" ] ||
	fail "the model was not replaced"
[ "$(count "SELECT count(*) FROM synergy")" = 1 ] || fail "the synergy was lost"
[ "$(count "SELECT count(*) FROM synergy_status")" = 2 ] || fail "the status history was lost"
[ "$(count "SELECT count(*) FROM measurement")" = 2 ] || fail "the measurements were lost"
run "$EIC" --db $DB synergy show chachoengsao S1 --json
python3 -c "import json; d = json.load(open('out.txt')); assert d['status'] == 'under_study'" ||
	fail "synergy show after replace: $(cat out.txt)"
run "$EIC" --db $DB measure list chachoengsao --json
grep -q "1100" out.txt || fail "measure list after replace: $(head -5 out.txt)"

cli_end
