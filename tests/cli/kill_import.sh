#!/usr/bin/env bash
# A killed import leaves the database exactly as it was: start importing a large generated
# package, kill -9 the process while it is writing (its WAL growing), then check the content.
set -u
scratch="$EIC_SCRATCH"
rm -rf "$scratch" && mkdir -p "$scratch"
[ -x "${EIC_GEN:-}" ] || { echo "SKIP: package generator not built"; exit 77; }
db="$scratch/eic.db"
"$EIC_GEN" "$scratch/big" 20000 400000 || exit 1
"$EIC" --db "$db" --quiet import "$EIC_SOURCE_DIR/tests/data/malformed/base/" || exit 1
before=$(sqlite3 "$db" .dump | sha256sum)
# A small page cache makes the import write pages to the WAL long before its commit, so the
# kill below lands inside the transaction (with the default 256 MiB cache nothing reaches the
# WAL until COMMIT).
EIC_STORE_CACHE_KIB=1024 "$EIC" --db "$db" --quiet import "$scratch/big" >/dev/null 2>&1 &
pid=$!
killed=0
for _ in $(seq 1 1200); do
	size=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
	if [ "$size" -gt 2000000 ]; then
		kill -9 "$pid" && killed=1
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
wait "$pid" 2>/dev/null
if [ "$killed" -ne 1 ]; then
	echo "FAIL: the import ended before it could be killed mid-write (test inconclusive)"; exit 1
fi
after=$(sqlite3 "$db" .dump | sha256sum)
check=$(sqlite3 "$db" "PRAGMA integrity_check; PRAGMA foreign_key_check;")
if [ "$before" != "$after" ]; then echo "FAIL: database content changed after a killed import"; exit 1; fi
if [ "$check" != "ok" ]; then echo "FAIL: integrity check: $check"; exit 1; fi
clusters=$("$EIC" --db "$db" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["clusters"]))' 2>/dev/null || echo "?")
echo "killed mid-import: database unchanged and intact (clusters listed: $clusters)"
