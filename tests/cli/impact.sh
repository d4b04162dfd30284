#!/usr/bin/env bash
# impact.sh: CLI test of eic impact: every example cluster gives figures for every category;
# the worked examples reproduce the manual (jet dyeing per batch, pulp mill ranking); same seed,
# same intervals; figures per t of product; intervals by actor; activity ranges of changes; bad
# scenario files and references give located errors and exit 2.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
command -v jq >/dev/null || { echo "SKIP: jq not found"; exit 77; }
EX="$EIC_SOURCE_DIR/data/examples"
W="$EIC_SOURCE_DIR/data/worked"
# |a - b| <= tol
near() { jq -en --argjson a "$1" --argjson b "$2" --argjson t "$3" '($a - $b) | fabs <= $t' >/dev/null; }

# Every example: its own scenario file is found, every category has numbers, the intervals
# are ordered, the by-actor rows sum to the cluster.
for x in chachoengsao coconut dambulla finland-kokkola kalundborg maniwa; do
	expect 0 "$EIC" impact "$EX/$x" --json --draws 200 --seed 3
	[ "$rc" -eq 0 ] || continue
	cp out.txt "$x.json"
	jq -e '.derived == false' "$x.json" >/dev/null || fail "$x: scenario file not used"
	for c in ghg energy_recovered energy_used water landfill virgin hazardous cost revenue jobs; do
		jq -e --arg c "$c" '.alternatives[0].categories[$c] | (.bau|type=="number") and
			(.scenario|type=="number") and (.change|type=="number")' "$x.json" >/dev/null ||
			fail "$x: category $c has no numbers"
		jq -e --arg c "$c" '.alternatives[0].categories[$c].change_draws |
			.p05 <= .mean + 1e-9*(.mean|fabs) + 1e-12 and .mean <= .p95 + 1e-9*(.p95|fabs) + 1e-12' \
			"$x.json" >/dev/null || fail "$x: interval of $c not ordered"
		jq -e --arg c "$c" '.alternatives[0] | ([.by_actor[].scenario[$c]] | add // 0) as $s |
			(($s - .categories[$c].scenario) | fabs) <= 1e-6 * ((.categories[$c].scenario|fabs) + 1)' \
			"$x.json" >/dev/null || fail "$x: by-actor $c does not sum to the cluster"
	done
	jq -e '.alternatives[0].factors | length > 0' "$x.json" >/dev/null ||
		[ "$x" = finland-kokkola ] || fail "$x: no factor sources"
	jq -e '.alternatives[0].notes | length > 0' "$x.json" >/dev/null || fail "$x: no notes"
done
# The eco-cluster scenarios change what they should.
jq -e '.alternatives[0].categories.landfill.change == -63000' dambulla.json >/dev/null ||
	fail "dambulla: landfill change is not -63000 t"
jq -e '.alternatives[0].categories.ghg.change < 0 and .alternatives[0].categories.energy_recovered.change > 0' \
	dambulla.json >/dev/null || fail "dambulla: no GHG cut or energy recovered"
jq -e '.alternatives[0].categories.ghg.change < 0 and .alternatives[0].categories.energy_recovered.change > 0' \
	maniwa.json >/dev/null || fail "maniwa: open burning against power and pellets not better"
jq -e '.alternatives[0].categories.ghg.change < 0' chachoengsao.json >/dev/null ||
	fail "chachoengsao: no GHG cut"

# Human output has the table, the by-actor table and the sources.
expect 0 "$EIC" impact "$EX/dambulla" --draws 100
for s in "CATEGORY" "90% INTERVAL OF CHANGE" "Greenhouse gases" "Change by actor" \
	"Factors used" "k/food_waste/tropical_wet"; do
	grep -q "$s" out.txt || fail "dambulla text: no '$s'"
done

# Same seed, same intervals; another seed, other intervals.
"$EIC" impact "$EX/dambulla" --json --draws 300 --seed 9 >a.json 2>/dev/null
"$EIC" impact "$EX/dambulla" --json --draws 300 --seed 9 >b.json 2>/dev/null
"$EIC" impact "$EX/dambulla" --json --draws 300 --seed 10 >c.json 2>/dev/null
cmp -s a.json b.json || fail "same seed gave different output"
cmp -s a.json c.json && fail "another seed gave the same output"

# Jet dyeing per batch (manual lines 1136-1140): savings 500 kg steam, 1397 MJ, 36.6 m3; CO2
# 4.191 and 2.794 GJ x 94.6 kg/GJ = 396.5 and 264.3 kg (the manual's 396 and 264 per batch).
expect 0 "$EIC" impact "$W/jet-dyeing" --json --draws 0
cp out.txt jet.json
near "$(jq '.alternatives[0].flow_changes[] | select(.flow=="jd02") | .change' jet.json)" -500 1e-9 ||
	fail "jet dyeing: steam saving is not 500 kg"
