# Sourced by benchmarks/side-by-side.sh, telemetry.sh and contention.sh: one turn of an alternating comparison.
# Needs: root, scenario, and a name for the run's database (database). Sets up what every turn shares, then
#   turn LABEL ROUND CHECKOUT [VAR=VALUE ...]
# runs that checkout's built service with those settings on a fresh database, drives one scenario at it, stops it,
# and prints one line: calls/s, p99 and errors. Knobs as ./bench.sh: BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_DURATION.
scripts/postgres.sh start
export ASPNETCORE_ENVIRONMENT=Local Auth__Mode=Local Auth__LocalSigningKeyPath="$root/.data/local-signing-key"
export RateLimit__PermitsPerSecond=1000000 RateLimit__Burst=1000000
token="$(dotnet src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll token --role grader --role auditor --name load-driver --minutes 600)"
url="http://127.0.0.1:${BENCH_PORT:-5100}"
results="$root/benchmarks/results"
mkdir -p "$results"

turn() {
  local label="$1" round="$2" checkout="$3" service
  local out="$checkout/src/CroydonAudit.Api/bin/Release/net10.0" log="$results/$database-$1-$2"
  shift 3
  scripts/postgres.sh recreate "$database"
  env "$@" ConnectionStrings__Audit="$(scripts/postgres.sh url "$database")" ASPNETCORE_URLS="$url" Pages__Url="${PAGES_URL:-http://127.0.0.1:0}" \
    Grading__RulesPath="$checkout/rules" dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out" > "$log.log" 2>&1 &
  service=$!
  dotnet benchmarks/CroydonAudit.LoadTest/bin/Release/net10.0/CroydonAudit.LoadTest.dll --target "$url" --scenarios "$scenario" \
    --concurrency "${BENCH_CONCURRENCY:-64}" --warmup "${BENCH_WARMUP:-20}" --duration "${BENCH_DURATION:-20}" --token "$token" \
    > "$log.txt" 2>&1 || true
  kill "$service"; wait "$service" 2>/dev/null || true
  # The driver's table: scenario, callers, calls/s, p50, p90, p99, p99.9, errors.
  awk -v who="$label" -v round="$round" -v s="$scenario" '$1 == s { printf "%-8s round %s: %8s calls/s  p99 %7s ms  errors %s\n", who, round, $3, $6, $8 }' "$log.txt"
}
