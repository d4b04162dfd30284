#!/usr/bin/env bash
# balance.sh: CLI test of eic balance on a stored cluster and on packages: tables, the 5%
# marker, --period, --package and the --json numbers (tolerance 1e-9 relative).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PKGS=$EIC_SOURCE_DIR/tests/data/packages

expect 0 "$EIC" import --db b.db "$PKGS/tiny"

# tiny balances in mass and energy (numbers chosen so): no row is flagged
expect 0 "$EIC" balance --db b.db tiny
grep -q "^Mass balance (t)" out.txt || fail "no mass table: $(cat out.txt)"
grep -q "^Energy balance (GJ)" out.txt || fail "no energy table"
grep -Eq "^  process +milling +Milling +1000 +1000 +0 +0 +\+0\.0%" out.txt || fail "milling mass row: $(cat out.txt)"
grep -Eq "^  cluster +tiny " out.txt || fail "no cluster row"
grep -Eq "^  landfill +0 +40 " out.txt || fail "boundary row of landfill: $(cat out.txt)"
grep -q "(0 mass, 0 energy)" out.txt || fail "tiny should have no flagged rows"
expect 0 "$EIC" balance --db b.db tiny --json
json '
rows = d["rows"]
assert [r["scope"] for r in rows] == ["process", "process", "actor", "actor", "cluster"], rows
m = {r["id"]: r for r in rows}
assert close(m["milling"]["mass"]["in"], 1000) and close(m["milling"]["mass"]["out"], 1000)
assert close(m["boiler"]["mass"]["in"], 220) and close(m["boiler"]["mass"]["out"], 220)
assert close(m["boiler"]["energy"]["in"], 2860) and close(m["boiler"]["energy"]["out"], 2860)
assert close(m["tiny"]["mass"]["in"], 1000) and close(m["tiny"]["energy"]["in"], 14560)
assert not any(r["mass"]["flagged"] or r["energy"]["flagged"] for r in rows)
b = {x["boundary"]: x for x in d["boundaries"]}
assert close(b["landfill"]["mass_out"], 40) and close(b["supply_market"]["mass_in"], 1000)
assert d["units"] == {"mass": "t", "energy": "GJ"} and d["period"] is None
'
expect 0 "$EIC" balance --db b.db tiny --period 2024 --json
json 'assert d["period"] == "2024"'
expect 2 "$EIC" balance --db b.db tiny --period 1999
grep -q "no period '1999'" err.txt || fail "unknown period: no message"
expect 2 "$EIC" balance --db b.db nosuch

# a package read directly (path or --package): tiny.json is out of balance
expect 0 "$EIC" balance "$PKGS/tiny.json"
grep -Eq "^  process +milling +Milling +1000 +920 +0 +80 +\+8\.0% +!" out.txt || fail "flagged milling row: $(cat out.txt)"
expect 0 "$EIC" balance --package "$PKGS/tiny.json" --json
json '
m = {r["id"]: r for r in d["rows"]}
assert m["milling"]["mass"]["flagged"] and close(m["milling"]["mass"]["rel"], 0.08)
assert close(m["milling"]["mass"]["imbalance"], 80)
'
expect 0 "$EIC" balance "$PKGS/tiny"
expect 2 "$EIC" balance "$PKGS/tiny_invalid"
grep -Eq "^[^:]+:[0-9]+:[0-9]+: error: " err.txt || fail "no diagnostics for an invalid package"

# by material: what crosses the cluster boundary, material by material
expect 0 "$EIC" balance "$PKGS/tiny" --by-material --json
json '
cl = {r["material"]: r for r in d["by_material"] if r["scope"] == "cluster"}
assert set(cl) == {"paddy", "rice", "ash", "flue_gas", "electricity", "heat_loss"}, cl.keys()
assert cl["electricity"]["mass"]["out"] == 0 and cl["electricity"]["energy"]["out"] > 0
assert close(cl["paddy"]["mass"]["in"], 1000) and close(cl["rice"]["mass"]["out"], 780)
assert close(cl["ash"]["mass"]["out"], 40) and close(cl["flue_gas"]["mass"]["out"], 180)
assert all("material" not in r for r in d["rows"])
'
expect 0 "$EIC" balance "$PKGS/tiny" --by-material
grep -q "^Mass balance by material (t)" out.txt || fail "no by-material table: $(cat out.txt)"
expect 0 "$EIC" balance "$PKGS/tiny" --json
json 'assert "by_material" not in d'

cli_end
