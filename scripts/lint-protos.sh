#!/usr/bin/env bash
# The contract's checks, with buf from npm (@bufbuild/buf):
#   scripts/lint-protos.sh            buf lint (every STANDARD rule); buf breaking against the contract as last
#                                     released (protos/released.binpb); and proof, on a scratch copy, that
#                                     removing a field would be caught.
#   scripts/lint-protos.sh --release  records the current contract as the last released (after a CHANGELOG entry).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
buf=(npx --yes @bufbuild/buf@1.75.0)
cd "$root/protos"
if [ "${1:-}" = --release ]; then
  "${buf[@]}" build -o released.binpb
  echo "protos: the current contract is now the released one (protos/released.binpb)"
  exit 0
fi

"${buf[@]}" lint
echo "protos: buf lint passed"
"${buf[@]}" breaking --against released.binpb
echo "protos: nothing breaks the contract as last released"

# The check must be able to fail: a scratch copy with a field removed is refused.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r buf.yaml croydon "$scratch/"
sed -i '/^  string case_reference = 2;$/d' "$scratch/croydon/audit/v1/audit.proto"
if (cd "$scratch" && "${buf[@]}" breaking --against "$root/protos/released.binpb" > "$scratch/breaking.txt" 2>&1); then
  echo "protos: buf breaking did not notice a removed field" >&2
  exit 1
fi
grep -q 'deleted' "$scratch/breaking.txt" || { cat "$scratch/breaking.txt" >&2; echo "protos: buf breaking failed, but not for the removed field" >&2; exit 1; }
echo "protos: a removed field is caught ($(head -1 "$scratch/breaking.txt"))"
