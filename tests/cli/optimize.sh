#!/usr/bin/env bash
# optimize.sh: CLI test of eic optimize on the examples: a facility opens exactly when its net
# benefit is positive (the Chachoengsao biogas plant, and the same plant closed when its gas
# is worth nothing), an infeasible model names its constraints, a distance matrix (used, a
# missing pair or a malformed file refused), offer prices, refused options.
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

# Every example solves (money defaults in USD need a rate, or the numbers, elsewhere).
for ex in "$EX"/*/; do
	name=$(basename "$ex")
	cur=$(python3 -c "import json; print(json.load(open('$ex/cluster.json'))['currency'])")
	expect 0 "$EIC" --quiet optimize --json "$ex"
	if [ "$cur" != USD ]; then
		# the USD defaults are converted at the shipped rate, which the output names
		grep -q "per USD (2023 average, data/finance/exchange_rates.csv" out.txt ||
			fail "$name: exchange rate not named: $(head -c 600 out.txt)"
		expect 0 "$EIC" --quiet optimize --json "$ex" --cost-per-tkm 1 --disposal-fee 50
	fi
	json "assert d['status'] == 'optimal', d['status']
assert d['time_s'] < 5
for f in d['facilities']:
    # a facility is open exactly when it pays for itself (economic objective)
    assert f['open'] == (f['net_benefit'] > 1e-6), f
for f in d['flows']: assert f['quantity'] > 0"
done

# Chachoengsao: biogas 0.26 USD/m3 x 26.7 m3/t = 6.94 USD per t of manure, against a large
# plant costing 256,850 x CRF(8%, 15 yr) + 12,843 = 42,851 USD/yr for 50,000 t (0.86 USD/t):
# the plant opens, at its large level, with a positive net benefit.
expect 0 "$EIC" optimize --json "$EX/chachoengsao"
json "f = [f for f in d['facilities'] if f['facility'] == 'biogas_manure'][0]
assert f['open'] and f['level'] == 'large', f
assert abs(f['annual_cost'] - 42850.7) < 1, f['annual_cost']
assert abs(f['revenue'] - 50000 * 26.7 * 0.26) < 1, f['revenue']
assert f['net_benefit'] > 0
assert any(x['from'] == 'oc02' and x['to'] == 'oc03' for x in d['flows']), 'husk to power'
assert any(x['material'] == 'pig_manure' and x['to'] == 'biogas_manure' for x in d['flows'])
assert any('disposal fee' in s for s in d['defaults'])"
# The same plant when its gas is worth nothing and no disposal fee is avoided: only costs,
# so it stays closed.
cp -r "$EX/chachoengsao" cc && sed -i 's/^biogas,price,0.26,/biogas,price,0,/' cc/material_properties.csv
expect 0 "$EIC" optimize --json cc --disposal-fee 0
json "f = [f for f in d['facilities'] if f['facility'] == 'biogas_manure'][0]
assert not f['open'] and f['level'] is None, f
assert not any(x['to'] == 'biogas_manure' for x in d['flows'])"

# Text: status, gap, time, the exchanges and facilities, the defaults used.
expect 0 "$EIC" optimize "$EX/chachoengsao"
grep -q "^Status: optimal; gap" out.txt || fail "text: no status line: $(head -3 out.txt)"
grep -q "Chosen exchanges" out.txt || fail "text: no exchanges"
grep -q "biogas_manure  large" out.txt || fail "text: no facility table"
grep -q "Defaults used" out.txt || fail "text: defaults not listed"

# Pareto: the first point is the economic optimum, the last has the least GHG.
expect 0 "$EIC" optimize --json "$EX/chachoengsao" --pareto 3 --ghg-disposal 100
json "p = d['pareto']
assert len(p) == 3
assert abs(p[0]['economic'] - d['economic_per_yr']) <= 1e-6 * abs(d['economic_per_yr']) + 1e-3
assert p[-1]['ghg_t_co2e'] <= min(x['ghg_t_co2e'] for x in p) + 1e-6
assert all(x['status'] == 'optimal' for x in p)"
expect 0 "$EIC" optimize --json "$EX/coconut" --objective ghg
json "assert d['objective'] == 'ghg' and d['status'] == 'optimal'"

# Avoided disposal emissions from the impact module (docs/methods/optimization.md): the farmers'
# straw is burnt in the open in business as usual (flow cc15), so every tonne exchanged avoids
# the open-burning emissions of IPCC waste type wood_straw (scenario.json mapping), named in
# the defaults; the GHG optimum is then a large saving, not the empty network of transport
# alone.
expect 0 "$EIC" optimize --json "$EX/chachoengsao" --objective ghg
json "import re
line = [s for s in d['defaults'] if 'for rice_straw offered by farmers (oc01)' in s]
assert line and 'open burning (flow cc15, 80,000 t/yr) of waste type wood_straw' in line[0], d['defaults']
kg = float(re.search(r'emissions: ([0-9,.]+) kg CO2e/t', line[0]).group(1).replace(',', ''))
assert 100 < kg < 1000, kg
straw = sum(f['quantity'] for f in d['flows'] if f['material'] == 'rice_straw')
assert straw > 0, 'no straw exchanged'
# GHG of the network = transport - straw x the factor (the husk and the manure carry no credit)
transport = sum(f['ghg_t_co2e_per_yr'] for f in d['flows']) + straw * kg / 1000
assert transport >= 0
assert abs(d['ghg_t_co2e_per_yr'] - (transport - straw * kg / 1000)) < 1e-3 * abs(d['ghg_t_co2e_per_yr'])
assert d['ghg_t_co2e_per_yr'] < -10000, d['ghg_t_co2e_per_yr']
assert any('for poultry_manure offered by poultry (oc09)' in s and 'open dumping' in s for s in d['defaults'])
assert any('pig_manure offered by piggeries: 54,750 t/yr discharged to water bodies' in s for s in d['defaults'])
assert any(s.startswith('avoided disposal emissions: 0 for ') and 'rice_husk' in s for s in d['defaults'])
assert any('GWP100 AR5, climate zone tropical_wet' in s for s in d['defaults'])"
expect 0 "$EIC" optimize --json "$EX/chachoengsao" --objective ghg --no-impact-factors
json "assert abs(d['ghg_t_co2e_per_yr']) < 1e-6 and not d['flows'], d['ghg_t_co2e_per_yr']
assert not any('for rice_straw offered by' in s for s in d['defaults'])"
# The frontier now has distinct ends: the economic optimum opens the biogas plant, whose pig
# manure (discharged to water in business as usual: no factor) only adds transport emissions;
# the GHG optimum leaves it closed.
expect 0 "$EIC" optimize --json "$EX/chachoengsao" --pareto 4
json "p = d['pareto']
assert len(p) == 4 and all(x['status'] == 'optimal' for x in p)
assert p[0]['ghg_t_co2e'] > p[-1]['ghg_t_co2e'] + 1, p
assert p[0]['economic'] > p[-1]['economic'] + 1, p
assert 'biogas_manure' in p[0]['open_facilities'] and p[-1]['open_facilities'] == '', p
assert all(p[i]['ghg_t_co2e'] >= p[i + 1]['ghg_t_co2e'] - 1e-6 for i in range(3))"
# Maniwa records the eco-cluster; its business as usual (scenario.json "bau") reroutes the bark
# and offcuts to open burning: those changes are applied, so the bark carries the burning factor.
expect 0 "$EIC" optimize --json "$EX/maniwa" --objective ghg
json "line = [s for s in d['defaults'] if 'for bark offered by timber_sector (of03)' in s]
assert line and 'open burning (flow mw01 as changed by the scenario' in line[0], d['defaults']
assert d['ghg_t_co2e_per_yr'] < -1000, d['ghg_t_co2e_per_yr']"
# A dumped material with no waste type is named, never a silent zero; --strict-ghg refuses it.
cp -r "$EX/chachoengsao" cc3 && sed -i '/"poultry_manure": {"waste_type"/d' cc3/scenario.json
expect 0 "$EIC" optimize --json cc3
json "assert any('NOT COUNTED (0) for poultry_manure offered by poultry (oc09)' in s and 'no waste type for poultry_manure' in s for s in d['defaults']), d['defaults']"
expect 2 "$EIC" optimize cc3 --strict-ghg
grep -q "avoided disposal emissions of poultry_manure offered by poultry cannot be computed" err.txt ||
	fail "strict: not named: $(cat err.txt)"
expect 2 "$EIC" optimize "$EX/chachoengsao" --climate-zone arctic
grep -q "unknown climate zone 'arctic'" err.txt || fail "climate zone: $(cat err.txt)"
expect 2 "$EIC" optimize "$EX/chachoengsao" --gwp AR9
grep -q "unknown GWP set 'AR9'" err.txt || fail "gwp: $(cat err.txt)"
expect 2 "$EIC" optimize "$EX/chachoengsao" --horizon 0
# A longer horizon, more landfill methane per tonne of the dumped poultry litter.
expect 0 "$EIC" optimize --json "$EX/chachoengsao" --horizon 100
json "import re
line = [s for s in d['defaults'] if 'for poultry_manure offered by' in s][0]
assert 'over 100 yr' in ' '.join(d['defaults'])"

# Infeasible: the rice mills' required process water has no source at all.
expect 1 "$EIC" optimize "$EX/chachoengsao" --require-demand
grep -q "infeasible" out.txt || fail "infeasible: status not said"
grep -q "demand of Rice mills (aggregated) for Process water (10,000 m3/yr) cannot be met" out.txt ||
	fail "infeasible: the demand is not named: $(cat out.txt)"
grep -q "no offer or candidate facility in the cluster supplies Process water" out.txt ||
	fail "infeasible: the cause is not named"
# ... and with a distance limit too short for the husk (10.1 km away).
cp -r "$EX/chachoengsao" cc2 && sed -i 's/^oc07,.*$//; s/^oc03,husk_power,want,rice_husk,12000,0,/oc03,husk_power,want,rice_husk,12000,5000,/' cc2/offers.csv
expect 1 "$EIC" optimize --json cc2 --require-demand --max-distance 8
json "r = ' '.join(d['reasons'])
assert d['status'] == 'infeasible'
assert 'rice husk' in r.lower() and 'beyond the maximum distance of 8 km' in r, r"

# Distance matrix (--distances, the file of eic match): its km replace great circle x 1.3 for
# every arc; a pair the model needs that it lacks is refused with the pair named; a malformed
# file with file:line:column.
python3 -c "
import csv, itertools
ids = [r['id'] for r in csv.DictReader(open('$EX/coconut/actors.csv'))]
pairs = [p for p in itertools.combinations(ids, 2) if set(p) != {'dc_mills', 'coir_mill'}]
with open('all.csv', 'w') as f:
    f.write('from_actor,to_actor,km\\n')
    for a, b in itertools.combinations(ids, 2): f.write(f'{a},{b},3\\n')
with open('gap.csv', 'w') as f:
    f.write('from_actor,to_actor,km\\n')
    for a, b in pairs: f.write(f'{a},{b},3\\n')"
expect 0 "$EIC" optimize --json "$EX/coconut" --distances all.csv
json "assert d['status'] == 'optimal' and d['flows']
assert all(f['distance_km'] == 3 for f in d['flows'] if f['to_kind'] != 'market'), d['flows']
assert any('from the distance matrix all.csv' in s for s in d['defaults']), d['defaults']"
# the same pairs 60 km apart: beyond the 50 km maximum, nothing is exchanged
sed 's/,3$/,60/' all.csv >far.csv
expect 0 "$EIC" optimize --json "$EX/coconut" --distances far.csv
json "assert d['model']['candidate_arcs'] == 0 and not d['flows'], d['model']"
expect 2 "$EIC" optimize "$EX/coconut" --distances gap.csv
grep -Eq "the distance matrix gap.csv does not cover the pair (dc_mills,coir_mill|coir_mill,dc_mills)" err.txt ||
	fail "matrix gap: the pair is not named: $(cat err.txt)"
printf 'from_actor,to_actor,km\ndc_mills,coir_mill,x\n' >bad.csv
expect 2 "$EIC" optimize "$EX/coconut" --distances bad.csv
grep -q "bad.csv:2:20: .*km must be a number" err.txt || fail "matrix: no file:line:column: $(cat err.txt)"
printf 'from_actor,to_actor,km\ndc_mills,coir_mill,3,4\n' >bad4.csv
expect 2 "$EIC" optimize "$EX/coconut" --distances bad4.csv
grep -q "bad4.csv:2:22: expected 3 cells" err.txt || fail "matrix: 4 cells: $(cat err.txt)"
expect 2 "$EIC" optimize "$EX/coconut" --distances missing.csv
grep -q "cannot open the distance matrix missing.csv" err.txt || fail "matrix: missing file: $(cat err.txt)"

# Offer prices come before material prices and are listed; one in another currency is named.
cp -r "$EX/coconut" co && python3 -c "
import csv
rows = list(csv.DictReader(open('co/offers.csv')))
for r in rows:
    r['price'], r['price_unit'] = {'oo06': ('0.02', 'USD/kg'), 'oo02': ('900', 'JPY/t')}.get(r['id'], ('', ''))
with open('co/offers.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader(); w.writerows(rows)"
expect 0 "$EIC" optimize --json co
json "assert any(s.startswith('offer price: 0.02 USD/kg for oo06 (want of coconut_husk by coir_mill) = 20 USD/t') for s in d['defaults']), d['defaults']
assert any('offer oo02: its price 900 JPY/t cannot be converted' in s for s in d['notes']), d['notes']"

# Bad usage.
expect 2 "$EIC" optimize "$EX/chachoengsao" --objective cheapest
grep -q "economic, ghg or weighted" err.txt || fail "unknown objective: $(cat err.txt)"
expect 2 "$EIC" optimize "$EX/chachoengsao" --time-limit -5
grep -q "time-limit" err.txt || fail "negative time limit: $(cat err.txt)"
expect 2 "$EIC" optimize "$EX/chachoengsao" --pareto 1
expect 2 "$EIC" optimize "$EX/chachoengsao" --weight 1.5
expect 0 "$EIC" help optimize
grep -q "epsilon-constraint" out.txt || fail "help page not embedded"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "optimize: all checks passed"
