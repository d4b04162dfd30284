#!/usr/bin/env bash
# finance.sh: CLI test of eic finance: a project file (text and JSON, numbers checked by hand),
# a facility of a cluster with and without prices, options on the command line, malformed
# project files with located errors, usage errors.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
D="$EIC_SOURCE_DIR/tests/data/finance"
CH="$EIC_SOURCE_DIR/data/examples/chachoengsao"

# A project file, text: the four parts and the verdict.
expect 0 "$EIC" finance --project "$D/biogas_household.json"
for s in "NPV" "IRR" "Cash flow by year" "Death valley" "Financing options" "Verdict:" \
	"40 % subsidy plus a 2-year loan closes the gap"; do
	grep -q "$s" out.txt || fail "biogas text: no '$s'"
done

# JSON: shape and hand-checked numbers, no NaN anywhere.
expect 0 "$EIC" finance --json --project "$D/biogas_household.json"
grep -Eqw "NaN|nan|inf|Infinity" out.txt && fail "biogas JSON contains NaN"
python3 - out.txt <<'PY' || fail "biogas JSON: shape or numbers"
import json, math, sys
d = json.load(open(sys.argv[1]))
for k in ("source", "project", "complete", "missing", "summary", "years", "death_valley",
          "options", "options_are_defaults", "verdict", "notes"):
    assert k in d, k
s = d["summary"]["after_tax"]
npv = -325 + 115 * (1 - 1.1 ** -20) / 0.1
assert abs(s["npv"] - npv) < 1e-6, s["npv"]
assert s["irr"]["status"] == "unique" and 0.35 < s["irr"]["rate"] < 0.36
assert abs(s["payback_years"] - 325 / 115) < 1e-9
assert len(d["years"]) == 21 and d["years"][0]["capex"] == 325
v = d["death_valley"]
assert v["has_trough"] and abs(v["depth"] - 325) < 1e-9 and v["depth_year"] == 0
assert abs(v["funding_gap"] - 325) < 1e-9
o = d["options"]
assert [x["rank"] for x in o] == [1, 2, 3, 4]
assert o[0]["id"] == "nepal" and o[0]["closes"] is True
assert abs(o[0]["instalment"] - 9.179327) < 1e-6 and abs(o[0]["financed"] - 195) < 1e-9
w = [x for x in o if x["id"] == "wesco_flat"][0]
assert abs(w["instalment"] - 403 / 24) < 1e-9 and w["closes"] is False
assert w["apr"] > 0.215 and w["ear"] > w["apr"]
assert len(w["flows"]) == 21 and abs(w["flows"][0] - (325 - 403 / 24)) < 1e-9
sub = [x for x in o if x["id"] == "subsidy_only"][0]
assert sub["apr"] is None and sub["instalments"] == 0
assert d["summary"]["lcoe"] is None and d["summary"]["co2e"] is None
assert d["options_are_defaults"] is False
PY

# The pellet mill: LCOE, cost per tonne, every instrument of the file.
expect 0 "$EIC" finance --json --project "$D/pellet_mill.json"
python3 - out.txt <<'PY' || fail "pellet JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["lcoe"]["energy_unit"] == "GJ" and d["summary"]["lcoe"]["nominal"] > 0
assert d["summary"]["co2e"]["tonnes"] > 0
ids = {x["id"]: x for x in d["options"]}
assert ids["fund"]["fund"]["loans_issued"] > 0
assert all(x["valid"] for x in d["options"])
PY
expect 0 "$EIC" finance --json --project "$D/cetp.json"
python3 -c 'import json,sys; d=json.load(open("out.txt")); assert [x for x in d["options"] if x["id"]=="members_group"][0]["group"]["repayment_rate"] > 0.9' ||
	fail "cetp JSON: group loan"

# The example with its prices is appraised as it stands.
expect 0 "$EIC" finance --json "$CH" --facility biogas_manure
python3 -c 'import json; d=json.load(open("out.txt")); assert d["complete"] is True' ||
	fail "chachoengsao with prices: not complete"
