#!/usr/bin/env bash
# The pages on a store of a million revisions (PAGES_DB, default croydon_reads, the store benchmarks/reads.sh
# seeds; seeded here when it holds fewer than 900,000 audits):
#
#   benchmarks/pages.sh
#
# 1. the audit page (/audits/{id}, a random seeded audit each time) under wrk at 4 connections for
#    PAGES_DURATION (20 s): p50, p95 and p99, as the browser's session cookie asks for it;
# 2. the programme report over every stored audit (/report/csv: the same figures as the page, without the HTML),
#    five times in a row (loopback: the time is the server's). The first works out the months that have ended and
#    keeps them (report_month); the others read them, and count the current month's audits as asked.
# Targets (issue 12): the audit page under 50 ms at p95; the report over a million audits under 1 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
db="${PAGES_DB:-croydon_reads}"
results="$root/benchmarks/results"
mkdir -p "$results"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
scripts/postgres.sh start

export ASPNETCORE_ENVIRONMENT=Local Auth__Mode=Local Auth__LocalSigningKeyPath="$root/.data/local-signing-key"
cli=(dotnet src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll)
seeded="$(psql -h 127.0.0.1 -p "${CROYDON_PG_PORT:-55432}" -U postgres -d "$db" -tAc "SELECT count(*) FROM audit_figures WHERE audit_id LIKE 'seed-%'" 2>/dev/null || echo 0)"
if [ "${seeded:-0}" -lt 900000 ]; then
  echo "== a store of 1,000,000 revisions (croydon-audit store seed)"
  scripts/postgres.sh recreate "$db"
  ConnectionStrings__Audit="$(scripts/postgres.sh url "$db")" "${cli[@]}" store seed --revisions 1000000
  seeded="$(psql -h 127.0.0.1 -p "${CROYDON_PG_PORT:-55432}" -U postgres -d "$db" -tAc "SELECT count(*) FROM audit_figures WHERE audit_id LIKE 'seed-%'")"
fi

token="$("${cli[@]}" token --role auditor --role analyst --name pages-benchmark --minutes 120)"
pages="http://127.0.0.1:${PAGES_PORT:-5101}"
out="$root/src/CroydonAudit.Api/bin/Release/net10.0"
ConnectionStrings__Audit="$(scripts/postgres.sh url "$db")" ASPNETCORE_URLS="http://127.0.0.1:${BENCH_PORT:-5100}" Pages__Url="$pages" \
  Grading__RulesPath="$root/rules" RateLimit__PermitsPerSecond=1000000 RateLimit__Burst=1000000 Logging__LogLevel__Default=Warning \
  dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out" > "$results/pages-service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$pages/sign-in"; do sleep 1; done
# Signed in as a browser is (local mode's token form): the session cookie holds a session id, not the token.
jar="$results/pages-cookies.txt"
csrf="$(curl -sf -c "$jar" "$pages/sign-in" | grep -o '__RequestVerificationToken" type="hidden" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')"
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "__RequestVerificationToken=$csrf" --data-urlencode "token=$token" "$pages/sign-in?handler=Token"
cookie="Cookie: croydon-audit-session=$(awk '$6 == "croydon-audit-session" { print $7 }' "$jar")"
rm -f "$jar"

echo "== the audit page, $seeded audits stored"
# Every figure below is of pages actually shown: a redirect to sign in would be timed as a page.
status="$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "$pages/audits/seed-1")"
[ "$status" = 200 ] || { echo "pages.sh: the audit page answered $status, not 200: not signed in?" >&2; exit 1; }
PAGES_AUDITS="$seeded" wrk -t1 -c4 -d5s -s benchmarks/pages.lua -H "$cookie" "$pages" >/dev/null
PAGES_AUDITS="$seeded" wrk -t1 -c4 -d"${PAGES_DURATION:-20}s" -s benchmarks/pages.lua -H "$cookie" "$pages" | tail -n 1 | tee "$results/pages-audit.txt"

echo "== the programme report over every stored audit"
from="$(date -u -d '-9 years' +%Y-%m-%d)"
for run in 1 2 3 4 5; do
  curl -s -o /dev/null -H "$cookie" -w "report (CSV), run $run: %{http_code} in %{time_total} s\n" "$pages/report/csv?from=$from"
done | tee "$results/pages-report.txt"
