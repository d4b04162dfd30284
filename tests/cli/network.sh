#!/usr/bin/env bash
# network.sh: CLI test of eic network: SCOR files (reference models, a hand-checked cycle,
# malformed files with located errors, an empty network), example clusters, JSON keys with
# enaR's names, null with a reason instead of NaN, usage errors.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
# Local json: NaN and Infinity refused; close() with an absolute tolerance, None not close.
json() { python3 -c "import json,sys,math
def close(a, b, tol=1e-6): return a is not None and abs(a - b) <= tol
text = open('out.txt').read()
assert 'NaN' not in text and 'Infinity' not in text, 'NaN in the output'
d = json.loads(text)
$1" || fail "JSON check failed: $1"; }

KEYS="TST TSTp APL FCI BFI DFI IFI lam1A C LD n L no.scc ASC CAP ASC.CAP C.nn1"

# The two-node cycle of the reference README: TST 25, FCI 1/3, lam1A 1.
cat >two.scor <<'SCOR'
two-node cycle
 2 2
one
two
 -1
 1 10
 -1
 1 5
 2 5
 -1
 -1
 1 2 10
 2 1 5
 -1
SCOR
expect 0 "$EIC" network --json --scor two.scor
json "
for k in '$KEYS'.split(): assert k in d, k
assert close(d['TST'], 25) and close(d['FCI'], 1/3) and close(d['lam1A'], 1)
assert close(d['C'], 0.5) and close(d['C.nn1'], 1) and d['balanced'] is True
assert d['undefined'] == {} and d['log_base'] == 2 and 'L/n^2' in d['connectance']"
expect 0 "$EIC" network two.scor
grep -q "^  FCI  *0.3333333" out.txt || fail "table: no FCI row: $(cat out.txt)"
grep -q "C = L/n^2" out.txt || fail "table: connectance convention not named"

# Reference models from the shared folder (skipped when absent).
ENA=${EIC_SHARED_DIR:-/nonexistent}/data/reference/ena
if [ -f "$ENA/oyster.scor" ]; then
	expect 0 "$EIC" --json network --scor "$ENA/oyster.scor"
	json "assert abs(d['TST'] - 83.58) < 0.005 and abs(d['FCI'] - 0.110) < 0.0005
assert close(d['FCI'], 0.1101686, 1e-7) and close(d['ASC.CAP'], 0.4407191, 1e-7)"
fi

# Malformed SCOR: every problem located, exit 2, nothing on stdout.
printf 'bad\n 2 2\na\nb\n 1 x\n 3 1\n -1\n -1\n -1\n -1\n -1\n' >bad.scor
expect 2 "$EIC" network --scor bad.scor
grep -q "^bad.scor:5:4: error: expected a value (a number >= 0), found 'x'" err.txt ||
	fail "no located error for a bad value: $(cat err.txt)"
grep -q "^bad.scor:6:2: error: expected a compartment number from 1 to 2, found '3'" err.txt ||
	fail "no located error for a bad compartment"
[ -s out.txt ] && fail "a bad SCOR file wrote to stdout"
expect 2 "$EIC" network --scor missing.scor
printf 'cut\n 2 2\na\n' >cut.scor
expect 2 "$EIC" network cut.scor
grep -q "cut.scor:4:1: error: expected the name of compartment 2 of 2, found the end of the file" err.txt ||
	fail "no located error for a truncated file: $(cat err.txt)"

# Empty network and a network without input: null with a reason, never NaN.
printf 'empty\n 0 0\n -1\n -1\n -1\n -1\n -1\n' >empty.scor
expect 0 "$EIC" network --json --scor empty.scor
json "assert d['n'] == 0 and d['APL'] is None and d['FCI'] is None
assert 'empty' in d['undefined']['APL']"
printf 'closed\n 2 2\na\nb\n -1\n -1\n 1 1\n -1\n -1\n 1 2 5\n 2 1 5\n -1\n' >closed.scor
expect 0 "$EIC" network --json --scor closed.scor
json "assert d['APL'] is None and 'no input' in d['undefined']['APL']
assert d['FCI'] is None and 'singular' in d['undefined']['FCI'] and close(d['TST'], 10)"
expect 0 "$EIC" network --scor closed.scor
grep -q "^Undefined indices" out.txt || fail "table: undefined indices not listed"

# Example clusters (packages read directly): every key present, no NaN.
for pkg in maniwa kalundborg coconut; do
	expect 0 "$EIC" network --json "$EIC_SOURCE_DIR/data/examples/$pkg"
	json "
for k in '$KEYS'.split(): assert k in d, k
assert d['unit'] == 't' and d['n'] >= 2 and d['TST'] > 0"
done
expect 0 "$EIC" network "$EIC_SOURCE_DIR/data/examples/kalundborg"
grep -q "^  TST " out.txt || fail "cluster table has no TST row"

# Usage errors.
expect 2 "$EIC" network
expect 2 "$EIC" network x --scor two.scor
expect 2 "$EIC" network --scor two.scor --period 2020
expect 2 "$EIC" network "$EIC_SOURCE_DIR/data/examples/maniwa" --period 1900
grep -q "no period '1900'" err.txt || fail "unknown period: no message"
expect 0 "$EIC" help network
grep -q "^## EXIT STATUS" out.txt || fail "no reference page"

cli_end
