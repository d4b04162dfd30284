#!/bin/bash
# factors.sh: `eic factors`: listing, filters, --unchecked, --json, a package's own factor table
# (override and added rows marked), and bad input (a broken table, a bad --package).
set -u
: "${EIC:?}" "${EIC_SCRATCH:?}"
rm -rf "$EIC_SCRATCH" && mkdir -p "$EIC_SCRATCH" || exit 3
cd "$EIC_SCRATCH" || exit 3
fail() { echo "FAIL: $*" >&2; exit 1; }

"$EIC" factors > all.txt 2> all.err || fail "plain listing exited $?"
head -1 all.txt | grep -q '^PARAMETER  *KEY  *VALUE  *UNIT  *RANGE  *CHECKED  *SOURCE' || fail "header: $(head -1 all.txt)"
grep -q '^EF_grid  *india  *0.713' all.txt || fail "india grid row missing"
grep -q 'not yet checked' all.err || fail "summary line missing"

"$EIC" factors --parameter EF_tkm > tkm.txt || fail "--parameter exited $?"
[ "$(tail -n +2 tkm.txt | grep -cv '^EF_tkm ')" = 0 ] || fail "--parameter let other rows through"
[ "$(tail -n +2 tkm.txt | wc -l)" -ge 7 ] || fail "too few transport rows"

"$EIC" factors --key rice_husk --unchecked --json > unchecked.json || fail "--json exited $?"
python3 - unchecked.json <<'PY' || fail "unchecked JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["count"] > 0 and d["count"] == len(d["factors"]) == d["unchecked"], d["count"]
for f in d["factors"]:
    assert "rice_husk" in f["key"] and f["checked"] is False and f["source"], f
    assert f["origin"] == "default"
PY

mkdir pkg || exit 3
cat > pkg/factors.csv <<'CSV'
parameter,key,value,unit,source,checked
EF_grid,india,0.82,kg CO2/kWh,CEA CO2 Baseline Database (combined margin),no
EF_grid,my_island,0.9,kg CO2e/kWh,utility disclosure 2025,yes
CSV
"$EIC" factors --package pkg --parameter EF_grid > pkg.txt || fail "--package exited $?"
head -1 pkg.txt | grep -q 'FROM$' || fail "FROM column missing"
grep -q '^EF_grid  *india  *0.82 .*override$' pkg.txt || fail "override not marked: $(grep india pkg.txt)"
grep -q '^EF_grid  *my_island .*added$' pkg.txt || fail "added row not marked"
grep -q '^EF_grid  *denmark .*default$' pkg.txt || fail "default row not marked"
"$EIC" factors --package pkg --key my_island --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["package_table"].endswith("pkg/factors.csv"), d["package_table"]
assert [f["origin"] for f in d["factors"]] == ["added"], d' || fail "package JSON"

# a package without a table: the defaults and a note
mkdir empty || exit 3
"$EIC" factors --package empty --key india > empty.txt 2> empty.err || fail "empty package exited $?"
grep -q 'default$' empty.txt || fail "empty package should show defaults"
grep -q 'has no' empty.err || fail "no note for a package without a table"

# bad input: a broken table is located and exits 2; a bad --package is a usage error
printf 'parameter,key,value,unit,source,checked\nEF_grid,india,lots,kg,x,no\n' > pkg/factors.csv
"$EIC" factors --package pkg > /dev/null 2> bad.err
[ $? = 2 ] || fail "broken table should exit 2"
grep -q 'pkg/factors.csv:2:15: error: value' bad.err || fail "location: $(cat bad.err)"
"$EIC" factors --package no_such_pkg > /dev/null 2>&1
[ $? = 2 ] || fail "missing package should exit 2"
"$EIC" factors --bogus > /dev/null 2>&1
[ $? = 2 ] || fail "unknown option should exit 2"
"$EIC" help factors | grep -q '^## SYNOPSIS' || fail "help page"
exit 0
