#!/usr/bin/env bash
# output.sh: CLI test of the output rules: --quiet silences information on stderr, no progress
# when stderr is not a terminal, and a failed write to stdout exits 3.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR
PKGS=$EIC_SOURCE_DIR/tests/data/packages

# stderr is a file here: no progress lines; a successful import says nothing on stderr
expect 0 "$EIC" import --db q.db "$PKGS/tiny"
[ -s err.txt ] && fail "import of a clean package wrote to stderr: $(cat err.txt)"
[ -s out.txt ] || fail "import printed nothing on stdout"

# information (an empty database) goes to stderr unless --quiet
expect 0 "$EIC" init --db empty.db
expect 0 "$EIC" list --db empty.db
grep -q "no clusters in empty.db" err.txt || fail "no information on stderr for an empty list"
expect 0 "$EIC" list --db empty.db --quiet
[ -s err.txt ] && fail "--quiet list wrote to stderr: $(cat err.txt)"
expect 0 "$EIC" --quiet list --db empty.db
[ -s err.txt ] && fail "--quiet before the command: stderr not empty"
expect 0 "$EIC" -q list --db empty.db
[ -s err.txt ] && fail "-q: stderr not empty"
# --quiet does not hide errors
expect 2 "$EIC" show --quiet --db q.db nosuch
[ -s err.txt ] || fail "--quiet hid an error"

# progress appears when stderr is a terminal (util-linux script gives a pty), not with --quiet
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1; then
	script -qc "'$EIC' import --db tty.db '$PKGS/tiny' 2>&1 >/dev/null" /dev/null >tty.txt 2>&1
	grep -q "^reading .*tiny" tty.txt || fail "no progress on a terminal: $(cat tty.txt)"
	script -qc "'$EIC' import --quiet --replace --db tty.db '$PKGS/tiny' 2>&1 >/dev/null" /dev/null >tty.txt 2>&1
	grep -q "reading" tty.txt && fail "progress on a terminal despite --quiet"
else
	echo "output.sh: script(1) not available, terminal progress checks skipped" >&2
fi

# stdout that cannot be written: exit 3 with a message
if [ -w /dev/full ]; then
	"$EIC" list --db q.db >/dev/full 2>err.txt
	rc=$?
	[ "$rc" -eq 3 ] || fail "eic list > /dev/full exited $rc, expected 3"
	grep -q "cannot write to standard output" err.txt || fail "no message for a failed write: $(cat err.txt)"
	"$EIC" show --db q.db tiny --json >/dev/full 2>/dev/null
	rc=$?
	[ "$rc" -eq 3 ] || fail "eic show --json > /dev/full exited $rc, expected 3"
	"$EIC" help import >/dev/full 2>/dev/null
	rc=$?
	[ "$rc" -eq 3 ] || fail "eic help import > /dev/full exited $rc, expected 3"
	"$EIC" export --db q.db tiny --json - >/dev/full 2>/dev/null
	rc=$?
	[ "$rc" -eq 3 ] || fail "eic export --json - > /dev/full exited $rc, expected 3"
else
	echo "output.sh: /dev/full not available, write-failure checks skipped" >&2
fi

cli_end
