#!/usr/bin/env bash
# synergy.sh: CLI test of eic synergy: the whole lifecycle on the Chachoengsao example (match,
# add from the match, status changes, two periods recorded, list and show JSON, the report
# section) and refused input, each leaving the database exactly as it was.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
export EIC_DATA_DIR=${EIC_DATA_DIR:-$EIC_SOURCE_DIR/data}
EX=$EIC_SOURCE_DIR/data/examples
DB=t.db
json() { python3 -c "import json,sys
text = open('out.txt').read()
assert 'NaN' not in text, 'NaN in the output'
d = json.loads(text)
$1" || fail "JSON check failed: $1"; }
# Local variants: json rejects NaN; refused WHAT ARGS... runs eic --db $DB ARGS, WHAT a regex.
refused() {
	local what=$1
	shift
	dump >before.sql
	expect 2 "$EIC" --db "$DB" "$@"
	grep -q -- "$what" err.txt || fail "'$*': message lacks '$what': $(cat err.txt)"
	dump >after.sql
	cmp -s before.sql after.sql || fail "'$*' changed the database"
}

S="$EIC --db $DB synergy"
expect 0 "$EIC" --db "$DB" import "$EX/chachoengsao"

# Match, then save candidate 2 (rice husk to power) from it: the stored origin is that line.
expect 0 "$EIC" --db "$DB" match chachoengsao --json
cp out.txt match.json
expect 0 $S add chachoengsao --from-match 2 --date 2024-01-15 --note "cluster meeting" --json
json "
m = json.load(open('match.json'))['candidates'][1]
assert d['id'] == 'S1' and d['origin'] == 'match' and d['status'] == 'idea'
assert d['match']['rank'] == 2 and abs(d['match']['score'] - m['score']) < 1e-9
assert d['match']['explanation'] == m['explanation']
assert d['from_actor'] == m['a']['actor'] == 'rice_mills' and d['to_actor'] == m['b']['actor']
assert d['material'] == 'rice_husk' and d['unit'] == 't/yr'
assert d['history'][0]['date'] == '2024-01-15' and d['history'][0]['note'] == 'cluster meeting'"

# Status changes, then two quarters realised.
expect 0 $S status chachoengsao S1 under_study --date 2024-02-01 --who facilitator
grep -q "now under_study since 2024-02-01" out.txt || fail "status: $(cat out.txt)"
expect 0 $S status chachoengsao S1 agreed --date 2024-04-10 --note "contract signed"
expect 0 $S status chachoengsao S1 operating --date 2024-07-01
expect 0 $S record chachoengsao S1 --period 2024-Q3 --quantity 2600 --note weighbridge
expect 0 $S record chachoengsao S1 --period 2024-Q4 --quantity 2.9e3
# An explicit synergy beside it.
expect 0 $S add chachoengsao --from piggeries --to poultry --material pig_manure --mode joint \
	--quantity 1500 --date 2024-03-01
grep -q "Saved synergy S2" out.txt || fail "explicit add: $(cat out.txt)"

expect 0 $S show chachoengsao S1 --json
json "
assert d['status'] == 'operating' and d['status_date'] == '2024-07-01'
assert [h['status'] for h in d['history']] == ['idea', 'under_study', 'agreed', 'operating']
assert d['history'][2]['note'] == 'contract signed' and d['history'][1]['who'] == 'facilitator'
r = d['realised']
assert [x['period'] for x in r] == ['2024-Q3', '2024-Q4']
assert r[0]['start'] == '2024-07-01' and r[1]['end'] == '2024-12-31'
assert abs(r[0]['quantity'] - 2600) < 1e-9 and abs(r[1]['quantity'] - 2900) < 1e-9
assert r[0]['unit'] == 't' and r[0]['note'] == 'weighbridge'"
expect 0 $S show chachoengsao S1
grep -q "Status history" out.txt || fail "show text: $(head -5 out.txt)"
expect 0 $S list chachoengsao --json
json "
assert d['cluster'] == 'chachoengsao' and [s['id'] for s in d['synergies']] == ['S1', 'S2']
assert d['synergies'][1]['origin'] == 'manual' and d['synergies'][1]['match'] is None
assert d['synergies'][1]['mode'] == 'joint'"
expect 0 $S list chachoengsao --status operating --json
json "assert [s['id'] for s in d['synergies']] == ['S1']"
expect 0 $S list chachoengsao
grep -q "S2  idea" out.txt || fail "list text: $(cat out.txt)"

# The report shows the section with both synergies and a bar per period.
expect 0 "$EIC" --db "$DB" report chachoengsao --out report.html
python3 - <<'PY' || fail "report section"
s = open('report.html').read()
i = s.index('id="tracked-synergies"')
sec = s[i:s.index('</section>', i)]
assert 'Tracked synergies' in sec and 'S1' in sec and 'S2' in sec
assert 'operating' in sec and '2024-Q3: 2,600 t' in sec
assert sec.count('<rect') == 2, sec.count('<rect')
PY
# Without a database the section says how to start.
expect 0 "$EIC" report "$EX/chachoengsao" --out nodb.html
grep -q "eic synergy add" nodb.html || fail "report without a database: no hint"

# Refused input: precise message, exit 2, database unchanged.
refused "is not a status" synergy status chachoengsao S1 finished
refused "before the current status" synergy status chachoengsao S1 stopped --date 2024-06-30
refused "no synergy 'S9'" synergy status chachoengsao S9 agreed --date 2025-01-01
refused "no synergy 'S9'" synergy record chachoengsao S9 --period 2024 --quantity 1
refused "actor 'nobody' is not in cluster" synergy add chachoengsao --from nobody --to poultry \
	--material pig_manure
refused "material 'gold' is not in cluster" synergy add chachoengsao --from piggeries \
	--to poultry --material gold
refused "no cluster 'nowhere'" synergy add nowhere --from piggeries --to poultry \
	--material pig_manure
refused "already operating" synergy status chachoengsao S1 operating --date 2025-01-01
refused "needs an explicit reopen" synergy status chachoengsao S1 idea --date 2025-01-01
refused "already has a realised quantity" synergy record chachoengsao S1 --period 2024-Q3 \
	--quantity 5
refused "never operated" synergy record chachoengsao S2 --period 2024 --quantity 5
refused "is not a period" synergy record chachoengsao S1 --period spring --quantity 5
refused "does not measure" synergy record chachoengsao S1 --period 2025 --quantity 5 --unit GJ
refused "gives 29 candidates\|candidates" synergy add chachoengsao --from-match 999
refused "not a subcommand" synergy frobnicate chachoengsao
refused "expects a number" synergy record chachoengsao S1 --period 2025 --quantity lots
refused "not a calendar date" synergy status chachoengsao S1 stopped --date 2025-02-30

# Stopped is final unless reopened.
expect 0 $S status chachoengsao S1 stopped --date 2025-01-31 --note "power plant closed"
refused "stopped is final" synergy status chachoengsao S1 operating --date 2025-03-01
expect 0 $S status chachoengsao S1 operating --date 2025-03-01 --reopen
# Delete.
expect 0 $S delete chachoengsao S2
refused "no synergy 'S2'" synergy show chachoengsao S2
expect 0 "$EIC" help synergy
grep -q "^## EXIT STATUS" out.txt || fail "no reference page"

cli_end
