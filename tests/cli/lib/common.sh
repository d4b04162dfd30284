# tests/cli/lib/common.sh: helpers shared by the CLI tests (tests/cli/*.sh). Sourced, not a test:
# the CMake glob of tests/cli/*.sh does not descend into this folder.
#
# Use, after `set -u` at the top of a test:
#	. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
#	cli_begin EIC_SOURCE_DIR	# or cli_require ...; skip checks; cli_scratch
#	... expect / run / json / refused ...
#	cli_end
# A test whose helper differs (another json tolerance, another refused) defines its own after
# sourcing this file; the later definition wins.

# cli_require VAR...: EIC, EIC_SCRATCH and each named variable must be set and non-empty, else
# exit 127 naming the variable (as `: "${VAR:?}"` would).
cli_require() {
	local v
	for v in EIC EIC_SCRATCH "$@"; do
		[ -n "${!v:-}" ] || { echo "$0: $v: parameter null or not set" >&2; exit 127; }
	done
}

# cli_scratch: an empty scratch directory $EIC_SCRATCH, made the working directory; no failures yet.
cli_scratch() {
	rm -rf "$EIC_SCRATCH" && mkdir -p "$EIC_SCRATCH" && cd "$EIC_SCRATCH" || exit 1
	failures=0
}

# cli_begin VAR...: cli_require VAR... then cli_scratch.
cli_begin() {
	cli_require "$@"
	cli_scratch
}

# fail MESSAGE: report a failed check on stderr and count it; the test goes on.
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run CMD...: run CMD with stdout in out.txt and stderr in err.txt; its exit status in rc.
run() { "$@" >out.txt 2>err.txt; rc=$?; }

# expect STATUS CMD...: run CMD; a failure (with the start of stderr) unless it exits STATUS.
expect() {
	local want=$1
	shift
	run "$@"
	if [ "$rc" -ne "$want" ]; then
		fail "'$*' exited $rc, expected $want"
		sed 's/^/    stderr: /' err.txt | head -20 >&2
	fi
}

# json PYTHON: run the Python check with d = the JSON of out.txt, json, sys and math imported and
# close(a, b, rel=1e-9) = |a - b| <= rel * max(1, |a|, |b|); a failure if it raises.
json() { python3 -c "import json,sys,math
def close(a, b, rel=1e-9): return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
d = json.load(open('out.txt'))
$1" || fail "JSON check failed: $1"; }

# dump [DB]: a logical SQL dump of the SQLite database DB (default $DB) on stdout, to compare
# the content before and after a command that must not change it.
dump() {
	python3 - "${1:-$DB}" <<'PY'
import sqlite3, sys
for line in sqlite3.connect(sys.argv[1]).iterdump():
    print(line)
PY
}

# refused WHAT CMD...: CMD exits 2, its stderr contains WHAT (a fixed string) and the database
# $DB is unchanged (dumps in before.sql and after.sql).
refused() {
	local what=$1
	shift
	dump >before.sql
	run "$@"
	[ "$rc" -eq 2 ] || fail "'$*' exited $rc, expected 2"
	grep -qF -- "$what" err.txt || fail "'$*': message lacks '$what': $(head -3 err.txt)"
	dump >after.sql
	cmp -s before.sql after.sql || fail "'$*' changed the database"
}

# cli_end: exit 1 with the number of failures if any check failed, else say ok and exit 0.
cli_end() {
	local name=${0##*/}
	if [ "$failures" -ne 0 ]; then
		echo "$name: $failures failure(s)" >&2
		exit 1
	fi
	echo "$name: ok"
	exit 0
}
