#!/usr/bin/env bash
# invalid.sh: CLI test that an invalid package is refused (exit 2, diagnostics as
# file:line:column: error: message) and leaves the database byte-identical.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PKGS=$EIC_SOURCE_DIR/tests/data/packages
have_sqlite3=0
command -v sqlite3 >/dev/null && have_sqlite3=1
snapshot() { # files and SQL content of the database
	sha256sum db.sqlite* >"$1.sha"
	if [ "$have_sqlite3" -eq 1 ]; then sqlite3 db.sqlite .dump >"$1.sql"; else : >"$1.sql"; fi
}

# No database yet: an invalid import does not create one.
expect 2 "$EIC" import --db db.sqlite "$PKGS/tiny_invalid"
[ -e db.sqlite ] && fail "an invalid import created the database"
grep -Eq "^[^:]+/flows\.csv:[0-9]+:[0-9]+: error: .+" err.txt || fail "no flows.csv diagnostic: $(cat err.txt)"
grep -Eq "^[^:]+/actors\.csv:[0-9]+:[0-9]+: error: .+" err.txt || fail "no actors.csv diagnostic"
grep -q "tiny_invalid: invalid package" err.txt || fail "no summary of the invalid package"
grep -q "nothing imported" err.txt || fail "no 'nothing imported' message"
[ -s out.txt ] && fail "an invalid import wrote to stdout: $(cat out.txt)"
# every diagnostic line has the file:line:column form
grep -E ": (error|warning): " err.txt | grep -Ev "^(eic import: )|^[^:]+:[0-9]+:[0-9]+: (error|warning): " &&
	fail "diagnostics not in file:line:column form"

# With a database holding a cluster: byte-identical after the refused import.
expect 0 "$EIC" import --db db.sqlite "$PKGS/tiny"
snapshot before
expect 2 "$EIC" import --db db.sqlite "$PKGS/tiny_invalid"
snapshot after
cmp -s before.sha after.sha || fail "database files changed after an invalid import"
cmp -s before.sql after.sql || fail "database content changed after an invalid import"
# a valid package listed with an invalid one is not stored either
expect 2 "$EIC" import --db db.sqlite "$PKGS/tiny.json" "$PKGS/tiny_invalid"
snapshot after2
cmp -s before.sha after2.sha || fail "database files changed (valid + invalid import)"
cmp -s before.sql after2.sql || fail "database content changed (valid + invalid import)"
expect 0 "$EIC" list --db db.sqlite --json
python3 -c 'import json; d=json.load(open("out.txt")); assert [c["id"] for c in d["clusters"]] == ["tiny"]' ||
	fail "the database holds other clusters than tiny"
# a missing package is bad input too
expect 2 "$EIC" import --db db.sqlite does-not-exist
grep -q "does-not-exist: No such file" err.txt || fail "no message for a missing package"
# --strict refuses a package with warnings; without it the package is stored
expect 2 "$EIC" import --db db.sqlite --strict "$PKGS/tiny_warn"
grep -q "warning" err.txt || fail "--strict: no warning printed"
expect 0 "$EIC" import --db db.sqlite "$PKGS/tiny_warn"
grep -Eq "^[^:]+:[0-9]+:[0-9]+: warning: " err.txt || fail "warnings not printed on import"
# a corrupt database is a system error (3)
printf 'this is not a database, just text that is long enough to be read as a header\n' >bad.db
expect 3 "$EIC" list --db bad.db

cli_end
