#!/usr/bin/env bash
# match_bad.sh: CLI test of bad input to eic match (issue 4, item 8): offers naming unknown
# actors or materials, impossible coordinates, negative or inverted quantity ranges, a
# distance matrix that does not cover the sites or has malformed rows. Each is refused with a
# precise message (file:line:column where there is a file), exit 2, and the database unchanged.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
export EIC_DATA_DIR=${EIC_DATA_DIR:-$EIC_SOURCE_DIR/data}
EX=$EIC_SOURCE_DIR/data/examples
DB=t.db
# A copy of the Chachoengsao example with one line of one file edited by a sed expression.
variant() {
	rm -rf "$1" && cp -r "$EX/chachoengsao" "$1" && sed -i "$3" "$1/$2"
}

run "$EIC" --db "$DB" import "$EX/chachoengsao" "$EX/coconut"
[ "$rc" -eq 0 ] || fail "import: $(cat err.txt)"

# Offers naming unknown actors or materials: refused by package validation, both by match
# and by import (which then stores nothing).
variant p_actor offers.csv 's/^oc02,rice_mills,/oc02,rice_millz,/'
refused "p_actor/offers.csv:3:6: error: unknown actor" "$EIC" --db "$DB" match p_actor
refused "p_actor/offers.csv:3:6: error: unknown actor" "$EIC" --db "$DB" import --replace p_actor
variant p_mat offers.csv 's/^oc02,rice_mills,have,rice_husk,/oc02,rice_mills,have,rice_hask,/'
refused "p_mat/offers.csv:3:22: error: unknown material in 'material'" "$EIC" --db "$DB" match p_mat
# Impossible coordinates.
variant p_lat actors.csv 's/^farmers,firm,Paddy farmers (aggregated),0112,13.75,101,/farmers,firm,Paddy farmers (aggregated),0112,113.75,101,/'
refused "p_lat/actors.csv:2:46: error: latitude out of range" "$EIC" --db "$DB" match p_lat
variant p_lon actors.csv 's/^farmers,firm,Paddy farmers (aggregated),0112,13.75,101,/farmers,firm,Paddy farmers (aggregated),0112,13.75,-200,/'
refused "error: longitude out of range" "$EIC" --db "$DB" import --replace p_lon
variant p_half actors.csv 's/^farmers,firm,Paddy farmers (aggregated),0112,13.75,101,/farmers,firm,Paddy farmers (aggregated),0112,13.75,,/'
refused "error: incomplete coordinates" "$EIC" --db "$DB" match p_half
# Negative quantities and inverted ranges.
variant p_neg offers.csv 's/^oc02,rice_mills,have,rice_husk,12000,/oc02,rice_mills,have,rice_husk,-12000,/'
refused "p_neg/offers.csv:3:32: error: negative value in 'quantity'" "$EIC" --db "$DB" match p_neg
variant p_negmin offers.csv 's/^oc03,husk_power,want,rice_husk,12000,0,22000,/oc03,husk_power,want,rice_husk,12000,-5,22000,/'
refused "error: negative value in 'min'" "$EIC" --db "$DB" match p_negmin
variant p_inv offers.csv 's/^oc03,husk_power,want,rice_husk,12000,0,22000,/oc03,husk_power,want,rice_husk,12000,22000,5000,/'
refused "p_inv/offers.csv:4:" "$EIC" --db "$DB" match p_inv
grep -qE "minimum above|maximum below|min <= max" err.txt || fail "inverted range: $(cat err.txt)"
refused "p_inv/offers.csv:4:" "$EIC" --db "$DB" import --replace p_inv

# A distance matrix that does not cover a compared pair: the pair is named.
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker,2\n' >partial.csv
refused "does not cover the pair" "$EIC" --db "$DB" match coconut --distances partial.csv
grep -qE "pair [a-z_]+,[a-z_]+" err.txt || fail "matrix pair not named: $(cat err.txt)"
# A complete matrix is accepted (every pair of the coconut actors, 5 km).
python3 -c "
import csv, itertools, sys
ids = [r['id'] for r in csv.DictReader(open('$EX/coconut/actors.csv'))]
with open('full.csv', 'w') as f:
    f.write('from_actor,to_actor,km\n')
    for a, b in itertools.combinations(ids, 2):
        f.write(f'{a},{b},5\n')"
run "$EIC" --db "$DB" match coconut --distances full.csv --json
[ "$rc" -eq 0 ] || fail "complete matrix refused: $(cat err.txt)"

# Malformed matrix rows: file:line:column.
printf 'from,to,km\n' >m1.csv
refused "m1.csv:1:1: expected the header from_actor,to_actor,km" "$EIC" --db "$DB" match coconut --distances m1.csv
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker\n' >m2.csv
refused "m2.csv:2:24: expected 3 cells" "$EIC" --db "$DB" match coconut --distances m2.csv
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker,2,9\n' >m3.csv
refused "m3.csv:2:27: expected 3 cells" "$EIC" --db "$DB" match coconut --distances m3.csv
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker,far\n' >m4.csv
refused "m4.csv:2:25: km must be a number >= 0 (found 'far')" "$EIC" --db "$DB" match coconut --distances m4.csv
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker,-3\n' >m5.csv
refused "m5.csv:2:25: km must be a number >= 0" "$EIC" --db "$DB" match coconut --distances m5.csv
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker,2\ncharcoal_maker,dc_mills,3\n' >m6.csv
refused "m6.csv:3:1: the pair charcoal_maker,dc_mills is given twice" "$EIC" --db "$DB" match coconut --distances m6.csv
printf 'from_actor,to_actor,km\n,charcoal_maker,2\n' >m7.csv
refused "m7.csv:2:1: empty from_actor" "$EIC" --db "$DB" match coconut --distances m7.csv
: >m8.csv
refused "m8.csv:1:1: empty file" "$EIC" --db "$DB" match coconut --distances m8.csv
refused "cannot open the distance matrix" "$EIC" --db "$DB" match coconut --distances missing.csv

cli_end
