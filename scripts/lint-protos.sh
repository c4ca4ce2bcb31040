#!/usr/bin/env bash
# The contract's checks, with buf from npm (@bufbuild/buf):
#   scripts/lint-protos.sh            buf lint (every STANDARD rule); buf breaking against the contract as last
#                                     released (protos/released.binpb); and proof, on a scratch copy, that
#                                     removing a field would be caught.
#   scripts/lint-protos.sh --release  records the current contract as the last released (after a CHANGELOG entry).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
buf=(npx --yes @bufbuild/buf@1.75.0)

# The contract imports google/api/annotations.proto (its REST routes). buf reads it where the C# build does, from
# the Google.Api.CommonProtos package (restored by NuGet), in a workspace of its own: nothing is copied into
# protos/, and only croydon/ is linted and compared (--path).
common="$(cd "$root" && dotnet restore src/CroydonAudit.Contracts -nologo -v quiet >&2 \
  && dotnet msbuild src/CroydonAudit.Contracts -nologo -getProperty:GoogleApiCommonProtos_ProtosPath)"
[ -f "$common/google/api/annotations.proto" ] || { echo "protos: google/api/annotations.proto is not in '$common'" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
workspace() { # workspace DIR: the contract and the google/api protos it imports, as one buf module
  mkdir -p "$1/google/api"
  cp -r "$root/protos/buf.yaml" "$root/protos/croydon" "$1/"
  cp "$common"/google/api/{annotations,http}.proto "$1/google/api/"
}
workspace "$work/contract"
cd "$work/contract"
if [ "${1:-}" = --release ]; then
  "${buf[@]}" build --path croydon -o "$root/protos/released.binpb"
  echo "protos: the current contract is now the released one (protos/released.binpb)"
  exit 0
fi

"${buf[@]}" lint --path croydon
echo "protos: buf lint passed"
"${buf[@]}" breaking --path croydon --against "$root/protos/released.binpb"
echo "protos: nothing breaks the contract as last released"

# The check must be able to fail: a scratch copy with a field removed is refused.
scratch="$work/scratch"
workspace "$scratch"
sed -i '/^  string case_reference = 2;$/d' "$scratch/croydon/audit/v1/audit.proto"
if (cd "$scratch" && "${buf[@]}" breaking --path croydon --against "$root/protos/released.binpb" > "$scratch/breaking.txt" 2>&1); then
  echo "protos: buf breaking did not notice a removed field" >&2
  exit 1
fi
grep -q 'deleted' "$scratch/breaking.txt" || { cat "$scratch/breaking.txt" >&2; echo "protos: buf breaking failed, but not for the removed field" >&2; exit 1; }
echo "protos: a removed field is caught ($(head -1 "$scratch/breaking.txt"))"
