#!/usr/bin/env bash
# derive_kokkola_measurements.sh: write data/examples/finland-kokkola/measurements.csv, the
# PRTR releases and waste transfers 2017-2023 of the example's 16 facilities, so that
# `make demo` can show indicators, trends and ratings from real data without ../shared.
# The records are imported by eic's own Finland PRTR reader (src/lib/monitor/registry.c)
# and written back in the measurement CSV format (docs/format.md, "Measurement records"),
# each with its registry file and row in `source`.
# Usage: tools/derive_kokkola_measurements.sh [EIC_BINARY] [REGISTRY_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eic=${1:-$here/build/eic}
reg=${2:-$here/../shared/data/registries/finland-prtr-syke}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ids=0000001375,0000001376,0000001384,0000002610,0000002611,0000003861,0000003903,0000021015,0000024256,0000054039,0100085641,0100186331,0100186333,0100203061,0100303088,0100303137
export EIC_DATA_DIR=$here/data
"$eic" --db "$tmp/k.db" --quiet import "$here/data/examples/finland-kokkola"
"$eic" --db "$tmp/k.db" --quiet measure import finland-kokkola --registry finland-prtr "$reg" \
	--facility "$ids" --years 2017-2023
"$eic" --db "$tmp/k.db" --json measure list finland-kokkola >"$tmp/list.json"
python3 - "$tmp/list.json" "$here/data/examples/finland-kokkola/measurements.csv" <<'PY'
import csv, json, sys
records = json.load(open(sys.argv[1]))["records"]
cols = ["actor", "period", "kind", "subject", "medium", "fate", "fate_code", "counterpart",
        "value", "unit", "method", "reported_by", "verified", "source"]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for r in sorted(records, key=lambda r: (r["actor"], r["kind"], r["subject"] or "",
                                            r.get("medium") or "", r.get("fate") or "",
                                            r.get("counterpart") or "", r["start"])):
        src = "Finland PRTR (SYKE) %s row %d" % (r["source_file"], r["source_row"])
        w.writerow([r["actor"], r["period"], r["kind"], r["subject"] or "",
                    r.get("medium") or "", r.get("fate") or "", r.get("fate_code") or "",
                    r.get("counterpart") or "", repr(r["value"]) if r["value"] != int(r["value"]) else int(r["value"]),
                    r["unit"], r["method"], r["reported_by"],
                    "yes" if r.get("verified") else "no", src])
print("wrote %d records to %s" % (len(records), sys.argv[2]))
PY
