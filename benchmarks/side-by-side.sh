#!/usr/bin/env bash
# Compares this checkout's service with an earlier commit's, side by side: the two builds take turns on one
# PostgreSQL (a fresh database each run), driven by this checkout's load driver, so a slow spell of the
# shared machine falls on both. Prints calls/s and p99 per run.
#
#   benchmarks/side-by-side.sh REF [ROUNDS] [SCENARIO]     e.g. benchmarks/side-by-side.sh 8b93f0c 3 grade
#
# The earlier build is made in a git worktree under ${TMPDIR:-/tmp}/croydon-side-by-side/. Calls carry a local-mode token,
# which a build from before tokens ignores. Knobs as ./bench.sh: BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_DURATION.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ref="${1:?usage: $0 REF [ROUNDS] [SCENARIO]}"
rounds="${2:-3}"
scenario="${3:-grade}"
# Outside the repository: BenchmarkDotNet looks for its project under the repository, and must find one.
before="${TMPDIR:-/tmp}/croydon-side-by-side/$(git rev-parse --short "$ref")"

dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
if [ ! -d "$before" ]; then
  git worktree add --detach "$before" "$ref" >/dev/null
fi
dotnet build "$before/src/CroydonAudit.Api" --configuration Release -nologo -v quiet

database=croydon_side_by_side
# shellcheck source=turns.sh
source "$root/benchmarks/turns.sh"

echo "== $scenario: $(git rev-parse --short "$ref") (before) and this checkout (after), $rounds rounds, alternating"
for round in $(seq 1 "$rounds"); do
  turn before "$round" "$before"
  turn after "$round" "$root"
done
