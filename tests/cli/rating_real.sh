#!/usr/bin/env bash
# rating_real.sh: indicators, trends and ranks for the PRTR facilities of Kokkola and
# Harjavalta (Finland's PRTR, SYKE), against values worked by hand from the registry rows.
# Skipped (77) when ../shared is absent.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_require
SHARED=${EIC_SHARED_DIR:-}
REG=$SHARED/data/registries/finland-prtr-syke
[ -n "$SHARED" ] && [ -f "$REG/releases.csv" ] || { echo "SKIP: no $REG"; exit 77; }
cli_scratch

expect 0 "$EIC" init --db r.db
expect 0 "$EIC" measure import --db r.db --registry finland-prtr "$REG" --area Kokkola \
	--create-cluster kokkola
expect 0 "$EIC" measure import --db r.db --registry finland-prtr "$REG" --area Harjavalta \
	--create-cluster harjavalta

# Boliden Kokkola (facilityId 0000001376), 2021 waste transfers (waste_transfers.csv):
# HW R 83.5 t, HW D 31.3 t, HW D 78.0 t -> generated 192.8 t, recovered 83.5 t,
# utilisation 83.5 / 192.8 = 0.4330913.
# SOX to air (releases.csv): 366000 kg in 2017 ... 288000 kg in 2023; midpoints 2191 days
# apart = 5.998754 years; compound rate (288000/366000)^(1/5.998754) - 1 = -3.9166 %/yr.
expect 0 "$EIC" indicators --db r.db kokkola --actor prtr_0000001376 --json
json '
ind = {i["id"]: i for i in d["scopes"][0]["indicators"]}
v = {x["period"]: x for x in ind["waste_utilisation_rate"]["values"]}
assert close(v["2021"]["value"], 83.5 / 192.8), v["2021"]
g = {x["period"]: x["value"] for x in ind["waste_generated"]["values"]}
assert close(g["2021"], 192.8), g
s = ind["release.SOX.air"]
sv = {x["period"]: x["value"] for x in s["values"]}
assert close(sv["2017"], 366000) and close(sv["2023"], 288000), sv
assert s["trend"]["periods"] == 7, s["trend"]
assert close(s["trend"]["cagr"], (288000 / 366000) ** (1 / (2191 / 365.2425)) - 1), s["trend"]
assert close(s["trend"]["change"], 288000 - 366000), s["trend"]
e = ind["energy_intensity_va"]["values"][0]
assert e["value"] is None and "value added" in e["not_computable"], e
'

# Ranks of the 12 Kokkola facilities with waste transfers in 2021 on the utilisation rate
# (worked from waste_transfers.csv): Boliden Kokkola is 7th of 12 ascending, so rank 6 (higher
# is better) and Hazen percentile 100 x 6.5 / 12 = 54.1667; Kokkolan Energia's Ykspihlaja
# plant (0000024256) sent everything to recovery: rank 1; Blaxar (0000021015) nothing: 12.
expect 0 "$EIC" benchmark --db r.db kokkola --indicator waste_utilisation_rate --period 2021 --json
json '
r = {x["id"]: x for x in d["rows"]}
ranked = [x for x in d["rows"] if "rank" in x]
assert len(ranked) == 12, len(ranked)
assert r["prtr_0000001376"]["rank"] == 6 and close(r["prtr_0000001376"]["percentile"], 650 / 12), r["prtr_0000001376"]
assert r["prtr_0000024256"]["rank"] == 1 and r["prtr_0000021015"]["rank"] == 12
'
# the firm view names no other facility
expect 0 "$EIC" benchmark --db r.db kokkola --indicator waste_utilisation_rate --period 2021 \
	--as prtr_0000001376
grep -q "rank 6 of 12" out.txt || fail "Boliden Kokkola view: $(cat out.txt)"
grep -Eqi "Umicore|Yara|CABB|Blaxar|Energia|Ekorosk|Woikoski|Jervois|prtr_0000024256" out.txt &&
	fail "the --as view names another facility: $(cat out.txt)"

# Clusters ranked on SOX to air in 2021 (releases.csv): Kokkola 414000 kg (Boliden Kokkola
# only), Harjavalta 2410000 kg (Boliden Harjavalta, 0000001152, only): Kokkola first.
expect 0 "$EIC" benchmark --db r.db kokkola harjavalta --indicator release.SOX.air --period 2021 --json
json '
r = {x["id"]: x for x in d["rows"]}
assert close(r["kokkola"]["value"], 414000) and close(r["harjavalta"]["value"], 2410000), r
assert r["kokkola"]["rank"] == 1 and r["harjavalta"]["rank"] == 2, r
'

cli_end
