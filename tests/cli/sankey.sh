#!/usr/bin/env bash
# sankey.sh: CLI test of eic sankey: SVG, PNG and PDF files by extension (magic bytes), the
# default path, --json layout (widths proportional to values, 1e-9 relative), --period,
# --energy, reproducible SVG, an empty network, bad usage, and the report section.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
EX=$EIC_SOURCE_DIR/data/examples
PKGS=$EIC_SOURCE_DIR/tests/data/packages
magic() { # FILE HEX: the file starts with these bytes
	[ -s "$1" ] || { fail "$1 missing or empty"; return; }
	[ "$(head -c $((${#2} / 2)) "$1" | od -An -tx1 | tr -d ' \n')" = "$2" ] ||
		fail "$1 does not start with $2"
}
# Local json: close() relative to max(|a|, |b|) only.
json() { python3 -c "import json,sys,math
def close(a, b): return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
d = json.load(open('out.txt'))
$1" || fail "JSON check failed: $1"; }

# Files by extension.
expect 0 "$EIC" sankey "$EX/chachoengsao" --out c.svg
[ "$(cat out.txt)" = "c.svg" ] || fail "path not printed: $(cat out.txt)"
magic c.svg 3c3f786d6c
grep -q "</svg>" c.svg || fail "c.svg is not a whole SVG document"
grep -q "not drawn: not convertible to t" err.txt || fail "omitted flows not listed on stderr"
expect 0 "$EIC" sankey "$EX/chachoengsao" --out c.png --quiet
magic c.png 89504e470d0a1a0a
[ -s err.txt ] && fail "--quiet still wrote to stderr: $(cat err.txt)"
expect 0 "$EIC" sankey "$EX/chachoengsao" -o sub/dir/c.PDF
magic sub/dir/c.PDF 255044462d

# Reproducible SVG.
expect 0 "$EIC" sankey "$EX/chachoengsao" --out c2.svg
cmp -s c.svg c2.svg || fail "two runs gave different SVG"

# Default path out/<cluster-id>/sankey.svg.
expect 0 "$EIC" sankey "$EX/maniwa"
[ "$(cat out.txt)" = "out/maniwa/sankey.svg" ] || fail "default path: $(cat out.txt)"
magic out/maniwa/sankey.svg 3c3f786d6c

# --json: the layout.
expect 0 "$EIC" sankey "$EX/chachoengsao" --json
[ -e out/chachoengsao/sankey.svg ] && fail "--json without --out wrote a file"
json '
assert d["cluster"] == "chachoengsao" and d["unit"] == "t" and d["quantity"] == "mass"
assert d["message"] is None and d["file"] is None
s = d["scale"]
assert s > 0
for k in d["links"]:
    assert k["width"] > 0
    if k["widened"]:
        assert k["value"] * s < d["min_width"] and close(k["width"], d["min_width"])
    else:
        assert close(k["width"], k["value"] * s), k
ret = [k for k in d["links"] if k["return"]]
assert len(ret) >= 1, "the manure/ash cycles give return links"
assert all(len(k["points"]) == 6 for k in ret)
ids = {n["id"]: n for n in d["nodes"]}
assert ids["boundary:supply_market:in"]["x"] < ids["boundary:product_market"]["x"]
assert ids["boundary:open_burning"]["kind"] == "loss"
assert ids["boundary:stock"]["kind"] == "stock"
for a in d["nodes"]:
    for b in d["nodes"]:
        if a is not b and a["layer"] == b["layer"]:
            assert a["y"] + a["h"] <= b["y"] + 1e-6 or b["y"] + b["h"] <= a["y"] + 1e-6, (a["id"], b["id"])
boxes = [n["label_box"] for n in d["nodes"] if n["label_box"]]
for i, p in enumerate(boxes):
    for q in boxes[i + 1:]:
        assert (p[0] + p[2] <= q[0] + 1e-6 or q[0] + q[2] <= p[0] + 1e-6 or
                p[1] + p[3] <= q[1] + 1e-6 or q[1] + q[3] <= p[1] + 1e-6), (p, q)
om = {o["flow"] for o in d["omitted"]}
assert {"cc07", "cc11", "cc12", "cc34"} <= om, om
assert {c["name"] for c in d["classes"]} >= {"water", "biomass"}
'
# --json with --out writes the file too and says so.
expect 0 "$EIC" sankey "$EX/maniwa" --json --out m.svg
json 'assert d["file"] == "m.svg"'
magic m.svg 3c3f786d6c

# --energy and --period.
expect 0 "$EIC" sankey "$EX/maniwa" --energy --json
json '
assert d["unit"] == "GJ" and d["quantity"] == "energy"
assert any(k["material"] == "electricity" for k in d["links"])
'
expect 0 "$EIC" sankey "$EX/kalundborg" --period 2010 --json
json '
assert d["period"] == "2010"
flows = {f for k in d["links"] for f in k["flows"]}
assert flows and all(f in ("ka08", "ka09", "ka22", "ka25") for f in flows), flows
'
expect 2 "$EIC" sankey "$EX/kalundborg" --period 1999
grep -q "no period '1999'" err.txt || fail "unknown period: no message"

# An empty network: an empty-state drawing, a warning, status 0.
mkdir -p empty && cp -r "$PKGS/tiny/." empty/ &&
	python3 - empty <<'PY' || fail "could not make the empty package"
import csv, sys, os
p = os.path.join(sys.argv[1], "flows.csv")
rows = list(csv.reader(open(p)))
with open(p, "w", newline="") as f:
    csv.writer(f).writerow(rows[0])
PY
expect 0 "$EIC" sankey empty --out e.svg
grep -q "Nothing to draw" err.txt || fail "empty network: no warning: $(cat err.txt)"
magic e.svg 3c3f786d6c
expect 0 "$EIC" sankey empty --json
json 'assert d["nodes"] == [] and d["links"] == [] and d["message"].startswith("Nothing to draw")'

# Bad usage.
expect 2 "$EIC" sankey "$EX/maniwa" --out m.gif
grep -q "must end in .svg, .png or .pdf" err.txt || fail "bad extension: no message"
expect 2 "$EIC" sankey
expect 2 "$EIC" sankey "$EX/maniwa" "$EX/coconut"
expect 2 "$EIC" sankey nosuchcluster --db none.db
expect 0 "$EIC" help sankey
grep -q "^## EXIT STATUS" out.txt || fail "no reference page"

# The report embeds one diagram per period with ids that do not clash.
expect 0 "$EIC" report "$EX/kalundborg" --out r.html
python3 - r.html <<'PY' || fail "report: sankey section"
import re, sys
html = open(sys.argv[1]).read()
sec = html[html.index('<section id="sankey">'):]
sec = sec[:sec.index("</section>")]
assert sec.count("<svg") == 2, sec.count("<svg")
assert "<?xml" not in html
ids = re.findall(r' id="([^"]+)"', html)
dup = {i for i in ids if ids.count(i) > 1}
assert not dup, dup
for ref in re.findall(r'href="#([^"]+)"', sec):
    assert ref in ids, ref
assert "Band widths are proportional to mass" in sec
PY

cli_end
