#!/usr/bin/env bash
# monitor.sh: CLI test of eic indicators, eic benchmark (ranks, Hazen percentiles, peer groups,
# the anonymised --as view that must name no other actor, the confidentiality threshold) and
# eic rate (PROPER compliance from measurements, inputs file, credit terms, bad rules files).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR

expect 0 "$EIC" import --db m.db "$EIC_SOURCE_DIR/data/examples/kalundborg"

# Energy and value added of four firms in 2022 and 2023 (numbers chosen so that the energy
# intensities are 0.1, 0.2, 0.3, 0.4 GJ/EUR in 2023), and NOx measurements against a limit.
cat >rec.csv <<'EOF'
actor,period,kind,subject,medium,value,unit,concentration,concentration_unit,limit,limit_unit,method,reported_by
asnaes,2022,value_added,,,1000,EUR,,,,,calculated,test
asnaes,2022,energy,coal,,200,GJ,,,,,measured,test
asnaes,2023,value_added,,,1000,EUR,,,,,calculated,test
asnaes,2023,energy,coal,,100,GJ,,,,,measured,test
asnaes,2023,emission,NOX,air,5000,kg,120,mg/m3,200,mg/m3,measured,test
statoil,2023,value_added,,,1000,EUR,,,,,calculated,test
statoil,2023,energy,natural_gas,,200,GJ,,,,,measured,test
statoil,2023,emission,NOX,air,4000,kg,250,mg/m3,200,mg/m3,measured,test
gyproc,2023,value_added,,,1000,EUR,,,,,calculated,test
gyproc,2023,energy,natural_gas,,300,GJ,,,,,measured,test
novo,2023,value_added,,,1000,EUR,,,,,calculated,test
novo,2023,energy,natural_gas,,400,GJ,,,,,measured,test
EOF
expect 0 "$EIC" measure import --db m.db kalundborg rec.csv

# indicators: asnaes 0.2 -> 0.1 GJ/EUR, change -50 %
expect 0 "$EIC" indicators --db m.db kalundborg --actor asnaes --json
json '
s = d["scopes"][0]
assert s["scope"] == "asnaes" and not s["cluster_scope"], s
ind = {i["id"]: i for i in s["indicators"]}
v = {x["period"]: x["value"] for x in ind["energy_intensity_va"]["values"]}
assert close(v["2022"], 0.2) and close(v["2023"], 0.1), v
assert close(ind["energy_intensity_va"]["trend"]["change_rel"], -0.5)
w = ind["water_intensity_va"]["values"][0]
assert w["value"] is None and w["not_computable"] == "water withdrawal and value added" or w["not_computable"].startswith("water withdrawal"), w
c = {x["period"]: x for x in ind["compliance_rate"]["values"]}
assert close(c["2023"]["value"], 1.0), c
'
expect 0 "$EIC" indicators --db m.db kalundborg --period 2023
grep -q "^Cluster " out.txt || fail "no cluster table: $(head -5 out.txt)"
grep -Eq "^  energy_intensity_va +0\.25 +GJ/EUR" out.txt || fail "cluster intensity 1000/4000: $(grep energy_intensity_va out.txt)"
expect 2 "$EIC" indicators --db m.db kalundborg --actor nobody
expect 2 "$EIC" indicators --db m.db kalundborg --period 2019

