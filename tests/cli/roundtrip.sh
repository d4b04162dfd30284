#!/usr/bin/env bash
# roundtrip.sh: CLI test of init, import, list, show and export on tests/data/packages/tiny:
# the export imports back to the same cluster and exporting twice gives identical files.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PKGS=$EIC_SOURCE_DIR/tests/data/packages

# init: creates the file, prints path and schema version; a second run is harmless.
expect 0 "$EIC" init --db a.db
[ -f a.db ] || fail "init did not create a.db"
grep -q "^a.db: eic database, schema version [0-9]" out.txt || fail "init output: $(cat out.txt)"
expect 0 "$EIC" --db a.db init --json
json 'assert d["db"] == "a.db" and d["schema_version"] >= 1'

# list on an empty database: header only.
expect 0 "$EIC" list --db a.db
head -1 out.txt | grep -q "^ID  *NAME  *COUNTRY  *ACTORS  *FLOWS  *PERIODS  *IMPORTED" || fail "list header: $(cat out.txt)"
[ "$(wc -l <out.txt)" -eq 1 ] || fail "empty list printed rows"

# import
expect 0 "$EIC" import --db a.db "$PKGS/tiny"
grep -q "^imported tiny into a.db (2 actors, 2 processes, 7 flows)" out.txt || fail "import output: $(cat out.txt)"
expect 0 "$EIC" import --db a.db "$PKGS/tiny.json" --json
json 'assert d["imported"][0]["cluster"] == "tiny_json" and d["imported"][0]["flows"] == 4'

# importing the same id again needs --replace
expect 2 "$EIC" import --db a.db "$PKGS/tiny"
grep -q "already in a.db (use --replace" err.txt || fail "no message for an existing cluster"
expect 0 "$EIC" import --db a.db --replace "$PKGS/tiny"

# list
expect 0 "$EIC" list --db a.db
[ "$(wc -l <out.txt)" -eq 3 ] || fail "list should have a header and 2 rows: $(cat out.txt)"
grep -Eq "^tiny +Tiny rice cluster +TH +2 +7 +1 " out.txt || fail "list row of tiny: $(cat out.txt)"
grep -Eq "^tiny_json +" out.txt || fail "list has no tiny_json"
expect 0 "$EIC" list --db a.db --json
json 'c = d["clusters"]; assert [x["id"] for x in c] == ["tiny", "tiny_json"]; assert c[0]["actors"] == 2 and c[0]["flows"] == 7 and c[0]["country"] == "TH"'

# show
expect 0 "$EIC" show --db a.db tiny
grep -q "^Tiny rice cluster (tiny)" out.txt || fail "show title"
grep -Eq "^  2024 +2024-01-01 +2024-12-31 +366 +calendar 2024" out.txt || fail "show periods: $(cat out.txt)"
grep -Eq "^  mill +firm +Rice mill +1061 +40 +14.3500 +100.5600" out.txt || fail "show actors"
grep -Eq "^  flows +7" out.txt || fail "show counts"
expect 0 "$EIC" show --db a.db tiny --json
json 'assert d["id"] == "tiny" and d["counts"]["flows"] == 7 and len(d["actors"]) == 2 and d["periods"][0]["id"] == "2024" and d["units"]["mass"] == "t"'
expect 2 "$EIC" show --db a.db nosuch
grep -q "no cluster 'nosuch' in a.db" err.txt || fail "show of an unknown cluster: no message"
expect 2 "$EIC" show --db missing.db tiny
grep -q "no database at missing.db" err.txt || fail "show without database: no message"
[ -e missing.db ] && fail "show created missing.db"
# a package path is read directly
expect 0 "$EIC" show "$PKGS/tiny"
grep -q "^Tiny rice cluster (tiny)" out.txt || fail "show of a package"

# export to a folder and to JSON, import back, export again: identical
expect 0 "$EIC" export --db a.db tiny --out exp1
[ -f exp1/cluster.json ] && [ -f exp1/actors.csv ] && [ -f exp1/flows.csv ] || fail "export --out wrote no package"
expect 0 "$EIC" export --db a.db tiny --json exp1.json
expect 0 "$EIC" export --db a.db tiny --json -
json 'assert d["id"] == "tiny" and len(d["flows"]) == 7 and len(d["actors"]) == 2'
cmp -s out.txt exp1.json || fail "export --json - differs from export --json FILE"
expect 0 "$EIC" import --db b.db exp1
expect 0 "$EIC" export --db b.db tiny --out exp2
diff -r exp1 exp2 >/dev/null || fail "folder export -> import -> export is not identical"
expect 0 "$EIC" export --db b.db tiny --json exp2.json
cmp -s exp1.json exp2.json || fail "JSON export -> import -> export is not identical"
expect 0 "$EIC" import --db c.db exp1.json
expect 0 "$EIC" export --db c.db tiny --json exp3.json
cmp -s exp1.json exp3.json || fail "JSON export -> import (JSON) -> export is not identical"
expect 0 "$EIC" export --db a.db tiny --out exp1
diff -r exp1 exp2 >/dev/null || fail "exporting twice is not byte-identical"
expect 2 "$EIC" export --db a.db nosuch --out x
[ -e x ] && fail "export of an unknown cluster created its folder"

cli_end