# A facility without prices (a copy of the example with its prices removed): what is missing,
# the break-even revenue, exit 2.
CH_FULL="$CH"
CH="$EIC_SCRATCH/chachoengsao_noprice"
rm -rf "$CH" && cp -r "$CH_FULL" "$CH" && sed -i '/,price,/d' "$CH/material_properties.csv"
expect 2 "$EIC" finance "$CH" --facility biogas_manure
grep -q "a price for the outputs biogas, digestate" err.txt || fail "missing prices not said"
grep -q "18,645 USD/yr" err.txt || fail "no break-even revenue"
expect 2 "$EIC" finance --json "$CH" --facility biogas_manure
python3 -c 'import json; d=json.load(open("out.txt")); assert d["complete"] is False and abs(d["breakeven_revenue_per_yr"]-18645.4)<1' ||
	fail "incomplete facility JSON"
# ... with the revenue given: the four defaults.
expect 0 "$EIC" finance --json "$CH" --facility biogas_manure --revenue-per-yr 30000 --equity 40000
python3 - out.txt <<'PY' || fail "facility JSON with defaults"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["options_are_defaults"] is True
assert sorted(x["id"] for x in d["options"]) == ["bank_loan", "lease", "microfinance", "subsidy_loan"]
assert d["project"]["revenue"] == 30000 and d["project"]["capex"] == [102740]
assert abs(d["death_valley"]["funding_gap"] - (102740 - 40000)) < 1e-9
closes = {x["id"]: x["closes"] for x in d["options"]}
assert closes["bank_loan"] and closes["subsidy_loan"]
assert d["options"][0]["id"] == "subsidy_loan"
PY
# A priced facility in a package: revenue from the prices.
expect 0 "$EIC" finance --json "$D/pellet_cluster" --facility pellet_mill
python3 -c 'import json; d=json.load(open("out.txt")); p=d["project"]; assert p["revenue"]==211200 and p["avoided_cost"]==12000' ||
	fail "pellet facility revenue"
# Options on the command line replace the defaults.
expect 0 "$EIC" finance --json "$D/pellet_cluster" --facility pellet_mill \
	--option annuity_loan:rate=0.08,term_years=5 --option grant:grant=50000
python3 -c 'import json; d=json.load(open("out.txt")); assert sorted(x["id"] for x in d["options"])==["annuity_loan","grant"]' ||
	fail "--option did not replace the defaults"
expect 2 "$EIC" finance "$D/pellet_cluster" --facility pellet_mill --option annuity_loan:rate=0.08
grep -q "missing key 'term_years'" err.txt || fail "bad --option: no message"
expect 2 "$EIC" finance "$D/pellet_cluster" --facility nope
grep -q "no facility 'nope'.*pellet_mill" err.txt || fail "unknown facility: no message"
expect 2 "$EIC" finance "$D/pellet_cluster" --facility pellet_mill --level big
grep -q "has no level 'big'" err.txt || fail "unknown level: no message"

# Malformed project files: located errors, nothing on stdout.
printf '{\n  "eic_finance": 1,\n  "life_years": 20,\n  "capex": 325,\n  "discount_rate": 1.5\n}\n' >bad.json
expect 2 "$EIC" finance --project bad.json
grep -q "^bad.json:5:20: error: 'discount_rate' is out of range" err.txt || fail "bad rate not located"
[ -s out.txt ] && fail "an invalid file wrote to stdout"
printf '{\n  "eic_finance": 1,\n  "life_years": 20,\n  "capex": 325,\n  "financing": [\n    {"id": "l", "instrument": "annuity_loan", "rate": 0.1, "term_years": 25}\n  ]\n}\n' >long.json
expect 2 "$EIC" finance --project long.json
grep -q "^long.json:6:74: error: the annuity_loan 'l' runs 25 years, longer than the project's life of 20 years" err.txt ||
	fail "long loan not located"
expect 2 "$EIC" finance --project missing.json
grep -q "missing.json" err.txt || fail "missing file: no message"

# Usage errors.
expect 2 "$EIC" finance
expect 2 "$EIC" finance "$CH"
expect 2 "$EIC" finance --project "$D/cetp.json" --facility x
expect 2 "$EIC" finance --project "$D/cetp.json" --revenue-per-yr 5
expect 2 "$EIC" finance "$CH" --facility biogas_manure --discount-rate 5

cli_end
