# Shared by the shell test suites: assertions that count, and one closing "N passed, N failed" line.
# Each suite sources this, calls check / skip, and ends with `finish SUITE`.
PASSED=0
FAILED=0
SKIPPED=0
DAXPERF=${DAXPERF:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/daxperf}

pass() { PASSED=$((PASSED + 1)); printf 'ok    %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '      %s\n' "$2"; return 0; }
skip() { SKIPPED=$((SKIPPED + 1)); printf 'skip  %s: %s\n' "$1" "$2"; }

# check NAME COMMAND...: passes when the command exits 0.
check() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(printf '%s' "$out" | tail -n 5)"; fi
}

# jq_true NAME FILE FILTER: passes when the jq filter yields true for the file.
jq_true() {
	local got
	got=$(jq -e "$3" "$2" 2>&1) && [ "$got" = true ] && { pass "$1"; return; }
	fail "$1" "jq '$3' on $2 gave: $got"
}

finish() {
	echo "$1: $PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ]
}
