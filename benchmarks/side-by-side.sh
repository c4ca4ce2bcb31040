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

scripts/postgres.sh start
export ASPNETCORE_ENVIRONMENT=Local Auth__LocalSigningKeyPath="$root/.data/local-signing-key"
export RateLimit__PermitsPerSecond=1000000 RateLimit__Burst=1000000
token="$(dotnet src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll token --role grader --role auditor --name load-driver --minutes 600)"
url="http://127.0.0.1:${BENCH_PORT:-5100}"
results="$root/benchmarks/results"
mkdir -p "$results"

# run NAME CHECKOUT ROUND: a fresh database, that checkout's service, one scenario; prints one line.
run() {
  local out="$2/src/CroydonAudit.Api/bin/Release/net10.0" service
  scripts/postgres.sh recreate croydon_side_by_side
  ConnectionStrings__Audit="$(scripts/postgres.sh url croydon_side_by_side)" ASPNETCORE_URLS="$url" Pages__Url="${PAGES_URL:-http://127.0.0.1:0}" Grading__RulesPath="$2/rules" \
    dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out" > "$results/side-by-side-$1-$3.log" 2>&1 &
  service=$!
  dotnet benchmarks/CroydonAudit.LoadTest/bin/Release/net10.0/CroydonAudit.LoadTest.dll --target "$url" --scenarios "$scenario" \
    --concurrency "${BENCH_CONCURRENCY:-64}" --warmup "${BENCH_WARMUP:-20}" --duration "${BENCH_DURATION:-20}" --token "$token" \
    > "$results/side-by-side-$1-$3.txt" 2>&1 || true
  kill "$service"; wait "$service" 2>/dev/null || true
  # The driver's table: scenario, callers, calls/s, p50, p90, p99, p99.9, errors.
  awk -v who="$1" -v round="$3" -v s="$scenario" '$1 == s { printf "%-6s round %s: %8s calls/s  p99 %7s ms  errors %s\n", who, round, $3, $6, $8 }' \
    "$results/side-by-side-$1-$3.txt"
}

echo "== $scenario: $(git rev-parse --short "$ref") (before) and this checkout (after), $rounds rounds, alternating"
for round in $(seq 1 "$rounds"); do
  run before "$before" "$round"
  run after "$root" "$round"
done
