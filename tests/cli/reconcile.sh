#!/usr/bin/env bash
# reconcile.sh: CLI test of eic reconcile on problem files (the STAN example, a gross error,
# unknowns, a nonlinear substance layer, contradictions, an invalid file) and on a package:
# the table, the verdict in plain words and the --json numbers (tolerance 1e-6).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PROBLEMS=$EIC_SOURCE_DIR/tests/data/reconcile
PKGS=$EIC_SOURCE_DIR/tests/data/packages
# Local json: tolerance 1e-6; r = the first result, v = its variables by id.
json() { python3 -c "import json,sys,math
def close(a, b): return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
d = json.load(open('out.txt'))
r = d['results'][0] if d['results'] else None
v = {x['id']: x for x in r['variables']} if r else {}
$1" || fail "JSON check failed: $1"; }

# STAN's help example: both flows move by 5; chi-square 0.5 on 1 degree of freedom
expect 0 "$EIC" reconcile --problem "$PROBLEMS/stan1.json"
grep -Eq "^  import +redundant +100 +10 +95 +7\.07107 +-0\.71" out.txt || fail "import row: $(cat out.txt)"
grep -q "The measurements are consistent with the balances (chi-square 0.50 on 1 degree of freedom, p = 0.48)." out.txt || fail "verdict: $(cat out.txt)"
expect 0 "$EIC" reconcile --problem "$PROBLEMS/stan1.json" --json
json '
assert d["unit"] == "t" and d["cluster"] is None and r["status"] == "ok"
assert close(r["chi2"], 0.5) and r["dof"] == 1 and r["consistent"] and r["tested"]
assert close(v["import"]["value"], 95) and close(v["export"]["value"], 95)
assert close(v["import"]["sd"], 50 ** 0.5) and v["import"]["class"] == "redundant"
'

# a gross error is named in the verdict and flagged with !
expect 0 "$EIC" reconcile --problem "$PROBLEMS/gross_error.json"
grep -q "are not consistent with the balances" out.txt || fail "gross error: no verdict"
grep -q "check f2 first (normalised adjustment -18.6)" out.txt || fail "gross error: f2 not named: $(cat out.txt)"
grep -Eq "^  f2 .* !$" out.txt || fail "f2 not flagged"
expect 0 "$EIC" reconcile --problem "$PROBLEMS/gross_error.json" --json
json '
assert not r["consistent"] and r["worst"] == "f2" and v["f2"]["gross_error"]
assert r["p_value"] < 1e-4 and r["dof"] == 2
'

# unknowns: determinable and undetermined, with the determined combination
expect 0 "$EIC" reconcile --problem "$PROBLEMS/unknowns.json"
grep -Eq "^  gas +determinable" out.txt || fail "gas should be determinable"
grep -q "ash_landfill: ash_landfill + ash_cement = 87.5964 is determined; the split is not" out.txt || fail "no combination: $(cat out.txt)"
expect 0 "$EIC" reconcile --problem "$PROBLEMS/unknowns.json" --json
json '
assert v["ash_cement"]["class"] == "undetermined" and v["ash_cement"]["value"] is None
assert v["stock"]["class"] == "constant"
assert close(v["fuel"]["value"] - v["ash"]["value"], v["gas"]["value"])
assert close(v["ash"]["value"], 0.09 * v["fuel"]["value"])
'

# nonlinear: concentration times flow converges
expect 0 "$EIC" reconcile --problem "$PROBLEMS/substance.json" --json
json '
assert r["status"] == "ok" and r["nonlinear"] and r["iterations"] > 1
assert close(v["c_in"]["value"] * v["m_in"]["value"], v["c_out"]["value"] * v["m_out"]["value"])
assert close(v["s_out"]["value"], v["c_out"]["value"] * v["m_out"]["value"])
'

# contradictions among exact values: diagnosed, exit 0, no NaN
expect 0 "$EIC" reconcile --problem "$PROBLEMS/inconsistent.json"
grep -q "cannot all hold, whatever the measurements" out.txt || fail "no inconsistency verdict"
grep -q "balance of process P cannot hold with the exact values: it is off by 10" out.txt || fail "no note on P: $(cat out.txt)"
grep -q "balance of process empty: no flows (a disconnected node)" out.txt || fail "no note on the disconnected node"
grep -qi "nan" out.txt && fail "NaN in the output"
expect 0 "$EIC" reconcile --problem "$PROBLEMS/inconsistent.json" --json
json 'assert r["status"] == "inconsistent"'

# invalid problem files and usage errors
expect 2 "$EIC" reconcile --problem "$PROBLEMS/invalid.json"
grep -q "negative standard deviation" err.txt || fail "negative sd not reported"
grep -q "unknown variable 'a'" err.txt || fail "unknown variable not reported"
expect 2 "$EIC" reconcile --problem nosuch.json
expect 2 "$EIC" reconcile
expect 2 "$EIC" reconcile x --problem "$PROBLEMS/stan1.json"
expect 2 "$EIC" reconcile --problem "$PROBLEMS/stan1.json" --period 2023
expect 2 "$EIC" reconcile "$PKGS/tiny" --layer volume

# a package: one result per period, exits 0
expect 0 "$EIC" reconcile "$PKGS/tiny" --json
json '
assert d["cluster"] == "tiny" and len(d["results"]) >= 1
for res in d["results"]:
    assert res["status"] in ("ok", "empty", "inconsistent"), res["status"]
    for x in res["variables"]:
        for k in ("value", "sd", "chi2"):
            assert x.get(k) is None or math.isfinite(x[k])
'
expect 0 "$EIC" reconcile "$PKGS/tiny"
grep -q "^Reconciliation of tiny" out.txt || fail "no title for a package"
expect 2 "$EIC" reconcile "$PKGS/tiny" --period 1999
grep -q "no period '1999'" err.txt || fail "unknown period: no message"

cli_end
