#!/usr/bin/env bash
# Policy lives only in rules/. Proof: a legitimate policy change (significant-concern-inadequate.mjs: a
# significant concern now limits the grade to Inadequate, its worked cases updated) is applied to a copy
# of the repository, and everything ./test.sh checks is run there. It passes only if no C# test pins
# Croydon's shipped policy — the shipped rules are tested by their worked cases alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT

# The repository as committed, plus any new files not yet committed (never build outputs or .data/).
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy")
node "$root/tests/policy-change/significant-concern-inadequate.mjs" "$copy"
if git -C "$root" diff --quiet --no-index "$root/rules/limits.json" "$copy/rules/limits.json"; then
  echo "policy change: the change was not applied; nothing would be proved" >&2
  exit 1
fi

echo "policy change: a significant concern now limits the grade to Inadequate; running every test on a copy"
(cd "$copy" && CROYDON_POLICY_CHANGE_PROOF=1 ./test.sh)
echo "policy change: every test passes with the changed policy"
