#!/usr/bin/env bash
# Measures the service and the engine, side by side, in one run, and prints each target met or missed.
#
#   ./bench.sh            load scenarios (health, preview, grade, get), a 10,000-request fuzz, then the BenchmarkDotNet suite
#   ./bench.sh --load     load scenarios only
#   ./bench.sh --engine   BenchmarkDotNet suite only
#
# Like ./run.sh it sets up its own PostgreSQL under .data/ (a fresh database, croydon_bench) unless
# ConnectionStrings__Audit is set. Results land in benchmarks/results/ (git-ignored).
# Knobs: BENCH_FUZZ (10000), BENCH_CONCURRENCY (64), BENCH_DURATION (20 s), BENCH_WARMUP (30 s: the JIT is still re-compiling hot paths for the first 20–30 s under load), BENCH_JOB (short; "default" for BenchmarkDotNet's full job).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
mode="${1:-all}"
results="$root/benchmarks/results"
mkdir -p "$results"

dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet

if [ -z "${ConnectionStrings__Audit:-}" ]; then
  scripts/postgres.sh start
  scripts/postgres.sh recreate croydon_bench
  export ConnectionStrings__Audit="$(scripts/postgres.sh url croydon_bench)"
fi

url="http://127.0.0.1:${BENCH_PORT:-5100}"
# Local mode, as ./run.sh runs it: tokens signed by a key under .data/, one token for the driver. The
# per-caller rate limit is lifted: the driver is one caller making thousands of calls a second on purpose.
export ASPNETCORE_ENVIRONMENT=Local Auth__Mode=Local Auth__LocalSigningKeyPath="$root/.data/local-signing-key"
token="$(dotnet src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll token --role grader --role auditor --name load-driver --minutes 600)"
# Starts the built service in the background, logging to $1; $service is its pid.
start_service() {
  local out="$root/src/CroydonAudit.Api/bin/Release/net10.0"
  ASPNETCORE_URLS="$url" Pages__Url="${PAGES_URL:-http://127.0.0.1:0}" Grading__RulesPath="$root/rules" RateLimit__PermitsPerSecond=1000000 RateLimit__Burst=1000000 \
    dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out" > "$1" 2>&1 &
  service=$!
  trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT
}
stop_service() { kill "$service"; wait "$service" 2>/dev/null || true; trap - EXIT; }

if [ "$mode" != "--engine" ]; then
  start_service "$results/service.log"
  echo "== load: $url, ${BENCH_CONCURRENCY:-64} callers, ${BENCH_WARMUP:-30} s warm-up and ${BENCH_DURATION:-20} s per scenario"
  dotnet benchmarks/CroydonAudit.LoadTest/bin/Release/net10.0/CroydonAudit.LoadTest.dll \
    --target "$url" --concurrency "${BENCH_CONCURRENCY:-64}" --warmup "${BENCH_WARMUP:-30}" --duration "${BENCH_DURATION:-20}" \
    --token "$token" --service-pid "$service" --json "$results/load.json" | tee "$results/load.txt"
  stop_service
fi

if [ "$mode" != "--engine" ]; then
  # A fresh service for the fuzz, so its peak memory is the fuzz's own.
  start_service "$results/fuzz-service.log"
  echo "== fuzz: ${BENCH_FUZZ:-10000} seeded bad requests, 64 at once"
  dotnet benchmarks/CroydonAudit.LoadTest/bin/Release/net10.0/CroydonAudit.LoadTest.dll \
    --target "$url" --concurrency 64 --fuzz "${BENCH_FUZZ:-10000}" --token "$token" --service-pid "$service" | tee "$results/fuzz.txt" || true
  stop_service
fi

if [ "$mode" != "--load" ]; then
  echo "== engine and re-grading (BenchmarkDotNet, ${BENCH_JOB:-short} job)"
  job=(); [ "${BENCH_JOB:-short}" = "default" ] || job=(--job "${BENCH_JOB:-short}")
  (cd "$results" && dotnet "$root/benchmarks/CroydonAudit.Benchmarks/bin/Release/net10.0/CroydonAudit.Benchmarks.dll" \
    --filter '*' "${job[@]}" --memory) | tee "$results/engine.txt"
fi
