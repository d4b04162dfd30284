#!/usr/bin/env bash
# usage.sh: CLI test of usage errors (exit 2 with a message), the command list, the reference
# page of every command (eic help CMD and eic CMD --help), the short usage and eic version.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
cli_begin EIC_SOURCE_DIR

COMMANDS="init import export validate list show balance reconcile sankey network finance match report demo help version"

# No command, unknown command, unknown options: exit 2 and say why on stderr.
expect 2 "$EIC"
grep -q "no command" err.txt || fail "no message for a missing command"
expect 2 "$EIC" frobnicate
grep -q "'frobnicate' is not an eic command" err.txt || fail "no message for an unknown command"
expect 2 "$EIC" --bogus list
grep -q "unknown option '--bogus'" err.txt || fail "no message for an unknown global option"
expect 2 "$EIC" list --bogus
grep -q "unknown option '--bogus'" err.txt || fail "no message for an unknown command option"
grep -q "^usage: eic list" err.txt || fail "no usage after a usage error"
[ -s out.txt ] && fail "a usage error wrote to stdout"
expect 2 "$EIC" import
grep -q "missing argument" err.txt || fail "import without PKG: no message"
expect 2 "$EIC" show a b
grep -q "unexpected argument 'b'" err.txt || fail "show a b: no message"
expect 2 "$EIC" export tiny
grep -q "exactly one of --out DIR and --json FILE" err.txt || fail "export without output: no message"
expect 2 "$EIC" init --db
grep -q "needs an argument" err.txt || fail "--db without a path: no message"
expect 2 "$EIC" report --json x
expect 2 "$EIC" --json demo
grep -q "no --json output" err.txt || fail "--json on demo: no message"
expect 2 "$EIC" validate --strict=yes x
grep -q "takes no argument" err.txt || fail "--strict=yes: no message"
expect 2 "$EIC" help frobnicate
expect 2 "$EIC" balance
expect 2 "$EIC" balance tiny --package x

# The command list.
expect 0 "$EIC" help
for c in $COMMANDS; do
	grep -q "^    $c " out.txt || fail "eic help does not list '$c'"
done
expect 0 "$EIC" --help
grep -q "^    import " out.txt || fail "eic --help does not list the commands"

# Every command has a reference page with the six sections, printed by both forms, and the
# pages do not need the source tree (they are embedded): run from an empty folder.
for c in $COMMANDS; do
	expect 0 "$EIC" help "$c"
	cp out.txt "help_$c.txt"
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS"; do
		grep -q "^## $section\$" "help_$c.txt" || fail "page of '$c' has no $section section"
	done
	grep -q "^eic $c - " "help_$c.txt" || fail "page of '$c' has no 'eic $c - ' NAME line"
	if [ -f "$EIC_SOURCE_DIR/docs/cli/$c.md" ]; then
		cmp -s "help_$c.txt" "$EIC_SOURCE_DIR/docs/cli/$c.md" ||
			fail "eic help $c differs from docs/cli/$c.md (rebuild?)"
	fi
	expect 0 "$EIC" "$c" --help
	cmp -s out.txt "help_$c.txt" || fail "eic $c --help differs from eic help $c"

	# The short usage comes from the option table; each option it lists is documented.
	expect 0 "$EIC" "$c" -h
	grep -q "^usage: eic $c" out.txt || fail "eic $c -h: no usage line"
	for opt in $(grep -o -- '--[a-z][a-z-]*' out.txt | sort -u); do
		grep -q -- "$opt" "help_$c.txt" || fail "option $opt of '$c' is not on its page"
	done
done

# Global options may come before or after the command.
expect 0 "$EIC" --quiet version
expect 0 "$EIC" version --quiet
expect 0 "$EIC" version
grep -Eq '^eic [0-9]+\.[0-9]+\.[0-9]+' out.txt || fail "eic version: unexpected output"
expect 0 "$EIC" --version
expect 0 "$EIC" version --json
python3 -c 'import json,sys; d=json.load(open("out.txt")); assert isinstance(d["version"], str) and isinstance(d["schema"], int)' ||
	fail "eic version --json: bad JSON"
expect 0 "$EIC" --json version
python3 -c 'import json; json.load(open("out.txt"))' || fail "eic --json version: bad JSON"

cli_end
