#!/usr/bin/env bash
# validate.sh: CLI test of eic validate: exit 0 (valid, warnings allowed), 1 (errors, or
# warnings with --strict), 2 (missing package), the summary line and the --json shape.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PKGS=$EIC_SOURCE_DIR/tests/data/packages
shape='
assert set(d) >= {"valid", "errors", "warnings", "diagnostics"}, d.keys()
assert isinstance(d["valid"], bool) and isinstance(d["errors"], int) and isinstance(d["warnings"], int)
for x in d["diagnostics"]:
    assert set(x) == {"severity", "file", "line", "column", "message"}, x
    assert x["severity"] in ("error", "warning", "note")
    assert isinstance(x["line"], int) and isinstance(x["column"], int) and isinstance(x["message"], str)
assert d["errors"] == sum(1 for x in d["diagnostics"] if x["severity"] == "error") or d["truncated"]
assert d["warnings"] == sum(1 for x in d["diagnostics"] if x["severity"] == "warning")
'

expect 0 "$EIC" validate "$PKGS/tiny"
[ "$(tail -1 out.txt)" = "0 errors, 0 warnings" ] || fail "tiny summary: $(cat out.txt)"
expect 0 "$EIC" validate --json "$PKGS/tiny"
json "$shape"
json 'assert d["valid"] is True and d["errors"] == 0 and d["warnings"] == 0 and d["diagnostics"] == []'

expect 1 "$EIC" validate "$PKGS/tiny_invalid"
grep -Eq "^[0-9]+ errors?, [0-9]+ warnings?" <(tail -1 out.txt) || fail "summary line: $(tail -1 out.txt)"
grep -Eq "^[^:]+/flows\.csv:[0-9]+:[0-9]+: error: .+" out.txt || fail "no flows.csv diagnostic on stdout"
expect 1 "$EIC" validate "$PKGS/tiny_invalid" --json
json "$shape"
json 'assert d["valid"] is False and d["errors"] >= 4'
json 'assert any(x["file"].endswith("flows.csv") and x["line"] == 2 for x in d["diagnostics"])'

# warnings only: valid, exit 0; --strict makes it 1
expect 0 "$EIC" validate "$PKGS/tiny_warn"
grep -Eq "^0 errors, [1-9][0-9]* warnings?$" <(tail -1 out.txt) || fail "tiny_warn summary: $(tail -1 out.txt)"
expect 1 "$EIC" validate --strict "$PKGS/tiny_warn"
expect 0 "$EIC" --json validate "$PKGS/tiny_warn"
json "$shape"
json 'assert d["valid"] is True and d["warnings"] >= 1'
expect 1 "$EIC" validate --strict --json "$PKGS/tiny_warn"
json 'assert d["valid"] is False'

# several packages: one summary per package, exit 1 if any has errors
expect 1 "$EIC" validate "$PKGS/tiny" "$PKGS/tiny_invalid"
grep -q "tiny: 0 errors, 0 warnings" out.txt || fail "per-package summary: $(cat out.txt)"
expect 1 "$EIC" validate --json "$PKGS/tiny" "$PKGS/tiny_invalid"
json "$shape"

# the JSON document form
expect 0 "$EIC" validate "$PKGS/tiny.json"

# a missing package: bad input
expect 2 "$EIC" validate nosuch
grep -q "nosuch: No such file" err.txt || fail "no message for a missing package"

# more than 1000 errors: the list is capped and the summary says so
mkdir -p many
cp "$PKGS/tiny/cluster.json" "$PKGS/tiny/processes.csv" "$PKGS/tiny/materials.csv" many/
{
	echo "id,kind,name"
	for i in $(seq 1 1100); do echo "a$i,nosuchkind,Actor $i"; done
} >many/actors.csv
expect 1 "$EIC" validate many
grep -q "only the first 1000 errors are listed" out.txt || fail "no note about the cap: $(tail -1 out.txt)"
expect 1 "$EIC" validate many --json
json 'assert d["truncated"] is True and d["errors"] >= 1100 and sum(1 for x in d["diagnostics"] if x["severity"] == "error") <= 1000'

cli_end
