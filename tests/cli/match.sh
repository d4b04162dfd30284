#!/usr/bin/env bash
# match.sh: CLI test of eic match: the examples' expected exchanges among the top 5, the
# CSV, JSON and GeoJSON outputs, confidentiality, a distance matrix, refused options.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
export EIC_DATA_DIR=${EIC_DATA_DIR:-$EIC_SOURCE_DIR/data}
EX=$EIC_SOURCE_DIR/data/examples
# Local json: NaN and Infinity refused.
json() { python3 -c "import json,sys
text = open('out.txt').read()
assert 'NaN' not in text and 'Infinity' not in text, 'NaN in the output'
d = json.loads(text)
$1" || fail "JSON check failed: $1"; }

# The examples: each expected exchange among the 5 best candidates.
top5="
def has(mode, a, am, b, bm):
    for c in d['candidates'][:5]:
        if c['mode'] != mode: continue
        for x, y in ((c['a'], c['b']), (c['b'], c['a'])):
            if x['actor'] == a and x['material'] == am and y['actor'] == b and (bm is None or y['material'] == bm):
                return True
    return False
"
expect 0 "$EIC" match --json "$EX/maniwa"
json "$top5
assert has('substitution', 'timber_sector', 'bark', 'wood_power', 'bark')
assert has('substitution', 'timber_sector', 'wood_chips', 'wood_power', 'wood_chips')
assert has('substitution', 'timber_sector', 'wood_chips', 'pellet_plant', 'wood_chips')
c = d['candidates'][0]
for k in ('material', 'quantity', 'timing', 'distance', 'evidence'): assert 0 <= c['scores'][k] <= 1
assert 0 <= c['score'] <= 1 and c['explanation'].endswith('.')"
expect 0 "$EIC" match --format json "$EX/coconut"
json "$top5
assert has('substitution', 'dc_mills', 'coconut_shell', 'charcoal_maker', 'coconut_shell')
assert has('substitution', 'dc_mills', 'coconut_husk', 'coir_mill', 'coconut_husk')"
expect 0 "$EIC" match --json "$EX/chachoengsao"
json "$top5
assert has('substitution', 'rice_mills', 'rice_husk', 'husk_power', 'rice_husk')
assert has('joint', 'piggeries', 'pig_manure', 'poultry', 'poultry_manure')"

# Text: ranked, with the weights and one sentence each.
expect 0 "$EIC" match "$EX/chachoengsao" --top 3
grep -q "^ 1\. " out.txt || fail "text: no rank 1: $(head -5 out.txt)"
grep -q "0.30 material" out.txt || fail "text: weights not printed"
[ "$(grep -c '^ *[0-9]*\. ' out.txt)" -eq 3 ] || fail "text: --top 3 not respected"

# CSV: a header and one row per candidate; GeoJSON: LineStrings with the candidate.
expect 0 "$EIC" match "$EX/coconut" --format csv --out cand.csv
python3 -c "
import csv
rows = list(csv.DictReader(open('cand.csv')))
assert len(rows) >= 4 and rows[0]['rank'] == '1'
assert all(0 <= float(r['score']) <= 1 for r in rows)
assert rows[0]['explanation'] and rows[0]['currency'] == 'USD'" || fail "CSV check"
expect 0 "$EIC" match "$EX/coconut" --format geojson --top 4
json "assert d['type'] == 'FeatureCollection' and len(d['features']) == 4
f = d['features'][0]
assert f['geometry']['type'] == 'LineString' and len(f['geometry']['coordinates']) == 2
assert f['properties']['rank'] == 1 and 'explanation' in f['properties']"

# Confidentiality: a private have is left out for others, masked for the other side.
cp -r "$EX/coconut" priv
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open('priv/offers.csv')))
fields = list(rows[0].keys()) + ['confidentiality']
for r in rows: r['confidentiality'] = 'private' if r['id'] == 'oo02' else 'cluster'
w = csv.DictWriter(open('priv/offers.csv', 'w', newline=''), fieldnames=fields)
w.writeheader(); w.writerows(rows)
PY
expect 0 "$EIC" match --json priv
json "assert not any(c['a']['offer'] == 'oo02' for c in d['candidates'])
assert any('private' in n for n in d['notes'])"
expect 0 "$EIC" match --json priv --viewer charcoal_maker
json "c = [c for c in d['candidates'] if c['a']['masked']]
assert c and c[0]['a']['actor'] is None and c[0]['a']['material_label'] == 'biomass'
assert c[0]['a']['label'].startswith('a firm within ') and c[0]['a']['label'].endswith(' km')
e = c[0]['explanation']
assert 'Desiccated' not in e and 'coconut shell' not in e.lower() and 'within 10 km' in e
assert c[0]['distance_km'] == 10 and c[0]['pathway'] is None"
expect 0 "$EIC" match --json priv --viewer dc_mills
json "assert any(c['a']['offer'] == 'oo02' and not c['a']['masked'] for c in d['candidates'])"

# Distance matrix: used when it covers every pair, refused with the pair named otherwise.
printf 'from_actor,to_actor,km\ndc_mills,charcoal_maker,2\n' >km.csv
expect 2 "$EIC" match "$EX/coconut" --distances km.csv
grep -q "does not cover the pair" err.txt || fail "matrix: message: $(cat err.txt)"
python3 -c "
import csv, itertools
ids = [r['id'] for r in csv.DictReader(open('$EX/coconut/actors.csv'))]
with open('all.csv', 'w') as f:
    f.write('from_actor,to_actor,km\n')
    for a, b in itertools.combinations(ids, 2): f.write(f'{a},{b},3\n')"
expect 0 "$EIC" match --json "$EX/coconut" --distances all.csv
json "assert all(c['distance_km'] == 3 and c['distance_source'] == 'matrix' for c in d['candidates'])"

# Impossible options are refused with a message; unknown viewer too.
expect 2 "$EIC" match "$EX/coconut" --circuity -1
grep -q "circuity" err.txt || fail "circuity: $(cat err.txt)"
expect 2 "$EIC" match "$EX/coconut" --radius 0
grep -q "radius" err.txt || fail "radius: $(cat err.txt)"
expect 2 "$EIC" match "$EX/coconut" --viewer nobody
expect 2 "$EIC" match "$EX/coconut" --mode swap
expect 2 "$EIC" match "$EX/coconut" --format xml
expect 2 "$EIC" match "$EX/coconut" --top 0
expect 0 "$EIC" match --json "$EX/coconut" --mode shared
json "assert d['candidates'] and all(c['mode'] == 'shared' for c in d['candidates'])"

cli_end
