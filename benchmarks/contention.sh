#!/usr/bin/env bash
# Can reads starve writes? GradeAudit at 64 callers alone, then with 48 more callers listing audits all the while,
# in turns, on the store of a million revisions that benchmarks/reads.sh seeds (croydon_reads; seeded here if it
# is missing). Prints both, and the ratio against the target (at least 70% of grade's throughput alone).
#
#   benchmarks/contention.sh [ROUNDS] [LIST_SCENARIO]     default 2 rounds, list-rare-team (the issue's heavy listing)
# Knobs: BENCH_WARMUP (20 s), BENCH_DURATION (20 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
listing="${2:-list-rare-team}"
warmup="${BENCH_WARMUP:-20}"
duration="${BENCH_DURATION:-20}"
dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
database=croydon_reads
# shellcheck source=turns.sh
source "$root/benchmarks/turns.sh"
cli=(dotnet src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll)
load=(dotnet benchmarks/CroydonAudit.LoadTest/bin/Release/net10.0/CroydonAudit.LoadTest.dll --target "$url" --token "$token")
psql=(psql -h 127.0.0.1 -p "${CROYDON_PG_PORT:-55432}" -U postgres -d croydon_reads -tAc)

if [ "$("${psql[@]}" "SELECT count(*) >= 1000000 FROM audit_revision" 2>/dev/null || echo f)" != t ]; then
  scripts/postgres.sh recreate croydon_reads
  ConnectionStrings__Audit="$(scripts/postgres.sh url croydon_reads)" "${cli[@]}" store seed --revisions 1000000
fi

out="$root/src/CroydonAudit.Api/bin/Release/net10.0"
ConnectionStrings__Audit="$(scripts/postgres.sh url croydon_reads)" ASPNETCORE_URLS="$url" Pages__Url=http://127.0.0.1:0 Grading__RulesPath="$root/rules" \
  dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out" > "$results/contention-service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT

grade() { "${load[@]}" --scenarios grade --concurrency 64 --warmup "$warmup" --duration "$duration" > "$1" 2>&1; awk '$1 == "grade" { print $3, $6 }' "$1"; }
echo "== grade at 64 callers, alone and with 48 callers running $listing throughout; $rounds rounds"
for round in $(seq 1 "$rounds"); do
  read -r alone alone_p99 < <(grade "$results/contention-alone-$round.txt")
  "${load[@]}" --scenarios "$listing" --concurrency 48 --warmup 0 --duration $((warmup + duration + 10)) > "$results/contention-lists-$round.txt" 2>&1 &
  lists=$!
  sleep 3
  read -r busy busy_p99 < <(grade "$results/contention-busy-$round.txt")
  wait "$lists" || true
  listed="$(awk -v s="$listing" '$1 == s { print $3 " calls/s, p99 " $6 " ms" }' "$results/contention-lists-$round.txt")"
  awk -v a="$alone" -v b="$busy" -v ap="$alone_p99" -v bp="$busy_p99" -v r="$round" -v l="$listed" 'BEGIN {
    printf "round %s: alone %s calls/s (p99 %s ms); with listings %s calls/s (p99 %s ms), %.0f%%, %s; listings %s\n",
      r, a, ap, b, bp, 100 * b / a, (b / a >= 0.7 ? "MET" : "MISSED"), l }'
done