near "$(jq '.alternatives[0].flow_changes[] | select(.flow=="jd01") | .change' jet.json)" -1397 1e-9 ||
	fail "jet dyeing: energy saving is not 1397 MJ"
near "$(jq '.alternatives[0].categories.energy_used.change' jet.json)" -1.397 1e-9 ||
	fail "jet dyeing: energy bought in does not fall by 1.397 GJ"
near "$(jq '.alternatives[0].categories.water.change' jet.json)" -36.6 1e-9 ||
	fail "jet dyeing: water saving is not 36.6 m3"
near "$(jq '.alternatives[0].ghg_by_source[] | select(.source=="combustion" and .gas=="CO2") | .bau' jet.json)" 0.396 0.001 ||
	fail "jet dyeing: conventional CO2 is not 0.396 t"
near "$(jq '.alternatives[0].ghg_by_source[] | select(.source=="combustion" and .gas=="CO2") | .scenario' jet.json)" 0.264 0.001 ||
	fail "jet dyeing: advanced CO2 is not 0.264 t"

# Pulp mill (Table 3a.1): over 15 years at 7%, prevention < dilution < treatment; the treatment
# plant's cumulative cost passes the pipe's in year 9 (32 + 8 x 9 = 104 > 100).
expect 0 "$EIC" impact "$W/pulp-mill" --json --draws 0
cp out.txt pulp.json
order=$(jq -r '[.alternatives[] | {a: .alternative, n: .money_over_time.npv_cost_scenario}] | sort_by(.n) | map(.a) | join(",")' pulp.json)
[ "$order" = "prevention,dilution,treatment" ] || fail "pulp mill ranking is '$order'"
near "$(jq '.alternatives[] | select(.alternative=="treatment") | .money_over_time.npv_cost_scenario' pulp.json)" \
	"$(jq -n '32e6 + 8e6 * (1 - pow(1.07; -15)) / 0.07')" 1 || fail "pulp mill: treatment NPV"
jq -e '.alternatives[] | select(.alternative=="treatment") | .money_over_time.cumulative_cost_scenario |
	.[8] < 100e6 and .[9] > 100e6' pulp.json >/dev/null || fail "pulp mill: crossing year is not 9"

# Bad input: missing flow, unknown key, malformed JSON, other cluster: located, exit 2.
cat >bad1.json <<'JSON'
{"eic_scenario": 1,
 "alternatives": [{"id": "x", "changes": [
   {"reroute": "nope", "to": "boundary:landfill"}]}]}
JSON
expect 2 "$EIC" impact "$EX/dambulla" --scenario bad1.json
grep -q "bad1.json:3:16: error: unknown flow 'nope'" err.txt || fail "bad1: no located error"
printf '{"eic_scenario": 1, "colour": 1, "alternatives": [{"id": "x"}]}' >bad2.json
expect 2 "$EIC" impact "$EX/dambulla" --scenario bad2.json
grep -q "bad2.json:1:21: error: unknown key 'colour'" err.txt || fail "bad2: no located error"
printf '{"eic_scenario": 1, "alternatives": [' >bad3.json
expect 2 "$EIC" impact "$EX/dambulla" --scenario bad3.json
grep -q "bad3.json:1:.*malformed JSON" err.txt || fail "bad3: no malformed JSON error"
expect 2 "$EIC" impact "$EX/coconut" --scenario "$EX/dambulla/scenario.json"
grep -q "scenario is for another cluster" err.txt || fail "other cluster not refused"
expect 2 "$EIC" impact "$EX/dambulla" --gwp AR9
grep -qi "AR9" err.txt || fail "unknown GWP set not named"
expect 2 "$EIC" impact "$EX/dambulla" --climate-zone arctic
grep -q "arctic" err.txt || fail "unknown climate zone not named"
expect 2 "$EIC" impact "$EX/dambulla" --draws many
expect 2 "$EIC" impact "$EX/dambulla" --alternative nope

# Per unit of product (chachoengsao's scenario names milled rice, flow cc02, 48,000 t): every
# figure is the absolute one / 48,000 t; --per cc02 gives the same; --absolute switches it off.
expect 0 "$EIC" impact "$EX/chachoengsao" --json --draws 0 --absolute
cp out.txt cc_abs.json
jq -e '.alternatives[0].per == null' cc_abs.json >/dev/null || fail "--absolute still per unit"
expect 0 "$EIC" impact "$EX/chachoengsao" --json --draws 0 --per cc02
cp out.txt cc_flow.json
jq -e '.alternatives[0].per | .kind == "flow" and .material == "rice_milled" and .bau == 48000' \
	cc_flow.json >/dev/null || fail "--per cc02: reference not 48000 t of rice_milled"
jq -e '.alternatives[0].categories.ghg.unit == "t CO2e per t of rice_milled"' cc_flow.json \
	>/dev/null || fail "--per cc02: unit"
