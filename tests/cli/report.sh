#!/usr/bin/env bash
# report.sh: CLI test of eic report (default path, --out, package input) and eic demo (fresh
# database, a failing example does not stop the others, table of what was written).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PKGS=$EIC_SOURCE_DIR/tests/data/packages
DATA=${EIC_DATA_DIR:-$EIC_SOURCE_DIR/data}

# report from the database, default path out/<id>/report.html
expect 0 "$EIC" import --db r.db "$PKGS/tiny"
expect 0 "$EIC" report --db r.db tiny
[ "$(cat out.txt)" = "out/tiny/report.html" ] || fail "report printed '$(cat out.txt)'"
[ -s out/tiny/report.html ] || fail "no out/tiny/report.html"
grep -qi "<html" out/tiny/report.html || fail "report is not HTML"
grep -q "Tiny rice cluster" out/tiny/report.html || fail "report does not name the cluster"
# --out, from a package, deterministic reruns are identical
expect 0 "$EIC" report "$PKGS/tiny" --out deep/er/r1.html --deterministic
[ "$(cat out.txt)" = "deep/er/r1.html" ] && [ -s deep/er/r1.html ] || fail "report --out"
expect 0 "$EIC" report "$PKGS/tiny" --out deep/er/r2.html --deterministic
cmp -s deep/er/r1.html deep/er/r2.html || fail "deterministic reports differ"
expect 2 "$EIC" report --db r.db nosuch
expect 2 "$EIC" report "$PKGS/tiny_invalid"

# demo on a data folder of our own: tiny is fine, tiny_invalid fails but does not stop it
mkdir -p data/examples
for d in "$DATA"/*; do
	case "$(basename "$d")" in examples | worked) ;; *) ln -s "$d" data/ ;; esac
done
cp -r "$PKGS/tiny" data/examples/a_tiny
cp -r "$PKGS/tiny_invalid" data/examples/b_broken
cp -r "$PKGS/tiny_warn" data/examples/c_warn
mkdir -p data/examples/not_an_example
mkdir -p demo && echo "stale" >demo/eic.db
EIC_DATA_DIR=$PWD/data expect 2 "$EIC" demo --out demo
grep -Eq "^  tiny +2 +7 +demo/tiny/report.html" out.txt || fail "demo table: $(cat out.txt)"
grep -Eq "^  tiny_warn +2 +7 +demo/tiny_warn/report.html" out.txt || fail "demo did not go on after a failure"
grep -q "xdg-open demo/tiny/report.html" out.txt || fail "demo does not say how to open a report"
grep -q "1 of 3 examples failed" err.txt || fail "demo failure summary: $(cat err.txt)"
[ -s demo/tiny/report.html ] && [ -s demo/tiny_warn/report.html ] || fail "demo reports missing"
expect 0 "$EIC" list --db demo/eic.db --json
python3 -c 'import json; d=json.load(open("out.txt")); assert [c["id"] for c in d["clusters"]] == ["tiny", "tiny_warn"]' ||
	fail "demo database content: $(cat out.txt)"
# fresh database each time, and --db puts it elsewhere
rm -rf data/examples/b_broken
EIC_DATA_DIR=$PWD/data expect 0 "$EIC" demo --out demo --db demo2.db
[ -f demo2.db ] || fail "demo --db ignored"
EIC_DATA_DIR=$PWD/data expect 0 "$EIC" demo --out demo
EIC_DATA_DIR=$PWD/empty expect 3 "$EIC" demo --out demo3

# the shipped examples, when there are any
if ls "$DATA"/examples/*/cluster.json >/dev/null 2>&1; then
	expect 0 "$EIC" demo --out shipped
	# one report per example and per worked example that is a package
	n=$(ls -d "$DATA"/examples/*/cluster.json "$DATA"/worked/*/cluster.json 2>/dev/null | wc -l)
	[ "$(ls shipped/*/report.html | wc -l)" -eq "$n" ] || fail "demo wrote $(ls shipped/*/report.html | wc -l) reports for $n examples"
else
	echo "report.sh: no examples in $DATA/examples yet; shipped demo not run" >&2
fi

cli_end
