#!/usr/bin/env python3
"""Consistency checker for data/synergies.csv (Python 3 standard library only).

Checks what the C loader checks (codes, materials, numbers) and a few things it does not:
the EWC code of a row agrees with the catalogue's EWC of its source material, every
evidence_checked=no row still names a source, and prints the counts quoted in
data/synergies.md. Usage:

    python3 tools/check_synergies.py [data-dir]      # default: data

Exit status 0 when there is no error (warnings allowed), 1 otherwise.
"""
import collections
import csv
import os
import sys


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "data"
    ewc = {r["code"] for r in csv.DictReader(open(os.path.join(data, "classifications", "ewc.csv")))}
    isic = {r["code"] for r in csv.DictReader(open(os.path.join(data, "classifications", "isic4.csv")))}
    mats = {r["id"]: r for r in csv.DictReader(open(os.path.join(data, "materials", "materials.csv")))}
    cats = [m["category"] for m in mats.values()]

    def is_prefix(p):
        return any(c == p or c.startswith(p + "/") for c in cats)

    errors = warnings = 0
    path = os.path.join(data, "synergies.csv")
    rows = list(csv.DictReader(open(path, newline="")))
    ids = set()
    for n, r in enumerate(rows, start=2):
        where = "%s:%d: %s" % (path, n, r["id"])

        def err(msg):
            nonlocal errors
            errors += 1
            print("%s: error: %s" % (where, msg))

        def warn(msg):
            nonlocal warnings
            warnings += 1
            print("%s: warning: %s" % (where, msg))

        if r["id"] in ids:
            err("duplicate id")
        ids.add(r["id"])
        if r["source_ewc"] and r["source_ewc"] not in ewc:
            err("unknown EWC %s" % r["source_ewc"])
        m = r["source_material"]
        if m and m not in mats and not is_prefix(m):
            err("unknown material or category %s" % m)
        if not m and not r["source_ewc"]:
            err("no source")
        if r["use_isic"] not in isic:
            err("unknown ISIC %s" % r["use_isic"])
        if r["replaces_material"] and r["replaces_material"] not in mats:
            err("unknown replaces_material %s" % r["replaces_material"])
        for k in ("yield_value", "yield2_value", "cost_low", "cost_high"):
            if r[k]:
                try:
                    v = float(r[k])
                except ValueError:
                    err("%s not a number" % k)
                    continue
                if k.startswith("yield") and v < 0:
                    err("negative %s" % k)
        if r["cost_low"] and r["cost_high"] and float(r["cost_low"]) > float(r["cost_high"]):
            err("cost_low > cost_high")
        if r["evidence_checked"] not in ("yes", "no"):
            err("evidence_checked must be yes or no")
        if not r["evidence"]:
            err("no evidence")
        # the catalogue's EWC of the source material, when both are given
        if m in mats and mats[m]["ewc"] and r["source_ewc"] and mats[m]["ewc"] != r["source_ewc"]:
            warn("source_ewc %s differs from the catalogue's %s for %s (allowed when the "
                 "row is about another origin of the material)" % (r["source_ewc"], mats[m]["ewc"], m))
        if m in mats and mats[m]["ewc"] and not r["source_ewc"]:
            warn("source_ewc empty although %s has EWC %s in the catalogue" % (m, mats[m]["ewc"]))

    print("rows: %d" % len(rows))
    print("evidence checked: %d yes, %d no" % (
        sum(r["evidence_checked"] == "yes" for r in rows), sum(r["evidence_checked"] == "no" for r in rows)))
    print("evidence type: %s" % dict(collections.Counter(r["evidence_type"] for r in rows)))
    print("rows with a yield: %d (second product: %d); with a cost: %d" % (
        sum(bool(r["yield_value"]) for r in rows), sum(bool(r["yield2_value"]) for r in rows),
        sum(bool(r["cost_low"] or r["cost_high"]) for r in rows)))
    print("by category:")
    for c, k in sorted(collections.Counter(r["category"] for r in rows).items()):
        print("  %-14s %d" % (c, k))
    print("%d error(s), %d warning(s)" % (errors, warnings))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
