#!/usr/bin/env bash
# The malformed-package corpus: every case must be refused by `eic import` with exit status 2,
# print its exact expected diagnostic(s), and leave the database file and its content unchanged.
set -u
corpus="$EIC_SOURCE_DIR/tests/data/malformed"
scratch="$EIC_SCRATCH"
rm -rf "$scratch" && mkdir -p "$scratch"
db="$scratch/eic.db"
cd "$corpus" || exit 1
if ! "$EIC" --db "$db" --quiet import base/ >"$scratch/base.out" 2>&1; then
	echo "FAIL: the valid base package was not imported:"; cat "$scratch/base.out"; exit 1
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 missing (make setup installs it)"; exit 1; }
dump_before=$(sqlite3 "$db" .dump | sha256sum)
file_before=$(sha256sum < "$db")
pass=0; fail=0
for dir in cases/*/; do
	name=$(basename "$dir")
	"$EIC" --db "$db" import "$dir" >"$scratch/out" 2>"$scratch/err"
	rc=$?
	ok=1
	if [ "$rc" -ne 2 ]; then echo "FAIL $name: exit status $rc, expected 2"; ok=0; fi
	while IFS= read -r line; do
		if ! grep -qxF -- "$line" "$scratch/err"; then
			echo "FAIL $name: expected diagnostic not printed:"; echo "  $line"
			echo "  got:"; sed 's/^/    /' "$scratch/err"; ok=0
		fi
	done < "$dir/expected"
	if [ "$(sha256sum < "$db")" != "$file_before" ] || [ "$(sqlite3 "$db" .dump | sha256sum)" != "$dump_before" ]; then
		echo "FAIL $name: the database changed"; ok=0
	fi
	if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "malformed corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -ge 50 ]