# benchmark: lower is better; Hazen percentiles of {0.1, 0.2, 0.3, 0.4}: 12.5, 37.5, 62.5, 87.5
expect 0 "$EIC" benchmark --db m.db kalundborg --indicator energy_intensity_va --json
json '
r = {x["id"]: x for x in d["rows"]}
assert [r[k]["rank"] for k in ("asnaes", "statoil", "gyproc", "novo")] == [1, 2, 3, 4], r
assert close(r["gyproc"]["percentile"], 62.5), r["gyproc"]
g = d["groups"][0]
assert g["n"] == 4 and close(g["q1"], 0.15) and close(g["median"], 0.25) and close(g["q3"], 0.35), g
'
# the anonymised view of gyproc: its value and place, the distribution, no peer
expect 0 "$EIC" benchmark --db m.db kalundborg --indicator energy_intensity_va --as gyproc
grep -q "rank 3 of 4" out.txt || fail "gyproc rank: $(cat out.txt)"
grep -q "percentile 62.5" out.txt || fail "gyproc percentile: $(cat out.txt)"
grep -q "min 0.1, q1 0.15, median 0.25, q3 0.35, max 0.4" out.txt || fail "distribution: $(cat out.txt)"
for other in asnaes statoil novo Asnaes Statoil Novo municipality; do
	grep -qi "$other" out.txt && fail "--as gyproc shows '$other': $(cat out.txt)"
done
expect 0 "$EIC" benchmark --db m.db kalundborg --indicator energy_intensity_va --as gyproc --json
for other in asnaes statoil novo Asnaes Statoil Novo; do
	grep -qi "$other" out.txt && fail "--as gyproc --json shows '$other'"
done
json 'assert d["rank"] == 3 and d["distribution"]["n"] == 4 and close(d["value"], 0.3), d'
# peer groups by size: asnaes (600), statoil (250), novo (1100) large; gyproc (175) medium:
# the medium group has one member and is not described
expect 0 "$EIC" benchmark --db m.db kalundborg --indicator energy_intensity_va --peer size --as gyproc
grep -q "peer group: medium" out.txt || fail "gyproc group: $(cat out.txt)"
grep -q "fewer than 3 members" out.txt || fail "small group shown: $(cat out.txt)"
grep -q "median" out.txt && fail "small group distribution shown: $(cat out.txt)"
expect 2 "$EIC" benchmark --db m.db kalundborg --indicator nonsense
expect 2 "$EIC" benchmark --db m.db kalundborg --indicator energy_intensity_va --as nobody

# rate: air compliance from the NOx measurements; the other PROPER gates from an inputs file
cat >in.json <<'EOF'
{"*": {"critical.deliberate_pollution": false, "critical.sanction_ignored": false,
       "compliance.environmental_document": true, "compliance.water": true,
       "compliance.hazardous_waste": true, "screening.energy_audit": false,
       "screening.environmental_audit": true, "screening.ems_score": 70}}
EOF
expect 0 "$EIC" rate --db m.db kalundborg --scheme proper --inputs in.json --json
json '
r = {x["actor"]: x for x in d["actors"]}
assert d["period"] == "2023", d["period"]
assert r["asnaes"]["label"] == "blue", r["asnaes"]
assert r["statoil"]["label"] == "red" and "air" in r["statoil"]["explanation"], r["statoil"]
assert r["gyproc"]["label"] is None and "compliance.air" in r["gyproc"]["missing"], r["gyproc"]
'
expect 0 "$EIC" rate --db m.db kalundborg --scheme proper --inputs in.json \
	--credit-rules "$EIC_SOURCE_DIR/data/rating/credit_rules.json" --json
json '
r = {x["actor"]: x for x in d["actors"]}
assert r["statoil"]["credit"]["decided"] and not r["statoil"]["credit"]["eligible"], r["statoil"]
assert r["asnaes"]["credit"]["eligible"] and close(r["asnaes"]["credit"]["rate_discount_pp"], 0.25), r["asnaes"]["credit"]
'
# a circular rules file is refused with its location
cat >bad.json <<'EOF'
{"id": "x", "mode": "first_match", "default": {"eligible": false},
 "limits": {"max_rate_discount_pp": 3, "max_guarantee_share": 0.8},
 "rules": [{"id": "a", "when": [{"rule": "a"}], "eligible": true}]}
EOF
expect 2 "$EIC" rate --db m.db kalundborg --scheme proper --credit-rules bad.json
grep -q "bad.json:3:42: error: circular rule reference 'a' -> 'a'" err.txt || fail "circular rules: $(cat err.txt)"
expect 2 "$EIC" rate --db m.db kalundborg --scheme nosuchfile.json

cli_end
