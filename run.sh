#!/usr/bin/env bash
# Starts the service on 127.0.0.1:5000 (ASPNETCORE_URLS overrides it). Ctrl-C stops it.
# Without ConnectionStrings__Audit it sets up its own PostgreSQL under .data/ (scripts/postgres.sh)
# and leaves that running for next time; with it, it uses that database only.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"

if [ -z "${ConnectionStrings__Audit:-}" ]; then
  scripts/postgres.sh start
  export ConnectionStrings__Audit="$(scripts/postgres.sh url)"
fi
export Grading__RulesPath="${Grading__RulesPath:-$root/rules}"

dotnet build src/CroydonAudit.Api --configuration Release -nologo -v quiet
out="$root/src/CroydonAudit.Api/bin/Release/net10.0"
exec dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out"