for c in ghg landfill virgin cost jobs; do
	near "$(jq --arg c "$c" '.alternatives[0].categories[$c].change' cc_flow.json)" \
		"$(jq --arg c "$c" '.alternatives[0].categories[$c].change / 48000' cc_abs.json)" 1e-12 ||
		fail "--per cc02: $c change is not the absolute one / 48000"
done
expect 0 "$EIC" impact "$EX/chachoengsao" --json --draws 0
cmp -s <(jq '.alternatives[0].categories' out.txt) <(jq '.alternatives[0].categories' cc_flow.json) ||
	fail "per_material rice_milled in the scenario file differs from --per cc02"
expect 0 "$EIC" impact "$EX/chachoengsao" --draws 100
grep -q "figures per t of rice_milled" out.txt || fail "human output: no reference line"
grep -q "Intervals of the change by actor" out.txt || fail "human output: no by-actor intervals"

# Intervals by actor: for ghg and landfill by default, ordered, around the central change.
jq -e '[.alternatives[0].by_actor[] | select(.scenario.ghg != .bau.ghg) | .change_draws.ghg |
	.p05 <= .p95] | length > 0 and all' dambulla.json >/dev/null || fail "dambulla: no by-actor intervals"
jq -e '[.alternatives[0].by_actor[] | (.scenario.landfill - .bau.landfill) as $c |
	.change_draws.landfill | .p05 <= $c + 1e-6 and $c <= .p95 + 1e-6] | all' dambulla.json \
	>/dev/null || fail "dambulla: by-actor landfill interval misses its central value"
expect 0 "$EIC" impact "$EX/dambulla" --json --draws 50 --actor-intervals cost,jobs
jq -e '.alternatives[0].by_actor[0].change_draws | has("cost") and has("jobs") and (has("ghg") | not)' \
	out.txt >/dev/null || fail "--actor-intervals cost,jobs not honoured"

# An activity range on a change widens the interval of what it drives.
cat >range.json <<'JSON'
{"eic_scenario": 1, "settings": {"climate_zone": "tropical_wet"},
 "alternatives": [{"id": "x", "changes": [
   {"add": "more", "from": "p_trading", "to": "boundary:open_dumping", "material": "market_organic_waste",
    "quantity": 1000, "low": 500, "high": 3000}]}]}
JSON
expect 0 "$EIC" impact "$EX/dambulla" --scenario range.json --json --draws 400
jq -e '.alternatives[0].categories.landfill.change_draws | .p05 >= 500 and .p95 <= 3000 and .p95 - .p05 > 500' \
	out.txt >/dev/null || fail "activity range did not widen the landfill interval"

# Bad references: located or named precisely, exit 2.
expect 2 "$EIC" impact "$EX/chachoengsao" --per nope
grep -q "unknown flow 'nope' for per-unit figures" err.txt || fail "--per nope not named"
printf '{"eic_scenario": 1, "alternatives": [{"id": "x", "changes": [{"set": "cc02", "quantity": 0}]}]}' >zero.json
expect 2 "$EIC" impact "$EX/chachoengsao" --scenario zero.json --per cc02
grep -q "reference flow 'cc02' is 0 t in the scenario case" err.txt || fail "zero reference not refused"
expect 2 "$EIC" impact "$EX/chachoengsao" --per cc02 --per-material rice_milled
expect 2 "$EIC" impact "$EX/chachoengsao" --actor-intervals colour
grep -q "unknown category 'colour'" err.txt || fail "--actor-intervals colour not named"
printf '{"eic_scenario": 1,\n "settings": {"per_flow": "ghost"}, "alternatives": [{"id": "x"}]}' >bad4.json
expect 2 "$EIC" impact "$EX/chachoengsao" --scenario bad4.json
grep -q "bad4.json:2:.*unknown flow 'ghost' in 'per_flow'" err.txt || fail "bad per_flow not located"

# The report of a scenario with several alternatives compares them side by side: the pulp
# mill's three approaches with their net present cost, prevention the cheapest.
expect 0 "$EIC" --db r.db import "$W/pulp-mill"
expect 0 "$EIC" --db r.db report pulp-mill --out pulp.html --deterministic
python3 - pulp.html <<'PY' || fail "pulp-mill report: alternatives table"
import re, sys
html = open(sys.argv[1]).read()
i = html.index("The alternatives side by side")
body = html[i:html.index("</table>", i)]
rows = re.findall(r"<tr><td>([^<]*)</td>(.*?)</tr>", body)
assert len(rows) == 3, rows
npv = {name: float(re.findall(r'<td class="num">([^<]*)</td>', cells)[5].replace(",", ""))
       for name, cells in rows}
assert min(npv, key=npv.get).startswith("prevention"), npv
PY

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "impact: all checks passed"
