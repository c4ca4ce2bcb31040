#!/usr/bin/env bash
# PreviewGrade against the server's ceiling, as an outside client sees them: h2load (nghttp2) with 16 connections of
# 32 concurrent streams each, grpc.health.v1 Check and PreviewGrade of a worked case (rules/tests/complete-good.json),
# in turns. Prints calls/s and the ratio (target: preview at least 0.25 of health).
#
#   benchmarks/h2load.sh [ROUNDS]        default 2; installs Debian's nghttp2-client if h2load is missing
# The request is built from protos/ by Debian's protoc and python3-protobuf, as tests/clients' Python client is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
if ! command -v h2load >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nghttp2-client >/dev/null
fi

dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
work="$(mktemp -d)"
common="$(dotnet msbuild src/CroydonAudit.Contracts -nologo -getProperty:GoogleApiCommonProtos_ProtosPath)"
protoc -I protos -I "$common" --python_out="$work" protos/croydon/audit/v1/*.proto "$common"/google/api/{annotations,http}.proto
/usr/bin/python3 - "$work" rules/tests/complete-good.json "$work/preview.bin" <<'PY'
import json, struct, sys
sys.path.insert(0, sys.argv[1])
from google.protobuf import json_format
from croydon.audit.v1 import grading_service_pb2
request = json_format.ParseDict({"audit": json.load(open(sys.argv[2]))["audit"]}, grading_service_pb2.PreviewGradeRequest())
body = request.SerializeToString()
open(sys.argv[3], "wb").write(b"\0" + struct.pack(">I", len(body)) + body)
PY
printf '\0\0\0\0\0' > "$work/health.bin"

database=croydon_h2load
# shellcheck source=turns.sh
source "$root/benchmarks/turns.sh"
scripts/postgres.sh recreate "$database"
out="$root/src/CroydonAudit.Api/bin/Release/net10.0"
ConnectionStrings__Audit="$(scripts/postgres.sh url "$database")" ASPNETCORE_URLS="$url" Pages__Url=http://127.0.0.1:0 Grading__RulesPath="$root/rules" \
  dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out" > "$results/h2load-service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 6

# calls PATH BODY: successful calls a second (HTTP 2xx; the preview's grpc-status is checked once below).
calls() {
  h2load -c 16 -m 32 -D "${BENCH_DURATION:-10}" --warm-up-time=3 -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "authorization: Bearer $token" -d "$2" "$url$1" 2>&1 | awk '/finished in/ { print $4 }'
}
status="$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $token" \
  --data-binary @"$work/preview.bin" -D - -o /dev/null "$url/croydon.audit.v1.GradingService/PreviewGrade" | tr -d '\r' | awk -F': ' '$1 == "grpc-status" { print $2 }')"
[ "$status" = 0 ] || { echo "PreviewGrade answered grpc-status ${status:-none}" >&2; exit 1; }
echo "== h2load, 16 connections x 32 streams: health and preview, $rounds rounds"
for round in $(seq 1 "$rounds"); do
  health="$(calls /grpc.health.v1.Health/Check "$work/health.bin")"
  preview="$(calls /croydon.audit.v1.GradingService/PreviewGrade "$work/preview.bin")"
  awk -v h="$health" -v p="$preview" -v r="$round" 'BEGIN {
    printf "round %s: health %.0f calls/s, preview %.0f calls/s: %.2f of health, %s (target 0.25)\n", r, h, p, p / h, (p / h >= 0.25 ? "MET" : "MISSED") }'
done
