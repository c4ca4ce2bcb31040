#!/usr/bin/env bash
# What telemetry costs GradeAudit: this checkout's service, in turns on one PostgreSQL (a fresh database each
# run), with telemetry off (Telemetry__Metrics=false), with metrics (the default: Prometheus' /metrics), and with
# metrics and traces exported by OTLP to a stand-in collector (benchmarks/otlp-sink.py). Alternating, so a slow
# spell of the shared machine falls on all three. Prints calls/s and p99 per run.
#
#   benchmarks/telemetry.sh [ROUNDS] [SCENARIO]        knobs as ./bench.sh: BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_DURATION
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
scenario="${2:-grade}"

dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
database=croydon_telemetry
# shellcheck source=turns.sh
source "$root/benchmarks/turns.sh"
/usr/bin/python3 benchmarks/otlp-sink.py &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT

echo "== $scenario: telemetry off, metrics, metrics and traces by OTLP; $rounds rounds, alternating"
for round in $(seq 1 "$rounds"); do
  turn off "$round" "$root" Telemetry__Metrics=false
  turn metrics "$round" "$root" Telemetry__Metrics=true
  turn traces "$round" "$root" OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
done
